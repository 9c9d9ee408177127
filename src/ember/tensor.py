"""The Tensor: an array, a dtype and device read off it, and autograd state.

A Tensor holds one array (NumPy on the CPU, CuPy on a GPU) in ``_data`` and
delegates every computation to an op in ``ember.ops``. The state autograd
needs is small and kept in slots: ``requires_grad``, ``grad``, ``grad_fn``
(the node that made it; None for a leaf) and a version counter shared with
its views, which in-place ops bump so that backward can notice a saved value
that changed. A view that records no graph also keeps, in ``_view_source``,
what it was taken from, so that a write through it can reach its base.
"""

import numbers
import warnings
import weakref

from . import backend, dtypes
from .autograd import engine as _engine
from .autograd import function as _function
from .device import device_of_array
from .dims import wrap_dim
from .size import Size


class VersionCounter:
    """How many times a storage was changed in place; shared by its views. Also the
    version at which an in-place view op (``t_()``, ``squeeze_()`` ...) last changed the
    shape or strides of a tensor of this storage: views taken before then cannot be
    taken again from it."""

    __slots__ = ("value", "layout_changed_at")

    def __init__(self):
        self.value = 0
        self.layout_changed_at = 0


class GradExtras:
    """Autograd state that most tensors never need, kept off the hot path.

    The leaf's AccumulateGrad node, hooks on a
    leaf, post-accumulate hooks and the retain_grad flag.
    """

    __slots__ = ("accumulator", "hooks", "post_accumulate_hooks", "retains_grad")

    def __init__(self):
        self.accumulator = None
        self.hooks = None
        self.post_accumulate_hooks = None
        self.retains_grad = False


_LEAF_FLAGS_ONLY = (
    "you can only change requires_grad flags of leaf variables. If you want to use a "
    "computed variable in a subgraph that doesn't require differentiation use "
    "var_no_grad = var.detach()."
)


class Tensor:
    __slots__ = (
        "_data",
        "_requires_grad",  # read through the property requires_grad, which checks a write
        "_grad",
        "grad_fn",
        "_version_counter",
        "_extras",
        # On a view taken with grad mode on that recorded no node: (the view op, its inputs,
        # its options). Left unset on every other tensor, so _make pays nothing.
        "_view_source",
        "__weakref__",
    )
    __array_priority__ = 1000  # numpy_array * tensor -> Tensor.__rmul__

    def __init__(self, *args, dtype=None, device=None):
        """Legacy constructor: ``Tensor([1, 2])`` (float32) or ``Tensor(2, 3)`` (a shape)."""
        from .creation import legacy_tensor_array

        _initialise(self, legacy_tensor_array(args, dtype, device))

    @staticmethod
    def _make(array):
        """A new tensor around ``array``, without history (the hot path of every op)."""
        tensor = object.__new__(Tensor)
        if type(array) is not backend.ndarray:
            array = backend.as_array(array)
        tensor._data = array
        tensor._requires_grad = False
        tensor._grad = None
        tensor.grad_fn = None
        tensor._version_counter = None  # made on first need (see _counter)
        tensor._extras = None  # hooks, retain_grad, accumulator: rarely needed
        return tensor

    # Attributes ---------------------------------------------------------------

    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._data.shape)
        if type(dim) is bool:  # an int to Python, and so to NumPy's indexing; not a dim
            raise _bool_dim_error("size")
        return self._data.shape[self._existing_dim(dim)]

    @property
    def dtype(self):
        return dtypes.from_numpy(self._data.dtype)

    @property
    def device(self):
        return device_of_array(self._data)

    @property
    def is_cuda(self):
        return self.device.type == "cuda"

    @property
    def ndim(self):
        return self._data.ndim

    def dim(self):
        return self._data.ndim

    ndimension = dim

    def numel(self):
        return self._data.size

    nelement = numel

    def element_size(self):
        return self._data.itemsize

    @property
    def itemsize(self):
        return self._data.itemsize

    @property
    def nbytes(self):
        return self._data.nbytes

    @property
    def is_leaf(self):
        return self.grad_fn is None

    @property
    def _version(self):
        return self._counter().value

    def _counter(self):
        """The version counter, shared with views; created the first time it matters."""
        counter = self._version_counter
        if counter is None:
            counter = self._version_counter = VersionCounter()
        return counter

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    def is_complex(self):
        return self._data.dtype.kind == "c"

    def is_signed(self):
        """True for floats and signed integers; False for uint8 and bool (as in PyTorch)."""
        return self._data.dtype.kind in "ifc"

    def is_contiguous(self):
        return bool(self._data.flags.c_contiguous)

    def stride(self, dim=None):
        strides = _strides_in_elements(self._data)
        if dim is None:
            return strides
        if type(dim) is bool:
            raise _bool_dim_error("stride")
        return strides[self._existing_dim(dim)]

    def data_ptr(self):
        return backend.data_pointer(self._data)

    def storage_offset(self):
        """Elements between the start of the storage and this view's first element."""
        return backend.storage_offset(self._data)

    def is_set_to(self, tensor):
        """Whether both tensors look at the same elements of one storage, laid out alike."""
        if not isinstance(tensor, Tensor):
            raise TypeError(
                "is_set_to(): argument 'tensor' (position 1) must be Tensor, not "
                f"{type(tensor).__name__}"
            )
        return (
            backend.storage_identity(self._data) == backend.storage_identity(tensor._data)
            and self.storage_offset() == tensor.storage_offset()
            and self._data.shape == tensor._data.shape
            and self.stride() == tensor.stride()
        )

    def is_shared(self):
        """ember has no shared-memory CPU tensors; a GPU tensor's memory counts as shared,
        as in PyTorch."""
        return backend.is_cuda_array(self._data)

    def get_device(self):
        """-1 for a CPU tensor, the GPU's ordinal for a CUDA tensor (as in PyTorch)."""
        return backend.device_index_of(self._data)

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def _dim(self, dim):
        """Wrap a negative dim and check it, with PyTorch's IndexError."""
        return wrap_dim(dim, self._data.ndim)

    def _existing_dim(self, dim):
        """Like ``_dim``, for a dim that must exist (``size(d)``, ``stride(d)``)."""
        if self._data.ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        return self._dim(dim)

    # The `data` escape hatch: same storage, no history, no version bumps seen.

    @property
    def data(self):
        return Tensor._make(self._data)

    @data.setter
    def data(self, other):
        if not isinstance(other, Tensor):
            raise TypeError(
                f"x.data can only be set to a tensor, not {type(other).__name__} "
                "(wrap the value in ember.tensor(...) first)"
            )
        if self.requires_grad and other._data.dtype.kind not in "fc":
            raise RuntimeError(
                f"data set to a tensor that requires gradients must be floating point, not "
                f"{other.dtype}"
            )
        self._data = other._data

    # Autograd -----------------------------------------------------------------

    @property
    def grad(self):
        grad = self._grad
        if grad is None and self.grad_fn is not None:  # a leaf pays one or two tests
            _warn_grad_of_non_leaf(self)
        return grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            _check_grad_fits(self, value)
        self._grad = value

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        """``x.requires_grad = v`` takes PyTorch's checks: a bool, a leaf, a float dtype
        (once a plain slot, it let ``y.requires_grad = False`` cut a graph silently)."""
        if value is not True and value is not False:
            raise RuntimeError("requires_grad must be a bool")
        if self.grad_fn is not None:
            raise RuntimeError(_LEAF_FLAGS_ONLY)
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad=True):
        # Identity tests, not isinstance: every leaf made with requires_grad=True comes here.
        if requires_grad is not True and requires_grad is not False:
            raise TypeError(
                f"requires_grad_() takes True or False, not {type(requires_grad).__name__}"
            )
        if not self.is_leaf:
            if requires_grad:
                return self
            raise RuntimeError(_LEAF_FLAGS_ONLY)
        if requires_grad and self._data.dtype.kind not in "fc":
            raise RuntimeError(
                "only Tensors of floating point and complex dtype can require gradients "
                f"(this one is {self.dtype})"
            )
        self._requires_grad = requires_grad
        return self

    def _grad_extras(self):
        extras = self._extras
        if extras is None:
            extras = self._extras = GradExtras()
        return extras

    @property
    def _hooks(self):
        return self._extras.hooks if self._extras is not None else None

    def _grad_accumulator(self):
        """The leaf's AccumulateGrad node: made on first use and kept."""
        extras = self._extras
        if extras is not None and extras.accumulator is not None:
            return extras.accumulator
        accumulator = self._grad_extras().accumulator = _function.AccumulateGrad(self)
        return accumulator

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        _engine.backward(self, gradient, retain_graph, create_graph, inputs)

    def detach(self):
        tensor = Tensor._make(self._data)
        tensor._version_counter = self._counter()
        return tensor

    def detach_(self):
        self.grad_fn = None
        self._requires_grad = False
        return self

    def register_hook(self, hook):
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:  # on a view, the node its base's history gives it now
            return _function.node_of(self).add_grad_hook(hook)
        extras = self._grad_extras()
        if extras.hooks is None:
            extras.hooks = []
        extras.hooks.append(hook)
        return _function.RemovableHandle(extras.hooks, hook)

    def register_post_accumulate_grad_hook(self, hook):
        if self.grad_fn is not None:
            raise RuntimeError(
                "post accumulate grad hooks cannot be registered on non-leaf tensors"
            )
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        extras = self._grad_extras()
        if extras.post_accumulate_hooks is None:
            extras.post_accumulate_hooks = []
        extras.post_accumulate_hooks.append(hook)
        return _function.RemovableHandle(extras.post_accumulate_hooks, hook)

    def retain_grad(self):
        if not self.requires_grad:
            raise RuntimeError(
                "can't retain_grad on Tensor that has requires_grad=False: no gradient flows "
                "to it, so there is nothing to keep"
            )
        if self.grad_fn is None or self.retains_grad:
            return
        self._grad_extras().retains_grad = True
        tensor_ref = weakref.ref(self)

        def keep_grad(grad):
            tensor = tensor_ref()
            # None: no gradient reached it. Under create_graph, a copy with history.
            if tensor is not None and grad is not None:
                kept = grad.clone()
                tensor._grad = kept if tensor._grad is None else tensor._grad + kept

        keep_grad.keeps_grad = tensor_ref  # whose .grad it keeps: it moves with the tensor
        _function.node_of(self).add_grad_hook(keep_grad)

    @property
    def retains_grad(self):
        return self._extras is not None and self._extras.retains_grad

    # Conversion ---------------------------------------------------------------

    def numpy(self, *, force=False):
        if backend.is_cuda_array(self._data):
            if not force:
                raise TypeError(
                    f"can't convert {self.device} device type tensor to numpy. Use Tensor.cpu() "
                    "to copy the tensor to host memory first."
                )
            return backend.to_host(self._data)
        if self.requires_grad and not force:
            raise RuntimeError(_NUMPY_OF_GRAD_TENSOR)
        # A new array over the same memory: setting its shape must not reshape the tensor.
        return self._data.view()

    def __array__(self, dtype=None, copy=None):
        """``np.asarray(t)`` shares a CPU tensor's memory; ``np.array(t)`` copies (as torch).

        A CUDA tensor is copied to the host (PyTorch refuses); one that requires grad is
        refused, as ``numpy()`` refuses it, so that its history is not silently dropped.
        NumPy casts to ``dtype`` itself: so the warnings of that cast (NaN into an int) are
        the user's NumPy call's, not silenced as ember's own.
        """
        if self.requires_grad:
            raise RuntimeError(_NUMPY_OF_GRAD_TENSOR)
        array = backend.to_host(self._data)
        if copy and (dtype is None or array.dtype == dtype):
            return array.copy()
        return array.view()  # a view, as numpy() gives

    def __array_wrap__(self, array, context=None, return_scalar=False):
        """A NumPy ufunc applied to a tensor (``np.exp(t)``) gives a tensor, as in PyTorch.

        PyTorch returns bool results as uint8 here (a leftover from before it had a bool
        dtype); ember does the same so that results agree.
        """
        if array.dtype == bool:
            array = array.astype("uint8")
        return Tensor._make(array)

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        """``np.from_dlpack(t)`` (or another library's): the array's DLPack capsule, over
        the tensor's memory. A tensor that requires grad is refused, as PyTorch refuses it."""
        if self.requires_grad:
            raise BufferError(
                "Can't export tensors that require gradient, use tensor.detach() first"
            )
        given = {"stream": stream, "max_version": max_version, "dl_device": dl_device, "copy": copy}
        return self._data.__dlpack__(
            **{name: value for name, value in given.items() if value is not None}
        )

    def __dlpack_device__(self):
        return self._data.__dlpack_device__()

    def item(self):
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar"
            )
        return self._data.item()  # a CuPy array copies its one element to the host

    def tolist(self):
        return backend.to_host(self._data).tolist()

    def __float__(self):
        if self.requires_grad:
            warn_scalar_of_grad_tensor()
        return float(self._scalar())

    def __int__(self):
        return int(self._scalar())

    def _scalar(self):
        if self._data.size != 1:
            raise ValueError(
                "only one element tensors can be converted to Python scalars "
                f"(this one has shape {tuple(self._data.shape)})"
            )
        return self._data.item()

    def __bool__(self):
        if self._data.size != 1:
            how_many = "no values" if self._data.size == 0 else "more than one value"
            raise RuntimeError(
                f"Boolean value of Tensor with {how_many} is ambiguous "
                f"(shape {tuple(self._data.shape)}); use .any() or .all()"
            )
        return bool(self._data.item())

    def __index__(self):
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.item())

    def __complex__(self):
        if self.requires_grad:
            warn_scalar_of_grad_tensor()
        return complex(self._scalar())

    def __delitem__(self, index):
        raise TypeError(
            f"Tensor does not support deleting items (del x[{index!r}]): a tensor's shape is "
            "fixed; index the elements to keep instead"
        )

    def __hash__(self):
        return id(self)

    def __contains__(self, element):
        """``value in tensor``: whether some element equals it (a tensor value broadcasts)."""
        if not isinstance(element, (Tensor, numbers.Number)):
            raise RuntimeError(
                "Tensor.__contains__ only supports Tensor or scalar: 'in' compares a number or "
                f"a tensor with the elements, not a {type(element).__name__}"
            )
        if isinstance(element, complex):  # ember has no complex dtype: only a real one can match
            return element.imag == 0 and element.real in self
        return bool((self == element).any())

    def __reversed__(self):
        """``reversed(t)`` is the tensor flipped along its first dim (a 0-d tensor itself)."""
        if self._data.ndim == 0:
            return self
        return self.flip(0)

    def __repr__(self):
        from .printing import format_tensor

        return format_tensor(self)

    def __format__(self, spec):
        # f"{lr}" reads as the number, as in PyTorch, for a plain 0-d tensor only: a
        # Parameter (a subclass) prints whole
        if self._data.ndim == 0 and type(self) is Tensor:
            return self._data.item().__format__(spec)
        if spec:
            raise TypeError(
                f"unsupported format string passed to {type(self).__name__}.__format__ "
                f"({spec!r} needs a plain 0-d tensor; this one has shape "
                f"{tuple(self._data.shape)})"
            )
        return repr(self)

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    def __reduce_ex__(self, protocol):
        device = str(self.device)
        return (_rebuild, (backend.to_host(self._data), self.requires_grad, device))

    def __copy__(self):
        """``copy.copy(t)``: a new leaf over the same memory, with the same strides and
        requires_grad, and no ``.grad`` (PyTorch's, which rebuilds it on its storage)."""
        copy = Tensor._make(self._data)
        copy._requires_grad = self.requires_grad
        return copy

    def __deepcopy__(self, memo):
        """A copy of a leaf's values, requires_grad and ``.grad`` (PyTorch's, which
        refuses a result of ops: its copy would have no history)."""
        if self.grad_fn is not None:
            raise RuntimeError(
                "Only tensors made by the user (graph leaves) can be deep-copied; this one "
                f"was made by {self.grad_fn.name()}. Deep-copy tensor.detach() to copy its "
                "values."
            )
        copy = Tensor._make(_deep_copied_array(self._data, memo))
        copy._requires_grad = self.requires_grad
        memo[id(self)] = copy
        if self._grad is not None:
            copy._grad = self._grad.__deepcopy__(memo)
        return copy


