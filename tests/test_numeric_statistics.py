"""Numerical methods on sampled data against torch: cov, corrcoef, histogram, trapezoid,
trapz, cumulative_trapezoid, gradient and renorm (values, dtypes, shapes, gradients to
second order, nodes, warnings, in-place forms and errors)."""

import math
import warnings

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error, check_gradcheck

import ember

INF, NAN = math.inf, math.nan


def integers(*values):
    return np.array(values, np.int64)


def floats(*values, dtype=np.float32):
    return np.array(values, dtype)


FWEIGHTS = integers(1, 2, 1, 3, 1)
AWEIGHTS = floats(0.5, 1, 2, 1, 1)
COORDINATES = floats(0, 1, 3, 4, 8)

# (name, fn, shapes or arrays): forward and backward against torch, finite differences to
# second order.
CASES = [
    ("cov", lambda t, x: t.cov(x), [(3, 5)]),
    ("cov_1d", lambda t, x: t.cov(x), [(6,)]),
    ("cov_one_row", lambda t, x: x.cov(), [(1, 4)]),
    ("cov_correction_0", lambda t, x: t.cov(x, correction=0), [(3, 5)]),
    ("cov_correction_2", lambda t, x: x.cov(correction=2), [(2, 5)]),
    ("cov_fweights", lambda t, x, f: t.cov(x, fweights=f), [(3, 5), FWEIGHTS]),
    ("cov_aweights", lambda t, x, a: t.cov(x, aweights=a), [(3, 5), AWEIGHTS]),
    (
        "cov_both_weights",
        lambda t, x, f, a: t.cov(x, correction=3, fweights=f, aweights=a),
        [(3, 5), FWEIGHTS, AWEIGHTS],
    ),
    ("corrcoef", lambda t, x: t.corrcoef(x), [(3, 5)]),
    ("corrcoef_1d", lambda t, x: t.corrcoef(x), [(5,)]),
    ("corrcoef_method", lambda t, x: x.corrcoef(), [(4, 6)]),
    ("trapezoid", lambda t, y: t.trapezoid(y), [(3, 5)]),
    ("trapezoid_dx", lambda t, y: t.trapezoid(y, dx=0.5, dim=0), [(3, 5)]),
    ("trapezoid_x", lambda t, y, x: t.trapezoid(y, x), [(3, 5), COORDINATES]),
    ("trapezoid_x_keyword", lambda t, y, x: t.trapezoid(y, x=x, dim=0), [(5, 3), COORDINATES]),
    ("trapezoid_x_2d", lambda t, y, x: t.trapezoid(y, x), [(3, 5), (3, 5)]),
    ("trapezoid_x_broadcast", lambda t, y, x: t.trapezoid(y, x, dim=1), [(2, 5, 3), (5, 1)]),
    ("trapezoid_1d", lambda t, y: t.trapezoid(y), [(7,)]),
    ("trapz", lambda t, y, x: t.trapz(y, x), [(3, 5), COORDINATES]),
    ("trapz_dx", lambda t, y: t.trapz(y, dx=2.0, dim=-2), [(3, 5)]),
    ("cumulative_trapezoid", lambda t, y: t.cumulative_trapezoid(y), [(3, 5)]),
    ("cumulative_trapezoid_dx", lambda t, y: t.cumulative_trapezoid(y, dx=3, dim=0), [(3, 5)]),
    (
        "cumulative_trapezoid_x",
        lambda t, y, x: t.cumulative_trapezoid(y, x),
        [(3, 5), COORDINATES],
    ),
    ("gradient", lambda t, y: t.gradient(y), [(4, 5)]),
    ("gradient_1d", lambda t, y: t.gradient(y), [(6,)]),
    ("gradient_dim", lambda t, y: t.gradient(y, dim=1), [(4, 5)]),
    ("gradient_dims", lambda t, y: t.gradient(y, dim=(-1, 0), spacing=[2.0, 0.5]), [(4, 5)]),
    ("gradient_spacing", lambda t, y: t.gradient(y, spacing=0.25), [(4, 5)]),
    ("gradient_edge_order_2", lambda t, y: t.gradient(y, edge_order=2), [(4, 5)]),
    ("gradient_two_samples", lambda t, y: t.gradient(y, dim=0), [(2, 3)]),
    (
        "gradient_coordinates",
        lambda t, y, x: t.gradient(y, spacing=(x,), dim=1),
        [(3, 5), COORDINATES],
    ),
    (
        "gradient_coordinates_edge_order_2",
        lambda t, y, x: t.gradient(y, spacing=[x], dim=-1, edge_order=2),
        [(3, 5), COORDINATES],
    ),
    (
        "gradient_coordinates_each_dim",
        lambda t, y, a, b: t.gradient(y, spacing=[a, b]),
        [(3, 5), floats(0, 1, 3), COORDINATES],
    ),
    ("renorm", lambda t, x: t.renorm(x * 3, 2, 0, 1.0), [(3, 4)]),
    ("renorm_dim1", lambda t, x: x.renorm(1, 1, 2.5), [(3, 4)]),
    ("renorm_inf", lambda t, x: t.renorm(x * 3, INF, 0, 2.0), [(3, 4)]),
    ("renorm_p3", lambda t, x: t.renorm(x * 3, 3, -1, 1.5), [(2, 3, 4)]),
    ("renorm_half", lambda t, x: t.renorm(x * 3, 0.5, 1, 4.0), [(2, 3, 4)]),
    ("renorm_keywords", lambda t, x: t.renorm(x, p=2, dim=0, maxnorm=0.0), [(3, 4)]),
]


