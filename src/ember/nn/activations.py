"""The activations after ReLU: leaky ReLU, ELU, SiLU, softplus, GELU and PReLU.

Each is one Function recorded as one node, named as PyTorch names it, with its
gradient beside it as a second Function (one dispatch in training). Forward
works on arrays; each gradient's own backward is written in ember's tensor ops,
so ``create_graph=True`` gives higher orders. float16 computes in float32 and
rounds once, as PyTorch's CPU kernels do (``float16_form``).
"""

import math

from .. import backend
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from ..ops.float16 import float16_form
from ..ops.selection import where
from ..ops.unary_math import exp, sigmoid, tanh
from ..tensor import Tensor

SQRT_HALF = math.sqrt(0.5)
NORMAL_DENSITY_SCALE = 1 / math.sqrt(2 * math.pi)  # the standard normal density at 0
GELU_TANH_SCALE = math.sqrt(2 / math.pi)
GELU_TANH_CUBIC = 0.044715


# NumPy's where() takes ~330 us on 256x256 float32 when its mask is random (half the
# values positive): 15 times an arithmetic op. Where both branches are finite, the
# selections below are max/min sums or a 0/1 step blend, which give the same values.


def _step(condition, like):
    """``condition`` as 0.0 and 1.0 in ``like``'s dtype."""
    return condition.astype(like.dtype)


def _blend(step, when_true, when_false):
    """``when_true`` where step is 1, ``when_false`` where it is 0: exact when both are
    finite (one term is a product by 0, the other by 1)."""
    return step * when_true + (1 - step) * when_false


def _zeros_like(tensor):
    """The derivative of a piecewise-constant slope: zeros, as PyTorch gives."""
    return Tensor._make(xp(tensor._data).zeros_like(tensor._data))


# Leaky ReLU: x where x > 0, slope * x elsewhere ------------------------------------


class LeakyRelu(Function):
    saves_inputs = True
    listed_inputs = (0,)

    def forward(self, x, slope):
        namespace = xp(x)
        return namespace.maximum(x, 0) + namespace.minimum(x, 0) * slope

    def backward(self, grad):
        x, slope = self.inputs
        return _in_float32_if_half(LeakyReluBackward, grad, x, slope), None


class LeakyReluBackward(Function):
    saves_inputs = True
    listed_inputs = (0, 1)

    def forward(self, grad, x, slope):
        return grad * _blend(_step(x > 0, grad), 1, slope)

    def backward(self, out_grad):
        grad, x, slope = self.inputs
        grad_x = _zeros_like(out_grad) if self.needs_input_grad(1) else None
        return _in_float32_if_half(LeakyReluBackward, out_grad, x, slope), grad_x, None


# ELU: x where x > 0, alpha (exp(x) - 1) elsewhere --------------------------------


class Elu(Function):
    saves_inputs = True
    listed_inputs = (0,)

    def forward(self, x, alpha):
        namespace = xp(x)
        return namespace.maximum(x, 0) + namespace.expm1(namespace.minimum(x, 0)) * alpha

    def backward(self, grad):
        x, alpha = self.inputs
        return _in_float32_if_half(EluBackward, grad, x, alpha), None


class EluBackward(Function):
    saves_inputs = True
    listed_inputs = (0, 1)

    def forward(self, grad, x, alpha):
        namespace = xp(grad)
        slope = namespace.exp(namespace.minimum(x, 0)) * alpha  # NaN's slope is NaN
        return grad * _blend(_step(x <= 0, grad), slope, 1)

    def backward(self, out_grad):
        grad, x, alpha = self.inputs
        grad_grad = (
            _in_float32_if_half(EluBackward, out_grad, x, alpha)
            if self.needs_input_grad(0)
            else None
        )
        grad_x = None
        if self.needs_input_grad(1):
            grad_x = where(x < 0, out_grad * grad * alpha * exp(x), 0.0)  # 0 at 0, as PyTorch
        return grad_grad, grad_x, None


# SiLU (swish): x sigmoid(x) ------------------------------------------------------


