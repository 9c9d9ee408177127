"""nn.Module's methods, the containers, optimizers, schedulers and save/load over grids of
arguments.

The companion of test_argument_sweeps (whose helpers this file uses): each template is a
line of code run in ember and in torch for every value of its grid (bools, ints, floats,
None, strings, dtypes, devices, tensors, tuples, lists, classes, modules, parameters...),
and both must give the same result (a dtype, a name, values) or an error of the same type.
Weights are filled with 0.5 first: ember draws its own random numbers.

They found (nineteenth day) ``Module.to`` taking ``True``, ``(device, True)``, a tensor or
a dtype as ``device=`` and a tensor as ``dtype=`` where PyTorch's parser refuses them, and
refusing ``dtype=float``; ``type(None)`` an AttributeError; a prefix that is no string
(``named_parameters(prefix=1)``) joined into the names; ``nn.Buffer()`` refused; a group's
``'lr': (0.1, 0.2)`` broadcast into the parameter; SGD reading ``dampening`` without
momentum (and a group's momentum before its second step); LBFGS comparing a tuple
``tolerance_grad`` elementwise; Rprop's ``step_sizes='a'`` a TypeError; CyclicLR's
``mode=[]`` and OneCycleLR's ``anneal_strategy=[]`` hashed into a TypeError; and
``pickle_module`` ignored by save and load. What is left out is in LEFT_OUT, with the
reason beside each.
"""

import pytest
from test_argument_sweeps import differences