@pytest.mark.parametrize("name, fn, shapes", CASES, ids=[c[0] for c in CASES])
def test_matches_torch(name, fn, shapes):
    check(fn, shapes, atol=1e-4, rtol=1e-4)


def in_float64(item):
    """A shape, or an array of floats made float64 (integer weights stay as they are)."""
    if isinstance(item, np.ndarray) and item.dtype.kind == "f":
        return item.astype(np.float64)
    return item


@pytest.mark.parametrize("name, fn, shapes", CASES, ids=[c[0] for c in CASES])
def test_float64_matches_torch(name, fn, shapes):
    inputs = [in_float64(item) for item in shapes]
    check(fn, inputs, dtype="float64", atol=1e-12, rtol=1e-12)


GRADIENT_CASES = [
    pytest.param(case[1], case[2], order, id=f"{case[0]}-{order}")
    for case in CASES
    for order in (1, 2)
    if not (case[0] == "renorm_inf" and order == 2)  # one-sided at a tie, as torch's
]


@pytest.mark.parametrize("fn, shapes, order", GRADIENT_CASES)
def test_gradients_match_finite_differences(fn, shapes, order):
    check_gradcheck(fn, shapes, order=order)


NODES = [
    ("cov", lambda t, x: t.cov(x), "SqueezeBackward0"),
    ("corrcoef", lambda t, x: t.corrcoef(x), "ClampBackward1"),
    ("corrcoef_1d", lambda t, x: t.corrcoef(x[0]), "DivBackward0"),
    ("cumulative_trapezoid", lambda t, x: t.cumulative_trapezoid(x), "CumsumBackward0"),
    ("gradient", lambda t, x: t.gradient(x)[1], "CatBackward0"),
    ("renorm", lambda t, x: t.renorm(x, 2, 0, 1.0), "RenormBackward0"),
]


@pytest.mark.parametrize("name, fn, node", NODES, ids=[c[0] for c in NODES])
def test_last_node_is_named_as_torchs(name, fn, node):
    ember_out, torch_out = check(fn, [(3, 4)])
    assert ember_out.grad_fn.name() == torch_out.grad_fn.name() == node


# dtypes, empty and 0-d inputs ---------------------------------------------------------

