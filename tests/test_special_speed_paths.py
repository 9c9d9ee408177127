"""The fast paths of the special functions, around each of their branch boundaries: float32
erfc and erfinv by fitted forms (no Halley step), float64 erfinv's fitted first value and
Cody's third form for erfc, the gamma family's shorter series for float32 results, and
large arrays computed in blocks, each branch on its own elements. Values are compared with
torch's float64 results rounded once (so within a stated number of float32 roundings), or
with torch's own results to float64's last bits."""

import math

import numpy as np
import pytest
import torch
from oracle import on_test_device, to_numpy

import ember

INF, NAN = math.inf, math.nan


def around(*points, steps=4, dtype=np.float32):
    """Each point and its ``steps`` nearest neighbours on both sides, in ``dtype``."""
    values = []
    for point in points:
        value = np.array(point, dtype)
        for _ in range(steps):
            value = np.nextafter(value, dtype(-INF))
        for _ in range(2 * steps + 1):
            values.append(value)
            value = np.nextafter(value, dtype(INF))
    return np.array(values, dtype)


def ember_values(fn, values):
    with on_test_device():
        return to_numpy(fn(ember, ember.tensor(values)))


def torch_float64(fn, values):
    """torch's float64 result for the same values (exact to within a few float64
    roundings, far below a float32 rounding)."""
    return fn(torch, torch.tensor(values.astype(np.float64))).numpy()


def float32_roundings(result, exact):
    """How far float32 results are from the exact values, in float32 roundings there
    (0.5: correctly rounded)."""
    finite = np.isfinite(exact) & (exact != 0)
    spacing = np.spacing(np.abs(exact[finite]).astype(np.float32)).astype(np.float64)
    error = np.abs(result[finite].astype(np.float64) - exact[finite])
    return error / np.maximum(spacing, 2.0**-149)


ERFINV_CENTRAL_END = math.sqrt(-math.expm1(-5.0))  # w = -log(1 - x^2) = 5
FLOAT32_ERFC_CASES = [
    ("near_zero", around(0.0, -0.0, 0.46875, -0.46875)),
    ("sweep", np.linspace(-4, 10.2, 20001, dtype=np.float32)),
    ("tail_and_underflow", around(4.0, 9.0, 9.35, 10.0, 10.05, 10.06, 10.1)),
    ("negative", around(-0.5, -2.0, -3.9, -4.0, -10.0)),
]


@pytest.mark.parametrize(
    "values", [c[1] for c in FLOAT32_ERFC_CASES], ids=[c[0] for c in FLOAT32_ERFC_CASES]
)
def test_float32_erfc_is_within_0_55_roundings_of_the_exact_value(values):
    result = ember_values(lambda t, x: t.erfc(x), values)
    assert result.dtype == np.float32
    assert float32_roundings(result, torch_float64(lambda t, x: t.erfc(x), values)).max() <= 0.55


def test_float32_erfc_special_values_are_torchs():
    values = np.array([0.0, -0.0, INF, -INF, NAN, 10.1, 10.2, 30.0, 1e30, -1e30], np.float32)
    result = ember_values(lambda t, x: t.erfc(x), values)
    np.testing.assert_array_equal(result, torch.erfc(torch.tensor(values)).numpy())


FLOAT32_ERFINV_CASES = [
    ("tiny", np.concatenate([np.logspace(-45, -3, 200), [1e-45, 1.4e-45]]).astype(np.float32)),
    ("sweep", np.linspace(-1, 1, 20001, dtype=np.float32)[1:-1]),
    ("central_end", around(ERFINV_CENTRAL_END, -ERFINV_CENTRAL_END, 0.5)),
    ("next_to_one", (1 - np.arange(1, 200, dtype=np.float32) * np.float32(2**-24))),
]


@pytest.mark.parametrize(
    "values", [c[1] for c in FLOAT32_ERFINV_CASES], ids=[c[0] for c in FLOAT32_ERFINV_CASES]
)
def test_float32_erfinv_is_within_0_55_roundings_of_the_exact_value(values):
    result = ember_values(lambda t, x: t.erfinv(x), values)
    exact = torch_float64(lambda t, x: t.erfinv(x), values)
    assert float32_roundings(result, exact).max() <= 0.55
    assert np.array_equal(np.signbit(result), np.signbit(values))


def test_float32_erfinv_special_values_are_torchs():
    values = np.array([1.0, -1.0, 1.0000001, -2.0, 0.0, -0.0, NAN, INF], np.float32)
    result = ember_values(lambda t, x: t.erfinv(x), values)
    expected = torch.erfinv(torch.tensor(values)).numpy()
    np.testing.assert_array_equal(result, expected)
    numbers = ~np.isnan(expected)
    assert np.array_equal(np.signbit(result[numbers]), np.signbit(expected[numbers]))


