"""Parts of matrices, and matrices built from parts: the triangles (tril, triu, and the
indices of their elements), the diagonals (diag, diagonal, diag_embed, diagflat), the
trace, block-diagonal matrices and Vandermonde matrices.

``diagonal`` is a view, as in PyTorch: writing into it writes into the matrix.
``diag`` of a matrix copies the diagonal out, and ``diag`` of a vector builds a
matrix around it. The gradient of a diagonal is a matrix of zeros with the
gradient on that diagonal (``DiagonalScatter``), and the other way round.
"""

from .. import backend, dtypes
from ..arguments import bool_argument, check_tensor_list, integer_argument
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from ..creation import as_tensor, ones, zeros
from ..dims import wrap_dim
from .cumulative import cumprod
from .indexing import setitem
from .movement import flip, view


class Tril(Function):
    """The lower triangle of the last two dims, on and below diagonal ``diagonal``."""

    listed_inputs = (0,)
    keeps = "tril"  # the name of the op, and of the array library's function that does it

    def forward(self, a, diagonal):
        self.diagonal = diagonal
        kept = getattr(xp(a), self.keeps)(a, diagonal)
        return xp(a).ascontiguousarray(kept)  # contiguous, as PyTorch's is, whatever a's layout

    def backward(self, grad):
        # the gradient flows only through the kept triangle: the same triangle of it
        return type(self).apply(grad, self.diagonal), None


class Triu(Tril):
    """The upper triangle: on and above diagonal ``diagonal``."""

    keeps = "triu"


def tril(input, diagonal=0):
    return _triangle(Tril, input, diagonal)


def triu(input, diagonal=0):
    return _triangle(Triu, input, diagonal)


def _triangle(op, input, diagonal):
    """``tril`` or ``triu`` with its arguments checked as PyTorch checks them."""
    name = op.keeps
    diagonal = integer_argument(diagonal, name, "diagonal")
    if input._data.ndim < 2:
        raise RuntimeError(
            f"{name}: input tensor must have at least 2 dimensions (got a {input.ndim}-d "
            "tensor); a triangle is taken of a matrix or a batch of matrices"
        )
    return op.apply(input, diagonal)


def writable_diagonal(array, offset, dim1, dim2):
    """NumPy's diagonal view of ``array``, which NumPy marks read-only by caution alone: it
    is writable here, as PyTorch's is, when ``array`` is (CuPy's already is)."""
    view = array.diagonal(offset, dim1, dim2)
    if backend.is_writeable(array) and not backend.is_writeable(view):
        view.flags.writeable = True
    return view


class Diagonal(Function):
    """The diagonal ``offset`` of the dims ``dim1`` and ``dim2`` (both non-negative), as
    the last dim of a view."""

    is_view = True
    listed_inputs = (0,)

    def forward(self, a, offset, dim1, dim2):
        self.shape, self.where = a.shape, (offset, dim1, dim2)
        return writable_diagonal(a, offset, dim1, dim2)

    def backward(self, grad):
        return DiagonalScatter.apply(grad, self.shape, *self.where), None, None, None


class DiagonalCopy(Diagonal):
    """``diag`` of a matrix: the diagonal copied out (PyTorch's ``diagonal_copy``)."""

    is_view = False

    def forward(self, a, offset, dim1, dim2):
        return super().forward(a, offset, dim1, dim2).copy()

    def name(self):
        return "DiagonalBackward0_copy"


class DiagonalScatter(Function):
    """Zeros of ``shape`` with ``values`` on a diagonal: the gradient of a diagonal."""

    listed_inputs = (0,)

    def forward(self, values, shape, offset, dim1, dim2):
        self.where = (offset, dim1, dim2)
        out = xp(values).zeros(shape, values.dtype)
        writable_diagonal(out, offset, dim1, dim2)[...] = values
        return out

    def backward(self, grad):
        return Diagonal.apply(grad, *self.where), None, None, None, None


class DiagEmbed(DiagonalScatter):
    """``diag_embed``, and ``diag`` of a vector: zeros with the input's last dim laid on a
    diagonal of two new dims, its other dims kept in order around them."""


