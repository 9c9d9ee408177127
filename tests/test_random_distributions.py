"""Random Categorical and Multinomial distributions (the ninth pass), beside torch's.

Each scenario draws a family (Categorical, or Multinomial with a total count of 0 to 5 or
the default), its parameter given as probabilities or as logits, in float32 or float64,
with a batch shape of up to two dims (sizes 0 to 3) over 1 to 4 classes; probabilities
with exact zeros, rows of zeros only, negative or NaN entries now and then; logits with
-inf, large values and NaN now and then; ``validate_args`` True, False or left alone; and
a parameter that requires grad or not. It then compares, as each is asked for: the error
type at construction; probs, logits, mean, variance, stddev, mode and entropy (values,
dtypes, shapes, or the error type); batch, event and param shapes; the repr; the shape,
dtype and support of a sample; log_prob of values drawn in and out of the support, which
broadcast with the batch or not (values or the error type); and the gradient of log_prob
and entropy to the parameter.

Draws come from each library's own generator, so samples are compared by shape, dtype
and support, not by value. ``EMBER_RANDOM_SCENARIOS=3000`` runs more than the suite's
default.
"""

import math
import os

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import builtin_base, random_settings
from test_random_programs_seventh import one_of, usually

import ember

EXAMPLES = int(os.environ.get("EMBER_RANDOM_SCENARIOS", "150"))


def draw_parameter(draw, given_as):
    batch = tuple(draw(st.lists(st.integers(0, 3), max_size=2)))
    classes = draw(st.integers(1, 4))
    shape = batch + (classes,)
    dtype = one_of(draw, ("float32", "float64"))
    seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    if given_as == "probs":
        values = rng.uniform(0, 3, shape)
        values[rng.random(shape) < 0.25] = 0.0
        if values.size and not usually(draw, 8):
            values.reshape(-1, classes)[0] = 0.0  # a row that sums to 0
        if values.size and not usually(draw, 12):
            values.flat[0] = one_of(draw, (-0.5, math.nan, math.inf))
    else:
        values = rng.normal(0, 3, shape)
        if values.size and not usually(draw, 4):
            values.flat[rng.integers(values.size)] = -math.inf
        if values.size and not usually(draw, 10):
            values.flat[0] = one_of(draw, (math.nan, math.inf, 1e30))
    return values.astype(dtype)


@st.composite
def scenarios(draw):
    family = one_of(draw, ("Categorical", "Multinomial"))
    given_as = one_of(draw, ("probs", "logits"))
    values = draw_parameter(draw, given_as)
    options = {given_as: values}
    if values.size == 0:
        # PyTorch's check of logits fails on an empty batch, reshaping 0 elements to [0, -1],
        # and a Multinomial always checks its own (in docs/differences.md): empty batches are
        # drawn for Categorical only, and for its logits without validation
        if given_as == "logits":
            options["validate_args"] = False
        categorical = "Categorical", options
        return *categorical, usually(draw, 2), draw_actions(draw), draw(st.integers(0, 2**31))
    if family == "Multinomial" and usually(draw, 4):
        options["total_count"] = draw(st.integers(0, 5))
    validate = one_of(draw, (None, None, True, False))
    if validate is not None:
        options["validate_args"] = validate
    requires_grad = usually(draw, 2)
    return family, options, requires_grad, draw_actions(draw), draw(st.integers(0, 2**31))


def draw_actions(draw):
    return draw(st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=5))


def build(lib, family, options, requires_grad):
    arguments = dict(options)
    for name in ("probs", "logits"):
        if name in arguments:
            parameter = lib.tensor(arguments[name], requires_grad=requires_grad)
            arguments[name] = parameter
    return getattr(lib.distributions, family)(**arguments), parameter


def outcome(call):
    """What a call gives, or the builtin base of the exception type it raises."""
    try:
        return call(), None
    except Exception as caught:  # noqa: BLE001 - the type is what is compared
        return None, builtin_base(type(caught))


