"""Categorical: one class index out of k, drawn with the given probabilities.

It keeps the parameter it was given (probs normalised to sum to 1, or logits normalised
so that their exponentials do) and computes the other on first use; log_prob and
entropy read the logits, sampling reads the probabilities.
"""

import math

from .. import dtypes
from ..autograd.grad_mode import no_grad
from ..creation import arange, as_tensor, full
from ..ops.selection import where
from ..size import Size
from .distribution import Distribution
from .sampling import draw_categories, host_probabilities, refuse_no_draws
from .utils import lazy_property, logits_to_probs, probs_to_logits


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
            _require_a_class_dim(probs, "probs")
            self.probs = probs / probs.sum(-1, keepdim=True)
            self._given_parameter = self.probs
        else:
            _require_a_class_dim(logits, "logits")
            self.logits = logits - logits.logsumexp(-1, keepdim=True)
            self._given_parameter = self.logits
        self._class_count = self._given_parameter.shape[-1]
        super().__init__(self._given_parameter.shape[:-1], validate_args=validate_args)

    @lazy_property
    def probs(self):
        return logits_to_probs(self.logits)

    @lazy_property
    def logits(self):
        return probs_to_logits(self.probs)

    @property
    def param_shape(self):
        return self._given_parameter.shape

    def _check_parameters(self):
        if "probs" in vars(self):
            _check_probs(self.probs)
        else:
            _check_logits(self.logits)

    def sample(self, sample_shape=()):
        sample_shape = Size(sample_shape)
        with no_grad():
            probs = self.probs  # kept from here on, even if no draws are asked for, as in PyTorch
            refuse_no_draws(sample_shape.numel(), "Categorical")
            draws = draw_categories(host_probabilities(probs), sample_shape.numel())
        draws = draws.reshape(self._extended_shape(sample_shape))
        return as_tensor(draws, dtype=dtypes.int64, device=probs.device)

    def log_prob(self, value):
        """The log-probability of each class index in ``value``, which broadcasts with the
        batch shape. Differentiable in probs or logits."""
        if self._validate_args:
            self._validate_sample(value)
        index = value.long()
        logits = self.logits
        chosen = index.unsqueeze(-1) == arange(self._class_count, device=logits.device)
        # where, not a product with a one-hot mask: 0 * -inf (a class of probability 0
        # that was not chosen) would be NaN.
        log_probs = where(chosen, logits, 0.0).sum(-1)
        if not self._validate_args and log_probs.numel():  # an empty batch picks nothing
            self._check_index_in_range(index)
        return log_probs

    def _check_index_in_range(self, index):
        """Unvalidated indices still pick a logit, as PyTorch's gather does: one that picks
        none would score a log-probability of 0."""
        outside = (index < 0) | (index >= self._class_count)
        if bool(outside.any()):
            raise RuntimeError(
                f"Categorical.log_prob: class index {int(index[outside][0])} is out of range "
                f"for {self._class_count} classes (0 to {self._class_count - 1})"
            )

    def entropy(self):
        # A logit of -inf times its probability 0 is NaN; the dtype's lowest number times
        # 0 is 0, as it should be.
        logits = self.logits.clamp(min=dtypes.finfo(self.logits.dtype).min)
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
        return (value % 1 == 0) & (value >= 0) & (value <= self._class_count - 1)

    def _support_words(self):
        return f"a whole number from 0 to {self._class_count - 1}"


def _require_a_class_dim(parameter, name):
    if parameter.dim() < 1:
        raise ValueError(
            f"Categorical's {name} must have at least one dim (the classes), got a "
            f"0-dim tensor; wrap it: tensor([{name}])"
        )


def _check_probs(probs):
    """PyTorch's simplex check on normalised probs: non-negative rows that sum to 1 (a
    NaN, an inf or a row of zeros before normalising fails it)."""
    on_simplex = (probs >= 0).all(-1) & ((probs.sum(-1) - 1).abs() < 1e-6)
    if not bool(on_simplex.all()):
        raise ValueError(
            f"Categorical's probs (shape {tuple(probs.shape)}) must be finite and "
            f"non-negative, with a positive sum over the last dim; normalised they are {probs}"
        )


def _check_logits(logits):
    if bool(logits.isnan().any()):
        raise ValueError(
            f"Categorical's logits (shape {tuple(logits.shape)}) must not be NaN once "
            f"normalised (a NaN logit, a +inf one, or a row all -inf makes them NaN); "
            f"normalised they are {logits}"
        )
