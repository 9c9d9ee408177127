"""Random scenarios of ``x[index]``, ``x[index] = value`` and ``x[index] += value``, run in
ember and in torch (the twelfth pass).

A scenario draws a tensor ``x`` of 0 to 4 dims (sizes 0, 1, 2, 3) of any dtype (bool,
uint8, int8, int16, int32, int64, float16, float32, float64), made contiguous, or as a
view of ``made``: transposed (``permute``), sliced (``made[1:]``, ``made[::2]``) or
expanded. The index is a tuple (or one bare item, or ``()``) that mixes ints (negative,
out of range), slices (steps, negative and past-the-end bounds, 0-d tensors as bounds,
step 0 and negative steps, which torch refuses), None, Ellipsis, Python lists (of
positions, of bools, empty), ``range``, tensors of positions (int64, int32, int16, which
torch refuses, and 0-d ones, which select), uint8 masks (torch warns), bool masks (over
all the dims left, over some leading ones, 0-d), Python True/False, NumPy arrays and
NumPy ints, and floats (refused). The position indices of one scenario broadcast together
(now and then they do not), parted by slices or adjacent.

One action then runs in both libraries:

- a read: the result's values, dtype, shape, ``requires_grad``, ``grad_fn`` name,
  ``_version``, strides and ``is_contiguous``, or the builtin type of the exception (and
  the position its message names); whether it is a view (a write through it shows in
  ``made`` or not); the warnings; where ``x`` is a view of a float leaf that requires
  grad, the leaf's gradient for an upstream gradient of varied values (repeated
  positions add up);
- a write ``x[index] = value`` into ``x`` made from ``made`` (a copy of a leaf now and
  then, with a value that requires grad: the gradients of both), into a leaf that
  requires grad (refused) or into one under ``no_grad``; the value a Python int, float or
  bool, a NumPy number, a 0-d tensor, a tensor of the read's shape, of a shape that
  broadcasts to it, with extra leading 1s, or of a wrong shape, of x's dtype or of
  another one, or ``x`` itself or a view of it (torch refuses one that overlaps the place
  written in part);
- ``x[index] += value`` (Python reads, adds in place and writes back, in both);
- ``x[index].mul_(-2)`` on a copy of a leaf: a view writes into ``made``, whose gradient
  then goes through the write, a copy does not.

After the action both compare the outcome, ``x``, ``made`` (and the leaf, the value):
values, dtype, shape, ``requires_grad``, ``grad_fn`` name and ``_version``, and the
gradients.

Left out, as docs/differences.md lists them: a second Ellipsis (torch takes it, ember
refuses), nested lists (torch reads a list of lists as a tuple), an empty NumPy array of
floats (torch reads any list or array as positions, ember refuses floats), a 0-d uint8
tensor (ember selects, torch reads a mask), writes at a uint8 mask and into an expanded
``x`` (ember writes the one and refuses the other), a value of another dtype at an
advanced index (ember casts it, torch's ``index_put_`` refuses), an advanced write's
values after an index out of range (torch has written the positions before it), and the
names of in-place nodes (``CopySlices`` where torch says ``FillBackward3`` or
``CopyBackwards`` for ``x[...] = v``) and of a view read after a write. Found by this pass
and left (see the comments where each is drawn around, and the report): the strides of
an advanced read of a source that is not contiguous (torch lays the result out like its
source, ember makes it contiguous); torch's second uint8 warning at backward; which of
two refusals comes first where torch refuses a leaf or an overlapping value before
``index_put_`` checks its index tensors; ``np.float32`` and ``np.bool_`` values (torch
refuses them, ember's ``fill_`` needs them); tensor bounds with step 0 (torch's
AttributeError); ``x[index] += value`` with an overlapping value, and with a value that
requires grad into a view of a plain tensor (a quirk of torch's lazy view nodes); a
value that requires grad written into an integer tensor (torch makes it require grad);
``x`` itself written where shapes differ by dims of size 1 (torch's verdict on the
overlap follows the strides it gives those dims). The regression tests of what this pass
fixed are at the end.

``EMBER_RANDOM_SCENARIOS=3000`` runs more scenarios than the suite's default.
"""

import math
import os
import re
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import builtin_base, ember_s_own_filter, random_settings
from test_random_programs_seventh import one_of, usually

import ember

EXAMPLES = int(os.environ.get("EMBER_RANDOM_SCENARIOS", "1000"))
DTYPES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64")
FLOATS = ("float16", "float32", "float64")
SIZES = (0, 1, 2, 3, 3, 2)
# relative tolerance of the gradients (float16's sums of repeated positions round)
TOLERANCE = {"float16": 1e-2, "float32": 1e-5, "float64": 1e-10}


