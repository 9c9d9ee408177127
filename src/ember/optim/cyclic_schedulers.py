"""Schedules that cycle: CyclicLR, CosineAnnealingWarmRestarts and OneCycleLR.

``ember.optim.lr_scheduler`` re-exports them. CyclicLR and OneCycleLR step once per
batch and may cycle the momentum against the rate: SGD's ``momentum``, or the
first of the ``betas`` of Adam and its kin.
"""

import math

from .lr_scheduler import (
    LRScheduler,
    _one_per_group,
    _saved_attributes,
    _set_rate,
)
from .optimizer import Optimizer


def _cycles_beta1(optimizer):
    """Whether a momentum cycle sets ``betas[0]`` (Adam's family) or ``momentum`` (SGD)."""
    if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
        raise ValueError(
            f"cycle_momentum needs an optimizer with momentum or betas, but "
            f"{type(optimizer).__name__} has neither: pass cycle_momentum=False"
        )
    return "betas" in optimizer.defaults


def _set_momentum(group, momentum, use_beta1):
    if use_beta1:
        group["betas"] = (momentum, *group["betas"][1:])
    else:
        group["momentum"] = momentum


def _start_momentum_cycle(optimizer, max_momentums, base_momentums, use_beta1):
    """Start each group at its top momentum, and note both ends in the group (torch does)."""
    for top, bottom, group in zip(max_momentums, base_momentums, optimizer.param_groups):
        _set_momentum(group, top, use_beta1)
        group["max_momentum"] = top
        group["base_momentum"] = bottom


class CyclicLR(LRScheduler):
    """Cycle the rate between ``base_lr`` and ``max_lr`` along a triangle: up over
    ``step_size_up`` steps, down over ``step_size_down``; the momentum cycles the other way.

    The triangle's height is scaled per cycle (``triangular2`` halves it each cycle) or per
    step (``exp_range``: ``gamma ** step``), or by a ``scale_fn`` of the user's.
    """

    def __init__(
        self,
        optimizer,
        base_lr,
        max_lr,
        step_size_up=2000,
        step_size_down=None,
        mode="triangular",
        gamma=1.0,
        scale_fn=None,
        scale_mode="cycle",
        cycle_momentum=True,
        base_momentum=0.8,
        max_momentum=0.9,
        last_epoch=-1,
    ):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        base_lrs = _one_per_group(optimizer, base_lr, "base_lr")
        if last_epoch == -1:
            for rate, group in zip(base_lrs, optimizer.param_groups):
                _set_rate(group, rate)
        self.max_lrs = _one_per_group(optimizer, max_lr, "max_lr")
        step_size_up = float(step_size_up)
        step_size_down = step_size_up if step_size_down is None else float(step_size_down)
        self.total_size = step_size_up + step_size_down
        self.step_ratio = step_size_up / self.total_size
        # Compared (not hashed): an unhashable mode is the ValueError PyTorch gives.
        if mode not in tuple(_SCALE_MODES) and scale_fn is None:
            raise ValueError(
                f"CyclicLR's mode {mode!r} is unknown and no scale_fn was given: use "
                "'triangular', 'triangular2' or 'exp_range', or pass a scale_fn"
            )
        self.mode = mode
        self.gamma = gamma
        self._scale_fn_custom = scale_fn
        # The built-in modes fix what their scale is a function of.
        self.scale_mode = scale_mode if scale_fn is not None else _SCALE_MODES[mode]
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1 = _cycles_beta1(optimizer)
            self.base_momentums = _one_per_group(optimizer, base_momentum, "base_momentum")
            self.max_momentums = _one_per_group(optimizer, max_momentum, "max_momentum")
            if last_epoch == -1:
                _start_momentum_cycle(
                    optimizer, self.max_momentums, self.base_momentums, self.use_beta1
                )
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def scale_fn(self, x):
        """The triangle's height at cycle (or step) ``x``, as a fraction of the full one."""
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        if self.mode == "triangular":
            return 1.0
        if self.mode == "triangular2":
            return 1 / 2.0 ** (x - 1)
        return self.gamma**x

    def get_lr(self):
        self._warn_unless_stepping()
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        position = 1.0 + self.last_epoch / self.total_size - cycle  # in [0, 1) of the cycle
        if position <= self.step_ratio:
            rise = position / self.step_ratio
        else:
            rise = (position - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        rates = [
            base + (top - base) * rise * scale for base, top in zip(self.base_lrs, self.max_lrs)
        ]
        if self.cycle_momentum:  # a group added since has no momentums: refused, as in torch
            for group, bottom, top in zip(
                self.optimizer.param_groups, self.base_momentums, self.max_momentums, strict=True
            ):
                _set_momentum(group, top - (top - bottom) * rise * scale, self.use_beta1)
        return rates

    def state_dict(self):
        """As torch: a ``scale_fn`` that is a plain function is not saved, an object's
        attributes are."""
        state = super().state_dict()
        state["_scale_fn_custom"] = _saved_attributes(state.pop("_scale_fn_custom"))
        return state

    def load_state_dict(self, state_dict):
        state = dict(state_dict)
        saved_scale_fn = state.pop("_scale_fn_custom")
        super().load_state_dict(state)
        if saved_scale_fn is not None:
            self._scale_fn_custom.__dict__.update(saved_scale_fn)


_SCALE_MODES = {"triangular": "cycle", "triangular2": "cycle", "exp_range": "iterations"}


class CosineAnnealingWarmRestarts(LRScheduler):
    """Follow half a cosine from the base rate down to ``eta_min`` over ``T_0`` epochs, then
    restart from the top; each period is ``T_mult`` times as long as the one before.

    ``step(epoch)`` may be given a fractional epoch (for a step per batch), without the
    deprecation warning of the other schedules.
    """

    def __init__(self, optimizer, T_0, T_mult=1, eta_min=0.0, last_epoch=-1):  # noqa: N803
        if T_0 <= 0 or not isinstance(T_0, int):
            raise ValueError(f"T_0 must be a positive integer, got {T_0}")
        if T_mult < 1 or not isinstance(T_mult, int):
            raise ValueError(f"T_mult must be an integer of at least 1, got {T_mult}")
        if not isinstance(eta_min, (float, int)):
            raise ValueError(
                f"eta_min must be a float or an int, got {eta_min!r} of type "
                f"{type(eta_min).__name__}"
            )
        self.T_0 = T_0
        self.T_i = T_0  # the current period
        self.T_mult = T_mult
        self.eta_min = eta_min
        self.T_cur = last_epoch  # epochs since the last restart
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_unless_stepping()
        cosine = 1 + math.cos(math.pi * self.T_cur / self.T_i)
        return [self.eta_min + (base - self.eta_min) * cosine / 2 for base in self.base_lrs]

    def step(self, epoch=None):
        """One epoch on, or to ``epoch`` (a float is fine); it never warns, as in torch.

        Only this step moves ``T_cur`` and ``T_i``: when a SequentialLR hands over to this
        schedule it moves only ``last_epoch`` (to 0), and the rate follows the ``T_cur``
        the schedule had, as in torch.
        """
        self._write_rates(self._rates_after_step, epoch)

    def _rates_after_step(self, epoch):
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur = self.T_cur + 1
            if self.T_cur >= self.T_i:
                self.T_cur = self.T_cur % self.T_i
                self.T_i = self.T_i * self.T_mult
        else:
            self._jump_to(epoch)
        self.last_epoch = math.floor(epoch)
        return self.get_lr()

    def _jump_to(self, epoch):
        """Find the period that ``epoch`` falls in, and how far into it it is."""
        if epoch < 0:
            raise ValueError(f"the epoch must be non-negative, got {epoch}")
        if epoch < self.T_0:
            self.T_i = self.T_0
            self.T_cur = epoch
        elif self.T_mult == 1:
            self.T_cur = epoch % self.T_0
        else:
            # Periods T_0, T_0 m, T_0 m^2, ...: n of them end at T_0 (m^n - 1) / (m - 1).
            restarts = int(math.log(epoch / self.T_0 * (self.T_mult - 1) + 1, self.T_mult))
            self.T_cur = epoch - self.T_0 * (self.T_mult**restarts - 1) / (self.T_mult - 1)
            self.T_i = self.T_0 * self.T_mult**restarts


def _cosine_anneal(start, end, fraction):
    return end + (start - end) / 2.0 * (math.cos(math.pi * fraction) + 1)


def _linear_anneal(start, end, fraction):
    return (end - start) * fraction + start


_ANNEALS = {"cos": _cosine_anneal, "linear": _linear_anneal}


def _phase(end_step, start_lr, end_lr, start_momentum, end_momentum):
    """One phase of a one-cycle schedule; the rates and momenta name keys of each group."""
    return {
        "end_step": end_step,
        "start_lr": start_lr,
        "end_lr": end_lr,
        "start_momentum": start_momentum,
        "end_momentum": end_momentum,
    }


def _one_cycle_phases(pct_start, total_steps, three_phase):
    warm_end = float(pct_start * total_steps) - 1
    if three_phase:
        return [
            _phase(warm_end, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
            _phase(
                float(2 * pct_start * total_steps) - 2,
                "max_lr",
                "initial_lr",
                "base_momentum",
                "max_momentum",
            ),
            _phase(total_steps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
        ]
    return [
        _phase(warm_end, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
        _phase(total_steps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
    ]


def _checked_total_steps(total_steps, epochs, steps_per_epoch):
    if total_steps is not None:
        if total_steps <= 0 or not isinstance(total_steps, int):
            raise ValueError(f"total_steps must be a positive integer, got {total_steps}")
        return total_steps
    if epochs is None or steps_per_epoch is None:
        raise ValueError("OneCycleLR needs total_steps, or both epochs and steps_per_epoch")
    if not isinstance(epochs, int) or epochs <= 0:
        raise ValueError(f"epochs must be a positive integer, got {epochs}")
    if not isinstance(steps_per_epoch, int) or steps_per_epoch <= 0:
        raise ValueError(f"steps_per_epoch must be a positive integer, got {steps_per_epoch}")
    return epochs * steps_per_epoch


class OneCycleLR(LRScheduler):
    """One cycle over ``total_steps`` batches: the rate rises from ``max_lr / div_factor``
    to ``max_lr`` over the first ``pct_start`` of the steps, then anneals down to
    ``max_lr / div_factor / final_div_factor``; the momentum moves the other way.

    ``three_phase`` comes back down to the starting rate symmetrically before the final
    annealing. Stepping past ``total_steps`` raises ValueError.
    """

    def __init__(
        self,
        optimizer,
        max_lr,
        total_steps=None,
        epochs=None,
        steps_per_epoch=None,
        pct_start=0.3,
        anneal_strategy="cos",
        cycle_momentum=True,
        base_momentum=0.85,
        max_momentum=0.95,
        div_factor=25.0,
        final_div_factor=1e4,
        three_phase=False,
        last_epoch=-1,
    ):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        self.total_steps = _checked_total_steps(total_steps, epochs, steps_per_epoch)
        self._schedule_phases = _one_cycle_phases(pct_start, self.total_steps, three_phase)
        if pct_start < 0 or pct_start > 1 or not isinstance(pct_start, float):
            raise ValueError(f"pct_start must be a float between 0 and 1, got {pct_start}")
        if anneal_strategy not in tuple(_ANNEALS):  # compared, not hashed, as mode above
            raise ValueError(
                f"anneal_strategy must be 'cos' or 'linear', but got {anneal_strategy!r}"
            )
        self._anneal_func_type = anneal_strategy
        max_lrs = _one_per_group(optimizer, max_lr, "max_lr")
        if last_epoch == -1:
            for top, group in zip(max_lrs, optimizer.param_groups):
                group["initial_lr"] = top / div_factor
                group["max_lr"] = top
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1 = _cycles_beta1(optimizer)
            max_momentums = _one_per_group(optimizer, max_momentum, "max_momentum")
            base_momentums = _one_per_group(optimizer, base_momentum, "base_momentum")
            if last_epoch == -1:
                _start_momentum_cycle(optimizer, max_momentums, base_momentums, self.use_beta1)
        super().__init__(optimizer, last_epoch)

    def _phase_at(self, step):
        """The phase that ``step`` falls in, and the fraction of it done."""
        start = 0.0
        last = self._schedule_phases[-1]
        for phase in self._schedule_phases:
            end = phase["end_step"]
            if step <= end or phase is last:
                return phase, (step - start) / (end - start)
            start = end

    def get_lr(self):
        self._warn_unless_stepping()
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(
                f"OneCycleLR was stepped {step} times, past its total_steps of "
                f"{self.total_steps}: give it more steps (total_steps, or epochs and "
                "steps_per_epoch)"
            )
        phase, fraction = self._phase_at(step)
        anneal = _ANNEALS[self._anneal_func_type]
        rates = []
        for group in self.optimizer.param_groups:
            rates.append(anneal(group[phase["start_lr"]], group[phase["end_lr"]], fraction))
            if self.cycle_momentum:
                momentum = anneal(
                    group[phase["start_momentum"]], group[phase["end_momentum"]], fraction
                )
                _set_momentum(group, momentum, self.use_beta1)
        return rates
