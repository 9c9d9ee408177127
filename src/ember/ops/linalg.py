"""Products and linear algebra: matmul (and dot, inner, mv, mm, bmm), outer, norm,
solve, inv, det, lstsq.

Matmul follows NumPy's (and PyTorch's) rules: 1-d operands are promoted to a
row or column for the product and the extra dim removed afterwards; leading
batch dims broadcast, and the engine sums their gradient back.
"""

import math
from collections import namedtuple

from .. import backend, dtypes
from ..autograd.function import Function, save_each_for_the_other
from ..backend import namespace_of as xp  # the array namespace of an array
from ..device import check_same_device
from ..dims import normalize_dims, wrap_dim
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


def _norm_input(x, dtype, op_name):
    """``x`` in the type its norm is computed in: PyTorch takes only floating tensors, and
    a ``dtype=`` that widens them, never one that narrows."""
    if not x.is_floating_point():
        raise RuntimeError(
            f"{op_name}: Expected a floating point or complex tensor as input. Got {x.dtype}; "
            "convert it with .float()"
        )
    if dtype is None:
        return x
    dtype = dtypes.to_dtype(dtype)
    if not dtype.is_floating_point:
        raise RuntimeError(f"{op_name}: dtype should be floating point or complex, but got {dtype}")
    if dtype.itemsize < x.dtype.itemsize:
        raise RuntimeError(
            f"{op_name}: the dtype of the input ({x.dtype}) should be convertible without "
            f"narrowing to the specified dtype ({dtype})"
        )
    return x.to(dtype)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """||x||_ord over ``dim`` (all elements when None), composed of differentiable ops."""
    if isinstance(ord, str):
        raise TypeError(
            f"linalg.vector_norm: ord must be a number, got {ord!r}; for a matrix norm use "
            "linalg.matrix_norm"
        )
    x = _norm_input(x, dtype, "linalg.vector_norm")
    axes = normalize_dims(dim, x.ndim)
    if ord < 0 or ord == math.inf:
        _refuse_empty_norm(x, ord, axes)
    magnitude = x.abs()
    if ord == 1:
        return magnitude.sum(dim=axes, keepdim=keepdim)
    if ord == math.inf:
        return magnitude.amax(dim=axes if axes else (), keepdim=keepdim)
    if ord == -math.inf:
        return magnitude.amin(dim=axes if axes else (), keepdim=keepdim)
    return VectorNorm.apply(x, ord, axes, keepdim)


def _refuse_empty_norm(x, ord, axes):
    """The inf norm and negative ones are max-like: of no element they have no value."""
    if axes is None:
        if x.numel() == 0:
            raise RuntimeError(
                f"linalg.vector_norm cannot compute the {ord} norm on an empty tensor because "
                "the operation does not have an identity"
            )
        return
    for axis in axes:
        if x.shape[axis] == 0:
            raise RuntimeError(
                f"linalg.vector_norm cannot compute the {ord} norm on the dimension {axis} "
                "because this dimension is empty and the operation does not have an identity"
            )


class VectorNorm(Function):
    """||x||_p for finite p >= 0; its gradient is zero where x or the norm is zero, as in
    PyTorch (composing sqrt(sum(x * x)) would give 0 * inf = nan for a zero vector). The
    0 "norm" counts the non-zeros: a step function, with no gradient (None, as in PyTorch)."""

    saves_inputs = True
    saves_output = True

    def forward(self, a, ord, axes, keepdim):
        self.ord, self.axes, self.keepdim = ord, axes, keepdim
        namespace = xp(a)
        if ord == 0:
            out = (a != 0).sum(axis=axes, keepdims=keepdim)
        elif ord == 2:
            out = namespace.sqrt((a * a).sum(axis=axes, keepdims=keepdim))
        else:
            out = (namespace.abs(a) ** ord).sum(axis=axes, keepdims=keepdim) ** (1.0 / ord)
        return namespace.asarray(out, a.dtype)

    def backward(self, grad):
        if self.ord == 0:
            return None, None, None, None
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


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    A = _norm_input(A, dtype, "linalg.matrix_norm")
    row_dim, col_dim = _matrix_dims(A, dim)
    if ord == "fro":
        return vector_norm(A, 2, (row_dim, col_dim), keepdim)
    if ord in (1, -1):
        sums = A.abs().sum(dim=row_dim, keepdim=True)
        reduce_dims = (col_dim, row_dim)
    elif ord in (math.inf, -math.inf):
        sums = A.abs().sum(dim=col_dim, keepdim=True)
        reduce_dims = (row_dim, col_dim)
    elif ord in (2, -2, "nuc"):
        return _singular_value_norm(A, ord, (row_dim, col_dim), keepdim)
    else:
        raise RuntimeError(
            f"linalg.matrix_norm: Order {ord!r} not supported; use 'fro', 'nuc', 2, -2, 1, -1, "
            "inf or -inf"
        )
    largest = ord in (1, math.inf)
    result = (
        sums.amax(dim=reduce_dims, keepdim=True)
        if largest
        else sums.amin(dim=reduce_dims, keepdim=True)
    )
    return result if keepdim else result.squeeze(reduce_dims)


