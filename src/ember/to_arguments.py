"""How ``Tensor.to`` and ``Module.to`` read their arguments, in PyTorch's three forms:

    to(dtype, non_blocking=False, copy=False)
    to(device=None, dtype=None, non_blocking=False, copy=False)
    to(tensor, non_blocking=False, copy=False)   # the tensor's device and dtype

Anything else is PyTorch's TypeError: a device after a dtype (``to(float64, 'cpu')``), a
second dtype, a flag that is no bool (``to(float64, None)``, ``copy=1``). A dtype is what
``dtype=`` takes everywhere in ember: a Python type as in PyTorch (``float`` is float64),
and, unlike PyTorch, a NumPy type or a name (``dtype='float64'``; a name only by keyword
or after a device, for a first string is a device). ember's copies are synchronous, so
non_blocking changes nothing; memory_format is taken and let be (ember keeps every tensor
in one layout).
"""

from . import dtypes
from .arguments import type_name
from .device import device as device_type
from .tensor import Tensor

_KEYWORDS = {"device", "dtype", "non_blocking", "copy", "memory_format"}
_FLAGS = ("non_blocking", "copy")


def to_arguments(method, args, kwargs):
    """(device, dtype, non_blocking, copy) named by ``method``'s arguments; a device, a
    dtype or a copy not named is None (``Module.to`` refuses a copy even when False), a
    dtype comes back as an ember dtype."""
    named = _positional(args, kwargs)
    if named is None or not kwargs.keys() <= _KEYWORDS or named.keys() & kwargs.keys():
        raise _invalid(method, args, kwargs)
    chosen = {**named, **kwargs}
    device, dtype = chosen.get("device"), chosen.get("dtype")
    if (device is not None and not _names_a_device(device)) or any(
        type(chosen[flag]) is not bool for flag in _FLAGS if flag in chosen
    ):
        raise _invalid(method, args, kwargs)
    dtype = None if dtype is None else dtypes.to_dtype(dtype)  # its TypeError for a non-dtype
    return device, dtype, chosen.get("non_blocking", False), chosen.get("copy")


def _positional(args, kwargs):
    """The positional arguments by name, in the form the first one picks; None where there
    are more than that form takes, or where a keyword names what the form does not take."""
    if not args:
        return {}
    first, *rest = args
    if isinstance(first, Tensor):
        named = {"device": first.device, "dtype": first.dtype}
    elif dtypes.is_dtype_like(first):
        if "device" in kwargs:  # to(dtype, ...) has no device
            return None
        named = {"dtype": first}
    else:
        named = {"device": first}
        if rest:
            named["dtype"] = rest.pop(0)
    if len(rest) > 2:
        return None
    named.update(zip(_FLAGS, rest))
    return named


def _names_a_device(value):
    return isinstance(value, (str, device_type)) or (
        isinstance(value, int) and not isinstance(value, bool)
    )


def _invalid(method, args, kwargs):
    given = [type_name(argument) for argument in args]
    given += [f"{name}={type_name(value)}" for name, value in kwargs.items()]
    return TypeError(
        f"{method}() received an invalid combination of arguments: got ({', '.join(given)}), "
        "but takes (dtype, non_blocking=False, copy=False), (device=None, dtype=None, "
        "non_blocking=False, copy=False) or (tensor, non_blocking=False, copy=False)"
    )
