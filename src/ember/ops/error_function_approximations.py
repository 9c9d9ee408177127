"""How erf, erfc, erfcx, erfinv and erfcinv are computed on arrays.

``ops/error_function.py`` makes these Functions with their gradients; ``nn``'s exact GELU
and ``ops/gamma.py`` use them too. Each function takes and returns an array of NumPy or
CuPy (float16, float32 or float64) and works through its namespace. How accurate each
form is, and against what, is said beside it.
"""

import math

from ..backend import (
    branch_taken,
    computed_in_float64,
    in_blocks,
    namespace_of,
    piecewise,
    polynomial,
    select,
)

# The error function, which NumPy lacks (GELU needs it). float64 computes W. J. Cody's
# rational Chebyshev approximations ("Rational Chebyshev approximations for the error
# function", Math. Comp. 23, 1969): erf(x) = x P(x^2) / Q(x^2) up to |x| = 0.46875; beyond,
# erfc(x) = exp(-x^2) R(x), R a ratio of two polynomials of degree 8, up to 4; and from 4 on
# erfc(x) = exp(-x^2) / x (1/sqrt(pi) - z S(z)), z = 1/x^2, S a ratio of degree 5. erf needs
# only the first two: R taken on to 6.5, where erf rounds to 1, gives math.erf's values
# there exactly (measured on 100,001 points). Each table lists a polynomial's coefficients,
# highest power first.
_ERF_NEAR_ZERO_LIMIT = 0.46875
_ERF_NEAR_ZERO_NUMERATOR = (
    0.185777706184603153,
    3.1611237438705656,
    113.864154151050156,
    377.485237685302021,
    3209.37758913846947,
)
_ERF_NEAR_ZERO_DENOMINATOR = (
    1.0,
    23.6012909523441209,
    244.024637934444173,
    1282.61652607737228,
    2844.23683343917062,
)
_ERFC_NUMERATOR = (
    2.15311535474403846e-8,
    0.564188496988670089,
    8.88314979438837594,
    66.1191906371416295,
    298.635138197400131,
    881.95222124176909,
    1712.04761263407058,
    2051.07837782607147,
    1230.33935479799725,
)
_ERFC_DENOMINATOR = (
    1.0,
    15.7449261107098347,
    117.693950891312499,
    537.181101862009858,
    1621.38957456669019,
    3290.79923573345963,
    4362.61909014324716,
    3439.36767414372164,
    1230.33935480374942,
)
_ERFC_FAR_FROM = 4.0
_ERFC_FAR_NUMERATOR = (
    1.63153871373020978e-2,
    3.05326634961232344e-1,
    3.60344899949804439e-1,
    1.25781726111229246e-1,
    1.60837851487422766e-2,
    6.58749161529837803e-4,
)
_ERFC_FAR_DENOMINATOR = (
    1.0,
    2.56852019228982242,
    1.87295284992346725,
    5.27905102951428412e-1,
    6.05183413124413191e-2,
    2.33520497626869185e-3,
)
_ERF_IS_ONE_BEYOND = 6.5  # erfc(6.5) < 1e-19: 1 - erfc rounds to 1 in float64
_ERFC_IS_ZERO_BEYOND = 28.0  # erfc(28) < 1e-342 rounds to 0 in float64

# float32 needs far fewer digits, and one form serves every x: erf(x) = tanh(x g(x^2)),
# where g(x^2) = atanh(erf(x)) / x is smooth, 2/sqrt(pi) at 0, growing like x/2. This
# polynomial g (highest power first) was fitted once, in float64, to that function on
# [0, 4], minimising the largest relative error of erf (Lawson's reweighted least squares
# on 16,001 points): 9.5e-8 (1.6 x 2^-24). Past 4 it keeps growing, so tanh rounds to 1
# without a clamp, and inf and NaN come out right. Computed in float32, erf is then within
# 3.8 roundings of math.erf, and within one for 75% of values (measured on 1.1 million
# points over [-6, 6], tiny ones included; NumPy's float32 tanh adds up to 1.4, and
# reaches 1 only at 10, so erf stays one rounding below 1 up to x = 4.09). float16
# computes in float32. It takes 15 passes over the data, where Cody's forms take about 65.
_ERF_TANH_POLYNOMIAL = (
    1.4185207e-07,
    -5.6684735e-06,
    8.7637316e-05,
    -6.1978464e-04,
    -1.9183081e-04,
    0.102769054,
    1.1283792,
)


