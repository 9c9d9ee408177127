"""Element-wise ops: arithmetic, unary math, comparisons and logic.

Each differentiable op is a Function with its forward (on arrays) and its
backward (on tensors) side by side. Broadcasting is NumPy's; summing a
broadcast gradient back to an input's shape is the engine's job, so no
backward here worries about it.
"""

import math

from .. import backend, dtypes
from ..autograd import grad_mode
from ..autograd.function import NOT_SAVED, Function, save, save_each_for_the_other
from ..backend import namespace_of as xp  # the array namespace of an array
from ..device import mixed_device_error
from ..tensor import Tensor

_grad_state = grad_mode.state

# Operands: PyTorch's type promotion and broadcast errors ----------------------


def promote(a, b):
    """Cast tensor operands to the dtype PyTorch gives their result.

    The common cases (same dtype; a float tensor with a Python number) pass
    through untouched, since NumPy already gets them right.
    """
    a_is_tensor = isinstance(a, Tensor)
    b_is_tensor = isinstance(b, Tensor)
    if a_is_tensor and b_is_tensor:
        a_data, b_data = a._data, b._data
        if type(a_data) is not type(b_data):
            a, b = same_device(a, b, "a binary op")
            a_data, b_data = a._data, b._data
        if a_data.dtype == b_data.dtype:
            return a, b
    elif a_is_tensor or b_is_tensor:
        tensor, number = (a, b) if a_is_tensor else (b, a)
        if type(number) is not float and type(number) is not int:  # Python's own: no checks
            number = _as_operand(number)
            a, b = (tensor, number) if a_is_tensor else (number, tensor)
        kind = tensor._data.dtype.kind
        if kind == "f":
            return a, b
        if kind in "iu" and type(number) is int:
            if 0 <= number <= 127:
                return a, b
            return _wrap_integer(a, b, tensor._data.dtype)
    result = dtypes.result_type(a, b)
    return _cast(a, result), _cast(b, result)


def _as_operand(value):
    """What a binary op takes beside a tensor: a NumPy scalar as the Python number it
    holds, a bool or an array as it is. A list, None or a string is PyTorch's TypeError."""
    if isinstance(value, backend.generic_scalar):
        return backend.python_number(value)
    if isinstance(value, (int, float)) or backend.is_array(value):
        return value
    raise TypeError(
        f"a tensor op takes a Tensor or a number, not {type(value).__name__}; "
        "make a tensor of it with ember.tensor(...)"
    )


def same_device(a, b, op_name):
    """Tensors ``a`` and ``b`` on one device, or PyTorch's RuntimeError naming both devices.

    A 0-d CPU tensor next to a CUDA tensor counts as a number, as in PyTorch:
    it is copied to the GPU. Callers compare the arrays' types first, so that
    tensors on one device pay nothing here.
    """
    if a._data.ndim == 0 and not backend.is_cuda_array(a._data):
        return a.to(b.device), b
    if b._data.ndim == 0 and not backend.is_cuda_array(b._data):
        return a, b.to(a.device)
    raise mixed_device_error(a._data, b._data, op_name)


def _other_on_device(input, other, op_name):
    """``other`` (a tensor or a number) beside ``input``, checked as ``same_device`` does."""
    if isinstance(other, Tensor) and type(other._data) is not type(input._data):
        return same_device(input, other, op_name)[1]
    return other


def _wrap_integer(a, b, numpy_type):
    """A Python int outside an integer tensor's range wraps around, as in PyTorch
    (``uint8_tensor + -3`` adds 253), where NumPy would raise OverflowError."""
    if isinstance(a, Tensor):
        return a, wrapped_integer(b, numpy_type)
    return wrapped_integer(a, numpy_type), b


def check_integer_fits(number, tensor):
    """Ops that store a Python int as it is (pow, where, assignment) refuse one that does
    not fit the integer tensor's type, as PyTorch does (``dtypes.checked_number``)."""
    if type(number) is int and tensor._data.dtype.kind in "iu":
        dtypes.checked_number(number, dtypes.from_numpy(tensor._data.dtype))


def check_float_fits(number, tensor):
    """A Python float stored as it is (fill_, masked_fill) must fit the tensor's type:
    NaN, inf or a value out of range in an integer tensor, or a finite value beyond a
    float type's largest, is PyTorch's RuntimeError."""
    if tensor._data.dtype.kind in "iuf":
        dtypes.checked_number(number, dtypes.from_numpy(tensor._data.dtype))


def wrapped_integer(number, numpy_type):
    limits = backend.cpu_namespace.iinfo(numpy_type)
    if limits.min <= number <= limits.max:
        return number
    return int(backend.cpu_namespace.array(number).astype(numpy_type))


def _cast(value, dtype):
    numpy_type = dtype.numpy_type
    if isinstance(value, Tensor) and value._data.dtype != numpy_type:
        return cast(value, numpy_type)
    return value


def cast(input, numpy_type):
    """``input`` as ``numpy_type``: recorded only to a floating type, for an integer or bool
    result has no gradient (in PyTorch ``x.long()`` does not require grad)."""
    if numpy_type.kind == "f":
        return Cast.apply(input, numpy_type)
    return Tensor._make(input._data.astype(numpy_type))


def broadcast_error(a, b):
    """PyTorch's RuntimeError for shapes that do not broadcast, naming both sizes."""
    a_shape = tuple(getattr(a, "shape", ()))
    b_shape = tuple(getattr(b, "shape", ()))
    for offset in range(1, min(len(a_shape), len(b_shape)) + 1):
        size_a, size_b = a_shape[-offset], b_shape[-offset]
        if size_a != size_b and size_a != 1 and size_b != 1:
            dim = max(len(a_shape), len(b_shape)) - offset
            return RuntimeError(
                f"The size of tensor a ({size_a}) must match the size of tensor b ({size_b}) "
                f"at non-singleton dimension {dim} (shapes {list(a_shape)} and {list(b_shape)})"
            )
    return None


