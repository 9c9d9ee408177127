"""Element-wise functions beyond the everyday ones, each a Function with its gradient beside
it (or, without a gradient, a plain function):

- the parts of a float: copysign, signbit, sgn, frexp, ldexp and nextafter;
- angles and steps: deg2rad, rad2deg, heaviside, and the unary ``positive``;
- float_power (a power in float64), logit and sinc;
- for integers, gcd and lcm;
- two of ``ember.special``'s: xlog1py and entr.

Dtypes follow PyTorch: integer and bool operands of the float functions compute in the
default float type; float16 ones as PyTorch's kernels compute them (in float32, rounded once,
but logit, entr and xlog1py in float16 steps), which gives PyTorch's bits for every float16
value; the ops that PyTorch has no kernel for (gcd of floats, nextafter of integers) raise
its NotImplementedError.
"""

import math

from .. import backend, dtypes, return_types
from ..arguments import float_argument, type_name
from ..autograd import grad_mode
from ..autograd.function import NOT_SAVED, Function, save
from ..backend import namespace_of as xp  # the array namespace of an array
from ..creation import refuse_out
from ..tensor import Tensor
from .elementwise import pow
from .operands import binary, broadcast_error, cast_to, other_on_device, to_dtype
from .rounding import PiecewiseConstant
from .selection import where
from .unary_math import as_floating, cos, log, sin, unary_math


def _in_float32_if_half(forward):
    """``forward(self, a, ...)`` computed in float32 for a float16 ``a`` and rounded once,
    as PyTorch's float16 kernels compute."""

    def forward_rounding_half_once(self, a, *options):
        if a.dtype.char != "e":
            return forward(self, a, *options)
        return forward(self, a.astype("float32"), *options).astype("float16")

    return forward_rounding_half_once


def _zeros_like(grad):
    return Tensor._make(xp(grad._data).zeros_like(grad._data))


def _float_operands(op, input, other):
    """``op`` of two operands in their common type, or the default float type where that is
    an integer or bool type (PyTorch's rule for its float functions of two operands)."""
    result = dtypes.result_type(input, other)
    if not result.is_floating_point:
        result = dtypes.get_default_dtype()
    return binary(op, cast_to(input, result), cast_to(other, result))


def _refuse_number(value, op_name, name, position):
    if not isinstance(value, Tensor):
        raise TypeError(
            f"{op_name}(): argument '{name}' (position {position}) must be Tensor, not "
            f"{type(value).__name__} (make one with ember.tensor(...))"
        )


# The parts of a float ------------------------------------------------------------------


class Copysign(Function):
    """|a| with b's sign. The gradient to a is +-1 (0 where a is 0: PyTorch's rule); b's
    is 0, for the result does not change as b moves within its sign."""

    saves_inputs = True
    saves_output = True

    def save_read_inputs(self, inputs):  # only a's gradient reads a; nothing reads b
        return (save(inputs[0]) if self.edges[0] is not None else NOT_SAVED, NOT_SAVED)

    def forward(self, a, b):
        self.number_sign = not backend.is_array(b)
        if self.number_sign:
            self.listed_inputs = (0,)
        return xp(a).copysign(a, b)

    def backward(self, grad):
        grad_a = grad_b = None
        if self.needs_input_grad(0):
            a = self.inputs[0]
            grad_a = grad * where(a == 0, 0.0, self.output / a)
        if self.needs_input_grad(1):
            grad_b = _zeros_like(grad)
        return grad_a, grad_b

    def name(self):
        return "CopysignBackward1" if self.number_sign else "CopysignBackward0"


def copysign(input, other, *, out=None):
    refuse_out(out, "copysign")
    return _float_operands(Copysign, input, other)


def signbit(input, *, out=None):
    """Whether the sign bit is set: True for -0.0 and a negative NaN too. No gradient."""
    refuse_out(out, "signbit")
    data = input._data
    if data.dtype.kind == "f":
        return Tensor._make(xp(data).signbit(data))
    return Tensor._make(data < 0)  # False throughout for bool and uint8


