"""Statistics and searching against torch: median, nanmedian, quantile, nanquantile, mode,
aminmax, cummax, cummin, logcumsumexp, bincount, histc, searchsorted, bucketize, isin and
unique_consecutive (values, indices, dtypes, shapes, gradients, node names and errors)."""

import numpy as np
import pytest
import torch
from oracle import (
    assert_same,
    check,
    check_error,
    check_gradcheck,
    check_outcome,
    skip_before_torch_2_13,
)

import ember
from ember import backend

NAN, INF = float("nan"), float("inf")


def points(x, *values):
    """A 1-d tensor of quantiles in the input's dtype."""
    return x.new_tensor(values)


# The cases that take aminmax's gradient (or, on CUDA, keep an all-reduce's dims), which
# torch before 2.13 cannot be the oracle for.
AMINMAX_GRADIENTS = {
    "aminmax_max",
    "aminmax_min_all_keepdim",
    "aminmax_min_grad",
    "aminmax_all_max_grad",
    "aminmax_min",
    "aminmax_dim_max",
}


def skip_aminmax_before_torch_2_13(name):
    if name in AMINMAX_GRADIENTS:
        skip_before_torch_2_13("has no aminmax derivative")


# (name, fn, shapes): forward and backward against torch, on distinct random values
CASES = [
    ("median_all", lambda t, x: x.median(), [(3, 5)]),
    ("median_all_even", lambda t, x: t.median(x), [(4, 6)]),
    ("median_dim", lambda t, x: t.median(x, 1), [(3, 6)]),
    ("median_dim_values", lambda t, x: x.median(0).values, [(4, 3)]),
    ("median_dim_keepdim", lambda t, x: t.median(x, -1, keepdim=True).values, [(2, 3, 4)]),
    ("median_0d_dim", lambda t, x: t.median(x, 0).values, [()]),
    ("nanmedian_all", lambda t, x: x.nanmedian(), [(3, 5)]),
    ("nanmedian_dim", lambda t, x: t.nanmedian(x, dim=0).values, [(4, 3)]),
    ("quantile_all", lambda t, x: t.quantile(x, 0.3), [(3, 5)]),
    (
        "quantile_points_dim",
        lambda t, x: t.quantile(x, points(x, 0.0, 0.25, 0.9, 1.0), 1),
        [(3, 6)],
    ),
    (
        "quantile_keepdim",
        lambda t, x: x.quantile(points(x, 0.5, 0.1), dim=0, keepdim=True),
        [(4, 3)],
    ),
    ("quantile_all_keepdim", lambda t, x: t.quantile(x, points(x, 0.7), keepdim=True), [(2, 3)]),
    ("quantile_0d_q", lambda t, x: t.quantile(x, x.new_tensor(0.6), dim=-1), [(3, 4)]),
    ("quantile_0d_input", lambda t, x: t.quantile(x, points(x, 0.2, 0.4), 0, True), [()]),
    ("quantile_lower", lambda t, x: t.quantile(x, 0.4, 1, interpolation="lower"), [(3, 6)]),
    ("quantile_higher", lambda t, x: t.quantile(x, 0.4, 1, interpolation="higher"), [(3, 6)]),
    ("quantile_midpoint", lambda t, x: t.quantile(x, 0.45, interpolation="midpoint"), [(3, 6)]),
    (
        "quantile_nearest",
        lambda t, x: t.quantile(x, points(x, 0.125, 0.375), interpolation="nearest"),
        [(5,)],
    ),
    ("nanquantile_dim", lambda t, x: t.nanquantile(x, points(x, 0.3, 0.8), dim=0), [(5, 2)]),
    ("mode_dim", lambda t, x: t.mode((x * 2).round(), 1), [(4, 9)]),
    ("mode_values", lambda t, x: x.mode(0, keepdim=True).values, [(3, 4)]),
    ("aminmax_all", lambda t, x: t.aminmax(x), [(3, 4)]),
    ("aminmax_dim", lambda t, x: x.aminmax(dim=1), [(3, 4)]),
    ("aminmax_max", lambda t, x: t.aminmax(x, dim=0, keepdim=True).max, [(3, 4)]),
    ("aminmax_min_all_keepdim", lambda t, x: t.aminmax(x, keepdim=True).min, [(3, 4)]),
    ("cummax", lambda t, x: t.cummax(x, 1), [(3, 5)]),
    ("cummax_values", lambda t, x: x.cummax(0).values, [(4, 3)]),
    ("cummin_values", lambda t, x: t.cummin(x, dim=-1).values, [(2, 3, 4)]),
    ("cummax_0d", lambda t, x: x.cummax(0).values, [()]),
    ("logcumsumexp", lambda t, x: t.logcumsumexp(x, 1), [(3, 5)]),
    ("logcumsumexp_method", lambda t, x: x.logcumsumexp(dim=0), [(4, 3)]),
    ("logcumsumexp_3d", lambda t, x: x.logcumsumexp(-2), [(2, 3, 4)]),
    ("logcumsumexp_0d", lambda t, x: t.logcumsumexp(x, 0), [()]),
]


@pytest.mark.parametrize("name, fn, shapes", CASES, ids=[c[0] for c in CASES])
def test_matches_torch(name, fn, shapes):
    skip_aminmax_before_torch_2_13(name)
    check(fn, shapes)