def binary(op, a, b, *options):
    """``op`` on two promoted operands (and its own ``options``); shapes that do not
    broadcast raise PyTorch's RuntimeError naming both sizes."""
    if not (
        isinstance(b, Tensor)
        and isinstance(a, Tensor)
        and a._data.dtype == b._data.dtype
        and type(a._data) is type(b._data)
    ):
        a, b = promote(a, b)  # the common case above needs no promotion
    try:
        return op.apply(a, b, *options)
    except ValueError as error:  # NumPy's word for shapes that do not broadcast
        raise broadcast_error(a, b) or error from None


# Arithmetic -------------------------------------------------------------------


class Add(Function):
    def forward(self, a, b):
        return a + b

    def backward(self, grad):
        return grad, grad


class Sub(Function):
    def forward(self, a, b):
        return a - b

    def backward(self, grad):
        return grad, -grad if self.needs_input_grad(1) else None


class ReflectedSub(Sub):
    """``number - tensor``: PyTorch's rsub, whose node lists the tensor alone."""

    listed_inputs = (1,)

    def name(self):
        return "RsubBackward1"


class Mul(Function):
    saves_inputs = True
    save_read_inputs = save_each_for_the_other

    def forward(self, a, b):
        return a * b

    def backward(self, grad):
        a, b = self.inputs
        return (
            grad * b if self.needs_input_grad(0) else None,
            grad * a if self.needs_input_grad(1) else None,
        )


class Div(Function):
    saves_inputs = True

    def save_read_inputs(self, inputs):  # a is read only by b's gradient; b by both
        a, b = inputs
        return (save(a) if self.edges[1] is not None else NOT_SAVED, save(b))

    def forward(self, a, b):
        return a / b

    def backward(self, grad):
        a, b = self.inputs
        grad_a = grad / b if self.needs_input_grad(0) else None
        grad_b = -grad * a / (b * b) if self.needs_input_grad(1) else None
        return grad_a, grad_b


class Pow(Function):
    """a ** b for two tensors; ``PowOfNumber`` and ``NumberToPower`` are the forms with a
    number on one side, which PyTorch names and lists apart."""

    saves_inputs = True

    def forward(self, a, b):
        if type(b) is bool:  # a bool tensor ** a Python bool stays bool
            return (a**b).astype(a.dtype, copy=False) if backend.is_array(a) else a**b
        _refuse_bool_pair(a, b, "pow")
        if _is_integer(a) and backend.is_array(b) and b.dtype.kind in "iu" and (b < 0).any():
            return _integer_power_with_negatives(xp(b).asarray(a, b.dtype), b)
        return a**b

    def backward(self, grad):
        a, b = self.inputs
        grad_a = grad_b = None
        if self.needs_input_grad(0):
            if isinstance(b, Tensor):
                grad_a = where(b == 0, 0.0, grad * b * a ** (b - 1))
            elif b == 2 and not _grad_state.enabled:
                grad_a = grad * 2 * a  # a ** 1 is a when no graph of this backward is kept
            else:
                grad_a = grad * b * a ** (b - 1) if b != 0 else grad * 0
        if self.needs_input_grad(1):
            grad_b = _exponent_grad(grad, a, b)
        return grad_a, grad_b

    def name(self):
        return "PowBackward1"


class PowOfNumber(Pow):
    """tensor ** number."""

    listed_inputs = (0,)

    def name(self):
        return "PowBackward0"


class NumberToPower(Pow):
    """number ** tensor (``Tensor.__rpow__``)."""

    listed_inputs = (1,)

    def name(self):
        return "PowBackward2"


def _exponent_grad(grad, a, b):
    """d(a ** b)/db = a ** b * log(a), taken as 0 where a == 0 and b >= 0 (PyTorch's rule)."""
    if not isinstance(a, Tensor):
        if a == 0:  # a ** b * log(a): +-inf * -inf for b < 0 (the sign of a zero counts)
            return where(b >= 0, 0.0, grad * (a**b) * -math.inf)
        return grad * (a**b) * (math.log(a) if a > 0 else math.nan)  # log of a negative: nan
    zero_base = (a == 0) & (b >= 0)
    safe_base = where(zero_base, 1.0, a)
    return where(zero_base, 0.0, grad * (safe_base**b) * log(safe_base))


def _integer_power_with_negatives(a, b):
    """Integer a ** b where some b < 0: 1 ** b is 1, (-1) ** b is +-1, anything else is 0
    (PyTorch's integer result of 1 / a ** |b|)."""
    namespace = xp(b)
    negative = b < 0
    result = a ** namespace.where(negative, 0, b)
    sign = namespace.where(b % 2 == 0, 1, -1)
    reciprocal = namespace.where(a == 1, 1, namespace.where(a == -1, sign, 0))
    return namespace.where(negative, reciprocal, result).astype(result.dtype)


class Remainder(Function):
    """The remainder with the divisor's sign (Python's rule, which is PyTorch's)."""

    saves_inputs = True

    def forward(self, a, b):
        _refuse_bool_pair(a, b, "remainder")
        _refuse_integer_zero_division(a, b)
        self.tensor_divisor = backend.is_array(b)
        if not self.tensor_divisor:
            self.listed_inputs = (0,)
        if _is_integer(a) and _is_integer(b):
            return a % b
        return _float_remainder(a, b)

    def backward(self, grad):
        a, b = self.inputs
        grad_b = -grad * floor_divide(a, b) if self.needs_input_grad(1) else None
        return grad, grad_b

    def name(self):
        return "RemainderBackward1" if self.tensor_divisor else "RemainderBackward0"


def _float_remainder(a, b):
    """fmod moved by one divisor where the signs differ, as PyTorch computes it. NumPy's
    ``%`` gives the same values but a zero the divisor's sign (``-4.0 % 2`` is 0.0 there
    and -0.0 in PyTorch), and takes twice as long on large arrays."""
    namespace = xp(a if backend.is_array(a) else b)
    result = namespace.fmod(a, b)
    if type(b) is float or type(b) is int:
        moved = result < 0 if b > 0 else result > 0
    else:
        moved = (result != 0) & ((result < 0) != (b < 0))
    return namespace.where(moved, result + b, result)


