"""Random programs of views and in-place writes (the fifth pass), run in ember and in PyTorch.

The programs of ``test_random_programs.py`` (its leaves, steps, runs and comparison) with
other steps: chains of views (slices, reshape/view, transpose/t/mT/permute, unsqueeze,
narrow, an int index, diagonal, expand where writable, pieces of split/chunk/unbind,
detach and .data) of tensors with and without grad, fresh tensors without grad (zeros,
arange, a detached copy), in-place writes through them (copy_, add_/mul_/sub_/div_, += and
*=, setitem at basic, position, mask and bool indices, masked_fill_, scatter_,
scatter_add_, scatter_reduce_, zero_, fill_, clamp_, neg_), now and then under no_grad,
mixed with the everyday drawers and with gelu, leaky_relu, elu, prelu and unique. Besides
what ``compare`` checks (values when made and at the end, dtypes, shapes, requires_grad,
grad_fn names, the leaves' gradients, the exception type at a step or at backward), every
value must end with PyTorch's is_leaf, _version, grad_fn (or none) and signs of its zeros.

The drawing leaves out what docs/differences.md lists: a view that recorded no node does not
take the history its base took through another view (the drawing ends a program before
such a write); writes through pieces of split or unbind, and reads of them after their
base changed (PyTorch refuses both); writes into an expanded tensor or a view of one;
operands that overlap the written memory (cloned first); a src larger than the index of a
scatter; in-place unary ops other than neg_ (ember saves a copy of their input); the names
that ember gives to split and unbind pieces and to in-place ops recorded as CopySlices
(no graph check at such nodes or the nodes that list them). The difference found and fixed
is pinned at the end of the file, beside a note of those found and left to other files.

``EMBER_RANDOM_PROGRAMS=5000`` runs more programs than the suite's default.
"""

import dataclasses
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
NUMBERS = programs.NUMBERS
Step = programs.Step


class ViewStep(Step):
    """A step that takes a view of the value it reads (the chain a write goes up)."""


def usually(draw, odds):
    """True but one time in odds + 1 (a list, since Hypothesis leans to its first choice)."""
    return draw(st.sampled_from([True] * odds + [False]))


# ---------------------------------------------------------------- views


def draw_view(draw, values, i):
    x, value = f"v[{i}]", values[i]
    ndim = value.dim()
    kinds = ["slice", "slice", "reshape", "view", "unsqueeze", "detach", "expand", "squeeze"]
    if ndim >= 1:
        kinds += ["split", "chunk", "unbind", "select", "narrow", "int", "transpose", "flatten"]
    kinds += ["t"] if ndim <= 2 else []
    kinds += ["mT", "diagonal", "permute", "movedim"] if ndim >= 2 else []
    kind = draw(st.sampled_from(kinds))
    if kind == "slice":
        return draw_slice(draw, x, value)
    if kind in ("reshape", "view"):
        sizes = programs.draw_shape_for(draw, value.numel())
        return ViewStep(f"{x}.{kind}({programs.sizes_text(sizes)})")
    if kind == "unsqueeze":
        return ViewStep(f"{x}.unsqueeze({programs.any_dim(draw, value, extra=1)})")
    if kind == "squeeze":
        dim = programs.any_dim(draw, value) if ndim and draw(st.booleans()) else ""
        return ViewStep(f"{x}.squeeze({dim})")
    if kind == "detach":
        return ViewStep(f"{x}.detach()" if draw(st.booleans()) else f"{x}.data")
    if kind == "expand":
        return draw_expand(draw, x, value)
    if kind in ("t", "mT", "flatten"):
        return ViewStep(f"{x}.{kind}()" if kind != "mT" else f"{x}.mT")
    if kind == "permute":
        order = draw(st.permutations(range(ndim)))
        return ViewStep(f"{x}.permute({programs.sizes_text(order)})")
    if kind == "diagonal":
        offset = draw(st.integers(-1, 1))
        first, second = programs.any_dim(draw, value), programs.any_dim(draw, value)
        return ViewStep(f"{x}.diagonal({offset}, {first}, {second})")
    return draw_view_along_a_dim(draw, x, value, kind)


