"""Random training runs of ember.optim's optimizers and schedulers, beside PyTorch's.

Each run draws an optimizer (SGD, Adam, AdamW, Adagrad, RMSprop, Adadelta, Adamax, NAdam,
RAdam, Rprop, ASGD) with hyper-parameters over their valid ranges (now and then one out of
range, at construction: the exception must be of PyTorch's type), one to three
parameter groups with options of their own, parameters of float32 or float64 and of 0-d,
empty or small shapes, and often a learning-rate schedule (every scheduler of
``lr_scheduler``, SequentialLR and ChainedScheduler over them, ReduceLROnPlateau following
a metric with plateaus, the cyclic ones with their momentum cycles). It then steps 5-40
times. Before a step each parameter gets a gradient (the same numbers in both libraries,
some exact zeros, now and then a NaN or infinity) or none; ``zero_grad`` with
``set_to_none`` True or False comes between; a group may list a parameter twice, and a
group may be added midway; the state dicts may be saved and loaded into a fresh optimizer
and scheduler (now and then ember's takes PyTorch's dict, its tensors made ember's).
After each action the two must agree on the parameters, the optimizer's state dict (keys,
order, per-parameter tensors with their dtypes and shapes, step counts, every group's
options), the scheduler's state dict and ``get_last_lr()`` (and ``get_lr()``'s answer),
the warnings raised (category, and the first words of the message), and an exception's
type and message.

An error's message must name what PyTorch's names (share a word with it: ember words its
messages its own way). A run stops at the first exception both libraries raise, except
``get_lr()`` (called outside ``step``, it warns and changes nothing). A run is not shrunk
when it fails (shrinking one takes minutes); it prints whole.

Left out of the drawing (docs/differences.md lists them): tensor hyper-parameters,
``capturable``/``differentiable``/``foreach``/``fused`` (ember accepts and ignores them),
``ReduceLROnPlateau(mode=1)``, custom CyclicLR ``scale_fn``, NumPy's RuntimeWarnings
(ember silences them, as PyTorch gives inf and NaN silently), ``step(epoch)`` of
SequentialLR and ChainedScheduler (a TypeError in both); and what this pass noted and
left (at the end of the file). The differences found and fixed are pinned there.

``EMBER_RANDOM_OPTIMIZER_RUNS=2000`` runs more runs than the suite's default.
"""

import dataclasses
import math
import os
import re
import warnings

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import ember

EXAMPLES = int(os.environ.get("EMBER_RANDOM_OPTIMIZER_RUNS", "60"))
TOLERANCES = {"float64": (1e-9, 1e-11), "float32": (2e-4, 1e-5)}
SHAPES = [(), (0,), (1,), (3,), (2, 3), (1, 4), (2, 0)]

# ---------------------------------------------------------------------------------------
# Drawing hyper-parameters


def unit(draw, low=0.0, high=1.0):
    """A float in [low, high), now and then its low end or its middle."""
    return draw(
        st.one_of(
            st.floats(low, high, exclude_max=True, allow_nan=False, width=64),
            st.sampled_from([low, round((low + high) / 2, 3)]),
        )
    )


def maybe_zero(draw, low, high):
    return draw(st.sampled_from([0.0, 0.0, None])) or unit(draw, low, high)


def betas(draw):
    return (unit(draw, 0.0, 0.99), unit(draw, 0.9, 0.9999))


