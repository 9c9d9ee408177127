"""Random reductions in their argument forms (the eleventh pass), beside torch's.

Each scenario makes one tensor of a drawn dtype (bool, uint8, int8, int16, int32, int64,
float16, float32, float64), 0-d to 3-d, some empty, some non-contiguous (permuted, stepped
or expanded), a float one mostly requiring grad, from values with ties, NaN, +-inf and -0.
Then it makes one to three calls on it: ``sum``, ``mean``, ``nansum``, ``nanmean``,
``prod``, ``amax``, ``amin``, ``max``/``min`` (whole, or along a dim: values and indices),
``var``, ``std``, ``var_mean``, ``std_mean`` (``unbiased`` by position or name,
``correction=``), ``logsumexp``, ``all``, ``any`` and ``count_nonzero``, as functions and
as methods, with the dim an int, a negative int, a tuple, a list, an empty tuple, None or
out of range, with or without ``keepdim``, with ``dtype=`` (every dtype, ints into floats
and floats into ints), with ``out=``, and misused (a float or string dim, a dim twice).
After each call it compares the exception type and that its message names the bad dim, or
the result: its type (a tensor, a tuple, a namedtuple and its fields), whether it warned,
and each tensor's values (NaN equal to NaN, -0.0's sign), dtype, shape, ``requires_grad``
and node name; then, where the result is a float tensor that requires grad, it runs
backward with a random output gradient and compares the input's gradient.

Left out (docs/differences.md):

- ``out=``: ember has no out tensors; a call with ``out=`` is checked to be refused
  (NotImplementedError or TypeError) with a message that names ``out``.
- ``x.sum(keepdim=True)`` and ``mean(keepdim=True)`` without a dim, ``logsumexp(x, ())``
  and ``logsumexp(x, None)``, which ember takes and PyTorch refuses: not drawn.
- The node names of ``var_mean``/``std_mean`` and of ``sum(x, None)``/``mean(x, None)``
  (``...Backward0``, PyTorch's ``...Backward1``): not compared.
- ``mean(x, dtype=float16)`` of a wider float (ember rounds the values first): not drawn.
- ``var`` of no values with a negative correction (0, PyTorch's nan): not drawn.
- The gradients of ``var``/``std`` at +-inf or NaN, and with ``dim=()``: not compared.
- float16 ``prod`` and ``nansum`` over several dims may differ in the last bit: float16
  values are compared to float16's precision.

Left out, as differences this pass leaves (see the report):

- which of ``0.`` and ``-0.`` ``amax``/``amin``/``max``/``min`` give where both are the
  extreme (PyTorch keeps the first it meets, NumPy's vector loops either), as for
  ``maximum`` in docs/differences.md; and the sign of a zero in ``prod``'s gradient;
- ``var``/``std`` near the dtype's largest value (3e38, 65504): PyTorch squares float32 in
  double along one dim (so does ember) but not over several; a float16 gradient that
  passes 65504 is finite in PyTorch;
- a float in a list of dims (``sum(x, [0.5])``): ember's ``dims.wrap_dim`` raises an
  IndexError (PyTorch: TypeError), in a file this pass does not own.

``EMBER_RANDOM_SCENARIOS=3000`` runs more than the suite's default.
"""

import math
import os
import re
import warnings

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import builtin_base, ember_s_own_filter, random_settings
from test_random_programs_seventh import one_of, usually

import ember

