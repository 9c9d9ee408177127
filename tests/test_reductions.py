"""L2: reductions (sum, mean, prod, max/min, arg-reductions, var/std, logsumexp, cumsum)."""

import warnings

import numpy as np
import pytest
import torch
from oracle import check, check_error, check_gradcheck, check_outcome

import ember

# (name, fn, shapes)
REDUCTIONS = [
    ("sum_all", lambda t, x: x.sum(), [(3, 4)]),
    ("sum_fn", lambda t, x: t.sum(x), [(3, 4)]),
    ("sum_axis0", lambda t, x: x.sum(axis=0), [(3, 4)]),
    ("sum_dim1", lambda t, x: x.sum(dim=1), [(3, 4)]),
    ("sum_negative_dim", lambda t, x: x.sum(-1), [(2, 3, 4)]),
    ("sum_dim_list", lambda t, x: x.sum(dim=[0, 1]), [(2, 3, 4)]),
    ("sum_dim_tuple", lambda t, x: t.sum(x, (0, 2)), [(2, 3, 4)]),
    ("sum_keepdim", lambda t, x: x.sum(1, keepdim=True), [(3, 4)]),
    ("sum_axis_keepdims", lambda t, x: x.sum(axis=1, keepdims=True), [(3, 4)]),
    ("sum_list_keepdim", lambda t, x: x.sum([0, 2], keepdim=True), [(2, 3, 4)]),
    ("normalise_rows", lambda t, x: x / x.sum(axis=1, keepdims=True), [(3, 4)]),
    ("sum_0d", lambda t, x: x.sum(), [()]),
    ("sum_0d_dim", lambda t, x: x.sum(0), [()]),
    ("sum_empty_dims", lambda t, x: x.sum(dim=[]), [(3, 4)]),
    ("mean_all", lambda t, x: x.mean(), [(3, 4)]),
    ("mean_fn", lambda t, x: t.mean(x), [(3, 4)]),
    ("mean_axis0", lambda t, x: x.mean(axis=0), [(3, 4)]),
    ("mean_dims_keepdim", lambda t, x: x.mean(dim=(0, 2), keepdim=True), [(2, 3, 4)]),
    ("mean_negative_dim", lambda t, x: t.mean(x, -2), [(2, 3, 4)]),
    ("prod_all", lambda t, x: x.prod(), [(3, 4)]),
    ("prod_dim", lambda t, x: x.prod(1), [(3, 4)]),
    ("prod_dim_keepdim", lambda t, x: t.prod(x, 0, keepdim=True), [(3, 4)]),
    ("cumsum_axis0", lambda t, x: x.cumsum(axis=0), [(3, 4)]),
    ("cumsum_dim1", lambda t, x: t.cumsum(x, dim=1), [(3, 4)]),
    ("cumsum_negative", lambda t, x: x.cumsum(-1), [(2, 3, 4)]),
    ("cumsum_1d", lambda t, x: x.cumsum(0), [(5,)]),
    ("max_all", lambda t, x: x.max(), [(3, 4)]),
    ("min_all", lambda t, x: t.min(x), [(3, 4)]),
    ("max_dim", lambda t, x: x.max(dim=1), [(3, 4)]),
    ("max_dim_keepdim", lambda t, x: t.max(x, 0, keepdim=True), [(3, 4)]),
    ("min_dim", lambda t, x: x.min(-1), [(2, 3, 4)]),
    ("max_dim_values", lambda t, x: x.max(1).values, [(3, 4)]),
    ("max_dim_index0", lambda t, x: x.max(1)[0], [(3, 4)]),
    ("min_dim_indices", lambda t, x: x.min(0).indices, [(3, 4)]),
    ("amax", lambda t, x: t.amax(x, dim=1), [(3, 4)]),
    ("amax_dims", lambda t, x: x.amax(dim=(0, 2)), [(2, 3, 4)]),
    ("amin_keepdim", lambda t, x: t.amin(x, 0, keepdim=True), [(3, 4)]),
    ("argmax_all", lambda t, x: x.argmax(), [(3, 4)]),
    ("argmax_dim", lambda t, x: t.argmax(x, dim=1), [(3, 4)]),
    ("argmax_keepdim", lambda t, x: x.argmax(0, keepdim=True), [(3, 4)]),
    ("argmin_all", lambda t, x: t.argmin(x), [(2, 3, 4)]),
    ("argmin_dim", lambda t, x: x.argmin(dim=-1), [(2, 3, 4)]),
    ("var_all", lambda t, x: x.var(), [(3, 4)]),
    ("var_dim", lambda t, x: t.var(x, dim=1), [(3, 4)]),
    ("var_biased", lambda t, x: x.var(0, unbiased=False), [(3, 4)]),
    ("var_correction", lambda t, x: t.var(x, dim=1, correction=0, keepdim=True), [(3, 4)]),
    ("var_dims", lambda t, x: x.var(dim=(0, 2)), [(2, 3, 4)]),
    ("std_all", lambda t, x: x.std(), [(3, 4)]),
    ("std_dim", lambda t, x: t.std(x, dim=0), [(3, 4)]),
    ("std_keepdim", lambda t, x: x.std(1, keepdim=True), [(3, 4)]),
    ("std_biased", lambda t, x: x.std(unbiased=False), [(3, 4)]),
    ("var_unbiased_positional", lambda t, x: x.var(False), [(3, 4)]),
    ("std_unbiased_positional", lambda t, x: t.std(x, True), [(3, 4)]),
    ("logsumexp_dim", lambda t, x: t.logsumexp(x, dim=1), [(3, 4)]),
    ("logsumexp_keepdim", lambda t, x: x.logsumexp(0, keepdim=True), [(3, 4)]),
    ("logsumexp_dims", lambda t, x: t.logsumexp(x, dim=(0, 2)), [(2, 3, 4)]),
    ("logsumexp_negative", lambda t, x: x.logsumexp(-1), [(2, 3, 4)]),
    ("softmax_by_hand", lambda t, x: t.exp(x) / t.exp(x).sum(1, keepdim=True), [(3, 4)]),
    # rows long and many enough for backend.reduction's einsum sums
    ("sum_wide_rows", lambda t, x: x.sum(1), [(64, 100)]),
    ("mean_wide_rows_keepdim", lambda t, x: x.mean(-1, keepdim=True), [(4, 32, 40)]),
    ("var_wide_rows", lambda t, x: x.var(1), [(64, 100)]),
    ("logsumexp_wide_rows", lambda t, x: x.logsumexp(1), [(64, 100)]),
]


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in REDUCTIONS], ids=[c[0] for c in REDUCTIONS])
def test_matches_torch(fn, shapes):
    check(fn, shapes)


INDEX_RESULTS = {
    "min_dim_indices",
    "argmax_all",
    "argmax_dim",
    "argmax_keepdim",
    "argmin_all",
    "argmin_dim",
}
DIFFERENTIABLE = [case for case in REDUCTIONS if case[0] not in INDEX_RESULTS]


@pytest.mark.parametrize(
    "fn, shapes", [c[1:] for c in DIFFERENTIABLE], ids=[c[0] for c in DIFFERENTIABLE]
)
def test_gradients_match_finite_differences(fn, shapes):
    check_gradcheck(fn, shapes)


# The wide rows differ from the small shapes in their forward sums only, not in the
# backward that a second order differentiates, and finite differences over their 5,120 to
# 6,400 values took 85 s: they are checked to first order only.
SECOND_ORDER = [case for case in DIFFERENTIABLE if "wide_rows" not in case[0]]


@pytest.mark.parametrize(
    "fn, shapes", [c[1:] for c in SECOND_ORDER], ids=[c[0] for c in SECOND_ORDER]
)
def test_second_order_gradients(fn, shapes):
    check_gradcheck(fn, shapes, order=2)


@pytest.mark.parametrize("dtype", ["int64", "int32", "bool"])
@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: x.sum(),
        lambda t, x: x.sum(0),
        lambda t, x: x.sum(dtype=t.float64),
        lambda t, x: x.prod(1),
        lambda t, x: x.cumsum(0),
        lambda t, x: x.max(),
        lambda t, x: x.min(1),
        lambda t, x: x.argmax(1),
        lambda t, x: x.amax(0),
        lambda t, x: t.logsumexp(x, 1),
        lambda t, x: x.mean(dtype=t.float32),
        lambda t, x: x.all(),
        lambda t, x: x.any(1),
        lambda t, x: t.count_nonzero(x),
        lambda t, x: t.count_nonzero(x, dim=0),
    ],
    ids=[
        "sum",
        "sum_dim",
        "sum_dtype",
        "prod",
        "cumsum",
        "max",
        "min_dim",
        "argmax",
        "amax",
        "logsumexp",
        "mean_dtype",
        "all",
        "any",
        "count_nonzero",
        "count_nonzero_dim",
    ],
)
def test_integer_and_bool_inputs(fn, dtype):
    if dtype == "bool" and "argmax" in fn.__code__.co_names:
        check_error(fn, np.ones((2, 2), dtype=bool))
        return
    values = np.array([[3, 0, -2, 5], [1, 4, 0, -1], [2, 2, 7, 0]]).astype(dtype)
    check(fn, [values])


