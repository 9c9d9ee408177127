"""Optimizers against PyTorch (SPEC N4): trajectories over several steps for every
combination of hyper-parameters, parameter groups, state dicts, errors and repr."""

import copy
import itertools
import warnings

import numpy as np
import pytest
import torch

import ember
from ember import nn

STEPS = 6


def make_pairs(seed=0, shapes=((3, 4), (4,))):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(shape).astype(np.float32) for shape in shapes]
    ember_params = [nn.Parameter(ember.tensor(a)) for a in arrays]
    torch_params = [torch.nn.Parameter(torch.tensor(a)) for a in arrays]
    return ember_params, torch_params


def run_trajectory(name, options, steps=STEPS, seed=0, groups=None):
    """Step both optimizers with the same gradients; compare parameters after every step.

    ``options`` is a dict, or ``options(lib)`` makes one (hyper-parameters as tensors).
    """
    options_for = options if callable(options) else lambda lib: options
    ember_params, torch_params = make_pairs(seed)
    if groups is None:
        e_opt = getattr(ember.optim, name)(ember_params, **options_for(ember))
        t_opt = getattr(torch.optim, name)(torch_params, **options_for(torch))
    else:
        e_opt = getattr(ember.optim, name)(groups(ember_params), **options_for(ember))
        t_opt = getattr(torch.optim, name)(groups(torch_params), **options_for(torch))
    rng = np.random.default_rng(seed + 1)
    for _ in range(steps):
        for e, t in zip(ember_params, torch_params):
            grad = rng.standard_normal(tuple(t.shape)).astype(np.float32)
            e.grad, t.grad = ember.tensor(grad), torch.tensor(grad)
        e_opt.step()
        t_opt.step()
        for e, t in zip(ember_params, torch_params):
            assert e.dtype == ember.float32 and type(e.detach().numpy()) is np.ndarray
            np.testing.assert_allclose(e.detach().numpy(), t.detach().numpy(), rtol=2e-6, atol=2e-6)
    return e_opt, t_opt, ember_params, torch_params


SGD_GRID = [
    {"lr": lr, "momentum": m, "dampening": d, "weight_decay": wd, "nesterov": n, "maximize": mx}
    for lr, m, d, wd, n, mx in itertools.product(
        [0.1], [0.0, 0.9], [0.0, 0.5], [0.0, 0.05], [False, True], [False, True]
    )
    if not (n and (m == 0 or d != 0))
]

ADAM_GRID = [
    {"lr": lr, "betas": b, "eps": eps, "weight_decay": wd, "amsgrad": a, "maximize": mx}
    for lr, b, eps, wd, a, mx in itertools.product(
        [0.01], [(0.9, 0.999), (0.5, 0.9)], [1e-8, 1e-3], [0.0, 0.1], [False, True], [False, True]
    )
]


@pytest.mark.parametrize("options", SGD_GRID, ids=lambda o: "-".join(map(str, o.values())))
def test_sgd_trajectory_matches_torch(options):
    run_trajectory("SGD", options)


@pytest.mark.parametrize("options", ADAM_GRID, ids=lambda o: "-".join(map(str, o.values())))
@pytest.mark.parametrize("name", ["Adam", "AdamW"])
def test_adam_trajectories_match_torch(name, options):
    run_trajectory(name, options)


