"""The base of every distribution: its shapes, and the checks on what log_prob is given."""

from ..autograd.grad_mode import no_grad
from ..size import Size
from ..tensor import Tensor


class Distribution:
    """``batch_shape`` independent distributions, each drawing events of ``event_shape``.

    A subclass draws samples and computes log_prob and the moments; this base keeps the
    shapes, the ``validate_args`` switch, and the checks on the values given to log_prob.
    """

    has_rsample = False
    _validate_args = True  # PyTorch checks arguments unless told not to
    _parameter_names = ()  # the parameters repr lists, once the instance holds them

    @staticmethod
    def set_default_validate_args(value):
        if value not in (True, False):
            raise ValueError(f"set_default_validate_args takes True or False, got {value!r}")
        Distribution._validate_args = value

    def __init__(self, batch_shape=(), event_shape=(), validate_args=None):
        self._batch_shape = Size(batch_shape)
        self._event_shape = Size(event_shape)
        if validate_args is not None:
            self._validate_args = validate_args
        if self._validate_args:
            with no_grad():
                self._check_parameters()

    @property
    def batch_shape(self):
        return self._batch_shape

    @property
    def event_shape(self):
        return self._event_shape

    def _check_parameters(self):
        """Raise a ValueError for parameters outside the family; a subclass says which."""

    def _extended_shape(self, sample_shape=()):
        """The shape of ``sample(sample_shape)``: sample, then batch, then event dims."""
        return Size(sample_shape) + self._batch_shape + self._event_shape

    def sample(self, sample_shape=()):
        with no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape=()):
        raise NotImplementedError(
            f"{type(self).__name__} has no reparameterized sample (rsample); use sample()"
        )

    def log_prob(self, value):
        raise NotImplementedError(f"{type(self).__name__} does not define log_prob")

    def entropy(self):
        raise NotImplementedError(f"{type(self).__name__} does not define entropy")

    @property
    def mean(self):
        raise NotImplementedError(f"{type(self).__name__} does not define mean")

    @property
    def variance(self):
        raise NotImplementedError(f"{type(self).__name__} does not define variance")

    @property
    def mode(self):
        raise NotImplementedError(f"{type(self).__name__} does not define mode")

    @property
    def stddev(self):
        return self.variance.sqrt()

    def _validate_sample(self, value):
        """PyTorch's checks on log_prob's value, each a ValueError: a tensor, of a shape
        that fits the distribution's, with every value in the support."""
        if not isinstance(value, Tensor):
            raise ValueError(f"log_prob takes a Tensor as its value, got {type(value).__name__}")
        self._check_sample_shape(value.shape)
        with no_grad():
            inside = bool(self._in_support(value).all())
        if not inside:
            raise ValueError(
                f"{type(self).__name__}.log_prob: every value must be {self._support_words()}; "
                f"got {value}"
            )

    def _check_sample_shape(self, shape):
        """The last dims are the event's, and the whole broadcasts with batch and event."""
        event_dims = len(self._event_shape)
        if shape[len(shape) - event_dims :] != self._event_shape:
            raise ValueError(
                f"{type(self).__name__}.log_prob: the last dims of the value {shape} must "
                f"be the event shape {self._event_shape}"
            )
        expected = self._batch_shape + self._event_shape
        for given, wanted in zip(reversed(shape), reversed(expected)):
            if given != 1 and wanted != 1 and given != wanted:
                raise ValueError(
                    f"{type(self).__name__}.log_prob: a value of shape {shape} does not "
                    f"broadcast with the batch and event shape {expected}"
                )

    def _in_support(self, value):
        """Which values the distribution can draw (a bool tensor); a subclass says."""
        raise NotImplementedError(f"{type(self).__name__} does not define its support")

    def _support_words(self):
        return "in the support"

    def __repr__(self):
        held = [name for name in self._parameter_names if name in vars(self)]
        described = ", ".join(f"{name}: {_described(vars(self)[name])}" for name in held)
        return f"{type(self).__name__}({described})"


def _described(parameter):
    """A one-element parameter by its value, a larger one by its size (PyTorch's repr)."""
    return parameter if parameter.numel() == 1 else parameter.size()
