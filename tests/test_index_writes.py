"""Index writes against torch: index_add, index_copy, index_fill, masked_scatter, take, put,
index_put and fill_diagonal_, out of place and in place (values, dtypes, shapes, gradients
to second order, node names, version counters, the in-place refusals and the errors)."""

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error, check_gradcheck, check_outcome

import ember


def positions(t, *values):
    """An int64 index tensor."""
    return t.tensor(values, dtype=t.int64)


def mask_of(t, rows):
    return t.tensor(rows, dtype=t.bool)


MASK = [[True, False, True, False], [False, False, False, True], [True, True, False, False]]

# (name, fn, shapes): forward and backward against torch; every float input requires grad
CASES = [
    ("index_add", lambda t, x, s: x.index_add(0, positions(t, 0, 2), s), [(3, 4), (2, 4)]),
    (
        "index_add_alpha_dim1",
        lambda t, x, s: t.index_add(x, 1, positions(t, 3, 0), s, alpha=-2.5),
        [(3, 4), (3, 2)],
    ),
    (
        "index_add_repeats_add",
        lambda t, x, s: x.index_add(-1, positions(t, 1, 1, 1), s, alpha=2),
        [(2, 3), (2, 3)],
    ),
    (
        "index_add_int32_index",
        lambda t, x, s: x.index_add(0, t.tensor([2, 0], dtype=t.int32), s),
        [(3, 4), (2, 4)],
    ),
    ("index_add_0d_index", lambda t, x, s: x.index_add(0, t.tensor(1), s), [(3, 4), (1, 4)]),
    ("index_add_0d", lambda t, x, s: x.index_add(0, positions(t, 0), s), [(), ()]),
    (
        "index_add_empty_index",
        lambda t, x, s: x.index_add(0, positions(t), s),
        [(3, 4), (0, 4)],
    ),
    (
        "index_add_keywords",
        lambda t, x, s: t.index_add(input=x, dim=0, index=positions(t, 1), source=s, alpha=3),
        [(2, 3), (1, 3)],
    ),
    ("index_copy", lambda t, x, s: x.index_copy(0, positions(t, 2, 0), s), [(3, 4), (2, 4)]),
    ("index_copy_dim1", lambda t, x, s: t.index_copy(x, 1, positions(t, 3), s), [(3, 4), (3, 1)]),
    (
        "index_copy_repeats",
        lambda t, x, s: x.index_copy(0, positions(t, 1, 1), s),
        [(3, 4), (2, 4)],
    ),
    ("index_copy_0d_source", lambda t, x, s: x.index_copy(0, t.tensor(1), s), [(3,), ()]),
    ("index_copy_0d", lambda t, x, s: x.index_copy(0, positions(t, 0), s), [(), (1,)]),
    ("index_fill", lambda t, x: x.index_fill(1, positions(t, 0, -1), 2.5), [(3, 4)]),
    ("index_fill_0d_index", lambda t, x: t.index_fill(x, 0, t.tensor(2), -1), [(3, 4)]),
    ("index_fill_0d", lambda t, x: x.index_fill(0, positions(t, -1, 0), 7.0), [()]),
    (
        "index_fill_value_tensor",
        lambda t, x, v: x.index_fill(1, positions(t, 0, 2, 0), v),
        [(3, 4), ()],
    ),
    (
        "index_fill_keywords",
        lambda t, x, v: t.index_fill(input=x, dim=0, index=positions(t, 1), value=v),
        [(2, 3), ()],
    ),
    ("masked_scatter", lambda t, x, s: x.masked_scatter(mask_of(t, MASK), s), [(3, 4), (3, 4)]),
    (
        "masked_scatter_fewer_source",
        lambda t, x, s: t.masked_scatter(x, mask_of(t, MASK), s),
        [(3, 4), (2, 3)],
    ),
    (
        "masked_scatter_broadcast_mask",
        lambda t, x, s: x.masked_scatter(mask_of(t, [True, False, True, False]), s),
        [(3, 4), (7,)],
    ),
    (
        "masked_scatter_broadcast_input",
        lambda t, x, s: x.masked_scatter(mask_of(t, MASK), s),
        [(4,), (6,)],
    ),
    (
        "masked_scatter_0d_source",
        lambda t, x, s: x.masked_scatter(mask_of(t, [False, True, False]), s),
        [(3,), ()],
    ),
    ("masked_scatter_0d", lambda t, x, s: x.masked_scatter(t.tensor(True), s), [(), (2,)]),
    ("take", lambda t, x: x.take(t.tensor([[0, 5], [11, -1]])), [(3, 4)]),
    ("take_repeats", lambda t, x: t.take(x, positions(t, 1, 1, -5, 0)), [(2, 3)]),
    ("take_0d_index", lambda t, x: x.take(t.tensor(4)), [(3, 4)]),
    ("take_0d", lambda t, x: x.take(positions(t, 0, -1, 0)), [()]),
    ("take_transposed", lambda t, x: x.t().take(positions(t, 1, 4)), [(3, 4)]),
    ("take_empty", lambda t, x: x.take(positions(t)), [(3, 4)]),
    ("put", lambda t, x, s: x.put(positions(t, 0, 5, -1), s), [(3, 4), (3,)]),
    (
        "put_accumulate",
        lambda t, x, s: t.put(x, positions(t, 1, 1, -11), s, accumulate=True),
        [(3, 4), (3,)],
    ),
    ("put_repeats", lambda t, x, s: x.put(positions(t, 2, 2), s), [(3, 4), (2,)]),
    ("put_shapes_differ", lambda t, x, s: x.put(t.tensor([[1, 2]]), s), [(3, 4), (2,)]),
    ("put_0d", lambda t, x, s: x.put(t.tensor(0), s, True), [(), ()]),
    (
        "index_put",
        lambda t, x, v: x.index_put((positions(t, 0, 2), positions(t, 1, 3)), v),
        [(3, 4), (2,)],
    ),
    ("index_put_rows", lambda t, x, v: t.index_put(x, (positions(t, 2, 0),), v), [(3, 4), (4,)]),
    (
        "index_put_accumulate",
        lambda t, x, v: x.index_put((positions(t, 1, 1, -1),), v, accumulate=True),
        [(3, 4), (3, 1)],
    ),
    (
        "index_put_repeats",
        lambda t, x, v: x.index_put([positions(t, 1, 1)], v),
        [(3, 4), (2, 4)],
    ),
    (
        "index_put_mask",
        lambda t, x, v: x.index_put((mask_of(t, MASK),), v, True),
        [(3, 4), ()],
    ),
    (
        "index_put_mask_rows",
        lambda t, x, v: x.index_put((mask_of(t, [True, False, True]),), v),
        [(3, 4), (4,)],
    ),
    (
        "index_put_0d_index",
        lambda t, x, v: x.index_put((t.tensor(1), positions(t, 0, 2)), v),
        [(3, 4), (2,)],
    ),
    (
        "index_put_keywords",
        lambda t, x, v: t.index_put(input=x, indices=(positions(t, 1),), values=v),
        [(3, 4), ()],
    ),
]


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_matches_torch(fn, shapes):
    check(fn, shapes)