class Sgn(PiecewiseConstant):
    """The sign of a real tensor (PyTorch's sgn is z / |z| for complex ones): sign's values
    and zero gradient, under PyTorch's name for this op."""

    def forward(self, a):
        return super().forward(a, "sign", None)

    def backward(self, grad):
        return super().backward(grad)[0]

    def name(self):
        return "SgnBackward0"


def sgn(input, *, out=None):
    refuse_out(out, "sgn")
    return Sgn.apply(input)


def positive(input):
    """``+input``: the tensor itself, as in PyTorch."""
    if input._data.dtype.kind == "b":
        raise RuntimeError(
            "positive (the unary `+` operator) is not supported on a bool tensor; convert "
            "it first, e.g. with .long()"
        )
    return input


class Frexp(Function):
    """The mantissa of ``input = mantissa * 2 ** exponent``, given the exponent: a scaling by
    a power of two, exact, and so is its gradient."""

    listed_inputs = (0,)

    def forward(self, a, exponent):
        self.exponent = exponent
        return xp(a).ldexp(a, -exponent)

    def backward(self, grad):
        return ldexp(grad, Tensor._make(-self.exponent)), None


def frexp(input, *, out=None):
    """(mantissa, exponent) with ``input = mantissa * 2 ** exponent``, the mantissa's
    magnitude in [0.5, 1) (0, inf and NaN are their own mantissa, with exponent 0), the
    exponent int32."""
    refuse_out(out, "frexp")
    data = input._data
    if data.dtype.kind != "f":
        raise RuntimeError(
            f"frexp only supports floating-point dtypes, not {input.dtype}; convert with "
            ".float() first"
        )
    exponent = xp(data).frexp(data)[1]
    return return_types.frexp(Frexp.apply(input, exponent), Tensor._make(exponent))


class Ldexp(Function):
    """a * 2 ** b. For an integer b, an exact scaling (b read as a C int, as PyTorch reads
    it: 2 ** 40 wraps to 0); for a float b, a times 2 ** b computed in b's type."""

    saves_inputs = True
    saves_output = True

    def save_read_inputs(self, inputs):  # a's gradient reads b; b's reads the output only
        return (NOT_SAVED, save(inputs[1]) if self.edges[0] is not None else NOT_SAVED)

    def forward(self, a, b):
        namespace = xp(a)
        if b.dtype.kind == "f":
            return (a * _power_of_two(b)).astype(a.dtype, copy=False)
        exponent = b.astype("int32")
        if a.dtype.char == "e":  # in float32, rounded once, as PyTorch's float16 kernel
            return namespace.ldexp(a.astype("float32"), exponent).astype("float16")
        return namespace.ldexp(a, exponent)

    def backward(self, grad):
        grad_a = grad_b = None
        if self.needs_input_grad(0):
            grad_a = ldexp(grad, self.inputs[1])
        if self.needs_input_grad(1):
            grad_b = grad * self.output * math.log(2)
        return grad_a, grad_b


def _power_of_two(b):
    """2 ** b in b's float type, correctly rounded, as PyTorch's is (NumPy's float32 exp2
    is a rounding off at times): computed in float64, rounded through float32, as PyTorch
    rounds its float16 powers."""
    power = xp(b).exp2(b.astype("float64"))
    if b.dtype.char != "d":
        power = power.astype("float32")
    return power.astype(b.dtype, copy=False)


# The (input, 0-d exponent) float types for which PyTorch computes 2 ** exponent in the
# input's type rather than in the exponent's own (measured against PyTorch 2.13)
_POWER_IN_INPUT_TYPE = {("d", "e"), ("d", "f"), ("f", "d")}


