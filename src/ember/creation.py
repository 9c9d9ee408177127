"""Making tensors: from data, filled, and ranges (random ones are in random.py).

Data given as Python numbers infers PyTorch's dtypes (floats -> float32,
ints -> int64, bools -> bool); NumPy arrays keep their own dtype.
"""

from . import backend, dtypes
from .device import as_device
from .ops.movement import shape_argument
from .tensor import Tensor

np = backend.cpu_namespace


def tensor_shape(size):
    """The shape of a new tensor from f(2, 3) or f((2, 3)); negative sizes are refused."""
    shape = shape_argument(size)
    for size in shape:
        if size < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {size}: {list(shape)}"
            )
    return shape


def _finish(array, requires_grad):
    tensor = Tensor._make(array)
    if requires_grad:
        tensor.requires_grad_(True)
    return tensor


def _place(array, device):
    """Move a host array to ``device`` (no copy on the CPU)."""
    return backend.to_device(array, as_device(device))


def _new_array(device, maker, *args):
    """``namespace.<maker>(*args)`` for ``device``, made on that GPU when there are several."""
    device = as_device(device)
    if device.type == "cpu":
        return getattr(np, maker)(*args)
    with backend.using_device(device):
        return getattr(backend.cuda_namespace(), maker)(*args)


def _data_to_array(data, dtype):
    """A NumPy array for ``data`` with PyTorch's dtype inference."""
    if isinstance(data, Tensor):
        array = backend.to_host(data._data)
        return array.astype(dtype.numpy_type) if dtype else array
    if type(data) is np.ndarray or isinstance(data, backend.generic_scalar):
        array = np.asarray(data)
        dtypes.from_numpy(array.dtype)  # refuses types ember lacks
        return array.astype(dtype.numpy_type) if dtype else array
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    try:
        array = np.array(data)
    except ValueError as error:
        raise ValueError(f"can't build a tensor from ragged nested sequences: {error}") from None
    if array.dtype.kind in "US":
        raise ValueError(f"can't build a tensor from strings: {data!r:.60}")
    if array.dtype.kind == "O":
        raise TypeError(
            f"can't convert {type(data).__name__} to a tensor: its elements must be numbers, "
            "bools or tensors of one element"
        )
    # np.array made this array, so nothing else holds it: no second copy is needed.
    if dtype is not None:
        return array.astype(dtype.numpy_type, copy=False)
    if array.dtype.kind == "f":
        return array.astype(dtypes.get_default_dtype().numpy_type, copy=False)
    if array.dtype.kind in "iu":
        return array.astype(np.int64, copy=False)
    return array


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data`` (lists, numbers, arrays, tensors)."""
    dtype = None if dtype is None else dtypes.to_dtype(dtype)
    if backend.is_cuda_array(data):  # a CuPy array: copied like a CUDA tensor
        data = Tensor._make(data)
    if device is None and isinstance(data, Tensor):
        device = data.device  # torch.tensor(cuda_tensor) stays on the GPU
    array = _data_to_array(data, dtype)
    if isinstance(data, (np.ndarray, Tensor)) or array is data:
        array = array.copy()
    return _finish(_place(array, device), requires_grad)


def as_tensor(data, dtype=None, device=None):
    if isinstance(data, Tensor) and dtype is None and device is None:
        return data
    if isinstance(data, np.ndarray) and dtype is None and device is None:
        return from_numpy(data)
    if backend.is_cuda_array(data) and dtype is None and device is None:
        return Tensor._make(data)  # shares the GPU memory, as from_numpy shares host memory
    return tensor(data, dtype=dtype, device=device)


def from_numpy(array):
    """A tensor sharing memory with the NumPy array (writes show in both)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    dtypes.from_numpy(array.dtype)
    return Tensor._make(array)


def legacy_tensor_array(args, dtype, device):
    """``Tensor(2, 3)`` is an uninitialised (here: zero) float tensor; ``Tensor(data)`` copies."""
    dtype = dtypes.to_dtype(dtype) if dtype else dtypes.get_default_dtype()
    if len(args) == 1 and not isinstance(args[0], int):
        return _place(_data_to_array(args[0], dtype), device)
    return _new_array(device, "zeros", tensor_shape(args), dtype.numpy_type)


