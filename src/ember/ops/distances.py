"""The p-norm distances: dist (between two tensors) and cdist (between every row of one
batch of points and every row of another), one node each, as PyTorch records them."""

import math

from .. import backend
from ..arguments import check_tensors, float_argument
from ..autograd.function import Function
from ..backend import c_contiguous
from ..backend import namespace_of as xp  # the array namespace of an array
from ..device import check_same_device
from ..tensor import Tensor
from .elementwise import refuse_bool_subtraction
from .operands import broadcast_error, promote
from .selection import where

_COMPUTE_MODES = {
    "use_mm_for_euclid_dist_if_necessary": 25,  # by products past 25 rows, as PyTorch
    "use_mm_for_euclid_dist": 0,
    "donot_use_mm_for_euclid_dist": None,
}


def _p_norm(array, p, axis):
    """The p-norm of ``array`` over ``axis`` (all of it when None), in its dtype; float16
    is summed in float32 (as PyTorch does), then rounded once."""
    namespace = xp(array)
    dtype = array.dtype
    if dtype == namespace.float16:
        array = array.astype(namespace.float32)
    magnitude = namespace.abs(array)
    # by backend.reduction: the array's methods warn of an overflow from NumPy's own
    # module, past ember's filter (PyTorch's inf is quiet)
    if p == 0:
        norm = backend.reduction(array != 0, "sum", axis)
    elif p == 1:
        norm = backend.reduction(magnitude, "sum", axis)
    elif p == 2:
        norm = namespace.sqrt(backend.reduction(array * array, "sum", axis))
    elif p == math.inf:
        norm = backend.reduction(magnitude, "max", axis)
    elif p == -math.inf:
        norm = backend.reduction(magnitude, "min", axis)
    else:
        norm = backend.reduction(magnitude**p, "sum", axis) ** (1.0 / p)
    return namespace.asarray(norm, dtype)


def _p_norm_gradient(difference, norm, p, share_ties):
    """The gradient of ``||difference||_p`` (whose value, broadcast, is ``norm``) with
    respect to ``difference``: zero where the norm is zero, and where an element is zero
    for p < 1, as in PyTorch. For p = ±inf the extreme elements take it all; with
    ``share_ties`` (dist, not cdist), equally."""
    if p == 0:
        return difference.new_zeros(difference.shape)  # counting non-zeros has no slope
    if p == 1:
        return difference.sign()
    if abs(p) == math.inf:
        extreme = (difference.abs() == norm).to(difference.dtype)
        picked = difference.sign() * extreme
        return picked / extreme.sum() if share_ties else picked
    safe_norm = where(norm == 0, 1.0, norm)  # no 0/0 in the branch where() drops
    if p == 2:
        return where(norm == 0, 0.0, difference / safe_norm)
    safe_magnitude = where(difference == 0, 1.0, difference.abs())
    scaled = difference.sign() * (safe_magnitude / safe_norm) ** (p - 1)
    return where((norm == 0) | (difference == 0), 0.0, scaled)


def _check_p(p, op_name):
    """The order of a norm, as PyTorch's parser reads it: a number (True is 1), or a 0-d
    tensor's."""
    if isinstance(p, Tensor) or not isinstance(p, (int, float)):
        p = float_argument(p, op_name, "p")
    return backend.python_number(p)


class Dist(Function):
    """``||input - other||_p`` over all elements, one node (PyTorch's ``DistBackward0``)."""

    saves_inputs = True
    saves_output = True

    def forward(self, a, b, p):
        self.p = p
        return _p_norm(a - b, p, axis=None)

    def backward(self, grad):
        a, b = self.inputs
        slope = _p_norm_gradient(a - b, self.output, self.p, share_ties=True) * grad
        grad_a = slope if self.needs_input_grad(0) else None
        grad_b = -slope if self.needs_input_grad(1) else None
        return grad_a, grad_b


def dist(input, other, p=2):
    """The p-norm of ``input - other`` (they broadcast and promote), as a 0-d tensor."""
    check_tensors("dist", input=input, other=other)
    p = _check_p(p, "dist")
    refuse_bool_subtraction(input, other)  # dist is the norm of input - other
    error = broadcast_error(input, other)
    if error is not None:
        raise error
    input, other = promote(input, other)
    if not input.is_floating_point():
        raise RuntimeError(
            f"dist: the inputs' dtype should be floating point, got {input.dtype}; convert "
            "them with .float()"
        )
    if (p < 0 or p == math.inf) and 0 in backend.cpu_namespace.broadcast_shapes(
        input.shape, other.shape
    ):
        raise RuntimeError(
            f"dist cannot compute the {p} norm of no elements: the operation has no identity"
        )
    return Dist.apply(input, other, p=p)


class Cdist(Function):
    """The p-norm distance of every row of x1 to every row of x2 (batches broadcast)."""

    saves_inputs = True
    saves_output = True

    def forward(self, x1, x2, p, by_products):
        self.p, self.by_products = p, by_products
        namespace = xp(x1)
        if by_products:
            distances = _euclidean_by_products(x1, x2)
        elif x1.shape[-1] == 0:  # no coordinates: every distance is 0, whatever p
            batch = backend.cpu_namespace.broadcast_shapes(x1.shape[:-2], x2.shape[:-2])
            distances = namespace.zeros(batch + (x1.shape[-2], x2.shape[-2]), x1.dtype)
        else:
            distances = _distances_of_differences(x1[..., :, None, :] - x2[..., None, :, :], p)
        return c_contiguous(distances)  # as PyTorch's, whatever the inputs' layout

    def backward(self, grad):
        x1, x2 = self.inputs
        distance = self.output
        if self.by_products:
            return _euclidean_grads(self, grad, x1, x2, distance)
        difference = x1.unsqueeze(-2) - x2.unsqueeze(-3)
        slope = _p_norm_gradient(difference, distance.unsqueeze(-1), self.p, share_ties=False)
        if self.p == math.inf:
            # NaN at a NaN the distance passed over and at an infinite difference, where
            # PyTorch's test for the largest takes inf - inf
            slope = where(difference.isnan() | difference.isinf(), math.nan, slope)
        weighted = slope * grad.unsqueeze(-1)
        grad_x1 = weighted.sum(-2) if self.needs_input_grad(0) else None
        grad_x2 = -weighted.sum(-3) if self.needs_input_grad(1) else None
        return grad_x1, grad_x2


