"""Reading and writing elements along one dim: gather, scatter, scatter_add,
scatter_reduce, index_select, masked_select and take_along_dim.

``gather`` reads, at each position of an index tensor, the input's element at the
same coordinates except along ``dim``, where the index says which; ``scatter``
writes the same way round. So each one's gradient is the other's op: gather's
backward adds the gradient back at the places it read (a place read twice gets
both), and the gradient that scatter passes to its source is a gather.

The checks (index dtype, dims, sizes, range) are PyTorch's, with its exception
types. The range check reads the index's smallest and largest values, so on a
GPU, where that would wait for the device, it is skipped. Of an empty index,
whose positions are never read, PyTorch checks neither the dtype nor the shape
(``tensor([])``, float32, gathers nothing), and nor does ember.
"""

import math

from .. import backend
from ..arguments import integer_argument
from ..autograd import grad_mode
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from ..creation import refuse_out
from ..device import check_same_device, device_of_array
from ..dims import takes_axis, wrap_dim
from ..tensor import Tensor, warn_once
from .indexing import IndexAdd, IndexPut
from .inplace import assign_in_place, check_leaf, refuse_a_view_of_a_leaf
from .movement import expand, reshape
from .operands import broadcast_error, check_float_fits, check_integer_fits, other_on_device
from .selection import masked_fill, where


def coordinates_along(index, axis):
    """A NumPy index that reads, for each position of ``index``, the element at that
    position's own coordinates but along ``axis``, where ``index`` gives the coordinate."""
    namespace = xp(index)
    coordinates = []
    for position, size in enumerate(index.shape):
        if position == axis:
            coordinates.append(index)
        else:
            shape = [1] * index.ndim
            shape[position] = size
            coordinates.append(namespace.arange(size).reshape(shape))
    return tuple(coordinates)


def at_least_1d_array(array):
    """PyTorch reads a 0-d input or index of these ops as one element along dim 0."""
    return array if array.ndim else array.reshape(1)


# gather ----------------------------------------------------------------------------


@takes_axis
def gather(input, dim, index, *, sparse_grad=False, out=None):
    """``sparse_grad`` is accepted and changes nothing: ember's gradients are dense."""
    refuse_out(out, "gather")
    _check_is_tensor(index, "gather")
    axis = wrap_dim(dim, input.ndim)  # PyTorch checks the dim before the index's dtype
    _check_index(index, input, "gather", "int32/int64")
    _check_same_dims(index, input, "input")
    _check_sizes(index, input, axis, "gather", "input")
    check_index_range(index, input, axis, "gather")
    return Gather.apply(input, index, axis)


class Gather(Function):
    """The input's elements at ``index`` along ``axis``; the gradient is added back at the
    places read. sort, topk and kthvalue pick their values this way too.

    The elements are read from the flat input, at one position each: NumPy takes one
    array of positions about five times as fast as a tuple of coordinate arrays, and
    adds a gradient back at them about nine times as fast (256x256: 55 us, 106 us)."""

    listed_inputs = (0,)

    def forward(self, a, index, axis):
        self.shape = a.shape
        self.positions = flat_positions(a.shape, index, axis)
        return a.reshape(-1)[self.positions]

    def backward(self, grad):
        flat_size = (math.prod(self.shape),)
        grad = reshape(grad, (-1,))
        added = IndexAdd.apply(grad, flat_size, self.positions.reshape(-1))
        return reshape(added, self.shape), None, None


def flat_positions(shape, index, axis):
    """Where, in the flat (C order) form of an array of ``shape``, each element that
    ``index`` picks lies: at the entry's own coordinates, but along ``axis`` at its value.
    A 0-d array or index counts as one element along dim 0."""
    if not index.size:  # of any shape and dtype (see the module's doc)
        return xp(index).zeros(index.shape, "int64")
    coordinates = coordinates_along(at_least_1d_array(index), axis)
    return xp(index).ravel_multi_index(coordinates, shape or (1,)).reshape(index.shape)


# scatter, scatter_add and scatter_reduce -------------------------------------------