DTYPE_CASES = [
    ("cov", lambda t, x: t.cov(x)),
    ("cov_fweights", lambda t, x: t.cov(x, fweights=t.tensor([1, 2, 3, 1]))),
    ("corrcoef", lambda t, x: t.corrcoef(x)),
    ("trapezoid", lambda t, x: t.trapezoid(x)),
    ("trapezoid_dx", lambda t, x: t.trapezoid(x, dx=2)),
    ("trapezoid_x", lambda t, x: t.trapezoid(x, t.tensor([0, 1, 3, 4]))),
    ("trapz_dx", lambda t, x: t.trapz(x, dx=0.5)),
    ("cumulative_trapezoid", lambda t, x: t.cumulative_trapezoid(x)),
    ("cumulative_trapezoid_x", lambda t, x: t.cumulative_trapezoid(x, t.tensor([0, 1, 3, 4]))),
    ("gradient", lambda t, x: t.gradient(x)),
    ("gradient_spacing", lambda t, x: t.gradient(x, spacing=2, edge_order=2)),
    ("gradient_coordinates", lambda t, x: t.gradient(x, spacing=[t.tensor([0, 1, 3, 4])], dim=1)),
    ("renorm", lambda t, x: t.renorm(x, 2, 0, 3.0)),
]


@pytest.mark.parametrize("dtype", ["float64", "float16", "int64", "int32", "uint8", "bool"])
@pytest.mark.parametrize("name, fn", DTYPE_CASES, ids=[c[0] for c in DTYPE_CASES])
def test_every_dtype_matches_torch(name, fn, dtype):
    """Integers compute in the default float type (renorm and bools are refused)."""
    values = np.array([[1, 4, 2, 7], [3, 3, 0, 1], [2, 5, 9, 4]]).astype(dtype)
    try:
        fn(torch, torch.tensor(values))
    except Exception:  # noqa: BLE001 - torch refuses: ember must too
        check_error(fn, values)
        return
    check(fn, [values], grad=False, atol=1e-2, rtol=1e-3)


EMPTY_CASES = [
    ("cov_no_variables", lambda t, x: t.cov(x), (0, 3)),
    ("trapezoid_no_samples", lambda t, x: t.trapezoid(x), (2, 0)),
    ("trapezoid_one_sample", lambda t, x: t.trapezoid(x, t.ones(1)), (2, 1)),
    ("trapezoid_no_rows", lambda t, x: t.trapezoid(x, dim=0), (0, 3)),
    ("cumulative_trapezoid_no_samples", lambda t, x: t.cumulative_trapezoid(x), (2, 0)),
    ("cumulative_trapezoid_one_sample", lambda t, x: t.cumulative_trapezoid(x), (2, 1)),
    ("gradient_no_rows", lambda t, x: t.gradient(x, dim=1), (0, 3)),
    ("gradient_0d", lambda t, x: t.gradient(x), ()),
    ("renorm_no_rows", lambda t, x: t.renorm(x, 2, 0, 1.0), (0, 3)),
    ("renorm_empty_slices", lambda t, x: t.renorm(x, 2, 0, 1.0), (3, 0)),
]


@pytest.mark.parametrize("name, fn, shape", EMPTY_CASES, ids=[c[0] for c in EMPTY_CASES])
def test_empty_and_0d_inputs_match_torch(name, fn, shape):
    check(fn, [np.ones(shape, np.float32)])
    if "renorm" not in name:  # (renorm refuses integers)
        check(fn, [np.ones(shape, np.int64)], grad=False)


def test_trapezoid_of_no_samples_is_zero_of_the_inputs_dtype():
    check(lambda t, x: t.trapezoid(x), [np.ones((2, 0), np.int32)], grad=False)


# cov's weights and degrees of freedom ---------------------------------------------------


