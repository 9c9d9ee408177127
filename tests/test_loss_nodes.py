"""Ops that record ONE node, as PyTorch's do: the regression losses and binary
cross-entropies with their reduction folded in, clamp_min/clamp_max, masked_fill and
repeat. Each case compares with torch the node's name, what it lists in
``next_functions``, the value, the gradients (taken with create_graph=True) and the
second-order gradients."""

import numpy as np
import pytest
import torch

import ember

rng = np.random.default_rng(0)
X = rng.normal(size=(3, 4)) * 2
T = rng.normal(size=(3, 4))
X[0, 0], T[0, 0] = 1.5, 0.5  # |x - t| == delta: the quadratic and linear pieces meet
X[0, 1] = T[0, 1]  # no distance at all
P = rng.uniform(0.05, 0.95, (3, 4))  # probabilities
Q = rng.uniform(0, 1, (3, 4))  # targets of a binary cross-entropy
W = rng.uniform(0.5, 2, (3, 4))  # weights
ROW = rng.uniform(0.5, 2, (4,))  # a pos_weight (one per class), or a broadcast bound
MASK = T > 0


def F(lib):
    return lib.nn.functional


def masked_fill(lib, x, mask, value):
    return x.masked_fill(mask, value)


# (case, fn(lib, *tensors), arrays, which arrays require grad)
CASES = [
    *[
        (f"{name}_{reduction}{tail}", fn, arrays, grads)
        for reduction in ("mean", "sum", "none")
        for name, fn, arrays, grads, tail in [
            (
                "huber",
                lambda lib, x, t, r=reduction: F(lib).huber_loss(x, t, r),
                [X, T],
                [1, 0],
                "",
            ),
            (
                "huber",
                lambda lib, x, t, r=reduction: F(lib).huber_loss(x, t, r, delta=0.5),
                [X, T],
                [1, 1],
                "_target_grad_delta",
            ),
            (
                "huber",
                lambda lib, x, t, w, r=reduction: F(lib).huber_loss(x, t, r, weight=w),
                [X, T, W],
                [1, 0, 0],
                "_weight",
            ),
            (
                "smooth_l1",
                lambda lib, x, t, r=reduction: F(lib).smooth_l1_loss(x, t, reduction=r),
                [X, T],
                [1, 0],
                "",
            ),
            (
                "smooth_l1",
                lambda lib, x, t, r=reduction: F(lib).smooth_l1_loss(x, t, reduction=r, beta=0.5),
                [X, T],
                [1, 1],
                "_target_grad_beta",
            ),
            (
                "bce",
                lambda lib, p, q, r=reduction: F(lib).binary_cross_entropy(p, q, reduction=r),
                [P, Q],
                [1, 1],
                "",
            ),
            (
                "bce",
                lambda lib, p, q, w, r=reduction: F(lib).binary_cross_entropy(
                    p, q, weight=w, reduction=r
                ),
                [P, Q, W],
                [1, 0, 0],
                "_weight",
            ),
            (
                "bce_of_sigmoid",
                lambda lib, x, q, r=reduction: F(lib).binary_cross_entropy(
                    x.sigmoid(), q, reduction=r
                ),
                [X, Q],
                [1, 0],
                "",
            ),
            (
                "bce_with_logits",
                lambda lib, x, q, r=reduction: F(lib).binary_cross_entropy_with_logits(
                    x, q, reduction=r
                ),
                [X, Q],
                [1, 1],
                "",
            ),
            (
                "bce_with_logits",
                lambda lib, x, q, w, pw, r=reduction: F(lib).binary_cross_entropy_with_logits(
                    x, q, weight=w, pos_weight=pw, reduction=r
                ),
                [X, Q, W, ROW],
                [1, 0, 0, 0],
                "_weights",
            ),
        ]
    ],
    ("clamp_min_number", lambda lib, x: x.clamp_min(0.3), [X], [1]),
    ("clamp_min_function", lambda lib, x: lib.clamp_min(x, -0.2), [X], [1]),
    ("clamp_min_tensor", lambda lib, x, b: x.clamp_min(b), [X, T], [1, 0]),
    ("clamp_min_tensor_grad", lambda lib, x, b: x.clamp_min(b), [X, T], [1, 1]),
    ("clamp_min_ties", lambda lib, x, b: x.clamp_min(b), [X, X], [1, 1]),
    ("clamp_min_broadcast", lambda lib, x, b: x.clamp_min(b), [X, ROW], [1, 1]),
    ("clamp_max_number", lambda lib, x: x.clamp_max(0.3), [X], [1]),
    ("clamp_max_function", lambda lib, x: lib.clamp_max(x, -0.2), [X], [1]),
    ("clamp_max_tensor", lambda lib, x, b: x.clamp_max(b), [X, T], [1, 0]),
    ("clamp_max_tensor_grad", lambda lib, x, b: x.clamp_max(b), [X, T], [1, 1]),
    ("clamp_max_ties", lambda lib, x, b: x.clamp_max(b), [X, X], [1, 1]),
    ("masked_fill_number", lambda lib, x, m: masked_fill(lib, x, m, 1.5), [X, MASK], [1, 0]),
    (
        "masked_fill_broadcast_mask",
        lambda lib, x, m: masked_fill(lib, x, m, -1.0),
        [X, MASK[0]],
        [1, 0],
    ),
    (
        "masked_fill_larger_mask",
        lambda lib, x, m: masked_fill(lib, x, m, 0.5),
        [X[0], MASK],
        [1, 0],
    ),
    (
        "masked_fill_tensor",
        lambda lib, x, m, v: masked_fill(lib, x, m, v),
        [X, MASK, np.array(2.0)],
        [1, 0, 0],
    ),
    (
        "masked_fill_tensor_grad",
        lambda lib, x, m, v: masked_fill(lib, x, m, v),
        [X, MASK, np.array(2.0)],
        [1, 0, 1],
    ),
    (
        "masked_fill_value_grad_alone",
        lambda lib, x, m, v: masked_fill(lib, x, m, v),
        [X, MASK, np.array(2.0)],
        [0, 0, 1],
    ),
    *[
        (f"repeat_{'_'.join(map(str, sizes))}", lambda lib, x, s=sizes: x.repeat(*s), [X], [1])
        for sizes in [(2, 1), (1, 3), (2, 1, 2), (0, 2), (1, 1)]
    ],
    ("repeat_list", lambda lib, x: x.repeat([2, 2]), [X], [1]),
    ("repeat_0d", lambda lib, x: x.repeat(3), [np.array(1.5)], [1]),
    ("repeat_1d", lambda lib, x: x.repeat(2, 2), [X[0]], [1]),
]


