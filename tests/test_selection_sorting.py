"""Gathering and sorting: gather, scatter (scatter_add, in place), index_select,
masked_select, take_along_dim; sort, argsort, msort, topk, kthvalue, unique.

Where values tie, torch's topk and kthvalue may return any index of the tied values
(their kernels select, they do not sort): those cases compare values alone. sort
(stable or not) and argsort compare indices too, as torch's CPU sort is stable.
"""

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error, check_gradcheck

import ember

NAN, INF = float("nan"), float("inf")


def index(*rows):
    return np.array(rows if len(rows) != 1 else rows[0], dtype=np.int64)


def mask(*rows):
    return np.array(rows if len(rows) != 1 else rows[0], dtype=bool)


ROW_INDEX = index([0, 3, 1], [2, 1, 0])  # no position twice in a row: scatter is exact
REPEATED = index([0, 0, 1], [3, 3, 3])  # positions read (or added to) twice
TIES = np.array([[3.0, 1.0, 2.0, 1.0], [NAN, 0.0, -1.0, INF], [2.0, 2.0, 2.0, 2.0]], np.float32)
DISTINCT = np.array([[0.5, -1.5, 2.0, 0.25], [1.0, 3.0, -2.0, -0.5], [4.0, -3.0, 0.0, 1.5]])

