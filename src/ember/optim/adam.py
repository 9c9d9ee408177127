"""Adam and AdamW: per-parameter step sizes from running moments of the gradient.

For each parameter ``p`` with gradient ``g`` (negated when ``maximize``), at step t:

    p = p * (1 - lr * weight_decay)       AdamW (decoupled decay), or
    g = g + weight_decay * p              Adam (L2 penalty in the gradient)
    m = m + (1 - beta1) * (g - m)
    v = beta2 * v + (1 - beta2) * g * g
    v_hat = max(v_hat, v)                 amsgrad only; then v_hat replaces v below
    p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

in PyTorch's order of operations, so trajectories agree to rounding.
``lr``, ``betas``, ``eps`` and ``weight_decay`` may be one-element tensors; each step
reads their values as numbers, so the update keeps the parameter's dtype.
"""

from .. import backend
from ..creation import tensor
from ..tensor import Tensor
from .optimizer import (
    Optimizer,
    as_number,
    average_squares_,
    check_fused,
    check_one_element,
    lerp_,
)


class Adam(Optimizer):
    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        amsgrad=False,
        *,
        foreach=None,
        maximize=False,
        capturable=False,
        differentiable=False,
        fused=None,
        decoupled_weight_decay=False,
    ):
        _check_tensor(lr, "lr", foreach, capturable)
        check_hyper_parameters(lr, betas, eps, weight_decay)
        _check_betas(betas, foreach, capturable)
        betas = tuple(beta.reshape(()) if isinstance(beta, Tensor) else beta for beta in betas)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)
        check_fused(fused, foreach, differentiable)

    def step(self, closure=None):
        loss = self._evaluate(closure)
        for group in self.param_groups:
            numbers = _numbers_of(group)  # read once per group, not once per parameter
            for param in group["params"]:
                if param._grad is not None:
                    self._update(param, group, *numbers)
        return loss

    def _update(self, param, group, lr, beta1, beta2, weight_decay, eps):
        data = param._data
        namespace = backend.namespace_of(data)
        state = self.state[param]
        if not state:
            # On the CPU whatever the parameter's device, as in torch: reading it is no GPU sync.
            state["step"] = tensor(0.0, device="cpu")
            state["exp_avg"] = Tensor._make(namespace.zeros_like(data))
            state["exp_avg_sq"] = Tensor._make(namespace.zeros_like(data))
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = Tensor._make(namespace.zeros_like(data))
        grad = param._grad._data
        if group["maximize"]:
            grad = -grad
        state["step"]._data += 1
        step = float(state["step"]._data)
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                data *= 1 - lr * weight_decay
            else:
                grad = grad + weight_decay * data
        exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
        lerp_(exp_avg, grad, 1 - beta1)  # torch's lerp: an infinite gradient gives its NaN
        average_squares_(exp_avg_sq, grad, beta2)
        step_size = lr / (1 - beta1**step)
        correction = (1 - beta2**step) ** 0.5
        if group["amsgrad"]:
            largest = state["max_exp_avg_sq"]._data
            namespace.maximum(largest, exp_avg_sq, out=largest)
            denominator = namespace.sqrt(largest) / correction + eps
        else:
            denominator = namespace.sqrt(exp_avg_sq) / correction + eps
        data += -step_size * exp_avg / denominator
        param._counter().value += 1


class AdamW(Adam):
    """Adam with weight decay applied to the weights directly (decoupled), default 0.01."""

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=1e-2,
        amsgrad=False,
        *,
        maximize=False,
        foreach=None,
        capturable=False,
        differentiable=False,
        fused=None,
    ):
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )


def _numbers_of(group):
    """A group's lr, beta1, beta2, weight_decay and eps, each as a Python number."""
    beta1, beta2 = group["betas"]
    lr, beta1, beta2 = as_number(group["lr"]), as_number(beta1), as_number(beta2)
    return lr, beta1, beta2, as_number(group["weight_decay"]), as_number(group["eps"])


def _check_tensor(value, name, foreach, capturable):
    """What PyTorch's Adam asks of a tensor lr or beta (its foreach path cannot read one)."""
    if not isinstance(value, Tensor):
        return
    if foreach and not capturable:
        raise ValueError(
            f"{name} as a Tensor is not supported for capturable=False and foreach=True"
        )
    check_one_element(value, name)


def _check_betas(betas, foreach, capturable):
    """Two floats or two tensors, as PyTorch asks (so (0, 0.999) is refused: 0 is an int)."""
    both_floats = isinstance(betas[0], float) and isinstance(betas[1], float)
    both_tensors = isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor)
    if not (both_floats or both_tensors):
        raise ValueError("betas must be either both floats or both Tensors")
    _check_tensor(betas[0], "betas[0]", foreach, capturable)
    _check_tensor(betas[1], "betas[1]", foreach, capturable)


def check_hyper_parameters(lr, betas, eps, weight_decay):
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")
    if not 0.0 <= eps:
        raise ValueError(f"Invalid epsilon value: {eps}")
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
    if not 0.0 <= weight_decay:
        raise ValueError(f"Invalid weight_decay value: {weight_decay}")
