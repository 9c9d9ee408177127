"""Parameter containers: ``ParameterList`` and ``ParameterDict``, a list and a dict whose
tensors the parent module sees as its parameters.

The list keeps its members under the keys "0", "1", ... so that they are named
``0``, ``1`` in ``named_parameters()``, as in PyTorch.
"""

from collections import OrderedDict
from collections.abc import Iterable, Mapping

from ..tensor import Tensor
from .containers import checked_position, key_value_pairs
from .module import Module
from .parameter import Parameter


def _describe_member(key, value, dtype_name):
    """One line of ParameterList's and ParameterDict's repr: a tensor's kind, dtype and size
    (``dtype_name`` says how each container names the dtype), or another object's type."""
    if not isinstance(value, Tensor):
        return f"  ({key}): Object of type: {type(value).__name__}"
    kind = "Parameter" if isinstance(value, Parameter) else "Tensor"
    size = "x".join(str(length) for length in value.shape)
    where = f" ({value.device})" if value.device.type != "cpu" else ""
    return f"  ({key}): {kind} containing: [{dtype_name(value)} of size {size}{where}]"


def _as_member(value):
    """A tensor joins a ParameterList or ParameterDict as a Parameter; anything else as it is."""
    if isinstance(value, Tensor) and not isinstance(value, Parameter):
        return Parameter(value)
    return value


class ParameterList(Module):
    """A list of parameters that the parent module can see, named "0", "1", ...

    Tensors become Parameters; other values (modules, numbers) are kept as they are.
    """

    def __init__(self, values=None):
        super().__init__()
        self._size = 0
        if values is not None:
            self.extend(values)

    def _position(self, index):
        return str(checked_position(index, self._size))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return type(self)([self[position] for position in range(self._size)[index]])
        return getattr(self, self._position(index))

    def __setitem__(self, index, value):
        setattr(self, self._position(index), _as_member(value))

    def __len__(self):
        return self._size

    def __iter__(self):
        return (self[position] for position in range(self._size))

    def __iadd__(self, values):
        return self.extend(values)

    def append(self, value):
        setattr(self, str(self._size), _as_member(value))
        self._size += 1
        return self

    def extend(self, values):
        if not isinstance(values, Iterable) or isinstance(values, Tensor):
            raise TypeError(
                "ParameterList.extend should be called with an iterable, but got "
                + type(values).__name__
            )
        for value in values:
            self.append(value)
        return self

    def __call__(self, *args, **kwargs):
        raise RuntimeError("ParameterList should not be called: it holds parameters only")

    def extra_repr(self):
        return "\n".join(
            _describe_member(position, value, lambda tensor: str(tensor.dtype))
            for position, value in enumerate(self)
        )

    def __dir__(self):
        return [name for name in super().__dir__() if not name.isdigit()]


class ParameterDict(Module):
    """A dict of parameters that the parent module can see, under string keys.

    Tensors become Parameters; other values are kept as they are. Like PyTorch, a
    missing key is an AttributeError, and ``update`` with a plain dict sorts its keys.
    """

    def __init__(self, parameters=None):
        super().__init__()
        self._keys = {}
        if parameters is not None:
            self.update(parameters)

    @staticmethod
    def _checked(key):
        if not isinstance(key, str):
            raise TypeError(
                "a ParameterDict key must be a string (it becomes an attribute name), "
                f"not {type(key).__name__}"
            )
        return key

    def __getitem__(self, key):
        return getattr(self, self._checked(key))

    def __setitem__(self, key, value):
        setattr(self, self._checked(key), _as_member(value))
        self._keys[key] = None

    def __delitem__(self, key):
        del self._keys[key]
        delattr(self, key)

    def __len__(self):
        return len(self._keys)

    def __iter__(self):
        return iter(self._keys)

    def __reversed__(self):
        return reversed(list(self._keys))

    def __contains__(self, key):
        return key in self._keys

    def __or__(self, other):
        merged = self.copy()
        merged.update(other)
        return merged

    def __ror__(self, other):
        """``mapping | parameter_dict``: a copy of the mapping (a dict stays a dict) updated
        with these parameters, as PyTorch gives."""
        merged = other.copy()
        merged.update(self)
        return merged

    def __ior__(self, other):
        self.update(other)
        return self

    def copy(self):
        return ParameterDict(OrderedDict(self.items()))

    def get(self, key, default=None):
        return self[key] if key in self else default

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def pop(self, key):
        value = self[key]
        del self[key]
        return value

    def popitem(self):
        if not self._keys:
            raise KeyError("popitem(): ParameterDict is empty")
        key = next(reversed(self._keys))
        return key, self.pop(key)

    def clear(self):
        for key in list(self._keys):
            del self[key]

    def fromkeys(self, keys, default=None):
        return ParameterDict((key, default) for key in keys)

    def keys(self):
        return self._keys.keys()

    def items(self):
        return ((key, self[key]) for key in self._keys)

    def values(self):
        return (self[key] for key in self._keys)

    def update(self, parameters):
        pairs = key_value_pairs(parameters, "ParameterDict")
        if isinstance(parameters, Mapping) and not isinstance(parameters, OrderedDict):
            pairs.sort(key=lambda pair: pair[0])  # PyTorch sorts an unordered mapping's keys
        for key, value in pairs:
            self[key] = value

    def __call__(self, *args, **kwargs):
        raise RuntimeError("ParameterDict should not be called: it holds parameters only")

    def extra_repr(self):
        return "\n".join(
            _describe_member(key, value, lambda tensor: tensor.type())
            for key, value in self.items()
        )
