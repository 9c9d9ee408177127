"""ember.special: PyTorch's ``torch.special``, the special functions under their SciPy names.

Most are ember's own ops under a second name (``expit`` is ``sigmoid``, ``erf`` is
``ember.erf``); the normal distribution's ``ndtr``, ``log_ndtr`` and ``ndtri``, and
``erfcx``, ``xlog1py`` and ``entr``, live only here, in ``ops/error_function.py`` and
``ops/special_functions.py``, and ``i0e``, ``i1`` and ``i1e`` in ``ops/gamma.py``.
"""

from . import tensor_methods
from .function_forms import check_tensor_arguments
from .ops import rounding
from .ops.elementwise import xlogy
from .ops.error_function import erf, erfc, erfcx, erfinv, log_ndtr, ndtr, ndtri
from .ops.gamma import digamma, i0, i0e, i1, i1e, polygamma
from .ops.gamma import lgamma as gammaln
from .ops.gamma import mvlgamma as multigammaln
from .ops.reductions import logsumexp
from .ops.special_functions import entr, logit, sinc, xlog1py
from .ops.unary_math import exp2, expm1, log1p
from .ops.unary_math import sigmoid as expit

psi = digamma


def round(input, *, decimals=0):
    """``ember.round`` by its ``decimals`` form, as PyTorch's special.round is: it refuses
    integer and bool tensors, and its node is ``RoundBackward1``."""
    return rounding.round(input, decimals=decimals)


def softmax(input, dim, dtype=None):
    """``ember.softmax`` with ``dim`` required, as here in PyTorch."""
    return tensor_methods.softmax(input, dim, dtype)


def log_softmax(input, dim, *, dtype=None):
    """``ember.log_softmax`` with ``dim`` required and ``dtype`` by name only (PyTorch's
    special.softmax takes it by position, its log_softmax does not)."""
    return tensor_methods.log_softmax(input, dim, dtype)


__all__ = [
    "digamma",
    "entr",
    "erf",
    "erfc",
    "erfcx",
    "erfinv",
    "exp2",
    "expit",
    "expm1",
    "gammaln",
    "i0",
    "i0e",
    "i1",
    "i1e",
    "log1p",
    "log_ndtr",
    "log_softmax",
    "logit",
    "logsumexp",
    "multigammaln",
    "ndtr",
    "ndtri",
    "polygamma",
    "psi",
    "round",
    "sinc",
    "softmax",
    "xlog1py",
    "xlogy",
]

# The function forms refuse what is not a tensor, as PyTorch's do (xlogy and xlog1py take a
# number on either side).
check_tensor_arguments(
    globals(),
    first_only="""
        erf erfc erfcx erfinv log_ndtr ndtr ndtri logsumexp round entr logit sinc exp2 expm1
        log1p expit softmax log_softmax gammaln digamma psi multigammaln i0
    """,
    first_two="",
)
del check_tensor_arguments  # a helper of ember's, not PyTorch's API
