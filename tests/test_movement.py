"""T3 reshaping, T7 joining and splitting, T9 views that share storage."""

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error, check_gradcheck

import ember


def weighted(t, parts):
    """Join the pieces of a split with distinct weights, so each piece's gradient differs."""
    return t.cat([part.reshape(-1) * (index + 1) for index, part in enumerate(parts)])


# (name, fn, shapes)
MOVEMENT = [
    ("reshape", lambda t, x: x.reshape(3, 4), [(2, 6)]),
    ("reshape_tuple", lambda t, x: x.reshape((4, 3)), [(12,)]),
    ("reshape_minus_one", lambda t, x: x.reshape(-1, 4), [(2, 3, 4)]),
    ("reshape_minus_one_middle", lambda t, x: t.reshape(x, (2, -1, 2)), [(12,)]),
    ("reshape_flat", lambda t, x: x.reshape(-1), [(3, 4)]),
    ("reshape_to_0d", lambda t, x: x.reshape(()), [(1,)]),
    ("reshape_of_transpose", lambda t, x: x.T.reshape(12), [(3, 4)]),
    ("view", lambda t, x: x.view(4, 3), [(3, 4)]),
    ("view_minus_one", lambda t, x: x.view(-1), [(2, 3, 4)]),
    ("view_as", lambda t, x, y: x.view_as(y) * y, [(3, 4), (4, 3)]),
    ("reshape_as", lambda t, x, y: x.reshape_as(y) + y, [(3, 4), (2, 6)]),
    ("flatten", lambda t, x: x.flatten(), [(2, 3, 4)]),
    ("flatten_fn", lambda t, x: t.flatten(x, 1), [(2, 3, 4)]),
    ("flatten_range", lambda t, x: x.flatten(0, 1), [(2, 3, 4)]),
    ("flatten_0d", lambda t, x: x.flatten(), [()]),
    ("unflatten", lambda t, x: x.unflatten(1, (3, 4)), [(2, 12)]),
    ("squeeze_all", lambda t, x: x.squeeze(), [(1, 3, 1, 4)]),
    ("squeeze_dim", lambda t, x: x.squeeze(0), [(1, 3, 1, 4)]),
    ("squeeze_negative", lambda t, x: t.squeeze(x, -2), [(1, 3, 1, 4)]),
    ("squeeze_not_one", lambda t, x: x.squeeze(1), [(1, 3, 1, 4)]),
    ("squeeze_dims", lambda t, x: x.squeeze((0, 2)), [(1, 3, 1, 4)]),
    ("unsqueeze_front", lambda t, x: x.unsqueeze(0), [(3, 4)]),
    ("unsqueeze_back", lambda t, x: t.unsqueeze(x, -1), [(3, 4)]),
    ("unsqueeze_middle", lambda t, x: x.unsqueeze(1), [(3, 4)]),
    ("unsqueeze_0d", lambda t, x: x.unsqueeze(0), [()]),
    ("permute", lambda t, x: x.permute(2, 0, 1), [(2, 3, 4)]),
    ("permute_tuple", lambda t, x: t.permute(x, (1, 2, 0)), [(2, 3, 4)]),
    ("permute_negative", lambda t, x: x.permute(-1, -3, -2), [(2, 3, 4)]),
    ("transpose", lambda t, x: x.transpose(0, 1), [(3, 4)]),
    ("transpose_fn", lambda t, x: t.transpose(x, -1, 0), [(2, 3, 4)]),
    ("swapaxes", lambda t, x: x.swapaxes(1, 2), [(2, 3, 4)]),
    ("T", lambda t, x: x.T, [(3, 4)]),
    ("T_1d", lambda t, x: x.T, [(4,)]),
    ("mT", lambda t, x: x.mT, [(2, 3, 4)]),
    ("t", lambda t, x: x.t(), [(3, 4)]),
    ("t_1d", lambda t, x: t.t(x), [(4,)]),
    ("expand", lambda t, x: x.expand(3, 4), [(3, 1)]),
    ("expand_new_dims", lambda t, x: x.expand(2, 3, 4), [(4,)]),
    ("expand_minus_one", lambda t, x: x.expand(-1, 4), [(3, 1)]),
    ("expand_tuple", lambda t, x: x.expand((2, 3, 4)), [(3, 1)]),
    ("expand_as", lambda t, x, y: x.expand_as(y) * y, [(1, 4), (3, 4)]),
    ("expand_same", lambda t, x: x.expand(3, 4), [(3, 4)]),
    ("broadcast_to", lambda t, x: t.broadcast_to(x, (2, 3, 4)), [(3, 1)]),
    ("repeat", lambda t, x: x.repeat(2, 3), [(2, 3)]),
    ("repeat_new_dims", lambda t, x: x.repeat(2, 1, 2), [(3,)]),
    ("contiguous", lambda t, x: x.T.contiguous(), [(3, 4)]),
    ("clone", lambda t, x: x.clone(), [(3, 4)]),
    ("clone_fn", lambda t, x: t.clone(x.T), [(3, 4)]),
    ("flip", lambda t, x: x.flip(0), [(3, 4)]),
    ("flip_dims", lambda t, x: t.flip(x, (0, 1)), [(3, 4)]),
    ("narrow", lambda t, x: x.narrow(1, 1, 2), [(3, 4)]),
    ("cat_dim0", lambda t, x, y: t.cat((x, y), dim=0), [(2, 4), (3, 4)]),
    ("cat_dim1", lambda t, x, y: t.cat((x, y), dim=1), [(3, 2), (3, 4)]),
    ("cat_list_negative", lambda t, x, y: t.cat([x, y, x], -1), [(3, 2), (3, 4)]),
    ("cat_one", lambda t, x: t.cat([x]), [(3, 2)]),
    ("cat_empty_1d", lambda t, x: t.cat([x, t.zeros(0)]), [(3, 2)]),
    ("concat", lambda t, x, y: t.concat([x, y]), [(2, 4), (3, 4)]),
    ("stack", lambda t, x, y: t.stack((x, y)), [(3, 4), (3, 4)]),
    ("stack_dim1", lambda t, x, y: t.stack([x, y], dim=1), [(3, 4), (3, 4)]),
    ("stack_last", lambda t, x, y: t.stack([x, y, x], -1), [(3, 4), (3, 4)]),
    ("stack_0d", lambda t, x, y: t.stack([x[0, 0], y[1, 2]]), [(3, 4), (3, 4)]),
    ("stack_negative_dim", lambda t, x, y: t.stack([x, y], -2), [(3, 4), (3, 4)]),
    ("hstack", lambda t, x, y: t.hstack([x, y]), [(3, 2), (3, 4)]),
    ("hstack_0d", lambda t, x, y: t.hstack([x[0, 0], y[0], x[0, 0]]), [(3, 2), (3, 4)]),
    ("vstack_0d", lambda t, x, y: t.vstack([x[0], y[0]]), [(1,), (1,)]),
    ("concatenate", lambda t, x, y: t.concatenate([x, y], 1), [(3, 2), (3, 4)]),
    ("vstack", lambda t, x, y: t.vstack([x, y]), [(4,), (2, 4)]),
    ("split_size", lambda t, x: weighted(t, x.split(2)), [(5, 3)]),
    ("split_sizes", lambda t, x: weighted(t, t.split(x, [1, 3, 1])), [(5, 3)]),
    ("split_dim1", lambda t, x: weighted(t, x.split(2, dim=1)), [(3, 5)]),
    ("chunk", lambda t, x: weighted(t, x.chunk(3)), [(7, 2)]),
    ("chunk_dim1", lambda t, x: weighted(t, t.chunk(x, 2, dim=1)), [(2, 5)]),
    ("chunk_more_than_size", lambda t, x: weighted(t, x.chunk(5)), [(3, 2)]),
    ("unbind", lambda t, x: weighted(t, x.unbind(1)), [(3, 4)]),
    ("keyword_shape", lambda t, x: x.reshape(shape=(4, 3)), [(3, 4)]),
    ("keyword_size", lambda t, x: x.view(size=(4, 3)), [(3, 4)]),
    ("keyword_dims", lambda t, x: x.permute(dims=(1, 0)), [(3, 4)]),
    ("keyword_expand_size", lambda t, x: x.expand(size=(2, 4)), [(1, 4)]),
    ("keyword_split_size", lambda t, x: weighted(t, x.split(split_size=2, dim=0)), [(3, 4)]),
    ("keyword_transpose", lambda t, x: t.transpose(x, dim0=0, dim1=1), [(3, 4)]),
    ("keyword_narrow", lambda t, x: x.narrow(dim=1, start=1, length=2), [(3, 4)]),
    ("keyword_cat", lambda t, x: t.cat(tensors=[x, x], dim=1), [(3, 4)]),
    ("flip_varargs", lambda t, x: x.flip(0, 1), [(3, 4)]),
    ("flip_list", lambda t, x: x.flip([0, 1]), [(3, 4)]),
    ("repeat_tuple", lambda t, x: x.repeat((2, 1)), [(3, 4)]),
    ("unflatten_keywords", lambda t, x: x.unflatten(dim=1, sizes=(2, 2)), [(3, 4)]),
    ("narrow_negative_start", lambda t, x: x.narrow(1, -3, 2), [(3, 4)]),
    ("narrow_negative_start_to_end", lambda t, x: t.narrow(x, 0, -3, 3), [(3, 4)]),
    ("narrow_at_end_empty", lambda t, x: x.narrow(1, 4, 0), [(3, 4)]),
    ("narrow_negative_dim", lambda t, x: x.narrow(-1, 1, 3), [(3, 4)]),
    ("narrow_tensor_start", lambda t, x: x.narrow(1, t.tensor(1), 2), [(3, 4)]),
    # NumPy integers wherever a size or a count goes
    ("reshape_numpy_ints", lambda t, x: x.reshape(np.int64(4), np.int32(3)), [(3, 4)]),
    ("reshape_numpy_minus_one", lambda t, x: x.reshape(np.int64(-1)), [(3, 4)]),
    ("reshape_0d_array", lambda t, x: x.reshape(np.array(12)), [(3, 4)]),
    ("view_numpy_ints", lambda t, x: x.view((np.int64(2), -1)), [(3, 4)]),
    ("expand_numpy_ints", lambda t, x: x.expand(np.int64(2), np.int64(3), 4), [(3, 1)]),
    ("repeat_numpy_int", lambda t, x: x.repeat(np.int64(2)), [(3,)]),
    ("repeat_numpy_ints", lambda t, x: x.repeat(np.int64(2), np.int8(1)), [(3, 2)]),
    ("chunk_numpy_int", lambda t, x: weighted(t, x.chunk(np.int64(2))), [(5, 2)]),
    ("narrow_numpy_ints", lambda t, x: x.narrow(np.int64(1), np.int64(-3), np.int32(2)), [(3, 4)]),
    ("unflatten_numpy_ints", lambda t, x: x.unflatten(1, (np.int64(2), -1)), [(3, 4)]),
]


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in MOVEMENT], ids=[c[0] for c in MOVEMENT])
def test_matches_torch(fn, shapes):
    check(fn, shapes)


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in MOVEMENT], ids=[c[0] for c in MOVEMENT])
def test_gradients_match_finite_differences(fn, shapes):
    check_gradcheck(fn, shapes)


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in MOVEMENT], ids=[c[0] for c in MOVEMENT])
def test_second_order_gradients(fn, shapes):
    check_gradcheck(fn, shapes, order=2)


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: [piece.shape for piece in x.split(2)],
        lambda t, x: [piece.shape for piece in x.chunk(4)],
        lambda t, x: [piece.shape for piece in x.chunk(6, dim=1)],
        lambda t, x: len(x.split(10)),
        lambda t, x: [piece.shape for piece in t.split(x, [2, 0, 3])],
    ],
)
def test_split_and_chunk_piece_counts(fn):
    values = np.zeros((5, 4), dtype=np.float32)
    ember_result = fn(ember, ember.tensor(values))
    import torch

    torch_result = fn(torch, torch.tensor(values))
    if isinstance(torch_result, list):
        assert [tuple(s) for s in ember_result] == [tuple(s) for s in torch_result]
    else:
        assert ember_result == torch_result


