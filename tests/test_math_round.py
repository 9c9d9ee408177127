"""Element-wise math and reductions against PyTorch, found by a differential round:
float16 math bit for bit, alpha and remainder edges, float16 and cumulative reductions,
and the everyday math ops PyTorch has that ember lacked (tan, atan2, lerp, cumprod...).
"""

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error, check_gradcheck, check_outcome

import ember

POSITIVE = {"low": 0.5, "high": 3.0}
UNIT = {"low": -0.9, "high": 0.9}
ABOVE_ONE = {"low": 1.1, "high": 3.0}

ALL_FLOAT16 = np.arange(1 << 16, dtype=np.uint16).view(np.float16)


def differing_bits(ember_array, torch_array):
    """How many values differ bit for bit (any two NaNs count as equal)."""
    assert ember_array.dtype == torch_array.dtype
    both_nan = np.isnan(ember_array) & np.isnan(torch_array)
    different = ember_array.view(np.uint16) != torch_array.view(np.uint16)
    return int((different & ~both_nan).sum())


# float16 math: PyTorch computes it in float32 and rounds once -------------------------

FLOAT16_UNARY = (
    "exp log log2 log10 log1p expm1 exp2 sqrt rsqrt reciprocal sin cos tan tanh sigmoid "
    "sinh cosh asin acos atan acosh atanh"
).split()


@pytest.mark.parametrize("op", FLOAT16_UNARY)
def test_float16_math_is_torchs_bit_for_bit_on_every_float16_value(op):
    ember_out = getattr(ember, op)(ember.tensor(ALL_FLOAT16)).numpy()
    torch_out = getattr(torch, op)(torch.tensor(ALL_FLOAT16)).numpy()
    assert differing_bits(ember_out, torch_out) == 0


@pytest.mark.parametrize("op", ["tanh", "sigmoid"])
def test_float16_tanh_and_sigmoid_gradients_are_torchs_bit_for_bit(op):
    """PyTorch's kernels for these two gradients work in float32 and round once; tanh's
    1 - out * out in float16 steps was off by up to 16 ulps (4,214 values)."""
    upstream = np.random.default_rng(0).standard_normal(ALL_FLOAT16.size).astype(np.float16)
    grads = []
    for lib in (ember, torch):
        x = lib.tensor(ALL_FLOAT16, requires_grad=True)
        getattr(lib, op)(x).backward(lib.tensor(upstream))
        grads.append(x.grad.numpy())
    assert differing_bits(*grads) == 0


def test_float16_asinh_differs_only_where_torchs_float32_asinh_is_not_correctly_rounded():
    """258.5 and 54848 (and their negatives): PyTorch's float32 asinh lands on a float16
    tie there, which NumPy's functions do not reproduce."""
    ember_out = ember.asinh(ember.tensor(ALL_FLOAT16)).numpy()
    torch_out = torch.asinh(torch.tensor(ALL_FLOAT16)).numpy()
    assert differing_bits(ember_out, torch_out) == 4


@pytest.mark.parametrize("decimals", [1, 2, 3, -1, -2])
def test_float16_round_with_decimals_is_torchs_bit_for_bit(decimals):
    ember_out = ember.round(ember.tensor(ALL_FLOAT16), decimals=decimals).numpy()
    torch_out = torch.round(torch.tensor(ALL_FLOAT16), decimals=decimals).numpy()
    assert differing_bits(ember_out, torch_out) == 0


@pytest.mark.parametrize("op, off", [("atan2", 1), ("hypot", 0)])
def test_float16_binary_math_is_torchs_bit_for_bit(op, off):
    """atan2 is off for one value of these 100,000, where PyTorch's float32 atan2 is not
    correctly rounded (NumPy's own float16 atan2 is off for 5)."""
    rng = np.random.default_rng(0)
    a, b = rng.uniform(-100, 100, (2, 100_000)).astype(np.float16)
    ember_out = getattr(ember, op)(ember.tensor(a), ember.tensor(b)).numpy()
    torch_out = getattr(torch, op)(torch.tensor(a), torch.tensor(b)).numpy()
    assert differing_bits(ember_out, torch_out) == off


@pytest.mark.parametrize("op", ["log2", "log10"])
def test_float64_log2_and_log10_are_torchs_bit_for_bit(op):
    """They were log(x) / log(2) (two roundings): a third of the values were a bit off."""
    x = np.exp(np.random.default_rng(0).uniform(-50, 50, 10_000))
    ember_out = getattr(ember, op)(ember.tensor(x)).numpy()
    torch_out = getattr(torch, op)(torch.tensor(x)).numpy()
    np.testing.assert_array_equal(ember_out, torch_out)


