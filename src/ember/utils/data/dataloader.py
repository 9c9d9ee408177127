"""The DataLoader: Dataset + Sampler + BatchSampler + collate, iterated in this process.

Each step asks the batch sampler for a list of indices, fetches those samples
and collates them. One shortcut makes the book's loop fast: when the collate
function is ``default_collate`` and the dataset can gather a batch itself
(``TensorDataset``, and a ``Subset`` of one, define ``_collated_batch``), the
whole batch is one fancy index per tensor instead of ``batch_size`` reads and
a stack. The result is the same either way.
"""

import warnings

from .collate import default_collate, default_convert
from .dataset import IterableDataset
from .sampler import (
    BatchSampler,
    RandomSampler,
    SequentialSampler,
    check_batch_arguments,
    one_type_parameter,
    random_numbers,
)


def get_worker_info():
    """Always None: ember loads every batch in the main process (see ``DataLoader``)."""
    return None


class DataLoader:
    """Iterate over ``dataset`` in batches.

    ``num_workers > 0`` is accepted and checked as PyTorch does, but no worker
    processes start: batches load in this process, with a UserWarning saying
    so. ``pin_memory``, ``timeout``, ``worker_init_fn``, ``prefetch_factor`` and
    ``persistent_workers`` are accepted and have no effect (but a ``timeout`` without
    workers is refused when iteration starts, as in PyTorch).
    """

    __class_getitem__ = classmethod(one_type_parameter)  # DataLoader[T] in an annotation
    _takes_a_type_parameter = True
    _FIXED_AFTER_INIT = frozenset(
        ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers")
    )
    _initialized = False

    def __init__(
        self,
        dataset,
        batch_size=1,
        shuffle=None,
        sampler=None,
        batch_sampler=None,
        num_workers=0,
        collate_fn=None,
        pin_memory=False,
        drop_last=False,
        timeout=0,
        worker_init_fn=None,
        multiprocessing_context=None,
        generator=None,
        *,
        prefetch_factor=None,
        persistent_workers=False,
        pin_memory_device="",
        in_order=True,
    ):
        _check_worker_options(num_workers, timeout, prefetch_factor, persistent_workers)
        _check_multiprocessing_context(multiprocessing_context, num_workers)
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        self._is_iterable = isinstance(dataset, IterableDataset)
        if self._is_iterable:
            _check_iterable_options(shuffle, sampler, batch_sampler)
        else:
            shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError(
                    "batch_sampler option is mutually exclusive with batch_size, shuffle, "
                    "sampler, and drop_last"
                )
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError(
                "batch_size=None option disables auto-batching and is mutually exclusive "
                "with drop_last"
            )

        if sampler is None and not self._is_iterable:
            if shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None and not self._is_iterable:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        elif self._is_iterable and batch_size is not None:
            check_batch_arguments(batch_size, drop_last)

        if collate_fn is None:
            batched = batch_size is not None or batch_sampler is not None
            collate_fn = default_collate if batched else default_convert

        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        self.collate_fn = collate_fn
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.persistent_workers = persistent_workers
        bool(pin_memory)  # read as PyTorch reads it: a tensor of several elements is ambiguous
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order
        self._initialized = True
        if num_workers > 0:
            warnings.warn(
                f"ember's DataLoader loads batches in the main process: num_workers="
                f"{num_workers} is accepted but starts no worker processes",
                UserWarning,
                stacklevel=2,
            )

    def __setattr__(self, name, value):
        if self._initialized and name in self._FIXED_AFTER_INIT:
            raise ValueError(
                f"{name} attribute should not be set after {type(self).__name__} is initialized"
            )
        super().__setattr__(name, value)

    def __iter__(self):
        # PyTorch draws a seed from the generator at every epoch, so it refuses one of the
        # wrong type even without shuffling; ember draws nothing but checks the same
        random_numbers(self.generator)
        if self.timeout and not self.num_workers:
            # PyTorch's in-process iterator asserts this when iteration starts
            raise AssertionError(
                f"timeout={self.timeout} needs worker processes: with num_workers=0 it must be 0"
            )
        if self._is_iterable:
            return _StreamIterator(self)
        return _IndexedIterator(self)

    def __len__(self):
        if self._is_iterable:
            samples = len(self.dataset)
            if self.batch_size is None:
                return samples
            if self.drop_last:
                return samples // self.batch_size
            return -(-samples // self.batch_size)
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        return len(self.sampler)


class _IndexedIterator:
    """One pass over a map-style dataset: indices from the (batch) sampler, then fetch."""

    def __init__(self, loader):
        self._loader = loader
        self._dataset = loader.dataset
        self._collate = loader.collate_fn
        batched = loader.batch_sampler is not None
        self._indices = iter(loader.batch_sampler if batched else loader.sampler)
        self._fetch = self._fetch_batch if batched else self._fetch_sample
        self._gathers = loader.collate_fn is default_collate and hasattr(
            self._dataset, "_collated_batch"
        )
        # PyTorch's fetcher uses __getitems__ if it is truthy (0 or None is not used)
        self._getitems = getattr(self._dataset, "__getitems__", None) or None

    def __iter__(self):
        return self

    def __len__(self):
        return len(self._loader)

    def __next__(self):
        return self._fetch(next(self._indices))

    def _fetch_sample(self, index):
        return self._collate(self._dataset[index])

    def _fetch_batch(self, indices):
        if self._gathers:  # the dataset may gather and collate the batch in one go
            batch = self._dataset._collated_batch(indices)
            if batch is not NotImplemented:
                return batch
        if self._getitems is not None:
            return self._collate(self._getitems(indices))
        return self._collate([self._dataset[index] for index in indices])


class _StreamIterator:
    """One pass over an iterable dataset, grouped into batches when batch_size is set."""

    def __init__(self, loader):
        self._loader = loader
        self._samples = iter(loader.dataset)
        self._collate = loader.collate_fn
        self._batch_size = loader.batch_size
        self._drop_last = loader.drop_last

    def __iter__(self):
        return self

    def __len__(self):
        return len(self._loader)

    def __next__(self):
        if self._batch_size is None:
            return self._collate(next(self._samples))
        batch = []
        for sample in self._samples:
            batch.append(sample)
            if len(batch) == self._batch_size:
                break
        if not batch or (self._drop_last and len(batch) < self._batch_size):
            raise StopIteration
        return self._collate(batch)


def _check_worker_options(num_workers, timeout, prefetch_factor, persistent_workers):
    if num_workers < 0:
        raise ValueError(
            "num_workers option should be non-negative; use num_workers=0 to disable "
            "multiprocessing."
        )
    if timeout < 0:
        raise ValueError("timeout option should be non-negative")
    if num_workers == 0 and prefetch_factor is not None:
        raise ValueError(
            "prefetch_factor option could only be specified in multiprocessing: let "
            "num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None."
        )
    if prefetch_factor is not None and prefetch_factor < 0:
        raise ValueError("prefetch_factor option should be non-negative")
    if persistent_workers and num_workers == 0:
        raise ValueError("persistent_workers option needs num_workers > 0")


def _check_multiprocessing_context(context, num_workers):
    """PyTorch's checks, though ember starts no processes: a context needs workers."""
    if context is None:
        return
    import multiprocessing  # here, not at the top: it adds 5 ms to every `import ember`

    if num_workers == 0:
        raise ValueError(
            "multiprocessing_context is only used with worker processes (num_workers > 0), "
            f"but got num_workers=0 and multiprocessing_context={context!r}"
        )
    if isinstance(context, str):
        if context not in multiprocessing.get_all_start_methods():
            raise ValueError(
                f"multiprocessing_context should be one of "
                f"{multiprocessing.get_all_start_methods()}, got {context!r}"
            )
    elif not isinstance(context, multiprocessing.context.BaseContext):
        raise TypeError(
            "multiprocessing_context should be a start method's name or a multiprocessing "
            f"context, got {type(context).__name__}"
        )


def _check_iterable_options(shuffle, sampler, batch_sampler):
    if shuffle not in (False, None):
        raise ValueError(
            "DataLoader with IterableDataset: expected unspecified shuffle option, but got "
            f"shuffle={shuffle}"
        )
    if sampler is not None:
        raise ValueError(
            "DataLoader with IterableDataset: expected unspecified sampler option, but got "
            f"sampler={sampler}"
        )
    if batch_sampler is not None:
        raise ValueError(
            "DataLoader with IterableDataset: expected unspecified batch_sampler option, but "
            f"got batch_sampler={batch_sampler}"
        )
