"""The activations after ReLU: leaky ReLU, ELU, SiLU, softplus, GELU and PReLU; the hard
(piecewise linear) ones, SELU, CELU, Mish, log-sigmoid and GLU.

Each is a pair of Functions: the activation, and its gradient as a second Function,
so that training records one node and makes one call for each. Both compute on
arrays; the gradient's own backward is written in ember's tensor ops, so
``create_graph=True`` gives higher orders. float16 computes in float32 and rounds
once, as PyTorch's CPU kernels do (``float16_form``).
"""

import math

from .. import backend
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from ..creation import zeros_like
from ..ops.error_function_approximations import erf as erf_of_array
from ..ops.float16 import float16_form
from ..ops.joining import cat
from ..ops.selection import where
from ..ops.unary_math import exp, log1p, sigmoid, tanh

SQRT_HALF = math.sqrt(0.5)
NORMAL_DENSITY_SCALE = 1 / math.sqrt(2 * math.pi)  # the standard normal density at 0
GELU_TANH_SCALE = math.sqrt(2 / math.pi)
GELU_TANH_CUBIC = 0.044715
# PyTorch's hardsigmoid gradient multiplies by 1/6 rounded to float32, in every dtype
ONE_SIXTH_IN_FLOAT32 = 0.1666666716337204

# Leaky ReLU, ELU and PReLU are x where x > 0 and f(x) elsewhere, with f(0) = 0. Leaky
# ReLU and PReLU multiply x by a factor that a 0/1 mask makes 1 or the slope, and so do
# all three gradients: fewer passes than backend.select (or NumPy's where, slow on a mask
# this mixed), for the same values. On 256x256 float32, leaky ReLU takes 40-50 us each
# way like this, 60-100 us as max(x, 0) + slope * min(x, 0), and 90-560 us with select.
# PyTorch computes slope * x at x = 0, so that leaky_relu(-0.) is -0.: the factor gives
# that too, where NumPy's max and min of -0. and 0 give +0.


def _piecewise_linear(values, x, slope):
    """``values`` where x > 0, ``values * slope`` elsewhere (x = 0 and NaN included), for
    a finite ``slope`` (a number, or an array that broadcasts): mask + (1 - mask) * slope
    is then exactly 1 or slope."""
    positive = (x > 0).astype(values.dtype)
    factor = 1 - positive
    factor *= slope
    factor += positive
    factor *= values
    return factor


# Leaky ReLU: x where x > 0, slope * x elsewhere ------------------------------------


class LeakyRelu(Function):
    saves_inputs = True
    listed_inputs = (0,)

    def forward(self, x, slope):
        if not math.isfinite(slope):  # the factor's 0 * slope would be NaN where x > 0
            return xp(x).where(x > 0, x, x * x.dtype.type(slope))
        if 0 < slope <= 1 and x.dtype.char in "fd" and x.dtype.type(slope) > 0:
            return _larger_of_x_and_scaled(x, slope)
        return _piecewise_linear(x, x, slope)

    def backward(self, grad):
        x, slope = self.inputs
        return _apply_with_float16_form(LeakyReluBackward, grad, x, slope), None


def _larger_of_x_and_scaled(x, slope):
    """Leaky ReLU for 0 < slope <= 1 (in x's own type) in two passes, where the factor
    takes five: x * slope lies between 0 and x, so the larger is x where x > 0 and
    x * slope elsewhere. -0. gives -0. * slope = -0., NaN stays NaN and -inf stays -inf.
    A slope of 0 (or one that rounds to 0 in x's type) would give NaN at +inf (inf * 0):
    it does not come here. float16 arrives widened to float64 by its float16 form, and
    gets the factor's values: x * slope in float64, rounded once."""
    return xp(x).maximum(x, x * x.dtype.type(slope))


class LeakyReluBackward(Function):
    saves_inputs = True
    listed_inputs = (0, 1)

    def forward(self, grad, x, slope):
        return _piecewise_linear(grad, x, slope)

    def backward(self, out_grad):
        grad, x, slope = self.inputs
        grad_x = zeros_like(out_grad) if self.needs_input_grad(1) else None  # slope is flat
        return _apply_with_float16_form(LeakyReluBackward, out_grad, x, slope), grad_x, None


