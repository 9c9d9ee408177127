"""WeightedRandomSampler and StackDataset against PyTorch: the statistics of the draws,
seeding, argument checks and errors; samples, batches and DataLoader use."""

import numpy as np
import pytest
import torch
from oracle import check_error

import ember
from ember.utils import data

WEIGHTS = [0.1, 0.9, 0.4, 0.7, 3.0, 0.6]


def sampler(lib, *args, **kwargs):
    return lib.utils.data.WeightedRandomSampler(*args, **kwargs)


# WeightedRandomSampler ------------------------------------------------------------------


def test_draws_with_replacement_follow_the_weights():
    draws = list(data.WeightedRandomSampler(WEIGHTS, 60_000, generator=seeded(0)))
    counts = np.bincount(draws, minlength=len(WEIGHTS))
    expected = np.array(WEIGHTS) / sum(WEIGHTS) * len(draws)
    # each count within 5 standard deviations of its binomial mean
    spread = np.sqrt(expected * (1 - np.array(WEIGHTS) / sum(WEIGHTS)))
    assert np.all(np.abs(counts - expected) < 5 * spread), (counts, expected)


def test_draws_without_replacement_are_distinct_and_favour_heavy_weights():
    first = []
    for seed in range(2_000):
        draws = list(
            data.WeightedRandomSampler(WEIGHTS, 6, replacement=False, generator=seeded(seed))
        )
        assert sorted(draws) == list(range(6))
        first.append(draws[0])
    share = np.bincount(first, minlength=6) / len(first)
    np.testing.assert_allclose(share, np.array(WEIGHTS) / sum(WEIGHTS), atol=0.04)


def test_a_zero_weight_is_never_drawn():
    assert set(data.WeightedRandomSampler([0.0, 2.0, 0.0, 1.0], 500)) == {1, 3}


def seeded(seed):
    return ember.Generator().manual_seed(seed)


def test_the_same_seed_gives_the_same_draws():
    first = list(data.WeightedRandomSampler(WEIGHTS, 20, generator=seeded(3)))
    assert list(data.WeightedRandomSampler(WEIGHTS, 20, generator=seeded(3))) == first
    ember.manual_seed(5)
    default = list(data.WeightedRandomSampler(WEIGHTS, 20))
    ember.manual_seed(5)
    assert list(data.WeightedRandomSampler(WEIGHTS, 20)) == default


def test_each_epoch_draws_afresh_from_the_generator():
    drawn = data.WeightedRandomSampler(WEIGHTS, 30, generator=seeded(1))
    assert list(drawn) != list(drawn)


def test_sampler_state_matches_torch():
    for weights in ([1, 2], np.array([1.0, 2.0], np.float32), [True, False]):
        samplers = {lib: sampler(lib, weights, 7) for lib in (ember, torch)}
        assert samplers[ember].weights.dtype == ember.float64
        assert samplers[ember].weights.tolist() == samplers[torch].weights.tolist()
        assert len(samplers[ember]) == 7
        assert samplers[ember].replacement is True and samplers[ember].generator is None
    assert isinstance(samplers[ember], data.Sampler)
    from_tensor = data.WeightedRandomSampler(ember.tensor([1.0, 3.0]), 2)
    assert from_tensor.weights.dtype == ember.float64


def test_draws_are_python_ints_of_a_loader_batch():
    loader = data.DataLoader(
        data.TensorDataset(ember.arange(6)),
        batch_size=4,
        sampler=data.WeightedRandomSampler(WEIGHTS, 8, generator=seeded(2)),
    )
    batches = [batch[0] for batch in loader]
    assert [len(b) for b in batches] == [4, 4]
    assert all(b.dtype == ember.int64 for b in batches)
    indices = list(data.WeightedRandomSampler(WEIGHTS, 8, generator=seeded(2)))
    assert all(type(i) is int for i in indices)
    assert np.concatenate([b.numpy() for b in batches]).tolist() == indices


SAMPLER_ERRORS = [
    ("num_samples_zero", lambda L: sampler(L, WEIGHTS, 0)),
    ("num_samples_bool", lambda L: sampler(L, WEIGHTS, True)),
    ("num_samples_float", lambda L: sampler(L, WEIGHTS, 2.0)),
    ("num_samples_tensor", lambda L: sampler(L, WEIGHTS, L.tensor(2))),
    ("replacement_int", lambda L: sampler(L, WEIGHTS, 2, replacement=1)),
    ("weights_2d", lambda L: sampler(L, [[1.0, 2.0]], 2)),
    ("weights_0d", lambda L: sampler(L, 1.0, 2)),
    ("weights_str", lambda L: sampler(L, "ab", 2)),
    ("negative_weight", lambda L: list(sampler(L, [-0.1, 0.9], 2))),
    ("nan_weight", lambda L: list(sampler(L, [float("nan"), 0.9], 2))),
    ("inf_weight", lambda L: list(sampler(L, [float("inf"), 0.9], 2))),
    ("zero_weights", lambda L: list(sampler(L, [0.0, 0.0], 2))),
    ("too_many_without_replacement", lambda L: list(sampler(L, [1.0, 1.0], 3, replacement=False))),
    ("generator_not_a_generator", lambda L: list(sampler(L, WEIGHTS, 2, generator=3))),
]


