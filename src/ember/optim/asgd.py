"""ASGD: SGD with a decaying step, that also keeps a running average of the parameters.

For each parameter ``p`` with gradient ``g`` (negated when ``maximize``), at step t:

    g = g + weight_decay * p
    p = p * (1 - lambd * eta) - eta * g
    ax = ax + mu * (p - ax)                    (ax = p while mu is 1)
    eta = lr / (1 + lambd * lr * t)^alpha
    mu = 1 / max(1, t - t0)

in PyTorch's order of operations. ``eta`` and ``mu`` are float32 numbers on the
parameter's device, as in PyTorch, so that they round as there. ``ax``, the averaged
parameters, is what the method returns as its answer; read it from the state.
"""

from .optimizer import (
    Optimizer,
    as_number,
    check_learning_rate,
    check_not_negative,
    gradient_to_follow,
    scalar_state,
    state_like,
)


class ASGD(Optimizer):
    def __init__(
        self,
        params,
        lr=1e-2,
        lambd=1e-4,
        alpha=0.75,
        t0=1e6,
        weight_decay=0,
        foreach=None,
        maximize=False,
        differentiable=False,
        capturable=False,
    ):
        check_learning_rate(lr)
        check_not_negative(weight_decay, "weight_decay value")
        defaults = {
            "lr": lr,
            "lambd": lambd,
            "alpha": alpha,
            "t0": t0,
            "weight_decay": weight_decay,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "capturable": capturable,
        }
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._evaluate(closure)
        for group in self.param_groups:
            numbers = [as_number(group[name]) for name in ("lr", "lambd", "alpha", "t0")]
            weight_decay = as_number(group["weight_decay"])
            for param in group["params"]:
                if param._grad is not None:
                    grad = gradient_to_follow(param, group["maximize"], weight_decay)
                    self._update(param, grad, *numbers)
        return loss

    def _update(self, param, grad, lr, lambd, alpha, t0):
        data = param._data
        state = self.state[param]
        if not state:
            state["step"] = scalar_state(0.0, param.device)
            state["eta"] = scalar_state(lr, param.device)
            state["mu"] = scalar_state(1.0, param.device)
            state["ax"] = state_like(data)
        state["step"]._data += 1
        eta = float(state["eta"]._data)
        data *= 1 - lambd * eta
        data += -eta * grad
        average, mu = state["ax"]._data, float(state["mu"]._data)
        if mu != 1:
            change = data - average
            change *= mu
            average += change
        else:
            average[...] = data
        step = float(state["step"]._data)
        # Rounded to the default dtype first, as PyTorch makes each a new tensor before
        # copying it in: a float64 state (loaded for a float64 parameter) holds that value.
        state["eta"]._data[...] = scalar_state(lr / ((1 + lambd * lr * step) ** alpha)).item()
        state["mu"]._data[...] = scalar_state(1 / max(1, step - t0)).item()
        param._counter().value += 1