MODULES = (
    "nn = t.nn; m = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)); "
    "lin = nn.Linear(2, 2); p = nn.Parameter(t.ones(2))\n"
    "with t.no_grad():\n"
    "    for q in [*m.parameters(), *lin.parameters()]: q.fill_(0.5)\n"
)
# No float among them: PyTorch's parser reads lin.to(1.5) as float64 (its own oddity).
MODULE_VALUES = [
    "True",
    "False",
    "None",
    "0",
    "1",
    "-1",
    "5",
    "'a'",
    "'cpu'",
    "t.float64",
    "t.int64",
    "t.tensor(1)",
    "t.ones(2)",
    "t.device('cpu')",
    "(1,)",
    "[]",
    "float",
    "nn.ReLU()",
    "p",
    "t.ones(2, dtype=t.float64)",
    "'0.weight'",
    "'0'",
]
# Names are joined into one string: a tuple of three strings would read as a tensor summary.
MODULE_TEMPLATES = [
    "lin.to({v}).weight.dtype",
    "lin.to(dtype={v}).weight.dtype",
    "lin.to(device={v}).weight.dtype",
    "lin.to('cpu', {v}).weight.dtype",
    "lin.to({v}, non_blocking=True).weight.dtype",
    "lin.to({v}, True).weight.dtype",
    "lin.to(t.float64, {v}).weight.dtype",
    "lin.to(non_blocking={v}).weight.dtype",
    "lin.type({v}).weight.dtype",
    "lin.train({v}).training",
    "lin.requires_grad_({v}).weight.requires_grad",
    "lin.zero_grad({v}) or lin.weight.grad",
    "lin.apply({v})",
    "' '.join(n for n, _ in m.named_parameters({v}))",
    "' '.join(n for n, _ in m.named_parameters(prefix={v}))",
    "' '.join(n for n, _ in lin.named_parameters(prefix={v}))",
    "' '.join(n for n, _ in m.named_parameters(recurse={v}))",
    "' '.join(n for n, _ in m.named_parameters(remove_duplicate={v}))",
    "' '.join(n for n, _ in m.named_buffers(prefix={v}))",
    "' '.join(str(n) for n, _ in m.named_modules(prefix={v}))",
    "' '.join(n for n, _ in lin.named_modules(prefix={v}))",
    "' '.join(n for n, _ in m.named_modules(memo={v}))",
    "' '.join(n for n, _ in m.named_modules(remove_duplicate={v}))",
    "len(list(m.parameters({v})))",
    "len(list(m.buffers({v})))",
    "m.get_submodule({v})",
    "m.get_parameter({v})",
    "m.get_buffer({v})",
    "lin.register_buffer({v}, t.ones(1))",
    "lin.register_buffer('b', {v}) or lin.b",
    "lin.register_buffer('b', t.ones(1), persistent={v}) or ' '.join(lin.state_dict())",
    "lin.register_parameter({v}, p)",
    "lin.register_parameter('q', {v}) or lin.q",
    "lin.add_module({v}, nn.ReLU())",
    "lin.add_module('r', {v}) or lin.r",
    "lin.register_module('r', {v}) or lin.r",
    "setattr(lin, 'weight', {v}) or lin.weight",
    "setattr(lin, 'extra', {v}) or lin.extra",
    "setattr(lin, 'training', {v}) or lin.training",
    "setattr(m, '0', {v}) or m[0]",
    "' '.join(lin.state_dict(prefix={v}))",
    "[v.requires_grad for v in lin.state_dict(keep_vars={v}).values()]",
    "lin.load_state_dict(lin.state_dict(), strict={v})",
    "lin.load_state_dict({{'weight': t.ones(2, 2)}}, strict={v})",
    "lin.load_state_dict({{'weight': {v}, 'bias': t.ones(2)}})",
    "lin.load_state_dict(lin.state_dict(), assign={v})",
    "lin.load_state_dict({v})",
    "lin.float({v})",
]
# The containers, built, indexed and changed with each value.
CONTAINER_TEMPLATES = [
    "nn.Sequential({v})",
    "nn.Sequential(nn.ReLU(), {v})",
    "nn.ModuleList({v})",
    "nn.ModuleList([{v}])",
    "nn.ModuleDict({v})",
    "nn.ModuleDict({{'a': {v}}})",
    "nn.ParameterList({v})",
    "nn.ParameterList([{v}])",
    "nn.ParameterDict({v})",
    "nn.ParameterDict({{'a': {v}}})",
    "m[{v}]",
    "nn.ModuleList(m)[{v}]",
    "nn.ModuleDict({{'a': lin}})[{v}]",
    "nn.ParameterList([p, p])[{v}]",
    "nn.ParameterDict({{'a': p}})[{v}]",
    "m.insert({v}, nn.ReLU())",
    "m.append({v})",
    "m.extend({v})",
    "m.pop({v})",
    "m.__delitem__({v}) or len(m)",
    "m.__setitem__({v}, nn.ReLU()) or len(m)",
    "m.__setitem__(0, {v}) or len(m)",
    "nn.ModuleList(m).append({v})",
    "nn.ModuleList(m).extend({v})",
    "nn.ModuleList(m).pop({v})",
    "nn.ModuleList(m).insert({v}, nn.ReLU())",
    "nn.ModuleList(m).__delitem__({v})",
    "nn.ModuleList(m).__setitem__({v}, nn.ReLU())",
    "nn.ModuleList(m).__setitem__(0, {v})",
    "nn.ParameterList([p]).append({v})",
    "nn.ParameterList([p]).extend({v})",
    "nn.ParameterList([p]).__setitem__({v}, p)",
    "nn.ParameterList([p]).__setitem__(0, {v})",
    "nn.ModuleDict({{'a': lin}}).pop({v})",
    "nn.ModuleDict({{'a': lin}}).update({v})",
    "nn.ModuleDict({{'a': lin}}).__setitem__({v}, lin)",
    "nn.ModuleDict({{'a': lin}}).__delitem__({v})",
    "nn.ParameterDict({{'a': p}}).pop({v})",
    "nn.ParameterDict({{'a': p}}).update({v})",
    "nn.ParameterDict({{'a': p}}).__setitem__({v}, p)",
    "nn.ParameterDict({{'a': p}}).get({v})",
    "{v} in nn.ModuleDict({{'a': lin}})",
    "{v} in nn.ParameterDict({{'a': p}})",
    "nn.Parameter({v})",
    "nn.Parameter(t.ones(2), {v})",
    "nn.Buffer({v})",
    "nn.Buffer(t.ones(2), persistent={v})",
]

