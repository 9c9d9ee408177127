"""Indexing: ``x[index]`` and ``x[index] = value``, with their gradients.

Basic indices (ints, slices, None, Ellipsis) give views; integer-tensor and
boolean-mask indices give copies, as in NumPy and PyTorch. The gradient of a
read scatters back with *addition*, so an index repeated in a batch
accumulates; the gradient of a write goes to the value, and the overwritten
part of the target gets none.

Where PyTorch's order of dims differs from NumPy's, PyTorch's wins. PyTorch takes
an int (or a 0-d integer tensor) as a select made before any advanced index, where
NumPy counts it as one more advanced index: ``x[1, :, [1, 2]]`` is
``x[1][:, [1, 2]]`` in PyTorch, shape [3, 2], but [2, 3] in NumPy, whose rule moves
advanced dims that something parts to the front. An index that mixes the two is
therefore applied in two steps (``SelectThenIndex``); an Ellipsis that stands for
no dims, which parts nothing in PyTorch, is dropped. A written value may have more
leading size-1 dims than the place it fills, and gets its gradient in its own shape.
"""

import re
import types
import warnings

from .. import backend
from ..autograd import grad_mode
from ..autograd.engine import broadcasts_to
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from ..device import device_of_array
from ..tensor import Tensor
from .inplace import assign_in_place
from .memory_overlap import overlap_error, refuse_overlap
from .operands import check_float_fits, check_integer_fits, wrapped_integer


def array_index(index, target):
    """Turn an ember index into one NumPy understands, and say if it is basic (True), a
    lone advanced index (False) or an advanced one among other items (MAY_BE_TRANSPOSED).

    ``target`` is the indexed array: index tensors may live on its device or,
    for a CUDA target, on the CPU (CuPy copies them over), as in PyTorch.
    """
    lone_slice = type(index) is slice  # x[:3], a view as it is (PyTorch names it a slice)
    if not isinstance(index, tuple):
        index = (index,)
    converted = []
    basic = True
    empty_mask = False
    # refused, and warned of, once the whole index is read, in PyTorch's order
    bad_step = byte_masks = small_integers = numpy_scalar = None
    for item in index:
        kind = type(item)
        if kind is int or kind is slice or item is None or item is Ellipsis:  # basic
            if kind is slice and item.step is not None and item.step <= 0:
                bad_step = bad_step or item
        elif isinstance(item, Tensor):
            item = item._data
            if item.ndim == 0 and item.dtype.kind in "iu":
                item = int(item)  # a select, as PyTorch takes it
            else:
                if item.itemsize <= 2:  # the array's, cheaper than its dtype's
                    if item.dtype.kind == "u":  # an old form of a bool mask
                        byte_masks = (byte_masks or ()) + (len(converted),)
                        item = item.astype(bool)
                    elif item.dtype.kind == "i":  # int8 and int16 (a 0-d one selects)
                        small_integers = small_integers or item.dtype
                    empty_mask = empty_mask or item.size == 0  # bool masks come here
                if type(item) is not type(target) and backend.is_cuda_array(item):
                    _refuse_index_device(item, target)
                basic = False
        elif isinstance(item, str):
            raise TypeError(f"a tensor can't be indexed by a str ({item!r})")
        elif _is_integer(item):
            item = int(item)  # np.int64(1) or an IntEnum selects like the int it stands for
        elif isinstance(item, backend.generic_scalar):  # np.True_, np.float64(1.0)
            numpy_scalar = numpy_scalar or (item,)  # (np.False_ is falsy)
        else:  # lists, arrays, bools: advanced indexing
            basic = False
        converted.append(item)
    if bad_step is not None:
        _refuse_step(converted, bad_step, target.shape, lone_slice)
    if numpy_scalar is not None:
        raise IndexError(
            f"a tensor can't be indexed by a NumPy {numpy_scalar[0].dtype} scalar "
            f"({numpy_scalar[0]!r}); use an int, or a tensor of positions or a mask"
        )
    if small_integers is not None:
        raise IndexError(
            "tensors used as indices must be long, int, byte or bool tensors, not "
            f"{small_integers}; use index.long()"
        )
    if basic:
        if Ellipsis not in converted and not lone_slice:
            converted.append(Ellipsis)  # makes x[1, 2] a 0-d view, not a NumPy scalar copy
        return tuple(converted), True
    _check_index_dtypes(converted)  # basic items are never float
    if byte_masks is not None:
        _warn_of_byte_masks(converted, byte_masks, target.shape)
    if empty_mask:
        _check_empty_masks(converted, target.shape)
    if len(converted) > 1:  # a lone advanced index needs none of the steps below
        kinds = set(map(type, converted))
        if types.EllipsisType in kinds:
            converted = _without_empty_ellipsis(converted, target.ndim)
        if int in kinds:
            return SelectThenIndex(converted), MAY_BE_TRANSPOSED
        return tuple(converted), MAY_BE_TRANSPOSED
    return tuple(converted), False


