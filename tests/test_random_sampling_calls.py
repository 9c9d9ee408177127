"""Random calls of the random-number API (the ninth pass), beside torch's.

Each scenario draws one call with drawn arguments: ``rand``, ``randn``, ``randint`` (its
three forms), ``randperm``, ``normal`` (numbers and tensors for mean and std, with a
size), ``bernoulli`` (a tensor of probabilities, or one ``p``), ``multinomial`` (1-d and
2-d weights, with and without replacement), ``rand_like``, ``randn_like``,
``randint_like``, and the in-place fills ``normal_``, ``uniform_``, ``random_``,
``bernoulli_`` and ``exponential_``, with dtypes, sizes (0-d, empty), generators and
bounds that PyTorch takes or refuses. Draws come from each library's own generator, so
what is compared is everything but the values: the exception type, then the shape,
dtype and ``requires_grad`` of the result, and that its values lie where PyTorch's must
(in range, whole, a permutation, 0 or 1, distinct indices of nonzero weight). Every
call also runs twice in ember from one seed and must repeat itself.

``EMBER_RANDOM_SCENARIOS=3000`` runs more than the suite's default.
"""

import math
import os
import warnings

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import builtin_base, ember_s_own_filter, random_settings
from test_random_programs_seventh import one_of, usually

import ember

EXAMPLES = int(os.environ.get("EMBER_RANDOM_SCENARIOS", "200"))
FLOATS = ("float16", "float32", "float64")
INTEGERS = ("uint8", "int8", "int16", "int32", "int64")


def draw_size(draw):
    return tuple(draw(st.lists(st.integers(0, 4), max_size=3)))


def draw_bound(draw):
    return one_of(draw, (0, 1, 3, 10, -5, 200, 2**15, 2**31, -(2**40), 2**62))


def draw_call(draw):
    """(text, check): ``text`` is the call as Python over ``t`` (ember or torch) and the
    arrays in ``data``; ``check`` names what its values must satisfy."""
    kind = one_of(
        draw,
        ("rand", "randint", "randperm", "normal", "bernoulli", "multinomial", "like", "fill"),
    )
    return globals()[f"draw_{kind}"](draw)


def dtype_option(draw, names):
    name = one_of(draw, names)
    return "" if name is None else f", dtype=t.{name}"


def draw_rand(draw):
    name = one_of(draw, ("rand", "randn"))
    size = draw_size(draw)
    sizes = f"{size}" if usually(draw, 2) else ", ".join(map(str, size)) or "()"
    # An integer dtype only where there is something to draw: PyTorch's randn checks the
    # dtype in a kernel that an empty tensor never runs (see torch_skips_the_dtype_check)
    integers = ("int64",) if math.prod(size) else ()
    dtype = dtype_option(draw, (None,) + FLOATS + integers)
    grad = ", requires_grad=True" if not usually(draw, 4) else ""
    return f"t.{name}({sizes}{dtype}{grad})", "unit" if name == "rand" else "finite"


def draw_randint(draw):
    low, high = draw_bound(draw), draw_bound(draw)
    size = draw_size(draw)
    dtype = dtype_option(draw, (None, None) + INTEGERS + ("float32", "float64", "bool"))
    form = one_of(draw, ("low_high", "high", "keywords"))
    if form == "low_high":
        call = f"t.randint({low}, {high}, {size}{dtype})"
    elif form == "high":
        call, low = f"t.randint({high}, {size}{dtype})", 0
    else:
        call, low = f"t.randint(high={high}, size={size}{dtype})", 0
    return call, ("range", low, high)


def draw_randperm(draw):
    n = one_of(draw, (0, 1, 5, 17, -1, 300, 2050))
    dtype = dtype_option(draw, (None,) + INTEGERS + FLOATS + ("bool",))
    return f"t.randperm({n}{dtype})", ("permutation", n)


def draw_normal(draw):
    form = one_of(draw, ("numbers", "tensors", "tensor_mean", "tensor_std"))
    std = one_of(draw, ("1.0", "0.0", "2.5", "-1.0", "float('nan')"))
    size = draw_size(draw)
    if form == "numbers":
        return f"t.normal(0.5, {std}, {size})", "finite_or_nan"
    shape = draw_size(draw)
    mean_tensor = f"t.tensor(data['mean'][:{math.prod(shape)}].reshape({shape}))"
    std_tensor = f"t.tensor(data['std'][:{math.prod(shape)}].reshape({shape}))"
    if form == "tensors":
        other = draw_size(draw) if not usually(draw, 4) else shape
        std_tensor = f"t.tensor(data['std'][:{math.prod(other)}].reshape({other}))"
        return f"t.normal({mean_tensor}, {std_tensor})", "finite_or_nan"
    if form == "tensor_mean":
        return f"t.normal({mean_tensor}, {std})", "finite_or_nan"
    return f"t.normal(0.5, {std_tensor})", "finite_or_nan"


