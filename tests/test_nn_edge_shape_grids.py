"""nn.functional, the nn modules and the losses on inputs of edge shapes and layouts, with
their gradients, in ember and in torch.

Each grid line is a line of code over ``x`` (and other inputs it names), run on every
variant of ``x``: its own shape, a batch of 0 (in float16 too), a batch of 1, unbatched
(the batch dim dropped), 0-d, a last dim of 1 and of 0 (and with a batch of 0),
transposed (in float64 too), sliced with a step, expanded (stride 0), in float16 and in
float64 (every float input and parameter), float64 beside float32 parameters (the
error), and not requiring grad: 273 lines, 4,397 cases. Both libraries must agree on
the result's dtype, shape and values (or the error's type), whether it requires grad,
its ``grad_fn``'s name (but where docs/differences.md says it differs: ``node=False``),
and the gradients of ``(out * weights).sum()`` (fixed weights) for every leaf: ``x``'s
base, the line's other inputs and the parameters of the modules it makes (given fixed
values by ``fixed``).

Targets follow ``x``'s shape: ``classes(x)`` (a class per sample and spatial place, a 0-d
one for an unbatched input), ``probs(x)`` (class probabilities), ``like(x)`` (numbers in
[0, 1]), ``signs(x)`` (1 and -1). No line may make torch warn (a warning given once a
process would hide itself the next time): each case checks that torch gave none. The
random drawing at the end runs lines on drawn shapes (EMBER_NN_SHAPE_DRAWS).

The grid found (twentieth day), each now PyTorch's: dropout of an empty input hands back
the input itself (it made a MulBackward0 node); cross_entropy with label_smoothing over
no classes gives PyTorch's NaN or empty loss (it raised ZeroDivisionError); and the
multi-class margin losses take an empty float16 input (PyTorch's kernel checks the dtype
only where it has rows; ember refused it).
"""

import math
import os
import random
import warnings
from typing import NamedTuple

import numpy as np
import pytest
import torch
from test_edge_shape_grids import builtin_type, same, summary, tensors_in, weights

import ember


class Line(NamedTuple):
    """``code`` over ``x`` of ``shape``; ``others`` names the other inputs (leaves that
    require grad) and their shapes, a tuple or a function of ``x``'s shape."""

    code: str
    shape: tuple = (3, 4)
    others: dict = {}  # noqa: RUF012 - never changed
    node: bool = True  # whether grad_fn's name is compared
    variants: tuple = ()  # the variants left out


VARIANTS = (
    "plain",
    "batch 0",
    "float16 batch 0",
    "batch 1",
    "unbatched",
    "0-d",
    "last dim 1",
    "last dim 0",
    "batch 0, last dim 0",
    "transposed",
    "float64 transposed",
    "stepped",
    "expanded",
    "float16",
    "float64",
    "float64 beside float32",
    "no grad",
)

EMPTY = ("batch 0", "float16 batch 0", "last dim 0", "batch 0, last dim 0")
EMPTY_BATCHES = ("batch 0", "float16 batch 0", "batch 0, last dim 0")
WITH_ELEMENTS = tuple(variant for variant in VARIANTS if variant not in EMPTY)
# What the random drawing puts on a line of a drawn shape.
DRAWN_VARIANTS = ("plain", "transposed", "stepped", "expanded", "float16", "float64", "no grad")


def numbers(library, dtype, shape, offset=0):
    """Seven values, repeating, away from the activations' kinks (0, +-0.5, +-1)."""
    count = math.prod(shape)
    steps = (library.arange(count) + offset) % 7 - 3
    return (steps * 0.5 + 0.25).reshape(shape).to(getattr(library, dtype))


def dtype_of(variant):
    """The dtype of ``x`` (and of the other inputs but in "float64 beside float32")."""
    first = variant.split()[0]
    return first if first in ("float16", "float64") else "float32"


