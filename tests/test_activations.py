"""The activations after ReLU (leaky ReLU, ELU, SiLU, softplus, GELU, PReLU) against
torch: values and gradients in float64, float32 and float16, gradient checks to second
order, node names, module reprs, in-place forms and argument errors; and ember's erf."""

import math

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error, check_gradcheck

import ember
from ember import nn
from ember.ops.error_function_approximations import erf as erf_of_array


def F(lib):
    return lib.nn.functional


OPS = {
    "leaky_relu": lambda lib, x: F(lib).leaky_relu(x),
    "leaky_relu_0.2": lambda lib, x: F(lib).leaky_relu(x, 0.2),
    "leaky_relu_steep": lambda lib, x: F(lib).leaky_relu(x, negative_slope=3.0),
    "leaky_relu_negative": lambda lib, x: F(lib).leaky_relu(x, -0.5),
    "elu": lambda lib, x: F(lib).elu(x),
    "elu_alpha": lambda lib, x: F(lib).elu(x, alpha=2.0),
    "silu": lambda lib, x: F(lib).silu(x),
    "softplus": lambda lib, x: F(lib).softplus(x),
    "softplus_beta_threshold": lambda lib, x: F(lib).softplus(x, beta=2, threshold=3),
    "gelu": lambda lib, x: F(lib).gelu(x),
    "gelu_tanh": lambda lib, x: F(lib).gelu(x, approximate="tanh"),
    "prelu_one": lambda lib, x: F(lib).prelu(x, lib.tensor([0.3], dtype=x.dtype)),
    "prelu_channels": lambda lib, x: F(lib).prelu(x, lib.tensor([0.1, -0.2, 0.5], dtype=x.dtype)),
    "prelu_0d_weight": lambda lib, x: F(lib).prelu(x, lib.tensor(0.3, dtype=x.dtype)),
}
SHAPES = [(4, 3), (2, 3, 5), (4, 3, 2, 2)]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("op", list(OPS))
def test_values_and_gradients_match_torch(op, shape, dtype):
    check(OPS[op], [shape], dtype=dtype, low=-4, high=4, atol=1e-6 if dtype == "float32" else 1e-12)


@pytest.mark.parametrize("op", [name for name in OPS if not name.startswith("prelu")])
@pytest.mark.parametrize("shape", [(), (0, 3), (7,)], ids=str)
def test_zero_dim_empty_and_one_dim_inputs(op, shape):
    check(OPS[op], [shape], dtype="float64", low=-3, high=3, atol=1e-12)


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("op", list(OPS))
def test_gradients_against_finite_differences(op, order):
    check_gradcheck(OPS[op], [(3, 3, 2)], low=-3, high=3, order=order)


def test_prelu_weight_gradients_against_finite_differences():
    prelu = lambda lib, x, w: F(lib).prelu(x, w)  # noqa: E731
    for weight_shape in [(3,), (1,)]:
        check_gradcheck(prelu, [(2, 3, 4), weight_shape], low=-2, high=2, order=2)
        check(prelu, [(2, 3, 4), weight_shape], dtype="float64", atol=1e-12)


# Every value of float16 ---------------------------------------------------------------

ALL_FLOAT16 = np.arange(65536, dtype=np.uint16).view(np.float16)


def float16_results(lib, op):
    x = lib.tensor(ALL_FLOAT16.copy(), requires_grad=True)
    out = OPS[op](lib, x)
    out.backward(lib.tensor(np.full(out.shape, 0.3, np.float16)))
    return out.detach().numpy(), x.grad.numpy()


@pytest.mark.parametrize(
    "op", ["leaky_relu", "leaky_relu_0.2", "elu", "elu_alpha", "silu", "softplus"]
)
def test_float16_in_float32_rounded_once_as_torch(op):
    """In float32, rounded once: torch's values and gradients for all 65,536 float16 inputs
    (but a handful of last bits; signs of zero and NaNs aside)."""
    for ember_array, torch_array in zip(float16_results(ember, op), float16_results(torch, op)):
        assert ember_array.dtype == torch_array.dtype == np.float16
        differ = (ember_array != torch_array) & ~(np.isnan(ember_array) & np.isnan(torch_array))
        assert differ.sum() <= 2
        np.testing.assert_allclose(ember_array, torch_array, rtol=1e-3, atol=1e-7)


