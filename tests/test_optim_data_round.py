"""Differences found by comparing optim, lr_scheduler, utils.data and save/load with
PyTorch 2.13 (the optimizer/data round), each pinned against torch, plus the everyday
cases that round checked and no other test pins."""

import numpy as np
import pytest
import torch

import ember


def batches_of(lib, dataset, **options):
    """Every batch of a DataLoader as nested lists of (dtype name, shape, values)."""
    return [describe(batch) for batch in lib.utils.data.DataLoader(dataset, **options)]


def describe(value):
    if isinstance(value, (list, tuple)):
        return [describe(item) for item in value]
    return (str(value.dtype).split(".")[-1], tuple(value.shape), value.tolist())


def outcome(make):
    """What ``make()`` gives: ("ok", value) or ("error", the exception's type name)."""
    try:
        return ("ok", make())
    except Exception as error:  # the type is what is compared with torch
        return ("error", type(error).__name__)


def tensor_dataset(lib, size=10):
    features = lib.arange(size * 2, dtype=lib.float32).reshape(size, 2)
    return lib.utils.data.TensorDataset(features, lib.arange(size))


# Subset: indices changed after the loader has run --------------------------------


@pytest.mark.parametrize(
    "change",
    [
        lambda indices: indices.append(9),
        lambda indices: indices.__setitem__(0, 1),
        lambda indices: indices.pop(),
    ],
    ids=["append", "replace", "pop"],
)
def test_a_subset_whose_indices_change_in_place_loads_the_new_ones_like_torch(change):
    results = []
    for lib in (ember, torch):
        subset = lib.utils.data.Subset(tensor_dataset(lib), [5, 6, 2])
        first = batches_of(lib, subset, batch_size=2)
        change(subset.indices)
        results.append((first, batches_of(lib, subset, batch_size=3)))
    assert results[0] == results[1]


def test_a_subset_of_a_subset_reads_its_indices_afresh_like_torch():
    results = []
    for lib in (ember, torch):
        inner = lib.utils.data.Subset(tensor_dataset(lib), [9, 8, 7, 6])
        outer = lib.utils.data.Subset(inner, [3, 0])
        first = batches_of(lib, outer, batch_size=2)
        inner.indices[0] = 1
        results.append((first, batches_of(lib, outer, batch_size=2)))
    assert results[0] == results[1]


@pytest.mark.parametrize(
    "make_indices",
    [lambda lib: lib.tensor([4, 2, 7]), lambda lib: np.array([4, 2, 7]), lambda lib: range(2, 7)],
    ids=["tensor", "ndarray", "range"],
)
def test_a_subset_with_array_or_range_indices_loads_like_torch(make_indices):
    ember_batches, torch_batches = (
        batches_of(lib, lib.utils.data.Subset(tensor_dataset(lib), make_indices(lib)), batch_size=2)
        for lib in (ember, torch)
    )
    assert ember_batches == torch_batches


# TensorDataset batches of indices that are not integers ---------------------------


@pytest.mark.parametrize(
    "batch",
    [[1.0, 2.0], [True, False], [], [np.float64(3.0)]],
    ids=["floats", "bools", "empty", "numpy float"],
)
@pytest.mark.parametrize("through_subset", [False, True], ids=["dataset", "subset"])
def test_a_batch_of_indices_that_are_not_integers_is_read_like_torch(batch, through_subset):
    """The one-gather shortcut used to cast floats and bools to int64 (and gave an empty
    batch for no indices), where torch reads each sample and raises (a Subset's list
    takes bools as 0 and 1, in both)."""

    def load(lib):
        dataset = tensor_dataset(lib)
        if through_subset:
            dataset = lib.utils.data.Subset(dataset, list(range(10)))
        return batches_of(lib, dataset, batch_sampler=[batch])

    ember_result, torch_result = outcome(lambda: load(ember)), outcome(lambda: load(torch))
    assert ember_result == torch_result  # an error, except bools through a Subset's list


@pytest.mark.parametrize(
    "batch",
    [[3, 1], np.array([3, 1], dtype=np.int32), [np.int64(3), 1], [-1, 0]],
    ids=["ints", "int32 array", "numpy ints", "negative"],
)
def test_integer_batches_are_still_gathered_like_torch(batch):
    ember_batches, torch_batches = (
        batches_of(lib, tensor_dataset(lib), batch_sampler=[batch]) for lib in (ember, torch)
    )
    assert ember_batches == torch_batches


