"""ember: a small, fast, readable deep-learning framework with PyTorch's API.

    import ember as torch

The core is a Tensor (``tensor.py``) whose ops (``ops/``) record a graph that
``autograd/engine.py`` walks backward. Everything else (nn, optim, data, the
book's helpers, the command line) is built on that public API.
"""

from .tensor import Tensor  # noqa: I001 - first: the ops attach their methods to it

from math import e, inf, nan, pi

from . import autograd, cuda, linalg, random, viz
from .runtime import (
    are_deterministic_algorithms_enabled,
    backends,
    compile,
    get_num_threads,
    set_num_threads,
    use_deterministic_algorithms,
)
from .autograd.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .creation import (
    arange,
    as_tensor,
    empty,
    empty_like,
    empty_strided,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    logspace,
    ones,
    ones_like,
    scalar_tensor,
    tensor,
    zeros,
    zeros_like,
)
from .creation import inclusive_range as range  # noqa: A004 - PyTorch's name
from .device import device, get_default_device, set_default_device
from .function_forms import check_tensor_arguments
from .arguments import sequence_argument as _sequence_argument
from .dtypes import (
    bool,
    can_cast,
    double,
    dtype,
    float,
    float16,
    float32,
    float64,
    finfo,
    get_default_dtype,
    half,
    iinfo,
    int,
    int8,
    int16,
    int32,
    int64,
    long,
    promote_types,
    set_default_dtype,
    short,
    uint8,
)
from .ops.comparisons import (
    allclose,
    bitwise_and,
    bitwise_left_shift,
    bitwise_not,
    bitwise_or,
    bitwise_right_shift,
    bitwise_xor,
    eq,
    equal,
    ge,
    greater,
    greater_equal,
    gt,
    is_nonzero,
    is_same_size,
    isclose,
    isfinite,
    isinf,
    isnan,
    isneginf,
    isposinf,
    isreal,
    le,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    lt,
    ne,
    not_equal,
)
from .ops.elementwise import (
    add,
    addcdiv,
    addcmul,
    arctan2,
    atan2,
    div,
    floor_divide,
    fmax,
    fmin,
    fmod,
    hypot,
    lerp,
    logaddexp,
    logaddexp2,
    mul,
    nan_to_num,
    neg,
    pow,
    remainder,
    sub,
    true_divide,
    xlogy,
)
from .ops.real_numbers import (
    conj,
    conj_physical,
    imag,
    is_conj,
    is_neg,
    real,
    resolve_conj,
    resolve_neg,
)
from .ops.view_scatters import diagonal_scatter, select_scatter, slice_scatter
from .ops.rounding import (
    angle,
    ceil,
    fix,
    floor,
    frac,
    round,
    sign,
    trunc,
)
from .ops.selection import (
    clamp,
    clamp_max,
    clamp_min,
    clip,
    maximum,
    minimum,
    where,
)
from .ops.unary_math import (
    abs,
    acos,
    acosh,
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctanh,
    asin,
    asinh,
    atan,
    atanh,
    cos,
    cosh,
    exp,
    exp2,
    expm1,
    log,
    log10,
    log1p,
    log2,
    reciprocal,
    relu,
    rsqrt,
    sigmoid,
    sin,
    sinh,
    sqrt,
    square,
    tan,
    tanh,
)
from .ops.einsum import einsum
from .ops.gathering import (
    gather,
    index_select,
    masked_select,
    scatter,
    scatter_add,
    scatter_reduce,
    take_along_dim,
)
from .ops.linalg import bmm, dot, ger, inner, matmul, mm, mv, outer, vdot
from .ops.distances import cdist, dist
from .ops.products import (
    addbmm,
    addmm,
    addmv,
    addr,
    baddbmm,
    chain_matmul,
    cross,
    kron,
    matrix_power,
    tensordot,
)
from .ops.matrix_parts import (
    block_diag,
    diag,
    diag_embed,
    diagflat,
    diagonal,
    trace,
    tril,
    tril_indices,
    triu,
    triu_indices,
    vander,
)
from .ops.grids import cartesian_prod, combinations, unravel_index
from .ops.broadcasting import broadcast_shapes, broadcast_tensors, meshgrid
from .ops.movement import matrix_transpose as adjoint
from .ops.norms import norm
from .ops.solvers import inv as inverse
from .ops.joining import (
    atleast_1d,
    atleast_2d,
    atleast_3d,
    cat,
    column_stack,
    concat,
    concatenate,
    dstack,
    hstack,
    row_stack,
    stack,
    vstack,
)
from .ops.movement import (
    clone,
    flatten,
    flip,
    fliplr,
    flipud,
    moveaxis,
    movedim,
    narrow,
    ravel,
    roll,
    rot90,
    select,
    squeeze,
    swapaxes,
    t,
    transpose,
    unflatten,
    unsqueeze,
)
from .ops.splitting import (
    chunk,
    dsplit,
    hsplit,
    split,
    split_with_sizes,
    tensor_split,
    unbind,
    vsplit,
)
from .ops.repetition import repeat_interleave, tile
from .ops.raw_views import as_strided, as_strided_
from .ops.reductions import (
    all,
    amax,
    amin,
    any,
    argmax,
    argmin,
    count_nonzero,
    logsumexp,
    max,
    mean,
    min,
    nanmean,
    nansum,
    prod,
    std,
    std_mean,
    sum,
    var,
    var_mean,
)
from .ops.cumulative import cummax, cummin, cumprod, cumsum, diff, logcumsumexp
from .ops.sorting import argsort, kthvalue, msort, sort, topk, unique
from .ops.searching import bucketize, isin, searchsorted, unique_consecutive
from .ops.statistics import (
    aminmax,
    bincount,
    histc,
    median,
    mode,
    nanmedian,
    nanquantile,
    quantile,
)

