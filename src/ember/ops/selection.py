"""The ops that pick one of their inputs per element: where, masked_fill, clamp (clip,
clamp_min, clamp_max), maximum and minimum.

The gradient goes to the input that was picked, and to no other; where inputs tie,
PyTorch's rule decides who gets it (maximum and minimum split it evenly; clamp gives
it to x inside its bounds and to max when min > max).
"""

import math
import warnings

from .. import backend, dtypes
from ..autograd import grad_mode
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from ..tensor import Tensor
from .operands import (
    binary,
    broadcast_error,
    cast_to,
    check_integer_fits,
    other_on_device,
    promote,
    wrap_integer_operand,
    wrapped_integer,
)

_grad_state = grad_mode.state


def _bool_condition(condition):
    """A uint8 condition read as bool, with PyTorch's deprecation warning; any other
    dtype refused."""
    if not isinstance(condition, Tensor) or condition.dtype != dtypes.uint8:
        given = condition.dtype if isinstance(condition, Tensor) else type(condition).__name__
        raise RuntimeError(
            f"where expected condition to be a boolean tensor, but got {given}: compare to "
            "get one (x > 0)"
        )
    warnings.warn(
        "where received a uint8 condition tensor. This behavior is deprecated and will be "
        "removed in a future version of PyTorch. Use a boolean condition instead.",
        UserWarning,
        stacklevel=3,
    )
    return Tensor._make(condition._data.astype(bool))


# where's operands left out, where None given on purpose is refused as PyTorch refuses it
_NOT_GIVEN = object()


def where(condition, input=_NOT_GIVEN, other=_NOT_GIVEN):
    """Elementwise choice: ``input`` where ``condition`` is true, ``other`` where it is false.

    ``condition`` is a bool tensor (``x > 0`` makes one); the three broadcast together,
    and a number may stand for ``input`` or ``other``.

    >>> x = ember.tensor([-1.0, 2.0, -3.0])
    >>> ember.where(x > 0, x, 0.0)
    tensor([0., 2., 0.])
    """
    if input is _NOT_GIVEN and other is _NOT_GIVEN:
        return condition.nonzero(as_tuple=True)
    if input is _NOT_GIVEN or other is _NOT_GIVEN:
        raise TypeError("where() takes a condition alone, or a condition, an input and an other")
    if not isinstance(condition, Tensor) or condition._data.dtype.kind != "b":
        condition = _bool_condition(condition)
    input = other_on_device(condition, input, "where")
    other = other_on_device(condition, other, "where")
    if isinstance(input, Tensor):
        _check_number_fits(other, input)
    elif isinstance(other, Tensor):
        _check_number_fits(input, other)
    input, other = promote(input, other)
    if isinstance(input, Tensor) != isinstance(other, Tensor):
        tensor = input if isinstance(input, Tensor) else other
        if tensor._data.dtype.kind == "u":
            input, other = wrap_integer_operand(input, other, tensor._data.dtype)
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        numpy_type = dtypes.result_type(input, other).numpy_type
        namespace = xp(condition._data)
        input, other = namespace.asarray(input, numpy_type), namespace.asarray(other, numpy_type)
    try:
        return Where.apply(condition, input, other)
    except ValueError as error:
        pairs = (condition, input), (condition, other), (input, other)
        raise _first_broadcast_error(*pairs) or error from None


_FLOAT32_LARGEST = dtypes.finfo(dtypes.float32).max


def _check_number_fits(number, tensor):
    """A Python number beside a tensor, as PyTorch's where takes it: an int must fit an
    integer tensor's type, and a finite float past float32's largest is refused where
    the result is float32 (a float16 result takes it as inf, a float64 one as it is)."""
    check_integer_fits(number, tensor)
    if type(number) is float and abs(number) > _FLOAT32_LARGEST and math.isfinite(number):
        if dtypes.result_type(tensor, number) is dtypes.float32:
            dtypes.checked_number(number, dtypes.float32)


def _first_broadcast_error(*pairs):
    """PyTorch's RuntimeError for the first pair of operands whose shapes do not broadcast
    (a None bound or a number broadcasts with anything), or None."""
    for first, second in pairs:
        error = broadcast_error(first, second)
        if error is not None:
            return error
    return None


