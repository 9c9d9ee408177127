"""Losses against PyTorch (SPEC N3): every reduction, values and gradients, extreme
inputs (stability), class weights, ignore_index, label smoothing, probabilities,
warnings and error types."""

import warnings

import numpy as np
import pytest
import torch
from oracle import (
    assert_same,
    check,
    check_error,
    check_gradcheck,
    check_outcome,
    skip_before_torch_2_13,
)

import ember
from ember import nn

REDUCTIONS = ["mean", "sum", "none"]
rng = np.random.default_rng(0)


def F(lib):
    return lib.nn.functional


def floats(*shape, scale=2.0, seed=0):
    return (np.random.default_rng(seed).uniform(-1, 1, shape) * scale).astype(np.float32)


def labels(n, classes, seed=1, *extra):
    return np.random.default_rng(seed).integers(0, classes, (n, *extra)).astype(np.int64)


def check_with_target(fn, input_array, target_array, target_grad=False, **kwargs):
    """``fn(lib, input, target)``: values and gradients (of the input, maybe the target)."""
    e_in = ember.tensor(input_array, requires_grad=True)
    t_in = torch.tensor(input_array, requires_grad=True)
    e_target = ember.tensor(target_array, requires_grad=target_grad)
    t_target = torch.tensor(target_array, requires_grad=target_grad)
    e_out, t_out = fn(ember, e_in, e_target), fn(torch, t_in, t_target)
    assert_same(e_out, t_out, **kwargs)
    upstream = np.random.default_rng(5).uniform(0.5, 1.5, tuple(t_out.shape)).astype(np.float32)
    e_out.backward(ember.tensor(upstream))
    t_out.backward(torch.tensor(upstream))
    assert_same(e_in.grad, t_in.grad, **kwargs)
    if target_grad:
        assert_same(e_target.grad, t_target.grad, **kwargs)


# Regression losses --------------------------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "loss",
    [
        lambda lib, **k: lib.nn.MSELoss(**k),
        lambda lib, **k: lib.nn.L1Loss(**k),
        lambda lib, **k: lib.nn.HuberLoss(**k),
        lambda lib, **k: lib.nn.HuberLoss(delta=0.5, **k),
        lambda lib, **k: lib.nn.SmoothL1Loss(**k),
        lambda lib, **k: lib.nn.SmoothL1Loss(beta=0.3, **k),
        lambda lib, **k: lib.nn.SmoothL1Loss(beta=0.0, **k),
    ],
)
def test_regression_losses_match_torch(loss, reduction):
    check(lambda lib, x, y: loss(lib, reduction=reduction)(x, y), [(4, 3), (4, 3)])


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_weighted_regression_losses(name, reduction):
    w = np.abs(floats(4, 3, seed=3))
    # torch drops l1_loss's weight under a device mode (pytorch/pytorch#193003), which a
    # GPU run of these tests uses; so torch stays on the CPU there.
    check(
        lambda lib, x, y: getattr(F(lib), name)(x, y, reduction=reduction, weight=lib.tensor(w)),
        [(4, 3), (4, 3)],
        torch_on_cpu=True,
    )
    check_error(
        lambda lib, x: getattr(F(lib), name)(x, x, weight=lib.ones(3)),
        np.zeros((4, 3), np.float32),
    )


