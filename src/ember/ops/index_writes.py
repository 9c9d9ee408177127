"""Writing into a tensor at positions: index_add, index_copy, index_fill and index_reduce
(slices along one dim; index_reduce is scatter_reduce with the index spread over the
slices), masked_scatter (at a mask), take and put (at positions of the tensor read flat),
index_put (at an advanced index, as ``x[indices] = values``) and fill_diagonal_.

Each op is out of place first (``x.index_add(...)``), and its in-place form writes the
same values into the tensor's storage through ``assign_in_place``, which refuses a leaf
that requires grad and a view of one, and moves the version counter, as for ``add_``.

Gradients: a written place passes none of the gradient back to the tensor written into
(an added one passes it all), and each written value gets the gradient of the place it
went to. Where a position repeats, adding ops add every value there; the copying ops
(index_copy, put and index_put without ``accumulate``) keep one of them, which PyTorch
leaves unspecified: on the CPU both PyTorch and NumPy keep the last. Each repeated value
still gets the gradient of its place, as in PyTorch.

PyTorch's checks differ from op to op, and ember follows each: which index dtypes are
taken (int64 alone, or int32 too), whether a negative position counts from the end (in
index_fill, take, put and index_put) or is out of range (in index_add and index_copy),
and the type of each error. As in ``gathering``, the range checks read the index's
smallest and largest values, so on a GPU, where that would wait for the device, they
are skipped.
"""

import math

from .. import backend, dtypes
from ..arguments import check_tensors, integer_argument
from ..autograd import grad_mode
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from ..creation import refuse_out
from ..device import check_same_device
from ..dims import wrap_dim
from ..tensor import Tensor, warn_once
from .gathering import (
    Gather,
    IndexSelect,
    ScatterReduce,
    at_least_1d_array,
    check_index_range,
    checked_fill_value,
    refuse_a_leaf,
    refuse_a_shared_target,
    write_along,
)
from .indexing import (
    GetItem,
    IndexAdd,
    IndexPut,
    SelectThenIndex,
    array_index,
    setitem,
    write_at_index,
)
from .inplace import assign_in_place
from .operands import broadcast_error, other_on_device
from .selection import where

# index_add, index_copy, index_fill: slices along one dim ------------------------------


def index_add(input, dim, index, source, *, alpha=1, out=None):
    """``input`` with ``alpha * source`` added to the slices at ``index`` along ``dim``;
    a repeated position adds every slice sent to it."""
    refuse_out(out, "index_add")
    return IndexAddAlong.apply(*_index_add_arguments(input, dim, index, source, alpha))


def index_add_(self, dim, index, source, *, alpha=1):
    refuse_a_leaf(self)
    arguments = _index_add_arguments(self, dim, index, source, alpha, in_place=True)
    return assign_in_place(self, IndexAddAlong, arguments[1:], _add_along)


def index_copy(input, dim, index, source, *, out=None):
    """``input`` with the slices of ``source`` written at ``index`` along ``dim``."""
    refuse_out(out, "index_copy")
    return IndexCopy.apply(*_index_copy_arguments(input, dim, index, source))


def index_copy_(self, dim, index, source):
    refuse_a_leaf(self)
    arguments = _index_copy_arguments(self, dim, index, source, in_place=True)
    return assign_in_place(self, IndexCopy, arguments[1:], _copy_along)


def index_fill(input, dim, index, value):
    """``input`` with ``value`` (a number or a 0-d tensor) in the slices at ``index``
    along ``dim``; a negative position counts from the end."""
    arguments = _index_fill_arguments(input, dim, index, value)
    if _takes_history(value) and input._data.dtype.kind != "f":
        # (the in-place form takes it, as PyTorch's does)
        raise RuntimeError(
            f"index_fill(): a value that requires grad would give the {input.dtype} result a "
            "gradient, which only floating point tensors take; detach the value"
        )
    return IndexFill.apply(*arguments)


def _takes_history(value):
    return isinstance(value, Tensor) and value.requires_grad and grad_mode.state.enabled


def index_fill_(self, dim, index, value):
    refuse_a_leaf(self)
    arguments = _index_fill_arguments(self, dim, index, value)
    return assign_in_place(self, IndexFill, arguments[1:], _fill_along)


def _index_add_arguments(input, dim, index, source, alpha, in_place=False):
    """(input, index, source, axis, alpha), checked as PyTorch checks them; alpha in the
    input's type (1.5 is 1 for an int tensor). ``in_place``: the input is written."""
    op_name = "index_add_"
    axis, index = _slices_and_source(input, dim, index, source, op_name)
    if input.ndim > 1 and not input._data.size:
        return input, index._data, source, axis, _alpha_in_type(alpha, input, op_name)
    if in_place:
        refuse_a_shared_target(input)
    error = _index_add_range_error(input, index, axis, alpha)
    check_index_range(index, input, axis, op_name, error)
    return input, index._data, source, axis, _alpha_in_type(alpha, input, op_name)


