"""Random calls of ``nn.init`` (the ninth pass), beside torch's.

Each scenario draws one initialiser (uniform_, normal_, constant_, zeros_, ones_, eye_,
dirac_, trunc_normal_, xavier_uniform_, xavier_normal_, kaiming_uniform_,
kaiming_normal_, orthogonal_, sparse_, and calculate_gain) with drawn arguments (gains,
modes, nonlinearities, negative slopes, bounds, sparsity, groups, some that PyTorch
refuses) over a tensor of 0 to 4 dims (sizes 0 to 5) in float32 or float64, a leaf that
requires grad or not. Draws come from each library's own generator, so it compares what
does not depend on the numbers drawn: the exception type, that the tensor itself comes
back, its shape, dtype and requires_grad, that no graph was recorded, the values where
they are determined (constants, eye, dirac, zeros of sparse_), bounds where the values
are drawn (uniform and truncated normal within their bounds, orthogonal rows or columns
orthonormal times the gain), and the scale that the fans and the gain set (the bound of
a Xavier or Kaiming uniform by PyTorch's formulas, which every draw stays within and
reaches past half of).

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

EXAMPLES = int(os.environ.get("EMBER_RANDOM_SCENARIOS", "200"))
NONLINEARITIES = (
    "linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu", "selu", "identity", "gelu",
)  # fmt: skip


def draw_gain_arguments(draw):
    """calculate_gain's nonlinearity and param, as text."""
    nonlinearity = one_of(draw, NONLINEARITIES)
    if nonlinearity != "leaky_relu" or usually(draw, 2):
        return repr(nonlinearity)
    param = one_of(draw, ("0.2", "0", "1", "True", "'x'", "-0.5"))
    return f"{nonlinearity!r}, {param}"


def draw_call(draw):
    name = one_of(
        draw,
        (
            "uniform_", "normal_", "constant_", "zeros_", "ones_", "eye_", "dirac_",
            "trunc_normal_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_",
            "kaiming_normal_", "orthogonal_", "sparse_", "calculate_gain",
        ),
    )  # fmt: skip
    if name == "calculate_gain":
        return f"t.nn.init.calculate_gain({draw_gain_arguments(draw)})"
    if name == "uniform_":
        a, b = one_of(draw, (-1.0, 0.0, 2.0)), one_of(draw, (1.0, 0.5, -2.0))
        return f"t.nn.init.uniform_(x, {a}, {b})"
    if name == "normal_":
        return f"t.nn.init.normal_(x, {one_of(draw, (0.0, 3.0))}, {one_of(draw, (1.0, 0.1))})"
    if name == "constant_":
        return f"t.nn.init.constant_(x, {one_of(draw, ('0.5', '-2', 'True', '1e3'))})"
    if name in ("zeros_", "ones_", "eye_", "orthogonal_"):
        gain = f", gain={one_of(draw, (1, 2.5))}" if name == "orthogonal_" else ""
        return f"t.nn.init.{name}(x{gain})"
    if name == "dirac_":
        return f"t.nn.init.dirac_(x, groups={one_of(draw, (1, 1, 2, 3))})"
    if name == "trunc_normal_":
        a, b = one_of(draw, (-2.0, 0.0, -0.5)), one_of(draw, (2.0, 1.0, 0.5))
        return f"t.nn.init.trunc_normal_(x, 0.0, {one_of(draw, (1.0, 0.5))}, {a}, {b})"
    if name.startswith("xavier"):
        return f"t.nn.init.{name}(x, gain={one_of(draw, (1.0, 0.5, 3))})"
    if name.startswith("kaiming"):
        mode = one_of(draw, ("fan_in", "fan_out", "fan_in", "fan_avg"))
        nonlinearity = one_of(draw, ("leaky_relu", "relu", "tanh", "linear", "selu"))
        a = one_of(draw, (0, 0.1, math.sqrt(5)))
        return f"t.nn.init.{name}(x, a={a}, mode={mode!r}, nonlinearity={nonlinearity!r})"
    sparsity = one_of(draw, (0.0, 0.1, 0.5, 0.9))
    return f"t.nn.init.sparse_(x, {sparsity}, std={one_of(draw, (0.01, 1.0))})"


@st.composite
def scenarios(draw):
    shape = tuple(draw(st.lists(st.integers(0, 5), max_size=4)))
    dtype = one_of(draw, ("float32", "float64"))
    requires_grad = usually(draw, 2)
    return draw_call(draw), shape, dtype, requires_grad, draw(st.integers(0, 2**31))


