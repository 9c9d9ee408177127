"""Learning-rate schedules: after each epoch, ``scheduler.step()`` sets every group's ``lr``.

Each schedule writes its rule twice, as PyTorch does: ``get_lr`` moves the
current rate one epoch on (so schedules can be chained on one optimizer), and
``_get_closed_form_lr`` computes the rate at any epoch from the base rate
(used by the deprecated ``step(epoch)``, and by CosineAnnealingLR when resuming).

A group's ``lr`` may be a one-element tensor: the schedule then writes each new
rate into that tensor, and keeps copies (never the tensor itself) as its base
and last rates, so that writing a new rate changes none of them.

Besides the schedules of one rule, SequentialLR and ChainedScheduler combine
schedules, and ReduceLROnPlateau follows a metric. The cyclic schedules (CyclicLR,
OneCycleLR, CosineAnnealingWarmRestarts) live in ``cyclic_schedulers.py``; this
module re-exports them. State dicts hold what torch's hold, so checkpoints match.
"""

import math
import types
import warnings
from bisect import bisect_right
from collections import Counter

from ..tensor import Tensor
from .optimizer import Optimizer

__all__ = [
    "LRScheduler",
    "LambdaLR",
    "MultiplicativeLR",
    "StepLR",
    "MultiStepLR",
    "ConstantLR",
    "LinearLR",
    "ExponentialLR",
    "PolynomialLR",
    "CosineAnnealingLR",
    "SequentialLR",
    "ChainedScheduler",
    "ReduceLROnPlateau",
    "CyclicLR",
    "CosineAnnealingWarmRestarts",
    "OneCycleLR",
]

_EPOCH_DEPRECATED = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated "
    "where possible. Please use `scheduler.step()` to step the scheduler."
)