# Drawing the tensor ------------------------------------------------------------------


def draw_values(draw, shape, dtype):
    """A NumPy array of ``shape`` and ``dtype``, of small values."""
    count = math.prod(shape)
    if dtype == "bool":
        items = draw(st.lists(st.booleans(), min_size=count, max_size=count))
    elif dtype == "uint8":
        items = draw(st.lists(st.integers(0, 9), min_size=count, max_size=count))
    elif dtype in FLOATS:
        pool = (0.0, -0.0, 0.5, -1.5, 2.0, 3.25, -4.0, 7.5, 1.0)
        items = [one_of(draw, pool) for _ in range(count)]
    else:
        items = draw(st.lists(st.integers(-5, 9), min_size=count, max_size=count))
    return np.array(items, dtype=np.float64 if dtype in FLOATS else dtype).reshape(shape)


def draw_source(draw, shape):
    """How ``x`` of ``shape`` is made from ``made``: the shape of ``made`` and the text."""
    layouts = ["contiguous", "contiguous"]
    if len(shape) >= 2:
        layouts.append("transposed")
    if shape:
        layouts += ["sliced", "stepped", "expanded"]
    layout = one_of(draw, layouts)
    if layout == "transposed":
        order = list(reversed(range(len(shape))))
        return tuple(reversed(shape)), f"made.permute({order})"
    if layout == "sliced":
        return (shape[0] + 1, *shape[1:]), "made[1:]"
    if layout == "stepped":
        return (shape[0] * 2, *shape[1:]), "made[::2]"
    if layout == "expanded":
        if 1 not in shape:
            return shape[1:], f"made.expand{shape}"  # a new leading dim
        made_shape = tuple(1 if size == 1 or usually(draw, 1) else size for size in shape)
        grown = tuple(3 if size == 1 else size for size in shape)
        return made_shape, f"made.expand{grown}"
    return shape, "made"


def shape_of_source(made_shape, source):
    """The shape of ``x`` as ``source`` makes it of ``made``."""
    array = np.empty(made_shape)
    if source.startswith("made.expand"):
        return tuple(int(size) for size in re.findall(r"-?\d+", source[len("made.expand") :]))
    if source.startswith("made.permute"):
        return tuple(reversed(made_shape))
    return eval(source, {"made": array}).shape  # noqa: S307 - drawn text


# Drawing the index ------------------------------------------------------------------

# How many dims each kind of item reads (a mask: as many as it covers, drawn apart). No
# nested lists: torch reads a list that holds a list as a tuple of indices, ember as one
# index array (docs/differences.md); 2-d positions come as tensors and NumPy arrays.
DIMS_READ = {
    "int": 1,
    "slice": 1,
    "none": 0,
    "ellipsis": 0,
    "list": 1,
    "bool_list": 1,
    "tensor": 1,
    "tensor_0d": 1,
    "numpy_array": 1,
    "numpy_int": 1,
    "uint8_mask": 1,
    "mask": None,
    "mask_0d": 0,
    "python_bool": 0,
    "float": 1,
    "range": 1,
}
KINDS = tuple(DIMS_READ) + ("int", "slice", "slice", "tensor", "list", "mask")


def draw_kinds(draw, ndim):
    """The kinds of the index's items, and how many dims each reads."""
    count = draw(st.integers(1, 4))
    kinds, dims = [], []
    for _ in range(count):
        kind = one_of(draw, KINDS)
        if kind == "ellipsis" and "ellipsis" in kinds:
            # torch takes a second Ellipsis, ember refuses it (docs/differences.md)
            kind = "none"
        read = DIMS_READ[kind]
        if kind == "mask":
            left = ndim - sum(dims)
            read = draw(st.integers(1, max(left, 1)))
        kinds.append(kind)
        dims.append(read)
    return kinds, dims


def dims_of_items(kinds, reads, ndim):
    """The first dim each item reads: the items after an Ellipsis read the last dims."""
    firsts, dim = [], 0
    for position, (kind, read) in enumerate(zip(kinds, reads, strict=True)):
        if kind == "ellipsis":
            dim = max(dim, ndim - sum(reads[position + 1 :]))
        firsts.append(dim)
        dim += read
    return firsts


def draw_position(draw, size):
    """A position along a dim of ``size`` (None: past the last dim), now and then out of
    range."""
    size = 3 if size is None else size
    if size == 0 or not usually(draw, 8):
        return one_of(draw, (size, -size - 1, 5, -7))
    return draw(st.integers(-size, size - 1))


