"""Reductions: sum, mean, prod, max/min, arg-reductions, var/std, logsumexp, the NaN-
skipping nansum and nanmean, all and any. The running (cumulative) ops are in
``cumulative.py``.

``dim`` may be None (reduce everything), an int or a sequence of ints;
``keepdim`` keeps reduced dims as size 1. ``axis``/``keepdims`` are accepted
as NumPy-style aliases, as PyTorch does.
"""

import builtins
import math
import warnings

from .. import dtypes, return_types
from ..arguments import bool_argument, integer_argument, is_integer, type_name
from ..autograd.function import Function
from ..autograd.grad_mode import is_grad_enabled
from ..backend import namespace_of as xp  # the array namespace of an array
from ..backend import reduction
from ..creation import refuse_out, zeros_like
from ..dims import normalize_dims, wrap_dim
from ..tensor import Tensor
from .gathering import Scatter
from .joining import cat, stack
from .movement import Expand, Reshape
from .selection import maximum, minimum, where
from .unary_math import as_floating, exp

REQUIRED = object()  # the default of an argument that must be given (by one name or another)
EVERY_DIM = object()  # the default dim of prod, max and min, which take an int or none, not None


def kept_shape(shape, axes):
    """The shape of a reduction with keepdim=True."""
    if axes is None:
        return (1,) * len(shape)
    return tuple(1 if axis in axes else size for axis, size in enumerate(shape))


def reduced_shape(shape, axes):
    """The shape of a reduction without keepdim."""
    if axes is None:
        return ()
    return tuple(size for axis, size in enumerate(shape) if axis not in axes)


def spread(grad, shape, axes, keepdim):
    """Stretch a reduction's gradient back over the dims it reduced (a view, no copy).

    The shapes are right by construction, so the ops are applied directly,
    without the argument checks of the public reshape and expand.
    """
    if not keepdim and axes is not None:
        grad = Reshape.apply(grad, kept_shape(shape, axes), True)
    return Expand.apply(grad, shape)


class Sum(Function):
    listed_inputs = (0,)

    def forward(self, a, axes, keepdim, integer_type=None):
        """``integer_type``: the integer (or bool) type that ``dtype=`` named, to sum in."""
        self.shape, self.axes, self.keepdim = a.shape, axes, keepdim
        code = a.dtype.char
        if code == "f" or code == "d":
            return reduction(a, "sum", axes, keepdim)
        if code == "e":  # PyTorch adds float16 in float32 (NumPy adds rows in float16)
            return reduction(a, "sum", axes, keepdim, dtype="float32").astype(a.dtype)
        # PyTorch widens ints to int64, unless dtype= names a type
        return reduction(a, "sum", axes, keepdim, dtype=integer_type or "int64")

    def backward(self, grad):
        return spread(grad, self.shape, self.axes, self.keepdim), None, None

    def name(self):
        return "SumBackward0" if self.axes is None else "SumBackward1"


class Mean(Function):
    listed_inputs = (0,)

    def forward(self, a, axes, keepdim):
        self.shape, self.axes, self.keepdim = a.shape, axes, keepdim
        if a.size == 0:  # nan where a mean has no values, without NumPy's two warnings
            self.count = 0
            return a.sum(axis=axes, keepdims=keepdim) * math.nan
        out = mean_of(a, axes, keepdim)
        self.count = a.size // out.size
        return out

    def backward(self, grad):
        # Divided before it is spread (each element is grad / count either way, and a
        # division over a broadcast view is NumPy's slow loop), then cloned: a tensor of its
        # own, so that the gradient autograd.grad returns can be written into. With no
        # element, the empty result is divided (grad / 0 would be a NaN second derivative).
        if self.count == 0:
            return spread(grad, self.shape, self.axes, self.keepdim) / self.count, None, None
        spread_grad = spread(grad / self.count, self.shape, self.axes, self.keepdim)
        return spread_grad.clone(), None, None

    def name(self):
        return "MeanBackward0" if self.axes is None else "MeanBackward1"


