"""L5: ``linalg.svd`` and ``linalg.svdvals`` against PyTorch: values (up to the sign of each
singular pair, which LAPACK chooses), shapes, dtypes, errors, and gradients to second
order; and the singular-value norms built on them."""

import numpy as np
import pytest
import torch
from oracle import ON_DEVICE, assert_same, check, check_error, check_gradcheck, on_test_device

import ember

SHAPES = [(3, 3), (4, 3), (3, 5), (6, 2), (2, 4, 3), (1, 2, 3, 4)]


def separated(shape, seed=0):
    """Matrices with singular values 3 ... 1, evenly apart: U and V are then smooth
    functions of A, and their gradients finite."""
    rng = np.random.default_rng(seed)
    *batch, rows, columns = shape
    k = min(rows, columns)
    matrices = np.empty(shape)
    for index in np.ndindex(*batch):
        left, _ = np.linalg.qr(rng.standard_normal((rows, rows)))
        right, _ = np.linalg.qr(rng.standard_normal((columns, columns)))
        middle = np.zeros((rows, columns))
        middle[range(k), range(k)] = np.linspace(3, 1, k)
        matrices[index] = left @ middle @ right.T
    return matrices


def pair(array, requires_grad=False):
    with on_test_device():
        mine = ember.tensor(array, requires_grad=requires_grad)
    return mine, torch.tensor(array, requires_grad=requires_grad)


def skip_where_signs_are_cusolvers():
    """On a real GPU ember's U and Vh come from cuSOLVER (through CuPy), whose sign for each
    singular pair need not be LAPACK's: there only sign-free results are compared."""
    if ON_DEVICE and torch.cuda.is_available():
        pytest.skip("on the GPU, the signs of U and Vh are cuSOLVER's, not LAPACK's")


def numpy_of(tensor):
    return tensor.detach().cpu().numpy()


# Values ---------------------------------------------------------------------------------


@pytest.mark.parametrize("full_matrices", [True, False])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", SHAPES)
def test_svd_matches_torch_up_to_signs(shape, dtype, full_matrices):
    a = np.random.default_rng(1).standard_normal(shape).astype(dtype)
    mine, theirs = pair(a)
    ours = ember.linalg.svd(mine, full_matrices=full_matrices)
    expected = torch.linalg.svd(theirs, full_matrices=full_matrices)
    tolerance = 1e-4 if dtype == "float32" else 1e-10
    for got, want in zip(ours, expected):
        assert tuple(got.shape) == tuple(want.shape)
        assert got.dtype.name == dtype
    assert_same(ours.S, expected.S, atol=tolerance, rtol=tolerance)
    k = min(shape[-2:])
    u, s, vh = numpy_of(ours.U), numpy_of(ours.S), numpy_of(ours.Vh)
    np.testing.assert_allclose((u[..., :k] * s[..., None, :]) @ vh[..., :k, :], a, atol=tolerance)
    np.testing.assert_allclose(
        abs(u[..., :k]), abs(numpy_of(expected.U)[..., :k]), atol=10 * tolerance
    )
    np.testing.assert_allclose(
        abs(vh[..., :k, :]), abs(numpy_of(expected.Vh)[..., :k, :]), atol=10 * tolerance
    )
    for factor in (u, vh.swapaxes(-1, -2)):  # orthonormal columns, the extra ones too
        eye = np.broadcast_to(np.eye(factor.shape[-1]), factor.shape[:-2] + (factor.shape[-1],) * 2)
        np.testing.assert_allclose(factor.swapaxes(-1, -2) @ factor, eye, atol=tolerance)


@pytest.mark.parametrize("shape", [(3, 3), (5, 5), (2, 4, 4), (6, 2)])
def test_svd_gives_torchs_signs_where_lapack_agrees(shape):
    """NumPy's LAPACK and PyTorch's (MKL) choose the same signs for these shapes."""
    skip_where_signs_are_cusolvers()
    mine, theirs = pair(separated(shape, seed=2))
    for ours, expected in zip(ember.linalg.svd(mine), torch.linalg.svd(theirs)):
        assert_same(ours, expected, atol=1e-10, rtol=1e-10)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", SHAPES + [(0, 3), (3, 0), (2, 0, 3), (0, 2, 2)])
def test_svdvals_match_torch(shape, dtype):
    check(lambda t, a: t.linalg.svdvals(a), [shape], dtype=dtype, atol=1e-5, grad=False)
    check(lambda t, a: t.linalg.svdvals(A=a), [shape], dtype=dtype, atol=1e-5)