def _slices_and_source(input, dim, index, source, op_name):
    """index_add's and index_reduce's checks of the dim, the index (a vector of int32 or
    int64, its dims before its dtype, as PyTorch) and the source's slices, in PyTorch's
    order: the axis and the index, checked."""
    axis = _axis(input, dim, index, source, op_name)
    _check_vector(index, op_name, IndexError)
    index = _checked_index(index, input, op_name, ("int32", "int64"), RuntimeError)
    _check_same_dtype(input, source, op_name)
    _check_a_0d_source(source, index, axis, op_name)
    if source.ndim != input.ndim:
        raise RuntimeError(_slice_mismatch(input, source, op_name))
    _check_source_slices(input, index, source, axis, op_name, RuntimeError)
    return axis, index


def _check_a_0d_source(source, index, axis, op_name):
    """index_add's and index_reduce's: PyTorch's check of the count fails to name a 0-d
    source's size, an IndexError, where the index has other than one position."""
    if not source.ndim and axis == 0 and index._data.size != 1:
        raise IndexError(
            f"{op_name}(): a 0-d source is one slice, but the index has {index._data.size} "
            "positions"
        )


def _index_add_range_error(input, index, axis, alpha):
    """PyTorch's type of index_add's range error, which its path decides: a RuntimeError
    where it adds along the first or last of two or more dims with an int64 index and an
    alpha of 1 (not True), an IndexError on its other paths. (An empty input of two or
    more dims reads no index.)"""
    outer = input.ndim > 1 and axis in (0, input.ndim - 1)
    plain = type(alpha) in (int, float) and alpha == 1
    return RuntimeError if outer and plain and index._data.dtype.name == "int64" else IndexError


def _index_copy_arguments(input, dim, index, source, in_place=False):
    """(input, index, source, axis), checked as PyTorch checks them. A 0-d source (or
    input) counts as one slice of no dims. ``in_place``: the input is written."""
    op_name = "index_copy_"
    axis = _axis(input, dim, index, source, op_name)
    # PyTorch's order: where it writes, the index's dims, the count and dims of the
    # source, then the dtypes
    if in_place:
        refuse_a_shared_target(input)
    _check_vector(index, op_name, IndexError)
    if not source.ndim and index._data.size != 1:
        raise IndexError(
            f"{op_name}(): a 0-d source is one slice, but the index has {index._data.size} "
            "positions"
        )
    if source.ndim and input.ndim and source.ndim != input.ndim:
        raise IndexError(
            f"{op_name}(): the source has {source.ndim} dims and the input {input.ndim}: "
            "unless one is 0-d, they must have as many"
        )
    index = _checked_index(index, input, op_name, ("int64",), RuntimeError)
    _check_same_dtype(input, source, op_name)
    _check_source_slices(input, index, source, axis, op_name, IndexError)
    if not _reads_no_index(input, index, axis, op_name):
        check_index_range(index, input, axis, op_name, IndexError)
    return input, index._data, source, axis


def _index_fill_arguments(input, dim, index, value):
    """(input, index, value, axis): the value a 0-d tensor or a number the input's type
    holds."""
    op_name = "index_fill_"
    if isinstance(value, Tensor) and value.ndim:  # PyTorch's first check
        raise RuntimeError(
            f"{op_name}() takes a 0-d value tensor, got one with {value.ndim} dim(s); "
            "pass value.item() or a 0-d tensor"
        )
    axis = wrap_dim(integer_argument(dim, op_name, "dim"), input.ndim)
    index = _checked_index(index, input, op_name, ("int64",), IndexError)
    _check_vector(index, op_name, RuntimeError)
    if isinstance(value, Tensor):
        value = other_on_device(input, value, op_name)
        _checked_number(value._data.item(), input, op_name)  # PyTorch writes its number
    else:
        value = _checked_number(value, input, op_name)
    size = input.shape[axis] if input.ndim else 1
    if not _reads_no_index(input, index, axis, op_name):
        _check_positions(index._data, size, lambda wrong: _out_of_bounds(wrong, axis, size))
    return input, index._data, value, axis


def _reads_no_index(input, index, axis, op_name):
    """Whether index_copy or index_fill writes nothing, so that PyTorch checks no position:
    into an empty input. It fails, though, to make a slice of elements along an empty dim
    (a RuntimeError) where there is a position to write."""
    if not input.ndim or input._data.size:
        return False
    if index._data.size and not input.shape[axis] and math.prod(_without(input.shape, axis)):
        raise RuntimeError(
            f"{op_name}(): dim {axis} of the input is empty: there is no slice to write into"
        )
    return True


def _axis(input, dim, index, source, op_name):
    """``dim`` as an axis of ``input``, once index and source are known to be tensors."""
    check_tensors(op_name, index=index, source=source)
    return wrap_dim(integer_argument(dim, op_name, "dim"), input.ndim)


def _check_accumulate(accumulate, op_name):
    if type(accumulate) is not bool:
        raise TypeError(
            f"{op_name.rstrip('_')}(): argument 'accumulate' must be a bool, not "
            f"{type(accumulate).__name__}"
        )