TIED = np.array([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, 2.0, 2.0], [-1.0, 5.0, 4.0, 5.0]])


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: x.max(),
        lambda t, x: x.min(),
        lambda t, x: x.amax(1),
        lambda t, x: x.amin(0),
        lambda t, x: x.max(1),
        lambda t, x: x.min(0),
        lambda t, x: x.argmax(1),
        lambda t, x: x.argmin(),
        lambda t, x: x.prod(),
        lambda t, x: (x - 2).prod(1),
        lambda t, x: (x - 2).prod(),
    ],
    ids=[
        "max",
        "min",
        "amax",
        "amin",
        "max_dim",
        "min_dim",
        "argmax",
        "argmin",
        "prod",
        "prod_zeros_dim",
        "prod_zeros_all",
    ],
)
def test_ties_and_zeros_follow_torch(fn):
    check(fn, [TIED.astype(np.float32)])


def test_prod_gradient_with_zeros_matches_finite_differences():
    values = np.array([[0.0, 1.5, 2.0], [0.0, 0.0, 3.0], [1.0, 2.0, -1.0]])
    check_gradcheck(lambda t, x: x.prod(1), [values])
    check_gradcheck(lambda t, x: x.prod(), [values[:1]])


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: x.sum(2),
        lambda t, x: x.sum(-3),
        lambda t, x: x.mean(dim=[0, 0]),
        lambda t, x: x.max(5),
        lambda t, x: x.argmax(3),
        lambda t, x: x.cumsum(2),
        lambda t, x: t.zeros(0).max(),
        lambda t, x: t.zeros(2, 0).max(1),
        lambda t, x: t.arange(3).mean(),
        lambda t, x: x.logsumexp(4),
        lambda t, x: x.std(7),
        lambda t, x: (x > 0).argmin(),
    ],
    ids=[
        "sum",
        "sum_negative",
        "mean_repeated",
        "max",
        "argmax",
        "cumsum",
        "max_empty",
        "max_empty_dim",
        "mean_int",
        "logsumexp",
        "std",
        "argmin_bool",
    ],
)
def test_errors_match_torch(fn):
    check_error(fn, np.ones((3, 4), dtype=np.float32))


def test_logsumexp_is_stable_for_large_inputs():
    big = np.array([[1000.0, 1000.0, -1000.0], [-1e4, -1e4, 0.0]], dtype=np.float32)
    check(lambda t, x: t.logsumexp(x, 1), [big])


def test_logsumexp_of_minus_infinity_rows():
    values = np.array([[-np.inf, -np.inf], [0.0, -np.inf]], dtype=np.float32)
    check(lambda t, x: t.logsumexp(x, 1), [values], grad=False)


def test_float64_stays_float64():
    check(
        lambda t, x: (x.sum(0), x.mean(1), x.var(), x.cumsum(1), x.prod()),
        [(3, 4)],
        dtype="float64",
        grad=False,
    )


def test_half_precision_reductions():
    check(
        lambda t, x: (x.sum(0), x.mean(), x.max(1).values),
        [(3, 4)],
        dtype="float16",
        atol=1e-2,
        rtol=1e-2,
        grad=False,
    )


@pytest.mark.filterwarnings("ignore:.*degrees of freedom")  # both libraries warn
def test_reduction_of_a_single_element():
    check(lambda t, x: (x.var(), x.std()), [(1,)], grad=False)


CONSTANT_ROW = np.array([[1.0, 1.0, 1.0], [1.0, 2.0, 4.0]], dtype=np.float32)


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: x.std(1),
        lambda t, x: x.std(1, correction=0, keepdim=True),
        lambda t, x: t.std(x[0]),
        lambda t, x: x[:1, :1].std(correction=0),
    ],
)
def test_std_of_constant_values_has_a_zero_gradient_not_nan(fn):
    """d std / dx is 0 / 0 where the values are all equal; PyTorch's gradient is 0 there."""
    check(fn, [CONSTANT_ROW])