@pytest.mark.parametrize("op", ["gelu", "gelu_tanh", "prelu_one"])
def test_float16_gelu_and_prelu_close_to_torch(op):
    """ember's float16 GELU is the correctly rounded one; torch's kernel loses digits
    where 1 + erf cancels (docs/differences.md)."""
    finite = np.isfinite(ALL_FLOAT16) & (np.abs(ALL_FLOAT16.astype(float)) < 100)
    for ember_array, torch_array in zip(float16_results(ember, op), float16_results(torch, op)):
        assert ember_array.dtype == torch_array.dtype == np.float16
        np.testing.assert_allclose(ember_array[finite], torch_array[finite], rtol=2e-3, atol=1e-4)


# Nodes, modules, in-place forms ---------------------------------------------------------


def node_names(lib, op):
    x = lib.tensor(np.linspace(-3, 3, 12).reshape(4, 3), requires_grad=True)
    out = OPS[op](lib, x)
    (grad,) = lib.autograd.grad(out.sum(), x, create_graph=True)
    return out.grad_fn.name(), grad.grad_fn.name()


@pytest.mark.parametrize("op", list(OPS))
def test_node_names_first_and_second_order(op):
    assert node_names(ember, op) == node_names(torch, op)


MODULES = [
    lambda lib: lib.nn.LeakyReLU(),
    lambda lib: lib.nn.LeakyReLU(0.2, inplace=True),
    lambda lib: lib.nn.ELU(),
    lambda lib: lib.nn.ELU(alpha=0.5, inplace=True),
    lambda lib: lib.nn.SiLU(),
    lambda lib: lib.nn.SiLU(inplace=True),
    lambda lib: lib.nn.Softplus(),
    lambda lib: lib.nn.Softplus(beta=2, threshold=10),
    lambda lib: lib.nn.GELU(),
    lambda lib: lib.nn.GELU(approximate="tanh"),
    lambda lib: lib.nn.PReLU(),
    lambda lib: lib.nn.PReLU(3, init=0.1),
]


@pytest.mark.parametrize("make", MODULES)
def test_modules_print_and_compute_as_torch(make):
    ember_module, torch_module = make(ember), make(torch)
    assert repr(ember_module) == repr(torch_module)
    array = np.random.default_rng(1).uniform(-3, 3, (2, 3, 4)).astype(np.float32)
    ember_x = ember.tensor(array, requires_grad=True)
    torch_x = torch.tensor(array, requires_grad=True)
    ember_out, torch_out = ember_module(ember_x * 1), torch_module(torch_x * 1)
    assert_same(ember_out, torch_out, atol=1e-6)
    ember_out.sum().backward()
    torch_out.sum().backward()
    assert_same(ember_x.grad, torch_x.grad, atol=1e-6)
    for (name, e), (torch_name, t) in zip(
        ember_module.named_parameters(), torch_module.named_parameters(), strict=True
    ):
        assert name == torch_name
        assert_same(e, t)
        assert_same(e.grad, t.grad, atol=1e-5)


def test_prelu_module_keeps_a_learnable_weight_in_its_dtype():
    module = nn.PReLU(4, init=0.5, dtype=ember.float64)
    assert [name for name, _ in module.named_parameters()] == ["weight"]
    assert module.weight.dtype == ember.float64 and module.weight.tolist() == [0.5] * 4
    assert list(module.state_dict()) == ["weight"]


@pytest.mark.parametrize(
    "op",
    [
        lambda lib, x, inplace: F(lib).leaky_relu(x, 0.1, inplace=inplace),
        lambda lib, x, inplace: F(lib).elu(x, inplace=inplace),
        lambda lib, x, inplace: F(lib).silu(x, inplace=inplace),
    ],
    ids=["leaky_relu", "elu", "silu"],
)
def test_in_place_forms_write_into_the_input(op):
    array = np.array([-2.0, -0.5, 0.0, 1.5])
    for lib in (ember, torch):
        plain = lib.tensor(array)
        assert op(lib, plain, True) is plain
    results = []
    for lib in (ember, torch):
        leaf = lib.tensor(array, requires_grad=True)
        middle = leaf * 1
        out = op(lib, middle, True)
        assert out is middle
        out.sum().backward()
        results.append((out.detach().numpy(), leaf.grad.numpy()))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-12)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-12)
    check_error(lambda lib, x: op(lib, x.requires_grad_(), True), np.array([1.0, -1.0]))


