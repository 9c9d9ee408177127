"""Products and linear algebra: matmul (and dot, inner, mv, mm, bmm), outer, norm,
solve, inv, det, lstsq.

Matmul follows NumPy's (and PyTorch's) rules: 1-d operands are promoted to a
row or column for the product and the extra dim removed afterwards; leading
batch dims broadcast, and the engine sums their gradient back.
"""

import math

from .. import backend
from ..autograd.function import Function, save_each_for_the_other
from ..backend import namespace_of as xp  # the array namespace of an array
from ..device import check_same_device
from ..dims import normalize_dims
from ..tensor import Tensor
from .elementwise import where
from .reductions import kept_shape


class Matmul(Function):
    saves_inputs = True
    save_read_inputs = save_each_for_the_other
    grads_are_new = True

    def forward(self, a, b, label):
        self.label, self.ndims = label, (a.ndim, b.ndim)
        return a @ b

    def backward(self, grad):
        a, b, _ = self.inputs
        a_ndim, b_ndim = self.ndims
        if b_ndim == 1:  # first: a 0-d grad (dot) becomes (1,), then (1, 1)
            grad = grad.unsqueeze(-1)
        if a_ndim == 1:
            grad = grad.unsqueeze(-2)
        if 0 in grad._data.strides and self.needs_input_grad(0) and self.needs_input_grad(1):
            grad = grad.contiguous()  # broadcast (sum's backward): else each product copies it
        grad_a = grad_b = None
        if self.needs_input_grad(0):
            grad_a = grad @ (b.unsqueeze(-1) if b_ndim == 1 else b).mT
            if a_ndim == 1:
                grad_a = grad_a.squeeze(-2)
        if self.needs_input_grad(1):
            grad_b = TransposedMatmul.apply(a.unsqueeze(0) if a_ndim == 1 else a, grad)
            if b_ndim == 1:
                grad_b = grad_b.squeeze(-1)
        return grad_a, grad_b, None

    def name(self):
        return self.label + "Backward0"


class TransposedMatmul(Function):
    """``a.mT @ b`` as one node: the weight gradient in Matmul's and Linear's backward,
    without a recorded transpose op in front of every product."""

    saves_inputs = True
    save_read_inputs = save_each_for_the_other
    grads_are_new = True

    def forward(self, a, b):
        return a.swapaxes(-1, -2) @ b

    def backward(self, grad):
        a, b = self.inputs
        grad_a = b @ grad.mT if self.needs_input_grad(0) else None
        grad_b = a @ grad if self.needs_input_grad(1) else None
        return grad_a, grad_b

    def name(self):
        return "MmBackward0"


def _check_operands(a, b, op_name):
    if a._data.dtype.kind == "b" or b._data.dtype.kind == "b":
        raise NotImplementedError(
            f"{op_name} is not implemented for bool tensors; convert with .float()"
        )
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(
            f"{op_name}: expected both operands to have the same dtype, but got: "
            f"{a.dtype} != {b.dtype}"
        )
    if type(a._data) is not type(b._data):
        check_same_device(a._data, b._data, op_name)


_PRODUCT_NAMES = {(1, 1): "Dot", (2, 2): "Mm", (2, 1): "Mv"}  # by the operands' ndims


def matmul(input, other):
    _check_operands(input, other, "matmul")
    ndims = (input._data.ndim, other._data.ndim)
    if 0 in ndims:
        raise RuntimeError(
            "both arguments to matmul need to be at least 1D, but they are "
            f"{ndims[0]}D and {ndims[1]}D"
        )
    label = _PRODUCT_NAMES.get(ndims, "Matmul")
    try:
        return Matmul.apply(input, other, label)
    except ValueError:
        raise RuntimeError(_shape_error(input, other)) from None


def _shape_error(a, b):
    if a.ndim == 2 and b.ndim == 2:
        return (
            f"mat1 and mat2 shapes cannot be multiplied "
            f"({a.shape[0]}x{a.shape[1]} and {b.shape[0]}x{b.shape[1]})"
        )
    return (
        f"matmul: shapes {list(a.shape)} and {list(b.shape)} cannot be multiplied "
        f"(inner sizes {a.shape[-1]} and {b.shape[-2] if b.ndim > 1 else b.shape[0]} differ)"
    )


def dot(input, tensor):
    if input.ndim != 1 or tensor.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {tensor.ndim}D tensors")
    if input.shape[0] != tensor.shape[0]:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{input.shape[0]}] and src "
            f"[{tensor.shape[0]}] to have the same number of elements, but got "
            f"{input.shape[0]} and {tensor.shape[0]} elements respectively"
        )
    return matmul(input, tensor)


