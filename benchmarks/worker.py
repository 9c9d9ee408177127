"""One (workload, implementation) measurement in this fresh process; prints one JSON line.

    python -m benchmarks.worker W1 ember

Implementations: ``ember``, ``pytorch`` (default threads), ``pytorch-1t``
(``torch.set_num_threads(1)``) and ``numpy``. The first run is a warm-up
(imports, first-call caches) and, for workloads that measure memory, the one
whose memory is probed; then ``REPEATS`` runs are timed and the fastest is
this process's sample: on a shared machine noise only ever adds time, so the
fastest run is the best estimate of what the code costs. The runner then
takes min/median/max of these samples over the rounds.
``python -m benchmarks.worker info`` prints versions.
"""

import json
import sys
import traceback

from . import WORKLOADS
from .common import Unavailable, measure, rss_growth_bytes, traced_peak_bytes

IMPLEMENTATIONS = ("ember", "pytorch", "pytorch-1t", "numpy")


def load_library(implementation):
    if implementation == "ember":
        import ember

        return ember
    import torch

    if implementation == "pytorch-1t":
        torch.set_num_threads(1)
    return torch


def program_for(workload, implementation, data):
    if implementation == "numpy":
        return workload.numpy_version(data)
    return workload.framework(load_library(implementation), data)


def measure_one(name, implementation):
    workload = WORKLOADS[name]
    data = workload.make_data()
    try:
        program = program_for(workload, implementation, data)
    except Unavailable as reason:
        return {"unavailable": str(reason)}
    result = {"notes": list(program.notes)}
    if getattr(workload, "MEASURES_MEMORY", False):
        result["rss_growth_bytes"] = rss_growth_bytes(program.run)
    else:
        program.run()  # warm-up
    samples = measure(program, workload.REPEATS)
    result.update(value=min(samples), samples=samples, check=program.check())
    if getattr(workload, "MEASURES_MEMORY", False) and implementation in ("ember", "numpy"):
        result["traced_peak_bytes"] = traced_peak_bytes(program.run)
    return result


def versions():
    import platform

    import numpy

    from .machine import blas_description

    info = {
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "blas": blas_description(),
    }
    try:
        import ember

        info["ember"] = ember.__version__
        info["ember_path"] = ember.__file__
    except ImportError as error:
        info["ember"] = f"not importable ({error})"
    try:
        import torch

        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
    except ImportError:
        info["torch"] = None
    return info


def main(argv):
    if argv == ["info"]:
        print(json.dumps(versions()))
        return 0
    name, implementation = argv
    try:
        result = measure_one(name, implementation)
    except Exception:
        result = {"error": traceback.format_exc(limit=8)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
