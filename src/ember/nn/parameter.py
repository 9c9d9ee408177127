"""``nn.Parameter``: a tensor that a Module registers as something to train.

A Parameter is an ordinary Tensor (same slots, same ops) whose type tells a
Module to list it in ``parameters()``. Wrapping a tensor shares its array, as
PyTorch does: ``Parameter(t)`` and ``t`` see each other's writes. Results of
ops on a Parameter are plain Tensors.
"""

from ..tensor import Tensor, _initialise


class Parameter(Tensor):
    __slots__ = ()

    def __new__(cls, data=None, requires_grad=True):
        parameter = object.__new__(cls)
        if data is None:
            from ..creation import empty

            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(
                f"Parameter expects a Tensor as data, got {type(data).__name__}; "
                "wrap numbers or arrays with ember.tensor(...) first"
            )
        _initialise(parameter, data._data)
        parameter._version_counter = data._counter()
        # Tensor's own: it refuses an integer tensor that would train (a lazy module's
        # UninitializedParameter refuses requires_grad_ from its users)
        Tensor.requires_grad_(parameter, requires_grad)
        return parameter

    def __init__(self, data=None, requires_grad=True):
        pass  # everything happened in __new__; Tensor.__init__ is the legacy constructor

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo):
        # PyTorch copies the values and requires_grad, not the gradient.
        copy = Parameter(self.detach().clone(), self.requires_grad)
        memo[id(self)] = copy
        return copy

    def __copy__(self):
        """A new Parameter on the same storage, as PyTorch's shallow copy gives."""
        return Parameter(self.detach(), self.requires_grad)

    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (self.detach().clone(), self.requires_grad))


def _rebuild_parameter(data, requires_grad):
    return Parameter(data, requires_grad)


class Buffer(Tensor):
    """``nn.Buffer(t)``: marks a tensor to register as a buffer when assigned to a Module."""

    __slots__ = ("persistent",)

    def __new__(cls, data=None, *, persistent=True):
        buffer = object.__new__(cls)
        if data is None:  # an empty float tensor, as Parameter() holds
            from ..creation import empty

            data = empty(0)
        _initialise(buffer, data._data)
        buffer._requires_grad = data._requires_grad  # a buffer that requires grad may be made
        buffer._version_counter = data._counter()
        buffer.persistent = persistent
        return buffer

    def __init__(self, data=None, *, persistent=True):
        pass
