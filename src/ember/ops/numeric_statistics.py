"""Numerical methods on sampled data: the covariance and correlation matrices (cov,
corrcoef), histograms (histogram), integrals by the trapezoid rule (trapezoid, trapz,
cumulative_trapezoid), derivatives by finite differences (gradient), and renorm, which
caps the norm of each slice of a tensor.

All but histogram and renorm are composed of ember's differentiable ops, as PyTorch's
are, so their gradients (and the gradients of those) come for free, and their last nodes
have PyTorch's names (but trapezoid's MulBackward0 and DivBackward0, which PyTorch names
...Backward1, its forms for a number). renorm is one node with its own backward, as in
PyTorch; histogram has none (PyTorch's node refuses backward, and so does ember's).
"""

import math
import numbers
import warnings

from .. import return_types
from ..arguments import bool_argument, check_tensors, float_argument, integer_argument
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from ..creation import linspace, refuse_out
from ..dims import normalize_dims
from ..tensor import Tensor
from .joining import cat
from .norms import vector_norm
from .selection import clamp, where
from .unary_math import as_floating


def _along(tensor, dim, start=None, stop=None):
    """``tensor[start:stop]`` along ``dim`` (a view, as PyTorch's slice)."""
    return tensor[(slice(None),) * dim + (slice(start, stop),)]


# cov and corrcoef -------------------------------------------------------------------


def cov(input, *, correction=1, fweights=None, aweights=None):
    """The covariance matrix of the variables in the rows of ``input`` (a 1-d input is one
    variable), each column one observation. ``fweights`` (integers) repeat observations,
    ``aweights`` (floats) weigh them; ``correction`` is subtracted from the number of
    observations (1: the unbiased estimate; with aweights, NumPy's and PyTorch's form)."""
    correction = integer_argument(correction, "cov", "correction")
    if input.ndim > 2:
        raise RuntimeError(
            "cov(): expected input to have two or fewer dimensions but got an input with "
            f"{input.ndim} dimensions"
        )
    if input._data.dtype.kind == "b":
        raise RuntimeError("cov(): bool dtype is not supported for input; convert with .float()")
    observations = as_floating(input if input.ndim == 2 else input.reshape(1, -1))
    count = observations.shape[1]
    weights = _observation_weights(fweights, aweights, count)
    if weights is None:
        average = observations.mean(1)
        norm_factor = count - correction
    else:
        total = weights.sum()
        if not bool(total != 0):
            raise RuntimeError("cov(): weights sum to zero, can't be normalized")
        average = (observations * weights).sum(1) / total
        if correction == 0:
            norm_factor = total
        elif aweights is None:
            norm_factor = total - correction
        else:
            norm_factor = total - correction * (weights * aweights).sum() / total
    if not bool(norm_factor > 0):
        warnings.warn(
            "cov(): degrees of freedom is <= 0. Correction should be strictly less than the "
            f"number of observations ({count}, or the weights' sum)",
            UserWarning,
            stacklevel=2,
        )
        norm_factor = 0
    centered = observations - average.unsqueeze(1)
    weighted = centered if weights is None else centered * weights
    return (centered.mm(weighted.t()) / norm_factor).squeeze()


def _observation_weights(fweights, aweights, count):
    """The weight of each observation (fweights times aweights), checked as PyTorch checks
    them; None without either."""
    weights = None
    for name, given in (("fweights", fweights), ("aweights", aweights)):
        if given is None:
            continue
        if not isinstance(given, Tensor):
            raise TypeError(f"cov(): argument '{name}' must be Tensor, not {type(given).__name__}")
        kind = given._data.dtype.kind
        if given.ndim > 1:
            raise RuntimeError(
                f"cov(): expected {name} to have one or fewer dimensions but got {name} with "
                f"{given.ndim} dimensions"
            )
        if name == "fweights" and kind not in "iu":
            raise RuntimeError(
                f"cov(): expected fweights to have integral dtype but got fweights with "
                f"{given.dtype} dtype"
            )
        if name == "aweights" and kind != "f":
            raise RuntimeError(
                f"cov(): expected aweights to have floating point dtype but got aweights with "
                f"{given.dtype} dtype"
            )
        if given.numel() != count:
            raise RuntimeError(
                f"cov(): expected {name} to have the same numel as there are observations in "
                f"the input but got {given.numel()} != {count}"
            )
        if given.numel() and not bool((given._data >= 0).all()):  # NaN too, as PyTorch
            raise RuntimeError(f"cov(): {name} cannot be negative")
        weights = given if weights is None else weights * given
    return weights


