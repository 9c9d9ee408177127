"""Writing into a tensor at positions: masked_scatter (at a mask), take and put (at
positions of the tensor read flat), index_put (at an advanced index, as
``x[indices] = values``) and fill_diagonal_. The writes of whole slices along one dim
(index_add, index_copy, index_fill, index_reduce) are in ``slice_writes.py``; what this
doc says holds for them too, and the checks they all share are in ``write_checks.py``.

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

from .. import backend
from ..arguments import check_tensors
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from ..creation import refuse_out
from ..tensor import Tensor
from .gathering import (
    Gather,
    refuse_a_leaf,
    refuse_a_shared_target,
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
from .write_checks import (
    check_accumulate,
    check_positions,
    check_same_dtype,
    checked_index,
    checked_number,
    copy_laid_out,
    takes_history,
)

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
    check_same_dtype(input, source, op_name)
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
    check_accumulate(accumulate, op_name)
    checked_index(index, input, "put_", ("int64",), RuntimeError)
    check_same_dtype(input, source, "put_")
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
    checked_index(index, input, op_name, ("int64",), RuntimeError)
    positions = index._data
    size = input._data.size
    if positions.size and not size:
        raise IndexError(f"{op_name}(): the tensor is empty: there is no position to reach")
    check_positions(
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
        out = copy_laid_out(a)
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
    check_accumulate(accumulate, op_name)
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
        if op_name == "index_put" and takes_history(values) and input._data.dtype.kind != "f":
            raise RuntimeError(
                f"index_put(): values that require grad would give the {input.dtype} result "
                "a gradient, which only floating point tensors take; detach the values"
            )
        checked_number(values.item(), input, op_name)
        values = values.to(input.dtype)
    check_same_dtype(input, values, op_name, "values")
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
        out = copy_laid_out(target)
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
        out = copy_laid_out(target)
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
    return checked_number(fill_value, tensor, "fill_diagonal_")


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
