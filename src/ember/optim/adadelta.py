"""Adadelta: a step sized by the ratio of running RMS of past steps to that of gradients.

For each parameter ``p`` with gradient ``g`` (negated when ``maximize``):

    g = g + weight_decay * p
    v = rho * v + (1 - rho) * g * g
    delta = sqrt(u + eps) / sqrt(v + eps) * g
    u = rho * u + (1 - rho) * delta * delta
    p = p - lr * delta

in PyTorch's order of operations, so trajectories agree to rounding.
"""

from .. import backend
from .optimizer import (
    Optimizer,
    as_number,
    average_squares_,
    check_learning_rate,
    check_not_negative,
    gradient_to_follow,
    reusable,
    scalar_state,
    state_like,
)


class Adadelta(Optimizer):
    def __init__(
        self,
        params,
        lr=1.0,
        rho=0.9,
        eps=1e-6,
        weight_decay=0,
        foreach=None,
        *,
        capturable=False,
        maximize=False,
        differentiable=False,
    ):
        check_learning_rate(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        check_not_negative(eps, "epsilon value")
        check_not_negative(weight_decay, "weight_decay value")
        defaults = {
            "lr": lr,
            "rho": rho,
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
            "capturable": capturable,
            "foreach": foreach,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, rho, eps = (as_number(group[name]) for name in ("lr", "rho", "eps"))
            weight_decay = as_number(group["weight_decay"])
            for param in group["params"]:
                if param._grad is not None:
                    grad = gradient_to_follow(param, group["maximize"], weight_decay)
                    self._update(param, grad, lr, rho, eps)
        return loss

    def _update(self, param, grad, lr, rho, eps):
        state = self.state[param]
        if not state:
            state["step"] = scalar_state(0.0)
            state["square_avg"] = state_like(param._data)
            state["acc_delta"] = state_like(param._data)
        sqrt = backend.namespace_of(grad).sqrt
        state["step"]._data += 1
        square_avg, acc_delta = state["square_avg"]._data, state["acc_delta"]._data
        average_squares_(square_avg, grad, rho)
        gradient_scale = square_avg + eps
        gradient_scale = sqrt(gradient_scale, out=reusable(gradient_scale))
        delta = acc_delta + eps
        delta = sqrt(delta, out=reusable(delta))
        delta /= gradient_scale
        delta *= grad
        average_squares_(acc_delta, delta, rho)
        delta *= -lr
        param._data += delta
        param._counter().value += 1
