"""Moving a tensor between devices; the gradient moves back the other way."""

from .. import backend
from ..autograd.function import Function
from ..device import device_of_array


class ToDevice(Function):
    listed_inputs = (0,)

    def forward(self, a, target):
        self.source = device_of_array(a)
        return backend.to_device(a, target)

    def backward(self, grad):
        return move_to_device(grad, self.source), None

    def name(self):
        return "ToCopyBackward0"


def move_to_device(tensor, device):
    """``tensor`` itself when it is on ``device`` already ("cuda" matches any GPU), else a copy."""
    current = tensor.device
    if current.type == device.type and (device.index is None or current.index == device.index):
        return tensor
    return ToDevice.apply(tensor, device)
