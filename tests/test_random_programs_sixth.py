"""Random programs of the twelfth day's ops and of the reductions (the sixth pass), run in
ember and in PyTorch.

The programs of ``test_random_programs.py`` (its leaves, steps, runs and comparison) with
other steps: scatter and scatter_ with ``reduce=`` ('add', 'multiply'), scatter_reduce and
scatter_reduce_ with each of 'sum', 'prod', 'mean', 'amax', 'amin' and ``include_self``
(indices with repeats, so ties in amax and amin, rounded values, zeros in prod, empty
indices, 0-d srcs), unique (flat and along a dim, sorted or not, with its inverse or
counts), select, sort and argsort (``stable``, ``descending``), exact and tanh GELU, leaky
ReLU, ELU and PReLU (in place too), NaN, inf and signed zeros put into values, and the
reductions sum, mean, var, std, logsumexp, softmax, log_softmax, cross_entropy (class
weights, label smoothing, ignored targets, probabilities as targets) and nll_loss, over
values made wide enough to take each of ``backend.reduction``'s paths: 128 or more rows of
2-16, rows of 17-1024 with 4,096 or more elements in all, and the rest (other dims,
several dims, transposed and sliced layouts). Besides what ``compare`` checks (values and
float32 sums within a tolerance, dtypes, shapes, requires_grad, grad_fn names, gradients,
the exception type at a step or at backward), every value must end with PyTorch's signs of
its zeros.

The drawing leaves out what docs/differences.md lists or this pass noted at the end: a
scatter src larger than its index; unique of values holding NaN (and its layout along a
dim other than 0, made contiguous); a sort that is not stable of equal values (PyTorch may
order them, and send their gradients, otherwise); ELU at NaN, and in place in float16
(PyTorch's gradient there comes from the rounded output); a PReLU weight that is NaN or
-0; var and std over no dims, of non-finite values or with a correction of the whole
count; logsumexp over no dims (an error in PyTorch); mean(dtype=) narrower than the value
and sum/mean with dim=None (node names); the unreduced loss of a 1-d input and a batch
whose every target is ignored (its NaN loss). The graph is not compared at in-place
activations (CopySlices, documented), at PReLU and likelihoods of other than 2-d inputs
(names and listings, noted) and at steps that read such a node; signs of zeros not after
relu, clamp, max, min or where (documented), or an amax/amin scatter (ties of -0 and +0
keep either). Gradients are first-order: second-order ones were compared by the direct
calls of this pass (their differences are noted at the end). The differences found and
fixed are pinned at the end of the file, beside a note of those found and left.

``EMBER_RANDOM_PROGRAMS=5000`` runs more programs than the suite's default.
"""

import dataclasses
import math
import os
import re
import warnings

import numpy as np
import pytest
import test_random_programs as programs
import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import builtin_base, random_settings

import ember

EXAMPLES = int(os.environ.get("EMBER_RANDOM_PROGRAMS", "120"))
Step = programs.Step
F = "t.nn.functional"


def one_of(draw, options):
    return draw(st.sampled_from(options))


def has_nan_or_inf(value):
    return value.is_floating_point() and not torch.isfinite(value).all()


def dtype_text(value):
    return f"t.{programs.dtype_name(value.dtype)}"


# ---------------------------------------------------------------- scatter and its kin


def draw_scatter_reduce(draw, values, i):
    """scatter_reduce of v[i] (or scatter_reduce_ of a copy) with an index of repeats and a
    src of the index's shape, now and then rounded (ties for amax and amin, zeros for prod),
    a 0-d one, or none at all (an empty index)."""
    x, value = f"v[{i}]", values[i]
    if not value.is_floating_point():
        return Step(f"{x}.float()")
    dim, index, index_shape = draw_index(draw, value)
    source = draw_source(draw, values, value, index_shape)
    reduce = one_of(draw, ["sum", "prod", "mean", "amax", "amin"])
    options = f"'{reduce}', include_self={draw(st.booleans())}"
    target = one_of(draw, [x, f"{x}.round()", f"{x}.abs()"])
    if draw(st.booleans()):
        return Step(f"t.scatter_reduce({target}, {dim}, {index}, {source}, {options})", exact=False)
    return Step(f"({target} * 1).scatter_reduce_({dim}, {index}, {source}, {options})", exact=False)


