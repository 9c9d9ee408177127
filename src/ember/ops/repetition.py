"""Copies of a tensor's elements laid side by side: ``repeat`` and ``tile`` copy the
whole tensor along each dim, ``repeat_interleave`` copies each element in place.

The idea they share: a result made of copies gets, for each input element, the sum
of the gradients of its copies.
"""

from ..arguments import integer_argument, shape_argument, type_name
from ..autograd.function import Function
from ..backend import c_contiguous
from ..backend import namespace_of as xp  # the array namespace of an array
from ..dims import takes_axis
from ..tensor import Tensor
from .gathering import IndexSelect
from .movement import Clone, expand, flatten, unsqueeze, view

# repeat and tile: whole copies -------------------------------------------------------


class Repeat(Function):
    """The input tiled ``sizes`` times along each dim (new leading dims first), copied;
    backward adds up the gradients of the tiles that each input element went to."""

    listed_inputs = (0,)

    def forward(self, a, sizes):
        self.sizes, self.shape = sizes, a.shape
        return c_contiguous(xp(a).tile(a, sizes))  # NumPy's tile of ones keeps a's layout

    def backward(self, grad):
        # each dim of the result split into (tile, place in the tile): sum over the tiles
        shape = (1,) * (len(self.sizes) - len(self.shape)) + self.shape
        split = [length for pair in zip(self.sizes, shape) for length in pair]
        tiles_summed = grad.reshape(split).sum(tuple(range(0, len(split), 2)))
        return tiles_summed.reshape(self.shape), None


def repeat(input, *sizes, repeats=None):
    """``x.repeat(2, 3)``: copies along each dim; more sizes than dims add leading dims.
    ``repeats=(2, 3)`` by name, as PyTorch takes it too."""
    if repeats is not None and not sizes:
        sizes = (repeats,)
    if not sizes:
        raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
    sizes = shape_argument(sizes)
    if len(sizes) < input.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions "
            "of tensor"
        )
    _refuse_negative_counts(sizes, "repeat")
    return Repeat.apply(input, sizes)


def tile(input, dims):
    """``input`` repeated ``dims[i]`` times along each dim; fewer dims than the tensor has
    count for its last dims (the others repeat once). A ``repeat``, as in PyTorch."""
    if not isinstance(dims, (tuple, list)):
        raise TypeError(
            f"tile(): argument 'dims' must be a tuple of ints, not {type_name(dims)}: "
            "tile(x, (2,)), or x.tile(2)"
        )
    return _tiled(input, shape_argument((dims,)))


def tile_method(input, *sizes, dims=None):
    """``x.tile(2, 3)``, ``x.tile((2, 3))`` or ``x.tile(dims=(2, 3))``."""
    if not sizes and dims is None:  # x.tile(()) repeats nothing; x.tile() is a mistake
        raise TypeError('tile() missing 1 required positional arguments: "dims"')
    return _tiled(input, shape_argument(sizes if dims is None else (dims,)))


def _tiled(input, dims):
    """Unlike ``repeat``, ``tile`` takes fewer counts than dims: the first dims take 1."""
    dims = (1,) * (input._data.ndim - len(dims)) + dims
    _refuse_negative_counts(dims, "tile")
    return Repeat.apply(input, dims)


def _refuse_negative_counts(counts, op_name):
    if any(times < 0 for times in counts):
        raise RuntimeError(
            f"Trying to create tensor with negative dimension: {op_name} takes counts of 0 "
            f"or more, got {list(counts)}"
        )


# repeat_interleave: each element in place --------------------------------------------


_COUNTS_ONLY = object()  # repeats left out (PyTorch refuses a None)


@takes_axis
def repeat_interleave(input, repeats=_COUNTS_ONLY, dim=None, *, output_size=None):
    """Each element repeated ``repeats`` times in place (an int, or a tensor of one count
    per element along ``dim``); with no dim, of the flattened tensor. Alone,
    ``repeat_interleave(counts)`` repeats the positions 0, 1, ... by the counts."""
    if repeats is _COUNTS_ONLY:
        positions = _positions_repeated(_checked_counts(input))
        _check_output_size(output_size, len(positions))
        return Tensor._make(positions.astype("int64"))
    return _interleaved(input, repeats, dim, output_size)


@takes_axis
def repeat_interleave_method(input, repeats, dim=None, *, output_size=None):
    """``x.repeat_interleave(repeats)``: the method takes no counts-only form."""
    return _interleaved(input, repeats, dim, output_size)


def _interleaved(input, repeats, dim, output_size):
    if dim is None:
        input, dim = flatten(input), 0
    dim = input._dim(integer_argument(dim, "repeat_interleave", "dim"))
    if isinstance(repeats, Tensor):
        result = _interleaved_by_counts(input, repeats, dim)
        _check_output_size(output_size, result.shape[dim])
        return result
    times = integer_argument(repeats, "repeat_interleave", "repeats")
    if times < 0:
        raise RuntimeError(f"Repeats must be non-negative, got {times}")
    _check_output_size(output_size, input.shape[dim] * times)
    # PyTorch's steps, and so its nodes: a new dim after dim, stretched, copied, joined.
    # Always copied (not contiguous()): for 0 or 1 repeats the stretch is already
    # contiguous, and the result must not be a view that writes into the input.
    shape = input._data.shape
    stretched = expand(unsqueeze(input, dim + 1), shape[: dim + 1] + (times,) + shape[dim + 1 :])
    joined = shape[:dim] + (shape[dim] * times,) + shape[dim + 1 :]
    return view(Clone.apply(stretched, "C"), joined)


def _check_output_size(output_size, length):
    """``output_size``, a promise of the repeated length that saves PyTorch a sync on the
    GPU, must keep it: PyTorch allocates that much and refuses a result of another."""
    if output_size is None:
        return
    if integer_argument(output_size, "repeat_interleave", "output_size") != length:
        raise RuntimeError(
            f"repeat_interleave: output_size={output_size}, but the counts repeat to "
            f"{length} (allocated size does not match required size)"
        )


def _interleaved_by_counts(input, repeats, dim):
    """The slices along ``dim``, each repeated by its count: an index_select, as in
    PyTorch, so the gradient of each slice is the sum of its copies' gradients."""
    length = input._data.shape[dim]
    counts = _checked_counts(repeats)
    if counts.size == 1:  # one count stands for every slice
        counts = xp(counts).broadcast_to(counts, (length,))
    if counts.shape[0] != length:
        raise RuntimeError(
            f"repeat_interleave has {counts.shape[0]} counts for {length} slices along dim: "
            "give one count per slice (or a single count)"
        )
    positions = xp(input._data).asarray(_positions_repeated(counts))  # CPU counts, GPU input
    return IndexSelect.apply(input, positions, dim)


def _checked_counts(counts):
    """The array of a tensor of counts, as one row, with PyTorch's errors for counts that
    are not integers, not a 0-d or 1-d tensor, or negative."""
    data = counts._data
    if data.dtype.kind not in "iu":
        raise NotImplementedError(
            f"repeat_interleave takes integer counts, not {counts.dtype}; convert with .long()"
        )
    if data.ndim > 1:
        raise RuntimeError(
            f"repeat_interleave takes a 0-d or 1-d tensor of counts, not {data.ndim}-d"
        )
    if bool((data < 0).any()):
        raise RuntimeError("repeat_interleave counts must be 0 or more")
    return data.reshape(-1)


def _positions_repeated(counts):
    """0, 1, 2 ... each repeated by its count (an array)."""
    namespace = xp(counts)
    return namespace.repeat(namespace.arange(counts.shape[0]), counts)
