"""Adamax: Adam with the running root mean square replaced by a running maximum.

For each parameter ``p`` with gradient ``g`` (negated when ``maximize``), at step t:

    g = g + weight_decay * p
    m = m + (1 - beta1) * (g - m)
    u = max(beta2 * u, |g| + eps)
    p = p - lr / (1 - beta1^t) * m / u

in PyTorch's order of operations, so trajectories agree to rounding.
"""

from .. import backend
from .adam import check_hyper_parameters
from .optimizer import (
    Optimizer,
    as_number,
    check_one_element,
    gradient_to_follow,
    lerp_,
    scalar_state,
    state_like,
)


class Adamax(Optimizer):
    def __init__(
        self,
        params,
        lr=2e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        foreach=None,
        *,
        maximize=False,
        differentiable=False,
        capturable=False,
    ):
        check_one_element(lr, "lr")
        check_hyper_parameters(lr, betas, eps, weight_decay)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
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
            beta1, beta2 = (as_number(beta) for beta in group["betas"])
            lr, eps = as_number(group["lr"]), as_number(group["eps"])
            weight_decay = as_number(group["weight_decay"])
            for param in group["params"]:
                if param._grad is not None:
                    grad = gradient_to_follow(param, group["maximize"], weight_decay)
                    self._update(param, grad, lr, beta1, beta2, eps)
        return loss

    def _update(self, param, grad, lr, beta1, beta2, eps):
        state = self.state[param]
        if not state:
            state["step"] = scalar_state(0.0)
            state["exp_avg"] = state_like(param._data)
            state["exp_inf"] = state_like(param._data)
        namespace = backend.namespace_of(grad)
        state["step"]._data += 1
        step = float(state["step"]._data)
        exp_avg, exp_inf = state["exp_avg"]._data, state["exp_inf"]._data
        lerp_(exp_avg, grad, 1 - beta1)
        exp_inf *= beta2
        bound = namespace.abs(grad)
        bound += eps
        namespace.maximum(exp_inf, bound, out=exp_inf)
        update = -lr / (1 - beta1**step) * exp_avg
        update /= exp_inf  # (lr * m) / u, as torch rounds it
        param._data += update
        param._counter().value += 1
