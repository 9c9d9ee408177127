"""The singular value decomposition A = U diag(S) Vh: ``linalg.svd`` and ``linalg.svdvals``.

LAPACK (through NumPy, or CuPy on the GPU) decomposes A once. Each of U, S and Vh
is then its own node (``factors.py``), so that a backward reaching only S (a norm,
``svdvals``) uses only S's term, which stays finite where singular values are equal.

With k = min(m, n) for an m x n matrix, V = Vh^T, and F_ij = s_j^2 - s_i^2 off the
diagonal (1 on it; "/ F" divides element by element), each factor's gradient is, by
the chain rule through A = U S Vh with U^T U = V^T V = I:
  from S:  dA = U diag(dS) Vh
  from U:  J = U^T dU;  dA = (U ((J - J^T) S / F) + (dU - U J) S^-1) Vh
  from Vh: J = Vh dVh^T;  dA = U ((S (J - J^T) / F) Vh + S^-1 (dVh - J^T Vh))
The last term of each is zero for a square matrix and is left out there. The
columns of a full U (or rows of a full Vh) beyond the k-th are any basis of the rest
of the space: their gradients are ignored, as in PyTorch.
"""

from .. import backend, return_types
from ..arguments import bool_argument, type_name
from ..autograd import grad_mode
from ..backend import namespace_of as xp  # the array namespace of an array
from ..tensor import Tensor
from .factors import Factorization, factor_tensors
from .solvers import LinAlgError

CUDA_DRIVERS = ("gesvd", "gesvdj", "gesvda")  # cuSOLVER's; CuPy picks its own


def _svd_gradient(full_matrices):
    """The rule for dA from the gradient of U (position 0), S (1) or Vh (2)."""

    def gradient(factors, position, grad):
        u, s, vh = factors
        k = s.shape[-1]
        if full_matrices:
            u, vh = u[..., :k], vh[..., :k, :]
        if position == 1:
            return (u * grad.unsqueeze(-2)) @ vh
        if position == 0:
            return _grad_from_u(u, s, vh, grad[..., :k])
        return _grad_from_vh(u, s, vh, grad[..., :k, :])

    return gradient


def _gaps(s):
    """F_ij = s_j^2 - s_i^2, with 1 on the diagonal so that dividing by it is safe there."""
    squares = s * s
    gaps = squares.unsqueeze(-2) - squares.unsqueeze(-1)
    return gaps + Tensor._make(xp(s._data).eye(s.shape[-1], dtype=s._data.dtype))


def _grad_from_u(u, s, vh, grad_u):
    inner = u.mT @ grad_u
    result = u @ ((inner - inner.mT) * s.unsqueeze(-2) / _gaps(s))
    if u.shape[-2] > s.shape[-1]:  # a tall A: the part of dU outside U's columns
        result = result + (grad_u - u @ inner) / s.unsqueeze(-2)
    return result @ vh


def _grad_from_vh(u, s, vh, grad_vh):
    inner = vh @ grad_vh.mT
    rows = (s.unsqueeze(-1) * (inner - inner.mT) / _gaps(s)) @ vh
    if vh.shape[-1] > s.shape[-1]:  # a wide A: the part of dVh outside Vh's rows
        rows = rows + (grad_vh - inner.mT @ vh) / s.unsqueeze(-1)
    return u @ rows


def _factor_tensors(A, arrays, full_matrices, positions=(0, 1, 2)):
    """U, S and Vh (or those at ``positions``) as tensors of A, each its own node when A
    requires grad."""
    factorization = Factorization(arrays, _svd_gradient(full_matrices), "LinalgSvdBackward0")
    return factor_tensors(A, factorization, positions)


def lapack_svd(a, op_name, full_matrices=False, compute_uv=True):
    """LAPACK's (u, s, vh) of every matrix of ``a`` (s alone without ``compute_uv``). A NaN
    stops the algorithm in PyTorch's LAPACK (an inf gives NaN singular values, in both)."""
    namespace = xp(a)
    has_nan = namespace.isnan(a).any(axis=(-2, -1))
    if bool(has_nan.any()):
        raise _nan_error(has_nan, op_name)
    try:
        with backend.raising_linalg_errors(a):
            return namespace.linalg.svd(a, full_matrices=full_matrices, compute_uv=compute_uv)
    except backend.LinAlgError:
        raise LinAlgError(f"linalg.{op_name}: The algorithm failed to converge.") from None


