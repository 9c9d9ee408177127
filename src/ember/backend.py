"""The one door to the array libraries.

Every other module asks this one for an array namespace instead of importing
NumPy itself, so that a second backend (CuPy for ``device="cuda"``) is a
second door here rather than a rewrite of the ops. An array namespace is a
module with NumPy's functions: ``numpy`` on the CPU, ``cupy`` on a GPU.

CuPy is imported on first use, never at ``import ember``: a machine without it
runs everything on the CPU and hears about CuPy only when it asks for "cuda".
The few things CuPy spells differently from NumPy (scatter-add, host copies,
data pointers) have one helper each here, so the ops never need to know which
library they run on.
"""

import contextlib
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
    while getattr(root, "base", None) is not None and type(root.base) is type(array):
        root = root.base
    return root


def storage_offset(array):
    """Elements between the start of the array's memory block and its first element."""
    return (data_pointer(array) - data_pointer(storage_root(array))) // array.itemsize


def storage_of(array):
    """The whole memory block ``array`` looks into, as a one-dimensional array of its
    element type: PyTorch's storage. None where the block is not one contiguous run."""
    root = storage_root(array)
    if not root.flags.c_contiguous:
        if not root.flags.f_contiguous:
            return None
        root = root.T  # a transposed Fortran-ordered block is C-ordered
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
# Picking bit patterns instead (a & ones | b & ~ones) is branch-free and exact (NaN, inf
# and -0 included); below this many elements, where's one loop is faster.
SELECT_BY_BITS_FROM = 4096
_SAME_SIZE_INTEGERS = {1: numpy.int8, 2: numpy.int16, 4: numpy.int32, 8: numpy.int64}


def select(condition, a, b):
    """``a`` where the bool array ``condition`` is True, ``b`` elsewhere (arrays or numbers,
    broadcast together): ``where(condition, a, b)``, the same values and dtype."""
    namespace = namespace_of(condition)
    if namespace is not numpy or condition.size < SELECT_BY_BITS_FROM:
        return namespace.where(condition, a, b)
    dtype = numpy.result_type(a, b)
    bits = _SAME_SIZE_INTEGERS.get(dtype.itemsize)
    if bits is None or dtype.kind not in "biuf":
        return numpy.where(condition, a, b)
    ones = -condition.astype(bits)  # every bit set where condition holds
    picked = numpy.asarray(a, dtype).view(bits) & ones
    picked |= numpy.asarray(b, dtype).view(bits) & ~ones
    return picked.view(dtype)


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


def _in_blocks(function, array, *options):
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
    return _in_blocks(_rounded_from_float64, array, function, *options)


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
    arrays (``_in_blocks``'s blocks) give each function only its elements: a special
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


def _rational(numerator, denominator, x):
    """The ratio of two polynomials at ``x``, each given as ``polynomial`` takes it."""
    value = polynomial(numerator, x)
    value /= polynomial(denominator, x)
    return value


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
    return _in_blocks(_erf_by_cody, array)


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
