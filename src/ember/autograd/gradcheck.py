"""Check analytical gradients against central finite differences (float64).

For every input that requires grad, each element is nudged by ``eps`` both
ways, where it lives in memory; the slope of every element of the outputs that
require grad (of every output, when none does) is compared with the gradient
that backward computes for it.
"""

import itertools
import numbers
import warnings

from .engine import grad as autograd_grad
from .grad_mode import enable_grad


class GradcheckError(RuntimeError):
    pass


def _as_tuple(values):
    return tuple(values) if isinstance(values, (tuple, list)) else (values,)


def _differentiable_outputs(func, inputs):
    """The positions of the outputs that require grad, which are the ones checked (an
    integer or detached output has no gradient to compare); all of them if none does, so
    that their numerical derivatives are checked to be zero."""
    with enable_grad():
        outputs = _as_tuple(func(*inputs))
    chosen = [i for i, output in enumerate(outputs) if getattr(output, "requires_grad", False)]
    return chosen or list(range(len(outputs)))


def _flat_outputs(func, inputs, chosen):
    from ..ops.joining import cat

    every_output = _as_tuple(func(*inputs))
    outputs = [every_output[i] for i in chosen]
    return (
        cat([output.reshape(-1) for output in outputs])
        if len(outputs) > 1
        else outputs[0].reshape(-1)
    )


def numerical_jacobian(func, inputs, index, eps, chosen):
    """Columns d outputs / d inputs[index][j], by central differences."""
    from ..autograd.grad_mode import no_grad

    # Each element is nudged where it lives: a flattened copy of a strided input (a
    # transposed or sliced view) would leave the values func reads unchanged.
    data = inputs[index]._data
    columns = []
    with no_grad():
        for position in itertools.product(*map(range, data.shape)):
            original = data[position].item()
            data[position] = original + eps
            plus = _flat_outputs(func, inputs, chosen)._data.astype("float64")
            data[position] = original - eps
            minus = _flat_outputs(func, inputs, chosen)._data.astype("float64")
            data[position] = original
            columns.append((plus - minus) / (2 * eps))
    return columns


def _check_not_overlapping(index, tensor):
    """An expanded input holds one value at several positions, so no element can be
    nudged alone: PyTorch refuses it."""
    if tensor.numel() == 0:  # nothing to nudge (NumPy gives such dims stride 0)
        return
    if any(size > 1 and stride == 0 for size, stride in zip(tensor.shape, tensor._data.strides)):
        raise RuntimeError(
            f"gradcheck: input {index} has a dimension with stride 0 (an expanded tensor), "
            "so its elements cannot be nudged one at a time; pass input.contiguous()"
        )


def analytical_jacobian(func, inputs, index, chosen):
    outputs = _flat_outputs(func, inputs, chosen)
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
    """PyTorch's other options read as PyTorch reads them, and ``nondet_tol`` returned:
    a number (negative, every backward counts as not reentrant); the others bools (a
    tensor of several elements is ambiguous), which ember does not act on."""
    nondet_tol = options.pop("nondet_tol", 0.0)
    if not isinstance(nondet_tol, numbers.Real) and not hasattr(nondet_tol, "numel"):
        raise TypeError(f"gradcheck's nondet_tol must be a number, not {type(nondet_tol).__name__}")
    for flag in options.values():
        bool(flag)
    if nondet_tol < 0:
        raise GradcheckError(
            f"Backward is not reentrant: nondet_tol={nondet_tol} is below any difference"
        )
    return nondet_tol


def _check_modes(options):
    """The modes asked for must leave something to check and include what each batched
    check runs on; PyTorch asserts this before anything else."""
    forward = options.get("check_forward_ad", False)
    backward = options.get("check_backward_ad", True)
    if not (forward or backward):
        raise AssertionError(
            "gradcheck: expected at least one of check_forward_ad or check_backward_ad to be True"
        )
    if options.get("check_batched_grad", False) and not backward:
        raise AssertionError("gradcheck: check_batched_grad=True needs check_backward_ad=True")
    if options.get("check_batched_forward_grad", False) and not forward:
        raise AssertionError(
            "gradcheck: check_batched_forward_grad=True needs check_forward_ad=True"
        )


def _warn_of_precision(inputs, checked):
    for index in checked:
        if inputs[index].dtype.name != "float64":
            warnings.warn(
                f"Input #{index} requires gradient and is not a double precision floating "
                f"point ({inputs[index].dtype}): ember's gradcheck checks float64 inputs only",
                UserWarning,
                stacklevel=3,
            )