@pytest.mark.parametrize("name, fn, shapes", CASES, ids=[c[0] for c in CASES])
def test_float64_matches_torch(name, fn, shapes):
    skip_aminmax_before_torch_2_13(name)
    check(lambda t, x: fn(t, x.double()), shapes, atol=1e-12, rtol=1e-12)


GRADIENTS = [
    ("median_all", lambda t, x: x.median(), [(3, 5)]),
    ("median_dim", lambda t, x: x.median(1).values, [(3, 5)]),
    ("nanmedian_dim", lambda t, x: t.nanmedian(x, 0, True).values, [(4, 3)]),
    ("quantile", lambda t, x: t.quantile(x, t.tensor([0.2, 0.9], dtype=t.float64), 1), [(3, 5)]),
    (
        "nanquantile_midpoint",
        lambda t, x: x.nanquantile(0.3, 0, interpolation="midpoint"),
        [(3, 5)],
    ),
    ("aminmax", lambda t, x: t.aminmax(x, dim=0).min * t.aminmax(x).max, [(3, 4)]),
    ("cummax", lambda t, x: t.cummax(x, 1).values, [(3, 5)]),
    ("cummin", lambda t, x: x.cummin(0).values, [(4, 3)]),
    ("logcumsumexp", lambda t, x: t.logcumsumexp(x, 1), [(3, 5)]),
    ("logcumsumexp_wide_range", lambda t, x: t.logcumsumexp(x * 30, 0), [(6, 2)]),
]


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in GRADIENTS], ids=[c[0] for c in GRADIENTS])
def test_gradients_match_finite_differences(fn, shapes):
    check_gradcheck(fn, shapes)


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in GRADIENTS], ids=[c[0] for c in GRADIENTS])
def test_second_order_gradients(fn, shapes):
    check_gradcheck(fn, shapes, order=2)


def test_quantile_gradient_reaches_q_through_the_interpolation():
    check_gradcheck(lambda t, x, p: t.quantile(x, p.clamp(0, 1)), [(7,), np.array([0.3, 0.55])])
    for lib in (ember, torch):
        x = lib.tensor([[3.0, 1.0, 2.0, 2.0], [5.0, 4.0, 1.0, 0.0]], requires_grad=True)
        points = lib.tensor([0.3, 0.7], requires_grad=True)
        lib.quantile(x, points, dim=1).sum().backward()
        if lib is ember:
            ember_grads = (x.grad, points.grad)
    assert_same(ember_grads, (x.grad, points.grad))


# Ties, NaN and the index each op returns ----------------------------------------------

TIED = np.array(
    [[2, 1, 2, 1, 3, 3], [5, 5, 5, 5, 5, 5], [1, 2, 1, 2, 0, 2], [0, 4, 4, 0, 1, 1]], np.float32
)
WITH_NAN = np.array(
    [[1, NAN, 2, 2, 0, 3], [NAN, 1, NAN, 1, 4, NAN], [NAN] * 6, [3, 1, 1, NAN, 2, 1]], np.float32
)
TIE_AND_NAN_CASES = [
    ("median_all", lambda t, x: x.median()),
    ("median_dim", lambda t, x: x.median(1)),
    ("median_dim0", lambda t, x: t.median(x, 0)),
    ("median_dim_grad", lambda t, x: x.median(1).values),
    ("nanmedian_all", lambda t, x: t.nanmedian(x)),
    ("nanmedian_dim", lambda t, x: x.nanmedian(1)),
    ("nanmedian_dim_grad", lambda t, x: x.nanmedian(-1).values),
    ("quantile_dim", lambda t, x: t.quantile(x, points(x, 0.1, 0.5, 0.7, 1.0), 1)),
    ("quantile_lower", lambda t, x: t.quantile(x, 0.35, 1, interpolation="lower")),
    ("quantile_nearest", lambda t, x: t.quantile(x, 0.5, 0, interpolation="nearest")),
    ("nanquantile_dim", lambda t, x: t.nanquantile(x, points(x, 0.0, 0.4, 1.0), 1, True)),
    ("nanquantile_higher", lambda t, x: x.nanquantile(0.6, 0, interpolation="higher")),
    ("mode_dim", lambda t, x: x.mode(1)),
    ("mode_dim0", lambda t, x: t.mode(x, 0, True)),
    ("mode_grad", lambda t, x: x.mode().values),
    ("aminmax_dim", lambda t, x: t.aminmax(x, dim=1)),
    ("aminmax_min_grad", lambda t, x: t.aminmax(x, dim=1).min),
    ("aminmax_all_max_grad", lambda t, x: t.aminmax(x).max),
    ("cummax", lambda t, x: x.cummax(1)),
    ("cummin", lambda t, x: t.cummin(x, 1)),
    ("cummax_grad", lambda t, x: x.cummax(1).values),
    ("cummin_grad_dim0", lambda t, x: x.cummin(0).values),
    ("logcumsumexp", lambda t, x: x.logcumsumexp(1)),
]


# Which of equal (or NaN) values an op picks is its kernel's choice. ember follows PyTorch's
# CPU kernels, which its CUDA kernels do not: torch is the oracle on the CPU in a GPU run.


@pytest.mark.parametrize("name, fn", TIE_AND_NAN_CASES, ids=[c[0] for c in TIE_AND_NAN_CASES])
def test_ties_follow_torch(name, fn):
    skip_aminmax_before_torch_2_13(name)
    check(fn, [TIED], torch_on_cpu=True)