OPTIMIZERS = (
    "nn = t.nn; w = nn.Parameter(t.tensor([1., -2.])); w.grad = t.tensor([0.5, 0.25]); "
    "v = nn.Parameter(t.tensor([3.])); v.grad = t.tensor([1.])\n"
    "def closure():\n"
    "    return t.tensor(2.)\n"
)
OPTIMIZER_VALUES = [
    "True",
    "False",
    "None",
    "0",
    "1",
    "-1",
    "0.5",
    "2.5",
    "'a'",
    "t.tensor(0.1)",
    "t.tensor([0.1])",
    "(0.9, 0.99)",
    "(0.9,)",
    "[0.9, 0.99]",
    "(1.5, 0.9)",
    "float('nan')",
    "float('inf')",
    "-0.1",
    "[]",
    "{}",
]
# Each optimizer built with each value as one hyper-parameter, then stepped once.
OPTIMIZER_TEMPLATES = [
    "t.optim.SGD([w], lr={v}).step() or w",
    "t.optim.SGD([w], lr=0.1, momentum={v}).step() or w",
    "t.optim.SGD([w], lr=0.1, dampening={v}).step() or w",
    "t.optim.SGD([w], lr=0.1, momentum=0.9, dampening={v}).step() or w",
    "[o.step() for o in [t.optim.SGD([w], lr=0.1, momentum=0.9, dampening={v})] * 2] and w",
    "t.optim.SGD([w], lr=0.1, weight_decay={v}).step() or w",
    "t.optim.SGD([w], lr=0.1, momentum=0.9, nesterov={v}).step() or w",
    "t.optim.SGD([w], lr=0.1, maximize={v}).step() or w",
    "t.optim.SGD([w], lr=0.1, foreach={v}).step() or w",
    "t.optim.Adam([w], lr={v}).step() or w",
    "t.optim.Adam([w], betas={v}).step() or w",
    "t.optim.Adam([w], eps={v}).step() or w",
    "t.optim.Adam([w], weight_decay={v}).step() or w",
    "t.optim.Adam([w], amsgrad={v}).step() or w",
    "t.optim.Adam([w], maximize={v}).step() or w",
    "t.optim.AdamW([w], lr={v}).step() or w",
    "t.optim.AdamW([w], betas={v}).step() or w",
    "t.optim.AdamW([w], weight_decay={v}).step() or w",
    "t.optim.AdamW([w], amsgrad={v}).step() or w",
    "t.optim.Adagrad([w], lr={v}).step() or w",
    "t.optim.Adagrad([w], lr_decay={v}).step() or w",
    "t.optim.Adagrad([w], initial_accumulator_value={v}).step() or w",
    "t.optim.RMSprop([w], alpha={v}).step() or w",
    "t.optim.RMSprop([w], momentum={v}, centered=True).step() or w",
    "t.optim.RMSprop([w], centered={v}).step() or w",
    "t.optim.Adadelta([w], rho={v}).step() or w",
    "t.optim.Adamax([w], betas={v}).step() or w",
    "t.optim.NAdam([w], momentum_decay={v}).step() or w",
    "t.optim.RAdam([w], decoupled_weight_decay={v}).step() or w",
    "t.optim.Rprop([w], etas={v}).step() or w",
    "t.optim.Rprop([w], step_sizes={v}).step() or w",
    "t.optim.ASGD([w], lambd={v}).step() or w",
    "t.optim.ASGD([w], t0={v}).step() or w",
    "t.optim.LBFGS([w], history_size={v})",
    "t.optim.LBFGS([w], max_iter={v})",
    "t.optim.LBFGS([w], line_search_fn={v})",
    "t.optim.SGD({v}, lr=0.1)",
    "t.optim.SGD([{v}], lr=0.1)",
    "t.optim.SGD([{{'params': {v}}}], lr=0.1)",
    "t.optim.SGD([{{'params': [w], 'lr': {v}}}], lr=0.1).step() or w",
    "t.optim.SGD([{{'params': [w], {v}: 1}}], lr=0.1)",
    "t.optim.SGD([{{'params': [w]}}, {{'params': [w], 'lr': {v}}}], lr=0.1)",
    "t.optim.SGD([{{'params': [w], 'momentum': {v}}}], lr=0.1).step() or w",
    "[o.step() for o in [t.optim.SGD([{{'params': [w], 'momentum': {v}}}], lr=0.1)] * 2] and w",
    "t.optim.Adam([{{'params': [w], 'betas': {v}}}], lr=0.1).step() or w",
    "t.optim.Adam([{{'params': [w], 'eps': {v}}}], lr=0.1).step() or w",
    "t.optim.Adam([w], lr=0.1, betas=({v}, 0.9)).step() or w",
    "t.optim.Adam([w], lr=0.1, betas=(0.9, {v})).step() or w",
    "t.optim.Adam([w], lr=0.1, foreach={v}).step() or w",
    "t.optim.SGD((q for q in {v}), lr=0.1)",
    "t.optim.LBFGS([w], lr={v}).step(lambda: (w * w).sum())",
    "t.optim.LBFGS([w], tolerance_grad={v}).step(lambda: (w * w).sum())",
    "t.optim.SGD([w], lr=0.1, momentum=0.9).step(lambda: t.tensor({v}))",
    "t.optim.SGD([w], lr=0.1).step({v})",
    "t.optim.SGD([w], lr=0.1).step(closure={v})",
    "t.optim.SGD([w], lr=0.1).zero_grad({v}) or w.grad",
    "t.optim.SGD([w], lr=0.1).zero_grad(set_to_none={v}) or w.grad",
    "t.optim.SGD([w], lr=0.1).add_param_group({v})",
    "t.optim.SGD([w], lr=0.1).add_param_group({{'params': {v}}})",
    "t.optim.SGD([w], lr=0.1).add_param_group({{'params': [v], 'lr': {v}}})",
    "t.optim.SGD([w], lr=0.1).load_state_dict({v})",
    "t.optim.SGD([w], lr=0.1).load_state_dict("
    "{{'state': {v}, 'param_groups': [{{'params': [0], 'lr': 0.1}}]}})",
    "t.optim.SGD([w], lr=0.1).load_state_dict({{'state': {{}}, 'param_groups': {v}}})",
    "t.optim.SGD([w], lr=0.1).load_state_dict("
    "{{'state': {{}}, 'param_groups': [{{'params': {v}, 'lr': 0.1}}]}})",
    "t.optim.SGD([w], lr=0.1).state_dict({v})",
]

