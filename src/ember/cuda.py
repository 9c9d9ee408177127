"""``ember.cuda``: is a GPU usable, how many, and waiting for it to finish."""

from . import backend


def is_available():
    return backend.cuda_is_available()


def device_count():
    if not is_available():
        return 0
    return backend.cuda_namespace().cuda.runtime.getDeviceCount()


def synchronize(device=None):
    if is_available():
        backend.cuda_namespace().cuda.runtime.deviceSynchronize()


def manual_seed(seed):
    """ember draws random numbers on the host; one generator serves every device."""
    from .random import manual_seed as seed_everything

    seed_everything(seed)


manual_seed_all = manual_seed


def current_device():
    return backend.cuda_namespace().cuda.runtime.getDevice()