@pytest.mark.parametrize("name, fn", TIE_AND_NAN_CASES, ids=[c[0] for c in TIE_AND_NAN_CASES])
def test_nan_follows_torch(name, fn):
    if name.startswith("mode"):
        pytest.skip("mode of rows holding NaN: see test_mode_counts_each_nan_as_its_own_value")
    skip_aminmax_before_torch_2_13(name)
    if name.startswith("nanmedian_dim"):  # see test_nanmedian_of_a_row_of_nans
        check(fn, [WITH_NAN[[0, 1, 3]]], torch_on_cpu=True)
        return
    check(fn, [WITH_NAN], torch_on_cpu=True)


def test_nanmedian_of_a_row_of_nans():
    """NaN, as in PyTorch. Its index is 0; PyTorch's is where its selection leaves the NaNs,
    0 for rows of up to 3 values (docs/differences.md)."""
    for size in (1, 2, 3):
        check(lambda t, x: t.nanmedian(x, 1), [np.full((2, size), NAN, np.float32)])
    check(lambda t, x: t.nanmedian(x, 1).values, [np.full((2, 6), NAN, np.float32)], grad=False)


def _medians(t, x):
    return t.median(x, 1), t.median(x, 0), t.nanmedian(x, 1)


def test_median_index_is_torchs_among_many_equal_values():
    rng = np.random.default_rng(0)
    for size in (2, 5, 16, 17, 33, 200):
        values = rng.integers(0, 3, (4, size)).astype(np.float32)
        check(_medians, [values], torch_on_cpu=True)
        values[rng.random(values.shape) < 0.1] = NAN
        check(lambda t, x: (t.median(x, 1), t.nanmedian(x, 1)), [values], torch_on_cpu=True)


def test_mode_index_is_the_last_place_of_the_smallest_most_frequent_value():
    rng = np.random.default_rng(1)
    for size in range(1, 17):  # PyTorch's sort is stable up to 16 values
        values = rng.integers(0, 4, (6, size)).astype(np.float32)
        check(lambda t, x: t.mode(x, 1), [values], torch_on_cpu=True)


def test_mode_counts_each_nan_as_its_own_value():
    """PyTorch's kernel counts runs with != (each NaN a run of one), as ember does; where
    NaNs stand between other values its sort moves them otherwise (docs/differences.md)."""
    check(lambda t, x: t.mode(x, 1), [np.array([[1, NAN, NAN], [2, NAN, NAN, 1][:3]], np.float32)])
    check(lambda t, x: t.mode(x), [np.array([NAN, 1, 1, NAN, NAN], np.float32)])
    check(lambda t, x: t.mode(x), [np.array([NAN, NAN], np.float32)])


def test_cummax_nan_index_moves_to_each_later_nan():
    values = np.array([0.5, 1, 4, 4, 1, NAN, 2, NAN, 7], np.float32)
    check(lambda t, x: (t.cummax(x, 0), t.cummin(x, 0)), [values])
    check(lambda t, x: x.cummax(0).values, [values])
    check(lambda t, x: (t.cummax(x, 0), t.cummin(x, 0)), [np.array([0.0, -0.0, 0.0], np.float32)])


def test_quantile_of_many_values_is_torchs_and_their_gradient_to_equal_ones_may_differ():
    """Over more than 16 values PyTorch's (unstable) sort can order equal values otherwise,
    which sends a quantile's gradient to another of them (docs/differences.md); the
    values, and the gradients of distinct values, are the same."""
    rng = np.random.default_rng(2)
    tied = rng.integers(0, 5, (3, 40)).astype(np.float32)
    check(lambda t, x: t.quantile(x, points(x, 0.1, 0.5, 0.99), 1), [tied], grad=False)
    check(lambda t, x: t.quantile(x, points(x, 0.1, 0.5, 0.99), 1), [(3, 40)])


# dtypes, empty and 0-d inputs --------------------------------------------------------

DTYPE_CASES = [
    ("median", lambda t, x: x.median()),
    ("median_dim", lambda t, x: t.median(x, 0)),
    ("nanmedian", lambda t, x: t.nanmedian(x)),
    ("nanmedian_dim", lambda t, x: x.nanmedian(-1, True)),
    ("mode", lambda t, x: t.mode(x)),
    ("aminmax", lambda t, x: t.aminmax(x)),
    ("aminmax_dim", lambda t, x: t.aminmax(x, dim=0)),
    ("cummax", lambda t, x: t.cummax(x, 0)),
    ("cummin", lambda t, x: x.cummin(-1)),
    ("logcumsumexp", lambda t, x: t.logcumsumexp(x, 0)),
    ("quantile", lambda t, x: t.quantile(x, 0.5)),
    ("nanquantile_dim", lambda t, x: t.nanquantile(x, 0.25, 0)),
    ("histc", lambda t, x: t.histc(x, 4)),
    ("bincount", lambda t, x: t.bincount(x)),
    ("unique_consecutive", lambda t, x: t.unique_consecutive(x, True, True)),
    ("unique_consecutive_dim", lambda t, x: t.unique_consecutive(x, True, True, dim=0)),
    ("isin", lambda t, x: t.isin(x, x[:1])),
    ("searchsorted", lambda t, x: t.searchsorted(x, x)),
    ("bucketize", lambda t, x: t.bucketize(x, t.tensor([0, 1, 2]))),
]
DTYPES = ("float16", "float32", "float64", "uint8", "int8", "int16", "int32", "int64", "bool")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", [c[1] for c in DTYPE_CASES], ids=[c[0] for c in DTYPE_CASES])
def test_every_dtype_matches_torch(fn, dtype):
    values = np.array([1, 0, 2, 2, 1, 3, 0, 1])
    check_outcome(fn, values.astype(dtype), atol=1e-3 if dtype == "float16" else 1e-5)