EXAMPLES = int(os.environ.get("EMBER_RANDOM_SCENARIOS", "400"))
DTYPES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64")
FLOAT_DTYPES = ("float16", "float32", "float64")
FLOATS = ("0.0", "-0.0", "1.0", "1.0", "-1.5", "2.0", "0.25", "3.0", "nan", "inf", "-inf")
VALUES = {
    "bool": ("True", "False"),
    "uint8": ("0", "1", "2", "7", "128", "255"),
    "int8": ("-128", "-1", "0", "1", "3", "127"),
    "int16": ("-32768", "-2", "0", "1", "5", "32767"),
    "int32": ("-2147483648", "-1", "0", "2", "31", "2147483647"),
    "int64": ("-9223372036854775808", "-1", "0", "3", "63", "9223372036854775807"),
    "float16": (*FLOATS, "65504.0"),
    "float32": (*FLOATS, "3e38"),
    "float64": (*FLOATS, "1e300"),
}
SUMS = ("sum", "mean", "nansum", "nanmean")
EXTREMES = ("amax", "amin", "max", "min")
VARIANCES = ("var", "std", "var_mean", "std_mean")
TRUTHS = ("all", "any", "count_nonzero")
NAMES = (*SUMS, *SUMS, "prod", *EXTREMES, *VARIANCES, "logsumexp", *TRUTHS)
EXTREMES_CALLED = re.compile(r"\b(amax|amin|max|min)\(")
# Mean-like ops, whose result PyTorch forms in the (float) dtype asked for
MEANS = ("mean", "nanmean")


# The tensor -----------------------------------------------------------------------------


def draw_shape(draw):
    return tuple(draw(st.lists(st.integers(0, 3), max_size=3)))


def draw_tensor(draw, shape, dtype):
    """Python text that makes a tensor of ``shape``, maybe non-contiguous or requiring grad."""
    layout = one_of(draw, ("plain", "plain", "permuted", "stepped", "expanded"))
    if layout == "permuted" and len(shape) >= 2:
        made, tail = shape[::-1], f".permute({tuple(range(len(shape)))[::-1]})"
    elif layout == "expanded" and shape:
        made, tail = (1, *shape[1:]), f".expand({shape})"
    elif layout == "stepped" and shape:
        made, tail = (*shape[:-1], 2 * shape[-1]), "[..., ::2]"
    else:
        made, tail = shape, ""
    values = VALUES[dtype]
    if dtype in FLOAT_DTYPES and usually(draw, 2):  # mostly finite, for gradients to check
        values = tuple(value for value in values if value not in ("nan", "inf", "-inf"))
    numbers = [one_of(draw, values) for _ in range(math.prod(made))]
    text = f"t.tensor([{', '.join(numbers)}], dtype=t.{dtype}).reshape({made}){tail}"
    if dtype in FLOAT_DTYPES and usually(draw, 3):
        text += ".requires_grad_()"
    return text


# The call -------------------------------------------------------------------------------


def draw_dim(draw, ndim):
    """One dim: mostly in range, now and then one past either end."""
    if usually(draw, 8):
        return draw(st.integers(-max(ndim, 1), max(ndim - 1, 0)))
    return one_of(draw, (ndim, -ndim - 1, max(ndim, 1) + 2))


def draw_dims(draw, ndim, forms):
    """A dim in one of ``forms``: int, tuple, list, empty, None."""
    form = one_of(draw, forms)
    if form == "int":
        return str(draw_dim(draw, ndim))
    if form == "empty":
        return "()"
    if form == "None":
        return "None"
    dims = [draw_dim(draw, ndim) for _ in range(draw(st.integers(1, 3)))]
    if usually(draw, 2):  # mostly no dim twice
        dims = list(dict.fromkeys(dims))
    return str(tuple(dims)) if form == "tuple" else str(dims)


def draw_dtype_option(draw, name, x_dtype):
    dtype = one_of(draw, DTYPES)
    if name in MEANS and dtype == "float16" and x_dtype != "float16":
        dtype = "float32"  # rounds the values first in ember (docs/differences.md)
    return f"dtype=t.{dtype}"


def call_text(draw, name, x, arguments, keywords):
    """The function or the method form, with the arguments by position or by name."""
    if usually(draw, 1):
        return f"t.{name}({', '.join([x, *arguments, *keywords])})"
    return f"{x}.{name}({', '.join([*arguments, *keywords])})"


