"""The nn ops that training spends its time in, each one Function with its backward beside it.

``linear``, ``softmax``/``log_softmax``, the negative log-likelihood, the
regression losses and the two binary cross-entropies would each be several
recorded ops if composed from the core; here each is one node (its reduction
included, as PyTorch's is) that saves only what its backward needs. As in the
core, forward works on arrays and backward on tensors (in ember's own ops),
so ``create_graph=True`` still gives higher-order gradients.
"""

import math

from .. import backend
from ..autograd.function import Function, save_each_for_the_other
from ..backend import c_contiguous
from ..backend import namespace_of as xp  # the array namespace of an array
from ..ops.linalg import TransposedMatmul
from ..ops.reductions import Sum
from ..ops.selection import clamp, where
from ..ops.unary_math import exp, log, sigmoid
from .activations import LogSigmoid


class Linear(Function):
    """``x @ weight.T + bias`` for inputs of any number of leading dims."""

    saves_inputs = True
    save_read_inputs = save_each_for_the_other
    grads_are_new = True
    listed_inputs = (2, 0, 1)  # PyTorch's addmm(bias, x, weight.T) lists the bias first

    def forward(self, x, weight, bias):
        self.weight_shape = weight.shape
        self.input_ndim = x.ndim
        if bias is None:
            self.listed_inputs = (0, 1)  # PyTorch's node lists no bias when there is none
            return x @ weight.T
        if x.ndim != 2:  # PyTorch folds the leading dims of contiguous operands into one
            self.folds = x.flags.c_contiguous and bias.flags.c_contiguous
        # float16: PyTorch's addmm adds the bias in float32 and rounds once (its unfolded
        # product is rounded before the bias is added, as here in float16)
        half = x.dtype.char == "e" and (x.ndim == 2 or self.folds)
        out = x.astype("float32") @ weight.T.astype("float32") if half else x @ weight.T
        try:
            out += bias
        except ValueError:  # NumPy's word for a bias that does not broadcast to the output
            raise RuntimeError(
                f"linear's bias of shape {list(bias.shape)} does not broadcast to the "
                f"output's shape {list(out.shape)}: give one value per out_feature"
            ) from None
        return out.astype("e") if half else out

    def backward(self, grad):
        x, weight, _ = self.inputs
        out_features, in_features = self.weight_shape
        rows = grad if grad.ndim == 2 else _as_rows(grad, out_features)  # leading dims folded
        grad_x = grad @ weight if self.needs_input_grad(0) else None
        grad_weight = None
        if self.needs_input_grad(1):
            x_rows = x if x.ndim == 2 else _as_rows(x, in_features)
            grad_weight = TransposedMatmul.apply(rows, x_rows)
        grad_bias = Sum.apply(rows, (0,), False) if self.needs_input_grad(2) else None
        return grad_x, grad_weight, grad_bias

    def name(self):
        # PyTorch multiplies a 1-d or an N-d input as a matrix and reshapes the product,
        # so the last recorded node is the reshape; with a bias, the product of contiguous
        # operands is folded into one addmm and viewed, of others added to in place.
        with_bias = len(self.listed_inputs) == 3  # forward lists no bias where there is none
        if self.input_ndim == 2:
            return "AddmmBackward0" if with_bias else "MmBackward0"
        if with_bias:
            return "ViewBackward0" if self.folds else "AddBackward0"
        return "SqueezeBackward4" if self.input_ndim == 1 else "UnsafeViewBackward0"


def _as_rows(tensor, features):
    """``tensor`` as a matrix of rows of ``features`` values, its leading dims folded into
    one (counted, as -1 cannot be when there are no features)."""
    return tensor.reshape(math.prod(tensor.shape[:-1]), features)


class MseLoss(Function):
    """Squared error, reduced, as one node: backward is ``2 (input - target) grad`` (/ n)."""

    saves_inputs = True
    listed_inputs = (0, 1)

    def forward(self, input, target, reduction):
        self.reduction = reduction
        squared = input - target
        squared *= squared
        self.count = squared.size
        return reduced_loss_array(squared, reduction)

    def backward(self, grad):
        input, target, _ = self.inputs
        scale = 2.0 / max(self.count, 1) if self.reduction == "mean" else 2.0  # empty: no use
        grad_input = MseLossBackward.apply(input, target, grad, scale)
        grad_target = None
        if self.needs_input_grad(1):  # PyTorch's operands swapped: +0, not -0, where equal
            grad_target = MseLossBackward.apply(target, input, grad, scale)
        return grad_input, grad_target, None


