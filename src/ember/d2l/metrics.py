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
    if y.numel() != y_hat.numel():
        raise ValueError(
            f"accuracy: {y.numel()} labels (shape {list(y.shape)}) for {y_hat.numel()} "
            f"predictions (shape {list(y_hat.shape)}); give one label per example"
        )
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
    return _mean_over_examples(metric, "evaluate_accuracy")


def evaluate_loss(net, data_iter, loss):
    """The mean of ``loss`` (an unreduced loss) over every example in ``data_iter``, with
    a module in evaluation mode (no dropout), then put back in the mode it was in: a
    training loop that calls this each epoch goes on training as it did."""
    training = getattr(net, "training", None)
    set_eval_mode(net)
    metric = Accumulator(2)  # summed loss, number of loss values
    try:
        with ember.no_grad():
            for X, y in data_iter:
                out = net(X)
                losses = loss(out, y.reshape(out.shape))
                metric.add(losses.sum(), losses.numel())
    finally:
        if training:
            net.train()
    return _mean_over_examples(metric, "evaluate_loss")


def _mean_over_examples(metric, name):
    """metric[0] / metric[1], or the error that says why there is no mean (the book's
    helpers divide by zero; a 0.0 would read as a score)."""
    if not metric[1]:
        raise ValueError(f"{name}: the data gave no examples (an empty DataLoader?)")
    return metric[0] / metric[1]
