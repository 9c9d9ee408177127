"""Comparisons (== != < <= > >=), the bitwise and logical ops, isclose, allclose,
equal, isnan, isinf and isfinite.

Their results are bool tensors (Python bools for allclose and equal), never part of
a graph: each computes on the arrays and wraps the result, recording no node.
"""

import math

from ..arguments import bool_argument, check_tensors, float_argument
from ..backend import namespace_of as xp  # the array namespace of an array
from ..device import mixed_device_error
from ..dtypes import get_default_dtype, result_type, scalar_type_name
from ..tensor import Tensor
from .operands import broadcast_error, data_of, other_on_device, promote


def _compare(a, b, operator_name):
    a, b = promote(a, b)
    return _on_arrays(a, b, operator_name)


def _on_arrays(a, b, operator_name):
    """The NumPy operator on two promoted operands; shapes that do not broadcast raise
    PyTorch's RuntimeError."""
    a_data = data_of(a)
    try:
        return Tensor._make(getattr(a_data, operator_name)(data_of(b)))
    except ValueError as error:
        raise broadcast_error(a, b) or error from None


def eq(input, other):
    return _compare(input, other, "__eq__")


def ne(input, other):
    return _compare(input, other, "__ne__")


def lt(input, other):
    return _compare(input, other, "__lt__")


def le(input, other):
    return _compare(input, other, "__le__")


def gt(input, other):
    return _compare(input, other, "__gt__")


def ge(input, other):
    return _compare(input, other, "__ge__")


def _bitwise(a, b, operator_name):
    a, b = promote(a, b)  # None or a string is a TypeError here, before the dtype's error
    for operand in (a, b):
        data = data_of(operand)
        kind = data.dtype.kind if hasattr(data, "dtype") else "i"  # NumPy's scalars too
        if kind == "f" or isinstance(operand, float):
            raise broadcast_error(a, b) or _kernel_refuses(  # shapes first, as PyTorch
                f"bitwise_{operator_name}", result_type(a, b), "integer and bool tensors"
            )
    return _on_arrays(a, b, f"__{operator_name}__")


def bitwise_and(a, b):
    return _bitwise(a, b, "and")


def bitwise_or(a, b):
    return _bitwise(a, b, "or")


def bitwise_xor(a, b):
    return _bitwise(a, b, "xor")


def bitwise_left_shift(input, other):
    """``input << other``: each integer's bits moved ``other`` places up, as PyTorch moves
    them: the bits past the type's width are lost, and a shift by the width or more, or by
    a negative number, gives 0."""
    return _shift(input, other, "lshift")


def bitwise_right_shift(input, other):
    """``input >> other``: each integer's bits moved ``other`` places down, the sign copied
    in from the top. A shift by the width or more, or by a negative number, leaves only the
    sign: -1 or 0 (0 for uint8), as in PyTorch."""
    return _shift(input, other, "rshift")


def _shift(a, b, direction):
    a, b = promote(a, b)
    tensor = a if isinstance(a, Tensor) else b
    data_type = tensor._data.dtype
    if data_type.kind not in "iu":  # floats, and bools (bool beside bool stays bool)
        raise broadcast_error(a, b) or _kernel_refuses(  # shapes first, as PyTorch
            direction, tensor.dtype, "integer tensors"
        )
    namespace = xp(tensor._data)
    values = namespace.asarray(data_of(a), dtype=data_type)
    places = namespace.asarray(data_of(b), dtype=data_type)
    try:
        shifted = _shifted(namespace, values, places, direction)
    except ValueError as error:  # NumPy's word for shapes that do not broadcast
        raise broadcast_error(a, b) or error from None
    return Tensor._make(shifted.astype(data_type, copy=False))


def _shifted(namespace, values, places, direction):
    width = values.dtype.itemsize * 8
    within = (places >= 0) & (places < width)
    places = namespace.where(within, places, 0)  # NumPy's shift past the width is C's: any
    if direction == "lshift":
        return namespace.where(within, namespace.left_shift(values, places), 0)
    sign = namespace.right_shift(values, width - 1) if values.dtype.kind == "i" else 0
    return namespace.where(within, namespace.right_shift(values, places), sign)


def bitwise_not(input):
    if input._data.dtype.kind == "f":
        raise _kernel_refuses("bitwise_not", input.dtype, "integer and bool tensors")
    return Tensor._make(~input._data)


