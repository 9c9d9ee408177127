"""The newer learning-rate schedules against PyTorch: LambdaLR, MultiplicativeLR, ConstantLR,
LinearLR, PolynomialLR, SequentialLR, ChainedScheduler, ReduceLROnPlateau, CyclicLR,
CosineAnnealingWarmRestarts and OneCycleLR.

Each case is built by a function of the library (``ember`` or ``torch``) and an optimizer,
so the same schedule runs on both; rates, momenta, state dicts, warnings and errors are
compared step by step.
"""

import math
import random
import warnings

import pytest
import torch

import ember

LIBRARIES = (ember, torch)


def schedules_of(lib):
    return lib.optim.lr_scheduler


class Power:
    """A callable object: state dicts keep its attributes (a plain function is not saved)."""

    def __init__(self, base):
        self.base = base

    def __call__(self, epoch):
        return self.base**epoch


def optimizer(lib, kind="sgd", groups=2, lr=0.1):
    """SGD with momentum or Adam, one parameter per group, each group its own rate."""
    params = [lib.nn.Parameter(lib.zeros(2)) for _ in range(groups)]
    for param in params:
        param.grad = lib.ones(2)
    param_groups = [{"params": [p], "lr": lr * (i + 1)} for i, p in enumerate(params)]
    if kind == "adam":
        return lib.optim.Adam(param_groups, betas=(0.9, 0.99))
    return lib.optim.SGD(param_groups, momentum=0.9)


def settings(opt):
    """What a schedule may change in each group: the rate and the momentum (or betas)."""
    keys = ("lr", "momentum", "betas", "initial_lr", "max_lr", "min_lr")
    return [[group.get(key) for key in keys] for group in opt.param_groups]


def without_functions(state):
    return {key: value for key, value in state.items() if not callable(value)}


def run(lib, build, steps, kind="sgd", step_args=None):
    """Step a schedule ``steps`` times after the optimizer; record what it set at each step."""
    opt = optimizer(lib, kind)
    scheduler = build(lib, opt)
    record = []
    for index in range(steps + 1):
        if index:
            opt.step()
            scheduler.step(*(step_args(index - 1) if step_args else ()))
        epoch = getattr(scheduler, "last_epoch", None)  # a ChainedScheduler counts none
        record.append((settings(opt), list(scheduler.get_last_lr()), epoch))
    return record, without_functions(scheduler.state_dict())


def assert_same(ours, theirs):
    assert _close(ours, theirs), f"\nember: {ours}\ntorch: {theirs}"


def _close(a, b):
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_close(a[key], b[key]) for key in a)
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and a == pytest.approx(b, rel=1e-12, abs=1e-15)
    return a == b


