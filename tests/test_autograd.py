"""Autograd semantics against PyTorch: A1-A6 and A8 of the spec, and the notes' Task02 snippet.

Most tests are one function ``scenario(t)`` written once and run with ``t = torch`` and
``t = ember``; ``same(scenario)`` compares whatever it returns (tensors, gradients,
None, booleans, strings) and ``same_error(scenario)`` checks that both raise the same
exception type with the same key phrase.
"""

import contextlib
import io
import re
import warnings

import numpy as np
import pytest
import torch
from oracle import assert_same, check

import ember


def compare(ember_value, torch_value):
    if isinstance(torch_value, (tuple, list)):
        assert isinstance(ember_value, (tuple, list)), f"{ember_value!r} vs {torch_value!r}"
        assert len(ember_value) == len(torch_value)
        for e, t in zip(ember_value, torch_value):
            compare(e, t)
    elif isinstance(torch_value, torch.Tensor):
        assert_same(ember_value, torch_value)
    elif isinstance(torch_value, str):
        assert ember_value == torch_value.replace("torch.", "ember.")
    else:
        assert ember_value == torch_value, f"ember {ember_value!r} != torch {torch_value!r}"


def same(scenario):
    """Run ``scenario(module)`` with torch and with ember; the results must agree."""
    torch_value = scenario(torch)
    ember_value = scenario(ember)
    compare(ember_value, torch_value)
    return ember_value


def same_error(scenario, phrase):
    """Both libraries raise the same exception type, whose message contains ``phrase``."""
    with pytest.raises(Exception) as torch_error:
        scenario(torch)
    assert phrase in str(torch_error.value)
    with pytest.raises(torch_error.type) as ember_error:
        scenario(ember)
    assert phrase in str(ember_error.value), str(ember_error.value)
    return ember_error.value


# A1: requires_grad, x.grad, y = 2 * dot(x, x) ---------------------------------------------


def test_grad_is_none_until_backward():
    def scenario(t):
        x = t.arange(4.0)
        before = x.requires_grad
        x.requires_grad_(True)
        return before, x.requires_grad, x.grad is None, x.is_leaf

    assert same(scenario) == (False, True, True, True)


def test_requires_grad_keyword_and_method_return_self():
    def scenario(t):
        x = t.ones(3, requires_grad=True)
        y = t.zeros(2)
        returned = y.requires_grad_()
        return x.requires_grad, returned is y, y.requires_grad, t.ones(2).requires_grad_(False)

    same(scenario)


def test_grad_of_two_dot_x_x_is_four_x():
    def scenario(t):
        x = t.arange(4.0)
        x.requires_grad_(True)
        y = 2 * t.dot(x, x)
        y.backward()
        return y, x.grad, x.grad == 4 * x

    same(scenario)


@pytest.mark.parametrize("dtype", ["int64", "bool"])
def test_only_floating_tensors_can_require_grad(dtype):
    def scenario(t):
        t.tensor([1, 0], dtype=getattr(t, dtype)).requires_grad_(True)

    same_error(scenario, "only Tensors of floating point")


def test_requires_grad_false_on_a_non_leaf_is_refused():
    def scenario(t):
        x = t.ones(2, requires_grad=True)
        (x * 2).requires_grad_(False)

    same_error(scenario, "you can only change requires_grad flags of leaf variables")


def test_backward_through_tensor_without_grad_is_refused():
    def scenario(t):
        t.ones(2).sum().backward()

    same_error(scenario, "does not require grad")


# A2: accumulation, zero_ -------------------------------------------------------------------


def test_gradients_accumulate_across_backward_calls():
    def scenario(t):
        x = t.arange(4.0, requires_grad=True)
        (x * x).sum().backward()
        first = x.grad.clone()
        (3 * x).sum().backward()
        return first, x.grad

    same(scenario)


def test_zero_clears_in_place_and_keeps_the_grad_object():
    def scenario(t):
        x = t.arange(4.0, requires_grad=True)
        x.sum().backward()
        grad = x.grad
        x.grad.zero_()
        cleared = x.grad.clone()
        (x * x).sum().backward()
        return cleared, x.grad is grad, x.grad

    same(scenario)


def test_grad_can_be_set_to_none_and_reassigned():
    def scenario(t):
        x = t.ones(2, requires_grad=True)
        x.sum().backward()
        x.grad = None
        (x * 5).sum().backward()
        return x.grad

    same(scenario)


