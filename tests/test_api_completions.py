"""Small completions of PyTorch's API that the random-programs pass found missing:
movedim/moveaxis, ember.unflatten, select, the in-place unary, alias and cumulative forms,
and xlogy, each against torch (values, dtypes, shapes, gradients, node names, errors)."""

import math
import re

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error, check_gradcheck

import ember


def in_place_against_torchs_out_of_place(name):
    """torch has no derivative for the in-place inverse hyperbolic functions (backward
    raises NotImplementedError); ember's are the out-of-place ops' gradients."""
    return lambda t, x: getattr(x * 1, name if t is ember else name[:-1])()


# (name, fn, shapes, low, high): the inputs are drawn in [low, high]
CASES = [
    ("movedim", lambda t, x: t.movedim(x, 0, 2), [(2, 3, 4)], -2, 2),
    ("movedim_negative", lambda t, x: x.movedim(-1, 0), [(2, 3, 4)], -2, 2),
    ("movedim_same_place", lambda t, x: x.movedim(1, 1), [(2, 3, 4)], -2, 2),
    ("movedim_tuples", lambda t, x: t.movedim(x, (0, 1), (2, 0)), [(2, 3, 4)], -2, 2),
    ("movedim_lists", lambda t, x: x.movedim([0, -1], [-1, 0]), [(2, 3, 4)], -2, 2),
    ("movedim_nothing", lambda t, x: x.movedim((), ()), [(2, 3)], -2, 2),
    ("movedim_keywords", lambda t, x: t.movedim(x, source=1, destination=0), [(2, 3)], -2, 2),
    ("movedim_numpy_ints", lambda t, x: x.movedim(np.int64(0), np.int32(1)), [(2, 3)], -2, 2),
    ("movedim_0d", lambda t, x: t.movedim(x * 2, 0, -1), [()], -2, 2),
    ("moveaxis", lambda t, x: t.moveaxis(x, 2, 0), [(2, 3, 4)], -2, 2),
    ("moveaxis_method", lambda t, x: x.moveaxis((0, 2), (1, 0)), [(2, 3, 4)], -2, 2),
    ("unflatten_fn", lambda t, x: t.unflatten(x, 1, (3, 4)), [(2, 12)], -2, 2),
    ("unflatten_fn_minus_one", lambda t, x: t.unflatten(x, -1, [3, -1]), [(2, 12)], -2, 2),
    ("unflatten_fn_keywords", lambda t, x: t.unflatten(x, dim=0, sizes=(1, 2)), [(2, 3)], -2, 2),
    ("unflatten_of_transpose", lambda t, x: t.unflatten(x.T, 0, (3, 4)), [(2, 12)], -2, 2),
    ("unflatten_size", lambda t, x: x.unflatten(1, t.Size([2, 2])), [(3, 4)], -2, 2),
    ("select", lambda t, x: t.select(x, 1, 2), [(2, 3, 4)], -2, 2),
    ("select_method_negative", lambda t, x: x.select(-1, -4), [(2, 3, 4)], -2, 2),
    ("select_tensor_index", lambda t, x: x.select(0, t.tensor(1)), [(2, 3)], -2, 2),
    ("select_numpy_ints", lambda t, x: x.select(np.int64(1), np.int32(0)), [(2, 3)], -2, 2),
    ("asin_", lambda t, x: (x * 1).asin_(), [(3, 4)], -0.9, 0.9),
    ("acos_", lambda t, x: (x * 1).acos_(), [(3, 4)], -0.9, 0.9),
    ("atan_", lambda t, x: (x * 1).atan_(), [(3, 4)], -2, 2),
    ("sinh_", lambda t, x: (x * 1).sinh_(), [(3, 4)], -2, 2),
    ("cosh_", lambda t, x: (x * 1).cosh_(), [(3, 4)], -2, 2),
    ("asinh_", in_place_against_torchs_out_of_place("asinh_"), [(3, 4)], -2, 2),
    ("acosh_", in_place_against_torchs_out_of_place("acosh_"), [(3, 4)], 1.1, 3),
    ("atanh_", in_place_against_torchs_out_of_place("atanh_"), [(3, 4)], -0.9, 0.9),
    ("exp2_", lambda t, x: (x * 1).exp2_(), [(3, 4)], -2, 2),
    ("arcsin_", lambda t, x: (x * 1).arcsin_(), [(3, 4)], -0.9, 0.9),
    ("arccos_", lambda t, x: (x * 1).arccos_(), [(3, 4)], -0.9, 0.9),
    ("arctan_", lambda t, x: (x * 1).arctan_(), [(3, 4)], -2, 2),
    ("arcsinh_", in_place_against_torchs_out_of_place("arcsinh_"), [(3, 4)], -2, 2),
    ("arccosh_", in_place_against_torchs_out_of_place("arccosh_"), [(3, 4)], 1.1, 3),
    ("arctanh_", in_place_against_torchs_out_of_place("arctanh_"), [(3, 4)], -0.9, 0.9),
    ("absolute_", lambda t, x: (x * 1).absolute_(), [(3, 4)], -2, 2),
    ("negative_", lambda t, x: (x * 1).negative_(), [(3, 4)], -2, 2),
    ("multiply_", lambda t, x, y: (x * 1).multiply_(y), [(3, 4), (4,)], -2, 2),
    ("subtract_", lambda t, x, y: (x * 1).subtract_(y, alpha=2), [(3, 4), (3, 4)], -2, 2),
    ("divide_", lambda t, x, y: (x * 1).divide_(y), [(3, 4), (3, 4)], 0.5, 2),
    ("true_divide_", lambda t, x: (x * 1).true_divide_(3.0), [(3, 4)], -2, 2),
    ("asin_of_a_view", lambda t, x: (x * 1)[1:].asin_(), [(3, 4)], -0.9, 0.9),
    ("sinh_in_a_chain", lambda t, x: (x * 2).sinh_().cosh_() * x, [(3, 4)], -1, 1),
    ("cumsum_", lambda t, x: (x * 1).cumsum_(0), [(3, 4)], -2, 2),
    ("cumsum_negative_dim", lambda t, x: (x * 1).cumsum_(dim=-1), [(3, 4)], -2, 2),
    ("cumsum_0d", lambda t, x: (x * 1).cumsum_(0), [()], -2, 2),
    ("cumprod_", lambda t, x: (x * 1).cumprod_(1), [(3, 4)], -2, 2),
    ("cumprod_same_dtype", lambda t, x: (x * 1).cumprod_(0, dtype=x.dtype), [(3, 4)], -2, 2),
    ("cumsum_of_a_view", lambda t, x: (x * 1)[:, 1:].cumsum_(1), [(3, 4)], -2, 2),
    ("xlogy", lambda t, x, y: t.xlogy(x, y), [(3, 4), (3, 4)], 0.1, 2),
    ("xlogy_negative_x", lambda t, x, y: t.xlogy(x - 1, y), [(3, 4), (3, 4)], 0.1, 2),
    ("xlogy_broadcast", lambda t, x, y: t.xlogy(x, y), [(3, 1), (4,)], 0.1, 2),
    ("xlogy_method", lambda t, x, y: x.xlogy(y), [(3, 4), ()], 0.1, 2),
    ("xlogy_number_x", lambda t, y: t.xlogy(2.5, y), [(3, 4)], 0.1, 2),
    ("xlogy_int_number_x", lambda t, y: t.xlogy(2, y), [(3, 4)], 0.1, 2),
    ("xlogy_number_y", lambda t, x: t.xlogy(x, 3), [(3, 4)], -2, 2),
    ("xlogy_number_y_method", lambda t, x: x.xlogy(0.5), [(3, 4)], -2, 2),
    ("xlogy_", lambda t, x, y: (x * 1).xlogy_(y), [(3, 4), (4,)], 0.1, 2),
    ("xlogy_number", lambda t, x: (x * 1).xlogy_(2.0), [(3, 4)], -2, 2),
]
IDS = [case[0] for case in CASES]
ARGUMENTS = [case[1:] for case in CASES]