def variant_of_x(library, shape, variant):
    """The base ``b`` (a leaf) and ``x``, the variant's view of it."""
    dtype = dtype_of(variant)
    if variant.endswith("batch 0"):
        shape = (0, *shape[1:])
    elif variant == "batch 1":
        shape = (1, *shape[1:])
    elif variant == "unbatched":
        shape = shape[1:]
    elif variant == "0-d":
        shape = ()
    elif variant.startswith("last dim"):
        shape = (*shape[:-1], int(variant[-1]))
    elif variant == "batch 0, last dim 0":
        shape = (0, *shape[1:-1], 0)
    grad = variant != "no grad"
    if variant.endswith("transposed"):
        base = numbers(library, dtype, (*shape[:-2], shape[-1], shape[-2])).requires_grad_()
        return base, base.transpose(-1, -2)
    if variant == "stepped":
        base = numbers(library, dtype, (*shape[:-1], 2 * shape[-1])).requires_grad_()
        return base, base[..., ::2]
    if variant == "expanded":
        base = numbers(library, dtype, (1, *shape[1:])).requires_grad_()
        return base, base.expand(shape)
    base = numbers(library, dtype, shape).requires_grad_(grad)
    return base, base


def helpers(library, dtype, modules):
    """The names the lines use beside ``x``: targets made from ``x`` and ``fixed``."""

    def class_count(x):
        return x.shape[1] if x.dim() > 1 else x.shape[0]

    def classes(x):
        shape = (x.shape[0], *x.shape[2:]) if x.dim() > 1 else ()
        count = max(class_count(x), 1)
        return (library.arange(math.prod(shape)) % count).reshape(shape)

    def probs(x):
        dim = 1 if x.dim() > 1 else 0
        return library.softmax(numbers(library, "float64", tuple(x.shape), 2), dim).to(x.dtype)

    def like(x):
        return (numbers(library, "float64", tuple(x.shape), 1) / 4 + 0.5).to(x.dtype)

    def signs(x):
        return (library.arange(x.numel()) % 2 * 2 - 1).reshape(x.shape).to(x.dtype)

    def class_weights(x):
        """Positive weights, one a class, that require no grad (PyTorch refuses a gradient
        for the class losses' weights; ember too)."""
        return numbers(library, "float64", (class_count(x),), 4).abs().to(x.dtype)

    def last_weights(x):
        """Positive weights of ``x``'s last dim that require no grad: ember gives the
        weights of the binary cross-entropies gradients, where PyTorch refuses them
        (docs/differences.md, "More permissive than PyTorch")."""
        return numbers(library, "float64", tuple(x.shape[-1:]), 5).abs().to(x.dtype)

    def batch_signs(x):
        return signs(x[..., 0]) if x.dim() > 1 else signs(x[0])

    def label_lists(x):
        """multilabel_margin_loss's targets: each row's labels, then -1."""
        count = class_count(x)
        labels = library.arange(x.numel()).reshape(x.shape) % max(count, 1)
        return library.where(labels < 2, labels, -1)

    def fixed(module):
        """The module with fixed parameter values, in the line's dtype."""
        module = module.to(getattr(library, dtype))
        with library.no_grad():
            for index, parameter in enumerate(module.parameters()):
                shape = tuple(parameter.shape)
                parameter.copy_(numbers(library, "float64", shape, index + 3) / 2)
        modules.append(module)
        return module

    def lazy(module, x):
        """A lazy module made by a first call on ``x``, then fixed."""
        module(x.detach())
        return fixed(module)

    names = dict(classes=classes, probs=probs, like=like, signs=signs)
    names.update(class_weights=class_weights, last_weights=last_weights)
    names.update(batch_signs=batch_signs, label_lists=label_lists, fixed=fixed, lazy=lazy)
    return names


def node_name(result):
    tensors = tensors_in(result)
    return tuple(tensor.grad_fn.name() if tensor.grad_fn else None for tensor in tensors)


CLASS_LOSSES = ("cross_entropy", "nll_loss", "CrossEntropyLoss", "NLLLoss")


def node_compared(line, variant):
    """Whether grad_fn's name is compared: docs/differences.md names the nodes of
    nll_loss and cross_entropy of other than 2-d inputs, and of cross_entropy of class
    probabilities under 'mean', otherwise than PyTorch (the gradients are the same)."""
    if not line.node:
        return False
    if any(name in line.code for name in CLASS_LOSSES):
        if len(line.shape) != 2 or variant == "unbatched":
            return False
        return not ("probs(x)" in line.code and "'mean'" in line.code)
    return True


