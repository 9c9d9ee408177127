"""GPU benchmarks: ember on CUDA against PyTorch CUDA and hand-written CuPy, same run, same card.

    PYTHONPATH=src python -m benchmarks.gpu [--only W3,W5L] [--markdown results.md]

Workloads (the targets are ratios of medians, ember / PyTorch):

    W1   the book's linear regression from scratch (d2l 3.2), data and
         parameters on the GPU, 3 epochs of 100 steps        s/run    <= 0.8
    W3   ``(a*b + a).sum().backward()``, shape (10,), 1000 times  s/run    <= 0.6
    W4L  MLP 4096-4096-10, ReLU, cross-entropy, batch 4096, one
         SGD step                                             ms/step  <= 1.1
    W5L  ``(A @ B).sum().backward()``, 8192x8192 float32       ms/run   <= 1.02

ember and PyTorch run the same source (``framework`` functions take the library
as ``torch``); the CuPy versions compute the same numbers with gradients
written by hand. Every sample is taken between two device synchronizations,
after warm-up runs (which also compile CuPy's kernels); the implementations
take turns within each round, so drifting clocks hit them alike; a sample's
value is the median of the rounds. The last output is a markdown table.

``--fake`` runs everything on the CPU with the NumPy stand-in for CuPy in
tests/fake_cupy.py (and PyTorch on the CPU) at ``--small`` sizes: it checks
this script, and its numbers mean nothing.
"""

import argparse
import cProfile
import gc
import io
import math
import pstats
import statistics
import sys
import time
from dataclasses import dataclass, field

import numpy as np

from . import w1_linreg

SEED = 20261127


@dataclass
class Workload:
    name: str
    title: str
    unit: str
    scale: float  # seconds -> unit
    target: float  # ember / PyTorch, at most
    make_data: object
    framework: object  # (torch_like, data, device) -> Program
    by_hand: object  # (cupy, data) -> Program
    tolerance: float = 1e-3
    repeats: int = 7


@dataclass
class Program:
    run: object  # one timed unit of work
    check: object  # a number computed after the last run, compared across implementations
    notes: list = field(default_factory=list)


# W1: the book's linear regression from scratch --------------------------------------

W1_EXAMPLES, W1_BATCH, W1_LR, W1_EPOCHS = (
    w1_linreg.NUM_EXAMPLES,
    w1_linreg.BATCH_SIZE,
    w1_linreg.LR,
    w1_linreg.NUM_EPOCHS,
)


def w1_data(small):
    return w1_linreg.make_data()


w1_framework = w1_linreg.framework  # the same book code as on the CPU, with device=


def w1_by_hand(cp, data):
    features, labels = cp.asarray(data["features"]), cp.asarray(data["labels"])
    losses = []

    def run():
        w = cp.asarray(data["w"]).copy()
        b = cp.zeros(1, dtype=cp.float32)
        losses.clear()
        for epoch in range(W1_EPOCHS):
            indices = data["orders"][epoch]
            for i in range(0, W1_EXAMPLES, W1_BATCH):
                batch = cp.asarray(indices[i : min(i + W1_BATCH, W1_EXAMPLES)])
                X, y = features[batch], labels[batch]
                error = X @ w + b - y  # d(sum of squared_loss)/d(y_hat)
                w -= W1_LR * (X.T @ error) / W1_BATCH
                b -= W1_LR * error.sum(axis=0) / W1_BATCH
            train_l = (features @ w + b - labels) ** 2 / 2
            losses.append(float(train_l.mean()))

    return Program(run=run, check=lambda: losses[-1])


# W3: per-op overhead ------------------------------------------------------------

W3_ITERATIONS = 1000


def w3_data(small):
    rng = np.random.default_rng(SEED + 3)
    return {
        "a": rng.standard_normal(10, dtype=np.float32),
        "b": rng.standard_normal(10, dtype=np.float32),
    }


def w3_framework(torch, data, device):
    a = torch.tensor(data["a"], device=device, requires_grad=True)
    b = torch.tensor(data["b"], device=device, requires_grad=True)
    last = []

    def run():
        a.grad = b.grad = None
        for _ in range(W3_ITERATIONS):
            c = (a * b + a).sum()
            c.backward()
        last[:] = [c]

    def check():
        return last[0].item() + a.grad.sum().item() + b.grad.sum().item()

    return Program(run=run, check=check)


