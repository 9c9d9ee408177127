"""Triangular solves and the Cholesky and QR decompositions: ``linalg.solve_triangular``
(and the older ``triangular_solve``), ``linalg.cholesky`` (``cholesky_ex``, the older
``cholesky``), ``cholesky_solve``, ``cholesky_inverse``, and ``linalg.qr`` (``qr``).

LAPACK, through NumPy (or CuPy), factors the matrices. NumPy has no triangular solver, so
triangular systems are solved here by substitution, in blocks that leave the bulk of the
work to matrix products; as in PyTorch, a zero on the diagonal gives inf or NaN, not an
error. A decomposition's factors are one node each (``factors.py``), so that a backward
reaching one factor uses only its own term. The gradients are written in ember's ops,
so they differentiate again. With G the gradient of the output:

- solve, X = A^-1 B: dB = A^-T G and dA = -dB X^T, kept to the triangle that was read.
- Cholesky, A = L L^T: with P = Φ(L^T G) (P's lower triangle, its diagonal halved),
  dA = L^-T P L^-1, made symmetric: PyTorch takes A as symmetric.
- QR of a tall or square A = Q R: with M = R dR^T - dQ^T Q, dA = (dQ + Q copyltu(M)) R^-T,
  where copyltu(M) is the symmetric matrix of M's lower triangle. A wide A = [X | Y]
  has R = [U | V] with Y = Q V: dY = Q dV, and dX is the square case's for dU and
  dQ + Y dV^T.
"""

import warnings

from .. import backend, return_types
from ..arguments import bool_argument, type_name
from ..autograd.function import NOT_SAVED, Function, save
from ..backend import namespace_of as xp  # the array namespace of an array
from ..creation import refuse_out
from ..device import check_same_device
from ..tensor import Tensor
from .factors import Factorization, factor_tensors
from .joining import cat
from .matrix_parts import tril, triu
from .solvers import LinAlgError, broadcast_batches, with_one_batch

# Checks ---------------------------------------------------------------------------------


def check_matrices(
    A,
    label,
    *,
    argument="A",
    square=True,
    integer_error=RuntimeError,
    low_precision_error=NotImplementedError,
):
    """PyTorch's checks of a linear-algebra input, in its order: a tensor, of matrices
    (square ones where ``square``), of float32 or float64. ``label`` names the op in the
    message (``linalg.cholesky``); its kernels refuse other dtypes with the error types given."""
    check_matrix_shape(A, label, argument=argument, square=square)
    check_float_matrices(A, label, integer_error, low_precision_error)


def check_matrix_shape(A, label, *, argument="A", square=True):
    """A tensor of matrices (square ones where ``square``), whatever its dtype."""
    if not isinstance(A, Tensor):
        raise TypeError(
            f"{label.replace('.', '_')}(): argument '{argument}' must be Tensor, not {type_name(A)}"
        )
    if A._data.ndim < 2:
        raise RuntimeError(
            f"{label}: The input tensor {argument} must have at least 2 dimensions, but it has "
            f"{A._data.ndim}"
        )
    if square and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"{label}: {argument} must be batches of square matrices, but they are "
            f"{A.shape[-2]} by {A.shape[-1]} matrices"
        )


def check_float_matrices(A, label, integer_error, low_precision_error):
    """float32 or float64 (float16 too where ``low_precision_error`` is None)."""
    if not A.is_floating_point():
        raise integer_error(
            f"{label}: Expected a floating point tensor as input. Got {A.dtype}; convert it "
            "with .float()"
        )
    if low_precision_error is not None and A._data.dtype.itemsize < 4:
        raise low_precision_error(
            f"{label}: {A.dtype} is not supported (LAPACK works in float32 and float64); "
            "convert it with .float()"
        )


def _check_pair(label, first, second, names):
    """Two matrices of one dtype on one device, for the older solvers (cholesky_solve...)."""
    for name, value in zip(names, (first, second)):
        if not isinstance(value, Tensor):
            raise TypeError(f"{label}(): argument '{name}' must be Tensor, not {type_name(value)}")
        if value._data.ndim < 2:
            raise RuntimeError(
                f"{label}: {name} should have at least 2 dimensions, but has {value.ndim} "
                "dimensions instead"
            )
    if first._data.dtype != second._data.dtype:
        raise RuntimeError(
            f"{label}: Expected {names[0]} and {names[1]} to have the same dtype, but found "
            f"{names[0]} of type {first.dtype} and {names[1]} of type {second.dtype} instead"
        )
    if type(first._data) is not type(second._data):
        check_same_device(first._data, second._data, label)