def draw_positions(draw, shape, size):
    return np.array([draw_position(draw, size) for _ in range(math.prod(shape))]).reshape(shape)


def draw_bound(draw):
    return one_of(draw, (None, None, 0, 1, 2, -1, -2, 5, -9))


def draw_slice(draw):
    start, stop = draw_bound(draw), draw_bound(draw)
    step = one_of(draw, (None, None, None, 1, 2, 3))
    if not usually(draw, 20):
        step = one_of(draw, (0, -1))  # torch refuses both
    if not usually(draw, 8) and step != 0:
        # 0-d tensors as bounds, read by their __index__ (not with step 0, for which torch
        # raises AttributeError('__index__'))
        start, stop = (None if part is None else f"t.tensor({part})" for part in (start, stop))
    text = ":".join("" if part is None else str(part) for part in (start, stop))
    return text if step is None else f"{text}:{step}"


def draw_mask(draw, sizes):
    """A bool mask of the sizes it covers (now and then one of a wrong size)."""
    shape = [3 if size is None else size for size in sizes]
    if not usually(draw, 10):
        shape[-1] += 1
    return np.array(
        draw(st.lists(st.booleans(), min_size=math.prod(shape), max_size=math.prod(shape)))
    ).reshape(shape)


def tensor_text(array, dtype):
    return f"t.tensor({array.tolist()}, dtype=t.{dtype})"


def draw_item(draw, kind, sizes, broadcast_shape):
    """The source text of one item of kind ``kind`` over dims of ``sizes`` (None: none)."""
    size = sizes[0] if sizes else None
    if kind == "int":
        return str(draw_position(draw, size))
    if kind == "slice":
        return draw_slice(draw)
    if kind == "none":
        return "None"
    if kind == "ellipsis":
        return "..."
    if kind == "python_bool":
        return one_of(draw, ("True", "False"))
    if kind == "float":
        return one_of(draw, ("1.0", "t.tensor([0.0, 1.0])", "np.float64(0.0)"))
    if kind == "range":
        start = draw_position(draw, size)
        return f"range({start}, {start + draw(st.integers(-1, 3))})"
    if kind == "numpy_int":
        return f"np.{one_of(draw, ('int64', 'int32', 'uint8'))}({abs(draw_position(draw, size))})"
    if kind == "tensor_0d":
        return f"t.tensor({draw_position(draw, size)})"
    if kind == "mask_0d":
        return f"t.tensor({one_of(draw, (True, False))})"
    if kind == "uint8_mask":
        return tensor_text(draw_mask(draw, [size]).astype(np.uint8), "uint8")
    if kind == "mask":
        return tensor_text(draw_mask(draw, sizes), "bool")
    if kind == "bool_list":
        return str(draw_mask(draw, [size]).tolist())
    shape = draw_index_shape(draw, broadcast_shape)
    positions = draw_positions(draw, shape, size)
    if kind == "list":
        return str(positions.reshape(-1).tolist() if positions.ndim else [int(positions)])
    if kind == "numpy_array":
        # of int64 even when empty: torch reads any NumPy array as positions, floats too,
        # as it reads a list of floats, which ember refuses (docs/differences.md)
        return f"np.array({positions.tolist()}, dtype=np.int64)"
    dtype = one_of(draw, ("int64", "int64", "int32", "int16"))
    return tensor_text(positions, dtype)


def draw_index_shape(draw, broadcast_shape):
    """A shape that broadcasts to the scenario's shape of positions, now and then not."""
    shapes = [broadcast_shape, broadcast_shape, broadcast_shape[1:], (1,) * len(broadcast_shape)]
    if not usually(draw, 12):
        return (4,)
    return one_of(draw, shapes)


@st.composite
def indexings(draw):
    """The dtype, data, the text that makes ``x`` of ``made``, and the index's text."""
    ndim = draw(st.integers(0, 4))
    shape = tuple(one_of(draw, SIZES) for _ in range(ndim))
    dtype = one_of(draw, DTYPES)
    made_shape, source = draw_source(draw, shape)
    data = draw_values(draw, made_shape, dtype)
    kinds, reads = draw_kinds(draw, ndim)
    firsts = dims_of_items(kinds, reads, ndim)
    broadcast_shape = one_of(draw, ((2,), (1,), (3,), (2, 1), (2, 3), (0,)))
    items = []
    for kind, first, read in zip(kinds, firsts, reads, strict=True):
        sizes = [shape[dim] if dim < ndim else None for dim in range(first, first + read)]
        items.append(draw_item(draw, kind, sizes, broadcast_shape))
    index = ", ".join(items)
    if not usually(draw, 30):
        index = "()"  # no item at all
    elif len(items) == 1 and usually(draw, 1):
        index = items[0]  # one bare item, not a tuple
    elif len(items) == 1:
        index += ","
    return dtype, data, source, index


