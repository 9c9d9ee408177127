"""``ember.linalg``: products, norms, solvers and the singular value decomposition, named
as in ``torch.linalg``."""

from .ops.linalg import matmul
from .ops.norms import linalg_norm as norm
from .ops.norms import matrix_norm, vector_norm
from .ops.products import linalg_cross as cross
from .ops.products import matrix_power, multi_dot, vecdot
from .ops.solvers import LinAlgError, det, inv, lstsq, solve
from .ops.svd import svd, svdvals

__all__ = [
    "LinAlgError",
    "cross",
    "det",
    "inv",
    "lstsq",
    "matmul",
    "matrix_norm",
    "matrix_power",
    "multi_dot",
    "norm",
    "solve",
    "svd",
    "svdvals",
    "vecdot",
    "vector_norm",
]
