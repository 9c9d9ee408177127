"""The table of Tensor methods and operators, each bound to the op that does it.

Kept in one place so a reader can see every method a Tensor has and where
its work is done; the ops themselves live in ``ember.ops``.
"""

import math
import warnings

from . import dtypes
from . import in_place_methods as IP
from . import random as _random
from .arguments import bool_argument
from .autograd.engine import broadcasts_to
from .backend import generic_scalar as _generic_scalar
from .backend import is_array as _is_array
from .backend import namespace_of
from .creation import tensor_shape
from .device import as_device
from .function_forms import operand_needs_tensor
from .ops import comparisons as C
from .ops import (
    cumulative,
    distances,
    gathering,
    matrix_parts,
    products,
    repetition,
    searching,
    sorting,
    special_functions,
    splitting,
    statistics,
)
from .ops import elementwise as E
from .ops import indexing as I
from .ops import linalg as L
from .ops import movement as M
from .ops import norms as N
from .ops import operands as O
from .ops import raw_views as _raw_views
from .ops import reductions as R
from .ops import rounding as Q
from .ops import selection as W
from .ops import solvers as S
from .ops import unary_math as U
from .tensor import Tensor
from .to_arguments import to_arguments

# One letter per ops module: C comparisons, E element-wise arithmetic, I indexing,
# L linalg products, M movement, N norms, O operands (promotion, casts), Q rounding,
# R reductions, S solvers, U unary math, W selection (where, clamp, maximum); and IP the
# in-place methods (in_place_methods.py).


def _reflected(function):
    return lambda self, other: function(other, self)


def _commutative_operator(op):
    """``x + y`` or ``x * y``, and their reflected forms."""

    def operator(self, other):
        try:  # free when nothing is raised: the hot path pays no check
            return O.binary(op, self, other)
        except TypeError:
            if O.is_foreign(other):
                return NotImplemented
            raise

    return operator


# Arithmetic operators; reflected forms put the Python number first.
Tensor.__add__ = Tensor.__radd__ = _commutative_operator(E.Add)
Tensor.__mul__ = Tensor.__rmul__ = _commutative_operator(E.Mul)
Tensor.__sub__ = E.subtract
Tensor.__rsub__ = E.reflected_subtract
Tensor.__truediv__ = E.true_divide
Tensor.__rtruediv__ = E.reflected_true_divide
Tensor.__floordiv__ = E.floor_divide
Tensor.__rfloordiv__ = _reflected(E.floor_divide)
Tensor.__mod__ = E.remainder
Tensor.__rmod__ = _reflected(E.remainder)
Tensor.__pow__ = E.pow
Tensor.__rpow__ = _reflected(E.pow)
Tensor.__matmul__ = lambda self, other: (
    L.matmul(self, other) if isinstance(other, Tensor) else NotImplemented  # x @ [1, 2]
)
Tensor.__rmatmul__ = lambda self, other: (
    L.matmul(other, self) if isinstance(other, Tensor) else NotImplemented
)
Tensor.__neg__ = E.neg
Tensor.__pos__ = special_functions.positive  # the tensor itself; a bool one is refused
Tensor.__abs__ = U.abs
Tensor.__invert__ = C.invert
Tensor.__and__ = Tensor.__rand__ = C.bitwise_and
Tensor.__or__ = Tensor.__ror__ = C.bitwise_or
Tensor.__xor__ = Tensor.__rxor__ = C.bitwise_xor
Tensor.__lshift__ = C.bitwise_left_shift
Tensor.__rlshift__ = _reflected(C.bitwise_left_shift)
Tensor.__rshift__ = C.bitwise_right_shift
Tensor.__rrshift__ = _reflected(C.bitwise_right_shift)


def _equality(compare):
    """``==``/``!=`` of a tensor and what is neither a tensor, a number nor an array
    falls back to Python's identity test, as in PyTorch: ``x.grad == None`` is False."""

    def operator(self, other):
        if isinstance(other, (Tensor, int, float, _generic_scalar)) or _is_array(other):
            return compare(self, other)
        return NotImplemented

    return operator


