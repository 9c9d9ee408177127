"""Making tensors: from data, filled, and ranges (random ones are in random.py).

How Python data (nested lists of numbers, NumPy numbers, tensors) is read into an
array, with PyTorch's dtypes and errors, is ``reading_data.py``'s work.

``arange`` and ``linspace`` give PyTorch's values bit for bit, not just to
within rounding: a plot's or a gradient's x values then match the book's.
"""

import math
import operator
import warnings

from . import backend, dtypes
from .arguments import float_argument, integer_argument, shape_argument, type_name
from .device import as_device, device_of_array
from .fused_multiply_add import multiply_add
from .ops.raw_views import repeats_along_a_dim, span
from .reading_data import data_to_array
from .tensor import Tensor, warn_once

np = backend.cpu_namespace


# An argument left out, where None given on purpose is refused as PyTorch refuses it.
NOT_GIVEN = object()


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
    if requires_grad is True:
        tensor.requires_grad_(True)
    elif requires_grad is not False and requires_grad is not None:
        raise TypeError(
            f"requires_grad must be a bool, not {type_name(requires_grad)} (a value that only "
            "looks true would leave the tensor out of the graph or in it by surprise)"
        )
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


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data`` (lists, numbers, arrays, tensors).

    The dtype comes from the data unless ``dtype=`` is given: ints give int64, floats
    the default dtype (float32), bools bool. Nested lists must be rectangular.

    >>> ember.tensor([[1, 2], [3, 4]])
    tensor([[1, 2],
            [3, 4]])
    >>> ember.tensor([1, 2.5]).dtype
    ember.float32
    """
    if isinstance(data, Tensor):
        warn_copy_construct("ember.tensor(sourceTensor)")
    if requires_grad is None:  # PyTorch's parser refuses it here (the makers take it)
        raise TypeError("tensor(): argument 'requires_grad' must be bool, not NoneType")
    return copied_tensor(data, dtype, device, requires_grad)


def warn_copy_construct(call):
    """Copying a tensor with ``tensor()`` hides that the copy leaves the graph; say how
    to write it so that it shows. ``call`` is how the user's code spelled the copy."""
    warnings.warn(
        "To copy construct from a tensor, it is recommended to use "
        "sourceTensor.detach().clone() (then .requires_grad_(True) for a new leaf that "
        f"trains) rather than {call}: the copy has no history, and detach() says so.",
        UserWarning,
        stacklevel=3,
    )


def copied_tensor(data, dtype=None, device=None, requires_grad=False):
    """``tensor()`` without its warning, for callers that copy a tensor on purpose."""
    # With a dtype, PyTorch's TypeError; without one, its RuntimeError (no dtype to infer),
    # which data_to_array gives
    if data is None and dtype is not None:
        raise TypeError("tensor(): None is no data, whatever the dtype")
    dtype = None if dtype is None else dtypes.to_dtype(dtype)
    if backend.is_cuda_array(data):  # a CuPy array: copied like a CUDA tensor
        data = Tensor._make(data)
    if device is None and isinstance(data, Tensor):
        device = data.device  # torch.tensor(cuda_tensor) stays on the GPU
    array = data_to_array(data, dtype)
    if isinstance(data, (np.ndarray, Tensor)) or array is data:
        array = array.copy()
    return _finish(_place(array, device), requires_grad)


def as_tensor(data, dtype=None, device=None):
    """``data`` as a tensor, copying it only when it must.

    A tensor comes back itself and a NumPy array shares its memory (writes show in both)
    unless ``dtype=`` or ``device=`` asks for another; lists are copied, as ``tensor``
    copies them.

    >>> x = ember.tensor([1, 2, 3])
    >>> ember.as_tensor(x) is x
    True
    >>> ember.as_tensor(x, dtype=ember.float32)
    tensor([1., 2., 3.])
    """
    if isinstance(data, Tensor):
        return data.to(dtype=dtype, device=device)  # itself, where nothing changes
    if backend.is_array(data) and _already(data, dtype, device):
        if isinstance(data, np.ndarray):
            return from_numpy(data)
        return Tensor._make(data)  # shares the GPU memory, as from_numpy shares host memory
    return copied_tensor(data, dtype, device)


