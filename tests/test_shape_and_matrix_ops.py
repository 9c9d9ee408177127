"""Matrix parts (tril, triu, diag, diagonal, trace), roll, tile, repeat_interleave, ravel,
broadcast_tensors/shapes, meshgrid, logaddexp, nan_to_num, the longer comparison names,
einsum, finfo and iinfo, against PyTorch."""

import warnings

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error, check_gradcheck

import ember

INF, NAN = float("inf"), float("nan")


def joined(t, pieces):
    """Tuple results (broadcast_tensors, meshgrid) as one tensor, each piece weighted."""
    return t.cat([piece.reshape(-1) * (index + 1) for index, piece in enumerate(pieces)])


# (name, fn, shapes): differentiable, checked against torch, gradcheck, gradgradcheck
OPS = [
    ("tril", lambda t, x: t.tril(x), [(3, 4)]),
    ("tril_diagonal", lambda t, x: t.tril(x, diagonal=1), [(3, 4)]),
    ("tril_negative_diagonal", lambda t, x: x.tril(-1), [(4, 3)]),
    ("tril_batch", lambda t, x: x.tril(), [(2, 3, 3)]),
    ("tril_far_diagonal", lambda t, x: x.tril(-5), [(3, 4)]),
    ("triu", lambda t, x: t.triu(x), [(3, 4)]),
    ("triu_diagonal", lambda t, x: x.triu(diagonal=2), [(4, 4)]),
    ("triu_negative_diagonal", lambda t, x: t.triu(x, -1), [(2, 3, 4)]),
    ("tril_empty", lambda t, x: x.tril(), [(0, 3)]),
    ("diag_of_vector", lambda t, x: t.diag(x), [(4,)]),
    ("diag_of_vector_above", lambda t, x: t.diag(x, 1), [(3,)]),
    ("diag_of_vector_below", lambda t, x: x.diag(-2), [(3,)]),
    ("diag_of_matrix", lambda t, x: t.diag(x), [(3, 4)]),
    ("diag_of_matrix_above", lambda t, x: t.diag(x, diagonal=2), [(3, 4)]),
    ("diag_of_matrix_below", lambda t, x: x.diag(-1), [(3, 4)]),
    ("diag_of_matrix_past_the_end", lambda t, x: t.diag(x, 5), [(3, 4)]),
    ("diag_of_empty_vector", lambda t, x: t.diag(x), [(0,)]),
    ("diagonal", lambda t, x: t.diagonal(x), [(3, 4)]),
    ("diagonal_offset", lambda t, x: t.diagonal(x, 1), [(3, 4)]),
    ("diagonal_negative_offset", lambda t, x: x.diagonal(-1), [(3, 4)]),
    ("diagonal_dims", lambda t, x: t.diagonal(x, 0, -1, 0), [(2, 3, 4)]),
    ("diagonal_keywords", lambda t, x: x.diagonal(offset=1, dim1=1, dim2=0), [(3, 4)]),
    ("diagonal_batch", lambda t, x: x.diagonal(dim1=-2, dim2=-1), [(2, 3, 3)]),
    ("diagonal_past_the_end", lambda t, x: x.diagonal(7), [(3, 4)]),
    ("trace", lambda t, x: t.trace(x), [(3, 3)]),
    ("trace_wide", lambda t, x: x.trace(), [(2, 4)]),
    ("trace_empty", lambda t, x: x.trace(), [(0, 3)]),
    ("roll_flat", lambda t, x: t.roll(x, 1), [(3, 4)]),
    ("roll_dim", lambda t, x: t.roll(x, 1, 0), [(3, 4)]),
    ("roll_dims", lambda t, x: t.roll(x, (1, -2), (0, 1)), [(3, 4)]),
    ("roll_lists", lambda t, x: x.roll([5], [-1]), [(3, 4)]),
    ("roll_keywords", lambda t, x: x.roll(shifts=-1, dims=1), [(3, 4)]),
    ("roll_no_dims", lambda t, x: t.roll(x, 2, ()), [(3, 4)]),
    ("roll_0d", lambda t, x: t.roll(x, 1), [()]),
    ("roll_empty", lambda t, x: t.roll(x, 1, 0), [(0, 3)]),
    ("roll_empty_checks_no_dim", lambda t, x: t.roll(x, (1,), (5,)), [(0, 3)]),
    ("tile", lambda t, x: t.tile(x, (2,)), [(3, 4)]),
    ("tile_more_dims", lambda t, x: t.tile(x, (2, 1, 2)), [(3, 4)]),
    ("tile_method", lambda t, x: x.tile(2, 3), [(3, 4)]),
    ("tile_method_one", lambda t, x: x.tile(2), [(3,)]),
    ("tile_method_keyword", lambda t, x: x.tile(dims=(2, 1)), [(3,)]),
    ("tile_keyword", lambda t, x: t.tile(x, dims=[1, 2]), [(3, 4)]),
    ("tile_nothing", lambda t, x: t.tile(x, ()), [(3, 4)]),
    ("tile_zero", lambda t, x: t.tile(x, [0]), [(3, 4)]),
    ("repeat_interleave", lambda t, x: t.repeat_interleave(x, 2), [(3, 4)]),
    ("repeat_interleave_dim", lambda t, x: t.repeat_interleave(x, 2, dim=0), [(3, 4)]),
    ("repeat_interleave_last_dim", lambda t, x: x.repeat_interleave(3, -1), [(2, 3)]),
    ("repeat_interleave_zero", lambda t, x: x.repeat_interleave(0, 1), [(2, 3)]),
    ("repeat_interleave_0d", lambda t, x: t.repeat_interleave(x, 2), [()]),
    (
        "repeat_interleave_counts",
        lambda t, x: t.repeat_interleave(x, t.tensor([1, 0, 2]), dim=0),
        [(3, 4)],
    ),
    (
        "repeat_interleave_counts_dim1",
        lambda t, x: x.repeat_interleave(t.tensor([2, 1, 0, 3]), dim=1),
        [(3, 4)],
    ),
    ("repeat_interleave_one_count", lambda t, x: x.repeat_interleave(t.tensor([2]), 0), [(3, 4)]),
    ("repeat_interleave_0d_count", lambda t, x: x.repeat_interleave(t.tensor(2), 1), [(3, 4)]),
    (
        "repeat_interleave_counts_flat",
        lambda t, x: t.repeat_interleave(x, t.tensor([1, 2, 0, 1, 1, 2])),
        [(2, 3)],
    ),
    (
        "repeat_interleave_output_size",
        lambda t, x: x.repeat_interleave(2, 1, output_size=8),
        [(3, 4)],
    ),
    ("ravel", lambda t, x: t.ravel(x), [(3, 4)]),
    ("ravel_transposed", lambda t, x: x.T.ravel(), [(3, 4)]),
    ("ravel_0d", lambda t, x: x.ravel(), [()]),
    ("broadcast_tensors", lambda t, x, y: joined(t, t.broadcast_tensors(x, y)), [(3, 1), (4,)]),
    (
        "broadcast_tensors_same",
        lambda t, x, y: joined(t, t.broadcast_tensors(x, y)),
        [(3, 4), (4,)],
    ),
    ("broadcast_tensors_one", lambda t, x: joined(t, t.broadcast_tensors(x)), [(3, 4)]),
    ("meshgrid_ij", lambda t, x, y: joined(t, t.meshgrid(x, y, indexing="ij")), [(3,), (4,)]),
    ("meshgrid_xy", lambda t, x, y: joined(t, t.meshgrid(x, y, indexing="xy")), [(3,), (4,)]),
    (
        "meshgrid_three_xy",
        lambda t, x, y, z: joined(t, t.meshgrid([x, y, z], indexing="xy")),
        [(2,), (3,), (4,)],
    ),
    ("meshgrid_tuple", lambda t, x, y: joined(t, t.meshgrid((x, y), indexing="ij")), [(2,), (3,)]),
    ("meshgrid_0d", lambda t, x, y: joined(t, t.meshgrid(x, y, indexing="xy")), [(), (3,)]),
    ("meshgrid_one", lambda t, x: joined(t, t.meshgrid(x, indexing="xy")), [(3,)]),
    ("logaddexp", lambda t, x, y: t.logaddexp(x, y), [(3, 4), (3, 4)]),
    ("logaddexp_broadcast", lambda t, x, y: x.logaddexp(y), [(3, 1), (4,)]),
    ("logaddexp2", lambda t, x, y: t.logaddexp2(x, y), [(3, 4), (4,)]),
    ("logaddexp2_method", lambda t, x, y: x.logaddexp2(y), [(3,), (3,)]),
    ("logaddexp_0d", lambda t, x, y: t.logaddexp(x, y), [(), (3,)]),
    ("nan_to_num", lambda t, x: t.nan_to_num(x), [(3, 4)]),
    ("nan_to_num_method", lambda t, x: x.nan_to_num(1.0, 2.0, -3.0), [(3, 4)]),
    ("einsum_matmul", lambda t, a, b: t.einsum("ij,jk->ik", a, b), [(3, 4), (4, 2)]),
    ("einsum_list", lambda t, a, b: t.einsum("ij,jk->ik", [a, b]), [(3, 4), (4, 2)]),
    ("einsum_bmm", lambda t, a, b: t.einsum("bij,bjk->bik", a, b), [(2, 3, 4), (2, 4, 5)]),
    ("einsum_diagonal", lambda t, a: t.einsum("ii->i", a), [(3, 3)]),
    ("einsum_trace", lambda t, a: t.einsum("ii", a), [(3, 3)]),
    ("einsum_dot", lambda t, x, y: t.einsum("i,i->", x, y), [(4,), (4,)]),
    ("einsum_outer", lambda t, x, y: t.einsum("i,j->ij", x, y), [(3,), (4,)]),
    ("einsum_batch_transpose", lambda t, a: t.einsum("...ij->...ji", a), [(2, 3, 4)]),
    (
        "einsum_attention",
        lambda t, q, k: t.einsum("bhqd,bhkd->bhqk", q, k),
        [(2, 2, 3, 4), (2, 2, 5, 4)],
    ),
    ("einsum_implicit", lambda t, a, b: t.einsum("ij,jk", a, b), [(3, 4), (4, 2)]),
    ("einsum_implicit_order", lambda t, a, b: t.einsum("ba,ac", a, b), [(3, 4), (4, 2)]),
    ("einsum_implicit_ellipsis", lambda t, a: t.einsum("ij...", a), [(2, 3, 4)]),
    ("einsum_transpose", lambda t, a: t.einsum("ij->ji", a), [(3, 4)]),
    ("einsum_row_sums", lambda t, a: t.einsum("ij->i", a), [(3, 4)]),
    ("einsum_total", lambda t, a: t.einsum("ij->", a), [(3, 4)]),
    ("einsum_spaces", lambda t, a, b: t.einsum("i j , j k -> i k", a, b), [(3, 4), (4, 2)]),
    ("einsum_uppercase", lambda t, a: t.einsum("Ab->bA", a), [(3, 4)]),
    ("einsum_broadcast_ones", lambda t, a, b: t.einsum("ij,ij->ij", a, b), [(1, 3), (2, 3)]),
    (
        "einsum_broadcast_ellipsis",
        lambda t, a, b: t.einsum("...i,...i->...", a, b),
        [(2, 1, 3), (4, 3)],
    ),
    ("einsum_only_in_one", lambda t, a, b: t.einsum("ij,k->k", a, b), [(2, 3), (4,)]),
    (
        "einsum_three",
        lambda t, a, b, c: t.einsum("ij,jk,kl->il", a, b, c),
        [(2, 3), (3, 4), (4, 2)],
    ),
    ("einsum_repeated_and_other", lambda t, a, b: t.einsum("iij,j->i", a, b), [(3, 3, 2), (2,)]),
    ("einsum_0d", lambda t, a, b: t.einsum(",->", a, b), [(), ()]),
    ("einsum_empty_contraction", lambda t, a, b: t.einsum("ij,jk->ik", a, b), [(2, 0), (0, 2)]),
    ("einsum_sublist", lambda t, a, b: t.einsum(a, [0, 1], b, [1, 2], [0, 2]), [(3, 4), (4, 2)]),
    ("einsum_sublist_implicit", lambda t, a, b: t.einsum(a, [5, 1], b, [1, 0]), [(3, 4), (4, 2)]),
    ("einsum_sublist_lowercase", lambda t, a: t.einsum(a, [51, 26], [26, 51]), [(3, 4)]),
    ("einsum_sublist_tuples", lambda t, x, y: t.einsum(x, (7,), y, (7,), ()), [(4,), (4,)]),
    ("einsum_sublist_ellipsis", lambda t, a: t.einsum(a, [..., 0], [0, ...]), [(2, 3, 4)]),
    ("einsum_sublist_diagonal", lambda t, a: t.einsum(a, [3, 3], [3]), [(3, 3)]),
]
IDS = [case[0] for case in OPS]


