"""Where a step's time goes, phase by phase: ``python -m benchmarks.phases [W1|W4]``

A whole-run ratio says how far ember is from a target, not where the distance
is. This runs the steps of W1 (the book's linear regression from scratch) or
W4 (the MLP) on ember, PyTorch (one thread, when installed) and NumPy by
hand, interleaved in one process, with a lap timer between the phases of each
step: the batch, the forward pass, the backward pass, the update (W4 splits
its forward into its two layers and the loss). It prints the microseconds per
step of each phase and ember's ratio to the others. The steps are the
workloads' own (``w1_linreg.py``, ``w4_mlp.py``) with laps added; a lap costs
well under a microsecond. Set ``OPENBLAS_NUM_THREADS=1``.

Where an array is freed is not the same everywhere (ember frees what backward
saved during backward, NumPy by hand when a name is rebound in the next step),
so a phase's time can hold a little of another's work; the step's total is exact.
"""

import argparse
import importlib.util
import time
from collections import defaultdict

import numpy as np

from . import w1_linreg, w4_mlp

PHASES = {
    "W1": ("batch", "forward", "backward", "update"),
    "W4": ("batch", "layer 1", "layer 2", "loss", "backward", "update"),
}


class Laps:
    """Seconds spent in each phase, summed over every step, and the number of steps."""

    def __init__(self):
        self.seconds = defaultdict(float)
        self.steps = 0
        self.last = time.perf_counter()

    def lap(self, phase):
        now = time.perf_counter()
        self.seconds[phase] += now - self.last
        self.last = now

    def restart(self):
        """A step begins."""
        self.steps += 1
        self.last = time.perf_counter()


# W1 ---------------------------------------------------------------------------


def w1_batches(data):
    """The index lists of W1's steps: each epoch's shuffled order, cut into batches."""
    for order in data["orders"]:
        for start in range(0, len(order), w1_linreg.BATCH_SIZE):
            yield order[start : start + w1_linreg.BATCH_SIZE]


def w1_framework_steps(torch, data, laps):
    """W1's 300 steps (the book's loop, as in ``w1_linreg.framework``); returns the last loss."""
    features, labels = torch.tensor(data["features"]), torch.tensor(data["labels"])
    w = torch.tensor(data["w"], requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    for indices in w1_batches(data):
        laps.restart()
        batch = torch.tensor(indices)
        X, y = features[batch], labels[batch]
        laps.lap("batch")
        y_hat = torch.matmul(X, w) + b
        loss = ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).sum()
        laps.lap("forward")
        loss.backward()
        laps.lap("backward")
        with torch.no_grad():
            for param in (w, b):
                param -= w1_linreg.LR * param.grad / w1_linreg.BATCH_SIZE
                param.grad.zero_()
        laps.lap("update")
    return loss.item()


def w1_numpy_steps(data, laps):
    """The same steps by hand (``w1_linreg.numpy_version``)."""
    features, labels = data["features"], data["labels"]
    w, b = data["w"].copy(), np.zeros(1, dtype=np.float32)
    for indices in w1_batches(data):
        laps.restart()
        batch = np.array(indices)
        X, y = features[batch], labels[batch]
        laps.lap("batch")
        y_hat = X @ w + b
        error = y_hat - y.reshape(y_hat.shape)
        loss = (error**2 / 2).sum()
        laps.lap("forward")
        grad_w, grad_b = X.T @ error, error.sum(axis=0)
        laps.lap("backward")
        w -= w1_linreg.LR * grad_w / w1_linreg.BATCH_SIZE
        b -= w1_linreg.LR * grad_b / w1_linreg.BATCH_SIZE
        laps.lap("update")
    return float(loss)


# W4 ---------------------------------------------------------------------------


def w4_framework_steps(torch, data, laps):
    """W4's 32 steps (as in ``w4_mlp.framework``); returns the last loss."""
    cross_entropy = torch.nn.functional.cross_entropy
    X, y = torch.from_numpy(data["X"]), torch.from_numpy(data["y"])
    batches = [torch.from_numpy(batch) for batch in data["batches"]]
    params = [torch.tensor(array, requires_grad=True) for array in data["params"]]
    W1, b1, W2, b2 = params
    for batch in batches:
        laps.restart()
        Xb, yb = X[batch], y[batch]
        laps.lap("batch")
        hidden = torch.relu(Xb @ W1 + b1)
        laps.lap("layer 1")
        logits = hidden @ W2 + b2
        laps.lap("layer 2")
        loss = cross_entropy(logits, yb)
        laps.lap("loss")
        for param in params:
            param.grad = None
        loss.backward()
        laps.lap("backward")
        with torch.no_grad():
            for param in params:
                param -= w4_mlp.LR * param.grad
        laps.lap("update")
    return loss.item()


