"""Adagrad, RMSprop, Adadelta, Adamax, NAdam, RAdam, Rprop and ASGD against PyTorch.

Each trajectory trains a small model in torch and hands the same gradients to ember, so
that only the optimizers' arithmetic can part the two; parameters and the whole state
dict (keys, order, dtypes, shapes, values) are then compared after 25 steps.
"""

import copy
import inspect

import numpy as np
import pytest
import torch

import ember
from ember import nn

NAMES = ["Adagrad", "RMSprop", "Adadelta", "Adamax", "NAdam", "RAdam", "Rprop", "ASGD"]
STEPS = 25
TOLERANCE = {"float32": {"rtol": 2e-5, "atol": 2e-6}, "float64": {"rtol": 1e-10, "atol": 1e-12}}


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """A model this small trains fastest on one thread (and is not slowed by busy cores)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


class Pair:
    """A torch model, an extra parameter it never uses, and ember copies of all of them."""

    def __init__(self, dtype="float32", seed=0):
        torch.manual_seed(seed)
        self.model = torch.nn.Sequential(
            torch.nn.Linear(5, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3)
        ).to(getattr(torch, dtype))
        unused = torch.nn.Parameter(torch.randn(4, dtype=getattr(torch, dtype)))
        self.torch_params = [*self.model.parameters(), unused]
        self.ember_params = [
            nn.Parameter(ember.tensor(p.detach().numpy().copy())) for p in self.torch_params
        ]
        self.x = torch.randn(16, 5, dtype=getattr(torch, dtype))
        self.y = torch.randint(0, 3, (16,))

    def optimizer(self, lib, name, options, groups=None):
        """``options`` may hold ``value(lib)`` makers (for tensors); ``groups(params)`` too."""
        params = self.ember_params if lib is ember else self.torch_params
        given = {key: value(lib) if callable(value) else value for key, value in options.items()}
        return getattr(lib.optim, name)(groups(params) if groups else params, **given)

    def optimizers(self, name, options, groups=None):
        return tuple(self.optimizer(lib, name, options, groups) for lib in (ember, torch))

    def give_gradients(self):
        """torch's gradients at torch's parameters, copied into ember's (None stays None)."""
        for t in self.torch_params:
            t.grad = None
        torch.nn.functional.cross_entropy(self.model(self.x), self.y).backward()
        for e, t in zip(self.ember_params, self.torch_params):
            e.grad = None if t.grad is None else ember.tensor(t.grad.numpy().copy())

    def train(self, e_opt, t_opt, steps=STEPS):
        for _ in range(steps):
            self.give_gradients()
            e_opt.step()
            t_opt.step()


