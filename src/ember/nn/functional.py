"""``nn.functional``: the math of every layer and loss, as plain functions.

Modules hold state and call these; these hold no state. The hot ops
(``linear``, ``softmax``, ``log_softmax``, the likelihood losses) and the losses
that PyTorch records as one node (mse, huber, smooth L1, the binary
cross-entropies) are single Functions in ``functional_ops``; the rest are
compositions of core ops, whose gradients the engine already knows.
"""

import warnings

from .. import dtypes
from ..autograd.grad_mode import is_grad_enabled
from ..backend import cpu_namespace
from ..backend import namespace_of as xp  # the array namespace of an array
from ..device import check_same_device, mixed_device_error
from ..function_forms import check_tensor_arguments
from ..ops import indexing as I
from ..ops import operands as O
from ..ops import selection as W
from ..ops import unary_math as U
from ..random import rand
from ..tensor import Tensor
from . import activations as A
from . import functional_ops as ops

REDUCTIONS = ("none", "mean", "sum")


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
    slope = _number("leaky_relu", "negative_slope", negative_slope)
    return _maybe_in_place(A.LeakyRelu, "leaky_relu", input, inplace, slope)


def elu(input, alpha=1.0, inplace=False):
    alpha = _number("elu", "alpha", alpha)
    return _maybe_in_place(A.Elu, "elu", input, inplace, alpha)


def silu(input, inplace=False):
    return _maybe_in_place(A.Silu, "silu", input, inplace)


def softplus(input, beta=1.0, threshold=20.0):
    beta = _number("softplus", "beta", beta)
    threshold = _number("softplus", "threshold", threshold)
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


