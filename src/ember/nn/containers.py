"""Module containers: ``Sequential`` (a pipeline), ``ModuleList`` and ``ModuleDict`` (a list
and a dict that register their modules). ``parameter_containers.py`` holds the same for
parameters.

The lists keep their members under the keys "0", "1", ... so that parameter names
read ``0.weight``, ``1.bias`` as in PyTorch.
"""

import operator
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from itertools import islice

from ..tensor import Tensor
from .module import Module, indented, module_layout


def checked_position(index, length):
    """A non-negative position for ``index``, or PyTorch's IndexError.

    ``operator.index`` refuses what is not a whole number ("0", 1.0) with a TypeError.
    """
    index = operator.index(index)
    if not -length <= index < length:
        raise IndexError(f"index {index} is out of range")
    return index % length


class Sequential(Module):
    """Runs its modules in order, each one's output feeding the next."""

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for name, module in args[0].items():
                self.add_module(name, module)
        else:
            for position, module in enumerate(args):
                self.add_module(str(position), module)

    def forward(self, input):
        for module in self._modules.values():
            input = module(input)
        return input

    def _key(self, index):
        return next(islice(iter(self._modules), checked_position(index, len(self._modules)), None))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return type(self)(OrderedDict(list(self._modules.items())[index]))
        return self._modules[self._key(index)]

    def __setitem__(self, index, module):
        # An assignment, as PyTorch's is: a Parameter there replaces the module by a parameter.
        setattr(self, self._key(index), module)

    def __delitem__(self, index):
        if isinstance(index, slice):
            for key in list(self._modules)[index]:
                del self._modules[key]
        else:
            del self._modules[self._key(index)]
        # Renumber so that positions and keys agree again.
        self._modules = OrderedDict((str(i), m) for i, m in enumerate(self._modules.values()))

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __add__(self, other):
        _check_sequential(other)
        return Sequential(*self, *other)

    def __iadd__(self, other):
        _check_sequential(other)
        return self.extend(list(other))

    def __mul__(self, times):
        """``seq * n``: a new Sequential that runs these same modules n times in a row."""
        return Sequential(*(list(self) * _repeat_count(self, times)))

    __rmul__ = __mul__

    def __imul__(self, times):
        return self.extend(list(self) * (_repeat_count(self, times) - 1))

    def append(self, module):
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        for module in modules:
            self.append(module)
        return self

    def insert(self, index, module):
        """Put ``module`` at position ``index``; the modules from there on move one name up,
        so the names from ``index`` on must be their positions (as they are unless the
        Sequential was built from an OrderedDict)."""
        if not isinstance(module, Module):
            raise AssertionError(f"module should be of type: {Module}")
        length = len(self._modules)
        index = operator.index(index)
        if not -length <= index <= length:
            raise IndexError(f"Index out of range: {index}")
        if index < 0:
            index += length
        modules = self._modules
        for position in range(length - 1, index - 1, -1):  # PyTorch's order: it names this key
            if str(position) not in modules:
                raise KeyError(
                    f"Sequential.insert({index}, ...) renames the modules after it by position, "
                    f"but this Sequential has no module named '{position}'"
                )
        for position in range(length, index, -1):
            modules[str(position)] = modules[str(position - 1)]
        modules[str(index)] = module
        return self

    def pop(self, index):
        module = self[index]
        del self[index]
        return module

    def __dir__(self):
        return [name for name in super().__dir__() if not name.isdigit()]


def _check_sequential(other):
    if not isinstance(other, Sequential):
        raise ValueError(
            f"add operator supports only objects of Sequential class, but {type(other)} is given."
        )


def _repeat_count(sequential, times):
    """How many times ``seq * times`` repeats: a positive int, or PyTorch's errors."""
    if not isinstance(times, int):
        raise TypeError(
            f"unsupported operand type(s) for *: {type(sequential)} and {type(times)}; "
            "a Sequential repeats a whole number of times"
        )
    if times <= 0:
        raise ValueError(
            f"Non-positive multiplication factor {times} for {type(sequential)}: "
            "a Sequential repeats at least once"
        )
    return times


