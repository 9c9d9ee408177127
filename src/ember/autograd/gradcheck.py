"""Check analytical gradients against central finite differences (float64).

For every input that requires grad, each element is nudged by ``eps`` both
ways; the slope of every output element is compared with the gradient that
backward computes for it.
"""

import numbers

from .engine import grad as autograd_grad
from .grad_mode import enable_grad


class GradcheckError(RuntimeError):
    pass


def _as_tuple(values):
    return tuple(values) if isinstance(values, (tuple, list)) else (values,)


def _flat_outputs(func, inputs):
    from ..ops.joining import cat

    outputs = _as_tuple(func(*inputs))
    return (
        cat([output.reshape(-1) for output in outputs])
        if len(outputs) > 1
        else outputs[0].reshape(-1)
    )


def numerical_jacobian(func, inputs, index, eps):
    """Columns d outputs / d inputs[index][j], by central differences."""
    from ..autograd.grad_mode import no_grad

    target = inputs[index]
    flat = target._data.reshape(-1)
    columns = []
    with no_grad():
        for j in range(flat.size):
            original = flat[j].item()
            flat[j] = original + eps
            plus = _flat_outputs(func, inputs)._data.astype("float64")
            flat[j] = original - eps
            minus = _flat_outputs(func, inputs)._data.astype("float64")
            flat[j] = original
            columns.append((plus - minus) / (2 * eps))
    return columns


def analytical_jacobian(func, inputs, index):
    outputs = _flat_outputs(func, inputs)
    if not outputs.requires_grad:  # no path back to any input: an all-zero Jacobian
        return [None] * outputs.numel()
    columns_by_output = []
    for i in range(outputs.numel()):
        (found,) = autograd_grad(outputs[i], inputs[index], retain_graph=True, allow_unused=True)
        columns_by_output.append(None if found is None else found._data.reshape(-1))
    return columns_by_output


def _check_tolerances(**tolerances):
    """Tolerances are numbers (or one-element tensors), as PyTorch's comparisons need."""
    for name, value in tolerances.items():
        one_number = isinstance(value, numbers.Real) or (
            hasattr(value, "numel") and value.numel() == 1
        )
        if not one_number:
            raise TypeError(f"gradcheck's {name} must be a number, not {type(value).__name__}")


def _check_unused_options(options):
    """PyTorch's other options, which ember does not act on, read as PyTorch reads them:
    ``nondet_tol`` a number (negative, every backward counts as not reentrant), the
    others bools (a tensor of several elements is ambiguous)."""
    nondet_tol = options.pop("nondet_tol", 0.0)
    if not isinstance(nondet_tol, numbers.Real) and not hasattr(nondet_tol, "numel"):
        raise TypeError(f"gradcheck's nondet_tol must be a number, not {type(nondet_tol).__name__}")
    for flag in options.values():
        bool(flag)
    if nondet_tol < 0:
        raise GradcheckError(
            f"Backward is not reentrant: nondet_tol={nondet_tol} is below any difference"
        )


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, **unused):
    inputs = _as_tuple(inputs)
    raise_exception = bool(raise_exception)  # PyTorch reads it whether or not a check fails
    _check_tolerances(atol=atol, rtol=rtol)
    _check_unused_options(unused)
    if not any(getattr(tensor, "requires_grad", False) for tensor in inputs):
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none of them "
            "have requires_grad=True."
        )
    for index, tensor in enumerate(inputs):
        if not getattr(tensor, "requires_grad", False):
            continue
        if tensor.dtype.name != "float64":
            raise GradcheckError(
                f"gradcheck: input {index} is {tensor.dtype}; check gradients in float64"
            )
        numeric = numerical_jacobian(func, inputs, index, eps)
        analytic = analytical_jacobian(func, inputs, index)
        for j, column in enumerate(numeric):
            for i, expected in enumerate(column):
                row = analytic[i]
                got = 0.0 if row is None else float(row[j])
                # not <=: a NaN numerical derivative (eps=0) is a mismatch, as in PyTorch
                if not abs(got - expected) <= atol + rtol * abs(expected):
                    if not raise_exception:
                        return False
                    raise GradcheckError(
                        f"Jacobian mismatch for output {i} with respect to input {index}, "
                        f"element {j}: numerical {expected:.6g}, analytical {got:.6g}"
                    )
    return True


def gradgradcheck(
    func,
    inputs,
    grad_outputs=None,
    *,
    eps=1e-6,
    atol=1e-5,
    rtol=1e-3,
    raise_exception=True,
    **unused,
):
    """Check second derivatives: gradcheck of (inputs -> first gradients of func).

    Without ``grad_outputs`` the first gradients are those of the sum of every output;
    with them, those of the outputs weighted by ``grad_outputs``, and the ones that
    require grad are checked as inputs too.
    """
    inputs = _as_tuple(inputs)
    weights = () if grad_outputs is None else _as_tuple(grad_outputs)
    differentiable = [i for i, t in enumerate(inputs) if getattr(t, "requires_grad", False)]

    def first_gradients(*values):
        with enable_grad():  # the numerical half of gradcheck calls this under no_grad
            return weighted_gradients(values[: len(inputs)], values[len(inputs) :])

    def weighted_gradients(values, given_weights):
        outputs = _as_tuple(func(*values))
        if not given_weights:
            outputs, given_weights = (sum(output.sum() for output in outputs),), None
        chosen = [values[i] for i in differentiable]
        return autograd_grad(
            outputs,
            chosen,
            given_weights,
            create_graph=True,
            allow_unused=True,
            materialize_grads=True,
        )

    return gradcheck(
        first_gradients,
        inputs + weights,
        eps=eps,
        atol=atol,
        rtol=rtol,
        raise_exception=raise_exception,
    )