def draw_sum_like(draw, name, x, ndim, x_dtype):
    arguments, keywords = [], []
    forms = ("int", "int", "tuple", "list", "empty", "None") if name != "prod" else ("int",)
    if name == "prod" and not usually(draw, 6):
        forms = ("tuple", "list", "None")  # PyTorch's prod takes one int dim only
    if usually(draw, 2):
        dims = draw_dims(draw, ndim, forms)
        if usually(draw, 1):
            arguments.append(dims)
            if usually(draw, 1):
                arguments.append(one_of(draw, ("True", "False")))
        else:
            keywords.append(f"dim={dims}")
            if usually(draw, 1):
                keywords.append(f"keepdim={one_of(draw, ('True', 'False'))}")
    if not usually(draw, 2):
        keywords.append(draw_dtype_option(draw, name, x_dtype))
    return call_text(draw, name, x, arguments, keywords)


def draw_extreme(draw, name, x, ndim):
    arguments, keywords = [], []
    if name in ("amax", "amin"):
        if usually(draw, 3):
            dims = draw_dims(draw, ndim, ("int", "int", "tuple", "list", "empty"))
            arguments.append(dims) if usually(draw, 1) else keywords.append(f"dim={dims}")
    elif usually(draw, 2):
        dims = draw_dim(draw, ndim) if usually(draw, 5) else one_of(draw, ("(0,)", "None"))
        arguments.append(str(dims)) if usually(draw, 1) else keywords.append(f"dim={dims}")
    if (arguments or keywords) and usually(draw, 1):
        keywords.append(f"keepdim={one_of(draw, ('True', 'False'))}")
    return call_text(draw, name, x, arguments, keywords)


def draw_variance(draw, name, x, ndim, empty):
    arguments, keywords = [], []
    if usually(draw, 2):
        dims = draw_dims(draw, ndim, ("int", "int", "tuple", "list", "empty", "None"))
        arguments.append(dims) if usually(draw, 1) else keywords.append(f"dim={dims}")
    if usually(draw, 1):
        choice = one_of(draw, ("unbiased", "unbiased", "correction"))
        if choice == "unbiased":
            unbiased = one_of(draw, ("True", "False"))
            if arguments or not keywords and usually(draw, 1):
                arguments.append(unbiased)
            else:
                keywords.append(f"unbiased={unbiased}")
        else:  # a negative correction of no values: 0 in ember, PyTorch's nan (listed)
            corrections = ("0", "1", "2", "5", "1.5") if empty else ("0", "1", "2", "-1", "1.5")
            keywords.append(f"correction={one_of(draw, corrections)}")
    if usually(draw, 1):
        keywords.append(f"keepdim={one_of(draw, ('True', 'False'))}")
    return call_text(draw, name, x, arguments, keywords)


def draw_logsumexp(draw, x, ndim):
    # () and None are taken by ember, refused by PyTorch (docs/differences.md)
    dims = draw_dims(draw, ndim, ("int", "int", "tuple", "list"))
    keywords = [f"keepdim={one_of(draw, ('True', 'False'))}"] if usually(draw, 1) else []
    if usually(draw, 1):
        return call_text(draw, "logsumexp", x, [dims], keywords)
    return call_text(draw, "logsumexp", x, [], [f"dim={dims}", *keywords])


def draw_truth(draw, name, x, ndim):
    arguments, keywords = [], []
    if usually(draw, 2):
        dims = draw_dims(draw, ndim, ("int", "int", "tuple", "list", "None"))
        arguments.append(dims) if usually(draw, 1) else keywords.append(f"dim={dims}")
    if name != "count_nonzero" and (arguments or keywords) and usually(draw, 1):
        keywords.append(f"keepdim={one_of(draw, ('True', 'False'))}")
    return call_text(draw, name, x, arguments, keywords)


def draw_misuse(draw, x, ndim):
    name = one_of(draw, ("sum", "mean", "prod", "amax", "max", "var", "logsumexp", "any"))
    return one_of(
        draw,
        (
            f"t.{name}({x}, 1.0)",
            f"t.{name}({x}, 'a')",
            f"{x}.{name}(dim=(0, 0))",
            f"t.{name}({x}, dim=0, keepdim='yes')",
            # not a float in a list of dims: ember's dims.wrap_dim raises an IndexError for
            # it (PyTorch: TypeError), a file this pass does not own (see the report)
            f"t.{name}(3)",
            f"t.{name}([1.0, 2.0])",
        ),
    )