def corrcoef(input):
    """Pearson's correlation coefficients of the rows of ``input``: the covariance matrix
    divided by each pair's standard deviations, clamped to [-1, 1]."""
    if input.ndim > 2:
        raise RuntimeError(
            "corrcoef(): expected input to have two or fewer dimensions but got an input with "
            f"{input.ndim} dimensions"
        )
    covariance = cov(input)
    if covariance.ndim == 0:
        return covariance / covariance
    deviations = covariance.diagonal().sqrt()
    covariance = covariance / deviations.unsqueeze(1)
    covariance = covariance / deviations.unsqueeze(0)
    return clamp(covariance, -1, 1)


# histogram ----------------------------------------------------------------------------


class NoGradient(Function):
    """A histogram's output when its input, bins or weight requires a gradient: it records
    a node, as in PyTorch, whose backward refuses. It lists the ``sources``, those that
    require a gradient, as PyTorch's lists them (not the value itself)."""

    def forward(self, value, *sources):
        self.listed_inputs = tuple(range(1, len(sources) + 1))
        return value

    def backward(self, grad):
        raise RuntimeError(
            "derivative for histogram is not implemented: its counts are a step function of "
            "the input; detach the input (and weight) first"
        )

    def name(self):
        return "torch::autograd::NotImplemented"  # PyTorch's name, as it prints it


def histogram(input, bins=100, *, range=None, weight=None, density=False, out=None):  # noqa: A002
    """The counts (or summed ``weight``) of the elements of ``input`` in each bin, and the
    bins' edges: ``bins`` equal bins over ``range`` (the data's min and max by default),
    or the edges given as a 1-d tensor. A bin holds its left edge, the last also its right
    one; elements outside the edges are not counted. ``density`` divides the counts by
    their total and the bins' widths, so that they integrate to 1."""
    refuse_out(out, "histogram")
    bool_argument(density, "histogram", "density")
    if weight is not None:
        check_tensors("histogram", weight=weight)
    if isinstance(bins, Tensor):
        if range is not None:
            raise TypeError(
                "histogram(): range= goes with a number of bins, not with a tensor of bin "
                "edges, which sets the range itself"
            )
        # PyTorch's order: the edges, the weight, then the input's dtype
        edges = _checked_edges(bins, input)
        weights = _checked_histogram_weight(weight, input)
        _check_histogram_dtype(input, float16=True)
    else:
        # and here: the count, a range given, the input's dtype, the data's range, the weight
        count = integer_argument(bins, "histogram", "bins")
        _check_bin_count(count)
        given = None if range is None else _checked_range(*_range_ends(range))
        # PyTorch takes float16 with a range, but finds no range of float16 data itself.
        _check_histogram_dtype(input, float16=range is not None)
        low, high = given or _checked_range(*_data_range(input._data))
        if low == high:
            low, high = low - 0.5, high + 0.5
        edges = linspace(low, high, count + 1, dtype=input.dtype, device=input.device)
        weights = _checked_histogram_weight(weight, input)
    counts = _histogram_counts(input._data, edges._data, weights)
    if density:
        counts = counts / counts.sum()
        counts = counts / xp(counts).diff(edges._data)
    hist = Tensor._make(counts)
    if isinstance(bins, Tensor):  # the result's edges are a copy of the given ones
        edges = edges.detach().clone()
    sources = [each for each in (input, bins, weight) if _requires_grad(each)]
    if sources:
        hist, edges = NoGradient.apply(hist, *sources), NoGradient.apply(edges, *sources)
    return return_types.histogram(hist, edges)


def _requires_grad(argument):
    return isinstance(argument, Tensor) and argument.requires_grad


def _check_histogram_dtype(input, float16):
    if input._data.dtype.char not in ("efd" if float16 else "fd"):
        raise NotImplementedError(
            f"histogram() is not implemented for {input.dtype} tensors"
            + ("" if float16 else " (float16 only with range=)")
            + "; convert with .float() first"
        )


def _check_bin_count(count):
    if count <= 0:
        raise RuntimeError(f"histogram(): bins must be > 0, but got {count}")


def _checked_edges(bins, input):
    if bins._data.dtype != input._data.dtype:
        raise RuntimeError(
            f"histogram(): the input and the bin edges should have the same dtype, but got "
            f"input of dtype {input.dtype} and bins of dtype {bins.dtype}"
        )
    if bins.ndim != 1:
        raise RuntimeError(
            f"histogram(): the bins tensor should have one dimension, but got {bins.ndim}"
        )
    _check_bin_count(bins.numel() - 1)
    return bins


