"""A differential round against PyTorch on nn.Module's machinery: forward hooks,
set_submodule, load_state_dict's legacy scalars, Module.type, Parameter's copies, and
the containers (Sequential's operators, ModuleDict, ParameterList, ParameterDict).

Each scenario takes the library (``ember`` or ``torch``), builds the same modules in
both and returns what it saw; ``same_outcome`` compares the two, or the error types.
"""

import copy
from collections import OrderedDict

import numpy as np
import pytest
import torch
from oracle import check_error

import ember


def comparable(value):
    """A plain Python description of ``value`` that reads the same in both libraries."""
    if isinstance(value, (torch.Tensor, ember.Tensor)):
        kind = "Parameter" if isinstance(value, (torch.nn.Parameter, ember.nn.Parameter)) else ""
        array = value.detach().cpu().numpy()
        values = array.astype(np.float64).round(6) if array.dtype.kind == "f" else array
        return kind, str(array.dtype), array.shape, values.tolist(), value.requires_grad
    if isinstance(value, (torch.nn.Module, ember.nn.Module)):
        return repr(value).replace("torch.", "ember.")
    if isinstance(value, (list, tuple)):
        return [comparable(item) for item in value]
    if isinstance(value, str):
        return value.replace("torch.", "ember.")
    return value


def same_outcome(scenario):
    """``scenario`` runs without error in torch and gives the same result in ember.

    Errors are compared with ``oracle.check_error``."""
    torch_outcome = comparable(scenario(torch))
    assert comparable(scenario(ember)) == torch_outcome
    return torch_outcome


def linear(lib):
    """Linear(2, 1) with known weights, so outputs compare across the libraries."""
    layer = lib.nn.Linear(2, 1)
    with lib.no_grad():
        layer.weight.copy_(lib.tensor([[1.0, 2.0]]))
        layer.bias.fill_(0.5)
    return layer


def members(module):
    """What a module has registered, by kind, and its repr."""
    return (
        [name for name, _ in module.named_parameters()],
        [name for name, _ in module.named_children()],
        list(module.state_dict()),
        repr(module),
    )


# Forward hooks -------------------------------------------------------------------------


def test_forward_hooks_with_kwargs_see_and_replace_keyword_inputs_like_torch():
    def scenario(lib):
        layer, seen = linear(lib), []
        layer.register_forward_pre_hook(
            lambda module, args, kwargs: ((), {"input": kwargs["input"] * 2}), with_kwargs=True
        )
        layer.register_forward_hook(
            lambda module, args, kwargs, output: seen.append(sorted(kwargs)) or output + 1,
            with_kwargs=True,
        )
        return layer(input=lib.ones(3, 2)), seen

    same_outcome(scenario)


@pytest.mark.parametrize(
    "returned",
    [lambda args, kwargs: 5, lambda args, kwargs: (args,), lambda args, kwargs: (args, kwargs, 1)],
    ids=["a_number", "args_only", "a_triple"],
)
def test_a_keyword_pre_hook_must_return_none_or_a_pair_like_torch(returned):
    def scenario(lib):
        layer = linear(lib)
        layer.register_forward_pre_hook(
            lambda module, args, kwargs: returned(args, kwargs), with_kwargs=True
        )
        layer(lib.ones(3, 2))

    check_error(scenario)


def test_prepended_hooks_run_first_and_handles_have_ids_like_torch():
    def scenario(lib):
        layer, order = linear(lib), []
        layer.register_forward_pre_hook(lambda *args: order.append("pre"))
        layer.register_forward_pre_hook(lambda *args: order.append("first pre"), prepend=True)
        later = layer.register_forward_hook(lambda *args: order.append("hook"))
        first = layer.register_forward_hook(lambda *args: order.append("first hook"), prepend=True)
        layer(lib.ones(1, 2))
        first.remove()
        layer(lib.ones(1, 2))
        return order, first.id > later.id, list(layer._forward_hooks) == [later.id]

    assert same_outcome(scenario)[1:] == [True, True]
    check_error(lambda lib: linear(lib).register_forward_hook(lambda *args: None, True))


# set_submodule ---------------------------------------------------------------------------


def nested(lib):
    net = lib.nn.Sequential(linear(lib), lib.nn.Sequential(lib.nn.ReLU()))
    net[0].plain = 3
    net[1].add_module("empty", None)
    return net


