"""Every differentiable elementwise op, activation, reduction, norm, distance and loss at
the edges of its domain, against PyTorch: 0., -0., inf, -inf, NaN, 1, -1, the smallest
subnormal and the largest float of the dtype, and each op's own kinks (the corners of
clamp, hardtanh, relu6, the shrinks; huber at |d| == delta; poles and branch ends), ties
for the ops that pick among values, zero vectors for the norms and all -inf rows for the
softmaxes. Each grid line runs in float32 and float64 (and float16 forward where the op
takes it) and compares the result and the gradients of ``out.sum()`` and of
``(out * weights).sum()`` with ``same_bits``: signed zeros, infinities and NaNs in place,
finite nonzero values within the line's relative tolerance (NumPy's float32 math differs
from PyTorch's in the last bits, docs/differences.md). The random drawing at the end puts
random edge values into random lines.

The grid found (twentieth day), each now PyTorch's: ``x ** -0.5`` at -0 and -inf (PyTorch's
rsqrt: -inf and NaN) and so ``x ** 0.5``'s gradient there; pow's gradients multiplied in
another order (``x ** 2`` at the largest float, a huge exponent at a zero base) and -0
for a zero exponent; atan2's and hypot's gradients at a subnormal or huge operand; the
target's gradient of mse, huber and smooth L1 at equal values (-0 for +0), of
binary_cross_entropy (-logit(p)) and of its logits form (-x, lost for a subnormal x);
binary_cross_entropy's value at t = p = 0 and its gradient at a subnormal p under 'mean';
nll_loss's gradient at ignored targets (-0); the p-norms' gradients for p != 2 (-0 at -0,
inf at a subnormal for p < 1), their float16 values (now in float32, rounded once);
lgamma next to -0 and at huge negative values, i0 and i1 at the largest float64;
sinc's gradient at 0 under a negative upstream gradient (-0); glu's gradient at a huge
gate; float16 logsumexp (PyTorch rounds each step); and NumPy's "overflow" and "invalid
value" warnings from sums in norms, distances, the losses and round(decimals).
"""

import math
import os
import warnings
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pytest
import torch
from test_edge_gradients import same_bits

import ember

INF, NAN = math.inf, math.nan
# Placeholders, made the dtype's smallest subnormal and largest finite value per dtype.
TINY, HUGE = "tiny", "huge"
EDGES = [0.0, -0.0, INF, -INF, NAN, 1.0, -1.0, TINY, "-tiny", HUGE, "-huge", 0.5, -2.5]
# Fewer values for the pairs of the binary ops (every pair is taken).
PAIR_EDGES = [0.0, -0.0, INF, -INF, NAN, 1.0, -1.0, TINY, HUGE, 2.0]
# Where PyTorch's gradient at NaN comes of its scalar loop (tensors under about 16 values),
# which passes the gradient on; ember follows its vector loop (docs/differences.md).
EDGES_BUT_NAN = [value for value in EDGES if value == value]
EDGES_BUT_TINY = [value for value in EDGES if value not in (TINY, "-tiny")]
PAIR_EDGES_BUT_TINY = [value for value in PAIR_EDGES if value != TINY]
PAIR_EDGES_BUT_TINY_AND_HUGE = [value for value in PAIR_EDGES if value not in (TINY, HUGE)]
WEIGHTS = [2.0, -3.0, 0.5, -1.0, 1.5, 4.0, -0.25]
ROUNDING = 1e-5  # NumPy's float32 math, and rounding orders, against PyTorch's


class Line(NamedTuple):
    """One grid line: ``call(library, functional, *tensors)`` at ``inputs`` (one list per
    tensor, each a leaf that takes a gradient; lists of lists for more dims), compared
    within ``tolerance``; ``half`` runs the forward in float16 too."""

    name: str
    call: Callable
    inputs: tuple
    tolerance: float = 0.0
    half: bool = False
    # comparisons left out, each named by words of "dtype what" (what: value, sum's
    # gradient, weighted gradient), with the reason beside the line ("float32 gradient"
    # leaves out both float32 gradients); and whether zeros' signs count
    left: tuple = ()
    zero_signs: bool = True
    drawn: bool = True  # whether the random drawing may put other values in
    residue: float = 0.0  # what a difference of two near-equal terms may leave (absolute)


def unary(name, call, kinks=(), tolerance=0.0, half=True, edges=EDGES, **leave):
    return Line(name, call, (edges + list(kinks),), tolerance, half, **leave)


def _pairs(values):
    first, second = np.meshgrid(np.array(values, dtype=object), np.array(values, dtype=object))
    return first.ravel().tolist(), second.ravel().tolist()


def binary(name, call, tolerance=0.0, values=PAIR_EDGES, half=True, **leave):
    return Line(name, call, _pairs(values), tolerance, half, **leave)


def resolve(values, dtype):
    """``values`` with the placeholders made the dtype's numbers."""
    info = np.finfo(dtype)
    numbers = {
        TINY: float(info.smallest_subnormal),
        "-tiny": -float(info.smallest_subnormal),
        HUGE: float(info.max),
        "-huge": -float(info.max),
    }
    if isinstance(values, list):
        return [resolve(value, dtype) for value in values]
    return numbers.get(values, values)