def test_svdvals_are_svds_singular_values():
    a = ember.tensor(np.random.default_rng(3).standard_normal((2, 3, 4)))
    values = ember.linalg.svdvals(a)
    np.testing.assert_allclose(numpy_of(values), numpy_of(ember.linalg.svd(a).S), atol=1e-12)
    assert not values.requires_grad


@pytest.mark.parametrize("full_matrices", [True, False])
@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (0, 0), (2, 0, 3), (0, 2, 2)])
def test_svd_of_empty_matrices_matches_torch(shape, full_matrices):
    check(lambda t, a: t.linalg.svd(a, full_matrices), [shape], grad=False)


def test_svd_of_an_inf_gives_nan_singular_values_as_torch():
    if ON_DEVICE and torch.cuda.is_available():
        pytest.skip("on the GPU, cuSOLVER gives inf and finite values here (docs/gpu.md)")
    a = np.array([[[np.inf, 1.0], [1.0, 1.0]], [[2.0, 0.0], [0.0, 1.0]]])
    mine, theirs = pair(a)
    assert_same(ember.linalg.svdvals(mine), torch.linalg.svdvals(theirs))
    assert_same(ember.linalg.svd(mine).S, torch.linalg.svd(theirs).S)


def test_svd_is_a_named_tuple_like_torchs():
    a = ember.tensor([[3.0, 0.0], [0.0, 2.0]])
    result = ember.linalg.svd(a)
    expected = torch.linalg.svd(torch.tensor([[3.0, 0.0], [0.0, 2.0]]))
    assert type(result).__name__ == type(expected).__name__ == "linalg_svd"
    assert result._fields == ("U", "S", "Vh")
    U, S, Vh = result
    assert U is result.U is result[0] and S is result.S and Vh is result[2]
    assert repr(result) == repr(expected).replace("torch.", "ember.")
    assert ember.return_types.linalg_svd is type(result)


def test_svd_and_svdvals_record_no_graph_without_grad():
    a = ember.tensor(separated((3, 3)), requires_grad=True)
    with ember.no_grad():
        assert not any(factor.requires_grad for factor in ember.linalg.svd(a))
        assert not ember.linalg.svdvals(a).requires_grad
    result = ember.linalg.svd(a)
    assert all(factor.requires_grad for factor in result)
    assert [factor.grad_fn.name() for factor in result] == ["LinalgSvdBackward0"] * 3
    assert ember.linalg.svdvals(a).grad_fn.name() == "LinalgSvdBackward0"
    assert result.U.grad_fn.next_functions[0][0].name() == "AccumulateGrad"


# Errors ---------------------------------------------------------------------------------

ERRORS = {
    "svd_of_a_vector": lambda t, a: t.linalg.svd(a[0]),
    "svdvals_of_a_vector": lambda t, a: t.linalg.svdvals(a[0]),
    "svdvals_of_a_number": lambda t, a: t.linalg.svdvals(a[0, 0]),
    "svd_of_ints": lambda t, a: t.linalg.svd(a.long()),
    "svdvals_of_bools": lambda t, a: t.linalg.svdvals(a > 0),
    "svd_of_float16": lambda t, a: t.linalg.svd(a.half()),
    "svdvals_of_float16": lambda t, a: t.linalg.svdvals(a.half()),
    "svd_driver_on_the_cpu": lambda t, a: t.linalg.svd(a, driver="gesvd"),
    "svdvals_driver_on_the_cpu": lambda t, a: t.linalg.svdvals(a, driver="gesvdj"),
    "svd_driver_not_a_string": lambda t, a: t.linalg.svd(a, driver=1),
    "svd_driver_before_float16": lambda t, a: t.linalg.svd(a.half(), driver="gesvd"),
    "svd_ints_before_driver": lambda t, a: t.linalg.svd(a.long(), driver="gesvd"),
    "svd_full_matrices_none": lambda t, a: t.linalg.svd(a, None),
    "svd_full_matrices_int": lambda t, a: t.linalg.svd(a, full_matrices=1),
    "svd_of_a_list": lambda t, a: t.linalg.svd(a.tolist()),
    "svdvals_of_a_list": lambda t, a: t.linalg.svdvals(a.tolist()),
}


