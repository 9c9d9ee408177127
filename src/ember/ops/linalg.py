"""Products: matmul (and dot, vdot, inner, mv, mm, bmm) and outer. The other products
(addmm and its kin, kron, tensordot, multi_dot, matrix_power, cross) are in
``products.py``, norms in ``norms.py``, solvers (solve, inv, det, lstsq) in ``solvers.py``.

Matmul follows NumPy's (and PyTorch's) rules: 1-d operands are promoted to a
row or column for the product and the extra dim removed afterwards; leading
batch dims broadcast, and the engine sums their gradient back.
"""

import math

from ..autograd.function import Function, save_each_for_the_other
from ..device import check_same_device


class Matmul(Function):
    listed_inputs = (0, 1)
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

    listed_inputs = (0, 1)
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
    dtype = a._data.dtype
    if dtype != b._data.dtype or dtype.kind == "b":
        _refuse_dtypes(a, b, op_name)
    if type(a._data) is not type(b._data):
        check_same_device(a._data, b._data, op_name)


def _refuse_dtypes(a, b, op_name):
    """PyTorch's order: a matrix (or dot) product's inner sizes, then one dtype, then no
    bool. Its batched product (``b`` of 3 dims or more) refuses a bool ``a`` before the
    dtypes. An empty matrix product of bools it computes; a dot product of bools, never.
    (Where PyTorch folds a batch into one matrix product, or returns an empty batched
    product of two dtypes unchecked, depends on strides and on requires_grad: ember does
    not follow it there; docs/differences.md.)"""
    matrices = op_name == "matmul" and (a.ndim, b.ndim) != (1, 1)
    inner = b.shape[-2 if b.ndim > 1 else 0]
    if (op_name == "matmul" or a.ndim == b.ndim == 1) and a.shape[-1] != inner:  # (dot's too)
        raise RuntimeError(_shape_error(a, b))
    empty = matrices and 0 in (a._data.size, b._data.size)
    bool_batch = b.ndim > 2 and a._data.dtype.kind == "b" and not empty
    if a.dtype != b.dtype and not bool_batch:
        raise RuntimeError(
            f"{op_name}: expected both operands to have the same dtype, but got: "
            f"{a.dtype} != {b.dtype}"
        )
    if not empty:
        raise NotImplementedError(
            f"{op_name} is not implemented for bool tensors; convert with .float()"
        )


_PRODUCT_NAMES = {(1, 1): "Dot", (2, 2): "Mm", (2, 1): "Mv"}  # by the operands' ndims


def matmul(input, other):
    """The matrix product of ``input`` and ``other``, also written ``input @ other``.

    Two vectors give their dot product, a matrix and a vector a vector, and more dims
    are stacks of matrices, broadcast. Unlike ``*``, both need one dtype.

    >>> A = ember.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> ember.matmul(A, ember.tensor([1.0, 1.0]))
    tensor([3., 7.])
    >>> (A @ A).shape
    ember.Size([2, 2])
    """
    ndims = (input._data.ndim, other._data.ndim)
    if 0 in ndims:  # before the dtypes, as PyTorch checks
        raise RuntimeError(
            "both arguments to matmul need to be at least 1D, but they are "
            f"{ndims[0]}D and {ndims[1]}D"
        )
    _check_operands(input, other, "matmul")
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
    inner = b.shape[-2] if b.ndim > 1 else b.shape[0]
    if a.shape[-1] == inner:  # the matrices fit: their batch dims do not broadcast
        return (
            f"matmul: shapes {list(a.shape)} and {list(b.shape)} cannot be multiplied: their "
            f"batch dims {list(a.shape[:-2])} and {list(b.shape[:-2])} do not broadcast"
        )
    return (
        f"matmul: shapes {list(a.shape)} and {list(b.shape)} cannot be multiplied "
        f"(inner sizes {a.shape[-1]} and {inner} differ)"
    )


