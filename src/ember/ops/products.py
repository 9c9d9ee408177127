"""Products beyond matmul (which is in ``linalg.py``).

- The add-products ``beta * input + alpha * (a product)``: addmm, addmv, addr, baddbmm
  and addbmm, one node each, as PyTorch records them (``AddmmBackward0``...). With
  ``beta=0`` the input is not read, so its NaN and inf do not reach the result (PyTorch's
  rule); it must still broadcast to the product's shape. Integer tensors take integer
  coefficients: a float beta or alpha is truncated (addr refuses it, as PyTorch does).
- kron, tensordot, linalg.multi_dot (and the older chain_matmul), matrix_power: composed
  of matmul, reshapes and views.
- cross and linalg.vecdot.

The p-norm distances (dist, cdist) are in ``distances.py``.
"""

import math
import operator
import warnings

from .. import backend, dtypes
from ..arguments import check_tensors, integer_argument
from ..autograd.function import NOT_SAVED, Function, save, save_each_for_the_other
from ..backend import c_contiguous
from ..backend import namespace_of as xp  # the array namespace of an array
from ..device import check_same_device
from ..dims import normalize_dims, wrap_dim
from ..tensor import Tensor
from .float16 import WidenedToFloat32, float16_form
from .linalg import matmul, vdot
from .movement import Clone
from .operands import broadcast_error
from .solvers import inv

# The add-products ----------------------------------------------------------------------


def _save_factors_for_each_other(node, inputs):
    """The two factors, each kept only for the other's gradient; the input, never."""
    edges = node.edges
    return (
        NOT_SAVED,
        save(inputs[1]) if edges[2] is not None else NOT_SAVED,
        save(inputs[2]) if edges[1] is not None else NOT_SAVED,
    )


class AddProduct(Function):
    """``beta * input + alpha * product(first, second)``. A subclass gives the product (on
    arrays) and each factor's gradient (on tensors), for an upstream gradient already
    scaled by alpha."""

    saves_inputs = True
    save_read_inputs = _save_factors_for_each_other

    def attach(self, inputs, output):
        super().attach(inputs, output)
        # never the input, even where all three take a gradient (the engine's rule then is to
        # keep them all): changing it in place before backward is no error, as in PyTorch
        self.saved_inputs = _save_factors_for_each_other(self, inputs)

    def forward(self, input, first, second, beta, alpha):
        self.beta, self.alpha = beta, alpha
        product = self.product(first, second)
        if alpha != 1:
            product = product * alpha
        if beta == 0:  # the input is not read: its NaN and inf stay out
            return product
        return (input * beta if beta != 1 else input) + product

    def backward(self, grad):
        _, first, second = self.inputs
        grad_input = grad_first = grad_second = None
        if self.needs_input_grad(0):
            grad_input = grad * self.beta if self.beta != 1 else grad
        scaled = grad * self.alpha if self.alpha != 1 else grad
        if self.needs_input_grad(1):
            grad_first = self.first_grad(scaled, second)
        if self.needs_input_grad(2):
            grad_second = self.second_grad(scaled, first)
        return grad_input, grad_first, grad_second


class Addmm(AddProduct):
    def product(self, mat1, mat2):
        return mat1 @ mat2

    def first_grad(self, grad, mat2):
        return grad @ mat2.mT

    def second_grad(self, grad, mat1):
        return mat1.mT @ grad


class Baddbmm(Addmm):
    pass  # the same products, on a batch of matrices


class Addbmm(Addmm):
    """The products of a batch of matrices, summed over the batch."""

    def product(self, batch1, batch2):
        return (batch1 @ batch2).sum(axis=0, dtype=batch1.dtype)


class Addmv(AddProduct):
    def product(self, mat, vec):
        return mat @ vec

    def first_grad(self, grad, vec):
        return grad.unsqueeze(-1) * vec

    def second_grad(self, grad, mat):
        return grad @ mat