def plain(value):
    """A state-dict value made comparable across the libraries (tensors as their values)."""
    if isinstance(value, (torch.Tensor, ember.Tensor)):
        return ("tensor", str(value.dtype).split(".")[-1], tuple(value.shape), value.tolist())
    if isinstance(value, (list, tuple)):
        return type(value).__name__, [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def assert_same_values(ember_tensor, torch_tensor, dtype):
    assert str(ember_tensor.dtype).split(".")[-1] == str(torch_tensor.dtype).split(".")[-1]
    assert tuple(ember_tensor.shape) == tuple(torch_tensor.shape)
    e, t = ember_tensor.detach().numpy(), torch_tensor.detach().numpy()
    np.testing.assert_allclose(e, t, **TOLERANCE[dtype])


def assert_same_optimizers(e_opt, t_opt, e_params, t_params, dtype="float32"):
    """Parameters, groups and per-parameter state agree: keys, their order, dtypes, values."""
    for e, t in zip(e_params, t_params):
        assert_same_values(e, t, dtype)
    e_state, t_state = e_opt.state_dict(), t_opt.state_dict()
    assert plain(e_state["param_groups"]) == plain(t_state["param_groups"])
    assert list(e_state["state"]) == list(t_state["state"])
    for index, t_values in t_state["state"].items():
        e_values = e_state["state"][index]
        assert list(e_values) == list(t_values)
        for key, t_value in t_values.items():
            # Scalars (step, mu_product, eta, mu) keep torch's scalar dtype, not the param's.
            scalar_dtype = str(t_value.dtype).split(".")[-1]
            assert_same_values(e_values[key], t_value, scalar_dtype)


# Trajectories -------------------------------------------------------------------------------

GRID = {
    "Adagrad": [
        {},
        {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.1},
        {"lr": 0.1, "initial_accumulator_value": 0.5, "eps": 1e-3, "maximize": True},
        {"lr": 0.1, "weight_decay": 0.1, "maximize": True, "foreach": True},
        {"lr": 0.1, "lr_decay": 0.01, "fused": True},
    ],
    "RMSprop": [
        {},
        {"alpha": 0.9, "weight_decay": 0.1, "maximize": True},
        {"momentum": 0.9},
        {"centered": True, "eps": 1e-3},
        {"alpha": 0.9, "momentum": 0.5, "centered": True, "weight_decay": 0.1, "maximize": True},
        {"momentum": 0.9, "centered": True, "foreach": True},
    ],
    "Adadelta": [
        {},
        {"lr": 0.5, "rho": 0.3, "weight_decay": 0.1},
        {"rho": 0.99, "eps": 1e-4, "maximize": True, "foreach": True},
    ],
    "Adamax": [
        {},
        {"lr": 0.01, "betas": (0.3, 0.5), "weight_decay": 0.1},
        {"lr": 0.01, "eps": 1e-3, "maximize": True, "foreach": True},
    ],
    "NAdam": [
        {},
        {"lr": 0.01, "betas": (0.3, 0.5), "momentum_decay": 0.1, "weight_decay": 0.1},
        {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True},
        {"lr": 0.01, "foreach": True},
    ],
    "RAdam": [
        {},
        # beta2 = 0.5 lets the rectified, adaptive step begin after a few steps
        {"lr": 0.01, "betas": (0.3, 0.5), "weight_decay": 0.1},
        {"lr": 0.01, "betas": (0.9, 0.5), "weight_decay": 0.1, "decoupled_weight_decay": True},
        {"lr": 0.01, "betas": (0.9, 0.5), "maximize": True, "foreach": True},
    ],
    "Rprop": [
        {},
        {"lr": 0.05, "etas": (0.3, 2.0), "step_sizes": (1e-3, 0.02)},
        {"maximize": True, "foreach": True},
    ],
    "ASGD": [
        {},
        {"lr": 0.05, "lambd": 0.1, "t0": 5.0, "weight_decay": 0.1},
        # (torch's foreach ASGD rounds its own way: the default, single-tensor one is followed)
        {"lr": 0.05, "alpha": 0.5, "t0": 0.0, "maximize": True},
    ],
}
TRAJECTORIES = [(name, options) for name in NAMES for options in GRID[name]]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name, options", TRAJECTORIES, ids=str)
def test_trajectory_and_state_match_torch(name, options, dtype):
    pair = Pair(dtype)
    e_opt, t_opt = pair.optimizers(name, options)
    pair.train(e_opt, t_opt)
    assert_same_optimizers(e_opt, t_opt, pair.ember_params, pair.torch_params, dtype)


def as_tensor(value, dtype="float32"):
    return lambda lib: lib.tensor(value, dtype=getattr(lib, dtype))


# A tensor rate is read as a number: on float64 parameters, where PyTorch does its scalar
# arithmetic in the rate's float32, the two would part by ~1e-7; so float64 rates there.
TENSOR_OPTIONS = [
    ("Adagrad", {"lr": as_tensor(0.1), "lr_decay": 0.05}, "float32"),
    ("Adagrad", {"lr": as_tensor(1, "int64")}, "float32"),
    ("RMSprop", {"lr": as_tensor([0.01]), "momentum": 0.9, "centered": True}, "float32"),
    ("RMSprop", {"lr": as_tensor(0.01, "float64"), "weight_decay": as_tensor(0.1)}, "float64"),
    ("Adadelta", {"lr": as_tensor(0.5), "eps": as_tensor(1e-4)}, "float32"),
    ("Adamax", {"lr": as_tensor(0.01, "float64")}, "float64"),
    ("Adamax", {"betas": lambda lib: (lib.tensor(0.9), lib.tensor(0.99))}, "float32"),
    (
        "NAdam",
        {"lr": as_tensor(0.01), "weight_decay": 0.1, "decoupled_weight_decay": True},
        "float32",
    ),
    ("NAdam", {"lr": as_tensor([0.01], "float64")}, "float64"),
    ("RAdam", {"lr": as_tensor(0.01), "betas": (0.9, 0.5), "weight_decay": 0.1}, "float32"),
    ("Rprop", {"lr": as_tensor(0.05, "float64")}, "float32"),
    ("ASGD", {"lr": as_tensor(0.05), "t0": 3.0}, "float32"),
    ("ASGD", {"lr": as_tensor(1, "int64"), "lambd": 0.5}, "float32"),
]


@pytest.mark.parametrize("name, options, dtype", TENSOR_OPTIONS, ids=str)
def test_hyper_parameters_given_as_tensors_match_torch(name, options, dtype):
    pair = Pair(dtype)
    e_opt, t_opt = pair.optimizers(name, options)
    pair.train(e_opt, t_opt)
    assert_same_optimizers(e_opt, t_opt, pair.ember_params, pair.torch_params, dtype)
    assert repr(e_opt) == repr(t_opt).replace("torch.", "ember.")


@pytest.mark.parametrize("name", NAMES)
def test_a_tensor_learning_rate_changed_in_place_is_followed(name):
    """A scheduler writes a new rate into the tensor: each step reads it (Rprop: the first)."""
    pair = Pair()
    e_opt, t_opt = pair.optimizers(name, {"lr": lambda lib: lib.tensor(0.02)})
    pair.train(e_opt, t_opt, steps=5)
    for opt in (e_opt, t_opt):
        opt.param_groups[0]["lr"].mul_(0.5)
    pair.train(e_opt, t_opt, steps=5)
    assert_same_optimizers(e_opt, t_opt, pair.ember_params, pair.torch_params)


@pytest.mark.parametrize("name", NAMES)
def test_parameter_groups_with_their_own_options(name):
    overrides = {"lr": 0.005, "weight_decay": 0.05, "maximize": True}
    if name == "Rprop":
        overrides = {"lr": 0.005, "etas": (0.4, 1.5), "maximize": True}

    def groups(params):
        return [{"params": params[:2], **overrides}, {"params": params[2:]}]

    pair = Pair()
    e_opt, t_opt = pair.optimizers(name, {"lr": 0.02}, groups=groups)
    pair.train(e_opt, t_opt)
    assert_same_optimizers(e_opt, t_opt, pair.ember_params, pair.torch_params)


def test_a_float64_default_dtype_makes_float64_step_counts_as_in_torch():
    previous = ember.get_default_dtype(), torch.get_default_dtype()
    ember.set_default_dtype(ember.float64)
    torch.set_default_dtype(torch.float64)
    try:
        for name in NAMES:
            pair = Pair()
            e_opt, t_opt = pair.optimizers(name, {})
            pair.train(e_opt, t_opt, steps=3)
            assert_same_optimizers(e_opt, t_opt, pair.ember_params, pair.torch_params)
    finally:
        ember.set_default_dtype(previous[0])
        torch.set_default_dtype(previous[1])


# Construction: signatures, defaults, printing, errors -----------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_signature_defaults_and_repr_match_torch(name):
    def described(cls):
        return [(p.name, p.kind, p.default) for p in inspect.signature(cls).parameters.values()]

    assert described(getattr(ember.optim, name)) == described(getattr(torch.optim, name))
    pair = Pair()
    e_opt, t_opt = pair.optimizers(name, {})
    assert e_opt.defaults == t_opt.defaults
    assert list(e_opt.defaults) == list(t_opt.defaults)
    assert repr(e_opt) == repr(t_opt)


@pytest.mark.parametrize("name", NAMES)
def test_foreach_capturable_and_differentiable_are_accepted_and_kept(name):
    """Accepted where torch takes them, and stored; ember's one update serves them all."""
    flags = [
        flag
        for flag in ("foreach", "capturable", "differentiable")
        if flag in inspect.signature(getattr(torch.optim, name)).parameters
    ]
    pair = Pair()
    e_opt, t_opt = pair.optimizers(name, dict.fromkeys(flags, True) | {"foreach": False})
    assert plain(e_opt.state_dict()) == plain(t_opt.state_dict())
    pair.give_gradients()
    e_opt.step()  # torch refuses capturable on the CPU, and differentiable on a leaf
    assert all(p.grad is None or len(e_opt.state[p]) > 1 for p in pair.ember_params)


def invalid(name, **options):
    return pytest.param(name, options, id=f"{name}-{options}")


INVALID = [
    *(invalid(name, lr=-0.1) for name in NAMES),
    *(invalid(name, lr=float("nan")) for name in NAMES),
    *(invalid(name, lr=lambda lib: lib.tensor([0.1, 0.2])) for name in NAMES),
    *(invalid(name, lr=lambda lib: lib.tensor(-0.1)) for name in NAMES),
    *(invalid(name, weight_decay=-1.0) for name in NAMES if name != "Rprop"),
    *(invalid(name, eps=-1e-8) for name in NAMES if name not in ("Rprop", "ASGD")),
    *(invalid(name, betas=(1.0, 0.9)) for name in ("Adamax", "NAdam", "RAdam")),
    *(invalid(name, betas=(0.9, -0.1)) for name in ("Adamax", "NAdam", "RAdam")),
    invalid("Adagrad", lr_decay=-1.0),
    invalid("Adagrad", initial_accumulator_value=-1.0),
    invalid("Adagrad", fused=True, foreach=True),
    invalid("Adagrad", fused=True, differentiable=True),
    invalid("RMSprop", momentum=-0.5),
    invalid("RMSprop", alpha=-0.5),
    invalid("Adadelta", rho=1.5),
    invalid("Adadelta", rho=-0.1),
    invalid("NAdam", momentum_decay=-1.0),
    invalid("Rprop", etas=(1.0, 1.2)),
    invalid("Rprop", etas=(0.5, 1.0)),
    invalid("Rprop", etas=(0.0, 1.2)),
    invalid("RMSprop", fused=True),
    invalid("ASGD", eps=1e-8),
    invalid("Adamax", amsgrad=True),
]


@pytest.mark.parametrize("name, options", INVALID)
def test_invalid_hyper_parameters_raise_torch_errors(name, options):
    pair = Pair()
    with pytest.raises(Exception) as t_error:
        pair.optimizer(torch, name, options)
    with pytest.raises(type(t_error.value)) as e_error:
        pair.optimizer(ember, name, options)
    if not isinstance(t_error.value, RuntimeError):  # fused's refusals: in ember's words
        assert str(e_error.value) == str(t_error.value).replace("torch.", "ember.")


@pytest.mark.parametrize("name", NAMES)
def test_group_errors_match_torch(name):
    for lib, params in ((ember, Pair().ember_params), (torch, Pair().torch_params)):
        optimizer = getattr(lib.optim, name)
        with pytest.raises(ValueError, match="empty parameter list"):
            optimizer([])
        with pytest.raises(TypeError, match="iterable of Tensors or dicts"):
            optimizer(params[0])
        with pytest.raises(ValueError, match="more than one parameter group"):
            optimizer([{"params": params[:2]}, {"params": params[1:]}])


# Steps: skipped parameters, closures, zero_grad, no graph --------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_parameters_without_a_gradient_are_left_alone(name):
    """The unused parameter has no grad: unchanged, and given state only by Adagrad (at once)."""
    pair = Pair()
    e_opt, t_opt = pair.optimizers(name, {"lr": 0.05})
    before = pair.ember_params[-1].detach().clone()
    pair.train(e_opt, t_opt, steps=3)
    assert pair.ember_params[-1].grad is None
    assert ember.equal(pair.ember_params[-1], before)
    assert (pair.ember_params[-1] in e_opt.state) == (pair.torch_params[-1] in t_opt.state)
    assert_same_optimizers(e_opt, t_opt, pair.ember_params, pair.torch_params)


EDGE_OPTIONS = {
    "Adagrad": {"weight_decay": 0.1},
    "RMSprop": {"momentum": 0.9, "centered": True},
    "Adadelta": {},
    "Adamax": {},
    "NAdam": {"weight_decay": 0.1, "decoupled_weight_decay": True},
    "RAdam": {"betas": (0.9, 0.5)},
    "Rprop": {},
    "ASGD": {"t0": 1.0},
}


def run_on_gradients(lib, name, array, gradients):
    param = lib.nn.Parameter(lib.tensor(array))
    opt = getattr(lib.optim, name)([param], lr=0.01, **EDGE_OPTIONS[name])
    for grad in gradients:
        param.grad = lib.tensor(grad)
        opt.step()
    return param, opt.state[param]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "shape, dtype", [((), "float32"), ((0,), "float32"), ((3, 0), "float64"), ((5,), "float16")]
)
def test_zero_dimensional_empty_and_half_parameters(name, shape, dtype):
    rng = np.random.default_rng(0)
    array = rng.standard_normal(shape).astype(dtype)
    gradients = [rng.standard_normal(shape).astype(dtype) for _ in range(4)]
    e_param, e_state = run_on_gradients(ember, name, array, gradients)
    t_param, t_state = run_on_gradients(torch, name, array, gradients)
    # torch rounds a fused float16 kernel once, NumPy each op: a few float16 ulps apart
    tolerance = 3e-2 if dtype == "float16" else 1e-5
    for e, t in [(e_param, t_param), *((e_state[key], t_state[key]) for key in t_state)]:
        assert str(e.dtype).split(".")[-1] == str(t.dtype).split(".")[-1]
        assert tuple(e.shape) == tuple(t.shape)
        np.testing.assert_allclose(e.detach().numpy(), t.detach().numpy(), rtol=tolerance)
    assert list(e_state) == list(t_state)