def run(library, line, variant):
    """The result's summary and node names, and the leaves' gradients of its weighted sum."""
    base, x = variant_of_x(library, line.shape, variant)
    dtype = "float32" if variant == "float64 beside float32" else dtype_of(variant)
    modules = []
    names = {"t": library, "F": library.nn.functional, "nn": library.nn, "x": x}
    names.update(helpers(library, dtype, modules))
    leaves = [base]
    for offset, (name, shape) in enumerate(line.others.items()):
        shape = shape(tuple(x.shape)) if callable(shape) else shape
        names[name] = numbers(library, dtype, shape, offset + 1).requires_grad_()
        leaves.append(names[name])
    result = eval(line.code, names)  # noqa: S307 - the grid's own text
    leaves += [parameter for module in modules for parameter in module.parameters()]
    tensors = tensors_in(result)
    described = (summary(result, layout=None), tuple(tensor.requires_grad for tensor in tensors))
    if node_compared(line, variant):
        described += (node_name(result),)
    differentiable = [tensor for tensor in tensors if tensor.requires_grad]
    if differentiable:
        total = sum((tensor * weights(library, tensor)).sum() for tensor in differentiable)
        total.backward()
    gradients = tuple(None if leaf.grad is None else summary(leaf.grad, None) for leaf in leaves)
    return (*described, gradients)


def outcome(library, line, variant):
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            answer = run(library, line, variant)
    except Exception as error:  # noqa: BLE001 - the type is compared
        return builtin_type(type(error))
    if library is torch and caught:
        return f"torch warned: {caught[0].message}"
    return answer


def readable(value):
    if isinstance(value, tuple):
        return tuple(readable(part) for part in value)
    return value.tolist() if isinstance(value, np.ndarray) else value


def has_parameters(line):
    """Whether the line has inputs beside ``x`` that stay float32 in "float64 beside
    float32"."""
    return bool(line.others) or any(name in line.code for name in ("fixed(", "lazy(", "weights("))


def differences(line, variants):
    found = []
    for variant in variants:
        if variant in line.variants or ("transposed" in variant and len(line.shape) < 2):
            continue
        if variant == "float64 beside float32" and not has_parameters(line):
            continue  # the same case as "float64"
        ember_outcome, torch_outcome = outcome(ember, line, variant), outcome(torch, line, variant)
        if isinstance(torch_outcome, str) or not same(ember_outcome, torch_outcome):
            ember_read, torch_read = readable(ember_outcome), readable(torch_outcome)
            found.append(f"{variant}: ember {ember_read}, torch {torch_read}")
    return found


def _same_shape(shape):
    return shape


def _last_dim(shape):
    return shape[-1:]


def _class_dim(shape):
    return (shape[1],) if len(shape) > 1 else (shape[0],)


ACTIVATIONS = [
    "relu", "relu6", "elu", "selu", "celu", "gelu", "silu", "mish", "sigmoid", "tanh",
    "softplus", "softsign", "softshrink", "hardshrink", "tanhshrink", "hardtanh",
    "hardsigmoid", "hardswish", "leaky_relu", "logsigmoid",
]  # fmt: skip
ACTIVATION_MODULES = [
    "ReLU", "ReLU6", "ELU", "SELU", "CELU", "GELU", "SiLU", "Mish", "Sigmoid", "Tanh",
    "Softplus", "Softsign", "Softshrink", "Hardshrink", "Tanhshrink", "Hardtanh",
    "Hardsigmoid", "Hardswish", "LeakyReLU", "LogSigmoid", "Identity",
]  # fmt: skip
THREE_D = (2, 3, 4)