# PyTorch's float16 addmm, addmv and baddbmm take the product and the sum in float32 and
# round once (NumPy would round the product to float16 first). Its addr and addbmm round
# in steps of their own, which these forms would not match either.
FLOAT16_FORMS = {op: float16_form(op, WidenedToFloat32) for op in (Addmm, Addmv, Baddbmm)}


class Addr(AddProduct):
    def product(self, vec1, vec2):
        return vec1[:, None] * vec2  # the outer product (and of bools, their logical and)

    def first_grad(self, grad, vec2):
        return grad @ vec2

    def second_grad(self, grad, vec1):
        return vec1 @ grad


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat1 @ mat2)`` for matrices mat1 and mat2."""
    _check_factors("addmm", ("mat1", mat1, 2), ("mat2", mat2, 2))
    if mat1.shape[1] != mat2.shape[0]:
        raise RuntimeError(
            f"addmm: mat1 and mat2 shapes cannot be multiplied ({mat1.shape[0]}x{mat1.shape[1]} "
            f"and {mat2.shape[0]}x{mat2.shape[1]})"
        )
    shape = (mat1.shape[0], mat2.shape[1])
    return _add_product(Addmm, "addmm", input, mat1, mat2, shape, beta, alpha)


def addmv(input, mat, vec, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat @ vec)`` for a matrix and a vector."""
    check_tensors("addmv", input=input, mat=mat, vec=vec)
    if mat.ndim != 2 or vec.ndim != 1 or input.ndim > 1:
        raise RuntimeError(
            f"addmv: vector + matrix @ vector expected, got an input of {input.ndim} dims, a "
            f"mat of {mat.ndim} and a vec of {vec.ndim}"
        )
    if mat.shape[1] != vec.shape[0]:
        if input.ndim == 0:  # PyTorch's message reads the input's size 0 first
            raise IndexError("addmv: Dimension specified as 0 but the input has no dimensions")
        raise RuntimeError(
            f"addmv: size mismatch, got mat ({mat.shape[0]}x{mat.shape[1]}) and vec "
            f"({vec.shape[0]})"
        )
    return _add_product(Addmv, "addmv", input, mat, vec, (mat.shape[0],), beta, alpha)


def addr(input, vec1, vec2, *, beta=1, alpha=1):
    """``beta * input + alpha * outer(vec1, vec2)``; unlike the other add-products, the
    operands' dtypes promote, and bool operands give the logical or of the logical ands."""
    _check_factors("addr", ("vec1", vec1, 1), ("vec2", vec2, 1))
    check_tensors("addr", input=input)
    # The input counts as the (n, m) matrix it broadcasts to: a 0-d one is no weaker.
    dtype = dtypes.promote_types(dtypes.promote_types(input.dtype, vec1.dtype), vec2.dtype)
    beta = _addr_coefficient(beta, "beta", dtype)
    alpha = _addr_coefficient(alpha, "alpha", dtype)
    input, vec1, vec2 = (operand.to(dtype) for operand in (input, vec1, vec2))
    return _add_product(Addr, "addr", input, vec1, vec2, vec1.shape + vec2.shape, beta, alpha)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """``beta * input + alpha * (batch1 @ batch2)``, one product per matrix of the batch."""
    shape = _check_batches("baddbmm", batch1, batch2)
    return _add_product(Baddbmm, "baddbmm", input, batch1, batch2, shape, beta, alpha)


def addbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """``beta * input + alpha * (batch1 @ batch2).sum(0)``: the batch's products summed."""
    shape = _check_batches("addbmm", batch1, batch2)[1:]
    return _add_product(Addbmm, "addbmm", input, batch1, batch2, shape, beta, alpha)