GRADIENTS = [
    (
        "index_add",
        lambda t, x, s: x.index_add(1, positions(t, 2, 2, 0), s, alpha=0.5),
        [(2, 3)] * 2,
    ),
    ("index_copy", lambda t, x, s: x.index_copy(0, positions(t, 2, 0), s), [(3, 2), (2, 2)]),
    ("index_fill", lambda t, x, v: x.index_fill(0, positions(t, 2, -3), v), [(3, 2), ()]),
    ("masked_scatter", lambda t, x, s: x.masked_scatter(x > 0, s), [(3, 4), (13,)]),
    ("take", lambda t, x: x.take(positions(t, 0, 5, 5, -1)), [(2, 3)]),
    ("put", lambda t, x, s: x.put(positions(t, 3, 0, 1), s), [(2, 3), (3,)]),
    ("put_accumulate", lambda t, x, s: x.put(positions(t, 3, 3), s, True), [(2, 3), (2,)]),
    (
        "index_put_accumulate",
        lambda t, x, v: x.index_put((positions(t, 1, 1), positions(t, 0, 0)), v, True),
        [(2, 3), (2,)],
    ),
    ("index_put", lambda t, x, v: x.index_put((positions(t, 1),), v), [(2, 3), (3,)]),
    (
        "in_place_forms",
        lambda t, x, s: (x * 1).index_add_(0, positions(t, 1), s).put_(positions(t, 0), s[0, :1]),
        [(2, 3), (1, 3)],
    ),
]


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in GRADIENTS], ids=[c[0] for c in GRADIENTS])
def test_gradients_match_finite_differences(fn, shapes):
    check_gradcheck(lambda t, *inputs: fn(t, *inputs) * 1.5, shapes)


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in GRADIENTS], ids=[c[0] for c in GRADIENTS])
def test_second_order_gradients(fn, shapes):
    # squared, so that the second derivative is not zero
    check_gradcheck(lambda t, *inputs: fn(t, *inputs) ** 2, shapes, order=2)


# In place: the same values, the same object, one version more, the node PyTorch names ----

