"""Random programs of tensor ops, run in ember and in PyTorch: values and gradients agree.

Single ops are checked one by one elsewhere; here Hypothesis composes them. A program
is a few leaf tensors (float64, float32 or float16) and 2-8 steps, each a line of Python
over the values made so far (``v[3] = t.atan2(v[1], v[2])``, ``v[1][0] = v[2]``), run
with ``t`` bound to ember and then to torch. Both runs must give the same value, dtype,
shape and ``requires_grad`` at every step, the same ``grad_fn`` name and the same
``next_functions`` entries (where ember's node is not a documented composition), the
same values at the end (views and in-place writes share memory alike), the same gradient
for every leaf (and for every intermediate when nothing is written in place), and the
same builtin exception type at the same step when one raises. A float16 value made only
by ops that ember matches bit for bit must match bit for bit; any other within a float16
tolerance. A failure prints the program, ready to paste.

``EMBER_RANDOM_PROGRAMS=5000`` runs more programs than the suite's default.
"""

import dataclasses
import os
import re
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from oracle import builtin_base, random_settings

import ember

EXAMPLES = int(os.environ.get("EMBER_RANDOM_PROGRAMS", "250"))
NUMBERS = (-2.5, -1.0, 0.5, 1.5, 3.0)  # each exact in float16, so x16 * 1.5 is too
TOLERANCES = {"float64": (1e-7, 1e-9), "float32": (2e-4, 1e-5), "float16": (1e-2, 1e-2)}
REFERENCE = re.compile(r"v\[(\d+)\]")

# torch's nodes that ember builds as compositions, so its node there is named after the op
# that made it and lists that op's inputs (docs/differences.md, "Printing and names" and
# "Autograd": t, transpose, unsqueeze, squeeze, var, std, logsumexp, addcmul, addcdiv,
# clamp_min and clamp_max, var_mean, std_mean): no name or next_functions check at such a
# node, and any ember node is taken where such a node is listed as an input.
COMPOSED_NODES = {
    "TBackward0",
    "TransposeBackward0",
    "UnsqueezeBackward0",
    "SqueezeBackward0",
    "SqueezeBackward1",
    "SqueezeBackward2",
    "VarBackward0",
    "StdBackward0",
    "LogsumexpBackward0",
    "AddcmulBackward0",
    "AddcdivBackward0",
    "ClampMinBackward0",
    "ClampMinBackward1",
    "ClampMaxBackward0",
    "ClampMaxBackward1",
    "VarMeanBackward0",
    "StdMeanBackward0",
}


@dataclasses.dataclass(frozen=True)
class Leaf:
    values: tuple  # nested tuples of floats, the tensor's data
    dtype: str
    requires_grad: bool

    def make(self, library):
        data = np.array(self.values, dtype=self.dtype)
        return library.tensor(data, requires_grad=self.requires_grad)

    def source(self):
        return (
            f"t.tensor({self.values!r}, dtype=t.{self.dtype}, requires_grad={self.requires_grad})"
        )


@dataclasses.dataclass(frozen=True)
class Step:
    value: str  # an expression for the new value, over `t` (the library) and `v`
    write: str = ""  # a statement run first: an index assignment into a value
    exact: bool = True  # ember claims PyTorch's float16 bits for this op
    graph_checked: bool = True  # grad_fn's name and next_functions compared

    def source(self, index):
        line = f"v[{index}] = {self.value}"
        return f"{self.write}; {line}" if self.write else line

    def references(self):
        return [int(k) for k in REFERENCE.findall(f"{self.write} {self.value}")]


@dataclasses.dataclass(frozen=True)
class Program:
    leaves: tuple
    steps: tuple
    loss_terms: tuple  # indices of the values summed into the loss
    weighted: bool  # each term is (value * fixed random weights).sum() instead of .sum()
    exact_when_made: tuple = ()  # per value: float16 bits to be PyTorch's when made
    exact_at_end: tuple = ()  # per value: float16 bits to be PyTorch's at the end

    @property
    def writes_in_place(self):
        return any(writes_in_place(step) for step in self.steps)

    @property
    def tolerance(self):
        """The tolerance of the least precise leaf: a float64 value may have gone through
        float32 or float16 ops."""
        dtypes = {leaf.dtype for leaf in self.leaves}
        return TOLERANCES[next(d for d in ("float16", "float32", "float64") if d in dtypes)]

    def source(self):
        lines = [f"v[{i}] = {leaf.source()}" for i, leaf in enumerate(self.leaves)]
        first = len(self.leaves)
        lines += [step.source(first + i) for i, step in enumerate(self.steps)]
        term = "(v[{}] * w[{}]).sum()" if self.weighted else "v[{}].sum()"
        terms = " + ".join(term.format(k, k) for k in self.loss_terms)
        lines.append(f"loss = {terms}  # the terms that require grad; then loss.backward()")
        return "\n".join(lines)


def writes_in_place(step):
    return bool(step.write) or "_(" in step.value


# ---------------------------------------------------------------- drawing programs
#
# The drawing runs each step at once in torch (on copies of the leaves), so that the
# next step is drawn for the shapes and values actually made: broadcastable operands,
# dims in range, divisors away from zero. A step that raises there ends the program:
# the run then checks that ember raises too.


def run_step(step, values):
    namespace = {"t": torch, "v": values}
    if step.write:
        exec(step.write, namespace)
    values.append(eval(step.value, namespace))


