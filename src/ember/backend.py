"""The one door to the array libraries.

Every other module of the core (tensor, ops, autograd, nn, optim) asks this one for an
array namespace instead of importing NumPy itself, so that a second backend (CuPy for
``device="cuda"``) is a second door here rather than a rewrite of the ops. An array
namespace is a module with NumPy's functions: ``numpy`` on the CPU, ``cupy`` on a GPU.

CuPy is imported on first use, never at ``import ember``: a machine without it
runs everything on the CPU and hears about CuPy only when it asks for "cuda".
The few things CuPy spells differently from NumPy (scatter-add, host copies,
data pointers) have one helper each here, so the ops never need to know which
library they run on.
"""

import contextlib
import functools
import math
import warnings

import numpy

cpu_namespace = numpy
ndarray = numpy.ndarray
generic_scalar = numpy.generic  # NumPy's scalar types (np.float32(1.0)...)
LinAlgError = numpy.linalg.LinAlgError  # CuPy raises NumPy's class too

# PyTorch returns inf and nan without a word, where NumPy warns ("divide by zero
# encountered in log"). The filter matches only warnings raised from ember's own modules,
# so the user's own NumPy calls keep theirs, and no op pays for an errstate.
warnings.filterwarnings(
    "ignore", message=".*encountered in", category=RuntimeWarning, module=r"ember\."
)


class _NoArray:
    """Stands for the CUDA array type until CuPy is loaded: no array is one."""


_cuda_namespace = None  # cupy (or a stand-in from the tests), once loaded
_cuda_ndarray = _NoArray  # its array type
_cuda_scatter_add = None  # cupyx.scatter_add
_cuda_linalg_errstate = None  # cupyx.errstate, which makes CuPy's solvers report singularity
_cuda_error = None  # why CUDA cannot be used, once we know ("" when it can)
_no_context = contextlib.nullcontext()


# Which namespace an array belongs to -------------------------------------------------


def namespace_of(array):
    """The array namespace that owns ``array`` (numpy or cupy)."""
    if type(array) is ndarray:
        return numpy
    if type(array) is _cuda_ndarray:
        return _cuda_namespace
    return numpy


def is_cuda_array(array):
    return type(array) is _cuda_ndarray


def is_array(value):
    """An array of either library (not a Python number, nor a NumPy scalar)."""
    return type(value) is ndarray or type(value) is _cuda_ndarray


def device_index_of(array):
    """-1 for a CPU array, the GPU's ordinal for a CuPy array."""
    if type(array) is _cuda_ndarray:
        return array.device.id
    return -1


# Loading CuPy ---------------------------------------------------------------------


def cuda_namespace():
    """CuPy, checked to have a GPU; a RuntimeError that says what is missing if not."""
    if _cuda_namespace is not None:
        return _cuda_namespace
    if not cuda_is_available():
        raise RuntimeError(_cuda_error)
    return _cuda_namespace


def cuda_is_available():
    global _cuda_error
    if _cuda_namespace is not None:
        return True
    if _cuda_error is None:
        _cuda_error = _load_cupy()
    return not _cuda_error


def cuda_unavailable_reason():
    """Why ``device="cuda"`` cannot be used here ("" when it can)."""
    cuda_is_available()
    return _cuda_error


def _load_cupy():
    """Import CuPy and count GPUs; the reason they cannot be used, or "" on success."""
    try:
        import cupy
        import cupyx
    except ImportError as error:
        return (
            "ember: CUDA was requested but CuPy is not installed (import failed: "
            f"{error}). Install the GPU extra, pip install 'ember[cuda]', on a machine "
            "with an NVIDIA GPU, or use device='cpu'."
        )
    except Exception as error:  # a broken CuPy install (missing CUDA libraries...)
        return f"ember: CUDA was requested but CuPy failed to import: {error}"
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as error:  # no driver, or a driver too old for this CuPy build
        return (
            "ember: CuPy is installed but no CUDA GPU can be used on this machine "
            f"({type(error).__name__}: {error}). Use device='cpu'."
        )
    if count == 0:
        return "ember: CuPy is installed but this machine has no CUDA GPU. Use device='cpu'."
    use_cuda_namespace(cupy, cupyx.scatter_add, getattr(cupyx, "errstate", None))
    return ""