# (name, fn, inputs): each differentiable, compared with torch in values and gradients.
GATHERING = [
    ("gather", lambda t, x, i: x.gather(1, i), [(3, 4), ROW_INDEX]),
    ("gather_repeated", lambda t, x, i: t.gather(x, 1, i), [(3, 4), REPEATED]),
    ("gather_dim0", lambda t, x, i: t.gather(x, 0, i), [(3, 4), index([[2, 0, 1, 1]])]),
    ("gather_negative_dim", lambda t, x, i: t.gather(x, -1, i), [(3, 4), ROW_INDEX]),
    ("gather_keywords", lambda t, x, i: t.gather(x, dim=1, index=i), [(3, 4), REPEATED]),
    ("gather_int32_index", lambda t, x, i: x.gather(1, i.int()), [(3, 4), ROW_INDEX]),
    ("gather_longer_along_dim", lambda t, x, i: x.gather(1, i), [(2, 3), np.ones((2, 6), int)]),
    ("gather_3d", lambda t, x, i: x.gather(1, i), [(2, 3, 4), np.tile([[[2], [0]]], (2, 1, 4))]),
    ("gather_0d", lambda t, x, i: x.gather(0, i), [(), index(0)]),
    ("gather_0d_input_1d_index", lambda t, x, i: x.gather(0, i), [(), index([0, 0])]),
    ("gather_1d_input_0d_index", lambda t, x, i: x.gather(0, i), [(4,), index(2)]),
    ("gather_empty_index", lambda t, x, i: x.gather(1, i), [(3, 4), np.zeros((3, 0), int)]),
    ("scatter", lambda t, x, i, s: x.scatter(1, i, s), [(3, 4), ROW_INDEX, (2, 3)]),
    ("scatter_fn", lambda t, x, i, s: t.scatter(x, 0, i, s), [(3, 4), index([[2, 0]]), (1, 2)]),
    ("scatter_src_keyword", lambda t, x, i, s: x.scatter(1, i, src=s), [(3, 4), ROW_INDEX, (2, 3)]),
    ("scatter_value", lambda t, x, i: x.scatter(1, i, 2.5), [(3, 4), REPEATED]),
    ("scatter_value_keyword", lambda t, x, i: t.scatter(x, 1, i, value=-1), [(3, 4), REPEATED]),
    ("scatter_0d", lambda t, x, i, s: x.scatter(0, i, s), [(), index(0), ()]),
    ("scatter_add", lambda t, x, i, s: x.scatter_add(1, i, s), [(3, 4), REPEATED, (2, 3)]),
    (
        "scatter_add_fn",
        lambda t, x, i, s: t.scatter_add(x, 0, i, s),
        [(3, 4), REPEATED % 3, (2, 3)],
    ),
    ("scatter_in_place", lambda t, x, i, s: (x * 1).scatter_(1, i, s), [(3, 4), ROW_INDEX, (2, 3)]),
    ("scatter_value_in_place", lambda t, x, i: (x * 1).scatter_(1, i, 3.0), [(3, 4), REPEATED]),
    (
        "scatter_add_in_place",
        lambda t, x, i, s: (x * 1).scatter_add_(1, i, s),
        [(3, 4), REPEATED, (2, 3)],
    ),
    ("index_select", lambda t, x, i: x.index_select(1, i), [(3, 4), index([3, 0, 3])]),
    ("index_select_fn", lambda t, x, i: t.index_select(x, 0, i), [(3, 4), index([2, 2])]),
    ("index_select_negative_dim", lambda t, x, i: x.index_select(-2, i), [(3, 4), index([1])]),
    ("index_select_0d_index", lambda t, x, i: x.index_select(1, i), [(3, 4), index(2)]),
    ("index_select_int32", lambda t, x, i: x.index_select(1, i.int()), [(3, 4), index([1, 1])]),
    ("index_select_empty", lambda t, x, i: x.index_select(1, i), [(3, 4), np.zeros(0, int)]),
    ("index_select_0d_input", lambda t, x, i: t.index_select(x, 0, i), [(), index(0)]),
    ("masked_select", lambda t, x: x.masked_select(x > 0), [(3, 4)]),
    (
        "masked_select_fn",
        lambda t, x, m: t.masked_select(x, m),
        [(3, 4), mask([True, False] * 6).reshape(3, 4)],
    ),
    (
        "masked_select_mask_broadcast",
        lambda t, x, m: x.masked_select(m),
        [(3, 4), mask([True, False, True, False])],
    ),
    (
        "masked_select_input_broadcast",
        lambda t, x, m: x.masked_select(m),
        [(4,), np.ones((2, 4), bool)],
    ),
    ("masked_select_0d", lambda t, x, m: x.masked_select(m), [(), mask(True)]),
    ("masked_select_none", lambda t, x, m: x.masked_select(m), [(2, 3), np.zeros((2, 3), bool)]),
    (
        "take_along_dim",
        lambda t, x, i: t.take_along_dim(x, i, 1),
        [(3, 4), ROW_INDEX[:, :1].repeat(3, 0)[:3]],
    ),
    (
        "take_along_dim_method",
        lambda t, x, i: x.take_along_dim(i, dim=0),
        [(3, 4), index([[2, 0, 1, 1]])],
    ),
    (
        "take_along_dim_broadcast",
        lambda t, x, i: t.take_along_dim(x, i, 1),
        [(3, 4), index([[0, 3]])],
    ),
    (
        "take_along_dim_input_broadcast",
        lambda t, x, i: t.take_along_dim(x, i, 1),
        [(1, 4), index([[0, 3], [1, 1]])],
    ),
    (
        "take_along_dim_negative",
        lambda t, x, i: t.take_along_dim(x, i, -1),
        [(3, 4), index([[-1], [0], [-4]])],
    ),
    ("take_along_dim_flat", lambda t, x, i: t.take_along_dim(x, i), [(3, 4), index([0, 11, 5])]),
    (
        "take_along_dim_flat_2d",
        lambda t, x, i: t.take_along_dim(x, i),
        [(3, 4), index([[0, 11], [5, 5]])],
    ),
    ("take_along_dim_argsort", lambda t, x: t.take_along_dim(x, x.argsort(1), dim=1), [(3, 4)]),
]

