"""The operands that every element-wise op shares: PyTorch's type promotion, casts, the
device check, Python numbers beside tensors, and the RuntimeError for shapes that do not
broadcast. ``binary`` applies an op to two operands through them."""

import numbers

from .. import backend, dtypes
from ..autograd.function import Function
from ..device import mixed_device_error
from ..tensor import Tensor


def promote(a, b):
    """Cast tensor operands to the dtype PyTorch gives their result.

    The common cases (same dtype; a float tensor with a Python number) pass
    through untouched, since NumPy already gets them right.
    """
    a_is_tensor = isinstance(a, Tensor)
    b_is_tensor = isinstance(b, Tensor)
    if a_is_tensor and b_is_tensor:
        a_data, b_data = a._data, b._data
        if type(a_data) is not type(b_data):
            a, b = same_device(a, b, "a binary op")
            a_data, b_data = a._data, b._data
        if a_data.dtype == b_data.dtype:
            return a, b
    elif a_is_tensor or b_is_tensor:
        tensor, number = (a, b) if a_is_tensor else (b, a)
        if type(number) is not float and type(number) is not int:  # Python's own: no checks
            number = _as_operand(number)
            a, b = (tensor, number) if a_is_tensor else (number, tensor)
        kind = tensor._data.dtype.kind
        if kind == "f" and (type(number) is not int or -(2**63) <= number < 2**64):
            return a, b  # (a bigger int is refused below, as PyTorch refuses it)
        if kind in "iu" and type(number) is int:
            if 0 <= number <= 127:
                return a, b
            return wrap_integer_operand(a, b, tensor._data.dtype)
    result = dtypes.result_type(a, b)
    return cast_to(a, result), cast_to(b, result)


def _as_operand(value):
    """What a binary op takes beside a tensor: a NumPy scalar as the Python number it
    holds, a bool or an array as it is, an int or a float of a subclass (an IntEnum) as
    the plain number, which keeps the tensor's dtype as PyTorch's does (NumPy took the
    subclass for a float64 or int64 operand). A list, None or a string is PyTorch's
    TypeError."""
    if isinstance(value, backend.generic_scalar):
        return backend.python_number(value)
    if type(value) is bool or backend.is_array(value):
        return value
    if isinstance(value, (int, float)):
        return int(value) if isinstance(value, int) else float(value)
    raise TypeError(
        f"a tensor op takes a Tensor or a number, not {type(value).__name__}; "
        "make a tensor of it with ember.tensor(...)"
    )


def same_device(a, b, op_name):
    """Tensors ``a`` and ``b`` on one device, or PyTorch's RuntimeError naming both devices.

    A 0-d CPU tensor next to a CUDA tensor counts as a number, as in PyTorch:
    it is copied to the GPU. Callers compare the arrays' types first, so that
    tensors on one device pay nothing here.
    """
    if a._data.ndim == 0 and not backend.is_cuda_array(a._data):
        return a.to(b.device), b
    if b._data.ndim == 0 and not backend.is_cuda_array(b._data):
        return a, b.to(a.device)
    raise mixed_device_error(a._data, b._data, op_name)


def other_on_device(input, other, op_name):
    """``other`` (a tensor or a number) beside ``input``, checked as ``same_device`` does."""
    if isinstance(other, Tensor) and type(other._data) is not type(input._data):
        return same_device(input, other, op_name)[1]
    return other


def wrap_integer_operand(a, b, numpy_type):
    """A Python int outside an integer tensor's range wraps around, as in PyTorch
    (``uint8_tensor + -3`` adds 253), where NumPy would raise OverflowError."""
    if isinstance(a, Tensor):
        return a, wrapped_integer(b, numpy_type)
    return wrapped_integer(a, numpy_type), b


def check_integer_fits(number, tensor):
    """Ops that store a Python int as it is (pow, where, assignment) refuse one that does
    not fit the integer tensor's type, as PyTorch does (``dtypes.checked_number``)."""
    if type(number) is int and tensor._data.dtype.kind in "iu":
        dtypes.checked_number(number, dtypes.from_numpy(tensor._data.dtype))


