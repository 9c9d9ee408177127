"""L3 and L5: the products beyond matmul (addmm and its kin, vdot, ger, kron, tensordot,
multi_dot, chain_matmul, matrix_power, cross, vecdot) and the distances dist and cdist,
against PyTorch: values, dtypes, shapes, nodes, errors, and gradients to second order."""

import math
import warnings

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error, check_gradcheck, skip_before_torch_2_13

import ember

INF = math.inf


def well_conditioned(n, batch=(), seed=0):
    rng = np.random.default_rng(seed)
    return (rng.uniform(-1, 1, batch + (n, n)) + 3 * np.eye(n)).astype(np.float32)


def with_values(*values):
    return np.array(values, np.float32)


# (name, fn, shapes or arrays): forward and backward against torch, finite differences
# to second order.
ADD_PRODUCTS = [
    ("addmm", lambda t, i, a, b: t.addmm(i, a, b), [(3, 5), (3, 4), (4, 5)]),
    (
        "addmm_coefficients",
        lambda t, i, a, b: t.addmm(i, a, b, beta=0.5, alpha=-2),
        [(3, 5), (3, 4), (4, 5)],
    ),
    ("addmm_broadcast_row", lambda t, i, a, b: t.addmm(i, a, b, beta=2), [(5,), (3, 4), (4, 5)]),
    ("addmm_broadcast_column", lambda t, i, a, b: t.addmm(i, a, b), [(3, 1), (3, 4), (4, 5)]),
    ("addmm_0d_input", lambda t, i, a, b: t.addmm(i, a, b, alpha=3), [(), (3, 4), (4, 5)]),
    ("addmm_beta_0", lambda t, i, a, b: t.addmm(i, a, b, beta=0), [(3, 5), (3, 4), (4, 5)]),
    ("addmm_alpha_0", lambda t, i, a, b: t.addmm(i, a, b, alpha=0), [(3, 5), (3, 4), (4, 5)]),
    ("addmm_method", lambda t, i, a, b: i.addmm(a, b, alpha=0.5), [(3, 5), (3, 4), (4, 5)]),
    (
        "addmm_keywords",
        lambda t, i, a, b: t.addmm(input=i, mat1=a, mat2=b),
        [(3, 5), (3, 4), (4, 5)],
    ),
    ("addmm_empty_inner", lambda t, i, a, b: t.addmm(i, a, b, beta=2), [(3, 5), (3, 0), (0, 5)]),
    ("addmv", lambda t, i, a, v: t.addmv(i, a, v), [(3,), (3, 4), (4,)]),
    (
        "addmv_coefficients",
        lambda t, i, a, v: t.addmv(i, a, v, beta=-1, alpha=0.5),
        [(1,), (3, 4), (4,)],
    ),
    ("addmv_method", lambda t, i, a, v: i.addmv(a, v), [(), (3, 4), (4,)]),
    ("addr", lambda t, i, x, y: t.addr(i, x, y), [(3, 4), (3,), (4,)]),
    (
        "addr_coefficients",
        lambda t, i, x, y: t.addr(i, x, y, beta=2, alpha=0.5),
        [(4,), (3,), (4,)],
    ),
    ("addr_method", lambda t, i, x, y: i.addr(x, y), [(3, 1), (3,), (4,)]),
    ("baddbmm", lambda t, i, a, b: t.baddbmm(i, a, b), [(2, 3, 5), (2, 3, 4), (2, 4, 5)]),
    (
        "baddbmm_broadcast",
        lambda t, i, a, b: t.baddbmm(i, a, b, beta=0.5, alpha=2),
        [(3, 1), (2, 3, 4), (2, 4, 5)],
    ),
    ("baddbmm_method", lambda t, i, a, b: i.baddbmm(a, b), [(1, 3, 5), (2, 3, 4), (2, 4, 5)]),
    ("addbmm", lambda t, i, a, b: t.addbmm(i, a, b), [(3, 5), (2, 3, 4), (2, 4, 5)]),
    (
        "addbmm_coefficients",
        lambda t, i, a, b: t.addbmm(i, a, b, beta=-1, alpha=3),
        [(5,), (2, 3, 4), (2, 4, 5)],
    ),
    ("addbmm_method", lambda t, i, a, b: i.addbmm(a, b), [(3, 5), (2, 3, 4), (2, 4, 5)]),
]