# Values with no ties (random floats): indices are compared everywhere.
SORTING = [
    ("sort_values", lambda t, x: x.sort().values, [(3, 5)]),
    ("sort_fn_dim0", lambda t, x: t.sort(x, 0)[0], [(3, 5)]),
    ("sort_descending", lambda t, x: x.sort(descending=True).values, [(3, 5)]),
    ("sort_positional", lambda t, x: t.sort(x, 0, True).values, [(3, 5)]),
    ("sort_stable", lambda t, x: x.sort(stable=True).values, [(3, 5)]),
    ("sort_negative_dim", lambda t, x: x.sort(-2).values, [(2, 3, 4)]),
    ("sort_3d_middle", lambda t, x: x.sort(1, descending=True).values, [(2, 3, 4)]),
    ("sort_0d", lambda t, x: x.sort().values, [()]),
    ("sort_empty", lambda t, x: x.sort(0).values, [(0, 3)]),
    ("msort", lambda t, x: t.msort(x), [(4, 3)]),
    ("msort_method", lambda t, x: x.msort(), [(4, 3)]),
    ("topk", lambda t, x: x.topk(2).values, [(3, 5)]),
    ("topk_smallest", lambda t, x: t.topk(x, 3, largest=False).values, [(3, 5)]),
    ("topk_dim0", lambda t, x: x.topk(1, dim=0).values, [(3, 5)]),
    ("topk_keywords", lambda t, x: t.topk(x, k=2, dim=-2, largest=True, sorted=True)[0], [(3, 5)]),
    ("topk_all", lambda t, x: x.topk(5).values, [(3, 5)]),
    ("topk_k0", lambda t, x: x.topk(0).values, [(3, 5)]),
    ("topk_0d", lambda t, x: x.topk(1).values, [()]),
    ("kthvalue", lambda t, x: x.kthvalue(2).values, [(3, 5)]),
    ("kthvalue_keepdim", lambda t, x: t.kthvalue(x, 3, 0, True).values, [(3, 5)]),
    ("kthvalue_keywords", lambda t, x: t.kthvalue(x, k=1, dim=-1, keepdim=False)[0], [(3, 5)]),
    ("kthvalue_0d", lambda t, x: x.kthvalue(1).values, [()]),
]

# Whole results (values and indices, or integer outputs), without gradients.
WHOLE_RESULTS = [
    ("sort", lambda t, x: x.sort(), [(3, 5)]),
    ("sort_descending_dim0", lambda t, x: t.sort(x, 0, descending=True), [(3, 5)]),
    ("argsort", lambda t, x: x.argsort(), [(3, 5)]),
    ("argsort_fn", lambda t, x: t.argsort(x, 0, True), [(3, 5)]),
    ("argsort_0d", lambda t, x: t.argsort(x), [()]),
    ("topk", lambda t, x: x.topk(2), [(3, 5)]),
    ("topk_smallest_dim0", lambda t, x: x.topk(2, 0, False), [(3, 5)]),
    ("kthvalue", lambda t, x: x.kthvalue(3), [(3, 5)]),
    ("kthvalue_keepdim", lambda t, x: x.kthvalue(1, 0, keepdim=True), [(3, 5)]),
    ("sort_ties_stable", lambda t, x: x.sort(stable=True), [TIES]),
    (
        "sort_ties_descending_stable",
        lambda t, x: t.sort(x, dim=1, descending=True, stable=True),
        [TIES],
    ),
    ("sort_ties_dim0", lambda t, x: x.sort(dim=0, stable=True), [TIES]),
    ("argsort_ties", lambda t, x: x.argsort(descending=True, stable=True), [TIES]),
    ("sort_ties_default", lambda t, x: x.sort(), [TIES]),
    ("topk_ties_values", lambda t, x: x.topk(2).values, [TIES]),
    ("topk_ties_smallest_values", lambda t, x: x.topk(3, largest=False).values, [TIES]),
    ("kthvalue_ties_values", lambda t, x: x.kthvalue(2).values, [TIES]),
    ("kthvalue_nan_last", lambda t, x: x.kthvalue(4), [TIES[1:2]]),
    ("topk_nan_first", lambda t, x: x.topk(2), [TIES[1:2]]),
    ("sort_int", lambda t, x: x.sort(descending=True), [index([3, -1, 2, 7, 0])]),
    (
        "sort_int8_extremes",
        lambda t, x: x.sort(descending=True),
        [np.array([-128, 127, 0], np.int8)],
    ),
    ("sort_bool", lambda t, x: x.sort(), [mask([True, False, True])]),
    ("sort_float16", lambda t, x: x.sort(), [TIES.astype(np.float16)]),
    ("topk_int", lambda t, x: x.topk(2), [index([3, -1, 2, 7, 0])]),
    ("kthvalue_int", lambda t, x: x.kthvalue(2), [index([3, -1, 2, 7, 0])]),
    ("sort_negative_zero", lambda t, x: x.sort(stable=True), [np.array([0.0, -0.0, 0.0, -0.0])]),
    ("unique", lambda t, x: t.unique(x), [index([3, 1, 2, 1, 3])]),
    ("unique_method", lambda t, x: x.unique(), [index([[3, 1], [2, 1]])]),
    ("unique_inverse", lambda t, x: t.unique(x, return_inverse=True), [index([[3, 1], [2, 1]])]),
    ("unique_counts", lambda t, x: t.unique(x, return_counts=True), [index([3, 1, 2, 1, 3])]),
    ("unique_both", lambda t, x: t.unique(x, True, True, True), [index([3, 1, 2, 1, 3])]),
    ("unique_unsorted", lambda t, x: t.unique(x, sorted=False), [index([3, 1, 2, 1, 3])]),
    ("unique_float_nan", lambda t, x: t.unique(x, return_counts=True), [TIES]),
    ("unique_0d", lambda t, x: t.unique(x, return_inverse=True), [np.array(2.0)]),
    (
        "unique_empty",
        lambda t, x: t.unique(x, return_inverse=True, return_counts=True),
        [np.zeros(0)],
    ),
    ("unique_bool", lambda t, x: t.unique(x, return_counts=True), [mask([True, False, True])]),
]