@takes_axis
def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    """``input`` with ``src`` (a tensor) or ``value`` (a number) written at ``index``
    along ``dim``; with ``reduce`` ('add' or 'multiply'), combined with the element there
    instead, and then without a gradient, as in PyTorch."""
    arguments = _scatter_arguments(input, dim, index, src, value, "scatter")
    if reduce is None:
        return Scatter.apply(*arguments)
    reduction = _scatter_reduction(reduce, arguments[2], "scatter")
    return ScatterWithReduce.apply(*arguments, reduction)


@takes_axis
def scatter_add(input, dim, index, src):
    return Scatter.apply(*_scatter_arguments(input, dim, index, src, None, "scatter_add"), "sum")


@takes_axis
def scatter_reduce(input, dim, index, src, reduce, *, include_self=True, out=None):
    """``input`` with each element of ``src`` combined, by ``reduce``, into the element at
    ``index`` along ``dim``: 'sum', 'prod', 'mean', 'amax' or 'amin' of the elements sent
    to one place, and of the one there unless ``include_self`` is False."""
    refuse_out(out, "scatter_reduce")
    arguments = _scatter_reduce_arguments(
        input, dim, index, src, reduce, include_self, "scatter_reduce"
    )
    return ScatterReduce.apply(*arguments)


@takes_axis
def scatter_(self, dim, index, src=None, *, value=None, reduce=None):
    refuse_a_leaf(self)
    arguments = _scatter_arguments(self, dim, index, src, value, "scatter_")
    if reduce is None:
        return _in_place(Scatter, arguments)
    reduction = _scatter_reduction(reduce, arguments[2], "scatter_")
    return _in_place(ScatterWithReduce, arguments + (reduction,))


@takes_axis
def scatter_add_(self, dim, index, src):
    refuse_a_leaf(self)
    arguments = _scatter_arguments(self, dim, index, src, None, "scatter_add_")
    return _in_place(Scatter, arguments + ("sum",))


@takes_axis
def scatter_reduce_(self, dim, index, src, reduce, *, include_self=True):
    refuse_a_leaf(self)
    arguments = _scatter_reduce_arguments(
        self, dim, index, src, reduce, include_self, "scatter_reduce_"
    )
    return _in_place(ScatterReduce, arguments)


def refuse_a_leaf(tensor):
    """PyTorch refuses a write into a leaf that requires grad, or into a view of one, before
    it checks the op's arguments."""
    check_leaf(tensor)
    node = tensor.grad_fn
    if node is not None and node.view_of is not None and grad_mode.state.enabled:
        refuse_a_view_of_a_leaf(node.view_of[0])


def _in_place(op, arguments):
    tensor, *rest = arguments
    return assign_in_place(tensor, op, tuple(rest), write_along)


def _scatter_arguments(input, dim, index, src, value, op_name, refuse_dtype=None):
    """(input, index, source, axis), checked as PyTorch checks them; the source is the
    src tensor or the value, a number. ``refuse_dtype(input)`` raises where the op has no
    kernel for the dtype, which PyTorch finds before the positions out of range."""
    if src is None:
        src = value
    if src is None:
        raise TypeError(f"{op_name}() needs a src tensor or a value to write")
    if op_name.startswith(("scatter_add", "scatter_reduce")) and not isinstance(src, Tensor):
        raise TypeError(f"{op_name}(): src must be a Tensor, not {type(src).__name__}")
    _check_is_tensor(index, op_name.rstrip("_"))
    axis = wrap_dim(dim, input.ndim)  # PyTorch checks the dim before the index's dtype
    _check_index(index, input, op_name.rstrip("_"), "int32/int64")
    _check_same_dims(index, input, "self")
    if isinstance(src, Tensor):
        src = other_on_device(input, src, op_name)
        _check_same_dims(index, src, "src")
        if src._data.dtype != input._data.dtype:
            raise RuntimeError(
                f"{op_name}(): expected src of the input's dtype {input.dtype}, got "
                f"{src.dtype}; convert it with .to({input.dtype})"
            )
        _check_sizes(index, src, None, op_name, "src")
    else:
        src = backend.python_number(src)
        if index._data.size:  # PyTorch checks that the value fits only where it writes it
            src = checked_fill_value(input, src, op_name)
        elif type(src) not in (bool, int, float):
            raise TypeError(f"{op_name}(): value must be a number, not {type(src).__name__}")
    _check_sizes(index, input, axis, op_name, "self")
    if op_name.endswith("_"):
        refuse_a_shared_target(input)
    if refuse_dtype is not None:
        refuse_dtype(input)
    check_index_range(index, input, axis, op_name)
    if not index._data.size:  # reads nothing, whatever its shape: one of the input's dims
        # (and int64) lets the backward's coordinates along the input's dims be built as usual
        index = Tensor._make(xp(index._data).zeros((0,) * max(input.ndim, 1), "int64"))
    return input, index, src, axis