def use_cuda_namespace(namespace, scatter_add, linalg_errstate=None):
    """Make ``namespace`` the CUDA array library (CuPy, or a stand-in in the tests)."""
    global _cuda_namespace, _cuda_ndarray, _cuda_scatter_add, _cuda_linalg_errstate, _cuda_error
    _cuda_namespace = namespace
    _cuda_ndarray = namespace.ndarray
    _cuda_scatter_add = scatter_add
    _cuda_linalg_errstate = linalg_errstate
    _cuda_error = ""


def forget_cuda_namespace():
    """Undo ``use_cuda_namespace``: the next request for CUDA looks for CuPy afresh."""
    global _cuda_namespace, _cuda_ndarray, _cuda_scatter_add, _cuda_linalg_errstate, _cuda_error
    _cuda_namespace = None
    _cuda_ndarray = _NoArray
    _cuda_scatter_add = None
    _cuda_linalg_errstate = None
    _cuda_error = None


def cuda_device_count():
    if not cuda_is_available():
        return 0
    return _cuda_namespace.cuda.runtime.getDeviceCount()


def using_device(device):
    """A context in which new CuPy arrays land on ``device`` (nothing to do on the CPU)."""
    if device.type == "cpu" or device.index is None:
        return _no_context
    namespace = cuda_namespace()
    count = namespace.cuda.runtime.getDeviceCount()
    if not 0 <= device.index < count:
        raise RuntimeError(
            f"CUDA error: invalid device ordinal: {device} was asked for, but this machine "
            f"has {count} CUDA device{'s' if count != 1 else ''} (cuda:0 to cuda:{count - 1})"
        )
    return namespace.cuda.Device(device.index)


# Moving arrays ----------------------------------------------------------------------


def as_array(value):
    """NumPy reductions return scalars (np.float32); tensors always hold arrays."""
    if type(value) is ndarray:
        return value
    if isinstance(value, numpy.generic):
        return numpy.asarray(value)
    return value


def python_number(value):
    """A NumPy scalar as the Python number PyTorch takes it for: an int for an integer
    type, else a float (PyTorch reads ``np.bool_`` as a float too). ``np.float64(2.0)``
    must not make a float32 tensor's result float64, as NumPy's own rules would."""
    if not isinstance(value, numpy.generic):
        return value
    kind = value.dtype.kind
    if kind in "iu":
        return int(value)
    return float(value) if kind in "fb" else value


def to_host(array):
    """A NumPy array with the values of ``array`` (a copy if it lives on a GPU)."""
    if type(array) is _cuda_ndarray:
        return array.get()
    return array


def to_device(array, device):
    """``array`` (NumPy or CuPy) on ``device``: itself when already there, else a copy."""
    if device.type == "cpu":
        return array.get() if type(array) is _cuda_ndarray else array
    namespace = cuda_namespace()
    if type(array) is _cuda_ndarray and (device.index is None or array.device.id == device.index):
        return array
    with using_device(device):
        if type(array) is _cuda_ndarray:
            return array.copy()  # GPU to GPU
        return namespace.asarray(array)


# What CuPy spells differently -----------------------------------------------------


def scatter_add(target, index, values):
    """``target[index] += values`` in place, with repeated indices adding up. A read-only
    target (an expanded tensor's) is refused with NumPy's ValueError, as a write into it
    is: NumPy's add.at would write into it all the same."""
    if not is_writeable(target):
        raise ValueError("assignment destination is read-only")
    if type(target) is _cuda_ndarray:
        _cuda_scatter_add_any_type(target, index, values)
        return
    at_mask = _rows_at_mask(target, index)
    if at_mask is not None:  # a mask names no position twice: 9x faster than add.at
        rows, positions = at_mask
        rows[positions] += values
        return
    rows = _lone_row_index(index)
    if rows is not None and target.ndim > 1 and target.flags.c_contiguous:
        row_size = math.prod(target.shape[1:])
        if rows.size * row_size >= SCATTER_BY_POSITIONS_FROM:
            _scatter_add_rows(target, rows, row_size, values)
            return
    numpy.add.at(target, index, values)