def floor_divide(a, b):
    """``a // b``: like ``div(rounding_mode="floor")`` but, as in PyTorch, no gradient."""
    a, b = promote(a, b)
    _refuse_bool_pair(_data_of(a), _data_of(b), "floor_divide")
    try:
        return Tensor._make(_rounded_quotient(_data_of(a), _data_of(b), "floor"))
    except ValueError as error:
        raise broadcast_error(a, b) or error from None


class RoundedDiv(Function):
    """``a / b`` rounded down ("floor") or toward zero ("trunc"). A step function: its
    gradient is 0 wherever it has one, and PyTorch gives zeros everywhere."""

    def forward(self, a, b, rounding_mode):
        _refuse_bool_pair(a, b, "div")
        return _rounded_quotient(a, b, rounding_mode)

    def backward(self, grad):
        zeros = Tensor._make(xp(grad._data).zeros_like(grad._data))
        return zeros, zeros if self.needs_input_grad(1) else None, None

    def name(self):
        return "DivBackward2"


def _rounded_quotient(a, b, rounding_mode):
    """The quotient of arrays (or an array and a number) of one promoted type."""
    _refuse_integer_zero_division(a, b)
    if rounding_mode == "floor":
        return a // b
    if _is_integer(a) and _is_integer(b):
        floored = a // b
        inexact = (a % b != 0) & ((a < 0) != (b < 0))
        return floored + inexact.astype(floored.dtype)
    return xp(a if backend.is_array(a) else b).trunc(a / b)


def _refuse_integer_zero_division(dividend, divisor):
    """Integer division by zero has no answer; PyTorch raises where NumPy warns."""
    if not (_is_integer(dividend) and _is_integer(divisor)):
        return
    if divisor == 0 if type(divisor) in (int, bool) else bool((divisor == 0).any()):
        raise RuntimeError("ZeroDivisionError")


def _is_integer(value):
    """A Python int or bool, or an integer or bool array."""
    if type(value) in (int, bool):
        return True
    return getattr(getattr(value, "dtype", None), "kind", "f") in "biu"


def _is_bool(value):
    """A Python bool or a bool array."""
    return type(value) is bool or getattr(getattr(value, "dtype", None), "kind", "") == "b"


def _refuse_bool_pair(a, b, op_name):
    """PyTorch has no integer kernel for bool-with-bool floor division or remainder."""
    if _is_bool(a) and _is_bool(b):
        raise NotImplementedError(f"{op_name} is not implemented for two bool operands")


class Neg(Function):
    def forward(self, a):
        return -a

    def backward(self, grad):
        return -grad


def add(input, other, *, alpha=1):
    if alpha != 1:
        input, other = _scaled_by_alpha(input, other, alpha)
    return binary(Add, input, other)


def sub(input, other, *, alpha=1):
    if alpha != 1:
        refuse_bool_subtraction(input, other)
        input, other = _scaled_by_alpha(input, other, alpha)
    return subtract(input, other)


def _scaled_by_alpha(input, other, alpha):
    """``input`` and ``alpha * other`` in the result's type, as PyTorch computes them:
    scaling ``other`` first would overflow a uint8 ``other`` or make a bool one int64."""
    input, other = promote(input, other)
    result = input if isinstance(input, Tensor) else other
    kind = result._data.dtype.kind
    if kind in "biu" and isinstance(alpha, float):
        raise RuntimeError(
            f"For integral input tensors, argument alpha must not be a floating point number "
            f"(got alpha={alpha}); make the tensors floating point, or alpha an int"
        )
    if kind == "b":  # a bool result: other is kept (alpha != 0) or dropped
        return input, other if alpha else other & False
    return input, other * alpha


def subtract(a, b):
    """``a - b``; PyTorch refuses it when either side is a bool (tensor or Python bool)."""
    refuse_bool_subtraction(a, b)
    return binary(Sub, a, b)


def reflected_subtract(input, other):
    """``other - input`` for a number ``other`` (``Tensor.__rsub__``)."""
    refuse_bool_subtraction(other, input)
    return binary(ReflectedSub, other, input)


def refuse_bool_subtraction(a, b):
    a_kind = a._data.dtype.kind if isinstance(a, Tensor) else a.__class__ is bool and "b"
    b_kind = b._data.dtype.kind if isinstance(b, Tensor) else b.__class__ is bool and "b"
    if a_kind == "b" or b_kind == "b":
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )


def mul(input, other):
    return binary(Mul, input, other)


def div(input, other, *, rounding_mode=None):
    if rounding_mode is None:
        return true_divide(input, other)
    if rounding_mode not in ("floor", "trunc"):
        raise RuntimeError(
            f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
            f"'{rounding_mode}'"
        )
    return binary(RoundedDiv, input, other, rounding_mode)


def true_divide(input, other):
    """Division always gives a float: int tensors promote to the default float type."""
    kind_is_integer = _integer_operands(input, other)
    if kind_is_integer:
        default = dtypes.get_default_dtype()
        input, other = _cast(input, default), _cast(other, default)
    return binary(Div, input, other)


def _integer_operands(a, b):
    a_int = a._data.dtype.kind in "iub" if isinstance(a, Tensor) else not isinstance(a, float)
    b_int = b._data.dtype.kind in "iub" if isinstance(b, Tensor) else not isinstance(b, float)
    return a_int and b_int


def pow(input, exponent):
    if isinstance(exponent, backend.generic_scalar):  # np.float64(2.0): a Python number
        exponent = backend.python_number(exponent)
    kind = type(exponent)
    if kind is int or kind is float or kind is bool:
        if kind is int and isinstance(input, Tensor):
            if exponent < 0 and input._data.dtype.kind in "biu":
                raise RuntimeError("Integers to negative integer powers are not allowed.")
            check_integer_fits(exponent, input)
        return binary(PowOfNumber, input, exponent)
    return binary(Pow if isinstance(input, Tensor) else NumberToPower, input, exponent)