def dot(input, tensor):
    """The dot product of two 1-D tensors of one length, as a 0-d tensor.

    Unlike NumPy's ``dot``, it takes vectors only: ``matmul`` multiplies matrices.

    >>> ember.dot(ember.tensor([1.0, 2.0]), ember.tensor([3.0, 4.0]))
    tensor(11.)
    """
    _check_vectors(input, tensor)
    _check_operands(input, tensor, "dot")
    return matmul(input, tensor)


def vdot(input, other):
    """dot with the first vector conjugated: the same here (ember has no complex dtypes),
    but its own node, ``VdotBackward0``, as in PyTorch."""
    _check_vectors(input, other)
    _check_operands(input, other, "vdot")
    return Matmul.apply(input, other, "Vdot")


def _check_vectors(input, other):
    """Two 1-D tensors of one length."""
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D tensors")
    if input.shape[0] != other.shape[0]:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{input.shape[0]}] and src "
            f"[{other.shape[0]}] to have the same number of elements, but got "
            f"{input.shape[0]} and {other.shape[0]} elements respectively"
        )


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
    one_product = math.prod(input.shape[:-1]) * math.prod(other.shape[:-1]) == 1
    if one_product and input.is_contiguous() and other.is_contiguous():
        _check_operands(input, other, "inner")  # PyTorch's is then a dot product: no bools
    # As one matrix product: every row of one against every row of the other.
    rows, other_rows = (_as_rows(operand) for operand in (input, other))
    return matmul(rows, other_rows.mT).reshape(input.shape[:-1] + other.shape[:-1])


def _as_rows(operand):
    """A matrix with one row per position of the leading dims (also when the last is 0)."""
    return operand.reshape(math.prod(operand.shape[:-1]), operand.shape[-1])


def mv(input, vec):
    """The product of a matrix (n, m) and a vector (m,): a vector of n dot products.

    >>> A = ember.tensor([[1, 2], [3, 4]])
    >>> ember.mv(A, ember.tensor([1, 0]))
    tensor([1, 3])
    """
    if input.ndim == 0:  # PyTorch reads the matrix's dim 0 first
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(
            f"vector + matrix @ vector expected, got {input.ndim}, {vec.ndim} (mv of shapes "
            f"{list(input.shape)} and {list(vec.shape)}: a matrix and a vector; matmul takes more)"
        )
    if input.shape[1] != vec.shape[0]:
        raise RuntimeError(
            f"size mismatch, got input ({input.shape[0]}), mat ({input.shape[0]}x"
            f"{input.shape[1]}), vec ({vec.shape[0]})"
        )
    return matmul(input, vec)


def mm(input, mat2):
    """The product of two matrices: (n, m) and (m, p) give (n, p).

    It takes 2-D tensors only and does not broadcast; ``matmul`` does both.

    >>> ember.mm(ember.ones(2, 3), ember.ones(3, 2))
    tensor([[3., 3.],
            [3., 3.]])
    """
    for name, matrix in (("self", input), ("mat2", mat2)):
        if matrix.ndim != 2:
            raise RuntimeError(
                f"mm: {name} must be a matrix, got shape {list(matrix.shape)} (mm multiplies "
                "2-D tensors only; mv takes a vector, matmul any number of dims)"
            )
    return matmul(input, mat2)


def bmm(input, mat2):
    if input.ndim != 3 or mat2.ndim != 3:
        raise RuntimeError(f"batch1 must be a 3D tensor (got {input.ndim}D and {mat2.ndim}D)")
    if input.shape[0] != mat2.shape[0]:
        raise RuntimeError(
            f"batch1 and batch2 must have same number of batches, got {input.shape[0]} "
            f"and {mat2.shape[0]}"
        )
    _check_operands(input, mat2, "bmm")
    try:
        return Matmul.apply(input, mat2, "Bmm")  # one node, as PyTorch's BmmBackward0
    except ValueError:
        raise RuntimeError(_shape_error(input, mat2)) from None


def outer(input, vec2):
    for name, vector in (("self", input), ("vec2", vec2)):
        if vector.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {vector.ndim}-D")
    return input.reshape(-1, 1) * vec2  # vec2 broadcasts along the rows


ger = outer