@pytest.mark.parametrize("fn, shapes, low, high", ARGUMENTS, ids=IDS)
def test_matches_torch(fn, shapes, low, high):
    check(fn, shapes, low=low, high=high)


@pytest.mark.parametrize("fn, shapes, low, high", ARGUMENTS, ids=IDS)
def test_gradients_match_finite_differences(fn, shapes, low, high):
    check_gradcheck(fn, shapes, low=low, high=high)


@pytest.mark.parametrize("fn, shapes, low, high", ARGUMENTS, ids=IDS)
def test_second_order_gradients(fn, shapes, low, high):
    check_gradcheck(fn, shapes, low=low, high=high, order=2)


def tensor_pair(data):
    return ember.tensor(data), torch.tensor(data)


# movedim and unflatten ---------------------------------------------------------


def test_movedim_is_a_permute_view_that_shares_memory_and_version():
    def write_through(lib):
        x = lib.arange(24.0).reshape(2, 3, 4).requires_grad_() * 1
        moved = x.movedim(0, -1)
        layout = (tuple(moved.shape), moved.stride(), moved.is_contiguous())
        name = moved.grad_fn.name()
        moved[0, 0, 1] = 100.0  # writes go through to x, and both see the new version
        return name, layout, x._version, moved._version, x.detach().numpy()

    ember_result, torch_result = write_through(ember), write_through(torch)
    assert ember_result[:4] == torch_result[:4] == ("PermuteBackward0",) + torch_result[1:4]
    np.testing.assert_array_equal(ember_result[4], torch_result[4])


def test_movedim_of_a_0d_tensor_is_an_alias_as_in_torch():
    for lib in (ember, torch):
        assert (lib.tensor(2.0, requires_grad=True) * 1).movedim(0, 0).grad_fn.name() == (
            "AliasBackward0"
        )


def test_select_is_a_view_named_as_torch_names_it():
    for lib in (ember, torch):
        x = lib.ones(2, 3, requires_grad=True) * 1
        column = x.select(1, 2)
        assert column.grad_fn.name() == "SelectBackward0"
        column[0] = 5.0
        assert float(x[0, 2]) == 5.0 and x._version == column._version == 1