@pytest.mark.parametrize("op", sorted(ERRORS))
def test_argument_errors_match_torch(op):
    check_error(ERRORS[op], np.ones((3, 4), np.float32))


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, a: t.linalg.svd(a),
        lambda t, a: t.linalg.svdvals(a),
        lambda t, a: t.linalg.svdvals(a.requires_grad_()),
        lambda t, a: t.linalg.matrix_norm(a, 2),
        lambda t, a: t.linalg.norm(a.requires_grad_(), "nuc", (-2, -1)),
    ],
    ids=["svd", "svdvals", "svdvals_grad", "matrix_norm_2", "norm_nuc_grad"],
)
def test_a_nan_is_a_linalg_error_naming_the_batch_element(fn):
    a = np.ones((2, 3, 3))
    a[1, 0, 2] = np.nan
    error = check_error(fn, a)
    assert isinstance(error, ember.linalg.LinAlgError)
    assert "batch element 1" in str(error) and "NaN" in str(error)


# Gradients ------------------------------------------------------------------------------


def weights(shape, seed):
    return np.random.default_rng(seed).uniform(-1, 1, shape)


# Losses whose value does not depend on the signs LAPACK picks: any shape.
GAUGE_INVARIANT = {
    "sum_of_S": lambda t, r, a: (r.S * r.S).sum() + r.S.sum(),
    "svdvals": lambda t, r, a: (t.linalg.svdvals(a) ** 3).sum(),
    "reconstruction": lambda t, r, a: (
        (r.U[..., : r.S.shape[-1]] * r.S.unsqueeze(-2))
        @ r.Vh[..., : r.S.shape[-1], :]
        * t.tensor(weights(a.shape, 4))
    ).sum(),
    "projection_onto_U": lambda t, r, a: (
        r.U[..., :2] @ r.U[..., :2].mT * t.tensor(weights(a.shape[:-1] + a.shape[-2:-1], 5))
    ).sum(),
    "projection_onto_V": lambda t, r, a: (
        r.Vh[..., :2, :].mT
        @ r.Vh[..., :2, :]
        * t.tensor(weights(a.shape[:-2] + a.shape[-1:] * 2, 6))
    ).sum(),
    "rank_one_part": lambda t, r, a: (
        (r.S[..., :1].unsqueeze(-1) * r.U[..., :1] @ r.Vh[..., :1, :]) ** 2
    ).sum(),
}

# Losses that change with the sign of a singular pair: shapes where the signs are torch's.
GAUGE_DEPENDENT = {
    "sum_of_U": lambda t, r, a: r.U.sum(),
    "U_times_c": lambda t, r, a: (r.U * t.tensor(weights(r.U.shape, 7))).sum(),
    "Vh_times_c": lambda t, r, a: (r.Vh * t.tensor(weights(r.Vh.shape, 8))).sum(),
    "everything": lambda t, r, a: (
        (r.U * t.tensor(weights(r.U.shape, 9))).sum() + (r.S**2).sum() + r.Vh[..., 0, :].sum()
    ),
}


def gradients_of_both(fn, array):
    """``fn``'s value and its first and second-order gradients (the latter along a fixed
    direction), in ember and in torch."""
    direction = weights(array.shape, 10)
    results = []
    with on_test_device("cpu"):  # torch stays on the CPU, where pair made its tensor
        for library, a in zip((ember, torch), pair(array, requires_grad=True)):
            value = fn(library, a)
            (first,) = library.autograd.grad(value.sum(), a, create_graph=True)
            (second,) = library.autograd.grad((first * library.tensor(direction)).sum(), a)
            results.append([numpy_of(value), numpy_of(first), numpy_of(second)])
    return results


def assert_same_gradients(fn, array):
    ours, expected = gradients_of_both(fn, array)
    for mine, theirs in zip(ours, expected):
        np.testing.assert_allclose(mine, theirs, atol=1e-8)


def assert_torchs_signs(array, full_matrices):
    mine, theirs = pair(array)
    k = min(array.shape[-2:])
    ours, expected = ember.linalg.svd(mine, full_matrices), torch.linalg.svd(theirs, full_matrices)
    np.testing.assert_allclose(numpy_of(ours.U)[..., :k], numpy_of(expected.U)[..., :k], atol=1e-9)
    np.testing.assert_allclose(
        numpy_of(ours.Vh)[..., :k, :], numpy_of(expected.Vh)[..., :k, :], atol=1e-9
    )


@pytest.mark.parametrize("full_matrices", [False, True])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("loss", sorted(GAUGE_INVARIANT))
def test_gradients_match_torch_to_second_order(loss, shape, full_matrices):
    def fn(t, a):
        return GAUGE_INVARIANT[loss](t, t.linalg.svd(a, full_matrices), a)

    assert_same_gradients(fn, separated(shape, seed=11))


