"""Functions of a matrix beyond its factors: ``linalg.slogdet`` (and ``logdet``),
``linalg.inv_ex``, ``linalg.pinv`` (``pinverse``), ``linalg.matrix_rank``, ``linalg.cond``
and ``linalg.matrix_exp``.

- slogdet: the sign and log |det A| (LAPACK's LU through NumPy); d log|det A| = A^-T,
  infinite for a singular A, as in PyTorch. The sign has no gradient.
- inv_ex: the inverse, and LAPACK's info for each matrix: 0, or the position of the
  first zero pivot of its LU factorization. A singular matrix's inverse is what the
  substitution through that zero gives (inf and NaN), as LAPACK's.
- pinv: V diag(1/s) U^T over the singular values above max(atol, rtol * s_max) (the
  eigenvalues' magnitudes, for ``hermitian``). Its gradient, for P = A^+ and G its
  gradient, is -P^T G P^T + (I - A P) G^T P P^T + P^T P G^T (I - P A), exact where the
  rank does not change near A.
- matrix_exp: scaling and squaring around the [13/13] Padé approximant (Higham, 2005);
  its gradient is the top-right block of exp([[A^T, G], [0, A^T]]).
"""

import math

from .. import backend, return_types
from ..arguments import bool_argument, float_argument, type_name
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from ..creation import refuse_out
from ..tensor import Tensor
from .decompositions import (
    check_float_matrices,
    check_matrices,
    check_matrix_shape,
    solve_triangular_arrays,
)
from .eigen import converged
from .elementwise import nan_to_num
from .joining import cat
from .norms import matrix_norm
from .selection import where
from .solvers import Inverse, LinAlgError, det, number_argument, without_nan
from .svd import lapack_svd, singular_values

# slogdet and logdet ---------------------------------------------------------------------


def _slogdet_arrays(a):
    """LAPACK's sign and log |det| of every matrix; NaN (sign 0) for one that holds NaN,
    as PyTorch gives, without NumPy's warning."""
    namespace = xp(a)
    clean, has_nan = without_nan(a)
    sign, logabsdet = namespace.linalg.slogdet(clean)
    sign = namespace.where(has_nan, 0, sign).astype(a.dtype)
    return sign, namespace.where(has_nan, namespace.nan, logabsdet).astype(a.dtype)


class SlogdetPart(Function):
    """The sign (``position`` 0), which has no gradient, or log |det A| (1), whose gradient
    is G A^-T."""

    saves_inputs = True

    def forward(self, a, value, position):
        self.position = position
        return value

    def backward(self, grad):
        if self.position == 0:
            return None
        (a,) = self.inputs
        inverse = inv_ex(a).inverse  # inf where A is singular, as PyTorch's gradient
        return grad.unsqueeze(-1).unsqueeze(-1) * inverse.mT

    def name(self):
        return "LinalgSlogdetBackward0"


def _slogdet(A, label):
    check_matrices(A, label, low_precision_error=RuntimeError)
    arrays = _slogdet_arrays(A._data)
    return [
        SlogdetPart.apply(A, value=value, position=position)
        for position, value in enumerate(arrays)
    ]


def slogdet(A, *, out=None):
    """The sign (1, -1, or 0 for a singular matrix) and the log of |det A| of every
    matrix of A: det A = sign * exp(logabsdet), without overflow."""
    refuse_out(out, "linalg.slogdet")
    return return_types.linalg_slogdet(*_slogdet(A, "linalg.slogdet"))


def slogdet_torch(input, *, out=None):
    """``torch.slogdet``: ``linalg.slogdet`` under its older name."""
    refuse_out(out, "slogdet")
    return return_types.slogdet(*_slogdet(input, "linalg.slogdet"))


def det_torch(input):
    """``torch.det``: ``linalg.det`` under its older name (and argument name)."""
    return det(input)


