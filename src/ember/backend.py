"""The one door to the array libraries.

Every other module asks this one for an array namespace instead of importing
NumPy itself, so that a second backend (CuPy for ``device="cuda"``) is a
second door here rather than a rewrite of the ops. An array namespace is a
module with NumPy's functions: ``numpy`` on the CPU, ``cupy`` on a GPU.
"""

import numpy

cpu_namespace = numpy
ndarray = numpy.ndarray

_cuda_namespace = None  # cupy, imported on first use
_cuda_error = None  # why cupy could not be used, once we know


def namespace_of(array):
    """The array namespace that owns ``array`` (numpy or cupy)."""
    if type(array) is ndarray:
        return numpy
    return _cuda_namespace if _cuda_namespace is not None else numpy


def namespace_for(device):
    """The array namespace that holds arrays for an ``ember.device``."""
    if device.type == "cpu":
        return numpy
    return cuda_namespace()


def cuda_namespace():
    """Import CuPy and check that a GPU is there; a clear RuntimeError if not."""
    global _cuda_namespace, _cuda_error
    if _cuda_namespace is not None:
        return _cuda_namespace
    if _cuda_error is None:
        _cuda_error = _try_import_cupy()
    if _cuda_error:
        raise RuntimeError(_cuda_error)
    return _cuda_namespace


def _try_import_cupy():
    global _cuda_namespace
    try:
        import cupy
    except ImportError:
        return (
            "ember: CUDA was requested but CuPy is not installed. "
            "Install the GPU extra: pip install 'ember[cuda]'"
        )
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as error:  # CUDA driver missing or broken
        return f"ember: CuPy is installed but no CUDA GPU can be used ({error})"
    if count == 0:
        return "ember: CuPy is installed but this machine has no CUDA GPU"
    _cuda_namespace = cupy
    return ""


def cuda_is_available():
    global _cuda_error
    if _cuda_namespace is not None:
        return True
    if _cuda_error is None:
        _cuda_error = _try_import_cupy()
    return not _cuda_error


def is_cuda_array(array):
    return type(array) is not ndarray and _cuda_namespace is not None


def device_index_of(array):
    """-1 for a CPU array, the GPU's ordinal for a CuPy array."""
    if type(array) is ndarray:
        return -1
    return array.device.id


def as_array(value):
    """NumPy reductions return scalars (np.float32); tensors always hold arrays."""
    if type(value) is ndarray:
        return value
    if isinstance(value, numpy.generic):
        return numpy.asarray(value)
    return value


def to_host(array):
    """A NumPy array with the values of ``array`` (a copy if it lives on a GPU)."""
    if type(array) is ndarray:
        return array
    return array.get()


def to_namespace(array, xp):
    """Move ``array`` into namespace ``xp`` (host <-> device copy when they differ)."""
    if namespace_of(array) is xp:
        return array
    if xp is numpy:
        return array.get()
    return xp.asarray(array)


def may_share_memory(a, b):
    return namespace_of(a).may_share_memory(a, b)


# NumPy's scalar type and ndarray type as the one place outside which no code
# names numpy: used by ember.tensor() to recognise arrays it is given.
generic_scalar = numpy.generic