def ldexp(input, other, *, out=None):
    """``input * 2 ** other``, in the operands' common float type (the default one for
    integers); an integer ``other`` scales exactly, without computing 2 ** other."""
    refuse_out(out, "ldexp")
    _refuse_number(other, "ldexp", "other", 2)
    result = dtypes.result_type(input, other)
    if not result.is_floating_point:
        # PyTorch's input * pow(2., other) in the default float type: not exact, 0 * 2 ** 200
        # is NaN there
        result = dtypes.get_default_dtype()
        other = cast_to(other, result)
    elif other._data.dtype.kind == "b" and input._data.dtype.kind == "f":
        raise NotImplementedError(
            f"ldexp of a {input.dtype} tensor by a bool exponent is not implemented (PyTorch "
            "has no such kernel); convert the exponent with .long() first"
        )
    input = cast_to(input, result)  # a float input's integer other scales exactly
    if (
        not other._data.ndim
        and (input._data.dtype.char, other._data.dtype.char) in _POWER_IN_INPUT_TYPE
    ):
        other = cast_to(other, result)
    other = other_on_device(input, other, "ldexp")
    try:
        return Ldexp.apply(input, other)
    except ValueError as error:  # NumPy's word for shapes that do not broadcast
        raise broadcast_error(input, other) or error from None


class Nextafter(Function):
    """The next float after a toward b. PyTorch's gradient: a's passes through but where a
    equals b (the result is b there), b's is 0."""

    saves_inputs = True

    def forward(self, a, b):
        if a.dtype.kind != "f":
            raise NotImplementedError(
                f"nextafter is only implemented for floating point tensors, not {a.dtype.name}"
            )
        result = xp(a).nextafter(a, b)
        if a.dtype.char == "e":  # NumPy's float16 one returns a where a == b, C's returns b
            result = xp(a).where(a == b, b, result)
        return result

    def backward(self, grad):
        grad_a = grad_b = None
        if self.needs_input_grad(0):
            a, b = self.inputs
            grad_a = where(a == b, 0.0, grad)
        if self.needs_input_grad(1):
            grad_b = _zeros_like(grad)
        return grad_a, grad_b


def nextafter(input, other, *, out=None):
    refuse_out(out, "nextafter")
    _refuse_number(other, "nextafter", "other", 2)
    return binary(Nextafter, input, other)


# Angles and steps ----------------------------------------------------------------------


class Deg2rad(Function):
    """Degrees to radians: a product with pi / 180, taken in the tensor's type (float16 in
    float32), as PyTorch's product with a number is."""

    factor = math.pi / 180

    @_in_float32_if_half
    def forward(self, a):
        return a * self.factor

    def backward(self, grad):
        return grad * self.factor

    def name(self):
        return "Deg2RadBackward0"


class Rad2deg(Deg2rad):
    factor = 180 / math.pi

    def name(self):
        return "Rad2DegBackward0"


def deg2rad(input, *, out=None):
    refuse_out(out, "deg2rad")
    return unary_math(Deg2rad, input)


def rad2deg(input, *, out=None):
    refuse_out(out, "rad2deg")
    return unary_math(Rad2deg, input)


class Heaviside(Function):
    """The step: 0 below 0 (and at NaN), 1 above, ``values`` at 0. PyTorch records it but
    has no gradient for it: backward through it raises."""

    def forward(self, a, values):
        namespace = xp(a)
        return namespace.where(a == 0, values, a > 0).astype(a.dtype, copy=False)

    def backward(self, grad):
        raise RuntimeError(
            "the derivative for heaviside is not implemented (PyTorch has none); detach() "
            "its inputs, or use a smooth step such as sigmoid(k * x) where a gradient is needed"
        )

    def name(self):
        return "NotImplemented"

    @property
    def listed_inputs(self):  # PyTorch's error node lists only the inputs that take a gradient
        return tuple(k for k, edge in enumerate(self.edges) if edge is not None)


def heaviside(input, values, *, out=None):
    refuse_out(out, "heaviside")
    _refuse_number(values, "heaviside", "values", 2)
    if values._data.dtype != input._data.dtype:
        raise RuntimeError(
            f"heaviside is not yet implemented for tensors with different dtypes ({input.dtype} "
            f"and {values.dtype}); convert values with .to(input.dtype)"
        )
    return binary(Heaviside, input, values)


# float_power, logit, sinc --------------------------------------------------------------