def fits(step, values):
    """Whether the step runs in torch on (copies of) the values so far."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run_step(step, [value.clone() for value in values])
    except Exception:
        return False
    return True


def away_from_zero(name, value, low=0.2):
    """The value as written, or made positive where it comes near zero."""
    if value.numel() and value.abs().min() >= low:
        return name
    return f"({name}.abs() + 0.5)"


def positive(name, value):
    if value.numel() and value.min() >= 0.2:
        return name
    return f"({name}.abs() + 0.5)"


def above_one(name, value):
    if value.numel() and value.min() >= 1.25:
        return name
    return f"({name}.abs() + 1.25)"


def within(name, value, limit):
    """The value as written, or squashed into (-limit, limit) where it strays beyond (a
    limit exact in float16, so that the squashing keeps float16's bits comparable)."""
    if value.numel() and value.abs().max() < limit:
        return name
    return f"(t.tanh({name}) * {limit})"


def operand_forms(name, value):
    """The value under each name a form may use: as it is, or kept in an op's domain."""
    return {
        "x": name,
        "p": positive(name, value),  # log, sqrt
        "z": away_from_zero(name, value),  # divisors
        "a": above_one(name, value),  # acosh
        "u": within(name, value, 0.875),  # asin, acos, atanh
        "s": within(name, value, 1.25),  # tan, away from its poles
        "g": within(name, value, 5),  # exp and kin: exp of exp of ... stays finite
    }


def any_dim(draw, value, extra=0):
    ndim = value.dim()
    if ndim == 0 and not extra:
        return draw(st.sampled_from([0, -1]))
    return draw(st.integers(-ndim - extra, ndim - 1 + extra))


def pick_other(draw, values, step_for):
    """An operand index for a two-value step: one that fits, now and then any one."""
    fitting = [j for j in range(len(values)) if fits(step_for(j), values)]
    if fitting and draw(st.integers(0, 9)):
        return draw(st.sampled_from(fitting))
    return draw(st.integers(0, len(values) - 1))


UNARY_FORMS = [
    *("t.tanh({x})", "t.sigmoid({x})", "t.relu({x})", "{x}.abs()", "-{x}", "{x}.clone()"),
    *("{x}.detach()", "{x} ** 2", "{x} ** 3", "{x} ** 0", "{x}.sum()", "{x}.mean()"),
    *("{x}.amax()", "t.exp({g})", "t.log({p})", "{p}.sqrt()", "{z} ** -1", "{p} ** 0.5"),
    *("t.tan({s})", "t.sinh({g})", "{g}.cosh()", "t.asin({u})", "t.acos({u})", "t.atan({x})"),
    *("t.acosh({a})", "t.atanh({u})", "t.exp2({g})", "t.frac({x})", "{x}.square()"),
    *("t.square({x})", "t.sin({x})", "{x}.cos()", "t.log2({p})", "t.log10({p})"),
    *("t.log1p({p})", "t.expm1({g})", "t.rsqrt({p})", "t.reciprocal({z})", "{x}.sign()"),
    *("t.floor({x})", "{x}.ceil()", "t.round({x})", "{x}.round(decimals=1)", "t.trunc({x})"),
    *("t.nn.functional.relu({x})", "{x}.amin()", "{x}.prod()"),
]
# Forms whose float16 bits are not PyTorch's for every value: asinh is off for 4 of the
# 65,536 (docs/differences.md, Numbers), and rsqrt for an eighth of them where torch takes
# its scalar path (the last n % 32 values of a tensor of n: in float16 arithmetic there);
# torch's float16 prod multiplies in float16, in an order of its own.
INEXACT_UNARY_FORMS = {"t.asinh({x})", "t.rsqrt({p})", "{x}.prod()"}
UNARY_FORMS.append("t.asinh({x})")


def draw_unary(draw, values, i):
    form = draw(st.sampled_from(UNARY_FORMS))
    text = form.format(**operand_forms(f"v[{i}]", values[i]))
    return Step(text, exact=form not in INEXACT_UNARY_FORMS)


def draw_arithmetic(draw, values, i):
    x = f"v[{i}]"
    operator = draw(st.sampled_from(["+", "-", "*", "/"]))
    if draw(st.integers(0, 3)) == 0:
        number = draw(st.sampled_from(NUMBERS))
        if draw(st.booleans()):
            return Step(f"{x} {operator} {number}")
        divisor = away_from_zero(x, values[i]) if operator == "/" else x
        return Step(f"{number} {operator} {divisor}")

    def step_for(j):
        other = f"v[{j}]"
        if operator == "/":
            other = away_from_zero(other, values[j])
        return Step(f"{x} {operator} {other}")

    return step_for(pick_other(draw, values, step_for))


# Two-operand math: {x} is the drawn value, {y} the other one, {d} the other one kept
# away from zero (a divisor), {n} a number.
BINARY_MATH_FORMS = [
    *("t.fmod({x}, {d})", "{x} % {d}", "t.remainder({x}, {d})", "t.fmod({x}, {n})"),
    *("t.fmax({x}, {y})", "t.fmin({x}, {y})", "t.maximum({x}, {y})", "t.minimum({x}, {y})"),
    *("t.hypot({x}, {y})", "t.lerp({x}, {y}, {n})", "{x}.lerp({y}, {x})"),
    *("t.addcmul({x}, {y}, {y}, value={n})", "t.addcdiv({x}, {x}, {d}, value={n})"),
    *("t.clamp_min({x}, {n})", "{x}.clamp_max({n})", "{x}.clamp(-1.5, {n})"),
    *("{x}.clamp(min={y})", "t.clamp({x}, max={y})", "t.atan2({x}, {y})"),
]
# atan2 is off for about 1 in 100,000 float16 values, where PyTorch's float32 atan2 is not
# correctly rounded (tests/test_math_round.py).
INEXACT_BINARY_MATH_FORMS = {"t.atan2({x}, {y})"}


def draw_binary_math(draw, values, i):
    form = draw(st.sampled_from(BINARY_MATH_FORMS))
    number = draw(st.sampled_from(NUMBERS))

    def step_for(j):
        other = f"v[{j}]"
        text = form.format(x=f"v[{i}]", y=other, d=away_from_zero(other, values[j]), n=number)
        return Step(text, exact=form not in INEXACT_BINARY_MATH_FORMS)

    return step_for(pick_other(draw, values, step_for))


def draw_reduction(draw, values, i):
    x, value = f"v[{i}]", values[i]
    name = draw(st.sampled_from(["sum", "mean", "amax", "amin", "nansum", "nanmean"]))
    keepdim = draw(st.booleans())
    dim = any_dim(draw, value)
    if name not in ("amax", "amin") and value.dim() >= 2 and draw(st.booleans()):
        dim = (0, -1)
    # torch's float16 nansum over several dims rounds between them, not in one known order
    exact = not (name.startswith("nan") and isinstance(dim, tuple))
    if draw(st.integers(0, 3)) == 0:  # NumPy's keywords, which PyTorch takes too
        return Step(f"{x}.{name}(axis={dim}, keepdims={keepdim})", exact=exact)
    if name.startswith("nan"):
        return Step(f"t.{name}({x}, {dim}, keepdim={keepdim})", exact=exact)
    return Step(f"{x}.{name}({dim}, keepdim={keepdim})")


def draw_statistic(draw, values, i):
    """The reductions along one dim, the cumulative ops, the variance family and diff."""
    x, value = f"v[{i}]", values[i]
    dim, keepdim = any_dim(draw, value), draw(st.booleans())
    forms = [
        f"{x}.prod({dim}, keepdim={keepdim})",
        f"{x}.max({dim}, keepdim={keepdim})[0]",
        f"{x}.min({dim}).values",
        f"{x}.cumsum({dim})",
        f"t.cumprod({x}, dim={dim})",
        f"t.logsumexp({x}, {dim}, keepdim={keepdim})",
        f"{x}.var({dim}, keepdim={keepdim})",
        f"{x}.std({dim}, correction=0)",
        f"{x}.var()",
        f"t.var_mean({x}, {dim}, keepdim={keepdim})[{draw(st.integers(0, 1))}]",
        f"t.std_mean({x}, {dim})[{draw(st.integers(0, 1))}]",
        f"t.diff({x}, n={draw(st.integers(1, 2))}, dim={dim})",
        f"{x}.diff(dim={dim}, append={x})",
        # NumPy's keywords, which PyTorch takes for every dim and keepdim
        f"{x}.prod(axis={dim}, keepdims={keepdim})",
        f"{x}.max(axis={dim})[0]",
        f"t.logsumexp({x}, axis={dim})",
        f"{x}.std(axis={dim}, keepdims={keepdim})",
        f"t.var_mean({x}, axis={dim})[0]",
        f"t.cumprod({x}, axis={dim})",
        f"t.diff({x}, axis={dim})",
    ]
    size = value.shape[dim] if value.dim() else 1
    if size < 2 or not torch.isfinite(value).all():
        # The gradient of var and std at NaN or inf is documented to differ (docs/differences.md,
        # Rare edges). A var of one value is NaN, its gradient NaN too, and where relu or clamp
        # zero such a gradient, ember's product keeps NaN where torch's where gives 0 (known:
        # the product is what keeps their backward fast).
        forms = [form for form in forms if "var" not in form and "std" not in form]
    text = draw(st.sampled_from(forms))
    exact = not text.startswith(("t.logsumexp", f"{x}.prod"))  # not claimed for float16
    return Step(text, exact=exact)


def draw_nn(draw, values, i):
    """The everyday nn.functional ops: softmax, log_softmax, mse_loss, cross_entropy and
    linear (relu is among the unary forms)."""
    x, value = f"v[{i}]", values[i]
    kind = draw(st.sampled_from(["softmax", "softmax", "mse_loss", "cross_entropy", "linear"]))
    if kind == "softmax":
        dim = any_dim(draw, value)
        form = draw(
            st.sampled_from(
                [
                    "{x}.softmax({dim})",
                    "t.softmax({x}, {dim})",
                    "t.nn.functional.softmax({x}, dim={dim})",
                    "t.nn.functional.log_softmax({x}, dim={dim})",
                    "{x}.log_softmax({dim})",
                ]
            )
        )
        return Step(form.format(x=x, dim=dim), exact=False)
    if kind == "mse_loss":
        reduction = draw(st.sampled_from(["mean", "sum", "none"]))
        return step_with_other(
            draw, values, lambda y: f"t.nn.functional.mse_loss({x}, {y}, reduction='{reduction}')"
        )
    if kind == "cross_entropy":
        return draw_cross_entropy(draw, x, value)
    return draw_linear(draw, values, i)


def draw_cross_entropy(draw, x, value):
    """cross_entropy of 2-d logits (a value of other dims is reshaped to 2-d) with class
    indices, one per row."""
    rows, classes = value.shape if value.dim() == 2 else (1, value.numel())
    if value.dim() != 2:
        x = f"{x}.reshape(1, -1)"
    targets = draw(st.lists(st.integers(0, max(classes - 1, 0)), min_size=rows, max_size=rows))
    options = draw(
        st.sampled_from(["", ", reduction='sum'", ", reduction='none'", ", label_smoothing=0.25"])
    )
    target = f"t.tensor({targets}, dtype=t.int64)"
    # label smoothing is a composition in both, whose products torch's C++ names
    # MulBackward1 (by a number), ember MulBackward0 (known)
    smoothing = "label_smoothing" in options
    text = f"t.nn.functional.cross_entropy({x}, {target}{options})"
    return Step(text, exact=False, graph_checked=not smoothing)


def draw_linear(draw, values, i):
    """linear(x, weight, bias): the weight a 2-d value whose rows are as long as x's last
    dim, where there is one (x's own rows otherwise); the bias, if any, one of its columns."""
    x, value = f"v[{i}]", values[i]
    size = value.shape[-1] if value.dim() else None
    weights = [j for j, w in enumerate(values) if w.dim() == 2 and w.shape[1] == size]
    weight = f"{x}.reshape(-1, {size})[:2]" if size else f"{x}.reshape(1, -1)"
    if weights:
        weight = f"v[{draw(st.sampled_from(weights))}]"
    bias = draw(st.sampled_from(["", f", {weight}[:, 0]", f", bias={weight}[:, -1]"]))
    # torch multiplies an input of other than 2 dims as a matrix and names the reshape that
    # follows, which lists the product; ember's one node lists x, weight and bias (known)
    text = f"t.nn.functional.linear({x}, {weight}{bias})"
    return Step(text, exact=value.dim() == 2, graph_checked=value.dim() == 2)


def draw_shape_for(draw, count):
    """A shape of `count` elements, with 0-3 dims (one of them perhaps -1)."""
    if count == 0:
        return draw(st.sampled_from([(0,), (2, 0), (0, 3), (-1,)]))
    dims, left = [], count
    for _ in range(draw(st.integers(0, 3))):
        divisors = [d for d in range(1, left + 1) if left % d == 0]
        dims.append(draw(st.sampled_from(divisors)))
        left //= dims[-1]
    if left != 1 or (not dims and count != 1):
        dims.append(left)
    if dims and draw(st.integers(0, 3)) == 0:
        dims[draw(st.integers(0, len(dims) - 1))] = -1
    return tuple(dims)


def sizes_text(sizes):
    """Sizes as arguments: `2, 3`, or `()` for none (`view()` with no argument is a TypeError)."""
    return ", ".join(map(str, sizes)) or "()"


def draw_movement(draw, values, i):
    x, value = f"v[{i}]", values[i]
    ndim = value.dim()
    kind = draw(
        st.sampled_from(
            ["reshape", "view", "transpose", "permute", "unsqueeze", "squeeze", "expand", "t"]
        )
    )
    if kind in ("reshape", "view"):
        return Step(f"{x}.{kind}({sizes_text(draw_shape_for(draw, value.numel()))})")
    if kind == "transpose":
        return Step(f"{x}.transpose({any_dim(draw, value)}, {any_dim(draw, value)})")
    if kind == "permute":
        order = draw(st.permutations(range(ndim)))
        return Step(f"{x}.permute({sizes_text(order)})")
    keyword = draw(st.sampled_from(["", "", "axis="]))  # NumPy's name, which PyTorch takes
    if kind == "unsqueeze":
        return Step(f"{x}.unsqueeze({keyword}{any_dim(draw, value, extra=1)})")
    if kind == "squeeze":
        if ndim and draw(st.booleans()):
            return Step(f"{x}.squeeze({keyword}{any_dim(draw, value)})")
        return Step(f"{x}.squeeze()")
    if kind == "expand":
        sizes = [draw(st.sampled_from([-1, 1, 2, 3])) if size == 1 else -1 for size in value.shape]
        if draw(st.booleans()) or not sizes:
            sizes.insert(0, draw(st.integers(1, 3)))
        return Step(f"{x}.expand({sizes_text(sizes)})")
    return Step(f"{x}.t()")


def draw_basic_index(draw, value):
    """Text for a basic index of the value: ints, slices, perhaps None or ..."""
    parts = []
    for size in value.shape[: draw(st.integers(1, max(1, value.dim())))]:
        kind = draw(st.sampled_from(["int", "slice", "slice", "all"]))
        if kind == "int" and size:
            parts.append(str(draw(st.integers(-size, size - 1))))
        elif kind == "slice":
            start = draw(st.sampled_from(["", "1", "-2"]))
            stop = draw(st.sampled_from(["", "3", "-1"]))
            step = draw(st.sampled_from(["", ":2"]))
            parts.append(f"{start}:{stop}{step}")
        else:
            parts.append(":")
    if draw(st.integers(0, 5)) == 0:
        parts.insert(draw(st.integers(0, len(parts))), draw(st.sampled_from(["None", "..."])))
    return ", ".join(parts) or "..."


def draw_index_tensor(draw, size):
    positions = draw(st.lists(st.integers(-size, size - 1), min_size=1, max_size=4))
    return f"t.tensor({positions})"


def draw_indexing(draw, values, i):
    x, value = f"v[{i}]", values[i]
    if value.dim() == 0:
        return Step(f"{x}[...]" if draw(st.booleans()) else f"{x}[None]")
    kind = draw(st.sampled_from(["basic", "basic", "tensor", "mask"]))
    if kind == "basic":
        index = draw_basic_index(draw, value)
        # ember makes one node of a basic index, torch one per part (select, slice,
        # unsqueeze): the last one is named alike, but it lists the one before (known)
        parts = [part for part in index.split(", ") if part not in (":", "...")]
        return Step(f"{x}[{index}]", graph_checked=len(parts) < 2)
    if kind == "mask":
        return Step(f"{x}[{x} > 0]")
    dim = draw(st.integers(0, value.dim() - 1))
    if value.shape[dim] == 0:
        return Step(f"{x}[{x} > 0]")
    leading = ":, " * dim
    return Step(f"{x}[{leading}{draw_index_tensor(draw, value.shape[dim])}]")


def draw_combination(draw, values, i):
    x, value = f"v[{i}]", values[i]
    kind = draw(st.sampled_from(["cat", "stack", "matmul", "where"]))  # 0-d: mostly where
    if kind == "cat" and (value.dim() or not draw(st.integers(0, 4))):
        dim = f"{draw(st.sampled_from(['', '', 'axis=']))}{any_dim(draw, value)}"

        def step_for(j):
            return Step(f"t.cat([{x}, v[{j}]], {dim})")

        j = pick_other(draw, values, step_for)
        if legacy_empty_beside_more_dims(value, values[j]):
            # documented difference (docs/differences.md, Rare edges): a 1-d empty piece
            # of `cat` beside pieces of more dims gets no .grad (torch: an empty tensor)
            return Step(f"t.cat([{x}, {x}], {dim})")
        return step_for(j)
    if kind == "stack":
        dim = f"{draw(st.sampled_from(['', '', 'axis=']))}{any_dim(draw, value, extra=1)}"
        return step_with_other(draw, values, lambda y: f"t.stack([{x}, {y}], {dim})")
    if kind == "matmul" and (value.dim() or not draw(st.integers(0, 4))):

        def product_for(j):
            # torch multiplies batches (and a vector by a matrix) through reshapes and names
            # the last of them; ember's one MatmulBackward0 node lists both operands (known)
            dims = (value.dim(), values[j].dim())
            plain = max(dims) <= 2 and dims != (1, 2)
            return Step(f"{x} @ v[{j}]", exact=False, graph_checked=plain)

        return product_for(pick_other(draw, values, product_for))
    return step_with_other(draw, values, lambda y: f"t.where({x} > 0, {x}, {y})")


def legacy_empty_beside_more_dims(first, second):
    """A 1-d empty piece with one of other dims: `cat` skips it (PyTorch's legacy rule)."""
    shapes = {tuple(first.shape), tuple(second.shape)}
    return (0,) in shapes and any(len(shape) != 1 for shape in shapes)


def step_with_other(draw, values, text_for, exact=True):
    def step_for(j):
        return Step(text_for(f"v[{j}]"), exact=exact)

    return step_for(pick_other(draw, values, step_for))


def draw_in_place(draw, values, i):
    """An in-place change of a value made by a step, or of a piece of one."""
    x, value = f"v[{i}]", values[i]
    if getattr(value, "expanded", False):
        # Writing into an expanded tensor whose elements share memory is a documented
        # difference (docs/differences.md, Rare edges)
        return Step(f"{x}.clone()")
    number = draw(st.sampled_from(NUMBERS))
    if draw(st.booleans()) and value.dim():
        index = draw_basic_index(draw, value)
        if not fits(Step(f"{x}[{index}]"), values):
            # of a bad index written into a leaf that requires grad, torch reports the index
            # and ember the leaf first (known, rare): the index is kept good
            index = "..."
        through_view = value._base is not None
        index_tensor = draw(st.booleans()) and value.shape[0]
        if index_tensor:
            index = draw_index_tensor(draw, value.shape[0])
        else:
            through_view = True  # basic indexing writes through a view of x

        def step_for(j):
            return Step(x, write=f"{x}[{index}] = v[{j}]")

        j = pick_other(draw, values, step_for)
        # ember casts a value of another dtype written at an index tensor, where torch
        # refuses it (docs/differences.md, More permissive than PyTorch)
        casts = index_tensor and values[j].dtype != value.dtype
        if draw(st.booleans()) or casts or write_excluded(values, i, through_view, j):
            return Step(x, write=f"{x}[{index}] = {number}")
        return step_for(j)
    target = x
    if value.dim() and draw(st.booleans()):
        target = f"{x}[{draw_basic_index(draw, value)}]"
        if not fits(Step(target), values):
            target = x
    name = draw(st.sampled_from(["add_", "mul_", "sub_"]))

    def step_for(j):
        return Step(f"{target}.{name}(v[{j}])")

    j = pick_other(draw, values, step_for)
    through_view = target != x or value._base is not None
    if draw(st.booleans()) or write_excluded(values, i, through_view, j):
        return Step(f"{target}.{name}({number})")
    return step_for(j)


def write_excluded(values, i, through_view, j):
    """Whether writing v[j] into v[i] (through a view of it, or not) is left out."""
    if shares_memory(values[i], values[j]):
        # torch reads and writes overlapping memory in its own order, NumPy as if the
        # operand were copied first: neither is a promise to match
        return True
    if not values[j].requires_grad or requires_grad(values[i]):
        return False
    # A write through a view gives no history to a base that does not require grad
    # (docs/differences.md, Autograd), and views taken of a tensor before a write gives
    # it history do not require grad afterwards (the same section).
    others = [value for k, value in enumerate(values) if k != i]
    return through_view or any(shares_memory(values[i], other) for other in others)


def requires_grad(value):
    """Whether the value or the tensor it views requires grad."""
    base = value if value._base is None else value._base
    return value.requires_grad or base.requires_grad


def shares_memory(first, second):
    return first.untyped_storage().data_ptr() == second.untyped_storage().data_ptr()


DRAWERS = [draw_unary] * 4 + [draw_arithmetic] * 3 + [draw_binary_math] * 2 + [draw_movement] * 3
DRAWERS += [draw_reduction] * 2 + [draw_statistic] * 2 + [draw_nn] * 2 + [draw_indexing] * 2
DRAWERS += [draw_combination] * 2 + [draw_in_place] * 2


@st.composite
def leaves(draw):
    count = draw(st.integers(1, 3))
    if draw(st.booleans()):
        shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=count, max_dims=3, max_side=4))
        shapes = shapes.input_shapes
    else:
        shapes = draw(
            st.lists(
                hnp.array_shapes(min_dims=0, max_dims=3, max_side=4), min_size=count, max_size=count
            )
        )
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    made = []
    for shape in shapes:
        data = rng.uniform(-2, 2, shape).round(3)
        made.append(
            Leaf(
                to_tuples(data),
                draw(st.sampled_from(["float64", "float64", "float32", "float16"])),
                draw(st.sampled_from([True, True, False])),
            )
        )
    return tuple(made)


