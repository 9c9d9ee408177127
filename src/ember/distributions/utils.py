"""The parameter helpers of ``torch.distributions.utils``, under PyTorch's module name:
``lazy_property``, which computes the parameter a distribution was not given on first
use, and the two conversions it computes with, between probabilities and logits."""

import functools

from ..autograd.grad_mode import enable_grad
from ..dtypes import finfo


class lazy_property:  # noqa: N801 - PyTorch's public name
    """A parameter computed from the one given (logits from probs, or probs from logits) on
    first use, then kept on the instance, so repr lists it from then on, as PyTorch's does.
    It is computed with gradients on, so it stays differentiable in the parameter given."""

    def __init__(self, compute):
        self.compute = compute
        functools.update_wrapper(self, compute)

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        with enable_grad():
            value = self.compute(instance)
        instance.__dict__[self.compute.__name__] = value  # found before this descriptor now
        return value


def logits_to_probs(logits):
    """Probabilities from logits: a softmax over the last dim (the classes)."""
    return logits.softmax(-1)


def probs_to_logits(probs, is_binary=False):
    """Log-probabilities, with each probability kept a machine epsilon away from 0 and 1
    so that a zero gives a large negative logit and a finite gradient rather than -inf.
    ``is_binary``: each probability is one of two outcomes', and its logit is the log-odds
    log(p / (1 - p))."""
    eps = finfo(probs.dtype).eps
    clamped = probs.clamp(min=eps, max=1 - eps)
    if is_binary:
        return clamped.log() - (-clamped).log1p()
    return clamped.log()
