"""A differential round against PyTorch on reductions (L2), products (L3), norms (L4)
and solvers (L5): each case here was a difference that ember now matches."""

import warnings

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error, check_gradcheck, check_outcome

import ember

INF = float("inf")
NAN_ROW = np.array([[1.0, np.nan, 3.0], [2.0, 0.5, 2.0]], dtype=np.float32)


def well_conditioned(shape, dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    return (rng.uniform(-1, 1, shape) + 3 * np.eye(shape[-1])).astype(dtype)


# L2: reductions ------------------------------------------------------------------------

INTEGER_DTYPE_ARGUMENT = {
    "sum_int32": lambda t, x: x.sum(dtype=t.int32),
    "sum_dim_int16": lambda t, x: t.sum(x, 0, dtype=t.int16),
    "sum_bool": lambda t, x: x.sum(1, dtype=t.bool),
    "prod_int32": lambda t, x: x.prod(dtype=t.int32),
    "prod_dim_int8": lambda t, x: t.prod(x, 1, dtype=t.int8),
    "cumsum_int32": lambda t, x: x.cumsum(0, dtype=t.int32),
    "cumsum_0d_int8": lambda t, x: x[0, 0].cumsum(0, dtype=t.int8),
}


@pytest.mark.parametrize("source", ["int64", "float32", "bool"])
@pytest.mark.parametrize("op", sorted(INTEGER_DTYPE_ARGUMENT))
def test_reductions_stay_in_the_integer_dtype_they_are_given(op, source):
    """dtype=int32 (or bool) is the result's type, where without dtype= ints widen to int64."""
    values = np.array([[3, 0, -2], [1, 4, 2]]).astype(source)
    check_outcome(INTEGER_DTYPE_ARGUMENT[op], values)


@pytest.mark.parametrize("op", ["var", "std"])
def test_var_and_std_of_integers_are_refused_before_the_dims_are_checked(op):
    """PyTorch names the dtype as the problem even when the dim is out of range too."""
    error = check_error(lambda t, x: getattr(x, op)(5), np.arange(6).reshape(2, 3))
    assert "floating point" in str(error)
    check_error(lambda t, x: getattr(t, op)(x), np.arange(6))


@pytest.mark.parametrize("op", ["var", "std"])
@pytest.mark.parametrize("shape, dim", [((2, 0, 3), 0), ((0, 4), 1), ((4, 0), 0)])
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_var_of_an_empty_tensor_warns_of_no_degrees_of_freedom(op, shape, dim):
    x = ember.zeros(*shape)
    with pytest.warns(UserWarning, match=rf"{op}\(\): degrees of freedom is <= 0"):
        result = getattr(x, op)(dim, correction=0)
    assert_same(result, getattr(torch.zeros(*shape), op)(dim, correction=0))


@pytest.mark.parametrize("op", ["amax", "amin"])
def test_amax_of_every_element_follows_amax_rules_not_max(op):
    """amax()'s gradient is NaN where the result is NaN (max()'s goes to the NaNs)."""
    check(lambda t, x: getattr(x, op)(), [NAN_ROW])
    check(lambda t, x: getattr(t, op)(x, ()), [NAN_ROW])
    x = ember.ones(2, 3, requires_grad=True)
    assert getattr(x, op)().grad_fn.name() == f"{op.capitalize()}Backward0"
    assert x.max().grad_fn.name() == "MaxBackward1"


def test_max_of_data_with_nan_still_sends_the_gradient_to_the_nans():
    check(lambda t, x: (x.max(), x.min()), [NAN_ROW])


@pytest.mark.parametrize("op", ["max", "min"])
def test_max_and_min_take_other_as_a_keyword(op):
    check(lambda t, x, y: getattr(t, op)(x, other=y), [(2, 3), (2, 3)])
    check(lambda t, x, y: getattr(x, op)(other=y), [(2, 3), (3,)])


def test_a_dim_given_as_a_0d_integer_tensor():
    check(lambda t, x: x.sum(t.tensor(1)), [(2, 3)])
    check(lambda t, x: t.mean(x, t.tensor(-1), keepdim=True), [(2, 3)])
    check_error(lambda t, x: x.sum(t.tensor(1.0)), np.ones((2, 3), np.float32))


def test_a_repeated_dim_is_named_in_the_error():
    error = check_error(lambda t, x: x.sum((0, -2)), np.ones((2, 3), np.float32))
    assert "dim 0 appears multiple times" in str(error)


def test_mean_with_an_integer_dtype_names_the_dtype_argument():
    error = check_error(lambda t, x: x.mean(dtype=t.int64), np.ones((2, 3), np.float32))
    assert "the dtype= argument" in str(error)


# L5: solvers ---------------------------------------------------------------------------

SOLVE_FROM_THE_RIGHT = [
    ((3, 3), (2, 3)),
    ((3, 3), (1, 3)),
    ((2, 3, 3), (2, 4, 3)),
    ((3, 3), (5, 2, 3)),
    ((1, 3, 3), (2, 2, 3)),
]


@pytest.mark.parametrize("a_shape, b_shape", SOLVE_FROM_THE_RIGHT)
def test_solve_with_left_false_solves_x_a_equals_b(a_shape, b_shape):
    a = well_conditioned(a_shape)
    check(lambda t, a, b: t.linalg.solve(a, b, left=False), [a, b_shape], dtype="float64")
    check_gradcheck(lambda t, a, b: t.linalg.solve(a, b, left=False), [a, b_shape])


@pytest.mark.parametrize("b_shape", [(3,), (3, 2), (2, 2)])
def test_solve_with_left_false_refuses_a_vector_or_rows_of_the_wrong_width(b_shape):
    error = check_error(
        lambda t, a, b: t.linalg.solve(a, b, left=False),
        well_conditioned((3, 3)),
        np.ones(b_shape),
    )
    assert "XA = B" in str(error)


def test_solve_with_batches_that_do_not_broadcast_is_a_runtime_error():
    check_error(
        lambda t, a, b: t.linalg.solve(a, b), well_conditioned((2, 3, 3)), np.ones((4, 3, 2))
    )


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, a: t.linalg.inv(a),
        lambda t, a: a.inverse(),
        lambda t, a: t.linalg.det(a),
        lambda t, a: t.linalg.solve(a, a[0]),
        lambda t, a: t.linalg.solve(a, a),
        lambda t, a: t.linalg.lstsq(a, a),
    ],
    ids=["inv", "inverse", "det", "solve_vector", "solve_matrix", "lstsq"],
)
@pytest.mark.parametrize("dtype", ["int64", "int32", "bool", "float16"])
def test_solvers_refuse_integer_and_half_inputs_like_torch(fn, dtype):
    error = check_error(fn, np.eye(3).astype(dtype))
    assert "convert" in str(error)


