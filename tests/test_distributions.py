"""ember.distributions against torch.distributions: Categorical and Multinomial.

Parameters, moments, log_prob (values and gradients), shapes, dtypes, repr and errors
are compared with torch. Draws come from ember's own generator, so their statistics are
tested, not their values.
"""

import math

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error

import ember

FAIR = np.full(6, 1 / 6, dtype=np.float32)
ROWS = np.array([[1.0, 2.0, 3.0], [3.0, 3.0, 3.0]], dtype=np.float32)
WITH_ZERO = np.array([0.0, 1.0, 2.0], dtype=np.float32)
LOGITS = np.array([[0.5, -1.0, 2.0], [0.0, 0.0, 3.0]], dtype=np.float32)
LOGITS_WITH_MINUS_INF = np.array([0.3, -1.0, -math.inf], dtype=np.float32)


def categorical(p):
    return lambda t: t.distributions.Categorical(t.tensor(p))


def categorical_logits(p):
    return lambda t: t.distributions.Categorical(logits=t.tensor(p))


def multinomial(count, p):
    return lambda t: t.distributions.Multinomial(count, t.tensor(p))


def multinomial_logits(count, p):
    return lambda t: t.distributions.Multinomial(count, logits=t.tensor(p))


# (name, make): make(lib) builds a distribution; what it reports must equal torch's.
DISTRIBUTIONS = [
    ("categorical_fair", categorical(FAIR)),
    ("categorical_unnormalised_batch", categorical(ROWS)),
    ("categorical_integer_weights", categorical(np.array([1, 2]))),
    ("categorical_zero_probability", categorical(WITH_ZERO)),
    ("categorical_float64", categorical(ROWS.astype(np.float64))),
    ("categorical_float16", categorical(ROWS.astype(np.float16))),
    ("categorical_one_class", categorical(np.ones((1, 1), np.float32))),
    ("categorical_3d_batch", categorical(np.ones((2, 3, 4), np.float32))),
    ("categorical_logits", categorical_logits(LOGITS)),
    ("categorical_logits_minus_inf", categorical_logits(LOGITS_WITH_MINUS_INF)),
    ("multinomial_fair", multinomial(10, FAIR)),
    ("multinomial_batch", multinomial(4, ROWS)),
    ("multinomial_float64", multinomial(3, ROWS.astype(np.float64))),
    ("multinomial_logits", multinomial_logits(4, LOGITS)),
    ("multinomial_zero_count", multinomial(0, FAIR)),
    ("multinomial_default_count", lambda t: t.distributions.Multinomial(probs=t.tensor(ROWS))),
]

SHAPES = ("batch_shape", "event_shape", "param_shape")
TENSORS = ("probs", "logits", "mean", "variance", "stddev")


def _both(make):
    return make(ember), make(torch)


@pytest.mark.parametrize("name, make", DISTRIBUTIONS, ids=[n for n, _ in DISTRIBUTIONS])
def test_parameters_shapes_and_moments_match_torch(name, make):
    mine, theirs = _both(make)
    for attribute in SHAPES:
        assert tuple(getattr(mine, attribute)) == tuple(getattr(theirs, attribute)), attribute
        assert type(getattr(mine, attribute)) is ember.Size
    for attribute in TENSORS:
        assert_same(getattr(mine, attribute), getattr(theirs, attribute), atol=1e-3)
    if isinstance(theirs, torch.distributions.Categorical):
        assert_same(mine.entropy(), theirs.entropy(), atol=1e-3)
        assert_same(mine.mode, theirs.mode)
    else:
        assert mine.total_count == theirs.total_count


@pytest.mark.parametrize("name, make", DISTRIBUTIONS, ids=[n for n, _ in DISTRIBUTIONS])
def test_repr_matches_torch_before_and_after_the_other_parameter_is_computed(name, make):
    mine, theirs = _both(make)
    assert repr(mine) == repr(theirs).replace("torch.", "ember.")
    mine.probs, mine.logits, theirs.probs, theirs.logits  # computes the one not given
    assert repr(mine) == repr(theirs).replace("torch.", "ember.")