def inner(input, other):
    """Products over the last dim of each: a.shape[:-1] + b.shape[:-1]; with a 0-d operand,
    plain multiplication."""
    if input.ndim == 0 or other.ndim == 0:
        return input * other
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError(
            f"inner() the last dimension must match on both input tensors but got shapes "
            f"{list(input.shape)} and {list(other.shape)}"
        )
    if input.ndim == 1 and other.ndim == 1:
        return dot(input, other)
    # As one matrix product: every row of one against every row of the other.
    rows, other_rows = (_as_rows(operand) for operand in (input, other))
    return matmul(rows, other_rows.mT).reshape(input.shape[:-1] + other.shape[:-1])


def _as_rows(operand):
    """A matrix with one row per position of the leading dims (also when the last is 0)."""
    return operand.reshape(math.prod(operand.shape[:-1]), operand.shape[-1])


def mv(input, vec):
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {input.ndim}, {vec.ndim}")
    if input.shape[1] != vec.shape[0]:
        raise RuntimeError(
            f"size mismatch, got input ({input.shape[0]}), mat ({input.shape[0]}x"
            f"{input.shape[1]}), vec ({vec.shape[0]})"
        )
    return matmul(input, vec)


def mm(input, mat2):
    if input.ndim != 2 or mat2.ndim != 2:
        raise RuntimeError(f"self must be a matrix (got {input.ndim}D and {mat2.ndim}D tensors)")
    return matmul(input, mat2)


def bmm(input, mat2):
    if input.ndim != 3 or mat2.ndim != 3:
        raise RuntimeError(f"batch1 must be a 3D tensor (got {input.ndim}D and {mat2.ndim}D)")
    if input.shape[0] != mat2.shape[0]:
        raise RuntimeError(
            f"batch1 and batch2 must have same number of batches, got {input.shape[0]} "
            f"and {mat2.shape[0]}"
        )
    return matmul(input, mat2)


def outer(input, vec2):
    for name, vector in (("self", input), ("vec2", vec2)):
        if vector.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {vector.ndim}-D")
    return input.reshape(-1, 1) * vec2.reshape(1, -1)


ger = outer


# Norms --------------------------------------------------------------------------


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """||x||_ord over ``dim`` (all elements when None), composed of differentiable ops."""
    if dtype is not None:
        x = x.to(dtype)
    if not x.is_floating_point():
        raise RuntimeError(
            f"linalg.vector_norm: Expected a floating point or complex tensor as input. "
            f"Got {x.dtype}"
        )
    axes = normalize_dims(dim, x.ndim)
    magnitude = x.abs()
    if ord == 1:
        return magnitude.sum(dim=axes, keepdim=keepdim)
    if ord == float("inf"):
        return magnitude.amax(dim=axes if axes else (), keepdim=keepdim)
    if ord == float("-inf"):
        return magnitude.amin(dim=axes if axes else (), keepdim=keepdim)
    if ord == 0:  # the count of non-zeros; sign() keeps it in the graph with a zero gradient
        return x.sign().abs().sum(dim=axes, keepdim=keepdim)
    return VectorNorm.apply(x, ord, axes, keepdim)


class VectorNorm(Function):
    """||x||_p for finite p > 0; its gradient is zero where x or the norm is zero, as in
    PyTorch (composing sqrt(sum(x * x)) would give 0 * inf = nan for a zero vector)."""

    saves_inputs = True
    saves_output = True

    def forward(self, a, ord, axes, keepdim):
        self.ord, self.axes, self.keepdim = ord, axes, keepdim
        namespace = xp(a)
        if ord == 2:
            out = namespace.sqrt((a * a).sum(axis=axes, keepdims=keepdim))
        else:
            out = (namespace.abs(a) ** ord).sum(axis=axes, keepdims=keepdim) ** (1.0 / ord)
        return namespace.asarray(out, a.dtype)

    def backward(self, grad):
        x, norm = self.inputs[0], self.output
        if not self.keepdim:
            shape = kept_shape(x.shape, self.axes)
            grad, norm = grad.reshape(shape), norm.reshape(shape)
        zero = (x == 0) | (norm == 0)
        safe_norm = where(norm == 0, 1.0, norm)
        if self.ord == 2:
            scaled = x / safe_norm
        else:
            safe_magnitude = where(x == 0, 1.0, x.abs())
            scaled = x.sign() * (safe_magnitude / safe_norm) ** (self.ord - 1)
        return where(zero, 0.0, scaled) * grad, None, None, None

    def name(self):
        return "LinalgVectorNormBackward0"


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False):
    if ord == "fro":
        return vector_norm(A, 2, dim, keepdim)
    row_dim, col_dim = dim
    if ord in (1, -1):
        sums = A.abs().sum(dim=row_dim, keepdim=True)
        reduce_dims = (col_dim, row_dim)
    elif ord in (float("inf"), float("-inf")):
        sums = A.abs().sum(dim=col_dim, keepdim=True)
        reduce_dims = (row_dim, col_dim)
    elif ord in (2, -2, "nuc"):
        return _singular_value_norm(A, ord, dim, keepdim)
    else:
        raise RuntimeError(
            f"linalg.matrix_norm: Order {ord!r} not supported; use 'fro', 'nuc', 2, -2, 1, -1, "
            "inf or -inf"
        )
    largest = ord in (1, float("inf"))
    result = (
        sums.amax(dim=reduce_dims, keepdim=True)
        if largest
        else sums.amin(dim=reduce_dims, keepdim=True)
    )
    return result if keepdim else result.squeeze(reduce_dims)


