"""Adversarial checks on who owns a leaf's ``.grad`` (the engine's copy-or-adopt rule).

A leaf's first gradient becomes its ``.grad`` without a copy when the engine knows nobody
else holds the array (its own sums, ``fit_to_input``'s results, or a fresh non-view array
from an op with ``grads_are_new``: Matmul, TransposedMatmul, Linear). These tests try to
catch a ``.grad`` that shares memory with anything it must not: another leaf's ``.grad``,
the gradient given to backward, a tensor a custom backward returns, a tensor a hook kept,
an intermediate's retained grad, an op's output, a value saved for backward, or a view.

Most tests are scenarios run with torch and with ember (``same``): they change a ``.grad``
in place and return everything else, so PyTorch decides what must be left untouched; the
``shares`` helper asks both libraries whether two tensors share memory, so torch also
decides which tensors may alias.
"""

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_autograd import same, same_error

import ember

CYCLE_WARNING = "ignore:Using backward\\(\\) with create_graph=True:UserWarning"  # torch's
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def memory(value):
    """The array behind a torch or ember tensor (torch's ``numpy()`` shares its memory)."""
    if isinstance(value, torch.Tensor):
        return value.detach().numpy()
    return value._data


def shares(a, b):
    return bool(np.shares_memory(memory(a), memory(b)))


def no_two_share(*tensors):
    """One boolean per pair: do these two share memory? (torch's answer is the oracle)."""
    return [shares(a, b) for i, a in enumerate(tensors) for b in tensors[i + 1 :]]


def values(t, shape, seed, requires_grad=False):
    """Deterministic float32 values, the same in both libraries."""
    data = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    if data.size == 0:
        return t.zeros(shape, requires_grad=requires_grad)
    return t.tensor(data.tolist(), requires_grad=requires_grad)


def leaf(t, shape, seed):
    return values(t, shape, seed, requires_grad=True)


def returning_in_backward(t, gradient):
    """A custom Function: forward is ``value * 1``, backward returns ``gradient`` as it is
    (a tensor from outside the pass)."""

    class ReturnsGradient(t.autograd.Function):
        @staticmethod
        def forward(ctx, value):
            return value * 1

        @staticmethod
        def backward(ctx, grad):
            return gradient

    return ReturnsGradient


def snapshot(*tensors):
    """Copies of the current values, to compare after something was changed in place."""
    return [tensor.detach().clone() for tensor in tensors]


# Products of a leaf with itself, and a leaf used twice ------------------------------------


def test_a_products_weight_gradient_becomes_grad_without_a_copy(products_made):
    """A product's weight gradient is a new array nobody else holds: the leaf takes it."""
    from ember.nn.functional_ops import Linear

    x = ember.ones(4, 3)
    w = ember.ones(3, 2, requires_grad=True)
    (x @ w).sum().backward()
    assert w.grad._data is products_made[-1]
    weight = ember.ones(2, 3, requires_grad=True)
    ember.nn.functional.linear(x, weight).sum().backward()
    assert Linear.grads_are_new and weight.grad._data is products_made[-1]


def test_a_leaf_times_itself_gets_one_grad_of_its_own():
    def scenario(t):
        a = leaf(t, (3, 3), 0)
        out = a @ a
        given = values(t, (3, 3), 1)
        out.backward(given)
        before = snapshot(out, given, a)
        a.grad.add_(1)
        return no_two_share(a.grad, out, given, a), before, [out, given, a], a.grad

    same(scenario)


def test_a_chain_of_one_leaf_three_times():
    def scenario(t):
        a = leaf(t, (2, 2), 2)
        b = leaf(t, (2, 2), 3)
        (a @ a @ a @ b).sum().backward()
        b_before = b.grad.clone()
        a.grad.zero_()
        return no_two_share(a.grad, b.grad, a, b), b.grad, b_before, a.grad

    same(scenario)


def test_a_leaf_and_its_transpose_in_one_product():
    def scenario(t):
        a = leaf(t, (3, 2), 4)
        gram = a @ a.t()
        gram.sum().backward()
        a.grad.mul_(-1)
        return shares(a.grad, a), shares(a.grad, gram), a.grad, gram

    same(scenario)


def test_a_leaf_in_a_product_and_elsewhere():
    def scenario(t):
        x = leaf(t, (4, 3), 5)
        w = leaf(t, (3, 2), 6)
        loss = (x @ w).sum() + (w * 2).sum() + w.exp().mean()
        loss.backward()
        x_before = x.grad.clone()
        w.grad.add_(10)
        return no_two_share(x.grad, w.grad, x, w), x.grad, x_before, w.grad

    same(scenario)


