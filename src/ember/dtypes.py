"""Element types and PyTorch's type-promotion rules.

A ``dtype`` names an element type and maps it to the array library's type.
Promotion follows PyTorch, which differs from NumPy in two ways that learners
meet at once: a Python float combined with an integer tensor gives the
*default* float type (float32, not float64), and operands are ranked by kind:
tensors with dimensions outrank zero-dimensional tensors, which outrank Python
numbers, so ``float32_vector * float64_scalar_tensor`` stays float32.
"""

import builtins
import math

from . import backend

np = backend.cpu_namespace

BOOL, INTEGER, FLOATING = 0, 1, 2  # kinds, in promotion order


class dtype:
    __slots__ = ("name", "numpy_type", "kind", "itemsize")

    def __init__(self, name, numpy_type, kind):
        self.name = name
        self.numpy_type = np.dtype(numpy_type)
        self.kind = kind
        self.itemsize = self.numpy_type.itemsize

    @property
    def is_floating_point(self):
        return self.kind == FLOATING

    def __repr__(self):
        return f"ember.{self.name}"

    def __reduce__(self):
        return (_dtype_by_name, (self.name,))


float16 = half = dtype("float16", "float16", FLOATING)
float32 = float = dtype("float32", "float32", FLOATING)
float64 = double = dtype("float64", "float64", FLOATING)
uint8 = dtype("uint8", "uint8", INTEGER)
int8 = dtype("int8", "int8", INTEGER)
int16 = short = dtype("int16", "int16", INTEGER)
int32 = int = dtype("int32", "int32", INTEGER)
int64 = long = dtype("int64", "int64", INTEGER)
bool = dtype("bool", "bool", BOOL)  # noqa: A001 - PyTorch's public name

all_dtypes = (float16, float32, float64, uint8, int8, int16, int32, int64, bool)
_by_numpy_type = {d.numpy_type: d for d in all_dtypes}
_by_name = {d.name: d for d in all_dtypes}

_default_float = float32
builtins_float, builtins_int, builtins_bool = builtins.float, builtins.int, builtins.bool


def _dtype_by_name(name):
    return _by_name[name]


def from_numpy(numpy_type):
    """The ember dtype of a NumPy/CuPy dtype; TypeError for types ember lacks."""
    try:
        return _by_numpy_type[numpy_type]
    except KeyError:
        found = _by_numpy_type.get(np.dtype(numpy_type))
        if found is None and np.dtype(numpy_type).isnative is False:
            raise ValueError(
                f"can't convert an array of type {numpy_type}: its bytes are in the other "
                f"order than this machine's; convert it first, with "
                f"array.astype(array.dtype.newbyteorder('='))"
            ) from None
        if found is None:
            raise TypeError(
                f"can't convert an array of type {numpy_type}: ember supports "
                "float64, float32, float16, int64, int32, int16, int8, uint8 and bool"
            ) from None
        return found


def to_dtype(value):
    """Accept an ember dtype, a NumPy dtype or a Python type (float -> float64, as in
    PyTorch: a Python float is a double, whatever the default dtype)."""
    if value.__class__ is dtype:
        return value
    if value is builtins_float:
        return float64
    if value is builtins_int:
        return int64
    if value is builtins_bool:
        return bool
    if isinstance(value, str):
        if value in _by_name:
            return _by_name[value]
        raise TypeError(f"unknown dtype name {value!r}")
    return from_numpy(value)


def get_default_dtype():
    return _default_float


def set_default_dtype(d):
    """Make ``d``, a floating dtype, the one new float tensors get (float32 at the start).

    It holds for the rest of the program: ``tensor([1.5])``, ``zeros``, ``rand`` and the
    layers' weights follow it; ints stay int64.

    >>> ember.set_default_dtype(ember.float64)
    >>> ember.tensor([1.5]).dtype
    ember.float64
    >>> ember.set_default_dtype(ember.float32)  # back to the usual
    """
    global _default_float
    d = to_dtype(d)
    if not d.is_floating_point:
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default_float = d


