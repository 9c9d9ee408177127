"""nn modules against PyTorch (SPEC N2): forward and gradients with the same weights,
registration and traversal, state dicts, repr text, and initialisers."""

import copy
import math
import warnings

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error, skip_before_torch_2_13

import ember
from ember import nn


def copy_weights(torch_module, ember_module):
    """Load torch's parameters and buffers into the ember module (strict)."""
    ember_module.load_state_dict(
        {
            key: ember.tensor(value.detach().numpy())
            for key, value in torch_module.state_dict().items()
        }
    )


def run_both(torch_module, ember_module, shape, seed=0, grad=True):
    """Forward and backward through both modules on the same input; compare everything."""
    rng = np.random.default_rng(seed)
    array = rng.uniform(-2, 2, shape).astype(np.float32)
    tx = torch.tensor(array, requires_grad=grad)
    ex = ember.tensor(array, requires_grad=grad)
    t_out, e_out = torch_module(tx), ember_module(ex)
    assert_same(e_out, t_out)
    if not grad:
        return
    upstream = rng.uniform(-1, 1, tuple(t_out.shape)).astype(np.float32)
    t_out.backward(torch.tensor(upstream))
    e_out.backward(ember.tensor(upstream))
    assert_same(ex.grad, tx.grad)
    t_params = dict(torch_module.named_parameters())
    e_params = dict(ember_module.named_parameters())
    assert list(e_params) == list(t_params)
    for name, t_param in t_params.items():
        assert_same(e_params[name].grad, t_param.grad)


def same_repr(ember_object, torch_object):
    assert repr(ember_object) == repr(torch_object).replace("torch.", "ember.")


# Parameter ----------------------------------------------------------------------------


def test_parameter_is_a_tensor_that_requires_grad_and_prints_like_torch():
    data = [[1.0, 2.0], [3.0, 4.0]]
    p = nn.Parameter(ember.tensor(data))
    assert isinstance(p, ember.Tensor) and p.requires_grad and p.is_leaf
    same_repr(p, torch.nn.Parameter(torch.tensor(data)))
    same_repr(
        nn.Parameter(ember.tensor([1, 2]), requires_grad=False),
        torch.nn.Parameter(torch.tensor([1, 2]), requires_grad=False),
    )
    same_repr(nn.Parameter(), torch.nn.Parameter())


def test_parameter_shares_storage_and_ops_give_plain_tensors():
    t = ember.zeros(3)
    p = nn.Parameter(t)
    t[0] = 5.0
    assert p[0].item() == 5.0
    assert type(p * 2) is ember.Tensor and type(p.data) is ember.Tensor
    assert type(p.detach()) is ember.Tensor
    copied = copy.deepcopy(p)
    assert type(copied) is nn.Parameter and copied.requires_grad
    copied.data.fill_(1.0)
    assert p[1].item() == 0.0


def test_parameter_rejects_non_tensors():
    with pytest.raises(TypeError):
        nn.Parameter([1.0, 2.0])


@pytest.mark.parametrize("data", [[1, 2], [True, False]], ids=["int64", "bool"])
def test_parameter_of_integers_that_would_train_is_refused_like_torch(data):
    error = check_error(lambda t: t.nn.Parameter(t.tensor(data)))
    assert "Tensors of floating point and complex dtype can require gradients" in str(error)
    frozen = nn.Parameter(ember.tensor(data), requires_grad=False)
    same_repr(frozen, torch.nn.Parameter(torch.tensor(data), requires_grad=False))


# Layers against torch -------------------------------------------------------------------


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("shape", [(5, 4), (4,), (2, 3, 4)])
def test_linear_forward_and_gradients(bias, shape):
    t_layer = torch.nn.Linear(4, 3, bias=bias)
    e_layer = nn.Linear(4, 3, bias=bias)
    copy_weights(t_layer, e_layer)
    run_both(t_layer, e_layer, shape)


def test_linear_float64_and_errors():
    t_layer = torch.nn.Linear(4, 2).double()
    e_layer = nn.Linear(4, 2).double()
    assert e_layer.weight.dtype == ember.float64
    copy_weights(t_layer, e_layer)
    x = np.random.default_rng(1).standard_normal((3, 4))
    assert_same(e_layer(ember.tensor(x)), t_layer(torch.tensor(x)))
    check_error(
        lambda t, x, w: t.nn.functional.linear(x, w),
        np.zeros((3, 4), np.float32),
        np.zeros((5, 3), np.float32),
    )
    check_error(
        lambda t, x, w: t.nn.functional.linear(x, w), np.zeros((3, 4), np.float32), np.zeros((5, 4))
    )