PRODUCTS = [
    ("vdot", lambda t, x, y: t.vdot(x, y), [(5,), (5,)]),
    ("vdot_method", lambda t, x, y: x.vdot(y), [(5,), (5,)]),
    ("ger", lambda t, x, y: t.ger(x, y), [(3,), (4,)]),
    ("ger_method", lambda t, x, y: x.ger(y), [(3,), (4,)]),
    ("kron", lambda t, a, b: t.kron(a, b), [(2, 3), (4, 2)]),
    ("kron_vector_matrix", lambda t, a, b: t.kron(a, b), [(2,), (3, 4)]),
    ("kron_3d_vector", lambda t, a, b: t.kron(a, b), [(2, 3, 2), (3,)]),
    ("kron_0d", lambda t, a, b: t.kron(a, b), [(), (2, 3)]),
    ("kron_method", lambda t, a, b: a.kron(b), [(2, 2), (2, 2)]),
    ("tensordot_default", lambda t, a, b: t.tensordot(a, b), [(2, 3, 4), (3, 4, 5)]),
    ("tensordot_int", lambda t, a, b: t.tensordot(a, b, dims=1), [(2, 3), (3, 4)]),
    ("tensordot_0", lambda t, a, b: t.tensordot(a, b, dims=0), [(2, 3), (4,)]),
    (
        "tensordot_lists",
        lambda t, a, b: t.tensordot(a, b, dims=([1, 2], [1, 0])),
        [(2, 3, 4), (4, 3, 5)],
    ),
    ("tensordot_tuples", lambda t, a, b: t.tensordot(a, b, dims=((0,), (-1,))), [(3, 2), (4, 3)]),
    (
        "tensordot_list_of_lists",
        lambda t, a, b: t.tensordot(a, b, dims=[[2], [0]]),
        [(2, 3, 4), (4, 3)],
    ),
    (
        "tensordot_tensor_dims",
        lambda t, a, b: t.tensordot(a, b, dims=t.tensor([[2], [0]])),
        [(2, 3, 4), (4, 3)],
    ),
    (
        "tensordot_0d_tensor_dims",
        lambda t, a, b: t.tensordot(a, b, dims=t.tensor(2)),
        [(2, 3, 4), (3, 4)],
    ),
    ("tensordot_empty_lists", lambda t, a, b: t.tensordot(a, b, dims=([], [])), [(2,), (3,)]),
    (
        "tensordot_size_1_stretches",
        lambda t, a, b: t.tensordot(a, b, dims=([1], [0])),
        [(2, 1), (3, 2)],
    ),
    ("tensordot_keywords", lambda t, a, b: t.tensordot(a=a, b=b, dims=1), [(2, 3), (3,)]),
    ("multi_dot", lambda t, a, b, c: t.linalg.multi_dot([a, b, c]), [(2, 3), (3, 4), (4, 5)]),
    ("multi_dot_tuple", lambda t, a, b: t.linalg.multi_dot((a, b)), [(2, 3), (3, 4)]),
    (
        "multi_dot_vector_ends",
        lambda t, x, a, y: t.linalg.multi_dot([x, a, y]),
        [(3,), (3, 4), (4,)],
    ),
    (
        "multi_dot_row_first",
        lambda t, x, a, b: t.linalg.multi_dot([x, a, b]),
        [(3,), (3, 4), (4, 2)],
    ),
    ("multi_dot_two_vectors", lambda t, x, y: t.linalg.multi_dot([x, y]), [(3,), (3,)]),
    (
        "multi_dot_long_chain",
        lambda t, *m: t.linalg.multi_dot(list(m)),
        [(6, 2), (2, 5), (5, 1), (1, 4), (4, 3)],
    ),
    ("chain_matmul", lambda t, a, b, c: t.chain_matmul(a, b, c), [(2, 3), (3, 4), (4, 5)]),
    ("chain_matmul_one", lambda t, a: t.chain_matmul(a), [(2, 3)]),
    ("matrix_power_2", lambda t, a: t.linalg.matrix_power(a, 2), [(3, 3)]),
    ("matrix_power_3", lambda t, a: t.linalg.matrix_power(a, 3), [(3, 3)]),
    ("matrix_power_6_batched", lambda t, a: t.linalg.matrix_power(a, 6), [(2, 3, 3)]),
    ("matrix_power_1", lambda t, a: t.linalg.matrix_power(a, 1), [(3, 3)]),
    ("matrix_power_0", lambda t, a: t.linalg.matrix_power(a, 0), [(2, 3, 3)]),
    ("matrix_power_minus_1", lambda t, a: t.linalg.matrix_power(a, -1), [well_conditioned(3)]),
    (
        "matrix_power_minus_3_batched",
        lambda t, a: t.linalg.matrix_power(a, -3),
        [well_conditioned(3, (2,))],
    ),
    ("matrix_power_function", lambda t, a: t.matrix_power(a, 5), [(3, 3)]),
    ("matrix_power_method", lambda t, a: a.matrix_power(2), [(3, 3)]),
    ("linalg_cross", lambda t, a, b: t.linalg.cross(a, b), [(4, 3), (4, 3)]),
    ("linalg_cross_dim", lambda t, a, b: t.linalg.cross(a, b, dim=0), [(3, 4), (3, 4)]),
    ("linalg_cross_broadcast", lambda t, a, b: t.linalg.cross(a, b), [(2, 1, 3), (1, 4, 3)]),
    ("cross_dim", lambda t, a, b: t.cross(a, b, dim=1), [(2, 3, 4), (2, 3, 1)]),
    ("cross_method", lambda t, a, b: a.cross(b, dim=-1), [(3,), (3,)]),
    ("vecdot", lambda t, x, y: t.linalg.vecdot(x, y), [(4, 3), (4, 3)]),
    ("vecdot_dim", lambda t, x, y: t.linalg.vecdot(x, y, dim=0), [(3, 4), (3, 1)]),
    ("vecdot_broadcast", lambda t, x, y: t.linalg.vecdot(x, y), [(2, 1, 3), (4, 3)]),
    ("vecdot_vectors", lambda t, x, y: t.linalg.vecdot(x, y), [(3,), (3,)]),
]

