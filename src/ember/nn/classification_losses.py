"""The classification losses: negative log-likelihood and cross-entropy over classes
(class indices or class probabilities), and the binary cross-entropies, of probabilities
and of logits. ``nn.functional`` exports them.

``nll_loss`` and the binary cross-entropies are one node each (``functional_ops``);
cross-entropy is ``log_softmax`` followed by ``nll_loss``, as PyTorch composes it.
"""

import math

from ..arguments import check_tensors, integer_argument
from ..backend import cpu_namespace
from ..backend import namespace_of as xp  # the array namespace of an array
from ..ops import selection as W
from ..tensor import Tensor
from . import functional_ops as ops
from .functional import log_softmax
from .functional_arguments import (
    check_on_one_device,
    chosen_reduction,
    in_dtype,
    number_argument,
    refuse_integer_input,
    refuse_weight_with_grad,
)


def nll_loss(
    input,
    target,
    weight=None,
    size_average=None,
    ignore_index=-100,
    reduce=None,
    reduction="mean",
):
    """Negative log-likelihood of class indices, given log-probabilities (class dim 1)."""
    reduction = chosen_reduction(size_average, reduce, reduction)
    ignore_index = integer_argument(ignore_index, "nll_loss", "ignore_index")
    _check_tensors("nll_loss_nd", target, weight)
    if input.ndim == 1:
        _check_class_index_dtype(target)  # PyTorch checks it before the target's size
        target = _one_sample_target(target)
        loss = nll_loss(
            input.unsqueeze(0), target.reshape(1), weight, None, ignore_index, None, reduction
        )
        return loss.reshape(()) if reduction == "none" else loss
    _check_class_targets(input, target, weight)
    check_on_one_device("nll_loss", input, target, weight)
    weight_array = None if weight is None else weight._data
    return ops.NllLoss.apply(input, target, weight_array, ignore_index, reduction)


def _check_tensors(op_name, target, weight):
    """The target must be a tensor, the weight a tensor or None (PyTorch's TypeError);
    type tests first, since every training step of a classifier comes here twice."""
    if not isinstance(target, Tensor) or not (weight is None or isinstance(weight, Tensor)):
        check_tensors(op_name, target=target)
        check_tensors(op_name, optional=True, weight=weight)


def _one_sample_target(target):
    """The class index for a 1-d input (one sample): a 0-d target, or one of shape [1]."""
    if target.ndim == 0:
        return target
    if target.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if target.shape[0] != 1:
        raise ValueError(
            f"For 1D input, 1D target must have size 1, but got target size: {target.shape[0]} "
            "(a 1-d input is one sample; give one class index)"
        )
    return target.reshape(())


def _check_class_index_dtype(target):
    if target._data.dtype.kind not in "iu":
        raise RuntimeError(
            f"expected target dtype to be Long or Byte, but got {target.dtype} "
            "(class-index targets must be integers; give probabilities the input's shape)"
        )


def _check_class_targets(input, target, weight):
    shape, target_shape = input._data.shape, target._data.shape  # tuples: no Size objects
    if len(shape) < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {len(shape)})")
    # PyTorch's order: the batch sizes, the target's dims, then its dtype
    target_batch = target_shape[0] if target_shape else 0  # PyTorch's count for a 0-d target
    if shape[0] != target_batch:
        raise ValueError(
            f"Expected input batch_size ({shape[0]}) to match target batch_size ({target_batch})."
        )
    if len(shape) == 2 and len(target_shape) != 1:
        raise RuntimeError(
            f"0D or 1D target tensor expected, multi-target not supported: the target has "
            f"shape {list(target_shape)}, where class indices for input {list(shape)} have "
            f"shape [{shape[0]}] (y.reshape(-1)) and class probabilities [{shape[0]}, {shape[1]}]"
        )
    if target_shape[1:] != shape[2:]:
        expected = [shape[0], *shape[2:]]
        raise RuntimeError(f"Expected target size {expected}, got {list(target_shape)}")
    refuse_weight_with_grad(weight)  # PyTorch's autograd, between its shape checks and kernel
    _check_class_index_dtype(target)
    classes = shape[1]
    if weight is not None and (weight.ndim != 1 or weight.shape[0] != classes):
        raise RuntimeError(
            f"weight tensor should be defined either for all {classes} classes or no classes "
            f"but got weight tensor of shape: {list(weight.shape)}"
        )
    refuse_integer_input(input, "nll_loss")  # PyTorch's kernel, before the weight's dtype
    if weight is not None and weight.dtype != input.dtype:
        raise RuntimeError(
            f"expected scalar type {input.dtype} but found {weight.dtype}: the class weights "
            "must have the input's dtype (weight.to(input.dtype))"
        )