IN_PLACE = [
    (
        "index_add_",
        lambda t, x, s: x.index_add_(0, positions(t, 0, 0), s, alpha=2),
        [(3, 2), (2, 2)],
    ),
    ("index_copy_", lambda t, x, s: x.index_copy_(1, positions(t, 1), s), [(3, 2), (3, 1)]),
    ("index_fill_", lambda t, x, v: x.index_fill_(1, positions(t, 1), v), [(3, 2), ()]),
    ("masked_scatter_", lambda t, x, s: x.masked_scatter_(mask_of(t, MASK), s), [(3, 4), (5,)]),
    ("put_", lambda t, x, s: x.put_(positions(t, 4, -1), s, accumulate=True), [(3, 2), (2,)]),
    (
        "index_put_",
        lambda t, x, v: x.index_put_((positions(t, 2, 0),), v, accumulate=True),
        [(3, 2), (2,)],
    ),
    ("index_put_function", lambda t, x, v: t.index_put_(x, (positions(t, 2),), v), [(3, 2), ()]),
]


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in IN_PLACE], ids=[c[0] for c in IN_PLACE])
def test_in_place_forms_write_into_the_tensor(fn, shapes):
    def in_place(t, x, *others):
        x = x.detach().clone()
        version = x._version
        result = fn(t, x, *[other.detach() for other in others])
        assert result is x
        assert x._version == version + 1
        return result

    check(in_place, shapes, grad=False)


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in IN_PLACE], ids=[c[0] for c in IN_PLACE])
def test_in_place_forms_in_a_graph_give_torchs_gradients_and_nodes(fn, shapes):
    def in_place(t, x, *others):
        result = fn(t, x * 1, *others)
        return result

    ember_out, torch_out = check(in_place, shapes)
    assert ember_out.grad_fn.name() == torch_out.grad_fn.name()


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in IN_PLACE], ids=[c[0] for c in IN_PLACE])
def test_in_place_forms_refuse_a_leaf_and_a_view_of_one(fn, shapes):
    arrays = [np.ones(shape, np.float32) for shape in shapes]
    for lib in (ember, torch):
        leaf = lib.tensor(arrays[0], requires_grad=True)
        others = [lib.tensor(array) for array in arrays[1:]]
        with pytest.raises(RuntimeError, match="leaf"):
            fn(lib, leaf, *others)
        with pytest.raises(RuntimeError, match="view of a leaf"):
            fn(lib, leaf[:], *others)
        with lib.no_grad():
            fn(lib, leaf, *others)  # allowed under no_grad
        assert leaf._version == 1


def test_an_in_place_write_of_a_value_that_needs_grad_records_a_graph():
    def scenario(t, x, s, v):
        target = x.detach().clone()
        target.index_add_(0, positions(t, 1), s).index_fill_(1, positions(t, 0), v)
        return target

    ember_out, torch_out = check(scenario, [(2, 3), (1, 3), ()])
    assert ember_out.grad_fn.name() == torch_out.grad_fn.name() == "IndexFillBackward1"


def test_writing_a_tensor_saved_for_backward_is_refused_at_backward():
    for lib in (ember, torch):
        x = lib.ones(3, requires_grad=True)
        y = x * 1
        z = y.exp()  # saves its output
        z.index_fill_(0, positions(lib, 0), 2.0)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            z.sum().backward()


def test_in_place_forms_write_through_a_transposed_view():
    def scenario(t, x):
        base = x.detach().clone()
        view = base.t()
        view.put_(positions(t, 1, 4), t.tensor([5.0, 6.0]))
        view.index_put_((positions(t, 0, 0), positions(t, 2, 2)), t.tensor([1.0, 2.0]), True)
        view.masked_scatter_(view > 1.5, t.arange(12.0))
        view.index_add_(1, positions(t, 1), t.ones(4, 1))
        return base

    check(scenario, [(3, 4)], grad=False)


def test_an_expanded_tensor_is_refused():
    for lib in (ember, torch):
        expanded = lib.zeros(1, 4).expand(3, 4)
        with pytest.raises(RuntimeError, match="single memory location"):
            expanded.index_add_(0, positions(lib, 0), lib.ones(1, 4))
        with pytest.raises(RuntimeError, match="single memory location"):
            expanded.put_(positions(lib, 0), lib.ones(1))


NODE_NAMES = [
    ("index_add", lambda t, x, s: x.index_add(0, positions(t, 1), s[:1])),
    ("index_copy", lambda t, x, s: x.index_copy(0, positions(t, 1), s[:1])),
    ("index_fill_number", lambda t, x, s: x.index_fill(0, positions(t, 1), 2.0)),
    ("index_fill_tensor", lambda t, x, s: x.index_fill(0, positions(t, 1), s[0, 0])),
    ("masked_scatter", lambda t, x, s: x.masked_scatter(x > 0, s)),
    ("take", lambda t, x, s: x.take(positions(t, 1))),
    ("put", lambda t, x, s: x.put(positions(t, 1), s[0, :1])),
    ("index_put", lambda t, x, s: x.index_put((positions(t, 1),), s[0])),
    ("index_put_0d_index", lambda t, x, s: x.index_put((t.tensor(1),), s[0])),
    ("index_put_accumulate", lambda t, x, s: x.index_put((positions(t, 1),), s[0], True)),
]


