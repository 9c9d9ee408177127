"""Probability distributions, as ``torch.distributions``: the ones the book meets.

Chapter 2.6 of *Dive into Deep Learning* tosses dice with
``distributions.multinomial.Multinomial``; a Multinomial counts the draws of a
``Categorical``, which samples class indices and scores them. Draws come from
ember's generator (``ember.manual_seed`` repeats them), not PyTorch's.
"""

from . import categorical, distribution, multinomial
from .categorical import Categorical
from .distribution import Distribution
from .multinomial import Multinomial

__all__ = ["Categorical", "Distribution", "Multinomial"]
