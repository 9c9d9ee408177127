"""``nn.utils`` against PyTorch: clipping gradients by their total norm or by value, the
total norm itself, and a model's parameters as one vector and back."""

import math
import warnings

import numpy as np
import pytest
import torch
from oracle import check_error

import ember

WEIGHTS = [[3.0, -4.0], [1.0, 2.0]]
BIAS = [1.5, -0.5]


def parameters_with_grads(t, dtypes=("float32", "float32"), scale=1.0, grads=True):
    """Two parameters whose gradients are twice their values times ``scale``."""
    weight = t.nn.Parameter(t.tensor(WEIGHTS, dtype=getattr(t, dtypes[0])))
    bias = t.nn.Parameter(t.tensor(BIAS, dtype=getattr(t, dtypes[1])))
    if grads:
        for parameter in (weight, bias):
            parameter.grad = parameter.detach() * (2 * scale)
    return [weight, bias]


def assert_same(mine, theirs, rtol=1e-6):
    assert str(mine.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    assert tuple(mine.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(
        mine.detach().numpy().astype(float), theirs.detach().numpy().astype(float), rtol=rtol
    )


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, math.inf, "inf", 0.5])
@pytest.mark.parametrize("max_norm", [1.0, 5, 100.0, 0.0])
@pytest.mark.parametrize("dtypes", [("float32", "float32"), ("float64", "float32")])
def test_clip_grad_norm_scales_as_torch_and_returns_the_norm(norm_type, max_norm, dtypes):
    results = []
    for t in (ember, torch):
        parameters = parameters_with_grads(t, dtypes)
        total = t.nn.utils.clip_grad_norm_(parameters, max_norm, norm_type)
        results.append((total, [parameter.grad for parameter in parameters]))
    (my_total, my_grads), (their_total, their_grads) = results
    assert_same(my_total, their_total)
    for mine, theirs in zip(my_grads, their_grads):
        assert_same(mine, theirs, rtol=1e-5)


def test_clip_grad_norm_leaves_small_gradients_as_they_are():
    parameters = parameters_with_grads(ember, scale=1e-3)
    before = [parameter.grad.clone() for parameter in parameters]
    total = ember.nn.utils.clip_grad_norm_(parameters, max_norm=1.0)
    assert total.item() < 1.0
    for grad, old in zip((parameter.grad for parameter in parameters), before):
        assert ember.equal(grad, old)


def test_clip_grad_norm_skips_parameters_without_grads_and_takes_one_tensor():
    for t in (ember, torch):
        weight, bias = parameters_with_grads(t)
        bias.grad = None
        total = t.nn.utils.clip_grad_norm_((p for p in (weight, bias)), 1.0)
        single = t.nn.utils.clip_grad_norm_(weight, 0.5)
        if t is ember:
            mine = (total, single, weight.grad)
        else:
            theirs = (total, single, weight.grad)
    for my_value, their_value in zip(mine, theirs):
        assert_same(my_value, their_value, rtol=1e-5)


def test_no_gradients_give_a_zero_norm_and_an_empty_generator_warns():
    for t in (ember, torch):
        bare = parameters_with_grads(t, grads=False)
        total = t.nn.utils.clip_grad_norm_(bare, 1.0)
        assert (total.item(), str(total.dtype).split(".")[-1]) == (0.0, "float32")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            t.nn.utils.clip_grad_norm_((p for p in []), 1.0)
        assert ["empty generator" in str(w.message) for w in caught] == [True]


@pytest.mark.parametrize("bad", [math.inf, math.nan])
def test_a_nonfinite_norm_is_refused_only_when_asked(bad):
    outcomes = []
    for t in (ember, torch):
        parameters = parameters_with_grads(t)
        parameters[1].grad[0] = bad
        with pytest.raises(RuntimeError, match="non-finite"):
            t.nn.utils.clip_grad_norm_(parameters, 1.0, error_if_nonfinite=True)
        total = t.nn.utils.clip_grad_norm_(parameters, 1.0)
        outcomes.append((total.item(), parameters[0].grad.detach().numpy().tolist()))
    np.testing.assert_equal(outcomes[0], outcomes[1])  # NaNs where torch has them