def test_regression_losses_at_the_kinks_match_torch():
    x = np.array([0.0, 1.0, -1.0, 0.5, 2.0], np.float32)
    y = np.zeros(5, np.float32)
    for name in ("l1_loss", "huber_loss", "smooth_l1_loss", "mse_loss"):
        check(lambda lib, a, b, name=name: getattr(F(lib), name)(a, b), [x, y])


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss"])
def test_broadcasting_targets_warn_like_torch(name):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = getattr(nn.functional, name)(ember.zeros(3, 1), ember.ones(3))
    assert out.shape == ()
    assert len(caught) == 1 and caught[0].category is UserWarning
    assert "Using a target size (ember.Size([3])) that is different to the input size " in str(
        caught[0].message
    )
    assert caught[0].filename == __file__  # points at the caller, as torch's does


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_a_sum_of_squared_errors_past_the_largest_float_is_quiet_as_in_torch(dtype, reduction):
    """Each squared error fits in the dtype, their sum does not (but float16's mean, which
    sums in float32)."""
    big = {"float16": 200.0, "float32": 1.5e19, "float64": 1e154}[dtype]
    with warnings.catch_warnings():
        # NumPy's own array sum warned of the overflow, from a module past ember's filter
        warnings.filterwarnings("error", category=RuntimeWarning, module=r"numpy\.")
        mine = nn.functional.mse_loss(
            ember.full((10,), big, dtype=getattr(ember, dtype)),
            ember.zeros(10, dtype=getattr(ember, dtype)),
            reduction=reduction,
        )
    theirs = torch.nn.functional.mse_loss(
        torch.full((10,), big, dtype=getattr(torch, dtype)),
        torch.zeros(10, dtype=getattr(torch, dtype)),
        reduction=reduction,
    )
    assert str(mine.dtype)[6:] == str(theirs.dtype)[6:] and mine.item() == theirs.item()
    assert mine.item() == np.inf or (dtype, reduction) == ("float16", "mean")


@pytest.mark.filterwarnings("ignore:Using a target size")
def test_broadcast_values_and_shape_errors_match_torch():
    check(lambda lib, a, b: F(lib).mse_loss(a, b), [(3, 1), (3,)])
    check_error(
        lambda lib, a, b: F(lib).mse_loss(a, b), np.zeros(3, np.float32), np.zeros(4, np.float32)
    )


def test_regression_errors_and_legacy_flags_match_torch():
    x = np.zeros(3, np.float32)
    check_error(lambda lib, a: F(lib).mse_loss(a, a, reduction="foo"), x)
    check_error(lambda lib, a: lib.nn.L1Loss(reduction="bogus")(a, a), x)
    check_error(lambda lib, a: F(lib).huber_loss(a, a, delta=0), x)
    check_error(lambda lib, a: F(lib).smooth_l1_loss(a, a, beta=-1), x)
    with pytest.warns(UserWarning, match="reduction='sum'"):
        loss = nn.MSELoss(size_average=False)
    assert loss.reduction == "sum"
    with pytest.warns(UserWarning):
        assert nn.functional.l1_loss(ember.ones(2), ember.zeros(2), reduce=False).shape == (2,)


def test_mse_with_integer_target_and_float64_input():
    check(lambda lib, x, y: F(lib).l1_loss(x, y), [(3,), (3,)], dtype="float64")
    skip_before_torch_2_13(
        "refuses an integer target in mse_loss's backward ('Found dtype Long but expected Float')"
    )
    check(lambda lib, x: F(lib).mse_loss(x, lib.tensor([1, 0, 2])), [(3,)])


# Dtypes: what each loss computes in, and what it refuses ------------------------------

P = np.array([0.3, 0.6], np.float32)  # probabilities
T = np.array([1.0, 0.0], np.float32)  # targets
PAIR = np.array([1.0, 2.0], np.float32), np.array([2.0, 4.5], np.float32)
CLASSES, W = np.array([0, 1]), np.array([1.0, 2.0])


def bce(lib, x, y, weight=None):
    return F(lib).binary_cross_entropy(x, y, weight=weight)


def logits(lib, x, y, weight=None, pos_weight=None):
    return F(lib).binary_cross_entropy_with_logits(x, y, weight=weight, pos_weight=pos_weight)


def logits_both_weights(lib, x, y, weight):
    return logits(lib, x, y, weight, weight)


def nll(lib, x, target, weight=None):
    return F(lib).nll_loss(x, target, weight=weight)


def cross_entropy(lib, x, target, weight=None):
    return F(lib).cross_entropy(x, target, weight=weight)