SCHEDULERS = (
    "S = t.optim.lr_scheduler; w = t.nn.Parameter(t.tensor([1., -2.]))\n"
    "def o():\n"
    "    return t.optim.SGD([w], lr=0.1, momentum=0.9)\n"
    "def after(s, steps=3):\n"
    "    for _ in range(steps):\n"
    "        s.optimizer.step()\n"
    "        s.step(1.0) if isinstance(s, S.ReduceLROnPlateau) else s.step()\n"
    "    return t.tensor([float(g['lr']) for g in s.optimizer.param_groups])\n"
)
SCHEDULER_VALUES = [
    "True",
    "False",
    "None",
    "0",
    "1",
    "2",
    "-1",
    "0.5",
    "1.5",
    "'a'",
    "t.tensor(0.5)",
    "t.tensor([2])",
    "(1, 2)",
    "[2, 1]",
    "float('nan')",
    "float('inf')",
    "lambda e: 0.5",
    "[]",
    "'min'",
    "'triangular'",
]
# Each scheduler built with each value as one argument, then stepped three times.
SCHEDULER_TEMPLATES = [
    "S.StepLR(o(), step_size={v}).get_last_lr()",
    "S.StepLR(o(), 1, last_epoch={v}).get_last_lr()",
    "S.StepLR(o(), 1, verbose={v}).get_last_lr()",
    "after(S.StepLR(o(), step_size={v}))",
    "after(S.StepLR(o(), 1, gamma={v}))",
    "after(S.MultiStepLR(o(), milestones={v}))",
    "after(S.MultiStepLR(o(), [1, 2], gamma={v}))",
    "after(S.ExponentialLR(o(), gamma={v}))",
    "after(S.CosineAnnealingLR(o(), T_max={v}))",
    "after(S.CosineAnnealingLR(o(), 2, eta_min={v}))",
    "after(S.LinearLR(o(), start_factor={v}))",
    "after(S.LinearLR(o(), end_factor={v}))",
    "after(S.LinearLR(o(), total_iters={v}))",
    "after(S.ConstantLR(o(), factor={v}))",
    "after(S.ConstantLR(o(), total_iters={v}))",
    "after(S.PolynomialLR(o(), total_iters={v}))",
    "after(S.PolynomialLR(o(), power={v}))",
    "after(S.LambdaLR(o(), {v}))",
    "after(S.MultiplicativeLR(o(), {v}))",
    "after(S.CosineAnnealingWarmRestarts(o(), T_0={v}))",
    "after(S.CosineAnnealingWarmRestarts(o(), 2, T_mult={v}))",
    "after(S.CosineAnnealingWarmRestarts(o(), 2, eta_min={v}))",
    "after(S.OneCycleLR(o(), max_lr={v}, total_steps=4))",
    "after(S.OneCycleLR(o(), 0.5, total_steps={v}))",
    "after(S.OneCycleLR(o(), 0.5, total_steps=4, pct_start={v}))",
    "after(S.OneCycleLR(o(), 0.5, total_steps=4, anneal_strategy={v}))",
    "after(S.OneCycleLR(o(), 0.5, total_steps=4, cycle_momentum={v}))",
    "after(S.OneCycleLR(o(), 0.5, epochs={v}, steps_per_epoch=2))",
    "after(S.CyclicLR(o(), base_lr={v}, max_lr=1.))",
    "after(S.CyclicLR(o(), 0.1, 1., step_size_up={v}))",
    "after(S.CyclicLR(o(), 0.1, 1., mode={v}))",
    "after(S.CyclicLR(o(), 0.1, 1., cycle_momentum={v}))",
    "after(S.ReduceLROnPlateau(o(), factor={v}))",
    "after(S.ReduceLROnPlateau(o(), patience={v}))",
    "after(S.ReduceLROnPlateau(o(), threshold={v}))",
    "after(S.ReduceLROnPlateau(o(), min_lr={v}))",
    "after(S.ReduceLROnPlateau(o(), eps={v}))",
    "after(S.ReduceLROnPlateau(o(), cooldown={v}))",
    "after(S.SequentialLR(o(), {v}, milestones=[1]))",
    "after(S.ChainedScheduler({v}))",
    "S.StepLR(o(), 1).step({v})",
    "S.ReduceLROnPlateau(o()).step({v})",
    "S.StepLR(o(), 1).load_state_dict({v})",
]

