"""``nn.init``: fill a parameter in place with a chosen distribution.

Every function writes under ``no_grad`` (initialising is not part of the
model's math) and returns the tensor it filled. The Xavier and Kaiming
schemes pick the spread from the tensor's fan-in/fan-out so that signals keep
their variance through a layer.
"""

import math
import warnings

from ..autograd.grad_mode import no_grad

_LINEAR_LIKE = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
)


def calculate_gain(nonlinearity, param=None):
    """The factor by which an activation shrinks the standard deviation, undone by init."""
    if nonlinearity in _LINEAR_LIKE:
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor):
    """fan_in = in_features * receptive field; fan_out = out_features * receptive field."""
    if tensor.dim() < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
        )
    receptive_field = 1
    for size in tensor.shape[2:]:
        receptive_field *= size
    return tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field


def _fan(tensor, mode):
    if not isinstance(mode, str):  # PyTorch's mode.lower() fails so
        raise AttributeError(
            f"'{type(mode).__name__}' object has no attribute 'lower': the mode is 'fan_in' "
            "or 'fan_out'"
        )
    mode = mode.lower()  # 'FAN_IN' taken, as in PyTorch
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of ['fan_in', 'fan_out']")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _is_empty(tensor):
    if tensor.numel() == 0:
        warnings.warn("Initializing zero-element tensors is a no-op", UserWarning, stacklevel=3)
        return True
    return False


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    with no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    with no_grad():
        return tensor.normal_(mean, std, generator=generator)


def constant_(tensor, val):
    with no_grad():
        return tensor.fill_(val)


def zeros_(tensor):
    with no_grad():
        return tensor.zero_()


def ones_(tensor):
    with no_grad():
        return tensor.fill_(1.0)


def eye_(tensor):
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    from ..creation import eye

    with no_grad():
        return tensor.copy_(eye(*tensor.shape, dtype=tensor.dtype))


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None):
    """Normal(mean, std) values restricted to [a, b], drawn by inverting the normal's
    distribution function over the part of it that [a, b] covers: one draw per value,
    however little of the normal lies in [a, b] (redrawing what falls outside would never
    end for a = b, or for bounds far from the mean)."""
    from ..creation import empty
    from ..dtypes import float64
    from .functional_arguments import number_argument

    # (0-d tensors taken as numbers, which the bounds' arithmetic below needs)
    mean, std, a, b = (
        number_argument("trunc_normal_", name, value)
        for name, value in (("mean", mean), ("std", std), ("a", a), ("b", b))
    )
    if not tensor.is_floating_point():  # refused by normal_, as PyTorch's kernel refuses it
        tensor.normal_(mean, std, generator=generator)
    if a > b:  # no value would ever be kept
        raise RuntimeError(
            f"trunc_normal_ expects to return a [from, to) range, but found a={a} > b={b}"
        )
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn(
            "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. "
            "The distribution of values may be incorrect.",
            stacklevel=2,
        )
    # the standard normal's distribution function at the bounds, as 2 * cdf - 1 (a
    # ZeroDivisionError for std = 0, as in PyTorch; a negative std draws as its opposite)
    spread = abs(std) * math.sqrt(2.0)
    low, high = math.erf((a - mean) / spread), math.erf((b - mean) / spread)
    nearest = min(max(mean, a), b)  # where the values crowd, past erf's precision
    if tensor.numel() == 0:  # nothing to draw (a lazy module's parameter refuses numel)
        return tensor
    with no_grad():
        draws = empty(tensor.shape, dtype=float64, device=tensor.device)  # for the tails
        draws.uniform_(low, high, generator=generator).erfinv_().mul_(spread).add_(mean)
        draws.masked_fill_(~draws.isfinite(), nearest)
        return tensor.copy_(draws.clamp_(a, b))  # clamped: erfinv rounds a little


def xavier_uniform_(tensor, gain=1.0, generator=None):
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    if _is_empty(tensor):
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    if _is_empty(tensor):
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    return normal_(tensor, 0.0, std, generator)


def orthogonal_(tensor, gain=1, generator=None):
    """A (semi-)orthogonal matrix times ``gain``: of a tensor of more than 2 dims, its
    dims after the first flattened into columns. The rows are orthonormal, or the columns
    where there are fewer of them. Q of the QR factors of a normal matrix, each column's
    sign fixed by R's diagonal, is uniformly distributed among such matrices."""
    from ..creation import empty
    from ..linalg import qr

    if tensor.ndim < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor  # nothing to fill; PyTorch gives no warning here
    rows = tensor.shape[0]
    columns = tensor.numel() // rows
    normal = empty(rows, columns, dtype=tensor.dtype, device=tensor.device)
    normal.normal_(0, 1, generator=generator)
    tall = normal if rows >= columns else normal.t()
    with no_grad():
        q, r = qr(tall)
        q = q * r.diagonal().sign()
        if rows < columns:
            q = q.t()
        tensor.copy_(q.reshape(tensor.shape))
        return tensor.mul_(gain)


def dirac_(tensor, groups=1):
    """The identity of a convolution: zeros, and a 1 at the centre of the kernel that
    links input channel d to output channel d of each of ``groups`` groups."""
    if tensor.ndim not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    out_channels, in_channels = tensor.shape[:2]
    if out_channels % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    per_group = out_channels // groups
    channels = range(min(per_group, in_channels))
    outputs = [group * per_group + d for group in range(groups) for d in channels]
    inputs = [d for _ in range(groups) for d in channels]
    centre = tuple(size // 2 for size in tensor.shape[2:])
    with no_grad():
        tensor.zero_()
        if outputs:
            tensor[(outputs, inputs) + centre] = 1
        return tensor


def sparse_(tensor, sparsity, std=0.01, generator=None):
    """Normal(0, std) values with ``ceil(sparsity * rows)`` of each column's set to 0, at
    rows drawn at random for each column."""
    from ..random import rand

    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, columns = tensor.shape
    zeros_per_column = math.ceil(sparsity * rows)
    with no_grad():
        tensor.normal_(0, std, generator=generator)
        # each column's rows in a random order: the argsort of uniform draws
        order = rand(rows, columns, generator=generator, device=tensor.device).argsort(0)
        return tensor.scatter_(0, order[:zeros_per_column], 0.0)
