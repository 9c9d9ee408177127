"""The gamma family against torch: lgamma, digamma, polygamma, mvlgamma, i0 and
torch.special's i0e, i1, i1e (values over wide ranges in float64, float32 and float16,
poles, infinities and NaN, dtypes, gradients to second order, nodes, in-place forms and
errors), and their accuracy against exact values where torch's own is poorer."""

import math

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error, check_gradcheck, to_numpy

import ember
from ember.ops import gamma

INF, NAN = math.inf, math.nan


def special(lib):
    """torch.special, or the module that holds ember's forms of its Bessel functions."""
    return torch.special if lib is torch else gamma


FUNCTIONS = [
    ("lgamma", lambda t, x: t.lgamma(x)),
    ("digamma", lambda t, x: t.digamma(x)),
    ("polygamma_0", lambda t, x: t.polygamma(0, x)),
    ("polygamma_2", lambda t, x: t.polygamma(2, x)),
    ("polygamma_3", lambda t, x: x.polygamma(3)),
    ("polygamma_6", lambda t, x: t.polygamma(6, x)),
    ("mvlgamma_1", lambda t, x: t.mvlgamma(x, 1)),
    ("mvlgamma_3", lambda t, x: t.mvlgamma(x, p=3)),
    ("i0", lambda t, x: t.i0(x)),
    ("i0e", lambda t, x: special(t).i0e(x)),
    ("i1", lambda t, x: special(t).i1(x)),
    ("i1e", lambda t, x: special(t).i1e(x)),
]
TRIGAMMA = ("polygamma_1", lambda t, x: t.polygamma(1, x))


def wide_values(dtype, seed=0):
    """Tiny, moderate and huge values of both signs, away from the poles at the negative
    integers (within 0.05 of them torch's float32 polygamma loses most of its digits), and
    away from where float32's exp overflows (see test_float32_i0_and_i1_keep_their_value_
    where_exp_overflows)."""
    rng = np.random.default_rng(seed)
    negative = -rng.uniform(0, 30, 400)
    negative = negative[np.abs(negative - np.round(negative)) > 0.05]
    values = np.concatenate(
        [
            rng.uniform(0, 3, 300),
            rng.uniform(0, 30, 300),
            np.exp(rng.uniform(-60, 60, 300)),
            negative,
            [1.0, 2.0, 1e-30, 0.5, 1.4616321449683622, 80.0],
        ]
    )
    if dtype == "float32":
        values = values[(values < 88) | (values > 93)]
    return values.astype(dtype)


