"""Element-wise arithmetic: ``+ - * / ** // %``, the binary math (fmod, atan2, hypot,
xlogy, fmax, fmin, logaddexp), the fused ops (lerp, addcmul, addcdiv) and nan_to_num.

Each differentiable op is a Function with its forward (on arrays) and its
backward (on tensors) side by side. The operands reach it through ``binary``
(operands.py): promoted to PyTorch's result type, on one device. Broadcasting is
NumPy's; summing a broadcast gradient back to an input's shape is the engine's job, so
no backward here worries about it. ``log`` and ``reciprocal`` are imported at the end of
this module, once its names exist (unary_math, where they live, imports ``pow`` from
here).
"""

import math

from .. import backend, dtypes
from ..arguments import check_tensors, float_argument, type_name
from ..autograd import grad_mode
from ..autograd.function import (
    NOT_SAVED,
    Function,
    save,
    save_each_for_itself,
    save_each_for_the_other,
)
from ..backend import namespace_of as xp  # the array namespace of an array
from ..tensor import Tensor
from .comparisons import isnan
from .float16 import WidenedToFloat32, float16_form, is_float16
from .operands import (
    binary,
    broadcast_error,
    cast_to,
    check_integer_fits,
    data_of,
    is_foreign,
    other_on_device,
    promote,
    to_dtype,
)
from .selection import where

_grad_state = grad_mode.state

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
        # (a / b) / b, as PyTorch: b * b would overflow for |b| > 256 in float16
        grad_b = -grad * ((a / b) / b) if self.needs_input_grad(1) else None
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
        if (b.__class__ is float or b.__class__ is int) and a.dtype.char in "fd":
            # PyTorch's own forms of three exponents (float16 takes C's pow; NumPy takes
            # 2 and 0.5 as square and sqrt already, as PyTorch does)
            if b == 3:  # C's pow rounds otherwise, and takes ~60 ns an element below 0
                return a * a * a
            if b == -2:
                return 1 / (a * a)
            if b == -0.5:  # rsqrt: -inf at -0 and NaN at -inf, where pow gives +inf and 0
                return 1 / xp(a).sqrt(a)
        return a**b

    def backward(self, grad):
        a, b = self.inputs
        grad_a = grad_b = None
        if self.needs_input_grad(0):
            # grad * (b * a ** (b - 1)), in PyTorch's order: grad * b may overflow where
            # the product with a ** (b - 1) would not (0 for b == 0: +0 whatever the grad)
            if isinstance(b, Tensor):
                grad_a = where(b == 0, 0.0, grad * (b * a ** (b - 1)))
            elif b == 2 and not _grad_state.enabled:
                grad_a = grad * (2 * a)  # a ** 1 is a when no graph of this backward is kept
            elif b == 0:
                grad_a = Tensor._make(xp(grad._data).zeros_like(grad._data))
            else:
                grad_a = grad * (b * a ** (b - 1))
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
    # grad * (a ** b * log(a)), in PyTorch's order (a subnormal a ** b rounds otherwise),
    # and grad times the 0, so that a negative grad gives -0 there as in PyTorch
    if not isinstance(a, Tensor):
        if a == 0:  # a ** b * log(a): +-inf * -inf for b < 0 (the sign of a zero counts)
            return grad * where(b >= 0, 0.0, (a**b) * -math.inf)
        return grad * ((a**b) * (math.log(a) if a > 0 else math.nan))  # log(negative): nan
    zero_base = (a == 0) & (b >= 0)
    safe_base = where(zero_base, 1.0, a)
    return grad * where(zero_base, 0.0, (safe_base**b) * log(safe_base))


def _integer_power_with_negatives(a, b):
    """Integer a ** b where some b < 0: 1 ** b is 1, (-1) ** b is +-1, anything else is 0
    (PyTorch's integer result of 1 / a ** |b|)."""
    namespace = xp(b)
    negative = b < 0
    result = a ** namespace.where(negative, 0, b)
    sign = namespace.where(b % 2 == 0, 1, -1)
    reciprocal = namespace.where(a == 1, 1, namespace.where(a == -1, sign, 0))
    return namespace.where(negative, reciprocal, result).astype(result.dtype)