class MseLossBackward(Function):
    """MseLoss's gradient, ``(input - target) * (grad * scale)``, as one node (one dispatch
    per training step instead of three); its own backward serves create_graph=True."""

    saves_inputs = True

    def forward(self, input, target, grad, scale):
        return (input - target) * (grad * scale)

    def backward(self, out_grad):
        input, target, grad, scale = self.inputs
        grad_input = out_grad * (grad * scale)
        grad_target = -grad_input if self.needs_input_grad(1) else None
        grad_grad = (input - target) * out_grad * scale if self.needs_input_grad(2) else None
        return grad_input, grad_target, grad_grad, None


def reduced_loss_array(loss, reduction):
    """A loss's values averaged or summed as ``reduction`` says ('none': as they are)."""
    if reduction == "none":
        return loss
    # sums by backend.reduction: the array's methods warn of an overflow from NumPy's own
    # module, past ember's filter (PyTorch's inf is quiet)
    if reduction == "sum":
        return backend.reduction(loss, "sum", None)
    if loss.size == 0:  # nan, without NumPy's two warnings (as Mean)
        return loss.sum() * math.nan
    if loss.dtype.char == "e":  # float16: summed in float32, as NumPy's mean() sums it
        total = backend.reduction(loss, "sum", None, dtype="float32")
        return (total / loss.size).astype(loss.dtype)
    return backend.reduction(loss, "sum", None) / loss.size  # what mean() computes


def reduction_scale(grad, reduction, count):
    """The gradient each value of a reduced loss gets: the output's, over n for 'mean'."""
    return grad / count if reduction == "mean" and count else grad


class HuberLoss(Function):
    """``0.5 d^2`` where ``|d| < delta``, ``delta (|d| - delta / 2)`` beyond (d = input -
    target), in the input's dtype and reduced, as one node: backward is ``d grad`` inside,
    ``delta sign(d) grad`` beyond."""

    saves_inputs = True
    listed_inputs = (0, 1)

    def forward(self, input, target, reduction, delta):
        self.reduction, self.delta, self.count = reduction, delta, input.size
        namespace = xp(input)
        distance = namespace.abs(input - target)
        loss = namespace.where(
            distance < delta, 0.5 * distance * distance, delta * (distance - 0.5 * delta)
        )
        return reduced_loss_array(loss.astype(input.dtype, copy=False), reduction)

    def backward(self, grad):
        input, target, _, _ = self.inputs
        scale = reduction_scale(grad, self.reduction, self.count)
        grad_input = self.gradient(input - target, scale)
        # the target's as PyTorch takes it, with the operands swapped: -0 would be +0
        grad_target = self.gradient(target - input, scale) if self.needs_input_grad(1) else None
        return grad_input, grad_target, None, None

    def gradient(self, difference, scale):
        slope = where(difference.abs() < self.delta, difference, self.delta * difference.sign())
        return _nan_where_nan(slope, difference) * scale


def _nan_where_nan(slope, difference):
    """The slope, NaN where the difference is: PyTorch's kernels pass a NaN difference on,
    where sign() makes it 0."""
    return where(difference.isnan(), difference.detach(), slope)


class SmoothL1Loss(Function):
    """Huber's loss over ``beta`` (beta > 0): ``0.5 d^2 / beta`` where ``|d| < beta``,
    ``|d| - beta / 2`` beyond, reduced, as one node; backward is ``d / beta`` inside,
    ``sign(d)`` beyond, times the gradient."""

    saves_inputs = True
    listed_inputs = (0, 1)

    def forward(self, input, target, reduction, beta):
        self.reduction, self.beta, self.count = reduction, beta, input.size
        namespace = xp(input)
        distance = namespace.abs(input - target)
        loss = namespace.where(
            distance < beta, 0.5 * distance * distance / beta, distance - 0.5 * beta
        )
        return reduced_loss_array(loss, reduction)

    def backward(self, grad):
        input, target, _, _ = self.inputs
        scale = reduction_scale(grad, self.reduction, self.count)
        grad_input = self.gradient(input - target, scale)
        # the target's as PyTorch takes it, with the operands swapped: -0 would be +0
        grad_target = self.gradient(target - input, scale) if self.needs_input_grad(1) else None
        return grad_input, grad_target, None, None

    def gradient(self, difference, scale):
        slope = where(difference.abs() < self.beta, difference / self.beta, difference.sign())
        return _nan_where_nan(slope, difference) * scale


