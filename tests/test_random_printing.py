"""Random printing scenarios (the tenth pass): what a learner sees when a tensor prints,
beside torch's text.

Each scenario is a short sequence of actions run once against ``ember`` and once against
``torch``. An action either changes the print options (``set_printoptions`` with a drawn
``precision``, ``threshold``, ``edgeitems``, ``linewidth``, ``sci_mode`` and ``profile``,
unknown profiles and odd numbers included; now and then ``set_default_dtype(float64)``) or
makes a tensor and prints it. The tensor has a drawn shape (0-d, empty, 1-d to 4-d, big
enough to be summarised), a drawn dtype (float16/32/64, int8/16/32/64, uint8, bool) and
values mixed from whole numbers, fractions, tiny and huge magnitudes, values that round to
the same digits, -0.0, nan and +-inf; it may then be viewed (transposed, permuted, sliced
with a step, flipped, expanded, a row selected), made to require a gradient or carry a
``grad_fn``. It prints as ``repr``, ``str``, ``f"{x}"``, ``"%s"``, ``format(x, spec)``, a
printed list, tuple or dict of tensors, ``repr(x.item())``, ``x.tolist()``, ``x.numpy()``,
the shape (sliced and added to), the dtype, its ``finfo``/``iinfo``, the device, a
``Parameter``'s ``repr``, ``x.max(dim=0)``, ``x.half()``, ``x.data``, ``x.grad`` after a
backward, or ``x.mul_(2)``. Misuse is drawn too: a format spec on a tensor of many
elements, ``item()`` of many, options of the wrong type or sign (torch takes them and may
fail when it prints). The exact text is compared, after replacing
``torch.`` by ``ember.`` in torch's (docs/differences.md); where torch raises, the
exception type is compared.

Left out: bfloat16 and complex numbers, which ember does not have; ops whose ``grad_fn``
name differs on purpose (docs/differences.md): only ops whose names match are drawn; a
float ``sum`` (its last bits depend on the order it adds) and ``relu`` (ember's turns -0.
into 0., a fix for ops/unary_math.py, not for printing).
``f"{p}"`` and ``format(p, spec)`` of a 0-d ``Parameter`` are left out: torch formats only
a plain 0-d Tensor as its number (a Parameter prints whole or refuses a spec), and ember's
``Tensor.__format__`` (tensor.py) formats every 0-d tensor as its number. An in-place op
is drawn only on a tensor not viewed: through a view, torch names the view's node
``AsStridedBackward0`` (ember keeps the view's name), and torch writes into an expanded
empty tensor that ember (ops/inplace.py) refuses.

``EMBER_RANDOM_SCENARIOS=3000`` runs more than the suite's default.
"""

import contextlib
import io
import math
import os

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import random_settings
from test_random_programs_seventh import one_of, usually

import ember

EXAMPLES = int(os.environ.get("EMBER_RANDOM_SCENARIOS", "150"))
FLOAT_DTYPES = ("float16", "float32", "float64")
INT_DTYPES = ("int8", "int16", "int32", "int64", "uint8")
DTYPES = FLOAT_DTYPES + INT_DTYPES + ("bool",)
VALUE_STYLES = (
    "whole",
    "fraction",
    "tiny",
    "huge",
    "special",
    "same_digits",
    "zero",
    "big",
    "rounding",
    "extreme",
)
SHAPES = ((), (0,), (2, 0), (0, 3, 1), (1,), (3,), (7,), (2, 3), (4, 1), (3, 2, 2), (2, 1, 3, 2))
BIG_SHAPES = ((1001,), (1200,), (40, 30), (11, 10, 10), (3, 7, 7, 7), (400, 3), (5, 300))


# Values ---------------------------------------------------------------------------------


