"""The likelihood and margin losses against PyTorch: kl_div, poisson_nll_loss,
gaussian_nll_loss, soft_margin_loss, margin_ranking_loss, hinge_embedding_loss,
cosine_embedding_loss, triplet_margin_loss, multi_margin_loss, multilabel_soft_margin_loss
and multilabel_margin_loss, and their modules (values, dtypes, shapes, gradients to second
order, node names, warnings, errors, module state and repr)."""

import warnings

import numpy as np
import pytest
import torch
from oracle import check, check_error, check_gradcheck, check_outcome

import ember

REDUCTIONS = ["mean", "sum", "none"]


def F(lib):
    return lib.nn.functional


rng = np.random.default_rng(7)
SCORES = rng.normal(size=(4, 5)).astype(np.float32)
OTHER = rng.normal(size=(4, 5)).astype(np.float32)
POSITIVE = rng.uniform(0.2, 2.0, (4, 5)).astype(np.float32)
PROBABILITIES = (np.exp(OTHER) / np.exp(OTHER).sum(1, keepdims=True)).astype(np.float32)
COUNTS = rng.integers(0, 5, (4, 5)).astype(np.float32)  # Poisson targets, some 0 and 1
SIGNS = np.where(rng.random((4, 5)) > 0.5, 1.0, -1.0).astype(np.float32)
ROW_SIGNS = np.array([1.0, -1.0, 1.0, -1.0], np.float32)
CLASSES = np.array([0, 3, 4, 1])
LABEL_LISTS = np.array([[0, 2, -1, 0, 0], [1, -1, 3, 3, 3], [4, 3, 2, 1, 0], [-1, 0, 0, 0, 0]])
CLASS_WEIGHT = np.array([0.5, 1.0, 2.0, 1.5, 0.8], np.float32)


def const(lib, array):
    """A tensor that takes no gradient (a target, a weight)."""
    return lib.tensor(array)