def test_adam_decoupled_weight_decay_flag_is_adamw():
    run_trajectory("Adam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True})


def test_default_hyper_parameters_equal_torch():
    for name in ("SGD", "Adam", "AdamW"):
        e_params, t_params = make_pairs()
        e_opt = getattr(ember.optim, name)(e_params)
        t_opt = getattr(torch.optim, name)(t_params)
        assert e_opt.defaults == t_opt.defaults
        assert e_opt.state_dict()["param_groups"] == t_opt.state_dict()["param_groups"]
        assert repr(e_opt) == repr(t_opt)


def test_parameter_groups_with_their_own_options():
    def groups(params):
        return [{"params": [params[0]], "lr": 0.5, "momentum": 0.5}, {"params": [params[1]]}]

    e_opt, t_opt, _, _ = run_trajectory("SGD", {"lr": 0.1, "momentum": 0.9}, groups=groups)
    assert e_opt.state_dict()["param_groups"] == t_opt.state_dict()["param_groups"]
    assert repr(e_opt) == repr(t_opt)
    run_trajectory(
        "Adam",
        {"lr": 0.01},
        groups=lambda p: [{"params": [p[0]], "amsgrad": True}, {"params": [p[1]], "lr": 0.1}],
    )


def test_parameters_without_gradients_are_skipped():
    e_params, t_params = make_pairs()
    e_opt, t_opt = ember.optim.Adam(e_params), torch.optim.Adam(t_params)
    e_params[0].grad = ember.ones(3, 4)
    t_params[0].grad = torch.ones(3, 4)
    e_opt.step()
    t_opt.step()
    assert len(e_opt.state) == len(t_opt.state) == 1
    np.testing.assert_array_equal(e_params[1].detach().numpy(), t_params[1].detach().numpy())


def test_step_updates_in_place_without_recording_a_graph():
    layer = nn.Linear(3, 2)
    weight, storage = layer.weight, layer.weight._data
    opt = ember.optim.SGD(layer.parameters(), lr=0.1, momentum=0.9)
    layer(ember.ones(4, 3)).sum().backward()
    version = weight._version
    opt.step()
    assert layer.weight is weight and weight._data is storage
    assert weight.is_leaf and weight.grad_fn is None and weight._version > version


def test_closure_is_evaluated_with_gradients():
    e_params, t_params = make_pairs()
    target = np.ones((3, 4), np.float32)

    def closure_for(lib, params, opt):
        def closure():
            opt.zero_grad()
            loss = ((params[0] - lib.tensor(target)) ** 2).sum()
            loss.backward()
            return loss

        return closure

    e_opt = ember.optim.SGD(e_params, lr=0.1)
    t_opt = torch.optim.SGD(t_params, lr=0.1)
    for _ in range(3):
        e_loss = e_opt.step(closure_for(ember, e_params, e_opt))
        t_loss = t_opt.step(closure_for(torch, t_params, t_opt))
        assert e_loss.item() == pytest.approx(t_loss.item(), rel=1e-5)
    np.testing.assert_allclose(
        e_params[0].detach().numpy(), t_params[0].detach().numpy(), rtol=1e-6
    )


def test_zero_grad_sets_to_none_by_default_or_zeroes():
    e_params, _ = make_pairs()
    opt = ember.optim.SGD(e_params, lr=0.1)
    for p in e_params:
        p.grad = ember.ones(p.shape)
    opt.zero_grad(set_to_none=False)
    assert all(p.grad is not None and p.grad.abs().sum().item() == 0 for p in e_params)
    opt.zero_grad()
    assert all(p.grad is None for p in e_params)


# Hyper-parameters given as one-element tensors -----------------------------------------------


def as_tensor(value, dtype="float32"):
    return lambda lib: lib.tensor(value, dtype=getattr(lib, dtype))


# (name, {option: value or value(lib)}): each step reads a tensor's value, and the update
# keeps the parameter's float32 (a float64 tensor does not make it float64).
TENSOR_OPTIONS = [
    ("SGD", {"lr": as_tensor(0.1)}),
    ("SGD", {"lr": as_tensor(0.1, "float64"), "momentum": 0.9}),
    ("SGD", {"lr": as_tensor([0.1]), "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": as_tensor(0.1), "momentum": 0.9, "weight_decay": 0.05, "maximize": True}),
    ("SGD", {"lr": 0.1, "momentum": as_tensor(0.9), "dampening": as_tensor(0.5)}),
    ("SGD", {"lr": 0.1, "weight_decay": as_tensor(0.05, "float64")}),
    ("SGD", {"lr": as_tensor(1, "int64")}),
    ("Adam", {"lr": as_tensor(0.01)}),
    ("Adam", {"lr": as_tensor(0.01, "float64"), "amsgrad": True}),
    ("Adam", {"lr": as_tensor(0.01), "weight_decay": as_tensor(0.1)}),
    ("Adam", {"betas": lambda lib: (lib.tensor(0.5), lib.tensor([0.9]))}),
    ("Adam", {"lr": 0.01, "eps": as_tensor(1e-3)}),
    ("AdamW", {"lr": as_tensor(0.01, "float64")}),
    ("AdamW", {"lr": 0.01, "weight_decay": as_tensor(0.1)}),
]


@pytest.mark.parametrize("name, options", TENSOR_OPTIONS, ids=str)
def test_hyper_parameters_given_as_tensors_match_torch(name, options):
    def options_for(lib):
        return {key: value(lib) if callable(value) else value for key, value in options.items()}

    e_opt, t_opt, _, _ = run_trajectory(name, options_for)
    assert repr(e_opt) == repr(t_opt)  # a 0-d tensor prints as its number, as in torch


def test_a_tensor_learning_rate_follows_a_schedule_in_place_like_torch():
    """The scheduler writes into the tensor (its holder sees the new rate) and keeps copies."""
    results = []
    for lib in (ember, torch):
        param = lib.nn.Parameter(lib.ones(2))
        lr = lib.tensor(0.1)
        opt = lib.optim.SGD([param], lr=lr)
        schedule = lib.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
        for _ in range(3):
            param.grad = lib.ones(2)
            opt.step()
            schedule.step()
        results.append(
            (
                lr.item(),
                opt.param_groups[0]["lr"] is lr,
                [rate.item() for rate in schedule.get_last_lr()],
                [rate.item() for rate in schedule.base_lrs],
                opt.param_groups[0]["initial_lr"].item(),
                param.tolist(),
            )
        )
    assert results[0] == results[1]


# State dicts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,options",
    [
        ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
        ("Adam", {"lr": 0.01, "amsgrad": True}),
        ("AdamW", {"lr": 0.01, "weight_decay": 0.1}),
    ],
)
def test_state_dict_layout_and_resume_match_torch(name, options):
    e_opt, t_opt, e_params, t_params = run_trajectory(name, options, steps=3)
    e_state, t_state = e_opt.state_dict(), t_opt.state_dict()
    assert e_state["param_groups"] == t_state["param_groups"]
    assert list(e_state["state"]) == list(t_state["state"]) == [0, 1]
    for index, t_values in t_state["state"].items():
        assert list(e_state["state"][index]) == list(t_values)
        for key, t_value in t_values.items():
            e_value = e_state["state"][index][key]
            assert e_value.shape == tuple(t_value.shape)
            assert e_value.dtype.name == str(t_value.dtype).replace("torch.", "")
            np.testing.assert_allclose(e_value.numpy(), t_value.numpy(), rtol=1e-5, atol=1e-7)

    # A fresh optimizer loaded from the state dict continues exactly where the first was.
    saved = copy.deepcopy(e_state)
    resumed_params = [nn.Parameter(p.detach().clone()) for p in e_params]
    resumed = getattr(ember.optim, name)(resumed_params, lr=123.0)
    resumed.load_state_dict(saved)
    assert resumed.param_groups[0]["lr"] == options["lr"]
    rng = np.random.default_rng(9)
    for _ in range(3):
        for a, b, t in zip(e_params, resumed_params, t_params):
            grad = rng.standard_normal(tuple(a.shape)).astype(np.float32)
            a.grad, b.grad, t.grad = ember.tensor(grad), ember.tensor(grad), torch.tensor(grad)
        e_opt.step()
        resumed.step()
        t_opt.step()
    for a, b, t in zip(e_params, resumed_params, t_params):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
        np.testing.assert_allclose(b.detach().numpy(), t.detach().numpy(), rtol=2e-6, atol=2e-6)
    # Loading copies: stepping the resumed optimizer left the saved dict alone.
    assert saved["state"][0] is not resumed.state[resumed_params[0]]


