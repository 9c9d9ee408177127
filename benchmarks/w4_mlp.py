"""W4: an MLP 784-256-10 with ReLU and cross-entropy, SGD lr 0.1, 32 steps of 256.

The framework version is written with explicit parameter tensors (so that all
implementations start from NumPy's same initial weights) and the library's
``nn.functional.cross_entropy``. While ``ember.nn`` is missing, ember's
cross-entropy is written from core ops (log-sum-exp minus the picked logit)
and the run says so in a note.

Memory: the first run in each process is measured for peak resident memory
growth (``rss_growth_bytes``, the same probe for every library), and NumPy and
ember also get a ``tracemalloc`` peak (exact, but blind to PyTorch's allocator).
"""

import math

import numpy as np

from .common import SEED, Program, Unavailable, submodule

NAME = "W4"
TITLE = "MLP 784-256-10, ReLU, cross-entropy, SGD, 32 steps of 256"
UNIT = "ms/step"
REPEATS = 5
TOLERANCE = 1e-3
NUM_EXAMPLES, NUM_INPUTS, NUM_HIDDEN, NUM_OUTPUTS = 8192, 784, 256, 10
BATCH_SIZE, LR = 256, 0.1
MEASURES_MEMORY = True


def make_data():
    rng = np.random.default_rng(SEED + 4)

    def uniform(fan_in, shape):
        bound = 1 / math.sqrt(fan_in)
        return rng.uniform(-bound, bound, shape).astype(np.float32)

    order = rng.permutation(NUM_EXAMPLES)
    return {
        "X": rng.standard_normal((NUM_EXAMPLES, NUM_INPUTS), dtype=np.float32),
        "y": rng.integers(0, NUM_OUTPUTS, NUM_EXAMPLES, dtype=np.int64),
        "params": [
            uniform(NUM_INPUTS, (NUM_INPUTS, NUM_HIDDEN)),
            np.zeros(NUM_HIDDEN, dtype=np.float32),
            uniform(NUM_HIDDEN, (NUM_HIDDEN, NUM_OUTPUTS)),
            np.zeros(NUM_OUTPUTS, dtype=np.float32),
        ],
        "batches": [order[i : i + BATCH_SIZE] for i in range(0, NUM_EXAMPLES, BATCH_SIZE)],
    }


def framework(torch, data):
    notes = []
    try:
        cross_entropy = submodule(torch, "nn.functional").cross_entropy
    except (Unavailable, AttributeError):
        notes.append(f"{torch.__name__}.nn.functional.cross_entropy missing: core ops used")

        def cross_entropy(logits, target):
            picked = logits[torch.arange(len(target)), target]
            return (torch.logsumexp(logits, dim=1) - picked).mean()

    X, y = torch.from_numpy(data["X"]), torch.from_numpy(data["y"])
    batches = [torch.from_numpy(batch) for batch in data["batches"]]
    last = []

    def run():
        params = [torch.tensor(array, requires_grad=True) for array in data["params"]]
        W1, b1, W2, b2 = params
        for batch in batches:
            Xb, yb = X[batch], y[batch]
            logits = torch.relu(Xb @ W1 + b1) @ W2 + b2
            loss = cross_entropy(logits, yb)
            for param in params:
                param.grad = None
            loss.backward()
            with torch.no_grad():
                for param in params:
                    param -= LR * param.grad
        last[:] = [loss]

    return Program(run=run, check=lambda: last[0].item(), per=len(batches), scale=1e3, notes=notes)


def numpy_version(data):
    X, y = data["X"], data["y"]
    last = []

    def run():
        W1, b1, W2, b2 = [array.copy() for array in data["params"]]
        for batch in data["batches"]:
            Xb, yb = X[batch], y[batch]
            rows = np.arange(len(batch))
            hidden_in = Xb @ W1 + b1
            hidden = np.maximum(hidden_in, 0)
            logits = hidden @ W2 + b2
            shifted = logits - logits.max(axis=1, keepdims=True)
            exp = np.exp(shifted)
            total = exp.sum(axis=1, keepdims=True)
            loss = (np.log(total[:, 0]) - shifted[rows, yb]).mean()
            grad_logits = exp / total  # softmax
            grad_logits[rows, yb] -= 1
            grad_logits /= len(batch)
            grad_hidden = grad_logits @ W2.T
            grad_hidden *= hidden_in > 0
            W2 -= LR * (hidden.T @ grad_logits)
            b2 -= LR * grad_logits.sum(axis=0)
            W1 -= LR * (Xb.T @ grad_hidden)
            b1 -= LR * grad_hidden.sum(axis=0)
        last[:] = [loss]

    return Program(run=run, check=lambda: float(last[0]), per=len(data["batches"]), scale=1e3)