def node_name(node):
    """torch names its C++ nodes "torch::autograd::AccumulateGrad"; ember "AccumulateGrad"."""
    return None if node is None else node.name().rsplit("::", 1)[-1]


def graph_and_gradients(lib, fn, arrays, grads):
    """Name, listing, value, gradients and second-order gradients of ``fn`` in ``lib``."""
    inputs = [lib.tensor(array, requires_grad=bool(wants)) for array, wants in zip(arrays, grads)]
    out = fn(lib, *inputs)
    listing = [node_name(node) for node, _ in out.grad_fn.next_functions]
    leaves = [tensor for tensor in inputs if tensor.requires_grad]
    upstream = lib.tensor(np.random.default_rng(1).uniform(0.5, 1.5, tuple(out.shape)))
    first = lib.autograd.grad(out, leaves, upstream, create_graph=True)
    total = sum((g * g).sum() for g in first)
    second = []  # none where first-order gradients are piecewise constant (clamp, repeat)
    if total.requires_grad:
        second = lib.autograd.grad(total, leaves, allow_unused=True)
    as_arrays = lambda values: [None if v is None else v.detach().numpy() for v in values]  # noqa: E731
    return out.grad_fn.name(), listing, out.detach().numpy(), as_arrays(first), as_arrays(second)


