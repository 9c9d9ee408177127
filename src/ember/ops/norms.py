"""Norms: vector norms (any order, over any dims), matrix norms (Frobenius, the
1, inf, 2 and nuclear norms) and ``torch.norm``, which picks between them.

Each is composed of differentiable ops where that gives PyTorch's gradient (the
singular-value norms of ``svdvals``); the p-norms have their own node, whose
gradient is zero (not nan) where the norm is.
"""

import math

from .. import backend, dtypes
from ..arguments import bool_argument, check_tensors, float_argument, integer_argument
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from ..dims import normalize_dims, wrap_dim
from ..tensor import Tensor
from .reductions import kept_shape, reduced_shape, refuse_argument_types
from .selection import where
from .svd import singular_values


def _norm_input(x, dtype, op_name):
    """``x`` in the type its norm is computed in: PyTorch takes only floating tensors, and
    a ``dtype=`` that widens them, never one that narrows."""
    check_tensors(op_name.replace(".", "_"), input=x)
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
    # the arguments' types first, as PyTorch's parser reads them before the input's dtype
    ord = float_argument(ord, "linalg_vector_norm", "ord", "Number")
    refuse_argument_types(dim, keepdim, "linalg_vector_norm")
    x = _norm_input(x, dtype, "linalg.vector_norm")
    axes = normalize_dims(dim, x.ndim)
    if ord < 0 or ord == math.inf:
        _refuse_empty_norm(x, ord, axes)
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
    """||x||_p for p >= 0 and p = +-inf (the largest and the smallest |x|), one node as in
    PyTorch; its gradient is zero where x or the norm is zero (composing sqrt(sum(x * x))
    would give 0 * inf = nan for a zero vector). The 0 "norm" counts the non-zeros: a
    step function, with no gradient (None, as in PyTorch)."""

    listed_inputs = (0,)
    saves_inputs = True
    saves_output = True

    def forward(self, a, ord, axes, keepdim):
        self.ord, self.axes, self.keepdim = ord, axes, keepdim
        namespace = xp(a)
        if a.dtype.char == "e":  # float16 in float32, rounded once, as PyTorch's kernel
            return self.forward(a.astype("float32"), ord, axes, keepdim).astype(a.dtype)
        # sums by backend.reduction: an array's sum() method warns of an overflow from
        # NumPy's own module, past ember's filter (PyTorch's inf is quiet)
        if ord == 0:
            out = backend.reduction(a != 0, "sum", axes, keepdim)
        elif ord == 1:
            out = backend.reduction(namespace.abs(a), "sum", axes, keepdim)
        elif math.isinf(ord):
            out = backend.reduction(namespace.abs(a), "max" if ord > 0 else "min", axes, keepdim)
        elif ord == 2:
            out = namespace.sqrt(backend.reduction(a * a, "sum", axes, keepdim))
        else:
            powers = namespace.abs(a) ** ord
            out = backend.reduction(powers, "sum", axes, keepdim) ** (1.0 / ord)
        return namespace.asarray(out, a.dtype)

    def backward(self, grad):
        if self.ord == 0:
            return None, None, None, None
        x, norm = self.inputs[0], self.output
        if not self.keepdim:
            shape = kept_shape(x.shape, self.axes)
            grad, norm = grad.reshape(shape), norm.reshape(shape)
        if self.ord == 1:
            return x.sign() * grad, None, None, None
        if math.isinf(self.ord):
            return self.extreme_gradient(x, norm, grad), None, None, None
        if self.ord == 2:  # x / norm is 0 at x = 0 already; masking x there too would take
            safe_norm = where(norm == 0, 1.0, norm)  # away its second derivative, 1 / norm
            return where(norm == 0, 0.0, x / safe_norm) * grad, None, None, None
        return self.other_order_gradient(x, norm, grad), None, None, None

    def extreme_gradient(self, x, norm, grad):
        """The inf and -inf norms' gradient, PyTorch's: shared evenly by the elements whose
        |x| is the norm (or NaN), with x's sign."""
        magnitude = x.abs()
        chosen = ((magnitude == norm) | magnitude.isnan()).to(grad.dtype)
        count = chosen.sum(dim=self.axes, keepdim=True)
        return x.sign() * ((grad / count) * chosen)

    def other_order_gradient(self, x, norm, grad):
        """PyTorch's forms, term by term, for the signs of zeros and for where a term
        overflows or underflows: |x|^(p-1) and norm^(p-1) apart (a subnormal x over the
        norm underflowed to 0, whose power p - 1 < 0 is inf); x |x|^(p-2) from p = 2."""
        p = self.ord
        magnitude = x.abs()
        if p < 1:
            power = where(x == 0, 0.0, where(x == 0, 1.0, magnitude) ** (p - 1))
            return x.sign() * power * grad * norm ** (1 - p)
        scaled = x.sign() * magnitude ** (p - 1) if p < 2 else x * magnitude ** (p - 2)
        safe_norm = where(norm == 0, 1.0, norm)
        return scaled * where(norm == 0, 0.0, grad / safe_norm ** (p - 1))

    def name(self):
        return "LinalgVectorNormBackward0"