def test_float16_reductions_add_in_float32_as_torch_does():
    """NumPy adds float16 rows (a sum over dim 0) and cumulative sums in float16."""
    x = np.random.default_rng(0).uniform(-3, 3, (37, 53)).astype(np.float16)
    reductions = [
        lambda t, a: a.sum(0),
        lambda t, a: a.cumsum(1),
        lambda t, a: a.cumsum(0),
        lambda t, a: a.var(0),
        lambda t, a: a.std(1),
        lambda t, a: t.var_mean(a, 0)[0],
        lambda t, a: (a / 8 + 1).cumprod(1),
    ]
    for reduce in reductions:
        ember_out = reduce(ember, ember.tensor(x)).numpy()
        torch_out = reduce(torch, torch.tensor(x)).numpy()
        assert differing_bits(ember_out, torch_out) == 0


@pytest.mark.parametrize("op", ["cumsum", "cumprod"])
@pytest.mark.parametrize("dim", [0, 1])
def test_float32_cumulative_ops_accumulate_in_float64_as_torch_does(op, dim):
    x = np.random.default_rng(0).uniform(0.5, 1.5, (37, 53)).astype(np.float32)
    ember_out = getattr(ember.tensor(x), op)(dim).numpy()
    torch_out = getattr(torch.tensor(x), op)(dim).numpy()
    np.testing.assert_array_equal(ember_out, torch_out)


# Arithmetic edges -----------------------------------------------------------------------

ALPHA_CASES = [
    ("uint8_other", lambda t, x, y: t.add(x, y, alpha=2), np.array([2.5]), np.array([200], "u1")),
    ("float_other", lambda t, x, y: t.sub(2.5, y, alpha=3), np.array([0.0]), np.array([200], "u1")),
    (
        "bool_pair",
        lambda t, x, y: t.add(x, y, alpha=2),
        np.array([True, False]),
        np.array([True, True]),
    ),
    (
        "bool_number",
        lambda t, x, y: t.add(x, True, alpha=2),
        np.array([True, False]),
        np.array([1]),
    ),
    (
        "bool_zero_alpha",
        lambda t, x, y: t.add(x, y, alpha=0),
        np.array([True, False]),
        np.array([True, True]),
    ),
    (
        "int8_bool",
        lambda t, x, y: t.add(x, y, alpha=3),
        np.array([1, -2], "i1"),
        np.array([True, False]),
    ),
    (
        "float16_int8",
        lambda t, x, y: t.add(x, y, alpha=0.5),
        np.array([1.5], "f2"),
        np.array([3], "i1"),
    ),
]


@pytest.mark.parametrize("fn, x, y", [c[1:] for c in ALPHA_CASES], ids=[c[0] for c in ALPHA_CASES])
def test_alpha_scales_other_in_the_result_type(fn, x, y):
    check_outcome(fn, x, y)


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x, y: t.add(x, y, alpha=0.5),
        lambda t, x, y: t.sub(x, y, alpha=1.5),
        lambda t, x, y: t.add(x.bool(), y.bool(), alpha=0.5),
        lambda t, x, y: t.sub(x.bool(), y.bool(), alpha=2),
        lambda t, x, y: t.sub(x.float(), y.bool(), alpha=2),
    ],
)
def test_alpha_refusals_match_torch(fn):
    error = check_error(fn, np.array([1, 2]), np.array([3, 0]))
    assert str(error)


def test_alpha_gradient_flows_to_both_operands():
    check(lambda t, x, y: t.add(x, y, alpha=-2.5), [(3, 4), (4,)])
    check(lambda t, x, y: t.sub(x, y, alpha=0.5), [(3, 1), (3, 4)])


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: x % 2,
        lambda t, x: x % -2,
        lambda t, x: x % 2.5,
        lambda t, x: t.remainder(x, t.tensor(-2.0)),
        lambda t, x: t.remainder(x, x.flip(0)),
        lambda t, x: 4 % x,
        lambda t, x: x % float("inf"),
    ],
)
def test_float_remainder_gives_torchs_signed_zeros(fn):
    """A zero remainder has the dividend's sign in PyTorch (``-4.0 % 2`` is -0.0)."""
    x = np.array([-4.0, 4.0, -3.0, 0.0, -0.0, 5.5, -5.5, np.inf, np.nan, 2.0], "f4")
    ember_out = fn(ember, ember.tensor(x)).numpy()
    torch_out = fn(torch, torch.tensor(x)).numpy()
    np.testing.assert_array_equal(ember_out, torch_out)
    np.testing.assert_array_equal(np.signbit(ember_out), np.signbit(torch_out))


