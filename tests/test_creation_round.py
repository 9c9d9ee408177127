"""A differential round on making tensors and drawing random numbers (T1, T9, T11).

Each case runs in ember and in torch: a tensor result must have torch's values, dtype,
shape and requires_grad (random ones: all but the values); an error must be torch's
exception type. Statistics of many draws are checked against the distribution itself.
"""

import subprocess
import sys
import warnings

import numpy as np
import pytest
import torch
from oracle import assert_same, check_error

import ember

# (name, fn): fn(lib) returns a tensor that must equal torch's, requires_grad included.
SAME_RESULT = [
    ("full_int_wraps_into_uint8", lambda t: t.full((2,), -1, dtype=t.uint8)),
    ("full_like_float_into_int", lambda t: t.full_like(t.ones(2, dtype=t.int64), 2.7)),
    ("full_0d_tensor_fill", lambda t: t.full((2,), t.tensor(2.5))),
    ("zeros_size_keyword", lambda t: t.zeros(size=(2, 3))),
    ("ones_size_keyword_list", lambda t: t.ones(size=[2])),
    ("empty_size_keyword_shape", lambda t: t.empty(size=(0, 3))),
    ("zeros_pin_memory", lambda t: t.zeros(2, pin_memory=False)),
    ("arange_end_keyword", lambda t: t.arange(end=5)),
    ("arange_start_end_keywords", lambda t: t.arange(start=1, end=5)),
    ("arange_pin_memory", lambda t: t.arange(3, pin_memory=False)),
    ("tensor_int_wraps_into_uint8", lambda t: t.tensor([-255, 255], dtype=t.uint8)),
    ("tensor_bools_as_uint8", lambda t: t.tensor([True, False], dtype=t.uint8)),
    ("tensor_floats_in_int8_range", lambda t: t.tensor([127.0, -128.0], dtype=t.int8)),
    ("tensor_float_2_63_as_int64", lambda t: t.tensor([2.0**63], dtype=t.int64)),
    ("tensor_overflow_to_float_inf", lambda t: t.tensor([1e300])),
    ("logspace_tensor_bounds", lambda t: t.logspace(t.tensor(0.0), t.tensor(2.0), 3)),
]


@pytest.mark.parametrize("make", [c[1] for c in SAME_RESULT], ids=[c[0] for c in SAME_RESULT])
def test_creation_matches_torch(make):
    ember_result, torch_result = make(ember), make(torch)
    assert_same(ember_result, torch_result, atol=0, rtol=0)
    assert ember_result.requires_grad == torch_result.requires_grad


# (name, fn): fn(lib) makes a random tensor; shape, dtype and requires_grad must be torch's.
RANDOM_LAYOUT = [
    ("rand_size_keyword", lambda t: t.rand(size=(2, 3))),
    ("randn_size_keyword", lambda t: t.randn(size=[4])),
    ("rand_pin_memory", lambda t: t.rand(2, pin_memory=False)),
    ("randint_size_keyword", lambda t: t.randint(10, size=(3,))),
    ("randint_high_keyword", lambda t: t.randint(high=10, size=(3,))),
    ("randint_all_keywords", lambda t: t.randint(low=3, high=10, size=(3,))),
    ("randint_full_uint8_range", lambda t: t.randint(0, 256, (3,), dtype=t.uint8)),
    ("randint_bool", lambda t: t.randint(0, 2, (3,), dtype=t.bool)),
    ("randint_like_requires_grad", lambda t: t.randint_like(t.ones(2), 10, requires_grad=True)),
    ("normal_mean_dtype_wins", lambda t: t.normal(t.zeros(2), t.ones(2, dtype=t.float64))),
    ("randperm_0d_tensor", lambda t: t.randperm(t.tensor(4))),
    ("randperm_full_uint8", lambda t: t.randperm(256, dtype=t.uint8)),
    ("randperm_float16_limit", lambda t: t.randperm(2049, dtype=t.float16)),
    ("random_no_arguments_int", lambda t: t.ones(3, dtype=t.int32).random_()),
    ("random_no_arguments_float", lambda t: t.ones(3).random_()),
    ("random_to_keyword", lambda t: t.ones(3, dtype=t.int32).random_(to=8)),
    ("bernoulli_tensor_p_in_place", lambda t: t.ones(3).bernoulli_(t.full((3,), 0.5))),
    ("normal_float_mean_int_std", lambda t: t.normal(t.zeros(2), t.ones(2, dtype=t.int64))),
]