DIFFERENTIABLE = GATHERING + SORTING


def _ids(cases):
    return [case[0] for case in cases]


@pytest.mark.parametrize("fn, inputs", [c[1:] for c in DIFFERENTIABLE], ids=_ids(DIFFERENTIABLE))
def test_matches_torch(fn, inputs):
    check(fn, inputs)


@pytest.mark.parametrize("fn, inputs", [c[1:] for c in WHOLE_RESULTS], ids=_ids(WHOLE_RESULTS))
def test_whole_results_match_torch(fn, inputs):
    check(fn, inputs, grad=False)


# gradcheck needs distinct values where the order matters, which random floats give.
@pytest.mark.parametrize("fn, inputs", [c[1:] for c in DIFFERENTIABLE], ids=_ids(DIFFERENTIABLE))
def test_gradients_match_finite_differences(fn, inputs):
    check_gradcheck(fn, inputs)


@pytest.mark.parametrize("fn, inputs", [c[1:] for c in DIFFERENTIABLE], ids=_ids(DIFFERENTIABLE))
def test_second_order_gradients(fn, inputs):
    check_gradcheck(fn, inputs, order=2)


def _pair(inputs):
    """The inputs as ember and torch tensors; the floating ones require grad."""
    rng = np.random.default_rng(0)
    ember_inputs, torch_inputs = [], []
    for item in inputs:
        array = item if isinstance(item, np.ndarray) else rng.uniform(-2, 2, item)
        floating = array.dtype.kind == "f"
        ember_inputs.append(ember.tensor(array, requires_grad=floating))
        torch_inputs.append(torch.tensor(array, requires_grad=floating))
    return ember_inputs, torch_inputs


def _node_names(node):
    """The names of the nodes ``node`` lists (torch's leaf node is torch::autograd::...)."""
    return [
        None if next_node is None else next_node.name().replace("torch::autograd::", "")
        for next_node, _ in node.next_functions
    ]


