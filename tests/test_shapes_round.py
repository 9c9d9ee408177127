"""The shape, joining and matrix-building ops added in one round, against PyTorch:
atleast_1d/2d/3d, column_stack, row_stack, dstack, fliplr, flipud, rot90, unfold,
split_with_sizes, the in-place view ops (squeeze_, unsqueeze_, t_, transpose_, swapdims_,
swapaxes_), diag_embed, diagflat, block_diag, cartesian_prod, combinations, tril_indices,
triu_indices, vander, unravel_index, and new_zeros(size=...)."""

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error, check_gradcheck, skip_before_torch_2_13

import ember


def joined(t, pieces):
    """Tuple results as one tensor, each piece weighted so that each gradient differs."""
    return t.cat([piece.reshape(-1) * (index + 1) for index, piece in enumerate(pieces)])


# (name, fn, shapes): differentiable; checked against torch, gradcheck and gradgradcheck
OPS = [
    ("atleast_1d_0d", lambda t, x: t.atleast_1d(x), [()]),
    ("atleast_1d_2d", lambda t, x: t.atleast_1d(x) * 1, [(2, 3)]),
    ("atleast_1d_list", lambda t, x, y: joined(t, t.atleast_1d([x, y])), [(), (3,)]),
    ("atleast_2d_0d", lambda t, x: t.atleast_2d(x), [()]),
    ("atleast_2d_1d", lambda t, x: t.atleast_2d(x), [(3,)]),
    ("atleast_2d_several", lambda t, x, y, z: joined(t, t.atleast_2d(x, y, z)), [(), (3,), (2, 3)]),
    ("atleast_3d_0d", lambda t, x: t.atleast_3d(x), [()]),
    ("atleast_3d_1d", lambda t, x: t.atleast_3d(x), [(3,)]),
    ("atleast_3d_2d", lambda t, x: t.atleast_3d(x), [(2, 3)]),
    ("atleast_3d_tuple", lambda t, x, y: joined(t, t.atleast_3d((x, y))), [(2, 1, 2, 1), (3,)]),
    ("column_stack_vectors", lambda t, x, y: t.column_stack([x, y]), [(3,), (3,)]),
    ("column_stack_matrix", lambda t, x, y: t.column_stack((x, y)), [(3, 2), (3,)]),
    ("column_stack_0d", lambda t, x, y: t.column_stack([x, y]), [(), ()]),
    ("column_stack_3d", lambda t, x, y: t.column_stack([x, y]), [(2, 2, 2), (2, 1, 2)]),
    ("column_stack_strided", lambda t, x: t.column_stack([x[:, 0], x[:, 2]]), [(3, 4)]),
    ("row_stack", lambda t, x, y: t.row_stack([x, y]), [(3,), (3,)]),
    ("row_stack_matrix", lambda t, x, y: t.row_stack((x, y)), [(4,), (3, 4)]),
    ("vstack_0d", lambda t, x, y: t.vstack([x, y]), [(), ()]),
    ("dstack_0d", lambda t, x, y: t.dstack([x, y]), [(), ()]),
    ("dstack_vectors", lambda t, x, y: t.dstack([x, y]), [(3,), (3,)]),
    ("dstack_matrices", lambda t, x, y: t.dstack([x, y]), [(3, 4), (3, 4)]),
    ("dstack_3d", lambda t, x, y: t.dstack([x, y]), [(2, 2, 1), (2, 2, 3)]),
    ("fliplr", lambda t, x: t.fliplr(x), [(3, 4)]),
    ("fliplr_3d", lambda t, x: x.fliplr(), [(2, 3, 4)]),
    ("flipud", lambda t, x: x.flipud(), [(3, 4)]),
    ("flipud_1d", lambda t, x: t.flipud(x), [(3,)]),
    ("rot90", lambda t, x: t.rot90(x), [(3, 4)]),
    ("rot90_twice", lambda t, x: t.rot90(x, 2), [(3, 4)]),
    ("rot90_thrice", lambda t, x: x.rot90(3), [(3, 4)]),
    ("rot90_back", lambda t, x: t.rot90(x, -1), [(3, 4)]),
    ("rot90_none", lambda t, x: t.rot90(x, 0), [(3, 4)]),
    ("rot90_five", lambda t, x: t.rot90(x, 5), [(3, 4)]),
    ("rot90_dims", lambda t, x: t.rot90(x, k=1, dims=(-1, -2)), [(3, 4)]),
    ("rot90_3d", lambda t, x: x.rot90(1, [2, 0]), [(2, 3, 4)]),
    ("rot90_of_transpose", lambda t, x: t.rot90(x.t(), 1), [(3, 4)]),
    ("unfold_apart", lambda t, x: x.unfold(1, 2, 2), [(3, 4)]),
    ("unfold_overlapping", lambda t, x: x.unfold(1, 3, 1), [(3, 5)]),
    ("unfold_gaps", lambda t, x: x.unfold(0, 2, 3), [(8, 2)]),
    ("unfold_negative_dim", lambda t, x: x.unfold(-1, 4, 1), [(3, 4)]),
    ("unfold_empty_windows", lambda t, x: x.unfold(1, 0, 1), [(3, 4)]),
    ("unfold_0d", lambda t, x: x.unfold(0, 1, 1), [()]),
    ("unfold_0d_empty", lambda t, x: x.unfold(0, 0, 1), [()]),
    ("unfold_keywords", lambda t, x: x.unfold(dimension=0, size=2, step=1), [(3, 4)]),
    ("unfold_of_transpose", lambda t, x: x.t().unfold(0, 2, 1), [(3, 4)]),
    ("unfold_middle_dim", lambda t, x: x.unfold(1, 2, 1), [(2, 5, 3)]),
    ("unfold_twice", lambda t, x: x.unfold(0, 2, 1).unfold(1, 2, 2), [(4, 6)]),
    ("split_with_sizes", lambda t, x: joined(t, t.split_with_sizes(x, [1, 2], 0)), [(3, 4)]),
    ("split_with_sizes_method", lambda t, x: joined(t, x.split_with_sizes((1, 3), -1)), [(3, 4)]),
    ("split_with_sizes_zeros", lambda t, x: joined(t, x.split_with_sizes([0, 3, 0])), [(3, 2)]),
    ("diag_embed", lambda t, x: t.diag_embed(x), [(3, 4)]),
    ("diag_embed_offset", lambda t, x: t.diag_embed(x, 1), [(3, 4)]),
    ("diag_embed_dims", lambda t, x: t.diag_embed(x, -2, 0, 2), [(3, 4)]),
    ("diag_embed_dims_reversed", lambda t, x: t.diag_embed(x, 1, 2, 0), [(3, 4)]),
    ("diag_embed_first_dims", lambda t, x: x.diag_embed(offset=-1, dim1=1, dim2=0), [(3, 4)]),
    ("diag_embed_vector", lambda t, x: t.diag_embed(x), [(3,)]),
    ("diag_embed_3d", lambda t, x: x.diag_embed(2, 1, 3), [(2, 3, 2)]),
    ("diag_of_vector_offset", lambda t, x: t.diag(x, -2), [(3,)]),
    ("diagflat", lambda t, x: t.diagflat(x), [(2, 3)]),
    ("diagflat_offset", lambda t, x: x.diagflat(offset=-1), [(3,)]),
    ("diagflat_0d", lambda t, x: t.diagflat(x), [()]),
    ("diagflat_of_transpose", lambda t, x: t.diagflat(x.t(), 2), [(2, 3)]),
    ("block_diag", lambda t, x, y, z: t.block_diag(x, y, z), [(3, 4), (3,), ()]),
    ("block_diag_one", lambda t, x: t.block_diag(x), [(3, 4)]),
    ("block_diag_transpose", lambda t, x, y: t.block_diag(x.t(), y), [(3, 4), (2, 2)]),
    ("block_diag_same_twice", lambda t, x: t.block_diag(x, x), [(2, 3)]),
    ("cartesian_prod", lambda t, x, y: t.cartesian_prod(x, y), [(3,), (2,)]),
    ("cartesian_prod_three", lambda t, x, y, z: t.cartesian_prod(x, y, z), [(3,), (2,), (2,)]),
    ("cartesian_prod_same", lambda t, x: t.cartesian_prod(x, x), [(3,)]),
    ("combinations", lambda t, x: t.combinations(x), [(4,)]),
    ("combinations_three", lambda t, x: t.combinations(x, 3), [(5,)]),
    ("combinations_one", lambda t, x: t.combinations(x, 1), [(4,)]),
    ("combinations_too_many", lambda t, x: t.combinations(x, 5), [(4,)]),
    ("combinations_replacement", lambda t, x: t.combinations(x, with_replacement=True), [(4,)]),
    ("combinations_replacement_three", lambda t, x: t.combinations(x, 3, True), [(3,)]),
]
IDS = [case[0] for case in OPS]
ARGUMENTS = [case[1:] for case in OPS]


