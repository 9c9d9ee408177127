"""Ordering along a dim: sort, argsort, msort, topk, kthvalue, and unique.

Each one orders positions by a stable sort, as PyTorch's CPU sort does: equal
values keep their order, also when descending, and NaN counts as larger than
everything (last ascending, first descending). sort, topk and kthvalue then read
their values at those positions (``Gather``), so their gradient goes back to the
places the values came from. Where PyTorch's topk and kthvalue meet equal values
they may return other indices of them (their kernels select, they do not sort);
the values are the same.
"""

from .. import return_types
from ..arguments import bool_argument, check_bools, integer_argument
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from ..creation import refuse_out
from ..dims import takes_axis
from ..tensor import Tensor
from .gathering import Gather
from .reductions import refuse_empty_reduction

_NOT_GIVEN = object()  # sort's stable: PyTorch names the node by whether it was given


def stable_order(data, axis, descending):
    """The positions that sort ``data`` along ``axis`` (int64), equal values in their
    order. Descending: the ascending order of the reversed data, reversed, which keeps
    equal values in their order and puts NaN first."""
    namespace = xp(data)
    if data.ndim == 0:
        return namespace.zeros((), "int64")
    if not descending:
        return namespace.argsort(data, axis=axis, kind="stable").astype("int64", copy=False)
    reversed_order = namespace.argsort(namespace.flip(data, axis), axis=axis, kind="stable")
    last = data.shape[axis] - 1
    return (last - namespace.flip(reversed_order, axis)).astype("int64", copy=False)


def _checked_dim(input, dim, op_name):
    """``dim`` as a non-negative index, with PyTorch's errors for a non-int or one out of
    range."""
    return input._dim(integer_argument(dim, op_name, "dim"))


@takes_axis
def sort(input, dim=-1, descending=False, *, stable=_NOT_GIVEN, out=None):
    """``(values, indices)`` along ``dim``. ember's sort is always stable."""
    refuse_out(out, "sort")
    if stable is not _NOT_GIVEN and stable is not None:
        bool_argument(stable, "sort", "stable")
    bool_argument(descending, "sort", "descending")
    axis = _checked_dim(input, dim, "sort")
    order = stable_order(input._data, axis, descending)
    values = SortValues.apply(input, order, axis, stable is not _NOT_GIVEN)
    return return_types.sort(values, Tensor._make(order))


@takes_axis
def argsort(input, dim=-1, descending=False, *, stable=False):
    """The positions that sort ``input`` along ``dim``; always stable, so ``stable``
    changes nothing."""
    bool_argument(stable, "argsort", "stable")
    bool_argument(descending, "argsort", "descending")
    axis = _checked_dim(input, dim, "argsort")
    return Tensor._make(stable_order(input._data, axis, descending))


def msort(input, *, out=None):
    refuse_out(out, "msort")
    return sort(input, 0).values


class SortValues(Gather):
    """sort's values: PyTorch names the node SortBackward1 when ``stable`` was given."""

    def forward(self, a, order, axis, stable_given):
        self.stable_given = stable_given
        return super().forward(a, order, axis)

    def backward(self, grad):
        return super().backward(grad) + (None,)

    def name(self):
        return "SortBackward1" if self.stable_given else "SortBackward0"


@takes_axis
def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None):
    """The ``k`` largest (or smallest) values along ``dim``, largest first (smallest first),
    and their indices. ``sorted=False`` is allowed to give any order; ember sorts."""
    refuse_out(out, "topk")
    k = integer_argument(k, "topk", "k")
    check_bools("topk", largest=largest, sorted=sorted)
    axis = _checked_dim(input, dim, "topk")
    if input._data.dtype.kind == "b":
        raise RuntimeError("topk() does not support bool tensors; convert with .long() first")
    size = input.shape[axis] if input.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError(f"topk(): k={k} is out of range: dim {axis} has {size} elements")
    order = _top_positions(input._data, k, axis, largest)
    return return_types.topk(Topk.apply(input, order, axis), Tensor._make(order))


def _top_positions(data, k, axis, largest):
    """The positions of the ``k`` largest (smallest) values along ``axis``, in order.

    A partition finds the k first, then only they are sorted (256x256, k=5: 0.6 ms where
    a whole sort takes 3). Among equal values at the cut, which are kept is the
    partition's choice, as it is the selection kernel's in PyTorch."""
    if data.ndim == 0:
        return stable_order(data, axis, largest)
    size = data.shape[axis]
    if k == size or k == 0:
        return stable_order(data, axis, largest)[(slice(None),) * axis + (slice(k),)]
    namespace = xp(data)
    kept = slice(size - k, None) if largest else slice(k)
    candidates = namespace.argpartition(data, size - k if largest else k - 1, axis=axis)
    candidates = namespace.sort(candidates[(slice(None),) * axis + (kept,)], axis=axis)
    order = stable_order(namespace.take_along_axis(data, candidates, axis), axis, largest)
    return namespace.take_along_axis(candidates, order, axis).astype("int64", copy=False)


class Topk(Gather):
    """topk's values: a ``Gather`` named for PyTorch's node, TopkBackward0."""