# Comparisons give bool tensors.
Tensor.__eq__ = _equality(C.eq)
Tensor.__ne__ = _equality(C.ne)


def _ordering(compare):
    """``<``, ``<=``, ``>``, ``>=`` (``x < None``: "'<' not supported between instances of
    'Tensor' and 'NoneType'")."""

    def operator(self, other):
        try:
            return compare(self, other)
        except TypeError:
            if O.is_foreign(other):
                return NotImplemented
            raise

    return operator


Tensor.__lt__ = _ordering(C.lt)
Tensor.__le__ = _ordering(C.le)
Tensor.__gt__ = _ordering(C.gt)
Tensor.__ge__ = _ordering(C.ge)

# In-place operators and methods keep the object and its storage (in_place_methods.py).
Tensor.__iadd__ = IP.in_place_operator(E.Add, "add")
Tensor.__isub__ = IP.in_place_operator(E.Sub, "subtract", refuse=E.refuse_bool_subtraction)
Tensor.__imul__ = IP.in_place_operator(E.Mul, "multiply")
Tensor.__itruediv__ = IP.in_place_operator(E.Div, "true_divide", dtypes.FLOATING)
Tensor.__ipow__ = IP.ipow
Tensor.add_ = IP.add_
Tensor.sub_ = Tensor.subtract_ = IP.sub_
Tensor.mul_ = Tensor.multiply_ = IP.mul_
Tensor.div_ = Tensor.divide_ = IP.div_
Tensor.true_divide_ = lambda self, other: IP.div_(self, other)  # no rounding_mode, as in PyTorch
Tensor.pow_ = IP.pow_
Tensor.floor_divide_ = Tensor.__ifloordiv__ = IP.in_place_form(E.floor_divide, "floor_divide_")
Tensor.remainder_ = Tensor.__imod__ = IP.in_place_form(E.remainder, "remainder_")
Tensor.bitwise_and_ = Tensor.__iand__ = IP.in_place_form(C.bitwise_and, "bitwise_and_")
Tensor.bitwise_or_ = Tensor.__ior__ = IP.in_place_form(C.bitwise_or, "bitwise_or_")
Tensor.bitwise_xor_ = Tensor.__ixor__ = IP.in_place_form(C.bitwise_xor, "bitwise_xor_")
Tensor.bitwise_left_shift_ = Tensor.__ilshift__ = IP.in_place_form(
    C.bitwise_left_shift, "bitwise_left_shift_"
)
Tensor.bitwise_right_shift_ = Tensor.__irshift__ = IP.in_place_form(
    C.bitwise_right_shift, "bitwise_right_shift_"
)
Tensor.bitwise_not_ = IP.in_place_form(C.bitwise_not, "bitwise_not_")
for _name in "fmod atan2 arctan2 hypot xlogy lerp addcmul addcdiv".split():
    setattr(Tensor, _name + "_", IP.in_place_form(getattr(E, _name), _name + "_"))
for _name in (
    "eq ne lt le gt ge greater greater_equal less less_equal not_equal "
    "logical_and logical_or logical_xor logical_not"
).split():
    setattr(Tensor, _name + "_", IP.comparison_in_place(getattr(C, _name), _name + "_"))
for _ops, _names in (
    (U, "relu sigmoid tanh exp log sqrt abs sin cos tan reciprocal rsqrt square log1p expm1"),
    (U, "log2 log10 exp2 sinh cosh asin acos atan asinh acosh atanh"),
    (U, "arcsin arccos arctan arcsinh arccosh arctanh"),
    (Q, "floor ceil round trunc frac sign"),
    (E, "neg"),
):
    for _name in _names.split():
        setattr(Tensor, _name + "_", IP.unary_in_place(getattr(_ops, _name)))
