"""ember.special: PyTorch's ``torch.special``, the special functions under their SciPy names.

Most are ember's own ops under a second name (``expit`` is ``sigmoid``, ``erf`` is
``ember.erf``); the normal distribution's ``ndtr``, ``log_ndtr`` and ``ndtri``, and
``erfcx``, ``xlog1py`` and ``entr``, live only here, in ``ops/error_function.py`` and
``ops/special_functions.py``.
"""

from . import tensor_methods
from .function_forms import check_tensor_arguments
from .ops import rounding
from .ops.elementwise import xlogy
from .ops.error_function import erf, erfc, erfcx, erfinv, log_ndtr, ndtr, ndtri
from .ops.reductions import logsumexp
from .ops.special_functions import entr, logit, sinc, xlog1py
from .ops.unary_math import exp2, expm1, log1p
from .ops.unary_math import sigmoid as expit


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
    "entr",
    "erf",
    "erfc",
    "erfcx",
    "erfinv",
    "exp2",
    "expit",
    "expm1",
    "log1p",
    "log_ndtr",
    "log_softmax",
    "logit",
    "logsumexp",
    "ndtr",
    "ndtri",
    "round",
    "sinc",
    "softmax",
    "xlog1py",
    "xlogy",
]

# ---- The gamma family goes here -------------------------------------------------------
# gammaln, digamma, psi, polygamma, multigammaln and the Bessel functions i0, i0e, i1, i1e
# come from the gamma family's own ops module (ops/gamma.py): import them here, add their
# names to __all__, and those that take a tensor first to the check below.


# The function forms refuse what is not a tensor, as PyTorch's do (xlogy and xlog1py take a
# number on either side).
check_tensor_arguments(
    globals(),
    first_only="""
        erf erfc erfcx erfinv log_ndtr ndtr ndtri logsumexp round entr logit sinc exp2 expm1
        log1p expit softmax log_softmax
    """,
    first_two="",
)
