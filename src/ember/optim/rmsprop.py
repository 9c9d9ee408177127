"""RMSprop: divide each step by a running root mean square of the gradient.

For each parameter ``p`` with gradient ``g`` (negated when ``maximize``):

    g = g + weight_decay * p
    v = alpha * v + (1 - alpha) * g * g
    m = m + (1 - alpha) * (g - m)              centered: m averages g, and
    d = sqrt(v - m * m) + eps                  the variance replaces v
    d = sqrt(v) + eps                          otherwise
    b = momentum * b + g / d;  p = p - lr * b  with momentum > 0
    p = p - lr * g / d                         without

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
    lerp_,
    reusable,
    scalar_state,
    state_like,
)


class RMSprop(Optimizer):
    def __init__(
        self,
        params,
        lr=1e-2,
        alpha=0.99,
        eps=1e-8,
        weight_decay=0,
        momentum=0,
        centered=False,
        capturable=False,
        foreach=None,
        maximize=False,
        differentiable=False,
    ):
        check_learning_rate(lr)
        check_not_negative(eps, "epsilon value")
        check_not_negative(momentum, "momentum value")
        check_not_negative(weight_decay, "weight_decay value")
        check_not_negative(alpha, "alpha value")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "capturable": capturable,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._evaluate(closure)
        for group in self.param_groups:
            numbers = [as_number(group[name]) for name in ("lr", "alpha", "eps", "momentum")]
            weight_decay = as_number(group["weight_decay"])
            for param in group["params"]:
                if param._grad is not None:
                    grad = gradient_to_follow(param, group["maximize"], weight_decay)
                    self._update(param, grad, group["centered"], *numbers)
        return loss

    def _update(self, param, grad, centered, lr, alpha, eps, momentum):
        state = self.state[param]
        if not state:
            state["step"] = scalar_state(0.0)
            state["square_avg"] = state_like(param._data)
            if momentum > 0:
                state["momentum_buffer"] = state_like(param._data)
            if centered:
                state["grad_avg"] = state_like(param._data)
        namespace = backend.namespace_of(grad)
        state["step"]._data += 1
        square_avg = state["square_avg"]._data
        average_squares_(square_avg, grad, alpha)
        if centered:
            grad_avg = state["grad_avg"]._data
            lerp_(grad_avg, grad, 1 - alpha)
            variance = grad_avg * grad_avg
            variance = namespace.subtract(square_avg, variance, out=reusable(variance))
            denominator = namespace.sqrt(variance, out=reusable(variance))
        else:
            denominator = namespace.sqrt(square_avg)
        denominator += eps
        if momentum > 0:
            buffer = state["momentum_buffer"]._data
            buffer *= momentum
            buffer += namespace.divide(grad, denominator, out=reusable(denominator))
            param._data += -lr * buffer
        else:
            update = -lr * grad
            update /= denominator  # (lr * g) / d, as torch rounds it
            param._data += update
        param._counter().value += 1