@pytest.mark.parametrize(
    "target,strict",
    [("1.0", False), ("1.1", False), ("1.0", True), ("0.new", False), ("1", True)],
)
def test_set_submodule_puts_a_module_at_a_dotted_path_like_torch(target, strict):
    def scenario(lib):
        net = nested(lib)
        returned = net.set_submodule(target, lib.nn.Tanh(), strict=strict)
        return returned, members(net)

    same_outcome(scenario)


@pytest.mark.parametrize(
    "target,strict,module,named",
    [
        ("1.1", True, "Tanh", "1"),
        ("0.weight", False, "Tanh", "weight"),
        ("0.plain", False, "Tanh", "plain"),
        ("1.empty", False, "Tanh", "empty"),
        ("2.x", False, "Tanh", "2"),
        ("", False, "Tanh", ""),
        ("1.0", False, None, "int"),
    ],
    ids=[
        "strict_missing",
        "a_parameter",
        "a_plain_attribute",
        "a_none_child",
        "no_parent",
        "empty_target",
        "not_a_module",
    ],
)
def test_set_submodule_refuses_what_torch_refuses(target, strict, module, named):
    def scenario(lib):
        value = getattr(lib.nn, module)() if module else 3
        nested(lib).set_submodule(target, value, strict=strict)

    error = check_error(scenario)
    assert named in str(error) and "'set_submodule'" not in str(error)


# load_state_dict and Module.type --------------------------------------------------------


def scalar_holder(lib):
    module = lib.nn.Module()
    module.register_buffer("count", lib.tensor(3.0))
    module.scale = lib.nn.Parameter(lib.tensor(1.0))
    return module


@pytest.mark.parametrize("assign", [False, True])
def test_a_one_element_vector_loads_into_a_scalar_like_torch(assign):
    def scenario(lib):
        module = scalar_holder(lib)
        state = {"count": lib.tensor([5.0]), "scale": lib.tensor([2.0])}
        result = module.load_state_dict(state, assign=assign)
        return repr(result), module.count, module.scale

    same_outcome(scenario)
    for shape in ([2], [1, 1]):
        check_error(
            lambda lib, shape=shape: scalar_holder(lib).load_state_dict(
                {"count": lib.ones(shape), "scale": lib.ones(())}
            )
        )


def test_module_type_takes_a_tensor_type_name_like_torch():
    def scenario(lib):
        layer = linear(lib)
        returned = layer.type(f"{lib.__name__}.DoubleTensor")
        return returned is layer, layer.weight, layer(lib.ones(1, 2, dtype=lib.float64))

    same_outcome(scenario)


def test_module_type_refuses_integers_for_parameters_that_train_like_torch():
    check_error(lambda lib: linear(lib).type(lib.int64))

    def frozen(lib):
        layer = linear(lib).requires_grad_(False)
        layer.type(lib.int64)
        return layer.weight, layer.bias

    same_outcome(frozen)


# Parameter ------------------------------------------------------------------------------


@pytest.mark.parametrize("requires_grad", [1, None, np.bool_(True)], ids=["int", "None", "numpy"])
def test_parameter_requires_grad_must_be_a_bool_like_torch(requires_grad):
    check_error(lambda lib: lib.nn.Parameter(lib.ones(1), requires_grad))


def test_deepcopy_of_a_parameter_or_module_leaves_the_gradient_behind_like_torch():
    def scenario(lib):
        layer = linear(lib)
        layer(lib.ones(1, 2)).sum().backward()
        parameter = copy.deepcopy(layer.weight)
        copied = copy.deepcopy(layer)
        return parameter, parameter.grad, copied.weight.grad, layer.weight.grad

    same_outcome(scenario)


def test_shallow_copy_of_a_parameter_shares_its_values_like_torch():
    def scenario(lib):
        parameter = lib.nn.Parameter(lib.zeros(2), requires_grad=False)
        shallow = copy.copy(parameter)
        with lib.no_grad():
            shallow.fill_(4.0)
        return shallow is parameter, shallow, parameter

    same_outcome(scenario)


# Sequential's operators and insert -------------------------------------------------------


def square(lib):
    """Linear(2, 2) with known weights: a Sequential of these may run twice in a row."""
    layer = lib.nn.Linear(2, 2)
    with lib.no_grad():
        layer.weight.copy_(lib.tensor([[1.0, -2.0], [0.5, 1.0]]))
        layer.bias.fill_(0.25)
    return layer


def numbered(lib):
    return lib.nn.Sequential(square(lib), lib.nn.ReLU())


def named(lib):
    return lib.nn.Sequential(OrderedDict(fc=square(lib), act=lib.nn.ReLU(), out=lib.nn.Tanh()))


