"""T4 indexing, slicing and assignment; T9 in-place ops that keep the object and storage."""

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from oracle import assert_same, check, check_error, check_gradcheck

import ember

# (name, fn, shapes): reads, whose gradient scatters back with addition.
READS = [
    ("last_row", lambda t, x: x[-1], [(3, 4)]),
    ("row_range", lambda t, x: x[1:3], [(3, 4)]),
    ("element", lambda t, x: x[1, 2], [(3, 4)]),
    ("row", lambda t, x: x[1, :], [(3, 4)]),
    ("column", lambda t, x: x[:, 1], [(3, 4)]),
    ("block", lambda t, x: x[1:3, 1:], [(3, 4)]),
    ("steps", lambda t, x: x[::3, ::2], [(7, 5)]),
    ("negative_slice", lambda t, x: x[-3:-1, :-2], [(4, 5)]),
    ("slice_past_end", lambda t, x: x[2:10], [(4, 5)]),
    ("empty_slice", lambda t, x: x[3:1], [(4, 5)]),
    ("ellipsis", lambda t, x: x[..., 1], [(2, 3, 4)]),
    ("ellipsis_front", lambda t, x: x[0, ...], [(2, 3, 4)]),
    ("none", lambda t, x: x[None, 1], [(3, 4)]),
    ("none_middle", lambda t, x: x[:, None, 1:3], [(3, 4)]),
    ("element_of_1d", lambda t, x: x[2], [(5,)]),
    ("int_list", lambda t, x: x[[0, 2]], [(3, 4)]),
    ("int_tensor", lambda t, x: x[t.tensor([2, 0, 1])], [(3, 4)]),
    ("int_tensor_repeated", lambda t, x: x[t.tensor([1, 1, 0, 1])], [(3, 4)]),
    ("int_tensor_negative", lambda t, x: x[t.tensor([-1, 0])], [(3, 4)]),
    ("int_tensor_2d", lambda t, x: x[t.tensor([[0, 1], [1, 1]])], [(3, 4)]),
    ("int_tensor_int32", lambda t, x: x[t.tensor([2, 2], dtype=t.int32)], [(3, 4)]),
    ("batch_indices", lambda t, x: x[t.tensor([3, 0, 3, 3])], [(5, 2)]),
    ("columns_by_tensor", lambda t, x: x[:, t.tensor([3, 0, 3])], [(3, 4)]),
    ("pairs", lambda t, x: x[t.tensor([0, 2, 0]), t.tensor([1, 1, 1])], [(3, 4)]),
    ("pairs_broadcast", lambda t, x: x[t.tensor([[0], [2]]), t.tensor([1, 3])], [(3, 4)]),
    ("row_and_pick", lambda t, x: x[1, t.tensor([0, 0, 3])], [(3, 4)]),
    ("slice_and_tensor", lambda t, x: x[1:, t.tensor([2, 0])], [(3, 4)]),
    ("pick_per_row", lambda t, x: x[t.arange(3), t.tensor([1, 0, 3])], [(3, 4)]),
    ("mask", lambda t, x: x[x > 0], [(3, 4)]),
    ("row_mask", lambda t, x: x[t.tensor([True, False, True])], [(3, 4)]),
    ("mask_in_column", lambda t, x: x[:, t.tensor([True, False, False, True])], [(3, 4)]),
    ("mask_full_shape", lambda t, x: x[(x > 0) & (x < 1)], [(2, 3, 4)]),
    ("read_twice", lambda t, x: x[0] * x[0] + x[1:].sum(0), [(3, 4)]),
    ("chained", lambda t, x: x[1:][:, ::2][0], [(3, 4)]),
    ("index_of_transpose", lambda t, x: x.T[1:, t.tensor([0, 2])], [(3, 4)]),
    ("index_0d", lambda t, x: x[...], [()]),
]


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in READS], ids=[c[0] for c in READS])
def test_reads_match_torch(fn, shapes):
    check(fn, shapes)


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in READS], ids=[c[0] for c in READS])
def test_read_gradients_match_finite_differences(fn, shapes):
    check_gradcheck(fn, shapes)


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in READS], ids=[c[0] for c in READS])
def test_second_order_gradients(fn, shapes):
    check_gradcheck(fn, shapes, order=2)


