"""T4 indexing, slicing and assignment; T9 in-place ops that keep the object and storage."""

import numpy as np
import pytest
import torch
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
