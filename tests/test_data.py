"""ember.utils.data's datasets, samplers, collation and random_split against torch.utils.data.

Most cases build the same input in both libraries (a function of the library
module) and compare the results with ``assert_same_structure``: the same
containers (list, tuple, dict, namedtuple), the same tensors (values, dtype,
shape) and the same plain values.
"""

import collections
import warnings

import numpy as np
import pytest
import torch
import torch.utils.data as torch_data
from hypothesis import given, settings
from hypothesis import strategies as st
from oracle import assert_same

import ember
from ember.utils import data

Point = collections.namedtuple("Point", "x y")


def assert_same_structure(ember_value, torch_value):
    if isinstance(torch_value, torch.Tensor):
        assert_same(ember_value, torch_value, atol=0, rtol=0)
    elif isinstance(torch_value, dict):
        assert type(ember_value) is type(torch_value)
        assert list(ember_value) == list(torch_value)
        for key in torch_value:
            assert_same_structure(ember_value[key], torch_value[key])
    elif isinstance(torch_value, (list, tuple)):
        assert type(ember_value) is type(torch_value), (type(ember_value), type(torch_value))
        assert len(ember_value) == len(torch_value)
        for e, t in zip(ember_value, torch_value):
            assert_same_structure(e, t)
    elif isinstance(torch_value, np.ndarray):
        np.testing.assert_array_equal(ember_value, torch_value)
    else:
        assert type(ember_value) is type(torch_value) and ember_value == torch_value


def in_both(make):
    """``make(library)`` for ember and for torch, as a pair."""
    return make(ember), make(torch)


def assert_same_error(call, ember_module, torch_module, match=None):
    """``call(module)`` raises in both libraries, with the same exception type."""
    with pytest.raises(Exception) as torch_error:
        call(torch_module)
    with pytest.raises(type(torch_error.value), match=match):
        call(ember_module)


# Collation ------------------------------------------------------------------------

COLLATE_CASES = {
    "python floats": lambda lib: [1.0, 2.5, -3.0],
    "python ints": lambda lib: [1, 2, 3],
    "python bools": lambda lib: [True, False],
    "ints then a float": lambda lib: [1, 2.5],
    "numpy float32 scalars": lambda lib: [np.float32(1), np.float32(2)],
    "numpy float64 scalars": lambda lib: [np.float64(1), np.float64(2)],
    "numpy int32 scalars": lambda lib: [np.int32(1), np.int32(2)],
    "numpy bool scalars": lambda lib: [np.bool_(True), np.bool_(False)],
    "numpy int arrays": lambda lib: [np.arange(3), np.arange(3) + 5],
    "numpy float32 matrices": lambda lib: [
        np.ones((2, 3), np.float32),
        np.zeros((2, 3), np.float32),
    ],
    "numpy 0-d arrays": lambda lib: [np.array(1.5), np.array(2.5)],
    "numpy float32 and int64 scalars": lambda lib: [np.float32(1), np.int64(2)],
    "numpy int64 and float32 scalars": lambda lib: [np.int64(1), np.float32(2.5)],
    "numpy int8 and uint8 scalars": lambda lib: [np.int8(-1), np.uint8(200)],
    "numpy float16 and int64 scalars": lambda lib: [np.float16(1.5), np.int64(2)],
    "a numpy array then a tensor": lambda lib: [np.ones(2), lib.zeros(2, dtype=lib.float64)],
    "tensors": lambda lib: [lib.tensor([1.0, 2.0]), lib.tensor([3.0, 4.0])],
    "int tensors": lambda lib: [lib.tensor([[1, 2]]), lib.tensor([[3, 4]])],
    "0-d tensors": lambda lib: [lib.tensor(1.0), lib.tensor(2.0)],
    "strings": lambda lib: ["a", "b"],
    "bytes": lambda lib: [b"a", b"b"],
    "tuples": lambda lib: [(1, 2.0, "a"), (3, 4.0, "b")],
    "lists": lambda lib: [[1, 2], [3, 4]],
    "dicts": lambda lib: [{"a": 1, "b": np.ones(2)}, {"a": 2, "b": np.zeros(2)}],
    "namedtuples": lambda lib: [Point(1, 2.0), Point(3, 4.0)],
    "tensor samples with labels": lambda lib: [
        (lib.ones(2, 3), lib.tensor(1)),
        (lib.zeros(2, 3), lib.tensor(0)),
    ],
    "nested": lambda lib: [
        {"x": (np.zeros(2), [1.0, 2]), "name": "a", "p": Point(lib.ones(1), 7)},
        {"x": (np.ones(2), [3.0, 4]), "name": "b", "p": Point(lib.zeros(1), 8)},
    ],
}