Tensor.fix_ = Tensor.trunc_
Tensor.absolute_ = Tensor.abs_
Tensor.negative_ = Tensor.neg_
Tensor.fill_ = IP.fill_
Tensor.zero_ = lambda self: IP.fill_(self, 0)
Tensor.copy_ = IP.copy_
Tensor.clamp_ = Tensor.clip_ = IP.clamp_
Tensor.clamp_min_ = IP.clamp_min_
Tensor.clamp_max_ = IP.clamp_max_
Tensor.cumsum_ = IP.cumulative_in_place(cumulative.cumsum, "cumsum_")
Tensor.cumprod_ = IP.cumulative_in_place(cumulative.cumprod, "cumprod_")
Tensor.__getitem__ = I.getitem
Tensor.__setitem__ = I.setitem

# Complex numbers' API on real tensors (ops/real_numbers.py).
from .ops import real_numbers as _real_numbers  # noqa: E402

for _name in "conj conj_physical resolve_conj resolve_neg is_conj is_neg".split():
    setattr(Tensor, _name, getattr(_real_numbers, _name))
Tensor.real = property(_real_numbers.real)
Tensor.imag = property(_real_numbers.imag)
Tensor.angle = Q.angle


# sum_to_size: broadcasting undone, as backward undoes it.


def _sum_to_size(self, *size):
    """The sum over the dims that broadcasting ``size`` to this tensor's shape stretched:
    broadcasting undone, as backward undoes it. As PyTorch's: the tensor itself where
    nothing is summed, and one sum with keepdim, viewed without the leading dims."""
    if not size:  # sum_to_size(()) sums everything; sum_to_size() is a mistake
        raise TypeError('sum_to_size() missing 1 required positional arguments: "size"')
    shape, own_shape = tensor_shape(size), self._data.shape
    if not broadcasts_to(shape, own_shape):
        raise RuntimeError(f"size {list(shape)} is not expandable to size {list(own_shape)}")
    if not shape:
        return R.sum(self)
    if shape == own_shape:
        return self
    leading = len(own_shape) - len(shape)
    summed = tuple(range(leading)) + tuple(
        leading + axis
        for axis, size in enumerate(shape)
        if size == 1 and own_shape[leading + axis] != 1
    )
    total = R.sum(self, summed, keepdim=True)
    return M.view(total, shape) if leading else total


Tensor.sum_to_size = _sum_to_size

# The view scatters (ops/view_scatters.py).
from .ops import view_scatters as _view_scatters  # noqa: E402

for _name in "slice_scatter select_scatter diagonal_scatter".split():
    setattr(Tensor, _name, getattr(_view_scatters, _name))


Tensor.normal_ = _random.normal_
Tensor.uniform_ = _random.uniform_
Tensor.random_ = _random.random_
Tensor.bernoulli_ = _random.bernoulli_
Tensor.bernoulli = _random.bernoulli
Tensor.multinomial = _random.multinomial
Tensor.exponential_ = _random.exponential_
Tensor.log_normal_ = _random.log_normal_
Tensor.geometric_ = _random.geometric_
Tensor.cauchy_ = _random.cauchy_

# Element-wise methods.
for _ops, _names in (
    (E, "add sub mul div true_divide floor_divide remainder pow neg fmod fmax fmin hypot"),
    (E, "atan2 arctan2 xlogy lerp addcmul addcdiv"),
    (U, "exp log log2 log10 log1p expm1 exp2 sqrt rsqrt square reciprocal sigmoid relu abs"),
    (U, "sin cos tan sinh cosh tanh asin acos atan asinh acosh atanh"),
    (U, "arcsin arccos arctan arcsinh arccosh arctanh"),
    (Q, "sign floor ceil round trunc fix frac"),
    (W, "clamp clip clamp_min clamp_max maximum minimum"),
    (C, "eq ne lt le gt ge isclose allclose equal isnan isinf isfinite"),
    (C, "isposinf isneginf isreal is_nonzero is_same_size"),
    (C, "logical_not logical_and logical_or logical_xor"),
    (C, "bitwise_and bitwise_or bitwise_xor bitwise_not bitwise_left_shift bitwise_right_shift"),
):
    for _name in _names.split():
        setattr(Tensor, _name, getattr(_ops, _name))
Tensor.negative = E.neg
Tensor.absolute = U.abs
Tensor.multiply = E.mul
Tensor.divide = E.div
Tensor.subtract = E.sub
Tensor.greater = C.gt
Tensor.less = C.lt
Tensor.where = lambda self, condition, other: W.where(condition, self, other)


