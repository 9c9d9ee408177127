"""Whole derivatives of a function: ``jacobian``, ``hessian``, ``vjp``, ``jvp``, ``vhp``, ``hvp``.

Reverse mode throughout. Row i of the Jacobian is the gradient of output
element i with respect to every input (one backward pass per element). ``jvp``
uses the double-backward trick: the gradient of ``u -> J^T u`` at any ``u`` is
linear in ``u``, and differentiating ``v . (J^T u)`` with respect to ``u``
gives ``J v``. An output that does not depend on an input gives zeros there, as
in PyTorch; with ``strict=True`` that is an error instead.

Inputs and the vector ``v`` are a Tensor or a tuple of Tensors (a list is
refused, as in PyTorch), and results come back in the same form. Results are
detached unless ``create_graph=True``.
"""

from .engine import grad as autograd_grad
from .grad_mode import enable_grad


def _tensors(values, what, function_name):
    """``values`` as a tuple of Tensors, and whether a tuple was given."""
    from ..tensor import Tensor

    was_tuple = isinstance(values, tuple)
    values = values if was_tuple else (values,)
    for index, value in enumerate(values):
        if not isinstance(value, Tensor):
            where = f"entry {index} of the tuple" if was_tuple else f"the given {what}"
            raise TypeError(
                f"The {what} given to {function_name} must be either a Tensor or a tuple of "
                f"Tensors, but {where} is a {type(value).__name__}"
            )
    return values, was_tuple


def _unpack(values, was_tuple):
    return values if was_tuple else values[0]


def _prepare_inputs(inputs, create_graph):
    """Inputs that record a graph; with create_graph, still linked to the caller's graph.

    Each is a new tensor object, so a gradient with respect to it is not confused with one
    with respect to the same tensor captured by the function from outside.
    """
    return tuple(
        t.view_as(t) if create_graph and t.requires_grad else t.detach().requires_grad_(True)
        for t in inputs
    )


def _inputs_for(inputs, create_graph, function_name):
    """The inputs checked and prepared, and whether they came as a tuple."""
    inputs, were_tuple = _tensors(inputs, "inputs", function_name)
    return _prepare_inputs(inputs, create_graph), were_tuple


def _outputs_of(func, inputs, function_name):
    """``func`` at the prepared inputs: its outputs as a tuple, and whether it gave one."""
    return _tensors(func(*inputs), "outputs of the user-provided function", function_name)


def _v_for_inputs(v, inputs, inputs_were_tuple, create_graph, function_name):
    """``v`` shaped like the inputs; left out, only a single one-element input allows it."""
    if v is None:
        if len(inputs) != 1 or inputs[0].numel() != 1:
            raise RuntimeError(
                "v can only be None when the function takes one tensor of one element; give v "
                "shaped like the inputs"
            )
        return None
    v = _tensors(v, "v", function_name)[0]
    return _prepare_v(v, inputs, inputs_were_tuple, create_graph)


def _prepare_v(v, reference, reference_was_tuple, create_graph):
    """Check ``v`` against the tensors it multiplies (same count, same shapes)."""
    if len(v) != len(reference):
        if reference_was_tuple:
            raise RuntimeError(
                f"v is a tuple of invalid length: {len(v)} tensors for {len(reference)}; give "
                "one entry per tensor it multiplies"
            )
        raise RuntimeError("v should contain a single Tensor here, like what it multiplies")
    for index, (entry, other) in enumerate(zip(v, reference)):
        if entry.shape != other.shape:
            where = f"Entry {index} in " if reference_was_tuple else ""
            raise RuntimeError(
                f"{where}v has invalid size {tuple(entry.shape)}: the tensor it multiplies "
                f"has shape {tuple(other.shape)}"
            )
    return v if create_graph else tuple(entry.detach() for entry in v)


def _check_outputs_differentiable(outputs, strict):
    if not strict:
        return
    for index, output in enumerate(outputs):
        if not output.requires_grad:
            raise RuntimeError(
                f"output {index} of the function does not require gradients: it has no graph "
                "back to the inputs, which strict=True refuses"
            )


def _gradients(outputs, inputs, grad_outputs, create_graph):
    """``autograd.grad`` over the outputs that have a graph; None for an unused input."""
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    pairs = [
        (out, g) for out, g in zip(outputs, grad_outputs) if out is not None and out.requires_grad
    ]
    if not pairs:
        return (None,) * len(inputs)
    return autograd_grad(
        [out for out, _ in pairs],
        inputs,
        [g for _, g in pairs],
        retain_graph=True,
        create_graph=create_graph,
        allow_unused=True,
    )