@pytest.mark.parametrize("name, make", DISTRIBUTIONS, ids=[n for n, _ in DISTRIBUTIONS])
@pytest.mark.parametrize("sample_shape", [(), (5,), [2, 3], torch.Size([4])])
def test_sample_shape_and_dtype_match_torch(name, make, sample_shape):
    mine, theirs = _both(make)
    try:
        expected = theirs.sample(sample_shape)
    except RuntimeError:  # torch refuses to draw nothing (a total_count of 0)
        with pytest.raises(RuntimeError):
            mine.sample(sample_shape)
        return
    drawn = mine.sample(sample_shape)
    assert tuple(drawn.shape) == tuple(expected.shape)
    assert drawn.dtype.name == str(expected.dtype).replace("torch.", "")
    assert not drawn.requires_grad


# (name, fn, parameter): fn(lib, parameter) is compared with torch, forward and gradient.
LOG_PROBS = [
    ("categorical", lambda t, p: t.distributions.Categorical(p).log_prob(t.tensor([0, 2])), ROWS),
    ("categorical_scalar", lambda t, p: t.distributions.Categorical(p).log_prob(t.tensor(1)), ROWS),
    (
        "categorical_float_index",
        lambda t, p: t.distributions.Categorical(p).log_prob(t.tensor(1.0)),
        ROWS[0],
    ),
    (
        "categorical_broadcast",
        lambda t, p: t.distributions.Categorical(p).log_prob(t.tensor([[0], [1], [2]])),
        ROWS,
    ),
    (
        "categorical_zero_probability",
        lambda t, p: t.distributions.Categorical(p).log_prob(t.tensor([0, 1, 2])),
        WITH_ZERO,
    ),
    (
        "categorical_logits",
        lambda t, p: t.distributions.Categorical(logits=p).log_prob(t.tensor([0, 2])),
        LOGITS,
    ),
    (
        "categorical_logits_minus_inf",
        lambda t, p: t.distributions.Categorical(logits=p).log_prob(t.tensor([0, 1])),
        LOGITS_WITH_MINUS_INF,
    ),
    (
        "categorical_truncates_without_validation",
        lambda t, p: t.distributions.Categorical(p, validate_args=False).log_prob(
            t.tensor([1.7, 0.2])
        ),
        ROWS[0],
    ),
    ("categorical_entropy", lambda t, p: t.distributions.Categorical(p).entropy(), ROWS),
    ("categorical_entropy_zero", lambda t, p: t.distributions.Categorical(p).entropy(), WITH_ZERO),
    (
        "categorical_entropy_logits",
        lambda t, p: t.distributions.Categorical(logits=p).entropy(),
        LOGITS_WITH_MINUS_INF,
    ),
    (
        "categorical_probs_of_logits",
        lambda t, p: t.distributions.Categorical(logits=p).probs,
        LOGITS,
    ),
    ("categorical_logits_of_probs", lambda t, p: t.distributions.Categorical(p).logits, ROWS),
    (
        "multinomial",
        lambda t, p: t.distributions.Multinomial(4, p).log_prob(t.tensor([1.0, 3.0])),
        ROWS[0, :2],
    ),
    (
        "multinomial_integer_counts",
        lambda t, p: t.distributions.Multinomial(4, p).log_prob(t.tensor([1, 3])),
        ROWS[0, :2],
    ),
    (
        "multinomial_float64_counts",
        lambda t, p: t.distributions.Multinomial(4, p).log_prob(
            t.tensor([1.0, 3.0], dtype=t.float64)
        ),
        ROWS[0, :2],
    ),
    (
        "multinomial_batch_broadcast",
        lambda t, p: t.distributions.Multinomial(4, p).log_prob(
            t.tensor([[[1.0, 3.0]], [[2.0, 2.0]], [[0.0, 4.0]]])
        ),
        ROWS[:, :2],
    ),
    (
        "multinomial_logits",
        lambda t, p: t.distributions.Multinomial(4, logits=p).log_prob(t.tensor([1.0, 3.0, 0.0])),
        LOGITS[0],
    ),
    (
        "multinomial_minus_inf_not_drawn",
        lambda t, p: t.distributions.Multinomial(4, logits=p).log_prob(t.tensor([1.0, 3.0, 0.0])),
        LOGITS_WITH_MINUS_INF,
    ),
    (
        "multinomial_minus_inf_drawn",
        lambda t, p: t.distributions.Multinomial(4, logits=p).log_prob(t.tensor([1.0, 2.0, 1.0])),
        LOGITS_WITH_MINUS_INF,
    ),
    (
        "multinomial_zero_probability",
        lambda t, p: t.distributions.Multinomial(3, p).log_prob(t.tensor([1.0, 2.0, 0.0])),
        WITH_ZERO[::-1].copy(),
    ),
    (
        "multinomial_fewer_than_total",
        lambda t, p: t.distributions.Multinomial(4, p).log_prob(t.tensor([1.5, 2.0])),
        ROWS[0, :2],
    ),
    (
        "multinomial_large_counts",
        lambda t, p: t.distributions.Multinomial(1000, p).log_prob(t.tensor([300.0, 700.0])),
        ROWS[0, :2],
    ),
    (
        "multinomial_negative_without_validation",
        lambda t, p: t.distributions.Multinomial(4, p, validate_args=False).log_prob(
            t.tensor([-1.0, 2.0])
        ),
        ROWS[0, :2],
    ),
    ("multinomial_mean", lambda t, p: t.distributions.Multinomial(4, p).mean, ROWS),
    ("multinomial_variance", lambda t, p: t.distributions.Multinomial(4, p).variance, ROWS),
]