def _check_pair_dtype(label, first):
    """After the sizes, as PyTorch's kernel, which refuses the dtype, runs last."""
    check_float_matrices(first, label, NotImplementedError, NotImplementedError)


def deprecated(old, new, how):
    """PyTorch's warning for its older forms, in ember's words (from the caller's line)."""
    warnings.warn(
        f"ember.{old} is deprecated (as in PyTorch) in favor of ember.{new}: {how}",
        UserWarning,
        stacklevel=3,
    )


# Triangular systems ---------------------------------------------------------------------

ROWS_BY_SUBSTITUTION = 16  # larger systems are split in two around a matrix product


def _solve_lower(lower, rhs, unit):
    """X with L X = B, reading only L's lower triangle (and not its diagonal, taken as ones,
    where ``unit``); L and B have the same batch dims."""
    size = lower.shape[-1]
    if size > ROWS_BY_SUBSTITUTION:
        half = size // 2
        top = _solve_lower(lower[..., :half, :half], rhs[..., :half, :], unit)
        rest = rhs[..., half:, :] - lower[..., half:, :half] @ top
        bottom = _solve_lower(lower[..., half:, half:], rest, unit)
        return xp(rhs).concatenate([top, bottom], axis=-2)
    solution = rhs.copy()
    for row in range(size):
        if row:
            known = lower[..., row : row + 1, :row] @ solution[..., :row, :]
            solution[..., row, :] -= known[..., 0, :]
        if not unit:
            solution[..., row, :] /= lower[..., row, row, None]
    return solution


def solve_triangular_arrays(a, b, upper, left=True, unit=False):
    """X with A X = B (X A = B unless ``left``), reading only A's triangle. An upper
    system is a lower one with its rows and columns in reverse order."""
    a, b, _ = with_one_batch(a, b, False)
    if not left:  # X A = B is A^T X^T = B^T
        return solve_triangular_arrays(
            a.swapaxes(-1, -2), b.swapaxes(-1, -2), not upper, True, unit
        ).swapaxes(-1, -2)
    if upper:
        flipped = _solve_lower(a[..., ::-1, ::-1], b[..., ::-1, :], unit)
        return xp(b).ascontiguousarray(flipped[..., ::-1, :])
    return _solve_lower(a, b, unit)


def _save_matrix_only(node, inputs):
    """The triangular matrix, for both gradients; B is not read (X is the output)."""
    return (save(inputs[0]), NOT_SAVED)


class SolveTriangular(Function):
    """X with A X = B (or X A = B), A triangular."""

    saves_inputs = True
    save_read_inputs = _save_matrix_only
    saves_output = True

    def forward(self, a, b, upper, left, unit, node_name="LinalgSolveTriangularBackward0"):
        self.upper, self.left, self.unit, self.node_name = upper, left, unit, node_name
        return solve_triangular_arrays(a, b, upper, left, unit)

    def backward(self, grad):
        a, x = self.inputs[0], self.output
        options = dict(upper=not self.upper, left=self.left, unitriangular=self.unit)
        grad_b = solve_triangular(a.mT, grad, **options)
        grad_a = None
        if self.needs_input_grad(0):
            product = -(grad_b @ x.mT) if self.left else -(x.mT @ grad_b)
            grad_a = _triangle(product, self.upper, self.unit)
        return grad_a, grad_b

    def name(self):
        return self.node_name


def _triangle(matrix, upper, strict):
    if upper:
        return triu(matrix, 1 if strict else 0)
    return tril(matrix, -1 if strict else 0)