# Decompositions and matrix functions (ops/decompositions.py, ops/matrix_functions.py, the
# older torch.svd in ops/svd.py); each checks its own arguments.
from .ops.decompositions import cholesky_deprecated as cholesky
from .ops.decompositions import cholesky_inverse, cholesky_solve, triangular_solve
from .ops.decompositions import qr_deprecated as qr
from .ops.matrix_functions import det_torch as det
from .ops.matrix_functions import logdet, matrix_exp, pinverse
from .ops.matrix_functions import slogdet_torch as slogdet
from .ops.svd import svd_with_v as svd

from .printing import set_printoptions
from .random import (
    Generator,
    bernoulli,
    get_rng_state,
    initial_seed,
    manual_seed,
    multinomial,
    normal,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
    seed,
    set_rng_state,
)
from .size import Size
from .tensor_methods import log_softmax, softmax

__version__ = "0.1.0"


def is_tensor(obj):
    return isinstance(obj, Tensor)


def numel(input):
    """The number of elements of ``input``: the product of its sizes.

    >>> ember.numel(ember.zeros(2, 3))
    6
    """
    return input.numel()


def is_floating_point(input):
    return input.is_floating_point()


def detach(input):
    return input.detach()


def dropout(input, p, train):
    from .nn.functional import dropout as functional_dropout

    return functional_dropout(input, p, train)


def result_type(tensor1, tensor2):
    from .dtypes import result_type as promote

    return promote(tensor1, tensor2)


def nonzero(input, *, as_tuple=False):
    return input.nonzero(as_tuple=as_tuple)


def argwhere(input):
    return input.argwhere()


def masked_fill(input, mask, value):
    return input.masked_fill(mask, value)


# PyTorch's function forms take a shape or dims as one sequence, where its methods take
# loose ints too: torch.reshape(x, -1) is a TypeError, x.reshape(-1) is not.
def reshape(input, shape):
    """``input``'s elements, in order, in a tensor of ``shape`` (a tuple or list; one size
    may be -1, worked out from the others). A view when it can be, else a copy.

    >>> x = ember.arange(6)
    >>> ember.reshape(x, (2, 3))
    tensor([[0, 1, 2],
            [3, 4, 5]])
    >>> ember.reshape(x, (-1,)).shape
    ember.Size([6])
    """
    return input.reshape(_sequence_argument(shape, "reshape", "shape"))


def permute(input, dims):
    return input.permute(_sequence_argument(dims, "permute", "dims"))


def broadcast_to(input, size):
    return input.broadcast_to(_sequence_argument(size, "broadcast_to", "size"))


# The function forms refuse what is not a tensor, as PyTorch's do. (Arithmetic such as
# add, sub and pow takes a number on either side, and cat and stack check their lists.)
check_tensor_arguments(
    globals(),
    first_only="""
        abs adjoint all allclose amax bitwise_and bitwise_not bitwise_or bitwise_xor amin any
        argmax argmin argwhere bernoulli broadcast_to ceil chunk clamp clip clone cos
        count_nonzero cumsum detach empty_like eq exp expm1 flatten flip floor full_like ge gt
        inverse is_floating_point isclose isfinite isinf isnan le log log10 log1p log2
        isposinf isneginf isreal is_nonzero is_same_size angle conj conj_physical real
        resolve_conj resolve_neg is_conj is_neg imag
        log_softmax logical_and logical_not logical_or logical_xor logsumexp lt max maximum mean
        min minimum multinomial narrow ne neg nonzero numel ones_like permute prod rand_like select
        randint_like randn_like reciprocal relu reshape round rsqrt sigmoid sign sin softmax
        sqrt square squeeze std sum swapaxes t tanh transpose trunc unbind unsqueeze var where
        zeros_like
        acos acosh addcdiv addcmul arccos arccosh arcsin arcsinh arctan arctanh asin asinh atan
        atanh clamp_max clamp_min cosh cumprod diff exp2 fix fmod frac lerp nanmean nansum sinh
        std_mean tan var_mean movedim moveaxis unflatten
        gather index_select scatter scatter_add scatter_reduce take_along_dim argsort kthvalue
        msort sort topk unique greater greater_equal less less_equal not_equal nan_to_num diag
        diagonal trace tril triu ravel repeat_interleave roll tile tensor_split hsplit vsplit
        dsplit
        matrix_power
        median nanmedian quantile nanquantile mode aminmax cummax cummin logcumsumexp bincount
        histc searchsorted unique_consecutive
        fliplr flipud rot90 split_with_sizes diag_embed diagflat combinations vander unravel_index
    """,
    first_two="""
        bmm dot equal inner masked_fill matmul mm mv outer arctan2 atan2 fmax fmin hypot
        addmm addmv addr baddbmm addbmm vdot ger kron tensordot cross dist cdist
        masked_select
    """,
)

