"""Whole derivatives of a function: ``jacobian`` and ``hessian``."""

from .engine import grad as autograd_grad
from .grad_mode import enable_grad


def _as_tuple(values):
    return (tuple(values), True) if isinstance(values, (tuple, list)) else ((values,), False)


def jacobian(
    func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"
):
    """d func(inputs) / d inputs, shaped output.shape + input.shape (tuples when either is)."""
    from ..ops.movement import stack

    inputs, inputs_were_tuple = _as_tuple(inputs)
    with enable_grad():
        inputs = tuple(t.detach().requires_grad_(True) if not create_graph else t for t in inputs)
        outputs, outputs_were_tuple = _as_tuple(func(*inputs))
        per_output = []
        for output in outputs:
            flat = output.reshape(-1)
            rows = [[] for _ in inputs]
            for i in range(flat.numel()):
                found = autograd_grad(
                    flat[i],
                    inputs,
                    retain_graph=True,
                    create_graph=create_graph,
                    allow_unused=True,
                    materialize_grads=True,
                )
                for k, g in enumerate(found):
                    rows[k].append(g)
            blocks = []
            for k, tensor in enumerate(inputs):
                block = stack(rows[k]) if rows[k] else tensor.new_zeros((0,) + tuple(tensor.shape))
                blocks.append(block.reshape(tuple(output.shape) + tuple(tensor.shape)))
            per_output.append(tuple(blocks) if inputs_were_tuple else blocks[0])
    if not create_graph:
        per_output = [
            tuple(b.detach() for b in item) if isinstance(item, tuple) else item.detach()
            for item in per_output
        ]
    return tuple(per_output) if outputs_were_tuple else per_output[0]


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False):
    inputs_tuple, was_tuple = _as_tuple(inputs)

    def gradient(*values):
        (found,) = (autograd_grad(func(*values), values, create_graph=True),)
        return found if was_tuple else found[0]

    return jacobian(gradient, inputs, create_graph=create_graph)
