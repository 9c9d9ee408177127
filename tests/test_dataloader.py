"""ember.utils.data.DataLoader against torch.utils.data.DataLoader (SPEC N1).

Deterministic loaders (no shuffle) must give torch's batches exactly: the
same containers, values, dtypes, shapes and number of batches. Shuffled
loaders are checked by their properties (each epoch a permutation, a seed
fixes the order), as ember's generator is not torch's.
"""

import warnings

import numpy as np
import pytest
import torch
import torch.utils.data as torch_data
from test_data import Count, assert_same_error, assert_same_structure

import ember
from ember.utils import data


def features_and_labels(lib, size=23):
    """Float32 features (size, 2) and int64 labels, the same numbers in both libraries."""
    features = np.arange(2 * size, dtype=np.float32).reshape(size, 2) / 7
    return lib.tensor(features), lib.tensor(np.arange(size) % 3)


def both_loaders(size=23, dataset=None, **options):
    def make(lib):
        source = (
            dataset(lib)
            if dataset
            else lib.utils.data.TensorDataset(*features_and_labels(lib, size))
        )
        return lib.utils.data.DataLoader(source, **options)

    return make(ember), make(torch)


def assert_same_batches(ember_loader, torch_loader):
    ember_batches, torch_batches = list(ember_loader), list(torch_loader)
    assert len(ember_batches) == len(torch_batches) == len(ember_loader) == len(torch_loader)
    for ember_batch, torch_batch in zip(ember_batches, torch_batches):
        assert_same_structure(ember_batch, torch_batch)


@pytest.mark.parametrize("size", [1, 9, 10, 23])
@pytest.mark.parametrize("batch_size", [1, 5, 10, 30])
@pytest.mark.parametrize("drop_last", [False, True])
def test_tensor_dataset_batches_match_torch(size, batch_size, drop_last):
    assert_same_batches(*both_loaders(size, batch_size=batch_size, drop_last=drop_last))


def test_no_auto_batching_matches_torch():
    assert_same_batches(*both_loaders(7, batch_size=None))


class Records:
    """A map-style dataset of dicts holding NumPy arrays, numbers and text (no Dataset base)."""

    def __init__(self, lib):
        self.lib = lib

    def __getitem__(self, index):
        return {
            "pixels": np.full((2, 2), index, np.float32),
            "label": index % 2,
            "weight": index / 4,
            "name": f"item{index}",
            "pair": (self.lib.tensor([index, -index]), np.int32(index)),
        }

    def __len__(self):
        return 7


@pytest.mark.parametrize("batch_size", [None, 1, 3])
def test_structured_samples_match_torch(batch_size):
    assert_same_batches(*both_loaders(dataset=Records, batch_size=batch_size))


def test_custom_collate_fn_gets_the_samples_as_torch_does():
    def collate(samples):
        return samples  # a list of (feature, label) tuples, untouched

    assert_same_batches(*both_loaders(10, batch_size=4, collate_fn=collate))


def test_subset_of_a_plain_dataset_matches_torch():
    def subset(lib):
        return lib.utils.data.Subset(Records(lib), [6, 0, 2, 2])

    assert_same_batches(*both_loaders(dataset=subset, batch_size=3))


def test_a_sampler_without_length_can_still_be_iterated():
    loader = data.DataLoader(data.TensorDataset(ember.arange(5)), sampler=iter([4, 1, 2]))
    iterator = iter(loader)
    assert [batch[0].tolist() for batch in iterator] == [[4], [1], [2]]
    with pytest.raises(TypeError):
        len(loader)


def test_custom_sampler_and_batch_sampler_match_torch():
    assert_same_batches(*both_loaders(10, batch_size=3, sampler=[9, 0, 4, 4, 1]))
    assert_same_batches(*both_loaders(10, batch_sampler=[[3, 1], [0], [9, 8, 7]]))


