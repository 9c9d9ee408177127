"""Unary math: exp, log, sqrt, the trigonometric and hyperbolic functions, sigmoid,
relu, abs, square, rsqrt, reciprocal and the rest, each a Function with its forward
and backward side by side.

An integer or bool tensor computes in the default float type, as in PyTorch
(``unary_math``); a float16 one through its entry in ``FLOAT16_FORMS``: in float32,
rounded once to float16, as PyTorch's CPU kernels compute it (see float16.py).
"""

import math

from .. import backend, dtypes
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from ..tensor import Tensor
from .elementwise import pow
from .float16 import float16_form
from .rounding import sign


def unary_math(op, input):
    """``op`` (exp, sin...) of ``input``. An integer or bool tensor computes in the default
    float type and a float16 one through ``FLOAT16_FORMS``, as in PyTorch; float32 and
    float64, the common case, pass the first test and nothing more."""
    code = input._data.dtype.char
    if code == "f" or code == "d":
        return op.apply(input)
    if code == "e":
        return FLOAT16_FORMS.get(op, op).apply(input)
    return unary_math(op, as_floating(input))


def as_floating(input):
    """An integer or bool tensor as the default float type, in which PyTorch computes the
    float functions of it; a float tensor as it is."""
    if input._data.dtype.kind == "f":
        return input
    return input.to(dtypes.get_default_dtype())


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
        return 1 / a  # NumPy's reciprocal is not vectorized: twice as slow, the same values

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
        if out._data.dtype.char == "e":  # PyTorch's float16 kernel: in float32, rounded once
            wide = out.float()
            return (grad.float() * (1 - wide * wide)).to(grad.dtype)
        return grad * (1 - out * out)


class Sigmoid(Function):
    saves_output = True

    def forward(self, a):
        # PyTorch's form. Where exp(-a) overflows (a < -88 in float32) it gives 0, as
        # PyTorch's does; the tanh form, 0.5 + 0.5 tanh(a / 2), is 0 from a = -17 on, so
        # that log(sigmoid(-20)) was -inf where PyTorch's is -20.
        return 1 / (1 + xp(a).exp(-a))

    def backward(self, grad):
        out = self.output
        return grad * (1 - out) * out  # PyTorch's order: its bits, given the same output


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
        return backend.clamped(a, 0, None)  # -0. stays -0., as in PyTorch

    def backward(self, grad):
        return ThresholdBackward.apply(grad, self.output)


class ThresholdBackward(Function):
    """Relu's gradient as one node: ``grad`` where the output is above 0, else 0.

    Relu's output is never negative, so "above 0" is "not 0", which keeps NaN's
    gradient, as in PyTorch. The zeros are picked, not multiplied in: ``grad * mask``
    would give -0. for a negative gradient (and NaN for a NaN one) where PyTorch gives 0.
    """

    saves_inputs = True

    def forward(self, grad, output):
        return backend.zero_where(output == 0, grad)

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


def exp(input):
    """``e`` to the power of each element of ``input``.

    Ints give the default dtype (float32), where any input past about 88.7 gives ``inf``.

    >>> ember.exp(ember.tensor([0.0, 1.0]))
    tensor([1.0000, 2.7183])
    >>> ember.exp(ember.tensor([0, 100]))
    tensor([1., inf])
    """
    return unary_math(Exp, input)


def log(input):
    """The natural logarithm of each element of ``input``.

    Ints give the default dtype (float32). ``log(0)`` is ``-inf`` and a negative input
    gives ``nan``, with no error.

    >>> ember.log(ember.tensor([1.0, 0.0, -1.0]))
    tensor([0., -inf, nan])
    """
    return unary_math(Log, input)


def sqrt(input):
    """The square root of each element of ``input``; ``nan`` for a negative one.

    Ints give the default dtype (float32).

    >>> ember.sqrt(ember.tensor([4, 2]))
    tensor([2.0000, 1.4142])
    """
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
    """The absolute value of each element of ``input``, in ``input``'s dtype.

    >>> ember.abs(ember.tensor([-1.5, 0.0, 2.0]))
    tensor([1.5000, 0.0000, 2.0000])
    >>> ember.abs(ember.tensor([-3, 4]))
    tensor([3, 4])
    """
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
        return 1 / xp(a).sqrt(a)

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
    + (Tan, Sinh, Cosh, Acos, Atan, Asinh, Acosh, Atanh)
}
FLOAT16_FORMS[Sigmoid] = Float16Sigmoid