@pytest.mark.parametrize("name, fn, parameter", LOG_PROBS, ids=[n for n, _, _ in LOG_PROBS])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_log_prob_and_its_gradient_match_torch(name, fn, parameter, dtype):
    check(fn, [parameter.astype(dtype)], atol=1e-4, rtol=1e-4)


def test_book_dice_counts_sum_to_the_tosses_and_estimates_approach_one_sixth():
    from ember.distributions import multinomial as module

    ember.manual_seed(0)
    fair_probs = ember.ones([6]) / 6
    one_toss = module.Multinomial(1, fair_probs).sample()
    assert one_toss.dtype is ember.float32 and one_toss.sum().item() == 1
    assert set(one_toss.tolist()) <= {0.0, 1.0}
    assert module.Multinomial(10, fair_probs).sample().sum().item() == 10
    counts = module.Multinomial(1000, fair_probs).sample()
    assert np.abs(counts.numpy() / 1000 - 1 / 6).max() < 0.05
    counts = module.Multinomial(10, fair_probs).sample((500,))
    assert counts.shape == (500, 6) and (counts.sum(dim=1) == 10).all()
    cum_counts = counts.cumsum(dim=0)
    estimates = cum_counts / cum_counts.sum(dim=1, keepdims=True)
    assert np.abs(estimates[-1].numpy() - 1 / 6).max() < 0.02


def _frequencies(draws, classes):
    return np.bincount(np.asarray(draws).ravel(), minlength=classes) / np.asarray(draws).size


@pytest.mark.parametrize("by", ["probs", "logits"])
def test_categorical_draws_follow_each_row_of_a_batch(by):
    ember.manual_seed(1)
    weights = np.array([[0.0, 1.0, 3.0, 6.0], [5.0, 0.0, 0.0, 5.0]], dtype=np.float32)
    given = weights if by == "probs" else np.log(weights)
    dist = ember.distributions.Categorical(**{by: ember.tensor(given)})
    draws = dist.sample((20000,)).numpy()
    expected = weights / weights.sum(-1, keepdims=True)
    for row in range(2):
        frequencies = _frequencies(draws[:, row], 4)
        assert np.abs(frequencies - expected[row]).max() < 0.015
        assert (frequencies[expected[row] == 0] == 0).all()  # never a class of probability 0


def test_multinomial_counts_sum_to_total_and_follow_each_row():
    ember.manual_seed(2)
    probs = np.array([[0.2, 0.3, 0.5], [0.0, 0.9, 0.1]], dtype=np.float64)
    counts = ember.distributions.Multinomial(50, ember.tensor(probs)).sample((4000,)).numpy()
    assert counts.dtype == np.float64 and counts.shape == (4000, 2, 3)
    assert (counts.sum(-1) == 50).all() and (counts >= 0).all()
    assert (counts == np.round(counts)).all() and (counts[:, 1, 0] == 0).all()
    np.testing.assert_allclose(counts.mean(0) / 50, probs, atol=0.01)
    np.testing.assert_allclose(counts.var(0), 50 * probs * (1 - probs), rtol=0.1, atol=0.01)