UNARY = [
    unary("abs", lambda t, F, x: t.abs(x)),
    unary("sign", lambda t, F, x: t.sign(x)),
    unary("sgn", lambda t, F, x: t.sgn(x)),
    unary("neg", lambda t, F, x: -x),
    unary("square", lambda t, F, x: t.square(x)),
    unary("reciprocal", lambda t, F, x: t.reciprocal(x), tolerance=ROUNDING),
    unary("sqrt", lambda t, F, x: t.sqrt(x), tolerance=ROUNDING),
    # float16: PyTorch's tail loop rounds rsqrt twice (docs/differences.md)
    unary("rsqrt", lambda t, F, x: t.rsqrt(x), tolerance=ROUNDING, left=("float16",)),
    unary("exp", lambda t, F, x: t.exp(x), [88.7, 709.0, -104.0], ROUNDING),
    unary("exp2", lambda t, F, x: t.exp2(x), [128.0, -150.0], ROUNDING),
    unary("expm1", lambda t, F, x: t.expm1(x), [88.7, 1e-30], ROUNDING),
    unary("log", lambda t, F, x: t.log(x), tolerance=ROUNDING),
    unary("log2", lambda t, F, x: t.log2(x), tolerance=ROUNDING),
    unary("log10", lambda t, F, x: t.log10(x), tolerance=ROUNDING),
    # not at a subnormal x, whose log1p is x: PyTorch's is 0 (its kernel flushes it)
    unary(
        "log1p",
        lambda t, F, x: t.log1p(x),
        [-1.0 + 2**-20, -2.0],
        ROUNDING,
        edges=EDGES_BUT_TINY,
    ),
    unary("sin", lambda t, F, x: t.sin(x), tolerance=ROUNDING),
    unary("cos", lambda t, F, x: t.cos(x), tolerance=ROUNDING),
    unary("tan", lambda t, F, x: t.tan(x), tolerance=ROUNDING),
    unary("asin", lambda t, F, x: t.asin(x), [1.0 - 2**-20, 2.0], ROUNDING),
    unary("acos", lambda t, F, x: t.acos(x), [1.0 - 2**-20, 2.0], ROUNDING),
    unary("atan", lambda t, F, x: t.atan(x), tolerance=ROUNDING),
    unary("sinh", lambda t, F, x: t.sinh(x), [89.0, 710.0], ROUNDING),
    unary("cosh", lambda t, F, x: t.cosh(x), [89.0, 710.0], ROUNDING),
    unary("tanh", lambda t, F, x: t.tanh(x), [20.0, -400.0], ROUNDING),
    unary("asinh", lambda t, F, x: t.asinh(x), tolerance=ROUNDING),
    unary("acosh", lambda t, F, x: t.acosh(x), [1.0 + 2**-20], ROUNDING),
    unary("atanh", lambda t, F, x: t.atanh(x), [1.0 - 2**-20], ROUNDING),
    unary("sigmoid", lambda t, F, x: t.sigmoid(x), [40.0, -104.0, 800.0], ROUNDING),
    unary("logit", lambda t, F, x: t.logit(x), [2.0], ROUNDING),
    unary("logit(eps)", lambda t, F, x: t.logit(x, 0.25), [0.25, 0.75], ROUNDING),
    # float16: PyTorch's erf of the subnormal 6e-8 is 0 (its float32 kernel flushes it)
    unary("erf", lambda t, F, x: t.erf(x), [6.0, 30.0], ROUNDING, left=("float16",)),
    # not at 10, whose float32 gradient (-1.1 exp(-100)) is a subnormal of a few roundings
    unary("erfc", lambda t, F, x: t.erfc(x), [5.0, 30.0, 27.0], ROUNDING),
    unary("erfinv", lambda t, F, x: t.erfinv(x), [1.0 - 2**-20], ROUNDING),
    unary("lgamma", lambda t, F, x: t.lgamma(x), [-2.0, 2.0], ROUNDING),
    # not at the poles -1 and -huge (trigamma there is inf in ember, PyTorch's a large
    # finite value or NaN: docs/differences.md); nor trigamma at float64's largest value,
    # which is 1 / x (5.6e-309) and ember's 0: its Hurwitz zeta tail underflows there
    unary(
        "digamma",
        lambda t, F, x: t.digamma(x),
        [-0.5, 2.0],
        ROUNDING,
        edges=[value for value in EDGES if value not in (-1.0, "-huge", HUGE)],
    ),
    unary("sinc", lambda t, F, x: t.sinc(x), [2.0, 1e-20], ROUNDING),
    unary("deg2rad", lambda t, F, x: t.deg2rad(x), tolerance=ROUNDING),
    unary("rad2deg", lambda t, F, x: t.rad2deg(x), tolerance=ROUNDING),
    unary("frac", lambda t, F, x: t.frac(x)),
    unary("trunc", lambda t, F, x: t.trunc(x)),
    unary("floor", lambda t, F, x: t.floor(x)),
    unary("ceil", lambda t, F, x: t.ceil(x)),
    unary("round", lambda t, F, x: t.round(x)),
    unary("round(decimals)", lambda t, F, x: t.round(x, decimals=2), [0.125]),
    # i0 at 90 in float32 is finite (PyTorch: inf, docs/differences.md); not at subnormals,
    # where i1 (the gradient) rounds x / 2 to 0 and PyTorch's gives x
    unary("i0", lambda t, F, x: t.i0(x), [800.0], ROUNDING, edges=EDGES_BUT_TINY),
    unary("nan_to_num", lambda t, F, x: t.nan_to_num(x)),
    unary("nan_to_num(values)", lambda t, F, x: t.nan_to_num(x, 1.0, 2.0, -3.0)),
    unary("x ** 2", lambda t, F, x: x**2, [1e20, 1e200]),
    unary("x ** 3", lambda t, F, x: x**3, [1e20, 1e200], ROUNDING),
    # float16: PyTorch takes C's pow, not sqrt: +0 at -0 (docs/differences.md), inf at -inf
    unary("x ** 0.5", lambda t, F, x: x**0.5, tolerance=ROUNDING, left=("float16",)),
    unary("x ** -0.5", lambda t, F, x: x**-0.5, tolerance=ROUNDING),
    unary("x ** 1.5", lambda t, F, x: x**1.5, tolerance=ROUNDING),
    unary("x ** 0", lambda t, F, x: x**0),
    unary("x ** 1", lambda t, F, x: x**1),
    unary("x ** -1", lambda t, F, x: x**-1, tolerance=ROUNDING),
    unary("x ** -2", lambda t, F, x: x**-2, tolerance=ROUNDING),
    unary("2 ** x", lambda t, F, x: 2**x, tolerance=ROUNDING),
    unary("0 ** x", lambda t, F, x: 0.0**x),
    unary("1 ** x", lambda t, F, x: 1.0**x),
    unary("-2 ** x", lambda t, F, x: (-2.0) ** x, tolerance=ROUNDING),
    unary("float_power(x, 2)", lambda t, F, x: t.float_power(x, 2), half=False),
    unary("float_power(x, 0.5)", lambda t, F, x: t.float_power(x, 0.5), tolerance=1e-12),
    unary("x / 0", lambda t, F, x: x / 0.0),
    unary("x / -0", lambda t, F, x: x / -0.0),
    unary("1 / x", lambda t, F, x: 1.0 / x, tolerance=ROUNDING),
    unary("-1 / x", lambda t, F, x: -1.0 / x, tolerance=ROUNDING),
    unary("x * 0", lambda t, F, x: x * 0.0),
    unary("x * inf", lambda t, F, x: x * INF),
    unary("x + -0", lambda t, F, x: x + -0.0),
    unary("x - 0", lambda t, F, x: x - 0.0),
    unary("fmod(x, 0)", lambda t, F, x: t.fmod(x, 0.0)),
    unary("fmod(x, 1.5)", lambda t, F, x: t.fmod(x, 1.5), [1.5, -3.0]),
    unary("remainder(x, 0)", lambda t, F, x: t.remainder(x, 0.0)),
    unary("remainder(x, -1.5)", lambda t, F, x: t.remainder(x, -1.5), [1.5, -3.0]),
    unary("clamp(-1, 1)", lambda t, F, x: t.clamp(x, -1.0, 1.0)),
    unary("clamp(0)", lambda t, F, x: t.clamp(x, min=0.0)),
    unary("clamp(max=-0)", lambda t, F, x: t.clamp(x, max=-0.0)),
    unary("clamp(1, 1)", lambda t, F, x: t.clamp(x, 1.0, 1.0)),
    unary("clamp(1, -1)", lambda t, F, x: t.clamp(x, 1.0, -1.0)),
    unary("clamp(nan)", lambda t, F, x: t.clamp(x, min=NAN)),
    unary("clamp(-inf, inf)", lambda t, F, x: t.clamp(x, -INF, INF)),
    # clamp(-0, 0, 1) may be either zero in PyTorch, by dtype (docs/differences.md)
    unary(
        "clamp(tensors)",
        lambda t, F, x: t.clamp(x, t.zeros_like(x), t.ones_like(x)),
        zero_signs=False,
    ),
    unary("relu", lambda t, F, x: F.relu(x)),
    unary("relu6", lambda t, F, x: F.relu6(x), [6.0, 7.0], edges=EDGES_BUT_NAN),
    unary("hardtanh", lambda t, F, x: F.hardtanh(x), edges=EDGES_BUT_NAN),
    unary(
        "hardtanh(-2, 3)",
        lambda t, F, x: F.hardtanh(x, -2.0, 3.0),
        [-2.0, 3.0],
        edges=EDGES_BUT_NAN,
    ),
    unary("hardsigmoid", lambda t, F, x: F.hardsigmoid(x), [3.0, -3.0], ROUNDING),
    unary("hardswish", lambda t, F, x: F.hardswish(x), [3.0, -3.0], ROUNDING, edges=EDGES_BUT_NAN),
    unary("threshold", lambda t, F, x: F.threshold(x, 1.0, -5.0), [1.0 + 2**-20]),
    unary("threshold(nan)", lambda t, F, x: F.threshold(x, 0.5, NAN)),
    # softshrink's 0 between the kinks has x's sign in PyTorch's scalar loop (-0 at -0.5
    # too), not in its vector loop, which ember follows
    unary(
        "softshrink",
        lambda t, F, x: F.softshrink(x, 0.5),
        [-0.5, 0.75],
        edges=EDGES_BUT_NAN,
        zero_signs=False,
    ),
    unary(
        "softshrink(0)",
        lambda t, F, x: F.softshrink(x, 0.0),
        edges=EDGES_BUT_NAN,
        zero_signs=False,
    ),
    unary("hardshrink", lambda t, F, x: F.hardshrink(x, 0.5), [-0.5, 0.75], edges=EDGES_BUT_NAN),
    unary("hardshrink(0)", lambda t, F, x: F.hardshrink(x, 0.0), edges=EDGES_BUT_NAN),
    unary("tanhshrink", lambda t, F, x: F.tanhshrink(x), [20.0], ROUNDING),
    unary("leaky_relu", lambda t, F, x: F.leaky_relu(x)),
    unary("leaky_relu(0.2)", lambda t, F, x: F.leaky_relu(x, 0.2), tolerance=ROUNDING),
    unary("leaky_relu(-0.5)", lambda t, F, x: F.leaky_relu(x, -0.5)),
    unary("elu", lambda t, F, x: F.elu(x), [-30.0], ROUNDING, edges=EDGES_BUT_NAN),
    unary("elu(2)", lambda t, F, x: F.elu(x, 2.0), [-30.0], ROUNDING, edges=EDGES_BUT_NAN),
    unary("celu", lambda t, F, x: F.celu(x, 0.5), [-30.0], ROUNDING, edges=EDGES_BUT_NAN),
    unary("selu", lambda t, F, x: F.selu(x), [-30.0], ROUNDING, edges=EDGES_BUT_NAN),
    # float32: ember's erf is a fitted polynomial (docs/differences.md), and PyTorch's
    # vector loop makes gelu(inf) NaN; float64 checks the edges
    unary("gelu", lambda t, F, x: F.gelu(x), [-10.0, -40.0], 1e-4, left=("float32",)),
    unary("gelu(tanh)", lambda t, F, x: F.gelu(x, approximate="tanh"), [-10.0], 1e-4),
    unary("silu", lambda t, F, x: F.silu(x), [-104.0, 800.0], ROUNDING),
    unary("mish", lambda t, F, x: F.mish(x), [-104.0, 30.0], ROUNDING),
    unary("softplus", lambda t, F, x: F.softplus(x), [20.0, 20.5, -104.0], ROUNDING),
    unary("softplus(2, 5)", lambda t, F, x: F.softplus(x, 2.0, 5.0), [2.5, 2.75, -800.0], ROUNDING),
    unary("softsign", lambda t, F, x: F.softsign(x), tolerance=ROUNDING),
    unary("logsigmoid", lambda t, F, x: F.logsigmoid(x), [-104.0, 40.0, 800.0], ROUNDING),
    unary("tanh (F)", lambda t, F, x: F.tanh(x), tolerance=ROUNDING),
    unary("glu", lambda t, F, x: F.glu(x[:12]), tolerance=ROUNDING),
    unary("prelu", lambda t, F, x: F.prelu(x, t.tensor([0.25], dtype=x.dtype)), half=False),
    unary("special.entr", lambda t, F, x: t.special.entr(x), tolerance=ROUNDING),
    unary("special.erfcx", lambda t, F, x: t.special.erfcx(x), [-27.0, 30.0], 1e-4, half=False),
    # not in the left tail, where ember's is the accurate one (docs/differences.md; PyTorch's
    # float32 ndtr(-5) is 4% off)
    unary("special.ndtr", lambda t, F, x: t.special.ndtr(x), [-2.0, 8.0], ROUNDING, half=False),
    unary("special.log_ndtr", lambda t, F, x: t.special.log_ndtr(x), [-40.0], 1e-4, half=False),
    unary("special.ndtri", lambda t, F, x: t.special.ndtri(x), [0.25], ROUNDING, half=False),
    # i0e's and i1e's float32 gradients at the largest float are 0 (the true -3e-59
    # underflows); PyTorch's 1.6e-27 is what is left of i1e - i0e, two equal float32 values
    unary(
        "special.i0e",
        lambda t, F, x: t.special.i0e(x),
        [800.0],
        ROUNDING,
        half=False,
        left=("float32 gradient",),
    ),
    unary(
        "special.i1",
        lambda t, F, x: t.special.i1(x),
        [800.0],
        ROUNDING,
        half=False,
        edges=EDGES_BUT_TINY,
    ),
    unary(
        "special.i1e",
        lambda t, F, x: t.special.i1e(x),
        [800.0],
        ROUNDING,
        half=False,
        edges=EDGES_BUT_TINY,
        left=("float32 gradient",),
    ),
    unary("special.expit", lambda t, F, x: t.special.expit(x), tolerance=ROUNDING),
    unary("polygamma(2)", lambda t, F, x: t.polygamma(2, x), [0.5], 1e-4, half=False),
    unary("mvlgamma(2)", lambda t, F, x: t.mvlgamma(x, 2), [0.5, 1.5], ROUNDING, half=False),
    unary("sigmoid (F)", lambda t, F, x: F.sigmoid(x), tolerance=ROUNDING),
]