# Optimizers: fused with foreach or differentiable ---------------------------------


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW"])
@pytest.mark.parametrize(
    "options",
    [
        {"fused": True, "foreach": True},
        {"fused": True, "differentiable": True},
        {"fused": True, "foreach": False},
        {"fused": False, "foreach": True},
        {"fused": None, "foreach": True},
    ],
    ids=str,
)
def test_fused_with_foreach_or_differentiable_is_refused_like_torch(name, options):
    def make(lib):
        return getattr(lib.optim, name)([lib.ones(2, requires_grad=True)], lr=0.1, **options)

    ember_result, torch_result = outcome(lambda: make(ember)), outcome(lambda: make(torch))
    assert ember_result[0] == torch_result[0]
    if ember_result[0] == "error":
        assert ember_result == torch_result == ("error", "RuntimeError")


def test_the_empty_parameter_list_is_reported_before_fused_and_foreach_like_torch():
    for lib in (ember, torch):
        with pytest.raises(ValueError, match="empty parameter list"):
            lib.optim.SGD([], lr=0.1, fused=True, foreach=True)


# Everyday cases the round checked --------------------------------------------------


@pytest.mark.parametrize(
    "name, options",
    [
        ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
        ("Adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1}),
        ("AdamW", {"lr": 0.01, "maximize": True}),
    ],
)
def test_float64_parameters_that_miss_some_gradients_match_torch(name, options):
    """The second parameter has no gradient on every other step: its state starts
    later and its step counter lags, as in torch."""
    rng = np.random.default_rng(0)
    start = [rng.standard_normal((4, 3)), rng.standard_normal(3)]
    grads = [[rng.standard_normal(a.shape) for a in start] for _ in range(6)]
    final = {}
    for lib in (ember, torch):
        params = [lib.tensor(a, requires_grad=True) for a in start]
        optimizer = getattr(lib.optim, name)(params, **options)
        for step, step_grads in enumerate(grads):
            for index, (param, grad) in enumerate(zip(params, step_grads)):
                param.grad = None if index == 1 and step % 2 == 0 else lib.tensor(grad)
            optimizer.step()
        state = optimizer.state_dict()["state"]
        final[lib] = (
            [p.detach().numpy() for p in params],
            {key: sorted(values) for key, values in state.items()},
            {key: describe(values.get("step", lib.tensor(0.0))) for key, values in state.items()},
        )
    for e, t in zip(final[ember][0], final[torch][0]):
        assert e.dtype == t.dtype == np.float64
        np.testing.assert_allclose(e, t, rtol=1e-12, atol=1e-14)
    assert final[ember][1:] == final[torch][1:]


def test_a_schedule_survives_save_and_load_like_torch(tmp_path):
    """Optimizer and MultiStepLR state saved to a file, loaded into fresh objects: the
    rates that follow are torch's (the milestones are a Counter in both)."""
    rates = {}
    for lib in (ember, torch):
        param = lib.ones(2, requires_grad=True)
        optimizer = lib.optim.SGD([param], lr=1.0, momentum=0.9)
        schedule = lib.optim.lr_scheduler.MultiStepLR(optimizer, [3, 5, 5], gamma=0.5)
        for _ in range(4):
            param.grad = lib.ones(2)
            optimizer.step()
            schedule.step()
        path = tmp_path / f"{lib.__name__}.pt"
        lib.save({"optimizer": optimizer.state_dict(), "schedule": schedule.state_dict()}, path)
        checkpoint = lib.load(path)
        fresh = lib.optim.SGD([lib.ones(2, requires_grad=True)], lr=1.0, momentum=0.9)
        fresh.load_state_dict(checkpoint["optimizer"])
        resumed = lib.optim.lr_scheduler.MultiStepLR(fresh, [1], gamma=0.1)
        resumed.load_state_dict(checkpoint["schedule"])
        sequence = []
        for _ in range(4):
            fresh.step()
            resumed.step()
            sequence.append((resumed.last_epoch, resumed.get_last_lr()))
        rates[lib] = (type(checkpoint["schedule"]["milestones"]).__name__, sequence)
    assert rates[ember] == rates[torch]
