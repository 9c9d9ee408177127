"""L1 matrices, L3 products, L4 norms, L5 solve / inv / lstsq, against PyTorch."""

import math

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error, check_gradcheck

import ember

INF = float("inf")

# (name, fn, shapes)
PRODUCTS = [
    ("dot", lambda t, x, y: t.dot(x, y), [(5,), (5,)]),
    ("dot_method", lambda t, x, y: x.dot(y), [(5,), (5,)]),
    ("twice_dot_x_x", lambda t, x: 2 * t.dot(x, x), [(4,)]),
    ("inner", lambda t, x, y: t.inner(x, y), [(5,), (5,)]),
    ("inner_matrix_vector", lambda t, a, x: t.inner(a, x), [(2, 3), (3,)]),
    ("inner_vector_matrix", lambda t, x, a: t.inner(x, a), [(3,), (4, 3)]),
    ("inner_matrices", lambda t, a, b: t.inner(a, b), [(2, 3), (4, 3)]),
    ("inner_batches", lambda t, a, b: t.inner(a, b), [(2, 1, 3), (4, 2, 3)]),
    ("inner_method", lambda t, a, b: a.inner(b), [(2, 3), (4, 3)]),
    ("inner_empty_last_dim", lambda t, a, b: t.inner(a, b), [(2, 0), (3, 0)]),
    ("inner_empty_rows", lambda t, a, x: t.inner(a, x), [(0, 3), (3,)]),
    ("inner_0d_first", lambda t, s, a: t.inner(s, a), [(), (2, 3)]),
    ("inner_0d_second", lambda t, x, s: t.inner(x, s), [(3,), ()]),
    ("inner_0d_both", lambda t, s, r: t.inner(s, r), [(), ()]),
    ("inner_keywords", lambda t, a, b: t.inner(input=a, other=b), [(2, 3), (3,)]),
    (
        "keywords",
        lambda t, a, x: t.dot(t.mv(a, vec=x), tensor=t.matmul(input=a, other=x)),
        [(3, 4), (4,)],
    ),
    ("mv", lambda t, a, x: t.mv(a, x), [(3, 4), (4,)]),
    ("mv_method", lambda t, a, x: a.mv(x), [(3, 4), (4,)]),
    ("mm", lambda t, a, b: t.mm(a, b), [(3, 4), (4, 2)]),
    ("mm_method", lambda t, a, b: a.mm(b), [(3, 4), (4, 2)]),
    ("matmul_2d", lambda t, a, b: t.matmul(a, b), [(3, 4), (4, 2)]),
    ("at_operator", lambda t, a, b: a @ b, [(3, 4), (4, 2)]),
    ("matmul_vector_vector", lambda t, a, b: a @ b, [(4,), (4,)]),
    ("matmul_matrix_vector", lambda t, a, b: a @ b, [(3, 4), (4,)]),
    ("matmul_vector_matrix", lambda t, a, b: a @ b, [(4,), (4, 2)]),
    ("matmul_batched", lambda t, a, b: a @ b, [(2, 3, 4), (2, 4, 5)]),
    ("matmul_broadcast_matrix", lambda t, a, b: a @ b, [(2, 3, 4), (4, 5)]),
    ("matmul_matrix_broadcast", lambda t, a, b: a @ b, [(3, 4), (2, 4, 5)]),
    ("matmul_batch_broadcast", lambda t, a, b: t.matmul(a, b), [(2, 1, 3, 4), (5, 4, 2)]),
    ("matmul_batched_vector", lambda t, a, b: a @ b, [(2, 3, 4), (4,)]),
    ("matmul_vector_batched", lambda t, a, b: a @ b, [(3,), (2, 3, 4)]),
    ("bmm", lambda t, a, b: t.bmm(a, b), [(2, 3, 4), (2, 4, 5)]),
    ("bmm_method", lambda t, a, b: a.bmm(b), [(2, 3, 4), (2, 4, 5)]),
    ("outer", lambda t, x, y: t.outer(x, y), [(3,), (4,)]),
    ("outer_method", lambda t, x, y: x.outer(y), [(3,), (4,)]),
    ("hadamard", lambda t, a, b: a * b, [(3, 4), (3, 4)]),
    ("quadratic_form", lambda t, a, x: x @ a @ x, [(4, 4), (4,)]),
    ("transpose_product", lambda t, a: a.T @ a, [(3, 4)]),
    ("symmetric", lambda t, a: a + a.T, [(4, 4)]),
]