# The hint after `w = w - lr * w.grad`: reading .grad of a non-leaf ------------------------

NON_LEAF_GRAD = "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed"


def test_reading_the_grad_of_a_non_leaf_warns_like_torch():
    def scenario(t):
        w = t.ones(2, requires_grad=True)
        w = w - 0.1 * t.ones(2)  # the classic slip: w is now the result of an op
        (w * w).sum().backward()
        return w.grad  # None, and the warning says why

    for lib in (torch, ember):
        with pytest.warns(UserWarning, match=re.escape(NON_LEAF_GRAD)) as caught:
            assert scenario(lib) is None
        assert caught[0].filename == __file__  # it points at the line that reads .grad
    assert "retain_grad()" in str(caught[0].message)


@pytest.mark.parametrize(
    "read",
    [
        lambda t, w: w.grad,  # a leaf
        lambda t, w: t.ones(2).grad,  # a leaf that does not require grad
        lambda t, w: (w * 2).detach().grad,
        lambda t, w: made_without_history(t, w).grad,
        lambda t, w: retained(w * 2).grad,  # retained, before its backward
        lambda t, w: given_by_inputs(t, w * 2).grad,  # filled by backward(inputs=...)
    ],
    ids=["leaf", "plain", "detached", "no_grad", "retained", "inputs"],
)
def test_reading_grad_where_torch_does_not_warn(read):
    for lib in (torch, ember):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            read(lib, lib.ones(2, requires_grad=True))
        assert [str(w.message) for w in caught if NON_LEAF_GRAD in str(w.message)] == []


def made_without_history(t, w):
    with t.no_grad():
        return w * 2


def retained(tensor):
    tensor.retain_grad()
    return tensor


def given_by_inputs(t, hidden):
    (hidden * hidden).sum().backward(inputs=[hidden])
    return hidden


def test_embers_own_training_code_reads_no_non_leaf_grad(capsys):
    """The optimizers, the engine, zero_grad, the book's sgd and the CLI read the grads of
    leaves only, so the hint never shows for ember's own code."""
    from ember import d2l
    from ember.cli.main import main

    nn, F = ember.nn, ember.nn.functional
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=re.escape(NON_LEAF_GRAD))
        ember.manual_seed(0)
        net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
        x, y = ember.randn(8, 3), ember.randn(8, 1)
        for make in (
            lambda p: ember.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1),
            lambda p: ember.optim.Adam(p, lr=ember.tensor(0.01)),
            lambda p: ember.optim.AdamW(p, amsgrad=True),
        ):
            optimizer = make(net.parameters())
            schedule = ember.optim.lr_scheduler.StepLR(optimizer, 1)
            for set_to_none in (False, True):
                optimizer.zero_grad(set_to_none=set_to_none)
                F.mse_loss(net(x), y).backward()
                optimizer.step()
                schedule.step()
        net.zero_grad(set_to_none=False)
        net.to(ember.float64).to(ember.float32)
        hidden = retained(net[0](x))
        net[2](hidden.relu()).sum().backward()
        assert hidden.grad is not None
        ember.autograd.grad(net(x).sum(), [net[0].weight])
        w = ember.zeros(3, 1, requires_grad=True)
        b = ember.zeros(1, requires_grad=True)
        d2l.squared_loss(d2l.linreg(x, w, b), y).sum().backward()
        d2l.sgd([w, b], 0.1, 8)
        assert main(["graph", "--expr", "(x * x).sum()"]) == 0
    assert "dy/dx" in capsys.readouterr().err


def test_two_uses_of_one_leaf_add_up():
    def scenario(t):
        x = t.tensor([1.0, -2.0, 3.0], requires_grad=True)
        (x * x + x.exp() + x).sum().backward()
        return x.grad

    same(scenario)


# A3: non-scalar outputs --------------------------------------------------------------------


def test_non_scalar_backward_needs_a_gradient():
    def scenario(t):
        x = t.arange(4.0, requires_grad=True)
        (x * x).backward()

    same_error(scenario, "grad can be implicitly created only for scalar outputs")


def test_backward_with_gradient_argument():
    def scenario(t):
        x = t.arange(4.0, requires_grad=True)
        y = x * x
        y.backward(gradient=t.tensor([1.0, 0.1, 0.01, 0.001]))
        return x.grad

    same(scenario)


def test_backward_of_sum_of_non_scalar():
    def scenario(t):
        x = t.arange(4.0, requires_grad=True)
        y = x * x
        y.sum().backward()
        return x.grad

    same(scenario)


def test_backward_with_ones_equals_sum():
    def scenario(t):
        x = t.arange(6.0, requires_grad=True).reshape(2, 3)
        x.retain_grad()
        (x**2).backward(t.ones_like(x))
        return x.grad

    same(scenario)


def test_single_element_non_0d_output_needs_no_gradient():
    def scenario(t):
        x = t.tensor([3.0], requires_grad=True)
        (x * x).backward()
        return x.grad

    same(scenario)


def test_gradient_of_the_wrong_shape_is_refused():
    def scenario(t):
        x = t.ones(3, requires_grad=True)
        (x * 2).backward(t.ones(4))

    same_error(scenario, "Mismatch in shape")


# A4: detach --------------------------------------------------------------------------------


def test_detach_cuts_the_graph():
    def scenario(t):
        x = t.arange(4.0, requires_grad=True)
        y = x * x
        u = y.detach()
        z = u * x
        z.sum().backward()
        return u.requires_grad, u.grad_fn is None, x.grad == u, x.grad

    same(scenario)


def test_detached_graph_still_differentiates_the_original():
    def scenario(t):
        x = t.arange(4.0, requires_grad=True)
        y = x * x
        y.detach()
        y.sum().backward()
        return x.grad == 2 * x

    same(scenario)


def test_detach_shares_storage_and_version():
    def scenario(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        d = x.detach()
        d.add_(1)
        return x, x._version, d._version

    same(scenario)


def test_detach_in_place():
    def scenario(t):
        x = t.ones(2, requires_grad=True)
        y = x * 2
        y.detach_()
        return y.requires_grad, y.grad_fn is None, y.is_leaf

    same(scenario)


# A5: Python control flow -------------------------------------------------------------------


def book_f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c


@pytest.mark.parametrize("value", [0.3, -0.7, 1e-3, -2.5])
def test_control_flow_gradient_is_d_over_a(value):
    def scenario(t):
        a = t.tensor(value, requires_grad=True)
        d = book_f(a)
        d.backward()
        return d, a.grad, a.grad == d / a

    ember_d, ember_grad, is_equal = same(scenario)
    assert bool(is_equal)


def test_control_flow_with_random_vector():
    ember.manual_seed(0)
    a = ember.randn(size=(3,), requires_grad=True)
    d = book_f(a)
    d.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), (d / a).detach().numpy(), rtol=1e-6)


# A6: the graph: grad_fn, next_functions, is_leaf -------------------------------------------