def to_tuples(data):
    if data.ndim == 0:
        return float(data)
    return tuple(to_tuples(item) for item in data)


def mark_expanded(values):
    """Mark the new value when some of its elements share memory (a dim that `expand`
    stretched): writing into it is a documented difference. A view of one that takes a
    single element of such a dim is refused too (known: ember's expanded arrays are
    read-only, and so are their views)."""
    made = values[-1]
    if any(stride == 0 for stride in made.stride()):
        made.expanded = True


@st.composite
def programs(draw):
    made_leaves = draw(leaves())
    # A leaf that requires grad is drawn on as a clone, so that in-place steps on it run
    # (the real run refuses them, and the program ends there).
    values = [leaf.make(torch).clone() for leaf in made_leaves]
    exact_now = [leaf.dtype == "float16" for leaf in made_leaves]
    exact_when_made = list(exact_now)
    steps = []
    for _ in range(draw(st.integers(2, 8))):
        drawer = draw(st.sampled_from(DRAWERS))
        first = 0
        if drawer is draw_in_place and len(values) > len(made_leaves) and draw(st.integers(0, 4)):
            first = len(made_leaves)  # mostly a value made by a step: torch refuses most leaves
        i = draw(st.integers(first, len(values) - 1))
        step = drawer(draw, values, i)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                run_step(step, values)
        except Exception as error:
            if "single memory location" not in str(error):
                steps.append(step)  # the last step: the run compares the errors
            break
        steps.append(step)
        mark_expanded(values)
        exact_when_made.append(follow_exactness(step, values, exact_now))
    last = len(made_leaves) + len(steps) - 1
    others = draw(st.lists(st.integers(0, last), max_size=2, unique=True))
    terms = tuple(sorted({last, *others}))
    weighted = draw(st.booleans())
    exact = tuple(exact_when_made), tuple(exact_now)
    return Program(made_leaves, tuple(steps), terms, weighted, *exact)


