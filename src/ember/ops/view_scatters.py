"""slice_scatter, select_scatter and diagonal_scatter: a copy of the input with one view of
it (a slice, a select, a diagonal) replaced by ``src``.

They are the out-of-place forms of writing through a view, and are built so: a clone,
the view taken of it, and ``copy_``, which casts ``src`` to the input's dtype and gives
both operands their gradients (the input's is zero where ``src`` went in).
"""

from ..arguments import check_tensors, integer_argument
from ..autograd.grad_mode import is_grad_enabled
from ..dims import wrap_dim


def slice_scatter(input, src, dim=0, start=None, end=None, step=1):
    dim, step = _checked_arguments("slice_scatter", input, src, dim=dim, step=step)
    start, end = (_bound(value, name) for value, name in ((start, "start"), (end, "end")))
    if not input.ndim:  # PyTorch refuses a slice of a 0-d tensor before reading the dim
        raise IndexError("slice_scatter(): slice() cannot be applied to a 0-dim tensor")
    dim = wrap_dim(dim, input.ndim)
    if step <= 0:  # PyTorch's RuntimeError, where a Python slice's is a ValueError
        raise RuntimeError(f"slice_scatter(): slice step must be positive, got {step}")
    where = (slice(None),) * dim + (slice(start, end, step),)
    return _with_view_replaced(input, src, lambda tensor: tensor[where], "slice_scatter")


def select_scatter(input, src, dim, index):
    dim, index = _checked_arguments("select_scatter", input, src, dim=dim, index=index)
    return _with_view_replaced(
        input, src, lambda tensor: tensor.select(dim, index), "select_scatter"
    )


def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1):
    offset, dim1, dim2 = _checked_arguments(
        "diagonal_scatter", input, src, offset=offset, dim1=dim1, dim2=dim2
    )
    return _with_view_replaced(
        input, src, lambda tensor: tensor.diagonal(offset, dim1, dim2), "diagonal_scatter"
    )


def _checked_arguments(name, input, src, **integers):
    """The ``integers`` as Python ints, after PyTorch's TypeErrors in its order: the
    tensors first, then each int (an integer tensor will do, a bool or a float not)."""
    check_tensors(name, input=input, src=src)
    return [integer_argument(value, name, argument) for argument, value in integers.items()]


def _bound(value, name):
    return None if value is None else integer_argument(value, "slice_scatter", name)


def _with_view_replaced(input, src, view_of, name):
    result = input.clone()
    view = view_of(result)
    if tuple(src.shape) != tuple(view.shape):
        raise RuntimeError(
            f"expected src to have a size equal to the slice of self. src size = "
            f"{list(src.shape)}, slice size = {list(view.shape)}"
        )
    if src.requires_grad and not input.dtype.is_floating_point and is_grad_enabled():
        # the result takes the input's dtype, which can carry no gradient back to src
        raise RuntimeError(
            f"{name}(): Autograd not support dtype: {input.dtype} (src requires grad, and "
            f"the result would be of the input's dtype; give the input a float dtype)"
        )
    view.copy_(src)
    return result