def style_values(rng, style, count):
    """``count`` float64 values of one kind."""
    if style == "whole":
        return rng.integers(-60, 60, count).astype(float)
    if style == "fraction":
        return rng.uniform(-10, 10, count)
    if style == "tiny":
        return rng.uniform(-1, 1, count) * 10.0 ** rng.integers(-12, -3, count)
    if style == "huge":
        return rng.uniform(-1, 1, count) * 10.0 ** rng.integers(5, 12, count)
    if style == "special":
        return rng.choice(np.array([math.nan, math.inf, -math.inf, -0.0, 0.0, 1.0]), count)
    if style == "same_digits":
        return 1.0 + rng.integers(0, 4, count) * 1e-6
    if style == "rounding":  # values whose printed digits carry into one more digit
        edges = np.array([9.99996, 0.99999, 99999.5, 999.99995, 1e-4, 0.00009999, 1e8, 99999999.5])
        return rng.choice(edges, count) * rng.choice(np.array([1.0, -1.0]), count)
    if style == "extreme":  # the ends of float16, float32 and float64, subnormals included
        ends = np.array([65504.0, 6e-8, 3.4e38, 1.2e-38, 1e-45, 1.7e308, 5e-324, 1e-320, 1e300])
        return rng.choice(ends, count) * rng.choice(np.array([1.0, -1.0]), count)
    if style == "zero":
        return rng.choice(np.array([0.0, -0.0]), count)
    return rng.integers(-(10**9), 10**9, count).astype(float) * 1000  # whole, past 1e8


