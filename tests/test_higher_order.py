"""Higher-order gradients, autograd.grad, hooks, retain_grad, Jacobians and gradient checks
against PyTorch (A9, C1)."""

import numpy as np
import pytest
import torch
from test_autograd import same, same_error

import ember

POINTS = [0.5, 1.5, -2.0, 0.25]

FUNCTIONS = {
    "cube": lambda t, x: x**3,
    "sin": lambda t, x: t.sin(x),
    "cos": lambda t, x: t.cos(x),
    "exp": lambda t, x: t.exp(x),
    "tanh": lambda t, x: t.tanh(x),
    "sigmoid": lambda t, x: t.sigmoid(x),
    "log_square": lambda t, x: t.log(x * x),
    "sqrt": lambda t, x: (x * x + 1).sqrt(),
    "reciprocal": lambda t, x: 1 / (x * x + 1),
    "relu_square": lambda t, x: t.relu(x) ** 2,
    "product": lambda t, x: x * t.sin(x) * t.exp(-x),
    "pow_tensor": lambda t, x: (x * x + 1) ** x,
}


def derivatives(t, fn, order):
    """The first ``order`` derivatives of sum(fn(x)), each by autograd.grad(create_graph)."""
    x = t.tensor(POINTS, dtype=t.float64, requires_grad=True)
    out = fn(t, x).sum()
    found = []
    for _ in range(order):
        (out,) = t.autograd.grad(out, x, create_graph=True)
        found.append(out.detach())
        out = out.sum()
    return found


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_second_and_third_derivatives(name):
    fn = FUNCTIONS[name]
    same(lambda t: derivatives(t, fn, 3))


def test_second_derivative_of_cube_is_six_x():
    x = ember.tensor(POINTS, dtype=ember.float64, requires_grad=True)
    (first,) = ember.autograd.grad((x**3).sum(), x, create_graph=True)
    (second,) = ember.autograd.grad(first.sum(), x)
    np.testing.assert_allclose(second.numpy(), 6 * np.array(POINTS))


def test_backward_with_create_graph_then_backward_of_the_grad():
    def scenario(t):
        x = t.tensor(2.0, requires_grad=True)
        (x**3).backward(create_graph=True)
        first = x.grad
        has_graph = first.requires_grad
        x.grad = None
        first.backward()
        return first.detach(), has_graph, x.grad

    same(scenario)