def test_load_state_dict_errors_match_torch():
    e_params, t_params = make_pairs()
    e_state = ember.optim.SGD(e_params[:1], lr=0.1).state_dict()
    t_state = torch.optim.SGD(t_params[:1], lr=0.1).state_dict()
    with pytest.raises(ValueError) as e_error:
        ember.optim.SGD(e_params, lr=0.1).load_state_dict(e_state)
    with pytest.raises(ValueError) as t_error:
        torch.optim.SGD(t_params, lr=0.1).load_state_dict(t_state)
    assert str(e_error.value) == str(t_error.value)
    two_groups = [{"params": [e_params[0]]}, {"params": [e_params[1]]}]
    with pytest.raises(ValueError, match="different number of parameter groups"):
        ember.optim.SGD(two_groups, lr=0.1).load_state_dict(e_state)


def test_load_casts_state_to_the_parameter_dtype():
    source = [nn.Parameter(ember.ones(2))]
    opt = ember.optim.Adam(source)
    source[0].grad = ember.ones(2)
    opt.step()
    target = [nn.Parameter(ember.ones(2, dtype=ember.float64))]
    loaded = ember.optim.Adam(target)
    loaded.load_state_dict(opt.state_dict())
    state = loaded.state[target[0]]
    assert state["exp_avg"].dtype == ember.float64 and state["step"].dtype == ember.float32


