"""The in-place methods and operators of a Tensor: ``x += y``, ``x.add_(y, alpha=2)``,
``x.sqrt_()``, ``x.fill_(0)``... How each one checks its operands against PyTorch's rules
and writes its result into the tensor's own storage. ``tensor_methods`` binds them to the
Tensor; the writing itself (versions, graph nodes, views) is ``ops/inplace.py``'s.

Two kinds: the arithmetic that training loops run every step (``w -= lr * w.grad``,
``add_``, ``mul_``) goes straight to ``inplace.binary_in_place`` with no more than type
tests; every other op computes its result out of place and writes it back
(``in_place_form``, ``unary_in_place``), which costs a temporary but keeps one definition
of each op.
"""

import math

from . import backend, dtypes
from .arguments import integer_argument
from .autograd.grad_mode import is_grad_enabled
from .backend import generic_scalar, python_number
from .ops import elementwise as E
from .ops import indexing as I
from .ops import inplace as P
from .ops import movement as M
from .ops import operands as O
from .ops import raw_views
from .ops import selection as W
from .ops.gathering import checked_fill_value
from .ops.operands import is_foreign
from .tensor import Tensor

# The operands the in-place arithmetic takes without a second look (type tests, no calls:
# the training loop's `w -= lr * w.grad` pays nothing).
PLAIN_OPERANDS = (Tensor, float, int, bool)


def in_place_operator(op, op_name, *result_kinds, refuse=None):
    """``x += y``, ``-=``, ``*=``, ``/=``: NotImplemented beside a foreign operand, so that
    Python tries ``x + y`` and raises its TypeError naming ``+=`` (as with PyTorch)."""

    def operator(self, other):
        if type(other) not in PLAIN_OPERANDS and is_foreign(other):
            return NotImplemented
        if refuse is not None:
            refuse(self, other)
        return P.binary_in_place(self, op, other, op_name, *result_kinds)

    return operator


def ipow(self, other):
    if is_foreign(other):
        return NotImplemented
    return pow_(self, other)


def refuse_foreign(other, op_name):
    """PyTorch's TypeError for ``x.add_(None)``, where binary_in_place would read the
    object as an array."""
    if is_foreign(other):
        raise TypeError(
            f"{op_name}(): argument 'other' must be Tensor or Number, not {type(other).__name__}"
        )


def add_(self, other, *, alpha=1):
    if type(other) not in PLAIN_OPERANDS:
        refuse_foreign(other, "add_")
    return P.binary_in_place(self, E.Add, _scaled(self, other, alpha), "add")


def sub_(self, other, *, alpha=1):
    if type(other) not in PLAIN_OPERANDS:
        refuse_foreign(other, "sub_")
    E.refuse_bool_subtraction(self, other)
    return P.binary_in_place(self, E.Sub, _scaled(self, other, alpha), "subtract")


def _scaled(self, other, alpha):
    """``alpha * other`` in the dtype the op computes in (a uint8 or int8 ``other`` times
    -1 or 1000 would wrap in its own), with the checks of alpha that ``add`` makes."""
    if alpha == 1 and type(alpha) is int:
        return other
    result_dtype = dtypes.result_type(self, other)
    if isinstance(other, Tensor) and other.dtype is not result_dtype:
        other = O.to_dtype(other, result_dtype)
    return E.times_alpha(other, alpha, result_dtype.numpy_type.kind)


def mul_(self, other):
    if type(other) not in PLAIN_OPERANDS:
        refuse_foreign(other, "mul_")
    return P.binary_in_place(self, E.Mul, other, "multiply")


def div_(self, other, *, rounding_mode=None):
    if type(other) not in PLAIN_OPERANDS:
        refuse_foreign(other, "div_")
    if rounding_mode is None:
        return P.binary_in_place(self, E.Div, other, "true_divide", dtypes.FLOATING)
    P.check_leaf(self)
    return _write_result(self, E.div(self, other, rounding_mode=rounding_mode), "div_")


def pow_(self, other):
    """``x.pow_(y)`` and ``x **= y``, with the refusals of ``x ** y`` (a negative or too
    large int exponent of an integer tensor)."""
    if isinstance(other, Tensor):
        return P.binary_in_place(self, E.Pow, other, "power")
    refuse_foreign(other, "pow_")
    if isinstance(other, generic_scalar):
        other = python_number(other)
    if type(other) is int:
        if other < 0 and self._data.dtype.kind in "biu":
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        O.check_integer_fits(other, self)
    elif other.__class__ is float and other == -0.5:  # rsqrt, as x ** -0.5 computes it
        P.check_leaf(self)
        return _write_result(self, E.pow(self, other), "pow_")
    return P.binary_in_place(self, E.PowOfNumber, other, "power")