def draw_scatter_with_reduce(draw, values, i):
    """scatter(reduce='add' or 'multiply') of a src or a number, which has no gradient in
    either library (so of detached values), or scatter_add."""
    x, value = f"v[{i}]", values[i]
    dim, index, index_shape = draw_index(draw, value)
    source = draw_source(draw, values, value, index_shape)
    if not value.is_floating_point():
        source = f"{source}.to({dtype_text(value)})"
    number = one_of(draw, programs.NUMBERS) if value.is_floating_point() else 2
    form = one_of(draw, ["src", "number", "in place", "add"])
    reduce = one_of(draw, ["'add'", "'multiply'"])
    if form == "src":
        text = f"t.scatter({x}.detach(), {dim}, {index}, {source}.detach(), reduce={reduce})"
    elif form == "number":
        text = f"{x}.detach().scatter({dim}, {index}, {number}, reduce={reduce})"
    elif form == "in place":
        text = f"{x}.detach().clone().scatter_({dim}, {index}, {source}.detach(), reduce={reduce})"
    else:
        text = f"{x}.scatter_add({dim}, {index}, {source})"
    return Step(text, exact=False)


def draw_index(draw, value):
    """(dim, the index as text, its shape): positions with repeats, of the value's dims and
    no larger than it apart from ``dim``; now and then empty (then of any dtype)."""
    dim = programs.any_dim(draw, value)
    size = value.shape[dim] if value.dim() else 1
    shape = [draw(st.integers(1, side)) if side else 0 for side in value.shape] or [1]
    shape[dim % len(shape)] = draw(st.integers(1, 4))
    if not size or not usually(draw, 9):
        shape[draw(st.integers(0, len(shape) - 1))] = 0
        dtype = one_of(draw, ["t.int64", "t.float32"])  # PyTorch checks no type of an empty one
        return dim, f"t.zeros({programs.sizes_text(shape)}, dtype={dtype})", tuple(shape)
    rng = np.random.default_rng(draw(st.integers(0, 1000)))
    positions = rng.integers(0, size, shape).tolist()
    return dim, f"t.tensor({positions})", tuple(shape)


def draw_source(draw, values, value, index_shape):
    """A src of the index's shape, of the value's dtype: a value cut to it, or a value's
    sum spread over it; rounded now and then; 0-d where a 0-d src is taken."""
    j = draw(st.integers(0, len(values) - 1))
    other, cast = values[j], f".to({dtype_text(value)})"
    if index_shape in ((1,), (0,)) and value.dim() <= 1 and draw(st.booleans()):
        return f"v[{j}].sum(){cast}"  # 0-d: one element
    if other.dim() == len(index_shape) and all(a >= b for a, b in zip(other.shape, index_shape)):
        text = f"v[{j}][{', '.join(f':{size}' for size in index_shape)}]{cast}"
    else:
        text = f"v[{j}].sum().expand({programs.sizes_text(index_shape)}).clone(){cast}"
    return text + (".round()" if draw(st.booleans()) else "")


def usually(draw, odds):
    """True but one time in odds + 1 (a list, since Hypothesis leans to its first choice)."""
    return draw(st.sampled_from([True] * odds + [False]))


# ---------------------------------------------------------------- ordering


def draw_ordering(draw, values, i):
    """unique, select, sort or argsort of v[i]."""
    x, value = f"v[{i}]", values[i]
    if value.dim() == 0:
        return Step(f"{x}.select(0, 0)")  # an IndexError in both
    dim = programs.any_dim(draw, value)
    kind = one_of(draw, ["unique", "select", "select", "sort", "sort", "argsort"])
    if kind == "unique":
        return draw_unique(draw, value, x, dim)
    if kind == "select":
        size = value.shape[dim]
        position = draw(st.integers(-size, size - 1)) if size else 0
        return Step(
            one_of(draw, [f"{x}.select({dim}, {position})", f"t.select({x}, {dim}, {position})"])
        )
    descending = draw(st.booleans())
    if kind == "argsort":
        return Step(f"t.argsort({x}, dim={dim}, descending={descending}, stable=True)")
    if draw(st.booleans()) or torch.unique(value).numel() < value.numel():
        part = draw(st.integers(0, 1))
        return Step(f"t.sort({x}, dim={dim}, descending={descending}, stable=True)[{part}]")
    # not stable, of distinct values: PyTorch may order equal ones otherwise, and send their
    # gradients to others of them (documented)
    return Step(f"{x}.sort({dim}, descending={descending})[0]")


def draw_unique(draw, value, x, dim):
    """unique of v[i] without grad, one of its results; along a dim it is made contiguous
    (PyTorch's layout differs, documented), and only of values without NaN (noted)."""
    if value.is_floating_point() and torch.isnan(value).any():
        return Step(f"{x}.detach()")
    sorted_, part = draw(st.booleans()), draw(st.integers(0, 2))
    along = f", dim={dim}" if draw(st.booleans()) else ""
    options = f"sorted={sorted_}, return_inverse=True, return_counts=True{along}"
    return Step(f"t.unique({x}.detach(), {options})[{part}].contiguous()")


