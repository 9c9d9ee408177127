"""Writing slices along one dim, at the positions of an index: index_add, index_copy,
index_fill and index_reduce (scatter_reduce, with the index spread over the slices).

What ``index_writes.py``'s notes say of every index write holds here: the in-place forms
write through ``assign_in_place``, a written place passes no gradient back (an added one
passes all of it), and each op checks what PyTorch checks, in its order and with its
error types (int32 indices taken by index_add and index_reduce alone, negative positions
counted from the end by index_fill alone). The checks all index writes share are in
``write_checks.py``.
"""

import math

from .. import backend, dtypes
from ..arguments import check_tensors, integer_argument
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from ..creation import refuse_out
from ..dims import takes_axis, wrap_dim
from ..tensor import Tensor, warn_once
from .gathering import (
    IndexSelect,
    ScatterReduce,
    at_least_1d_array,
    check_index_range,
    refuse_a_leaf,
    refuse_a_shared_target,
    write_along,
)
from .inplace import assign_in_place
from .operands import other_on_device
from .selection import where
from .write_checks import (
    check_positions,
    check_same_dtype,
    checked_index,
    checked_number,
    copy_laid_out,
    takes_history,
)

# index_add, index_copy, index_fill: slices along one dim ------------------------------


@takes_axis
def index_add(input, dim, index, source, *, alpha=1, out=None):
    """``input`` with ``alpha * source`` added to the slices at ``index`` along ``dim``;
    a repeated position adds every slice sent to it."""
    refuse_out(out, "index_add")
    return IndexAddAlong.apply(*_index_add_arguments(input, dim, index, source, alpha))


@takes_axis
def index_add_(self, dim, index, source, *, alpha=1):
    refuse_a_leaf(self)
    arguments = _index_add_arguments(self, dim, index, source, alpha, in_place=True)
    return assign_in_place(self, IndexAddAlong, arguments[1:], _add_along)


@takes_axis
def index_copy(input, dim, index, source, *, out=None):
    """``input`` with the slices of ``source`` written at ``index`` along ``dim``."""
    refuse_out(out, "index_copy")
    return IndexCopy.apply(*_index_copy_arguments(input, dim, index, source))


@takes_axis
def index_copy_(self, dim, index, source):
    refuse_a_leaf(self)
    arguments = _index_copy_arguments(self, dim, index, source, in_place=True)
    return assign_in_place(self, IndexCopy, arguments[1:], _copy_along)


@takes_axis
def index_fill(input, dim, index, value):
    """``input`` with ``value`` (a number or a 0-d tensor) in the slices at ``index``
    along ``dim``; a negative position counts from the end."""
    arguments = _index_fill_arguments(input, dim, index, value)
    if takes_history(value) and input._data.dtype.kind != "f":
        # (the in-place form takes it, as PyTorch's does)
        raise RuntimeError(
            f"index_fill(): a value that requires grad would give the {input.dtype} result a "
            "gradient, which only floating point tensors take; detach the value"
        )
    return IndexFill.apply(*arguments)


@takes_axis
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
    index = checked_index(index, input, op_name, ("int32", "int64"), RuntimeError)
    check_same_dtype(input, source, op_name)
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
    index = checked_index(index, input, op_name, ("int64",), RuntimeError)
    check_same_dtype(input, source, op_name)
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
    index = checked_index(index, input, op_name, ("int64",), IndexError)
    _check_vector(index, op_name, RuntimeError)
    if isinstance(value, Tensor):
        value = other_on_device(input, value, op_name)
        checked_number(value._data.item(), input, op_name)  # PyTorch writes its number
    else:
        value = checked_number(value, input, op_name)
    size = input.shape[axis] if input.ndim else 1
    if not _reads_no_index(input, index, axis, op_name):
        check_positions(index._data, size, lambda wrong: _out_of_bounds(wrong, axis, size))
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


def _check_vector(index, op_name, error):
    if index.ndim > 1:
        raise error(f"{op_name}(): the index must be 0-d or 1-d, got {index.ndim} dims")


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
        out = copy_laid_out(a)
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
