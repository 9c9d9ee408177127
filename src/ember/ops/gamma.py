"""The gamma family: lgamma, digamma, polygamma and mvlgamma, and the modified Bessel
functions of the first kind i0, i1 and their scaled forms i0e, i1e, each a Function with
its forward and backward side by side.

NumPy has none of them, and ember takes nothing from SciPy: the values come from the
series below, written on array ops so that CuPy runs them too. Each computes in float64
and rounds once to the input's dtype (float32 and float16 too, as PyTorch's float16
kernels compute in float32 and round once). Measured against mpmath from 1e-35 to 1e35
and over [-30, 30], a float32 result is within a rounding of the true value, a float64
one within a few (within 10 for i0 and i1, 15 for polygamma up to n = 50), except right
next to a zero below 0 (of lgamma, digamma, polygamma), where the reflection formula
cancels digits: there the error is a few roundings of the terms (1e-16), as in PyTorch.
tests/test_gamma.py checks them against PyTorch over those ranges. A result to be rounded
to float32 (or float16) needs about 10 digits, not 17: its series stop sooner (lgamma's,
polygamma's, and digamma's for large x), at no cost to that rounding (within 0.5 roundings
of the true value, measured; tests/test_special_speed_paths.py checks each boundary).
Large arrays are computed in blocks, each branch of a function on its own elements only
(backend.computed_in_float64 and backend.piecewise). Integer and bool tensors compute in
the default float type.

Poles, infinities and NaN give PyTorch's values: lgamma is inf at 0 and at the negative
integers; digamma is -inf at +0, inf at -0 and NaN at the negative integers;
polygamma(n >= 1) is (-1)^(n+1) inf at 0 and the negative integers.
"""

import math

from ..arguments import integer_argument
from ..autograd.function import Function
from ..backend import (
    branch_taken,
    computed_in_float64,
    piecewise,
    polynomial,
    select,
    zero_where,
)
from ..backend import namespace_of as xp  # the array namespace of an array
from ..creation import refuse_out
from ..function_forms import needs_tensors
from ..tensor import Tensor
from .rounding import sign
from .selection import where
from .unary_math import as_floating

EULER_GAMMA = 0.57721566490153286061
HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)

# Bernoulli numbers B_2, B_4, ..., B_24, which every asymptotic series below is made of.
BERNOULLI = (
    1 / 6,
    -1 / 30,
    1 / 42,
    -1 / 30,
    5 / 66,
    -691 / 2730,
    7 / 6,
    -3617 / 510,
    43867 / 798,
    -174611 / 330,
    854513 / 138,
    -236364091 / 2730,
)


def _polynomial(coefficients, x):
    """The polynomial with ``coefficients`` lowest power first (so that a series cut short
    keeps its first terms) at the array ``x``: a new array, not ``x``."""
    return polynomial(coefficients[::-1], x)


def _nearest_integer_offset(x):
    """x minus the nearest integer: exact, in [-0.5, 0.5], and 0 at the integers, so that
    sin(pi x) from it keeps the digits that pi * x would lose."""
    return x - xp(x).round(x)


def _cot_pi(x):
    """cot(pi x), from the offset r of x from the nearest integer: 1 / tan(pi r) near the
    integers (inf at them), tan(pi (1/2 - r)) near the half-integers, where 1/2 - r is exact
    and so the result is exactly 0 at them (1 / tan(pi / 2) would be 6e-17, not 0)."""
    namespace = xp(x)
    offset = _nearest_integer_offset(x)
    near_half = namespace.tan(math.pi * (namespace.copysign(0.5, offset) - offset))
    return namespace.where(
        namespace.abs(offset) <= 0.25, 1 / namespace.tan(math.pi * offset), near_half
    )


# lgamma ---------------------------------------------------------------------------------

# Stirling's series: lgamma(y) = (y - 1/2) log y - y + log(2 pi)/2 + sum_k B_2k y^(1-2k) /
# (2k (2k - 1)). From y = 10 on, 8 terms leave an error below 1e-17 of the value, and 3 an
# error below 5e-12, enough for a result rounded to float32 (whose rounding is 3e-8).
STIRLING_FROM = 10.0
STIRLING_SERIES = tuple(b / (2 * k * (2 * k - 1)) for k, b in enumerate(BERNOULLI[:8], 1))
STIRLING_TERMS_FOR_FLOAT32 = 3


