"""Grad modes against PyTorch (A7): no_grad, enable_grad, set_grad_enabled, inference_mode,
as context managers and as decorators, and the book's SGD step under no_grad."""

import pytest
import torch
from test_autograd import same

import ember


@pytest.fixture(autouse=True)
def grad_mode_is_restored():
    yield
    assert ember.is_grad_enabled() and torch.is_grad_enabled()
    assert not ember.is_inference_mode_enabled()


def records(t, x):
    y = x * 2
    return y.requires_grad, y.grad_fn is None, t.is_grad_enabled()


def test_no_grad_context():
    def scenario(t):
        x = t.ones(2, requires_grad=True)
        with t.no_grad():
            inside = records(t, x)
        return inside, records(t, x)

    assert same(scenario)[0] == (False, True, False)


def test_enable_grad_inside_no_grad():
    def scenario(t):
        x = t.ones(2, requires_grad=True)
        with t.no_grad():
            with t.enable_grad():
                inside = records(t, x)
            after = records(t, x)
        return inside, after

    same(scenario)


@pytest.mark.parametrize("style", ["called", "bare"])
def test_no_grad_as_decorator(style):
    def scenario(t):
        def double(x):
            return records(t, x)

        decorated = t.no_grad()(double) if style == "called" else t.no_grad(double)
        x = t.ones(2, requires_grad=True)
        return decorated(x), decorated.__name__, records(t, x)

    same(scenario)


@pytest.mark.parametrize("style", ["called", "bare"])
def test_enable_grad_as_decorator(style):
    def scenario(t):
        def double(x):
            return records(t, x)

        decorated = t.enable_grad()(double) if style == "called" else t.enable_grad(double)
        x = t.ones(2, requires_grad=True)
        with t.no_grad():
            return decorated(x), t.is_grad_enabled()

    same(scenario)


def test_decorated_generator_runs_each_step_in_the_mode():
    def scenario(t):
        @t.no_grad()
        def steps():
            for _ in range(3):
                yield t.is_grad_enabled()

        outside = []
        for inside in steps():
            outside.append((inside, t.is_grad_enabled()))
        return outside

    same(scenario)


def test_set_grad_enabled_as_function_context_and_decorator():
    def scenario(t):
        x = t.ones(2, requires_grad=True)
        t.set_grad_enabled(False)
        as_call = records(t, x)
        t.set_grad_enabled(True)
        with t.set_grad_enabled(False):
            in_context = records(t, x)
        after_context = records(t, x)

        @t.set_grad_enabled(False)
        def decorated(x):
            return records(t, x)

        return as_call, in_context, after_context, decorated(x), t.is_grad_enabled()

    same(scenario)


@pytest.mark.parametrize("mode", [True, False])
def test_set_grad_enabled_with_a_flag(mode):
    def scenario(t):
        x = t.ones(2, requires_grad=True)
        with t.no_grad():
            with t.set_grad_enabled(mode):
                inside = records(t, x)
        return inside

    same(scenario)


def test_inference_mode():
    def scenario(t):
        x = t.ones(2, requires_grad=True)
        with t.inference_mode():
            inside = (records(t, x), t.is_inference_mode_enabled())
        with t.inference_mode(False):
            off = (records(t, x), t.is_inference_mode_enabled())

        @t.inference_mode()
        def called(x):
            return records(t, x)

        @t.inference_mode
        def bare(x):
            return records(t, x)

        return inside, off, called(x), bare(x), t.is_inference_mode_enabled()

    same(scenario)


def test_mode_is_restored_after_an_exception():
    def scenario(t):
        for context in (t.no_grad, t.inference_mode, lambda: t.set_grad_enabled(False)):
            with pytest.raises(ValueError):
                with context():
                    raise ValueError("boom")
        return t.is_grad_enabled()

    same(scenario)


def test_backward_of_a_graph_built_before_no_grad_works_inside_it():
    def scenario(t):
        x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
        loss = (x * x.exp()).sum()
        with t.no_grad():
            loss.backward()
            still_off = t.is_grad_enabled()
        return x.grad, still_off

    same(scenario)


def test_grads_computed_under_no_grad_have_no_history():
    def scenario(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        loss = (x**3).sum()
        with t.no_grad():
            loss.backward()
        return x.grad.requires_grad, x.grad.grad_fn is None

    same(scenario)


def test_book_sgd_step_under_no_grad():
    """The notes' sgd: update parameters in place under no_grad, then zero the grads."""

    def sgd(t, params, lr, batch_size):
        with t.no_grad():
            for param in params:
                param -= lr * param.grad / batch_size
                param.grad.zero_()

    def scenario(t):
        w = t.tensor([[0.5], [-0.5]], requires_grad=True)
        b = t.zeros(1, requires_grad=True)
        X = t.tensor([[1.0, 2.0], [3.0, 4.0], [-1.0, 0.5]])
        y = t.tensor([[1.0], [2.0], [3.0]])
        history = []
        for _ in range(3):
            loss = ((X @ w + b - y) ** 2 / 2).sum()
            loss.backward()
            sgd(t, [w, b], 0.03, 3)
            history.append(loss.detach())
        return w, b, w.grad, b.grad, w.is_leaf, w.requires_grad, history

    same(scenario)


def test_update_outside_no_grad_is_refused():
    def scenario(t):
        w = t.ones(2, requires_grad=True)
        (w * w).sum().backward()
        w -= 0.1 * w.grad

    from test_autograd import same_error

    same_error(scenario, "a leaf Variable that requires grad is being used in an in-place")


def test_results_made_under_no_grad_can_start_a_new_graph():
    def scenario(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        with t.no_grad():
            y = x * 3
        y.requires_grad_(True)
        (y * y).sum().backward()
        return y.is_leaf, y.grad, x.grad

    same(scenario)


def test_modules_are_exported_where_torch_has_them():
    for name in ("no_grad", "enable_grad", "set_grad_enabled", "inference_mode"):
        assert getattr(ember.autograd, name) is getattr(ember, name)
        assert getattr(ember.autograd.grad_mode, name) is getattr(ember, name)
    assert ember.autograd.grad_mode.is_grad_enabled is ember.is_grad_enabled