def test_a_sum_of_two_leaves_under_a_product():
    """The product's new gradient reaches ``a + b``, whose backward hands it to both."""

    def scenario(t):
        a, b = leaf(t, (4, 3), 120), leaf(t, (4, 3), 121)
        w = leaf(t, (3, 2), 122)
        ((a + b) @ w).sum().backward()
        before = snapshot(b.grad, w.grad)
        a.grad.add_(1)
        return no_two_share(a.grad, b.grad, w.grad), before, b.grad, w.grad, a.grad

    same(scenario)


def test_a_product_grad_and_the_same_leaf_as_a_root():
    """``w`` is both a root (with the user's gradient) and under a product."""

    def scenario(t):
        x = values(t, (4, 3), 7)
        w = leaf(t, (3, 2), 8)
        given = values(t, (3, 2), 9)
        t.autograd.backward([(x @ w).sum(), w], [None, given])
        before = given.clone()
        w.grad.add_(1)
        return shares(w.grad, given), given, before, w.grad

    same(scenario)


def test_a_leaf_alone_as_the_root_never_takes_the_given_gradient():
    def scenario(t):
        w = leaf(t, (3,), 10)
        given = values(t, (3,), 11)
        w.backward(given)
        w.grad.add_(1)
        return shares(w.grad, given), given, w.grad

    same(scenario)


def test_one_leaf_twice_as_roots():
    def scenario(t):
        w = leaf(t, (3,), 12)
        first, second = values(t, (3,), 13), values(t, (3,), 14)
        t.autograd.backward([w, w], [first, second])
        w.grad.zero_()
        return no_two_share(w.grad, first, second), first, second, w.grad

    same(scenario)


# 1-d operands: the gradients are squeezed views of a product -------------------------------


@pytest.mark.parametrize(
    "shapes",
    [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((4, 2, 3), (3,)), ((3,), (4, 3, 2))],
    ids=["dot", "mv", "vm", "batched_mv", "v_batched"],
)
def test_one_dimensional_operands(shapes):
    def scenario(t):
        a = leaf(t, shapes[0], 15)
        b = leaf(t, shapes[1], 16)
        out = a @ b
        given = values(t, tuple(out.shape), 17)
        out.backward(given)
        before = snapshot(a.grad, b.grad, given, out)
        a.grad.add_(1)
        after_a = snapshot(b.grad, given, out)
        b.grad.mul_(3)
        return (
            no_two_share(a.grad, b.grad, a, b, given, out),
            before,
            after_a,
            [a.grad, b.grad, given, out],
        )

    same(scenario)


def test_dot_of_a_vector_with_itself():
    def scenario(t):
        v = leaf(t, (4,), 18)
        out = t.dot(v, v)
        out.backward()
        v.grad.add_(1)
        return shares(v.grad, v), v.grad, v

    same(scenario)


def test_one_dimensional_grad_is_not_a_view_of_anything_ember_keeps():
    """A squeezed product is a view (``base`` set): the leaf copies it, never adopts it."""
    a = ember.ones(3, requires_grad=True)
    b = ember.ones(3, 2, requires_grad=True)
    (a @ b).sum().backward()
    assert a.grad._data.base is None and b.grad._data.base is None
    assert not np.shares_memory(a.grad._data, b.grad._data)


@pytest.mark.parametrize(
    "op, shapes",
    [
        ("mm", ((4, 3), (3, 2))),
        ("bmm", ((2, 4, 3), (2, 3, 2))),
        ("mv", ((4, 3), (3,))),
        ("matmul", ((3,), (2, 3, 4))),
        ("inner", ((3,), (3,))),
    ],
)
def test_named_products(op, shapes):
    def scenario(t):
        a, b = leaf(t, shapes[0], 101), leaf(t, shapes[1], 102)
        out = getattr(t, op)(a, b)
        out.sum().backward()
        b_before = b.grad.clone()
        a.grad.add_(1)
        return no_two_share(a.grad, b.grad, a, b, out), b_before, b.grad, a.grad

    same(scenario)


@pytest.mark.parametrize("dtype", ["float16", "float64"])
def test_products_in_other_float_dtypes(dtype):
    def scenario(t):
        a = leaf(t, (4, 3), 103).to(getattr(t, dtype)).detach().requires_grad_()
        b = leaf(t, (3, 2), 104).to(getattr(t, dtype)).detach().requires_grad_()
        out = a @ b
        out.sum().backward()
        b_before = b.grad.clone()
        a.grad.zero_()
        return no_two_share(a.grad, b.grad, out), b_before, b.grad, a.grad

    same(scenario)


def test_a_slice_of_a_leaf_times_the_leaf():
    """The slice's gradient reaches the leaf through a view node: never adopted as is."""

    def scenario(t):
        w = leaf(t, (3, 3), 105)
        out = w[:2] @ w
        out.sum().backward()
        w.grad.add_(1)
        return shares(w.grad, w), shares(w.grad, out), w.grad, out

    same(scenario)