def run(lib, text, shape, dtype, requires_grad, seed):
    """The tensor ``x`` and what the call returned, or the exception type's builtin base."""
    lib.manual_seed(seed)
    x = lib.zeros(shape, dtype=getattr(lib, dtype), requires_grad=requires_grad)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ember_s_own_filter()
        try:
            result = eval(text, {"t": lib, "x": x}), None  # noqa: S307 - the drawn call
        except Exception as error:  # noqa: BLE001 - the type is what is compared
            result = None, builtin_base(type(error))
    return x, *result, bool(caught)


def values(tensor):
    return tensor.detach().numpy().astype(np.float64)


def fans(shape):
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def assert_determined_values_agree(text, ours, theirs):
    """Where the values do not depend on the draws, they are PyTorch's."""
    if any(name in text for name in ("constant_", "zeros_", "ones_", "eye_", "dirac_")):
        np.testing.assert_array_equal(ours, theirs, err_msg=text)
    elif "sparse_" in text:
        # Each column holds the same number of zeros (their rows are drawn).
        np.testing.assert_array_equal((ours == 0).sum(0), (theirs == 0).sum(0), err_msg=text)


def assert_within_bounds(text, ours, shape):
    """Drawn values stay where the call's own bounds put them."""
    if "uniform_(x, " in text and "t.nn.init.uniform_" in text:
        a, b = (float(part) for part in text.split("(x, ")[1].rstrip(")").split(", "))
        assert ((ours >= min(a, b)) & (ours <= max(a, b))).all(), text
    elif "trunc_normal_" in text:
        bounds = text.split("(x, ")[1].rstrip(")").split(", ")
        a, b = float(bounds[2]), float(bounds[3])
        assert ((ours >= a) & (ours <= b)).all(), text


def uniform_bound(text, shape):
    """The bound a Xavier or Kaiming uniform draws within, by PyTorch's formulas and its
    calculate_gain; None for other calls."""
    if "xavier_uniform_" in text:
        gain = float(re.search(r"gain=([\d.]+)", text).group(1))
        return gain * math.sqrt(6.0 / sum(fans(shape)))
    if "kaiming_uniform_" in text:
        a = float(re.search(r"a=([\d.]+)", text).group(1))
        nonlinearity = re.search(r"nonlinearity='(\w+)'", text).group(1)
        fan_in, fan_out = fans(shape)
        fan = fan_in if "'fan_in'" in text else fan_out
        return torch.nn.init.calculate_gain(nonlinearity, a) * math.sqrt(3.0 / fan)
    return None


def assert_same_scale(text, ours, shape):
    """A uniform initialiser's values stay within its bound and, of 32 or more, reach
    past half of it (each misses half with odds of 2 in 3 billion)."""
    bound = None if ours.size == 0 else uniform_bound(text, shape)  # empty: a no-op
    if bound is None:
        return
    largest = np.abs(ours).max(initial=0.0)
    assert largest <= bound * (1 + 1e-6), (text, largest, bound)
    if ours.size >= 32:
        assert largest >= bound / 2, (text, largest, bound)


def assert_orthogonal(text, ours, shape, gain):
    if "orthogonal_" not in text or len(shape) < 2 or 0 in shape:
        return
    rows = ours.reshape(shape[0], -1) / gain
    small = rows @ rows.T if rows.shape[0] <= rows.shape[1] else rows.T @ rows
    np.testing.assert_allclose(small, np.eye(len(small)), atol=1e-5, err_msg=text)


@random_settings(EXAMPLES)
@given(scenarios())
def test_random_init_calls_match_torch(scenario):
    text, shape, dtype, requires_grad, seed = scenario
    torch_x, torch_result, torch_error, torch_warned = run(torch, *scenario)
    ember_x, ember_result, ember_error, ember_warned = run(ember, *scenario)
    assert ember_error == torch_error, f"{text}: ember {ember_error}, torch {torch_error}"
    if torch_error is not None:
        return
    assert ember_warned == torch_warned, f"{text}: ember warned {ember_warned}"
    if "calculate_gain" in text:
        assert ember_result == torch_result or math.isclose(ember_result, torch_result)
        return
    assert ember_result is ember_x, f"{text}: not the tensor itself"
    assert ember_x.dtype.name == dtype and tuple(ember_x.shape) == tuple(torch_x.shape)
    assert ember_x.requires_grad == torch_x.requires_grad and ember_x.grad_fn is None
    ours, theirs = values(ember_x), values(torch_x)
    assert_determined_values_agree(text, ours, theirs)
    assert_within_bounds(text, ours, shape)
    assert_same_scale(text, ours, shape)
    gain = float(text.split("gain=")[1].rstrip(")")) if "orthogonal_" in text else 1.0
    assert_orthogonal(text, ours, shape, gain)
