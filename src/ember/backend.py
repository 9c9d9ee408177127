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
    """``target[index] += values`` in place, with repeated indices adding up."""
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


def storage_offset(array):
    """Elements between the start of the array's memory block and its first element."""
    base = array
    while getattr(base, "base", None) is not None and type(base.base) is type(array):
        base = base.base
    return (data_pointer(array) - data_pointer(base)) // array.itemsize


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

# The error function, which NumPy lacks (GELU needs it). float64 computes W. J. Cody's
# rational Chebyshev approximations ("Rational Chebyshev approximations for the error
# function", Math. Comp. 23, 1969): erf(x) = x P(x^2) / Q(x^2) up to |x| = 0.46875, and
# beyond, erfc(x) = exp(-x^2) R(x) with R a ratio of two polynomials of degree 8. Cody made
# R for x up to 4 and adds an asymptotic form past it, which erfc needs but erf does not: R
# taken on to 6.5, where erf rounds to 1, gives math.erf's values there exactly (measured
# on 100,001 points). Each table lists a polynomial's coefficients, highest power first.
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
_ERF_IS_ONE_BEYOND = 6.5  # erfc(6.5) < 1e-19: 1 - erfc rounds to 1 in float64

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


def _polynomial(coefficients, x):
    """The polynomial with ``coefficients`` (highest power first) at ``x``, by Horner."""
    value = coefficients[0] * x
    for coefficient in coefficients[1:-1]:
        value += coefficient
        value *= x
    value += coefficients[-1]
    return value


def _rational(numerator, denominator, x):
    """The ratio of two polynomials at ``x``, each given as ``_polynomial`` takes it."""
    value = _polynomial(numerator, x)
    value /= _polynomial(denominator, x)
    return value


def erf(array):
    """The error function of a float array, elementwise, in the array's dtype: float32
    and float16 by the tanh form, within 3.8 float32 roundings of ``math.erf``; float64
    (and any other dtype) by Cody's forms, within 4 roundings (within one for 99.3% of
    values, equal for 91%)."""
    char = array.dtype.char  # not dtype.kind, which is 'f' for every float
    if char == "f":
        return _erf_by_tanh(array)
    if char == "e":
        return _erf_by_tanh(array.astype("float32")).astype("float16")
    return _erf_by_cody(array)


def _erf_by_tanh(array):
    """erf of a float32 array as tanh(x g(x^2)), g the polynomial fitted above."""
    inner = _polynomial(_ERF_TANH_POLYNOMIAL, array * array)
    inner *= array
    return namespace_of(array).tanh(inner)


def _erf_by_cody(array):
    """erf by Cody's two forms. Both are computed for every value and the right one kept:
    indexing by a mask costs NumPy more than the arithmetic it saves."""
    namespace = namespace_of(array)
    magnitude = namespace.abs(array)
    bounded = namespace.minimum(magnitude, _ERF_IS_ONE_BEYOND)  # NaN stays NaN
    small = namespace.minimum(bounded, _ERF_NEAR_ZERO_LIMIT)
    near_zero = small * _rational(
        _ERF_NEAR_ZERO_NUMERATOR, _ERF_NEAR_ZERO_DENOMINATOR, small * small
    )
    erfc = _rational(_ERFC_NUMERATOR, _ERFC_DENOMINATOR, bounded)
    erfc *= namespace.exp(-(bounded * bounded))
    value = select(magnitude <= _ERF_NEAR_ZERO_LIMIT, near_zero, 1.0 - erfc)
    return namespace.copysign(value, array)


# erfc, erfcx and the inverses of erf and erfc (torch.special's) -----------------------
# float64 by the forms above; float32 and float16 compute in float64 and round, float16
# through float32 as PyTorch's float16 kernels do. erfc is never 1 - erf past Cody's first
# range, where that would cancel: it is exp(-x^2) erfcx(x), with erfcx = exp(x^2) erfc(x)
# taken from R up to 4 and from Laplace's continued fraction beyond, 1 / (sqrt(pi) (x + (1/2)
# / (x + (2/2) / (x + (3/2) / ...)))), whose error shrinks fast as x grows: 24 terms give
# 2e-16 at x = 4 (measured with mpmath on 300 points of [4, 30]). erfc is then within 4
# roundings of the true value over [-7, 27] (within one for 94% of values).
_ERFC_FAR_FROM = 4.0
_ERFC_FRACTION_TERMS = 24
_ERFC_IS_ZERO_BEYOND = 28.0  # erfc(28) < 1e-342 rounds to 0 in float64


