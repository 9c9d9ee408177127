"""Random programs of the fourteenth day's index writes and numeric statistics (the eighth
pass), run in ember and in PyTorch.

The programs, leaves and comparison of ``test_random_programs_seventh.py`` over other
steps. Leaves are float64, float32, float16, int64, int32 or bool, of 0-3 dims whose sizes
may be 0 or 1. Steps are the index writes (index_add with alpha, index_copy, index_fill of a
number or a 0-d tensor, masked_scatter, take, put and index_put with and without
accumulate, fill_diagonal_ with wrap), as functions, methods and in-place forms; written
into a fresh copy, into a value itself (a leaf that requires grad, whose write PyTorch
refuses, or a value other values view, whose version moves with it) or through a view of it
(transposed, sliced); with int64, int32, 0-d, 2-d and empty indices, negative and
out-of-range positions, repeated positions, and operands that do not fit. And the numeric
statistics: cov with correction, fweights and aweights, corrcoef, histogram with a number
of bins or their edges, range, weight and density, trapezoid, trapz and
cumulative_trapezoid with x, dx and dim, gradient with a spacing (a number, one per dim, or
coordinates), dim and edge_order, renorm and renorm_. Mixed with NaN and infinities put
into values, casts, arithmetic, unary ops, movement and indexing. Everything
``compare_seventh`` compares is compared: values within the tolerance of the least precise
dtype, dtypes, shapes, requires_grad, grad_fn names and next_functions, the exception type
at a step or at backward, the gradients of a loss with random weights, and every value's
``is_leaf``, ``_version`` and ``is_contiguous()``. Each op, in a form that reads its
float64 leaf through a curved op first, takes a second derivative too
(``test_second_derivatives_of_random_programs``, random leaves and weights).

The drawing leaves out what docs/differences.md lists: fill_diagonal_'s and index_put_'s
writes into expanded tensors, fill_diagonal_'s node (IndexPutBackward0, PyTorch:
CopySlices) and its version after a wrap, index_put values with more leading dims than
the places indexed, uint8 masks, the gradient of index_fill's value tensor at negative
positions (PyTorch fails), float16 histograms over 4,096 to a bin, trapezoid(y, None),
trapezoid's last node's name (``...0`` where PyTorch's is ``...1``; gradient's, too);
in-place writes named CopySlices (no graph check), writes through operands that overlap
the target, or giving a base history its earlier views do not take. It leaves out, too,
what this pass noted and left (at the end of the file). The differences found and fixed
are pinned there.

``EMBER_RANDOM_PROGRAMS=3000`` runs more programs than the suite's default.
"""

import dataclasses
import os
import warnings

import numpy as np
import pytest
import test_random_programs as programs
import test_random_programs_seventh as seventh
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from oracle import builtin_base, random_settings

import ember

EXAMPLES = int(os.environ.get("EMBER_RANDOM_PROGRAMS", "100"))
Step = seventh.Step
one_of, usually, any_dim = seventh.one_of, seventh.usually, seventh.any_dim
dtype_text, size_along, operand, misfit = (
    seventh.dtype_text,
    seventh.size_along,
    seventh.operand,
    seventh.misfit,
)


def evaluated(text, drawing):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return eval(text, {"t": torch, "v": drawing.values})


# ---------------------------------------------------------------- written tensors


def copy_of(text, value):
    return f"{text}.clone()" if value.dtype == torch.bool else f"({text} * 1)"


def written(draw, drawing, i, expanded=True):
    """Text for the tensor an in-place op writes into, and torch's value: v[i] itself (a
    leaf that requires grad is refused in both; an expanded tensor, refused in both, but by
    the ops that do not take one: ``expanded=False``), a view of it, or a copy of either."""
    x, value = f"v[{i}]", drawing.values[i]
    if value.dim() >= 1 and usually(draw, 1):
        views = [f"{x}[1:]", f"{x}[..., ::2]", f"{x}.transpose(0, -1)", f"{x}[:, None]"]
        if value.dim() >= 2:
            views += [f"{x}.transpose(-1, -2)", f"{x}[:, 1:]"]
        if value.dim() == 2:
            views.append(f"{x}.t()")
        x = one_of(draw, views)
        value = evaluated(x, drawing)
    overlapping = 0 in value.stride() and value.numel() > 1
    if usually(draw, 2) or (overlapping and not expanded):
        # mostly a fresh copy: a leaf's write ends the program. Writes into expanded tensors
        # by fill_diagonal_ and index_put_ (documented) and index_fill_ (noted at the end)
        # are left out.
        return copy_of(x, value), evaluated(copy_of(x, value), drawing)
    return x, value


def write_left_out(drawing, target, operands):
    """Whether writing ``operands`` into ``target`` is left out: they share memory, or the
    write gives history to a base whose other views were taken before (documented)."""
    if seventh.overlapping(drawing, target, operands):
        return True
    if not seventh.gains_history(drawing, target, operands):
        return False
    reads = {int(k) for k in programs.REFERENCE.findall(target)}
    values = drawing.values
    return any(
        programs.shares_memory(values[k], other)
        for k in reads
        for m, other in enumerate(values)
        if m not in reads
    )


def in_place_step(draw, drawing, target, call, operands, fails=False, **options):
    """``target.call`` as a step (CopySlices in ember through a view: no graph check); into
    a copy where it ``fails`` partway (PyTorch writes the positions before a bad one)."""
    if fails or write_left_out(drawing, target, operands):
        target = f"{target}.clone()"
    return Step(f"{target}.{call}", graph_checked=False, layout_checked=False, **options)


# ---------------------------------------------------------------- indices


def positions_text(draw, size, count, negatives=True):
    """``count`` positions for a dim of ``size``: in range (negative now and then), but
    one time in twelve one past either end."""
    low = -size if negatives and not usually(draw, 2) else 0
    if not size:
        low, high = 0, 0
    else:
        high = size - 1
    positions = [draw(st.integers(min(low, high), high)) for _ in range(count)]
    if positions and not usually(draw, 11):
        positions[draw(st.integers(0, count - 1))] = one_of(draw, [size, -size - 1])
    return positions


def out_of_range(positions, size):
    return any(not -size <= position < size for position in positions)


def index_text(draw, positions, allow_0d=True):
    """An index tensor of ``positions``: int64 mostly, int32 or float now and then; 0-d
    where it is one position, now and then."""
    dtype = "t.int64" if usually(draw, 7) else one_of(draw, ["t.int32", "t.float32"])
    data = positions
    if len(positions) == 1 and allow_0d and not usually(draw, 2):
        data = positions[0]
    elif len(positions) == 2 and not usually(draw, 7):
        data = [positions]  # 2-d
    return f"t.tensor({data}, dtype={dtype})"


def mostly_dtype(draw, value):
    """The value's dtype, but one time in twelve another one (refused)."""
    if usually(draw, 11):
        return value.dtype
    return one_of(draw, [torch.float32, torch.int64, torch.bool])