GRAD_FN_NAMES = {
    "stack": lambda t, x: t.stack([x, x]),
    "select": lambda t, x: x[0],
    "select_two": lambda t, x: x[1, 2],
    "select_after_slice": lambda t, x: x[0:1, 2],
    "slice_after_select": lambda t, x: x[1, 0:2],
    "select_then_whole_dim": lambda t, x: x[0, :],
    "select_ellipsis": lambda t, x: x[..., 0],
    "unsqueeze_by_none": lambda t, x: x[0, None],
    "slice_whole": lambda t, x: x[:],
    "alias_ellipsis": lambda t, x: x[...],
    "alias_whole_dims": lambda t, x: x[:, :],
    "mul": lambda t, x: x * x,
    "mul_scalar": lambda t, x: x * 2,
    "add": lambda t, x: x + x,
    "add_scalar": lambda t, x: x + 1,
    "sub": lambda t, x: x - 1,
    "div": lambda t, x: x / 2,
    "pow": lambda t, x: x**2,
    "pow_tensor": lambda t, x: x**x,
    "neg": lambda t, x: -x,
    "sum": lambda t, x: x.sum(),
    "sum_dim": lambda t, x: x.sum(0),
    "mean": lambda t, x: x.mean(),
    "mean_dim": lambda t, x: x.mean(0),
    "exp": lambda t, x: x.exp(),
    "log": lambda t, x: x.log(),
    "sin": lambda t, x: t.sin(x),
    "cos": lambda t, x: t.cos(x),
    "tanh": lambda t, x: t.tanh(x),
    "sigmoid": lambda t, x: t.sigmoid(x),
    "relu": lambda t, x: t.relu(x),
    "abs": lambda t, x: x.abs(),
    "sqrt": lambda t, x: x.sqrt(),
    "dot": lambda t, x: t.dot(x[0], x[1]),
    "mm": lambda t, x: x @ x.T,
    "mv": lambda t, x: x @ x[0],
    "T": lambda t, x: x.T,
    "permute": lambda t, x: x.permute(1, 0),
    "view": lambda t, x: x.view(-1),
    "reshape": lambda t, x: x.reshape(-1),
    "reshape_copy": lambda t, x: x.T.reshape(-1),
    "slice": lambda t, x: x[1:],
    "index": lambda t, x: x[t.tensor([0, 1])],
    "mask": lambda t, x: x[x > 1],
    "clone": lambda t, x: x.clone(),
    "max": lambda t, x: x.max(),
    "max_dim": lambda t, x: x.max(0)[0],
    "min": lambda t, x: x.min(),
    "min_dim": lambda t, x: x.min(1)[0],
    "amin": lambda t, x: x.amin(0),
    "cat": lambda t, x: t.cat([x, x]),
    "expand": lambda t, x: x[:1].expand(3, 3),
    "where": lambda t, x: t.where(x > 1, x, 0.0),
    "prod": lambda t, x: x.prod(),
    "cumsum": lambda t, x: x.cumsum(0),
    "maximum": lambda t, x: t.maximum(x, x * 2),
    "amax": lambda t, x: x.amax(0),
    "outer": lambda t, x: t.outer(x[0], x[1]),
    "norm": lambda t, x: x.norm(),
    "rdiv": lambda t, x: 2 / x,
    "std": lambda t, x: x.std(),
    "div_floor": lambda t, x: t.div(x, 2, rounding_mode="floor"),
    "double": lambda t, x: x.double(),
    "to_float16": lambda t, x: x.to(t.float16),
    "rsub": lambda t, x: 1 - x,
    "rpow": lambda t, x: 2**x,
    "pow_tensor_without_grad": lambda t, x: x ** x.detach(),
    "clamp": lambda t, x: x.clamp(0, 1),
    "clamp_tensor": lambda t, x: x.clamp(min=x.detach()),
    "square": lambda t, x: x.square(),
    "t": lambda t, x: x.t(),
    "t_of_a_vector": lambda t, x: x[0].t(),
    "transpose": lambda t, x: x.transpose(0, 1),
    "swapaxes": lambda t, x: x.swapaxes(0, 1),
    "mT": lambda t, x: x.mT,
    "unsqueeze": lambda t, x: x.unsqueeze(0),
    "squeeze_dim": lambda t, x: x.reshape(1, 2, 3).squeeze(0),
    "squeeze_all": lambda t, x: x.reshape(1, 2, 3).squeeze(),
    "squeeze_dims": lambda t, x: x.reshape(1, 2, 3).squeeze((0,)),
    "var": lambda t, x: x.var(),
    "var_dim": lambda t, x: x.var(1, keepdim=True),
    "std_dim": lambda t, x: x.std(0),
    "logsumexp": lambda t, x: x.logsumexp(0),
    "huber_loss_mean": lambda t, x: t.nn.functional.huber_loss(x, x.detach() * 0.5),
    "huber_loss_sum": lambda t, x: t.nn.functional.huber_loss(x, x.detach() * 0.5, "sum"),
    "huber_loss_none": lambda t, x: t.nn.functional.huber_loss(x, x.detach() * 0.5, "none"),
    "huber_loss_weight": lambda t, x: t.nn.functional.huber_loss(x, x * 0.5, weight=x.detach()),
    "smooth_l1_loss_mean": lambda t, x: t.nn.functional.smooth_l1_loss(x, x.detach() * 0.5),
    "smooth_l1_loss_sum": lambda t, x: t.nn.functional.smooth_l1_loss(
        x, x.detach() * 0.5, reduction="sum"
    ),
    "smooth_l1_loss_none": lambda t, x: t.nn.functional.smooth_l1_loss(
        x, x * 0.5, reduction="none"
    ),
    "bce_mean": lambda t, x: t.nn.functional.binary_cross_entropy(x / 10, x.detach() / 7),
    "bce_sum": lambda t, x: t.nn.functional.binary_cross_entropy(
        x.sigmoid(), x.detach() / 7, reduction="sum"
    ),
    "bce_none_weight": lambda t, x: t.nn.functional.binary_cross_entropy(
        x / 10, x.detach() / 7, weight=x.detach(), reduction="none"
    ),
    "bce_with_logits_mean": lambda t, x: t.nn.functional.binary_cross_entropy_with_logits(
        x, x.detach() / 7
    ),
    "bce_with_logits_sum_weights": lambda t, x: t.nn.functional.binary_cross_entropy_with_logits(
        x, x / 7, weight=x.detach(), pos_weight=x.detach()[0], reduction="sum"
    ),
    "clamp_min": lambda t, x: x.clamp_min(2),
    "clamp_min_function": lambda t, x: t.clamp_min(x, 2.5),
    "clamp_min_tensor": lambda t, x: x.clamp_min(x.detach() * 0.5),
    "clamp_max": lambda t, x: x.clamp_max(2),
    "clamp_max_tensor": lambda t, x: x.clamp_max(x * 0.5),
    "repeat": lambda t, x: x.repeat(2, 1),
    "repeat_new_dims": lambda t, x: x.repeat(2, 1, 3),
    "masked_fill": lambda t, x: x.masked_fill(x > 2, 0.0),
    "masked_fill_function": lambda t, x: t.masked_fill(x, x > 2, -1),
    "masked_fill_tensor_value": lambda t, x: x.masked_fill(x > 2, x.sum()),
}


