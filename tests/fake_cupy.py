"""A NumPy-backed stand-in for CuPy, so ember's CUDA code paths run in CI without a GPU.

``install()`` makes this module's namespace ember's CUDA array library. Arrays
"on the GPU" are then ``fake_cupy.ndarray``, a NumPy subclass that behaves like
``cupy.ndarray`` where ember could tell the difference:

- mixing one with a plain NumPy array in a ufunc or an array function raises
  CuPy's TypeError ("Unsupported type <class 'numpy.ndarray'>"), so a missing
  device check or a stray host array in an op shows up as a failing test;
- results stay fake arrays: reductions, ``argmax()``, ``nonzero()`` and
  ``a[i, j]`` give 0-d or n-d fake arrays, never NumPy scalars or host arrays;
- ``.get()`` copies to a host ``numpy.ndarray`` and, with ``item()``,
  ``float()``, ``bool()``..., counts in ``host_reads`` (each is a GPU sync on
  real CuPy, so a hot path should make none); ``.device.id`` is 0;
  ``.data.ptr`` is an address; ``ufunc.at`` and ``errstate`` do not exist
  (CuPy has neither: ember must go through ``backend.scatter_add``, and it
  silences NumPy's floating point warnings with a warnings filter instead).

The namespace offers NumPy's functions, each returning fake arrays, plus the
bits of ``cupy.cuda`` that ember calls (one device, ordinal 0).
"""

import contextlib
import types

import numpy

import ember
from ember import backend

HOST = numpy.ndarray
_inside_numpy = [0]  # depth of NumPy implementations running on fake arrays
host_reads = [0]  # values read back to the host (each one a GPU sync on real CuPy)

# NumPy names that CuPy lacks: using one in ember would break on a real GPU.
MISSING_IN_CUPY = frozenset({"errstate", "seterr", "geterr", "add.at"})


class ndarray(numpy.ndarray):  # noqa: N801 - CuPy's name
    """An array "on the GPU": NumPy memory, CuPy's manners."""

    __array_priority__ = 100

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method == "at":
            return NotImplemented  # NumPy then raises TypeError, as with CuPy
        outputs = kwargs.get("out", ())
        _refuse_host_arrays(inputs + tuple(outputs), f"numpy.{ufunc.__name__}")
        inputs = tuple(_to_plain(value) for value in inputs)
        if outputs:
            kwargs["out"] = tuple(_to_plain(value) for value in outputs)
        result = getattr(ufunc, method)(*inputs, **kwargs)
        if outputs:
            return outputs[0] if len(outputs) == 1 else outputs
        return _to_fake(result)

    def __array_function__(self, func, types_, args, kwargs):
        if not _inside_numpy[0]:  # NumPy's own helpers may mix in host arrays
            _refuse_host_arrays(args, func.__name__)
            _refuse_host_arrays(tuple(kwargs.values()), func.__name__)
        _inside_numpy[0] += 1
        try:
            return _to_fake(super().__array_function__(func, types_, args, kwargs))
        finally:
            _inside_numpy[0] -= 1

    def __getitem__(self, index):
        _count_mask_reads(index)
        return _to_fake(super().__getitem__(_plain_index(index)))

    def __setitem__(self, index, value):
        if type(value) is HOST and value.ndim:
            raise TypeError(f"Unsupported type {HOST}")
        _count_mask_reads(index)
        super().__setitem__(_plain_index(index), value)

    def nonzero(self):
        return tuple(_to_fake(axis) for axis in super().nonzero())

    def get(self, stream=None):
        """A host copy (CuPy's device-to-host transfer)."""
        host_reads[0] += 1
        return numpy.array(self.view(HOST), copy=True)

    # Reading values on the host waits for the GPU (a sync): count every such read.

    def item(self, *args):
        host_reads[0] += 1
        return super().item(*args)

    def tolist(self):
        host_reads[0] += 1
        return super().tolist()

    def __bool__(self):
        host_reads[0] += 1
        return super().__bool__()

    def __float__(self):
        host_reads[0] += 1
        return super().__float__()

    def __int__(self):
        host_reads[0] += 1
        return super().__int__()

    def __index__(self):
        host_reads[0] += 1
        return super().__index__()

    @property
    def device(self):
        return Device(0)

    @property
    def data(self):
        allocation = _Allocation(_owner_of(self))
        return MemoryPointer(allocation, self.__array_interface__["data"][0] - allocation.ptr)

    def __array_wrap__(self, array, context=None, return_scalar=False):
        return _to_fake(array)


