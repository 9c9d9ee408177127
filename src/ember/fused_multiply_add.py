"""``a * b + c`` rounded once, as the fused multiply-add instruction of a compiled kernel
gives it, built from NumPy operations that each round (NumPy has no fused multiply-add).

PyTorch's CPU kernels for ``arange`` and ``linspace`` compute every value as one fused
multiply-add, and a learner can see the difference: in ``arange(-8.0, 8.0, 0.1)`` the
value at index 80 is 4.4e-16, where a multiply and then an add give 0. The tools are the
classic error-free transformations: Veltkamp's split and Dekker's exact product, Knuth's
exact sum, and rounding to odd, which lets a sum be rounded twice without a double
rounding error (Boldo and Melquiond, 2008).
"""

from . import backend

np = backend.cpu_namespace  # the values are computed on the CPU, then placed


def multiply_add(a, b, c, compute_type):
    """a * b + c rounded once to ``compute_type``, as the fused multiply-add instruction of
    PyTorch's compiled kernels (NumPy has none). ``a`` or ``b`` holds integers."""
    if compute_type is np.float32:
        # float32 times an integer below 2**29 is exact in float64, and a sum rounded to
        # odd in float64 rounds correctly to float32 afterwards.
        product = np.multiply(a, b, dtype=np.float64)
        return sum_rounded_to_odd(product, np.asarray(c, np.float64)).astype(np.float32)
    product, product_error = exact_product(a, b)
    if not np.any(product_error):
        return product + c  # an exact product leaves one rounding: the sum's
    high, high_error = exact_sum(product, c)
    # The exact result is high + high_error + product_error; rounding the small part to odd
    # keeps the information a final round-to-nearest needs (Boldo and Melquiond, 2008).
    small = sum_rounded_to_odd(high_error, product_error)
    fused = high + small
    np.copyto(fused, high, where=small == 0)  # -0.0 + 0.0 is 0.0, but the exact sum is high
    finite = np.isfinite(fused)
    if finite.all():
        return fused
    return np.where(finite, fused, product + c)  # inf - inf in the error terms: plain sum


SPLITTER = 2.0**27 + 1  # Veltkamp's constant: splits a float64 into two 26-bit halves
SPLIT_LIMIT = 2.0**995  # above it, SPLITTER * a overflows
SPLIT_SCALE = 2.0**64


def split(a):
    """(high, low) with a = high + low exactly, each of at most 26 significant bits."""
    if SPLIT_LIMIT < np.max(np.abs(a), initial=0) < np.inf:  # inf stays inf when scaled
        # Split a smaller copy: powers of 2 scale exactly.
        high, low = split(a / SPLIT_SCALE)
        return high * SPLIT_SCALE, low * SPLIT_SCALE
    scaled = SPLITTER * a
    high = scaled - (scaled - a)
    return high, a - high


def exact_product(a, b):
    """(p, e) with p = a * b rounded and p + e = a * b exactly (Dekker)."""
    product = a * b
    a_high, a_low = split(a)
    b_high, b_low = split(b)
    error = ((a_high * b_high - product) + a_high * b_low + a_low * b_high) + a_low * b_low
    return product, error


def exact_sum(a, b):
    """(s, e) with s = a + b rounded and s + e = a + b exactly (Knuth's TwoSum)."""
    total = a + b
    b_part = total - a
    a_part = total - b_part
    return total, (a - a_part) + (b - b_part)


def sum_rounded_to_odd(a, b):
    """a + b in float64, rounded to odd: an inexact sum takes the neighbour whose last bit
    is 1, so that a later, coarser rounding to nearest meets no false tie."""
    total, error = exact_sum(a, b)
    even = (np.asarray(total).view(np.int64) & 1) == 0
    toward_error = np.nextafter(total, np.where(error > 0, np.inf, -np.inf))
    return np.where((error != 0) & even & np.isfinite(total), toward_error, total)