def alpha_text(draw, value):
    if value.is_floating_point():
        return one_of(draw, ["1", "2", "-0.5", "0", "1.5"])
    return one_of(draw, ["1", "2", "-1", "0", "1", "1.5"])


# ---------------------------------------------------------------- index writes


def draw_along(draw, drawing, i):
    """index_add, index_copy or index_fill of v[i] along a dim."""
    kind = one_of(draw, ["index_add", "index_copy", "index_fill"])
    form = one_of(draw, ["function", "method", "in place", "in place"])
    if form == "in place":
        x, value = written(draw, drawing, i, expanded=kind != "index_fill")
    else:
        x, value = f"v[{i}]", drawing.values[i]
    dim = any_dim(draw, value)
    size = size_along(value, dim)
    # (PyTorch's backward of other than one slice of a 0-d input fails: noted at the end)
    count = draw(st.integers(0, 3)) if value.dim() else 1
    positions = positions_text(draw, size, count, negatives=kind == "index_fill")
    index = index_text(draw, positions)
    if kind == "index_fill":
        return fill_along(draw, drawing, x, value, dim, index, positions, form, size)
    shape = list(value.shape) or [1]
    axis = dim % max(value.dim(), 1)
    shape[axis] = count
    if not value.dim() and usually(draw, 1):
        shape = [] if count == 1 else shape
    source = operand(draw, drawing, misfit(draw, tuple(shape)), value.dtype)
    if not usually(draw, 11):  # of another dtype: refused
        other = one_of(draw, [torch.float32, torch.int64])
        source = operand(draw, drawing, tuple(shape), other)
    options = ""
    if kind == "index_add" and draw(st.booleans()):
        options = f", alpha={alpha_text(draw, value)}"
    call = f"{kind}({dim}, {index}, {source}{options})"
    settles = kind == "index_copy"
    if form == "in place":
        call = call.replace(f"{kind}(", f"{kind}_(", 1)
        fails = out_of_range(positions, size)
        return in_place_step(draw, drawing, x, call, source, fails, settles=settles)
    if form == "method":
        return Step(f"{x}.{call}", settles=settles)
    return Step(f"t.{call.replace('(', f'({x}, ', 1)}", settles=settles)


def fill_along(draw, drawing, x, value, dim, index, positions, form, size):
    number = one_of(draw, ["1.5", "-2", "0", "True", "float('nan')", "tensor"])
    if not value.is_floating_point() and number == "float('nan')":
        number = "-2"
    if number == "tensor":
        j = draw(st.integers(0, len(drawing.values) - 1))
        other = drawing.values[j]
        number = f"v[{j}].reshape(-1)[0]" if other.numel() else f"v[{j}].sum()"
        if not usually(draw, 7):
            number = f"v[{j}].reshape(-1)[:2]"  # not 0-d: refused
        if programs.requires_grad(other) and any(p < 0 for p in positions):
            # PyTorch's gradient of the value at negative positions fails (documented)
            number = f"{number}.detach()"
        if form == "in place" and not value.is_floating_point():
            # PyTorch's in-place form gives an integer tensor a gradient, which its backward
            # then refuses to build on (noted at the end)
            number = f"{number}.detach()"
    call = f"index_fill({dim}, {index}, {number})"
    if form == "in place":
        call = call.replace("index_fill(", "index_fill_(", 1)
        fails = out_of_range(positions, size)
        return in_place_step(draw, drawing, x, call, number, fails, settles=True)
    if form == "method":
        return Step(f"{x}.{call}", settles=True)
    return Step(f"t.index_fill({x}, {dim}, {index}, {number})", settles=True)


def draw_masked_scatter(draw, drawing, i):
    form = one_of(draw, ["function", "method", "in place"])
    if form == "in place":
        x, value = written(draw, drawing, i)
    else:
        x, value = f"v[{i}]", drawing.values[i]
    shape = tuple(value.shape)
    if shape and not usually(draw, 2):
        shape = shape[1:] if draw(st.booleans()) else (1,) + shape[1:]  # broadcasts
    mask = operand(draw, drawing, misfit(draw, shape), torch.float64)
    mask = f"({mask} > 0)"
    if not usually(draw, 11):
        mask = f"{mask}.long()"  # refused
    true_count = 0
    if "long" not in mask and fits_text(drawing, f"t.broadcast_tensors({x}, {mask})"):
        true_count = int(evaluated(f"t.broadcast_tensors({x}, {mask})[1]", drawing).sum())
    count = max(true_count + draw(st.integers(-1, 2)), 0)
    source_shape = one_of(draw, [(count,), (1, count), (count, 1)])
    source = operand(draw, drawing, source_shape, mostly_dtype(draw, value))
    if form == "in place":
        call = f"masked_scatter_({mask}, {source})"
        fails = count < true_count  # (PyTorch writes the positions before it runs out)
        return in_place_step(draw, drawing, x, call, mask + source, fails, settles=True)
    if form == "method":
        return Step(f"{x}.masked_scatter({mask}, {source})", settles=True)
    return Step(f"t.masked_scatter({x}, {mask}, {source})", settles=True)


def draw_take_put(draw, drawing, i):
    kind = one_of(draw, ["take", "take", "put", "put_"])
    if kind == "put_":
        x, value = written(draw, drawing, i)
    else:
        x, value = f"v[{i}]", drawing.values[i]
    count = draw(st.integers(0, 4))
    positions = positions_text(draw, value.numel(), count)
    index = index_text(draw, positions)
    if count == 4 and draw(st.booleans()):
        index = f"{index}.reshape(2, 2)"
    if kind == "take":
        return Step(one_of(draw, [f"t.take({x}, {index})", f"{x}.take({index})"]), settles=True)
    source = operand(draw, drawing, misfit(draw, (count,)), mostly_dtype(draw, value))
    accumulate = one_of(draw, ["", ", accumulate=True", ", True", ", accumulate=False"])
    settles = "True" not in accumulate
    if kind == "put_":
        call = f"put_({index}, {source}{accumulate})"
        fails = out_of_range(positions, value.numel())
        return in_place_step(draw, drawing, x, call, source, fails, settles=settles)
    forms = [
        f"t.put({x}, {index}, {source}{accumulate})",
        f"{x}.put({index}, {source}{accumulate})",
    ]
    return Step(one_of(draw, forms), settles=settles)


