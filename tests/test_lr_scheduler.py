"""Learning-rate schedules against PyTorch (SPEC N4): the rate at every epoch, chaining,
state dicts, the deprecated ``step(epoch)`` and the call-order warning."""

import warnings

import pytest
import torch

import ember
from ember import nn

SCHEDULES = [
    ("StepLR", {"step_size": 3}),
    ("StepLR", {"step_size": 2, "gamma": 0.5}),
    ("MultiStepLR", {"milestones": [2, 5, 5, 9], "gamma": 0.3}),
    ("ExponentialLR", {"gamma": 0.9}),
    ("CosineAnnealingLR", {"T_max": 5}),
    ("CosineAnnealingLR", {"T_max": 4, "eta_min": 0.01}),
]


def optimizers(lr=0.1, groups=1):
    e_params = [nn.Parameter(ember.zeros(2)) for _ in range(groups)]
    t_params = [torch.nn.Parameter(torch.zeros(2)) for _ in range(groups)]
    e_opt = ember.optim.SGD([{"params": [p], "lr": lr * (i + 1)} for i, p in enumerate(e_params)])
    t_opt = torch.optim.SGD([{"params": [p], "lr": lr * (i + 1)} for i, p in enumerate(t_params)])
    return e_opt, t_opt


def rates(opt):
    return [group["lr"] for group in opt.param_groups]


def schedulers(name, options, e_opt, t_opt):
    """The same schedule on ember's optimizer and on torch's."""
    return (
        getattr(ember.optim.lr_scheduler, name)(e_opt, **options),
        getattr(torch.optim.lr_scheduler, name)(t_opt, **options),
    )


def run_epochs(pairs, epochs):
    """``epochs`` epochs of each (optimizer, scheduler) pair, the optimizer stepping first."""
    for _ in range(epochs):
        for opt, sched in pairs:
            opt.step()
            sched.step()


@pytest.mark.parametrize("name,options", SCHEDULES)
def test_schedule_matches_torch_for_25_epochs(name, options):
    e_opt, t_opt = optimizers(groups=2)
    e_sched = getattr(ember.optim.lr_scheduler, name)(e_opt, **options)
    t_sched = getattr(torch.optim.lr_scheduler, name)(t_opt, **options)
    assert e_sched.get_last_lr() == pytest.approx(t_sched.get_last_lr(), rel=1e-12)
    for _ in range(25):
        e_opt.step()
        t_opt.step()
        e_sched.step()
        t_sched.step()
        assert rates(e_opt) == pytest.approx(rates(t_opt), rel=1e-12, abs=1e-15)
        assert e_sched.get_last_lr() == pytest.approx(t_sched.get_last_lr(), rel=1e-12, abs=1e-15)
        assert e_sched.last_epoch == t_sched.last_epoch


def test_chained_schedules_match_torch():
    e_opt, t_opt = optimizers()
    e_first = ember.optim.lr_scheduler.ExponentialLR(e_opt, gamma=0.9)
    e_second = ember.optim.lr_scheduler.MultiStepLR(e_opt, milestones=[3, 6], gamma=0.1)
    t_first = torch.optim.lr_scheduler.ExponentialLR(t_opt, gamma=0.9)
    t_second = torch.optim.lr_scheduler.MultiStepLR(t_opt, milestones=[3, 6], gamma=0.1)
    for _ in range(10):
        e_opt.step()
        t_opt.step()
        for scheduler in (e_first, e_second, t_first, t_second):
            scheduler.step()
        assert rates(e_opt) == pytest.approx(rates(t_opt), rel=1e-12)


@pytest.mark.parametrize("name,options", SCHEDULES)
def test_state_dict_round_trip_resumes_the_schedule(name, options):
    e_opt, t_opt = optimizers()
    scheduler, t_sched = schedulers(name, options, e_opt, t_opt)
    run_epochs([(e_opt, scheduler), (t_opt, t_sched)], 4)
    state = scheduler.state_dict()
    assert "optimizer" not in state
    for key in ("base_lrs", "last_epoch", "_step_count", "_last_lr"):
        assert state[key] == pytest.approx(t_sched.state_dict()[key])
    # A new optimizer + scheduler restored from both state dicts continues identically.
    fresh_opt, _ = optimizers(lr=5.0)
    fresh_opt.load_state_dict(e_opt.state_dict())
    fresh = getattr(ember.optim.lr_scheduler, name)(fresh_opt, **options)
    fresh.load_state_dict(state)
    for _ in range(6):
        run_epochs([(e_opt, scheduler), (fresh_opt, fresh), (t_opt, t_sched)], 1)
        assert rates(fresh_opt) == pytest.approx(rates(e_opt), rel=1e-12)
        assert rates(fresh_opt) == pytest.approx(rates(t_opt), rel=1e-12)