# (name, fn(lib, *tensors), arrays): torch's outcome, a result or an error, is ember's.
LOSS_DTYPES = [
    ("bce_int64_target", bce, [P, T.astype(np.int64)]),
    ("bce_float64_target", bce, [P, T.astype(np.float64)]),
    ("bce_bool_target", bce, [P, T.astype(bool)]),
    ("bce_float64_input", bce, [P.astype(np.float64), T]),
    ("bce_int_input", bce, [np.array([0, 1]), np.array([1, 0])]),
    ("bce_float64_weight", bce, [P, T, W]),
    ("bce_int64_weight", bce, [P, T, W.astype(np.int64)]),
    ("bce_float16", bce, [P.astype(np.float16), T.astype(np.float16)]),
    ("logits_int64_target", logits, [P, T.astype(np.int64)]),
    ("logits_bool_target", logits, [P, T.astype(bool)]),
    ("logits_float64_target", logits, [P, T.astype(np.float64)]),
    ("logits_float16_target", logits, [P, T.astype(np.float16)]),
    ("logits_float64_input", logits, [P.astype(np.float64), T]),
    ("logits_int_input", logits, [np.array([0, 1]), T]),
    ("logits_float64_weights", logits_both_weights, [P, T, W]),
    ("logits_int64_weight", logits, [P, T, W.astype(np.int64)]),
    ("nll_int64_input", nll, [np.array([[1, 2], [3, 4]]), CLASSES]),
    ("nll_float64_weight", nll, [np.ones((2, 2), np.float32), CLASSES, W]),
    ("nll_int64_weight", nll, [np.ones((2, 2), np.float32), CLASSES, W.astype(np.int64)]),
    ("ce_int64_input", cross_entropy, [np.ones((2, 2), np.int64), CLASSES]),
    ("ce_float64_weight", cross_entropy, [np.ones((2, 2), np.float32), CLASSES, W]),
    ("ce_int64_weight", cross_entropy, [np.ones((2, 2), np.float32), CLASSES, W.astype(int)]),
    ("ce_float32_weight", cross_entropy, [np.ones((2, 2)), CLASSES, W.astype(np.float32)]),
    ("ce_probabilities", cross_entropy, [np.ones((2, 2), np.float32), np.eye(2, dtype="f4"), W]),
]


def regression(name, reduction="mean"):
    def run(lib, x, y, *weight):
        options = {"weight": weight[0]} if weight else {}
        return getattr(F(lib), name)(x, y, reduction=reduction, **options)

    return run


def operands(dtypes, shapes):
    return [np.resize(v, shape).astype(d) for v, d, shape in zip(PAIR, dtypes, shapes)]


# (case, operand dtypes, operand shapes). PyTorch broadcasts first, so a 0-d operand counts
# in full in the promotion; huber_loss keeps the input's dtype.
REGRESSION_DTYPES = [
    ("int64", (np.int64, np.int64), ((2,), (2,))),
    ("bool", (bool, bool), ((2,), (2,))),
    ("int64_float32", (np.int64, np.float32), ((2,), (2,))),
    ("float32_int64", (np.float32, np.int64), ((2,), (2,))),
    ("float32_float64", (np.float32, np.float64), ((2,), (2,))),
    ("float64_float32", (np.float64, np.float32), ((2,), (2,))),
    ("float16_float32", (np.float16, np.float32), ((2,), (2,))),
    ("0d_float64_float32", (np.float64, np.float32), ((), (1,))),
    ("0d_float32_float64", (np.float32, np.float64), ((), (1,))),
    ("float32_0d_float64", (np.float32, np.float64), ((2,), ())),
    ("float64_0d_float32", (np.float64, np.float32), ((2,), ())),
]
LOSS_DTYPES += [
    (f"{name}_{case}_{reduction}", regression(name, reduction), operands(dtypes, shapes))
    for name in ("mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss")
    for case, dtypes, shapes in REGRESSION_DTYPES
    for reduction in REDUCTIONS
]
LOSS_DTYPES += [
    ("huber_float64_weight", regression("huber_loss"), [*operands(("f4", "f8"), ((2,),) * 2), P]),
    ("mse_int64_with_weight", regression("mse_loss"), [*operands(("i8", "i8"), ((2,),) * 2), P]),
]


@pytest.mark.filterwarnings("ignore:Using a target size")
@pytest.mark.parametrize(
    "fn, arrays", [c[1:] for c in LOSS_DTYPES], ids=[c[0] for c in LOSS_DTYPES]
)
def test_loss_dtypes_match_torch(fn, arrays):
    check_outcome(fn, *arrays, atol=1e-3, rtol=1e-3)  # float16 rounds in other places