def _scatter_reduction(reduce, source, op_name):
    """scatter's ``reduce`` ('add', 'multiply') as the reduction that does it. With a src
    tensor PyTorch warns, once, that this form will go in favour of scatter_reduce."""
    if reduce not in ("add", "multiply"):
        raise RuntimeError(
            f"{op_name}(): reduce must be 'add' or 'multiply', got {reduce!r} (scatter_reduce "
            "takes 'sum', 'prod', 'mean', 'amax' and 'amin')"
        )
    if isinstance(source, Tensor):
        warn_once(
            "scatter reduce",
            "scatter's reduce argument with a src tensor is deprecated and will be removed in "
            "a future PyTorch release; use scatter_reduce (reduce='sum' or 'prod'), which "
            "also has a gradient and more reductions",
            stacklevel=3,
        )
    return "sum" if reduce == "add" else "prod"


SCATTER_REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")
# PyTorch's forward also takes these names, which its backward then refuses.
_FORWARD_ONLY_REDUCTIONS = {"max": "amax", "min": "amin"}


def _scatter_reduce_arguments(input, dim, index, src, reduce, include_self, op_name):
    """(input, index, src, axis, reduction, include_self), checked as PyTorch checks them."""
    if not isinstance(reduce, str):
        raise TypeError(f"{op_name}(): reduce must be a str, not {type(reduce).__name__}")
    if reduce not in SCATTER_REDUCTIONS and reduce not in _FORWARD_ONLY_REDUCTIONS:
        raise RuntimeError(
            f"{op_name}(): reduce must be one of 'sum', 'prod', 'mean', 'amax' or 'amin', "
            f"got {reduce!r}"
        )
    if type(include_self) is not bool:
        raise TypeError(
            f"{op_name}(): include_self must be a bool, not {type(include_self).__name__}"
        )

    def refuse_a_bool_mean(input):
        if reduce == "mean" and input._data.dtype.kind == "b":
            raise NotImplementedError(
                f"{op_name}(): reduce='mean' is not implemented for bool tensors; convert "
                "with .float() first"
            )

    # Without include_self, PyTorch first writes the identity at the positions (which
    # checks them); with it, its kernel's dtype comes before the positions.
    early = refuse_a_bool_mean if include_self else None
    arguments = _scatter_arguments(input, dim, index, src, None, op_name, early)
    refuse_a_bool_mean(input)
    return arguments + (reduce, include_self)


def checked_fill_value(input, value, op_name):
    """A number to write into ``input``: PyTorch refuses one that the dtype cannot hold
    (NaN into an integer tensor, 300 into int8)."""
    if type(value) is float or (type(value) is int and input._data.dtype.kind == "f"):
        check_float_fits(value, input)  # (70000 is too large for float16)
    elif type(value) is int:
        check_integer_fits(value, input)
    elif type(value) is not bool:
        raise TypeError(f"{op_name}(): value must be a number, not {type(value).__name__}")
    return value


def write_along(target, index, source, axis, reduction=None, include_self=True):
    """``target`` (an array) with ``source`` (an array, or a number) written at ``index``
    along ``axis``; or, with a ``reduction`` (one of ``SCATTER_REDUCTIONS``, or 'max' or
    'min', which mean 'amax' and 'amin'), combined with what is there (left out unless
    ``include_self``) and with each other where positions repeat."""
    if not index.size:  # nothing to write, and the index may be of any shape and dtype
        return
    target, index = at_least_1d_array(target), at_least_1d_array(index)
    coordinates = coordinates_along(index, axis)
    if not backend.is_array(source):  # cast first: a float truncates, -1 wraps into uint8
        source = xp(target).asarray(source).astype(target.dtype)
    elif source.ndim:  # a src tensor may be larger than the index: its leading part is read
        source = at_least_1d_array(source)[_leading(index.shape)]
    if reduction is None:
        target[coordinates] = source
    else:
        _reduce_into(target, coordinates, source, reduction, include_self)