# Each library writes its own file in the test's temporary folder (the {folder} field).
SAVING = (
    "import io, pathlib, pickle; path = {folder!r} + '/' + t.__name__ + '.pt'\n"
    "def saved():\n"
    "    t.save({{'w': t.ones(2)}}, path)\n"
    "    return path\n"
    "def roundtrip(obj):\n"
    "    buffer = io.BytesIO()\n"
    "    t.save(obj, buffer)\n"
    "    buffer.seek(0)\n"
    "    return t.load(buffer)\n"
)
SAVE_VALUES = [
    "True",
    "None",
    "0",
    "1",
    "2.5",
    "'cpu'",
    "t.device('cpu')",
    "{'cpu': 'cpu'}",
    "lambda s, l: s",
    "t.ones(2)",
    "t.tensor(3, dtype=t.int64)",
    "(1, t.ones(1))",
    "[t.ones(1), 2]",
    "{'a': t.ones(1), 'b': [1, 2.5]}",
    "{1: 'x'}",
    "pathlib.Path(path)",
    "b'x'",
    "t.nn.Linear(2, 2).state_dict()",
    "t.float64",
    "3+4j",
    "pickle",
    "False",
]
SAVE_TEMPLATES = [
    "roundtrip({v})",
    "t.load(saved(), map_location={v})",
    "t.load(saved(), weights_only={v})",
    "t.load(saved(), {v})",
    "t.save(t.ones(2), path, pickle_module={v}) or t.load(path)",
    "t.load(saved(), pickle_module={v})",
    "t.load(saved(), pickle_module={v}, weights_only=True)",
    "t.load(saved(), mmap={v})",
]
# Files given as every kind of value. No int: open() reads one as a file descriptor (0 and
# 1 are the test's own stdin and stdout).
FILES = [
    "None",
    "2.5",
    "'cpu'",
    "path",
    "pathlib.Path(path)",
    "b'x'",
    "io.BytesIO()",
    "io.StringIO()",
    "t.ones(2)",
    "t.device('cpu')",
    "[]",
    "pickle",
]
FILE_TEMPLATES = [
    "t.save(t.ones(2), {v}) or t.load(path)",
    "t.load({v})",
    "saved() and t.load({v})",
]