def _rational(numerator, denominator, x):
    """The ratio of two polynomials at ``x``, each given as ``polynomial`` takes it."""
    value = polynomial(numerator, x)
    value /= polynomial(denominator, x)
    return value


def erf(array):
    """The error function of a float array, elementwise, in the array's dtype: float32
    and float16 by the tanh form, within 3.8 float32 roundings of ``math.erf``; float64
    (and any other dtype) by Cody's forms, within 4 roundings (within one for 99.3% of
    values, equal for 91%)."""
    char = array.dtype.char  # not dtype.kind, which is 'f' for every float
    if char == "f":  # (GELU's: whole, as its 15 passes on float32 gain little from blocks)
        return _erf_by_tanh(array)
    if char == "e":
        return _erf_by_tanh(array.astype("float32")).astype("float16")
    return in_blocks(_erf_by_cody, array)


def _erf_by_tanh(array):
    """erf of a float32 array as tanh(x g(x^2)), g the polynomial fitted above."""
    inner = polynomial(_ERF_TANH_POLYNOMIAL, array * array)
    inner *= array
    return namespace_of(array).tanh(inner)


def _erf_by_cody(array):
    """erf by Cody's first two forms: 1 - erfc beyond 0.46875, the first form below it
    (where some element is; on the GPU both are computed, and the right one kept)."""
    namespace = namespace_of(array)
    magnitude = namespace.abs(array)

    def beyond_near_zero(magnitude):
        erfc = _erfc_of_middle(namespace.minimum(magnitude, _ERF_IS_ONE_BEYOND))
        return namespace.subtract(1.0, erfc, out=erfc)  # NaN stays NaN

    value = piecewise(
        magnitude <= _ERF_NEAR_ZERO_LIMIT, _erf_near_zero, beyond_near_zero, magnitude
    )
    return namespace.copysign(value, array, out=value)


def _erf_near_zero(small):
    """Cody's first form, erf(x) = x P(x^2) / Q(x^2), for |x| <= 0.46875 (or a little more)."""
    value = _rational(_ERF_NEAR_ZERO_NUMERATOR, _ERF_NEAR_ZERO_DENOMINATOR, small * small)
    value *= small
    return value


def _erfc_of_middle(magnitude):
    """erfc(x) = exp(-x^2) R(x) for x in [0.46875, 6.5], where erf = 1 - erfc needs no more
    than x^2's own rounding in exp (erfc's error there is far below erf's rounding)."""
    namespace = namespace_of(magnitude)
    value = _rational(_ERFC_NUMERATOR, _ERFC_DENOMINATOR, magnitude)
    square = magnitude * magnitude
    value *= namespace.exp(namespace.negative(square, out=square), out=square)
    return value


# erfc, erfcx and the inverses of erf and erfc (torch.special's) -----------------------
# float64 by Cody's three forms; erfc is never 1 - erf past the first one's range, where
# that would cancel: it is exp(-x^2) erfcx(x), erfcx(x) = exp(x^2) erfc(x) being R(x) up to
# 4 and the third form beyond. erfc is then within 6 roundings of the true value over
# [-7, 27.5], within 4 for 99.9% of values and within one for 92% (measured against mpmath
# on 31,000 points, the range's ends and the forms' ends included). float16 computes in
# float64 and rounds through float32, as PyTorch's float16 kernels compute in float32.
#
# A float32 erfc needs 9 digits, not 17, and one form serves every x >= 0: erfc(x) =
# exp(-x^2) E(x), with E the ratio of two polynomials of degree 5 below, fitted once, in
# float64, to erfcx on [0, 10.1] (its relative error at most 2.1e-9, by Lawson's reweighted
# least squares on 4,002 Chebyshev points, each checked against mpmath), and erfc(-x) = 2 -
# erfc(x). Computed in float64, where the square of a float32 x is exact, erfc is within
# 0.54 float32 roundings of the true value (0.5 being the rounding itself; measured against
# mpmath, and tested around each end); past 10.1 it is 0, as erfc(10.06) < 2^-150 rounds to.
# (float32 arithmetic would take half the time, but its exp alone is 2.3 roundings off.)
_ERFC_FLOAT32_NUMERATOR = (
    -5.584340652083086e-08,
    0.02796300303889406,
    0.2051124164432079,
    0.6795551748014497,
    1.186579997760382,
    1.000000002061627,
)
_ERFC_FLOAT32_DENOMINATOR = (
    0.0495588221072168,
    0.36363455471625394,
    1.228342235560045,
    2.291703266919487,
    2.3149593872074568,
    1.0,
)
_ERFC_FLOAT32_IS_ZERO_BEYOND = 10.1