# float64 erfinv: a fitted first value and one Halley step, whose residual is computed by
# erf near 0 (|x| <= 0.5) and by erfc beyond; erfcinv (through ndtri) reaches the far tail,
# a ratio of polynomials from w = 6.1^2 (p = 1.9e-17) down to p = 5e-324.
FLOAT64_INVERSE_CASES = [
    ("erfinv_residual_switch", lambda t, x: t.erfinv(x), around(0.5, -0.5, dtype=np.float64)),
    (
        "erfinv_central_end",
        lambda t, x: t.erfinv(x),
        around(ERFINV_CENTRAL_END, -ERFINV_CENTRAL_END, dtype=np.float64),
    ),
    ("erfinv_sweep", lambda t, x: t.erfinv(x), np.linspace(-1, 1, 4001)[1:-1]),
    (
        "ndtri_far_tail",
        lambda t, x: t.special.ndtri(x),
        np.concatenate([np.logspace(-18, -16, 200), np.logspace(-300, -17, 200), [5e-324]]),
    ),
]


@pytest.mark.parametrize(
    "fn, values", [c[1:] for c in FLOAT64_INVERSE_CASES], ids=[c[0] for c in FLOAT64_INVERSE_CASES]
)
def test_float64_inverses_match_torch_to_the_last_bits(fn, values):
    result = ember_values(fn, values)
    np.testing.assert_allclose(result, fn(torch, torch.tensor(values)).numpy(), rtol=2e-15, atol=0)


@pytest.mark.parametrize(
    "fn", [lambda t, x: t.erfc(x), lambda t, x: t.special.erfcx(x)], ids=["erfc", "erfcx"]
)
def test_float64_erfc_and_erfcx_match_torch_where_cody_third_form_takes_over(fn):
    values = np.concatenate([around(4.0, -4.0, dtype=np.float64), np.linspace(3.5, 26, 2001)])
    result = ember_values(fn, values)
    np.testing.assert_allclose(result, fn(torch, torch.tensor(values)).numpy(), rtol=2e-15, atol=0)


def test_float64_erfcx_far_out_matches_torch():
    values = np.array([30.0, 1e3, 1e10, 1e154, 1e155, 1e300, INF])
    result = ember_values(lambda t, x: t.special.erfcx(x), values)
    expected = torch.special.erfcx(torch.tensor(values)).numpy()
    np.testing.assert_allclose(result, expected, rtol=2e-15, atol=0)


# The gamma family's float32 results come from shorter series (Stirling's from 10 on, the
# Taylor series about 2 below it, Euler-Maclaurin's for polygamma): within 0.55 roundings
# around each boundary and each zero of lgamma.
GAMMA_FLOAT32_CASES = [
    ("lgamma", lambda t, x: t.lgamma(x), around(1.0, 2.0, 1.5, 2.5, 9.5, 10.0, 0.5)),
    ("lgamma_sweep", lambda t, x: t.lgamma(x), np.linspace(-9.9, 30, 20001, dtype=np.float32)),
    ("digamma", lambda t, x: t.digamma(x), around(1.4616321449683622, 1.5, 2.5, 9.5, 10.0, 0.5)),
    ("digamma_sweep", lambda t, x: t.digamma(x), np.linspace(0.01, 30, 20001, dtype=np.float32)),
    ("trigamma", lambda t, x: t.polygamma(1, x), around(1e-3, 0.5, 1.0, 10.0, 1e4)),
    ("polygamma_3", lambda t, x: t.polygamma(3, x), np.linspace(0.01, 30, 4001, dtype=np.float32)),
]


@pytest.mark.parametrize(
    "fn, values", [c[1:] for c in GAMMA_FLOAT32_CASES], ids=[c[0] for c in GAMMA_FLOAT32_CASES]
)
def test_gamma_family_float32_is_within_0_55_roundings_of_the_float64_value(fn, values):
    # (next to lgamma's zeros below 0, both dtypes' values come from the reflection formula,
    # whose own cancellation makes the float64 value no reference: they are left out)
    values = values[(values > 0) | (np.abs(values - np.round(values)) > 0.1)]
    result = ember_values(fn, values)
    exact = ember_values(fn, values.astype(np.float64))
    assert result.dtype == np.float32
    assert float32_roundings(result, exact).max() <= 0.55


# Blocks, and each branch computed on its own elements: a large array's values are those
# each element gets alone.
BLOCKED = [
    ("erf", lambda t, x: t.erf(x), -7, 7),
    ("erfc", lambda t, x: t.erfc(x), -7, 30),
    ("erfcx", lambda t, x: t.special.erfcx(x), -10, 50),
    ("erfinv", lambda t, x: t.erfinv(x), -1.02, 1.02),
    ("lgamma", lambda t, x: t.lgamma(x), -20, 40),
    ("digamma", lambda t, x: t.digamma(x), -20, 40),
    ("trigamma", lambda t, x: t.polygamma(1, x), -20, 40),
    ("i0", lambda t, x: t.i0(x), -40, 40),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("fn, low, high", [c[1:] for c in BLOCKED], ids=[c[0] for c in BLOCKED])
def test_large_arrays_give_the_values_of_their_elements_alone(fn, low, high, dtype):
    values = np.random.default_rng(0).uniform(low, high, 100_003).astype(dtype)
    values[::997] = NAN
    whole = ember_values(fn, values)
    alone = np.concatenate([ember_values(fn, part) for part in np.array_split(values[:3000], 300)])
    np.testing.assert_array_equal(whole[:3000], alone)
    transposed = ember_values(fn, values[:100_000].reshape(400, 250).T)  # not contiguous
    np.testing.assert_array_equal(transposed, whole[:100_000].reshape(400, 250).T)
    single = ember_values(fn, values[5:6].reshape(()))
    np.testing.assert_array_equal(single, whole[5])
