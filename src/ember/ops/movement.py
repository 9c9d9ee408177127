"""Ops that move elements without computing: reshape, view, permute, transpose, movedim,
expand, squeeze, flip, rot90, unfold, clone, narrow, select, roll.

Most return views that share the input's memory and version counter, as in
PyTorch; their backward moves the gradient back the same way. Joining tensors is in
``joining.py``, cutting one into pieces in ``splitting.py``.
"""

import math
import operator

from .. import backend, dtypes
from ..arguments import integer_argument, is_integer, shape_argument, type_name
from ..autograd.engine import sum_to_shape
from ..autograd.function import Function
from ..backend import c_contiguous
from ..backend import namespace_of as xp  # the array namespace of an array
from ..dims import normalize_dims, takes_axis, wrap_dim
from ..tensor import Tensor
from .indexing import GetItem, array_index
from .inplace import check_leaf, refuse_a_view_of_a_leaf


def infer_shape(shape, numel):
    """Resolve one -1 and check the element count, with PyTorch's RuntimeError."""
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for size in shape:
        if size != -1:
            if size < 0:
                raise RuntimeError(f"invalid shape dimension {size}")
            known *= size
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        return tuple(numel // known if size == -1 else size for size in shape)
    if known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


class Reshape(Function):
    listed_inputs = (0,)
    strided = False  # reshape() made a view of a tensor that is not contiguous

    def forward(self, a, shape, must_view):
        self.input_shape = a.shape
        if must_view:
            try:
                if a.__class__ is backend.RESHAPES_WITHOUT_COPY:
                    out = a.reshape(shape, copy=False)
                else:
                    out = backend.view_in_shape(a, shape)
            except ValueError:
                raise RuntimeError(
                    "view size is not compatible with input tensor's size and stride (at least "
                    "one dimension spans across two contiguous subspaces). Use .reshape(...) "
                    "instead."
                ) from None
        else:
            out = a.reshape(shape)
            self.strided = not a.flags.c_contiguous
        # an empty array shares no memory, but PyTorch's reshape of one is a view
        self.is_view = must_view or not a.size or backend.may_share_memory(out, a)
        return out

    def backward(self, grad):
        return grad.reshape(self.input_shape), None, None

    def name(self):
        if not self.is_view:
            return "UnsafeViewBackward0"  # a copy, viewed
        return "ReshapeAliasBackward0" if self.strided else "ViewBackward0"


class Permute(Function):
    is_view = True
    listed_inputs = (0,)

    def forward(self, a, axes):
        self.axes = axes
        return a.transpose(axes)

    def backward(self, grad):
        inverse = [0] * len(self.axes)
        for position, axis in enumerate(self.axes):
            inverse[axis] = position
        return grad.permute(inverse), None


class Transpose(Permute):
    """Two dims swapped (``transpose``, ``mT``), or ``t()`` (``label`` "T"): a permute that
    PyTorch records under its own name."""

    def forward(self, a, axes, label="Transpose"):
        self.axes, self.label = axes, label
        return a.transpose(axes)

    def backward(self, grad):
        return grad.permute(self.axes), None, None  # a swap undoes itself

    def name(self):
        return self.label + "Backward0"


class Squeeze(Reshape):
    """Size-1 dims taken out: PyTorch's SqueezeBackward0 (every dim), 1 (one dim given) or
    2 (a tuple of dims)."""

    def forward(self, a, shape, overload):
        self.overload = overload
        return super().forward(a, shape, True)

    def name(self):
        return f"SqueezeBackward{self.overload}"


class Unsqueeze(Reshape):
    """A size-1 dim put in."""

    def forward(self, a, shape):
        return super().forward(a, shape, True)

    def backward(self, grad):
        return grad.reshape(self.input_shape), None

    def name(self):
        return "UnsqueezeBackward0"


class UnsqueezeInPlace(Unsqueeze):
    """``unsqueeze_``: PyTorch names the in-place form's node apart."""

    def name(self):
        return "UnsqueezeBackward1"


class TransposeInPlace(Transpose):
    """``t_``, ``transpose_``: PyTorch names the in-place forms' nodes apart."""

    def name(self):
        return self.label + "Backward1"


class Expand(Function):
    is_view = True
    listed_inputs = (0,)

    def forward(self, a, shape, stretches=True):
        self.input_shape = a.shape
        if not stretches:  # only new size-1 dims, or none: a plain view, which can be written to
            return a[(None,) * (len(shape) - a.ndim)] if len(shape) > a.ndim else a.view()
        return backend.broadcast_to(a, shape)

    def backward(self, grad):
        return sum_to_shape(grad, self.input_shape), None, None


class Flip(Function):
    listed_inputs = (0,)

    def forward(self, a, axes):
        self.axes = axes
        return _flipped_copy(a, axes)

    def backward(self, grad):
        return grad.flip(self.axes), None


def _flipped_copy(array, axes):
    """``array`` flipped along ``axes``, in a copy laid out as PyTorch's flip lays it out: as
    ``array`` is, or, for an array that repeats elements (a zero stride, as expand makes),
    as its clone is (NumPy's order "K" would put the dim of stride 0 innermost)."""
    flipped = xp(array).flip(array, axes)
    if 0 not in array.strides or array.size <= 1:
        return flipped.copy(order="K")
    laid_out = _copied_in_dim_order(array)
    laid_out[...] = flipped
    return laid_out


class Rot90(Function):
    """A quarter turn ``k`` times, from the first of ``axes`` towards the second: a copy,
    laid out as PyTorch's flip-then-transpose lays it out."""

    listed_inputs = (0,)

    def forward(self, a, k, axes):
        self.k, self.axes = k, axes
        turns = k % 4
        if turns == 0:
            return a.copy(order="C")
        if turns == 2:
            return _flipped_copy(a, axes)
        return _flipped_copy(a, axes[1] if turns == 1 else axes[0]).swapaxes(*axes)

    def backward(self, grad):
        return Rot90.apply(grad, -self.k, self.axes), None, None  # turned back


class Unfold(Function):
    """Windows of ``size`` elements every ``step`` along dim ``dim``, as a new last dim: a
    view whose windows may overlap."""

    is_view = True
    listed_inputs = (0,)

    def forward(self, a, dim, size, step):
        self.input_shape, self.where = a.shape, (dim, size, step)
        return _windows(a, dim, size, step)

    def backward(self, grad):
        return UnfoldBackward.apply(grad, self.input_shape, *self.where), None, None, None


class UnfoldBackward(Function):
    """The gradient of ``unfold``: each window's gradient added back where the window lay."""

    listed_inputs = (0,)

    def forward(self, grad, input_shape, dim, size, step):
        self.where = (dim, size, step)
        out = xp(grad).zeros(input_shape, grad.dtype)
        windows = _windows(out, dim, size, step)
        if step >= size:  # windows apart: each element lies in one window at most
            windows[...] = grad
        else:  # one place in every window at a time: those never overlap
            for place in range(size):
                windows[..., place] += grad[..., place]
        return out

    def backward(self, grad):
        return Unfold.apply(grad, *self.where), None, None, None, None


def _windows(array, dim, size, step):
    """The strided view ``unfold`` gives. PyTorch reads a 0-d tensor as one element along
    dim 0, and gives its window alone, without a dim of windows."""
    if array.ndim == 0:
        return array.reshape(1)[:size]
    count = (array.shape[dim] - size) // step + 1
    shape = array.shape[:dim] + (count,) + array.shape[dim + 1 :] + (size,)
    strides = array.strides
    strides = strides[:dim] + (strides[dim] * step,) + strides[dim + 1 :] + (strides[dim],)
    windows = xp(array).lib.stride_tricks.as_strided(array, shape, strides)
    # NumPy's as_strided gives a plain ndarray for an array of a subclass: view it as one
    return windows if type(windows) is type(array) else windows.view(type(array))


class Clone(Function):
    """A copy, laid out as ``a`` is (PyTorch's ``preserve_format``: the clone of a
    transposed tensor is transposed too) unless ``order="C"`` asks for a contiguous one."""

    listed_inputs = (0,)

    def forward(self, a, order):
        if order == "K" and 0 in a.strides and a.size > 1:
            return _copied_in_dim_order(a)
        return a.copy(order=order)

    def backward(self, grad):
        return grad, None


def _copied_in_dim_order(array):
    """A dense copy of an array that repeats elements (a zero stride, as expand makes),
    with its dims laid out as PyTorch's clone lays them: ordered by stride, innermost the
    smallest, where a dim of stride 0 keeps its place (NumPy's order "K" would put it
    innermost)."""
    strides, sizes = array.strides, array.shape

    def comes_after(dim, other):  # 1: swap them, -1: in order, 0: no telling, look further
        if strides[dim] == 0 or strides[other] == 0:
            return 0
        if strides[dim] != strides[other]:
            return 1 if strides[dim] > strides[other] else -1
        return 1 if sizes[dim] > sizes[other] else 0

    order = list(range(array.ndim))[::-1]  # innermost first, as a contiguous array has them
    for i in range(1, len(order)):  # PyTorch's insertion sort, which no zero stride stops
        moving = i
        for before in range(i - 1, -1, -1):
            verdict = comes_after(order[before], order[moving])
            if verdict < 0:
                break
            if verdict > 0:
                order[before], order[moving] = order[moving], order[before]
                moving = before
    outer_first = order[::-1]
    # a copy always (ascontiguousarray would hand back an array already so laid out)
    laid_out = array.transpose(outer_first).copy(order="C")
    return laid_out.transpose(sorted(range(array.ndim), key=outer_first.__getitem__))


def reshape(input, *sizes, shape=None):
    """``input``'s elements, in order, in a tensor of the new shape.

    One size may be -1: it is worked out from the others. The result shares memory
    with ``input`` (a view) when it can, else it is a copy; count on neither.

    >>> x = ember.arange(6)
    >>> ember.reshape(x, (2, 3))
    tensor([[0, 1, 2],
            [3, 4, 5]])
    >>> x.reshape(-1, 2).shape
    ember.Size([3, 2])
    """
    if shape is not None:
        sizes = (shape,)
    elif not sizes:
        raise TypeError(
            "reshape() missing the new shape: reshape(2, 3), reshape((2, 3)), or reshape(()) "
            "for a 0-d tensor"
        )
    shape = shape_argument(sizes)
    if shape != input._data.shape:
        shape = infer_shape(shape, input._data.size)
    if shape == input._data.shape and input._data.flags.c_contiguous:
        return _alias(input)  # y.reshape(y_hat.shape) in the book's loss: nothing to check
    return Reshape.apply(input, shape, False)  # a view where it can be, else a copy


def view(input, *shape, size=None, dtype=None):
    if size is not None:
        shape = (size,)
    elif dtype is not None and not shape:
        shape = (dtype,)
    elif not shape:
        raise TypeError("view() missing the new shape: view(2, 3), or view(()) for a 0-d tensor")
    if len(shape) == 1 and shape[0] in (float, int, bool):  # Python's types: as PyTorch
        shape = (dtypes.to_dtype(shape[0]),)
    if len(shape) == 1 and isinstance(shape[0], dtypes.dtype):
        from .raw_views import view_as_type  # raw_views builds on this file's views

        return view_as_type(input, shape[0])
    shape = infer_shape(shape_argument(shape), input._data.size)
    return Reshape.apply(input, shape, True)


def _alias(input):
    """A view with the same shape: a new tensor object over the same memory."""
    return Reshape.apply(input, input._data.shape, True)


def flatten(input, start_dim=0, end_dim=-1):
    """``input`` with its dims from ``start_dim`` to ``end_dim`` (default: all) joined into one.

    ``flatten(x, 1)`` keeps the first (batch) dim. A view when it can be, as ``reshape``.

    >>> x = ember.zeros(2, 3, 4)
    >>> ember.flatten(x).shape
    ember.Size([24])
    >>> ember.flatten(x, start_dim=1).shape
    ember.Size([2, 12])
    """
    shape = input._data.shape
    # checked first: a 0-d tensor takes only -1 and 0
    start = input._dim(integer_argument(start_dim, "flatten", "start_dim"))
    end = input._dim(integer_argument(end_dim, "flatten", "end_dim"))
    if not shape:
        return reshape(input, 1)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return input  # nothing to join: PyTorch hands back the tensor itself, not a view
    middle = 1
    for size in shape[start : end + 1]:
        middle *= size
    return reshape(input, shape[:start] + (middle,) + shape[end + 1 :])


def unflatten(input, dim, sizes):
    """Dim ``dim`` split into ``sizes`` (a tuple or list; one may be -1): always a view."""
    dim = integer_argument(dim, "unflatten", "dim")
    if input._data.ndim == 0:  # dims -1 and 0 exist for PyTorch's range check, no other
        wrap_dim(dim, 0)
        raise RuntimeError(f"unflatten: dim {dim} does not exist in a 0-d tensor")
    dim = input._dim(dim)
    if not isinstance(sizes, (tuple, list)):
        raise TypeError(
            f"unflatten(): argument 'sizes' must be a tuple of ints, not {type_name(sizes)}"
        )
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty (give at least one size)")
    shape = input._data.shape
    sizes = infer_shape(shape_argument((sizes,)), shape[dim])
    return Reshape.apply(input, shape[:dim] + sizes + shape[dim + 1 :], True)


def permute(input, *order, dims=None):
    dims = order if dims is None else (dims,)
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    dims = shape_argument(dims)
    if len(dims) != input._data.ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {input.ndim} is "
            f"not equal to len(dims) = {len(dims)}"
        )
    axes = tuple(input._dim(d) for d in dims)
    if len(set(axes)) != len(axes):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return Permute.apply(input, axes)