def _already(array, dtype, device):
    """Whether ``array`` already has the dtype and device asked for (None: any)."""
    if dtype is not None and array.dtype != dtypes.to_dtype(dtype).numpy_type:
        return False
    if device is None:
        return True
    wanted, found = as_device(device), device_of_array(array)
    return wanted.type == found.type and wanted.index in (None, found.index)


def from_numpy(array):
    """A tensor sharing memory with the NumPy array (writes show in both).

    The dtype is the array's: NumPy's float64 stays float64, where layers want float32
    (call ``.float()``). ``ember.tensor(array)`` makes a copy instead.

    >>> import numpy as np
    >>> a = np.array([1.0, 2.0])
    >>> x = ember.from_numpy(a)
    >>> a[0] = 5.0
    >>> x
    tensor([5., 2.], dtype=ember.float64)
    """
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    if type(array) is not np.ndarray:  # (a type test: a loader's batches pass here)
        array = np.asarray(array)  # a masked array's data (its mask dropped), a matrix's
    dtypes.from_numpy(array.dtype)
    if any(stride < 0 for stride in array.strides):
        raise ValueError(
            "from_numpy: the array steps backwards along a dim (a negative stride, as in "
            "a[::-1]), which tensors cannot; pass a copy, a[::-1].copy()"
        )
    if not array.flags.writeable:
        warn_once(
            "read-only array",
            "The NumPy array is not writable, and the tensor shares its memory, so ember "
            "will refuse to write into the tensor (PyTorch writes into it anyway). Copy the "
            "array, or make it writable, before converting it if you need to write.",
            stacklevel=2,
        )
    return Tensor._make(array)


def legacy_tensor_array(args, dtype, device):
    """``Tensor(2, 3)`` is an uninitialised (here: zero) float tensor; ``Tensor(data)``
    copies a sequence, and ``Tensor(tensor)`` shares the tensor's memory, dtype and all, as
    ``Tensor(array)`` shares a NumPy array of the default dtype.

    As in PyTorch, one argument that is an index (an int, ``np.int64(2)``, a 0-d int array)
    is a size; any other must be a sequence: ``Tensor(2.5)`` is a TypeError.
    """
    dtype = dtypes.to_dtype(dtype) if dtype else dtypes.get_default_dtype()
    if len(args) == 1 and not _is_size(args[0]):
        data = args[0]
        if isinstance(data, Tensor):
            return data._data
        if isinstance(data, np.ndarray) and data.dtype == dtype.numpy_type and device is None:
            return from_numpy(data)._data  # an array of the dtype is shared, as in PyTorch
        if not _is_legacy_data(data):
            raise TypeError(f"new(): data must be a sequence (got {type_name(data)})")
        return _place(data_to_array(data, dtype), device)
    shape = tensor_shape(args) if args else (0,)  # Tensor() is empty, not 0-d
    try:
        return _new_array(device, "zeros", shape, dtype.numpy_type)
    except (ValueError, MemoryError):  # NumPy's "array is too big"
        raise RuntimeError(f"Tensor{shape}: too many elements to allocate") from None


def _is_size(value):
    """One size of ``Tensor(2, 3)``: an int or anything that is an index, but not a bool."""
    if isinstance(value, (bool, np.bool_, Tensor)):
        return False
    try:
        size = operator.index(value)
    except TypeError:
        return False
    return -(2**63) <= size < 2**63  # a larger int is read as data, and refused


def _is_legacy_data(data):
    """What PyTorch's ``Tensor(data)`` reads: a sequence (a list, an array, a range,
    a Series...); a number, None, a set, a dict or a generator is none."""
    kind = type(data)
    return hasattr(kind, "__len__") and hasattr(kind, "__getitem__") and kind is not dict


def _filled(fill, size, dtype, device, requires_grad):
    shape = tensor_shape(size)
    dtype = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    array = _new_array(device, "full", shape, fill, dtype.numpy_type)
    return _finish(array, requires_grad)