# The types CuPy's scatter_add (its add.at kernel) adds.
_CUDA_SCATTER_ADD_TYPES = ("int32", "int64", "float16", "float32", "float64", "uint32", "uint64")


def _cuda_scatter_add_any_type(target, index, values):
    """cupyx.scatter_add, also for the types it refuses (int8, int16, uint8, uint16, bool):
    those add in int64, then wrap (a bool becomes whether any value was true) as they are
    cast back, which is what PyTorch's sums of them give."""
    if target.dtype.name in _CUDA_SCATTER_ADD_TYPES:
        _cuda_scatter_add(target, index, values)
        return
    wide = target.astype("int64")
    _cuda_scatter_add(wide, index, values.astype("int64") if is_array(values) else values)
    target[...] = wide.astype(target.dtype)


# add.at adds whole rows (``x[rows]``'s gradient) about three times as slowly as the same
# numbers at one flat position each: 256 rows of 256 float32, 558 us against 184. The sums
# are the same, in the same order. Below this many values, the rows are faster.
SCATTER_BY_POSITIONS_FROM = 4096


def masked_values(array, mask):
    """``array[mask]`` for a bool mask over its leading dims: the elements (or the rows)
    where it holds, in order. NumPy's own boolean index branches on every element;
    compress over the flattened mask is 4x faster on a 256x256 float32 array."""
    if type(array) is not ndarray or mask.ndim == 0 or mask.shape != array.shape[: mask.ndim]:
        return array[mask]  # CuPy's, and NumPy's errors and 0-d rules
    rows = array.reshape((mask.size,) + array.shape[mask.ndim :])
    return numpy.compress(mask.reshape(-1), rows, axis=0)


def write_at(target, index, values):
    """``target[index] = values``; at a mask, 3x faster than NumPy's boolean assignment."""
    at_mask = _rows_at_mask(target, index)
    if at_mask is None:
        target[index] = values
    else:
        rows, positions = at_mask
        rows[positions] = values


def _rows_at_mask(target, index):
    """For an index that is one mask over the leading dims of a contiguous NumPy array:
    the array seen as one row per mask element, and the positions of the true ones (which
    read and write where the mask does, without NumPy's branch on every element); else
    None."""
    mask = _lone_mask(index)
    if mask is None or not target.flags.c_contiguous or mask.shape != target.shape[: mask.ndim]:
        return None
    return target.reshape((mask.size,) + target.shape[mask.ndim :]), numpy.flatnonzero(mask)


def _lone_mask(index):
    """The bool array of an index that is one mask (``x[mask]``), or None."""
    if type(index) is tuple and len(index) == 1:
        index = index[0]
    if type(index) is ndarray and index.dtype.kind == "b" and index.ndim:
        return index
    return None


def _lone_row_index(index):
    """The integer array of an index that picks whole rows (``x[rows]``), or None."""
    if type(index) is tuple and len(index) == 1:
        index = index[0]
    if type(index) is ndarray and index.dtype.kind in "iu":
        return index
    return None


def _scatter_add_rows(target, rows, row_size, values):
    """``target[rows] += values`` by flat positions, for a C-contiguous ``target``."""
    rows = numpy.where(rows < 0, rows + len(target), rows)  # the index was checked in range
    positions = rows.reshape(-1, 1) * row_size + numpy.arange(row_size)
    values = numpy.broadcast_to(values, rows.shape + target.shape[1:]).reshape(-1)
    numpy.add.at(target.reshape(-1), positions.reshape(-1), values)