def _add_product(op, op_name, input, first, second, shape, beta, alpha):
    """Check the input against the product's ``shape`` and the dtypes, then apply ``op``."""
    check_tensors(op_name, input=input)
    _check_expands(op_name, input, shape)
    if op is not Addr:  # addr promotes; the others take one dtype, as PyTorch's do
        input, first, second = _casts_where_dtypes_are_not_compared(op, input, first, second, shape)
        _check_same_dtype(op_name, input, first, second)
        beta, alpha = _as_number(beta), _as_number(alpha)
        scalings = _input_scalings(op, first, shape, beta)
        if scalings is None and input._data.dtype.kind == "b":
            raise NotImplementedError(f"{op_name} is not implemented for bool tensors")
        for scaling in scalings or ():
            _check_scaling_casts(op_name, scaling, input.dtype)
        if scalings is None or op is Addmv:  # (addmv converts beta where it skips too)
            beta = _coefficient(beta, "beta", input.dtype)
            alpha = _coefficient(alpha, "alpha", input.dtype)
        else:  # the product is empty or all zeros: alpha is not read, beta wraps around
            beta, alpha = _wrapped(beta, input.dtype), 1
    for operand in (first, second):
        if type(operand._data) is not type(input._data):
            check_same_device(input._data, operand._data, op_name)
    if input._data.dtype.char == "e":
        op = FLOAT16_FORMS.get(op, op)
    return op.apply(input, first, second, beta=beta, alpha=alpha)


def _casts_where_dtypes_are_not_compared(op, input, first, second, shape):
    """PyTorch compares the factors' dtypes in its kernels, which some products skip:
    addbmm of no matrices only scales the input, whatever the factors' dtypes (unless the
    result would need a gradient and cannot have one: then it compares them); baddbmm's
    kernel refuses bool batches before it compares batch2's dtype. (PyTorch's out-of-place
    baddbmm of an empty product returns batch2's dtype, where its baddbmm_ refuses it: ember
    refuses both, as its in-place form is the out-of-place one written back.)"""
    needs_grad = any(operand.requires_grad for operand in (input, first, second))
    if op is Addbmm and first.shape[0] == 0 and (input.is_floating_point() or not needs_grad):
        return input, first.to(input.dtype), second.to(input.dtype)
    dtype = input._data.dtype
    if op is Baddbmm and dtype.kind == "b" and first._data.dtype == dtype:
        if second._data.dtype != dtype and math.prod(shape) and first.shape[-1]:
            # its kernel refuses bool before it compares batch2's dtype
            raise NotImplementedError("baddbmm is not implemented for bool tensors")
    return input, first, second


def _check_factors(op_name, *factors):
    """Each of ``factors`` (name, tensor, the number of dims it must have)."""
    for name, factor, ndim in factors:
        check_tensors(op_name, **{name: factor})
        if factor.ndim != ndim:
            kind = {1: "vector (1-D)", 2: "matrix"}.get(ndim, "batch of matrices (3-D)")
            raise RuntimeError(
                f"{op_name}: {name} must be a {kind}, got a {factor.ndim}-D tensor of shape "
                f"{list(factor.shape)}"
            )


def _check_batches(op_name, batch1, batch2):
    """Two batches of matrices that multiply; the shape of their products."""
    check_tensors(op_name, batch1=batch1, batch2=batch2)
    if batch2.ndim < 3:
        wrap_dim(2, batch2.ndim)  # PyTorch reads batch2's third size first: its IndexError
    if batch1.ndim < 2:
        wrap_dim(1, batch1.ndim)  # then batch1's first two (its IndexError too)
    _check_factors(op_name, ("batch1", batch1, 3), ("batch2", batch2, 3))
    if batch1.shape[0] != batch2.shape[0]:
        raise RuntimeError(
            f"{op_name}: batch1 and batch2 must have the same number of matrices, got "
            f"{batch1.shape[0]} and {batch2.shape[0]}"
        )
    if batch1.shape[2] != batch2.shape[1]:
        raise RuntimeError(
            f"{op_name}: the matrices of batch1 and batch2 cannot be multiplied "
            f"({batch1.shape[1]}x{batch1.shape[2]} and {batch2.shape[1]}x{batch2.shape[2]})"
        )
    return (batch1.shape[0], batch1.shape[1], batch2.shape[2])