def draw_with_out(draw, x, ndim):
    """A call with ``out=``, which ember refuses (docs/differences.md: not built)."""
    name = one_of(draw, ("sum", "mean", "prod", "amax", "max", "var", "logsumexp", "all"))
    return f"t.{name}({x}, 0, out=t.empty(0))"


@st.composite
def scenarios(draw):
    """The tensor's text and one to three calls on it."""
    shape = draw_shape(draw)
    dtype = one_of(draw, (*DTYPES, *FLOAT_DTYPES, *FLOAT_DTYPES))
    x = draw_tensor(draw, shape, dtype)
    ndim, empty = len(shape), 0 in shape
    calls = []
    for _ in range(draw(st.integers(1, 3))):
        name = one_of(draw, (*NAMES, "misuse", "out"))
        if name in (*SUMS, "prod"):
            calls.append(draw_sum_like(draw, name, "x", ndim, dtype))
        elif name in EXTREMES:
            calls.append(draw_extreme(draw, name, "x", ndim))
        elif name in VARIANCES:
            calls.append(draw_variance(draw, name, "x", ndim, empty))
        elif name == "logsumexp":
            calls.append(draw_logsumexp(draw, "x", ndim))
        elif name in TRUTHS:
            calls.append(draw_truth(draw, name, "x", ndim))
        elif name == "misuse":
            calls.append(draw_misuse(draw, "x", ndim))
        else:
            calls.append(draw_with_out(draw, "x", ndim))
    seed = draw(st.integers(0, 2**16))
    return x, calls, seed


# Running and comparing -----------------------------------------------------------------


def tensors_of(result):
    """The tensors in a result, in order: itself, or a tuple's items."""
    if isinstance(result, tuple):
        return [item for item in result if hasattr(item, "grad_fn")]
    return [result] if hasattr(result, "grad_fn") else []


def upstream_gradients(lib, result, seed):
    """The same random output gradient for each float tensor of ``result`` that needs one."""
    rng = np.random.default_rng(seed)
    pairs = []
    for tensor in tensors_of(result):
        values = rng.choice([-2.0, -0.5, 0.25, 1.0, 3.0], size=tuple(tensor.shape))
        if tensor.requires_grad:
            pairs.append((tensor, lib.tensor(values, dtype=tensor.dtype)))
    return pairs


def input_gradient(lib, x, result, seed):
    """The gradient of x, after backward from each result tensor with its random gradient."""
    pairs = upstream_gradients(lib, result, seed)
    if not pairs or not x.requires_grad:
        return None
    total = sum((tensor * grad).sum() for tensor, grad in pairs)
    total.backward()
    return x.grad


def run(lib, x_text, call, seed):
    """The call's result, the builtin base of its exception's type and the message, the
    warnings' categories and the input's gradient."""
    names = {"t": lib, "np": np, "math": math, "nan": math.nan, "inf": math.inf}
    gradient = None
    with warnings.catch_warnings(record=True) as caught_warnings:
        warnings.simplefilter("always")
        ember_s_own_filter()
        try:
            x = names["x"] = eval(x_text, names)  # noqa: S307 - the drawn tensor
            result, error, message = eval(call, names), None, ""  # noqa: S307 - the call
        except Exception as caught:  # noqa: BLE001 - the type is what is compared
            result, error, message = None, builtin_base(type(caught)), str(caught)
    warned = sorted({warning.category.__name__ for warning in caught_warnings})
    if error is None:
        gradient = input_gradient(lib, x, result, seed)
    return result, error, message, warned, gradient


def host(tensor):
    return tensor.detach().numpy()


def tolerance(dtype_name):
    return {"float16": 2e-3, "float32": 2e-5, "float64": 1e-10}.get(dtype_name, 0)