def save_for_the_divisor(node, inputs):
    """What remainder and fmod save: only the divisor's gradient reads the operands, so
    when it takes none they keep nothing (changing them in place is then no error)."""
    if node.edges[1] is None:
        return NOT_SAVED, NOT_SAVED
    return save(inputs[0]), save(inputs[1])


class Remainder(Function):
    """The remainder with the divisor's sign (Python's rule, which is PyTorch's)."""

    saves_inputs = True
    save_read_inputs = save_for_the_divisor

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


def floor_divide(input, other):
    """``input // other``: like ``div(rounding_mode="floor")`` but, as in PyTorch, no
    gradient."""
    a, b = promote(input, other)
    _refuse_bool_pair(data_of(a), data_of(b), "floor_divide")
    try:
        return Tensor._make(_rounded_quotient(data_of(a), data_of(b), "floor"))
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
    """Integer division by zero has no answer; PyTorch raises where NumPy warns. An
    empty operand makes an empty result, which divides nothing: no error, as in PyTorch."""
    if not (_is_integer(dividend) and _is_integer(divisor)):
        return
    if getattr(dividend, "size", 1) == 0 or getattr(divisor, "size", 1) == 0:
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
    if alpha != 1 or type(alpha) is not int:  # 1.0 and True are checked too
        input, other = _scaled_by_alpha(input, other, alpha)
    return binary(Add, input, other)


def sub(input, other, *, alpha=1):
    if alpha != 1 or type(alpha) is not int:
        refuse_bool_subtraction(input, other)
        input, other = _scaled_by_alpha(input, other, alpha)
    return subtract(input, other)


def _scaled_by_alpha(input, other, alpha):
    """``input`` and ``alpha * other`` in the result's type, as PyTorch computes them:
    scaling ``other`` first would overflow a uint8 ``other`` or make a bool one int64."""
    input, other = promote(input, other)
    result = input if isinstance(input, Tensor) else other
    return input, times_alpha(other, alpha, result._data.dtype.kind)


def times_alpha(other, alpha, result_kind):
    """``alpha * other`` for add and sub, ``other`` being already of the result's dtype,
    whose NumPy kind is ``result_kind``. As PyTorch's: a float alpha is refused for an
    integral or bool result, a bool alpha for any but a bool one; a bool result keeps
    ``other`` or, for alpha 0, drops it."""
    if isinstance(alpha, bool):
        if result_kind != "b":
            raise RuntimeError(
                f"Boolean alpha only supported for Boolean results (got alpha={alpha} for "
                "a result that is not bool); give alpha as a number"
            )
    elif result_kind in "biu" and isinstance(alpha, float):
        raise RuntimeError(
            f"For integral input tensors, argument alpha must not be a floating point number "
            f"(got alpha={alpha}); make the tensors floating point, or alpha an int"
        )
    if result_kind == "b":
        return other if alpha else other & False
    return other * alpha


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
        for name, operand in (("input", a), ("other", b)):
            if is_foreign(operand):  # PyTorch's parser refuses it before the bool is seen
                raise TypeError(
                    f"sub(): argument '{name}' must be Tensor or a number, not {type_name(operand)}"
                )
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
        input, other = cast_to(input, default), cast_to(other, default)
    return binary(Div, input, other)


def reflected_true_divide(input, other):
    """``other / input`` for a number ``other``: ``reciprocal(input) * other``, as PyTorch
    computes it; so ``1 / x`` saves its output for backward, not x, and rounds the same."""
    return reciprocal(input) * other


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
    save_read_inputs = save_for_the_divisor

    def forward(self, a, b):
        if _is_bool(a):  # promoted: a bool divisor beside numbers reads as 0 or 1
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
        # PyTorch's 0 where the squares vanish; grad * b first, as PyTorch multiplies (a
        # huge b times grad overflows to inf, and inf * 0 is NaN there too)
        reciprocal = where(squared_radius == 0, 0.0, 1 / squared_radius)
        return grad * b * reciprocal, grad * -a * reciprocal