def _kernel_refuses(kernel, dtype, what_it_takes):
    """PyTorch's error for a dtype its kernel lacks, which names the dtype as C++ does."""
    return NotImplementedError(
        f"\"{kernel}_cpu\" not implemented for '{scalar_type_name(dtype)}': "
        f"it takes {what_it_takes}"
    )


def invert(input):
    """``~x``: PyTorch refuses a float tensor with a TypeError here (NotImplementedError in
    ``bitwise_not``)."""
    if input._data.dtype.kind == "f":
        raise TypeError("~ (operator.invert) is only supported for integer and bool tensors")
    return Tensor._make(~input._data)


def logical_not(input):
    return Tensor._make(xp(input._data).logical_not(input._data))


def logical_and(input, other):
    return _logical(input, other, "logical_and")


def logical_or(input, other):
    return _logical(input, other, "logical_or")


def logical_xor(input, other):
    return _logical(input, other, "logical_xor")


def _logical(input, other, name):
    if not isinstance(other, Tensor):  # PyTorch takes no number here (its signature: Tensor)
        raise TypeError(
            f"{name}(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}"
        )
    other = other_on_device(input, other, name)
    # In their common dtype, as PyTorch: a 0-d int32 -2**31 beside int8 is int8's 0, False
    a, b = promote(input, other)
    try:
        return Tensor._make(getattr(xp(a._data), name)(a._data, data_of(b)))
    except ValueError as error:
        raise broadcast_error(input, other) or error from None


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """``|input - other| <= atol + rtol * |other|`` computed as PyTorch computes it: ints
    and bools as floats of the default dtype, and each step (the tolerances too) rounded
    to the float dtype. Equal values (inf beside inf) are close whatever the tolerances."""
    bool_argument(equal_nan, "isclose", "equal_nan")  # PyTorch takes a bool only, not 1
    rtol, atol = (
        float_argument(tolerance, "isclose", name)
        for name, tolerance in (("rtol", rtol), ("atol", atol))
    )
    other = other_on_device(input, other, "isclose")
    if isinstance(other, Tensor) and other._data.dtype != input._data.dtype:
        raise RuntimeError(
            f"isclose: {input.dtype} did not match {other.dtype}; convert one with .to()"
        )
    for name, tolerance in (("rtol", rtol), ("atol", atol)):
        if not tolerance >= 0:  # NaN too
            raise RuntimeError(f"isclose: {name} must be at least zero, but got {tolerance}")
    a, b = input.detach(), other.detach() if isinstance(other, Tensor) else other
    close = eq(a, b)
    if equal_nan and a.dtype.is_floating_point:
        close = close | (isnan(a) & isnan(b if isinstance(b, Tensor) else a.new_tensor(b)))
    if rtol == 0 and atol == 0:
        return close
    if not a.dtype.is_floating_point:  # else a difference of ints would wrap
        default = get_default_dtype()
        a, b = a.to(default), b.to(default) if isinstance(b, Tensor) else b
    difference = (a - b).abs()
    return close | (isfinite(difference) & (difference <= abs(b * rtol) + atol))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def equal(input, other):
    if type(input._data) is not type(other._data):
        raise mixed_device_error(input._data, other._data, "equal")
    if input.shape != other.shape:
        return False
    if input._data.dtype != other._data.dtype:  # compared in their common dtype, as PyTorch
        return bool(eq(input, other)._data.all())
    return bool((input._data == other._data).all())


def isnan(input):
    return Tensor._make(xp(input._data).isnan(input._data))


def isinf(input):
    return Tensor._make(xp(input._data).isinf(input._data))


def isfinite(input):
    return Tensor._make(xp(input._data).isfinite(input._data))


def isposinf(input):
    return Tensor._make(input._data == math.inf)  # (CuPy has no isposinf)


def isneginf(input):
    return Tensor._make(input._data == -math.inf)


def isreal(input):
    """True everywhere: ember's tensors hold no complex numbers."""
    return Tensor._make(xp(input._data).ones(input._data.shape, dtype=bool))


def is_nonzero(input):
    """The truth of a one-element tensor, as ``bool(input)`` (which refuses more or fewer
    elements with PyTorch's error)."""
    return bool(input)


def is_same_size(input, other):
    check_tensors("is_same_size", other=other)
    return tuple(input.shape) == tuple(other.shape)


# PyTorch's longer names for the comparisons
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne
