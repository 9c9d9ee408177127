"""The margin losses: soft margin, margin ranking, hinge and cosine embedding, triplet,
multi-class and multi-label margins.

Most are compositions of core ops, as in PyTorch, so the engine knows their
gradients to any order. The three that PyTorch records as one node (soft margin
and the two multi-class margins) are one Function each here, forward on arrays
and backward in ember's tensor ops. ``nn.functional`` exports them all.
"""

from .. import backend
from ..arguments import bool_argument, check_tensors
from ..autograd.function import Function
from ..autograd.grad_mode import is_grad_enabled
from ..backend import namespace_of as xp  # the array namespace of an array
from ..device import check_same_device
from ..function_forms import check_tensor_arguments
from ..ops import operands as O
from ..ops.selection import minimum, where
from ..ops.unary_math import sigmoid
from ..tensor import Tensor
from .functional import logsigmoid, pairwise_distance
from .functional_arguments import (
    as_written_in_place,
    chosen_reduction,
    number_argument,
    reduced,
    reduction_name,
    refuse_weight_with_grad,
)
from .functional_ops import reduced_loss_array, reduction_scale

COSINE_EPSILON = 1e-12  # added to each squared norm, as PyTorch does


# Binary margins ------------------------------------------------------------------------


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """``log(1 + exp(-target * input))`` for targets of 1 and -1, in the input's dtype."""
    reduction = chosen_reduction(size_average, reduce, reduction)
    _check_soft_margin_operands(input, target)
    return SoftMarginLoss.apply(input, target, reduction)


def _check_soft_margin_operands(input, target):
    """PyTorch writes the loss into a tensor like the input: a target that would grow it,
    and an input that cannot hold it (integers), are errors."""
    if input.dtype.name == "bool":
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported: soft_margin_loss "
            "negates its input (input.float())"
        )
    if target.shape != input.shape:
        error = O.broadcast_error(input, target)
        if error is not None:
            raise error
        shape = backend.cpu_namespace.broadcast_shapes(tuple(input.shape), tuple(target.shape))
        if shape != tuple(input.shape):
            raise RuntimeError(
                f"output with shape {list(input.shape)} doesn't match the broadcast shape "
                f"{list(shape)}: soft_margin_loss's target must not be larger than its input"
            )
    if not input.is_floating_point():
        raise RuntimeError(
            f"result type Float can't be cast to the desired output type {input.dtype}: "
            "soft_margin_loss needs a floating-point input (input.float())"
        )
    if target.requires_grad and is_grad_enabled():
        raise RuntimeError(
            "soft_margin_loss is not differentiable with respect to its target, but the target "
            "requires grad: pass target.detach()"
        )
    check_same_device(input._data, target._data, "soft_margin_loss")


class SoftMarginLoss(Function):
    """``log1p(exp(-target * input))``, reduced, as one node; backward is ``-target *
    sigmoid(-target * input)`` times the gradient (over n for 'mean')."""

    saves_inputs = True
    listed_inputs = (0,)  # PyTorch takes no gradient for the target, nor lists it

    def forward(self, input, target, reduction):
        self.reduction, self.count = reduction, input.size
        namespace = xp(input)
        # PyTorch's order: the product rounded to the input's dtype, then exp and log1p
        # (which overflow to inf past a margin of about 88 in float32, as PyTorch's do)
        exponent = (-input * target).astype(input.dtype, copy=False)
        return reduced_loss_array(namespace.log1p(namespace.exp(exponent)), reduction)

    def backward(self, grad):
        input, target, _ = self.inputs
        grad = reduction_scale(grad, self.reduction, self.count)
        return -target * sigmoid(-target * input) * grad, None, None


def margin_ranking_loss(
    input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"
):
    """``max(0, -target * (input1 - input2) + margin)``: a target of 1 asks input1 to rank
    higher, -1 lower."""
    reduction = chosen_reduction(size_average, reduce, reduction)
    if not input1.ndim == input2.ndim == target.ndim:
        raise RuntimeError(
            "margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: {input1.shape}, input2: {input2.shape}, target: {target.shape}"
        )
    margin = float(number_argument("margin_ranking_loss", "margin", margin))
    hinges = (-target * (input1 - input2) + margin).clamp_min(0)
    return reduced(as_written_in_place(hinges), reduction)  # PyTorch's clamp_min_


def hinge_embedding_loss(
    input, target, margin=1.0, size_average=None, reduce=None, reduction="mean"
):
    """``input`` where the target is 1, ``max(0, margin - input)`` where it is -1 (the sum of
    both for other targets); ``input`` is usually a distance."""
    reduction = chosen_reduction(size_average, reduce, reduction)
    margin = number_argument("hinge_embedding_loss", "margin", margin)
    # PyTorch casts the margin to the input's dtype (a bool margin is then a number)
    margin = float(margin) if input.is_floating_point() else int(margin)
    below_margin = (margin - input).clamp_min(0)
    loss = where(target != 1, below_margin, 0) + where(target != -1, input, 0)
    return reduced(loss, reduction)


def cosine_embedding_loss(
    input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"
):
    """``1 - cos(input1, input2)`` where the target is 1, ``max(0, cos - margin)`` where it
    is -1; the cosine is along the last dim of 1-d (one pair) or 2-d inputs."""
    reduction = chosen_reduction(size_average, reduce, reduction)
    check_tensors("cosine_embedding_loss", target=target)
    dim = _check_embedding_pair(input1, input2, target)
    products = (input1 * input2).sum(dim)
    squares1 = (input1 * input1).sum(dim) + COSINE_EPSILON
    squares2 = (input2 * input2).sum(dim) + COSINE_EPSILON
    cosine = products / (squares1 * squares2).sqrt()
    margin = float(number_argument("cosine_embedding_loss", "margin", margin))
    similar = where(target == 1, 1 - cosine, 0)
    dissimilar = where(target == -1, (cosine - margin).clamp_min(0), 0)
    return reduced(similar + dissimilar, reduction)


def _check_embedding_pair(input1, input2, target):
    """The dim the cosine is taken along: a 0-d target goes with 1-d inputs, a 1-d one
    (one per row) with 2-d inputs."""
    if target.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    wanted = target.ndim + 1
    if input1.ndim != wanted or input2.ndim != wanted:
        raise RuntimeError(
            f"{target.ndim}D target tensor expects {wanted}D input tensors, but found inputs "
            f"with sizes {list(input1.shape)} and {list(input2.shape)}."
        )
    return target.ndim


def triplet_margin_loss(
    anchor,
    positive,
    negative,
    margin=1.0,
    p=2,
    eps=1e-6,
    swap=False,
    size_average=None,
    reduce=None,
    reduction="mean",
):
    """``max(0, margin + d(anchor, positive) - d(anchor, negative))``, d the ``p``-norm
    distance along the last dim; ``swap`` takes the nearer of the negative's distances to
    the anchor and to the positive."""
    reduction = chosen_reduction(size_average, reduce, reduction)
    check_tensors("triplet_margin_loss", negative=negative)
    margin = number_argument("triplet_margin_loss", "margin", margin, "float")
    p = number_argument("triplet_margin_loss", "p", p, "float")
    eps = number_argument("triplet_margin_loss", "eps", eps, "float")
    bool_argument(swap, "triplet_margin_loss", "swap")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    if not anchor.ndim == positive.ndim == negative.ndim:
        raise RuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number "
            f"of dimensions, but got: anchor {anchor.ndim}D, positive {positive.ndim}D, and "
            f"negative {negative.ndim}D inputs"
        )
    to_positive = pairwise_distance(anchor, positive, p, eps)
    to_negative = pairwise_distance(anchor, negative, p, eps)
    if swap:
        to_negative = minimum(to_negative, pairwise_distance(positive, negative, p, eps))
    return reduced((margin + to_positive - to_negative).clamp_min(0), reduction)


# Multi-class and multi-label margins ---------------------------------------------------


def multilabel_soft_margin_loss(
    input, target, weight=None, size_average=None, reduce=None, reduction="mean"
):
    """The binary cross-entropy of each class's logit against a 0/1 target, averaged over
    the classes (the last dim): one loss per sample."""
    if size_average is not None or reduce is not None:
        reduction = chosen_reduction(size_average, reduce, reduction)
    reduction_name("multilabel_soft_margin_loss", reduction)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.ndim - 1
    loss = loss.sum(class_dim) / input.size(class_dim)
    if reduction not in ("none", "mean", "sum"):  # checked last, as PyTorch does
        raise ValueError(f"{reduction} is not valid (use 'none', 'mean' or 'sum')")
    return reduced(loss, reduction)