@pytest.mark.parametrize("name", NAMES)
def test_nan_and_infinite_gradients_as_torch(name):
    """Rprop, for one, takes a NaN's sign as 0 as torch does: that coordinate stays put."""
    rng = np.random.default_rng(0)
    array = rng.standard_normal(6).astype(np.float32)
    gradients = [rng.standard_normal(6).astype(np.float32) for _ in range(4)]
    gradients[1][:3] = [np.nan, np.inf, -np.inf]
    e_param, e_state = run_on_gradients(ember, name, array, gradients)
    t_param, t_state = run_on_gradients(torch, name, array, gradients)
    for e, t in [(e_param, t_param), *((e_state[key], t_state[key]) for key in t_state)]:
        np.testing.assert_allclose(e.detach().numpy(), t.detach().numpy(), rtol=1e-5)


def test_adagrad_makes_its_state_at_construction_as_torch():
    """From the constructor's initial_accumulator_value, whatever a group says, as in torch."""
    pair = Pair()

    def groups(params):
        return [{"params": params[:2], "initial_accumulator_value": 5.0}, {"params": params[2:4]}]

    e_opt, t_opt = pair.optimizers("Adagrad", {"initial_accumulator_value": 0.5}, groups=groups)
    assert plain(e_opt.state_dict()) == plain(t_opt.state_dict())
    e_opt.add_param_group({"params": pair.ember_params[4:], "initial_accumulator_value": 2.0})
    t_opt.add_param_group({"params": pair.torch_params[4:], "initial_accumulator_value": 2.0})
    assert plain(e_opt.state_dict()) == plain(t_opt.state_dict())  # a later group: no state yet
    pair.ember_params[4].grad = ember.ones(4, dtype=ember.float32)
    pair.torch_params[4].grad = torch.ones(4)
    e_opt.step()
    t_opt.step()
    assert_same_optimizers(e_opt, t_opt, pair.ember_params, pair.torch_params)