# ---------------------------------------------------------------- activations


def draw_activation(draw, values, i):
    """GELU (exact or tanh), leaky ReLU, ELU or PReLU, now and then in place on a copy."""
    x, value = f"v[{i}]", values[i]
    if not value.is_floating_point():
        return Step(f"{F}.gelu({x}.double())", exact=False)
    kind = one_of(draw, ["gelu", "gelu", "leaky_relu", "elu", "prelu"])
    if kind == "gelu":
        approximate = one_of(draw, ["", ", approximate='tanh'", ", approximate='none'"])
        return Step(f"{F}.gelu({x}{approximate})", exact=False)  # float32 erf is not torch's
    if kind == "leaky_relu":
        slope = one_of(draw, ["", ", 0.2", ", negative_slope=0.0", ", 1.5"])
        if draw(st.booleans()):
            return in_place(f"{F}.leaky_relu({x} * 1{slope or ', 0.01'}, inplace=True)")
        return Step(f"{F}.leaky_relu({x}{slope})", exact=False)
    if kind == "elu":
        if torch.isnan(value).any():  # its gradient at NaN is NaN in ember (documented)
            return Step(f"{F}.elu({x}.nan_to_num(0.5))", exact=False)
        alpha = one_of(draw, ["", ", 0.5", ", alpha=2.0"])
        if value.dtype != torch.float16 and draw(st.booleans()):
            return in_place(f"{F}.elu({x} * 1{alpha or ', 1.0'}, inplace=True)")
        return Step(f"{F}.elu({x}{alpha})", exact=False)
    return draw_prelu(draw, values, i)


def in_place(text):
    """An in-place activation: ember records it as CopySlices (documented)."""
    return Step(text, exact=False, graph_checked=False)


def draw_prelu(draw, values, i):
    """PReLU with one weight, or one per channel (dim 1), cut from a finite value."""
    x, value = f"v[{i}]", values[i]
    j = draw(st.integers(0, len(values) - 1))
    other = values[j]
    if not other.numel() or has_nan_or_inf(other) or not other.is_floating_point():
        return Step(f"{F}.prelu({x}, t.tensor([0.25], dtype={x}.dtype))", exact=False)
    channels = value.shape[1] if value.dim() >= 2 and draw(st.booleans()) else 1
    # never -0 (whose sign ember's factor loses): a weight is nudged off zero
    weight = f"(v[{j}].reshape(-1)[:1] + 0.125).repeat({channels}).to({x}.dtype)"
    # torch views a weight of other dims than x's to broadcast, and its node lists that view
    # (ember's lists the weight itself: noted at the end)
    return Step(f"{F}.prelu({x}, {weight})", exact=False, graph_checked=False)


def draw_special(draw, values, i):
    """v[i] with NaN, inf or signed zeros put in now and then (the sign of the value it
    replaces, for zeros)."""
    x, value = f"v[{i}]", values[i]
    if not value.is_floating_point():
        return Step(f"{x} * 1.5")
    form = one_of(
        draw,
        [
            f"{x} * ({x} < 1.0)",  # -0. where a negative value is cut
            f"{x}.masked_fill({x} > 1.2, float('nan'))",
            f"{x}.masked_fill({x} < -1.5, float('-inf'))",
            f"{x}.masked_fill({x}.abs() < 0.7, -0.0)",
        ],
    )
    return Step(form)


# ---------------------------------------------------------------- reductions


WIDE_SHAPES = {
    "many short rows": [(128, 2), (130, 10), (2, 70, 16), (300, 5), (129, 3)],
    "long rows": [(241, 17), (64, 64), (17, 256), (5, 1000), (4, 1024), (2, 33, 100)],
    "other": [(127, 5), (3, 1025), (5, 7, 3), (40, 30), (128, 1), (1, 4096)],
}