def movedim(input, source, destination):
    """The dims at ``source`` moved to the places ``destination`` (two ints, or two
    sequences of ints of one length); the other dims keep their order. A permute, as in
    PyTorch, which names its node so."""
    sources, destinations = _dims_to_move(source, destination)
    if len(sources) != len(destinations):
        raise RuntimeError(
            f"movedim: source {list(sources)} and destination {list(destinations)} must "
            "name the same number of dims"
        )
    sources = [input._dim(dim) for dim in sources]
    destinations = [input._dim(dim) for dim in destinations]
    for name, dims in (("source", sources), ("destination", destinations)):
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({dims})")
    ndim = input._data.ndim
    if ndim == 0:
        return input[...]  # dim 0 moves onto itself: PyTorch gives an alias
    order = [None] * ndim
    for source_dim, destination_dim in zip(sources, destinations):
        order[destination_dim] = source_dim
    staying = iter(dim for dim in range(ndim) if dim not in sources)
    return Permute.apply(input, tuple(next(staying) if dim is None else dim for dim in order))


moveaxis = movedim


def _dims_to_move(source, destination):
    """movedim's two arguments as tuples of ints: both ints, or both sequences."""
    if isinstance(source, (tuple, list)) and isinstance(destination, (tuple, list)):
        return (
            tuple(integer_argument(dim, "movedim", "source") for dim in source),
            tuple(integer_argument(dim, "movedim", "destination") for dim in destination),
        )
    if isinstance(source, (tuple, list)) or isinstance(destination, (tuple, list)):
        raise TypeError(
            "movedim() takes two ints or two tuples of ints as source and destination, not "
            f"{type_name(source)} and {type_name(destination)}"
        )
    return (
        (integer_argument(source, "movedim", "source"),),
        (integer_argument(destination, "movedim", "destination"),),
    )