def grad_fn_name(t, fn):
    x = t.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    return fn(t, x).grad_fn.name()


@pytest.mark.parametrize("name", list(GRAD_FN_NAMES))
def test_grad_fn_name_matches_torch(name):
    fn = GRAD_FN_NAMES[name]
    assert grad_fn_name(ember, fn) == grad_fn_name(torch, fn)


def test_grad_fn_repr_and_printing_suffix():
    y = ember.ones(2, requires_grad=True) * 2
    assert repr(y.grad_fn).startswith("<MulBackward0 object at 0x")
    assert repr(y).endswith("grad_fn=<MulBackward0>)")


def node_name(node):
    """torch names its C++ nodes "torch::autograd::AccumulateGrad"; ember "AccumulateGrad"."""
    return None if node is None else node.name().rsplit("::", 1)[-1]


def test_next_functions_walk_the_graph():
    def scenario(t):
        x = t.ones(2, requires_grad=True)
        w = t.ones(2)
        y = (x * w + x).sum()
        add = y.grad_fn.next_functions[0][0]
        mul = add.next_functions[0][0]
        return (
            y.grad_fn.name(),
            add.name(),
            [node_name(f) for f, _ in add.next_functions],
            [node_name(f) for f, _ in mul.next_functions],
            [index for _, index in mul.next_functions],
        )

    same(scenario)