@pytest.mark.parametrize("correction", [2, 3, 5])
@pytest.mark.parametrize("op", ["var", "std"])
@pytest.mark.filterwarnings("ignore:.*degrees of freedom")  # both libraries warn
def test_more_correction_than_elements_divides_by_zero_like_pytorch(op, correction):
    """N - correction below 0 counts as 0 (inf, or nan for constant values), never negative."""
    for values in ([1.0, 2.0], [1.0, 1.0], []):
        array = np.array(values, dtype=np.float32)
        check_outcome(lambda t, x: getattr(x, op)(correction=correction), array)
    check_outcome(lambda t, x: getattr(x, op)(1), np.zeros((2, 0), np.float32))


@pytest.mark.parametrize("op", ["var", "std"])
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # x / 0, passed on by pytest.warns
def test_a_correction_that_leaves_no_degrees_of_freedom_warns_as_in_pytorch(op):
    x = ember.tensor([1.0, 2.0])
    with pytest.warns(UserWarning, match=rf"{op}\(\): degrees of freedom is <= 0"):
        getattr(x, op)(correction=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        getattr(x, op)(correction=1)  # one degree of freedom left: no warning


EMPTY_REDUCTIONS = {
    "argmax": lambda t, x: x.argmax(),
    "argmax_dim": lambda t, x: x.argmax(0, keepdim=True),
    "argmin_dim": lambda t, x: t.argmin(x, 0),
    "argmax_other_dim": lambda t, x: x.argmax(1),
    "max": lambda t, x: x.max(),
    "min": lambda t, x: x.min(),
    "min_dim": lambda t, x: x.min(0),
    "amax": lambda t, x: x.amax(),
    "amax_dims": lambda t, x: x.amax((0, 1)),
    "amin_other_dim": lambda t, x: x.amin(1),
    "logsumexp": lambda t, x: t.logsumexp(x, 0),
    "logsumexp_other_dim": lambda t, x: t.logsumexp(x, 1),
}


@pytest.mark.parametrize("op", sorted(EMPTY_REDUCTIONS))
def test_reductions_of_empty_tensors_match_torch(op):
    """An error of torch's type naming the op (an IndexError for an empty dim), or
    torch's result: logsumexp of nothing is -inf."""
    result = check_outcome(EMPTY_REDUCTIONS[op], np.zeros((0, 3), np.float32))
    if isinstance(result, Exception):
        assert str(result).startswith(op.split("_")[0] + "()"), result


@pytest.mark.parametrize("op", ["all", "any"])
def test_all_and_any_keep_uint8_as_torch_does(op):
    values = np.array([[1, 0, 3], [2, 5, 1]], np.uint8)
    for fn in (lambda t, x: getattr(x, op)(), lambda t, x: getattr(t, op)(x, 1, keepdim=True)):
        assert check_outcome(fn, values).dtype == ember.uint8


def test_mean_of_nothing_is_nan_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # NumPy's "Mean of empty slice" would raise here
        check(lambda t, x: (x.mean(), x.mean(0), x.mean(1)), [np.zeros((0, 3), np.float32)])


def test_std_gradient_of_its_gradient_matches_finite_differences():
    check_gradcheck(lambda t, x: x.std(1), [(3, 4)], order=2)


NAN_ROW = np.array([[1.0, np.nan, 1.0], [2.0, 0.5, 2.0]], dtype=np.float32)


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: x.max(),
        lambda t, x: x.min(),
        lambda t, x: x.max(1),
        lambda t, x: x.argmax(1),
        lambda t, x: x.amax(1),
        lambda t, x: x.sum(1),
    ],
    ids=["max", "min", "max_dim", "argmax", "amax", "sum"],
)
def test_nan_propagates_like_torch(fn):
    check(fn, [NAN_ROW])


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: x.max(0),
        lambda t, x: x.min(dim=0, keepdim=True),
        lambda t, x: x.argmax(0),
        lambda t, x: x.cumsum(0),
        lambda t, x: x.sum(0, keepdim=True),
        lambda t, x: x.mean(-1),
        lambda t, x: x.logsumexp(0),
    ],
    ids=["max", "min_keepdim", "argmax", "cumsum", "sum_keepdim", "mean", "logsumexp"],
)
def test_zero_dim_inputs(fn):
    check(fn, [np.array(3.0, dtype=np.float32)])


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: x.sum(),
        lambda t, x: x.sum(0),
        lambda t, x: x.prod(0),
        lambda t, x: x.mean(1),
        lambda t, x: x.cumsum(0),
        lambda t, x: x.amax(1),
    ],
    ids=["sum", "sum_dim", "prod", "mean_dim", "cumsum", "amax_nonempty_dim"],
)
def test_empty_inputs(fn):
    check(fn, [np.zeros((0, 3), dtype=np.float32)])


