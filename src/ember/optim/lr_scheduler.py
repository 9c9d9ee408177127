"""Learning-rate schedules: after each epoch, ``scheduler.step()`` sets every group's ``lr``.

Each schedule writes its rule twice, as PyTorch does: ``get_lr`` moves the
current rate one epoch on (so schedules can be chained on one optimizer), and
``_get_closed_form_lr`` computes the rate at any epoch from the base rate
(used by the deprecated ``step(epoch)``, and by CosineAnnealingLR when resuming).

A group's ``lr`` may be a one-element tensor: the schedule then writes each new
rate into that tensor, and keeps copies (never the tensor itself) as its base
and last rates, so that writing a new rate changes none of them.
"""

import math
import warnings
from bisect import bisect_right
from collections import Counter

from ..tensor import Tensor
from .optimizer import Optimizer


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
        self._step_count = 0
        self._is_initial = True
        self.step()  # epoch -1 -> 0: sets the starting rates
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
            warnings.warn(
                "The epoch parameter in `scheduler.step()` was not necessary and is being "
                "deprecated where possible. Please use `scheduler.step()` to step the "
                "scheduler.",
                UserWarning,
                stacklevel=2,
            )
        self._get_lr_called_within_step = True
        try:
            rates = self._rates_at(epoch)
        finally:
            self._get_lr_called_within_step = False
        for group, rate in zip(self.optimizer.param_groups, rates):
            _set_rate(group, rate)
        self._last_lr = [_copy_of(group["lr"]) for group in self.optimizer.param_groups]

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


_LRScheduler = LRScheduler  # PyTorch's older name


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
        if self._step_count == 1 and epoch > 0:
            return self._get_closed_form_lr()
        if (epoch - 1 - period) % (2 * period) == 0:
            return [
                group["lr"] + (base - low) * (1 - math.cos(math.pi / period)) / 2
                for base, group in zip(self.base_lrs, groups)
            ]
        ratio = (1 + math.cos(math.pi * epoch / period)) / (
            1 + math.cos(math.pi * (epoch - 1) / period)
        )
        return [ratio * (group["lr"] - low) + low for group in groups]

    def _get_closed_form_lr(self):
        cosine = 1 + math.cos(math.pi * self.last_epoch / self.T_max)
        return [self.eta_min + (base - self.eta_min) * cosine / 2 for base in self.base_lrs]