@pytest.mark.parametrize("shape", [(), (0,), (0, 3), (3, 0), (1,)], ids=str)
@pytest.mark.parametrize("fn", [c[1] for c in DTYPE_CASES], ids=[c[0] for c in DTYPE_CASES])
def test_empty_and_0d_inputs_match_torch(fn, shape):
    check_outcome(fn, np.full(shape, 2.0, np.float32))


@pytest.mark.parametrize("dtype", ["int64", "int32", "int8", "uint8", "float16", "bool"])
def test_median_of_nothing_is_nan_cast_to_the_dtype(dtype):
    check_outcome(lambda t, x: (t.median(x), x.nanmedian()), np.zeros(0, dtype))


# Errors ------------------------------------------------------------------------------

X = np.array([[3.0, 1.0, 2.0, 2.0], [5.0, 4.0, 1.0, 0.0]], np.float32)
ERRORS = [
    ("median_dim_none", lambda t, x: t.median(x, None)),
    ("median_dim_float", lambda t, x: x.median(1.0)),
    ("median_dim_out_of_range", lambda t, x: x.median(2)),
    ("median_keepdim_without_dim", lambda t, x: t.median(x, keepdim=True)),
    ("median_bool", lambda t, x: (x > 1).median()),
    ("median_bool_dim", lambda t, x: (x > 1).median(0)),
    ("median_empty_dim", lambda t, x: x[:0].median(0)),
    ("median_not_a_tensor", lambda t, x: t.median([1.0, 2.0])),
    ("nanmedian_empty_dim", lambda t, x: t.nanmedian(x[:, :0], 1)),
    ("mode_empty_dim", lambda t, x: x[:0].mode(0)),
    ("mode_dim_none", lambda t, x: t.mode(x, None)),
    ("quantile_q_list", lambda t, x: t.quantile(x, [0.5])),
    ("quantile_q_2d", lambda t, x: t.quantile(x, t.tensor([[0.5]]))),
    ("quantile_q_float64", lambda t, x: t.quantile(x, t.tensor([0.5], dtype=t.float64))),
    ("quantile_q_above_1", lambda t, x: t.quantile(x, t.tensor([0.5, 1.5]))),
    ("quantile_q_nan_tensor", lambda t, x: t.quantile(x, t.tensor([NAN]))),
    ("quantile_q_negative", lambda t, x: t.quantile(x, -0.1)),
    ("quantile_q_nan", lambda t, x: t.quantile(x, NAN)),
    ("quantile_interpolation", lambda t, x: t.quantile(x, 0.5, interpolation="cubic")),
    ("quantile_interpolation_by_position", lambda t, x: t.quantile(x, 0.5, 1, False, "lower")),
    ("quantile_int", lambda t, x: t.quantile(x.long(), 0.5)),
    ("quantile_half", lambda t, x: t.nanquantile(x.half(), 0.5)),
    ("quantile_empty", lambda t, x: t.quantile(x[:0], 0.5, dim=1)),
    ("quantile_dims", lambda t, x: t.quantile(x, 0.5, dim=(0, 1))),
    ("quantile_dim_out_of_range", lambda t, x: x.quantile(0.5, dim=5)),
    ("aminmax_dim_by_position", lambda t, x: t.aminmax(x, 0)),
    ("aminmax_dims", lambda t, x: t.aminmax(x, dim=(0,))),
    ("aminmax_empty", lambda t, x: t.aminmax(x[:0])),
    ("aminmax_empty_dim", lambda t, x: x[:0].aminmax(dim=0)),
    ("cummax_without_dim", lambda t, x: t.cummax(x)),
    ("cummax_dim_float", lambda t, x: x.cummax(1.0)),
    ("cummin_dim_out_of_range", lambda t, x: x.cummin(2)),
    ("cummax_0d_dim_1", lambda t, x: x[0, 0].cummax(1)),
    ("logcumsumexp_int", lambda t, x: t.logcumsumexp(x.long(), 0)),
    ("logcumsumexp_bool", lambda t, x: (x > 1).logcumsumexp(0)),
    ("logcumsumexp_without_dim", lambda t, x: x.logcumsumexp()),
    ("bincount_float", lambda t, x: t.bincount(x)),
    ("bincount_bool", lambda t, x: t.bincount(x[0] > 1)),
    ("bincount_2d", lambda t, x: t.bincount(x.long())),
    ("bincount_negative", lambda t, x: t.bincount(t.tensor([1, -1]))),
    ("bincount_minlength", lambda t, x: t.bincount(t.tensor([1, 1]), minlength=-1)),
    ("bincount_minlength_float", lambda t, x: t.bincount(t.tensor([1, 1]), minlength=2.0)),
    ("bincount_weights_length", lambda t, x: t.bincount(t.tensor([1, 1]), x[0])),
    ("bincount_weights_2d", lambda t, x: t.bincount(t.tensor([1, 1]), x[:, :2])),
    (
        "bincount_weights_backward",
        lambda t, x: t.bincount(t.tensor([0, 1]), x[0, :2]).sum().backward(),
    ),
    ("histc_no_bins", lambda t, x: t.histc(x, 0)),
    ("histc_float_bins", lambda t, x: x.histc(3.0)),
    ("histc_int", lambda t, x: t.histc(x.long(), 3)),
    ("histc_nan_range", lambda t, x: t.histc(x / (x - x), 3)),
    ("histc_infinite_range", lambda t, x: t.histc(x, 3, 0, INF)),
    ("histc_min_above_max", lambda t, x: t.histc(x, 3, 3, 1)),
    ("searchsorted_side", lambda t, x: t.searchsorted(x, x, side="middle")),
    ("searchsorted_side_and_right", lambda t, x: t.searchsorted(x, x, side="left", right=True)),
    ("searchsorted_0d_boundaries", lambda t, x: t.searchsorted(x[0, 0], x)),
    ("searchsorted_number_in_2d", lambda t, x: t.searchsorted(x, 1.0)),
    ("searchsorted_0d_value_in_2d", lambda t, x: t.searchsorted(x, x[0, 0])),
    ("searchsorted_leading_dims", lambda t, x: t.searchsorted(x, x[:1])),
    ("searchsorted_fewer_dims", lambda t, x: t.searchsorted(x, x[0])),
    (
        "searchsorted_sorter_int32",
        lambda t, x: t.searchsorted(x[0], x, sorter=x[0].argsort().int()),
    ),
    ("searchsorted_sorter_shape", lambda t, x: t.searchsorted(x[0], x, sorter=t.tensor([0, 1]))),
    (
        "searchsorted_sorter_range",
        lambda t, x: t.searchsorted(x[0], x, sorter=t.tensor([0, 1, 2, 4])),
    ),
    ("searchsorted_bool", lambda t, x: t.searchsorted(x[0] > 1, x[0] > 2)),
    ("searchsorted_list", lambda t, x: t.searchsorted(x[0], [1.0])),
    ("bucketize_2d_boundaries", lambda t, x: t.bucketize(x, x)),
    ("bucketize_0d_boundaries", lambda t, x: t.bucketize(x, x[0, 0])),
    ("bucketize_list_boundaries", lambda t, x: t.bucketize(x, [1, 2])),
    ("isin_two_numbers", lambda t, x: t.isin(2, 2)),
    ("isin_list", lambda t, x: t.isin(x, [1.0])),
    ("isin_flag_by_position", lambda t, x: t.isin(x, x, True)),
    ("isin_bool", lambda t, x: t.isin(x > 1, x > 2)),
    ("isin_bool_number", lambda t, x: t.isin(x, True)),
    ("unique_consecutive_0d_dim", lambda t, x: t.unique_consecutive(x[0, 0], dim=0)),
    ("unique_consecutive_dim_out_of_range", lambda t, x: t.unique_consecutive(x, dim=2)),
    ("unique_consecutive_empty_slices", lambda t, x: t.unique_consecutive(x[:0], dim=1)),
    ("unique_consecutive_backward", lambda t, x: t.unique_consecutive(x).sum().backward()),
]