def in_place_form(function, op_name):
    """``x.op_(other, ...)`` and ``x op= other`` for the ops that compute out of place first."""

    def apply_in_place(self, *others, **options):
        P.check_leaf(self)
        if others and isinstance(others[0], Tensor):  # PyTorch checks the cast first
            P.refuse_wider_result(dtypes.result_type(self, others[0]), self.dtype, op_name)
        # With a graph, the op reads a clone: what its backward saves must not be overwritten
        # (atan2_'s backward reads the old self even when only `other` takes a gradient).
        source = self.clone() if _records_graph(self, *others, *options.values()) else self
        return _write_result(self, function(source, *others, **options), op_name)

    return apply_in_place


def _records_graph(*operands):
    if not is_grad_enabled():
        return False
    return any(isinstance(operand, Tensor) and operand.requires_grad for operand in operands)


def _write_result(self, result, op_name):
    """Write an op's out-of-place ``result`` into ``self`` (the in-place ops that are not
    on a hot path), with PyTorch's refusals of a wider result kind or a broadcast shape."""
    P.refuse_wider_result(result.dtype, self.dtype, op_name)
    P.check_in_place_shape(self, result)
    I.setitem(self, Ellipsis, result)
    P.keep_written_as_saved_output(self, result)
    return self


def comparison_in_place(function, op_name):
    """``x.eq_(y)``, ``x.logical_and_(y)``...: the True and False of the comparison written
    into ``x`` as its dtype's 1 and 0 (whatever the operands' promoted type)."""

    def apply_in_place(self, *others):
        P.check_leaf(self)
        return _write_result(self, function(self, *others).to(self.dtype), op_name)

    return apply_in_place


def unary_in_place(function):
    def apply_in_place(self, **options):
        # With a graph, the op works on a clone: what its backward saves must not be overwritten.
        source = self.clone() if self.requires_grad and is_grad_enabled() else self
        result = function(source, **options)
        # A float result (sqrt_ of an int tensor) is refused, not truncated, as in PyTorch.
        P.refuse_wider_result(result.dtype, self.dtype, function.__name__ + "_")
        I.setitem(self, Ellipsis, result)
        P.keep_written_as_saved_output(self, result)
        return self

    return apply_in_place


def cumulative_in_place(function, op_name):
    """``cumsum_(dim)`` and ``cumprod_(dim)``: the running sum or product written back, in
    the tensor's own dtype (an int32 tensor's int64 sums cast back, as in PyTorch)."""
    in_place = in_place_form(function, op_name)

    def apply_in_place(self, dim=None, *, dtype=None, axis=None):
        if dim is None:  # NumPy's name for it, as the out-of-place forms take
            dim = axis
        self._dim(integer_argument(dim, op_name, "dim"))  # PyTorch reads the dim first
        if dtype is not None and dtypes.to_dtype(dtype) is not self.dtype:
            raise RuntimeError(
                f"{op_name}: dtype={dtype} must be the tensor's own dtype ({self.dtype}) in "
                f"place; use the out-of-place {op_name[:-1]}(dim, dtype=...) to change it"
            )
        if self._data.dtype.kind == "b":
            if not (self.ndim and self.numel()):  # PyTorch leaves 0-d and empty ones be
                return self
            raise NotImplementedError(
                f"{op_name} is not implemented for bool tensors; convert with .long() first"
            )
        return in_place(self, dim)

    return apply_in_place


def fill_(self, value):
    if P.fill_in_place(self, value):
        return self
    if type(value) is int and not -(2**63) <= value < 2**63:
        value = _fill_past_int64(value, self)
    if self._data.dtype == dtypes.float16.numpy_type and type(value) in (int, float):
        _check_float16_fill(value, self)
    elif isinstance(value, float):
        O.check_float_fits(value, self)
    elif not isinstance(value, (Tensor, int, generic_scalar)):  # a list, None...: no number
        raise TypeError(
            f"fill_(): value must be a number or a 0-d tensor, not {type(value).__name__}"
        )
    if isinstance(value, Tensor) and value.ndim:
        raise RuntimeError(
            f"fill_ only supports 0-dimension value tensor but got tensor with {value.ndim} "
            "dimensions."
        )
    if not backend.is_writeable(self._data) and not isinstance(value, Tensor):
        return _fill_shared_places(self, value)
    I.setitem(self, Ellipsis, value)
    return self


def _fill_shared_places(tensor, value):
    """``fill_`` of a tensor whose elements share memory (``expand``'s) with a number:
    every element gets the same value, so PyTorch writes it, through to the tensor
    expanded, where it refuses any other write into such a tensor (a 0-d value tensor's
    too). A tensor that requires grad is refused as any write."""
    data = tensor._data
    shape, steps, offset = raw_views.geometry_of(data)
    storage = backend.storage_of(data)
    if tensor.requires_grad or storage is None or not backend.is_writeable(storage):
        I.setitem(tensor, Ellipsis, value)  # refused, with the reason
        return tensor
    value = checked_fill_value(tensor, python_number(value), "fill_")  # 300 into int8: no
    places = backend.strided_view(storage, shape, steps, offset)
    places[...] = backend.namespace_of(data).asarray(value).astype(data.dtype)
    tensor._counter().value += 1
    return tensor


