"""``ember.cuda``: is a GPU usable, how many, which one, and waiting for it to finish.

Nothing here imports CuPy at ``import ember``; the first question does. On a
machine without CuPy or without a GPU, ``is_available()`` is False and
``device_count()`` is 0; asking for a CUDA tensor there raises a RuntimeError
that says which of the two is missing (``unavailable_reason()`` gives it too).
"""

from . import backend
from .device import as_device


def is_available():
    return backend.cuda_is_available()


def unavailable_reason():
    """Why CUDA cannot be used here, or "" when it can (ember's addition to torch.cuda)."""
    return backend.cuda_unavailable_reason()


def device_count():
    return backend.cuda_device_count()


def current_device():
    return backend.cuda_namespace().cuda.runtime.getDevice()


def set_device(device):
    index = _index(device)
    backend.cuda_namespace().cuda.runtime.setDevice(index)


def get_device_name(device=None):
    properties = get_device_properties(device)
    name = properties["name"]
    return name.decode() if isinstance(name, bytes) else str(name)


def get_device_properties(device=None):
    """CUDA's properties of the device as a dict (name, totalGlobalMem, major, minor...)."""
    namespace = backend.cuda_namespace()
    index = current_device() if device is None else _index(device)
    return namespace.cuda.runtime.getDeviceProperties(index)


def synchronize(device=None):
    """Wait until every kernel queued on the GPU has finished (a no-op without CUDA)."""
    if is_available():
        backend.cuda_namespace().cuda.runtime.deviceSynchronize()


def empty_cache():
    """Give the memory that CuPy's pool holds but no array uses back to the driver."""
    if is_available():
        backend.cuda_namespace().get_default_memory_pool().free_all_blocks()


def memory_allocated(device=None):
    """Bytes held by live arrays in CuPy's memory pool (0 without CUDA)."""
    if not is_available():
        return 0
    return backend.cuda_namespace().get_default_memory_pool().used_bytes()


def manual_seed(seed):
    """ember draws random numbers on the host; one generator serves every device."""
    from .random import manual_seed as seed_everything

    seed_everything(seed)


manual_seed_all = manual_seed


def _index(device):
    if isinstance(device, int):
        return device
    device = as_device(device)
    if device.type != "cuda":
        raise ValueError(f"Expected a cuda device, but got: {device}")
    return 0 if device.index is None else device.index