@pytest.mark.parametrize("fn, shapes", [case[1:] for case in OPS], ids=IDS)
def test_matches_torch(fn, shapes):
    check(fn, shapes)


@pytest.mark.parametrize("fn, shapes", [case[1:] for case in OPS], ids=IDS)
def test_gradients_match_finite_differences(fn, shapes):
    check_gradcheck(fn, shapes)


@pytest.mark.parametrize("fn, shapes", [case[1:] for case in OPS], ids=IDS)
def test_second_order_gradients(fn, shapes):
    check_gradcheck(fn, shapes, order=2)


# Integer and bool tensors: values and dtypes, no gradients
NO_GRAD = [
    ("tril_int", lambda t, x: t.tril(x.long(), 1)),
    ("triu_bool", lambda t, x: t.triu(x > 0)),
    ("diag_int_matrix", lambda t, x: t.diag(x.int())),
    ("diag_bool_vector", lambda t, x: t.diag(x[0] > 0)),
    ("diagonal_int", lambda t, x: t.diagonal(x.long(), 1)),
    ("trace_int32", lambda t, x: t.trace(x.int())),
    ("trace_uint8", lambda t, x: t.trace(x.abs().byte())),
    ("roll_int", lambda t, x: t.roll(x.long(), 1, 1)),
    ("tile_bool", lambda t, x: t.tile(x > 0, (2, 1))),
    ("repeat_interleave_int", lambda t, x: t.repeat_interleave(x.long(), 2, 0)),
    ("repeat_interleave_counts_only", lambda t, x: t.repeat_interleave(t.tensor([1, 0, 3]))),
    (
        "repeat_interleave_int32_counts",
        lambda t, x: x.repeat_interleave(t.tensor([1, 2, 0], dtype=t.int32), 0),
    ),
    ("ravel_int", lambda t, x: t.ravel(x.long())),
    ("broadcast_tensors_dtypes", lambda t, x: t.broadcast_tensors(x, x[0].long())[1]),
    ("broadcast_tensors_none", lambda t, x: len(t.broadcast_tensors())),
    ("meshgrid_int", lambda t, x: t.meshgrid(x[0].long(), x[1].long(), indexing="xy")[1]),
    ("meshgrid_empty", lambda t, x: t.meshgrid(x[0, :0], x[1], indexing="xy")[0]),
    ("logaddexp_int_and_float", lambda t, x: t.logaddexp(x.long(), x)),
    ("logaddexp_float16", lambda t, x: t.logaddexp(x.half(), x[0].half())),
    ("logaddexp2_float16", lambda t, x: t.logaddexp2(x.half(), x.half() * 3)),
    ("logaddexp_float32_float64", lambda t, x: t.logaddexp(x, x.double())),
    ("logaddexp_float32_0d_float64", lambda t, x: t.logaddexp(x, x[0, 0].double())),
    ("nan_to_num_int", lambda t, x: t.nan_to_num(x.long(), nan=3.7, posinf=2.5)),
    ("nan_to_num_bool", lambda t, x: t.nan_to_num(x > 0)),
    ("nan_to_num_tensor_value", lambda t, x: t.nan_to_num(x / 0, nan=t.tensor(1.0))),
    ("nan_to_num_int_value", lambda t, x: t.nan_to_num(x / 0, 7)),
    ("greater", lambda t, x: t.greater(x, x.T.reshape(3, 4))),
    ("greater_equal", lambda t, x: t.greater_equal(x, 0)),
    ("less", lambda t, x: t.less(x, x[0])),
    ("less_equal", lambda t, x: x.less_equal(x[:, :1])),
    ("not_equal", lambda t, x: x.not_equal(x.round())),
    ("greater_method", lambda t, x: x.greater(0.5)),
    ("less_method", lambda t, x: x.less(0.5)),
    ("greater_equal_method", lambda t, x: x.greater_equal(x[0])),
    ("einsum_int64", lambda t, x: t.einsum("ij,kj->ik", x.long(), x.long())),
    ("einsum_int32_sum", lambda t, x: t.einsum("ij->j", x.int())),
    ("einsum_int32_contraction", lambda t, x: t.einsum("ij,ij->i", x.int(), x.int())),
    ("einsum_bool_sum", lambda t, x: t.einsum("ii", x[:, :3] > 0)),
    ("einsum_bool_outer", lambda t, x: t.einsum("i,j->ij", x[0] > 0, x[1] > 0)),
    ("einsum_uint8_matmul", lambda t, x: t.einsum("ij,kj", x.abs().byte(), x.abs().byte())),
    ("einsum_float16", lambda t, x: t.einsum("ij,kj->ik", x.half(), x.half())),
    ("einsum_float16_single", lambda t, x: t.einsum("ij->i", x.half())),
    ("einsum_0d_ellipsis", lambda t, x: t.einsum("...->...", x[0, 0])),
    ("einsum_ellipsis_summed", lambda t, x: t.einsum("...j->j", x)),
]