def is_basic(index):
    """Whether the index text holds only ints, slices, None, Ellipsis and 0-d int tensors
    (a view, and a write by copy_), judged from the text as drawn."""
    if re.search(r"\[|True|False|\.0\b|float|range", index.replace("t.tensor(", "(")):
        return False
    return "np.array" not in index


# Drawing the action ------------------------------------------------------------------


def draw_action(draw, dtype, source):
    """What to do with ``x[index]``: read it (with a gradient or not), write or add into
    it, or change the read in place ("through"); and into what ``x`` is made."""
    floating = dtype in FLOATS
    kinds = ["read", "read", "write", "write", "add", "through"]
    kind = one_of(draw, kinds)
    if kind == "through" and (not floating or source.startswith("made.expand")):
        kind = "read"  # (ember refuses a write into an expanded tensor)
    if kind == "through":
        return kind, "copy_of_leaf"
    if kind == "read":
        return kind, "grad" if floating and usually(draw, 1) else "plain"
    targets = ["plain", "plain"]
    if floating:
        targets += ["copy_of_leaf", "copy_of_leaf"]
        if source == "made":
            targets += ["leaf", "leaf_under_no_grad"]
    if source.startswith("made.expand"):
        # ember refuses writes into an expanded tensor, torch writes (docs/differences.md)
        return "read", "plain"
    return kind, one_of(draw, targets)


def parts_of_x(index, x_shape, read_shape):
    """Values that are ``x`` or views of it, as source text. Not one whose shape differs
    from the read's where either has dims of size 1: whether torch then finds the two in
    the same place depends on the strides it gives those dims (left, reported)."""
    shapes = {"x": x_shape, f"x[{index}]": read_shape}
    if x_shape:
        shapes["x[1:]"] = shapes["x[:-1]"] = (max(x_shape[0] - 1, 0), *x_shape[1:])
    fitting = ["x.clone()"]
    for text, shape in shapes.items():
        if read_shape is None or shape == read_shape or 1 not in (*shape, *read_shape):
            fitting.append(text)
    return fitting


def draw_value(draw, dtype, read_shape, basic, wants_grad, index, adding, x_shape):
    """The written value as source text: a number, ``value`` (a tensor made apart), or a
    part of ``x`` itself."""
    kinds = ("int", "float", "bool", "numpy", "itself", "tensor_0d", "tensor", "tensor")
    kind = one_of(draw, kinds)
    if kind == "numpy":
        # not np.float32 nor np.bool_, which torch refuses: ember's fill_ writes them
        # through setitem, so setitem takes them (tensor_methods.py, reported)
        numbers = ("np.float64(2.5)", "np.float64(1e300)", "np.int64(3)", "np.int64(2**40)")
        return one_of(draw, (*numbers, "np.uint8(7)", "np.int64(-1)")), None
    if kind == "itself" and not adding:
        return one_of(draw, parts_of_x(index, x_shape, read_shape)), None
    if kind == "itself":
        # x[index] += x: torch's add_ refuses a value that overlaps the read in part,
        # ember's does not (tensor_methods.py's in-place operators; reported)
        return "x.clone()", None
    if kind == "int":
        return one_of(draw, ("0", "1", "-2", "7", "300", "-1")), None
    if kind == "float":
        return one_of(draw, ("0.5", "-2.5", "1e40", "float('nan')", "float('inf')", "-0.0")), None
    if kind == "bool":
        return one_of(draw, ("True", "False")), None
    shape = () if kind == "tensor_0d" else draw_value_shape(draw, read_shape)
    value_dtype = dtype
    if basic and not usually(draw, 3):
        # at an advanced index torch's index_put_ refuses a value of another dtype, ember
        # casts it (docs/differences.md): another dtype at a basic index only
        value_dtype = one_of(draw, DTYPES)
    # (not into an integer or bool x: torch's copy_ of a value that requires grad makes
    # even a bool x require grad, ember's does not)
    requires_grad = wants_grad and dtype in FLOATS and value_dtype in FLOATS and usually(draw, 1)
    return "value", (draw_values(draw, shape, value_dtype), value_dtype, requires_grad)