def _zeros_for_missing(grads, references, strict, create_graph, independent):
    """None gradients become zeros shaped like ``references``; in strict mode, an error.

    ``independent(i)`` says, for the error, what does not depend on what.
    """
    filled = []
    for index, (found, reference) in enumerate(zip(grads, references)):
        if found is None:
            if strict:
                raise RuntimeError(f"{independent(index)}, which strict=True refuses")
            found = reference.new_zeros(reference.shape)
        elif strict and create_graph and not found.requires_grad:
            raise RuntimeError(
                f"the jacobian is independent of input {index} when create_graph=True, which "
                "strict=True refuses"
            )
        filled.append(found)
    return tuple(filled)


def _finish(values, create_graph):
    return values if create_graph else tuple(value.detach() for value in values)


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), v^T J)``: the vector-Jacobian product at ``inputs``."""
    with enable_grad():
        inputs, inputs_were_tuple = _inputs_for(inputs, create_graph, "vjp")
        outputs, outputs_were_tuple = _outputs_of(func, inputs, "vjp")
        _check_outputs_differentiable(outputs, strict)
        if v is not None:
            v = _prepare_v(_tensors(v, "v", "vjp")[0], outputs, outputs_were_tuple, create_graph)
        elif len(outputs) != 1 or outputs[0].numel() != 1:
            raise RuntimeError(
                "v can only be None when the function returns one tensor of one element; "
                f"it returned {len(outputs)} tensor(s), the first of shape "
                f"{tuple(outputs[0].shape)}"
            )
        grads = _gradients(outputs, inputs, v, create_graph)
        products = _zeros_for_missing(
            grads,
            inputs,
            strict,
            create_graph,
            lambda i: f"the function's output is independent of input {i}",
        )
    return (
        _unpack(_finish(outputs, create_graph), outputs_were_tuple),
        _unpack(_finish(products, create_graph), inputs_were_tuple),
    )


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), J v)``: the Jacobian-vector product, by the double-backward trick."""
    with enable_grad():
        inputs, inputs_were_tuple = _inputs_for(inputs, create_graph, "jvp")
        v = _v_for_inputs(v, inputs, inputs_were_tuple, create_graph, "jvp")
        outputs, outputs_were_tuple = _outputs_of(func, inputs, "jvp")
        _check_outputs_differentiable(outputs, strict)
        # The backward pass is linear in its incoming gradient, so any value will do here;
        # zeros keep inf and nan out.
        dummies = tuple(out.new_zeros(out.shape).requires_grad_(True) for out in outputs)
        transposed = _gradients(outputs, inputs, dummies, create_graph=True)
        if strict:
            for index, found in enumerate(transposed):
                if found is None or not found.requires_grad:
                    raise RuntimeError(
                        f"the gradient with respect to input {index} is independent of the "
                        "inputs, which strict=True refuses"
                    )
        grads = _gradients(transposed, dummies, v, create_graph)
        products = _zeros_for_missing(
            grads,
            outputs,
            strict,
            create_graph,
            lambda i: (
                f"the double-backward pass for J v does not depend on entry {i} of the "
                "function's outputs"
            ),
        )
    return (
        _unpack(_finish(outputs, create_graph), outputs_were_tuple),
        _unpack(_finish(products, create_graph), outputs_were_tuple),
    )


def _check_strategy(strategy, vectorize, create_graph):
    """PyTorch's rules for ``strategy``; ember computes both strategies in reverse mode."""
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError(
            f'Expected strategy to be either "forward-mode" or "reverse-mode" (got {strategy!r})'
        )
    if strategy == "forward-mode" and create_graph:
        raise NotImplementedError(
            'jacobian: strategy="forward-mode" does not support create_graph=True; use '
            'strategy="reverse-mode"'
        )
    if strategy == "forward-mode" and not vectorize:
        raise NotImplementedError(
            'jacobian: strategy="forward-mode" is only implemented for vectorize=True'
        )