def draw_array(draw, shape, dtype):
    """A NumPy array of ``shape`` and ``dtype`` with a drawn mix of kinds of values."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    count = math.prod(shape)
    if dtype == "bool":
        return rng.integers(0, 2, count).astype(bool).reshape(shape)
    if dtype in INT_DTYPES:
        info = np.iinfo(dtype)
        low, high = one_of(draw, ((-9, 10), (0, 3), (info.min, int(info.max) + 1)))
        return rng.integers(
            max(low, info.min), min(high, int(info.max) + 1), count, dtype=dtype
        ).reshape(shape)
    styles = draw(st.lists(st.sampled_from(VALUE_STYLES), min_size=1, max_size=3))
    parts = [style_values(rng, style, count) for style in styles]
    which = rng.integers(0, len(parts), count)
    values = np.choose(which, parts) if count else np.zeros(0)
    with np.errstate(over="ignore"):
        return values.astype(dtype).reshape(shape)


# Tensors --------------------------------------------------------------------------------

# Each view: (name, how many dims it needs, code); every grad_fn it makes is named as torch's.
VIEWS = (
    ("t", 2, lambda x: x.t() if x.dim() == 2 else x.transpose(0, 1)),
    ("transpose", 2, lambda x: x.transpose(0, -1)),
    ("permute", 2, lambda x: x.permute(*reversed(range(x.dim())))),
    ("step", 1, lambda x: x[..., ::2]),
    ("flip", 1, lambda x: x.flip(0)),
    ("select", 1, lambda x: x[0] if x.shape[0] else x),
    ("unsqueeze", 0, lambda x: x.unsqueeze(0)),
    ("expand", 0, lambda x: x.unsqueeze(0).expand(2, *x.shape)),
    ("reshape", 0, lambda x: x.reshape(-1)),
)
GRAD_OPS = (
    ("mul", lambda x: x * 2),
    ("add", lambda x: x + 1),
    ("neg", lambda x: -x),
    ("max", lambda x: x.max()),  # exact: a float sum's last bits depend on the order it adds
    ("abs", lambda x: x.abs()),
    ("clone", lambda x: x.clone()),
    ("double", lambda x: x.double()),
)


def draw_tensor(draw, printer):
    """A recipe for a tensor that ``printer`` will print: its array, then the steps that
    make it in either library."""
    shape = draw(st.sampled_from(BIG_SHAPES)) if not usually(draw, 6) else one_of(draw, SHAPES)
    if not usually(draw, 2):  # or any small shape
        shape = tuple(draw(st.lists(st.integers(0, 9), max_size=4)))
    if printer in ("item", "format") and usually(draw, 2):  # one element, mostly
        shape = one_of(draw, ((), (1,)))
    wants_grad = printer == "grad" and usually(draw, 4)  # a gradient, mostly
    dtype = one_of(draw, FLOAT_DTYPES if wants_grad else DTYPES)
    array = draw_array(draw, shape, dtype)
    views = [view for view in VIEWS if view[1] <= len(shape) and not usually(draw, 4)]
    if printer == "in_place":  # a write through a view is no printing matter: see the docstring
        views = []
    grad = "none"
    if dtype in FLOAT_DTYPES and (wants_grad or not usually(draw, 3)):
        grad = one_of(draw, ("requires_grad", "grad_fn"))
    grad_op = one_of(draw, GRAD_OPS) if grad == "grad_fn" else None
    return {"array": array, "views": views, "grad": grad, "grad_op": grad_op}


def make_tensor(lib, recipe):
    x = lib.tensor(recipe["array"])
    if recipe["grad"] != "none":
        x.requires_grad_(True)
    if recipe["grad_op"] is not None:
        x = recipe["grad_op"][1](x)
    for _, _, view in recipe["views"]:
        x = view(x)
    return x


# Printing -------------------------------------------------------------------------------

FORMAT_SPECS = ("", ".3f", ".2e", ">12", "d", ".1%", "g")


def printed(*values):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        print(*values)
    return out.getvalue()


def gradient_repr(lib, x, spec):
    """The gradient of ``x.sum()`` at ``x`` (ones: exact in any order of adding)."""
    if x.requires_grad:
        x.retain_grad()
    x.sum().backward()
    return repr(x.grad)


def in_place_repr(lib, x, spec):
    """An in-place op on the tensor (refused on a leaf that requires grad, as in PyTorch)."""
    return repr(x.mul_(2)) + repr(x)


def type_info_repr(lib, x, spec):
    """finfo of a float dtype, iinfo of an integer one (bool has neither)."""
    if x.dtype.is_floating_point:
        return repr(lib.finfo(x.dtype))
    return repr(lib.iinfo(x.dtype))


def parameter_repr(lib, x):
    return repr(lib.nn.Parameter(x.detach(), requires_grad=x.requires_grad))


PRINTERS = {
    "repr": lambda lib, x, spec: repr(x),
    "str": lambda lib, x, spec: str(x),
    "fstring": lambda lib, x, spec: f"{x}",
    "format": lambda lib, x, spec: format(x, spec),
    "print": lambda lib, x, spec: printed(x),
    "print_list": lambda lib, x, spec: printed([x, x.detach()[..., :1]]),
    "print_tuple": lambda lib, x, spec: printed((x,), x.shape),
    "item": lambda lib, x, spec: repr(x.item()),
    "shape": lambda lib, x, spec: repr(x.shape) + str(x.shape) + repr(x.size()),
    "shape_pieces": lambda lib, x, spec: repr([x.shape[1:], x.shape + (1,), (2,) + x.shape]),
    "grad": gradient_repr,
    "in_place": in_place_repr,
    "half": lambda lib, x, spec: repr(x.half()) + str(x.double()),
    "data": lambda lib, x, spec: repr(x.data) + repr(x.detach()),
    "dict": lambda lib, x, spec: printed({"x": x, "n": x.dim()}),
    "dtype": lambda lib, x, spec: repr(x.dtype) + " " + str(x.dtype),
    "type_info": type_info_repr,
    "parameter": lambda lib, x, spec: parameter_repr(lib, x),
    "tolist": lambda lib, x, spec: repr(x.tolist()),
    "device": lambda lib, x, spec: repr(x.device) + str(x.device),
    "percent": lambda lib, x, spec: f"%s|%r|{x}" % (x, x),
    "numpy": lambda lib, x, spec: repr(x.numpy()),
    "max_dim": lambda lib, x, spec: repr(x.max(dim=0)),
}


# Print options --------------------------------------------------------------------------


def draw_options(draw):
    """Keyword arguments for ``set_printoptions``, each drawn or left out."""
    choices = {
        "precision": (0, 1, 2, 3, 6, 10, -1, 2.5, "3"),
        "threshold": (0, 1, 5, 5.5, 20, 999, 1000, 1e9, math.inf, -1, "5"),
        "edgeitems": (0, 1, 2, 3, 5, -1, 1.5, True),
        "linewidth": (1, 10, 30, 40, 79, 80, 120, 0, -5, 40.0),
        "profile": ("default", "short", "full", "verbose", "FULL"),
        "sci_mode": (True, False, None, 0, "yes"),
    }
    return {name: one_of(draw, values) for name, values in choices.items() if usually(draw, 2)}


def restore_defaults(lib):
    lib.set_printoptions(profile="default", sci_mode=None)
    lib.set_default_dtype(lib.float32)


@st.composite
def scenarios(draw):
    actions = []
    for _ in range(draw(st.integers(1, 4))):
        kind = one_of(draw, ("print", "print", "options", "default_dtype"))
        if kind == "options":
            actions.append(("options", draw_options(draw)))
        elif kind == "default_dtype":
            actions.append(("default_dtype", one_of(draw, ("float64", "float32"))))
        else:
            printer = one_of(draw, list(PRINTERS))
            recipe = draw_tensor(draw, printer)
            actions.append(("print", recipe, printer, one_of(draw, FORMAT_SPECS)))
    return actions


def outcome(lib, action):
    """What the user sees after one action: the text, or the type of the error."""
    try:
        if action[0] == "options":
            return repr(lib.set_printoptions(**action[1]))
        if action[0] == "default_dtype":
            return repr(lib.set_default_dtype(getattr(lib, action[1])))
        _, recipe, printer, spec = action
        return PRINTERS[printer](lib, make_tensor(lib, recipe), spec)
    except Exception as error:  # noqa: BLE001 - the type is what is compared
        return f"raised {type(error).__name__}"


def run_scenario(lib, actions):
    try:
        return [outcome(lib, action) for action in actions]
    finally:
        restore_defaults(lib)


def describe(action):
    if action[0] != "print":
        return repr(action)
    _, recipe, printer, spec = action
    array = recipe["array"]
    views = [name for name, _, _ in recipe["views"]]
    grad_op = recipe["grad_op"][0] if recipe["grad_op"] else None
    return (
        f"print {printer} spec={spec!r} dtype={array.dtype} shape={array.shape} "
        f"views={views} grad={recipe['grad']} op={grad_op}\n{array!r}"
    )


def assert_scenario_prints_like_torch(actions):
    got = run_scenario(ember, actions)
    expected = [text.replace("torch.", "ember.") for text in run_scenario(torch, actions)]
    for index, (mine, theirs) in enumerate(zip(got, expected)):
        steps = "\n".join(describe(action) for action in actions[: index + 1])
        assert mine == theirs, f"\n{steps}\nember:\n{mine}\ntorch:\n{theirs}"


@random_settings(EXAMPLES)
@given(actions=scenarios())
def test_random_printing_matches_torch(actions):
    assert_scenario_prints_like_torch(actions)


# Regression tests for what the hunt found ----------------------------------------------


def prints_in_both(options, make):
    """The text (or the error's type) that ``make`` prints under ``options``, in each library."""
    texts = []
    for lib in (ember, torch):
        try:
            lib.set_printoptions(**options)
            try:
                texts.append(repr(make(lib)))
            except RuntimeError as error:
                texts.append(f"raised {type(error).__name__}")
        finally:
            restore_defaults(lib)
    return texts[0], texts[1].replace("torch.", "ember.")


def test_an_unknown_profile_changes_nothing_as_in_torch():
    """set_printoptions(profile="verbose") raised KeyError; PyTorch ignores the profile."""
    mine, theirs = prints_in_both(
        {"profile": "verbose", "precision": 2}, lambda lib: lib.tensor([1 / 3, 2.0])
    )
    assert mine == theirs == "tensor([0.33, 2.00])"


def test_a_negative_edgeitems_sizes_the_elements_as_torch():
    """With edgeitems=-1 PyTorch measures the slices x[:-1] and x[1:]; ember measured none,
    so "True" lost the space that lines it up under "False"."""
    options = {"threshold": 0, "edgeitems": -1}
    mine, theirs = prints_in_both(options, lambda lib: lib.tensor([False, True, True]))
    assert mine == theirs == "tensor([False,  True,  ...,  True,  True])"


def test_a_negative_edgeitems_refuses_to_summarise_a_matrix_as_torch():
    """PyTorch finds no rows to summarise a matrix with edgeitems=-1 and raises; ember
    printed [...]."""
    options = {"threshold": 0, "edgeitems": -1}
    mine, theirs = prints_in_both(options, lambda lib: lib.ones(2, 2))
    assert mine == theirs == "raised RuntimeError"