@pytest.mark.parametrize(
    "input_shape, weight_shape",
    [((3, 2), (2, 2, 2)), ((2,), (2, 2, 2)), ((2, 2, 2), (2, 2, 2)), ((2,), ()), ((), (2, 1))],
    ids=str,
)
def test_linear_refuses_a_weight_of_more_than_2_dims_and_0d_operands(input_shape, weight_shape):
    error = check_error(
        lambda t, x, w: t.nn.functional.linear(x, w),
        np.ones(input_shape, np.float32),
        np.ones(weight_shape, np.float32),
    )
    assert "2 dimensions" in str(error) or "need to be at least 1D" in str(error)


def test_linear_with_a_1d_weight_is_a_dot_product_like_torch():
    check(lambda t, x, w: t.nn.functional.linear(x, w), [(3, 2), (2,)])
    check(lambda t, x, w: t.nn.functional.linear(x, w), [(2,), (2,)])


def test_linear_default_initialisation_bounds():
    ember.manual_seed(0)
    layer = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)  # kaiming_uniform(a=sqrt(5)) gives the same bound as the bias
    weight = layer.weight.detach().numpy()
    bias = layer.bias.detach().numpy()
    assert np.abs(weight).max() <= bound and np.abs(weight).max() > 0.95 * bound
    assert np.abs(bias).max() <= bound
    assert abs(weight.std() - bound / math.sqrt(3)) < 0.01 * bound
    assert weight.dtype == np.float32


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.ReLU(),
        lambda m: m.Sigmoid(),
        lambda m: m.Tanh(),
        lambda m: m.Identity(),
        lambda m: m.Flatten(),
        lambda m: m.Flatten(0, 1),
        lambda m: m.Softmax(dim=1),
        lambda m: m.Softmax(dim=-1),
        lambda m: m.Softmax(dim=0),
        lambda m: m.LogSoftmax(dim=1),
        lambda m: m.LogSoftmax(dim=2),
        lambda m: m.Dropout(0.3).eval(),
    ],
)
def test_parameter_free_modules_match_torch(make):
    run_both(make(torch.nn), make(nn), (3, 4, 5))


def test_softmax_is_stable_for_huge_logits():
    x = np.array([[1000.0, 0.0, -1000.0], [-1e4, -1e4, -1e4]], np.float32)
    check(lambda t, a: t.nn.functional.softmax(a, dim=1), [x])
    check(lambda t, a: t.nn.functional.log_softmax(a, dim=1), [x])


def test_softmax_without_dim_warns_like_torch():
    with pytest.warns(UserWarning, match="Implicit dimension choice"):
        out = nn.Softmax()(ember.zeros(2, 3))
    assert out.shape == (2, 3)
    check_error(lambda t, x: t.nn.functional.softmax(x, dim=5), np.zeros((2, 3), np.float32))


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_of_empty_input_and_of_integers_match_torch(name):
    for dim in (0, 1):
        empty = np.zeros((0, 3), np.float32)
        check(lambda t, x, dim=dim: getattr(t.nn.functional, name)(x, dim), [empty])
    error = check_error(lambda t, x: getattr(t.nn.functional, name)(x, 0), np.arange(3))
    assert isinstance(error, NotImplementedError)  # a RuntimeError, as in torch


SOFTMAX_CALLS = [
    ("torch_softmax", lambda t, x: t.softmax(x, 1)),
    ("torch_softmax_dtype", lambda t, x: t.softmax(x, dim=0, dtype=t.float64)),
    ("torch_softmax_keywords", lambda t, x: t.softmax(input=x, dim=-1)),
    ("torch_log_softmax", lambda t, x: t.log_softmax(x, 1, t.float64)),
    ("method_softmax", lambda t, x: x.softmax(0)),
    ("method_softmax_dtype", lambda t, x: x.softmax(dim=1, dtype=t.float64)),
    ("method_log_softmax", lambda t, x: x.log_softmax(-1)),
    ("method_log_softmax_1d", lambda t, x: x[0].log_softmax(0)),
]


