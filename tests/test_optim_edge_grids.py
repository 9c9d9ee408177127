"""Optimizers and schedulers on edge parameters and gradients, in ember and in torch.

Each grid line is one optimizer (its constructor's text), one scenario (the parameters it
gets and the gradients each call hands them: 0-d, empty and non-contiguous parameters,
float16 and float64 ones and both in one group, a gradient missing at some calls, zero,
infinite or NaN, transposed or expanded, two groups, a 0-d tensor rate, a generator) and
one run (five steps; zero_grad then a step; add_param_group after steps; a state_dict
round trip into a fresh optimizer, with its one-number states as tensors or as floats).
Both libraries run the same code; the parameters (values, dtypes), the state dict (keys,
types, dtypes, shapes, values), the warnings given (their types) and the error raised (its
type) must agree. Misused parameter lists go to every optimizer, and each scheduler runs
on edge settings over an SGD of two groups of different rates.

They found (twentieth day) zero_grad(set_to_none=False) failing on an expanded .grad
(NumPy's read-only broadcast), LBFGS over parameters of no elements a ValueError (PyTorch:
its max() RuntimeError), and a state dict whose step counts (and NAdam's mu_product,
ASGD's eta and mu) are Python floats, as older PyTorch saved them, loaded as floats that
the next step could not use (PyTorch makes them tensors again). What is left out is in
LEFT_OUT, with the reason beside each. ``python tests/test_optim_edge_grids.py`` prints
every difference, left-out lines included.
"""

import warnings

import numpy as np
import pytest
import torch
from test_argument_sweeps import builtin_type

import ember

STEPS = 5

# (name, constructor text with P for the parameters): every optimizer and its switches.
OPTIMIZERS = [
    ("sgd", "t.optim.SGD(P, lr=0.1)"),
    ("sgd_momentum", "t.optim.SGD(P, lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.1)"),
    ("sgd_nesterov", "t.optim.SGD(P, lr=0.1, momentum=0.9, nesterov=True, maximize=True)"),
    ("adam", "t.optim.Adam(P, lr=0.1)"),
    ("adam_amsgrad", "t.optim.Adam(P, lr=0.1, amsgrad=True, weight_decay=0.1, maximize=True)"),
    ("adamw", "t.optim.AdamW(P, lr=0.1, amsgrad=True)"),
    ("adagrad", "t.optim.Adagrad(P, lr=0.1, lr_decay=0.01, weight_decay=0.1)"),
    ("adagrad_max", "t.optim.Adagrad(P, lr=0.1, initial_accumulator_value=0.5, maximize=True)"),
    ("rmsprop", "t.optim.RMSprop(P, lr=0.01, centered=True, momentum=0.9)"),
    ("rmsprop_max", "t.optim.RMSprop(P, lr=0.01, weight_decay=0.1, maximize=True)"),
    ("adadelta", "t.optim.Adadelta(P, lr=1.0, weight_decay=0.1)"),
    ("adadelta_max", "t.optim.Adadelta(P, lr=0.5, maximize=True)"),
    ("adamax", "t.optim.Adamax(P, lr=0.1, weight_decay=0.1, maximize=True)"),
    ("nadam", "t.optim.NAdam(P, lr=0.1, momentum_decay=0.01)"),
    ("nadam_decoupled", "t.optim.NAdam(P, lr=0.1, weight_decay=0.1, decoupled_weight_decay=True)"),
    ("radam", "t.optim.RAdam(P, lr=0.1, maximize=True)"),
    ("radam_decoupled", "t.optim.RAdam(P, lr=0.1, weight_decay=0.1, decoupled_weight_decay=True)"),
    ("rprop", "t.optim.Rprop(P, lr=0.1)"),
    ("rprop_max", "t.optim.Rprop(P, lr=0.1, etas=(0.4, 1.5), step_sizes=(1e-3, 1), maximize=True)"),
    ("asgd", "t.optim.ASGD(P, lr=0.1, t0=2, weight_decay=0.1)"),
    ("asgd_max", "t.optim.ASGD(P, lr=0.1, lambd=0.1, maximize=True)"),
    ("lbfgs", "t.optim.LBFGS(P, lr=0.5, max_iter=3)"),
]