def _checked_index(index, input, op_name, allowed, error):
    """An index tensor of one of the ``allowed`` dtypes (even when empty), on the input's
    device; a dtype not allowed is PyTorch's ``error`` for this op."""
    check_tensors(op_name, index=index)
    check_same_device(input._data, index._data, op_name)
    if index._data.dtype.name not in allowed:
        raise error(
            f"{op_name}(): expected an index of dtype {' or '.join(allowed)}, got "
            f"{index.dtype}; convert it with .long()"
        )
    return index


def _check_vector(index, op_name, error):
    if index.ndim > 1:
        raise error(f"{op_name}(): the index must be 0-d or 1-d, got {index.ndim} dims")


def _check_same_dtype(input, source, op_name, source_name="source"):
    if source._data.dtype != input._data.dtype:
        raise RuntimeError(
            f"{op_name}(): the input ({input.dtype}) and the {source_name} ({source.dtype}) "
            f"must have the same dtype; convert the {source_name} with .to({input.dtype})"
        )


def _check_source_slices(input, index, source, axis, op_name, count_error):
    """As many source slices along ``axis`` as positions (``count_error`` if not), each of
    the shape of the input's slices."""
    count = index._data.size
    slices = source.shape[axis] if source.ndim else 1
    if count != slices:
        raise count_error(
            f"{op_name}(): the index has {count} positions but the source has {slices} "
            f"slices along dim {axis}"
        )
    if _without(input.shape, axis) != _without(source.shape, axis):
        raise RuntimeError(_slice_mismatch(input, source, op_name))


def _without(shape, axis):
    return tuple(shape[:axis]) + tuple(shape[axis + 1 :])


def _slice_mismatch(input, source, op_name):
    return (
        f"{op_name}(): the source's shape {list(source.shape)} must be the input's "
        f"{list(input.shape)} apart from the dim written along"
    )


def _alpha_in_type(alpha, input, op_name):
    """``alpha`` as the input's dtype holds it (PyTorch's RuntimeError where it cannot)."""
    if isinstance(alpha, Tensor) and not alpha.ndim:
        alpha = alpha.item()
    alpha = backend.python_number(alpha)
    if type(alpha) not in (int, float, bool):
        raise TypeError(
            f"{op_name.rstrip('_')}(): argument 'alpha' must be a number, not "
            f"{type(alpha).__name__}"
        )
    if input._data.dtype.kind == "b":
        return bool(alpha)
    return dtypes.checked_number(alpha, dtypes.from_numpy(input._data.dtype))


def _checked_number(value, input, op_name):
    """A number to write into ``input``, as PyTorch takes it (see ``checked_fill_value``)."""
    value = backend.python_number(value)
    if isinstance(value, complex):
        raise RuntimeError(f"{op_name}(): a complex value can't be written into {input.dtype}")
    return checked_fill_value(input, value, op_name.rstrip("_"))


def _check_positions(positions, size, out_of_range):
    """Every position (an array) from ``-size`` to ``size - 1``, else the exception that
    ``out_of_range(position)`` makes. Skipped on a GPU (see the module's doc)."""
    if not positions.size or backend.is_cuda_array(positions):
        return
    smallest, largest = int(positions.min()), int(positions.max())
    if smallest < -size:
        raise out_of_range(smallest)
    if largest >= size:
        raise out_of_range(largest)


def _out_of_bounds(position, axis, size):
    return IndexError(f"index {position} is out of bounds for dimension {axis} with size {size}")


def _along(axis, index):
    """The NumPy index of the slices at ``index`` (0-d or 1-d) along ``axis``."""
    return (slice(None),) * axis + (index.reshape(-1),)


def _add_along(target, index, source, axis, alpha):
    if not target.size:  # nothing to add to (PyTorch reads no index there either)
        return
    if alpha != 1:
        source = source * alpha
    backend.scatter_add(at_least_1d_array(target), _along(axis, index), at_least_1d_array(source))


def _copy_along(target, index, source, axis):
    if not target.size:  # nothing to write (PyTorch reads no index there either)
        return
    at_least_1d_array(target)[_along(axis, index)] = at_least_1d_array(source)


def _fill_along(target, index, value, axis):
    if not target.size:  # nothing to write (PyTorch reads no index there either)
        return
    # cast first: a float truncates into an int tensor, -1 wraps into uint8
    value = xp(target).asarray(value).astype(target.dtype)
    at_least_1d_array(target)[_along(axis, index)] = value


class IndexAddAlong(Function):
    """``a`` with ``alpha * source`` added at ``index`` along ``axis``. The gradient to
    ``a`` is the gradient itself; to the source, alpha times its slices at ``index``."""

    listed_inputs = (0, 2)

    def forward(self, a, index, source, axis, alpha):
        self.index, self.axis, self.alpha = index, axis, alpha
        self.source_shape = source.shape
        out = a.copy()
        _add_along(out, index, source, axis, alpha)
        return out

    def backward(self, grad):
        grad_source = None
        if self.needs_input_grad(2):
            grad_source = _slices_at(grad, self.index, self.axis, self.source_shape)
            if self.alpha != 1:
                grad_source = grad_source * self.alpha
        return grad, None, grad_source, None, None

    def name(self):
        return "IndexAddBackward0"