# (template, value) pairs that differ on purpose or by PyTorch's own doing; None: any value.
NON_TENSORS = [
    value for value in MODULE_VALUES if not value.startswith(("t.ones", "t.tensor", "p"))
]
LEFT_OUT = {
    # PyTorch compares the tensor with "" and fails inside (a TypeError, for an int an
    # AttributeError); adding one to a string in state_dict is an IndexError there.
    "m.get_submodule({v})": ["t.tensor(1)"],
    "' '.join(lin.state_dict(prefix={v}))": ["t.tensor(1)"],
    # Parameter(non-tensor) is a TypeError, PyTorch's an AttributeError (differences.md).
    "nn.Parameter({v})": NON_TENSORS,
    # ModuleList.insert with a negative index is a list's (differences.md); a tensor index
    # fails inside PyTorch's insert with its RuntimeError.
    "nn.ModuleList(m).insert({v}, nn.ReLU())": [
        "-1",
        "t.ones(2)",
        "p",
        "t.ones(2, dtype=t.float64)",
    ],
    "m.insert({v}, nn.ReLU())": ["t.ones(2)", "p", "t.ones(2, dtype=t.float64)"],
    # PyTorch's kernels refuse a bool weight decay (add's alpha) and a one-element 1-d
    # tensor as a factor (a TypeError or RuntimeError by kernel) only once a step runs.
    "t.optim.SGD([w], lr=0.1, weight_decay={v}).step() or w": ["True", "t.tensor([0.1])"],
    "t.optim.Adam([w], weight_decay={v}).step() or w": ["True", "t.tensor([0.1])"],
    "t.optim.Adagrad([w], lr_decay={v}).step() or w": ["t.tensor([0.1])"],
    "t.optim.Adagrad([w], initial_accumulator_value={v}).step() or w": ["t.tensor([0.1])"],
    "t.optim.RMSprop([w], alpha={v}).step() or w": ["t.tensor([0.1])"],
    "t.optim.Adadelta([w], rho={v}).step() or w": ["t.tensor([0.1])"],
    "t.optim.NAdam([w], momentum_decay={v}).step() or w": ["t.tensor([0.1])"],
    "t.optim.ASGD([w], lambd={v}).step() or w": ["t.tensor([0.1])"],
    "[o.step() for o in [t.optim.SGD([w], lr=0.1, momentum=0.9, dampening={v})] * 2] and w": [
        "t.tensor([0.1])"
    ],
    "t.optim.LBFGS([w], lr={v}).step(lambda: (w * w).sum())": ["True"],
    # PyTorch indexes into what it was given: IndexError, where ember names the fault.
    "t.optim.SGD([{v}], lr=0.1)": ["(0.9,)"],
    "t.optim.SGD([w], lr=0.1).load_state_dict({{'state': {{}}, 'param_groups': {v}}})": [
        "t.tensor([0.1])"
    ],
    # PyTorch calls .copy() on what it is given (AttributeError); ember's is a TypeError.
    "t.optim.SGD([w], lr=0.1).load_state_dict({v})": None,
    # save refuses what it cannot describe (differences.md); PyTorch pickles a Path and
    # fails pickling a lambda.
    "roundtrip({v})": ["lambda s, l: s", "pathlib.Path(path)"],
    # bool() of a two-element tensor fails inside torch.load.
    "t.load(saved(), weights_only={v})": ["t.ones(2)"],
    "t.load(saved(), mmap={v})": ["t.ones(2)"],
    # An empty stream is a RuntimeError naming it, PyTorch's an EOFError (differences.md).
    "t.load({v})": ["io.BytesIO()", "io.StringIO()"],
    "saved() and t.load({v})": ["io.BytesIO()", "io.StringIO()"],
}


