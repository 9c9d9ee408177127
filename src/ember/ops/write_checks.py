"""The checks every index write (``slice_writes.py``, ``index_writes.py``) makes before
it writes, and how it copies the tensor it writes into: index tensors of the dtypes an op
takes, on the input's device; a source of the input's dtype; numbers the input's dtype
holds; positions in range (skipped on a GPU, where reading them would wait for it).
"""

from .. import backend
from ..arguments import check_tensors
from ..autograd import grad_mode
from ..device import check_same_device
from ..tensor import Tensor
from .gathering import checked_fill_value


def takes_history(value):
    """Whether writing ``value`` would record it in the graph."""
    return isinstance(value, Tensor) and value.requires_grad and grad_mode.state.enabled


def checked_index(index, input, op_name, allowed, error):
    """An index tensor of one of the ``allowed`` dtypes (even when empty), on the input's
    device; a dtype not allowed is PyTorch's ``error`` for this op."""
    check_tensors(op_name, index=index)
    check_same_device(input._data, index._data, op_name)
    if index._data.dtype.name not in allowed:
        raise error(
            f"{op_name}(): expected an index of dtype {' or '.join(allowed)}, got "
            f"{index.dtype}; convert it with .long()"
        )
    return index


def check_same_dtype(input, source, op_name, source_name="source"):
    if source._data.dtype != input._data.dtype:
        raise RuntimeError(
            f"{op_name}(): the input ({input.dtype}) and the {source_name} ({source.dtype}) "
            f"must have the same dtype; convert the {source_name} with .to({input.dtype})"
        )


def checked_number(value, input, op_name):
    """A number to write into ``input``, as PyTorch takes it (see ``checked_fill_value``)."""
    value = backend.python_number(value)
    if isinstance(value, complex):
        raise RuntimeError(f"{op_name}(): a complex value can't be written into {input.dtype}")
    return checked_fill_value(input, value, op_name.rstrip("_"))


def check_positions(positions, size, out_of_range):
    """Every position (an array) from ``-size`` to ``size - 1``, else the exception that
    ``out_of_range(position)`` makes. Skipped on a GPU (see the module's doc)."""
    if not positions.size or backend.is_cuda_array(positions):
        return
    smallest, largest = int(positions.min()), int(positions.max())
    if smallest < -size:
        raise out_of_range(smallest)
    if largest >= size:
        raise out_of_range(largest)


def copy_laid_out(a):
    """A copy of ``a`` laid out as it is, as PyTorch's index_fill, put and index_put copy
    their input (index_add, index_copy and masked_scatter copy it contiguous); an expanded
    input's copy is contiguous."""
    return a.copy(order="C" if 0 in a.strides else "K")


def check_accumulate(accumulate, op_name):
    if type(accumulate) is not bool:
        raise TypeError(
            f"{op_name.rstrip('_')}(): argument 'accumulate' must be a bool, not "
            f"{type(accumulate).__name__}"
        )