@pytest.mark.parametrize("name, fn", FUNCTIONS, ids=[c[0] for c in FUNCTIONS])
def test_float64_values_match_torch_over_wide_ranges(name, fn):
    check(fn, [wide_values("float64")], grad=False, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("name, fn", FUNCTIONS, ids=[c[0] for c in FUNCTIONS])
def test_float32_values_match_torch_over_wide_ranges(name, fn):
    """Within a few float32 roundings of torch's (ember computes in float64 and rounds once;
    torch's float32 kernels are themselves a few roundings off near the zeros)."""
    check(fn, [wide_values("float32", seed=1)], grad=False, rtol=4e-6, atol=1e-6)


def test_trigamma_matches_torch_to_torchs_accuracy():
    """torch's float64 trigamma is only within about 5e-10 of the true value (its series is
    short), and its float32 one within 1e-4 at negative arguments (its sin(pi x) loses
    digits); ember's is within a few roundings (test_values_are_exact_where_known)."""
    check(TRIGAMMA[1], [wide_values("float64")], grad=False, rtol=1e-9, atol=1e-12)
    values = wide_values("float32", seed=1)
    check(TRIGAMMA[1], [values[values > 0]], grad=False, rtol=4e-6, atol=1e-6)
    check(TRIGAMMA[1], [values[values < 0]], grad=False, rtol=1e-4)


@pytest.mark.parametrize(
    "name, fn", FUNCTIONS + [TRIGAMMA], ids=[c[0] for c in FUNCTIONS] + ["pg1"]
)
def test_float16_computes_in_float32_precision_and_rounds_once(name, fn):
    """torch rounds its float32 result to float16; ember rounds its float64 one, the
    correctly rounded value, so a few values differ by a rounding or two."""
    values = np.linspace(0.05, 12, 97).astype(np.float16)
    ember_out, torch_out = check(fn, [values], grad=False, rtol=2e-3, atol=2e-3)
    assert ember_out.dtype == ember.float16


# Exact values, and where torch's are not as close --------------------------------------

ZETA_3 = 1.2020569031595942854
EXACT = [
    (lambda t, x: t.lgamma(x), [0.5, 1.0, 2.0, 3.0, 11.0], [0.5 * math.log(math.pi), 0, 0]),
    (lambda t, x: t.digamma(x), [1.0, 0.5, 2.0], [-0.57721566490153286, None, None]),
    (lambda t, x: t.polygamma(1, x), [1.0, 0.5, 2.0], [math.pi**2 / 6, math.pi**2 / 2]),
    (lambda t, x: t.polygamma(2, x), [1.0], [-2 * ZETA_3]),
    (lambda t, x: t.polygamma(3, x), [1.0], [math.pi**4 / 15]),
    (lambda t, x: t.i0(x), [0.0], [1.0]),
]


def test_values_are_exact_where_known():
    for fn, points, expected in EXACT:
        x = ember.tensor(points, dtype=ember.float64)
        values = fn(ember, x).tolist()
        for value, want in zip(values, expected):
            if want is not None:
                assert value == pytest.approx(want, rel=1e-15, abs=4e-16)  # 4 roundings
    assert ember.lgamma(ember.tensor([3.0, 11.0], dtype=ember.float64)).tolist() == [
        pytest.approx(math.log(2), rel=2e-16),
        pytest.approx(math.log(3628800), rel=2e-16),
    ]
    # digamma(1/2) = -gamma - 2 log 2, digamma(2) = 1 - gamma
    assert ember.digamma(ember.tensor([0.5, 2.0], dtype=ember.float64)).tolist() == [
        pytest.approx(-0.57721566490153286 - 2 * math.log(2), rel=4e-16),
        pytest.approx(1 - 0.57721566490153286, rel=4e-16),
    ]


def test_lgamma_keeps_its_digits_next_to_its_zeros_at_1_and_2():
    """lgamma(1 + e) = -gamma e and lgamma(2 + e) = (1 - gamma) e for tiny e, to the last
    digit, as in torch (whose lgamma is the C library's)."""
    tiny = np.array([1e-12, -1e-12, 1e-8, -3e-6], np.float64)
    check(lambda t, x: t.lgamma(x + 1), [tiny], grad=False, rtol=1e-13, atol=0)
    check(lambda t, x: t.lgamma(x + 2), [tiny], grad=False, rtol=1e-13, atol=0)


def test_polygamma_is_accurate_at_the_negative_half_integers():
    """d^n/dx^n cot(pi x) is 0 at the half-integers for even n: ember's cot is exactly 0
    there, so psi_n(-k - 1/2) = psi_n(k + 3/2) to the last digit."""
    x = ember.tensor([-2.5, -7.5], dtype=ember.float64)
    mirrored = ember.tensor([3.5, 8.5], dtype=ember.float64)
    for n in (2, 4):
        assert ember.polygamma(n, x).tolist() == ember.polygamma(n, mirrored).tolist()


# Poles, infinities, NaN and signed zeros -------------------------------------------------

EDGES = np.array([-INF, -1e300, -3.0, -2.5, -1.0, -0.0, 0.0, 1e-310, 0.5, 1e300, INF, NAN])


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name, fn", FUNCTIONS, ids=[c[0] for c in FUNCTIONS])
def test_poles_infinities_and_nan_match_torch(name, fn, dtype):
    with np.errstate(over="ignore"):
        values = EDGES.astype(dtype)
    ember_out, torch_out = check(fn, [values], grad=False, rtol=1e-6, atol=0)
    ember_values, torch_values = to_numpy(ember_out), to_numpy(torch_out)
    same_sign = np.signbit(ember_values) == np.signbit(torch_values)
    assert same_sign[~np.isnan(torch_values)].all()


def test_trigamma_is_inf_at_its_poles():
    """torch's trigamma gives a large finite number at the negative integers (its sin(pi x)
    is not quite 0 there: 7.3e31 at -3); ember gives inf, the limit from both sides, as
    torch does at 0 and as it does for every other order."""
    x = ember.tensor([-3.0, -1.0, -1e20, -0.0, 0.0], dtype=ember.float64)
    assert ember.polygamma(1, x).tolist() == [INF] * 5
    assert ember.polygamma(2, x).tolist() == [-INF] * 5
    assert ember.polygamma(3, x).tolist() == [INF] * 5


def test_float32_i0_and_i1_keep_their_value_where_exp_overflows():
    """torch's float32 i0 and i1 overflow to inf from 88.7, where exp does in float32,
    though their values stay finite up to 91.9; ember gives the finite values (docs)."""
    x = ember.tensor([89.0, 91.0])
    exact = torch.special.i0(torch.tensor([89.0, 91.0], dtype=torch.float64)).float()
    assert_same(ember.i0(x), exact, rtol=2e-7, atol=0)
    assert torch.i0(torch.tensor([89.0])).isinf().all()


# dtypes ---------------------------------------------------------------------------------

UNARY = [
    ("lgamma", lambda t, x: t.lgamma(x)),
    ("digamma", lambda t, x: x.digamma()),
    ("polygamma", lambda t, x: t.polygamma(2, x)),
    ("mvlgamma", lambda t, x: t.mvlgamma(x + 2, 2)),
    ("i0", lambda t, x: x.i0()),
    ("i0e", lambda t, x: special(t).i0e(x)),
    ("i1", lambda t, x: special(t).i1(x)),
    ("i1e", lambda t, x: special(t).i1e(x)),
]


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "int8", "bool"])
@pytest.mark.parametrize("name, fn", UNARY, ids=[c[0] for c in UNARY])
def test_integers_and_bools_compute_in_the_default_float_type(name, fn, dtype):
    if name == "mvlgamma" and dtype == "bool":
        check_error(lambda t, x: t.mvlgamma(x, 2), np.array([True, False]))
        return
    values = np.array([1, 2, 3, 7], dtype) if dtype != "bool" else np.array([True, False])
    check(fn, [values], grad=False, rtol=1e-6)
    ember.set_default_dtype(ember.float64)
    try:
        assert fn(ember, ember.tensor(values)).dtype == ember.float64
    finally:
        ember.set_default_dtype(ember.float32)