@pytest.mark.parametrize(
    "options", [{"batch_size": 3}, {"batch_size": 3, "drop_last": True}, {"batch_size": None}]
)
def test_iterable_dataset_matches_torch(options):
    ember_loader = data.DataLoader(Count(7), **options)
    torch_loader = torch_data.DataLoader(TorchCount(7), **options)
    assert_same_batches(ember_loader, torch_loader)
    assert len(iter(ember_loader)) == len(torch_loader)


class TorchCount(torch_data.IterableDataset):
    def __init__(self, stop):
        self.stop = stop

    def __iter__(self):
        return iter(range(self.stop))

    def __len__(self):
        return self.stop


CONFLICTS = {
    "shuffle with a sampler": {"shuffle": True, "sampler": [1]},
    "batch_sampler with batch_size": {"batch_sampler": [[1]], "batch_size": 2},
    "batch_sampler with shuffle": {"batch_sampler": [[1]], "shuffle": True},
    "batch_sampler with drop_last": {"batch_sampler": [[1]], "drop_last": True},
    "batch_sampler with a sampler": {"batch_sampler": [[1]], "sampler": [1]},
    "no batch_size with drop_last": {"batch_size": None, "drop_last": True},
    "negative num_workers": {"num_workers": -1},
    "prefetch_factor without workers": {"prefetch_factor": 2},
    "persistent_workers without workers": {"persistent_workers": True},
    "negative timeout": {"timeout": -1},
    "zero batch_size": {"batch_size": 0},
    "bool batch_size": {"batch_size": True},
    "float batch_size": {"batch_size": 2.0},
    "non-bool drop_last": {"drop_last": 1},
    "multiprocessing_context without workers": {"multiprocessing_context": "spawn"},
    "an unknown start method": {"num_workers": 2, "multiprocessing_context": "teleport"},
    "a multiprocessing_context of a wrong type": {"num_workers": 2, "multiprocessing_context": 5},
}


@pytest.mark.parametrize("case", CONFLICTS)
def test_argument_conflicts_match_torch(case):
    def make(lib):
        features, labels = features_and_labels(lib)
        lib.utils.data.DataLoader(lib.utils.data.TensorDataset(features, labels), **CONFLICTS[case])

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # ember's "no worker processes" warning
        assert_same_error(make, ember, torch)


@pytest.mark.parametrize(
    "options", [{"shuffle": True}, {"sampler": [1]}, {"batch_sampler": [[1]]}, {"batch_size": 0}]
)
def test_iterable_dataset_conflicts_match_torch(options):
    def make(lib):
        source = Count(3) if lib is ember else TorchCount(3)
        lib.utils.data.DataLoader(source, **options)

    assert_same_error(make, ember, torch)


@pytest.mark.parametrize("name", ["batch_size", "sampler", "batch_sampler", "drop_last", "dataset"])
def test_fixed_attributes_cannot_be_set_after_init(name):
    loader = data.DataLoader(data.TensorDataset(ember.ones(4)))
    with pytest.raises(ValueError, match=f"{name} attribute should not be set"):
        setattr(loader, name, None)
    loader.num_workers = 0  # others can be


def test_workers_run_in_process_with_a_warning():
    with pytest.warns(UserWarning, match="main process"):
        loader = data.DataLoader(data.TensorDataset(ember.arange(6)), batch_size=4, num_workers=2)
    assert loader.prefetch_factor == 2
    assert [batch[0].tolist() for batch in loader] == [[0, 1, 2, 3], [4, 5]]
    with pytest.warns(UserWarning, match="main process"):
        loader = data.DataLoader(range(3), num_workers=1, multiprocessing_context="spawn")
    assert len(list(loader)) == 3


def test_loader_is_reiterable_and_its_iterator_has_a_length():
    loader = data.DataLoader(data.TensorDataset(ember.arange(10)), batch_size=4)
    assert len(loader) == 3 and len(iter(loader)) == 3
    first, second = list(loader), list(loader)
    assert [b[0].tolist() for b in first] == [b[0].tolist() for b in second]
    iterator = iter(loader)
    assert iter(iterator) is iterator
    assert next(iterator)[0].tolist() == [0, 1, 2, 3]


