"""The ``ember.*`` functions that need tensors where PyTorch's do.

``ember.exp(x)`` and ``x.exp()`` run the same op. A method's ``self`` is a
tensor by construction; a function's first argument may be anything, and
``ember.exp(2.0)`` should say what was wrong with PyTorch's TypeError, not fail
deep inside the op on a missing attribute. The check lives here, in the
function forms, so that operators and most methods pay nothing for it; the
methods whose second operand must be a tensor too (``x.mm(y)``, ``x.view_as(y)``)
take it as well (``tensor_methods``).
"""

import functools
import inspect

from .tensor import Tensor


def needs_tensors(op, count=1):
    """``op`` as a function whose first ``count`` (1 or 2) arguments must be tensors."""
    name = op.__name__
    parameters = inspect.unwrap(op).__code__.co_varnames[:count]

    @functools.wraps(op)
    def function(*args, **kwargs):
        if (
            len(args) >= count
            and isinstance(args[0], Tensor)
            and (count == 1 or isinstance(args[1], Tensor))
        ):
            return op(*args, **kwargs)  # the common call: tensors, given by position
        _check_arguments(name, parameters, args, kwargs)
        return op(*args, **kwargs)

    return function


def operand_needs_tensor(method, name):
    """``method`` of a Tensor whose operand (the argument after ``self``) must be a tensor
    too; ``name``: the method's, for the message."""
    parameter = method.__code__.co_varnames[1]

    @functools.wraps(method)
    def checked(self, *args, **kwargs):
        if args and isinstance(args[0], Tensor):
            return method(self, *args, **kwargs)  # the common call
        _check_arguments(name, (parameter,), args, kwargs)
        return method(self, *args, **kwargs)

    return checked


def _check_arguments(name, parameters, args, kwargs):
    for position, parameter in enumerate(parameters):
        if position < len(args):
            value, where = args[position], f" (position {position + 1})"
        elif parameter in kwargs:
            value, where = kwargs[parameter], ""
        else:
            continue  # not given: the op's own TypeError says so
        if not isinstance(value, Tensor):
            raise TypeError(
                f"{name}(): argument '{parameter}'{where} must be a Tensor, not "
                f"{type(value).__name__} (make one with ember.tensor(...))"
            )


def check_tensor_arguments(namespace, first_only, first_two):
    """Wrap the functions named in two space-separated lists, in ``namespace`` (a dict)."""
    for name in first_only.split():
        namespace[name] = needs_tensors(namespace[name])
    for name in first_two.split():
        namespace[name] = needs_tensors(namespace[name], count=2)