@pytest.mark.parametrize("fn", [case[1] for case in NO_GRAD], ids=[case[0] for case in NO_GRAD])
def test_dtypes_match_torch(fn, request):
    values = np.array([[-2.5, 1.0, 0.0, 3.0], [1.5, -1.0, 2.0, 0.0], [4.0, -3.5, 1.0, 2.0]])
    # PyTorch's CUDA build has no integer bmm, which its einsum contracts with.
    integer_products = {"einsum_int64", "einsum_int32_contraction", "einsum_uint8_matmul"}
    on_cpu = request.node.callspec.id in integer_products
    check(fn, [values.astype(np.float32)], grad=False, torch_on_cpu=on_cpu)


SPECIAL = np.array([NAN, INF, -INF, 1.5, -0.0, 1000.0, -1000.0, 3.4e38], dtype=np.float32)
SPECIAL_VALUES = [
    ("logaddexp", lambda t, x: t.logaddexp(x, x.flip(0))),
    ("logaddexp_same", lambda t, x: t.logaddexp(x, x)),
    ("logaddexp2", lambda t, x: t.logaddexp2(x, x.flip(0))),
    ("logaddexp2_same", lambda t, x: t.logaddexp2(x, x)),
    ("nan_to_num", lambda t, x: t.nan_to_num(x)),
    ("nan_to_num_values", lambda t, x: t.nan_to_num(x, nan=1.0, posinf=2.0, neginf=-3.0)),
    ("nan_to_num_float64", lambda t, x: t.nan_to_num(x.double(), posinf=1e300)),
    ("nan_to_num_float16", lambda t, x: t.nan_to_num(x.half())),
    ("nan_to_num_float16_overflow", lambda t, x: t.nan_to_num(x.half(), nan=1e6, posinf=1e10)),
]