def _log_gamma(x, for_float32=False):
    """log|Gamma(x)| of a float64 array (``for_float32``: to be rounded to float32, which
    needs fewer terms of each series). Below 0 by the reflection formula Gamma(x) Gamma(1 - x)
    = pi / sin(pi x)."""
    namespace = xp(x)
    reflected = x < 0
    if not branch_taken(reflected):
        return _log_gamma_of_positive(x, for_float32)
    value = _log_gamma_of_positive(select(reflected, 1 - x, x), for_float32)
    sine = namespace.abs(namespace.sin(math.pi * _nearest_integer_offset(x)))
    value = select(reflected, math.log(math.pi) - namespace.log(sine) - value, value)
    # inf at the poles, also past 2**52, where lgamma(1 - x) is inf too (inf - inf); and
    # -log|x| next to 0, where pi x would be a subnormal short of digits
    value = namespace.where(reflected & (sine == 0), math.inf, value)
    value = namespace.where(reflected & (x > -1e-300), -namespace.log(-x), value)
    return namespace.where(x == -math.inf, math.inf, value)


def _log_gamma_of_positive(y, for_float32):
    """lgamma of a float64 array of values >= 0 (inf at 0 and at inf). Stirling's series from
    10 on; below, the recurrence Gamma(y + 1) = y Gamma(y) moves y to z + 2 with z in
    [-0.5, 0.5), where the Taylor series of lgamma about 2 is accurate to the last digit even
    next to the zeros at 1 and 2 (z = y - 1 or y - 2 is exact there, and so is the series'
    first term). (Moving y up to Stirling's series instead would cancel digits: lgamma(3.3)
    is 1.0, made of lgamma(11.3) = 15.9 less log(3.3 * 4.3 * ... * 10.3) = 14.9.)"""
    return piecewise(
        y < STIRLING_FROM,  # (False for NaN, which Stirling's series keeps)
        lambda y: _log_gamma_near_two(y, for_float32),
        lambda y: _stirling(y, for_float32),
        y,
    )


def _log_gamma_near_two(y, for_float32):
    """lgamma(y) for 0 <= y < 10 as lgamma(z + 2) + log(Gamma(y) / Gamma(z + 2)). That ratio
    is the product (y - 1) (y - 2) ... (z + 2) when y >= 1.5, and 1 / (y (y + 1)) or 1 / y
    below. Each max(y - j, 1), j = 1 ... 8, is one of the factors or 1, but for one: z + 1,
    taken where it is above 1; and min(y, 1) is y where y < 1. Dividing by max(z + 1, 1) and
    by min(y, 1) makes the ratio in every case, with no branch per element. The log of that
    divisor is taken apart from the product's: next to 1, where lgamma is tiny, it is log y,
    exactly, not the log of a rounded 1/y, which would swamp the value."""
    namespace = xp(y)
    small, steps, z = _near_two(y)
    product = namespace.maximum(small - 1.0, 1.0)
    for shift in range(2, int(STIRLING_FROM) - 1):
        product *= namespace.maximum(small - shift, 1.0)
    divisor = namespace.maximum(z + 1.0, 1.0)
    divisor *= namespace.minimum(small, 1.0)
    series = LOG_GAMMA_NEAR_TWO[:LOG_GAMMA_TERMS_FOR_FLOAT32] if for_float32 else LOG_GAMMA_NEAR_TWO
    value = _polynomial(series, z)
    value *= z
    value += namespace.log(product, out=product)
    value -= namespace.log(divisor, out=divisor)
    return value


def _near_two(y):
    """``y`` (>= 0) bounded by 10, how many steps of the recurrence move it into [1.5, 2.5)
    (-2 to 8; negative: up), and z = (y moved there) - 2, exact."""
    small = xp(y).minimum(y, STIRLING_FROM)
    steps = xp(y).floor(small - 1.5)
    return small, steps, small - (steps + 2)