BINARY = [
    binary("add", lambda t, F, a, b: a + b),
    # not at inf or the largest value: PyTorch fuses a + alpha * b into one multiply-add,
    # which keeps inf + alpha * huge at inf (ember: inf - inf, NaN)
    binary(
        "add(alpha)",
        lambda t, F, a, b: t.add(a, b, alpha=-2.0),
        ROUNDING,
        [value for value in PAIR_EDGES if value not in (INF, HUGE)],
    ),
    binary("sub", lambda t, F, a, b: a - b),
    binary("mul", lambda t, F, a, b: a * b),
    binary("div", lambda t, F, a, b: a / b, ROUNDING),
    binary("atan2", lambda t, F, a, b: t.atan2(a, b), ROUNDING),
    binary("hypot", lambda t, F, a, b: t.hypot(a, b), ROUNDING),
    binary("copysign", lambda t, F, a, b: t.copysign(a, b)),
    # no subnormal divisor: PyTorch's fmod(1, 1e-45) is NaN, where the remainder is 0
    binary("fmod", lambda t, F, a, b: t.fmod(a, b), values=PAIR_EDGES_BUT_TINY),
    binary("remainder", lambda t, F, a, b: t.remainder(a, b), values=PAIR_EDGES_BUT_TINY),
    # which zero maximum(0, -0) gives depends on the dtype and the vector length, in both
    # libraries (docs/differences.md)
    binary("maximum", lambda t, F, a, b: t.maximum(a, b), zero_signs=False),
    binary("minimum", lambda t, F, a, b: t.minimum(a, b), zero_signs=False),
    binary("fmax", lambda t, F, a, b: t.fmax(a, b), zero_signs=False),
    binary("fmin", lambda t, F, a, b: t.fmin(a, b), zero_signs=False),
    binary("logaddexp", lambda t, F, a, b: t.logaddexp(a, b), ROUNDING),
    # not at (-1, -1), which is 0 exactly; PyTorch's is -1e-8 (float32)
    binary(
        "logaddexp2",
        lambda t, F, a, b: t.logaddexp2(a, b),
        ROUNDING,
        [value for value in PAIR_EDGES if value != -1.0],
    ),
    binary("xlogy", lambda t, F, a, b: t.xlogy(a, b), ROUNDING),
    binary("xlog1py", lambda t, F, a, b: t.special.xlog1py(a, b), ROUNDING),
    binary("pow", lambda t, F, a, b: t.pow(a, b), ROUNDING),
    binary("float_power", lambda t, F, a, b: t.float_power(a, b), 1e-12, half=False),
    # weight 0.5 at (0, 1e-45): PyTorch's vector loop fuses end - span * (1 - weight) into
    # one multiply-add (0, rounded once), its scalar loop and ember do not (1e-45)
    binary(
        "lerp(0.5)",
        lambda t, F, a, b: t.lerp(a, b, 0.5),
        ROUNDING,
        [value for value in PAIR_EDGES if value != TINY],
    ),
    binary("lerp(tensor)", lambda t, F, a, b: t.lerp(a, t.ones_like(a), b), ROUNDING),
    # tensor bounds with min >= max: docs/differences.md (which bound gets the gradient,
    # and which zero maximum(0, -0) gives)
    binary(
        "clamp(a, b, b)",
        lambda t, F, a, b: t.clamp(t.ones_like(a), a, b),
        left=("gradient",),
    ),
    binary(
        "clamp(x, a, b)",
        lambda t, F, a, b: t.clamp(t.zeros_like(a), a, b),
        left=("gradient",),
        zero_signs=False,
    ),
    binary("where(a > b)", lambda t, F, a, b: t.where(a > b, a, b)),
    binary("where(b == b)", lambda t, F, a, b: t.where(b == b, a / b, b.exp())),
    binary("masked_fill", lambda t, F, a, b: (a * b).masked_fill(b != b, INF)),
    binary("masked_fill(-inf)", lambda t, F, a, b: (a / b).masked_fill(b > 0, -INF)),
    # comparisons: values only (as floats)
    binary("isclose", lambda t, F, a, b: t.isclose(a, b).to(a.dtype)),
    binary("isclose(equal_nan)", lambda t, F, a, b: t.isclose(a, b, equal_nan=True).to(a.dtype)),
    binary("eq", lambda t, F, a, b: (a == b).to(a.dtype)),
    binary("lt", lambda t, F, a, b: (a < b).to(a.dtype)),
    binary("ge", lambda t, F, a, b: (a >= b).to(a.dtype)),
    # addcmul and addcdiv are composed of ops (docs/differences.md): their gradients
    # multiply in another order, which overflows or underflows elsewhere at huge and tiny
    binary(
        "addcmul",
        lambda t, F, a, b: t.addcmul(a, a, b, value=0.5),
        ROUNDING,
        PAIR_EDGES_BUT_TINY_AND_HUGE,
    ),
    binary(
        "addcdiv",
        lambda t, F, a, b: t.addcdiv(a, a, b, value=0.5),
        ROUNDING,
        PAIR_EDGES_BUT_TINY_AND_HUGE,
    ),
    # not at huge: PyTorch's 2 * (a - b) * grad overflows where ember's (a - b) * (2 * grad),
    # on the training loops' path, does not
    binary(
        "mse_loss(none)",
        lambda t, F, a, b: F.mse_loss(a, b, reduction="none"),
        values=[value for value in PAIR_EDGES if value != HUGE],
    ),
    binary(
        "mse_loss(mean)",
        lambda t, F, a, b: F.mse_loss(a, b),
        ROUNDING,
        PAIR_EDGES_BUT_TINY_AND_HUGE,
    ),
    binary("l1_loss(none)", lambda t, F, a, b: F.l1_loss(a, b, reduction="none")),
    binary(
        "smooth_l1_loss(none)",
        lambda t, F, a, b: F.smooth_l1_loss(a, b, reduction="none", beta=1.0),
        ROUNDING,
    ),
    binary(
        "smooth_l1_loss(beta=0)",
        lambda t, F, a, b: F.smooth_l1_loss(a, b, reduction="none", beta=0.0),
    ),
    binary(
        "huber_loss(none)",
        lambda t, F, a, b: F.huber_loss(a, b, reduction="none", delta=1.0),
        ROUNDING,
    ),
    binary(
        "huber_loss(delta=3)",
        lambda t, F, a, b: F.huber_loss(a, b, reduction="none", delta=3.0),
        ROUNDING,
        [0.0, -0.0, 3.0, -3.0, 1.0, INF, NAN, 6.0],
    ),
    binary(
        "smooth_l1_loss(beta=3)",
        lambda t, F, a, b: F.smooth_l1_loss(a, b, reduction="none", beta=3.0),
        ROUNDING,
        [0.0, -0.0, 3.0, -3.0, 1.0, INF, NAN, 6.0],
    ),
    binary(
        "soft_margin_loss(none)",
        lambda t, F, a, b: F.soft_margin_loss(a, b, reduction="none"),
        ROUNDING,
    ),
    binary(
        "bce_with_logits(none)",
        lambda t, F, a, b: F.binary_cross_entropy_with_logits(a, b, reduction="none"),
        ROUNDING,
    ),
    binary(
        "poisson_nll(log_input)",
        lambda t, F, a, b: F.poisson_nll_loss(a, b, reduction="none"),
        ROUNDING,
    ),
    binary(
        "poisson_nll(log_input=False)",
        lambda t, F, a, b: F.poisson_nll_loss(a, b, log_input=False, reduction="none"),
        ROUNDING,
    ),
    binary(
        "kl_div(none)",
        lambda t, F, a, b: F.kl_div(a, b, reduction="none"),
        ROUNDING,
    ),
    binary(
        "kl_div(log_target)",
        lambda t, F, a, b: F.kl_div(a, b, reduction="none", log_target=True),
        ROUNDING,
    ),
    binary(
        "gaussian_nll(none)",
        lambda t, F, a, b: F.gaussian_nll_loss(a, b, b.abs() + 0.5, reduction="none"),
        ROUNDING,
    ),
    binary(
        "gaussian_nll(var)",
        lambda t, F, a, b: F.gaussian_nll_loss(t.zeros_like(a), a, b.abs(), reduction="none"),
        ROUNDING,
    ),
    binary("l1_loss(mean)", lambda t, F, a, b: F.l1_loss(a, b), ROUNDING),
    binary("huber_loss(mean)", lambda t, F, a, b: F.huber_loss(a, b), ROUNDING),
    binary("smooth_l1_loss(sum)", lambda t, F, a, b: F.smooth_l1_loss(a, b, reduction="sum")),
    binary(
        "margin_ranking(none)",
        lambda t, F, a, b: F.margin_ranking_loss(a, b, t.ones_like(a), reduction="none"),
    ),
    binary(
        "hinge_embedding(none)",
        lambda t, F, a, b: F.hinge_embedding_loss(a, b.sign(), reduction="none"),
    ),
]