def diagonal(input, offset=0, dim1=0, dim2=1):
    offset = integer_argument(offset, "diagonal", "offset")
    first = input._dim(integer_argument(dim1, "diagonal", "dim1"))
    second = input._dim(integer_argument(dim2, "diagonal", "dim2"))
    if first == second:
        raise RuntimeError(
            f"diagonal dimensions cannot be identical {dim1}, {dim2}: name two different dims"
        )
    return Diagonal.apply(input, offset, first, second)


def diag(input, diagonal=0):
    """A vector's matrix (the vector on diagonal ``diagonal``), or a matrix's diagonal."""
    offset = integer_argument(diagonal, "diag", "diagonal")
    ndim = input._data.ndim
    if ndim == 1:
        return _on_diagonal(input, offset, 0, 1)
    if ndim == 2:
        return DiagonalCopy.apply(input, offset, 0, 1)
    raise RuntimeError(
        f"diag(): Supports 1D or 2D tensors. Got {ndim}D (for a batch of matrices, use "
        "diagonal(x, dim1=-2, dim2=-1))"
    )


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """Each vector along the last dim of ``input`` laid on diagonal ``offset`` of the dims
    ``dim1`` and ``dim2`` of the result (which has one dim more), zeros elsewhere."""
    offset = integer_argument(offset, "diag_embed", "offset")
    ndim = input._data.ndim + 1
    first = wrap_dim(integer_argument(dim1, "diag_embed", "dim1"), ndim)
    second = wrap_dim(integer_argument(dim2, "diag_embed", "dim2"), ndim)
    if first == second:
        raise RuntimeError(
            f"diagonal dimensions cannot be identical {dim1}, {dim2}: name two different dims"
        )
    return _on_diagonal(input, offset, first, second)


def _on_diagonal(input, offset, first, second):
    """``DiagEmbed`` of ``input`` into the dims ``first`` and ``second`` (non-negative,
    different) of a result whose side fits the last dim on diagonal ``offset``."""
    shape = list(input._data.shape[:-1])
    side = input._data.shape[-1] + abs(offset)
    for dim in sorted((first, second)):
        shape.insert(dim, side)
    return DiagEmbed.apply(input, tuple(shape), offset, first, second)


def diagflat(input, offset=0):
    """A square matrix with the elements of ``input`` (flattened) on diagonal ``offset``."""
    offset = integer_argument(offset, "diagflat", "offset")
    return _on_diagonal(view(input.contiguous(), -1), offset, 0, 1)


class BlockDiag(Function):
    """Matrices laid corner to corner down the diagonal of one matrix of zeros (a 0-d
    tensor as a 1x1 matrix, a vector as one row); each gradient is its block."""

    def forward(self, *arrays, dtype):
        self.shapes = [array.shape for array in arrays]
        blocks = [_block_shape(array.shape) for array in arrays]
        out = xp(arrays[0]).zeros((sum(h for h, _ in blocks), sum(w for _, w in blocks)), dtype)
        row = column = 0
        for array, (height, width) in zip(arrays, blocks):
            out[row : row + height, column : column + width] = array.reshape(height, width)
            row, column = row + height, column + width
        return out  # each block cast to the result's dtype as it is written

    def backward(self, grad):
        gradients, row, column = [], 0, 0
        for shape in self.shapes:
            height, width = _block_shape(shape)
            block = grad[row : row + height, column : column + width]
            gradients.append(block.reshape(shape))
            row, column = row + height, column + width
        return tuple(gradients)


def _block_shape(shape):
    """The (height, width) a tensor of ``shape`` takes in block_diag."""
    return shape if len(shape) == 2 else (1, shape[0]) if shape else (1, 1)


