"""slice_scatter, select_scatter and diagonal_scatter: a copy of the input with one view of
it (a slice, a select, a diagonal) replaced by ``src``.

They are the out-of-place forms of writing through a view, and are built so: a clone,
the view taken of it, and ``copy_``, which casts ``src`` to the input's dtype and gives
both operands their gradients (the input's is zero where ``src`` went in).
"""

from ..dims import wrap_dim
from ..tensor import Tensor


def slice_scatter(input, src, dim=0, start=None, end=None, step=1):
    dim = wrap_dim(dim, input.ndim)
    where = (slice(None),) * dim + (slice(start, end, step),)
    return _with_view_replaced(input, src, lambda tensor: tensor[where], "slice_scatter")


def select_scatter(input, src, dim, index):
    return _with_view_replaced(
        input, src, lambda tensor: tensor.select(dim, index), "select_scatter"
    )


def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1):
    return _with_view_replaced(
        input, src, lambda tensor: tensor.diagonal(offset, dim1, dim2), "diagonal_scatter"
    )


def _with_view_replaced(input, src, view_of, name):
    for argument, value in (("input", input), ("src", src)):
        if not isinstance(value, Tensor):
            raise TypeError(
                f"{name}(): argument '{argument}' must be Tensor, not {type(value).__name__}"
            )
    result = input.clone()
    view = view_of(result)
    if tuple(src.shape) != tuple(view.shape):
        raise RuntimeError(
            f"expected src to have a size equal to the slice of self. src size = "
            f"{list(src.shape)}, slice size = {list(view.shape)}"
        )
    view.copy_(src)
    return result