# softmax and log_softmax, the methods and ember.softmax / ember.log_softmax: the math is
# nn.functional's; dim (or NumPy's axis, which these take as PyTorch's do) is required here.


def softmax(input, dim=None, dtype=None, *, axis=None):
    from .nn import functional  # nn is built on the Tensor this table completes

    return functional.softmax(input, _required_dim(dim, axis, "softmax"), dtype=dtype)


def log_softmax(input, dim=None, dtype=None, *, axis=None):
    from .nn import functional

    return functional.log_softmax(input, _required_dim(dim, axis, "log_softmax"), dtype=dtype)


def _required_dim(dim, axis, name):
    """``dim`` as an int: unlike nn.functional's, these have no implicit-dim fallback."""
    if dim is None:
        dim = axis
    if dim is None or isinstance(dim, bool):
        raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__}")
    return dim


Tensor.softmax = softmax
Tensor.log_softmax = log_softmax

# Reductions.
for _name in (
    "sum mean prod max min amax amin argmax argmin var std logsumexp all any count_nonzero "
    "nansum nanmean"
).split():
    setattr(Tensor, _name, getattr(R, _name))

# Movement and splitting.
for _name in (
    "reshape view flatten unflatten permute transpose t expand expand_as broadcast_to squeeze "
    "unsqueeze flip clone contiguous narrow select movedim moveaxis fliplr flipud rot90 unfold "
    "squeeze_ unsqueeze_ t_ transpose_"
).split():
    setattr(Tensor, _name, getattr(M, _name))
for _name in "split chunk unbind tensor_split hsplit vsplit dsplit split_with_sizes".split():
    setattr(Tensor, _name, getattr(splitting, _name))
Tensor.swapaxes_ = Tensor.swapdims_ = M.transpose_
Tensor.view_as = M.view_as


Tensor.as_strided = _raw_views.as_strided
Tensor.as_strided_ = _raw_views.as_strided_
Tensor.reshape_as = M.reshape_as
Tensor.swapaxes, Tensor.swapdims = M.swapaxes, M.transpose


def _all_dims_reversed(self):
    """``x.T``: PyTorch deprecates it for tensors of other than 2 dims, and warns."""
    if self._data.ndim != 2:
        _warn_deprecated(
            f"The use of `x.T` on a tensor of {self._data.ndim} dims to reverse their order is "
            "deprecated (PyTorch will make it an error): use x.mT to transpose the last two "
            "dims, or x.permute(...) to reverse them all"
        )
    return M.reverse_dims(self)


def _warn_deprecated(message):
    """PyTorch warns once a process; ember at each place in the user's code (Python's
    default filter), which points at the user's line."""
    warnings.warn(message, UserWarning, stacklevel=3)


def _matrix_view(name, max_dims, advice):
    """``x.H``, ``x.mT``, ``x.mH`` and ``x.adjoint()``: the last two dims swapped, of a
    matrix (or of a batch of them, up to ``max_dims``). A 0-d tensor is returned as it is,
    with PyTorch's deprecation warning; other dims are PyTorch's RuntimeError."""
    needs = "matrices (2-D tensors)" if max_dims == 2 else "matrices or batches of matrices"

    def view(self):
        ndim = self._data.ndim
        if ndim == 0:
            _warn_deprecated(f"{name} is deprecated on 0-D tensors. {advice}")
            return self
        if ndim < 2 or ndim > max_dims:
            where = name.replace("Tensor.", "tensor.")
            raise RuntimeError(f"{where} is only supported on {needs}. Got {ndim}-D tensor.")
        return M.matrix_transpose(self)

    return view


_IDENTITY = "This function is the identity in these cases."
_CONJUGATE = "Consider using x.conj()."  # the tensor itself: ember has no complex dtypes
Tensor.T = property(_all_dims_reversed)
Tensor.mT = property(_matrix_view("Tensor.mT", math.inf, _IDENTITY))
Tensor.mH = property(_matrix_view("Tensor.mH", math.inf, _CONJUGATE))
Tensor.adjoint = _matrix_view("adjoint()", math.inf, _CONJUGATE)
Tensor.H = property(_matrix_view("Tensor.H", 2, _CONJUGATE))