def multi_margin_loss(
    input,
    target,
    p=1,
    margin=1.0,
    weight=None,
    size_average=None,
    reduce=None,
    reduction="mean",
):
    """For each sample, ``max(0, margin - x[y] + x[j])^p`` summed over the classes j other
    than its target y and divided by the number of classes; ``weight[y]`` scales it."""
    reduction = chosen_reduction(size_average, reduce, reduction)
    if p != 1 and p != 2:
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.ndim != 1:
        raise ValueError("weight must be one-dimensional")
    refuse_weight_with_grad(weight, "multi_margin_loss")  # PyTorch's autograd, before its kernel
    rows, classes = _margin_input_size(input, "multi_margin_loss")
    if target.ndim > 1 or target.numel() != rows:
        raise RuntimeError(
            "multi_margin_loss: target tensor should be 1-D with size equal to the number of "
            f"input samples (batch size). Expected target size [{rows}], but got "
            f"{list(target.shape)}."
        )
    if weight is not None and weight.numel() != classes:
        raise RuntimeError(
            f"inconsistent weight size, expected {classes} but got {list(weight.shape)}"
        )
    _check_margin_dtypes(input, target, weight, "multi_margin_loss")
    margin = float(number_argument("multi_margin_loss", "margin", margin))
    return MultiMarginLoss.apply(input, target, weight, p, margin, reduction)


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """For each sample, ``max(0, 1 - (x[y] - x[k]))`` summed over its target classes y and
    the other classes k, over the number of classes. A row of ``target`` lists the target
    classes and ends at the first -1."""
    reduction = chosen_reduction(size_average, reduce, reduction)
    rows, classes = _margin_input_size(input, "multilabel_margin_loss")
    if input.ndim <= 1:  # one sample: a list of its target classes
        fits = target.ndim <= 1 and target.numel() == classes
    else:
        fits = tuple(target.shape) == (rows, classes)
    if not fits:
        raise RuntimeError(
            f"inconsistent target size: {list(target.shape)} for input of size: {list(input.shape)}"
        )
    _check_label_range(target._data, classes)  # before the dtypes, as in PyTorch
    _check_margin_dtypes(input, target, None, "multilabel_margin_loss")
    return MultilabelMarginLoss.apply(input, target, reduction)


def _check_label_range(labels, classes):
    """Checked on the CPU only: on a GPU the answer would make the host wait."""
    if xp(labels) is backend.cpu_namespace and ((labels < -1) | (labels >= classes)).any():
        raise RuntimeError(
            f"argument #2 'target' is out of range: class indices must lie in [0, "
            f"{classes}), with -1 ending a row's list (multilabel_margin_loss)"
        )


def _margin_input_size(input, name):
    """(samples, classes) of a 0-d (one score), 1-d (one sample) or 2-d input."""
    shape = tuple(input.shape)
    if not (len(shape) == 0 or (len(shape) <= 2 and shape[-1] != 0)):
        raise RuntimeError(
            f"Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
            f"{list(shape)} ({name} takes one sample's scores, or a batch of them)"
        )
    rows = shape[0] if len(shape) == 2 else 1
    return rows, shape[-1] if shape else 1


def _check_margin_dtypes(input, target, weight, name):
    # PyTorch's kernel checks the dtype only where it has rows to compute; an empty
    # float16 input gets its empty (or summed to 0) float16 loss
    computed = input.numel() or not input.is_floating_point()
    if input.dtype.name not in ("float32", "float64") and computed:
        raise NotImplementedError(
            f"\"{name}\" not implemented for '{input.dtype}': the loss needs a float32 or "
            "float64 input"
        )
    if target.dtype.name != "int64":
        raise RuntimeError(
            f"expected scalar type Long but found {target.dtype}: {name}'s target holds "
            "class indices (target.long())"
        )
    if weight is not None and weight.dtype != input.dtype:
        raise RuntimeError(
            f"expected scalar type {input.dtype} but found {weight.dtype}: {name}'s weight "
            "must have the input's dtype"
        )
    check_same_device(input._data, target._data, name)


def _reduce_per_sample(losses, reduction, keep_rows):
    """Per-sample losses (one row each) summed or averaged over the samples; 'none' keeps
    one per row, or a 0-d loss for an input of one unbatched sample."""
    if reduction == "none":
        return losses if keep_rows else losses.reshape(())
    total = backend.reduction(losses, "sum", None)  # quiet: see _summed_hinges
    if reduction == "sum":
        return total
    return total / losses.dtype.type(len(losses)) if len(losses) else total * float("nan")


def _summed_hinges(hinges, axes, classes):
    """The hinges summed over ``axes``, over the number of classes. By backend.reduction:
    the array's sum() warns of an overflow from NumPy's own module, past ember's filter
    (PyTorch's inf is quiet)."""
    return backend.reduction(hinges, "sum", axes) / hinges.dtype.type(classes)


