"""``ember train softmax``: softmax regression from scratch on scikit-learn's 8x8 digits."""

import math
import os
import random

import numpy as np

import ember
from ember import d2l

from .errors import CommandError
from .formatting import wrote
from .training import check_finite, epoch_progress


def load_digits_tensors(test_size, seed):
    """(train_X, train_y, test_X, test_y): pixels scaled to [0, 1], labels int64."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise CommandError(
            "ember train softmax needs scikit-learn for its bundled digits data "
            "(pip install scikit-learn)"
        ) from None
    digits = load_digits()
    images = (digits.data / 16.0).astype(np.float32)
    labels = digits.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(images))
    n_test = max(1, round(test_size * len(images)))
    test, train = order[:n_test], order[n_test:]
    return (
        ember.tensor(images[train]),
        ember.tensor(labels[train]),
        ember.tensor(images[test]),
        ember.tensor(labels[test]),
    )


def softmax(scores):
    """Rows of probabilities: exp(scores - logsumexp(scores)), which cannot overflow."""
    return ember.exp(scores - ember.logsumexp(scores, dim=1, keepdim=True))


def cross_entropy(y_hat, y):
    """-log of the probability given to the true class, per example."""
    return -ember.log(y_hat[ember.arange(len(y_hat)), y])


def batches(X, y, batch_size):
    return [(X[i : i + batch_size], y[i : i + batch_size]) for i in range(0, len(X), batch_size)]


def run_softmax(args):
    ember.manual_seed(args.seed)
    random.seed(args.seed)
    train_X, train_y, test_X, test_y = load_digits_tensors(args.test_size, args.seed)
    inputs, classes = train_X.shape[1], 10
    print(
        f"softmax regression from scratch: {len(train_X)} training and {len(test_X)} test "
        f"images of 8x8 digits, {inputs} inputs -> {classes} classes"
    )
    print(f"lr {args.lr}, batch size {args.batch_size}, {args.epochs} epochs, seed {args.seed}")
    W = ember.normal(0, 0.01, size=(inputs, classes), requires_grad=True)
    b = ember.zeros(classes, requires_grad=True)

    def net(X):
        return softmax(ember.matmul(X.reshape((-1, inputs)), W) + b)

    def updater(batch_size):
        d2l.sgd([W, b], args.lr, batch_size)

    path = os.path.join(args.out, "softmax_curves.png")
    animator = d2l.Animator(
        xlabel="epoch",
        xlim=[1, args.epochs],
        legend=["train loss", "train acc", "test acc"],
        figsize=(5, 3.2),
        path=path,
    )
    steps = math.ceil(len(train_X) / args.batch_size)
    test_batches = batches(test_X, test_y, 256)
    for epoch in range(args.epochs):
        shuffled = d2l.data_iter(args.batch_size, train_X, train_y)
        train_iter = epoch_progress(shuffled, epoch, args.epochs, steps)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            loss, train_acc = d2l.train_epoch_ch3(net, train_iter, cross_entropy, updater)
        check_finite(loss, epoch)
        test_acc = d2l.evaluate_accuracy(net, test_batches)
        animator.add(epoch + 1, (loss, train_acc, test_acc))
        print(
            f"epoch {epoch + 1}, loss {loss:.4f}, train acc {train_acc:.3f}, "
            f"test acc {test_acc:.3f}"
        )
    wrote(animator.save())
    animator.close()
    return 0
