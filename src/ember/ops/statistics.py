"""Statistics of a tensor's values: median and nanmedian, quantile and nanquantile, mode and
aminmax, and the counts bincount and histc.

The order statistics read their values at the positions that ember's stable sort gives
(NaN last, as in PyTorch), so that their gradients go back to the places the values came
from, and among equal values to the index PyTorch's kernels return (the median's and the
quantile's; the mode's in rows of up to 16 values, see ``mode``).
"""

import math

from .. import backend, return_types
from ..arguments import bool_argument, check_tensors, float_argument, integer_argument
from ..autograd.function import Function
from ..backend import c_contiguous
from ..backend import namespace_of as xp  # the array namespace of an array
from ..creation import refuse_out
from ..dims import takes_axis
from ..tensor import Tensor
from .gathering import Gather
from .reductions import ReduceExtreme, refuse_empty_reduction
from .rounding import ceil, floor, round
from .selection import where
from .sorting import sort, stable_order

_NOT_GIVEN = object()  # median's dim: median(x) and median(x, dim) are two overloads

QUANTILE_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


class PickAlongDim(Gather):
    """The input's elements at ``index`` (dims kept) along ``axis``, the dim then dropped
    unless kept; the gradient goes back to those places. ``node_name`` is PyTorch's name."""

    def forward(self, a, index, axis, keepdim, node_name):
        self.axis, self.node_name = axis, node_name
        self.drops_dim = a.ndim and not keepdim
        values = super().forward(a, index, axis)
        return values.squeeze(axis) if self.drops_dim else values

    def backward(self, grad):
        if self.drops_dim:
            grad = grad.unsqueeze(self.axis)
        return super().backward(grad) + (None, None)

    def name(self):
        return self.node_name


def _picked(result_type, input, index, axis, keepdim, node_name):
    """``result_type(values, indices)`` for the elements at ``index`` along ``axis``."""
    values = PickAlongDim.apply(input, index, axis, keepdim, node_name)
    if input._data.ndim and not keepdim:
        index = index.squeeze(axis)
    return result_type(values, Tensor._make(index))


# median and nanmedian ------------------------------------------------------------


@takes_axis
def median(input, dim=_NOT_GIVEN, keepdim=False, *, out=None):
    """The lower of the two middle values: of every element, or along ``dim`` with its
    index. A NaN makes the median NaN (along a dim, at the row's first NaN)."""
    return _median(input, dim, keepdim, out, "median")


@takes_axis
def nanmedian(input, dim=_NOT_GIVEN, keepdim=False, *, out=None):
    """The median of the values that are not NaN (NaN where all are)."""
    return _median(input, dim, keepdim, out, "nanmedian")


def _median(input, dim, keepdim, out, op_name):
    refuse_out(out, op_name)
    bool_argument(keepdim, op_name, "keepdim")
    skip_nan = op_name == "nanmedian"
    data = input._data
    if dim is _NOT_GIVEN:
        if keepdim is not False:
            raise TypeError(f"{op_name}(): keepdim needs a dim: {op_name}(input, dim, keepdim)")
        if data.size:  # (PyTorch gives the median of nothing even for bools)
            _refuse_bool(input, op_name)
        return MedianOfAll.apply(input, skip_nan)
    axis = input._dim(integer_argument(dim, op_name, "dim"))
    if data.ndim:
        refuse_empty_reduction(input, (axis,), op_name)
    _refuse_bool(input, op_name)
    if not data.ndim:
        index = xp(data).zeros((), "int64")
    else:
        index = median_index(data, axis, skip_nan)
    node_name = "NanmedianBackward1" if skip_nan else "MedianBackward1"
    result_type = return_types.nanmedian if skip_nan else return_types.median
    return _picked(result_type, input, index, axis, keepdim, node_name)


def _refuse_bool(input, op_name):
    if input._data.dtype.kind == "b":
        raise NotImplementedError(
            f"{op_name}() is not implemented for bool tensors; convert with .long() first"
        )