# The factories take PyTorch's ``layout=`` and ``pin_memory=`` too: ember has one layout
# (strided) and no page-locked memory, so both change nothing.


def zeros(
    *sizes,
    size=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    pin_memory=False,
    requires_grad=False,
):
    """A tensor of the given size filled with 0, in the default dtype (float32).

    The size is separate ints or one tuple: ``zeros(2, 3)`` is ``zeros((2, 3))``.

    >>> ember.zeros(2, 3)
    tensor([[0., 0., 0.],
            [0., 0., 0.]])
    >>> ember.zeros(3, dtype=ember.int64)
    tensor([0, 0, 0])
    """
    refuse_out(out, "zeros")
    return _filled(0, given_size(sizes, size, "zeros"), dtype, device, requires_grad)


def ones(
    *sizes,
    size=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    pin_memory=False,
    requires_grad=False,
):
    """A tensor of the given size filled with 1, in the default dtype (float32).

    The size is separate ints or one tuple: ``ones(2, 3)`` is ``ones((2, 3))``.

    >>> ember.ones(2, 3)
    tensor([[1., 1., 1.],
            [1., 1., 1.]])
    >>> ember.ones((2, 3, 4)).shape
    ember.Size([2, 3, 4])
    """
    refuse_out(out, "ones")
    return _filled(1, given_size(sizes, size, "ones"), dtype, device, requires_grad)


def given_size(sizes, size, name):
    """The size of ``f(2, 3)``, ``f((2, 3))`` or ``f(size=(2, 3))``, as ``_filled`` takes it:
    PyTorch needs one of those, and ``size=`` as a sequence."""
    if size is None:
        if sizes:
            return sizes
        raise TypeError(f"{name}() missing 1 required argument: 'size' (give () for a 0-d tensor)")
    if sizes or not isinstance(size, (tuple, list)):
        raise TypeError(
            f"{name}(): size must be given once, as a tuple or list of ints (got the positional "
            f"sizes {sizes} and size={size!r})"
        )
    return (size,)


def refuse_out(out, name):
    """ember has no ``out=`` tensors; say so rather than silently make a new one."""
    if out is not None:
        raise NotImplementedError(f"{name}(out=...) is not supported by ember; assign the result")


def empty(
    *sizes,
    size=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    pin_memory=False,
    requires_grad=False,
    memory_format=None,
):
    """A tensor of the given size whose values are not set (float32 by default).

    Use it only for a tensor you will overwrite: PyTorch leaves whatever was in memory,
    ember fills zeros; count on neither.

    >>> x = ember.empty(2, 3)
    >>> x.shape, x.dtype
    (ember.Size([2, 3]), ember.float32)
    """
    refuse_out(out, "empty")
    return _filled(0, given_size(sizes, size, "empty"), dtype, device, requires_grad)


def empty_strided(
    size,
    stride,
    *,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
):
    """A new tensor of ``size`` that steps ``stride`` elements through its memory along
    each dim; the memory is as long as the furthest element needs (and holds zeros)."""
    shape = tensor_shape((size,))
    steps = shape_argument((stride,))
    if len(steps) != len(shape):
        raise RuntimeError(
            f"dimensionality of sizes ({len(shape)}) must match dimensionality of strides "
            f"({len(steps)})"
        )
    if any(step < 0 for step in steps):
        raise RuntimeError(
            f"Storage size calculation overflowed with sizes={list(shape)} and "
            f"strides={list(steps)}: strides cannot be negative"
        )
    length = span(shape, steps)
    memory = _filled(0, (length,), dtype, device, False)._data
    writeable = not repeats_along_a_dim(shape, steps)
    return _finish(backend.strided_view(memory, shape, steps, 0, writeable), requires_grad)