@pytest.mark.parametrize(
    "fn", [case[1] for case in SPECIAL_VALUES], ids=[case[0] for case in SPECIAL_VALUES]
)
def test_nan_and_infinities_match_torch(fn):
    check(fn, [SPECIAL], grad=False)
    check(fn, [SPECIAL.astype(np.float64)])  # and the gradients there, NaN for NaN


ERRORS = [
    ("tril_1d", lambda t, x: t.tril(x[0])),
    ("triu_0d", lambda t, x: t.triu(x[0, 0])),
    ("tril_float_diagonal", lambda t, x: t.tril(x, 1.0)),
    ("tril_not_a_tensor", lambda t, x: t.tril([[1.0]])),
    ("tril_leaf_in_place", lambda t, x: x.requires_grad_().tril_()),
    ("diag_0d", lambda t, x: t.diag(x[0, 0])),
    ("diag_3d", lambda t, x: t.diag(x.reshape(1, 3, 4))),
    ("diag_float_diagonal", lambda t, x: t.diag(x, 0.5)),
    ("diagonal_same_dims", lambda t, x: t.diagonal(x, 0, 1, 1)),
    ("diagonal_same_dims_negative", lambda t, x: t.diagonal(x, 0, -1, 1)),
    ("diagonal_1d", lambda t, x: t.diagonal(x[0])),
    ("diagonal_dim_out_of_range", lambda t, x: x.diagonal(0, 0, 2)),
    ("trace_1d", lambda t, x: t.trace(x[0])),
    ("trace_3d", lambda t, x: t.trace(x.reshape(1, 3, 4))),
    ("trace_bool", lambda t, x: t.trace(x > 0)),
    ("trace_bool_vector", lambda t, x: t.trace(x[0] > 0)),
    ("roll_shifts_and_dims", lambda t, x: t.roll(x, (1, 2), (0,))),
    ("roll_shifts_without_dims", lambda t, x: t.roll(x, (1, 2))),
    ("roll_dim_out_of_range", lambda t, x: t.roll(x, 1, 2)),
    ("roll_0d_with_dim", lambda t, x: t.roll(x[0, 0], 1, 0)),
    ("roll_float_shift", lambda t, x: t.roll(x, 1.0, 0)),
    ("tile_int", lambda t, x: t.tile(x, 2)),
    ("tile_negative", lambda t, x: t.tile(x, (-1,))),
    ("repeat_interleave_negative", lambda t, x: t.repeat_interleave(x, -1, dim=0)),
    ("repeat_interleave_float", lambda t, x: t.repeat_interleave(x, 2.0, dim=0)),
    ("repeat_interleave_count_length", lambda t, x: x.repeat_interleave(t.tensor([1, 2]), 0)),
    ("repeat_interleave_negative_count", lambda t, x: x.repeat_interleave(t.tensor([1, -1, 2]), 0)),
    ("repeat_interleave_float_counts", lambda t, x: x.repeat_interleave(t.tensor([1.0, 1, 2]), 0)),
    ("repeat_interleave_2d_counts", lambda t, x: x.repeat_interleave(t.tensor([[1, 1, 2]]), 0)),
    ("repeat_interleave_dim", lambda t, x: x.repeat_interleave(2, 2)),
    ("repeat_interleave_0d_dim", lambda t, x: x[0, 0].repeat_interleave(2, 1)),
    ("broadcast_tensors_sizes", lambda t, x: t.broadcast_tensors(x, x[:, :3])),
    ("broadcast_tensors_list", lambda t, x: t.broadcast_tensors([x, x])),
    ("broadcast_tensors_number", lambda t, x: t.broadcast_tensors(x, 1)),
    ("broadcast_shapes_sizes", lambda t, x: t.broadcast_shapes((3,), (4,))),
    ("broadcast_shapes_negative", lambda t, x: t.broadcast_shapes((-1,), (3,))),
    ("broadcast_shapes_tensor", lambda t, x: t.broadcast_shapes(t.tensor([2, 3]))),
    ("meshgrid_indexing", lambda t, x: t.meshgrid(x[0], x[1], indexing="ab")),
    ("meshgrid_2d", lambda t, x: t.meshgrid(x[0], x, indexing="ij")),
    ("meshgrid_nothing", lambda t, x: t.meshgrid(indexing="ij")),
    ("meshgrid_dtypes", lambda t, x: t.meshgrid(x[0], x[1].long(), indexing="ij")),
    ("meshgrid_number", lambda t, x: t.meshgrid(x[0], 3, indexing="ij")),
    ("logaddexp_number", lambda t, x: t.logaddexp(x, 1.0)),
    ("logaddexp_number_first", lambda t, x: t.logaddexp(1.0, x)),
    ("logaddexp_method_number", lambda t, x: x.logaddexp(1.0)),
    ("logaddexp_ints", lambda t, x: t.logaddexp(x.long(), x.long())),
    ("logaddexp2_bools", lambda t, x: t.logaddexp2(x > 0, x > 0)),
    ("logaddexp_shapes", lambda t, x: t.logaddexp(x, x[:, :3])),
    ("nan_to_num_str", lambda t, x: t.nan_to_num(x, nan="a")),
    ("nan_to_num_leaf_in_place", lambda t, x: x.requires_grad_().nan_to_num_()),
    ("greater_number_first", lambda t, x: t.greater(0, x)),
    ("not_equal_number_first", lambda t, x: t.not_equal(0, x)),
    ("einsum_no_operands", lambda t, x: t.einsum("ij")),
    ("einsum_no_equation", lambda t, x: t.einsum(x)),
    ("einsum_too_few", lambda t, x: t.einsum("ij,jk->ik", x)),
    ("einsum_too_many", lambda t, x: t.einsum("ij->ij", x, x)),
    ("einsum_subscripts", lambda t, x: t.einsum("ijk->i", x)),
    ("einsum_sizes", lambda t, x: t.einsum("ij,jk->ik", x, x)),
    ("einsum_unknown_output", lambda t, x: t.einsum("ij->k", x)),
    ("einsum_repeated_output", lambda t, x: t.einsum("ij->ii", x)),
    ("einsum_bad_subscript", lambda t, x: t.einsum("i1->i", x)),
    ("einsum_two_arrows", lambda t, x: t.einsum("ij->->i", x)),
    ("einsum_lone_dots", lambda t, x: t.einsum("..ij->i", x)),
    ("einsum_dtypes", lambda t, x: t.einsum("ij,kj->ik", x, x.double())),
    ("einsum_not_a_tensor", lambda t, x: t.einsum("ij", 3)),
    ("einsum_bool_contraction", lambda t, x: t.einsum("ij,kj->ik", x > 0, x > 0)),
    ("einsum_repeated_sizes", lambda t, x: t.einsum("ii->i", x)),
    ("einsum_sublist_too_large", lambda t, x: t.einsum(x, [0, 52])),
    ("einsum_sublist_negative", lambda t, x: t.einsum(x, [-1, 0])),
    ("einsum_sublist_float", lambda t, x: t.einsum(x, [0, 1.0])),
    ("einsum_sublist_too_few", lambda t, x: t.einsum(x, [0])),
    ("einsum_sublist_unknown_output", lambda t, x: t.einsum(x, [0, 1], [5])),
    ("einsum_sublist_sizes", lambda t, x: t.einsum(x, [0, 0])),
]