ELEMENTWISE_LINES = (
    [Line(f"F.{name}(x)") for name in ACTIVATIONS]
    + [Line(f"nn.{name}()(x)", THREE_D) for name in ACTIVATION_MODULES]
    + [
        Line("F.gelu(x, approximate='tanh')"),
        Line("F.threshold(x, 0.1, 20.)"),
        Line("nn.Threshold(0.1, 20.)(x)"),
        Line("F.leaky_relu(x, 0.2)"),
        Line("F.glu(x)"),
        Line("F.glu(x, 0)", (4, 3)),
        Line("nn.GLU(1)(x)", THREE_D),
        Line("F.prelu(x, w)", others={"w": (1,)}),
        Line("F.prelu(x, w)", THREE_D, {"w": (3,)}),
        Line("F.prelu(x, w)", others={"w": _class_dim}),
        Line("fixed(nn.PReLU())(x)", THREE_D),
        Line("fixed(nn.PReLU(3))(x)", THREE_D),
        Line("F.dropout(x, 0.0)"),
        Line("F.dropout(x, 1.0)"),
        Line("F.dropout(x, 0.5, training=False)"),
        # in training, only over no elements (the kept elements are drawn otherwise)
        Line("F.dropout(x, 0.5)", variants=WITH_ELEMENTS),
        Line("nn.Dropout(0.2)(x)", THREE_D, variants=WITH_ELEMENTS),
        Line("nn.Dropout(0.5).eval()(x)", THREE_D),
        Line("nn.Dropout(0.0)(x)", THREE_D),
        Line("nn.Dropout(1.0)(x)", THREE_D),
        Line("F.normalize(x)"),
        Line("F.hardtanh(x, -0.3, 0.2)"),
        Line("F.elu(x, 0.5)"),
        Line("F.celu(x, 2.)"),
        Line("F.softplus(x, 2., 1.)"),
        Line("F.softshrink(x, 0.3)"),
        Line("F.hardshrink(x, 0.3)"),
        # in place on a copy: ember names the node CopySlices (docs/differences.md)
        Line("F.relu_(x * 1)", node=False),
        Line("F.elu_(x * 1)", node=False),
        Line("F.leaky_relu(x * 1, 0.1, inplace=True)", node=False),
        Line("F.hardtanh_(x * 1)", node=False),
        Line("nn.ReLU(inplace=True)(x * 1)", node=False),
        Line("nn.SiLU(inplace=True)(x * 1)", node=False),
        Line("F.dropout(x * 1, 0.0, inplace=True)"),
        # PyTorch's pdist of no rows crashes the process (a segmentation fault); its node
        # is another (docs/differences.md, "nn, optim...")
        Line("F.pdist(x)", node=False, variants=EMPTY_BATCHES),
        Line("F.pdist(x, 1.)", node=False, variants=EMPTY_BATCHES),
        Line("F.normalize(x, dim=0)", THREE_D),
        Line("F.normalize(x, p=1, dim=-1)", THREE_D),
    ]
)
SOFTMAX_LINES = (
    [
        Line(f"{call}(x, {dim})", THREE_D)
        for call in ("F.softmax", "F.log_softmax", "F.softmin")
        for dim in (-3, -2, -1, 0, 1, 2, 3)
    ]
    + [
        Line(f"nn.{name}({dim})(x)", THREE_D)
        for name in ("Softmax", "LogSoftmax", "Softmin")
        for dim in (-1, 0, 1, 2)
    ]
    + [
        Line("F.softmax(x, 1, dtype=t.float64)", THREE_D),
        Line("F.log_softmax(x, 0, dtype=t.float64)"),
        Line("nn.Softmax2d()(x)", THREE_D),
        Line("nn.Softmax2d()(x)", (2, 3, 2, 2)),
        Line("F.softmax(x, 1)", (2, 3, 2, 2)),
    ]
)
LAYER_LINES = [
    Line("F.linear(x, w, b)", others={"w": (2, 4), "b": (2,)}),
    Line("F.linear(x, w)", THREE_D, {"w": (2, 4)}),
    # a 1-d weight and a bias: ember adds the bias to a 2-d input's product, where
    # PyTorch refuses (docs/differences.md, "More permissive than PyTorch")
    Line("F.linear(x, w, b)", THREE_D, {"w": (4,), "b": ()}, variants=("unbatched",)),
    Line("F.linear(x, w, b)", (4,), {"w": (4,), "b": ()}),
    # of more than 2 dims, a 1-d weight's product is one MatmulBackward0 node (PyTorch's
    # last is a reshape: docs/differences.md, "Found by the second random-programs pass")
    Line("F.linear(x, w)", others={"w": (4,)}, node=False),
    Line("F.linear(x, w)", THREE_D, {"w": (4,)}, node=False),
    # no nn.Linear(4, 0): PyTorch's init warns of initialising a tensor of no elements
    Line("F.linear(x, w, b)", others={"w": (0, 4), "b": (0,)}),
    Line("fixed(nn.Linear(4, 2))(x)"),
    Line("fixed(nn.Linear(4, 2, bias=False))(x)", THREE_D),
    Line("lazy(nn.LazyLinear(2), x)(x)", THREE_D),
    Line("nn.Flatten()(x)", THREE_D),
    Line("nn.Flatten(0)(x)", THREE_D),
    Line("nn.Flatten(-2, -1)(x)", THREE_D),
    Line("nn.Unflatten(-1, (2, 2))(x)"),
    Line("nn.Unflatten(1, (3, 1))(x)", THREE_D),
    Line("fixed(nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)))(x)", THREE_D),
    Line("fixed(nn.Sequential(nn.Flatten(), nn.Linear(12, 2)))(x)", THREE_D),
    Line("nn.Sequential()(x)"),
    Line("fixed(nn.Sequential(nn.Dropout(0.3), nn.Linear(4, 2), nn.Softmax(-1)).eval())(x)"),
    Line("nn.Unflatten(0, (-1, 1))(x)"),
    Line("fixed(nn.Sequential(nn.Linear(4, 2), nn.Flatten(0)))(x)"),
    Line("[m(x) for m in fixed(nn.ModuleList([nn.Linear(4, 2), nn.Tanh()]))]"),
    Line("fixed(nn.ModuleDict({'a': nn.Linear(4, 2), 'b': nn.GELU()}))['a'](x)"),
    Line("F.cosine_similarity(x, y)", others={"y": _same_shape}),
    Line("F.cosine_similarity(x, y, -1)", THREE_D, {"y": _same_shape}),
    Line("F.cosine_similarity(x, y, 0)", others={"y": _last_dim}),
    Line("nn.CosineSimilarity(0)(x, y)", THREE_D, {"y": _same_shape}),
    # pairwise_distance's node is another (docs/differences.md, "nn, optim...")
    Line("F.pairwise_distance(x, y)", others={"y": _same_shape}, node=False),
    Line("F.pairwise_distance(x, y, 1., keepdim=True)", others={"y": _last_dim}, node=False),
    Line("nn.PairwiseDistance(float('inf'))(x, y)", others={"y": _same_shape}, node=False),
]

REDUCTIONS = ("mean", "sum", "none")
# Losses, each under every reduction ({r}).
LOSS_CODES = [
    ("F.mse_loss(x, y, reduction='{r}')", {"y": _same_shape}),
    ("F.l1_loss(x, like(x), reduction='{r}')", {}),
    ("F.smooth_l1_loss(x, y, reduction='{r}', beta=0.5)", {"y": _same_shape}),
    ("F.huber_loss(x, like(x), reduction='{r}', delta=0.5)", {}),
    ("F.binary_cross_entropy(t.sigmoid(x), like(x), reduction='{r}')", {}),
    ("F.binary_cross_entropy(t.sigmoid(x), like(x), last_weights(x), reduction='{r}')", {}),
    ("F.binary_cross_entropy_with_logits(x, like(x), reduction='{r}')", {}),
    (
        "F.binary_cross_entropy_with_logits(x, like(x), reduction='{r}', "
        "pos_weight=last_weights(x))",
        {},
    ),
    ("F.cross_entropy(x, classes(x), reduction='{r}')", {}),
    ("F.cross_entropy(x, classes(x), class_weights(x), reduction='{r}')", {}),
    ("F.cross_entropy(x, classes(x), w, reduction='{r}')", {"w": _class_dim}),  # refused
    ("F.cross_entropy(x, classes(x), reduction='{r}', ignore_index=1)", {}),
    ("F.cross_entropy(x, classes(x), reduction='{r}', label_smoothing=0.2)", {}),
    ("F.cross_entropy(x, probs(x), reduction='{r}')", {}),
    ("F.cross_entropy(x, probs(x), class_weights(x), reduction='{r}', label_smoothing=0.1)", {}),
    ("F.nll_loss(x, classes(x), reduction='{r}')", {}),
    ("F.nll_loss(x, classes(x), class_weights(x), reduction='{r}', ignore_index=0)", {}),
    ("F.multi_margin_loss(x, classes(x), weight=class_weights(x), reduction='{r}')", {}),
    ("F.multilabel_soft_margin_loss(x, like(x).round(), w, reduction='{r}')", {"w": _last_dim}),
    ("F.kl_div(x, probs(x), reduction='{r}')", {}),
    ("F.kl_div(x, y, reduction='{r}', log_target=True)", {"y": _same_shape}),
    ("F.poisson_nll_loss(x, like(x), reduction='{r}')", {}),
    ("F.poisson_nll_loss(x.exp(), like(x), False, True, reduction='{r}')", {}),
    (
        "F.gaussian_nll_loss(x, y, v.abs() + 0.5, reduction='{r}')",
        {"y": _same_shape, "v": _same_shape},
    ),
    ("F.margin_ranking_loss(x, y, signs(x), reduction='{r}')", {"y": _same_shape}),
    ("F.hinge_embedding_loss(x, signs(x), reduction='{r}')", {}),
    ("F.soft_margin_loss(x, signs(x), reduction='{r}')", {}),
    ("F.multilabel_soft_margin_loss(x, like(x).round(), reduction='{r}')", {}),
    ("F.cosine_embedding_loss(x, y, batch_signs(x), reduction='{r}')", {"y": _same_shape}),
    ("F.multi_margin_loss(x, classes(x), reduction='{r}')", {}),
    ("F.multilabel_margin_loss(x, label_lists(x), reduction='{r}')", {}),
    ("F.triplet_margin_loss(x, y, z, reduction='{r}')", {"y": _same_shape, "z": _same_shape}),
    ("nn.MSELoss(reduction='{r}')(x, y)", {"y": _same_shape}),
    (
        "nn.CrossEntropyLoss(class_weights(x), reduction='{r}', label_smoothing=0.1)"
        "(x, classes(x))",
        {},
    ),
    ("nn.NLLLoss(reduction='{r}', ignore_index=2)(x, classes(x))", {}),
    ("nn.BCEWithLogitsLoss(reduction='{r}', pos_weight=last_weights(x))(x, like(x))", {}),
    ("nn.BCELoss(reduction='{r}')(t.sigmoid(x), like(x))", {}),
    ("nn.L1Loss(reduction='{r}')(x, like(x))", {}),
    ("nn.HuberLoss(reduction='{r}')(x, like(x))", {}),
    ("nn.SmoothL1Loss(reduction='{r}')(x, like(x))", {}),
    ("nn.KLDivLoss(reduction='{r}')(x, probs(x))", {}),
    ("nn.PoissonNLLLoss(reduction='{r}')(x, like(x))", {}),
    ("nn.GaussianNLLLoss(reduction='{r}')(x, like(x), like(x))", {}),
]
# The class losses over spatial dims too (N, C, d1, ...).
SPATIAL_CODES = [
    "F.cross_entropy(x, classes(x), reduction='{r}')",
    "F.cross_entropy(x, probs(x), reduction='{r}')",
    "F.cross_entropy(x, classes(x), class_weights(x), reduction='{r}', ignore_index=0)",
    "F.nll_loss(x, classes(x), class_weights(x), reduction='{r}')",
    "F.cross_entropy(x, probs(x), class_weights(x), reduction='{r}', label_smoothing=0.3)",
]