def erfc(array):
    """The complementary error function 1 - erf(x) of a float array, accurate where it is
    tiny (erfc(26) is 5.7e-296, not 0)."""
    if array.dtype.char == "f":
        return computed_in_float64(_erfc_of_float32_values, array)
    return computed_in_float64(_erfc_float64, array)


def erfcx(array):
    """The scaled complementary error function exp(x^2) erfc(x) (inf for x below -26.6)."""
    return computed_in_float64(_erfcx_float64, array)


def erfinv(array):
    """The inverse of erf: y with erf(y) = x, +-inf at +-1 and NaN outside [-1, 1]."""
    return computed_in_float64(_erfinv_float64, array, array.dtype.char != "f")


def erfcinv(array):
    """The inverse of erfc: y with erfc(y) = x, for x in [0, 2] (NaN outside), accurate
    for the tiniest x (erfcinv(1e-323) is 26.7), where 1 - x would round to 1."""
    return computed_in_float64(_erfcinv_float64, array)


def _erfc_of_float32_values(array):
    """erfc of a float64 array of float32 values, by the fitted form above."""
    namespace = namespace_of(array)
    magnitude = namespace.minimum(namespace.abs(array), _ERFC_FLOAT32_IS_ZERO_BEYOND)
    value = _rational(_ERFC_FLOAT32_NUMERATOR, _ERFC_FLOAT32_DENOMINATOR, magnitude)
    square = namespace.multiply(magnitude, magnitude, out=magnitude)  # exact
    value *= namespace.exp(namespace.negative(square, out=square), out=square)
    negative = array < 0
    if branch_taken(negative):
        value = select(negative, 2.0 - value, value)
    return value


def _erfc_float64(array):
    namespace = namespace_of(array)
    magnitude = namespace.minimum(namespace.abs(array), _ERFC_IS_ZERO_BEYOND)  # NaN stays

    def near_zero(array, magnitude):
        erf = _erf_near_zero(magnitude)
        erf = namespace.copysign(erf, array, out=erf)
        return namespace.subtract(1.0, erf, out=erf)

    def beyond_near_zero(array, magnitude):
        value = _erfcx_beyond_near_zero(magnitude)
        value *= _exp_of_minus_square(magnitude)
        negative = array < 0
        if branch_taken(negative):
            value = select(negative, 2.0 - value, value)  # erfc(-x) = 2 - erfc(x)
        return value

    return piecewise(
        magnitude <= _ERF_NEAR_ZERO_LIMIT, near_zero, beyond_near_zero, array, magnitude
    )


def _exp_of_minus_square(magnitude):
    """exp(-x^2) without the rounding of x^2, which exp would make 700 times larger at
    x = 26: x is split into a head of few bits, whose square is exact, and the rest."""
    namespace = namespace_of(magnitude)
    head = namespace.trunc(magnitude * 16.0)
    head /= 16.0
    rest = magnitude - head
    rest *= magnitude + head
    value = namespace.exp(namespace.negative(rest, out=rest), out=rest)
    head *= head
    value *= namespace.exp(namespace.negative(head, out=head), out=head)
    return value


def _erfcx_of_magnitude(magnitude):
    """exp(x^2) erfc(x) for x >= 0 (or NaN): exp(x^2) (1 - erf) near 0, Cody's R up to 4,
    his third form beyond."""
    namespace = namespace_of(magnitude)

    def near_zero(small):
        erfc = _erf_near_zero(small)
        erfc = namespace.subtract(1.0, erfc, out=erfc)
        erfc *= namespace.exp(small * small)
        return erfc

    return piecewise(
        magnitude < _ERF_NEAR_ZERO_LIMIT, near_zero, _erfcx_beyond_near_zero, magnitude
    )