def transpose(input, dim0, dim1):
    """A view of ``input`` with dims ``dim0`` and ``dim1`` swapped.

    The view shares ``input``'s memory: a write to one shows in the other. For a
    matrix, ``x.T`` is the same.

    >>> x = ember.tensor([[1, 2, 3]])
    >>> ember.transpose(x, 0, 1)
    tensor([[1],
            [2],
            [3]])
    """
    return Transpose.apply(input, _swapped_axes(input, dim0, dim1))


def _swapped_axes(input, dim0, dim1):
    axes = list(range(input._data.ndim))
    first, second = input._dim(dim0), input._dim(dim1)  # a 0-d tensor takes -1 and 0
    if axes:
        axes[first], axes[second] = axes[second], axes[first]
    return tuple(axes)


def t(input):
    ndim = input._data.ndim
    if ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return Transpose.apply(input, (1, 0) if ndim == 2 else tuple(range(ndim)), "T")


def matrix_transpose(input):
    if input._data.ndim < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices.")
    return transpose(input, -2, -1)


def reverse_dims(input):
    return Permute.apply(input, tuple(range(input._data.ndim - 1, -1, -1)))


def expand(input, *sizes, size=None):
    if not sizes and size is None:
        raise TypeError("expand() missing the sizes: expand(3, 4), or expand(-1, 4) to keep one")
    sizes = shape_argument(sizes if size is None else (size,))
    shape = input._data.shape
    if len(sizes) < len(shape):
        raise RuntimeError(
            f"expand: the number of sizes provided ({len(sizes)}) must be greater or equal to "
            f"the number of dimensions in the tensor ({len(shape)})"
        )
    lead = len(sizes) - len(shape)
    target = []
    for index, size in enumerate(sizes):
        current = shape[index - lead] if index >= lead else None
        if size == -1:
            if current is None:
                raise RuntimeError("expand: -1 is not allowed in a leading, new dimension")
            size = current
        elif size < 0:
            raise RuntimeError(f"expand: size {size} is negative; only -1 (keep the size) is")
        elif current is not None and current != 1 and current != size:
            raise RuntimeError(
                f"The expanded size of the tensor ({size}) must match the existing size "
                f"({current}) at non-singleton dimension {index}.  Target sizes: {list(sizes)}.  "
                f"Tensor sizes: {list(shape)}"
            )
        target.append(size)
    target = tuple(target)  # the same shape too makes an ExpandBackward0 node, as in PyTorch
    stretches = target != shape and (math.prod(target) != input._data.size or not input._data.size)
    return Expand.apply(input, target, stretches)


