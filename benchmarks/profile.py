"""Profile one workload with cProfile: ``python -m benchmarks.profile W3 [--runs 3]``.

Runs the implementation once to warm up, then ``--runs`` times under cProfile,
and prints the top entries by own time and by cumulative time. cProfile makes
every Python call dearer, so read the shares, not the absolute times. Set
``OPENBLAS_NUM_THREADS=1`` to keep BLAS threads out of the picture.
"""

import argparse
import cProfile
import io
import pstats

from . import WORKLOADS
from .worker import IMPLEMENTATIONS, program_for


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    parser.add_argument("workload", choices=list(WORKLOADS))
    parser.add_argument("--implementation", default="ember", choices=IMPLEMENTATIONS)
    parser.add_argument("--runs", type=int, default=3, help="profiled runs (default: 3)")
    parser.add_argument("--top", type=int, default=25, help="entries per listing (default: 25)")
    parser.add_argument("--save", metavar="FILE", help="also write the raw stats (for snakeviz)")
    args = parser.parse_args(argv)

    workload = WORKLOADS[args.workload]
    program = program_for(workload, args.implementation, workload.make_data())
    program.run()  # warm-up: imports and first-call caches stay out of the profile
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.runs):
        program.run()
    profiler.disable()
    if args.save:
        profiler.dump_stats(args.save)
    for key in ("tottime", "cumulative"):
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats(key).print_stats(args.top)
        print(text.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