@pytest.mark.parametrize("name, fn", ERRORS, ids=[c[0] for c in ERRORS])
def test_errors_match_torch(name, fn):
    if name.endswith("_dim_none"):
        skip_before_torch_2_13("raises RuntimeError for dim=None")
    check_error(fn, X.copy())
    check_error(lambda t, x: fn(t, x.requires_grad_()), X.copy())


# bincount and histc ------------------------------------------------------------------

COUNTS = [
    ("bincount", lambda t: t.bincount(t.tensor([1, 3, 3, 0]))),
    ("bincount_minlength", lambda t: t.tensor([1, 3, 3, 0]).bincount(minlength=7)),
    ("bincount_minlength_short", lambda t: t.bincount(t.tensor([1, 3]), minlength=2)),
    ("bincount_int8", lambda t: t.bincount(t.tensor([1, 2], dtype=t.int8))),
    ("bincount_empty", lambda t: t.bincount(t.tensor([], dtype=t.int64), minlength=3)),
    ("bincount_empty_weights", lambda t: t.bincount(t.tensor([], dtype=t.int64), t.tensor([]), 2)),
    (
        "bincount_float32_weights",
        lambda t: t.bincount(t.tensor([1, 1, 0]), t.tensor([0.5, 2.0, 1.0])),
    ),
    (
        "bincount_float64_weights",
        lambda t: t.bincount(t.tensor([2, 2]), t.tensor([0.5, 2.0]).double()),
    ),
    (
        "bincount_float16_weights",
        lambda t: t.bincount(t.tensor([2, 2]), t.tensor([0.5, 2.0]).half()),
    ),
    ("bincount_int_weights", lambda t: t.bincount(t.tensor([2, 2]), t.tensor([3, 4]), minlength=4)),
    ("bincount_bool_weights", lambda t: t.bincount(t.tensor([2, 2]), t.tensor([True, False]))),
    (
        "bincount_weights_require_grad",
        lambda t: t.bincount(t.tensor([1]), t.ones(1, requires_grad=True)),
    ),
    ("histc", lambda t: t.histc(t.tensor([1.0, 2, 1]), bins=4, min=0, max=3)),
    ("histc_default_range", lambda t: t.histc(t.tensor([1.0, 2, 1, 2.5]))),
    ("histc_one_value", lambda t: t.tensor([2.0, 2, 2]).histc(4)),
    ("histc_min_equals_max", lambda t: t.histc(t.tensor([1.0, 2, 1]), 4, 1, 1)),
    ("histc_outside_and_edges", lambda t: t.histc(t.tensor([-1.0, 0, 0.999, 1, 2, 3, 4]), 3, 0, 3)),
    ("histc_nan_skipped", lambda t: t.histc(t.tensor([0.0, NAN, 1]), 3, 0, 3)),
    ("histc_float16", lambda t: t.histc(t.linspace(0, 1, 1001).half(), 10, 0, 1)),
    ("histc_float64", lambda t: t.histc(t.linspace(0, 1, 1001, dtype=t.float64), 7, 0, 0.7)),
    ("histc_2d", lambda t: t.histc(t.tensor([[0.0, 1], [2, 3]]), 3)),
    ("histc_0d", lambda t: t.histc(t.tensor(1.0), 3)),
    ("histc_empty", lambda t: t.histc(t.tensor([]), 3)),
    (
        "histc_tensor_bounds",
        lambda t: t.histc(t.tensor([0.0, 1, 3]), 3, t.tensor(0.0), t.tensor(4.0)),
    ),
    ("histc_requires_grad", lambda t: t.histc(t.tensor([0.0, 1], requires_grad=True), 3)),
]