def loss_line(code, others, reduction):
    """The line of the loss under the reduction; the multi-class margin losses' mean and
    sum over an empty batch are left out (docs/differences.md: PyTorch reads memory it
    never wrote)."""
    margins = "multi_margin" in code or "multilabel_margin" in code
    left_out = EMPTY_BATCHES if margins and reduction != "none" else ()
    if "nll_loss" in code and "ignore_index" in code:
        # with no classes, ember refuses an ignored target as out of range (differences.md)
        left_out += ("last dim 0",)
    return Line(code.format(r=reduction), others=others, variants=left_out)


def spatial_left_out(code, shape):
    """PyTorch's backward of a weighted nll_loss over (N, C, d1, d2) fails on a transposed
    input ("grad_input must be contiguous"): its own bug, left out."""
    weighted_nll = code.startswith("F.nll_loss") and len(shape) == 4
    return ("transposed", "float64 transposed") if weighted_nll else ()


def reductions_of(code):
    """The reductions a loss is run under: a module's 'sum' (its functional form has all
    three), and kl_div's but 'mean' (PyTorch warns that it is not the KL divergence's)."""
    if code.startswith("nn."):
        return ("sum",)
    return ("sum", "none") if "kl_div" in code else REDUCTIONS


LOSS_LINES = (
    [
        loss_line(code, others, reduction)
        for code, others in LOSS_CODES
        for reduction in REDUCTIONS
        if reduction in reductions_of(code)
    ]
    + [Line("F.kl_div(x, probs(x), reduction='batchmean')")]
    + [
        Line(code.format(r=r), shape, variants=spatial_left_out(code, shape))
        for code in SPATIAL_CODES
        for shape in (THREE_D, (2, 3, 2, 2))
        for r in ("mean", "none")
    ]
)
LINES = ELEMENTWISE_LINES + SOFTMAX_LINES + LAYER_LINES + LOSS_LINES