# Errors and groups -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda o, p: o.SGD(p, lr=-1),
        lambda o, p: o.SGD(p, lr=0.1, momentum=-1),
        lambda o, p: o.SGD(p, lr=0.1, weight_decay=-1),
        lambda o, p: o.SGD(p, lr=0.1, nesterov=True),
        lambda o, p: o.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
        lambda o, p: o.SGD([], lr=0.1),
        lambda o, p: o.SGD(p[0], lr=0.1),
        lambda o, p: o.SGD([1], lr=0.1),
        lambda o, p: o.SGD([p[0] * 2], lr=0.1),
        lambda o, p: o.SGD([{"params": [p[0]]}, {"params": [p[0]]}], lr=0.1),
        lambda o, p: o.SGD([{"params": set(p)}], lr=0.1),
        lambda o, p: o.Adam(p, lr=-1),
        lambda o, p: o.Adam(p, eps=-1),
        lambda o, p: o.Adam(p, betas=(1.0, 0.9)),
        lambda o, p: o.Adam(p, betas=(0.9, -0.1)),
        lambda o, p: o.Adam(p, weight_decay=-1),
        lambda o, p: o.AdamW(p, lr=-0.5),
        lambda o, p: o.AdamW(p, weight_decay=-1),
        # Hyper-parameters as tensors (p[0].new_tensor makes one in either library).
        lambda o, p: o.SGD(p, lr=p[0].new_tensor([0.1, 0.2])),
        lambda o, p: o.SGD(p, lr=p[0].new_tensor(-0.1)),
        lambda o, p: o.SGD(p, lr=0.1, momentum=p[0].new_tensor(-1.0)),
        lambda o, p: o.Adam(p, lr=p[0].new_tensor([0.1, 0.2])),
        lambda o, p: o.Adam(p, lr=p[0].new_tensor(-0.1)),
        lambda o, p: o.Adam(p, lr=p[0].new_tensor(0.1), foreach=True),
        lambda o, p: o.Adam(p, betas=(p[0].new_tensor(0.9), 0.999)),
        lambda o, p: o.Adam(p, betas=(p[0].new_tensor(0.9), p[0].new_tensor(0.9)), foreach=True),
        lambda o, p: o.Adam(p, betas=(0, 0.999)),  # ints: torch wants floats or tensors
        lambda o, p: o.AdamW(p, lr=p[0].new_tensor([[0.1]]), foreach=True),
    ],
)
def test_invalid_hyper_parameters_raise_torch_errors(make):
    e_params, t_params = make_pairs()
    with pytest.raises(Exception) as t_error:
        make(torch.optim, t_params)
    with pytest.raises(type(t_error.value)) as e_error:
        make(ember.optim, e_params)
    assert str(e_error.value) == str(t_error.value).replace("torch.", "ember.")