@pytest.mark.parametrize("name,options", SCHEDULES)
def test_deprecated_step_with_epoch_uses_the_closed_form(name, options):
    e_opt, t_opt = optimizers()
    e_sched = getattr(ember.optim.lr_scheduler, name)(e_opt, **options)
    t_sched = getattr(torch.optim.lr_scheduler, name)(t_opt, **options)
    e_opt.step()
    t_opt.step()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_sched.step(7)
    with pytest.warns(UserWarning, match="epoch parameter"):
        e_sched.step(7)
    assert rates(e_opt) == pytest.approx(rates(t_opt), rel=1e-12)


def test_stepping_the_scheduler_before_the_optimizer_warns():
    opt, _ = optimizers()
    scheduler = ember.optim.lr_scheduler.StepLR(opt, step_size=1)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        scheduler.step()
    opt, _ = optimizers()
    scheduler = ember.optim.lr_scheduler.StepLR(opt, step_size=1)
    opt.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scheduler.step()


def test_resuming_needs_initial_lr_and_an_optimizer():
    e_opt, t_opt = optimizers()
    with pytest.raises(KeyError) as t_error:
        torch.optim.lr_scheduler.StepLR(t_opt, step_size=2, last_epoch=3)
    assert "param 'initial_lr' is not specified in param_groups[0]" in str(t_error.value)
    with pytest.raises(KeyError, match=r"param 'initial_lr' is not specified in param_groups\[0\]"):
        ember.optim.lr_scheduler.StepLR(e_opt, step_size=2, last_epoch=3)
    with pytest.raises(TypeError, match="is not an Optimizer"):
        ember.optim.lr_scheduler.StepLR(object(), step_size=2)


@pytest.mark.parametrize("name,options", SCHEDULES)
def test_state_dict_keys_match_torch(name, options):
    e_opt, t_opt = optimizers()
    e_sched = getattr(ember.optim.lr_scheduler, name)(e_opt, **options)
    t_sched = getattr(torch.optim.lr_scheduler, name)(t_opt, **options)
    assert list(e_sched.state_dict()) == list(t_sched.state_dict())


@pytest.mark.parametrize("name,options", SCHEDULES)
def test_get_lr_outside_step_warns_as_torch_does(name, options):
    """``get_lr`` computes the next epoch's rate; reading the current one is ``get_last_lr``."""
    e_opt, t_opt = optimizers()
    e_sched, t_sched = schedulers(name, options, e_opt, t_opt)
    run_epochs([(e_opt, e_sched), (t_opt, t_sched)], 3)
    with pytest.warns(UserWarning, match="get_last_lr"):
        t_rates = t_sched.get_lr()
    with pytest.warns(UserWarning, match="get_last_lr") as record:
        e_rates = e_sched.get_lr()
    assert record[0].filename == __file__  # the warning points at the caller
    assert e_rates == pytest.approx(t_rates, rel=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # step() itself does not warn
        e_opt.step()
        e_sched.step()


def test_get_lr_returns_copies_of_tensor_rates():
    for lib in (ember, torch):
        opt = lib.optim.SGD([lib.nn.Parameter(lib.zeros(2))], lr=lib.tensor(0.1))
        scheduler = lib.optim.lr_scheduler.StepLR(opt, step_size=2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rates = scheduler.get_lr()
        rates[0].fill_(5.0)
        assert opt.param_groups[0]["lr"].item() == pytest.approx(0.1), lib


def test_optimizer_steps_before_the_scheduler_exists_do_not_count():
    """Torch counts only the optimizer steps taken once a scheduler watches the optimizer."""
    for lib in (ember, torch):
        param = lib.nn.Parameter(lib.zeros(2))
        opt = lib.optim.SGD([param], lr=0.1)
        param.grad = lib.ones(2)
        opt.step()
        scheduler = lib.optim.lr_scheduler.StepLR(opt, step_size=1)
        with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
            scheduler.step()
        # A second scheduler on the same optimizer keeps the count.
        opt.step()
        second = lib.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            second.step()