NORMS = [
    ("norm", lambda t, x: t.norm(x), [(5,)]),
    ("norm_method", lambda t, x: x.norm(), [(3, 4)]),
    ("norm_p1", lambda t, x: t.norm(x, p=1), [(3, 4)]),
    ("norm_p3", lambda t, x: x.norm(p=3), [(3, 4)]),
    ("norm_dim", lambda t, x: t.norm(x, dim=1), [(3, 4)]),
    ("norm_dim_keepdim", lambda t, x: x.norm(dim=0, keepdim=True), [(3, 4)]),
    ("norm_p_inf", lambda t, x: x.norm(p=INF), [(5,)]),
    ("l1_by_hand", lambda t, x: t.abs(x).sum(), [(5,)]),
    ("linalg_norm_vector", lambda t, x: t.linalg.norm(x), [(5,)]),
    ("linalg_norm_frobenius", lambda t, x: t.linalg.norm(x), [(3, 4)]),
    ("linalg_norm_3d", lambda t, x: t.linalg.norm(x), [(2, 3, 4)]),
    ("linalg_norm_fro", lambda t, x: t.linalg.norm(x, "fro"), [(3, 4)]),
    ("linalg_norm_ord1_vector", lambda t, x: t.linalg.norm(x, 1), [(5,)]),
    ("linalg_norm_ord3_vector", lambda t, x: t.linalg.norm(x, ord=3), [(5,)]),
    ("linalg_norm_ord_inf_vector", lambda t, x: t.linalg.norm(x, INF), [(5,)]),
    ("linalg_norm_ord_neg_inf", lambda t, x: t.linalg.norm(x, -INF), [(5,)]),
    ("linalg_norm_ord1_matrix", lambda t, x: t.linalg.norm(x, 1), [(3, 4)]),
    ("linalg_norm_ord_neg1_matrix", lambda t, x: t.linalg.norm(x, -1), [(3, 4)]),
    ("linalg_norm_ord_inf_matrix", lambda t, x: t.linalg.norm(x, INF), [(3, 4)]),
    ("linalg_norm_ord_neg_inf_matrix", lambda t, x: t.linalg.norm(x, -INF), [(3, 4)]),
    ("linalg_norm_dim", lambda t, x: t.linalg.norm(x, dim=1), [(3, 4)]),
    ("linalg_norm_dim_tuple", lambda t, x: t.linalg.norm(x, dim=(1, 2)), [(2, 3, 4)]),
    ("linalg_norm_ord_dim", lambda t, x: t.linalg.norm(x, 1, dim=0), [(3, 4)]),
    ("linalg_norm_ord_dim_keepdim", lambda t, x: t.linalg.norm(x, 2, 1, True), [(3, 4)]),
    ("linalg_norm_matrix_dims", lambda t, x: t.linalg.norm(x, INF, dim=(0, 2)), [(2, 3, 4)]),
    ("linalg_norm_ord2_matrix", lambda t, x: t.linalg.norm(x, 2), [(3, 4)]),
    ("linalg_norm_ord_neg2_matrix", lambda t, x: t.linalg.norm(x, -2), [(4, 3)]),
    ("linalg_norm_nuc", lambda t, x: t.linalg.norm(x, "nuc"), [(3, 4)]),
    (
        "linalg_norm_nuc_dims_keepdim",
        lambda t, x: t.linalg.norm(x, "nuc", (2, 0), True),
        [(2, 3, 4)],
    ),
    ("matrix_norm_ord2_batched", lambda t, x: t.linalg.matrix_norm(x, 2), [(2, 3, 3)]),
    ("norm_nuc", lambda t, x: t.norm(x, p="nuc"), [(3, 4)]),
    ("vector_norm", lambda t, x: t.linalg.vector_norm(x), [(2, 3, 4)]),
    ("vector_norm_ord_dim", lambda t, x: t.linalg.vector_norm(x, 0.5, dim=(0, 1)), [(2, 3)]),
    ("matrix_norm", lambda t, x: t.linalg.matrix_norm(x), [(2, 3, 4)]),
    ("matrix_norm_ord1", lambda t, x: t.linalg.matrix_norm(x, ord=1), [(2, 3, 4)]),
]