def test_unflatten_is_a_view_named_as_torch_names_it():
    for lib in (ember, torch):
        x = lib.ones(2, 12, requires_grad=True) * 1
        assert lib.unflatten(x.T, 0, (3, 4)).grad_fn.name() == "ViewBackward0"
        piece = lib.unflatten(x, 1, (3, 4))
        piece[0, 0, 0] = 5.0
        assert float(x[0, 0]) == 5.0


MOVEMENT_ERRORS = [
    ("movedim_int_and_tuple", lambda t, x: x.movedim(0, (1,))),
    ("movedim_tuple_and_int", lambda t, x: t.movedim(x, (0,), 1)),
    ("movedim_lengths", lambda t, x: x.movedim((0, 1), (1,))),
    ("movedim_repeated_source", lambda t, x: x.movedim((0, 0), (1, 2))),
    ("movedim_repeated_destination", lambda t, x: x.movedim((0, 1), (1, 1))),
    ("movedim_repeated_after_wrapping", lambda t, x: x.movedim((0, -3), (1, 2))),
    ("movedim_source_out_of_range", lambda t, x: x.movedim(3, 0)),
    ("movedim_destination_out_of_range", lambda t, x: t.moveaxis(x, 0, -4)),
    ("movedim_0d_out_of_range", lambda t, x: x[0, 0, 0].movedim(1, 0)),
    ("movedim_float", lambda t, x: x.movedim(0.0, 1)),
    ("movedim_bool", lambda t, x: x.movedim(True, 1)),
    ("movedim_float_in_tuple", lambda t, x: x.movedim((0, 1.0), (1, 2))),
    ("movedim_none", lambda t, x: x.movedim(None, 1)),
    ("movedim_missing", lambda t, x: x.movedim(0)),
    ("movedim_not_a_tensor", lambda t, x: t.movedim([1.0, 2.0], 0, 0)),
    ("unflatten_int_sizes", lambda t, x: t.unflatten(x, 1, 4)),
    ("unflatten_no_sizes", lambda t, x: t.unflatten(x, 1, ())),
    ("unflatten_no_sizes_on_size_one", lambda t, x: x[:, :1].unflatten(1, ())),
    ("unflatten_product", lambda t, x: t.unflatten(x, 2, (5, -1))),
    ("unflatten_two_unknown", lambda t, x: t.unflatten(x, 2, (-1, -1))),
    ("unflatten_negative_size", lambda t, x: t.unflatten(x, 2, (2, -2))),
    ("unflatten_dim_out_of_range", lambda t, x: t.unflatten(x, 3, (2, 2))),
    ("unflatten_float_size", lambda t, x: t.unflatten(x, 2, (2.0, 2))),
    ("unflatten_bool_size", lambda t, x: t.unflatten(x, 0, (True, 2))),
    ("unflatten_float_dim", lambda t, x: t.unflatten(x, 1.0, (3, 1))),
    ("unflatten_0d", lambda t, x: t.unflatten(x[0, 0, 0], 0, (1,))),
    ("unflatten_not_a_tensor", lambda t, x: t.unflatten([1.0, 2.0], 0, (1, 2))),
    ("select_index_out_of_range", lambda t, x: x.select(1, 3)),
    ("select_negative_index_out_of_range", lambda t, x: x.select(2, -5)),
    ("select_dim_out_of_range", lambda t, x: x.select(3, 0)),
    ("select_float_index", lambda t, x: x.select(0, 1.0)),
    ("select_float_dim", lambda t, x: t.select(x, 0.0, 1)),
    ("select_bool_index", lambda t, x: x.select(0, True)),
    ("select_0d", lambda t, x: x[0, 0, 0].select(0, 0)),
    ("select_missing_index", lambda t, x: x.select(0)),
]


@pytest.mark.parametrize("fn", [c[1] for c in MOVEMENT_ERRORS], ids=[c[0] for c in MOVEMENT_ERRORS])
def test_movement_errors_match_torch(fn):
    check_error(fn, np.ones((2, 3, 4), dtype=np.float32))


# the in-place forms -------------------------------------------------------------

UNARY_IN_PLACE = (
    "asin_ acos_ atan_ sinh_ cosh_ asinh_ acosh_ atanh_ exp2_ arcsin_ arccos_ arctan_ "
    "arcsinh_ arccosh_ arctanh_"
).split()


@pytest.mark.parametrize("name", UNARY_IN_PLACE)
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_unary_in_place_on_floats_matches_torch_and_keeps_the_object(name, dtype):
    low, high = (1.1, 2.9) if name in ("acosh_", "arccosh_") else (-0.9, 0.9)
    values = np.linspace(low, high, 12)
    ember_x, torch_x = tensor_pair(values.astype(dtype))
    assert getattr(ember_x, name)() is ember_x
    getattr(torch_x, name)()
    assert_same(ember_x, torch_x, atol=1e-3 if dtype == "float16" else 1e-6)
    assert ember_x._version == torch_x._version == 1


REFUSED_ON_INTEGERS = [(name, ()) for name in UNARY_IN_PLACE] + [("xlogy_", (2,))]
REFUSED_ON_BOOLS = REFUSED_ON_INTEGERS + [("cumsum_", (0,)), ("cumprod_", (0,))]


