"""The graph's life cycle (A6): deep graphs without recursion, values saved for backward
freed after it, no reference cycles that would keep a graph alive past its last use.

Freeing is checked with weak references while the cyclic garbage collector is off, so a
graph counts as freed only when reference counting alone frees it.
"""

import gc
import math
import weakref

import numpy as np
import pytest
import torch
from test_autograd import same, same_error

import ember

DEPTH = 100_000


@pytest.fixture
def no_cycle_collector():
    gc.collect()
    gc.disable()
    yield
    gc.enable()


# Deep graphs --------------------------------------------------------------------------------


@pytest.mark.slow
def test_chain_100000_ops_deep_backpropagates():
    x = ember.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(DEPTH):
        y = y * 1.00001
    y.backward()
    factor = float(np.float32(1.00001))  # what a float32 tensor multiplies by
    assert math.isclose(x.grad.item(), factor**DEPTH, rel_tol=1e-3)


@pytest.mark.slow
def test_autograd_grad_through_a_deep_chain():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = x
    for _ in range(DEPTH // 2):
        y = y + 0.5
    (found,) = ember.autograd.grad((y * y).sum(), x)
    expected = 2 * (x.detach() + 0.5 * (DEPTH // 2))
    assert ember.allclose(found, expected)
    assert x.grad is None


@pytest.mark.slow
def test_deep_graph_is_freed_without_backward():
    x = ember.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(DEPTH):
        y = y + 1
    node = weakref.ref(y.grad_fn)
    del y  # must not overflow the C stack while the chain is torn down
    assert node() is None


def test_wide_graph_many_uses_of_one_leaf():
    def scenario(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        total = x * 0
        for k in range(2000):
            total = total + x * (k % 7)
        total.sum().backward()
        return x.grad

    same(scenario)


def test_diamond_graph_runs_each_node_once():
    calls = []

    class Counted(ember.autograd.Function):
        def forward(self, a):
            return a * 1

        def backward(self, grad):
            calls.append(1)
            return grad

    x = ember.tensor([1.0, 2.0], requires_grad=True)
    shared = Counted.apply(x * 2)
    y = shared * 3 + shared.exp() + shared
    y.sum().backward()
    assert len(calls) == 1
    expected = (3 + (x.detach() * 2).exp() + 1) * 2
    assert ember.allclose(x.grad, expected)


# Freeing what backward saved ----------------------------------------------------------------


def test_saved_intermediate_is_released_after_backward(no_cycle_collector):
    x = ember.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = x.exp()
    y = (h * h).sum()  # Mul saves h
    tensor_ref, array_ref = weakref.ref(h), weakref.ref(h._data)
    del h
    assert tensor_ref() is not None  # the graph needs it for backward
    y.backward()
    assert tensor_ref() is None and array_ref() is None
    assert y.grad_fn is not None  # the graph's structure stays; only saved values go


def test_saved_output_is_released_after_backward(no_cycle_collector):
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    h = x.exp()  # exp saves its output's array
    y = h.sum()
    tensor_ref, array_ref = weakref.ref(h), weakref.ref(h._data)
    del h
    assert tensor_ref() is None  # the node keeps the array, not the tensor
    assert array_ref() is not None
    y.backward()
    assert array_ref() is None


def test_retain_graph_keeps_saved_values_until_the_last_backward(no_cycle_collector):
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    y = (h * h).sum()
    ref = weakref.ref(h)
    del h
    y.backward(retain_graph=True)
    assert ref() is not None
    y.backward()
    assert ref() is None
    assert ember.allclose(x.grad, 2 * 18 * x.detach())


def test_backward_after_release_names_the_fix():
    def scenario(t):
        x = t.ones(2, requires_grad=True)
        y = (x.exp() * x).sum()
        y.backward()
        y.backward()

    error = same_error(scenario, "Specify retain_graph=True")
    assert "second time" in str(error)


def test_grad_with_retain_graph_then_without():
    def scenario(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = (x * x).sum()
        first = t.autograd.grad(y, x, retain_graph=True)
        second = t.autograd.grad(y, x)
        return first, second

    same(scenario)


def test_graph_is_freed_when_its_output_dies(no_cycle_collector):
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    nodes = [weakref.ref(y.grad_fn), weakref.ref(y.grad_fn.next_functions[0][0])]
    del y
    assert all(node() is None for node in nodes)


def test_graph_after_backward_is_freed_with_its_output(no_cycle_collector):
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = (x.sin() * x).sum()
    y.backward()
    node = weakref.ref(y.grad_fn)
    del y
    assert node() is None
    assert x.grad is not None


def test_leaf_accumulator_is_shared_kept_by_the_leaf_and_freed_with_it(no_cycle_collector):
    """ember keeps a leaf's AccumulateGrad for the leaf's life (not rebuilt each step,
    unlike PyTorch, which keeps it only while a graph does); it refers to the leaf
    weakly, so the leaf is still freed at once, with no cycle to collect."""
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    accumulator = weakref.ref(y.grad_fn.next_functions[0][0])
    del y
    assert (x * 3).grad_fn.next_functions[0][0] is accumulator()  # one per leaf, kept
    leaf = weakref.ref(x)
    del x
    assert leaf() is None and accumulator() is None


def test_write_through_view_leaves_no_reference_cycle(no_cycle_collector):
    x = ember.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    v = y[1:]
    v.mul_(3)
    loss = (y * y).sum()
    loss.backward()
    refs = [weakref.ref(y), weakref.ref(v), weakref.ref(y.grad_fn), weakref.ref(loss.grad_fn)]
    del y, v, loss
    assert all(ref() is None for ref in refs)
    assert ember.allclose(x.grad, ember.tensor([8.0, 144.0, 216.0]))


def test_no_graph_is_recorded_without_grad(no_cycle_collector):
    x = ember.ones(3)
    y = (x * 2).exp().sum()
    assert y.grad_fn is None and not y.requires_grad
    with ember.no_grad():
        w = ember.ones(3, requires_grad=True)
        z = (w * 2).sum()
    assert z.grad_fn is None


def test_leaf_grad_is_accumulated_in_place():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    (x * 2).sum().backward()
    grad, array = x.grad, x.grad._data
    (x * 3).sum().backward()
    assert x.grad is grad and x.grad._data is array
    assert ember.equal(x.grad, ember.tensor([5.0, 5.0]))


def test_first_grad_is_not_shared_between_leaves():
    def scenario(t):
        a = t.zeros(2, requires_grad=True)
        b = t.zeros(2, requires_grad=True)
        (a + b).sum().backward()
        a.grad.add_(1)
        return a.grad, b.grad

    same(scenario)


def test_torch_and_ember_agree_on_what_a_dead_output_frees(no_cycle_collector):
    for t in (torch, ember):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        h = x.exp()
        y = h.sum()
        ref = weakref.ref(h)
        del h
        assert ref() is None, t.__name__  # the graph keeps values, not the tensor objects
        y.backward()