def erfc(array):
    """The complementary error function 1 - erf(x) of a float array, accurate where it is
    tiny (erfc(26) is 5.7e-296, not 0)."""
    return computed_in_float64(_erfc_float64, array)


def erfcx(array):
    """The scaled complementary error function exp(x^2) erfc(x) (inf for x below -26.6)."""
    return computed_in_float64(_erfcx_float64, array)


def erfinv(array):
    """The inverse of erf: y with erf(y) = x, +-inf at +-1 and NaN outside [-1, 1]."""
    return computed_in_float64(_erfinv_float64, array)


def erfcinv(array):
    """The inverse of erfc: y with erfc(y) = x, for x in [0, 2] (NaN outside), accurate
    for the tiniest x (erfcinv(1e-323) is 26.7), where 1 - x would round to 1."""
    return computed_in_float64(_erfcinv_float64, array)


def computed_in_float64(function, array, *options):
    """``function(array, *options)``, written for float64, of a float array of any
    precision: float32 and float16 compute in float64 and round, float16 through float32
    (PyTorch's float16 kernels compute in float32 and round)."""
    char = array.dtype.char
    if char == "d":
        return function(array, *options)
    value = function(array.astype("float64"), *options).astype("float32")
    return value if char == "f" else value.astype("float16")


def _some(mask):
    """Whether some element takes the branch that ``mask`` marks, so that a branch none
    takes is not computed. On the GPU every branch is computed: asking would wait for it."""
    return namespace_of(mask) is not numpy or bool(mask.any())


def _erfc_float64(array):
    namespace = namespace_of(array)
    magnitude = namespace.minimum(namespace.abs(array), _ERFC_IS_ZERO_BEYOND)  # NaN stays
    small = namespace.minimum(magnitude, _ERF_NEAR_ZERO_LIMIT)
    erf_near_zero = small * _rational(
        _ERF_NEAR_ZERO_NUMERATOR, _ERF_NEAR_ZERO_DENOMINATOR, small * small
    )
    near_zero = 1.0 - namespace.copysign(erf_near_zero, array)
    tail = _exp_of_minus_square(magnitude) * _erfcx_of_magnitude(magnitude)
    tail = namespace.where(array < 0, 2.0 - tail, tail)  # erfc(-x) = 2 - erfc(x)
    return select(magnitude <= _ERF_NEAR_ZERO_LIMIT, near_zero, tail)


def _exp_of_minus_square(magnitude):
    """exp(-x^2) without the rounding of x^2, which exp would make 700 times larger at
    x = 26: x is split into a head of few bits, whose square is exact, and the rest."""
    namespace = namespace_of(magnitude)
    head = namespace.trunc(magnitude * 16.0) / 16.0
    return namespace.exp(-(head * head)) * namespace.exp(-((magnitude - head) * (magnitude + head)))


def _erfcx_of_magnitude(magnitude):
    """exp(x^2) erfc(x) for x >= 0 (or NaN): 1 - erf near 0, Cody's R up to 4, the
    continued fraction beyond."""
    namespace = namespace_of(magnitude)
    middle = namespace.minimum(namespace.maximum(magnitude, _ERF_NEAR_ZERO_LIMIT), _ERFC_FAR_FROM)
    value = _rational(_ERFC_NUMERATOR, _ERFC_DENOMINATOR, middle)
    near_zero = magnitude < _ERF_NEAR_ZERO_LIMIT
    if _some(near_zero):
        small = namespace.minimum(magnitude, _ERF_NEAR_ZERO_LIMIT)
        square = small * small
        erf_small = small * _rational(_ERF_NEAR_ZERO_NUMERATOR, _ERF_NEAR_ZERO_DENOMINATOR, square)
        value = select(near_zero, namespace.exp(square) * (1.0 - erf_small), value)
    far = magnitude > _ERFC_FAR_FROM
    if _some(far):
        value = select(far, _erfcx_far(namespace.maximum(magnitude, _ERFC_FAR_FROM)), value)
    return value


def _erfcx_far(magnitude):
    """Laplace's continued fraction for erfcx, evaluated from its deepest term up."""
    fraction = magnitude
    for term in range(_ERFC_FRACTION_TERMS, 0, -1):
        fraction = (term / 2) / fraction
        fraction += magnitude
    return 1.0 / (math.sqrt(math.pi) * fraction)


def _erfcx_float64(array):
    """erfcx(-x) = 2 exp(x^2) - erfcx(x), which overflows to inf below -26.6."""
    namespace = namespace_of(array)
    magnitude = namespace.abs(array)
    value = _erfcx_of_magnitude(magnitude)
    negative = array < 0
    if _some(negative):
        value = select(negative, 2.0 * namespace.exp(magnitude * magnitude) - value, value)
    return value