@pytest.mark.parametrize("fn", [c[1] for c in COUNTS], ids=[c[0] for c in COUNTS])
def test_counts_match_torch(fn):
    assert_same(fn(ember), fn(torch))


def test_bincount_adds_float32_weights_in_float32_as_torch_does():
    rng = np.random.default_rng(3)
    bins, weights = rng.integers(0, 3, 5000), rng.uniform(0, 1, 5000).astype(np.float32)
    ember_counts = ember.bincount(ember.tensor(bins), ember.tensor(weights)).numpy()
    torch_counts = torch.bincount(torch.tensor(bins), torch.tensor(weights)).numpy()
    np.testing.assert_array_equal(ember_counts, torch_counts)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_histc_puts_each_value_in_torchs_bin(dtype):
    rng = np.random.default_rng(4)
    for trial in range(60):
        bins = int(rng.integers(1, 40))
        values = (rng.integers(-20, 20, 500) / rng.integers(1, 10)).astype(dtype)
        low, high = (-2.0, 2.0) if trial % 2 else sorted(rng.uniform(-2, 2, 2))
        ember_counts = ember.histc(ember.tensor(values), bins, low, high).numpy()
        torch_counts = torch.histc(torch.tensor(values), bins, low, high).numpy()
        np.testing.assert_array_equal(ember_counts, torch_counts)


# searchsorted, bucketize, isin, unique_consecutive -----------------------------------

