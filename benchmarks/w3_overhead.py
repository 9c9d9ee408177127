"""W3: per-op overhead, ``c = (a*b + a).sum(); c.backward()`` on tensors of 10 elements.

With ten numbers the arithmetic is free: what is timed is op dispatch, graph
recording and the backward engine (three ops, two leaves). The gradients
accumulate into ``a.grad`` and ``b.grad`` over all iterations, as they would
in PyTorch without ``zero_grad``.
"""

import numpy as np

from .common import SEED, Program

NAME = "W3"
TITLE = "per-op overhead: (a*b + a).sum().backward(), shape (10,)"
UNIT = "us/iter"
REPEATS = 7
TOLERANCE = 1e-4
ITERATIONS = 1000  # per run


def make_data():
    rng = np.random.default_rng(SEED + 3)
    return {
        "a": rng.standard_normal(10, dtype=np.float32),
        "b": rng.standard_normal(10, dtype=np.float32),
    }


def framework(torch, data):
    a = torch.tensor(data["a"], requires_grad=True)
    b = torch.tensor(data["b"], requires_grad=True)
    last = []

    def run():
        for _ in range(ITERATIONS):
            c = (a * b + a).sum()
            c.backward()
        last[:] = [c]

    def check():
        return last[0].item() + a.grad.sum().item() + b.grad.sum().item()

    return Program(run=run, check=check, per=ITERATIONS, scale=1e6)


def numpy_version(data):
    a, b = data["a"], data["b"]
    grad_a, grad_b = np.zeros_like(a), np.zeros_like(b)
    last = []

    def run():
        for _ in range(ITERATIONS):
            c = (a * b + a).sum()
            grad_c = np.ones_like(a)  # d c / d (a*b + a): sum's backward
            np.add(grad_a, grad_c * b + grad_c, out=grad_a)  # accumulate, as .grad does
            np.add(grad_b, grad_c * a, out=grad_b)
        last[:] = [c]

    def check():
        return float(last[0]) + float(grad_a.sum()) + float(grad_b.sum())

    return Program(run=run, check=check, per=ITERATIONS, scale=1e6)