def assert_same_value(ember_value, torch_value, where, atol=1e-5):
    if isinstance(torch_value, torch.Tensor):
        assert isinstance(ember_value, ember.Tensor), where
        assert tuple(ember_value.shape) == tuple(torch_value.shape), where
        assert ember_value.dtype.name == str(torch_value.dtype).replace("torch.", ""), where
        np.testing.assert_allclose(
            ember_value.detach().numpy().astype(np.float64),
            torch_value.detach().numpy().astype(np.float64),
            rtol=1e-5,
            atol=atol,
            err_msg=where,
        )
    elif isinstance(torch_value, torch.Size):
        assert tuple(ember_value) == tuple(torch_value), where
    else:
        assert ember_value == torch_value, where


def compare(ember_call, torch_call, where, atol=1e-5):
    torch_value, torch_error = outcome(torch_call)
    ember_value, ember_error = outcome(ember_call)
    assert ember_error == torch_error, f"{where}: ember {ember_error}, torch {torch_error}"
    if torch_error is None:
        assert_same_value(ember_value, torch_value, where, atol)
    return ember_value, torch_value


# Each action takes (dist, rng) for one library and returns what the user sees.
def _values_in_support(dist, rng, lib):
    """Values drawn with NumPy (the same in both libraries) in the support, mostly."""
    batch = tuple(dist.batch_shape)
    shape = batch if rng.random() < 0.7 else batch[1:]  # broadcasting from fewer dims
    if isinstance(dist, (ember.distributions.Categorical, torch.distributions.Categorical)):
        classes = dist.param_shape[-1]
        values = rng.integers(0, classes, shape)
        if rng.random() < 0.15 and values.size:
            values.flat[0] = one_of_numpy(rng, (classes, -1))
        return lib.tensor(values)
    classes, total = dist.event_shape[0], int(dist.total_count)
    counts = rng.multinomial(total, np.full(classes, 1 / classes), shape).astype(np.float32)
    if rng.random() < 0.15 and counts.size:
        counts.flat[0] += one_of_numpy(rng, (1.0, 0.5, -1.0))
    if rng.random() < 0.1:
        counts = counts[..., :-1]  # a wrong number of classes
    return lib.tensor(counts)


def one_of_numpy(rng, options):
    return options[rng.integers(len(options))]


ACTIONS = (
    "probs",
    "logits",
    "mean",
    "variance",
    "stddev",
    "mode",
    "entropy",
    "shapes",
    "repr",
    "sample",
    "log_prob",
)


def run_action(action, dists, seed):
    ember_dist, torch_dist = dists
    where = action
    if action in ("probs", "logits", "mean", "variance", "stddev", "mode"):
        compare(lambda: getattr(ember_dist, action), lambda: getattr(torch_dist, action), where)
    elif action == "entropy":
        # A Multinomial's entropy is n H(p) - log n! plus terms of about log n! that cancel
        # it: float32's roundings (and PyTorch's float32 lgamma, less accurate than ember's)
        # leave up to about 1e-4 of the terms' size (against the float64 values, ember is
        # the closer)
        atol = 1e-4 if torch_dist.probs.dtype == torch.float32 else 1e-7
        compare(ember_dist.entropy, torch_dist.entropy, where, atol)
    elif action == "shapes":
        for name in ("batch_shape", "event_shape", "param_shape"):
            ember_shape, torch_shape = getattr(ember_dist, name), getattr(torch_dist, name)
            assert tuple(ember_shape) == tuple(torch_shape), name
    elif action == "repr":
        assert repr(ember_dist).replace("ember.", "torch.") == repr(torch_dist)
    elif action == "sample":
        sample_shape = tuple(np.random.default_rng(seed).integers(0, 3, seed % 3))
        ember_sample, torch_sample = compare(
            lambda: tuple(ember_dist.sample(sample_shape).shape),
            lambda: tuple(torch_dist.sample(sample_shape).shape),
            where,
        )
        if ember_sample is not None and torch_dist.probs.isfinite().all():
            drawn = ember_dist.sample(sample_shape)
            assert drawn.dtype.name == str(torch_dist.sample(sample_shape).dtype)[6:]
            assert not drawn.requires_grad
    elif action == "log_prob":
        ember_value = _values_in_support(ember_dist, np.random.default_rng(seed), ember)
        torch_value = _values_in_support(torch_dist, np.random.default_rng(seed), torch)
        compare(
            lambda: ember_dist.log_prob(ember_value),
            lambda: torch_dist.log_prob(torch_value),
            where,
        )


