"""Broadcasting on its own: the shape tensors broadcast to (``broadcast_shapes``), the
tensors expanded to it (``broadcast_tensors``), and grids of coordinates (``meshgrid``).

The one idea: shapes line up from their last dim, and a size 1 (or a missing dim)
stretches to the other's size. Every tensor returned is a view made by ``expand``,
so the engine sums each gradient back to its input's shape.
"""

import warnings

from ..arguments import check_tensor_list, shape_argument
from ..size import Size
from ..tensor import Tensor
from .movement import expand, view


def broadcast_shapes(*shapes):
    """The shape that tensors of ``shapes`` (each an int or a sequence of ints) broadcast
    to, as a Size; PyTorch's RuntimeError where two sizes clash."""
    result = []
    for number, shape in enumerate(shapes):
        sizes = _shape_to_broadcast(shape)
        if len(sizes) > len(result):
            result = [1] * (len(sizes) - len(result)) + result
        for offset, size in enumerate(reversed(sizes), start=1):
            current = result[-offset]
            if size != current and size != 1 and current != 1:
                raise RuntimeError(
                    f"shapes do not broadcast: shape {number} {tuple(sizes)} has size {size} in "
                    f"dim {-offset}, where the shapes before it have {current} (sizes must be "
                    "equal, or 1)"
                )
            if current == 1:
                result[-offset] = size
    return Size(result)


def _shape_to_broadcast(shape):
    if isinstance(shape, Tensor):
        raise RuntimeError(
            f"Input shapes should be of type ints, a tuple of ints, or a list of ints, got a "
            f"tensor of shape {list(shape.shape)}"
        )
    sizes = shape_argument((shape,))
    if any(size < 0 for size in sizes):
        raise ValueError(f"a shape to broadcast has a negative size: {list(sizes)}")
    return sizes


def broadcast_tensors(*tensors):
    """The tensors expanded to their common shape (views); one that has it already comes
    back as it is, as in PyTorch."""
    if tensors:
        check_tensor_list(tensors, "broadcast_tensors")
    shape = tuple(broadcast_shapes(*[tensor._data.shape for tensor in tensors]))
    return tuple(
        tensor if tensor._data.shape == shape else expand(tensor, shape) for tensor in tensors
    )


def meshgrid(*tensors, indexing=None):
    """Grids of coordinates: output i holds tensor i's values along its own dim, repeated
    along the others. ``indexing='ij'`` puts tensor i's values along dim i; ``'xy'``
    swaps the first two dims (x across, y down, as in plots)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        warnings.warn(
            "meshgrid without indexing= is deprecated: PyTorch will require the indexing "
            "argument. Pass indexing='ij' (the default now) or indexing='xy'.",
            UserWarning,
            stacklevel=2,
        )
        indexing = "ij"
    _check_meshgrid_inputs(tensors, indexing)
    sizes = [tensor._data.size for tensor in tensors]
    dims = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) > 1:
        dims[0], dims[1] = 1, 0
        sizes[0], sizes[1] = sizes[1], sizes[0]
    grids = []
    for tensor, dim in zip(tensors, dims):
        along_own_dim = [1] * len(tensors)
        along_own_dim[dim] = -1
        grids.append(expand(view(tensor, along_own_dim), sizes))
    return tuple(grids)


def _check_meshgrid_inputs(tensors, indexing):
    """PyTorch's checks, in its order: tensors, at least one, of one dtype; then the
    indexing; then their dims."""
    if not tensors:
        raise RuntimeError("meshgrid takes at least one tensor, got none")
    check_tensor_list(tensors, "meshgrid")
    for tensor in tensors:
        if tensor._data.dtype != tensors[0]._data.dtype:
            raise RuntimeError(
                f"meshgrid takes tensors of one dtype, not {tensors[0].dtype} and {tensor.dtype}"
            )
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"meshgrid takes indexing='ij' or indexing='xy', not {indexing!r}")
    for tensor in tensors:
        if tensor._data.ndim > 1:
            raise RuntimeError(
                f"meshgrid takes 0-d or 1-d tensors (the coordinates along each axis), not "
                f"one of shape {list(tensor.shape)}"
            )