LSTSQ_SHAPES = [
    ((6, 3), (6,)),
    ((6, 3), (6, 2)),
    ((3, 3), (3, 1)),
    ((3, 6), (3, 2)),
    ((2, 6, 3), (2, 6, 2)),
    ((1, 6, 3), (4, 6, 2)),
    ((4, 6, 3), (4, 6)),
    ((2, 1, 6, 3), (1, 3, 6, 1)),
]
DRIVERS = [None, "gelsy", "gelsd", "gelss", "gels"]


def lstsq_pair(a_shape, b_shape, dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    a, b = (rng.uniform(-2, 2, shape).astype(dtype) for shape in (a_shape, b_shape))
    return (ember.tensor(a), ember.tensor(b)), (torch.tensor(a), torch.tensor(b))


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("a_shape, b_shape", LSTSQ_SHAPES)
def test_lstsq_fields_follow_the_driver_as_in_torch(a_shape, b_shape, driver):
    """Residuals only for a tall, full-rank A and not 'gelsy' (the default); the rank
    unless 'gels'; singular values for 'gelsd' and 'gelss'; empty fields of shape (0,)."""
    ember_inputs, torch_inputs = lstsq_pair(a_shape, b_shape)
    got = ember.linalg.lstsq(*ember_inputs, driver=driver)
    expected = torch.linalg.lstsq(*torch_inputs, driver=driver)
    assert got._fields == ("solution", "residuals", "rank", "singular_values")
    assert_same(tuple(got), tuple(expected), atol=1e-8, rtol=1e-8)


@pytest.mark.parametrize("driver", [None, "gelsd"])
def test_lstsq_of_a_rank_deficient_matrix(driver):
    design = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
    check(
        lambda t, a, b: tuple(t.linalg.lstsq(a, b, driver=driver)),
        [design, (3, 2)],
        dtype="float64",
        grad=False,
    )
    check(
        lambda t, a, b: tuple(t.linalg.lstsq(a, b, rcond=0.5, driver="gelsd")),
        [(6, 3), (6, 2)],
        dtype="float64",
        grad=False,
    )


@pytest.mark.parametrize("a_shape, b_shape", LSTSQ_SHAPES)
def test_lstsq_solution_gradients_for_batches_and_wide_matrices(a_shape, b_shape):
    check(lambda t, a, b: t.linalg.lstsq(a, b).solution, [a_shape, b_shape], dtype="float64")
    check_gradcheck(lambda t, a, b: t.linalg.lstsq(a, b).solution, [a_shape, b_shape], order=2)


@pytest.mark.parametrize(
    "a_shape, b_shape", [((6, 3), (6,)), ((6, 3), (6, 2)), ((1, 6, 3), (4, 6, 2))]
)
def test_lstsq_residuals_have_torch_gradients(a_shape, b_shape):
    def residuals(t, a, b):
        return t.linalg.lstsq(a, b, driver="gelsd").residuals

    check(residuals, [a_shape, b_shape], dtype="float64")
    check_gradcheck(residuals, [a_shape, b_shape])


@pytest.mark.parametrize(
    "a_shape, b_shape, driver",
    [
        ((6, 3), (6, 2), "qr"),
        ((6,), (6,), None),
        ((4, 6, 3), (6,), None),
        ((6, 3), (4, 6, 2), None),
        ((2, 6, 3), (3, 6, 2), None),
        ((6, 3), (5,), None),
        ((2, 2, 6, 3), (2, 6, 1), None),
    ],
)
def test_lstsq_argument_errors_match_torch(a_shape, b_shape, driver):
    check_error(
        lambda t, a, b: t.linalg.lstsq(a, b, driver=driver), np.ones(a_shape), np.ones(b_shape)
    )


# L4: norms -----------------------------------------------------------------------------


@pytest.mark.parametrize("ord", [2, -2])
def test_equal_extreme_singular_values_share_the_gradient(ord):
    """At a zero matrix every singular value is the largest: PyTorch splits the gradient."""
    check(lambda t, x: t.linalg.matrix_norm(x, ord), [np.zeros((2, 3))], dtype="float64")
    check(lambda t, x: t.linalg.matrix_norm(x, ord), [np.zeros((2, 2, 3))], dtype="float64")
    check(lambda t, x: t.linalg.norm(x, ord), [np.eye(3)], dtype="float64")


def test_the_zero_norm_has_no_gradient():
    check(lambda t, x: t.linalg.vector_norm(x, 0), [np.array([0.0, 1.0, -2.0])])
    check(lambda t, x: x.norm(0, 1), [(2, 3)])
    x = ember.tensor([0.0, 1.0, -2.0], requires_grad=True)
    ember.linalg.vector_norm(x, 0).backward()
    assert x.grad is None


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: t.linalg.vector_norm(x, INF),
        lambda t, x: t.linalg.vector_norm(x, -INF, 0),
        lambda t, x: t.linalg.vector_norm(x, -1),
        lambda t, x: t.norm(x, -0.5, dim=0),
        lambda t, x: t.linalg.norm(x, INF),
    ],
    ids=["inf", "minus_inf_dim", "minus_one", "torch_norm_negative", "linalg_norm_inf"],
)
def test_max_like_norms_of_nothing_are_refused(fn):
    error = check_error(fn, np.zeros(0, np.float32))
    assert "does not have an identity" in str(error)