# ELU: x where x > 0, alpha (exp(x) - 1) elsewhere --------------------------------


class Elu(Function):
    saves_inputs = True
    listed_inputs = (0,)

    def forward(self, x, alpha):
        namespace = xp(x)
        out = namespace.expm1(namespace.minimum(x, 0))
        out *= alpha
        if not math.isfinite(alpha):  # alpha * expm1(0) would be NaN where x > 0
            return namespace.where(x > 0, x, out)
        out += namespace.maximum(x, 0)
        return _with_signed_zeros(out, x)

    def backward(self, grad):
        x, alpha = self.inputs
        return _apply_with_float16_form(EluBackward, grad, x, alpha), None


class EluBackward(Function):
    saves_inputs = True
    listed_inputs = (0, 1)

    def forward(self, grad, x, alpha):
        namespace = xp(grad)
        slope = namespace.exp(namespace.minimum(x, 0)) * alpha
        return _piecewise_linear(grad, x, slope)  # NaN's slope is NaN (PyTorch's: 1)

    def backward(self, out_grad):
        grad, x, alpha = self.inputs
        grad_grad = (
            _apply_with_float16_form(EluBackward, out_grad, x, alpha)
            if self.needs_input_grad(0)
            else None
        )
        grad_x = None
        if self.needs_input_grad(1):
            grad_x = where(x < 0, out_grad * grad * alpha * exp(x), 0.0)  # 0 at 0, as PyTorch
        return grad_grad, grad_x, None


def _with_signed_zeros(out, x):
    """``out`` with x's own zeros where x is 0: PyTorch's elu(-0.) is -0., for any alpha,
    where NumPy's max and min of -0. and 0 give +0."""
    namespace = xp(x)
    out = namespace.asarray(out)  # NumPy gives a scalar for a 0-d x; copyto needs an array
    namespace.copyto(out, x, where=x == 0)
    return out


# SiLU (swish): x sigmoid(x) ------------------------------------------------------


class Silu(Function):
    saves_inputs = True

    def forward(self, x):
        namespace = xp(x)
        return x / (1 + namespace.exp(-x))

    def backward(self, grad):
        (x,) = self.inputs
        return _apply_with_float16_form(SiluBackward, grad, x)


class SiluBackward(Function):
    """``grad s (1 + x (1 - s))`` with s = sigmoid(x)."""

    saves_inputs = True

    def forward(self, grad, x):
        sigmoid_x = 1 / (1 + xp(x).exp(-x))
        return grad * sigmoid_x * (1 + x * (1 - sigmoid_x))

    def backward(self, out_grad):
        grad, x = self.inputs
        grad_grad = (
            _apply_with_float16_form(SiluBackward, out_grad, x)
            if self.needs_input_grad(0)
            else None
        )
        grad_x = None
        if self.needs_input_grad(1):
            sigmoid_x = sigmoid(x)
            slope = sigmoid_x * (1 - sigmoid_x) * (2 + x * (1 - 2 * sigmoid_x))
            grad_x = out_grad * grad * slope
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
        return _apply_with_float16_form(SoftplusBackward, grad, x, beta, threshold), None, None


class SoftplusBackward(Function):
    """``grad e / (e + 1)`` with e = exp(beta x), which is grad sigmoid(beta x); ``grad``
    itself past the threshold, where softplus is x."""

    saves_inputs = True
    listed_inputs = (0, 1)

    def forward(self, grad, x, beta, threshold):
        namespace = xp(grad)
        scaled = x if beta == 1 else x * beta  # x * 1 is x, bit for bit
        slope = namespace.exp(scaled)
        denominator = slope + 1
        slope *= grad  # grad * e / (e + 1), in place: the same roundings, fewer arrays
        slope /= denominator
        return namespace.where(scaled > threshold, grad, slope)

    def backward(self, out_grad):
        grad, x, beta, threshold = self.inputs
        grad_grad = None
        if self.needs_input_grad(0):
            grad_grad = _apply_with_float16_form(SoftplusBackward, out_grad, x, beta, threshold)
        grad_x = None
        if self.needs_input_grad(1):
            sigmoid_scaled = sigmoid(x * beta)
            slope = beta * sigmoid_scaled * (1 - sigmoid_scaled)
            grad_x = where(x * beta > threshold, 0.0, out_grad * grad * slope)
        return grad_grad, grad_x, None, None


# GELU: x Phi(x), Phi the standard normal CDF, or its tanh approximation ------------


class Gelu(Function):
    saves_inputs = True
    listed_inputs = (0,)

    def forward(self, x, approximate):
        if approximate == "tanh":
            inner = (x + x * x * x * GELU_TANH_CUBIC) * GELU_TANH_SCALE
            return x * 0.5 * (1 + xp(x).tanh(inner))
        out = _normal_cdf(x)
        out *= x
        return out

    def backward(self, grad):
        x, approximate = self.inputs
        return _apply_with_float16_form(GeluBackward, grad, x, approximate), None


class GeluBackward(Function):
    """``grad (Phi(x) + x phi(x))``, or the derivative of the tanh form."""

    saves_inputs = True
    listed_inputs = (0, 1)

    def forward(self, grad, x, approximate):
        namespace = xp(grad)
        if approximate == "tanh":
            squared = x * x
            tanh_inner = namespace.tanh((x + squared * x * GELU_TANH_CUBIC) * GELU_TANH_SCALE)
            inner_slope = (1 + squared * (3 * GELU_TANH_CUBIC)) * GELU_TANH_SCALE
            return grad * (
                0.5 * (1 + tanh_inner) + x * 0.5 * (1 - tanh_inner * tanh_inner) * inner_slope
            )
        slope = _normal_cdf(x)
        x_times_density = _normal_density(x)
        x_times_density *= x
        slope += x_times_density
        slope *= grad
        return slope

    def backward(self, out_grad):
        grad, x, approximate = self.inputs
        grad_grad = None
        if self.needs_input_grad(0):
            grad_grad = _apply_with_float16_form(GeluBackward, out_grad, x, approximate)
        grad_x = None
        if self.needs_input_grad(1):
            grad_x = out_grad * grad * _gelu_second_derivative(x, approximate)
        return grad_grad, grad_x, None


def _normal_cdf(x):
    """Phi(x) = (1 + erf(x / sqrt(2))) / 2 of an array, as a new array (the steps after
    erf write into it: fewer temporary arrays)."""
    cdf = erf_of_array(x * SQRT_HALF)
    cdf += 1.0
    cdf *= 0.5
    return cdf


def _normal_density(x):
    """phi(x) = exp(-x^2 / 2) / sqrt(2 pi) of an array, as a new array (written in place,
    as ``_normal_cdf``)."""
    density = x * x
    density *= -0.5
    density = xp(x).exp(density)
    density *= NORMAL_DENSITY_SCALE
    return density


def _gelu_second_derivative(x, approximate):
    """GELU's second derivative, in tensor ops (so that it has a gradient in turn)."""
    if approximate == "tanh":
        # With u = c (x + k x^3) and t = tanh(u): (1 - t^2) (u' - x t u'^2 + x u'' / 2).
        tanh_inner = tanh((x + x * x * x * GELU_TANH_CUBIC) * GELU_TANH_SCALE)
        slope = (1 + x * x * (3 * GELU_TANH_CUBIC)) * GELU_TANH_SCALE
        curvature = x * (6 * GELU_TANH_CUBIC * GELU_TANH_SCALE)
        return (1 - tanh_inner * tanh_inner) * (
            slope - x * tanh_inner * slope * slope + 0.5 * x * curvature
        )
    return exp(x * x * -0.5) * NORMAL_DENSITY_SCALE * (2 - x * x)  # phi(x) (2 - x^2)


# PReLU: leaky ReLU with a learnt slope, one per channel (dim 1) or one for all -----