def gradients(dists, parameters, seed):
    """log_prob of values in the support plus the entropy, differentiated."""
    results = []
    for dist, parameter, lib in zip(dists, parameters, (ember, torch)):
        rng = np.random.default_rng(seed)
        try:
            value = _values_in_support(dist, rng, lib)
            loss = dist.log_prob(value).sum() + dist.entropy().sum()
            (grad,) = lib.autograd.grad(loss, parameter, allow_unused=True)
        except Exception as caught:  # noqa: BLE001
            results.append(builtin_base(type(caught)))
            continue
        results.append(None if grad is None else grad.detach().numpy().astype(np.float64))
    ember_grad, torch_grad = results
    if not isinstance(torch_grad, np.ndarray) or not isinstance(ember_grad, np.ndarray):
        assert type(ember_grad) is type(torch_grad) and not isinstance(torch_grad, np.ndarray)
        assert ember_grad == torch_grad, f"gradient: ember {ember_grad}, torch {torch_grad}"
    else:
        np.testing.assert_allclose(ember_grad, torch_grad, rtol=1e-4, atol=1e-5)


@random_settings(EXAMPLES)
@given(scenarios())
def test_random_distributions_match_torch(scenario):
    family, options, requires_grad, actions, seed = scenario
    torch_made, torch_error = outcome(lambda: build(torch, family, options, requires_grad))
    ember_made, ember_error = outcome(lambda: build(ember, family, options, requires_grad))
    assert ember_error == torch_error, f"construction: ember {ember_error}, torch {torch_error}"
    if torch_error is not None:
        return
    dists = ember_made[0], torch_made[0]
    for number, action in enumerate(actions):
        run_action(action, dists, seed + number)
    if requires_grad:
        gradients(dists, (ember_made[1], torch_made[1]), seed)


# What this pass found, pinned --------------------------------------------------------


def test_multinomial_entropy_is_torchs():
    for total_count, probs in ((0, [1.0, 2.0]), (3, [[1.0, 2.0, 3.0], [0.0, 1.0, 1.0]])):
        seen = []
        for lib in (ember, torch):
            parameter = lib.tensor(probs, requires_grad=True)
            entropy = lib.distributions.Multinomial(total_count, parameter).entropy()
            entropy.sum().backward()
            seen.append((entropy, parameter.grad.numpy()))
        (ember_entropy, ember_grad), (torch_entropy, torch_grad) = seen
        assert_same_value(ember_entropy, torch_entropy, "entropy")
        np.testing.assert_allclose(ember_grad, torch_grad, atol=1e-6)


def test_log_prob_of_an_empty_batch_checks_no_index():
    for lib in (ember, torch):
        dist = lib.distributions.Categorical(logits=lib.zeros(0, 1), validate_args=False)
        assert tuple(dist.log_prob(lib.tensor([1])).shape) == (0,)


def test_a_refused_sample_still_keeps_the_probabilities():
    reprs = []
    for lib in (ember, torch):
        dist = lib.distributions.Categorical(logits=lib.tensor([0.5, 1.0]))
        try:
            dist.sample((0,))
        except RuntimeError:
            reprs.append(repr(dist).replace("ember.", "torch."))
    assert len(reprs) == 2 and reprs[0] == reprs[1] and "probs" in reprs[0]


def test_unvalidated_counts_broadcast_across_the_classes_before_they_are_summed():
    # log n! was taken of the counts' own sum (0.5 here), not of the stretched ones' (1.0).
    scores = [
        lib.distributions.Multinomial(1, lib.tensor([0.0, 2.85]), validate_args=False).log_prob(
            lib.tensor([0.5])
        )
        for lib in (ember, torch)
    ]
    assert_same_value(*scores, "log_prob")