def draw_index_put(draw, drawing, i):
    """index_put and index_put_ at a tuple of position tensors, or of a mask."""
    form = one_of(draw, ["function", "method", "in place", "in place"])
    if form == "in place":
        x, value = written(draw, drawing, i, expanded=False)
    else:
        x, value = f"v[{i}]", drawing.values[i]
    fails = False
    if value.dim() and usually(draw, 4):
        dims = draw(st.integers(1, value.dim()))
        count = draw(st.integers(0, 3))
        indices = []
        for size in value.shape[:dims]:
            positions = positions_text(draw, size, count)
            fails = fails or out_of_range(positions, size)
            indices.append(index_text(draw, positions, allow_0d=False))
        indices = [item.replace("t.float32", "t.int64") for item in indices]
    else:
        mask = operand(draw, drawing, tuple(value.shape), torch.float64)
        indices = [f"({mask} > 0)"]
    places = (
        evaluated(f"{x}[({', '.join(indices)},)]", drawing) if fits(drawing, x, indices) else None
    )
    shape = () if places is None else tuple(places.shape)
    if shape and draw(st.booleans()):
        shape = shape[draw(st.integers(0, len(shape))) :]  # broadcasts
    values = operand(draw, drawing, misfit(draw, shape), mostly_dtype(draw, value))
    accumulate = one_of(draw, ["", ", accumulate=True", ", True", ", accumulate=False"])
    settles = "True" not in accumulate
    indices_text = f"({', '.join(indices)},)" if usually(draw, 4) else f"[{', '.join(indices)}]"
    if form == "in place":
        call = f"index_put_({indices_text}, {values}{accumulate})"
        return in_place_step(draw, drawing, x, call, values, fails, settles=settles)
    if form == "method":
        return Step(f"{x}.index_put({indices_text}, {values}{accumulate})", settles=settles)
    return Step(f"t.index_put({x}, {indices_text}, {values}{accumulate})", settles=settles)


def fits(drawing, x, indices):
    return fits_text(drawing, f"{x}[({', '.join(indices)},)]")


def fits_text(drawing, text):
    try:
        evaluated(text, drawing)
    except Exception:  # noqa: BLE001 - the step itself will raise
        return False
    return True


def draw_fill_diagonal(draw, drawing, i):
    x, value = written(draw, drawing, i, expanded=False)
    if usually(draw, 3) and value.dim() != 2:
        x = f"{x}.reshape({value.numel()}, 1)" if value.dim() < 2 else x
        x, value = copy_of(x, value), evaluated(copy_of(x, value), drawing)
    number = one_of(draw, ["1.5", "-2", "0", "True", "float('inf')"])
    if not value.is_floating_point() and number == "float('inf')":
        number = "3"
    wrap = one_of(draw, ["", ", wrap=True", ", True", ", wrap=False"])
    # its node is IndexPutBackward0 (PyTorch: CopySlices; documented): no graph check
    return in_place_step(draw, drawing, x, f"fill_diagonal_({number}{wrap})", "", settles=True)


# ---------------------------------------------------------------- numeric statistics


def draw_cov(draw, drawing, i):
    x, value = seventh.prepared(draw, drawing, i, bools=False, dims=(0, 2))
    if not usually(draw, 2):
        return Step(one_of(draw, [f"t.corrcoef({x})", f"{x}.corrcoef()"]))
    observations = value.shape[-1] if value.dim() else 1
    options = []
    if draw(st.booleans()):
        options.append(f"correction={one_of(draw, [0, 1, 2, 1, 0])}")
    if draw(st.booleans()):
        weights = operand(draw, drawing, misfit(draw, (observations,)), torch.int64)
        options.append(f"fweights={weights}.abs()" if usually(draw, 5) else f"fweights={weights}")
    if draw(st.booleans()):
        dtype = value.dtype if value.is_floating_point() else torch.float32
        if not usually(draw, 7):
            dtype = one_of(draw, [torch.float64, torch.float32, torch.int64])
        weights = operand(draw, drawing, misfit(draw, (observations,)), dtype)
        options.append(f"aweights={weights}.abs()" if usually(draw, 5) else f"aweights={weights}")
    if observations == 1:
        # PyTorch's cov of one observation with weights writes into the input (noted at
        # the end)
        options = [option for option in options if "weights" not in option]
    call = ", ".join(options)
    forms = [f"t.cov({x}{', ' if call else ''}{call})", f"{x}.cov({call})"]
    return Step(one_of(draw, forms))


def draw_histogram(draw, drawing, i):
    x, value = seventh.prepared(draw, drawing, i, strict=True, floats=True)
    if value.dtype == torch.float16 and usually(draw, 3):
        x, value = f"{x}.float()", value.float()
    part = one_of(draw, ["[0]", "[1]", ".hist", ".bin_edges"])
    options = []
    if usually(draw, 2):
        bins = str(one_of(draw, [1, 2, 3, 5, 0]))
        if draw(st.booleans()):
            low, high = one_of(draw, [(-1, 1), (-2.5, 0.5), (1, 1), (0, 3), (2, -2)])
            options.append(f"range=({low}, {high})")
    else:
        edges = one_of(draw, [[-1.0, 0.0, 0.5, 2.0], [0.0, 1.0], [-3.0, 3.0, 3.5], [1.0]])
        dtype = dtype_text(value.dtype) if usually(draw, 7) else "t.float64"
        bins = f"t.tensor({edges}, dtype={dtype})"
    if draw(st.booleans()):
        weight = operand(draw, drawing, misfit(draw, tuple(value.shape)), value.dtype)
        options.append(f"weight={weight}")
    if draw(st.booleans()):
        options.append(f"density={draw(st.booleans())}")
    keywords = "".join(f", {option}" for option in options)
    forms = [f"t.histogram({x}, {bins}{keywords}){part}", f"{x}.histogram({bins}{keywords}){part}"]
    if not keywords:
        forms.append(f"t.histogram({x}, bins={bins}){part}")
    return Step(one_of(draw, forms), settles=True)


def draw_trapezoid(draw, drawing, i):
    """trapezoid, trapz or cumulative_trapezoid along a dim, at points, dx apart or 1 apart."""
    name = one_of(draw, ["trapezoid", "trapz", "cumulative_trapezoid"])
    y, value = seventh.prepared(draw, drawing, i)
    dim = any_dim(draw, value)
    size = size_along(value, dim)
    options = []
    how = one_of(draw, ["points", "points", "points everywhere", "dx", "none"])
    if how == "points":
        points = operand(draw, drawing, misfit(draw, (size,)), torch.float64)
        if value.is_floating_point() and usually(draw, 2):
            points = operand(draw, drawing, misfit(draw, (size,)), value.dtype)
        options.append(points if usually(draw, 1) else f"x={points}")
    elif how == "points everywhere":
        shape = tuple(value.shape)
        if shape and draw(st.booleans()):
            shape = shape[1:]  # broadcasts
        points = operand(draw, drawing, misfit(draw, shape), value.dtype)
        options.append(f"x={points}")
    elif how == "dx":
        options.append(f"dx={one_of(draw, ['0.5', '2', '-1.5', '1', 'True'])}")
    if usually(draw, 1):
        options.append(f"dim={dim}")
    arguments = ", ".join([y, *options])
    # the last node is MulBackward0 or DivBackward0 (PyTorch: ...Backward1; documented)
    return Step(f"t.{name}({arguments})", graph_checked=False)