def _reduce_into(target, coordinates, source, reduction, include_self):
    """``target`` (an array) with ``source`` combined in at ``coordinates``, in place."""
    reduction = _FORWARD_ONLY_REDUCTIONS.get(reduction, reduction)
    _combine_into(target, coordinates, source, reduction, include_self)
    if reduction == "mean":  # of float16: the rounded sum divided, rounded again (PyTorch's)
        sizes = _group_sizes(target.shape, coordinates, include_self, target.dtype)
        if target.dtype.kind == "f":
            target /= sizes
        else:
            target //= sizes  # PyTorch rounds an integer mean down


def _combine_into(target, coordinates, source, reduction, include_self):
    """The sum, product, max or min of what is at ``coordinates`` (unless not
    ``include_self``) and ``source``, written there. float16 combines in float32 and rounds
    once, as PyTorch does: added one at a time in float16, 3,000 ones would stop at 2,048."""
    if target.dtype == "float16":
        wide = target.astype("float32")
        _combine_into(wide, coordinates, source.astype("float32"), reduction, include_self)
        target[...] = wide
        return
    if reduction in ("amax", "amin"):
        _extremum_into(target, coordinates, source, reduction, include_self)
        return
    if not include_self:
        target[coordinates] = _identity(reduction, target.dtype)
    if reduction == "sum" or reduction == "mean":
        backend.scatter_add(target, coordinates, source)
    else:
        _combine_at(target, coordinates, source, reduction)


def _extremum_into(target, coordinates, source, reduction, include_self):
    """The max or min combined in as PyTorch's kernel does it: of equal values (0. and
    -0.), the one met first stays, the input's own before any from the source. NumPy's
    ``ufunc.at`` keeps the last of equals, so the source goes into the identity in reverse
    order, and the input's own comes last (NumPy's maximum keeps the second of equals)."""
    namespace = xp(target)
    coordinates = namespace.broadcast_arrays(*coordinates)
    backwards = tuple(array.reshape(-1)[::-1] for array in coordinates)
    source = namespace.broadcast_to(source, coordinates[0].shape).reshape(-1)[::-1]
    reduced = namespace.full(target.shape, _identity(reduction, target.dtype), target.dtype)
    _combine_at(reduced, backwards, source, reduction)
    if include_self:
        larger = reduction == "amax"
        reduced = (namespace.maximum if larger else namespace.minimum)(reduced, target)
    written = namespace.zeros(target.shape, bool)
    written[tuple(coordinates)] = True
    target[written] = reduced[written]


def _identity(reduction, dtype):
    """The value that leaves any other unchanged under ``reduction``, in ``dtype``."""
    if reduction in ("sum", "mean"):
        return 0
    if reduction == "prod":
        return 1
    if dtype.kind == "b":
        return reduction == "amin"
    if dtype.kind == "f":
        return -math.inf if reduction == "amax" else math.inf
    limits = backend.cpu_namespace.iinfo(dtype)
    return limits.min if reduction == "amax" else limits.max


_COMBINING_UFUNCS = {
    "prod": backend.cpu_namespace.multiply,
    "amax": backend.cpu_namespace.maximum,  # NaN wins, as in PyTorch
    "amin": backend.cpu_namespace.minimum,
}


def _combine_at(target, coordinates, source, reduction):
    """``target[coordinates] = op(target[coordinates], source)`` in place, each repeated
    coordinate combining again: NumPy's ``ufunc.at``."""
    combine = _COMBINING_UFUNCS[reduction]
    if not backend.is_cuda_array(target):
        combine.at(target, coordinates, source)
        return
    # CuPy has no multiply.at: combine on the host (a rare op) and copy the result back
    host = backend.to_host(target).copy()
    host_coordinates = tuple(backend.to_host(array) for array in coordinates)
    combine.at(host, host_coordinates, backend.to_host(source))
    target[...] = backend.to_device(host, device_of_array(target))


def _group_sizes(shape, coordinates, include_self, dtype):
    """How many values went into each element of an array of ``shape`` (counting its own
    when ``include_self``), at least 1, in ``dtype``: what a mean divides by."""
    namespace = xp(coordinates[0])
    sizes = namespace.full(shape, 1 if include_self else 0, dtype)
    _combine_into(sizes, coordinates, namespace.ones(coordinates[0].shape, dtype), "sum", True)
    return namespace.maximum(sizes, 1)