def _new_array(cls, shape, dtype=float, memptr=None, strides=None, order="C"):
    """``cupy.ndarray(shape, dtype, memptr, strides)``: a new array, or, given ``memptr``,
    one over that memory whose ``base`` (unlike a NumPy view's) does not lead to the array
    that owns it, as CuPy's has no base at all."""
    if memptr is None:
        return numpy.empty(shape, dtype, order).view(cls)
    owner = memptr.mem.owner.reshape(-1).view(numpy.uint8)
    offset = memptr.ptr - memptr.mem.ptr
    return numpy.ndarray(shape, dtype, owner.view(HOST), offset, strides).view(cls)


ndarray.__new__ = _new_array


class _Allocation:
    """``cupy.cuda.Memory``: the block an array's memory was allocated as (here the NumPy
    array at the end of its chain of bases)."""

    def __init__(self, owner):
        self.owner = owner
        self.ptr = owner.__array_interface__["data"][0]
        self.size = owner.nbytes


class MemoryPointer:
    """``cupy.cuda.MemoryPointer``: an address within an allocation."""

    def __init__(self, mem, offset):
        self.mem, self.ptr = mem, mem.ptr + offset


def _owner_of(array):
    while isinstance(getattr(array, "base", None), numpy.ndarray) or hasattr(
        getattr(array, "base", None), "__array_interface__"
    ):
        array = array.base
    return array if isinstance(array, numpy.ndarray) else numpy.asarray(array)


def _as_strided(x, shape=None, strides=None):
    """``cupy.lib.stride_tricks.as_strided``: an array over ``x``'s memory, with no base."""
    shape = x.shape if shape is None else tuple(shape)
    strides = x.strides if strides is None else tuple(strides)
    return ndarray(shape, x.dtype, memptr=x.data, strides=strides)


def _wrapping(name):
    """A method of NumPy's whose result on a subclass can be a host scalar: wrap it."""
    method = getattr(HOST, name)

    def call(self, *args, **kwargs):
        return _to_fake(method(self, *args, **kwargs))

    call.__name__ = name
    return call


for _name in ("argmax", "argmin", "mean", "var", "std", "sum", "prod", "max", "min", "all", "any"):
    setattr(ndarray, _name, _wrapping(_name))


def _to_plain(value):
    return value.view(HOST) if isinstance(value, ndarray) else value


def _count_mask_reads(index):
    """CuPy reads a boolean mask index back to the host, to count its True elements: a
    sync, counted as one read per mask."""
    for item in index if isinstance(index, tuple) else (index,):
        if isinstance(item, numpy.ndarray) and item.dtype == bool and item.ndim:
            host_reads[0] += 1


def _plain_index(index):
    if isinstance(index, tuple):
        return tuple(_to_plain(item) for item in index)
    return _to_plain(index)


def _to_fake(value):
    """Host results of NumPy calls made on fake arrays, back "on the device"."""
    if type(value) is ndarray:
        return value
    if type(value) is HOST:
        return value.view(ndarray)
    if isinstance(value, numpy.generic):
        return numpy.asarray(value).view(ndarray)
    if isinstance(value, tuple):
        return tuple(_to_fake(item) for item in value)
    if isinstance(value, list):
        return [_to_fake(item) for item in value]
    return value


def _refuse_host_arrays(values, where):
    for value in values:
        if type(value) is HOST:
            raise TypeError(f"Unsupported type {HOST} (in {where}; CuPy refuses host arrays)")
        if isinstance(value, (list, tuple)):
            _refuse_host_arrays(value, where)


# The namespace ------------------------------------------------------------------------


def asarray(value, dtype=None, order=None):
    """Host data -> a fake device array (a copy); a fake array stays as it is."""
    if isinstance(value, ndarray):
        return value if dtype is None else value.astype(dtype, copy=False)
    if isinstance(value, (list, tuple)):
        value = [item.get() if isinstance(item, ndarray) else item for item in value]
    return numpy.array(value, dtype=dtype, copy=True).view(ndarray)


def array(value, dtype=None, copy=True):
    result = asarray(value, dtype)
    return result.copy() if copy and result is value else result


def _wrapped(function, name):
    def call(*args, **kwargs):
        _refuse_host_arrays(args, name)
        _refuse_host_arrays(tuple(kwargs.values()), name)
        return _to_fake(function(*args, **kwargs))

    call.__name__ = name
    return call