class Silu(Function):
    saves_inputs = True

    def forward(self, x):
        namespace = xp(x)
        return x / (1 + namespace.exp(-x))

    def backward(self, grad):
        (x,) = self.inputs
        return _in_float32_if_half(SiluBackward, grad, x)


class SiluBackward(Function):
    """``grad s (1 + x (1 - s))`` with s = sigmoid(x)."""

    saves_inputs = True

    def forward(self, grad, x):
        one = x.dtype.type(1)
        s = one / (one + xp(x).exp(-x))
        return grad * s * (one + x * (one - s))

    def backward(self, out_grad):
        grad, x = self.inputs
        grad_grad = (
            _in_float32_if_half(SiluBackward, out_grad, x) if self.needs_input_grad(0) else None
        )
        grad_x = None
        if self.needs_input_grad(1):
            s = sigmoid(x)
            grad_x = out_grad * grad * s * (1 - s) * (2 + x * (1 - 2 * s))
        return grad_grad, grad_x

    def name(self):
        return "MulBackward0"  # PyTorch composes silu's gradient; its last op is a product


# Softplus: log(1 + exp(beta x)) / beta, x itself where beta x > threshold ---------


class Softplus(Function):
    saves_inputs = True
    listed_inputs = (0,)

    def forward(self, x, beta, threshold):
        namespace = xp(x)
        scaled = x * beta
        return namespace.where(scaled > threshold, x, namespace.log1p(namespace.exp(scaled)) / beta)

    def backward(self, grad):
        x, beta, threshold = self.inputs
        return _in_float32_if_half(SoftplusBackward, grad, x, beta, threshold), None, None


class SoftplusBackward(Function):
    """``grad z / (z + 1)`` with z = exp(beta x): grad sigmoid(beta x)."""

    saves_inputs = True
    listed_inputs = (0, 1)

    def forward(self, grad, x, beta, threshold):
        namespace = xp(grad)
        scaled = x * beta
        z = namespace.exp(scaled)
        return namespace.where(scaled > threshold, grad, grad * z / (z + 1))

    def backward(self, out_grad):
        grad, x, beta, threshold = self.inputs
        grad_grad = None
        if self.needs_input_grad(0):
            grad_grad = _in_float32_if_half(SoftplusBackward, out_grad, x, beta, threshold)
        grad_x = None
        if self.needs_input_grad(1):
            s = sigmoid(x * beta)
            grad_x = where(x * beta > threshold, 0.0, out_grad * grad * beta * s * (1 - s))
        return grad_grad, grad_x, None, None


# GELU: x Phi(x), Phi the standard normal CDF, or its tanh approximation ------------


class Gelu(Function):
    saves_inputs = True
    listed_inputs = (0,)

    def forward(self, x, approximate):
        if approximate == "tanh":
            inner = (x + x * x * x * GELU_TANH_CUBIC) * GELU_TANH_SCALE
            return x * 0.5 * (1 + xp(x).tanh(inner))
        return x * 0.5 * (1 + backend.erf(x * SQRT_HALF))

    def backward(self, grad):
        x, approximate = self.inputs
        return _in_float32_if_half(GeluBackward, grad, x, approximate), None


class GeluBackward(Function):
    """``grad (Phi(x) + x phi(x))``, or the derivative of the tanh form."""

    saves_inputs = True
    listed_inputs = (0, 1)

    def forward(self, grad, x, approximate):
        namespace = xp(grad)
        if approximate == "tanh":
            squared = x * x
            t = namespace.tanh((x + squared * x * GELU_TANH_CUBIC) * GELU_TANH_SCALE)
            inner_slope = (1 + squared * (3 * GELU_TANH_CUBIC)) * GELU_TANH_SCALE
            return grad * (0.5 * (1 + t) + x * 0.5 * (1 - t * t) * inner_slope)
        cdf = 0.5 * (1 + backend.erf(x * SQRT_HALF))
        density = namespace.exp(x * x * -0.5) * NORMAL_DENSITY_SCALE
        return grad * (cdf + x * density)

    def backward(self, out_grad):
        grad, x, approximate = self.inputs
        grad_grad = None
        if self.needs_input_grad(0):
            grad_grad = _in_float32_if_half(GeluBackward, out_grad, x, approximate)
        grad_x = None
        if self.needs_input_grad(1):
            grad_x = out_grad * grad * _gelu_second_derivative(x, approximate)
        return grad_grad, grad_x, None