def float_power(input, exponent, *, out=None):
    """``input ** exponent`` in float64, whatever the operands' types (a tensor's cast is
    recorded, so the gradient goes back in its own type)."""
    refuse_out(out, "float_power")
    if not isinstance(input, Tensor) and not isinstance(exponent, Tensor):
        raise TypeError(
            f"float_power() takes a tensor as input or as exponent, not "
            f"{type(input).__name__} and {type(exponent).__name__}"
        )
    return pow(_in_float64(input, "float_power", "input"), _in_float64(exponent, "float_power"))


def _in_float64(value, op_name, name="exponent"):
    if isinstance(value, Tensor):
        return to_dtype(value, dtypes.float64)
    if isinstance(value, (int, float, backend.generic_scalar)):
        return float(value)
    raise TypeError(
        f"{op_name}(): argument '{name}' must be Tensor or Number, not {type_name(value)}"
    )


def float_power_in_place_value(input, exponent):
    """What ``float_power_`` writes: PyTorch writes it only into a float64 tensor (and reads
    the exponent's type first)."""
    exponent = _in_float64(exponent, "float_power_")
    if input._data.dtype.char != "d":
        raise RuntimeError(
            f"the base given to float_power_ has dtype {input.dtype} but the operation's "
            "result requires dtype float64; use float_power(x, exponent), or x.double() first"
        )
    return float_power(input, exponent)


class Logit(Function):
    """log(p / (1 - p)), the inverse of sigmoid. With ``eps``, p is first held within
    [eps, 1 - eps], and the gradient is 0 outside; without it (or with eps < 0) the gradient
    outside [0, 1] is NaN (PyTorch's rules)."""

    saves_inputs = True
    listed_inputs = (0,)

    def forward(self, a, eps):  # float16 in float16 steps: PyTorch's bits for every value
        self.eps = eps
        namespace = xp(a)
        if eps is not None and eps >= 0:
            low, high = a.dtype.type(eps), 1 - a.dtype.type(eps)
            a = namespace.where(a < low, low, namespace.where(a > high, high, a))
        return namespace.log(a / (1 - a))

    def backward(self, grad):
        a = self.inputs[0]
        eps = self.eps
        if not grad_mode.is_grad_enabled():
            a = a + 0.0  # PyTorch's kernel reads -0 as 0: grad times +inf there, not -inf
        derivative = grad / (a * (1 - a))
        if grad_mode.is_grad_enabled():
            # PyTorch's differentiable form (create_graph): 0 outside [eps, 1 - eps], even
            # for eps < 0, and at NaN; NaN outside [0, 1] without eps
            low, high = (0.0, 1.0) if eps is None else (eps, 1 - eps)
            inside = (a >= low) & (a <= high)
            return where(inside, derivative, 0.0 if eps is not None else math.nan), None
        if eps is None or eps < 0:
            return where((a < 0) | (a > 1), math.nan, derivative), None
        return where((a < eps) | (a > 1 - eps), 0.0, derivative), None


def logit(input, eps=None, *, out=None):
    refuse_out(out, "logit")
    if eps is not None:
        eps = float(float_argument(eps, "logit", "eps"))
    return unary_math_with(Logit, input, eps)


def unary_math_with(op, input, *options):
    """``unary_math`` for an op that takes options beside its tensor: an integer or bool
    tensor computes in the default float type."""
    return op.apply(as_floating(input), *options)


class Sinc(Function):
    """sin(pi x) / (pi x), 1 at 0; pi x is rounded to the tensor's type first, as PyTorch
    computes it (so sinc(1.0) is -2.8e-8 in float32, not 0)."""

    saves_inputs = True

    @_in_float32_if_half
    def forward(self, a):
        namespace = xp(a)
        product = a * a.dtype.type(math.pi)
        return namespace.where(a == 0, a.dtype.type(1), namespace.sin(product) / product)

    def backward(self, grad):
        (a,) = self.inputs
        # 0 where pi a^2 is 0 (PyTorch's rule): at 0, and where a is so small that it underflows
        at_zero = a * a * math.pi == 0
        safe = where(at_zero, 1.0, a)  # no 0 / 0 in the unselected branch's gradient
        product = safe * math.pi
        derivative = (cos(product) * product - sin(product)) / (product * safe)
        return where(at_zero, 0.0, grad * derivative)  # +0 there whatever grad's sign


