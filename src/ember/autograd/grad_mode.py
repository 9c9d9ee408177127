"""Whether ops record the graph: ``no_grad``, ``enable_grad``, ``set_grad_enabled``.

Each works as a context manager and as a decorator, as in PyTorch. The flag
lives in one mutable object so that the hot path reads one attribute.
"""

import functools


class _GradState:
    __slots__ = ("enabled",)

    def __init__(self):
        self.enabled = True


state = _GradState()


def is_grad_enabled():
    return state.enabled


class _GradModeContext:
    """Sets the grad flag on entry and restores it on exit; also a decorator."""

    mode = True

    def __enter__(self):
        self.previous = state.enabled
        state.enabled = self.mode
        return self

    def __exit__(self, *exc_info):
        state.enabled = self.previous
        return False

    def __call__(self, function):
        @functools.wraps(function)
        def run_in_mode(*args, **kwargs):
            with self.__class__(*self._arguments()):
                return function(*args, **kwargs)

        return run_in_mode

    def _arguments(self):
        return ()


class no_grad(_GradModeContext):  # noqa: N801 - PyTorch's name
    mode = False


class enable_grad(_GradModeContext):  # noqa: N801
    mode = True


class inference_mode(_GradModeContext):  # noqa: N801
    """Like no_grad here: ember has no separate inference tensors."""

    def __init__(self, mode=True):
        self.mode = not mode

    def _arguments(self):
        return (not self.mode,)


class set_grad_enabled(_GradModeContext):  # noqa: N801
    """Takes effect at once (as a function call) and also works in ``with``."""

    def __init__(self, mode):
        self.previous = state.enabled
        self.mode = bool(mode)
        state.enabled = self.mode

    def __enter__(self):
        return self

    def __call__(self, function):
        state.enabled = self.previous  # used as a decorator: take effect per call only
        return super().__call__(function)

    def _arguments(self):
        return (self.mode,)
