"""T5, T6: element-wise math, comparisons and logic against PyTorch, and their gradients.

Each case is one line: a name, ``fn(lib, *inputs)``, the input shapes and, where the
op has a domain, the range the random inputs are drawn from.
"""

import math
import subprocess
import sys

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error, check_gradcheck, check_outcome

import ember

POSITIVE = {"low": 0.5, "high": 3.0}
UNIT = {"low": -0.9, "high": 0.9}

# (name, fn, shapes, input range)
DIFFERENTIABLE = [
    ("add", lambda t, x, y: x + y, [(3, 4), (3, 4)], {}),
    ("add_broadcast", lambda t, x, y: x + y, [(3, 1), (1, 4)], {}),
    ("add_fn_alpha", lambda t, x, y: t.add(x, y, alpha=2), [(3, 4), (4,)], {}),
    ("sub", lambda t, x, y: x - y, [(2, 3, 4), (3, 1)], {}),
    ("sub_fn_alpha", lambda t, x, y: t.sub(x, y, alpha=3), [(3, 4), (3, 4)], {}),
    ("mul", lambda t, x, y: x * y, [(3, 4), (4,)], {}),
    ("div", lambda t, x, y: x / y, [(3, 4), (3, 1)], POSITIVE),
    ("div_fn", lambda t, x, y: t.div(x, y), [(4,), (3, 4)], POSITIVE),
    ("true_divide", lambda t, x, y: t.true_divide(x, y), [(4,), (4,)], POSITIVE),
    ("pow_tensors", lambda t, x, y: x**y, [(3, 4), (3, 4)], POSITIVE),
    ("pow_broadcast", lambda t, x, y: t.pow(x, y), [(3, 1), (4,)], POSITIVE),
    ("remainder", lambda t, x, y: x % y, [(3, 4), (3, 4)], POSITIVE),
    ("scalar_add_right", lambda t, x: x + 2, [(3, 4)], {}),
    ("scalar_add_left", lambda t, x: 2 + x, [(3, 4)], {}),
    ("scalar_add_float", lambda t, x: 1.5 + x, [(3, 4)], {}),
    ("scalar_sub_right", lambda t, x: x - 2.5, [(3, 4)], {}),
    ("scalar_sub_left", lambda t, x: 2.5 - x, [(3, 4)], {}),
    ("scalar_mul_right", lambda t, x: x * 3, [(3, 4)], {}),
    ("scalar_mul_left", lambda t, x: -0.5 * x, [(3, 4)], {}),
    ("scalar_div_right", lambda t, x: x / 4, [(3, 4)], {}),
    ("scalar_div_left", lambda t, x: 2 / x, [(3, 4)], POSITIVE),
    ("scalar_pow_right", lambda t, x: x**2, [(3, 4)], {}),
    ("scalar_pow_right_float", lambda t, x: x**1.5, [(3, 4)], POSITIVE),
    ("scalar_pow_right_zero", lambda t, x: x**0, [(3, 4)], {}),
    ("scalar_pow_right_negative", lambda t, x: x**-2, [(3, 4)], POSITIVE),
    ("scalar_pow_left", lambda t, x: 2**x, [(3, 4)], {}),
    ("scalar_pow_left_float", lambda t, x: 0.5**x, [(3, 4)], {}),
    ("scalar_mod_right", lambda t, x: x % 1.5, [(3, 4)], {}),
    # torch has no derivative for Python-number % tensor; ember's is checked numerically.
    ("scalar_mod_left", lambda t, x: 5 % x, [(3, 4)], {**POSITIVE, "grad": False}),
    ("neg", lambda t, x: -x, [(3, 4)], {}),
    ("neg_fn", lambda t, x: t.neg(x), [(3, 4)], {}),
    ("abs", lambda t, x: t.abs(x), [(3, 4)], {}),
    ("abs_operator", lambda t, x: abs(x), [(3, 4)], {}),
    ("exp", lambda t, x: t.exp(x), [(3, 4)], {}),
    ("exp_method", lambda t, x: x.exp(), [(3, 4)], {}),
    ("log", lambda t, x: t.log(x), [(3, 4)], POSITIVE),
    ("log2", lambda t, x: t.log2(x), [(3, 4)], POSITIVE),
    ("log10", lambda t, x: t.log10(x), [(3, 4)], POSITIVE),
    ("log1p", lambda t, x: t.log1p(x), [(3, 4)], POSITIVE),
    ("expm1", lambda t, x: t.expm1(x), [(3, 4)], {}),
    ("sqrt", lambda t, x: t.sqrt(x), [(3, 4)], POSITIVE),
    ("rsqrt", lambda t, x: t.rsqrt(x), [(3, 4)], POSITIVE),
    ("square", lambda t, x: t.square(x), [(3, 4)], {}),
    ("reciprocal", lambda t, x: t.reciprocal(x), [(3, 4)], POSITIVE),
    ("sin", lambda t, x: t.sin(x), [(3, 4)], {}),
    ("cos", lambda t, x: t.cos(x), [(3, 4)], {}),
    ("tanh", lambda t, x: t.tanh(x), [(3, 4)], {}),
    ("sigmoid", lambda t, x: t.sigmoid(x), [(3, 4)], {}),
    ("sigmoid_method", lambda t, x: x.sigmoid(), [(3, 4)], {}),
    ("relu", lambda t, x: t.relu(x), [(3, 4)], {}),
    ("relu_method", lambda t, x: x.relu(), [(3, 4)], {}),
    ("clamp_both", lambda t, x: t.clamp(x, -1, 1), [(3, 4)], {}),
    ("clamp_min", lambda t, x: t.clamp(x, min=0.5), [(3, 4)], {}),
    ("clamp_max", lambda t, x: x.clamp(max=-0.5), [(3, 4)], {}),
    ("clip", lambda t, x: t.clip(x, -1.0, 0.5), [(3, 4)], {}),
    ("clamp_tensor_bounds", lambda t, x, lo, hi: t.clamp(x, lo, hi), [(3, 4), (4,), (3, 1)], {}),
    ("clamp_tensor_min", lambda t, x, lo: t.clamp(x, min=lo), [(3, 4), (3, 4)], {}),
    ("clamp_tensor_max", lambda t, x, hi: x.clamp(max=hi), [(3, 4), ()], {}),
    ("maximum", lambda t, x, y: t.maximum(x, y), [(3, 4), (3, 4)], {}),
    ("maximum_broadcast", lambda t, x, y: t.maximum(x, y), [(3, 1), (1, 4)], {}),
    ("minimum", lambda t, x, y: t.minimum(x, y), [(3, 4), (4,)], {}),
    ("max_binary", lambda t, x, y: t.max(x, y), [(3, 4), (3, 4)], {}),
    ("where", lambda t, x, y: t.where(x > y, x, y), [(3, 4), (3, 4)], {}),
    ("where_broadcast", lambda t, x, y: t.where(x > 0, x, y), [(3, 1), (1, 4)], {}),
    ("where_scalar_other", lambda t, x: t.where(x > 0, x, 0.0), [(3, 4)], {}),
    ("where_scalar_input", lambda t, x: t.where(x > 0, 1.0, x), [(3, 4)], {}),
    ("where_method", lambda t, x, y: x.where(x > 0, y), [(3, 4), (3, 4)], {}),
    ("masked_fill", lambda t, x: x.masked_fill(x < 0, 0.0), [(3, 4)], {}),
    (
        "composite",
        lambda t, x, y: (t.exp(-x) * t.sin(y) + x**2 / (1 + y * y)).sum(),
        [(3, 4), (3, 4)],
        {},
    ),
    ("scalar_0d", lambda t, x, y: x * y + y, [(), ()], {}),
    ("scalar_0d_with_vector", lambda t, x, y: x * y, [(), (5,)], {}),
]