def test_a_scalar_leaf_used_twice():
    def scenario(t):
        s = leaf(t, (), 106)
        x = leaf(t, (3,), 107)
        ((s * x).sum() + (s * x.exp()).sum()).backward()
        x_before = x.grad.clone()
        s.grad.add_(1)
        return no_two_share(s.grad, x.grad), s.grad, x.grad, x_before

    same(scenario)


def test_empty_batches():
    def scenario(t):
        x = leaf(t, (0, 3), 108)
        w = leaf(t, (3, 2), 109)
        weight = leaf(t, (2, 3), 110)
        bias = leaf(t, (2,), 111)
        ((x @ w).sum() + t.nn.functional.linear(x, weight, bias).sum()).backward()
        for p in (w, weight, bias):
            p.grad.add_(1)
        return w.grad, weight.grad, bias.grad, x.grad.shape

    same(scenario)


# Batched and broadcast products: the gradient is summed back -------------------------------


@pytest.mark.parametrize(
    "shapes",
    [
        ((2, 4, 3), (3, 2)),
        ((4, 3), (2, 3, 2)),
        ((2, 4, 3), (1, 3, 2)),
        ((1, 4, 3), (2, 3, 2)),
        ((2, 1, 4, 3), (3, 3, 2)),
        ((2, 4, 3), (2, 3, 2)),
    ],
    ids=["batch_left", "batch_right", "stretched_right", "stretched_left", "both", "bmm"],
)
def test_broadcast_products(shapes):
    def scenario(t):
        a = leaf(t, shapes[0], 19)
        b = leaf(t, shapes[1], 20)
        out = a @ b
        given = values(t, tuple(out.shape), 21)
        out.backward(given)
        b_before = b.grad.clone()
        a.grad.zero_()
        a_after = a.grad.clone()
        b.grad.add_(2)
        return no_two_share(a.grad, b.grad, a, b, given, out), b_before, a_after, b.grad, given

    same(scenario)


def test_one_weight_under_two_broadcast_products():
    def scenario(t):
        w = leaf(t, (3, 2), 22)
        x1, x2 = values(t, (2, 4, 3), 23), values(t, (5, 3), 24)
        ((x1 @ w).sum() + (x2 @ w).pow(2).sum()).backward()
        w.grad.add_(1)
        return shares(w.grad, w), w.grad

    same(scenario)


# Linear -------------------------------------------------------------------------------------


@pytest.mark.parametrize("input_shape", [(3,), (5, 3), (2, 4, 3)], ids=["1d", "2d", "3d"])
@pytest.mark.parametrize("with_bias", [True, False], ids=["bias", "no_bias"])
def test_linear_grads_are_each_their_own(input_shape, with_bias):
    def scenario(t):
        x = leaf(t, input_shape, 25)
        weight = leaf(t, (2, 3), 26)
        bias = leaf(t, (2,), 27) if with_bias else None
        out = t.nn.functional.linear(x, weight, bias)
        given = values(t, tuple(out.shape), 28)
        out.backward(given)
        grads = [x.grad, weight.grad] + ([bias.grad] if with_bias else [])
        held = grads + [x, weight, given, out] + ([bias] if with_bias else [])
        overlap = no_two_share(*held)
        before = snapshot(*held)
        for grad in grads:
            grad.add_(1)
        return overlap, before, held

    same(scenario)


def test_linear_with_a_one_dimensional_weight():
    """A 1-d weight goes through matmul, whose gradient for it is a squeezed view."""

    def scenario(t):
        x = leaf(t, (4, 3), 112)
        weight = leaf(t, (3,), 113)
        out = t.nn.functional.linear(x, weight)
        out.sum().backward()
        x_before = x.grad.clone()
        weight.grad.add_(1)
        return no_two_share(x.grad, weight.grad, out), x.grad, x_before, weight.grad

    same(scenario)


def test_linear_with_the_same_leaf_as_input_and_weight():
    def scenario(t):
        w = leaf(t, (3, 3), 29)
        out = t.nn.functional.linear(w, w, None)
        out.sum().backward()
        w.grad.add_(1)
        return shares(w.grad, w), shares(w.grad, out), w.grad, out

    same(scenario)


def test_linear_with_one_vector_as_input_and_bias():
    def scenario(t):
        v = leaf(t, (3,), 30)
        weight = leaf(t, (3, 3), 31)
        out = t.nn.functional.linear(v, weight, v)
        out.sum().backward()
        v.grad.add_(1)
        return no_two_share(v.grad, weight.grad, v), weight.grad, v.grad

    same(scenario)