def test_repeated_indices_accumulate_their_gradient():
    x = ember.zeros(4, requires_grad=True)
    x[ember.tensor([1, 1, 3, 1])].sum().backward()
    assert x.grad.tolist() == [0.0, 3.0, 0.0, 1.0]


INDEX_ERRORS = [
    ("row_out_of_range", lambda t, x: x[3]),
    ("negative_out_of_range", lambda t, x: x[-4]),
    ("column_out_of_range", lambda t, x: x[0, 4]),
    ("too_many", lambda t, x: x[0, 0, 0]),
    ("tensor_out_of_range", lambda t, x: x[t.tensor([0, 5])]),
    ("float_tensor", lambda t, x: x[t.tensor([0.0, 1.0])]),
    ("mask_shape", lambda t, x: x[t.tensor([True, False])]),
    ("assign_out_of_range", lambda t, x: x.__setitem__(5, 1.0)),
    ("assign_shape", lambda t, x: x.__setitem__(slice(0, 2), t.ones(3, 3))),
    ("index_0d", lambda t, x: x[0][0][0]),
    ("float_index", lambda t, x: x[1.5]),
    ("negative_step", lambda t, x: x[::-1]),
    ("string", lambda t, x: x["a"]),
    ("assign_string", lambda t, x: x.__setitem__(0, "a")),
    ("assign_column_shape", lambda t, x: x.__setitem__((slice(None), 0), t.ones(3, 1))),
    ("zero_step", lambda t, x: x[:, ::0]),
]


@pytest.mark.parametrize("fn", [c[1] for c in INDEX_ERRORS], ids=[c[0] for c in INDEX_ERRORS])
def test_errors_match_torch(fn):
    check_error(fn, np.ones((3, 4), dtype=np.float32))


# Assignment ---------------------------------------------------------------------------

# (name, write): ``write(lib, x)`` changes x in place.
WRITES = [
    ("element", lambda t, x: x.__setitem__((1, 2), 17)),
    ("rows", lambda t, x: x.__setitem__((slice(0, 2), slice(None)), 12)),
    ("all", lambda t, x: x.__setitem__(slice(None), t.arange(4.0))),
    ("ellipsis", lambda t, x: x.__setitem__(Ellipsis, 5.5)),
    ("column_tensor", lambda t, x: x.__setitem__((slice(None), 1), t.tensor([7.0, 8.0, 9.0]))),
    ("steps", lambda t, x: x.__setitem__((slice(None, None, 2), slice(1, None, 2)), -1)),
    ("int_index", lambda t, x: x.__setitem__(t.tensor([2, 0]), 3.0)),
    ("int_index_values", lambda t, x: x.__setitem__(t.tensor([2, 0]), t.ones(2, 4) * 4)),
    ("pairs", lambda t, x: x.__setitem__((t.tensor([0, 2]), t.tensor([3, 1])), 0.5)),
    ("mask", lambda t, x: x.__setitem__(x > 5, 0)),
    ("mask_values", lambda t, x: x.__setitem__(x > 8, t.tensor([1.0, 2.0, 3.0]))),
    ("int_into_float", lambda t, x: x.__setitem__(0, t.tensor([1, 2, 3, 4]))),
    ("bool_value", lambda t, x: x.__setitem__(1, True)),
    ("fill_", lambda t, x: x.fill_(2.5)),
    ("zero_", lambda t, x: x.zero_()),
    ("add_", lambda t, x: x.add_(t.ones(4))),
    ("add_alpha", lambda t, x: x.add_(t.ones(3, 1), alpha=-2)),
    ("sub_", lambda t, x: x.sub_(1.5)),
    ("mul_", lambda t, x: x.mul_(x)),
    ("div_", lambda t, x: x.div_(4)),
    ("pow_", lambda t, x: x.pow_(2)),
    ("clamp_", lambda t, x: x.clamp_(2, 9)),
    ("copy_", lambda t, x: x.copy_(t.ones(3, 4) * 3)),
    ("copy_broadcast", lambda t, x: x.copy_(t.arange(4))),
    ("iadd", lambda t, x: x.__iadd__(t.arange(4.0))),
    ("imul", lambda t, x: x.__imul__(2)),
    ("isub", lambda t, x: x.__isub__(x)),
    ("itruediv", lambda t, x: x.__itruediv__(t.tensor(2.0))),
    ("relu_", lambda t, x: (x - 5).relu_()),
    ("masked_fill_", lambda t, x: x.masked_fill_(x < 3, -1.0)),
    ("view_write", lambda t, x: x.view(-1)[3:6].fill_(0)),
    ("transpose_write", lambda t, x: x.T[1].fill_(0)),
    ("row_then_element", lambda t, x: x[1].__setitem__(2, 100)),
]