def expand_as(input, other):
    return expand(input, other.shape)


def view_as(input, other):
    return view(input, other.shape)


def reshape_as(input, other):
    return reshape(input, other.shape)


def broadcast_to(input, shape):
    return expand(input, shape)


def squeeze(input, dim=None, *, axis=None):
    """A view of ``input`` without its size-1 dims, or only without dim ``dim``.

    A ``dim`` whose size is not 1 is left as it is, with no error.

    >>> x = ember.zeros(2, 1, 3, 1)
    >>> ember.squeeze(x).shape
    ember.Size([2, 3])
    >>> ember.squeeze(x, 1).shape
    ember.Size([2, 3, 1])
    >>> ember.squeeze(x, 0).shape
    ember.Size([2, 1, 3, 1])
    """
    dim = _dim_or_axis(dim, axis, "squeeze")
    return Squeeze.apply(input, *_squeezed_shape(input, dim))


def _squeezed_shape(input, dim):
    """The shape without the size-1 dims ``dim`` names (all of them for None), and which of
    PyTorch's three squeeze overloads that call is (every dim, one dim, a tuple of dims)."""
    shape = input._data.shape
    if dim is None:
        axes = range(len(shape))
    else:
        axes = normalize_dims(dim, len(shape)) or ()
    new_shape = tuple(size for axis, size in enumerate(shape) if not (axis in axes and size == 1))
    overload = 0 if dim is None else 2 if isinstance(dim, (tuple, list)) else 1
    return new_shape, overload


