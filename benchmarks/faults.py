"""Page faults per run of one workload: ``python -m benchmarks.faults W5 [--rounds 3]``.

A workload whose arrays are megabytes can lose more time to page faults (fresh
pages the kernel must zero) than to Python. This runs each implementation in a
fresh process, as the benchmark does, warms it up, and prints its fastest run
and its minor page faults per run (``resource.getrusage``), round after round.
Set ``OPENBLAS_NUM_THREADS=1`` to keep BLAS threads out of the picture.
"""

import argparse
import resource
import subprocess
import sys
import time

from . import WORKLOADS
from .worker import IMPLEMENTATIONS, program_for

RUNS = 7


def measure_here(workload_name, implementation):
    """Fastest run (s) and minor page faults per run, in this process."""
    workload = WORKLOADS[workload_name]
    program = program_for(workload, implementation, workload.make_data())
    program.run()  # warm-up: imports, first-call caches and the allocator's first growth
    faults_before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        program.run()
        times.append(time.perf_counter() - start)
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults_before
    return min(times), faults / RUNS


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.faults", description=__doc__)
    parser.add_argument("workload", choices=list(WORKLOADS))
    parser.add_argument("--implementations", default="ember,numpy")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", metavar="IMPLEMENTATION", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        fastest, faults = measure_here(args.workload, args.child)
        print(f"{fastest} {faults}")
        return 0
    names = args.implementations.split(",")
    for name in names:
        if name not in IMPLEMENTATIONS:
            parser.error(f"unknown implementation {name!r}; choose from {IMPLEMENTATIONS}")
    print(
        f"{args.workload}: fastest of {RUNS} runs and minor page faults per run, fresh process each"
    )
    for round_number in range(1, args.rounds + 1):
        for name in names:
            command = [sys.executable, "-m", "benchmarks.faults", args.workload, "--child", name]
            fastest, faults = subprocess.run(
                command, check=True, capture_output=True, text=True
            ).stdout.split()
            milliseconds, faults = float(fastest) * 1e3, float(faults)
            print(f"  round {round_number}  {name:12} {milliseconds:9.2f} ms  {faults:8.0f} faults")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