def default_for_kind(kind):
    return (bool, int64, _default_float)[kind]


def promote_types(a, b):
    """The smallest dtype that holds both (torch.promote_types).

    Across kinds the higher kind's type wins as it is (int64 with float16 is float16),
    where NumPy would widen the float to hold every integer.
    """
    if a is b:
        return a
    if a.kind != b.kind:
        return a if a.kind > b.kind else b
    return from_numpy(np.promote_types(a.numpy_type, b.numpy_type))


def can_cast(from_, to):
    """Whether an op may write a ``from_`` result into a ``to`` tensor (torch.can_cast):
    within a kind any size goes, float64 into float16 too, but never to a lower kind."""
    for name, value in (("from_", from_), ("to", to)):
        if value.__class__ is not dtype:
            raise TypeError(
                f"can_cast(): argument '{name}' must be ember.dtype, not {type(value).__name__}"
            )
    return from_.kind <= to.kind


def kind_of_number(value):
    if isinstance(value, builtins_bool):
        return BOOL
    if isinstance(value, builtins_int):
        return INTEGER
    return FLOATING


def result_type(*operands):
    """The dtype of an op's result; operands are Tensors or Python numbers."""
    ranked = [None, None]  # best dtype among dimensioned tensors, zero-dim tensors
    number_kind = -1
    for operand in operands:
        operand_dtype = getattr(operand, "dtype", None)
        if operand_dtype is None:
            number_kind = max(number_kind, kind_of_number(operand))
            continue
        slot = 0 if operand.ndim else 1
        seen = ranked[slot]
        ranked[slot] = operand_dtype if seen is None else promote_types(seen, operand_dtype)
    dimensioned, zero_dim = ranked
    result = dimensioned
    if zero_dim is not None and (result is None or zero_dim.kind > result.kind):
        result = zero_dim
    if result is None:
        return default_for_kind(number_kind)
    if number_kind > result.kind:
        return default_for_kind(number_kind)
    return result


_legacy_names = {
    "float32": "Float",
    "float64": "Double",
    "float16": "Half",
    "int64": "Long",
    "int32": "Int",
    "int16": "Short",
    "int8": "Char",
    "uint8": "Byte",
    "bool": "Bool",
}
_by_legacy_name = {f"ember.{word}Tensor": _by_name[name] for name, word in _legacy_names.items()}


def scalar_type_name(d):
    """PyTorch's C++ name of an element type, which its messages use: float32 -> 'Float'."""
    return _legacy_names[d.name]


def tensor_type_name(d):
    """PyTorch's legacy name of a tensor type: float32 -> 'ember.FloatTensor'."""
    return f"ember.{scalar_type_name(d)}Tensor"


def from_tensor_type_name(name):
    """'ember.FloatTensor' (or 'torch.FloatTensor') -> float32."""
    found = _by_legacy_name.get(name.replace("torch.", "ember.", 1))
    if found is None:
        raise ValueError(f"invalid type: {name!r}")
    return found


def checked_number(value, dtype):
    """``value`` (a Python number) converted as PyTorch converts it to ``dtype``, with its
    RuntimeError where it does not fit: NaN fits no integer type, a finite float beyond a
    float type's largest overflows, and an int fits an unsigned type down to minus its
    maximum, wrapping around (-1 is 255 as a uint8)."""
    numpy = backend.cpu_namespace
    if dtype is bool:
        return builtins_bool(value)  # any number: True unless 0
    if dtype.is_floating_point:
        if math.isfinite(value) and abs(value) > numpy.finfo(dtype.numpy_type).max:
            raise _overflow(value, dtype)
        return value
    limits = numpy.iinfo(dtype.numpy_type)
    fits = limits.min <= value <= limits.max  # False for NaN
    if not isinstance(value, builtins_float) and limits.min == 0:
        fits = -limits.max <= value <= limits.max
    if not fits:
        raise _overflow(value, dtype)
    return math.trunc(value) % (limits.max + 1) if limits.min == 0 else math.trunc(value)