def _distances_of_differences(difference, p):
    """The p-norms over the last dim, with NaN taken as PyTorch's cdist takes it: p=0
    gives NaN (where dist counts it as not zero), p=inf passes over it (0 for NaN alone)."""
    namespace = xp(difference)
    if p == math.inf:
        difference = namespace.where(namespace.isnan(difference), 0, difference)
    norm = _p_norm(difference, p, axis=-1)
    if p == 0:
        norm = namespace.where(namespace.isnan(difference).any(axis=-1), math.nan, norm)
    return norm


def _euclidean_by_products(x1, x2):
    """Euclidean distances from |x1|^2 + |x2|^2 - 2 x1.x2: one matrix product instead of
    every difference (faster, less memory; less exact for near points, as in PyTorch).
    float16 rounds where PyTorch's does: each square, each sum of squares, the squared
    distance (its sums taken in float32), the root."""
    namespace = xp(x1)
    half = x1.dtype == namespace.float16
    norms = [(x * x).sum(axis=-1, dtype="float32" if half else None) for x in (x1, x2)]
    if half:
        norms = [norm.astype(x1.dtype).astype("float32") for norm in norms]
        x1, x2 = x1.astype("float32"), x2.astype("float32")
    squared = norms[0][..., :, None] + norms[1][..., None, :] - 2 * (x1 @ x2.swapaxes(-1, -2))
    if half:
        squared = squared.astype(namespace.float16).astype("float32")
        return namespace.sqrt(namespace.maximum(squared, 0)).astype(namespace.float16)
    return namespace.sqrt(namespace.maximum(squared, 0))


def _euclidean_grads(node, grad, x1, x2, distance):
    """The Euclidean distance's gradients in matrix products: sum_j r_ij (x1_i - x2_j) with
    r = grad / distance (zero where the distance is)."""
    safe_distance = where(distance == 0, 1.0, distance)
    ratio = where(distance == 0, 0.0, grad / safe_distance)
    grad_x1 = grad_x2 = None
    if node.needs_input_grad(0):
        grad_x1 = x1 * ratio.sum(-1, keepdim=True) - ratio @ x2
    if node.needs_input_grad(1):
        grad_x2 = x2 * ratio.sum(-2).unsqueeze(-1) - ratio.mT @ x1
    return grad_x1, grad_x2


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """The p-norm distances between the rows of x1 (..., P, M) and of x2 (..., R, M): a
    (..., P, R) tensor. ``compute_mode`` picks, for p = 2, between the differences (exact)
    and matrix products (fast), as PyTorch's does."""
    check_tensors("cdist", x1=x1, x2=x2)
    p = _check_p(p, "cdist")
    _check_cdist_operands(x1, x2)
    if not p >= 0:
        raise RuntimeError(f"cdist only supports non-negative p values, got p={p}")
    if compute_mode not in _COMPUTE_MODES:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    _check_batches_broadcast(x1, x2)
    row_limit = _COMPUTE_MODES[compute_mode]
    rows = max(x1.shape[-2], x2.shape[-2])
    by_products = p == 2 and row_limit is not None and rows > row_limit
    if x1._data.dtype.itemsize < 4 and not by_products and _has_distances(x1, x2):
        # PyTorch's products take float16, and so does its answer where there is nothing to do
        raise NotImplementedError(
            f"cdist of {x1.dtype} is implemented only by matrix products (p=2 with "
            "compute_mode='use_mm_for_euclid_dist', or over 25 rows); use .float()"
        )
    return Cdist.apply(x1, x2, p=p, by_products=by_products)


def _has_distances(x1, x2):
    """Whether cdist has distances to compute: rows on both sides, coordinates, a batch."""
    batch = backend.cpu_namespace.broadcast_shapes(x1.shape[:-2], x2.shape[:-2])
    return 0 not in (*batch, x1.shape[-2], x2.shape[-2], x1.shape[-1])


def _check_batches_broadcast(x1, x2):
    try:
        backend.cpu_namespace.broadcast_shapes(x1.shape[:-2], x2.shape[:-2])
    except ValueError:
        raise RuntimeError(
            f"cdist: the batch dims of X1 {list(x1.shape[:-2])} and of X2 "
            f"{list(x2.shape[:-2])} do not broadcast"
        ) from None


def _check_cdist_operands(x1, x2):
    for name, operand in (("X1", x1), ("X2", x2)):
        if operand.ndim < 2:
            raise RuntimeError(
                f"cdist only supports at least 2D tensors, {name} got: {operand.ndim}D"
            )
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(
            f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}"
        )
    for name, operand in (("X1", x1), ("X2", x2)):
        if not operand.is_floating_point():
            raise RuntimeError(
                f"cdist only supports floating-point dtypes, {name} got: {operand.dtype}"
            )
    if x1._data.dtype != x2._data.dtype:
        raise RuntimeError(
            f"cdist: expected both inputs to have the same dtype, but got {x1.dtype} and {x2.dtype}"
        )
    if type(x1._data) is not type(x2._data):
        check_same_device(x1._data, x2._data, "cdist")
