"""Ops that cut a tensor into pieces along a dim: split, chunk, unbind, tensor_split and
the h/v/d splits. Each piece is a view of the input (a ``narrow``), as in PyTorch."""

from .. import dtypes
from ..arguments import integer_argument, shape_argument, type_name
from ..tensor import Tensor
from .indexing import array_index
from .movement import Narrow, narrow


def split(tensor, split_size_or_sections=None, dim=0, *, split_size=None):
    if split_size_or_sections is None:
        split_size_or_sections = split_size
    _refuse_0d(tensor, "split")
    dim = tensor._dim(dim)
    length = tensor.shape[dim]
    if not isinstance(split_size_or_sections, (list, tuple)):
        step = integer_argument(split_size_or_sections, "split", "split_size")
        if step <= 0 and length:
            raise RuntimeError(
                f"split_size can only be 0 if dimension size is 0, but got split_size {step} "
                f"for dim {dim} of size {length}: give a positive size"
            )
        # an empty dim still splits into one empty piece, as in PyTorch
        sizes = [min(step, length - start) for start in range(0, length, step or 1)] or [0]
    else:
        sizes = _checked_split_sizes(list(split_size_or_sections), length, dim)
    pieces, start = [], 0
    for size in sizes:
        pieces.append(narrow(tensor, dim, start, size))
        start += size
    return tuple(pieces)


def _checked_split_sizes(sizes, length, dim):
    """The sizes of split_with_sizes' pieces: none negative, adding up to ``length``."""
    if any(size < 0 for size in sizes):
        raise RuntimeError(
            f"split_with_sizes expects split_sizes have only non-negative entries, but got "
            f"split_sizes={sizes}"
        )
    if sum(sizes) != length:
        raise RuntimeError(
            f"split_with_sizes expects split_sizes to sum exactly to {length} (input tensor's "
            f"size at dimension {dim}), but got split_sizes={sizes}"
        )
    return sizes


def split_with_sizes(input, split_sizes, dim=0):
    """Views of ``input`` of the given lengths along ``dim`` (``split`` with a list)."""
    if not isinstance(split_sizes, (list, tuple)):
        raise TypeError(
            "split_with_sizes(): argument 'split_sizes' must be tuple of ints, not "
            f"{type_name(split_sizes)}"
        )
    sizes = list(shape_argument((split_sizes,)))  # ints only, with PyTorch's TypeError
    return split(input, sizes, dim)


def chunk(input, chunks, dim=0, *, axis=None):
    dim = dim if axis is None else axis
    _refuse_0d(input, "chunk")
    chunks = integer_argument(chunks, "chunk", "chunks")
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0")
    length = input.shape[input._dim(dim)]
    if length == 0:  # PyTorch gives `chunks` empty pieces
        return split(input, [0] * chunks, dim)
    step = -(-length // chunks)
    return split(input, step, dim)


def _refuse_0d(tensor, op_name):
    """A 0-d tensor has no dim to cut: PyTorch's RuntimeError, where indexing its shape
    would raise an IndexError."""
    if tensor.ndim == 0:
        raise RuntimeError(f"{op_name} expects at least a 1-dimensional tensor, got a 0-d one")


def unbind(input, dim=0, *, axis=None):
    dim = input._dim(dim if axis is None else axis)
    return tuple(input[(slice(None),) * dim + (index,)] for index in range(input.shape[dim]))


def tensor_split(
    input,
    indices_or_sections=None,
    dim=0,
    *,
    sections=None,
    indices=None,
    tensor_indices_or_sections=None,
):
    """Views of ``input`` along ``dim``: ``sections`` pieces as equal as can be (the first
    ones one longer), or the pieces between ``indices``, read as Python slices read them."""
    given = [indices_or_sections, sections, indices, tensor_indices_or_sections]
    given = next((value for value in given if value is not None), None)
    if input.ndim == 0:
        raise RuntimeError(
            "tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims"
        )
    dim = input._dim(dim)
    cuts = _cut_points(given, input.shape[dim])
    lead = (slice(None),) * dim
    starts, stops = (None, *cuts), (*cuts, None)
    # Narrow, not indexing: PyTorch names each piece a slice, even one of the whole dim
    return tuple(
        Narrow.apply(input, *array_index(lead + (slice(start, stop),), input._data))
        for start, stop in zip(starts, stops)
    )


def _cut_points(indices_or_sections, length):
    """Where tensor_split cuts a dim of ``length``: the indices given, or the ends of all
    but the last of the sections."""
    value = indices_or_sections
    if isinstance(value, Tensor):
        if value.ndim > 1:
            raise RuntimeError(
                "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                f"one-dimensional tensor, but got a tensor with {value.ndim} dims"
            )
        if value.dtype != dtypes.int64:
            raise RuntimeError(
                "tensor_split expected tensor_indices_or_sections to have dtype of long, but "
                f"got {value.dtype}"
            )
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [integer_argument(index, "tensor_split", "indices") for index in value]
    sections = integer_argument(value, "tensor_split", "sections")
    if sections <= 0:
        raise RuntimeError(f"number of sections must be larger than 0, got {sections}")
    size, longer = divmod(length, sections)
    return [index * size + min(index, longer) for index in range(1, sections)]


def hsplit(input, indices_or_sections):
    """tensor_split along dim 1 (dim 0 of a vector), in sections of equal size."""
    sections = _sections_argument(indices_or_sections, "hsplit")
    _refuse_fewer_dims(input, 1, "hsplit")
    return _even_split(input, sections, 1 if input.ndim > 1 else 0, "hsplit")


def vsplit(input, indices_or_sections):
    """tensor_split along dim 0, in sections of equal size."""
    sections = _sections_argument(indices_or_sections, "vsplit")
    _refuse_fewer_dims(input, 2, "vsplit")
    return _even_split(input, sections, 0, "vsplit")


def dsplit(input, indices_or_sections):
    """tensor_split along dim 2, in sections of equal size."""
    sections = _sections_argument(indices_or_sections, "dsplit")
    _refuse_fewer_dims(input, 3, "dsplit")
    return _even_split(input, sections, 2, "dsplit")


def _sections_argument(indices_or_sections, op_name):
    """A list or tuple of indices as given, or the number of sections as an int: read
    before the input's dims are checked, as PyTorch's parser reads it (a float, None,
    True or a tensor of several elements is its TypeError)."""
    if isinstance(indices_or_sections, (list, tuple)):
        return indices_or_sections
    return integer_argument(indices_or_sections, op_name, "sections")


def _refuse_fewer_dims(input, fewest, op_name):
    if input.ndim < fewest:
        raise RuntimeError(
            f"torch.{op_name} requires a tensor with at least {fewest} dimension, but got a "
            f"tensor with {input.ndim} dimensions!"
        )


def _even_split(input, indices_or_sections, dim, op_name):
    if not isinstance(indices_or_sections, (list, tuple)):  # an int, read by _sections_argument
        sections = indices_or_sections
        length = input.shape[dim]
        if sections == 0 or length % sections:
            raise RuntimeError(
                f"torch.{op_name} attempted to split along dimension {dim}, but the size of the "
                f"dimension {length} is not divisible by the split_size {sections}!"
            )
    return tensor_split(input, indices_or_sections, dim)