# Shuffling ------------------------------------------------------------------------------


def order(loader):
    """The sample indices of one epoch, in the order the loader gave them."""
    return [x for batch in loader for x in batch[0].tolist()]


def shuffled_loader(**options):
    return data.DataLoader(
        data.TensorDataset(ember.arange(40)), batch_size=6, shuffle=True, **options
    )


def test_each_shuffled_epoch_is_a_permutation():
    loader = shuffled_loader()
    epochs = [order(loader) for _ in range(3)]
    assert all(sorted(epoch) == list(range(40)) for epoch in epochs)
    assert epochs[0] != epochs[1] != epochs[2]
    assert epochs[0] != list(range(40))


def test_shuffle_follows_manual_seed():
    ember.manual_seed(0)
    first = order(shuffled_loader())
    ember.manual_seed(0)
    assert order(shuffled_loader()) == first
    ember.manual_seed(1)
    assert order(shuffled_loader()) != first


def test_shuffle_follows_a_generator_and_ignores_the_global_seed():
    ember.manual_seed(0)
    first = order(shuffled_loader(generator=ember.Generator().manual_seed(7)))
    ember.manual_seed(99)
    assert order(shuffled_loader(generator=ember.Generator().manual_seed(7))) == first
    assert order(shuffled_loader(generator=ember.Generator().manual_seed(8))) != first


def test_unshuffled_loading_draws_no_random_numbers():
    ember.manual_seed(3)
    expected = ember.rand(3).tolist()
    ember.manual_seed(3)
    list(data.DataLoader(data.TensorDataset(ember.arange(10)), batch_size=3))
    assert ember.rand(3).tolist() == expected


# The one-index batch gather ------------------------------------------------------------


def counting(function):
    """``function`` counting its calls in ``.calls`` (still a function: binds as a method)."""

    def counted(*args):
        counted.calls += 1
        return function(*args)

    counted.calls = 0
    return counted


def test_tensor_dataset_batches_are_one_gather_each(monkeypatch):
    dataset = data.TensorDataset(*features_and_labels(ember, 23))
    per_sample = counting(data.TensorDataset.__getitem__)
    monkeypatch.setattr(data.TensorDataset, "__getitem__", per_sample)
    dataset._collated_batch = gather = counting(dataset._collated_batch)
    fancy_indexing = counting(ember.Tensor.__getitem__)
    monkeypatch.setattr(ember.Tensor, "__getitem__", fancy_indexing)

    loader = data.DataLoader(dataset, batch_size=5, shuffle=True)
    batches = list(loader)
    assert gather.calls == len(batches) == 5
    assert per_sample.calls == 0
    assert fancy_indexing.calls == 2 * len(batches)  # one index per tensor per batch


def test_subset_of_a_tensor_dataset_is_gathered_too(monkeypatch):
    dataset = data.TensorDataset(*features_and_labels(ember, 23))
    per_sample = counting(data.TensorDataset.__getitem__)
    monkeypatch.setattr(data.TensorDataset, "__getitem__", per_sample)
    subset = data.Subset(dataset, [20, 3, 3, 7, 0])
    batches = list(data.DataLoader(subset, batch_size=2))
    assert per_sample.calls == 0
    assert [b[1].tolist() for b in batches] == [[2, 0], [0, 1], [0]]


def test_gathered_batches_equal_stacked_samples():
    dataset = data.TensorDataset(
        ember.randn(9, 2, 3), ember.arange(9), ember.arange(9) % 2 == 0, ember.randn(9).double()
    )
    indices = [8, 0, 3, 3]
    gathered = dataset._collated_batch(indices)
    stacked = data.default_collate([dataset[i] for i in indices])
    assert len(gathered) == len(stacked) == 4
    for fast, slow in zip(gathered, stacked):
        assert fast.dtype == slow.dtype and fast.shape == slow.shape
        assert ember.equal(fast, slow)


