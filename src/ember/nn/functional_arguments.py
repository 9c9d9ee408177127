"""What ``nn.functional``'s layers and losses share in reading their arguments: the
``reduction`` a loss is asked for, an input and target brought to one shape and dtype, the
refusals PyTorch's kernels make (integer inputs, weights that ask for a gradient, tensors on
two devices), and a hyper-parameter read as a Python number.
"""

import warnings

from .. import dtypes
from ..autograd.grad_mode import is_grad_enabled
from ..backend import cpu_namespace
from ..device import mixed_device_error
from ..ops import operands as O
from ..tensor import Tensor

REDUCTIONS = ("none", "mean", "sum")


# The reduction ------------------------------------------------------------------


def chosen_reduction(size_average, reduce, reduction):
    """The reduction to use, translating the deprecated size_average/reduce flags."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "sum" if reduce and not size_average else ("mean" if reduce else "none")
        warnings.warn(
            f"size_average and reduce args will be deprecated, please use "
            f"reduction='{reduction}' instead.",
            UserWarning,
            stacklevel=3,
        )
    if reduction == "elementwise_mean":  # PyTorch's old name for 'mean', still taken
        warnings.warn(
            "reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.",
            UserWarning,
            stacklevel=3,
        )
        return "mean"
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def reduced(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


# An input and its target ----------------------------------------------------------


def broadcast_pair(input, target):
    """A regression loss's input and target, warned about when their shapes differ, and
    then broadcast to one shape.

    PyTorch broadcasts the two to one shape before computing, so a 0-d operand
    counts fully in the dtype promotion: a 0-d float64 target makes a float32
    input's loss float64. Casting both to the promoted dtype does the same.
    """
    if tuple(target.shape) == tuple(input.shape):
        return input, target
    warnings.warn(
        f"Using a target size ({target.shape}) that is different to the input size "
        f"({input.shape}): the two are broadcast together, which is rarely what a loss "
        "wants; give the target the input's shape.",
        UserWarning,
        stacklevel=3,
    )
    error = O.broadcast_error(input, target)
    if error is not None:  # before any dtype check, as in PyTorch
        raise error
    if input.dtype != target.dtype and dtypes.bool not in (input.dtype, target.dtype):
        # (a bool operand stays bool, for the subtraction to refuse as PyTorch's does)
        common = dtypes.promote_types(input.dtype, target.dtype)
        input, target = in_dtype(input, common), in_dtype(target, common)
    shape = cpu_namespace.broadcast_shapes(tuple(input.shape), tuple(target.shape))
    return expanded(input, shape), expanded(target, shape)


def expanded(tensor, shape):
    """``tensor`` expanded to ``shape`` (PyTorch's broadcast_tensors, whose expand the loss's
    node lists), or itself where it has that shape already."""
    return tensor if tuple(tensor.shape) == shape else tensor.expand(shape)


def in_dtype(tensor, dtype):
    """``tensor`` cast to ``dtype`` (a recorded cast, so gradients flow), None left None."""
    if tensor is None or tensor.dtype == dtype:
        return tensor
    return tensor.to(dtype)


# What PyTorch's kernels refuse ---------------------------------------------------


def refuse_integer_input(input, name):
    """PyTorch has no integer kernel for most losses: it raises rather than promote."""
    if not input.is_floating_point():
        raise NotImplementedError(
            f"\"{name}\" not implemented for '{input.dtype}': the loss needs a floating-point "
            "input (input.float())"
        )


def refuse_integer_pair(input, target, name):
    """Like ``refuse_integer_input`` for a loss that takes the two operands' common dtype."""
    common = dtypes.promote_types(input.dtype, target.dtype)
    if not common.is_floating_point:
        raise NotImplementedError(
            f"\"{name}\" not implemented for '{common}': the loss needs a floating-point "
            "input or target (input.float())"
        )


def refuse_weight_with_grad(weight, name="nll_loss"):
    """PyTorch's kernel takes no gradient for the class weights, and its autograd refuses
    weights that ask for one (before the kernel's own checks) rather than leave them
    without."""
    if weight is not None and weight.requires_grad and is_grad_enabled():
        raise RuntimeError(
            f"{name} is not differentiable with respect to its class weights, but the weight "
            "requires grad: pass weight.detach()"
        )


def check_on_one_device(op_name, input, *others):
    """PyTorch's RuntimeError naming both devices when a layer's or loss's tensors live apart."""
    for other in others:
        if isinstance(other, Tensor) and type(other._data) is not type(input._data):
            raise mixed_device_error(input._data, other._data, op_name)


# Hyper-parameters and versions ---------------------------------------------------


def number_argument(op_name, argument, value, kind="Number"):
    """A hyper-parameter as the Python number PyTorch reads it as (a 0-d tensor too, not
    one of more dims, even of one element). ``kind`` names what PyTorch's message asks for
    (Number, or float for its float arguments)."""
    if isinstance(value, Tensor) and value.ndim == 0:
        return value.item()
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, cpu_namespace.generic) and value.dtype.kind in "biuf":
        return value.item()  # a NumPy number (np.float32(0.2) from a config or an array)
    raise TypeError(
        f"{op_name}(): argument '{argument}' must be {kind}, not {type(value).__name__}"
    )


def reduction_name(op_name, reduction):
    """The losses that build their message from the name (PyTorch's poisson, gaussian and
    multilabel soft margin losses) fail with a TypeError on a name that is no string."""
    if not isinstance(reduction, str):
        raise TypeError(
            f"{op_name}: reduction must be a str ('none', 'mean' or 'sum'), not "
            f"{type(reduction).__name__}"
        )
    return reduction


def as_written_in_place(tensor, times=1):
    """``tensor`` with the ``_version`` of PyTorch's result, which its composition writes in
    place ``times`` times (one_hot's zeros, then the ones scattered in, say)."""
    tensor._counter().value += times
    return tensor
