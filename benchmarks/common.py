"""What every workload shares: seeded data, timing, memory probes, library loading.

A workload module defines ``NAME``, ``TITLE``, ``UNIT``, ``make_data()`` and two
factories, ``framework(torch, data)`` and ``numpy_version(data)``. Each factory
returns a ``Program``: ``run()`` does one measured unit of work (a whole
training, a block of iterations...), ``per`` says how many ``UNIT``s that unit
holds, and ``check()`` returns a number computed after the last run (a final
loss) that must agree across implementations.
"""

import importlib
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field

SEED = 20261127


class Unavailable(Exception):
    """An implementation cannot run here yet (a missing module); not a failure."""


@dataclass
class Program:
    run: Callable[[], object]
    check: Callable[[], float]
    per: int = 1  # how many UNITs one run() does (iterations, steps)
    scale: float = 1e3  # seconds -> UNIT (1e3 for ms, 1e6 for us)
    notes: list = field(default_factory=list)


def submodule(torch, name):
    """``torch.nn``, ``torch.utils.data``... imported the way the book does, or Unavailable."""
    try:
        return importlib.import_module(f"{torch.__name__}.{name}")
    except ImportError as error:
        raise Unavailable(f"{torch.__name__}.{name} is not available yet ({error})") from None


def require(module, *names):
    """The named attributes of ``module``, or Unavailable naming the first one missing."""
    missing = [name for name in names if not hasattr(module, name)]
    if missing:
        raise Unavailable(f"{module.__name__}.{missing[0]} is not available yet")
    return [getattr(module, name) for name in names]


def measure(program, repeats):
    """Time ``repeats`` runs; each sample is seconds per UNIT times ``scale``."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        program.run()
        elapsed = time.perf_counter() - start
        samples.append(elapsed / program.per * program.scale)
    return samples


def median(values):
    return statistics.median(values)


# Memory ---------------------------------------------------------------------------


def _status_kib(key):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key):
                return int(line.split()[1])
    return None


def rss_growth_bytes(function):
    """Peak resident memory above the current one while ``function`` runs (Linux).

    Resets the kernel's high-water mark (``/proc/self/clear_refs``), runs, then
    reads ``VmHWM`` - ``VmRSS`` before. It sees every allocator (NumPy's,
    PyTorch's, Python's), so it is the one figure comparable across libraries;
    it also counts pages a library touches for the first time (caches, thread
    stacks). None where ``/proc`` is missing.
    """
    try:
        before = _status_kib("VmRSS")
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        function()
        return None
    function()
    peak = _status_kib("VmHWM")
    if before is None or peak is None:
        return None
    return max(peak - before, 0) * 1024


def traced_peak_bytes(function):
    """Peak bytes allocated through Python and NumPy while ``function`` runs.

    NumPy reports its array buffers to ``tracemalloc``, so this is exact for
    NumPy and ember; PyTorch's CPU allocator does not report, so it is not
    used for PyTorch.
    """
    tracemalloc.start()
    try:
        function()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak
