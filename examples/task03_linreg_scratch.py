# %% [markdown]
# # Task03 §1.3 — linear regression from scratch (线性回归的从零开始实现)
#
# Every piece written by hand, as in the notes: a synthetic data set, a
# minibatch generator, the model, the loss, and SGD. The scatter plot of the
# second feature against the labels goes under `$EMBER_OUT` (default
# `out/examples`) or the folder given as the first argument.

# %%
import os
import random
import sys

import ember as torch
from ember import d2l

arguments = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
OUT = arguments[0] if arguments else os.environ.get("EMBER_OUT", os.path.join("out", "examples"))
torch.manual_seed(0)
random.seed(0)


# %% The data: y = Xw + b + noise
def synthetic_data(w, b, num_examples):
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


true_w = torch.tensor([2, -3.4])
true_b = 4.2
features, labels = synthetic_data(true_w, true_b, 1000)
print("features:", features[0], "\nlabel:", labels[0])

# %% The second feature against the labels: a clear linear trend
d2l.set_figsize()
d2l.plt.scatter(features[:, 1].detach().numpy(), labels.detach().numpy(), 1)
print("wrote", d2l.savefig(os.path.join(OUT, "linreg_scatter.png")))


# %% Reading the data in shuffled minibatches
def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)  # the examples are read in random order
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i : min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


batch_size = 10
for X, y in data_iter(batch_size, features, labels):
    print(X, "\n", y)
    break

# %% Parameters, model, loss and optimiser
w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)
b = torch.zeros(1, requires_grad=True)


def linreg(X, w, b):
    """The linear regression model."""
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    """Half the squared error."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


# %% Training
lr = 0.03
num_epochs = 3
net = linreg
loss = squared_loss

for epoch in range(num_epochs):
    for X, y in data_iter(batch_size, features, labels):
        l = loss(net(X, w, b), y)  # the loss of the minibatch X, y
        l.sum().backward()  # gradients of the summed loss with respect to w and b
        sgd([w, b], lr, batch_size)  # update the parameters with their gradients
    with torch.no_grad():
        train_l = loss(net(features, w, b), labels)
        print(f"epoch {epoch + 1}, loss {float(train_l.mean()):f}")

# %% How close did we get?
print(f"error in estimating w: {true_w - w.reshape(true_w.shape)}")
print(f"error in estimating b: {true_b - b}")