# (name, fn(lib, reduction, *tensors), arrays): every float array takes a gradient.
CASES = [
    ("kl_div", lambda L, r, x, t: F(L).kl_div(x, t, reduction=r), [SCORES, PROBABILITIES]),
    (
        "kl_div_log_target",
        lambda L, r, x, t: F(L).kl_div(x, t, reduction=r, log_target=True),
        [SCORES, np.log(PROBABILITIES)],
    ),
    (
        "kl_div_zero_target",
        lambda L, r, x: F(L).kl_div(x, const(L, np.eye(4, 5, dtype=np.float32)), reduction=r),
        [SCORES],
    ),
    ("poisson", lambda L, r, x, t: F(L).poisson_nll_loss(x, t, reduction=r), [SCORES, COUNTS]),
    (
        "poisson_rate_full",
        lambda L, r, x, t: F(L).poisson_nll_loss(
            x, t, log_input=False, full=True, eps=1e-3, reduction=r
        ),
        [POSITIVE, COUNTS + 0.5],
    ),
    (
        "gaussian",
        lambda L, r, x, t, v: F(L).gaussian_nll_loss(x, t, v, reduction=r),
        [SCORES, OTHER, POSITIVE],
    ),
    (
        "gaussian_full_var_per_row",
        lambda L, r, x, t, v: F(L).gaussian_nll_loss(x, t, v, full=True, reduction=r),
        [SCORES, OTHER, POSITIVE[:, 0]],
    ),
    (
        "gaussian_var_dim_of_one",
        lambda L, r, x, t, v: F(L).gaussian_nll_loss(x, t, v, reduction=r),
        [SCORES, OTHER, POSITIVE[:1]],
    ),
    (
        "gaussian_var_clamped",
        lambda L, r, x, t, v: F(L).gaussian_nll_loss(x, t, v, eps=0.5, reduction=r),
        [SCORES, OTHER, POSITIVE * 0.3],
    ),
    (
        "gaussian_float_var",
        lambda L, r, x, t: F(L).gaussian_nll_loss(x, t, 0.7, reduction=r),
        [SCORES, OTHER],
    ),
    (
        "soft_margin",
        lambda L, r, x: F(L).soft_margin_loss(x, const(L, SIGNS), reduction=r),
        [SCORES],
    ),
    (
        "soft_margin_broadcast_target",
        lambda L, r, x: F(L).soft_margin_loss(x, const(L, SIGNS[0]), reduction=r),
        [SCORES],
    ),
    (
        "margin_ranking",
        lambda L, r, a, b, t: F(L).margin_ranking_loss(a, b, t, margin=0.3, reduction=r),
        [SCORES[:, 0], OTHER[:, 0], ROW_SIGNS],
    ),
    (
        "hinge_embedding",
        lambda L, r, x: F(L).hinge_embedding_loss(x, const(L, SIGNS), margin=0.8, reduction=r),
        [np.abs(SCORES)],
    ),
    (
        "cosine_embedding",
        lambda L, r, a, b: F(L).cosine_embedding_loss(
            a, b, const(L, ROW_SIGNS), margin=-0.2, reduction=r
        ),
        [SCORES, OTHER],
    ),
    (
        "cosine_embedding_one_pair",
        lambda L, r, a, b: F(L).cosine_embedding_loss(a, b, const(L, np.float32(-1)), reduction=r),
        [SCORES[0], SCORES[0] + 0.1 * OTHER[0]],
    ),
    (
        "triplet",
        lambda L, r, a, p, n: F(L).triplet_margin_loss(a, p, n, reduction=r),
        [SCORES, OTHER, POSITIVE],
    ),
    (
        "triplet_swap_p1",
        lambda L, r, a, p, n: F(L).triplet_margin_loss(a, p, n, p=1, swap=True, reduction=r),
        [SCORES, OTHER, POSITIVE],
    ),
    (
        "multi_margin",
        lambda L, r, x: F(L).multi_margin_loss(x, const(L, CLASSES), reduction=r),
        [SCORES],
    ),
    (
        "multi_margin_p2_weighted",
        lambda L, r, x: F(L).multi_margin_loss(
            x, const(L, CLASSES), p=2, margin=0.7, weight=x.new_tensor(CLASS_WEIGHT), reduction=r
        ),
        [SCORES],
    ),
    (
        "multi_margin_one_sample",
        lambda L, r, x: F(L).multi_margin_loss(x, const(L, np.array(2)), reduction=r),
        [SCORES[0]],
    ),
    (
        "multilabel_soft_margin",
        lambda L, r, x: F(L).multilabel_soft_margin_loss(
            x, const(L, (SIGNS > 0).astype(np.float32)), const(L, CLASS_WEIGHT), reduction=r
        ),
        [SCORES],
    ),
    (
        "multilabel_margin",
        lambda L, r, x: F(L).multilabel_margin_loss(x, const(L, LABEL_LISTS), reduction=r),
        [SCORES],
    ),
    (
        "multilabel_margin_one_sample",
        lambda L, r, x: F(L).multilabel_margin_loss(x, const(L, LABEL_LISTS[2]), reduction=r),
        [SCORES[1]],
    ),
]
CASE_IDS = [case[0] for case in CASES]


@pytest.fixture(autouse=True)
def _quiet_kl_mean_warning():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="reduction: 'mean'")
        yield


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name, fn, arrays", CASES, ids=CASE_IDS)
def test_losses_match_torch(name, fn, arrays, reduction):
    """Values, dtype, shape, the gradient of every float input, and the last node's name
    and the number of inputs it lists."""
    ember_out, torch_out = check(lambda lib, *xs: fn(lib, reduction, *xs), arrays)
    assert ember_out.grad_fn.name() == type(torch_out.grad_fn).__name__
    assert len(ember_out.grad_fn.next_functions) == len(torch_out.grad_fn.next_functions)


@pytest.mark.parametrize("name, fn, arrays", CASES, ids=CASE_IDS)
def test_kl_div_batchmean_and_the_modules_match_torch(name, fn, arrays):
    if name.startswith("kl_div"):
        check(lambda lib, *xs: fn(lib, "batchmean", *xs), arrays)