@pytest.mark.parametrize("name, arguments", REFUSED_ON_INTEGERS)
@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8"])
def test_float_results_in_place_into_integer_tensors_are_refused(name, arguments, dtype):
    check_error(lambda t, x: getattr(x, name)(*arguments), np.ones(3, dtype=dtype))


@pytest.mark.parametrize("name, arguments", REFUSED_ON_BOOLS)
def test_in_place_on_bool_tensors_is_refused_as_in_torch(name, arguments):
    check_error(lambda t, x: getattr(x, name)(*arguments), np.ones(3, dtype=bool))


@pytest.mark.parametrize("name", UNARY_IN_PLACE + ["absolute_", "negative_"])
def test_unary_in_place_on_a_leaf_that_requires_grad_is_refused(name):
    check_error(lambda t, x: getattr(x.requires_grad_(), name)(), np.full(3, 0.5))


@pytest.mark.parametrize("name", ["cumsum_", "cumprod_"])
@pytest.mark.parametrize("dtype", ["int64", "int32", "int8", "uint8", "float16"])
def test_cumulative_in_place_keeps_the_dtype(name, dtype):
    values = (np.arange(12).reshape(3, 4) % 5 + 1).astype(dtype)
    ember_x, torch_x = tensor_pair(values)
    assert getattr(ember_x, name)(1) is ember_x
    getattr(torch_x, name)(1)
    assert_same(ember_x, torch_x)


CUMULATIVE_ERRORS = [
    ("cumsum_leaf", lambda t, x: x.requires_grad_().cumsum_(0)),
    ("cumprod_leaf", lambda t, x: x.requires_grad_().cumprod_(0)),
    ("cumsum_no_dim", lambda t, x: x.cumsum_()),
    ("cumsum_dim_out_of_range", lambda t, x: x.cumsum_(2)),
    ("cumsum_other_dtype", lambda t, x: x.cumsum_(0, dtype=t.float64)),
    ("cumprod_int_to_float", lambda t, x: x.long().cumprod_(0, dtype=t.float32)),
    ("absolute_bool", lambda t, x: x.bool().absolute_()),
    ("negative_bool", lambda t, x: x.bool().negative_()),
    ("multiply_leaf", lambda t, x: x.requires_grad_().multiply_(2)),
    ("true_divide_int", lambda t, x: x.long().true_divide_(2)),
    ("divide_broadcast", lambda t, x: x.divide_(t.ones(2, 3, 4))),
]


@pytest.mark.parametrize(
    "fn", [c[1] for c in CUMULATIVE_ERRORS], ids=[c[0] for c in CUMULATIVE_ERRORS]
)
def test_in_place_errors_match_torch(fn):
    check_error(fn, np.ones((3, 4), dtype=np.float32))


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x, y: x.atan2_(y),
        lambda t, x, y: x.fmod_(y),
        lambda t, x, y: x.xlogy_(y),
        lambda t, x, y: x.lerp_(t.zeros(3), y),
    ],
    ids=["atan2_", "fmod_", "xlogy_", "lerp_"],
)
def test_in_place_binary_when_only_the_operand_requires_grad(fn):
    """The op's backward reads self's old values: the write must not overwrite them."""
    check(lambda t, y: fn(t, t.tensor([3.0, 0.5, 2.0], dtype=y.dtype), y), [(3,)], low=0.5)


# xlogy ---------------------------------------------------------------------------

X_SPECIAL = np.array([0.0, 0.0, 0.0, 1.0, 2.0, 0.0, np.nan, -1.0, 3.0, -2.0, 0.0])
Y_SPECIAL = np.array([0.0, -1.0, np.nan, 0.0, 3.0, np.inf, 2.0, np.inf, -1.0, 0.5, 1.0])


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_xlogy_at_zeros_infinities_and_nans_and_its_gradients(dtype):
    """In float16, PyTorch's CUDA build gave x's gradient at y = 0.5 one float16 step from
    its CPU's (the H200 run, docs/gpu.md); ember rounds as the CPU does."""
    inputs = [X_SPECIAL.astype(dtype), Y_SPECIAL.astype(dtype)]
    check(lambda t, x, y: t.xlogy(x, y), inputs, torch_on_cpu=dtype == "float16")


@pytest.mark.parametrize("y", [0.0, -1.0, float("nan"), float("inf"), 2.0])
def test_xlogy_of_a_number_y_has_torchs_gradient_at_zero(y):
    """A NaN number y still gives 0 where x == 0 (a NaN tensor y gives NaN)."""
    check(lambda t, x: t.xlogy(x, y), [X_SPECIAL])


@pytest.mark.parametrize("x", [0.0, 2.0, -1])
def test_xlogy_of_a_number_x_has_torchs_gradient(x):
    check(lambda t, y: t.xlogy(x, y), [Y_SPECIAL])


DTYPES = ["float16", "float32", "float64", "int64", "int32", "uint8", "bool"]