def follow_exactness(step, values, exact_now):
    """Whether the step's new float16 value must have PyTorch's bits: its op is one that
    ember matches bit for bit, and so are all the values it reads. A write that is not
    exact spoils every value that shares the written memory. Updates ``exact_now`` (one
    entry per value, as it is now) and returns the new value's entry."""
    made = values[-1]
    exact = (
        step.exact and made.dtype == torch.float16 and all(exact_now[k] for k in step.references())
    )
    exact_now.append(exact)
    if writes_in_place(step) and not exact:
        for k, value in enumerate(values):
            if shares_memory(value, made):
                exact_now[k] = False
    return exact


# ---------------------------------------------------------------- running programs


@dataclasses.dataclass
class Outcome:
    values: list  # the tensors, as they are at the end
    made: list  # (shape, dtype, requires_grad, array) of each value when it was made
    graphs: list  # (grad_fn's name, the names in its next_functions) of each, or None
    error: BaseException = None
    failed_at: str = ""  # "step N" or "backward"
    grads: dict = dataclasses.field(default_factory=dict)  # value index -> grad or None


def dtype_name(dtype):
    return str(dtype).split(".")[-1]


def record(value):
    array = value.detach().cpu().numpy().copy()
    return tuple(value.shape), dtype_name(value.dtype), value.requires_grad, array