def full(
    size,
    fill_value,
    *,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    pin_memory=False,
    requires_grad=False,
):
    """A tensor of ``size`` (a tuple) with every element ``fill_value``.

    Without ``dtype=`` the fill value decides: an int gives int64, a float the default
    dtype (float32), a bool bool.

    >>> ember.full((2, 2), 7)
    tensor([[7, 7],
            [7, 7]])
    >>> ember.full((3,), 0.5)
    tensor([0.5000, 0.5000, 0.5000])
    """
    refuse_out(out, "full")
    fill_value = _fill_number(fill_value, "full")
    dtype = dtypes.result_type(fill_value) if dtype is None else dtypes.to_dtype(dtype)
    fill_value = _checked_fill(fill_value, dtype)
    return _filled(fill_value, (size,), dtype, device, requires_grad)


def _fill_number(value, op_name):
    """A fill value as the Python number PyTorch reads it as: a 0-d tensor's item, or a
    NumPy number as ops take it (np.bool_ as a float: full((2,), np.bool_(True)) is
    float32). Anything else is refused, as PyTorch refuses it."""
    if isinstance(value, Tensor) and value.ndim == 0:
        return value.item()
    value = backend.python_number(value)
    if isinstance(value, complex):
        raise TypeError(f"{op_name}(): ember has no complex dtypes (fill_value={value!r})")
    if not isinstance(value, (int, float)):
        raise TypeError(
            f"{op_name}(): argument 'fill_value' must be a number or a 0-d tensor, not "
            f"{type(value).__name__}"
        )
    return value


def _checked_fill(value, dtype):
    """PyTorch refuses a fill its dtype cannot hold (NaN as an int, 1e10 as a float16)."""
    # any number is a bool, even an int NumPy cannot hold (2**63)
    return bool(value) if dtype is dtypes.bool else dtypes.checked_number(value, dtype)


def _like(input, dtype, device):
    return (
        input.dtype if dtype is None else dtype,
        input.device if device is None else device,
    )


def zeros_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    """A tensor of 0s with the shape, dtype and device of ``input``.

    ``dtype=`` and ``device=`` change those: an int64 ``input`` gives int64 zeros.

    >>> x = ember.tensor([[1, 2, 3]])
    >>> ember.zeros_like(x)
    tensor([[0, 0, 0]])
    >>> ember.zeros_like(x, dtype=ember.float32)
    tensor([[0., 0., 0.]])
    """
    dtype, device = _like(input, dtype, device)
    return _filled(0, (input.shape,), dtype, device, requires_grad)


def ones_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    """A tensor of 1s with the shape, dtype and device of ``input``.

    ``dtype=`` and ``device=`` change those: an int64 ``input`` gives int64 ones.

    >>> x = ember.tensor([[1.5, 2.5]])
    >>> ember.ones_like(x)
    tensor([[1., 1.]])
    """
    dtype, device = _like(input, dtype, device)
    return _filled(1, (input.shape,), dtype, device, requires_grad)


def empty_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    return zeros_like(input, dtype=dtype, device=device, requires_grad=requires_grad)


def full_like(
    input,
    fill_value,
    *,
    dtype=None,
    layout=None,
    device=None,
    pin_memory=False,
    requires_grad=False,
    memory_format=None,
):
    """A tensor with the shape, dtype and device of ``input``, every element ``fill_value``.

    The fill takes ``input``'s dtype: 2.7 in an int64 tensor is cut to 2. Give
    ``dtype=`` to keep it.

    >>> x = ember.tensor([1, 2, 3])
    >>> ember.full_like(x, 2.7)
    tensor([2, 2, 2])
    >>> ember.full_like(x, 2.7, dtype=ember.float32)
    tensor([2.7000, 2.7000, 2.7000])
    """
    dtype, device = _like(input, dtype, device)
    fill_value = _checked_fill(_fill_number(fill_value, "full_like"), dtypes.to_dtype(dtype))
    return _filled(fill_value, (input.shape,), dtype, device, requires_grad)