def sinc(input, *, out=None):
    refuse_out(out, "sinc")
    return unary_math(Sinc, input)


# gcd and lcm ---------------------------------------------------------------------------


class IntegerPair(Function):
    """gcd or lcm of two integer arrays of one type; nothing to differentiate."""

    def forward(self, a, b, op_name):
        if a.dtype.kind not in "iu":
            raise NotImplementedError(
                f"{op_name} is only implemented for integer tensors, not {a.dtype.name}"
            )
        namespace = xp(a)
        divisor = namespace.gcd(a, b)
        if op_name == "gcd":
            return divisor
        # |a / gcd * b|, wrapping on overflow as PyTorch's does; 0 where both are 0
        safe = namespace.where(divisor == 0, 1, divisor).astype(divisor.dtype, copy=False)
        multiple = namespace.abs(a // safe * b)
        return namespace.where(divisor == 0, 0, multiple).astype(divisor.dtype, copy=False)


def gcd(input, other, *, out=None):
    refuse_out(out, "gcd")
    _refuse_number(other, "gcd", "other", 2)
    return binary(IntegerPair, input, other, "gcd")


def lcm(input, other, *, out=None):
    refuse_out(out, "lcm")
    _refuse_number(other, "lcm", "other", 2)
    return binary(IntegerPair, input, other, "lcm")


# ember.special's xlog1py and entr ------------------------------------------------------


class Xlog1py(Function):
    """x * log1p(y), and 0 where x is 0 (even where log1p(y) is -inf or NaN), but NaN where y
    is NaN; either operand may be a number (as xlogy, in elementwise.py)."""

    saves_inputs = True
    number_at = None  # which operand is a number: None, 0 or 1

    def forward(self, x, y):
        if not backend.is_array(x):
            self.number_at, self.listed_inputs = 0, (1,)
        elif not backend.is_array(y):
            self.number_at, self.listed_inputs = 1, (0,)
        array = y if self.number_at == 0 else x
        namespace = xp(array)
        x, y = namespace.asarray(x, array.dtype), namespace.asarray(y, array.dtype)
        zero_times_log = (x == 0) & ~namespace.isnan(y)
        product = namespace.where(zero_times_log, 0, x * namespace.log1p(y))
        return product.astype(array.dtype, copy=False)

    def backward(self, grad):
        x, y = self.inputs
        grad_x = grad_y = None
        if self.needs_input_grad(0):
            # PyTorch's rule: 0, not -inf or NaN, where x == 0 and y <= -1
            y_at_most_minus_one = y <= -1 if self.number_at is None else not y > -1
            grad_x = where((x == 0) & y_at_most_minus_one, 0.0, xlog1py(grad, y))
        if self.needs_input_grad(1):
            grad_y = grad * x / (1 + y)
        return grad_x, grad_y

    def name(self):
        return f"SpecialXlog1PyBackward{0 if self.number_at is None else self.number_at + 1}"


def xlog1py(input, other, *, out=None):
    refuse_out(out, "xlog1py")
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise TypeError(
            f"xlog1py() takes a tensor as input or as other, not {type(input).__name__} and "
            f"{type(other).__name__}; make one with ember.tensor(...)"
        )
    return _float_operands(Xlog1py, input, other)


class Entr(Function):
    """The entropy term -x log(x): 0 at 0, -inf below it."""

    saves_inputs = True

    def forward(self, a):  # float16 in float16 steps: PyTorch's bits for every value
        namespace = xp(a)
        value = -a * namespace.log(a)
        value = namespace.where(a == 0, a.dtype.type(0), value)
        return namespace.where(a < 0, a.dtype.type(-math.inf), value)

    def backward(self, grad):
        (a,) = self.inputs
        return grad * -(1 + log(a))

    def name(self):
        return "SpecialEntrBackward0"


def entr(input, *, out=None):
    refuse_out(out, "entr")
    return unary_math(Entr, input)