def draw_value_shape(draw, read_shape):
    """The read's shape, one that broadcasts to it, one with leading 1s, or a wrong one."""
    if read_shape is None:
        return one_of(draw, ((), (1,), (2,)))
    shapes = [read_shape, read_shape, read_shape[1:], (1, *read_shape)]
    shapes.append(tuple(1 for _ in read_shape))
    if not usually(draw, 6):
        return (*read_shape[:-1], read_shape[-1] + 1) if read_shape else (2,)
    return one_of(draw, shapes)


# Running a scenario in one library ---------------------------------------------------


def build(lib, dtype, data, source, target, value):
    """The names a scenario's statements see: ``t``, ``np``, ``made`` and ``x`` (and
    ``leaf``, ``value`` where drawn)."""
    names = {"t": lib, "np": np}
    wants_grad = target in ("grad", "copy_of_leaf", "leaf", "leaf_under_no_grad")
    made = lib.tensor(data, dtype=getattr(lib, dtype), requires_grad=wants_grad)
    if target == "copy_of_leaf":
        names["leaf"], made = made, made.clone()
    names["made"] = made
    names["x"] = eval(source, names)  # noqa: S307 - drawn text
    if value is not None:
        array, value_dtype, requires_grad = value
        names["value"] = lib.tensor(
            array, dtype=getattr(lib, value_dtype), requires_grad=requires_grad
        )
    return names


def outcome_of(statement, names, quiet=False):
    """Run ``statement``: what it leaves in ``result`` (or None), or the exception's
    builtin type and message; and the warnings' categories."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ember_s_own_filter()
        try:
            if quiet:
                with names["t"].no_grad():
                    exec(statement, names)  # noqa: S102 - drawn text
            else:
                exec(statement, names)  # noqa: S102 - drawn text
            outcome = names.get("result")
        except Exception as error:  # noqa: BLE001 - the type is what is compared
            outcome = (builtin_base(type(error)), str(error))
    return outcome, [warning.category for warning in caught]


def values(tensor):
    return tensor.detach().cpu().numpy()


def node_name(node):
    # torch's CopySlices node names itself torch::autograd::CopySlices
    return node.name().removeprefix("torch::autograd::")


def reading(tensor, strides):
    """What a user reads of a tensor, but its values."""
    read = {
        "dtype": str(tensor.dtype).split(".")[-1],
        "shape": tuple(tensor.shape),
        "requires_grad": tensor.requires_grad,
        "grad_fn": None if tensor.grad_fn is None else node_name(tensor.grad_fn),
        "version": tensor._version,
    }
    if strides and tensor.numel():
        # the strides of dims of size 1 say nothing (torch's keep the step of the view
        # they came from, NumPy's may not)
        read["contiguous"] = tensor.is_contiguous()
        sizes_and_strides = zip(tensor.shape, tensor.stride(), strict=True)
        read["stride"] = tuple(stride for size, stride in sizes_and_strides if size > 1)
    return read


def compare_tensor(mine, theirs, where, strides=False, gradient=False, values_too=True):
    assert isinstance(mine, ember.Tensor), f"{where}: ember gave {mine!r}"
    my_read, their_read = reading(mine, strides), reading(theirs, strides)
    if their_read["grad_fn"] in ("AsStridedBackward0", "FillBackward3", "CopyBackwards"):
        # a view read after a write keeps its op's name in ember, and a write that takes no
        # view (x[...] = v, x[:] = v) is torch's fill_ or copy_, where ember says
        # CopySlices as for every in-place op (docs/differences.md)
        my_read["grad_fn"] = their_read["grad_fn"]
    if gradient:
        del my_read["version"], their_read["version"]  # a gradient's own counter
    assert my_read == their_read, f"{where}: ember {my_read}, torch {their_read}"
    if not values_too:
        return
    mine, theirs = values(mine), values(theirs)
    if theirs.dtype.kind != "f":
        np.testing.assert_array_equal(mine, theirs, err_msg=where)
        return
    tolerance = TOLERANCE[str(theirs.dtype)] if gradient else 0
    mine, theirs = mine.astype(np.float64), theirs.astype(np.float64)
    np.testing.assert_allclose(mine, theirs, rtol=tolerance, atol=tolerance, err_msg=where)
    zeros = (theirs == 0) & (mine == 0)
    if not gradient:
        signs_agree = (np.signbit(mine[zeros]) == np.signbit(theirs[zeros])).all()
        assert signs_agree, f"{where}: the sign of a zero"


def compare_outcomes(mine, theirs, where, strides=False):
    """The same tensor (or None), or an exception of the same builtin type."""
    if isinstance(theirs, tuple) and LEAF_FIRST.search(theirs[1]) and isinstance(mine, tuple):
        # torch refuses a write into a leaf, or a value that overlaps the target, before
        # index_put_ checks the index tensors (their dtype, mask shapes, broadcasting);
        # ember's array_index checks them first (left, reported): both refuse
        return
    if isinstance(theirs, tuple):
        assert isinstance(mine, tuple), f"{where}: ember gave {mine!r}, torch raised {theirs}"
        assert mine[0] is theirs[0], f"{where}: ember raised {mine}, torch {theirs}"
        # where both find a position out of range, the message names one that is in the
        # index (of two, each may name the other first: the type is the same)
        named = re.search(r"index (-?\d+) is out of bounds", mine[1])
        if named and "out of bounds" in theirs[1] and "range(" not in where:
            assert re.search(rf"(?<!\d){named.group(1)}\b", where), f"{where}: {mine[1]!r}"
        return
    assert not isinstance(mine, tuple), f"{where}: ember raised {mine}, torch did not"
    if theirs is None:
        assert mine is None, f"{where}: ember gave {mine!r}"
        return
    compare_tensor(mine, theirs, f"{where}, the result", strides)


LEAF_FIRST = re.compile(r"leaf Variable that requires grad|refer to a single memory location")


def compare_names(my_names, their_names, where, values_too=True):
    for name in ("x", "made", "leaf", "value"):
        if name in their_names:
            mine, theirs = my_names[name], their_names[name]
            compare_tensor(mine, theirs, f"{where}, {name}", values_too=values_too)
            if not their_names[name].is_leaf:
                continue
            my_grad, their_grad = my_names[name].grad, their_names[name].grad
            assert (my_grad is None) == (their_grad is None), f"{where}, {name}.grad"
            if their_grad is not None:
                compare_tensor(my_grad, their_grad, f"{where}, {name}.grad", gradient=True)


# The scenario, in both --------------------------------------------------------------


def both(statement, worlds, where, quiet=False, strides=False, warned=True):
    """Run ``statement`` in both worlds; compare outcomes and warnings; torch's outcome."""
    (my_outcome, my_warned), (their_outcome, their_warned) = (
        outcome_of(statement, names, quiet) for names in worlds
    )
    compare_outcomes(my_outcome, their_outcome, f"{where}; {statement}", strides)
    if warned:
        assert my_warned == their_warned, f"{where}; {statement}: ember warned {my_warned}"
    return their_outcome


