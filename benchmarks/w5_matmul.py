"""W5: ``(A @ B).sum().backward()`` with 1024x1024 float32 A and B.

Three matrix products per iteration (one forward, two backward), 6 n^3 flops;
this is BLAS-bound, so a framework on NumPy should match NumPy.
"""

import numpy as np

from .common import SEED, Program

NAME = "W5"
TITLE = "(A @ B).sum().backward(), 1024x1024 float32"
UNIT = "ms/iter"
REPEATS = 7
TOLERANCE = 1e-3
N = 1024
FLOPS = 6 * N**3


def make_data():
    rng = np.random.default_rng(SEED + 5)
    return {
        "A": rng.standard_normal((N, N), dtype=np.float32),
        "B": rng.standard_normal((N, N), dtype=np.float32),
    }


def framework(torch, data):
    A = torch.tensor(data["A"], requires_grad=True)
    B = torch.tensor(data["B"], requires_grad=True)
    last = []

    def run():
        A.grad = B.grad = None
        loss = (A @ B).sum()
        loss.backward()
        last[:] = [loss]

    def check():
        return last[0].item() + A.grad.sum().item() + B.grad.sum().item()

    return Program(run=run, check=check)


def numpy_version(data):
    A, B = data["A"], data["B"]
    last = []

    def run():
        C = A @ B
        loss = C.sum()
        grad_C = np.ones_like(C)  # sum's backward
        grad_A = grad_C @ B.T
        grad_B = A.T @ grad_C
        last[:] = [loss, grad_A, grad_B]

    def check():
        loss, grad_A, grad_B = last
        return float(loss) + float(grad_A.sum()) + float(grad_B.sum())

    return Program(run=run, check=check)