def check_float_fits(number, tensor):
    """A Python float stored as it is (fill_, masked_fill) must fit the tensor's type:
    NaN, inf or a value out of range in an integer tensor, or a finite value beyond a
    float type's largest, is PyTorch's RuntimeError."""
    if tensor._data.dtype.kind in "iuf":
        dtypes.checked_number(number, dtypes.from_numpy(tensor._data.dtype))


def wrapped_integer(number, numpy_type):
    limits = backend.cpu_namespace.iinfo(numpy_type)
    if limits.min <= number <= limits.max:
        return number
    return int(backend.cpu_namespace.array(number).astype(numpy_type))


def cast_to(value, dtype):
    numpy_type = dtype.numpy_type
    if isinstance(value, Tensor) and value._data.dtype != numpy_type:
        return cast(value, numpy_type)
    return value


def cast(input, numpy_type):
    """``input`` as ``numpy_type``: recorded only to a floating type, for an integer or bool
    result has no gradient (in PyTorch ``x.long()`` does not require grad)."""
    if numpy_type.kind == "f":
        return Cast.apply(input, numpy_type)
    if numpy_type.char == "B" and input._data.dtype.kind == "f":
        # PyTorch takes a float to uint8 through int64, so -1.0 is 255. A direct cast is
        # C's, whose negatives are undefined: x86 wraps them too, CuPy gives 0.
        return Tensor._make(input._data.astype("int64").astype(numpy_type))
    return Tensor._make(input._data.astype(numpy_type))


class Cast(Function):
    listed_inputs = (0,)

    def forward(self, a, numpy_type):
        return a.astype(numpy_type)

    def backward(self, grad):
        return grad, None  # the engine casts to the input's dtype

    def name(self):
        return "ToCopyBackward0"  # PyTorch's .to(dtype) is a copy to another type


def to_dtype(input, dtype):
    numpy_type = dtypes.to_dtype(dtype).numpy_type
    if input._data.dtype == numpy_type:
        return input
    return cast(input, numpy_type)


def data_of(value):
    return value._data if isinstance(value, Tensor) else value


def is_foreign(other):
    """Neither a tensor, a number nor an array. Beside such an operand an operator gives
    NotImplemented, as PyTorch's do: Python then tries the other operand's method, repeats
    a str, list or tuple by the tensor's ``__index__`` (``'ab' * x``), or raises its own
    TypeError naming the operator and both types."""
    return not (
        isinstance(other, (Tensor, numbers.Number, backend.generic_scalar))
        or backend.is_array(other)
    )


def broadcast_error(a, b):
    """PyTorch's RuntimeError for shapes that do not broadcast, naming both sizes."""
    a_shape = tuple(getattr(a, "shape", ()))
    b_shape = tuple(getattr(b, "shape", ()))
    for offset in range(1, min(len(a_shape), len(b_shape)) + 1):
        size_a, size_b = a_shape[-offset], b_shape[-offset]
        if size_a != size_b and size_a != 1 and size_b != 1:
            dim = max(len(a_shape), len(b_shape)) - offset
            return RuntimeError(
                f"The size of tensor a ({size_a}) must match the size of tensor b ({size_b}) "
                f"at non-singleton dimension {dim} (shapes {list(a_shape)} and {list(b_shape)})"
            )
    return None


def binary(op, a, b, *options):
    """``op`` on two promoted operands (and its own ``options``); shapes that do not
    broadcast raise PyTorch's RuntimeError naming both sizes."""
    if not (
        isinstance(b, Tensor)
        and isinstance(a, Tensor)
        and a._data.dtype == b._data.dtype
        and type(a._data) is type(b._data)
    ):
        a, b = promote(a, b)  # the common case above needs no promotion
    try:
        return op.apply(a, b, *options)
    except ValueError as error:  # NumPy's word for shapes that do not broadcast
        raise broadcast_error(a, b) or error from None