@pytest.mark.parametrize(
    "fn, shapes, bounds", [case[1:] for case in DIFFERENTIABLE], ids=[c[0] for c in DIFFERENTIABLE]
)
def test_matches_torch(fn, shapes, bounds):
    check(fn, shapes, **bounds)


@pytest.mark.parametrize(
    "fn, shapes, bounds", [case[1:] for case in DIFFERENTIABLE], ids=[c[0] for c in DIFFERENTIABLE]
)
def test_gradients_match_finite_differences(fn, shapes, bounds):
    bounds = {key: value for key, value in bounds.items() if key != "grad"}
    check_gradcheck(fn, shapes, **bounds)


@pytest.mark.parametrize(
    "fn, shapes, bounds", [case[1:] for case in DIFFERENTIABLE], ids=[c[0] for c in DIFFERENTIABLE]
)
def test_second_order_gradients(fn, shapes, bounds):
    bounds = {key: value for key, value in bounds.items() if key != "grad"}
    check_gradcheck(fn, shapes, order=2, **bounds)


@pytest.mark.parametrize("dtype", ["float64", "float16"])
def test_float_dtypes_keep_their_type(dtype):
    check(lambda t, x, y: t.exp(x) * y + 1.5, [(3, 4), (3, 4)], dtype=dtype, atol=1e-2, rtol=1e-2)


# Ties and kinks: PyTorch's choice of subgradient -----------------------------------

TIES = np.array([[-1.0, 0.0, 1.0], [2.0, 0.0, -3.0]], dtype=np.float32)
KINKS = [
    ("relu_at_zero", lambda t, x: t.relu(x)),
    ("abs_at_zero", lambda t, x: t.abs(x)),
    ("clamp_at_bounds", lambda t, x: t.clamp(x, -1.0, 1.0)),
    ("clamp_crossed_bounds", lambda t, x: t.clamp(x, x * 0 + 1.0, x * 0 - 1.0)),
    ("clamp_tensor_bound_ties", lambda t, x: t.clamp(x, x.flip(1), x.flip(0))),
    ("maximum_tie", lambda t, x: t.maximum(x, t.zeros_like(x))),
    ("minimum_tie", lambda t, x: t.minimum(x, t.zeros_like(x))),
    ("pow_zero_base", lambda t, x: x**2),
    ("sqrt_of_square", lambda t, x: t.sqrt(x * x + 1)),
]


@pytest.mark.parametrize("fn", [c[1] for c in KINKS], ids=[c[0] for c in KINKS])
def test_kinks_take_torch_subgradient(fn):
    check(fn, [TIES])


def test_clamp_builds_its_gradient_masks_only_when_a_graph_is_recorded(monkeypatch):
    import ember
    from ember.ops.selection import Clamp

    masked = []
    remember_masks = Clamp.remember_masks

    def counted(node, *arrays):
        masked.append(node)
        remember_masks(node, *arrays)

    monkeypatch.setattr(Clamp, "remember_masks", counted)
    x = ember.tensor(TIES, requires_grad=True)
    with ember.no_grad():
        x.clamp(-1.0, 1.0)
    x.detach().clamp(x.detach(), ember.ones(()))
    assert masked == []
    x.clamp(-1.0, 1.0).sum().backward()
    x.detach().clamp(max=x).sum().backward()  # only a bound requires grad
    assert len(masked) == 2


# Integer and bool inputs -------------------------------------------------------------

INTEGER_CASES = [
    ("add", lambda t, x, y: x + y),
    ("sub", lambda t, x, y: x - y),
    ("mul", lambda t, x, y: x * y),
    ("true_div", lambda t, x, y: x / y),
    ("floor_div", lambda t, x, y: x // y),
    ("remainder", lambda t, x, y: x % y),
    ("floor_divide_fn", lambda t, x, y: t.floor_divide(x, y)),
    ("div_floor", lambda t, x, y: t.div(x, y, rounding_mode="floor")),
    ("div_trunc", lambda t, x, y: t.div(x, y, rounding_mode="trunc")),
    ("pow", lambda t, x, y: x ** t.abs(y)),
    ("maximum", lambda t, x, y: t.maximum(x, y)),
    ("minimum", lambda t, x, y: t.minimum(x, y)),
    ("where", lambda t, x, y: t.where(x > y, x, y)),
    ("neg_abs", lambda t, x, y: -t.abs(x)),
    ("scalar_mul", lambda t, x, y: 3 * x - y * 2),
    ("scalar_floor_div", lambda t, x, y: x // 2),
    ("scalar_floor_div_left", lambda t, x, y: 7 // y),
    ("scalar_mod", lambda t, x, y: x % 3),
    ("scalar_mod_left", lambda t, x, y: 7 % y),
    ("scalar_pow", lambda t, x, y: x**2),
    ("scalar_rpow", lambda t, x, y: 2 ** t.abs(x)),
    ("clamp", lambda t, x, y: t.clamp(x, -2, 3)),
    ("exp_of_int", lambda t, x, y: t.exp(x)),
    ("sqrt_of_int", lambda t, x, y: t.sqrt(t.abs(x))),
    ("sigmoid_of_int", lambda t, x, y: t.sigmoid(x)),
]
NONZERO_INTS = np.array([[3, -2, 5], [-4, 1, 2]], dtype=np.int64)
INTS = np.array([[7, -7, 0], [9, 4, -5]], dtype=np.int64)


@pytest.mark.parametrize("fn", [c[1] for c in INTEGER_CASES], ids=[c[0] for c in INTEGER_CASES])
@pytest.mark.parametrize("dtype", ["int64", "int32"])
def test_integer_tensors(fn, dtype):
    check(fn, [INTS.astype(dtype), NONZERO_INTS.astype(dtype)])


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x, y: x // y,
        lambda t, x, y: x % y,
        lambda t, x, y: t.div(x, y, rounding_mode="trunc"),
        lambda t, x, y: t.div(x, y, rounding_mode="floor"),
        lambda t, x, y: t.remainder(x, -1.5),
        lambda t, x, y: x // 0.7,
    ],
    ids=["floordiv", "mod", "trunc", "floor", "remainder_negative", "floordiv_scalar"],
)
def test_rounding_division_on_floats_with_negatives(fn):
    values = np.array([[-7.5, -2.0, 3.25], [5.0, -0.5, 7.0]], dtype=np.float32)
    divisors = np.array([[2.0, -3.0, -1.5], [-2.5, 4.0, 3.0]], dtype=np.float32)
    check(fn, [values, divisors], grad=False)


@pytest.mark.parametrize("mode", ["floor", "trunc"])
def test_division_with_a_rounding_mode_has_pytorchs_zero_gradient(mode):
    """A step function: PyTorch records it and gives zeros to both operands."""
    values = np.array([[-7.5, -2.0, 3.25], [5.0, -0.5, 7.0]], dtype=np.float32)
    divisors = np.array([[2.0, -3.0, -1.5], [-2.5, 4.0, 3.0]], dtype=np.float32)
    check(lambda t, x, y: t.div(x, y, rounding_mode=mode), [values, divisors])
    check(lambda t, x: t.div(x, 2, rounding_mode=mode), [values])


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x, y: x // y,
        lambda t, x, y: t.div(x, y, rounding_mode="floor"),
        lambda t, x, y: t.div(x, y, rounding_mode="trunc"),
        lambda t, x, y: t.logical_and(x, y),
        lambda t, x, y: t.logical_or(x, y),
        lambda t, x, y: x % y,
        lambda t, x, y: x.long() & y.long(),
    ],
    ids=["floordiv", "floor", "trunc", "logical_and", "logical_or", "mod", "bitwise_and"],
)
def test_shapes_that_do_not_broadcast_raise_pytorchs_runtime_error(fn):
    error = check_error(fn, np.ones((2, 3), np.float32), np.ones(2, np.float32))
    assert "size of tensor a (3) must match the size of tensor b (2)" in str(error)


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: x // 0,
        lambda t, x: x % 0,
        lambda t, x: x // t.tensor([1, 0, 1]),
        lambda t, x: t.remainder(x, t.tensor([0, 1, 1])),
        lambda t, x: t.div(x, 0, rounding_mode="trunc"),
    ],
    ids=["floordiv", "mod", "floordiv_tensor", "remainder_tensor", "trunc"],
)
def test_integer_division_by_zero_is_refused(fn):
    check_error(fn, np.array([1, 2, 3]))


def test_float_division_by_zero_gives_infinities_and_nans():
    values = np.array([1.0, -2.0, 0.0], dtype=np.float32)
    check(lambda t, x: (x / 0, x // 0, x % 0, x / 0.0, 1 / (x * 0)), [values], grad=False)


def test_integer_power_with_negative_tensor_exponents():
    bases = np.array([0, 1, -1, 2, -2, 3, -1])
    exponents = np.array([-1, -3, -3, -1, -2, 2, -2])
    check(lambda t, x, y: x**y, [bases, exponents])
    check(lambda t, x, y: 2**y, [bases, exponents])


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: x**300,
        lambda t, x: t.where(x > 0, x, 300),
        lambda t, x: x.__setitem__(0, 300),
        lambda t, x: x.fill_(-200),
        lambda t, x: x.pow_(-1),
    ],
    ids=["pow", "where", "setitem", "fill_", "pow_negative"],
)
def test_python_int_that_does_not_fit_an_int8_tensor(fn):
    check_error(fn, np.array([1, 2], dtype=np.int8))


def test_python_ints_wrap_in_int8_arithmetic_like_torch():
    values = np.array([1, 2, -3], dtype=np.int8)
    check(
        lambda t, x: (x + 300, x * 300, x - 300, x.clone().add_(300), x.clone().sub_(-1)), [values]
    )
    check(lambda t, x: (x.to(t.uint8) - 1, x.to(t.uint8) < -3), [values])


def test_integer_power_with_negative_exponent_is_refused():
    check_error(lambda t, x: x**-1, np.array([1, 2, 3]))


def test_bool_negation_is_refused():
    check_error(lambda t, x: -x, np.array([True, False]))


@pytest.mark.parametrize("alpha", [2, 0, -1, 1, 1.0, 2.5, True, False])
@pytest.mark.parametrize("method", ["add", "sub", "add_", "sub_"])
def test_alpha_is_checked_against_the_result_dtype_as_in_torch(method, alpha):
    """A float alpha (even 1.0) is refused for an integral or bool result, a bool alpha
    (even True) for any but a bool one; a bool result takes an int alpha, which keeps
    ``other`` or, when 0, drops it. In place, the result is ``x``'s dtype and ``other``'s
    promoted together, as out of place."""
    for x_dtype in ("bool", "uint8", "int64", "float32"):
        for other in ("bool", "int8", "float32", 2, True, 1.5):

            def add_or_sub(lib, x, x_dtype=x_dtype, other=other):
                if isinstance(other, str):
                    other = lib.tensor([3, 1, 0]).to(getattr(lib, other))
                return getattr(x.to(getattr(lib, x_dtype)), method)(other, alpha=alpha)

            check_outcome(add_or_sub, np.array([1, 0, 3]))


# Unary ops that are piecewise constant (no gradient worth checking) ----------------