@pytest.mark.parametrize("fn", [c[1] for c in NODE_NAMES], ids=[c[0] for c in NODE_NAMES])
def test_node_names_and_inputs_match_torch(fn):
    names = []
    for lib in (ember, torch):
        x = lib.ones(2, 3, requires_grad=True)
        s = lib.ones(2, 3, requires_grad=True)
        node = fn(lib, x * 1, s * 1).grad_fn
        listed = [None if next is None else next.name() for next, _ in node.next_functions]
        names.append((node.name(), listed))
    assert names[0] == names[1]


# Repeated positions, negative positions, dtypes ---------------------------------------


def test_repeated_positions_keep_the_last_value_or_add_up():
    """PyTorch leaves unspecified which value a repeated position keeps in the copying
    ops; on the CPU it keeps the last, and so does ember. The adding forms add them all."""
    values = np.arange(20.0, dtype=np.float32)
    many = [1] * 20
    cases = [
        lambda t, v: t.zeros(3).index_copy(0, positions(t, *many), v),
        lambda t, v: t.zeros(3).put(positions(t, *many), v),
        lambda t, v: t.zeros(3).index_put((positions(t, *many),), v),
        lambda t, v: t.zeros(3).index_add(0, positions(t, *many), v),
        lambda t, v: t.zeros(3).put(positions(t, *many), v, accumulate=True),
        lambda t, v: t.zeros(3).index_put((positions(t, *many),), v, accumulate=True),
    ]
    results = [check_outcome(case, values) for case in cases]
    assert [result[1].item() for result in results] == [19.0] * 3 + [190.0] * 3


def test_each_repeated_value_gets_the_gradient_of_its_place():
    check(lambda t, x, s: x.index_copy(0, positions(t, 0, 0, 2), s), [(3, 2), (3, 2)])
    check(lambda t, x, s: x.put(positions(t, 1, 1, 1), s), [(3,), (3,)])
    check(lambda t, x, v: x.index_put((positions(t, 2, 2),), v), [(3,), (2,)])


def test_index_fill_value_gets_each_place_once_however_often_it_repeats():
    ember_out, _ = check(lambda t, x, v: x.index_fill(0, positions(t, 1, 1, 0), v), [(3,), ()])
    assert ember_out.grad_fn.name() == "IndexFillBackward1"


def test_index_fill_value_gradient_takes_negative_positions():
    """torch 2.13's backward to the value refuses a negative position that its forward
    took (an IndexError in index_select); ember gives the gradient."""
    x = torch.zeros(3, requires_grad=True)
    value = torch.tensor(2.0, requires_grad=True)
    with pytest.raises(IndexError):
        x.index_fill(0, positions(torch, -1), value).sum().backward()
    check_gradcheck(lambda t, x, v: x.index_fill(0, positions(t, -1, 0, 2), v), [(4,), ()])


DTYPE_CASES = [
    (
        "index_add_int_alpha_truncates",
        lambda t, x: x.long().index_add(0, positions(t, 0, 0), x.long()[:2], alpha=-1.5),
    ),
    (
        "index_add_uint8_wraps",
        lambda t, x: (x.byte() + 250).index_add(0, positions(t, 1, 1), x.byte()[:2] + 5),
    ),
    (
        "index_add_uint8_alpha_minus_1",
        lambda t, x: x.byte().index_add(0, positions(t, 0), x.byte()[:1], alpha=-1),
    ),
    ("index_add_bool", lambda t, x: (x > 1).index_add(0, positions(t, 0, 0), (x > 2)[:2], alpha=2)),
    (
        "index_add_half",
        lambda t, x: x.half().index_add(0, positions(t, 2, 2), x.half()[:2], alpha=0.1),
    ),
    ("index_copy_bool", lambda t, x: (x > 1).index_copy(0, positions(t, 1), (x > 2)[:1])),
    ("index_fill_int_float_value", lambda t, x: x.long().index_fill(0, positions(t, 1), 2.7)),
    ("index_fill_uint8_minus_1", lambda t, x: x.byte().index_fill(0, positions(t, 1), -1)),
    ("index_fill_bool", lambda t, x: (x > 1).index_fill(0, positions(t, 1), 2)),
    (
        "index_fill_float_tensor_value",
        lambda t, x: x.long().index_fill(0, positions(t, 0), t.tensor(2.7)),
    ),
    ("index_fill_bool_value", lambda t, x: x.index_fill(0, positions(t, 1), True)),
    ("index_fill_float64_value", lambda t, x: x.index_fill(0, positions(t, 1), x.double()[0])),
    ("masked_scatter_int", lambda t, x: x.long().masked_scatter(x > 1, x.long() * 2)),
    ("masked_scatter_bool", lambda t, x: (x > 1).masked_scatter(x > 2, x < 3)),
    ("take_int", lambda t, x: x.int().take(positions(t, 3, -1))),
    ("take_bool", lambda t, x: (x > 1).take(positions(t, 3, -1))),
    (
        "put_accumulate_uint8",
        lambda t, x: x.byte().put(positions(t, 1, 1), x.byte()[:2] * 100, True),
    ),
    ("put_accumulate_bool", lambda t, x: (x > 5).put(positions(t, 1, 1), x[:2] > -5, True)),
    ("put_accumulate_half", lambda t, x: x.half().put(positions(t, 1, 1), x.half()[:2], True)),
    (
        "index_put_accumulate_int",
        lambda t, x: x.long().index_put((positions(t, 1, 1),), x.long()[:2], True),
    ),
    ("index_put_bool", lambda t, x: (x > 1).index_put((positions(t, 0, 2),), t.tensor(True))),
    ("index_put_int32_index", lambda t, x: x.index_put((t.tensor([2], dtype=t.int32),), x[0])),
]