@pytest.mark.parametrize("fn", [case[1] for case in ERRORS], ids=[case[0] for case in ERRORS])
def test_errors_match_torch(fn):
    check_error(fn, np.ones((3, 4), dtype=np.float32))


NODE_NAMES = [
    ("tril", lambda t, x: t.tril(x)),
    ("triu", lambda t, x: x.triu(1)),
    ("diag_of_vector", lambda t, x: t.diag(x[0])),
    ("diag_of_matrix", lambda t, x: t.diag(x)),
    ("diagonal", lambda t, x: x.diagonal()),
    ("trace", lambda t, x: x.trace()),
    ("roll", lambda t, x: x.roll(1, 0)),
    ("tile", lambda t, x: x.tile((2,))),
    ("repeat_interleave", lambda t, x: x.repeat_interleave(2)),
    ("repeat_interleave_counts", lambda t, x: x.repeat_interleave(t.tensor([1, 2, 0]), 0)),
    ("ravel", lambda t, x: x.T.ravel()),
    ("broadcast_tensors", lambda t, x: t.broadcast_tensors(x, x[0])[1]),
    ("meshgrid", lambda t, x: t.meshgrid(x[0], x[1], indexing="xy")[0]),
    ("logaddexp", lambda t, x: t.logaddexp(x, x)),
    ("logaddexp2", lambda t, x: t.logaddexp2(x, x)),
    ("nan_to_num", lambda t, x: t.nan_to_num(x)),
    ("einsum_product", lambda t, x: t.einsum("ij,kj->ik", x, x)),
    ("einsum_dot", lambda t, x: t.einsum("i,i->", x[0], x[1])),
    ("einsum_outer", lambda t, x: t.einsum("i,j->ij", x[0], x[1])),
    ("einsum_elementwise", lambda t, x: t.einsum("ij,ij->ij", x, x)),
    ("einsum_diagonal", lambda t, x: t.einsum("ii->i", x[:, :3])),
    ("einsum_trace", lambda t, x: t.einsum("ii", x[:, :3])),
    ("einsum_transpose", lambda t, x: t.einsum("ij->ji", x)),
    ("einsum_same", lambda t, x: t.einsum("ij->ij", x)),
    ("einsum_row_sums", lambda t, x: t.einsum("ij->i", x)),
]