@pytest.mark.parametrize(
    "draw",
    [
        lambda: ember.distributions.Categorical(ember.tensor(ROWS)).sample((7,)),
        lambda: ember.distributions.Multinomial(9, ember.tensor(ROWS)).sample((7,)),
    ],
    ids=["categorical", "multinomial"],
)
def test_manual_seed_repeats_the_draws(draw):
    ember.manual_seed(123)
    first = draw()
    ember.manual_seed(123)
    assert ember.equal(draw(), first)
    assert not all(ember.equal(draw(), first) for _ in range(3))


def test_sampling_is_vectorised_not_a_python_loop_per_draw(monkeypatch):
    # ember's generator is asked once per sample() call, however many draws it makes.
    calls = []
    generator = ember.random.default_generator
    real = generator.bit_generator

    class Counting:
        def __getattr__(self, name):
            calls.append(name)
            return getattr(real, name)

    monkeypatch.setattr(generator, "bit_generator", Counting())
    ember.distributions.Categorical(ember.ones(3, 4)).sample((1000,))
    ember.distributions.Multinomial(100, ember.ones(3, 4)).sample((1000,))
    assert calls == ["random", "multinomial"]


def test_distributions_package_is_laid_out_as_torchs():
    assert ember.distributions.multinomial.Multinomial is ember.distributions.Multinomial
    assert ember.distributions.categorical.Categorical is ember.distributions.Categorical
    assert issubclass(ember.distributions.Multinomial, ember.distributions.Distribution)
    assert issubclass(
        ember.distributions.Categorical, ember.distributions.distribution.Distribution
    )
    assert ember.distributions.Multinomial(3, ember.ones(2)).has_rsample is False


def test_parameters_stay_differentiable_and_samples_do_not():
    logits = ember.tensor([0.1, 0.2, 0.7], requires_grad=True)
    dist = ember.distributions.Multinomial(5, logits=logits)
    assert dist.probs.requires_grad and not dist.sample().requires_grad
    made = ember.distributions.Categorical(logits=logits)
    with ember.no_grad():  # a parameter first computed under no_grad keeps its history
        probs = made.probs
    assert probs.requires_grad


