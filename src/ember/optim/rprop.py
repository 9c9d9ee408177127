"""Rprop: each coordinate moves by its own step size, grown or shrunk by the gradient's sign.

For each parameter ``p`` with gradient ``g`` (negated when ``maximize``), each
coordinate compares the sign of ``g`` with that of the previous gradient ``prev``:

    same sign:      size = min(size * etas[1], step_sizes[1])
    opposite sign:  size = max(size * etas[0], step_sizes[0]), and g = 0 (no move this time)
    either is 0:    size unchanged            (a NaN has no sign, as in torch: 0)
    p = p - sign(g) * size;  prev = g

Step sizes start at ``lr`` (the group's rate when the parameter first steps; a later
change of ``lr`` does nothing, as in PyTorch).
"""

from .. import backend
from .optimizer import Optimizer, as_number, check_learning_rate, scalar_state, state_like


class Rprop(Optimizer):
    def __init__(
        self,
        params,
        lr=1e-2,
        etas=(0.5, 1.2),
        step_sizes=(1e-6, 50),
        *,
        capturable=False,
        foreach=None,
        maximize=False,
        differentiable=False,
    ):
        check_learning_rate(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = {
            "lr": lr,
            "etas": etas,
            "step_sizes": step_sizes,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "capturable": capturable,
        }
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._evaluate(closure)
        for group in self.param_groups:
            # Unpacked before they are read, so a wrong count is a ValueError, as in torch.
            (shrink, grow), (smallest, largest) = group["etas"], group["step_sizes"]
            shrink, grow, smallest, largest = map(as_number, (shrink, grow, smallest, largest))
            for param in group["params"]:
                if param._grad is not None:
                    state = self.state[param] or self._start_state(param, group["lr"])
                    self._update(param, state, group["maximize"], shrink, grow, smallest, largest)
        return loss

    def _start_state(self, param, lr):
        state = self.state[param]
        state["step"] = scalar_state(0.0)
        state["prev"] = state_like(param._data)
        state["step_size"] = state_like(param._data, as_number(lr))
        return state

    def _update(self, param, state, maximize, shrink, grow, smallest, largest):
        namespace = backend.namespace_of(param._data)
        state["step"]._data += 1
        grad = param._grad._data.copy()  # a copy: the coordinates that turned are zeroed in it
        if maximize:
            namespace.negative(grad, out=grad)
        previous, step_size = state["prev"]._data, state["step_size"]._data
        agreement = previous.copy()  # an array, written into below, even for a 0-d parameter
        agreement *= grad
        rising, turned = agreement > 0, agreement < 0
        # Each size grows, shrinks, or stays where either sign is 0 or NaN (torch gives NaN
        # no sign): the factor is written into agreement, no longer needed.
        factor = agreement
        factor[...] = 1
        namespace.copyto(factor, grow, where=rising)
        namespace.copyto(factor, shrink, where=turned)
        step_size *= factor
        namespace.clip(step_size, smallest, largest, out=step_size)
        namespace.copyto(grad, 0, where=turned)
        previous[...] = grad
        direction = (grad > 0).astype(grad.dtype)  # the sign, NaN's 0 as in torch
        direction -= grad < 0
        direction *= step_size
        param._data -= direction
        param._counter().value += 1