def raising_linalg_errors(array):
    """A context in which a singular matrix is a ``LinAlgError`` on CuPy as on NumPy.

    CuPy does not check its solvers' status unless asked, since checking waits
    for the GPU; ember asks, as torch.linalg does, in the (rarely hot) solvers.
    """
    if type(array) is _cuda_ndarray and _cuda_linalg_errstate is not None:
        return _cuda_linalg_errstate(linalg="raise")
    return _no_context


def is_writeable(array):
    """False for NumPy's read-only arrays (broadcast views); CuPy has no such flag."""
    return getattr(array.flags, "writeable", True)


def data_pointer(array):
    """The address of the first element (in host or GPU memory)."""
    if type(array) is _cuda_ndarray:
        return array.data.ptr
    return array.__array_interface__["data"][0]


# NumPy 2.1 reshapes without a copy, or raises, with reshape(copy=False); NumPy 2.5
# deprecates the older way, setting .shape on a view, which older NumPy and CuPy still need.
RESHAPES_WITHOUT_COPY = (
    ndarray if numpy.lib.NumpyVersion(numpy.__version__) >= "2.1.0" else _NoArray
)


def c_contiguous(array):
    """``array`` laid out in C order: itself when it already is. PyTorch's cat, stack, roll
    and tile always give a contiguous result, where NumPy's follow the inputs' layout (a
    transposed result for transposed inputs), which ``view()`` would then refuse."""
    return array if array.flags.c_contiguous else namespace_of(array).ascontiguousarray(array)


def view_in_shape(array, shape):
    """``array`` seen in ``shape`` without a copy, the old way (see RESHAPES_WITHOUT_COPY);
    a ValueError where its strides do not allow that (a transposed matrix flattened)."""
    view = array.view()
    try:
        view.shape = shape
    except AttributeError:
        raise ValueError(f"cannot view an array of shape {array.shape} as {shape}") from None
    return view


def storage_root(array):
    """The array that owns the memory block ``array`` looks into (``array`` itself, for an
    array that is no view)."""
    root = array
    base = getattr(array, "base", None)
    while base is not None:  # through what is no array: NumPy's as_strided puts one there
        if type(base) is type(array):
            root = base
        base = getattr(base, "base", None)
    return root


# CuPy's as_strided makes an array over another's memory with no ``base``, so the chain of
# bases cannot find a GPU array's memory block. Every CuPy array knows its allocation
# instead (``data.mem``), which the memory pool rounds up to a multiple of 512 bytes.


def storage_offset(array):
    """Elements between the start of the array's memory block and its first element."""
    if type(array) is _cuda_ndarray:
        return (array.data.ptr - array.data.mem.ptr) // array.itemsize
    return (data_pointer(array) - data_pointer(storage_root(array))) // array.itemsize


def storage_identity(array):
    """What names the memory block ``array`` looks into, equal for all the arrays over one
    block: its allocation on the GPU, else the array that owns the block."""
    if type(array) is _cuda_ndarray:
        return array.data.mem.ptr
    return id(storage_root(array))


def storage_of(array):
    """The whole memory block ``array`` looks into, as a one-dimensional array of its
    element type: PyTorch's storage (on the GPU, CuPy's whole allocation). None where
    the block is not one contiguous run."""
    if type(array) is _cuda_ndarray:
        allocation = array.data.mem
        start = _cuda_namespace.cuda.MemoryPointer(allocation, 0)
        length = allocation.size // array.itemsize
        return _cuda_namespace.ndarray((length,), array.dtype, memptr=start)
    root = storage_root(array)
    if not root.flags.c_contiguous:  # dense in another order (a clone of a permuted tensor)?
        root = root.transpose(sorted(range(root.ndim), key=lambda axis: -root.strides[axis]))
        if not root.flags.c_contiguous:
            return None
    return root.reshape(-1).view(array.dtype)