def logdet(input):
    """log det A: NaN where det A < 0, -inf where A is singular."""
    sign, logabsdet = _slogdet(input, "logdet")
    return where(sign < 0, math.nan, logabsdet)


# inv_ex ---------------------------------------------------------------------------------


class KnownInverse(Inverse):
    """The inverse, computed beside the node (with the info of each matrix); its gradient
    is the inverse's."""

    def forward(self, a, inverse):
        return inverse

    def name(self):
        return "LinalgInvExBackward0"


def _inverse_arrays(a):
    """The inverse of every matrix, and LAPACK's info: 0, or the (1-based) position of the
    first zero pivot of a singular matrix, whose inverse then holds inf and NaN."""
    namespace = xp(a)
    info = namespace.zeros(a.shape[:-2], "int32")
    try:
        with backend.raising_linalg_errors(a):
            return namespace.linalg.inv(a), info
    except backend.LinAlgError:
        pass
    identity = namespace.eye(a.shape[-1], dtype=a.dtype)
    inverse = namespace.empty_like(a)
    for index in backend.cpu_namespace.ndindex(*a.shape[:-2]):  # singular ones are rare
        try:
            with backend.raising_linalg_errors(a):
                inverse[index] = namespace.linalg.inv(a[index])
        except backend.LinAlgError:
            inverse[index], info[index] = _inverse_through_zero_pivot(a[index], identity)
    return inverse, info


def _inverse_through_zero_pivot(matrix, identity):
    """LU with partial pivoting, one column at a time as LAPACK's kernel goes, and the
    substitutions through it: the inverse of a singular matrix (inf and NaN), and the
    position of its first zero pivot."""
    namespace = xp(matrix)
    factors, rows, first_zero = matrix.copy(), namespace.arange(matrix.shape[-1]), 0
    for column in range(matrix.shape[-1]):
        pivot = column + int(namespace.argmax(abs(factors[column:, column])))
        factors[[column, pivot]] = factors[[pivot, column]]
        rows[[column, pivot]] = rows[[pivot, column]]
        if factors[column, column] == 0:
            first_zero = first_zero or column + 1
            continue  # the column below is zero: nothing to eliminate
        factors[column + 1 :, column] /= factors[column, column]
        below = factors[column + 1 :, column : column + 1]
        factors[column + 1 :, column + 1 :] -= below @ factors[column : column + 1, column + 1 :]
    permuted = identity[rows]
    lower_solved = solve_triangular_arrays(factors, permuted, False, unit=True)
    return solve_triangular_arrays(factors, lower_solved, True), first_zero


def inv_ex(A, *, check_errors=False, out=None):
    """The inverse of every matrix of A, and each one's info (0 where it is invertible);
    a singular matrix is an error only with ``check_errors``."""
    refuse_out(out, "linalg.inv_ex")
    bool_argument(check_errors, "linalg_inv_ex", "check_errors")
    check_matrices(A, "linalg.inv_ex", low_precision_error=RuntimeError)
    inverse, info = _inverse_arrays(A._data)
    if check_errors and info.size and bool((info != 0).any()):
        raise LinAlgError(
            "linalg.inv_ex: The solver failed because the input matrix is singular (a zero "
            "pivot in its LU factorization); linalg.pinv gives a pseudo-inverse"
        )
    return return_types.linalg_inv_ex(KnownInverse.apply(A, inverse=inverse), Tensor._make(info))


# Tolerances: pinv and matrix_rank -------------------------------------------------------


def _tolerance_array(value, like):
    if isinstance(value, Tensor):
        return value._data.astype(like.dtype)
    return xp(like).asarray(value, like.dtype)


def _threshold(largest, atol, rtol, shape, dtype):
    """max(atol, rtol * largest), the cut below which singular values count as zero.
    PyTorch's defaults: rtol = eps * max(m, n) unless atol > 0 is given (then 0)."""
    namespace = xp(largest)
    default_rtol = namespace.finfo(dtype).eps * max(shape[-2:])
    if atol is None:
        atol = namespace.zeros((), largest.dtype)
        if rtol is None:
            rtol = namespace.asarray(default_rtol, largest.dtype)
    elif rtol is None:
        rtol = namespace.where(atol > 0, 0, default_rtol).astype(largest.dtype)
    return namespace.maximum(atol, rtol * largest)