def _nan_error(has_nan, op_name):
    where = ""
    if has_nan.ndim:
        first = int(xp(has_nan).argmax(has_nan.reshape(-1)))
        where = f" (batch element {first})"
    return LinAlgError(
        f"linalg.{op_name}: the input matrix{where} contains NaN, so the algorithm failed to "
        "converge; find where the NaN came from (a loss that diverged?)"
    )


def _check_input(A, driver, op_name):
    """PyTorch's checks, in its order: a Tensor of matrices, of floats, no driver on the
    CPU, and not float16 (LAPACK has no kernel for it)."""
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_{op_name}(): argument 'A' must be Tensor, not {type_name(A)}")
    if A.ndim < 2:
        raise RuntimeError(
            f"linalg.{op_name}: The input tensor A must have at least 2 dimensions, but it "
            f"has {A.ndim}"
        )
    if not A.is_floating_point():
        raise RuntimeError(
            f"linalg.{op_name}: Expected a floating point or complex tensor as input. Got "
            f"{A.dtype}; convert it with .float()"
        )
    _check_driver(A, driver, op_name)
    if A._data.dtype.itemsize < 4:
        raise NotImplementedError(
            f"linalg.{op_name}: not implemented for {A.dtype}; convert it with .float()"
        )


def _check_driver(A, driver, op_name):
    if driver is None:
        return
    if not isinstance(driver, str):
        raise TypeError(
            f"linalg_{op_name}(): argument 'driver' must be str, not {type_name(driver)}"
        )
    if not backend.is_cuda_array(A._data):
        raise RuntimeError(
            f"linalg.{op_name}: the keyword argument driver= is only supported for CUDA "
            "tensors; leave it out on the CPU"
        )
    if driver not in CUDA_DRIVERS:
        raise RuntimeError(
            f"linalg.{op_name}: unknown driver {driver!r}; use one of {', '.join(CUDA_DRIVERS)}"
        )


def svd(A, full_matrices=True, *, driver=None):
    """U, S, Vh with A = U diag(S) Vh, S in descending order, for every matrix of A. With
    ``full_matrices`` U is m x m and Vh n x n, else m x k and k x n (k = min(m, n)).
    U and Vh are unique only up to the sign of each singular pair: these are LAPACK's."""
    _check_input(A, driver, "svd")
    bool_argument(full_matrices, "linalg_svd", "full_matrices")
    arrays = tuple(lapack_svd(A._data, "svd", full_matrices))
    return return_types.linalg_svd(*_factor_tensors(A, arrays, full_matrices))


def svdvals(A, *, driver=None):
    """The singular values of every matrix of A, in descending order."""
    _check_input(A, driver, "svdvals")
    return singular_values(A)


def singular_values(A, op_name="svdvals"):
    """S of A, checked by the caller. Only S is computed unless a gradient will be
    taken: that needs U and Vh too."""
    if not (A.requires_grad and grad_mode.state.enabled):
        return Tensor._make(lapack_svd(A._data, op_name, compute_uv=False))
    (singular,) = _factor_tensors(A, tuple(lapack_svd(A._data, op_name)), False, (1,))
    return singular


def svd_with_v(input, some=True, compute_uv=True, *, out=None):
    """``torch.svd``, the older form: U, S, V with A = U diag(S) V^T (V, not Vh), reduced
    unless ``some`` is False. Without ``compute_uv`` only S is computed, and U and V are
    zeros of the full shapes (m x m and n x n), as in PyTorch."""
    if out is not None:
        raise NotImplementedError("svd(out=...) is not supported by ember; assign the result")
    bool_argument(some, "svd", "some")
    bool_argument(compute_uv, "svd", "compute_uv")
    _check_input(input, None, "svd")
    if not compute_uv:
        namespace, data = xp(input._data), input._data
        batch, (rows, columns) = data.shape[:-2], data.shape[-2:]
        left = Tensor._make(namespace.zeros(batch + (rows, rows), data.dtype))
        right = Tensor._make(namespace.zeros(batch + (columns, columns), data.dtype))
        return return_types.svd(left, singular_values(input, "svd"), right)
    left, values, right_rows = svd(input, full_matrices=not some)
    return return_types.svd(left, values, right_rows.mT)