class Scatter(Function):
    """``a`` with ``source`` written at ``index`` (or added there: scatter_add, whose
    ``reduction`` is 'sum'). The gradient to ``a`` is zero where it was overwritten; to a
    src tensor it is the gather of the gradient at ``index``."""

    listed_inputs = (0, 2)

    def forward(self, a, index, source, axis, reduction=None):
        self.index, self.axis, self.adds = index, axis, reduction == "sum"
        self.from_tensor = backend.is_array(source)
        if self.from_tensor:
            self.source_shape = source.shape
        else:
            self.listed_inputs = (0,)  # a number value is no input of PyTorch's node
        out = a.copy()
        write_along(out, index, source, axis, reduction)
        return out

    def backward(self, grad):
        index = Tensor._make(self.index)
        grad_input = grad_source = None
        if self.needs_input_grad(0):
            grad_input = grad if self.adds else Scatter.apply(grad, index, 0.0, self.axis)
        if self.needs_input_grad(2):
            grad_source = _padded(Gather.apply(grad, index, self.axis), self.source_shape)
        return grad_input, None, grad_source, None, None

    def name(self):
        if self.adds:
            return "ScatterAddBackward0"
        return "ScatterBackward0" if self.from_tensor else "ScatterBackward1"


class ScatterWithReduce(Scatter):
    """scatter with ``reduce=``: PyTorch's node has no gradient and refuses a backward."""

    def backward(self, grad):
        raise RuntimeError(
            "the derivative for aten::scatter is not implemented: scatter(reduce=...) has no "
            "gradient; scatter_reduce(dim, index, src, 'sum' or 'prod') has one"
        )

    def name(self):
        return "NotImplemented"


class ScatterReduce(Function):
    """``a`` with ``source`` combined in at ``index`` by a reduction. Each gradient is the
    derivative of the reduction of a place's group (its own element, if included, and the
    source elements sent there) with respect to each member."""

    saves_inputs = True
    saves_output = True
    listed_inputs = (0, 2)

    def forward(self, a, index, source, axis, reduction, include_self):
        self.index, self.axis = index, axis
        self.reduction, self.include_self = reduction, include_self
        out = a.copy()
        write_along(out, index, source, axis, reduction, include_self)
        return out

    def backward(self, grad):
        if self.reduction in _FORWARD_ONLY_REDUCTIONS:
            raise RuntimeError(
                f"scatter_reduce(): reduce='{self.reduction}' has no gradient; use "
                f"'{_FORWARD_ONLY_REDUCTIONS[self.reduction]}', which computes the same values"
            )
        a, _, source, *_ = self.inputs
        read = _read_part(source, self.index)
        gradients = self.gradients_by_reduction[self.reduction](self, grad, a, read)
        grad_input, grad_read = (
            gradient if self.needs_input_grad(position) else None
            for position, gradient in zip((0, 2), gradients)
        )
        grad_source = None if grad_read is None else _padded(grad_read, source.shape)
        return grad_input, None, grad_source, None, None, None

    def _cleared(self, grad):
        """``grad`` where the input's elements took part, 0 where they did not."""
        return grad if self.include_self else Scatter.apply(grad, self.index, 0.0, self.axis)

    def _gathered(self, grad):
        return Gather.apply(grad, self.index, self.axis)

    def _sum_gradients(self, grad, a, read):
        return self._cleared(grad), self._gathered(grad)

    def _mean_gradients(self, grad, a, read):
        coordinates = coordinates_along(at_least_1d_array(self.index), self.axis)
        sizes = _group_sizes(a.shape or (1,), coordinates, self.include_self, grad._data.dtype)
        mean_grad = grad / Tensor._make(sizes.reshape(a.shape))
        return self._cleared(mean_grad), self._gathered(mean_grad)

    def _extremum_gradients(self, grad, a, read):
        """Shared evenly among the members equal to the result (PyTorch's rule for ties).
        Like PyTorch, an input element left out (``include_self=False``) that equals the
        result still counts in the sharing, and its share is lost."""
        out = self.output._data
        dtype = grad._data.dtype
        # asarray: NumPy compares 0-d arrays into a scalar, which write_along cannot write into
        input_hits = xp(out).asarray(a._data == out, dtype)
        read_hits = (read._data == _read_along(out, self.index, self.axis)).astype(dtype)
        hits = input_hits.copy()
        write_along(hits, self.index, read_hits, self.axis, "sum")
        shared = grad / Tensor._make(hits)
        grad_input = self._cleared(shared * Tensor._make(input_hits))
        return grad_input, self._gathered(shared) * Tensor._make(read_hits)

    def _prod_gradients(self, grad, a, read):
        """The product of the other members of the group: the group's product divided by
        the member, but where the member is the only zero of its group, the product with
        that zero taken as a 1 (a constant, through which no gradient flows)."""
        dtype = grad._data.dtype
        nonzero_input = _ones_at(a, a._data == 0)
        others = ScatterReduce.apply(
            nonzero_input, self.index, read, self.axis, "prod", self.include_self
        )
        grad_input = self._cleared(grad * others / nonzero_input)  # as PyTorch's, NaN at inf
        read_zero = read._data == 0
        zeros_in_group = xp(read_zero).zeros(a.shape, dtype)
        write_along(zeros_in_group, self.index, read_zero.astype(dtype), self.axis, "sum")
        lone_zero = read_zero & (_read_along(zeros_in_group, self.index, self.axis) == 1)
        product_without = ScatterReduce.apply(
            a, self.index, _ones_at(read, lone_zero), self.axis, "prod", self.include_self
        )
        grad_read = where(
            Tensor._make(lone_zero),
            self._gathered(grad * product_without),
            self._gathered(grad * self.output) / _ones_at(read, read_zero),
        )
        return grad_input, grad_read

    gradients_by_reduction = {
        "sum": _sum_gradients,
        "mean": _mean_gradients,
        "amax": _extremum_gradients,
        "amin": _extremum_gradients,
        "prod": _prod_gradients,
    }

    def name(self):
        return "ScatterReduceBackward0"