def test_tied_weights_in_two_linears():
    def scenario(t):
        weight = leaf(t, (3, 3), 32)
        b1, b2 = leaf(t, (3,), 33), leaf(t, (3,), 34)
        x = values(t, (4, 3), 35)
        hidden = t.nn.functional.linear(x, weight, b1).tanh()
        t.nn.functional.linear(hidden, weight, b2).sum().backward()
        grads = [weight.grad, b1.grad, b2.grad]
        overlap = no_two_share(*grads)
        before = snapshot(b1.grad, b2.grad)
        weight.grad.zero_()
        return overlap, before, [b1.grad, b2.grad], weight.grad

    same(scenario)


def test_a_module_weight_and_a_view_of_it():
    """The weight reaches its leaf twice: from Linear, and through a transpose view."""

    def scenario(t):
        layer = t.nn.Linear(3, 3, bias=False)
        with t.no_grad():
            layer.weight.copy_(values(t, (3, 3), 36))
        x = values(t, (2, 3), 37)
        (layer(x) + x @ layer.weight.t()).sum().backward()
        layer.weight.grad.add_(1)
        return shares(layer.weight.grad, layer.weight), layer.weight.grad

    same(scenario)


# retain_graph, inputs=, autograd.grad, create_graph ----------------------------------------


def test_second_backward_accumulates_into_the_adopted_grad():
    def scenario(t):
        x = leaf(t, (4, 3), 38)
        w = leaf(t, (3, 2), 39)
        out = x @ w
        out.sum().backward(retain_graph=True)
        first_w, first_x = w.grad, x.grad
        w.grad.mul_(100)  # a saved value shared with a grad would change the second pass
        x.grad.mul_(100)
        out.pow(2).sum().backward()
        return first_w is w.grad, first_x is x.grad, w.grad, x.grad, x, w, out

    same(scenario)


def test_grad_set_to_none_between_retained_passes():
    def scenario(t):
        x = leaf(t, (4, 3), 40)
        w = leaf(t, (3, 2), 41)
        out = t.nn.functional.linear(x, w.t())
        out.sum().backward(retain_graph=True)
        first = w.grad
        w.grad = None
        out.sum().backward()
        w.grad.add_(1)
        return shares(first, w.grad), first, w.grad

    same(scenario)


def test_grad_the_user_assigned_is_accumulated_into():
    """A ``.grad`` the user set is theirs to share: both libraries add into it in place."""

    def scenario(t):
        w = leaf(t, (3, 2), 42)
        mine = t.zeros(3, 2)
        w.grad = mine
        (values(t, (4, 3), 43) @ w).sum().backward()
        big = t.zeros(4, 2)
        v = leaf(t, (2,), 114)
        v.grad = big[1]  # a view: accumulating writes into the array it looks into
        (values(t, (3, 2), 115) @ v).sum().backward()
        return w.grad is mine, mine, big

    same(scenario)


def test_backward_with_inputs_copies_what_it_captured():
    def scenario(t):
        x = leaf(t, (4, 3), 44)
        w = leaf(t, (3, 2), 45)
        out = x @ w
        given = values(t, (4, 2), 46)
        out.backward(given, inputs=[w])
        w.grad.add_(1)
        return x.grad is None, shares(w.grad, given), given, w.grad

    same(scenario)


def test_backward_with_inputs_on_a_leaf_used_twice():
    def scenario(t):
        a = leaf(t, (3, 3), 47)
        b = leaf(t, (3, 3), 48)
        (a @ a + a @ b).sum().backward(inputs=[a, b])
        a_before = a.grad.clone()
        b.grad.zero_()
        return no_two_share(a.grad, b.grad), a.grad, a_before

    same(scenario)


def test_backward_with_inputs_and_a_hook_on_the_leaf():
    def scenario(t):
        x = values(t, (4, 3), 116)
        w = leaf(t, (3, 2), 117)
        seen = []
        w.register_hook(seen.append)
        (x @ w).sum().backward(inputs=[w])
        w.grad.add_(1)
        return shares(w.grad, seen[0]), seen[0], w.grad

    same(scenario)


def test_autograd_grad_results_and_a_later_grad_do_not_alias():
    def scenario(t):
        x = leaf(t, (4, 3), 49)
        w = leaf(t, (3, 2), 50)
        out = x @ w
        gw, gx = t.autograd.grad(out.sum(), [w, x], retain_graph=True)
        out.sum().backward()
        w.grad.add_(1)
        x.grad.add_(1)
        return no_two_share(gw, gx, w.grad, x.grad), gw, gx, w.grad, x.grad

    same(scenario)


def test_create_graph_product_grads_then_a_gradient_penalty():
    def scenario(t):
        x = leaf(t, (4, 3), 51)
        w = leaf(t, (3, 2), 52)
        loss = (x @ w).tanh().sum()
        (gw,) = t.autograd.grad(loss, w, create_graph=True)
        penalty = gw.pow(2).sum() + loss
        penalty.backward()
        grads = snapshot(x.grad, w.grad)
        w.grad.add_(1)
        return no_two_share(x.grad, w.grad, gw), grads, x.grad, w.grad, gw

    same(scenario)