# What array_index says (in place of False) of an advanced index with other items beside
# it: NumPy may lay its result out transposed. A lone one always gives a contiguous result.
MAY_BE_TRANSPOSED = None


def _is_integer(item):
    """An int, a NumPy integer, or a 0-d NumPy integer array (PyTorch reads it by its
    ``__index__``: a select, not an index array)."""
    if isinstance(item, backend.generic_scalar) or (backend.is_array(item) and item.ndim == 0):
        return item.dtype.kind in "iu"
    return isinstance(item, int) and not isinstance(item, bool)


def _refuse_step(items, slice_item, shape, lone_slice):
    """The ValueError for a slice of step 0 or less, after the errors PyTorch finds first in
    a tuple (not in a lone slice): too many indices, and an int out of range or a float
    before the slice."""
    ndim = len(shape)
    if not lone_slice and _dims_taken([item for item in items if item is not Ellipsis]) > ndim:
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    for item, dim in _items_and_dims(items, ndim):
        if item is slice_item:
            break
        if isinstance(item, (float, backend.generic_scalar)):  # NumPy's integers are ints
            raise IndexError(f"a tensor can't be indexed by a float ({item!r}); use an int")
        if type(item) is int and not -shape[dim] <= item < shape[dim]:
            raise IndexError(
                f"index {item} is out of bounds for dimension {dim} with size {shape[dim]}"
            )
    raise ValueError(
        f"step must be greater than zero (got {slice_item.step}); use .flip(dim) to reverse"
    )


def _warn_of_byte_masks(items, byte_masks, shape):
    """PyTorch's deprecation warning for each uint8 mask (at ``byte_masks`` in ``items``),
    when PyTorch gives it: not when it refuses the index before it reads the masks (too many
    indices, an int out of range, a float), and for each mask in turn until a mask does not
    fit the dims it covers."""
    ndim = len(shape)
    if _dims_taken([item for item in items if item is not Ellipsis]) > ndim:
        return
    dims = list(_items_and_dims(items, ndim))
    for item, dim in dims:
        if type(item) is float or (type(item) is int and not -shape[dim] <= item < shape[dim]):
            return
    for position, (item, dim) in enumerate(dims):
        if type(item) is list:  # a list of bools is a mask too
            item = backend.cpu_namespace.asarray(item)
        if not (backend.is_array(item) and item.dtype.kind == "b" and item.ndim):
            continue
        if position in byte_masks:
            warnings.warn(
                "indexing with a uint8 tensor is deprecated: PyTorch reads it as a mask, not "
                "as positions; use a bool tensor (mask.bool()) or an int64 one (index.long())",
                UserWarning,
                stacklevel=4,
            )
        if item.shape != shape[dim : dim + item.ndim]:
            return


class SelectThenIndex:
    """An index that mixes ints with advanced indices, split in PyTorch's two steps.

    ``select`` takes the ints as a basic index (a view): every other item becomes
    ``slice(None)`` once per dim it runs along, None and Ellipsis stay. ``rest`` is
    then applied to that view: the ints are gone and the dims that None added are
    taken whole. ``x[None, 1, :, [1, 2]]`` is ``x[None, 1, :, :][:, :, [1, 2]]``.
    """

    __slots__ = ("select", "rest")

    def __init__(self, items):
        select, rest = [], []
        for item in items:
            if type(item) is int:
                select.append(item)
            elif item is None or item is Ellipsis:
                select.append(item)
                rest.append(slice(None) if item is None else item)
            else:
                select.extend([slice(None)] * _dims_indexed(item))
                rest.append(item)
        if Ellipsis not in select:
            select.append(Ellipsis)  # a 0-d view, never a NumPy scalar copy, to write through
        self.select, self.rest = tuple(select), tuple(rest)