@pytest.mark.parametrize("x_dtype", DTYPES)
@pytest.mark.parametrize("y_dtype", DTYPES)
def test_xlogy_promotes_as_torch_does(x_dtype, y_dtype):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 3, (2, 3)).astype(x_dtype)
    y = rng.integers(0, 4, (2, 3)).astype(y_dtype)
    check(lambda t, a, b: t.xlogy(a, b), [x, y], grad=False, atol=1e-3)


@pytest.mark.parametrize("number", [2, 2.5, True, np.float64(0.5)])
@pytest.mark.parametrize("dtype", ["float16", "float64", "int64", "bool"])
def test_xlogy_with_a_number_on_either_side(number, dtype):
    values = (np.arange(6).reshape(2, 3) % 3).astype(dtype)
    check(lambda t, x: t.xlogy(x, number), [values], grad=False, atol=1e-3)
    check(lambda t, y: t.xlogy(number, y), [values], grad=False, atol=1e-3)


def test_float16_xlogy_is_torchs_bit_for_bit():
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, 20000).astype(np.float16)
    y = rng.uniform(0.01, 3, 20000).astype(np.float16)
    expected = torch.xlogy(torch.tensor(x), torch.tensor(y)).numpy()
    np.testing.assert_array_equal(ember.xlogy(ember.tensor(x), ember.tensor(y)).numpy(), expected)


def test_xlogy_names_its_nodes_as_torch_does():
    for lib in (ember, torch):
        x = lib.ones(3, requires_grad=True)
        names = [lib.xlogy(x, x), lib.xlogy(2.0, x), lib.xlogy(x, 2.0), (x * 1).xlogy_(x)]
        assert [y.grad_fn.name() for y in names[:3]] == [f"XlogyBackward{n}" for n in range(3)]
        assert len(names[1].grad_fn.next_functions) == len(names[2].grad_fn.next_functions) == 1


XLOGY_ERRORS = [
    ("two_numbers", lambda t, x: t.xlogy(2, 3)),
    ("two_floats", lambda t, x: t.xlogy(2.0, 3.0)),
    ("a_list", lambda t, x: t.xlogy([1.0, 2.0], x)),
    ("none", lambda t, x: t.xlogy(x, None)),
    ("shapes", lambda t, x: t.xlogy(x, t.ones(4))),
    ("in_place_int", lambda t, x: x.long().xlogy_(2)),
    ("in_place_broadcast", lambda t, x: x.xlogy_(t.ones(2, 3))),
    ("in_place_leaf", lambda t, x: x.requires_grad_().xlogy_(2.0)),
]


@pytest.mark.parametrize("fn", [c[1] for c in XLOGY_ERRORS], ids=[c[0] for c in XLOGY_ERRORS])
def test_xlogy_errors_match_torch(fn):
    check_error(fn, np.ones(3, dtype=np.float32))


# torch.dropout ----------------------------------------------------------------------


@pytest.mark.parametrize("p, train", [(0.5, False), (0.0, True), (1.0, True)])
def test_torch_dropout_matches_torch_where_it_draws_nothing(p, train):
    check(lambda t, x: t.dropout(x, p, train), [(3, 4)])


def test_torch_dropout_keeps_or_zeroes_and_scales_each_value():
    ember.manual_seed(0)
    x = ember.ones(200, 50, requires_grad=True)
    y = ember.dropout(x, 0.25, True)
    assert set(y.unique().tolist()) == {0.0, float(np.float32(1 / 0.75))}
    theirs = torch.dropout(torch.ones(2, requires_grad=True), 0.25, True)
    assert y.grad_fn.name() == theirs.grad_fn.name()
    assert ember.dropout(x, 0.25, False) is x


@pytest.mark.parametrize("name", ["gcd_", "lcm_"])
def test_an_in_place_form_checks_the_cast_before_the_op_as_torch_does(name):
    """An int tensor given a float operand: PyTorch's RuntimeError that the result type
    cannot be cast, before gcd's own refusal of floats (a NotImplementedError)."""
    check_error(lambda t: getattr(t.tensor([1, 2]), name)(t.tensor([1.0, 2.0])))


# Sixteenth day: the complex-number API on real tensors, angle and sum_to_size ----------

REAL_NUMBER_CASES = [
    ("real_is_the_tensor", lambda t, x: x.real is x),
    ("conj_is_the_tensor", lambda t, x: x.conj() is x and t.conj(x) is x),
    ("resolves_are_the_tensor", lambda t, x: x.resolve_conj() is x and x.resolve_neg() is x),
    ("conj_physical_is_the_tensor", lambda t, x: x.conj_physical() is x),
    ("no_conj_or_neg_bit", lambda t, x: (x.is_conj(), x.is_neg())),
    ("angle", lambda t, x: x.angle().tolist()),
    ("angle_of_ints", lambda t, x: t.angle(t.tensor([1, -2])).tolist()),
    ("angle_in_float16", lambda t, x: x.detach().half().angle().tolist()),
    ("angle_node", lambda t, x: x.angle().grad_fn.name()),
    ("sum_to_size", lambda t, x: t.ones(2, 3).sum_to_size(1, 3).tolist()),
    ("sum_to_size_of_fewer_dims", lambda t, x: t.ones(2, 3).sum_to_size((3,)).tolist()),
    ("sum_to_size_of_one", lambda t, x: t.ones(2, 3).sum_to_size(1).tolist()),
]


