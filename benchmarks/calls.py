"""How many calls the workloads' loops make: ``python -m benchmarks.calls``

Timings on a shared machine swing by a third; the number of calls a loop makes
does not. This counts, with ``sys.setprofile``, the Python function calls and
the calls into C functions ("call" and "c_call" events) that ember makes in
one warm W1 run (300 steps and the per-epoch losses), averaged, in one W3
iteration, and in one warm run of W2 (300 steps through a DataLoader, nn.Linear
and optim.SGD) and of W4 (32 steps of the MLP). A change that keeps the counts
kept the loops' code as it was; one that lowers them took work out. (W2's and
W4's were added on the twentieth day, after a NumPy call added to every batch
of the DataLoader showed only in W2's time.)
"""

import gc
import sys

import numpy as np

from . import w1_linreg, w2_concise, w4_mlp

W3_ITERATIONS = 100


def count_calls(function):
    """The "call" and "c_call" events while ``function()`` runs."""
    events = 0

    def profile(frame, event, arg):
        nonlocal events
        if event in ("call", "c_call"):
            events += 1

    # Garbage left by earlier code, collected during the count, would run weakref
    # callbacks and __del__ methods as the loop's calls: a count that depended on what ran
    # before (the W3 count of the suite's run came out 170.06 after some test files, 170.02
    # alone). Collected first, and no collection while counting.
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    sys.setprofile(profile)
    try:
        function()
    finally:
        sys.setprofile(None)
        if was_enabled:
            gc.enable()
    return events


def w1_run_calls(ember):
    program = w1_linreg.framework(ember, w1_linreg.make_data())
    program.run()  # warm: imports and first-call caches
    return count_calls(program.run)


def w3_iteration_calls(ember):
    a = ember.tensor(np.linspace(-1, 1, 10, dtype=np.float32), requires_grad=True)
    b = ember.tensor(np.linspace(2, 3, 10, dtype=np.float32), requires_grad=True)

    def iterations():
        for _ in range(W3_ITERATIONS):
            c = (a * b + a).sum()
            c.backward()

    iterations()
    return count_calls(iterations) / W3_ITERATIONS


def run_calls(workload, ember):
    """The calls of one warm run of ``workload`` (a module of this package)."""
    program = workload.framework(ember, workload.make_data())
    program.run()
    return count_calls(program.run)


def main():
    import ember

    print(f"W1: {w1_run_calls(ember):,} calls per run")
    print(f"W3: {w3_iteration_calls(ember):.2f} calls per iteration")
    print(f"W2: {run_calls(w2_concise, ember):,} calls per run")
    print(f"W4: {run_calls(w4_mlp, ember):,} calls per run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