def remainder(input, other):
    return binary(Remainder, input, other)


class Fmod(Function):
    """C's fmod: the remainder of a / b rounded toward zero, with a's sign."""

    saves_inputs = True

    def forward(self, a, b):
        if _is_bool(a) or _is_bool(b):
            raise NotImplementedError("fmod is not implemented for bool tensors")
        _refuse_integer_zero_division(a, b)
        self.tensor_divisor = backend.is_array(b)
        if not self.tensor_divisor:
            self.listed_inputs = (0,)
        return xp(a).fmod(a, b)

    def backward(self, grad):
        a, b = self.inputs
        grad_b = None
        if self.needs_input_grad(1):
            grad_b = -grad * div(a, b, rounding_mode="trunc")
        return grad, grad_b

    def name(self):
        return "FmodBackward1" if self.tensor_divisor else "FmodBackward0"


def fmod(input, other):
    return binary(Fmod, input, other)


class Atan2(Function):
    """The angle of the point (b, a): atan(a / b) in the right quadrant."""

    saves_inputs = True

    def forward(self, a, b):
        return xp(a).arctan2(a, b)

    def backward(self, grad):
        a, b = self.inputs
        squared_radius = a * a + b * b
        scale = where(squared_radius == 0, 0.0, grad / squared_radius)  # PyTorch's 0 at (0, 0)
        return scale * b, -scale * a


def atan2(input, other):
    return _float_binary(Atan2, input, other)


arctan2 = atan2


class Hypot(Function):
    """sqrt(a * a + b * b), without overflow in the squares."""

    saves_inputs = True
    saves_output = True

    def forward(self, a, b):
        if a.dtype.kind != "f":
            raise NotImplementedError(
                f"hypot is only implemented for floating point tensors, not {a.dtype.name}"
            )
        return xp(a).hypot(a, b)

    def backward(self, grad):
        a, b = self.inputs
        scale = grad / self.output
        return scale * a, scale * b


def hypot(input, other):
    return _binary_math(Hypot, input, other)


def _float_binary(op, input, other):
    """``op`` of two operands that PyTorch computes in the default float type when both are
    integers or bools."""
    if _integer_operands(input, other):
        default = dtypes.get_default_dtype()
        input, other = _cast(input, default), _cast(other, default)
    return _binary_math(op, input, other)


def _binary_math(op, input, other):
    """``op`` of two promoted operands; float16 ones compute in float32, rounded once."""
    input, other = promote(input, other)
    if _is_float16(_data_of(input)) or _is_float16(_data_of(other)):
        op = FLOAT16_FORMS[op]
    return binary(op, input, other)


class Fmax(Function):
    """The larger of a and b, or the one that is not NaN. Where a == b the gradient goes
    all to a (PyTorch's rule; ``maximum`` splits it)."""

    saves_inputs = True

    def forward(self, a, b):
        return xp(a).fmax(a, b)

    def backward(self, grad):
        a, b = self.inputs
        return _shares_of_nan_ignoring_extreme(grad, (a >= b) | isnan(b))


class Fmin(Function):
    saves_inputs = True

    def forward(self, a, b):
        return xp(a).fmin(a, b)

    def backward(self, grad):
        a, b = self.inputs
        return _shares_of_nan_ignoring_extreme(grad, (a <= b) | isnan(b))


def _shares_of_nan_ignoring_extreme(grad, a_won):
    return where(a_won, grad, 0.0), where(a_won, 0.0, grad)


def fmax(input, other):
    return binary(Fmax, input, other)


def fmin(input, other):
    return binary(Fmin, input, other)


def neg(input):
    if input._data.dtype.kind == "b":
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. "
            "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    return Neg.apply(input)


# Unary math -------------------------------------------------------------------


def unary_math(op, input):
    """``op`` (exp, sin...) of ``input``. An integer or bool tensor computes in the default
    float type and a float16 one through ``FLOAT16_FORMS``, as in PyTorch; float32 and
    float64, the common case, pass the first test and nothing more."""
    code = input._data.dtype.char
    if code == "f" or code == "d":
        return op.apply(input)
    if code == "e":
        return FLOAT16_FORMS.get(op, op).apply(input)
    return unary_math(op, input.to(dtypes.get_default_dtype()))


class InFloat32:
    """Mixed in before an op, computes its float16 forward as PyTorch's CPU kernels do: in
    float32, rounded once to float16. Where NumPy's float32 functions and PyTorch's differ
    in the last bit, PyTorch's is nearly always the correctly rounded value, so the float32
    result is taken from float64. Measured over all 65,536 float16 values, the unary ops in
    ``FLOAT16_FORMS`` then give PyTorch's bits, but for 4 values of asinh
    (``tests/test_math_round.py``)."""

    __slots__ = ()

    def forward(self, *arguments):
        wide = [value.astype("float64") if _is_float16(value) else value for value in arguments]
        return super().forward(*wide).astype("float32").astype("float16")


def float16_form(op):
    """``op`` with ``InFloat32``'s forward, under ``op``'s name (its node prints as op's)."""
    return type(op.__name__, (InFloat32, op), {"__module__": __name__})


def _is_float16(value):
    return getattr(getattr(value, "dtype", None), "char", "") == "e"


class Exp(Function):
    saves_output = True

    def forward(self, a):
        return xp(a).exp(a)

    def backward(self, grad):
        return grad * self.output


class Log(Function):
    saves_inputs = True

    def forward(self, a):
        return xp(a).log(a)

    def backward(self, grad):
        (a,) = self.inputs
        return grad / a


class Reciprocal(Function):
    saves_output = True

    def forward(self, a):
        return xp(a).reciprocal(a)

    def backward(self, grad):
        out = self.output
        return -grad * (out * out)


class Sqrt(Function):
    saves_output = True

    def forward(self, a):
        return xp(a).sqrt(a)

    def backward(self, grad):
        return grad / (2 * self.output)


class Sin(Function):
    saves_inputs = True

    def forward(self, a):
        return xp(a).sin(a)

    def backward(self, grad):
        (a,) = self.inputs
        return grad * cos(a)


