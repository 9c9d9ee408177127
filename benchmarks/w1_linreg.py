"""W1: the book's linear regression from scratch (d2l 3.2), 3 epochs of 100 steps.

``framework`` is the book's code, run as is with ``import ember as torch`` or
with PyTorch. Two changes keep every implementation on the same numbers: the
initial ``w`` and the shuffled index lists come from NumPy (generated once in
``make_data``) instead of ``torch.normal`` and ``random.shuffle``.
"""

import numpy as np

from .common import SEED, Program

NAME = "W1"
TITLE = "linear regression from scratch, 300 SGD steps"
UNIT = "ms/run"
REPEATS = 7
TOLERANCE = 1e-3  # relative, on the last epoch's full-data loss

NUM_EXAMPLES, BATCH_SIZE, LR, NUM_EPOCHS = 1000, 10, 0.03, 3


def make_data():
    rng = np.random.default_rng(SEED)
    true_w = np.array([2.0, -3.4], dtype=np.float32)
    true_b = 4.2
    features = rng.normal(0, 1, (NUM_EXAMPLES, len(true_w))).astype(np.float32)
    labels = features @ true_w + np.float32(true_b)
    labels += rng.normal(0, 0.01, labels.shape).astype(np.float32)
    return {
        "features": features,
        "labels": labels.reshape((-1, 1)),
        "w": rng.normal(0, 0.01, (2, 1)).astype(np.float32),
        # One shuffled Python list per epoch, as random.shuffle(indices) makes.
        "orders": [rng.permutation(NUM_EXAMPLES).tolist() for _ in range(NUM_EPOCHS)],
    }


def framework(torch, data, device=None):
    """The book's code; ``device`` puts the data and parameters there (the GPU check)."""
    features = torch.tensor(data["features"], device=device)
    labels = torch.tensor(data["labels"], device=device)

    def data_iter(batch_size, features, labels, indices):
        num_examples = len(features)
        for i in range(0, num_examples, batch_size):
            batch_indices = torch.tensor(
                indices[i : min(i + batch_size, num_examples)], device=device
            )
            yield features[batch_indices], labels[batch_indices]

    def linreg(X, w, b):
        return torch.matmul(X, w) + b

    def squared_loss(y_hat, y):
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

    def sgd(params, lr, batch_size):
        with torch.no_grad():
            for param in params:
                param -= lr * param.grad / batch_size
                param.grad.zero_()

    losses = []

    def run():
        w = torch.tensor(data["w"], device=device, requires_grad=True)
        b = torch.zeros(1, device=device, requires_grad=True)
        net, loss = linreg, squared_loss
        losses.clear()
        for epoch in range(NUM_EPOCHS):
            for X, y in data_iter(BATCH_SIZE, features, labels, data["orders"][epoch]):
                l = loss(net(X, w, b), y)
                l.sum().backward()
                sgd([w, b], LR, BATCH_SIZE)
            with torch.no_grad():
                train_l = loss(net(features, w, b), labels)
                losses.append(float(train_l.mean()))

    return Program(run=run, check=lambda: losses[-1])


def numpy_version(data):
    features, labels = data["features"], data["labels"]
    losses = []

    def run():
        w = data["w"].copy()
        b = np.zeros(1, dtype=np.float32)
        losses.clear()
        for epoch in range(NUM_EPOCHS):
            indices = data["orders"][epoch]
            for i in range(0, NUM_EXAMPLES, BATCH_SIZE):
                batch = np.array(indices[i : min(i + BATCH_SIZE, NUM_EXAMPLES)])
                X, y = features[batch], labels[batch]
                y_hat = X @ w + b
                error = y_hat - y.reshape(y_hat.shape)
                l = error**2 / 2  # the same forward as the book's, then its gradient by hand
                l.sum()
                w -= LR * (X.T @ error) / BATCH_SIZE  # d(l.sum())/d(y_hat) = error
                b -= LR * error.sum(axis=0) / BATCH_SIZE
            train_l = (features @ w + b - labels) ** 2 / 2
            losses.append(float(train_l.mean()))

    return Program(run=run, check=lambda: losses[-1])