def w3_by_hand(cp, data):
    a, b = cp.asarray(data["a"]), cp.asarray(data["b"])
    last = []

    def run():
        grad_a, grad_b = cp.zeros_like(a), cp.zeros_like(b)
        for _ in range(W3_ITERATIONS):
            c = (a * b + a).sum()
            grad_c = cp.ones_like(a)  # sum's backward
            grad_a += grad_c * b + grad_c
            grad_b += grad_c * a
        last[:] = [c, grad_a, grad_b]

    def check():
        c, grad_a, grad_b = last
        return float(c) + float(grad_a.sum()) + float(grad_b.sum())

    return Program(run=run, check=check)


# W4L: a large MLP step -----------------------------------------------------------


def w4l_sizes(small):
    return (256, 256, 10) if small else (4096, 4096, 10)  # batch and inputs, hidden, classes


def w4l_data(small):
    batch, hidden, classes = w4l_sizes(small)
    rng = np.random.default_rng(SEED + 4)

    def uniform(fan_in, shape):
        bound = 1 / math.sqrt(fan_in)
        return rng.uniform(-bound, bound, shape).astype(np.float32)

    return {
        "X": rng.standard_normal((batch, batch), dtype=np.float32),
        "y": rng.integers(0, classes, batch, dtype=np.int64),
        # nn.Linear's layout, (out_features, in_features), and its init range.
        "params": [
            uniform(batch, (hidden, batch)),
            uniform(batch, (hidden,)),
            uniform(hidden, (classes, hidden)),
            uniform(hidden, (classes,)),
        ],
        "lr": 0.01,
    }


def w4l_framework(torch, data, device):
    nn, F = torch.nn, torch.nn.functional
    hidden, classes = data["params"][0].shape[0], data["params"][2].shape[0]
    net = nn.Sequential(
        nn.Linear(data["X"].shape[1], hidden), nn.ReLU(), nn.Linear(hidden, classes)
    ).to(device)
    with torch.no_grad():
        for param, values in zip(net.parameters(), data["params"]):
            param.copy_(torch.tensor(values, device=device))
    optimizer = torch.optim.SGD(net.parameters(), lr=data["lr"])
    X = torch.tensor(data["X"], device=device)
    y = torch.tensor(data["y"], device=device)
    last = []

    def run():
        optimizer.zero_grad()
        loss = F.cross_entropy(net(X), y)
        loss.backward()
        optimizer.step()
        last[:] = [loss]

    return Program(run=run, check=lambda: last[0].item())


def w4l_by_hand(cp, data):
    X, y = cp.asarray(data["X"]), cp.asarray(data["y"])
    W1, b1, W2, b2 = [cp.asarray(values).copy() for values in data["params"]]
    rows = cp.arange(len(data["y"]))
    lr, count = data["lr"], len(data["y"])
    last = []

    def run():
        h = X @ W1.T + b1
        r = cp.maximum(h, 0)
        z = r @ W2.T + b2
        shifted = z - z.max(axis=1, keepdims=True)
        e = cp.exp(shifted)
        total = e.sum(axis=1, keepdims=True)
        loss = -(shifted[rows, y] - cp.log(total[:, 0])).mean()
        dz = e / total  # softmax minus the one-hot target, over the batch
        dz[rows, y] -= 1
        dz /= count
        gW2, gb2 = dz.T @ r, dz.sum(axis=0)
        dh = (dz @ W2) * (h > 0)
        gW1, gb1 = dh.T @ X, dh.sum(axis=0)
        for param, grad in ((W1, gW1), (b1, gb1), (W2, gW2), (b2, gb2)):
            param -= lr * grad
        last[:] = [loss]

    return Program(run=run, check=lambda: float(last[0]))


# W5L: a large matrix product and its gradients ------------------------------------


def w5l_size(small):
    return 512 if small else 8192


def w5l_data(small):
    n = w5l_size(small)
    rng = np.random.default_rng(SEED + 5)
    return {
        "A": rng.random((n, n), dtype=np.float32) - np.float32(0.5),
        "B": rng.random((n, n), dtype=np.float32) - np.float32(0.5),
    }


def w5l_framework(torch, data, device):
    A = torch.tensor(data["A"], device=device, requires_grad=True)
    B = torch.tensor(data["B"], device=device, requires_grad=True)
    last = []

    def run():
        A.grad = B.grad = None
        loss = (A @ B).sum()
        loss.backward()
        last[:] = [loss]

    def check():
        return (last[0].item() + A.grad.sum().item() + B.grad.sum().item()) / A.shape[0] ** 2

    return Program(run=run, check=check)