def test_cat_promotes_dtypes():
    check(lambda t, x, y: t.cat([x, y.long()]), [(2, 3), (1, 3)], grad=False)
    check(lambda t, x, y: t.cat([x.double(), y]), [(2, 3), (1, 3)])


ERRORS = [
    ("reshape_count", lambda t, x: x.reshape(5, 3)),
    ("reshape_two_unknown", lambda t, x: x.reshape(-1, -1)),
    ("view_count", lambda t, x: x.view(7)),
    ("view_of_transpose", lambda t, x: x.T.view(12)),
    ("flatten_order", lambda t, x: x.flatten(1, 0)),
    ("squeeze_dim", lambda t, x: x.squeeze(3)),
    ("unsqueeze_dim", lambda t, x: x.unsqueeze(4)),
    ("permute_length", lambda t, x: x.permute(0)),
    ("permute_repeat", lambda t, x: x.permute(0, 0)),
    ("permute_dim", lambda t, x: x.permute(0, 2)),
    ("transpose_dim", lambda t, x: x.transpose(0, 2)),
    ("t_3d", lambda t, x: x.reshape(1, 3, 4).t()),
    ("expand_size", lambda t, x: x.expand(3, 5)),
    ("expand_fewer", lambda t, x: x.expand(4)),
    ("cat_shapes", lambda t, x: t.cat([x, x.T])),
    ("cat_ndim", lambda t, x: t.cat([x, x[0]])),
    ("cat_dim", lambda t, x: t.cat([x, x], dim=2)),
    ("cat_empty", lambda t, x: t.cat([])),
    ("stack_shapes", lambda t, x: t.stack([x, x.T])),
    ("stack_empty", lambda t, x: t.stack([])),
    ("stack_not_a_tensor", lambda t, x: t.stack([x, 1])),
    ("stack_an_array", lambda t, x: t.stack([x, x.numpy()])),
    ("stack_dim", lambda t, x: t.stack([x, x], dim=3)),
    ("stack_negative_dim", lambda t, x: t.stack([x, x], dim=-4)),
    ("split_sizes_sum", lambda t, x: x.split([1, 1])),
    ("chunk_zero", lambda t, x: x.chunk(0)),
    ("narrow_dim", lambda t, x: x.narrow(2, 0, 1)),
    ("flip_dim", lambda t, x: x.flip(2)),
    ("repeat_fewer", lambda t, x: x.repeat(2)),
    ("cat_not_a_tensor", lambda t, x: t.cat([x, 1])),
    ("cat_0d", lambda t, x: t.cat([x[0, 0], x[0, 1]])),
    ("cat_one_0d", lambda t, x: t.cat([x[0, 0]], dim=0)),
    ("cat_0d_after_a_vector", lambda t, x: t.cat([x[0], x[0, 0]])),
    ("cat_0d_after_an_empty_vector", lambda t, x: t.concat([t.zeros(0), x[0, 0]])),
    ("permute_nothing", lambda t, x: x.permute()),
    ("narrow_past_the_end", lambda t, x: x.narrow(1, 3, 2)),
    ("narrow_negative_past_the_end", lambda t, x: x.narrow(1, -1, 2)),
    ("narrow_start_out_of_range", lambda t, x: x.narrow(1, -5, 1)),
    ("narrow_start_after_the_end", lambda t, x: x.narrow(1, 5, 0)),
    ("narrow_negative_length", lambda t, x: x.narrow(0, 1, -1)),
    ("narrow_0d", lambda t, x: x[0, 0].narrow(0, 0, 1)),
    ("narrow_float_start", lambda t, x: x.narrow(0, 1.0, 1)),
    ("reshape_float_size", lambda t, x: x.reshape(2.0, 6)),
    ("reshape_bool_size", lambda t, x: x.reshape((True, 12))),
    ("view_numpy_float_size", lambda t, x: x.view(np.float64(12))),
    ("expand_float_size", lambda t, x: x.expand(3, 4.0)),
    ("repeat_float", lambda t, x: x.repeat(2.0, 1)),
]


