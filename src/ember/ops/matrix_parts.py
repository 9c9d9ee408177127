"""Parts of matrices: the triangles (tril, triu), the diagonals (diag, diagonal) and
the trace.

``diagonal`` is a view, as in PyTorch: writing into it writes into the matrix.
``diag`` of a matrix copies the diagonal out, and ``diag`` of a vector builds a
matrix around it. The gradient of a diagonal is a matrix of zeros with the
gradient on that diagonal (``DiagonalScatter``), and the other way round.
"""

from .. import backend
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from .movement import integer_argument


class Tril(Function):
    """The lower triangle of the last two dims, on and below diagonal ``diagonal``."""

    listed_inputs = (0,)
    keeps = "tril"  # the name of the op, and of the array library's function that does it

    def forward(self, a, diagonal):
        self.diagonal = diagonal
        return getattr(xp(a), self.keeps)(a, diagonal)

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


class DiagEmbed(Function):
    """``diag`` of a vector: a square matrix with the vector on diagonal ``offset``."""

    listed_inputs = (0,)

    def forward(self, a, offset):
        self.offset = offset
        return xp(a).diag(a, offset)

    def backward(self, grad):
        return Diagonal.apply(grad, self.offset, 0, 1), None


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
        return DiagEmbed.apply(input, offset)
    if ndim == 2:
        return DiagonalCopy.apply(input, offset, 0, 1)
    raise RuntimeError(
        f"diag(): Supports 1D or 2D tensors. Got {ndim}D (for a batch of matrices, use "
        "diagonal(x, dim1=-2, dim2=-1))"
    )


class Trace(Function):
    """The sum of the main diagonal. Integers add up in int64, float16 in float32."""

    listed_inputs = (0,)

    def forward(self, a):
        self.shape = a.shape
        kind = a.dtype.kind
        total_type = "int64" if kind in "iu" else "float32" if a.dtype.char == "e" else a.dtype
        total = xp(a).trace(a, dtype=total_type)
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