class LRScheduler:
    _get_lr_called_within_step = False  # True while ``step`` asks ``get_lr`` for the rates

    def __init__(self, optimizer, last_epoch=-1):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        _forget_earlier_steps(optimizer)
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", _copy_of(group["lr"]))
        else:
            for index, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"param 'initial_lr' is not specified in param_groups[{index}] when "
                        "resuming scheduler with last_epoch >= 0: load the optimizer's state "
                        "dict first (it carries initial_lr), or start with last_epoch=-1"
                    )
        self.base_lrs = [_copy_of(group["initial_lr"]) for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._initial_step()

    def _initial_step(self):
        """Step once from ``last_epoch`` (-1 -> 0 for a new schedule) to set the starting rates.

        SequentialLR calls it again when a schedule takes over at epoch 0.
        """
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self):
        """The rates for the epoch ``step`` has just moved to (``get_last_lr`` reads them)."""
        raise NotImplementedError

    def _warn_unless_stepping(self):
        """``get_lr`` moves the rates on, so outside ``step`` it is likely a mistake for
        ``get_last_lr``; torch warns the same way."""
        if not self._get_lr_called_within_step:
            warnings.warn(
                "To get the last learning rate computed by the scheduler, please use "
                "`get_last_lr()`: `get_lr()` computes the next rate from the current one.",
                UserWarning,
                stacklevel=3,
            )

    def get_last_lr(self):
        """The rates the last ``step()`` set, one per parameter group."""
        return self._last_lr

    def step(self, epoch=None):
        if self._step_count == 1 and not getattr(self.optimizer, "_opt_called", False):
            warnings.warn(
                "Detected call of `lr_scheduler.step()` before `optimizer.step()`. Call "
                "`optimizer.step()` first; otherwise the schedule skips its first learning "
                "rate.",
                UserWarning,
                stacklevel=2,
            )
        self._step_count += 1
        if epoch is not None:
            warnings.warn(_EPOCH_DEPRECATED, UserWarning, stacklevel=2)
        self._update_lr(epoch)

    def _update_lr(self, epoch=None):
        """Move to the next epoch (or to ``epoch``) and write its rates into the groups.

        SequentialLR calls it with epoch 0 when a schedule takes over, on every kind of
        schedule, CosineAnnealingWarmRestarts too (it skips that one's own ``step``).
        """
        self._write_rates(self._rates_at, epoch)

    def _write_rates(self, next_rates, epoch):
        """Write ``next_rates(epoch)`` into the groups; it may call ``get_lr`` without a warning."""
        self._get_lr_called_within_step = True
        try:
            rates = next_rates(epoch)
        finally:
            self._get_lr_called_within_step = False
        # strict, as PyTorch's: a group added since the schedule began has no rate of its
        # own there, and is refused (ValueError) rather than left at its rate
        for group, rate in zip(self.optimizer.param_groups, rates, strict=True):
            _set_rate(group, rate)
        self._last_lr = self._current_rates()

    def _rates_at(self, epoch):
        """The next epoch's rates, or (deprecated) those of ``epoch`` by the closed form."""
        if epoch is None:
            self.last_epoch += 1
            return self.get_lr()
        self.last_epoch = epoch
        closed_form = getattr(self, "_get_closed_form_lr", None)
        return closed_form() if closed_form is not None else self.get_lr()

    def _current_rates(self):
        return [_copy_of(group["lr"]) for group in self.optimizer.param_groups]

    def state_dict(self):
        """Everything the schedule keeps, except the optimizer (it has its own state dict)."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict):
        self.__dict__.update(state_dict)


class _LRScheduler(LRScheduler):
    """PyTorch's older name, kept for schedules written against it. A subclass, as in
    PyTorch: a StepLR is an ``LRScheduler`` but not an ``_LRScheduler``."""


def _forget_earlier_steps(optimizer):
    """Count only the optimizer steps taken once a scheduler watches it, as torch does.

    Then ``scheduler.step()`` twice before any ``optimizer.step()`` warns even when
    the optimizer stepped before the scheduler was made. Later schedulers on the
    same optimizer keep the count (torch patches ``step`` only once).
    """
    if not getattr(optimizer, "_watched_by_scheduler", False):
        optimizer._watched_by_scheduler = True
        optimizer._opt_called = False


def _copy_of(rate):
    """A rate to keep: a tensor rate is copied, since the schedule writes into it."""
    return rate.clone() if isinstance(rate, Tensor) else rate


def _set_rate(group, rate):
    """Write ``rate`` into a tensor ``lr`` (whoever holds that tensor sees it), else replace."""
    if isinstance(group["lr"], Tensor):
        group["lr"].fill_(rate.reshape(()) if isinstance(rate, Tensor) else rate)
    else:
        group["lr"] = rate


class StepLR(LRScheduler):
    """Multiply the rate by ``gamma`` every ``step_size`` epochs."""

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_unless_stepping()
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current_rates()
        return [group["lr"] * self.gamma for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        decays = self.last_epoch // self.step_size
        return [base * self.gamma**decays for base in self.base_lrs]


class MultiStepLR(LRScheduler):
    """Multiply the rate by ``gamma`` at each epoch listed in ``milestones``."""

    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1):
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_unless_stepping()
        if self.last_epoch not in self.milestones:
            return self._current_rates()
        factor = self.gamma ** self.milestones[self.last_epoch]
        return [group["lr"] * factor for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        passed = bisect_right(sorted(self.milestones.elements()), self.last_epoch)
        return [base * self.gamma**passed for base in self.base_lrs]


class ExponentialLR(LRScheduler):
    """Multiply the rate by ``gamma`` every epoch."""

    def __init__(self, optimizer, gamma, last_epoch=-1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_unless_stepping()
        if self._is_initial:
            return self._current_rates()
        return [group["lr"] * self.gamma for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        return [base * self.gamma**self.last_epoch for base in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """Follow half a cosine from the base rate down to ``eta_min`` over ``T_max`` epochs.

    Past ``T_max`` the rate climbs back up (the cosine continues); the update is
    the ratio of consecutive cosine values, so other schedules can be chained.
    """

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1):  # noqa: N803
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_unless_stepping()
        epoch, period, low = self.last_epoch, self.T_max, self.eta_min
        groups = self.optimizer.param_groups
        if self._is_initial:
            return self._current_rates()
        if self._step_count == 1 and epoch > 0:  # resumed: the closed form, from the base rates
            _check_one_base_per_group(self.base_lrs, groups)
            return self._get_closed_form_lr()
        if (epoch - 1 - period) % (2 * period) == 0:
            return [
                group["lr"] + (base - low) * (1 - math.cos(math.pi / period)) / 2
                for base, group in zip(self.base_lrs, groups, strict=True)
            ]
        ratio = (1 + math.cos(math.pi * epoch / period)) / (
            1 + math.cos(math.pi * (epoch - 1) / period)
        )
        return [ratio * (group["lr"] - low) + low for group in groups]

    def _get_closed_form_lr(self):
        cosine = 1 + math.cos(math.pi * self.last_epoch / self.T_max)
        return [self.eta_min + (base - self.eta_min) * cosine / 2 for base in self.base_lrs]


def _check_one_base_per_group(base_lrs, groups):
    """Refuse a group added since the schedule began: it has no base rate (torch's zip
    of the two is strict, so its ``get_lr`` raises ValueError here too)."""
    if len(base_lrs) != len(groups):
        raise ValueError(
            f"the schedule has {len(base_lrs)} base rates but the optimizer has {len(groups)} "
            "param groups: a group added since the schedule began has no base rate"
        )


def _one_per_group(optimizer, value, name):
    """``value`` for each parameter group: a list or tuple gives one per group, else repeated."""
    count = len(optimizer.param_groups)
    if not isinstance(value, (list, tuple)):
        return [_copy_of(value) for _ in range(count)]
    if len(value) != count:
        raise ValueError(
            f"{name} needs one value per parameter group: the optimizer has {count} groups, "
            f"but {len(value)} values were given"
        )
    return [_copy_of(item) for item in value]


def _saved_attributes(function):
    """What a state dict keeps of a user's function: nothing of a plain function or lambda
    (it cannot be pickled reliably), the attributes of a callable object."""
    if function is None or isinstance(function, types.FunctionType):
        return None
    return function.__dict__.copy()


class _FactorFunctions(LRScheduler):
    """LambdaLR and MultiplicativeLR: one factor function of the epoch per parameter group."""

    def __init__(self, optimizer, lr_lambda, last_epoch):
        self.optimizer = optimizer
        self.lr_lambdas = _one_per_group(optimizer, lr_lambda, "lr_lambda")
        super().__init__(optimizer, last_epoch)

    def state_dict(self):
        state = super().state_dict()
        del state["lr_lambdas"]  # re-added last, as torch orders it
        state["lr_lambdas"] = [_saved_attributes(function) for function in self.lr_lambdas]
        return state

    def load_state_dict(self, state_dict):
        state = dict(state_dict)
        saved_functions = state.pop("lr_lambdas")
        self.__dict__.update(state)
        for function, attributes in zip(self.lr_lambdas, saved_functions):
            if attributes is not None:
                function.__dict__.update(attributes)


class LambdaLR(_FactorFunctions):
    """Set the rate to the base rate times ``lr_lambda(epoch)`` (one function, or one per group)."""

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        super().__init__(optimizer, lr_lambda, last_epoch)

    def get_lr(self):
        self._warn_unless_stepping()
        return [
            base * function(self.last_epoch)
            for function, base in zip(self.lr_lambdas, self.base_lrs, strict=True)
        ]


class MultiplicativeLR(_FactorFunctions):
    """Multiply the rate by ``lr_lambda(epoch)`` every epoch (one function, or one per group)."""

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        for function in _one_per_group(optimizer, lr_lambda, "lr_lambda"):
            if not callable(function):
                raise TypeError(
                    "lr_lambda should be a function of the epoch, but got "
                    f"{type(function).__name__}"
                )
        super().__init__(optimizer, lr_lambda, last_epoch)

    def get_lr(self):
        self._warn_unless_stepping()
        if self._is_initial:
            return self._current_rates()
        return [
            group["lr"] * function(self.last_epoch)
            for function, group in zip(self.lr_lambdas, self.optimizer.param_groups, strict=True)
        ]


class ConstantLR(LRScheduler):
    """Multiply the rate by ``factor`` for the first ``total_iters`` epochs, then restore it."""

    def __init__(self, optimizer, factor=1.0 / 3, total_iters=5, last_epoch=-1):
        if factor > 1.0 or factor < 0:
            raise ValueError(f"ConstantLR's factor must be between 0 and 1, got {factor}")
        self.factor = factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_unless_stepping()
        groups = self.optimizer.param_groups
        if self.last_epoch == 0:
            return [group["lr"] * self.factor for group in groups]
        if self.last_epoch != self.total_iters:
            return self._current_rates()
        return [group["lr"] * (1.0 / self.factor) for group in groups]

    def _get_closed_form_lr(self):
        done = self.last_epoch >= self.total_iters
        return [base * (self.factor + done * (1 - self.factor)) for base in self.base_lrs]


class LinearLR(LRScheduler):
    """Scale the rate linearly from ``start_factor`` to ``end_factor`` over ``total_iters``
    epochs (a warm-up, for the defaults), then keep it."""

    def __init__(
        self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5, last_epoch=-1
    ):
        if start_factor > 1.0 or start_factor <= 0:
            raise ValueError(
                f"LinearLR's start_factor must be above 0 and at most 1, got {start_factor}"
            )
        if end_factor > 1.0 or end_factor < 0:
            raise ValueError(f"LinearLR's end_factor must be between 0 and 1, got {end_factor}")
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_unless_stepping()
        groups = self.optimizer.param_groups
        if self.last_epoch == 0:
            return [group["lr"] * self.start_factor for group in groups]
        if self._is_initial or self.last_epoch > self.total_iters:
            return self._current_rates()
        # The ratio of this epoch's factor to the last one's, so that schedules can chain.
        change = self.end_factor - self.start_factor
        last_factor = self.total_iters * self.start_factor + (self.last_epoch - 1) * change
        return [group["lr"] * (1.0 + change / last_factor) for group in groups]

    def _get_closed_form_lr(self):
        progress = min(self.total_iters, self.last_epoch) / self.total_iters
        change = self.end_factor - self.start_factor
        return [base * (self.start_factor + change * progress) for base in self.base_lrs]


class PolynomialLR(LRScheduler):
    """Decay the rate as ``(1 - epoch / total_iters) ** power``, reaching 0 at ``total_iters``."""

    def __init__(self, optimizer, total_iters=5, power=1.0, last_epoch=-1):
        self.total_iters = total_iters
        self.power = power
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_unless_stepping()
        if self._is_initial or self.last_epoch > self.total_iters:
            return self._current_rates()
        remaining = 1.0 - self.last_epoch / self.total_iters
        remaining_before = 1.0 - (self.last_epoch - 1) / self.total_iters
        factor = (remaining / remaining_before) ** self.power
        return [group["lr"] * factor for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        remaining = 1.0 - min(self.total_iters, self.last_epoch) / self.total_iters
        return [base * remaining**self.power for base in self.base_lrs]


# Schedules of schedules -------------------------------------------------------


class _ScheduleOfSchedules(LRScheduler):
    """SequentialLR and ChainedScheduler: their state dict nests those of their schedules."""

    def state_dict(self):
        state = {
            key: value
            for key, value in self.__dict__.items()
            if key not in ("optimizer", "_schedulers")
        }
        state["_schedulers"] = [scheduler.state_dict() for scheduler in self._schedulers]
        return state

    def load_state_dict(self, state_dict):
        state = dict(state_dict)
        saved_schedules = state.pop("_schedulers")
        self.__dict__.update(state)
        for index, saved in enumerate(saved_schedules):
            self._schedulers[index].load_state_dict(saved)


def _check_schedules(owner, schedulers, optimizer):
    """The schedules a SequentialLR or ChainedScheduler drives: plain ones, on ``optimizer``."""
    for index, scheduler in enumerate(schedulers):
        if not hasattr(scheduler, "optimizer"):
            raise TypeError(
                f"{owner}: the scheduler at index {index} has no `optimizer` attribute; "
                "give it learning-rate schedulers"
            )
        if isinstance(scheduler, ReduceLROnPlateau):
            raise ValueError(
                f"{owner} cannot drive ReduceLROnPlateau (index {index}): its step() needs "
                "the metric to watch; step it yourself"
            )
        if scheduler.optimizer is not optimizer:
            raise ValueError(
                f"{owner} expects all schedulers to belong to one optimizer, but the "
                f"{type(scheduler).__name__} at index {index} schedules another "
                f"{type(scheduler.optimizer).__name__} than the given "
                f"{type(optimizer).__name__}"
            )


def _check_not_empty(owner, schedulers):
    if len(schedulers) < 1:
        raise ValueError(f"{owner} expects at least one scheduler, but got none")


def _take_back_one_epoch(scheduler):
    """Undo the epoch each schedule counted when it was made (those inside combinations too)."""
    parts = getattr(scheduler, "_schedulers", None)
    if parts is not None:
        for part in parts:
            _take_back_one_epoch(part)
    elif hasattr(scheduler, "last_epoch"):
        scheduler.last_epoch -= 1


class SequentialLR(_ScheduleOfSchedules):
    """Run ``schedulers[0]`` until ``milestones[0]``, then ``schedulers[1]`` from its epoch 0,
    and so on (a warm-up followed by a decay, say)."""

    def __init__(self, optimizer, schedulers, milestones, last_epoch=-1):
        owner = type(self).__name__
        _check_not_empty(owner, schedulers)
        _check_schedules(owner, schedulers, optimizer)
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(
                f"{owner} needs one milestone fewer than schedulers, but got "
                f"{len(schedulers)} schedulers and {len(milestones)} milestones"
            )
        self._schedulers = schedulers
        self._milestones = milestones
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer
        # Each schedule took its first step when made: start again from the initial rates,
        # and let only the first schedule take that step.
        for group in optimizer.param_groups:
            _set_rate(group, group["initial_lr"])
        _take_back_one_epoch(self)
        first = schedulers[bisect_right(milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    def step(self):
        self.last_epoch += 1
        index = bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[index]
        if index > 0 and self._milestones[index - 1] == self.last_epoch:
            scheduler._update_lr(0)  # a schedule taking over starts from its own epoch 0
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()


class ChainedScheduler(_ScheduleOfSchedules):
    """Step every schedule in ``schedulers`` at each ``step()``: their factors multiply."""

    def __init__(self, schedulers, optimizer=None):
        owner = type(self).__name__
        _check_not_empty(owner, schedulers)
        optimizer = optimizer or schedulers[0].optimizer
        _check_schedules(owner, schedulers, optimizer)
        self._schedulers = schedulers
        self.optimizer = optimizer
        self._last_lr = self._current_rates()

    def step(self):
        for scheduler in self._schedulers:
            scheduler.step()
        self._last_lr = self._current_rates()


# A schedule driven by a metric ---------------------------------------------------


class ReduceLROnPlateau(LRScheduler):
    """Multiply the rate by ``factor`` once the metric passed to ``step(metric)`` has not
    improved for more than ``patience`` epochs; then wait ``cooldown`` epochs.

    "Improved" means better than the best so far by ``threshold`` (relative to the best,
    or absolute); rates never go below ``min_lr``, and changes smaller than ``eps`` are skipped.
    """

    def __init__(
        self,
        optimizer,
        mode="min",
        factor=0.1,
        patience=10,
        threshold=1e-4,
        threshold_mode="rel",
        cooldown=0,
        min_lr=0,
        eps=1e-8,
    ):
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau's factor must be below 1.0, got {factor}")
        self.factor = factor
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        if isinstance(min_lr, (list, tuple)):
            self.default_min_lr = None
            self.min_lrs = _one_per_group(optimizer, list(min_lr), "min_lr")
        else:
            self.default_min_lr = min_lr
            self.min_lrs = [min_lr] * len(optimizer.param_groups)
        self.patience = patience
        self.cooldown = cooldown
        self.eps = eps
        self.last_epoch = 0
        self._last_lr = self._current_rates()
        self._set_comparison(mode, threshold, threshold_mode)
        self._reset()

    def _set_comparison(self, mode, threshold, threshold_mode):
        if mode not in ("min", "max"):
            raise ValueError(f"mode {mode!r} is unknown: use 'min' or 'max'")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"threshold mode {threshold_mode!r} is unknown: use 'rel' or 'abs'")
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self.mode = mode
        self.threshold = threshold
        self.threshold_mode = threshold_mode

    def _reset(self):
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    @property
    def in_cooldown(self):
        return self.cooldown_counter > 0

    def step(self, metrics, epoch=None):
        current = float(metrics)
        if epoch is None:
            epoch = self.last_epoch + 1
        else:
            warnings.warn(_EPOCH_DEPRECATED, UserWarning, stacklevel=2)
        self.last_epoch = epoch
        if self._is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # epochs in cooldown do not count as bad
        if self.num_bad_epochs > self.patience:
            self._reduce_lr()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = self._current_rates()

    def _is_better(self, value, best):
        if self.mode == "min":
            if self.threshold_mode == "rel":
                return value < best * (1.0 - self.threshold)
            return value < best - self.threshold
        if self.threshold_mode == "rel":
            return value > best * (self.threshold + 1.0)
        return value > best + self.threshold

    def _reduce_lr(self):
        groups = self.optimizer.param_groups
        if len(groups) != len(self.min_lrs):
            if self.default_min_lr is None:
                raise RuntimeError(
                    f"the optimizer has {len(groups)} param groups but ReduceLROnPlateau was "
                    f"given {len(self.min_lrs)} min_lrs (was a group added since?): set its "
                    "`min_lrs` to one value per group"
                )
            self.min_lrs = [self.default_min_lr] * len(groups)
        for group, min_lr in zip(groups, self.min_lrs):
            old = float(group["lr"])
            new = max(old * self.factor, min_lr)
            if old - new > self.eps:
                _set_rate(group, new)

    def load_state_dict(self, state_dict):
        self.__dict__.update(state_dict)
        self._set_comparison(self.mode, self.threshold, self.threshold_mode)


# The cyclic schedules live in their own module; they are part of this one's interface.
from .cyclic_schedulers import CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR  # noqa: E402
