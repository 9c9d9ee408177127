"""The book's short names, so that ``d2l.reshape(x, ...)`` and friends work with ember.

Most are ember's own functions under the same name; the rest are one-line
wrappers around a tensor method.
"""

import ember

ones = ember.ones
zeros = ember.zeros
tensor = ember.tensor
arange = ember.arange
linspace = ember.linspace
eye = ember.eye
normal = ember.normal
rand = ember.rand
randn = ember.randn
sin = ember.sin
cos = ember.cos
tanh = ember.tanh
exp = ember.exp
log = ember.log
abs = ember.abs
sigmoid = ember.sigmoid
matmul = ember.matmul
batch_matmul = ember.bmm
concat = ember.cat
stack = ember.stack
int32 = ember.int32
int64 = ember.int64
float32 = ember.float32
float64 = ember.float64


def numpy(x, *args, **kwargs):
    """A NumPy array of ``x``'s values, detached from any graph."""
    return x.detach().numpy(*args, **kwargs)


# The wrappers pass every argument on, as the book's do: ``reshape(x, shape=(2, 3))``.


def size(x, *args, **kwargs):
    """The number of elements."""
    return x.numel(*args, **kwargs)


def reshape(x, *args, **kwargs):
    return x.reshape(*args, **kwargs)


def to(x, *args, **kwargs):
    return x.to(*args, **kwargs)


def reduce_sum(x, *args, **kwargs):
    return x.sum(*args, **kwargs)


def reduce_mean(x, *args, **kwargs):
    return x.mean(*args, **kwargs)


def argmax(x, *args, **kwargs):
    return x.argmax(*args, **kwargs)


def astype(x, *args, **kwargs):
    return x.type(*args, **kwargs)


def transpose(x, *args, **kwargs):
    return x.t(*args, **kwargs)
