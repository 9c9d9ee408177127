"""Multinomial: how often each of k classes comes up in ``total_count`` categorical draws.

A Multinomial holds a Categorical for its probabilities and logits, and adds the count:
its samples are counts per class, and log_prob scores counts.
"""

import math

from .. import backend, dtypes
from ..autograd.grad_mode import no_grad
from ..creation import as_tensor
from ..ops.selection import where
from ..size import Size
from .categorical import Categorical
from .distribution import Distribution
from .sampling import draw_counts, host_probabilities, refuse_no_draws

np = backend.cpu_namespace


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
        logits = self.logits
        # A class of probability 0 (a logit of -inf) drawn 0 times adds 0, not 0 * -inf.
        never_drawn = (value == 0) & (logits == -math.inf)
        powers = (where(never_drawn, 0.0, logits) * value).sum(-1)
        return _log_factorial(value.sum(-1)) - _log_factorial(value).sum(-1) + powers

    def _in_support(self, value):
        return (value >= 0).all(-1) & (value.sum(-1) <= self.total_count)

    def _support_words(self):
        return f"non-negative counts that sum to at most {self.total_count} per distribution"


def _log_factorial(counts):
    """log(counts!) as lgamma(counts + 1), in the float dtype of counts (the default one for
    integer counts). ember has no lgamma op, so Python's computes it on the host; the
    counts are data, not parameters, so no gradient flows through them."""
    dtype = counts.dtype if counts.is_floating_point() else dtypes.get_default_dtype()
    host = counts.detach().cpu().numpy().astype(np.float64) + 1
    return as_tensor(np.asarray(_log_gamma(host), np.float64), dtype=dtype, device=counts.device)


def _log_gamma_of_number(x):
    try:
        return math.lgamma(x)
    except (ValueError, OverflowError):  # a pole (0, -1, ...) or a huge x: PyTorch's inf
        return math.inf


_log_gamma = np.frompyfunc(_log_gamma_of_number, 1, 1)
