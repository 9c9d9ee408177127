"""``ember train linreg``: the notes' Task03 run, from scratch or with nn/optim."""

import math
import os
import random

import numpy as np

import ember
from ember import d2l, nn, optim

from .formatting import vector, wrote
from .training import check_finite, epoch_progress

TRUE_W = (2.0, -3.4)
TRUE_B = 4.2


def run_linreg(args):
    ember.manual_seed(args.seed)
    random.seed(args.seed)
    true_w = ember.tensor(TRUE_W)
    features, labels = d2l.synthetic_data(true_w, TRUE_B, args.examples)
    how = "concise (nn.Linear, nn.MSELoss, optim.SGD)" if args.concise else "from scratch"
    print(
        f"linear regression {how}: {args.examples} examples of y = Xw + b + noise, "
        f"true w = {vector(TRUE_W, 1)}, b = {TRUE_B}"
    )
    print(f"lr {args.lr}, batch size {args.batch_size}, {args.epochs} epochs, seed {args.seed}")
    train = train_concise if args.concise else train_from_scratch
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported, not warned
        w, b, history = train(features, labels, args)
    print(f"w = {vector(w)}, error in estimating w: {vector(true_w - w.reshape(true_w.shape))}")
    print(f"b = {b.item():.4f}, error in estimating b: {TRUE_B - b.item():.4f}")
    suffix = "_concise" if args.concise else ""
    wrote(plot_loss(history, os.path.join(args.out, f"linreg{suffix}_loss.png")))
    wrote(plot_data(features, labels, os.path.join(args.out, "linreg_data.png")))
    return 0


class History:
    """Loss per minibatch (with its fractional epoch) and on all data after each epoch."""

    def __init__(self, steps_per_epoch):
        self.steps_per_epoch = steps_per_epoch
        self.batch = []
        self.epoch = []

    def add_batch(self, epoch, loss):
        check_finite(loss, epoch)
        self.batch.append(loss)

    def end_epoch(self, epoch, loss):
        check_finite(loss, epoch)
        self.epoch.append(loss)
        print(f"epoch {epoch + 1}, loss {loss:f}")


def train_from_scratch(features, labels, args):
    """The notes' loop: data_iter, linreg, squared_loss, sgd."""
    w = ember.normal(0, 0.01, size=(2, 1), requires_grad=True)
    b = ember.zeros(1, requires_grad=True)
    net, loss = d2l.linreg, d2l.squared_loss
    steps = math.ceil(len(features) / args.batch_size)
    history = History(steps)
    for epoch in range(args.epochs):
        batches = d2l.data_iter(args.batch_size, features, labels)
        for X, y in epoch_progress(batches, epoch, args.epochs, steps):
            batch_loss = loss(net(X, w, b), y)
            batch_loss.sum().backward()
            d2l.sgd([w, b], args.lr, args.batch_size)
            history.add_batch(epoch, float(batch_loss.detach().mean()))
        with ember.no_grad():
            history.end_epoch(epoch, float(loss(net(features, w, b), labels).mean()))
    return w.detach(), b.detach(), history


def train_concise(features, labels, args):
    """The notes' section 1.4: load_array, nn.Sequential(nn.Linear), nn.MSELoss, optim.SGD."""
    data_iter = d2l.load_array((features, labels), args.batch_size)
    net = nn.Sequential(nn.Linear(2, 1))
    net[0].weight.data.normal_(0, 0.01)
    net[0].bias.data.fill_(0)
    loss = nn.MSELoss()
    trainer = optim.SGD(net.parameters(), lr=args.lr)
    steps = math.ceil(len(features) / args.batch_size)
    history = History(steps)
    for epoch in range(args.epochs):
        for X, y in epoch_progress(data_iter, epoch, args.epochs, steps):
            batch_loss = loss(net(X), y)
            trainer.zero_grad()
            batch_loss.backward()
            trainer.step()
            history.add_batch(epoch, float(batch_loss.detach()))
        with ember.no_grad():
            history.end_epoch(epoch, float(loss(net(features), labels)))
    return net[0].weight.data, net[0].bias.data, history


def plot_loss(history, path):
    plt = d2l.plt
    figure, axes = plt.subplots(figsize=(5, 3.2))
    steps = [(i + 1) / history.steps_per_epoch for i in range(len(history.batch))]
    axes.plot(steps, history.batch, "-", linewidth=0.8, alpha=0.6, label="minibatch loss")
    epochs = list(range(1, len(history.epoch) + 1))
    axes.plot(epochs, history.epoch, "o-", color="C3", label="loss on all data")
    d2l.set_axes(axes, "epoch", "loss", None, None, "linear", "log", None)
    axes.legend()
    axes.set_title("linear regression: training loss")
    d2l.savefig(path, figure)
    plt.close(figure)
    return path


def plot_data(features, labels, path):
    plt = d2l.plt
    d2l.set_figsize((5, 3.2))
    figure = plt.figure()
    plt.scatter(features[:, 1].detach().numpy(), labels.detach().numpy(), 1)
    plt.xlabel("feature 1 (x2)")
    plt.ylabel("label y")
    plt.title("synthetic data: y against the second feature")
    d2l.savefig(path, figure)
    plt.close(figure)
    return path