def solve_triangular(input, B, *, upper, left=True, unitriangular=False, out=None):
    """X with A X = B (X A = B when ``left`` is False) for triangular A: only its upper
    (or lower) triangle is read, and its diagonal is taken as ones with
    ``unitriangular``. Batch dims broadcast; the result has A's dtype, as in PyTorch."""
    label = "linalg.solve_triangular"
    refuse_out(out, label)
    check_matrix_shape(input, label)  # its dtype after the shapes, as PyTorch's kernel
    if not isinstance(B, Tensor) or B._data.ndim < 2:  # any dtype: B is cast to A's
        check_matrices(B, label, argument="B", square=False)
    for name, value in (("upper", upper), ("left", left), ("unitriangular", unitriangular)):
        bool_argument(value, "linalg_solve_triangular", name)
    if type(input._data) is not type(B._data):
        check_same_device(input._data, B._data, label)
    size, (rows, columns) = input.shape[-1], B.shape[-2:]
    if (rows if left else columns) != size:
        equation = "AX = B" if left else "XA = B"
        raise RuntimeError(
            f"{label}: Incompatible shapes of A and B for the equation {equation} "
            f"({size}x{size} and {rows}x{columns})"
        )
    broadcast_batches("solve_triangular", input.shape[:-2], B.shape[:-2])
    check_float_matrices(input, label, NotImplementedError, NotImplementedError)
    if B._data.dtype != input._data.dtype:
        B = B.to(input.dtype)
    return SolveTriangular.apply(input, B, upper=upper, left=left, unit=unitriangular)


def triangular_solve(input, A, upper=True, transpose=False, unitriangular=False, *, out=None):
    """The older form of ``linalg.solve_triangular``: X with A X = b (A^T X = b with
    ``transpose``), and a copy of A (broadcast to the batch) beside it."""
    deprecated(
        "triangular_solve",
        "linalg.solve_triangular",
        "X = ember.linalg.solve_triangular(A, B, upper=upper) (note that B comes second)",
    )
    label = "triangular_solve"
    refuse_out(out, label)
    for name, value in (
        ("upper", upper),
        ("transpose", transpose),
        ("unitriangular", unitriangular),
    ):
        bool_argument(value, label, name)
    _check_pair(label, input, A, ("b", "A"))
    if A.shape[-1] != A.shape[-2] or input.shape[-2] != A.shape[-1]:
        raise RuntimeError(
            f"Incompatible matrix sizes for triangular_solve: each A matrix is {A.shape[-2]} "
            f"by {A.shape[-1]} but each b matrix is {input.shape[-2]} by {input.shape[-1]}"
        )
    batch = tuple(broadcast_batches(label, A.shape[:-2], input.shape[:-2]))
    _check_pair_dtype(label, input)
    matrix, upper = (A.mT, not upper) if transpose else (A, upper)
    solution = SolveTriangular.apply(
        matrix,
        input,
        upper=upper,
        left=True,
        unit=unitriangular,
        node_name="TriangularSolveBackward0",
    )
    copy = A.expand(*batch, *A.shape[-2:]).clone()
    return return_types.triangular_solve(solution, copy)


# Cholesky -------------------------------------------------------------------------------


def _cholesky_arrays(a, upper):
    """The Cholesky factor of every matrix of ``a`` from its lower (upper) triangle, and
    LAPACK's info: 0 where it worked, else the order of the first leading minor that is
    not positive-definite, where the factor holds the work up to that column. The info is
    None where every matrix worked."""
    if upper:  # A = U^T U reads A's upper triangle: the lower factor of A^T, transposed
        factor, info = _cholesky_arrays(a.swapaxes(-1, -2), False)
        return factor.swapaxes(-1, -2), info
    namespace = xp(a)
    try:
        with backend.raising_linalg_errors(a):
            factor = namespace.linalg.cholesky(a)
        # OpenBLAS lets a NaN through where PyTorch's LAPACK (MKL) stops at it
        if not bool(namespace.isnan(factor.diagonal(axis1=-2, axis2=-1)).any()):
            return factor, None
    except backend.LinAlgError:
        pass
    return _cholesky_by_columns(a)  # rare: every matrix again, one column at a time