def node_name(node):
    """torch names its C++ nodes "torch::autograd::AccumulateGrad"; ember "AccumulateGrad"."""
    return None if node is None else node.name().rsplit("::", 1)[-1]


def graph_of(value):
    node = value.grad_fn
    if node is None:
        return None
    return node_name(node), tuple(node_name(entry) for entry, _ in node.next_functions)


def run(library, program):
    values = [leaf.make(library) for leaf in program.leaves]
    outcome = Outcome(values, [record(value) for value in values], [None] * len(values))
    namespace = {"t": library, "v": values}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for index, step in enumerate(program.steps):
            try:
                if step.write:
                    exec(step.write, namespace)
                values.append(eval(step.value, namespace))
            except Exception as error:
                outcome.error, outcome.failed_at = error, f"step {len(program.leaves) + index}"
                return outcome
            outcome.made.append(record(values[-1]))
            outcome.graphs.append(graph_of(values[-1]))
        backward(library, program, outcome)
    return outcome


def backward(library, program, outcome):
    values = outcome.values
    rng = np.random.default_rng(len(values))
    terms = [k for k in program.loss_terms if values[k].requires_grad]
    if not terms:
        return
    keep = [k for k, value in enumerate(values) if value.requires_grad and not value.is_leaf]
    if not program.writes_in_place:
        for k in keep:
            values[k].retain_grad()
    loss = 0
    for k in terms:
        value = values[k]
        if program.weighted:
            weights = rng.uniform(-1, 1, tuple(value.shape)).astype(dtype_name(value.dtype))
            value = value * library.tensor(weights)
        loss = loss + value.sum()
    try:
        loss.backward()
    except Exception as error:
        outcome.error, outcome.failed_at = error, "backward"
        return
    watched = range(len(program.leaves))
    if not program.writes_in_place:
        watched = [*watched, *keep]
    outcome.grads = {k: values[k].grad for k in watched}


