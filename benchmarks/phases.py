"""Where ember's W4 step takes longer than NumPy's, phase by phase: ``python -m benchmarks.phases``

W4's target against NumPy by hand (<= 1.15x) is near parity, so it is worth
knowing which part of a step holds ember's extra time. This runs W4's 32 steps
on ember and on NumPy by hand, interleaved in one process, with a lap timer
between the phases of each step (the batch, the two layers, the loss, the
backward pass, the update), and prints the microseconds per step of each phase
and ember's excess. The steps are W4's (``w4_mlp.py``) with laps added; the
laps cost well under a microsecond each. Set ``OPENBLAS_NUM_THREADS=1``.
"""

import argparse
import time
from collections import defaultdict

import numpy as np

from . import w4_mlp

PHASES = ("batch", "layer 1", "layer 2", "loss", "backward", "update")


class Laps:
    """Seconds spent in each phase, summed over every step."""

    def __init__(self):
        self.seconds = defaultdict(float)
        self.last = time.perf_counter()

    def lap(self, phase):
        now = time.perf_counter()
        self.seconds[phase] += now - self.last
        self.last = now

    def restart(self):
        self.last = time.perf_counter()


def ember_steps(data, laps):
    """W4's 32 steps on ember, timed by phase; returns the last loss."""
    import ember as torch

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


def numpy_steps(data, laps):
    """The same steps by hand (``w4_mlp.numpy_version``), timed by phase."""
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


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.phases", description=__doc__)
    parser.add_argument("--runs", type=int, default=20, help="runs of 32 steps (default: 20)")
    args = parser.parse_args(argv)
    data = w4_mlp.make_data()
    implementations = {"ember": ember_steps, "numpy": numpy_steps}
    for steps in implementations.values():  # warm-up: imports and first-call caches
        steps(data, Laps())
    laps = {name: Laps() for name in implementations}
    for _ in range(args.runs):
        for name, steps in implementations.items():
            steps(data, laps[name])
    per_step = 1e6 / (args.runs * len(data["batches"]))
    ember_total = sum(laps["ember"].seconds.values()) * per_step
    numpy_total = sum(laps["numpy"].seconds.values()) * per_step
    print(f"W4, us per step, {args.runs} runs of {len(data['batches'])} steps, one process")
    print(f"  {'phase':10s} {'ember':>8s} {'NumPy':>8s} {'excess':>8s}  share of the excess")
    for phase in PHASES:
        ember_us = laps["ember"].seconds[phase] * per_step
        numpy_us = laps["numpy"].seconds[phase] * per_step
        excess = ember_us - numpy_us
        share = excess / (ember_total - numpy_total) if ember_total != numpy_total else 0.0
        print(f"  {phase:10s} {ember_us:8.1f} {numpy_us:8.1f} {excess:+8.1f}  {share:6.0%}")
    print(f"  {'all':10s} {ember_total:8.1f} {numpy_total:8.1f} {ember_total - numpy_total:+8.1f}")
    print(f"  ember / NumPy by hand: {ember_total / numpy_total:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
