"""Data for the linear-regression chapter: a synthetic data set and two ways to batch it.

``synthetic_data`` draws the features and noisy labels of a known linear model;
``data_iter`` is the book's hand-written minibatch generator; ``load_array``
wraps tensors in ``ember.utils.data`` for the concise version.
"""

import operator
import random

import ember


def synthetic_data(w, b, num_examples):
    """Features X ~ N(0, 1) of shape (num_examples, len(w)) and labels y = Xw + b + noise.

    The noise is N(0, 0.01); the labels come back as a column, shape (num_examples, 1).
    """
    features = ember.normal(0, 1, (num_examples, len(w)))
    labels = ember.matmul(features, w) + b
    labels += ember.normal(0, 0.01, labels.shape)
    return features, labels.reshape((-1, 1))


def data_iter(batch_size, features, labels):
    """Yield shuffled minibatches ``(features[batch], labels[batch])``; the last may be short."""
    # a float is refused (TypeError) as the book's range() refuses it, even one below 1
    batch_size = operator.index(batch_size)
    if batch_size < 1:
        raise ValueError(f"data_iter: batch_size should be a positive integer, got {batch_size}")
    num_examples = len(features)
    if len(labels) != num_examples:
        raise ValueError(
            f"data_iter: features and labels differ in length ({num_examples} and {len(labels)})"
        )
    order = list(range(num_examples))
    random.shuffle(order)
    for start in range(0, num_examples, batch_size):
        batch = ember.tensor(order[start : start + batch_size])
        yield features[batch], labels[batch]


def load_array(data_arrays, batch_size, is_train=True):
    """A ``DataLoader`` over the given tensors, shuffled when ``is_train``."""
    from ember.utils import data

    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)
