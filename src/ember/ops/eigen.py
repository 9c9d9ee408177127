"""Eigenvalues and eigenvectors of symmetric matrices: ``linalg.eigh`` and
``linalg.eigvalsh``.

LAPACK (through NumPy, or CuPy) reads one triangle of each matrix (``UPLO``) and gives
the eigenvalues in ascending order, with orthonormal eigenvectors as columns. Each
eigenvector is unique only up to its sign, which LAPACK chooses: NumPy's and PyTorch's
(MKL) often choose differently, so compare what does not depend on it (V diag(w) V^T,
|V|, a loss of V V^T).

With A = V diag(w) V^T, K = V^T dV, and F_ij = w_j - w_i (1 on the diagonal), the
gradient is dA = V (diag(dw) + (K - K^T) / 2F) V^T: symmetric, as PyTorch's, and
infinite or NaN where eigenvalues repeat and dV is not zero (the eigenvectors are not
functions of A there).
"""

from .. import backend, return_types
from ..arguments import type_name
from ..autograd import grad_mode
from ..backend import namespace_of as xp  # the array namespace of an array
from ..creation import refuse_out
from ..tensor import Tensor
from .decompositions import check_matrices
from .factors import Factorization, factor_tensors
from .solvers import LinAlgError


def _eigh_gradient(factors, position, grad):
    values, vectors = factors
    if position == 0:
        return (vectors * grad.unsqueeze(-2)) @ vectors.mT
    inner = vectors.mT @ grad
    namespace, size = xp(values._data), values.shape[-1]
    identity = Tensor._make(namespace.eye(size, dtype=values._data.dtype))
    gaps = values.unsqueeze(-2) - values.unsqueeze(-1) + identity
    return vectors @ ((inner - inner.mT) * 0.5 / gaps) @ vectors.mT


def _triangle_argument(UPLO, label):  # noqa: N803 - PyTorch's name
    if not isinstance(UPLO, str):
        raise TypeError(f"{label}(): argument 'UPLO' must be str, not {type_name(UPLO)}")
    if UPLO not in ("L", "U", "l", "u"):
        raise RuntimeError(
            f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}: the triangle of A to read"
        )
    return UPLO.upper()


def converged(solver, a, triangle, label):
    """LAPACK's result, or PyTorch's LinAlgError where it does not converge (as for some
    matrices holding NaN or inf)."""
    try:
        with backend.raising_linalg_errors(a):
            return solver(a, UPLO=triangle)
    except backend.LinAlgError:
        raise LinAlgError(
            f"{label}: The algorithm failed to converge because the input matrix is "
            "ill-conditioned or has too many repeated eigenvalues (a NaN or inf in it?)"
        ) from None


def _eigh_arrays(A, UPLO, label):  # noqa: N803 - PyTorch's name
    check_matrices(A, label, integer_error=NotImplementedError)
    triangle = _triangle_argument(UPLO, label.replace(".", "_"))
    return tuple(converged(xp(A._data).linalg.eigh, A._data, triangle, label))


def eigh(input, UPLO="L", *, out=None):  # noqa: N803 - PyTorch's name
    """The eigenvalues (ascending) and eigenvectors (columns) of every symmetric matrix of
    A, reading its lower triangle (upper with ``UPLO='U'``)."""
    refuse_out(out, "linalg.eigh")
    arrays = _eigh_arrays(input, UPLO, "linalg.eigh")
    factorization = Factorization(arrays, _eigh_gradient, "LinalgEighBackward0")
    return return_types.linalg_eigh(*factor_tensors(input, factorization))


def eigvalsh(input, UPLO="L", *, out=None):  # noqa: N803 - PyTorch's name
    """The eigenvalues (ascending) of every symmetric matrix of A. Only they are computed
    unless a gradient will be taken: that needs the eigenvectors too."""
    refuse_out(out, "linalg.eigvalsh")
    if not (isinstance(input, Tensor) and input.requires_grad and grad_mode.state.enabled):
        check_matrices(input, "linalg.eigvalsh", integer_error=NotImplementedError)
        triangle = _triangle_argument(UPLO, "linalg_eigvalsh")
        solver = xp(input._data).linalg.eigvalsh
        return Tensor._make(converged(solver, input._data, triangle, "linalg.eigvalsh"))
    arrays = _eigh_arrays(input, UPLO, "linalg.eigvalsh")
    factorization = Factorization(arrays, _eigh_gradient, "LinalgEighBackward0")
    (values,) = factor_tensors(input, factorization, (0,))
    return values