@pytest.mark.parametrize("write", [c[1] for c in WRITES], ids=[c[0] for c in WRITES])
def test_in_place_writes_match_torch_and_keep_identity(write):
    results = []
    for lib in (ember, torch):
        x = lib.arange(12.0).reshape(3, 4)
        identity, address = id(x), x.data_ptr()
        write(lib, x)
        assert id(x) == identity and x.data_ptr() == address
        results.append(x)
    assert_same(*results)


def test_assignment_into_an_int_tensor_truncates_like_torch():
    results = []
    for lib in (ember, torch):
        x = lib.arange(6)
        x[1] = 2.7
        x[2:4] = lib.tensor([-1.5, 9.9])
        results.append(x)
    assert_same(*results)


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: x.long().add_(1.5),
        lambda t, x: x.long().mul_(x),
        lambda t, x: (x > 0).add_(1),
    ],
    ids=["int_add_float", "int_mul_float_tensor", "bool_add_int"],
)
def test_in_place_refuses_a_wider_result_type(fn):
    check_error(fn, np.ones((3, 4), dtype=np.float32))


FLOAT_RESULTS = "sigmoid tanh exp log sqrt sin cos tan reciprocal rsqrt log1p expm1 log2 frac"


@pytest.mark.parametrize("dtype", ["long", "int", "bool"])
@pytest.mark.parametrize("name", FLOAT_RESULTS.split())
def test_unary_in_place_with_a_float_result_refuses_an_integer_tensor(name, dtype):
    check_error(lambda t, x: getattr(getattr(x, dtype)(), name + "_")(), np.ones(3, np.float32))


@pytest.mark.parametrize("name", "relu abs floor ceil round trunc sign square neg".split())
def test_unary_in_place_that_keeps_ints_works_on_an_integer_tensor(name):
    check(lambda t, x: getattr(x.long(), name + "_")(), [(3, 4)])


IN_PLACE_ERRORS = [
    ("add_bigger_than_self", lambda t, x: x[0].clone().add_(x)),
    ("iadd_bigger_than_self", lambda t, x: x[0].clone().__iadd__(x)),
    ("mul_bigger_than_self", lambda t, x: x[:, :1].clone().mul_(x)),
    ("copy_bigger_than_self", lambda t, x: x[0].clone().copy_(x)),
    ("add_not_broadcastable", lambda t, x: x.add_(x[:, :2])),
    ("int_pow_negative", lambda t, x: x.long().pow_(-1)),
    ("int_true_divide", lambda t, x: x.long().div_(2)),
    ("fill_with_a_vector", lambda t, x: x.fill_(x[0])),
    ("int_clamp_float", lambda t, x: x.long().clamp_(0.5, 1.5)),
    ("bool_sub", lambda t, x: (x > 0).sub_(True)),
    ("write_to_expanded", lambda t, x: x[:1].expand(3, 4).add_(1)),
]


@pytest.mark.parametrize("fn", [c[1] for c in IN_PLACE_ERRORS], ids=[c[0] for c in IN_PLACE_ERRORS])
def test_in_place_errors_match_torch(fn):
    check_error(fn, np.arange(12.0, dtype=np.float32).reshape(3, 4))