def test_add_param_group_and_named_parameters():
    layer = nn.Linear(2, 2)
    opt = ember.optim.SGD([layer.weight], lr=0.1, momentum=0.5)
    opt.add_param_group({"params": layer.bias, "lr": 0.01})
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.01]
    assert opt.param_groups[1]["momentum"] == 0.5
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [layer.weight]})
    named = ember.optim.Adam(layer.named_parameters())
    assert named.param_groups[0]["param_names"] == ["weight", "bias"]
    assert named.state_dict()["param_groups"][0]["param_names"] == ["weight", "bias"]


def test_training_a_small_classifier_with_each_optimizer():
    rng = np.random.default_rng(0)
    features = rng.standard_normal((200, 4)).astype(np.float32)
    classes = (features[:, 0] + features[:, 1] > 0).astype(np.int64)
    x, y = ember.tensor(features), ember.tensor(classes)
    for make in (
        lambda p: ember.optim.SGD(p, lr=0.5, momentum=0.9),
        lambda p: ember.optim.Adam(p, lr=0.05),
        lambda p: ember.optim.AdamW(p, lr=0.05, amsgrad=True),
    ):
        ember.manual_seed(0)
        net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
        opt = make(net.parameters())
        loss_fn = nn.CrossEntropyLoss()
        for _ in range(60):
            opt.zero_grad()
            loss = loss_fn(net(x), y)
            loss.backward()
            opt.step()
        accuracy = (net(x).argmax(1) == y).float().mean().item()
        assert accuracy > 0.95, (make, accuracy)


# Groups as torch builds them ---------------------------------------------------------------


@pytest.mark.parametrize(
    "groups",
    [
        lambda p: [p[0], p[0], p[1]],
        lambda p: [{"params": [p[0], p[0]]}, {"params": [p[1]]}],
        lambda p: [{"params": [p[1]]}, {"params": [p[0], p[2], p[0]]}],
    ],
)
def test_state_dict_numbers_a_duplicated_parameter_as_torch(groups):
    """A parameter listed twice in a group takes its last position there, as in torch."""
    e_params, t_params = make_pairs(shapes=((3, 4), (4,), (2,)))
    with pytest.warns(UserWarning, match="duplicate parameters"):
        e_opt = ember.optim.Adam(groups(e_params))
    with pytest.warns(UserWarning, match="duplicate parameters"):
        t_opt = torch.optim.Adam(groups(t_params))
    for e, t in zip(e_params, t_params):
        e.grad, t.grad = ember.ones(*e.shape), torch.ones(*t.shape)
    e_opt.step()
    t_opt.step()
    e_state, t_state = e_opt.state_dict(), t_opt.state_dict()
    assert [g["params"] for g in e_state["param_groups"]] == [
        g["params"] for g in t_state["param_groups"]
    ]
    assert sorted(e_state["state"]) == sorted(t_state["state"])
    for e, t in zip(e_params, t_params):
        np.testing.assert_allclose(e.detach().numpy(), t.detach().numpy(), rtol=1e-6)


def test_the_group_dict_given_becomes_the_group_as_in_torch():
    """Changing the dict after making the optimizer changes the optimizer's group."""
    results = []
    for lib in (ember, torch):
        weight = lib.nn.Parameter(lib.ones(2))
        group = {"params": weight, "lr": 0.5}
        opt = lib.optim.SGD([group], momentum=0.9)
        group["lr"] = 0.25
        weight.grad = lib.ones(2)
        opt.step()
        results.append((opt.param_groups[0] is group, sorted(group), weight.tolist()))
    assert results[0] == results[1]


@pytest.mark.parametrize(
    "make",
    [
        lambda lib, p: lib.optim.SGD([("a", p[0]), p[1]], lr=0.1),
        lambda lib, p: lib.optim.SGD([p[0], ("b", p[1])], lr=0.1),
        lambda lib, p: lib.optim.SGD([p[0]], lr=0.1).add_param_group({"params": [("b", p[1])]}),
        lambda lib, p: lib.optim.SGD([("a", p[0])], lr=0.1).add_param_group({"params": [p[1]]}),
    ],
)
def test_named_and_unnamed_parameters_do_not_mix(make):
    e_params, t_params = make_pairs()
    with pytest.raises(ValueError, match="with/without names"):
        make(torch, t_params)
    with pytest.raises(ValueError, match="with/without names"):
        make(ember, e_params)