def _without_empty_ellipsis(items, ndim):
    """``items`` less an Ellipsis that stands for no dims. PyTorch ignores it; NumPy counts
    it as parting the advanced indices on either side, whose dims then go to the front."""
    positions = [position for position, item in enumerate(items) if item is Ellipsis]
    if len(positions) != 1:
        return items  # none, or several: NumPy refuses those
    position = positions[0]
    without = items[:position] + items[position + 1 :]
    return without if _dims_taken(without) == ndim else items


def _dims_indexed(item):
    """How many dims an index runs along: a mask all of its own (a bool none), others one."""
    if type(item) is slice or type(item) is int:
        return 1
    array = item if backend.is_array(item) else backend.cpu_namespace.asarray(item)
    return array.ndim if array.dtype.kind == "b" else 1


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


def _check_empty_masks(items, shape):
    """NumPy takes a mask with no elements against any dims; PyTorch checks its shape
    against the dims it covers, as for any other mask."""
    for item, dim in _items_and_dims(items, len(shape)):
        if not (backend.is_array(item) and item.dtype.kind == "b"):
            continue
        covered = shape[dim : dim + item.ndim]
        if item.shape != covered:
            raise IndexError(
                f"the mask of shape {list(item.shape)} does not match the sizes "
                f"{list(covered)} of the dims it indexes (from dim {dim}) in a "
                f"tensor of shape {list(shape)}"
            )


class GetItem(Function):
    listed_inputs = (0,)

    def forward(self, a, index, basic):
        self.shape, self.index = a.shape, index
        self.is_view = basic
        try:
            if type(index) is SelectThenIndex:
                a, index = a[index.select], index.rest
            if (
                basic is False
                and index.__class__ is tuple
                and index[0].__class__ is backend.ndarray
                and index[0].dtype.char == "?"
                and len(index) == 1  # a lone mask (backward passes longer indices as False)
            ):
                out = backend.masked_values(a, index[0])
            else:
                out = a[index]
        except (IndexError, OverflowError) as error:
            shape = _empty_result_shape(a, index, error)
            return xp(a).empty(shape, a.dtype)
        if basic is MAY_BE_TRANSPOSED and not out.flags.c_contiguous:
            # NumPy lays out x[:, idx] transposed; PyTorch's gathered result is contiguous,
            # and view() takes it
            return xp(out).ascontiguousarray(out)
        return out

    def backward(self, grad):
        return IndexAdd.apply(grad, self.shape, self.index, bool(self.is_view)), None, None

    def name(self):
        return _basic_index_node_name(self.index, self.shape) if self.is_view else "IndexBackward0"


def _basic_index_node_name(index, shape):
    """PyTorch's name for a view taken by a basic index: that of the last step that does
    something. An int selects, None unsqueezes, and a slice slices unless it keeps its
    whole dim as written (``:``, ``0:``, ``:n`` for n at least the size; ``-n:`` slices).
    When nothing does, a lone slice (``x[:]``, ``x[:5]``) still slices, and ``x[...]`` or
    ``x[:, :3]`` is an alias."""
    items = index if type(index) is tuple else (index,)
    for item, size in reversed(list(zip(items, _indexed_sizes(items, shape)))):
        if item is None:
            return "UnsqueezeBackward0"
        if type(item) is slice:
            if not _keeps_whole_dim(item, size):
                return "SliceBackward0"
        elif item is not Ellipsis:
            return "SelectBackward0"
    # array_index adds an Ellipsis to every basic index but x[:3] (not x[:3,] or x[:3, ...])
    lone_slice = len(items) == 1 and type(items[0]) is slice
    return "SliceBackward0" if lone_slice else "AliasBackward0"


def _indexed_sizes(items, shape):
    """The size of the dim that each item of a basic index reads (None for None and ...)."""
    return [
        None if item is None or item is Ellipsis else shape[dim]
        for item, dim in _items_and_dims(items, len(shape))
    ]