def _erfcx_beyond_near_zero(magnitude):
    """exp(x^2) erfc(x) for x >= 0.46875 (or NaN)."""
    return piecewise(
        magnitude <= _ERFC_FAR_FROM,  # (False for NaN, which the far form keeps)
        _erfcx_middle,
        _erfcx_far,
        magnitude,
    )


def _erfcx_middle(magnitude):
    """Cody's R, exp(x^2) erfc(x) for x in [0.46875, 4]."""
    return _rational(_ERFC_NUMERATOR, _ERFC_DENOMINATOR, magnitude)


def _erfcx_far(magnitude):
    """Cody's third form, erfcx(x) = (1/sqrt(pi) - z S(z)) / x with z = 1/x^2, for x >= 4
    (z is 0 past 1e154, where erfcx is 1 / (sqrt(pi) x) to the last bit)."""
    namespace = namespace_of(magnitude)
    inverse_square = magnitude * magnitude
    inverse_square = namespace.divide(1.0, inverse_square, out=inverse_square)
    value = _rational(_ERFC_FAR_NUMERATOR, _ERFC_FAR_DENOMINATOR, inverse_square)
    value *= inverse_square
    value = namespace.subtract(1 / math.sqrt(math.pi), value, out=value)
    value /= magnitude
    return value


def _erfcx_float64(array):
    """erfcx(-x) = 2 exp(x^2) - erfcx(x), which overflows to inf below -26.6."""
    namespace = namespace_of(array)
    magnitude = namespace.abs(array)
    value = _erfcx_of_magnitude(magnitude)
    negative = array < 0
    if branch_taken(negative):
        value = select(negative, 2.0 * namespace.exp(magnitude * magnitude) - value, value)
    return value


# erfinv has no closed form. Following M. Giles ("Approximating the erfinv function", GPU
# Computing Gems, 2011), a first value comes from polynomials in w = -log(1 - x^2), whose
# coefficients (highest power first) were fitted once, in float64, by Lawson's reweighted
# least squares on 1,500 to 2,100 points of Chebyshev grids, each valued by mpmath:
# erfinv(x) = x P(w) for w <= 5 (|x| <= 0.9966), within 2.3e-9 of the true value
# (relative); beyond it, in s = sqrt(w), a polynomial up to s = 6.1 (all of float64's
# erfinv), within 2.1e-9, and a ratio of two polynomials of degree 4 up to s = 27.3
# (erfcinv's tiniest argument, 5e-324), within 2.2e-10. 1 - x^2 is taken as c (2 - c) with
# c = 1 - |x|, exact where it matters. That value, rounded, is a float32 result: within
# 0.54 float32 roundings of the true value (measured against mpmath on 28,000 points,
# tested around each range's ends), against 0.5 for the correctly rounded value.
# A float64 (or float16) result takes one step of Halley's method on erf(y) = |x|. For g(y)
# = erf(y) - a, g' = 2/sqrt(pi) exp(-y^2) and g'' = -2y g', so Halley's step y - (g/g') /
# (1 - g g'' / (2 g'^2)) is y - d / (1 + y d), with d = g/g'; the same holds for g = erfc(y)
# - c. A step cubes the relative error (times about (y^2 + 1) y^2 / 3), 2.3e-9 to below
# 1e-23, so the result is as accurate as the residual g is, and that is computed without
# cancellation: near 0 as erf(y) - a with the near-zero form; in the tail as erfc(y) - c
# with c = 1 - |x|, exact for |x| >= 0.5, by d = sqrt(pi)/2 (c exp(y^2) - erfcx(y)), where
# c exp(y^2) = exp(y^2 + log c) neither overflows nor underflows, even for c = 5e-324.
# Within 4 roundings of mpmath's erfinv (within one for 94% of values, measured on 28,000
# points: uniform, tiny, and 1 - 10^-16 ... 0.5).
_ERFINV_NEAR_ZERO_LIMIT = 0.5
_ERFINV_CENTRAL_UP_TO = 5.0  # w = -log(1 - x^2)
_ERFINV_CENTRAL_MIDDLE = 2.5
_ERFINV_CENTRAL = (
    3.3410923448289564e-10,
    -8.775738852563857e-09,
    1.8055493471751774e-08,
    4.6592792453379003e-07,
    -3.434689676689463e-06,
    -4.962055628614499e-06,
    0.0002182827565689032,
    -0.0012527444530357418,
    -0.00417733946522479,
    0.24664028755728995,
    1.5014093535167579,
)
_ERFINV_TAIL_MIDDLE = 4.2  # s = sqrt(w), from sqrt(5) to 6.1
_ERFINV_TAIL = (
    3.249631898445442e-09,
    4.605071560323917e-08,
    -2.056988856143555e-07,
    -3.340618516190272e-08,
    1.1948218930120945e-06,
    -3.6153388367975215e-06,
    1.4761680602510268e-05,
    -6.220020725209073e-05,
    0.00022319828347442856,
    -0.0006484222567986293,
    0.0008055933454997867,
    1.0099026961176314,
    4.041726333389156,
)
_ERFINV_FAR_FROM = 6.1  # s
_ERFINV_FAR_NUMERATOR = (
    0.516489140997366,
    7.92196699924402,
    11.719603361030796,
    -5.1135089382617664,
    6.464134875749817,
)
_ERFINV_FAR_DENOMINATOR = (
    2.3758812044281907e-07,
    0.5164429610699062,
    7.927625803684755,
    12.69278138948166,
    1.0,
)