def _matrix_dims(A, dim):
    """The (row, column) dims of a matrix norm, as non-negative indices, checked."""
    if A.ndim < 2:
        raise RuntimeError(
            f"linalg.matrix_norm: The input tensor A must have at least 2 dimensions, but it "
            f"has {A.ndim}"
        )
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if len(dims) != 2:
        raise RuntimeError(
            f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dims))}"
        )
    row_dim, col_dim = (wrap_dim(d, A.ndim) for d in dims)
    if row_dim == col_dim:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got {dims}")
    return row_dim, col_dim


class SingularValueNorm(Function):
    """The largest (ord 2) or smallest (ord -2) singular value, or their sum ('nuc'), of
    the last two dims. d sigma_i / dA = u_i v_i^T; equal extreme singular values (as in a
    zero matrix) share the gradient evenly, as in PyTorch."""

    def forward(self, a, ord):
        u, singular, vh = xp(a).linalg.svd(a, full_matrices=False)
        self.u, self.vh = u, vh
        if ord == "nuc":
            self.weights = None
            return singular.sum(axis=-1)
        extreme = singular[..., :1] if ord == 2 else singular[..., -1:]  # sorted, largest first
        ties = (singular == extreme).astype(a.dtype)
        self.weights = ties / ties.sum(axis=-1, keepdims=True)
        return extreme[..., 0]

    def backward(self, grad):
        u = self.u if self.weights is None else self.u * self.weights[..., None, :]
        direction = Tensor._make(u @ self.vh)
        return grad.unsqueeze(-1).unsqueeze(-1) * direction, None


def _singular_value_norm(A, ord, dims, keepdim):
    if A._data.dtype.itemsize < 4:
        raise RuntimeError(
            f"linalg.matrix_norm: Low precision dtypes not supported. Got {A.dtype}; convert "
            "it with .float()"
        )
    row_dim, col_dim = dims
    others = [d for d in range(A.ndim) if d not in dims]
    result = SingularValueNorm.apply(A.permute(*others, row_dim, col_dim), ord)
    if keepdim:
        for d in sorted(dims):
            result = result.unsqueeze(d)
    return result


def linalg_norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """A vector norm over one dim, a matrix norm over two (or for a string ``ord``); with
    neither ``ord`` nor ``dim``, the 2-norm of every element."""
    if dim is None:
        if ord is None:
            return vector_norm(A, 2, None, keepdim, dtype=dtype)
        if A.ndim not in (1, 2):
            raise RuntimeError(
                f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
                f"Got {A.ndim}D."
            )
        dim = tuple(range(A.ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if isinstance(ord, str) or len(dims) == 2:
        return matrix_norm(A, "fro" if ord is None else ord, dims, keepdim, dtype=dtype)
    if len(dims) == 1:
        return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype)
    raise RuntimeError(
        f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {list(dims)}"
    )


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """``torch.norm``: a number ``p`` is a vector norm over ``dim`` (every element when
    None); 'fro' the 2-norm over every element or over at most two dims; 'nuc' a matrix
    norm."""
    if p is None or p == "fro":
        if dim is not None and not isinstance(dim, int) and len(dim) > 2:
            raise RuntimeError(
                f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dim))}"
            )
        return vector_norm(input, 2, dim, keepdim, dtype=dtype)
    if isinstance(p, str):
        dims = tuple(range(input.ndim)) if dim is None else dim
        return matrix_norm(input, p, dims, keepdim, dtype=dtype)
    return vector_norm(input, p, dim, keepdim, dtype=dtype)


# Solving ------------------------------------------------------------------------


def _check_square(A, name):
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"linalg.{name}: A must be batches of square matrices, but they are "
            f"{A.shape[-2] if A.ndim > 1 else A.shape[0]} by {A.shape[-1]} matrices"
        )


def _check_solver_dtype(A, name, low_precision_error=RuntimeError):
    """The solvers work in float32 and float64. PyTorch refuses integers and bool, and
    float16 (with NotImplementedError where it has no kernel for it: solve, det)."""
    if not A.is_floating_point():
        raise RuntimeError(
            f"linalg.{name}: Expected a floating point or complex tensor as input. Got "
            f"{A.dtype}; convert it with .float()"
        )
    if A._data.dtype.itemsize < 4:
        raise low_precision_error(
            f"linalg.{name}: Low precision dtypes not supported. Got {A.dtype}; convert it "
            "with .float()"
        )