@takes_axis
def kthvalue(input, k, dim=-1, keepdim=False, *, out=None):
    """The ``k``-th smallest value along ``dim`` (k counts from 1) and its index."""
    refuse_out(out, "kthvalue")
    k = integer_argument(k, "kthvalue", "k")
    bool_argument(keepdim, "kthvalue", "keepdim")
    axis = _checked_dim(input, dim, "kthvalue")
    if input.ndim:
        refuse_empty_reduction(input, (axis,), "kthvalue")
    size = input.shape[axis] if input.ndim else 1
    if not 1 <= k <= size:
        raise RuntimeError(
            f"kthvalue(): k={k} is out of range for dimension {axis}, which has {size} elements"
        )
    if input._data.dtype.kind == "b" and input.ndim:  # (a 0-d tensor needs no kernel)
        raise NotImplementedError(
            "kthvalue() is not implemented for bool tensors; convert with .long() first"
        )
    order = stable_order(input._data, axis, False)
    if input.ndim:  # a copy: the indices would otherwise be a strided view of all the order
        order = xp(order).ascontiguousarray(order[(slice(None),) * axis + (slice(k - 1, k),)])
    values = Kthvalue.apply(input, order, axis, keepdim)
    indices = order if keepdim or not input.ndim else order.squeeze(axis)
    return return_types.kthvalue(values, Tensor._make(indices))


class Kthvalue(Gather):
    """The values at the k-th position of the order, with the dim dropped unless kept."""

    def forward(self, a, order, axis, keepdim):
        self.axis, self.drops_dim = axis, a.ndim and not keepdim
        values = super().forward(a, order, axis)
        return values.squeeze(axis) if self.drops_dim else values

    def backward(self, grad):
        if self.drops_dim:
            grad = grad.unsqueeze(self.axis)
        return super().backward(grad) + (None,)


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values of ``input``, ascending (``sorted=False`` gives them sorted too,
    as PyTorch's CPU kernel does), with, if asked, where each element's value is among
    them (``inverse``, in the input's shape) and how often each occurs (``counts``).
    Each NaN counts as distinct, as in PyTorch. With ``dim``, the distinct slices along
    that dim instead (see ``_unique_slices``)."""
    check_bools("unique", sorted=sorted, return_inverse=return_inverse, return_counts=return_counts)
    if dim is not None:
        return _unique_slices(input, dim, return_inverse, return_counts)
    data = input._data
    namespace = xp(data)
    flat = data.reshape(-1)
    order = stable_order(flat, 0, False)
    ordered = flat[order]
    starts = namespace.ones(ordered.shape, bool)
    starts[1:] = ordered[1:] != ordered[:-1]  # NaN != NaN: each NaN starts a group
    values = Unique.apply(input, ordered[starts], "Unique2Backward0")
    return with_inverse_and_counts(values, order, starts, data.shape, return_inverse, return_counts)


def _unique_slices(input, dim, return_inverse, return_counts):
    """The distinct slices of ``input`` along ``dim``, ordered as their elements read flat
    compare (the first that differs decides), with the inverse and counts along ``dim``.
    A slice holding a NaN is distinct from every other, as in PyTorch."""
    dim = integer_argument(dim, "unique", "dim")  # a float is a TypeError, even for 0-d
    if input.ndim == 0:
        raise IndexError(f"unique(): dim {dim} was given, but the tensor is 0-d (has no dims)")
    axis = _checked_dim(input, dim, "unique")
    data = input._data
    size = data.shape[axis]
    if data.size == 0 and (size or data.shape.count(0) > 1):
        raise RuntimeError(
            f"unique(): the slices along dim {axis} of a tensor of shape {list(data.shape)} are "
            "empty, so they cannot be told apart; a tensor with no elements takes only its one "
            "dim of size 0 as the dim"
        )
    order, starts, distinct = _grouped_slices(data, axis)
    values = Unique.apply(input, distinct, "UniqueDimBackward0")
    return with_inverse_and_counts(values, order, starts, (size,), return_inverse, return_counts)


def _grouped_slices(data, axis):
    """(order, starts, distinct) for the slices of ``data`` along ``axis``: ``order`` sorts
    them, ``starts`` marks, in that order, the first of each group of equal ones, and
    ``distinct`` holds one of each group, along ``axis``."""
    namespace = xp(data)
    size = data.shape[axis]
    if size == 0:  # no slices, and reshape(0, -1) could not tell their length
        return namespace.zeros(0, "int64"), namespace.zeros(0, bool), data.copy()
    slices = namespace.moveaxis(data, axis, 0).reshape(size, -1)
    order = namespace.lexsort(slices.T[::-1])  # stable: the first column decides first
    ordered = slices[order]
    starts = namespace.ones(size, bool)
    starts[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    return order, starts, namespace.take(data, order[starts], axis=axis)


def with_inverse_and_counts(values, order, starts, inverse_shape, return_inverse, return_counts):
    """unique's results: ``order`` sorts the elements (or slices), ``starts`` marks, in that
    order, the first of each group of equal ones."""
    namespace = xp(order)
    results = [values]
    if return_inverse:
        inverse = namespace.empty(order.shape, "int64")
        inverse[order] = namespace.cumsum(starts) - 1
        results.append(Tensor._make(inverse.reshape(inverse_shape)))
    if return_counts:
        group_starts = namespace.append(namespace.flatnonzero(starts), order.size)
        results.append(Tensor._make(namespace.diff(group_starts).astype("int64")))
    return values if len(results) == 1 else tuple(results)


class Unique(Function):
    """unique's values keep the input's history, as in PyTorch, but have no gradient."""

    listed_inputs = (0,)

    def forward(self, a, values, node_name):
        self.node_name = node_name
        return values

    def backward(self, grad):
        operation = "unique_dim" if self.node_name == "UniqueDimBackward0" else "_unique2"
        raise NotImplementedError(
            f"unique() has no gradient (the derivative for '{operation}' is not implemented)"
        )

    def name(self):
        return self.node_name