@pytest.mark.parametrize("fn", [c[1] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_errors_match_torch(fn):
    check_error(fn, np.ones((3, 4), dtype=np.float32))


@pytest.mark.parametrize(
    "position, pieces", [(0, lambda x: [x[0, 0], x[0]]), (1, lambda x: [x[0], x[0, 0]])]
)
def test_cat_of_a_0d_tensor_names_its_position_like_torch(position, pieces):
    error = check_error(lambda t, x: t.cat(pieces(x)), np.ones((3, 4), np.float32))
    assert f"zero-dimensional tensor (at position {position}) cannot be concatenated" in str(error)


DIMS_OUT_OF_RANGE = [
    ("transpose", lambda x: x.transpose(0, 3)),
    ("squeeze_0d", lambda x: x[0, 0, 0].squeeze(1)),
    ("sum", lambda x: x.sum(dim=(0, -4))),
    ("sum_0d", lambda x: x[0, 0, 0].sum(dim=1)),
    ("unsqueeze", lambda x: x.unsqueeze(4)),
    ("unsqueeze_negative", lambda x: x.unsqueeze(-5)),
    ("unsqueeze_0d", lambda x: x[0, 0, 0].unsqueeze(-2)),
    ("transpose_0d", lambda x: x[0, 0, 0].transpose(0, -2)),
    ("flatten_0d", lambda x: x[0, 0, 0].flatten(1)),
]


@pytest.mark.parametrize(
    "fn", [c[1] for c in DIMS_OUT_OF_RANGE], ids=[c[0] for c in DIMS_OUT_OF_RANGE]
)
def test_dim_out_of_range_has_torchs_message(fn):
    import torch

    with pytest.raises(IndexError) as torch_error:
        fn(torch.zeros(2, 3, 4))
    with pytest.raises(IndexError) as ember_error:
        fn(ember.zeros(2, 3, 4))
    assert str(ember_error.value) == str(torch_error.value)


@pytest.mark.parametrize(
    "make",
    [
        lambda t, x: x.narrow(1, -2, 2),
        lambda t, x: x.narrow(1, 4, 0),
        lambda t, x: x.narrow(0, -3, 1),
    ],
)
def test_narrow_is_a_view_like_torchs(make):
    import torch

    results = []
    for lib in (ember, torch):
        base = lib.arange(12.0).reshape(3, 4)
        make(lib, base).mul_(-1)
        results.append(base.tolist())
    assert results[0] == results[1]


# nonzero and where(condition) on a 0-d tensor: one row (or none) of no coordinates

NONZERO = [
    ("nonzero", lambda t, x: t.nonzero(x)),
    ("nonzero_method", lambda t, x: x.nonzero()),
    ("nonzero_as_tuple", lambda t, x: t.nonzero(x, as_tuple=True)),
    ("where_condition", lambda t, x: t.where(x)),
    ("argwhere_method", lambda t, x: x.argwhere()),
    ("argwhere_function", lambda t, x: t.argwhere(x)),
]
ZERO_DIM = [np.array(5.0), np.array(0.0), np.array(3), np.array(0), np.array(True), np.array(False)]


@pytest.mark.parametrize("fn", [c[1] for c in NONZERO], ids=[c[0] for c in NONZERO])
@pytest.mark.parametrize("value", ZERO_DIM, ids=[repr(v.item()) for v in ZERO_DIM])
def test_nonzero_of_0d_matches_torch(fn, value):
    check(fn, [value], grad=False)


@pytest.mark.parametrize("fn", [c[1] for c in NONZERO], ids=[c[0] for c in NONZERO])
def test_nonzero_of_1d_and_2d_still_matches_torch(fn):
    check(fn, [np.array([0.0, 1.5, 0.0, -2.0])], grad=False)
    check(fn, [np.array([[0, 1], [2, 0], [0, 0]])], grad=False)


# T9: views share storage ------------------------------------------------------------

VIEWS = [
    ("reshape", lambda x: x.reshape(4, 3)),
    ("view", lambda x: x.view(-1)),
    ("flatten", lambda x: x.flatten()),
    ("unsqueeze", lambda x: x.unsqueeze(0)),
    ("squeeze", lambda x: x.unsqueeze(1).squeeze(1)),
    ("transpose", lambda x: x.transpose(0, 1)),
    ("permute", lambda x: x.permute(1, 0)),
    ("T", lambda x: x.T),
    ("expand", lambda x: x[:1].expand(5, 4)),
    ("slice", lambda x: x[1:]),
    ("step_slice", lambda x: x[::2, ::3]),
    ("row", lambda x: x[1]),
    ("column", lambda x: x[:, 1]),
    ("narrow", lambda x: x.narrow(0, 1, 2)),
    ("split_piece", lambda x: x.split(2)[1]),
    ("chunk_piece", lambda x: x.chunk(2, dim=1)[0]),
    ("unbind_piece", lambda x: x.unbind(0)[2]),
    ("detach", lambda x: x.detach()),
    ("data", lambda x: x.data),
    ("contiguous_of_contiguous", lambda x: x.contiguous()),
]


@pytest.mark.parametrize("make_view", [c[1] for c in VIEWS], ids=[c[0] for c in VIEWS])
def test_writing_through_a_view_shows_in_the_base(make_view):
    import torch

    results = []
    for lib in (ember, torch):
        base = lib.arange(12.0).reshape(3, 4)
        view = make_view(base)
        if 0 in view.stride():  # an expanded view refuses writes: write via the base
            base[0, 0] = 100.0
        else:
            view.mul_(-1.0)
            view += 100
        results.append((base.tolist(), view.tolist()))
    assert results[0] == results[1]


@pytest.mark.parametrize(
    "copy",
    [
        lambda x: x.clone(),
        lambda x: x.T.contiguous(),
        lambda x: x.T.reshape(-1),
        lambda x: x[[0, 2]],
        lambda x: x[x > 3],
        lambda x: x.flip(0),
        lambda x: x + 0,
        lambda x: ember.cat([x, x]) if isinstance(x, ember.Tensor) else x.new_zeros(1),
    ],
    ids=["clone", "contiguous", "reshape_of_transpose", "int_index", "mask", "flip", "add", "cat"],
)
def test_copies_do_not_share_storage(copy):
    base = ember.arange(12.0).reshape(3, 4)
    result = copy(base)
    result.fill_(-1.0)
    assert base.tolist() == np.arange(12.0).reshape(3, 4).tolist()


def test_reshape_of_contiguous_tensor_is_a_view_of_the_same_memory():
    x = ember.arange(12)
    y = x.reshape(3, 4)
    assert y.data_ptr() == x.data_ptr()
    y[0, 0] = 99
    assert x[0].item() == 99


def test_contiguous_returns_self_when_already_contiguous():
    x = ember.ones(2, 3)
    assert x.contiguous() is x
    assert not x.T.is_contiguous() and x.T.contiguous().is_contiguous()


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_stack_promotes_dtypes_and_records_one_node_like_torch(dim):
    arrays = [np.arange(6).reshape(2, 3), np.linspace(0, 1, 6, dtype=np.float32).reshape(2, 3)]
    results = {}
    for lib in (ember, torch):
        integers, floats = lib.tensor(arrays[0]), lib.tensor(arrays[1], requires_grad=True)
        stacked = lib.stack([integers, floats, floats], dim)
        (stacked * lib.arange(stacked.numel()).reshape(stacked.shape)).sum().backward()
        results[lib] = stacked, floats.grad
    (ember_out, ember_grad), (torch_out, torch_grad) = results[ember], results[torch]
    assert_same(ember_out, torch_out)
    assert_same(ember_grad, torch_grad)
    assert ember_out.grad_fn.name() == torch_out.grad_fn.name() == "StackBackward0"


# tensor_split, hsplit, vsplit, dsplit --------------------------------------------------

TENSOR_SPLITS = [
    ("sections", lambda t, x: x.tensor_split(3), [(10,)]),
    ("sections_more_than_size", lambda t, x: t.tensor_split(x, 12), [(10,)]),
    ("sections_dim1", lambda t, x: x.tensor_split(3, dim=1), [(3, 4)]),
    ("sections_negative_dim", lambda t, x: t.tensor_split(x, 2, -1), [(2, 3, 5)]),
    ("indices_past_the_end_and_backwards", lambda t, x: x.tensor_split([1, 6, 20, 3]), [(10,)]),
    ("negative_index", lambda t, x: t.tensor_split(x, (-3,)), [(10,)]),
    ("no_indices", lambda t, x: x.tensor_split([]), [(4, 2)]),
    ("sections_of_an_empty_dim", lambda t, x: x.tensor_split(3), [(0, 2)]),
    ("sections_by_keyword", lambda t, x: x.tensor_split(sections=2), [(5, 2)]),
    ("indices_by_keyword", lambda t, x: t.tensor_split(x, indices=[2], dim=1), [(2, 5)]),
    ("sections_as_a_0d_tensor", lambda t, x: x.tensor_split(t.tensor(4)), [(10,)]),
    ("indices_as_a_tensor", lambda t, x: x.tensor_split(t.tensor([2, 5])), [(10,)]),
    ("hsplit_matrix", lambda t, x: t.hsplit(x, 2), [(3, 4)]),
    ("hsplit_vector_indices", lambda t, x: x.hsplit([3]), [(10,)]),
    ("vsplit", lambda t, x: x.vsplit([1]), [(3, 4)]),
    ("dsplit", lambda t, x: t.dsplit(x, 2), [(2, 3, 4)]),
]


@pytest.mark.parametrize(
    "fn, shapes", [c[1:] for c in TENSOR_SPLITS], ids=[c[0] for c in TENSOR_SPLITS]
)
def test_tensor_split_pieces_match_torch(fn, shapes):
    check(lambda t, x: weighted(t, fn(t, x)), shapes)
    pieces = fn(ember, ember.zeros(shapes[0]))
    expected = fn(torch, torch.zeros(shapes[0]))
    assert [tuple(piece.shape) for piece in pieces] == [tuple(piece.shape) for piece in expected]


def test_tensor_split_pieces_are_views_named_as_in_torch():
    x = ember.arange(10.0, requires_grad=True)
    first, second = x.tensor_split(2)
    assert first.grad_fn.name() == torch.arange(3.0, requires_grad=True)[:1].grad_fn.name()
    with ember.no_grad():
        base = ember.zeros(6)
        base.tensor_split(3)[1].fill_(1.0)
    assert base.tolist() == [0.0, 0.0, 1.0, 1.0, 0.0, 0.0]


SPLIT_ERRORS = [
    ("zero_sections", lambda t, x: t.tensor_split(x, 0)),
    ("negative_sections", lambda t, x: x.tensor_split(-1)),
    ("float_sections", lambda t, x: t.tensor_split(x, 2.0)),
    ("float_indices", lambda t, x: t.tensor_split(x, [1.5])),
    ("bool_sections", lambda t, x: t.tensor_split(x, True)),
    ("bool_index", lambda t, x: t.tensor_split(x, (True,))),
    ("a_2d_tensor", lambda t, x: t.tensor_split(x, t.tensor([[1]]))),
    ("a_float_tensor", lambda t, x: t.tensor_split(x, t.tensor(2.0))),
    ("a_0d_input", lambda t, x: t.tensor_split(x.sum(), 1)),
    ("dim_out_of_range", lambda t, x: t.tensor_split(x, 2, dim=2)),
    ("hsplit_uneven", lambda t, x: t.hsplit(x, 3)),
    ("hsplit_zero", lambda t, x: t.hsplit(x, 0)),
    ("hsplit_0d", lambda t, x: t.hsplit(x.sum(), 1)),
    ("vsplit_a_vector", lambda t, x: t.vsplit(x[0], 2)),
    ("dsplit_a_matrix", lambda t, x: x.dsplit(2)),
]


@pytest.mark.parametrize("fn", [c[1] for c in SPLIT_ERRORS], ids=[c[0] for c in SPLIT_ERRORS])
def test_tensor_split_errors_match_torch(fn):
    check_error(fn, np.ones((3, 4), dtype=np.float32))


@pytest.mark.parametrize(
    "make",
    [
        lambda t: t.ones(1, 2).expand(3, 2),
        lambda t: t.ones(4, 1).expand(4, 3).t(),
        lambda t: t.ones(3, 4).t().unsqueeze(0).expand(2, 4, 3),
        lambda t: t.ones(2, 1, 3).expand(2, 4, 3).transpose(0, 2),
        lambda t: t.ones(4, 4).t()[:, ::2],
        lambda t: t.ones(2, 3, 4).permute(1, 2, 0)[:, ::2],
    ],
)
def test_clone_lays_out_expanded_and_strided_tensors_as_torch(make):
    # A zero stride went innermost (NumPy's order "K"): expand(3, 2).clone() had strides
    # (1, 3) where PyTorch's are (2, 1).
    ours, theirs = make(ember).clone(), make(torch).clone()
    assert ours.stride() == theirs.stride()
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_clone_of_a_view_with_an_inserted_dim_is_a_copy():
    # The zero-stride layout path handed back the input's own memory when the dims it
    # ordered were already laid out so: writing into the clone wrote into the input.
    for lib in (ember, torch):
        x = lib.tensor([1.0, -1.0])
        copied = x[:, None].clone()
        copied[0, 0] = 5.0
        assert x.tolist() == [1.0, -1.0] and copied.stride() == (1, 1)