def upstream_text(shape, dtype):
    """A gradient of ``shape``: values that are exact in every float dtype."""
    count = math.prod(shape)
    steps = (np.arange(count) % 7 - 3) * 0.25 + 0.125
    return f"t.tensor({steps.reshape(shape).tolist()}, dtype=t.{dtype})"


def read_strides_compared(source, index):
    """torch lays out an advanced read like its source, ember makes it contiguous (left
    as found, see the report): strides are compared for views and contiguous sources."""
    return source == "made" or is_basic(index)


def check_read(worlds, where, dtype, source, index, target):
    strides = read_strides_compared(source, index)
    result = both(f"result = x[{index}]", worlds, where, strides=strides)
    compare_names(*worlds, where)
    if not isinstance(result, torch.Tensor):
        return
    if target == "grad" and result.requires_grad:
        upstream = upstream_text(tuple(result.shape), dtype)
        # torch warns of a uint8 mask again in backward, ember does not (reported)
        both(f"result.backward({upstream}); result = None", worlds, where, warned=False)
        compare_names(*worlds, where)
    expanded = any(s == 0 and n > 1 for s, n in zip(result.stride(), result.shape, strict=True))
    if result.numel() and not expanded and not source.startswith("made.expand"):
        # (ember refuses a write into an expanded tensor, docs/differences.md)
        # a view shows the write in made, a copy does not
        mark = "True" if dtype == "bool" else "6"
        both(f"result = x[{index}]\nresult.fill_({mark})\nresult = None", worlds, where, quiet=True)
        compare_names(*worlds, where)


def check_write(worlds, where, dtype, index, target, value_text, operator):
    statement = f"x[{index}] {operator} {value_text}; result = None"
    quiet = target == "leaf_under_no_grad"
    outcome = both(statement, worlds, where, quiet=quiet)
    # torch has written the positions before one out of range, ember none
    # (docs/differences.md): after an IndexError only what is not a value is compared
    compare_names(*worlds, where, values_too=not isinstance(outcome, tuple))
    if target == "copy_of_leaf" and outcome is None:
        weights = upstream_text(tuple(worlds[1]["made"].shape), dtype)
        both(f"(made * {weights}).sum().backward(); result = None", worlds, where)
        compare_names(*worlds, where)