def test_in_place_on_a_leaf_that_requires_grad_is_refused():
    check_error(lambda t, x: x.requires_grad_().add_(1), np.ones(3, dtype=np.float32))


def test_in_place_under_no_grad_on_a_leaf_is_allowed():
    for lib in (ember, torch):
        w = lib.ones(3, requires_grad=True)
        with lib.no_grad():
            w -= 0.5 * lib.ones(3)
            w[0] = 7.0
        assert w.requires_grad and w.grad_fn is None and w.tolist() == [7.0, 0.5, 0.5]


def test_new_result_is_a_new_object():
    x, y = ember.ones(3), ember.ones(3)
    before = id(y)
    y = y + x
    assert id(y) != before


def test_z_slice_assign_keeps_identity():
    x, y = ember.ones(3), ember.arange(3.0)
    z = ember.zeros_like(y)
    before = id(z)
    z[:] = x + y
    assert id(z) == before and z.tolist() == [1.0, 2.0, 3.0]


# Gradients through assignment ----------------------------------------------------------

# (name, fn, shapes): x is made non-leaf (x * 1) before it is written.
ASSIGNMENTS = [
    ("slice_value", lambda x, v: x.__setitem__((slice(1, 3),), v), [(4, 3), (2, 3)]),
    ("element_value", lambda x, v: x.__setitem__((1, 2), v), [(4, 3), ()]),
    ("row_broadcast_value", lambda x, v: x.__setitem__(0, v), [(4, 3), (3,)]),
    ("column_value", lambda x, v: x.__setitem__((slice(None), 1), v), [(4, 3), (4,)]),
    ("int_index_value", lambda x, v: x.__setitem__([3, 0], v), [(4, 3), (2, 3)]),
    ("steps_value", lambda x, v: x.__setitem__((slice(None, None, 2),), v), [(4, 3), (1, 3)]),
    ("mask_value", lambda x, v: x.__setitem__(x > 0, v), [(4, 3), ()]),
]


def _assign(lib, write):
    def run(x, v):
        x = x * 1
        write(x, v * 2)
        return x * x

    return run


@pytest.mark.parametrize(
    "write, shapes", [c[1:] for c in ASSIGNMENTS], ids=[c[0] for c in ASSIGNMENTS]
)
def test_gradient_through_assignment_reaches_target_and_value(write, shapes):
    check(lambda t, x, v: _assign(t, write)(x, v), shapes)


@pytest.mark.parametrize(
    "write, shapes", [c[1:] for c in ASSIGNMENTS], ids=[c[0] for c in ASSIGNMENTS]
)
def test_gradient_through_assignment_matches_finite_differences(write, shapes):
    check_gradcheck(lambda t, x, v: _assign(t, write)(x, v), shapes)


def test_assigning_a_value_that_requires_grad_into_a_plain_tensor():
    results = []
    for lib in (ember, torch):
        value = lib.tensor([1.0, 2.0], requires_grad=True)
        x = lib.zeros(3, 2)
        x[1] = value * value
        assert x.requires_grad and not x.is_leaf
        (x * lib.arange(6.0).reshape(3, 2)).sum().backward()
        results.append(value.grad)
    assert_same(*results)


def test_assignment_of_a_constant_into_a_graph():
    def fn(t, x):
        y = x.sin()  # sin saves its input, not its output, so writing y is allowed
        y[0, 1] = 0.0
        y[:, 2] = 5
        return y

    check(fn, [(3, 4)])
    check_gradcheck(fn, [(3, 4)])


def test_in_place_arithmetic_in_a_graph():
    def fn(t, x, y):
        z = x * 2
        z += y
        z *= y
        z.sub_(x)
        z[1:].mul_(3)
        return z

    check(fn, [(3, 4), (3, 4)])
    check_gradcheck(fn, [(3, 4), (3, 4)])