def _number(op_name, argument, value):
    """A hyper-parameter as the Python number PyTorch reads it as (a 0-d tensor too)."""
    if isinstance(value, Tensor):
        return value.item()
    if not isinstance(value, (int, float)):
        raise TypeError(
            f"{op_name}(): argument '{argument}' must be Number, not {type(value).__name__}"
        )
    return value


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
    if dtype is not None:
        input = input.to(dtype)
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
    if not 0.0 <= p <= 1.0:
        error = RuntimeError if p != p else ValueError  # PyTorch's kernel is the one to see NaN
        raise error(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
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
    min_val = _number("hardtanh", "min_val", min_val)
    max_val = _number("hardtanh", "max_val", max_val)
    if min_val > max_val:
        raise ValueError(
            f"min_val cannot be greater than max_val: hardtanh got min_val={min_val} and "
            f"max_val={max_val}"
        )
    return _hardtanh(input, min_val, max_val, inplace)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    """hardtanh in place, without hardtanh's check of the bounds (as in PyTorch, whose
    kernel then clamps to min_val, then to max_val: every value becomes max_val)."""
    min_val = _number("hardtanh", "min_val", min_val)
    max_val = _number("hardtanh", "max_val", max_val)
    return _hardtanh(input, min_val, max_val, True)


def _hardtanh(input, min_val, max_val, inplace):
    if input.dtype == dtypes.bool:
        raise RuntimeError("Bool inputs not supported for hardtanh (convert with .float())")
    if not input.is_floating_point():  # PyTorch takes the bounds in the input's type
        if input.dtype == dtypes.uint8 and min_val < 0:
            raise RuntimeError(
                f"cannot do hardtanh on an unsigned type with negative limits (min_val={min_val})"
            )
        min_val = dtypes.checked_number(int(min_val), input.dtype)
        max_val = dtypes.checked_number(int(max_val), input.dtype)
    return _of_any_numbers(A.Hardtanh, "hardtanh", input, inplace, min_val, max_val)


def threshold(input, threshold, value, inplace=False):
    return _threshold(input, threshold, value, inplace)


def threshold_(input, threshold, value):
    return _threshold(input, threshold, value, True)


def _threshold(input, threshold, value, inplace):
    threshold = _number("threshold", "threshold", threshold)
    value = _number("threshold", "value", value)
    if input.dtype == dtypes.bool:
        raise NotImplementedError("\"threshold\" not implemented for 'ember.bool'")
    if not input.is_floating_point():  # both converted to its type, as PyTorch converts
        threshold = dtypes.checked_number(threshold, input.dtype)  # them: -1.5 is -1
        value = dtypes.checked_number(value, input.dtype)  # -1 wraps into a uint8, -0.5 not
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
    alpha = _number("celu", "alpha", alpha)
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
    lambd = _number("softshrink", "lambd", lambd)
    if not lambd >= 0 and input.is_floating_point():  # NaN too; after the dtype, as PyTorch
        raise RuntimeError(f"lambda must be in range [0, inf) for softshrink, but found {lambd}")
    return A.apply_floating(A.Softshrink, "softshrink", input, lambd)


def hardshrink(input, lambd=0.5):
    lambd = _number("hardshrink", "lambd", lambd)
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
    return input / input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """The cosine of the angle between x1 and x2 along ``dim``, broadcast together; each
    norm counts as at least ``eps``."""
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
        x1, x2 = _expanded(x1, shape), _expanded(x2, shape)
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
    last_dim = max(x1.ndim, x2.ndim) - 1  # -1 for two 0-d tensors
    return (x1 - x2 + eps).norm(p, last_dim, keepdim)


def pdist(input, p=2):
    """The ``p``-norm distance between each pair of rows i < j of a matrix, in the order
    (0, 1), (0, 2), ..., (1, 2), ..."""
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
    return differences.norm(p, 1)


def one_hot(tensor, num_classes=-1):
    """Class indices as rows of 0s with a 1 at each index, in a new last dim of
    ``num_classes`` (the largest index + 1 when -1)."""
    if tensor.dtype != dtypes.int64:
        raise RuntimeError(
            "one_hot is only applicable to index tensor of type LongTensor; got "
            f"{tensor.dtype} (use tensor.long())"
        )
    if type(num_classes) is bool or not hasattr(num_classes, "__index__"):
        raise TypeError(
            f"one_hot(): argument 'num_classes' (position 2) must be int, not "
            f"{type(num_classes).__name__}"
        )
    num_classes = num_classes.__index__()  # an int, a NumPy int or a 0-d integer tensor
    indices = tensor._data
    if indices.size == 0 and num_classes <= 0:
        raise RuntimeError("Can not infer total number of classes from empty tensor.")
    if num_classes == -1:
        num_classes = int(indices.max()) + 1  # the shape depends on it: read, even on a GPU
    _check_class_values(indices, num_classes)
    namespace = xp(indices)
    classes = namespace.arange(max(num_classes, 0))
    one_hots = Tensor._make((indices[..., None] == classes).astype(indices.dtype))
    return _as_written_in_place(one_hots, 2) if indices.size else one_hots  # zeros, scatter_


def _as_written_in_place(tensor, times=1):
    """``tensor`` with the ``_version`` of PyTorch's result, which its composition writes in
    place ``times`` times (one_hot's zeros, then the ones scattered in, say)."""
    tensor._counter().value += times
    return tensor


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
    if input._data.dtype != weight._data.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {input.dtype} != {weight.dtype}"
        )
    if bias is not None and bias._data.dtype != weight._data.dtype:
        raise RuntimeError(
            f"self and mat2 must have the same dtype, but got {bias.dtype} and {weight.dtype}: "
            "linear's bias must have the weight's dtype"
        )
    data_type = type(input._data)
    if type(weight._data) is not data_type or (
        bias is not None and type(bias._data) is not data_type
    ):
        _check_same_device("linear", input, weight, bias)
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


