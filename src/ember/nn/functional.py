"""``nn.functional``: the math of every layer and loss, as plain functions.

Modules hold state and call these; these hold no state. The hot ops
(``linear``, ``softmax``, ``log_softmax``, the likelihood losses) and the losses
that PyTorch records as one node (mse, huber, smooth L1, the binary
cross-entropies) are single Functions in ``functional_ops``; the rest are
compositions of core ops, whose gradients the engine already knows.

This file holds the activations, distances, ``one_hot``, ``dropout`` and ``linear``. The
losses live in a file per family (``regression_losses``, ``classification_losses``,
``likelihood_losses``, ``margin_losses``), and what layers and losses share in reading
their arguments in ``functional_arguments``; all are exported from here.
"""

import math
import warnings

from .. import dtypes
from ..arguments import bool_argument, check_tensors, integer_argument
from ..autograd.grad_mode import is_grad_enabled
from ..backend import cpu_namespace
from ..backend import namespace_of as xp  # the array namespace of an array
from ..device import check_same_device
from ..function_forms import check_tensor_arguments
from ..ops import indexing as I
from ..ops import operands as O
from ..ops import selection as W
from ..ops import unary_math as U
from ..random import rand
from ..tensor import Tensor
from . import activations as A
from . import functional_ops as ops
from .functional_arguments import (
    as_written_in_place,
    check_on_one_device,
    expanded,
    number_argument,
)

# Activations -------------------------------------------------------------------


def relu(input, inplace=False):
    return input.relu_() if inplace else U.relu(input)


def relu_(input):
    return input.relu_()


def sigmoid(input):
    return U.sigmoid(input)


def tanh(input):
    return U.tanh(input)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    slope = number_argument("leaky_relu", "negative_slope", negative_slope)
    return _maybe_in_place(A.LeakyRelu, "leaky_relu", input, inplace, slope)


def elu(input, alpha=1.0, inplace=False):
    alpha = number_argument("elu", "alpha", alpha)
    return _maybe_in_place(A.Elu, "elu", input, inplace, alpha)


def silu(input, inplace=False):
    return _maybe_in_place(A.Silu, "silu", input, inplace)


def softplus(input, beta=1.0, threshold=20.0):
    beta = number_argument("softplus", "beta", beta)
    threshold = number_argument("softplus", "threshold", threshold)
    return A.apply_floating(A.Softplus, "softplus", input, beta, threshold)


def gelu(input, approximate="none"):
    if not isinstance(approximate, str):
        raise TypeError(
            f"gelu(): argument 'approximate' must be str, not {type(approximate).__name__}"
        )
    if approximate not in ("none", "tanh"):
        raise RuntimeError(f"approximate argument must be either none or tanh, got '{approximate}'")
    return A.apply_floating(A.Gelu, "gelu", input, approximate)


def prelu(input, weight):
    """``input`` where positive, ``weight * input`` elsewhere; weight has one value, or
    one per channel (dim 1 of the input)."""
    _check_prelu_weight(input, weight)
    return A.PreluKernel.apply(input, weight)


def _check_prelu_weight(input, weight):
    check_same_device(input._data, weight._data, "prelu")
    if weight.ndim > 1:
        raise RuntimeError(
            f"prelu takes one weight, or a 1-d tensor of one per channel; got a weight of "
            f"{weight.ndim} dims"
        )
    if input.dtype != weight.dtype:
        raise RuntimeError(
            f"prelu does not promote: the input is {input.dtype} and the weight {weight.dtype}; "
            "give the weight the input's dtype"
        )
    if not input.is_floating_point():
        raise NotImplementedError(f"\"prelu\" not implemented for '{input.dtype}'")
    count = weight.numel()
    if count == 1:
        return
    if input.ndim == 0:
        raise RuntimeError(
            f"prelu of a 0-d input takes one weight, not {count}: {count} weights need a "
            "channel dim"
        )
    channels = input.shape[1] if input.ndim > 1 else 1
    if count != channels:
        raise RuntimeError(
            f"prelu has {count} weights for an input of {channels} channels (dim 1): give one "
            "weight, or one per channel"
        )


