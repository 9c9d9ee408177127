"""``view(dtype)``: a tensor's memory read as another element type, bits unchanged.

The result shares the memory and the version counter of the input, and has no
gradient: reading a float's bits as an integer is not a function autograd can
follow (PyTorch's view(dtype) records nothing either). Between types of one size
the shape stays; otherwise the last dim, which must be contiguous, shrinks or
grows by the ratio of the sizes, under PyTorch's checks, in PyTorch's order.
"""

from .. import dtypes
from ..tensor import Tensor


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