DISTANCES = [
    ("dist", lambda t, x, y: t.dist(x, y), [(4, 3), (4, 3)]),
    ("dist_broadcast", lambda t, x, y: t.dist(x, y), [(4, 3), (3,)]),
    ("dist_method", lambda t, x, y: x.dist(y, 3), [(5,), (5,)]),
    *[
        (f"dist_p_{p}", lambda t, x, y, p=p: t.dist(x, y, p=p), [(4, 3), (4, 3)])
        for p in (1, 1.5, 3, 0.5, INF, -INF, -1)
    ],
    ("dist_zero_difference", lambda t, x: t.dist(x, x.detach()), [(4,)]),
    (
        "dist_inf_ties_share",
        lambda t, x, y: t.dist(x, y, INF),
        [with_values(1, 2, 3), with_values(0, -1, 0)],
    ),
    (
        "dist_p_3_zero_element",
        lambda t, x, y: t.dist(x, y, 3),
        [with_values(1, 2, 3), with_values(1, 0, 4)],
    ),
    ("cdist", lambda t, a, b: t.cdist(a, b), [(4, 3), (5, 3)]),
    ("cdist_batches_broadcast", lambda t, a, b: t.cdist(a, b), [(2, 1, 4, 3), (3, 5, 3)]),
    *[
        (f"cdist_p_{p}", lambda t, a, b, p=p: t.cdist(a, b, p=p), [(4, 3), (5, 3)])
        for p in (0, 1, 1.5, 3, 0.5, INF)
    ],
    ("cdist_p_int_positional", lambda t, a, b: t.cdist(a, b, 1), [(4, 3), (5, 3)]),
    (
        "cdist_by_products",
        lambda t, a, b: t.cdist(a, b, compute_mode="use_mm_for_euclid_dist"),
        [(4, 3), (5, 3)],
    ),
    (
        "cdist_by_differences",
        lambda t, a, b: t.cdist(a, b, compute_mode="donot_use_mm_for_euclid_dist"),
        [(30, 3), (26, 3)],
    ),
    ("cdist_past_25_rows", lambda t, a, b: t.cdist(a, b), [(30, 3), (2, 3)]),
    ("cdist_no_columns", lambda t, a, b: t.cdist(a, b, p=INF), [(4, 0), (5, 0)]),
]

CASES = ADD_PRODUCTS + PRODUCTS + DISTANCES


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_matches_torch(fn, shapes):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # chain_matmul's and cross's deprecations
        check(fn, shapes, atol=1e-4, rtol=1e-4)


NO_GRADIENT = ("cdist_p_0", "cdist_no_columns")  # constant in their inputs
AT_A_KINK = ("dist_inf_ties_share",)  # one-sided second derivatives differ at a tie
GRADIENT_CASES = [
    pytest.param(*case[1:], order, id=f"{case[0]}-{order}")
    for case in CASES
    for order in (1, 2)
    if case[0] not in NO_GRADIENT and not (order == 2 and case[0] in AT_A_KINK)
]