def draw_slice(draw, x, value):
    if value.dim() == 0:
        return ViewStep(f"{x}[...]")
    index = programs.draw_basic_index(draw, value)
    # ember makes one node of a basic index, torch one per part (as in draw_indexing)
    parts = [part for part in index.split(", ") if part not in (":", "...")]
    return ViewStep(f"{x}[{index}]", graph_checked=len(parts) < 2)


def draw_expand(draw, x, value):
    """Mostly an expand that stretches nothing (writable); now and then one that does."""
    if usually(draw, 3):
        sizes = [-1] * value.dim()
        if draw(st.booleans()) or not sizes:
            sizes.insert(0, 1)
    else:
        sizes = [2, *[draw(st.sampled_from([-1, 2])) if s == 1 else -1 for s in value.shape]]
    return ViewStep(f"{x}.expand({programs.sizes_text(sizes)})")


def draw_view_along_a_dim(draw, x, value, kind):
    dim = programs.any_dim(draw, value)
    size = value.shape[dim]
    if kind == "transpose":
        return ViewStep(f"{x}.transpose({dim}, {programs.any_dim(draw, value)})")
    if kind == "movedim":
        return ViewStep(f"{x}.movedim({dim}, {programs.any_dim(draw, value)})")
    if kind == "split":
        piece = draw(st.integers(1, max(1, size)))
        count = max(1, -(-size // piece))
        return ViewStep(f"{x}.split({piece}, {dim})[{draw(st.integers(-count, count - 1))}]")
    if kind == "chunk":
        chunks = draw(st.integers(1, 3))
        count = len(value.chunk(chunks, dim))
        piece = draw(st.integers(0, max(0, count - 1)))
        return ViewStep(f"{x}.chunk({chunks}, {dim})[{piece}]")
    if kind == "narrow":
        start = draw(st.integers(-size, size)) if size else 0
        length = draw(st.integers(0, size - start % size if size and start < size else 0))
        return ViewStep(f"{x}.narrow({dim}, {start}, {length})")
    if size == 0:
        return ViewStep(f"{x}[...]")
    position = draw(st.integers(-size, size - 1))
    if kind == "unbind":
        return ViewStep(f"{x}.unbind({dim})[{position}]")
    if kind == "int":
        return ViewStep(f"{x}[{position}]")
    return ViewStep(f"{x}[{':, ' * (dim % value.dim())}{position}]")  # select: see the end


def draw_fresh(draw, values, i):
    """A tensor without grad, to write into: zeros, ones, an arange, a copy."""
    value = values[i]
    shape = programs.sizes_text(tuple(value.shape))
    dtype = str(value.dtype).split(".")[-1]
    arange_shape = "[]" if shape == "()" else shape
    forms = [f"t.zeros({shape}, dtype=t.{dtype})", f"t.ones_like(v[{i}])"]
    forms += [f"v[{i}].detach().clone()", f"v[{i}] * 1", f"v[{i}].clone()"]
    forms += [f"t.arange({value.numel()}.0).reshape({arange_shape}).to(t.{dtype})"]
    return Step(draw(st.sampled_from(forms)))


# ---------------------------------------------------------------- writes


def draw_write(draw, values, i):
    """An in-place write into v[i] (often a view); now and then under no_grad, as the
    book's SGD updates its parameters."""
    step = apart(draw_recorded_write(draw, values, i), values, i)
    if usually(draw, 5):
        return step
    if step.write:
        return dataclasses.replace(step, write=f"with t.no_grad(): {step.write}")
    return Step(f"v[{i}]", write=f"with t.no_grad(): {step.value}", exact=step.exact)


def draw_recorded_write(draw, values, i):
    x, value = f"v[{i}]", values[i]
    number = draw(st.sampled_from(NUMBERS))
    kinds = ["copy", "copy", "arithmetic", "arithmetic", "basic index", "advanced index"]
    kinds += ["masked_fill", "scatter", "scatter_reduce", "zero", "fill", "clamp", "neg"]
    kind = draw(st.sampled_from(kinds))
    if kind == "copy":
        detach = "" if usually(draw, 4) else ".detach()"
        # torch names copy_'s node CopyBackwards, ember CopySlices (documented)
        return with_operand(draw, values, lambda y: Step(f"{x}.copy_({y}{detach})"))
    if kind == "arithmetic":
        return draw_arithmetic_write(draw, values, i, number)
    if kind in ("basic index", "advanced index"):
        index = draw_write_index(draw, value) if kind == "advanced index" else "..."
        if kind == "basic index" and value.dim():
            index = programs.draw_basic_index(draw, value)
        if draw(st.booleans()):
            return Step(x, write=f"{x}[{index}] = {number}")
        cast = f".to({x}.dtype)" if kind == "advanced index" else ""  # ember casts (documented)
        return with_operand(draw, values, lambda y: Step(x, write=f"{x}[{index}] = {y}{cast}"))
    if kind == "masked_fill":
        return draw_masked_fill(draw, values, i, number)
    if kind in ("scatter", "scatter_reduce"):
        return draw_scatter(draw, values, i, kind, number)
    if kind == "fill":
        scalars = [j for j, other in enumerate(values) if other.dim() == 0]
        if scalars and draw(st.booleans()):
            number = f"v[{draw(st.sampled_from(scalars))}]"
        return Step(f"{x}.fill_({number})", graph_checked=False)
    if kind == "clamp":
        low = draw(st.sampled_from(["-1.0", "-0.5", "None"]))
        high = draw(st.sampled_from(["1.0", "0.5", "2"] + ([] if low == "None" else ["None"])))
        return Step(f"{x}.clamp_({low}, {high})", graph_checked=False)
    # zero_ or neg_ (other in-place unary ops save a copy of their input in ember, where
    # PyTorch saves the tensor itself: documented)
    return Step(f"{x}.{kind}_()", graph_checked=False)


def draw_arithmetic_write(draw, values, i, number):
    x = f"v[{i}]"
    name = draw(st.sampled_from(["add_", "mul_", "sub_", "div_", "+=", "*="]))
    if name.endswith("="):
        if draw(st.booleans()):
            return Step(x, write=f"{x} {name} {number}")
        return with_operand(draw, values, lambda y: Step(x, write=f"{x} {name} {y}"))
    if draw(st.booleans()):
        return Step(f"{x}.{name}({number})")

    def step_for(j):
        other = f"v[{j}]"
        if name == "div_":
            other = programs.away_from_zero(other, values[j])
        return Step(f"{x}.{name}({other})")

    return step_for(pick_operand(draw, values, step_for))


def draw_write_index(draw, value):
    """Positions, a mask (MASK, which ``apart`` writes out), a bool, or positions past the
    end of an empty result."""
    if not value.dim():
        return draw(st.sampled_from(["False", "True", "MASK"]))
    choice = draw(st.sampled_from(["positions", "mask", "bool", "columns", "empty"]))
    if choice == "positions" and value.shape[0]:
        return programs.draw_index_tensor(draw, value.shape[0])
    if choice == "bool":
        return draw(st.sampled_from(["False", "True"]))
    if choice == "columns" and value.dim() >= 2 and value.shape[1]:
        return f":, {programs.draw_index_tensor(draw, value.shape[1])}"
    if choice == "empty" and value.dim() >= 2:  # nothing read: the positions are not checked
        return f"{value.shape[0]}:, t.tensor([{value.shape[1] + 3}])"
    return "MASK"


def draw_masked_fill(draw, values, i, number):
    x = f"v[{i}]"
    scalars = [j for j, other in enumerate(values) if other.dim() == 0]
    form = draw(st.sampled_from(["own mask", "0-d value", "other mask"]))
    if form == "own mask" or (form == "0-d value" and not scalars):
        return Step(f"{x}.masked_fill_({x} > 0, {number})")
    if form == "0-d value":
        return Step(f"{x}.masked_fill_({x} < 0.5, v[{draw(st.sampled_from(scalars))}])")
    return with_operand(draw, values, lambda y: Step(f"{x}.masked_fill_({y} > 0, {number})"))


def draw_scatter(draw, values, i, kind, number):
    x, value = f"v[{i}]", values[i]
    if value.dim() == 0 or not value.numel():
        return Step(f"{x}.zero_()", graph_checked=False)
    dim = programs.any_dim(draw, value)
    size = value.shape[dim]
    index_shape = [draw(st.integers(1, side)) for side in value.shape]
    rng = np.random.default_rng(draw(st.integers(0, 1000)))
    if kind == "scatter":  # no two writes to one place: PyTorch does not say which one wins
        index_shape[dim] = min(index_shape[dim], size)
        order = np.argsort(rng.random([*index_shape[:dim], size, *index_shape[dim + 1 :]]), dim)
        positions = np.take(order, range(index_shape[dim]), axis=dim)
    else:
        positions = rng.integers(0, size, index_shape)
    index = f"t.tensor({positions.tolist()})"
    if kind == "scatter":
        form = draw(st.sampled_from(["src", "add", "number", "value", "reduce"]))
        if form in ("number", "value"):
            return Step(f"{x}.scatter_({dim}, {index}, {'value=' * (form == 'value')}{number})")
        if form == "reduce":  # no gradient in either library
            reduce = draw(st.sampled_from(["add", "multiply"]))
            return Step(f"{x}.scatter_({dim}, {index}, {number}, reduce='{reduce}')")
        name = "scatter_add_" if form == "add" else "scatter_"
        return with_operand(
            draw, values, lambda y: Step(f"{x}.{name}({dim}, {index}, {y})"), index_shape
        )
    reduce = draw(st.sampled_from(["sum", "prod", "mean", "amax", "amin"]))
    include_self = draw(st.booleans())
    options = f"'{reduce}', include_self={include_self}"
    return with_operand(
        draw,
        values,
        lambda y: Step(f"{x}.scatter_reduce_({dim}, {index}, {y}, {options})", exact=False),
        index_shape,
    )


def with_operand(draw, values, step_for_text, index_shape=None):
    """The step for an operand v[j] drawn as ``pick_operand`` draws it; for a scatter, cut
    to the index's shape (``scatter_source``)."""

    def step_for(j):
        text = f"v[{j}]" if index_shape is None else scatter_source(values, j, index_shape)
        return step_for_text(text)

    return step_for(pick_operand(draw, values, step_for))


def pick_operand(draw, values, step_for):
    """Mostly an operand that fits and requires grad (so that the write gives its target
    history), else as ``pick_other`` picks."""
    with_grad = [j for j, value in enumerate(values) if value.requires_grad]
    fitting = [j for j in with_grad if programs.fits(step_for(j), values)]
    if fitting and usually(draw, 2):
        return draw(st.sampled_from(fitting))
    return programs.pick_other(draw, values, step_for)


def scatter_source(values, j, index_shape):
    """v[j] as a scatter's src: cut to the index's shape where it is larger (a src larger
    than the index is documented); one of other dims, or 0-d, as its sum spread over the
    index's shape (ember's differences there are noted at the end)."""
    value = values[j]
    if value.dim() != len(index_shape) or any(a < b for a, b in zip(value.shape, index_shape)):
        return f"v[{j}].sum().expand({programs.sizes_text(index_shape)}).clone()"
    if tuple(value.shape) == tuple(index_shape):
        return f"v[{j}]"
    return f"v[{j}][{', '.join(f':{size}' for size in index_shape)}]"


def apart(step, values, i):
    """The write with each operand that shares v[i]'s memory cloned first: NumPy reads an
    overlapping operand as if copied first, PyTorch in its own order (documented)."""

    def cloned(text):
        for k in set(map(int, programs.REFERENCE.findall(text))):
            if k == i or programs.shares_memory(values[k], values[i]):
                text = re.sub(rf"v\[{k}\](?!\.clone)", f"v[{k}].clone()", text)
        return text

    step = dataclasses.replace(step, write=step.write.replace("MASK", f"v[{i}] > 0"))
    if step.write:
        target, operator, operands = re.split(r"( [+*]?= )", step.write, maxsplit=1)
        return dataclasses.replace(step, write=target + operator + cloned(operands))
    method, operands = step.value.split("(", 1)
    return dataclasses.replace(step, value=f"{method}({cloned(operands)}")


# ---------------------------------------------------------------- other steps


def draw_read(draw, values, i):
    """An everyday step of the first pass: math, reductions, indexing, movement."""
    drawers = [programs.draw_unary, programs.draw_arithmetic, programs.draw_reduction]
    drawers += [programs.draw_combination, programs.draw_indexing, programs.draw_movement]
    return draw(st.sampled_from(drawers))(draw, values, i)


def draw_activation(draw, values, i):
    forms = ["gelu({x})", "gelu({x}, approximate='tanh')", "leaky_relu({x}, 0.1)", "elu({x})"]
    forms += ["prelu({x}, t.tensor([0.25], dtype={x}.dtype))"]
    form = "t.nn.functional." + draw(st.sampled_from(forms))
    return Step(form.format(x=f"v[{i}]"), exact=False)  # float32 erf is not PyTorch's


def draw_unique(draw, values, i):
    """unique of a tensor without grad, flat or along dim 0 (along another dim ember lays
    its result out otherwise: noted at the end)."""
    options = draw(st.sampled_from(["", ", return_inverse=True", ", return_counts=True"]))
    dim = ", dim=0" if values[i].dim() and draw(st.booleans()) else ""
    return Step(f"t.unique(v[{i}].detach(){dim}{options}){'[0]' * bool(options)}")


DRAWERS = [draw_write] * 6 + [draw_view] * 6 + [draw_fresh] * 2 + [draw_read] * 3
DRAWERS += [draw_activation, draw_unique]


# ---------------------------------------------------------------- drawing programs


@st.composite
def view_programs(draw):
    """A program as ``programs.programs`` draws one, from these drawers, run in torch as it
    is drawn; a step that meets a documented difference ends it (see the module's doc)."""
    leaves = draw(programs.leaves())
    values = [leaf.make(torch) for leaf in leaves]
    exact_now = [leaf.dtype == "float16" for leaf in leaves]
    exact_when_made = list(exact_now)
    steps, renamed = [], []  # renamed: torch's nodes that ember names otherwise
    for _ in range(draw(st.integers(2, 12))):
        drawer, i = draw_drawer_and_value(draw, values, steps, len(leaves))
        try:
            step = drawer(draw, values, i)
        except RuntimeError:  # torch refuses to read a piece of split whose base changed
            break
        if drawer is draw_write and refused_only_by_torch(leaves, steps, step, values[i]):
            break
        before = [value.requires_grad for value in values]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                programs.run_step(step, values)
        except Exception as error:  # noqa: BLE001 - the run compares the errors
            if not documented_refusal(error, values[i]):
                steps.append(step)
            break
        if leaves_stale_views(steps, len(leaves), i, before, values) or unreadable(values):
            break
        if renames(step):
            renamed.append(values[-1].grad_fn)
        if renames(step) or lists_a_renamed_node(values[-1], renamed):
            step = dataclasses.replace(step, graph_checked=False)
        steps.append(step)
        mark_read_only(step, values)
        exact_when_made.append(programs.follow_exactness(step, values, exact_now))
    if not steps:
        steps.append(Step("v[0].clone()"))
        values.append(values[0].clone())
        exact_when_made.append(programs.follow_exactness(steps[-1], values, exact_now))
    last = len(leaves) + len(steps) - 1
    others = draw(st.lists(st.integers(0, last), max_size=3, unique=True))
    exact = tuple(exact_when_made), tuple(exact_now)
    return programs.Program(
        leaves, tuple(steps), tuple(sorted({last, *others})), draw(st.booleans()), *exact
    )


def draw_drawer_and_value(draw, values, steps, first):
    """A drawer and the value it works on: views mostly of values without grad, writes
    mostly where torch takes them and where they leave no stale view behind."""
    drawer = draw(st.sampled_from(DRAWERS))
    i = draw(st.integers(0, len(values) - 1))
    without_grad = [k for k, value in enumerate(values) if not value.requires_grad]
    if drawer is draw_view and without_grad and usually(draw, 1):
        return drawer, draw(st.sampled_from(without_grad))
    if drawer is not draw_write:
        return drawer, i
    writable = [k for k, value in enumerate(values) if not read_only(value)]
    if usually(draw, 7):
        writable = [k for k in writable if not of_a_leaf_with_grad(values[k])]
    if usually(draw, 3):
        writable = [k for k in writable if not others_sharing(values, steps, first, k)]
    views = [k for k in writable if values[k]._base is not None]
    if usually(draw, 1):  # a view without grad: the write may give its base history
        views = [k for k in views if not values[k].requires_grad] or views
    if views and usually(draw, 3):
        return drawer, draw(st.sampled_from(views))
    if writable:
        return drawer, draw(st.sampled_from(writable))
    return draw_fresh, i


def replay(leaves, steps):
    """The steps run afresh as ``programs.run`` runs them: it reads each new value's
    grad_fn and no other, and PyTorch regenerates a view's grad_fn only when it is read."""
    values = [leaf.make(torch) for leaf in leaves]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for step in steps:
            programs.run_step(step, values)
            programs.graph_of(values[-1])


def refused_only_by_torch(leaves, steps, step, target):
    """Whether the write, run as the comparison runs it, meets a documented refusal."""
    try:
        replay(leaves, [*steps, step])
    except Exception as error:  # noqa: BLE001 - which error is the question
        return documented_refusal(error, target)
    return False


def documented_refusal(error, target):
    """A write into an expanded tensor (ember refuses), through a piece of split or unbind
    (torch refuses), or torch's own quirk: a view whose base took history through another
    view is called a leaf by an in-place op until its grad_fn is read."""
    text = str(error)
    if "single memory location" in text or "multiple views" in text:
        return True
    return (
        "a leaf Variable" in text and target._base is not None and not of_a_leaf_with_grad(target)
    )


def ancestors(steps, first, k):
    """v[k] and the values it was taken from by view steps."""
    chain = {k}
    while k >= first and isinstance(steps[k - first], ViewStep):
        k = steps[k - first].references()[0]
        chain.add(k)
    return chain


def leaves_stale_views(steps, first, i, before, values):
    """Whether a value that did not require grad does now, though it is neither the written
    value nor a view it was taken through (a view that took no history, documented)."""
    written = ancestors(steps, first, i) | {len(values) - 1}
    changed = [k for k, was in enumerate(before) if not was and values[k].requires_grad]
    return any(k not in written for k in changed)


def others_sharing(values, steps, first, k):
    """Values without grad that share v[k]'s memory but are no view it was taken through."""
    chain = ancestors(steps, first, k)
    return [
        j
        for j, value in enumerate(values)
        if j not in chain and not value.requires_grad and programs.shares_memory(value, values[k])
    ]


def unreadable(values):
    """Whether torch refuses to read a value: a piece of split or unbind whose base changed
    in place (ember takes such writes, documented)."""
    try:
        for value in values:
            programs.record(value), value.grad_fn
    except RuntimeError:
        return True
    return False


def of_a_leaf_with_grad(value):
    base = value if value._base is None else value._base
    return base.is_leaf and base.requires_grad


def overlapping(value):
    return any(stride == 0 and size > 1 for stride, size in zip(value.stride(), value.shape))


def read_only(value):
    """Ember refuses writes into an expanded tensor and views of one (documented)."""
    return getattr(value, "expanded", False) or overlapping(value)


def mark_read_only(step, values):
    made = values[-1]
    if overlapping(made) or any(
        read_only(values[k]) and programs.shares_memory(values[k], made) for k in step.references()
    ):
        made.expanded = True


RENAMING = (".split(", ".chunk(", ".unbind(", ".zero_()", ".clamp_(", ".neg_()")


def renames(step):
    """Split and unbind pieces, and in-place ops that ember records as CopySlices."""
    return any(mark in step.value or mark in step.write for mark in RENAMING)


def lists_a_renamed_node(value, renamed):
    node = value.grad_fn
    if node is None:
        return False
    nodes = [node, *[entry for entry, _ in node.next_functions]]
    return any(a is b for a in nodes for b in renamed)


# ---------------------------------------------------------------- comparing


def compare_views(program):
    ember_outcome, torch_outcome = programs.run(ember, program), programs.run(torch, program)
    if refused_over_a_saved_scatter_result(ember_outcome, torch_outcome, program):
        return
    programs.compare(program)
    if torch_outcome.error is not None:
        return
    text = program.source()
    # torch's matmul of a 1-d and a 2-d tensor squeezes its result in place (version 1);
    # relu, clamp, maximum and kin keep -0. in torch, not always in ember (noted at the end)
    versions = "@" not in text
    zeros = not any(name in text for name in ("relu", "clamp", "max", "min", "where"))
    ember_states, torch_states = states(ember_outcome), states(torch_outcome)
    for k, (state, expected) in enumerate(zip(ember_states, torch_states)):
        mask = (True, versions, True, True, zeros)
        state, expected = (
            [item for item, kept in zip(row, mask) if kept] for row in (state, expected)
        )
        assert state == expected, (
            f"v[{k}] (is_leaf, _version, requires_grad, has grad_fn, signs of zeros): "
            f"ember {state}, torch {expected}\n{text}"
        )


def refused_over_a_saved_scatter_result(ember_outcome, torch_outcome, program):
    """torch's scatter_reduce saves its result for every reduction, ember for prod, amax and
    amin out of place only: a later write is refused at backward by torch alone."""
    return (
        ember_outcome.error is None
        and torch_outcome.failed_at == "backward"
        and "modified by an inplace" in str(torch_outcome.error)
        and "scatter_reduce" in program.source()
    )


def states(outcome):
    rows = []
    for value in outcome.values:
        data = value.detach().numpy()
        zeros = tuple(np.signbit(data[data == 0]).tolist()) if data.dtype.kind == "f" else ()
        rows.append(
            (value.is_leaf, value._version, value.requires_grad, bool(value.grad_fn), zeros)
        )
    return rows


@random_settings(EXAMPLES)
@given(program=view_programs())
def test_random_view_programs_match_torch(program):
    compare_views(program)


# ---------------------------------------------------------------- found by the programs


def both(scenario):
    """The scenario's result in ember and in torch, or the builtin type of its error."""
    results = []
    for library in (ember, torch):
        try:
            results.append(scenario(library))
        except Exception as error:  # noqa: BLE001 - the kind of error is compared
            results.append(builtin_base(type(error)).__name__)
    return results


def state_of(tensor):
    values = tensor.detach().reshape(-1).tolist()
    return values, tensor.requires_grad, tensor.is_leaf, tensor._version


# An in-place write through an empty view (h[:0].add_(1)) writes nothing and gives the base
# a CopySlices node, as in PyTorch: ember refused it ("cannot follow this in-place write").
EMPTY_VIEW_WRITES = {
    "add_": lambda t, h, w: h[:0].add_(1),
    "mul_by_a_tensor": lambda t, h, w: h[3:].mul_(w[:0]),
    "copy_": lambda t, h, w: h.narrow(0, 1, 0).copy_(w[:0]),
    "setitem": lambda t, h, w: h[2:2].__setitem__(Ellipsis, w[:0]),
    "masked_fill_": lambda t, h, w: h[:0].masked_fill_(h[:0] > 0, w[0]),
    "zero_": lambda t, h, w: h[1:1].zero_(),
}


@pytest.mark.parametrize("name", EMPTY_VIEW_WRITES)
@pytest.mark.parametrize("base", ["with_grad", "without_grad"])
def test_a_write_through_an_empty_view_is_taken_as_in_torch(name, base):
    def scenario(t):
        w = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
        h = w * 2 if base == "with_grad" else t.zeros(3)
        EMPTY_VIEW_WRITES[name](t, h, w)
        grad_fn = programs.node_name(h.grad_fn)
        if h.requires_grad:
            (h * t.tensor([1.0, 2.0, 3.0])).sum().backward()
        grad = None if w.grad is None else w.grad.tolist()
        return state_of(h), grad_fn, grad

    ember_result, torch_result = both(scenario)
    assert ember_result == torch_result


# Found by this pass and left to the files that hold them (the drawing steps around them):
# - ember has no Tensor.select(dim, index) (movement, tensor_methods): select is drawn as
#   an index, x[:, i];
# - scatter, scatter_add and scatter_reduce of a 0-d src: ember's backward raises
#   IndexError (gathering.py, _padded), where PyTorch's gives the src its gradient;
# - a scatter whose index (of self's dims) has more dims than its src: PyTorch's IndexError
#   ("Dimension out of range"), ember's RuntimeError (gathering.py, _scatter_arguments);
# - unique(dim=d) for d other than 0: PyTorch's result has dim d's strides moved (not
#   contiguous), ember's is contiguous, so reshape and view of it differ (sorting.py);
# - grad_fn names of split/chunk and unbind pieces (SliceBackward0 and SelectBackward0
#   where PyTorch says SplitBackward0 and UnbindBackward0);
# - relu, clamp(min=0), clamp_min(0) and clamp(max=0) of -0. give +0. in float32 and float64
#   (NumPy's maximum and clip), where PyTorch keeps -0.; float16 maximum(-0., 0.) gives -0.
#   where PyTorch gives +0. (unary_math.py Relu, selection.py);
# - PyTorch's scatter_reduce saves its result for every reduction, so a later in-place
#   write is refused at backward; ember needs and saves it for prod, amax and amin out of
#   place only, and gives the gradient of the values at forward time.