# Products and norms.
Tensor.matmul = L.matmul
Tensor.dot = L.dot
Tensor.inner = L.inner
Tensor.mv = L.mv
Tensor.mm = L.mm
Tensor.bmm = L.bmm
Tensor.outer = L.outer
Tensor.ger = L.outer
Tensor.vdot = L.vdot
for _name in "addmm addmv addr baddbmm addbmm kron matrix_power cross".split():
    setattr(Tensor, _name, getattr(products, _name))
Tensor.dist = distances.dist
for _name in "addmm addmv addr baddbmm addbmm".split():
    setattr(Tensor, _name + "_", IP.in_place_form(getattr(products, _name), _name + "_"))
Tensor.norm = N.norm
Tensor.inverse = S.inv
Tensor.det = S.det

# Decompositions and matrix functions (ops/decompositions.py, ops/matrix_functions.py, svd).
from .ops import decompositions as _decompositions  # noqa: E402
from .ops import matrix_functions as _matrix_functions  # noqa: E402
from .ops.svd import svd_with_v as _svd_with_v  # noqa: E402

Tensor.cholesky = _decompositions.cholesky_deprecated
Tensor.qr = _decompositions.qr_deprecated
for _name in "cholesky_solve cholesky_inverse triangular_solve".split():
    setattr(Tensor, _name, getattr(_decompositions, _name))
for _name in "logdet matrix_exp pinverse".split():
    setattr(Tensor, _name, getattr(_matrix_functions, _name))
Tensor.slogdet = _matrix_functions.slogdet_torch
Tensor.svd = _svd_with_v


# dtype and device conversion ----------------------------------------------------


def to(self, *args, **kwargs):
    """``to(dtype)``, ``to(device)``, ``to(device, dtype)`` or ``to(other_tensor)``, each
    optionally followed by ``non_blocking`` and ``copy`` (``to_arguments.py`` reads them)."""
    device, dtype, _, copy = to_arguments("to", args, kwargs)
    result = self
    if device is not None:
        result = _to_device(result, as_device(device))
    if dtype is not None:
        result = O.to_dtype(result, dtype)
    if copy and result is self:
        result = M.clone(self)
    return result


def _to_device(tensor, device):
    from .ops.transfer import move_to_device

    return move_to_device(tensor, device)


Tensor.to = to
Tensor.cpu = lambda self, memory_format=None: to(self, "cpu")
Tensor.cuda = lambda self, device=None, non_blocking=False, memory_format=None: to(
    self, "cuda" if device is None else device
)
# ember has no page-locked host memory: pinning is accepted and changes nothing.
Tensor.pin_memory = lambda self, device=None: self
Tensor.is_pinned = lambda self, device=None: False
Tensor.float = lambda self: O.to_dtype(self, dtypes.float32)
Tensor.double = lambda self: O.to_dtype(self, dtypes.float64)
Tensor.half = lambda self: O.to_dtype(self, dtypes.float16)
Tensor.int = lambda self: O.to_dtype(self, dtypes.int32)
Tensor.long = lambda self: O.to_dtype(self, dtypes.int64)
Tensor.short = lambda self: O.to_dtype(self, dtypes.int16)
Tensor.bool = lambda self: O.to_dtype(self, dtypes.bool)
Tensor.byte = lambda self: O.to_dtype(self, dtypes.uint8)
Tensor.char = lambda self: O.to_dtype(self, dtypes.int8)


def _type(self, dtype=None, non_blocking=False, **kwargs):
    """No argument: the legacy type name ('ember.FloatTensor'); else a cast to a dtype, a
    legacy name or ``ember.Tensor`` (the default float type). ``non_blocking`` changes
    nothing on the CPU."""
    if dtype is None:
        return dtypes.tensor_type_name(self.dtype)
    if dtype is Tensor:
        dtype = dtypes.get_default_dtype()
    elif isinstance(dtype, str):  # only legacy names: 'ember.FloatTensor', not 'float32'
        dtype = dtypes.from_tensor_type_name(dtype)
    elif isinstance(dtype, type):  # not Python's float, as in PyTorch
        raise ValueError(f"invalid type: {dtype.__name__!r}; give an ember dtype")
    elif dtype.__class__ is not dtypes.dtype:
        raise TypeError(f"type(): dtype must be a dtype or a legacy type name, not {dtype!r}")
    return O.to_dtype(self, dtype)