def test_max_like_norms_over_non_empty_dims_of_an_empty_tensor():
    check(lambda t, x: t.linalg.vector_norm(x, INF, 1), [np.zeros((0, 3), np.float32)])
    check(lambda t, x: t.linalg.vector_norm(x, 0), [np.zeros(0, np.float32)])


NORM_ERRORS = {
    "vector_norm_string_ord": lambda t, x: t.linalg.vector_norm(x, "fro"),
    "vector_norm_dtype_of_ints": lambda t, x: t.linalg.vector_norm(x.long(), dtype=t.float64),
    "vector_norm_narrowing_dtype": lambda t, x: t.linalg.vector_norm(x.double(), dtype=t.float32),
    "vector_norm_integer_dtype": lambda t, x: t.linalg.vector_norm(x, dtype=t.int64),
    "norm_dtype_of_ints": lambda t, x: t.norm(x.long(), dtype=t.float64),
    "linalg_norm_dtype_of_ints": lambda t, x: t.linalg.norm(x.int(), dtype=t.float64),
    "matrix_norm_of_ints": lambda t, x: t.linalg.matrix_norm(x.long(), 1),
    "matrix_norm_1d": lambda t, x: t.linalg.matrix_norm(x[0]),
    "matrix_norm_one_dim": lambda t, x: t.linalg.matrix_norm(x, "fro", (1,)),
    "matrix_norm_same_dims": lambda t, x: t.linalg.matrix_norm(x, 1, (0, -2)),
    "matrix_norm_half_ord2": lambda t, x: t.linalg.matrix_norm(x.half(), 2),
    "matrix_norm_narrowing_dtype": lambda t, x: t.linalg.matrix_norm(x.double(), dtype=t.float32),
    "linalg_norm_fro_of_a_vector": lambda t, x: t.linalg.norm(x[0], "fro"),
    "linalg_norm_fro_one_dim": lambda t, x: t.linalg.norm(x, "fro", 0),
    "linalg_norm_nuc_one_dim": lambda t, x: t.linalg.norm(x, "nuc", 0),
    "linalg_norm_three_dims": lambda t, x: t.linalg.norm(x.expand(2, 3, 4), dim=(0, 1, 2)),
    "linalg_norm_no_dims": lambda t, x: t.linalg.norm(x, dim=[]),
    "norm_nuc_of_3d": lambda t, x: t.norm(x.expand(2, 3, 4), "nuc"),
    "norm_nuc_one_dim": lambda t, x: t.norm(x, "nuc", 0),
    "norm_nuc_of_a_vector": lambda t, x: t.norm(x[0], "nuc"),
    "norm_fro_three_dims": lambda t, x: t.norm(x.expand(2, 3, 4), "fro", (0, 1, 2)),
    "norm_unknown_order": lambda t, x: t.norm(x, "bad"),
}