def arange(
    start=NOT_GIVEN,
    end=NOT_GIVEN,
    step=1,
    *,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    pin_memory=False,
    requires_grad=False,
):
    """The numbers from ``start`` (default 0) up to, not including, ``end``, ``step`` apart.

    Ints give int64; a float among the arguments gives the default dtype (float32).
    With a float step, rounding may add a last value: ``linspace`` fixes the count.

    >>> ember.arange(4)
    tensor([0, 1, 2, 3])
    >>> ember.arange(1, 1.3, 0.1)  # (1.3 - 1) / 0.1 is just above 3: four values
    tensor([1.0000, 1.1000, 1.2000, 1.3000])
    """
    refuse_out(out, "arange")
    if end is NOT_GIVEN:
        if start is NOT_GIVEN:
            raise TypeError("arange() missing 1 required argument: 'end'")
        start, end = 0, start
    elif start is NOT_GIVEN:  # arange(end=5)
        start = 0
    if start is None or end is None or step is None:
        raise TypeError("arange(): its start, end and step must be numbers, not None")
    start, end, step = _number(start), _number(end), _number(step)
    if dtype is None:
        is_float = any(isinstance(value, float) for value in (start, end, step))
        dtype = dtypes.get_default_dtype() if is_float else dtypes.int64
    dtype = dtypes.to_dtype(dtype)
    refuse_bool_range(dtype, "arange")  # before the range, as PyTorch does
    _check_range(start, end, step)
    if dtype.is_floating_point:
        values = _float_range(start, step, _range_length(start, end, step), dtype)
    else:
        values = _integer_range(start, end, step, dtype)
    return _finish(_place(values, device), requires_grad)


def inclusive_range(
    start=0,
    end=None,
    step=1,
    *,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    pin_memory=False,
    requires_grad=False,
):
    """``ember.range``, PyTorch's deprecated ``torch.range`` (named apart here so that
    Python's range stays Python's): from ``start`` to ``end`` *included*, in the default
    float dtype unless ``dtype`` says otherwise. It warns, as PyTorch's does; ``arange``
    stops before ``end``."""
    warnings.warn(
        "torch.range is deprecated: unlike Python's range it includes end. Use arange, "
        "which gives the numbers in [start, end).",
        UserWarning,
        stacklevel=2,
    )
    refuse_out(out, "range")
    if end is None:  # no range(end) form, as in PyTorch
        raise TypeError("range() missing 1 required positional argument: 'end'")
    start, end, step = _number(start), _number(end), _number(step)
    _check_range(start, end, step)
    dtype = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    count = math.floor((end - start) / step) + 1
    values = (start + np.arange(count) * step).astype(dtype.numpy_type)
    return _finish(_place(values, device), requires_grad)


def scalar_tensor(
    s, *, dtype=None, layout=None, device=None, pin_memory=False, requires_grad=False
):
    """A 0-d tensor holding the number ``s``, in the default float dtype unless ``dtype``
    says otherwise (an int or a bool too)."""
    dtype = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    s = float_argument(s, "scalar_tensor", "s")  # a 0-d tensor counts as its number
    return tensor(s, dtype=dtype, device=device, requires_grad=requires_grad)


def _check_range(start, end, step):
    """PyTorch's checks, in its order (a NaN step counts as zero)."""
    if not (step > 0 or step < 0):
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {start} -> {end}")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise RuntimeError(
            f"upper bound and lower bound inconsistent with step sign "
            f"(start={start}, end={end}, step={step})"
        )


def _range_length(start, end, step):
    """ceil((end - start) / step), worked out in float64 as PyTorch does."""
    length = (float(end) - float(start)) / float(step)
    if not length <= _INT64_LIMIT:  # also a span too wide for float64 (inf)
        raise RuntimeError(f"invalid size, possible overflow? ({length} values)")
    return math.ceil(length)


_INT64_LIMIT = 2.0**63