class Cos(Function):
    saves_inputs = True

    def forward(self, a):
        return xp(a).cos(a)

    def backward(self, grad):
        (a,) = self.inputs
        return -grad * sin(a)


class Tanh(Function):
    saves_output = True

    def forward(self, a):
        return xp(a).tanh(a)

    def backward(self, grad):
        out = self.output
        return grad * (1 - out * out)


class Sigmoid(Function):
    saves_output = True

    def forward(self, a):
        # The tanh form never overflows, unlike 1 / (1 + exp(-a)) for a << 0, and is faster.
        half = a.dtype.type(0.5)
        return half + half * xp(a).tanh(half * a)

    def backward(self, grad):
        out = self.output
        return grad * out * (1 - out)


class Float16Sigmoid(Sigmoid):
    """PyTorch's float16 sigmoid: 1 / (1 + exp(-a)) in float32, rounded once, its float32
    exp taken from float64 as in ``InFloat32`` (the whole sigmoid from float64, rounded
    twice, is off for 6 of the 65,536 float16 values)."""

    def forward(self, a):
        exp = xp(a).exp(-a.astype("float64")).astype("float32")
        return (1 / (1 + exp)).astype(a.dtype)

    def name(self):
        return "SigmoidBackward0"


class Relu(Function):
    saves_output = True

    def forward(self, a):
        return xp(a).maximum(a, 0)

    def backward(self, grad):
        return ThresholdBackward.apply(grad, self.output)


class ThresholdBackward(Function):
    """Relu's gradient as one node: ``grad`` where the output is above 0, else 0.

    Relu's output is never negative, so "above 0" is "not 0", which keeps NaN's
    gradient, as in PyTorch. The mask is cast to the gradient's dtype first:
    NumPy multiplies float32 by bool through a casting buffer, 43 us on 256x256
    against 27 us for the cast and a float32 product.
    """

    saves_inputs = True

    def forward(self, grad, output):
        return grad * (output != 0).astype(grad.dtype)

    def backward(self, out_grad):
        _, output = self.inputs
        grad_output = None
        if self.needs_input_grad(1):  # a step in the output: its derivative is 0 (PyTorch's zeros)
            grad_output = Tensor._make(xp(out_grad._data).zeros_like(out_grad._data))
        return ThresholdBackward.apply(out_grad, output), grad_output


class Abs(Function):
    saves_inputs = True

    def forward(self, a):
        return xp(a).abs(a)

    def backward(self, grad):
        (a,) = self.inputs
        return grad * sign(a)


class Clamp(Function):
    """min(max(x, min), max). The gradient goes to x where min <= x <= max; to a tensor
    bound where that bound is the result (max wins when min > max), as in PyTorch."""

    def forward(self, a, min, max, records):
        namespace = xp(a)
        self.tensor_bounds = backend.is_array(min) or backend.is_array(max)
        if not self.tensor_bounds:
            self.listed_inputs = (0,)
        if records:  # only backward reads the masks; taken now, as clamp_ then overwrites a
            self.remember_masks(namespace, a, min, max)
        return namespace.clip(a, min, max)

    def remember_masks(self, namespace, a, min, max):
        inside = None
        if min is not None:
            inside = a >= min
        if max is not None:
            below_max = a <= max
            inside = below_max if inside is None else inside & below_max
        self.inside = inside
        self.min_wins = self.max_wins = None
        if self.tensor_bounds:
            crossed = namespace.asarray(False if min is None or max is None else min > max)
            if min is not None:
                self.min_wins = (a < min) & ~crossed
            if max is not None:
                self.max_wins = (a > max) | crossed

    def backward(self, grad):
        grad_min = grad_max = None
        if self.needs_input_grad(1):
            grad_min = grad * Tensor._make(self.min_wins)
        if self.needs_input_grad(2):
            grad_max = grad * Tensor._make(self.max_wins)
        return grad * Tensor._make(self.inside), grad_min, grad_max

    def name(self):
        return "ClampBackward0" if self.tensor_bounds else "ClampBackward1"


class Maximum(Function):
    """Where both inputs are equal, each gets half the gradient; the input that lost
    gets none; with a NaN on either side both get all of it (PyTorch's rule)."""

    saves_inputs = True

    def forward(self, a, b):
        return xp(a).maximum(a, b)

    def backward(self, grad):
        a, b = self.inputs
        return _shares_of_extreme(grad, a, b, a < b, a > b)


class Minimum(Function):
    saves_inputs = True

    def forward(self, a, b):
        return xp(a).minimum(a, b)

    def backward(self, grad):
        a, b = self.inputs
        return _shares_of_extreme(grad, a, b, a > b, a < b)


def _shares_of_extreme(grad, a, b, a_lost, b_lost):
    split = where(a == b, 0.5, 1.0).to(grad.dtype) * grad
    return where(a_lost, 0.0, split), where(b_lost, 0.0, split)


class Where(Function):
    listed_inputs = (1, 2)  # the condition takes no gradient and is not listed

    def forward(self, condition, a, b):
        self.condition = condition
        return xp(condition).where(condition, a, b)

    def backward(self, grad):
        condition = Tensor._make(self.condition)
        zero = 0.0
        return (
            None,
            where(condition, grad, zero) if self.needs_input_grad(1) else None,
            where(condition, zero, grad) if self.needs_input_grad(2) else None,
        )


class Cast(Function):
    listed_inputs = (0,)

    def forward(self, a, numpy_type):
        return a.astype(numpy_type)

    def backward(self, grad):
        return grad, None  # the engine casts to the input's dtype

    def name(self):
        return "ToCopyBackward0"  # PyTorch's .to(dtype) is a copy to another type


def exp(input):
    return unary_math(Exp, input)


def log(input):
    return unary_math(Log, input)


def sqrt(input):
    return unary_math(Sqrt, input)


def sin(input):
    return unary_math(Sin, input)


def cos(input):
    return unary_math(Cos, input)


def tanh(input):
    return unary_math(Tanh, input)