def test_cov_warns_when_the_degrees_of_freedom_are_not_positive():
    """torch warns and divides by 0 (inf, or nan for no observation); so does ember."""
    cases = [
        (lambda t, x: t.cov(x, correction=5), [(3, 5)]),
        (lambda t, x: t.cov(x), [np.ones((2, 1), np.float32)]),
        (lambda t, x: t.cov(x), [np.ones((2, 0), np.float32)]),
        (lambda t, x: t.cov(x), [np.array(2.0, np.float32)]),
        (lambda t, x, a: t.cov(x, correction=7, aweights=a), [(3, 5), AWEIGHTS]),
        (lambda t, x, a: t.cov(x, aweights=a), [(1, 1), floats(2)]),
        (lambda t, x, f: t.cov(x, correction=9, fweights=f), [(3, 5), FWEIGHTS]),
    ]
    for fn, inputs in cases:
        for lib in (ember, torch):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                arrays = [np.ones(i, np.float32) if isinstance(i, tuple) else i for i in inputs]
                fn(lib, *[lib.tensor(a) for a in arrays])
            messages = [str(w.message) for w in caught if w.category is UserWarning]
            assert any("degrees of freedom is <= 0" in m for m in messages), (lib, messages)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check(fn, inputs, grad=False)


def test_cov_promotes_as_torch_does():
    check(
        lambda t, x, a: t.cov(x, aweights=a),
        [integers(1, 2, 3, 5).reshape(2, 2), floats(1, 2, dtype=np.float64)],
        grad=False,
    )
    check(lambda t, x, a: t.cov(x, aweights=a), [(2, 3), floats(1, 2, 1, dtype=np.float64)])
    check(lambda t, x, a: t.cov(x.half(), aweights=a), [(2, 3), floats(1, 2, 1)], grad=False)


def test_corrcoef_of_a_constant_row_is_nan():
    check(lambda t, x: t.corrcoef(x), [floats(1, 1, 1, 4, 5, 7).reshape(2, 3)], grad=False)


# histogram ------------------------------------------------------------------------------

SAMPLES = floats(1, 2, 1, 2.5, 4, -1)
NORMAL = np.random.default_rng(0).normal(size=(40, 50)).astype(np.float32)
HISTOGRAMS = [
    ("bins", lambda t, x: t.histogram(x, 3), [SAMPLES]),
    ("default_bins", lambda t, x: t.histogram(x), [SAMPLES]),
    ("method", lambda t, x: x.histogram(bins=7), [SAMPLES]),
    ("range", lambda t, x: t.histogram(x, 4, range=(0.0, 3.0)), [SAMPLES]),
    ("integer_range", lambda t, x: t.histogram(x, 4, range=(0, 3)), [SAMPLES]),
    ("one_value_range", lambda t, x: t.histogram(x, 3, range=(1.0, 1.0)), [SAMPLES]),
    ("one_value_data", lambda t, x: t.histogram(x, 3), [floats(2, 2)]),
    ("weight", lambda t, x, w: t.histogram(x, 3, weight=w), [SAMPLES, floats(1, 2, 3, 4, 5, 6)]),
    (
        "weight_of_another_shape",
        lambda t, x, w: t.histogram(x, 3, weight=w),
        [SAMPLES, floats(1, 2, 3, 4, 5, 6).reshape(3, 2)],
    ),
    ("density", lambda t, x: t.histogram(x, 3, density=True), [SAMPLES]),
    (
        "weighted_density",
        lambda t, x, w: t.histogram(x, 3, weight=w, density=True),
        [SAMPLES, floats(1, 2, 3, 4, 5, 6)],
    ),
    ("edges", lambda t, x, e: t.histogram(x, e), [SAMPLES, floats(-1, 0, 2, 5)]),
    ("edges_density", lambda t, x, e: t.histogram(x, e, density=True), [SAMPLES, floats(0, 2, 5)]),
    ("edges_repeated", lambda t, x, e: t.histogram(x, bins=e), [SAMPLES, floats(0, 1, 1, 3)]),
    ("2d_input", lambda t, x: t.histogram(x, 13), [NORMAL]),
    ("many_float64", lambda t, x: t.histogram(x.double(), 1000, range=(-1.0, 1.0)), [NORMAL]),
    ("value_on_an_edge", lambda t, x: t.histogram(x, 3, range=(0.0, 3.0)), [floats(0, 1, 3)]),
    ("outside_range", lambda t, x: t.histogram(x, 3, range=(0, 2)), [floats(1, NAN, INF, -1)]),
    ("empty", lambda t, x: t.histogram(x, 3), [floats()]),
    ("empty_density", lambda t, x: t.histogram(x, 3, density=True), [floats()]),
    ("float16_range", lambda t, x: t.histogram(x.half(), 7, range=(-3.0, 3.0)), [NORMAL]),
    (
        "float16_edges",
        lambda t, x: t.histogram(x.half(), x.new_tensor([-1, 0, 2]).half()),
        [NORMAL],
    ),
]