def _deep_copied_array(array, memo):
    """A copy of ``array`` for ``copy.deepcopy``. Tensors over one memory block (a tensor
    and its views) copied in one deepcopy share one new block, as PyTorch's storages do;
    ``memo`` keeps the block's copy under its address."""
    storage = backend.storage_of(array) if type(array) is backend.ndarray else None
    if storage is None or not array.size or any(step % array.itemsize for step in array.strides):
        return array.copy()
    key = ("ember storage", backend.data_pointer(storage), storage.nbytes)
    if key not in memo:
        memo[key] = storage.view("uint8").copy()
    steps = tuple(step // array.itemsize for step in array.strides)
    offset = backend.storage_offset(array)
    writeable = backend.is_writeable(array)  # an expanded tensor stays read-only
    return backend.strided_view(memo[key].view(array.dtype), array.shape, steps, offset, writeable)


_NUMPY_OF_GRAD_TENSOR = (
    "Can't call numpy() on Tensor that requires grad: NumPy would drop its history. Use "
    "tensor.detach().numpy() instead (or np.asarray(tensor.detach()))."
)


def _bool_dim_error(method):
    return TypeError(f"{method}(): argument 'dim' must be int, not bool (as in PyTorch)")


def _strides_in_elements(array):
    """The array's strides counted in elements, as PyTorch reports them.

    NumPy gives the dims of a new empty array a stride of 0, and also a dim of size 1 added
    by ``None`` or ``unsqueeze``; PyTorch gives such a dim the stride it would have if laid
    out contiguously over the dims after it. (A dim that repeats by ``expand`` keeps its 0.)
    """
    empty = array.size == 0
    strides = []
    contiguous_stride = 1
    for size, step in zip(reversed(array.shape), reversed(array.strides)):
        placeholder = step == 0 and (empty or size == 1)
        stride = contiguous_stride if placeholder else step // array.itemsize
        strides.append(stride)
        contiguous_stride = stride * max(size, 1)
    return tuple(reversed(strides))


def _warn_grad_of_non_leaf(tensor):
    """The hint after ``w = w - lr * w.grad``: a result's ``.grad`` stays None."""
    if tensor.retains_grad:
        return
    warnings.warn(
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. "
        "backward() fills .grad only on leaf tensors (made by you, not by an op), so this one "
        "stays None. Call .retain_grad() on it before backward() to keep its gradient, or read "
        "the leaf's .grad instead. After `w = w - lr * w.grad`, w is the result of an op, no "
        "longer the leaf: update in place instead, `with ember.no_grad(): w -= lr * w.grad`.",
        UserWarning,
        stacklevel=3,
    )


# Warnings PyTorch gives once per process, whatever the warnings filters say.
_warned_once = set()


def warn_once(key, message, stacklevel):
    """A UserWarning the first time ``key`` comes, and never again in this process.
    ``stacklevel`` counts from the caller, as ``warnings.warn``'s does."""
    if key in _warned_once:
        return
    _warned_once.add(key)
    warnings.warn(message, UserWarning, stacklevel=stacklevel + 1)


def warn_scalar_of_grad_tensor():
    warn_once(
        "scalar",
        "Converting a tensor with requires_grad=True to a scalar may lead to unexpected "
        "behavior: the Python number has no history, so no gradient flows back through it. "
        "Call tensor.detach() first (or .item()) to make that explicit.",
        stacklevel=3,
    )


def _check_grad_fits(tensor, grad):
    """What may be assigned to ``tensor.grad``: a tensor of its shape, dtype and device."""
    if not isinstance(grad, Tensor):
        raise TypeError(
            f"assigned grad expected to be a Tensor or None but got grad of type "
            f"{type(grad).__name__}"
        )
    if grad is tensor:
        raise RuntimeError("can't assign Variable as its own grad")
    if grad._data.shape != tensor._data.shape:
        raise RuntimeError(
            f"attempting to assign a gradient of size '{list(grad._data.shape)}' to a tensor of "
            f"size '{list(tensor._data.shape)}'. Please ensure that the gradient and the tensor "
            "are the same size"
        )
    if grad._data.dtype != tensor._data.dtype:
        raise RuntimeError(
            f"attempting to assign a gradient with dtype '{grad.dtype}' to a tensor with dtype "
            f"'{tensor.dtype}'. Please ensure that the gradient and the tensor have the same dtype"
        )
    if type(grad._data) is not type(tensor._data):
        raise RuntimeError(
            f"attempting to assign a gradient on device '{grad.device}' to a tensor on device "
            f"'{tensor.device}'. Please ensure that the gradient and the tensor are on the same "
            "device"
        )


def _rebuild(array, requires_grad, device="cpu"):
    """Unpickle: the values were pickled from the host; put them back where they were."""
    array = array.copy(order="K")  # a transposed tensor keeps its strides, as in PyTorch
    if device != "cpu":
        from .device import as_device

        array = backend.to_device(array, as_device(device))
    tensor = Tensor._make(array)
    tensor._requires_grad = requires_grad
    return tensor


_SLOTS_MAKE_SETS = tuple(
    name for name in Tensor.__slots__ if name not in ("_view_source", "__weakref__")
)


def _initialise(tensor, array):
    made = Tensor._make(array)
    for name in _SLOTS_MAKE_SETS:
        object.__setattr__(tensor, name, getattr(made, name))


_function.Tensor = Tensor

# The methods that compute are bound in one table, next to the ops they call.
from . import tensor_methods  # noqa: E402,F401