@pytest.mark.filterwarnings(CYCLE_WARNING)
def test_create_graph_backward_grads_of_a_product():
    def scenario(t):
        x = leaf(t, (4, 3), 53)
        w = leaf(t, (3, 2), 54)
        out = x @ w
        given = values(t, (4, 2), 55)
        out.backward(given, create_graph=True)
        first = snapshot(x.grad, w.grad)
        (w.grad.pow(2).sum() + x.grad.sum()).backward()  # accumulates into both .grads
        return no_two_share(x.grad, w.grad, given, out), first, given, x.grad, w.grad

    same(scenario)


@pytest.mark.filterwarnings(CYCLE_WARNING)
def test_create_graph_never_shares_the_given_gradient_between_leaves():
    def scenario(t):
        w = t.zeros(2, requires_grad=True)
        x = t.zeros(2, requires_grad=True)
        given = t.ones(2)
        (w + x).backward(given, create_graph=True)
        overlap = no_two_share(w.grad, x.grad, given)
        w.grad.add_(1)
        return overlap, given, x.grad, w.grad

    same(scenario)


@pytest.mark.filterwarnings(CYCLE_WARNING)
def test_create_graph_never_adopts_the_given_gradient_of_a_leaf_root():
    def scenario(t):
        w = t.zeros(3, requires_grad=True)
        given = t.ones(3)
        w.backward(given, create_graph=True)
        aliased = shares(w.grad, given)
        w.grad.add_(1)
        return aliased, given, w.grad

    same(scenario)


# Hooks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("op", ["matmul", "linear", "broadcast"])
def test_a_leaf_hook_that_keeps_the_grad(op):
    def scenario(t):
        x = values(t, (2, 4, 3) if op == "broadcast" else (4, 3), 56)
        w = leaf(t, (2, 3) if op == "linear" else (3, 2), 57)
        seen = []
        w.register_hook(seen.append)
        out = t.nn.functional.linear(x, w) if op == "linear" else x @ w
        out.sum().backward()
        kept = seen[0].clone()
        w.grad.add_(1)
        return shares(w.grad, seen[0]), seen[0], kept, w.grad

    same(scenario)


def test_a_leaf_hook_that_returns_a_tensor_it_keeps():
    def scenario(t):
        x = values(t, (4, 3), 58)
        w = leaf(t, (3, 2), 59)
        kept = []

        def replace(grad):
            kept.append(grad * 2)
            return kept[-1]

        w.register_hook(replace)
        (x @ w).sum().backward()
        w.grad.zero_()
        return shares(w.grad, kept[0]), kept[0], w.grad

    same(scenario)


def test_a_removed_hook_no_longer_forces_a_copy_and_values_agree():
    def scenario(t):
        x = values(t, (4, 3), 60)
        w = leaf(t, (3, 2), 61)
        seen = []
        handle = w.register_hook(seen.append)
        handle.remove()
        (x @ w).sum().backward()
        w.grad.add_(1)
        return len(seen), w.grad

    same(scenario)


def test_an_accumulator_prehook_that_returns_a_tensor_it_keeps():
    def scenario(t):
        x = values(t, (4, 3), 62)
        w = leaf(t, (3, 2), 63)
        out = (x @ w).sum()
        accumulator = out.grad_fn.next_functions[0][0].next_functions[1][0]
        kept = []

        def replace(grads):
            kept.append(grads[0] + 1)
            return (kept[-1],)

        accumulator.register_prehook(replace)
        out.backward()
        w.grad.mul_(5)
        return shares(w.grad, kept[0]), kept[0], w.grad

    same(scenario)


def test_an_accumulator_prehook_seen_over_two_passes():
    def scenario(t):
        x = values(t, (4, 3), 64)
        w = leaf(t, (3, 2), 65)
        out = (x @ w).sum()
        accumulator = out.grad_fn.next_functions[0][0].next_functions[1][0]
        seen = []
        accumulator.register_prehook(lambda grads: seen.append(grads[0]))
        out.backward(retain_graph=True)
        w.grad = None
        out.backward()
        w.grad.add_(1)
        return len(seen), [shares(w.grad, grad) for grad in seen], seen, w.grad

    same(scenario)


def test_a_hook_on_the_product_output_keeps_its_own_grad():
    def scenario(t):
        x = leaf(t, (4, 3), 66)
        w = leaf(t, (3, 2), 67)
        out = x @ w
        seen = []
        out.register_hook(seen.append)
        out.exp().sum().backward()
        kept = seen[0].clone()
        w.grad.add_(1)
        x.grad.add_(1)
        return no_two_share(w.grad, x.grad, seen[0]), seen[0], kept

    same(scenario)