@pytest.mark.parametrize("name", NAMES)
def test_closure_zero_grad_and_no_graph(name):
    results = []
    for lib in (ember, torch):
        weight = lib.nn.Parameter(lib.tensor([1.0, -2.0, 3.0]))
        opt = getattr(lib.optim, name)([weight], lr=0.1)

        def closure(opt=opt, weight=weight):
            opt.zero_grad()
            loss = (weight * weight).sum()
            loss.backward()
            return loss

        losses = [opt.step(closure).item() for _ in range(3)]
        version = weight._version
        opt.zero_grad(set_to_none=False)
        zeroed = weight.grad.tolist()
        opt.zero_grad()
        results.append((losses, weight.tolist(), zeroed, weight.grad, weight.is_leaf, version > 0))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-6)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-6)
    assert results[0][2:] == results[1][2:]


@pytest.mark.parametrize("name", NAMES)
def test_a_step_changes_parameters_in_place_without_a_graph(name):
    layer = nn.Linear(3, 2)
    weight, storage = layer.weight, layer.weight._data
    opt = getattr(ember.optim, name)(layer.parameters())
    layer(ember.ones(4, 3)).sum().backward()
    version = weight._version
    opt.step()
    assert layer.weight is weight and weight._data is storage
    assert weight.is_leaf and weight.grad_fn is None and weight._version > version
    assert all(not value.requires_grad for state in opt.state.values() for value in state.values())