PROBABILITIES = [0.0, -0.0, 1.0, 0.5, TINY, 1.0 - 2**-20, 2**-30]
PROBABILITY_LINES = [
    Line(
        "binary_cross_entropy(none)",
        lambda t, F, p, y: F.binary_cross_entropy(p, y, reduction="none"),
        _pairs(PROBABILITIES),
        ROUNDING,
    ),
    Line(
        "binary_cross_entropy(mean)",
        lambda t, F, p, y: F.binary_cross_entropy(p, y),
        _pairs(PROBABILITIES),
        ROUNDING,
    ),
]

# Rows of ties, infinities, NaNs and zeros for the reductions (each along dim 1 and whole).
ROWS = [
    [1.0, 1.0, 0.0, 1.0],
    [INF, INF, 1.0, -INF],
    [NAN, 1.0, NAN, 2.0],
    [-INF, -INF, -INF, -INF],
    [0.0, -0.0, 0.0, -0.0],
    [2.0, 2.0, 2.0, 2.0],
    [NAN, NAN, NAN, NAN],
    [HUGE, HUGE, -1.0, TINY],
    [0.0, 3.0, 0.0, 2.0],
    [0.0, 3.0, 5.0, 2.0],
    [-1.0, TINY, "-tiny", 1.0],
]
# The nanmedian of a row of NaN only gives its gradient to another index (documented).
ROWS_BUT_ALL_NAN = [row for row in ROWS if any(value == value for value in row)]
# The norms' gradients at NaN differ (docs/differences.md).
ROWS_BUT_NAN = [row for row in ROWS if all(value == value for value in row)]
QUANTILE_ROWS = [row for row in ROWS_BUT_NAN if TINY not in row]
TIES = ("gradient", "value")  # the values' zeros' signs, and the gradients' places
# Rows without NaN or inf, for what those make documented differences in (var's gradient
# at NaN and inf, mode's value beside NaN).
FINITE_ROWS = [
    [1.0, 1.0, 0.0, 1.0],
    [0.0, -0.0, 0.0, -0.0],
    [2.0, 2.0, 2.0, 2.0],
    [0.0, 3.0, 0.0, 2.0],
    [-1.0, TINY, "-tiny", 1.0],
    [HUGE, 1.0, 0.5, -1.0],
]
# var's gradient multiplies in another order than PyTorch's (the centred values by 2 / d
# first, against overflow), which rounds a subnormal's otherwise, and overflows elsewhere
# beside the largest float: the rows without those
VARIANCE_ROWS = [row for row in FINITE_ROWS if TINY not in row and HUGE not in row]