def _ones_at(tensor, mask):
    """``tensor`` with 1 where ``mask`` (an array) is True; no gradient flows there."""
    return masked_fill(tensor, Tensor._make(mask), 1.0)


def _read_part(source, index):
    """The part of a src tensor that ``index`` reads: its leading part of the index's shape
    (a 0-d src is one element); none of it for an empty index, whatever its dims."""
    if not index.size:
        return reshape(source, (-1,))[:0].reshape(index.shape)
    return (source if source.ndim else source.reshape(1))[_leading(index.shape)]


def _read_along(array, index, axis):
    """``array``'s elements at ``index`` along ``axis`` (gather, on arrays)."""
    return array.reshape(-1)[flat_positions(array.shape, index, axis)]


def _padded(grad, shape):
    """A src tensor larger than the index: zeros where it was not read (PyTorch's backward
    refuses this case with a shape error)."""
    if tuple(grad.shape) == tuple(shape):
        return grad
    if not shape:  # a 0-d src, read as one element
        return _padded(grad, (1,)).reshape(())
    if grad.ndim != len(shape):  # an empty index of other dims than the src's read none
        return Tensor._make(xp(grad._data).zeros(shape, grad._data.dtype))
    zeros = Tensor._make(xp(grad._data).zeros(shape, grad._data.dtype))
    return IndexPut.apply(zeros, grad, _leading(grad.shape))


def _leading(shape):
    """The index of the leading part of a src tensor that an index of ``shape`` reads."""
    return tuple(slice(size) for size in shape)


# index_select, masked_select, take_along_dim ---------------------------------------


@takes_axis
def index_select(input, dim, index, *, out=None):
    refuse_out(out, "index_select")
    _check_is_tensor(index, "index_select")
    axis = wrap_dim(dim, input.ndim)  # PyTorch checks the dim before the index's dtype
    if index.ndim > 1:
        raise IndexError(
            f"index_select(): the index must be a vector (0-d or 1-d), got {index.ndim} dims"
        )
    _check_index(index, input, "index_select", "int32 or int64", any_type_when_empty=False)
    if input.ndim == 0 and index._data.size != 1:
        raise RuntimeError(
            f"index_select(): a 0-d input takes an index of one value, got {index._data.size}"
        )
    if input.ndim > 1 and input.shape[axis] == 0 and index._data.size:
        raise RuntimeError(f"index_select(): dim {axis} has size 0, so no index is in range")
    # An empty input of two or more dims, and dim 1 of one of two or more, take other paths
    # in PyTorch's CPU kernel, whose range error is a RuntimeError.
    other_path = input.ndim > 1 and (not input._data.size or axis == 1)
    error = RuntimeError if other_path else IndexError
    check_index_range(index, input, axis, "index_select", error)
    return IndexSelect.apply(input, index, axis)


