"""L5: the decompositions and functions of matrices against PyTorch: ``linalg.slogdet``,
``slogdet``, ``logdet``, ``det``; ``linalg.cholesky`` (``cholesky_ex``, ``cholesky``),
``cholesky_solve``, ``cholesky_inverse``; ``linalg.qr`` (``qr``); ``linalg.eigh`` and
``eigvalsh``; ``linalg.pinv`` (``pinverse``); ``linalg.solve_triangular``
(``triangular_solve``); ``linalg.matrix_exp``, ``matrix_rank``, ``cond``, ``inv_ex``; and
``svd`` (U, S, V). Values, dtypes, shapes, gradients (and finite differences to second
order), errors, named tuples and node names."""

import math
import warnings

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error, check_gradcheck, on_test_device

import ember

INF, NAN = math.inf, math.nan


# Inputs: a random matrix made into the kind each op needs, by ops both libraries run, so
# that gradients reach the random entries.


def spd(t, x):
    """Symmetric positive-definite."""
    return x @ x.mT + 2 * t.eye(x.shape[-1], dtype=x.dtype)


def symmetric(t, x):
    return x + x.mT


def lower(t, x):
    return t.tril(x) + 3 * t.eye(x.shape[-1], dtype=x.dtype)


def upper(t, x):
    return t.triu(x) + 3 * t.eye(x.shape[-1], dtype=x.dtype)


def with_dtype(values, dtype="float32"):
    return np.array(values, dtype)


def eigen_reconstruction(t, result):
    """V diag(w) V^T: free of the signs LAPACK gives the eigenvectors."""
    values, vectors = result
    return (vectors * values.unsqueeze(-2)) @ vectors.mT


def projection_on_first_two(t, result):
    vectors = result.eigenvectors[..., :2]
    return vectors @ vectors.mT


def factors_mixed(t, result):
    """Both factors of a QR in one output: the gradient reaches A through each."""
    q, r = result
    return q.sum(-1, keepdim=True) * r.sum(-2, keepdim=True)


