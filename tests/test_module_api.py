"""The nn.Module API at its edges, against PyTorch (SPEC N2): which names each kind of
member may take, which state_dict keys are unexpected, Module.to's argument forms,
get_buffer, and the containers' index and extend rules.

Each scenario takes the library (``ember`` or ``torch``) and runs the same calls in both.
"""

import warnings
from collections import OrderedDict

import numpy as np
import pytest
import torch
from oracle import check_error
from test_autograd import same

import ember


def network(lib):
    """Two Linear children, a persistent and a non-persistent buffer."""
    net = lib.nn.Sequential(OrderedDict(fc1=lib.nn.Linear(3, 4), fc2=lib.nn.Linear(4, 2)))
    net.register_buffer("running", lib.zeros(2))
    net.register_buffer("scratch", lib.ones(1), persistent=False)
    return net


def names(pairs):
    return [name for name, _ in pairs]


# Registering a name that another kind of member holds ------------------------------------


@pytest.mark.parametrize(
    "register",
    [
        lambda lib, net: net.register_parameter("fc1", lib.nn.Parameter(lib.ones(1))),
        lambda lib, net: net.register_parameter("running", lib.nn.Parameter(lib.ones(1))),
        lambda lib, net: net.register_buffer("fc1", lib.ones(1)),
        lambda lib, net: net.register_buffer("fc1", None),
        lambda lib, net: net.fc1.add_module("weight", lib.nn.ReLU()),
        lambda lib, net: net.add_module("running", lib.nn.ReLU()),
    ],
    ids=[
        "parameter_over_module",
        "parameter_over_buffer",
        "buffer_over_module",
        "none_buffer_over_module",
        "module_over_parameter",
        "module_over_buffer",
    ],
)
def test_registering_a_name_another_kind_holds_is_a_key_error_like_torch(register):
    error = check_error(lambda lib: register(lib, network(lib)))
    assert "already exists" in str(error)


def test_a_child_set_to_none_still_holds_its_name_like_torch():
    def scenario(lib):
        net = network(lib)
        net.fc1 = None
        net.register_parameter("fc1", lib.nn.Parameter(lib.ones(1)))

    check_error(scenario)


def test_each_kind_may_still_replace_its_own_members():
    def scenario(lib):
        net = network(lib)
        net.register_buffer("running", lib.ones(3))
        net.register_buffer("scratch", lib.ones(1))  # now persistent
        net.fc1.register_parameter("bias", None)
        net.add_module("fc2", lib.nn.Tanh())
        return list(net.state_dict()), names(net.named_modules())

    assert scenario(ember) == scenario(torch)


# Unexpected keys in load_state_dict ------------------------------------------------------


@pytest.mark.parametrize(
    "extra_keys",
    [["fc1"], ["_extra_state", "fc1._extra_state"], ["fc2.extra", "zzz", "fc1.weight.x"]],
    ids=["a_child_module_name", "extra_state", "under_a_child_and_under_a_parameter"],
)
def test_unexpected_keys_match_torch(extra_keys):
    def scenario(lib):
        net = network(lib)
        state = net.state_dict()
        for key in extra_keys:
            state[key] = lib.zeros(1)
        result = net.load_state_dict(state, strict=False)
        return result.missing_keys, result.unexpected_keys

    assert scenario(ember) == scenario(torch)


def test_a_key_naming_a_child_set_to_none_is_unexpected_like_torch():
    def scenario(lib):
        net = network(lib)
        state = net.state_dict()
        net.fc2 = None
        state["fc2"] = lib.zeros(1)
        return tuple(net.load_state_dict(state, strict=False))

    assert scenario(ember) == scenario(torch)
    with pytest.raises(RuntimeError, match='Unexpected key\\(s\\) in state_dict: "fc1"'):
        state = network(ember).state_dict()
        state["fc1"] = ember.zeros(1)
        network(ember).load_state_dict(state)


# state_dict's positional arguments -------------------------------------------------------


def test_state_dict_positional_arguments_warn_like_torch():
    def scenario(lib):
        destination = OrderedDict()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = lib.nn.Linear(2, 1).state_dict(destination, "model.")
        return result is destination, list(result), [w.category for w in caught]

    assert (
        scenario(ember)
        == scenario(torch)
        == (True, ["model.weight", "model.bias"], [FutureWarning])
    )