# Regression losses -------------------------------------------------------------


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    if weight is not None:
        return _weighted_loss(_squared, input, target, weight, size_average, reduce, reduction)
    input, target = _broadcast_pair(input, target)  # before the reduction, as in PyTorch
    reduction = _reduction(size_average, reduce, reduction)
    if isinstance(target, Tensor):
        _refuse_integer_pair(input, target, "mse_loss")
        return O.binary(ops.MseLoss, input, target, reduction)
    return _reduce(_squared(input, target), reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    if weight is not None:
        return _weighted_loss(_absolute, input, target, weight, size_average, reduce, reduction)
    input, target = _broadcast_pair(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    return _reduce(_absolute(input, target), reduction)


def _squared(input, target):
    return (input - target) ** 2


def _absolute(input, target):
    return (input - target).abs()


def _weighted_loss(
    pointwise, input, target, weight, size_average, reduce, reduction, weighted_mean=True
):
    """mse, l1 or huber with a weight per element, as PyTorch's Python computes them: the
    weight has the input's own shape (before broadcasting), the reduction's name is
    checked only after the loss (no 'elementwise_mean' here), and 'mean' divides by the
    sum of the weights (for huber, by the number of elements)."""
    if size_average is not None or reduce is not None:
        reduction = _reduction(size_average, reduce, reduction)
    input_shape = tuple(input.shape)
    input, target = _broadcast_pair(input, target)
    if tuple(weight.shape) != input_shape:
        raise ValueError("Weights and input must have the same size.")
    loss = pointwise(input, target) * weight
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.sum() / weight.sum() if weighted_mean else loss.mean()
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Squared error inside ``|x - y| < delta``, linear (slope delta) outside.

    Unlike the other regression losses, the result has the input's dtype (PyTorch
    writes it into a tensor like the input), whatever the target's.
    """

    def pointwise(input, target):
        return _huber(input, target, input_dtype, delta, "none")

    input_dtype = input.dtype
    if weight is not None:
        # PyTorch multiplies its unreduced node by the weight and reduces after: a plain
        # mean (unlike mse/l1, whose weighted 'mean' divides by the sum of the weights)
        return _weighted_loss(
            pointwise, input, target, weight, None, None, reduction, weighted_mean=False
        )
    input, target = _broadcast_pair(input, target)  # warns first, as in PyTorch
    return _huber(input, target, input_dtype, delta, _reduction(None, None, reduction))


def _huber(input, target, input_dtype, delta, reduction):
    """huber_loss of a broadcast pair, after PyTorch's checks of its kernel."""
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if not input_dtype.is_floating_point and target.is_floating_point():
        raise RuntimeError(
            f"result type {target.dtype} can't be cast to the desired output type {input_dtype}: "
            "huber_loss writes its result in the input's dtype (input.float())"
        )
    _refuse_integer_input(input, "huber_loss")
    input = _in_dtype(input, input_dtype)  # back from a broadcast's promotion: exact
    return ops.HuberLoss.apply(input, target, reduction, delta)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """Huber loss divided by ``beta``; plain L1 when ``beta`` is 0."""
    input, target = _broadcast_pair(input, target)  # PyTorch's order: broadcast, name, beta
    reduction = _reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:  # plain L1, integers included (as in PyTorch)
        return _reduce((input - target).abs(), reduction)
    _refuse_integer_pair(input, target, "smooth_l1_loss")
    if not (input.is_floating_point() and target.is_floating_point()):
        input, target = O.promote(input, target)  # NumPy promotes two floats as PyTorch does
    return ops.SmoothL1Loss.apply(input, target, reduction, beta)


# Classification losses ---------------------------------------------------------


def nll_loss(
    input,
    target,
    weight=None,
    size_average=None,
    ignore_index=-100,
    reduce=None,
    reduction="mean",
):
    """Negative log-likelihood of class indices, given log-probabilities (class dim 1)."""
    reduction = _reduction(size_average, reduce, reduction)
    if input.ndim == 1:
        _check_class_index_dtype(target)  # PyTorch checks it before the target's size
        target = _one_sample_target(target)
        loss = nll_loss(
            input.unsqueeze(0), target.reshape(1), weight, None, ignore_index, None, reduction
        )
        return loss.reshape(()) if reduction == "none" else loss
    _check_class_targets(input, target, weight)
    _check_same_device("nll_loss", input, target, weight)
    weight_array = None if weight is None else weight._data
    return ops.NllLoss.apply(input, target, weight_array, ignore_index, reduction)


def _refuse_weight_with_grad(weight, name="nll_loss"):
    """PyTorch's kernel takes no gradient for the class weights, and its autograd refuses
    weights that ask for one (before the kernel's own checks) rather than leave them
    without."""
    if weight is not None and weight.requires_grad and is_grad_enabled():
        raise RuntimeError(
            f"{name} is not differentiable with respect to its class weights, but the weight "
            "requires grad: pass weight.detach()"
        )


def _one_sample_target(target):
    """The class index for a 1-d input (one sample): a 0-d target, or one of shape [1]."""
    if target.ndim == 0:
        return target
    if target.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if target.shape[0] != 1:
        raise ValueError(
            f"For 1D input, 1D target must have size 1, but got target size: {target.shape[0]} "
            "(a 1-d input is one sample; give one class index)"
        )
    return target.reshape(())


def _check_class_index_dtype(target):
    if target._data.dtype.kind not in "iu":
        raise RuntimeError(
            f"expected target dtype to be Long or Byte, but got {target.dtype} "
            "(class-index targets must be integers; give probabilities the input's shape)"
        )


def _check_class_targets(input, target, weight):
    shape, target_shape = input._data.shape, target._data.shape  # tuples: no Size objects
    if len(shape) < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {len(shape)})")
    # PyTorch's order: the batch sizes, the target's dims, then its dtype
    target_batch = target_shape[0] if target_shape else 0  # PyTorch's count for a 0-d target
    if shape[0] != target_batch:
        raise ValueError(
            f"Expected input batch_size ({shape[0]}) to match target batch_size ({target_batch})."
        )
    if len(shape) == 2 and len(target_shape) != 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if target_shape[1:] != shape[2:]:
        expected = [shape[0], *shape[2:]]
        raise RuntimeError(f"Expected target size {expected}, got {list(target_shape)}")
    _refuse_weight_with_grad(weight)  # PyTorch's autograd, between its shape checks and kernel
    _check_class_index_dtype(target)
    classes = shape[1]
    if weight is not None and (weight.ndim != 1 or weight.shape[0] != classes):
        raise RuntimeError(
            f"weight tensor should be defined either for all {classes} classes or no classes "
            f"but got weight tensor of shape: {list(weight.shape)}"
        )
    _refuse_integer_input(input, "nll_loss")  # PyTorch's kernel, before the weight's dtype
    if weight is not None and weight.dtype != input.dtype:
        raise RuntimeError(
            f"expected scalar type {input.dtype} but found {weight.dtype}: the class weights "
            "must have the input's dtype (weight.to(input.dtype))"
        )


