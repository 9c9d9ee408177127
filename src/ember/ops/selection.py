"""The ops that pick one of their inputs per element: where, clamp (clip, clamp_min,
clamp_max), maximum and minimum.

The gradient goes to the input that was picked, and to no other; where inputs tie,
PyTorch's rule decides who gets it (maximum and minimum split it evenly; clamp gives
it to x inside its bounds and to max when min > max).
"""

from .. import backend, dtypes
from ..autograd import grad_mode
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from ..tensor import Tensor
from .elementwise import (
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


def where(condition, input=None, other=None):
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    if not isinstance(condition, Tensor) or condition._data.dtype.kind != "b":
        raise RuntimeError("where expected condition to be a boolean tensor")
    input = other_on_device(condition, input, "where")
    other = other_on_device(condition, other, "where")
    if isinstance(input, Tensor):
        check_integer_fits(other, input)
    elif isinstance(other, Tensor):
        check_integer_fits(input, other)
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
        return xp(condition).where(condition, a, b)

    def backward(self, grad):
        condition = Tensor._make(self.condition)
        zero = 0.0
        return (
            None,
            where(condition, grad, zero) if self.needs_input_grad(1) else None,
            where(condition, zero, grad) if self.needs_input_grad(2) else None,
        )


def clamp(input, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    min = other_on_device(input, backend.python_number(min), "clamp")
    max = other_on_device(input, backend.python_number(max), "clamp")
    if input._data.dtype.kind in "biu":
        min, max = _integer_bounds(input, min), _integer_bounds(input, max)
    result = dtypes.result_type(input, *[bound for bound in (min, max) if bound is not None])
    input, min, max = cast_to(input, result), cast_to(min, result), cast_to(max, result)
    try:
        return Clamp.apply(input, min, max, records=_records_graph(input, min, max))
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


def _records_graph(*inputs):
    """Whether ``Function.apply`` will record a node for these inputs."""
    if not _grad_state.enabled:
        return False
    return any(isinstance(value, Tensor) and value.requires_grad for value in inputs)


clip = clamp


def clamp_min(input, min):
    return clamp(input, min=min)


def clamp_max(input, max):
    return clamp(input, max=max)


class Clamp(Function):
    """min(max(x, min), max). The gradient goes to x where min <= x <= max; to a tensor
    bound where that bound is the result (max wins when min > max), as in PyTorch."""

    def forward(self, a, min, max, records):
        namespace = xp(a)
        self.tensor_bounds = backend.is_array(min) or backend.is_array(max)
        if not self.tensor_bounds:
            self.listed_inputs = (0,)
        if records:  # only backward reads the masks; taken now, as clamp_ then overwrites a
            self.remember_masks(namespace, a, min, max)
        return namespace.clip(a, min, max)

    def remember_masks(self, namespace, a, min, max):
        inside = None
        if min is not None:
            inside = a >= min
        if max is not None:
            below_max = a <= max
            inside = below_max if inside is None else inside & below_max
        self.inside = inside
        self.min_wins = self.max_wins = None
        if self.tensor_bounds:
            crossed = namespace.asarray(False if min is None or max is None else min > max)
            if min is not None:
                self.min_wins = (a < min) & ~crossed
            if max is not None:
                self.max_wins = (a > max) | crossed

    def backward(self, grad):
        grad_min = grad_max = None
        if self.needs_input_grad(1):
            grad_min = grad * Tensor._make(self.min_wins)
        if self.needs_input_grad(2):
            grad_max = grad * Tensor._make(self.max_wins)
        return grad * Tensor._make(self.inside), grad_min, grad_max

    def name(self):
        return "ClampBackward0" if self.tensor_bounds else "ClampBackward1"


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
