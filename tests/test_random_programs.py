"""Random programs of tensor ops, run in ember and in PyTorch: values and gradients agree.

Single ops are checked one by one elsewhere; here Hypothesis composes them. A program
is a few leaf tensors and 2-8 steps, each a line of Python over the values made so far
(``v[3] = t.tanh(v[1]) * v[2]``, ``v[1][0] = v[2]``), run with ``t`` bound to ember and
then to torch. Both runs must give the same value, dtype, shape and ``requires_grad``
at every step, the same values at the end (views and in-place writes share memory
alike), the same gradient for every leaf (and for every intermediate when nothing is
written in place), and the same builtin exception type at the same step when one
raises. A failure prints the program, ready to paste.

``EMBER_RANDOM_PROGRAMS=5000`` runs more programs than the suite's default.
"""

import dataclasses
import os
import warnings

import numpy as np
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from oracle import builtin_base

import ember

EXAMPLES = int(os.environ.get("EMBER_RANDOM_PROGRAMS", "250"))
NUMBERS = (-2.5, -1.0, 0.5, 1.5, 3.0)
TOLERANCES = {"float64": (1e-7, 1e-9), "float32": (2e-4, 1e-5)}


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

    def source(self, index):
        line = f"v[{index}] = {self.value}"
        return f"{self.write}; {line}" if self.write else line


@dataclasses.dataclass(frozen=True)
class Program:
    leaves: tuple
    steps: tuple
    loss_terms: tuple  # indices of the values summed into the loss
    weighted: bool  # each term is (value * fixed random weights).sum() instead of .sum()

    @property
    def writes_in_place(self):
        return any(step.write or "_(" in step.value for step in self.steps)

    def source(self):
        lines = [f"v[{i}] = {leaf.source()}" for i, leaf in enumerate(self.leaves)]
        first = len(self.leaves)
        lines += [step.source(first + i) for i, step in enumerate(self.steps)]
        term = "(v[{}] * w[{}]).sum()" if self.weighted else "v[{}].sum()"
        terms = " + ".join(term.format(k, k) for k in self.loss_terms)
        lines.append(f"loss = {terms}  # the terms that require grad; then loss.backward()")
        return "\n".join(lines)


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


def draw_unary(draw, values, i):
    x, value = f"v[{i}]", values[i]
    forms = ["t.tanh({x})", "t.sigmoid({x})", "t.relu({x})", "{x}.abs()", "-{x}"]
    forms += ["{x}.clone()", "{x}.detach()", "{x} ** 2", "{x} ** 3", "{x} ** 0", "{x}.sum()"]
    forms += ["{x}.mean()", "{x}.amax()", "t.exp({x})", "t.log({p})", "{p}.sqrt()"]
    forms += ["{z} ** -1", "{p} ** 0.5"]
    form = draw(st.sampled_from(forms))
    if form == "t.exp({x})" and value.numel() and value.abs().max() > 5:
        form = "t.exp(t.tanh({x}))"  # keep exp of exp of ... finite
    return Step(form.format(x=x, p=positive(x, value), z=away_from_zero(x, value)))


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


def draw_reduction(draw, values, i):
    x, value = f"v[{i}]", values[i]
    name = draw(st.sampled_from(["sum", "mean", "amax"]))
    keepdim = draw(st.booleans())
    dim = any_dim(draw, value)
    if name != "amax" and value.dim() >= 2 and draw(st.booleans()):
        dim = (0, -1)
    return Step(f"{x}.{name}({dim}, keepdim={keepdim})")


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
    if kind == "unsqueeze":
        return Step(f"{x}.unsqueeze({any_dim(draw, value, extra=1)})")
    if kind == "squeeze":
        if ndim and draw(st.booleans()):
            return Step(f"{x}.squeeze({any_dim(draw, value)})")
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
        return Step(f"{x}[{draw_basic_index(draw, value)}]")
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
        dim = any_dim(draw, value)

        def step_for(j):
            return Step(f"t.cat([{x}, v[{j}]], {dim})")

        j = pick_other(draw, values, step_for)
        if legacy_empty_beside_more_dims(value, values[j]):
            # documented difference (docs/differences.md, Rare edges): a 1-d empty piece
            # of `cat` beside pieces of more dims gets no .grad (torch: an empty tensor)
            return Step(f"t.cat([{x}, {x}], {dim})")
        return step_for(j)
    if kind == "stack":
        dim = any_dim(draw, value, extra=1)
        return step_with_other(draw, values, lambda y: f"t.stack([{x}, {y}], {dim})")
    if kind == "matmul" and (value.dim() or not draw(st.integers(0, 4))):
        return step_with_other(draw, values, lambda y: f"{x} @ {y}")
    return step_with_other(draw, values, lambda y: f"t.where({x} > 0, {x}, {y})")