@pytest.mark.parametrize("fn, shapes, order", GRADIENT_CASES)
def test_gradients_match_finite_differences(fn, shapes, order):
    """First and second order (torch has no second order for cdist; ember does)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_gradcheck(fn, shapes, order=order)


def node_names(node):
    return node.name(), [
        None if n is None else n.name().split("::")[-1] for n, _ in node.next_functions
    ]


NODES = [
    ("addmm", lambda t, i, a, b: t.addmm(i, a, b), [(5,), (3, 4), (4, 5)]),
    (
        "addmm_input_without_grad",
        lambda t, i, a, b: t.addmm(i.detach(), a, b),
        [(3, 5), (3, 4), (4, 5)],
    ),
    ("addmv", lambda t, i, a, v: t.addmv(i, a, v), [(3,), (3, 4), (4,)]),
    ("addr", lambda t, i, x, y: t.addr(i, x, y), [(3, 4), (3,), (4,)]),
    ("baddbmm", lambda t, i, a, b: t.baddbmm(i, a, b), [(2, 3, 5), (2, 3, 4), (2, 4, 5)]),
    ("addbmm", lambda t, i, a, b: t.addbmm(i, a, b), [(3, 5), (2, 3, 4), (2, 4, 5)]),
    ("vdot", lambda t, x, y: t.vdot(x, y), [(3,), (3,)]),
    ("vecdot_vectors", lambda t, x, y: t.linalg.vecdot(x, y, dim=5), [(3,), (3,)]),
    ("vecdot", lambda t, x, y: t.linalg.vecdot(x, y), [(2, 3), (2, 3)]),
    ("outer", lambda t, x, y: t.outer(x, y), [(3,), (4,)]),
    ("ger", lambda t, x, y: t.ger(x, y), [(3,), (4,)]),
    ("matrix_power_1", lambda t, a: t.linalg.matrix_power(a, 1), [(3, 3)]),
    ("matrix_power_2", lambda t, a: t.linalg.matrix_power(a, 2), [(3, 3)]),
    ("matrix_power_3", lambda t, a: t.linalg.matrix_power(a, 3), [(3, 3)]),
    ("cross", lambda t, a, b: t.linalg.cross(a, b), [(2, 3), (2, 3)]),
    ("dist", lambda t, x, y: t.dist(x, y, 1), [(2, 3), (3,)]),
    ("cdist", lambda t, a, b: t.cdist(a, b), [(2, 3), (4, 3)]),
]


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in NODES], ids=[c[0] for c in NODES])
def test_one_node_named_as_torchs(fn, shapes):
    """One node with PyTorch's name (AddmmBackward0...), listing what PyTorch's lists."""
    ember_out, torch_out = check(fn, shapes)
    assert node_names(ember_out.grad_fn) == node_names(torch_out.grad_fn)


INTEGER_DTYPES = ["int64", "int32", "int8", "uint8"]
INTEGER_CASES = [
    ("addmm", lambda t, i, a, b: t.addmm(i, a, b, beta=2, alpha=3), [(3, 5), (3, 4), (4, 5)]),
    (
        "addmm_float_coefficients_truncate",
        lambda t, i, a, b: t.addmm(i, a, b, beta=2.5, alpha=1.7),
        [(3, 5), (3, 4), (4, 5)],
    ),
    ("addmv", lambda t, i, a, v: t.addmv(i, a, v, beta=0), [(3,), (3, 4), (4,)]),
    ("addr", lambda t, i, x, y: t.addr(i, x, y, alpha=2), [(3, 4), (3,), (4,)]),
    ("baddbmm", lambda t, i, a, b: t.baddbmm(i, a, b), [(2, 3, 5), (2, 3, 4), (2, 4, 5)]),
    ("addbmm", lambda t, i, a, b: t.addbmm(i, a, b), [(3, 5), (2, 3, 4), (2, 4, 5)]),
    ("vdot", lambda t, x, y: t.vdot(x, y), [(4,), (4,)]),
    ("kron", lambda t, a, b: t.kron(a, b), [(2, 2), (3,)]),
    ("tensordot", lambda t, a, b: t.tensordot(a, b, dims=1), [(2, 3), (3, 4)]),
    ("multi_dot", lambda t, a, b, c: t.linalg.multi_dot([a, b, c]), [(2, 3), (3, 4), (4,)]),
    ("matrix_power", lambda t, a: t.linalg.matrix_power(a, 3), [(3, 3)]),
    ("matrix_power_0", lambda t, a: t.linalg.matrix_power(a, 0), [(3, 3)]),
    ("cross", lambda t, a, b: t.linalg.cross(a, b), [(2, 3), (2, 3)]),
]


@pytest.mark.parametrize("dtype", INTEGER_DTYPES)
@pytest.mark.parametrize(
    "fn, shapes", [c[1:] for c in INTEGER_CASES], ids=[c[0] for c in INTEGER_CASES]
)
def test_integer_products(fn, shapes, dtype):
    # torch's CUDA build has no integer matmul ("addmm_cuda" not implemented for 'Long').
    check(fn, shapes, dtype=dtype, grad=False, low=-3, high=3, torch_on_cpu=True)


MIXED_DTYPES = [
    ("addr_promotes", lambda t, i, x, y: t.addr(i, x, y), ["int64", "float32", "int64"]),
    (
        "addr_0d_input_counts_as_a_matrix",
        lambda t, i, x, y: t.addr(i[0, 0], x, y),
        ["float64", "float32", "float32"],
    ),
    (
        "addr_bool_vectors_float_input",
        lambda t, i, x, y: t.addr(i, x, y, beta=0.5, alpha=2.5),
        ["float32", "bool", "bool"],
    ),
    ("addr_bools", lambda t, i, x, y: t.addr(i, x, y), ["bool", "bool", "bool"]),
    ("addr_bools_beta_0", lambda t, i, x, y: t.addr(i, x, y, beta=0), ["bool", "bool", "bool"]),
    (
        "addr_bools_alpha_false",
        lambda t, i, x, y: t.addr(i, x, y, alpha=False),
        ["bool", "bool", "bool"],
    ),
    ("addmm_float16", lambda t, i, x, y: t.addmm(i, x[:, None], y[None]), ["float16"] * 3),
    (
        "addmm_float64",
        lambda t, i, x, y: t.addmm(i, x[:, None], y[None], beta=0.5),
        ["float64"] * 3,
    ),
    ("kron_promotes", lambda t, i, x, y: t.kron(x, i), ["int64", "bool", "float32"]),
    ("ger_promotes", lambda t, i, x, y: t.ger(x, y), ["int64", "int64", "float32"]),
    ("dist_promotes", lambda t, i, x, y: t.dist(i[0], y), ["int64", "float32", "float32"]),
    ("dist_float64", lambda t, i, x, y: t.dist(x, i[0, :3]), ["float64", "float32", "float32"]),
]


@pytest.mark.parametrize(
    "fn, dtypes", [c[1:] for c in MIXED_DTYPES], ids=[c[0] for c in MIXED_DTYPES]
)
def test_dtypes_match_torch(fn, dtypes):
    rng = np.random.default_rng(0)
    shapes = [(3, 4), (3,), (4,)]
    arrays = [
        rng.random(shape) > 0.5 if dtype == "bool" else rng.integers(-3, 4, shape).astype(dtype)
        for shape, dtype in zip(shapes, dtypes)
    ]
    check(fn, arrays, grad=False, atol=1e-2)


NAN_INPUT = np.full((3, 5), np.nan, np.float32)
INF_ROW = np.full((5,), np.inf, np.float32)
BETA_ZERO = [
    ("addmm_nan", lambda t, i, a, b: t.addmm(i, a, b, beta=0), [NAN_INPUT, (3, 4), (4, 5)]),
    (
        "addmm_inf_row",
        lambda t, i, a, b: t.addmm(i, a, b, beta=0.0, alpha=2),
        [INF_ROW, (3, 4), (4, 5)],
    ),
    ("addmv_nan", lambda t, i, a, v: t.addmv(i, a, v, beta=0), [NAN_INPUT[0, :3], (3, 4), (4,)]),
    ("addr_nan", lambda t, i, x, y: t.addr(i, x, y, beta=0), [NAN_INPUT[:, :4], (3,), (4,)]),
    ("baddbmm_inf", lambda t, i, a, b: t.baddbmm(i, a, b, beta=0), [INF_ROW, (2, 3, 4), (2, 4, 5)]),
    (
        "addbmm_nan",
        lambda t, i, a, b: t.addbmm(i, a, b, beta=False),
        [NAN_INPUT, (2, 3, 4), (2, 4, 5)],
    ),
    (
        "addmm_in_place_nan",
        lambda t, i, a, b: i.detach().clone().addmm_(a, b, beta=0),
        [NAN_INPUT, (3, 4), (4, 5)],
    ),
]


@pytest.mark.parametrize("fn, inputs", [c[1:] for c in BETA_ZERO], ids=[c[0] for c in BETA_ZERO])
def test_beta_zero_ignores_nan_and_inf_in_the_input(fn, inputs):
    ember_out, _ = check(fn, inputs)
    assert ember.isfinite(ember_out).all()


IN_PLACE = [
    ("addmm_", lambda t, i, a, b: i.addmm_(a, b, beta=2, alpha=0.5), [(3, 5), (3, 4), (4, 5)]),
    ("addmv_", lambda t, i, a, v: i.addmv_(a, v), [(3,), (3, 4), (4,)]),
    ("addmv_function", lambda t, i, a, v: t.addmv_(i, a, v, alpha=2), [(3,), (3, 4), (4,)]),
    ("addr_", lambda t, i, x, y: i.addr_(x, y, beta=0), [(3, 4), (3,), (4,)]),
    ("baddbmm_", lambda t, i, a, b: i.baddbmm_(a, b), [(2, 3, 5), (2, 3, 4), (2, 4, 5)]),
    ("addbmm_", lambda t, i, a, b: i.addbmm_(a, b, alpha=-1), [(3, 5), (2, 3, 4), (2, 4, 5)]),
]


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in IN_PLACE], ids=[c[0] for c in IN_PLACE])
def test_in_place_forms_write_into_the_input(fn, shapes):
    def in_place(t, input, *factors):
        input = input.detach().clone()
        result = fn(t, input, *factors)
        assert result is input
        return result

    check(in_place, shapes)


def test_in_place_form_in_a_graph_gives_torchs_gradients():
    def scenario(t, input, a, b):
        return (input * 2).addmm_(a, b, beta=3).sum() * 1.0

    check(scenario, [(3, 5), (3, 4), (4, 5)])


def test_coefficients_may_be_0d_tensors_and_bools():
    check(
        lambda t, i, a, b: t.addmm(i, a, b, beta=t.tensor(2.0), alpha=True),
        [(3, 5), (3, 4), (4, 5)],
    )


@pytest.mark.parametrize("coefficients", [{}, {"beta": 0.5, "alpha": 2.0}])
@pytest.mark.parametrize(
    "name, shapes",
    [("addmm", [(4, 3), (4, 300), (300, 3)]), ("baddbmm", [(4, 3), (5, 4, 300), (5, 300, 3)])]
    + [("addmv", [(4,), (4, 300), (300,)])],
)
def test_float16_products_round_once_as_torchs(name, shapes, coefficients):
    """PyTorch takes the product and the sum in float32 and rounds once: rounding the
    product to float16 first gave other last bits for about a fifth of the values."""
    generator = torch.Generator().manual_seed(0)
    inputs = [torch.randn(shape, generator=generator).half() for shape in shapes]
    expected = getattr(torch, name)(*inputs, **coefficients)
    got = getattr(ember, name)(*(ember.tensor(t.numpy()) for t in inputs), **coefficients)
    assert got.dtype == ember.float16
    np.testing.assert_array_equal(got.numpy(), expected.numpy())


def test_chain_matmul_warns_that_it_is_deprecated():
    with pytest.warns(UserWarning, match="linalg.multi_dot"):
        ember.chain_matmul(ember.ones(2, 3), ember.ones(3, 2))


def test_cross_without_dim_warns_and_takes_the_first_dim_of_size_3():
    for lib in (ember, torch):
        with pytest.warns(UserWarning, match="dim"):
            result = lib.cross(lib.arange(18.0).reshape(2, 3, 3), lib.ones(2, 3, 3))
        assert result.shape == (2, 3, 3)
    with pytest.warns(UserWarning):
        check(lambda t, a, b: t.cross(a, b), [(3, 1), (3, 4)])


def test_matrix_power_0_is_the_identity_and_keeps_the_graph():
    ember_out, torch_out = check(lambda t, a: t.linalg.matrix_power(a, 0), [(2, 3, 3)])
    assert ember_out.requires_grad and torch_out.requires_grad
    assert_same(ember_out, torch.eye(3).expand(2, 3, 3))


def test_matrix_power_1_is_a_copy():
    a = ember.ones(2, 2)
    result = ember.linalg.matrix_power(a, 1)
    result[0, 0] = 5.0
    assert a[0, 0].item() == 1.0


def test_multi_dot_multiplies_in_the_cheapest_order():
    """(A B) C costs 10*2*10 + 10*10*3 = 500 multiplications, A (B C) 2*10*3 + 10*2*3 = 120:
    with A and B constant, the last product's second factor is the recorded B C."""

    def nodes(lib):
        a, b, c = lib.ones(10, 2), lib.ones(2, 10), lib.ones(10, 3, requires_grad=True)
        reshape = lib.linalg.multi_dot([a, b, c]).grad_fn
        last_product = reshape.next_functions[0][0]
        return node_names(reshape), node_names(last_product)

    assert nodes(ember) == nodes(torch)
    assert nodes(ember)[1] == ("MmBackward0", [None, "MmBackward0"])