@pytest.mark.parametrize("call", [c[1] for c in SOFTMAX_CALLS], ids=[c[0] for c in SOFTMAX_CALLS])
def test_softmax_and_log_softmax_functions_and_methods_match_torch(call):
    check(call, [(3, 4)])


SOFTMAX_ERRORS = [
    ("no_dim", lambda t, x: t.softmax(x)),
    ("method_no_dim", lambda t, x: x.log_softmax()),
    ("dim_none", lambda t, x: t.softmax(x, None)),
    ("method_dim_none", lambda t, x: x.softmax(dim=None)),
    ("dim_out_of_range", lambda t, x: x.softmax(5)),
    ("integers", lambda t, x: t.log_softmax(t.tensor([1, 2]), 0)),
]


@pytest.mark.parametrize("name, call", SOFTMAX_ERRORS, ids=[name for name, _ in SOFTMAX_ERRORS])
def test_softmax_and_log_softmax_need_a_dim_and_floats_like_torch(name, call):
    if name.endswith("dim_none"):
        skip_before_torch_2_13("raises RuntimeError ('Please look up dimensions by name')")
    check_error(call, np.zeros((2, 3), np.float32))


def test_softmax_gradcheck_float64():
    from oracle import check_gradcheck

    check_gradcheck(lambda t, x: t.nn.functional.log_softmax(x, 1) * x, [(3, 4)])
    check_gradcheck(lambda t, x: t.nn.functional.softmax(x, 0) * x, [(3, 4)])


def test_relu_inplace_module_changes_its_input():
    x = ember.tensor([-1.0, 2.0])
    out = nn.ReLU(inplace=True)(x)
    assert out is x and x.tolist() == [0.0, 2.0]


def test_dropout_train_and_eval():
    ember.manual_seed(0)
    layer = nn.Dropout(0.25)
    x = ember.ones(200, 100, requires_grad=True)
    out = layer(x)
    values = out.detach().numpy()
    kept = values != 0
    assert abs(kept.mean() - 0.75) < 0.01
    np.testing.assert_allclose(values[kept], 1 / 0.75, rtol=1e-6)
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), values)  # gradient is the same mask and scale
    assert layer.eval()(x) is x
    assert nn.Dropout(0.0)(x) is x
    assert float(nn.Dropout(1.0)(x).abs().sum()) == 0.0
    check_error(lambda t: t.nn.Dropout(1.5))
    check_error(lambda t, x: t.nn.functional.dropout(x, -0.1), np.zeros(3, np.float32))


def test_dropout_of_everything_gives_zero_gradients_even_at_nan_and_inf():
    values = np.array([1.0, np.nan, np.inf, -2.0], np.float32)
    check(lambda t, x: t.nn.functional.dropout(x, p=1.0), [values])


def test_sequential_network_matches_torch():
    make = lambda m: m.Sequential(  # noqa: E731
        m.Flatten(),
        m.Linear(12, 8),
        m.ReLU(),
        m.Linear(8, 8),
        m.Tanh(),
        m.Linear(8, 3),
        m.LogSoftmax(dim=1),
    )
    t_net, e_net = make(torch.nn), make(nn)
    copy_weights(t_net, e_net)
    run_both(t_net, e_net, (5, 3, 4))


# Registration and traversal -----------------------------------------------------------


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.inner = nn.Linear(2, 2)
        self.scale = nn.Parameter(ember.ones(2))
        self.register_buffer("running", ember.zeros(2))
        self.register_buffer("scratch", ember.zeros(1), persistent=False)
        self.not_registered = ember.zeros(1)

    def forward(self, x):
        return self.inner(x) * self.scale + self.running