def cross_entropy(
    input,
    target,
    weight=None,
    size_average=None,
    ignore_index=-100,
    reduce=None,
    reduction="mean",
    label_smoothing=0.0,
):
    """Softmax cross-entropy of logits against class indices or class probabilities.

    A target with the input's shape holds probabilities; otherwise it holds class
    indices, one per sample (dim 1 of the input is the class dim, dim 0 for 1-d).
    """
    reduction = chosen_reduction(size_average, reduce, reduction)
    ignore_index = integer_argument(ignore_index, "cross_entropy", "ignore_index")
    _check_tensors("cross_entropy_loss", target, weight)
    label_smoothing = number_argument(
        "cross_entropy_loss", "label_smoothing", label_smoothing, "float"
    )
    if input.ndim == 1 and target.ndim == 1 and tuple(target.shape) != tuple(input.shape):
        _check_class_index_dtype(target)  # PyTorch checks it before the target's size
        target = _one_sample_target(target)  # one sample's class index, given as shape [1]
    class_dim = 0 if input.ndim == 1 else 1
    if tuple(input.shape) == tuple(target.shape):
        _check_probability_target(target, ignore_index)  # before the softmax, as PyTorch does
        log_probs = log_softmax(input, class_dim)
        _check_class_weight(weight, input.shape[class_dim])
        if label_smoothing > 1.0:
            raise _label_smoothing_error(label_smoothing)
        return _cross_entropy_probabilities(
            log_probs, target, weight, reduction, label_smoothing, class_dim
        )
    if label_smoothing > 1.0:  # PyTorch lets a negative (or NaN) one mean no smoothing
        raise _label_smoothing_error(label_smoothing)
    log_probs = log_softmax(input, class_dim)
    loss = nll_loss(log_probs, target, weight, None, ignore_index, None, reduction)
    if not label_smoothing > 0.0:
        return loss
    classes = input.shape[class_dim]
    weight_view = 1 if weight is None else _class_view(weight, input.ndim, class_dim)
    smooth = -(log_probs * weight_view).sum(class_dim)
    ignored = target == ignore_index
    smooth = W.where(ignored, 0.0, smooth)
    if reduction == "mean":
        if weight is None:  # counted on the tensors' device: float() would wait for a GPU
            count = Tensor._make((~ignored._data).sum().astype(smooth._data.dtype))
        else:
            kept = target._data[~ignored._data]
            count = float(weight._data[kept].sum())
        smooth = smooth.sum() / count
    elif reduction == "sum":
        smooth = smooth.sum()
    return (1 - label_smoothing) * loss + smooth * _share_of_each_class(label_smoothing, classes)


def _share_of_each_class(label_smoothing, classes):
    """The smoothing each class gets. PyTorch divides as floats: with no classes the share
    is inf, so a sum over no samples times it is NaN (Python's division would raise)."""
    return label_smoothing / classes if classes else math.inf


def _check_class_weight(weight, classes):
    if weight is not None and (weight.ndim != 1 or weight.shape[0] != classes):
        raise RuntimeError(
            f"cross_entropy: weight tensor should be defined either for all {classes} classes "
            f"or no classes but got weight tensor of shape: {list(weight.shape)}"
        )


def _label_smoothing_error(label_smoothing):
    return RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")


def _check_probability_target(target, ignore_index):
    """A target of the input's shape holds probabilities: floats, with no index to ignore
    (PyTorch takes any negative ignore_index as none)."""
    if not target.is_floating_point():
        raise RuntimeError(
            f"Expected floating point type for target with class probabilities, got "
            f"{target.dtype}: a target of the input's shape {list(target.shape)} holds "
            "probabilities; class indices go with an input of shape (N, C), a batch of N "
            "samples' C class scores"
        )
    if ignore_index >= 0:
        raise RuntimeError("ignore_index is not supported for floating point target")