@pytest.mark.parametrize(
    "fn", [case[1] for case in NODE_NAMES], ids=[case[0] for case in NODE_NAMES]
)
def test_node_names_match_torch(fn):
    names = [
        fn(lib, lib.arange(12.0).reshape(3, 4).requires_grad_()).grad_fn.name()
        for lib in (ember, torch)
    ]
    assert names[0] == names[1]


VIEWS = [
    ("diagonal", lambda t, x: x.diagonal()),
    ("diagonal_offset_dims", lambda t, x: t.diagonal(x, -1, 1, 0)),
    ("ravel", lambda t, x: x.ravel()),
    ("einsum_diagonal", lambda t, x: t.einsum("ii->i", x[:, :3])),
    ("einsum_transpose", lambda t, x: t.einsum("ij->ji", x)),
]


@pytest.mark.parametrize("make_view", [case[1] for case in VIEWS], ids=[case[0] for case in VIEWS])
def test_views_share_the_base_like_torchs(make_view):
    results = []
    for lib in (ember, torch):
        base = lib.arange(12.0).reshape(3, 4)
        make_view(lib, base).mul_(-1)
        results.append(base.tolist())
    assert results[0] == results[1]


@pytest.mark.parametrize(
    "make_copy",
    [
        lambda t, x: t.diag(x),
        lambda t, x: x.T.ravel(),
        lambda t, x: x.tril(),
        lambda t, x: x.roll(1),
        lambda t, x: x.tile((1, 1)),
        lambda t, x: x.repeat_interleave(2, 0),
        lambda t, x: t.einsum("ij,jk->ik", x, t.eye(4)),
    ],
    ids=["diag", "ravel_transposed", "tril", "roll", "tile", "repeat_interleave", "einsum"],
)
def test_copies_leave_the_base_alone(make_copy):
    base = ember.arange(12.0).reshape(3, 4)
    make_copy(ember, base).fill_(-1.0)
    assert base.tolist() == np.arange(12.0).reshape(3, 4).tolist()