# Signed zeros: PyTorch computes slope * x at x = 0, so that leaky_relu(-0.) is -0. -----

SIGNED_ZEROS = {
    "leaky_relu": lambda lib, x: F(lib).leaky_relu(x),
    "leaky_relu_negative_slope": lambda lib, x: F(lib).leaky_relu(x, -0.5),
    "leaky_relu_zero_slope": lambda lib, x: F(lib).leaky_relu(x, 0.0),
    "leaky_relu_": lambda lib, x: F(lib).leaky_relu(x * 1, 0.2, inplace=True),
    "LeakyReLU": lambda lib, x: lib.nn.LeakyReLU(0.1)(x),
    "elu": lambda lib, x: F(lib).elu(x),
    "elu_negative_alpha": lambda lib, x: F(lib).elu(x, alpha=-1.0),
    "elu_": lambda lib, x: F(lib).elu(x * 1, inplace=True),
    "ELU": lambda lib, x: lib.nn.ELU(alpha=0.5)(x),
    "prelu": lambda lib, x: F(lib).prelu(x, lib.tensor([0.25], dtype=x.dtype)),
    "prelu_negative_weight": lambda lib, x: F(lib).prelu(x, lib.tensor([-0.25], dtype=x.dtype)),
    "PReLU": lambda lib, x: lib.nn.PReLU(dtype=x.dtype)(x),
}


def signed_zero_results(lib, op, dtype):
    x = lib.tensor(np.array([-0.0, 0.0, -1.5, 2.0, -0.0], dtype), requires_grad=True)
    out = op(lib, x)
    (grad,) = lib.autograd.grad(out, x, lib.tensor(np.array([-1.0, -1.0, 2.0, 3.0, 0.5], dtype)))
    return out.detach().numpy(), grad.numpy()


@pytest.mark.parametrize("dtype", ["float64", "float32", "float16"])
@pytest.mark.parametrize("op", list(SIGNED_ZEROS))
def test_signed_zeros_in_and_out_as_torch(op, dtype):
    """leaky_relu, elu and prelu of -0. are -0. (of +0. with a negative slope, -0.), in
    their functional, in-place and module forms; their gradients too."""
    for ember_array, torch_array in zip(
        signed_zero_results(ember, SIGNED_ZEROS[op], dtype),
        signed_zero_results(torch, SIGNED_ZEROS[op], dtype),
    ):
        assert ember_array.dtype == torch_array.dtype
        np.testing.assert_allclose(ember_array, torch_array, rtol=1e-3)
        np.testing.assert_array_equal(np.signbit(ember_array), np.signbit(torch_array))


RELU_FORMS = {
    "relu": lambda lib, x: lib.relu(x),
    "relu_": lambda lib, x: F(lib).relu(x * 1, inplace=True),
    "ReLU": lambda lib, x: lib.nn.ReLU()(x),
}


@pytest.mark.parametrize("size", [5, 5000])  # 5000: past backend.SELECT_BY_BITS_FROM
@pytest.mark.parametrize("dtype", ["float64", "float32", "float16"])
@pytest.mark.parametrize("form", list(RELU_FORMS))
def test_relu_gradient_is_plus_zero_where_the_output_is_zero(form, dtype, size):
    """Where relu's output is 0, its gradient is +0. whatever the incoming gradient (a
    negative one times a 0/1 mask would give -0., a NaN one NaN); elsewhere it is the
    incoming gradient, NaN included."""
    repeats = size // 5
    x_values = np.tile(np.array([-0.0, 0.0, -1.5, 2.0, np.nan], dtype), repeats)
    incoming = np.tile(np.array([-1.0, np.nan, -2.0, 3.0, np.nan], dtype), repeats)
    grads = []
    for lib in (ember, torch):
        x = lib.tensor(x_values, requires_grad=True)
        (grad,) = lib.autograd.grad(RELU_FORMS[form](lib, x), x, lib.tensor(incoming))
        grads.append(grad.numpy())
    assert grads[0].dtype == grads[1].dtype
    np.testing.assert_array_equal(grads[0], grads[1])
    np.testing.assert_array_equal(np.signbit(grads[0]), np.signbit(grads[1]))