ROUNDING = [
    ("sign", lambda t, x: t.sign(x)),
    ("floor", lambda t, x: t.floor(x)),
    ("ceil", lambda t, x: t.ceil(x)),
    ("round", lambda t, x: t.round(x)),
    ("round_decimals", lambda t, x: t.round(x, decimals=1)),
    ("trunc", lambda t, x: t.trunc(x)),
]
HALVES = np.array([-2.5, -1.5, -0.5, 0.0, 0.5, 1.5, 2.5, 1.26, -1.74], dtype=np.float32)


@pytest.mark.parametrize("fn", [c[1] for c in ROUNDING], ids=[c[0] for c in ROUNDING])
def test_rounding_values(fn):
    check(fn, [HALVES])


@pytest.mark.parametrize("fn", [c[1] for c in ROUNDING], ids=[c[0] for c in ROUNDING])
def test_rounding_gradients_are_zero(fn):
    check(lambda t, x: fn(t, x) * x, [HALVES])


# Comparisons and logic (T6) ---------------------------------------------------------

COMPARISONS = [
    ("eq", lambda t, x, y: x == y),
    ("ne", lambda t, x, y: x != y),
    ("lt", lambda t, x, y: x < y),
    ("le", lambda t, x, y: x <= y),
    ("gt", lambda t, x, y: x > y),
    ("ge", lambda t, x, y: x >= y),
    ("eq_fn", lambda t, x, y: t.eq(x, y)),
    ("gt_fn", lambda t, x, y: t.gt(x, y)),
    ("scalar_right", lambda t, x, y: x > 0),
    ("scalar_left", lambda t, x, y: 0 < x),
    ("scalar_eq", lambda t, x, y: x == 1),
    ("and", lambda t, x, y: (x > 0) & (y > 0)),
    ("or", lambda t, x, y: (x > 0) | (y > 0)),
    ("xor", lambda t, x, y: (x > 0) ^ (y > 0)),
    ("invert", lambda t, x, y: ~(x > y)),
    ("logical_and", lambda t, x, y: t.logical_and(x > 0, y)),
    ("logical_or", lambda t, x, y: t.logical_or(x, y > 0)),
    ("logical_not", lambda t, x, y: t.logical_not(x)),
    ("all", lambda t, x, y: (x == x).all()),
    ("any", lambda t, x, y: (x > 1).any()),
    ("all_dim", lambda t, x, y: t.all(x > -1, dim=1)),
    ("any_dim_keepdim", lambda t, x, y: (x > 1).any(0, keepdim=True)),
    ("all_of_floats", lambda t, x, y: t.all(x)),
    ("isclose", lambda t, x, y: t.isclose(x, x + 1e-7)),
    ("isclose_tolerance", lambda t, x, y: t.isclose(x, y, rtol=0, atol=1.0)),
    ("isclose_method", lambda t, x, y: x.isclose(y)),
    ("isnan", lambda t, x, y: t.isnan(t.log(x))),
    ("isinf", lambda t, x, y: t.isinf(x / 0)),
    ("isfinite", lambda t, x, y: t.isfinite(t.log(x))),
]
ROUNDED = np.array([[1.0, -1.0, 2.0], [0.0, 3.0, 1.0]], dtype=np.float32)
OTHER = np.array([[1.0, 0.0, 2.5], [0.0, -3.0, 1.0]], dtype=np.float32)


@pytest.mark.parametrize("fn", [c[1] for c in COMPARISONS], ids=[c[0] for c in COMPARISONS])
def test_comparisons_and_logic(fn):
    check(fn, [ROUNDED, OTHER], grad=False)


@pytest.mark.parametrize(
    "fn", [c[1] for c in COMPARISONS[:10]], ids=[c[0] for c in COMPARISONS[:10]]
)
def test_comparisons_broadcast_and_mix_dtypes(fn):
    check(fn, [ROUNDED.astype(np.int64), OTHER[:1]], grad=False)


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x, y: t.equal(x, x.clone()),
        lambda t, x, y: t.equal(x, y),
        lambda t, x, y: t.equal(x, x[:1]),
        lambda t, x, y: x.equal(x),
        lambda t, x, y: t.allclose(x, x + 1e-7),
        lambda t, x, y: t.allclose(x, y),
        lambda t, x, y: t.allclose(x, y, atol=4.0),
        lambda t, x, y: x.allclose(x * (1 + 1e-6)),
    ],
)
def test_equal_and_allclose_give_python_bools(fn):
    ember_result, torch_result = check(fn, [ROUNDED, OTHER], grad=False)
    assert type(ember_result) is bool and ember_result == torch_result