@pytest.mark.parametrize(
    "case", [c[1] for c in REAL_NUMBER_CASES], ids=[c[0] for c in REAL_NUMBER_CASES]
)
def test_complex_number_api_on_real_tensors_as_torch(case):
    results = []
    for lib in (ember, torch):
        x = lib.tensor([1.0, -2.0, 0.0, -0.0, math.nan, -math.inf], requires_grad=True)
        results.append(case(lib, x))
    np.testing.assert_equal(results[0], results[1])


def test_imag_of_a_real_tensor_and_a_size_that_does_not_broadcast_are_refused():
    check_error(lambda t: t.ones(2).imag)
    check_error(lambda t: t.imag(t.ones(2)))
    check_error(lambda t: t.ones(2, 3).sum_to_size(2, 2))


def test_angle_and_sum_to_size_gradients():
    for lib in (ember, torch):
        x = lib.tensor([[1.0, -2.0, 3.0]], requires_grad=True)
        (x.angle().sum() + (x.expand(2, 3) * 2).sum_to_size(1, 3).sum()).backward()
        assert x.grad.tolist() == [[4.0, 4.0, 4.0]]


SCATTERS = [
    ("slice_step", lambda t, x, s: t.slice_scatter(x, s[:, :2], dim=1, start=0, end=4, step=2)),
    ("slice_rows", lambda t, x, s: t.slice_scatter(x, s[:1], start=1, end=2)),
    ("slice_negative_dim", lambda t, x, s: x.slice_scatter(s[:, :1], -1, -1)),
    ("select", lambda t, x, s: t.select_scatter(x, s[0], 0, 1)),
    ("diagonal", lambda t, x, s: t.diagonal_scatter(x, s[0, :3], 1)),
    ("diagonal_below", lambda t, x, s: x.diagonal_scatter(s[0, :2], -1)),
]


@pytest.mark.parametrize("fn", [c[1] for c in SCATTERS], ids=[c[0] for c in SCATTERS])
def test_view_scatters_match_torch_with_gradients(fn):
    check(fn, [(3, 4), (3, 4)])


def test_view_scatters_refuse_a_src_of_another_size():
    check_error(lambda t: t.slice_scatter(t.zeros(3, 4), t.ones(3, 3), dim=1, step=2))
    check_error(lambda t: t.select_scatter(t.zeros(3, 4), t.ones(3), 0, 1))
    check_error(lambda t: t.diagonal_scatter(t.zeros(3, 4), t.ones(4)))
    check_error(lambda t: t.select_scatter(t.zeros(3, 4), t.ones(4), 0, 5))


IN_PLACE_FUNCTIONS = (
    "abs_ acos_ asin_ atan_ ceil_ cos_ cosh_ exp2_ exp_ expm1_ fix_ floor_ frac_ log10_ "
    "log1p_ log2_ log_ neg_ negative_ reciprocal_ relu_ round_ rsqrt_ sigmoid_ sin_ sinh_ "
    "sqrt_ square_ tan_ tanh_ trunc_ zero_"
).split()


@pytest.mark.parametrize("name", IN_PLACE_FUNCTIONS)
def test_in_place_forms_as_top_level_functions(name):
    results = []
    for lib in (ember, torch):
        x = lib.tensor([0.25, 0.5, 0.75])
        returned = getattr(lib, name)(x)
        results.append((returned is x, x.tolist()))
    assert results[0][0] and results[1][0]
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-6)
    check_error(lambda t: getattr(t, name)(3.0))


def test_fill_clamp_and_the_complex_and_signed_tests_as_functions():
    for lib in (ember, torch):
        x = lib.ones(2)
        assert lib.fill_(x, 3) is x and x.tolist() == [3.0, 3.0]
        assert lib.clamp_(x, -1, 1).tolist() == [1.0, 1.0]
        assert lib.is_complex(x) is False and lib.is_signed(x) is True
        assert lib.is_signed(lib.ones(1, dtype=lib.uint8)) is False


# Bit shifts (seventeenth day: << and >> had no operators) ------------------------------

SHIFT_VALUES = [0, 1, -1, 5, -8, 100, -100, 127, -128]
SHIFT_PLACES = [0, 1, 3, 7, 8, 15, 16, 31, 32, 63, 64, 70, -1, -5]


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64"])
@pytest.mark.parametrize("direction", ["bitwise_left_shift", "bitwise_right_shift"])
def test_bit_shifts_match_torch_past_the_width_and_for_negative_places(dtype, direction):
    def shifted(library):
        values = library.tensor(SHIFT_VALUES).to(getattr(library, dtype))
        places = library.tensor(SHIFT_PLACES).to(getattr(library, dtype))
        grid = getattr(library, direction)(values[:, None], places[None, :])
        by_number = [getattr(values, direction)(place) for place in (0, 3, 9)]
        return grid, *by_number

    for got, want in zip(shifted(ember), shifted(torch)):
        assert_same(got, want)