SEARCHES = [
    ("searchsorted", lambda t: t.searchsorted(t.tensor([1, 3, 5, 7]), t.tensor([[3, 6], [0, 9]]))),
    (
        "searchsorted_right",
        lambda t: t.searchsorted(t.tensor([1, 3, 3, 7]), t.tensor([3, 8]), right=True),
    ),
    (
        "searchsorted_side",
        lambda t: t.searchsorted(t.tensor([1, 3, 3, 7]), t.tensor([3, 0]), side="right"),
    ),
    (
        "searchsorted_side_left",
        lambda t: t.searchsorted(t.tensor([1, 3, 3]), t.tensor([3]), side="left"),
    ),
    (
        "searchsorted_agreeing",
        lambda t: t.searchsorted(t.tensor([1, 3]), t.tensor([3]), side="right", right=True),
    ),
    (
        "searchsorted_batched",
        lambda t: t.searchsorted(t.tensor([[1, 3, 5], [2, 4, 6]]), t.tensor([[3, 4], [4, 7]])),
    ),
    (
        "searchsorted_3d",
        lambda t: t.searchsorted(
            t.arange(12).reshape(2, 2, 3), t.tensor([[[1, 9]], [[7, 12]]]).expand(2, 2, 2)
        ),
    ),
    ("searchsorted_number", lambda t: t.searchsorted(t.tensor([1.0, 2.0, 3.0]), 2.5)),
    ("searchsorted_int_in_float", lambda t: t.searchsorted(t.tensor([1.0, 2.0, 3.0]), 2)),
    (
        "searchsorted_float_in_int",
        lambda t: t.searchsorted(t.tensor([1, 2, 3]), t.tensor([1.5, 2.0])),
    ),
    ("searchsorted_bool_in_int", lambda t: t.searchsorted(t.tensor([0, 1, 2]), True)),
    ("searchsorted_numpy_number", lambda t: t.searchsorted(t.tensor([1.0, 2.0]), np.float32(1.5))),
    ("searchsorted_float32_number", lambda t: t.searchsorted(t.tensor([1.0]), 1.00000001)),
    (
        "searchsorted_0d_float32_in_float16",
        lambda t: t.searchsorted(t.tensor([1.0]).half(), t.tensor(1.0001)),
    ),
    (
        "searchsorted_int8_in_uint8",
        lambda t: t.searchsorted(t.tensor([0, 100, 200]).byte(), t.tensor([-1, 50]).char()),
    ),
    (
        "searchsorted_sorter",
        lambda t: t.searchsorted(
            t.tensor([5, 1, 3, 9]), t.tensor([3, 6]), sorter=t.tensor([1, 2, 0, 3])
        ),
    ),
    (
        "searchsorted_sorter_batched",
        lambda t: t.searchsorted(
            t.tensor([[5, 1, 3]]), t.tensor([[3, 6]]), sorter=t.tensor([[1, 2, 0]]), right=True
        ),
    ),
    (
        "searchsorted_out_int32",
        lambda t: t.searchsorted(t.tensor([1, 3]), t.tensor([2, 4]), out_int32=True),
    ),
    (
        "searchsorted_empty_boundaries",
        lambda t: t.searchsorted(t.tensor([], dtype=t.int64), t.tensor([2])),
    ),
    ("searchsorted_empty_rows", lambda t: t.searchsorted(t.zeros(2, 0), t.tensor([[2.0], [3.0]]))),
    (
        "searchsorted_nothing",
        lambda t: t.searchsorted(t.tensor([True]), t.tensor([], dtype=t.bool)),
    ),
    (
        "searchsorted_unsorted",
        lambda t: t.searchsorted(t.tensor([5.0, 1, 4, 2, 8, 0, 3]), t.arange(-1, 10.0)),
    ),
    (
        "searchsorted_unsorted_right",
        lambda t: t.searchsorted(t.tensor([5.0, 1, 4, 2, 8, 0, 3]), t.arange(-1, 10.0), right=True),
    ),
    (
        "searchsorted_nan",
        lambda t: t.searchsorted(
            t.tensor([0.0, 1, 2, NAN, NAN, NAN, NAN]), t.tensor([-1.0, 0.5, 1, 5, NAN, INF])
        ),
    ),
    (
        "bucketize",
        lambda t: t.bucketize(t.tensor([[3.0, 6, 9], [0, 1, 10]]), t.tensor([1.0, 3, 5, 7, 9])),
    ),
    (
        "bucketize_right_int32",
        lambda t: t.bucketize(t.tensor([3, 6, 9]), t.tensor([1, 3, 9]), right=True, out_int32=True),
    ),
    ("bucketize_number", lambda t: t.bucketize(3.5, t.tensor([1, 3, 5]))),
    ("bucketize_bool_number", lambda t: t.bucketize(True, t.tensor([1, 2, 3]))),
    (
        "bucketize_nan",
        lambda t: t.bucketize(t.tensor([NAN, 1.0, INF, -INF]), t.tensor([0.0, 1, NAN])),
    ),
    ("bucketize_empty_boundaries", lambda t: t.bucketize(t.tensor([1.0, 2]), t.tensor([]))),
    (
        "bucketize_requires_grad",
        lambda t: t.bucketize(t.tensor([1.0], requires_grad=True), t.tensor([0.0, 2.0])),
    ),
    ("isin", lambda t: t.isin(t.tensor([[1, 2], [3, 4]]), t.tensor([2, 3]))),
    ("isin_invert", lambda t: t.isin(t.tensor([[1, 2], [3, 4]]), t.tensor([2, 3]), invert=True)),
    (
        "isin_assume_unique",
        lambda t: t.isin(t.tensor([1, 2, 3]), t.tensor([2, 3]), assume_unique=True),
    ),
    ("isin_number_elements", lambda t: t.isin(2, t.tensor([2, 3]))),
    ("isin_number_test", lambda t: t.isin(t.tensor([1, 2]), 2)),
    ("isin_float_number_in_int", lambda t: t.isin(t.tensor([1, 2]), 2.5)),
    ("isin_numpy_number", lambda t: t.isin(t.tensor([1, 2]), np.int64(2))),
    ("isin_promotes", lambda t: t.isin(t.tensor([1, 255]).byte(), t.tensor([-1]).char())),
    ("isin_float16_in_0d_float32", lambda t: t.isin(t.tensor([0.1]).half(), t.tensor(0.1))),
    ("isin_float16_in_float32", lambda t: t.isin(t.tensor([0.1]).half(), t.tensor([0.1]))),
    ("isin_nan_and_zeros", lambda t: t.isin(t.tensor([NAN, 1.0, -0.0]), t.tensor([NAN, 1.0, 0.0]))),
    ("isin_2d_test", lambda t: t.isin(t.tensor([1, 5]), t.tensor([[1, 2], [3, 5]]))),
    (
        "isin_empty",
        lambda t: (t.isin(t.tensor([]), t.tensor([1.0])), t.isin(t.tensor([1.0]), t.tensor([]))),
    ),
    ("isin_many", lambda t: t.isin(t.arange(1000) % 37, t.arange(0, 300, 7))),
    ("unique_consecutive", lambda t: t.unique_consecutive(t.tensor([1, 1, 2, 2, 3, 1, 1, 2]))),
    ("unique_consecutive_all", lambda t: t.unique_consecutive(t.tensor([1, 1, 2, 1]), True, True)),
    (
        "unique_consecutive_inverse",
        lambda t: t.tensor([[1, 1], [1, 2]]).unique_consecutive(return_inverse=True),
    ),
    (
        "unique_consecutive_counts",
        lambda t: t.unique_consecutive(t.tensor([1, 1, 2]), return_counts=True),
    ),
    (
        "unique_consecutive_dim0",
        lambda t: t.unique_consecutive(t.tensor([[1, 1], [1, 1], [2, 3], [1, 1]]), True, True, 0),
    ),
    (
        "unique_consecutive_dim1",
        lambda t: t.unique_consecutive(t.tensor([[1, 1, 2], [1, 1, 3]]), True, True, dim=-1),
    ),
    (
        "unique_consecutive_nan",
        lambda t: t.unique_consecutive(
            t.tensor([NAN, NAN, 1.0, 1.0, -0.0, 0.0]), return_counts=True
        ),
    ),
    (
        "unique_consecutive_nan_dim",
        lambda t: t.unique_consecutive(t.tensor([[NAN], [NAN], [1.0]]), return_counts=True, dim=0),
    ),
    (
        "unique_consecutive_0d",
        lambda t: t.unique_consecutive(t.tensor(3.0), return_inverse=True, return_counts=True),
    ),
    (
        "unique_consecutive_empty_dim",
        lambda t: t.unique_consecutive(t.ones(0, 3), True, True, dim=0),
    ),
    (
        "unique_consecutive_empty_1d_dim",
        lambda t: t.unique_consecutive(t.ones(0), True, True, dim=0),
    ),
    (
        "unique_consecutive_requires_grad",
        lambda t: t.unique_consecutive(t.ones(3, requires_grad=True)),
    ),
]