def draw_gradient(draw, drawing, i):
    x, value = seventh.prepared(draw, drawing, i, bools=False)
    edge_order = one_of(draw, [1, 1, 2, 2, 3])
    dims = list(range(value.dim()))
    options = []
    if value.dim() and usually(draw, 1):
        chosen = draw(st.lists(st.sampled_from(dims), min_size=1, max_size=2, unique=True))
        chosen = [d - value.dim() if draw(st.booleans()) else d for d in chosen]
        dim_text = str(chosen[0]) if len(chosen) == 1 and draw(st.booleans()) else str(chosen)
        options.append(f"dim={dim_text}")
        dims = chosen
    count = len(dims)
    how = one_of(draw, ["none", "number", "numbers", "coordinates", "tensor"])
    if how == "number":
        options.append(f"spacing={one_of(draw, ['2.0', '0.5', '-1', '3'])}")
    elif how == "numbers":
        numbers = [one_of(draw, [2.0, 0.5, -1.0, 3]) for _ in range(count)]
        if not usually(draw, 7):
            numbers.append(1.0)  # one too many
        options.append(f"spacing={numbers}")
    elif how == "coordinates":
        lists = [
            f"t.linspace(0, {one_of(draw, [1, 2, 5])}, {size_along(value, d)}, dtype=t.float64)"
            f"{'.square()' if draw(st.booleans()) else ''}"
            for d in dims
        ]
        options.append(f"spacing=[{', '.join(lists)}]")
    elif how == "tensor":
        options.append(f"spacing=t.tensor({one_of(draw, ['2.0', '0.5', '[1.0, 2.0]'])})")
    if usually(draw, 1):
        options.append(f"edge_order={edge_order}")
    part = draw(st.integers(0, max(count - 1, 0)))
    # its quotients by a number are DivBackward0 (PyTorch: DivBackward1), as trapezoid's
    # (documented for trapezoid, noted here for gradient)
    return Step(f"t.gradient({', '.join([x, *options])})[{part}]", graph_checked=False)


def draw_renorm(draw, drawing, i):
    form = one_of(draw, ["function", "method", "in place"])
    if form == "in place":
        x, value = written(draw, drawing, i)
    else:
        x, value = seventh.prepared(draw, drawing, i, dims=(2, 3))
    p = one_of(draw, ["1", "2", "2", "3", "0.5", "float('inf')", "0", "-1"])
    dim = any_dim(draw, value)
    maxnorm = one_of(draw, ["1", "0.5", "5", "0", "-1"])
    call = f"renorm({p}, {dim}, {maxnorm})"
    if form == "in place":
        call = call.replace("renorm(", "renorm_(", 1)
        return in_place_step(draw, drawing, x, call, "")
    if form == "method":
        return Step(f"{x}.{call}")
    return Step(
        one_of(draw, [f"t.renorm({x}, {p}, {dim}, {maxnorm})", f"t.{call[:7]}{x}, {call[7:]}"])
    )


INDEX_WRITES = [draw_along, draw_along, draw_masked_scatter, draw_take_put, draw_take_put]
INDEX_WRITES += [draw_index_put, draw_index_put, draw_fill_diagonal]
STATISTICS = [draw_cov, draw_cov, draw_histogram, draw_trapezoid, draw_trapezoid]
STATISTICS += [draw_gradient, draw_gradient, draw_renorm]
OTHERS = [seventh.draw_special, seventh.draw_arithmetic, seventh.draw_unary]
OTHERS += [seventh.from_programs(programs.draw_movement, True)]
OTHERS += [seventh.from_programs(programs.draw_indexing, True)]
DRAWERS = INDEX_WRITES * 2 + STATISTICS * 2 + OTHERS


# ---------------------------------------------------------------- drawing and comparing


@st.composite
def eighth_programs(draw):
    """A program of the steps above, each run in torch as it is drawn; a step that raises
    ends it (the run compares the errors)."""
    made_leaves = draw(seventh.leaves())
    drawing = seventh.Drawing([leaf.make(torch) for leaf in made_leaves], [True] * len(made_leaves))
    steps, unchecked = [], set()  # values whose node is not compared, or lists one
    for _ in range(draw(st.integers(2, 7))):
        drawer = draw(st.sampled_from(DRAWERS))
        i = draw(st.integers(0, len(drawing.values) - 1))
        step = drawer(draw, drawing, i)
        if unchecked.intersection(step.references()):
            step = dataclasses.replace(step, graph_checked=False)
        steps.append(step)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                programs.run_step(step, drawing.values)
        except Exception:  # noqa: BLE001 - the run compares the errors
            break
        seventh.follow_bits(step, drawing)
        made = len(drawing.values) - 1
        if not step.graph_checked:
            # an in-place step's node is the target's: every value sharing its memory
            unchecked.add(made)
            if programs.writes_in_place(step):
                unchecked.update(
                    k
                    for k, other in enumerate(drawing.values)
                    if programs.shares_memory(other, drawing.values[made])
                )
    last = len(made_leaves) + len(steps) - 1
    others = draw(st.lists(st.integers(0, last), max_size=2, unique=True))
    terms = tuple(sorted({last, *others}))
    return programs.Program(made_leaves, tuple(steps), terms, draw(st.booleans()))


def compare_eighth(program):
    ember_outcome, torch_outcome = (programs.run(library, program) for library in (ember, torch))
    if programs.saves_otherwise(ember_outcome, torch_outcome, program):
        return  # an operand of another dtype: ember saves its cast copy (documented)
    seventh.assert_same_errors(ember_outcome, torch_outcome, program)
    first = len(program.leaves)
    dtypes = {record[1] for record in torch_outcome.made}
    for k, (made, expected) in enumerate(zip(ember_outcome.made, torch_outcome.made)):
        seventh.assert_close(f"v[{k}] when made", made, expected, program, dtypes)
        if k < first or program.steps[k - first].graph_checked:
            graphs = ember_outcome.graphs[k], torch_outcome.graphs[k]
            programs.assert_same_graph(k, *graphs, program)
    values = torch_outcome.values
    laid_out = seventh.made_by(lambda step: not step.layout_checked, program, values)
    # fill_diagonal_ moves the version by one when it wraps (PyTorch: two; documented)
    wrapped = seventh.made_by(
        lambda step: "fill_diagonal_" in step.value and "True)" in step.value, program, values
    )
    for k, (value, expected) in enumerate(zip(ember_outcome.values, torch_outcome.values)):
        record, expected_record = programs.record(value), programs.record(expected)
        seventh.assert_close(f"v[{k}] at the end", record, expected_record, program, dtypes)
        states = [
            seventh.state_of(each, k not in laid_out, k not in wrapped)
            for each in (value, expected)
        ]
        assert states[0] == states[1], (
            f"v[{k}] (is_leaf, is_contiguous, _version): ember {states[0]}, torch {states[1]}"
            f"\n{program.source()}"
        )
    for k, expected in torch_outcome.grads.items():
        grad = ember_outcome.grads[k]
        assert (grad is None) == (expected is None), (
            f"v[{k}].grad: ember {grad!r}, torch {expected!r}\n{program.source()}"
        )
        if expected is not None:
            record, expected_record = programs.record(grad), programs.record(expected)
            seventh.assert_close(f"v[{k}].grad", record, expected_record, program, dtypes)


@random_settings(EXAMPLES)
@given(program=eighth_programs())
def test_random_programs_of_index_writes_and_numeric_statistics(program):
    compare_eighth(program)