@pytest.mark.parametrize("fn, shapes", ARGUMENTS, ids=IDS)
def test_matches_torch(fn, shapes):
    check(fn, shapes)


@pytest.mark.parametrize("fn, shapes", ARGUMENTS, ids=IDS)
def test_gradients_match_finite_differences(fn, shapes):
    check_gradcheck(fn, shapes)


@pytest.mark.parametrize("fn, shapes", ARGUMENTS, ids=IDS)
def test_second_order_gradients(fn, shapes):
    check_gradcheck(fn, shapes, order=2)


def node_names(tensor):
    """The node that made ``tensor`` and the nodes it lists, by PyTorch's names."""
    node = tensor.grad_fn
    listed = [edge[0].name() for edge in node.next_functions if edge[0] is not None]
    return tuple(name.replace("torch::autograd::", "") for name in [node.name(), *listed])


# (name, fn): grad_fn and next_functions names, for inputs x (3, 4), v (3,) and s (0-d)
NAMES = [
    ("atleast_1d_0d", lambda t, x, v, s: t.atleast_1d(s)),
    ("atleast_2d_1d", lambda t, x, v, s: t.atleast_2d(v)),
    ("atleast_3d_1d", lambda t, x, v, s: t.atleast_3d(v)),
    ("atleast_3d_2d", lambda t, x, v, s: t.atleast_3d(x)),
    ("column_stack", lambda t, x, v, s: t.column_stack([x[:, :1], v])),
    ("row_stack", lambda t, x, v, s: t.row_stack([v, v])),
    ("vstack", lambda t, x, v, s: t.vstack([v, v])),
    ("dstack", lambda t, x, v, s: t.dstack([s, s])),
    ("fliplr", lambda t, x, v, s: t.fliplr(x)),
    ("flipud", lambda t, x, v, s: t.flipud(v)),
    ("rot90", lambda t, x, v, s: t.rot90(x, 0)),
    ("rot90_of_transpose", lambda t, x, v, s: t.rot90(x.t())),
    ("unfold", lambda t, x, v, s: x.unfold(1, 2, 1)),
    ("diag_embed", lambda t, x, v, s: t.diag_embed(x, 1)),
    ("diag_of_vector", lambda t, x, v, s: t.diag(v)),
    ("diagflat", lambda t, x, v, s: t.diagflat(x)),
    ("diagflat_of_transpose", lambda t, x, v, s: t.diagflat(x.t())),
    ("block_diag", lambda t, x, v, s: t.block_diag(x, v.detach(), s)),
    ("cartesian_prod", lambda t, x, v, s: t.cartesian_prod(v, v)),
    ("combinations", lambda t, x, v, s: t.combinations(v, 2, True)),
]