def _stirling(y, for_float32):
    """Stirling's series for lgamma(y), y >= 10, its first terms written (y - 1/2) (log y -
    1) - 1/2, which is inf at y = inf, where (y - 1/2) log y - y would be inf - inf."""
    namespace = xp(y)
    series = STIRLING_SERIES[:STIRLING_TERMS_FOR_FLOAT32] if for_float32 else STIRLING_SERIES
    inverse = 1 / y
    value = namespace.log(y)
    value -= 1.0
    value *= y - 0.5
    value += HALF_LOG_TWO_PI - 0.5
    inverse_series = _polynomial(series, inverse * inverse)
    inverse_series *= inverse
    value += inverse_series
    return value


# digamma and polygamma ------------------------------------------------------------------

# The asymptotic series digamma(y) = log y - 1/(2y) - sum_k B_2k / (2k y^2k), from y = 10
# on, where 8 terms leave an error below 1e-17 of the value, and 3 below 2e-11.
DIGAMMA_SERIES = tuple(-b / (2 * k) for k, b in enumerate(BERNOULLI[:8], 1))
DIGAMMA_TERMS_FOR_FLOAT32 = 3


def _digamma(x, for_float32=False):
    """digamma of a float64 array; below 0 by the reflection formula digamma(1 - x) -
    digamma(x) = pi / tan(pi x). NaN at the negative integers and -inf, as in PyTorch."""
    namespace = xp(x)
    reflected = x < 0
    if not branch_taken(reflected):
        return _digamma_of_positive(x, for_float32)
    value = _digamma_of_positive(select(reflected, 1 - x, x), for_float32)
    value = select(reflected, value - math.pi * _cot_pi(x), value)
    pole = reflected & (x == namespace.floor(x))  # the negative integers, and -inf
    return namespace.where(pole, math.nan, value)


def _digamma_of_positive(y, for_float32):
    """digamma of a float64 array of values >= 0: the asymptotic series from 10 on; below,
    the recurrence digamma(y + 1) = digamma(y) + 1/y moves y to z + 2, z in [-0.5, 0.5), where
    the Taylor series of digamma about 2 (lgamma's, differentiated) holds. digamma(1) is
    -gamma to the last digit, where ten steps up to the asymptotic series would lose 3 of
    them. At y = +0 and -0, -1/y gives PyTorch's -inf and inf."""
    return piecewise(
        y < STIRLING_FROM,  # (False for NaN, which the asymptotic series keeps)
        _digamma_near_two,
        lambda y: _digamma_asymptotic(y, for_float32),
        y,
    )


def _digamma_near_two(y):
    """digamma(y) for 0 <= y < 10: digamma(z + 2) plus 1/(y - 1) + ... + 1/(z + 2) (y >= 1.5),
    or less 1/y (y < 1.5) and 1/(y + 1) (y < 0.5). The Taylor series keeps all its terms even
    for a float32 result: below 1.5 it cancels against 1/y next to digamma's zero at 1.46,
    which a float32 x comes within 1e-8 of."""
    namespace = xp(y)
    small, steps, z = _near_two(y)
    value = _polynomial(DIGAMMA_NEAR_TWO, z)
    for shift in range(1, int(STIRLING_FROM) - 1):
        term = small - shift
        value += zero_where(steps < shift, namespace.divide(1.0, term, out=term))
    if branch_taken(steps < 0):
        value -= zero_where(steps >= 0, 1 / small)
        value -= zero_where(steps >= -1, 1 / (small + 1))
    return value


def _digamma_asymptotic(y, for_float32):
    """The asymptotic series for digamma(y), y >= 10."""
    namespace = xp(y)
    series = DIGAMMA_SERIES[:DIGAMMA_TERMS_FOR_FLOAT32] if for_float32 else DIGAMMA_SERIES
    inverse_square = y * y
    inverse_square = namespace.divide(1.0, inverse_square, out=inverse_square)
    value = namespace.log(y)
    value -= 0.5 / y
    value += inverse_square * _polynomial(series, inverse_square)
    return value