def draw_bernoulli(draw):
    shape = draw_size(draw)
    probs = f"t.tensor(data['probs'][:{math.prod(shape)}].reshape({shape}))"
    if not usually(draw, 5):
        probs = f"({probs} * 2 - 0.5)"  # some outside [0, 1]
    if usually(draw, 2):
        return f"t.bernoulli({probs})", ("range", 0, 2)
    p = one_of(draw, ("0.0", "0.3", "1.0", "1.5", "-0.1"))
    return f"t.bernoulli({probs}, p={p})", ("range", 0, 2)


def draw_multinomial(draw):
    rows = one_of(draw, (None, 1, 3))
    classes = one_of(draw, (1, 3, 5, 0))
    shape = (classes,) if rows is None else (rows, classes)
    weights = f"t.tensor(data['weights'][:{math.prod(shape)}].reshape({shape}))"
    if not usually(draw, 6):
        weights = f"{weights}.long()"
    if not usually(draw, 8):
        weights = f"({weights} - 1)"  # negative weights
    samples = one_of(draw, (1, 2, 4, 7, 0, -1))
    replacement = one_of(draw, (False, True))
    return (
        f"t.multinomial({weights}, {samples}, replacement={replacement})",
        ("categories", replacement),
    )


def draw_like(draw):
    name = one_of(draw, ("rand_like", "randn_like", "randint_like"))
    like_dtype = one_of(draw, FLOATS + ("int64", "int32", "bool"))
    like = f"t.zeros({draw_size(draw)}, dtype=t.{like_dtype})"
    dtype = dtype_option(draw, (None, None) + FLOATS + ("int64",))
    if name != "randint_like":
        return f"t.{name}({like}{dtype})", "unit" if name == "rand_like" else "finite"
    high = draw_bound(draw)
    if usually(draw, 2):
        return f"t.randint_like({like}, {high}{dtype})", ("range", 0, high)
    low = draw_bound(draw)
    return f"t.randint_like({like}, {low}, {high}{dtype})", ("range", low, high)


def draw_fill(draw):
    dtype = one_of(draw, FLOATS + FLOATS + ("int64", "int32", "uint8", "bool"))
    target = f"t.zeros({draw_size(draw)}, dtype=t.{dtype})"
    name = one_of(draw, ("normal_", "uniform_", "random_", "bernoulli_", "exponential_"))
    if name == "normal_":
        std = one_of(draw, ("1.0", "0.0", "-2.0"))
        return f"{target}.normal_(3.0, {std})", "finite"
    if name == "uniform_":
        a, b = one_of(draw, (0.0, -2.0, 1.5, 1e39)), one_of(draw, (1.0, -3.0, 1.5, 7.0))
        return f"{target}.uniform_({a}, {b})", ("interval", a, b)
    if name == "random_":
        form = one_of(draw, ("none", "to", "from_to"))
        if form == "none":
            return f"{target}.random_()", ("range", 0, None)
        high = draw_bound(draw)
        if form == "to":
            return f"{target}.random_({high})", ("range", 0, high)
        low = draw_bound(draw)
        return f"{target}.random_({low}, {high})", ("range", low, high)
    if name == "bernoulli_":
        p = one_of(draw, ("0.5", "0.0", "1.0", "1.2", "t.tensor(data['probs'][:1])"))
        return f"{target}.bernoulli_({p})", ("range", 0, 2)
    lambd = one_of(draw, ("1.0", "0.5", "0.0", "-1.0"))
    return f"{target}.exponential_({lambd})", "positive"


@st.composite
def scenarios(draw):
    text, check = draw_call(draw)
    return text, check, draw(st.integers(0, 2**31))


def shared_data(seed):
    rng = np.random.default_rng(seed)
    weights = rng.uniform(0, 2, 64)
    weights[rng.random(64) < 0.3] = 0.0
    return {
        "mean": rng.normal(0, 2, 64),
        "std": rng.uniform(0, 2, 64),
        "probs": rng.uniform(0, 1, 64),
        "weights": weights,
    }


def run(lib, text, data, seed):
    """The call's result or the builtin base of its exception's type, and whether it
    warned."""
    lib.manual_seed(seed)
    with warnings.catch_warnings(record=True) as caught_warnings:
        warnings.simplefilter("always")
        ember_s_own_filter()
        try:
            result = eval(text, {"t": lib, "data": data, "math": math}), None  # noqa: S307
        except Exception as caught:  # noqa: BLE001 - the type is what is compared
            result = None, builtin_base(type(caught))
    return *result, bool(caught_warnings)


def values_of(tensor):
    return tensor.detach().numpy().astype(np.float64) if tensor.numel() else np.zeros(0)