def cross_entropy(
    input,
    target,
    weight=None,
    size_average=None,
    ignore_index=-100,
    reduce=None,
    reduction="mean",
    label_smoothing=0.0,
):
    """Softmax cross-entropy of logits against class indices or class probabilities.

    A target with the input's shape holds probabilities; otherwise it holds class
    indices, one per sample (dim 1 of the input is the class dim, dim 0 for 1-d).
    """
    reduction = _reduction(size_average, reduce, reduction)
    if input.ndim == 1 and target.ndim == 1 and tuple(target.shape) != tuple(input.shape):
        _check_class_index_dtype(target)  # PyTorch checks it before the target's size
        target = _one_sample_target(target)  # one sample's class index, given as shape [1]
    class_dim = 0 if input.ndim == 1 else 1
    if tuple(input.shape) == tuple(target.shape):
        _check_probability_target(target, ignore_index)  # before the softmax, as PyTorch does
        log_probs = log_softmax(input, class_dim)
        _check_class_weight(weight, input.shape[class_dim])
        if label_smoothing > 1.0:
            raise _label_smoothing_error(label_smoothing)
        return _cross_entropy_probabilities(
            log_probs, target, weight, reduction, label_smoothing, class_dim
        )
    if label_smoothing > 1.0:  # PyTorch lets a negative (or NaN) one mean no smoothing
        raise _label_smoothing_error(label_smoothing)
    log_probs = log_softmax(input, class_dim)
    loss = nll_loss(log_probs, target, weight, None, ignore_index, None, reduction)
    if not label_smoothing > 0.0:
        return loss
    classes = input.shape[class_dim]
    weight_view = 1 if weight is None else _class_view(weight, input.ndim, class_dim)
    smooth = -(log_probs * weight_view).sum(class_dim)
    ignored = target == ignore_index
    smooth = W.where(ignored, 0.0, smooth)
    if reduction == "mean":
        if weight is None:
            count = float((~ignored)._data.sum())
        else:
            kept = target._data[~ignored._data]
            count = float(weight._data[kept].sum())
        smooth = smooth.sum() / count
    elif reduction == "sum":
        smooth = smooth.sum()
    return (1 - label_smoothing) * loss + smooth * (label_smoothing / classes)


