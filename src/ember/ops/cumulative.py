"""Running ops along one dim: cumsum, cumprod, cummax, cummin and logcumsumexp, whose
element i reads elements 0 to i of the input, so that each keeps the input's shape; and
diff, the differences of neighbours (cumsum's inverse), one shorter per order."""

import builtins

from .. import return_types
from ..arguments import integer_argument
from ..autograd.function import Function
from ..autograd.grad_mode import is_grad_enabled
from ..backend import accumulate, c_contiguous
from ..backend import namespace_of as xp  # the array namespace of an array
from ..creation import ones_like, refuse_out
from ..dims import normalize_dims
from ..dtypes import bool as bool_type
from ..dtypes import to_dtype
from ..tensor import Tensor
from .gathering import Gather
from .joining import cat, stack
from .movement import clone
from .reductions import in_dtype, integer_type_of
from .selection import where
from .unary_math import exp, log


class Cumsum(Function):
    """The running sum along ``axis``; ``axis`` None for a 0-d tensor, its own sum."""

    listed_inputs = (0,)

    def forward(self, a, axis, integer_type=None):
        self.axis = axis
        if axis is None:  # a 0-d tensor is its own running sum
            return a.astype(_result_type(a, integer_type))
        # the array's own method: NumPy's cumsum function warns of an overflow from NumPy's
        # module, past backend's filter of warnings raised from ember's
        sums = a.cumsum(axis=axis, dtype=integer_type or _accumulation_type(a))
        if sums.dtype.kind == "f":
            sums += 0.0  # PyTorch's running sum starts at +0, so it is never -0, as NumPy's is
        # C order: PyTorch's running sums of a transposed tensor are laid out afresh
        return sums.astype(_result_type(a, integer_type), order="C", copy=False)

    def backward(self, grad):
        if self.axis is None:
            return grad, None, None
        return _reversed_cumsum(grad, self.axis), None, None


class Cumprod(Function):
    """The running product along ``axis``; ``axis`` None for a 0-d tensor."""

    listed_inputs = (0,)
    saves_inputs = True
    saves_output = True

    def forward(self, a, axis, integer_type=None):
        self.axis = axis
        if axis is None:  # a 0-d tensor is its own running product
            return a.astype(_result_type(a, integer_type))
        products = a.cumprod(axis=axis, dtype=integer_type or _accumulation_type(a))
        return products.astype(_result_type(a, integer_type), order="C", copy=False)

    def backward(self, grad):
        a, out, axis = self.inputs[0], self.output, self.axis  # read (and checked) first
        if axis is None or a.shape[axis] == 1:  # its own product: grad passes, even at inf
            return grad, None, None
        if a._data.size == 0:  # as PyTorch: the same (empty) grad, which reads no input
            return grad, None, None
        if not bool((a._data == 0).any()):  # out / a is the product of the others
            return _reversed_cumsum(grad * out, axis) / a, None, None
        if is_grad_enabled():  # create_graph: every product spelled out, to differentiate
            return _cumprod_backward_with_zeros(a, grad, axis), None, None
        return _cumprod_backward_past_first_zero(a, out, grad, axis), None, None


def _reversed_cumsum(values, axis):
    """Element i: the sum of elements i to the end along ``axis``."""
    return values.flip(axis).cumsum(axis).flip(axis)


def _cumprod_backward_past_first_zero(a, out, grad, axis):
    """The gradient of lines that hold a zero, without create_graph, read as PyTorch reads
    them, so that infinities and NaNs land where PyTorch's do. From the first zero on,
    every out_j is 0 whatever a_i is, unless a_i is that zero: so an a_i before the first
    zero gets the sum of grad_j out_j / a_i over the j before that zero; the first zero
    gets the out just before it times the sum, up to the second zero, of grad_j times the
    a between the two; every later a_i gets 0."""
    zeros_so_far = (a == 0).cumsum(axis)
    before_first = zeros_so_far == 0
    up_to_second = zeros_so_far == 1  # from the first zero to before the second
    first_zero = up_to_second & (a == 0)
    # before the first zero: out / a, read only there (a term past it may be NaN)
    before = _reversed_cumsum(where(before_first, grad * out, 0.0), axis) / a
    # at the first zero: out before it times the running product of what follows it
    after_first = where(up_to_second & ~first_zero, a, 1.0).cumprod(axis)
    weighted = (after_first * where(up_to_second, grad, 0.0)).sum(axis, keepdim=True)
    out_before = cat(
        (ones_like(out.narrow(axis, 0, 1)), out.narrow(axis, 0, a.shape[axis] - 1)), axis
    )
    at_first = out_before * weighted
    return where(before_first, before, where(first_zero, at_first, 0.0))