def well_conditioned(n, batch=(), seed=0):
    rng = np.random.default_rng(seed)
    return (rng.uniform(-1, 1, batch + (n, n)) + 3 * np.eye(n)).astype(np.float32)


SOLVERS = [
    ("solve_vector", lambda t, a, b: t.linalg.solve(a, b), [well_conditioned(3), (3,)]),
    ("solve_matrix", lambda t, a, b: t.linalg.solve(a, b), [well_conditioned(3), (3, 2)]),
    ("solve_batched", lambda t, a, b: t.linalg.solve(a, b), [well_conditioned(3, (2,)), (2, 3, 4)]),
    (
        "solve_batched_vector",
        lambda t, a, b: t.linalg.solve(a, b),
        [well_conditioned(3, (2,)), (2, 3)],
    ),
    ("solve_broadcast", lambda t, a, b: t.linalg.solve(a, b), [well_conditioned(3), (2, 3, 4)]),
    ("inv", lambda t, a: t.linalg.inv(a), [well_conditioned(4)]),
    ("inv_batched", lambda t, a: t.linalg.inv(a), [well_conditioned(3, (2,))]),
    ("inverse_method", lambda t, a: a.inverse(), [well_conditioned(3)]),
    ("inv_times_a", lambda t, a: t.linalg.inv(a) @ a, [well_conditioned(3)]),
    ("det", lambda t, a: t.linalg.det(a), [well_conditioned(3)]),
]

CASES = PRODUCTS + NORMS + SOLVERS


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_matches_torch(fn, shapes):
    check(fn, shapes, atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_gradients_match_finite_differences(fn, shapes):
    check_gradcheck(fn, shapes)


SECOND_ORDER = [pytest.param(*case[1:], id=case[0]) for case in CASES]


@pytest.mark.parametrize("fn, shapes", SECOND_ORDER)
def test_second_order_gradients(fn, shapes):
    check_gradcheck(fn, shapes, order=2)


def test_double_dot_gradient_is_4x():
    x = ember.arange(4.0, requires_grad=True)
    y = 2 * ember.dot(x, x)
    y.backward()
    assert x.grad.tolist() == (4 * x).tolist()


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, a, b: t.matmul(a.T, b),
        lambda t, a, b: a @ b.T,
        lambda t, a, b: t.mv(a, b[0]),
        lambda t, a, b: t.dot(a[0], b[1]),
    ],
    ids=["matmul", "at", "mv", "dot"],
)
def test_integer_products(fn):
    a = np.arange(12).reshape(3, 4)
    # torch's CUDA build has no integer matmul ("addmm_cuda" not implemented for 'Long').
    check(fn, [a, np.ones((3, 4), dtype=np.int64)], torch_on_cpu=True)


@pytest.mark.parametrize("ord", [2, 1, 3, 0.5, 1.5, INF])
def test_norm_gradient_at_zero_is_zero_like_torch(ord):
    check(lambda t, x: t.linalg.vector_norm(x, ord), [np.zeros(3, dtype=np.float32)])
    check(lambda t, x: t.linalg.vector_norm(x, ord), [np.array([0.0, 1.0, -2.0], np.float32)])


def test_norm_of_ints_is_refused():
    check_error(lambda t, x: t.linalg.norm(x), np.arange(3))


def test_norms_keep_float64():
    check(lambda t, x: (t.norm(x), t.linalg.norm(x, 1)), [(3, 4)], dtype="float64")