def w4_numpy_steps(data, laps):
    """The same steps by hand (``w4_mlp.numpy_version``)."""
    X, y = data["X"], data["y"]
    W1, b1, W2, b2 = [array.copy() for array in data["params"]]
    for batch in data["batches"]:
        laps.restart()
        Xb, yb = X[batch], y[batch]
        laps.lap("batch")
        hidden_in = Xb @ W1 + b1
        hidden = np.maximum(hidden_in, 0)
        laps.lap("layer 1")
        logits = hidden @ W2 + b2
        laps.lap("layer 2")
        rows = np.arange(len(batch))
        shifted = logits - logits.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        loss = (np.log(total[:, 0]) - shifted[rows, yb]).mean()
        laps.lap("loss")
        grad_logits = exp / total
        grad_logits[rows, yb] -= 1
        grad_logits /= len(batch)
        grad_hidden = grad_logits @ W2.T
        grad_hidden *= hidden_in > 0
        grads = [Xb.T @ grad_hidden, grad_hidden.sum(axis=0)]
        grads += [hidden.T @ grad_logits, grad_logits.sum(axis=0)]
        laps.lap("backward")
        for param, grad in zip((W1, b1, W2, b2), grads):
            param -= w4_mlp.LR * grad
        laps.lap("update")
    return float(loss)


WORKLOADS = {
    "W1": (w1_linreg, w1_framework_steps, w1_numpy_steps),
    "W4": (w4_mlp, w4_framework_steps, w4_numpy_steps),
}


def implementations(workload, wanted=("ember", "pytorch", "numpy")):
    """name -> steps(data, laps) for the wanted ones of ember, PyTorch at one thread (if
    installed) and NumPy by hand."""
    _, framework_steps, numpy_steps = WORKLOADS[workload]
    found = {}
    if "ember" in wanted:
        import ember

        found["ember"] = lambda data, laps: framework_steps(ember, data, laps)
    if "pytorch" in wanted and importlib.util.find_spec("torch") is not None:
        import torch

        torch.set_num_threads(1)
        found["PyTorch"] = lambda data, laps: framework_steps(torch, data, laps)
    if "numpy" in wanted:
        found["NumPy"] = numpy_steps
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.phases", description=__doc__)
    parser.add_argument("workload", nargs="?", default="W4", choices=list(WORKLOADS))
    parser.add_argument("--runs", type=int, default=20, help="runs of the workload (default: 20)")
    parser.add_argument(
        "--implementations",
        default="ember,pytorch,numpy",
        help="comma-separated, ember first (default: %(default)s); PyTorch in the same "
        "process shares its caches and allocator, so leave it out for ember against NumPy",
    )
    args = parser.parse_args(argv)
    wanted = args.implementations.split(",")
    if wanted[0] != "ember" or not set(wanted) <= {"ember", "pytorch", "numpy"}:
        parser.error("--implementations: ember first, then any of pytorch, numpy")
    module = WORKLOADS[args.workload][0]
    data = module.make_data()
    found = implementations(args.workload, wanted)
    for steps in found.values():  # warm-up: imports and first-call caches
        steps(data, Laps())
    laps = {name: Laps() for name in found}
    for _ in range(args.runs):
        for name, steps in found.items():
            steps(data, laps[name])
    print_table(args.workload, laps)
    return 0


def print_table(workload, laps):
    others = [name for name in laps if name != "ember"]
    print(f"{workload}, us per step, {laps['ember'].steps} steps each, one process")
    header = "".join(f"{name:>10s}" for name in laps)
    ratios = "".join(f"{'ember/' + name:>14s}" for name in others)
    print(f"  {'phase':10s}{header}{ratios}")
    for phase in (*PHASES[workload], "step"):
        times = {name: step_time(laps[name], phase) * 1e6 / laps[name].steps for name in laps}
        row = "".join(f"{times[name]:10.1f}" for name in laps)
        row += "".join(f"{times['ember'] / times[name]:13.2f}x" for name in others)
        print(f"  {phase:10s}{row}")


def step_time(laps, phase):
    return sum(laps.seconds.values()) if phase == "step" else laps.seconds[phase]


if __name__ == "__main__":
    raise SystemExit(main())