@pytest.mark.parametrize(
    "line", LINES, ids=[f"{index} {line.code}" for index, line in enumerate(LINES)]
)
def test_nn_on_edge_shapes_and_layouts_acts_as_in_torch(line):
    assert differences(line, VARIANTS) == []


def drawn_shape(shape, rng):
    """A shape of about the line's number of dims, each size drawn from 0 to 4; the last
    (the features of a layer, the classes of a loss) kept more often than not."""
    ndim = max(1, len(shape) + rng.choice((-1, 0, 0, 1)))
    sizes = [rng.choice((0, 1, 1, 2, 3, 4)) for _ in range(ndim)]
    if shape and rng.random() < 0.6:
        sizes[-1] = shape[-1]
    return tuple(sizes)


def left_out_of_drawing(line):
    """The lines with cases left out of the grid (each says why), a 1-d weight with a bias
    (documented above), and a class loss of no classes over spatial dims (PyTorch's
    reshape of them fails with "size mismatch", its own inconsistency) or with an
    ignore_index (ember refuses the ignored target as out of range: docs/differences.md)."""
    if line.variants or spatial_left_out(line.code, line.shape):
        return True
    if line.others.get("w") == (4,) and "b" in line.others:
        return True
    class_loss = any(name in line.code for name in CLASS_LOSSES)
    no_classes = len(line.shape) > 1 and line.shape[1] == 0
    return class_loss and no_classes and (len(line.shape) > 2 or "ignore_index" in line.code)


def test_random_lines_of_drawn_shapes_act_as_in_torch():
    """Lines on shapes drawn at random, each with a drawn layout or dtype;
    EMBER_NN_SHAPE_DRAWS sets how many (the seed is printed)."""
    count = int(os.environ.get("EMBER_NN_SHAPE_DRAWS", "60"))
    seed = int(os.environ.get("EMBER_NN_SHAPE_SEED", random.randrange(2**32)))
    print(f"EMBER_NN_SHAPE_SEED={seed}")
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        line = rng.choice(LINES)
        line = line._replace(shape=drawn_shape(line.shape, rng))
        if left_out_of_drawing(line):
            continue
        variant = rng.choice(DRAWN_VARIANTS)
        found += [
            f"{line.code} on {line.shape}, {problem}" for problem in differences(line, [variant])
        ]
    assert found == []
