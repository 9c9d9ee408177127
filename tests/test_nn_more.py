"""nn's second family against torch: the hard activations (hardtanh, ReLU6, hardsigmoid,
hardswish, the shrinks, threshold), SELU, CELU, Mish, softsign, tanhshrink, log-sigmoid,
softmin, GLU and Softmax2d, with their modules and in-place forms; normalize,
cosine_similarity, pairwise_distance, pdist and one_hot; Unflatten; and the initialisers
orthogonal_, dirac_, eye_ and sparse_. Values, dtypes (float16 over all its values),
signed zeros, gradients to second order, node names, reprs and errors."""

import warnings

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error, check_gradcheck

import ember
from ember import nn


def F(lib):
    return lib.nn.functional


OPS = {
    "relu6": lambda lib, x: F(lib).relu6(x),
    "hardtanh": lambda lib, x: F(lib).hardtanh(x),
    "hardtanh_bounds": lambda lib, x: F(lib).hardtanh(x, -2.0, 0.5),
    "hardsigmoid": lambda lib, x: F(lib).hardsigmoid(x),
    "hardswish": lambda lib, x: F(lib).hardswish(x),
    "selu": lambda lib, x: F(lib).selu(x),
    "celu": lambda lib, x: F(lib).celu(x),
    "celu_alpha": lambda lib, x: F(lib).celu(x, 2.0),
    "celu_negative_alpha": lambda lib, x: F(lib).celu(x, -0.5),
    "mish": lambda lib, x: F(lib).mish(x),
    "softsign": lambda lib, x: F(lib).softsign(x),
    "softshrink": lambda lib, x: F(lib).softshrink(x),
    "softshrink_lambd": lambda lib, x: F(lib).softshrink(x, 1.3),
    "hardshrink": lambda lib, x: F(lib).hardshrink(x),
    "hardshrink_negative_lambd": lambda lib, x: F(lib).hardshrink(x, -1.0),
    "tanhshrink": lambda lib, x: F(lib).tanhshrink(x),
    "threshold": lambda lib, x: F(lib).threshold(x, 0.5, -1.0),
    "logsigmoid": lambda lib, x: F(lib).logsigmoid(x),
    "softmin": lambda lib, x: F(lib).softmin(x, -1),
    "glu": lambda lib, x: F(lib).glu(x),
    "glu_dim0": lambda lib, x: F(lib).glu(x, 0),
}
ELEMENTWISE = [name for name in OPS if not name.startswith(("glu", "softmin"))]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("op", list(OPS))
def test_values_and_gradients_match_torch(op, dtype):
    check(
        OPS[op],
        [(4, 3, 6)],
        dtype=dtype,
        low=-5,
        high=5,
        atol=2e-6 if dtype == "float32" else 1e-12,
    )


@pytest.mark.parametrize("op", [name for name in OPS if not name.startswith("glu")])
@pytest.mark.parametrize("shape", [(), (0, 3), (7,)], ids=str)
def test_zero_dim_empty_and_one_dim_inputs(op, shape):
    check(OPS[op], [shape], dtype="float64", low=-4, high=4, atol=1e-12)


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("op", list(OPS))
def test_gradients_against_finite_differences(op, order):
    check_gradcheck(OPS[op], [(4, 2, 2)], low=-4, high=4, order=order)


def node_names(lib, op):
    x = lib.tensor(np.linspace(-4, 4, 24).reshape(4, 6), requires_grad=True)
    out = OPS[op](lib, x)
    (grad,) = lib.autograd.grad(out.sum(), x, create_graph=True)
    return out.grad_fn.name(), grad.grad_fn.name()


@pytest.mark.parametrize("op", [name for name in OPS if name != "hardsigmoid"])
def test_node_names_first_and_second_order(op):
    assert node_names(ember, op) == node_names(torch, op)


def test_hardsigmoid_second_derivative_is_zero_where_torch_has_none():
    """torch refuses hardsigmoid's second derivative; ember gives it: 0, the line's."""
    assert node_names(ember, "hardsigmoid")[0] == node_names(torch, "hardsigmoid")[0]
    x = ember.tensor(np.linspace(-4, 4, 9), requires_grad=True)
    (grad,) = ember.autograd.grad(F(ember).hardsigmoid(x).sum(), x, create_graph=True)
    (second,) = ember.autograd.grad(grad.sum(), x)
    assert second.tolist() == [0.0] * 9


# Edges: signed zeros, NaN and infinities, as torch's vector loop gives them ----------------

EDGES = [-0.0, 0.0, np.nan, np.inf, -np.inf, -3.0, 3.0, -1.0, 1.0, 0.5, -0.5, 6.0, -2.0, 1e-30]