def rows(name, call, tolerance=0.0, data=ROWS, half=True, **leave):
    return Line(name, call, (data,), tolerance, half, **leave)


REDUCTIONS = [
    # which zero amax of 0 and -0 gives: PyTorch's first met (docs/differences.md)
    rows("max()", lambda t, F, x: x.max(), zero_signs=False),
    rows("min()", lambda t, F, x: x.min(), zero_signs=False),
    rows("amax()", lambda t, F, x: x.amax(), zero_signs=False),
    rows("amax(1)", lambda t, F, x: x.amax(1), zero_signs=False),
    rows("amin(1)", lambda t, F, x: x.amin(1), zero_signs=False),
    rows("amax((0, 1))", lambda t, F, x: x.amax((0, 1)), zero_signs=False),
    rows("max(1)", lambda t, F, x: x.max(1).values),
    rows("min(1)", lambda t, F, x: x.min(1).values),
    rows("max(1).indices", lambda t, F, x: x.max(1).indices.double()),
    rows("min(1).indices", lambda t, F, x: x.min(1).indices.double()),
    rows("aminmax", lambda t, F, x: t.aminmax(x, dim=1), zero_signs=False),
    # which of equal zeros (0. and -0.) is the median: PyTorch's selection's, ember's
    # stable sort's (docs/differences.md: which of equal values kthvalue picks)
    rows("median()", lambda t, F, x: x.median(), zero_signs=False),
    rows("median(1)", lambda t, F, x: x.median(1).values, zero_signs=False),
    rows("median(1).indices", lambda t, F, x: x.median(1).indices.double()),
    rows("nanmedian()", lambda t, F, x: x.nanmedian(), zero_signs=False),
    # documented (docs/differences.md): nanmedian's index in a row of NaN only, mode's
    # value in a row with NaN, and which of equal values kthvalue and topk pick (and so
    # send the gradient to)
    rows("nanmedian(1)", lambda t, F, x: x.nanmedian(1).values, data=ROWS_BUT_ALL_NAN),
    rows("mode(1)", lambda t, F, x: x.mode(1).values, data=FINITE_ROWS),
    rows("kthvalue(2, 1)", lambda t, F, x: x.kthvalue(2, 1).values, left=TIES),
    rows("topk(2)", lambda t, F, x: x.topk(2, 1).values, left=TIES),
    rows("topk(2, largest=False)", lambda t, F, x: x.topk(2, 1, largest=False).values, left=TIES),
    rows("sort(1)", lambda t, F, x: x.sort(dim=1, stable=True).values),
    rows("sort(1).indices", lambda t, F, x: x.sort(dim=1, stable=True).indices.double()),
    rows("sort(descending)", lambda t, F, x: x.sort(dim=1, descending=True, stable=True).values),
    rows("cummax(1)", lambda t, F, x: x.cummax(1).values),
    rows("cummin(1)", lambda t, F, x: x.cummin(1).values),
    rows("cummax(1).indices", lambda t, F, x: x.cummax(1).indices.double()),
    rows("cumsum(1)", lambda t, F, x: x.cumsum(1)),
    rows("logcumsumexp(1)", lambda t, F, x: x.logcumsumexp(1), ROUNDING),
    rows("sum(1)", lambda t, F, x: x.sum(1)),
    rows("mean(1)", lambda t, F, x: x.mean(1), ROUNDING),
    rows("nansum(1)", lambda t, F, x: x.nansum(1)),
    rows("nanmean(1)", lambda t, F, x: x.nanmean(1), ROUNDING),
    # float16: PyTorch rounds each product to float16 (65504 * 65504 is inf), NumPy's
    # product carries float32 along the row (-255.75 for the row of huge)
    # and not drawn: with a zero anywhere in the tensor, PyTorch's gradient multiplies the
    # products before and after each value (inf * 0 is NaN where a row overflows), ember
    # the others in their order (tests/test_edge_gradients.py says the same of cumprod)
    rows("prod(1)", lambda t, F, x: x.prod(1), left=("float16",), drawn=False),
    rows("prod()", lambda t, F, x: x[8:].prod(), drawn=False),
    rows("logsumexp(1)", lambda t, F, x: x.logsumexp(1), ROUNDING),
    # float16 as PyTorch composes it: each step rounded, the sum in float32
    rows(
        "logsumexp (float16 steps)",
        lambda t, F, x: t.cat([x.logsumexp(1), x.logsumexp(0)]),
        1e-4,
        [[1.0, 1.0, 0.0, "-tiny"], [2.0, -1.0, 1.0, 0.0], [1.0, 0.5, -2.5, 1.0]],
    ),
    # the softmaxes' gradients are differences of near-equal terms: what they leave may
    # differ by a rounding of the terms (1e-17 in float64, 1e-8 in float32); that of
    # softmax(x).sum() is 0, both libraries' a residue of that kind
    rows(
        "softmax(1)",
        lambda t, F, x: F.softmax(x, 1),
        ROUNDING,
        left=("sum's gradient",),
        residue=1e-7,
    ),
    # float16: PyTorch's kernel misses the correct rounding (docs/differences.md)
    rows(
        "log_softmax(1)",
        lambda t, F, x: F.log_softmax(x, 1),
        1e-4,
        left=("float16",),
        residue=1e-7,
    ),
    rows(
        "softmin(1)",
        lambda t, F, x: F.softmin(x, 1),
        ROUNDING,
        left=("sum's gradient",),
        residue=1e-7,
    ),
    rows("var(1)", lambda t, F, x: x.var(1), ROUNDING, VARIANCE_ROWS),
    rows("std(1)", lambda t, F, x: x.std(1), ROUNDING, VARIANCE_ROWS),
    rows("var(1, correction=0)", lambda t, F, x: x.var(1, correction=0), ROUNDING, VARIANCE_ROWS),
    rows("std(1, correction=0)", lambda t, F, x: x.std(1, correction=0), ROUNDING, VARIANCE_ROWS),
    rows("var_mean(1)", lambda t, F, x: t.var_mean(x, 1), ROUNDING, VARIANCE_ROWS),
    rows("std_mean(1)", lambda t, F, x: t.std_mean(x, 1), ROUNDING, VARIANCE_ROWS),
    rows("std of one", lambda t, F, x: x[:, :1].std(1, correction=0), ROUNDING, VARIANCE_ROWS),
    rows("var of one", lambda t, F, x: x[:, :1].var(1, correction=0), ROUNDING, VARIANCE_ROWS),
    rows("std of one (correction 1)", lambda t, F, x: x[:, :1].std(1), ROUNDING, VARIANCE_ROWS),
    rows("var(correction=4)", lambda t, F, x: x.var(1, correction=4), ROUNDING, VARIANCE_ROWS),
    rows("std(correction=5)", lambda t, F, x: x.std(1, correction=5), ROUNDING, VARIANCE_ROWS),
    rows("var() of all", lambda t, F, x: x[1:3].var(correction=8), ROUNDING, VARIANCE_ROWS),
    rows("norm(1)", lambda t, F, x: x.norm(dim=1), ROUNDING),
    rows("norm()", lambda t, F, x: x[4:6].norm(), ROUNDING),
    rows("vector_norm(0)", lambda t, F, x: t.linalg.vector_norm(x, 0, 1)),
    rows("vector_norm(1)", lambda t, F, x: t.linalg.vector_norm(x, 1, 1)),
    rows("vector_norm(inf)", lambda t, F, x: t.linalg.vector_norm(x, INF, 1), data=ROWS_BUT_NAN),
    rows("vector_norm(-inf)", lambda t, F, x: t.linalg.vector_norm(x, -INF, 1), data=ROWS_BUT_NAN),
    rows("vector_norm(3)", lambda t, F, x: t.linalg.vector_norm(x, 3, 1), ROUNDING),
    # float16: sqrt(6e-8) summed in float32 rounds to 4 where PyTorch's is 4.004
    rows(
        "vector_norm(0.5)",
        lambda t, F, x: t.linalg.vector_norm(x, 0.5, 1),
        ROUNDING,
        left=("float16",),
    ),
    # the gradients of the cosines and of normalize are differences of near-equal terms
    # too, whose residues (1e-7 in float32) may differ
    rows("normalize", lambda t, F, x: F.normalize(x, dim=1), ROUNDING, residue=1e-6),
    rows("normalize(p=1)", lambda t, F, x: F.normalize(x, p=1.0, dim=1), ROUNDING, residue=1e-6),
    rows(
        "cosine_similarity",
        lambda t, F, x: F.cosine_similarity(x, x.flip(0)),
        ROUNDING,
        residue=1e-6,
    ),
    rows(
        "cosine_similarity(self)",
        lambda t, F, x: F.cosine_similarity(x, x * 1),
        ROUNDING,
        residue=1e-6,
    ),
    rows("pairwise_distance", lambda t, F, x: F.pairwise_distance(x, x.flip(0)), ROUNDING),
    rows("dist", lambda t, F, x: t.dist(x[4], x[5]), ROUNDING),
    rows("dist(self)", lambda t, F, x: t.dist(x, x * 1), ROUNDING),
    rows("cdist", lambda t, F, x: t.cdist(x, x * 1), ROUNDING),
    # finite rows: PyTorch's p=1 backward spreads a NaN distance to every element
    rows("cdist(p=1)", lambda t, F, x: t.cdist(x, x.flip(0), p=1.0), ROUNDING, data=FINITE_ROWS),
    rows("pdist", lambda t, F, x: F.pdist(x), ROUNDING),
    rows("pdist(p=inf)", lambda t, F, x: F.pdist(x, INF)),
    # quantiles interpolate as lerp does: not beside subnormals (see lerp(0.5) above)
    rows("quantile(0.5)", lambda t, F, x: t.quantile(x, 0.5, dim=1), ROUNDING, QUANTILE_ROWS),
    rows("quantile(0.25)", lambda t, F, x: t.quantile(x, 0.25, dim=1), ROUNDING, QUANTILE_ROWS),
    rows(
        "nanquantile(0.5)",
        lambda t, F, x: t.nanquantile(x, 0.5, dim=1),
        ROUNDING,
        [row for row in ROWS if TINY not in row],
    ),
    rows("nanmean()", lambda t, F, x: x[6:7].nanmean()),
    rows("nansum()", lambda t, F, x: x[6:7].nansum()),
    rows("cumprod(1)", lambda t, F, x: x[[0, 4, 5, 8, 9]].cumprod(1), drawn=False),
    # not drawn: trace's inf - inf warns from NumPy's module (ops/matrix_parts.py, not
    # this family's; the report gives the fix)
    rows("trace", lambda t, F, x: x[:4].trace(), drawn=False),
    rows("diff(1)", lambda t, F, x: x.diff(dim=1)),
    rows(
        "cosine_embedding",
        lambda t, F, x: F.cosine_embedding_loss(x, x.flip(0), t.ones(len(x)), reduction="none"),
        ROUNDING,
        ROWS_BUT_NAN,
        residue=1e-6,
    ),
    rows(
        "triplet_margin",
        lambda t, F, x: F.triplet_margin_loss(x, x.flip(0), x * 2, reduction="none"),
        ROUNDING,
        ROWS_BUT_NAN,
    ),
    rows("sum of empty", lambda t, F, x: x[:, :0].sum(1)),
    rows("mean of empty", lambda t, F, x: x[:, :0].mean(1)),
    rows("mean() of empty", lambda t, F, x: x[:0].mean()),
    rows("amax of ties with -0", lambda t, F, x: x[4:5].amax(), zero_signs=False),
]