def _check_nonnegative(**tolerances):
    """PyTorch's comparison refuses a negative tolerance, whatever raise_exception says."""
    for name, value in tolerances.items():
        if value < 0:
            raise RuntimeError(
                f"gradcheck: {name} must be greater than or equal to zero, but got {value}"
            )


def _compare_jacobians(func, inputs, index, chosen, eps, atol, rtol, nondet_tol=0.0):
    """Raise a GradcheckError where an analytical derivative differs from the numerical one,
    where backward gives other values when run again, or ignores the gradient it is given."""
    if inputs[index].dtype.name != "float64":
        raise GradcheckError(
            f"gradcheck: input {index} is {inputs[index].dtype}; check gradients in float64"
        )
    numeric = numerical_jacobian(func, inputs, index, eps, chosen)
    analytic = analytical_jacobian(func, inputs, index, chosen)
    _check_reentrant(analytic, analytical_jacobian(func, inputs, index, chosen), nondet_tol)
    _check_scaled_by_grad_output(func, inputs, index, chosen)
    for j, column in enumerate(numeric):
        for i, expected in enumerate(column):
            row = analytic[i]
            got = 0.0 if row is None else float(row[j])
            # not <=: a NaN numerical derivative (eps=0) is a mismatch, as in PyTorch
            if not abs(got - expected) <= atol + rtol * abs(expected):
                raise GradcheckError(
                    f"Jacobian mismatch for output {i} with respect to input {index}, "
                    f"element {j}: numerical {expected:.6g}, analytical {got:.6g}"
                )


def _check_reentrant(first, second, nondet_tol):
    """The same backward run twice must agree (to ``nondet_tol``), as PyTorch checks."""
    for row, again in zip(first, second):
        if (row is None) != (again is None) or (
            row is not None and float(abs(row - again).max(initial=0.0)) > nondet_tol
        ):
            raise GradcheckError(
                "Backward is not reentrant, i.e., running backward with same input and "
                "grad_output multiple times gives different values, although analytical "
                f"gradient matches numerical gradient. The tolerance for nondeterminism was "
                f"{nondet_tol}."
            )


def _check_scaled_by_grad_output(func, inputs, index, chosen):
    """A backward given zeros must give zeros: one that ignores its incoming gradient
    passes the one-hot checks above (PyTorch checks this too)."""
    outputs = _flat_outputs(func, inputs, chosen)
    if not outputs.requires_grad:
        return
    (found,) = autograd_grad(
        outputs, inputs[index], outputs.detach() * 0, retain_graph=True, allow_unused=True
    )
    if found is not None and found._data.any():
        raise GradcheckError("backward not multiplied by grad_output")


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, **unused):
    _check_modes(unused)
    inputs = _as_tuple(inputs)
    raise_exception = bool(raise_exception)  # PyTorch reads it whether or not a check fails
    _check_tolerances(atol=atol, rtol=rtol)
    nondet_tol = _check_unused_options(unused)
    checked = [i for i, tensor in enumerate(inputs) if getattr(tensor, "requires_grad", False)]
    if not checked:
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none of them "
            "have requires_grad=True."
        )
    _warn_of_precision(inputs, checked)
    for index in checked:
        _check_not_overlapping(index, inputs[index])
    chosen = _differentiable_outputs(func, inputs)
    if not chosen:  # a function of no outputs has no derivative to compare
        return True
    _check_nonnegative(atol=atol, rtol=rtol)
    if getattr(eps, "ndim", None) == 0:  # a 0-d tensor steps as its number does
        eps = eps.item()
    try:
        for index in checked:
            _compare_jacobians(func, inputs, index, chosen, eps, atol, rtol, nondet_tol)
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


def _check_second_order_modes(options):
    """gradgradcheck's modes, asserted first as PyTorch asserts them."""
    reverse = options.get("check_rev_over_rev", True)
    if not (options.get("check_fwd_over_rev", False) or reverse):
        raise AssertionError(
            "gradgradcheck: expected at least one of check_fwd_over_rev or check_rev_over_rev "
            "to be True"
        )
    # check_undefined_grad is on unless turned off, check_batched_grad off unless turned on
    for needs_reverse, default in (("check_undefined_grad", True), ("check_batched_grad", False)):
        if options.get(needs_reverse, default) and not reverse:
            raise AssertionError(
                f"gradgradcheck: {needs_reverse}=True needs check_rev_over_rev=True"
            )


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
    _check_second_order_modes(unused)
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