def mean_of(array, axes, keepdims):
    """NumPy's mean of a non-empty array, in the array's dtype. A float32 or float64 sum
    takes the faster paths of ``backend.reduction``; the division is NumPy's own."""
    if array.dtype.char not in "fd":  # float16 adds in float32, as in NumPy's own mean,
        # called here so that NumPy's warnings of an inf - inf come from ember (filtered)
        total = reduction(array, "sum", axes, keepdims, dtype="float32")
        return (total / (array.size // total.size)).astype(array.dtype, copy=False)
    total = reduction(array, "sum", axes, keepdims)
    return total / (array.size // total.size)


class Prod(Function):
    listed_inputs = (0,)
    saves_inputs = True
    saves_output = True

    def forward(self, a, axes, keepdim, integer_type=None):
        self.axes, self.keepdim = axes, keepdim
        # NumPy's method warns of an overflow from its own module, past ember's filter;
        # PyTorch gives the inf (or the wrapped int) quietly
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            if a.dtype.kind in "biu":  # PyTorch widens ints to int64, unless dtype= names one
                return a.prod(axis=axes, keepdims=keepdim, dtype=integer_type or "int64")
            return a.prod(axis=axes, keepdims=keepdim)

    def backward(self, grad):
        a, out = self.inputs[0], self.output
        if not a.ndim:  # the product of one value is that value, even a NaN or an inf
            return grad, None, None
        if not self.keepdim:
            shape = kept_shape(a.shape, self.axes)
            grad, out = grad.reshape(shape), out.reshape(shape)
        # Where an input is zero out / a is undefined; recompute the product of the others.
        zeros = int((a._data == 0).sum())
        if zeros > 1 and self.axes is None and not is_grad_enabled():
            # every product of the others has a zero in it: 0, as PyTorch's, even beside an
            # inf or a NaN (with create_graph the products stay, for the second order)
            return zeros_like(a), None, None
        if zeros:
            return _prod_backward_with_zeros(a, grad, self.axes), None, None
        return grad * (out / a), None, None  # out / a first: 3 * 65504 overflows float16

    def name(self):
        return "ProdBackward0" if self.axes is None else "ProdBackward1"


def _prod_backward_with_zeros(a, grad, axes):
    """d prod / d a_i = the product of every other element: exact with zeros. Built of
    ember's ops, so that create_graph differentiates it again (slow path: one product
    per position)."""
    axes = tuple(range(a.ndim)) if axes is None else tuple(axis % a.ndim for axis in axes)
    order = [dim for dim in range(a.ndim) if dim not in axes] + list(axes)
    moved = a.permute(order)  # the reduced dims last, then made one
    rows = moved.reshape(tuple(moved.shape[: a.ndim - len(axes)]) + (-1,))
    others = [
        cat((rows[..., :index], rows[..., index + 1 :]), -1).prod(-1)
        for index in range(rows.shape[-1])
    ]
    products = stack(others, -1).reshape(moved.shape)
    return grad * products.permute(sorted(range(a.ndim), key=order.__getitem__))


class ReduceExtreme(Function):
    """max()/min() of every element, and amax/amin over dims: ties share the gradient
    evenly. ``whole`` is the max()/min() form, whose gradient goes to the NaNs when the
    result is NaN; amax/amin give NaN there instead (0 / 0 ties), as in PyTorch."""

    listed_inputs = (0,)
    saves_inputs = True
    saves_output = True

    def forward(self, a, axes, keepdim, largest, whole=False):
        self.largest, self.whole = largest, whole
        self.axes, self.keepdim = axes, keepdim
        return reduction(a, "max" if largest else "min", axes, keepdim)

    def backward(self, grad):
        a, out = self.inputs[0], self.output
        if not self.keepdim:
            shape = kept_shape(a.shape, self.axes)
            grad, out = grad.reshape(shape), out.reshape(shape)
        hits = a._data == out._data
        if self.whole and a._data.dtype.kind == "f":  # max() of data with a NaN: the NaNs
            namespace = xp(a._data)
            hits |= namespace.isnan(a._data) & namespace.isnan(out._data)
        hits = Tensor._make(hits.astype(grad._data.dtype))
        return grad * hits / hits.sum(dim=self.axes, keepdim=True), None, None, None, None

    def name(self):
        if self.whole:
            return "MaxBackward1" if self.largest else "MinBackward1"
        return "AmaxBackward0" if self.largest else "AminBackward0"


class ExtremeAlongDim(Function):
    """max(dim)/min(dim): the gradient goes to the one index that was returned. ``axis``
    is None for a 0-d tensor, whose one element is its max."""

    listed_inputs = (0,)

    def forward(self, a, indices, axis, keepdim, largest):
        """``indices`` (from argmax/argmin, keepdims) are found once, by the caller."""
        self.shape, self.axis, self.keepdim, self.largest = a.shape, axis, keepdim, largest
        self.indices = indices
        if axis is None:
            return a.copy()
        values = xp(a).take_along_axis(a, indices, axis=axis)
        return values if keepdim else values.squeeze(axis)

    def backward(self, grad):
        if self.axis is None:
            return grad, None, None, None, None
        if not self.keepdim:
            grad = grad.unsqueeze(self.axis)
        # scattered into zeros, as PyTorch does: zeros where not chosen, even for a NaN grad
        zeros = Tensor._make(xp(self.indices).zeros(self.shape, grad._data.dtype))
        return Scatter.apply(zeros, self.indices, grad, self.axis), None, None, None, None

    def name(self):
        return "MaxBackward0" if self.largest else "MinBackward0"


def _dims(input, dim, axis=None):
    """The axes that a reduction over ``dim`` (or NumPy's ``axis``) reduces: None where no
    dim is given; else a tuple, all the axes for an empty list of dims (and none for a 0-d
    tensor), so that the node is PyTorch's form with dims (``SumBackward1``)."""
    if dim is None:
        dim = axis
        if dim is None:
            return None
    axes = normalize_dims(dim, input._data.ndim)
    return tuple(range(input._data.ndim)) if axes is None else axes


def sum(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    # NumPy's axis/keepdims are read inline here and in mean(), not by _numpy_aliases:
    # sum is on every training step's path, where one more call per reduction shows.
    """The sum of all elements of ``input``, or along ``dim`` (an int or a tuple of ints).

    The summed dims go away unless ``keepdim=True`` keeps them with size 1, so that the
    result broadcasts against ``input``. Ints and bools sum as int64.

    >>> x = ember.tensor([[1, 2], [3, 4]])
    >>> ember.sum(x)
    tensor(10)
    >>> ember.sum(x, dim=0)
    tensor([4, 6])
    >>> ember.sum(x, dim=1, keepdim=True)
    tensor([[3],
            [7]])
    """
    if keepdim is not False and keepdim is not True:  # inline, as above
        raise keepdim_error(keepdim)
    keep = keepdim or bool(keepdims)
    if dtype is not None:  # the dims are checked first, as PyTorch does
        axes = _dims(input, dim, axis)
        input = in_dtype(input, dtype)
        return Sum.apply(input, axes, keep, integer_type_of(input))
    return Sum.apply(input, _dims(input, dim, axis), keep)


def in_dtype(input, dtype):
    """``input`` cast for a reduction's ``dtype=``. Into an integer type the graph would end
    there, so PyTorch refuses it for a tensor that records one."""
    dtype = dtypes.to_dtype(dtype)
    if not dtype.is_floating_point and input.requires_grad and is_grad_enabled():
        raise RuntimeError(
            f"autograd does not support dtype {dtype.name}: reduce in a floating type, or "
            "detach() the tensor first"
        )
    return input.to(dtype)


def integer_type_of(input):
    """The integer or bool type of ``input`` (cast by dtype=), for a sum, product or cumsum
    to stay in, as PyTorch's does; None for a floating type."""
    data_type = input._data.dtype
    return None if data_type.kind == "f" else data_type.name


class Nansum(Sum):
    """sum() with NaNs taken as zeros, which get no gradient. Backward finds the NaNs in
    the saved input, as PyTorch's does: changing it in place first is refused there too."""

    saves_inputs = True

    def forward(self, a, axes, keepdim, integer_type=None):
        if a.dtype.kind == "f":
            a = xp(a).where(xp(a).isnan(a), 0, a)
        return super().forward(a, axes, keepdim, integer_type)

    def backward(self, grad):
        data = self.inputs[0]._data
        counted = ~xp(data).isnan(data)
        spread_grad = super().backward(grad)[0]
        return spread_grad * Tensor._make(counted.astype(grad._data.dtype)), None, None

    def name(self):
        return "NansumBackward0"


def nansum(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    dim, keepdim = _numpy_aliases(dim, keepdim, axis, keepdims)
    integer_type, axes = None, dims_in_turn(dim, input.ndim)  # the dims first, as PyTorch
    if dtype is not None:
        data = input._data
        if data.dtype.kind == "f" and not input.requires_grad:  # NaN is 0 before a cast to
            input = Tensor._make(xp(data).where(xp(data).isnan(data), 0, data))  # bool or int
        input = in_dtype(input, dtype)
        integer_type = integer_type_of(input)
    return Nansum.apply(input, axes, keepdim, integer_type)


def dims_in_turn(dim, ndim):
    """The axes of ``dim``, checked one by one as PyTorch's nansum and var check them: a
    dim given twice is reported before a later dim out of range (sum reports that first)."""
    if isinstance(dim, (tuple, list)):
        seen = set()
        for each in dim:
            axis = wrap_dim(int(each), ndim)
            if axis in seen:
                raise RuntimeError(f"dim {axis} appears multiple times in the list of dims")
            seen.add(axis)
    return normalize_dims(dim, ndim)


def nanmean(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    """The mean of the values that are not NaN (PyTorch's too is nansum / count)."""
    dim, keepdim = _numpy_aliases(dim, keepdim, axis, keepdims)
    if input._data.dtype.kind != "f":
        refuse_argument_types(dim, keepdim, "nanmean")  # PyTorch's parser looks at these first
        raise RuntimeError(
            f"nanmean(): expected a floating point input, got {input.dtype}; convert it with "
            ".float()"
        )
    if dtype is not None and not dtypes.to_dtype(dtype).is_floating_point:
        raise RuntimeError(
            f"nanmean(): could not infer output dtype: dtype= is {dtypes.to_dtype(dtype)}, "
            "and a mean needs a floating point one"
        )
    counts = sum(input == input, dim, keepdim)  # x == x is False for NaN only
    return nansum(input, dim, keepdim, dtype=dtype) / counts


def mean(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    """The mean of all elements of ``input``, or along ``dim``, with ``keepdim`` as in ``sum``.

    ``input`` must be floating point: for an int tensor, call ``.float()`` first or
    pass ``dtype=ember.float32``.

    >>> x = ember.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> ember.mean(x)
    tensor(2.5000)
    >>> ember.mean(x, dim=0)
    tensor([2., 3.])
    """
    if keepdim is not False and keepdim is not True:
        raise keepdim_error(keepdim)
    if dtype is not None:
        input = input.to(dtype)
    if input._data.dtype.kind != "f":
        refuse_argument_types(dim, keepdim, "mean")  # PyTorch's parser looks at these first
        which = "the input's dtype" if dtype is None else "the dtype= argument"
        raise RuntimeError(
            f"mean(): could not infer output dtype: {which} is {input.dtype}, and a mean "
            "needs a floating point one (use .float())"
        )
    return Mean.apply(input, _dims(input, dim, axis), keepdim or bool(keepdims))


def prod(input, dim=EVERY_DIM, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    """The product of all elements of ``input``, or along ``dim``, with ``keepdim`` as in ``sum``.

    Ints and bools multiply as int64.

    >>> x = ember.tensor([[1, 2], [3, 4]])
    >>> ember.prod(x)
    tensor(24)
    >>> ember.prod(x, dim=1)
    tensor([ 2, 12])
    """
    dim, keepdim = _numpy_aliases(dim, keepdim, axis, keepdims)
    axes = None
    if dim is not EVERY_DIM:  # one int dim, in PyTorch's prod: not None, a tuple or a list
        axes = _dims(input, integer_argument(dim, "prod", "dim"))
    if dtype is not None:  # checked after the dim, as PyTorch does
        input = in_dtype(input, dtype)
        return Prod.apply(input, axes, keepdim, integer_type_of(input))
    return Prod.apply(input, axes, keepdim)


def _extreme(input, dim, keepdim, largest, other=None):
    if isinstance(dim, Tensor):  # torch.max(a, b) is maximum
        other = dim
    if other is not None:
        return maximum(input, other) if largest else minimum(input, other)
    name = "max" if largest else "min"
    result_type = return_types.max if largest else return_types.min
    if dim is EVERY_DIM:
        refuse_empty_reduction(input, None, name)
        return ReduceExtreme.apply(input, None, False, largest, True)
    refuse_argument_types(integer_argument(dim, name, "dim"), keepdim, name)  # one int dim
    axis = normalize_dims(dim, input.ndim)
    if axis is None:  # a 0-d tensor: its one element, at index 0
        values = ExtremeAlongDim.apply(input, None, None, keepdim, largest)
        return result_type(values, _arg_extreme(input, dim, keepdim, largest))
    refuse_empty_reduction(input, axis, name)
    axis = axis[0]
    data = input._data
    pick = xp(data).argmax if largest else xp(data).argmin
    indices = pick(data, axis=axis, keepdims=True)
    values = ExtremeAlongDim.apply(input, indices, axis, keepdim, largest)
    returned = indices if keepdim else indices.squeeze(axis)
    return result_type(values, Tensor._make(returned.astype("int64")))


def max(input, dim=EVERY_DIM, keepdim=False, *, other=None, out=None, axis=None, keepdims=None):
    """The largest element of ``input``; with ``dim``, the largest along it and where it is.

    With ``dim`` the result is a pair (values, indices), not one tensor;
    ``max(x, other)`` is ``maximum``, elementwise.

    >>> x = ember.tensor([[1, 5], [7, 2]])
    >>> ember.max(x)
    tensor(7)
    >>> values, indices = ember.max(x, dim=1)
    >>> values, indices
    (tensor([5, 7]), tensor([1, 0]))
    """
    refuse_out(out, "max")
    dim, keepdim = _numpy_aliases(dim, keepdim, axis, keepdims)
    return _extreme(input, dim, keepdim, True, other)


def min(input, dim=EVERY_DIM, keepdim=False, *, other=None, out=None, axis=None, keepdims=None):
    """The smallest element of ``input``; with ``dim``, the smallest along it and where it is.

    With ``dim`` the result is a pair (values, indices), not one tensor;
    ``min(x, other)`` is ``minimum``, elementwise.

    >>> x = ember.tensor([[1, 5], [7, 2]])
    >>> ember.min(x)
    tensor(1)
    >>> values, indices = ember.min(x, dim=1)
    >>> values, indices
    (tensor([1, 2]), tensor([0, 1]))
    """
    refuse_out(out, "min")
    dim, keepdim = _numpy_aliases(dim, keepdim, axis, keepdims)
    return _extreme(input, dim, keepdim, False, other)


def amax(input, dim=(), keepdim=False, *, axis=None, keepdims=None):
    dim, keepdim = _numpy_aliases(dim, keepdim, axis, keepdims)
    axes = extreme_dims(input, dim, keepdim, "amax")
    return ReduceExtreme.apply(input, axes, keepdim, True)


def amin(input, dim=(), keepdim=False, *, axis=None, keepdims=None):
    dim, keepdim = _numpy_aliases(dim, keepdim, axis, keepdims)
    axes = extreme_dims(input, dim, keepdim, "amin")
    return ReduceExtreme.apply(input, axes, keepdim, False)


def extreme_dims(input, dim, keepdim, op_name):
    """amax's and amin's axes, checked: of an empty tensor PyTorch reports an empty dim
    before a dim given twice."""
    refuse_argument_types(None, keepdim, op_name)
    if input._data.size == 0 and isinstance(dim, (tuple, list)):
        refuse_empty_reduction(input, tuple(wrap_dim(d, input.ndim) for d in dim), op_name)
    axes = normalize_dims(dim, input.ndim)
    refuse_empty_reduction(input, axes, op_name)
    return axes


def refuse_empty_reduction(input, axes, op_name):
    """PyTorch's errors for a max-like reduction with no element to pick: a RuntimeError
    (an IndexError for argmax and argmin) over all dims, an IndexError over an empty dim."""
    shape = input._data.shape
    if axes is None:
        if input._data.size == 0:
            if op_name.startswith("arg"):
                raise IndexError(
                    f"{op_name}(): Expected reduction dim to be specified for input.numel() == 0."
                )
            raise RuntimeError(
                f"{op_name}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        return
    for axis in axes:
        if shape[axis] == 0:
            raise IndexError(f"{op_name}(): Expected reduction dim {axis} to have non-zero size.")


def _arg_extreme(input, dim, keepdim, largest):
    data = input._data
    refuse_empty_reduction(input, normalize_dims(dim, data.ndim), "argmax" if largest else "argmin")
    namespace = xp(data)
    pick = namespace.argmax if largest else namespace.argmin
    if dim is None:
        index = pick(data.reshape(-1))
        result = namespace.asarray(index).reshape((1,) * data.ndim if keepdim else ())
        return Tensor._make(result.astype("int64"))
    axis = normalize_dims(dim, data.ndim)
    axis = axis[0] if axis else None
    if axis is None:
        return Tensor._make(namespace.zeros((), "int64"))
    return Tensor._make(pick(data, axis=axis, keepdims=keepdim).astype("int64"))


def argmax(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The index (int64) of the largest element of ``input``, counted in the flattened tensor.

    With ``dim``, one index per slice along it: ``argmax(y_hat, dim=1)`` turns a
    classifier's scores into predicted labels.

    >>> x = ember.tensor([[1, 5], [7, 2]])
    >>> ember.argmax(x)
    tensor(2)
    >>> ember.argmax(x, dim=1)
    tensor([1, 0])
    """
    dim, keepdim = _numpy_aliases(dim, keepdim, axis, keepdims)
    return _arg_extreme(input, _one_dim(dim, input, "argmax"), keepdim, True)


def argmin(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The index (int64) of the smallest element of ``input``, counted in the flattened tensor.

    With ``dim``, one index per slice along it.

    >>> x = ember.tensor([[1, 5], [7, 2]])
    >>> ember.argmin(x)
    tensor(0)
    >>> ember.argmin(x, dim=0)
    tensor([0, 1])
    """
    dim, keepdim = _numpy_aliases(dim, keepdim, axis, keepdims)
    return _arg_extreme(input, _one_dim(dim, input, "argmin"), keepdim, False)


def _numpy_aliases(dim, keepdim, axis, keepdims):
    """``axis=``/``keepdims=`` are NumPy's names for ``dim``/``keepdim`` (the book uses them).
    A keepdim given must be a bool (None: the op's default)."""
    if keepdims is not None:
        keepdim = keepdims
    if keepdim is not None and keepdim.__class__ is not bool:
        raise keepdim_error(keepdim)
    return (dim if axis is None else axis), keepdim


def keepdim_error(keepdim):
    """PyTorch's parser takes only a bool as keepdim (not 1, which NumPy takes)."""
    return TypeError(f"argument 'keepdim' must be bool, not {type(keepdim).__name__}")


def _one_dim(dim, input, op_name):
    """argmax's and argmin's ``dim``: None or one int (PyTorch reads its type first, then
    refuses a bool tensor)."""
    if dim is not None:
        dim = integer_argument(dim, op_name, "dim")
    if input._data.dtype.kind == "b":
        raise RuntimeError(f"{op_name}(): does not support bool input; convert it with .long()")
    return dim


def var(
    input, dim=EVERY_DIM, unbiased=None, keepdim=None, *, correction=None, axis=None, keepdims=None
):
    """One node, ``VarBackward0``, as in PyTorch."""
    dim, keepdim = _numpy_aliases(dim, keepdim, axis, keepdims)
    dim, unbiased, keepdim = variance_arguments(dim, unbiased, keepdim, correction, "var")
    return _variance(Var, input, dim, unbiased, keepdim, correction, "var")


def std(
    input, dim=EVERY_DIM, unbiased=None, keepdim=None, *, correction=None, axis=None, keepdims=None
):
    dim, keepdim = _numpy_aliases(dim, keepdim, axis, keepdims)
    dim, unbiased, keepdim = variance_arguments(dim, unbiased, keepdim, correction, "std")
    return _variance(Std, input, dim, unbiased, keepdim, correction, "std")


def var_mean(
    input, dim=EVERY_DIM, unbiased=None, keepdim=None, *, correction=None, axis=None, keepdims=None
):
    """``(var, mean)`` over the same dims."""
    dim, keepdim = _numpy_aliases(dim, keepdim, axis, keepdims)
    dim, unbiased, keepdim = variance_arguments(dim, unbiased, keepdim, correction, "var_mean")
    variance = _variance(Var, input, dim, unbiased, keepdim, correction, "var_mean")
    return variance, wide_mean(input, dim, keepdim)


def std_mean(
    input, dim=EVERY_DIM, unbiased=None, keepdim=None, *, correction=None, axis=None, keepdims=None
):
    """``(std, mean)`` over the same dims."""
    dim, keepdim = _numpy_aliases(dim, keepdim, axis, keepdims)
    dim, unbiased, keepdim = variance_arguments(dim, unbiased, keepdim, correction, "std_mean")
    deviation = _variance(Std, input, dim, unbiased, keepdim, correction, "std_mean")
    return deviation, wide_mean(input, dim, keepdim)


def wide_mean(input, dim, keepdim):
    """The mean beside a variance: PyTorch's kernel takes both in double, so a float32 mean
    whose sum overflows is still finite."""
    result = mean(input, dim, keepdim)
    if result._data.dtype.char in "ef" and not bool(xp(result._data).isfinite(result._data).all()):
        return mean(input.double(), dim, keepdim).to(input.dtype)
    return result


def variance_arguments(dim, unbiased, keepdim, correction, op_name):
    """``(dim, unbiased, keepdim)`` as PyTorch's three forms of var take them: (input,
    unbiased), (input, dim, unbiased, keepdim) with the dim given, and (input, dim=None,
    *, correction, keepdim). Arguments that fit none of them are a TypeError."""
    if unbiased is not None and correction is not None:  # two forms' arguments at once
        raise invalid_variance_arguments(op_name)
    if isinstance(dim, bool):  # var(x, False): the (input, unbiased) form, and nothing more
        if keepdim is not None or correction is not None or unbiased is not None:
            raise invalid_variance_arguments(op_name)
        return None, dim, False
    if dim is EVERY_DIM:
        if unbiased is not None and keepdim is not None:  # unbiased's form needs the dim
            raise invalid_variance_arguments(op_name)
        dim = None
    keepdim = False if keepdim is None else keepdim
    refuse_argument_types(dim, keepdim, op_name)
    if unbiased is not None:
        bool_argument(unbiased, op_name, "unbiased")
    return dim, unbiased, keepdim


def invalid_variance_arguments(op_name):
    return TypeError(
        f"{op_name}(): received an invalid combination of arguments: {op_name}(x, unbiased) "
        f"takes nothing more, {op_name}(x, dim, unbiased, keepdim) needs the dim (None "
        "for all), and unbiased and correction are not given together"
    )


def refuse_argument_types(dim, keepdim, op_name):
    """PyTorch's argument parser refuses a dim that is not an int or ints (a lone bool, a
    float, a tensor of several elements), and a keepdim that is not a bool, with a
    TypeError, before its kernel looks at the tensor's dtype."""
    if dim is not None:
        if isinstance(dim, (tuple, list)):
            for each in dim:
                if type(each) is not bool:  # among dims a bool reads as an int, in PyTorch
                    integer_argument(each, op_name, "dim")
        elif type(dim) is not int and not _is_one_dim(dim):
            raise TypeError(
                f"{op_name}(): argument 'dim' must be an int or a tuple of ints, not "
                f"{type_name(dim)}"
            )
    bool_argument(keepdim, op_name, "keepdim")


def _is_one_dim(dim):
    """An int (a NumPy one too), or a tensor of one integer or bool element (0-d or not,
    as the parser takes it), but not a bool."""
    if isinstance(dim, Tensor):
        return dim._data.size == 1 and dim._data.dtype.kind in "biu"
    return type(dim) is not bool and is_integer(dim)


def _variance(node, input, dim, unbiased, keepdim, correction, op_name):
    """The variance (``node`` Var) or the standard deviation (Std) of ``input``."""
    if not input.is_floating_point():  # checked first, as PyTorch does, before the dims
        raise RuntimeError(
            f"{op_name}(): std and var only support floating point and complex dtypes, got "
            f"{input.dtype}; convert with .float()"
        )
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    axes = dims_in_turn(dim, input.ndim)
    count = input.numel() if axes is None else _product(input.shape[a] for a in axes)
    if input.numel() == 0:  # PyTorch counts the values per result as 0 for an empty input
        count = 0
    if count <= correction:  # divide by 0 (inf or nan), never by a negative count
        warnings.warn(
            f"{op_name}(): degrees of freedom is <= 0: the correction ({correction}) is not "
            f"less than the number of values reduced ({count}), so the result is inf or nan",
            UserWarning,
            stacklevel=3,
        )
    divisor = count - correction
    if axes is None:  # PyTorch's backward over all dims divides by 0, not by a negative count
        divisor = builtins.max(divisor, 0)
    return node.apply(input, axes, keepdim, divisor)


class Var(Function):
    """The variance over ``axes`` as one node, as PyTorch records it: the squared distances
    from the mean, summed and divided by ``divisor`` (the count less the correction). A
    divisor below 0 (along given dims) divides by 0 forward, but backward by itself, as
    PyTorch's does."""

    saves_inputs = True
    listed_inputs = (0,)

    def forward(self, a, axes, keepdim, divisor):
        self.shape, self.axes, self.keepdim, self.divisor = a.shape, axes, keepdim, divisor
        return wide_variance(a, axes, keepdim, divisor).astype(a.dtype, copy=False)

    def backward(self, grad):
        a = self.inputs[0]
        centred = a - mean(a, self.axes, keepdim=True)
        grad = spread(grad, self.shape, self.axes, self.keepdim)
        if self.divisor == 0 and self.axes is None:  # PyTorch's over all: inf, of no sign
            return grad * where(centred == 0, math.nan, math.inf), None, None, None
        # along dims 2 / 0 is inf: +-inf by the value's side of the mean, nan at the mean
        scale = 2.0 / self.divisor if self.divisor else math.inf
        # scaled before the product: 3 * 2.6e38 would overflow float32 where 3 * 7.4e37 does not
        return grad * (centred * scale), None, None, None


def wide_variance(a, axes, keepdim, divisor):
    """The variance of a float array in float64, as PyTorch's kernel sums float16 and
    float32 squares in double: 3e38 apart in float32 is a variance past float32's range,
    and a std within it. A divisor below 0 is 0: inf, or nan for values all equal."""
    divisor = builtins.max(divisor, 0)
    if a.dtype.char != "d":
        a = a.astype("float64")
    if a.size == 0:  # no mean to take: 0 / 0, nan
        return reduction(a, "sum", axes, keepdim) / divisor
    centred = a - mean_of(a, axes, keepdims=True)
    centred *= centred
    return reduction(centred, "sum", axes, keepdim) / divisor


class Std(Var):
    """The square root of the variance, one node as in PyTorch: its gradient is 0 where the
    std is 0 (constant values), where a plain sqrt's would be 0 / 0."""

    saves_output = True

    def forward(self, a, axes, keepdim, divisor):
        self.shape, self.axes, self.keepdim, self.divisor = a.shape, axes, keepdim, divisor
        variance = wide_variance(a, axes, keepdim, divisor)
        return xp(variance).sqrt(variance).astype(a.dtype, copy=False)

    def backward(self, grad):
        std = self.output
        return super().backward(where(std == 0, 0.0, grad / (2 * std)))

    def name(self):
        return "StdBackward0"


def _product(values):
    result = 1
    for value in values:
        result *= value
    return result


def logsumexp(input, dim=REQUIRED, keepdim=False, *, axis=None, keepdims=None):
    """log(sum(exp(x))) computed without overflow: shift by the (constant) max first."""
    if dim is REQUIRED:
        if axis is None:
            raise TypeError("logsumexp() missing required argument 'dim' (or NumPy's 'axis')")
        dim = axis
    keepdim = keepdim if keepdims is None else keepdims
    refuse_argument_types(dim, keepdim, "logsumexp")
    axes = normalize_dims(dim, input.ndim)
    input = as_floating(input)
    return Logsumexp.apply(input, axes, keepdim)


class Logsumexp(Function):
    """log(sum(exp(x))) over ``axes`` as one node. The max is subtracted before exp and
    added back after log, so that exp cannot overflow. The gradient, exp(x - result), is
    the softmax over those dims."""

    saves_inputs = True
    saves_output = True
    listed_inputs = (0,)

    def forward(self, a, axes, keepdim):
        self.shape, self.axes, self.keepdim = a.shape, axes, keepdim
        # float16 as PyTorch composes it, of float16 ops each rounded: x - max, exp, sum
        # (in float32, rounded once), log, + max
        namespace = xp(a)
        shift = _finite_max(a, axes)
        exponentials = namespace.exp(a - shift)
        if a.dtype.char == "e":  # NumPy adds float16 columns in float16
            total = reduction(exponentials, "sum", axes, True, dtype="float32").astype(a.dtype)
        else:
            total = reduction(exponentials, "sum", axes, keepdims=True)
        out = namespace.log(total) + shift
        return out if keepdim else out.reshape(reduced_shape(a.shape, axes))

    def backward(self, grad):
        a, out = self.inputs[0], self.output
        if not self.keepdim:
            out = out.reshape(kept_shape(self.shape, self.axes))
        return spread(grad, self.shape, self.axes, self.keepdim) * exp(a - out), None, None


def _finite_max(data, axes):
    """The max over ``axes`` (kept), with 0 where it is not finite or there is no element."""
    namespace = xp(data)
    if data.size == 0:
        return namespace.zeros(kept_shape(data.shape, axes), data.dtype)
    largest = reduction(data, "max", axes, keepdims=True)
    return namespace.where(namespace.isfinite(largest), largest, 0)


def all(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    return _truth(input, "all", *_numpy_aliases(dim, keepdim, axis, keepdims))


def any(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    return _truth(input, "any", *_numpy_aliases(dim, keepdim, axis, keepdims))


def _truth(input, method, dim, keepdim):
    """all/any give bool, except on uint8, where PyTorch keeps uint8 (its old bool type).
    An empty list of dims reduces none (where sum's reduces all)."""
    data = input._data
    if isinstance(dim, (tuple, list)) and not dim:
        result = data.astype(bool)
    else:
        result = getattr(data, method)(axis=normalize_dims(dim, data.ndim), keepdims=keepdim)
    if data.dtype == "uint8":
        result = result.astype("uint8")
    return Tensor._make(result)


def count_nonzero(input, dim=None, *, axis=None):
    dim = axis if dim is None else dim
    data = input._data
    counted = xp(data).count_nonzero(data, axis=normalize_dims(dim, data.ndim))
    return Tensor._make(xp(data).asarray(counted, "int64"))