def test_a_post_accumulate_hook_sees_the_grad_itself():
    def scenario(t):
        x = values(t, (4, 3), 68)
        w = leaf(t, (3, 2), 69)
        seen = []
        w.register_post_accumulate_grad_hook(lambda param: seen.append(param.grad))
        (x @ w).sum().backward()
        return seen[0] is w.grad, w.grad

    same(scenario)


# retain_grad on intermediates -----------------------------------------------------------------


def test_retained_grads_of_intermediates_around_products():
    def scenario(t):
        x = values(t, (4, 3), 70)
        w = leaf(t, (3, 3), 71)
        v = leaf(t, (3, 2), 72)
        hidden = x @ w
        hidden.retain_grad()
        scaled = w * 1  # an intermediate whose grad the product makes
        scaled.retain_grad()
        out = hidden @ v + (x @ scaled @ v)
        out.retain_grad()
        out.sum().backward()
        held = [w.grad, v.grad, hidden.grad, scaled.grad, out.grad]
        overlap = no_two_share(*held)
        before = snapshot(*held)
        w.grad.add_(1)
        v.grad.zero_()
        return overlap, before, hidden.grad, scaled.grad, out.grad

    same(scenario)


def test_retained_grad_of_a_linear_output():
    def scenario(t):
        x = leaf(t, (4, 3), 73)
        weight = leaf(t, (2, 3), 74)
        out = t.nn.functional.linear(x, weight)
        out.retain_grad()
        out.tanh().sum().backward()
        kept = out.grad.clone()
        weight.grad.add_(1)
        x.grad.add_(1)
        return no_two_share(out.grad, weight.grad, x.grad), out.grad, kept

    same(scenario)


def test_backward_with_inputs_on_a_retained_intermediate():
    def scenario(t):
        x = leaf(t, (2,), 75)
        hidden = x * 2
        hidden.retain_grad()
        (hidden * 3).sum().backward(inputs=[hidden])
        return hidden.grad, x.grad is None

    same(scenario)


# Custom functions ------------------------------------------------------------------------------


def test_custom_backward_feeding_a_product():
    """A custom backward returns the user's tensor; the product below makes new arrays."""

    def scenario(t):
        outside = values(t, (4, 2), 76)
        Passes = returning_in_backward(t, outside)
        x = leaf(t, (4, 3), 77)
        w = leaf(t, (3, 2), 78)
        Passes.apply(x @ w).sum().backward()
        kept = outside.clone()
        w.grad.add_(1)
        x.grad.add_(1)
        return no_two_share(w.grad, x.grad, outside), outside, kept

    same(scenario)


def test_custom_backward_that_keeps_the_product_it_returns():
    """A custom backward made its gradient with a product but also kept it: not adopted."""

    def scenario(t):
        kept = []

        class KeepsIt(t.autograd.Function):
            @staticmethod
            def forward(ctx, weight, x):
                ctx.save_for_backward(x)
                return x @ weight

            @staticmethod
            def backward(ctx, grad):
                (x,) = ctx.saved_tensors
                kept.append(x.t() @ grad)
                return kept[-1], None

        w = leaf(t, (3, 2), 118)
        KeepsIt.apply(w, values(t, (4, 3), 119)).sum().backward()
        before = kept[0].clone()
        w.grad.add_(1)
        return shares(w.grad, kept[0]), kept[0], before, w.grad

    same(scenario)


def test_custom_backward_returning_one_tensor_to_two_leaves():
    def scenario(t):
        outside = values(t, (3,), 79)

        class Both(t.autograd.Function):
            @staticmethod
            def forward(ctx, a, b):
                return a + b

            @staticmethod
            def backward(ctx, grad):
                return outside, outside

        a, b = leaf(t, (3,), 80), leaf(t, (3,), 81)
        Both.apply(a, b).sum().backward()
        a.grad.add_(1)
        return no_two_share(a.grad, b.grad, outside), outside, b.grad, a.grad

    same(scenario)


def test_custom_backward_gradient_of_another_dtype_is_cast_into_a_new_array():
    def scenario(t):
        outside = t.ones(3, dtype=t.float64)
        Wide = returning_in_backward(t, outside)
        w = leaf(t, (3,), 82)
        Wide.apply(w).sum().backward()
        w.grad.add_(1)
        return w.grad, outside

    same(scenario)


def test_custom_backward_gradient_broadcast_back_to_the_leaf():
    def scenario(t):
        outside = values(t, (2, 3), 83)
        Wider = returning_in_backward(t, outside)
        w = leaf(t, (1, 3), 84)
        Wider.apply(w).sum().backward()
        w.grad.add_(1)
        return shares(w.grad, outside), outside, w.grad

    same(scenario)