def unsqueeze(input, dim=None, *, axis=None):
    """A view of ``input`` with a new dim of size 1 at position ``dim``.

    ``dim`` counts in the result, so -1 adds the dim at the end. It turns a vector
    into a row (``dim=0``) or a column (``dim=1``) that broadcasts.

    >>> x = ember.tensor([1, 2, 3])
    >>> ember.unsqueeze(x, 0).shape
    ember.Size([1, 3])
    >>> ember.unsqueeze(x, 1)
    tensor([[1],
            [2],
            [3]])
    """
    dim = _dim_or_axis(dim, axis, "unsqueeze")
    if dim is None:
        raise TypeError("unsqueeze() missing the dim at which to insert a size-1 dim: unsqueeze(0)")
    return Unsqueeze.apply(input, _unsqueezed_shape(input, dim))


def _unsqueezed_shape(input, dim):
    shape = input._data.shape
    dim = wrap_dim(dim, len(shape) + 1)  # the new dim may also go after the last
    return shape[:dim] + (1,) + shape[dim:]


# In-place view ops: the tensor itself takes the view's shape and strides -------------


def squeeze_(input, dim=None):
    check_in_place(input)
    shape, overload = _squeezed_shape(input, dim)
    return become_view(input, Squeeze, shape, overload + 3)  # SqueezeBackward3, 4 or 5