class Softmax(Function):
    saves_output = True
    listed_inputs = (0,)

    def forward(self, a, axis):
        self.axis = axis
        if a.size == 0:  # nothing to normalise, and no max to shift by
            return a.copy()
        if a.dtype.char == "e":  # float16: in float32, rounded once, as PyTorch's kernel does
            return self.forward(a.astype("float32"), axis).astype("float16")
        shifted = xp(a).exp(a - backend.reduction(a, "max", axis, keepdims=True))
        shifted /= backend.reduction(shifted, "sum", axis, keepdims=True)
        return c_contiguous(shifted)  # as PyTorch's, whatever the input's layout

    def backward(self, grad):
        return SoftmaxBackwardData.apply(grad, self.output, self.axis), None


class SoftmaxBackwardData(Function):
    """Softmax's gradient, ``out (grad - sum(grad out))``, as one node (one dispatch
    instead of four); its own backward serves create_graph=True."""

    saves_inputs = True

    def forward(self, grad, out, axis):
        if grad.dtype.char == "e":  # float16: in float32, rounded once (as Softmax)
            wide = self.forward(grad.astype("float32"), out.astype("float32"), axis)
            return wide.astype("float16")
        return out * (grad - backend.reduction(grad * out, "sum", axis, keepdims=True))

    def backward(self, out_grad):
        grad, out, axis = self.inputs
        weighted = (out_grad * out).sum(axis, keepdim=True)
        grad_grad = grad_out = None
        if self.needs_input_grad(0):
            grad_grad = out * (out_grad - weighted)
        if self.needs_input_grad(1):
            total = (grad * out).sum(axis, keepdim=True)
            grad_out = out_grad * (grad - total) - grad * weighted
        return grad_grad, grad_out, None


class LogSoftmax(Function):
    """``x - logsumexp(x)``: shifting by the max first keeps exp from overflowing."""

    saves_output = True
    listed_inputs = (0,)

    def forward(self, a, axis):
        self.axis = axis
        if a.size == 0:  # nothing to normalise, and no max to shift by
            return a.copy()
        if a.dtype.char == "e":  # float16: in float32, rounded once (as Softmax)
            return self.forward(a.astype("float32"), axis).astype("float16")
        namespace = xp(a)
        shifted = a - backend.reduction(a, "max", axis, keepdims=True)
        total = backend.reduction(namespace.exp(shifted), "sum", axis, keepdims=True)
        shifted -= namespace.log(total)
        return c_contiguous(shifted)  # as PyTorch's, whatever the input's layout

    def backward(self, grad):
        return LogSoftmaxBackwardData.apply(grad, self.output, self.axis), None


class LogSoftmaxBackwardData(Function):
    """LogSoftmax's gradient, ``grad - exp(out) * grad.sum(axis)``, as one node (one
    dispatch per step instead of four); its own backward serves create_graph=True."""

    saves_inputs = True

    def forward(self, grad, out, axis):
        if grad.dtype.char == "e":  # float16: in float32, rounded once (as LogSoftmax)
            wide = self.forward(grad.astype("float32"), out.astype("float32"), axis)
            return wide.astype("float16")
        return grad - xp(out).exp(out) * backend.reduction(grad, "sum", axis, keepdims=True)

    def backward(self, out_grad):
        grad, out, axis = self.inputs
        probabilities = exp(out)
        grad_grad = grad_out = None
        if self.needs_input_grad(0):
            grad_grad = out_grad - (out_grad * probabilities).sum(axis, keepdim=True)
        if self.needs_input_grad(1):
            grad_out = -out_grad * probabilities * grad.sum(axis, keepdim=True)
        return grad_grad, grad_out, None