GROWTHS = {
    "times_2": lambda lib, seq: seq * 2,
    "3_times": lambda lib, seq: 3 * seq,
    "in_place_plus": lambda lib, seq: seq.__iadd__(lib.nn.Sequential(lib.nn.Sigmoid())),
    "in_place_times_2": lambda lib, seq: seq.__imul__(2),
    "in_place_times_1": lambda lib, seq: seq.__imul__(1),
}


@pytest.mark.parametrize(
    "make,growth",
    [(numbered, name) for name in GROWTHS]
    # PyTorch's in-place repeat of a named Sequential fails (KeyError '0'), so only
    # the others are compared for it.
    + [(named, name) for name in ("times_2", "3_times", "in_place_plus")],
)
def test_sequential_repeats_and_grows_like_torch(make, growth):
    def scenario(lib):
        seq = make(lib)
        result = GROWTHS[growth](lib, seq)
        return result is seq, members(result), result(lib.ones(1, 2))

    same_outcome(scenario)


@pytest.mark.parametrize(
    "operation",
    [
        lambda lib, seq: seq * 0,
        lambda lib, seq: seq * -1,
        lambda lib, seq: seq * 1.5,
        lambda lib, seq: 2.0 * seq,
        lambda lib, seq: seq.__imul__(0),
        lambda lib, seq: seq.__iadd__([lib.nn.ReLU()]),
    ],
    ids=["times_0", "times_minus_1", "times_a_float", "a_float_times", "in_place_0", "plus_list"],
)
def test_sequential_operators_refuse_what_torch_refuses(operation):
    check_error(lambda lib: operation(lib, numbered(lib)))


@pytest.mark.parametrize("index", [0, 1, -1, 2, -2])
def test_sequential_insert_moves_numbered_modules_up_like_torch(index):
    def scenario(lib):
        seq = numbered(lib)
        returned = seq.insert(index, lib.nn.Sigmoid())
        return returned is seq, members(seq)

    same_outcome(scenario)


def test_inserting_into_a_named_sequential_matches_torch():
    def at_the_end(lib):
        seq = named(lib)
        seq.insert(3, lib.nn.Sigmoid())
        return members(seq)

    same_outcome(at_the_end)
    for index in (0, -1):
        error = check_error(lambda lib, index=index: named(lib).insert(index, lib.nn.Sigmoid()))
        assert "no module named" in str(error)
    before = members(named(ember))
    seq = named(ember)
    with pytest.raises(KeyError):
        seq.insert(0, ember.nn.Sigmoid())
    assert members(seq) == before  # nothing moved
    check_error(lambda lib: numbered(lib).insert(0.0, lib.nn.Sigmoid()))


# ModuleDict -----------------------------------------------------------------------------


def module_dict(lib):
    return lib.nn.ModuleDict({"b": linear(lib), "a": lib.nn.ReLU()})


@pytest.mark.parametrize(
    "operation",
    [
        lambda lib, d: members(d),
        lambda lib, d: (d["a"], d.b, len(d), list(d), "a" in d, "zz" in d, 3 in d),
        lambda lib, d: (list(d.keys()), list(d.values()), list(d.items())),
        lambda lib, d: (d.__setitem__("c", lib.nn.Tanh()), members(d)),
        lambda lib, d: (d.__setitem__("b", lib.nn.Tanh()), members(d)),
        lambda lib, d: (d.__setitem__("c", None), members(d)),
        lambda lib, d: (d.__delitem__("b"), members(d)),
        lambda lib, d: (d.pop("b"), members(d)),
        lambda lib, d: (d.clear(), members(d)),
        lambda lib, d: (d.update({"z": lib.nn.Tanh(), "c": lib.nn.Sigmoid()}), members(d)),
        lambda lib, d: (d.update(lib.nn.ModuleDict({"z": lib.nn.Tanh()})), members(d)),
        lambda lib, d: (d.update([("z", lib.nn.Tanh()), ["c", lib.nn.Sigmoid()]]), members(d)),
        lambda lib, d: members(lib.nn.ModuleDict([("a", lib.nn.ReLU()), ("a", lib.nn.Tanh())])),
        lambda lib, d: members(lib.nn.ModuleDict()),
        lambda lib, d: [m.training for m in d.eval().modules()],
        lambda lib, d: members(copy.deepcopy(d)),
        lambda lib, d: (lambda parent: (setattr(parent, "blocks", d), members(parent)))(
            lib.nn.Module()
        ),
    ],
    ids=[
        "members",
        "lookups",
        "views",
        "set_new",
        "set_existing",
        "set_none",
        "delete",
        "pop",
        "clear",
        "update_dict",
        "update_module_dict",
        "update_pairs",
        "duplicate_keys",
        "empty",
        "eval",
        "deepcopy",
        "inside_a_module",
    ],
)
def test_module_dict_matches_torch(operation):
    same_outcome(lambda lib: operation(lib, module_dict(lib)))


