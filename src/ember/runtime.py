"""The switches PyTorch programs set in their first lines, and what each does in ember.

Tutorials begin with ``torch.backends.cudnn.deterministic = True``,
``torch.set_num_threads(1)`` or ``model = torch.compile(model)``. Ember has no cuDNN, its
ops are NumPy's (whose BLAS takes its thread count from ``OPENBLAS_NUM_THREADS`` when the
program starts), it is deterministic already, and it compiles nothing. So these lines are
taken, what PyTorch reads back is remembered, and nothing else changes.
"""

import os
from types import SimpleNamespace

from .arguments import integer_argument

_settings = {"threads": os.cpu_count() or 1, "deterministic": False}


def set_num_threads(threads):
    """Recorded for ``get_num_threads``; NumPy's BLAS keeps the threads it started with."""
    threads = integer_argument(threads, "set_num_threads", "int")
    if threads <= 0:
        raise RuntimeError(f"set_num_threads expects a positive integer, got {threads}")
    _settings["threads"] = threads


def get_num_threads():
    return _settings["threads"]


def use_deterministic_algorithms(mode, *, warn_only=False):
    """Recorded: ember's ops give the same results every run, with this or without."""
    _settings["deterministic"] = bool(mode)


def are_deterministic_algorithms_enabled():
    return _settings["deterministic"]


def compile(model=None, **options):  # noqa: A001 - PyTorch's name
    """``model`` (a module or a function) itself: ember runs every op as it comes. Used as
    ``@compile(...)`` with options only, it returns a decorator that does the same."""
    if model is None:
        return lambda model: model
    return model


def _not_here():
    return False


# What PyTorch code sets or asks of its backends. There is no cuDNN and no Apple GPU here.
backends = SimpleNamespace(
    cudnn=SimpleNamespace(
        enabled=True, benchmark=False, deterministic=False, is_available=_not_here
    ),
    mps=SimpleNamespace(is_available=_not_here, is_built=_not_here),
)