@pytest.mark.parametrize("name, fn, inputs", HISTOGRAMS, ids=[c[0] for c in HISTOGRAMS])
def test_histogram_matches_torch(name, fn, inputs):
    ember_out, torch_out = check(fn, inputs, grad=False)
    assert type(ember_out).__name__ == type(torch_out).__name__ == "histogram"
    assert_same((ember_out.hist, ember_out.bin_edges), (torch_out.hist, torch_out.bin_edges))


def test_histogram_prints_as_torchs_named_tuple():
    result = ember.histogram(ember.tensor([1.0, 2.0]), 2)
    assert repr(result).startswith("ember.return_types.histogram(\nhist=tensor([1., 1.]),\n")


def test_histogram_records_a_node_that_refuses_backward():
    for lib in (ember, torch):
        x = lib.tensor(SAMPLES, requires_grad=True)
        hist, edges = lib.histogram(x, 3)
        assert hist.requires_grad and edges.requires_grad
        assert hist.grad_fn.name() == "torch::autograd::NotImplemented"
        with pytest.raises(RuntimeError, match="derivative for .*histogram is not implemented"):
            hist.sum().backward()


# In-place renorm_ -----------------------------------------------------------------------


def test_renorm_in_place_writes_into_the_tensor():
    def in_place(t, x):
        x = (x * 3).detach()
        version = x._version
        assert x.renorm_(2, 0, 1.0) is x and x._version == version + 1
        return x

    check(in_place, [(3, 4)])


def test_renorm_in_place_in_a_graph_gives_torchs_gradients():
    check(lambda t, x: (x * 3).renorm_(2, 1, 1.5) * 1.0, [(3, 4)])
    check_error(
        lambda t, x: x.requires_grad_().renorm_(2, 0, 1.0), floats(1, 2, 3, 4).reshape(2, 2)
    )


def test_renorm_keeps_nan_and_zeroes_infinite_rows_as_torch_does():
    rows = floats(NAN, 1, 3, 4, INF, 1, 0, 0).reshape(4, 2)
    check(lambda t, x: t.renorm(x, 2, 0, 1.0), [rows], grad=False)


def test_renorm_of_float16_rounds_as_torch_does():
    values = np.random.default_rng(1).normal(size=(4, 5, 6)).astype(np.float16)
    for p in (1, 2, 3, 0.5, INF):
        for dim in (0, 1, 2):
            check(
                lambda t, x, p=p, dim=dim: t.renorm(x, p, dim, 2.0),
                [values],
                grad=False,
                atol=0,
                rtol=0,
            )


# Errors ---------------------------------------------------------------------------------