def test_mixed_partial_derivatives():
    def scenario(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = t.tensor([3.0, -1.0], requires_grad=True)
        f = (x * x * y + t.sin(x * y)).sum()
        gx, gy = t.autograd.grad(f, (x, y), create_graph=True)
        (gxy,) = t.autograd.grad(gx.sum(), y, retain_graph=True)
        (gyx,) = t.autograd.grad(gy.sum(), x)
        return gx, gy, gxy, gyx

    same(scenario)


def test_first_grad_without_create_graph_has_no_history():
    def scenario(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        (g,) = t.autograd.grad((x**3).sum(), x)
        return g, g.requires_grad, g.grad_fn is None

    same(scenario)


def test_gradient_penalty_style_double_backward():
    def scenario(t):
        w = t.tensor([[0.5, -1.0], [2.0, 0.3]], requires_grad=True)
        x = t.tensor([[1.0, 2.0]], requires_grad=True)
        out = t.tanh(x @ w).sum()
        (gx,) = t.autograd.grad(out, x, create_graph=True)
        penalty = (gx * gx).sum()
        penalty.backward()
        return penalty, w.grad, x.grad

    same(scenario)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse_loss_double_backward_through_input_target_and_grad(reduction):
    """mse_loss's gradient is one node (MseLossBackward); its own backward must give
    torch's second derivatives by the input, the target and the incoming gradient."""

    def scenario(t):
        x = t.tensor([[1.0, 2.0], [3.0, -1.0]], requires_grad=True)
        y = t.tensor([[0.5, 2.5], [1.0, 0.0]], requires_grad=True)
        v = t.tensor([[1.0, 2.0], [0.5, 3.0]], requires_grad=True)
        loss = t.nn.functional.mse_loss(x * x, y, reduction=reduction)
        given = v if reduction == "none" else v.sum()
        gx, gy = t.autograd.grad(loss, (x, y), grad_outputs=given, create_graph=True)
        second = t.autograd.grad((gx * gx).sum() + (gy * gy * gy).sum(), (x, y, v))
        return gx.grad_fn.name(), gx, gy, second

    same(scenario)


def test_relu_gradient_node_and_its_own_backward():
    """relu's gradient is one node (ThresholdBackward); NaN passes its gradient, and the
    node's backward gives torch's derivative by the incoming gradient."""

    def scenario(t):
        x = t.tensor([-1.0, 0.0, 2.0, float("nan"), 3.0], requires_grad=True)
        v = t.tensor([1.0, 2.0, 3.0, 4.0, 5.0], requires_grad=True)
        (gx,) = t.autograd.grad(t.relu(x * 2), x, grad_outputs=v, create_graph=True)
        (gv,) = t.autograd.grad(t.relu(x), x, grad_outputs=v, create_graph=True)
        second = t.autograd.grad((gx * gx).sum() + (gv * gv).sum(), v)
        return gx, gv.grad_fn.name(), second

    same(scenario)


@pytest.mark.parametrize("dim", [1, 0])
def test_log_softmax_gradient_node_and_its_own_backward(dim):
    """log_softmax's gradient is one node (LogSoftmaxBackwardData); its backward must give
    torch's second derivatives by the input and by the incoming gradient."""

    def scenario(t):
        x = t.tensor([[1.0, 2.0, 0.5], [0.1, -1.0, 3.0]], requires_grad=True)
        v = t.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], requires_grad=True)
        log_probs = t.nn.functional.log_softmax(x * x, dim)
        (gx,) = t.autograd.grad(log_probs, x, grad_outputs=v, create_graph=True)
        (plain,) = t.autograd.grad(t.nn.functional.log_softmax(x, dim), x, v, create_graph=True)
        return plain.grad_fn.name(), gx, t.autograd.grad((gx**3).sum(), (x, v))

    same(scenario)


# autograd.grad ------------------------------------------------------------------------------


def test_grad_returns_a_tuple_and_leaves_dot_grad_alone():
    def scenario(t):
        a = t.tensor([1.0, 2.0], requires_grad=True)
        b = t.tensor([3.0, 4.0], requires_grad=True)
        found = t.autograd.grad((a * b).sum(), [a, b])
        return type(found) is tuple, found, a.grad is None, b.grad is None

    same(scenario)


def test_grad_of_an_intermediate_leaves_the_leaf_alone():
    def scenario(t):
        a = t.tensor([1.0, 2.0], requires_grad=True)
        h = a * 3
        (g,) = t.autograd.grad((h * h).sum(), h)
        return g, a.grad is None

    same(scenario)


def test_grad_with_respect_to_intermediate_and_leaf_together():
    def scenario(t):
        a = t.tensor([1.0, 2.0], requires_grad=True)
        h = a.exp()
        return t.autograd.grad((h * a).sum(), [h, a])

    same(scenario)


def test_grad_unused_input_is_refused_unless_allowed():
    def scenario(t):
        a = t.tensor([1.0, 2.0], requires_grad=True)
        b = t.tensor([3.0], requires_grad=True)
        t.autograd.grad((a * 2).sum(), [a, b])

    same_error(scenario, "appears to not have been used in the graph")

    def allowed(t):
        a = t.tensor([1.0, 2.0], requires_grad=True)
        b = t.tensor([3.0], requires_grad=True)
        unused = t.autograd.grad((a * 2).sum(), [a, b], allow_unused=True)
        zeros = t.autograd.grad((a * 2).sum(), [a, b], materialize_grads=True)
        return unused[0], unused[1] is None, zeros

    same(allowed)


