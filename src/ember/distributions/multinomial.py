"""Multinomial: how often each of k classes comes up in ``total_count`` categorical draws.

A Multinomial holds a Categorical for its probabilities and logits, and adds the count:
its samples are counts per class, and log_prob scores counts.
"""

import math
import numbers

from .. import dtypes
from ..autograd.grad_mode import no_grad
from ..creation import arange, as_tensor
from ..ops.broadcasting import broadcast_tensors
from ..ops.gamma import lgamma
from ..ops.selection import where
from ..size import Size
from .categorical import Categorical
from .distribution import Distribution
from .sampling import draw_counts, host_probabilities, refuse_no_draws
from .utils import probs_to_logits


class Multinomial(Distribution):
    """Counts of ``total_count`` draws from a Categorical of ``probs`` or ``logits``: a
    sample has the parameter's shape, its last dim holding the count of each class.

        Multinomial(10, torch.ones(6) / 6).sample()  # ten tosses of a fair die
    """

    # repr lists no parameter, as PyTorch's does: probs and logits are the Categorical's.
    _parameter_names = ()

    def __init__(self, total_count=1, probs=None, logits=None, validate_args=None):
        if not isinstance(total_count, int):
            raise NotImplementedError(
                f"Multinomial takes one total_count for the whole batch, a Python int; got "
                f"{type(total_count).__name__} {total_count!r}"
            )
        # The categorical and the count are checked as PyTorch checks them: by the default
        # validation, whatever validate_args says (it governs log_prob's values).
        if Distribution._validate_args and total_count < 0:
            raise ValueError(f"Multinomial's total_count must be 0 or more, got {total_count}")
        self.total_count = total_count
        categorical = Categorical(probs=probs, logits=logits)
        self._categorical = categorical
        super().__init__(categorical.batch_shape, categorical.param_shape[-1:], validate_args)

    def _check_parameters(self):
        # validate_args=True checks the probs or logits even where the default validation,
        # which the Categorical above followed, is off: PyTorch's checks them again here.
        self._categorical._check_parameters()

    @property
    def probs(self):
        return self._categorical.probs

    @property
    def logits(self):
        return self._categorical.logits

    @property
    def param_shape(self):
        return self._categorical.param_shape

    @property
    def mean(self):
        return self.probs * self.total_count

    @property
    def variance(self):
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape=()):
        """Counts of shape sample_shape + batch_shape + (k,), in the dtype of probs."""
        sample_shape = Size(sample_shape)
        refuse_no_draws(self.total_count * sample_shape.numel(), "Multinomial")
        with no_grad():
            probs = self.probs
            counts = draw_counts(
                host_probabilities(probs), self.total_count, sample_shape + self.batch_shape
            )
        return as_tensor(counts, dtype=probs.dtype, device=probs.device)

    def log_prob(self, value):
        """log(n! / (x_1! ... x_k!)) + sum(x_i log p_i) for counts x summing to n, which
        broadcast with the batch; differentiable in probs or logits."""
        if self._validate_args:
            self._validate_sample(value)
        value = _counts_tensor(value, self.logits)
        # Broadcast first, as PyTorch does: unvalidated counts of fewer classes are
        # stretched across the classes before they are summed.
        logits, value = broadcast_tensors(self.logits, value)
        # A class of probability 0 (a logit of -inf) drawn 0 times adds 0, not 0 * -inf.
        never_drawn = (value == 0) & (logits == -math.inf)
        powers = (where(never_drawn, 0.0, logits) * value).sum(-1)
        return _log_factorial(value.sum(-1)) - _log_factorial(value).sum(-1) + powers

    def entropy(self):
        """n H(p) - log n! + sum over classes i and counts k = 1..n of P(x_i = k) log k!,
        where x_i, the count of class i, is Binomial(n, p_i)."""
        n, probs = self.total_count, self.probs
        counts = arange(1, n + 1, dtype=probs.dtype, device=probs.device)
        counts = counts.reshape((n,) + (1,) * probs.dim())  # one count per row, before probs
        weighted = _binomial_log_probs(probs, n, counts).exp() * _log_factorial(counts)
        return n * self._categorical.entropy() - math.lgamma(n + 1) + weighted.sum((0, -1))

    def _in_support(self, value):
        return (value >= 0).all(-1) & (value.sum(-1) <= self.total_count)

    def _support_words(self):
        return f"non-negative counts that sum to at most {self.total_count} per distribution"


def _log_factorial(counts):
    """log(counts!) as lgamma(counts + 1), in the float dtype of counts (the default one for
    integer counts)."""
    if not counts.is_floating_point():
        counts = counts.to(dtypes.get_default_dtype())
    return lgamma(counts + 1)


def _binomial_log_probs(probs, total_count, counts):
    """log P(k) of a Binomial(total_count, p) for each count k (a column: counts along the
    first dim) and each probability p of ``probs``, written in the log-odds of p, as
    PyTorch's Binomial computes it: k log-odds - log k! - log (n-k)! - n log(1 + e^log-odds)
    + log n!, the last term split at 0 so that it never overflows."""
    log_odds = probs_to_logits(probs, is_binary=True)
    log_one_plus_exp = _max_with_zero(log_odds) + (-log_odds.abs()).exp().log1p()
    normaliser = total_count * log_one_plus_exp - math.lgamma(total_count + 1)
    return (
        counts * log_odds
        - _log_factorial(counts)
        - _log_factorial(total_count - counts)
        - (normaliser)
    )


def _max_with_zero(x):
    """max(x, 0), whose gradient at 0 is 1/2 (half of each side's), as PyTorch's is here."""
    return (x.clamp(min=0) + x - x.clamp(max=0)) / 2


def _counts_tensor(value, logits):
    """Unvalidated counts as a tensor: a number becomes one of the logits' dtype, as
    PyTorch's broadcast_all makes it; anything else but a tensor is its ValueError."""
    if isinstance(value, numbers.Number):
        return as_tensor(value, dtype=logits.dtype, device=logits.device)
    if not hasattr(value, "shape"):
        raise ValueError(
            f"Multinomial.log_prob takes a tensor or a number of counts, not {type(value).__name__}"
        )
    return value