def unsqueeze_(input, dim):
    check_in_place(input)
    return become_view(input, UnsqueezeInPlace, _unsqueezed_shape(input, dim))


def t_(input):
    check_in_place(input)
    ndim = input._data.ndim
    if ndim > 2:
        raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is {ndim}D")
    return become_view(input, TransposeInPlace, (1, 0) if ndim == 2 else tuple(range(ndim)), "T")


def swapaxes(input, axis0, axis1):
    """``transpose`` under NumPy's names, as PyTorch spells them for this alias."""
    return transpose(input, axis0, axis1)


def transpose_(input, dim0, dim1):
    check_in_place(input)
    return become_view(input, TransposeInPlace, _swapped_axes(input, dim0, dim1))


def check_in_place(tensor):
    """PyTorch's refusals, made before the arguments are checked: a leaf that requires
    grad, or a view of one, may change in place only under no_grad."""
    check_leaf(tensor)
    node = tensor.grad_fn
    refuse_a_view_of_a_leaf(node.view_of[0] if node is not None and node.view_of else None)


def become_view(tensor, op, *arguments):
    """``tensor`` becomes the view ``op`` takes of it: same memory, new shape and strides,
    its version moved on as PyTorch moves it. In a graph it takes the view's node; it is a
    view of what it was a view of before (of nothing, if nothing)."""
    node = tensor.grad_fn
    was_view_of = node.view_of if node is not None else None
    before = _stand_in(tensor)
    after = op.apply(before, *arguments)
    tensor._data = after._data
    counter = tensor._counter()
    counter.value += 1
    if was_view_of is None:
        # a base's new layout leaves stale the steps of the views taken from it; a recorded
        # view's does not (theirs, and its own, start from the base it shares with them)
        counter.layout_changed_at = counter.value
    new_node = after.grad_fn
    if new_node is not None:
        if was_view_of is None:
            new_node.view_of = None  # it looked into `before`, which is `tensor` itself
        else:
            new_node.view_version = counter.value  # taken now: no need to take it afresh
        tensor.grad_fn = new_node  # (retain_grad()'s hook stays behind, as in PyTorch)
    elif getattr(tensor, "_view_source", None) is not None:
        tensor._view_source = after._view_source  # still a view of its base, through `before`
    return tensor


def _stand_in(tensor):
    """A tensor object for ``tensor`` as it is now (memory, history, version counter, what
    it is a view of), to take the view from while ``tensor`` itself changes."""
    stand_in = Tensor._make(tensor._data)
    stand_in.grad_fn, stand_in._requires_grad = tensor.grad_fn, tensor._requires_grad
    stand_in._version_counter = tensor._counter()
    source = getattr(tensor, "_view_source", None)
    if source is not None:
        stand_in._view_source = source
    return stand_in