@pytest.mark.parametrize("fn", [c[1] for c in DTYPE_CASES], ids=[c[0] for c in DTYPE_CASES])
def test_dtypes_match_torch(fn):
    check_outcome(fn, np.array([0.5, 1.5, 2.5, 3.5], np.float32))


def test_many_half_additions_round_as_torchs_do():
    def added(t, ones):
        return [
            t.zeros(3, dtype=t.half).index_add(0, positions(t, *[1] * 3000), ones),
            t.zeros(3, dtype=t.half).put(positions(t, *[1] * 3000), ones, accumulate=True),
            t.zeros(3, dtype=t.half).index_put((positions(t, *[1] * 3000),), ones, True),
        ]

    assert_same(added(ember, ember.ones(3000).half()), added(torch, torch.ones(3000).half()))


def test_empty_indices_and_empty_tensors():
    empty = np.zeros((3, 4), np.float32)
    for fn in (
        lambda t, x: x.index_add(0, positions(t), t.zeros(0, 4)),
        lambda t, x: x.index_copy(1, positions(t), t.zeros(3, 0)),
        lambda t, x: x.index_fill(0, positions(t), 1.0),
        lambda t, x: x.take(t.zeros(2, 0, dtype=t.int64)),
        lambda t, x: x.put(positions(t), t.zeros(0)),
        lambda t, x: x.index_put((positions(t),), t.tensor(1.0)),
        lambda t, x: x.index_put((positions(t),), t.tensor(1.0), accumulate=True),
        lambda t, x: x.masked_scatter(x > 1, t.zeros(0)),
        lambda t, x: t.zeros(0).take(positions(t)),
        lambda t, x: t.zeros(0, 3).fill_diagonal_(1.0),
        lambda t, x: t.zeros(2, 0).fill_diagonal_(1.0, wrap=True),
        lambda t, x: t.zeros(0, 0, 0).fill_diagonal_(1.0),
        lambda t, x: t.tensor(1.0).index_copy(0, positions(t), t.zeros(0)),
    ):
        check_outcome(fn, empty)


# fill_diagonal_ ----------------------------------------------------------------------

FILL_DIAGONAL = [
    ("square", (3, 3), {}),
    ("wide", (3, 5), {}),
    ("tall", (7, 3), {}),
    ("tall_wrap", (7, 3), {"wrap": True}),
    ("wide_wrap", (3, 7), {"wrap": True}),
    ("column_wrap", (5, 1), {"wrap": True}),
    ("tall_wrap_6_by_2", (6, 2), {"wrap": True}),
    ("cube", (3, 3, 3), {}),
    ("4d", (2, 2, 2, 2), {"wrap": True}),
    ("single", (1, 1, 1), {}),
]


@pytest.mark.parametrize(
    "shape, options", [c[1:] for c in FILL_DIAGONAL], ids=[c[0] for c in FILL_DIAGONAL]
)
def test_fill_diagonal_matches_torch(shape, options):
    def filled(t, x):
        y = x * 1
        version = y._version
        assert y.fill_diagonal_(-3.5, **options) is y
        # torch moves it twice when the diagonal wraps (two writes); ember once
        assert y._version > version
        return y

    check(filled, [shape])


def test_fill_diagonal_values_and_views():
    check(lambda t, x: (x * 1).t().fill_diagonal_(t.tensor(2.0)), [(4, 3)])
    check_outcome(lambda t, x: x.long().fill_diagonal_(2.5), np.ones((2, 3), np.float32))
    check_outcome(lambda t, x: x.byte().fill_diagonal_(-1), np.ones((2, 3), np.float32))
    check_outcome(lambda t, x: (x > 0).fill_diagonal_(False), np.ones((2, 3), np.float32))
    check_outcome(lambda t, x: x.fill_diagonal_(fill_value=True, wrap=True), np.ones((2, 3)))
    check_gradcheck(lambda t, x: (x * 1).fill_diagonal_(0.5, wrap=True) ** 2, [(5, 2)], order=2)


