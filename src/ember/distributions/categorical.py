"""Categorical: one class index out of k, drawn with the given probabilities."""

import math

from .. import dtypes
from ..autograd.grad_mode import no_grad
from ..creation import arange, full
from ..ops.selection import where
from ..size import Size
from .distribution import Distribution
from .sampling import draw_categories, host_probabilities, refuse_no_draws, to_tensor
from .utils import lazy_property, logits_to_probs, lowest_number, probs_to_logits


class Categorical(Distribution):
    """Class indices 0 .. k-1 drawn with ``probs`` (any non-negative weights, normalised
    over the last dim) or ``logits`` (unnormalised log-probabilities). Leading dims of the
    parameter are a batch of independent distributions."""

    _parameter_names = ("probs", "logits")

    def __init__(self, probs=None, logits=None, validate_args=None):
        if (probs is None) == (logits is None):
            given = "neither" if probs is None else "both"
            raise ValueError(f"Categorical takes either probs or logits, not {given}")
        if probs is not None:
            _require_a_vector(probs, "probs")
            self.probs = probs / probs.sum(-1, keepdim=True)
            self._param = self.probs
        else:
            _require_a_vector(logits, "logits")
            self.logits = logits - logits.logsumexp(-1, keepdim=True)
            self._param = self.logits
        self._num_events = self._param.shape[-1]
        batch_shape = self._param.shape[:-1] if self._param.dim() > 1 else Size()
        super().__init__(batch_shape, validate_args=validate_args)

    @lazy_property
    def probs(self):
        return logits_to_probs(self.logits)

    @lazy_property
    def logits(self):
        return probs_to_logits(self.probs)

    @property
    def param_shape(self):
        return self._param.shape

    def _check_parameters(self):
        if "probs" in vars(self):
            probs = self.probs
            normalised = (probs >= 0).all(-1) & ((probs.sum(-1) - 1).abs() < 1e-6)
            if not bool(normalised.all()):
                raise ValueError(
                    f"Categorical's probs (shape {tuple(probs.shape)}) must be finite and "
                    f"non-negative, with a positive sum over the last dim; normalised they "
                    f"are {probs}"
                )
        if "logits" in vars(self):
            logits = self.logits
            if not bool((logits == logits).all()):
                raise ValueError(
                    f"Categorical's logits (shape {tuple(logits.shape)}) must not be NaN once "
                    f"normalised (a NaN logit, a +inf one, or a row all -inf makes them NaN); "
                    f"normalised they are {logits}"
                )

    def sample(self, sample_shape=()):
        sample_shape = Size(sample_shape)
        refuse_no_draws(sample_shape.numel(), "Categorical")
        with no_grad():
            probs = self.probs
            draws = draw_categories(host_probabilities(probs), sample_shape.numel())
        return to_tensor(
            draws.reshape(self._extended_shape(sample_shape)), dtypes.int64, probs.device
        )

    def log_prob(self, value):
        """The log-probability of each class index in ``value``, which broadcasts with the
        batch shape. Differentiable in probs or logits."""
        if self._validate_args:
            self._validate_sample(value)
        logits = self.logits
        chosen = value.long().unsqueeze(-1) == arange(self._num_events, device=logits.device)
        # where, not a product with a one-hot mask: 0 * -inf (a class of probability 0
        # that was not chosen) would be NaN.
        return where(chosen, logits, 0.0).sum(-1)

    def entropy(self):
        # A logit of -inf times its probability 0 is NaN; the dtype's lowest number times
        # 0 is 0, as it should be.
        logits = self.logits.clamp(min=lowest_number(self.logits.dtype))
        return -(logits * self.probs).sum(-1)

    @property
    def mode(self):
        return self.probs.argmax(-1)

    @property
    def mean(self):
        return self._undefined_moment()

    @property
    def variance(self):
        return self._undefined_moment()

    def _undefined_moment(self):
        """Class indices have no mean or variance: NaN for each distribution of the batch."""
        probs = self.probs
        return full(self._extended_shape(), math.nan, dtype=probs.dtype, device=probs.device)

    def _in_support(self, value):
        return (value % 1 == 0) & (value >= 0) & (value <= self._num_events - 1)

    def _support_words(self):
        return f"a whole number from 0 to {self._num_events - 1}"


def _require_a_vector(parameter, name):
    if parameter.dim() < 1:
        raise ValueError(
            f"Categorical's {name} must have at least one dim (the classes), got a "
            f"0-dim tensor; wrap it: tensor([{name}])"
        )