Tensor.type = _type
Tensor.type_as = lambda self, other: O.to_dtype(self, other.dtype)


# new_* creation methods keep this tensor's dtype and device.


def _new(factory):
    def make(self, *sizes, size=None, dtype=None, device=None, requires_grad=False):
        return factory(
            *sizes,
            size=size,  # new_zeros(size=(2, 3)), as the factories take it
            dtype=self.dtype if dtype is None else dtype,
            device=self.device if device is None else device,
            requires_grad=requires_grad,
        )

    return make


def _new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
    from .creation import full

    return full(
        size,
        fill_value,
        dtype=dtype or self.dtype,
        device=device or self.device,
        requires_grad=requires_grad,
    )


def _new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
    from .creation import copied_tensor, warn_copy_construct

    if isinstance(data, Tensor):
        warn_copy_construct("tensor.new_tensor(sourceTensor)")
    return copied_tensor(data, dtype or self.dtype, device or self.device, requires_grad)


def _attach_creation_methods():
    from . import creation

    Tensor.new_zeros = _new(creation.zeros)
    Tensor.new_ones = _new(creation.ones)
    Tensor.new_empty = _new(creation.empty)
    Tensor.new_full = _new_full
    Tensor.new_tensor = _new_tensor
    Tensor.new_empty_strided = _new_empty_strided


def _new_empty_strided(self, size, stride, *, dtype=None, device=None, requires_grad=False):
    from .creation import empty_strided

    return empty_strided(
        size,
        stride,
        dtype=dtype or self.dtype,
        device=device or self.device,
        requires_grad=requires_grad,
    )


_attach_creation_methods()


def _nonzero(self, *, as_tuple=False):
    bool_argument(as_tuple, "nonzero", "as_tuple")
    data = self._data
    namespace = namespace_of(data)
    if data.ndim == 0:
        # NumPy refuses a 0-d array. PyTorch gives one row of no coordinates if the value is
        # nonzero (none if not), and as a tuple reads the value as a 1-element vector.
        if as_tuple:
            return (Tensor._make(namespace.atleast_1d(data).nonzero()[0].astype("int64")),)
        return Tensor._make(namespace.zeros((int(bool(data)), 0), "int64"))
    found = data.nonzero()
    if as_tuple:
        return tuple(Tensor._make(axis.astype("int64")) for axis in found)
    return Tensor._make(namespace.stack(found, axis=-1).astype("int64"))


Tensor.nonzero = _nonzero
Tensor.argwhere = lambda self: _nonzero(self)


def _masked_fill(self, mask, value):
    IP.check_mask_and_value(self, mask, value)
    if isinstance(value, Tensor) and value.requires_grad and not self.is_floating_point():
        # (masked_fill_ writes the value's number and records nothing, as PyTorch's)
        raise RuntimeError(
            f"masked_fill: a value that requires grad would give the {self.dtype} result a "
            "gradient, which only floating point tensors take; detach the value"
        )
    return W.masked_fill(self, mask, value)


Tensor.masked_fill = _masked_fill
Tensor.masked_fill_ = IP.masked_fill_


# Gathering and sorting, matrix parts, and the rest of the everyday ops.
for _module, _names in (
    (gathering, "gather scatter scatter_ scatter_add scatter_add_ index_select masked_select"),
    (gathering, "take_along_dim scatter_reduce scatter_reduce_"),
    (sorting, "sort argsort msort topk kthvalue unique"),
    (statistics, "median nanmedian quantile nanquantile mode aminmax bincount histc"),
    (cumulative, "cumsum cumprod diff cummax cummin logcumsumexp"),
    (searching, "unique_consecutive"),
    (matrix_parts, "tril triu diag diagonal trace diag_embed diagflat"),
    (M, "roll ravel"),
    (repetition, "repeat repeat_interleave"),
    (E, "logaddexp logaddexp2 nan_to_num"),
    (C, "greater greater_equal less less_equal not_equal"),
):
    for _name in _names.split():
        setattr(Tensor, _name, getattr(_module, _name))
