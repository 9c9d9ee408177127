"""Counting while training: running sums, accuracy, and whole-data-set evaluation."""

import ember


class Accumulator:
    """``n`` running sums, added to together: ``metric.add(loss_sum, correct, count)``."""

    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *values):
        if len(values) != len(self.data):
            raise ValueError(
                f"Accumulator.add: expected {len(self.data)} values, got {len(values)}"
            )
        self.data = [total + float(value) for total, value in zip(self.data, values)]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, index):
        return self.data[index]

    def __len__(self):
        return len(self.data)


def accuracy(y_hat, y):
    """How many predictions are right (a count, not a fraction).

    ``y_hat`` is either class scores of shape (n, classes) or predicted labels.
    """
    if y_hat.ndim > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(dim=1)
    hits = y_hat.type(y.dtype) == y.reshape(y_hat.shape)
    return float(hits.type(y.dtype).sum())


def set_eval_mode(net):
    """Put a module in evaluation mode; plain functions have no mode."""
    if callable(getattr(net, "eval", None)) and hasattr(net, "training"):
        net.eval()


def evaluate_accuracy(net, data_iter):
    """The fraction of examples in ``data_iter`` that ``net`` classifies correctly."""
    set_eval_mode(net)
    metric = Accumulator(2)  # correct predictions, examples
    with ember.no_grad():
        for X, y in data_iter:
            metric.add(accuracy(net(X), y), y.numel())
    return metric[0] / metric[1] if metric[1] else 0.0


def evaluate_loss(net, data_iter, loss):
    """The mean of ``loss`` (an unreduced loss) over every example in ``data_iter``."""
    set_eval_mode(net)
    metric = Accumulator(2)  # summed loss, number of loss values
    with ember.no_grad():
        for X, y in data_iter:
            out = net(X)
            losses = loss(out, y.reshape(out.shape))
            metric.add(losses.sum(), losses.numel())
    return metric[0] / metric[1] if metric[1] else 0.0
