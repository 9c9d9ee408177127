"""Ops that join tensors into one: cat, stack, the h/v/d/column stacks, and the
``atleast_nd`` widenings that the stacks use.

The result is a new contiguous tensor, as in PyTorch; backward cuts the gradient back
into the pieces.
"""

from .. import dtypes
from ..arguments import check_tensor_list, type_name
from ..autograd.function import Function
from ..backend import c_contiguous
from ..backend import namespace_of as xp  # the array namespace of an array
from ..dims import wrap_dim
from ..tensor import Tensor
from .movement import reshape, unsqueeze


class Cat(Function):
    def forward(self, *arrays, axis):
        self.axis = axis
        self.sizes = [array.shape[axis] for array in arrays]
        return c_contiguous(xp(arrays[0]).concatenate(arrays, axis=axis))

    def backward(self, grad):
        pieces, start = [], 0
        for size in self.sizes:
            pieces.append(grad.narrow(self.axis, start, size))
            start += size
        return tuple(pieces)


def cat(tensors, dim=0, *, axis=None):
    """The tensors joined end to end along the existing dim ``dim`` (default 0).

    Their shapes must match except along ``dim``; ``stack`` adds a new dim instead.

    >>> x = ember.tensor([[1, 2]])
    >>> ember.cat([x, x], dim=0)
    tensor([[1, 2],
            [1, 2]])
    >>> ember.cat([x, x], dim=1)
    tensor([[1, 2, 1, 2]])
    """
    tensors = _tensor_sequence(tensors, "cat")
    if not tensors:
        raise ValueError("cat(): expected a non-empty list of Tensors")
    dim = dim if axis is None else axis
    check_tensor_list(tensors, "cat")
    for number, tensor in enumerate(tensors):
        if tensor._data.ndim == 0:
            raise RuntimeError(
                f"zero-dimensional tensor (at position {number}) cannot be concatenated: it has "
                "no dim to join along; use stack() to make a new dim, or reshape(1) it first"
            )
    tensors = _in_result_type(tensors)
    joined = tensors
    if any(tensor._data.ndim != 1 for tensor in tensors):
        # PyTorch lets 1-d empty tensors join tensors of any dims; NumPy does not. Beside
        # 1-d tensors they are joined as any other (a node lists them, with an empty grad).
        joined = [tensor for tensor in tensors if tensor.shape != (0,)] or tensors[:1]
    first = joined[0]
    axis_index = first._dim(dim)
    for number, tensor in enumerate(joined[1:], start=1):
        _check_cat_shapes(first, tensor, axis_index, number)
    return Cat.apply(*joined, axis=axis_index)


concat = concatenate = cat


def _tensor_sequence(tensors, name):
    """The tensors to join as a list. PyTorch takes only a list or a tuple: a lone tensor
    would otherwise be joined row by row, and a generator would be used up."""
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(
            f"{name}() takes a tuple or a list of tensors, not {type_name(tensors)}: {name}([x, y])"
        )
    return list(tensors)


def _check_cat_shapes(first, other, axis, number):
    if other.ndim != first.ndim:
        raise RuntimeError(
            f"Tensors must have same number of dimensions: got {first.ndim} and {other.ndim}"
        )
    for d, (expected, got) in enumerate(zip(first.shape, other.shape)):
        if d != axis and expected != got:
            raise RuntimeError(
                f"Sizes of tensors must match except in dimension {axis}. Expected size "
                f"{expected} but got size {got} for tensor number {number} in the list."
            )


def _in_result_type(tensors):
    """The tensors in the dtype they promote to; when they share one (the usual case), as is."""
    first = tensors[0]._data.dtype
    if all(tensor._data.dtype == first for tensor in tensors):
        return tensors
    result = dtypes.result_type(*tensors)
    return [tensor.to(result) for tensor in tensors]


class Stack(Function):
    def forward(self, *arrays, axis):
        self.axis = axis
        return c_contiguous(xp(arrays[0]).stack(arrays, axis=axis))

    def backward(self, grad):
        return grad.unbind(self.axis)