# Module.to's argument forms --------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda lib, net: net.to("cpu", lib.float64, False),
        lambda lib, net: net.to(lib.float64, True),
        lambda lib, net: net.to(lib.ones(1, dtype=lib.float64), False),
        lambda lib, net: net.to(lib.device("cpu"), non_blocking=True),
        lambda lib, net: net.to("cpu", dtype=lib.float64),
        lambda lib, net: net.to(None),
        lambda lib, net: net.to(),
    ],
    ids=[
        "device_dtype_non_blocking",
        "dtype_non_blocking",
        "tensor_non_blocking",
        "device_keyword_non_blocking",
        "device_and_dtype_keyword",
        "none",
        "nothing",
    ],
)
def test_module_to_accepts_torch_argument_forms(call):
    def scenario(lib):
        net = network(lib)
        returned = call(lib, net)
        return returned is net, [str(p.dtype).split(".")[-1] for p in net.parameters()]

    assert scenario(ember) == scenario(torch)


@pytest.mark.parametrize(
    "call",
    [
        lambda lib, net: net.to(lib.float64, dtype=lib.float64),
        lambda lib, net: net.to("cpu", device="cpu"),
        lambda lib, net: net.to(lib.float64, lib.float32),
        lambda lib, net: net.to("cpu", "cpu"),
        lambda lib, net: net.to(foo=1),
        lambda lib, net: net.to([1]),
    ],
    ids=["dtype_twice", "device_twice", "two_dtypes", "two_devices", "unknown_keyword", "list"],
)
def test_module_to_refuses_what_torch_refuses(call):
    def scenario(lib):
        net = network(lib)
        call(lib, net)

    check_error(scenario)


# get_buffer ------------------------------------------------------------------------------


def test_get_buffer_matches_torch():
    def scenario(lib):
        outer = lib.nn.Sequential(network(lib))
        return outer.get_buffer("0.running").tolist(), outer.get_buffer("0.scratch").tolist()

    assert scenario(ember) == scenario(torch)
    for target in ("0.fc1.weight", "0.missing", "1.running"):
        check_error(lambda lib, target=target: lib.nn.Sequential(network(lib)).get_buffer(target))


# Containers ------------------------------------------------------------------------------


def two_modules(lib, container):
    modules = [lib.nn.ReLU(), lib.nn.Tanh()]
    if container == "Sequential":
        return lib.nn.Sequential(*modules)
    return lib.nn.ModuleList(modules)


@pytest.mark.parametrize("index", ["0", 1.0, None])
@pytest.mark.parametrize("container", ["Sequential", "ModuleList"])
def test_container_indices_must_be_whole_numbers_like_torch(container, index):
    check_error(lambda lib: two_modules(lib, container)[index])
    check_error(lambda lib: two_modules(lib, container).__delitem__(index))


@pytest.mark.parametrize("container", ["Sequential", "ModuleList"])
def test_container_indices_may_be_numpy_integers_like_torch(container):
    def scenario(lib):
        return repr(two_modules(lib, container)[np.int64(-1)])

    assert scenario(ember) == scenario(torch)


def test_module_list_takes_any_iterable_of_modules_like_torch():
    def scenario(lib):
        from_sequential = lib.nn.ModuleList(lib.nn.Sequential(lib.nn.ReLU(), lib.nn.Tanh()))
        from_generator = lib.nn.ModuleList(module for module in [lib.nn.Sigmoid()])
        return repr(from_sequential), repr(from_generator)

    assert scenario(ember) == scenario(torch)
    for value in (3, 5.0):
        check_error(lambda lib, value=value: lib.nn.ModuleList().extend(value))
    error = check_error(lambda lib: lib.nn.ModuleList(lib.nn.ReLU()))
    assert "iterable" in str(error)


def test_a_buffer_keeps_requires_grad_of_the_tensor_it_marks():
    def scenario(t):
        module = t.nn.Module()
        module.b = t.nn.Buffer(t.ones(2, requires_grad=True))
        return module.b.requires_grad, [name for name, _ in module.named_buffers()]

    same(scenario)


def test_requires_grad_of_a_lazy_modules_parameters_waits_for_their_shape():
    for library in (torch, ember):
        with pytest.raises(ValueError, match="uninitialized parameter"):
            library.nn.LazyLinear(2).requires_grad_(False)
