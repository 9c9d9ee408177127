"""NAdam: Adam with Nesterov momentum, its momentum warmed up by ``momentum_decay``.

For each parameter ``p`` with gradient ``g`` (negated when ``maximize``), at step t:

    p = p * (1 - lr * weight_decay)            decoupled weight decay, or
    g = g + weight_decay * p                   the L2 penalty in the gradient
    mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay))
    mu_product = mu_1 * ... * mu_t             (kept in the state)
    m = m + (1 - beta1) * (g - m)
    v = beta2 * v + (1 - beta2) * g * g
    d = sqrt(v / (1 - beta2^t)) + eps
    p = p - lr * (1 - mu_t) / (1 - mu_product) * g / d
    p = p - lr * mu_(t+1) / (1 - mu_product * mu_(t+1)) * m / d

in PyTorch's order of operations, so trajectories agree to rounding; ``mu_product`` is a
float32 number, as in PyTorch, so that it rounds as there.
"""

from .. import backend
from .adam import check_hyper_parameters
from .optimizer import (
    Optimizer,
    as_number,
    average_squares_,
    check_not_negative,
    check_one_element,
    gradient_to_follow,
    lerp_,
    reusable,
    scalar_state,
    state_like,
)


class NAdam(Optimizer):
    def __init__(
        self,
        params,
        lr=2e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        momentum_decay=4e-3,
        decoupled_weight_decay=False,
        *,
        foreach=None,
        maximize=False,
        capturable=False,
        differentiable=False,
    ):
        check_one_element(lr, "lr")
        check_hyper_parameters(lr, betas, eps, weight_decay)
        check_not_negative(momentum_decay, "momentum_decay value")
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "momentum_decay": momentum_decay,
            "decoupled_weight_decay": decoupled_weight_decay,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._evaluate(closure)
        for group in self.param_groups:
            beta1, beta2 = (as_number(beta) for beta in group["betas"])
            lr, eps = as_number(group["lr"]), as_number(group["eps"])
            weight_decay = as_number(group["weight_decay"])
            momentum_decay = as_number(group["momentum_decay"])
            for param in group["params"]:
                if param._grad is not None:
                    grad = decayed_gradient(param, group, lr, weight_decay)
                    self._update(param, grad, lr, beta1, beta2, eps, momentum_decay)
        return loss

    def _update(self, param, grad, lr, beta1, beta2, eps, momentum_decay):
        state = self.state[param]
        if not state:
            state["step"] = scalar_state(0.0)
            state["mu_product"] = scalar_state(1.0)
            state["exp_avg"] = state_like(param._data)
            state["exp_avg_sq"] = state_like(param._data)
        namespace = backend.namespace_of(grad)
        state["step"]._data += 1
        step = float(state["step"]._data)
        momentum = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
        next_momentum = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
        state["mu_product"]._data *= momentum
        mu_product = float(state["mu_product"]._data)
        exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
        lerp_(exp_avg, grad, 1 - beta1)
        average_squares_(exp_avg_sq, grad, beta2)
        denominator = exp_avg_sq / (1 - beta2**step)
        denominator = namespace.sqrt(denominator, out=reusable(denominator))
        denominator += eps
        gradient_weight = -lr * (1.0 - momentum) / (1.0 - mu_product)
        average_weight = (-lr * next_momentum) / (1.0 - mu_product * next_momentum)
        update = gradient_weight * grad  # (w * g) / d, as torch rounds it
        update /= denominator
        param._data += update
        update = namespace.multiply(average_weight, exp_avg, out=reusable(update))
        update /= denominator
        param._data += update
        param._counter().value += 1


def decayed_gradient(param, group, lr, weight_decay):
    """The gradient to follow, after weight decay (NAdam's and RAdam's two ways).

    Decoupled (AdamW's way), the weights shrink here and the gradient is left alone;
    otherwise the decay is an L2 penalty added to the gradient.
    """
    if group["decoupled_weight_decay"] and weight_decay != 0:
        param._data *= 1 - lr * weight_decay
        weight_decay = 0
    return gradient_to_follow(param, group["maximize"], weight_decay)