def _keeps_whole_dim(item, size):
    return (
        item.start in (None, 0)
        and item.step in (None, 1)
        and (item.stop is None or item.stop >= size)
    )


class IndexAdd(Function):
    """zeros(shape) with ``grad`` added at ``index`` (repeats add up): GetItem's backward.
    A ``basic`` index (slices, ints) has no repeats: ``grad`` is written there."""

    listed_inputs = (0,)

    def forward(self, grad, shape, index, basic=False):
        self.index = index
        out = xp(grad).zeros(shape, grad.dtype)
        if basic:  # no position twice: written, so that a -0. stays -0. (0 + -0. is +0.)
            backend.write_at(out, index, grad)
            return out
        target = out
        if type(index) is SelectThenIndex:
            target, index = out[index.select], index.rest  # a view: adding to it fills out
        try:
            backend.scatter_add(target, index, grad)
        except IndexError:
            if grad.size:
                raise
            # the gradient of an empty read at positions out of range (see _empty_result_shape)
        return out

    def backward(self, grad):
        return GetItem.apply(grad, self.index, False), None, None


class IndexPut(Function):
    """``target`` with ``value`` written at ``index``: the out-of-place form of setitem."""

    listed_inputs = (0, 1)

    def name(self):
        # PyTorch writes at a basic index through a view (its node wraps the view's copy_),
        # and at an advanced one with index_put_, straight into the tensor unless a step
        # before it took a view
        if _is_advanced(self.index) and not _writes_through_a_view(self.index, self.shape):
            return "IndexPutBackward0"
        return "CopySlices"

    def forward(self, target, value, index):
        self.index, self.shape = index, target.shape
        self.value_dims = getattr(value, "ndim", 0)
        out = target.copy()
        write_at_index(out, value, index)
        return out

    def backward(self, grad):
        grad_target = grad_value = None
        if self.needs_input_grad(0):
            grad_target = self.target_gradient(grad)
        if self.needs_input_grad(1):
            grad_value = GetItem.apply(grad, self.index, False)
            missing = self.value_dims - grad_value.ndim
            if missing > 0:  # the value's leading size-1 dims, which the write dropped
                grad_value = grad_value.reshape((1,) * missing + tuple(grad_value.shape))
        return grad_target, grad_value, None

    def target_gradient(self, grad):
        """Zero where the value overwrote the target (index_put's adding form passes all)."""
        return IndexPut.apply(grad, 0.0, self.index)


def _is_advanced(index):
    """Whether an index from ``array_index`` holds positions or a mask (beside which an int
    makes it a ``SelectThenIndex``, not a tuple)."""
    basic_kinds = (int, bool, slice, types.NoneType, types.EllipsisType)
    return type(index) is tuple and any(type(item) not in basic_kinds for item in index)


def _writes_through_a_view(items, shape):
    """Whether PyTorch takes a view of the tensor before it writes at this advanced index:
    None and a bool (True, False, a 0-d bool tensor) unsqueeze, and a slice that does not
    keep its whole dim slices."""
    for item, dim in _items_and_dims(items, len(shape)):
        if item is Ellipsis:
            continue
        if item is None or _dims_indexed(item) == 0:
            return True
        if type(item) is slice and not _keeps_whole_dim(item, shape[dim]):
            return True
    return False


def _items_and_dims(items, ndim):
    """Each item of an index (a sequence) with the dim of an ``ndim``-d tensor that it reads
    first: the items after an Ellipsis read the last dims. None reads none (its dim is the
    next item's)."""
    dim = 0
    for position, item in enumerate(items):
        if item is Ellipsis:
            dim = ndim - _dims_taken(items[position + 1 :])
        yield item, dim
        if item is not None and item is not Ellipsis:
            dim += _dims_indexed(item)


def _dims_taken(items):
    """How many dims of the tensor ``items`` (a part of an index, without an Ellipsis) read."""
    return sum(_dims_indexed(item) for item in items if item is not None)


def getitem(tensor, index):
    index, basic = array_index(index, tensor._data)
    return GetItem.apply(tensor, index, basic)