@pytest.mark.parametrize("fn, arrays, grads", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_one_node_as_torch_records_it(fn, arrays, grads):
    ember_result = graph_and_gradients(ember, fn, arrays, grads)
    torch_result = graph_and_gradients(torch, fn, arrays, grads)
    assert ember_result[:2] == torch_result[:2]  # the node's name and next_functions
    np.testing.assert_allclose(ember_result[2], torch_result[2], rtol=1e-12, atol=1e-12)
    for ember_grads, torch_grads in zip(ember_result[3:], torch_result[3:]):
        assert len(ember_grads) == len(torch_grads)
        for ember_grad, torch_grad in zip(ember_grads, torch_grads):
            if torch_grad is None:
                assert ember_grad is None or not ember_grad.any()
            else:
                np.testing.assert_allclose(ember_grad, torch_grad, rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("dtype", ["float32", "float16"])
@pytest.mark.parametrize(
    "fn, arrays",
    [
        (lambda lib, x, t: F(lib).huber_loss(x, t), [X, T]),
        (lambda lib, x, t: F(lib).smooth_l1_loss(x, t, beta=0.5), [X, T]),
        (lambda lib, p, q: F(lib).binary_cross_entropy(p, q), [P, Q]),
        (lambda lib, x, q: F(lib).binary_cross_entropy_with_logits(x, q), [X, Q]),
        (lambda lib, x: x.repeat(2, 1), [X]),
        (lambda lib, x: x.clamp_min(0.25), [X]),
    ],
    ids=["huber", "smooth_l1", "bce", "bce_with_logits", "repeat", "clamp_min"],
)
def test_lower_precision_values_and_gradients(fn, arrays, dtype):
    """float32 and float16: the result's dtype, its value and the first input's gradient."""
    results = []
    for lib in (ember, torch):
        inputs = [lib.tensor(array.astype(dtype)) for array in arrays]
        inputs[0].requires_grad_()
        out = fn(lib, *inputs)
        out.sum().backward()
        results.append(
            (str(out.dtype).split(".")[-1], out.detach().numpy(), inputs[0].grad.numpy())
        )
    (ember_dtype, *ember_arrays), (torch_dtype, *torch_arrays) = results
    assert ember_dtype == torch_dtype == dtype
    tolerance = 1e-5 if dtype == "float32" else 2e-3
    for ember_array, torch_array in zip(ember_arrays, torch_arrays):
        np.testing.assert_allclose(ember_array, torch_array, rtol=tolerance, atol=tolerance)


# A value the node saved and that was changed in place before backward: both refuse.
CHANGED_AFTER_SAVE = {
    "huber_target": lambda lib, x, t, w: F(lib).huber_loss(x, t),
    "smooth_l1_target": lambda lib, x, t, w: F(lib).smooth_l1_loss(x, t),
    "bce_target": lambda lib, x, t, w: F(lib).binary_cross_entropy(x.sigmoid(), t),
    "bce_weight": lambda lib, x, t, w: F(lib).binary_cross_entropy(x.sigmoid(), t, weight=t + w),
    "bce_with_logits_target": lambda lib, x, t, w: F(lib).binary_cross_entropy_with_logits(x, t),
    "bce_with_logits_weight": lambda lib, x, t, w: F(lib).binary_cross_entropy_with_logits(
        x, t * 0.5, weight=w
    ),
}


@pytest.mark.parametrize("case", list(CHANGED_AFTER_SAVE))
def test_changing_a_saved_value_in_place_is_refused(case):
    for lib in (torch, ember):
        x = lib.tensor(X, requires_grad=True)
        t, w = lib.tensor(Q), lib.tensor(W)
        loss = CHANGED_AFTER_SAVE[case](lib, x, t, w)
        t.mul_(0.5)
        w.mul_(0.5)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            loss.sum().backward()


def test_repeat_and_clamp_min_refusals_match_torch():
    for fn in (
        lambda lib, x: x.repeat(),
        lambda lib, x: x.repeat(-1, 2),
        lambda lib, x: x.clamp_min(None),
        lambda lib, x: x.clamp_max(None),
    ):
        kinds = []
        for lib in (torch, ember):
            with pytest.raises((TypeError, RuntimeError)) as caught:
                fn(lib, lib.ones(2))
            kinds.append(caught.type)
        assert kinds[0] is kinds[1]


def test_masked_fill_casts_the_value_to_the_input_dtype_as_torch_does():
    mask = np.array([True, False])
    for array, value in [
        (np.array([1, 2], np.uint8), -1),
        (np.array([1, 2], np.uint8), 2.5),
        (np.array([1, 2]), 1.7),
        (np.array([True, True]), 0.5),
        (np.array([1.0, 2.0], np.float16), np.array(1 / 3)),
    ]:
        results = []
        for lib in (ember, torch):
            filler = lib.tensor(value) if isinstance(value, np.ndarray) else value
            out = masked_fill(lib, lib.tensor(array), lib.tensor(mask), filler)
            results.append((str(out.dtype).split(".")[-1], out.tolist()))
        assert results[0] == results[1]