def atan2(input, other):
    check_tensors("atan2", other=other)  # PyTorch takes no number here, unlike in `+`
    return _float_binary(Atan2, input, other)


arctan2 = atan2


class Hypot(Function):
    """sqrt(a * a + b * b), without overflow in the squares."""

    saves_inputs = True
    saves_output = True
    save_read_inputs = save_each_for_itself

    def forward(self, a, b):
        if a.dtype.kind != "f":
            raise NotImplementedError(
                f"hypot is only implemented for floating point tensors, not {a.dtype.name}"
            )
        return xp(a).hypot(a, b)

    def backward(self, grad):
        a, b = self.inputs
        # grad * a / hypot, in that order: grad / hypot overflows where hypot is subnormal
        return (
            grad * a / self.output if self.needs_input_grad(0) else None,
            grad * b / self.output if self.needs_input_grad(1) else None,
        )


def hypot(input, other):
    check_tensors("hypot", other=other)  # PyTorch takes no number here, unlike in `+`
    return _binary_math(Hypot, input, other)


class Xlogy(Function):
    """x * log(y), and 0 where x is 0 (even where log(y) is -inf or NaN), but NaN where y
    is NaN. Either operand may be a number, as in PyTorch's three overloads."""

    saves_inputs = True  # each gradient reads both operands
    number_at = None  # which operand is a number: None, 0 or 1

    def forward(self, x, y):
        if not backend.is_array(x):
            self.number_at, self.listed_inputs = 0, (1,)
        elif not backend.is_array(y):
            self.number_at, self.listed_inputs = 1, (0,)
        array = y if self.number_at == 0 else x
        namespace = xp(array)
        # a number computes in the tensor's dtype, as PyTorch makes it a 0-d tensor
        x, y = namespace.asarray(x, array.dtype), namespace.asarray(y, array.dtype)
        zero_times_log = (x == 0) & ~namespace.isnan(y)
        product = namespace.where(zero_times_log, 0, x * namespace.log(y))
        return product.astype(array.dtype, copy=False)

    def backward(self, grad):
        x, y = self.inputs
        grad_x = grad_y = None
        if self.needs_input_grad(0):
            # PyTorch's rule: 0, not -inf or NaN, where x == 0 and y <= 0 (or y is a NaN
            # number: PyTorch's test for a number is "not y > 0")
            y_not_positive = y <= 0 if self.number_at is None else not y > 0
            grad_x = where((x == 0) & y_not_positive, 0.0, xlogy(grad, y))
        if self.needs_input_grad(1):
            grad_y = grad * x / y
        return grad_x, grad_y

    def name(self):
        return f"XlogyBackward{0 if self.number_at is None else self.number_at + 1}"


def xlogy(input, other):
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise TypeError(
            f"xlogy() takes a tensor as input or as other, not {type(input).__name__} and "
            f"{type(other).__name__}; make one with ember.tensor(...)"
        )
    return _float_binary(Xlogy, input, other)


# float16 forms of the binary math above (lerp's is added after it): in float32,
# rounded once, as PyTorch computes them (float16.py).
FLOAT16_FORMS = {op: float16_form(op) for op in (Atan2, Hypot)}
# PyTorch's float16 xlogy rounds log(y) to float16 before it multiplies, as NumPy's own
# float16 log and product do: it is its own float16 form.
FLOAT16_FORMS[Xlogy] = Xlogy


def _float_binary(op, input, other):
    """``op`` of two operands that PyTorch computes in the default float type when both are
    integers or bools."""
    if _integer_operands(input, other):
        default = dtypes.get_default_dtype()
        input, other = cast_to(input, default), cast_to(other, default)
    return _binary_math(op, input, other)


