"""What Categorical and Multinomial share: a parameter computed on first use, and the
conversions between probabilities and logits."""

import functools

from .. import backend
from ..autograd.grad_mode import enable_grad

np = backend.cpu_namespace


class lazy_property:
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


def probs_to_logits(probs):
    """Log-probabilities, with each probability kept a machine epsilon away from 0 and 1
    so that a zero gives a large negative logit and a finite gradient rather than -inf."""
    eps = float(np.finfo(probs.dtype.numpy_type).eps)
    return probs.clamp(min=eps, max=1 - eps).log()


def lowest_number(dtype):
    """The most negative finite number of a floating dtype (torch.finfo(dtype).min)."""
    return float(np.finfo(dtype.numpy_type).min)


def logits_to_probs(logits):
    return logits.softmax(-1)