def draw_wide(draw, values, i):
    """A value of v[i]'s float dtype (float64 for others), large enough for one of
    backend.reduction's paths, whose every element depends on v[i]: a spread of values in
    [-2, 2) plus v[i]'s sum / 1024 (so that its gradient, summed over thousands of elements,
    stays within float16); now and then transposed or sliced (not C-contiguous)."""
    x, value = f"v[{i}]", values[i]
    dtype = dtype_text(value) if value.is_floating_point() else "t.float64"
    path = one_of(draw, list(WIDE_SHAPES))
    shape = one_of(draw, WIDE_SHAPES[path])
    count = math.prod(shape)
    layout = one_of(draw, ["", "", "", ".mT", "[..., ::2]"])
    if layout == ".mT":
        shape = (*shape[:-2], shape[-1], shape[-2])
    # frac of multiples of 0.618, each step correctly rounded, so that the two libraries make
    # the same bits (float64 sin, say, may differ in the last one, and unique would count
    # otherwise); through float32, as torch casts float64 to float16 (documented)
    spread = f"((t.arange({count}, dtype=t.float64) * 0.618).frac() * 4 - 2).float().to({dtype})"
    made = f"({spread} + {x}.sum().to({dtype}) / 1024).reshape{shape}{layout}"
    return Step(made, exact=False)


def draw_reduction(draw, values, i):
    """One of the reductions, of the widest value lately made (mostly) or of v[i]."""
    wide = [k for k, value in enumerate(values) if value.numel() >= 256]
    if wide and usually(draw, 2):
        i = draw(st.sampled_from(wide[-2:]))
    x, value = f"v[{i}]", values[i]
    if not value.is_floating_point():
        return Step(f"{x}.sum()")
    kind = one_of(draw, ["sum", "sum", "mean", "variance", "logsumexp", "softmax"])
    kind = one_of(draw, [kind, "cross_entropy", "nll_loss"]) if value.dim() >= 1 else kind
    if kind == "cross_entropy" or kind == "nll_loss":
        return draw_likelihood(draw, value, x, kind)
    dims, keepdim = draw_dims(draw, value), draw(st.booleans())
    dim = dims[0]
    if kind in ("sum", "mean"):
        if dim == "None":  # torch names the node SumBackward1 for dim=None, ember SumBackward0
            dim = "()"
        # never narrower than the value: the program's tolerance is its leaves'
        dtypes = ["", "", ", dtype=t.float64"]
        dtypes += [", dtype=t.float32"] if value.dtype != torch.float64 else []
        dtype = one_of(draw, dtypes)
        if kind == "sum" and value.dtype == torch.float16 and draw(st.booleans()):
            dtype = ", dtype=t.float16"
        return Step(f"t.{kind}({x}, {dim}, keepdim={keepdim}{dtype})", exact=False)
    if kind == "variance":
        return draw_variance(draw, value, x, dims, keepdim)
    if kind == "logsumexp":
        if dim in ("()", "None"):
            dim = "-1" if value.dim() else "0"
        return Step(f"t.logsumexp({x}, {dim}, keepdim={keepdim})", exact=False)
    return draw_softmax(draw, value, x)


def draw_dims(draw, value):
    """(the dims as text, as a value): mostly the last dim (the paths'), else another,
    several or all."""
    if value.dim() == 0:
        return one_of(draw, [("0", 0), ("-1", -1), ("None", None), ("()", ())])
    if usually(draw, 1):
        return one_of(draw, [("-1", -1), ("(-1,)", (-1,))])
    dims = draw(st.lists(st.integers(0, value.dim() - 1), min_size=1, max_size=3, unique=True))
    choices = [(str(dims[0] - value.dim()), dims[0] - value.dim()), (str(tuple(dims)), tuple(dims))]
    return one_of(draw, [*choices, ("None", None)])


def draw_variance(draw, value, x, dims, keepdim):
    """var or std with a correction; not over no dims, of non-finite values, or with the
    correction reaching the count (the gradients there differ, documented)."""
    text, axes = dims
    if axes is None:
        axes = tuple(range(value.dim()))
    axes = (axes,) if isinstance(axes, int) else axes
    count = math.prod(value.shape[axis] for axis in axes) if value.dim() else 1
    correction = one_of(draw, [0, 1, 1, 2])
    if axes == () or has_nan_or_inf(value) or count <= correction:
        return Step(f"{x}.mean()", exact=False)
    name = one_of(draw, ["var", "std"])
    return Step(f"t.{name}({x}, {text}, keepdim={keepdim}, correction={correction})", exact=False)


def draw_softmax(draw, value, x):
    dim = programs.any_dim(draw, value)
    name = one_of(draw, ["softmax", "log_softmax"])
    dtype = one_of(draw, ["", "", ", dtype=t.float64"])
    form = one_of(draw, [f"t.{name}({x}, {dim}{dtype})", f"{F}.{name}({x}, dim={dim}{dtype})"])
    return Step(form, exact=False)