def _integer_range(start, end, step, dtype):
    """An integer range counts in int64 from the arguments cut toward zero; a narrower
    dtype then wraps around, like a C cast."""
    first, last, stride = (
        dtypes.checked_number(value, dtypes.int64) for value in (start, end, step)
    )
    if dtype is dtypes.int64:
        # PyTorch counts an int64 range in integers, the others in float64 from the
        # arguments as given: arange(2.9, dtype=int64) has 2 values, with int32 3.
        if stride == 0:
            raise ValueError(f"step must be nonzero (the step {step} cuts to 0 as an integer)")
        direction = 1 if stride > 0 else -1
        length = (last - first + stride - direction) // stride
    else:
        length = _range_length(start, end, step)
    values = np.arange(length, dtype=np.int64)
    if stride != 1:
        values *= stride
    if first:
        values += first
    return values.astype(dtype.numpy_type, copy=False)


# PyTorch's CPU kernel for arange fills 256-bit vectors, two per pass, and the last
# (length % (2 * lanes)) values one at a time. Each vector starts at start + step * index,
# rounded to the result type, and its other lanes add lane * step to that; each value is
# one fused multiply-add (one rounding) in float64 (float32 for a float16 range). The
# values then differ from start + step * index in the last bit, and the book can see it:
# in arange(-8.0, 8.0, 0.1), x[80] is 4.4e-16, not 0, so relu'(x[80]) is 1. Above 32768
# values PyTorch splits the range among its threads, and the vectors then start where its
# threads do: ember gives the values of one thread.
_VECTOR_BYTES = 32


def _float_range(start, step, length, dtype):
    """PyTorch's arange values for a floating dtype, bit for bit."""
    compute_type = np.float32 if dtype is dtypes.float16 else np.float64
    start, step = compute_type(start), compute_type(step)
    lanes = _VECTOR_BYTES // dtype.itemsize
    vector_starts = np.arange(0, length, lanes).astype(compute_type)
    first_in_vector = multiply_add(step, vector_starts, start, compute_type)
    first_in_vector = first_in_vector.astype(dtype.numpy_type).astype(compute_type)
    lane = np.arange(lanes).astype(compute_type)
    vectors = multiply_add(lane, step, first_in_vector[:, None], compute_type)
    vectors[:, 0] = first_in_vector  # as it is, not + 0 * step: -0.0 stays -0.0
    values = vectors.reshape(-1)[:length]
    one_at_a_time = length - length % (2 * lanes)
    tail = np.arange(one_at_a_time, length).astype(compute_type)
    values[one_at_a_time:] = multiply_add(step, tail, start, compute_type)
    return values.astype(dtype.numpy_type)


def refuse_bool_range(dtype, op_name):
    """A range of bools has no meaning; PyTorch has no kernel for it."""
    if dtype is dtypes.bool:
        raise NotImplementedError(
            f"{op_name} is not implemented for bool; ask for an integer dtype"
        )


def _number(value):
    """A range's bound as a Python number: a tensor's or NumPy number's item. A tensor of
    several elements is PyTorch's TypeError (its parser takes one of one element)."""
    if isinstance(value, Tensor) and value._data.size != 1:
        raise TypeError(f"a range's bound must be a number, not a tensor of shape {value.shape}")
    return value.item() if isinstance(value, (Tensor, backend.generic_scalar)) else value


def linspace(
    start,
    end,
    steps,
    *,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    pin_memory=False,
    requires_grad=False,
):
    """``steps`` evenly spaced numbers from ``start`` to ``end``, both included.

    ``steps`` is how many numbers, not the distance between them (``arange`` takes that).
    They are in the default dtype (float32) unless ``dtype=`` says otherwise.

    >>> ember.linspace(0, 1, 5)
    tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    """
    refuse_out(out, "linspace")
    dtype = dtypes.to_dtype(dtype) if dtype else dtypes.get_default_dtype()
    steps = _checked_steps(steps, "linspace")
    if steps > 1:  # no range of bools, but PyTorch makes 0 or 1 values of any dtype
        refuse_bool_range(dtype, "linspace")
    # PyTorch converts (and checks) only the bounds it uses: none for 0 steps, start for 1.
    start = dtypes.checked_number(_number(start), dtype) if steps else 0
    end = dtypes.checked_number(_number(end), dtype) if steps > 1 else start
    return _finish(_place(_evenly_spaced(start, end, steps, dtype), device), requires_grad)