class PreluKernel(Function):  # PyTorch's name for prelu's op: its node is PreluKernelBackward0
    saves_inputs = True

    def forward(self, x, weight):
        return _piecewise_linear(x, x, _channel_view(weight, x.ndim))

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
        return _piecewise_linear(grad, x, _channel_view(weight, x.ndim))

    def backward(self, out_grad):
        grad, x, weight = self.inputs
        grad_grad = None
        if self.needs_input_grad(0):
            grad_grad = PreluKernelBackward.apply(out_grad, x, weight)
        grad_x = zeros_like(x) if self.needs_input_grad(1) else None  # the slope is flat
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


# The piecewise linear activations: hardtanh (and ReLU6), hardsigmoid, softshrink,
# hardshrink and threshold ----------------------------------------------------------
# Each gradient is the incoming one times a slope that is constant between the breaks.
# On the flat pieces the gradient is picked to be 0 (``zero_where``), so that it is +0
# where the incoming one is negative, as PyTorch's. A NaN input gets the gradient that
# PyTorch's vector loop gives it (its loop for the last few elements of a tensor can
# differ). The gradient's own gradient is the same op of the incoming one, and zero for
# x (the slope is flat).


class PiecewiseLinear(Function):
    """An activation ``f(x, *options)`` whose gradient is ``gradient_op(grad, x, *options)``."""

    saves_inputs = True
    listed_inputs = (0,)
    gradient_op = None  # the PiecewiseLinearBackward subclass that holds the slope

    def backward(self, grad):
        x, *options = self.inputs
        grad_x = _apply_with_float16_form(self.gradient_op, grad, x, *options)
        return (grad_x,) + (None,) * len(options)


class PiecewiseLinearBackward(Function):
    saves_inputs = True
    listed_inputs = (0, 1)

    def backward(self, out_grad):
        grad, x, *options = self.inputs
        grad_grad = None
        if self.needs_input_grad(0):
            grad_grad = _apply_with_float16_form(type(self), out_grad, x, *options)
        grad_x = zeros_like(out_grad) if self.needs_input_grad(1) else None
        return (grad_grad, grad_x) + (None,) * len(options)


class HardtanhBackward(PiecewiseLinearBackward):
    def forward(self, grad, x, min_val, max_val):
        return backend.zero_where(~((x > min_val) & (x < max_val)), grad)  # NaN's is 0


class Hardtanh(PiecewiseLinear):
    """x clamped to [min_val, max_val] as PyTorch's clamp: NaN stays NaN, and so does -0.
    beside a bound of 0 (relu6(-0.) is -0.). ``backend.clamped`` keeps both, and gives
    max_val everywhere when min_val > max_val (hardtanh_ only), as PyTorch's kernel does.
    On 256x256 float32 it takes 15 us, where picking with two ``where`` took 200."""

    gradient_op = HardtanhBackward

    def forward(self, x, min_val, max_val):
        if min_val != min_val or max_val != max_val:  # a NaN bound: NaN, as PyTorch's clamp
            return xp(x).full_like(x, math.nan)
        return backend.clamped(x, min_val, max_val)


class HardsigmoidBackward(PiecewiseLinearBackward):
    def forward(self, grad, x):
        return backend.zero_where(~((x > -3) & (x < 3)), grad * ONE_SIXTH_IN_FLOAT32)


class Hardsigmoid(PiecewiseLinear):
    """0 up to -3, 1 from 3, the line x / 6 + 1/2 between."""

    gradient_op = HardsigmoidBackward

    def forward(self, x):
        out = xp(x).clip(x + 3, 0, 6)
        out /= 6
        return out


class ShrinkBackward(PiecewiseLinearBackward):
    """Both shrinks' gradient: ``grad`` where |x| > lambd, 0 elsewhere (NaN included)."""

    def forward(self, grad, x, lambd):
        return backend.zero_where(~((x > lambd) | (x < -lambd)), grad)


class SoftshrinkBackward(ShrinkBackward):
    pass


class HardshrinkBackward(ShrinkBackward):
    pass