def values(t, shape, dtype=None, start=-0.4):
    """A tensor of distinct values, the same in both libraries."""
    count = int(np.prod(shape))
    flat = t.arange(count, dtype=t.float64) * 0.25 + start
    return flat.reshape(shape).to(dtype or t.float32)


def leaf(t, shape, dtype=None):
    return values(t, shape, dtype).requires_grad_()


def quadratic_gradient(t, param, index, call):
    """The gradient of sum(0.75 * (p - 0.3)^2): a loss LBFGS can minimise."""
    return (param.detach() - 0.3) * 1.5


# Scenarios: the parameters (a list of tensors, or of group dicts), and how gradients come.
def plain(shape, dtype="float32"):
    return lambda t: {"params": [leaf(t, shape, getattr(t, dtype))]}


def transposed(t):
    return {"params": [values(t, (2, 3)).t().requires_grad_()]}


def sliced(t):
    return {"params": [values(t, (8,))[1::2].requires_grad_()]}


def mixed_dtypes(t):
    return {"params": [leaf(t, (3,), t.float16), leaf(t, (2,), t.float64), leaf(t, (2,))]}


def gradient_at_odd_calls(t):
    """Two parameters, the first of which has no gradient at every other call."""

    def gradient(t, param, index, call):
        if index == 0 and call % 2 == 1:
            return None
        return quadratic_gradient(t, param, index, call)

    return {"params": [leaf(t, (3,)), leaf(t, (2,))], "gradient": gradient}


def filled_gradient(fill):
    def scenario(t):
        def gradient(t, param, index, call):
            grad = quadratic_gradient(t, param, index, call)
            grad[0] = fill
            return grad

        return {"params": [leaf(t, (3,))], "gradient": gradient}

    return scenario


def zero_gradient(t):
    return {
        "params": [leaf(t, (3,))],
        "gradient": lambda t, param, index, call: t.zeros_like(param),
    }


def strided_gradient(t):
    """A gradient that is a transposed tensor, and one that is expanded from one row."""

    def gradient(t, param, index, call):
        if index == 0:
            return values(t, (2, 3), start=0.1 * call).t()
        if index == 1:
            return values(t, (1, 3), start=0.2 - 0.1 * call).expand(2, 3)
        return quadratic_gradient(t, param, index, call)

    return {"params": [leaf(t, (3, 2)), leaf(t, (2, 3))], "gradient": gradient}


def two_groups(t):
    return {"params": [{"params": [leaf(t, (2,))], "lr": 0.05}, {"params": [leaf(t, (3,))]}]}


def tensor_rate(t):
    return {"params": [{"params": [leaf(t, (3,))], "lr": t.tensor(0.05)}]}


def generator_of_params(t):
    return {"params": (leaf(t, (2,)) for _ in range(2))}


SCENARIOS = {
    "0-d": plain(()),
    "empty": plain((0,)),
    "empty 3x0": plain((3, 0)),
    "transposed": transposed,
    "sliced": sliced,
    "0-d float16": plain((), "float16"),
    "empty float64": plain((0, 2), "float64"),
    "float16": plain((4,), "float16"),
    "float64": plain((4,), "float64"),
    "mixed dtypes": mixed_dtypes,
    "gradient at odd calls": gradient_at_odd_calls,
    "zero gradient": zero_gradient,
    "inf gradient": filled_gradient(float("inf")),
    "nan gradient": filled_gradient(float("nan")),
    "strided gradient": strided_gradient,
    "two groups": two_groups,
    "tensor rate": tensor_rate,
    "generator": generator_of_params,
}


def scenario_params(t, scenario):
    made = SCENARIOS[scenario](t)
    return made["params"], made.get("gradient", quadratic_gradient)


def all_params(optimizer):
    return [p for group in optimizer.param_groups for p in group["params"]]


def closure_for(t, optimizer, gradient):
    """Hand each parameter its gradient for this call; return the quadratic's loss."""
    calls = [0]

    def closure():
        calls[0] += 1
        loss = t.zeros((), dtype=t.float64)
        for index, param in enumerate(all_params(optimizer)):
            param.grad = gradient(t, param, index, calls[0])
            loss = loss + ((param.detach().double() - 0.3) ** 2 * 0.75).sum()
        return loss

    return closure