# erfinv has no closed form. A first guess comes from two approximations, each within 2e-3
# of the true value (relative): near 0 (|x| <= 0.5) the series sqrt(pi)/2 (x + pi/12 x^3 +
# 7 pi^2/480 x^5), and beyond it S. Winitzki's sqrt(sqrt(t^2 - L/k) - t), with L = log(1 -
# x^2), t = 2/(pi k) + L/2, k = 0.147. Three steps of Halley's method then solve erf(y) =
# |x|. For g(y) = erf(y) - a, g' = 2/sqrt(pi) exp(-y^2) and g'' = -2y g', so Halley's step
# y - (g/g') / (1 - g g'' / (2 g'^2)) is y - d / (1 + y d), with d = g/g'; the same holds
# for g = erfc(y) - c. Each step triples the correct digits (2e-3, 2e-6, 2e-15, then the
# floor; far in the tail, y > 15, which only erfcinv reaches, Halley's constant grows with
# y^2 and the fourth step is needed), so the result is as accurate as the residual g is,
# and that is computed without
# cancellation: near 0 as erf(y) - a with the near-zero form; in the tail as erfc(y) - c
# with c = 1 - |x|, exact for |x| >= 0.5, by d = sqrt(pi)/2 (c exp(y^2) - erfcx(y)), where
# c exp(y^2) = exp(y^2 + log c) neither overflows nor underflows, even for c = 5e-324.
# Within 4 roundings of mpmath's erfinv (within one for 95% of values, measured on 7,000
# points: uniform, tiny, and 1 - 10^-16 ... 0.5).
_ERFINV_NEAR_ZERO_LIMIT = 0.5
_ERFINV_WINITZKI_K = 0.147
_ERFINV_HALLEY_STEPS = 4


def _erfinv_float64(array):
    namespace = namespace_of(array)
    magnitude = namespace.abs(array)
    return namespace.copysign(_inverse_erf_of_magnitude(magnitude, 1.0 - magnitude), array)


def _erfcinv_float64(array):
    """erfcinv(c) = erfinv(1 - c), solved from c itself where 1 - c would lose digits;
    above 1, erfcinv(c) = -erfcinv(2 - c)."""
    namespace = namespace_of(array)
    above_one = array > 1
    complement = namespace.where(above_one, 2.0 - array, array)
    value = _inverse_erf_of_magnitude(1.0 - complement, complement)
    return namespace.where(above_one, -value, value)


def _inverse_erf_of_magnitude(magnitude, complement):
    """y >= 0 with erf(y) = ``magnitude``, that is erfc(y) = ``complement`` (1 - magnitude,
    read only where magnitude > 0.5). NaN where magnitude > 1."""
    namespace = namespace_of(magnitude)
    near_zero = magnitude <= _ERFINV_NEAR_ZERO_LIMIT
    square = magnitude * magnitude
    guess_near_zero = magnitude * (1.0 + square * (math.pi / 12 + square * (7 * math.pi**2 / 480)))
    guess_near_zero *= math.sqrt(math.pi) / 2
    log_complement = namespace.log(complement)
    log_one_minus_square = log_complement + namespace.log(2.0 - complement)
    t = 2.0 / (math.pi * _ERFINV_WINITZKI_K) + log_one_minus_square / 2
    guess_tail = namespace.sqrt(
        namespace.sqrt(t * t - log_one_minus_square / _ERFINV_WINITZKI_K) - t
    )
    value = select(near_zero, guess_near_zero, guess_tail)
    any_tail = _some(~near_zero)
    any_near_zero = _some(near_zero) or not any_tail  # (an empty array takes this branch)
    for _ in range(_ERFINV_HALLEY_STEPS):
        square = value * value
        if any_near_zero:
            small = namespace.minimum(value, _ERFINV_NEAR_ZERO_LIMIT)
            erf_small = small * _rational(
                _ERF_NEAR_ZERO_NUMERATOR, _ERF_NEAR_ZERO_DENOMINATOR, small * small
            )
            step_near_zero = namespace.exp(namespace.minimum(square, 1.0)) * (erf_small - magnitude)
        if any_tail:
            at_least = namespace.maximum(value, _ERF_NEAR_ZERO_LIMIT)
            step_tail = namespace.exp(square + log_complement) - _erfcx_of_magnitude(at_least)
        if any_near_zero and any_tail:
            step = select(near_zero, step_near_zero, step_tail)
        else:
            step = step_near_zero if any_near_zero else step_tail
        step *= math.sqrt(math.pi) / 2
        value = value - step / (1.0 + value * step)
    return namespace.where(complement == 0, math.inf, value)