@pytest.mark.parametrize("fn", [case[1] for case in NAMES], ids=[case[0] for case in NAMES])
def test_nodes_are_named_as_torch_names_them(fn):
    def names(lib):
        x = lib.ones(3, 4, requires_grad=True)
        v = lib.ones(3, requires_grad=True)
        s = lib.tensor(2.0, requires_grad=True)
        return node_names(fn(lib, x, v, s))

    assert names(ember) == names(torch)


def test_results_that_are_the_input_itself_as_in_torch():
    for lib in (ember, torch):
        x, v = lib.ones(2, 3), lib.ones(3)
        assert lib.atleast_1d(x) is x and lib.atleast_2d(x) is x
        assert lib.atleast_3d(lib.ones(1, 2, 3, 4)).shape == (1, 2, 3, 4)
        assert lib.cartesian_prod(v) is v


# values of integer and bool tensors, and ops that are not differentiable ------------

VALUES = [
    ("atleast_3d_int", lambda t: t.atleast_3d(t.tensor([1, 2, 3]))),
    ("atleast_1d_nothing", lambda t: t.atleast_1d()),
    ("atleast_2d_empty_list", lambda t: t.atleast_2d([])),
    ("atleast_2d_empty_vector", lambda t: t.atleast_2d(t.ones(0))),
    ("column_stack_dtypes", lambda t: t.column_stack([t.tensor([1, 2]), t.ones(2)])),
    ("dstack_int_bool", lambda t: t.dstack([t.tensor([1, 2]), t.tensor([True, False])])),
    ("fliplr_bool", lambda t: t.fliplr(t.tensor([[True, False, False]]))),
    ("rot90_int", lambda t: t.rot90(t.arange(6).reshape(2, 3))),
    ("rot90_empty", lambda t: t.rot90(t.ones(0, 3))),
    ("unfold_int", lambda t: t.arange(7).unfold(0, 3, 2)),
    ("unfold_empty", lambda t: t.ones(0, 3).unfold(0, 0, 1)),
    ("unfold_step_past_the_end", lambda t: t.arange(12.0).reshape(3, 4).unfold(1, 1, 10)),
    ("split_with_sizes_of_empty", lambda t: t.ones(0).split_with_sizes([])),
    ("diag_embed_int", lambda t: t.diag_embed(t.tensor([[1, 2], [3, 4]]), -1)),
    ("diag_embed_bool", lambda t: t.diag_embed(t.tensor([True, False]))),
    ("diag_embed_empty", lambda t: t.diag_embed(t.ones(2, 0))),
    ("diagflat_empty", lambda t: t.diagflat(t.ones(0))),
    ("diagflat_bool", lambda t: t.diagflat(t.tensor([[True], [False]]), 1)),
    ("block_diag_nothing", lambda t: t.block_diag()),
    ("block_diag_int_and_float", lambda t: t.block_diag(t.tensor([1, 2]), t.ones(2, 2))),
    ("block_diag_bools", lambda t: t.block_diag(t.tensor([True]), t.tensor([[False, True]]))),
    ("block_diag_int_and_bool", lambda t: t.block_diag(t.tensor([True]), t.tensor([3]))),
    (
        "block_diag_0d_float64_and_float32",
        lambda t: t.block_diag(t.tensor(2.0, dtype=t.float64), t.ones(2)),
    ),
    ("block_diag_0d_float_and_int", lambda t: t.block_diag(t.tensor(2.5), t.tensor([1, 2]))),
    ("block_diag_empty_blocks", lambda t: t.block_diag(t.ones(0), t.ones(2, 0), t.ones(1, 2))),
    ("cartesian_prod_int", lambda t: t.cartesian_prod(t.tensor([1, 2]), t.tensor([3, 4, 5]))),
    ("cartesian_prod_empty", lambda t: t.cartesian_prod(t.ones(2), t.ones(0))),
    ("combinations_int", lambda t: t.combinations(t.tensor([1, 2, 3, 4]), 3)),
    ("combinations_bool", lambda t: t.combinations(t.tensor([True, False, True]))),
    ("combinations_none", lambda t: t.combinations(t.ones(3), 0)),
    ("combinations_of_empty", lambda t: t.combinations(t.ones(0))),
    ("combinations_of_one", lambda t: t.combinations(t.ones(1))),
    ("vander_int", lambda t: t.vander(t.tensor([1, 2, 3]))),
    ("vander_int8_overflows_in_int64", lambda t: t.vander(t.tensor([2, 3], dtype=t.int8), 30)),
    ("vander_bool", lambda t: t.vander(t.tensor([True, False]), 3)),
    ("vander_float16", lambda t: t.vander(t.tensor([0.5, -1.5, 2.0], dtype=t.float16))),
    ("vander_no_columns", lambda t: t.vander(t.ones(3), 0)),
    ("vander_one_column", lambda t: t.vander(t.ones(3), N=1, increasing=True)),
    ("vander_of_empty", lambda t: t.vander(t.ones(0))),
    ("vander_of_empty_three_columns", lambda t: t.vander(t.ones(0), 3)),
    ("tril_indices_empty_rows", lambda t: t.tril_indices(0, 4)),
    ("tril_indices_int32", lambda t: t.tril_indices(3, 3, dtype=t.int32)),
    ("tril_indices_keywords", lambda t: t.tril_indices(row=2, col=3, offset=0)),
    ("tril_indices_numpy_int", lambda t: t.tril_indices(np.int64(2), 3)),
    ("triu_indices_int32", lambda t: t.triu_indices(3, 3, 1, dtype=t.int32)),
    ("unravel_index", lambda t: t.unravel_index(t.tensor([4, 1]), (2, 3))),
    ("unravel_index_wraps", lambda t: t.unravel_index(t.tensor([-1, -7, 6, 7, 100]), (2, 3))),
    ("unravel_index_0d", lambda t: t.unravel_index(t.tensor(4), (2, 3))),
    ("unravel_index_int32", lambda t: t.unravel_index(t.tensor([1, 5], dtype=t.int32), [2, 3])),
    ("unravel_index_uint8", lambda t: t.unravel_index(t.tensor([5], dtype=t.uint8), (2, 3))),
    ("unravel_index_int_shape", lambda t: t.unravel_index(t.tensor(1), 3)),
    ("unravel_index_no_dims", lambda t: t.unravel_index(t.tensor([0, 1]), ())),
    ("unravel_index_matrix", lambda t: t.unravel_index(t.tensor([[1, 5], [0, 2]]), (2, 3))),
    ("unravel_index_3d", lambda t: t.unravel_index(t.arange(24), t.Size([2, 3, 4]))),
    ("unravel_index_bool_size", lambda t: t.unravel_index(t.tensor(1), (True, 3))),
    ("unravel_index_empty_in_no_room", lambda t: t.unravel_index(t.ones(0).long(), (2, 0))),
    ("unravel_index_keywords", lambda t: t.unravel_index(indices=t.tensor(5), shape=(2, 3))),
]