def _spectrum(a, hermitian):
    """The singular values (or, ``hermitian``, the eigenvalues and eigenvectors) of every
    matrix, and the largest magnitude of each."""
    namespace = xp(a)
    if hermitian:
        values, vectors = converged(namespace.linalg.eigh, a, "L", "linalg.eigh")
        magnitudes = abs(values)
    else:
        values, vectors = lapack_svd(a, "svd", compute_uv=False), None
        magnitudes = values
    if magnitudes.shape[-1] == 0:
        return values, vectors, namespace.zeros(magnitudes.shape[:-1], a.dtype)
    return values, vectors, magnitudes.max(axis=-1)


def _tolerances(atol, rtol, rcond, label, a):
    for name, value in (("atol", atol), ("rtol", rtol), ("rcond", rcond)):
        number_argument(value, label, name)
    if rcond is not None:
        if atol is not None or rtol is not None:
            raise TypeError(
                f"{label}(): give the tolerance either by position (rcond) or as atol= and "
                "rtol=, not both"
            )
        rtol = rcond
    atol = None if atol is None else _tolerance_array(atol, a)
    rtol = None if rtol is None else _tolerance_array(rtol, a)
    return atol, rtol


class PseudoInverse(Function):
    saves_inputs = True
    saves_output = True

    def forward(self, a, atol, rtol, hermitian):
        namespace = xp(a)
        if hermitian:
            values, vectors, largest = _spectrum(a, True)
            left = right = vectors
        else:
            if min(a.shape[-2:]) == 0:
                return namespace.zeros(a.shape[:-2] + a.shape[-2:][::-1], a.dtype)
            left, values, right = lapack_svd(a, "svd")
            right = right.swapaxes(-1, -2)
            largest = values[..., 0]
        threshold = _threshold(largest, atol, rtol, a.shape, a.dtype)
        kept = abs(values) > threshold[..., None]
        reciprocals = namespace.where(kept, 1 / namespace.where(kept, values, 1), 0)
        return (right * reciprocals[..., None, :]) @ left.swapaxes(-1, -2)

    def backward(self, grad):
        (a,), p = self.inputs, self.output
        first = -(p.mT @ grad @ p.mT)
        residual_rows = grad.mT - a @ (p @ grad.mT)  # (I - A P) G^T
        residual_columns = grad.mT - (grad.mT @ p) @ a  # G^T (I - P A)
        return first + residual_rows @ (p @ p.mT) + (p.mT @ p) @ residual_columns

    def name(self):
        return "LinalgPinvBackward0"


def pinv(input, rcond=None, hermitian=False, *, atol=None, rtol=None, out=None):
    """The Moore-Penrose pseudo-inverse of every matrix of A, from its singular values
    above max(atol, rtol * largest) (``rcond`` given by position is rtol); ``hermitian``
    takes A as symmetric and reads its lower triangle."""
    refuse_out(out, "linalg.pinv")
    _check_pseudo_inverse_input(input)
    bool_argument(hermitian, "linalg_pinv", "hermitian")
    if hermitian:
        check_matrices(input, "linalg.eigh")
    atol, rtol = _tolerances(atol, rtol, rcond, "linalg_pinv", input._data)
    return PseudoInverse.apply(input, atol=atol, rtol=rtol, hermitian=hermitian)


def _check_pseudo_inverse_input(A):
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_pinv(): argument 'input' must be Tensor, not {type_name(A)}")
    if A._data.ndim < 2 or not A.is_floating_point() or A._data.dtype.itemsize < 4:
        raise RuntimeError(
            f"linalg.pinv({A.dtype}, shape {list(A.shape)}): expected a tensor of 2 or more "
            "dims of float32 or float64"
        )