class ModuleList(Module):
    """A list of modules whose parameters the parent module can see."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return type(self)(list(self._modules.values())[index])
        return self._modules[str(checked_position(index, len(self._modules)))]

    def __setitem__(self, index, module):
        setattr(self, str(checked_position(index, len(self._modules))), module)  # as Sequential's

    def __delitem__(self, index):
        if isinstance(index, slice):
            for key in list(self._modules)[index]:
                del self._modules[key]
        else:
            del self._modules[str(checked_position(index, len(self._modules)))]
        self._modules = OrderedDict((str(i), m) for i, m in enumerate(self._modules.values()))

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __iadd__(self, modules):
        return self.extend(modules)

    def __add__(self, other):
        return ModuleList([*self, *other])

    def append(self, module):
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        if not isinstance(modules, Iterable):
            raise TypeError(
                "ModuleList.extend should be called with an iterable, but got "
                + type(modules).__name__
            )
        for module in modules:
            self.append(module)
        return self

    def insert(self, index, module):
        modules = list(self._modules.values())
        modules.insert(index, module)
        self._modules = OrderedDict()
        for position, item in enumerate(modules):
            self.add_module(str(position), item)

    def pop(self, index):
        module = self[index]
        del self[index]
        return module

    def __repr__(self):
        """Runs of children that print alike are shown once: ``(0-2): 3 x Linear(...)``.

        Children are labelled by position, as PyTorch labels them, whatever their keys
        (``register_module`` may have given one a name)."""
        lines = []
        texts = [repr(module) for module in self._modules.values()]
        start = 0
        while start < len(texts):
            end = start + 1
            while end < len(texts) and texts[end] == texts[start]:
                end += 1
            body = indented(texts[start], 2)
            if end - start == 1:
                lines.append(f"({start}): {body}")
            else:
                lines.append(f"({start}-{end - 1}): {end - start} x {body}")
            start = end
        return module_layout(self._get_name(), [], lines)

    def __dir__(self):
        return [name for name in super().__dir__() if not name.isdigit()]


def key_value_pairs(source, container):
    """The (key, value) pairs of a mapping or of an iterable of pairs, checked as PyTorch
    checks them: TypeError for what is not iterable, ValueError for a pair of another length.

    A plain dict is taken in its own order; ``ParameterDict`` sorts one (see ``update``).
    """
    if isinstance(source, Mapping) or hasattr(source, "keys"):  # dict's own rule for a mapping
        return list(source.items())
    if not isinstance(source, Iterable) or isinstance(source, Tensor):
        raise TypeError(
            f"{container}.update should be called with an iterable of key/value pairs, "
            f"but got {type(source).__name__}"
        )
    pairs = []
    for position, pair in enumerate(source):
        if not isinstance(pair, Iterable):
            raise TypeError(
                f"{container} update sequence element #{position} should be a (key, value) "
                f"pair; it is a {type(pair).__name__}"
            )
        pair = tuple(pair)
        if len(pair) != 2:
            raise ValueError(
                f"{container} update sequence element #{position} has length {len(pair)}; "
                "2 is required"
            )
        pairs.append(pair)
    return pairs


class ModuleDict(Module):
    """A dict of modules whose parameters the parent module can see; keys keep their order."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key):
        return self._modules[key]

    def __setitem__(self, key, module):
        self.add_module(key, module)

    def __delitem__(self, key):
        del self._modules[key]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def __contains__(self, key):
        return key in self._modules

    def clear(self):
        self._modules.clear()

    def pop(self, key):
        module = self[key]
        del self[key]
        return module

    def keys(self):
        return self._modules.keys()

    def items(self):
        return self._modules.items()

    def values(self):
        return self._modules.values()

    def update(self, modules):
        for key, module in key_value_pairs(modules, "ModuleDict"):
            self[key] = module