def median_index(data, axis, skip_nan):
    """The index along ``axis`` (kept as a dim of size 1) of each row's median: the lower
    middle place of the row's stable ascending order. A row with a NaN has median's at its
    first NaN (NaN sorts last) and nanmedian's at the lower middle of the other values (at
    the first NaN where all are NaN), as in PyTorch."""
    namespace = xp(data)
    size = data.shape[axis]
    if data.dtype.kind != "f" or not bool(namespace.isnan(data).any()):
        return kth_smallest_index(data, axis, (size - 1) // 2)
    nan_count = namespace.isnan(data).sum(axis=axis, keepdims=True)
    if skip_nan:
        rank = namespace.maximum((size - nan_count - 1) // 2, 0)
    else:
        rank = namespace.where(nan_count > 0, size - nan_count, (size - 1) // 2)
    order = stable_order(data, axis, False)
    return namespace.take_along_axis(order, rank.astype("int64"), axis=axis)


def kth_smallest_index(data, axis, k):
    """The index along ``axis`` (kept) of the ``k``-th smallest value of each row (no NaN)
    in stable order: the value by a partition, O(n) where a sort is O(n log n) (a median of
    a million values: 20 ms, not 150), and among the places holding it, the one that a
    stable sort puts at ``k``: its (k - number smaller)-th, counting from 0."""
    namespace = xp(data)
    value = namespace.partition(data, k, axis=axis)[(slice(None),) * axis + (slice(k, k + 1),)]
    smaller = (data < value).sum(axis=axis, keepdims=True)
    equal = data == value
    occurrence = namespace.cumsum(equal, axis=axis) - 1
    wanted = equal & (occurrence == k - smaller)
    return namespace.argmax(wanted, axis=axis, keepdims=True).astype("int64")


class MedianOfAll(ReduceExtreme):
    """median() and nanmedian() of every element. As for max(), equal values share the
    gradient evenly, and a NaN result sends it to the NaNs."""

    def forward(self, a, skip_nan):
        self.axes, self.keepdim, self.whole, self.skip_nan = None, False, True, skip_nan
        flat = a.reshape(-1)
        if not flat.size:  # NaN, made the input's type as PyTorch's C cast makes it
            return xp(a).full((), math.nan).astype(a.dtype)
        return flat[median_index(flat, 0, skip_nan)].reshape(())

    def backward(self, grad):
        return super().backward(grad)[:2]

    def name(self):
        return "NanmedianBackward0" if self.skip_nan else "MedianBackward0"


# mode ---------------------------------------------------------------------------


@takes_axis
def mode(input, dim=-1, keepdim=False, *, out=None):
    """The most frequent value along ``dim``, and its index.

    As in PyTorch's kernel, which sorts the row and counts its runs of equal values:
    among values equally frequent the smallest wins, its index is its last place, and
    each NaN is a run of its own. PyTorch's sort is not stable for rows of more than 16
    values, so there its index can be another place of the same value."""
    refuse_out(out, "mode")
    axis = input._dim(integer_argument(dim, "mode", "dim"))
    bool_argument(keepdim, "mode", "keepdim")
    data = input._data
    if not data.ndim:
        index = xp(data).zeros((), "int64")
    else:
        refuse_empty_reduction(input, (axis,), "mode")
        index = mode_index(data, axis)
    return _picked(return_types.mode, input, index, axis, keepdim, "ModeBackward0")


def mode_index(data, axis):
    """The index along ``axis`` (kept as a dim of size 1) of each row's mode (see mode)."""
    namespace = xp(data)
    moved = namespace.moveaxis(data, axis, -1)
    rows = moved.reshape(-1, moved.shape[-1])
    order = stable_order(rows, 1, False)
    ordered = namespace.take_along_axis(rows, order, axis=1)
    run_ends = namespace.ones(ordered.shape, bool)
    run_ends[:, :-1] = ordered[:, 1:] != ordered[:, :-1]  # NaN != NaN: a run of its own
    # Number the runs of all rows at once (a row's last place always ends a run), then
    # give each place its run's length.
    ends = run_ends.reshape(-1)
    run_of_place = namespace.cumsum(ends) - ends
    lengths = namespace.bincount(run_of_place)[run_of_place].reshape(rows.shape)
    # The first longest run, in ascending order, is the smallest of the most frequent values.
    best_end = namespace.argmax(namespace.where(run_ends, lengths, 0), axis=1)
    index = namespace.take_along_axis(order, best_end[:, None], axis=1)
    return namespace.moveaxis(index.reshape(moved.shape[:-1] + (1,)), -1, axis)


# quantile and nanquantile ---------------------------------------------------------


@takes_axis
def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """The ``q``-th quantiles (``q`` a number or a 1-d tensor in [0, 1]) of all of ``input``
    or along ``dim``; with a tensor ``q`` its values make a first dim. Between two values
    the result is found by ``interpolation``. A NaN makes the quantile NaN."""
    return _quantile(input, q, dim, keepdim, interpolation, out, "quantile")


@takes_axis
def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """The quantiles of the values that are not NaN (NaN where all are)."""
    return _quantile(input, q, dim, keepdim, interpolation, out, "nanquantile")


def _quantile(input, q, dim, keepdim, interpolation, out, op_name):
    """Composed of ember's differentiable ops, as PyTorch's is: sort, read the values below
    and above each rank, interpolate. The gradient goes back through the sort to the places
    the values came from (and to ``q`` through the linear interpolation's weights)."""
    refuse_out(out, op_name)
    bool_argument(keepdim, op_name, "keepdim")
    if dim is not None:  # its type read first, as PyTorch's parser does: before q and input
        dim = integer_argument(dim, op_name, "dim")
    points, one_point = _quantile_points(input, q, interpolation, op_name)
    axis = None if dim is None else input._dim(dim)
    rows = input.reshape(-1) if axis is None or not input.ndim else input.movedim(axis, -1)
    ordered = sort(rows, -1).values
    ranks = _quantile_ranks(ordered, points, op_name == "nanquantile")
    if interpolation in ("lower", "higher", "nearest"):
        ranks = {"lower": floor, "higher": ceil, "nearest": round}[interpolation](ranks)
    below = Tensor._make(ranks._data.astype("int64"))
    result = Gather.apply(ordered, below, ordered.ndim - 1)
    if interpolation in ("linear", "midpoint"):
        above = Tensor._make(xp(ranks._data).ceil(ranks._data).astype("int64"))
        weights = ranks - below if interpolation == "linear" else 0.5
        result = result.lerp(Gather.apply(ordered, above, ordered.ndim - 1), weights)
    result = result.movedim(-1, 0)  # the quantiles first
    if keepdim and axis is None:
        result = result.reshape((-1,) + (1,) * input.ndim)
    elif keepdim and input.ndim:
        result = result.unsqueeze(axis + 1)
    return result.squeeze(0) if one_point else result


def _quantile_points(input, q, interpolation, op_name):
    """``q`` as a 1-d tensor of the input's dtype, and whether it was one number (or 0-d),
    after PyTorch's checks of q, the interpolation and the input, in PyTorch's order."""
    if not isinstance(q, Tensor):
        value = float(float_argument(q, op_name, "q"))
        if not 0 <= value <= 1:
            raise RuntimeError(f"{op_name}() q must be in the range [0, 1] but got {q}")
    if not isinstance(interpolation, str):
        raise TypeError(
            f"{op_name}(): argument 'interpolation' must be str, not {type(interpolation).__name__}"
        )
    if interpolation not in QUANTILE_INTERPOLATIONS:
        raise RuntimeError(
            f"{op_name}() interpolation must be one of linear, lower, higher, midpoint or "
            f"nearest, but got {interpolation}"
        )
    if input._data.size == 0:
        raise RuntimeError(f"{op_name}() input tensor must be non-empty")
    if isinstance(q, Tensor) and q._data.ndim > 1:
        raise RuntimeError(f"{op_name}() q must be a scalar or 1D tensor, but got {q.ndim} dims")
    if input._data.dtype.char not in "fd":
        raise RuntimeError(
            f"{op_name}() input tensor must be either float or double dtype, not "
            f"{input.dtype}; convert with .float()"
        )
    if not isinstance(q, Tensor):
        points = Tensor._make(xp(input._data).asarray([value], dtype=input._data.dtype))
        return points, True
    if q._data.dtype != input._data.dtype:
        raise RuntimeError(
            f"{op_name}() q tensor must be same dtype as the input tensor ({input.dtype}), "
            f"but got {q.dtype}"
        )
    data = q._data
    if not bool(((data >= 0) & (data <= 1)).all()):
        raise RuntimeError(f"{op_name}() q values must be in the range [0, 1]")
    return (q.reshape(1) if not data.ndim else q), not data.ndim


def _quantile_ranks(ordered, points, skip_nan):
    """The fractional places, in each sorted row, of the quantiles ``points``: one dim of
    them last. quantile's is the last place in a row with a NaN (so its result is NaN);
    nanquantile's counts only the values that are not NaN (0 where all are NaN)."""
    data = ordered._data
    namespace = xp(data)
    if skip_nan:
        counts = (~namespace.isnan(data)).sum(axis=-1, keepdims=True)
        ranks = points * Tensor._make(counts - 1)
        return where(ranks < 0, 0.0, ranks)
    last = data.shape[-1] - 1
    has_nan = Tensor._make(namespace.isnan(data[..., -1:]))
    return where(has_nan, float(last), points * last)


# aminmax --------------------------------------------------------------------------


class AminmaxPart(ReduceExtreme):
    """aminmax's min or max: amin's or amax's node (equal values share the gradient),
    named as PyTorch names the one node it makes for both."""

    def forward(self, a, axes, keepdim, largest):
        # contiguous, as PyTorch's (NumPy's follows the layout of a non-contiguous input)
        return c_contiguous(super().forward(a, axes, keepdim, largest))

    def name(self):
        return "AminmaxBackward0"


@takes_axis
def aminmax(input, *, dim=None, keepdim=False):
    """``(min, max)`` of all of ``input``, or along ``dim``, in one call."""
    bool_argument(keepdim, "aminmax", "keepdim")
    if dim is None:
        if input._data.size == 0:
            raise RuntimeError(
                "aminmax(): cannot compute aminmax over an empty tensor, which has no min "
                "and no max; pass a dim to reduce along another dim"
            )
        axes = None
    else:
        axis = input._dim(integer_argument(dim, "aminmax", "dim"))
        axes = (axis,) if input._data.ndim else None
        if axes:
            refuse_empty_reduction(input, axes, "aminmax")
    low = AminmaxPart.apply(input, axes, keepdim, False)
    high = AminmaxPart.apply(input, axes, keepdim, True)
    return return_types.aminmax(low, high)


# bincount and histc ---------------------------------------------------------------


class Bincount(Function):
    """bincount with ``weights`` that require a gradient: the result records a node, as in
    PyTorch, but it has no gradient."""

    listed_inputs = (1,)

    def forward(self, counted, weights, counts):
        return counts

    def backward(self, grad):
        raise RuntimeError(  # PyTorch's type (unique_consecutive's is NotImplementedError)
            "bincount() has no gradient (the derivative for 'bincount' is not implemented)"
        )

    def name(self):
        return "torch::autograd::NotImplemented"  # PyTorch's name, as it prints it


def bincount(input, weights=None, minlength=0):
    """How often each value 0, 1, ..., max(input) occurs in a 1-d tensor of non-negative
    integers (at least ``minlength`` counts); with ``weights``, the sum of their weights."""
    minlength = integer_argument(minlength, "bincount", "minlength")
    if weights is not None:
        check_tensors("bincount", weights=weights)
    data = input._data
    if data.dtype.kind not in "iu":
        raise NotImplementedError(
            f"bincount() is only implemented for integer tensors, not {input.dtype}; "
            "convert with .long() first"
        )
    if minlength < 0:
        raise RuntimeError(f"bincount(): minlength should be >= 0, but got {minlength}")
    if data.ndim != 1 or (data.size and bool((data < 0).any())):
        raise RuntimeError(
            "bincount only supports 1-d non-negative integral inputs: got a tensor of shape "
            f"{list(data.shape)}" + (" with a negative value" if data.ndim == 1 else "")
        )
    namespace = xp(data)
    if not data.size:  # PyTorch's counts of nothing are int64, and it reads no weights
        return Tensor._make(namespace.zeros(minlength, "int64"))
    if weights is not None and (weights._data.ndim != 1 or len(weights._data) != len(data)):
        raise RuntimeError(
            "bincount(): weights should be 1-d and have the same length as input: got weights "
            f"of shape {list(weights.shape)} for an input of shape {list(data.shape)}"
        )
    if weights is None:
        return Tensor._make(namespace.bincount(data, minlength=minlength).astype("int64"))
    counts = _weighted_counts(data, weights._data, minlength)
    if weights.requires_grad:
        return Bincount.apply(input, weights, counts)
    return Tensor._make(counts)


def _weighted_counts(data, weights, minlength):
    """The weights summed per value: float32 weights in float32, one after another, as
    PyTorch adds them (NumPy's bincount would add them in float64); others in float64."""
    namespace = xp(data)
    if weights.dtype.char != "f":
        return namespace.bincount(data, weights.astype("float64"), minlength)
    counts = namespace.zeros(max(int(data.max()) + 1, minlength), "float32")
    backend.scatter_add(counts, data, weights)
    return counts


def histc(input, bins=100, min=0, max=0, *, out=None):  # noqa: A002 - PyTorch's names
    """How many elements fall in each of ``bins`` equal bins over [min, max] (the last bin
    takes max too); elements outside, and NaNs, are not counted. With min == max the range
    is the data's own (widened by 1 each way where that is one value). The counts are of
    the input's dtype."""
    refuse_out(out, "histc")
    bins = integer_argument(bins, "histc", "bins")
    data = input._data
    if data.dtype.kind != "f":
        raise NotImplementedError(
            f"histc() is only implemented for floating point tensors, not {input.dtype}; "
            "convert with .float() first"
        )
    if bins <= 0:
        raise RuntimeError(f"histc(): bins must be > 0, but got {bins}")
    low, high = (
        float(float_argument(end, "histc", name)) for end, name in ((min, "min"), (max, "max"))
    )
    low, high = _histogram_range(data, low, high)
    return Tensor._make(_histogram(data, bins, low, high))


def _histogram_range(data, low, high):
    """[min, max] as PyTorch's histc settles them, with its checks."""
    if low == high and data.size:
        low, high = float(data.min()), float(data.max())
    if low == high:
        low, high = low - 1, high + 1
    if not (math.isfinite(low) and math.isfinite(high)):
        raise RuntimeError(
            f"histc(): range of [{low}, {high}] is not finite; give min and max, or remove "
            "the infinities and NaNs from the data"
        )
    if low > high:
        raise RuntimeError(f"histc(): max must be larger than min, but got min={low}, max={high}")
    return low, high


def _histogram(data, bins, low, high):
    """The counts per bin, each element's bin found as PyTorch's kernel finds it: the range's
    ends in the data's dtype, then (x - low) * bins / (high - low) in that dtype (float16
    rounded after each step, as c10's Half arithmetic rounds), truncated; max falls in the
    last bin."""
    namespace = xp(data)
    low, high = (namespace.asarray(end, data.dtype) for end in (low, high))
    values = data.reshape(-1)
    inside = values[(values >= low) & (values <= high)]  # NaN is neither
    positions = ((inside - low) * bins / (high - low)).astype("int64")
    positions = namespace.minimum(positions, bins - 1)
    return namespace.bincount(positions, minlength=bins).astype(data.dtype)