class IndexCopy(Function):
    """``a`` with the slices of ``source`` written at ``index`` along ``axis``. The
    gradient to ``a`` is zero in the written slices; each source slice gets the gradient
    of the slice it was written to."""

    listed_inputs = (0, 2)

    def forward(self, a, index, source, axis):
        self.index, self.axis, self.source_shape = index, axis, source.shape
        out = a.copy()
        _copy_along(out, index, source, axis)
        return out

    def backward(self, grad):
        grad_input = grad_source = None
        if self.needs_input_grad(0):
            grad_input = IndexFill.apply(grad, self.index, 0.0, self.axis)
        if self.needs_input_grad(2):
            grad_source = _slices_at(grad, self.index, self.axis, self.source_shape)
        return grad_input, None, grad_source, None

    def name(self):
        return "IndexCopyBackward0"


class IndexFill(Function):
    """``a`` with ``value`` in the slices at ``index`` along ``axis``. The gradient to
    ``a`` is zero there; a value tensor gets the sum of the gradient there, each place
    counted once however often its position repeats."""

    listed_inputs = (0,)  # a number value is no input of PyTorch's node

    def forward(self, a, index, value, axis):
        self.index, self.axis = index, axis
        self.tensor_value = backend.is_array(value)
        if self.tensor_value:
            self.listed_inputs = (0, 2)
            self.shape = a.shape
        out = _copy_laid_out(a)
        _fill_along(out, index, value, axis)
        return out

    def backward(self, grad):
        grad_input = grad_value = None
        if self.needs_input_grad(0):
            grad_input = IndexFill.apply(grad, self.index, 0.0, self.axis)
        if self.needs_input_grad(2):
            if not grad.ndim and not self.index.size:  # PyTorch's index_select there fails
                raise RuntimeError(
                    "index_select(): the backward of index_fill's value into a 0-d tensor "
                    "takes an index of one value, got none"
                )
            size = grad.shape[self.axis] if grad.ndim else 1
            _check_backward_positions(grad, self.index, self.axis, -size)
            filled = xp(self.index).zeros(self.shape, bool)
            _fill_along(filled, self.index, True, self.axis)
            grad_value = where(Tensor._make(filled), grad, 0.0)  # the engine sums it to 0-d
        return grad_input, None, grad_value, None

    def name(self):
        return "IndexFillBackward1" if self.tensor_value else "IndexFillBackward0"


def _copy_laid_out(a):
    """A copy of ``a`` laid out as it is, as PyTorch's index_fill, put and index_put copy
    their input (index_add, index_copy and masked_scatter copy it contiguous); an expanded
    input's copy is contiguous."""
    return a.copy(order="C" if 0 in a.strides else "K")


def _slices_at(grad, index, axis, shape):
    """The slices of ``grad`` at ``index`` along ``axis``, in ``shape`` (a source's)."""
    if not grad.ndim:  # a 0-d input's, read as one slice
        grad = grad.reshape(1)
    _check_backward_positions(grad, index, axis, 0)
    return IndexSelect.apply(grad, index, axis).reshape(shape)


def _check_backward_positions(grad, index, axis, lowest):
    """Where the forward wrote into an empty tensor, reading no position, PyTorch's
    backward reads them (index_select), and fails (a RuntimeError) on one below
    ``lowest`` or past the dim's end."""
    if grad._data.size or not index.size:
        return
    size = grad.shape[axis] if grad.ndim else 1
    if int(index.min()) < lowest or int(index.max()) >= size:
        raise RuntimeError(
            f"index_select(): index out of range for dim {axis} of size {size}, in the "
            "backward of a write into an empty tensor"
        )


# index_reduce: slices combined by a reduction ----------------------------------------

INDEX_REDUCTIONS = ("prod", "mean", "amax", "amin")


def index_reduce(input, dim, index, source, reduce, *, include_self=True, out=None):
    """``input`` with the slices of ``source`` combined, by ``reduce`` ('prod', 'mean',
    'amax' or 'amin'), into the slices at ``index`` along ``dim`` (and with them, unless
    ``include_self`` is False): scatter_reduce, with the index spread over the slices."""
    refuse_out(out, "index_reduce")
    arguments = _index_reduce_arguments(input, dim, index, source, reduce, include_self)
    return IndexReduce.apply(*arguments)


def index_reduce_(self, dim, index, source, reduce, *, include_self=True):
    refuse_a_leaf(self)
    arguments = _index_reduce_arguments(self, dim, index, source, reduce, include_self, True)
    return assign_in_place(self, IndexReduce, arguments[1:], write_along)