# Where torch has second derivatives, ember's agree with finite differences; ember's
# multi-class margins have them too (torch 2.13 raises "not implemented"). Not the clamped
# variance: its gradient, as torch's, passes the clamp by as if it were not there.
SMOOTH_CASES = [case for case in CASES if case[0] != "gaussian_var_clamped"]


@pytest.mark.parametrize("name, fn, arrays", SMOOTH_CASES, ids=[c[0] for c in SMOOTH_CASES])
@pytest.mark.parametrize("order", [1, 2])
def test_losses_gradcheck_float64(name, fn, arrays, order):
    check_gradcheck(lambda lib, *xs: fn(lib, "sum", *xs), arrays, order=order)


def test_second_order_gradients_match_torch():
    """The gradient of the gradient's norm, in both libraries."""
    for fn, arrays in (
        (lambda L, x, t: F(L).kl_div(x, t, reduction="batchmean"), [SCORES, PROBABILITIES]),
        (lambda L, x, t, v: F(L).gaussian_nll_loss(x, t, v), [SCORES, OTHER, POSITIVE]),
        (lambda L, x: F(L).soft_margin_loss(x, const(L, SIGNS)), [SCORES]),
        (lambda L, a, p, n: F(L).triplet_margin_loss(a, p, n), [SCORES, OTHER, POSITIVE]),
        (
            lambda L, a, b: F(L).cosine_embedding_loss(a, b, const(L, ROW_SIGNS)),
            [SCORES, OTHER],
        ),
    ):

        def gradient_norm(lib, *xs, fn=fn):
            grads = lib.autograd.grad(fn(lib, *xs), xs, create_graph=True)
            return sum((g * g).sum() for g in grads)

        check(gradient_norm, arrays, atol=1e-4, rtol=1e-4)