def w5l_by_hand(cp, data):
    A, B = cp.asarray(data["A"]), cp.asarray(data["B"])
    last = []

    def run():
        loss = (A @ B).sum()
        upstream = cp.ones((A.shape[0], B.shape[1]), dtype=A.dtype)  # sum's backward
        grad_A, grad_B = upstream @ B.T, A.T @ upstream
        last[:] = [loss, grad_A, grad_B]

    def check():
        loss, grad_A, grad_B = last
        return (float(loss) + float(grad_A.sum()) + float(grad_B.sum())) / A.shape[0] ** 2

    return Program(run=run, check=check)


WORKLOADS = {
    "W1": Workload(
        "W1",
        "linear regression from scratch, on the GPU, 300 SGD steps",
        "s/run",
        1,
        0.8,
        w1_data,
        w1_framework,
        w1_by_hand,
    ),
    "W3": Workload(
        "W3",
        "(a*b + a).sum().backward(), shape (10,), 1000 times",
        "s/run",
        1,
        0.6,
        w3_data,
        w3_framework,
        w3_by_hand,
        tolerance=1e-4,
    ),
    "W4L": Workload(
        "W4L",
        "MLP 4096-4096-10, ReLU, cross-entropy, batch 4096, SGD step",
        "ms/step",
        1e3,
        1.1,
        w4l_data,
        w4l_framework,
        w4l_by_hand,
        repeats=15,
    ),
    "W5L": Workload(
        "W5L",
        "(A @ B).sum().backward(), 8192x8192 float32",
        "ms/run",
        1e3,
        1.02,
        w5l_data,
        w5l_framework,
        w5l_by_hand,
        tolerance=1e-2,
        repeats=11,
    ),
}


# Libraries and timing ---------------------------------------------------------------


@dataclass
class Library:
    label: str
    make: object  # data -> Program
    synchronize: object
    release: object = None  # frees cached device memory between workloads


def load_libraries(fake):
    """ember (CUDA), PyTorch (CUDA) and CuPy, each with its own synchronize()."""
    import ember

    if fake:
        sys.path.insert(0, "tests")
        import fake_cupy

        fake_cupy.install()
        cp = fake_cupy.namespace
    elif not ember.cuda.is_available():
        raise SystemExit(f"benchmarks.gpu: {ember.cuda.unavailable_reason()}")
    else:
        import cupy as cp

    libraries = {}
    libraries["ember"] = Library(
        "ember CUDA",
        lambda workload, data: workload.framework(ember, data, "cuda"),
        ember.cuda.synchronize,
        ember.cuda.empty_cache,
    )
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None and (torch.cuda.is_available() or fake):
        torch_device = "cuda" if torch.cuda.is_available() else "cpu"
        libraries["torch"] = Library(
            "PyTorch CUDA" if torch_device == "cuda" else "PyTorch CPU (fake run)",
            lambda workload, data: workload.framework(torch, data, torch_device),
            torch.cuda.synchronize if torch_device == "cuda" else (lambda: None),
            torch.cuda.empty_cache if torch_device == "cuda" else None,
        )
    else:
        print("benchmarks.gpu: PyTorch with CUDA is not available; no ratios", flush=True)
    libraries["cupy"] = Library(
        "CuPy by hand",
        lambda workload, data: workload.by_hand(cp, data),
        lambda: cp.cuda.runtime.deviceSynchronize(),
        lambda: cp.get_default_memory_pool().free_all_blocks(),
    )
    return libraries


def timed(program, synchronize):
    synchronize()
    start = time.perf_counter()
    program.run()
    synchronize()
    return time.perf_counter() - start


def bench(workload, libraries, data, budget, warmups=2):
    """Warm each implementation up, then sample them in turns; medians and checks."""
    programs = {}
    for key, library in libraries.items():
        try:
            programs[key] = library.make(workload, data)
            for _ in range(warmups):
                timed(programs[key], library.synchronize)
        except Exception as error:  # report it in the table and go on with the rest
            programs.pop(key, None)
            print(
                f"  {workload.name} {library.label}: FAILED ({type(error).__name__}: {error})",
                flush=True,
            )
    first = {key: timed(program, libraries[key].synchronize) for key, program in programs.items()}
    round_time = sum(first.values()) or 1e-9
    rounds = max(3, min(workload.repeats, int(budget / round_time)))
    samples = {key: [seconds] for key, seconds in first.items()}
    for round_number in range(rounds - 1):
        order = list(programs)
        order = order[round_number % len(order) :] + order[: round_number % len(order)]
        for key in order:
            samples[key].append(timed(programs[key], libraries[key].synchronize))
    result = {"samples": {}, "median": {}, "check": {}}
    for key, values in samples.items():
        result["samples"][key] = [value * workload.scale for value in values]
        result["median"][key] = statistics.median(values) * workload.scale
        result["check"][key] = programs[key].check()
    del programs
    gc.collect()
    for library in libraries.values():
        if library.release is not None:
            library.release()
    return result