def _index_reduce_arguments(input, dim, index, source, reduce, include_self, in_place=False):
    """(input, index, source, axis, reduce, include_self) for ScatterReduce, checked as
    PyTorch checks them (as index_add's, but for the reduction); the index is spread to
    the source's shape, one position for each element of the slice it names."""
    op_name = "index_reduce_"
    if type(include_self) is not bool:
        raise TypeError(
            f"index_reduce(): argument 'include_self' must be a bool, not "
            f"{type(include_self).__name__}"
        )
    if reduce not in INDEX_REDUCTIONS:
        raise RuntimeError(
            f"index_reduce(): reduce must be one of 'prod', 'mean', 'amax' or 'amin', got "
            f"{reduce!r}"
        )
    axis, index = _slices_and_source(input, dim, index, source, op_name)
    if in_place:
        refuse_a_shared_target(input)
    _refuse_bools(input, index, reduce, include_self, before_range=True)
    if not include_self and index._data.size and input.ndim and not input.shape[axis]:
        # PyTorch first fills the slices at the positions, which fails (a RuntimeError)
        raise RuntimeError(f"index_reduce(): dim {axis} of the input is empty: no slice to fill")
    check_index_range(index, input, axis, op_name, IndexError)
    _refuse_bools(input, index, reduce, include_self, before_range=False)
    warn_once(
        "index_reduce",
        "index_reduce() is in beta and the API may change at any time.",
        stacklevel=3,
    )
    return input, _spread(index._data, source.shape, axis), source, axis, reduce, include_self


def _refuse_bools(input, index, reduce, include_self, before_range):
    """PyTorch's index_reduce of bools: its kernel of 0 or 1 dims, and its first fill of the
    slices without include_self, have none (before it reads a position); of more dims it
    combines slice by slice, where 'mean' fails at its division, once the positions are
    read (none at all for an empty index)."""
    if input._data.dtype.kind != "b":
        return
    if before_range:
        refused = input.ndim <= 1 or not include_self
    else:
        refused = reduce == "mean" and index._data.size
    if refused:
        raise NotImplementedError(
            f"index_reduce(): reduce={reduce!r} is not implemented here for bool tensors; "
            "convert with .int() first"
        )


def _spread(index, shape, axis):
    """The positions of a vector ``index`` along ``axis``, for every element of a source
    of ``shape``."""
    if not shape:  # a 0-d source: one slice, one position
        return index.reshape(())
    along = [1] * len(shape)
    along[axis] = -1
    return xp(index).broadcast_to(index.reshape(along), shape).copy()


class IndexReduce(ScatterReduce):
    """index_reduce: scatter_reduce's op under the name PyTorch gives its node."""

    def name(self):
        return "IndexReduceBackward0"


# masked_scatter --------------------------------------------------------------------


def masked_scatter(input, mask, source):
    """``input`` with the first elements of ``source`` (read flat) written, in order, where
    the mask is True; input and mask broadcast together."""
    mask, source = _masked_scatter_arguments(input, mask, source, "masked_scatter")
    return MaskedScatter.apply(input, mask, source)


def masked_scatter_(self, mask, source):
    refuse_a_leaf(self)
    mask, source = _masked_scatter_arguments(self, mask, source, "masked_scatter_")
    shape = tuple(self.shape)
    broadcast = backend.cpu_namespace.broadcast_shapes(shape, tuple(mask.shape))
    if broadcast != shape:
        raise RuntimeError(
            f"masked_scatter_(): the mask of shape {list(mask.shape)} does not broadcast to "
            f"the tensor's shape {list(shape)}"
        )
    return assign_in_place(self, MaskedScatter, (mask, source), _scatter_at_mask)


def _masked_scatter_arguments(input, mask, source, op_name):
    check_tensors(op_name, mask=mask, source=source)
    if mask._data.dtype.kind != "b":
        raise RuntimeError(
            f"{op_name}() takes a bool mask, got one of dtype {mask.dtype}; make one with a "
            "comparison or mask.bool()"
        )
    _check_same_dtype(input, source, op_name)
    error = broadcast_error(input, mask)
    if error is not None:
        raise error
    return other_on_device(input, mask, op_name), other_on_device(input, source, op_name)


def _scatter_at_mask(target, mask, source):
    """The first elements of ``source`` written where ``mask`` (of the target's shape, or
    one that broadcasts to it) is True, in order. Returns how many were written."""
    mask = xp(mask).broadcast_to(mask, target.shape)
    count = int(mask.sum())  # PyTorch's check of the source's size needs it too
    if count > source.size:
        raise RuntimeError(
            f"masked_scatter(): the mask holds {count} True values but the source only "
            f"{source.size} elements"
        )
    target[mask] = source.reshape(-1)[:count]
    return count


class MaskedScatter(Function):
    """The gradient to the input is zero where the mask is True; the source's first
    elements get the gradient of the places they went to, the rest zero."""

    listed_inputs = (0, 2)

    def forward(self, a, mask, source):
        namespace = xp(a)
        shape = backend.cpu_namespace.broadcast_shapes(a.shape, mask.shape)
        self.mask = namespace.broadcast_to(mask, shape)
        self.source_shape = source.shape
        out = namespace.broadcast_to(a, shape).copy()
        self.count = _scatter_at_mask(out, self.mask, source)
        return out

    def backward(self, grad):
        grad_input = grad_source = None
        mask = Tensor._make(self.mask)
        if self.needs_input_grad(0):
            grad_input = where(mask, 0.0, grad)  # the engine sums it back to the input's shape
        if self.needs_input_grad(2):
            written = GetItem.apply(grad, self.mask, False)
            size = math.prod(self.source_shape)
            if self.count != size:
                written = IndexAdd.apply(written, (size,), slice(0, self.count))
            grad_source = written.reshape(self.source_shape)
        return grad_input, None, grad_source

    def name(self):
        return "MaskedScatterBackward0"