def options_of(draw, name):
    """Valid options for one optimizer (a group's, or the constructor's defaults)."""
    lr = unit(draw, 0.0, 0.3)
    maximize = draw(st.booleans())
    weight_decay = maybe_zero(draw, 0.0, 0.2)
    if name == "SGD":
        momentum = maybe_zero(draw, 0.0, 0.99)
        dampening = maybe_zero(draw, 0.0, 0.9)
        nesterov = momentum > 0 and dampening == 0 and draw(st.booleans())
        return dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
        )
    common = dict(lr=lr, maximize=maximize)
    if name in ("Adam", "AdamW"):
        eps, amsgrad = draw(st.sampled_from([1e-8, 1e-3, 0.0])), draw(st.booleans())
        options = dict(common, betas=betas(draw), eps=eps, weight_decay=weight_decay)
        options["amsgrad"] = amsgrad
        if name == "Adam":
            options["decoupled_weight_decay"] = draw(st.booleans())
        return options
    if name == "Adagrad":
        return dict(
            common,
            lr_decay=maybe_zero(draw, 0.0, 0.5),
            weight_decay=weight_decay,
            initial_accumulator_value=maybe_zero(draw, 0.0, 1.0),
            eps=draw(st.sampled_from([1e-10, 1e-3])),
        )
    if name == "RMSprop":
        # No alpha near 0: centered, the variance is then a difference of two equal squares;
        # PyTorch's fused multiply-add leaves its rounding error, negative half the time,
        # whose root is NaN, where NumPy's is 0 (differences.md: the fused multiply-add).
        # A group may be centered with the defaults' alpha, so it is never drawn.
        return dict(
            common,
            alpha=unit(draw, 0.05, 1.0),
            eps=draw(st.sampled_from([1e-8, 1e-3])),
            weight_decay=weight_decay,
            momentum=maybe_zero(draw, 0.0, 0.99),
            centered=draw(st.booleans()),
        )
    if name == "Adadelta":
        return dict(
            common,
            lr=unit(draw, 0.0, 2.0),
            rho=unit(draw, 0.0, 1.0),
            eps=draw(st.sampled_from([1e-6, 1e-3])),
            weight_decay=weight_decay,
        )
    if name == "Adamax":
        eps = draw(st.sampled_from([1e-8, 1e-3]))
        return dict(common, betas=betas(draw), eps=eps, weight_decay=weight_decay)
    if name in ("NAdam", "RAdam"):
        eps = draw(st.sampled_from([1e-8, 1e-3]))
        options = dict(common, betas=betas(draw), eps=eps, weight_decay=weight_decay)
        options["decoupled_weight_decay"] = draw(st.booleans())
        if name == "NAdam":
            options["momentum_decay"] = unit(draw, 0.0, 0.05)
        return options
    if name == "Rprop":
        etas = (unit(draw, 0.05, 0.95), 1.0 + unit(draw, 0.05, 1.0))
        smallest = draw(st.sampled_from([1e-6, 1e-3, 0.0]))
        return dict(common, etas=etas, step_sizes=(smallest, draw(st.sampled_from([50, 0.5]))))
    assert name == "ASGD"
    return dict(
        common,
        lambd=draw(st.sampled_from([1e-4, 0.0, 0.05])),
        alpha=unit(draw, 0.0, 1.0),
        t0=draw(st.sampled_from([1e6, 0.0, 3.0, 10.0])),
        weight_decay=weight_decay,
    )


# One out-of-range value per optimizer option PyTorch checks (at construction only: a
# group's options are never checked, in either library).
INVALID = {
    "lr": [-0.1, math.nan],
    "weight_decay": [-0.01],
    "eps": [-1e-8],
    "momentum": [-0.5],
    "betas": [(1.0, 0.999), (0.9, 1.0), (-0.1, 0.999)],
    "alpha": [-0.1],
    "rho": [1.5, -0.1],
    "lr_decay": [-0.1],
    "initial_accumulator_value": [-1.0],
    "momentum_decay": [-0.1],
    "etas": [(1.0, 1.2), (0.5, 1.0), (0.0, 1.2)],
    "lambd": [-1.0],
    "t0": [-1.0],
}
OPTIMIZERS = [
    "SGD",
    "Adam",
    "AdamW",
    "Adagrad",
    "RMSprop",
    "Adadelta",
    "Adamax",
    "NAdam",
    "RAdam",
    "Rprop",
    "ASGD",
]


# ---------------------------------------------------------------------------------------
# Drawing schedulers: a scheduler is a plain description, built in either library by build


def lambda_factor(epoch):
    return 0.9**epoch