def test_grad_outputs_and_several_outputs():
    def scenario(t):
        a = t.tensor([1.0, 2.0], requires_grad=True)
        weighted = t.autograd.grad(a * a, a, grad_outputs=t.tensor([1.0, 10.0]))
        summed = t.autograd.grad([(a * 2).sum(), (a * a).sum()], a)
        return weighted, summed

    same(scenario)


def test_grad_errors():
    same_error(
        lambda t: t.autograd.grad((t.ones(2, requires_grad=True) * 2).sum(), t.ones(2)),
        "does not require grad",
    )
    same_error(
        lambda t: (lambda a: t.autograd.grad(a * 2, a))(t.ones(2, requires_grad=True)),
        "grad can be implicitly created only for scalar outputs",
    )


def test_grad_frees_the_graph_unless_retained():
    def scenario(t):
        a = t.tensor([1.0, 2.0], requires_grad=True)
        s = (a * a).sum()
        t.autograd.grad(s, a)
        t.autograd.grad(s, a)

    same_error(scenario, "retain_graph=True")

    def retained(t):
        a = t.tensor([1.0, 2.0], requires_grad=True)
        s = (a * a).sum()
        return t.autograd.grad(s, a, retain_graph=True), t.autograd.grad(s, a)

    same(retained)


# Hooks and retain_grad ----------------------------------------------------------------------


def test_hook_on_leaf_changes_the_accumulated_grad():
    def scenario(t):
        x = t.ones(3, requires_grad=True)
        seen = []
        x.register_hook(lambda g: seen.append(g.clone()))
        x.register_hook(lambda g: g * 2)
        (x * 3).sum().backward()
        return seen, x.grad

    same(scenario)