class TorchBlock(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.inner = torch.nn.Linear(2, 2)
        self.scale = torch.nn.Parameter(torch.ones(2))
        self.register_buffer("running", torch.zeros(2))
        self.register_buffer("scratch", torch.zeros(1), persistent=False)
        self.not_registered = torch.zeros(1)

    def forward(self, x):
        return self.inner(x) * self.scale + self.running


def test_registration_and_names_match_torch():
    e, t = Block(), TorchBlock()
    assert [n for n, _ in e.named_parameters()] == [n for n, _ in t.named_parameters()]
    assert [n for n, _ in e.named_buffers()] == [n for n, _ in t.named_buffers()]
    assert list(e.state_dict()) == list(t.state_dict())
    assert [n for n, _ in e.named_modules()] == [n for n, _ in t.named_modules()]
    assert [n for n, _ in e.named_children()] == [n for n, _ in t.named_children()]
    assert len(list(e.parameters())) == 3 and len(list(e.buffers())) == 2
    assert e.inner is dict(e.named_children())["inner"]
    assert repr(e) == repr(t).replace("TorchBlock", "Block")


def reassign_weight(lib):
    layer = lib.nn.Linear(2, 3)
    layer.weight = lib.nn.Parameter(lib.zeros(3, 2))
    return layer


def build_reassigned(module, lib):
    """Sets l1 again after l2, re-registers buffers a, b, c and parameter p after others."""
    lib.nn.Module.__init__(module)
    module.l1 = lib.nn.Linear(1, 1)
    module.l2 = lib.nn.Linear(1, 1)
    module.l1 = lib.nn.Linear(1, 2)
    module.register_buffer("a", lib.zeros(1))
    module.register_buffer("b", lib.zeros(1), persistent=False)
    module.register_buffer("c", lib.zeros(1))
    module.a = lib.ones(1)
    module.b = lib.nn.Buffer(lib.ones(2))  # a Buffer carries its own persistence
    module.c = lib.nn.Buffer(lib.ones(2), persistent=False)
    module.p = lib.nn.Parameter(lib.ones(1))
    module.q = lib.nn.Parameter(lib.ones(1))
    module.p = lib.nn.Parameter(lib.zeros(1))


class Reassigned(nn.Module):
    def __init__(self, lib):
        build_reassigned(self, lib)


class TorchReassigned(torch.nn.Module):
    def __init__(self, lib):
        build_reassigned(self, lib)


@pytest.mark.parametrize(
    "make",
    [reassign_weight, lambda lib: Reassigned(lib) if lib is ember else TorchReassigned(lib)],
    ids=["linear_weight", "module_buffers_parameters"],
)
def test_reassigning_keeps_the_registration_order_like_torch(make):
    e, t = make(ember), make(torch)
    assert [n for n, _ in e.named_parameters()] == [n for n, _ in t.named_parameters()]
    assert [n for n, _ in e.named_buffers()] == [n for n, _ in t.named_buffers()]
    assert [n for n, _ in e.named_children()] == [n for n, _ in t.named_children()]
    assert list(e.state_dict()) == list(t.state_dict())
    assert repr(e) == repr(t).replace("TorchReassigned", "Reassigned")


def test_reassigning_across_kinds_matches_torch():
    def scenario(lib):
        block = Reassigned(lib) if lib is ember else TorchReassigned(lib)
        block.l2 = lib.nn.Parameter(lib.ones(1))  # a module's name becomes a parameter's
        block.a = lib.nn.Parameter(lib.ones(1))  # and a buffer's
        return list(block.state_dict()), [n for n, _ in block.named_children()]

    assert scenario(ember) == scenario(torch)
    check_error(lambda lib: setattr(lib.nn.Linear(1, 1), "weight", lib.nn.Buffer(lib.ones(1))))
    check_error(lambda lib: setattr(lib.nn.Linear(1, 1), "weight", lib.nn.ReLU()))

    def buffer_over_a_plain_attribute(lib):
        layer = lib.nn.Linear(1, 1)
        layer.x = 5
        layer.x = lib.nn.Buffer(lib.ones(1))

    check_error(buffer_over_a_plain_attribute)


def test_nested_and_shared_modules_are_listed_once():
    shared = nn.Linear(2, 2)
    net = nn.Sequential(shared, nn.ReLU(), shared, nn.Sequential(nn.Linear(2, 1)))
    t_shared = torch.nn.Linear(2, 2)
    t_net = torch.nn.Sequential(
        t_shared, torch.nn.ReLU(), t_shared, torch.nn.Sequential(torch.nn.Linear(2, 1))
    )
    assert [n for n, _ in net.named_modules()] == [n for n, _ in t_net.named_modules()]
    assert [n for n, _ in net.named_parameters()] == [n for n, _ in t_net.named_parameters()]
    assert list(net.state_dict()) == list(t_net.state_dict())
    assert len(list(net.parameters())) == 4
    assert [n for n, _ in net.named_parameters(remove_duplicate=False)] == [
        n for n, _ in t_net.named_parameters(remove_duplicate=False)
    ]
    assert [n for n, _ in net.named_parameters(prefix="model", recurse=False)] == []


def test_attribute_errors_match_torch():
    layer = nn.Linear(2, 2)
    with pytest.raises(AttributeError, match="'Linear' object has no attribute 'foo'"):
        layer.foo
    for action in (
        lambda m, t: setattr(m.Linear(2, 2), "weight", t.zeros(2, 2)),
        lambda m, t: m.Module().register_parameter("a", t.zeros(2)),
        lambda m, t: m.Module().register_buffer("a", 3),
        lambda m, t: m.Module().add_module("a", 3),
        lambda m, t: m.Module().add_module("a.b", m.ReLU()),
        lambda m, t: m.Module()(1),
        lambda m, t: m.Linear(2, 2).train("yes"),
        lambda m, t: m.Linear(2, 2).to(t.int64),
    ):
        check_error(lambda lib, action=action: action(lib.nn, lib))
    with pytest.raises(TypeError, match="cannot assign 'ember.FloatTensor' as parameter 'weight'"):
        layer.weight = ember.zeros(2, 2)


def test_assigning_none_and_deleting():
    layer = nn.Linear(2, 2)
    layer.bias = None
    assert [n for n, _ in layer.named_parameters()] == ["weight"]
    assert "bias" not in layer.state_dict()
    del layer.weight
    assert list(layer.parameters()) == []
    block = Block()
    block.running = ember.ones(2)  # buffers accept plain tensors
    assert block.state_dict()["running"].tolist() == [1.0, 1.0]


def test_train_eval_apply_requires_grad_and_zero_grad():
    net = nn.Sequential(nn.Linear(2, 2), nn.Dropout(), nn.Sequential(nn.Dropout()))
    assert all(m.training for m in net.modules())
    assert net.eval() is net and not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    visited = []
    assert net.apply(lambda m: visited.append(type(m).__name__)) is net
    assert visited == ["Linear", "Dropout", "Dropout", "Sequential", "Sequential"]
    net(ember.ones(1, 2)).sum().backward()
    assert net[0].weight.grad is not None
    net.zero_grad(set_to_none=False)
    assert net[0].weight.grad.abs().sum().item() == 0
    net.zero_grad()
    assert net[0].weight.grad is None
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())


