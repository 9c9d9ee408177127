"""W2: the book's concise linear regression (d2l 3.3): DataLoader, nn.Linear, optim.SGD.

The book shuffles with ``DataLoader(dataset, batch_size, shuffle=True)``; here
the DataLoader gets a sampler that yields NumPy's shuffled order for each
epoch, so ember, PyTorch and NumPy see the same batches (a RandomSampler would
draw a different order in each library). The sampler does no more work than a
RandomSampler does: one list of indices per epoch. Initial weights are copied
in from NumPy instead of ``normal_(0, 0.01)`` for the same reason.
"""

import numpy as np

from .common import Program, require, submodule
from .w1_linreg import BATCH_SIZE, LR, NUM_EPOCHS, NUM_EXAMPLES
from .w1_linreg import make_data as make_data  # the same data set as W1

NAME = "W2"
TITLE = "concise linear regression (DataLoader, nn.Linear, optim.SGD), 300 steps"
UNIT = "ms/run"
REPEATS = 7
TOLERANCE = 1e-3


class EpochOrders:
    """A sampler: each ``iter()`` gives the next epoch's shuffled indices."""

    def __init__(self, orders):
        self.orders = orders
        self.epoch = 0

    def __iter__(self):
        order = self.orders[self.epoch % len(self.orders)]
        self.epoch += 1
        return iter(order)

    def __len__(self):
        return len(self.orders[0])


def framework(torch, data_arrays):
    nn = submodule(torch, "nn")
    require(nn, "Sequential", "Linear", "MSELoss")
    require(submodule(torch, "optim"), "SGD")
    data = submodule(torch, "utils.data")
    require(data, "TensorDataset", "DataLoader")
    features = torch.from_numpy(data_arrays["features"])
    labels = torch.from_numpy(data_arrays["labels"])
    losses = []

    def run():
        dataset = data.TensorDataset(features, labels)
        sampler = EpochOrders(data_arrays["orders"])
        data_iter = data.DataLoader(dataset, BATCH_SIZE, sampler=sampler)
        net = nn.Sequential(nn.Linear(2, 1))
        with torch.no_grad():
            net[0].weight.copy_(torch.from_numpy(data_arrays["w"].T.copy()))
            net[0].bias.fill_(0)
        loss = nn.MSELoss()
        trainer = torch.optim.SGD(net.parameters(), lr=LR)
        losses.clear()
        for _ in range(NUM_EPOCHS):
            for X, y in data_iter:
                l = loss(net(X), y)
                trainer.zero_grad()
                l.backward()
                trainer.step()
            with torch.no_grad():
                losses.append(float(loss(net(features), labels)))

    return Program(run=run, check=lambda: losses[-1])


def numpy_version(data):
    features, labels = data["features"], data["labels"]
    losses = []

    def run():
        weight = data["w"].T.copy()  # nn.Linear keeps (out_features, in_features)
        bias = np.zeros(1, dtype=np.float32)
        losses.clear()
        for epoch in range(NUM_EPOCHS):
            order = np.array(data["orders"][epoch])
            for i in range(0, NUM_EXAMPLES, BATCH_SIZE):
                batch = order[i : i + BATCH_SIZE]
                X, y = features[batch], labels[batch]
                error = X @ weight.T + bias - y
                (error**2).mean()  # the same forward as MSELoss, then its gradient by hand
                grad_out = error * (2 / len(batch))
                weight -= LR * (grad_out.T @ X)
                bias -= LR * grad_out.sum(axis=0)
            losses.append(float(((features @ weight.T + bias - labels) ** 2).mean()))

    return Program(run=run, check=lambda: losses[-1])