def block_diag(*tensors):
    """A block-diagonal matrix of the tensors (at most 2-d each), in their common dtype."""
    if not tensors:
        return zeros(1, 0)  # PyTorch's result for no blocks: one empty row
    check_tensor_list(list(tensors), "block_diag")
    for position, tensor in enumerate(tensors):
        if tensor._data.ndim > 2:
            raise RuntimeError(
                "torch.block_diag: Input tensors must have 2 or fewer dimensions. Input "
                f"{position} has {tensor.ndim} dimensions"
            )
    dtype = dtypes.result_type(*tensors).numpy_type
    return BlockDiag.apply(*tensors, dtype=dtype)


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None, **options):
    """The (row, column) indices of the lower triangle of a ``row`` x ``col`` matrix, on
    and below diagonal ``offset``, as a 2 x N tensor in row-major order."""
    return _triangle_indices("tril_indices", row, col, offset, dtype, device, options)


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None, **options):
    """The (row, column) indices of the upper triangle, on and above diagonal ``offset``."""
    return _triangle_indices("triu_indices", row, col, offset, dtype, device, options)


def _triangle_indices(name, row, col, offset, dtype, device, options):
    row = integer_argument(row, name, "row")
    col = integer_argument(col, name, "col")
    offset = integer_argument(offset, name, "offset")
    dtype = dtypes.int64 if dtype is None else dtypes.to_dtype(dtype)
    unknown = set(options) - {"requires_grad", "pin_memory"}
    if unknown:
        raise TypeError(f"{name}() got an unexpected keyword argument {sorted(unknown)[0]!r}")
    if options.get("requires_grad"):
        raise RuntimeError(
            f"Only Tensors of floating point and complex dtype can require gradients ({name} "
            "gives integer indices)"
        )
    if dtype not in (dtypes.int32, dtypes.int64):
        raise NotImplementedError(
            f'"{name}" not implemented for {dtype}: the indices are int64 or int32'
        )
    for what, size in (("row", row), ("col", col)):
        if size < 0:
            raise RuntimeError(f"{what} must be non-negative, got {size}")
    numpy = backend.cpu_namespace
    rows, columns = getattr(numpy, name)(row, offset, col)
    return as_tensor(numpy.stack([rows, columns]), dtype=dtype, device=device)


def vander(x, N=None, increasing=False):  # noqa: N803 - PyTorch's argument name
    """The Vandermonde matrix of a vector: column j holds x ** (N - 1 - j), or x ** j when
    ``increasing``. Integer and bool vectors give int64."""
    # N and increasing first, as PyTorch's parser reads them before x's shape
    columns = None if N is None else integer_argument(N, "vander", "N")
    increasing = bool_argument(increasing, "vander", "increasing")
    if x._data.ndim != 1:
        raise RuntimeError(f"x must be a one-dimensional tensor. (got shape {list(x.shape)})")
    if columns is None:
        columns = x._data.shape[0]
    if columns < 0:
        raise RuntimeError(f"N must be non-negative. (got N={columns})")
    dtype = x.dtype if x.is_floating_point() else dtypes.int64
    result = ones(x._data.shape[0], columns, dtype=dtype, device=x.device)
    if columns > 1:
        repeated = x.to(dtype).unsqueeze(1).expand(-1, columns - 1)
        setitem(result, (slice(None), slice(1, None)), cumprod(repeated, 1))
    return result if increasing else flip(result, 1)


class Trace(Function):
    """The sum of the main diagonal. Integers add up in int64, float16 in float32."""

    listed_inputs = (0,)

    def forward(self, a):
        self.shape = a.shape
        kind = a.dtype.kind
        total_type = "int64" if kind in "iu" else "float32" if a.dtype.char == "e" else a.dtype
        # by backend.reduction: NumPy's trace warns of inf - inf (PyTorch's NaN is quiet)
        total = backend.reduction(xp(a).diagonal(a), "sum", None, dtype=total_type)
        return xp(a).asarray(total, dtype="int64" if kind in "iu" else a.dtype)

    def backward(self, grad):
        length = min(self.shape)
        return DiagonalScatter.apply(grad.expand(length), self.shape, 0, 0, 1)


def trace(input):
    if input._data.dtype.kind == "b":
        raise NotImplementedError('"trace" not implemented for bool tensors; convert with .long()')
    if input._data.ndim != 2:
        raise RuntimeError(
            f"trace: expected a matrix, but got tensor with dim {input._data.ndim} (use "
            "diagonal(x, dim1=-2, dim2=-1).sum(-1) for a batch)"
        )
    return Trace.apply(input)
