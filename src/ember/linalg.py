"""``ember.linalg``: norms and solvers, named as in ``torch.linalg``."""

from .ops.norms import linalg_norm as norm
from .ops.norms import matrix_norm, vector_norm
from .ops.solvers import LinAlgError, det, inv, lstsq, solve

__all__ = ["LinAlgError", "det", "inv", "lstsq", "matrix_norm", "norm", "solve", "vector_norm"]