def test_forward_hooks_run_and_can_be_removed():
    layer = nn.Linear(2, 2)
    seen = []
    handle = layer.register_forward_hook(lambda m, inputs, out: seen.append(out.shape) or out * 0)
    out = layer(ember.ones(3, 2))
    assert seen == [(3, 2)] and out.abs().sum().item() == 0
    pre = layer.register_forward_pre_hook(lambda m, inputs: (inputs[0] * 2,))
    handle.remove()
    assert layer(ember.ones(1, 2)).shape == (1, 2)
    pre.remove()
    assert not layer._forward_hooks and not layer._forward_pre_hooks


def test_to_changes_floating_parameters_and_buffers_in_place():
    block = Block()
    weight = block.inner.weight
    block.inner(ember.ones(1, 2)).sum().backward()
    assert block.to(ember.float64) is block
    assert block.inner.weight is weight and weight.dtype == ember.float64
    assert weight.grad.dtype == ember.float64
    assert block.running.dtype == ember.float64
    block.float()
    assert weight.dtype == ember.float32
    assert block.to("cpu", ember.float64).scale.dtype == ember.float64
    assert block.to(ember.zeros(1, dtype=ember.float32)).scale.dtype == ember.float32


# Containers ---------------------------------------------------------------------------


def test_sequential_indexing_slicing_and_editing_match_torch():
    def make(m):
        return m.Sequential(m.ReLU(), m.Tanh(), m.Sigmoid(), m.Linear(2, 2))

    e, t = make(nn), make(torch.nn)
    same_repr(e, t)
    same_repr(e[1], t[1])
    same_repr(e[-1], t[-1])
    same_repr(e[1:3], t[1:3])
    same_repr(e[::-1], t[::-1])
    assert len(e) == 4 and [type(m).__name__ for m in e] == ["ReLU", "Tanh", "Sigmoid", "Linear"]
    for seq in (e, t):
        del seq[0]
        seq.append(type(seq[0])())
        seq.insert(1, type(seq[0])())
    same_repr(e, t)
    check_error(lambda lib: lib.nn.Sequential(lib.nn.ReLU())[3])
    from collections import OrderedDict

    named = nn.Sequential(OrderedDict([("hidden", nn.Linear(2, 3)), ("act", nn.ReLU())]))
    same_repr(
        named,
        torch.nn.Sequential(
            OrderedDict([("hidden", torch.nn.Linear(2, 3)), ("act", torch.nn.ReLU())])
        ),
    )
    assert named.hidden is named[0]
    assert list(named.state_dict()) == ["hidden.weight", "hidden.bias"]