class SingularValueNorm(Function):
    """The largest (ord 2) or smallest (ord -2) singular value, or their sum ('nuc'), of
    the last two dims. d sigma_i / dA = u_i v_i^T."""

    def forward(self, a, ord):
        u, singular, vh = xp(a).linalg.svd(a, full_matrices=False)
        if ord == "nuc":
            self.u, self.vh = u, vh
            return singular.sum(axis=-1)
        chosen = slice(0, 1) if ord == 2 else slice(-1, None)
        self.u, self.vh = u[..., :, chosen], vh[..., chosen, :]
        return singular[..., chosen][..., 0]

    def backward(self, grad):
        direction = Tensor._make(self.u) @ Tensor._make(self.vh)
        return grad.unsqueeze(-1).unsqueeze(-1) * direction, None


def _singular_value_norm(A, ord, dim, keepdim):
    if not A.is_floating_point():
        raise RuntimeError(f"linalg.matrix_norm: Expected a floating point tensor, got {A.dtype}")
    row_dim, col_dim = (A._dim(d) for d in dim)
    others = [d for d in range(A.ndim) if d not in (row_dim, col_dim)]
    result = SingularValueNorm.apply(A.permute(*others, row_dim, col_dim), ord)
    if keepdim:
        for d in sorted((row_dim, col_dim)):
            result = result.unsqueeze(d)
    return result


def linalg_norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    if dtype is not None:
        A = A.to(dtype)
    if isinstance(dim, int):
        return vector_norm(A, 2 if ord is None else ord, dim, keepdim)
    if ord is None:
        if dim is None:
            return vector_norm(A, 2, None, keepdim)
        if len(dim) == 1:
            return vector_norm(A, 2, dim, keepdim)
        return matrix_norm(A, "fro", dim, keepdim)
    if dim is None:
        if A.ndim == 1:
            return vector_norm(A, ord, None, keepdim)
        if A.ndim == 2:
            return matrix_norm(A, ord, (-2, -1), keepdim)
        raise RuntimeError(
            f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
            f"Got {A.ndim}D."
        )
    if len(dim) == 1:
        return vector_norm(A, ord, dim, keepdim)
    return matrix_norm(A, ord, dim, keepdim)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """``torch.norm``: Frobenius/2-norm by default over every element."""
    if p == "fro" or p is None:
        return vector_norm(input, 2, dim, keepdim, dtype=dtype)
    if p == "nuc":
        return matrix_norm(input.to(dtype) if dtype else input, "nuc", dim or (-2, -1), keepdim)
    return vector_norm(input, p, dim, keepdim, dtype=dtype)


# Solving ------------------------------------------------------------------------


def _check_square(A, name):
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"linalg.{name}: A must be batches of square matrices, but they are "
            f"{A.shape[-2] if A.ndim > 1 else A.shape[0]} by {A.shape[-1]} matrices"
        )


class LinAlgError(RuntimeError):
    """A matrix that the solver cannot handle (singular); a RuntimeError, as in PyTorch."""


def _singular_error(name):
    return LinAlgError(f"linalg.{name}: The solver failed because the input matrix is singular.")


class Inverse(Function):
    saves_output = True

    def forward(self, a):
        try:
            with backend.raising_linalg_errors(a):
                return xp(a).linalg.inv(a)
        except backend.LinAlgError:
            raise _singular_error("inv") from None

    def backward(self, grad):
        inverse_t = self.output.mT
        return -(inverse_t @ grad @ inverse_t)