def flip(input, *dims, **keywords):
    """``flip(x, (0, 1))``, ``flip(x, dims=(0, 1))``, or ``x.flip(0, 1)`` as the method allows."""
    if keywords:
        dims = _dims_keyword(dims, keywords)
    if not dims:
        raise TypeError("flip() missing the dims to flip: flip(0), or flip((0, 1))")
    dims = dims[0] if len(dims) == 1 else dims
    axes = normalize_dims(dims, input._data.ndim)
    return Flip.apply(input, () if axes is None else axes)  # flip(()) flips nothing


def fliplr(input):
    """The columns in reverse order (dim 1)."""
    if input._data.ndim < 2:
        raise RuntimeError(f"Input must be >= 2-d. (fliplr flips dim 1; got {input.ndim}-d)")
    return Flip.apply(input, (1,))


def flipud(input):
    """The rows in reverse order (dim 0)."""
    if input._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d. (flipud flips dim 0; got a 0-d tensor)")
    return Flip.apply(input, (0,))


def rot90(input, k=1, dims=(0, 1)):
    """The plane of ``dims`` turned a quarter ``k`` times, from the first dim towards the
    second (counter-clockwise as a matrix prints)."""
    k = integer_argument(k, "rot90", "k")
    if not isinstance(dims, (tuple, list)):
        raise TypeError(f"rot90(): argument 'dims' must be tuple of ints, not {type_name(dims)}")
    dims = _int_tuple(dims, "rot90", "dims")
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if input._data.ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {input.ndim}")
    axes = tuple(input._dim(dim) for dim in dims)
    if axes[0] == axes[1]:
        raise RuntimeError(
            f"expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = {dims[1]}"
        )
    return Rot90.apply(input, k, axes)


def unfold(input, dimension, size, step):
    """Every window of ``size`` elements along ``dimension``, one each ``step``, as a new
    last dim: a view."""
    size = integer_argument(size, "unfold", "size")
    step = integer_argument(step, "unfold", "step")
    dim = input._dim(integer_argument(dimension, "unfold", "dimension"))
    length = input._data.shape[dim] if input._data.ndim else 1
    if size > length:
        raise RuntimeError(
            f"maximum size for tensor at dimension {dim} is {length} but size is {size}"
        )
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    return Unfold.apply(input, dim, size, step)


def _dim_or_axis(dim, axis, op_name):
    """``axis=`` is NumPy's name for ``dim=``; PyTorch takes either, not both (the book
    writes NumPy's)."""
    if axis is None:
        return dim
    if dim is not None:
        raise TypeError(f"{op_name}() takes dim or its alias axis, not both")
    return axis


def _dims_keyword(dims, keywords):
    """``flip(dims=...)``: the dims given by name, refused alongside positional ones."""
    unknown = set(keywords) - {"dims"}
    if unknown:
        raise TypeError(f"flip() got an unexpected keyword argument {sorted(unknown)[0]!r}")
    if dims:
        raise TypeError("flip() got the dims twice: by position and as dims=")
    return (keywords["dims"],)


def clone(input, *, memory_format=None):
    """A copy of ``input`` in memory of its own; gradients still flow through it to ``input``.

    ``y = x`` copies nothing (both names are one tensor). For a copy outside the
    graph, write ``x.detach().clone()``.

    >>> x = ember.tensor([1, 2])
    >>> y = ember.clone(x)
    >>> y[0] = 9
    >>> x, y
    (tensor([1, 2]), tensor([9, 2]))
    """
    return Clone.apply(input, "K")


def contiguous(input, memory_format=None):
    if input._data.flags.c_contiguous:
        return input
    return Clone.apply(input, "C")


@takes_axis
def narrow(input, dim, start, length):
    """``length`` elements from ``start`` along ``dim``; a negative start counts from the
    end, and the slice must fit (PyTorch does not clip it as slicing does)."""
    if input._data.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    dim = input._dim(dim)
    start = integer_argument(start, "narrow", "start")
    length = integer_argument(length, "narrow", "length")
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    size = input._data.shape[dim]
    if not -size <= start <= size:
        raise IndexError(
            f"start out of range (expected to be in range of [{-size}, {size}], but got {start})"
        )
    if start < 0:
        start += size
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    index = (slice(None),) * dim + (slice(start, start + length),)
    return Narrow.apply(input, *array_index(index, input._data))