def broadcast_to(array, shape):
    """A read-only view of ``array`` stretched to ``shape`` (zero strides where it repeats).

    NumPy's own broadcast_to is Python code costing ~3 us a call, which the
    backward of every sum and mean would pay; for a contiguous array the view
    is built directly. Callers pass shapes that broadcast (expand checks them).
    """
    if type(array) is not ndarray or not array.flags.c_contiguous:
        return namespace_of(array).broadcast_to(array, shape)
    lead = len(shape) - array.ndim
    strides = [0] * lead
    for size, stride, target in zip(array.shape, array.strides, shape[lead:]):
        strides.append(stride if size == target else 0)
    view = numpy.ndarray(shape, array.dtype, array, 0, strides)
    view.flags.writeable = False
    return view


def strided_view(array, shape, steps, offset=0, writeable=True):
    """A view of the one-dimensional, contiguous ``array`` with ``shape``, from element
    ``offset`` on, stepping ``steps`` elements along each dim; the caller makes ``array``
    long enough for the furthest element. Not ``writeable``: read-only, where the array
    library has the flag (a view whose elements share memory, as expand's)."""
    strides = tuple(step * array.itemsize for step in steps)
    if type(array) is not ndarray:
        return namespace_of(array).lib.stride_tricks.as_strided(array[offset:], shape, strides)
    if 0 in shape:  # nothing is read, but NumPy refuses an offset past the memory's end
        offset = min(offset, array.size)
    # Not NumPy's as_strided, whose result's base is a stand-in object: this one's base is
    # ``array``, so that storage_offset finds the memory block it looks into.
    view = numpy.ndarray(shape, array.dtype, array, offset * array.itemsize, strides)
    view.flags.writeable = writeable and array.flags.writeable
    return view


# Reductions ---------------------------------------------------------------------------

SHORT_AXIS = 16  # reduced lengths up to this go through a transposed copy ...
MANY_ROWS = 128  # ... when there are at least this many of them
# Sums of rows up to this long go through einsum: longer rows would lose accuracy, as its
# running sums are not pairwise like NumPy's (float32 rows of 1024: 9e-8 off, like PyTorch;
# of 100,000: 1e-6 off).
LONGEST_EINSUM_ROW = 1024
FEWEST_EINSUM_ELEMENTS = 4096  # below this, einsum's setup costs more than it saves
# ndarray.sum and .max are Python wrappers around these; calling them directly saves a frame.
_NUMPY_REDUCTIONS = {
    "sum": numpy.add.reduce,
    "max": numpy.maximum.reduce,
    "min": numpy.minimum.reduce,
}


def reduction(array, method, axes, keepdims=False, **options):
    """``array.<method>(axis=axes, keepdims=keepdims, **options)``, for "sum", "max", "min".

    NumPy reduces the last axis one row at a time, with a call of its inner loop per row.
    For a short row that call is most of the work: the max of each of 256 rows of 10
    classes took 20 us. A transposed copy puts each class in a row of its own, which NumPy
    reduces elementwise across all the rows at once: 3 us with the copy (sum: 7 us against
    3). Softmax and cross-entropy over classes reduce such rows every step. Max and min
    are exact either way; a sum of up to 16 numbers may round differently.

    Longer float rows are summed by einsum, which adds a row in several SIMD lanes at
    once: 11 us for 256 rows of 256 float32s, where NumPy's pairwise sum took 30 us.
    """
    if type(array) is not ndarray:
        return getattr(array, method)(axis=axes, keepdims=keepdims, **options)
    if axes is not None and _reduces_the_rows(array, axes):
        length = array.shape[-1]
        if 1 < length <= SHORT_AXIS and array.size >= MANY_ROWS * length:
            by_class = array.reshape(-1, length).T.copy()
            out = _NUMPY_REDUCTIONS[method](by_class, axis=0, **options)
            return out.reshape(array.shape[:-1] + ((1,) if keepdims else ()))
        if method == "sum" and not options and _sums_well_by_einsum(array, length):
            out = numpy.einsum("ij->i", array.reshape(-1, length))
            return out.reshape(array.shape[:-1] + ((1,) if keepdims else ()))
    return _NUMPY_REDUCTIONS[method](array, axis=axes, keepdims=keepdims, **options)