@pytest.mark.parametrize("fn, inputs", [c[1:] for c in DIFFERENTIABLE], ids=_ids(DIFFERENTIABLE))
def test_nodes_named_as_in_torch(fn, inputs):
    """grad_fn.name() and the names of the nodes it lists in next_functions."""
    ember_inputs, torch_inputs = _pair(inputs)
    ember_out, torch_out = fn(ember, *ember_inputs), fn(torch, *torch_inputs)
    assert ember_out.requires_grad == torch_out.requires_grad
    if torch_out.grad_fn is None:
        assert ember_out.grad_fn is None
        return
    assert ember_out.grad_fn.name() == torch_out.grad_fn.name()
    if "take_along_dim" not in fn.__code__.co_names:  # torch lists an ExpandBackward0 there
        assert _node_names(ember_out.grad_fn) == _node_names(torch_out.grad_fn)


def test_named_tuples_print_and_unpack_like_max():
    x = ember.tensor([[3.0, 1.0, 2.0]])
    values, indices = x.sort()
    assert repr(x.sort()).startswith("ember.return_types.sort(\nvalues=")
    assert repr(x.topk(1)).startswith("ember.return_types.topk(\nvalues=")
    assert repr(x.kthvalue(1)).startswith("ember.return_types.kthvalue(\nvalues=")
    assert x.topk(1).indices.tolist() == [[0]] and indices.dtype == ember.int64
    assert values.tolist() == [[1.0, 2.0, 3.0]] and not x.sort().indices.requires_grad


def test_sort_node_is_named_for_whether_stable_was_given():
    x = ember.tensor([2.0, 1.0], requires_grad=True)
    assert x.sort().values.grad_fn.name() == "SortBackward0"
    assert x.sort(stable=False).values.grad_fn.name() == "SortBackward1"
    assert ember.sort(x, stable=True).values.grad_fn.name() == "SortBackward1"


def test_scatter_with_a_larger_src_reads_its_leading_part():
    """torch's forward; its backward refuses this case (a shape error), ember's gives
    zeros to the part of src that was not read."""
    src = np.arange(6.0).reshape(2, 3)
    i = index([[1, 0]])
    check(lambda t, x, i, s: x.scatter(0, i, s), [np.zeros((3, 3)), i, src], grad=False)
    check_gradcheck(lambda t, x, i, s: x.scatter(0, i, s), [np.zeros((3, 3)), i, src])
    check_gradcheck(lambda t, x, i, s: x.scatter_add(0, i, s), [np.zeros((3, 3)), i, src])


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: t.zeros(3, dtype=t.int64).scatter(0, t.tensor([1]), 2.7),
        lambda t, x: t.zeros(3, dtype=t.uint8).scatter(0, t.tensor([1]), -1),
        lambda t, x: t.zeros(3, dtype=t.bool).scatter(0, t.tensor([1]), True),
        lambda t, x: t.zeros(3, dtype=t.int64).scatter_add(
            0, t.tensor([0, 0, 2]), t.tensor([1, 2, 3])
        ),
        lambda t, x: t.zeros(2, 3).scatter(0, t.zeros(3, 3, dtype=t.int64), t.ones(3, 3)),
        lambda t, x: t.zeros(2, 3).scatter(0, t.zeros(0, 3, dtype=t.int64), t.ones(3, 3)),
        lambda t, x: t.zeros(2, 3).scatter_add(0, t.zeros(1, 3, dtype=t.int32), t.ones(3, 3)),
        lambda t, x: t.arange(6).reshape(2, 3).gather(0, t.tensor([[1, 0, 1]])),
        lambda t, x: t.tensor([True, False]).gather(0, t.tensor([1, 1, 0])),
        lambda t, x: t.tensor([[1, 2], [3, 4]]).index_select(0, t.tensor([1])),
        lambda t, x: t.arange(6).masked_select(t.arange(6) > 2),
    ],
    ids=[
        "value_truncates",
        "value_wraps_uint8",
        "bool",
        "scatter_add_int",
        "index_longer_than_self_along_dim",
        "empty_index",
        "int32_index",
        "gather_int",
        "gather_bool",
        "index_select_int",
        "masked_select_int",
    ],
)
def test_integer_and_bool_tensors(fn):
    check(fn, [()], grad=False)


