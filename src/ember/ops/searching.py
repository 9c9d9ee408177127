"""Searching among values: searchsorted and bucketize (where values would go in sorted
boundaries), isin (which elements occur among others), and unique_consecutive (runs of
equal values). None of them has a gradient.
"""

import math

from .. import dtypes
from ..arguments import check_bools, integer_argument, type_name
from ..backend import generic_scalar
from ..backend import namespace_of as xp  # the array namespace of an array
from ..creation import refuse_out
from ..tensor import Tensor
from .operands import other_on_device
from .sorting import Unique, with_inverse_and_counts

# searchsorted and bucketize -------------------------------------------------------


def searchsorted(
    sorted_sequence, input, *, out_int32=False, right=False, side=None, sorter=None, out=None
):
    """For each value of ``input``, the first place in ``sorted_sequence`` (along its last
    dim) whose boundary is not below it (``right``: not at or below it), so that inserting
    it there keeps the order. ``sorted_sequence`` is 1-d, or has ``input``'s dims but the
    last. ``sorter`` holds the indices that sort an unsorted sequence."""
    refuse_out(out, "searchsorted")
    check_bools("searchsorted", out_int32=out_int32, right=right)
    _check_argument_types(side, sorter)
    right = _right_side(side, right)
    input = _plain_number(input)
    values = _values_beside(sorted_sequence, input, "searchsorted")
    boundaries = sorted_sequence._data
    _check_shapes(boundaries, values, input)
    if sorter is not None:
        boundaries = _sorted_by(boundaries, sorter)
    common = dtypes.result_type(sorted_sequence, input)
    return _search(boundaries, values, common, right, out_int32, "searchsorted")


def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):
    """The index of the bucket each value falls in: ``boundaries[i-1] < x <= boundaries[i]``
    (``right``: ``boundaries[i-1] <= x < boundaries[i]``), for 1-d ascending boundaries."""
    refuse_out(out, "bucketize")
    check_bools("bucketize", out_int32=out_int32, right=right)
    if not isinstance(boundaries, Tensor):
        raise TypeError(
            f"bucketize(): argument 'boundaries' must be a Tensor, not {type_name(boundaries)}"
        )
    if boundaries._data.ndim != 1:
        raise RuntimeError(
            f"bucketize(): boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})"
        )
    input = _plain_number(input)
    values = _values_beside(boundaries, input, "bucketize")
    common = dtypes.result_type(boundaries, input)
    return _search(boundaries._data, values, common, right, out_int32, "bucketize")


def _check_argument_types(side, sorter):
    """PyTorch's TypeErrors, raised before any other check, for a ``side`` that is not a
    str and a ``sorter`` that is not a tensor."""
    if side is not None and not isinstance(side, str):
        raise TypeError(
            f"searchsorted(): argument 'side' must be 'left' or 'right', not {type_name(side)}"
        )
    if sorter is not None and not isinstance(sorter, Tensor):
        raise TypeError(
            f"searchsorted(): argument 'sorter' must be a Tensor, not {type_name(sorter)}"
        )


def _right_side(side, right):
    """``right`` as ``side`` ('left' or 'right') and ``right`` together say it."""
    if side is None:
        return bool(right)
    if side not in ("left", "right"):
        raise RuntimeError(f"searchsorted(): side can only be 'left' or 'right' but got {side}")
    if side == "left" and right:
        raise RuntimeError(
            "searchsorted(): side and right can't be set to opposites, got side of left while "
            "right was True"
        )
    return side == "right"


def _values_beside(tensor, value, op_name):
    """The array of ``value`` (a tensor, or a number: 0-d) on ``tensor``'s device, in its
    own dtype (a number's common dtype with the tensor is found apart)."""
    if isinstance(value, Tensor):
        return other_on_device(tensor, value, op_name)._data
    if isinstance(value, (bool, int, float)):
        return xp(tensor._data).asarray(value)
    raise TypeError(f"{op_name}(): expected a Tensor or a number, not {type_name(value)}")


def _plain_number(value):
    """A NumPy scalar (``np.float64(2.5)``) as the Python number it holds; else ``value``."""
    return value.item() if isinstance(value, generic_scalar) else value


def _check_shapes(boundaries, values, input):
    """PyTorch's rules: the boundaries have dims, and are 1-d or have the values' leading
    dims (a number can be searched for only in 1-d boundaries)."""
    if boundaries.ndim == 0:
        raise RuntimeError(
            "searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension"
        )
    if boundaries.ndim == 1:
        return
    if not isinstance(input, Tensor) or values.ndim == 0:
        raise RuntimeError(
            "searchsorted(): input value can be a scalar only when boundaries tensor dimension "
            f"is 1, but we got boundaries tensor dim({boundaries.ndim}) and input value's "
            f"dim({values.ndim}) numel({values.size})"
        )
    if values.ndim != boundaries.ndim or values.shape[:-1] != boundaries.shape[:-1]:
        raise RuntimeError(
            "searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
            "dimensions of boundaries tensor and input value tensor must match, but we got "
            f"boundaries tensor {list(boundaries.shape)} and input value tensor "
            f"{list(values.shape)}"
        )


def _sorted_by(boundaries, sorter):
    """The boundaries in the order ``sorter`` (int64, of their shape, in range) gives."""
    data = sorter._data
    if data.dtype != "int64":
        raise RuntimeError(
            f"searchsorted(): sorter must be a tensor of long dtype but got dtype {sorter.dtype}"
        )
    if data.shape != boundaries.shape:
        raise RuntimeError(
            "searchsorted(): boundary and sorter must have the same size, but got boundary "
            f"tensor {list(boundaries.shape)} and sorter tensor {list(data.shape)}"
        )
    if data.size and bool(((data < 0) | (data >= boundaries.shape[-1])).any()):
        raise RuntimeError("searchsorted(): sorter index out of range")
    return xp(boundaries).take_along_axis(boundaries, data, axis=-1)