def _polygamma(x, n, for_float32=False):
    """The n-th derivative of digamma (n >= 1) of a float64 array: (-1)^(n+1) n! times the
    Hurwitz zeta function zeta(n + 1, x) for x > 0; below 0 by the n-th derivative of the
    reflection formula, psi_n(x) = (-1)^n psi_n(1 - x) - pi d^n/dx^n cot(pi x)."""
    namespace = xp(x)
    reflected = x < 0
    any_reflected = branch_taken(reflected)
    scale = float(math.factorial(n)) if n <= 170 else math.inf
    value = _hurwitz_zeta(select(reflected, 1 - x, x) if any_reflected else x, n + 1, for_float32)
    value *= (-1) ** (n + 1) * scale
    if any_reflected:
        cotangent_term = math.pi ** (n + 1) * _cotangent_derivative(_cot_pi(x), n)
        value = select(reflected, (-1) ** n * value - cotangent_term, value)
    # PyTorch's values where the series give none: a pole at 0 and the negative integers
    # (and -inf, for n >= 2); at inf, trigamma's limit 0, and NaN for n >= 2.
    nonpositive = x <= 0
    if branch_taken(nonpositive):
        pole = nonpositive & (x == namespace.floor(x)) & ((x > -math.inf) if n == 1 else True)
        value = namespace.where(pole, (-1) ** (n + 1) * math.inf, value)
    return namespace.where(x == math.inf, 0.0 if n == 1 else math.nan, value)


def _cotangent_derivative(cotangent, n):
    """d^n/du^n cot(u) as a polynomial in c = cot(u): P_0 = c, P_k+1 = -(1 + c^2) P_k'(c).
    Its coefficients all have one sign, so Horner's rule cancels nothing."""
    coefficients = _cotangent_derivative_coefficients(n)
    return _polynomial(coefficients, cotangent)


_COTANGENT_DERIVATIVES = {0: (0, 1)}


def _cotangent_derivative_coefficients(n):
    """The integer coefficients of P_n (lowest power first), made once per n."""
    if n not in _COTANGENT_DERIVATIVES:
        previous = _cotangent_derivative_coefficients(n - 1)
        derivative = [power * c for power, c in enumerate(previous)][1:] + [0, 0]
        shifted = [0, 0] + derivative[:-2]  # c^2 P'
        _COTANGENT_DERIVATIVES[n] = tuple(-(a + b) for a, b in zip(derivative, shifted))
    return _COTANGENT_DERIVATIVES[n]


# Euler-Maclaurin summation of the Hurwitz zeta function zeta(s, q) = sum_k (q + k)^-s:
# the first terms summed until w = q + N is past s + 10, and the rest as the integral
# w^(1-s) / (s - 1) + w^-s / 2 plus the correction sum_j B_2j / (2j)! s (s+1) ... (s+2j-2)
# w^(1-s-2j). Past s + 10, 12 corrections leave an error below 1e-17 of the value for every s.
# For a result rounded to float32, 6 terms and as many corrections leave one below 6e-13
# (measured against the full sums for s from 2 to 201 and q from 1e-6 to 400).
BERNOULLI_OVER_FACTORIAL = tuple(b / math.factorial(2 * j) for j, b in enumerate(BERNOULLI, 1))
HURWITZ_TERMS_FOR_FLOAT32 = 6


def _hurwitz_zeta(q, s, for_float32=False):
    """zeta(s, q) for an integer s >= 2 and a float64 array (or a float) ``q`` >= 0. The terms
    are added smallest first, and the tail last (the smallest part for small q, the largest
    for large q), which keeps the roundings of the sum to one or two."""
    if for_float32:
        terms = corrections = HURWITZ_TERMS_FOR_FLOAT32
    else:
        terms, corrections = math.ceil(s + 10), len(BERNOULLI_OVER_FACTORIAL)
    w = q + terms
    inverse = 1 / w
    tail = _polynomial(_hurwitz_corrections(s, corrections), inverse * inverse)
    tail *= inverse
    tail += w / (s - 1) + 0.5
    total = _inverse_power(q + (terms - 1), s)
    for k in reversed(range(terms - 1)):
        total += _inverse_power(q + k, s)
    tail *= _inverse_power(w, s)
    return total + tail