# (name, fn, shapes): forward and backward against torch, in float32 and float64.
MATCHES = [
    ("slogdet_logabsdet", lambda t, x: t.linalg.slogdet(spd(t, x)).logabsdet, [(2, 3, 3)]),
    ("slogdet_sign", lambda t, x: t.linalg.slogdet(x).sign, [(4, 3, 3)]),
    ("slogdet_function", lambda t, x: t.slogdet(spd(t, x))[1], [(3, 3)]),
    ("slogdet_method", lambda t, x: x.slogdet().logabsdet * 2, [(3, 3)]),
    ("logdet", lambda t, x: t.logdet(spd(t, x)), [(2, 4, 4)]),
    ("logdet_method", lambda t, x: spd(t, x).logdet(), [(3, 3)]),
    ("logdet_negative_is_nan", lambda t, x: t.logdet(-spd(t, x)[..., :3, :3]), [(3, 3)]),
    ("det", lambda t, x: t.det(x), [(2, 3, 3)]),
    ("cholesky", lambda t, x: t.linalg.cholesky(spd(t, x)), [(3, 3)]),
    ("cholesky_upper", lambda t, x: t.linalg.cholesky(spd(t, x), upper=True), [(2, 3, 3)]),
    ("cholesky_ex", lambda t, x: t.linalg.cholesky_ex(spd(t, x)).L, [(2, 4, 4)]),
    ("cholesky_old", lambda t, x: t.cholesky(spd(t, x), True), [(3, 3)]),
    ("cholesky_method", lambda t, x: spd(t, x).cholesky(), [(3, 3)]),
    ("cholesky_solve", lambda t, b, x: t.cholesky_solve(b, lower(t, x)), [(3, 2), (3, 3)]),
    (
        "cholesky_solve_upper",
        lambda t, b, x: t.cholesky_solve(b, upper(t, x), upper=True),
        [(2, 3, 2), (3, 3)],
    ),
    # the factor's other triangle is not read, but PyTorch's gradient reaches it
    ("cholesky_solve_full_factor", lambda t, b, x: t.cholesky_solve(b, x + 3), [(3, 2), (3, 3)]),
    (
        "cholesky_solve_broadcast",
        lambda t, b, x: b.cholesky_solve(lower(t, x)),
        [(3, 2), (2, 3, 3)],
    ),
    ("cholesky_inverse", lambda t, x: t.cholesky_inverse(lower(t, x)), [(2, 3, 3)]),
    ("cholesky_inverse_upper", lambda t, x: upper(t, x).cholesky_inverse(True), [(3, 3)]),
    ("cholesky_inverse_full_factor", lambda t, x: t.cholesky_inverse(x + 3), [(3, 3)]),
    ("qr_tall_R", lambda t, x: t.linalg.qr(x).R, [(5, 3)]),
    ("qr_tall_Q", lambda t, x: t.linalg.qr(x).Q, [(2, 5, 3)]),
    ("qr_square_both", lambda t, x: factors_mixed(t, t.linalg.qr(x)), [(4, 4)]),
    ("qr_wide_Q", lambda t, x: t.linalg.qr(x)[0], [(2, 5)]),
    ("qr_wide_both", lambda t, x: factors_mixed(t, t.linalg.qr(x)), [(2, 3, 5)]),
    ("qr_complete_wide", lambda t, x: t.linalg.qr(x, "complete").R, [(3, 4)]),
    ("qr_complete_tall_forward", lambda t, x: t.linalg.qr(x.detach(), mode="complete"), [(4, 2)]),
    ("qr_r", lambda t, x: t.linalg.qr(x.detach(), "r").R, [(4, 3)]),
    ("qr_old", lambda t, x: t.qr(x)[1], [(4, 3)]),
    ("qr_old_complete", lambda t, x: x.detach().qr(some=False).Q, [(4, 2)]),
    ("eigvalsh", lambda t, x: t.linalg.eigvalsh(symmetric(t, x)), [(2, 4, 4)]),
    ("eigvalsh_upper", lambda t, x: t.linalg.eigvalsh(x, UPLO="U"), [(4, 4)]),
    ("eigh_eigenvalues", lambda t, x: t.linalg.eigh(x).eigenvalues, [(3, 3)]),
    ("eigh_reconstruction", lambda t, x: eigen_reconstruction(t, t.linalg.eigh(x)), [(2, 4, 4)]),
    ("eigh_projection", lambda t, x: projection_on_first_two(t, t.linalg.eigh(x, "U")), [(4, 4)]),
    ("eigh_squares", lambda t, x: t.linalg.eigh(symmetric(t, x))[1] ** 2, [(3, 3)]),
    ("pinv_tall", lambda t, x: t.linalg.pinv(x), [(5, 3)]),
    ("pinv_wide", lambda t, x: t.linalg.pinv(x), [(2, 3, 5)]),
    ("pinv_rcond", lambda t, x: t.linalg.pinv(x, 0.3), [(4, 3)]),
    ("pinv_atol", lambda t, x: t.linalg.pinv(x, atol=1.0), [(4, 3)]),
    ("pinv_atol_rtol", lambda t, x: t.linalg.pinv(x, atol=0.1, rtol=0.4), [(3, 4)]),
    ("pinv_hermitian", lambda t, x: t.linalg.pinv(symmetric(t, x), hermitian=True), [(3, 3)]),
    ("pinv_hermitian_reads_lower", lambda t, x: t.linalg.pinv(x, hermitian=True), [(3, 3)]),
    ("pinv_rank_deficient", lambda t, x: t.linalg.pinv(x @ x[..., :1, :]), [(3, 1)]),
    ("pinverse", lambda t, x: t.pinverse(x), [(4, 3)]),
    ("pinverse_method", lambda t, x: x.pinverse(0.3), [(3, 4)]),
    (
        "solve_triangular_upper",
        lambda t, a, b: t.linalg.solve_triangular(upper(t, a), b, upper=True),
        [(3, 3), (3, 2)],
    ),
    (
        "solve_triangular_lower",
        lambda t, a, b: t.linalg.solve_triangular(lower(t, a), b, upper=False),
        [(2, 3, 3), (3, 2)],
    ),
    (
        "solve_triangular_reads_its_triangle",
        lambda t, a, b: t.linalg.solve_triangular(a + 3, b, upper=True),
        [(3, 3), (3, 4)],
    ),
    (
        "solve_triangular_unit",
        lambda t, a, b: t.linalg.solve_triangular(a, b, upper=False, unitriangular=True),
        [(4, 4), (4, 1)],
    ),
    (
        "solve_triangular_right",
        lambda t, a, b: t.linalg.solve_triangular(a + 3, b, upper=True, left=False),
        [(3, 3), (2, 3)],
    ),
    (
        "solve_triangular_right_unit",
        lambda t, a, b: t.linalg.solve_triangular(
            a, b, upper=False, left=False, unitriangular=True
        ),
        [(3, 3), (2, 2, 3)],
    ),
    (
        "solve_triangular_broadcast",
        lambda t, a, b: t.linalg.solve_triangular(upper(t, a), b, upper=True),
        [(2, 1, 3, 3), (4, 3, 2)],
    ),
    (
        "solve_triangular_large",
        lambda t, a, b: t.linalg.solve_triangular(lower(t, a) * 3, b, upper=False),
        [(40, 40), (40, 3)],
    ),
    (
        "solve_triangular_large_upper",
        lambda t, a, b: t.linalg.solve_triangular(upper(t, a) * 3, b, upper=True, left=False),
        [(37, 37), (2, 37)],
    ),
    (
        "triangular_solve",
        lambda t, b, a: t.triangular_solve(b, upper(t, a)).solution,
        [(3, 2), (3, 3)],
    ),
    (
        "triangular_solve_lower_transposed",
        lambda t, b, a: t.triangular_solve(b, lower(t, a), False, True).solution,
        [(3, 2), (3, 3)],
    ),
    (
        "triangular_solve_unit",
        lambda t, b, a: b.triangular_solve(a, unitriangular=True)[0],
        [(2, 3, 2), (3, 3)],
    ),
    (
        "triangular_solve_copy",
        lambda t, b, a: t.triangular_solve(b.detach(), a)[1],
        [(2, 3, 2), (3, 3)],
    ),
    ("matrix_exp", lambda t, x: t.linalg.matrix_exp(x), [(3, 3)]),
    ("matrix_exp_scaled", lambda t, x: t.matrix_exp(4 * x), [(2, 4, 4)]),
    ("matrix_exp_method", lambda t, x: x.matrix_exp(), [(1, 1)]),
    ("matrix_exp_rotation", lambda t, x: t.linalg.matrix_exp(x - x.mT), [(3, 3)]),
    ("matrix_rank", lambda t, x: t.linalg.matrix_rank(x), [(2, 4, 3)]),
    ("matrix_rank_deficient", lambda t, x: t.linalg.matrix_rank(x @ x.mT), [(4, 2)]),
    ("matrix_rank_tol", lambda t, x: t.linalg.matrix_rank(x, 1.5), [(4, 4)]),
    ("matrix_rank_rtol", lambda t, x: t.linalg.matrix_rank(x, rtol=0.4), [(4, 4)]),
    (
        "matrix_rank_hermitian",
        lambda t, x: t.linalg.matrix_rank(x, atol=1.0, hermitian=True),
        [(4, 4)],
    ),
    ("cond", lambda t, x: t.linalg.cond(x), [(4, 3)]),
    ("cond_minus_2", lambda t, x: t.linalg.cond(x, -2), [(2, 3, 4)]),
    ("cond_nuc", lambda t, x: t.linalg.cond(x, "nuc"), [(3, 3)]),
    ("cond_fro_forward", lambda t, x: t.linalg.cond(x.detach(), "fro"), [(2, 3, 3)]),
    ("cond_inf_forward", lambda t, x: t.linalg.cond(x.detach(), INF), [(3, 3)]),
    ("cond_1_forward", lambda t, x: t.linalg.cond(x.detach(), -1), [(3, 3)]),
    ("inv_ex", lambda t, x: t.linalg.inv_ex(x + 3 * t.eye(3)).inverse, [(2, 3, 3)]),
    ("svd_S", lambda t, x: t.svd(x).S, [(4, 3)]),
    (
        "svd_reconstruction",
        lambda t, x: (lambda r: (r.U * r.S.unsqueeze(-2)) @ r.V.mT)(t.svd(x)),
        [(2, 3, 4)],
    ),
    (
        "svd_full_shapes",
        lambda t, x: t.stack([t.tensor(r.shape) for r in t.svd(x.detach(), False)[::2]]),
        [(4, 2)],
    ),
    ("svd_without_uv", lambda t, x: t.svd(x, compute_uv=False).S, [(3, 4)]),
    (
        "svd_without_uv_zeros",
        lambda t, x: t.svd(x.detach(), some=True, compute_uv=False),
        [(2, 3, 4)],
    ),
    ("svd_method", lambda t, x: x.svd().S.sum(), [(3, 3)]),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name, fn, shapes", MATCHES, ids=[case[0] for case in MATCHES])
def test_matches_torch(name, fn, shapes, dtype):
    tolerance = 2e-4 if dtype == "float32" else 1e-9
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the older forms' deprecations, in both libraries
        check(fn, shapes, dtype=dtype, atol=tolerance, rtol=tolerance, low=-1, high=1)


# (name, fn, shapes): ember's gradients against central differences, to second order.
GRADIENTS = [
    ("slogdet", lambda t, x: t.linalg.slogdet(spd(t, x)).logabsdet, [(2, 3, 3)]),
    ("logdet", lambda t, x: t.logdet(spd(t, x)), [(3, 3)]),
    ("cholesky", lambda t, x: t.linalg.cholesky(spd(t, x)), [(3, 3)]),
    ("cholesky_upper", lambda t, x: t.linalg.cholesky(spd(t, x), upper=True), [(2, 3, 3)]),
    ("cholesky_solve", lambda t, b, x: t.cholesky_solve(b, lower(t, x)), [(3, 2), (3, 3)]),
    (
        "cholesky_solve_upper",
        lambda t, b, x: t.cholesky_solve(b, upper(t, x), True),
        [(3, 2), (3, 3)],
    ),
    ("cholesky_inverse", lambda t, x: t.cholesky_inverse(lower(t, x)), [(3, 3)]),
    ("cholesky_inverse_upper", lambda t, x: t.cholesky_inverse(upper(t, x), True), [(3, 3)]),
    ("qr_tall", lambda t, x: t.linalg.qr(x), [(4, 3)]),
    ("qr_wide", lambda t, x: t.linalg.qr(x), [(2, 4)]),
    ("eigvalsh", lambda t, x: t.linalg.eigvalsh(symmetric(t, x)), [(3, 3)]),
    ("eigh", lambda t, x: eigen_reconstruction(t, t.linalg.eigh(symmetric(t, x))), [(3, 3)]),
    (
        "eigh_projection",
        lambda t, x: projection_on_first_two(t, t.linalg.eigh(symmetric(t, x))),
        [(4, 4)],
    ),
    ("pinv", lambda t, x: t.linalg.pinv(x), [(4, 3)]),
    ("pinv_wide", lambda t, x: t.linalg.pinv(x), [(2, 4)]),
    ("pinv_hermitian", lambda t, x: t.linalg.pinv(symmetric(t, x), hermitian=True), [(3, 3)]),
    (
        "solve_triangular",
        lambda t, a, b: t.linalg.solve_triangular(upper(t, a), b, upper=True),
        [(3, 3), (3, 2)],
    ),
    (
        "solve_triangular_right_unit",
        lambda t, a, b: t.linalg.solve_triangular(
            t.tril(a), b, upper=False, left=False, unitriangular=True
        ),
        [(3, 3), (2, 3)],
    ),
    (
        "triangular_solve",
        lambda t, a, b: t.triangular_solve(b, lower(t, a), False, True).solution,
        [(3, 3), (3, 2)],
    ),
    ("matrix_exp", lambda t, x: t.linalg.matrix_exp(x), [(3, 3)]),
    ("matrix_exp_scaled", lambda t, x: t.matrix_exp(4 * x), [(2, 2, 2)]),
    ("cond", lambda t, x: t.linalg.cond(x), [(3, 3)]),
    # PyTorch 2.13's backward fails for these norms (its inv_ex output is changed in place)
    ("cond_fro", lambda t, x: t.linalg.cond(x, "fro"), [(3, 3)]),
    ("cond_1", lambda t, x: t.linalg.cond(x, 1), [(3, 3)]),
    ("inv_ex", lambda t, x: t.linalg.inv_ex(x).inverse, [(3, 3)]),
    ("svd", lambda t, x: (lambda r: (r.U * r.S.unsqueeze(-2)) @ r.V.mT)(t.svd(x)), [(4, 3)]),
]


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("name, fn, shapes", GRADIENTS, ids=[case[0] for case in GRADIENTS])
def test_gradients_match_finite_differences(name, fn, shapes, order):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_gradcheck(fn, shapes, order=order, low=-1, high=1)


KEYWORDS = [
    lambda t, x: t.linalg.slogdet(A=x).logabsdet,
    lambda t, x: t.slogdet(input=x).logabsdet,
    lambda t, x: t.logdet(input=x),
    lambda t, x: t.det(input=x),
    lambda t, x: t.linalg.cholesky(input=x, upper=True),
    lambda t, x: t.linalg.cholesky_ex(input=x).L,
    lambda t, x: t.cholesky(input=x),
    lambda t, x: t.cholesky_solve(input=x, input2=x, upper=True),
    lambda t, x: t.cholesky_inverse(input=x),
    lambda t, x: t.linalg.qr(A=x, mode="complete").R,
    lambda t, x: t.qr(input=x, some=True).R,
    lambda t, x: t.linalg.eigvalsh(input=x, UPLO="U"),
    lambda t, x: t.linalg.eigh(input=x).eigenvalues,
    lambda t, x: t.linalg.pinv(input=x, hermitian=True),
    lambda t, x: t.pinverse(input=x, rcond=0.1),
    lambda t, x: t.linalg.solve_triangular(input=x, B=x, upper=True, left=False),
    lambda t, x: t.triangular_solve(input=x, A=x, upper=False).solution,
    lambda t, x: t.linalg.matrix_exp(input=x),
    lambda t, x: t.matrix_exp(input=x),
    lambda t, x: t.linalg.matrix_rank(input=x, hermitian=True),
    lambda t, x: t.linalg.cond(input=x, p="fro"),
    lambda t, x: t.linalg.inv_ex(A=x).inverse,
    lambda t, x: t.svd(input=x, some=False, compute_uv=True).S,
]


@pytest.mark.parametrize("fn", KEYWORDS)
def test_keyword_names_match_torch(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(fn, [with_dtype([[4.0, 1.0], [1.0, 2.0]])], grad=False)


def test_cond_gradient_where_torchs_backward_fails():
    a = torch.tensor([[2.0, 1.0], [0.5, 3.0]], requires_grad=True)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        torch.linalg.cond(a, "fro").backward()
    mine = ember.tensor([[2.0, 1.0], [0.5, 3.0]], requires_grad=True)
    ember.linalg.cond(mine, "fro").backward()
    assert mine.grad is not None and np.isfinite(mine.grad.numpy()).all()


# Eigenvectors: signs are LAPACK's choice --------------------------------------------------


@pytest.mark.parametrize("shape", [(3, 3), (2, 5, 5), (1, 1)])
def test_eigh_matches_torch_up_to_signs(shape):
    a = np.random.default_rng(1).standard_normal(shape)
    a = a + a.swapaxes(-1, -2)
    ours = ember.linalg.eigh(ember.tensor(a))
    expected = torch.linalg.eigh(torch.tensor(a))
    assert_same(ours.eigenvalues, expected.eigenvalues, atol=1e-10)
    mine, theirs = ours.eigenvectors.numpy(), expected.eigenvectors.numpy()
    signs = np.sign((mine * theirs).sum(axis=-2, keepdims=True))
    np.testing.assert_allclose(mine * signs, theirs, atol=1e-10)


def test_eigh_gradient_with_repeated_eigenvalues_is_nan_like_torchs():
    weights = np.arange(9.0).reshape(3, 3)
    grads = []
    for library in (ember, torch):
        a = library.eye(3, dtype=library.float64, requires_grad=True)
        (library.linalg.eigh(a).eigenvectors * library.tensor(weights)).sum().backward()
        grads.append(a.grad.numpy())
    assert np.isnan(grads[0]).any() and np.isnan(grads[1]).any()


# Edges --------------------------------------------------------------------------------

EDGES = [
    ("slogdet_singular", lambda t, x: t.linalg.slogdet(x), [[1.0, 2.0], [2.0, 4.0]]),
    ("slogdet_nan", lambda t, x: t.linalg.slogdet(x), [[NAN, 1.0], [1.0, 1.0]]),
    ("slogdet_inf", lambda t, x: t.linalg.slogdet(x), [[INF, 1.0], [1.0, 1.0]]),
    ("logdet_singular", lambda t, x: t.logdet(x), [[1.0, 2.0], [2.0, 4.0]]),
    ("det_nan", lambda t, x: t.det(x), [[[NAN, 1.0], [1.0, 1.0]], [[1.0, 2.0], [3.0, 4.0]]]),
    (
        "cholesky_ex_not_positive_definite",
        lambda t, x: t.linalg.cholesky_ex(x),
        [[[4.0, 2.0], [2.0, 3.0]], [[1.0, 2.0], [2.0, 1.0]], [[1.0, 0.0], [0.0, -1.0]]],
    ),
    (
        "cholesky_ex_third_minor",
        lambda t, x: t.linalg.cholesky_ex(x),
        [[4.0, 2, 3], [2, 5, 4], [3, 4, -5]],
    ),
    (
        "cholesky_ex_upper",
        lambda t, x: t.linalg.cholesky_ex(x, upper=True),
        [[1.0, 2.0], [2.0, 1.0]],
    ),
    ("cholesky_ex_nan", lambda t, x: t.linalg.cholesky_ex(x), [[NAN, 0.0], [1.0, 1.0]]),
    ("cholesky_reads_lower", lambda t, x: t.linalg.cholesky(x), [[4.0, 100.0], [2.0, 3.0]]),
    (
        "cholesky_upper_reads_upper",
        lambda t, x: t.linalg.cholesky(x, upper=True),
        [[4.0, 2.0], [100.0, 3.0]],
    ),
    (
        "cholesky_solve_zero_diagonal",
        lambda t, x: t.cholesky_solve(t.ones(2, 3), x),
        [[0.0, 0.0], [1.0, 1.0]],
    ),
    (
        "solve_triangular_zero_diagonal",
        lambda t, x: t.linalg.solve_triangular(x, t.ones(2, 3), upper=True),
        [[1.0, 2.0], [0.0, 0.0]],
    ),
    (
        "inv_ex_singular",
        lambda t, x: t.linalg.inv_ex(x),
        [
            [[1.0, 2.0], [2.0, 4.0]],
            [[1.0, 0.0], [0.0, 1.0]],
            [[0.0, 0.0], [0.0, 0.0]],
            [[1.0, 1.0], [1.0, 1.0]],
        ],
    ),
    (
        "cond_singular",
        lambda t, x: t.linalg.cond(x, 1),
        [[[2.0, 1.0], [1.0, 3.0]], [[1.0, 2.0], [2.0, 4.0]]],
    ),
    ("cond_zero", lambda t, x: t.linalg.cond(x), [[0.0, 0.0], [0.0, 0.0]]),
    ("eigh_nan", lambda t, x: t.linalg.eigh(x), [[NAN, 1.0], [1.0, 1.0]]),
    ("pinv_zero", lambda t, x: t.linalg.pinv(x), [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]),
    (
        "pinv_tolerance_tensors",
        lambda t, x: t.linalg.pinv(x, rtol=t.tensor([0.0, 0.5, 0.1])),
        [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]],
    ),
    (
        "pinv_atol_zero_keeps_the_default_rtol",
        lambda t, x: t.linalg.pinv(x, atol=0.0),
        [[1.0, 0.0], [0.0, 1e-9]],
    ),
    ("matrix_rank_tiny", lambda t, x: t.linalg.matrix_rank(x), [[1.0, 0.0], [0.0, 1e-9]]),
    (
        "matrix_rank_atol_tensor",
        lambda t, x: t.linalg.matrix_rank(x.expand(2, 2, 2), atol=t.tensor([0.0, 2.0])),
        [[2.0, 1.0], [1.0, 3.0]],
    ),
    ("matrix_exp_overflows", lambda t, x: t.linalg.matrix_exp(x), [[80.0, 1.0], [0.0, 90.0]]),
    (
        "solve_triangular_result_has_As_dtype",
        lambda t, x: t.linalg.solve_triangular(x, t.ones(2, 2, dtype=t.float64), upper=True),
        [[2.0, 1.0], [0.0, 3.0]],
    ),
    (
        "solve_triangular_integer_rhs",
        lambda t, x: t.linalg.solve_triangular(x, t.ones(2, 2, dtype=t.int64), upper=False),
        [[2.0, 1.0], [1.0, 3.0]],
    ),
]


@pytest.mark.parametrize("name, fn, values", EDGES, ids=[case[0] for case in EDGES])
def test_edges_match_torch(name, fn, values):
    check(fn, [with_dtype(values)], grad=False)


EMPTY = [
    ("slogdet", lambda t, x: t.linalg.slogdet(x), (2, 0, 0)),
    ("logdet", lambda t, x: t.logdet(x), (0, 0)),
    ("cholesky", lambda t, x: t.linalg.cholesky(x), (2, 0, 0)),
    ("cholesky_inverse", lambda t, x: t.cholesky_inverse(x), (0, 0)),
    ("qr_tall", lambda t, x: t.linalg.qr(x), (3, 0)),
    ("qr_complete", lambda t, x: t.linalg.qr(x, "complete"), (3, 0)),
    ("qr_wide", lambda t, x: t.linalg.qr(x), (0, 3)),
    ("eigh", lambda t, x: t.linalg.eigh(x), (2, 0, 0)),
    ("eigvalsh", lambda t, x: t.linalg.eigvalsh(x), (0, 0)),
    ("pinv", lambda t, x: t.linalg.pinv(x), (2, 0, 3)),
    ("pinv_hermitian", lambda t, x: t.linalg.pinv(x, hermitian=True), (2, 0, 0)),
    ("solve_triangular", lambda t, x: t.linalg.solve_triangular(x, x, upper=True), (0, 0)),
    ("matrix_exp", lambda t, x: t.linalg.matrix_exp(x), (2, 0, 0)),
    ("matrix_rank", lambda t, x: t.linalg.matrix_rank(x), (2, 0, 3)),
    ("cond", lambda t, x: t.linalg.cond(x), (0, 3)),
    ("cond_1", lambda t, x: t.linalg.cond(x, 1), (2, 0, 0)),
    ("inv_ex", lambda t, x: t.linalg.inv_ex(x), (0, 0)),
    ("svd", lambda t, x: t.svd(x), (0, 3)),
    ("svd_without_uv", lambda t, x: t.svd(x, compute_uv=False), (2, 0, 3)),
]


@pytest.mark.parametrize("name, fn, shape", EMPTY, ids=[case[0] for case in EMPTY])
def test_empty_matrices_match_torch(name, fn, shape):
    check(fn, [shape], grad=False)


def test_matrix_exp_of_float16_is_the_float32_value_rounded():
    """A deliberate difference: PyTorch's CPU kernel gives wrong float16 values
    (exp of a rotation generator holds -21072); ember computes in float32."""
    rotation = np.array([[0.0, 1.0], [-1.0, 0.0]], np.float32)
    ours = ember.linalg.matrix_exp(ember.tensor(rotation).half())
    assert ours.dtype == ember.float16
    expected = torch.linalg.matrix_exp(torch.tensor(rotation)).half()
    assert_same(ours, expected, atol=1e-3)


# Errors ---------------------------------------------------------------------------------

SQUARE = with_dtype([[2.0, 1.0], [1.0, 3.0]])
TALL = with_dtype([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])

ERRORS = {
    "slogdet_of_a_vector": (lambda t, a: t.linalg.slogdet(a[0]), SQUARE),
    "slogdet_of_ints": (lambda t, a: t.linalg.slogdet(a.long()), SQUARE),
    "slogdet_of_float16": (lambda t, a: t.slogdet(a.half()), SQUARE),
    "slogdet_not_square": (lambda t, a: t.linalg.slogdet(a), TALL),
    "slogdet_of_a_list": (lambda t, a: t.linalg.slogdet(a.tolist()), SQUARE),
    "logdet_of_bools": (lambda t, a: t.logdet(a > 0), SQUARE),
    "det_of_float16": (lambda t, a: t.det(a.half()), SQUARE),
    "det_of_a_list": (lambda t, a: t.det(a.tolist()), SQUARE),
    "cholesky_not_positive_definite": (lambda t, a: t.linalg.cholesky(a - 2), SQUARE),
    "cholesky_nan": (lambda t, a: t.linalg.cholesky(a * math.nan), SQUARE),
    "cholesky_batch_element": (lambda t, a: t.linalg.cholesky(t.stack([a, -a])), SQUARE),
    "cholesky_of_ints": (lambda t, a: t.linalg.cholesky(a.long()), SQUARE),
    "cholesky_of_float16": (lambda t, a: t.linalg.cholesky(a.half()), SQUARE),
    "cholesky_not_square": (lambda t, a: t.linalg.cholesky(a), TALL),
    "cholesky_upper_by_position": (lambda t, a: t.linalg.cholesky(a, True), SQUARE),
    "cholesky_old_of_ints": (lambda t, a: t.cholesky(a.long()), SQUARE),
    "cholesky_old_not_positive_definite": (lambda t, a: t.cholesky(-a), SQUARE),
    "cholesky_ex_check_errors": (lambda t, a: t.linalg.cholesky_ex(-a, check_errors=True), SQUARE),
    "cholesky_solve_vector": (lambda t, a: t.cholesky_solve(a[0], a), SQUARE),
    "cholesky_solve_dtypes": (lambda t, a: t.cholesky_solve(a.double(), a), SQUARE),
    "cholesky_solve_ints": (lambda t, a: t.cholesky_solve(a.long(), a.long()), SQUARE),
    "cholesky_solve_sizes": (lambda t, a: t.cholesky_solve(t.ones(3, 3), a), SQUARE),
    "cholesky_solve_batches": (
        lambda t, a: t.cholesky_solve(t.ones(2, 2, 1), a.expand(3, 2, 2)),
        SQUARE,
    ),
    "cholesky_inverse_zero_diagonal": (
        lambda t, a: t.cholesky_inverse(a * t.tensor([0.0, 1.0])),
        SQUARE,
    ),
    "cholesky_inverse_vector": (lambda t, a: t.cholesky_inverse(a[0]), SQUARE),
    "cholesky_inverse_ints": (lambda t, a: t.cholesky_inverse(a.long()), SQUARE),
    "qr_mode": (lambda t, a: t.linalg.qr(a, "full"), TALL),
    "qr_mode_not_a_string": (lambda t, a: t.linalg.qr(a, mode=1), TALL),
    "qr_of_ints": (lambda t, a: t.linalg.qr(a.long()), TALL),
    "qr_of_float16": (lambda t, a: t.qr(a.half()), TALL),
    "qr_of_a_vector": (lambda t, a: t.linalg.qr(a[0]), TALL),
    "eigh_triangle": (lambda t, a: t.linalg.eigh(a, "X"), SQUARE),
    "eigh_triangle_not_a_string": (lambda t, a: t.linalg.eigh(a, UPLO=0), SQUARE),
    "eigh_of_ints": (lambda t, a: t.linalg.eigh(a.long()), SQUARE),
    "eigvalsh_of_float16": (lambda t, a: t.linalg.eigvalsh(a.half()), SQUARE),
    "eigh_not_square": (lambda t, a: t.linalg.eigh(a), TALL),
    "pinv_of_ints": (lambda t, a: t.linalg.pinv(a.long()), TALL),
    "pinv_of_float16": (lambda t, a: t.pinverse(a.half()), TALL),
    "pinv_of_a_vector": (lambda t, a: t.linalg.pinv(a[0]), TALL),
    "pinv_rcond_and_rtol": (lambda t, a: t.linalg.pinv(a, 0.5, rtol=0.1), TALL),
    "pinv_hermitian_not_square": (lambda t, a: t.linalg.pinv(a, hermitian=True), TALL),
    "pinv_hermitian_not_bool": (lambda t, a: t.linalg.pinv(a, hermitian=1), TALL),
    "pinv_nan": (lambda t, a: t.linalg.pinv(a * math.nan), TALL),
    "pinverse_rtol": (lambda t, a: t.pinverse(a, rtol=0.5), TALL),
    "solve_triangular_without_upper": (lambda t, a: t.linalg.solve_triangular(a, a), SQUARE),
    "solve_triangular_vector": (
        lambda t, a: t.linalg.solve_triangular(a, a[0], upper=True),
        SQUARE,
    ),
    "solve_triangular_shapes": (
        lambda t, a: t.linalg.solve_triangular(a, t.ones(3, 2), upper=True),
        SQUARE,
    ),
    "solve_triangular_shapes_right": (
        lambda t, a: t.linalg.solve_triangular(a, t.ones(2, 3), upper=True, left=False),
        SQUARE,
    ),
    "solve_triangular_not_square": (lambda t, a: t.linalg.solve_triangular(a, a, upper=True), TALL),
    "solve_triangular_ints": (
        lambda t, a: t.linalg.solve_triangular(a.long(), a, upper=True),
        SQUARE,
    ),
    "solve_triangular_batches": (
        lambda t, a: t.linalg.solve_triangular(a.expand(3, 2, 2), t.ones(2, 2, 1), upper=True),
        SQUARE,
    ),
    "triangular_solve_vector": (lambda t, a: t.triangular_solve(a[0], a), SQUARE),
    "triangular_solve_dtypes": (lambda t, a: t.triangular_solve(a.double(), a), SQUARE),
    "triangular_solve_sizes": (lambda t, a: t.triangular_solve(t.ones(3, 2), a), SQUARE),
    "matrix_exp_of_ints": (lambda t, a: t.linalg.matrix_exp(a.long()), SQUARE),
    "matrix_exp_not_square": (lambda t, a: t.matrix_exp(a), TALL),
    "matrix_exp_of_a_number": (lambda t, a: t.matrix_exp(a[0, 0]), SQUARE),
    "matrix_rank_of_ints": (lambda t, a: t.linalg.matrix_rank(a.long()), TALL),
    "matrix_rank_of_float16": (lambda t, a: t.linalg.matrix_rank(a.half()), TALL),
    "matrix_rank_tol_and_atol": (lambda t, a: t.linalg.matrix_rank(a, 0.5, atol=0.1), TALL),
    "matrix_rank_nan": (lambda t, a: t.linalg.matrix_rank(a * math.nan), TALL),
    "cond_norm": (lambda t, a: t.linalg.cond(a, 3), SQUARE),
    "cond_norm_name": (lambda t, a: t.linalg.cond(a, "max"), SQUARE),
    "cond_fro_not_square": (lambda t, a: t.linalg.cond(a, "fro"), TALL),
    "cond_of_ints": (lambda t, a: t.linalg.cond(a.long()), SQUARE),
    "cond_nan": (lambda t, a: t.linalg.cond(a * math.nan), SQUARE),
    "inv_ex_check_errors": (lambda t, a: t.linalg.inv_ex(a * 0, check_errors=True), SQUARE),
    "inv_ex_of_float16": (lambda t, a: t.linalg.inv_ex(a.half()), SQUARE),
    "svd_of_ints": (lambda t, a: t.svd(a.long()), TALL),
    "svd_of_float16": (lambda t, a: t.svd(a.half()), TALL),
    "svd_of_a_vector": (lambda t, a: t.svd(a[0]), TALL),
    "svd_nan": (lambda t, a: a.mul(math.nan).svd(), TALL),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_errors_match_torch(name):
    fn, array = ERRORS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        error = check_error(fn, array)
    if "positive_definite" in name or "zero_diagonal" in name or "check_errors" in name:
        assert isinstance(error, ember.linalg.LinAlgError)


def test_not_positive_definite_names_the_batch_element_and_the_minor():
    a = ember.tensor([[[4.0, 2.0], [2.0, 3.0]], [[1.0, 2.0], [2.0, 1.0]]])
    with pytest.raises(ember.linalg.LinAlgError, match="batch element 1.*order 2"):
        ember.linalg.cholesky(a)


def test_gradients_that_torch_refuses_are_refused():
    for mode, shape in (("r", (3, 2)), ("complete", (3, 2))):
        for library in (ember, torch):
            a = library.ones(shape, requires_grad=True) + library.eye(*shape)
            with pytest.raises(RuntimeError, match="mode"):
                library.linalg.qr(a, mode).R.sum().backward()


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, a: t.linalg.slogdet(a, out=(a, a)),
        lambda t, a: t.linalg.cholesky(a, out=a),
        lambda t, a: t.linalg.qr(a, out=(a, a)),
        lambda t, a: t.linalg.eigh(a, out=(a, a)),
        lambda t, a: t.linalg.pinv(a, out=a),
        lambda t, a: t.linalg.solve_triangular(a, a, upper=True, out=a),
        lambda t, a: t.linalg.matrix_rank(a, out=a),
        lambda t, a: t.svd(a, out=(a, a, a)),
    ],
)
def test_out_is_refused(fn):
    with pytest.raises(NotImplementedError, match="out="):
        fn(ember, ember.eye(2))