def _check_class_weight(weight, classes):
    if weight is not None and (weight.ndim != 1 or weight.shape[0] != classes):
        raise RuntimeError(
            f"cross_entropy: weight tensor should be defined either for all {classes} classes "
            f"or no classes but got weight tensor of shape: {list(weight.shape)}"
        )


def _label_smoothing_error(label_smoothing):
    return RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")


def _check_probability_target(target, ignore_index):
    """A target of the input's shape holds probabilities: floats, with no index to ignore
    (PyTorch takes any negative ignore_index as none)."""
    if not target.is_floating_point():
        raise RuntimeError(
            f"Expected floating point type for target with class probabilities, got {target.dtype}"
        )
    if ignore_index >= 0:
        raise RuntimeError("ignore_index is not supported for floating point target")


def _cross_entropy_probabilities(log_probs, target, weight, reduction, label_smoothing, class_dim):
    classes = log_probs.shape[class_dim]
    if label_smoothing > 0:
        target = target * (1 - label_smoothing) + label_smoothing / classes
    products = log_probs * target
    if weight is not None:
        products = products * _class_view(weight, log_probs.ndim, class_dim)
    if reduction == "none":
        return -products.sum(class_dim)
    # PyTorch negates the sum of all the products: one node (NegBackward0), and a zero loss
    # is -0, where a sum of the per-sample losses (each -0) is +0
    total = -products.sum()
    if reduction == "sum":
        return total
    return total / (log_probs.numel() // max(classes, 1))


def _class_view(weight, ndim, class_dim):
    """The per-class weight shaped to broadcast along the class dim."""
    shape = [1] * ndim
    shape[class_dim] = weight.shape[0]
    return weight.reshape(shape)


def binary_cross_entropy(
    input, target, weight=None, size_average=None, reduce=None, reduction="mean"
):
    reduction = _reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}) is refused here: give the target the input's shape"
        )
    _check_same_device("binary_cross_entropy", input, target, weight)
    if target.dtype != input.dtype:
        raise RuntimeError(
            f"Found dtype {target.dtype} but expected {input.dtype}: binary_cross_entropy needs "
            "a target of the input's dtype (target.to(input.dtype))"
        )
    _refuse_integer_input(input, "binary_cross_entropy")
    _check_probabilities(input, "input")
    _check_probabilities(target, "target")
    _check_broadcasts_to(input, weight, "weight")
    weight = _in_dtype(weight, input.dtype)  # the loss keeps the input's dtype
    return ops.BinaryCrossEntropy.apply(input, target, weight, reduction)


def _check_broadcasts_to(input, weights, name):
    """PyTorch writes a binary cross-entropy into a tensor of the input's shape, so its
    weights must broadcast to that shape without growing it."""
    if weights is None or weights._data.shape == input._data.shape:
        return
    shape, weights_shape = input._data.shape, weights._data.shape
    if len(weights_shape) > len(shape) or any(
        size not in (1, input_size) for size, input_size in zip(weights_shape[::-1], shape[::-1])
    ):
        raise RuntimeError(
            f"{name} of shape {list(weights_shape)} does not broadcast to the input's shape "
            f"{list(shape)}: the loss has one value per input element"
        )


def _check_probabilities(values, name):
    """BCE's inputs and targets are probabilities. Checked on the CPU only: on a GPU the
    answer would make the host wait for the device."""
    data = values._data
    if xp(data) is not cpu_namespace or data.size == 0:
        return
    if not (data.min() >= 0 and data.max() <= 1):  # NaN fails too
        raise RuntimeError(f"all elements of {name} should be between 0 and 1")


def binary_cross_entropy_with_logits(
    input,
    target,
    weight=None,
    size_average=None,
    reduce=None,
    reduction="mean",
    pos_weight=None,
):
    """BCE of ``sigmoid(input)``, stable for any logit; ``pos_weight`` scales positives."""
    reduction = _reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(
            f"Target size ({target.shape}) must be the same as input size ({input.shape})"
        )
    _check_same_device("binary_cross_entropy_with_logits", input, target, weight, pos_weight)
    _refuse_integer_input(input, "binary_cross_entropy_with_logits")
    if not target.is_floating_point():
        raise RuntimeError(
            f"result type {input.dtype} can't be cast to the desired output type "
            f"{target.dtype}: binary_cross_entropy_with_logits needs a floating-point target "
            "(target.float())"
        )
    _check_broadcasts_to(input, weight, "weight")
    _check_broadcasts_to(input, pos_weight, "pos_weight")
    # PyTorch computes the loss in the target's dtype, whatever the input's and weights'.
    input, weight, pos_weight = (_in_dtype(t, target.dtype) for t in (input, weight, pos_weight))
    return ops.BinaryCrossEntropyWithLogits.apply(input, target, weight, pos_weight, reduction)


