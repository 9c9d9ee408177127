"""Samplers: the order in which a DataLoader visits a dataset's indices.

A sampler is any iterable of indices; ``BatchSampler`` groups one into lists
of ``batch_size`` indices. Random samplers draw from ember's seeded
generators: the one passed as ``generator``, else the default one that
``ember.manual_seed`` sets, read afresh at the start of every epoch.
"""

import itertools
from types import GenericAlias

from ... import dtypes
from ...creation import as_tensor
from ...random import Generator, default_generator, multinomial


def one_type_parameter(cls, parameters):
    """``cls[T]`` in an annotation (``Dataset[Tensor]``, ``DataLoader[tuple]``).

    PyTorch's classes are ``typing.Generic``: the generic ones (each sets
    ``_takes_a_type_parameter``) take exactly one parameter, and a subclass that
    declares none (``TensorDataset``, ``RandomSampler``, ``class Mine(Dataset)``)
    takes none.
    """
    if not cls.__dict__.get("_takes_a_type_parameter", False):
        raise TypeError(f"{cls!r} is not a generic class")
    count = len(parameters) if isinstance(parameters, tuple) else 1
    if count != 1:
        raise TypeError(f"{cls.__name__} takes one type parameter, got {count}")
    return GenericAlias(cls, parameters)


class Sampler:
    """Base class: subclasses define ``__iter__`` (indices) and usually ``__len__``.

    Like PyTorch 2.13's, it takes no arguments (older versions took ``data_source``).
    """

    __class_getitem__ = classmethod(one_type_parameter)
    _takes_a_type_parameter = True

    def __iter__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")


def random_numbers(generator):
    """The NumPy Generator behind an ember Generator (the default one if None)."""
    if generator is None:
        return default_generator.bit_generator
    if not isinstance(generator, Generator):
        raise TypeError(
            f"generator should be an ember.Generator (or None for the default one), "
            f"got {type(generator).__name__}"
        )
    return generator.bit_generator


class SequentialSampler(Sampler):
    """0, 1, ..., len(data_source) - 1."""

    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


class RandomSampler(Sampler):
    """A fresh permutation each epoch, or ``num_samples`` draws with replacement.

    Without replacement and with ``num_samples`` larger than the dataset, whole
    permutations follow one another and the last is cut short.
    """

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(replacement, bool):
            raise TypeError(
                f"replacement should be a boolean value, but got replacement={replacement}"
            )
        count = self.num_samples
        if not isinstance(count, int) or count <= 0:  # True counts as 1, as in torch
            raise ValueError(
                f"num_samples should be a positive integer value, but got num_samples={count}"
            )

    @property
    def num_samples(self):
        """``len(data_source)`` unless given: read each time, as a dataset may grow."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self):
        size, count = len(self.data_source), int(self.num_samples)  # True is 1 sample
        if not self.replacement:
            whole, rest = divmod(count, size)  # PyTorch's ZeroDivisionError comes first
        numbers = random_numbers(self.generator)
        if self.replacement:
            if size == 0:
                raise RuntimeError(
                    f"RandomSampler: cannot draw {count} samples with replacement from an "
                    "empty dataset"
                )
            return iter(numbers.integers(0, size, count).tolist())
        order = [numbers.permutation(size) for _ in range(whole)]
        if rest:
            order.append(numbers.permutation(size)[:rest])
        return (index for part in order for index in part.tolist())

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given ``indices``, in a fresh random order each epoch."""

    def __init__(self, indices, generator=None):
        self.indices = indices
        self.generator = generator

    def __iter__(self):
        order = random_numbers(self.generator).permutation(len(self.indices)).tolist()
        return (self.indices[position] for position in order)

    def __len__(self):
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices into ``weights``, each drawn with probability proportional
    to its weight: with replacement by default, else each index at most once.

    The draws come from ``generator`` (the default one if None) afresh each epoch;
    bad weights (negative, nan, all zero) are errors when the draws are made.
    """

    def __init__(self, weights, num_samples, replacement=True, generator=None):
        if not isinstance(num_samples, int) or isinstance(num_samples, bool) or num_samples <= 0:
            raise ValueError(
                f"num_samples should be a positive integer value, but got num_samples={num_samples}"
            )
        if not isinstance(replacement, bool):
            raise ValueError(
                f"replacement should be a boolean value, but got replacement={replacement}"
            )
        weights = as_tensor(weights, dtype=dtypes.float64)
        if weights.ndim != 1:
            raise ValueError(
                f"weights should be a 1d sequence but given weights have shape "
                f"{tuple(weights.shape)}"
            )
        self.weights = weights
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self):
        random_numbers(self.generator)  # PyTorch's TypeError for anything but a Generator
        draws = multinomial(
            self.weights, self.num_samples, self.replacement, generator=self.generator
        )
        yield from draws.tolist()

    def __len__(self):
        return self.num_samples


class BatchSampler(Sampler):
    """Group the indices of ``sampler`` into lists of ``batch_size``.

    The last, shorter list is kept unless ``drop_last`` is True.
    """

    def __init__(self, sampler, batch_size, drop_last):
        check_batch_arguments(batch_size, drop_last)
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self):
        indices = iter(self.sampler)
        if self.drop_last:
            # zip over one iterator taken batch_size times: full batches only
            for batch in zip(*[indices] * self.batch_size):
                yield list(batch)
            return
        while batch := list(itertools.islice(indices, self.batch_size)):
            yield batch

    def __len__(self):
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return -(-len(self.sampler) // self.batch_size)


def check_batch_arguments(batch_size, drop_last):
    """PyTorch's ValueErrors for a batch size that is not a positive int, a non-bool drop_last."""
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
        raise ValueError(
            f"batch_size should be a positive integer value, but got batch_size={batch_size}"
        )
    if not isinstance(drop_last, bool):
        raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