def _broadcast_batches(name, a_batch, b_batch):
    """The batch shape that A's and B's batch dims broadcast to."""
    try:
        return backend.cpu_namespace.broadcast_shapes(a_batch, b_batch)
    except ValueError:
        raise RuntimeError(
            f"linalg.{name}: the batch dims of A {list(a_batch)} and of B {list(b_batch)} "
            "cannot be broadcast together"
        ) from None


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


def _with_one_batch(a, b, vector_rhs):
    """A and the right-hand side (a vector made a column) with their batch dims
    broadcast to one shape, and that shape."""
    rhs = b[..., None] if vector_rhs else b
    batch = backend.cpu_namespace.broadcast_shapes(a.shape[:-2], rhs.shape[:-2])
    a = backend.broadcast_to(a, batch + a.shape[-2:])
    return a, backend.broadcast_to(rhs, batch + rhs.shape[-2:]), batch


class Solve(Function):
    """X with A X = B; gradients: dB = A^-T G, dA = -dB X^T."""

    saves_inputs = True
    saves_output = True

    def forward(self, a, b, vector_rhs):
        self.vector_rhs = vector_rhs
        namespace = xp(a)
        # NumPy broadcasts the batch dimensions of A and B itself; CuPy needs them equal.
        a, rhs, _ = _with_one_batch(a, b, vector_rhs)
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
    _check_solver_dtype(A, "inv")
    return Inverse.apply(A)


def solve(A, B, *, left=True):
    """X with A X = B, or with X A = B when ``left`` is False. B holds one vector per
    matrix of A where its shape is A's without the last dim (or B is 1-d)."""
    _check_square(A, "solve")
    _check_solver_dtype(A, "solve", NotImplementedError)
    if type(A._data) is not type(B._data):
        check_same_device(A._data, B._data, "linalg.solve")
    if A._data.dtype != B._data.dtype:
        raise RuntimeError(
            f"linalg.solve: Expected A and B to have the same dtype, but found A of type "
            f"{A.dtype} and B of type {B.dtype} instead"
        )
    vector_rhs = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    if not left:  # X A = B is A^T X^T = B^T, for B of rows as wide as A
        if vector_rhs or B.shape[-1] != A.shape[-1]:
            rows, columns = (B.shape[-1], 1) if vector_rhs else B.shape[-2:]
            raise RuntimeError(
                f"linalg.solve: Incompatible shapes of A and B for the equation XA = B "
                f"({A.shape[-2]}x{A.shape[-1]} and {rows}x{columns})"
            )
        _broadcast_batches("solve", A.shape[:-2], B.shape[:-2])
        return Solve.apply(A.mT, B.mT, False).mT
    got = B.shape[-1] if vector_rhs else B.shape[-2]
    if got != A.shape[-1]:
        raise RuntimeError(
            f"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
            f"({A.shape[-2]}x{A.shape[-1]} and {got}x{B.shape[-1] if not vector_rhs else 1})"
        )
    _broadcast_batches("solve", A.shape[:-2], B.shape[:-1] if vector_rhs else B.shape[:-2])
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
    _check_solver_dtype(A, "det", NotImplementedError)
    return Det.apply(A)


class LeastSquares(Function):
    """X minimising ||A X - B|| (batch dims broadcast), the least-norm one for a wide A.
    The gradients assume A has full rank. A tall (or square) A: X = (A^T A)^-1 A^T B, so
    with Y = (A^T A)^-1 G: dB = A Y and dA = (B - A X) Y^T - A Y X^T. A wide A:
    X = A^T (A A^T)^-1 B, so with V = (A A^T)^-1 A G and S = (A A^T)^-1 B: dB = V and
    dA = S (G - A^T V)^T - V X^T."""

    saves_inputs = True
    saves_output = True

    def forward(self, a, b, vector_rhs, rcond):
        self.vector_rhs = vector_rhs
        namespace = xp(a)
        a, rhs, batch = _with_one_batch(a, b, vector_rhs)
        solution = namespace.empty(batch + (a.shape[-1], rhs.shape[-1]), a.dtype)
        for index in backend.cpu_namespace.ndindex(*batch):  # lstsq takes one matrix at a time
            solution[index] = namespace.linalg.lstsq(a[index], rhs[index], rcond=rcond)[0]
        return solution[..., 0] if vector_rhs else solution

    def backward(self, grad):
        a, b = self.inputs[:2]
        x = self.output
        if self.vector_rhs:
            grad, x, b = grad.unsqueeze(-1), x.unsqueeze(-1), b.unsqueeze(-1)
        rows, columns = a.shape[-2:]
        if rows >= columns:
            y = solve(a.mT @ a, grad)
            grad_b = a @ y
            grad_a = (b - a @ x) @ y.mT - grad_b @ x.mT if self.needs_input_grad(0) else None
        else:
            gram = a @ a.mT
            grad_b = solve(gram, a @ grad)
            grad_a = None
            if self.needs_input_grad(0):
                grad_a = solve(gram, b) @ (grad - a.mT @ grad_b).mT - grad_b @ x.mT
        if self.vector_rhs:
            grad_b = grad_b.squeeze(-1)
        return grad_a, grad_b if self.needs_input_grad(1) else None, None, None

    def name(self):
        return "LinalgLstsqBackward0"