def test_writing_through_a_diagonal_of_a_non_leaf_reaches_the_leaf():
    grads = []
    for lib in (ember, torch):
        leaf = lib.arange(9.0).reshape(3, 3).requires_grad_()
        square = leaf * 2
        square.diagonal().mul_(lib.tensor([1.0, 2.0, 3.0]))
        (square * lib.arange(9.0).reshape(3, 3)).sum().backward()
        grads.append(leaf.grad)
    assert_same(grads[0], grads[1])


def test_broadcast_tensors_hands_back_a_tensor_of_the_shape_as_it_is():
    x, y = ember.ones(3, 4), ember.ones(4)
    bigger, expanded = ember.broadcast_tensors(x, y)
    assert bigger is x and expanded.shape == (3, 4)
    assert ember.broadcast_tensors(x, x)[1] is x


@pytest.mark.parametrize(
    "shapes",
    [((3, 1), (4,)), (3, (2, 1)), ((2, 1),), (), ((0,), (1,)), ([1, 4], (3, 1)), (5, 5)],
)
def test_broadcast_shapes_match_torch(shapes):
    ember_shape = ember.broadcast_shapes(*shapes)
    assert isinstance(ember_shape, ember.Size)
    assert ember_shape == torch.broadcast_shapes(*shapes)
    assert ember.broadcast_shapes(ember.Size([3, 1]), [1, 4]) == (3, 4)