def test_scatter_in_place_keeps_the_tensor_and_counts_a_version():
    for lib in (ember, torch):
        x = lib.zeros(3, 4)
        before = x._version
        result = x.scatter_(1, lib.tensor([[0, 1]]), 1.0)
        result = x.scatter_add_(0, lib.tensor([[0, 2]]), lib.ones(1, 2))
        assert result is x and x._version == before + 2
        assert x.tolist() == [[2.0, 1.0, 0.0, 0.0], [0.0] * 4, [0.0, 1.0, 0.0, 0.0]]


def test_unique_keeps_history_but_has_no_gradient():
    x = ember.tensor([1.0, 1.0, 2.0], requires_grad=True)
    values = ember.unique(x)
    assert values.grad_fn.name() == "Unique2Backward0"
    check_error(lambda t: t.unique(t.tensor([1.0, 2.0], requires_grad=True)).sum().backward())
    values, inverse = ember.unique(x, return_inverse=True)
    assert not inverse.requires_grad


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: x.gather(1, t.tensor([[0.0]])),
        lambda t, x: x.gather(1, t.tensor([[0]], dtype=t.int16)),
        lambda t, x: x.gather(1, [[0]]),
        lambda t, x: x.gather(1, t.tensor([0, 1])),
        lambda t, x: x.gather(1, t.tensor([[4]])),
        lambda t, x: x.gather(1, t.tensor([[-1]])),
        lambda t, x: x.gather(2, t.tensor([[0]])),
        lambda t, x: x.gather(1, t.zeros(4, 2, dtype=t.int64)),
        lambda t, x: x.scatter(1, t.tensor([[0]]), x.double()),
        lambda t, x: x.scatter(1, t.tensor([[0, 1]]), t.ones(1, 1)),
        lambda t, x: x.scatter(1, t.tensor([0]), 1.0),
        lambda t, x: x.scatter(1, t.tensor([[0]]), t.tensor(1.0)),
        lambda t, x: x.scatter(1, t.tensor([[4]]), 1.0),
        lambda t, x: x.scatter(1, t.tensor([[0.0]]), 1.0),
        lambda t, x: x.scatter(1, t.tensor([[0]]), 1.0, reduce="max"),
        lambda t, x: x.scatter_add(1, t.tensor([[0]]), 1.0),
        lambda t, x: t.zeros(2, dtype=t.int8).scatter(0, t.tensor([0]), 300),
        lambda t, x: t.zeros(2, dtype=t.int8).scatter(0, t.tensor([0]), NAN),
        lambda t, x: t.zeros(3, requires_grad=True).scatter_(0, t.tensor([0]), 1.0),
        lambda t, x: x.index_select(1, t.tensor([[0]])),
        lambda t, x: x.index_select(1, t.tensor([0.0])),
        lambda t, x: x.index_select(1, t.tensor([True])),
        lambda t, x: x.index_select(0, t.tensor([3])),
        lambda t, x: x.index_select(0, t.tensor([-1])),
        lambda t, x: x.index_select(1, [0]),
        lambda t, x: t.tensor(1.0).index_select(0, t.tensor([0, 0])),
        lambda t, x: x.masked_select(t.ones(3, 4, dtype=t.uint8)),
        lambda t, x: x.masked_select(t.ones(3, dtype=t.bool)),
        lambda t, x: x.masked_select([True]),
        lambda t, x: t.masked_select([1.0], t.tensor([True])),
        lambda t, x: t.take_along_dim(x, t.tensor([[0]], dtype=t.int32), 1),
        lambda t, x: t.take_along_dim(x, t.tensor([0]), 1),
        lambda t, x: t.take_along_dim(x, t.zeros(2, 1, dtype=t.int64), 1),
        lambda t, x: t.take_along_dim(t.tensor(1.0), t.tensor(0), 0),
        lambda t, x: x.sort(2),
        lambda t, x: x.sort(1.0),
        lambda t, x: t.sort([3, 1]),
        lambda t, x: t.sort(x, 1, True, True),
        lambda t, x: x.argsort(-3),
        lambda t, x: x.topk(5),
        lambda t, x: x.topk(-1),
        lambda t, x: x.topk(1.0),
        lambda t, x: t.tensor(1.0).topk(2),
        lambda t, x: t.tensor([True, False]).topk(1),
        lambda t, x: x.kthvalue(0),
        lambda t, x: x.kthvalue(5),
        lambda t, x: t.tensor(1.0).kthvalue(2),
        lambda t, x: t.zeros(0).kthvalue(1),
        lambda t, x: t.tensor([True, False]).kthvalue(1),
        lambda t, x: t.unique([1, 2]),
    ],
    ids=[
        "gather_float_index",
        "gather_int16_index",
        "gather_list_index",
        "gather_fewer_dims",
        "gather_out_of_range",
        "gather_negative_index",
        "gather_dim_out_of_range",
        "gather_index_too_large",
        "scatter_src_dtype",
        "scatter_src_too_small",
        "scatter_fewer_dims",
        "scatter_0d_src",
        "scatter_out_of_range",
        "scatter_float_index",
        "scatter_reduce_unknown",
        "scatter_add_number",
        "scatter_value_overflows",
        "scatter_nan_into_int",
        "scatter_in_place_on_leaf",
        "index_select_2d_index",
        "index_select_float_index",
        "index_select_bool_index",
        "index_select_out_of_range",
        "index_select_negative",
        "index_select_list",
        "index_select_0d_input_two_values",
        "masked_select_uint8_mask",
        "masked_select_shapes",
        "masked_select_list_mask",
        "masked_select_list_input",
        "take_along_dim_int32",
        "take_along_dim_fewer_dims",
        "take_along_dim_shapes",
        "take_along_dim_0d_with_dim",
        "sort_dim_out_of_range",
        "sort_float_dim",
        "sort_list",
        "sort_stable_by_position",
        "argsort_dim_out_of_range",
        "topk_k_too_large",
        "topk_negative_k",
        "topk_float_k",
        "topk_0d_k2",
        "topk_bool",
        "kthvalue_k0",
        "kthvalue_k_too_large",
        "kthvalue_0d_k2",
        "kthvalue_empty",
        "kthvalue_bool",
        "unique_list",
    ],
)
def test_wrong_uses_raise_torch_errors(fn):
    check_error(fn, np.arange(12.0, dtype=np.float32).reshape(3, 4))