class Softshrink(PiecewiseLinear):
    """x moved lambd towards 0, and 0 within lambd of it: x minus x clipped to
    [-lambd, lambd], which gives +0. there (-0. - -0. too) and NaN for NaN, as PyTorch's."""

    gradient_op = SoftshrinkBackward

    def forward(self, x, lambd):
        return x - xp(x).clip(x, -lambd, lambd)


class Hardshrink(PiecewiseLinear):
    """x where |x| > lambd, 0 (+0.) within lambd of 0."""

    gradient_op = HardshrinkBackward

    def forward(self, x, lambd):
        return backend.zero_where((x >= -lambd) & (x <= lambd), x)


class ThresholdBackward(PiecewiseLinearBackward):
    """Threshold's gradient: ``grad`` where x > threshold (or x is NaN). Relu's own
    (unary_math.ThresholdBackward) reads relu's output instead."""

    def forward(self, grad, x, threshold):
        return backend.zero_where(x <= threshold, grad)


class Threshold(PiecewiseLinear):
    """``value`` where x <= threshold, x elsewhere (NaN included); of any number type."""

    gradient_op = ThresholdBackward

    def forward(self, x, threshold, value):
        return xp(x).where(x <= threshold, x.dtype.type(value), x)

    def backward(self, grad):
        x, threshold, _ = self.inputs
        return _apply_with_float16_form(ThresholdBackward, grad, x, threshold), None, None


# Hardswish: x relu6(x + 3) / 6 ----------------------------------------------------


class Hardswish(Function):
    """0 up to -3, x from 3, x (x + 3) / 6 between; of -inf, NaN (-inf * 0), as PyTorch's."""

    saves_inputs = True

    def forward(self, x):
        out = xp(x).clip(x + 3, 0, 6)
        out *= x
        out /= 6
        return out

    def backward(self, grad):
        (x,) = self.inputs
        return _apply_with_float16_form(HardswishBackward, grad, x)


class HardswishBackward(Function):
    """``grad`` times 0 up to -3, 1 from 3, x / 3 + 1/2 between (and at NaN, which gives
    NaN), as PyTorch's vector loop."""

    saves_inputs = True

    def forward(self, grad, x):
        namespace = xp(grad)
        slope = x / 3
        slope += 0.5
        slope *= grad
        return backend.zero_where(x <= -3, namespace.where(x >= 3, grad, slope))

    def backward(self, out_grad):
        grad, x = self.inputs
        grad_grad = None
        if self.needs_input_grad(0):
            grad_grad = _apply_with_float16_form(HardswishBackward, out_grad, x)
        grad_x = None
        if self.needs_input_grad(1):
            grad_x = where((x > -3) & (x < 3), out_grad * grad / 3, 0.0)
        return grad_grad, grad_x


# SELU and CELU: ELU scaled, as PyTorch computes both -------------------------------


class ScaledElu(Function):
    """``scale x`` where x > 0, ``scale alpha (exp(input_scale x) - 1)`` elsewhere (NaN
    included): SELU (fixed alpha and scale) and CELU (input_scale 1 / alpha). PyTorch
    records SELU under ELU's name."""

    saves_inputs = True
    listed_inputs = (0,)

    def forward(self, x, alpha, scale, input_scale):
        namespace = xp(x)
        negative = namespace.expm1(x * input_scale)
        negative *= alpha * scale
        return namespace.where(x > 0, x * scale, negative)  # -0. stays -0.

    def backward(self, grad):
        x, *options = self.inputs
        return (_apply_with_float16_form(ScaledEluBackward, grad, x, *options),) + (None,) * 3

    def name(self):
        return "EluBackward0"


class Celu(ScaledElu):
    def name(self):
        return "CeluBackward0"