def _reduces_the_rows(array, axes):
    """Whether ``axes`` is the last axis of a C-contiguous array of 2 or more dims.

    Not for float16: NumPy sums a float16 row in float32, but adds float16 rows
    elementwise in float16, rounding at every step."""
    if array.ndim < 2 or array.dtype == numpy.float16:
        return False
    last = array.ndim - 1
    return (
        axes == last or axes == (last,) or axes == -1 or axes == (-1,)
    ) and array.flags.c_contiguous


def _sums_well_by_einsum(array, length):
    """Whether einsum sums these float32 or float64 rows faster than NumPy, and as
    accurately."""
    return (
        SHORT_AXIS < length <= LONGEST_EINSUM_ROW
        and array.size >= FEWEST_EINSUM_ELEMENTS
        and (array.dtype == numpy.float32 or array.dtype == numpy.float64)
    )


def accumulate(ufunc_name, array, axis):
    """NumPy's ``ufunc.accumulate`` of ``array`` along ``axis``, for "maximum", "minimum"
    and "logaddexp". CuPy accumulates only add and multiply, so on the GPU a doubling scan
    does it: log2(n) steps, each combining every element with the one ``step`` places
    before it."""
    combine = getattr(namespace_of(array), ufunc_name)
    if type(array) is not _cuda_ndarray:
        return combine.accumulate(array, axis=axis)
    result = array.copy()
    size, step = array.shape[axis], 1
    while step < size:
        later = (slice(None),) * axis + (slice(step, None),)
        earlier = (slice(None),) * axis + (slice(None, size - step),)
        result[later] = combine(result[earlier], result[later])
        step *= 2
    return result


def may_share_memory(a, b):
    return namespace_of(a).may_share_memory(a, b)


# NumPy's where() branches on each element: with a mask as mixed as ``x > 0`` it
# mispredicts half the time, and 256x256 float32 takes 300 us where a product takes 15.
# Picking bit patterns instead (a & mask | b & ~mask) is branch-free and exact (NaN, inf
# and -0 included); below this many elements, where's one loop is faster.
SELECT_BY_BITS_FROM = 4096
_SAME_SIZE_INTEGERS = {1: numpy.int8, 2: numpy.int16, 4: numpy.int32, 8: numpy.int64}


def select(condition, a, b):
    """``a`` where the bool array ``condition`` is True, ``b`` elsewhere (arrays or numbers,
    broadcast together): ``where(condition, a, b)``, the same values and dtype."""
    namespace = namespace_of(condition)
    if namespace is not numpy or condition.size < SELECT_BY_BITS_FROM:
        return namespace.where(condition, a, b)
    # a gradient kept where a mask holds (backward's where(mask, grad, 0.)): half the passes
    if _is_positive_zero(b) and _is_float_array_of(a, condition.shape):
        return zero_where(~condition, a)
    if _is_positive_zero(a) and _is_float_array_of(b, condition.shape):
        return zero_where(condition, b)
    dtype = numpy.result_type(a, b)
    bits = _SAME_SIZE_INTEGERS.get(dtype.itemsize)
    if bits is None or dtype.kind not in "biuf":
        return numpy.where(condition, a, b)
    # two new arrays, the rest in place: each one more is 64 pages of 4 KiB, which glibc
    # may hand back and take again, a page fault apiece, on every call
    mask = condition.astype(bits)
    numpy.negative(mask, out=mask)  # every bit set where condition holds
    picked = numpy.bitwise_and(numpy.asarray(a, dtype).view(bits), mask)
    numpy.invert(mask, out=mask)
    mask &= numpy.asarray(b, dtype).view(bits)
    picked |= mask
    return picked.view(dtype)


def _is_positive_zero(value):
    return (
        (type(value) is float or type(value) is int) and value == 0 and math.copysign(1, value) > 0
    )


def _is_float_array_of(value, shape):
    return type(value) is ndarray and value.dtype.kind == "f" and value.shape == shape