@pytest.mark.parametrize("case", COLLATE_CASES)
def test_default_collate_matches_torch(case):
    ember_samples, torch_samples = in_both(COLLATE_CASES[case])
    assert_same_structure(
        data.default_collate(ember_samples), torch_data.default_collate(torch_samples)
    )


@pytest.mark.parametrize("case", COLLATE_CASES)
def test_default_convert_matches_torch(case):
    ember_samples, torch_samples = in_both(COLLATE_CASES[case])
    for ember_sample, torch_sample in zip(ember_samples, torch_samples):
        assert_same_structure(
            data.default_convert(ember_sample), torch_data.default_convert(torch_sample)
        )


def test_default_convert_leaves_text_arrays_alone():
    text = np.array(["x"])
    assert data.default_convert({"a": text})["a"] is text


COLLATE_ERRORS = {
    "lists of unequal length": lambda lib: [[1, 2], [3]],
    "objects": lambda lib: [object(), object()],
    "numpy text arrays": lambda lib: [np.array(["a"]), np.array(["b"])],
    "tensors of unequal shape": lambda lib: [lib.ones(2), lib.ones(3)],
}


@pytest.mark.parametrize("case", COLLATE_ERRORS)
def test_default_collate_errors_match_torch(case):
    make = COLLATE_ERRORS[case]
    assert_same_error(lambda lib: lib.utils.data.default_collate(make(lib)), ember, torch)


def test_default_collate_keeps_mapping_and_sequence_kinds():
    ordered = [collections.OrderedDict(a=1.0), collections.OrderedDict(a=2.0)]
    assert type(data.default_collate(ordered)) is collections.OrderedDict
    batch = data.default_collate([collections.deque([1, 2]), collections.deque([3, 4])])
    assert type(batch) is collections.deque and batch[0].tolist() == [1, 3]


# Datasets -------------------------------------------------------------------------


def tensor_datasets():
    def make(lib):
        features = lib.tensor(np.arange(20, dtype=np.float32).reshape(10, 2))
        return lib.utils.data.TensorDataset(features, lib.arange(10))

    return in_both(make)


@pytest.mark.parametrize("index", [0, 3, -1, [1, 2, 5], slice(2, 7, 2)])
def test_tensor_dataset_indexing_matches_torch(index):
    ember_dataset, torch_dataset = tensor_datasets()
    assert len(ember_dataset) == len(torch_dataset) == 10
    assert_same_structure(ember_dataset[index], torch_dataset[index])


def test_tensor_dataset_size_mismatch_names_the_sizes():
    assert_same_error(
        lambda lib: lib.utils.data.TensorDataset(lib.ones(3), lib.ones(4)), ember, torch
    )
    with pytest.raises(AssertionError, match=r"Size mismatch.*\[3, 4, 3\]"):
        data.TensorDataset(ember.ones(3), ember.ones(4, 2), ember.ones(3))


def test_tensor_dataset_of_a_0d_tensor_is_an_index_error():
    assert_same_error(lambda lib: lib.utils.data.TensorDataset(lib.tensor(1.0)), ember, torch)


@pytest.mark.parametrize("index", [0, 2, -1, [0, 2]])
def test_subset_matches_torch(index):
    ember_dataset, torch_dataset = tensor_datasets()
    ember_subset = data.Subset(ember_dataset, [7, 3, 5])
    torch_subset = torch_data.Subset(torch_dataset, [7, 3, 5])
    assert len(ember_subset) == len(torch_subset) == 3
    assert_same_structure(ember_subset[index], torch_subset[index])
    assert_same_structure(ember_subset.__getitems__([2, 0]), torch_subset.__getitems__([2, 0]))


def test_subset_indices_can_be_replaced():
    subset = data.Subset(data.TensorDataset(ember.arange(10)), [1, 2])
    subset.indices = [9, 8, 7]
    assert len(subset) == 3
    assert subset._collated_batch([0, 2])[0].tolist() == [9, 7]