def _evenly_spaced(start, end, steps, dtype):
    """PyTorch's linspace values, bit for bit: the first half counts up from start and the
    second half down from end, each value one fused multiply-add in the result type
    (float64 for an integer type, then cut toward zero); float16 rounds after every step."""
    if steps <= 1:
        return np.full(steps, start, dtype.numpy_type)
    up = np.arange(steps // 2)
    down = np.arange(steps - steps // 2 - 1, -1, -1)  # end's distance, in steps, from the rest
    if dtype is dtypes.float16:
        # PyTorch makes a float16 from a Python float through float32 (two roundings).
        start, end = np.float16(np.float32(start)), np.float16(np.float32(end))
        step = (end - start) / np.float16(steps - 1)
        counted_up = start + step * up.astype(np.float16)
        counted_down = end - step * down.astype(np.float16)
        return np.concatenate([counted_up, counted_down])
    compute_type = dtype.numpy_type.type if dtype.is_floating_point else np.float64
    start, end = compute_type(start), compute_type(end)
    step = (end - start) / compute_type(steps - 1)
    counted_up = multiply_add(step, up.astype(compute_type), start, compute_type)
    counted_down = multiply_add(-step, down.astype(compute_type), end, compute_type)
    return np.concatenate([counted_up, counted_down]).astype(dtype.numpy_type)


def _checked_steps(steps, op_name):
    steps = integer_argument(steps, op_name, "steps")
    if steps < 0:
        raise RuntimeError(f"{op_name}: number of steps must be non-negative, got {steps}")
    return steps


def logspace(
    start,
    end,
    steps,
    base=10.0,
    *,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    pin_memory=False,
    requires_grad=False,
):
    refuse_out(out, "logspace")
    base = float_argument(base, "logspace", "base")
    dtype = dtypes.to_dtype(dtype) if dtype else dtypes.get_default_dtype()
    steps = _checked_steps(steps, "logspace")
    if steps > 1:  # no range of bools, but PyTorch makes 0 or 1 values of any dtype
        refuse_bool_range(dtype, "logspace")
    if steps == 1:  # as PyTorch: base to the power of start as given (an int checked to fit)
        power = float(np.power(np.float64(base), _number(start)))
        if not dtype.is_floating_point:
            power = dtypes.checked_number(power, dtype)
        return _finish(_place(np.array([power], dtype.numpy_type), device), requires_grad)
    # As PyTorch does, the bounds are first made the dtype's (rounded, or for an integer
    # dtype cut toward zero and checked); the exponents between them and the powers are
    # float64's, rounded once (PyTorch's bits for 7 in 10 float32 values, measured), and
    # wrap around where an integer dtype cannot hold them.
    start = dtypes.in_dtype(_number(start), dtype) if steps else 0
    end = dtypes.in_dtype(_number(end), dtype) if steps else 0
    exponents = _evenly_spaced(start, end, steps, dtypes.float64)
    powers = np.power(np.float64(base), exponents)
    return _finish(_place(powers.astype(dtype.numpy_type), device), requires_grad)


def eye(
    n,
    m=None,
    *,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    pin_memory=False,
    requires_grad=False,
):
    """An ``n`` by ``m`` matrix (``m`` defaults to ``n``): ones on the diagonal, zeros elsewhere.

    >>> ember.eye(2)
    tensor([[1., 0.],
            [0., 1.]])
    >>> ember.eye(2, 3)
    tensor([[1., 0., 0.],
            [0., 1., 0.]])
    """
    refuse_out(out, "eye")
    dtype = dtypes.to_dtype(dtype) if dtype else dtypes.get_default_dtype()
    n = integer_argument(n, "eye", "n")
    m = m if m is None else integer_argument(m, "eye", "m")
    if n < 0 or (m is not None and m < 0):
        raise RuntimeError(f"eye: n and m must be greater or equal to 0, got {n} and {m}")
    return _finish(_new_array(device, "eye", n, m, 0, dtype.numpy_type), requires_grad)