def edge_results(lib, op, dtype):
    """Values, gradients and second derivatives at the edges, placed first in 64 values:
    torch computes the last few of a tensor in another loop, which can treat NaN otherwise."""
    values = np.array(EDGES + list(np.linspace(-7, 7, 64 - len(EDGES))), dtype)
    x = lib.tensor(values, requires_grad=True)
    out = OPS[op](lib, x)
    (grad,) = lib.autograd.grad(out, x, lib.tensor(np.full(64, -1.0, dtype)), create_graph=True)
    results = [out.detach().numpy(), grad.detach().numpy()]
    if op != "hardsigmoid":
        (second,) = lib.autograd.grad(grad, x, lib.tensor(np.full(64, 0.5, dtype)))
        results.append(second.numpy())
    return results


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("op", [name for name in ELEMENTWISE if name != "softsign"])
def test_signed_zeros_nan_and_infinities_as_torch(op, dtype):
    ember_results, torch_results = edge_results(ember, op, dtype), edge_results(torch, op, dtype)
    for order, (ember_array, torch_array) in enumerate(zip(ember_results, torch_results)):
        assert ember_array.dtype == torch_array.dtype
        tolerance = 1e-12 if dtype == "float64" else 1e-6
        np.testing.assert_allclose(ember_array, torch_array, rtol=tolerance, atol=tolerance)
        if order < 2:  # the signs of second derivatives' zeros (and of NaN) are not kept
            numbers = ~np.isnan(torch_array)
            np.testing.assert_array_equal(
                np.signbit(ember_array[numbers]), np.signbit(torch_array[numbers])
            )


def test_softsign_edges_as_torch():
    """softsign(inf) is nan (inf / inf), as torch's composition gives it."""
    for ember_array, torch_array in zip(
        edge_results(ember, "softsign", "float64"), edge_results(torch, "softsign", "float64")
    ):
        np.testing.assert_allclose(ember_array, torch_array, rtol=1e-12)


# Every value of float16 ---------------------------------------------------------------

ALL_FLOAT16 = np.arange(65536, dtype=np.uint16).view(np.float16)


def float16_results(lib, op):
    x = lib.tensor(ALL_FLOAT16.copy(), requires_grad=True)
    out = OPS[op](lib, x)
    out.backward(lib.tensor(np.full(out.shape, 0.3, np.float16)))
    return out.detach().numpy(), x.grad.numpy()


def differing(ember_array, torch_array):
    return (ember_array != torch_array) & ~(np.isnan(ember_array) & np.isnan(torch_array))


@pytest.mark.parametrize(
    "op", [name for name in ELEMENTWISE if name not in ("softsign", "tanhshrink")]
)
def test_float16_in_float32_rounded_once_as_torch(op):
    """torch's bits for all 65,536 float16 inputs, values and gradients, but a few last bits
    (where numpy's float32 and torch's differ) and the signs of a few zeros (mish's gradient
    below -88, where ember's float64 keeps a tiny value)."""
    for ember_array, torch_array in zip(float16_results(ember, op), float16_results(torch, op)):
        assert ember_array.dtype == torch_array.dtype == np.float16
        assert differing(ember_array, torch_array).sum() <= 3
        if op not in ("mish", "logsigmoid"):
            signs = np.signbit(ember_array) != np.signbit(torch_array)
            assert not (signs & ~np.isnan(torch_array)).any()


@pytest.mark.parametrize("op", ["softsign", "tanhshrink"])
def test_float16_compositions_close_to_torch(op):
    """softsign and tanhshrink are compositions: their float16 values are torch's; their
    gradients go through ember's float16 div and tanh gradients, whose roundings differ."""
    (ember_values, ember_grad), (torch_values, torch_grad) = (
        float16_results(ember, op),
        float16_results(torch, op),
    )
    assert not differing(ember_values, torch_values).any()
    moderate = np.abs(ALL_FLOAT16.astype(float)) < 100
    np.testing.assert_allclose(ember_grad[moderate], torch_grad[moderate], rtol=2e-3, atol=3e-4)


@pytest.mark.parametrize("dim", [0, 1])
def test_float16_glu_as_torch(dim):
    """torch's float16 GLU gradient rounds the gate to float16 first; so does ember's."""
    values = np.random.default_rng(3).uniform(-9, 9, (64, 64)).astype(np.float16)
    upstream = np.random.default_rng(4).uniform(-2, 2, (64, 64)).astype(np.float16)
    results = []
    for lib in (ember, torch):
        x = lib.tensor(values, requires_grad=True)
        out = F(lib).glu(x, dim)
        out.backward(lib.tensor(upstream[:32] if dim == 0 else upstream[:, :32]))
        results.append((out.detach().numpy(), x.grad.numpy()))
    for ember_array, torch_array in zip(*results):
        assert ember_array.dtype == np.float16
        assert differing(ember_array, torch_array).sum() <= 2


# Integer inputs: hardtanh, ReLU6 and threshold keep their dtype; the rest refuse -------


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib, x: F(lib).hardtanh(x, -0.5, 1.5),
        lambda lib, x: F(lib).hardtanh(x, -1, 2),
        lambda lib, x: F(lib).relu6(x),
        lambda lib, x: F(lib).relu6(x.to(lib.int8)),
        lambda lib, x: F(lib).relu6(x.to(lib.uint8)),
        lambda lib, x: F(lib).threshold(x, 0.5, -1.5),
        lambda lib, x: F(lib).threshold(x.to(lib.uint8), 3, -1),  # -1 wraps to 255
        lambda lib, x: F(lib).hardtanh_(x.clone()),
        lambda lib, x: F(lib).threshold_(x.clone(), 1, 20),
        lambda lib, x: F(lib).softsign(x),
        lambda lib, x: F(lib).tanhshrink(x),
        lambda lib, x: F(lib).softmin(x, 0, dtype=lib.float64),
    ],
)
def test_integer_inputs_as_torch(fn):
    check(fn, [np.array([-2, 0, 1, 3, 9])], grad=False)


