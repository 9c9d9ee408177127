"""Random calls of the sorting and searching ops (the eleventh pass), beside torch's.

Each scenario draws one input, a NumPy array of any dtype (0-d, empty, with ties, NaN,
inf and -0.0, or all distinct), made a tensor and then maybe a non-contiguous view
(transposed, stepped, sliced), sometimes requiring grad, and one call of ``sort``,
``argsort``, ``msort``, ``topk``, ``kthvalue``, ``median``, ``nanmedian``, ``mode``,
``unique``, ``unique_consecutive``, ``searchsorted`` or ``bucketize``, as a function or
as a method, with drawn dims (some out of range), ``k`` (some out of range),
``descending``, ``stable``, ``largest``, ``sorted``, ``keepdim``, ``return_inverse``,
``return_counts``, ``right``, ``side``, ``sorter``, ``out_int32`` and number values.
After the call it compares the exception's type, or every result: its type and field
names, and for each tensor its values (NaN equal to NaN), dtype, shape, requires_grad and
grad_fn's name, whether it warned, and the printed result (where the indices are
determined). Where the values output has a gradient, it sends a random upstream gradient
back and compares the input's gradient.

Left out (docs/differences.md): the indices where equal values make them undetermined
(``sort``/``argsort`` without ``stable=True``, ``topk``, ``kthvalue``, ``median`` and
``mode`` of rows with ties; ``mode`` in rows of more than 16 values; ``nanmedian`` of a
row of NaN only), and the gradient there, which goes to another of the equal elements
(``median()`` of all elements shares it evenly in both, so it is compared); ``topk(sorted=
False)`` is compared as sets along its dim; ``mode`` of a row holding NaN, whose value too
is PyTorch's sort's accident (see ``values_defined``); ``unique`` keeps -0 where PyTorch
may keep +0 (signs are not compared) and ``unique(dim=)`` of slices holding NaN may order
them otherwise; ``stable=`` beside positional ``dim``/``descending`` (ember takes them,
PyTorch does not) is drawn by name only. ``median``'s and ``mode``'s ``keepdim`` is never
drawn as 1, which ember takes where PyTorch raises a TypeError (ops/statistics.py, not
this family's file). Error messages are checked to name the op or the dim, not compared.

``EMBER_RANDOM_SCENARIOS=3000`` runs more than the suite's default.
"""

import os
import re
import warnings

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import builtin_base, ember_s_own_filter, random_settings

import ember

EXAMPLES = int(os.environ.get("EMBER_RANDOM_SCENARIOS", "150"))
FLOATS = ("float16", "float32", "float64")
DTYPES = (*FLOATS, "uint8", "int8", "int16", "int32", "int64", "bool")
SPECIALS = (np.nan, np.inf, -np.inf, -0.0)
GRADIENT_OPS = ("sort", "topk", "kthvalue", "median", "nanmedian", "mode", "msort")


def one_of(draw, options):
    return draw(st.sampled_from(options))


def usually(draw, odds):
    """True but one time in odds + 1."""
    return draw(st.sampled_from([True] * odds + [False]))


# ---------------------------------------------------------------- inputs


def draw_array(draw, dtype, shape=None):
    """An array of ``dtype``: ties from a few small numbers, or all distinct values, with
    NaN, inf and -0.0 now and then in floats."""
    if shape is None and not usually(draw, 6):  # rows past 16: PyTorch's other kernels
        shape = one_of(draw, ((20,), (2, 33), (17, 3)))
    elif shape is None:
        shape = tuple(draw(st.lists(st.integers(0, 4), max_size=3)))
    size = int(np.prod(shape))
    if usually(draw, 1):
        rng = np.random.default_rng(draw(st.integers(0, 2**16)))
        array = rng.integers(-3, 4, size).astype("float64")
    else:
        array = np.random.default_rng(draw(st.integers(0, 2**16))).permutation(size) - size // 2
        array = array.astype("float64") * (0.5 if dtype in FLOATS else 1)
    if dtype in FLOATS and size and not usually(draw, 2):
        places = draw(st.lists(st.integers(0, size - 1), max_size=3))
        for place in places:
            array[place] = one_of(draw, SPECIALS)
    if dtype == "uint8":
        array = np.abs(array)
    return array.astype(dtype).reshape(shape)