def check_write_through_a_read(worlds, where, dtype, index):
    """``x[index]`` changed in place: a view writes into ``made`` (whose gradient then
    goes through CopySlices), a copy does not."""
    outcome = both(f"result = x[{index}]\nresult.mul_(-2)\nresult = None", worlds, where)
    compare_names(*worlds, where)
    if outcome is None:
        weights = upstream_text(tuple(worlds[1]["made"].shape), dtype)
        both(f"(made * {weights}).sum().backward(); result = None", worlds, where)
        compare_names(*worlds, where)


def read_shape_in_torch(dtype, data, source, index):
    names = build(torch, dtype, data, source, "plain", None)
    outcome, _ = outcome_of(f"result = x[{index}]", names)
    return tuple(outcome.shape) if isinstance(outcome, torch.Tensor) else None


def check_scenario(data_strategy):
    draw = data_strategy.draw
    dtype, data, source, index = draw(indexings())
    kind, target = draw_action(draw, dtype, source)
    if kind != "read" and "uint8)" in index:
        # a write at a uint8 mask: torch's masked_fill_ refuses the mask's dtype where the
        # value has one element, ember writes (docs/differences.md)
        kind, target = "read", "plain"
    value_text, value = None, None
    if kind != "read":
        read_shape = read_shape_in_torch(dtype, data, source, index)
        # (not into a plain x with +=: torch's add_ of a value that requires grad into a
        # view of x, then its write back, refuses x as "a leaf" unless its grad_fn was
        # read between the two, a quirk of its lazy view nodes)
        wants_grad = target == "copy_of_leaf" or (target == "plain" and kind == "write")
        basic = is_basic(index)
        adding = kind == "add"
        x_shape = shape_of_source(data.shape, source)
        value_text, value = draw_value(
            draw, dtype, read_shape, basic, wants_grad, index, adding, x_shape
        )
    where = f"{dtype} {data.tolist()}, x = {source}, x[{index}], {kind} {target}"
    worlds = [build(lib, dtype, data, source, target, value) for lib in (ember, torch)]
    if value is not None:
        where += f", value {value[1]} {value[0].tolist()} requires_grad={value[2]}"
    if kind == "read":
        check_read(worlds, where, dtype, source, index, target)
    elif kind == "through":
        check_write_through_a_read(worlds, where, dtype, index)
    else:
        operator = "=" if kind == "write" else "+="
        check_write(worlds, where, dtype, index, target, value_text, operator)


@random_settings(EXAMPLES)
@given(st.data())
def test_random_indexing_acts_as_in_torch(data):
    check_scenario(data)


# What this pass fixed, pinned --------------------------------------------------------


def run_source(lib, source):
    """What the statements of ``source`` leave in ``result`` (its values, dtype and
    version, or None), or the exception's builtin type; and how many warnings they gave."""
    names = {"t": lib, "np": np}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ember_s_own_filter()
        try:
            exec(source, names)  # noqa: S102 - the case's text
        except Exception as error:  # noqa: BLE001 - the type is what is compared
            return builtin_base(type(error)), len(caught)
    result = names.get("result")
    if result is not None:
        result = (values(result).tolist(), str(result.dtype).split(".")[-1], result._version)
    return result, len(caught)


def same_outcome(source):
    mine, theirs = run_source(ember, source), run_source(torch, source)
    assert mine == theirs, f"{source}: ember {mine}, torch {theirs}"


def test_a_uint8_mask_warns_only_where_torch_reads_it():
    # ember warned as it read the index, before the errors torch finds first: too many
    # indices, an int out of range, a float, a mask of the wrong shape before it
    x = "x = t.zeros(2, 3)\n"
    mask = "t.tensor([1, 0, 1], dtype=t.uint8)"
    same_outcome(x + f"result = x[{mask}, {mask}, {mask}]")
    same_outcome(x + f"result = x[5, {mask}]")
    same_outcome(x + f"result = x[1.0, {mask}]")
    same_outcome(x + f"result = x[[True, False, True], {mask}]")
    same_outcome(x + f"result = x[t.tensor([1, 0, 1], dtype=t.uint8), {mask}]")
    same_outcome(x + f"result = x[:, {mask}]")


def test_a_0d_numpy_integer_array_selects():
    # ember took np.array(1) as an index array: a copy, and the dims of x[1, :, [0]]'s order
    same_outcome("x = t.arange(6.).reshape(2, 3)\nx[np.array(1)].fill_(7)\nresult = x")
    same_outcome("x = t.arange(24.).reshape(2, 3, 4)\nresult = x[np.array(1), :, [0, 1]]")


