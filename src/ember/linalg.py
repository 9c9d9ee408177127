"""``ember.linalg``: products, norms, solvers, decompositions and functions of matrices,
named as in ``torch.linalg``."""

from .ops.decompositions import cholesky, cholesky_ex, qr, solve_triangular
from .ops.eigen import eigh, eigvalsh
from .ops.linalg import matmul
from .ops.matrix_functions import cond, inv_ex, matrix_exp, matrix_rank, pinv, slogdet
from .ops.norms import linalg_norm as norm
from .ops.norms import matrix_norm, vector_norm
from .ops.products import linalg_cross as cross
from .ops.products import matrix_power, multi_dot, vecdot
from .ops.solvers import LinAlgError, det, inv, lstsq, solve
from .ops.svd import svd, svdvals

__all__ = [
    "LinAlgError",
    "cholesky",
    "cholesky_ex",
    "cond",
    "cross",
    "det",
    "eigh",
    "eigvalsh",
    "inv",
    "inv_ex",
    "lstsq",
    "matmul",
    "matrix_exp",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "multi_dot",
    "norm",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "solve_triangular",
    "svd",
    "svdvals",
    "vecdot",
    "vector_norm",
]
