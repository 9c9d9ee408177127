"""The losses that score a prediction as a distribution: the Kullback-Leibler divergence
and the Poisson and Gaussian negative log-likelihoods.

PyTorch composes each from core ops, and so does ember: the engine already knows
every gradient, to any order. ``nn.functional`` exports them.
"""

import math
import warnings

from ..arguments import bool_argument, check_bools
from ..autograd.grad_mode import no_grad
from ..backend import cpu_namespace
from ..backend import namespace_of as xp  # the array namespace of an array
from ..creation import ones_like
from ..function_forms import check_tensor_arguments
from ..tensor import Tensor
from .functional_arguments import (
    REDUCTIONS,
    as_written_in_place,
    chosen_reduction,
    number_argument,
    reduced,
    reduction_name,
)

HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """``target * (log(target) - input)``, summed as ``reduction`` says: ``input`` holds
    log-probabilities, ``target`` probabilities (log-probabilities with ``log_target``).

    'batchmean' divides the sum by the batch size (dim 0), which is the divergence;
    'mean' divides by the number of elements, and warns as PyTorch does.
    """
    if size_average is not None or reduce is not None:
        applied = chosen_reduction(size_average, reduce, "mean")
    else:
        if reduction == "mean":
            warnings.warn(
                "reduction: 'mean' divides the total loss by both the batch size and the "
                "support size. 'batchmean' divides only by the batch size, and aligns with the "
                "KL div math definition. 'mean' will be changed to behave the same as "
                "'batchmean' in the next major release.",
                UserWarning,
                stacklevel=3,  # the caller, past the check of the arguments' types
            )
        applied = chosen_reduction(None, None, "sum" if reduction == "batchmean" else reduction)
    if not (input.is_floating_point() and target.is_floating_point()):
        raise RuntimeError(
            f"kl_div: Integral inputs not supported (got {input.dtype} and {target.dtype}): "
            "give it floating-point log-probabilities and targets"
        )
    if bool_argument(log_target, "kl_div", "log_target"):
        loss = target.exp() * (target - input)
    else:  # xlogy: a target of 0 adds 0, where 0 * log(0) would be nan
        loss = target.xlogy(target) - target * input
    loss = reduced(loss, applied)
    if reduction == "batchmean" and input.ndim != 0:
        loss = loss / input.shape[0]
    return loss


def poisson_nll_loss(
    input,
    target,
    log_input=True,
    full=False,
    size_average=None,
    eps=1e-8,
    reduce=None,
    reduction="mean",
):
    """``exp(input) - target * input`` for a log-rate ``input`` (``input - target *
    log(input + eps)`` for a rate); ``full`` adds Stirling's approximation of
    ``log(target!)`` where the target is above 1."""
    check_bools("poisson_nll_loss", log_input=log_input, full=full)
    eps = number_argument("poisson_nll_loss", "eps", eps, "float")
    if size_average is None and reduce is None and reduction not in REDUCTIONS:
        reduction_name("poisson_nll_loss", reduction)
        # PyTorch checks the name itself here: no 'elementwise_mean'
        raise ValueError(f"{reduction} is not a valid value for reduction")
    reduction = chosen_reduction(size_average, reduce, reduction)
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        stirling = target * target.log() - target + 0.5 * (2 * math.pi * target).log()
        loss.add_(stirling.masked_fill(target <= 1, 0))  # in place, as PyTorch: its dtype
    return reduced(loss, reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """``0.5 * (log(var) + (input - target)^2 / var)``, with ``var`` raised to at least
    ``eps`` (that raise takes no part in the gradient, as in PyTorch); ``full`` adds
    ``0.5 * log(2 pi)``.

    ``var`` is a float, a tensor of the input's shape, or one with a single dim of
    size 1 (or the last dim missing): one variance shared along that dim.
    """
    var = _variance_like(input, var)
    if reduction not in ("none", "mean", "sum"):
        reduction_name("gaussian_nll_loss", reduction)
        raise ValueError(f"{reduction} is not valid (use 'none', 'mean' or 'sum')")
    var = var.clone()
    with no_grad():
        var.clamp_(min=eps)
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss = as_written_in_place(loss + HALF_LOG_TWO_PI)  # PyTorch's +=
    return reduced(loss, reduction)


def _variance_like(input, var):
    """``var`` checked, and shaped to broadcast against ``input``, as PyTorch does."""
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        return var * ones_like(input)
    if not isinstance(var, Tensor):
        raise TypeError(
            f"gaussian_nll_loss(): var must be a Tensor or a float, not {type(var).__name__}"
        )
    _refuse_negative(var)
    if var.shape == input.shape:
        return var
    if var.shape == input.shape[:-1]:  # one variance per row of the last dim
        return var.unsqueeze(-1)
    if var.ndim == input.ndim:
        # PyTorch's test: the sizes of var where it differs from the input add up to 1,
        # which is one dim of size 1 to broadcast along
        differing = [size for size, wanted in zip(var.shape, input.shape) if size != wanted]
        if sum(differing) == 1:
            return var
    raise ValueError(
        f"var is of incorrect size: {list(var.shape)} for an input of {list(input.shape)} "
        "(give it the input's shape, drop the last dim, or make one dim 1)"
    )


def _refuse_negative(var):
    """Checked on the CPU only: on a GPU the answer would make the host wait."""
    data = var._data
    if xp(data) is cpu_namespace and (data < 0).any():
        raise ValueError("var has negative entry/entries")


# The functions whose first two arguments PyTorch's kernels take only as tensors.
check_tensor_arguments(globals(), first_only="", first_two="kl_div poisson_nll_loss")