Tensor.tile = repetition.tile_method
Tensor.repeat_interleave = repetition.repeat_interleave_method
Tensor.tril_ = IP.in_place_form(matrix_parts.tril, "tril_")
Tensor.triu_ = IP.in_place_form(matrix_parts.triu, "triu_")
Tensor.nan_to_num_ = IP.in_place_form(E.nan_to_num, "nan_to_num_")
Tensor.is_cpu = property(lambda self: self.device.type == "cpu")

# Index writes, with their in-place forms: of slices along a dim (ops/slice_writes.py),
# and at a mask, flat positions or an advanced index (ops/index_writes.py).
from .ops import index_writes as _index_writes  # noqa: E402
from .ops import slice_writes as _slice_writes  # noqa: E402

for _name in (
    "index_add index_add_ index_copy index_copy_ index_fill index_fill_ index_reduce index_reduce_"
).split():
    setattr(Tensor, _name, getattr(_slice_writes, _name))
for (
    _name
) in "masked_scatter masked_scatter_ take put put_ index_put index_put_ fill_diagonal_".split():
    setattr(Tensor, _name, getattr(_index_writes, _name))

# The gamma family (ops/gamma.py) and numeric statistics (ops/numeric_statistics.py), with
# their in-place forms.
from .ops import gamma as _gamma  # noqa: E402
from .ops import numeric_statistics as _numeric_statistics  # noqa: E402

for _name in "lgamma digamma mvlgamma i0".split():
    setattr(Tensor, _name, getattr(_gamma, _name))
for _name in "lgamma digamma i0".split():
    setattr(Tensor, _name + "_", IP.unary_in_place(getattr(_gamma, _name)))
Tensor.polygamma = _gamma.polygamma_method
Tensor.polygamma_ = IP.in_place_form(_gamma.polygamma_method, "polygamma_")
Tensor.mvlgamma_ = IP.in_place_form(_gamma.mvlgamma, "mvlgamma_")
for _name in "cov corrcoef histogram renorm".split():
    setattr(Tensor, _name, getattr(_numeric_statistics, _name))
Tensor.renorm_ = IP.in_place_form(_numeric_statistics.renorm, "renorm_")

# Special functions (ops/error_function.py, ops/special_functions.py): the erf family, the
# parts of a float, gcd and lcm, with the in-place forms PyTorch has.
from .ops import error_function as _error_function  # noqa: E402

for _module, _names, _in_place_names in (
    (_error_function, "erf erfc erfinv", "erf erfc erfinv"),
    (
        special_functions,
        "copysign signbit sgn positive deg2rad rad2deg heaviside float_power ldexp logit sinc "
        "gcd lcm nextafter frexp",
        "copysign sgn deg2rad rad2deg heaviside ldexp logit sinc gcd lcm nextafter",
    ),
):
    for _name in _names.split():
        setattr(Tensor, _name, getattr(_module, _name))
    for _name in _in_place_names.split():
        setattr(Tensor, _name + "_", IP.in_place_form(getattr(_module, _name), _name + "_"))
Tensor.float_power_ = IP.in_place_form(special_functions.float_power_in_place_value, "float_power_")


def _hardshrink(self, lambd=0.5):
    from .nn.functional import hardshrink  # nn builds on the tensor: imported when called

    return hardshrink(self, lambd)


Tensor.hardshrink = _hardshrink


# The methods whose second operand must be a tensor too: PyTorch's TypeError, where the op
# would fail on a missing attribute.
for _name in (
    "matmul dot inner mm mv bmm outer ger vdot equal expand_as view_as reshape_as type_as"
).split():
    setattr(Tensor, _name, operand_needs_tensor(getattr(Tensor, _name), _name))