def draw_layout(draw, ndim):
    """Python text that makes ``x`` a view of the drawn tensor (maybe not contiguous)."""
    options = ["", ""]
    if ndim >= 1:
        options += ["[::2]", "[1:]", ".flip(0)"]
    if ndim == 2:
        options.append(".t()")
    if ndim >= 2:
        options += ["[:, 1:]", ".transpose(0, -1)"]
    return one_of(draw, options)


@st.composite
def inputs(draw, floats_only=False):
    dtype = one_of(draw, FLOATS if floats_only else DTYPES)
    array = draw_array(draw, dtype)
    grad = dtype in FLOATS and usually(draw, 1)
    return {"array": array, "layout": draw_layout(draw, array.ndim), "grad": grad}


# ---------------------------------------------------------------- calls


def dim_text(draw, ndim):
    low, high = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if not usually(draw, 12):
        return one_of(draw, (str(high + 1), str(low - 1), "1.5"))
    return str(draw(st.integers(low, high)))


def bool_text(draw):
    """A flag: now and then 1, which PyTorch refuses (a TypeError)."""
    return one_of(draw, ("True", "False") * 4 + ("1",))


def draw_sort(draw, ndim):
    dim = dim_text(draw, ndim)
    descending = bool_text(draw)
    forms = ("function", "method", "stable", "argsort", "argsort_stable", "msort", "by_name")
    form = one_of(draw, forms)
    if form == "by_name":  # stable alone, or stable=False (PyTorch's node: SortBackward1)
        stable = one_of(draw, ("True", "False"))
        name = "sort_stable" if stable == "True" else "sort"
        return one_of(draw, (f"x.sort(stable={stable})", f"t.sort(x, stable={stable})")), name
    if form == "function":
        return f"t.sort(x, {dim}, {descending})", "sort"
    if form == "method":
        return f"x.sort(dim={dim}, descending={descending})", "sort"
    if form == "stable":
        return f"t.sort(x, dim={dim}, descending={descending}, stable=True)", "sort_stable"
    if form == "argsort":
        return f"x.argsort({dim}, {descending})", "argsort"
    if form == "argsort_stable" and usually(draw, 3):
        return f"t.argsort(x, dim={dim}, descending={descending}, stable=True)", "argsort_stable"
    if form == "argsort_stable":
        return "x.argsort(stable=True)", "argsort_stable"
    return one_of(draw, ("t.msort(x)", "x.msort()")), "msort"


def draw_topk(draw, ndim, size):
    k = one_of(draw, (0, 1, 2, size, size, size + 1, -1))
    dim = dim_text(draw, ndim)
    largest, is_sorted = bool_text(draw), one_of(draw, ("True", "True", "False"))
    name = "topk" if is_sorted == "True" else "topk_unsorted"
    if usually(draw, 1):
        return f"t.topk(x, {k}, {dim}, {largest}, {is_sorted})", name
    return f"x.topk({k}, dim={dim}, largest={largest}, sorted={is_sorted})", name


def draw_kthvalue(draw, ndim, size):
    k = one_of(draw, (1, 1, 2, size, size, size + 1, 0))
    keepdim = bool_text(draw)
    return f"t.kthvalue(x, {k}, {dim_text(draw, ndim)}, {keepdim})", "kthvalue"


def strict_bool_text(draw):
    """median's and mode's keepdim: never 1, which ember takes as True where PyTorch
    refuses it (a fix for ops/statistics.py, reported)."""
    return one_of(draw, ("True", "False"))


def draw_median(draw, ndim):
    name = one_of(draw, ("median", "nanmedian"))
    if not usually(draw, 3):
        return f"x.{name}()", name + "_all"
    return f"t.{name}(x, {dim_text(draw, ndim)}, keepdim={strict_bool_text(draw)})", name