# ---------------------------------------------------------------- second derivatives
#
# Each form reads the leaf x (4 x 3, float64) through a curved op first, so that its first
# derivative depends on x; the second derivative is that of the first's weighted sum.

SECOND_ORDER_FORMS = {
    "index_add": lambda t, x: (x * x).index_add(0, t.tensor([2, 0, 2]), x[:3].sin(), alpha=-1.5),
    "index_add_": lambda t, x: (x * 1).index_add_(1, t.tensor([1]), x[:, :1].exp()),
    "index_copy": lambda t, x: x.exp().index_copy(1, t.tensor([2, 0]), (x * x)[:, :2]),
    "index_copy_": lambda t, x: (x * x).index_copy_(0, t.tensor([3, 1]), x[:2].tanh()),
    "index_fill": lambda t, x: (x * x).index_fill(1, t.tensor([0, 2]), (x * x).sum()),
    "index_fill_": lambda t, x: x.sin().index_fill_(0, t.tensor([1, 1]), x[0, 0] ** 3),
    "masked_scatter": lambda t, x: (x * x).masked_scatter(x > 0, x.tanh().flip(0)),
    "masked_scatter_": lambda t, x: (x.exp() * 1).masked_scatter_(x[0] > 0, (x * x).t()),
    "take": lambda t, x: (x * x).take(t.tensor([[0, 5], [11, -1]])),
    "put": lambda t, x: (x * x).put(t.tensor([1, 1, 7]), x[0].sin()),
    "put_accumulating": lambda t, x: (x.exp() * 1).put_(t.tensor([1, -1, 1]), x[1] ** 2, True),
    "index_put": lambda t, x: (x * x).index_put(
        (t.tensor([0, 3]), t.tensor([1, 2])), x[1, :2].cos()
    ),
    "index_put_accumulating": lambda t, x: t.index_put(
        x.sin(), (t.tensor([0, 2, 0]),), (x[1] * x[2]), accumulate=True
    ),
    "index_put_of_a_mask": lambda t, x: (x * 1).index_put_((x > 0.5,), x.max() ** 2),
    "cov": lambda t, x: t.cov(x * x, correction=0, aweights=x[0].abs() + 0.5),
    "cov_with_fweights": lambda t, x: (x * x).t().cov(fweights=t.tensor([1, 2, 1, 3])),
    "corrcoef": lambda t, x: t.corrcoef(x.tanh() + x),
    "trapezoid": lambda t, x: t.trapezoid(x * x, x[:, 0].exp().cumsum(0), dim=0),
    "trapezoid_at_points_everywhere": lambda t, x: t.trapezoid(x.sin(), x.exp().cumsum(1)),
    "trapz": lambda t, x: t.trapz(x * x, dx=0.5),
    "cumulative_trapezoid": lambda t, x: t.cumulative_trapezoid(x.sin(), dx=0.5, dim=0),
    "cumulative_trapezoid_at_points": lambda t, x: t.cumulative_trapezoid(
        x * x, x[0].exp().cumsum(0)
    ),
    "gradient": lambda t, x: t.gradient(x * x, spacing=0.5, dim=1)[0],
    "gradient_of_order_2": lambda t, x: t.gradient(x.sin(), edge_order=2)[1],
    "gradient_at_coordinates": lambda t, x: t.gradient(
        x * x, spacing=[t.tensor([0.0, 0.5, 2.0, 2.5], dtype=t.float64)], dim=0, edge_order=2
    )[0],
    "renorm": lambda t, x: t.renorm(x * x, 2, 0, 1.0),
    "renorm_of_p_1": lambda t, x: x.sin().renorm(1, 1, 0.5),
    "renorm_of_p_3": lambda t, x: (x * x).renorm(3, -1, 0.75),
    "renorm_": lambda t, x: (x.exp() * 1).renorm_(2, 1, 2.0),
}


def second_derivatives(library, form, data, weights):
    x = library.tensor(data, requires_grad=True)
    out = SECOND_ORDER_FORMS[form](library, x)
    loss = (out * library.tensor(weights[: out.numel()].reshape(out.shape))).sum()
    (first,) = library.autograd.grad(loss, x, create_graph=True)
    (first * library.tensor(weights[:12].reshape(4, 3))).sum().backward()
    return first.detach().numpy(), x.grad.numpy()