def assert_where_torch_puts_them(values, check, dtype_name):
    """The values lie where PyTorch's must, for what the call asked."""
    if check == "unit":
        assert ((values >= 0) & (values <= 1)).all()  # 1 itself: a float16 rounding up
    elif check == "finite":
        assert np.isfinite(values).all()
    elif check == "positive":
        assert (values >= 0).all()
    elif check[0] == "range":
        _, low, high = check
        assert (values == np.round(values)).all() or dtype_name in FLOATS[:1]
        assert (values >= min(low, 0) if dtype_name == "bool" else values >= low).all()
        if high is not None and dtype_name not in FLOATS:
            assert (values < high).all()
    elif check[0] == "interval":
        _, low, high = check
        assert ((values >= low) & (values <= high)).all()
    elif check[0] == "permutation":
        assert sorted(values.tolist()) == list(range(check[1]))
    elif check[0] == "categories":
        assert (values == np.round(values)).all() and (values >= 0).all()
        if not check[1]:
            rows = values.reshape(-1, values.shape[-1]) if values.ndim else values.reshape(1, 1)
            assert all(len(set(row)) == len(row) for row in rows.tolist())


def torch_skips_the_dtype_check(torch_result):
    """PyTorch refuses integer dtypes for normal_, exponential_ and randn in kernels that an
    empty tensor never runs; ember refuses them always (docs/differences.md)."""
    return (
        torch_result is not None
        and torch_result.numel() == 0
        and not torch_result.is_floating_point()
    )


@random_settings(EXAMPLES)
@given(scenarios())
def test_random_calls_match_torch(scenario):
    text, check, seed = scenario
    data = shared_data(seed)
    torch_result, torch_error, torch_warned = run(torch, text, data, seed)
    ember_result, ember_error, ember_warned = run(ember, text, data, seed)
    if ember_error is not None and torch_skips_the_dtype_check(torch_result):
        return
    assert ember_error == torch_error, f"{text}: ember {ember_error}, torch {torch_error}"
    if torch_error is not None:
        return
    assert ember_warned == torch_warned, (
        f"{text}: warned: ember {ember_warned}, torch {torch_warned}"
    )
    assert tuple(ember_result.shape) == tuple(torch_result.shape), text
    dtype_name = str(torch_result.dtype).replace("torch.", "")
    assert ember_result.dtype.name == dtype_name, text
    assert ember_result.requires_grad == torch_result.requires_grad, text
    assert_where_torch_puts_them(values_of(ember_result), check, dtype_name)
    again, *_ = run(ember, text, data, seed)
    np.testing.assert_array_equal(values_of(again), values_of(ember_result), err_msg=text)


# What this pass found, pinned --------------------------------------------------------


def same_outcome(text):
    """ember and torch raise the same exception type, or both return the same shape."""
    data = shared_data(0)
    torch_result, torch_error, torch_warned = run(torch, text, data, 0)
    ember_result, ember_error, ember_warned = run(ember, text, data, 0)
    assert (ember_error, ember_warned) == (torch_error, torch_warned), text
    if torch_error is None:
        assert tuple(ember_result.shape) == tuple(torch_result.shape), text


def test_fills_check_their_argument_before_the_dtype():
    same_outcome("t.zeros(2, dtype=t.int64).normal_(0.0, -1.0)")
    same_outcome("t.zeros(2, dtype=t.int64).exponential_(-1.0)")
    same_outcome("t.randperm(-1, dtype=t.bool)")


def test_multinomial_of_no_categories_and_of_no_rows():
    same_outcome("t.multinomial(t.zeros(0), 1, replacement=True)")
    same_outcome("t.multinomial(t.ones(0, 3), 2)")


def test_bernoulli_fill_probabilities_must_expand_to_the_tensor():
    same_outcome("t.zeros(2).bernoulli_(t.full((3,), 0.5))")
    same_outcome("t.zeros(()).bernoulli_(t.full((1,), 0.5))")


def test_random_floats_stay_within_the_dtype_and_warn_past_its_exact_integers():
    same_outcome("t.randint_like(t.zeros(2, dtype=t.float16), 0, 2**31)")
    same_outcome("t.randint_like(t.zeros(2, dtype=t.float32), 0, 2**25)")
    same_outcome("t.zeros(2, dtype=t.float64).random_(-(2**54), 0)")


def test_log_normal_geometric_and_cauchy_fills_as_torch():
    for text in (
        "t.empty(3).log_normal_(1.0, -1.0)",
        "t.empty(3, dtype=t.int64).log_normal_()",
        "t.empty(3).geometric_(1.5)",
        "t.empty(3, dtype=t.bool).geometric_(0.5)",
        "t.empty(3).cauchy_(0.0, -1.0)",
        "t.empty(3, dtype=t.int64).cauchy_()",
        "t.empty(4, dtype=t.int32).geometric_(0.3)",
        "t.empty(2, dtype=t.float16).cauchy_()",
    ):
        same_outcome(text)
    assert bool((ember.empty(1000).log_normal_() > 0).all())
    assert bool((ember.empty(1000, dtype=ember.int32).geometric_(0.3) >= 1).all())