class MultiMarginLoss(Function):
    """multi_margin_loss as one node: the hinges on arrays; backward in tensor ops."""

    saves_inputs = True
    listed_inputs = (0,)  # PyTorch takes no gradient for the target and weight, nor lists them

    def forward(self, input, target, weight, p, margin, reduction):
        namespace = xp(input)
        scores = input.reshape(-1, input.shape[-1] if input.ndim else 1)
        rows, classes = scores.shape
        picked = target.reshape(rows)
        if namespace is backend.cpu_namespace and ((picked < 0) | (picked >= classes)).any():
            raise RuntimeError(
                f"target out of range: class indices must lie in [0, {classes}) (multi_margin_loss)"
            )
        self.shape, self.p, self.margin, self.reduction = input.shape, p, margin, reduction
        self.picked = picked[:, None]
        self.others = namespace.arange(classes) != self.picked  # the classes to beat
        self.row_weight = None if weight is None else weight[picked][:, None]
        target_scores = namespace.take_along_axis(scores, self.picked, 1)
        hinges = margin - target_scores + scores
        hinges = namespace.where(hinges > 0, hinges, 0)  # a NaN hinge adds 0, as in PyTorch
        if p == 2:
            hinges *= hinges
        if self.row_weight is not None:
            hinges *= self.row_weight
        losses = _summed_hinges(namespace.where(self.others, hinges, 0), 1, classes)
        losses = losses.astype(input.dtype, copy=False)
        return _reduce_per_sample(losses, reduction, keep_rows=target.ndim > 0)

    def backward(self, grad):
        input = self.inputs[0]
        others = Tensor._make(self.others.astype(input._data.dtype))
        rows, classes = self.others.shape
        scores = input.reshape(rows, classes)
        target_scores = scores.gather(1, Tensor._make(self.picked))
        margins = self.margin - target_scores + scores
        active = margins > 0  # not at NaN, whose hinge adds 0
        slope = others * active
        if self.p == 2:
            slope = 2 * where(active, margins, 0) * slope
        if self.row_weight is not None:
            slope = slope * Tensor._make(self.row_weight)
        slope = slope * (_per_row(grad, self.reduction, rows) / classes)
        grad_scores = slope - (1 - others) * slope.sum(1, keepdim=True)
        return grad_scores.reshape(self.shape), None, None, None, None, None


class MultilabelMarginLoss(Function):
    """multilabel_margin_loss as one node: the hinges of every (target class, other class)
    pair on arrays; backward, a fixed slope per element, in tensor ops."""

    listed_inputs = (0,)  # PyTorch takes no gradient for the target, nor lists it

    def forward(self, input, target, reduction):
        namespace = xp(input)
        scores = input.reshape(-1, input.shape[-1] if input.ndim else 1)
        rows, classes = scores.shape
        labels = target.reshape(rows, classes)
        listed = namespace.cumprod(labels != -1, axis=1).astype(bool)  # before the first -1
        labels = namespace.where(listed, labels, 0)
        # pairs[n, j, k]: the j-th listed target class of row n, against class k
        is_label = (labels[:, :, None] == namespace.arange(classes)) & listed[:, :, None]
        pairs = listed[:, :, None] & ~is_label.any(1)[:, None, :]
        target_scores = namespace.take_along_axis(scores, labels, 1)
        hinges = 1 - target_scores[:, :, None] + scores[:, None, :]
        active = pairs & (hinges > 0)
        losses = _summed_hinges(namespace.where(active, hinges, 0), (1, 2), classes)
        # each active pair adds 1 to its other class's slope and takes 1 from its target's
        counts = active.sum(1) - (is_label * active.sum(2)[:, :, None]).sum(1)
        self.slope = (counts / hinges.dtype.type(classes)).astype(input.dtype)
        self.shape, self.reduction = input.shape, reduction
        losses = losses.astype(input.dtype, copy=False)
        return _reduce_per_sample(losses, reduction, keep_rows=input.ndim == 2)

    def backward(self, grad):
        rows = self.slope.shape[0]
        slope = Tensor._make(self.slope) * _per_row(grad, self.reduction, rows)
        return slope.reshape(self.shape), None, None


def _per_row(grad, reduction, rows):
    """The output's gradient as a column, one value per row (over the rows for 'mean')."""
    if reduction == "none":
        return grad.reshape(rows, 1)
    return grad / rows if reduction == "mean" and rows else grad


# The functions whose first two arguments PyTorch's kernels take only as tensors.
check_tensor_arguments(
    globals(),
    first_only="multilabel_soft_margin_loss",
    first_two="soft_margin_loss hinge_embedding_loss cosine_embedding_loss triplet_margin_loss "
    "multi_margin_loss multilabel_margin_loss",
)