def test_module_list_matches_torch():
    def make(m):
        return m.ModuleList([m.Linear(2, 2), m.Linear(2, 2), m.Linear(2, 2), m.ReLU()])

    e, t = make(nn), make(torch.nn)
    same_repr(e, t)
    same_repr(nn.ModuleList(), torch.nn.ModuleList())
    assert len(e) == 4 and isinstance(e[1:3], nn.ModuleList) and len(e[1:3]) == 2
    e.append(nn.Tanh())
    e.extend([nn.Sigmoid()])
    e += [nn.Identity()]
    assert [type(m).__name__ for m in e][-3:] == ["Tanh", "Sigmoid", "Identity"]
    assert [n for n, _ in e.named_parameters()][:2] == ["0.weight", "0.bias"]
    check_error(lambda lib: lib.nn.ModuleList([lib.nn.ReLU()])[3])

    class Holder(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(2)])

    assert len(list(Holder().parameters())) == 4


def test_repr_of_a_whole_network_equals_torch():
    def make(m):
        return m.Sequential(
            m.Flatten(),
            m.Linear(4, 3),
            m.ReLU(),
            m.Dropout(0.2),
            m.Sequential(m.Linear(3, 3, bias=False), m.Tanh()),
            m.Softmax(dim=1),
            m.LogSoftmax(1),
            m.Identity(),
            m.Sigmoid(),
            m.ReLU(inplace=True),
            m.ModuleList([m.Sequential(m.Linear(1, 1)), m.Sequential(m.Linear(1, 1))]),
            m.MSELoss(),
            m.CrossEntropyLoss(label_smoothing=0.1),
            m.HuberLoss(delta=2.0),
            m.Flatten(0, 2),
            m.Dropout(inplace=True),
            m.Softmax(),
        )

    same_repr(make(nn), make(torch.nn))


# State dicts ---------------------------------------------------------------------------


def test_state_dict_round_trip_and_detached_copies():
    source, target = Block(), Block()
    state = source.state_dict()
    assert not state["inner.weight"].requires_grad
    assert state["inner.weight"]._data is source.inner.weight._data  # shares, like torch
    assert source.state_dict(keep_vars=True)["scale"] is source.scale
    result = target.load_state_dict(state)
    assert repr(result) == "<All keys matched successfully>"
    assert result.missing_keys == [] and result.unexpected_keys == []
    for key, value in target.state_dict().items():
        assert value.tolist() == state[key].tolist()
    weight = target.inner.weight
    target.load_state_dict(Block().state_dict())
    assert target.inner.weight is weight  # loaded in place


def test_load_state_dict_errors_equal_torch_text():
    bad = {"weight": np.zeros((3, 2), np.float32), "foo": np.zeros(1, np.float32)}
    bad_e = {k: ember.tensor(v) for k, v in bad.items()}
    bad_t = {k: torch.tensor(v) for k, v in bad.items()}
    bad_e["bar.x"] = bad_t["bar.x"] = 1
    with pytest.raises(RuntimeError) as e_error:
        nn.Linear(2, 2).load_state_dict(bad_e)
    with pytest.raises(RuntimeError) as t_error:
        torch.nn.Linear(2, 2).load_state_dict(bad_t)
    assert str(e_error.value) == str(t_error.value).replace("torch.", "ember.")

    partial = {"weight": ember.zeros(2, 2), "foo": ember.zeros(1)}
    t_partial = {"weight": torch.zeros(2, 2), "foo": torch.zeros(1)}
    e_result = nn.Linear(2, 2).load_state_dict(partial, strict=False)
    t_result = torch.nn.Linear(2, 2).load_state_dict(t_partial, strict=False)
    assert repr(e_result) == repr(t_result)
    assert e_result.missing_keys == ["bias"] and e_result.unexpected_keys == ["foo"]
    check_error(lambda lib: lib.nn.Linear(2, 2).load_state_dict([1]))


