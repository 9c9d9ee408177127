"""Datasets: things with ``len`` and ``[index]`` (map-style), or things to iterate.

``TensorDataset`` can also hand over a whole batch already collated, gathered
with one fancy index per tensor; the DataLoader uses that instead of fetching
and stacking one sample at a time (see ``dataloader.py``).
"""

import abc
import bisect
import collections.abc
import itertools
import math
import operator
import warnings
from types import GenericAlias

from ... import backend
from ...creation import as_tensor
from ...random import default_generator
from .sampler import one_type_parameter, random_numbers

np = backend.cpu_namespace
_INDEX_TYPE = np.dtype(np.int64)
# what a batch of positions may hold to be gathered in one index (bools are not: True is
# no position)
_INTEGER_TYPES = frozenset(
    [int, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
)


class Dataset:
    """A map-style dataset: subclasses define ``__getitem__`` (and usually ``__len__``)."""

    __class_getitem__ = classmethod(one_type_parameter)
    _takes_a_type_parameter = True

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    def __add__(self, other):
        return ConcatDataset([self, other])


class IterableDataset(Dataset, collections.abc.Iterable):
    """A stream of samples: subclasses define ``__iter__``; there is no ``[index]``."""

    # it and its subclasses take any parameters, as PyTorch's (an Iterable's) do
    __class_getitem__ = classmethod(GenericAlias)

    @abc.abstractmethod
    def __iter__(self):
        raise NotImplementedError

    def __add__(self, other):
        return ChainDataset([self, other])


class TensorDataset(Dataset):
    """Sample ``i`` is ``tuple(tensor[i] for tensor in tensors)``; all share dimension 0."""

    # Whether a sample holds no elements (a tensor of shape (n, 0)): known when the dataset
    # is made, so that no batch pays to ask
    _samples_hold_nothing = False

    def __init__(self, *tensors):
        # Checked in order, as PyTorch does: a mismatch is reported before a later 0-d
        # tensor's IndexError
        for tensor in tensors:
            if tensor.size(0) != tensors[0].size(0):
                sizes = [t.shape[0] if t.ndim else "0-d" for t in tensors]
                raise AssertionError(
                    f"Size mismatch between tensors: TensorDataset needs the same size in "
                    f"dimension 0 for every tensor, got sizes {sizes}"
                )
        self.tensors = tensors
        self._samples_hold_nothing = any(0 in tensor.shape[1:] for tensor in tensors)

    def __getitem__(self, index):
        return tuple(tensor[index] for tensor in self.tensors)

    def __len__(self):
        return self.tensors[0].size(0)

    def _collated_batch(self, indices):
        """What ``default_collate`` would make of the samples at ``indices``, in one index each.

        Returns NotImplemented for a subclass that changes how a sample is read,
        so that its own ``__getitem__`` (or ``__getitems__``) is used instead.
        """
        kind = type(self)
        if kind.__getitem__ is not TensorDataset.__getitem__ or hasattr(kind, "__getitems__"):
            return NotImplemented
        if self._samples_hold_nothing:
            # Samples of no elements: a gather reads no positions, so checks none (as in
            # torch), where reading sample by sample raises torch's IndexError
            return NotImplemented
        positions = _integer_positions(indices)
        if positions is None:
            # Floats, bools or an empty batch: reading the samples one by one raises
            # torch's error (a gather would truncate floats, or give an empty batch).
            return NotImplemented
        index = as_tensor(positions)  # a host array: CuPy takes host indices too
        return [tensor[index] for tensor in self.tensors]


def _integer_positions(indices):
    """A batch's indices as a 1-d int64 array, or None if they are not all integers."""
    if isinstance(indices, list) and not _INTEGER_TYPES.issuperset(map(type, indices)):
        return None  # True among ints would be read as 1 (NumPy makes the list int64)
    positions = np.asarray(indices)
    if positions.dtype == _INDEX_TYPE and positions.ndim == 1:  # the usual list of ints
        return positions
    if positions.dtype.kind == "i" and positions.ndim == 1:
        return positions.astype(_INDEX_TYPE)
    return None


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order."""

    _takes_a_type_parameter = True  # Subset[T] in an annotation

    def __init__(self, dataset, indices):
        kind = type(self)
        if kind.__getitem__ is not Subset.__getitem__ and kind.__getitems__ is Subset.__getitems__:
            raise NotImplementedError(
                f"{kind.__name__} overrides __getitem__ but not __getitems__: a DataLoader "
                "reads a batch through __getitems__, which would skip your __getitem__. Add "
                "def __getitems__(self, indices): return [self[i] for i in indices]"
            )
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, index):
        if isinstance(index, list):
            return self.dataset[[self.indices[i] for i in index]]
        return self.dataset[self.indices[index]]

    def __getitems__(self, indices):
        getitems = getattr(self.dataset, "__getitems__", None)
        if callable(getitems):  # as PyTorch asks: a __getitems__ of 5 is not used
            return getitems([self.indices[i] for i in indices])
        return [self.dataset[self.indices[i]] for i in indices]

    def __len__(self):
        return len(self.indices)

    def _collated_batch(self, indices):
        gather = getattr(self.dataset, "_collated_batch", None)
        if gather is None or type(self).__getitems__ is not Subset.__getitems__:
            return NotImplemented  # (a subclass's own __getitems__ reads the batch)
        # Looked up afresh each batch (no cached array): the indices may have changed since.
        return gather([self.indices[i] for i in indices])


class StackDataset(Dataset):
    """Several datasets of one length side by side: sample ``i`` is the tuple of their
    samples ``i`` (given by position), or the dict of them (given by keyword)."""

    _takes_a_type_parameter = True  # StackDataset[T] in an annotation

    def __init__(self, *args, **kwargs):
        if args and kwargs:
            raise ValueError(
                "Supported either ``tuple``- (via ``args``) or ``dict``- (via ``kwargs``) like "
                "input/output, but both types are given."
            )
        if not args and not kwargs:
            raise ValueError("At least one dataset should be passed")
        self.datasets = args or kwargs
        datasets = list(args or kwargs.values())
        self._length = len(datasets[0])
        # Checked in order, as PyTorch does: the first mismatch is reported before a later
        # dataset's own error in len()
        for position, dataset in enumerate(datasets):
            length = len(dataset)
            if length != self._length:
                raise ValueError(
                    f"Size mismatch between datasets: the first has {self._length} samples, "
                    f"the one at position {position} has {length}"
                )

    def __getitem__(self, index):
        if isinstance(self.datasets, dict):
            return {key: dataset[index] for key, dataset in self.datasets.items()}
        return tuple(dataset[index] for dataset in self.datasets)

    def __getitems__(self, indices):
        """The samples at ``indices``, each dataset read in one call where it can be."""
        if isinstance(self.datasets, dict):
            columns = {key: _samples_of(d, indices) for key, d in self.datasets.items()}
            return [dict(zip(columns, row)) for row in zip(*columns.values())]
        columns = [_samples_of(dataset, indices) for dataset in self.datasets]
        return list(zip(*columns))

    def __len__(self):
        return self._length


def _samples_of(dataset, indices):
    """``[dataset[i] for i in indices]``, in one ``__getitems__`` call where it has one."""
    getitems = getattr(dataset, "__getitems__", None)
    if not callable(getitems):
        return [dataset[index] for index in indices]
    samples = getitems(indices)
    if len(samples) != len(indices):
        raise ValueError(
            f"Nested dataset's output size mismatch. Expected {len(indices)}, got {len(samples)}"
        )
    return samples


class ConcatDataset(Dataset):
    """Several map-style datasets one after another, indexed as one."""

    _takes_a_type_parameter = True  # ConcatDataset[T] in an annotation

    def __init__(self, datasets):
        self.datasets = list(datasets)
        if not self.datasets:
            raise AssertionError("datasets should not be an empty iterable")
        for dataset in self.datasets:
            if isinstance(dataset, IterableDataset):
                raise AssertionError(
                    "ConcatDataset does not support IterableDataset (use ChainDataset)"
                )
        self.cumulative_sizes = list(itertools.accumulate(len(d) for d in self.datasets))

    def __len__(self):
        return self.cumulative_sizes[-1]

    def __getitem__(self, index):
        if index < 0:
            if -index > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            index += len(self)
        if index >= len(self):
            raise IndexError(
                f"index {index} is out of range for a ConcatDataset of length {len(self)}"
            )
        which = bisect.bisect_right(self.cumulative_sizes, index)
        # the first part reads the index as given, as in PyTorch (True stays a bool there)
        position = index - self.cumulative_sizes[which - 1] if which > 0 else index
        return self.datasets[which][position]


class ChainDataset(IterableDataset):
    """Several iterable datasets, streamed one after another."""

    def __init__(self, datasets):
        self.datasets = datasets

    def __iter__(self):
        for dataset in self.datasets:
            _check_chained(dataset)
            yield from dataset

    def __len__(self):
        total = 0
        for dataset in self.datasets:
            _check_chained(dataset)  # before its len, as PyTorch checks
            total += len(dataset)
        return total


def _check_chained(dataset):
    if not isinstance(dataset, IterableDataset):
        raise AssertionError(
            f"ChainDataset only supports IterableDataset, got a {type(dataset).__name__}"
        )


def random_split(dataset, lengths, generator=default_generator):
    """Split ``dataset`` into non-overlapping random ``Subset``s of the given sizes.

    ``lengths`` are counts that add up to ``len(dataset)``, or fractions that add
    up to 1: each split then gets ``floor(fraction * len(dataset))`` samples and
    the samples left over go one each to the splits in turn, from the first.
    """
    total = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        lengths = _lengths_from_fractions(lengths, total)
    if sum(lengths) != total:
        raise ValueError(
            "Sum of input lengths does not equal the length of the input dataset! "
            f"(lengths {list(lengths)} add up to {sum(lengths)}, the dataset has {total})"
        )
    _check_integer_lengths(lengths)
    # after the sum, whose error PyTorch gives first; where the sum is right, PyTorch
    # returns overlapping splits
    if any(length < 0 for length in lengths):
        raise ValueError(f"random_split lengths must not be negative, got {list(lengths)}")
    order = random_numbers(generator).permutation(total).tolist()
    ends = itertools.accumulate(lengths)
    return [Subset(dataset, order[end - length : end]) for end, length in zip(ends, lengths)]


def _check_integer_lengths(lengths):
    """PyTorch's TypeError for counts that are not integers (2.0), before drawing anything."""
    for length in lengths:
        try:
            operator.index(length)
        except TypeError:
            raise TypeError(
                "random_split lengths must be integers, or fractions that add up to 1; "
                f"got {list(lengths)}"
            ) from None


def _lengths_from_fractions(fractions, total):
    lengths = []
    for position, fraction in enumerate(fractions):
        if not 0 <= fraction <= 1:
            raise ValueError(f"Fraction at index {position} is not between 0 and 1")
        lengths.append(math.floor(total * fraction))
    for turn in range(total - sum(lengths)):
        lengths[turn % len(lengths)] += 1
    for position, length in enumerate(lengths):
        if length == 0:
            warnings.warn(
                f"Length of split at index {position} is 0. This might result in an empty dataset.",
                stacklevel=3,
            )
    return lengths