def lambda_steps(epoch):
    return 1.0 / (1 + epoch // 3)


def multiplicative_factor(epoch):
    return 0.95


def multiplicative_wobble(epoch):
    return 1.1 if epoch % 2 else 0.8


FUNCTIONS = {
    "factor": lambda_factor,
    "steps": lambda_steps,
    "shrink": multiplicative_factor,
    "wobble": multiplicative_wobble,
}
CHAINABLE = [
    "StepLR",
    "MultiStepLR",
    "ExponentialLR",
    "CosineAnnealingLR",
    "LambdaLR",
    "MultiplicativeLR",
    "ConstantLR",
    "LinearLR",
    "PolynomialLR",
]
SCHEDULERS = CHAINABLE + [
    "SequentialLR",
    "ChainedScheduler",
    "ReduceLROnPlateau",
    "CyclicLR",
    "CosineAnnealingWarmRestarts",
    "OneCycleLR",
]


def simple_schedule(draw, name, groups):
    """Keyword arguments of one of the single-rule schedules."""
    small = st.integers(1, 6)
    if name == "StepLR":
        return dict(step_size=draw(small), gamma=unit(draw, 0.1, 1.0))
    if name == "MultiStepLR":
        milestones = draw(st.lists(st.integers(0, 12), max_size=4))  # repeats allowed
        return dict(milestones=milestones, gamma=unit(draw, 0.1, 1.0))
    if name == "ExponentialLR":
        return dict(gamma=unit(draw, 0.5, 1.0))
    if name == "CosineAnnealingLR":
        return dict(T_max=draw(small), eta_min=maybe_zero(draw, 0.0, 0.01))
    if name in ("LambdaLR", "MultiplicativeLR"):
        names = ["factor", "steps"] if name == "LambdaLR" else ["shrink", "wobble"]
        if draw(st.booleans()):
            return dict(lr_lambda=draw(st.sampled_from(names)))
        return dict(lr_lambda=[draw(st.sampled_from(names)) for _ in range(groups)])
    if name == "ConstantLR":
        return dict(factor=unit(draw, 0.0, 1.0), total_iters=draw(st.integers(0, 8)))
    if name == "LinearLR":
        start = draw(st.sampled_from([1e-3, 0.25, 1.0, 0.5]))
        return dict(start_factor=start, end_factor=unit(draw), total_iters=draw(small))
    assert name == "PolynomialLR"
    return dict(total_iters=draw(st.integers(0, 8)), power=unit(draw, 0.0, 3.0))


INVALID_SCHEDULES = {
    "StepLR": [("gamma", -0.5)],
    "ConstantLR": [("factor", 1.5), ("factor", -0.1)],
    "LinearLR": [("start_factor", 0.0), ("start_factor", 1.5), ("end_factor", 1.5)],
    "CosineAnnealingWarmRestarts": [("T_0", 0), ("T_mult", 0), ("T_0", 1.5)],
    "ReduceLROnPlateau": [("factor", 1.0), ("mode", "middle"), ("threshold_mode", "both")],
    "OneCycleLR": [("pct_start", 1.5), ("total_steps", 0), ("anneal_strategy", "exp")],
    "CyclicLR": [("mode", "square")],
}


def schedule(draw, groups):
    """A scheduler's description: ``(name, keyword arguments)``, or None."""
    name = draw(st.sampled_from([None, *SCHEDULERS]))
    if name is None:
        return None
    if name in CHAINABLE:
        options = simple_schedule(draw, name, groups)
    elif name == "SequentialLR":
        parts = [chained(draw, groups) for _ in range(draw(st.integers(1, 3)))]
        milestones = sorted(
            draw(
                st.lists(
                    st.integers(1, 12),
                    min_size=len(parts) - 1,
                    max_size=len(parts) - 1,
                    unique=True,
                )
            )
        )
        options = dict(schedulers=parts, milestones=milestones)
    elif name == "ChainedScheduler":
        options = dict(schedulers=[chained(draw, groups) for _ in range(draw(st.integers(1, 3)))])
    elif name == "ReduceLROnPlateau":
        min_lr = draw(st.sampled_from([0.0, 1e-3, "list"]))
        options = dict(
            mode=draw(st.sampled_from(["min", "max"])),
            factor=unit(draw, 0.1, 0.9),
            patience=draw(st.integers(0, 3)),
            threshold=draw(st.sampled_from([1e-4, 0.0, 0.1])),
            threshold_mode=draw(st.sampled_from(["rel", "abs"])),
            cooldown=draw(st.integers(0, 2)),
            min_lr=[0.001 * i for i in range(groups)] if min_lr == "list" else min_lr,
            eps=draw(st.sampled_from([1e-8, 1e-3])),
        )
    elif name == "CyclicLR":
        options = dict(
            base_lr=unit(draw, 0.0, 0.01),
            max_lr=draw(st.sampled_from([0.1, [0.1, 0.2, 0.3][:groups]])),
            step_size_up=draw(st.integers(1, 5)),
            step_size_down=draw(st.sampled_from([None, 2, 3])),
            mode=draw(st.sampled_from(["triangular", "triangular2", "exp_range"])),
            gamma=unit(draw, 0.8, 1.0),
            cycle_momentum=draw(st.booleans()),  # refused without momentum
            base_momentum=unit(draw, 0.5, 0.8),
            max_momentum=unit(draw, 0.8, 0.95),
        )
    elif name == "CosineAnnealingWarmRestarts":
        options = dict(
            T_0=draw(st.integers(1, 6)),
            T_mult=draw(st.integers(1, 3)),
            eta_min=maybe_zero(draw, 0.0, 0.01),
        )
    else:
        options = dict(
            max_lr=draw(st.sampled_from([0.1, [0.1, 0.2, 0.3][:groups]])),
            pct_start=unit(draw, 0.1, 0.9),
            anneal_strategy=draw(st.sampled_from(["cos", "linear"])),
            cycle_momentum=draw(st.booleans()),
            base_momentum=unit(draw, 0.5, 0.85),
            max_momentum=unit(draw, 0.85, 0.95),
            div_factor=draw(st.sampled_from([25.0, 2.0])),
            final_div_factor=draw(st.sampled_from([1e4, 10.0])),
            three_phase=draw(st.booleans()),
        )
        if draw(st.booleans()):
            options["total_steps"] = draw(st.integers(2, 45))
        else:
            options.update(epochs=draw(st.integers(1, 5)), steps_per_epoch=draw(st.integers(1, 9)))
    if name in INVALID_SCHEDULES and draw(st.integers(0, 9)) == 0:
        key, value = draw(st.sampled_from(INVALID_SCHEDULES[name]))
        options[key] = value
    return name, options


def chained(draw, groups):
    name = draw(st.sampled_from(CHAINABLE))
    return name, simple_schedule(draw, name, groups)


def build_schedule(library, optimizer, description):
    name, options = description
    module = library.optim.lr_scheduler
    options = dict(options)
    if name in ("SequentialLR", "ChainedScheduler"):
        options["schedulers"] = [
            build_schedule(library, optimizer, part) for part in options["schedulers"]
        ]
        if name == "ChainedScheduler":
            return module.ChainedScheduler(options["schedulers"], optimizer=optimizer)
    if "lr_lambda" in options:
        names = options["lr_lambda"]
        options["lr_lambda"] = (
            FUNCTIONS[names] if isinstance(names, str) else [FUNCTIONS[n] for n in names]
        )
    return getattr(module, name)(optimizer, **options)


# ---------------------------------------------------------------------------------------
# A run: what is drawn


@dataclasses.dataclass
class Run:
    optimizer: str
    defaults: dict
    groups: list  # [(parameter indices, options)]
    shapes: list  # [(shape, dtype)], one per parameter, the added group's last
    added: tuple  # (at step, parameter indices, options) or None
    scheduler: tuple  # a scheduler's description, or None
    actions: list  # per step: a list of action names
    reload_at: int  # the step after which the state dicts are reloaded (-1: never)
    reload_from_torch: bool
    seed: int


def never_centered(all_options):
    """Centered RMSprop is drawn over float64 parameters only.

    Its variance, square_avg - grad_avg ** 2, is a difference of two near numbers whenever
    the gradient holds still (alpha small, or gradients zeroed), and both averages part
    from PyTorch's by an ulp (its kernels fuse the multiply-adds, NumPy cannot:
    differences.md): in float32 that ulp is a visible part of the root of the difference.
    """
    for options in all_options:
        if "centered" in options:
            options["centered"] = False


# What may come before a step (gradients mostly), and the step with the schedule's.
BEFORE_A_STEP = [
    "grads",
    "grads",
    "grads",
    "none_grads",
    "zero",
    "zero_keep",
    "schedule_epoch",
    "get_lr",
]
STEPPINGS = [["grads", "step", "schedule"], ["step", "schedule"], ["step"], ["schedule", "step"]]


@st.composite
def runs(draw):
    name = draw(st.sampled_from(OPTIMIZERS))
    count = draw(st.integers(1, 5))
    shapes = [
        (draw(st.sampled_from(SHAPES)), draw(st.sampled_from(["float32", "float64"])))
        for _ in range(count + 2)
    ]
    group_count = draw(st.integers(1, min(3, count)))
    cuts = (
        sorted(
            draw(
                st.lists(
                    st.integers(1, count - 1),
                    min_size=group_count - 1,
                    max_size=group_count - 1,
                    unique=True,
                )
            )
        )
        if count > 1
        else []
    )
    bounds = [0, *cuts, count]
    groups = []
    for start, end in zip(bounds, bounds[1:]):
        options = options_of(draw, name)
        kept = draw(st.sets(st.sampled_from(sorted(options))))  # the rest: the defaults'
        indices = list(range(start, end))
        # listed twice: both warn, and step it twice (not SGD: at its first step PyTorch
        # starts a momentum buffer for each listing, ember one for both; noted at the end)
        if name != "SGD" and draw(st.integers(0, 9)) == 0:
            indices.append(start)
        groups.append((indices, {k: options[k] for k in kept}))
    defaults = options_of(draw, name)
    if draw(st.integers(0, 7)) == 0:
        key = draw(st.sampled_from(sorted(k for k in defaults if k in INVALID)))
        defaults[key] = draw(st.sampled_from(INVALID[key]))
    if name == "SGD" and draw(st.integers(0, 7)) == 0:
        defaults.update(nesterov=True, dampening=draw(st.sampled_from([0.0, 0.5])))
    steps = draw(st.integers(5, 40))
    added = None
    if draw(st.integers(0, 3)) == 0:
        added = (
            draw(st.integers(0, steps - 1)),
            [count, count + 1][: draw(st.integers(1, 2))],
            {k: v for k, v in options_of(draw, name).items() if draw(st.booleans())},
        )
    if name == "RMSprop" and draw(st.booleans()):
        shapes = [(shape, "float64") for shape, _ in shapes]  # then it may be centered
    if name == "RMSprop" and any(dtype == "float32" for _, dtype in shapes):
        never_centered([defaults, *(options for _, options in groups), *(added or ())[2:]])
    scheduler = schedule(draw, len(groups))
    before = st.lists(st.sampled_from(BEFORE_A_STEP), max_size=4)
    actions = [draw(before) + draw(st.sampled_from(STEPPINGS)) for _ in range(steps)]
    reload_at = draw(st.sampled_from([-1, draw(st.integers(0, steps - 1))]))
    return Run(
        name,
        defaults,
        groups,
        shapes,
        added,
        scheduler,
        actions,
        reload_at,
        draw(st.booleans()),
        draw(st.integers(0, 2**31)),
    )


# ---------------------------------------------------------------------------------------
# Running a run in one library


class Side:
    """One library's parameters, optimizer and scheduler, driven by the run's actions."""

    def __init__(self, library, run, arrays):
        self.library, self.run = library, run
        self.params = [self.parameter(array) for array in arrays]
        self.groups = [(indices, options) for indices, options in run.groups]
        self.optimizer = self.scheduler = None
        self.result = None  # what the last action returned, where it is compared (get_lr)

    def parameter(self, array):
        return self.library.nn.Parameter(self.library.tensor(array.copy()))

    def group_dicts(self):
        return [
            {"params": [self.params[i] for i in indices], **options}
            for indices, options in self.groups
        ]

    def build(self):
        """A fresh optimizer (and scheduler) over the groups so far."""
        maker = getattr(self.library.optim, self.run.optimizer)
        self.optimizer = maker(self.group_dicts(), **self.run.defaults)
        if self.run.scheduler is not None:
            self.scheduler = build_schedule(self.library, self.optimizer, self.run.scheduler)

    def perform(self, action, argument):
        """One of the run's actions: ``argument`` is what it needs (gradients, a metric)."""
        scheduled = self.scheduler is not None
        if action == "build":
            self.build()
        elif action == "add_group":
            self.add_group(*argument)
        elif action in ("grads", "none_grads"):
            self.set_grads(argument or [None] * len(self.params))
        elif action in ("zero", "zero_keep"):
            self.optimizer.zero_grad(set_to_none=action == "zero")
        elif action == "step":
            self.optimizer.step()
        elif action == "reload":  # the states saved: ember's, torch's
            self.reload(*argument[self.library is torch])
        elif action == "get_lr" and scheduled:  # warns: get_last_lr() is meant
            self.result = self.scheduler.get_lr()
        elif action == "schedule" and scheduled:
            self.step_schedule(argument)
        elif action == "schedule_epoch" and scheduled:
            if self.run.scheduler[0] not in TAKE_NO_EPOCH:
                self.step_schedule(*argument)

    def set_grads(self, grads):
        for param, grad in zip(self.params, grads):
            param.grad = None if grad is None else self.library.tensor(grad.copy())

    def add_group(self, indices, options):
        self.groups.append((indices, options))
        self.optimizer.add_param_group({"params": [self.params[i] for i in indices], **options})

    def step_schedule(self, metric, epoch=None):
        arguments = () if epoch is None else (epoch,)
        if isinstance(self.scheduler, self.library.optim.lr_scheduler.ReduceLROnPlateau):
            arguments = (metric, *arguments)
        self.scheduler.step(*arguments)

    def reload(self, optimizer_state, schedule_state):
        self.build()
        self.optimizer.load_state_dict(optimizer_state)
        if self.scheduler is not None:
            self.scheduler.load_state_dict(schedule_state)

    def saved(self):
        schedule = None if self.scheduler is None else self.scheduler.state_dict()
        return self.optimizer.state_dict(), schedule


def attempt(side, action):
    """``(exception, warnings)`` of performing ``action`` on one side."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # each time, not once per place
        # ember's own filter (backend.py): NumPy's RuntimeWarnings from ember's ops are
        # silenced, as PyTorch gives inf and nan silently
        warnings.filterwarnings(
            "ignore", message=".*encountered in", category=RuntimeWarning, module=r"ember\."
        )
        try:
            side.perform(*action)
        except Exception as error:  # compared with the other library's
            return error, caught
    return None, caught


def both(ember_side, torch_side, action, where):
    """Perform ``action`` in both; True when both stopped with the same exception."""
    ember_error, ember_warnings = attempt(ember_side, action)
    torch_error, torch_warnings = attempt(torch_side, action)
    assert type(ember_error) is type(torch_error), (where, ember_error, torch_error)
    if torch_error is not None:
        assert same_subject(str(ember_error), str(torch_error)), (
            where,
            str(ember_error),
            str(torch_error),
        )
    assert warning_kinds(ember_warnings) == warning_kinds(torch_warnings), (
        where,
        [str(w.message) for w in ember_warnings],
        [str(w.message) for w in torch_warnings],
    )
    return torch_error is not None


COMMON_WORDS = {
    "must",
    "expected",
    "between",
    "than",
    "with",
    "that",
    "this",
    "have",
    "should",
    "when",
    "given",
    "expects",
    "value",
    "invalid",
    "tensor",
    "the",
    "and",
    "but",
    "got",
    "for",
    "not",
    "one",
    "its",
    "use",
}


def same_subject(ember_message, torch_message):
    """ember words its errors its own way, but about the same thing: they share a word
    that names it (a parameter, an option, a setting)."""

    def words(message):  # without a plural's s: "lr_lambdas" names what "lr_lambda" does
        found = {word.removesuffix("s") for word in re.findall(r"[a-z]{3,}", message.lower())}
        return found - COMMON_WORDS

    return ember_message == torch_message or bool(words(ember_message) & words(torch_message))


def warning_kinds(caught):
    return sorted((w.category.__name__, " ".join(str(w.message).split()[:4])) for w in caught)


# ---------------------------------------------------------------------------------------
# Comparing


def assert_same(ember_value, torch_value, where):
    """Two values of a state dict (or parameters, rates) agree: structure, dtypes, numbers."""
    if isinstance(torch_value, torch.Tensor):
        assert isinstance(ember_value, ember.Tensor), (where, ember_value)
        dtype = str(torch_value.dtype).split(".")[-1]
        assert str(ember_value.dtype).split(".")[-1] == dtype, (where, ember_value.dtype, dtype)
        assert tuple(ember_value.shape) == tuple(torch_value.shape), where
        rtol, atol = TOLERANCES.get(dtype, (0, 0))
        np.testing.assert_allclose(
            ember_value.detach().numpy(), torch_value.detach().numpy(), rtol, atol, err_msg=where
        )
    elif isinstance(torch_value, dict):
        assert isinstance(ember_value, dict), (where, ember_value)
        assert list(ember_value) == list(torch_value), (where, list(ember_value), list(torch_value))
        for key, value in torch_value.items():
            assert_same(ember_value[key], value, f"{where}[{key!r}]")
    elif isinstance(torch_value, (list, tuple)):
        assert type(ember_value) is type(torch_value), (where, ember_value, torch_value)
        assert len(ember_value) == len(torch_value), (where, ember_value, torch_value)
        for index, (mine, theirs) in enumerate(zip(ember_value, torch_value)):
            assert_same(mine, theirs, f"{where}[{index}]")
    elif isinstance(torch_value, float) and not isinstance(ember_value, bool):
        assert isinstance(ember_value, (float, int)), (where, ember_value, torch_value)
        assert math.isclose(ember_value, torch_value, rel_tol=1e-9, abs_tol=1e-12) or (
            math.isnan(ember_value) and math.isnan(torch_value)
        ), (where, ember_value, torch_value)
    elif callable(torch_value):
        assert getattr(ember_value, "__name__", None) == torch_value.__name__, where
    else:
        assert type(ember_value) is type(torch_value), (where, ember_value, torch_value)
        assert ember_value == torch_value, (where, ember_value, torch_value)


def compare(ember_side, torch_side, where):
    for index, (mine, theirs) in enumerate(zip(ember_side.params, torch_side.params)):
        assert_same(mine.detach(), theirs.detach(), f"{where}: parameter {index}")
        assert (mine.grad is None) == (theirs.grad is None), f"{where}: grad {index}"
    mine, theirs = ember_side.saved(), torch_side.saved()
    assert_same(mine[0], theirs[0], f"{where}: optimizer state")
    if torch_side.scheduler is not None:
        assert_same(mine[1], theirs[1], f"{where}: scheduler state")
        if hasattr(torch_side.scheduler, "_last_lr"):
            last = ember_side.scheduler.get_last_lr(), torch_side.scheduler.get_last_lr()
            assert_same(*last, f"{where}: get_last_lr")


def as_ember(value):
    """PyTorch's state dict with ember's tensors (a checkpoint written by torch)."""
    if isinstance(value, torch.Tensor):
        return ember.tensor(value.detach().numpy().copy())
    if isinstance(value, dict):  # a Counter stays one (MultiStepLR's milestones)
        return type(value)({key: as_ember(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return type(value)(as_ember(item) for item in value)
    return value


# ---------------------------------------------------------------------------------------
# The run


def gradients(rng, shapes):
    """One gradient per parameter (or None): normal numbers of a drawn scale, some zeros,
    now and then a NaN or an infinity."""
    grads = []
    for shape, dtype in shapes:
        if rng.random() < 0.15:
            grads.append(None)
            continue
        grad = np.array(rng.standard_normal(shape) * rng.choice([1e-3, 1.0, 10.0]))
        grad[rng.random(shape) < 0.15] = 0.0
        if grad.size and rng.random() < 0.02:
            grad.flat[rng.integers(grad.size)] = rng.choice([np.nan, np.inf, -np.inf])
        grads.append(grad.astype(dtype))
    return grads


def play(run):
    rng = np.random.default_rng(run.seed)
    arrays = [np.asarray(rng.standard_normal(shape)).astype(dtype) for shape, dtype in run.shapes]
    sides = Side(ember, run, arrays), Side(torch, run, arrays)
    if both(*sides, ("build", None), "construction"):
        return
    compare(*sides, "construction")
    metric = 1.0
    for step, actions in enumerate(run.actions):
        if run.added is not None and run.added[0] == step:
            if both(*sides, ("add_group", run.added[1:]), "add_param_group"):
                return
        for action in actions:
            if action == "grads":
                argument = gradients(rng, run.shapes)
            elif action == "schedule":
                metric = argument = metric * rng.choice([1.0, 1.0, 0.99, 0.9, 1.1])
            elif action == "schedule_epoch":
                argument = (metric, epoch_for(rng, run.scheduler))
            else:
                argument = None
            where = f"step {step}, {action}"
            if both(*sides, (action, argument), where) and action != "get_lr":
                return  # (get_lr changes nothing: its refusal need not end the run)
            assert_same(sides[0].result, sides[1].result, f"{where}: result")
            compare(*sides, where)
        if step == run.reload_at:
            if reload(*sides, run.reload_from_torch):
                return
            compare(*sides, f"step {step}, reloaded")


# Their step() takes no epoch: a TypeError in both, which ends the run; seen once, it is
# not drawn again (else few runs of theirs would go far).
TAKE_NO_EPOCH = ("SequentialLR", "ChainedScheduler")


def epoch_for(rng, scheduler):
    """An epoch for ``step(epoch)``: a fraction for the warm restarts, else a whole one."""
    if scheduler is not None and scheduler[0] == "CosineAnnealingWarmRestarts":
        return float(np.round(rng.uniform(0, 20), 2))
    return int(rng.integers(0, 15))


def reload(ember_side, torch_side, from_torch):
    """Save both, and load into fresh optimizers and schedulers (ember's perhaps torch's);
    True when both refused (a list of min_lrs made for fewer groups than there are now)."""
    ember_state, torch_state = ember_side.saved(), torch_side.saved()
    if from_torch:
        ember_state = as_ember(torch_state)
    return both(ember_side, torch_side, ("reload", (ember_state, torch_state)), "reload")


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    # no shrinking: a run is a large drawing, shrunk in minutes; the failing one prints whole
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    derandomize=os.environ.get("EMBER_RANDOM_OPTIMIZER_SEED") is None,
)
@given(runs())
def test_random_optimizer_run(run):
    play(run)


# ---------------------------------------------------------------------------------------
# Differences this pass found and fixed


def pair_of_parameters(values, dtype="float64"):
    array = np.array(values, dtype=dtype)
    return ember.nn.Parameter(ember.tensor(array.copy())), torch.nn.Parameter(torch.tensor(array))


@pytest.mark.parametrize(
    "make, stepping",
    [
        (lambda lib, opt: lib.optim.lr_scheduler.LambdaLR(opt, [lambda_factor]), "step"),
        (
            lambda lib, opt: lib.optim.lr_scheduler.MultiplicativeLR(opt, [multiplicative_factor]),
            "step",
        ),
        (lambda lib, opt: lib.optim.lr_scheduler.StepLR(opt, 2), "epoch"),
        (lambda lib, opt: lib.optim.lr_scheduler.CosineAnnealingLR(opt, 1), "step"),
        (lambda lib, opt: lib.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, 2), "step"),
    ],
)
def test_a_group_added_after_the_schedule_is_refused_as_in_torch(make, stepping):
    """A schedule that pairs each group with a base rate, a function or a momentum of its
    own meets a group added after it: PyTorch's strict zip raises a ValueError (ember's
    plain zip left the new group's rate alone)."""
    errors = []
    pairs = zip(pair_of_parameters([1.0]), pair_of_parameters([2.0]))
    for lib, (first, second) in zip((ember, torch), pairs):
        optimizer = lib.optim.SGD([first], lr=0.1, momentum=0.9)
        schedule = make(lib, optimizer)
        optimizer.add_param_group({"params": [second]})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the epoch argument's deprecation
            with pytest.raises(ValueError, match="zip") as caught:
                for _ in range(2):  # CosineAnnealingLR reads its base rates every other epoch
                    schedule.step(*([3] if stepping == "epoch" else []))
        errors.append(str(caught.value))
    assert errors[0] == errors[1]


def test_asgd_rates_of_a_float64_parameter_round_as_in_torch():
    """A state loaded for a float64 parameter holds eta and mu in float64; PyTorch writes
    each new value through a float32 tensor, so ember rounds them so too (ember kept the
    float64 value, 2e-8 apart)."""
    results = []
    for lib, param in zip((ember, torch), pair_of_parameters([1.0, -2.0])):
        optimizer = lib.optim.ASGD([param], lr=0.0625, lambd=0.01, alpha=0.3, t0=0.0)
        for _ in range(2):
            param.grad = lib.tensor(np.array([0.5, 0.25]))
            optimizer.step()
            fresh = lib.optim.ASGD([param], lr=0.0625, lambd=0.01, alpha=0.3, t0=0.0)
            fresh.load_state_dict(optimizer.state_dict())
            optimizer = fresh
        state = optimizer.state[param]
        results.append([state[key].item() for key in ("eta", "mu")] + param.tolist())
    assert results[0] == results[1]


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
def test_adam_average_of_an_infinite_gradient_is_torch_lerp(name):
    """With 1 - beta1 >= 0.5 PyTorch's lerp moves from the gradient's end, so an infinite
    gradient makes exp_avg NaN (ember's own blend gave inf)."""
    averages = []
    for lib, param in zip((ember, torch), pair_of_parameters([1.0, 2.0])):
        optimizer = getattr(lib.optim, name)([param], betas=(0.25, 0.999))
        param.grad = lib.tensor(np.array([math.inf, 1.0]))
        optimizer.step()
        averages.append(optimizer.state[param]["exp_avg"].tolist())
    assert str(averages[0]) == str(averages[1]) == "[nan, 0.75]"


# ---------------------------------------------------------------------------------------
# Noted and left (not drawn)
#
# - SGD with momentum over a parameter listed twice in a group (deprecated: both warn): at
#   the first step PyTorch starts a buffer from the gradient for each listing and keeps the
#   last, so the parameter moves by 2 * lr * g; ember's second listing finds the buffer the
#   first one made and moves it by lr * g + lr * (momentum * g + (1 - dampening) * g).
#   Matching it would put a check on SGD's step, the benchmark's hot path, for a case
#   PyTorch is about to refuse.
# - RMSprop(centered=True) with alpha near 0 (see options_of): PyTorch's fused
#   multiply-add gives a variance of -1 ulp where NumPy's is 0, hence NaN against a finite
#   step.