def _check_expands(op_name, input, shape):
    """The input broadcasts to the result's shape without adding to it."""
    input_shape = tuple(input.shape)
    fits = len(input_shape) <= len(shape) and all(
        size in (1, target) for size, target in zip(reversed(input_shape), reversed(shape))
    )
    if not fits:
        raise RuntimeError(
            f"{op_name}: the input's shape {list(input_shape)} does not broadcast to the "
            f"product's shape {list(shape)}"
        )


def _check_same_dtype(op_name, *operands):
    kinds = {operand._data.dtype for operand in operands}
    if len(kinds) > 1:
        names = ", ".join(str(operand.dtype) for operand in operands)
        raise RuntimeError(
            f"{op_name}: expected the input and both factors to have the same dtype, but got "
            f"{names}; convert them with .to(dtype)"
        )


def _input_scalings(op, first, shape, beta):
    """Where PyTorch's kernel does not run, the coefficients by which it scales the input
    in place (its ``mul_``, whose casting rule refuses a float for an integer result and an
    int for a bool one); None where the kernel runs (and refuses bool). The kernel does not
    run for an empty result, nor for an empty inner dim, whose product is all zeros;
    addbmm adds its batch's products one at a time, scaling by 1 after the first; addmv
    scales by beta made of the input's type, which refuses nothing."""
    result_empty, inner_empty = math.prod(shape) == 0, first.shape[-1] == 0
    if op is Addmv:
        return [] if first._data.size == 0 else None
    if op is Addbmm:
        batches = first.shape[0]
        if batches == 0:
            scalings = [beta]
        elif result_empty:
            scalings = []
        elif inner_empty:
            scalings = [beta] + [1] * (batches - 1)
        else:
            return None
    elif result_empty or inner_empty:
        scalings = [] if result_empty else [beta]
    else:
        return None
    return [scaling for scaling in scalings if scaling != 0]  # beta = 0 zeroes instead


def _check_scaling_casts(op_name, scaling, dtype):
    if dtype.is_floating_point:
        return
    if isinstance(scaling, float) or (dtype is dtypes.bool and not isinstance(scaling, bool)):
        kind = "Float" if isinstance(scaling, float) else "Long"
        raise RuntimeError(
            f"{op_name}: result type {kind} can't be cast to the desired output type {dtype}: "
            f"the product is empty, so the input is scaled by {scaling!r} in place, as in "
            "PyTorch; give beta as a number of the input's kind"
        )


def _wrapped(value, dtype):
    """A coefficient (of the kind the dtype takes) as PyTorch's in-place scaling reads it:
    an int wraps around an integer type's range (300 is 44 as an int8)."""
    if dtype.is_floating_point:
        return value
    if dtype is dtypes.bool:
        return bool(value)
    return int(backend.cpu_namespace.array(value).astype(dtype.numpy_type))


def _as_number(value):
    """A coefficient given as a tensor or a NumPy number, as a Python number."""
    if isinstance(value, Tensor):
        return value.item()
    if isinstance(value, backend.generic_scalar):
        return backend.python_number(value)
    return value


def _coefficient(value, name, dtype):
    """beta or alpha as a Python number for the result's type: for an integer type,
    truncated, and refused where it does not fit (300 for int8, as in PyTorch)."""
    value = _as_number(value)
    if isinstance(value, complex):
        raise RuntimeError(f"{name}={value} cannot be converted to {dtype} (a real type)")
    if dtype.is_floating_point:
        return value  # a float16 result may overflow to inf, as PyTorch's does
    return dtypes.checked_number(value, dtype)


def _addr_coefficient(value, name, dtype):
    """addr's rule: bool coefficients for bool results only, and no floats for integers."""
    if isinstance(value, Tensor):
        value = value.item()
    if dtype.is_floating_point:
        if isinstance(value, bool):
            raise RuntimeError(f"addr: Boolean {name} only supported for Boolean results.")
        return _coefficient(value, name, dtype)
    if isinstance(value, float):
        raise RuntimeError(
            f"addr: For integral input tensors, argument {name} must not be a floating point "
            "number."
        )
    if dtype is dtypes.bool:
        return bool(value)
    if isinstance(value, bool):
        raise RuntimeError(f"addr: Boolean {name} only supported for Boolean results.")
    return _coefficient(value, name, dtype)