def test_unique_along_a_dim_is_not_built():
    with pytest.raises(NotImplementedError, match="dim"):
        ember.unique(ember.tensor([[1, 2], [1, 2]]), dim=0)


def test_random_sorts_match_torch():
    """Random shapes, dims and small integer values (many ties), stable: every index.
    unique's inverse is compared without NaNs: each NaN is a value of its own, and torch
    numbers the NaNs of the input in an order of its kernel's."""
    rng = np.random.default_rng(1)
    for _ in range(40):
        shape = tuple(rng.integers(0, 5, rng.integers(1, 4)))
        values = rng.integers(-3, 4, shape).astype(np.float32)
        assert_same(
            ember.unique(ember.tensor(values), return_inverse=True, return_counts=True),
            torch.unique(torch.tensor(values), return_inverse=True, return_counts=True),
        )
        values[rng.random(shape) < 0.1] = NAN
        dim = int(rng.integers(-len(shape), len(shape)))
        descending = bool(rng.integers(2))
        e, t = ember.tensor(values), torch.tensor(values)
        assert_same(
            e.sort(dim=dim, descending=descending, stable=True),
            t.sort(dim=dim, descending=descending, stable=True),
        )
        assert_same(ember.unique(e, return_counts=True), torch.unique(t, return_counts=True))
        if shape[dim]:
            k = int(rng.integers(0, shape[dim] + 1))
            assert_same(e.topk(k, dim, descending).values, t.topk(k, dim, descending).values)