def test_a_subclass_reading_samples_its_own_way_is_not_gathered():
    class Shifted(data.TensorDataset):
        def __getitem__(self, index):
            return tuple(tensor[index] + 100 for tensor in self.tensors)

    batch = next(iter(data.DataLoader(Shifted(ember.arange(5)), batch_size=3)))
    assert batch[0].tolist() == [100, 101, 102]


def test_a_gathered_batch_keeps_the_graph_like_torch():
    ember_loader, torch_loader = both_loaders(
        dataset=lambda lib: lib.utils.data.TensorDataset(lib.ones(4, 2, requires_grad=True)),
        batch_size=2,
    )
    assert next(iter(ember_loader))[0].requires_grad == next(iter(torch_loader))[0].requires_grad


# The book's load_array (d2l §3.3) --------------------------------------------------------


def load_array(data_arrays, batch_size, is_train=True):
    """Construct a PyTorch data iterator."""
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)


def test_the_books_load_array():
    true_w, true_b = ember.tensor([2, -3.4]), 4.2
    features = ember.normal(0, 1, (1000, len(true_w)))
    labels = (ember.matmul(features, true_w) + true_b).reshape((-1, 1))
    batch_size = 10
    data_iter = load_array((features, labels), batch_size)

    X, y = next(iter(data_iter))
    assert X.shape == (10, 2) and y.shape == (10, 1)
    assert X.dtype == ember.float32 and y.dtype == ember.float32
    assert len(data_iter) == 100
    assert sum(len(X) for X, _ in data_iter) == 1000

    in_order = load_array((features, labels), batch_size, is_train=False)
    X, y = next(iter(in_order))
    assert ember.equal(X, features[:10]) and ember.equal(y, labels[:10])


def test_iterating_warns_nothing():
    loader = data.DataLoader(data.TensorDataset(ember.arange(4)), batch_size=2, shuffle=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        list(loader)


# Found by the twenty-second day's audit: the one-gather batch must not skip what a
# subclass reads a sample or a batch with, nor take True for position 1.


def _batches(lib, dataset, **options):
    try:
        return [batch[0].tolist() for batch in lib.utils.data.DataLoader(dataset, **options)]
    except Exception as error:  # noqa: BLE001 - the kind of error is compared
        return type(error).__name__


def _tensor_dataset_reading_batches_itself(lib):
    class Hundredfold(lib.utils.data.TensorDataset):
        def __getitems__(self, indices):
            return [(self.tensors[0][i] * 100,) for i in indices]

    return Hundredfold(lib.arange(4))


def _subset_reading_batches_itself(lib):
    class Minus(lib.utils.data.Subset):
        def __getitems__(self, indices):
            return [(lib.tensor(-1),) for _ in indices]

    return Minus(lib.utils.data.TensorDataset(lib.arange(4)), [0, 1, 2])


DATASET_CASES = {
    "a TensorDataset's own __getitems__": (_tensor_dataset_reading_batches_itself, {}),
    "a Subset's own __getitems__": (_subset_reading_batches_itself, {}),
    "True among the positions": (
        lambda lib: lib.utils.data.TensorDataset(lib.arange(4)),
        {"batch_sampler": [[True, 2]]},
    ),
}


@pytest.mark.parametrize("case", list(DATASET_CASES))
def test_batches_read_as_torch_reads_them(case):
    make, options = DATASET_CASES[case]
    options = {"batch_size": 2, **options} if "batch_sampler" not in options else options
    assert _batches(ember, make(ember), **options) == _batches(torch, make(torch), **options)


def test_a_subset_that_reads_samples_itself_must_read_batches_too():
    for lib in (torch, ember):

        class Constant(lib.utils.data.Subset):
            def __getitem__(self, index):
                return -1

        with pytest.raises(NotImplementedError, match="__getitems__"):
            Constant(lib.utils.data.TensorDataset(lib.arange(4)), [0, 1])