# Not huber_loss: torch 2.13's backward refuses mixed dtypes ("Found dtype Double but expected
# Float"); ember's gives the gradients (docs/differences.md).
MIXED_DTYPE_GRADIENTS = [
    (name, shapes)
    for name in ("mse_loss", "l1_loss", "smooth_l1_loss")
    for shapes in ([(3,), (3,)], [(3,), ()], [(), (1,)])
] + [("binary_cross_entropy_with_logits", [(3,), (3,)])]


@pytest.mark.filterwarnings("ignore:Using a target size")
@pytest.mark.parametrize("name, shapes", MIXED_DTYPE_GRADIENTS, ids=str)
@pytest.mark.parametrize("dtypes", [("float32", "float64"), ("float64", "float32")])
def test_mixed_dtype_loss_gradients_match_torch(name, shapes, dtypes):
    """Values, result dtype, and each gradient in its own operand's dtype."""
    if name == "mse_loss":
        skip_before_torch_2_13(
            "refuses mixed dtypes in mse_loss's backward ('Found dtype Double but expected Float')"
        )
    rng = np.random.default_rng(11)
    arrays = [rng.uniform(0, 1, shape).astype(dtype) for shape, dtype in zip(shapes, dtypes)]
    check(lambda lib, x, y: getattr(F(lib), name)(x, y), arrays, atol=1e-5, rtol=1e-4)


# Cross-entropy and NLL ----------------------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"label_smoothing": 0.2},
        {"ignore_index": 1},
        {"weight": True},
        {"weight": True, "ignore_index": 4, "label_smoothing": 0.3},
        {"weight": True, "label_smoothing": 1.0},
    ],
)
def test_cross_entropy_with_class_indices(options, reduction):
    logits = floats(6, 5, scale=3)
    target = np.array([0, 1, 4, 2, 3, 1])
    weight = np.arange(1, 6).astype(np.float32)

    def run(lib, x, t):
        kwargs = dict(options, reduction=reduction)
        if kwargs.get("weight"):
            kwargs["weight"] = lib.tensor(weight)
        return lib.nn.CrossEntropyLoss(**kwargs)(x, t)

    check_with_target(run, logits, target)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_spatial_and_unbatched(reduction):
    check_with_target(
        lambda lib, x, t: F(lib).cross_entropy(x, t, reduction=reduction, label_smoothing=0.1),
        floats(2, 4, 3, 5),
        labels(2, 4, 1, 3, 5),
    )
    check_with_target(
        lambda lib, x, t: F(lib).cross_entropy(x, t, reduction=reduction),
        floats(5),
        np.array(3),
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("smoothing", [0.0, 0.25])
@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_with_probabilities(reduction, smoothing, weighted):
    probabilities = np.random.default_rng(2).random((6, 5)).astype(np.float32)
    probabilities /= probabilities.sum(1, keepdims=True)
    weight = np.linspace(0.5, 2, 5).astype(np.float32)

    def run(lib, x, t):
        w = lib.tensor(weight) if weighted else None
        return F(lib).cross_entropy(x, t, weight=w, reduction=reduction, label_smoothing=smoothing)

    check_with_target(run, floats(6, 5), probabilities, target_grad=True)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_is_stable_for_extreme_logits(reduction):
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4], [88.0, 89.0, -200.0]], np.float32)
    target = np.array([1, 2, 0])
    run = lambda lib, x, t: F(lib).cross_entropy(x, t, reduction=reduction)  # noqa: E731
    check_with_target(run, logits, target, rtol=1e-5, atol=1e-3)
    out = nn.functional.cross_entropy(ember.tensor(logits), ember.tensor(target))
    assert np.isfinite(out.item())


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_loss_matches_torch(reduction):
    log_probs = np.log(np.random.default_rng(3).dirichlet(np.ones(4), 5)).astype(np.float32)
    target = labels(5, 4)
    weight = np.array([0.2, 1.0, 3.0, 0.5], np.float32)
    check_with_target(
        lambda lib, x, t: lib.nn.NLLLoss(reduction=reduction)(x, t), log_probs, target
    )
    check_with_target(
        lambda lib, x, t: lib.nn.NLLLoss(lib.tensor(weight), ignore_index=2, reduction=reduction)(
            x, t
        ),
        log_probs,
        target,
    )