def _class_line(name, call, tolerance=ROUNDING, zero_signs=True, huge=True):
    logits = [
        [-INF, 0.0, 1.0],
        [-INF, -INF, 2.0],
        [-INF, -INF, -INF],
        [0.0, 0.0, 0.0],
        [HUGE, 0.0, -1.0],
        [INF, 0.0, 1.0],
    ]
    if not huge:
        logits = [
            [value for value in row if value != HUGE] + [0.0] * (HUGE in row) for row in logits
        ]
    return Line(name, call, (logits,), tolerance, zero_signs=zero_signs)


def _targets(t):
    return t.tensor([0, 1, 2, 2, 0, 1])


CLASS_LINES = [
    # with a negative upstream gradient, PyTorch's zeros off the target are +0 (written
    # into zeros), ember's -0 (a product): left, as the training loops' path
    _class_line(
        "cross_entropy",
        lambda t, F, x: F.cross_entropy(x, _targets(t), reduction="none"),
        zero_signs=False,
    ),
    _class_line(
        "cross_entropy(mean)", lambda t, F, x: F.cross_entropy(x[[0, 3, 4]], _targets(t)[:3])
    ),
    _class_line(
        "cross_entropy(smoothing)",
        lambda t, F, x: F.cross_entropy(x[[0, 3, 4]], _targets(t)[:3], label_smoothing=0.2),
    ),
    _class_line(
        "cross_entropy(ignore all)",
        lambda t, F, x: F.cross_entropy(x, _targets(t) * 0 - 100),
    ),
    _class_line(
        "cross_entropy(ignore all, sum)",
        lambda t, F, x: F.cross_entropy(x, _targets(t) * 0 + 1, ignore_index=1, reduction="sum"),
    ),
    _class_line(
        "nll_loss",
        lambda t, F, x: F.nll_loss(x, _targets(t), reduction="none"),
        zero_signs=False,
    ),
    # not huge: whether the sum of inf, -huge and -huge overflows to -inf before the inf
    # (NaN) depends on the order of the additions
    _class_line("nll_loss(mean)", lambda t, F, x: F.nll_loss(x, _targets(t)), huge=False),
    _class_line(
        "nll_loss(ignore all)", lambda t, F, x: F.nll_loss(x, _targets(t) * 0, ignore_index=0)
    ),
    _class_line(  # the same, the other way: ember's +0 at -inf, PyTorch's -0
        "multi_margin_loss",
        lambda t, F, x: F.multi_margin_loss(x, _targets(t), reduction="none"),
        zero_signs=False,
    ),
    _class_line(
        "multilabel_soft_margin",
        lambda t, F, x: F.multilabel_soft_margin_loss(x, (x > 0).to(x.dtype), reduction="none"),
    ),
]