@pytest.mark.parametrize("name, fn", UNARY, ids=[c[0] for c in UNARY])
def test_empty_and_0d_inputs_match_torch(name, fn):
    check(fn, [np.zeros((0, 3), np.float32)])
    check(fn, [np.array(2.5, np.float32)])


# Gradients ------------------------------------------------------------------------------

GRADIENTS = [
    ("lgamma", lambda t, x: t.lgamma(x)),
    ("digamma", lambda t, x: t.digamma(x)),
    ("polygamma_0", lambda t, x: t.polygamma(0, x)),
    ("polygamma_1", lambda t, x: t.polygamma(1, x)),
    ("polygamma_4", lambda t, x: x.polygamma(4)),
    ("mvlgamma", lambda t, x: t.mvlgamma(x.abs() + 3, 4)),
    ("i0", lambda t, x: t.i0(x)),
    ("i0e", lambda t, x: special(t).i0e(x)),
    ("i1", lambda t, x: special(t).i1(x)),
    ("i1e", lambda t, x: special(t).i1e(x)),
]
NEGATIVE_AND_LARGE = np.array([-2.7, -1.3, -0.4, 0.6, 4.5, 25.0])


@pytest.mark.parametrize("name, fn", GRADIENTS, ids=[c[0] for c in GRADIENTS])
def test_gradients_match_torch(name, fn):
    check(fn, [(3, 4)], low=0.1, high=3)
    check(fn, [NEGATIVE_AND_LARGE], dtype="float64", rtol=1e-8)


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("name, fn", GRADIENTS, ids=[c[0] for c in GRADIENTS])
def test_gradients_match_finite_differences(name, fn, order):
    check_gradcheck(fn, [(3, 4)], low=0.2, high=3, order=order)
    check_gradcheck(fn, [NEGATIVE_AND_LARGE], order=order)


def test_bessel_gradients_at_zero_are_torchs():
    """i1' and i1e' are 1/2 at 0 (their formulas divide by x), i0e' is 0 there; the second
    derivatives too, for values below the dtype's epsilon as well."""
    for lib in (ember, torch):
        x = lib.tensor([0.0, 1e-20, -1e-20], dtype=lib.float64, requires_grad=True)
        results = []
        for fn in (special(lib).i1, special(lib).i1e, special(lib).i0e, lib.i0):
            (first,) = lib.autograd.grad(fn(x).sum(), x, create_graph=True)
            (second,) = lib.autograd.grad(first.sum(), x)
            results.append(first.tolist() + second.tolist())
        if lib is ember:
            ember_results = results
    assert ember_results == [pytest.approx(torch_results, rel=1e-15) for torch_results in results]


def test_gradients_at_poles_match_torch():
    check(lambda t, x: t.lgamma(x), [np.array([0.0, -2.0, 3.0])], dtype="float64")
    check(lambda t, x: t.digamma(x), [np.array([0.0, 3.0])], dtype="float64")


NODES = [
    ("lgamma", lambda t, x: t.lgamma(x)),
    ("digamma", lambda t, x: t.digamma(x)),
    ("polygamma_0", lambda t, x: t.polygamma(0, x)),
    ("polygamma_2", lambda t, x: t.polygamma(2, x)),
    ("mvlgamma", lambda t, x: t.mvlgamma(x + 3, 2)),
    ("i0", lambda t, x: t.i0(x)),
    ("i0e", lambda t, x: special(t).i0e(x)),
    ("i1", lambda t, x: special(t).i1(x)),
    ("i1e", lambda t, x: special(t).i1e(x)),
]