def test_everything_ignored_gives_nan_and_zero_gradient_like_torch():
    x = ember.zeros(3, 4, requires_grad=True)
    loss = nn.functional.nll_loss(x, ember.tensor([1, 1, 1]), ignore_index=1)
    assert np.isnan(loss.item())
    loss.backward()
    assert x.grad.abs().sum().item() == 0


def test_cross_entropy_gradcheck_float64():
    target = np.array([2, 0, 1])
    check_gradcheck(
        lambda lib, x: F(lib).cross_entropy(x, lib.tensor(target), label_smoothing=0.1),
        [(3, 4)],
    )
    check_gradcheck(
        lambda lib, x: F(lib).nll_loss(x, lib.tensor(target), reduction="sum"), [(3, 4)]
    )


def test_cross_entropy_second_order_gradients():
    x = ember.tensor(floats(3, 4), requires_grad=True)
    t_x = torch.tensor(floats(3, 4), requires_grad=True)
    target = np.array([2, 0, 1])
    (g,) = ember.autograd.grad(
        nn.functional.cross_entropy(x, ember.tensor(target)), x, create_graph=True
    )
    (t_g,) = torch.autograd.grad(
        torch.nn.functional.cross_entropy(t_x, torch.tensor(target)), t_x, create_graph=True
    )
    (g * g).sum().backward()
    (t_g * t_g).sum().backward()
    assert_same(x.grad, t_x.grad)


def test_classification_errors_match_torch():
    x = np.zeros((3, 4), np.float32)
    for fn, target in (
        (lambda lib, a, t: F(lib).cross_entropy(a, t), np.array([0, 1, 4])),
        (lambda lib, a, t: F(lib).cross_entropy(a, t), np.array([0, 1, -1])),
        (lambda lib, a, t: F(lib).cross_entropy(a, t), np.array([0, 1])),
        (lambda lib, a, t: F(lib).cross_entropy(a, t), np.array([0.0, 1.0, 1.0], np.float32)),
        (
            lambda lib, a, t: F(lib).cross_entropy(a, t, ignore_index=1),
            np.zeros((3, 4), np.float32),
        ),
        (lambda lib, a, t: F(lib).cross_entropy(a, t), np.zeros((3, 4), np.int64)),
        (lambda lib, a, t: F(lib).cross_entropy(a, t, label_smoothing=1.5), np.array([0, 1, 1])),
        (lambda lib, a, t: F(lib).cross_entropy(a, t, weight=lib.ones(3)), np.array([0, 1, 2])),
        (lambda lib, a, t: F(lib).nll_loss(a, t), np.zeros((3, 2), np.int64)),
        (lambda lib, a, t: F(lib).nll_loss(a, t, reduction="avg"), np.array([0, 1, 1])),
    ):
        check_error(fn, x, target)
    spatial = np.zeros((2, 3, 4), np.float32)  # (batch, classes, positions)
    for target in (np.array(1), np.zeros((2, 5), np.int64), np.zeros((3, 4), np.int64)):
        caught = check_error(lambda lib, a, t: F(lib).nll_loss(a, t), spatial, target)
        assert "target" in str(caught)  # which of the two sizes the message names


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
def test_one_sample_with_a_target_of_shape_one_matches_torch(name, weighted, reduction):
    """A 1-d input is one sample; PyTorch takes its class index as a 0-d or a [1] target.
    Forward only: torch 2.13's backward then fails ("size mismatch (got input: [4], target:
    [1])"), where ember's gives the gradient of the 0-d target's case (docs/differences.md)."""
    weight = np.array([0.5, 2.0, 1.0, 3.0], np.float32)

    def run(lib, x, t):
        w = lib.tensor(weight) if weighted else None
        return getattr(F(lib), name)(x, t, weight=w, reduction=reduction)

    check(run, [floats(4), np.array([2])], grad=False)
    # -100 is ignored, so the mean is 0/0: nan, as in torch on the CPU. PyTorch's CUDA
    # kernel for one unbatched sample gives 0.0 there (its batched one gives nan).
    check(run, [floats(4), np.array([-100])], grad=False, torch_on_cpu=True)
    x = ember.tensor(floats(4), requires_grad=True)
    run(ember, x, ember.tensor([2])).backward()
    same_as_0d = ember.tensor(floats(4), requires_grad=True)
    run(ember, same_as_0d, ember.tensor(2)).backward()
    assert_same(x.grad, torch.tensor(same_as_0d.grad.numpy()))


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
@pytest.mark.parametrize(
    "target",
    [np.array([1, 2]), np.zeros(0, np.int64), np.array([[1]]), np.array([1.0], np.float32)],
    ids=["two_targets", "no_target", "2d_target", "float_target"],
)
def test_one_sample_with_other_targets_is_refused_like_torch(name, target):
    check_error(lambda lib, x, t: getattr(F(lib), name)(x, t), np.zeros(3, np.float32), target)