def _jacobian_rows(output, output_index, inputs, create_graph, strict):
    """For each input, the gradients of every element of ``output``, stacked."""
    from ..ops.movement import stack

    count = output.numel()
    if not output.requires_grad or count == 0:
        return [t.new_zeros(tuple(output.shape) + tuple(t.shape)) for t in inputs]
    flat = output.reshape(-1)
    rows = [[] for _ in inputs]
    for i in range(count):
        found = autograd_grad(
            flat[i], inputs, retain_graph=True, create_graph=create_graph, allow_unused=True
        )
        found = _zeros_for_missing(
            found,
            inputs,
            strict,
            create_graph,
            lambda k: f"output {output_index} of the function is independent of input {k}",
        )
        for k, gradient in enumerate(found):
            rows[k].append(gradient)
    return [
        stack(rows[k]).reshape(tuple(output.shape) + tuple(t.shape)) for k, t in enumerate(inputs)
    ]


def jacobian(
    func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"
):
    """d func(inputs) / d inputs, shaped output.shape + input.shape (tuples when either is).

    ``vectorize`` and ``strategy`` change how PyTorch computes it, not the result; ember
    checks them as PyTorch does and computes row by row either way.
    """
    _check_strategy(strategy, vectorize, create_graph)
    if strict and vectorize:
        raise RuntimeError(
            "jacobian: strict=True and vectorize=True cannot be used together; set one of "
            "them to False"
        )
    with enable_grad():
        inputs, inputs_were_tuple = _inputs_for(inputs, create_graph, "jacobian")
        outputs, outputs_were_tuple = _outputs_of(func, inputs, "jacobian")
        _check_outputs_differentiable(outputs, strict)
        per_output = []
        for index, output in enumerate(outputs):
            blocks = _finish(
                _jacobian_rows(output, index, inputs, create_graph, strict), create_graph
            )
            per_output.append(_unpack(tuple(blocks), inputs_were_tuple))
    return _unpack(tuple(per_output), outputs_were_tuple)


def _single_element_output(func, values, function_name):
    output = func(*values)
    _tensors(output, "outputs of the user-provided function", function_name)
    if isinstance(output, tuple):
        raise RuntimeError(
            f"The function given to {function_name} should return a single Tensor, not a "
            f"tuple of {len(output)}"
        )
    if output.numel() != 1:
        raise RuntimeError(
            f"The Tensor returned by the function given to {function_name} should contain a "
            f"single element (it has shape {tuple(output.shape)})"
        )
    return output


def _first_gradients(output, values, strict):
    """The gradient of a one-element output, recorded for differentiating again."""
    if not output.requires_grad:
        if strict:
            raise RuntimeError(
                "the function's output does not require gradients: it has no graph back to the "
                "inputs, which strict=True refuses"
            )
        return tuple(value.new_zeros(value.shape) for value in values)
    found = autograd_grad(
        output.reshape(()), values, create_graph=True, allow_unused=True, materialize_grads=True
    )
    if strict:
        for index, gradient in enumerate(found):
            if not gradient.requires_grad:
                raise RuntimeError(
                    f"the jacobian with respect to input {index} is independent of the input "
                    "(as for a linear function), which strict=True refuses"
                )
    return found


def hessian(
    func,
    inputs,
    create_graph=False,
    strict=False,
    vectorize=False,
    outer_jacobian_strategy="reverse-mode",
):
    """The Jacobian of the gradient of a function with one output element."""
    _check_strategy(outer_jacobian_strategy, vectorize, create_graph)
    _, inputs_were_tuple = _tensors(inputs, "inputs", "hessian")

    def gradient(*values):
        output = _single_element_output(func, values, "hessian")
        found = _first_gradients(output, values, strict)
        return _unpack(found, inputs_were_tuple)

    return jacobian(gradient, inputs, create_graph=create_graph, strict=strict)


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), v^T H)``: the vector-Hessian product of a one-element function."""
    return _hessian_product(func, inputs, v, create_graph, strict, "vhp")


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), H v)``. The Hessian of a twice-differentiable function is
    symmetric, so this is ``vhp``'s product (PyTorch computes it another way)."""
    return _hessian_product(func, inputs, v, create_graph, strict, "hvp")


def _hessian_product(func, inputs, v, create_graph, strict, function_name):
    with enable_grad():
        inputs, inputs_were_tuple = _inputs_for(inputs, create_graph, function_name)
        v = _v_for_inputs(v, inputs, inputs_were_tuple, create_graph, function_name)
        output = _single_element_output(func, inputs, function_name)
        first = _first_gradients(output, inputs, strict)
        grads = _gradients(first, inputs, v, create_graph)
        products = _zeros_for_missing(
            grads,
            inputs,
            strict,
            create_graph,
            lambda i: f"the jacobian is independent of input {i}",
        )
    output = output if create_graph else output.detach()
    return output, _unpack(_finish(products, create_graph), inputs_were_tuple)