def assert_same_values(ember_values, torch_values, text, signed=True):
    tol = tolerance(torch_values.dtype.name)
    if tol == 0:
        np.testing.assert_array_equal(ember_values, torch_values, err_msg=text)
        return
    np.testing.assert_allclose(ember_values, torch_values, rtol=tol, atol=tol, err_msg=text)
    if EXTREMES_CALLED.search(text) or not signed:  # which of 0. and -0. a max picks
        return
    zeros = torch_values == 0
    assert (np.signbit(ember_values) == np.signbit(torch_values))[zeros].all(), f"{text}: -0."


def node_name(tensor):
    return None if tensor.grad_fn is None else tensor.grad_fn.name().rsplit("::", 1)[-1]


def names_differ_by_design(text):
    """Node names listed in docs/differences.md: var_mean's and std_mean's, and sum's and
    mean's with ``None`` as the dim."""
    return "_mean(" in text or re.search(r"\b(sum|mean)\((x, )?(dim=)?None", text)


def assert_same_tensor(ember_result, torch_result, text):
    assert isinstance(ember_result, ember.Tensor), f"{text}: ember gave {ember_result!r}"
    assert tuple(ember_result.shape) == tuple(torch_result.shape), text
    assert ember_result.dtype.name == str(torch_result.dtype).replace("torch.", ""), text
    assert ember_result.requires_grad == torch_result.requires_grad, text
    if not names_differ_by_design(text):
        assert node_name(ember_result) == node_name(torch_result), text
    assert_same_values(host(ember_result), host(torch_result), text)


def assert_same_result(ember_result, torch_result, text):
    if isinstance(torch_result, torch.Tensor):
        assert_same_tensor(ember_result, torch_result, text)
    elif isinstance(torch_result, tuple):
        assert isinstance(ember_result, tuple), f"{text}: ember gave {type(ember_result)}"
        assert len(ember_result) == len(torch_result), text
        torch_fields = getattr(type(torch_result), "__match_args__", None)  # a structseq
        assert getattr(type(ember_result), "__match_args__", None) == torch_fields, text
        if torch_fields:
            assert type(ember_result).__name__ == type(torch_result).__name__, text
            for field in torch_fields:  # each field by name is the item in its place
                assert getattr(ember_result, field) is ember_result[torch_fields.index(field)]
        for ember_item, torch_item in zip(ember_result, torch_result):
            assert_same_result(ember_item, torch_item, text)
    else:
        assert type(ember_result) is type(torch_result), f"{text}: ember gave {ember_result!r}"
        assert ember_result == torch_result, f"{text}: ember {ember_result}, torch {torch_result}"


def overflows_near_the_largest_value(x_text, call):
    """var and std near their dtype's largest value: PyTorch squares float32 in double along
    one dim, as ember does, but in float32 over several (inf); a float16 gradient past
    65504 is inf in ember, PyTorch's is finite. Left (see the report)."""
    huge = "3e38" in x_text or "65504.0" in x_text
    return huge and re.search(r"\b(var|std)(_mean)?\(", call)


def running_mean_past_an_inf(x_text, call):
    """var_mean's and std_mean's mean where an inf comes before another value: PyTorch's
    running mean gives nan (inf - inf), ember's the inf (docs/differences.md)."""
    return "inf" in x_text and re.search(r"\b(var|std)_mean\(", call)


def cancels_in_floats(x_text, call):
    """int64's extremes summed as floats cancel: what is left depends on the order of the
    sum, which is each library's own (a rounding, not a difference)."""
    return "922337203685477580" in x_text and "dtype=t.float" in call


def gradient_differs_by_design(x_text, call):
    """var's and std's gradients at +-inf or NaN, and with dim=() (docs/differences.md)."""
    variance = re.search(r"\b(var|std)(_mean)?\(", call)
    return variance and ("inf" in x_text or "nan" in x_text or "()" in call)


def faults_named(torch_message):
    """What an error's message must name: the dim out of range, or given twice."""
    patterns = (r"but got (-?\d+)\)", r"dim (\d+) appears multiple times")
    found = (re.search(pattern, torch_message) for pattern in patterns)
    return [match.group(1) for match in found if match]