def _cumprod_backward_with_zeros(a, grad, axis):
    """d cumprod / d a_i: the sum over j >= i of grad_j times the product of a_0..a_j
    without a_i, that is the product of the a before i times the running product of those
    after it. Built of ember's ops, so that create_graph differentiates it again, as
    PyTorch's is built (slow path: one position at a time, exact with zeros)."""
    values, grads = a.transpose(axis, -1), grad.transpose(axis, -1)
    columns = []
    for index in range(values.shape[-1]):
        if index:
            before = values[..., :index].prod(-1, keepdim=True)
        else:
            before = ones_like(values[..., :1])
        after = before * values[..., index + 1 :].cumprod(-1)
        columns.append((grads[..., index:] * cat((before, after), -1)).sum(-1))
    return stack(columns, -1).transpose(axis, -1)


def _accumulation_type(a):
    """What PyTorch's cumulative sums and products run in on the CPU: int64 for integers
    and bools, float64 for float32 and float32 for float16 (each output rounded once)."""
    if a.dtype.kind in "biu":
        return "int64"
    return {"e": "float32", "f": "float64"}.get(a.dtype.char, a.dtype)


def _result_type(a, integer_type):
    """The type of a cumulative op: int64 for integers, unless ``dtype=`` named an integer
    type, else ``a``'s own."""
    return integer_type or ("int64" if a.dtype.kind in "biu" else a.dtype)


class Cummax(Gather):
    """cummax's values: the input's elements at the indices found (``running_extreme_at``),
    so that the gradient adds up at the places they came from, as PyTorch scatters it."""


class Cummin(Gather):
    """cummin's values, read as cummax's are."""


def running_extreme_at(data, axis, largest):
    """Where along ``axis`` the running max (min) was last reached: at each element equal
    to it (ties go to the later one, as PyTorch's ``>=`` does), and once a NaN has been met,
    at each later NaN (the running max stays NaN)."""
    namespace = xp(data)
    if data.ndim == 0:
        return namespace.zeros((), "int64")
    extreme = accumulate("maximum" if largest else "minimum", data, axis)
    reached = data == extreme
    if data.dtype.kind == "f":
        reached |= namespace.isnan(data)
    positions = namespace.arange(data.shape[axis], dtype="int64")
    positions = positions.reshape([-1 if dim == axis else 1 for dim in range(data.ndim)])
    found = accumulate("maximum", namespace.where(reached, positions, 0), axis)
    # contiguous, as PyTorch's are, and so the values read at them (NumPy's follow the
    # input's layout)
    return c_contiguous(found)


class Logcumsumexp(Function):
    """log(cumsum(exp(x))) along ``axis``, without overflow: each step adds the next value
    as NumPy's logaddexp does, max + log1p(exp(min - max)), in float64 for float32 and in
    float32 for float16 (each output rounded once), as PyTorch's CPU kernel does. ``axis``
    is None for a 0-d tensor, its own result."""

    listed_inputs = (0,)
    saves_inputs = True
    saves_output = True

    def forward(self, a, axis):
        self.axis = axis
        if axis is None:
            return a.copy()
        sums = accumulate("logaddexp", a.astype(_accumulation_type(a)), axis)
        sums += 0.0  # PyTorch's starts from -inf, so that a first -0 comes out +0
        return sums.astype(a.dtype, order="C", copy=False)

    def backward(self, grad):
        a, out, axis = self.inputs[0], self.output, self.axis
        if axis is None or a._data.size == 0:  # as PyTorch: grad passes, reading no input
            return grad, None
        # d out_j / d a_i = exp(a_i - out_j) for j >= i. The sum over j of grad_j times that
        # is taken in the log domain, the positive and the negative grad_j apart (a log takes
        # no negative number), so that no exp overflows. Where a part has no weight its log
        # is the lowest finite number, as in PyTorch, whose NaNs (at -inf inputs) this keeps.
        # The log of |grad| is taken everywhere, as PyTorch's is, so that a second order
        # into a zero or NaN grad_j is NaN there too.
        lowest = float(xp(grad._data).finfo(grad._data.dtype).min)
        log_sizes = log(grad.abs())

        def through(chosen):
            log_weights = where(chosen, log_sizes, lowest)
            reversed_sums = logcumsumexp((log_weights - out).flip(axis), axis).flip(axis)
            return exp(reversed_sums + a)

        return through(grad > 0) - through(grad < 0), None