class _Namespace(types.ModuleType):
    """``fake_cupy.X``: NumPy's X, returning fake arrays; names CuPy lacks are missing."""

    def __init__(self, name, source):
        super().__init__(name)
        self._source = source

    def __getattr__(self, name):
        if name.startswith("__") or name in MISSING_IN_CUPY:
            raise AttributeError(f"module 'cupy' has no attribute '{name}'")
        value = getattr(self._source, name)
        if isinstance(value, type) or not callable(value):
            return value  # dtypes, scalar types, exceptions, constants
        return _wrapped(value, name)


class Device:
    """``cupy.cuda.Device``: this stand-in has one GPU, ordinal 0."""

    def __init__(self, index=0):
        if index != 0:
            raise RuntimeError(f"fake CUDA has one device; cuda:{index} does not exist")
        self.id = index

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    def __eq__(self, other):
        return isinstance(other, Device) and other.id == self.id

    def __hash__(self):
        return self.id

    def synchronize(self):
        runtime.synchronized += 1


class _Runtime:
    synchronized = 0  # how many times ember waited for the "GPU"

    def getDeviceCount(self):  # noqa: N802 - CUDA's names
        return 1

    def getDevice(self):  # noqa: N802
        return 0

    def setDevice(self, index):  # noqa: N802
        Device(index)

    def deviceSynchronize(self):  # noqa: N802
        self.synchronized += 1

    def getDeviceProperties(self, index):  # noqa: N802
        Device(index)
        return {"name": b"Fake GPU (NumPy)", "totalGlobalMem": 0, "major": 0, "minor": 0}


class _MemoryPool:
    def free_all_blocks(self):
        pass

    def used_bytes(self):
        return 0


runtime = _Runtime()
_pool = _MemoryPool()


SCATTER_ADD_TYPES = ("int32", "int64", "float16", "float32", "float64", "uint32", "uint64")


def scatter_add(target, index, values):
    """``cupyx.scatter_add``: ``target[index] += values`` with repeats adding up; like
    CuPy's, only for the types its kernel adds."""
    _refuse_host_arrays((target, values), "scatter_add")
    if target.dtype.name not in SCATTER_ADD_TYPES:
        raise TypeError(f"cupy.add.at only supports {', '.join(SCATTER_ADD_TYPES)} as data type")
    numpy.add.at(target.view(HOST), _plain_index(index), _to_plain(values))


def _solve(a, b):
    """``cupy.linalg.solve``: unlike NumPy's, it does not broadcast batch dimensions."""
    if a.ndim != b.ndim or a.shape[:-2] != b.shape[:-2]:
        raise ValueError(
            "a must have (..., M, M) shape and b must have (..., M, K) for multidimensional b"
        )
    return _wrapped(numpy.linalg.solve, "solve")(a, b)


def make_namespace():
    namespace = _Namespace("fake_cupy", numpy)
    namespace.ndarray = ndarray
    namespace.asarray = asarray
    namespace.array = array
    namespace.linalg = _Namespace("fake_cupy.linalg", numpy.linalg)
    namespace.linalg.solve = _solve
    stride_tricks = types.SimpleNamespace(as_strided=_as_strided)
    namespace.lib = types.SimpleNamespace(stride_tricks=stride_tricks)
    namespace.cuda = types.SimpleNamespace(
        runtime=runtime, Device=Device, get_device_id=lambda: 0, MemoryPointer=MemoryPointer
    )
    namespace.get_default_memory_pool = lambda: _pool
    return namespace


namespace = make_namespace()


def install():
    """Make the fake the CUDA array library of ember; returns a function that undoes it.
    Where the fake was already installed (a whole run with EMBER_TEST_DEVICE=fake-cuda),
    undoing leaves it installed, so that the tests after still run on it."""
    installed_before = backend._cuda_namespace is namespace
    backend.forget_cuda_namespace()
    backend.use_cuda_namespace(namespace, scatter_add)

    def uninstall():
        if not installed_before:
            backend.forget_cuda_namespace()

    return uninstall


@contextlib.contextmanager
def installed():
    uninstall = install()
    try:
        yield namespace
    finally:
        uninstall()


def on_fake_gpu(tensor):
    """Whether an ember tensor's array is a fake device array (and not a host one)."""
    return isinstance(tensor, ember.Tensor) and type(tensor._data) is ndarray