def draw_likelihood(draw, value, x, kind):
    """cross_entropy of logits (class dim 1, or 0 for 1-d) against class indices (some
    ignored) or probabilities, with class weights, label smoothing and a reduction; or
    nll_loss of their log_softmax."""
    class_dim = 1 if value.dim() >= 2 else 0
    classes = value.shape[class_dim]
    target_shape = value.shape[:1] + value.shape[2:] if value.dim() >= 2 else ()
    rng = np.random.default_rng(draw(st.integers(0, 1000)))
    targets = rng.integers(0, max(classes, 1), target_shape)
    ignore = one_of(draw, [-100, 0, 1])
    if (targets == ignore).all():
        # all ignored: a NaN loss, whose NaN in a later gradient makes nll_loss's gradient NaN
        # at every class in ember, at the targets alone in PyTorch (noted at the end)
        ignore = -100
    # of one sample (1-d), torch's unreduced loss of a log-probability of 0 is +0, ember's -0
    reductions = ["mean", "sum", "none"] if value.dim() >= 2 else ["mean", "sum"]
    options = [f"reduction='{one_of(draw, reductions)}'", f"ignore_index={ignore}"]
    if draw(st.booleans()) and classes:
        options.append(f"weight=t.linspace(0.5, 1.5, {classes}, dtype={x}.dtype)")
    target = f"t.tensor({targets.tolist()})"
    smoothing = kind == "cross_entropy" and draw(st.booleans())
    if smoothing:
        options.append(f"label_smoothing={one_of(draw, [0.1, 0.5, 1.0])}")
    probabilities = kind == "cross_entropy" and draw(st.booleans())
    if probabilities:  # ignore_index is refused with them
        options[1] = "ignore_index=-100"
        target = f"({x}.detach() * -0.5).softmax({class_dim})"
    text = ", ".join(options)
    # torch's node of a 1-d input lists it as it is, ember's its unsqueeze; of more than 2
    # dims torch's is NllLoss2DBackward0, with views around it (noted at the end)
    checked = value.dim() == 2
    if kind == "nll_loss":
        loss = f"{F}.nll_loss({F}.log_softmax({x}, {class_dim}), {target}, {text})"
        return Step(loss, exact=False, graph_checked=checked)
    # label smoothing and a mean over probabilities are compositions whose last nodes torch
    # names MulBackward1 and DivBackward1, ember MulBackward0 and DivBackward0 (documented)
    checked = checked and not smoothing and not (probabilities and "'mean'" in text)
    return Step(f"{F}.cross_entropy({x}, {target}, {text})", exact=False, graph_checked=checked)


DRAWERS = [draw_scatter_reduce] * 3 + [draw_scatter_with_reduce, draw_ordering, draw_ordering]
DRAWERS += [draw_activation] * 2 + [draw_special] * 2 + [draw_wide] * 2 + [draw_reduction] * 4
DRAWERS += [programs.draw_unary, programs.draw_arithmetic, programs.draw_movement]


# ---------------------------------------------------------------- drawing and comparing


@st.composite
def sixth_programs(draw):
    """A program as ``programs.programs`` draws one, from these drawers, each step run in
    torch as it is drawn; a step that raises ends it (the run compares the errors)."""
    leaves = draw(programs.leaves())
    values = [leaf.make(torch) for leaf in leaves]
    exact_now = [leaf.dtype == "float16" for leaf in leaves]
    exact_when_made = list(exact_now)
    steps, renamed = [], set()  # renamed: values whose node ember names otherwise
    for _ in range(draw(st.integers(2, 8))):
        drawer = draw(st.sampled_from(DRAWERS))
        i = draw(st.integers(0, len(values) - 1))
        step = drawer(draw, values, i)
        if not step.graph_checked:
            renamed.add(len(values))
        if renamed.intersection(step.references()):  # its node lists a renamed one
            step = dataclasses.replace(step, graph_checked=False)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                programs.run_step(step, values)
        except Exception:  # noqa: BLE001 - the run compares the errors
            steps.append(step)
            break
        steps.append(step)
        exact_when_made.append(programs.follow_exactness(step, values, exact_now))
    last = len(leaves) + len(steps) - 1
    others = draw(st.lists(st.integers(0, last), max_size=2, unique=True))
    exact = tuple(exact_when_made), tuple(exact_now)
    terms = tuple(sorted({last, *others}))
    return programs.Program(leaves, tuple(steps), terms, draw(st.booleans()), *exact)


# relu, clamp, maximum and kin keep -0. in torch, not always in ember (documented); an
# amax/amin scatter of -0. and +0. keeps either (noted at the end)
UNSIGNED_ZEROS = re.compile(r"\b(relu|clamp|clamp_min|clamp_max|max|min|maximum|minimum|where)\(")
UNSIGNED_ZEROS_IN_SCATTER = ("'amax'", "'amin'")