# Dtypes, broadcasting and odd shapes: torch's outcome, a result or an error, is ember's.
F32 = np.array([[0.5, -1.0, 2.0], [0.1, 0.2, -0.3]], np.float32)
I64 = np.array([[1, 0, 2], [0, 1, 1]])
PAIRS = {
    "int64": (I64, I64),
    "float32_int64": (F32, I64),
    "int64_float32": (I64, F32),
    "float32_float64": (F32, F32.astype(np.float64)),
    "float64_float32": (F32.astype(np.float64), F32),
    "float16": (F32.astype(np.float16), F32.astype(np.float16)),
    "bool": (F32 > 0, F32 > 0),
    "float32_bool": (F32, F32 > 0),
    "uint8_float32": (I64.astype(np.uint8), F32),
    "float32_0d_float64": (F32, np.float64(1.0)),
    "broadcast_target": (F32, F32[0]),
    "broadcast_input": (F32[:, :1], F32),
    "mismatch": (F32, F32[:, 0]),
    "empty": (np.zeros((0, 3), np.float32), np.zeros((0, 3), np.float32)),
    "0d": (np.float32(0.3), np.float32(1.0)),
}
TWO_OPERAND_LOSSES = [
    "kl_div",
    "poisson_nll_loss",
    "soft_margin_loss",
    "hinge_embedding_loss",
    "multilabel_soft_margin_loss",
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("pair", PAIRS, ids=str)
@pytest.mark.parametrize("name", TWO_OPERAND_LOSSES)
def test_two_operand_dtypes_and_shapes_match_torch(name, pair, reduction):
    check_outcome(
        lambda lib, x, y: getattr(F(lib), name)(x, y, reduction=reduction),
        *PAIRS[pair],
        atol=1e-3,
        rtol=1e-3,
    )


MIXED_DTYPE_GRADIENTS = [
    ("kl_div", lambda L, x, t: F(L).kl_div(x, t, reduction="sum"), [SCORES, PROBABILITIES]),
    ("poisson", lambda L, x, t: F(L).poisson_nll_loss(x, t), [SCORES, COUNTS]),
    ("gaussian", lambda L, x, t: F(L).gaussian_nll_loss(x, t, L.ones(4, 5)), [SCORES, OTHER]),
    ("ranking", lambda L, a, b: F(L).margin_ranking_loss(a, b, L.ones(5)), [SCORES[0], OTHER[0]]),
    ("soft_margin", lambda L, x, t: F(L).soft_margin_loss(x, t.detach()), [SCORES, SIGNS]),
]


@pytest.mark.parametrize(
    "fn, arrays", [c[1:] for c in MIXED_DTYPE_GRADIENTS], ids=[c[0] for c in MIXED_DTYPE_GRADIENTS]
)
@pytest.mark.parametrize("dtypes", [("float32", "float64"), ("float64", "float32")])
def test_mixed_dtype_gradients_match_torch(fn, arrays, dtypes):
    """The result's dtype, and each gradient in its own operand's dtype."""
    check(fn, [a.astype(d) for a, d in zip(arrays, dtypes)], atol=1e-5, rtol=1e-4)


def gaussian(lib, x, y, var, **options):
    return F(lib).gaussian_nll_loss(x, y, var, reduction="none", **options)


V = np.array([[0.5, 1.0, 2.0], [0.3, 0.7, 1.1]], np.float32)
OUTCOMES = [
    ("gaussian_var_rows", gaussian, [F32, -F32, V[:, 0]]),
    ("gaussian_var_column", gaussian, [F32, -F32, V[:, :1]]),
    ("gaussian_var_one_row", gaussian, [F32, -F32, V[:1]]),
    ("gaussian_var_1x1", gaussian, [F32, -F32, V[:1, :1]]),
    ("gaussian_var_last_dim", gaussian, [F32, -F32, V[0]]),
    ("gaussian_var_0d", gaussian, [F32, -F32, V[0, 0]]),
    ("gaussian_var_extra_dim", gaussian, [F32, -F32, V[..., None]]),
    ("gaussian_1d_0d_var", gaussian, [F32[0], F32[1], V[0, 0]]),
    ("gaussian_broadcast_target", gaussian, [F32, F32[0], V]),
    ("gaussian_target_too_wide", gaussian, [F32, np.zeros((2, 4), np.float32), V]),
    ("gaussian_negative_var", gaussian, [F32, F32, -V]),
    ("gaussian_int64", gaussian, [I64, I64, V]),
    ("gaussian_int64_var", gaussian, [F32, F32, I64]),
    ("gaussian_float64_var", gaussian, [F32, F32, V.astype(np.float64)]),
    ("gaussian_float16", gaussian, [F32.astype(np.float16), F32.astype(np.float16), V]),
    ("gaussian_empty", gaussian, [F32[:0], F32[:0], V[:0]]),
    ("ranking_ints", lambda L, a, b, t: F(L).margin_ranking_loss(a, b, t), [I64, I64, I64]),
    ("ranking_dims", lambda L, a, b, t: F(L).margin_ranking_loss(a, b, t), [F32, F32[0], F32]),
    (
        "ranking_broadcast",
        lambda L, a, b, t: F(L).margin_ranking_loss(a, b, t),
        [F32, F32[:1], F32],
    ),
    ("ranking_empty", lambda L, a, b, t: F(L).margin_ranking_loss(a, b, t), [F32[:0]] * 3),
    (
        "cosine_int64",
        lambda L, a, b, t: F(L).cosine_embedding_loss(a, b, t),
        [I64, I64, F32[0, :2]],
    ),
    ("cosine_2d_0d", lambda L, a, b, t: F(L).cosine_embedding_loss(a, b, t), [F32, F32, F32[0, 0]]),
    (
        "cosine_1d_1d",
        lambda L, a, b, t: F(L).cosine_embedding_loss(a, b, t),
        [F32[0], F32[1], F32[0, :1]],
    ),
    ("cosine_2d_target", lambda L, a, b, t: F(L).cosine_embedding_loss(a, b, t), [F32, F32, F32]),
    (
        "cosine_3d",
        lambda L, a, b, t: F(L).cosine_embedding_loss(a, b, t),
        [F32[None], F32[None], F32[0, :2]],
    ),
    (
        "cosine_zero_vector",
        lambda L, a, b, t: F(L).cosine_embedding_loss(a, b, t, reduction="none"),
        [F32 * 0, F32, np.float32([1, -1])],
    ),
    (
        "cosine_empty",
        lambda L, a, b, t: F(L).cosine_embedding_loss(a, b, t),
        [F32[:0], F32[:0], F32[0, :0]],
    ),
    (
        "cosine_float16",
        lambda L, a, b, t: F(L).cosine_embedding_loss(a, b, t),
        [F32.astype(np.float16), F32.astype(np.float16), np.float16([1, -1])],
    ),
    ("triplet_int64", lambda L, a, p, n: F(L).triplet_margin_loss(a, p, n), [I64, I64, I64]),
    (
        "triplet_0d",
        lambda L, a, p, n: F(L).triplet_margin_loss(a, p, n, reduction="none"),
        [F32[0, 0], F32[1, 0], F32[0, 1]],
    ),
    (
        "triplet_3d",
        lambda L, a, p, n: F(L).triplet_margin_loss(a, p, n, reduction="none"),
        [F32[None], F32[None], F32[None]],
    ),
    ("triplet_dims", lambda L, a, p, n: F(L).triplet_margin_loss(a, p, n), [F32, F32[0], F32]),
    (
        "triplet_broadcast",
        lambda L, a, p, n: F(L).triplet_margin_loss(a, p, n, reduction="none"),
        [F32, F32[:1], F32],
    ),
    (
        "triplet_p_inf",
        lambda L, a, p, n: F(L).triplet_margin_loss(a, p, n, p=float("inf"), reduction="none"),
        [F32, -F32, 2 * F32],
    ),
    (
        "triplet_p_0",
        lambda L, a, p, n: F(L).triplet_margin_loss(a, p, n, p=0, reduction="none"),
        [F32, -F32, 2 * F32],
    ),
    (
        "triplet_no_features",
        lambda L, a, p, n: F(L).triplet_margin_loss(a, p, n, reduction="none"),
        [F32[:, :0]] * 3,
    ),
]


@pytest.mark.parametrize("fn, arrays", [c[1:] for c in OUTCOMES], ids=[c[0] for c in OUTCOMES])
def test_three_operand_outcomes_match_torch(fn, arrays):
    check_outcome(fn, *arrays, atol=1e-3, rtol=1e-3)


def multi_margin(lib, x, target, **options):
    return F(lib).multi_margin_loss(x, target, **options)


def multilabel_margin(lib, x, target, **options):
    return F(lib).multilabel_margin_loss(x, target, **options)


TARGETS = np.array([2, 0])
LISTS = np.array([[2, 0, -1], [1, -1, 2]])
CLASS_OUTCOMES = [
    ("mm_one_sample_0d_target", multi_margin, [F32[0], TARGETS[0]]),
    ("mm_one_score", multi_margin, [F32[0, 0], np.array(0)]),
    ("mm_one_row_0d_target", multi_margin, [F32[:1], np.array(1)]),
    ("mm_3d", multi_margin, [F32[None], TARGETS]),
    ("mm_no_classes", multi_margin, [F32[:, :0], TARGETS]),
    ("mm_target_length", multi_margin, [F32, np.array([0, 1, 2])]),
    ("mm_target_2d", multi_margin, [F32, TARGETS[:, None]]),
    ("mm_target_too_large", multi_margin, [F32, np.array([0, 3])]),
    ("mm_target_negative", multi_margin, [F32, np.array([0, -1])]),
    ("mm_float_target", multi_margin, [F32, np.array([0.0, 1.0])]),
    ("mm_int32_target", multi_margin, [F32, TARGETS.astype(np.int32)]),
    ("mm_int64_input", multi_margin, [I64, TARGETS]),
    ("mm_float64", multi_margin, [F32.astype(np.float64), TARGETS]),
    ("mm_float16", multi_margin, [F32.astype(np.float16), TARGETS]),
    (
        "mm_empty_batch",
        lambda L, x, t: multi_margin(L, x, t, reduction="none"),
        [F32[:0], TARGETS[:0]],
    ),
    ("ml_one_sample", multilabel_margin, [F32[1], LISTS[1]]),
    ("ml_one_score", multilabel_margin, [F32[0, 0], np.array([0])]),
    (
        "ml_repeated_labels",
        lambda L, x, t: multilabel_margin(L, x, t, reduction="none"),
        [F32, np.array([[2, 2, -1], [1, 1, 1]])],
    ),
    (
        "ml_every_class",
        lambda L, x, t: multilabel_margin(L, x, t, reduction="none"),
        [F32, np.array([[2, 0, 1], [-1, 1, 2]])],
    ),
    ("ml_label_too_large", multilabel_margin, [F32, np.array([[3, 0, -1], [1, -1, 2]])]),
    ("ml_label_below_minus_one", multilabel_margin, [F32, np.array([[-2, 0, -1], [1, -1, 2]])]),
    ("ml_bad_label_after_the_end", multilabel_margin, [F32, np.array([[0, -1, 7], [1, -1, 2]])]),
    ("ml_target_shape", multilabel_margin, [F32, LISTS[:, :2]]),
    ("ml_1d_target_for_2d", multilabel_margin, [F32, LISTS[0]]),
    ("ml_int32_target", multilabel_margin, [F32, LISTS.astype(np.int32)]),
    ("ml_int64_input", multilabel_margin, [I64, LISTS]),
    ("ml_float16", multilabel_margin, [F32.astype(np.float16), LISTS]),
    ("ml_3d", multilabel_margin, [F32[None], LISTS[None]]),
    (
        "ml_empty_batch",
        lambda L, x, t: multilabel_margin(L, x, t, reduction="none"),
        [F32[:0], LISTS[:0]],
    ),
]


@pytest.mark.parametrize(
    "fn, arrays", [c[1:] for c in CLASS_OUTCOMES], ids=[c[0] for c in CLASS_OUTCOMES]
)
def test_multi_class_margin_outcomes_match_torch(fn, arrays):
    check_outcome(fn, *arrays)


def test_multi_margin_of_no_samples_is_nan():
    """torch 2.13 returns uninitialised memory for the mean over no samples; ember the mean
    of nothing, nan, as its other losses do."""
    for loss in (
        F(ember).multi_margin_loss(ember.zeros(0, 3), ember.zeros(0, dtype=ember.int64)),
        F(ember).multilabel_margin_loss(ember.zeros(0, 3), ember.zeros(0, 3, dtype=ember.int64)),
    ):
        assert np.isnan(loss.item())


# Errors, warnings and argument checks ------------------------------------------------


ERRORS = [
    ("kl_div_reduction", lambda L, x: F(L).kl_div(x, x, reduction="avg")),
    ("kl_div_list", lambda L, x: F(L).kl_div([1.0], x)),
    ("poisson_reduction", lambda L, x: F(L).poisson_nll_loss(x, x, reduction="avg")),
    ("gaussian_reduction", lambda L, x: F(L).gaussian_nll_loss(x, x, x.abs(), reduction="avg")),
    ("gaussian_int_var", lambda L, x: F(L).gaussian_nll_loss(x, x, 1)),
    ("gaussian_negative_float", lambda L, x: F(L).gaussian_nll_loss(x, x, -0.5)),
    ("soft_margin_grows_input", lambda L, x: F(L).soft_margin_loss(x[:, :1], x)),
    ("soft_margin_target_grad", lambda L, x: F(L).soft_margin_loss(x, x.clone().requires_grad_())),
    ("soft_margin_list", lambda L, x: F(L).soft_margin_loss(x, [1.0])),
    ("ranking_dims", lambda L, x: F(L).margin_ranking_loss(x, x[0], x)),
    ("hinge_list", lambda L, x: F(L).hinge_embedding_loss([1.0], x)),
    ("cosine_target_2d", lambda L, x: F(L).cosine_embedding_loss(x, x, x)),
    ("triplet_margin", lambda L, x: F(L).triplet_margin_loss(x, x, x, margin=0)),
    ("triplet_dims", lambda L, x: F(L).triplet_margin_loss(x, x[0], x)),
    ("multi_margin_p", lambda L, x: F(L).multi_margin_loss(x, L.tensor([0, 1]), p=3)),
    ("multi_margin_weight_2d", lambda L, x: multi_margin(L, x, L.tensor([0, 1]), weight=x)),
    (
        "multi_margin_weight_size",
        lambda L, x: multi_margin(L, x, L.tensor([0, 1]), weight=L.ones(4)),
    ),
    (
        "multi_margin_weight_dtype",
        lambda L, x: multi_margin(L, x, L.tensor([0, 1]), weight=L.ones(3, dtype=L.float64)),
    ),
    (
        "multi_margin_weight_grad",
        lambda L, x: multi_margin(L, x, L.tensor([0, 1]), weight=L.ones(3, requires_grad=True)),
    ),
    (
        "multilabel_soft_reduction",
        lambda L, x: F(L).multilabel_soft_margin_loss(x, x, None, None, None, "avg"),
    ),
    ("multilabel_soft_0d", lambda L, x: F(L).multilabel_soft_margin_loss(x[0, 0], x[0, 0])),
    ("multilabel_soft_list", lambda L, x: F(L).multilabel_soft_margin_loss([1.0], x)),
]


@pytest.mark.parametrize("fn", [c[1] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_errors_match_torch(fn):
    check_error(fn, F32)


def test_kl_div_warns_about_mean_as_torch_does():
    x, y = ember.tensor(F32), ember.tensor(np.abs(F32))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        F(ember).kl_div(x, y)
        for reduction in ("batchmean", "sum", "none"):
            F(ember).kl_div(x, y, reduction=reduction)
    assert len(caught) == 1 and caught[0].category is UserWarning
    assert str(caught[0].message).startswith("reduction: 'mean' divides the total loss")
    assert caught[0].filename == __file__  # points at the caller, as torch's does
    with pytest.warns(UserWarning, match="reduction='none'"):
        loss = F(ember).kl_div(x, y, reduce=False)  # the legacy flags: no 'mean' warning
    assert loss.shape == (2, 3)


def test_kl_div_batchmean_of_a_0d_input_is_its_sum():
    check(
        lambda lib, x, t: F(lib).kl_div(x, t, reduction="batchmean"),
        [np.array(-0.3, np.float32), np.array(0.6, np.float32)],
    )


def test_legacy_flags_warn_and_pick_the_reduction():
    x = ember.tensor(F32)
    for call in (
        lambda **k: F(ember).poisson_nll_loss(x, x, **k),
        lambda **k: F(ember).soft_margin_loss(x, x, **k),
        lambda **k: F(ember).margin_ranking_loss(x, x, x, **k),
        lambda **k: F(ember).hinge_embedding_loss(x, x, **k),
        lambda **k: F(ember).triplet_margin_loss(x, x, x, **k),
        lambda **k: F(ember).multilabel_soft_margin_loss(x, x, **k),
    ):
        with pytest.warns(UserWarning, match="reduction='sum'"):
            assert call(size_average=False).shape == ()
        with pytest.warns(UserWarning, match="reduction='none'"):
            assert call(reduce=False).ndim >= 1


def test_soft_margin_loss_overflows_as_torch_does():
    check(
        lambda lib, x: F(lib).soft_margin_loss(x.detach(), lib.ones(3), reduction="none"),
        [np.array([-100.0, 100.0, 0.0], np.float32)],
        grad=False,
    )


# Modules ---------------------------------------------------------------------------


MODULES = [
    ("KLDivLoss", {"reduction": "batchmean", "log_target": True}, 2),
    ("PoissonNLLLoss", {"log_input": False, "full": True, "eps": 1e-3}, 2),
    ("GaussianNLLLoss", {"full": True, "eps": 1e-3, "reduction": "sum"}, 3),
    ("SoftMarginLoss", {"reduction": "none"}, 2),
    ("MarginRankingLoss", {"margin": 0.5}, 3),
    ("HingeEmbeddingLoss", {"margin": 2.0}, 2),
    ("CosineEmbeddingLoss", {"margin": 0.1}, 3),
    ("TripletMarginLoss", {"margin": 0.5, "p": 1.0, "swap": True}, 3),
    ("MultiMarginLoss", {"p": 2, "margin": 0.5}, 2),
    ("MultiLabelSoftMarginLoss", {"reduction": "sum"}, 2),
    ("MultiLabelMarginLoss", {}, 2),
]


def loss_module(lib, name):
    return getattr(lib.nn, name)


def module_inputs(lib, name):
    x, y, v = (lib.tensor(a, requires_grad=True) for a in (SCORES, OTHER, POSITIVE))
    if name == "MarginRankingLoss":
        return x[:, 0], y[:, 0], lib.tensor(ROW_SIGNS)
    if name == "CosineEmbeddingLoss":
        return x, y, lib.tensor(ROW_SIGNS)
    if name in ("TripletMarginLoss", "GaussianNLLLoss"):
        return x, y, v
    targets = {
        "SoftMarginLoss": SIGNS,
        "HingeEmbeddingLoss": SIGNS,
        "MultiMarginLoss": CLASSES,
        "MultiLabelMarginLoss": LABEL_LISTS,
        "MultiLabelSoftMarginLoss": (SIGNS > 0).astype(np.float32),
        "PoissonNLLLoss": COUNTS,
        "KLDivLoss": np.log(PROBABILITIES),
    }
    first = v if name == "PoissonNLLLoss" else x
    return first, lib.tensor(targets[name])


@pytest.mark.parametrize("name, options, _", MODULES, ids=[m[0] for m in MODULES])
def test_modules_match_torch(name, options, _):
    modules = {lib: loss_module(lib, name)(**options) for lib in (ember, torch)}
    assert repr(modules[ember]) == repr(modules[torch])
    public = {
        lib: {k: v for k, v in vars(m).items() if not k.startswith("_")}
        for lib, m in modules.items()
    }
    public[torch].pop("training")
    public[ember].pop("training", None)
    assert public[ember] == public[torch]
    assert list(modules[ember].state_dict()) == list(modules[torch].state_dict())
    outs = {lib: modules[lib](*module_inputs(lib, name)) for lib in (ember, torch)}
    np.testing.assert_allclose(
        outs[ember].detach().numpy(), outs[torch].detach().numpy(), rtol=1e-5, atol=1e-5
    )


def test_weighted_modules_keep_their_weight_as_a_buffer():
    weight = np.array([1.0, 2.0, 0.5], np.float32)
    for name in ("MultiMarginLoss", "MultiLabelSoftMarginLoss"):
        module = loss_module(ember, name)(weight=ember.tensor(weight))
        assert list(module.state_dict()) == ["weight"]
        np.testing.assert_array_equal(module.weight.numpy(), weight)
        out = module(
            ember.tensor(F32),
            ember.tensor([2, 0])
            if "Margin" in name and "Soft" not in name
            else ember.tensor((F32 > 0).astype(np.float32)),
        )
        expected = getattr(torch.nn, name)(weight=torch.tensor(weight))(
            torch.tensor(F32),
            torch.tensor([2, 0])
            if "Soft" not in name
            else torch.tensor((F32 > 0).astype(np.float32)),
        )
        np.testing.assert_allclose(out.item(), expected.item(), rtol=1e-6)


MODULE_ERRORS = [
    lambda L: loss_module(L, "MultiMarginLoss")(p=3),
    lambda L: loss_module(L, "MultiMarginLoss")(weight=L.ones(2, 2)),
    lambda L: loss_module(L, "TripletMarginLoss")(margin=0.0),
    lambda L: loss_module(L, "GaussianNLLLoss")(True),  # its options are keyword-only
]


@pytest.mark.parametrize("make", MODULE_ERRORS)
def test_module_errors_match_torch(make):
    check_error(make)


def test_modules_take_the_legacy_flags():
    with pytest.warns(UserWarning, match="reduction='sum'"):
        assert loss_module(ember, "KLDivLoss")(size_average=False).reduction == "sum"
    with pytest.warns(UserWarning, match="reduction='none'"):
        assert loss_module(ember, "MultiMarginLoss")(reduce=False).reduction == "none"


@pytest.mark.parametrize("name", [m[0] for m in MODULES])
def test_modules_are_exported_from_nn(name):
    assert getattr(ember.nn, name) is getattr(ember.nn.loss, name)
