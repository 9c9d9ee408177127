"""``ember.device``: where a tensor's array lives ("cpu" or "cuda:N")."""

from . import backend


class device:  # noqa: N801 - PyTorch's name
    __slots__ = ("type", "index")

    def __init__(self, type_or_name, index=None):
        if isinstance(type_or_name, device):
            self.type, self.index = type_or_name.type, type_or_name.index
            return
        name = str(type_or_name)
        kind, _, number = name.partition(":")
        if kind not in ("cpu", "cuda"):
            raise RuntimeError(
                f"Expected one of cpu, cuda device type at start of device string: {name}"
            )
        if number:
            if not number.isdigit():
                raise RuntimeError(f"Invalid device string: '{name}'")
            if index is not None:
                raise RuntimeError(f"device string {name!r} already names an index")
            index = int(number)
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
            other = device(other)
        if not isinstance(other, device):
            return NotImplemented
        return self.type == other.type and self.index == other.index

    def __hash__(self):
        return hash((self.type, self.index))


cpu = device("cpu")


def as_device(value):
    """None -> the CPU; strings and ints ("cuda", "cuda:0", 0) -> device."""
    if value is None:
        return cpu
    if isinstance(value, device):
        return value
    if isinstance(value, int):
        return device("cuda", value)
    return device(value)


def device_of_array(array):
    index = backend.device_index_of(array)
    return cpu if index < 0 else device("cuda", index)


def check_same_device(first, second, op_name):
    """RuntimeError naming both devices when two arrays live apart."""
    if type(first) is not type(second):
        a, b = device_of_array(first), device_of_array(second)
        raise RuntimeError(
            "Expected all tensors to be on the same device, but found at least two devices, "
            f"{a} and {b}! (in {op_name})"
        )