def _gelu_second_derivative(x, approximate):
    if approximate == "tanh":  # u = c (x + k x^3): (1 - t^2) (u' - x t u'^2 + x u'' / 2)
        t = tanh((x + x * x * x * GELU_TANH_CUBIC) * GELU_TANH_SCALE)
        slope = (1 + x * x * (3 * GELU_TANH_CUBIC)) * GELU_TANH_SCALE
        curvature = x * (6 * GELU_TANH_CUBIC * GELU_TANH_SCALE)
        return (1 - t * t) * (slope - x * t * slope * slope + 0.5 * x * curvature)
    return exp(x * x * -0.5) * NORMAL_DENSITY_SCALE * (2 - x * x)  # phi(x) (2 - x^2)


# PReLU: leaky ReLU with a learnt slope, one per channel (dim 1) or one for all -----


class PreluKernel(Function):
    saves_inputs = True

    def forward(self, x, weight):
        namespace = xp(x)
        return namespace.maximum(x, 0) + _channel_view(weight, x.ndim) * namespace.minimum(x, 0)

    def backward(self, grad):
        x, weight = self.inputs
        grad_x = PreluKernelBackward.apply(grad, x, weight) if self.needs_input_grad(0) else None
        grad_weight = None
        if self.needs_input_grad(1):
            grad_weight = _sum_to_weight(grad * x.clamp_max(0), weight)
        return grad_x, grad_weight


class PreluKernelBackward(Function):
    """PReLU's gradient for its input: ``grad`` where x > 0, ``weight grad`` elsewhere."""

    saves_inputs = True

    def forward(self, grad, x, weight):
        return grad * _blend(_step(x > 0, grad), 1, _channel_view(weight, x.ndim))

    def backward(self, out_grad):
        grad, x, weight = self.inputs
        grad_grad = None
        if self.needs_input_grad(0):
            grad_grad = PreluKernelBackward.apply(out_grad, x, weight)
        grad_x = _zeros_like(x) if self.needs_input_grad(1) else None
        grad_weight = None
        if self.needs_input_grad(2):
            grad_weight = _sum_to_weight(out_grad * where(x > 0, 0.0, grad), weight)
        return grad_grad, grad_x, grad_weight


def _channel_view(weight, ndim):
    """The weight shaped to broadcast along dim 1 of an ``ndim``-d input (one weight for
    all: as it is)."""
    if weight.size == 1 or ndim < 2:
        return weight.reshape(())
    return weight.reshape((weight.size,) + (1,) * (ndim - 2))


def _sum_to_weight(per_element, weight):
    """Each weight's gradient: the sum of ``per_element`` over what that weight touched."""
    if weight.ndim == 0:
        return per_element.sum()
    if weight.numel() == 1:
        return per_element.reshape(-1, 1).sum(0)
    dims = [dim for dim in range(per_element.ndim) if dim != 1]
    return per_element.sum(dims)


FLOAT16_FORMS = {
    op: float16_form(op)
    for op in (LeakyRelu, LeakyReluBackward, Elu, EluBackward, Silu, SiluBackward)
    + (Softplus, SoftplusBackward, Gelu, GeluBackward)
}


def _in_float32_if_half(op, grad, *inputs):
    """A gradient op, in its float16 form for a float16 gradient."""
    if grad._data.dtype.char == "e":
        op = FLOAT16_FORMS[op]
    return op.apply(grad, *inputs)


def apply_floating(op, name, input, *options):
    """``op`` of a float tensor; float16 through its float16 form, as PyTorch computes it.
    PyTorch has no integer kernel for these: it raises rather than promote."""
    code = input._data.dtype.char
    if code == "f" or code == "d":
        return op.apply(input, *options)
    if code == "e":
        return FLOAT16_FORMS[op].apply(input, *options)
    raise NotImplementedError(
        f"\"{name}\" not implemented for '{input.dtype}': {name} needs a floating-point "
        "input (input.float())"
    )