def draw_mode(draw, ndim):
    if not usually(draw, 4):
        return "t.mode(x)", "mode"
    return f"x.mode({dim_text(draw, ndim)}, {strict_bool_text(draw)})", "mode"


def draw_unique(draw, ndim):
    name = one_of(draw, ("unique", "unique_consecutive"))
    options = []
    if name == "unique" and usually(draw, 1):
        options.append(f"sorted={bool_text(draw)}")
    for option in ("return_inverse", "return_counts"):
        if usually(draw, 1):
            options.append(f"{option}={bool_text(draw)}")
    if not usually(draw, 2):
        options.append(f"dim={dim_text(draw, ndim)}")
    text = ", ".join(options)
    if usually(draw, 1):
        return f"t.{name}(x{', ' if text else ''}{text})", name
    return f"x.{name}({text})", name


def draw_call(draw, array):
    ndim = array.ndim
    size = array.shape[-1] if ndim else 1
    family = one_of(draw, ("sort", "topk", "kthvalue", "median", "mode", "unique"))
    if family == "sort":
        return draw_sort(draw, ndim)
    if family == "topk":
        return draw_topk(draw, ndim, size)
    if family == "kthvalue":
        return draw_kthvalue(draw, ndim, size)
    if family == "median":
        return draw_median(draw, ndim)
    if family == "mode":
        return draw_mode(draw, ndim)
    return draw_unique(draw, ndim)


@st.composite
def ordering_scenarios(draw):
    scenario = draw(inputs())
    scenario["call"], scenario["op"] = draw_call(draw, scenario["array"])
    return scenario


@st.composite
def search_scenarios(draw):
    """searchsorted or bucketize: sorted boundaries (1-d, or the values' leading dims),
    maybe unsorted with a ``sorter``, and values as a tensor or a number."""
    boundary_dtype = one_of(draw, DTYPES)
    value_dtype = one_of(draw, (boundary_dtype, boundary_dtype, *DTYPES))
    length = draw(st.integers(0, 5))
    values = draw_array(draw, value_dtype)
    leading = values.shape[:-1] if values.ndim and not usually(draw, 2) else ()
    if usually(draw, 8):
        boundary_shape = (*leading, length)
    else:
        boundary_shape = tuple(draw(st.lists(st.integers(0, 3), max_size=2)))
    boundaries = draw_array(draw, boundary_dtype, boundary_shape)
    sorter = None
    if boundaries.ndim and usually(draw, 2):
        boundaries = np.sort(boundaries, axis=-1)
    elif boundaries.ndim:
        sorter = np.argsort(boundaries, axis=-1, kind="stable").astype("int64")
        sorter = one_of(draw, (sorter, sorter, sorter.astype("int32"), sorter[..., 1:], -sorter))
    options = []
    if usually(draw, 1):
        options.append(f"right={bool_text(draw)}")
    if not usually(draw, 3):
        options.append(f"side={one_of(draw, ('left', 'right', 'middle', 1))!r}")
    if usually(draw, 2):
        options.append(f"out_int32={bool_text(draw)}")
    number = one_of(draw, ("v", "v", "v", "2", "-1.5", "True", "float('nan')"))
    name = "searchsorted" if sorter is not None or usually(draw, 1) else "bucketize"
    if name == "searchsorted":
        if sorter is not None:
            options.append(
                one_of(draw, ("sorter=sorter", "sorter=sorter", "sorter=sorter.tolist()"))
            )
        call = f"t.searchsorted(b, {number}{''.join(', ' + o for o in options)})"
    else:
        options = [o for o in options if not o.startswith("side")]
        call = f"t.bucketize({number}, b{''.join(', ' + o for o in options)})"
    return {"array": values, "boundaries": boundaries, "sorter": sorter, "call": call, "op": name}


# ---------------------------------------------------------------- running


