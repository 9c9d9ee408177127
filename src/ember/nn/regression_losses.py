"""The regression losses: squared error (``mse_loss``), absolute error (``l1_loss``), and
the two that are squared near zero and absolute far from it (``huber_loss``,
``smooth_l1_loss``). ``nn.functional`` exports them.

mse, huber and smooth L1 are one node each, as in PyTorch (``functional_ops``); l1 and the
weighted forms are compositions of core ops.
"""

from ..ops import operands as O
from ..tensor import Tensor
from . import functional_ops as ops
from .functional_arguments import (
    broadcast_pair,
    chosen_reduction,
    in_dtype,
    number_argument,
    reduced,
    refuse_integer_input,
    refuse_integer_pair,
)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    if weight is not None:
        return _weighted_loss(_squared, input, target, weight, size_average, reduce, reduction)
    input, target = broadcast_pair(input, target)  # before the reduction, as in PyTorch
    reduction = chosen_reduction(size_average, reduce, reduction)
    if isinstance(target, Tensor):
        refuse_integer_pair(input, target, "mse_loss")
        return O.binary(ops.MseLoss, input, target, reduction)
    return reduced(_squared(input, target), reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    if weight is not None:
        return _weighted_loss(_absolute, input, target, weight, size_average, reduce, reduction)
    input, target = broadcast_pair(input, target)
    reduction = chosen_reduction(size_average, reduce, reduction)
    return reduced(_absolute(input, target), reduction)


def _squared(input, target):
    return (input - target) ** 2


def _absolute(input, target):
    return (input - target).abs()


def _weighted_loss(
    pointwise, input, target, weight, size_average, reduce, reduction, weighted_mean=True
):
    """mse, l1 or huber with a weight per element, as PyTorch's Python computes them: the
    weight has the input's own shape (before broadcasting), the reduction's name is
    checked only after the loss (no 'elementwise_mean' here), and 'mean' divides by the
    sum of the weights (for huber, by the number of elements)."""
    if size_average is not None or reduce is not None:
        reduction = chosen_reduction(size_average, reduce, reduction)
    input_shape = tuple(input.shape)
    input, target = broadcast_pair(input, target)
    if tuple(weight.shape) != input_shape:
        raise ValueError("Weights and input must have the same size.")
    loss = pointwise(input, target) * weight
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.sum() / weight.sum() if weighted_mean else loss.mean()
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Squared error inside ``|x - y| < delta``, linear (slope delta) outside.

    Unlike the other regression losses, the result has the input's dtype (PyTorch
    writes it into a tensor like the input), whatever the target's.
    """

    def pointwise(input, target):
        return _huber(input, target, input_dtype, delta, "none")

    input_dtype = input.dtype
    delta = number_argument("huber_loss", "delta", delta)
    if weight is not None:
        # PyTorch multiplies its unreduced node by the weight and reduces after: a plain
        # mean (unlike mse/l1, whose weighted 'mean' divides by the sum of the weights)
        return _weighted_loss(
            pointwise, input, target, weight, None, None, reduction, weighted_mean=False
        )
    input, target = broadcast_pair(input, target)  # warns first, as in PyTorch
    return _huber(input, target, input_dtype, delta, chosen_reduction(None, None, reduction))


def _huber(input, target, input_dtype, delta, reduction):
    """huber_loss of a broadcast pair, after PyTorch's checks of its kernel."""
    if not delta > 0:  # NaN too
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if not input_dtype.is_floating_point and target.is_floating_point():
        raise RuntimeError(
            f"result type {target.dtype} can't be cast to the desired output type {input_dtype}: "
            "huber_loss writes its result in the input's dtype (input.float())"
        )
    refuse_integer_input(input, "huber_loss")
    input = in_dtype(input, input_dtype)  # back from a broadcast's promotion: exact
    return ops.HuberLoss.apply(input, target, reduction, delta)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """Huber loss divided by ``beta``; plain L1 when ``beta`` is 0."""
    input, target = broadcast_pair(input, target)  # PyTorch's order: broadcast, name, beta
    reduction = chosen_reduction(size_average, reduce, reduction)
    beta = number_argument("smooth_l1_loss", "beta", beta)
    if not beta >= 0:  # NaN too
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:  # plain L1, integers included (as in PyTorch)
        return reduced((input - target).abs(), reduction)
    refuse_integer_pair(input, target, "smooth_l1_loss")
    if not (input.is_floating_point() and target.is_floating_point()):
        input, target = O.promote(input, target)  # NumPy promotes two floats as PyTorch does
    return ops.SmoothL1Loss.apply(input, target, reduction, beta)