# take and put: positions of the tensor read flat -----------------------------------


def take(input, index, *, out=None):
    """The input's elements, read flat, at ``index`` (of any shape, that of the result);
    a negative position counts from the end."""
    refuse_out(out, "take")
    positions = _flat_positions(input, index, "take")
    return Take.apply(input, positions)


def put(input, index, source, accumulate=False):
    """``input`` with the elements of ``source`` written (or, with ``accumulate``, added)
    at the positions ``index`` gives in the input read flat."""
    arguments = _put_arguments(input, index, source, accumulate, "put")
    return Put.apply(input, *arguments)


def put_(self, index, source, accumulate=False):
    refuse_a_leaf(self)
    arguments = _put_arguments(self, index, source, accumulate, "put_")
    return assign_in_place(self, Put, arguments, _put_flat)


def _put_arguments(input, index, source, accumulate, op_name):
    """(positions, source, accumulate), checked as PyTorch checks them, in its order: the
    index's dtype, the source's, their sizes, then the positions."""
    check_tensors(op_name, source=source)
    _check_accumulate(accumulate, op_name)
    _checked_index(index, input, "put_", ("int64",), RuntimeError)
    _check_same_dtype(input, source, "put_")
    if source._data.size != index._data.size:
        raise IndexError(
            f"put_(): the source has {source._data.size} elements and the index "
            f"{index._data.size}: they must have as many"
        )
    if op_name == "put_":
        refuse_a_shared_target(input)
    positions = _flat_positions(input, index, "put_")
    return positions, other_on_device(input, source, op_name), accumulate


def _flat_positions(input, index, op_name):
    """The int64 ``index`` as positions from 0 in the input read flat, checked in range."""
    _checked_index(index, input, op_name, ("int64",), RuntimeError)
    positions = index._data
    size = input._data.size
    if positions.size and not size:
        raise IndexError(f"{op_name}(): the tensor is empty: there is no position to reach")
    _check_positions(
        positions,
        size,
        lambda wrong: IndexError(
            f"{op_name}(): index {wrong} is out of range for a tensor of {size} elements"
        ),
    )
    return xp(positions).where(positions < 0, positions + size, positions)  # no host read


def _put_flat(target, positions, source, accumulate):
    """``source`` (an array or a number) written, or added, at ``positions`` of ``target``
    read flat, in its own storage (a transposed tensor is written where it lies)."""
    values = source.reshape(-1) if backend.is_array(source) else source
    if target.flags.c_contiguous:
        target, places = target.reshape(-1), positions.reshape(-1)  # a view
    else:
        places = xp(positions).unravel_index(positions.reshape(-1), target.shape)
    if accumulate:
        backend.scatter_add(target, places, values)
    else:
        target[places] = values


class Take(Gather):
    """The elements at flat ``positions``; the gradient is added back there (Gather's)."""

    def forward(self, a, positions):
        self.shape, self.positions = a.shape, positions
        return a.reshape(-1)[positions.reshape(-1)].reshape(positions.shape)

    def backward(self, grad):
        return super().backward(grad)[:2]

    def name(self):
        return "TakeBackward0"


class Put(Function):
    """The gradient to the input is zero at the written positions (whole when added);
    each source element gets the gradient of its position."""

    listed_inputs = (0, 2)

    def forward(self, a, positions, source, accumulate):
        self.positions, self.accumulate = positions, accumulate
        self.source_shape = getattr(source, "shape", ())  # the backward's 0.0 has none
        out = _copy_laid_out(a)
        _put_flat(out, positions, source, accumulate)
        return out

    def backward(self, grad):
        grad_input = grad_source = None
        if self.needs_input_grad(0):
            grad_input = grad if self.accumulate else Put.apply(grad, self.positions, 0.0, False)
        if self.needs_input_grad(2):
            grad_source = Take.apply(grad, self.positions).reshape(self.source_shape)
        return grad_input, None, grad_source, None

    def name(self):
        return "PutBackward0"


# index_put: x[indices] = values ----------------------------------------------------


def index_put(input, indices, values, accumulate=False):
    """``input`` with ``values`` written (or, with ``accumulate``, added) at the advanced
    index ``indices``, a tuple of tensors: ``x.index_put((i, j), v)`` is ``x[i, j] = v``
    on a copy."""
    index, values, op = _index_put_arguments(input, indices, values, accumulate, "index_put")
    return op.apply(input, values, index)


def index_put_(input, indices, values, accumulate=False):
    refuse_a_leaf(input)
    index, values, op = _index_put_arguments(input, indices, values, accumulate, "index_put_")
    write = _add_at_index if accumulate else write_at_index
    return assign_in_place(input, op, (values, index), write)


