"""Whole derivatives of a function: ``jacobian``, ``hessian``, ``vjp``, ``jvp``, ``vhp``, ``hvp``.

Reverse mode throughout. Row i of the Jacobian is the gradient of output
element i with respect to every input (one backward pass per element). ``jvp``
uses the double-backward trick: the gradient of ``u -> J^T u`` at any ``u`` is
linear in ``u``, and differentiating ``v . (J^T u)`` with respect to ``u``
gives ``J v``; ``hvp`` applies it to the gradient. An output that does not depend
on an input gives zeros there, as in PyTorch; with ``strict=True`` that is an
error instead. ``jacobian``'s ``vectorize`` and ``strategy`` change how PyTorch
computes it: ember follows what a user sees of them (which checks run and when,
which results require grad, lists from forward mode, its dtypes).

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
            shapes = ", ".join(str(tuple(out.shape)) for out in outputs)
            raise RuntimeError(
                "v can only be None when the function returns a single tensor of one "
                f"element; it returned {len(outputs)} tensor(s) of shapes [{shapes}]"
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


def _check_strategy(strategy):
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError(
            f'Expected strategy to be either "forward-mode" or "reverse-mode" (got {strategy!r})'
        )


def _check_forward_mode(inputs, create_graph, strict, vectorize):
    """PyTorch's refusals for ``strategy="forward-mode"``, in its order; ember then computes
    the same Jacobian in reverse mode."""
    if create_graph:
        raise NotImplementedError(
            'jacobian: strategy="forward-mode" does not support create_graph=True; use '
            'strategy="reverse-mode"'
        )
    if strict:
        raise RuntimeError(
            'jacobian: strict=True and strategy="forward-mode" cannot be used together; set '
            'strict=False or strategy="reverse-mode"'
        )
    inputs, _ = _tensors(inputs, "inputs", "jacobian")
    if not vectorize:
        raise NotImplementedError(
            'jacobian: strategy="forward-mode" is only implemented for vectorize=True'
        )
    for index, value in enumerate(inputs):
        if not value.dtype.is_floating_point:
            raise ValueError(
                f'jacobian: strategy="forward-mode" needs floating point inputs, but input '
                f"{index} is {value.dtype}"
            )


def _jacobian_rows(output, output_index, inputs, create_graph, strict):
    """For each input, the gradient of every element of ``output``: one row per element."""
    count = output.numel()
    if not output.requires_grad:
        return [[t.new_zeros(t.shape)] * count for t in inputs]
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
    return rows


def _batched_rows(outputs, inputs, create_graph):
    """Rows as PyTorch's vectorized pass makes them: each one the gradient of every output
    that has a graph, along a basis vector of all their elements (zero on every output but
    one), so each row carries the graph of every output, even of those with no elements."""
    attached = [i for i, out in enumerate(outputs) if out.requires_grad]
    flats = [outputs[i].reshape(-1) for i in attached]
    rows = [[] for _ in inputs]
    for i, out in enumerate(outputs):
        for element in range(out.numel()):
            found = (None,) * len(inputs)
            if flats:
                basis = [flat.new_zeros(flat.shape) for flat in flats]
                if i in attached:
                    basis[attached.index(i)][element] = 1
                found = autograd_grad(
                    flats,
                    inputs,
                    basis,
                    retain_graph=True,
                    create_graph=create_graph,
                    allow_unused=True,
                )
            for k, gradient in enumerate(found):
                rows[k].append(gradient)
    return rows


def _stacked_rows(rows, shape, reference):
    """The rows stacked into ``shape``; zeros where there are none or one is missing."""
    from ..ops.joining import stack

    if not rows or any(row is None for row in rows):
        return reference.new_zeros(shape)
    return stack(rows).reshape(shape)


def _blocks_by_output(outputs, inputs, create_graph, strict):
    """``blocks[i][k]``: d outputs[i] / d inputs[k], shaped output.shape + input.shape."""
    blocks = []
    for i, out in enumerate(outputs):
        rows = _jacobian_rows(out, i, inputs, create_graph, strict)
        blocks.append(
            [
                _stacked_rows(rows[k], tuple(out.shape) + tuple(t.shape), t)
                for k, t in enumerate(inputs)
            ]
        )
    return blocks


def _blocks_by_input(outputs, inputs, create_graph):
    """The same blocks, each input's stacked over all the outputs and then split, as
    PyTorch's vectorized pass does: with ``create_graph``, a block requires grad when any
    block of its input does."""
    rows = _batched_rows(outputs, inputs, create_graph)
    counts = [out.numel() for out in outputs]
    blocks = [[None] * len(inputs) for _ in outputs]
    for k, t in enumerate(inputs):
        stacked = _stacked_rows(rows[k], (sum(counts),) + tuple(t.shape), t)
        start = 0
        for i, out in enumerate(outputs):
            piece = stacked[start : start + counts[i]]
            blocks[i][k] = piece.reshape(tuple(out.shape) + tuple(t.shape))
            start += counts[i]
    return blocks


def jacobian(
    func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"
):
    """d func(inputs) / d inputs, shaped output.shape + input.shape (tuples when either is).

    ``vectorize`` and ``strategy`` change how PyTorch computes it; ember computes row by
    row in reverse mode either way, and follows what they show: with ``vectorize``, one
    stack per input (see ``_blocks_by_input``); in forward mode, the outputs' dtypes and
    lists where reverse mode gives tuples.
    """
    _check_strategy(strategy)
    if strategy == "forward-mode":
        _check_forward_mode(inputs, create_graph, strict, vectorize)
    with enable_grad():
        inputs, inputs_were_tuple = _inputs_for(inputs, create_graph, "jacobian")
        outputs, outputs_were_tuple = _outputs_of(func, inputs, "jacobian")
        _check_outputs_differentiable(outputs, strict)
        if strict and vectorize:
            raise RuntimeError(
                "jacobian: strict=True and vectorize=True cannot be used together; set one of "
                "them to False"
            )
        if vectorize:
            blocks = _blocks_by_input(outputs, inputs, create_graph)
        else:
            blocks = _blocks_by_output(outputs, inputs, create_graph, strict)
        if strategy == "forward-mode":
            # Forward mode carries tangents of the outputs' dtypes.
            blocks = [[b.to(out.dtype) for b in row] for row, out in zip(blocks, outputs)]
    inner = list if strategy == "forward-mode" else tuple
    outer = list if strategy == "forward-mode" and inputs_were_tuple else tuple
    per_output = [_unpack(inner(_finish(row, create_graph)), inputs_were_tuple) for row in blocks]
    return _unpack(outer(per_output), outputs_were_tuple)


def _single_element_output(func, values, strict, function_name):
    output = func(*values)
    outputs, _ = _tensors(output, "outputs of the user-provided function", function_name)
    _check_outputs_differentiable(outputs, strict)
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


def _first_gradients(output, values, strict, function_name):
    """The gradient of a one-element output, recorded for differentiating again; None for
    an input it does not reach."""
    if not output.requires_grad:
        return (None,) * len(values)
    found = autograd_grad(output.reshape(()), values, create_graph=True, allow_unused=True)
    if strict:
        for index, gradient in enumerate(found):
            if gradient is None and function_name != "hessian":
                raise RuntimeError(
                    f"the function's output is independent of input {index}, which "
                    "strict=True refuses"
                )
            if gradient is None or not gradient.requires_grad:
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
    _, inputs_were_tuple = _tensors(inputs, "inputs", "hessian")
    _check_strategy(outer_jacobian_strategy)

    def gradient(*values):
        output = _single_element_output(func, values, strict, "hessian")
        found = _first_gradients(output, values, strict, "hessian")
        found = tuple(
            value.new_zeros(value.shape) if g is None else g for g, value in zip(found, values)
        )
        return _unpack(found, inputs_were_tuple)

    return jacobian(
        gradient,
        inputs,
        create_graph=create_graph,
        strict=strict,
        vectorize=vectorize,
        strategy=outer_jacobian_strategy,
    )


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), v^T H)``: the vector-Hessian product of a one-element function."""
    return _hessian_product(func, inputs, v, create_graph, strict, "vhp")


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), H v)`` of a one-element function.

    As in PyTorch, by the double-backward trick: the gradient ``g`` differentiated along
    ``u`` gives ``u^T H``, which is linear in ``u``; differentiating ``(u^T H) v`` with
    respect to ``u`` gives ``H v``.
    """
    return _hessian_product(func, inputs, v, create_graph, strict, "hvp")


def _hessian_product(func, inputs, v, create_graph, strict, function_name):
    with enable_grad():
        inputs, inputs_were_tuple = _inputs_for(inputs, create_graph, function_name)
        v = _v_for_inputs(v, inputs, inputs_were_tuple, create_graph, function_name)
        output = _single_element_output(func, inputs, strict, function_name)
        first = _first_gradients(output, inputs, strict, function_name)
        if function_name == "hvp":
            dummies = tuple(t.new_zeros(t.shape).requires_grad_(True) for t in inputs)
            transposed = _gradients(first, inputs, dummies, create_graph=True)
            grads = _gradients(transposed, dummies, v, create_graph)
        else:
            grads = _gradients(first, inputs, v, create_graph)
        products = _zeros_for_missing(
            grads,
            inputs,
            strict,
            create_graph,
            lambda i: (
                f"the hessian is independent of entry {i} of the gradient it is taken along"
                if function_name == "hvp"
                else f"the jacobian is independent of input {i}"
            ),
        )
    output = output if create_graph else output.detach()
    return output, _unpack(_finish(products, create_graph), inputs_were_tuple)
