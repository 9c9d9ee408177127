"""In-place ops: ``add_``, ``mul_``, ``X[i] = v``, ``fill_``... on the same storage.

Outside a recorded graph an in-place op is one NumPy call with ``out=``: the
tensor keeps its ``id()``, its storage and its views. Inside one, the op runs
out of place (on a snapshot of the tensor when its backward saves the old
values), the result is copied into the storage, and the tensor takes the new
node as its ``grad_fn``. Either way the version counter moves, so a backward
pass that saved the old values refuses to use the new ones.
"""

from .. import backend, dtypes
from ..autograd import grad_mode
from ..autograd.function import move_retained_grad
from ..autograd.views import base_of_written_view, rebase_after_write
from ..device import check_same_device
from ..tensor import Tensor
from .memory_overlap import may_overlap
from .operands import broadcast_error, same_device, wrapped_integer

_grad_state = grad_mode.state


def check_leaf(tensor):
    """PyTorch's first refusal of an in-place op, before it reads the operands or the
    dtypes: with grad mode on, ``tensor`` is a leaf that requires grad, or a view of one
    (``leaf[1:].bitwise_xor_(1.5)`` is that RuntimeError, not the dtype's)."""
    if not (tensor._requires_grad and _grad_state.enabled):
        return
    node = tensor.grad_fn
    if node is None:
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation. "
            "Wrap the update in `with ember.no_grad():` or change .data instead."
        )
    if node.view_of is not None:
        refuse_a_view_of_a_leaf(node.view_of[0])


def refuse_a_view_of_a_leaf(base):
    """A view whose ``base`` is a leaf that requires grad may change in place only under
    no_grad, as in PyTorch."""
    if base is not None and base._requires_grad and base.grad_fn is None:
        raise RuntimeError(
            "a view of a leaf Variable that requires grad is being used in an in-place "
            "operation. Wrap the update in `with ember.no_grad():` or clone() the view."
        )


def refuse_to_record_a_write_into_shared_elements(tensor):
    """A recorded write computes the new values out of place and copies them in: where
    elements of ``tensor`` share memory (a view by ``unfold`` or ``as_strided``), the copy
    would put old values back over new ones, and the gradient would count a shared
    element once for each place it appears. Refused rather than wrong (PyTorch records it)."""
    data = tensor._data
    if data.size and backend.is_writeable(data) and may_overlap(data.shape, data.strides):
        raise RuntimeError(
            f"ember cannot record an in-place write into a tensor of shape {tuple(data.shape)} "
            "whose elements share memory (a view made by unfold or as_strided): clone() it "
            "first, or write under ember.no_grad()"
        )


def assign_in_place(tensor, op, arguments, write):
    """Apply ``op`` to ``tensor`` in place; ``write(array, *argument_arrays)`` is the fast path."""
    check_leaf(tensor)
    if _grad_state.enabled and (tensor._requires_grad or _any_requires_grad(arguments)):
        view_of = base_of_written_view(tensor)
        base = view_of[0] if view_of is not None else None
        refuse_a_view_of_a_leaf(base)
        refuse_to_record_a_write_into_shared_elements(tensor)
        view_node = tensor.grad_fn
        source = _snapshot(tensor) if op.saves_inputs else tensor  # copy what backward reads
        result = op.apply(source, *arguments)
        try:
            tensor._data[...] = result._data
        except ValueError as error:
            _refuse_write(tensor, error)
        tensor._counter().value += 1
        tensor.grad_fn = result.grad_fn
        tensor._requires_grad = True
        move_retained_grad(tensor, view_node)
        if base is not None:
            if view_node is not None:
                view_node.view_of = None  # superseded (and no cycle through the base)
            rebase_after_write(tensor, *view_of)
        return tensor
    argument_arrays = [_data_of(argument) for argument in arguments]
    try:
        write(tensor._data, *argument_arrays)
    except (ValueError, RuntimeError) as error:
        _refuse_write(tensor, error)
        write(tensor._data.copy(), *argument_arrays)  # empty: no write, but shapes checked
    tensor._counter().value += 1
    return tensor


def keep_written_as_saved_output(tensor, result):
    """After an in-place form wrote ``result`` into ``tensor``: an op that saved its output
    for backward keeps ``tensor`` itself instead, as PyTorch does, so that a later write to
    ``tensor`` (relu_ then sigmoid_) is refused at backward rather than let through."""
    node = result.grad_fn
    if node is not None and node.saves_output:
        node.saved_output = (tensor._data, tensor._counter(), tensor._version)


def _refuse_write(tensor, error):
    """After a write into ``tensor`` failed: ``error`` again where its memory can be written
    (a shape that does not fit), PyTorch's error where it cannot (an expanded tensor, a
    read-only NumPy array's), and nothing for an empty one, which PyTorch writes into."""
    if backend.is_writeable(tensor._data):  # CuPy arrays have no such flag
        raise error
    if tensor._data.size:
        raise _write_error(tensor) from None


def _write_error(tensor):
    if not backend.is_writeable(backend.storage_root(tensor._data)):
        return RuntimeError(
            f"cannot write into a tensor of shape {tuple(tensor.shape)} whose memory is a "
            "read-only NumPy array's (from_numpy of an array that is not writable). Please "
            "clone() the tensor before performing the operation."
        )
    return RuntimeError(
        "unsupported operation: more than one element of the written-to tensor refers to a "
        f"single memory location (a tensor of shape {tuple(tensor.shape)} made by expand "
        "or as_strided). "
        "Please clone() the tensor before performing the operation."
    )