def test_fill_diagonal_refuses_a_leaf():
    for lib in (ember, torch):
        with pytest.raises(RuntimeError, match="leaf"):
            lib.ones(2, 2, requires_grad=True).fill_diagonal_(1.0)


# Errors ------------------------------------------------------------------------------

X = np.zeros((3, 4), np.float32)
S = np.ones((2, 4), np.float32)

ERRORS = [
    # index_add: int32 or int64 positions, in range from 0, a vector; the source's shape
    ("index_add_int16", lambda t, x, s: x.index_add(0, positions(t, 0, 2).short(), s)),
    ("index_add_uint8", lambda t, x, s: x.index_add(0, positions(t, 0, 2).byte(), s)),
    ("index_add_float_index", lambda t, x, s: x.index_add(0, t.tensor([0.0, 2.0]), s)),
    ("index_add_empty_float_index", lambda t, x, s: x.index_add(0, t.tensor([]), s[:0])),
    ("index_add_2d_index", lambda t, x, s: x.index_add(0, t.tensor([[0, 2]]), s)),
    ("index_add_out_of_range", lambda t, x, s: x.index_add(0, positions(t, 0, 3), s)),
    ("index_add_negative", lambda t, x, s: x.index_add(0, positions(t, 0, -1), s)),
    ("index_add_0d_out_of_range", lambda t, x, s: x[0, 0].index_add(0, positions(t, 1), s[0, 0])),
    ("index_add_dtype", lambda t, x, s: x.index_add(0, positions(t, 0, 2), s.double())),
    ("index_add_source_shape", lambda t, x, s: x.index_add(0, positions(t, 0, 2), s[:, :3])),
    ("index_add_source_dims", lambda t, x, s: x.index_add(0, positions(t, 0, 2), s[0, :2])),
    ("index_add_count", lambda t, x, s: x.index_add(0, positions(t, 0), s)),
    ("index_add_no_broadcast", lambda t, x, s: x.index_add(0, positions(t, 0, 2), s[:, :1])),
    ("index_add_dim", lambda t, x, s: x.index_add(2, positions(t, 0, 2), s)),
    ("index_add_float_dim", lambda t, x, s: x.index_add(0.0, positions(t, 0, 2), s)),
    ("index_add_list_index", lambda t, x, s: x.index_add(0, [0, 2], s)),
    ("index_add_number_source", lambda t, x, s: x.index_add(0, positions(t, 0), 1.0)),
    (
        "index_add_alpha_overflow",
        lambda t, x, s: x.index_add(0, positions(t, 0, 2), s, alpha=1e300),
    ),
    (
        "index_add_alpha_nan_int",
        lambda t, x, s: x.long().index_add(0, positions(t, 0), s.long()[:1], alpha=float("nan")),
    ),
    ("index_add_alpha_1d", lambda t, x, s: x.index_add(0, positions(t, 0, 2), s, alpha=t.ones(1))),
    ("index_add_input_list", lambda t, x, s: t.index_add([1.0], 0, positions(t, 0), s[0, :1])),
    ("index_add__int_float", lambda t, x, s: x.long().index_add_(0, positions(t, 0, 2), s)),
    # index_copy: int64 positions only, in range from 0
    ("index_copy_int32", lambda t, x, s: x.index_copy(0, positions(t, 0, 2).int(), s)),
    ("index_copy_2d_index", lambda t, x, s: x.index_copy(0, t.tensor([[0, 2]]), s)),
    ("index_copy_out_of_range", lambda t, x, s: x.index_copy(0, positions(t, 0, 3), s)),
    ("index_copy_negative", lambda t, x, s: x.index_copy(0, positions(t, -1, 0), s)),
    ("index_copy_dtype", lambda t, x, s: x.index_copy(0, positions(t, 0, 2), s.double())),
    ("index_copy_slices", lambda t, x, s: x.index_copy(0, positions(t, 0, 2), s[:, :3])),
    ("index_copy_count", lambda t, x, s: x.index_copy(0, positions(t, 0), s)),
    ("index_copy_dims", lambda t, x, s: x.index_copy(0, positions(t, 0, 2), s[0, :2])),
    ("index_copy_0d_source_count", lambda t, x, s: x[0].index_copy(0, positions(t, 0, 1), s[0, 0])),
    ("index_copy_0d_source_slices", lambda t, x, s: x.index_copy(0, positions(t, 0), s[0, 0])),
    ("index_copy_alpha", lambda t, x, s: x.index_copy(0, positions(t, 0, 2), s, alpha=2)),
    # index_fill: int64 positions only, from -size; a 0-d value tensor; a number that fits
    ("index_fill_int32", lambda t, x, s: x.index_fill(0, positions(t, 0).int(), 1.0)),
    ("index_fill_float_index", lambda t, x, s: x.index_fill(0, t.tensor([0.0]), 1.0)),
    ("index_fill_2d_index", lambda t, x, s: x.index_fill(0, t.tensor([[0]]), 1.0)),
    ("index_fill_out_of_range", lambda t, x, s: x.index_fill(0, positions(t, 3), 1.0)),
    ("index_fill_negative_out_of_range", lambda t, x, s: x.index_fill(1, positions(t, -5), 1.0)),
    ("index_fill_0d_out_of_range", lambda t, x, s: x[0, 0].index_fill(0, positions(t, 1), 1.0)),
    ("index_fill_1d_value", lambda t, x, s: x.index_fill(0, positions(t, 1), s[0, :1])),
    (
        "index_fill_nan_into_int",
        lambda t, x, s: x.long().index_fill(0, positions(t, 1), float("nan")),
    ),
    ("index_fill_300_into_uint8", lambda t, x, s: x.byte().index_fill(0, positions(t, 1), 300)),
    ("index_fill_1e300_into_half", lambda t, x, s: x.half().index_fill(0, positions(t, 1), 1e300)),
    ("index_fill_complex", lambda t, x, s: x.index_fill(0, positions(t, 1), 1j)),
    ("index_fill_none", lambda t, x, s: x.index_fill(0, positions(t, 1), None)),
    ("index_fill_out", lambda t, x, s: t.index_fill(x, 0, positions(t, 1), 1.0, out=x)),
    # masked_scatter: a bool mask that broadcasts, a source of the input's dtype, enough of it
    ("masked_scatter_uint8_mask", lambda t, x, s: x.masked_scatter(t.ones(3, 4).byte(), s)),
    ("masked_scatter_float_mask", lambda t, x, s: x.masked_scatter(t.ones(3, 4), s)),
    ("masked_scatter_dtype", lambda t, x, s: x.masked_scatter(x == 0, s.double())),
    ("masked_scatter_too_small", lambda t, x, s: x.masked_scatter(x == 0, s)),
    ("masked_scatter_shapes", lambda t, x, s: x.masked_scatter(t.ones(3, dtype=t.bool), s)),
    ("masked_scatter__larger_mask", lambda t, x, s: x[0].masked_scatter_(x == 0, s)),
    ("masked_scatter_number", lambda t, x, s: x.masked_scatter(x == 0, 1.0)),
    ("masked_scatter_list_mask", lambda t, x, s: x[0].masked_scatter([True] * 4, s)),
    # take and put: int64 positions from -numel, of a tensor with elements
    ("take_int32", lambda t, x, s: x.take(positions(t, 1).int())),
    ("take_bool", lambda t, x, s: x.take(t.tensor([True]))),
    ("take_empty_float", lambda t, x, s: x.take(t.tensor([]))),
    ("take_out_of_range", lambda t, x, s: x.take(positions(t, 12))),
    ("take_negative_out_of_range", lambda t, x, s: x.take(positions(t, -13))),
    ("take_from_empty", lambda t, x, s: x[:0].take(positions(t, 0))),
    ("take_list", lambda t, x, s: x.take([1])),
    ("put_int32", lambda t, x, s: x.put(positions(t, 1).int(), s[0, :1])),
    ("put_out_of_range", lambda t, x, s: x.put(positions(t, 12), s[0, :1])),
    ("put_accumulate_out_of_range", lambda t, x, s: x.put(positions(t, -13), s[0, :1], True)),
    ("put_count", lambda t, x, s: x.put(positions(t, 1, 2), s[0, :3])),
    ("put_dtype", lambda t, x, s: x.put(positions(t, 1), s[0, :1].long())),
    ("put_number", lambda t, x, s: x.put(positions(t, 1), 1.0)),
    ("put_into_empty", lambda t, x, s: x[:0].put(positions(t, 0), s[0, :1])),
    ("put_accumulate_int", lambda t, x, s: x.put(positions(t, 1), s[0, :1], accumulate=1)),
    ("put_out", lambda t, x, s: t.put(x, positions(t, 1), s[0, :1], out=x)),
    ("put__expanded", lambda t, x, s: s[:1].expand(3, 4).put_(positions(t, 1), s[0, :1])),
    # index_put: a tuple of int, int32 or bool tensors; values of the input's dtype and shape
    ("index_put_tensor_not_tuple", lambda t, x, s: x.index_put(positions(t, 0), s[0])),
    ("index_put_none_item", lambda t, x, s: x.index_put((None, positions(t, 0)), s[0, 0])),
    ("index_put_list_item", lambda t, x, s: x.index_put(([0],), s[0])),
    ("index_put_generator", lambda t, x, s: x.index_put((i for i in [positions(t, 0)]), s[0])),
    ("index_put_empty_tuple", lambda t, x, s: x.index_put((), s[0, 0])),
    ("index_put_int16", lambda t, x, s: x.index_put((positions(t, 0).short(),), s[0])),
    ("index_put_float_index", lambda t, x, s: x.index_put((t.tensor([0.0]),), s[0])),
    ("index_put_out_of_range", lambda t, x, s: x.index_put((positions(t, 3),), s[0])),
    ("index_put_negative_out_of_range", lambda t, x, s: x.index_put((positions(t, -4),), s[0])),
    (
        "index_put_accumulate_out_of_range",
        lambda t, x, s: x.index_put((positions(t, 0), positions(t, 4)), s[0, 0], True),
    ),
    ("index_put_too_many", lambda t, x, s: x.index_put((positions(t, 0),) * 3, s[0, 0])),
    ("index_put_0d_bool_into_0d", lambda t, x, s: x[0, 0].index_put((t.tensor(True),), s[0, 0])),
    (
        "index_put_indices_apart",
        lambda t, x, s: x.index_put((positions(t, 0, 1), positions(t, 0, 1, 2)), s[0, 0]),
    ),
    ("index_put_dtype", lambda t, x, s: x.index_put((positions(t, 0),), s[0].double())),
    ("index_put_number", lambda t, x, s: x.index_put((positions(t, 0),), 1.0)),
    ("index_put_values_shape", lambda t, x, s: x.index_put((positions(t, 0, 1),), s[0, :3])),
    (
        "index_put_accumulate_values_shape",
        lambda t, x, s: x.index_put((positions(t, 0, 1),), s[0, :3], True),
    ),
    (
        "index_put_accumulate_leading_ones",
        lambda t, x, s: x.index_put((positions(t, 0, 1),), s[:1, None], True),
    ),
    (
        "index_put_accumulate_int",
        lambda t, x, s: x.index_put((positions(t, 0),), s[0], accumulate=1),
    ),
    ("index_put_input_list", lambda t, x, s: t.index_put([1.0], (positions(t, 0),), s[0, 0])),
    # fill_diagonal_: 2 or more dims of one size; a number that fits
    ("fill_diagonal_1d", lambda t, x, s: x[0].fill_diagonal_(1.0)),
    ("fill_diagonal_0d", lambda t, x, s: x[0, 0].fill_diagonal_(1.0)),
    ("fill_diagonal_unequal_dims", lambda t, x, s: t.zeros(2, 2, 3).fill_diagonal_(1.0)),
    ("fill_diagonal_1d_value", lambda t, x, s: x.fill_diagonal_(s[0, :1])),
    (
        "fill_diagonal_value_needs_grad",
        lambda t, x, s: x.fill_diagonal_(t.ones((), requires_grad=True)),
    ),
    ("fill_diagonal_str", lambda t, x, s: x.fill_diagonal_("1")),
    ("fill_diagonal_none", lambda t, x, s: x.fill_diagonal_(None)),
    ("fill_diagonal_complex", lambda t, x, s: x.fill_diagonal_(1j)),
    ("fill_diagonal_nan_into_int", lambda t, x, s: x.long().fill_diagonal_(float("nan"))),
    ("fill_diagonal_300_into_uint8", lambda t, x, s: x.byte().fill_diagonal_(300)),
    ("fill_diagonal_1e10_into_half", lambda t, x, s: x.half().fill_diagonal_(1e10)),
    ("fill_diagonal_2_63_into_int64", lambda t, x, s: x.long().fill_diagonal_(2**63)),
    ("fill_diagonal_wrap_int", lambda t, x, s: x.fill_diagonal_(1.0, wrap=1)),
    ("fill_diagonal_wrap_none", lambda t, x, s: x.fill_diagonal_(1.0, wrap=None)),
]


@pytest.mark.parametrize("fn", [c[1] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_errors_match_torch(fn):
    check_error(fn, X, S)


def test_function_forms_exist_where_torch_has_them():
    for name in ("index_add", "index_copy", "index_fill", "masked_scatter", "take", "put"):
        assert hasattr(ember, name) and hasattr(torch, name)
    assert hasattr(ember, "index_put") and hasattr(ember, "index_put_")
    for name in ("index_add_", "index_copy_", "index_fill_", "masked_scatter_", "put_"):
        assert not hasattr(torch, name) and not hasattr(ember, name)
    assert not hasattr(torch, "fill_diagonal_") and not hasattr(ember, "fill_diagonal_")


def test_out_is_refused_where_torch_takes_it():
    """ember has no ``out=`` (see docs/differences.md): refused, not silently ignored."""
    x, index = ember.zeros(3), positions(ember, 1)
    for call in (
        lambda: ember.index_add(x, 0, index, ember.ones(1), out=x),
        lambda: ember.index_copy(x, 0, index, ember.ones(1), out=x),
        lambda: ember.take(x, index, out=x),
    ):
        with pytest.raises(NotImplementedError, match="out="):
            call()