def test_bitwise_ops_on_integers():
    a = np.array([5, 3, 12], dtype=np.int64)
    b = np.array([3, 6, 10], dtype=np.int64)
    for fn in (
        lambda t, x, y: x & y,
        lambda t, x, y: x | y,
        lambda t, x, y: x ^ y,
        lambda t, x, y: ~x,
    ):
        check(fn, [a, b])


@pytest.mark.parametrize(
    "fn", [lambda t, x: x & x, lambda t, x: ~x], ids=["and_float", "invert_float"]
)
def test_bitwise_on_floats_is_refused(fn):
    check_error(fn, np.array([1.0, 2.0], dtype=np.float32))


# Broadcasting errors (T8) ------------------------------------------------------------

BINARY_OPS = [
    ("add", lambda t, x, y: x + y),
    ("sub", lambda t, x, y: x - y),
    ("mul", lambda t, x, y: x * y),
    ("div", lambda t, x, y: x / y),
    ("pow", lambda t, x, y: x**y),
    ("maximum", lambda t, x, y: t.maximum(x, y)),
    ("eq", lambda t, x, y: x == y),
    ("lt", lambda t, x, y: x < y),
    ("where", lambda t, x, y: t.where(x > 0, x, y)),
]


@pytest.mark.parametrize("fn", [c[1] for c in BINARY_OPS], ids=[c[0] for c in BINARY_OPS])
def test_non_broadcastable_shapes_raise_runtime_error(fn):
    a = np.ones((3, 4), dtype=np.float32)
    b = np.ones((2, 4), dtype=np.float32)
    check_error(fn, a, b)


def test_broadcast_error_names_both_sizes_and_the_dim():
    error = check_error(lambda t, x, y: x + y, np.ones((2, 3, 4)), np.ones((5, 4)))
    message = str(error)
    assert "(3)" in message and "(5)" in message and "dimension 1" in message


def test_unsupported_operand_is_a_type_error():
    check_error(lambda t, x: x + "a", np.ones(3))


# Special values: zeros, infinities and NaNs take PyTorch's values and gradients ---------

ZERO_NAN = np.array([0.0, np.nan, 1.0, -0.0], dtype=np.float32)
SPECIAL = [
    (
        "pow_zero_base",
        lambda t, x, y: x**y,
        [np.array([0.0, 0.0, 1.0], np.float32), np.array([2.0, 0.0, 1.0], np.float32)],
    ),
    ("rpow_zero_base", lambda t, x: 0.0**x, [np.array([1.0, 2.0, 0.5], np.float32)]),
    (
        "maximum_nan",
        lambda t, x, y: t.maximum(x, y),
        [np.array([np.nan, 1.0, 2.0], np.float32), np.array([0.0, np.nan, 2.0], np.float32)],
    ),
    (
        "minimum_nan",
        lambda t, x, y: t.minimum(x, y),
        [np.array([np.nan, 1.0, 2.0], np.float32), np.array([0.0, np.nan, 2.0], np.float32)],
    ),
    ("relu_nan", lambda t, x: t.relu(x), [ZERO_NAN]),
    ("sign_nan", lambda t, x: t.sign(x), [ZERO_NAN]),
    ("abs_nan", lambda t, x: t.abs(x), [ZERO_NAN]),
    ("clamp_nan", lambda t, x: t.clamp(x, 0.5, 2), [ZERO_NAN]),
    ("sqrt_zero", lambda t, x: t.sqrt(x), [np.array([0.0, 1.0], np.float32)]),
    ("log_zero", lambda t, x: t.log(x), [np.array([0.0, 1.0], np.float32)]),
    ("sigmoid_large", lambda t, x: t.sigmoid(x), [np.array([-100.0, 100.0, 0.0], np.float32)]),
    ("tanh_large", lambda t, x: t.tanh(x), [np.array([-100.0, 100.0, 0.0], np.float32)]),
    ("exp_large", lambda t, x: t.exp(x), [np.array([100.0, -100.0], np.float32)]),
    ("round_half_to_even", lambda t, x: t.round(x), [np.array([0.5, 1.5, 2.5, -0.5], np.float32)]),
    ("isclose_nan", lambda t, x: t.isclose(x, x, equal_nan=True), [ZERO_NAN]),
]


@pytest.mark.parametrize("fn, arrays", [c[1:] for c in SPECIAL], ids=[c[0] for c in SPECIAL])
def test_special_values_match_torch(fn, arrays):
    check(fn, arrays)


# Every unary op on every dtype: the same result dtype, or the same refusal ----------------