def test_nested_unexpected_and_missing_keys_match_torch():
    def make(m):
        return m.Sequential(m.Linear(2, 2), m.Sequential(m.Linear(2, 1)))

    e_state = {k: ember.zeros(v.shape) for k, v in make(nn).state_dict().items()}
    t_state = {k: torch.zeros(tuple(v.shape)) for k, v in make(torch.nn).state_dict().items()}
    for state in (e_state, t_state):
        del state["1.0.bias"]
        state["1.0.extra"] = 0
        state["7.weight"] = 0
        state["0.w"] = 0
    e_result = make(nn).load_state_dict(e_state, strict=False)
    t_result = make(torch.nn).load_state_dict(t_state, strict=False)
    assert e_result.missing_keys == t_result.missing_keys
    assert e_result.unexpected_keys == t_result.unexpected_keys


def test_assign_load_replaces_parameters():
    layer = nn.Linear(2, 2)
    new = {"weight": ember.ones(2, 2), "bias": ember.ones(2)}
    layer.load_state_dict(new, assign=True)
    assert isinstance(layer.weight, nn.Parameter) and layer.weight.tolist() == [[1, 1], [1, 1]]


# Initialisers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nonlinearity,param",
    [
        ("linear", None),
        ("conv2d", None),
        ("sigmoid", None),
        ("tanh", None),
        ("relu", None),
        ("leaky_relu", None),
        ("leaky_relu", 0.2),
        ("selu", None),
    ],
)
def test_calculate_gain_matches_torch(nonlinearity, param):
    assert nn.init.calculate_gain(nonlinearity, param) == pytest.approx(
        torch.nn.init.calculate_gain(nonlinearity, param)
    )


def test_init_errors_match_torch():
    for action in (
        lambda t: t.nn.init.calculate_gain("foo"),
        lambda t: t.nn.init.calculate_gain("leaky_relu", "x"),
        lambda t: t.nn.init.kaiming_uniform_(t.zeros(3)),
        lambda t: t.nn.init.kaiming_normal_(t.zeros(3, 3), mode="foo"),
        lambda t: t.nn.init.xavier_uniform_(t.zeros(3)),
    ):
        ember_error = check_error(action)
        with pytest.raises(ValueError) as torch_error:
            action(torch)
        assert str(ember_error) == str(torch_error.value)


INIT_FILLS = [
    ("uniform_", lambda t, x: t.nn.init.uniform_(x)),
    ("normal_", lambda t, x: t.nn.init.normal_(x)),
    ("trunc_normal_", lambda t, x: t.nn.init.trunc_normal_(x)),
    ("xavier_uniform_", lambda t, x: t.nn.init.xavier_uniform_(x)),
    ("xavier_normal_", lambda t, x: t.nn.init.xavier_normal_(x)),
    ("kaiming_uniform_", lambda t, x: t.nn.init.kaiming_uniform_(x)),
    ("kaiming_normal_", lambda t, x: t.nn.init.kaiming_normal_(x)),
    ("method_uniform_", lambda t, x: x.uniform_(0, 5)),
    ("method_normal_", lambda t, x: x.normal_()),
    ("method_exponential_", lambda t, x: x.exponential_()),
]


@pytest.mark.parametrize("fill", [c[1] for c in INIT_FILLS], ids=[c[0] for c in INIT_FILLS])
@pytest.mark.parametrize("dtype", ["int64", "bool"])
def test_random_fills_of_integer_tensors_are_refused_like_torch(fill, dtype):
    """torch has no kernel for them (ember used to keep the draws' integer parts)."""
    check_error(lambda t: fill(t, t.zeros(2, 3, dtype=getattr(t, dtype))))


