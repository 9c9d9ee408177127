"""Views that read a tensor's memory directly: ``view(dtype)`` and ``as_strided``.

``view(dtype)`` reads the same bits as another element type. The result shares
the memory and the version counter of the input, and has no gradient: reading a
float's bits as an integer is not a function autograd can follow (PyTorch's
view(dtype) records nothing either). Between types of one size the shape stays;
otherwise the last dim, which must be contiguous, shrinks or grows by the ratio
of the sizes, under PyTorch's checks, in PyTorch's order.

``as_strided(size, stride, storage_offset)`` lays any shape over the memory the
input looks into (its storage), element ``i`` of a dim ``stride`` elements after
element ``i - 1``. Its gradient goes back through the storage: each storage
element gathers the gradient of every output element that reads it, and each
input element takes its storage element's share.
"""

from .. import backend, dtypes
from ..arguments import integer_argument, shape_argument
from ..autograd.function import Function
from ..backend import namespace_of as xp
from ..tensor import Tensor
from .memory_overlap import may_overlap
from .movement import become_view, check_in_place


def view_as_type(input, dtype):
    dtype = dtypes.to_dtype(dtype)
    old_size, new_size = input._data.dtype.itemsize, dtype.itemsize
    if old_size != new_size:
        _check_last_dim_can_be_regrouped(input, dtype, old_size, new_size)
    output = Tensor._make(input._data.view(dtype.numpy_type))
    output._version_counter = input._counter()
    return output


def _check_last_dim_can_be_regrouped(input, dtype, old_size, new_size):
    """A larger element spans ``ratio`` old ones, which must lie side by side in the last
    dim; and every other step through memory must land on a whole larger element."""
    what = (
        f"to view {dtypes.scalar_type_name(input.dtype)} as "
        f"{dtypes.scalar_type_name(dtype)} (different element sizes)"
    )
    if input.dim() == 0:
        raise RuntimeError(f"self.dim() cannot be 0 {what}")
    if input.stride(-1) != 1:
        raise RuntimeError(f"self.stride(-1) must be 1 {what}, but got {input.stride(-1)}")
    if new_size < old_size:
        return
    ratio = new_size // old_size
    counts = [("self.size(-1)", input.shape[-1]), ("self.storage_offset()", input.storage_offset())]
    counts += [(f"self.stride({dim})", step) for dim, step in enumerate(input.stride()[:-1])]
    for name, count in counts:
        if count % ratio:
            raise RuntimeError(f"{name} must be divisible by {ratio} {what}, but got {count}")


# as_strided -------------------------------------------------------------------------


def as_strided(input, size, stride, storage_offset=None):
    return AsStrided.apply(input, *_geometry_arguments(input, size, stride, storage_offset))


def as_strided_(input, size, stride, storage_offset=None):
    """``as_strided`` that makes ``input`` itself the view, as ``t_()`` does."""
    check_in_place(input)
    arguments = _geometry_arguments(input, size, stride, storage_offset)
    return become_view(input, AsStridedInPlace, *arguments)


def _geometry_arguments(input, size, stride, storage_offset):
    """(shape, steps, storage offset, the input's own geometry), checked as PyTorch checks
    them; no offset keeps the input's."""
    shape, steps = shape_argument((size,)), shape_argument((stride,))
    if storage_offset is None:
        storage_offset = input.storage_offset()
    else:
        storage_offset = integer_argument(storage_offset, "as_strided", "storage_offset")
    _check_geometry(input, shape, steps, storage_offset)
    return shape, steps, storage_offset, geometry_of(input._data)


def _check_geometry(input, shape, steps, offset):
    """PyTorch's checks, in its order; the storage must hold the furthest element."""
    if len(shape) != len(steps):
        raise RuntimeError("mismatch in length of strides and shape")
    if any(size < 0 for size in shape):
        raise RuntimeError(
            f"Storage size calculation overflowed with sizes={list(shape)} and "
            f"strides={list(steps)}"
        )
    if any(step < 0 for step in steps):
        raise RuntimeError(
            f"as_strided: Negative strides are not supported at the moment, got strides: "
            f"{list(steps)}"
        )
    if offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {offset}")
    storage = backend.storage_of(input._data)
    if storage is None:
        raise RuntimeError(
            "as_strided: this tensor's memory is not one contiguous block (an array made "
            "outside ember), so ember cannot see its storage; take .clone() first"
        )
    needed = span(shape, steps, offset)
    if needed > storage.size:
        itemsize = storage.itemsize
        raise RuntimeError(
            f"setStorage: sizes {list(shape)}, strides {list(steps)}, storage offset {offset}, "
            f"and itemsize {itemsize} requiring a storage size of {needed * itemsize} are out "
            f"of bounds for storage of size {storage.size * itemsize}"
        )