def _overflow(value, dtype):
    return RuntimeError(f"value cannot be converted to type {dtype.name} without overflow: {value}")


# The limits of a floating or an integer type ------------------------------------------


class _TypeLimits:
    """Read-only facts about a dtype, compared by value; PyTorch's finfo and iinfo."""

    __slots__ = ()

    def __setattr__(self, name, value):
        raise AttributeError(
            f"attribute '{name}' of '{type(self).__name__}' objects is not writable"
        )

    def __eq__(self, other):
        return type(other) is type(self) and all(
            getattr(self, name) == getattr(other, name) for name in self.__slots__
        )

    __hash__ = None  # unhashable, as PyTorch's

    def __repr__(self):
        shown = ", ".join(f"{name}={getattr(self, name):g}" for name in self.printed)
        return f"{type(self).__name__}({shown}, dtype={self.dtype})"

    def _set(self, **facts):
        for name, value in facts.items():
            object.__setattr__(self, name, value)


def _limits_dtype(type_, op_name):
    """The dtype that ``finfo(type_)`` or ``iinfo(type_)`` describes: a dtype, or Python's
    float or int (float64, int64), as PyTorch takes them; not a name."""
    if type_.__class__ is dtype or type_ in (builtins_float, builtins_int, builtins_bool):
        return to_dtype(type_)
    raise TypeError(
        f"{op_name}(): argument 'type' (position 1) must be ember.dtype, not {type(type_).__name__}"
    )


class finfo(_TypeLimits):  # noqa: N801 - PyTorch's public name
    """A floating type's limits: ``bits``, ``eps`` (the gap after 1.0), ``max``, ``min``,
    ``tiny`` = ``smallest_normal`` (the smallest positive normal number), ``resolution``
    (10 ** -digits) and ``dtype`` (its name). No type: the default dtype's."""

    __slots__ = ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype")
    printed = ("resolution", "min", "max", "eps", "smallest_normal", "tiny")

    def __init__(self, type=None):  # noqa: A002 - PyTorch's argument name
        described = _default_float if type is None else _limits_dtype(type, "finfo")
        if not described.is_floating_point:
            raise TypeError(
                f"ember.finfo() requires a floating point input type, not {described}. Use "
                "ember.iinfo to handle integer types"
            )
        limits = np.finfo(described.numpy_type)
        self._set(
            bits=builtins_int(limits.bits),
            eps=builtins_float(limits.eps),
            max=builtins_float(limits.max),
            min=builtins_float(limits.min),
            tiny=builtins_float(limits.smallest_normal),
            smallest_normal=builtins_float(limits.smallest_normal),
            resolution=10.0**-limits.precision,  # NumPy's is that, rounded to the type
            dtype=described.name,
        )


class iinfo(_TypeLimits):  # noqa: N801 - PyTorch's public name
    """An integer type's limits: ``bits``, ``max``, ``min`` and ``dtype`` (its name)."""

    __slots__ = ("bits", "max", "min", "dtype")
    printed = ("min", "max")

    def __init__(self, type):  # noqa: A002 - PyTorch's argument name
        described = _limits_dtype(type, "iinfo")
        if described is bool:
            raise TypeError("ember.bool is not supported by ember.iinfo: it has no range")
        if described.is_floating_point:
            raise TypeError(
                f"ember.iinfo() requires an integer input type, not {described}. Use "
                "ember.finfo to handle floating types"
            )
        limits = np.iinfo(described.numpy_type)
        self._set(
            bits=builtins_int(limits.bits),
            max=builtins_int(limits.max),
            min=builtins_int(limits.min),
            dtype=described.name,
        )