def pinverse(input, rcond=1e-15):
    """The older form of ``linalg.pinv``: ``rcond`` is its rtol."""
    rcond = float_argument(rcond, "pinverse", "rcond")  # a number: no tensor of tolerances
    _check_pseudo_inverse_input(input)
    return pinv(input, rtol=rcond)


def matrix_rank(input, tol=None, hermitian=False, *, atol=None, rtol=None, out=None):
    """The count of singular values (eigenvalue magnitudes, with ``hermitian``) of each
    matrix above max(atol, rtol * largest); ``tol`` given by position is atol, with
    rtol 0."""
    label = "linalg.matrix_rank"
    refuse_out(out, label)
    check_matrix_shape(input, label, square=False)
    bool_argument(hermitian, "linalg_matrix_rank", "hermitian")
    if tol is not None:
        if atol is not None or rtol is not None:
            raise TypeError(
                "linalg_matrix_rank(): give the tolerance either by position (tol) or as atol= "
                "and rtol=, not both"
            )
        atol, rtol = tol, 0.0
    _check_rank_dtype(input, label, rtol, hermitian)
    atol, rtol = _tolerances(atol, rtol, None, "linalg_matrix_rank", input._data)
    values, _, largest = _spectrum(input._data, hermitian)
    threshold = _threshold(largest, atol, rtol, input.shape, input._data.dtype)
    return Tensor._make((abs(values) > threshold[..., None]).sum(axis=-1).astype("int64"))


def _check_rank_dtype(A, label, rtol, hermitian):
    """PyTorch's dtype errors, which depend on the path: without rtol it looks up the
    dtype's eps for the default one first; with it, the eigh or svd kernel refuses."""
    if rtol is None:
        check_float_matrices(A, label, RuntimeError, RuntimeError)
        if hermitian:
            check_matrix_shape(A, "linalg.eigh")
    elif hermitian:
        check_matrices(A, "linalg.eigh", integer_error=NotImplementedError)
    else:
        check_float_matrices(A, "linalg.svd", RuntimeError, NotImplementedError)


# cond -----------------------------------------------------------------------------------

COND_NORMS = (None, 2, -2, "fro", "nuc", math.inf, -math.inf, 1, -1)


def cond(input, p=None, *, out=None):
    """The condition number of every matrix of A in norm ``p``: ||A|| ||A^-1||, which is
    s_max / s_min for p = 2 (the default, any shape), s_min / s_max for -2. The other
    norms need square matrices; a singular one's is inf."""
    label = "linalg.cond"
    refuse_out(out, label)
    if isinstance(p, Tensor):  # a 0-d tensor is read as its number
        p = float_argument(p, "linalg_cond", "p")
    if p is not None and not isinstance(p, (str, int, float)):  # a sequence...
        raise TypeError(
            f"linalg_cond(): argument 'p' must be a number or str, not {type(p).__name__}"
        )
    if p not in COND_NORMS:  # True is 1 here, as PyTorch reads it
        raise RuntimeError(
            f"{label} got an invalid norm type: {p}; use one of 2, -2, 'fro', 'nuc', inf, "
            "-inf, 1, -1"
        )
    by_inverse = p in ("fro", math.inf, -math.inf, 1, -1)  # the rest from singular values
    check_matrices(
        input,
        label,
        square=by_inverse or p == "nuc",
        # PyTorch's inv checks float16 itself (RuntimeError); its svd kernel lacks it
        low_precision_error=RuntimeError if by_inverse else NotImplementedError,
    )
    if input.numel() == 0:  # no matrices, or empty ones: zeros without history, as PyTorch's
        return Tensor._make(xp(input._data).zeros(input.shape[:-2], input._data.dtype))
    if p in (None, 2, -2, "nuc"):
        values = singular_values(input, "svd")
        if p == "nuc":
            return values.sum(-1) * (1 / values).sum(-1)
        # the ratio of one-element slices, then squeezed: PyTorch's last node
        largest, smallest = values[..., :1], values[..., -1:]
        return (smallest / largest if p == -2 else largest / smallest).squeeze(-1)
    inverse, info = inv_ex(input)
    number = matrix_norm(input, p) * matrix_norm(inverse, p)
    # a singular matrix's (or one of NaN's, whose norms are NaN) is inf, as in PyTorch
    return nan_to_num(where(info != 0, math.inf, number), nan=math.inf, posinf=math.inf)