# What each node lists in next_functions: its tensor inputs, and the numbers that PyTorch's
# arithmetic takes as tensors, but not options such as dims or keepdim.
NEXT_FUNCTIONS = {
    "mul_number": lambda t, x, A: x * 2,
    "number_mul": lambda t, x, A: 2 * x,
    "book": lambda t, x, A: 2 * t.dot(x, x),
    "add_number": lambda t, x, A: x + 1,
    "sub_number": lambda t, x, A: x - 1,
    "number_sub": lambda t, x, A: 1 - x,
    "div_number": lambda t, x, A: x / 2,
    "number_div": lambda t, x, A: 2 / x,
    "pow_number": lambda t, x, A: x**2,
    "number_pow": lambda t, x, A: 2**x,
    "pow_tensor": lambda t, x, A: x**x,
    "pow_tensor_without_grad": lambda t, x, A: x ** x.detach(),
    "square": lambda t, x, A: x.square(),
    "sum": lambda t, x, A: x.sum(),
    "sum_dim_keepdim": lambda t, x, A: A.sum(1, keepdim=True),
    "mean_dim": lambda t, x, A: A.mean(0),
    "prod": lambda t, x, A: x.prod(),
    "cumsum": lambda t, x, A: x.cumsum(0),
    "max": lambda t, x, A: x.max(),
    "max_dim": lambda t, x, A: A.max(1)[0],
    "amax": lambda t, x, A: A.amax(1),
    "norm": lambda t, x, A: x.norm(),
    "matrix_norm": lambda t, x, A: t.linalg.matrix_norm(A),
    "mm": lambda t, x, A: t.mm(A, A.T),
    "mv": lambda t, x, A: A @ x,
    "dot": lambda t, x, A: t.dot(x, x),
    "clamp_numbers": lambda t, x, A: x.clamp(0, 1),
    "clamp_tensor": lambda t, x, A: x.clamp(min=x.detach()),
    "where_number": lambda t, x, A: t.where(x > 0, x, 0.0),
    "where_tensors": lambda t, x, A: t.where(x > 0, x, x * 2),
    "round": lambda t, x, A: x.round(),
    "remainder_number": lambda t, x, A: x % 2,
    "fmod_number": lambda t, x, A: t.fmod(x, 2),
    "lerp_number": lambda t, x, A: t.lerp(x, x * 2, 0.5),
    "to": lambda t, x, A: x.to(t.float64),
    "clone": lambda t, x, A: x.clone(),
    "reshape": lambda t, x, A: A.reshape(-1),
    "permute": lambda t, x, A: A.permute(1, 0),
    "expand": lambda t, x, A: x.expand(2, 3),
    "flip": lambda t, x, A: x.flip(0),
    "select": lambda t, x, A: A[0],
    "slice": lambda t, x, A: A[:, 1:],
    "index": lambda t, x, A: A[t.tensor([0, 2])],
    "mask": lambda t, x, A: x[x > 0],
    "cat": lambda t, x, A: t.cat((x, x)),
    "setitem": lambda t, x, A: _written(x * 1, x[1]),
    "mse_loss": lambda t, x, A: t.nn.functional.mse_loss(x, x.detach() * 2),
    "cross_entropy": lambda t, x, A: t.nn.functional.cross_entropy(A, t.tensor([0, 1, 2])),
    "softmax": lambda t, x, A: t.softmax(A, dim=1),
    "linear_without_bias": lambda t, x, A: t.nn.functional.linear(A, A.detach()),
    "huber_loss": lambda t, x, A: t.nn.functional.huber_loss(x, x.detach() * 2),
    "huber_loss_target": lambda t, x, A: t.nn.functional.huber_loss(x, x * 2, reduction="none"),
    "huber_loss_weight": lambda t, x, A: t.nn.functional.huber_loss(x, x * 2, weight=x.detach()),
    "smooth_l1_loss": lambda t, x, A: t.nn.functional.smooth_l1_loss(x, x * 2, reduction="sum"),
    "bce": lambda t, x, A: t.nn.functional.binary_cross_entropy(
        x.sigmoid(), x.detach().sigmoid(), weight=x.detach().abs()
    ),
    "bce_with_logits": lambda t, x, A: t.nn.functional.binary_cross_entropy_with_logits(
        x, x.sigmoid(), weight=x.detach().abs(), pos_weight=x.detach().abs()
    ),
    "clamp_min_number": lambda t, x, A: x.clamp_min(0),
    "clamp_min_tensor": lambda t, x, A: x.clamp_min(x.detach()),
    "clamp_max_tensor": lambda t, x, A: x.clamp_max(x * 2),
    "repeat": lambda t, x, A: A.repeat(1, 2, 1),
    "masked_fill_number": lambda t, x, A: x.masked_fill(x > 0, 0.0),
    "masked_fill_tensor": lambda t, x, A: A.masked_fill(A > 0, x.sum()),
}


def _written(target, value):
    target[0] = value
    return target


@pytest.mark.parametrize("case", list(NEXT_FUNCTIONS))
def test_next_functions_list_what_torch_lists(case):
    def listed(t):
        x = t.tensor([1.0, -2.0, 3.0], requires_grad=True)
        A = (t.arange(9.0).reshape(3, 3) - 4).requires_grad_()
        node = NEXT_FUNCTIONS[case](t, x, A).grad_fn
        return [(node_name(f), index) for f, index in node.next_functions]

    assert listed(ember) == listed(torch)


def test_accumulate_grad_node_points_at_the_leaf():
    for t in (torch, ember):
        x = t.ones(2, requires_grad=True)
        node = (x * 2).grad_fn.next_functions[0][0]
        assert node_name(node) == "AccumulateGrad"
        assert node.variable is x


def test_is_leaf_and_requires_grad_of_results():
    def scenario(t):
        x = t.ones(2, requires_grad=True)
        c = t.ones(2)
        y = x * 2
        z = c * 2
        return (
            x.is_leaf,
            c.is_leaf,
            y.is_leaf,
            z.is_leaf,
            y.requires_grad,
            z.requires_grad,
            x.grad_fn is None,
            z.grad_fn is None,
            y.detach().is_leaf,
        )

    same(scenario)


