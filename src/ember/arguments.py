"""How ops read their arguments as PyTorch reads them: sizes, integers, flags, lists of
tensors, and the type names PyTorch's TypeErrors give."""

import operator

from .backend import generic_scalar
from .device import mixed_device_error
from .tensor import Tensor


def shape_argument(shape):
    """Accept f(2, 3), f((2, 3)), f([2, 3]) and f(ember.Size([2, 3])).

    Any integer PyTorch takes is a size: a NumPy integer or a one-element integer tensor,
    alone (f(np.int64(2))) or in the sequence. Floats and bools are refused, with
    PyTorch's TypeError.
    """
    if len(shape) == 1 and not isinstance(shape[0], int):
        shape = shape[0]
        if not isinstance(shape, (tuple, list)):
            try:
                shape = (operator.index(shape),)
            except TypeError:
                pass  # a sequence of another kind (an array), or refused below
    try:
        sizes = tuple(map(operator.index, shape))  # C-level: no Python call per size
    except TypeError:
        raise _size_type_error(shape) from None
    if bool in map(type, shape):  # operator.index reads True as 1
        raise _size_type_error(shape)
    return sizes


def sequence_argument(value, op_name, name):
    """A shape or dims given as one tuple or list (an ember.Size too), as PyTorch's function
    forms take them (``torch.reshape(x, (2, 3))``; its methods take loose ints as well): an
    int, None or a tensor there is its parser's TypeError. The items are the op's to read."""
    if isinstance(value, (tuple, list)):
        return value
    raise TypeError(f"{op_name}(): argument '{name}' must be tuple of ints, not {type_name(value)}")


def _size_type_error(shape):
    """PyTorch's TypeError for a size that is not a sequence of ints, naming the culprit."""
    try:
        items = list(shape)
    except TypeError:
        return TypeError(f"size must be a tuple of ints, not {type_name(shape)}")
    for position, item in enumerate(items):
        if type(item) is bool or not is_integer(item):
            return TypeError(
                f"size must be a tuple of ints, but found element of type "
                f"{type_name(item)} at pos {position}"
            )
    return TypeError(f"size must be a tuple of ints, not {type_name(shape)}")


def type_name(value):
    """'float', or 'numpy.float64' for a type from another module."""
    kind = type(value)
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def is_integer(value):
    try:
        operator.index(value)
    except TypeError:
        return False
    return True


def integer_argument(value, op_name, name):
    """An int argument as PyTorch takes it: any integer (a NumPy one, a 0-d integer tensor),
    but not a bool, a float or a tensor of dims."""
    if type(value) is int:
        return value
    if type(value) is not bool and not (
        isinstance(value, Tensor) and (value.ndim or value._data.dtype.kind == "b")
    ):
        try:
            return operator.index(value)
        except TypeError:
            pass
    raise TypeError(f"{op_name}(): argument '{name}' must be int, not {type_name(value)}")


def float_argument(value, op_name, name, kind="float"):
    """A number argument as PyTorch's parser reads one: a Python or NumPy number, or a 0-d
    tensor's value; a string, a sequence or a tensor of more elements is a TypeError.
    ``kind`` names what the message asks for (float, or Number where ints are as good)."""
    if isinstance(value, Tensor):
        if value.ndim == 0:
            return value.item()
    elif isinstance(value, (int, float, generic_scalar)):
        return value
    raise TypeError(f"{op_name}(): argument '{name}' must be {kind}, not {type_name(value)}")


def bool_argument(value, op_name, name):
    """``value``, which must be a bool (PyTorch's parser refuses 1 and None)."""
    if type(value) is not bool:
        raise TypeError(f"{op_name}(): argument '{name}' must be bool, not {type_name(value)}")
    return value


def check_bools(op_name, **flags):
    """``bool_argument`` for each of ``flags``, in order."""
    for name, value in flags.items():
        bool_argument(value, op_name, name)


def check_tensor_list(tensors, name):
    """Every element a tensor, all on one device: PyTorch's TypeError and RuntimeError."""
    for number, tensor in enumerate(tensors):
        if not isinstance(tensor, Tensor):
            raise TypeError(
                f"expected Tensor as element {number} in argument 0, but got "
                f"{type(tensor).__name__}"
            )
    first_type = type(tensors[0]._data)
    for tensor in tensors:
        if type(tensor._data) is not first_type:
            raise mixed_device_error(tensors[0]._data, tensor._data, name)


def check_tensors(op_name, optional=False, **arguments):
    """PyTorch's TypeError for an argument that must be a tensor and is not, named (with
    ``optional``, None is let be: a weight or a bias left out)."""
    for name, value in arguments.items():
        if not isinstance(value, Tensor) and not (optional and value is None):
            raise TypeError(
                f"{op_name.rstrip('_')}(): argument '{name}' must be a Tensor, not "
                f"{type_name(value)}"
            )