def sigmoid(input):
    return unary_math(Sigmoid, input)


def relu(input):
    if input._data.dtype.kind == "b":
        raise RuntimeError("Boolean inputs not supported for relu")
    return Relu.apply(input)


def abs(input):
    if input._data.dtype.kind == "b":
        raise NotImplementedError("abs is not implemented for bool tensors; convert with .long()")
    return Abs.apply(input)


def square(input):
    """``input ** 2``, which is what PyTorch records (a bool tensor squares as int64)."""
    if input._data.dtype.kind == "b":
        input = input.to(dtypes.int64)
    return pow(input, 2)


def rsqrt(input):
    return unary_math(Rsqrt, input)


def reciprocal(input):
    return unary_math(Reciprocal, input)


def reflected_true_divide(input, other):
    """``other / input`` for a number ``other``: ``reciprocal(input) * other``, as PyTorch
    computes it; so ``1 / x`` saves its output for backward, not x, and rounds the same."""
    return reciprocal(input) * other


def log2(input):
    return unary_math(Log2, input)


def log10(input):
    return unary_math(Log10, input)


def log1p(input):
    return unary_math(Log1p, input)


def expm1(input):
    return unary_math(Expm1, input)


def exp2(input):
    return unary_math(Exp2, input)


def tan(input):
    return unary_math(Tan, input)


def sinh(input):
    return unary_math(Sinh, input)


def cosh(input):
    return unary_math(Cosh, input)


def asin(input):
    return unary_math(Asin, input)


def acos(input):
    return unary_math(Acos, input)


def atan(input):
    return unary_math(Atan, input)


def asinh(input):
    return unary_math(Asinh, input)


def acosh(input):
    return unary_math(Acosh, input)


def atanh(input):
    return unary_math(Atanh, input)


arcsin, arccos, arctan = asin, acos, atan
arcsinh, arccosh, arctanh = asinh, acosh, atanh


class Rsqrt(Function):
    """1 / sqrt(x), computed as PyTorch does (two roundings in float32 and float64)."""

    saves_output = True

    def forward(self, a):
        namespace = xp(a)
        return namespace.reciprocal(namespace.sqrt(a))

    def backward(self, grad):
        return -0.5 * grad * self.output**3


class Log2(Function):
    saves_inputs = True

    def forward(self, a):
        return xp(a).log2(a)

    def backward(self, grad):
        (a,) = self.inputs
        return grad / (a * math.log(2))


class Log10(Function):
    saves_inputs = True

    def forward(self, a):
        namespace = xp(a)
        if a.dtype == namespace.float32:  # NumPy's float32 log10 is further from PyTorch's
            return namespace.log(a) / a.dtype.type(math.log(10))
        return namespace.log10(a)

    def backward(self, grad):
        (a,) = self.inputs
        return grad / (a * math.log(10))


class Log1p(Function):
    """log(1 + x), accurate for tiny x."""

    saves_inputs = True

    def forward(self, a):
        return xp(a).log1p(a)

    def backward(self, grad):
        (a,) = self.inputs
        return grad / (1 + a)

    def name(self):
        return "Log1PBackward0"


class Expm1(Function):
    """exp(x) - 1, accurate for tiny x."""

    saves_output = True

    def forward(self, a):
        return xp(a).expm1(a)

    def backward(self, grad):
        return grad * (self.output + 1)


class Exp2(Function):
    saves_output = True

    def forward(self, a):
        return xp(a).exp2(a)

    def backward(self, grad):
        return grad * self.output * math.log(2)


class Tan(Function):
    saves_output = True

    def forward(self, a):
        return xp(a).tan(a)

    def backward(self, grad):
        out = self.output
        return grad * (1 + out * out)


class Sinh(Function):
    saves_inputs = True

    def forward(self, a):
        return xp(a).sinh(a)

    def backward(self, grad):
        (a,) = self.inputs
        return grad * cosh(a)


class Cosh(Function):
    saves_inputs = True

    def forward(self, a):
        return xp(a).cosh(a)

    def backward(self, grad):
        (a,) = self.inputs
        return grad * sinh(a)


class Asin(Function):
    saves_inputs = True

    def forward(self, a):
        return xp(a).arcsin(a)

    def backward(self, grad):
        (a,) = self.inputs
        return grad * rsqrt(1 - a * a)


class Acos(Function):
    saves_inputs = True

    def forward(self, a):
        return xp(a).arccos(a)

    def backward(self, grad):
        (a,) = self.inputs
        return -grad * rsqrt(1 - a * a)


class Atan(Function):
    saves_inputs = True

    def forward(self, a):
        return xp(a).arctan(a)

    def backward(self, grad):
        (a,) = self.inputs
        return grad / (a * a + 1)


class Asinh(Function):
    saves_inputs = True

    def forward(self, a):
        return xp(a).arcsinh(a)

    def backward(self, grad):
        (a,) = self.inputs
        return grad * rsqrt(a * a + 1)


class Acosh(Function):
    saves_inputs = True

    def forward(self, a):
        return xp(a).arccosh(a)

    def backward(self, grad):
        (a,) = self.inputs
        return grad * rsqrt(a * a - 1)


class Atanh(Function):
    saves_inputs = True

    def forward(self, a):
        return xp(a).arctanh(a)

    def backward(self, grad):
        (a,) = self.inputs
        return grad / (1 - a * a)


# float16 forms, chosen by measuring all 65,536 float16 values against PyTorch. NumPy's
# own float16 sin and asin give PyTorch's bits, where the float64 route is off for two
# values each. asinh is off for 4 values either way: PyTorch's float32 asinh is not
# correctly rounded there.
FLOAT16_FORMS = {
    op: float16_form(op)
    for op in (Exp, Log, Sqrt, Cos, Tanh, Reciprocal, Rsqrt, Log2, Log10, Log1p, Expm1, Exp2)
    + (Tan, Sinh, Cosh, Acos, Atan, Asinh, Acosh, Atanh, Atan2, Hypot)
}
FLOAT16_FORMS[Sigmoid] = Float16Sigmoid


