"""The three pieces of linear regression from scratch: model, loss and optimiser."""

import ember


def linreg(X, w, b):
    """The linear model ``Xw + b``."""
    return ember.matmul(X, w) + b


def squared_loss(y_hat, y):
    """Half the squared error, element by element (``y`` is reshaped to ``y_hat``'s shape)."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """One minibatch SGD step on each parameter, then clear its gradient.

    The gradients are those of the *summed* loss over the batch, hence the
    division by ``batch_size``.
    """
    params = list(params)  # a generator, such as net.parameters(), is read twice
    for position, param in enumerate(params):
        if param.grad is None:  # the book's sgd fails on it too, after the others stepped
            raise TypeError(
                f"sgd: parameter {position} (shape {list(param.shape)}) has no gradient: "
                "make it with requires_grad=True, use it in the loss, and call backward() "
                "before sgd"
            )
    with ember.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
