"""Grids of elements and of indices: every tuple of elements of some vectors
(``cartesian_prod``), the tuples of distinct positions of one vector (``combinations``),
and flat indices read as coordinates in a shape (``unravel_index``).

The first two are built on ``meshgrid``, so their gradients come from the ops they are
made of, as PyTorch's do.
"""

from .. import dtypes
from ..arguments import check_tensor_list, integer_argument, type_name
from ..backend import namespace_of as xp  # the array namespace of an array
from ..creation import arange, empty
from ..tensor import Tensor
from .broadcasting import meshgrid
from .comparisons import logical_and
from .gathering import masked_select
from .joining import stack


def cartesian_prod(*tensors):
    """Every tuple of one element from each vector, in order (the last vector varying
    fastest), as the rows of a matrix; one vector comes back as it is."""
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList (give cartesian_prod vectors)")
    check_tensor_list(list(tensors), "cartesian_prod")
    for tensor in tensors:
        _refuse_other_than_a_vector(tensor)
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return stack([grid.reshape(-1) for grid in grids], dim=1)


def combinations(input, r=2, with_replacement=False):
    """Every ``r`` elements of a vector at increasing positions (positions that never
    decrease, ``with_replacement``), in order, as the rows of a matrix."""
    r = integer_argument(r, "combinations", "r")
    _refuse_other_than_a_vector(input)
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return empty(0, dtype=input.dtype, device=input.device)
    positions = meshgrid(*[arange(input.shape[0], device=input.device)] * r, indexing="ij")
    keep = positions[0] >= 0  # every tuple, until the order of its positions is checked
    for earlier, later in zip(positions, positions[1:]):
        keep = logical_and(keep, earlier <= later if with_replacement else earlier < later)
    grids = meshgrid(*[input] * r, indexing="ij")
    return stack([masked_select(grid, keep) for grid in grids], dim=1)


def _refuse_other_than_a_vector(tensor):
    if tensor._data.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(tensor.shape)}")


def unravel_index(indices, shape):
    """The coordinates, in a tensor of ``shape``, of each flat (row-major) index: one
    int64 tensor per dim. As in PyTorch, an index out of range wraps around."""
    if not isinstance(indices, Tensor):
        raise TypeError(
            f"unravel_index(): indices must be a Tensor of integers, not {type_name(indices)}"
        )
    if indices._data.dtype.kind not in "iu":
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices.dtype}")
    sizes = _unravel_shape(shape)
    if 0 in sizes and indices._data.size:
        raise RuntimeError(
            f"unravel_index: a shape with a dim of size 0 ({sizes}) holds no element to point at"
        )
    if not sizes:
        return ()
    flat = indices._data.astype(dtypes.int64.numpy_type)
    coordinates = []
    for size in reversed(sizes):  # the last dim varies fastest
        coordinates.append(flat % size)
        flat = flat // size
    together = Tensor._make(xp(flat).stack(coordinates[::-1], axis=-1))
    return together.unbind(-1)  # views of one tensor, as PyTorch's are


def _unravel_shape(shape):
    """``shape`` as a tuple of sizes: an int, or a sequence of ints (a Size)."""
    if isinstance(shape, int):  # PyTorch takes Python ints only (and so bools), not NumPy's
        shape = (shape,)
    if not isinstance(shape, (tuple, list)):
        raise TypeError(
            f"expected 'shape' to be int or sequence of ints, but got {type_name(shape)}"
        )
    for size in shape:
        if not isinstance(size, int):
            raise TypeError(
                f"expected 'shape' sequence to only contain ints, but got {type_name(size)}"
            )
    if any(size < 0 for size in shape):
        raise ValueError(f"'shape' cannot have negative values, but got {tuple(shape)}")
    return tuple(map(int, shape))