MATRIX = floats(1, 2, 4, 3, 0, 5).reshape(2, 3)
ERRORS = [
    ("cov_3d", lambda t, x: t.cov(x.reshape(1, 2, 3))),
    ("cov_bool", lambda t, x: t.cov(x > 1)),
    ("cov_correction_float", lambda t, x: t.cov(x, correction=0.5)),
    ("cov_correction_positional", lambda t, x: t.cov(x, 0)),
    ("cov_fweights_float", lambda t, x: t.cov(x, fweights=t.ones(3))),
    ("cov_fweights_negative", lambda t, x: t.cov(x, fweights=t.tensor([1, -1, 1]))),
    ("cov_fweights_wrong_length", lambda t, x: t.cov(x, fweights=t.tensor([1, 1]))),
    ("cov_fweights_2d", lambda t, x: t.cov(x, fweights=t.ones(1, 3, dtype=t.long))),
    ("cov_fweights_not_a_tensor", lambda t, x: t.cov(x, fweights=[1, 2, 1])),
    ("cov_weights_sum_to_zero", lambda t, x: t.cov(x, fweights=t.zeros(3, dtype=t.long))),
    ("cov_aweights_integer", lambda t, x: t.cov(x, aweights=t.tensor([1, 2, 1]))),
    ("cov_aweights_negative", lambda t, x: t.cov(x, aweights=t.tensor([1.0, -2.0, 1.0]))),
    ("corrcoef_3d", lambda t, x: t.corrcoef(x.reshape(1, 2, 3))),
    ("cov_of_a_list", lambda t, x: t.cov([[1.0, 2.0]])),
    ("histogram_integer", lambda t, x: t.histogram(x.long(), 3)),
    ("histogram_integer_range", lambda t, x: t.histogram(x.long(), 3, range=(0, 1))),
    ("histogram_float16_without_range", lambda t, x: t.histogram(x.half(), 3)),
    ("histogram_bins_0", lambda t, x: t.histogram(x, 0)),
    ("histogram_bins_float", lambda t, x: t.histogram(x, 3.0)),
    ("histogram_bins_bool", lambda t, x: t.histogram(x, True)),
    ("histogram_range_reversed", lambda t, x: t.histogram(x, 3, range=(3.0, 0.0))),
    ("histogram_range_nan", lambda t, x: t.histogram(x, 3, range=(0.0, NAN))),
    ("histogram_range_inf", lambda t, x: t.histogram(x, 3, range=(0.0, INF))),
    ("histogram_range_three", lambda t, x: t.histogram(x, 3, range=(0.0, 1.0, 2.0))),
    ("histogram_data_with_nan", lambda t, x: t.histogram(x / 0 * 0, 3)),
    ("histogram_data_with_inf", lambda t, x: t.histogram(x / 0, 3)),
    ("histogram_edges_and_range", lambda t, x: t.histogram(x, t.ones(2), range=(0.0, 1.0))),
    ("histogram_edges_dtype", lambda t, x: t.histogram(x, t.tensor([0, 1, 2]))),
    ("histogram_edges_2d", lambda t, x: t.histogram(x, t.ones(1, 3))),
    ("histogram_one_edge", lambda t, x: t.histogram(x, t.ones(1))),
    ("histogram_weight_length", lambda t, x: t.histogram(x, 3, weight=t.ones(2))),
    ("histogram_weight_dtype", lambda t, x: t.histogram(x, 3, weight=t.ones(6).double())),
    ("trapezoid_0d", lambda t, x: t.trapezoid(x.sum())),
    ("trapezoid_bool", lambda t, x: t.trapezoid(x > 1)),
    ("trapezoid_dim", lambda t, x: t.trapezoid(x, dim=2)),
    ("trapezoid_bool_dim", lambda t, x: t.trapezoid(x > 1, dim=2)),
    ("trapezoid_x_length", lambda t, x: t.trapezoid(x, t.ones(4))),
    ("trapezoid_x_shape", lambda t, x: t.trapezoid(x, t.ones(3, 3))),
    ("trapezoid_x_and_dx", lambda t, x: t.trapezoid(x, t.ones(3), dx=2.0)),
    ("trapezoid_x_number", lambda t, x: t.trapezoid(x, 2.0)),
    ("trapezoid_dx_bool", lambda t, x: t.trapezoid(x, dx=True)),
    ("cumulative_trapezoid_0d", lambda t, x: t.cumulative_trapezoid(x.sum())),
    ("cumulative_trapezoid_x_length", lambda t, x: t.cumulative_trapezoid(x, t.ones(2))),
    ("cumulative_trapezoid_dx_bool", lambda t, x: t.cumulative_trapezoid(x, dx=False)),
    ("trapz_x_and_dx", lambda t, x: t.trapz(x, t.ones(3), dx=2.0)),
    ("gradient_edge_order_3", lambda t, x: t.gradient(x, edge_order=3)),
    ("gradient_edge_order_bool", lambda t, x: t.gradient(x, edge_order=True)),
    ("gradient_too_short", lambda t, x: t.gradient(x, edge_order=2, dim=0)),
    ("gradient_dim", lambda t, x: t.gradient(x, dim=2)),
    ("gradient_repeated_dim", lambda t, x: t.gradient(x, dim=(1, 1))),
    ("gradient_spacing_length", lambda t, x: t.gradient(x, spacing=[1.0])),
    ("gradient_spacing_dims", lambda t, x: t.gradient(x, spacing=[1.0, 2.0], dim=1)),
    ("gradient_bare_coordinates", lambda t, x: t.gradient(x, spacing=t.ones(3))),
    ("gradient_0d_coordinates", lambda t, x: t.gradient(x, spacing=[t.tensor(1.0)], dim=1)),
    ("gradient_2d_coordinates", lambda t, x: t.gradient(x, spacing=[t.ones(1, 3)], dim=1)),
    ("gradient_bool", lambda t, x: t.gradient(x > 1)),
    ("renorm_p_0", lambda t, x: t.renorm(x, 0, 0, 1.0)),
    ("renorm_maxnorm_negative", lambda t, x: t.renorm(x, 2, 0, -1.0)),
    ("renorm_1d", lambda t, x: t.renorm(x[0], 2, 0, 1.0)),
    ("renorm_dim", lambda t, x: t.renorm(x, 2, 2, 1.0)),
    ("renorm_integer", lambda t, x: t.renorm(x.long(), 2, 0, 1.0)),
    ("renorm_integer_bad_dim", lambda t, x: t.renorm(x.long(), 2, 5, 1.0)),
    ("renorm_dim_float", lambda t, x: t.renorm(x, 2, 0.5, 1.0)),
    ("renorm_inf_of_empty_slices", lambda t, x: t.renorm(x[:, :0], INF, 0, 1.0)),
]