# Sums that overflow (or meet inf - inf) from finite terms: quiet, as in PyTorch (an
# array's sum() method warns from NumPy's own module, which ember's filter does not reach).
NEAR_OVERFLOW = [[1.5e19, 1.5e19, 1.0], [1e154, 1e154, -1.0], [2.0, 1.0, 0.5]]
QUIET_SUMS = [
    Line("norm near overflow", lambda t, F, x: x.norm(dim=1), (NEAR_OVERFLOW,), ROUNDING),
    Line(
        "vector_norm(3) near overflow",
        lambda t, F, x: t.linalg.vector_norm(x, 3, 1),
        ([[5e12, 6e12, 1.0], [5e102, 6e102, 1.0], [2.0, 1.0, 0.5]],),
        ROUNDING,
    ),
    Line("pdist near overflow", lambda t, F, x: F.pdist(x), (NEAR_OVERFLOW,), ROUNDING),
    Line("dist near overflow", lambda t, F, x: t.dist(x[:2], -x[:2]), (NEAR_OVERFLOW,), ROUNDING),
    Line(
        "cdist(p=3) near overflow",
        lambda t, F, x: t.cdist(x, -x, p=3.0),
        ([[5e12, 6e12, 1.0], [5e102, 6e102, 1.0], [2.0, 1.0, 0.5]],),
        ROUNDING,
    ),
    Line(
        "pairwise_distance near overflow",
        lambda t, F, x: F.pairwise_distance(x, -x),
        (NEAR_OVERFLOW,),
        ROUNDING,
    ),
    Line(
        "nll_loss(sum) of inf and -inf",
        lambda t, F, x: F.nll_loss(x, t.tensor([0, 1]), reduction="sum"),
        ([[-INF, 0.0], [0.0, INF]],),
    ),
    Line(
        "multi_margin_loss near overflow",
        lambda t, F, x: F.multi_margin_loss(x, t.tensor([0, 1])),
        ([[0.0, HUGE, HUGE], [1.0, 0.0, 0.5]],),
        ROUNDING,
    ),
    Line(
        "smooth_l1_loss(mean) near overflow",
        lambda t, F, x: F.smooth_l1_loss(x, -x),
        ([HUGE, HUGE, 1.0],),
        ROUNDING,
    ),
    Line(
        "bce_with_logits(sum) near overflow",
        lambda t, F, x: F.binary_cross_entropy_with_logits(x, t.zeros_like(x), reduction="sum"),
        ([HUGE, HUGE, 1.0],),
        ROUNDING,
    ),
]
# glu's gradient of b at a huge b (sigmoid 1) beside a huge a: 0, not inf * 0
GLU_LINE = Line("glu at huge", lambda t, F, x: F.glu(x), ([HUGE, 1.0, "-huge", HUGE, 40.0, HUGE],))