def span(shape, steps, offset=0):
    """How many storage elements a geometry needs: up to its furthest (none, if empty)."""
    if 0 in shape:
        return 0
    return offset + 1 + sum((size - 1) * step for size, step in zip(shape, steps))


class AsStrided(Function):
    is_view = True
    view_stays_within_input = False

    def forward(self, a, shape, steps, offset, laid_out_as):
        """``laid_out_as``: the input's (shape, steps, storage offset) when as_strided was
        called. Taken again on a stand-in for that input (the gradient of its base, when a
        write through the view is differentiated), the stand-in is first laid out so in
        memory of its own, since the steps and the offset count in the input's storage."""
        self.geometry, self.input_geometry = (shape, steps, offset), laid_out_as
        needed = span(shape, steps, offset)
        storage = backend.storage_of(a)
        if not same_places(geometry_of(a), laid_out_as) or storage is None or storage.size < needed:
            storage = _laid_out(a, laid_out_as, needed)
        writeable = not repeats_along_a_dim(shape, steps)
        return backend.strided_view(storage, shape, steps, offset, writeable)

    def backward(self, grad):
        namespace = xp(grad._data)
        read = storage_positions(namespace, *self.geometry)
        kept = storage_positions(namespace, *self.input_geometry)
        length = max(span(*self.geometry), span(*self.input_geometry))
        storage = grad.new_zeros(length).index_add(
            0, Tensor._make(read.reshape(-1)), grad.reshape(-1)
        )
        grad_input = storage[Tensor._make(kept)]
        if may_overlap(*self.input_geometry[:2]):  # an input element shares its storage one
            readers = namespace.bincount(kept.reshape(-1), minlength=length)[kept]
            grad_input = grad_input / Tensor._make(readers.astype(grad._data.dtype))
        return grad_input, None, None, None, None


class AsStridedInPlace(AsStrided):
    """``as_strided_``: PyTorch names the in-place form's node apart."""

    def name(self):
        return "AsStridedBackward1"


def geometry_of(array):
    """(shape, steps, storage offset): where an array's elements lie in its storage."""
    return array.shape, _steps_of(array), backend.storage_offset(array)


def same_places(geometry, other):
    """Whether two geometries put their elements at the same places of a storage: the steps
    of a dim of one element place nothing (a clone and ``zeros_like`` may differ there)."""
    (shape, steps, offset), (other_shape, other_steps, other_offset) = geometry, other
    if shape != other_shape or offset != other_offset:
        return False
    return all(
        size == 1 or step == other_step for size, step, other_step in zip(shape, steps, other_steps)
    )


def _laid_out(array, geometry, least_length):
    """New zeroed memory holding ``array``'s values at the places ``geometry`` gives."""
    memory = xp(array).zeros(max(span(*geometry), least_length), array.dtype)
    backend.strided_view(memory, *geometry)[...] = array
    return memory


def _steps_of(array):
    return tuple(step // array.itemsize for step in array.strides)


def storage_positions(namespace, shape, steps, offset):
    """The storage index of every element of a geometry, as an int64 array of its shape."""
    positions = namespace.full(shape, offset, dtype="int64")
    for dim, (size, step) in enumerate(zip(shape, steps)):
        along = [1] * len(shape)
        along[dim] = size
        positions += (namespace.arange(size, dtype="int64") * step).reshape(along)
    return positions


def repeats_along_a_dim(shape, steps):
    """Whether a dim steps 0 over several elements, as an expanded one does: PyTorch refuses
    to write in place into such a tensor (other overlaps it lets through, as ember does)."""
    return any(step == 0 and size > 1 for size, step in zip(shape, steps))