ALL_DTYPES = ["float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]
EVERY_DTYPE = {
    "sum": lambda t, x: x.sum(),
    "sum_dim": lambda t, x: x.sum(0),
    "mean": lambda t, x: x.mean(),
    "prod": lambda t, x: x.prod(),
    "prod_dim": lambda t, x: x.prod(0),
    "max": lambda t, x: x.max(),
    "max_dim": lambda t, x: x.max(0),
    "min_keepdim": lambda t, x: x.min(0, keepdim=True),
    "amax": lambda t, x: x.amax(0),
    "argmax": lambda t, x: x.argmax(),
    "argmin_dim": lambda t, x: x.argmin(0),
    "cumsum": lambda t, x: x.cumsum(0),
    "std": lambda t, x: x.std(),
    "var_dim": lambda t, x: x.var(0),
    "logsumexp": lambda t, x: t.logsumexp(x, 0),
    "norm": lambda t, x: x.norm(),
    "count_nonzero": lambda t, x: t.count_nonzero(x),
}


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("op", sorted(EVERY_DTYPE))
def test_reductions_on_every_dtype(op, dtype):
    values = np.array([[0, 1, 2], [3, -1, 2]]).astype(dtype)
    check_outcome(EVERY_DTYPE[op], values, atol=1e-2, rtol=1e-2)


# Many short rows: the class dim of a batch of logits, which ember reduces through a
# transposed copy (backend.reduction); values and gradients must stay torch's.
MANY_SHORT_ROWS = [
    ("sum_rows", lambda t, x: x.sum(1), [(256, 10)]),
    ("sum_rows_keepdim", lambda t, x: x.sum(-1, keepdim=True), [(2, 128, 3)]),
    ("amax_rows", lambda t, x: t.amax(x, dim=1), [(256, 10)]),
    ("max_rows_keepdim", lambda t, x: t.amax(x, -1, keepdim=True), [(128, 16)]),
    ("amin_rows", lambda t, x: t.amin(x, dim=-1), [(300, 5)]),
    ("logsumexp_rows", lambda t, x: t.logsumexp(x, 1), [(256, 10)]),
    ("softmax_rows", lambda t, x: t.softmax(x, 1), [(256, 10)]),
    ("log_softmax_rows", lambda t, x: t.log_softmax(x, -1), [(4, 64, 3)]),
]


@pytest.mark.parametrize("name, fn, shapes", MANY_SHORT_ROWS, ids=[c[0] for c in MANY_SHORT_ROWS])
def test_many_short_rows_match_torch(name, fn, shapes):
    check(fn, shapes)


def test_integer_sum_over_many_short_rows_widens_to_int64_as_torch_does():
    data = np.arange(256 * 10, dtype=np.int32).reshape(256, 10)
    check_outcome(lambda t, x: x.sum(1), data)


def test_mean_gradient_is_a_tensor_of_its_own_that_can_be_written_into():
    # It was an expanded view of grad / count, so writing into what autograd.grad
    # returned raised, where PyTorch's divides after expanding.
    for lib in (ember, torch):
        x = lib.ones(3, 4, requires_grad=True)
        (grad,) = lib.autograd.grad(x.mean(1).sum(), x)
        grad += 1
        assert grad.stride() == (4, 1) and grad[0, 0].item() == 1.25


def test_second_derivative_of_the_mean_of_nothing_is_zero_as_in_torch():
    # dividing the gradient before spreading it over no element made it 0 / 0
    results = []
    for library in (ember, torch):
        x = library.zeros(0, dtype=library.float64, requires_grad=True)
        v = library.tensor(1.0, dtype=library.float64, requires_grad=True)
        (grad,) = library.autograd.grad(x.exp().mean(0), x, v, create_graph=True)
        results.append(library.autograd.grad(grad.sum(), v)[0])
    assert results[0].item() == results[1].item() == 0.0


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: t.var(t.tensor([1.0, 2.0, 4.0]), 0, True, correction=0),
        lambda t: t.tensor([1.0, 2.0, 4.0]).std(unbiased=False, correction=1),
        lambda t: t.var_mean(t.tensor([1.0, 2.0, 4.0]), unbiased=False, correction=1),
        lambda t: t.std_mean(t.tensor([1.0, 2.0, 4.0]), dim=0, unbiased=True, correction=0),
    ],
    ids=["var", "std", "var_mean", "std_mean"],
)
def test_unbiased_and_correction_together_are_refused(fn):
    """Two forms' arguments at once: PyTorch refuses them, where ember used correction."""
    check_error(fn)