def compare_sixth(program):
    programs.compare(program)
    text = program.source()
    if UNSIGNED_ZEROS.search(text) or any(name in text for name in UNSIGNED_ZEROS_IN_SCATTER):
        return
    outcomes = [programs.run(library, program) for library in (ember, torch)]
    if outcomes[1].error is not None:
        return
    for k, (value, expected) in enumerate(zip(outcomes[0].values, outcomes[1].values)):
        value, expected = value.detach().numpy(), expected.detach().numpy()
        if value.dtype.kind != "f" or value.shape != expected.shape:
            continue
        zeros = (value == 0) & (expected == 0)  # one side's may be a tiny value (tolerance)
        signs, expected_signs = np.signbit(value[zeros]), np.signbit(expected[zeros])
        assert (signs == expected_signs).all(), f"v[{k}]: signs of zeros differ\n{text}"


@random_settings(EXAMPLES)
@given(program=sixth_programs())
def test_random_programs_of_scatter_ordering_activations_and_reductions(program):
    compare_sixth(program)


# ---------------------------------------------------------------- found by this pass


def outcome(scenario, library):
    """The scenario's result as plain values, or the builtin type of its error."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return plain(scenario(library))
    except Exception as error:  # noqa: BLE001 - the kind of error is compared
        return builtin_base(type(error)).__name__


def plain(value):
    """A tensor as its shape, dtype, values (NaN as None) and requires_grad."""
    if isinstance(value, (tuple, list)):
        return [plain(item) for item in value]
    if isinstance(value, (ember.Tensor, torch.Tensor)):
        items = value.detach().reshape(-1).tolist()
        rounded = [None if item != item else round(item, 6) for item in items]
        return tuple(value.shape), programs.dtype_name(value.dtype), rounded
    return value


def assert_same_in_both(scenario):
    assert outcome(scenario, ember) == outcome(scenario, torch)


# scatter_reduce with 'amax' or 'amin' of a 0-d input shares the gradient of a tie evenly, as
# in PyTorch: ember gave each member all of it (and 0 / 0, NaN, to an input that lost).
@pytest.mark.parametrize("reduce", ["amax", "amin"])
@pytest.mark.parametrize("src", [2.0, 1.5, -1.0])
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_of_a_0d_input_shares_a_tie_as_torch_does(reduce, src, include_self):
    def scenario(t):
        x = t.tensor(1.5, requires_grad=True)
        s = t.tensor([src], requires_grad=True)
        out = t.scatter_reduce(x, 0, t.tensor([0]), s, reduce, include_self=include_self)
        return [out, *t.autograd.grad(out * 3, [x, s])]

    assert_same_in_both(scenario)


# An empty index reads no position, so PyTorch checks neither its dtype (tensor([]) is
# float32) nor its shape against the input or the src: ember refused them.
EMPTY_INDICES = {
    "gather_of_a_float_index": lambda t, x, s: x.gather(1, t.tensor([])),
    "gather_of_more_dims": lambda t, x, s: x.gather(0, t.zeros(0, 0, 0, dtype=t.int64)),
    "gather_wider_than_the_input": lambda t, x, s: t.gather(x, 0, t.zeros(0, 9, dtype=t.int64)),
    "scatter_of_a_0d_src": lambda t, x, s: x.scatter(0, t.tensor([], dtype=t.int64), s.sum()),
    "scatter_of_a_value": lambda t, x, s: x.scatter(1, t.tensor([]), 2.0),
    "scatter_add_of_fewer_dims": lambda t, x, s: x.scatter_add(0, t.tensor([]).long(), s),
    "scatter_with_reduce": lambda t, x, s: x.detach().scatter(0, t.zeros(5, 0), s, reduce="add"),
    "scatter_in_place": lambda t, x, s: (x * 1).scatter_(1, t.zeros(0, 7, dtype=t.int32), s),
    "scatter_reduce": lambda t, x, s: x.scatter_reduce(0, t.tensor([]), s.sum(), "amax"),
    "scatter_reduce_mean": lambda t, x, s: x.scatter_reduce(
        1, t.zeros(0), s, "mean", include_self=False
    ),
    "index_select_still_checks": lambda t, x, s: x.index_select(0, t.tensor([])),
}


@pytest.mark.parametrize("name", EMPTY_INDICES)
def test_an_empty_index_is_taken_whatever_its_shape_and_dtype(name):
    def scenario(t):
        x = t.tensor([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]], requires_grad=True)
        s = t.tensor([[0.25, 2.0]], requires_grad=True)
        out = EMPTY_INDICES[name](t, x, s)
        grads = t.autograd.grad(out.sum(), [x], allow_unused=True) if out.requires_grad else ()
        return [out, *grads]

    assert_same_in_both(scenario)


# An ignored target's loss is 0 even where its log-probability is -inf or NaN (a padded
# position whose logits were all masked): ember multiplied it by a weight of 0, giving NaN.
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("loss", ["nll_loss", "cross_entropy"])
def test_an_ignored_target_counts_0_whatever_its_log_probability(reduction, loss):
    def scenario(t):
        inf = float("inf")
        x = t.tensor([[-inf, -inf, -inf], [1.0, 2.0, 0.5], [inf, 0.0, 1.0]], requires_grad=True)
        function = getattr(t.nn.functional, loss)
        scores = x.log_softmax(1) if loss == "nll_loss" else x
        out = function(scores, t.tensor([-100, 1, -100]), reduction=reduction)
        return [out, *t.autograd.grad(out.sum(), [x])]

    assert_same_in_both(scenario)


# PyTorch's class-index likelihood has no gradient for its class weights and refuses
# weights that require grad (not under no_grad); ember gave them none, silently.
WEIGHTED_LOSSES = {
    "nll_loss": lambda t, x, w: t.nn.functional.nll_loss(x, t.tensor([0, 2]), w),
    "cross_entropy": lambda t, x, w: t.nn.functional.cross_entropy(x, t.tensor([0, 2]), w),
    "one_sample": lambda t, x, w: t.nn.functional.cross_entropy(x[0], t.tensor(1), w),
    "smoothed": lambda t, x, w: t.nn.functional.cross_entropy(
        x, t.tensor([1, 1]), w, label_smoothing=0.2
    ),
    "probabilities": lambda t, x, w: t.nn.functional.cross_entropy(x, x.detach().softmax(1), w),
}


@pytest.mark.parametrize("name", WEIGHTED_LOSSES)
@pytest.mark.parametrize("grad_mode", ["enabled", "no_grad"])
def test_class_weights_that_require_grad_are_refused_as_in_torch(name, grad_mode):
    def scenario(t):
        x = t.tensor([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]], requires_grad=True)
        w = t.tensor([0.5, 1.0, 2.0], requires_grad=True)
        if grad_mode == "no_grad":
            with t.no_grad():
                return WEIGHTED_LOSSES[name](t, x, w)
        out = WEIGHTED_LOSSES[name](t, x, w)
        return [out, *t.autograd.grad(out, [x])]

    assert_same_in_both(scenario)


# scatter_add, scatter_reduce and scatter(reduce=) of float16 combine the values sent to one
# place in float32 and round once, as PyTorch does (a mean divides the rounded sum): ember
# rounded after each, so 3,000 ones added to 1 stopped at 2,048.
FLOAT16_SCATTERS = {
    "scatter_add": lambda t, x, i, s: x.scatter_add(0, i, s),
    "sum": lambda t, x, i, s: t.scatter_reduce(x, 0, i, s, "sum"),
    "mean": lambda t, x, i, s: t.scatter_reduce(x, 0, i, s, "mean", include_self=False),
    "prod": lambda t, x, i, s: x.scatter_reduce(0, i, s / 2 + 0.75, "prod"),
    "reduce_add": lambda t, x, i, s: x.scatter(0, i, s, reduce="add"),
    "reduce_multiply": lambda t, x, i, s: t.scatter(x, 0, i, s / 2 + 0.75, reduce="multiply"),
    "amax": lambda t, x, i, s: x.scatter_reduce(0, i, s, "amax"),
}


@pytest.mark.parametrize("name", FLOAT16_SCATTERS)
@pytest.mark.parametrize("repeats", [40, 3000])
def test_float16_scatters_combine_in_float32_as_torch_does(name, repeats):
    rng = np.random.default_rng(repeats)
    values = rng.uniform(0.5, 1.5, repeats) * rng.choice([-1, 1], repeats)
    positions = rng.integers(0, 3, repeats)

    def scenario(t):
        x = t.tensor([1.0, -2.0, 0.5], dtype=t.float16)
        source = t.tensor(values, dtype=t.float16)
        out = FLOAT16_SCATTERS[name](t, x, t.tensor(positions), source)
        return out.numpy().view("uint16").tolist()  # the bits

    assert_same_in_both(scenario)


# Which error comes first when a class-index target is wrong in two ways, as in PyTorch:
# the batch sizes (ValueError), then the target's dims, then its dtype (RuntimeError); and
# softmax's dim before its dtype (IndexError before NotImplementedError).
TWO_WRONGS = {
    "float_target_of_a_1d_input": lambda t: t.nn.functional.cross_entropy(t.ones(3), t.rand(5)),
    "2d_target_of_another_batch": lambda t: t.nn.functional.nll_loss(t.ones(2, 3), t.zeros(1, 2)),
    "0d_target_of_a_batch": lambda t: t.nn.functional.cross_entropy(t.ones(2, 3), t.tensor(0)),
    "float_target_of_other_dims": lambda t: t.nn.functional.nll_loss(t.ones(2, 3, 4), t.zeros(2)),
    "2d_float_target": lambda t: t.nn.functional.nll_loss(t.ones(2, 3), t.zeros(2, 2)),
    "softmax_of_ints_past_the_dims": lambda t: t.softmax(t.tensor([[1, 2]]), 2),
    "log_softmax_of_ints_past_the_dims": lambda t: t.nn.functional.log_softmax(t.tensor([1]), 1),
}


@pytest.mark.parametrize("name", TWO_WRONGS)
def test_the_first_of_two_wrongs_is_reported_as_in_torch(name):
    assert_same_in_both(TWO_WRONGS[name])


# cross_entropy of probabilities, reduced by 'sum' or 'mean', negates the sum of all the
# products as PyTorch does: one NegBackward0 node for 'sum' (ember's was SumBackward0), and a
# zero loss is -0 (ember summed the per-sample losses, each -0, into +0).
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_cross_entropy_of_probabilities_negates_the_whole_sum(reduction):
    def scenario(t):
        x = t.tensor([[0.5], [-2.0]], requires_grad=True)  # one class: each log-probability 0
        out = t.nn.functional.cross_entropy(x, t.ones(2, 1), reduction=reduction)
        signs = 1 / out.detach()  # -inf for -0
        if reduction == "sum":
            return [out, signs, out.grad_fn.name()]
        return [out, signs]

    assert_same_in_both(scenario)


# Found by this pass and left (the drawing steps around them), with the file that holds each:
# - mean(x, dim, dtype=float16) of a float32 or float64 x: PyTorch takes the mean in x's own
#   dtype and rounds it once to float16, ember casts x first (reductions.py);
# - sum(x, None) and mean(x, None): PyTorch names the node SumBackward1 / MeanBackward1 when
#   dim=None is given, ember SumBackward0 / MeanBackward0 (reductions.py);
# - logsumexp(x, ()) is an error in PyTorch 2.13 (an output shape it cannot write), ember
#   reduces all dims (reductions.py);
# - unique's inverse of NaNs when not sorted, and which of -0. and +0. unique keeps
#   (sorting.py);
# - gather's and index_select's gradients of float16 add the gradients of repeated positions
#   one at a time in float16 (indexing.py, IndexAdd), where PyTorch's scatter_add and
#   index_add add in float32 and round once: 3,000 reads of one element give it 2,048;
# - nll_loss and cross_entropy of a 1-d input: ember's node lists an unsqueeze, PyTorch's
#   the input, and an unreduced loss of a log-probability 0 is -0. (PyTorch: +0.); of 3 or
#   more dims PyTorch's node is NllLoss2DBackward0, with views around it for 3 or 5+ dims
#   (functional.py: names and a sign only);
# - nll_loss's gradient of a NaN or inf upstream gradient is NaN at every class (its one-hot
#   of weights times the gradient), where PyTorch writes it at the targets alone; a 'mean' whose
#   class weights sum to 0 gives the gradient 0 (PyTorch: NaN); int8 and int16 targets are
#   taken (PyTorch: int64 and uint8); 0 classes with an ignored target is an IndexError
#   (functional_ops.py, functional.py: rare);
# - prelu: PyTorch views a weight of other dims than the input's to broadcast, and its node
#   lists that view (ember's, the weight); a NaN or inf weight makes ember's output NaN for
#   positive inputs too (its 0/1 factor times the weight), and a -0. weight gives -0. where
#   PyTorch gives +0.; PyTorch's second derivative takes x >= 0 as the positive side, its
#   first derivative x > 0 (activations.py, on leaky ReLU's hot path);
# - elu with alpha=0 gives +0. for negative x where PyTorch gives -0.; exact gelu at +inf is
#   NaN in PyTorch (float32, float16), inf in ember; float16 second derivatives of the
#   activations and prod-scatters round otherwise (activations.py, gathering.py: rare);
# - an empty index of other dims than the src's gives the src a zero gradient where
#   PyTorch's backward refuses it, as for a src larger than the index (documented);
#   scatter_reduce's 'prod' double backward with two zeros sent to one place is refused by
#   PyTorch, computed by ember; amax/amin scatters of -0. and +0. may keep the other zero.