@takes_axis
def select(input, dim, index):
    """The slice at ``index`` along ``dim``, without that dim: ``x.select(1, i)`` is
    ``x[:, i]``, a view."""
    if input._data.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    dim = input._dim(integer_argument(dim, "select", "dim"))
    index = integer_argument(index, "select", "index")
    size = input._data.shape[dim]
    if not -size <= index < size:
        raise IndexError(
            f"select(): index {index} is out of range for dim {dim} of size {size} in a tensor "
            f"of shape {list(input._data.shape)}"
        )
    return GetItem.apply(input, *array_index((slice(None),) * dim + (index,), input._data))


class Narrow(GetItem):
    """A slice along one dim. PyTorch names it a slice even where it keeps the whole dim,
    which indexing (``x[:, 0:3]``) names an alias."""

    def name(self):
        return "SliceBackward0"


# roll and ravel -----------------------------------------------------------------------


class Roll(Function):
    """Elements shifted along dims, those pushed off one end coming back at the other (all
    dims flattened into one when ``axes`` is None); backward shifts the gradient back."""

    listed_inputs = (0,)

    def forward(self, a, shifts, axes):
        self.shifts, self.axes = shifts, axes
        if axes is not None and len(axes) == 1:
            return _rolled_along(a, shifts[0], axes[0])
        return c_contiguous(xp(a).roll(a, shifts if axes is not None else shifts[0], axes))

    def backward(self, grad):
        return Roll.apply(grad, tuple(-shift for shift in self.shifts), self.axes), None, None


def _rolled_along(array, shift, axis):
    """``array`` rolled by ``shift`` along ``axis``: its last ``shift`` elements there,
    then the rest, written side by side into a new C-order array (PyTorch's layout).
    NumPy's roll builds index tuples in Python and copies twice: this takes 12 us on
    256x256 float32 where it took 18, and 4 us where it took 7.6 on 10 elements."""
    namespace = xp(array)
    split = array.shape[axis] - shift % array.shape[axis]
    before = (slice(None),) * axis
    moved, kept = array[before + (slice(split, None),)], array[before + (slice(None, split),)]
    out = namespace.empty(array.shape, array.dtype)
    return namespace.concatenate((moved, kept), axis=axis, out=out)


def roll(input, shifts, dims=None):
    shifts = _int_tuple(shifts, "roll", "shifts")
    axes = None if dims is None else _int_tuple(dims, "roll", "dims")
    if axes == ():
        axes = None  # PyTorch reads no dims as all of them, flattened
    if len(shifts) != (1 if axes is None else len(axes)):
        raise RuntimeError(
            f"shifts and dimensions must align. shifts: {len(shifts)}, dims: "
            f"{0 if axes is None else len(axes)} (give one shift per dim, or one shift and no "
            "dims to roll the flattened tensor)"
        )
    if not input._data.size:  # nothing to move: PyTorch checks no dims
        return Roll.apply(input, shifts[:1], None)
    if axes is not None:
        axes = tuple(input._existing_dim(dim) for dim in axes)
    return Roll.apply(input, shifts, axes)


def _int_tuple(value, op_name, name):
    """An int or a sequence of ints as a tuple, with PyTorch's TypeError for anything else."""
    if isinstance(value, (tuple, list)):
        return tuple(integer_argument(item, op_name, name) for item in value)
    if type(value) is not bool and is_integer(value):
        return (operator.index(value),)
    raise TypeError(
        f"{op_name}(): argument '{name}' must be an int or a tuple of ints, not {type_name(value)}"
    )


def ravel(input):
    """The elements in one dim: a view where the layout allows, else a contiguous copy."""
    return view(contiguous(input), -1)