@pytest.mark.parametrize("smoothing", [-0.1, -5.0, float("nan"), 0.3, 1.0])
@pytest.mark.parametrize("probabilities", [False, True])
def test_label_smoothing_below_zero_means_none_as_in_torch(smoothing, probabilities):
    target = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]], np.float32)
    if not probabilities:
        target = np.array([0, 2])
    check_with_target(
        lambda lib, x, t: F(lib).cross_entropy(x, t, label_smoothing=smoothing),
        floats(2, 3),
        target,
    )


# Binary cross-entropy -------------------------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_cross_entropy_matches_torch(reduction, weighted):
    p = np.random.default_rng(4).uniform(0.01, 0.99, (4, 3)).astype(np.float32)
    t = np.random.default_rng(5).random((4, 3)).astype(np.float32)
    w = np.linspace(0.5, 2, 3).astype(np.float32)

    def run(lib, x, y):
        weight = lib.tensor(w) if weighted else None
        return lib.nn.BCELoss(weight=weight, reduction=reduction)(x, y)

    check_with_target(run, p, t, target_grad=True)


def test_binary_cross_entropy_at_zero_and_one_matches_torch():
    p = np.array([0.0, 1.0, 0.0, 1.0, 0.5], np.float32)
    t = np.array([1.0, 0.0, 0.0, 1.0, 0.5], np.float32)
    check_with_target(lambda lib, x, y: F(lib).binary_cross_entropy(x, y, reduction="none"), p, t)
    check_error(
        lambda lib, x, y: F(lib).binary_cross_entropy(x, y),
        np.array([1.5], np.float32),
        np.zeros(1, np.float32),
    )
    check_error(
        lambda lib, x, y: F(lib).binary_cross_entropy(x, y),
        np.zeros((3, 1), np.float32),
        np.zeros(3, np.float32),
    )


@pytest.mark.parametrize(
    "target, phrase",
    [
        ([2.0, -1.0], "all elements of target should be between 0 and 1"),
        ([1.0, 1.0001], "all elements of target should be between 0 and 1"),
        ([float("nan"), 0.0], "all elements of target should be between 0 and 1"),
    ],
)
def test_binary_cross_entropy_refuses_targets_outside_0_1_like_torch(target, phrase):
    # On the CPU, as torch; a GPU run skips the check (it would wait for the device).
    error = check_error(
        lambda lib, x, y: F(lib).binary_cross_entropy(x, y),
        np.array([0.3, 0.6], np.float32),
        np.array(target, np.float32),
    )
    assert phrase in str(error)


def test_binary_cross_entropy_checks_the_input_first_and_nan_too():
    for probabilities in ([1.3, 0.6], [float("nan"), 0.6]):
        error = check_error(
            lambda lib, x, y: F(lib).binary_cross_entropy(x, y),
            np.array(probabilities, np.float32),
            np.array([2.0, 0.0], np.float32),
        )
        assert "all elements of input should be between 0 and 1" in str(error)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("positive", [False, True])