def made_input(lib, scenario):
    """(leaf, x): the drawn tensor and the view the call reads."""
    leaf = lib.tensor(scenario["array"], requires_grad=scenario.get("grad", False))
    return leaf, eval("leaf" + scenario.get("layout", ""), {"leaf": leaf})  # noqa: S307


def described(value):
    """What a user can see of a result, as plain data."""
    if isinstance(value, tuple):
        fields = getattr(value, "__match_args__", None)
        kind = type(value).__name__ if fields else "tuple"
        return (kind, fields, tuple(described(item) for item in value))
    if value.__class__.__name__ != "Tensor":
        return ("other", type(value).__name__, value)
    grad_fn = value.grad_fn.name() if value.grad_fn is not None else None
    return (
        "tensor",
        str(value.dtype).replace("torch.", "").replace("ember.", ""),
        tuple(value.shape),
        value.requires_grad,
        grad_fn,
        value.detach().numpy().copy(),
    )


def run(lib, scenario):
    """(error type, message) or (None, described result, the leaf's gradient)."""
    leaf, x = made_input(lib, scenario)
    names = {"t": lib, "x": x}
    if "boundaries" in scenario:
        names["b"] = lib.tensor(scenario["boundaries"])
        names["v"] = x
        if scenario["sorter"] is not None:
            names["sorter"] = lib.tensor(scenario["sorter"])
    with warnings.catch_warnings(record=True) as caught_warnings:
        warnings.simplefilter("always")
        ember_s_own_filter()
        try:
            result = eval(scenario["call"], names)  # noqa: S307 - the drawn call
        except Exception as caught:  # noqa: BLE001 - the type is what is compared
            return builtin_base(type(caught)), str(caught), None
        gradient = None
        values = result[0] if isinstance(result, tuple) else result
        gradient_op = scenario["op"].split("_")[0] in GRADIENT_OPS
        if scenario.get("grad") and gradient_op and values.requires_grad:
            upstream = np.random.default_rng(7).standard_normal(tuple(values.shape))
            values.backward(lib.tensor(upstream.astype(scenario["array"].dtype)))
            gradient = leaf.grad.numpy().copy()
    text = repr(result).replace("torch", "ember")
    return None, (described(result), text, bool(caught_warnings)), gradient


# ---------------------------------------------------------------- what is determined


def lanes(array, axis):
    """The 1-d rows of ``array`` along ``axis`` (a 0-d array: one row of one)."""
    if array.ndim == 0:
        return [array.reshape(1)]
    moved = np.moveaxis(array, axis, -1)
    return list(moved.reshape(-1, moved.shape[-1])) if moved.size else []


def has_ties(row):
    """Whether two places of ``row`` hold equal values (NaN equal to NaN)."""
    numbers = row[~np.isnan(row)] if row.dtype.kind == "f" else row
    return len(np.unique(numbers)) < len(numbers) or len(row) - len(numbers) > 1


def viewed(scenario):
    """The array the call reads (the drawn layout applied)."""
    if "boundaries" in scenario:
        return scenario["array"]
    _, x = made_input(torch, {**scenario, "grad": False})
    return x.numpy()


def call_axis(scenario, array):
    """The dim the call reads (from its text), or None for a whole-tensor call."""
    op, call = scenario["op"], scenario["call"]
    if op in ("median_all", "nanmedian_all"):
        return None
    if op == "msort":
        return 0
    by_name = re.search(r"(?<![a-z])dim=(-?\d+)", call)
    if by_name:
        return int(by_name.group(1))
    arguments = [a for a in call[call.index("(") + 1 : -1].split(", ") if "=" not in a]
    if arguments and arguments[0] == "x":
        arguments = arguments[1:]
    place = {"sort": 0, "argsort": 0, "topk": 1, "topk_unsorted": 1, "kthvalue": 1, "mode": 0}
    place.update(median=0, nanmedian=0)
    if op in place and len(arguments) > place[op] and arguments[place[op]]:
        return int(arguments[place[op]])
    return -1