def test_writing_a_value_saved_for_backward_is_refused():
    for lib in (ember, torch):
        x = lib.ones(3, requires_grad=True)
        y = x.exp()
        z = y * 2
        y[0] = 5.0
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            z.sum().backward()


# PyTorch's order of dims when ints and advanced indices mix --------------------------

# PyTorch takes an int (a 0-d integer tensor, a NumPy integer) as a select before any
# advanced index; NumPy counts it as one more advanced index, which moves the advanced
# dims to the front whenever a slice, None or Ellipsis parts them. An Ellipsis that
# stands for no dims parts nothing in PyTorch.
MIXED_READS = [
    ("int_slice_list", lambda t, x: x[1, :, [1, 2]], [(2, 3, 4)]),
    ("int_ellipsis_list", lambda t, x: x[1, ..., [1, 2]], [(2, 3, 4)]),
    ("none_int_slice_list", lambda t, x: x[None, 1, :, [1, 2]], [(2, 3, 4)]),
    ("int_none_list_slice", lambda t, x: x[1, None, [[0, 1]], :], [(2, 3, 4)]),
    ("none_int_none_list", lambda t, x: x[None, 1, None, [0, 1]], [(2, 3, 4)]),
    ("int_slice_tensor", lambda t, x: x[0, 1:, t.tensor([3, 0, 3])], [(2, 3, 4)]),
    ("list_slice_int", lambda t, x: x[[1, 0], :, 2], [(2, 3, 4)]),
    ("int_slice_mask", lambda t, x: x[1, :, t.tensor([True, False, True, True])], [(2, 3, 4)]),
    ("int_slice_list_int", lambda t, x: x[1, :, [0, 2], 1], [(2, 3, 4, 2)]),
    ("int_int_true", lambda t, x: x[1, 2, True], [(2, 3, 4)]),
    ("int_true_int", lambda t, x: x[1, True, 2], [(2, 3, 4)]),
    ("zero_d_tensor_slice_list", lambda t, x: x[t.tensor(1), :, [1, 2]], [(2, 3, 4)]),
    ("numpy_int_slice_list", lambda t, x: x[np.int64(1), :, [1, 2]], [(2, 3, 4)]),
    ("zero_d_tensor_alone", lambda t, x: x[t.tensor(-1)], [(2, 3, 4)]),
    ("empty_ellipsis_between_lists", lambda t, x: x[:, [0, 1], ..., [3, 1]], [(2, 3, 4)]),
    ("empty_ellipsis_and_int", lambda t, x: x[1, :, [0, 1], ..., [3, 1]], [(2, 2, 3, 4)]),
]


@pytest.mark.parametrize(
    "fn, shapes", [c[1:] for c in MIXED_READS], ids=[c[0] for c in MIXED_READS]
)
def test_mixed_reads_order_dims_like_torch(fn, shapes):
    check(fn, shapes)


@pytest.mark.parametrize(
    "fn, shapes", [c[1:] for c in MIXED_READS], ids=[c[0] for c in MIXED_READS]
)
def test_mixed_read_gradients_to_second_order(fn, shapes):
    check_gradcheck(fn, shapes, order=2)


def test_a_0d_integer_tensor_index_selects_a_view_like_an_int():
    for lib in (ember, torch):
        x = lib.arange(6.0).reshape(2, 3)
        row = x[lib.tensor(1)]
        row[0] = 100.0
        assert x[1, 0].item() == 100.0


# (name, write, shapes): the target (first shape) is made non-leaf before it is written.
MIXED_ASSIGNMENTS = [
    (
        "int_slice_list",
        lambda x, v: x.__setitem__((1, slice(None), [1, 2]), v),
        [(2, 3, 4), (3, 2)],
    ),
    ("int_ellipsis_list", lambda x, v: x.__setitem__((1, Ellipsis, [3, 0]), v), [(2, 3, 4), (2,)]),
    (
        "list_slice_int",
        lambda x, v: x.__setitem__(([1, 0], slice(None), 2), v),
        [(2, 3, 4), (2, 3)],
    ),
    (
        "none_int_slice_list",
        lambda x, v: x.__setitem__((None, 1, slice(None), [1, 2]), v),
        [(2, 3, 4), (1, 3, 2)],
    ),
]


