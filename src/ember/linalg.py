"""``ember.linalg``: norms, solvers and the singular value decomposition, named as in
``torch.linalg``."""

from .ops.norms import linalg_norm as norm
from .ops.norms import matrix_norm, vector_norm
from .ops.solvers import LinAlgError, det, inv, lstsq, solve
from .ops.svd import svd, svdvals

__all__ = [
    "LinAlgError",
    "det",
    "inv",
    "lstsq",
    "matrix_norm",
    "norm",
    "solve",
    "svd",
    "svdvals",
    "vector_norm",
]