@pytest.mark.parametrize(
    "operation",
    [
        lambda lib, d: d["missing"],
        lambda lib, d: d[0],
        lambda lib, d: d.missing,
        lambda lib, d: d.pop("missing"),
        lambda lib, d: d.__delitem__("missing"),
        lambda lib, d: d.__setitem__(1, lib.nn.Tanh()),
        lambda lib, d: d.__setitem__("c", 3),
        lambda lib, d: d.__setitem__("a.b", lib.nn.Tanh()),
        lambda lib, d: d.__setitem__("training", lib.nn.Tanh()),
        lambda lib, d: d.update(3),
        lambda lib, d: d.update([3]),
        lambda lib, d: d.update([("x",)]),
        lambda lib, d: d(lib.ones(1)),
        lambda lib, d: lib.nn.ModuleDict(3),
    ],
    ids=[
        "missing_key",
        "int_key",
        "missing_attribute",
        "pop_missing",
        "delete_missing",
        "set_int_key",
        "set_a_number",
        "dotted_key",
        "taken_name",
        "update_a_number",
        "update_not_pairs",
        "update_short_pair",
        "call",
        "from_a_number",
    ],
)
def test_module_dict_refuses_what_torch_refuses(operation):
    check_error(lambda lib: operation(lib, module_dict(lib)))


# ParameterList and ParameterDict -------------------------------------------------------


def parameter_list(lib):
    return lib.nn.ParameterList(
        [
            lib.nn.Parameter(lib.ones(2)),
            lib.zeros(3, 4),
            lib.nn.Parameter(lib.ones(1, dtype=lib.float64), requires_grad=False),
            lib.nn.Parameter(lib.tensor(1.0)),
        ]
    )


@pytest.mark.parametrize(
    "operation",
    [
        lambda lib, p: members(p),
        lambda lib, p: (list(p), len(p), p[1], p[-1]),
        lambda lib, p: (members(p[1:3]), p[1:3][0] is p[1], members(p[::-1])),
        lambda lib, p: (p.__setitem__(0, lib.ones(5)), members(p), p[0]),
        lambda lib, p: (p.append(3) is p, members(p), p[4]),
        lambda lib, p: (p.append(lib.nn.Linear(1, 1)), members(p)),
        lambda lib, p: (p.extend([lib.ones(1)]) is p, p.__iadd__([lib.ones(2)]) is p, members(p)),
        lambda lib, p: (p.append(lib.ones(1, requires_grad=True) * 2), p[4].is_leaf),
        lambda lib, p: repr(lib.nn.ParameterList([lib.ones(2)])),
        lambda lib, p: members(lib.nn.ParameterList()),
        lambda lib, p: members(lib.nn.ParameterList(lib.ones(1) for _ in range(2))),
        lambda lib, p: members(p.double()),
        lambda lib, p: members(copy.deepcopy(p)),
        lambda lib, p: (repr(p.load_state_dict(parameter_list(lib).state_dict())), members(p)),
        lambda lib, p: len(lib.optim.SGD(p.parameters(), lr=0.1).param_groups[0]["params"]),
    ],
    ids=[
        "members",
        "lookups",
        "slices",
        "set",
        "append_a_number",
        "append_a_module",
        "extend",
        "a_computed_tensor_becomes_a_leaf",
        "one_line_repr",
        "empty",
        "from_a_generator",
        "double",
        "deepcopy",
        "load_state_dict",
        "optimizer",
    ],
)
def test_parameter_list_matches_torch(operation):
    same_outcome(lambda lib: operation(lib, parameter_list(lib)))


@pytest.mark.parametrize(
    "operation",
    [
        lambda lib, p: p[10],
        lambda lib, p: p["0"],
        lambda lib, p: p.__setitem__(9, lib.ones(1)),
        lambda lib, p: p.__setitem__(0, 3),
        lambda lib, p: p.append(lib.tensor([1])),
        lambda lib, p: p.extend(3),
        lambda lib, p: p.extend(lib.ones(2)),
        lambda lib, p: p(lib.ones(1)),
        lambda lib, p: lib.nn.ParameterList(3),
    ],
    ids=[
        "out_of_range",
        "a_string_index",
        "set_out_of_range",
        "set_a_number_over_a_parameter",
        "an_integer_tensor",
        "extend_a_number",
        "extend_a_tensor",
        "call",
        "from_a_number",
    ],
)
def test_parameter_list_refuses_what_torch_refuses(operation):
    check_error(lambda lib: operation(lib, parameter_list(lib)))