def test_bce_with_logits_matches_torch(reduction, weighted, positive):
    logits = floats(4, 3, scale=4)
    logits[0, 0] = 0.0
    t = np.random.default_rng(6).random((4, 3)).astype(np.float32)
    w = np.linspace(0.5, 2, 3).astype(np.float32)
    pos = np.array([0.5, 1.0, 3.0], np.float32)

    def run(lib, x, y):
        return lib.nn.BCEWithLogitsLoss(
            weight=lib.tensor(w) if weighted else None,
            reduction=reduction,
            pos_weight=lib.tensor(pos) if positive else None,
        )(x, y)

    check_with_target(run, logits, t, target_grad=True)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_is_stable_for_extreme_logits(reduction):
    logits = np.array([1e4, -1e4, 100.0, -100.0, 30.0, -30.0, 0.0], np.float32)
    t = np.array([0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0], np.float32)
    run = lambda lib, x, y: F(lib).binary_cross_entropy_with_logits(  # noqa: E731
        x, y, reduction=reduction, pos_weight=lib.tensor(2.0)
    )
    check_with_target(run, logits, t, target_grad=True)
    check_error(
        lambda lib, x, y: F(lib).binary_cross_entropy_with_logits(x, y),
        np.zeros((3, 1), np.float32),
        np.zeros(3, np.float32),
    )


def test_bce_with_logits_gradcheck_float64_including_weights():
    t = np.random.default_rng(7).random((3, 2))
    check_gradcheck(
        lambda lib, x, w, p: F(lib).binary_cross_entropy_with_logits(
            x, lib.tensor(t), weight=w, pos_weight=p
        ),
        [(3, 2), np.linspace(0.5, 1.5, 2), np.array([2.0, 0.5])],
    )


def test_loss_modules_repr_and_weight_buffers():
    for make in (
        lambda m: m.MSELoss(),
        lambda m: m.L1Loss(reduction="sum"),
        lambda m: m.HuberLoss(),
        lambda m: m.SmoothL1Loss(),
        lambda m: m.CrossEntropyLoss(),
        lambda m: m.NLLLoss(),
        lambda m: m.BCELoss(),
        lambda m: m.BCEWithLogitsLoss(),
    ):
        assert repr(make(nn)) == repr(make(torch.nn))
    loss = nn.CrossEntropyLoss(weight=ember.ones(3))
    assert list(loss.state_dict()) == list(torch.nn.CrossEntropyLoss(torch.ones(3)).state_dict())
    assert loss.to(ember.float64).weight.dtype == ember.float64


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shapes", [[(4, 3), (4, 3)], [(4, 1), (3,)]])
def test_mse_gradients_of_gradients(reduction, shapes):
    """mse_loss is one fused node; its backward is written in ember ops, so it has
    second derivatives (checked by central differences, float64)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the broadcast warning for (4, 1) against (3,)
        check_gradcheck(
            lambda lib, x, y: F(lib).mse_loss(x, y, reduction=reduction), shapes, order=2
        )


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
def test_nll_loss_gradient_is_written_as_torchs_kernel_writes_it(reduction, weighted):
    # a negative upstream gradient made every zero of the one-hot -0. (PyTorch writes only
    # the targets), and 'mean' multiplied by 1 / total weight where PyTorch divides
    rng = np.random.default_rng(8)
    x = rng.standard_normal((7, 4)).astype(np.float32)
    target = np.array([0, 1, 2, 3, 1, -100, 2])
    weight = np.array([1.0, 0.0, 2.5, 0.3], np.float32)
    upstream = -np.abs(rng.standard_normal(() if reduction != "none" else 7)).astype(np.float32)
    grads = []
    for library in (ember, torch):
        tensor = library.tensor(x, requires_grad=True)
        loss = library.nn.functional.nll_loss(
            tensor,
            library.tensor(target),
            weight=library.tensor(weight) if weighted else None,
            reduction=reduction,
        )
        loss.backward(library.tensor(upstream))
        grads.append(tensor.grad.numpy())
    np.testing.assert_array_equal(*grads)
    np.testing.assert_array_equal(np.signbit(grads[0]), np.signbit(grads[1]))
