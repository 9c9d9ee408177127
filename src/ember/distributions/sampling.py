"""Draws from categorical probabilities, vectorised with NumPy, from ember's generator.

The probabilities come to the host as float64 rows that sum to 1, so one comparison
against cumulative sums (Categorical) or one call to NumPy's multinomial sampler
(Multinomial) draws every sample of every batch at once, and ``ember.manual_seed``
repeats them.
"""

from .. import backend, random

np = backend.cpu_namespace


def host_probabilities(probs):
    """``probs`` as a float64 NumPy array whose last dim sums to 1, after PyTorch's checks
    (RuntimeErrors): they matter only when ``validate_args=False`` let bad ones through."""
    rows = np.asarray(probs.detach().cpu().numpy(), dtype=np.float64)
    if not (np.isfinite(rows) & (rows >= 0)).all():
        raise RuntimeError("cannot sample: the probabilities contain inf, nan or a negative number")
    totals = rows.sum(-1, keepdims=True)
    if not (totals > 0).all():
        raise RuntimeError("cannot sample: some row of probabilities sums to 0")
    return rows / totals


def refuse_no_draws(count, name):
    """PyTorch refuses to draw no samples (``sample((0,))``, a total_count of 0)."""
    if count <= 0:
        raise RuntimeError(
            f"{name}.sample: cannot draw {count} samples per distribution; ask for at least one"
        )


def draw_categories(probs, count):
    """``count`` class indices (int64) from each row of ``probs`` (shape batch + (k,)), in
    an array of shape (count,) + batch.

    Inverse-CDF sampling: a uniform draw u picks the first class whose cumulative
    probability exceeds u. Dividing by the last cumulative sum makes it exactly 1, so u < 1
    never runs past the last class, and a class of probability 0 is never picked.
    """
    cumulative = np.cumsum(probs, axis=-1)
    cumulative /= cumulative[..., -1:]
    uniforms = _numpy_generator().random((count,) + probs.shape[:-1])
    return (cumulative <= uniforms[..., None]).sum(-1, dtype=np.int64)


def draw_counts(probs, total_count, shape):
    """How often each class comes up in ``total_count`` draws from each row of ``probs``,
    for a sample of ``shape`` (sample dims then batch dims): shape + (k,), int64."""
    return _numpy_generator().multinomial(total_count, probs, size=tuple(shape))


def _numpy_generator():
    """The NumPy generator behind ember's default generator, looked up at each draw:
    ``manual_seed`` replaces it."""
    return random.default_generator.bit_generator