def setitem(tensor, index, value):
    """``tensor[index] = value`` in place; records IndexPut when a graph is needed. The
    value is checked before the index, as PyTorch does."""
    writes_nothing = index is False  # PyTorch checks the value, then writes and records nothing
    may_overlap = False
    if isinstance(value, Tensor):
        if type(value._data) is not type(tensor._data) or backend.is_cuda_array(value._data):
            value = value.to(tensor.device)  # a copy between devices, as copy_ makes
        if value._data.dtype != tensor._data.dtype:
            value = value.to(tensor.dtype)
        data = value._data  # a view, the tensor itself or what it views: checked below
        may_overlap = data.base is not None or data is tensor._data or tensor._data.base is data
    elif type(value) is float or type(value) is int:
        value = _checked_number(value, tensor)
    elif type(value) is not bool:
        value = _value_of_another_type(value, tensor)
    index, basic = array_index(index, tensor._data)
    if writes_nothing:
        return
    if may_overlap:
        _refuse_overlap(tensor._data, index, basic, value._data)
    if tensor.requires_grad:
        _check_index_before_leaf(tensor, index)
    assign_in_place(tensor, IndexPut, (value, index), write_at_index)


def _checked_number(value, tensor):
    """A Python float or int as it is written into ``tensor``, refused as PyTorch refuses
    it: NaN, inf or out of range into an integer tensor, a finite float beyond float32's
    largest (float16 takes any float, as inf), an int beyond 64 bits; an int into uint8
    wraps."""
    if type(value) is float:
        kind, char = tensor._data.dtype.kind, tensor._data.dtype.char
        if kind in "iu" or char == "f":
            check_float_fits(value, tensor)
        return value
    if not -(2**63) <= value < 2**63:
        raise ValueError(f"can't assign {value} to a tensor: it does not fit in 64 bits")
    check_integer_fits(value, tensor)
    if tensor._data.dtype.kind == "u":
        value = wrapped_integer(value, tensor._data.dtype)
    return value


def _value_of_another_type(value, tensor):
    """A NumPy number, or an instance of a subclass of int or float, as the Python number
    it stands for, checked as one (``np.float64(1e300)`` does not fit float32); a list or
    an array as a tensor of ``tensor``'s dtype (docs/differences.md: PyTorch refuses it);
    None and a str are PyTorch's TypeError."""
    if isinstance(value, backend.generic_scalar) and value.dtype.kind in "biuf":
        value = value.item()
    elif isinstance(value, (int, float)):
        value = float(value) if isinstance(value, float) else int(value)
    elif value is None:
        raise TypeError(f"can't assign None to a {tensor.dtype} tensor; assign a number")
    elif isinstance(value, str):
        raise TypeError(f"can't assign a str to a {tensor.dtype} tensor")
    else:
        return Tensor._make(xp(tensor._data).asarray(value, tensor._data.dtype))
    return value if type(value) is bool else _checked_number(value, tensor)


def _refuse_overlap(target, index, basic, value):
    """PyTorch's refusal of a value that shares memory with the place it is written to
    (memory_overlap.py): at a basic index (its copy_) one that overlaps it in part
    (``x[1:] = x[:-1]``), at an advanced one (its index_put_) any."""
    _check_steps_before_write(target, index)
    expanded = False
    if type(index) is SelectThenIndex:
        target, index = target[index.select], index.rest
    elif basic:
        target = target[index]
        if value.ndim == 0:
            return  # PyTorch fills with it, read first
        if value.shape != target.shape:
            value = value.reshape(_without_leading_ones(value.shape))
            # copied from an expanded view of it, whose repeated dims have other strides
            expanded = value.shape != _without_leading_ones(target.shape)
        try:
            value = xp(value).broadcast_to(value, target.shape)
        except ValueError:
            return  # a value that does not fit: the write refuses it
    if not basic:
        if value.size == 1 and _is_one_mask(index):
            return  # PyTorch's masked_fill_, which reads the one value first
        itself = value is target and value.shape[:1] != (1,)  # (leading 1s: a view of it)
        if itself and not _writes_through_a_view(index, target.shape):
            raise overlap_error()  # the very tensor, even empty: PyTorch's index_put_ refuses
        target = target[_basic_part(index)]  # index_put_ writes into what the steps view
    refuse_overlap(target, value, same_elements_allowed=basic and not expanded)