def indices_determined(scenario):
    """Whether the drawn call's indices (and so its gradient) are the same in any correct
    implementation: no ties where they would matter (docs/differences.md)."""
    op = scenario["op"]
    if op in ("sort_stable", "argsort_stable", "searchsorted", "bucketize", "pinned"):
        return True
    if op in ("median_all", "nanmedian_all"):  # equal values share the gradient evenly
        return True
    if op.startswith("unique"):
        return True
    if op == "topk_unsorted":
        return False
    array = viewed(scenario)
    axis = call_axis(scenario, array)
    rows = [array.reshape(-1)] if axis is None else lanes(array, axis)
    if op == "mode":
        return all(len(row) <= 16 and not np.isnan(row.astype("float64")).any() for row in rows)
    if op == "nanmedian":
        rows = [row for row in rows if not np.isnan(row.astype("float64")).all()]
        return not any(has_ties(row[~np.isnan(row.astype("float64"))]) for row in rows)
    return not any(has_ties(row) for row in rows)


def names_the_offence(call, message):
    """Whether an error's message names the op that raised it (msort's is sort's) or the
    dim that is out of range."""
    op_name = re.search(r"\.(\w+)\(", call).group(1)
    return op_name.removeprefix("m") in message or "dim" in message.lower()


def values_defined(scenario):
    """Whether the values are the same in any correct implementation. mode's are not in a
    row holding NaN: PyTorch's kernel sorts the row with comparisons that NaN makes
    unordered, so ``mode([nan, 0])`` is NaN where ``mode([0, nan])`` is 0; ember takes the
    smallest of the most frequent, NaN sorted last (docs/differences.md names only the
    index there; its fix is a line in that entry)."""
    has_nan = np.isnan(scenario["array"].astype("float64")).any()
    slices = scenario["op"] == "unique" and "dim=" in scenario["call"]
    return not (has_nan and (scenario["op"] == "mode" or slices))


# ---------------------------------------------------------------- comparing


def assert_same_values(ember_values, torch_values, what):
    assert ember_values.shape == torch_values.shape, what
    if ember_values.dtype.kind == "f":
        np.testing.assert_array_equal(ember_values, torch_values, err_msg=what)
    else:
        assert (ember_values == torch_values).all(), f"{what}: {ember_values} {torch_values}"


def assert_same(ember_result, torch_result, what, determined, unsorted, defined=True):
    assert ember_result[0] == torch_result[0], f"{what}: {ember_result[0]} {torch_result[0]}"
    if ember_result[0] == "tensor":
        assert ember_result[1:5] == torch_result[1:5], f"{what}: {ember_result} {torch_result}"
        if not defined:
            return
        ember_values, torch_values = ember_result[5], torch_result[5]
        if unsorted is not None and ember_values.ndim:  # sorted=False: the kernel's order
            ember_values = np.sort(ember_values, unsorted)
            torch_values = np.sort(torch_values, unsorted)
        assert_same_values(ember_values, torch_values, what)
        return
    assert ember_result[:2] == torch_result[:2], f"{what}: {ember_result[:2]} {torch_result[:2]}"
    assert len(ember_result[2]) == len(torch_result[2]), what
    for place, (mine, theirs) in enumerate(zip(ember_result[2], torch_result[2])):
        if place == 1 and ember_result[1] and not determined:
            assert mine[1:3] == theirs[1:3], what  # indices: dtype and shape only
            continue
        assert_same(
            mine, theirs, f"{what} [{place}]", determined, unsorted if place == 0 else None, defined
        )