def _binary_math(op, input, other):
    """``op`` of two promoted operands; float16 ones compute in float32, rounded once."""
    input, other = promote(input, other)
    if is_float16(data_of(input)) or is_float16(data_of(other)):
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


# Fused arithmetic -------------------------------------------------------------


class Lerp(Function):
    """start + weight * (end - start), computed from the nearer end as PyTorch computes it,
    so that weight 1 gives end exactly, and rounded once."""

    saves_inputs = True

    def save_read_inputs(self, inputs):  # start and end are read only by weight's gradient
        if self.edges[2] is not None:
            return tuple(map(save, inputs))
        return NOT_SAVED, NOT_SAVED, save(inputs[2])

    def forward(self, start, end, weight):
        # PyTorch's form: start + weight * span near start, end - (1 - weight) * span near
        # end, each one fused multiply-add (the sign of a zero result is its scalar loop's)
        span = end - start
        self.tensor_weight = backend.is_array(weight)
        if not self.tensor_weight:
            self.listed_inputs = (0, 1)
            weight = span.dtype.type(weight)  # PyTorch's weight is of the tensors' type
            if -0.5 < weight < 0.5:
                return multiply_add_rounded_once(span, weight, start)
            return multiply_add_rounded_once(span, -(1 - weight), end)
        near_start = xp(span).abs(weight) < 0.5
        coefficient = backend.select(near_start, weight, -(1 - weight))
        base = backend.select(near_start, start, end)
        return multiply_add_rounded_once(span, coefficient, base)

    def backward(self, grad):
        start, end, weight = self.inputs
        grad_weight = grad * (end - start) if self.needs_input_grad(2) else None
        return grad * (1 - weight), grad * weight, grad_weight

    def name(self):
        return "LerpBackward1" if self.tensor_weight else "LerpBackward0"


FLOAT16_FORMS[Lerp] = float16_form(Lerp, WidenedToFloat32)


def multiply_add_rounded_once(a, b, c):
    """a * b + c as the fused multiply-add of PyTorch's CPU kernels rounds it, for float32:
    in float64, where the product is exact, rounded to float32 (a double rounding changes
    about one result in 2**29; fused_multiply_add.multiply_add rounds exactly, 70 times
    slower). float64 rounds twice: 1 ulp off in about a quarter of the results."""
    if a.dtype.char not in "ef":  # (float16 as float32: its product is exact there too)
        return a * b + c
    result = a.astype("float64") * b
    result += c
    return result.astype(a.dtype)


def lerp(input, end, weight):
    """``input + weight * (end - input)``: ``end`` is a tensor of input's dtype; ``weight``
    a number, or a tensor of that dtype, or a 0-d tensor, which takes part in the result's
    dtype as any 0-d operand does (integer ends and a 0-d float weight give floats)."""
    _refuse_other_dtype(input, end, "end")
    if isinstance(weight, Tensor) and weight._data.ndim:
        _refuse_other_dtype(input, weight, "weight")
    elif isinstance(weight, Tensor):
        common = dtypes.result_type(input, end, weight)
        input, end, weight = (to_dtype(value, common) for value in (input, end, weight))
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f"lerp is only implemented for floating point tensors, not {input.dtype}"
        )
    op = FLOAT16_FORMS[Lerp] if input._data.dtype.char == "e" else Lerp
    end, weight = other_on_device(input, end, "lerp"), other_on_device(input, weight, "lerp")
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


def _in_common_type(op_name, input, tensor1, tensor2):
    """The three tensors in the type PyTorch computes a fused op in (float32 for a float16
    result, rounded once at the end), and the result's type. A number in place of one is
    PyTorch's TypeError, as its value has its own argument."""
    check_tensors(op_name, input=input, tensor1=tensor1, tensor2=tensor2)
    tensors = (input, tensor1, tensor2)
    result = dtypes.result_type(*tensors)
    if result is dtypes.bool:
        raise NotImplementedError(f"{op_name} is not implemented for bool tensors")
    compute = dtypes.float32 if result is dtypes.float16 else result
    return [cast_to(tensor, compute) for tensor in tensors], result