def _filled(fill, size, dtype, device, requires_grad):
    shape = tensor_shape(size)
    dtype = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    array = _new_array(device, "full", shape, fill, dtype.numpy_type)
    return _finish(array, requires_grad)


def zeros(*size, dtype=None, device=None, requires_grad=False, out=None):
    refuse_out(out, "zeros")
    return _filled(0, size, dtype, device, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False, out=None):
    refuse_out(out, "ones")
    return _filled(1, size, dtype, device, requires_grad)


def refuse_out(out, name):
    """ember has no ``out=`` tensors; say so rather than silently make a new one."""
    if out is not None:
        raise NotImplementedError(f"{name}(out=...) is not supported by ember; assign the result")


def empty(*size, dtype=None, device=None, requires_grad=False, memory_format=None):
    return _filled(0, size, dtype, device, requires_grad)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False):
    if dtype is None:
        dtype = dtypes.result_type(fill_value)
    return _filled(fill_value, (size,), dtype, device, requires_grad)


def _like(input, dtype, device):
    return (
        input.dtype if dtype is None else dtype,
        input.device if device is None else device,
    )


def zeros_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    dtype, device = _like(input, dtype, device)
    return _filled(0, (input.shape,), dtype, device, requires_grad)


def ones_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    dtype, device = _like(input, dtype, device)
    return _filled(1, (input.shape,), dtype, device, requires_grad)


def empty_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    return zeros_like(input, dtype=dtype, device=device, requires_grad=requires_grad)


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False):
    dtype, device = _like(input, dtype, device)
    return _filled(fill_value, (input.shape,), dtype, device, requires_grad)


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    if end is None:
        start, end = 0, start
    numbers = [_number(value) for value in (start, end, step)]
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError(
            f"upper bound and larger bound inconsistent with step sign "
            f"(start={start}, end={end}, step={step})"
        )
    if dtype is None:
        is_float = any(isinstance(value, float) for value in numbers)
        dtype = dtypes.get_default_dtype() if is_float else dtypes.int64
    dtype = dtypes.to_dtype(dtype)
    refuse_bool_range(dtype, "arange")
    # Compute in float64 (as PyTorch does) and then cast, so the count matches.
    try:
        values = np.arange(*numbers, dtype=np.float64 if dtype.is_floating_point else np.int64)
    except ValueError:
        raise RuntimeError(f"unsupported range: {start} -> {end} (step {step})") from None
    return _finish(_place(values.astype(dtype.numpy_type), device), requires_grad)


def refuse_bool_range(dtype, op_name):
    """A range of bools has no meaning; PyTorch has no kernel for it."""
    if dtype is dtypes.bool:
        raise NotImplementedError(
            f"{op_name} is not implemented for bool; ask for an integer dtype"
        )


def _number(value):
    return value.item() if isinstance(value, Tensor) else value


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False):
    dtype = dtypes.to_dtype(dtype) if dtype else dtypes.get_default_dtype()
    refuse_bool_range(dtype, "linspace")
    if steps < 0:
        raise RuntimeError(f"linspace: number of steps must be non-negative, got {steps}")
    values = np.linspace(_number(start), _number(end), steps).astype(dtype.numpy_type)
    return _finish(_place(values, device), requires_grad)


def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False):
    dtype = dtypes.to_dtype(dtype) if dtype else dtypes.get_default_dtype()
    refuse_bool_range(dtype, "logspace")
    values = np.logspace(start, end, steps, base=base).astype(dtype.numpy_type)
    return _finish(_place(values, device), requires_grad)


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False):
    dtype = dtypes.to_dtype(dtype) if dtype else dtypes.get_default_dtype()
    if n < 0 or (m is not None and m < 0):
        raise RuntimeError(f"eye: n and m must be greater or equal to 0, got {n} and {m}")
    return _finish(_new_array(device, "eye", n, m, 0, dtype.numpy_type), requires_grad)