@pytest.mark.parametrize("name, fn", NODES, ids=[c[0] for c in NODES])
def test_one_node_named_as_torchs(name, fn):
    ember_out, torch_out = check(fn, [(2, 3)], low=0.5, high=2)
    assert ember_out.grad_fn.name() == torch_out.grad_fn.name()
    assert len(ember_out.grad_fn.next_functions) == len(torch_out.grad_fn.next_functions) == 1


# In-place forms -------------------------------------------------------------------------

IN_PLACE = [
    ("lgamma_", lambda x: x.lgamma_()),
    ("digamma_", lambda x: x.digamma_()),
    ("polygamma_", lambda x: x.polygamma_(2)),
    ("mvlgamma_", lambda x: x.mvlgamma_(2)),
    ("i0_", lambda x: x.i0_()),
    ("i0_function", lambda x: (torch if isinstance(x, torch.Tensor) else ember).i0_(x)),
]


@pytest.mark.parametrize("name, fn", IN_PLACE, ids=[c[0] for c in IN_PLACE])
def test_in_place_forms_write_into_the_tensor(name, fn):
    def in_place(t, x):
        x = (x + 2).detach()
        version = x._version
        result = fn(x)
        assert result is x and x._version == version + 1
        return x

    check(in_place, [(3, 4)])


@pytest.mark.parametrize("name, fn", IN_PLACE, ids=[c[0] for c in IN_PLACE])
def test_in_place_forms_in_a_graph_give_torchs_gradients(name, fn):
    check(lambda t, x: fn(x * 1.5 + 2) * 1.0, [(3, 4)])


@pytest.mark.parametrize("name, fn", IN_PLACE, ids=[c[0] for c in IN_PLACE])
def test_in_place_forms_refuse_what_torch_refuses(name, fn):
    check_error(lambda t, x: fn(x), np.array([3, 4]))  # an integer result would be a float
    check_error(lambda t, x: fn(x.requires_grad_()), np.array([3.0, 4.0]))  # a leaf


# Errors ---------------------------------------------------------------------------------

VALUES = np.array([1.5, 2.5], np.float32)
ERRORS = [
    ("polygamma_negative_n", lambda t, x: t.polygamma(-1, x)),
    ("polygamma_float_n", lambda t, x: t.polygamma(1.0, x)),
    ("polygamma_bool_n", lambda t, x: t.polygamma(True, x)),
    ("polygamma_arguments_swapped", lambda t, x: t.polygamma(x, 1)),
    ("polygamma_of_a_number", lambda t, x: t.polygamma(1, 2.0)),
    ("mvlgamma_p_0", lambda t, x: t.mvlgamma(x, 0)),
    ("mvlgamma_p_float", lambda t, x: t.mvlgamma(x, 2.0)),
    ("mvlgamma_without_p", lambda t, x: t.mvlgamma(x)),
    ("mvlgamma_bool", lambda t, x: t.mvlgamma(x > 2, 1)),
    ("lgamma_of_a_number", lambda t, x: t.lgamma(2.0)),
    ("digamma_of_a_list", lambda t, x: t.digamma([2.0])),
    ("i0_of_a_number", lambda t, x: t.i0(1.0)),
    ("i0e_of_a_number", lambda t, x: special(t).i0e(1.0)),
    ("i1_of_a_list", lambda t, x: special(t).i1([1.0])),
    ("i1e_of_a_number", lambda t, x: special(t).i1e(1.0)),
]


@pytest.mark.parametrize("name, fn", ERRORS, ids=[c[0] for c in ERRORS])
def test_errors_match_torch(name, fn):
    check_error(fn, VALUES)


def test_error_messages_name_what_was_wrong():
    x = ember.tensor(VALUES)
    with pytest.raises(RuntimeError, match="negative n.*n=-2"):
        ember.polygamma(-2, x)
    with pytest.raises(TypeError, match="order n .* first"):
        ember.polygamma(x, 1)
    with pytest.raises(RuntimeError, match="p has to be greater than or equal to 1, but got 0"):
        ember.mvlgamma(x, 0)
    with pytest.raises(NotImplementedError, match=r"out=\.\.\."):
        ember.lgamma(x, out=ember.empty(2))


def test_mvlgamma_takes_any_input_as_torch_2_13_does():
    """torch 2.13 no longer refuses x <= (p - 1) / 2; the sum of lgammas has values there
    (inf at the poles), and the arguments x - i/2 are made in the input's dtype."""
    check(lambda t, x: t.mvlgamma(x, 5), [np.array([0.1, -3.0, 1.0, 1.4, 1e-8], np.float32)])
