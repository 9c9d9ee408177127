"""What one small GPU op costs the host, in CuPy and in PyTorch.

    python -m benchmarks.gpu_launch [--fake]

On the book's small models a GPU op waits on its launch, not on its arithmetic, and
ember's ops on CUDA are CuPy calls. Each call below runs 2,000 times with the
launches queued (one device synchronization at the end); the table gives the host
time per call, the median of five rounds, for the CuPy calls ember makes, the
alternatives it could make, and PyTorch's calls for the same work.

``--fake`` runs it on the NumPy stand-in for CuPy and PyTorch on the CPU: it checks
this script, and its numbers mean nothing.
"""

import argparse
import statistics
import sys
import time

import numpy as np

CALLS_PER_ROUND = 2000
ROUNDS = 5


def cupy_calls(cp):
    """(what, call) pairs: the calls ember makes on W1's shapes, and alternatives."""
    rng = np.random.default_rng(0)
    features = cp.asarray(rng.random((1000, 2), dtype=np.float32))
    indices = cp.asarray(rng.permutation(1000)[:10])
    column = cp.asarray(rng.random((10, 1), dtype=np.float32))
    vector = cp.asarray(rng.random(10, dtype=np.float32))
    host_indices = list(range(10))
    return [
        ("x[idx], 10 rows of (1000, 2)", lambda: features[indices]),
        ("take(x, idx, axis=0)", lambda: cp.take(features, indices, axis=0)),
        ("a * 2.0, 10 elements", lambda: vector * 2.0),
        ("a * a", lambda: vector * vector),
        ("square(a)", lambda: cp.square(vector)),
        ("a.sum(), 10 elements", lambda: vector.sum()),
        ("sum(a)", lambda: cp.sum(vector)),
        ("y.sum(axis=0), (10, 1)", lambda: column.sum(axis=0)),
        ("ones(())", lambda: cp.ones((), np.float32)),
        ("asarray(list of 10 ints)", lambda: cp.asarray(np.array(host_indices))),
    ]


def torch_calls(torch, device):
    features = torch.rand(1000, 2, device=device)
    indices = torch.randperm(1000, device=device)[:10]
    column = torch.rand(10, 1, device=device)
    vector = torch.rand(10, device=device)
    return [
        ("x[idx], 10 rows of (1000, 2)", lambda: features[indices]),
        ("a * 2.0, 10 elements", lambda: vector * 2.0),
        ("a.sum(), 10 elements", lambda: vector.sum()),
        ("y.sum(axis=0), (10, 1)", lambda: column.sum(0)),
        ("ones(())", lambda: torch.ones((), device=device)),
    ]


def microseconds_per_call(call, synchronize):
    synchronize()
    start = time.perf_counter()
    for _ in range(CALLS_PER_ROUND):
        call()
    synchronize()
    return (time.perf_counter() - start) / CALLS_PER_ROUND * 1e6


def measure(calls):
    """{(library, what): median us per call}, the calls taking turns in every round."""
    for _, call, synchronize in calls:
        for _ in range(50):  # warm-up: CuPy compiles each kernel on first use
            call()
        synchronize()
    samples = {key: [] for key, _, _ in calls}
    for _ in range(ROUNDS):
        for key, call, synchronize in calls:
            samples[key].append(microseconds_per_call(call, synchronize))
    return {key: statistics.median(values) for key, values in samples.items()}


def libraries(fake):
    """CuPy (or the stand-in) and PyTorch with their synchronize functions."""
    if fake:
        sys.path.insert(0, "tests")
        import fake_cupy

        cp, cupy_synchronize = fake_cupy.namespace, lambda: None
    else:
        import cupy as cp

        cupy_synchronize = cp.cuda.runtime.deviceSynchronize
    import torch

    device = "cpu" if fake else "cuda"
    torch_synchronize = (lambda: None) if fake else torch.cuda.synchronize
    calls = [(("CuPy", what), call, cupy_synchronize) for what, call in cupy_calls(cp)]
    calls += [
        (("PyTorch", what), call, torch_synchronize) for what, call in torch_calls(torch, device)
    ]
    return calls


def table(medians):
    whats = list(dict.fromkeys(what for _, what in medians))
    lines = ["| call | CuPy | PyTorch |", "|---|---|---|"]
    for what in whats:
        cells = [medians.get((library, what)) for library in ("CuPy", "PyTorch")]
        shown = ["" if value is None else f"{value:.1f} us" for value in cells]
        lines.append(f"| `{what}` | {shown[0]} | {shown[1]} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gpu_launch", description=__doc__)
    parser.add_argument("--fake", action="store_true", help="CPU dry run on the fake CuPy")
    args = parser.parse_args(argv)
    print(table(measure(libraries(args.fake))), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