class NllLoss(Function):
    """``-weight[t] * log_probs[n, t, ...]`` (class dim 1), reduced; ignored targets count 0.

    'mean' divides by the sum of the weights picked (the number of targets not
    ignored, without weights), as PyTorch does.
    """

    listed_inputs = (0,)

    def forward(self, log_probs, target, weight, ignore_index, reduction):
        namespace = xp(log_probs)
        classes = log_probs.shape[1]
        ignored = target == ignore_index
        # Most calls weigh every target once and ignore none: no masks are needed then,
        # which takes a third off a classifier's loss over 10 classes. On a GPU, asking
        # whether any target is ignored would wait for it.
        every_target_counts = (
            weight is None and namespace is backend.cpu_namespace and not ignored.any()
        )
        picked = target if every_target_counts else namespace.where(ignored, 0, target)
        if namespace is backend.cpu_namespace:  # on a GPU, checking would wait for it
            out_of_range = (picked < 0) | (picked >= classes)
            if out_of_range.any():
                raise IndexError(f"Target {int(target[out_of_range][0])} is out of bounds.")
        if every_target_counts:
            ignored, scale = None, log_probs.dtype.type(1)
        else:
            kept = weight[picked] if weight is not None else 1
            scale = namespace.where(ignored, 0, kept).astype(log_probs.dtype)
        self.picked, self.scale, self.ignored = picked, scale, ignored
        self.target, self.weight, self.ignore_index = target, weight, ignore_index
        self.reduction, self.input_shape = reduction, log_probs.shape
        if log_probs.ndim == 2:
            losses = log_probs[namespace.arange(len(picked)), picked]
        else:
            losses = namespace.take_along_axis(log_probs, picked[:, None], axis=1)[:, 0]
        losses *= -scale
        if ignored is not None:
            # 0 at an ignored target even where its log-probability is NaN or -inf (0 * inf
            # is NaN), as in PyTorch: a padded position whose logits were all masked to -inf.
            # Not losses[ignored] = 0: on a GPU, writing at a mask waits for the device.
            losses = namespace.where(ignored, losses.dtype.type(0), losses)
        if reduction == "none":
            return losses
        # by backend.reduction: the array's sum() warns of inf - inf from NumPy's module
        total = backend.reduction(losses, "sum", None)
        if reduction == "sum":
            return total
        self.total_weight = scale.sum() if ignored is not None else scale.dtype.type(picked.size)
        return total / self.total_weight  # 0 / 0 is nan when every target is ignored

    def backward(self, grad):
        return NllLossBackward.apply(grad, self), None, None, None, None


class NllLossBackward(Function):
    """NllLoss's gradient as one node, written as PyTorch's kernel writes it: -(grad /
    total weight) for 'mean' (-grad otherwise) times the target's weight, at each target
    that is not ignored, and +0 elsewhere (a product with the zeros of a one-hot would be
    -0 beside a negative grad). Linear in grad, its own gradient is the nll loss of the
    gradient that comes back: the same picking and weighting."""

    listed_inputs = (0,)

    def forward(self, grad, loss):
        self.loss = loss
        namespace = xp(grad)
        if loss.reduction == "mean":  # 0 / 0 where every target is ignored: written nowhere
            grad = grad / loss.total_weight
        values = -grad * loss.scale
        if loss.ignored is not None:
            values = namespace.where(loss.ignored, 0, values)
        if loss.picked.ndim == 1:  # (N, C): write the N picked entries, no N x C comparisons
            out = namespace.zeros(loss.input_shape, values.dtype)
            out[namespace.arange(len(loss.picked)), loss.picked] = values
            return out
        shape = [1] * len(loss.input_shape)
        shape[1] = loss.input_shape[1]
        written = namespace.arange(shape[1]).reshape(shape) == loss.picked[:, None]
        values = namespace.broadcast_to(values, loss.picked.shape)  # a reduced loss's: 0-d
        return namespace.where(written, values[:, None], values.dtype.type(0))

    def backward(self, out_grad):
        loss = self.loss
        grad_grad = NllLoss.apply(
            out_grad, loss.target, loss.weight, loss.ignore_index, loss.reduction
        )
        return grad_grad, None


def softplus(x):
    """log(1 + exp(x)) for any x without overflow, as -logsigmoid(-x): one LogSigmoid node
    between two negations, whose gradient is sigmoid(x) at x = 0 too (that of relu(x) +
    log(1 + exp(-|x|)) was 0 there, which spoiled binary_cross_entropy_with_logits'
    second derivatives at a logit of 0)."""
    return -LogSigmoid.apply(-x)


