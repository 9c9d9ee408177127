"""``ember.linalg``: norms and solvers, named as in ``torch.linalg``."""

from .ops.linalg import LinAlgError, det, inv, lstsq, matrix_norm, solve, vector_norm
from .ops.linalg import linalg_norm as norm

__all__ = ["LinAlgError", "det", "inv", "lstsq", "matrix_norm", "norm", "solve", "vector_norm"]