LSTSQ_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")  # PyTorch's on the CPU; gelsy by default
lstsq_result = namedtuple("lstsq", ["solution", "residuals", "rank", "singular_values"])


def lstsq(A, B, rcond=None, *, driver=None):
    """Least-squares solution X of A X = B, batch dims broadcast (the closed-form linear
    regression). The other fields follow PyTorch's drivers: the residuals (squared error
    of each column) only where A is tall, of full rank, and the driver is not 'gelsy';
    the rank unless the driver is 'gels'; the singular values for 'gelsd' and 'gelss'.
    Fields left out are empty, of shape (0,). The gradients assume A has full rank."""
    vector_rhs = _check_least_squares(A, B, driver)
    driver = driver or "gelsy"
    solution = LeastSquares.apply(A, B, vector_rhs, rcond)
    namespace, data = xp(A._data), A._data
    rows, columns = data.shape[-2:]
    singular = namespace.linalg.svd(data, compute_uv=False)
    rank = _rank(singular, data, rcond)
    if rows > columns and driver != "gelsy" and bool((rank == columns).all()):
        residuals = _residuals(A, B, solution, vector_rhs)
    else:
        residuals = Tensor._make(namespace.zeros((0,), data.dtype))
    if driver == "gels":
        rank = namespace.zeros((0,), "int64")
    if driver not in ("gelsd", "gelss"):
        singular = namespace.zeros((0,), data.dtype)
    return lstsq_result(solution, residuals, Tensor._make(rank), Tensor._make(singular))


def _check_least_squares(A, B, driver):
    """PyTorch's checks of lstsq's arguments; whether B is a vector (per matrix of A)."""
    if driver is not None and driver not in LSTSQ_DRIVERS:
        raise RuntimeError(
            f"linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss), "
            f"got {driver!r}"
        )
    if A.ndim < 2 or B.ndim < 1:
        raise RuntimeError(
            f"linalg.lstsq: A must have at least 2 dims and B at least 1, got {A.ndim} and {B.ndim}"
        )
    if type(A._data) is not type(B._data):
        check_same_device(A._data, B._data, "linalg.lstsq")
    if A._data.dtype != B._data.dtype:
        raise RuntimeError(
            f"linalg.lstsq: Expected input and other to have the same dtype, but got "
            f"{A.dtype} and {B.dtype}"
        )
    if not A.is_floating_point() or A._data.dtype.itemsize < 4:
        raise RuntimeError(
            f"linalg.lstsq: only float32 and float64 are supported, got {A.dtype}; convert "
            "with .float()"
        )
    vector_rhs = B.ndim == A.ndim - 1
    if not vector_rhs and B.ndim != A.ndim:
        raise RuntimeError(
            f"linalg.lstsq: input.dim() must be greater or equal to other.dim() and "
            f"(input.dim() - other.dim()) <= 1, got {A.ndim} and {B.ndim}"
        )
    rows = B.shape[-1] if vector_rhs else B.shape[-2]
    if A.shape[-2] != rows:
        raise RuntimeError(
            f"linalg.lstsq: input.size(-2) should match other.size(-2) ({A.shape[-2]} and {rows})"
        )
    _broadcast_batches("lstsq", A.shape[:-2], B.shape[:-1] if vector_rhs else B.shape[:-2])
    return vector_rhs


def _rank(singular, a, rcond):
    """The count of singular values above rcond times the largest (machine precision
    times the larger side by default, as LAPACK's drivers take it)."""
    namespace = xp(a)
    if rcond is None:
        rcond = namespace.finfo(a.dtype).eps * max(a.shape[-2:])
    if singular.shape[-1] == 0:
        return namespace.zeros(singular.shape[:-1], "int64")
    return (singular > rcond * singular[..., :1]).sum(axis=-1).astype("int64")


def _residuals(A, B, solution, vector_rhs):
    """||A X - B||^2 of each column, from differentiable ops: the gradient is PyTorch's."""
    if vector_rhs:
        B, solution = B.unsqueeze(-1), solution.unsqueeze(-1)
    error = A @ solution - B
    return (error * error).sum(dim=-2)
