"""The book's chapter-3 classifier training loop, for from-scratch and ``nn`` models alike.

``updater`` is either an optimizer (anything with ``zero_grad`` and ``step``,
such as ``ember.optim.SGD``) or a function ``updater(batch_size)`` that steps
by hand, such as ``lambda n: d2l.sgd([W, b], lr, n)``.
"""

import ember

from .animator import Animator
from .fashion_mnist import get_fashion_mnist_labels
from .metrics import Accumulator, accuracy, evaluate_accuracy, set_eval_mode
from .plotting import show_images


def _is_optimizer(updater):
    return all(callable(getattr(updater, name, None)) for name in ("zero_grad", "step"))


def train_epoch_ch3(net, train_iter, loss, updater):
    """One pass over ``train_iter``; returns (mean training loss, training accuracy)."""
    if callable(getattr(net, "train", None)) and hasattr(net, "training"):
        net.train()
    metric = Accumulator(3)  # summed loss, correct predictions, examples
    for X, y in train_iter:
        y_hat = net(X)
        losses = loss(y_hat, y)
        if _is_optimizer(updater):
            updater.zero_grad()
            losses.mean().backward()
            updater.step()
        else:
            losses.sum().backward()
            updater(X.shape[0])
        metric.add(float(losses.detach().sum()), accuracy(y_hat.detach(), y), y.numel())
    return metric[0] / metric[2], metric[1] / metric[2]


def train_ch3(net, train_iter, test_iter, loss, num_epochs, updater, path=None):
    """Train for ``num_epochs``, drawing loss and accuracies per epoch.

    The figure shows inline in a notebook; elsewhere it is written to ``path``
    (default ``animator.png``, see ``Animator``). Returns the last epoch's
    (train loss, train accuracy, test accuracy).
    """
    animator = Animator(
        xlabel="epoch",
        xlim=[1, num_epochs],
        ylim=[0.3, 0.9],
        legend=["train loss", "train acc", "test acc"],
        path=path,
    )
    train_loss = train_acc = test_acc = float("nan")
    for epoch in range(num_epochs):
        train_loss, train_acc = train_epoch_ch3(net, train_iter, loss, updater)
        test_acc = evaluate_accuracy(net, test_iter)
        animator.add(epoch + 1, (train_loss, train_acc, test_acc))
    if not animator.notebook:
        animator.save()
    return train_loss, train_acc, test_acc


def predict_ch3(net, test_iter, n=6, labels=get_fashion_mnist_labels):
    """Show the first ``n`` test images titled with their true and predicted labels."""
    batch = next(iter(test_iter), None)
    if batch is None:
        raise ValueError("predict_ch3: test_iter yielded no batch")
    X, y = batch
    n = min(n, len(X))
    set_eval_mode(net)
    with ember.no_grad():
        predicted = labels(net(X).argmax(dim=1))
    titles = [f"{true}\n{guess}" for true, guess in zip(labels(y), predicted)]
    images = X[0:n].reshape((n, X.shape[-2], X.shape[-1]))
    return show_images(images, 1, n, titles=titles[0:n])