# (name, fn): torch raises; ember raises the same type.
ERRORS = [
    ("both_probs_and_logits", lambda t: t.distributions.Categorical(t.ones(2), t.ones(2))),
    ("neither", lambda t: t.distributions.Categorical()),
    ("multinomial_both", lambda t: t.distributions.Multinomial(2, t.ones(2), t.ones(2))),
    ("multinomial_neither", lambda t: t.distributions.Multinomial(2)),
    ("negative_probs", lambda t: t.distributions.Categorical(t.tensor([-1.0, 2.0]))),
    ("zero_probs", lambda t: t.distributions.Categorical(t.tensor([0.0, 0.0]))),
    ("nan_probs", lambda t: t.distributions.Categorical(t.tensor([math.nan, 1.0]))),
    ("inf_probs", lambda t: t.distributions.Categorical(t.tensor([math.inf, 1.0]))),
    ("nan_logits", lambda t: t.distributions.Categorical(logits=t.tensor([math.nan, 1.0]))),
    ("inf_logits", lambda t: t.distributions.Categorical(logits=t.tensor([math.inf, 1.0]))),
    ("no_classes", lambda t: t.distributions.Categorical(t.ones(2, 0))),
    ("zero_dim_probs", lambda t: t.distributions.Categorical(t.tensor(1.0))),
    ("zero_dim_logits", lambda t: t.distributions.Categorical(logits=t.tensor(1.0))),
    ("multinomial_zero_dim", lambda t: t.distributions.Multinomial(3, t.tensor(1.0))),
    (
        "multinomial_negative_probs_even_without_validation",
        lambda t: t.distributions.Multinomial(3, t.tensor([-1.0, 2.0]), validate_args=False),
    ),
    ("multinomial_float_count", lambda t: t.distributions.Multinomial(10.0, t.ones(2))),
    ("multinomial_negative_count", lambda t: t.distributions.Multinomial(-1, t.ones(2))),
    ("multinomial_list_probs", lambda t: t.distributions.Multinomial(3, [0.5, 0.5])),
    ("multinomial_zero_count_sample", lambda t: t.distributions.Multinomial(0, t.ones(2)).sample()),
    ("sample_nothing", lambda t: t.distributions.Categorical(t.ones(2)).sample((0,))),
    ("sample_negative", lambda t: t.distributions.Categorical(t.ones(2)).sample((-1,))),
    ("sample_int_shape", lambda t: t.distributions.Categorical(t.ones(2)).sample(3)),
    (
        "sample_bad_probs_without_validation",
        lambda t: t.distributions.Categorical(t.tensor([-1.0, 2.0]), validate_args=False).sample(),
    ),
    ("rsample", lambda t: t.distributions.Categorical(t.ones(2)).rsample()),
    ("multinomial_mode", lambda t: t.distributions.Multinomial(2, t.ones(2)).mode),
    (
        "default_validate_not_bool",
        lambda t: t.distributions.Distribution.set_default_validate_args(3),
    ),
    ("log_prob_of_a_list", lambda t: t.distributions.Categorical(t.ones(3)).log_prob([1])),
    ("log_prob_of_an_int", lambda t: t.distributions.Categorical(t.ones(3)).log_prob(1)),
    ("index_too_large", lambda t: t.distributions.Categorical(t.ones(3)).log_prob(t.tensor(3))),
    ("index_negative", lambda t: t.distributions.Categorical(t.ones(3)).log_prob(t.tensor(-1))),
    (
        "index_too_large_without_validation",
        lambda t: t.distributions.Categorical(t.ones(3), validate_args=False).log_prob(
            t.tensor([0, 3])
        ),
    ),
    (
        "index_negative_without_validation",
        lambda t: t.distributions.Categorical(t.ones(2, 3), validate_args=False).log_prob(
            t.tensor(-1)
        ),
    ),
    (
        "index_not_whole",
        lambda t: t.distributions.Categorical(t.ones(3)).log_prob(t.tensor(1.5)),
    ),
    (
        "index_does_not_broadcast",
        lambda t: t.distributions.Categorical(t.ones(2, 2)).log_prob(t.tensor([1, 0, 1])),
    ),
    (
        "counts_over_total",
        lambda t: t.distributions.Multinomial(4, t.ones(2)).log_prob(t.tensor([3.0, 2.0])),
    ),
    (
        "counts_negative",
        lambda t: t.distributions.Multinomial(4, t.ones(2)).log_prob(t.tensor([-1.0, 2.0])),
    ),
    (
        "counts_wrong_event_size",
        lambda t: t.distributions.Multinomial(4, t.ones(2)).log_prob(t.tensor([1.0, 2.0, 1.0])),
    ),
    (
        "counts_zero_dim",
        lambda t: t.distributions.Multinomial(4, t.ones(2)).log_prob(t.tensor(1.0)),
    ),
    (
        "counts_do_not_broadcast",
        lambda t: t.distributions.Multinomial(4, t.ones(2, 2)).log_prob(t.ones(3, 2)),
    ),
]


@pytest.mark.parametrize("name, fn", ERRORS, ids=[n for n, _ in ERRORS])
def test_errors_have_torchs_type(name, fn):
    caught = check_error(fn)
    assert str(caught)  # a message that says what was wrong


def test_validate_args_false_skips_the_checks_on_values_and_the_default_can_change():
    dist = ember.distributions.Multinomial(4, ember.ones(2), validate_args=False)
    assert math.isfinite(dist.log_prob(ember.tensor([3.0, 2.0])).item())
    ember.distributions.Distribution.set_default_validate_args(False)
    try:
        assert ember.distributions.Categorical(ember.tensor([-1.0, 2.0])).probs[0].item() == -1
    finally:
        ember.distributions.Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError):
        ember.distributions.Categorical(ember.tensor([-1.0, 2.0]))


def test_multinomial_validate_args_true_checks_its_probs_when_the_default_is_off():
    """The Categorical inside follows the default; PyTorch's Multinomial checks again."""
    for lib in (ember, torch):
        distributions = lib.distributions
        distributions.Distribution.set_default_validate_args(False)
        try:
            for probs in ([-0.5, 1.5], [0.0, 0.0]):
                with pytest.raises(ValueError):
                    distributions.Multinomial(2, lib.tensor(probs), validate_args=True)
            distributions.Multinomial(2, lib.tensor([-0.5, 1.5]))  # unchecked by default
        finally:
            distributions.Distribution.set_default_validate_args(True)