# kron and tensordot ---------------------------------------------------------------------


def kron(input, other):
    """The Kronecker product: each element of ``input`` times the whole of ``other``,
    laid out in blocks. The shorter shape is padded with leading 1s."""
    check_tensors("kron", input=input, other=other)
    ndim = max(input.ndim, other.ndim)
    input_shape = (1,) * (ndim - input.ndim) + tuple(input.shape)
    other_shape = (1,) * (ndim - other.ndim) + tuple(other.shape)
    # Each dim of input sits beside the same dim of other: (a0, 1, a1, 1) * (1, b0, 1, b1).
    input_spread = input.reshape(sum(((size, 1) for size in input_shape), ()))
    other_spread = other.reshape(sum(((1, size) for size in other_shape), ()))
    blocks = input_spread * other_spread
    return blocks.reshape(tuple(a * b for a, b in zip(input_shape, other_shape)))


def tensordot(a, b, dims=2):
    """Sums of products over the dims ``dims`` names: an int n (a's last n dims with b's
    first n), a pair of dim lists, or a tensor holding either. The result has a's other
    dims, then b's."""
    check_tensors("tensordot", a=a, b=b)
    dims_a, dims_b = _contracted_dims(dims, a, b)
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(
            f"tensordot: both inputs should have the same dtype, but got {a.dtype} and {b.dtype}"
        )
    a, b, dims_a, dims_b = _sum_where_one_has_size_1(a, b, dims_a, dims_b)
    normalize_dims(dims_a, a.ndim), normalize_dims(dims_b, b.ndim)  # refuse a dim given twice
    free_a = [dim for dim in range(a.ndim) if dim not in dims_a]
    free_b = [dim for dim in range(b.ndim) if dim not in dims_b]
    summed = math.prod(a.shape[dim] for dim in dims_a)
    kept_a = [a.shape[dim] for dim in free_a]
    kept_b = [b.shape[dim] for dim in free_b]
    a, b = a.permute(free_a + dims_a), b.permute(dims_b + free_b)
    rows, columns = math.prod(kept_a), math.prod(kept_b)
    if rows == columns == 1:  # one sum of products
        return _sum_of_products(a, b).reshape(kept_a + kept_b)
    return matmul(a.reshape(rows, summed), b.reshape(summed, columns)).reshape(kept_a + kept_b)


def _sum_of_products(a, b):
    """The sum of the products of a's and b's elements, in order (their other dims have
    size 1): as PyTorch records it, a dot product of two contiguous tensors, else the
    products of the two squeezed, summed."""
    if a.is_contiguous() and b.is_contiguous():
        return matmul(*(x if x.ndim == 1 else x.reshape(-1) for x in (a, b)))
    return (a.squeeze() * b.squeeze()).sum(dtype=a.dtype)  # integers stay of their type


def _contracted_dims(dims, a, b):
    """``dims`` as two lists of non-negative dims, one of a's and one of b's."""
    if isinstance(dims, Tensor):
        dims = int(dims.item()) if dims.numel() == 1 else dims.tolist()
    if isinstance(dims, int):  # a bool counts as an int, as in PyTorch
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a.ndim, b.ndim):
            raise RuntimeError(
                f"tensordot expects dims <= the dims of each input ({a.ndim} and {b.ndim}), "
                f"but got dims={dims}"
            )
        dims_a, dims_b = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    elif isinstance(dims, (list, tuple)):
        dims_a, dims_b = dims  # more or fewer than two: Python's ValueError, as in PyTorch
        for listed in (dims_a, dims_b):
            if not isinstance(listed, (list, tuple)) or not all(
                isinstance(dim, int) for dim in listed
            ):
                raise TypeError(
                    f"tensordot(): dims must be an int or a pair of lists of ints, but got {dims!r}"
                )
    else:
        raise RuntimeError(
            "tensordot expects dims to be an int, a pair of lists of ints or a tensor holding "
            f"one of them, but got dims={dims!r}"
        )
    if len(dims_a) != len(dims_b):
        raise RuntimeError(
            f"tensordot: both dimension lists should have the same length, but got {dims_a} "
            f"and {dims_b}"
        )
    return list(dims_a), list(dims_b)  # wrapped pair by pair, as PyTorch reads their sizes