@pytest.mark.parametrize("index", [0, 9, 10, 19, -1, -20])
def test_concat_dataset_matches_torch(index):
    ember_dataset, torch_dataset = tensor_datasets()
    ember_concat = data.ConcatDataset([ember_dataset, data.Subset(ember_dataset, [4])])
    torch_concat = torch_data.ConcatDataset([torch_dataset, torch_data.Subset(torch_dataset, [4])])
    assert len(ember_concat) == len(torch_concat) == 11
    assert ember_concat.cumulative_sizes == torch_concat.cumulative_sizes
    if index in (-1, 0, 9, 10):
        assert_same_structure(ember_concat[index], torch_concat[index])
    else:
        assert_same_error(
            lambda lib: (ember_concat if lib is ember else torch_concat)[index], ember, torch
        )


def test_adding_datasets_concatenates_them():
    ember_dataset, _ = tensor_datasets()
    both = ember_dataset + ember_dataset
    assert isinstance(both, data.ConcatDataset) and len(both) == 20
    assert both[15][1].item() == 5


def test_concat_dataset_refusals_match_torch():
    assert_same_error(lambda lib: lib.utils.data.ConcatDataset([]), ember, torch)


class Count(data.IterableDataset):
    def __init__(self, stop):
        self.stop = stop

    def __iter__(self):
        return iter(range(self.stop))

    def __len__(self):
        return self.stop


def test_iterable_dataset_basics():
    with pytest.raises(TypeError):
        data.IterableDataset()  # abstract, as in torch
    chained = Count(2) + Count(3)
    assert isinstance(chained, data.ChainDataset)
    assert list(chained) == [0, 1, 0, 1, 2] and len(chained) == 5
    with pytest.raises(AssertionError):
        data.ConcatDataset([Count(2)])
    with pytest.raises(NotImplementedError):
        data.Dataset()[0]


def test_dataset_is_generic_like_torch():
    class Numbers(data.Dataset[int]):
        def __getitem__(self, index):
            return index

    assert Numbers()[3] == 3


# random_split -----------------------------------------------------------------------

SPLITS = [
    (10, [3, 7]),
    (10, [0.33, 0.33, 0.34]),
    (11, [0.3, 0.3, 0.4]),
    (7, [0.25, 0.25, 0.25, 0.25]),
    (30, [0.3, 0.3, 0.4]),
    (5, [0.5, 0.5]),
    (1000, [0.8, 0.2]),
]


@pytest.mark.parametrize(("size", "lengths"), SPLITS)
def test_random_split_lengths_match_torch(size, lengths):
    parts = data.random_split(range(size), lengths, generator=ember.Generator().manual_seed(0))
    expected = torch_data.random_split(range(size), lengths)
    assert [len(part) for part in parts] == [len(part) for part in expected]
    taken = sorted(index for part in parts for index in part.indices)
    assert taken == list(range(size)), "the splits cover the dataset without overlap"
    assert all(isinstance(part, data.Subset) for part in parts)


@pytest.mark.parametrize("lengths", [[3, 3], [0.5, 0.6], [1.5, -0.5]])
def test_random_split_errors_match_torch(lengths):
    assert_same_error(lambda lib: lib.utils.data.random_split(range(10), lengths), ember, torch)


def test_random_split_refuses_negative_lengths():
    # torch accepts [11, -1, 0] for 10 samples (the sum matches) and returns overlapping splits
    with pytest.raises(ValueError, match="negative"):
        data.random_split(range(10), [11, -1, 0])


def test_random_split_warns_of_an_empty_split():
    with pytest.warns(UserWarning, match="index 2 is 0"):
        lengths = [len(part) for part in data.random_split(range(3), [0.5, 0.5, 0.0])]
    assert lengths == [2, 1, 0]


def test_random_split_is_reproducible():
    def split(generator=None):
        parts = data.random_split(range(20), [0.5, 0.5], **generator or {})
        return [part.indices for part in parts]

    first = split({"generator": ember.Generator().manual_seed(3)})
    assert first == split({"generator": ember.Generator().manual_seed(3)})
    assert first != split({"generator": ember.Generator().manual_seed(4)})
    ember.manual_seed(5)
    seeded = split()
    ember.manual_seed(5)
    assert seeded == split()


# Samplers -----------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(size=st.integers(0, 30), batch_size=st.integers(1, 12), drop_last=st.booleans())
def test_batch_sampler_matches_torch(size, batch_size, drop_last):
    ember_batches = data.BatchSampler(data.SequentialSampler(range(size)), batch_size, drop_last)
    torch_batches = torch_data.BatchSampler(
        torch_data.SequentialSampler(range(size)), batch_size, drop_last
    )
    assert list(ember_batches) == list(torch_batches)
    assert len(ember_batches) == len(torch_batches)