class PiecewiseConstant(Function):
    """sign, floor, ceil, round, trunc: recorded like PyTorch, with a zero gradient."""

    listed_inputs = (0,)

    def forward(self, a, name, decimals):
        self.label = name.capitalize() + ("Backward1" if decimals is not None else "Backward0")
        namespace = xp(a)
        if a.dtype.kind == "b":
            if name != "sign":
                raise NotImplementedError(f"{name} is not implemented for bool tensors")
            return a.copy()
        if decimals:
            return namespace.round(a, decimals)
        out = getattr(namespace, name)(a)
        if name == "sign" and a.dtype.kind == "f":
            out = namespace.where(namespace.isnan(a), 0, out).astype(a.dtype)  # sign(nan) = 0
        return out

    def backward(self, grad):
        return grad * 0, None, None

    def name(self):
        return self.label


def sign(input):
    return PiecewiseConstant.apply(input, "sign", None)


def floor(input):
    return PiecewiseConstant.apply(input, "floor", None)


def ceil(input):
    return PiecewiseConstant.apply(input, "ceil", None)


def round(input, *, decimals=None):
    """Half to even; with ``decimals`` (PyTorch's other overload, for floats only) to that
    many decimal places, which for float16 PyTorch computes in float32."""
    if decimals is None:
        return PiecewiseConstant.apply(input, "round", None)
    if input._data.dtype.kind in "biu":
        raise NotImplementedError(
            f"round(decimals={decimals}) is not implemented for {input.dtype} tensors; "
            "round(x) without decimals is, or convert with .float()"
        )
    op = _FLOAT16_ROUNDING if input._data.dtype.char == "e" else PiecewiseConstant
    return op.apply(input, "round", decimals)


_FLOAT16_ROUNDING = float16_form(PiecewiseConstant)


def trunc(input):
    return PiecewiseConstant.apply(input, "trunc", None)


fix = trunc


class Frac(Function):
    """x - trunc(x): the fractional part, with x's sign. Its gradient is 1 everywhere."""

    def forward(self, a):
        if a.dtype.kind != "f":
            raise NotImplementedError(
                f"frac is only implemented for floating point tensors, not {a.dtype.name}"
            )
        return a - xp(a).trunc(a)

    def backward(self, grad):
        return grad


def frac(input):
    return Frac.apply(input)


def clamp(input, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    min = _other_on_device(input, backend.python_number(min), "clamp")
    max = _other_on_device(input, backend.python_number(max), "clamp")
    if input._data.dtype.kind in "biu":
        min, max = _integer_bounds(input, min), _integer_bounds(input, max)
    result = dtypes.result_type(input, *[bound for bound in (min, max) if bound is not None])
    input, min, max = _cast(input, result), _cast(min, result), _cast(max, result)
    return Clamp.apply(input, min, max, records=_records_graph(input, min, max))


def _integer_bounds(input, bound):
    """A Python number bound of an integer or bool tensor, as PyTorch takes it: a bool
    tensor has no clamp by a Python bool; an int must fit an integer tensor's type (a
    negative one wraps into uint8)."""
    if input._data.dtype.kind == "b":
        if type(bound) is bool:
            raise NotImplementedError(
                "clamp of a bool tensor by a Python bool is not implemented; convert the "
                "tensor with .long() first"
            )
        return bound
    if type(bound) is int:
        check_integer_fits(bound, input)
        return wrapped_integer(bound, input._data.dtype)
    return bound


def _records_graph(*inputs):
    """Whether ``Function.apply`` will record a node for these inputs."""
    if not _grad_state.enabled:
        return False
    return any(isinstance(value, Tensor) and value.requires_grad for value in inputs)


clip = clamp


def clamp_min(input, min):
    return clamp(input, min=min)


def clamp_max(input, max):
    return clamp(input, max=max)


def maximum(input, other):
    return binary(Maximum, input, other)


def minimum(input, other):
    return binary(Minimum, input, other)


def where(condition, input=None, other=None):
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    if not isinstance(condition, Tensor) or condition._data.dtype.kind != "b":
        raise RuntimeError("where expected condition to be a boolean tensor")
    input = _other_on_device(condition, input, "where")
    other = _other_on_device(condition, other, "where")
    if isinstance(input, Tensor):
        check_integer_fits(other, input)
    elif isinstance(other, Tensor):
        check_integer_fits(input, other)
    input, other = promote(input, other)
    if isinstance(input, Tensor) != isinstance(other, Tensor):
        tensor = input if isinstance(input, Tensor) else other
        if tensor._data.dtype.kind == "u":
            input, other = _wrap_integer(input, other, tensor._data.dtype)
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        numpy_type = dtypes.result_type(input, other).numpy_type
        namespace = xp(condition._data)
        input, other = namespace.asarray(input, numpy_type), namespace.asarray(other, numpy_type)
    try:
        return Where.apply(condition, input, other)
    except ValueError:
        for first, second in ((condition, input), (condition, other), (input, other)):
            error = broadcast_error(first, second)
            if error is not None:
                raise error from None
        raise


class Lerp(Function):
    """start + weight * (end - start), computed from the nearer end as PyTorch computes it,
    so that weight 1 gives end exactly."""

    saves_inputs = True

    def forward(self, start, end, weight):
        span = end - start
        self.tensor_weight = backend.is_array(weight)
        if not self.tensor_weight:
            self.listed_inputs = (0, 1)
            weight = span.dtype.type(weight)  # PyTorch's weight is of the tensors' type
            return start + weight * span if -0.5 < weight < 0.5 else end - span * (1 - weight)
        near_start = xp(span).abs(weight) < 0.5
        return xp(span).where(near_start, start + weight * span, end - span * (1 - weight))

    def backward(self, grad):
        start, end, weight = self.inputs
        grad_weight = grad * (end - start) if self.needs_input_grad(2) else None
        return grad * (1 - weight), grad * weight, grad_weight

    def name(self):
        return "LerpBackward1" if self.tensor_weight else "LerpBackward0"


FLOAT16_FORMS[Lerp] = float16_form(Lerp)


def lerp(input, end, weight):
    """``input + weight * (end - input)``: ``end`` is a tensor of input's (floating) dtype;
    ``weight`` a number, or a tensor of that dtype (or 0-d)."""
    _refuse_other_dtype(input, end, "end")
    if isinstance(weight, Tensor) and weight._data.ndim:
        _refuse_other_dtype(input, weight, "weight")
    elif isinstance(weight, Tensor):
        weight = weight.to(input.dtype)
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f"lerp is only implemented for floating point tensors, not {input.dtype}"
        )
    op = FLOAT16_FORMS[Lerp] if input._data.dtype.char == "e" else Lerp
    end, weight = _other_on_device(input, end, "lerp"), _other_on_device(input, weight, "lerp")
    try:
        return op.apply(input, end, weight)
    except ValueError:  # NumPy's word for shapes that do not broadcast
        raise broadcast_error(input, end) or broadcast_error(input, weight) from None