class BinaryCrossEntropy(Function):
    """``-weight (t log p + (1 - t) log(1 - p))`` with each log clamped at -100, as PyTorch
    does, reduced, as one node."""

    saves_inputs = True
    listed_inputs = (0, 1)  # PyTorch's node lists no weight: it takes no gradient there

    def forward(self, p, t, weight, reduction):  # binary_cross_entropy() checked p, t in [0, 1]
        self.reduction, self.count = reduction, p.size
        namespace = xp(p)
        log_p = namespace.maximum(namespace.log(p), -100)
        log_not_p = namespace.maximum(namespace.log1p(-p), -100)
        loss = (t - 1) * log_not_p - t * log_p  # PyTorch's form: +0, not -0, at t = p = 0
        if weight is not None:
            loss *= weight
        return reduced_loss_array(loss, reduction)

    def backward(self, grad):
        p, t, weight, _ = self.inputs
        grad_p = grad_t = grad_weight = None
        # in PyTorch's order: the upstream gradient times the slope, then the weight, then
        # over n (an upstream gradient over n first rounds a subnormal slope to 0)
        if self.needs_input_grad(0):
            grad_p = self.weighted_mean(grad * (p - t) / clamp(p * (1 - p), min=1e-12), weight)
        if self.needs_input_grad(1):  # -logit(p), unclamped: infinite at 0 and 1
            grad_t = self.weighted_mean(-log(p / (1 - p)) * grad, weight)
        upstream = reduction_scale(grad, self.reduction, self.count)
        if self.needs_input_grad(2):  # ember gives the weight a gradient (PyTorch refuses)
            log_p, log_not_p = clamp(log(p), min=-100), clamp(log(1 - p), min=-100)
            grad_weight = -upstream * (t * log_p + (1 - t) * log_not_p)
        return grad_p, grad_t, grad_weight, None

    def weighted_mean(self, gradient, weight):
        if weight is not None:
            gradient = gradient * weight
        return reduction_scale(gradient, self.reduction, self.count)


class BinaryCrossEntropyWithLogits(Function):
    """BCE of ``sigmoid(x)`` written in ``x`` so that no log or exp overflows, reduced, as
    one node.

    loss = (1 - t) x + (1 + (pos_weight - 1) t) softplus(-x), times ``weight``.
    """

    saves_inputs = True
    listed_inputs = (0, 1)  # PyTorch's node lists neither weight: it takes no gradient there

    def forward(self, x, t, weight, pos_weight, reduction):
        self.reduction, self.count = reduction, x.size
        namespace = xp(x)
        softplus_of_minus_x = namespace.maximum(-x, 0) + namespace.log1p(
            namespace.exp(-namespace.abs(x))
        )
        if pos_weight is None:
            loss = (1 - t) * x + softplus_of_minus_x
        else:
            loss = (1 - t) * x + (1 + (pos_weight - 1) * t) * softplus_of_minus_x
        if weight is not None:
            loss = loss * weight
        return reduced_loss_array(loss, reduction)

    def backward(self, grad):
        x, t, weight, pos_weight, _ = self.inputs
        grad = reduction_scale(grad, self.reduction, self.count)
        upstream = grad
        if weight is not None:
            grad = grad * weight
        grads = [None, None, None, None, None]
        if self.needs_input_grad(0):
            if pos_weight is None:
                grads[0] = grad * (sigmoid(x) - t)
            else:
                grads[0] = grad * ((pos_weight * t + 1 - t) * sigmoid(x) - pos_weight * t)
        if self.needs_input_grad(1):
            if pos_weight is None:  # -x, as PyTorch takes it (the softplus difference
                grads[1] = -x * grad  # loses a subnormal x, and the sign of a zero)
            else:
                grads[1] = grad * (pos_weight * softplus(-x) - softplus(x))
        if self.needs_input_grad(2):
            positive = 1 if pos_weight is None else 1 + (pos_weight - 1) * t
            grads[2] = upstream * ((1 - t) * x + positive * softplus(-x))
        if self.needs_input_grad(3):
            grads[3] = grad * t * softplus(-x)
        return tuple(grads)
