"""The emulated fused multiply-add behind arange and linspace rounds once, checked against
exact rational arithmetic."""

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ember.fused_multiply_add import multiply_add


@settings(max_examples=300, deadline=None)
@given(
    a=st.floats(-1e6, 1e6, allow_subnormal=False),
    b=st.integers(0, 2**24),
    c=st.floats(-1e6, 1e6, allow_subnormal=False),
)
def test_multiply_add_rounds_once(a, b, c):
    """The emulated fused multiply-add that the ranges use is a * b + c rounded once."""
    fused = multiply_add(np.float64(a), np.array([b], float), np.float64(c), np.float64)
    assert fused[0] == float(Fraction(a) * b + Fraction(c))
    a, c = np.float32(a), np.float32(c)
    fused = multiply_add(a, np.array([b], np.float32), c, np.float32)
    assert fused[0] == rounded_to_float32(Fraction(float(a)) * b + Fraction(float(c)))


def rounded_to_float32(value):
    """A Fraction rounded once to the nearest float32, ties to even."""
    guess = np.float32(float(value))  # within one step: float() rounds once already
    neighbours = [np.nextafter(guess, np.float32(-np.inf)), guess, np.nextafter(guess, np.inf)]
    return min(
        neighbours, key=lambda x: (abs(Fraction(float(x)) - value), int(x.view(np.int32)) & 1)
    )
