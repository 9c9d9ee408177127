"""Dims as PyTorch takes them: negative ones count from the end, and a dim out of
range is PyTorch's IndexError with its message."""

import functools
import operator


def wrap_dim(dim, ndim):
    """``dim`` of a tensor with ``ndim`` dims as a non-negative index (a 0-d tensor takes
    -1 and 0, as in PyTorch); out of range, PyTorch's IndexError."""
    if dim.__class__ is not int:  # (the common call pays one test)
        if dim.__class__ is bool:  # an int to Python, but not a dim to PyTorch
            raise TypeError(f"a dim must be an int, not a bool ({dim})")
        _check_integer(dim)  # x.sum(1.0) is PyTorch's TypeError, not an IndexError
    low, high = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    try:
        in_range = low <= dim <= high
    except RuntimeError:  # a tensor of several dims, whose comparison is no one bool
        in_range = False
    if not in_range:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})"
        )
    return dim % ndim if ndim else 0


def takes_axis(op):
    """``op``, which has a ``dim``, also taking it by NumPy's name, ``axis=``, as PyTorch's
    bindings take it for every op with a dim (the book writes ``X.sum(axis=0)``, and
    ``x.sort(axis=1)``, ``gather(x, axis=1, index=i)`` follow)."""

    @functools.wraps(op)
    def op_taking_axis(*args, **kwargs):
        if "axis" in kwargs:
            if "dim" in kwargs:
                raise TypeError(f"{op.__name__}() got both 'dim' and its alias 'axis'; give one")
            kwargs["dim"] = kwargs.pop("axis")
        return op(*args, **kwargs)

    return op_taking_axis


def _check_integer(dim):
    try:
        operator.index(dim)
    except TypeError:
        raise TypeError(f"a dim must be an int, not {type(dim).__name__} ({dim!r})") from None


def normalize_dims(dim, ndim):
    """None -> None; int or sequence -> a tuple of non-negative axes, checked."""
    if dim is None:
        return None
    if isinstance(dim, int):
        dims = (dim,)
    else:
        try:
            dims = tuple(dim)
        except TypeError:  # a 0-d integer tensor or a NumPy integer: one dim
            _check_integer(dim)
            dims = (operator.index(dim),)
        if bool in map(type, dims):  # among several dims a bool reads as an int, in PyTorch
            dims = tuple(map(int, dims))
    if not dims:
        return None
    axes = [wrap_dim(d, ndim) for d in dims]
    if len(set(axes)) != len(axes):
        repeated = next(axis for axis in axes if axes.count(axis) > 1)
        raise RuntimeError(f"dim {repeated} appears multiple times in the list of dims")
    return tuple(axes) if ndim else None