@pytest.mark.parametrize("make", [c[1] for c in RANDOM_LAYOUT], ids=[c[0] for c in RANDOM_LAYOUT])
def test_random_layout_matches_torch(make):
    ember_result, torch_result = make(ember), make(torch)
    assert tuple(ember_result.shape) == tuple(torch_result.shape)
    assert ember_result.dtype.name == str(torch_result.dtype).removeprefix("torch.")
    assert ember_result.requires_grad == torch_result.requires_grad


ERRORS = [
    ("tensor_complex", lambda t: t.tensor(1 + 2j), TypeError),
    ("tensor_complex_list", lambda t: t.tensor([1j, 2]), TypeError),
    ("tensor_bytes", lambda t: t.tensor(b"ab"), None),
    ("tensor_300_as_uint8", lambda t: t.tensor([300], dtype=t.uint8), None),
    ("tensor_minus_256_as_uint8", lambda t: t.tensor([-256], dtype=t.uint8), None),
    ("tensor_negative_float_as_uint8", lambda t: t.tensor([-2.2], dtype=t.uint8), None),
    ("tensor_128_as_int8", lambda t: t.tensor([1, 128], dtype=t.int8), None),
    ("tensor_nan_as_int64", lambda t: t.tensor(float("nan"), dtype=t.int64), None),
    ("tensor_inf_as_int32", lambda t: t.tensor([float("inf")], dtype=t.int32), None),
    ("tensor_1e20_as_int64", lambda t: t.tensor(1e20, dtype=t.int64), None),
    ("tensor_list_of_0d_arrays", lambda t: t.tensor([np.array(1.0), np.array(2.0)]), None),
    ("zeros_no_size", lambda t: t.zeros(), None),
    ("ones_size_twice", lambda t: t.ones(2, size=(3,)), None),
    ("empty_size_keyword_int", lambda t: t.empty(size=2), None),
    ("rand_no_size", lambda t: t.rand(), None),
    ("randn_size_keyword_int", lambda t: t.randn(size=2), None),
    ("full_none", lambda t: t.full((2,), None), None),
    ("full_str", lambda t: t.full((2,), "a"), None),
    ("full_complex", lambda t: t.full((2,), 1j), TypeError),
    ("full_1d_tensor", lambda t: t.full((2,), t.tensor([2.5])), None),
    ("full_nan_as_int64", lambda t: t.full((2,), float("nan"), dtype=t.int64), None),
    ("full_300_as_uint8", lambda t: t.full((2,), 300, dtype=t.uint8), None),
    ("full_1e10_as_float16", lambda t: t.full((2,), 1e10, dtype=t.float16), None),
    ("full_like_nan_as_int", lambda t: t.full_like(t.ones(2, dtype=t.int64), float("nan")), None),
    ("arange_no_arguments", lambda t: t.arange(), None),
    ("logspace_negative_steps", lambda t: t.logspace(0, 3, -1), None),
    ("logspace_float_steps", lambda t: t.logspace(0, 3, 2.0), None),
    ("randint_float_high", lambda t: t.randint(10.0, (3,)), None),
    ("randint_float_bounds", lambda t: t.randint(0.5, 10.5, (3,)), None),
    ("randint_beyond_uint8", lambda t: t.randint(0, 300, (3,), dtype=t.uint8), None),
    ("randint_negative_uint8", lambda t: t.randint(-5, 3, (3,), dtype=t.uint8), None),
    ("randint_beyond_int8", lambda t: t.randint(0, 200, (3,), dtype=t.int8), None),
    ("randint_beyond_bool", lambda t: t.randint(0, 3, (3,), dtype=t.bool), None),
    ("normal_tensor_negative_std", lambda t: t.normal(0.0, -t.ones(2)), None),
    ("normal_tensors_negative_std", lambda t: t.normal(t.zeros(2), -t.ones(2)), None),
    ("normal_nan_std", lambda t: t.normal(0.0, float("nan"), (2,)), None),
    ("normal_tensor_nan_std", lambda t: t.normal(t.zeros(2), float("nan")), None),
    ("normal_int_mean", lambda t: t.normal(t.zeros(2, dtype=t.int64), 1.0), RuntimeError),
    ("normal_int_std", lambda t: t.normal(0.0, t.ones(2, dtype=t.int64)), RuntimeError),
    ("normal_shapes_mismatch", lambda t: t.normal(t.zeros(2, 3), t.ones(3, 2)), None),
    ("manual_seed_beyond_64_bits", lambda t: t.manual_seed(2**64), None),
    ("manual_seed_below_int64", lambda t: t.manual_seed(-(2**63) - 1), None),
    ("generator_float_seed", lambda t: t.Generator().manual_seed(2.5), None),
    ("randperm_negative", lambda t: t.randperm(-1), None),
    ("randperm_float", lambda t: t.randperm(3.0), None),
    ("randperm_beyond_int8", lambda t: t.randperm(129, dtype=t.int8), None),
    ("randperm_beyond_uint8", lambda t: t.randperm(257, dtype=t.uint8), None),
    ("randperm_beyond_float16", lambda t: t.randperm(2050, dtype=t.float16), None),
    ("bernoulli_probability_above_1", lambda t: t.bernoulli(t.full((3,), 1.5)), None),
    ("bernoulli_negative_probability", lambda t: t.bernoulli(t.full((3,), -0.5)), None),
    ("bernoulli_int_input", lambda t: t.bernoulli(t.ones(3, dtype=t.int64)), RuntimeError),
    ("bernoulli_p_above_1", lambda t: t.bernoulli(t.ones(3), 1.5), None),
    ("bernoulli_tensor_p", lambda t: t.bernoulli(t.ones(3), t.full((3,), 0.5)), None),
    ("bernoulli__bad_tensor_p", lambda t: t.ones(3).bernoulli_(t.full((3,), 2.0)), None),
    ("multinomial_too_many", lambda t: t.multinomial(t.ones(3), 5), None),
    ("multinomial_negative", lambda t: t.multinomial(t.tensor([-1.0, 2.0]), 1), None),
    ("multinomial_zero_sum", lambda t: t.multinomial(t.zeros(3), 1), None),
    ("multinomial_int", lambda t: t.multinomial(t.ones(3, dtype=t.int64), 1), None),
    ("multinomial_0d", lambda t: t.multinomial(t.tensor(1.0), 1), None),
    ("multinomial_3d", lambda t: t.multinomial(t.ones(2, 2, 2), 1), None),
    ("multinomial_no_samples", lambda t: t.multinomial(t.ones(3), 0), None),
    ("multinomial_nan", lambda t: t.multinomial(t.tensor([float("nan"), 1.0]), 1), None),
    ("multinomial_inf", lambda t: t.multinomial(t.tensor([float("inf"), 1.0]), 1), None),
    ("multinomial_no_categories", lambda t: t.multinomial(t.ones(0), 1), None),
    ("random__negative_to", lambda t: t.ones(2, dtype=t.int32).random_(-5), None),
    ("random__zero_to", lambda t: t.ones(2, dtype=t.int32).random_(0), None),
    ("random__beyond_uint8", lambda t: t.ones(2, dtype=t.uint8).random_(0, 1000), None),
    ("random__beyond_bool", lambda t: t.ones(2, dtype=t.bool).random_(0, 5), None),
    ("random__negative_uint8", lambda t: t.ones(2, dtype=t.uint8).random_(-3, 5), None),
]