def _cholesky_by_columns(a):
    """Cholesky one column at a time, as LAPACK's unblocked kernel goes, for matrices that
    may fail: where a pivot is not positive, the info is its order, the pivot stays on
    the diagonal, and that matrix is left there."""
    namespace = xp(a)
    factor = namespace.tril(a)
    info = namespace.zeros(a.shape[:-2], "int32")
    for column in range(a.shape[-1]):
        done = factor[..., column, :column]
        pivot = factor[..., column, column] - (done * done).sum(axis=-1)
        fails = ~(pivot > 0) & (info == 0)
        info = namespace.where(fails, column + 1, info)
        going = info == 0
        root = namespace.sqrt(namespace.where(going, pivot, 1))
        kept = namespace.where(fails, pivot, factor[..., column, column])
        factor[..., column, column] = namespace.where(going, root, kept)
        below = factor[..., column + 1 :, column]
        below_done = factor[..., column + 1 :, :column] @ done[..., None]
        updated = (below - below_done[..., 0]) / root[..., None]
        factor[..., column + 1 :, column] = namespace.where(going[..., None], updated, below)
    return factor, info


def _not_positive_definite(label, info):
    """LinAlgError naming the first matrix (of a batch) that failed, and its minor."""
    namespace = xp(info)
    flat = info.reshape(-1)
    first = int(namespace.argmax(flat != 0))
    where = f" (batch element {first})" if info.ndim else ""
    return LinAlgError(
        f"{label}: The factorization could not be completed because the input{where} is not "
        f"positive-definite: its leading minor of order {int(flat[first])} is not. The input "
        "must be symmetric positive-definite (adding a small multiple of the identity can "
        "make a nearly singular one so)."
    )


class Cholesky(Function):
    """L with A = L L^T (or U with A = U^T U), from the factor computed beside it."""

    saves_output = True

    def forward(self, a, factor, upper, node_name):
        self.upper, self.node_name = upper, node_name
        return factor

    def backward(self, grad):
        lower = self.output
        if self.upper:
            lower, grad = lower.mT, grad.mT
        namespace, size = xp(lower._data), lower.shape[-1]
        halved = (
            namespace.tril(namespace.ones((size, size), lower._data.dtype))
            - namespace.eye(size, dtype=lower._data.dtype) * 0.5
        )
        inner = (lower.mT @ grad) * Tensor._make(halved)  # Φ(L^T G)
        right = solve_triangular(lower, inner, upper=False, left=False)
        grad_a = solve_triangular(lower.mT, right, upper=True)
        return (grad_a + grad_a.mT) * 0.5

    def name(self):
        return self.node_name


def _cholesky(A, upper, label, node_name, check_errors=True, integer_error=RuntimeError):
    upper = bool_argument(upper, label.replace(".", "_"), "upper")  # parsed before A's dtype
    check_matrices(A, label, integer_error=integer_error)
    factor, info = _cholesky_arrays(A._data, upper)
    if info is None:
        info = xp(factor).zeros(factor.shape[:-2], "int32")
    elif check_errors and bool((info != 0).any()):
        raise _not_positive_definite(label, info)
    return Cholesky.apply(A, factor=factor, upper=upper, node_name=node_name), info


def cholesky(input, *, upper=False, out=None):
    """L, lower triangular with a positive diagonal, with A = L L^T (U = L^T with
    ``upper``), for symmetric positive-definite A; only A's lower (upper) triangle is read.
    A matrix that is not positive-definite is a LinAlgError."""
    refuse_out(out, "linalg.cholesky")
    return _cholesky(input, upper, "linalg.cholesky", "LinalgCholeskyExBackward0")[0]


def cholesky_ex(input, *, upper=False, check_errors=False, out=None):
    """``linalg.cholesky`` without the error: (L, info), info 0 for each matrix that was
    factored and the order of the leading minor that is not positive-definite otherwise."""
    refuse_out(out, "linalg.cholesky_ex")
    check_errors = bool_argument(check_errors, "linalg_cholesky_ex", "check_errors")
    factor, info = _cholesky(
        input, upper, "linalg.cholesky_ex", "LinalgCholeskyExBackward0", check_errors
    )
    return return_types.linalg_cholesky_ex(factor, Tensor._make(info))


def cholesky_deprecated(input, upper=False, *, out=None):
    """``torch.cholesky``, the older form of ``linalg.cholesky``."""
    deprecated(
        "cholesky",
        "linalg.cholesky",
        "L = ember.linalg.cholesky(A), or U = ember.linalg.cholesky(A, upper=True)",
    )
    refuse_out(out, "cholesky")
    return _cholesky(input, upper, "cholesky", "CholeskyBackward0", True, NotImplementedError)[0]


