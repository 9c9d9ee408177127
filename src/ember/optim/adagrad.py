"""Adagrad: each coordinate's step shrinks with the sum of its squared gradients.

For each parameter ``p`` with gradient ``g`` (negated when ``maximize``), at step t:

    g = g + weight_decay * p
    sum = sum + g * g                          (sum starts at initial_accumulator_value)
    p = p - lr / (1 + (t - 1) * lr_decay) * g / (sqrt(sum) + eps)

in PyTorch's order of operations, so trajectories agree to rounding. As in PyTorch,
the state of the parameters given to the constructor is made at once (a state dict
taken before the first step already holds it), and a later state starts from the
constructor's ``initial_accumulator_value``, whatever its group says.
"""

from .. import backend
from .optimizer import (
    Optimizer,
    as_number,
    check_fused,
    check_learning_rate,
    check_not_negative,
    gradient_to_follow,
    scalar_state,
    state_like,
)


class Adagrad(Optimizer):
    def __init__(
        self,
        params,
        lr=1e-2,
        lr_decay=0,
        weight_decay=0,
        initial_accumulator_value=0,
        eps=1e-10,
        foreach=None,
        *,
        maximize=False,
        differentiable=False,
        fused=None,
    ):
        check_learning_rate(lr)
        check_not_negative(lr_decay, "lr_decay value")
        check_not_negative(weight_decay, "weight_decay value")
        check_not_negative(initial_accumulator_value, "initial_accumulator_value value")
        check_not_negative(eps, "epsilon value")
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)
        check_fused(fused, foreach, differentiable)
        for group in self.param_groups:
            for param in group["params"]:
                self._start_state(param)

    def _start_state(self, param):
        state = self.state[param]
        state["step"] = scalar_state(0.0)
        state["sum"] = state_like(param._data, self.defaults["initial_accumulator_value"])
        return state

    def step(self, closure=None):
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, lr_decay = as_number(group["lr"]), as_number(group["lr_decay"])
            weight_decay, eps = as_number(group["weight_decay"]), as_number(group["eps"])
            for param in group["params"]:
                if param._grad is not None:
                    self._update(param, group["maximize"], lr, lr_decay, weight_decay, eps)
        return loss

    def _update(self, param, maximize, lr, lr_decay, weight_decay, eps):
        state = self.state[param] or self._start_state(param)  # a group added after __init__
        state["step"]._data += 1
        step = float(state["step"]._data)
        grad = gradient_to_follow(param, maximize, weight_decay)
        namespace = backend.namespace_of(grad)
        squares = state["sum"]._data
        squares += grad * grad
        denominator = namespace.sqrt(squares)
        denominator += eps
        update = -lr / (1 + (step - 1) * lr_decay) * grad
        update /= denominator  # (lr * g) / d, as torch rounds it
        param._data += update
        param._counter().value += 1