# Named tuples, nodes, warnings ----------------------------------------------------------

TUPLES = [
    ("linalg_slogdet", lambda t, a: t.linalg.slogdet(a)),
    ("slogdet", lambda t, a: t.slogdet(a)),
    ("linalg_cholesky_ex", lambda t, a: t.linalg.cholesky_ex(a)),
    ("linalg_inv_ex", lambda t, a: t.linalg.inv_ex(a)),
    ("linalg_qr", lambda t, a: t.linalg.qr(a)),
    ("qr", lambda t, a: t.qr(a)),
    ("linalg_eigh", lambda t, a: t.linalg.eigh(a)),
    ("triangular_solve", lambda t, a: t.triangular_solve(a, a)),
    ("svd", lambda t, a: t.svd(a)),
]


@pytest.mark.parametrize("name, fn", TUPLES, ids=[case[0] for case in TUPLES])
def test_named_tuples_like_torchs(name, fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = fn(ember, ember.tensor([[4.0, 0.0], [0.0, 2.0]]))
        expected = fn(torch, torch.tensor([[4.0, 0.0], [0.0, 2.0]]))
    assert type(ours).__name__ == type(expected).__name__ == name
    assert getattr(ember.return_types, name) is type(ours)
    assert repr(ours) == repr(expected).replace("torch.", "ember.")
    for field, value in zip(ours._fields, ours):
        assert getattr(ours, field) is value


NODES = [
    (lambda t, a: t.linalg.slogdet(a).sign, "LinalgSlogdetBackward0"),
    (lambda t, a: t.slogdet(a).logabsdet, "LinalgSlogdetBackward0"),
    (lambda t, a: t.logdet(a), "WhereBackward0"),
    (lambda t, a: t.det(a), "LinalgDetBackward0"),
    (lambda t, a: t.linalg.cholesky(a), "LinalgCholeskyExBackward0"),
    (lambda t, a: t.linalg.cholesky_ex(a).L, "LinalgCholeskyExBackward0"),
    (lambda t, a: t.cholesky(a), "CholeskyBackward0"),
    (lambda t, a: t.cholesky_solve(a, a), "CholeskySolveBackward0"),
    (lambda t, a: t.cholesky_inverse(a), "CholeskyInverseBackward0"),
    (lambda t, a: t.linalg.qr(a).Q, "LinalgQrBackward0"),
    (lambda t, a: t.qr(a).R, "LinalgQrBackward0"),
    (lambda t, a: t.linalg.eigh(a).eigenvectors, "LinalgEighBackward0"),
    (lambda t, a: t.linalg.eigvalsh(a), "LinalgEighBackward0"),
    (lambda t, a: t.linalg.pinv(a), "LinalgPinvBackward0"),
    (lambda t, a: t.pinverse(a), "LinalgPinvBackward0"),
    (lambda t, a: t.linalg.solve_triangular(a, a, upper=True), "LinalgSolveTriangularBackward0"),
    (lambda t, a: t.triangular_solve(a, a).solution, "TriangularSolveBackward0"),
    (lambda t, a: t.linalg.matrix_exp(a), "LinalgMatrixExpBackward0"),
    (lambda t, a: t.linalg.inv_ex(a).inverse, "LinalgInvExBackward0"),
    (lambda t, a: t.svd(a).U, "LinalgSvdBackward0"),
    (lambda t, a: t.svd(a).V, "TransposeBackward0"),
]


@pytest.mark.parametrize("fn, node", NODES, ids=[node for _, node in NODES])
def test_nodes_are_named_as_torchs(fn, node):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for library in (ember, torch):
            a = library.tensor([[4.0, 1.0], [1.0, 2.0]], requires_grad=True)
            assert fn(library, a).grad_fn.name() == node


def test_slogdet_sign_requires_grad_but_gives_none():
    for library in (ember, torch):
        a = library.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        sign = library.linalg.slogdet(a).sign
        assert sign.requires_grad
        sign.sum().backward()
        assert a.grad is None


def test_info_and_rank_take_no_gradient():
    a = ember.tensor([[4.0, 1.0], [1.0, 2.0]], requires_grad=True)
    assert not ember.linalg.cholesky_ex(a).info.requires_grad
    assert not ember.linalg.inv_ex(a).info.requires_grad
    assert not ember.linalg.matrix_rank(a).requires_grad
    u, s, v = ember.svd(a, compute_uv=False)
    assert s.requires_grad and not u.requires_grad and not v.requires_grad


def test_no_graph_without_grad():
    a = ember.tensor([[4.0, 1.0], [1.0, 2.0]], requires_grad=True)
    with ember.no_grad():
        results = [*ember.linalg.qr(a), *ember.linalg.eigh(a), ember.linalg.cholesky(a)]
        results += [ember.linalg.pinv(a), ember.linalg.matrix_exp(a), ember.linalg.eigvalsh(a)]
    assert not any(result.requires_grad for result in results)


def test_changing_a_factor_in_place_before_backward_is_an_error():
    a = ember.tensor([[4.0, 1.0], [1.0, 2.0]], requires_grad=True)
    q, r = ember.linalg.qr(a)
    loss = (q * 2).sum() + r.sum()
    with ember.no_grad():
        r.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


@pytest.mark.parametrize(
    "fn, hint",
    [
        (lambda t, a: t.cholesky(a), "linalg.cholesky"),
        (lambda t, a: t.qr(a), "linalg.qr"),
        (lambda t, a: t.triangular_solve(a, a), "linalg.solve_triangular"),
    ],
)
def test_older_forms_warn_that_they_are_deprecated(fn, hint):
    for library in (ember, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fn(library, library.tensor([[4.0, 1.0], [1.0, 2.0]]))
        if library is ember or caught:  # torch warns once per process
            assert [warning.category for warning in caught] == [UserWarning]
            assert hint in str(caught[0].message)


def test_no_numpy_warning_for_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ember.linalg.slogdet(ember.tensor([[NAN, 1.0], [1.0, 1.0]]))
        ember.det(ember.tensor([[NAN, 1.0], [1.0, 1.0]]))


def test_cholesky_solve_and_inverse_agree_with_solve_and_inv():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 5, 5))
    a = x @ x.swapaxes(-1, -2) + np.eye(5)
    b = rng.standard_normal((2, 5, 3))
    with on_test_device():
        factor = ember.linalg.cholesky(ember.tensor(a))
        solved = ember.cholesky_solve(ember.tensor(b), factor).cpu().numpy()
        inverse = ember.cholesky_inverse(factor).cpu().numpy()
    np.testing.assert_allclose(solved, np.linalg.solve(a, b), atol=1e-10)
    np.testing.assert_allclose(inverse, np.linalg.inv(a), atol=1e-10)


def test_a_large_triangular_solve_matches_torch():
    """Past 16 rows the substitution splits around a matrix product."""
    rng = np.random.default_rng(4)
    a = np.tril(rng.standard_normal((200, 200))) + 20 * np.eye(200)
    b = rng.standard_normal((200, 7))
    with on_test_device():
        ours = ember.linalg.solve_triangular(ember.tensor(a), ember.tensor(b), upper=False)
    expected = torch.linalg.solve_triangular(torch.tensor(a), torch.tensor(b), upper=False)
    np.testing.assert_allclose(ours.cpu().numpy(), expected.numpy(), atol=1e-13)