def _fill_past_int64(value, tensor):
    """An int past int64 for ``fill_``: PyTorch reads one within uint64 as a uint64, which
    a float or bool tensor takes (as its value, or True) and an integer one refuses; any
    other int is an OverflowError (``x[...] = 2**63`` is a ValueError instead)."""
    if not 0 <= value < 2**64:
        raise OverflowError(f"fill_(): {value} does not fit in 64 bits, signed or not")
    if tensor._data.dtype.kind == "i" or tensor._data.dtype.kind == "u":
        raise RuntimeError(f"value cannot be converted to type {tensor.dtype} without overflow")
    return float(value)


def _check_float16_fill(value, tensor):
    """PyTorch fills a float16 tensor of one element with any number (70000 becomes inf),
    and refuses a finite one past float16's largest, 65504, for a larger tensor."""
    if tensor._data.size != 1 and abs(value) > 65504 and math.isfinite(value):
        raise RuntimeError(f"value cannot be converted to type float16 without overflow: {value}")


def copy_(self, src, non_blocking=False):
    """``src``'s values written into this tensor: a tensor that broadcasts to its shape,
    or a number (a Python or NumPy one), copied as a 0-d tensor of it would be: cast, not
    checked (300 into uint8 is 44, as in PyTorch, where ``x[...] = 300`` is refused)."""
    if not isinstance(src, Tensor):
        src = _number_as_tensor(src, self)
    if src.device != self.device:
        src = src.to(self.device)
    P.check_in_place_shape(self, src)  # src may broadcast, but not add dims
    I.setitem(self, Ellipsis, src)
    return self


def _number_as_tensor(number, like):
    """A number as PyTorch wraps one for ``copy_`` into ``like``: a 0-d bool, int64 or
    float64 tensor. An int past int64 but within uint64 is read as a uint64, whose bits
    an integer tensor then takes (2**63 is int64's lowest) and a float tensor its value;
    any other is an OverflowError."""
    number = python_number(number)
    if type(number) not in (bool, int, float):
        raise TypeError(f"copy_(): argument 'other' must be Tensor, not {type(number).__name__}")
    if type(number) is int and not -(2**63) <= number < 2**63:
        if not 0 <= number < 2**64:
            raise OverflowError(f"copy_(): {number} does not fit in 64 bits, signed or not")
        number = number - 2**64 if like.dtype.kind == dtypes.INTEGER else float(number)
    dtype = {bool: dtypes.bool, int: dtypes.int64, float: dtypes.float64}[type(number)]
    return Tensor._make(backend.cpu_namespace.asarray(number, dtype.numpy_type))


def clamp_(self, min=None, max=None):
    for bound in (min, max):
        if bound is not None:
            P.check_castable(self, bound, "clamp_")
    I.setitem(self, Ellipsis, W.clamp(self, min, max))
    return self


def clamp_min_(self, min):
    return clamp_(self, min=W.required_bound(min, "clamp_min_", "min"))


def clamp_max_(self, max):
    return clamp_(self, max=W.required_bound(max, "clamp_max_", "max"))


def masked_fill_(self, mask, value):
    check_mask_and_value(self, mask, value)
    P.check_in_place_shape(self, mask)  # the mask broadcasts to the tensor's shape
    if mask._data.shape != self._data.shape:
        mask = M.expand(mask, self.shape)
    value_needs_grad = isinstance(value, Tensor) and value.requires_grad
    if is_grad_enabled() and (self.requires_grad or value_needs_grad):
        # recorded as PyTorch records it, one MaskedFill node (a write at a mask otherwise)
        value = O.other_on_device(self, value, "masked_fill_")
        return P.assign_in_place(self, W.MaskedFill, (mask, value), write=None)
    I.setitem(self, mask, value)
    return self


def check_mask_and_value(tensor, mask, value):
    """PyTorch's refusals in masked_fill and masked_fill_: a mask that is not bool, a value
    tensor with dims, a value (number or 0-d tensor) the tensor's dtype cannot hold (70000
    in float16)."""
    if not isinstance(mask, Tensor):
        raise TypeError(
            f"masked_fill(): argument 'mask' must be a bool tensor, not {type(mask).__name__}"
        )
    if mask._data.dtype.kind != "b":
        raise RuntimeError(
            f"masked_fill only supports boolean masks, but got a mask of dtype {mask.dtype}; "
            "make one with a comparison or mask.bool()"
        )
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError(
                "masked_fill only supports a 0-dimensional value tensor, but got one with "
                f"{value._data.ndim} dimension(s); pass value.item() or a 0-d tensor"
            )
        checked_fill_value(tensor, value.item(), "masked_fill")
    elif type(value) is float or type(value) is int:
        checked_fill_value(tensor, value, "masked_fill")