# NumPy's maximum and minimum with a number as one operand run a loop that is not
# vectorized; its clip is 2-3x faster on float32 and float64 arrays from this many
# elements (and slower below, for the Python around it), with the same values where this
# NumPy's clip breaks ties of signed zeros as they do (``_clip_keeps_signed_zeros``).
CLIP_FROM = 4096
_BOUND_TYPES = (int, float, type(None))


def clamped(array, low, high):
    """PyTorch's clamp of ``array`` by numbers or arrays (either may be None): ``low``
    where ``array`` is below it, then ``high`` where that is above it, so that ``high``
    wins where low > high. A -0. beside a bound of 0 stays -0., and NaN stays NaN."""
    if (
        type(array) is ndarray
        and array.size >= CLIP_FROM
        and array.dtype.char in "fd"
        and array.flags.c_contiguous
        and type(low) in _BOUND_TYPES
        and type(high) in _BOUND_TYPES
        and _clip_keeps_signed_zeros(array.dtype.char)
    ):
        return _clip(array, low, high)
    return _raised_then_lowered(array, low, high)


def _clip(array, low, high):
    return numpy.clip(array, -math.inf if low is None else low, math.inf if high is None else high)


def _raised_then_lowered(array, low, high):
    result = array if low is None else _at_least(low, array)
    return result if high is None else _at_most(high, result)


@functools.cache
def _clip_keeps_signed_zeros(dtype_char):
    """Whether NumPy's clip gives ``_raised_then_lowered``'s bits where ``x`` is one zero
    and the bound the other (x is kept), and at NaN. That depends on NumPy's version:
    1.26's clip returned the bound."""
    x = numpy.resize(numpy.array([-0.0, 0.0, numpy.nan, -1.0, 1.0], dtype_char), CLIP_FROM)
    bits = _SAME_SIZE_INTEGERS[x.itemsize]
    return all(
        numpy.array_equal(
            _clip(x, low, high).view(bits), _raised_then_lowered(x, low, high).view(bits)
        )
        for low, high in [(0.0, None), (-0.0, None), (None, 0.0), (None, -0.0), (0.0, -0.0)]
    )


def _at_least(bound, array):
    """``bound`` where ``array`` is below it, else ``array``. NumPy's maximum picks so with
    the bound first; its float16 loop returns the first of two equal zeros, so float16
    goes through float32 (exactly)."""
    if array.dtype.char == "e":
        return namespace_of(array).maximum(bound, array.astype("float32")).astype("float16")
    return namespace_of(array).maximum(bound, array)


def _at_most(bound, array):
    """``bound`` where ``array`` is above it, else ``array``: as ``_at_least``, the other
    way."""
    if array.dtype.char == "e":
        return namespace_of(array).minimum(bound, array.astype("float32")).astype("float16")
    return namespace_of(array).minimum(bound, array)


def zero_where(condition, array):
    """``array`` with 0 where the bool array ``condition`` (of its shape) holds:
    ``where(condition, 0, array)``, which keeps NaN and -0 elsewhere and puts +0 (never
    -0, as ``array * mask`` would for negative values) where it holds. One pass fewer
    than ``select``: the bits of 0 need no picking."""
    namespace = namespace_of(array)
    bits = _SAME_SIZE_INTEGERS.get(array.dtype.itemsize)
    if namespace is not numpy or array.size < SELECT_BY_BITS_FROM or bits is None:
        return namespace.where(condition, array.dtype.type(0), array)
    kept = condition.astype(bits)
    kept -= 1  # every bit set where the condition does not hold, none where it does
    kept &= array.view(bits)
    return kept.view(array.dtype)


# Special functions ------------------------------------------------------------------

