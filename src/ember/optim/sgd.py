"""Stochastic gradient descent, with momentum, dampening, Nesterov and weight decay.

For each parameter ``p`` with gradient ``g`` (negated when ``maximize``):

    g = g + weight_decay * p
    buf = g                                    (first step)
    buf = momentum * buf + (1 - dampening) * g (later steps)
    g = g + momentum * buf  if nesterov  else  buf
    p = p - lr * g

the same order of operations as PyTorch, so trajectories agree to rounding.
``lr``, ``momentum``, ``dampening`` and ``weight_decay`` may be one-element tensors;
each step reads their values as numbers, so the update keeps the parameter's dtype.
"""

from ..tensor import Tensor
from .optimizer import Optimizer, added, as_number, check_fused, check_one_element, scaled


class SGD(Optimizer):
    def __init__(
        self,
        params,
        lr=1e-3,
        momentum=0,
        dampening=0,
        weight_decay=0,
        nesterov=False,
        *,
        maximize=False,
        foreach=None,
        differentiable=False,
        fused=None,
    ):
        check_one_element(lr, "lr")
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)
        check_fused(fused, foreach, differentiable)

    def step(self, closure=None):
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, momentum = as_number(group["lr"]), group["momentum"]
            # PyTorch multiplies by a momentum from the second step on only, so a group's
            # momentum that is no number is refused there, not at the first step.
            if isinstance(momentum, Tensor):
                momentum = as_number(momentum)
            weight_decay = as_number(group["weight_decay"])
            for param in group["params"]:
                if param._grad is None:
                    continue
                grad = param._grad._data
                if group["maximize"]:
                    grad = -grad
                # each "x + alpha * y" rounds once, as PyTorch's add(y, alpha=) does
                if weight_decay != 0:
                    grad = added(grad, param._data, weight_decay)
                if momentum != 0:
                    state = self.state[param]
                    buffer = state.get("momentum_buffer")
                    if buffer is None:
                        buffer = state["momentum_buffer"] = Tensor._make(grad.copy())
                    else:  # dampening is read here only, as PyTorch reads it
                        scaled(buffer._data, as_number(momentum))
                        dampening = as_number(group["dampening"])
                        buffer._data[...] = added(buffer._data, grad, 1 - dampening)
                    if group["nesterov"]:
                        grad = added(grad, buffer._data, as_number(momentum))
                    else:
                        grad = buffer._data
                param._data[...] = added(param._data, grad, -lr)
                param._counter().value += 1
        return loss