class Where(Function):
    listed_inputs = (1, 2)  # the condition takes no gradient and is not listed

    def forward(self, condition, a, b):
        self.condition = condition
        return backend.select(condition, a, b)

    def backward(self, grad):
        condition = Tensor._make(self.condition)
        zero = 0.0
        return (
            None,
            where(condition, grad, zero) if self.needs_input_grad(1) else None,
            where(condition, zero, grad) if self.needs_input_grad(2) else None,
        )


def masked_fill(input, mask, value):
    """``value`` where ``mask`` is True, ``input`` elsewhere, in the input's dtype.

    Tensor.masked_fill first makes PyTorch's refusals of the mask and of a value
    tensor; an int must fit the input's integer type (a negative one wraps into uint8).
    """
    value = other_on_device(input, value, "masked_fill")
    check_integer_fits(value, input)
    try:
        return MaskedFill.apply(input, mask, value)
    except ValueError as error:  # NumPy's word for shapes that do not broadcast
        raise broadcast_error(mask, input) or error from None


class MaskedFill(Function):
    """The gradient goes to the input where the mask is False, and to a value tensor
    (0-d) summed where it is True."""

    listed_inputs = (0,)  # PyTorch's node lists a number value as no input

    def forward(self, a, mask, value):
        self.mask = mask
        namespace = xp(a)
        self.tensor_value = backend.is_array(value)
        if self.tensor_value:
            self.listed_inputs = (0, 2)
        # cast first: a float truncates into an int tensor, -1 wraps into uint8
        out = backend.select(mask, namespace.asarray(value).astype(a.dtype), a)
        # contiguous, as PyTorch's (a contiguous clone, filled), whatever a's layout
        return out if out.flags.c_contiguous else namespace.ascontiguousarray(out)

    def backward(self, grad):
        mask = Tensor._make(self.mask)
        grad_input = where(mask, 0.0, grad) if self.needs_input_grad(0) else None
        grad_value = where(mask, grad, 0.0) if self.needs_input_grad(2) else None
        return grad_input, None, grad_value

    def name(self):
        return "MaskedFillBackward1" if self.tensor_value else "MaskedFillBackward0"