@pytest.mark.parametrize("fn", [case[1] for case in VALUES], ids=[case[0] for case in VALUES])
def test_values_and_dtypes_match_torch(fn):
    ember_result, torch_result = fn(ember), fn(torch)
    assert type(ember_result).__name__ == type(torch_result).__name__  # Tensor or tuple
    assert_same(ember_result, torch_result, atol=0, rtol=0)


@pytest.mark.parametrize("offset", [-5, -2, -1, 0, 1, 3, 10])
@pytest.mark.parametrize("rows, columns", [(0, 3), (3, 0), (1, 1), (3, 4), (5, 3), (4, 4)])
def test_triangle_indices_match_torch(rows, columns, offset):
    for name in ("tril_indices", "triu_indices"):
        ember_result = getattr(ember, name)(rows, columns, offset)
        assert_same(ember_result, getattr(torch, name)(rows, columns, offset), atol=0, rtol=0)


def test_triangle_indices_pick_the_triangle_that_tril_keeps():
    x = ember.arange(1.0, 13.0).reshape(3, 4)
    rows, columns = ember.tril_indices(3, 4, 1)
    kept = ember.tril(x, 1)
    assert kept[rows, columns].tolist() == x[rows, columns].tolist()
    assert float(kept.sum()) == float(x[rows, columns].sum())