@pytest.mark.parametrize("make, error", [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_creation_errors_match_torch(make, error):
    # error: where torch's result is not an error (complex numbers: ember has none), or
    # where torch raises NotImplementedError, which ember raises as its base RuntimeError.
    if error is TypeError:
        with pytest.raises(TypeError, match="complex"):
            make(ember)
        return
    check_error(make, error=error)


@pytest.mark.parametrize(
    "name",
    ["empty", "full", "eye", "arange", "linspace", "logspace", "rand", "randn", "randperm"],
)
def test_out_is_refused_by_every_factory(name):
    calls = {
        "empty": lambda out: ember.empty(2, out=out),
        "full": lambda out: ember.full((2,), 1.0, out=out),
        "eye": lambda out: ember.eye(2, out=out),
        "arange": lambda out: ember.arange(2, out=out),
        "linspace": lambda out: ember.linspace(0, 1, 2, out=out),
        "logspace": lambda out: ember.logspace(0, 1, 2, out=out),
        "rand": lambda out: ember.rand(2, out=out),
        "randn": lambda out: ember.randn(2, out=out),
        "randperm": lambda out: ember.randperm(2, out=out),
    }
    with pytest.raises(NotImplementedError, match="out="):
        calls[name](ember.empty(2))


def test_normal_of_tensors_has_the_means_dtype():
    ember.manual_seed(0)
    draws = ember.normal(ember.full((20000,), 2.0), ember.full((20000,), 0.5, dtype=ember.float64))
    assert draws.dtype == ember.float32
    assert abs(draws.mean().item() - 2.0) < 0.02 and abs(draws.std().item() - 0.5) < 0.02


@pytest.mark.parametrize("dtype", ["float32", "float16", "int32", "uint8", "int8", "bool"])
def test_random_with_no_arguments_spans_the_dtype_like_torch(dtype):
    ember_draws = ember.empty(20000, dtype=getattr(ember, dtype)).random_()
    torch_draws = torch.empty(20000, dtype=getattr(torch, dtype)).random_()
    # Both start at 0 and reach close to the same top: float32 to 2**24, int32 to 2**31 - 1.
    top = float(torch_draws.max())
    assert 0 <= float(ember_draws.min()) <= 0.01 * top and float(torch_draws.min()) >= 0
    assert 0.99 * top <= float(ember_draws.max()) <= top * 1.01


def test_manual_seed_keeps_the_seed_as_torch_does():
    for seed in (-1, 2**64 - 1, 0, 5):
        assert ember.manual_seed(seed).initial_seed() == torch.manual_seed(seed).initial_seed()
    assert ember.manual_seed(1.5).initial_seed() == torch.manual_seed(1.5).initial_seed()
    ember.manual_seed(-3)
    first = ember.rand(3)
    ember.manual_seed(-3)
    assert ember.equal(ember.rand(3), first)


def test_multinomial_without_replacement_picks_each_category_once():
    ember.manual_seed(0)
    picks = ember.multinomial(ember.tensor([[0.1, 0.2, 0.7], [1.0, 1.0, 1.0]]), 3)
    assert [sorted(row) for row in picks.tolist()] == [[0, 1, 2], [0, 1, 2]]


def test_multinomial_without_replacement_goes_on_with_weights_of_zero_as_torch():
    weights = [[0.0, 1.0, 0.0, 2.0, 0.0], [0.0, 0.0, 5.0, 0.0, 0.0]]
    mine = ember.multinomial(ember.tensor(weights), 4).tolist()
    theirs = torch.multinomial(torch.tensor(weights), 4).tolist()
    for my_row, their_row, row in zip(mine, theirs, weights):
        weighted = sum(1 for w in row if w)
        for picks in (my_row, their_row):  # first the weighted ones, then others, none twice
            assert sorted(picks[:weighted]) == [i for i, w in enumerate(row) if w]
            assert len(set(picks)) == 4 and all(row[i] == 0 for i in picks[weighted:])


# Run in a fresh process: torch warns once per process, whatever the warnings filters say.
WARNINGS_IN_ORDER = """
import importlib, sys, warnings
import numpy as np
lib = importlib.import_module(sys.argv[1])
steps = [
    "lib.tensor([np.ones(2), np.zeros(2)])",
    "lib.tensor([np.ones(2)])",
    "lib.tensor([lib.tensor(1.0, requires_grad=True), lib.tensor(2.0)])",
    "lib.tensor([lib.tensor(1.0, requires_grad=True)])",
]
for step in steps:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        eval(step)
    print(step, [str(warning.message)[:40] for warning in caught])
"""


def test_lists_of_arrays_and_of_tensors_requiring_grad_warn_once_like_torch():
    printed = [
        subprocess.run(
            [sys.executable, "-c", WARNINGS_IN_ORDER, name],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for name in ("torch", "ember")
    ]
    assert printed[0] == printed[1]
    assert "Creating a tensor from a list of numpy" in printed[1]


def test_the_list_of_arrays_warning_points_at_the_callers_line():
    code = (
        "import sys, warnings; import numpy as np; import ember\n"
        "warnings.simplefilter('always')\n"
        "ember.tensor([np.ones(2), np.ones(2)])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "<string>:3: UserWarning: Creating a tensor from a list of numpy" in result.stderr


RANGE_AND_SCALAR_CASES = [
    "t.range(1, 4)",
    "t.range(0, 1, 0.25)",
    "t.range(1, 4, dtype=t.int64)",
    "t.range(4, 1, -1)",
    "t.range(0, 1, 0.3)",
    "t.range(-1.5, 2.5, 0.5)",
    "t.range(1, 4, 0)",
    "t.range(4, 1)",
    "t.range(3)",
    "t.scalar_tensor(3)",
    "t.scalar_tensor(3, dtype=t.int64)",
    "t.scalar_tensor(True)",
    "t.scalar_tensor(2.5, requires_grad=True)",
    "t.scalar_tensor(t.tensor(2.0))",
]


@pytest.mark.parametrize("text", RANGE_AND_SCALAR_CASES)
def test_deprecated_range_and_scalar_tensor_as_torch(text):
    seen = []
    for lib in (ember, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                made = eval(text, {"t": lib})  # noqa: S307 - the case
                seen.append((made.tolist(), str(made.dtype)[6:], made.requires_grad, len(caught)))
            except Exception as error:  # noqa: BLE001 - the type is what is compared
                seen.append(type(error).__name__)
    assert seen[0] == seen[1]