# (Not drawn: their values are picked to overflow in the sums, and drawn in other orders
# they leave only rounding residues of terms that cancel.)
QUIET_SUMS = [line._replace(drawn=False) for line in QUIET_SUMS]

LINES = UNARY + BINARY + PROBABILITY_LINES + REDUCTIONS + CLASS_LINES + QUIET_SUMS + [GLU_LINE]


def _outputs(result):
    """The float tensors of a result (a tensor, or a tuple of them)."""
    results = result if isinstance(result, tuple) else (result,)
    return [r for r in results if r.dtype.is_floating_point]


def _weights(library, out):
    pattern = np.resize(np.array(WEIGHTS), out.numel()).reshape(tuple(out.shape))
    return library.tensor(pattern, dtype=out.dtype)


def _run(library, line, data, dtype, weighted):
    """(outputs, gradients) of ``line`` in ``library``, or the exception it raised."""
    needs_grad = dtype != "float16"
    tensors = [
        library.tensor(values, dtype=getattr(library, dtype), requires_grad=needs_grad)
        for values in data
    ]
    try:
        outputs = _outputs(line.call(library, library.nn.functional, *tensors))
        if not needs_grad or not any(out.requires_grad for out in outputs):
            return [out.detach() for out in outputs], []
        total = 0
        for out in outputs:
            total = total + ((out * _weights(library, out)) if weighted else out).sum()
        total.backward()
    except Exception as error:  # compared by kind only: the edge values are the point
        return error, None
    return [out.detach() for out in outputs], [_plain(tensor.grad) for tensor in tensors]


def _plain(grad):
    """A gradient as a plain tensor: some of PyTorch's are ZeroTensors, which refuse
    ``numpy()``."""
    if isinstance(grad, torch.Tensor) and grad._is_zerotensor():
        return torch.zeros(grad.shape, dtype=grad.dtype)
    return grad


def _without_residues(mine, theirs, residue):
    """The two results with ember's values put where both are within ``residue`` of each
    other (a sum that cancels to 0 in one library and to 1e-17 in the other)."""
    a, b = mine.numpy().astype(float), theirs.numpy().astype(float)
    with np.errstate(invalid="ignore"):  # inf - inf: not near
        near = np.abs(a - b) <= residue
    return mine, torch.tensor(np.where(near, a, b), dtype=theirs.dtype)


def differences(line, dtype, data=None):
    """What ember does otherwise than PyTorch on ``line`` in ``dtype``, as messages."""
    data = resolve(list(data or line.inputs), dtype)
    found = []
    for weighted in (False, True):
        results, warned = {}, {}
        for library in (ember, torch):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                # ember's filter of NumPy's "encountered in" warnings, as `import ember`
                # adds it (pytest's own catch_warnings drops it)
                warnings.filterwarnings("ignore", ".*encountered in", RuntimeWarning, r"ember\.")
                results[library] = _run(library, line, data, dtype, weighted)
            warned[library] = sorted({str(warning.message)[:30] for warning in caught})
        if warned[ember] != warned[torch]:
            found.append(f"warnings: ember {warned[ember]}, torch {warned[torch]}")
        (mine, my_grads), (theirs, their_grads) = results[ember], results[torch]
        if isinstance(mine, Exception) or isinstance(theirs, Exception):
            if type(mine) is type(theirs) or (
                isinstance(mine, Exception) and isinstance(theirs, Exception)
            ):
                return found
            found.append(f"ember {mine!r}, torch {theirs!r}")
            return found
        checks = [("value", a, b) for a, b in zip(mine, theirs)] if not weighted else []
        what = "weighted gradient" if weighted else "sum's gradient"
        checks += [(what, a, b) for a, b in zip(my_grads, their_grads)]
        if (len(mine), len(my_grads)) != (len(theirs), len(their_grads)):
            found.append(
                f"outputs and gradients: ember {len(mine)}, {len(my_grads)}; torch "
                f"{len(theirs)}, {len(their_grads)}"
            )
        for what, a, b in checks:
            if (a is None) != (b is None):
                found.append(f"{what}: ember {a}, torch {b}")
                continue
            kind = set(f"{dtype} {what}".split())
            if a is None or any(set(part.split()) <= kind for part in line.left):
                continue
            if line.residue:
                a, b = _without_residues(a, b, line.residue)
            try:
                message = f"{line.name} {dtype} {what} at {data}"
                same_bits(a, b, line.tolerance, message, line.zero_signs)
            except AssertionError as error:
                found.append(str(error))
    return found


def _dtypes(line):
    return ["float32", "float64"] + ["float16"] * line.half


GRID = [
    pytest.param(line, dtype, id=f"{line.name}-{dtype}")
    for line in LINES
    for dtype in _dtypes(line)
]


@pytest.mark.parametrize("line, dtype", GRID)
def test_edge_values_match_pytorch(line, dtype):
    assert differences(line, dtype) == []


def _random_inputs(line, rng):
    """The line's inputs in their shapes, each value drawn from the line's own values (so
    what a line leaves out stays out)."""
    drawn = []
    for values in line.inputs:
        pool = np.array(values, dtype=object)
        drawn.append(rng.choice(pool.ravel(), size=pool.shape).tolist())
    return tuple(drawn)


def test_random_edge_values_match_pytorch():
    """EDGE_GRID_PROGRAMS (default 40) random lines at values drawn from their own
    (EDGE_GRID_SEED): values, gradients and warnings as PyTorch's."""
    rng = np.random.default_rng(int(os.environ.get("EDGE_GRID_SEED", "0")))
    drawn = [line for line in LINES if line.drawn]
    for _ in range(int(os.environ.get("EDGE_GRID_PROGRAMS", "40"))):
        line = drawn[int(rng.integers(len(drawn)))]
        dtype = str(rng.choice(_dtypes(line)))
        assert differences(line, dtype, _random_inputs(line, rng)) == [], line.name


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("grad_mode", [True, False])
def test_in_place_power_of_minus_a_half_is_rsqrt_as_in_torch(dtype, grad_mode):
    """``x.pow_(-0.5)`` wrote C's pow (inf at -0, 0 at -inf) where ``x ** -0.5`` and PyTorch
    give rsqrt's -inf and NaN (float16 keeps C's pow in both)."""
    values = [-0.0, -math.inf, 4.0, 0.0, math.inf, -1.0]
    results = []
    for library in (ember, torch):
        x = library.tensor(values, dtype=getattr(library, dtype))
        with library.set_grad_enabled(grad_mode):
            results.append(x.pow_(-0.5))
    same_bits(*results)


def test_trace_through_inf_and_minus_inf_is_a_quiet_nan():
    """NumPy's trace warned of inf - inf; PyTorch's NaN is quiet."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", module="ember")  # ember's own filter, kept
        total = ember.tensor([[math.inf, 0.0], [0.0, -math.inf]]).trace()
    assert math.isnan(total.item())
