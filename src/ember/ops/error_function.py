"""The error function and its kin: erf, erfc, erfcx and erfinv, and the normal distribution's
ndtr, log_ndtr and ndtri (its cumulative distribution, that one's log, and its inverse),
which ``ember.special`` also offers.

The arrays are ``error_function_approximations.py``'s work (erf and erfc by Cody's
rational forms, float32's by forms fitted for it, erfinv by fitted polynomials and, for
float64, a step of Halley's method; see there how accurate each is). Here each is a
Function with its gradient beside it, written in ember's tensor ops so that second
derivatives come free. Integer and bool tensors compute in the default float type, as in
PyTorch.
"""

import math

from .. import backend
from ..autograd.function import Function
from ..creation import refuse_out
from . import error_function_approximations as approximations
from .unary_math import exp, unary_math

_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)
_SQRT_HALF = math.sqrt(0.5)
_SQRT_TWO_PI = math.sqrt(2 * math.pi)


class Erf(Function):
    saves_inputs = True

    def forward(self, a):
        return approximations.erf(a)

    def backward(self, grad):
        (a,) = self.inputs
        return grad * exp(-(a * a)) * _TWO_OVER_SQRT_PI


class Erfc(Function):
    saves_inputs = True

    def forward(self, a):
        return approximations.erfc(a)

    def backward(self, grad):
        (a,) = self.inputs
        return grad * exp(-(a * a)) * -_TWO_OVER_SQRT_PI


class Erfinv(Function):
    """The inverse of erf; its derivative is the reciprocal of erf's at the result."""

    saves_output = True

    def forward(self, a):
        return approximations.erfinv(a)

    def backward(self, grad):
        out = self.output
        return grad * exp(out * out) / _TWO_OVER_SQRT_PI


class Erfcx(Function):
    """exp(x^2) erfc(x), whose derivative is 2 x erfcx(x) - 2 / sqrt(pi)."""

    saves_inputs = True
    saves_output = True

    def forward(self, a):
        return approximations.erfcx(a)

    def backward(self, grad):
        (a,) = self.inputs
        return grad * (2 * a * self.output - _TWO_OVER_SQRT_PI)

    def name(self):
        return "SpecialErfcxBackward0"


class Ndtr(Function):
    """The standard normal distribution's cumulative distribution function, erfc(-x /
    sqrt(2)) / 2, computed in float64 and rounded (float16 through float32)."""

    saves_inputs = True

    def forward(self, a):
        return backend.computed_in_float64(_ndtr_float64, a)

    def backward(self, grad):
        (a,) = self.inputs
        return grad * exp(a * a * -0.5) / _SQRT_TWO_PI

    def name(self):
        return "MulBackward1"  # PyTorch composes ndtr of erf; its last node is a product


def _ndtr_float64(array):
    return approximations.erfc(array * -_SQRT_HALF) * 0.5


class LogNdtr(Function):
    """log(ndtr(x)), accurate far in both tails: below -1 as log(erfcx(-x / sqrt(2)) / 2) -
    x^2 / 2, which never underflows (log_ndtr(-1000) is -500007.8), and above it as
    log1p(-erfc(x / sqrt(2)) / 2), tiny and exact where ndtr(x) rounds to 1."""

    saves_inputs = True
    saves_output = True

    def forward(self, a):
        return backend.computed_in_float64(_log_ndtr_float64, a)

    def backward(self, grad):
        (a,) = self.inputs
        return grad * exp(-(self.output + a * a * 0.5)) / _SQRT_TWO_PI  # pdf(x) / ndtr(x)

    def name(self):
        return "SpecialLogNdtrBackward0"


def _log_ndtr_float64(array):
    namespace = backend.namespace_of(array)
    scaled = array * _SQRT_HALF
    left_tail = namespace.log(approximations.erfcx(-scaled) * 0.5) - scaled * scaled
    rest = namespace.log1p(approximations.erfc(scaled) * -0.5)
    return namespace.where(array < -1, left_tail, rest)


class Ndtri(Function):
    """The inverse of ndtr: -sqrt(2) erfcinv(2p), which keeps its digits for the tiniest p
    (ndtri(1e-300) is -37.05), where 1 - 2p would round to 1."""

    saves_output = True

    def forward(self, a):
        return backend.computed_in_float64(_ndtri_float64, a)

    def backward(self, grad):
        out = self.output
        return grad * exp(out * out * 0.5) * _SQRT_TWO_PI

    def name(self):
        return "SpecialNdtriBackward0"


def _ndtri_float64(array):
    # + 0.0 turns the -0.0 that ndtri(0.5) would give into PyTorch's +0.0
    return approximations.erfcinv(array * 2.0) * -math.sqrt(2.0) + 0.0


def erf(input, *, out=None):
    refuse_out(out, "erf")
    return unary_math(Erf, input)


def erfc(input, *, out=None):
    refuse_out(out, "erfc")
    return unary_math(Erfc, input)


def erfinv(input, *, out=None):
    refuse_out(out, "erfinv")
    return unary_math(Erfinv, input)


def erfcx(input, *, out=None):
    refuse_out(out, "erfcx")
    _refuse_float16(input, "erfcx")
    return unary_math(Erfcx, input)


def ndtr(input, *, out=None):
    refuse_out(out, "ndtr")
    return unary_math(Ndtr, input)


def log_ndtr(input, *, out=None):
    refuse_out(out, "log_ndtr")
    _refuse_float16(input, "log_ndtr")
    return unary_math(LogNdtr, input)


def ndtri(input, *, out=None):
    refuse_out(out, "ndtri")
    _refuse_float16(input, "ndtri")
    return unary_math(Ndtri, input)


def _refuse_float16(input, op_name):
    if input._data.dtype.char == "e":
        raise NotImplementedError(
            f"{op_name} is not implemented for float16 tensors (PyTorch has no such kernel); "
            "convert with .float() first"
        )