# In-place forms ------------------------------------------------------------------------

IN_PLACE = {
    "relu6": lambda lib, x, inplace: F(lib).relu6(x, inplace),
    "hardtanh": lambda lib, x, inplace: F(lib).hardtanh(x, -0.5, 1.0, inplace),
    "hardtanh_": lambda lib, x, inplace: (F(lib).hardtanh_ if inplace else F(lib).hardtanh)(x),
    "threshold": lambda lib, x, inplace: F(lib).threshold(x, 0.2, 7.0, inplace),
    "threshold_": lambda lib, x, inplace: (F(lib).threshold_ if inplace else F(lib).threshold)(
        x, 0.2, 7.0
    ),
    "hardsigmoid": lambda lib, x, inplace: F(lib).hardsigmoid(x, inplace),
    "hardswish": lambda lib, x, inplace: F(lib).hardswish(x, inplace),
    "selu": lambda lib, x, inplace: F(lib).selu(x, inplace),
    "selu_": lambda lib, x, inplace: (F(lib).selu_ if inplace else F(lib).selu)(x),
    "celu": lambda lib, x, inplace: F(lib).celu(x, 1.5, inplace),
    "celu_": lambda lib, x, inplace: (F(lib).celu_ if inplace else F(lib).celu)(x, 1.5),
    "elu_": lambda lib, x, inplace: (F(lib).elu_ if inplace else F(lib).elu)(x, 0.7),
    "leaky_relu_": lambda lib, x, inplace: (F(lib).leaky_relu_ if inplace else F(lib).leaky_relu)(
        x, 0.2
    ),
    "mish": lambda lib, x, inplace: F(lib).mish(x, inplace),
    "ReLU6": lambda lib, x, inplace: lib.nn.ReLU6(inplace)(x),
    "Hardtanh": lambda lib, x, inplace: lib.nn.Hardtanh(-2.0, 0.5, inplace)(x),
    "Threshold": lambda lib, x, inplace: lib.nn.Threshold(0.1, 20.0, inplace)(x),
    "Hardsigmoid": lambda lib, x, inplace: lib.nn.Hardsigmoid(inplace)(x),
    "Hardswish": lambda lib, x, inplace: lib.nn.Hardswish(inplace)(x),
    "SELU": lambda lib, x, inplace: lib.nn.SELU(inplace)(x),
    "CELU": lambda lib, x, inplace: lib.nn.CELU(0.5, inplace)(x),
    "Mish": lambda lib, x, inplace: lib.nn.Mish(inplace)(x),
}
IN_PLACE_VALUES = np.array([-4.0, -2.0, -0.5, 0.0, 0.3, 1.5, 3.5, 8.0])


@pytest.mark.parametrize("form", list(IN_PLACE))
def test_in_place_forms_write_into_the_input(form):
    op = IN_PLACE[form]
    results = []
    for lib in (ember, torch):
        plain = lib.tensor(IN_PLACE_VALUES)
        assert op(lib, plain, True) is plain
        expected = op(lib, lib.tensor(IN_PLACE_VALUES), False)
        leaf = lib.tensor(IN_PLACE_VALUES, requires_grad=True)
        middle = leaf * 1
        out = op(lib, middle, True)
        assert out is middle
        out.backward(lib.linspace(-1, 1, 8, dtype=lib.float64))
        results.append((plain.numpy(), expected.numpy(), out.detach().numpy(), leaf.grad.numpy()))
    for ember_array, torch_array in zip(*results):
        np.testing.assert_allclose(ember_array, torch_array, rtol=1e-12)
    check_error(lambda lib, x: op(lib, x.requires_grad_(), True), np.array([1.0, -1.0]))


def test_in_place_forms_bump_the_version():
    x = ember.tensor([-1.0, 2.0, 7.0])
    before = x._version
    F(ember).relu6(x, inplace=True)
    F(ember).selu_(x)
    assert x._version > before
    assert x.tolist() == F(ember).selu(ember.tensor([0.0, 2.0, 6.0])).tolist()


# Modules ------------------------------------------------------------------------------

MODULES = [
    lambda lib: lib.nn.ReLU6(),
    lambda lib: lib.nn.ReLU6(inplace=True),
    lambda lib: lib.nn.Hardtanh(),
    lambda lib: lib.nn.Hardtanh(-2, 3.5, True),
    lambda lib: lib.nn.Hardtanh(-2.0, 3),
    lambda lib: lib.nn.Hardsigmoid(),
    lambda lib: lib.nn.Hardsigmoid(True),
    lambda lib: lib.nn.Hardswish(),
    lambda lib: lib.nn.Hardswish(inplace=True),
    lambda lib: lib.nn.SELU(),
    lambda lib: lib.nn.SELU(True),
    lambda lib: lib.nn.CELU(),
    lambda lib: lib.nn.CELU(2.0, inplace=True),
    lambda lib: lib.nn.CELU(2),
    lambda lib: lib.nn.Mish(),
    lambda lib: lib.nn.Mish(inplace=True),
    lambda lib: lib.nn.Softsign(),
    lambda lib: lib.nn.Softshrink(),
    lambda lib: lib.nn.Softshrink(1),
    lambda lib: lib.nn.Hardshrink(),
    lambda lib: lib.nn.Hardshrink(0.3),
    lambda lib: lib.nn.Tanhshrink(),
    lambda lib: lib.nn.Threshold(0.1, 20),
    lambda lib: lib.nn.Threshold(1, 2.0, True),
    lambda lib: lib.nn.LogSigmoid(),
    lambda lib: lib.nn.Softmin(dim=1),
    lambda lib: lib.nn.GLU(),
    lambda lib: lib.nn.GLU(0),
    lambda lib: lib.nn.Softmax2d(),
    lambda lib: lib.nn.Unflatten(1, (3, 1)),
    lambda lib: lib.nn.Unflatten(-1, [2, 2]),
]