def clamp(input, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if min is not None and max is not None and isinstance(min, Tensor) != isinstance(max, Tensor):
        raise TypeError(
            "clamp() takes two numbers or two tensors as min and max, not one of each: "
            "make both tensors (ember.tensor(...))"
        )
    if isinstance(max, Tensor) and isinstance(min, Tensor) and input._data.dtype.kind == "b":
        if min._data.dtype.kind == "b" and max._data.dtype.kind == "b":
            raise NotImplementedError(
                "clamp of a bool tensor between two bool tensors is not implemented; convert "
                "them with .long() first"
            )
    return _clamped(Clamp, input, min, max)


def clamp_min(input, min):
    return _clamped(ClampMin, input, required_bound(min, "clamp_min", "min"), None)


def clamp_max(input, max):
    return _clamped(ClampMax, input, None, required_bound(max, "clamp_max", "max"))


def required_bound(bound, op_name, bound_name):
    if bound is None:
        raise TypeError(f"{op_name}() takes a number or a tensor as {bound_name}, not None")
    return bound


def _clamped(op, input, min, max):
    """``op`` (Clamp or one of its one-sided forms) of ``input`` between the bounds given,
    after PyTorch's checks and dtype promotion."""
    min = other_on_device(input, backend.python_number(min), "clamp")
    max = other_on_device(input, backend.python_number(max), "clamp")
    if input._data.dtype.kind in "biu":
        min, max = _integer_bounds(input, min), _integer_bounds(input, max)
    result = dtypes.result_type(input, *[bound for bound in (min, max) if bound is not None])
    if result.is_floating_point:
        min, max = _float_bound(min, result), _float_bound(max, result)
    input, min, max = cast_to(input, result), cast_to(min, result), cast_to(max, result)
    try:
        records = _records_graph(input, min, max)
        bounds_take_grad = records and _records_graph(min, max)
        return op.apply(input, min, max, records=records, bounds_take_grad=bounds_take_grad)
    except ValueError as error:  # NumPy's word for shapes that do not broadcast
        raise _first_broadcast_error((input, min), (input, max), (min, max)) or error from None


def _integer_bounds(input, bound):
    """A Python number bound of an integer or bool tensor, as PyTorch takes it: a bool
    tensor has no clamp by a Python bool; an int must fit an integer tensor's type (a
    negative one wraps into uint8)."""
    if input._data.dtype.kind == "b":
        if type(bound) is bool:
            raise NotImplementedError(
                "clamp of a bool tensor by a Python bool is not implemented; convert the "
                "tensor with .long() first"
            )
        return bound
    if type(bound) is int:
        check_integer_fits(bound, input)
        return wrapped_integer(bound, input._data.dtype)
    return bound


def _float_bound(bound, dtype):
    """A Python number bound of a float result, with PyTorch's RuntimeError where it lies
    past the type's largest finite value (1e300 for float32), which NumPy would make inf."""
    if type(bound) is float or type(bound) is int:
        dtypes.checked_number(bound, dtype)
    return bound


def _records_graph(*inputs):
    """Whether ``Function.apply`` will record a node for these inputs."""
    if not _grad_state.enabled:
        return False
    return any(isinstance(value, Tensor) and value.requires_grad for value in inputs)


clip = clamp


class Clamp(Function):
    """min(max(x, min), max). The gradient goes to x where min <= x <= max; to a tensor
    bound where that bound is the result (max wins when min > max), as in PyTorch."""

    def forward(self, a, min, max, records, bounds_take_grad):
        self.tensor_bounds = backend.is_array(min) or backend.is_array(max)
        if not self.tensor_bounds:
            self.listed_inputs = (0,)
        if records:  # only backward reads the masks; taken now, as clamp_ then overwrites a
            self.remember_masks(a, min, max, bounds_take_grad)
        # PyTorch's order, max after min (max wins where min > max); -0. and NaN kept
        return backend.clamped(a, min, max)

    def remember_masks(self, a, min, max, bounds_take_grad):
        inside = None
        if min is not None:
            inside = a >= min
        if max is not None:
            below_max = a <= max
            inside = below_max if inside is None else inside & below_max
        self.inside = inside
        self.min_wins = self.max_wins = None
        if bounds_take_grad:  # where each bound is the result
            crossed = xp(a).asarray(False if min is None or max is None else min > max)
            if min is not None:
                self.min_wins = (a < min) & ~crossed
            if max is not None:
                self.max_wins = (a > max) | crossed

    def backward(self, grad):
        # Picked, not multiplied by the masks: a NaN (or negative) gradient gives 0 (not NaN,
        # or -0) where its input lost, as in PyTorch.
        grad_min = grad_max = None
        if self.needs_input_grad(1):
            grad_min = where(Tensor._make(self.min_wins), grad, 0.0)
        if self.needs_input_grad(2):
            grad_max = where(Tensor._make(self.max_wins), grad, 0.0)
        return where(Tensor._make(self.inside), grad, 0.0), grad_min, grad_max

    def name(self):
        return "ClampBackward0" if self.tensor_bounds else "ClampBackward1"


class ClampMin(Clamp):
    """``clamp(x, min=bound)`` as PyTorch's clamp_min records it: a node of its own name
    that lists a tensor bound beside x, and no max."""

    listed_inputs = (0, 1)  # Clamp.forward lists x alone for a number bound

    def name(self):
        return "ClampMinBackward1" if self.tensor_bounds else "ClampMinBackward0"


class ClampMax(Clamp):
    """``clamp(x, max=bound)`` as PyTorch's clamp_max records it (see ClampMin)."""

    listed_inputs = (0, 2)

    def name(self):
        return "ClampMaxBackward1" if self.tensor_bounds else "ClampMaxBackward0"


def maximum(input, other):
    return binary(Maximum, input, other)


def minimum(input, other):
    return binary(Minimum, input, other)


class Maximum(Function):
    """Where both inputs are equal, each gets half the gradient; the input that lost
    gets none; with a NaN on either side both get all of it (PyTorch's rule)."""

    saves_inputs = True

    def forward(self, a, b):
        return xp(a).maximum(a, b)

    def backward(self, grad):
        a, b = self.inputs
        return _shares_of_extreme(grad, a, b, a < b, a > b)


class Minimum(Function):
    saves_inputs = True

    def forward(self, a, b):
        return xp(a).minimum(a, b)

    def backward(self, grad):
        a, b = self.inputs
        return _shares_of_extreme(grad, a, b, a > b, a < b)


def _shares_of_extreme(grad, a, b, a_lost, b_lost):
    split = where(a == b, 0.5, 1.0).to(grad.dtype) * grad
    return where(a_lost, 0.0, split), where(b_lost, 0.0, split)