def _sum_where_one_has_size_1(a, b, dims_a, dims_b):
    """Contracted dims of equal sizes. Where one side's size is 1, the other side is summed
    over that dim (keeping it), as PyTorch does: a_1 * (b_1 + ... + b_n). Where both are 1,
    a is summed (PyTorch's order: the sum leaves it contiguous, so a dot product follows).
    Each pair's dims are wrapped as it comes (an IndexError), and returned wrapped."""
    dims_a, dims_b = list(dims_a), list(dims_b)
    for position, (dim_a, dim_b) in enumerate(zip(dims_a, dims_b)):
        dims_a[position] = dim_a = wrap_dim(dim_a, a.ndim)
        dims_b[position] = dim_b = wrap_dim(dim_b, b.ndim)
        size_a, size_b = a.shape[dim_a], b.shape[dim_b]
        if size_b == 1:  # (integers stay of their type)
            a = a.sum(dim_a, keepdim=True, dtype=a.dtype)
        elif size_a == 1:
            b = b.sum(dim_b, keepdim=True, dtype=b.dtype)
        elif size_a != size_b:
            raise RuntimeError(
                f"tensordot: contracted dimensions need to match, but the first has size "
                f"{size_a} in dim {dim_a} and the second has size {size_b} in dim {dim_b}"
            )
    return a, b, dims_a, dims_b


# Chains of products and powers ----------------------------------------------------------


def multi_dot(tensors):
    """The product of a list of matrices, multiplied in the order that costs the fewest
    multiplications. The first may be a row vector and the last a column vector (1-D)."""
    if not isinstance(tensors, (list, tuple)):  # a tensor or a string is no list of tensors
        raise TypeError(
            f"linalg_multi_dot(): argument 'tensors' must be tuple of Tensors, not "
            f"{type(tensors).__name__}"
        )
    for position, tensor in enumerate(tensors):  # PyTorch's parser looks first
        if not isinstance(tensor, Tensor):
            raise TypeError(
                f"multi_dot(): expected a Tensor as element {position}, but got "
                f"{type(tensor).__name__}"
            )
    tensors = list(tensors)
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    _check_chain_dims(tensors)
    _check_same_dtype_in_chain(tensors)
    first_is_vector, last_is_vector = tensors[0].ndim == 1, tensors[-1].ndim == 1
    matrices = list(tensors)
    if first_is_vector:
        matrices[0] = matrices[0].unsqueeze(0)
    if last_is_vector:
        matrices[-1] = matrices[-1].unsqueeze(-1)
    _check_chain_sizes(matrices)
    product = _chain_product(matrices)
    shape = product.shape[int(first_is_vector) :]
    return product.reshape(shape[: len(shape) - int(last_is_vector)])


def _check_chain_dims(tensors):
    for position, tensor in enumerate(tensors):
        end = {0: "first", len(tensors) - 1: "last"}.get(position)
        if end is not None and tensor.ndim not in (1, 2):
            raise RuntimeError(
                f"multi_dot(): the {end} tensor must be 1D or 2D but got {tensor.ndim}D"
            )
        if end is None and tensor.ndim != 2:
            raise RuntimeError(f"multi_dot(): tensor {position} must be 2D but got {tensor.ndim}D")