class Solve(Function):
    """X with A X = B; gradients: dB = A^-T G, dA = -dB X^T."""

    saves_inputs = True
    saves_output = True

    def forward(self, a, b, vector_rhs):
        self.vector_rhs = vector_rhs
        namespace = xp(a)
        rhs = b[..., None] if vector_rhs else b
        # NumPy broadcasts the batch dimensions of A and B itself; CuPy needs them equal.
        batch = backend.cpu_namespace.broadcast_shapes(a.shape[:-2], rhs.shape[:-2])
        a = backend.broadcast_to(a, batch + a.shape[-2:])
        rhs = backend.broadcast_to(rhs, batch + rhs.shape[-2:])
        try:
            with backend.raising_linalg_errors(a):
                out = namespace.linalg.solve(a, rhs)
        except backend.LinAlgError:
            raise _singular_error("solve") from None
        return out[..., 0] if vector_rhs else out

    def backward(self, grad):
        a = self.inputs[0]
        x = self.output
        if self.vector_rhs:
            grad, x = grad.unsqueeze(-1), x.unsqueeze(-1)
        grad_b = solve(a.mT, grad)
        grad_a = -(grad_b @ x.mT) if self.needs_input_grad(0) else None
        if self.vector_rhs:
            grad_b = grad_b.squeeze(-1)
        return grad_a, grad_b, None


def inv(A):
    _check_square(A, "inv")
    return Inverse.apply(A)


def solve(A, B, *, left=True):
    _check_square(A, "solve")
    if type(A._data) is not type(B._data):
        check_same_device(A._data, B._data, "linalg.solve")
    if A._data.dtype != B._data.dtype:
        raise RuntimeError(
            f"linalg.solve: Expected A and B to have the same dtype, but found A of type "
            f"{A.dtype} and B of type {B.dtype} instead"
        )
    vector_rhs = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    expected = A.shape[-1]
    got = B.shape[-1] if vector_rhs else B.shape[-2]
    if got != expected:
        raise RuntimeError(
            f"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
            f"({A.shape[-2]}x{A.shape[-1]} and {got}x{B.shape[-1] if not vector_rhs else 1})"
        )
    return Solve.apply(A, B, vector_rhs)


class Det(Function):
    """det(A); its gradient is det(A) * A^-T (for an invertible A)."""

    saves_inputs = True
    saves_output = True

    def forward(self, a):
        return xp(a).asarray(xp(a).linalg.det(a), a.dtype)

    def backward(self, grad):
        (a,) = self.inputs
        scale = (grad * self.output).unsqueeze(-1).unsqueeze(-1)
        return scale * inv(a).mT

    def name(self):
        return "LinalgDetBackward0"


def det(A):
    _check_square(A, "det")
    return Det.apply(A)


class LeastSquares(Function):
    """X minimising ||A X - B||; for A of full column rank X = (A^T A)^-1 A^T B, so with
    Y = (A^T A)^-1 G: dB = A Y and dA = (B - A X) Y^T - A Y X^T."""

    saves_inputs = True
    saves_output = True

    def forward(self, a, b, solution):
        return solution  # computed by lstsq(), which also reports rank and residuals

    def backward(self, grad):
        a, b, _ = self.inputs
        x = self.output
        if b.ndim == 1:
            grad, x, b = grad.unsqueeze(-1), x.unsqueeze(-1), b.unsqueeze(-1)
        y = solve(a.mT @ a, grad)
        grad_b = a @ y if self.needs_input_grad(1) else None
        grad_a = (b - a @ x) @ y.mT - a @ y @ x.mT if self.needs_input_grad(0) else None
        if grad_b is not None and self.saved_inputs[1][0].ndim == 1:
            grad_b = grad_b.squeeze(-1)
        return grad_a, grad_b, None

    def name(self):
        return "LinalgLstsqBackward0"


def lstsq(A, B, rcond=None, *, driver=None):
    """Least-squares solution of A X = B for one 2-D matrix A (the closed-form linear
    regression); the solution's gradient assumes A has full column rank."""
    from collections import namedtuple

    result_type = namedtuple("lstsq", ["solution", "residuals", "rank", "singular_values"])
    if A.ndim != 2:
        raise RuntimeError("linalg.lstsq: ember supports a single 2-D matrix A")
    if A._data.dtype != B._data.dtype:
        raise RuntimeError(
            f"linalg.lstsq: Expected input and other to have the same dtype, but got "
            f"{A.dtype} and {B.dtype}"
        )
    if A.shape[0] != B.shape[0]:
        raise RuntimeError(
            f"linalg.lstsq: input.size(-2) should match other.size(-2) "
            f"({A.shape[0]} and {B.shape[0]})"
        )
    namespace = xp(A._data)
    dtype = A._data.dtype
    solution, residuals, rank, singular = namespace.linalg.lstsq(A._data, B._data, rcond=rcond)
    return result_type(
        LeastSquares.apply(A, B, solution.astype(dtype, copy=False)),
        Tensor._make(namespace.asarray(residuals, dtype)),
        Tensor._make(namespace.asarray(rank, "int64")),
        Tensor._make(namespace.asarray(singular, dtype)),
    )