def test_dist_p_0_counts_differences_and_has_zero_gradient():
    """torch.dist(p=0) fails in backward (its node returns no tensor); ember gives zeros."""
    x = ember.tensor([1.0, 2.0, 3.0], requires_grad=True)
    result = ember.dist(x, ember.tensor([1.0, 0.0, 0.0]), p=0)
    assert_same(result, torch.dist(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 0, 0]), p=0))
    result.backward()
    assert_same(x.grad, torch.zeros(3))


def test_cdist_by_products_past_25_rows_matches_torch():
    """torch switches to |x|^2 + |y|^2 - 2 x.y for p=2 past 25 rows; so does ember."""
    check(lambda t, a, b: t.cdist(a, b), [(40, 3), (26, 3)], atol=1e-4, rtol=1e-4)
    x = ember.tensor(np.random.default_rng(0).normal(size=(30, 3)), requires_grad=True)
    ember.cdist(x, x).sum().backward()  # zero distances by products: gradient stays finite
    assert ember.isfinite(x.grad).all()


# (name, fn, inputs): torch raises, and ember raises the same type.
def ones(*shape, dtype=np.float32):
    return np.ones(shape, dtype)


ERRORS = [
    ("addmm_sizes", lambda t, i, a, b: t.addmm(i, a, b), [ones(3, 5), ones(3, 4), ones(3, 5)]),
    (
        "addmm_input_too_big",
        lambda t, i, a, b: t.addmm(i, a, b, beta=0),
        [ones(4, 5), ones(3, 4), ones(4, 5)],
    ),
    (
        "addmm_input_3d",
        lambda t, i, a, b: t.addmm(i, a, b),
        [ones(1, 3, 5), ones(3, 4), ones(4, 5)],
    ),
    ("addmm_vector", lambda t, i, a, b: t.addmm(i, a, b), [ones(3, 5), ones(4), ones(4, 5)]),
    (
        "addmm_dtypes",
        lambda t, i, a, b: t.addmm(i, a, b),
        [ones(3, 5, dtype=np.float64), ones(3, 4), ones(4, 5)],
    ),
    (
        "addmm_factor_dtypes",
        lambda t, i, a, b: t.addmm(i, a, b),
        [ones(3, 5), ones(3, 4, dtype=np.int64), ones(4, 5)],
    ),
    ("addmm_bools", lambda t, i, a, b: t.addmm(i, a, b), [ones(2, 2, dtype=bool)] * 3),
    ("addmm_positional_beta", lambda t, i, a, b: t.addmm(i, a, b, 2), [ones(2, 2)] * 3),
    (
        "addmm_int8_beta_too_big",
        lambda t, i, a, b: t.addmm(i, a, b, beta=300),
        [ones(2, 2, dtype=np.int8)] * 3,
    ),
    (
        "addmm_uint8_negative_float_alpha",
        lambda t, i, a, b: t.addmm(i, a, b, alpha=-1.5),
        [ones(2, 2, dtype=np.uint8)] * 3,
    ),
    ("addmm_list", lambda t, i, a: t.addmm(i, a, [[1.0]]), [ones(1, 1), ones(1, 1)]),
    ("addmm_list_input", lambda t, a: t.addmm([[1.0]], a, a), [ones(1, 1)]),
    (
        "addmm_in_place_broadcast_self",
        lambda t, i, a, b: i.addmm_(a, b),
        [ones(5), ones(3, 4), ones(4, 5)],
    ),
    (
        "addmm_in_place_int_self",
        lambda t, i, a, b: i.addmm_(a, b),
        [ones(3, 5, dtype=np.int64), ones(3, 4), ones(4, 5)],
    ),
    ("addmv_sizes", lambda t, i, a, v: t.addmv(i, a, v), [ones(3), ones(3, 4), ones(5)]),
    ("addmv_input", lambda t, i, a, v: t.addmv(i, a, v), [ones(7), ones(3, 4), ones(4)]),
    ("addmv_matrix_vec", lambda t, i, a, v: t.addmv(i, a, v), [ones(3), ones(3, 4), ones(4, 1)]),
    (
        "addmv_dtypes",
        lambda t, i, a, v: t.addmv(i, a, v),
        [ones(3, dtype=np.float64), ones(3, 4), ones(4)],
    ),
    ("addr_matrix_vec1", lambda t, i, x, y: t.addr(i, x, y), [ones(3, 4), ones(3, 1), ones(4)]),
    ("addr_input", lambda t, i, x, y: t.addr(i, x, y), [ones(7), ones(3), ones(4)]),
    (
        "addr_float_beta_for_ints",
        lambda t, i, x, y: t.addr(i, x, y, beta=0.5),
        [ones(3, 4, dtype=np.int64), ones(3, dtype=np.int64), ones(4, dtype=np.int64)],
    ),
    (
        "addr_bool_alpha_for_ints",
        lambda t, i, x, y: t.addr(i, x, y, alpha=True),
        [ones(3, 4, dtype=np.int64), ones(3, dtype=np.int64), ones(4, dtype=np.int64)],
    ),
    (
        "addr_float_alpha_for_bools",
        lambda t, i, x, y: t.addr(i, x, y, alpha=1.5),
        [ones(3, 4, dtype=bool), ones(3, dtype=bool), ones(4, dtype=bool)],
    ),
    (
        "baddbmm_batches",
        lambda t, i, a, b: t.baddbmm(i, a, b),
        [ones(2, 3, 5), ones(2, 3, 4), ones(3, 4, 5)],
    ),
    (
        "baddbmm_sizes",
        lambda t, i, a, b: t.baddbmm(i, a, b),
        [ones(2, 3, 5), ones(2, 3, 4), ones(2, 3, 5)],
    ),
    (
        "baddbmm_matrix_batch1",
        lambda t, i, a, b: t.baddbmm(i, a, b),
        [ones(2, 3, 5), ones(3, 4), ones(2, 4, 5)],
    ),
    (
        "baddbmm_matrix_batch2",
        lambda t, i, a, b: t.baddbmm(i, a, b),
        [ones(2, 3, 5), ones(2, 3, 4), ones(4, 5)],
    ),
    (
        "baddbmm_dtypes",
        lambda t, i, a, b: t.baddbmm(i, a, b),
        [ones(2, 3, 5, dtype=np.float64), ones(2, 3, 4), ones(2, 4, 5)],
    ),
    (
        "addbmm_batches",
        lambda t, i, a, b: t.addbmm(i, a, b),
        [ones(3, 5), ones(3, 3, 4), ones(2, 4, 5)],
    ),
    (
        "addbmm_input_3d",
        lambda t, i, a, b: t.addbmm(i, a, b),
        [ones(1, 3, 5), ones(2, 3, 4), ones(2, 4, 5)],
    ),
    ("vdot_2d", lambda t, x, y: t.vdot(x, y), [ones(3, 1), ones(3)]),
    ("vdot_sizes", lambda t, x, y: t.vdot(x, y), [ones(3), ones(4)]),
    ("vdot_dtypes", lambda t, x, y: t.vdot(x, y), [ones(3), ones(3, dtype=np.float64)]),
    ("vdot_bools", lambda t, x, y: t.vdot(x, y), [ones(3, dtype=bool), ones(3, dtype=bool)]),
    ("ger_2d", lambda t, x, y: t.ger(x, y), [ones(3, 1), ones(3)]),
    ("kron_number", lambda t, x: t.kron(x, 3), [ones(3)]),
    (
        "tensordot_negative_dims",
        lambda t, a, b: t.tensordot(a, b, dims=-1),
        [ones(2, 3), ones(3, 2)],
    ),
    (
        "tensordot_too_many_dims",
        lambda t, a, b: t.tensordot(a, b, dims=3),
        [ones(2, 3), ones(3, 2, 2)],
    ),
    ("tensordot_sizes", lambda t, a, b: t.tensordot(a, b, dims=1), [ones(2, 3), ones(4, 5)]),
    (
        "tensordot_list_sizes",
        lambda t, a, b: t.tensordot(a, b, dims=([1], [0])),
        [ones(2, 3), ones(4, 5)],
    ),
    (
        "tensordot_lengths",
        lambda t, a, b: t.tensordot(a, b, dims=([1], [0, 1])),
        [ones(2, 3), ones(3, 2)],
    ),
    (
        "tensordot_dim_range",
        lambda t, a, b: t.tensordot(a, b, dims=([2], [0])),
        [ones(2, 3), ones(3, 2)],
    ),
    (
        "tensordot_repeated_dim",
        lambda t, a, b: t.tensordot(a, b, dims=([0, 0], [0, 1])),
        [ones(3, 3), ones(3, 3)],
    ),
    ("tensordot_float_dims", lambda t, a, b: t.tensordot(a, b, dims=1.0), [ones(2, 3), ones(3, 2)]),
    (
        "tensordot_pair_of_ints",
        lambda t, a, b: t.tensordot(a, b, dims=(1, 0)),
        [ones(2, 3), ones(3, 2)],
    ),
    (
        "tensordot_three_lists",
        lambda t, a, b: t.tensordot(a, b, dims=([1], [0], [0])),
        [ones(2, 3), ones(3, 2)],
    ),
    (
        "tensordot_dtypes",
        lambda t, a, b: t.tensordot(a, b, dims=1),
        [ones(2, 3, dtype=np.int64), ones(3, 2)],
    ),
    (
        "tensordot_bools",
        lambda t, a, b: t.tensordot(a, b, dims=1),
        [ones(2, 3, dtype=bool), ones(3, 2, dtype=bool)],
    ),
    ("multi_dot_one", lambda t, a: t.linalg.multi_dot([a]), [ones(2, 2)]),
    ("multi_dot_none", lambda t: t.linalg.multi_dot([]), []),
    ("multi_dot_varargs", lambda t, a, b: t.linalg.multi_dot(a, b), [ones(2, 3), ones(3, 2)]),
    ("multi_dot_3d_last", lambda t, a, b: t.linalg.multi_dot([a, b]), [ones(2, 3), ones(1, 3, 2)]),
    ("multi_dot_0d_first", lambda t, a, b: t.linalg.multi_dot([a, b]), [ones(), ones(3, 2)]),
    (
        "multi_dot_vector_inside",
        lambda t, a, x, b: t.linalg.multi_dot([a, x, b]),
        [ones(2, 3), ones(3), ones(3, 2)],
    ),
    ("multi_dot_sizes", lambda t, a, b: t.linalg.multi_dot([a, b]), [ones(2, 3), ones(4, 4)]),
    (
        "multi_dot_dtypes",
        lambda t, a, b: t.linalg.multi_dot([a, b]),
        [ones(2, 3, dtype=np.int64), ones(3, 2)],
    ),
    (
        "multi_dot_bools",
        lambda t, a, b: t.linalg.multi_dot([a, b]),
        [ones(2, 3, dtype=bool), ones(3, 2, dtype=bool)],
    ),
    ("multi_dot_list_inside", lambda t, a: t.linalg.multi_dot([a, [[1.0]]]), [ones(1, 1)]),
    ("chain_matmul_none", lambda t: t.chain_matmul(), []),
    ("chain_matmul_vector", lambda t, x, a: t.chain_matmul(x, a), [ones(3), ones(3, 2)]),
    ("chain_matmul_list", lambda t, a, b: t.chain_matmul([a, b]), [ones(2, 3), ones(3, 2)]),
    ("matrix_power_not_square", lambda t, a: t.linalg.matrix_power(a, 2), [ones(2, 3)]),
    ("matrix_power_vector", lambda t, a: t.linalg.matrix_power(a, 2), [ones(3)]),
    ("matrix_power_float_n", lambda t, a: t.linalg.matrix_power(a, 2.0), [ones(3, 3)]),
    ("matrix_power_bool_n", lambda t, a: t.linalg.matrix_power(a, True), [ones(3, 3)]),
    ("matrix_power_singular", lambda t, a: t.linalg.matrix_power(a, -1), [ones(3, 3)]),
    (
        "matrix_power_negative_ints",
        lambda t, a: t.linalg.matrix_power(a, -1),
        [ones(3, 3, dtype=np.int64)],
    ),
    (
        "matrix_power_negative_float16",
        lambda t, a: t.linalg.matrix_power(a, -1),
        [ones(3, 3, dtype=np.float16)],
    ),
    ("matrix_power_bools", lambda t, a: t.linalg.matrix_power(a, 2), [ones(3, 3, dtype=bool)]),
    ("cross_no_size_3", lambda t, a, b: t.cross(a, b), [ones(2, 4), ones(2, 4)]),
    ("cross_first_3_in_input_only", lambda t, a, b: t.cross(a, b), [ones(1, 4), ones(3, 4)]),
    ("linalg_cross_last_dim_not_3", lambda t, a, b: t.linalg.cross(a, b), [ones(3, 4), ones(3, 4)]),
    (
        "linalg_cross_dim_range",
        lambda t, a, b: t.linalg.cross(a, b, dim=2),
        [ones(4, 3), ones(4, 3)],
    ),
    ("linalg_cross_ndims", lambda t, a, b: t.linalg.cross(a, b), [ones(3), ones(4, 3)]),
    (
        "linalg_cross_size_1_is_not_3",
        lambda t, a, b: t.cross(a, b, dim=0),
        [ones(3, 1), ones(1, 3)],
    ),
    ("linalg_cross_broadcast", lambda t, a, b: t.linalg.cross(a, b), [ones(4, 3), ones(2, 3)]),
    (
        "linalg_cross_dtypes",
        lambda t, a, b: t.linalg.cross(a, b),
        [ones(3, dtype=np.int64), ones(3)],
    ),
    (
        "linalg_cross_bools",
        lambda t, a, b: t.linalg.cross(a, b),
        [ones(3, dtype=bool), ones(3, dtype=bool)],
    ),
    (
        "vecdot_ints",
        lambda t, x, y: t.linalg.vecdot(x, y),
        [ones(3, dtype=np.int64), ones(3, dtype=np.int64)],
    ),
    (
        "vecdot_int_and_float",
        lambda t, x, y: t.linalg.vecdot(x, y),
        [ones(3), ones(3, dtype=np.int64)],
    ),
    ("vecdot_dtypes", lambda t, x, y: t.linalg.vecdot(x, y), [ones(3), ones(3, dtype=np.float64)]),
    ("vecdot_sizes", lambda t, x, y: t.linalg.vecdot(x, y), [ones(4), ones(3)]),
    ("vecdot_dim_range", lambda t, x, y: t.linalg.vecdot(x, y, dim=2), [ones(3, 3), ones(3, 3)]),
    ("vecdot_broadcast", lambda t, x, y: t.linalg.vecdot(x, y), [ones(3, 3), ones(2, 3)]),
    (
        "vecdot_dim_tuple",
        lambda t, x, y: t.linalg.vecdot(x, y, dim=(0, 1)),
        [ones(3, 3), ones(3, 3)],
    ),
    ("vecdot_positional_dim", lambda t, x, y: t.linalg.vecdot(x, y, 0), [ones(3), ones(3)]),
    ("dist_ints", lambda t, x, y: t.dist(x, y), [ones(3, dtype=np.int64), ones(3, dtype=np.int64)]),
    ("dist_broadcast", lambda t, x, y: t.dist(x, y), [ones(3), ones(4)]),
    ("dist_empty_inf", lambda t, x, y: t.dist(x, y, INF), [ones(0), ones(0)]),
    ("cdist_vectors", lambda t, a, b: t.cdist(a, b), [ones(3), ones(3)]),
    ("cdist_columns", lambda t, a, b: t.cdist(a, b), [ones(4, 3), ones(5, 2)]),
    ("cdist_negative_p", lambda t, a, b: t.cdist(a, b, p=-1), [ones(4, 3), ones(5, 3)]),
    (
        "cdist_ints",
        lambda t, a, b: t.cdist(a, b),
        [ones(4, 3, dtype=np.int64), ones(5, 3, dtype=np.int64)],
    ),
    ("cdist_dtypes", lambda t, a, b: t.cdist(a, b), [ones(4, 3), ones(5, 3, dtype=np.float64)]),
    (
        "cdist_float16",
        lambda t, a, b: t.cdist(a, b),
        [ones(4, 3, dtype=np.float16), ones(5, 3, dtype=np.float16)],
    ),
    ("cdist_batches", lambda t, a, b: t.cdist(a, b), [ones(2, 4, 3), ones(3, 5, 3)]),
    (
        "cdist_compute_mode",
        lambda t, a, b: t.cdist(a, b, compute_mode="fast"),
        [ones(4, 3), ones(5, 3)],
    ),
]


