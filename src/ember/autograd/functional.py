"""Whole derivatives of a function: ``jacobian`` and ``hessian``.

Reverse mode, one backward pass per output element: row i of the Jacobian is
the gradient of output element i with respect to every input. An output that
does not depend on an input gives zeros there, as in PyTorch.
"""

from .engine import grad as autograd_grad
from .grad_mode import enable_grad


def _as_tuple(values):
    return (tuple(values), True) if isinstance(values, (tuple, list)) else ((values,), False)


def _check_tensors(values, what, function_name):
    from ..tensor import Tensor

    for value in values:
        if not isinstance(value, Tensor):
            raise TypeError(
                f"The {what} of the user-provided function given to {function_name} must be "
                f"either a Tensor or a tuple of Tensors but the given {what} of the "
                f"user-provided function has type {type(value)}."
            )


def _prepare_inputs(inputs, create_graph):
    """Inputs that record a graph; with create_graph, still linked to the caller's graph."""
    return tuple(
        t.view_as(t) if create_graph and t.requires_grad else t.detach().requires_grad_(True)
        for t in inputs
    )


def _jacobian_rows(output, inputs, create_graph):
    """For each input, the gradients of every element of ``output``, stacked."""
    from ..ops.movement import stack

    count = output.numel()
    if not output.requires_grad or count == 0:
        return [t.new_zeros(tuple(output.shape) + tuple(t.shape)) for t in inputs]
    flat = output.reshape(-1)
    rows = [[] for _ in inputs]
    for i in range(count):
        found = autograd_grad(
            flat[i],
            inputs,
            retain_graph=True,
            create_graph=create_graph,
            allow_unused=True,
            materialize_grads=True,
        )
        for k, gradient in enumerate(found):
            rows[k].append(gradient)
    return [
        stack(rows[k]).reshape(tuple(output.shape) + tuple(t.shape)) for k, t in enumerate(inputs)
    ]


def jacobian(
    func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"
):
    """d func(inputs) / d inputs, shaped output.shape + input.shape (tuples when either is)."""
    inputs, inputs_were_tuple = _as_tuple(inputs)
    _check_tensors(inputs, "inputs", "jacobian")
    with enable_grad():
        inputs = _prepare_inputs(inputs, create_graph)
        outputs, outputs_were_tuple = _as_tuple(func(*inputs))
        _check_tensors(outputs, "outputs", "jacobian")
        per_output = []
        for output in outputs:
            blocks = _jacobian_rows(output, inputs, create_graph)
            if not create_graph:
                blocks = [block.detach() for block in blocks]
            per_output.append(tuple(blocks) if inputs_were_tuple else blocks[0])
    return tuple(per_output) if outputs_were_tuple else per_output[0]


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False):
    """The Jacobian of the gradient of a function with one output element."""
    _, inputs_were_tuple = _as_tuple(inputs)

    def gradient(*values):
        output = func(*values)
        _check_tensors((output,), "outputs", "hessian")
        if output.numel() != 1:
            raise RuntimeError(
                "The Tensor returned by the function given to hessian should contain a single "
                f"element (it has shape {tuple(output.shape)})"
            )
        if not output.requires_grad:
            found = tuple(v.new_zeros(v.shape) for v in values)
        else:
            found = autograd_grad(
                output.reshape(()),
                values,
                create_graph=True,
                allow_unused=True,
                materialize_grads=True,
            )
        return found if inputs_were_tuple else found[0]

    return jacobian(gradient, inputs, create_graph=create_graph)