def runs_alike(build, steps=30, kind="sgd", step_args=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = run(ember, build, steps, kind, step_args)
        theirs = run(torch, build, steps, kind, step_args)
    assert_same(ours, theirs)


SCHEDULES = {
    "lambda": lambda lib, opt: schedules_of(lib).LambdaLR(opt, lambda epoch: 0.95**epoch),
    "lambda per group": lambda lib, opt: schedules_of(lib).LambdaLR(
        opt, [lambda epoch: epoch // 3 + 1, Power(0.9)]
    ),
    "multiplicative": lambda lib, opt: schedules_of(lib).MultiplicativeLR(opt, lambda e: 0.9),
    "multiplicative per group": lambda lib, opt: schedules_of(lib).MultiplicativeLR(
        opt, (lambda epoch: 0.9, Power(0.99))
    ),
    "constant": lambda lib, opt: schedules_of(lib).ConstantLR(opt),
    "constant 0.5 for 3": lambda lib, opt: schedules_of(lib).ConstantLR(opt, 0.5, total_iters=3),
    "linear warm-up": lambda lib, opt: schedules_of(lib).LinearLR(opt),
    "linear decay": lambda lib, opt: schedules_of(lib).LinearLR(opt, 1.0, 0.1, total_iters=7),
    "linear 0.25 to 0.75": lambda lib, opt: schedules_of(lib).LinearLR(opt, 0.25, 0.75, 4),
    "polynomial": lambda lib, opt: schedules_of(lib).PolynomialLR(opt),
    "polynomial squared": lambda lib, opt: schedules_of(lib).PolynomialLR(opt, 10, power=2.0),
    "sequential warm-up then cosine": lambda lib, opt: schedules_of(lib).SequentialLR(
        opt,
        [
            schedules_of(lib).LinearLR(opt, 0.1, total_iters=5),
            schedules_of(lib).CosineAnnealingLR(opt, T_max=10),
        ],
        milestones=[5],
    ),
    "sequential of three": lambda lib, opt: schedules_of(lib).SequentialLR(
        opt,
        [
            schedules_of(lib).ConstantLR(opt, 0.5, 2),
            schedules_of(lib).ExponentialLR(opt, 0.9),
            schedules_of(lib).StepLR(opt, 3),
        ],
        milestones=[4, 9],
    ),
    "sequential after a chain": lambda lib, opt: schedules_of(lib).SequentialLR(
        opt,
        [
            schedules_of(lib).ChainedScheduler(
                [schedules_of(lib).ExponentialLR(opt, 0.9), schedules_of(lib).StepLR(opt, 4)]
            ),
            schedules_of(lib).LinearLR(opt, 0.2, total_iters=3),
        ],
        milestones=[6],
    ),
    "chained": lambda lib, opt: schedules_of(lib).ChainedScheduler(
        [schedules_of(lib).ConstantLR(opt, 0.1, 2), schedules_of(lib).ExponentialLR(opt, 0.9)]
    ),
    "chained with optimizer": lambda lib, opt: schedules_of(lib).ChainedScheduler(
        [
            schedules_of(lib).CosineAnnealingLR(opt, 6, 0.001),
            schedules_of(lib).MultiStepLR(opt, [3, 9]),
        ],
        optimizer=opt,
    ),
    "warm restarts": lambda lib, opt: schedules_of(lib).CosineAnnealingWarmRestarts(opt, 5),
    "warm restarts doubling": lambda lib, opt: schedules_of(lib).CosineAnnealingWarmRestarts(
        opt, 3, T_mult=2, eta_min=0.001
    ),
    "one cycle": lambda lib, opt: schedules_of(lib).OneCycleLR(opt, max_lr=1.0, total_steps=30),
    "one cycle linear per group": lambda lib, opt: schedules_of(lib).OneCycleLR(
        opt, max_lr=[1.0, 0.5], total_steps=30, anneal_strategy="linear"
    ),
    "one cycle three phases": lambda lib, opt: schedules_of(lib).OneCycleLR(
        opt, max_lr=0.5, epochs=3, steps_per_epoch=10, three_phase=True
    ),
    "one cycle no momentum": lambda lib, opt: schedules_of(lib).OneCycleLR(
        opt, 0.5, 31, cycle_momentum=False, div_factor=10.0, final_div_factor=100.0, pct_start=0.25
    ),
    "one cycle momenta per group": lambda lib, opt: schedules_of(lib).OneCycleLR(
        opt, 0.5, 30, base_momentum=[0.8, 0.7], max_momentum=(0.95, 0.9), pct_start=0.4
    ),
    "cyclic triangular": lambda lib, opt: schedules_of(lib).CyclicLR(opt, 0.01, 0.1, 4),
    "cyclic triangular2": lambda lib, opt: schedules_of(lib).CyclicLR(
        opt, [0.01, 0.02], [0.1, 0.3], step_size_up=3, step_size_down=5, mode="triangular2"
    ),
    "cyclic exp_range": lambda lib, opt: schedules_of(lib).CyclicLR(
        opt, 0.01, 0.1, 4, mode="exp_range", gamma=0.95
    ),
    "cyclic scale_fn per cycle": lambda lib, opt: schedules_of(lib).CyclicLR(
        opt, 0.01, 0.1, 2, scale_fn=lambda cycle: 1 / cycle
    ),
    "cyclic scale_fn per step": lambda lib, opt: schedules_of(lib).CyclicLR(
        opt, 0.01, 0.1, 2, scale_fn=Power(0.97), scale_mode="iterations"
    ),
    "cyclic momenta per group": lambda lib, opt: schedules_of(lib).CyclicLR(
        opt, 0.01, 0.1, 5, base_momentum=[0.7, 0.6], max_momentum=[0.95, 0.9]
    ),
    "cyclic no momentum": lambda lib, opt: schedules_of(lib).CyclicLR(
        opt, 0.01, 0.1, 5, cycle_momentum=False
    ),
}
NAMES = list(SCHEDULES)
COMBINATIONS = ("sequential", "chained")
# Those whose step() warns when it comes before the optimizer's, as torch's do. (Made after
# a ChainedScheduler, a SequentialLR warns when made: it steps the chain a second time.)
WARN_ON_EARLY_STEP = [name for name in NAMES if "restarts" not in name and "chain" not in name]


@pytest.mark.parametrize("kind", ["sgd", "adam"])
@pytest.mark.parametrize("name", NAMES)
def test_rates_and_momenta_match_torch_step_by_step(name, kind):
    """Also the state dict at the end: its keys, in torch's order, and values."""
    runs_alike(SCHEDULES[name], steps=30, kind=kind)


@pytest.mark.parametrize("name", NAMES)
def test_state_dict_resumes_the_schedule_as_torch(name):
    """A new optimizer and schedule, loaded from both state dicts, continue identically."""
    build = SCHEDULES[name]
    outcomes = []
    for lib in LIBRARIES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            opt = optimizer(lib)
            scheduler = build(lib, opt)
            for _ in range(4):
                opt.step()
                scheduler.step()
            fresh_opt = optimizer(lib, lr=3.0)
            fresh = build(lib, fresh_opt)
            fresh_opt.load_state_dict(opt.state_dict())
            fresh.load_state_dict(scheduler.state_dict())
            rates = []
            for _ in range(6):
                for each_opt, each in ((opt, scheduler), (fresh_opt, fresh)):
                    each_opt.step()
                    each.step()
                rates.append((settings(fresh_opt), settings(opt)))
        outcomes.append((rates, without_functions(fresh.state_dict())))
    assert_same(*outcomes)
    for fresh_rates, rates in outcomes[0][0]:
        assert_same(fresh_rates, rates)


@pytest.mark.parametrize("name", WARN_ON_EARLY_STEP)
def test_stepping_before_the_optimizer_warns(name):
    for lib in LIBRARIES:
        opt = optimizer(lib)
        scheduler = SCHEDULES[name](lib, opt)
        with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
            scheduler.step()
            scheduler.step()


def test_warm_restarts_and_plateau_never_warn_about_the_order():
    for lib in LIBRARIES:
        opt = optimizer(lib)
        restarts = schedules_of(lib).CosineAnnealingWarmRestarts(opt, 3)
        plateau = schedules_of(lib).ReduceLROnPlateau(opt)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for epoch in range(3):
                restarts.step()
                restarts.step(epoch + 0.5)  # a fractional epoch is no deprecated use here
                plateau.step(1.0)


# SequentialLR and ChainedScheduler have no get_lr of their own (torch's raise
# NotImplementedError).
@pytest.mark.parametrize("name", [name for name in NAMES if name.split()[0] not in COMBINATIONS])
def test_get_lr_outside_step_warns_and_gives_torchs_rates(name):
    results = []
    for lib in LIBRARIES:
        opt = optimizer(lib)
        scheduler = SCHEDULES[name](lib, opt)
        for _ in range(3):
            opt.step()
            scheduler.step()
        with pytest.warns(UserWarning, match="get_last_lr"):
            results.append(scheduler.get_lr())
    assert_same(*results)


@pytest.mark.parametrize(
    "name", ["lambda", "linear warm-up", "polynomial squared", "constant 0.5 for 3"]
)
def test_deprecated_step_with_an_epoch_matches_torch(name):
    runs_alike(SCHEDULES[name], steps=12, step_args=lambda index: ((index * 5) % 11,))


def test_functions_are_not_saved_but_callable_objects_are():
    for lib in LIBRARIES:
        opt = optimizer(lib)
        factor = Power(0.9)
        scheduler = schedules_of(lib).LambdaLR(opt, [factor, lambda epoch: 1.0])
        factor.base = 0.5
        state = scheduler.state_dict()
        assert state["lr_lambdas"] == [{"base": 0.5}, None], lib
        other = Power(0.9)
        schedules_of(lib).LambdaLR(opt, [other, lambda epoch: 1.0]).load_state_dict(state)
        assert other.base == 0.5, lib
        assert "lr_lambdas" in state, lib  # loading leaves the caller's dict whole
        scale = Power(0.9)
        cyclic = schedules_of(lib).CyclicLR(opt, 0.01, 0.1, scale_fn=scale)
        scale.base = 0.7
        saved = cyclic.state_dict()
        assert saved["_scale_fn_custom"] == {"base": 0.7}, lib
        assert list(saved)[-1] == "_scale_fn_custom"
        assert "_scale_fn_ref" not in saved
        restored_scale = Power(0.9)
        restored = schedules_of(lib).CyclicLR(opt, 0.01, 0.1, scale_fn=restored_scale)
        restored.load_state_dict(saved)
        assert restored_scale.base == 0.7, lib


# ReduceLROnPlateau -----------------------------------------------------------------------

PLATEAU_OPTIONS = [
    {},
    {"patience": 2, "factor": 0.5},
    {"mode": "max", "threshold_mode": "abs", "threshold": 0.01, "patience": 1},
    {"mode": "max", "patience": 0, "cooldown": 3, "factor": 0.3},
    {"patience": 1, "min_lr": [0.05, 0.001], "factor": 0.5},
    {"patience": 0, "min_lr": 0.02, "eps": 0.01},
    {"threshold_mode": "abs", "threshold": 0.1, "patience": 2, "cooldown": 2},
]


def metric_walk(seed, length=60):
    """A loss that falls, stalls and rises at random, with changes below the threshold too."""
    draw = random.Random(seed)
    value, values = 10.0, []
    for _ in range(length):
        value *= draw.choice([0.9, 1.0, 1.0, 1.05, 0.99995])
        values.append(value)
    return values


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("options", PLATEAU_OPTIONS, ids=str)
def test_plateau_matches_torch(options, seed):
    metrics = metric_walk(seed)
    runs_alike(
        lambda lib, opt: schedules_of(lib).ReduceLROnPlateau(opt, **options),
        steps=len(metrics),
        kind="adam" if seed else "sgd",
        step_args=lambda index: (metrics[index],),
    )


def test_plateau_reads_tensor_metrics_and_warns_on_an_epoch():
    states = []
    for lib in LIBRARIES:
        scheduler = schedules_of(lib).ReduceLROnPlateau(optimizer(lib), patience=0)
        for value in [1.0, 1.0, 2.0, 0.5, 0.5]:
            scheduler.step(lib.tensor(value))
        with pytest.warns(UserWarning, match="epoch parameter"):
            scheduler.step(3.0, 9)
        states.append(scheduler.state_dict())
    assert_same(*states)
    assert states[0]["last_epoch"] == 9


def test_plateau_fills_min_lr_for_a_new_group_or_refuses_as_torch():
    for lib in LIBRARIES:
        opt = optimizer(lib)
        scheduler = schedules_of(lib).ReduceLROnPlateau(opt, patience=0, min_lr=0.01)
        opt.add_param_group({"params": [lib.nn.Parameter(lib.zeros(1))], "lr": 0.5})
        scheduler.step(1.0)
        scheduler.step(2.0)
        assert scheduler.min_lrs == [0.01] * 3
        assert scheduler.get_last_lr()[2] == pytest.approx(0.05)
        opt = optimizer(lib)
        scheduler = schedules_of(lib).ReduceLROnPlateau(opt, patience=0, min_lr=[0.0, 0.0])
        opt.add_param_group({"params": [lib.nn.Parameter(lib.zeros(1))]})
        scheduler.step(1.0)
        with pytest.raises(RuntimeError, match="min_lrs"):
            scheduler.step(2.0)


def test_plateau_and_the_combinations_are_lr_schedulers():
    for lib in LIBRARIES:
        opt = optimizer(lib)
        schedules = schedules_of(lib)
        step = schedules.StepLR(opt, 2)
        for scheduler in (
            schedules.ReduceLROnPlateau(opt),
            schedules.ChainedScheduler([step]),
            schedules.SequentialLR(opt, [step], []),
        ):
            assert isinstance(scheduler, schedules.LRScheduler)


# CosineAnnealingWarmRestarts with epochs given ----------------------------------------------


@pytest.mark.parametrize("period,growth", [(5, 1), (3, 2), (2, 3)])
def test_warm_restarts_at_fractional_and_jumping_epochs(period, growth):
    def build(lib, opt):
        return schedules_of(lib).CosineAnnealingWarmRestarts(opt, period, growth, 0.001)

    runs_alike(build, steps=40, step_args=lambda index: (index * 0.37,))
    runs_alike(build, steps=40, step_args=lambda index: ((index * 7) % 23 + 0.5,))


# Resuming with last_epoch, tensor rates ------------------------------------------------

RESUMABLE = {
    "cyclic": lambda lib, opt, last: schedules_of(lib).CyclicLR(opt, 0.01, 0.1, 3, last_epoch=last),
    "one cycle": lambda lib, opt, last: schedules_of(lib).OneCycleLR(opt, 1.0, 30, last_epoch=last),
    "one cycle three phases": lambda lib, opt, last: schedules_of(lib).OneCycleLR(
        opt, 1.0, 30, three_phase=True, last_epoch=last
    ),
    "warm restarts": lambda lib, opt, last: schedules_of(lib).CosineAnnealingWarmRestarts(
        opt, 3, 2, last_epoch=last
    ),
    "linear": lambda lib, opt, last: schedules_of(lib).LinearLR(opt, last_epoch=last),
    "constant": lambda lib, opt, last: schedules_of(lib).ConstantLR(opt, last_epoch=last),
    "polynomial": lambda lib, opt, last: schedules_of(lib).PolynomialLR(opt, 9, last_epoch=last),
    "multiplicative": lambda lib, opt, last: schedules_of(lib).MultiplicativeLR(
        opt, lambda epoch: 0.9, last_epoch=last
    ),
}


@pytest.mark.parametrize("name", list(RESUMABLE))
def test_resuming_with_last_epoch_matches_torch(name):
    """Made again with ``last_epoch=4`` on an optimizer loaded from a checkpoint."""
    outcomes = []
    for lib in LIBRARIES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            opt = optimizer(lib, kind="adam")
            scheduler = RESUMABLE[name](lib, opt, -1)
            for _ in range(4):
                opt.step()
                scheduler.step()
            resumed_opt = optimizer(lib, kind="adam", lr=7.0)
            resumed_opt.load_state_dict(opt.state_dict())
            resumed = RESUMABLE[name](lib, resumed_opt, 4)
            record = [without_functions(resumed.state_dict()), settings(resumed_opt)]
            for _ in range(6):
                resumed_opt.step()
                resumed.step()
                record.append(settings(resumed_opt))
        outcomes.append(record)
    assert_same(*outcomes)


@pytest.mark.parametrize("name", ["lambda", "linear warm-up", "cyclic triangular", "one cycle"])
def test_a_tensor_rate_is_written_in_place(name):
    outcomes = []
    for lib in LIBRARIES:
        param = lib.nn.Parameter(lib.zeros(2))
        param.grad = lib.ones(2)
        rate = lib.tensor(0.1)
        opt = lib.optim.SGD([param], lr=rate, momentum=0.9)
        scheduler = SCHEDULES[name](lib, opt)
        record = []
        for _ in range(6):
            opt.step()
            scheduler.step()
            last = scheduler.get_last_lr()[0]
            assert isinstance(last, lib.Tensor) and last is not rate
            record.append((rate.item(), last.item()))
        outcomes.append(record)
    assert_same(*outcomes)


# Errors -----------------------------------------------------------------------------------


def _stepped(scheduler, times=3):
    for _ in range(times):
        scheduler.optimizer.step()
        scheduler.step()


def _optimizer_without_momentum(lib):
    class Plain(lib.optim.Optimizer):
        def __init__(self, params):
            super().__init__(params, {"lr": 0.1})

        def step(self, closure=None):
            return None

    return Plain([lib.nn.Parameter(lib.zeros(2))])


INVALID = {
    "lambdas for too few groups": lambda s, o: s.LambdaLR(o, [lambda e: 1.0]),
    "multiplicative lambda not callable": lambda s, o: s.MultiplicativeLR(o, 3),
    "multiplicative lambdas too many": lambda s, o: s.MultiplicativeLR(o, (lambda e: 1,) * 3),
    "constant factor above 1": lambda s, o: s.ConstantLR(o, factor=1.5),
    "constant factor below 0": lambda s, o: s.ConstantLR(o, factor=-0.1),
    "constant factor 0 at the end": lambda s, o: _stepped(s.ConstantLR(o, 0.0, total_iters=2)),
    "linear start_factor 0": lambda s, o: s.LinearLR(o, start_factor=0),
    "linear end_factor above 1": lambda s, o: s.LinearLR(o, end_factor=1.1),
    "sequential handing over to a chain": lambda s, o: _stepped(
        s.SequentialLR(o, [s.StepLR(o, 2), s.ChainedScheduler([s.StepLR(o, 3)])], [2]), times=3
    ),
    "sequential of nothing": lambda s, o: s.SequentialLR(o, [], []),
    "sequential milestones": lambda s, o: s.SequentialLR(o, [s.StepLR(o, 2)], [3]),
    "sequential of a plateau": lambda s, o: s.SequentialLR(
        o, [s.StepLR(o, 2), s.ReduceLROnPlateau(o)], [3]
    ),
    "sequential of no scheduler": lambda s, o: s.SequentialLR(o, [object()], []),
    "chain of nothing": lambda s, o: s.ChainedScheduler([]),
    "chain of two optimizers": lambda s, o: s.ChainedScheduler(
        [s.StepLR(o, 2), s.StepLR(type(o)(o.param_groups[0]["params"]), 2)]
    ),
    "chain of a plateau": lambda s, o: s.ChainedScheduler([s.StepLR(o, 2), s.ReduceLROnPlateau(o)]),
    "chain of no scheduler": lambda s, o: s.ChainedScheduler([s.StepLR(o, 2), 3], optimizer=o),
    "plateau factor 1": lambda s, o: s.ReduceLROnPlateau(o, factor=1.0),
    "plateau of no optimizer": lambda s, o: s.ReduceLROnPlateau(None),
    "plateau mode": lambda s, o: s.ReduceLROnPlateau(o, mode="avg"),
    "plateau threshold mode": lambda s, o: s.ReduceLROnPlateau(o, threshold_mode="x"),
    "plateau min_lrs": lambda s, o: s.ReduceLROnPlateau(o, min_lr=[0.1]),
    "plateau metric a string": lambda s, o: s.ReduceLROnPlateau(o).step("abc"),
    "restarts T_0 zero": lambda s, o: s.CosineAnnealingWarmRestarts(o, 0),
    "restarts T_0 float": lambda s, o: s.CosineAnnealingWarmRestarts(o, 2.0),
    "restarts T_mult zero": lambda s, o: s.CosineAnnealingWarmRestarts(o, 2, 0),
    "restarts T_mult float": lambda s, o: s.CosineAnnealingWarmRestarts(o, 2, 1.5),
    "restarts eta_min string": lambda s, o: s.CosineAnnealingWarmRestarts(o, 2, eta_min="0"),
    "restarts negative epoch": lambda s, o: s.CosineAnnealingWarmRestarts(o, 2).step(-1),
    "one cycle without steps": lambda s, o: s.OneCycleLR(o, 1.0),
    "one cycle total_steps 0": lambda s, o: s.OneCycleLR(o, 1.0, total_steps=0),
    "one cycle total_steps float": lambda s, o: s.OneCycleLR(o, 1.0, total_steps=10.0),
    "one cycle epochs 0": lambda s, o: s.OneCycleLR(o, 1.0, epochs=0, steps_per_epoch=3),
    "one cycle steps_per_epoch": lambda s, o: s.OneCycleLR(o, 1.0, epochs=2, steps_per_epoch=-3),
    "one cycle pct_start 1.5": lambda s, o: s.OneCycleLR(o, 1.0, total_steps=10, pct_start=1.5),
    "one cycle pct_start int": lambda s, o: s.OneCycleLR(o, 1.0, total_steps=10, pct_start=0),
    "one cycle anneal": lambda s, o: s.OneCycleLR(o, 1.0, total_steps=10, anneal_strategy="exp"),
    "one cycle max_lrs": lambda s, o: s.OneCycleLR(o, [1.0], total_steps=10),
    "one cycle max_momentums": lambda s, o: s.OneCycleLR(o, 1.0, 10, max_momentum=[0.9]),
    "one cycle of no optimizer": lambda s, o: s.OneCycleLR(3, 1.0, total_steps=10),
    "one cycle stepped past its end": lambda s, o: _stepped(s.OneCycleLR(o, 1.0, 4), times=5),
    "cyclic mode": lambda s, o: s.CyclicLR(o, 0.1, 1.0, mode="tri"),
    "cyclic of no optimizer": lambda s, o: s.CyclicLR(o.param_groups, 0.1, 1.0),
    "cyclic base_lrs": lambda s, o: s.CyclicLR(o, [0.1], 1.0),
    "cyclic max_lrs": lambda s, o: s.CyclicLR(o, 0.1, [1.0, 2.0, 3.0]),
    "cyclic of no steps": lambda s, o: s.CyclicLR(o, 0.1, 1.0, step_size_up=0),
}


@pytest.mark.parametrize("name", list(INVALID))
def test_invalid_arguments_raise_what_torch_raises(name):
    with pytest.raises(Exception) as expected:
        INVALID[name](torch.optim.lr_scheduler, optimizer(torch))
    with pytest.raises(type(expected.value)):
        INVALID[name](ember.optim.lr_scheduler, optimizer(ember))


def test_a_lambda_schedule_of_no_optimizer_fails_on_its_groups_as_torch():
    for lib in LIBRARIES:
        with pytest.raises(AttributeError, match="param_groups"):
            schedules_of(lib).LambdaLR(object(), lambda epoch: 1.0)


def test_one_cycle_past_its_end_names_the_steps():
    scheduler = ember.optim.lr_scheduler.OneCycleLR(optimizer(ember), 1.0, total_steps=4)
    with pytest.raises(ValueError, match="stepped 5 times.*total_steps of 4"):
        _stepped(scheduler, times=5)


def test_cycling_momentum_needs_momentum_or_betas():
    for lib in LIBRARIES:
        opt = _optimizer_without_momentum(lib)
        schedules = schedules_of(lib)
        with pytest.raises(ValueError, match="momentum"):
            schedules.CyclicLR(opt, 0.1, 1.0)
        with pytest.raises(ValueError, match="momentum"):
            schedules.OneCycleLR(opt, 0.1, total_steps=10)
        scheduler = schedules.OneCycleLR(opt, 0.1, total_steps=10, cycle_momentum=False)
        assert scheduler.get_last_lr()[0] == pytest.approx(0.004)


def test_sequential_hands_over_at_each_milestone_from_epoch_zero():
    """The next schedule starts from its own epoch 0 (torch calls its closed form there)."""
    for lib in LIBRARIES:
        opt = optimizer(lib, groups=1)
        schedules = schedules_of(lib)
        warm_up = schedules.LinearLR(opt, 0.5, total_iters=2)
        decay = schedules.ExponentialLR(opt, 0.5)
        sequence = schedules.SequentialLR(opt, [warm_up, decay], milestones=[3])
        rates = [sequence.get_last_lr()[0]]
        for _ in range(5):
            opt.step()
            sequence.step()
            rates.append(sequence.get_last_lr()[0])
        assert rates == pytest.approx([0.05, 0.075, 0.1, 0.1, 0.05, 0.025]), lib
        assert math.isclose(opt.param_groups[0]["lr"], 0.025)