def _solve_with_factor(factor, rhs, upper):
    """X with A X = B for A = L L^T (or U^T U), reading the factor's triangle."""
    if upper:  # U^T Y = B, then U X = Y
        middle = solve_triangular_arrays(factor.swapaxes(-1, -2), rhs, False)
        return solve_triangular_arrays(factor, middle, True)
    middle = solve_triangular_arrays(factor, rhs, False)  # L Y = B, then L^T X = Y
    return solve_triangular_arrays(factor.swapaxes(-1, -2), middle, True)


class CholeskySolve(Function):
    """X with (L L^T) X = B; dB = (L L^T)^-1 G, and with C = dB X^T + X dB^T,
    dL = -C L (dU = -U C for A = U^T U)."""

    saves_inputs = True
    saves_output = True

    def forward(self, b, factor, upper):
        self.upper = upper
        return _solve_with_factor(factor, b, upper)

    def backward(self, grad):
        factor, x = self.inputs[1], self.output
        grad_b = cholesky_solve(grad, factor, self.upper)
        grad_factor = None
        if self.needs_input_grad(1):
            common = grad_b @ x.mT
            common = common + common.mT
            grad_factor = -(factor @ common) if self.upper else -(common @ factor)
        return grad_b, grad_factor

    def name(self):
        return "CholeskySolveBackward0"


def cholesky_solve(input, input2, upper=False, *, out=None):
    """X with A X = B for A = L L^T given its Cholesky factor L (``input2``), or A = U^T U
    with ``upper``; only the factor's triangle is read. Batch dims broadcast."""
    label = "cholesky_solve"
    refuse_out(out, label)
    _check_pair(label, input, input2, ("b", "A"))
    upper = bool_argument(upper, label, "upper")
    if input2.shape[-1] != input2.shape[-2] or input.shape[-2] != input2.shape[-1]:
        raise RuntimeError(
            f"Incompatible matrix sizes for cholesky_solve: each A matrix is "
            f"{input2.shape[-2]} by {input2.shape[-1]} but each b matrix is {input.shape[-2]} "
            f"by {input.shape[-1]}"
        )
    broadcast_batches(label, input2.shape[:-2], input.shape[:-2])
    _check_pair_dtype(label, input)
    return CholeskySolve.apply(input, input2, upper=upper)


class CholeskyInverse(Function):
    """X = (L L^T)^-1; dL = -X (G + G^T) X L (dU = -U X (G + G^T) X for A = U^T U)."""

    saves_inputs = True
    saves_output = True

    def forward(self, factor, upper):
        self.upper = upper
        namespace = xp(factor)
        identity = namespace.broadcast_to(
            namespace.eye(factor.shape[-1], dtype=factor.dtype), factor.shape
        )
        if upper:  # (U^T U)^-1 = U^-1 U^-T
            inverse = solve_triangular_arrays(factor, identity, True)
            return inverse @ inverse.swapaxes(-1, -2)
        inverse = solve_triangular_arrays(factor, identity, False)  # (L L^T)^-1 = L^-T L^-1
        return inverse.swapaxes(-1, -2) @ inverse

    def backward(self, grad):
        factor, x = self.inputs[0], self.output
        middle = x @ (grad + grad.mT) @ x
        return -(factor @ middle) if self.upper else -(middle @ factor)

    def name(self):
        return "CholeskyInverseBackward0"


def cholesky_inverse(input, upper=False, *, out=None):
    """The inverse of A = L L^T (A = U^T U with ``upper``) from its Cholesky factor; only
    the factor's triangle is read. A zero on its diagonal is a LinAlgError."""
    label = "cholesky_inverse"
    refuse_out(out, label)
    upper = bool_argument(upper, label, "upper")  # PyTorch's parser reads it first
    check_matrices(input, label, integer_error=NotImplementedError)
    diagonal = input._data.diagonal(axis1=-2, axis2=-1)
    zeros = diagonal == 0
    if bool(zeros.any()):
        first = int(xp(zeros).argmax(zeros.reshape(-1))) % input.shape[-1] + 1
        raise LinAlgError(
            f"{label}: The diagonal element {first} is zero, so the factor is singular and "
            "the inversion could not be completed"
        )
    return CholeskyInverse.apply(input, upper=upper)