OLDER_TORCH_ALLOWS = {"addmv_dtypes": "lets addmv mix dtypes"}


@pytest.mark.parametrize("name, fn, inputs", ERRORS, ids=[c[0] for c in ERRORS])
def test_errors_match_torch(name, fn, inputs):
    if name in OLDER_TORCH_ALLOWS:
        skip_before_torch_2_13(OLDER_TORCH_ALLOWS[name])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_error(fn, *inputs)


def test_error_messages_name_what_was_wrong():
    with pytest.raises(RuntimeError, match=r"3x4 and 3x5"):
        ember.addmm(ember.ones(3, 5), ember.ones(3, 4), ember.ones(3, 5))
    with pytest.raises(RuntimeError, match=r"\[4, 5\].*\[3, 5\]"):
        ember.addmm(ember.ones(4, 5), ember.ones(3, 4), ember.ones(4, 5))
    with pytest.raises(RuntimeError, match="size 3 in dim 1 .* size 4 in dim 0"):
        ember.tensordot(ember.ones(2, 3), ember.ones(4, 5), dims=([1], [0]))
    with pytest.raises(RuntimeError, match=r"\[2, 3\] and \[4, 4\]"):
        ember.linalg.multi_dot([ember.ones(2, 3), ember.ones(4, 4)])
    with pytest.raises(ember.linalg.LinAlgError, match="singular"):
        ember.linalg.matrix_power(ember.ones(2, 2), -2)