# Argument errors ------------------------------------------------------------------------

FLOATS = np.array([[-1.0, 2.0, 0.5]], np.float32)
INTEGERS = np.array([[-1, 2, 0]])


@pytest.mark.parametrize(
    "fn, inputs",
    [
        *[
            (lambda lib, x, f=f: OPS[f](lib, x), [array])
            for f in ["leaky_relu", "elu", "silu", "softplus", "gelu", "gelu_tanh"]
            for array in [INTEGERS, INTEGERS > 0]
        ],
        (lambda lib, x: F(lib).gelu(x, approximate="exact"), [FLOATS]),
        (lambda lib, x: F(lib).gelu(x, approximate=None), [FLOATS]),
        (lambda lib, x: lib.nn.GELU("exact")(x), [FLOATS]),
        (lambda lib, x: F(lib).leaky_relu(x, "0.1"), [FLOATS]),
        (lambda lib: F(lib).silu([1.0]), []),
        (lambda lib: F(lib).gelu(1.0), []),
        (lambda lib, x: F(lib).prelu(x, [0.25]), [FLOATS]),
        (lambda lib, x: F(lib).prelu(x, lib.ones(2)), [FLOATS]),
        (lambda lib, x: F(lib).prelu(x, lib.ones(1, 3)), [FLOATS]),
        (lambda lib, x: F(lib).prelu(x, lib.ones(3, dtype=lib.float64)), [FLOATS]),
        (lambda lib, x: F(lib).prelu(x, lib.ones(1, dtype=lib.int64)), [INTEGERS]),
        (lambda lib, x: F(lib).prelu(x, lib.ones(1)), [INTEGERS]),
        (lambda lib: F(lib).prelu(lib.tensor(1.0), lib.ones(3)), []),
        (lambda lib, x: lib.nn.PReLU(4)(x), [FLOATS]),
    ],
)
def test_argument_errors_as_torch(fn, inputs):
    check_error(fn, *inputs)


def test_accepted_argument_forms_as_torch():
    check(lambda lib, x: F(lib).leaky_relu(x, lib.tensor(0.2)), [(3, 4)], grad=False)
    check(lambda lib, x: F(lib).elu(x, 2), [(3, 4)])
    check(lambda lib, x: F(lib).softplus(x, -1.0), [(3, 4)])
    check(lambda lib, x: F(lib).prelu(x, lib.tensor([0.2])), [(5,)])


def test_extreme_values_as_torch():
    array = np.array([-1000.0, -40.0, 40.0, 1000.0, np.inf, -np.inf, np.nan])
    for op in [name for name in OPS if not name.startswith("prelu")]:
        ember_out = OPS[op](ember, ember.tensor(array))
        torch_out = OPS[op](torch, torch.tensor(array))
        np.testing.assert_allclose(ember_out.numpy(), torch_out.numpy(), rtol=1e-12, atol=0)


# The error function ---------------------------------------------------------------------


def test_erf_is_within_four_roundings_of_math_erf():
    grid = np.concatenate([np.linspace(-7, 7, 400_001), np.geomspace(1e-300, 7, 20_001)])
    reference = np.array([math.erf(value) for value in grid])
    ulps = np.abs(erf_of_array(grid) - reference) / np.spacing(np.abs(reference))
    assert ulps.max() <= 4 and (ulps <= 1).mean() > 0.99
    from_torch = torch.erf(torch.tensor(grid)).numpy()
    np.testing.assert_allclose(erf_of_array(grid), from_torch, rtol=1e-15)