class IndexSelect(Function):
    """The slices of ``a`` at the positions ``index`` lists along ``axis``."""

    listed_inputs = (0,)

    def forward(self, a, index, axis):
        self.shape = a.shape
        if a.ndim == 0:
            self.positions = ()
            return a.copy()
        self.positions = (slice(None),) * axis + (index.reshape(-1),)
        # take, not a[positions]: NumPy lays out an index along a later dim with that dim
        # first, and PyTorch's result is contiguous (so that .view() of it works)
        return xp(a).take(a, index.reshape(-1), axis=axis)

    def backward(self, grad):
        if not self.shape:
            return grad, None, None
        return IndexAdd.apply(grad, self.shape, self.positions), None, None


def masked_select(input, mask, *, out=None):
    refuse_out(out, "masked_select")
    if not isinstance(mask, Tensor):
        raise TypeError(f"masked_select(): mask must be a Tensor, not {type(mask).__name__}")
    if mask._data.dtype.kind != "b":
        raise RuntimeError(
            f"masked_select(): expected a bool mask, got {mask.dtype}; make one with a "
            "comparison or mask.bool()"
        )
    mask = other_on_device(input, mask, "masked_select")
    error = broadcast_error(input, mask)
    if error is not None:
        raise error
    return MaskedSelect.apply(input, mask)


class MaskedSelect(Function):
    """The elements where the (broadcast) mask is True, as one row; the gradient goes back
    to those places, and the engine sums it over any dims the input was broadcast in."""

    listed_inputs = (0,)

    def forward(self, a, mask):
        namespace = xp(a)
        self.zero_dims = not a.ndim and not mask.ndim
        shape = (
            (1,) if self.zero_dims else backend.cpu_namespace.broadcast_shapes(a.shape, mask.shape)
        )
        self.shape = shape
        a, mask = namespace.broadcast_to(a, shape), namespace.broadcast_to(mask, shape)
        if namespace is backend.cpu_namespace:  # a lone mask: the fast paths of NumPy's
            self.positions = (mask,)  # masked_values and scatter_add
            return backend.masked_values(a, mask)
        self.positions = mask.nonzero()
        return a[self.positions]

    def backward(self, grad):
        # written, not added, as PyTorch's masked_scatter writes: a -0. gradient stays -0.
        grad_input = IndexAdd.apply(grad, self.shape, self.positions, True)
        return (grad_input.reshape(()) if self.zero_dims else grad_input), None


@takes_axis
def take_along_dim(input, indices, dim=None, *, out=None):
    """``gather`` where ``input`` and ``indices`` broadcast together apart from ``dim``;
    without a dim, both are read flat. Along a dim, PyTorch takes each index modulo the
    dim's size (-1 is the last, 5 of 4 the second); read flat, it checks the range."""
    refuse_out(out, "take_along_dim")
    if not isinstance(indices, Tensor):
        raise TypeError(f"take_along_dim(): indices must be a Tensor, not {type(indices).__name__}")
    check_same_device(input._data, indices._data, "take_along_dim")
    if dim is not None:  # its type read first, as PyTorch's parser does
        dim = integer_argument(dim, "take_along_dim", "dim")
    if dim is None:  # gather's checks: int32 indices too, and an empty one of any dtype
        return gather(reshape(input, (-1,)), 0, reshape(indices, (-1,)))
    if indices._data.dtype.kind not in "iu" or indices._data.dtype.itemsize != 8:
        raise RuntimeError(
            f"take_along_dim(): indices must be int64 (long), got {indices.dtype}; "
            "convert them with .long()"
        )
    if input.ndim != indices.ndim:  # checked before the dim, as PyTorch does
        raise RuntimeError(
            "take_along_dim(): input and indices must have the same number of dims, got "
            f"{input.ndim} for the input and {indices.ndim} for the indices"
        )
    if input.ndim == 0:
        raise IndexError(f"take_along_dim(): dim {dim} was given, but the input is 0-d")
    axis = wrap_dim(dim, input.ndim)
    input, indices = _broadcast_apart_from(input, indices, axis)
    size = input.shape[axis]
    if size:  # of a size-0 dim, gather refuses any index
        indices = Tensor._make(indices._data % size)  # no host read
    return gather(input, axis, indices)