def _snapshot(tensor):
    """The tensor's current values, version and history, in storage the write will not
    touch. The version tells a view whose base changed since to take its history afresh."""
    snapshot = Tensor._make(tensor._data.copy())
    snapshot.grad_fn = tensor.grad_fn
    snapshot._requires_grad = tensor._requires_grad
    snapshot._counter().value = tensor._counter().value
    return snapshot


def _any_requires_grad(arguments):
    for argument in arguments:
        if isinstance(argument, Tensor) and argument._requires_grad:
            return True
    return False


def _data_of(value):
    return value._data if isinstance(value, Tensor) else value


def check_castable(tensor, other, op_name, result_kind=None):
    """PyTorch refuses in-place results of a wider kind (float into an int tensor)."""
    target = dtypes.from_numpy(tensor._data.dtype)
    if isinstance(other, Tensor) and type(other._data) is not type(tensor._data):
        check_same_device(tensor._data, other._data, op_name)
    result = dtypes.result_type(tensor, other)
    if result_kind is not None and result_kind > result.kind:
        result = dtypes.default_for_kind(result_kind)
    refuse_wider_result(result, target, op_name)


def refuse_wider_result(result, target, op_name):
    """An in-place op's result dtype must not be of a wider kind than the tensor's."""
    if result.kind > target.kind:
        raise RuntimeError(
            f"result type {dtypes.scalar_type_name(result)} can't be cast to the desired "
            f"output type {dtypes.scalar_type_name(target)} (in {op_name})"
        )


def binary_in_place(tensor, op, other, ufunc_name, result_kind=None):
    """``tensor = tensor <op> other`` in place; ``result_kind`` when the op's result kind
    is not the operands' (true division of integers gives a float)."""
    if isinstance(other, backend.generic_scalar):  # np.float64(0.1): a Python number
        other = backend.python_number(other)
    if not _grad_state.enabled and _update_float_in_place(tensor, other, ufunc_name):
        return tensor
    if isinstance(other, Tensor) and type(other._data) is not type(tensor._data):
        # a 0-d CPU tensor may join a CUDA one
        other = same_device(tensor, other, ufunc_name + "_")[1]
    check_in_place_shape(tensor, other)  # PyTorch's order: the shape, then the cast
    check_castable(tensor, other, ufunc_name + "_", result_kind)
    integer_power = False
    if ufunc_name == "power":
        _refuse_bool_power(tensor, other)
        integer_power = isinstance(other, Tensor) and tensor._data.dtype.kind in "iu"
    if type(other) is int and tensor._data.dtype.kind in "iu":
        if ufunc_name == "power" and other < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        other = wrapped_integer(other, tensor._data.dtype)
    ufunc = getattr(backend.namespace_of(tensor._data), ufunc_name)

    def write(target, value):
        if integer_power:  # NumPy refuses int ** negative int, which PyTorch computes
            target[...] = op().forward(target, value)
            return
        try:
            ufunc(target, value, out=target, casting="unsafe")
        except ValueError as error:  # NumPy's refusal, as PyTorch's exception type
            raise RuntimeError(str(error)) from None

    return assign_in_place(tensor, op, (other,), write)


def _refuse_bool_power(tensor, exponent):
    """PyTorch has no pow kernel for a bool tensor raised to a bool tensor (a Python bool
    exponent is a number, which it takes)."""
    if tensor._data.dtype.kind == "b" and isinstance(exponent, Tensor):
        if exponent._data.dtype.kind == "b":
            raise NotImplementedError(
                "pow_ is not implemented for a bool tensor raised to a bool tensor; "
                "convert one of them with .long() first"
            )


def _update_float_in_place(tensor, other, ufunc_name):
    """The optimizer's case, one NumPy call: a float tensor updated under no_grad by a
    Python number or a tensor of its own dtype, shape and device. False: not that case."""
    data = tensor._data
    if data.dtype.kind != "f":
        return False
    if isinstance(other, Tensor):
        value = other._data
        if value.dtype != data.dtype or value.shape != data.shape or type(value) is not type(data):
            return False
    elif type(other) is float or (type(other) is int and -(2**63) <= other < 2**64):
        value = other  # (a bigger int is refused by the general path, as in PyTorch)
    else:
        return False
    try:
        getattr(backend.namespace_of(data), ufunc_name)(data, value, out=data)
    except ValueError:  # read-only (an expanded view): the general path explains
        return False
    tensor._counter().value += 1
    return True


def fill_in_place(tensor, value):
    """``fill_``/``zero_`` with a number under no_grad (``grad.zero_()``): one NumPy call.
    Only a number every float type holds takes this path; another is checked first."""
    data = tensor._data
    if _grad_state.enabled or type(value) not in (int, float) or data.dtype.kind != "f":
        return False
    if not -65504 <= value <= 65504:  # float16's largest (NaN is not in range either)
        return False
    if not backend.is_writeable(data):
        return False
    data.fill(value)
    tensor._counter().value += 1
    return True


def check_in_place_shape(tensor, other):
    """An in-place result keeps the tensor's shape, so ``other`` must broadcast to it."""
    if not isinstance(other, Tensor):
        return  # a number fits any shape
    shape, other_shape = tensor._data.shape, other._data.shape
    if other_shape == shape:
        return
    error = broadcast_error(tensor, other)
    if error is not None:
        raise error
    broadcast = backend.cpu_namespace.broadcast_shapes(shape, other_shape)
    if broadcast != shape:
        raise RuntimeError(
            f"output with shape {list(shape)} doesn't match the broadcast shape {list(broadcast)}"
        )