def test_shift_operators_and_their_in_place_forms_match_torch():
    def scenario(library):
        x = library.tensor([1, 2, -3])
        y, z = x.clone(), x.clone()
        y <<= 2
        z.bitwise_right_shift_(1)
        bools = library.tensor([True, False]) << 1  # bool and int: int64, as in PyTorch
        return x << 1, 1 << x.abs(), x >> 1, -16 >> x.abs(), y, z, bools

    for got, want in zip(scenario(ember), scenario(torch)):
        assert_same(got, want)


@pytest.mark.parametrize(
    "case",
    [
        lambda t: t.tensor([1.0]) << 1,
        lambda t: t.tensor([1]) >> 1.5,
        lambda t: t.tensor([True]) >> t.tensor([True]),
        lambda t: t.tensor([1, 2]) << t.tensor([1, 2, 3]),
        lambda t: t.tensor([1]) << "a",
    ],
    ids=["float", "float_places", "bool_pair", "shapes", "string"],
)
def test_shift_errors_match_torch(case):
    check_error(case)


def test_bitwise_op_with_a_numpy_float_is_torchs_not_implemented_error():
    # NumPy's float32 scalar reached NumPy's own TypeError (seventeenth day)
    check_error(lambda t: t.tensor([1, 2]) & np.float32(0.5))


@pytest.mark.parametrize(
    "shape, size",
    [((2, 3), (2, 3)), ((2, 3), ()), ((), ()), ((2, 3, 4), (1, 3, 1)), ((2, 3, 4), (3, 1))],
)
def test_sum_to_size_returns_what_torch_returns(shape, size):
    # the shape-methods pass (eighteenth day): ember always gave a ViewBackward0 view
    results = []
    for lib in (torch, ember):
        x = lib.ones(shape, requires_grad=True) * 1
        out = x.sum_to_size(size)
        node = type(out.grad_fn).__name__ if lib is torch else out.grad_fn.name()
        results.append((out is x, node))
        if lib is torch:
            torch_out = out
    assert results[0] == results[1]
    assert_same(out, torch_out)


def test_sum_to_size_of_an_integer_tensor_gives_int64_as_torch():
    for size in [(), (1, 3)]:
        assert_same(
            ember.ones(2, 3, dtype=ember.int32).sum_to_size(size),
            torch.ones(2, 3, dtype=torch.int32).sum_to_size(size),
        )


def _axis_calls(t):
    A = t.arange(6.0).reshape(2, 3)
    i, j = t.tensor([[0], [1]]), t.tensor([0])
    return {
        "sort": lambda: A.sort(axis=1),
        "sort-function": lambda: t.sort(A, axis=1),
        "argsort": lambda: A.argsort(axis=1),
        "median": lambda: t.median(A, axis=1),
        "nanmedian": lambda: A.nanmedian(axis=1),
        "mode": lambda: A.mode(axis=1),
        "aminmax": lambda: A.aminmax(axis=1),
        "topk": lambda: A.topk(2, axis=1),
        "kthvalue": lambda: A.kthvalue(1, axis=1),
        "gather": lambda: t.gather(A, axis=1, index=i),
        "index_select": lambda: A.index_select(axis=0, index=t.tensor([1])),
        "quantile": lambda: A.quantile(0.5, axis=1),
        "nanquantile": lambda: A.nanquantile(0.5, axis=1),
        "repeat_interleave": lambda: A.repeat_interleave(2, axis=1),
        "narrow": lambda: A.narrow(axis=0, start=0, length=1),
        "select": lambda: t.select(A, axis=0, index=0),
        "scatter": lambda: A.scatter(axis=1, index=i, value=0.0),
        "scatter_": lambda: A.clone().scatter_(axis=1, index=i, value=0.0),
        "scatter_add": lambda: A.scatter_add(axis=1, index=i, src=A),
        "scatter_reduce": lambda: A.scatter_reduce(axis=1, index=i, src=A, reduce="sum"),
        "index_add_": lambda: A.clone().index_add_(axis=0, index=j, source=A[:1]),
        "index_copy": lambda: A.index_copy(axis=0, index=j, source=A[:1]),
        "index_fill_": lambda: A.clone().index_fill_(axis=0, index=j, value=1.0),
        "take_along_dim": lambda: A.take_along_dim(i, axis=1),
        "dim-and-axis": lambda: A.sort(1, axis=1),
    }


@pytest.mark.parametrize("name", list(_axis_calls(torch)))
def test_ops_with_a_dim_take_numpys_axis_as_torchs_do(name):
    """The book writes X.sum(axis=0); PyTorch takes axis= wherever an op has a dim."""

    def first_result(lib):
        out = _axis_calls(lib)[name]()
        return out[0] if isinstance(out, tuple) else out

    if name == "dim-and-axis":
        check_error(first_result)
    else:
        assert_same(first_result(ember), first_result(torch))


def test_tensor_with_no_arguments_is_empty():
    assert ember.Tensor().shape == torch.Tensor().shape == (0,)


