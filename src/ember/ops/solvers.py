"""Solvers: ``solve`` (A X = B, or X A = B), ``inv``, ``det`` and ``lstsq`` (the
closed-form linear regression), with batch dims that broadcast.

A singular matrix is a ``LinAlgError`` (a RuntimeError, as in PyTorch). The
gradients are written in ember's ops, so they differentiate again.
"""

from .. import backend, return_types
from ..arguments import bool_argument, check_tensors, float_argument
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from ..device import check_same_device
from ..tensor import Tensor


def _check_square(A, name):
    check_tensors(f"linalg_{name}", A=A)
    if A.ndim < 2:
        raise RuntimeError(
            f"linalg.{name}: The input tensor A must have at least 2 dimensions, but it has "
            f"{A.ndim}"
        )
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"linalg.{name}: A must be batches of square matrices, but they are "
            f"{A.shape[-2]} by {A.shape[-1]} matrices"
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


def broadcast_batches(name, a_batch, b_batch):
    """The batch shape that A's and B's batch dims broadcast to."""
    try:
        return backend.cpu_namespace.broadcast_shapes(a_batch, b_batch)
    except ValueError:
        raise RuntimeError(
            f"linalg.{name}: the batch dims of A {list(a_batch)} and of B {list(b_batch)} "
            "cannot be broadcast together"
        ) from None


def number_argument(value, label, name):
    """``value``: None, a number or a tensor (a tolerance; PyTorch refuses a string)."""
    if value is not None and not isinstance(value, (int, float, Tensor)):
        raise TypeError(f"{label}(): argument '{name}' must be float, not {type(value).__name__}")
    return value


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

    def name(self):
        return "LinalgInvExBackward0"  # PyTorch's inv is its inv_ex that checks errors


def with_one_batch(a, b, vector_rhs):
    """A and the right-hand side (a vector made a column) with their batch dims
    broadcast to one shape, and that shape."""
    rhs = b[..., None] if vector_rhs else b
    batch = backend.cpu_namespace.broadcast_shapes(a.shape[:-2], rhs.shape[:-2])
    a = backend.broadcast_to(a, batch + a.shape[-2:])
    return a, backend.broadcast_to(rhs, batch + rhs.shape[-2:]), batch


class Solve(Function):
    """X with A X = B; gradients: dB = A^-T G, dA = -dB X^T."""

    listed_inputs = (0, 1)
    saves_inputs = True
    saves_output = True

    def forward(self, a, b, vector_rhs):
        self.vector_rhs = vector_rhs
        namespace = xp(a)
        # NumPy broadcasts the batch dimensions of A and B itself; CuPy needs them equal.
        a, rhs, _ = with_one_batch(a, b, vector_rhs)
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

    def name(self):
        return "LinalgSolveExBackward0"  # PyTorch's solve is its solve_ex that checks errors


def inv(A):
    _check_square(A, "inv")
    _check_solver_dtype(A, "inv")
    return Inverse.apply(A)


def solve(A, B, *, left=True):
    """X with A X = B, or with X A = B when ``left`` is False. B holds one vector per
    matrix of A where its shape is A's without the last dim (or B is 1-d)."""
    check_tensors("linalg_solve", A=A, B=B)
    bool_argument(left, "linalg_solve", "left")
    if not A.is_floating_point():  # PyTorch refuses integers first, float16 last (its kernel)
        _check_solver_dtype(A, "solve")
    _check_square(A, "solve")
    if type(A._data) is not type(B._data):
        check_same_device(A._data, B._data, "linalg.solve")
    if A._data.dtype != B._data.dtype:
        raise RuntimeError(
            f"linalg.solve: Expected A and B to have the same dtype, but found A of type "
            f"{A.dtype} and B of type {B.dtype} instead"
        )
    if B.ndim == 0:
        raise RuntimeError("linalg.solve: B must have at least 1 dimension, but it is 0-d")
    vector_rhs = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    if not left:  # X A = B is A^T X^T = B^T, for B of rows as wide as A
        if vector_rhs or B.shape[-1] != A.shape[-1]:
            rows, columns = (B.shape[-1], 1) if vector_rhs else B.shape[-2:]
            raise RuntimeError(
                f"linalg.solve: Incompatible shapes of A and B for the equation XA = B "
                f"({A.shape[-2]}x{A.shape[-1]} and {rows}x{columns})"
            )
        broadcast_batches("solve", A.shape[:-2], B.shape[:-2])
        _check_solver_dtype(A, "solve", NotImplementedError)  # PyTorch's kernel: last
        return Solve.apply(A.mT, B.mT, False).mT
    got = B.shape[-1] if vector_rhs else B.shape[-2]
    if got != A.shape[-1]:
        raise RuntimeError(
            f"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
            f"({A.shape[-2]}x{A.shape[-1]} and {got}x{B.shape[-1] if not vector_rhs else 1})"
        )
    broadcast_batches("solve", A.shape[:-2], B.shape[:-1] if vector_rhs else B.shape[:-2])
    _check_solver_dtype(A, "solve", NotImplementedError)
    return Solve.apply(A, B, vector_rhs)