@pytest.mark.parametrize("make", MODULES)
def test_modules_print_and_compute_as_torch(make):
    ember_module, torch_module = make(ember), make(torch)
    assert repr(ember_module) == repr(torch_module)
    assert list(ember_module.state_dict()) == list(torch_module.state_dict()) == []
    array = np.random.default_rng(1).uniform(-4, 4, (2, 3, 4)).astype(np.float32)
    ember_x = ember.tensor(array, requires_grad=True)
    torch_x = torch.tensor(array, requires_grad=True)
    ember_out, torch_out = ember_module(ember_x * 1), torch_module(torch_x * 1)
    assert_same(ember_out, torch_out, atol=1e-6)
    ember_out.sum().backward()
    torch_out.sum().backward()
    assert_same(ember_x.grad, torch_x.grad, atol=1e-6)


def test_module_attributes_and_kinds_as_torch():
    for lib in (ember, torch):
        relu6 = lib.nn.ReLU6(True)
        assert isinstance(relu6, lib.nn.Hardtanh)
        assert (relu6.min_val, relu6.max_val, relu6.inplace) == (0.0, 6.0, True)
        distance = lib.nn.PairwiseDistance(3, 1e-3, True)
        assert (distance.norm, distance.eps, distance.keepdim) == (3, 1e-3, True)
        similarity = lib.nn.CosineSimilarity(0, 1e-6)
        assert (similarity.dim, similarity.eps) == (0, 1e-6)
        assert repr(similarity) == "CosineSimilarity()" and repr(distance) == "PairwiseDistance()"


def test_sequential_with_new_modules_prints_as_torch():
    def build(lib):
        lib.manual_seed(0)
        return lib.nn.Sequential(
            lib.nn.Linear(4, 6), lib.nn.Unflatten(1, (2, 3, 1)), lib.nn.ReLU6(), lib.nn.Softmax2d()
        )

    assert repr(build(ember)) == repr(build(torch))


def test_hardtanh_module_deprecated_names_warn_as_torch():
    for lib in (ember, torch):
        with pytest.warns(FutureWarning, match="min_value"):
            module = lib.nn.Hardtanh(min_value=-2.0)
        assert repr(module) == "Hardtanh(min_val=-2.0, max_val=1.0)"
        with pytest.warns(FutureWarning, match="max_value"):
            assert lib.nn.Hardtanh(max_value=3).max_val == 3


def test_softmin_without_dim_warns_as_torch():
    for lib in (ember, torch):
        with pytest.warns(UserWarning, match="Implicit dimension choice for softmin") as caught:
            F(lib).softmin(lib.ones(2, 3))
        assert caught[0].filename == __file__
        with pytest.warns(UserWarning, match="softmin"):
            lib.nn.Softmin()(lib.ones(2, 3))
    check(lambda lib, x: F(lib).softmin(x), [(2, 3, 4)], dtype="float64")


# Argument errors ------------------------------------------------------------------------

FLOATS = np.array([[-1.0, 2.0, 0.5, 4.0]], np.float32)
INTEGERS = np.array([[-1, 2, 0, 3]])
BOOLS = INTEGERS > 0
FLOATING_ONLY = ["hardsigmoid", "hardswish", "selu", "celu", "mish", "softshrink", "hardshrink"]