def _range_ends(range):  # noqa: A002 - PyTorch's name
    """``range``'s two ends, as floats: a tuple or list of numbers (PyTorch's parser takes
    no tensor and no string here)."""
    if not isinstance(range, (tuple, list)):
        raise TypeError(
            f"histogram(): argument 'range' must be tuple of floats, not {type(range).__name__}"
        )
    if len(range) != 2:
        raise RuntimeError(
            f"histogram(): range should have 2 elements (min, max), but got {len(range)}"
        )
    return tuple(_range_end(end) for end in range)


def _range_end(end):
    """One end of a histogram's range: a number, or any one-element tensor's value (a
    list of floats takes one, in PyTorch's parser)."""
    if isinstance(end, Tensor) and end.numel() == 1:
        return float(end.item())
    return float(float_argument(end, "histogram", "range"))


def _data_range(data):
    """The data's min and max ([0, 1] for no data)."""
    if not data.size:
        return 0.0, 1.0
    return float(data.min()), float(data.max())


def _checked_range(low, high):
    """The outer edges, finite and in order, as PyTorch checks them."""
    if not (math.isfinite(low) and math.isfinite(high)):
        raise RuntimeError(
            f"histogram(): range [{low}, {high}] is not finite; give range=(min, max), or "
            "remove the infinities and NaNs from the data"
        )
    if low > high:
        raise RuntimeError(f"histogram(): min should not exceed max, but got min {low} max {high}")
    return low, high


def _checked_histogram_weight(weight, input):
    if weight is None:
        return None
    if weight.numel() != input.numel():
        raise RuntimeError(
            f"histogram(): weight should have one value per element of the input (of shape "
            f"{list(input.shape)}), but got weight of shape {list(weight.shape)}"
        )
    if weight._data.dtype != input._data.dtype:
        raise RuntimeError(
            f"histogram(): the input and the weight should have the same dtype, but got input "
            f"of dtype {input.dtype} and weight of dtype {weight.dtype}"
        )
    return weight._data


def _histogram_counts(data, edges, weights):
    """Each element's bin by a search of the edges (as PyTorch's kernel ends up finding it),
    then the counts or summed weights per bin, in the data's dtype."""
    namespace = xp(data)
    values = data.reshape(-1)
    inside = (values >= edges[0]) & (values <= edges[-1])  # NaN is neither
    bin_count = len(edges) - 1
    positions = namespace.searchsorted(edges, values[inside], side="right") - 1
    positions = namespace.minimum(positions, bin_count - 1)  # the last edge: the last bin
    if weights is not None:
        weights = weights.reshape(-1)[inside].astype("float64")
    counts = namespace.bincount(positions, weights, minlength=bin_count)
    return counts.astype(data.dtype)


# trapezoid, trapz and cumulative_trapezoid --------------------------------------------


def trapezoid(y, x=None, *, dx=None, dim=-1):
    """The integral of ``y`` along ``dim`` by the trapezoid rule: at the points ``x`` (a
    1-d tensor of one value per sample, or a tensor that broadcasts with ``y``), or evenly
    spaced ``dx`` apart (1 by default)."""
    return _trapezoid(y, x, dx, dim, "trapezoid")


def trapz(y, x=None, *, dx=None, dim=-1):
    """The older name of ``trapezoid``."""
    return _trapezoid(y, x, dx, dim, "trapz")


def _trapezoid(y, x, dx, dim, op_name):
    _check_integration_arguments(x, dx, op_name)
    dim = _integration_dim(y, dim, op_name)
    if y.shape[dim] == 0:  # no interval: zeros of y's dtype, as in PyTorch (and NumPy)
        shape = y.shape[:dim] + y.shape[dim + 1 :]
        zeros = Tensor._make(xp(y._data).zeros(shape, y._data.dtype))
        zeros._counter().value = 1  # PyTorch's are filled in place: version 1
        return zeros
    _check_no_bool(y, x, dx, op_name)  # (after the empty case, as in PyTorch)
    if x is None:
        # sum of the values less half the two ends, times the spacing: PyTorch's form
        ends = (y.select(dim, 0) + y.select(dim, -1)) * 0.5
        return (y.sum(dim) - ends) * (1 if dx is None else dx)
    widths = _interval_widths(y, x, dim, op_name)
    return (widths * (_along(y, dim, 1) + _along(y, dim, None, -1))).sum(dim) / 2