@pytest.mark.parametrize("shapes", [((2, 1), (2, 3)), ((2, 3), (3, 2)), ((3,), (1, 3))], ids=str)
def test_a_wrong_shaped_custom_gradient_is_refused(shapes):
    returned, expected = shapes

    def scenario(t):
        outside = t.ones(returned)
        Wrong = returning_in_backward(t, outside)
        w = t.zeros(expected, requires_grad=True)
        Wrong.apply(w).sum().backward()

    same_error(scenario, "invalid gradient")


# Optimizers stepping with adopted grads ---------------------------------------------------------


def _two_layer(t, seed):
    first, second = t.nn.Linear(3, 4), t.nn.Linear(4, 2, bias=False)
    with t.no_grad():
        first.weight.copy_(values(t, (4, 3), seed))
        first.bias.copy_(values(t, (4,), seed + 1))
        second.weight.copy_(values(t, (2, 4), seed + 2))
    extra = leaf(t, (2, 2), seed + 3)
    return first, second, extra


@pytest.mark.parametrize(
    "make, set_to_none",
    [
        (lambda t, params: t.optim.SGD(params, lr=0.1), True),
        (lambda t, params: t.optim.SGD(params, lr=0.1, momentum=0.9), True),
        (lambda t, params: t.optim.SGD(params, lr=0.1, momentum=0.9), False),
        (lambda t, params: t.optim.SGD(params, lr=0.1, momentum=0.9, nesterov=True), True),
        (lambda t, params: t.optim.Adam(params, lr=0.05), True),
        (lambda t, params: t.optim.Adam(params, lr=0.05, amsgrad=True), False),
    ],
    ids=["sgd", "momentum", "momentum_zeroed", "nesterov", "adam", "amsgrad_zeroed"],
)
def test_optimizers_step_with_adopted_grads(make, set_to_none):
    def scenario(t):
        first, second, extra = _two_layer(t, 85)
        params = [*first.parameters(), *second.parameters(), extra]
        optimizer = make(t, params)
        x = values(t, (5, 3), 90)
        grads_seen = []
        for step in range(3):
            optimizer.zero_grad(set_to_none=set_to_none)
            out = second(first(x).tanh()) @ extra
            out.pow(2).mean().backward()
            grads_seen.append([p.grad.clone() for p in params])
            optimizer.step()
            state = [optimizer.state[p] for p in params]
            for p in params:
                p.grad.add_(step + 1)  # a buffer that is a .grad would change with it
            buffers = [
                [entry[key].clone() for key in sorted(entry) if key != "step"] for entry in state
            ]
        overlap = [
            shares(p.grad, value)
            for p, entry in zip(params, state)
            for key, value in sorted(entry.items())
            if key != "step"
        ]
        return overlap, buffers, grads_seen, [p.detach() for p in params]

    same(scenario)


def test_zero_grad_keeping_the_arrays_between_steps():
    def scenario(t):
        first, second, extra = _two_layer(t, 91)
        params = [*first.parameters(), *second.parameters(), extra]
        x = values(t, (5, 3), 95)
        arrays = []
        for _ in range(2):
            for p in params:
                if p.grad is not None:
                    p.grad.zero_()
            (second(first(x)) @ extra).sum().backward()
            arrays.append([p.grad for p in params])
        same_objects = [a is b for a, b in zip(*arrays)]
        return same_objects, no_two_share(*arrays[1]), arrays[1]

    same(scenario)


# In-place changes to .grad after backward change nothing else -----------------------------------


def test_every_array_in_a_small_network_is_left_alone_by_grad_edits():
    def scenario(t):
        x = leaf(t, (2, 3, 4), 96)
        w1 = leaf(t, (5, 4), 97)
        b1 = leaf(t, (5,), 98)
        w2 = leaf(t, (5, 2), 99)
        hidden = t.nn.functional.linear(x, w1, b1)
        hidden.retain_grad()
        act = hidden.relu()
        out = act @ w2
        given = values(t, (2, 3, 2), 100)
        seen = []
        out.register_hook(seen.append)
        out.backward(given)
        grads = [x.grad, w1.grad, b1.grad, w2.grad]
        others = [x, w1, b1, w2, hidden, act, out, given, hidden.grad, seen[0]]
        overlap = [shares(g, o) for g in grads for o in others] + no_two_share(*grads)
        before = snapshot(*others)
        for grad in grads:
            grad.add_(7)
        middle = snapshot(*others)
        for grad in grads:
            grad.zero_()
        return overlap, before, middle, others

    same(scenario)


# Direct checks on ember's arrays -----------------------------------------------------------------