def _erfinv_float64(array, refined=True):
    """erfinv of a float64 array: the fitted value, then Halley's step if ``refined``."""
    namespace = namespace_of(array)
    magnitude = namespace.abs(array)
    value = _inverse_erf_of_magnitude(magnitude, 1.0 - magnitude, refined)
    return namespace.copysign(value, array, out=value)


def _erfcinv_float64(array):
    """erfcinv(c) = erfinv(1 - c), solved from c itself where 1 - c would lose digits;
    above 1, erfcinv(c) = -erfcinv(2 - c)."""
    namespace = namespace_of(array)
    above_one = array > 1
    complement = namespace.where(above_one, 2.0 - array, array)
    value = _inverse_erf_of_magnitude(1.0 - complement, complement, True)
    return namespace.where(above_one, -value, value)


def _inverse_erf_of_magnitude(magnitude, complement, refined):
    """y >= 0 with erf(y) = ``magnitude``, that is erfc(y) = ``complement`` (1 - magnitude,
    read only where magnitude > 0.5). NaN where magnitude > 1."""
    value = _erfinv_fitted(magnitude, complement)
    if refined:
        value = _halley_step(value, magnitude, complement)
    at_one = complement == 0
    return namespace_of(value).where(at_one, math.inf, value) if branch_taken(at_one) else value


def _erfinv_fitted(magnitude, complement):
    """The fitted polynomials' erfinv (NaN at 1, made inf by the caller)."""
    namespace = namespace_of(magnitude)
    w = complement * (2.0 - complement)
    w = namespace.negative(namespace.log(w, out=w), out=w)  # NaN where magnitude > 1

    def central(w, magnitude):
        value = polynomial(_ERFINV_CENTRAL, w - _ERFINV_CENTRAL_MIDDLE)
        value *= magnitude
        return value

    def tail(w, magnitude):
        root = namespace.sqrt(w)
        return piecewise(
            root <= _ERFINV_FAR_FROM,  # (False for NaN)
            lambda root: polynomial(_ERFINV_TAIL, root - _ERFINV_TAIL_MIDDLE),
            lambda root: _rational(_ERFINV_FAR_NUMERATOR, _ERFINV_FAR_DENOMINATOR, root),
            root,
        )

    return piecewise(w <= _ERFINV_CENTRAL_UP_TO, central, tail, w, magnitude)


def _halley_step(value, magnitude, complement):
    """One step of Halley's method from ``value`` towards erf(y) = ``magnitude``."""
    namespace = namespace_of(value)

    def near_zero(value, magnitude, complement):  # exp(y^2) (erf(y) - a)
        step = _erf_near_zero(value)
        step -= magnitude
        step *= namespace.exp(value * value)
        return step

    def tail(value, magnitude, complement):  # c exp(y^2) - erfcx(y)
        step = namespace.log(complement)
        step += value * value
        step = namespace.exp(step, out=step)
        step -= _erfcx_beyond_near_zero(namespace.maximum(value, _ERF_NEAR_ZERO_LIMIT))
        return step

    step = piecewise(
        magnitude <= _ERFINV_NEAR_ZERO_LIMIT, near_zero, tail, value, magnitude, complement
    )
    step *= math.sqrt(math.pi) / 2
    denominator = value * step
    denominator += 1.0
    step /= denominator
    return value - step