def test_float32_erf_is_within_four_roundings_of_math_erf():
    """float32 computes erf as tanh of a fitted polynomial (backend.py), not by Cody's
    forms: within 4 float32 roundings of the true value, and within one for most."""
    grid = np.concatenate(
        [
            np.linspace(-6, 6, 1_000_001),
            np.geomspace(1e-38, 6, 100_001),
            -np.geomspace(1e-45, 6, 10_001),
        ]
    ).astype(np.float32)
    reference = np.array([math.erf(value) for value in grid.astype(np.float64)])
    result = erf_of_array(grid)
    assert result.dtype == np.float32
    ulps = np.abs(result - reference) / np.spacing(np.abs(reference).astype(np.float32))
    assert ulps.max() <= 4 and (ulps <= 1).mean() > 0.7


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_float32_and_float16_erf_edges(dtype):
    """Signed zeros, infinities, NaN and the values where erf rounds to 1 come out exact,
    in the input's dtype; tiny ones scale by 2/sqrt(pi)."""
    edges = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 4.5, -5.0, 100.0, -6e4], dtype)
    result = erf_of_array(edges)
    assert result.dtype == dtype
    np.testing.assert_array_equal(result, [0.0, -0.0, 1.0, -1.0, np.nan, 1.0, -1.0, 1.0, -1.0])
    assert list(np.signbit(result[:2])) == [False, True]
    tiny = np.array([1e-45, -1e-30, 1e-7] if dtype == np.float32 else [6e-8, -1e-5], dtype)
    reference = np.array([math.erf(value) for value in tiny.astype(np.float64)]).astype(dtype)
    np.testing.assert_allclose(
        erf_of_array(tiny), reference, rtol=1e-3 if dtype == np.float16 else 1e-6
    )
    huge = np.array([1e30, -3e38], np.float32)
    np.testing.assert_array_equal(erf_of_array(huge), [1.0, -1.0])


def test_float32_gelu_values_and_gradients_close_to_torch():
    """The float32 tanh form keeps GELU as close to the float64 value as torch's float32
    kernel is (which loses digits where 1 + erf cancels), and its gradient as torch's."""
    array = np.random.default_rng(0).normal(scale=3, size=(256, 256)).astype(np.float32)
    results = []
    for lib in (ember, torch):
        x = lib.tensor(array, requires_grad=True)
        out = F(lib).gelu(x)
        (grad,) = lib.autograd.grad(out, x, lib.full_like(out, 0.7))
        results.append((out.detach().numpy(), grad.numpy()))
    (ember_out, ember_grad), (torch_out, torch_grad) = results
    assert ember_out.dtype == ember_grad.dtype == np.float32
    exact = torch.nn.functional.gelu(torch.tensor(array, dtype=torch.float64)).numpy()
    np.testing.assert_allclose(ember_out, exact, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(ember_out, torch_out, rtol=1e-6, atol=2e-6)
    np.testing.assert_allclose(ember_grad, torch_grad, rtol=1e-6, atol=3e-7)


def test_erf_special_values_and_float32():
    special = erf_of_array(np.array([0.0, -0.0, np.inf, -np.inf, np.nan]))
    np.testing.assert_array_equal(special, [0.0, -0.0, 1.0, -1.0, np.nan])
    assert np.signbit(special[1])
    x32 = np.random.default_rng(0).normal(scale=3, size=1000).astype(np.float32)
    assert erf_of_array(x32).dtype == np.float32
    np.testing.assert_allclose(erf_of_array(x32), torch.erf(torch.tensor(x32)).numpy(), atol=3e-7)


@pytest.mark.parametrize(
    "call",
    [
        lambda lib, x: lib.nn.functional.hardtanh(x.float(), -1e300, 1e300),
        lambda lib, x: lib.nn.functional.hardtanh(x.half(), -1.0, 70000.0),
        lambda lib, x: lib.nn.functional.threshold(x.float(), 1e300, 0.0),
        lambda lib, x: lib.nn.functional.threshold(x.half(), 0.5, 70000.0),
    ],
)
def test_bounds_past_the_inputs_type_are_refused_as_in_torch(call):
    # ember clamped to inf (or never reached the bound) where PyTorch refuses the number
    check_error(call, np.ones(3))


def test_hardtanh_takes_its_bounds_in_the_inputs_type():
    # float16: 1e-40 is 0 there, so -0. is kept beside it, as in PyTorch
    results = []
    for library in (ember, torch):
        x = library.tensor([-0.0, 1e-3, -1.0], dtype=library.float16)
        results.append(library.nn.functional.hardtanh(x, 1e-40, 1.0))
    assert_same(*results)
    assert results[0].signbit().tolist() == results[1].signbit().tolist()