@pytest.mark.parametrize("decimals", [0, 1, -1])
@pytest.mark.parametrize("dtype", ["int64", "int8", "uint8"])
def test_round_with_decimals_refuses_integers_as_torch_does(decimals, dtype):
    """Without decimals an integer tensor rounds to itself; with them (even 0) PyTorch has
    no kernel, where ember rounded 127 to -126 in int8."""
    x = np.array([1, 25, 127]).astype(dtype)
    check_outcome(lambda t, x: t.round(x), x)
    check_outcome(lambda t, x: t.round(x, decimals=decimals), x)


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: t.log2(x),
        lambda t, x: t.log10(x),
        lambda t, x: t.rsqrt(x),
        lambda t, x: t.log1p(x),
        lambda t, x: t.round(x, decimals=1),
        lambda t, x: t.round(x, decimals=0),
        lambda t, x: x % x,
        lambda t, x: x % 2,
        lambda t, x: x.prod(1),
        lambda t, x: x.prod(),
        lambda t, x: t.fmod(x, 2),
        lambda t, x: t.fmod(x, x),
        lambda t, x: t.lerp(x, x * 2, 0.3),
        lambda t, x: t.lerp(x, x * 2, x),
        lambda t, x: t.nansum(x),
        lambda t, x: t.cumprod(x, 0),
        lambda t, x: t.atan2(x, x),
        lambda t, x: t.tan(x),
        lambda t, x: t.frac(x),
    ],
)
def test_grad_fn_names_match_torch(fn):
    names = []
    for lib in (ember, torch):
        x = lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
        names.append(fn(lib, x).grad_fn.name())
    assert names[0] == names[1]


@pytest.mark.parametrize("op", ["all", "any"])
@pytest.mark.parametrize("dim", [(), []])
def test_all_and_any_over_no_dims_reduce_nothing(op, dim):
    check_outcome(lambda t, x: getattr(t, op)(x, dim=dim), np.array([[0, 2], [3, 0]]))
    check_outcome(lambda t, x: getattr(x, op)(dim), np.array([[0, 2], [3, 0]], "u1"))


# Ops that ember lacked: forward, dtype and gradients against torch ------------------------