def assert_same_outcome(x_text, call, seed=0):
    text = f"x = {x_text}; {call}"
    torch_result, torch_error, torch_message, torch_warned, torch_grad = run(
        torch, x_text, call, seed
    )
    ember_result, ember_error, ember_message, ember_warned, ember_grad = run(
        ember, x_text, call, seed
    )
    if "out=" in call:  # not built in ember (differences.md)
        assert ember_error in (TypeError, NotImplementedError), f"{text}: ember {ember_error}"
        assert "out" in ember_message, f"{text}: {ember_message}"
        return
    assert ember_error == torch_error, (
        f"{text}: ember {ember_error} ({ember_message}), torch {torch_error} ({torch_message})"
    )
    if torch_error is not None:
        for fault in faults_named(torch_message):
            assert fault in ember_message, f"{text}: {ember_message!r} lacks {fault!r}"
        return
    assert ember_warned == torch_warned, (
        f"{text}: ember warned {ember_warned}, torch {torch_warned}"
    )
    if (
        overflows_near_the_largest_value(x_text, call)
        or cancels_in_floats(x_text, call)
        or running_mean_past_an_inf(x_text, call)
    ):
        return
    assert_same_result(ember_result, torch_result, text)
    if gradient_differs_by_design(x_text, call):
        return
    assert (ember_grad is None) == (torch_grad is None), f"{text}: gradient {ember_grad}"
    if torch_grad is not None:
        # prod's gradient beside a zero may be -0. where PyTorch's is 0. (see the report)
        signed = "prod(" not in call
        assert_same_values(host(ember_grad), host(torch_grad), f"{text}: gradient", signed)


@random_settings(EXAMPLES)
@given(scenarios())
def test_random_reduction_forms_match_torch(scenario):
    x_text, calls, seed = scenario
    for call in calls:
        assert_same_outcome(x_text, call, seed)


# What this pass found, pinned --------------------------------------------------------


def same_outcome(call, x="t.tensor([[1.0, 2.0], [3.0, 5.0]]).requires_grad_()"):
    assert_same_outcome(x, call, seed=3)


def test_prod_max_and_min_take_one_int_dim():
    # A tuple, a list or None as the dim was taken; PyTorch's prod, max and min refuse it.
    for call in ("t.prod(x, (0,))", "x.prod(dim=[1])", "t.prod(x, None)", "x.prod(dim=None)"):
        same_outcome(call)
    for call in ("t.max(x, None)", "x.min(dim=(0,))", "t.max(x, [1], keepdim=True)"):
        same_outcome(call)


def test_the_dims_are_checked_before_a_dtype_that_ends_the_graph():
    same_outcome("t.prod(x, 2, dtype=t.int16)")
    same_outcome("t.sum(x, (0, -2), dtype=t.bool)")
    same_outcome("x.nansum(5, dtype=t.int64)")


def test_nanmean_refuses_an_integer_dtype():
    # of a tensor that records no graph: ember took it and gave a mean in ints
    same_outcome("x.nanmean(dtype=t.int8)", x="t.tensor(1e300, dtype=t.float64)")
    same_outcome("t.nanmean(x, 0, dtype=t.bool)", x="t.tensor([1.0, nan])")
    same_outcome("t.nanmean(x, 0, dtype=t.bool)")


def test_float16_var_and_std_are_one_node():
    # They were float32 ops cast back, ToCopyBackward0; PyTorch's are VarBackward0 and
    # StdBackward0 (and std's node leads to x, not to a variance node).
    same_outcome("t.var(x, 0)", x="t.tensor([1.0, 2.0, 4.0], dtype=t.float16).requires_grad_()")
    same_outcome("x.std()", x="t.tensor([1.0, 2.0, 4.0], dtype=t.float16).requires_grad_()")
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    assert x.std().grad_fn.next_functions[0][0].name() == "AccumulateGrad"


def test_the_forms_of_var_that_pytorch_refuses():
    # (input, unbiased) takes nothing more; (input, dim, unbiased, keepdim) needs the dim.
    for name in ("var", "std", "var_mean", "std_mean"):
        same_outcome(f"t.{name}(x, True, keepdim=True)")
        same_outcome(f"x.{name}(unbiased=False, keepdim=False)")
        same_outcome(f"t.{name}(x, False)")
        same_outcome(f"x.{name}(unbiased=True)")