# A special function makes 30 to 100 passes over its array. On a large NumPy array each
# pass streams the whole array from memory and writes a fresh one; cut into blocks that fit
# in a core's cache (2^15 float64 values are 256 KiB), every pass after a block's first
# reads from cache, and the blocks' temporaries reuse memory instead of mapping new pages:
# erf, erfc, erfinv and lgamma of 1M float64 values take 2.1 to 2.7 times less time
# (measured), with identical results, since each element's value depends on that element
# alone. CuPy's arrays are computed whole: a GPU has no such cache to fit, and each block
# would cost more kernel launches. Below four blocks, an array's temporaries fit in the
# cache anyway, and the blocks only add their own steps (float32 erf of 131,072 values takes
# 1.25 times longer in blocks, measured): such an array is computed whole.
_BLOCK_SIZE = 2**15
_BLOCKS_FROM = 4 * _BLOCK_SIZE


def in_blocks(function, array, *options):
    """``function(array, *options)`` for an elementwise ``function`` whose result has the
    array's shape and dtype, computed on blocks of a large contiguous NumPy array. The
    function sees a contiguous array as one dimension, so that ``piecewise`` can gather
    each branch's elements (a 0-d array too: NumPy's ufuncs would make a scalar of it, to
    which no ``out=`` can write); a strided one it sees whole, which keeps its layout."""
    if namespace_of(array) is not numpy or (array.ndim > 1 and not array.flags.c_contiguous):
        return function(array, *options)
    if array.ndim != 1 and not isinstance(array, numpy.ndarray):  # a NumPy scalar
        array = numpy.asarray(array)
    flat = array.reshape(-1)
    if flat.size < _BLOCKS_FROM:
        return function(flat, *options).reshape(array.shape)
    result = numpy.empty_like(flat)
    for start in range(0, flat.size, _BLOCK_SIZE):
        block = slice(start, start + _BLOCK_SIZE)
        result[block] = function(flat[block], *options)
    return result.reshape(array.shape)


def computed_in_float64(function, array, *options):
    """``function(array, *options)``, written for float64, of a float array of any
    precision: float32 and float16 compute in float64 and round, float16 through float32
    (PyTorch's float16 kernels compute in float32 and round). Large arrays go by blocks."""
    return in_blocks(_rounded_from_float64, array, function, *options)


def _rounded_from_float64(array, function, *options):
    char = array.dtype.char
    if char == "d":
        return function(array, *options)
    value = function(array.astype("float64"), *options).astype("float32")
    return value if char == "f" else value.astype("float16")


def branch_taken(mask):
    """Whether some element takes the branch that ``mask`` marks, so that a branch none
    takes is not computed. On the GPU every branch is computed: asking would wait for it."""
    return namespace_of(mask) is not numpy or bool(mask.any())


def piecewise(condition, where_true, where_false, *arrays):
    """``select(condition, where_true(*arrays), where_false(*arrays))`` for elementwise
    functions of ``arrays`` (of the condition's shape, and which they must not write to:
    they may be given the arrays themselves), each called only if some element
    takes its branch (``where_true`` when none does). Where both are taken, NumPy's 1-d
    arrays (``in_blocks``'s blocks) give each function only its elements: a special
    function's branches cost 20 to 40 passes each, gathering and scattering the elements
    about 4, so that this costs less than computing both for every element and selecting
    (up to 1.4 times less, measured on erfc). On the GPU both are computed and selected:
    gathering would wait for the host to count the elements."""
    if not branch_taken(~condition):
        return where_true(*arrays)
    if not branch_taken(condition):
        return where_false(*arrays)
    if namespace_of(condition) is not numpy or condition.ndim != 1:
        return select(condition, where_true(*arrays), where_false(*arrays))
    taken, others = numpy.flatnonzero(condition), numpy.flatnonzero(~condition)
    value_taken = where_true(*(array.take(taken) for array in arrays))
    value = numpy.empty(condition.shape, value_taken.dtype)
    value[taken] = value_taken
    value[others] = where_false(*(array.take(others) for array in arrays))
    return value


def polynomial(coefficients, x):
    """The polynomial with ``coefficients`` (highest power first) at ``x``, by Horner, in
    place (a new array, not ``x``)."""
    value = coefficients[0] * x
    for coefficient in coefficients[1:-1]:
        value += coefficient
        value *= x
    value += coefficients[-1]
    return value