# log(exp(a) + exp(b)) and its base-2 twin, and nan_to_num ----------------------------


class Logaddexp(Function):
    """log(exp(a) + exp(b)), without overflow in the exponentials. Each operand's share of
    the gradient is its softmax weight, 1 / (1 + exp(other - self))."""

    saves_inputs = True

    def forward(self, a, b):
        return xp(a).logaddexp(a, b)

    def backward(self, grad):
        a, b = self.inputs
        return grad / (1 + (b - a).exp()), grad / (1 + (a - b).exp())


class Logaddexp2(Function):
    """log2(2**a + 2**b); the shares of the gradient are 1 / (1 + 2 ** (other - self))."""

    saves_inputs = True

    def forward(self, a, b):
        return xp(a).logaddexp2(a, b)

    def backward(self, grad):
        a, b = self.inputs
        return grad / (1 + (b - a).exp2()), grad / (1 + (a - b).exp2())


FLOAT16_FORMS.update({op: float16_form(op) for op in (Logaddexp, Logaddexp2)})


def logaddexp(input, other):
    return _floating_pair(Logaddexp, input, other, "logaddexp")


def logaddexp2(input, other):
    return _floating_pair(Logaddexp2, input, other, "logaddexp2")


def _floating_pair(op, input, other, op_name):
    """``op`` of two tensors whose common type is floating (PyTorch has no integer kernel)."""
    check_tensors(op_name, input=input, other=other)
    if not dtypes.result_type(input, other).is_floating_point:
        raise NotImplementedError(
            f"{op_name} is not implemented for {input.dtype} and {other.dtype}: make one "
            "operand floating point, e.g. with .float()"
        )
    return _binary_math(op, input, other)


class NanToNum(Function):
    """NaN, +inf and -inf replaced by numbers; the gradient flows only where the input was
    finite. It is multiplied by that mask, as PyTorch's is, so an inf or NaN gradient that
    reaches a replaced element gives NaN there, not 0."""

    listed_inputs = (0,)

    def forward(self, a, nan, posinf, neginf):
        namespace = xp(a)
        self.finite = namespace.isfinite(a)
        # PyTorch's result of an expanded input is contiguous; NumPy's copy would keep the
        # zero strides' order, which .view() cannot follow
        copy = a.copy(order="C" if 0 in a.strides else "K")
        # cast here, where a number past the dtype's range becomes inf without NumPy's
        # overflow warning (ember's modules' are silenced), as PyTorch's does
        nan, posinf, neginf = (
            None if value is None else a.dtype.type(value) for value in (nan, posinf, neginf)
        )
        return namespace.nan_to_num(copy, copy=False, nan=nan, posinf=posinf, neginf=neginf)

    def backward(self, grad):
        finite = Tensor._make(self.finite.astype(grad._data.dtype))
        return grad * finite, None, None, None


def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    """NaN becomes ``nan``, +inf ``posinf`` and -inf ``neginf``; None means the dtype's
    largest (smallest) finite value. Integer and bool tensors hold none: a copy."""
    nan, posinf, neginf = (
        _optional_float(value, name)
        for value, name in ((nan, "nan"), (posinf, "posinf"), (neginf, "neginf"))
    )
    if input._data.dtype.kind != "f":
        return Tensor._make(input._data.copy())
    return NanToNum.apply(input, 0.0 if nan is None else nan, posinf, neginf)


def _optional_float(value, name):
    return None if value is None else float(float_argument(value, "nan_to_num", name))


# Last: unary_math imports pow from this module, which is imported first.
from .unary_math import log, reciprocal  # noqa: E402