# Reductions and checks -----------------------------------------------------------


def _check_same_device(op_name, input, *others):
    """PyTorch's RuntimeError naming both devices when a layer's or loss's tensors live apart."""
    for other in others:
        if isinstance(other, Tensor) and type(other._data) is not type(input._data):
            raise mixed_device_error(input._data, other._data, op_name)


def _reduction(size_average, reduce, reduction):
    """The reduction to use, translating the deprecated size_average/reduce flags."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "sum" if reduce and not size_average else ("mean" if reduce else "none")
        warnings.warn(
            f"size_average and reduce args will be deprecated, please use "
            f"reduction='{reduction}' instead.",
            UserWarning,
            stacklevel=3,
        )
    if reduction == "elementwise_mean":  # PyTorch's old name for 'mean', still taken
        warnings.warn(
            "reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.",
            UserWarning,
            stacklevel=3,
        )
        return "mean"
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _broadcast_pair(input, target):
    """A regression loss's input and target, warned about when their shapes differ, and
    then broadcast to one shape.

    PyTorch broadcasts the two to one shape before computing, so a 0-d operand
    counts fully in the dtype promotion: a 0-d float64 target makes a float32
    input's loss float64. Casting both to the promoted dtype does the same.
    """
    if tuple(target.shape) == tuple(input.shape):
        return input, target
    warnings.warn(
        f"Using a target size ({target.shape}) that is different to the input size "
        f"({input.shape}): the two are broadcast together, which is rarely what a loss "
        "wants; give the target the input's shape.",
        UserWarning,
        stacklevel=3,
    )
    error = O.broadcast_error(input, target)
    if error is not None:  # before any dtype check, as in PyTorch
        raise error
    if input.dtype != target.dtype and dtypes.bool not in (input.dtype, target.dtype):
        # (a bool operand stays bool, for the subtraction to refuse as PyTorch's does)
        common = dtypes.promote_types(input.dtype, target.dtype)
        input, target = _in_dtype(input, common), _in_dtype(target, common)
    shape = cpu_namespace.broadcast_shapes(tuple(input.shape), tuple(target.shape))
    return _expanded(input, shape), _expanded(target, shape)


def _expanded(tensor, shape):
    """``tensor`` expanded to ``shape`` (PyTorch's broadcast_tensors, whose expand the loss's
    node lists), or itself where it has that shape already."""
    return tensor if tuple(tensor.shape) == shape else tensor.expand(shape)


def _in_dtype(tensor, dtype):
    """``tensor`` cast to ``dtype`` (a recorded cast, so gradients flow), None left None."""
    if tensor is None or tensor.dtype == dtype:
        return tensor
    return tensor.to(dtype)


def _refuse_integer_input(input, name):
    """PyTorch has no integer kernel for most losses: it raises rather than promote."""
    if not input.is_floating_point():
        raise NotImplementedError(
            f"\"{name}\" not implemented for '{input.dtype}': the loss needs a floating-point "
            "input (input.float())"
        )


def _refuse_integer_pair(input, target, name):
    """Like ``_refuse_integer_input`` for a loss that takes the two operands' common dtype."""
    common = dtypes.promote_types(input.dtype, target.dtype)
    if not common.is_floating_point:
        raise NotImplementedError(
            f"\"{name}\" not implemented for '{common}': the loss needs a floating-point "
            "input or target (input.float())"
        )


# The likelihood and margin losses, in their own files: imported last, as they use the
# reductions and checks above.
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

# The functions whose input must be a tensor refuse anything else, as in PyTorch (the
# losses that PyTorch writes in Python fail on a missing attribute in both libraries).
check_tensor_arguments(
    globals(),
    first_only="cross_entropy dropout nll_loss relu relu_ leaky_relu elu silu softplus gelu",
    first_two="linear prelu",
)