def parameter_dict(lib):
    return lib.nn.ParameterDict(
        {
            "b": lib.ones(2),
            "a": lib.nn.Parameter(lib.zeros(1)),
            "c": lib.nn.Parameter(lib.tensor(2.0, dtype=lib.float64), requires_grad=False),
        }
    )


@pytest.mark.parametrize(
    "operation",
    [
        lambda lib, p: members(p),
        lambda lib, p: (p["a"], p.b, len(p), list(p), list(reversed(p)), "a" in p, "z" in p),
        lambda lib, p: (list(p.keys()), list(p.values()), list(p.items())),
        lambda lib, p: (
            p.__setitem__("d", lib.ones(3)),
            p.__setitem__("a", lib.ones(3)),
            members(p),
        ),
        lambda lib, p: (p.__setitem__("n", 3), p.__setitem__("m", lib.nn.Linear(1, 1)), members(p)),
        lambda lib, p: (p.__delitem__("a"), members(p)),
        lambda lib, p: (p.pop("a"), p.popitem(), members(p)),
        lambda lib, p: (p.get("a"), p.get("z"), p.get("z", 5)),
        lambda lib, p: (p.setdefault("a"), p.setdefault("q", lib.ones(1)), members(p)),
        lambda lib, p: (members(p.fromkeys(["x", "y"])), members(p.fromkeys(["x"], lib.ones(1)))),
        lambda lib, p: (lambda c: (members(c), c["a"] is p["a"]))(p.copy()),
        lambda lib, p: (p.clear(), members(p)),
        lambda lib, p: (members(p | {"z": lib.ones(1)}), p.__ior__({"y": lib.ones(1)}) is p),
        lambda lib, p: (p.update({"z": lib.ones(1), "d": lib.ones(1)}), members(p)),
        lambda lib, p: (p.update(OrderedDict(z=lib.ones(1), d=lib.ones(1))), members(p)),
        lambda lib, p: (p.update([("z", lib.ones(1)), ("d", lib.ones(1))]), members(p)),
        lambda lib, p: repr(lib.nn.ParameterDict({"a": lib.ones(2).half()})),
        lambda lib, p: members(p.double()),
        lambda lib, p: members(copy.deepcopy(p)),
        lambda lib, p: (repr(p.load_state_dict(parameter_dict(lib).state_dict())), members(p)),
    ],
    ids=[
        "members",
        "lookups",
        "views",
        "set",
        "set_other_values",
        "delete",
        "pop_and_popitem",
        "get",
        "setdefault",
        "fromkeys",
        "copy",
        "clear",
        "or",
        "update_sorts_a_dict",
        "update_keeps_an_ordered_dict",
        "update_pairs",
        "one_line_repr",
        "double",
        "deepcopy",
        "load_state_dict",
    ],
)
def test_parameter_dict_matches_torch(operation):
    same_outcome(lambda lib: operation(lib, parameter_dict(lib)))


@pytest.mark.parametrize(
    "operation",
    [
        lambda lib, p: p["missing"],
        lambda lib, p: p[0],
        lambda lib, p: p.__setitem__(1, lib.ones(1)),
        lambda lib, p: p.__setitem__("a", 3),
        lambda lib, p: p.__setitem__("a.b", lib.ones(1)),
        lambda lib, p: p.__setitem__("keys", lib.ones(1)),
        lambda lib, p: p.__delitem__("missing"),
        lambda lib, p: p.pop("missing"),
        lambda lib, p: lib.nn.ParameterDict().popitem(),
        lambda lib, p: p.update(3),
        lambda lib, p: p.update([3]),
        lambda lib, p: p.update([("x",)]),
        lambda lib, p: p(1),
        lambda lib, p: lib.nn.ParameterDict({"a": lib.ones(2).long()}),
    ],
    ids=[
        "missing_key",
        "int_key",
        "set_int_key",
        "set_a_number_over_a_parameter",
        "dotted_key",
        "taken_name",
        "delete_missing",
        "pop_missing",
        "popitem_empty",
        "update_a_number",
        "update_not_pairs",
        "update_short_pair",
        "call",
        "an_integer_tensor",
    ],
)
def test_parameter_dict_refuses_what_torch_refuses(operation):
    check_error(lambda lib: operation(lib, parameter_dict(lib)))