def test_messages_keep_numpy_newaxis_as_it_is():
    # 'axis' became 'dimension' everywhere, numpy.newaxis too
    with pytest.raises(IndexError, match="numpy.newaxis"):
        ember.zeros(2)[1.0]


def test_the_value_is_checked_before_the_index():
    same_outcome("x = t.zeros(2, dtype=t.int32)\nx[5] = float('nan')")
    same_outcome("x = t.zeros(2)\nx[np.float64(0.5)] = 1e300")


def test_numpy_numbers_are_written_as_the_numbers_they_hold():
    # np.float64 (a float) and np.int64 skipped the checks of a Python number
    same_outcome("result = t.zeros(2)\nresult[0] = np.float64(1e300)")
    same_outcome("result = t.zeros(2, dtype=t.int32)\nresult[0] = np.int64(2**40)")
    same_outcome("result = t.zeros(2, dtype=t.int32)\nresult[0] = np.float64('nan')")
    same_outcome("result = t.zeros(2, dtype=t.uint8)\nresult[1] = np.int64(3)")


def test_a_write_into_a_leaf_takes_the_index_first():
    leaf = "x = t.zeros(2, 1, requires_grad=True)\n"
    same_outcome(leaf + "x[5] = 1.0")  # IndexError, not the leaf's RuntimeError
    same_outcome(leaf + "x[0, 0, 0] = 1.0")
    same_outcome(leaf + "x[0, ..., None, 0, 0] = 1.0")
    same_outcome(leaf + "x[1.0, [0]] = 1.0")
    same_outcome(leaf + "x[t.tensor(0), None, 1.0] = x[:-1]")
    same_outcome(leaf + "x[[5], 0] = 1.0")  # positions: the leaf's RuntimeError first
    same_outcome(leaf + "x[[0], None] = 1.0")


def test_a_value_of_the_wrong_shape_is_refused_before_positions_out_of_range():
    same_outcome("x = t.zeros(3, 2)\nx[[5], [0, 1, 1]] = t.ones(2)")
    same_outcome("x = t.zeros(2, 2, 2)\nx[1, t.tensor([-3, 1, 1]), np.array([-3])] = t.ones(2)")


def test_a_step_below_one_is_refused_after_what_torch_finds_first():
    same_outcome("x = t.tensor(1.0)\nresult = x[2:5:-1]")  # a lone slice: ValueError
    same_outcome("x = t.tensor(1.0)\nresult = x[2:5:-1,]")  # too many indices
    same_outcome("x = t.zeros(2)\nresult = x[5, ::-1]")
    same_outcome("x = t.zeros(2, 2)\nresult = x[::-1, 5]")
    same_outcome("x = t.zeros(2, 2)\nresult = x[t.tensor([0], dtype=t.int16), ::0]")
    same_outcome("x = t.zeros(2, 2)\nresult = x[::0, np.float64(0.0)]")
    same_outcome("x = t.zeros(2, 2)\nresult = x[np.float64(0.0), ::0]")


def test_a_value_that_shares_memory_with_the_place_written_is_refused():
    x = "result = t.arange(5.)\n"
    same_outcome(x + "result[1:] = result[:-1]")
    same_outcome(x + "result[[0, 1]] = result[:2]")
    same_outcome(x + "result[[True, False, True, False, True]] = result[2:]")
    same_outcome(x + "result[:] = result")  # the very elements: written
    same_outcome(x + "result[1:3] = result[1:3]")
    same_outcome(x + "result[::2] = result[:3]")  # not dense: torch lets it be
    same_outcome(x + "result[1:] = result[0]")  # a 0-d value fills
    same_outcome("result = t.zeros(0)\nresult[[]] = result")
    same_outcome("result = t.zeros(2, 2, 2)\nresult[None] = result")
    same_outcome("result = t.zeros(2)\nresult[True, 1:-9:2] = result[:-1]")  # empty there
    same_outcome("result = t.zeros(1)\nresult[t.tensor([True])] = result")  # masked_fill_
    same_outcome("result = t.zeros(1)\nresult[t.tensor(True)] = result")
    same_outcome("result = t.zeros(2, 2)\nresult.copy_(result.t())")


def test_an_empty_value_must_broadcast_to_the_result():
    # NumPy writes a value of no elements into a result of none whatever its shape
    same_outcome("result = t.zeros(3)\nresult[[]] = t.zeros(2, 0)")
    same_outcome("result = t.zeros(2, 0)\nresult[False, t.zeros(2, 0, dtype=t.bool)] = result * 1")
    same_outcome("result = t.zeros(3)\nresult[[]] = t.zeros(0)")