@pytest.mark.parametrize("name", NAMES)
def test_on_a_stand_in_gpu_the_same_numbers_and_no_waiting(name):
    """CuPy arrays, faked with NumPy: the CPU's numbers, and no value read back to the host,
    but for ASGD, whose eta and mu live on the parameter's device and are read, as in torch."""
    fake_cupy = pytest.importorskip("fake_cupy")
    rng = np.random.default_rng(0)
    array = rng.standard_normal((3, 4)).astype(np.float32)
    gradients = [rng.standard_normal((3, 4)).astype(np.float32) for _ in range(3)]
    results = []
    with fake_cupy.installed():
        for device in ("cpu", "cuda"):
            param = nn.Parameter(ember.tensor(array, device=device))
            opt = getattr(ember.optim, name)([param], lr=0.01, **EDGE_OPTIONS[name])
            reads = fake_cupy.host_reads[0]
            for grad in gradients:
                param.grad = ember.tensor(grad, device=device)
                opt.step()
            reads = fake_cupy.host_reads[0] - reads
            places = {key: value.device.type for key, value in opt.state[param].items()}
            results.append(param.detach().cpu().numpy())
    np.testing.assert_array_equal(results[0], results[1])
    assert reads == (9 if name == "ASGD" else 0)
    assert places["step"] == ("cuda" if name == "ASGD" else "cpu")
    assert all(places[key] == "cuda" for key in places if key not in ("step", "mu_product"))