def _assert_no_sharing(arrays):
    for i, a in enumerate(arrays):
        for b in arrays[i + 1 :]:
            assert not np.shares_memory(a, b)


def test_adopted_grads_share_nothing_ember_holds():
    x = ember.randn(2, 4, 3, requires_grad=True)
    w = ember.randn(3, 3, requires_grad=True)
    v = ember.randn(3, requires_grad=True)
    weight = ember.randn(2, 3, requires_grad=True)
    bias = ember.randn(2, requires_grad=True)
    hidden = x @ w
    hidden.retain_grad()
    mixed = hidden @ w + hidden * v
    out = ember.nn.functional.linear(mixed, weight, bias)
    given = ember.randn(2, 4, 2)
    out.backward(given)
    leaves = [x, w, v, weight, bias]
    arrays = [t.grad._data for t in leaves] + [t._data for t in leaves]
    arrays += [hidden._data, hidden.grad._data, mixed._data, out._data, given._data]
    _assert_no_sharing(arrays)
    assert all(t.grad._data.base is None for t in leaves)  # none is a view into anything


def test_grads_saved_for_a_retained_pass_are_not_the_leaf_grads():
    """With retain_graph=True the nodes still hold their inputs: no .grad may be one."""
    x = ember.randn(4, 3, requires_grad=True)
    w = ember.randn(3, 3, requires_grad=True)
    out = ember.nn.functional.linear(x @ w, w)
    out.sum().backward(retain_graph=True)
    saved = []
    stack = [out.grad_fn]
    while stack:
        node = stack.pop()
        for value, _ in getattr(node, "saved_inputs", None) or ():  # (tensor or value, version)
            if isinstance(value, ember.Tensor):
                saved.append(value._data)
        stack.extend(edge[0] for edge in node.edges if edge is not None)
    assert len(saved) == 4  # Linear's x @ w and w, Matmul's x and w
    for grad in (x.grad._data, w.grad._data):
        assert not any(np.shares_memory(grad, array) for array in saved)


# Properties over random shapes -----------------------------------------------------------------


@st.composite
def product_shapes(draw):
    """Operand shapes for matmul: 1-d to 4-d, batch dims broadcasting (sizes may be 1)."""
    n, k, m = (draw(st.integers(1, 3)) for _ in range(3))
    batch = draw(st.lists(st.integers(1, 3), max_size=2))
    left = [draw(st.sampled_from([1, size])) for size in batch]
    right = [draw(st.sampled_from([1, size])) for size in batch]
    left = left[draw(st.integers(0, len(left))) :]
    right = right[draw(st.integers(0, len(right))) :]
    a = (k,) if draw(st.booleans()) else (*left, n, k)
    b = (k,) if draw(st.booleans()) else (*right, k, m)
    return a, b, draw(st.booleans())


@SETTINGS
@given(shapes=product_shapes(), seed=st.integers(0, 2**16))
def test_product_grads_own_their_memory_for_any_shapes(shapes, seed):
    a_shape, b_shape, same_leaf = shapes
    if same_leaf and a_shape == b_shape and (len(a_shape) == 1 or a_shape[-1] == a_shape[-2]):
        b_shape = None  # one leaf on both sides

    def scenario(t):
        a = leaf(t, a_shape, seed)
        b = a if b_shape is None else leaf(t, b_shape, seed + 1)
        out = a @ b
        given = values(t, tuple(out.shape), seed + 2)
        out.backward(given)
        tensors = [a.grad, a, out, given] + ([] if b is a else [b.grad, b])
        overlap = no_two_share(*tensors)
        before = snapshot(*tensors[1:])
        a.grad.add_(1)
        if b is not a:
            b.grad.mul_(2)
        return overlap, before, tensors

    same(scenario)


@SETTINGS
@given(
    lead=st.lists(st.integers(1, 3), max_size=2),
    sizes=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    with_bias=st.booleans(),
    input_grad=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_linear_grads_own_their_memory_for_any_shapes(lead, sizes, with_bias, input_grad, seed):
    in_features, out_features = sizes

    def scenario(t):
        x = values(t, (*lead, in_features), seed, requires_grad=input_grad)
        weight = leaf(t, (out_features, in_features), seed + 1)
        bias = leaf(t, (out_features,), seed + 2) if with_bias else None
        out = t.nn.functional.linear(x, weight, bias)
        given = values(t, tuple(out.shape), seed + 3)
        out.backward(given)
        owners = [weight] + ([bias] if with_bias else []) + ([x] if input_grad else [])
        grads = [p.grad for p in owners]
        tensors = grads + owners + [out, given] + ([] if input_grad else [x])
        overlap = no_two_share(*tensors)
        before = snapshot(*tensors[len(grads) :])
        for grad in grads:
            grad.add_(1)
        return overlap, before, tensors

    same(scenario)