def assert_close(what, ember_record, torch_record, program, bit_for_bit=False):
    shape, dtype, requires_grad, array = ember_record
    expected_shape, expected_dtype, expected_requires_grad, expected = torch_record
    where = f"{what}\n{program.source()}"
    assert (shape, dtype) == (expected_shape, expected_dtype), (
        f"{what}: ember gives {dtype}{list(shape)}, torch {expected_dtype}{list(expected_shape)}"
        f"\n{program.source()}"
    )
    assert requires_grad == expected_requires_grad, f"requires_grad differs at {where}"
    if bit_for_bit and dtype == "float16":
        both_nan = np.isnan(array) & np.isnan(expected)
        differ = (array.view(np.uint16) != expected.view(np.uint16)) & ~both_nan
        assert not differ.any(), (
            f"float16 bits differ: {array[differ]} != {expected[differ]} at {where}"
        )
        return
    rtol, atol = program.tolerance
    if atol == TOLERANCES["float16"][1] and expected.size:
        # float16 rounds each step by up to 1/2048 of the step's own values, which may be
        # far larger than the result they add up to: the error is counted against them
        finite = np.abs(expected[np.isfinite(expected)], dtype="float64")
        atol *= max(1.0, finite.max(initial=0.0))
    np.testing.assert_allclose(array, expected, rtol=rtol, atol=atol, err_msg=where)


def assert_same_graph(k, ember_graph, torch_graph, program):
    """The same grad_fn name and next_functions, but where ember's node differs knowingly."""
    where = f"v[{k}].grad_fn: ember {ember_graph}, torch {torch_graph}\n{program.source()}"
    if ember_graph is None or torch_graph is None:
        assert ember_graph == torch_graph, where
        return
    (name, entries), (expected_name, expected_entries) = ember_graph, torch_graph
    if expected_name in COMPOSED_NODES or expected_name == "AsStridedBackward0":
        return
    assert same_entry(name, expected_name), where
    if name in ("CopySlices", "IndexPutBackward0") or expected_name == "UnsafeViewBackward0":
        # An in-place write is one CopySlices node in ember, which lists the value written
        # where torch lists the view or broadcast it makes of it (docs/differences.md);
        # a reshape that copies is one node in ember, where torch clones, then views
        # (known, not documented: movement.py, whose one node saves a dispatch)
        return
    assert len(entries) == len(expected_entries), where
    for entry, expected in zip(entries, expected_entries):
        assert same_entry(entry, expected), where


def same_entry(name, expected):
    """Whether ember's node ``name`` stands where torch lists ``expected`` in next_functions."""
    if expected in COMPOSED_NODES or expected == "AsStridedBackward0":
        # ember lists the last node of its composition; a view taken again after an in-place
        # op is AsStridedBackward0 in torch, in ember the view's own op (known, not
        # documented: autograd/ holds it)
        return name is not None
    if name in ("ToCopyBackward0", "MatmulBackward0"):
        # ember casts an operand to the promoted dtype in a node of its own, torch inside the
        # op; and its matmul of batches is one node where torch's last is a reshape (known,
        # not documented: elementwise.py and linalg.py hold them)
        return expected is not None
    if expected in ("CopyBackwards",) or str(expected).startswith("FillBack"):
        return name == "CopySlices"  # docs/differences.md: in-place ops are named CopySlices
    return name == expected