@settings(max_examples=max(EXAMPLES // 3, 30), deadline=None, derandomize=True, database=None)
@given(
    form=st.sampled_from(sorted(SECOND_ORDER_FORMS)),
    seed=st.integers(0, 2**16),
)
def test_second_derivatives_of_random_programs(form, seed):
    rng = np.random.default_rng(seed)
    data = rng.uniform(-1.5, 1.5, (4, 3)).round(3)
    weights = rng.uniform(-1, 1, 16)
    results = [second_derivatives(library, form, data, weights) for library in (ember, torch)]
    for mine, expected in zip(*results):
        np.testing.assert_allclose(mine, expected, rtol=1e-7, atol=1e-9, err_msg=form)


# ---------------------------------------------------------------- found by this pass


def assert_same_in_both(scenario):
    assert seventh.outcome(scenario, ember) == seventh.outcome(scenario, torch)


# index_add's range error is a RuntimeError where PyTorch adds along the first or last of
# two or more dims with an int64 index and alpha 1, an IndexError on its other paths (of
# 1-d inputs, inner dims, int32 indices, other alphas); an empty input of two or more dims
# reads no index (ember raised a RuntimeError for all but 0-d inputs).
INDEX_ADD_RANGES = {
    "1d": lambda t: t.index_add(t.zeros(3), 0, t.tensor([3]), t.ones(1)),
    "1d_empty": lambda t: t.index_add(t.zeros(0), 0, t.tensor([0]), t.ones(1)),
    "2d_first_dim": lambda t: t.index_add(t.zeros(3, 2), 0, t.tensor([-1]), t.ones(1, 2)),
    "2d_int32": lambda t: t.index_add(t.zeros(3, 2), 1, t.tensor([2], dtype=t.int32), t.ones(3, 1)),
    "3d_middle_dim": lambda t: t.zeros(2, 3, 2).index_add_(1, t.tensor([3]), t.ones(2, 1, 2)),
    "3d_last_dim": lambda t: t.zeros(2, 3, 2).index_add_(2, t.tensor([2]), t.ones(2, 3, 1)),
    "2d_alpha_2": lambda t: t.index_add(t.zeros(3, 2), 1, t.tensor([0, -3]), t.ones(3, 2), alpha=2),
    "2d_alpha_1.0": lambda t: t.index_add(t.zeros(3, 2), 1, t.tensor([2]), t.ones(3, 1), alpha=1.0),
    "2d_alpha_true": lambda t: t.index_add(
        t.zeros(3, 2, dtype=t.bool), 0, t.tensor([3]), t.ones(1, 2, dtype=t.bool), alpha=True
    ),
    "2d_empty": lambda t: t.index_add(t.zeros(2, 0), 1, t.tensor([0]), t.ones(2, 1)),
    "3d_empty": lambda t: t.index_add(t.zeros(0, 2, 2), 1, t.tensor([5]), t.ones(0, 1, 2)),
}


@pytest.mark.parametrize("name", INDEX_ADD_RANGES)
def test_index_add_out_of_range_raises_torchs_type(name):
    assert_same_in_both(INDEX_ADD_RANGES[name])


# Writes into an empty tensor read no index in PyTorch, but index_copy and index_fill fail
# to make a slice of elements along an empty dim (a RuntimeError) where there is a position
# to write (ember raised IndexError for all).
EMPTY_WRITES = {
    "index_copy_along_an_empty_dim": lambda t: t.index_copy(
        t.zeros(0), 0, t.tensor([0]), t.ones(1)
    ),
    "index_copy_along_a_full_dim": lambda t: t.index_copy(
        t.zeros(2, 0), 0, t.tensor([5]), t.ones(1, 0)
    ),
    "index_fill_along_an_empty_dim": lambda t: t.index_fill(t.zeros(2, 0), 1, t.tensor([0]), 1.0),
    "index_fill_along_a_full_dim": lambda t: t.zeros(2, 0).index_fill_(0, t.tensor([5]), 1.0),
    "index_fill_of_empty_slices": lambda t: t.index_fill(
        t.zeros(2, 0, 0), 1, t.tensor([0, 0]), 1.0
    ),
    "index_copy_of_empty_slices": lambda t: t.zeros(0, 0).index_copy_(
        1, t.tensor([0]), t.ones(0, 1)
    ),
    "index_fill_no_position": lambda t: t.index_fill(
        t.zeros(0), 0, t.tensor([], dtype=t.int64), 1.0
    ),
    "index_put_accumulating": lambda t: t.index_put(
        t.zeros(2, 0), (t.tensor([5]),), t.ones(0), accumulate=True
    ),
}


@pytest.mark.parametrize("name", EMPTY_WRITES)
def test_writes_into_an_empty_tensor_check_as_torch_does(name):
    assert_same_in_both(EMPTY_WRITES[name])


# index_put with accumulate into an empty tensor: PyTorch checks the values' shape, and
# the positions only where there are places to add to, or along an empty dim (ember checked
# the positions always).
EMPTY_ACCUMULATIONS = {
    "no_places": lambda t: t.zeros(2, 0).index_put_((t.tensor([5]),), t.ones(1, 0), True),
    "values_that_do_not_fit": lambda t: t.index_put(
        t.zeros(2, 0), (t.tensor([1]),), t.ones(3), accumulate=True
    ),
    "places_out_of_range": lambda t: t.index_put(
        t.zeros(2, 0), (t.tensor([1]), t.tensor([0])), t.ones(1), accumulate=True
    ),
    "an_empty_mask": lambda t: t.index_put(
        t.zeros(0, 2), (t.zeros(0, 2, dtype=t.bool),), t.ones(1), accumulate=True
    ),
    "a_position_along_an_empty_dim": lambda t: t.zeros(0, 0, 2).index_put(
        (t.tensor([0, 0]),), t.tensor(1.0), accumulate=True
    ),
    "a_0d_position_along_an_empty_dim": lambda t: t.zeros(0, 2).index_put(
        (t.tensor(0),), t.tensor(1.0), accumulate=True
    ),
}


@pytest.mark.parametrize("name", EMPTY_ACCUMULATIONS)
def test_index_put_accumulating_into_an_empty_tensor_checks_as_torch_does(name):
    assert_same_in_both(EMPTY_ACCUMULATIONS[name])


# histogram's node lists the input, bins and weight that require a gradient, and only
# those, as PyTorch's (ember listed the counts, the input and the weight, None or not, and
# recorded no node where only the bins require a gradient).
HISTOGRAMS = {
    "input": lambda t, x, w: t.histogram(x, 2),
    "weight": lambda t, x, w: t.histogram(x.detach(), 2, weight=w),
    "both": lambda t, x, w: x.histogram(3, range=(0.0, 2.0), weight=w * 2),
    "bins": lambda t, x, w: t.histogram(x.detach(), w.sort().values),
    "bins_and_weight": lambda t, x, w: t.histogram(x, w.sort().values, weight=w.detach()),
}


@pytest.mark.parametrize("name", HISTOGRAMS)
def test_histogram_lists_what_requires_grad(name):
    def scenario(t):
        x = t.tensor([0.5, 1.0, 1.5], requires_grad=True)
        w = t.tensor([0.0, 2.0, 1.0], requires_grad=True)
        hist, edges = HISTOGRAMS[name](t, x, w)
        return [seventh.graph(hist), seventh.graph(edges)]

    assert_same_in_both(scenario)


# cov refuses NaN weights as negative ones, as PyTorch does.
def test_cov_refuses_nan_weights():
    assert_same_in_both(lambda t: t.cov(t.ones(2, 3), aweights=t.tensor([1.0, float("nan"), 2.0])))


# trapezoid of no intervals gives zeros at version 1, PyTorch's (made in place).
@pytest.mark.parametrize("name", ["trapezoid", "trapz"])
def test_trapezoid_of_no_intervals_is_at_version_1(name):
    def scenario(t):
        y = t.zeros(3, 0, dtype=t.int32)
        return [getattr(t, name)(y)._version, getattr(t, name)(y.double(), t.zeros(0))._version]

    assert_same_in_both(scenario)


# An in-place write into a leaf that requires grad, or into a view of one, is refused
# before the op's arguments are checked, as in PyTorch (ember reported a bad index first).
LEAF_WRITES = {
    "index_add_": lambda t, x: x.index_add_(0, t.tensor([5]), t.ones(1)),
    "index_copy_": lambda t, x: x.index_copy_(0, t.tensor([0]), t.ones(2)),
    "index_fill_": lambda t, x: x.index_fill_(0, t.tensor([0, -5]), 1.5),
    "masked_scatter_": lambda t, x: x.masked_scatter_(t.tensor([1, 0, 1]), t.ones(2)),
    "put_": lambda t, x: x.put_(t.tensor([3]), t.ones(1), accumulate=True),
    "index_put_": lambda t, x: x.index_put_((t.tensor([5]),), t.ones(1)),
    "index_put_of_a_view": lambda t, x: x[1:].index_put_((t.tensor([5]),), t.ones(1)),
    "index_fill_of_a_view": lambda t, x: x.t().index_fill_(0, t.tensor([0.0]), 1.5),
}


@pytest.mark.parametrize("name", LEAF_WRITES)
def test_a_write_into_a_leaf_is_refused_before_its_arguments_are_checked(name):
    def scenario(t):
        x = t.zeros(3, requires_grad=True)
        try:
            LEAF_WRITES[name](t, x)
        except RuntimeError as error:
            return "leaf" in str(error)
        return "no RuntimeError"

    assert_same_in_both(scenario)


# index_fill, put and index_put copy their input laid out as it is (a transposed input
# gives a transposed result), index_add, index_copy, masked_scatter and renorm give a
# contiguous result, as PyTorch's (ember's were contiguous, and renorm's laid out as its
# input).
LAYOUTS = {
    "index_fill": lambda t, x: x.index_fill(1, t.tensor([0]), 1.5),
    "put": lambda t, x: x.put(t.tensor([0]), t.ones(1)),
    "put_accumulating": lambda t, x: t.put(x, t.tensor([0]), t.ones(1), accumulate=True),
    "index_put": lambda t, x: x.index_put((t.tensor([0]),), t.ones(1)),
    "index_put_accumulating": lambda t, x: x.index_put((x > 3,), t.ones(1), accumulate=True),
    "index_add": lambda t, x: x.index_add(0, t.tensor([0]), t.ones(1, 4)),
    "masked_scatter": lambda t, x: x.masked_scatter(x > 3, t.ones(12)),
    "renorm": lambda t, x: x.renorm(2, 0, 1.0),
}


@pytest.mark.parametrize("name", LAYOUTS)
@pytest.mark.parametrize("requires_grad", [False, True])
def test_index_writes_lay_out_their_result_as_torch_does(name, requires_grad):
    def scenario(t):
        x = t.arange(12.0).reshape(4, 3).t().requires_grad_(requires_grad)
        out = LAYOUTS[name](t, x)
        return [out, out.stride()]

    assert_same_in_both(scenario)


# index_add and index_copy check the index's dims before its dtype, as PyTorch.
@pytest.mark.parametrize("op", ["index_add", "index_copy"])
def test_index_add_and_index_copy_check_the_index_dims_first(op):
    assert_same_in_both(
        lambda t: getattr(t, op)(t.zeros(3, 2), 0, t.tensor([[0]], dtype=t.int32), t.ones(1, 2))
    )


# The backward of index_add, index_copy or index_fill (to its value) into an empty tensor
# reads the positions the forward did not: PyTorch's fails (a RuntimeError) on one out of
# range (ember's raised NumPy's IndexError, or gave index_fill's value a zero gradient).
EMPTY_BACKWARDS = {
    "index_add_along_an_empty_dim": lambda t, x, s: t.index_add(x, 0, t.tensor([0]), s),
    "index_add_out_of_range": lambda t, x, s: t.index_add(
        x.reshape(3, 0), 0, t.tensor([5]), s.reshape(1, 0)
    ),
    "index_fill_along_an_empty_dim": lambda t, x, s: t.index_fill(
        x[:, :0], 1, t.tensor([0, 0]), s.sum()
    ),
    "index_fill_in_range": lambda t, x, s: t.index_fill(x, 1, t.tensor([0, 2]), s.sum()),
    "index_copy_in_range": lambda t, x, s: t.index_copy(
        x.reshape(3, 0), 0, t.tensor([1]), s.reshape(1, 0)
    ),
}


@pytest.mark.parametrize("name", EMPTY_BACKWARDS)
def test_the_backward_of_a_write_into_an_empty_tensor_checks_as_torchs(name):
    def scenario(t):
        x, s = t.zeros(0, 3, requires_grad=True), t.zeros(1, 3, requires_grad=True)
        out = EMPTY_BACKWARDS[name](t, x, s if name.endswith("dim") else s[:, :0])
        try:  # the forward works in both
            out.sum().backward()
        except Exception as error:  # noqa: BLE001 - the kind of error is compared
            return [out, f"backward: {builtin_base(type(error)).__name__}"]
        return [out, x.grad, s.grad]

    assert_same_in_both(scenario)


# PyTorch's trapezoid wraps the dim, then gives zeros for no intervals (of a bool y too),
# then refuses bool; cumulative_trapezoid refuses bool before it wraps the dim (ember
# checked the dim, then bool, for both). index_copy's gradient to the input is written into
# a copy of the incoming gradient, which may be read-only (a sum's, broadcast).
INTEGRATION_ORDER = {
    "trapezoid_of_no_bool_samples": lambda t: t.trapezoid(t.zeros(2, 0, dtype=t.bool)),
    "trapezoid_at_no_bool_points": lambda t: t.trapezoid(t.zeros(0), t.zeros(0, dtype=t.bool)),
    "trapezoid_dx_of_no_samples": lambda t: t.trapezoid(t.zeros(0, dtype=t.bool), dx=2.0),
    "trapezoid_bool_dx_of_0d": lambda t: t.trapezoid(t.zeros(()), dx=True),
    "cumulative_trapezoid_of_0d_bool": lambda t: t.cumulative_trapezoid(t.zeros((), dtype=t.bool)),
    "cumulative_trapezoid_bool_past_the_dims": lambda t: t.cumulative_trapezoid(
        t.zeros(2, dtype=t.bool), dim=3
    ),
    "cumulative_trapezoid_of_0d_at_bool_points": lambda t: t.cumulative_trapezoid(
        t.zeros(()), x=t.zeros(1, dtype=t.bool)
    ),
}


@pytest.mark.parametrize("name", INTEGRATION_ORDER)
def test_trapezoid_checks_in_torchs_order(name):
    assert_same_in_both(INTEGRATION_ORDER[name])


def test_index_copy_of_one_element_has_a_gradient():
    def scenario(t):
        x = t.tensor([-2.0], requires_grad=True)
        t.index_copy(x, 0, t.tensor([0, 0]), x * t.tensor([1.0, 2.0])).sum().backward()
        return x.grad

    assert_same_in_both(scenario)


# index_fill (out of place) of an integer tensor with a value that requires grad is refused,
# as PyTorch refuses its integer result a gradient (ember gave it one).
def test_index_fill_of_integers_refuses_a_value_that_requires_grad():
    def scenario(t):
        value = t.tensor(-1.0, requires_grad=True)
        return t.tensor([4, 5]).index_fill(0, t.tensor([0]), value)

    assert_same_in_both(scenario)


# histogram checks the number of bins before the input's dtype, as PyTorch.
@pytest.mark.parametrize("dtype", ["float16", "int64"])
def test_histogram_checks_the_bins_first(dtype):
    assert_same_in_both(lambda t: t.histogram(t.zeros(3, dtype=getattr(t, dtype)), 0))


# put checks the source's dtype before the positions, index_fill refuses a value tensor of
# dims first, and histogram of bin edges checks the edges, then the weight, then the
# input's dtype; of a number of bins, a range given before the input's dtype, as PyTorch
# (ember checked the positions, the index's dtype and the input's dtype first).
CHECK_ORDERS = {
    "put_source_dtype_into_an_empty_tensor": lambda t: t.zeros(0).put_(
        t.tensor([0]), t.ones(1, dtype=t.int64)
    ),
    "put_source_dtype_out_of_range": lambda t: t.zeros(3).put(
        t.tensor([5]), t.ones(1, dtype=t.int64)
    ),
    "index_fill_value_dims": lambda t: t.zeros(3, 2).index_fill(0, t.tensor([0.0]), t.ones(2)),
    "histogram_one_edge": lambda t: t.histogram(t.zeros(3, dtype=t.int64), t.tensor([1])),
    "histogram_edges_2d": lambda t: t.histogram(t.zeros(3, dtype=t.int64), t.tensor([[1, 2]])),
    "histogram_edges_of_another_dtype": lambda t: t.histogram(
        t.zeros(3, dtype=t.int64), t.tensor([1.0, 2.0])
    ),
    "histogram_range_of_integers": lambda t: t.histogram(
        t.zeros(3, dtype=t.int64), 5, range=(2, -2)
    ),
    "histogram_range_of_bools": lambda t: t.histogram(
        t.zeros(3, dtype=t.bool), 5, range=(0, float("inf"))
    ),
    "histogram_weight": lambda t: t.histogram(
        t.zeros(3, dtype=t.int64), t.tensor([1, 2]), weight=t.zeros(3)
    ),
}


@pytest.mark.parametrize("name", CHECK_ORDERS)
def test_put_index_fill_and_histogram_check_in_torchs_order(name):
    assert_same_in_both(CHECK_ORDERS[name])


# put_ with accumulate into an expanded tensor is refused, as PyTorch refuses it (NumPy's
# add.at wrote through the read-only broadcast view).
@pytest.mark.parametrize("accumulate", [False, True])
def test_put_into_an_expanded_tensor_is_refused(accumulate):
    def scenario(t):
        x = t.arange(3.0).expand(2, 3)
        x.put_(t.tensor([0]), t.ones(1), accumulate=accumulate)
        return x

    assert_same_in_both(scenario)


# index_put of one value at a lone mask (without accumulate) casts the value, as PyTorch's
# masked_fill path does (ember refused another dtype there); a mask of another shape, or a
# position along an empty dim, is an IndexError before any dtype check.
MASK_WRITES = {
    "a_float32_value": lambda t, x, m: x.index_put((m,), t.tensor(1.5, dtype=t.float32)),
    "a_value_of_1_element": lambda t, x, m: x.index_put((m,), t.tensor([[1.5]])),
    "a_float_into_integers": lambda t, x, m: x.long().index_put((m,), t.tensor(1.7)),
    "nan_into_integers": lambda t, x, m: x.long().index_put((m,), t.tensor(float("nan"))),
    "a_float_into_bools": lambda t, x, m: m.index_put((m,), t.tensor(0.0)),
    "accumulating": lambda t, x, m: x.index_put((m,), t.tensor(1.5), accumulate=True),
    "two_values": lambda t, x, m: x.index_put((m,), t.tensor([1.5, 2.0])),
    "a_mask_of_another_shape": lambda t, x, m: x.index_put((m[0],), t.tensor(1.5)),
    "a_position_along_an_empty_dim": lambda t, x, m: x[:, :0].index_put(
        (t.tensor([0]), t.tensor([0])), t.tensor(1, dtype=t.int32)
    ),
    "a_mask_of_the_leading_dim": lambda t, x, m: x.index_put_(
        (m[:, 0],), t.tensor(2, dtype=t.int32)
    ),
}


@pytest.mark.parametrize("name", MASK_WRITES)
def test_index_put_of_one_value_at_a_mask_casts_it_as_torch_does(name):
    def scenario(t):
        x = t.arange(6.0, dtype=t.float64).reshape(3, 2) - 2
        return MASK_WRITES[name](t, x, x > 0)

    assert_same_in_both(scenario)


def test_index_put_at_a_mask_gives_a_value_of_another_dtype_its_gradient():
    def scenario(t):
        x = t.zeros(3, dtype=t.float64, requires_grad=True)
        value = t.tensor(2.0, dtype=t.float32, requires_grad=True)
        out = (x * 1).index_put_((t.tensor([True, False, True]),), value)
        (out * t.tensor([1.0, 2.0, 3.0], dtype=t.float64)).sum().backward()
        return [x.grad, value.grad]

    assert_same_in_both(scenario)


# gradient takes a 0-d spacing tensor as a number: one that requires grad is a TypeError,
# as PyTorch's parser has it (ember gave it a gradient).
@pytest.mark.parametrize("requires_grad", [False, True])
def test_gradient_takes_a_0d_spacing_as_a_number(requires_grad):
    def scenario(t):
        x = t.tensor([[0.5, 2.0, 4.5], [1.0, -1.0, 3.0]], requires_grad=True)
        spacing = t.tensor(0.5, requires_grad=requires_grad)
        out = t.gradient(x, dim=1, spacing=spacing)[0]
        out.sum().backward()
        return [out, x.grad]

    assert_same_in_both(scenario)


# renorm's gradient for p < 1 at a zero element is finite, as PyTorch's (the norm's
# derivative taken as 0 there; ember's was NaN).
@pytest.mark.parametrize("p", [0.5, 0.25])
def test_renorm_of_p_below_1_has_a_gradient_at_zeros(p):
    def scenario(t):
        x = t.tensor([[0.0, 1.0, -2.0], [-0.0, 0.5, 3.0]], dtype=t.float64, requires_grad=True)
        out = x.renorm(p, 0, 0.5)
        (out * t.tensor([1.0, -2.0, 0.5], dtype=t.float64)).sum().backward()
        return [out, x.grad]

    assert_same_in_both(scenario)


# Found by this pass and left (the drawing steps around them), with the file that holds each:
# - PyTorch 2.13's cov of one observation with fweights or aweights writes into its input
#   (a 0-d or 1-element input becomes 0; of a leaf that requires grad, "a view of a leaf
#   Variable ... in-place"): ember's is right (numeric_statistics.py);
# - PyTorch's backward of index_add or index_copy into a 0-d input at other than one
#   position fails ("Index to scalar can have only 1 value"); ember's gradient is right
#   (index_writes.py);
# - where an in-place index write fails partway (a position out of range, a source short of
#   the mask's True values), PyTorch has written the positions before the bad one; ember
#   checks first and writes nothing (index_writes.py: matching would mean writing half);
# - index_fill_ writes into an expanded tensor in PyTorch (through the shared memory),
#   where ember refuses it, as it refuses fill_diagonal_ and index_put_ there (documented
#   for those two; docs/differences.md should name index_fill_ beside them);
# - PyTorch's in-place index_fill_ of an integer tensor with a value that requires grad
#   gives the integer tensor a gradient history, which ember does too, and which PyTorch
#   then refuses to compute with ("Autograd not support dtype"): not drawn;
# - gradient's quotients by a number spacing are DivBackward0 (PyTorch's C++ divides by a
#   Scalar: DivBackward1), as trapezoid's, which docs/differences.md lists; it should list
#   gradient beside it (numeric_statistics.py: ember has no node for a number's quotient);
# - renorm's second derivative for p < 1 at a zero element is NaN in PyTorch, finite in
#   ember (numeric_statistics.py: the first derivatives agree; neither is defined there);
# - NumPy's add.at writes into read-only (broadcast) arrays: backend.scatter_add, which
#   gathering.py's scatter_add_ and scatter_reduce_ call too, should refuse a target that
#   is not writeable, as index_writes.py's _scatter_add now does (PyTorch refuses writes
#   into expanded tensors there) (backend.py, gathering.py).