def stack(tensors, dim=0, *, axis=None):
    """The tensors, all of one shape, joined along a new dim ``dim`` (default 0).

    >>> x, y = ember.tensor([1, 2]), ember.tensor([3, 4])
    >>> ember.stack([x, y])
    tensor([[1, 2],
            [3, 4]])
    >>> ember.stack([x, y], dim=1)
    tensor([[1, 3],
            [2, 4]])
    """
    dim = dim if axis is None else axis
    tensors = _tensor_sequence(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    check_tensor_list(tensors, "stack")
    first_shape = tensors[0]._data.shape
    for number, tensor in enumerate(tensors[1:], start=1):
        if tensor._data.shape != first_shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(first_shape)} at "
                f"entry 0 and {list(tensor.shape)} at entry {number}"
            )
    axis = wrap_dim(dim, len(first_shape) + 1)  # the new dim may also go after the last
    return Stack.apply(*_in_result_type(tensors), axis=axis)


def hstack(tensors):
    tensors = _non_empty_tensor_list(tensors, "hstack")
    tensors = [tensor if tensor.ndim else reshape(tensor, 1) for tensor in tensors]  # 0-d: one
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors):
    tensors = _non_empty_tensor_list(tensors, "vstack")
    return cat([_with_at_least_2_dims(tensor) for tensor in tensors], 0)


row_stack = vstack


def column_stack(tensors):
    """Vectors (and 0-d tensors) as columns, beside the columns of matrices: ``cat`` along
    dim 1."""
    tensors = _non_empty_tensor_list(tensors, "column_stack")
    columns = [reshape(t, t._data.size, 1) if t._data.ndim <= 1 else t for t in tensors]
    return cat(columns, 1)


def dstack(tensors):
    """The tensors, each made at least 3-d (``atleast_3d``), joined along dim 2."""
    tensors = _non_empty_tensor_list(tensors, "dstack")
    return cat([_with_at_least_3_dims(tensor) for tensor in tensors], 2)


def _non_empty_tensor_list(tensors, name):
    """hstack's and vstack's checks, made before they reshape: PyTorch's errors."""
    tensors = _tensor_sequence(tensors, name)
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty list of tensors")
    check_tensor_list(tensors, name)
    return tensors


# atleast_nd: the widenings that vstack and dstack make of each tensor ------------------


def atleast_1d(*tensors):
    """A 0-d tensor as a vector of one element; other tensors as they are."""
    return _at_least(tensors, "atleast_1d", _with_at_least_1_dim)


def atleast_2d(*tensors):
    """A 0-d tensor as a 1x1 matrix, a vector as one row; other tensors as they are."""
    return _at_least(tensors, "atleast_2d", _with_at_least_2_dims)


def atleast_3d(*tensors):
    """A 0-d tensor as shape (1, 1, 1), a vector of n as (1, n, 1), a matrix of (m, n) as
    (m, n, 1); other tensors as they are."""
    return _at_least(tensors, "atleast_3d", _with_at_least_3_dims)


def _with_at_least_1_dim(tensor):
    return reshape(tensor, 1) if tensor._data.ndim == 0 else tensor


def _with_at_least_2_dims(tensor):
    ndim = tensor._data.ndim
    if ndim == 0:
        return reshape(tensor, 1, 1)
    return unsqueeze(tensor, 0) if ndim == 1 else tensor


def _with_at_least_3_dims(tensor):
    ndim = tensor._data.ndim
    if ndim == 0:
        return reshape(tensor, 1, 1, 1)
    if ndim == 1:
        return unsqueeze(unsqueeze(tensor, 0), -1)
    return unsqueeze(tensor, -1) if ndim == 2 else tensor


def _at_least(tensors, op_name, widen):
    """One tensor gives one tensor; several, or a list or tuple of them, give a tuple."""
    if len(tensors) == 1 and isinstance(tensors[0], Tensor):
        return widen(tensors[0])
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tensors[0]
    elif len(tensors) == 1:
        raise TypeError(
            f"{op_name}() takes a tensor, several tensors or a list of them, not "
            f"{type_name(tensors[0])}"
        )
    if tensors:
        check_tensor_list(list(tensors), op_name)
    return tuple(map(widen, tensors))