# Ops whose node saves other tensors than PyTorch's, so that changing one in place before
# backward is refused by one library only: documented for var, std, logsumexp and clamp
# (docs/differences.md, Autograd) and for the compositions (addcmul, addcdiv); known for
# the nodes that save an operand needing no gradient, which PyTorch does not save
# (elementwise.py: remainder, fmod, hypot, lerp by a number), and for operands of mixed
# dtypes, of which ember saves the promoted copy (elementwise.py).
SAVES_OTHERWISE = ("std", "var", "logsumexp", "clamp", "addcmul", "addcdiv")
SAVES_MORE = ("RemainderBackward1", "FmodBackward1", "HypotBackward0", "LerpBackward0")


def saves_otherwise(ember_outcome, torch_outcome, program):
    """Whether only one run refused a backward over a saved tensor changed in place, where
    the two libraries knowingly save different tensors."""
    refused = [
        outcome.failed_at == "backward" and "modified by an inplace" in str(outcome.error)
        for outcome in (ember_outcome, torch_outcome)
    ]
    text = program.source()
    if refused == [False, True]:
        mixed = len({leaf.dtype for leaf in program.leaves}) > 1
        return mixed or any(name in text for name in SAVES_OTHERWISE)
    if refused == [True, False]:
        return any(name in str(ember_outcome.error) for name in SAVES_MORE)
    return False


def compare(program):
    ember_outcome, torch_outcome = run(ember, program), run(torch, program)
    if saves_otherwise(ember_outcome, torch_outcome, program):
        ember_outcome.error = torch_outcome.error = None
        ember_outcome.failed_at = torch_outcome.failed_at = ""
        ember_outcome.grads = torch_outcome.grads = {}
    ember_error, torch_error = ember_outcome.error, torch_outcome.error
    assert ember_outcome.failed_at == torch_outcome.failed_at, (
        f"ember raised {ember_error!r} at {ember_outcome.failed_at or 'no step'}, torch "
        f"{torch_error!r} at {torch_outcome.failed_at or 'no step'}\n{program.source()}"
    )
    if torch_error is not None:
        assert builtin_base(type(ember_error)) is builtin_base(type(torch_error)), (
            f"at {torch_outcome.failed_at} ember raised {ember_error!r}, torch "
            f"{torch_error!r}\n{program.source()}"
        )
    first = len(program.leaves)
    for k, (made, expected) in enumerate(zip(ember_outcome.made, torch_outcome.made)):
        assert_close(f"v[{k}] when made", made, expected, program, program.exact_when_made[k])
        if k < first or program.steps[k - first].graph_checked:
            assert_same_graph(k, ember_outcome.graphs[k], torch_outcome.graphs[k], program)
    for k, (value, expected) in enumerate(zip(ember_outcome.values, torch_outcome.values)):
        exact = program.exact_at_end[k]
        assert_close(f"v[{k}] at the end", record(value), record(expected), program, exact)
    for k, expected in torch_outcome.grads.items():
        grad = ember_outcome.grads[k]
        assert (grad is None) == (expected is None), (
            f"v[{k}].grad: ember {grad!r}, torch {expected!r}\n{program.source()}"
        )
        if expected is not None:
            assert_close(f"v[{k}].grad", record(grad), record(expected), program)


@random_settings(EXAMPLES)
@given(program=programs())
def test_random_programs_match_torch(program):
    compare(program)


# ---------------------------------------------------------------- found by the programs
#
# Each difference the random programs found and ember fixed, pinned in a small program of
# its own. A scenario runs on `t` (ember, then torch) and returns what both must agree on.


def plain(value):
    """What a result is compared as: a tensor as its shape, dtype and values (a NaN as
    None, so that two NaNs are equal), a tuple or a list item by item."""
    if isinstance(value, (ember.Tensor, torch.Tensor)):
        values = value.detach().reshape(-1).tolist()
        rounded = [None if item != item else round(item, 5) for item in values]
        return tuple(value.shape), dtype_name(value.dtype), rounded
    if isinstance(value, (tuple, list)):
        return [plain(item) for item in value]
    return value


def same_in_both(scenario):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # compared elsewhere; here the results are
        ember_result, torch_result = (plain(scenario(library)) for library in (ember, torch))
    assert ember_result == torch_result


def outcome_of(scenario):
    """The scenario's result, or the builtin type of the exception it raised."""

    def run_scenario(t):
        try:
            return scenario(t)
        except Exception as error:  # noqa: BLE001 - the kind of error is compared
            return builtin_base(type(error)).__name__

    return run_scenario


AXIS_KEYWORDS = {
    "amax": lambda t, x: x.amax(axis=1, keepdims=True),
    "amin": lambda t, x: t.amin(x, axis=0),
    "std": lambda t, x: x.std(axis=1),
    "var": lambda t, x: x.var(axis=0, keepdims=True),
    "prod": lambda t, x: x.prod(axis=1),
    "logsumexp": lambda t, x: t.logsumexp(x, axis=1, keepdims=True),
    "nansum": lambda t, x: x.nansum(axis=0),
    "nanmean": lambda t, x: t.nanmean(x, axis=1, keepdims=True),
    "cumprod": lambda t, x: x.cumprod(axis=1),
    "diff": lambda t, x: t.diff(x, axis=0),
    "var_mean": lambda t, x: t.var_mean(x, axis=1),
    "std_mean": lambda t, x: t.std_mean(x, axis=0, keepdims=True),
    "all": lambda t, x: (x > 0).all(axis=1),
    "any": lambda t, x: t.any(x > 0, axis=0, keepdims=True),
    "count_nonzero": lambda t, x: t.count_nonzero(x > 0, axis=1),
}


@pytest.mark.parametrize("name", AXIS_KEYWORDS)
def test_reductions_take_numpys_axis_and_keepdims_as_torch_does(name):
    same_in_both(lambda t: AXIS_KEYWORDS[name](t, t.tensor([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]])))