def profile(workload, library, data, runs=3, top=30):
    """Where ember's host time goes: cProfile over ``runs`` warm runs, by own time.

    Kernels run asynchronously, so the listing shows Python and the launches; a
    device wait shows up in the final synchronize (or in a copy to the host)."""
    program = library.make(workload, data)
    timed(program, library.synchronize)  # warm-up: compiles CuPy's kernels
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        program.run()
    library.synchronize()
    profiler.disable()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(top)
    return text.getvalue()


# Reporting --------------------------------------------------------------------------


def agree(checks, tolerance):
    reference = checks.get("torch", checks.get("cupy"))
    if reference is None or "ember" not in checks:
        return "n/a"
    difference = abs(checks["ember"] - reference) / max(abs(reference), 1e-12)
    return "yes" if difference <= tolerance else f"NO (rel. diff {difference:.1e})"


def markdown(results, libraries, card):
    def cell(result, key, unit):
        value = result["median"].get(key)
        if value is None:
            return "failed" if key in libraries else "n/a"
        digits = 3 if unit.startswith("s") else 2
        return f"{value:.{digits}f}"

    lines = [
        f"GPU benchmarks on **{card}** (medians; ratio = ember / PyTorch, same run, same card)",
        "",
        "| workload | unit | PyTorch CUDA | ember CUDA | CuPy by hand | ember / PyTorch | target "
        "| met | ember = PyTorch |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    met_all = True
    for workload, result in results:
        medians = result["median"]
        ratio = None
        if "ember" in medians and "torch" in medians and medians["torch"] > 0:
            ratio = medians["ember"] / medians["torch"]
        met = ratio is not None and ratio <= workload.target
        met_all = met_all and met
        lines.append(
            f"| {workload.name} {workload.title} | {workload.unit} "
            f"| {cell(result, 'torch', workload.unit)} | {cell(result, 'ember', workload.unit)} "
            f"| {cell(result, 'cupy', workload.unit)} "
            f"| {'n/a' if ratio is None else f'{ratio:.2f}x'} | <= {workload.target}x "
            f"| {'yes' if met else 'NO'} | {agree(result['check'], workload.tolerance)} |"
        )
    return "\n".join(lines), met_all


def card_name(fake):
    if fake:
        return "no GPU: fake CuPy on the CPU (numbers meaningless)"
    import ember

    return ember.cuda.get_device_name()


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.gpu",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--only", default=",".join(WORKLOADS), help="workloads, comma-separated")
    parser.add_argument(
        "--budget",
        type=float,
        default=8.0,
        help="seconds of timed rounds per workload, roughly (default 8)",
    )
    parser.add_argument("--markdown", help="also write the table to this file")
    parser.add_argument("--fake", action="store_true", help="CPU dry run on the fake CuPy")
    parser.add_argument("--small", action="store_true", help="small W4L/W5L sizes")
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a target is missed"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="instead of timing, profile ember's runs of each workload with cProfile",
    )
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in names if name not in WORKLOADS]
    if unknown:
        parser.error(f"unknown workload(s) {unknown}; choose from {list(WORKLOADS)}")
    small = args.small or args.fake
    libraries = load_libraries(args.fake)
    card = card_name(args.fake)
    print(f"benchmarks.gpu on {card}: {', '.join(l.label for l in libraries.values())}", flush=True)
    if args.profile:
        for name in names:
            workload = WORKLOADS[name]
            print(f"{name}, ember CUDA, 3 runs under cProfile:", flush=True)
            print(profile(workload, libraries["ember"], workload.make_data(small)), flush=True)
        return 0
    results = []
    for name in names:
        workload = WORKLOADS[name]
        started = time.perf_counter()
        data = workload.make_data(small)
        result = bench(workload, libraries, data, args.budget)
        results.append((workload, result))
        summary = ", ".join(
            f"{libraries[key].label} {value:.4g} {workload.unit}"
            for key, value in result["median"].items()
        )
        print(f"  {name}: {summary} ({time.perf_counter() - started:.1f} s)", flush=True)
    table, met_all = markdown(results, libraries, card)
    if args.markdown:
        with open(args.markdown, "w") as handle:
            handle.write(table + "\n")
    print()
    print(table, flush=True)
    return 1 if args.strict and not met_all else 0


if __name__ == "__main__":
    raise SystemExit(main())