def assert_scenario_matches(scenario):
    what = f"{scenario['call']} of {scenario['array'].dtype} {scenario['array'].shape}"
    what += f" {scenario.get('layout', '')} {scenario['array'].ravel()[:12]}"
    torch_error, torch_result, torch_gradient = run(torch, scenario)
    ember_error, ember_result, ember_gradient = run(ember, scenario)
    assert ember_error == torch_error, (
        f"{what}: ember {ember_error} {ember_result}, torch {torch_error} {torch_result}"
    )
    if torch_error is not None:
        assert names_the_offence(scenario["call"], ember_result), f"{what}: {ember_result}"
        return
    determined = torch_error is None and indices_determined(scenario)
    unsorted = None  # else the dim along which the order is the kernel's
    if scenario["op"] == "topk_unsorted":
        unsorted = call_axis(scenario, scenario["array"])
    (ember_result, ember_text, ember_warned) = ember_result
    (torch_result, torch_text, torch_warned) = torch_result
    assert ember_warned == torch_warned, f"{what}: ember warned {ember_warned}"
    defined = values_defined(scenario) and (determined or scenario["op"] != "argsort")
    assert_same(ember_result, torch_result, what, determined, unsorted, defined)
    if determined and defined and not scenario["op"].startswith("unique"):
        assert ember_text == torch_text, what
    if determined and torch_gradient is not None:
        np.testing.assert_allclose(ember_gradient, torch_gradient, err_msg=what)


@random_settings(EXAMPLES)
@given(ordering_scenarios())
def test_random_sorting_calls_match_torch(scenario):
    assert_scenario_matches(scenario)


@random_settings(EXAMPLES)
@given(search_scenarios())
def test_random_searching_calls_match_torch(scenario):
    assert_scenario_matches(scenario)


# What this pass found, pinned --------------------------------------------------------


def same_outcome(call, array):
    """ember and torch raise the same exception type, or give the same results."""
    assert_scenario_matches({"array": np.asarray(array), "call": call, "op": "pinned"})


def test_kthvalue_of_a_0d_bool_tensor_needs_no_kernel():
    same_outcome("t.kthvalue(x, 1)", True)
    same_outcome("t.kthvalue(x, 1, 0, True)", np.bool_(False))
    same_outcome("t.kthvalue(x, 5)", True)  # k out of range before the dtype
    same_outcome("t.kthvalue(x, 2)", [True, False])  # k out of range before the dtype
    same_outcome("t.kthvalue(x, 1)", [True, False])
    same_outcome("t.kthvalue(x, 1, 0)", np.zeros(0, bool))  # empty before the dtype


def test_flags_that_are_ints_not_bools_are_type_errors():
    for call in (
        "x.topk(1, largest=1)",
        "x.topk(1, sorted=0)",
        "x.kthvalue(1, 0, 1)",
        "t.unique(x, sorted=1)",
        "t.unique(x, return_inverse=1)",
        "x.unique(return_counts=0, dim=0)",
        "t.unique_consecutive(x, return_counts=1)",
        "t.unique_consecutive(x, return_inverse=0)",
        "t.searchsorted(x, x, right=1)",
        "t.searchsorted(x, 2, out_int32=0)",
        "t.bucketize(x, x, right=1)",
        "t.bucketize(2, x, out_int32=1)",
    ):
        same_outcome(call, [1.0, 2.0, 3.0])


def test_unique_of_a_0d_tensor_refuses_a_float_dim_as_a_type_error():
    same_outcome("t.unique(x, dim=1.5)", 1)
    same_outcome("t.unique(x, dim=0)", 1)
    same_outcome("t.unique(x, dim=1.5)", [1, 2])


def test_searchsorted_refuses_a_side_or_sorter_of_a_wrong_type_as_a_type_error():
    same_outcome("t.searchsorted(x, x, side=1)", [1.0, 2.0, 3.0])
    same_outcome("t.searchsorted(x, 2, side=True)", [1.0, 2.0, 3.0])
    same_outcome("t.searchsorted(x, x, sorter=[0, 1, 2])", [1.0, 2.0, 3.0])
    same_outcome("t.searchsorted(x, x, sorter=(2, 1, 0), side='right')", [3.0, 2.0, 1.0])


def test_bucketize_of_bools_names_bucketize_in_its_error():
    same_outcome("t.bucketize(x, x)", [True, False])
    try:
        ember.bucketize(ember.tensor([True]), ember.tensor([False, True]))
    except NotImplementedError as error:
        assert "bucketize()" in str(error)
    else:
        raise AssertionError("bucketize of bools went through")
