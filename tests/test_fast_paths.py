"""Faster NumPy forms that some ops take, checked bit for bit against torch on the
inputs that tell forms apart (-0., NaN, infinities, every layout), and counted, as the
speed they buy is not a timed test:

- clamp and relu of large float arrays go through NumPy's clip (backend.clamped), 2-3x
  faster than maximum and minimum with a number;
- ``x[mask]`` and its gradient go through compress and a fancy-index add
  (backend.masked_values, backend.scatter_add), 4x and 9x faster than NumPy's boolean
  index and add.at."""

import numpy as np
import pytest
import torch

import ember
from ember import backend

SPECIAL = [-0.0, 0.0, np.nan, np.inf, -np.inf, -1.0, 1.0, 0.5, -0.5, 2.5, -2.5, 1e-40, -1e-40]
BOUNDS = [
    (0, None),
    (None, 0),
    (0.0, None),
    (-0.0, None),
    (None, -0.0),
    (-0.5, 0.5),
    (1.0, -1.0),  # crossed: max wins everywhere
    (0.0, 0.0),
    (-0.0, 0.0),
    (float("nan"), None),
    (None, float("nan")),
    (-float("inf"), float("inf")),
    (-2, 1),
]


def values(count, dtype):
    rng = np.random.default_rng(count)
    array = rng.standard_normal(count).astype(dtype)
    array[: len(SPECIAL) * 40] = np.tile(np.array(SPECIAL, dtype=dtype), 40)
    return array[rng.permutation(count)]


def layouts(dtype):
    """Arrays of CLIP_FROM and more elements: contiguous, transposed and stepped."""
    count = backend.CLIP_FROM + 104
    yield "contiguous", values(count, dtype)
    yield "transposed", values(64 * 80, dtype).reshape(64, 80).T
    yield "stepped", values(2 * count, dtype)[::2]


def same_bits(mine, theirs, label=""):
    mine, theirs = mine.detach().numpy(), theirs.detach().numpy()
    assert mine.dtype == theirs.dtype and mine.shape == theirs.shape, label
    np.testing.assert_array_equal(mine, theirs, err_msg=label)  # NaN equals NaN here
    np.testing.assert_array_equal(np.signbit(mine), np.signbit(theirs), err_msg=label)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("low, high", BOUNDS, ids=str)
def test_clamp_of_a_large_array_is_torchs_bit_for_bit(dtype, low, high):
    for layout, array in layouts(dtype):
        mine = ember.clamp(ember.from_numpy(array), low, high)
        theirs = torch.clamp(torch.from_numpy(array), low, high)
        same_bits(mine, theirs, layout)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_relu_clamp_min_and_clamp_max_of_a_large_array_are_torchs(dtype):
    for layout, array in layouts(dtype):
        mine, theirs = ember.from_numpy(array), torch.from_numpy(array)
        same_bits(ember.relu(mine), torch.relu(theirs), layout)
        same_bits(mine.clamp_min(-0.0), theirs.clamp_min(-0.0), layout)
        same_bits(mine.clamp_max(0.0), theirs.clamp_max(0.0), layout)


@pytest.mark.parametrize("low, high", [(0.0, None), (-0.5, 0.5), (1.0, -1.0)], ids=str)
def test_gradients_and_the_in_place_form_through_clip_are_torchs(low, high):
    array = values(backend.CLIP_FROM + 7, "float32")
    grad = values(backend.CLIP_FROM + 7, "float32")[::-1].copy()
    results = []
    for library in (ember, torch):
        x = library.tensor(array, requires_grad=True)
        y = x.clamp(low, high)
        y.backward(library.tensor(grad))
        in_place = library.tensor(array)
        in_place.clamp_(low, high)
        results.append((y, x.grad, in_place))
    for mine, theirs in zip(*results):
        same_bits(mine, theirs)


def test_large_contiguous_float_arrays_take_clip_and_others_do_not(monkeypatch):
    """The fast path is a speed promise: its calls are counted here, as timings are not
    tested."""
    if not backend._clip_keeps_signed_zeros("f"):
        pytest.skip("this NumPy's clip returns the bound at ties of signed zeros: not used")
    clips = []
    real_clip = np.clip
    monkeypatch.setattr(np, "clip", lambda *args: clips.append(args[0].size) or real_clip(*args))
    big = np.ones(backend.CLIP_FROM, np.float32)
    backend.clamped(big, 0, None)
    backend.clamped(big.astype(np.float64), -1.0, 1.0)
    backend.clamped(big[:-1], 0, None)  # too small: maximum is faster there
    backend.clamped(big.astype(np.float16), 0, None)  # float16's clip is slower
    backend.clamped(big, np.zeros_like(big), None)  # an array bound: maximum is vectorized
    backend.clamped(np.ones(2 * backend.CLIP_FROM, np.float32)[::2], 0, None)  # not contiguous
    assert clips == [backend.CLIP_FROM, backend.CLIP_FROM]