def cumsum(input, dim=None, *, dtype=None, axis=None, out=None):
    """The running sums of ``input`` along ``dim``: element i is the sum of elements 0 to i.

    Always give ``dim``: PyTorch has no default. The result has ``input``'s shape.

    >>> x = ember.tensor([[1, 2, 3], [4, 5, 6]])
    >>> ember.cumsum(x, dim=1)
    tensor([[ 1,  3,  6],
            [ 4,  9, 15]])
    """
    refuse_out(out, "cumsum")
    return _cumulative(Cumsum, input, _dim_or_axis(dim, axis, "cumsum"), dtype, "cumsum")


def cumprod(input, dim=None, *, dtype=None, axis=None, out=None):
    refuse_out(out, "cumprod")
    return _cumulative(Cumprod, input, _dim_or_axis(dim, axis, "cumprod"), dtype, "cumprod")


def _dim_or_axis(dim, axis, op_name):
    """``dim``, or NumPy's name for it, ``axis``: one of them, as PyTorch takes."""
    if dim is not None and axis is not None:
        raise TypeError(f"{op_name}() got both 'dim' and its alias 'axis'; give one")
    if dim is None and axis is None:
        raise TypeError(f"{op_name}() missing required argument 'dim'")
    return axis if dim is None else dim


def cummax(input, dim=None, *, out=None, axis=None):
    """The running max along ``dim`` and where each was reached (the later of equal values;
    NaN once one is met)."""
    return _running_extreme(input, _dim_or_axis(dim, axis, "cummax"), out, largest=True)


def cummin(input, dim=None, *, out=None, axis=None):
    return _running_extreme(input, _dim_or_axis(dim, axis, "cummin"), out, largest=False)


def _running_extreme(input, dim, out, largest):
    op_name = "cummax" if largest else "cummin"
    refuse_out(out, op_name)
    dim = integer_argument(dim, op_name, "dim")
    # PyTorch checks no dim of an empty tensor (each gives the same empty result)
    axis = 0 if input._data.size == 0 else input._dim(dim)
    indices = running_extreme_at(input._data, axis, largest)
    values = (Cummax if largest else Cummin).apply(input, indices, axis)
    result_type = return_types.cummax if largest else return_types.cummin
    return result_type(values, Tensor._make(indices))


def logcumsumexp(input, dim=None, *, out=None, axis=None):
    refuse_out(out, "logcumsumexp")
    dim = _dim_or_axis(dim, axis, "logcumsumexp")
    axis = input._dim(integer_argument(dim, "logcumsumexp", "dim"))
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f"logcumsumexp is only implemented for floating point tensors, not {input.dtype}; "
            "convert with .float() first"
        )
    return Logcumsumexp.apply(input, axis if input._data.ndim else None)


def _cumulative(op, input, dim, dtype, op_name):
    axis = input._dim(integer_argument(dim, op_name, "dim"))
    integer_type = None
    if dtype is not None:
        _refuse_bool_running_type(input, dtype, op_name)
        input = in_dtype(input, dtype)
        integer_type = integer_type_of(input)
    return op.apply(input, axis if input.ndim else None, integer_type)


def _refuse_bool_running_type(input, dtype, op_name):
    """PyTorch has no running sum or product in bool; a 0-d or empty tensor, which it
    copies without one, excepted."""
    if to_dtype(dtype) is bool_type and input.ndim and input.numel():
        raise NotImplementedError(
            f"{op_name} is not implemented with dtype=bool; use dtype=ember.int64 (then "
            "!= 0 for bools)"
        )


def diff(input, n=1, dim=-1, prepend=None, append=None, *, axis=None):
    """The n-th forward difference along ``dim``: ``x[1:] - x[:-1]``, n times, after
    joining ``prepend`` and ``append`` to ``input``; for bools, ``!=``."""
    dim = integer_argument(dim if axis is None else axis, "diff", "dim")
    n = integer_argument(n, "diff", "n")
    if input.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional (got a 0-d tensor)")
    if n < 0:
        raise RuntimeError(f"diff: order must be non-negative but got {n}")
    axis = normalize_dims(dim, input.ndim)[0]
    if n == 0:  # a copy of the input alone, prepend and append left out (as in PyTorch)
        return clone(input)
    pieces = [piece for piece in (prepend, input, append) if piece is not None]
    result = cat(pieces, dim) if len(pieces) > 1 else input
    later = (slice(None),) * axis + (slice(1, None),)
    earlier = (slice(None),) * axis + (slice(None, -1),)
    # PyTorch differences at most as many times as there are values: an empty input comes
    # back as it is, the same tensor
    for _ in range(builtins.min(n, result.shape[axis])):
        if result._data.dtype.kind == "b":
            result = result[later] != result[earlier]
        else:
            result = result[later] - result[earlier]
    return result
