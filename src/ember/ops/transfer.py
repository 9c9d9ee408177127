"""Moving a tensor between devices; the gradient moves back the other way."""

from .. import backend
from ..autograd.function import Function
from ..device import device_of_array


class ToDevice(Function):
    def forward(self, a, target):
        self.source = device_of_array(a)
        namespace = backend.namespace_for(target)
        if target.type == "cuda" and target.index is not None:
            with namespace.cuda.Device(target.index):
                return backend.to_namespace(a, namespace)
        return backend.to_namespace(a, namespace)

    def backward(self, grad):
        return move_to_device(grad, self.source), None


def move_to_device(tensor, device):
    current = tensor.device
    if current.type == device.type and (device.index is None or current.index == device.index):
        return tensor
    return ToDevice.apply(tensor, device)