@pytest.mark.parametrize("op", sorted(NORM_ERRORS))
def test_norm_argument_errors_match_torch(op):
    check_error(NORM_ERRORS[op], np.ones((3, 4), np.float32))


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: t.linalg.matrix_norm(x, dtype=t.float64),
        lambda t, x: t.linalg.matrix_norm(x, 2, dtype=t.float64),
        lambda t, x: t.linalg.norm(x, 1, dtype=t.float64),
        lambda t, x: t.linalg.vector_norm(x, 3, dtype=t.float64),
        lambda t, x: t.norm(x, "nuc", dtype=t.float64),
        lambda t, x: t.norm(x, "fro", (0, 1)),
        lambda t, x: t.linalg.norm(x, "fro", (1, 0), True),
    ],
    ids=["matrix_fro", "matrix_2", "linalg_norm_1", "vector_3", "norm_nuc", "fro_2d", "fro_dims"],
)
def test_norms_with_a_widening_dtype_or_explicit_dims(fn):
    check(fn, [(3, 4)])


def test_warnings_stay_as_torch_gives_them():
    """No new warning on the everyday paths touched above."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = ember.tensor(well_conditioned((3, 3)))
        ember.linalg.solve(a, a, left=False)
        ember.linalg.lstsq(a, a[:, 0])
        ember.linalg.matrix_norm(ember.zeros(2, 3), 2)
        ember.arange(6).sum(dtype=ember.int32)