@pytest.mark.parametrize(
    "fn, inputs",
    [
        *[(lambda lib, x, f=f: OPS[f](lib, x), [INTEGERS]) for f in FLOATING_ONLY],
        *[(lambda lib, x, f=f: OPS[f](lib, x), [INTEGERS]) for f in ["logsigmoid", "glu"]],
        *[(lambda lib, x, f=f: OPS[f](lib, x), [BOOLS]) for f in ELEMENTWISE + ["glu", "softmin"]],
        (lambda lib, x: F(lib).softmin(x, 0), [INTEGERS]),
        (lambda lib, x: F(lib).leaky_relu_(x), [INTEGERS]),
        (lambda lib, x: F(lib).elu_(x), [INTEGERS]),
        (lambda lib, x: F(lib).hardtanh(x, 2.0, 1.0), [FLOATS]),
        (lambda lib, x: F(lib).hardtanh(x, "1", 1.0), [FLOATS]),
        (lambda lib, x: F(lib).threshold(x, "0.5", 1.0), [FLOATS]),
        (lambda lib, x: F(lib).threshold(x.to(lib.int8), 0.5, 300), [INTEGERS]),
        (lambda lib, x: F(lib).hardtanh(x.to(lib.uint8), -1, 1), [INTEGERS]),
        (lambda lib, x: F(lib).hardtanh(x.to(lib.int8), -1000, 1), [INTEGERS]),
        (lambda lib, x: F(lib).softshrink(x, -1.0), [FLOATS]),
        (lambda lib, x: F(lib).softshrink(x, float("nan")), [FLOATS]),
        (lambda lib, x: F(lib).hardshrink(x, "a"), [FLOATS]),
        (lambda lib, x: F(lib).celu(x, 0.0), [FLOATS]),
        (lambda lib, x: F(lib).glu(x, 0), [FLOATS]),
        (lambda lib, x: F(lib).glu(x, 2), [FLOATS]),
        (lambda lib: F(lib).glu(lib.tensor(1.0)), []),
        (lambda lib: F(lib).glu([1.0, 2.0]), []),
        (lambda lib: F(lib).softsign([1.0]), []),
        (lambda lib: F(lib).softmin([1.0], 0), []),
        *[
            (lambda lib, f=f: getattr(F(lib), f)([1.0]), [])
            for f in ["relu6", "hardtanh", "hardsigmoid", "hardswish", "selu", "mish", "logsigmoid"]
        ],
        (lambda lib: lib.nn.Softmax2d()(lib.ones(2, 3)), []),
        (lambda lib: lib.nn.Softmax2d()(lib.ones(1, 2, 3, 1, 1)), []),
        (lambda lib: lib.nn.Hardtanh(1.0, 1.0), []),
        (lambda lib: lib.nn.Hardtanh(2.0, 1.0), []),
        (lambda lib: lib.nn.Unflatten(1, 6), []),
        (lambda lib: lib.nn.Unflatten(1, (2.0, 3)), []),
        (lambda lib: lib.nn.Unflatten(1, (4, 2))(lib.ones(2, 6)), []),
    ],
)
def test_argument_errors_as_torch(fn, inputs):
    check_error(fn, *inputs)


def test_accepted_argument_forms_as_torch():
    check(lambda lib, x: F(lib).hardtanh(x, lib.tensor(-0.5), 1), [(3, 4)])
    check(lambda lib, x: F(lib).hardtanh(x, 1.0, 1.0), [(3, 4)])
    check(lambda lib, x: F(lib).threshold(x, lib.tensor(0.2), 3), [(3, 4)])
    check(lambda lib, x: F(lib).softshrink(x, 1), [(3, 4)])
    check(lambda lib, x: F(lib).hardshrink(x, lib.tensor(1.5)), [(3, 4)])
    check(lambda lib, x: F(lib).celu(x, 2), [(3, 4)])
    check(lambda lib, x: F(lib).glu(x, dim=-2), [(4, 3)])
    check(lambda lib, x: F(lib).glu(x), [(2, 0)])
    check(lambda lib, x: lib.nn.Softmax2d()(x), [(3, 2, 2)])


# Distances ------------------------------------------------------------------------------

DISTANCES = {
    "normalize": (lambda lib, x: F(lib).normalize(x), [(4, 3)]),
    "normalize_p1_dim0": (lambda lib, x: F(lib).normalize(x, 1, 0), [(4, 3)]),
    "normalize_p3": (lambda lib, x: F(lib).normalize(x, 3, -1), [(2, 4, 3)]),
    "normalize_inf": (lambda lib, x: F(lib).normalize(x, float("inf")), [(4, 3)]),
    "normalize_dims": (lambda lib, x: F(lib).normalize(x, dim=(0, 1)), [(4, 3)]),
    "normalize_zero_row": (
        lambda lib, x: F(lib).normalize(x * lib.tensor([[1.0], [0.0]], dtype=x.dtype)),
        [(2, 3)],
    ),
    "cosine_similarity": (lambda lib, a, b: F(lib).cosine_similarity(a, b), [(4, 3), (4, 3)]),
    "cosine_similarity_broadcast": (
        lambda lib, a, b: F(lib).cosine_similarity(a, b, 0),
        [(1, 3), (4, 3)],
    ),
    "cosine_similarity_zero": (
        lambda lib, a, b: F(lib).cosine_similarity(a * 0, b),
        [(4, 3), (4, 3)],
    ),
    "CosineSimilarity": (lambda lib, a, b: lib.nn.CosineSimilarity(-1)(a, b), [(2, 4, 3), (3,)]),
    "pairwise_distance": (lambda lib, a, b: F(lib).pairwise_distance(a, b), [(4, 3), (4, 3)]),
    "pairwise_distance_p1_keepdim": (
        lambda lib, a, b: F(lib).pairwise_distance(a, b, 1, keepdim=True),
        [(4, 3), (1, 3)],
    ),
    "pairwise_distance_p3": (lambda lib, a, b: F(lib).pairwise_distance(a, b, 3), [(4, 3), (3,)]),
    "pairwise_distance_inf": (
        lambda lib, a, b: F(lib).pairwise_distance(a, b, float("inf")),
        [(4, 3), (4, 3)],
    ),
    "pairwise_distance_1d": (lambda lib, a, b: F(lib).pairwise_distance(a, b), [(3,), (3,)]),
    "PairwiseDistance": (
        lambda lib, a, b: lib.nn.PairwiseDistance(1.5, 1e-3, True)(a, b),
        [(5, 3), (5, 3)],
    ),
    "pdist": (lambda lib, x: F(lib).pdist(x), [(5, 3)]),
    "pdist_p1": (lambda lib, x: F(lib).pdist(x, 1), [(5, 3)]),
    "pdist_p3": (lambda lib, x: F(lib).pdist(x, 3), [(5, 3)]),
    "pdist_p_half": (lambda lib, x: F(lib).pdist(x, 0.5), [(5, 3)]),
    "pdist_inf": (lambda lib, x: F(lib).pdist(x, float("inf")), [(5, 3)]),
    "pdist_equal_rows": (lambda lib, x: F(lib).pdist(lib.cat([x, x])), [(2, 3)]),
}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("op", list(DISTANCES))
def test_distances_values_and_gradients_match_torch(op, dtype):
    fn, shapes = DISTANCES[op]
    check(fn, shapes, dtype=dtype, atol=1e-6 if dtype == "float32" else 1e-12)