def legacy_empty_beside_more_dims(first, second):
    """A 1-d empty piece with one of other dims: `cat` skips it (PyTorch's legacy rule)."""
    shapes = {tuple(first.shape), tuple(second.shape)}
    return (0,) in shapes and any(len(shape) != 1 for shape in shapes)


def step_with_other(draw, values, text_for):
    def step_for(j):
        return Step(text_for(f"v[{j}]"))

    return step_for(pick_other(draw, values, step_for))


def draw_in_place(draw, values, i):
    """An in-place change of a value made by a step, or of a piece of one."""
    x, value = f"v[{i}]", values[i]
    if getattr(value, "expanded", False) or not value.numel():
        # Writing into an expanded tensor whose elements share memory is a documented
        # difference (docs/differences.md, Rare edges), and so is an in-place method
        # (`add_`) on an empty view of a non-leaf that requires grad.
        return Step(f"{x}.clone()")
    number = draw(st.sampled_from(NUMBERS))
    if draw(st.booleans()) and value.dim():
        index = draw_basic_index(draw, value)
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
        if not eval(target, {"v": values}).numel():
            target = x  # the documented difference on an empty view, as above
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


DRAWERS = [draw_unary] * 3 + [draw_arithmetic] * 3 + [draw_reduction] * 2 + [draw_movement] * 3
DRAWERS += [draw_indexing] * 2 + [draw_combination] * 2 + [draw_in_place] * 2


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
                draw(st.sampled_from(["float64", "float64", "float32"])),
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
    stretched): writing into it is a documented difference."""
    made = values[-1]
    if any(stride == 0 and size > 1 for stride, size in zip(made.stride(), made.shape)):
        made.expanded = True


@st.composite
def programs(draw):
    made_leaves = draw(leaves())
    # A leaf that requires grad is drawn on as a clone, so that in-place steps on it run
    # (the real run refuses them, and the program ends there).
    values = [leaf.make(torch).clone() for leaf in made_leaves]
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
    last = len(made_leaves) + len(steps) - 1
    others = draw(st.lists(st.integers(0, last), max_size=2, unique=True))
    terms = tuple(sorted({last, *others}))
    return Program(made_leaves, tuple(steps), terms, draw(st.booleans()))


# ---------------------------------------------------------------- running programs


@dataclasses.dataclass
class Outcome:
    values: list  # the tensors, as they are at the end
    made: list  # (shape, dtype, requires_grad, array) of each value when it was made
    error: BaseException = None
    failed_at: str = ""  # "step N" or "backward"
    grads: dict = dataclasses.field(default_factory=dict)  # value index -> grad or None


def dtype_name(dtype):
    return str(dtype).split(".")[-1]


def record(value):
    array = value.detach().cpu().numpy().copy()
    return tuple(value.shape), dtype_name(value.dtype), value.requires_grad, array


def run(library, program):
    values = [leaf.make(library) for leaf in program.leaves]
    outcome = Outcome(values, [record(value) for value in values])
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


def assert_close(what, ember_record, torch_record, program):
    shape, dtype, requires_grad, array = ember_record
    expected_shape, expected_dtype, expected_requires_grad, expected = torch_record
    where = f"{what}\n{program.source()}"
    assert (shape, dtype) == (expected_shape, expected_dtype), (
        f"{what}: ember gives {dtype}{list(shape)}, torch {expected_dtype}{list(expected_shape)}"
        f"\n{program.source()}"
    )
    assert requires_grad == expected_requires_grad, f"requires_grad differs at {where}"
    # a float64 gradient may have gone through float32 ops: float32's tolerance then
    float32 = any(leaf.dtype == "float32" for leaf in program.leaves)
    rtol, atol = TOLERANCES.get("float32" if float32 else dtype, (0, 0))
    np.testing.assert_allclose(array, expected, rtol=rtol, atol=atol, err_msg=where)


def compare(program):
    ember_outcome, torch_outcome = run(ember, program), run(torch, program)
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
    for k, (made, expected) in enumerate(zip(ember_outcome.made, torch_outcome.made)):
        assert_close(f"v[{k}] when made", made, expected, program)
    for k, (value, expected) in enumerate(zip(ember_outcome.values, torch_outcome.values)):
        assert_close(f"v[{k}] at the end", record(value), record(expected), program)
    for k, expected in torch_outcome.grads.items():
        grad = ember_outcome.grads[k]
        assert (grad is None) == (expected is None), (
            f"v[{k}].grad: ember {grad!r}, torch {expected!r}\n{program.source()}"
        )
        if expected is not None:
            assert_close(f"v[{k}].grad", record(grad), record(expected), program)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(program=programs())
def test_random_programs_match_torch(program):
    compare(program)
