"""``ember.nn.utils``: work on a model's parameters as a whole.

Clipping gradients keeps one bad batch from throwing the weights far away: by their
total norm (``clip_grad_norm_``, which scales every gradient by one factor, so their
directions stay) or element by element (``clip_grad_value_``). And a model's parameters
can be read as one flat vector and written back from one (``parameters_to_vector``,
``vector_to_parameters``), as optimizers that see a single vector want them.
``foreach=`` asks PyTorch for its fused kernels over many tensors; ember has none, loops,
and gives the same values whatever it is.

    loss.backward()
    nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0)
    optimizer.step()
"""

import types
import warnings

from .. import linalg
from ..arguments import check_tensors
from ..autograd.grad_mode import no_grad
from ..creation import tensor
from ..ops.joining import cat, stack
from ..tensor import Tensor


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The ``norm_type``-norm of all ``tensors`` taken as one vector (0. for none).

    A NaN or infinite norm is a RuntimeError with ``error_if_nonfinite``.
    """
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return tensor(0.0)
    with no_grad():
        norms = stack([linalg.vector_norm(each, norm_type) for each in tensors])
        total = linalg.vector_norm(norms, norm_type)
    if error_if_nonfinite and not total.isfinite().item():
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is "
            f"non-finite ({total.item()}), so it cannot be clipped; set "
            "error_if_nonfinite=False to scale the gradients by it anyway"
        )
    return total


def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None):
    """Scale the parameters' gradients in place by ``max_norm / total_norm`` where that
    is below 1 (a small 1e-6 is added to the norm, so a norm of 0 divides safely)."""
    grads = _grads(parameters)
    max_norm = float(max_norm)
    if not grads:
        return
    check_tensors("clip_grads_with_norm_", total_norm=total_norm)  # get_total_norm's result
    with no_grad():
        scale = (max_norm / (total_norm + 1e-6)).clamp(max=1.0)
        for grad in grads:  # multiplied even by 1: no branch on the norm's value
            grad.mul_(scale.to(grad.device, grad.dtype))


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Scale the gradients so that their total ``norm_type``-norm is at most
    ``max_norm``; returns the total norm they had."""
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    else:
        was_generator = isinstance(parameters, types.GeneratorType)
        parameters = list(parameters)  # read twice below: a generator would be spent
        if was_generator and not parameters:
            warnings.warn(
                "`parameters` is an empty generator, no gradient clipping will occur.",
                UserWarning,
                stacklevel=2,
            )
    total_norm = get_total_norm(_grads(parameters), norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total_norm, foreach)
    return total_norm


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient element into [-clip_value, clip_value], in place."""
    clip_value = float(clip_value)
    grads = _grads(parameters)
    with no_grad():
        for grad in grads:
            grad.clamp_(min=-clip_value, max=clip_value)


def parameters_to_vector(parameters):
    """All the parameters, flattened and joined into one vector (in the graph)."""
    parameters = list(parameters)
    _check_one_device(parameters)
    return cat([parameter.view(-1) for parameter in parameters])


def vector_to_parameters(vec, parameters):
    """Give each parameter, in order, the next ``numel()`` values of ``vec`` as its data
    (which then shares ``vec``'s memory)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected ember.Tensor, but got: {type(vec).__name__}")
    parameters = list(parameters)
    _check_one_device(parameters)
    start = 0
    for parameter in parameters:
        count = parameter.numel()
        parameter.data = vec[start : start + count].view_as(parameter).data
        start += count


def _grads(parameters):
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [parameter.grad for parameter in parameters if parameter.grad is not None]


def _check_one_device(parameters):
    devices = {parameter.device for parameter in parameters}
    if len(devices) > 1:
        raise TypeError(
            "Found two parameters on different devices, this is currently not supported: "
            f"{sorted(map(str, devices))}"
        )