def matrix_norm(input, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    bool_argument(keepdim, "linalg_matrix_norm", "keepdim")
    if not isinstance(dim, (tuple, list)):  # PyTorch's parser wants two dims, never one int
        raise TypeError(
            f"linalg_matrix_norm(): argument 'dim' must be tuple of ints, not {type(dim).__name__}"
        )
    if isinstance(ord, Tensor):  # a 0-d tensor is read as its number
        ord = float_argument(ord, "linalg_matrix_norm", "ord")
    if not isinstance(ord, (str, int, float)):  # by PyTorch's two signatures
        raise TypeError(
            f"linalg_matrix_norm(): argument 'ord' must be str or a number, not "
            f"{type(ord).__name__}"
        )
    A = _norm_input(input, dtype, "linalg.matrix_norm")
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
    if largest and A.shape[reduce_dims[0]] == 0:
        return _zero_norm(A, (row_dim, col_dim), keepdim)
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


def _singular_value_norm(A, ord, dims, keepdim):
    """The largest (ord 2) or smallest (ord -2) singular value, or their sum ('nuc'), from
    ``svdvals``, whose gradient differentiates again. amax and amin share the gradient of
    equal extreme singular values (as in a zero matrix) evenly, as in PyTorch."""
    if A._data.dtype.itemsize < 4:
        raise RuntimeError(
            f"linalg.matrix_norm: Low precision dtypes not supported. Got {A.dtype}; convert "
            "it with .float()"
        )
    row_dim, col_dim = dims
    # With no singular value, PyTorch's 2-norm is 0, and its -2-norm amin's IndexError.
    if ord == 2 and min(A.shape[row_dim], A.shape[col_dim]) == 0:
        return _zero_norm(A, dims, keepdim)
    if (row_dim, col_dim) != (A.ndim - 2, A.ndim - 1):  # the matrices' dims last
        others = [d for d in range(A.ndim) if d not in dims]
        A = A.permute(*others, row_dim, col_dim)
    singular = singular_values(A, "matrix_norm")
    if ord == "nuc":
        result = singular.sum(dim=-1)
    else:
        result = singular.amax(dim=-1) if ord == 2 else singular.amin(dim=-1)
    if keepdim:  # as PyTorch: two size-1 dims at the end, then moved back into place
        order = [d for d in range(A.ndim) if d not in dims] + [row_dim, col_dim]
        result = result.unsqueeze(-1).unsqueeze(-1).permute(*_inverse(order))
    return result


def _inverse(order):
    """The permutation that undoes ``order``."""
    return [order.index(d) for d in range(len(order))]


def _zero_norm(A, dims, keepdim):
    """The largest of no values, as PyTorch gives it: 0, with no history."""
    shape = (kept_shape if keepdim else reduced_shape)(A.shape, dims)
    return Tensor._make(xp(A._data).zeros(tuple(shape), A._data.dtype))


def linalg_norm(input, ord=None, dim=None, keepdim=False, *, dtype=None):
    """A vector norm over one dim, a matrix norm over two (or for a string ``ord``); with
    neither ``ord`` nor ``dim``, the 2-norm of every element."""
    A = input  # PyTorch's name for the argument
    bool_argument(keepdim, "linalg_norm", "keepdim")
    if isinstance(ord, Tensor):  # a 0-d tensor is read as its number
        ord = float_argument(ord, "linalg_norm", "ord")
    if dim is None:
        if ord is None:
            return vector_norm(A, 2, None, keepdim, dtype=dtype)
        if A.ndim not in (1, 2):
            raise RuntimeError(
                f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
                f"Got {A.ndim}D."
            )
        dim = tuple(range(A.ndim))
    if isinstance(dim, (tuple, list)):
        dims = tuple(dim)
    else:  # one int (PyTorch takes a 0-d integer tensor, refuses a bool)
        dims = (integer_argument(dim, "linalg_norm", "dim"),)
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
    if p is None or isinstance(p, str) and p == "fro":  # (a tensor p: vector_norm refuses it)
        if dim is not None and not isinstance(dim, int) and len(dim) > 2:
            raise RuntimeError(
                f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dim))}"
            )
        return vector_norm(input, 2, dim, keepdim, dtype=dtype)
    if isinstance(p, str):
        dims = tuple(range(input.ndim)) if dim is None else dim
        dims = (dims,) if isinstance(dims, int) else dims  # refused as one dim, not two
        return matrix_norm(input, p, dims, keepdim, dtype=dtype)
    return vector_norm(input, p, dim, keepdim, dtype=dtype)