@pytest.mark.parametrize("fn", [c[1] for c in SEARCHES], ids=[c[0] for c in SEARCHES])
def test_searches_match_torch(fn):
    assert_same(fn(ember), fn(torch))


# Results, names and stability ------------------------------------------------------------


@pytest.mark.parametrize(
    "name, fn, fields",
    [
        ("median", lambda t, x: x.median(0), ("values", "indices")),
        ("nanmedian", lambda t, x: t.nanmedian(x, 0), ("values", "indices")),
        ("mode", lambda t, x: x.mode(), ("values", "indices")),
        ("cummax", lambda t, x: x.cummax(0), ("values", "indices")),
        ("cummin", lambda t, x: t.cummin(x, 1), ("values", "indices")),
        ("aminmax", lambda t, x: t.aminmax(x), ("min", "max")),
    ],
)
def test_named_results_are_torchs(name, fn, fields):
    result = fn(ember, ember.tensor(X))
    assert type(result).__name__ == type(fn(torch, torch.tensor(X))).__name__ == name
    assert result._fields == fields
    assert repr(result).startswith(f"ember.return_types.{name}(\n{fields[0]}=tensor(")
    low, high = result  # a tuple that unpacks
    assert low is getattr(result, fields[0]) and high is getattr(result, fields[1])


NAMED_NODES = [
    ("median", lambda t, x: x.median()),
    ("median_dim", lambda t, x: x.median(0).values),
    ("nanmedian", lambda t, x: x.nanmedian()),
    ("nanmedian_dim", lambda t, x: x.nanmedian(1).values),
    ("mode", lambda t, x: x.mode(0).values),
    ("aminmax_min", lambda t, x: t.aminmax(x).min),
    ("aminmax_dim_max", lambda t, x: t.aminmax(x, dim=0).max),
    ("cummax", lambda t, x: x.cummax(1).values),
    ("cummin", lambda t, x: x.cummin(1).values),
    ("logcumsumexp", lambda t, x: x.logcumsumexp(1)),
    ("unique_consecutive", lambda t, x: t.unique_consecutive(x)),
    ("bincount", lambda t, x: t.bincount(t.tensor([0, 1]), x[0, :2])),
]


@pytest.mark.parametrize("name, fn", NAMED_NODES, ids=[c[0] for c in NAMED_NODES])
def test_nodes_are_named_as_torch_names_them(name, fn):
    skip_aminmax_before_torch_2_13(name)
    ember_node = fn(ember, ember.tensor(X, requires_grad=True)).grad_fn
    assert ember_node.name() == fn(torch, torch.tensor(X, requires_grad=True)).grad_fn.name()


def test_logcumsumexp_is_stable_and_its_gradient_keeps_torchs_infinities():
    values = np.array([[-INF, -INF, 0.0, 1000.0, -1000.0], [3.0, INF, 2.0, -1e4, 1e4]])
    check(lambda t, x: t.logcumsumexp(x, 1), [values], dtype="float64")
    check(lambda t, x: t.logcumsumexp(x, 1), [values.astype(np.float32)])
    check(lambda t, x: t.logcumsumexp(x, 0), [np.array([3.0, 1.0, NAN, 2.0])])


def test_logcumsumexp_of_float32_sums_in_float64_as_torch_does():
    values = np.random.default_rng(5).normal(size=(4, 3000)).astype(np.float32)
    # PyTorch's CUDA build sums in float32, so torch is the oracle on the CPU in a GPU run.
    check(
        lambda t, x: t.logcumsumexp(x, 1),
        [values],
        atol=0,
        rtol=2e-7,
        grad=False,
        torch_on_cpu=True,
    )


@pytest.mark.parametrize("ufunc_name", ["maximum", "minimum", "logaddexp"])
def test_the_gpus_doubling_scan_accumulates_as_numpy_does(monkeypatch, ufunc_name):
    """CuPy accumulates only add and multiply; on the GPU ``backend.accumulate`` scans by
    doubling (here NumPy's arrays stand for the GPU's)."""
    data = np.random.default_rng(6).normal(size=(3, 37, 2))
    data[0, 5, 1] = NAN
    expected = getattr(np, ufunc_name).accumulate(data, axis=1)
    monkeypatch.setattr(backend, "_cuda_ndarray", np.ndarray)
    np.testing.assert_allclose(backend.accumulate(ufunc_name, data, 1), expected, rtol=1e-14)