def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    """The running integrals of ``y`` along ``dim`` by the trapezoid rule: one fewer than
    the samples, the first over the first interval."""
    op_name = "cumulative_trapezoid"
    _check_integration_arguments(x, dx, op_name)
    _check_no_bool(y, x, dx, op_name)  # (before the dim, as in PyTorch)
    dim = _integration_dim(y, dim, op_name)
    pair_sums = _along(y, dim, 1) + _along(y, dim, None, -1)
    if x is None:
        return ((1 if dx is None else dx) / 2 * pair_sums).cumsum(dim)
    widths = _interval_widths(y, x, dim, op_name)
    return (widths * pair_sums).cumsum(dim) / 2


def _check_integration_arguments(x, dx, op_name):
    """The TypeErrors of PyTorch's argument parser: x and dx together, an x not a tensor."""
    if x is not None and dx is not None:
        raise TypeError(f"{op_name}(): give the sample points x or their spacing dx, not both")
    if x is not None and not isinstance(x, Tensor):
        raise TypeError(
            f"{op_name}(): argument 'x' must be a Tensor of sample points, not "
            f"{type(x).__name__}; for evenly spaced points pass dx={x!r}"
        )


def _integration_dim(y, dim, op_name):
    dim = integer_argument(dim, op_name, "dim")
    if y.ndim == 0:
        raise IndexError(f"{op_name}: y has no dimensions to integrate along (dim {dim})")
    return y._dim(dim)


def _check_no_bool(y, x, dx, op_name):
    """No bool y or x, and dx a real number (trapz takes dx as a float: True is 1.0)."""
    if y._data.dtype.kind == "b" or (x is not None and x._data.dtype.kind == "b"):
        raise RuntimeError(
            f"{op_name}: received a bool input for `y` or `x`, but bool is not supported; "
            "convert with .float()"
        )
    if isinstance(dx, bool) and op_name != "trapz":
        raise RuntimeError(f"{op_name}: dx must be a real number, not a bool")


def _interval_widths(y, x, dim, op_name):
    """The widths of the intervals between the points ``x``, shaped to multiply the pairs
    of ``y`` along ``dim``: a 1-d ``x`` lies along ``dim``; one of fewer dims than ``y``
    takes dims of size 1 in front, as PyTorch pads it."""
    if x.ndim == 1:
        if x.shape[0] != y.shape[dim]:
            raise RuntimeError(
                f"{op_name}: There must be one `x` value for each sample point: got "
                f"{x.shape[0]} for {y.shape[dim]} samples along dim {dim}"
            )
        shape = [1] * y.ndim
        shape[dim] = -1
        return x.diff().reshape(shape)
    if x.ndim < y.ndim:
        x = x.reshape((1,) * (y.ndim - x.ndim) + tuple(x.shape))
    return _along(x, dim, 1) - _along(x, dim, None, -1)


# gradient ------------------------------------------------------------------------------


def gradient(input, *, spacing=1, dim=None, edge_order=1):
    """The derivative of ``input`` estimated along each of ``dim`` (every dim by default)
    by central differences inside and one-sided ones of order ``edge_order`` (1 or 2) at
    the two ends. ``spacing`` is the distance between samples (a number, or one per dim)
    or their coordinates (a list of 1-d tensors, one per dim). A tuple, one result per dim."""
    if isinstance(edge_order, bool):
        raise TypeError("gradient(): argument 'edge_order' must be int, not bool")
    if input._data.dtype.char == "B":
        raise RuntimeError("torch.gradient does not support uint8 input; convert with .float()")
    dims = _given_dims(input, dim)
    spacings = _gradient_spacings(spacing, len(dims), dim is None, input.ndim)
    dims = normalize_dims(dims, input.ndim) or ()
    for step in spacings:
        if isinstance(step, Tensor) and step.ndim != 1 and not isinstance(spacing, Tensor):
            raise RuntimeError(
                "torch.gradient expected each element of spacing to have one dimension, but "
                f"got an element with {step.ndim} dimensions!"
            )
    if edge_order not in (1, 2):
        raise RuntimeError(
            f"torch.gradient only supports edge_order=1 and edge_order=2, but got {edge_order}"
        )
    for axis in dims:
        if input.shape[axis] < edge_order + 1:
            raise RuntimeError(
                "torch.gradient expected each dimension size to be at least edge_order+1, but "
                f"dim {axis} has size {input.shape[axis]} for edge_order={edge_order}"
            )
    return tuple(
        _uniform_gradient(input, step, axis, edge_order)
        if not isinstance(step, Tensor) or step.ndim == 0
        else _coordinate_gradient(input, step, axis, edge_order)
        for step, axis in zip(spacings, dims)
    )