def test_backward_twice_without_retain_graph_is_refused():
    def scenario(t):
        x = t.ones(3, requires_grad=True)
        y = (x * x).sum()
        y.backward()
        y.backward()

    same_error(scenario, "retain_graph=True")


def test_backward_twice_with_retain_graph_accumulates():
    def scenario(t):
        x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = (x * x.exp()).sum()
        y.backward(retain_graph=True)
        first = x.grad.clone()
        y.backward()
        return first, x.grad

    same(scenario)


def test_graph_without_saved_values_can_run_twice():
    def scenario(t):
        x = t.ones(3, requires_grad=True)
        y = (x + 1).sum()
        y.backward()
        y.backward()
        return x.grad

    same(scenario)


def test_backward_accepts_python_number_and_0d_gradient():
    def scenario(t):
        x = t.tensor(2.0, requires_grad=True)
        (x * x).backward(t.tensor(3.0))
        return x.grad

    same(scenario)


def test_autograd_backward_function_and_inputs_argument():
    def scenario(t):
        a = t.tensor([1.0, 2.0], requires_grad=True)
        b = t.tensor([3.0, 4.0], requires_grad=True)
        t.autograd.backward([(a * b).sum()], retain_graph=True)
        first = (a.grad.clone(), b.grad.clone())
        (a * b).sum().backward(inputs=[b])
        return first, a.grad, b.grad

    same(scenario)


# A8: broadcasting, views, slices and index assignment --------------------------------------


@pytest.mark.parametrize(
    "shapes",
    [
        [(3, 1), (1, 4)],
        [(2, 3, 4), (4,)],
        [(2, 3, 4), (3, 1)],
        [(1,), (5,)],
        [(), (2, 3)],
        [(2, 1, 3), (4, 1)],
    ],
)
@pytest.mark.parametrize(
    "op",
    [
        lambda t, a, b: a + b,
        lambda t, a, b: a - b,
        lambda t, a, b: a * b,
        lambda t, a, b: a / (b * b + 1),
        lambda t, a, b: t.maximum(a, b),
        lambda t, a, b: t.where(a > b, a, b),
    ],
    ids=["add", "sub", "mul", "div", "maximum", "where"],
)
def test_broadcast_gradients_are_summed_back(op, shapes):
    check(op, shapes)


def test_scalar_operands_and_0d_tensors():
    check(lambda t, a: 2 * a - a / 3 + 1, [(2, 3)])
    check(lambda t, a, b: a * b + b, [(2, 3), ()])


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: x[1:3] * 2,
        lambda t, x: x[:, 1],
        lambda t, x: x[-1],
        lambda t, x: x[::2, ::3],
        lambda t, x: x[1, 2],
        lambda t, x: x[None, 1:, :2],
        lambda t, x: x[..., 0],
        lambda t, x: x[t.tensor([0, 2, 0])],
        lambda t, x: x[:, t.tensor([1, 1, 3])],
        lambda t, x: x[x > 0],
        lambda t, x: x.T[1:],
        lambda t, x: x.reshape(4, 3)[2],
        lambda t, x: x.view(12)[3:9].view(2, 3),
        lambda t, x: x.permute(1, 0).contiguous().view(-1),
        lambda t, x: x.flatten()[::5],
        lambda t, x: x.unsqueeze(0).expand(2, 3, 4),
        lambda t, x: x.narrow(1, 1, 2),
        lambda t, x: t.stack([x[0], x[2]]),
        lambda t, x: t.cat([x[:, :1], x[:, 2:]], dim=1),
        lambda t, x: x.split(2, dim=1)[1],
        lambda t, x: x.chunk(3)[2],
    ],
)
def test_view_and_slice_gradients(fn):
    check(fn, [(3, 4)])


def test_overlapping_slices_add_up():
    check(lambda t, x: x[1:] * x[:-1] + x[::2].sum(), [(7,)])


def test_index_assignment_gradients():
    def scenario(t):
        x = t.arange(6.0, requires_grad=True)
        v = t.tensor([10.0, 20.0], requires_grad=True)
        y = x * 1
        y[1:3] = v * v
        y[0] = 7.0
        (y * t.arange(6.0)).sum().backward()
        return y, x.grad, v.grad

    same(scenario)


def test_index_assignment_with_tensor_index_and_mask():
    def scenario(t):
        x = t.arange(6.0, requires_grad=True)
        y = x.clone()
        y[t.tensor([0, 5])] = t.tensor([-1.0, -2.0])
        y[y > 3] = 0.0
        (y * y).sum().backward()
        return y, x.grad

    same(scenario)