@pytest.mark.parametrize("op", list(DISTANCES))
def test_distances_gradients_against_finite_differences(op):
    fn, shapes = DISTANCES[op]
    check_gradcheck(fn, shapes, order=2)


def test_cosine_similarity_raises_small_norms_to_eps_as_torch():
    """torch raises each norm to eps without recording it: its gradient is that of the
    norm itself, not finite differences' (which see the clamp)."""
    check(
        lambda lib, a, b: F(lib).cosine_similarity(a, b, eps=1.5),
        [(4, 3), (4, 3)],
        dtype="float64",
        atol=1e-12,
    )


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib: F(lib).normalize(lib.tensor([[3, 4.0], [0.0, 0.0]]).half()),
        lambda lib: F(lib).normalize(lib.tensor(3.0), dim=0),
        lambda lib: F(lib).normalize(lib.ones(0, 3)),
        lambda lib: F(lib).normalize(lib.ones(3, 0)),
        lambda lib: F(lib).normalize(lib.tensor([[1.0, 2.0, 2.0]]), 0),
        lambda lib: F(lib).cosine_similarity(lib.tensor([[3, 4]]), lib.tensor([[1.0, 0.0]])),
        lambda lib: F(lib).cosine_similarity(lib.ones(2, 3), lib.ones(2, 3, dtype=lib.float64)),
        lambda lib: F(lib).cosine_similarity(lib.ones(2, 3), lib.tensor(2.0, dtype=lib.float64)),
        lambda lib: F(lib).cosine_similarity(lib.ones(2, 3).half(), lib.zeros(2, 3).half()),
        lambda lib: F(lib).cosine_similarity(lib.tensor(1.0), lib.tensor(-2.0), 0),
        lambda lib: F(lib).cosine_similarity(lib.ones(0, 3), lib.ones(0, 3)),
        lambda lib: F(lib).cosine_similarity(lib.ones(3, 0), lib.ones(3, 0)),
        lambda lib: F(lib).cosine_similarity(lib.ones(2, 3), lib.ones(2, 3), eps=10.0),
        lambda lib: F(lib).pairwise_distance(lib.tensor([[3, 4]]), lib.tensor([[0, 0]])),
        lambda lib: F(lib).pairwise_distance(lib.ones(2, 3), lib.ones(2, 3).double()),
        lambda lib: F(lib).pairwise_distance(lib.ones(2, 3).half(), lib.zeros(2, 3).half()),
        lambda lib: F(lib).pairwise_distance(lib.tensor(1.0), lib.tensor(2.0)),
        lambda lib: F(lib).pairwise_distance(lib.tensor(1.0), lib.tensor(2.0), keepdim=True),
        lambda lib: F(lib).pairwise_distance(lib.ones(2, 3), lib.zeros(2, 3), 0),
        lambda lib: F(lib).pairwise_distance(lib.ones(2, 3), lib.zeros(2, 3), -1),
        lambda lib: F(lib).pairwise_distance(lib.ones(0, 3), lib.ones(0, 3)),
        lambda lib: F(lib).pairwise_distance(lib.ones(3, 0), lib.ones(3, 0)),
        lambda lib: F(lib).pdist(lib.tensor([[0.0, 1], [2, 3], [4, 7]]), 0),
        lambda lib: F(lib).pdist(lib.ones(1, 3)),
        lambda lib: F(lib).pdist(lib.ones(0, 3)),
        lambda lib: F(lib).pdist(lib.ones(3, 0)),
        lambda lib: F(lib).pdist(lib.arange(6.0).reshape(2, 3).t()),
    ],
)
def test_distance_dtypes_and_edges_as_torch(fn):
    ember_out, torch_out = fn(ember), fn(torch)
    assert_same(ember_out, torch_out, atol=1e-6)


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib: F(lib).normalize(lib.tensor([[3, 4]])),
        lambda lib: F(lib).normalize(lib.tensor(3.0)),
        lambda lib: F(lib).normalize([1.0]),
        lambda lib: F(lib).cosine_similarity(lib.tensor([[3, 4]]), lib.tensor([[1, 0]])),
        lambda lib: F(lib).cosine_similarity(lib.tensor([[True]]), lib.tensor([[True]])),
        lambda lib: F(lib).cosine_similarity(lib.ones(2, 3), lib.ones(3, 3)),
        lambda lib: F(lib).cosine_similarity(lib.ones(2, 3), lib.ones(2, 3), 2),
        lambda lib: F(lib).cosine_similarity(lib.ones(2), lib.ones(2)),
        lambda lib: F(lib).cosine_similarity([1.0], lib.ones(1)),
        lambda lib: F(lib).pairwise_distance(lib.ones(2, 3), lib.ones(3, 3)),
        lambda lib: F(lib).pairwise_distance(lib.ones(2, 3), [1.0]),
        lambda lib: F(lib).pdist(lib.ones(3), 2),
        lambda lib: F(lib).pdist(lib.ones(2, 2, 2)),
        lambda lib: F(lib).pdist(lib.ones(3, 2), -1),
        lambda lib: F(lib).pdist(lib.ones(3, 2, dtype=lib.int64)),
        lambda lib: F(lib).pdist(lib.ones(3, 2, dtype=lib.float16)),
        lambda lib: F(lib).pdist([[1.0]]),
    ],
)
def test_distance_errors_as_torch(fn):
    check_error(fn)