def _given_dims(input, dim):
    """The dims asked for, not yet checked: all of them for None."""
    if dim is None:
        return tuple(range(input.ndim))
    if isinstance(dim, (list, tuple)):
        return tuple(dim)
    return (integer_argument(dim, "gradient", "dim"),)


def _gradient_spacings(spacing, count, all_dims, ndim):
    """One spacing per dim: a number or a 0-d tensor (that needs no gradient: PyTorch reads
    it as a number), or a 1-d tensor of coordinates."""
    if isinstance(spacing, (numbers.Number, Tensor)):
        if isinstance(spacing, Tensor) and (spacing.ndim or spacing.requires_grad):
            raise TypeError(
                "gradient(): spacing takes a number (a 0-d tensor that needs no gradient), or a "
                "list or tuple with one number or one 1-d tensor of coordinates per dim; wrap "
                "a tensor of coordinates in a list: spacing=[t]"
            )
        return [spacing] * count
    spacing = list(spacing)
    if any(isinstance(step, Tensor) for step in spacing) and not all(
        isinstance(step, Tensor) for step in spacing
    ):
        raise TypeError(
            "gradient(): spacing takes a list of numbers or a list of tensors, not both"
        )
    if len(spacing) != count:
        if all_dims:
            raise RuntimeError(
                "torch.gradient expected spacing to be unspecified, a scalar, or a list of "
                f"length equal to 'self.dim() = {ndim}', since dim argument was not given, but "
                f"got a list of length {len(spacing)}"
            )
        raise RuntimeError(
            "torch.gradient expected spacing to be unspecified, a scalar or it's spacing and "
            f"dim arguments to have the same length, but got a spacing argument of length "
            f"{len(spacing)} and a dim argument of length {count}."
        )
    return spacing


def _uniform_gradient(input, step, axis, edge_order):
    """Samples ``step`` apart: (f[i+1] - f[i-1]) / 2h inside, in PyTorch's order of
    operations (so the values match to the bit)."""
    first, second, third = (_along(input, axis, i, i + 1) for i in range(3))
    last, before_last, third_last = (_along(input, axis, -i, -i + 1 or None) for i in (1, 2, 3))
    center = (_along(input, axis, 2) - _along(input, axis, None, -2)) / step
    if edge_order == 1:
        start = (second - first) / step
        end = (last - before_last) / step
    else:
        start = (-1.5 * first + 2 * second - 0.5 * third) / step
        end = (0.5 * third_last - 2 * before_last + 1.5 * last) / step
    return cat([start, center / 2, end], axis)


def _coordinate_gradient(input, coordinates, axis, edge_order):
    """Samples at ``coordinates``: the second-order differences of unevenly spaced points
    inside, which weigh the three neighbours by the two spacings around each point."""
    widths = coordinates.diff()
    left, right = widths[:-1], widths[1:]
    shape = [1] * input.ndim
    shape[axis] = -1
    below = (-right / (left * (left + right))).reshape(shape)
    middle = ((right - left) / (left * right)).reshape(shape)
    above = (left / (right * (left + right))).reshape(shape)
    center = (
        below * _along(input, axis, None, -2)
        + middle * _along(input, axis, 1, -1)
        + above * _along(input, axis, 2)
    )
    first, second, third = (_along(input, axis, i, i + 1) for i in range(3))
    last, before_last, third_last = (_along(input, axis, -i, -i + 1 or None) for i in (1, 2, 3))
    if edge_order == 1:
        start = (second - first) / widths[0]
        end = (last - before_last) / widths[-1]
    else:
        w0, w1, wl, wm = widths[0], widths[1], widths[-1], widths[-2]
        start = (
            -(2.0 * w0 + w1) / (w0 * (w0 + w1)) * first
            + (w0 + w1) / (w0 * w1) * second
            + -w0 / (w1 * (w0 + w1)) * third
        )
        end = (
            wl / (wm * (wl + wm)) * third_last
            + -(wl + wm) / (wl * wm) * before_last
            + (2 * wl + wm) / (wl * (wl + wm)) * last
        )
    return cat([start, center, end], axis)


