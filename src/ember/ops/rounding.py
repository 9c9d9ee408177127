"""Rounding: sign, floor, ceil, round, trunc (and its alias fix), and frac; and the angle
of a real number, 0 or pi, which is a step function too.

All but frac are step functions: PyTorch records them and gives them a zero
gradient (zeros, even where the incoming gradient is NaN or inf), and so does
``PiecewiseConstant``, which does all six. frac, x - trunc(x), passes its gradient
through unchanged.
"""

import math

from ..arguments import integer_argument
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from ..tensor import Tensor
from .float16 import float16_form


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
            return _round_to_decimals(a, decimals)
        if name == "sign" and a.dtype.kind == "f":
            return _float_sign(a)
        if name == "angle":
            return _real_angle(a)
        return getattr(namespace, name)(a)

    def backward(self, grad):
        return Tensor._make(xp(grad._data).zeros_like(grad._data)), None, None

    def name(self):
        return self.label


def _round_to_decimals(a, decimals):
    """NumPy's round to ``decimals`` written out (x * 10^d to the nearest, half to even,
    over 10^d; divided first for d < 0): numpy.round warns of an overflow from NumPy's
    own module, past ember's filter, where PyTorch's inf is quiet."""
    factor = 10.0 ** abs(decimals)
    if decimals > 0:
        return xp(a).rint(a * factor) / factor
    return xp(a).rint(a / factor) * factor


def _real_angle(a):
    """pi below 0 (-0. is not), 0 elsewhere, NaN for NaN: a real number's angle."""
    angle = (a < 0).astype(a.dtype)
    angle *= a.dtype.type(math.pi)
    return xp(a).where(a != a, a, angle)  # NaN stays NaN


def _float_sign(a):
    """1, -1 or 0 by two comparisons, which give PyTorch's 0 for NaN and for -0. NumPy's
    sign branches on each value (and keeps NaN), three times as slow on mixed signs."""
    out = (a > 0).astype(a.dtype)
    out -= (a < 0).astype(a.dtype)
    return out


def sign(input):
    return PiecewiseConstant.apply(input, "sign", None)


def angle(input):
    """The angle of each element as a complex number: for ember's real tensors, pi where it
    is negative and 0 elsewhere, in a float dtype (the default one for integers)."""
    from .unary_math import as_floating  # unary_math imports this module

    return PiecewiseConstant.apply(as_floating(input), "angle", None)


def floor(input):
    return PiecewiseConstant.apply(input, "floor", None)


def ceil(input):
    return PiecewiseConstant.apply(input, "ceil", None)


def round(input, *, decimals=None):
    """Half to even; with ``decimals`` (PyTorch's other overload, for floats only) to that
    many decimal places, which for float16 PyTorch computes in float32."""
    if decimals is None:
        return PiecewiseConstant.apply(input, "round", None)
    decimals = integer_argument(decimals, "round", "decimals")
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
