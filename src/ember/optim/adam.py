"""Adam and AdamW: per-parameter step sizes from running moments of the gradient.

For each parameter ``p`` with gradient ``g`` (negated when ``maximize``), at step t:

    p = p * (1 - lr * weight_decay)       AdamW (decoupled decay), or
    g = g + weight_decay * p              Adam (L2 penalty in the gradient)
    m = m + (1 - beta1) * (g - m)
    v = beta2 * v + (1 - beta2) * g * g
    v_hat = max(v_hat, v)                 amsgrad only; then v_hat replaces v below
    p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

in PyTorch's order of operations, so trajectories agree to rounding.
"""

from .. import backend
from ..creation import tensor
from ..tensor import Tensor
from .optimizer import Optimizer


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
        _check_hyper_parameters(lr, betas, eps, weight_decay)
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

    def step(self, closure=None):
        loss = self._evaluate(closure)
        for group in self.param_groups:
            for param in group["params"]:
                if param.grad is not None:
                    self._update(param, group)
        return loss

    def _update(self, param, group):
        lr, (beta1, beta2) = group["lr"], group["betas"]
        weight_decay, eps = group["weight_decay"], group["eps"]
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
        grad = param.grad._data
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
        exp_avg += (1 - beta1) * (grad - exp_avg)
        exp_avg_sq *= beta2
        exp_avg_sq += (1 - beta2) * grad * grad
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


def _check_hyper_parameters(lr, betas, eps, weight_decay):
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
