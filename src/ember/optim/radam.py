"""RAdam: Adam whose adaptive step is switched on, and rectified, once its variance is known.

For each parameter ``p`` with gradient ``g`` (negated when ``maximize``), at step t:

    p = p * (1 - lr * weight_decay)            decoupled weight decay, or
    g = g + weight_decay * p                   the L2 penalty in the gradient
    m = m + (1 - beta1) * (g - m)
    v = beta2 * v + (1 - beta2) * g * g
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
    p = p - m / (1 - beta1^t) * lr * sqrt(1 - beta2^t) / (sqrt(v) + eps) * r   if rho_t > 5
    p = p - m / (1 - beta1^t) * lr                                             otherwise

with the rectification
    r = sqrt((rho_t - 4) (rho_t - 2) rho_inf / ((rho_inf - 4) (rho_inf - 2) rho_t)),
in PyTorch's order of operations, so trajectories agree to rounding.
"""

from .. import backend
from .adam import check_hyper_parameters
from .nadam import decayed_gradient
from .optimizer import (
    Optimizer,
    as_number,
    average_squares_,
    check_one_element,
    lerp_,
    reusable,
    scalar_state,
    state_like,
)


class RAdam(Optimizer):
    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        decoupled_weight_decay=False,
        *,
        foreach=None,
        maximize=False,
        capturable=False,
        differentiable=False,
    ):
        check_one_element(lr, "lr")
        check_hyper_parameters(lr, betas, eps, weight_decay)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "decoupled_weight_decay": decoupled_weight_decay,
            "differentiable": differentiable,
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
                    grad = decayed_gradient(param, group, lr, weight_decay)
                    self._update(param, grad, lr, beta1, beta2, eps)
        return loss

    def _update(self, param, grad, lr, beta1, beta2, eps):
        state = self.state[param]
        if not state:
            state["step"] = scalar_state(0.0)
            state["exp_avg"] = state_like(param._data)
            state["exp_avg_sq"] = state_like(param._data)
        namespace = backend.namespace_of(grad)
        state["step"]._data += 1
        step = float(state["step"]._data)
        exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
        lerp_(exp_avg, grad, 1 - beta1)
        average_squares_(exp_avg_sq, grad, beta2)
        correction2 = 1 - beta2**step
        update = exp_avg / (1 - beta1**step)
        update *= lr
        longest = 2 / (1 - beta2) - 1  # the longest the moving average's length gets
        length = longest - 2 * step * (beta2**step) / correction2
        if length > 5.0:
            adaptive = namespace.sqrt(exp_avg_sq)
            adaptive += eps
            adaptive = namespace.divide(correction2**0.5, adaptive, out=reusable(adaptive))
            update *= adaptive
            update *= _rectification(length, longest)
        param._data -= update
        param._counter().value += 1


def _rectification(length, longest):
    """How far the adaptive step is trusted, from the moving average's length (< 1, rising to 1)."""
    return ((length - 4) * (length - 2) * longest / ((longest - 4) * (longest - 2) * length)) ** 0.5