def _hurwitz_corrections(s, count):
    """The coefficients B_2j / (2j)! s (s + 1) ... (s + 2j - 2) of the first ``count``
    corrections (lowest power first)."""
    corrections = []
    rising = s  # s (s + 1) ... (s + 2j - 2)
    for j, coefficient in enumerate(BERNOULLI_OVER_FACTORIAL[:count], 1):
        corrections.append(coefficient * rising)
        rising *= (s + 2 * j - 1) * (s + 2 * j)
    return corrections


def _inverse_power(base, s):
    """base^-s. For s = 2 (trigamma's, the everyday case) as 1 / base^2: NumPy squares
    directly, where ** -2 takes a log and an exp, 4 times slower."""
    return 1 / (base * base) if s == 2 else base**-s


def _zeta_minus_one(s):
    """zeta(s) - 1 = zeta(s, 2), a Python float (for the table below)."""
    return _hurwitz_zeta(2.0, s)


# lgamma(2 + z) = z * (1 - gamma + sum_k>=2 (-1)^k (zeta(k) - 1) z^(k-1) / k) for |z| <= 1/2,
# whose terms fall by 4 or more each: 30 terms reach 1e-18, and 17 reach 1e-11 for a result
# rounded to float32; digamma(2 + z) is its derivative.
LOG_GAMMA_NEAR_TWO = (1 - EULER_GAMMA,) + tuple(
    (-1) ** k * _zeta_minus_one(k) / k for k in range(2, 31)
)
LOG_GAMMA_TERMS_FOR_FLOAT32 = 17
DIGAMMA_NEAR_TWO = tuple(k * c for k, c in enumerate(LOG_GAMMA_NEAR_TWO, 1))


# The modified Bessel functions i0 and i1 ------------------------------------------------

# Up to x = 20 the power series I_nu(x) = (x/2)^nu sum_k (x^2/4)^k / (k! (k + nu)!), whose
# terms are all positive (no cancellation): 40 terms leave an error below 1e-19 of the value
# there. From 20 on the asymptotic series I_nu(x) = e^x / sqrt(2 pi x) sum_k a_k(nu) x^-k,
# a_k = prod_j=1..k ((2j - 1)^2 - 4 nu^2) / (8 j): its terms shrink until k = 2x, and by then
# are below e^(-2x) < 1e-17 of the value; 24 terms reach that at 20.
BESSEL_SERIES_UP_TO = 20.0
BESSEL_POWER_SERIES = {
    order: tuple(1 / (math.factorial(k) * math.factorial(k + order)) for k in range(40))
    for order in (0, 1)
}


def _asymptotic_coefficients(order, count):
    coefficients, product = [], 1.0
    for j in range(count):
        coefficients.append(product)
        product *= ((2 * j + 1) ** 2 - 4 * order * order) / (8 * (j + 1))
    return tuple(coefficients)


BESSEL_ASYMPTOTIC_SERIES = {order: _asymptotic_coefficients(order, 24) for order in (0, 1)}


def _bessel_i(x, order, scaled):
    """I_order(x) of a float64 array (order 0 or 1), times e^-|x| when ``scaled``. At +-inf
    the unscaled forms are NaN (inf * 0), as PyTorch's are."""
    namespace = xp(x)
    value = piecewise(
        namespace.abs(x) <= BESSEL_SERIES_UP_TO,  # (False for NaN, which both keep)
        lambda magnitude: _bessel_power_series(magnitude, order, scaled),
        lambda magnitude: _bessel_asymptotic_series(magnitude, order, scaled),
        namespace.abs(x),
    )
    if order == 0:
        return value
    return namespace.where(x < 0, -value, value)  # odd; +0 at -0, as in PyTorch


def _bessel_power_series(magnitude, order, scaled):
    half = magnitude / 2
    series = _polynomial(BESSEL_POWER_SERIES[order], half * half)
    if order == 1:
        series *= half
    if scaled:
        series *= xp(magnitude).exp(-magnitude)
    return series