# (name, fn, shapes, input range)
NEW_OPS = [
    ("tan", lambda t, x: t.tan(x), [(3, 4)], UNIT),
    ("sinh", lambda t, x: t.sinh(x), [(3, 4)], {}),
    ("cosh", lambda t, x: x.cosh(), [(3, 4)], {}),
    ("asin", lambda t, x: t.asin(x), [(3, 4)], UNIT),
    ("arcsin", lambda t, x: t.arcsin(x), [(3, 4)], UNIT),
    ("acos", lambda t, x: x.acos(), [(3, 4)], UNIT),
    ("atan", lambda t, x: t.arctan(x), [(3, 4)], {}),
    ("asinh", lambda t, x: t.asinh(x), [(3, 4)], {}),
    ("acosh", lambda t, x: t.arccosh(x), [(3, 4)], ABOVE_ONE),
    ("atanh", lambda t, x: x.atanh(), [(3, 4)], UNIT),
    ("exp2", lambda t, x: t.exp2(x), [(3, 4)], {}),
    ("frac", lambda t, x: t.frac(x * 3), [(3, 4)], {}),
    ("fix", lambda t, x: t.fix(x * 3), [(3, 4)], {}),
    ("rsqrt", lambda t, x: x.rsqrt(), [(3, 4)], POSITIVE),
    ("atan2", lambda t, x, y: t.atan2(x, y), [(3, 4), (4,)], {}),
    ("arctan2_method", lambda t, x, y: x.arctan2(y), [(3, 1), (3, 4)], {}),
    ("fmod_tensor", lambda t, x, y: t.fmod(x, y), [(3, 4), (4,)], POSITIVE),
    ("fmod_number", lambda t, x: t.fmod(x * 3, -1.5), [(3, 4)], {}),
    ("fmax", lambda t, x, y: t.fmax(x, y), [(3, 4), (3, 1)], {}),
    ("fmin", lambda t, x, y: x.fmin(y), [(3, 4), (4,)], {}),
    ("hypot", lambda t, x, y: t.hypot(x, y), [(3, 4), (3, 4)], {}),
    ("lerp_number", lambda t, x, y: t.lerp(x, y, 0.3), [(3, 4), (3, 4)], {}),
    ("lerp_far_weight", lambda t, x, y: x.lerp(y, 0.8), [(3, 4), (4,)], {}),
    ("lerp_tensor", lambda t, x, y, w: t.lerp(x, y, w), [(3, 4), (3, 4), (4,)], {}),
    ("addcmul", lambda t, x, y, z: t.addcmul(x, y, z, value=-1.5), [(3, 4), (4,), (3, 1)], {}),
    ("addcdiv", lambda t, x, y, z: x.addcdiv(y, z, value=0.5), [(3, 4), (3, 4), (4,)], POSITIVE),
    ("clamp_min", lambda t, x: t.clamp_min(x, 0.5), [(3, 4)], {}),
    ("clamp_max_tensor", lambda t, x, y: x.clamp_max(y), [(3, 4), (4,)], {}),
    ("cumprod", lambda t, x: t.cumprod(x, 1), [(3, 4)], {}),
    ("cumprod_dim0", lambda t, x: x.cumprod(dim=0), [(3, 4)], {}),
    ("cumprod_0d", lambda t, x: t.cumprod(x, 0), [()], {}),
    ("nansum", lambda t, x: t.nansum(x), [(3, 4)], {}),
    ("nansum_dims", lambda t, x: x.nansum((0, 2), keepdim=True), [(2, 3, 4)], {}),
    ("nanmean", lambda t, x: t.nanmean(x, 1), [(3, 4)], {}),
    ("diff", lambda t, x: t.diff(x), [(3, 4)], {}),
    ("diff_twice_dim0", lambda t, x: x.diff(n=2, dim=0), [(4, 3)], {}),
    (
        "diff_prepend_append",
        lambda t, x, p: t.diff(x, dim=1, prepend=p, append=x),
        [(3, 4), (3, 2)],
        {},
    ),
    ("var_mean", lambda t, x: t.var_mean(x, 1), [(3, 4)], {}),
    ("std_mean", lambda t, x: t.std_mean(x, (0, 1), correction=0, keepdim=True), [(3, 4)], {}),
]


@pytest.mark.parametrize(
    "fn, shapes, bounds", [c[1:] for c in NEW_OPS], ids=[c[0] for c in NEW_OPS]
)
def test_new_ops_match_torch(fn, shapes, bounds):
    check(fn, shapes, **bounds)


@pytest.mark.parametrize(
    "fn, shapes, bounds", [c[1:] for c in NEW_OPS], ids=[c[0] for c in NEW_OPS]
)
def test_new_ops_gradients_match_finite_differences(fn, shapes, bounds):
    check_gradcheck(fn, shapes, **bounds)


SECOND_ORDER = {"tan", "sinh", "asin", "atan", "acosh", "exp2", "atan2", "hypot", "lerp_tensor"}


@pytest.mark.parametrize(
    "fn, shapes, bounds",
    [c[1:] for c in NEW_OPS if c[0] in SECOND_ORDER],
    ids=[c[0] for c in NEW_OPS if c[0] in SECOND_ORDER],
)
def test_new_ops_second_order_gradients(fn, shapes, bounds):
    check_gradcheck(fn, shapes, order=2, **bounds)


EDGE_GRADIENTS = [
    (
        "cumprod_zeros",
        lambda t, x: x.cumprod(1),
        [np.array([[1.0, 0.0, 3.0, 2.0], [0.0, 2, 0, 2]])],
    ),
    ("cumprod_zeros_dim0", lambda t, x: x.cumprod(0), [np.array([[1.0, 0.0], [0.0, 2], [3, 0]])]),
    ("nansum_nan", lambda t, x: x.nansum(1), [np.array([[1.0, np.nan], [np.nan, np.nan]])]),
    ("nanmean_nan", lambda t, x: x.nanmean(1), [np.array([[1.0, np.nan, 3.0], [np.nan] * 3])]),
    (
        "fmax_nan_ties",
        lambda t, x, y: t.fmax(x, y),
        [np.array([1.0, np.nan, 2, np.nan]), np.array([np.nan, 1.0, 2, np.nan])],
    ),
    (
        "fmin_nan_ties",
        lambda t, x, y: t.fmin(x, y),
        [np.array([1.0, np.nan, 2, np.nan]), np.array([np.nan, 1.0, 2, np.nan])],
    ),
    ("atan2_origin", lambda t, x, y: t.atan2(x, y), [np.array([0.0, 3.0]), np.array([0.0, -4.0])]),
    (
        "lerp_weight_one",
        lambda t, x, y: t.lerp(x, y, 1.0),
        [np.array([0.1, 1e8]), np.array([0.3, -1.0])],
    ),
]