class ScaledEluBackward(Function):
    """``grad scale`` where x > 0, ``grad scale alpha input_scale exp(input_scale x)``
    elsewhere (NaN's gradient is NaN, as in PyTorch's vector loop)."""

    saves_inputs = True
    listed_inputs = (0, 1)

    def forward(self, grad, x, alpha, scale, input_scale):
        namespace = xp(grad)
        negative = namespace.exp(x * input_scale)
        negative *= grad
        negative *= alpha * scale * input_scale
        return namespace.where(x > 0, grad * scale, negative)

    def backward(self, out_grad):
        grad, x, alpha, scale, input_scale = self.inputs
        grad_grad = None
        if self.needs_input_grad(0):
            grad_grad = _apply_with_float16_form(
                ScaledEluBackward, out_grad, x, alpha, scale, input_scale
            )
        grad_x = None
        if self.needs_input_grad(1):
            # 0 from x = 0 on, as PyTorch's (whose first derivative there is the left one)
            curvature = exp(x * input_scale) * (alpha * scale * input_scale * input_scale)
            grad_x = out_grad * grad * where(x >= 0, 0.0, curvature)
        return grad_grad, grad_x, None, None, None

    def name(self):
        return "EluBackwardBackward0"


# Mish: x tanh(softplus(x)) --------------------------------------------------------


class Mish(Function):
    saves_inputs = True

    def forward(self, x):
        namespace = xp(x)
        return x * namespace.tanh(namespace.log1p(namespace.exp(x)))

    def backward(self, grad):
        (x,) = self.inputs
        return _apply_with_float16_form(MishBackward, grad, x)


class MishBackward(Function):
    """``grad (t + x s (1 - t^2))`` with t = tanh(softplus(x)) and s = sigmoid(x), the
    derivative of softplus."""

    saves_inputs = True

    def forward(self, grad, x):
        namespace = xp(grad)
        tanh_softplus = namespace.tanh(namespace.log1p(namespace.exp(x)))
        sigmoid_x = 1 / (1 + namespace.exp(-x))
        return grad * (tanh_softplus + x * sigmoid_x * (1 - tanh_softplus * tanh_softplus))

    def backward(self, out_grad):
        grad, x = self.inputs
        grad_grad = None
        if self.needs_input_grad(0):
            grad_grad = _apply_with_float16_form(MishBackward, out_grad, x)
        grad_x = None
        if self.needs_input_grad(1):
            # t' = (1 - t^2) s, so the second derivative is (1 - t^2) (2 s + x s' - 2 x s^2 t)
            sigmoid_x = sigmoid(x)
            tanh_softplus = tanh(log1p(exp(x)))
            sigmoid_slope = sigmoid_x * (1 - sigmoid_x)
            curvature = (1 - tanh_softplus * tanh_softplus) * (
                2 * sigmoid_x + x * sigmoid_slope - 2 * x * sigmoid_x * sigmoid_x * tanh_softplus
            )
            grad_x = out_grad * grad * curvature
        return grad_grad, grad_x

    def name(self):
        return "MulBackward0"  # PyTorch composes mish's gradient; its last op is a product


# Log-sigmoid: -softplus(-x) -------------------------------------------------------


class LogSigmoid(Function):
    saves_inputs = True

    def forward(self, x):
        namespace = xp(x)
        out = namespace.log1p(namespace.exp(-namespace.abs(x)))  # no overflow for any x
        return namespace.minimum(x, 0) - out

    def backward(self, grad):
        (x,) = self.inputs
        return _apply_with_float16_form(LogSigmoidBackward, grad, x)


class LogSigmoidBackward(Function):
    """``grad sigmoid(-x)``, written as PyTorch's kernel writes it: with z = exp(-|x|) and
    q = z / (1 + z), ``grad (1 - q)`` where x < 0, ``grad q`` elsewhere (0 of grad's sign
    at +inf). Of float16, PyTorch keeps z as float16 and computes the rest in float32."""

    saves_inputs = True

    def forward(self, grad, x):
        namespace = xp(grad)
        half = grad.dtype.char == "e"
        if half:
            grad, x = grad.astype("float32"), x.astype("float32")
        decay = namespace.exp(-namespace.abs(x))
        if half:
            decay = decay.astype("float16").astype("float32")
        share = decay / (decay + 1)
        out = grad * namespace.where(x < 0, 1 - share, share)
        return out.astype("float16") if half else out

    def backward(self, out_grad):
        grad, x = self.inputs
        grad_grad = None
        if self.needs_input_grad(0):
            grad_grad = _apply_with_float16_form(LogSigmoidBackward, out_grad, x)
        grad_x = None
        if self.needs_input_grad(1):
            sigmoid_x = sigmoid(x)
            grad_x = -out_grad * grad * sigmoid_x * (1 - sigmoid_x)
        return grad_grad, grad_x