def _bessel_asymptotic_series(magnitude, order, scaled):
    namespace = xp(magnitude)
    series = _polynomial(BESSEL_ASYMPTOTIC_SERIES[order], 1 / magnitude)
    # 2 pi x overflows past 2.9e307: there the two roots apart (PyTorch's inf, not 0 * inf)
    root = namespace.where(
        magnitude < 1e307,
        namespace.sqrt((2 * math.pi) * magnitude),
        math.sqrt(2 * math.pi) * namespace.sqrt(magnitude),
    )
    series /= root
    if not scaled:
        series *= namespace.exp(magnitude)
    return series


# The Functions --------------------------------------------------------------------------


def _in_float64(function, a, *options):
    """``computed_in_float64``, telling ``function`` last whether its result is rounded to
    float32 (or float16), for which its series stop sooner."""
    return computed_in_float64(function, a, *options, a.dtype.char != "d")


class Lgamma(Function):
    saves_inputs = True

    def forward(self, a):
        return _in_float64(_log_gamma, a)

    def backward(self, grad):
        (a,) = self.inputs
        return grad * digamma(a)


class Polygamma(Function):
    """The n-th derivative of digamma; its own derivative is the next one."""

    saves_inputs = True
    listed_inputs = (0,)

    def forward(self, a, n):
        self.n = n
        if n == 0:
            return _in_float64(_digamma, a)
        return _in_float64(_polygamma, a, n)

    def backward(self, grad):
        a = self.inputs[0]
        return grad * polygamma(self.n + 1, a), None


class Digamma(Polygamma):
    def forward(self, a):
        return super().forward(a, 0)

    def backward(self, grad):
        return super().backward(grad)[0]


class Mvlgamma(Function):
    """log of the multivariate gamma function of dimension p: sum_i<p lgamma(x - i/2) +
    p (p - 1) / 4 log(pi); its derivative is sum_i<p digamma(x - i/2)."""

    saves_inputs = True
    listed_inputs = (0,)

    def forward(self, a, p):
        self.p = p
        return _log_multivariate_gamma(a, p).astype(a.dtype)

    def backward(self, grad):
        (a, _) = self.inputs
        # x + (-i/2), with the first offset +0, as PyTorch makes the arguments: at x = -0
        # that is digamma(+0) = -inf, where x - 0 would be -0 and digamma(-0) = inf
        offsets = xp(a._data).arange(0, -self.p / 2, -0.5, dtype=a._data.dtype)
        return grad * digamma(a.unsqueeze(-1) + Tensor._make(offsets)).sum(-1), None


def _log_multivariate_gamma(x, p):
    """The arguments x - i/2 are made in x's dtype, as PyTorch makes them (in float32,
    1e-8 - 1 is the pole -1), then their lgammas summed in float64 (over x made one
    dimension at least: NumPy's ufuncs make scalars of 0-d arrays, which _log_gamma's
    in-place steps cannot write to)."""
    flat = x.reshape(-1)
    value = sum(_log_gamma((flat - x.dtype.type(i / 2)).astype("float64")) for i in range(p))
    return (value + p * (p - 1) / 4 * math.log(math.pi)).reshape(x.shape)


class I0(Function):
    saves_inputs = True

    def forward(self, a):
        return computed_in_float64(_bessel_i, a, 0, False)

    def backward(self, grad):
        (a,) = self.inputs
        return grad * i1(a)


class SpecialI0E(Function):
    """i0e(x) = e^-|x| i0(x); its derivative is i1e(x) - sign(x) i0e(x)."""

    saves_inputs = True
    saves_output = True

    def forward(self, a):
        return computed_in_float64(_bessel_i, a, 0, True)

    def backward(self, grad):
        (a,) = self.inputs
        return grad * (i1e(a) - sign(a) * self.output)


class SpecialI1(Function):
    """i1's derivative is i0(x) - i1(x) / x, which is 1/2 at 0 (and within a rounding of it
    for |x| below the dtype's epsilon, where the quotient is taken as 1/2)."""

    saves_inputs = True
    saves_output = True

    def forward(self, a):
        return computed_in_float64(_bessel_i, a, 1, False)

    def backward(self, grad):
        (a,) = self.inputs
        _refuse_half_gradient(a, "i1")
        tiny, safe = _tiny_and_safe(a)
        return grad * where(tiny, 0.5, i0(safe) - self.output / safe)