def values_for(template, values):
    left_out = LEFT_OUT.get(template, [])
    if left_out is None:
        return []
    return [{"v": value} for value in values if value not in left_out]


@pytest.mark.parametrize("template", MODULE_TEMPLATES)
def test_module_methods_take_what_torch_takes(template):
    values = values_for(template, MODULE_VALUES)
    assert differences(template, values, setup=MODULES) == []


@pytest.mark.parametrize("template", CONTAINER_TEMPLATES)
def test_containers_take_what_torch_takes(template):
    values = values_for(template, MODULE_VALUES)
    assert differences(template, values, setup=MODULES) == []


# (a template whose every value LEFT_OUT holds is not run)
@pytest.mark.parametrize(
    "template", [line for line in OPTIMIZER_TEMPLATES if values_for(line, OPTIMIZER_VALUES)]
)
def test_optimizers_take_what_torch_takes(template):
    values = values_for(template, OPTIMIZER_VALUES)
    assert differences(template, values, setup=OPTIMIZERS) == []


# ReduceLROnPlateau's mode and threshold_mode are left out: any value but its names is a
# ValueError in ember, a TypeError in PyTorch (differences.md).
@pytest.mark.parametrize("template", SCHEDULER_TEMPLATES)
def test_schedulers_take_what_torch_takes(template):
    values = values_for(template, SCHEDULER_VALUES)
    assert differences(template, values, setup=SCHEDULERS) == []


# pickle_protocol is left out: pickle's own errors (for 0, 1, None...) are what PyTorch
# gives, and ember never pickles.
@pytest.mark.parametrize("template", SAVE_TEMPLATES)
def test_save_and_load_take_what_torch_takes(template, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a relative name such as 'cpu' is written here
    values = values_for(template, SAVE_VALUES)
    setup = SAVING.format(folder=str(tmp_path))
    assert differences(template, values, setup=setup) == []


@pytest.mark.parametrize("template", FILE_TEMPLATES)
def test_files_of_every_kind_act_as_in_torch(template, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # 'cpu' and b'x' name files here
    values = values_for(template, FILES)
    setup = SAVING.format(folder=str(tmp_path))
    assert differences(template, values, setup=setup) == []