# Saving and loading ---------------------------------------------------------------------------

RESUMED = [
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.01}),
    ("RMSprop", {"momentum": 0.9, "centered": True}),
    ("Adadelta", {}),
    ("Adamax", {"lr": 0.01}),
    ("NAdam", {"lr": 0.01}),
    ("RAdam", {"lr": 0.01, "betas": (0.9, 0.5)}),
    ("Rprop", {}),
    ("ASGD", {"lr": 0.05, "t0": 2.0}),
]


@pytest.mark.parametrize("name, options", RESUMED, ids=str)
def test_a_loaded_state_dict_resumes_where_torch_goes_on(name, options):
    pair = Pair()
    e_opt, t_opt = pair.optimizers(name, options)
    pair.train(e_opt, t_opt, steps=10)
    saved = copy.deepcopy(e_opt.state_dict())
    resumed = getattr(ember.optim, name)(pair.ember_params, lr=123.0)
    resumed.load_state_dict(saved)
    assert plain(resumed.state_dict()) == plain(e_opt.state_dict())
    pair.train(resumed, t_opt, steps=10)
    assert_same_optimizers(resumed, t_opt, pair.ember_params, pair.torch_params)
    assert plain(saved) != plain(resumed.state_dict())  # loading copied: the saved dict stayed


@pytest.mark.parametrize("name", NAMES)
def test_loading_into_float64_parameters_casts_the_state_as_torch(name):
    """Every state but ``step`` takes the parameter's dtype (NAdam's mu_product, ASGD's eta...)."""
    dtypes = []
    for lib, params in ((ember, Pair().ember_params), (torch, Pair().torch_params)):
        opt = getattr(lib.optim, name)(params[:1])
        params[0].grad = lib.ones_like(params[0])
        opt.step()
        target = [lib.nn.Parameter(params[0].detach().double())]
        loaded = getattr(lib.optim, name)(target)
        loaded.load_state_dict(opt.state_dict())
        state = loaded.state[target[0]]
        dtypes.append({key: str(value.dtype).split(".")[-1] for key, value in state.items()})
    assert dtypes[0] == dtypes[1]


# The book's chapter 12, on ember's own gradients ----------------------------------------------


@pytest.mark.parametrize(
    "name, options",
    [("Adagrad", {"lr": 0.1}), ("RMSprop", {"lr": 0.01, "alpha": 0.9}), ("Adadelta", {"rho": 0.9})],
)
def test_the_books_optimizers_train_a_model_as_torch_does(name, options):
    """Whole training runs, each library computing its own gradients."""
    rng = np.random.default_rng(0)
    features = rng.standard_normal((64, 4)).astype(np.float32)
    labels = rng.standard_normal((64, 1)).astype(np.float32)
    curves = []
    for lib in (ember, torch):
        net = lib.nn.Sequential(lib.nn.Linear(4, 8), lib.nn.ReLU(), lib.nn.Linear(8, 1))
        generator = np.random.default_rng(1)
        with lib.no_grad():
            for param in net.parameters():
                param.copy_(lib.tensor(generator.uniform(-0.5, 0.5, tuple(param.shape))))
        opt = getattr(lib.optim, name)(net.parameters(), **options)
        x, y = lib.tensor(features), lib.tensor(labels)
        losses = []
        for _ in range(30):
            opt.zero_grad()
            loss = lib.nn.functional.mse_loss(net(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        curves.append(losses)
    np.testing.assert_allclose(curves[0], curves[1], rtol=1e-4)
    assert curves[0][-1] < curves[0][0]
