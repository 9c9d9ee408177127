"""Feeding data to a model: ``from ember.utils import data`` (PyTorch's torch.utils.data).

The pieces, one per file, compose as in PyTorch:

- ``dataset.py``: ``Dataset``, ``IterableDataset``, ``TensorDataset``, ``Subset``,
  ``ConcatDataset``, ``ChainDataset``, ``StackDataset`` and ``random_split``;
- ``sampler.py``: ``SequentialSampler``, ``RandomSampler``,
  ``SubsetRandomSampler``, ``WeightedRandomSampler`` and ``BatchSampler`` (the
  order of the indices);
- ``collate.py``: ``default_collate`` and ``default_convert`` (samples -> batch);
- ``dataloader.py``: ``DataLoader``, which ties them together.

How ember differs from PyTorch:

- Batches always load in the main process. ``DataLoader(num_workers=N)`` with
  N > 0 is accepted (and its options are checked as PyTorch checks them) but
  warns with a UserWarning and starts no worker processes;
  ``get_worker_info()`` is always None.
- A DataLoader over a ``TensorDataset`` (or a ``Subset`` of one) with the
  default collate gathers each batch with one fancy index per tensor rather
  than reading ``batch_size`` samples and stacking them. Same values, dtypes
  and shapes; a subclass that overrides ``__getitem__`` gets the sample-by-
  sample path.
- Shuffling and ``WeightedRandomSampler``'s draws come from ember's generators
  (``ember.manual_seed``, ``ember.Generator().manual_seed(s)``), so a seed gives
  the same order every run in ember, but not the order PyTorch gives for that
  seed. Iterating a DataLoader without shuffling draws no random numbers.
- ``pin_memory`` has no effect: ember has no pinned host memory.
"""

from .collate import default_collate, default_convert
from .dataloader import DataLoader, get_worker_info
from .dataset import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    StackDataset,
    Subset,
    TensorDataset,
    random_split,
)
from .sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)

__all__ = [
    "BatchSampler",
    "ChainDataset",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "IterableDataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "StackDataset",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "default_collate",
    "default_convert",
    "get_worker_info",
    "random_split",
]