def test_index_assignment_into_a_tensor_without_grad():
    def scenario(t):
        w = t.tensor([1.0, 2.0], requires_grad=True)
        x = t.zeros(2, 3)
        x[:, 1] = w * 3
        x.sum().backward()
        return x, x.requires_grad, x.is_leaf, w.grad

    same(scenario)


def test_book_index_assignment_and_slice_assignment():
    def scenario(t):
        X = t.arange(12, dtype=t.float32).reshape((3, 4))
        X[1, 2] = 9
        X[0:2, :] = 12
        Z = t.zeros_like(X)
        Z[:] = X + 1
        return X, Z

    same(scenario)


# The notes' Task02 autograd snippet, printed output compared line by line ------------------

NOTES_SNIPPET = """
x = torch.arange(4.0)
print(x)
x.requires_grad_(True)
print(x.grad)
y = 2 * torch.dot(x, x)
print(y)
y.backward()
print(x.grad)
print(x.grad == 4 * x)
x.grad.zero_()
y = x.sum()
y.backward()
print(x.grad)
x.grad.zero_()
y = x * x
y.sum().backward()
print(x.grad)
x.grad.zero_()
y = x * x
u = y.detach()
z = u * x
z.sum().backward()
print(x.grad == u)
x.grad.zero_()
y.sum().backward()
print(x.grad == 2 * x)
print(y, u, z)


def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c


a = torch.tensor(0.4, requires_grad=True)
d = f(a)
d.backward()
print(a.grad == d / a)
print(a, d, a.grad)
x = torch.arange(12.0, requires_grad=True).reshape(3, 4)
print(x, x.shape, x.sum(axis=0), x.T)
"""


def printed_by(module):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(NOTES_SNIPPET, {"torch": module})
    return out.getvalue()


def test_notes_autograd_snippet_prints_what_torch_prints():
    expected = printed_by(torch).replace("torch.", "ember.")
    assert printed_by(ember) == expected


@pytest.mark.parametrize(
    "value, phrase",
    [
        (lambda t: t.ones(3), "attempting to assign a gradient of size '[3]'"),
        (lambda t: t.ones(2, dtype=t.float64), "attempting to assign a gradient with dtype"),
        (lambda t: 3, "assigned grad expected to be a Tensor or None"),
    ],
    ids=["shape", "dtype", "type"],
)
def test_assigning_a_grad_that_does_not_fit_is_refused(value, phrase):
    def scenario(t):
        x = t.ones(2, requires_grad=True)
        x.grad = value(t)

    same_error(scenario, phrase)


def test_assigning_and_deleting_a_grad():
    def scenario(t):
        x = t.ones(2, requires_grad=True)
        x.grad = t.tensor([1.0, 2.0])
        (x * 3).sum().backward()
        kept = x.grad.clone()
        del x.grad
        return kept, x.grad

    same(scenario)


def test_backward_inputs_may_name_a_non_leaf():
    def scenario(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        h = x * 3
        (h * h).sum().backward(inputs=[h])
        return h.grad, x.grad

    same(scenario)


def test_backward_inputs_errors():
    same_error(
        lambda t: (t.ones(2, requires_grad=True) * 2).sum().backward(inputs=[]),
        "cannot be empty",
    )
    same_error(
        lambda t: (t.ones(2, requires_grad=True) * 2).sum().backward(inputs=[t.ones(2)]),
        "requires_grad=False",
    )


def test_a_node_that_receives_no_gradient_still_releases_its_inputs():
    """x reaches the loss directly and through h; backward sends h nothing.

    The engine must still count h's node as done, or x's accumulator waits
    forever and x.grad stays None.
    """

    class AddIgnoringSecond(ember.autograd.Function):
        def forward(self, a, b):
            return a + b

        def backward(self, grad):
            return grad, None

    class TorchAddIgnoringSecond(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, grad):
            return grad, None

    x = ember.tensor([1.0, 2.0], requires_grad=True)
    AddIgnoringSecond.apply(x, x * 3).sum().backward()
    tx = torch.tensor([1.0, 2.0], requires_grad=True)
    TorchAddIgnoringSecond.apply(tx, tx * 3).sum().backward()
    assert x.grad.tolist() == tx.grad.tolist() == [1.0, 1.0]