@pytest.mark.parametrize("make", [c[1] for c in SAMPLER_ERRORS], ids=[c[0] for c in SAMPLER_ERRORS])
def test_sampler_errors_match_torch(make):
    check_error(make)


def test_bad_weights_raise_when_the_draws_are_made():
    drawn = data.WeightedRandomSampler([-1.0, 2.0], 2)  # no error yet, as in torch
    assert len(drawn) == 2
    with pytest.raises(RuntimeError):
        next(iter(drawn))


# StackDataset ----------------------------------------------------------------------------


def stack(lib, *args, **kwargs):
    return lib.utils.data.StackDataset(*args, **kwargs)


def pairs(lib):
    return lib.utils.data.TensorDataset(lib.arange(5), lib.arange(5) * 10)


def as_lists(value):
    """Nested tuples, lists and dicts of tensors as plain Python values."""
    if isinstance(value, (ember.Tensor, torch.Tensor)):
        return value.tolist()
    if isinstance(value, dict):
        return {key: as_lists(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return type(value)(as_lists(item) for item in value)
    return value


STACK_CASES = [
    ("tuple_sample", lambda L: stack(L, pairs(L), L.arange(5) * 2.5)[3]),
    ("dict_sample", lambda L: stack(L, x=pairs(L), y=[5, 6, 7, 8, 9])[1]),
    ("length", lambda L: len(stack(L, [1, 2], [3, 4]))),
    ("datasets_tuple", lambda L: stack(L, [1], [2]).datasets),
    ("datasets_dict", lambda L: stack(L, a=[1], b=[2]).datasets),
    ("getitems", lambda L: stack(L, [1, 2, 3, 4, 5], pairs(L)).__getitems__([2, 0])),
    ("getitems_dict", lambda L: stack(L, a=[1, 2, 3], b=[4, 5, 6]).__getitems__([2, 0])),
    ("getitems_none", lambda L: stack(L, [1, 2, 3], [4, 5, 6]).__getitems__([])),
    ("negative_index", lambda L: stack(L, [1, 2, 3], "abc")[-1]),
    (
        "loader_tuple",
        lambda L: list(
            L.utils.data.DataLoader(stack(L, L.arange(5), L.arange(5) * 1.5), batch_size=2)
        ),
    ),
    (
        "loader_dict",
        lambda L: list(L.utils.data.DataLoader(stack(L, x=L.arange(5), y=pairs(L)), batch_size=3)),
    ),
    (
        "loader_of_a_subset",
        lambda L: list(
            L.utils.data.DataLoader(
                stack(L, L.utils.data.Subset(pairs(L), [4, 0, 2]), [7, 8, 9]), batch_size=2
            )
        ),
    ),
]


@pytest.mark.parametrize("make", [c[1] for c in STACK_CASES], ids=[c[0] for c in STACK_CASES])
def test_stack_dataset_matches_torch(make):
    assert as_lists(make(ember)) == as_lists(make(torch))


STACK_ERRORS = [
    ("both_forms", lambda L: stack(L, [1], a=[2])),
    ("nothing", lambda L: stack(L)),
    ("lengths_differ", lambda L: stack(L, [1], [2, 3])),
    ("lengths_differ_by_keyword", lambda L: stack(L, a=[1], b=[2, 3])),
    ("index_past_the_end", lambda L: stack(L, [1, 2, 3])[5]),
]


@pytest.mark.parametrize("make", [c[1] for c in STACK_ERRORS], ids=[c[0] for c in STACK_ERRORS])
def test_stack_dataset_errors_match_torch(make):
    check_error(make)


def test_a_nested_getitems_of_the_wrong_length_is_an_error():
    class Short(data.Dataset):
        def __len__(self):
            return 3

        def __getitems__(self, indices):
            return [0]

    for make in (lambda: data.StackDataset(Short()), lambda: data.StackDataset(a=Short())):
        with pytest.raises(ValueError, match="Expected 2, got 1"):
            make().__getitems__([0, 1])
