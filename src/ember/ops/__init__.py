"""ember's ops, one family per module: elementwise arithmetic, unary math, rounding,
selection, comparisons, reductions, cumulative ops, movement, joining, splitting,
indexing, in-place updates, linear algebra and device transfer."""

from . import elementwise  # first: unary_math imports its pow