class Det(Function):
    """det(A); its gradient is det(A) * A^-T (for an invertible A)."""

    saves_inputs = True
    saves_output = True

    def forward(self, a):
        namespace = xp(a)
        clean, has_nan = without_nan(a)  # LAPACK gives 0 for those; PyTorch, NaN
        return namespace.asarray(
            namespace.where(has_nan, namespace.nan, namespace.linalg.det(clean)), a.dtype
        )

    def backward(self, grad):
        (a,) = self.inputs
        scale = (grad * self.output).unsqueeze(-1).unsqueeze(-1)
        return scale * inv(a).mT

    def name(self):
        return "LinalgDetBackward0"


def without_nan(a):
    """``a`` with each matrix that holds NaN replaced by the identity (on which LAPACK
    neither stops nor makes NumPy warn), and which matrices those were."""
    namespace = xp(a)
    has_nan = namespace.isnan(a).any(axis=(-2, -1))
    identity = namespace.eye(a.shape[-1], dtype=a.dtype)
    return namespace.where(has_nan[..., None, None], identity, a), has_nan


def det(A):
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_det(): argument 'A' must be Tensor, not {type(A).__name__}")
    _check_square(A, "det")
    _check_solver_dtype(A, "det", NotImplementedError)
    return Det.apply(A)


class LeastSquares(Function):
    """X minimising ||A X - B|| (batch dims broadcast), the least-norm one for a wide A.
    The gradients assume A has full rank. A tall (or square) A: X = (A^T A)^-1 A^T B, so
    with Y = (A^T A)^-1 G: dB = A Y and dA = (B - A X) Y^T - A Y X^T. A wide A:
    X = A^T (A A^T)^-1 B, so with V = (A A^T)^-1 A G and S = (A A^T)^-1 B: dB = V and
    dA = S (G - A^T V)^T - V X^T."""

    listed_inputs = (0, 1)
    saves_inputs = True
    saves_output = True

    def forward(self, a, b, vector_rhs, rcond):
        self.vector_rhs = vector_rhs
        namespace = xp(a)
        a, rhs, batch = with_one_batch(a, b, vector_rhs)
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
# PyTorch's name for it, and printed as ember's other named results are
lstsq_result = return_types._named_tuple(
    "linalg_lstsq", ["solution", "residuals", "rank", "singular_values"]
)


def lstsq(input, b, rcond=None, *, driver=None):
    """Least-squares solution X of A X = B, batch dims broadcast (the closed-form linear
    regression). The other fields follow PyTorch's drivers: the residuals (squared error
    of each column) only where A is tall, of full rank, and the driver is not 'gelsy';
    the rank unless the driver is 'gels'; the singular values for 'gelsd' and 'gelss'.
    Fields left out are empty, of shape (0,). The gradients assume A has full rank."""
    A, B = input, b  # PyTorch's names for its arguments; the docs' A and B here
    check_tensors("linalg_lstsq", input=A, b=B)
    if rcond is not None:  # a number, or a 0-d tensor's
        rcond = float_argument(rcond, "linalg_lstsq", "rcond")
    if driver is not None and not isinstance(driver, str):
        raise TypeError(
            f"linalg_lstsq(): argument 'driver' must be str, not {type(driver).__name__}"
        )
    vector_rhs = _check_least_squares(A, B, driver, rcond)
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


def _check_least_squares(A, B, driver, rcond):
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
    # Without rcond, PyTorch looks up the dtype's eps for the default one first; with it,
    # its kernel refuses the dtype, after the shapes.
    if rcond is None:
        _check_least_squares_dtype(A, RuntimeError)
    # a vector per matrix of A only where B's shape is A's without the last dim, as in
    # solve; else B holds matrices (a B of one dim fewer included, broadcast as a batch)
    vector_rhs = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    if not 0 <= A.ndim - B.ndim <= 1:
        raise RuntimeError(
            f"linalg.lstsq: input.dim() must be greater or equal to other.dim() and "
            f"(input.dim() - other.dim()) <= 1, got {A.ndim} and {B.ndim}"
        )
    rows = B.shape[-1] if vector_rhs else B.shape[-2]
    if A.shape[-2] != rows:
        raise RuntimeError(
            f"linalg.lstsq: input.size(-2) should match other.size(-2) ({A.shape[-2]} and {rows})"
        )
    broadcast_batches("lstsq", A.shape[:-2], B.shape[:-1] if vector_rhs else B.shape[:-2])
    if B.ndim == A.ndim - 1 and not vector_rhs:
        # PyTorch reads the rows of such a B as one more batch dim (and gives a result of
        # its own shape); ember solves for B's matrices, but refuses where PyTorch does
        broadcast_batches("lstsq", A.shape[:-2], B.shape[:-1])
    _check_least_squares_dtype(A, NotImplementedError)
    return vector_rhs


def _check_least_squares_dtype(A, error):
    if not A.is_floating_point() or A._data.dtype.itemsize < 4:
        raise error(
            f"linalg.lstsq: only float32 and float64 are supported, got {A.dtype}; convert "
            "with .float()"
        )


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