# GLU: the first half of a dim gated by the sigmoid of the second --------------------


class Glu(Function):
    saves_inputs = True
    listed_inputs = (0,)

    def forward(self, x, axis):
        first, second = xp(x).split(x, 2, axis=axis)
        return first * _sigmoid(second)

    def backward(self, grad):
        x, axis = self.inputs
        return _apply_with_float16_form(GluBackward, grad, x, axis), None


class GluBackward(Function):
    """With a, b the halves of x and s = sigmoid(b): ``grad s`` for a and
    ``grad a s (1 - s)`` for b, side by side along the dim. Of float16, PyTorch rounds s
    to float16 and computes the rest in float32, rounded once: so does this."""

    saves_inputs = True
    listed_inputs = (0, 1)

    def forward(self, grad, x, axis):
        namespace = xp(grad)
        first, second = namespace.split(x, 2, axis=axis)
        if grad.dtype.char != "e":
            return self.gradient(namespace, grad, first, _sigmoid(second), axis)
        gate = _sigmoid(second.astype("float32")).astype("float16").astype("float32")
        wide = self.gradient(namespace, grad.astype("float32"), first, gate, axis)
        return wide.astype("float16")

    @staticmethod
    def gradient(namespace, grad, first, gate, axis):
        # b's in PyTorch's order, (1 - s) s a grad: grad s a first overflows to inf, then
        # inf * 0 is NaN, where s rounds to 1 at a huge b
        grad_second = (1 - gate) * gate * first * grad
        return namespace.concatenate([grad * gate, grad_second], axis=axis)

    def backward(self, out_grad):
        grad, x, axis = self.inputs
        first, second = x.chunk(2, axis)
        grad_of_first, grad_of_second = out_grad.chunk(2, axis)
        gate = sigmoid(second)
        gate_slope = gate * (1 - gate)
        grad_grad = None
        if self.needs_input_grad(0):
            grad_grad = grad_of_first * gate + grad_of_second * first * gate_slope
        grad_x = None
        if self.needs_input_grad(1):
            slope = grad * gate_slope
            grad_x = cat(
                [
                    grad_of_second * slope,
                    (grad_of_first + grad_of_second * first * (1 - 2 * gate)) * slope,
                ],
                axis,
            )
        return grad_grad, grad_x, None


FLOAT16_FORMS = {
    op: float16_form(op)
    for op in (LeakyRelu, LeakyReluBackward, Elu, EluBackward, Silu, SiluBackward)
    + (Softplus, SoftplusBackward, Gelu, GeluBackward)
    + (Hardtanh, HardtanhBackward, Hardsigmoid, HardsigmoidBackward, Hardswish)
    + (HardswishBackward, Softshrink, SoftshrinkBackward, Hardshrink, HardshrinkBackward)
    + (Threshold, ThresholdBackward, ScaledElu, Celu, ScaledEluBackward, Mish, MishBackward)
    + (LogSigmoid, Glu)  # LogSigmoidBackward and GluBackward compute their own float16
}


def _sigmoid(array):
    """1 / (1 + exp(-x)) of an array."""
    return 1 / (1 + xp(array).exp(-array))


def apply_floating(op, name, input, *options):
    """``op`` of a float tensor (``name`` is the op's, for the error). PyTorch has no
    integer kernel for these: it raises rather than promote."""
    if input._data.dtype.char in "fde":
        return _apply_with_float16_form(op, input, *options)
    raise NotImplementedError(
        f"\"{name}\" not implemented for '{input.dtype}': {name} needs a floating-point "
        "input (input.float())"
    )


def _apply_with_float16_form(op, first, *rest):
    """``op.apply``, through the op's float16 form when ``first`` is float16."""
    if first._data.dtype.char == "e":
        op = FLOAT16_FORMS.get(op, op)  # a float16 form's backward names its own class
    return op.apply(first, *rest)