# matrix_exp -----------------------------------------------------------------------------

PADE_DEGREE = 13
PADE_LARGEST_NORM = 5.371920351148152  # the 1-norm up to which degree 13 keeps float64 exact


def _pade_coefficients(degree):
    """b_j of the [m/m] Padé approximant of exp: p(x) = sum b_j x^j, q(x) = p(-x)."""
    factorial = math.factorial
    return [
        factorial(2 * degree - j)
        * factorial(degree)
        / (factorial(2 * degree) * factorial(j) * factorial(degree - j))
        for j in range(degree + 1)
    ]


PADE_COEFFICIENTS = _pade_coefficients(PADE_DEGREE)


def _pade_exp(a):
    """exp(A) by the [13/13] Padé approximant, for 1-norms up to PADE_LARGEST_NORM: its
    even and odd parts from A^2, A^4 and A^6, then one solve."""
    namespace = xp(a)
    b = PADE_COEFFICIENTS
    identity = namespace.eye(a.shape[-1], dtype=a.dtype)
    square = a @ a
    fourth = square @ square
    sixth = fourth @ square
    odd_high = sixth @ (b[13] * sixth + b[11] * fourth + b[9] * square)
    odd = a @ (odd_high + b[7] * sixth + b[5] * fourth + b[3] * square + b[1] * identity)
    even_high = sixth @ (b[12] * sixth + b[10] * fourth + b[8] * square)
    even = even_high + b[6] * sixth + b[4] * fourth + b[2] * square + b[0] * identity
    return namespace.linalg.solve(even - odd, even + odd)


def exp_of_matrices(a):
    """exp(A) of every matrix: each scaled by 2^-s into the Padé approximant's range, and
    its result squared s times."""
    namespace = xp(a)
    if a.shape[-1] == 0:
        return a.copy()
    if a.dtype.itemsize < 4:  # float16: in float32, rounded once
        return exp_of_matrices(a.astype("float32")).astype(a.dtype)
    norms = abs(a).sum(axis=-2).max(axis=-1)
    finite = namespace.isfinite(norms)
    ratio = namespace.where(finite & (norms > PADE_LARGEST_NORM), norms, PADE_LARGEST_NORM)
    squarings = namespace.ceil(namespace.log2(ratio / PADE_LARGEST_NORM)).astype("int64")
    scale = namespace.exp2(-squarings.astype(a.dtype))  # exact: whole powers of two
    result = _pade_exp(a * scale[..., None, None])
    for step in range(int(squarings.max()) if squarings.size else 0):  # as many as needed
        more = (squarings > step)[..., None, None]
        result = namespace.where(more, result @ result, result)
    return result


class MatrixExp(Function):
    saves_inputs = True

    def forward(self, a):
        return exp_of_matrices(a)

    def backward(self, grad):
        (a,) = self.inputs
        size = a.shape[-1]
        transposed = a.mT
        zeros = Tensor._make(xp(a._data).zeros_like(a._data))
        block = cat([cat([transposed, grad], -1), cat([zeros, transposed], -1)], -2)
        return matrix_exp(block)[..., :size, size:]

    def name(self):
        return "LinalgMatrixExpBackward0"


def matrix_exp(input):
    """The matrix exponential exp(A) = sum A^k / k! of every square matrix of A."""
    check_matrices(input, "linalg.matrix_exp", low_precision_error=None)  # float16 is allowed
    return MatrixExp.apply(input)