def _broadcast_apart_from(input, indices, axis):
    """Both tensors expanded to their common shape in every dim but ``axis`` (PyTorch
    expands the input even when nothing changes, so its node lists an expand)."""
    input_shape = list(input.shape)
    indices_shape = list(indices.shape)
    input_shape[axis] = indices_shape[axis] = 1
    try:
        common = backend.cpu_namespace.broadcast_shapes(tuple(input_shape), tuple(indices_shape))
    except ValueError:
        raise broadcast_error(input, indices) from None
    input_target, indices_target = list(common), list(common)
    input_target[axis], indices_target[axis] = input.shape[axis], indices.shape[axis]
    if tuple(indices_target) != tuple(indices.shape):
        indices = expand(indices, indices_target)
    return expand(input, input_target), indices


# The checks ------------------------------------------------------------------------


def _check_is_tensor(index, op_name):
    if not isinstance(index, Tensor):
        raise TypeError(f"{op_name}(): index must be a Tensor, not {type(index).__name__}")


def _check_index(index, input, op_name, allowed, any_type_when_empty=True):
    """A tensor of positions, of an int type PyTorch takes, on the input's device; an empty
    one of any type, except for index_select (see the module's doc)."""
    _check_is_tensor(index, op_name)
    check_same_device(input._data, index._data, op_name)
    dtype = index._data.dtype
    if any_type_when_empty and not index._data.size:
        return
    if dtype.kind not in "iu" or dtype.itemsize < 4:
        raise RuntimeError(
            f"{op_name}(): expected an index of dtype {allowed}, got {index.dtype}; convert "
            "it with .long()"
        )


def _check_same_dims(index, other, other_name):
    """PyTorch counts a 0-d tensor as 1-d here (and checks no empty index)."""
    if index._data.size and max(index.ndim, 1) != max(other.ndim, 1):
        raise RuntimeError(
            f"the index must have as many dims as the {other_name} tensor: got {index.ndim} "
            f"for the index and {other.ndim} for {other_name}"
        )


def _check_sizes(index, other, axis, op_name, other_name):
    """No dim of the index may be larger than the other tensor's (but along ``axis``); as
    in _check_same_dims, a 0-d tensor counts as 1-d, and an empty index is not checked."""
    if not index._data.size:
        return
    for position, (size, limit) in enumerate(zip(index.shape or (1,), other.shape or (1,))):
        if position != axis and size > limit:
            apart = "" if axis is None else f" apart from dim {axis}"
            raise RuntimeError(
                f"{op_name}(): index of shape {list(index.shape)} is larger than "
                f"{other_name} of shape {list(other.shape)} at dim {position}{apart}"
            )


def refuse_a_shared_target(tensor):
    """PyTorch refuses to write in place into a tensor whose elements share memory (made by
    expand) before it reads a position, so before a position out of range."""
    data = tensor._data
    if data.size and any(
        stride == 0 and size > 1 for stride, size in zip(data.strides, data.shape)
    ):
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to "
            f"a single memory location (a tensor of shape {tuple(tensor.shape)} made by "
            "expand). Please clone() the tensor before performing the operation."
        )


def check_index_range(index, input, axis, op_name, error=RuntimeError):
    """Every index within the dim's size (PyTorch's index_select raises an IndexError on
    most paths, a RuntimeError on some; gather and scatter a RuntimeError)."""
    data = index._data
    if not data.size or backend.is_cuda_array(data):
        return
    size = input.shape[axis] if input.ndim else 1
    smallest, largest = int(data.min()), int(data.max())
    wrong = smallest if smallest < 0 else largest
    if smallest < 0 or largest >= size:
        raise error(
            f"{op_name}(): index {wrong} is out of bounds for dimension {axis} with size {size}"
        )
