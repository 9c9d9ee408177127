"""``ember.device``: where a tensor's array lives ("cpu" or "cuda:N").

A device is a type ("cpu" or "cuda") and an optional index, parsed and printed
as PyTorch does. Creation functions without ``device=`` use the default device:
the CPU unless ``set_default_device`` or a ``with ember.device("cuda"):`` block
says otherwise. Ops never move data between devices on their own: mixing a
CUDA tensor with a CPU one is a RuntimeError that names both (a 0-d CPU tensor
is the one exception, treated as a number, as in PyTorch).
"""

from . import backend


class device:  # noqa: N801 - PyTorch's name
    __slots__ = ("type", "index")

    def __init__(self, type_or_name, index=None):
        if isinstance(type_or_name, device):
            self.type, self.index = type_or_name.type, type_or_name.index
            return
        if isinstance(type_or_name, int) and not isinstance(type_or_name, bool):
            type_or_name, index = "cuda", _checked_index(type_or_name, type_or_name)
        if not isinstance(type_or_name, str):
            raise TypeError(
                f"device() expects a string such as 'cuda:0' or a device, got "
                f"{type(type_or_name).__name__}"
            )
        name = type_or_name
        kind, colon, number = name.partition(":")
        if kind not in ("cpu", "cuda"):
            raise RuntimeError(
                f"Expected one of cpu, cuda device type at start of device string: {name}"
            )
        if colon:
            if not number.isdigit() or (len(number) > 1 and number[0] == "0"):
                raise RuntimeError(f"Invalid device string: '{name}'")
            if index is not None:
                raise RuntimeError(
                    f"type (string) must not include an index because index was passed "
                    f"explicitly: {name}"
                )
            index = int(number)
        elif index is not None:
            index = _checked_index(index, name)
        self.type = kind
        self.index = index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        if isinstance(other, str):
            try:
                other = device(other)
            except RuntimeError:
                return False
        if not isinstance(other, device):
            return NotImplemented
        return self.type == other.type and self.index == other.index

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))

    # ``with ember.device("cuda"):`` makes it the default device inside the block.

    def __enter__(self):
        _outer_defaults.append(_default[0])
        _default[0] = device(self)
        return self

    def __exit__(self, *exc_info):
        _default[0] = _outer_defaults.pop()
        return False


def _checked_index(index, name):
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise RuntimeError(f"Device index must not be negative (got {index!r} for {name!r})")
    return index


cpu = device("cpu")
_default = [cpu]  # the default device; a list so ``with`` blocks can swap it
_outer_defaults = []  # the defaults that enclosing ``with device`` blocks replaced


def set_default_device(device):
    """The device that creation functions use when they are given none (None: the CPU)."""
    _default[0] = cpu if device is None else as_device(device)


def get_default_device():
    return _default[0]


def as_device(value):
    """None -> the default device; strings and ints ("cuda", "cuda:0", 0) -> device."""
    if value is None:
        return _default[0]
    if isinstance(value, device):
        return value
    return device(value)


def device_of_array(array):
    index = backend.device_index_of(array)
    return cpu if index < 0 else device("cuda", index)


def mixed_device_error(first, second, op_name):
    return RuntimeError(
        "Expected all tensors to be on the same device, but found at least two devices, "
        f"{device_of_array(first)} and {device_of_array(second)}! (when checking arguments "
        f"for {op_name}; move one with .to(device), .cuda() or .cpu())"
    )


def check_same_device(first, second, op_name):
    """RuntimeError naming both devices when two arrays live apart.

    Callers on a hot path compare ``type(first) is not type(second)`` before
    calling, so that tensors on one device pay a single type comparison.
    """
    if type(first) is not type(second) or (
        backend.is_cuda_array(first) and first.device.id != second.device.id
    ):
        raise mixed_device_error(first, second, op_name)