def test_a_non_leaf_that_retains_its_grad_can_be_optimized_as_in_torch():
    results = []
    for lib in (ember, torch):
        source = lib.ones(2, requires_grad=True)
        hidden = source * 2
        hidden.retain_grad()
        opt = lib.optim.SGD([hidden], lr=0.1)
        (hidden * hidden).sum().backward()
        opt.step()
        results.append((hidden.tolist(), source.grad.tolist()))
    assert results[0] == results[1]
    with pytest.raises(ValueError, match="non-leaf"):
        ember.optim.SGD([ember.ones(2, requires_grad=True) * 2])


@pytest.mark.parametrize("module_level", [False, True])
def test_zero_grad_without_none_zeroes_a_grad_with_history_in_place(module_level):
    """``backward(create_graph=True)`` leaves a grad with history; zeroing keeps that tensor."""
    results = []
    for lib in (ember, torch):
        layer = lib.nn.Linear(2, 1)
        opt = lib.optim.SGD(layer.parameters(), lr=0.1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch warns of the grad <-> param cycle
            layer(lib.ones(3, 2)).pow(2).sum().backward(create_graph=True)
        grad = layer.weight.grad
        assert grad.grad_fn is not None
        (layer if module_level else opt).zero_grad(set_to_none=False)
        now = layer.weight.grad
        results.append((now is grad, now.tolist(), now.requires_grad, now.grad_fn is None))
    assert results[0] == results[1]


SGD_OPTIONS = [
    {},
    {"weight_decay": 0.01},
    {"momentum": 0.9},
    {"momentum": 0.9, "dampening": 0.1},
    {"momentum": 0.9, "nesterov": True},
    {"momentum": 0.9, "weight_decay": 0.05, "maximize": True},
]


@pytest.mark.parametrize("dtype", ["float32", "float16"])
@pytest.mark.parametrize("options", SGD_OPTIONS, ids=str)
def test_sgd_steps_are_torchs_bit_for_bit(dtype, options):
    """Each ``x + alpha * y`` of the update rounds once, as PyTorch's add(alpha=) does on
    the CPU (a fused multiply-add): two roundings changed about a fifth of the float32
    values over three steps (float64 still rounds twice: docs/differences.md). 4,096
    values: PyTorch's float16 loop for the last n % 32 rounds otherwise (the same file)."""
    rng = np.random.default_rng(0)
    start = rng.standard_normal(4096).astype(dtype)
    grads = [rng.standard_normal(4096).astype(dtype) for _ in range(3)]
    results = []
    for library in (torch, ember):
        weight = library.nn.Parameter(library.tensor(start))
        optimizer = library.optim.SGD([weight], lr=0.1, **options)
        for grad in grads:
            weight.grad = library.tensor(grad)
            optimizer.step()
        results.append(weight.detach().numpy())
    np.testing.assert_array_equal(results[1], results[0])


MISSING_OPTIONS = {
    "SGD": ("maximize", "nesterov"),
    "Adam": ("maximize", "amsgrad"),
    "RMSprop": ("momentum", "centered"),
    "NAdam": ("decoupled_weight_decay",),
    "RAdam": ("decoupled_weight_decay",),
}


@pytest.mark.parametrize("name", list(MISSING_OPTIONS))
def test_a_loaded_state_without_some_options_takes_their_defaults(name):
    """An older or hand-made state dict: PyTorch's optimizers fill in what it lacks."""
    results = []
    for library in (torch, ember):
        weight = library.nn.Parameter(library.ones(2))
        optimizer = getattr(library.optim, name)([weight], lr=0.1)
        weight.grad = library.ones(2)
        optimizer.step()
        state = optimizer.state_dict()
        for option in MISSING_OPTIONS[name]:
            del state["param_groups"][0][option]
        resumed = getattr(library.optim, name)([weight], lr=0.1)
        resumed.load_state_dict(state)
        resumed.step()
        results.append(weight.detach().numpy().copy())
    np.testing.assert_allclose(results[1], results[0], rtol=1e-6)