class SpecialI1E(Function):
    """i1e(x) = e^-|x| i1(x); its derivative is i0e(x) - i1e(x) (sign(x) + 1/x), 1/2 at 0."""

    saves_inputs = True
    saves_output = True

    def forward(self, a):
        return computed_in_float64(_bessel_i, a, 1, True)

    def backward(self, grad):
        (a,) = self.inputs
        _refuse_half_gradient(a, "i1e")
        tiny, safe = _tiny_and_safe(a)
        return grad * where(tiny, 0.5, i0e(safe) - self.output * (sign(safe) + 1 / safe))


def _refuse_half_gradient(a, op_name):
    """PyTorch has no float16 kernel for the gradients of i1 and i1e (nor so for i0's and
    i0e's second derivatives, which are theirs)."""
    if a._data.dtype.char == "e":
        raise NotImplementedError(
            f"the gradient of {op_name} is not implemented for float16 tensors (PyTorch has "
            "no such kernel); convert with .float() first"
        )


def _tiny_and_safe(a):
    """Where |a| is below the dtype's epsilon (or NaN, where PyTorch's derivative of i1 and
    i1e is its value at 0, 1/2), and ``a`` with those values made 1, so that dividing by it
    never makes the inf or NaN that would reach a second-order gradient."""
    epsilon = float(xp(a._data).finfo(a._data.dtype).eps)
    tiny = ~(a.abs() > epsilon)
    return tiny, where(tiny, 1.0, a)


# The functions --------------------------------------------------------------------------


def lgamma(input, *, out=None):
    """log|Gamma(x)|, elementwise."""
    refuse_out(out, "lgamma")
    return Lgamma.apply(as_floating(input))


def digamma(input, *, out=None):
    """The logarithmic derivative of the gamma function, Gamma'(x) / Gamma(x)."""
    refuse_out(out, "digamma")
    return Digamma.apply(as_floating(input))


def polygamma(n, input, *, out=None):
    """The n-th derivative of digamma (n = 0: digamma itself)."""
    refuse_out(out, "polygamma")
    if not isinstance(input, Tensor) or (isinstance(n, Tensor) and n._data.dtype.kind != "i"):
        raise TypeError(
            f"polygamma(): takes the order n (an int) first and then the input tensor, but "
            f"got n={type(n).__name__}, input={type(input).__name__}"
        )
    n = integer_argument(n, "polygamma", "n")
    if n < 0:
        raise RuntimeError(f"polygamma(n, x) does not support negative n, but got n={n}")
    return Polygamma.apply(as_floating(input), n)


def polygamma_method(self, n):
    """``x.polygamma(n)``: the tensor comes first in the method."""
    return polygamma(n, self)


def mvlgamma(input, p, *, out=None):
    """The log of the multivariate gamma function of dimension ``p``, elementwise."""
    refuse_out(out, "mvlgamma")
    p = integer_argument(p, "mvlgamma", "p")
    if input._data.dtype.kind == "b":
        raise RuntimeError("mvlgamma(): the input tensor may not be a bool tensor")
    if p < 1:
        raise RuntimeError(f"mvlgamma(): p has to be greater than or equal to 1, but got {p}")
    return Mvlgamma.apply(as_floating(input), p)


def i0(input, *, out=None):
    """The modified Bessel function of the first kind of order 0."""
    refuse_out(out, "i0")
    return I0.apply(as_floating(input))


def i0e(input, *, out=None):
    """i0(x) scaled by e^-|x|, which keeps it finite for large |x|."""
    refuse_out(out, "special.i0e")
    return SpecialI0E.apply(as_floating(input))


def i1(input, *, out=None):
    """The modified Bessel function of the first kind of order 1."""
    refuse_out(out, "special.i1")
    return SpecialI1.apply(as_floating(input))


def i1e(input, *, out=None):
    """i1(x) scaled by e^-|x|."""
    refuse_out(out, "special.i1e")
    return SpecialI1E.apply(as_floating(input))


# torch.special's alone (there is no torch.i1 nor Tensor.i1), so they refuse what is not
# a tensor here, as ember.__init__ makes the other ember.* functions do.
i0e, i1, i1e = needs_tensors(i0e), needs_tensors(i1), needs_tensors(i1e)