def test_node_prehook_gets_and_returns_a_tuple_of_gradients():
    def scenario(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = (x * 3).exp()
        seen = []
        y.grad_fn.register_prehook(lambda grads: seen.append(type(grads).__name__))
        handle = y.grad_fn.register_prehook(lambda grads: (grads[0] * 10,))
        y.sum().backward(retain_graph=True)
        first = x.grad.clone()
        handle.remove()
        y.sum().backward()
        return seen, first, x.grad

    same(scenario)


def test_hook_on_non_leaf_changes_what_flows_upstream():
    def scenario(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        y.register_hook(lambda g: g * 10)
        (y * y).sum().backward()
        return x.grad, y.grad is None

    same(scenario)


def test_hook_handle_remove():
    def scenario(t):
        x = t.ones(2, requires_grad=True)
        handle = x.register_hook(lambda g: g * 100)
        handle.remove()
        (x * 2).sum().backward()
        return x.grad

    same(scenario)


def test_hooks_run_for_autograd_grad_too():
    def scenario(t):
        x = t.ones(2, requires_grad=True)
        x.register_hook(lambda g: g * 2)
        y = x * 1
        y.register_hook(lambda g: g * 5)
        return t.autograd.grad((y * 3).sum(), x)

    same(scenario)


def test_hook_on_tensor_without_grad_is_refused():
    same_error(lambda t: t.ones(2).register_hook(lambda g: g), "doesn't require")


def test_retain_grad_keeps_a_non_leaf_grad():
    def scenario(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        z = y * y
        y.retain_grad()
        z.sum().backward(retain_graph=True)
        first = y.grad.clone()
        z.sum().backward()
        return y.retains_grad, x.retains_grad, first, y.grad, z.grad is None

    same(scenario)


def test_retain_grad_sees_the_gradient_after_all_hooks():
    def scenario(t):
        x = t.ones(2, requires_grad=True)
        y = x * 3
        y.retain_grad()
        y.register_hook(lambda g: g * 10)
        (y * y).sum().backward()
        return y.grad, x.grad

    same(scenario)


def test_retain_grad_under_create_graph_keeps_the_gradients_history():
    """With create_graph=True a retained gradient can itself be differentiated, as a
    leaf's can (it was kept detached, so h.grad.sum().backward() raised)."""

    def scenario(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        h = x * x
        h.retain_grad()
        (h * h).sum().backward(create_graph=True)
        kept = (h.grad.clone(), h.grad.requires_grad, h.grad.grad_fn.name())
        x.grad = None
        h.grad.sum().backward()  # d(sum 2h)/dx = 4x
        return kept, x.grad

    same(scenario)


def test_retain_grad_on_a_leaf_does_nothing():
    def scenario(t):
        x = t.ones(2, requires_grad=True)
        x.retain_grad()
        (x * 2).sum().backward()
        return x.grad, x.retains_grad

    same(scenario)


def test_post_accumulate_grad_hook():
    def scenario(t):
        x = t.ones(2, requires_grad=True)
        seen = []
        x.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.clone()))
        (x * 4).sum().backward()
        return seen

    same(scenario)


# C1: gradient shapes, jacobian, hessian -----------------------------------------------------


def test_gradient_of_a_scalar_by_a_vector_has_the_vector_shape():
    def scenario(t):
        x = t.arange(4.0, requires_grad=True)
        A = t.arange(16.0).reshape(4, 4)
        results = []
        for f in (
            lambda: t.dot(x, x),
            lambda: x.norm(),
            lambda: x @ A @ x,
            lambda: x.sum(),
        ):
            x.grad = None
            f().backward()
            results.append((tuple(x.grad.shape), x.grad))
        return results

    same(scenario)


def test_gradient_of_a_scalar_by_a_matrix_has_the_matrix_shape():
    def scenario(t):
        X = t.arange(6.0, requires_grad=True).reshape(2, 3)
        X.retain_grad()
        W = t.arange(6.0, requires_grad=True).reshape(3, 2)
        (X @ W).norm().backward()
        return X.grad.shape, W.grad.shape if W.grad is not None else None

    same(scenario)


JACOBIAN_CASES = {
    "square": (lambda t, x: x**2, [(3,)]),
    "matrix_vector": (lambda t, x: t.arange(6.0, dtype=t.float64).reshape(2, 3) @ x, [(3,)]),
    "outer": (lambda t, x: t.outer(x, x), [(3,)]),
    "softmax_like": (lambda t, x: x.exp() / x.exp().sum(), [(4,)]),
    "matrix_in": (lambda t, x: x @ x.T, [(2, 3)]),
    "scalar_out": (lambda t, x: (x**2).sum(), [(3,)]),
    "scalar_in": (lambda t, x: x * t.arange(3.0, dtype=t.float64), [()]),
    "two_inputs": (lambda t, x, y: x * y + x, [(2,), (2,)]),
    "tuple_out": (lambda t, x: (x**2, x.sum()), [(2,)]),
    "constant": (lambda t, x: t.ones(2, dtype=t.float64), [(2,)]),
}


def make_inputs(t, shapes, seed=0):
    rng = np.random.default_rng(seed)
    return [t.tensor(rng.uniform(-1, 1, shape)) for shape in shapes]


@pytest.mark.parametrize("name", list(JACOBIAN_CASES))
def test_jacobian_matches_torch(name):
    fn, shapes = JACOBIAN_CASES[name]

    def scenario(t):
        inputs = make_inputs(t, shapes)
        args = tuple(inputs) if len(inputs) > 1 else inputs[0]
        return t.autograd.functional.jacobian(lambda *xs: fn(t, *xs), args)

    same(scenario)


HESSIAN_CASES = {
    "cube_sum": (lambda t, x: (x**3).sum(), [(3,)]),
    "quadratic_form": (
        lambda t, x: x @ t.arange(9.0, dtype=t.float64).reshape(3, 3) @ x,
        [(3,)],
    ),
    "log_sum_exp": (lambda t, x: x.exp().sum().log(), [(3,)]),
    "matrix_input": (lambda t, x: (x.sin() * x).sum(), [(2, 2)]),
    "two_inputs": (lambda t, x, y: (x * y * y).sum(), [(2,), (2,)]),
    "linear": (lambda t, x: x.sum() * 2, [(2,)]),
    "scalar": (lambda t, x: x**3, [()]),
}


@pytest.mark.parametrize("name", list(HESSIAN_CASES))
def test_hessian_matches_torch(name):
    fn, shapes = HESSIAN_CASES[name]

    def scenario(t):
        inputs = make_inputs(t, shapes)
        args = tuple(inputs) if len(inputs) > 1 else inputs[0]
        return t.autograd.functional.hessian(lambda *xs: fn(t, *xs), args)

    same(scenario)


def test_jacobian_create_graph_keeps_history():
    def scenario(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        jac = t.autograd.functional.jacobian(lambda v: v**3, x, create_graph=True)
        jac.sum().backward()
        return jac.detach(), jac.requires_grad, x.grad

    same(scenario)


def test_jacobian_and_hessian_errors():
    same_error(
        lambda t: t.autograd.functional.jacobian(lambda x: 3.0, t.ones(2)),
        "must be either a Tensor or a tuple of Tensors",
    )
    same_error(
        lambda t: t.autograd.functional.hessian(lambda x: x * 2, t.ones(2)),
        "should contain a single element",
    )


# gradcheck and gradgradcheck ----------------------------------------------------------------


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: (x**3).sin(),
        lambda t, x: x.exp() / x.exp().sum(),
        lambda t, x: t.tanh(x @ x.T),
        lambda t, x: x[1:].prod(),
        lambda t, x: t.sigmoid(x).norm(),
    ],
)
def test_gradcheck_and_gradgradcheck_pass_on_correct_ops(fn):
    rng = np.random.default_rng(1)
    data = rng.uniform(-1, 1, (3, 2))
    for t in (torch, ember):
        x = t.tensor(data, requires_grad=True)
        assert t.autograd.gradcheck(lambda v, t=t: fn(t, v), (x,))
        assert t.autograd.gradgradcheck(lambda v, t=t: fn(t, v), (x,))


def test_gradcheck_with_two_inputs():
    rng = np.random.default_rng(2)
    a, b = rng.uniform(-1, 1, (2, 3)), rng.uniform(-1, 1, (3, 2))
    for t in (torch, ember):
        x = t.tensor(a, requires_grad=True)
        y = t.tensor(b, requires_grad=True)
        assert t.autograd.gradcheck(lambda p, q, t=t: t.tanh(p @ q), (x, y))


class WrongSquare(ember.autograd.Function):
    """x * x with a wrong backward (forgets the factor 2)."""

    saves_inputs = True

    def forward(self, a):
        return a * a

    def backward(self, grad):
        (a,) = self.inputs
        return grad * a


class TorchWrongSquare(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a * a

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        return grad * a


class RightSquare(ember.autograd.Function):
    saves_inputs = True

    def forward(self, a):
        return a * a

    def backward(self, grad):
        (a,) = self.inputs
        return 2 * grad * a


def test_gradcheck_detects_a_wrong_gradient():
    data = np.array([0.5, -1.5, 2.0])
    x = torch.tensor(data, requires_grad=True)
    assert not torch.autograd.gradcheck(TorchWrongSquare.apply, (x,), raise_exception=False)
    with pytest.raises(RuntimeError):
        torch.autograd.gradcheck(TorchWrongSquare.apply, (x,))

    e = ember.tensor(data, requires_grad=True)
    assert not ember.autograd.gradcheck(WrongSquare.apply, (e,), raise_exception=False)
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        ember.autograd.gradcheck(WrongSquare.apply, (e,))
    assert ember.autograd.gradcheck(RightSquare.apply, (e,))


def test_gradgradcheck_detects_a_wrong_second_derivative():
    data = np.array([0.5, -1.5, 2.0])
    e = ember.tensor(data, requires_grad=True)

    # Right first derivative, but its backward is cut (detached): second derivative wrong.
    class CutSquare(ember.autograd.Function):
        saves_inputs = True

        def forward(self, a):
            return a * a

        def backward(self, grad):
            (a,) = self.inputs
            return 2 * grad * a.detach()

    assert ember.autograd.gradcheck(CutSquare.apply, (e,))
    assert not ember.autograd.gradgradcheck(CutSquare.apply, (e,), raise_exception=False)
    assert ember.autograd.gradgradcheck(RightSquare.apply, (e,))


def test_gradcheck_needs_an_input_that_requires_grad():
    same_error(
        lambda t: t.autograd.gradcheck(t.sin, (t.ones(2, dtype=t.float64),)),
        "at least one input tensor to require gradient",
    )


def test_gradcheck_refuses_float32():
    x = ember.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="float64"):
        ember.autograd.gradcheck(ember.sin, (x,))


# PyTorch-style custom Functions (static forward(ctx, ...) / backward(ctx, grad)) ----------


def scaled_exp_function(t):
    class ScaledExp(t.autograd.Function):
        @staticmethod
        def forward(ctx, x, scale):
            y = x.exp() * scale
            ctx.save_for_backward(y)
            ctx.scale = scale
            return y

        @staticmethod
        def backward(ctx, grad):
            (y,) = ctx.saved_tensors
            return grad * y, None

    return ScaledExp


def wrong_square_function(t):
    class Square(t.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a * a

        @staticmethod
        def backward(ctx, grad):
            (a,) = ctx.saved_tensors
            return grad * a  # wrong: forgets the factor 2

    return Square


def test_context_style_function_forward_backward_and_name():
    def scenario(t):
        fn = scaled_exp_function(t)
        x = t.tensor([0.5, 1.0], requires_grad=True)
        y = fn.apply(x, 3.0)
        info = (y.grad_fn.name(), y.requires_grad, y.is_leaf)
        y.sum().backward()
        with t.no_grad():
            off = fn.apply(x, 1.0).requires_grad
        constant = fn.apply(t.tensor([1.0]), 1.0).requires_grad
        return y, info, x.grad, off, constant

    same(scenario)


def test_context_style_function_frees_saved_tensors_and_double_backward():
    def scenario(t):
        x = t.tensor([0.5, 1.0], requires_grad=True)
        y = scaled_exp_function(t).apply(x, 2.0).sum()
        y.backward()
        y.backward()

    same_error(scenario, "retain_graph=True")

    def double(t):
        x = t.tensor([0.5, 1.0], requires_grad=True)
        y = scaled_exp_function(t).apply(x, 2.0)
        (g,) = t.autograd.grad(y.sum(), x, create_graph=True)
        (gg,) = t.autograd.grad(g.sum(), x)
        return g.detach(), gg

    same(double)


def test_context_style_function_needs_input_grad_and_identity():
    def scenario(t):
        seen = []

        class Identity(t.autograd.Function):
            @staticmethod
            def forward(ctx, a, b):
                seen.append(ctx.needs_input_grad)
                return a

            @staticmethod
            def backward(ctx, grad):
                return grad * 2, None

        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = Identity.apply(x, t.ones(2))
        y.sum().backward()
        return seen, y is x, x.grad

    same(scenario)


def test_gradcheck_detects_a_wrong_context_style_function():
    data = np.array([0.5, -1.5, 2.0])
    for t in (torch, ember):
        x = t.tensor(data, requires_grad=True)
        square = wrong_square_function(t)
        assert not t.autograd.gradcheck(square.apply, (x,), raise_exception=False)
        with pytest.raises(RuntimeError):
            t.autograd.gradcheck(square.apply, (x,))


def test_second_derivative_through_relu_is_zeros_not_unused():
    """relu's gradient is a step: PyTorch's second derivative is zeros, and the input
    counts as used."""
    grads = []
    for lib in (ember, torch):
        x = lib.tensor([1.0, -2.0, 0.5], requires_grad=True)
        (g,) = lib.autograd.grad(lib.relu(x).sum(), x, create_graph=True)
        (h,) = lib.autograd.grad(g.sum(), x)  # x is reached through relu's gradient only
        (k,) = lib.autograd.grad(
            lib.autograd.grad(lib.relu(x).sum(), x, create_graph=True)[0].mul(x).sum(), x
        )
        grads.append((h.tolist(), k.tolist()))
    assert grads[0] == grads[1] == ([0.0, 0.0, 0.0], [1.0, 0.0, 1.0])