# Ops whose node ember named otherwise, or whose next_functions listed other nodes. x is a
# 0-d leaf, m a 2x3 leaf, both requiring grad.
NODES = {
    "sum_over_a_dim_of_0d": lambda t, x, m: x.sum(0),
    "mean_over_a_dim_of_0d": lambda t, x, m: x.mean(0),
    "prod_over_a_dim_of_0d": lambda t, x, m: x.prod(0),
    "sum_over_no_dims": lambda t, x, m: m.sum([]),
    "cumsum_of_0d": lambda t, x, m: x.cumsum(0),
    "cumprod_of_0d": lambda t, x, m: t.cumprod(x, 0),
    "max_over_a_dim_of_0d": lambda t, x, m: x.max(0)[0],
    "expand_to_the_same_shape": lambda t, x, m: m.expand(2, 3),
    "expand_0d": lambda t, x, m: x.expand(()),
    "softmax_of_0d": lambda t, x, m: t.softmax(x, 0),
    "log_softmax_of_0d": lambda t, x, m: x.log_softmax(-1),
    "slices_that_keep_whole_dims": lambda t, x, m: m[:2, :5],
    "a_slice_in_a_tuple": lambda t, x, m: m[(slice(None),)],
    "a_slice_from_the_end": lambda t, x, m: m[:, -3:],
    "reshape_of_a_strided": lambda t, x, m: m[:, ::2].reshape(2, 2, 1),
    "reshape_of_an_expanded": lambda t, x, m: m[0].expand(2, 3).reshape(2, 3, 1),
    "reshape_of_an_empty": lambda t, x, m: m[:0].reshape(0),
    "cat_with_an_empty": lambda t, x, m: t.cat([m[0], m[0, :0]]),
    "linear_lists_the_bias_first": lambda t, x, m: t.nn.functional.linear(m, m.detach(), m[:, 0]),
    "linear_with_a_bias_without_grad": lambda t, x, m: t.nn.functional.linear(
        m, m.detach(), m[:, 0].detach()
    ),
    "mse_loss_broadcasting_its_target": lambda t, x, m: t.nn.functional.mse_loss(m, x),
}
# linear of other than 2-d inputs: one node in ember, which lists x, weight and bias, where
# torch's last node is a reshape of a product (or the bias added to one): the name alone
LINEAR_NAMES = {
    "linear_of_3d_with_a_strided_bias": lambda t, m: t.nn.functional.linear(
        m[None], m.detach(), m[:, 1]
    ),
    "linear_of_3d_with_a_bias": lambda t, m: t.nn.functional.linear(
        m[None], m.detach(), m[:, 1].contiguous()
    ),
    "linear_of_a_strided_1d_with_a_bias": lambda t, m: t.nn.functional.linear(
        m[:, 0], m.t().detach(), m[0]
    ),
}


@pytest.mark.parametrize("name", NODES)
def test_nodes_are_named_and_listed_as_in_torch(name):
    def scenario(t):
        x = t.tensor(1.5, requires_grad=True)
        m = (t.arange(6.0).reshape(2, 3) - 2).requires_grad_()
        return graph_of(NODES[name](t, x, m))

    same_in_both(scenario)


@pytest.mark.parametrize("name", LINEAR_NAMES)
def test_linear_of_other_than_2d_is_named_as_in_torch(name):
    def scenario(t):
        m = (t.arange(6.0).reshape(2, 3) - 2).requires_grad_()
        return LINEAR_NAMES[name](t, m).grad_fn.name()

    same_in_both(scenario)


GRADIENTS = {
    # max(dim) scatters its gradient: zeros elsewhere, even for a NaN one
    "max_over_a_dim": lambda t, x: x.max(1).values * t.tensor([float("nan"), 1.0]),
    # a step function's gradient is zeros, even where the one it gets is inf
    "floor": lambda t, x: t.floor(x) * float("inf"),
    # the product of one value: gradient 1, even at NaN
    "prod_of_0d": lambda t, x: (x[0, 0] + float("nan")).prod(),
}


@pytest.mark.parametrize("name", GRADIENTS)
def test_gradients_at_nan_and_inf_are_torchs(name):
    def scenario(t):
        x = t.tensor([[1.0, 3.0, 2.0], [5.0, 4.0, 0.0]], requires_grad=True)
        GRADIENTS[name](t, x).sum().backward()
        return x.grad

    same_in_both(scenario)


def test_diff_ignores_prepend_for_order_0_and_returns_an_empty_input_itself():
    def scenario(t):
        x = t.arange(4.0)
        empty = t.zeros(2, 0)
        return t.diff(x, n=0, prepend=x), t.diff(empty, n=2) is empty, t.diff(x, n=9)

    same_in_both(scenario)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_cumsum_never_gives_negative_zero(dtype):
    # 1 / -0 is -inf, 1 / 0 inf
    same_in_both(lambda t: 1 / t.tensor([-0.0, -0.0, 1.0], dtype=getattr(t, dtype)).cumsum(0))


def test_linear_of_float16_adds_its_bias_before_rounding_once():
    rng = np.random.default_rng(0)
    x, weight, bias = (
        rng.uniform(-2, 2, shape).astype("float16") for shape in [(50, 7), (3, 7), 3]
    )
    outputs = [
        library.nn.functional.linear(*map(library.tensor, (x, weight, bias))).numpy()
        for library in (ember, torch)
    ]
    np.testing.assert_array_equal(outputs[0].view("uint16"), outputs[1].view("uint16"))


def test_linear_with_no_features_has_a_gradient():
    def scenario(t):
        x, weight = t.ones(1, 3, 3, requires_grad=True), t.ones(0, 3, requires_grad=True)
        bias = t.ones(0, requires_grad=True)
        t.nn.functional.linear(x, weight, bias).sum().backward()
        return x.grad, weight.grad, bias.grad

    same_in_both(scenario)


CHANGED_AFTER_SAVED = {
    "nansum's input": lambda t, x: (lambda h: (t.nansum(h), h.add_(1))[0])(x * 1),
    "cumprod's output of 0-d": lambda t, x: t.cumprod(x[0] * 1, 0).mul_(2),
}


@pytest.mark.parametrize("name", CHANGED_AFTER_SAVED)
def test_backward_refuses_a_saved_tensor_changed_in_place(name):
    def scenario(t):
        x = t.tensor([1.0, float("nan"), 2.0], requires_grad=True)
        CHANGED_AFTER_SAVED[name](t, x).sum().backward()
        return x.grad

    same_in_both(outcome_of(scenario))


def test_clamp_of_shapes_that_do_not_broadcast_is_a_runtime_error():
    same_in_both(outcome_of(lambda t: t.ones(3, 1, 4).clamp(min=t.ones(3, 1, 2))))