@pytest.mark.parametrize("name, fn", ERRORS, ids=[c[0] for c in ERRORS])
def test_errors_match_torch(name, fn):
    values = SAMPLES if name.startswith("histogram") else MATRIX
    check_error(fn, values)


def test_error_messages_name_what_was_wrong():
    x = ember.tensor(MATRIX)
    with pytest.raises(RuntimeError, match="fweights.*same numel.*2 != 3"):
        ember.cov(x, fweights=ember.tensor([1, 1]))
    with pytest.raises(RuntimeError, match=r"range \[0.0, inf\] is not finite"):
        ember.histogram(x, 3, range=(0.0, INF))
    with pytest.raises(RuntimeError, match="one `x` value for each sample point: got 4 for 3"):
        ember.trapezoid(x, ember.ones(4))
    with pytest.raises(RuntimeError, match="dim 0 has size 2 for edge_order=2"):
        ember.gradient(x, edge_order=2)
    with pytest.raises(RuntimeError, match=r"non-positive-norm not supported \(p=-1.0\)"):
        ember.renorm(x, -1, 0, 1.0)


def test_the_functions_refuse_what_is_not_a_tensor():
    for name in ("cov", "corrcoef", "histogram", "trapezoid", "cumulative_trapezoid", "gradient"):
        check_error(lambda t, name=name: getattr(t, name)([1.0, 2.0, 3.0]))
    check_error(lambda t: t.renorm([[1.0, 2.0]], 2, 0, 1.0))
    assert_same(ember.trapz(ember.tensor([1.0, 3.0])), torch.trapz(torch.tensor([1.0, 3.0])))