@pytest.mark.parametrize(
    "fill",
    [
        lambda t, x: t.nn.init.uniform_(x, 1, 0),
        lambda t, x: x.uniform_(1.0, -1.0),
        lambda t, x: x.uniform_(0, float("inf")),
        lambda t, x: x.uniform_(float("nan"), 1),
        lambda t, x: x.uniform_(-1e39, 1e39),
        lambda t, x: x.uniform_(-2e38, 2e38),  # each fits a float32; their distance does not
        lambda t, x: x.double().uniform_(-1e308, 1e308),
        lambda t, x: x.half().uniform_(0, 70000),
        lambda t, x: t.nn.init.normal_(x, std=-1),
        lambda t, x: x.normal_(0, float("nan")),
        lambda t, x: t.nn.init.trunc_normal_(x, a=2.0, b=-2.0),
        lambda t, x: x.exponential_(0),
        lambda t, x: x.bernoulli_(1.5),
        lambda t, x: x.random_(5, 1),
    ],
    ids=[
        "uniform_from_above_to",
        "method_uniform_from_above_to",
        "uniform_to_inf",
        "uniform_from_nan",
        "uniform_beyond_float32",
        "uniform_range_beyond_float32",
        "uniform_range_beyond_float64",
        "uniform_beyond_float16",
        "normal_negative_std",
        "normal_nan_std",
        "trunc_normal_a_above_b",
        "exponential_zero_rate",
        "bernoulli_p_above_1",
        "random_from_above_to",
    ],
)
def test_random_fill_arguments_are_checked_like_torch(fill):
    error = check_error(lambda t: fill(t, t.zeros(3)))
    assert type(error) is RuntimeError  # not NumPy's ValueError or OverflowError


def test_random_fills_at_the_edges_torch_accepts():
    x = ember.zeros(1000)
    assert (x.uniform_(0.5, 0.5) == 0.5).all() and (x.normal_(2.0, 0.0) == 2.0).all()
    values = nn.init.trunc_normal_(x, std=-1.0, a=-0.5, b=0.5)  # the same as std=1
    assert values.abs().max().item() <= 0.5 and values.std().item() > 0.2


def _spread(init, shape=(300, 200), **kwargs):
    tensor = ember.empty(*shape)
    assert init(tensor, **kwargs) is tensor
    return tensor.numpy()


def test_initialisers_fill_with_the_right_spread():
    ember.manual_seed(0)
    fan_in, fan_out = 200, 300
    gain = math.sqrt(2.0)
    values = _spread(nn.init.kaiming_uniform_, nonlinearity="relu")
    bound = gain * math.sqrt(3.0 / fan_in)
    assert np.abs(values).max() <= bound and values.std() == pytest.approx(
        bound / math.sqrt(3), rel=0.02
    )
    values = _spread(nn.init.kaiming_normal_, mode="fan_out", nonlinearity="relu")
    assert values.std() == pytest.approx(gain / math.sqrt(fan_out), rel=0.02)
    values = _spread(nn.init.xavier_uniform_, gain=2.0)
    bound = 2.0 * math.sqrt(6.0 / (fan_in + fan_out))
    assert np.abs(values).max() <= bound and np.abs(values).max() > 0.99 * bound
    values = _spread(nn.init.xavier_normal_)
    assert values.std() == pytest.approx(math.sqrt(2.0 / (fan_in + fan_out)), rel=0.02)
    values = _spread(nn.init.normal_, mean=1.0, std=0.5)
    assert values.mean() == pytest.approx(1.0, abs=0.01) and values.std() == pytest.approx(
        0.5, rel=0.02
    )
    values = _spread(nn.init.uniform_, a=-3, b=-2)
    assert values.min() >= -3 and values.max() < -2
    values = _spread(nn.init.trunc_normal_, std=1.0, a=-1.0, b=1.5)
    assert values.min() >= -1.0 and values.max() <= 1.5
    assert (_spread(nn.init.zeros_) == 0).all() and (_spread(nn.init.ones_) == 1).all()
    assert (_spread(nn.init.constant_, val=0.3) == np.float32(0.3)).all()
    assert (_spread(nn.init.eye_, shape=(3, 4)) == np.eye(3, 4)).all()


def test_init_on_parameters_records_no_graph_and_zero_element_warns():
    layer = nn.Linear(3, 2)
    nn.init.normal_(layer.weight, 0, 0.01)
    nn.init.zeros_(layer.bias)
    assert layer.weight.is_leaf and layer.weight.grad_fn is None
    assert layer.bias.abs().sum().item() == 0
    with pytest.warns(UserWarning, match="zero-element"):
        nn.init.kaiming_uniform_(ember.empty(0, 3))


def test_book_style_init_through_data_and_apply():
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))

    def init_weights(m):
        if type(m) is nn.Linear:
            nn.init.normal_(m.weight, std=0.01)

    net.apply(init_weights)
    net[1].bias.data.fill_(0)
    assert net[1].weight.std().item() == pytest.approx(0.01, rel=0.05)
    assert net[1].bias.abs().sum().item() == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert net(ember.zeros(2, 1, 28, 28)).shape == (2, 10)