def test_normalize_out_is_refused_by_name():  # torch writes into out; ember has no out=
    with pytest.raises(NotImplementedError, match="normalize"):
        F(ember).normalize(ember.ones(2, 3), out=ember.empty(2, 3))


# one_hot --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib: F(lib).one_hot(lib.tensor([0, 2, 1])),
        lambda lib: F(lib).one_hot(lib.tensor([0, 2, 1]), 5),
        lambda lib: F(lib).one_hot(lib.tensor([[0], [2]]), 3),
        lambda lib: F(lib).one_hot(lib.tensor(1), 3),
        lambda lib: F(lib).one_hot(lib.tensor([], dtype=lib.int64), 3),
        lambda lib: F(lib).one_hot(lib.zeros(2, 0, dtype=lib.int64), 4),
        lambda lib: F(lib).one_hot(lib.tensor([0]), num_classes=2),
        lambda lib: F(lib).one_hot(lib.tensor([0]), np.int64(2)),
        lambda lib: F(lib).one_hot(lib.tensor([0]), lib.tensor(2)),
    ],
)
def test_one_hot_as_torch(fn):
    ember_out, torch_out = fn(ember), fn(torch)
    assert_same(ember_out, torch_out, atol=0)
    assert not ember_out.requires_grad


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib: F(lib).one_hot(lib.tensor([], dtype=lib.int64)),
        lambda lib: F(lib).one_hot(lib.tensor([], dtype=lib.int64), 0),
        lambda lib: F(lib).one_hot(lib.tensor([-1, 0])),
        lambda lib: F(lib).one_hot(lib.tensor([-1, 0]), 3),
        lambda lib: F(lib).one_hot(lib.tensor([3, 0]), 2),
        lambda lib: F(lib).one_hot(lib.tensor([0]), 0),
        lambda lib: F(lib).one_hot(lib.tensor([0]), -2),
        lambda lib: F(lib).one_hot(lib.tensor([1.0, 0.0])),
        lambda lib: F(lib).one_hot(lib.tensor([1, 0], dtype=lib.int32)),
        lambda lib: F(lib).one_hot(lib.tensor([True, False])),
        lambda lib: F(lib).one_hot(lib.tensor([0]), 2.0),
        lambda lib: F(lib).one_hot(lib.tensor([0]), True),
        lambda lib: F(lib).one_hot(lib.tensor([0]), lib.tensor(2.0)),
        lambda lib: F(lib).one_hot([0, 1]),
    ],
)
def test_one_hot_errors_as_torch(fn):
    check_error(fn)


# Initialisers ---------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 4), (2, 3, 4), (6, 2, 2), (1, 7)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_orthogonal_gives_orthonormal_rows_or_columns(shape, dtype):
    """The random streams differ from torch's: the shape, dtype and the defining property,
    Q^T Q = gain^2 I over the smaller side, are what must agree."""
    tensor = ember.empty(*shape, dtype=getattr(ember, dtype))
    assert nn.init.orthogonal_(tensor, gain=2.0) is tensor
    assert tensor.shape == shape and tensor.dtype == getattr(ember, dtype)
    matrix = tensor.reshape(shape[0], -1).numpy().astype(np.float64)
    small = matrix @ matrix.T if matrix.shape[0] < matrix.shape[1] else matrix.T @ matrix
    np.testing.assert_allclose(small, 4 * np.eye(len(small)), atol=1e-5)


def test_orthogonal_is_uniform_over_signs_and_repeats_with_a_generator():
    """R's diagonal fixes each column's sign: the entries average 0 over many draws."""
    draws = np.stack([nn.init.orthogonal_(ember.empty(4, 4)).numpy() for _ in range(400)])
    np.testing.assert_allclose(draws.mean(0), 0, atol=0.1)
    np.testing.assert_allclose((draws**2).mean(0), 0.25, atol=0.05)
    first = nn.init.orthogonal_(ember.empty(3, 5), generator=ember.Generator().manual_seed(7))
    again = nn.init.orthogonal_(ember.empty(3, 5), generator=ember.Generator().manual_seed(7))
    assert first.tolist() == again.tolist()