def _check_same_dtype_in_chain(tensors):
    for position, tensor in enumerate(tensors[1:], start=1):
        if tensor._data.dtype != tensors[0]._data.dtype:
            raise RuntimeError(
                "multi_dot(): all tensors must have the same dtype, but tensor 0 is "
                f"{tensors[0].dtype} and tensor {position} is {tensor.dtype}"
            )


def _check_chain_sizes(matrices):
    for position, (left, right) in enumerate(zip(matrices, matrices[1:])):
        if left.shape[1] != right.shape[0]:
            raise RuntimeError(
                f"multi_dot(): tensors {position} and {position + 1} with shapes "
                f"{list(left.shape)} and {list(right.shape)} cannot be multiplied"
            )


def _chain_product(matrices):
    """The product, grouped by the classic dynamic programme for matrix chains: the best
    split of each run of matrices, from runs of two up to the whole chain."""
    sizes = [matrix.shape[0] for matrix in matrices] + [matrices[-1].shape[1]]
    count = len(matrices)
    cost = {(i, i): 0 for i in range(count)}
    split = {}
    for length in range(2, count + 1):
        for first in range(count - length + 1):
            last = first + length - 1
            cost[first, last], split[first, last] = min(
                (
                    cost[first, middle]
                    + cost[middle + 1, last]
                    + sizes[first] * sizes[middle + 1] * sizes[last + 1],
                    middle,
                )
                for middle in range(first, last)
            )

    def product(first, last):
        if first == last:
            return matrices[first]
        middle = split[first, last]
        return matmul(product(first, middle), product(middle + 1, last))

    return product(0, count - 1)


def chain_matmul(*matrices):
    """The product of the matrices, as ``linalg.multi_dot``, which PyTorch now prefers."""
    warnings.warn(
        "ember.chain_matmul is deprecated (as in PyTorch): use ember.linalg.multi_dot, which "
        "takes a list of two or more tensors",
        UserWarning,
        stacklevel=2,
    )
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for position, matrix in enumerate(matrices):
        check_tensors("chain_matmul", **{f"matrices[{position}]": matrix})
        if matrix.ndim != 2:
            raise RuntimeError(
                f"chain_matmul(): tensor {position} has {matrix.ndim} dims, expected 2 (a matrix)"
            )
    if len(matrices) == 1:
        return matrices[0].clone()
    return multi_dot(matrices)


def matrix_power(A, n):
    """A multiplied by itself n times (by repeated squaring); n = 0 gives the identity,
    and a negative n a power of A's inverse. A batch of matrices is raised one by one."""
    check_tensors("matrix_power", A=A)
    n = _integer_power(n)
    if A.ndim < 2:
        raise RuntimeError(
            f"linalg.matrix_power: The input tensor A must have at least 2 dimensions, got {A.ndim}"
        )
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            "linalg.matrix_power: A must be batches of square matrices, but they are "
            f"{A.shape[-2]} by {A.shape[-1]} matrices"
        )
    if n == 0:
        return _identity_like(A)
    if n < 0:
        A, n = inv(A), -n
        if n == 1:
            return A
    elif n == 1:
        return A.clone()
    result, power = None, A
    while True:
        if n & 1:
            result = power if result is None else matmul(power, result)
        n >>= 1
        if not n:
            return result
        power = matmul(power, power)


def _integer_power(n):
    """``n`` as a Python int: an int, a NumPy int or an integer tensor of one element,
    but not a bool or a float (PyTorch's TypeError)."""
    try:
        if isinstance(n, bool):
            raise TypeError
        return operator.index(n)
    except TypeError:
        raise TypeError(
            f"matrix_power(): argument 'n' must be int, not {type(n).__name__}"
        ) from None


def _identity_like(A):
    """Identity matrices in A's shape and dtype. Written over a clone of A, as PyTorch does,
    so that the result takes part in A's graph (with a zero gradient)."""
    namespace = xp(A._data)
    identity = namespace.eye(A.shape[-1], dtype=A._data.dtype)
    result = Clone.apply(A, "C")  # contiguous, as PyTorch's, whatever A's layout
    result.copy_(Tensor._make(namespace.broadcast_to(identity, A._data.shape)))
    return result