# renorm --------------------------------------------------------------------------------


class Renorm(Function):
    """Each slice along ``dim`` whose p-norm is above ``maxnorm`` scaled to it (by maxnorm /
    (norm + 1e-7), PyTorch's factor); the others kept as they are."""

    saves_inputs = True
    listed_inputs = (0,)

    def forward(self, a, p, dim, maxnorm):
        self.p, self.maxnorm = p, maxnorm
        self.axes = tuple(axis for axis in range(a.ndim) if axis != dim)
        # float16 computes the norms and factors in float32, rounds the factors to float16,
        # and multiplies in float32, rounding once: PyTorch's values.
        values = a.astype("float32") if a.dtype.char == "e" else a
        norm = _slice_norms(values, p, self.axes)
        factor = xp(a).where(norm > maxnorm, maxnorm / (norm + 1e-7), 1.0)
        factor = factor.astype(a.dtype).astype(values.dtype)
        # contiguous, as PyTorch's result, whatever the input's layout
        return xp(a).ascontiguousarray((values * factor).astype(a.dtype))

    def backward(self, grad):
        """Where a slice was scaled: grad f - f / (n + 1e-7) sum(grad a) dn/da, with f the
        factor and n the norm (a differentiable one, for the second order); elsewhere grad."""
        a, axes = self.inputs[0], self.axes
        norm = vector_norm(a, self.p, axes, keepdim=True)
        inverse = 1 / (norm + 1e-7)
        factor = inverse * self.maxnorm
        inner = (grad * a).sum(axes, keepdim=True)
        scaled = factor * grad - factor * inverse * inner * _norm_derivative(a, norm, self.p, axes)
        return where(norm > self.maxnorm, scaled, grad), None, None, None


def _slice_norms(a, p, axes):
    """The p-norm of each slice (``axes`` reduced, kept as dims of size 1)."""
    namespace = xp(a)
    magnitude = namespace.abs(a)
    if p == math.inf:
        norm = magnitude.max(axis=axes, keepdims=True)  # (renorm refuses empty slices)
    elif p == 2:
        norm = namespace.sqrt((a * a).sum(axis=axes, keepdims=True))
    elif p == 1:
        norm = magnitude.sum(axis=axes, keepdims=True)
    else:
        norm = (magnitude**p).sum(axis=axes, keepdims=True) ** (1.0 / p)
    return namespace.asarray(norm, a.dtype)


def _norm_derivative(a, norm, p, axes):
    """d norm / d a for the slices whose norm is not 0 (the ones renorm scales): sign(a)
    (|a| / norm)^(p-1); for the inf norm, sign(a) shared among the largest elements. For
    p < 1 it is infinite at a zero element, where PyTorch takes it as 0."""
    if p == math.inf:
        largest = a.abs() == norm
        return a.sign() * largest / largest.sum(axes, keepdim=True)
    safe_norm = where(norm == 0, 1.0, norm)
    if p == 2:
        return a / safe_norm
    if p < 1:
        zero = a == 0
        magnitude = where(zero, 1.0, a.abs())  # (so that the second order meets no 0 * inf)
        return where(zero, 0.0, a.sign() * (magnitude / safe_norm) ** (p - 1))
    return a.sign() * (a.abs() / safe_norm) ** (p - 1)


def renorm(input, p, dim, maxnorm):
    """``input`` with each slice along ``dim`` whose ``p``-norm exceeds ``maxnorm`` scaled
    down to that norm. PyTorch's checks, in its order."""
    dim = integer_argument(dim, "renorm", "dim")
    p, maxnorm = float(p), float(maxnorm)
    if p <= 0:
        raise RuntimeError(f"renorm: non-positive-norm not supported (p={p})")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm}")
    if input.ndim < 2:
        raise RuntimeError(
            f"renorm: input needs at least 2 dimensions, got {input.ndim} dimensions"
        )
    dim = input._dim(dim)
    if input._data.dtype.kind != "f":
        raise RuntimeError(
            f"renorm(): expected a floating point tensor, but got {input.dtype}; convert "
            "with .float()"
        )
    if p == math.inf and 0 in input.shape[:dim] + input.shape[dim + 1 :]:
        raise RuntimeError(
            "renorm: cannot compute the inf norm of empty slices, which have no largest "
            f"element (input of shape {list(input.shape)}, dim {dim})"
        )
    return Renorm.apply(input, p, dim, maxnorm)