@pytest.mark.parametrize(
    "write, shapes", [c[1:] for c in MIXED_ASSIGNMENTS], ids=[c[0] for c in MIXED_ASSIGNMENTS]
)
def test_mixed_assignment_matches_torch_with_gradients(write, shapes):
    check(lambda t, x, v: _assign(t, write)(x, v), shapes)
    check_gradcheck(lambda t, x, v: _assign(t, write)(x, v), shapes)


def test_mixed_assignment_into_a_plain_tensor_matches_torch():
    results = []
    for lib in (ember, torch):
        x = lib.zeros(2, 3, 4)
        x[1, :, [1, 2]] = lib.arange(6.0).reshape(3, 2)
        x[0, :, lib.tensor([True, False, False, True])] = lib.tensor([[7.0, 8.0]])
        results.append(x)
    assert_same(*results)


@st.composite
def index_item(draw, size, picks):
    """One index item for a dim of ``size``, as data; advanced ones mostly pick ``picks``
    positions or one, so that they broadcast together."""
    position = st.integers(-size, size - 1)
    kind = draw(st.sampled_from(["int", "slice", "list", "tensor", "tensor_0d", "mask"]))
    if kind in ("int", "tensor_0d"):
        return (kind, draw(position))
    if kind == "slice":
        bound = st.none() | st.integers(-size - 1, size + 1)
        return ("slice", draw(bound), draw(bound), draw(st.none() | st.integers(1, 3)))
    count = draw(st.sampled_from([1, picks]))
    if kind in ("list", "tensor"):
        return (kind, draw(st.lists(position, min_size=count, max_size=count)))
    count = min(count, size)  # fewer than ``picks``: both libraries must refuse to broadcast
    chosen = set(draw(st.permutations(range(size)))[:count])
    return ("mask", [i in chosen for i in range(size)])


@st.composite
def mixed_indices(draw):
    """A shape and an index into it mixing ints, slices, None, Ellipsis and advanced items;
    at least one int and one advanced index meet, the mix where PyTorch and NumPy differ."""
    shape = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    picks = draw(st.integers(2, 3))  # more than one: a misplaced dim then shows
    items = [draw(index_item(size, picks)) for size in shape]
    int_dim, advanced_dim = draw(st.permutations(range(len(shape))))[:2]
    int_size, advanced_size = shape[int_dim], shape[advanced_dim]
    items[int_dim] = (draw(st.sampled_from(["int", "tensor_0d"])), int_size - 1)
    items[advanced_dim] = ("list", [i % advanced_size for i in range(picks)])
    if draw(st.booleans()):  # an Ellipsis for a run of the other items, perhaps empty
        start = draw(st.integers(0, len(items)))
        limit = min([dim for dim in (int_dim, advanced_dim) if dim >= start], default=len(items))
        items[start : draw(st.integers(start, limit))] = [("ellipsis",)]
    for _ in range(draw(st.integers(0, 2))):  # items that index no dim of the tensor
        items.insert(draw(st.integers(0, len(items))), (draw(st.sampled_from(["none", "true"])),))
    return tuple(shape), items


def as_index(lib, items):
    """The drawn index, made of ``lib``'s tensors."""
    made = {
        "int": lambda i: i,
        "tensor_0d": lambda i: lib.tensor(i),
        "slice": lambda start, stop, step: slice(start, stop, step),
        "list": lambda positions: positions,
        "tensor": lambda positions: lib.tensor(positions),
        "mask": lambda flags: lib.tensor(flags),
        "true": lambda: True,
        "none": lambda: None,
        "ellipsis": lambda: Ellipsis,
    }
    return tuple(made[kind](*arguments) for kind, *arguments in items)