# A learner's common slips: PyTorch's exception type, and a message that names the fix.
LEARNER_SLIPS = {
    "batch-dims": (lambda t: t.ones(2, 3, 4) @ t.ones(3, 4, 5), r"batch dims \[2\] and \[3\]"),
    "float-dim": (lambda t: t.ones(2, 3).sum(1.0), r"a dim must be an int, not float \(1.0\)"),
    "float-dim-in-range": (lambda t: t.ones(2).unsqueeze(1.0), "a dim must be an int"),
    "mm-of-a-vector": (
        lambda t: t.mm(t.ones(2, 3), t.ones(3)),
        r"mat2 must be a matrix, got shape \[3\]",
    ),
    "dot-dtypes": (lambda t: t.dot(t.ones(2), t.ones(2).double()), "^dot: "),
    "targets-n-by-1": (
        lambda t: t.nn.CrossEntropyLoss()(t.ones(4, 3), t.zeros(4, 1, dtype=t.int64)),
        r"shape \[4, 1\].*shape \[4\] \(y.reshape\(-1\)\)",
    ),
    "linear-of-ints": (
        lambda t: t.nn.Linear(2, 1)(t.ones(3, 2, dtype=t.int64)),
        "convert the input",
    ),
    "where-of-floats": (
        lambda t: t.where(t.ones(2), t.ones(2), t.zeros(2)),
        "but got ember.float32",
    ),
    "tensor-of-text": (lambda t: t.tensor("1.5"), "convert the text first"),
    "function-in-sequential": (
        lambda t: t.nn.Sequential(t.nn.Linear(2, 1), t.relu),
        r"relu: a function; its layer, such as nn.ReLU\(\), is a Module",
    ),
    "parameters-not-called": (
        lambda t: t.optim.SGD(t.nn.Linear(2, 1).parameters, lr=0.1),
        r"call it, model.parameters\(\)",
    ),
    "split-of-0": (lambda t: t.ones(4).split(0), "for dim 0 of size 4"),
}


@pytest.mark.parametrize("name", list(LEARNER_SLIPS))
def test_a_learners_slip_gets_torchs_error_and_a_message_that_names_the_fix(name):
    fn, message = LEARNER_SLIPS[name]
    caught = check_error(fn)
    assert re.search(message, str(caught)), str(caught)


def test_the_constants_and_first_lines_of_pytorch_programs_run():
    """Tutorials open with these; each was an AttributeError."""
    for lib in (ember, torch):
        assert (lib.inf, lib.pi, lib.e, lib.newaxis) == (math.inf, math.pi, math.e, None)
        assert math.isnan(lib.nan)
        assert lib.ones(3)[:, lib.newaxis].shape == (3, 1)
        lib.backends.cudnn.deterministic, lib.backends.cudnn.benchmark = True, False
        assert lib.backends.mps.is_available() is False
        threads = lib.get_num_threads()
        lib.set_num_threads(1)
        assert lib.get_num_threads() == 1
        lib.set_num_threads(threads)
        lib.use_deterministic_algorithms(True)
        assert lib.are_deterministic_algorithms_enabled()
        lib.use_deterministic_algorithms(False)
        lib.backends.cudnn.deterministic = False
    net = ember.nn.Linear(2, 1)
    assert ember.compile(net) is net and ember.compile(mode="reduce-overhead")(net) is net
    check_error(lambda t: t.set_num_threads(0))


def test_variable_is_a_new_leaf_sharing_the_tensors_memory():
    results = []
    for lib in (ember, torch):
        data = lib.ones(2)
        variable = lib.autograd.Variable(data, requires_grad=True)
        variable.data[0] = 5.0
        detached = lib.autograd.Variable(lib.ones(2, requires_grad=True) * 2)
        results.append((data.tolist(), variable is data, variable.is_leaf, detached.grad_fn))
    assert results[0] == results[1]
    check_error(lambda t: t.autograd.Variable([1.0, 2.0]))
    check_error(lambda t: t.autograd.Variable(t.ones(2, dtype=t.int64), requires_grad=True))


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: t.eq(input=t.ones(2), other=t.ones(2)),
        lambda t: t.ge(input=t.ones(2), other=0.5),
        lambda t: t.not_equal(input=t.ones(2), other=t.zeros(2)),
        lambda t: t.ones(2).gt(other=0),
        lambda t: t.floor_divide(input=t.ones(2) * 5, other=2),
    ],
    ids=["eq", "ge", "not_equal", "gt-method", "floor_divide"],
)
def test_comparisons_take_their_operands_by_pytorchs_names(fn):
    assert_same(fn(ember), fn(torch))


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: t.swapaxes(t.ones(2, 3), axis0=0, axis1=1),
        lambda t: t.ones(2, 3).swapaxes(axis0=0, axis1=1),
        lambda t: t.ones(2, 3).swapdims(dim0=0, dim1=1),
        lambda t: t.ones(2, 3).repeat(repeats=(2, 1)),
        lambda t: t.nn.functional.one_hot(input=t.tensor([0, 2]), num_classes=3),
    ],
    ids=["swapaxes", "swapaxes-method", "swapdims", "repeat-repeats", "one_hot-input"],
)
def test_arguments_by_pytorchs_keyword_names(fn):
    assert_same(fn(ember), fn(torch))