ERRORS = [
    ("dot_2d", lambda t, x: t.dot(x, x)),
    ("dot_sizes", lambda t, x: t.dot(x[0], x[0, :3])),
    ("dot_dtypes", lambda t, x: t.dot(x[0], x[0].double())),
    ("mv_sizes", lambda t, x: t.mv(x, x[0, :3])),
    ("mv_vector", lambda t, x: t.mv(x, x)),
    ("mm_sizes", lambda t, x: t.mm(x, x)),
    ("mm_1d", lambda t, x: t.mm(x, x[0])),
    ("matmul_sizes", lambda t, x: x @ x),
    ("matmul_0d", lambda t, x: t.matmul(x, x[0, 0])),
    ("matmul_batch", lambda t, x: x.expand(2, 3, 4) @ x.T.expand(3, 4, 3)),
    ("matmul_dtypes", lambda t, x: x @ x.T.double()),
    ("bmm_2d", lambda t, x: t.bmm(x, x.T)),
    ("bmm_batches", lambda t, x: t.bmm(x.expand(2, 3, 4), x.T.expand(3, 4, 3))),
    ("solve_not_square", lambda t, x: t.linalg.solve(x, x)),
    ("solve_sizes", lambda t, x: t.linalg.solve(x[:3, :3], x[:2])),
    ("solve_singular", lambda t, x: t.linalg.solve(t.ones(3, 3), x[:, 0])),
    ("inv_not_square", lambda t, x: t.linalg.inv(x)),
    ("inv_singular", lambda t, x: t.linalg.inv(t.zeros(2, 2))),
    ("norm_3d_with_ord", lambda t, x: t.linalg.norm(x.expand(2, 3, 4), 1)),
    ("lstsq_rows", lambda t, x: t.linalg.lstsq(x, x[:2])),
    ("inner_last_dims", lambda t, x: t.inner(x, x[0, :3])),
    ("inner_matrices_last_dims", lambda t, x: t.inner(x, x.T)),
    ("inner_dtypes", lambda t, x: t.inner(x, x.double())),
]