def _index_put_arguments(input, indices, values, accumulate, op_name):
    """(the index as ``array_index`` gives it, values, the op), checked as PyTorch checks
    them."""
    name = op_name.rstrip("_")
    if not isinstance(indices, (tuple, list)):
        raise TypeError(
            f"{name}(): argument 'indices' must be a tuple of Tensors, not {type(indices).__name__}"
        )
    for position, item in enumerate(indices):
        if not isinstance(item, Tensor):
            raise TypeError(
                f"{name}(): indices must all be Tensors, but element {position} is a "
                f"{type(item).__name__}"
            )
    check_tensors(op_name, values=values)
    _check_accumulate(accumulate, op_name)
    if not indices:
        raise RuntimeError(f"{op_name}(): indices must hold at least one tensor")
    dims_indexed = sum(max(item.ndim, 1) if _is_mask(item) else 1 for item in indices)
    if dims_indexed > input.ndim:
        raise IndexError(
            f"{op_name}(): too many indices for a tensor of {input.ndim} dims "
            f"(the indices cover {dims_indexed})"
        )
    _check_index_dtypes(indices, op_name)
    _check_index_shapes(input, indices, op_name)  # before the values' dtype, as PyTorch
    if not (accumulate and not input._data.size):  # (that path has its own order, below)
        _check_values_fit(input, indices, values, accumulate, op_name)
    fills = _fills_a_mask(input, indices, values, accumulate)
    if fills and indices[0]._data.dtype.kind != "b":
        raise RuntimeError(
            f"{op_name}(): one value at a lone mask is written as masked_fill_ writes it, "
            f"which takes only a bool mask, not {indices[0].dtype}; use mask.bool()"
        )
    cast = values._data.dtype != input._data.dtype
    if cast and fills:
        # PyTorch writes one value at a lone mask as masked_fill does, casting it
        if op_name == "index_put" and _takes_history(values) and input._data.dtype.kind != "f":
            raise RuntimeError(
                f"index_put(): values that require grad would give the {input.dtype} result "
                "a gradient, which only floating point tensors take; detach the values"
            )
        _checked_number(values.item(), input, op_name)
        values = values.to(input.dtype)
    _check_same_dtype(input, values, op_name, "values")
    if accumulate and not input._data.size:
        _check_empty_places(input, indices, values, op_name)
    index, _ = array_index(tuple(indices), input._data)
    op = IndexPutAdding if accumulate else IndexPutAt
    return index, other_on_device(input, values, op_name), op


def _is_mask(index):
    """Whether PyTorch reads an index tensor as a mask: a bool one, or (deprecated) uint8."""
    return index._data.dtype.kind == "b" or index._data.dtype.name == "uint8"


def _check_index_dtypes(indices, op_name):
    """PyTorch's IndexError for an index of another dtype, before it checks any shape."""
    for item in indices:
        if item._data.dtype.name not in ("int64", "int32", "uint8", "bool"):
            raise IndexError(
                f"{op_name}(): tensors used as indices must be long, int, byte or bool "
                f"tensors, not {item.dtype}; convert them with .long()"
            )


def _check_index_shapes(input, indices, op_name):
    """Each bool mask of the shape of the dims it covers, and no position along an empty
    dim (PyTorch's IndexErrors, which come before its other checks)."""
    covered = 0
    for position, item in enumerate(indices):
        if not _is_mask(item):
            if item._data.size and covered < input.ndim and not input.shape[covered]:
                raise IndexError(f"{op_name}(): index out of bounds for dim {covered}, of size 0")
            covered += 1
            continue
        dims = tuple(input.shape[covered : covered + item.ndim])
        if tuple(item.shape) != dims:
            raise IndexError(
                f"{op_name}(): the mask of shape {list(item.shape)} at index {position} does "
                f"not match the dims it covers, of shape {list(dims)}"
            )
        covered += item.ndim


def _fills_a_mask(input, indices, values, accumulate):
    """Whether index_put writes one value (of any shape) at a lone mask (bool, or uint8)
    of the input's leading dims, without accumulate: PyTorch's masked_fill path."""
    if accumulate or values._data.size != 1 or len(indices) != 1:
        return False
    mask = indices[0]
    return _is_mask(mask) and tuple(mask.shape) == tuple(input.shape[: mask.ndim])


def _places_indexed(input, indices):
    """The shape of ``input[indices]`` (bool masks as their positions), or None where the
    indices do not broadcast together (array_index refuses them)."""
    shapes, covered = [], 0
    for item in indices:
        if _is_mask(item):
            shapes.append((int(item._data.astype(bool).sum()),))
            covered += max(item.ndim, 1)
            continue
        shapes.append(tuple(item.shape))
        covered += 1
    try:
        return backend.cpu_namespace.broadcast_shapes(*shapes) + tuple(input.shape[covered:])
    except ValueError:
        return None


