"""Containers: ``Sequential`` (a pipeline) and ``ModuleList`` (a list that registers).

Both keep their children in ``_modules`` under the keys "0", "1", ... so that
parameter names read ``0.weight``, ``1.bias`` as in PyTorch.
"""

import operator
from collections import OrderedDict
from collections.abc import Iterable
from itertools import islice

from .module import Module, _indent, _layout


def _index(index, length):
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
        return next(islice(iter(self._modules), _index(index, len(self._modules)), None))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return type(self)(OrderedDict(list(self._modules.items())[index]))
        return self._modules[self._key(index)]

    def __setitem__(self, index, module):
        self.add_module(self._key(index), module)

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
        if not isinstance(other, Sequential):
            raise ValueError(
                "add operator supports only objects of Sequential class, but "
                f"{type(other)} is given."
            )
        return Sequential(*self, *other)

    def append(self, module):
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        for module in modules:
            self.append(module)
        return self

    def insert(self, index, module):
        if not isinstance(module, Module):
            raise AssertionError(f"module should be of type: {Module}")
        length = len(self._modules)
        if not -length <= index <= length:
            raise IndexError(f"Index out of range: {index}")
        if index < 0:
            index += length
        modules = list(self._modules.values())
        modules.insert(index, module)
        self._modules = OrderedDict((str(i), m) for i, m in enumerate(modules))
        return self

    def pop(self, index):
        module = self[index]
        del self[index]
        return module

    def __dir__(self):
        return [name for name in super().__dir__() if not name.isdigit()]


class ModuleList(Module):
    """A list of modules whose parameters the parent module can see."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return type(self)(list(self._modules.values())[index])
        return self._modules[str(_index(index, len(self._modules)))]

    def __setitem__(self, index, module):
        self.add_module(str(_index(index, len(self._modules))), module)

    def __delitem__(self, index):
        if isinstance(index, slice):
            for key in list(self._modules)[index]:
                del self._modules[key]
        else:
            del self._modules[str(_index(index, len(self._modules)))]
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
        """Runs of children that print alike are shown once: ``(0-2): 3 x Linear(...)``."""
        lines = []
        children = list(self._modules.items())
        start = 0
        while start < len(children):
            text = repr(children[start][1])
            end = start + 1
            while end < len(children) and repr(children[end][1]) == text:
                end += 1
            body = _indent(text, 2)
            if end - start == 1:
                lines.append(f"({children[start][0]}): {body}")
            else:
                label = f"{children[start][0]}-{children[end - 1][0]}"
                lines.append(f"({label}): {end - start} x {body}")
            start = end
        return _layout(self._get_name(), [], lines)

    def __dir__(self):
        return [name for name in super().__dir__() if not name.isdigit()]