# QR -------------------------------------------------------------------------------------

QR_MODES = ("reduced", "complete", "r")


def _copy_lower_to_upper(matrix):
    """The symmetric matrix with ``matrix``'s lower triangle (and diagonal)."""
    return tril(matrix) + tril(matrix, -1).mT


def _qr_gradient(factors, position, grad):
    """dA from dQ (``position`` 0) or dR (1), by the rule in the module's docstring."""
    q, r = factors
    if q.ndim == 1:
        raise RuntimeError(
            "linalg.qr: the derivative of QR needs Q, which mode='r' does not compute; use "
            "mode='reduced' to differentiate through linalg.qr"
        )
    rows, columns = q.shape[-2], r.shape[-1]
    if q.shape[-1] > columns:
        raise RuntimeError(
            "linalg.qr: The QR decomposition is not differentiable when mode='complete' and "
            f"nrows > ncols ({rows} > {columns}): use mode='reduced'"
        )
    grad_q, grad_r = (grad, None) if position == 0 else (None, grad)
    if rows >= columns:
        return _square_qr_gradient(q, r, grad_q, grad_r)
    left, right = r[..., :rows], r[..., rows:]  # A = [X | Y], X = Q U and Y = Q V
    grad_y = q @ grad_r[..., rows:] if grad_r is not None else None
    if grad_r is not None:
        grad_q, grad_r = (q @ right) @ grad_r[..., rows:].mT, grad_r[..., :rows]
    grad_x = _square_qr_gradient(q, left, grad_q, grad_r)
    if grad_y is None:
        grad_y = grad_x.new_zeros(grad_x.shape[:-1] + (columns - rows,))
    return cat([grad_x, grad_y], -1)


def _square_qr_gradient(q, r, grad_q, grad_r):
    """dA for A = Q R with R square, from dQ and dR (either may be None)."""
    if grad_r is None:
        inner = -(grad_q.mT @ q)
    else:
        inner = r @ grad_r.mT
        if grad_q is not None:
            inner = inner - grad_q.mT @ q
    total = q @ _copy_lower_to_upper(inner)
    if grad_q is not None:
        total = total + grad_q
    return solve_triangular(r.mT, total, upper=False, left=False)  # total R^-T


def _qr_arrays(a, mode):
    namespace = xp(a)
    if mode == "r":
        return namespace.zeros((0,), a.dtype), namespace.linalg.qr(a, mode="r")
    return tuple(namespace.linalg.qr(a, mode=mode))


def qr(A, mode="reduced", *, out=None):
    """Q with orthonormal columns and R upper triangular with A = Q R: Q is m x k and R
    k x n (k = min(m, n)) in mode 'reduced', Q m x m and R m x n in 'complete', and in
    'r' R alone (Q empty). The gradient exists for 'reduced', and for 'complete' where
    m <= n. The signs are LAPACK's (Householder reflections), as PyTorch's."""
    label = "linalg.qr"
    refuse_out(out, label)
    check_matrices(A, label, square=False)
    if not isinstance(mode, str):
        raise TypeError(f"linalg_qr(): argument 'mode' must be str, not {type_name(mode)}")
    if mode not in QR_MODES:
        raise RuntimeError(
            f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), "
            "'r', or 'complete'"
        )
    return return_types.linalg_qr(*_qr_factors(A, mode))


def _qr_factors(A, mode):
    factorization = Factorization(_qr_arrays(A._data, mode), _qr_gradient, "LinalgQrBackward0")
    return factor_tensors(A, factorization)


def qr_deprecated(input, some=True, *, out=None):
    """``torch.qr``, the older form of ``linalg.qr``: mode 'reduced', or 'complete' when
    ``some`` is False."""
    deprecated(
        "qr",
        "linalg.qr",
        "Q, R = ember.linalg.qr(A), or ember.linalg.qr(A, mode='complete') for some=False",
    )
    refuse_out(out, "qr")
    some = bool_argument(some, "qr", "some")  # PyTorch's parser reads it first
    check_matrices(input, "linalg.qr", argument="input", square=False)
    return return_types.qr(*_qr_factors(input, "reduced" if some else "complete"))