def torch_outcome(shape, items):
    """The positions torch's read picks (as an int tensor), or the error torch raises."""
    try:
        return torch.arange(int(np.prod(shape))).reshape(shape)[as_index(torch, items)]
    except (IndexError, RuntimeError, ValueError) as error:
        return error


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=mixed_indices(), seed=st.integers(0, 2**16))
def test_mixed_index_reads_match_torch(case, seed):
    shape, items = case
    if isinstance(torch_outcome(shape, items), Exception):
        check_error(lambda t, x: x[as_index(t, items)], np.ones(shape, dtype=np.float32))
    else:
        check(lambda t, x: x[as_index(t, items)], [shape], seed=seed)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=mixed_indices(), leading_one=st.booleans(), seed=st.integers(0, 2**16))
def test_mixed_index_writes_match_torch(case, leading_one, seed):
    shape, items = case
    picked = torch_outcome(shape, items)
    assume(not isinstance(picked, Exception))
    assume(picked.unique().numel() == picked.numel())  # which of repeats wins is unspecified
    value_shape = (1,) * leading_one + tuple(picked.shape)

    def write(t, x, v):
        x = x * 1
        x[as_index(t, items)] = v * 2
        return x * x

    check(write, [shape, value_shape], seed=seed)


# A value with leading size-1 dims, and values that broadcast into a mask --------------


def test_a_value_with_leading_ones_gets_its_gradient_in_its_own_shape():
    results = []
    for lib in (ember, torch):
        v = lib.tensor([2.0], requires_grad=True)
        x = lib.zeros(3)
        x[1] = v
        x.sum().backward()
        w = lib.ones(1, 2, requires_grad=True)
        y = lib.zeros(3)
        y[1:] = w
        (y * lib.arange(3.0)).sum().backward()
        results.append((v.grad, w.grad))
    assert_same(*results)


LEADING_ONES_ASSIGNMENTS = [
    ("element_from_1", lambda x, v: x.__setitem__(1, v), [(3,), (1,)]),
    ("element_from_1_1", lambda x, v: x.__setitem__((1, 2), v), [(3, 4), (1, 1)]),
    ("slice_from_1_2", lambda x, v: x.__setitem__(slice(1, None), v), [(3,), (1, 2)]),
    ("row_from_1_1_4", lambda x, v: x.__setitem__(0, v), [(3, 4), (1, 1, 4)]),
    ("broadcast_from_1_1_1", lambda x, v: x.__setitem__(slice(None, 2), v), [(3, 4), (1, 1, 1)]),
    ("index_from_1_2_4", lambda x, v: x.__setitem__([2, 0], v), [(3, 4), (1, 2, 4)]),
]


@pytest.mark.parametrize(
    "write, shapes",
    [c[1:] for c in LEADING_ONES_ASSIGNMENTS],
    ids=[c[0] for c in LEADING_ONES_ASSIGNMENTS],
)
def test_gradient_of_a_value_with_leading_ones(write, shapes):
    check(lambda t, x, v: _assign(t, write)(x, v), shapes)
    check_gradcheck(lambda t, x, v: _assign(t, write)(x, v), shapes)


def _write_through_mask(t, x, v):
    x = x * 1
    x[t.tensor([True, True, False])] = v * 2
    return x * x


@pytest.mark.parametrize("value_shape", [(), (1,), (1, 1), (2,), (1, 2), (1, 1, 2)], ids=str)
def test_mask_assignment_broadcasts_the_value_like_torch(value_shape):
    check(_write_through_mask, [(3,), value_shape])
    check_gradcheck(_write_through_mask, [(3,), value_shape])


@pytest.mark.parametrize("value_shape", [(3,), (2, 1), (0,), (2, 2)], ids=str)
@pytest.mark.parametrize("grad", [False, True], ids=["plain", "in_graph"])
def test_mask_assignment_of_a_value_that_does_not_fit(value_shape, grad):
    error = check_error(
        lambda t, x, v: _write_through_mask(t, x.requires_grad_(grad), v),
        np.zeros(3, dtype=np.float32),
        np.ones(value_shape, dtype=np.float32),
    )
    assert str(error) == (
        f"shape mismatch: value tensor of shape {list(value_shape)} cannot be broadcast to "
        "indexing result of shape [2]"
    )