def _refuse_other_dtype(input, other, name):
    if not isinstance(other, Tensor):
        raise TypeError(f"lerp(): argument '{name}' must be a Tensor, not {type(other).__name__}")
    if other._data.dtype != input._data.dtype:
        raise RuntimeError(
            f"lerp expected dtype {input.dtype} for `{name}` but got dtype {other.dtype}; "
            "convert it with .to(input.dtype)"
        )


def addcmul(input, tensor1, tensor2, *, value=1):
    """``input + value * tensor1 * tensor2``, multiplied in that order, in the three
    tensors' common type, as PyTorch computes it."""
    (input, tensor1, tensor2), result = _in_common_type("addcmul", input, tensor1, tensor2)
    if not result.is_floating_point and isinstance(value, float):
        value = int(value)  # PyTorch keeps value's int part for integer tensors
    return to_dtype(input + tensor1 * value * tensor2, result)


def addcdiv(input, tensor1, tensor2, *, value=1):
    """``input + value * tensor1 / tensor2``, in that order (PyTorch's)."""
    if _integer_operands(tensor1, tensor2):
        raise RuntimeError(
            "Integer division with addcdiv is not supported (PyTorch removed it): make "
            "tensor1 or tensor2 floating point, e.g. with .float()"
        )
    (input, tensor1, tensor2), result = _in_common_type("addcdiv", input, tensor1, tensor2)
    return to_dtype(input + tensor1 * value / tensor2, result)


def _in_common_type(op_name, *tensors):
    """The tensors in the type PyTorch computes a fused op in (float32 for a float16
    result, rounded once at the end), and the result's type."""
    result = dtypes.result_type(*tensors)
    if result is dtypes.bool:
        raise NotImplementedError(f"{op_name} is not implemented for bool tensors")
    compute = dtypes.float32 if result is dtypes.float16 else result
    return [_cast(tensor, compute) for tensor in tensors], result


def to_dtype(input, dtype):
    numpy_type = dtypes.to_dtype(dtype).numpy_type
    if input._data.dtype == numpy_type:
        return input
    return cast(input, numpy_type)


# Comparisons and logic: results are bool tensors, never part of a graph --------


def _compare(a, b, operator_name):
    a, b = promote(a, b)
    a_data = _data_of(a)
    try:
        return Tensor._make(getattr(a_data, operator_name)(_data_of(b)))
    except ValueError as error:
        raise broadcast_error(a, b) or error from None


def eq(a, b):
    return _compare(a, b, "__eq__")


def ne(a, b):
    return _compare(a, b, "__ne__")


def lt(a, b):
    return _compare(a, b, "__lt__")


def le(a, b):
    return _compare(a, b, "__le__")


def gt(a, b):
    return _compare(a, b, "__gt__")


def ge(a, b):
    return _compare(a, b, "__ge__")


def _bitwise(a, b, operator_name):
    for operand in (a, b):
        kind = operand._data.dtype.kind if isinstance(operand, Tensor) else "i"
        if kind == "f" or isinstance(operand, float):
            raise NotImplementedError(
                f"bitwise_{operator_name} is only supported for integer and bool tensors"
            )
    return _compare(a, b, f"__{operator_name}__")


def bitwise_and(a, b):
    return _bitwise(a, b, "and")


def bitwise_or(a, b):
    return _bitwise(a, b, "or")


def bitwise_xor(a, b):
    return _bitwise(a, b, "xor")


def bitwise_not(input):
    if input._data.dtype.kind == "f":
        raise TypeError("~ (bitwise_not) is only supported for integer and bool tensors")
    return Tensor._make(~input._data)


def logical_not(input):
    return Tensor._make(xp(input._data).logical_not(input._data))


def logical_and(input, other):
    return _logical(input, other, "logical_and")


def logical_or(input, other):
    return _logical(input, other, "logical_or")


def logical_xor(input, other):
    return _logical(input, other, "logical_xor")


def _logical(input, other, name):
    other = _other_on_device(input, other, name)
    try:
        return Tensor._make(getattr(xp(input._data), name)(input._data, _data_of(other)))
    except ValueError as error:
        raise broadcast_error(input, other) or error from None


def _data_of(value):
    return value._data if isinstance(value, Tensor) else value


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    other = _other_on_device(input, other, "isclose")
    if isinstance(other, Tensor) and other._data.dtype != input._data.dtype:
        raise RuntimeError(
            f"isclose: {input.dtype} did not match {other.dtype}; convert one with .to()"
        )
    return Tensor._make(
        xp(input._data).isclose(input._data, _data_of(other), rtol, atol, equal_nan)
    )


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def equal(input, other):
    if type(input._data) is not type(other._data):
        raise mixed_device_error(input._data, other._data, "equal")
    return input.shape == other.shape and bool((input._data == other._data).all())


def isnan(input):
    return Tensor._make(xp(input._data).isnan(input._data))


def isinf(input):
    return Tensor._make(xp(input._data).isinf(input._data))


def isfinite(input):
    return Tensor._make(xp(input._data).isfinite(input._data))