def train(t, optimizer, gradient, steps=STEPS):
    closure = closure_for(t, optimizer, gradient)
    for _ in range(steps):
        optimizer.step(closure)


def summary(value):
    """A comparable description: a tensor as (dtype, shape, float64 values)."""
    if isinstance(value, dict):
        return {key: summary(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [summary(item) for item in value]
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        numbers = np.asarray(value.detach().double().tolist(), dtype=float)
        return ("tensor", str(value.dtype).split(".")[-1], tuple(value.shape), numbers)
    if isinstance(value, float):
        return ("float", value)
    return value


def optimizer_summary(optimizer):
    saved = optimizer.state_dict()
    groups = [{k: v for k, v in g.items() if k not in ("params",)} for g in saved["param_groups"]]
    return {
        "params": summary(all_params(optimizer)),
        "state": summary(saved["state"]),
        "groups": summary(groups),
        "indices": [g["params"] for g in saved["param_groups"]],
    }


def observed(t, program):
    """What the program gives in library ``t``, and the types of the warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # ember's own filter (backend.py), which "always" above overrides: NumPy's warnings
        # of inf and NaN from inside ember are silenced, as PyTorch gives none.
        warnings.filterwarnings(
            "ignore", message=".*encountered in", category=RuntimeWarning, module=r"ember\."
        )
        try:
            result = program(t)
        except Exception as error:  # noqa: BLE001 - its type is compared
            result = ("error", builtin_type(type(error)).__name__)
    return result, sorted({w.category.__name__ for w in caught})


def close(ember_value, torch_value, tolerance):
    """Equal summaries; tensors by dtype, shape and values to ``tolerance``."""
    if isinstance(ember_value, dict) and isinstance(torch_value, dict):
        return list(ember_value) == list(torch_value) and all(
            close(ember_value[key], torch_value[key], tolerance) for key in ember_value
        )
    if isinstance(ember_value, (list, tuple)) and isinstance(torch_value, type(ember_value)):
        if _is_tensor_summary(ember_value) and _is_tensor_summary(torch_value):
            return ember_value[1:3] == torch_value[1:3] and _near(
                ember_value[3], torch_value[3], tolerance[ember_value[1]]
            )
        if ember_value[:1] == ("float",) == torch_value[:1]:
            return _near(ember_value[1], torch_value[1], tolerance["float64"])
        return len(ember_value) == len(torch_value) and all(
            close(e, t, tolerance) for e, t in zip(ember_value, torch_value)
        )
    return ember_value == torch_value


def _is_tensor_summary(value):
    return isinstance(value, tuple) and len(value) == 4 and value[0] == "tensor"


def _near(ember_numbers, torch_numbers, rtol):
    """Within ``rtol`` (0: bit for bit), NaN equal to NaN, inf to inf."""
    return np.allclose(ember_numbers, torch_numbers, rtol=rtol, atol=rtol / 10, equal_nan=True)


# float32 to 1e-6; float16 to several ulps, never bit for bit: docs/differences.md lists
# that ember rounds each step's products where PyTorch's kernels round a multiply-add once
# (plain SGD included: 1 element in 10 of random float16 values is 1 ulp apart).
TOLERANCE = {"float32": 1e-6, "float64": 1e-6, "float16": 1e-2}
TOLERANCES = {
    # Centered RMSprop subtracts two near averages: PyTorch's fused addcmul (1 ulp,
    # docs/differences.md) comes out a few ulps of the difference.
    "rmsprop": {**TOLERANCE, "float32": 2e-5},
    # docs/differences.md: L-BFGS magnifies rounding, float32 parameters agree to ~1e-3.
    "lbfgs": {**TOLERANCE, "float32": 1e-3},
}


def difference(program, tolerance=TOLERANCE):
    ember_outcome = observed(ember, program)
    torch_outcome = observed(torch, program)
    if close(ember_outcome, torch_outcome, tolerance):
        return None
    return f"ember {ember_outcome}\ntorch {torch_outcome}"


def same_groups(optimizer):
    """The optimizer's parameters, grouped as it groups them (load_state_dict asks it)."""
    return [{"params": list(group["params"])} for group in optimizer.param_groups]


def build(t, constructor, params):
    """The optimizer a grid line names, made on ``params`` in library ``t``."""
    return eval(constructor, {"t": t, "P": params})  # noqa: S307 - the grid's own text


# The steps around each scenario: how the optimizer is driven.
def plain_run(constructor, scenario):
    def program(t):
        params, gradient = scenario_params(t, scenario)
        optimizer = build(t, constructor, params)
        train(t, optimizer, gradient)
        return optimizer_summary(optimizer)

    return program


def round_trip_run(constructor, scenario):
    """Three steps, the state dict loaded into a fresh optimizer, then three more."""

    def program(t):
        params, gradient = scenario_params(t, scenario)
        first = build(t, constructor, params)
        train(t, first, gradient, steps=3)
        saved = first.state_dict()
        second = build(t, constructor, same_groups(first))
        second.load_state_dict(saved)
        train(t, second, gradient, steps=3)
        return optimizer_summary(second)

    return program


def float_step_run(constructor, scenario):
    """A state dict whose one-number states are Python floats (as older PyTorch saved
    them), loaded into a fresh optimizer: tensors again."""

    def program(t):
        params, gradient = scenario_params(t, scenario)
        first = build(t, constructor, params)
        train(t, first, gradient, steps=2)
        saved = first.state_dict()
        for values in saved["state"].values():
            for name in ("step", "mu_product", "eta", "mu"):
                if name in values:
                    values[name] = float(values[name])
        second = build(t, constructor, same_groups(first))
        second.load_state_dict(saved)
        train(t, second, gradient, steps=2)
        return optimizer_summary(second)

    return program


def zero_grad_run(set_to_none):
    """zero_grad between steps, and a step on what it left (zeros, or no gradient)."""

    def run(constructor, scenario):
        def program(t):
            params, gradient = scenario_params(t, scenario)
            optimizer = build(t, constructor, params)
            train(t, optimizer, gradient, steps=2)
            optimizer.zero_grad(set_to_none=set_to_none)
            optimizer.step(lambda: t.zeros(()))
            grads = [p.grad for p in all_params(optimizer)]
            return optimizer_summary(optimizer), summary(grads)

        return program

    return run


def added_group_run(constructor, scenario):
    """Two steps, then a new group added, then three more steps."""

    def program(t):
        params, gradient = scenario_params(t, scenario)
        optimizer = build(t, constructor, params)
        train(t, optimizer, gradient, steps=2)
        optimizer.add_param_group({"params": [leaf(t, (2,), t.float64)], "lr": 0.02})
        train(t, optimizer, gradient, steps=3)
        return optimizer_summary(optimizer)

    return program


RUNS = {
    "steps": plain_run,
    "round trip": round_trip_run,
    "float steps": float_step_run,
    "zero_grad(set_to_none=False)": zero_grad_run(False),
    "zero_grad(set_to_none=True)": zero_grad_run(True),
    "add_param_group": added_group_run,
}


# Misused parameter lists, each given to every optimizer: the error's type, or the
# optimizer made (its groups and state) and the warnings given.
MISUSES = [
    "[{'params': [p]}, {'params': [q, p]}]",
    "[]",
    "iter([])",
    "[{'lr': 0.1}]",
    "[{'params': []}]",
    "[{'params': p}]",
    "(x for x in [p, q])",
    "{'params': [p]}",
    "[p, p]",
    "[p, {'params': [q]}]",
    "[t.ones(2)]",
    "[p * 2]",
]


def misuse_run(constructor, params_text):
    def program(t):
        p, q = leaf(t, (2,)), leaf(t, (3,))
        params = eval(params_text, {"t": t, "p": p, "q": q})  # noqa: S307 - the grid's text
        optimizer = build(t, constructor, params)
        return optimizer_summary(optimizer)

    return program


@pytest.mark.parametrize(("name", "constructor"), OPTIMIZERS)
def test_misused_parameter_lists_act_as_in_torch(name, constructor):
    found = [difference(misuse_run(constructor, text)) for text in MISUSES]
    assert [(text, d) for text, d in zip(MISUSES, found) if d] == []


# Left out, with the reason. The whole-scenario entries are (optimizer, scenario).
LEFT_OUT = {
    # PyTorch's LBFGS flattens each gradient with view(-1), which fails (a RuntimeError)
    # on a gradient that is not contiguous; ember's flattens any layout.
    ("lbfgs", "transposed"),
    ("lbfgs", "strided gradient"),
    # PyTorch's load_state_dict casts LBFGS's whole history to its first parameter's dtype
    # (float16 here), and its next dot product of float64 with float16 fails; NumPy's
    # promotes.
    ("lbfgs", "mixed dtypes", "round trip"),
    ("lbfgs", "mixed dtypes", "float steps"),
    # docs/differences.md: a tensor lr leaves a float in LBFGS's state["t"].
    ("lbfgs", "tensor rate"),
}


def grid(left_out=None):
    left_out = LEFT_OUT if left_out is None else left_out
    lines = []
    for name, constructor in OPTIMIZERS:
        for scenario in SCENARIOS:
            for run in RUNS:
                if (name, scenario, run) in left_out or (name, scenario) in left_out:
                    continue
                lines.append((name, constructor, scenario, run))
    return lines


@pytest.mark.parametrize(("name", "constructor", "scenario", "run"), grid())
def test_optimizer_on_edge_parameters_acts_as_in_torch(name, constructor, scenario, run):
    tolerance = TOLERANCES.get(name, TOLERANCE)
    assert difference(RUNS[run](constructor, scenario), tolerance) is None


# Schedulers on edge settings, on an SGD of two groups (lr 0.1 and 0.01). O is the
# optimizer; the groups hold 'initial_lr' in the "resumed" setups.
SCHEDULERS = [
    "S.StepLR(O, step_size=1)",
    "S.StepLR(O, step_size=1, gamma=0)",
    "S.StepLR(O, step_size=1, gamma=1)",
    "S.StepLR(O, step_size=1, last_epoch=2)",
    "S.StepLR(O, step_size=1, gamma=0.5, last_epoch=0)",
    "S.MultiStepLR(O, [1, 1, 3], gamma=0)",
    "S.ExponentialLR(O, gamma=0)",
    "S.ExponentialLR(O, gamma=1.0, last_epoch=1)",
    "S.CosineAnnealingLR(O, T_max=1)",
    "S.CosineAnnealingLR(O, T_max=1, eta_min=0.05, last_epoch=3)",
    "S.LambdaLR(O, lambda epoch: 0.5 ** epoch)",
    "S.LambdaLR(O, [lambda epoch: 1.0, lambda epoch: 0.0], last_epoch=1)",
    "S.MultiplicativeLR(O, lambda epoch: 0.5)",
    "S.ConstantLR(O, factor=1.0, total_iters=1)",
    "S.ConstantLR(O, factor=0.5, total_iters=0)",
    "S.LinearLR(O, start_factor=1.0, end_factor=0.0, total_iters=1)",
    "S.LinearLR(O, start_factor=0.5, total_iters=2, last_epoch=1)",
    "S.PolynomialLR(O, total_iters=1, power=0.0)",
    "S.PolynomialLR(O, total_iters=2, power=2.0, last_epoch=1)",
    "S.CyclicLR(O, 0.01, 0.1, step_size_up=1)",
    "S.CyclicLR(O, [0.01, 0.02], 0.1, step_size_up=1, mode='exp_range', gamma=0.5)",
    "S.OneCycleLR(O, max_lr=0.1, total_steps=8)",
    "S.OneCycleLR(O, max_lr=0.1, total_steps=3, three_phase=True)",
    "S.OneCycleLR(O, max_lr=[0.1, 0.2], total_steps=8, anneal_strategy='linear')",
    "S.CosineAnnealingWarmRestarts(O, T_0=1)",
    "S.CosineAnnealingWarmRestarts(O, T_0=1, T_mult=2, eta_min=0.01)",
    "S.ChainedScheduler([S.StepLR(O, step_size=1)])",
    "S.ChainedScheduler([S.StepLR(O, 1), S.ExponentialLR(O, 0.5)], optimizer=O)",
    "S.SequentialLR(O, [S.StepLR(O, step_size=1)], milestones=[])",
    "S.SequentialLR(O, [S.ConstantLR(O, 0.5, 1), S.StepLR(O, 1)], milestones=[1])",
    "S.ReduceLROnPlateau(O, patience=0)",
    "S.ReduceLROnPlateau(O, mode='max', factor=0.5, patience=0, cooldown=1, min_lr=[0.02, 0.0])",
]


def two_group_optimizer(t, resumed, tensor_rates=False):
    p, q = leaf(t, (2,)), leaf(t, (3,))
    rate = t.tensor if tensor_rates else float
    groups = [{"params": [p], "lr": rate(0.1)}, {"params": [q], "lr": rate(0.01)}]
    if resumed:
        groups[0]["initial_lr"], groups[1]["initial_lr"] = 0.2, 0.05
    return t.optim.SGD(groups, lr=0.1, momentum=0.9)


def make_scheduler(t, text, optimizer):
    names = {"S": t.optim.lr_scheduler, "O": optimizer}
    return eval(text, names)  # noqa: S307 - the grid's own text


def schedule_step(scheduler, metric):
    if type(scheduler).__name__ == "ReduceLROnPlateau":
        scheduler.step(metric)
    else:
        scheduler.step()


def rates(optimizer):
    return [group["lr"] for group in optimizer.param_groups]


def plain_state(value):
    """A state dict's values, each function or object by its type's name."""
    if isinstance(value, dict):
        return {key: plain_state(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_state(item) for item in value]
    if isinstance(value, (bool, int, float, str, type(None))):
        return summary(value)
    return type(value).__name__


def scheduled(text, resumed=False, optimizer_first=True, round_trip=False, tensor_rates=False):
    """The rates over five steps (and two more after a state dict round trip)."""

    def program(t):
        optimizer = two_group_optimizer(t, resumed, tensor_rates)
        scheduler = make_scheduler(t, text, optimizer)
        seen = [summary(scheduler.get_last_lr()) if hasattr(scheduler, "get_last_lr") else None]
        for step in range(5):
            if optimizer_first:
                optimizer.step()
            schedule_step(scheduler, metric=1.0 / (step + 1) if step < 2 else 1.0)
            seen.append(summary(rates(optimizer)))
        if round_trip:
            saved = scheduler.state_dict()
            fresh_optimizer = two_group_optimizer(t, resumed=True)
            fresh = make_scheduler(t, text, fresh_optimizer)
            fresh.load_state_dict(saved)
            for _ in range(2):
                fresh_optimizer.step()
                schedule_step(fresh, metric=2.0)
                seen.append(summary(rates(fresh_optimizer)))
            seen.append(plain_state(fresh.state_dict()))
        return seen

    return program


SCHEDULE_RUNS = {
    "steps": {},
    "resumed": {"resumed": True},
    "scheduler first": {"optimizer_first": False},
    "round trip": {"round_trip": True},
    "tensor rates": {"tensor_rates": True},
}


@pytest.mark.parametrize("text", SCHEDULERS)
@pytest.mark.parametrize("run", SCHEDULE_RUNS)
def test_scheduler_on_edge_settings_acts_as_in_torch(text, run):
    assert difference(scheduled(text, **SCHEDULE_RUNS[run])) is None


def hunt():
    """Every difference of the optimizers' grid, the left-out lines included."""
    found = []
    for name, constructor, scenario, run in grid(left_out=()):
        tolerance = TOLERANCES.get(name, TOLERANCE)
        found_here = difference(RUNS[run](constructor, scenario), tolerance)
        if found_here:
            found.append(f"{name} / {scenario} / {run}:\n{found_here}")
    return found


if __name__ == "__main__":
    for item in hunt():
        print(item, "\n")
    for name, constructor in OPTIMIZERS:
        for text in MISUSES:
            found_here = difference(misuse_run(constructor, text))
            if found_here:
                print(f"{name} / {text}:\n{found_here}\n")
    for text in SCHEDULERS:
        for run, settings in SCHEDULE_RUNS.items():
            found_here = difference(scheduled(text, **settings))
            if found_here:
                print(f"{text} / {run}:\n{found_here}\n")