def _search(boundaries, values, common, right, out_int32, op_name):
    """The places (int64, or int32), of ``values``'s shape, found in the boundaries' rows,
    comparing in the two's ``common`` dtype."""
    if common is dtypes.bool and values.size:  # (nothing searched for: nothing to refuse)
        raise NotImplementedError(
            f"{op_name}() is not implemented for bool tensors; convert with .long() first"
        )
    numpy_type = common.numpy_type
    row_count = math.prod(boundaries.shape[:-1])
    rows = boundaries.astype(numpy_type, copy=False).reshape(row_count, boundaries.shape[-1])
    row_length = values.size if boundaries.ndim == 1 else values.shape[-1]
    wanted = values.astype(numpy_type, copy=False).reshape(row_count, row_length)
    found = binary_search(rows, wanted, right)
    return Tensor._make(found.reshape(values.shape).astype("int32" if out_int32 else "int64"))


def binary_search(boundaries, values, right):
    """PyTorch's binary search, step for step, for all values at once: ``boundaries`` (rows
    of n) and ``values`` (as many rows). Each search halves [low, high) until it is empty,
    going right past a boundary that is not at or above the value (``right``: not above
    it). So a NaN value goes past every boundary, and a NaN boundary is passed, which gives
    PyTorch's places also for boundaries that are not sorted or hold NaN."""
    namespace = xp(values)
    size = boundaries.shape[-1]
    low = namespace.zeros(values.shape, "int64")
    high = namespace.full(values.shape, size, "int64")
    for _ in range(size.bit_length()):
        middle = (low + high) >> 1
        boundary = namespace.take_along_axis(boundaries, namespace.minimum(middle, size - 1), 1)
        passed = ~(boundary > values) if right else ~(boundary >= values)
        searching = low < high
        low = namespace.where(searching & passed, middle + 1, low)
        high = namespace.where(searching & ~passed, middle, high)
    return low


# isin -----------------------------------------------------------------------------


def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """For each of ``elements``, whether it equals one of ``test_elements`` (``invert``:
    whether it does not), compared in the two's common dtype; NaN equals nothing. Either
    one may be a number. ``assume_unique`` changes nothing but speed in PyTorch."""
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError(
            "isin(): elements and test_elements cannot both be numbers; make one a tensor "
            f"(got {type_name(elements)} and {type_name(test_elements)})"
        )
    elements, test_elements = _plain_number(elements), _plain_number(test_elements)
    for name, operand in (("elements", elements), ("test_elements", test_elements)):
        if not isinstance(operand, (Tensor, int, float)):  # the parser's error comes first
            raise TypeError(
                f"isin(): argument '{name}' must be a Tensor or a number, not {type_name(operand)}"
            )
    for operand in (elements, test_elements):
        if operand is True or operand is False or getattr(operand, "dtype", None) is dtypes.bool:
            raise RuntimeError(
                "isin(): bool tensors and bool values are not supported; convert with .long()"
            )
    common = dtypes.result_type(elements, test_elements)
    anchor = elements if isinstance(elements, Tensor) else test_elements
    data, tested = (
        _values_beside(anchor, operand, "isin").astype(common.numpy_type, copy=False)
        for operand in (elements, test_elements)
    )
    found = xp(data).isin(data, tested, invert=bool(invert))
    return Tensor._make(xp(data).asarray(found, bool).reshape(data.shape))


# unique_consecutive ---------------------------------------------------------------


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """``input`` (flattened) with each run of equal values made one; with ``dim``, each run
    of equal slices along it. As in ``unique``: where each element's run is among them
    (``inverse``) and how long each run is (``counts``), if asked. NaN equals nothing."""
    check_bools("unique_consecutive", return_inverse=return_inverse, return_counts=return_counts)
    data = input._data
    namespace = xp(data)
    if dim is None:
        flat = data.reshape(-1)
        starts = namespace.ones(flat.shape, bool)
        starts[1:] = flat[1:] != flat[:-1]
        values, inverse_shape = flat[starts], data.shape
    else:
        axis = input._existing_dim(integer_argument(dim, "unique_consecutive", "dim"))
        size = data.shape[axis]
        if data.size == 0 and (size or data.shape.count(0) > 1):
            raise RuntimeError(
                f"unique_consecutive(): the slices along dim {axis} of a tensor of shape "
                f"{list(data.shape)} are empty, so they cannot be told apart; a tensor with no "
                "elements takes only its one dim of size 0 as the dim"
            )
        starts = namespace.ones(size, bool)
        moved = namespace.moveaxis(data, axis, 0)
        if size:  # (reshape(0, -1) could not tell the slices' length)
            slices = moved.reshape(size, -1)
            starts[1:] = (slices[1:] != slices[:-1]).any(axis=1)
        # the slices kept one after another in memory, dim ``axis`` moved back: PyTorch's
        # layout, which decides whether a later reshape is a view
        values = namespace.moveaxis(namespace.ascontiguousarray(moved[starts]), 0, axis)
        inverse_shape = (size,)
    values = UniqueConsecutive.apply(input, values, "UniqueConsecutiveBackward0")
    order = namespace.arange(len(starts), dtype="int64")  # runs are found in place: no sort
    return with_inverse_and_counts(
        values, order, starts, inverse_shape, return_inverse, return_counts
    )


class UniqueConsecutive(Unique):
    """unique_consecutive's values keep the input's history, as in PyTorch, but have no
    gradient."""

    def backward(self, grad):
        raise NotImplementedError(
            "unique_consecutive() has no gradient (the derivative for 'unique_consecutive' "
            "is not implemented)"
        )