def test_a_clip_that_returns_the_bound_at_signed_zeros_is_not_used(monkeypatch):
    """NumPy 1.26's clip returned the bound where x is -0. and the bound 0.: the probe
    finds such a clip, and clamp keeps -0. through maximum instead."""

    def clip_to_the_bound(array, low, high):
        low_wins = (array < low) | ((array == low) & (np.signbit(array) != np.signbit(low)))
        raised = np.where(low_wins & ~np.isnan(array), array.dtype.type(low), array)
        high_wins = (raised > high) | ((raised == high) & (np.signbit(raised) != np.signbit(high)))
        return np.where(high_wins & ~np.isnan(raised), raised.dtype.type(high), raised)

    backend._clip_keeps_signed_zeros.cache_clear()
    monkeypatch.setattr(np, "clip", clip_to_the_bound)
    try:
        assert not backend._clip_keeps_signed_zeros("f")
        x = np.full(backend.CLIP_FROM, -0.0, np.float32)
        assert np.signbit(backend.clamped(x, 0.0, None)).all()
    finally:
        backend._clip_keeps_signed_zeros.cache_clear()


MASK_CASES = [((6, 5), 2), ((6, 5), 1), ((3, 4, 5), 2), ((3, 4, 5), 3), ((0, 3), 1), ((64, 80), 2)]


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("shape, mask_dims", MASK_CASES, ids=str)
@pytest.mark.parametrize("layout", ["contiguous", "transposed"])
def test_a_mask_index_and_its_gradient_are_torchs_bit_for_bit(dtype, shape, mask_dims, layout):
    rng = np.random.default_rng(len(shape) * 10 + mask_dims)
    array = rng.standard_normal(shape).astype(dtype)
    array.reshape(-1)[:3] = [-0.0, np.nan, 0.0][: array.size]
    if layout == "transposed":
        array = np.ascontiguousarray(array.T).T
    for mask in (rng.random(shape[:mask_dims]) > 0.5, np.zeros(shape[:mask_dims], bool)):
        grad = -np.abs(rng.standard_normal((int(mask.sum()), *shape[mask_dims:])))
        grad = grad.astype(dtype)
        grad.reshape(-1)[:1] = -0.0  # add.at gave +0 here (0 + -0.), as PyTorch does
        results = []
        for library in (ember, torch):
            x = library.tensor(array, requires_grad=True)
            picked = x[library.tensor(mask)]
            picked.backward(library.tensor(grad))
            results.append((picked, x.grad))
        for mine, theirs in zip(*results):
            same_bits(mine, theirs, f"{layout}, {int(mask.sum())} picked")


def test_index_put_with_a_mask_adds_as_torch_does():
    x = np.arange(12.0).reshape(3, 4)
    mask = x % 3 == 0
    results = []
    for library in (ember, torch):
        target = library.tensor(x)
        values = library.tensor([-0.0, 1.0, 2.0, 3.0], dtype=target.dtype)
        target.index_put_((library.tensor(mask),), values, accumulate=True)
        target[0, 0] = 0.0
        target.index_put_((library.tensor(mask),), -values, accumulate=True)
        results.append(target)
    same_bits(*results)


def test_a_mask_index_and_its_gradient_take_compress_and_a_fancy_add(monkeypatch):
    calls = []
    real_compress = np.compress
    monkeypatch.setattr(
        np, "compress", lambda *a, **k: calls.append("compress") or real_compress(*a, **k)
    )
    x = ember.tensor(np.ones((5, 4), np.float32), requires_grad=True)
    x[x > 0].sum().backward()
    x[(x > 0)[:, 0]].sum().backward()
    assert calls == ["compress", "compress"]
    assert np.array_equal(x.grad.numpy(), np.full((5, 4), 2.0, np.float32))


def test_a_mask_among_other_index_items_is_not_taken_for_a_lone_mask():
    # the gradient of the written values (GetItem of the whole index) read the mask alone
    results = []
    for library in (ember, torch):
        x = library.ones((1, 3, 1), requires_grad=True)
        values = library.ones(2, requires_grad=True)
        y = x * 1
        y[library.tensor([True]), [0, 1], 0] = values * 2
        (y * y).sum().backward()
        results += [values.grad, x.grad]
    for mine, theirs in zip(results[:2], results[2:]):
        same_bits(mine, theirs)