@pytest.mark.parametrize("foreach", [None, True, False])
def test_foreach_changes_no_value(foreach):
    results = []
    for t in (ember, torch):
        parameters = parameters_with_grads(t)
        total = t.nn.utils.clip_grad_norm_(parameters, 1.0, foreach=foreach)
        t.nn.utils.clip_grad_value_(parameters, 0.1, foreach=foreach)
        results.append([total, *(parameter.grad for parameter in parameters)])
    for mine, theirs in zip(*results):
        assert_same(mine, theirs, rtol=1e-5)


@pytest.mark.parametrize("clip_value", [0.5, 3, 10.0])
def test_clip_grad_value_clamps_every_element(clip_value):
    grads = []
    for t in (ember, torch):
        parameters = parameters_with_grads(t)
        assert t.nn.utils.clip_grad_value_(parameters, clip_value) is None
        grads.append([parameter.grad for parameter in parameters])
    for mine, theirs in zip(*grads):
        assert_same(mine, theirs)


def test_total_norm_then_clipping_is_clip_grad_norm():
    results = []
    for t in (ember, torch):
        parameters = parameters_with_grads(t)
        grads = [parameter.grad for parameter in parameters]
        total = t.nn.utils.get_total_norm(grads, norm_type=3.0)
        t.nn.utils.clip_grads_with_norm_(parameters, 2.0, total)
        results.append([total, *grads, t.nn.utils.get_total_norm([])])
    for mine, theirs in zip(*results):
        assert_same(mine, theirs, rtol=1e-5)


def test_clipping_in_a_training_loop_follows_torch():
    """Ten SGD steps of a linear model whose gradients are clipped at every step."""
    rng = np.random.default_rng(0)
    features = rng.standard_normal((32, 3)).astype(np.float32)
    labels = (features @ [2.0, -3.4, 1.0] + 4.2).astype(np.float32)[:, None] * 10
    weights = []
    for t in (ember, torch):
        t.manual_seed(0)
        net = t.nn.Linear(3, 1)
        with t.no_grad():
            net.weight.copy_(t.tensor([[0.1, -0.2, 0.3]]))
            net.bias.fill_(0.0)
        optimizer = t.optim.SGD(net.parameters(), lr=0.1)
        for _ in range(10):
            loss = t.nn.functional.mse_loss(net(t.tensor(features)), t.tensor(labels))
            optimizer.zero_grad()
            loss.backward()
            t.nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0)
            optimizer.step()
        weights.append(t.nn.utils.parameters_to_vector(net.parameters()).detach().numpy())
    np.testing.assert_allclose(weights[0], weights[1], rtol=1e-5)


def test_parameters_to_vector_is_in_the_graph():
    grads = []
    for t in (ember, torch):
        parameters = parameters_with_grads(t, grads=False)
        vector = t.nn.utils.parameters_to_vector(parameters)
        assert tuple(vector.shape) == (6,)
        (vector * t.arange(6.0)).sum().backward()
        grads.append([parameter.grad for parameter in parameters])
    for mine, theirs in zip(*grads):
        assert_same(mine, theirs)


def test_vector_to_parameters_fills_them_in_order_over_the_vectors_memory():
    parameters = parameters_with_grads(ember, grads=False)
    vector = ember.arange(6.0)
    ember.nn.utils.vector_to_parameters(vector, parameters)
    assert parameters[0].tolist() == [[0.0, 1.0], [2.0, 3.0]]
    assert parameters[1].tolist() == [4.0, 5.0]
    vector[0] = 9.0  # the parameter's data is a view of the vector, as in torch
    assert parameters[0][0, 0].item() == 9.0
    for t in (ember, torch):
        with pytest.raises(TypeError, match="expected"):
            t.nn.utils.vector_to_parameters([1.0] * 6, parameters_with_grads(t))


def test_clip_grads_with_norm_takes_the_norm_as_a_tensor():
    """The norm is get_total_norm's tensor; a float is PyTorch's TypeError, not ember's
    AttributeError from inside."""

    def clipped(lib):
        parameter = lib.nn.Parameter(lib.tensor([3.0, -4.0]))
        parameter.grad = lib.tensor([3.0, -4.0])
        lib.nn.utils.clip_grads_with_norm_([parameter], 1.0, 20.0)

    check_error(clipped)