def _check_values_fit(input, indices, values, accumulate, op_name):
    """Values that broadcast to the places indexed (PyTorch's RuntimeError, before it
    checks the values' dtype or reads a position). Without ``accumulate``, extra leading
    size-1 dims are taken, as ``x[i] = v`` takes them (docs/differences.md). uint8 masks
    (deprecated) and 0-d masks are left to array_index."""
    if any(item._data.dtype.kind == "u" or not item.ndim for item in indices):
        return
    places = _places_indexed(input, indices)
    if places is None:
        return
    shape = tuple(values.shape)
    while not accumulate and len(shape) > len(places) and shape[0] == 1:
        shape = shape[1:]
    try:
        fits = backend.cpu_namespace.broadcast_shapes(shape, places) == places
    except ValueError:
        fits = False
    if not fits:
        raise RuntimeError(
            f"{op_name}(): values of shape {list(values.shape)} can't be broadcast to the "
            f"shape of the places indexed, {list(places)}"
        )


def _check_empty_places(input, indices, values, op_name):
    """index_put with ``accumulate`` into an empty tensor, as PyTorch checks it (once
    ``_check_index_shapes`` has): the values broadcast to the places indexed, and there
    are none (any would be out of range, since some dim indexed is empty); no position is
    checked otherwise."""
    places = _places_indexed(input, indices)
    if places is None or math.prod(places):
        raise IndexError(f"{op_name}(): index out of bounds: the tensor is empty")
    try:
        backend.cpu_namespace.broadcast_shapes(tuple(values.shape), places)
    except ValueError:
        raise RuntimeError(
            f"{op_name}(): values of shape {list(values.shape)} can't be broadcast to the "
            f"shape of the places indexed, {list(places)}"
        ) from None


def _add_at_index(target, value, index):
    """``target[index] += value`` on arrays, where a repeated position adds every value."""
    if not target.size:  # nothing to add to (PyTorch reads no index there either)
        return
    if type(index) is SelectThenIndex:
        target, index = target[index.select], index.rest  # a view: adding to it adds to target
    try:
        backend.scatter_add(target, index, value)
    except ValueError:
        raise RuntimeError(
            f"index_put(): values of shape {list(value.shape)} can't be broadcast to the "
            "shape of the places indexed"
        ) from None
    except IndexError as error:
        raise IndexError(str(error).replace("axis", "dimension")) from None


class IndexPutAt(IndexPut):
    """index_put: setitem's op, under the name PyTorch gives index_put's node, on a copy
    laid out as the target is (setitem's copy is contiguous)."""

    def forward(self, target, value, index):
        self.index, self.shape = index, target.shape
        self.value_dims = getattr(value, "ndim", 0)
        out = _copy_laid_out(target)
        write_at_index(out, value, index)
        return out

    def name(self):
        return "IndexPutBackward0"


class IndexPutAdding(IndexPutAt):
    """index_put with ``accumulate=True``: the values are added, so the gradient to the
    target passes whole."""

    def forward(self, target, value, index):
        self.index, self.shape = index, target.shape
        self.value_dims = value.ndim
        out = _copy_laid_out(target)
        _add_at_index(out, value, index)
        return out

    def target_gradient(self, grad):
        return grad


# fill_diagonal_ --------------------------------------------------------------------


def fill_diagonal_(self, fill_value, wrap=False):
    """``fill_value`` written on the main diagonal (of a tensor of 2 dims, or more of one
    size). A tall matrix's diagonal stops at its last column unless ``wrap``, where it
    starts again one row below, as NumPy's fill_diagonal does."""
    if type(wrap) is not bool:
        raise TypeError(
            f"fill_diagonal_(): argument 'wrap' must be a bool, not {type(wrap).__name__}"
        )
    fill_value = _diagonal_value(fill_value, self)
    shape = tuple(self.shape)
    if len(shape) < 2:
        raise RuntimeError(f"fill_diagonal_() needs at least 2 dims, got {len(shape)}")
    if len(shape) > 2 and len(set(shape)) > 1:
        raise RuntimeError(
            f"fill_diagonal_(): a tensor of more than 2 dims needs them all of one size, got "
            f"{list(shape)}"
        )
    setitem(self, _diagonal_places(self._data, wrap), fill_value)
    return self


def _diagonal_value(fill_value, tensor):
    """A number the tensor's type holds (1e10 is too large for float16, unlike in
    ``x[...] = 1e10``). PyTorch takes a 0-d tensor that needs no gradient as its number."""
    if isinstance(fill_value, Tensor) and not fill_value.ndim and not fill_value.requires_grad:
        fill_value = fill_value.item()
    if isinstance(fill_value, Tensor):
        raise TypeError(
            "fill_diagonal_(): fill_value must be a number or a 0-d tensor that needs no "
            "gradient; pass fill_value.item()"
        )
    return _checked_number(fill_value, tensor, "fill_diagonal_")


def _diagonal_places(data, wrap):
    """The coordinates of the diagonal: every ``step``-th element read flat, where a step
    moves one place along every dim; a matrix's stops after its last column unless
    ``wrap``."""
    shape = data.shape
    step, stride = 0, 1
    for size in reversed(shape):
        step += stride
        stride *= size
    end = data.size
    if len(shape) == 2 and not wrap:
        end = min(shape) * shape[1]
    namespace = xp(data)
    positions = namespace.arange(0, end, step)
    return namespace.unravel_index(positions, shape)