ALL_DTYPES = ["float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]
UNARY = {
    "neg": lambda t, x: -x,
    "abs": lambda t, x: t.abs(x),
    "exp": lambda t, x: t.exp(x),
    "log1p": lambda t, x: t.log1p(x),
    "expm1": lambda t, x: t.expm1(x),
    "sqrt": lambda t, x: t.sqrt(x),
    "sin": lambda t, x: t.sin(x),
    "tanh": lambda t, x: t.tanh(x),
    "sigmoid": lambda t, x: t.sigmoid(x),
    "relu": lambda t, x: t.relu(x),
    "sign": lambda t, x: t.sign(x),
    "floor": lambda t, x: t.floor(x),
    "round": lambda t, x: t.round(x),
    "trunc": lambda t, x: t.trunc(x),
    "square": lambda t, x: t.square(x),
    "reciprocal": lambda t, x: t.reciprocal(x),
    "clamp": lambda t, x: t.clamp(x, 0, 2),
    "clamp_float": lambda t, x: t.clamp(x, 0.5),
    "invert": lambda t, x: ~x,
    "logical_not": lambda t, x: t.logical_not(x),
    "masked_fill": lambda t, x: x.masked_fill(x > 1, 0),
    "mul_by_mask": lambda t, x: x * (x > 0),
    "matmul": lambda t, x: x @ x.T,
    "dot": lambda t, x: t.dot(x[0], x[1]),
}


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("op", sorted(UNARY))
def test_unary_ops_on_every_dtype(op, dtype):
    check_outcome(UNARY[op], np.array([[0, 1, 2], [3, -1, 2]]).astype(dtype), atol=1e-2, rtol=1e-2)


@pytest.mark.parametrize("base", [-2.0, 0.0, -0.0, 3.0])
def test_number_to_the_power_of_a_tensor_has_pytorchs_gradient_for_every_base(base):
    """The exponent's gradient is base ** x * log(base): nan for a negative base, and for
    a zero base 0 where x >= 0 and an infinity where x < 0."""
    exponents = np.array([-1.0, -0.5, 0.0, 2.0], dtype=np.float32)
    check(lambda t, x: base**x, [exponents])


def test_a_number_divided_by_a_tensor_is_its_reciprocal_times_the_number():
    """As in PyTorch: ``1 / z`` saves its output, so changing z in place afterwards is
    allowed, and ``3 / x`` rounds as ``x.reciprocal() * 3`` does."""
    check(lambda t, x: (3 / x, 1 / x, t.reciprocal(x)), [(2, 5)])
    check_outcome(lambda t, x: (2 / x, t.reciprocal(x)), np.array([0, 1, 3]))

    grads = []
    for lib in (ember, torch):
        x = lib.tensor([0.5, 2.0, -4.0], requires_grad=True)
        z = x * 1
        y = 1 / z
        z.add_(1)  # y's backward reads y, not z
        y.sum().backward()
        grads.append(x.grad)
    assert_same(*grads)


# inf and nan without a word, as in PyTorch ------------------------------------------------

SILENT_INF_AND_NAN = """
import warnings
import numpy as np
import ember
warnings.simplefilter("always", append=True)  # behind ember's filter: every other warning shows
x = ember.tensor([0.0, 1.0], requires_grad=True)
ember.log(x).sum().backward()
results = [ember.tensor([1.0, 0.0]) / ember.tensor([0.0]), ember.exp(ember.tensor([1e3])), x.grad]
print([result.tolist() for result in results])
np.log(np.zeros(1))  # the user's own NumPy call keeps its warning
"""


def test_ops_give_inf_and_nan_without_numpy_warnings_and_leave_numpys_own_alone():
    """NumPy warns on log(0), x / 0 and overflow; PyTorch does not, so ember's ops do not
    either. A fresh interpreter, because the filter lives in ``warnings.filters`` from
    ``import ember`` on, and pytest imported ember inside its own ``catch_warnings``."""
    run = subprocess.run(
        [sys.executable, "-c", SILENT_INF_AND_NAN], capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "[[inf, nan], [inf], [inf, 1.0]]"
    warned = [line for line in run.stderr.splitlines() if "Warning" in line]
    assert len(warned) == 1 and "divide by zero encountered in log" in warned[0], run.stderr


def test_float16_sigmoid_is_torchs_bit_for_bit():
    """PyTorch computes a float16 sigmoid in float32 and rounds once; the tanh form in
    float16 was one float16 step off for about half of these values."""
    x = np.concatenate([np.linspace(-20, 20, 4001), [-60000.0, 60000.0, 0.0, -0.0]])
    x = x.astype(np.float16)
    ember_out = ember.sigmoid(ember.tensor(x)).numpy()
    torch_out = torch.sigmoid(torch.tensor(x)).numpy()
    assert ember_out.dtype == np.float16
    np.testing.assert_array_equal(ember_out, torch_out)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sigmoid_keeps_its_far_tail_as_torch_does(dtype):
    """0.5 + 0.5 tanh(x / 2) is 0 from x = -17 on; PyTorch's 1 / (1 + exp(-x)) is not, so
    that a hand-written logistic loss, log(sigmoid(x)), stays finite."""
    x = np.array([-745.0, -100.0, -88.0, -27.5, -17.0, -1e-8, 0.0, 0.3, 30.0, 800.0], dtype)
    ember_out = ember.sigmoid(ember.tensor(x)).numpy()
    torch_out = torch.sigmoid(torch.tensor(x)).numpy()
    np.testing.assert_allclose(ember_out, torch_out, rtol=4e-7 if dtype == "float32" else 1e-15)
    assert (ember_out[3:] > 0).all() and ember.tensor(x[3]).sigmoid().log().item() == pytest.approx(
        -27.5
    )


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_sign_of_special_values_is_torchs_bit_for_bit(dtype):
    values = [-0.0, 0.0, math.nan, -2.5, 3.0, math.inf, -math.inf, 1e-40]
    signs = [
        library.tensor(values, dtype=getattr(library, dtype)).sign().numpy().tobytes()
        for library in (torch, ember)
    ]
    assert signs[1] == signs[0]  # 0 for NaN and +0 for -0., where NumPy's sign keeps them


@pytest.mark.parametrize("dtype, large", [("float16", 1001.0), ("float32", 1e20)])
def test_the_divisors_gradient_does_not_overflow_where_its_square_would(dtype, large):
    """PyTorch takes (a / b) / b; a / (b * b) gave 0 once b * b overflowed."""
    values = np.array([3.0, -2.0, 0.5], dtype)
    divisors = np.array([large, -large, 2.0], dtype)
    check(lambda t, a, b: a / b, [values, divisors], atol=0, rtol=1e-3)


SPECIAL_BASES = [-0.0, 0.0, math.nan, math.inf, -math.inf, -1.0, 1.0, -2.5, 1e-40, -1e-20, 1e13]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("exponent", [3, 3.0, -2, -2.0])
def test_powers_3_and_minus_2_are_torchs_products_bit_for_bit(dtype, exponent):
    # C's pow (NumPy's power) rounded 3 in 10 of these one or two ulps away from PyTorch's
    # x * x * x and 1 / (x * x), and took 60 ns an element on negative bases
    array = np.concatenate([SPECIAL_BASES, np.random.default_rng(3).standard_normal(2013) * 9])
    array = array.astype(dtype).reshape(-1, 11).T  # a strided input as well
    mine = (ember.tensor(array) ** exponent).numpy()
    theirs = (torch.tensor(array) ** exponent).numpy()
    np.testing.assert_array_equal(mine, theirs)
    np.testing.assert_array_equal(np.signbit(mine), np.signbit(theirs))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_rsqrt_gradient_is_torchs_bit_for_bit(dtype):
    # its backward takes output ** 3, which C's pow rounded otherwise
    array = np.abs(np.random.default_rng(4).standard_normal(2000)).astype(dtype)
    grads = []
    for library in (ember, torch):
        x = library.tensor(array, requires_grad=True)
        library.rsqrt(x).sum().backward()
        grads.append(x.grad.numpy())
    np.testing.assert_array_equal(*grads)


@pytest.mark.parametrize("dtype", ["float16", "float32"])
@pytest.mark.parametrize("weight", [0.3, 0.7, -0.2, 1.0, "tensor"])
def test_lerp_rounds_once_as_torchs_fused_multiply_add(dtype, weight):
    # a multiply then an add rounded a quarter of float32 results one ulp or more away
    # (7512 ulps near cancellation); float16 took a float64 weight
    rng = np.random.default_rng(5)
    start, end = (rng.standard_normal(3000).astype(dtype) * 10 for _ in range(2))
    weights = rng.uniform(-1, 2, 3000).astype(dtype)
    results = []
    for library in (ember, torch):
        given = library.tensor(weights) if weight == "tensor" else weight
        results.append(library.lerp(library.tensor(start), library.tensor(end), given).numpy())
    np.testing.assert_array_equal(*results)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_sigmoid_gradient_is_torchs_wherever_the_outputs_agree(dtype):
    # grad * out * (1 - out) rounded otherwise than PyTorch's grad * (1 - out) * out: a
    # third of the gradients differed, every float16 one among them
    rng = np.random.default_rng(7)
    x = (rng.standard_normal(5000) * 4).astype(dtype)
    grad = rng.standard_normal(5000).astype(dtype)
    outputs, grads = [], []
    for library in (ember, torch):
        tensor = library.tensor(x, requires_grad=True)
        out = library.sigmoid(tensor)
        (found,) = library.autograd.grad(out, tensor, library.tensor(grad))
        outputs.append(out.detach().numpy())
        grads.append(found.numpy())
    agree = outputs[0] == outputs[1]
    assert agree.mean() > 0.5  # NumPy's exp and PyTorch's differ in the last bit elsewhere
    np.testing.assert_array_equal(grads[0][agree], grads[1][agree])