@pytest.mark.parametrize(
    "shape, groups",
    [((4, 2, 3), 1), ((4, 2, 3), 2), ((2, 3, 3, 3), 1), ((6, 2, 3, 5), 3), ((2, 2, 3, 3, 3), 1)],
)
def test_dirac_and_eye_equal_torch(shape, groups):
    assert_same(
        nn.init.dirac_(ember.empty(*shape), groups),
        torch.nn.init.dirac_(torch.empty(*shape), groups),
    )
    int_shape = (2, 3, 3)
    assert_same(
        nn.init.dirac_(ember.empty(*int_shape, dtype=ember.int64)),
        torch.nn.init.dirac_(torch.empty(*int_shape, dtype=torch.int64)),
        atol=0,
    )
    for eye_shape in [(2, 3), (3, 2), (3, 3)]:
        assert_same(
            nn.init.eye_(ember.empty(*eye_shape)), torch.nn.init.eye_(torch.empty(*eye_shape))
        )


def test_sparse_zeros_a_share_of_each_column():
    tensor = ember.empty(200, 30, dtype=ember.float64)
    assert nn.init.sparse_(tensor, 0.35, std=0.5) is tensor
    values = tensor.numpy()
    assert list((values == 0).sum(0)) == [70] * 30  # ceil(0.35 * 200) in every column
    kept = values[values != 0]
    assert abs(kept.mean()) < 0.02 and abs(kept.std() - 0.5) < 0.02
    for sparsity, zeros in [(1.0, 10), (0.0, 0), (2.0, 10), (-0.5, 5)]:  # torch's slicing
        counts = (nn.init.sparse_(ember.empty(10, 4), sparsity) == 0).sum(0)
        assert counts.tolist() == [zeros] * 4
    parameter = nn.Parameter(ember.empty(5, 3))
    nn.init.sparse_(parameter, 0.5)
    assert parameter.requires_grad and parameter.grad_fn is None


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib: lib.nn.init.orthogonal_(lib.empty(3)),
        lambda lib: lib.nn.init.orthogonal_(lib.empty(3, 3, dtype=lib.int64)),
        lambda lib: lib.nn.init.orthogonal_(lib.empty(3, 3, dtype=lib.float16)),
        lambda lib: lib.nn.init.dirac_(lib.empty(3, 3)),
        lambda lib: lib.nn.init.dirac_(lib.empty(1, 1, 1, 1, 1, 1)),
        lambda lib: lib.nn.init.dirac_(lib.empty(3, 2, 3), 2),
        lambda lib: lib.nn.init.dirac_(lib.empty(3, 2, 3), 0),
        lambda lib: lib.nn.init.eye_(lib.empty(2, 2, 2)),
        lambda lib: lib.nn.init.sparse_(lib.empty(2, 2, 2), 0.5),
        lambda lib: lib.nn.init.sparse_(lib.empty(4), 0.5),
        lambda lib: lib.nn.init.sparse_(lib.empty(3, 4, dtype=lib.int64), 0.5),
    ],
)
def test_initialiser_errors_as_torch(fn):
    check_error(fn)


def test_initialisers_keep_parameters_leaves_and_empty_tensors_as_they_are():
    for init in [
        lambda p: nn.init.orthogonal_(p),
        lambda p: nn.init.dirac_(p.view(2, 3, 1)),
        lambda p: nn.init.sparse_(p, 0.3),
        lambda p: nn.init.eye_(p),
    ]:
        parameter = nn.Parameter(ember.empty(2, 3))
        init(parameter)
        assert parameter.is_leaf and parameter.requires_grad and parameter.grad_fn is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # torch gives no warning for these
        assert nn.init.orthogonal_(ember.empty(0, 3)).shape == (0, 3)
        assert nn.init.sparse_(ember.empty(0, 3), 0.5).shape == (0, 3)


TOP_LEVEL = "selu selu_ celu celu_ threshold threshold_ hardshrink cosine_similarity"
TOP_LEVEL += " pairwise_distance pdist"


@pytest.mark.parametrize("name", TOP_LEVEL.split())
def test_functional_forms_that_torch_has_at_the_top_level(name):
    assert hasattr(torch, name)
    assert getattr(ember, name) is getattr(ember.nn.functional, name)


def test_hardshrink_is_a_tensor_method_as_in_torch():
    check(lambda t, x: x.hardshrink(0.3), [(3, 4)])
    check(lambda t, x: x.hardshrink(), [(3, 4)])


@pytest.mark.parametrize(
    "call",
    [
        lambda lib, x: lib.nn.functional.leaky_relu(x, np.float32(0.2)),
        lambda lib, x: lib.nn.LeakyReLU(np.float32(0.1))(x),
        lambda lib, x: lib.nn.functional.elu(x, np.float16(0.5)),
        lambda lib, x: lib.nn.functional.softplus(x, np.int64(2), np.float32(1.5)),
        lambda lib, x: lib.nn.functional.hardtanh(x, np.float32(-0.5), np.int32(1)),
        lambda lib, x: lib.nn.functional.huber_loss(x, x * 0, delta=np.float32(0.7)),
        lambda lib, x: lib.nn.functional.leaky_relu(x, np.bool_(True)),
        lambda lib, x: lib.nn.Dropout(np.float32(0.0))(x),
    ],
    ids=["leaky_relu", "LeakyReLU", "elu", "softplus", "hardtanh", "huber", "bool", "Dropout"],
)
def test_numpy_numbers_are_taken_as_hyper_parameters(call):
    """np.float32(0.2) (a value read from an array or a config) is a number to PyTorch;
    only np.float64, a float subclass, passed before."""
    check(call, [np.array([-1.0, 0.5, 2.0], np.float32)])
