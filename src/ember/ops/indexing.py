"""Indexing: ``x[index]`` and ``x[index] = value``, with their gradients.

Basic indices (ints, slices, None, Ellipsis) give views; integer-tensor and
boolean-mask indices give copies, as in NumPy and PyTorch. The gradient of a
read scatters back with *addition*, so an index repeated in a batch
accumulates; the gradient of a write goes to the value, and the overwritten
part of the target gets none.
"""

from .. import backend
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from ..device import device_of_array
from ..tensor import Tensor
from .elementwise import check_integer_fits, wrapped_integer
from .inplace import assign_in_place


def array_index(index, target):
    """Turn an ember index into one NumPy understands, and say if it is basic.

    ``target`` is the indexed array: index tensors may live on its device or,
    for a CUDA target, on the CPU (CuPy copies them over), as in PyTorch.
    """
    if not isinstance(index, tuple):
        index = (index,)
    converted = []
    basic = True
    for item in index:
        kind = type(item)
        if kind is int or kind is slice or item is None or item is Ellipsis:  # basic
            if kind is slice and item.step is not None and item.step <= 0:
                raise ValueError(
                    f"step must be greater than zero (got {item.step}); use .flip(dim) to reverse"
                )
        elif isinstance(item, Tensor):
            item = item._data
            if type(item) is not type(target) and backend.is_cuda_array(item):
                _refuse_index_device(item, target)
            basic = False
        elif isinstance(item, str):
            raise TypeError(f"a tensor can't be indexed by a str ({item!r})")
        else:  # lists, arrays, bools, NumPy integers: advanced indexing
            basic = basic and isinstance(item, int) and not isinstance(item, bool)
        converted.append(item)
    if basic:
        if Ellipsis not in converted:
            converted.append(Ellipsis)  # makes x[1, 2] a 0-d view, not a NumPy scalar copy
    else:
        _check_index_dtypes(converted)  # basic items are never float
    return tuple(converted), basic


def _refuse_index_device(index, target):
    if not backend.is_cuda_array(target) or index.device.id != target.device.id:
        target_device = device_of_array(target)
        raise RuntimeError(
            "indices should be either on cpu or on the same device as the indexed tensor "
            f"({target_device}); this index is on {device_of_array(index)}"
        )


def _check_index_dtypes(items):
    for item in items:
        dtype = getattr(item, "dtype", None)
        if dtype is not None and dtype.kind == "f":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")


class GetItem(Function):
    def forward(self, a, index, basic):
        self.shape, self.index = a.shape, index
        self.is_view = basic
        try:
            return a[index]
        except IndexError as error:
            raise IndexError(_dimension_words(str(error))) from None

    def backward(self, grad):
        return IndexAdd.apply(grad, self.shape, self.index), None, None

    def name(self):
        return "SliceBackward0" if self.is_view else "IndexBackward0"


class IndexAdd(Function):
    """zeros(shape) with ``grad`` added at ``index`` (repeats add up): GetItem's backward."""

    def forward(self, grad, shape, index):
        self.index = index
        out = xp(grad).zeros(shape, grad.dtype)
        backend.scatter_add(out, index, grad)
        return out

    def backward(self, grad):
        return GetItem.apply(grad, self.index, False), None, None


class IndexPut(Function):
    """``target`` with ``value`` written at ``index``: the out-of-place form of setitem."""

    def name(self):
        return "CopySlices"

    def forward(self, target, value, index):
        self.index = index
        out = target.copy()
        out[index] = value
        return out

    def backward(self, grad):
        grad_target = None
        if self.needs_input_grad(0):
            grad_target = IndexPut.apply(grad, 0.0, self.index)
        grad_value = GetItem.apply(grad, self.index, False) if self.needs_input_grad(1) else None
        return grad_target, grad_value, None


def getitem(tensor, index):
    index, basic = array_index(index, tensor._data)
    return GetItem.apply(tensor, index, basic)


def _dimension_words(message):
    return message.replace("axis", "dimension")


def setitem(tensor, index, value):
    """``tensor[index] = value`` in place; records IndexPut when a graph is needed."""
    index, _ = array_index(index, tensor._data)
    if isinstance(value, Tensor):
        if type(value._data) is not type(tensor._data) or backend.is_cuda_array(value._data):
            value = value.to(tensor.device)  # a copy between devices, as copy_ makes
        if value._data.dtype != tensor._data.dtype:
            value = value.to(tensor.dtype)
    elif type(value) is int:
        check_integer_fits(value, tensor)
        if tensor._data.dtype.kind == "u":
            value = wrapped_integer(value, tensor._data.dtype)
    elif not isinstance(value, (int, float, bool)):
        if isinstance(value, str):
            raise TypeError(f"can't assign a str to a {tensor.dtype} tensor")
        value = Tensor._make(xp(tensor._data).asarray(value, tensor._data.dtype))

    def write(target, new, index):
        try:
            target[index] = new
        except IndexError as error:
            raise IndexError(_dimension_words(str(error))) from None
        except ValueError as error:
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {list(getattr(value, 'shape', ()))} "
                f"cannot be broadcast to indexing result ({error})"
            ) from None

    assign_in_place(tensor, IndexPut, (value, index), write)