def test_meshgrid_without_indexing_warns_like_torch_and_indexes_ij():
    x, y = ember.arange(3), ember.arange(4)
    with pytest.warns(UserWarning, match="PyTorch will require the indexing argument"):
        rows, columns = ember.meshgrid(x, y)
    assert rows.shape == columns.shape == (3, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ember.meshgrid(x, y, indexing="ij")


@pytest.mark.parametrize(
    "op, arguments",
    [("tril_", (1,)), ("triu_", ()), ("triu_", (-1,)), ("nan_to_num_", (0.5, 9.0))],
)
def test_in_place_forms_match_torch(op, arguments):
    values = np.array([[NAN, 1.0, -2.0], [INF, 3.0, 0.5], [-INF, 4.0, 5.0]], dtype=np.float32)
    results = {}
    for lib in (ember, torch):
        leaf = lib.tensor(values, requires_grad=True)
        plain = lib.tensor(values)
        same = getattr(plain, op)(*arguments)
        hidden = leaf * 1
        getattr(hidden, op)(*arguments)
        hidden.sum().backward()
        results[lib] = (same is plain, plain, leaf.grad)
    assert results[ember][0] and results[torch][0]
    assert_same(results[ember][1], results[torch][1])
    assert_same(results[ember][2], results[torch][2])


def test_einsum_second_order_through_several_operands():
    check_gradcheck(
        lambda t, a, b: t.einsum("bij,bjk->bik", a, b) ** 2, [(2, 2, 3), (2, 3, 2)], order=2
    )


# finfo, iinfo, is_cpu ------------------------------------------------------------------

FLOAT_TYPES = ["float16", "float32", "float64"]
INTEGER_TYPES = ["uint8", "int8", "int16", "int32", "int64"]


@pytest.mark.parametrize("name", FLOAT_TYPES)
def test_finfo_matches_torch(name):
    mine, theirs = ember.finfo(getattr(ember, name)), torch.finfo(getattr(torch, name))
    for attribute in (
        "bits",
        "eps",
        "max",
        "min",
        "tiny",
        "smallest_normal",
        "resolution",
        "dtype",
    ):
        value = getattr(mine, attribute)
        assert value == getattr(theirs, attribute) and type(value) is type(
            getattr(theirs, attribute)
        )
    assert repr(mine) == repr(theirs)
    assert mine == ember.finfo(getattr(ember, name))
    assert mine != ember.finfo(ember.float64 if name != "float64" else ember.float32)


@pytest.mark.parametrize("name", INTEGER_TYPES)
def test_iinfo_matches_torch(name):
    mine, theirs = ember.iinfo(getattr(ember, name)), torch.iinfo(getattr(torch, name))
    for attribute in ("bits", "max", "min", "dtype"):
        value = getattr(mine, attribute)
        assert value == getattr(theirs, attribute) and type(value) is type(
            getattr(theirs, attribute)
        )
    assert repr(mine) == repr(theirs)


def test_finfo_and_iinfo_of_python_types_and_the_default():
    assert ember.finfo().dtype == torch.finfo().dtype == "float32"
    assert ember.finfo(float).dtype == torch.finfo(float).dtype == "float64"
    assert ember.iinfo(int).dtype == torch.iinfo(int).dtype == "int64"
    ember.set_default_dtype(ember.float64)
    try:
        assert ember.finfo().bits == 64
    finally:
        ember.set_default_dtype(ember.float32)


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: t.finfo(t.int32),
        lambda t: t.finfo(t.bool),
        lambda t: t.finfo("float32"),
        lambda t: t.finfo(3),
        lambda t: t.iinfo(t.float32),
        lambda t: t.iinfo(t.bool),
        lambda t: t.iinfo("int32"),
        lambda t: hash(t.finfo(t.float32)),
    ],
)
def test_finfo_and_iinfo_refuse_what_torch_refuses(fn):
    check_error(fn)


def test_finfo_is_read_only_like_torchs():
    for lib in (ember, torch):
        with pytest.raises(AttributeError):
            lib.finfo(lib.float32).eps = 1.0
        with pytest.raises(AttributeError):
            lib.iinfo(lib.int8).max = 1


def test_is_cpu():
    assert ember.ones(2).is_cpu is torch.ones(2).is_cpu is True
    assert ember.ones(2).is_cpu is not ember.ones(2).is_cuda


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: t.repeat_interleave(t.ones(2, 3), t.tensor([1, 0, 2]), dim=1, output_size=4),
        lambda t: t.repeat_interleave(t.ones(2, 3), 2, dim=1, output_size=5),
        lambda t: t.repeat_interleave(t.tensor([1, 2]), output_size=5),
        lambda t: t.ones(2, 3).repeat_interleave(2, output_size=5.0),
    ],
    ids=["counts", "times", "counts-only", "float"],
)
def test_repeat_interleave_keeps_its_output_size_promise(fn):
    """output_size is a promise of the repeated length; PyTorch refuses a broken one."""
    check_error(fn)


def test_repeat_interleave_with_a_kept_output_size_matches_torch():
    def repeated(lib):
        x = lib.arange(6.0).reshape(2, 3)
        return [
            lib.repeat_interleave(x, lib.tensor([1, 0, 2]), dim=1, output_size=3),
            x.repeat_interleave(2, dim=0, output_size=4),
            lib.repeat_interleave(lib.tensor([1, 2]), output_size=3),
        ]

    for got, expected in zip(repeated(ember), repeated(torch)):
        np.testing.assert_array_equal(got.numpy(), expected.numpy())