def test_argument_types_are_refused_before_the_dtype():
    integers = "t.tensor([[1, 2], [3, 4]])"
    for call in ("t.mean(x, 'a')", "x.mean(0, keepdim='yes')", "t.var(x, 1.0)", "x.std(0, [1])"):
        same_outcome(call, x=integers)
    for call in ("t.logsumexp(x, 0, keepdim='yes')", "t.amax(x, 0, 'yes')", "x.max(0, 'no')"):
        same_outcome(call)
    same_outcome("t.var(x, 0, keepdim=1)")


def test_amax_of_an_empty_tensor_reports_the_empty_dim_before_a_repeated_one():
    same_outcome("t.amin(x, dim=[1, -1])", x="t.zeros(1, 0)")
    same_outcome("x.amax((0, 0, 0))", x="t.zeros(0, 0, dtype=t.int32)")


def test_nansum_and_var_check_their_dims_one_by_one():
    # PyTorch reports the repeated 0 before the 3 out of range (sum: the 3 first)
    for name in ("nansum", "var", "std", "sum", "mean"):
        same_outcome(f"t.{name}(x, (-1, 1, 3))")


def test_float32_var_and_std_along_a_dim_square_in_double():
    huge = "t.tensor([[3e38, 2.0], [1.0, -1.5]]).requires_grad_()"
    for call in ("x.std(1)", "t.var(x, -1, keepdim=True)", "t.std_mean(x, 1)"):
        same_outcome(call, x=huge)
    # the mean beside the variance is in double too
    same_outcome("t.var_mean(x, 1)", x="t.tensor([[3e38, 3e38]]).requires_grad_()")


def test_var_s_gradient_with_a_correction_past_the_count():
    # Along a dim PyTorch's backward divides by the count less the correction, below 0
    # too; over all dims (or of a 0-d tensor) by 0.
    for correction in ("1.5", "2", "3"):
        for call in (f"x.var(0, correction={correction})", f"t.std(x, correction={correction})"):
            same_outcome(call, x="t.tensor([1.0, 3.0]).requires_grad_()")
            same_outcome(call.replace("(0, ", "((0,), "), x="t.tensor(-1.5).requires_grad_()")


def test_nansum_counts_nan_as_zero_before_a_cast_to_bool_or_int():
    same_outcome("t.nansum(x, 0, dtype=t.bool)", x="t.tensor([nan, 0.0])")
    same_outcome("x.nansum(dtype=t.int32)", x="t.tensor([[nan, 2.5], [1.0, nan]])")


def test_var_s_gradient_over_all_dims_by_a_count_of_zero():
    # inf of the output gradient's sign at every value (nan at the mean), where along a dim
    # each value's side of the mean gives the sign
    for call in ("t.var(x, correction=2)", "x.var(None, correction=3)", "x.var(0, correction=2)"):
        same_outcome(call, x="t.tensor([0.25, 1.0]).requires_grad_()")


def test_a_product_of_two_zeros_has_no_gradient_even_beside_an_inf():
    same_outcome("x.prod()", x="t.tensor([0.0, -0.0, inf, 2.0]).requires_grad_()")
    same_outcome("x.prod(0)", x="t.tensor([0.0, 0.0, nan]).requires_grad_()")


def test_prod_s_gradient_divides_before_it_multiplies():
    same_outcome("t.prod(x, 0)", x="t.tensor([[65504.0]], dtype=t.float16).requires_grad_()")


def test_an_overflowing_product_or_float16_mean_warns_of_nothing():
    # NumPy's RuntimeWarning came from its own module, past ember's filter.
    same_outcome("x.prod()", x="t.tensor([3e38, 3e38, 0.0]).requires_grad_()")
    same_outcome("x.prod(0)", x="t.tensor([[3e38, 1.0], [3e38, 2.0]])")
    same_outcome("x.mean(())", x="t.tensor([inf, -inf, 1.0], dtype=t.float16)")