def _maybe_in_place(op, name, input, inplace, *options):
    """``op`` of ``input``, or written back into it as ``relu(inplace=True)`` does: on a
    clone when a graph is recorded, since the op saves its input for backward."""
    if not inplace:
        return A.apply_floating(op, name, input, *options)
    source = input.clone() if input.requires_grad and is_grad_enabled() else input
    I.setitem(input, Ellipsis, A.apply_floating(op, name, source, *options))
    return input


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    return _softmax_family(ops.Softmax, "softmax", input, dim, _stacklevel, dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    return _softmax_family(ops.LogSoftmax, "log_softmax", input, dim, _stacklevel, dtype)


def _softmax_family(function, name, input, dim, stacklevel, dtype):
    if dtype is not None:  # read as to(dtype=) reads it: a name too (docs/differences.md)
        input = input.to(dtype=dtype)
    if dim is None:
        warnings.warn(
            f"Implicit dimension choice for {name} has been deprecated. "
            "Change the call to include dim=X as an argument.",
            UserWarning,
            stacklevel=stacklevel,
        )
        dim = 0 if input.ndim in (0, 1, 3) else 1
    axis = input._dim(dim)  # checked before the dtype, as PyTorch does
    if not input.is_floating_point():
        if input._data.size == 0:  # PyTorch returns nothing computed, of any dtype
            return Tensor._make(input._data.copy())
        raise NotImplementedError(f"\"{name}\" not implemented for '{input.dtype}'")
    if input.ndim == 0:  # one value: normalised over all (no) dims, in one node
        return function.apply(input, None)
    return function.apply(input, axis)


def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability ``p``; scale the rest by 1 / (1 - p)."""
    p = number_argument("dropout", "p", p, "float")
    bool_argument(training, "dropout", "train")
    if not 0.0 <= p <= 1.0:
        error = RuntimeError if p != p else ValueError  # PyTorch's kernel is the one to see NaN
        raise error(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0 or input.numel() == 0:  # PyTorch hands back the input itself
        return input
    if p == 1.0:  # a mask of zeros: input * mask is nan where input is, the gradient 0
        keep = xp(input._data).zeros_like(input._data)
    elif not input.is_floating_point():  # the kept values are scaled by a float
        raise RuntimeError(
            f"dropout of a {input.dtype} tensor: its kept values are scaled by 1 / (1 - p), "
            f"a float, which can't be cast to the desired output type (use input.float())"
        )
    else:
        draws = rand(input.shape, dtype=input.dtype, device=input.device)._data
        keep = (draws >= p).astype(input._data.dtype) * input._data.dtype.type(1.0 / (1.0 - p))
    mask = Tensor._make(keep)
    return input.mul_(mask) if inplace else input * mask


# More activations, distances and one_hot (nn.functional's second family) -----------

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def relu6(input, inplace=False):
    return hardtanh(input, 0.0, 6.0, inplace)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    min_val = number_argument("hardtanh", "min_val", min_val)
    max_val = number_argument("hardtanh", "max_val", max_val)
    if min_val > max_val:
        raise ValueError(
            f"min_val cannot be greater than max_val: hardtanh got min_val={min_val} and "
            f"max_val={max_val}"
        )
    return _hardtanh(input, min_val, max_val, inplace)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    """hardtanh in place, without hardtanh's check of the bounds (as in PyTorch, whose
    kernel then clamps to min_val, then to max_val: every value becomes max_val)."""
    min_val = number_argument("hardtanh", "min_val", min_val)
    max_val = number_argument("hardtanh", "max_val", max_val)
    return _hardtanh(input, min_val, max_val, True)


def _hardtanh(input, min_val, max_val, inplace):
    if input.dtype == dtypes.bool:
        raise RuntimeError("Bool inputs not supported for hardtanh (convert with .float())")
    if not input.is_floating_point():  # PyTorch takes the bounds in the input's type
        if input.dtype == dtypes.uint8 and min_val < 0:
            raise RuntimeError(
                f"cannot do hardtanh on an unsigned type with negative limits (min_val={min_val})"
            )
        min_val, max_val = int(min_val), int(max_val)
    # in the input's type, as PyTorch takes them: 1e300 is its RuntimeError for float32, and
    # 1e-40 is 0 for float16
    min_val, max_val = dtypes.in_dtype(min_val, input.dtype), dtypes.in_dtype(max_val, input.dtype)
    return _of_any_numbers(A.Hardtanh, "hardtanh", input, inplace, min_val, max_val)


def threshold(input, threshold, value, inplace=False):
    return _threshold(input, threshold, value, inplace)


def threshold_(input, threshold, value):
    return _threshold(input, threshold, value, True)


def _threshold(input, threshold, value, inplace):
    threshold = number_argument("threshold", "threshold", threshold)
    value = number_argument("threshold", "value", value)
    if input.dtype == dtypes.bool:
        raise NotImplementedError("\"threshold\" not implemented for 'ember.bool'")
    # both converted to its type, as PyTorch converts them: -1.5 is -1, -1 wraps into a
    # uint8 (-0.5 not), and 1e300 is refused for float32
    threshold = dtypes.checked_number(threshold, input.dtype)
    value = dtypes.checked_number(value, input.dtype)
    return _of_any_numbers(A.Threshold, "threshold", input, inplace, threshold, value)


def _of_any_numbers(op, name, input, inplace, *options):
    """``op`` of a float tensor as ``_maybe_in_place`` does it; of an integer one (which
    takes no gradient) directly, in its own dtype."""
    if input.is_floating_point():
        return _maybe_in_place(op, name, input, inplace, *options)
    out = op.apply(input, *options)
    if not inplace:
        return out
    I.setitem(input, Ellipsis, out)
    return input


def hardsigmoid(input, inplace=False):
    return _maybe_in_place(A.Hardsigmoid, "hardsigmoid", input, inplace)


def hardswish(input, inplace=False):
    return _maybe_in_place(A.Hardswish, "hardswish", input, inplace)


def selu(input, inplace=False):
    return _maybe_in_place(A.ScaledElu, "selu", input, inplace, SELU_ALPHA, SELU_SCALE, 1.0)


def selu_(input):
    return selu(input, inplace=True)


def celu(input, alpha=1.0, inplace=False):
    alpha = number_argument("celu", "alpha", alpha)
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU (it divides x)")
    return _maybe_in_place(A.Celu, "celu", input, inplace, alpha, 1.0, 1.0 / alpha)


def celu_(input, alpha=1.0):
    return celu(input, alpha, inplace=True)


def elu_(input, alpha=1.0):
    return elu(input, alpha, inplace=True)


def leaky_relu_(input, negative_slope=0.01):
    return leaky_relu(input, negative_slope, inplace=True)


def mish(input, inplace=False):
    return _maybe_in_place(A.Mish, "mish", input, inplace)


def softshrink(input, lambd=0.5):
    lambd = number_argument("softshrink", "lambd", lambd)
    if input.is_floating_point():  # NaN and inf refused too; after the dtype, as PyTorch
        largest = float(cpu_namespace.finfo(input._data.dtype).max)
        if not 0 <= lambd <= largest:
            raise RuntimeError(
                f"lambda must be in range [0, {largest:g}] for softshrink of {input.dtype}, "
                f"but found {lambd}"
            )
    return A.apply_floating(A.Softshrink, "softshrink", input, lambd)


def hardshrink(input, lambd=0.5):
    lambd = number_argument("hardshrink", "lambd", lambd)
    return A.apply_floating(A.Hardshrink, "hardshrink", input, lambd)


def logsigmoid(input):
    return A.apply_floating(A.LogSigmoid, "log_sigmoid", input)


def softsign(input):
    return input / (input.abs() + 1)


def tanhshrink(input):
    return input - input.tanh()


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    return _softmax_family(ops.Softmax, "softmin", -input, dim, _stacklevel, dtype)


def glu(input, dim=-1):
    """The first half of ``dim`` times the sigmoid of the second."""
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    axis = input._dim(dim)
    if input.shape[axis] % 2:
        raise RuntimeError(
            f"Halving dimension must be even, but dimension {axis} is size {input.shape[axis]}"
        )
    return A.apply_floating(A.Glu, "glu", input, axis)


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """``input`` divided by its ``p``-norm over ``dim`` (at least ``eps``)."""
    if out is not None:
        raise NotImplementedError("normalize(out=...) is not supported by ember; assign the result")
    if isinstance(p, Tensor):  # a 0-d tensor as a number; one of more dims refused
        p = number_argument("normalize", "p", p, "float")
    return input / input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """The cosine of the angle between x1 and x2 along ``dim``, broadcast together; each
    norm counts as at least ``eps``."""
    dim = integer_argument(dim, "cosine_similarity", "dim")  # one int: no tuple, no tensor
    eps = number_argument("cosine_similarity", "eps", eps, "float")
    if not eps >= 0:  # NaN too
        raise RuntimeError(f"eps must be non-negative, got: {eps}")
    common = dtypes.result_type(x1, x2)
    if not common.is_floating_point:
        raise RuntimeError(
            f"expected common dtype to be floating point, yet common dtype is {common}: "
            "cosine_similarity needs a float tensor (x.float())"
        )
    x1, x2 = (x if x.is_floating_point() else x.to(common) for x in (x1, x2))
    if x1.shape != x2.shape:
        error = O.broadcast_error(x1, x2)
        if error is not None:
            raise error
        shape = cpu_namespace.broadcast_shapes(tuple(x1.shape), tuple(x2.shape))
        x1, x2 = expanded(x1, shape), expanded(x2, shape)
    unit1 = x1 / _at_least(x1.norm(2, dim, keepdim=True), eps)
    unit2 = x2 / _at_least(x2.norm(2, dim, keepdim=True), eps)
    return (unit1 * unit2).sum(dim)


def _at_least(norm, eps):
    """``norm``, ``eps`` where it is smaller, with the gradient of ``norm`` everywhere:
    PyTorch raises its norms to eps in place without recording it. (norm - norm) + eps
    is eps exactly."""
    return W.where(norm < eps, norm - norm.detach() + eps, norm)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """The ``p``-norm of ``x1 - x2 + eps`` over the last dim (of the broadcast shape)."""
    p = number_argument("pairwise_distance", "p", p, "float")
    eps = number_argument("pairwise_distance", "eps", eps, "float")
    last_dim = max(x1.ndim, x2.ndim) - 1  # -1 for two 0-d tensors
    return (x1 - x2 + eps).norm(p, last_dim, keepdim)


def pdist(input, p=2):
    """The ``p``-norm distance between each pair of rows i < j of a matrix, in the order
    (0, 1), (0, 2), ..., (1, 2), ..."""
    p = number_argument("pdist", "p", p, "float")
    if input.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.ndim}D")
    if not input.is_floating_point():
        raise RuntimeError(f"pdist only supports floating-point dtypes, got {input.dtype}")
    if not p >= 0:
        raise RuntimeError(f"pdist only supports non-negative p values, got {p}")
    samples, features = input.shape
    if input.dtype == dtypes.float16 and samples > 1 and features:  # no kernel runs otherwise
        raise NotImplementedError("\"pdist\" not implemented for 'ember.float16'")
    rows, columns = xp(input._data).triu_indices(input.shape[0], 1)
    differences = input[Tensor._make(rows)] - input[Tensor._make(columns)]
    if p == math.inf and features:  # PyTorch's pdist kernel, not its norm: NaN at an inf
        return differences.abs().amax(1)
    return differences.norm(p, 1)


def one_hot(input, num_classes=-1):
    """Class indices as rows of 0s with a 1 at each index, in a new last dim of
    ``num_classes`` (the largest index + 1 when -1)."""
    if input.dtype != dtypes.int64:
        raise RuntimeError(
            "one_hot is only applicable to index tensor of type LongTensor; got "
            f"{input.dtype} (use input.long())"
        )
    if type(num_classes) is bool or not hasattr(num_classes, "__index__"):
        raise TypeError(
            f"one_hot(): argument 'num_classes' (position 2) must be int, not "
            f"{type(num_classes).__name__}"
        )
    num_classes = num_classes.__index__()  # an int, a NumPy int or a 0-d integer tensor
    indices = input._data
    if indices.size == 0 and num_classes <= 0:
        raise RuntimeError("Can not infer total number of classes from empty input.")
    if num_classes == -1:
        num_classes = int(indices.max()) + 1  # the shape depends on it: read, even on a GPU
    _check_class_values(indices, num_classes)
    namespace = xp(indices)
    one_hots = namespace.zeros(indices.shape + (max(num_classes, 0),), indices.dtype)
    if not indices.size:
        return Tensor._make(one_hots)
    # a 1 set at each index, in the flat array: 3x faster than comparing each index with
    # each class, and as fast for a few
    row_starts = namespace.arange(0, one_hots.size, num_classes)
    one_hots.reshape(-1)[row_starts + indices.reshape(-1)] = 1
    return as_written_in_place(Tensor._make(one_hots), 2)  # zeros, then scatter_


def _check_class_values(indices, num_classes):
    """Checked on the CPU only: on a GPU the answer would make the host wait."""
    if xp(indices) is not cpu_namespace or indices.size == 0:
        return
    if indices.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if indices.max() >= num_classes:
        raise RuntimeError(
            f"Class values must be smaller than num_classes ({num_classes}); the largest is "
            f"{int(indices.max())}"
        )


check_tensor_arguments(
    globals(),
    first_only="relu6 hardtanh hardtanh_ threshold threshold_ hardsigmoid hardswish selu "
    "selu_ celu celu_ elu_ leaky_relu_ mish softshrink hardshrink logsigmoid pdist one_hot",
    first_two="cosine_similarity pairwise_distance",
)


# Layers ------------------------------------------------------------------------


def linear(input, weight, bias=None):
    """``input @ weight.T + bias``: weight is (out_features, in_features)."""
    if bias is not None and not isinstance(bias, Tensor):  # a type test: every layer's path
        check_tensors("linear", bias=bias)
    if input._data.dtype != weight._data.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {input.dtype} != "
            f"{weight.dtype} (linear's input is {input.dtype} and its weight {weight.dtype}: "
            f"convert the input, x.to({weight.dtype}), or the layer)"
        )
    if bias is not None and bias._data.dtype != weight._data.dtype:
        raise RuntimeError(
            f"self and mat2 must have the same dtype, but got {bias.dtype} and {weight.dtype}: "
            "linear's bias must have the weight's dtype"
        )
    if input._data.dtype.kind == "b" and input._data.size:  # PyTorch has no bool kernel
        kernel = "addmv_impl_cpu" if weight.ndim == 1 else "addmm_impl_cpu_"
        raise NotImplementedError(
            f"\"{kernel}\" not implemented for 'Bool': linear of bool tensors (use .float())"
        )
    data_type = type(input._data)
    if type(weight._data) is not data_type or (
        bias is not None and type(bias._data) is not data_type
    ):
        check_on_one_device("linear", input, weight, bias)
    if weight.ndim != 2 or input.ndim == 0:
        _check_linear_dims(input, weight)
        out = input @ weight.t() if weight.ndim == 2 else input @ weight
        return out if bias is None else out + bias
    if input.shape[-1] != weight.shape[1]:
        rows = input.numel() // max(input.shape[-1], 1) if input.ndim > 1 else 1
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{input.shape[-1]} and "
            f"{weight.shape[1]}x{weight.shape[0]})"
        )
    return ops.Linear.apply(input, weight, bias)


def _check_linear_dims(input, weight):
    """The shapes PyTorch's linear takes besides (..., in) and (out, in): a 1-d input or
    weight (a dot product), never a 0-d one, and no weight with more than 2 dims."""
    if weight.ndim > 2:
        raise RuntimeError(
            f"t() expects a tensor with <= 2 dimensions, but self is {weight.ndim}D: linear's "
            f"weight is (out_features, in_features), got shape {list(weight.shape)}"
        )
    if input.ndim == 0 or weight.ndim == 0:
        raise RuntimeError(
            "both arguments to linear need to be at least 1D, but they are "
            f"{input.ndim}D and {weight.ndim}D"
        )


# The losses, in their own files: imported last, as cross-entropy and the margin losses use
# the functions above.
from .classification_losses import (  # noqa: E402, F401
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    nll_loss,
)
from .likelihood_losses import gaussian_nll_loss, kl_div, poisson_nll_loss  # noqa: E402, F401
from .margin_losses import (  # noqa: E402, F401
    cosine_embedding_loss,
    hinge_embedding_loss,
    margin_ranking_loss,
    multi_margin_loss,
    multilabel_margin_loss,
    multilabel_soft_margin_loss,
    soft_margin_loss,
    triplet_margin_loss,
)
from .regression_losses import huber_loss, l1_loss, mse_loss, smooth_l1_loss  # noqa: E402, F401

# The functions whose input must be a tensor refuse anything else, as in PyTorch (the
# losses that PyTorch writes in Python fail on a missing attribute in both libraries).
check_tensor_arguments(
    globals(),
    first_only="cross_entropy dropout nll_loss relu relu_ leaky_relu elu silu softplus gelu",
    first_two="linear prelu",
)