@pytest.mark.parametrize("fn", [c[1] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_errors_match_torch(fn):
    check_error(fn, np.ones((3, 4), dtype=np.float32))


def test_inner_mixed_dtypes_with_a_0d_operand_promote_like_torch():
    check(lambda t, s, x: t.inner(s, x.double()), [(), (3,)])
    check(lambda t, s, x: t.inner(s.long(), x), [(), (2, 3)], grad=False)


def test_singular_error_says_singular():
    error = check_error(lambda t, x: t.linalg.inv(x), np.zeros((2, 2), dtype=np.float32))
    assert "singular" in str(error)
    assert isinstance(error, ember.linalg.LinAlgError)


# lstsq: the closed-form linear-regression solution (L5) --------------------------------


@pytest.mark.parametrize("rhs_shape", [(6,), (6, 2)], ids=["vector", "matrix"])
def test_lstsq_solution_matches_torch(rhs_shape):
    rng = np.random.default_rng(1)
    a = rng.normal(size=(6, 3)).astype(np.float32)
    b = rng.normal(size=rhs_shape).astype(np.float32)
    if len(rhs_shape) == 1:  # torch wants a matrix right-hand side
        expected = torch.linalg.lstsq(torch.tensor(a), torch.tensor(b)[:, None]).solution[:, 0]
    else:
        expected = torch.linalg.lstsq(torch.tensor(a), torch.tensor(b)).solution
    got = ember.linalg.lstsq(ember.tensor(a), ember.tensor(b)).solution
    assert_same(got, expected, atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("rhs_shape", [(6,), (6, 2)], ids=["vector", "matrix"])
def test_lstsq_gradients(rhs_shape):
    check(lambda t, a, b: t.linalg.lstsq(a, b).solution, [(6, 3), rhs_shape], atol=1e-4, rtol=1e-4)
    check_gradcheck(lambda t, a, b: t.linalg.lstsq(a, b).solution, [(6, 3), rhs_shape])


def test_lstsq_recovers_linear_regression_weights():
    rng = np.random.default_rng(2)
    features = rng.normal(size=(200, 2))
    true_w = np.array([2.0, -3.4])
    labels = features @ true_w + 4.2 + rng.normal(scale=0.01, size=200)
    design = np.hstack([features, np.ones((200, 1))])
    solution = ember.linalg.lstsq(ember.tensor(design), ember.tensor(labels[:, None])).solution
    assert solution.dtype == ember.float64 and solution.shape == (3, 1)
    np.testing.assert_allclose(solution[:, 0].numpy(), [2.0, -3.4, 4.2], atol=0.01)


def test_solve_and_normal_equations_agree_with_lstsq():
    rng = np.random.default_rng(3)
    a = ember.tensor(rng.normal(size=(8, 3)))
    b = ember.tensor(rng.normal(size=(8, 1)))
    by_solve = ember.linalg.solve(a.T @ a, a.T @ b)
    by_lstsq = ember.linalg.lstsq(a, b).solution
    assert ember.allclose(by_solve, by_lstsq, atol=1e-10)


def test_symmetric_matrix_equals_its_transpose_like_torch():
    """The notes' L1 check: B = [[1, 2, 3], [2, 0, 4], [3, 4, 5]]; B == B.T is all True."""
    rows = [[1, 2, 3], [2, 0, 4], [3, 4, 5]]
    assert_same(
        ember.tensor(rows) == ember.tensor(rows).T, torch.tensor(rows) == torch.tensor(rows).T
    )
    assert bool((ember.tensor(rows) == ember.tensor(rows).T).all())
    asymmetric = ember.arange(9).reshape(3, 3)
    assert not bool((asymmetric == asymmetric.T).all())


def test_the_two_norms_second_derivative_at_a_zero_element_is_torchs():
    """x / ||x|| is 0 at x = 0 by itself: no mask there, so its derivative, 1 / ||x||,
    survives (and a NaN norm's gradient is NaN, as in PyTorch)."""

    def derivatives(t):
        x = t.tensor([[0.0, 1.8, -1.4]], dtype=t.float64, requires_grad=True)
        (first,) = t.autograd.grad(x.norm(2, 1), x, create_graph=True)
        (second,) = t.autograd.grad((first * t.tensor([1.0, 2.0, 3.0], dtype=t.float64)).sum(), x)
        y = t.tensor([0.0, float("nan")], dtype=t.float64, requires_grad=True)
        (of_nan,) = t.autograd.grad(y.norm(), y)
        return second.tolist(), str(of_nan.tolist())

    ember_second, ember_nan = derivatives(ember)
    torch_second, torch_nan = derivatives(torch)
    assert np.allclose(ember_second, torch_second, rtol=1e-12) and ember_nan == torch_nan


@pytest.mark.parametrize("order", [1, math.inf, -math.inf])
@pytest.mark.parametrize("dim", [None, 1, (0,)])
def test_vector_norms_of_order_1_and_inf_are_one_node_with_torchs_gradient(order, dim):
    # they were |x|'s node under a sum, amax or amin (SumBackward0, AmaxBackward0)
    x = np.array([[1.0, -3.0, 3.0, 0.0], [-0.0, 2.0, -2.0, math.nan], [1.0, 1.0, -1.0, 0.5]])
    results = []
    for library in (ember, torch):
        tensor = library.tensor(x, requires_grad=True)
        norm = library.linalg.vector_norm(tensor, order, dim)
        (grad,) = library.autograd.grad(norm, tensor, library.ones_like(norm))
        results.append((norm.grad_fn.name(), norm.detach().numpy(), grad.numpy()))
    (name, norm, grad), (torch_name, torch_norm, torch_grad) = results
    assert name == torch_name == "LinalgVectorNormBackward0"
    np.testing.assert_array_equal(norm, torch_norm)
    np.testing.assert_array_equal(grad, torch_grad)
    np.testing.assert_array_equal(np.signbit(grad), np.signbit(torch_grad))