def _is_one_mask(items):
    """Whether the only advanced item of ``items`` is a mask of one or more dims (a 0-d one,
    like True and False, is PyTorch's index tensor [0] or [])."""
    basic_kinds = (int, slice, types.NoneType, types.EllipsisType)
    advanced = [item for item in items if type(item) not in basic_kinds]
    if len(advanced) != 1:
        return False
    mask = advanced[0]
    mask = mask if backend.is_array(mask) else backend.cpu_namespace.asarray(mask)
    return mask.dtype.kind == "b" and mask.ndim > 0


def _basic_part(items):
    """The view PyTorch takes of a tensor before it writes at the advanced ``items``: their
    slices, None and Ellipsis as they are, a bool (True, False, a 0-d mask) as a new dim,
    the positions and masks as whole dims."""
    part = []
    for item in items:
        kind = type(item)
        if kind is slice or kind is int or item is None or item is Ellipsis:
            part.append(item)
            continue
        dims = _dims_indexed(item)
        part.extend([slice(None)] * dims if dims else [None])
    return tuple(part)


def _check_index_before_leaf(tensor, index):
    """PyTorch takes the index's steps before it refuses a write into a leaf that requires
    grad, or into a view of one (see ``_check_steps_before_write``)."""
    node = tensor.grad_fn
    if grad_mode.state.enabled and (node is None or node.view_of is not None):
        _check_steps_before_write(tensor._data, index)


def _check_steps_before_write(array, index):
    """The errors PyTorch finds in the steps it takes before the write itself (which then
    refuses a leaf, a value that overlaps, and last what index_put_ checks: masks,
    positions, the shapes of the index tensors): too many indices, an int out of range,
    a float."""
    if type(index) is SelectThenIndex:
        _shape_read(array, index.select)  # the ints select first
    if not (_is_advanced(index) or type(index) is SelectThenIndex):
        _shape_read(array, index)
        return
    items = index if type(index) is tuple else index.select  # a slice per dim
    if _dims_taken([item for item in items if item is not Ellipsis]) > array.ndim:
        raise IndexError(f"too many indices for tensor of dimension {array.ndim}")
    for item in items if type(index) is tuple else index.rest:
        if type(item) is float:
            raise IndexError(f"a tensor can't be indexed by a float ({item!r}); use an int")


def write_at_index(target, value, index):
    """``target[index] = value`` on arrays, broadcasting ``value`` as PyTorch does."""
    value_shape = getattr(value, "shape", ())
    if value_shape and value_shape[0] == 1:
        value = value.reshape(_without_leading_ones(value_shape))
    if value_shape and 0 in value_shape:
        _check_empty_value(target, index, value.shape, value_shape)
    try:
        if type(index) is SelectThenIndex:
            target, index = target[index.select], index.rest  # a view: writing it writes target
        backend.write_at(target, index, value)
    except (IndexError, OverflowError) as error:
        _refuse_value_shape_first(target, index, value, value_shape)
        result_shape = _empty_result_shape(target, index, error)
        if not broadcasts_to(getattr(value, "shape", ()), result_shape):  # leading 1s gone
            raise _shape_mismatch(value_shape, result_shape) from None
    except (ValueError, TypeError):
        result_shape = _result_shape(target, index)
        if broadcasts_to(getattr(value, "shape", ()), result_shape):
            raise  # not the value's shape: a read-only target, say
        raise _shape_mismatch(value_shape, result_shape) from None


def _check_empty_value(target, index, shape, value_shape):
    """NumPy writes a value with no elements into a result with none whatever its shape
    (``x[[]] = zeros(2, 0)``); PyTorch's value must broadcast to the result."""
    result_shape = _result_shape(target, index)
    if not broadcasts_to(shape, result_shape):
        raise _shape_mismatch(value_shape, result_shape)


def _refuse_value_shape_first(target, index, value, value_shape):
    """PyTorch checks that the value broadcasts to the result before it checks the
    positions: ``x[[5]] = ones(2)`` is its shape mismatch, not an index out of range."""
    if type(index) is tuple and _int_beyond_64_bits(index) is None:
        shape = _shape_read_whatever_the_positions(target, index)
        if shape is not None and not broadcasts_to(getattr(value, "shape", ()), shape):
            raise _shape_mismatch(value_shape, shape) from None


