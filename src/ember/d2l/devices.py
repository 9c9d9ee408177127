"""Choosing where to compute: the book's device helpers, and how many loader workers to ask for.

``try_gpu()`` and ``try_all_gpus()`` fall back to the CPU, so the book's code runs
unchanged on a machine without a GPU.
"""

import ember


def cpu():
    return ember.device("cpu")


def gpu(i=0):
    return ember.device(f"cuda:{i}")


def num_gpus():
    return ember.cuda.device_count()


def try_gpu(i=0):
    """GPU ``i`` if this machine has it, else the CPU."""
    return gpu(i) if num_gpus() >= i + 1 else cpu()


def try_all_gpus():
    """Every GPU, or ``[cpu]`` when there is none."""
    return [gpu(i) for i in range(num_gpus())] or [cpu()]


def get_dataloader_workers():
    """0: ember's DataLoader loads in the main process (more workers only add a warning)."""
    return 0