@pytest.mark.parametrize("full_matrices", [False, True])
@pytest.mark.parametrize("shape", [(3, 3), (4, 4), (2, 3, 3), (6, 2)])
@pytest.mark.parametrize("loss", sorted(GAUGE_DEPENDENT))
def test_sign_dependent_gradients_match_torch_to_second_order(loss, shape, full_matrices):
    """U.sum() depends on the signs of U's columns: with torch's signs, torch's gradients
    (ember does not pick signs of its own)."""
    skip_where_signs_are_cusolvers()

    def fn(t, a):
        return GAUGE_DEPENDENT[loss](t, t.linalg.svd(a, full_matrices), a)

    array = separated(shape, seed=12)
    assert_torchs_signs(array, full_matrices)
    assert_same_gradients(fn, array)


FINITE_DIFFERENCE_LOSSES = {
    "S": lambda t, a: t.linalg.svd(a).S,
    "U_reduced": lambda t, a: t.linalg.svd(a, full_matrices=False).U,
    "Vh_reduced": lambda t, a: t.linalg.svd(a, full_matrices=False).Vh,
    "U_and_Vh": lambda t, a: (lambda r: r.U @ r.Vh[..., : r.U.shape[-1], :])(
        t.linalg.svd(a, full_matrices=False)
    ),
    "svdvals": lambda t, a: t.linalg.svdvals(a),
}


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("shape", [(3, 3), (4, 3), (3, 5), (2, 4, 3)])
@pytest.mark.parametrize("loss", sorted(FINITE_DIFFERENCE_LOSSES))
def test_gradients_match_finite_differences(loss, shape, order):
    check_gradcheck(FINITE_DIFFERENCE_LOSSES[loss], [separated(shape, seed=13)], order=order)


@pytest.mark.parametrize("shape", [(4, 2), (2, 4), (2, 5, 3)])
def test_full_matrices_ignore_the_extra_columns_gradients_as_torch(shape):
    def extra_columns(t, a):
        U, S, Vh = t.linalg.svd(a)
        k = S.shape[-1]
        return U[..., k:].sum() + Vh[..., k:, :].sum() + S.sum()

    check(extra_columns, [separated(shape, seed=14)], dtype="float64", atol=1e-9)


@pytest.mark.parametrize("matrix", [np.eye(3), np.zeros((2, 3)), np.diag([2.0, 2.0, 1.0])])
def test_gradient_of_S_alone_is_finite_at_equal_singular_values(matrix):
    """Only S's term: U diag(dS) Vh, which needs no gap between singular values."""
    check(lambda t, a: t.linalg.svd(a).S, [matrix], dtype="float64", atol=1e-12)
    check(lambda t, a: t.linalg.svdvals(a), [matrix], dtype="float64", atol=1e-12)


def test_changing_a_factor_in_place_before_backward_is_an_error():
    for position in range(3):
        a = ember.tensor(separated((3, 3)), requires_grad=True)
        factors = ember.linalg.svd(a)
        with ember.no_grad():
            factors[position].mul_(2)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            factors[(position + 1) % 3].sum().backward()


def test_backward_twice_needs_retain_graph():
    a = ember.tensor(separated((3, 3)), requires_grad=True)
    U, S, Vh = ember.linalg.svd(a)
    loss = U.sum() + S.sum()
    loss.backward(retain_graph=True)
    loss.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        loss.backward()


# The singular-value norms, on svdvals ---------------------------------------------------

NORMS = {
    "matrix_norm_2": lambda t, a: t.linalg.matrix_norm(a, 2),
    "matrix_norm_minus_2": lambda t, a: t.linalg.matrix_norm(a, -2),
    "matrix_norm_nuc": lambda t, a: t.linalg.matrix_norm(a, "nuc"),
    "linalg_norm_2_dims": lambda t, a: t.linalg.norm(a, 2, (0, -1), keepdim=True),
    "norm_nuc": lambda t, a: t.norm(a, "nuc", (-1, -2)),
}


@pytest.mark.parametrize("shape", [(3, 4), (4, 3), (2, 3, 3)])
@pytest.mark.parametrize("norm", sorted(NORMS))
def test_singular_value_norms_second_order_match_torch(norm, shape):
    array = separated(shape, seed=15)
    assert_same_gradients(NORMS[norm], array)
    check_gradcheck(NORMS[norm], [array], order=2)


@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (2, 0, 3)])
def test_singular_value_norms_of_empty_matrices_match_torch(shape):
    """No singular value: PyTorch's 2-norm and nuclear norm are 0, its -2-norm an error."""
    check(lambda t, a: t.linalg.matrix_norm(a, 2), [shape])
    check(lambda t, a: t.linalg.matrix_norm(a, "nuc"), [shape])
    check_error(lambda t, a: t.linalg.matrix_norm(a, -2), np.ones(shape, np.float32))