def _result_shape(array, index):
    """The shape of ``array[index]`` that PyTorch checks a value against: whatever the
    positions, which it checks after the value's shape."""
    if type(index) is tuple:
        shape = _shape_read_whatever_the_positions(array, index)
        if shape is not None:
            return shape
    return _shape_read(array, index)


def _shape_read(array, index):
    """The shape of ``array[index]``, with PyTorch's errors for an index out of range."""
    try:
        if type(index) is SelectThenIndex:
            array, index = array[index.select], index.rest
        return array[index].shape
    except (IndexError, OverflowError) as error:
        return _empty_result_shape(array, index, error)


def _shape_mismatch(value_shape, result_shape):
    return RuntimeError(
        f"shape mismatch: value tensor of shape {list(value_shape)} cannot be broadcast "
        f"to indexing result of shape {list(result_shape)}"
    )


def _empty_result_shape(array, index, error):
    """The shape of ``array[index]``, which NumPy refused with ``error``, when PyTorch gives
    an empty result there (``x[5:, [7]]``: it checks only the positions it reads, and an
    empty result reads none); otherwise ``error`` in PyTorch's terms: a ValueError for an
    int beyond 64 bits, the IndexError NumPy raised."""
    too_large = _int_beyond_64_bits(index)
    if too_large is not None:
        raise ValueError(f"index {too_large} does not fit in 64 bits (int64)") from None
    if type(error) is IndexError and type(index) is tuple:
        shape = _shape_read_whatever_the_positions(array, index)
        if shape is not None and 0 in shape:
            return shape
    raise IndexError(_dimension_words(str(error))) from None


def _dimension_words(message):
    """NumPy's message in PyTorch's words: 'dimension' for 'axis'."""
    return re.sub(r"\baxis\b", "dimension", message)  # not numpy.newaxis


def _int_beyond_64_bits(index):
    """The first int in ``index`` (or in its lists, tuples and ranges) that int64 cannot hold,
    or None."""
    if type(index) is SelectThenIndex:
        index = index.select + index.rest
    waiting = [index]
    while waiting:
        item = waiting.pop()
        if type(item) is tuple or type(item) is list:
            waiting.extend(item)
        elif type(item) is range and item:
            waiting.extend((item[0], item[-1]))
        elif type(item) is int and not -(2**63) <= item < 2**63:
            return item
    return None


def _shape_read_whatever_the_positions(array, items):
    """The shape of ``array[items]`` were every position in range (None if the index has
    another fault): each list or array of positions reads place 0 of a stand-in dim of
    size 1, so only its shape counts. PyTorch refuses any position in a dim of size 0."""
    namespace = xp(array)
    stand_in_shape, stand_in_items = list(array.shape), []
    for item, dim in _items_and_dims(items, array.ndim):
        if _holds_positions(item) and dim < array.ndim:
            shape = backend.cpu_namespace.shape(item)
            if stand_in_shape[dim] == 0 and 0 not in shape:
                return None
            item = namespace.zeros(shape, "int64")
            stand_in_shape[dim] = 1
        stand_in_items.append(item)
    stand_in = namespace.broadcast_to(namespace.zeros((), bool), stand_in_shape)
    try:
        return stand_in[tuple(stand_in_items)].shape
    except IndexError:
        return None


def _holds_positions(item):
    """Whether an advanced index item is a list, range or array of integer positions."""
    if type(item) is list or type(item) is range:
        item = backend.cpu_namespace.asarray(item)
    return backend.is_array(item) and item.ndim > 0 and item.dtype.kind in "iu"


def _without_leading_ones(shape):
    """``shape`` less its leading 1s. Those dims broadcast away in any write, and NumPy's
    write through a full-shape mask refuses a value with more dims than the one it
    fills, where PyTorch takes ``x[mask] = ones(1, 1)``."""
    first_kept = 0
    while first_kept < len(shape) and shape[first_kept] == 1:
        first_kept += 1
    return shape[first_kept:]