# (name, write(lib, x), value shape, indexing result shape): writes torch refuses for the
# value's shape, with a RuntimeError.
ASSIGNMENT_SHAPE_ERRORS = [
    ("slice", lambda t, x: x.__setitem__(slice(0, 2), t.ones(3, 3)), [3, 3], [2, 4]),
    ("extra_dim", lambda t, x: x.__setitem__(slice(0, 2), t.ones(2, 2, 4)), [2, 2, 4], [2, 4]),
    ("column", lambda t, x: x.__setitem__((slice(None), 0), t.ones(3, 1)), [3, 1], [3]),
    ("element", lambda t, x: x.__setitem__((0, 0), t.ones(2)), [2], []),
    ("index", lambda t, x: x.__setitem__([0, 1], t.ones(3, 4)), [3, 4], [2, 4]),
    ("full_mask", lambda t, x: x.__setitem__(x > -1, t.ones(12, 1)), [12, 1], [12]),
    ("row_mask", lambda t, x: x.__setitem__(x[:, 0] > -1, t.ones(2, 4)), [2, 4], [3, 4]),
    ("mixed", lambda t, x: x.__setitem__((1, [0, 1]), t.ones(3)), [3], [2]),
]


@pytest.mark.parametrize(
    "write, value_shape, result_shape",
    [c[1:] for c in ASSIGNMENT_SHAPE_ERRORS],
    ids=[c[0] for c in ASSIGNMENT_SHAPE_ERRORS],
)
@pytest.mark.parametrize("grad", [False, True], ids=["plain", "in_graph"])
def test_assignment_shape_errors_are_runtime_errors_naming_both_shapes(
    write, value_shape, result_shape, grad
):
    error = check_error(
        lambda t, x: write(t, x.requires_grad_(grad) * 1), np.ones((3, 4), dtype=np.float32)
    )
    assert f"value tensor of shape {value_shape}" in str(error)
    assert f"indexing result of shape {result_shape}" in str(error)


MASKED_FILLS_IN_PLACE = {
    "number": lambda t, y, v: y.masked_fill_(y < 0, 7.0),
    "tensor_value": lambda t, y, v: y.masked_fill_(y < 0, v),
    "broadcast_mask": lambda t, y, v: y.masked_fill_(t.tensor([True, False, False, True]), v),
}


@pytest.mark.parametrize("fill", MASKED_FILLS_IN_PLACE.values(), ids=MASKED_FILLS_IN_PLACE.keys())
def test_masked_fill_in_place_is_one_node_named_as_torch_names_it(fill):
    """PyTorch records ``y.masked_fill_`` as MaskedFillBackward0 (a number) or 1 (a 0-d
    tensor), whose gradients go to y's history and to the value."""
    results = []
    for library in (torch, ember):
        x = library.tensor([[1.0, -2.0, 3.0, -4.0]] * 2, requires_grad=True)
        value = library.tensor(5.0, requires_grad=True)
        y = x * 2
        fill(library, y, value)
        (y * library.arange(1.0, 9.0).reshape(2, 4)).sum().backward()
        value_grad = None if value.grad is None else value.grad.item()
        results.append((y.grad_fn.name(), y.tolist(), x.grad.tolist(), value_grad))
    assert results[1] == results[0]


def test_the_gradient_of_a_basic_index_keeps_a_negative_zero():
    # the cumulative pass (eighteenth day): the slice's backward added the gradient into
    # zeros, and 0 + -0. is +0.; PyTorch copies it
    for read in (lambda b: b[:, ::2], lambda b: b[1, ::2].unsqueeze(0)):
        grads = []
        for lib in (ember, torch):
            b = lib.zeros(2, 4, requires_grad=True)
            (read(b) * 1).backward(lib.tensor([[1.0, -0.0]]).expand_as(read(b)))
            grads.append(b.grad)
        assert_same(grads[0], grads[1])
        assert np.signbit(grads[0].numpy()).tolist() == torch.signbit(grads[1]).tolist()