# cross and vecdot --------------------------------------------------------------------


class Cross(Function):
    """The cross product of 3-vectors along ``dim``; the operands' other dims broadcast."""

    saves_inputs = True
    save_read_inputs = save_each_for_the_other

    def forward(self, a, b, dim):
        self.dim = dim
        # contiguous, as PyTorch's (NumPy's keeps dim last in memory when it is not)
        return c_contiguous(xp(a).cross(a, b, axis=dim))

    def backward(self, grad):
        a, b = self.inputs
        grad_a = Cross.apply(b, grad, dim=self.dim) if self.needs_input_grad(0) else None
        grad_b = Cross.apply(grad, a, dim=self.dim) if self.needs_input_grad(1) else None
        return grad_a, grad_b

    def name(self):
        return "LinalgCrossBackward0"


def linalg_cross(input, other, *, dim=-1):
    """The cross product of the 3-vectors along ``dim`` (each operand's size there is 3)."""
    check_tensors("linalg.cross", input=input, other=other)
    if input.ndim != other.ndim:
        raise RuntimeError(
            f"linalg.cross: inputs must have the same number of dimensions, but got shapes "
            f"{list(input.shape)} and {list(other.shape)}"
        )
    axis = wrap_dim(dim, input.ndim)
    if input.shape[axis] != 3 or other.shape[axis] != 3:
        raise RuntimeError(
            f"linalg.cross: inputs dimension {dim} must have length 3. Got "
            f"{input.shape[axis]} and {other.shape[axis]}"
        )
    # then PyTorch's order: the shapes, the first one's dtype, the second one's
    error = broadcast_error(input, other)
    if error is not None:
        raise error
    if input._data.dtype.kind == "b":
        raise NotImplementedError("linalg.cross is not implemented for bool tensors")
    if input._data.dtype != other._data.dtype:
        raise RuntimeError(
            f"linalg.cross: expected both inputs to have the same dtype, but got {input.dtype} "
            f"and {other.dtype}"
        )
    if type(input._data) is not type(other._data):
        check_same_device(input._data, other._data, "linalg.cross")
    return Cross.apply(input, other, dim=axis)


def cross(input, other, dim=None):
    """``linalg.cross`` along ``dim``; without one, along the first dim of ``input`` whose
    size is 3 (PyTorch's old default, which it deprecates: it warns)."""
    check_tensors("cross", input=input, other=other)
    if dim is None:
        warnings.warn(
            "Using ember.cross without specifying the dim arg is deprecated (as in PyTorch): "
            "pass dim, or use ember.linalg.cross, whose default is the last dim",
            UserWarning,
            stacklevel=2,
        )
        dim = next((axis for axis, size in enumerate(input.shape) if size == 3), None)
        if dim is None:
            raise RuntimeError(
                f"cross: no dimension of size 3 in input of shape {list(input.shape)}; pass dim"
            )
    return linalg_cross(input, other, dim=dim)


def vecdot(x, y, *, dim=-1):
    """The dot products of the vectors along ``dim`` (the operands broadcast)."""
    check_tensors("linalg.vecdot", x=x, y=y)
    for operand in (x, y):
        if not operand.is_floating_point():
            raise RuntimeError(
                "linalg.vecdot: Expected a floating point or complex tensor as input. Got "
                f"{operand.dtype}"
            )
    if x._data.dtype != y._data.dtype:
        raise RuntimeError(
            f"linalg.vecdot: Expected x and y to have the same dtype, but found x of type "
            f"{x.dtype} and y of type {y.dtype} instead"
        )
    dim = integer_argument(dim, "linalg_vecdot", "dim")  # a bool too, as PyTorch refuses it
    if x.ndim == 1 and y.ndim == 1:
        return vdot(x, y)  # as PyTorch: one node, and dim is not looked at
    return (x * y).sum(dim)