def _cross_entropy_probabilities(log_probs, target, weight, reduction, label_smoothing, class_dim):
    classes = log_probs.shape[class_dim]
    if label_smoothing > 0:
        target = target * (1 - label_smoothing) + _share_of_each_class(label_smoothing, classes)
    products = log_probs * target
    if weight is not None:
        products = products * _class_view(weight, log_probs.ndim, class_dim)
    if reduction == "none":
        return -products.sum(class_dim)
    # PyTorch negates the sum of all the products: one node (NegBackward0), and a zero loss
    # is -0, where a sum of the per-sample losses (each -0) is +0
    total = -products.sum()
    if reduction == "sum":
        return total
    return total / (log_probs.numel() // max(classes, 1))


def _class_view(weight, ndim, class_dim):
    """The per-class weight shaped to broadcast along the class dim."""
    shape = [1] * ndim
    shape[class_dim] = weight.shape[0]
    return weight.reshape(shape)


def binary_cross_entropy(
    input, target, weight=None, size_average=None, reduce=None, reduction="mean"
):
    reduction = chosen_reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}) is refused here: give the target the input's shape"
        )
    check_on_one_device("binary_cross_entropy", input, target, weight)
    if target.dtype != input.dtype:
        raise RuntimeError(
            f"Found dtype {target.dtype} but expected {input.dtype}: binary_cross_entropy needs "
            "a target of the input's dtype (target.to(input.dtype))"
        )
    refuse_integer_input(input, "binary_cross_entropy")
    _check_probabilities(input, "input")
    _check_probabilities(target, "target")
    _check_broadcasts_to(input, weight, "weight")
    weight = in_dtype(weight, input.dtype)  # the loss keeps the input's dtype
    return ops.BinaryCrossEntropy.apply(input, target, weight, reduction)


def _check_broadcasts_to(input, weights, name):
    """PyTorch writes a binary cross-entropy into a tensor of the input's shape, so its
    weights must broadcast to that shape without growing it."""
    if weights is None or weights._data.shape == input._data.shape:
        return
    shape, weights_shape = input._data.shape, weights._data.shape
    if len(weights_shape) > len(shape) or any(
        size not in (1, input_size) for size, input_size in zip(weights_shape[::-1], shape[::-1])
    ):
        raise RuntimeError(
            f"{name} of shape {list(weights_shape)} does not broadcast to the input's shape "
            f"{list(shape)}: the loss has one value per input element"
        )


def _check_probabilities(values, name):
    """BCE's inputs and targets are probabilities. Checked on the CPU only: on a GPU the
    answer would make the host wait for the device."""
    data = values._data
    if xp(data) is not cpu_namespace or data.size == 0:
        return
    if not (data.min() >= 0 and data.max() <= 1):  # NaN fails too
        raise RuntimeError(f"all elements of {name} should be between 0 and 1")


def binary_cross_entropy_with_logits(
    input,
    target,
    weight=None,
    size_average=None,
    reduce=None,
    reduction="mean",
    pos_weight=None,
):
    """BCE of ``sigmoid(input)``, stable for any logit; ``pos_weight`` scales positives."""
    reduction = chosen_reduction(size_average, reduce, reduction)
    check_tensors(
        "binary_cross_entropy_with_logits", optional=True, weight=weight, pos_weight=pos_weight
    )
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(
            f"Target size ({target.shape}) must be the same as input size ({input.shape})"
        )
    check_on_one_device("binary_cross_entropy_with_logits", input, target, weight, pos_weight)
    refuse_integer_input(input, "binary_cross_entropy_with_logits")
    if not target.is_floating_point():
        raise RuntimeError(
            f"result type {input.dtype} can't be cast to the desired output type "
            f"{target.dtype}: binary_cross_entropy_with_logits needs a floating-point target "
            "(target.float())"
        )
    _check_broadcasts_to(input, weight, "weight")
    _check_broadcasts_to(input, pos_weight, "pos_weight")
    if pos_weight is not None and pos_weight.dtype.name == "bool":  # PyTorch's pos_weight - 1
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported: "
            "binary_cross_entropy_with_logits subtracts 1 from pos_weight (pos_weight.float())"
        )
    # PyTorch computes the loss in the target's dtype, whatever the input's and weights'.
    input, weight, pos_weight = (in_dtype(t, target.dtype) for t in (input, weight, pos_weight))
    return ops.BinaryCrossEntropyWithLogits.apply(input, target, weight, pos_weight, reduction)