multiply, divide, subtract, negative, absolute = mul, div, sub, neg, abs
newaxis = None  # x[:, ember.newaxis], as NumPy and PyTorch write it
swapdims = transpose
addmv_ = Tensor.addmv_  # PyTorch has this one in-place form as a function too

# Index writes as functions (fill_diagonal_ is a method only, as in PyTorch): of slices
# along a dim (ops/slice_writes.py), and at a mask, flat positions or an advanced index
# (ops/index_writes.py).
from .ops.index_writes import index_put, index_put_, masked_scatter, put, take  # noqa: E402
from .ops.slice_writes import index_add, index_copy, index_fill, index_reduce  # noqa: E402

check_tensor_arguments(
    globals(),
    first_only=(
        "index_add index_copy index_fill index_put index_put_ index_reduce masked_scatter put take"
    ),
    first_two="",
)

# The gamma family (ops/gamma.py) and numeric statistics (ops/numeric_statistics.py). The
# torch.special names (gammaln, psi, i0e, i1, i1e...) are bound in special.py.
from .ops.gamma import digamma, i0, lgamma, mvlgamma, polygamma  # noqa: E402
from .ops.numeric_statistics import (  # noqa: E402
    corrcoef,
    cov,
    cumulative_trapezoid,
    gradient,
    histogram,
    renorm,
    trapezoid,
    trapz,
)

check_tensor_arguments(
    globals(),
    first_only="lgamma digamma mvlgamma i0 cov corrcoef histogram renorm trapezoid trapz "
    "cumulative_trapezoid gradient",
    first_two="",
)
i0_ = Tensor.i0_  # PyTorch has this in-place form as a function too

# Special functions (ops/error_function.py, ops/special_functions.py): the erf family, the
# parts of a float, gcd and lcm, and the ember.special namespace.
from .ops.error_function import erf, erfc, erfinv  # noqa: E402
from .ops.special_functions import (  # noqa: E402
    copysign,
    deg2rad,
    float_power,
    frexp,
    gcd,
    heaviside,
    lcm,
    ldexp,
    logit,
    nextafter,
    positive,
    rad2deg,
    sgn,
    signbit,
    sinc,
)

check_tensor_arguments(
    globals(),
    first_only="erf erfc erfinv copysign deg2rad frexp logit positive rad2deg sgn signbit sinc",
    first_two="gcd heaviside lcm ldexp nextafter",
)
# PyTorch has these in-place forms as functions too.
erf_, erfc_, sinc_, logit_ = Tensor.erf_, Tensor.erfc_, Tensor.sinc_, Tensor.logit_
deg2rad_, rad2deg_, ldexp_ = Tensor.deg2rad_, Tensor.rad2deg_, Tensor.ldexp_
gcd_, lcm_ = Tensor.gcd_, Tensor.lcm_
_TENSOR_METHODS_AS_FUNCTIONS = (
    "abs_ acos_ acosh_ arccos_ arccosh_ arcsin_ arcsinh_ arctan_ arctanh_ asin_ asinh_ atan_ "
    "atanh_ ceil_ clamp_ clamp_max_ clamp_min_ clip_ cos_ cosh_ detach_ exp2_ exp_ expm1_ "
    "fill_ fix_ floor_ frac_ log10_ log1p_ log2_ log_ nan_to_num_ neg_ negative_ reciprocal_ "
    "relu_ round_ rsqrt_ sigmoid_ sin_ sinh_ sqrt_ square_ tan_ tanh_ trunc_ xlogy_ zero_ "
    "is_complex is_signed"
)
for _name in _TENSOR_METHODS_AS_FUNCTIONS.split():
    globals()[_name] = getattr(Tensor, _name)
check_tensor_arguments(globals(), first_only=_TENSOR_METHODS_AS_FUNCTIONS, first_two="")
del check_tensor_arguments  # a helper of ember's, not PyTorch's API
from . import special  # noqa: E402

# The book prints type(x): <class 'ember.Tensor'>, as PyTorch's <class 'torch.Tensor'>.
for _public_class in (Tensor, Size, dtype, device):
    _public_class.__module__ = "ember"


# Last: the packages built on the public API above.
from . import distributions, nn, optim, utils  # noqa: E402

# nn.functional's forms that PyTorch has at the top level too.
from .nn.functional import (  # noqa: E402
    celu,
    celu_,
    cosine_similarity,
    hardshrink,
    pairwise_distance,
    pdist,
    selu,
    selu_,
    threshold,
    threshold_,
)
from .serialization import load, save  # noqa: E402