@pytest.mark.parametrize("columns", [None, 0, 1, 2, 5])
@pytest.mark.parametrize("increasing", [False, True])
def test_vander_values_match_torch(columns, increasing):
    check(lambda t, x: t.vander(x, columns, increasing), [(4,)], grad=False)


@pytest.mark.parametrize("columns", [None, 2, 5])
@pytest.mark.parametrize("increasing", [False, True])
def test_vander_gradients_where_torchs_backward_fails(columns, increasing):
    # torch 2.13's vander backward raises (a value it saved is written in place); ember's
    # gradient equals that of the powers written out, and central differences.
    def powers(t, x):
        count = x.shape[0] if columns is None else columns
        exponents = t.arange(count, dtype=x.dtype)
        return x.unsqueeze(1) ** (exponents if increasing else exponents.flip(0))

    x = torch.tensor([0.5, -1.5, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        torch.vander(x, columns, increasing).sum().backward()
    check(lambda t, x: t.vander(x, columns, increasing) if t is ember else powers(t, x), [(3,)])
    check_gradcheck(lambda t, x: t.vander(x, columns, increasing), [(3,)])
    check_gradcheck(lambda t, x: t.vander(x, columns, increasing), [(3,)], order=2)


def test_block_diag_gradient_past_empty_blocks():
    # torch 2.13 reads the gradient of a block that follows empty ones from rows above it
    # (it counts no row for a 1-d block of 0 elements); ember's is each block's own
    def blocks(t, x):
        return t.block_diag(t.ones(0), t.ones(2, 0), x)

    gradients = []
    for lib in (ember, torch):
        x = lib.arange(1.0, 5.0).reshape(2, 2).requires_grad_()
        blocks(lib, x).backward(lib.arange(10.0).reshape(5, 2))  # x lies in rows 3 and 4
        gradients.append(x.grad.tolist())
    assert gradients == [[[6.0, 7.0], [8.0, 9.0]], [[4.0, 5.0], [6.0, 7.0]]]
    check_gradcheck(lambda t, x: t.block_diag(x.new_zeros(0), x.new_zeros(2, 0), x), [(2, 2)])


def test_block_diag_casts_each_gradient_to_its_block_dtype():
    def build(lib):
        single = lib.ones(2, 2, requires_grad=True)
        double = lib.ones(3, dtype=lib.float64, requires_grad=True)
        result = lib.block_diag(single, double)
        result.backward(lib.arange(15.0, dtype=lib.float64).reshape(3, 5))
        return result, single.grad, double.grad, node_names(result)

    ember_result, torch_result = build(ember), build(torch)
    assert_same(ember_result[:3], torch_result[:3], atol=0, rtol=0)
    assert ember_result[3] == torch_result[3]


# unfold is a view ---------------------------------------------------------------------


def test_unfold_is_a_view_sharing_memory_and_version():
    def views(lib):
        x = lib.arange(8.0)
        windows = x.unfold(0, 3, 2)
        x[2] = 100.0  # seen in both windows that hold element 2
        windows[2, 1] = -1.0  # written back into x
        return windows, x, windows._version, windows.stride(), windows.is_contiguous()

    ember_result, torch_result = views(ember), views(torch)
    assert_same(ember_result[:2], torch_result[:2], atol=0, rtol=0)
    assert ember_result[2:] == torch_result[2:]


def test_unfold_write_through_reaches_the_base_with_its_gradient():
    def write(lib):
        x = lib.arange(6.0, requires_grad=True)
        y = x * 1
        y.unfold(0, 2, 2).mul_(lib.tensor([1.0, 10.0]))
        y.backward(lib.arange(6.0))
        return y, x.grad, node_names(y)[0]

    ember_result, torch_result = write(ember), write(torch)
    assert_same(ember_result[:2], torch_result[:2])
    assert ember_result[2] == torch_result[2] == "CopySlices"


# in-place view ops ------------------------------------------------------------------

IN_PLACE = [
    ("squeeze_", ()),
    ("squeeze_", (0,)),
    ("squeeze_", ((0, 1),)),
    ("squeeze_", (-1,)),
    ("unsqueeze_", (0,)),
    ("unsqueeze_", (-1,)),
    ("t_", ()),
    ("transpose_", (0, 1)),
    ("swapdims_", (1, 0)),
    ("swapaxes_", (-1, 0)),
]
IN_PLACE_IDS = [f"{name}{arguments}" for name, arguments in IN_PLACE]


def after_in_place(lib, name, arguments, make):
    """``make(x)`` for a (1, 3) leaf x that requires grad, changed by the op in place."""
    x = lib.arange(3.0).reshape(1, 3).requires_grad_()
    y = make(x)
    result = getattr(y, name)(*arguments)
    layout = (result is y, tuple(y.shape), y.stride(), y._version, node_names(y))
    (y * lib.arange(1.0, 4.0).reshape(tuple(y.shape))).sum().backward()
    return layout, x.grad


@pytest.mark.parametrize("name, arguments", IN_PLACE, ids=IN_PLACE_IDS)
@pytest.mark.parametrize(
    "make",
    [lambda x: x * 2, lambda x: (x * 2)[:], lambda x: (x * 2).view(1, 3)],
    ids=["non_leaf", "view_of_a_non_leaf", "view_of_a_view"],
)
def test_in_place_view_ops_match_torch(name, arguments, make):
    ember_layout, ember_grad = after_in_place(ember, name, arguments, make)
    torch_layout, torch_grad = after_in_place(torch, name, arguments, make)
    assert ember_layout == torch_layout
    assert_same(ember_grad, torch_grad, atol=0, rtol=0)


@pytest.mark.parametrize("name, arguments", IN_PLACE, ids=IN_PLACE_IDS)
def test_in_place_view_ops_on_tensors_without_grad(name, arguments):
    def change(lib):
        base = lib.arange(6.0).reshape(2, 3)
        row = base[0:1]
        getattr(row, name)(*arguments)
        row.mul_(10)  # still a view of base
        return base, row, base._version, row._version, row.stride()

    ember_result, torch_result = change(ember), change(torch)
    assert_same(ember_result[:2], torch_result[:2], atol=0, rtol=0)
    assert ember_result[2:] == torch_result[2:]


@pytest.mark.parametrize("name, arguments", IN_PLACE, ids=IN_PLACE_IDS)
def test_in_place_view_ops_refuse_leaves_that_require_grad(name, arguments):
    check_error(lambda t: getattr(t.ones(1, 3, requires_grad=True), name)(*arguments))
    error = check_error(lambda t: getattr(t.ones(1, 3, requires_grad=True)[:], name)(*arguments))
    assert "view of a leaf Variable" in str(error)


@pytest.mark.parametrize(
    "name, arguments",
    [("squeeze_", (5,)), ("unsqueeze_", (5,)), ("transpose_", (0, 5)), ("swapdims_", (5, 0))],
)
def test_the_leaf_is_refused_before_the_dims_are_checked(name, arguments):
    error = check_error(lambda t: getattr(t.ones(1, 3, requires_grad=True), name)(*arguments))
    assert "leaf Variable" in str(error)
    error = check_error(lambda t: t.ones(1, 3, 1, requires_grad=True).t_())
    assert "leaf Variable" in str(error)
    check_error(lambda t: t.ones(1, 3, 1).t_())
    check_error(lambda t: getattr(t.ones(1, 3), name)(*arguments))


@pytest.mark.parametrize("name, arguments", IN_PLACE, ids=IN_PLACE_IDS)
def test_in_place_view_ops_on_a_leaf_under_no_grad(name, arguments):
    def change(lib):
        parameter = lib.nn.Parameter(lib.ones(1, 3))
        with lib.no_grad():
            getattr(parameter, name)(*arguments)
        (parameter * 2).sum().backward()
        return parameter.grad, parameter._version, parameter.is_leaf, parameter.requires_grad

    ember_result, torch_result = change(ember), change(torch)
    assert_same(ember_result[0], torch_result[0])
    assert ember_result[1:] == torch_result[1:]


def test_a_saved_output_changed_by_an_in_place_view_op_is_refused_at_backward():
    for lib in (ember, torch):
        y = lib.ones(2, 3, requires_grad=True).exp()
        y.t_()
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()


@pytest.mark.parametrize(
    "change", [lambda y: y.t_(), lambda y: y.transpose_(0, 1), lambda y: y.unsqueeze_(0)]
)
def test_a_view_taken_before_its_base_changed_layout_is_refused_not_misread(change):
    # PyTorch follows the old view's strides; ember cannot take the view again from the
    # base's new layout, and must say so rather than send the gradient to other elements
    x = ember.arange(9.0).reshape(3, 3).requires_grad_()
    y = x * 1
    old_row = y[0]
    change(y)
    with pytest.raises(RuntimeError, match="in-place view op"):
        (old_row * ember.tensor([1.0, 2.0, 3.0])).sum().backward()


def test_a_view_taken_after_its_base_changed_layout_matches_torch():
    def fresh_view(lib):
        x = lib.arange(9.0).reshape(3, 3).requires_grad_()
        y = x * 1
        y.t_()
        row = y[0]
        y.mul_(2)
        (row * lib.tensor([1.0, 2.0, 3.0])).sum().backward()
        return row, x.grad

    assert_same(fresh_view(ember), fresh_view(torch))


def test_in_place_view_ops_chain_and_then_write():
    def chain(lib):
        x = lib.arange(6.0).reshape(2, 3).requires_grad_()
        y = x * 2
        v = y[:, :2]
        v.t_()
        v.unsqueeze_(0)
        v.mul_(lib.tensor([[[1.0, 2.0], [3.0, 4.0]]]))
        (y * lib.arange(6.0).reshape(2, 3)).sum().backward()
        return y, v, x.grad, v.stride()

    ember_result, torch_result = chain(ember), chain(torch)
    assert_same(ember_result[:3], torch_result[:3], atol=0, rtol=0)
    assert ember_result[3] == torch_result[3]


def test_second_order_gradients_through_an_in_place_view_op():
    def second(lib):
        x = lib.arange(1.0, 7.0).reshape(2, 3).requires_grad_()
        y = x**3
        y.t_()
        (gradient,) = lib.autograd.grad((y * y).sum(), x, create_graph=True)
        gradient.sum().backward()
        return gradient, x.grad

    assert_same(second(ember), second(torch))


# errors -------------------------------------------------------------------------

X, V, S = np.ones((3, 4)), np.ones(3), np.array(2.0)
ERRORS = [
    ("atleast_1d_number", lambda t: t.atleast_1d(2)),
    ("atleast_2d_list_of_numbers", lambda t: t.atleast_2d([1, 2])),
    ("column_stack_nothing", lambda t: t.column_stack([])),
    ("column_stack_a_tensor", lambda t, x: t.column_stack(x), X),
    ("column_stack_sizes", lambda t, v: t.column_stack([v, t.ones(4)]), V),
    ("column_stack_a_number", lambda t, v: t.column_stack([v, 1]), V),
    ("dstack_nothing", lambda t: t.dstack([])),
    ("dstack_sizes", lambda t, v, x: t.dstack([v, x]), V, X),
    ("row_stack_nothing", lambda t: t.row_stack([])),
    ("fliplr_1d", lambda t, v: t.fliplr(v), V),
    ("flipud_0d", lambda t, s: t.flipud(s), S),
    ("fliplr_list", lambda t: t.fliplr([[1.0, 2.0]])),
    ("rot90_1d", lambda t, v: t.rot90(v), V),
    ("rot90_three_dims", lambda t, x: t.rot90(x, 1, [0, 1, 2]), X),
    ("rot90_one_dim", lambda t, x: t.rot90(x, 1, [0]), X),
    ("rot90_same_dims", lambda t, x: t.rot90(x, 1, [0, -2]), X),
    ("rot90_float_k", lambda t, x: t.rot90(x, 1.0), X),
    ("rot90_int_dims", lambda t, x: t.rot90(x, 1, 0), X),
    ("unfold_too_big", lambda t, x: x.unfold(1, 5, 1), X),
    ("unfold_zero_step", lambda t, x: x.unfold(1, 2, 0), X),
    ("unfold_negative_step", lambda t, x: x.unfold(1, 2, -1), X),
    ("unfold_negative_size", lambda t, x: x.unfold(1, -1, 1), X),
    ("unfold_dim_out_of_range", lambda t, x: x.unfold(2, 1, 1), X),
    ("unfold_0d_too_big", lambda t, s: s.unfold(0, 2, 1), S),
    ("unfold_0d_dim", lambda t, s: s.unfold(1, 1, 1), S),
    ("unfold_float_size", lambda t, x: x.unfold(0, 2.0, 1), X),
    ("split_with_sizes_int", lambda t, x: t.split_with_sizes(x, 2), X),
    ("split_with_sizes_sum", lambda t, x: x.split_with_sizes([1, 1]), X),
    ("split_with_sizes_negative", lambda t, x: x.split_with_sizes([4, -1]), X),
    ("split_negative", lambda t, x: x.split([4, -1]), X),
    ("split_with_sizes_0d", lambda t, s: s.split_with_sizes([1]), S),
    ("split_with_sizes_floats", lambda t, x: x.split_with_sizes([1.0, 2.0]), X),
    ("split_with_sizes_dim", lambda t, x: x.split_with_sizes([3], 2), X),
    ("split_with_sizes_list", lambda t: t.split_with_sizes([1, 2], [3])),
    ("diag_embed_same_dims", lambda t, x: t.diag_embed(x, 0, 1, -2), X),
    ("diag_embed_dim_out_of_range", lambda t, x: t.diag_embed(x, 0, 0, 3), X),
    ("diag_embed_0d", lambda t, s: t.diag_embed(s), S),
    ("diag_embed_0d_dims", lambda t, s: t.diag_embed(s, 0, 0, -1), S),
    ("diag_embed_float_offset", lambda t, x: x.diag_embed(1.0), X),
    ("diag_embed_list", lambda t: t.diag_embed([1.0, 2.0])),
    ("diagflat_float_offset", lambda t, v: t.diagflat(v, 1.5), V),
    ("block_diag_3d", lambda t: t.block_diag(t.ones(2, 2, 2))),
    ("block_diag_list", lambda t, x: t.block_diag([x, x]), X),
    ("block_diag_a_number", lambda t, x: t.block_diag(x, 1), X),
    ("cartesian_prod_nothing", lambda t: t.cartesian_prod()),
    ("cartesian_prod_matrix", lambda t, x, v: t.cartesian_prod(x, v), X, V),
    ("cartesian_prod_one_matrix", lambda t, x: t.cartesian_prod(x), X),
    ("cartesian_prod_0d", lambda t, s, v: t.cartesian_prod(s, v), S, V),
    ("cartesian_prod_dtypes", lambda t, v: t.cartesian_prod(v.long(), v), V),
    ("cartesian_prod_list", lambda t, v: t.cartesian_prod([v, v]), V),
    ("combinations_negative", lambda t, v: t.combinations(v, -1), V),
    ("combinations_matrix", lambda t, x: t.combinations(x), X),
    ("combinations_0d", lambda t, s: t.combinations(s), S),
    ("combinations_float_r", lambda t, v: t.combinations(v, 2.0), V),
    ("combinations_list", lambda t: t.combinations([1, 2])),
    ("tril_indices_negative_rows", lambda t: t.tril_indices(-1, 4)),
    ("tril_indices_negative_columns", lambda t: t.tril_indices(3, -4)),
    ("tril_indices_int16", lambda t: t.tril_indices(3, 3, dtype=t.int16)),
    ("tril_indices_float32", lambda t: t.tril_indices(3, 3, dtype=t.float32)),
    ("tril_indices_bool", lambda t: t.tril_indices(3, 3, dtype=t.bool)),
    ("tril_indices_float_row", lambda t: t.tril_indices(3.0, 3)),
    ("tril_indices_requires_grad", lambda t: t.tril_indices(2, 3, requires_grad=True)),
    ("tril_indices_missing_col", lambda t: t.tril_indices(2)),
    ("triu_indices_uint8", lambda t: t.triu_indices(3, 3, dtype=t.uint8)),
    ("vander_matrix", lambda t, x: t.vander(x), X),
    ("vander_0d", lambda t, s: t.vander(s), S),
    ("vander_negative_columns", lambda t, v: t.vander(v, -1), V),
    ("vander_float_columns", lambda t, v: t.vander(v, 2.0), V),
    ("vander_list", lambda t: t.vander([1.0, 2.0])),
    ("unravel_index_float", lambda t: t.unravel_index(t.tensor(1.0), (2, 3))),
    ("unravel_index_bool", lambda t: t.unravel_index(t.tensor(True), (2, 3))),
    ("unravel_index_negative_size", lambda t: t.unravel_index(t.tensor(0), (2, -3))),
    ("unravel_index_no_room", lambda t: t.unravel_index(t.tensor(0), (2, 0))),
    ("unravel_index_float_size", lambda t: t.unravel_index(t.tensor(1), (2.0, 3))),
    ("unravel_index_numpy_size", lambda t: t.unravel_index(t.tensor(1), (np.int64(2), 3))),
    ("unravel_index_tensor_shape", lambda t: t.unravel_index(t.tensor(1), t.tensor([2, 3]))),
    ("unravel_index_no_shape", lambda t: t.unravel_index(t.tensor(1), None)),
]


@pytest.mark.parametrize(
    "fn, inputs", [(c[1], c[2:]) for c in ERRORS], ids=[case[0] for case in ERRORS]
)
def test_errors_match_torch(fn, inputs):
    check_error(fn, *inputs)


def test_negative_split_sizes_are_named_as_the_fault():
    for lib in (ember, torch):
        with pytest.raises(RuntimeError, match="non-negative"):
            lib.ones(3).split([4, -1])


def test_rot90_dim_out_of_range_is_an_index_error():
    skip_before_torch_2_13("reads rot90's dims (0, 2) of a matrix as one dim (RuntimeError)")
    check_error(lambda t, x: t.rot90(x, 1, [0, 2]), X)


def test_unravel_index_of_a_number_is_a_type_error():
    # torch raises AttributeError ('int' object has no attribute 'is_complex') from its
    # Python code; ember says what was wrong with the argument
    with pytest.raises(TypeError, match="unravel_index.*Tensor"):
        ember.unravel_index(4, (2, 3))


def test_unravel_index_gives_views_of_one_tensor():
    rows, columns = ember.unravel_index(ember.tensor([[1, 5], [0, 2]]), (2, 3))
    torch_rows, torch_columns = torch.unravel_index(torch.tensor([[1, 5], [0, 2]]), (2, 3))
    assert rows.stride() == torch_rows.stride() and columns.stride() == torch_columns.stride()


# new_* take size= -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["new_zeros", "new_ones", "new_empty"])
def test_new_factories_take_the_size_by_keyword(name):
    def make(lib):
        made = getattr(lib.ones(2, dtype=lib.int32), name)(size=(2, 3))
        return tuple(made.shape), made.dtype.is_floating_point, made.requires_grad

    assert make(ember) == make(torch) == ((2, 3), False, False)
    check_error(lambda t: getattr(t.ones(2), name)(2, size=(2, 3)))