@pytest.mark.parametrize(
    "arguments", [(0, False), (-2, False), (True, False), (2.0, False), (2, 1), (2, None)]
)
def test_batch_sampler_errors_match_torch(arguments):
    assert_same_error(lambda lib: lib.utils.data.BatchSampler(range(5), *arguments), ember, torch)


def test_sequential_sampler_matches_torch():
    assert list(data.SequentialSampler(range(5))) == list(torch_data.SequentialSampler(range(5)))
    assert len(data.SequentialSampler(range(5))) == 5


@pytest.mark.parametrize(
    "arguments", [{"replacement": 1}, {"num_samples": 0}, {"num_samples": 2.5}]
)
def test_random_sampler_errors_match_torch(arguments):
    assert_same_error(lambda lib: lib.utils.data.RandomSampler(range(5), **arguments), ember, torch)


def test_random_sampler_of_an_empty_dataset_is_refused_as_torch():
    assert_same_error(lambda lib: lib.utils.data.RandomSampler([]), ember, torch)
    assert_same_error(
        lambda lib: list(lib.utils.data.RandomSampler([], replacement=True, num_samples=3)),
        ember,
        torch,
        match="empty dataset",
    )


def test_random_sampler_counts_true_as_one_sample_like_torch():
    ember_sampler = data.RandomSampler(range(5), num_samples=True)
    torch_sampler = torch_data.RandomSampler(range(5), num_samples=True)
    assert len(ember_sampler) == len(list(ember_sampler)) == len(torch_sampler) == 1


RANDOM_DRAWS = {
    "RandomSampler": lambda lib, generator: list(
        lib.utils.data.RandomSampler(range(5), generator=generator)
    ),
    "SubsetRandomSampler": lambda lib, generator: list(
        lib.utils.data.SubsetRandomSampler([1, 2], generator=generator)
    ),
    "random_split": lambda lib, generator: lib.utils.data.random_split(
        range(4), [2, 2], generator=generator
    ),
    "a shuffled DataLoader": lambda lib, generator: list(
        lib.utils.data.DataLoader(range(4), shuffle=True, generator=generator)
    ),
}


@pytest.mark.parametrize("draw", RANDOM_DRAWS)
@pytest.mark.parametrize("generator", [5, np.random.default_rng(0)], ids=["int", "numpy"])
def test_a_generator_that_is_not_one_is_a_type_error_like_torch(draw, generator):
    assert_same_error(
        lambda lib: RANDOM_DRAWS[draw](lib, generator), ember, torch, match="ember.Generator"
    )


def test_sampler_base_class_takes_no_arguments_like_torch_2_13():
    assert_same_error(lambda lib: lib.utils.data.Sampler(range(3)), ember, torch)
    with pytest.raises(NotImplementedError):
        iter(data.Sampler())


def test_random_sampler_permutes_each_epoch():
    sampler = data.RandomSampler(range(50), generator=ember.Generator().manual_seed(0))
    epochs = [list(sampler) for _ in range(3)]
    assert all(sorted(epoch) == list(range(50)) for epoch in epochs)
    assert epochs[0] != epochs[1]
    assert len(sampler) == 50


def test_random_sampler_more_samples_than_data_without_replacement():
    sampler = data.RandomSampler(range(4), num_samples=10)
    drawn = list(sampler)
    assert len(drawn) == len(sampler) == 10
    assert sorted(drawn[:4]) == sorted(drawn[4:8]) == [0, 1, 2, 3]
    assert len(set(drawn[8:])) == 2


def test_random_sampler_with_replacement():
    sampler = data.RandomSampler(range(3), replacement=True, num_samples=100)
    drawn = list(sampler)
    assert len(drawn) == 100 and set(drawn) == {0, 1, 2}
    assert all(type(index) is int for index in drawn)


def test_random_sampler_follows_the_global_seed():
    ember.manual_seed(11)
    first = list(data.RandomSampler(range(30)))
    ember.manual_seed(11)
    assert list(data.RandomSampler(range(30))) == first
    ember.manual_seed(12)
    assert list(data.RandomSampler(range(30))) != first


def test_subset_random_sampler():
    indices = [10, 20, 30, 40, 50]
    sampler = data.SubsetRandomSampler(indices, generator=ember.Generator().manual_seed(1))
    drawn = list(sampler)
    assert sorted(drawn) == indices and len(sampler) == 5
    again = data.SubsetRandomSampler(indices, generator=ember.Generator().manual_seed(1))
    assert list(again) == drawn


def test_worker_info_is_none_in_process():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert data.get_worker_info() is None
