"""Whether ops record the graph: ``no_grad``, ``enable_grad``, ``set_grad_enabled``.

Each works as a context manager and as a decorator (``@no_grad()`` or bare
``@no_grad``; a decorated generator runs every step in the mode), as in
PyTorch. The flag lives in one mutable object so that the hot path reads one
attribute.

Inside ``inference_mode`` nothing records, even under ``enable_grad``; there
``is_grad_enabled()`` still reports the mode last asked for, as in PyTorch.
"""

import functools
import inspect


class _GradState:
    """``enabled``: ops record a graph (read by every op). ``inference``: inside
    inference_mode. ``requested``: the grad mode last asked for, which differs from
    ``enabled`` only in inference mode."""

    __slots__ = ("enabled", "inference", "requested")

    def __init__(self):
        self.enabled = True
        self.inference = False
        self.requested = True

    def ask_for(self, mode):
        self.requested = mode
        self.enabled = mode and not self.inference


state = _GradState()


def is_grad_enabled():
    return state.requested if state.inference else state.enabled


def is_inference_mode_enabled():
    return state.inference


class _GradModeContext:
    """Sets the grad flag on entry and restores it on exit; also a decorator."""

    mode = True
    inference = None  # None: leave inference mode as it is

    def __new__(cls, *args, **kwargs):
        # A bare decorator (``@no_grad``) passes the function as the only argument.
        if len(args) == 1 and not kwargs and callable(args[0]) and not isinstance(args[0], bool):
            return cls()(args[0])
        return super().__new__(cls)

    def __enter__(self):
        self.previous = (state.enabled, state.inference, state.requested)
        if self.inference is not None:
            state.inference = self.inference
        state.requested = self.mode  # state.ask_for, inlined: no_grad is entered every step
        state.enabled = self.mode and not state.inference

    def __exit__(self, *exc_info):
        state.enabled, state.inference, state.requested = self.previous

    def clone(self):
        return self.__class__(*self._arguments())

    def __call__(self, function):
        if inspect.isgeneratorfunction(function):
            return self._wrap_generator(function)

        @functools.wraps(function)
        def run_in_mode(*args, **kwargs):
            with self.clone():
                return function(*args, **kwargs)

        return run_in_mode

    def _wrap_generator(self, function):
        """The mode holds while the generator runs, not between its steps: for what it
        is sent, for an exception thrown into it, and for its closing."""

        @functools.wraps(function)
        def generate_in_mode(*args, **kwargs):
            generator = function(*args, **kwargs)
            resume, given = generator.send, None
            while True:
                try:
                    with self.clone():
                        value = resume(given)
                except StopIteration as stop:
                    return stop.value
                try:
                    given = yield value
                    resume = generator.send
                except GeneratorExit:
                    with self.clone():
                        generator.close()
                    raise
                except BaseException as error:  # thrown in by the caller: pass it on
                    resume, given = generator.throw, error

        return generate_in_mode

    def _arguments(self):
        return ()


class no_grad(_GradModeContext):  # noqa: N801 - PyTorch's name
    """A context manager (or decorator) in which ops record no graph for autograd.

    Results made inside it have ``requires_grad=False``. Use it to evaluate a model and
    to update parameters by hand (``w -= lr * w.grad``), which a leaf refuses otherwise.

    >>> w = ember.ones(2, requires_grad=True)
    >>> with ember.no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
    """

    mode = False


class enable_grad(_GradModeContext):  # noqa: N801
    mode = True


class inference_mode(_GradModeContext):  # noqa: N801
    """Like no_grad, except that ``enable_grad`` inside it records nothing either
    (ember has no separate inference tensors); ``is_inference_mode_enabled()`` says so."""

    def __init__(self, mode=True):
        if not isinstance(mode, bool):  # PyTorch's C++ guard takes only a bool
            raise TypeError(f"inference_mode(mode) takes a bool, not {type(mode).__name__}")
        self.mode = not mode
        self.inference = bool(mode)

    def _arguments(self):
        return (self.inference,)


class set_grad_enabled(_GradModeContext):  # noqa: N801
    """Takes effect at once (as a function call) and also works in ``with``."""

    def __init__(self, mode):
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled() takes True or False, not {type(mode).__name__}")
        self.previous = (state.enabled, state.inference, state.requested)
        self.mode = mode
        state.ask_for(mode)

    def __enter__(self):
        # The mode took effect in __init__; set it again for an object made earlier and
        # entered later. Leaving restores the mode from before __init__, as in PyTorch.
        state.ask_for(self.mode)

    def __call__(self, function):
        # Used as a decorator: take effect per call only.
        state.enabled, state.inference, state.requested = self.previous
        return super().__call__(function)

    def _arguments(self):
        return (self.mode,)