@pytest.mark.parametrize(
    "fn, arrays", [c[1:] for c in EDGE_GRADIENTS], ids=[c[0] for c in EDGE_GRADIENTS]
)
def test_new_ops_edge_gradients_match_torch(fn, arrays):
    check(fn, arrays, dtype="float64")


ALL_DTYPES = ["float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]
BY_DTYPE = {
    "tan": lambda t, x: t.tan(x),
    "exp2": lambda t, x: t.exp2(x),
    "frac": lambda t, x: t.frac(x),
    "atan2": lambda t, x: t.atan2(x, x.flip(0)),
    "fmod": lambda t, x: t.fmod(x, 3),
    "fmod_by_zero": lambda t, x: t.fmod(x, x * 0),
    "fmax": lambda t, x: t.fmax(x, x.flip(1)),
    "hypot": lambda t, x: t.hypot(x, x),
    "lerp": lambda t, x: t.lerp(x, x.flip(0), 0.25),
    "addcmul": lambda t, x: t.addcmul(x, x, x, value=2),
    "addcmul_float_value": lambda t, x: t.addcmul(x, x, x, value=0.5),
    "addcdiv": lambda t, x: t.addcdiv(x, x, x.flip(0) + 1),
    "clamp_min": lambda t, x: t.clamp_min(x, 1),
    "clamp_max": lambda t, x: t.clamp_max(x, 1.5),
    "cumprod": lambda t, x: t.cumprod(x, 1),
    "nansum": lambda t, x: t.nansum(x, 0),
    "nanmean": lambda t, x: t.nanmean(x),
    "diff": lambda t, x: t.diff(x),
    "var_mean": lambda t, x: t.var_mean(x),
    "remainder": lambda t, x: x % 3,
}


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("op", sorted(BY_DTYPE))
def test_new_ops_on_every_dtype(op, dtype):
    check_outcome(
        BY_DTYPE[op], np.array([[0, 1, 2], [3, -1, 2]]).astype(dtype), atol=1e-2, rtol=1e-2
    )


def test_diff_edges_match_torch():
    for fn in [
        lambda t, x: t.diff(x, n=0),
        lambda t, x: t.diff(x, n=5),
        lambda t, x: t.diff(x, n=-1),
        lambda t, x: t.diff(x[0, 0]),
        lambda t, x: t.diff(x[:, :0]),
        lambda t, x: t.diff(x.bool()),
    ]:
        check_outcome(fn, np.array([[1.0, 4.0, 2.0], [0.0, 3.0, 3.0]]))


def test_lerp_refuses_mixed_dtypes_as_torch_does():
    x = np.array([1.0, 2.0], "f4")
    check_error(lambda t, a, b: t.lerp(a, b, 0.5), x, np.array([3, 4]))
    check_error(lambda t, a, b: t.lerp(a, b, 0.5), x, x.astype("f8"))
    check_error(lambda t, a, b: t.lerp(a, a, b), x, x.astype("f8"))
    check_outcome(lambda t, a: t.lerp(a, a * 2, t.tensor(0.5, dtype=t.float64)), x)


def test_function_forms_refuse_what_is_not_a_tensor():
    x = np.array([1.0, 2.0])
    for fn in [
        lambda t, a: t.atan2(a, 2.0),
        lambda t, a: t.hypot(a, 2.0),
        lambda t, a: t.fmax(a, 1.0),
        lambda t, a: t.tan([1.0, 2.0]),
        lambda t, a: t.cumprod(3.0, 0),
    ]:
        check_error(fn, x, error=TypeError)


IN_PLACE = (
    "floor_ ceil_ round_ trunc_ fix_ frac_ sign_ sin_ cos_ tan_ reciprocal_ rsqrt_ square_ "
    "log1p_ expm1_ log2_ log10_"
).split()


@pytest.mark.parametrize("method", IN_PLACE)
def test_more_in_place_math_methods_keep_the_tensor(method):
    x = np.array([0.5, 1.5, 2.25, 3.75], "f4")
    results = []
    for lib in (ember, torch):
        tensor = lib.tensor(x)
        returned = getattr(tensor, method)()
        assert returned is tensor
        results.append(tensor)
    assert_same(*results)


IN_PLACE_WITH_ARGUMENTS = [
    lambda t, x: x.round_(decimals=1),
    lambda t, x: x.clamp_min_(0.0),
    lambda t, x: x.clamp_max_(1.0),
    lambda t, x: x.fmod_(1.0),
    lambda t, x: x.atan2_(x.flip(0)),
    lambda t, x: x.arctan2_(t.ones(3)),
    lambda t, x: x.hypot_(x),
    lambda t, x: x.lerp_(x * 2, 0.25),
    lambda t, x: x.addcmul_(x, x, value=0.5),
    lambda t, x: x.addcdiv_(x, x.flip(0), value=2),
]


@pytest.mark.parametrize("fn", IN_PLACE_WITH_ARGUMENTS)
def test_more_in_place_methods_with_arguments(fn):
    x = np.array([0.55, -1.25, 2.75], "f4")
    results = []
    for lib in (ember, torch):
        tensor = lib.tensor(x)
        assert fn(lib, tensor) is tensor
        results.append(tensor)
    assert_same(*results)


def test_in_place_float_math_on_an_integer_tensor_is_refused():
    check_error(lambda t, x: x.atan2_(x), np.array([1, 2]))
    check_error(lambda t, x: x.lerp_(x, 0.5), np.array([1, 2]))


# Argument types, found by a sweep of scalar arguments (nineteenth day) ----------------


@pytest.mark.parametrize(
    "call",
    [
        lambda t, x: t.round(x, decimals=1.0),
        lambda t, x: t.round(x, decimals=True),
        lambda t, x: x.round(decimals=2.5),
        lambda t, x: t.diff(x, n=True),
        lambda t, x: t.diff(x, n=1.0),
    ],
    ids=["round_float", "round_bool", "round_method_float", "diff_bool", "diff_float"],
)
def test_round_decimals_and_diff_n_must_be_ints_as_in_torch(call):
    error = check_error(call, np.array([1.25, -2.5, 3.0], dtype=np.float32))
    assert isinstance(error, TypeError)


def test_round_decimals_and_diff_n_take_an_integer_tensor_as_torch():
    check(lambda t, x: t.round(x, decimals=t.tensor(1)), [(4,)])
    check(lambda t, x: t.diff(x, n=t.tensor(1)), [(4,)])


@pytest.mark.parametrize("weight_dtype", ["float16", "float32", "float64", "bool"])
@pytest.mark.parametrize(
    "ends",
    [
        ("int64", (3,)),
        ("uint8", (3,)),
        ("bool", (3,)),
        ("float16", (3,)),
        ("float32", ()),
        ("float16", ()),
    ],
)
def test_a_0d_weight_takes_part_in_lerps_result_dtype_as_in_torch(ends, weight_dtype):
    """Integer ends with a 0-d float weight give floats; 0-d float16 ends with a 0-d
    float32 weight give float32 (ember cast the weight to the ends' dtype)."""
    dtype, shape = ends
    start = np.full(shape, 1, dtype=dtype)
    end = np.full(shape, 3, dtype=dtype)
    weight = np.array(0.5 if weight_dtype != "bool" else True, dtype=weight_dtype)
    check_outcome(lambda t, a, b, w: t.lerp(a, b, w), start, end, weight)


def test_a_0d_weight_of_another_float_dtype_gets_its_gradient_in_its_own_dtype():
    check(
        lambda t, a, b, w: t.lerp(a, b, w.double()),
        [(3,), (3,), ()],
    )


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: t.addcmul(t.ones(2), t.ones(2), 2.5),
        lambda t: t.addcmul(t.ones(2), 2.5, t.ones(2)),
        lambda t: t.addcdiv(t.ones(2), t.ones(2), 2.5),
        lambda t: t.ones(2).addcmul_(t.ones(2), 2),
    ],
    ids=["tensor2", "tensor1", "addcdiv", "in-place"],
)
def test_addcmul_and_addcdiv_take_no_number_for_a_tensor(fn):
    """The number has its own argument, value=; PyTorch refuses one in a tensor's place."""
    check_error(fn)
