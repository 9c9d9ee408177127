"""Element types and PyTorch's type-promotion rules.

A ``dtype`` names an element type and maps it to the array library's type.
Promotion follows PyTorch, which differs from NumPy in two ways that learners
meet at once: a Python float combined with an integer tensor gives the
*default* float type (float32, not float64), and operands are ranked by kind:
tensors with dimensions outrank zero-dimensional tensors, which outrank Python
numbers, so ``float32_vector * float64_scalar_tensor`` stays float32.
"""

import builtins
import functools
import math

from . import backend

np = backend.cpu_namespace

BOOL, INTEGER, FLOATING = 0, 1, 2  # kinds, in promotion order


class dtype:
    """An element type; read-only, as PyTorch's. ``name``, ``numpy_type`` and ``kind``
    are ember's own."""

    __slots__ = ("name", "numpy_type", "kind", "itemsize")

    def __init__(self, name, numpy_type, kind):
        numpy_type = np.dtype(numpy_type)
        itemsize = numpy_type.itemsize
        facts = {"name": name, "numpy_type": numpy_type, "kind": kind, "itemsize": itemsize}
        for attribute, value in facts.items():
            object.__setattr__(self, attribute, value)  # past __setattr__'s refusal

    def __setattr__(self, name, value):
        raise _write_refused(self, name)

    def __delattr__(self, name):
        raise _write_refused(self, name)

    @property
    def is_floating_point(self):
        return self.kind == FLOATING

    @property
    def is_signed(self):
        return self.numpy_type.kind in "if"

    @property
    def is_complex(self):
        return False  # ember has no complex types

    @property
    def abbr(self):
        """The short name PyTorch gives: 'f32', 'i64', 'u8', 'b8'."""
        return f"{self.numpy_type.kind}{self.itemsize * 8}"

    def to_real(self):
        return self

    def to_complex(self):
        """PyTorch's complex type of a float type; ember has none, so a RuntimeError, as
        PyTorch's for a type that is not a float."""
        why = "ember has no complex types" if self.is_floating_point else "not a floating type"
        raise RuntimeError(f"{self} has no complex counterpart: {why}")

    def __repr__(self):
        return f"ember.{self.name}"

    def __reduce__(self):
        return (_dtype_by_name, (self.name,))


def _write_refused(element_type, name):
    if hasattr(element_type, name):
        return AttributeError(f"attribute '{name}' of 'ember.dtype' objects is not writable")
    return AttributeError(f"'ember.dtype' object has no attribute '{name}'")


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
    if not isinstance(value, (type, np.dtype)):  # a tensor, a number...: PyTorch's TypeError
        raise TypeError(f"dtype must be an ember dtype, not {type(value).__name__}")
    return from_numpy(value)


def is_dtype_like(value):
    """Whether ``to_dtype`` reads ``value`` as a type (a name aside): an ember dtype, a
    Python or NumPy type, a NumPy dtype. ``x.to(value)`` tells a dtype from a device so."""
    return value.__class__ is dtype or isinstance(value, (type, np.dtype))


def get_default_dtype():
    return _default_float


def set_default_dtype(d, /):
    """Make ``d``, a floating dtype, the one new float tensors get (float32 at the start).

    It holds for the rest of the program: ``tensor([1.5])``, ``zeros``, ``rand`` and the
    layers' weights follow it; ints stay int64.

    >>> ember.set_default_dtype(ember.float64)
    >>> ember.tensor([1.5]).dtype
    ember.float64
    >>> ember.set_default_dtype(ember.float32)  # back to the usual
    """
    global _default_float
    if d.__class__ is not dtype:  # PyTorch takes no name, NumPy type nor Python type here
        raise TypeError(
            "invalid dtype object: only floating-point types are supported as the default "
            f"type, got {_type_name(d)}"
        )
    if not d.is_floating_point:
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default_float = d


def default_for_kind(kind):
    return (bool, int64, _default_float)[kind]


def promote_types(type1, type2):
    """The smallest dtype that holds both (torch.promote_types).

    Across kinds the higher kind's type wins as it is (int64 with float16 is float16),
    where NumPy would widen the float to hold every integer.
    """
    if type1.__class__ is not dtype or type2.__class__ is not dtype:
        type1 = dtype_argument(type1, "promote_types", "type1", 1)
        type2 = dtype_argument(type2, "promote_types", "type2", 2)
    if type1 is type2:
        return type1
    if type1.kind != type2.kind:
        return type1 if type1.kind > type2.kind else type2
    return from_numpy(np.promote_types(type1.numpy_type, type2.numpy_type))


def can_cast(from_, to):
    """Whether an op may write a ``from_`` result into a ``to`` tensor (torch.can_cast):
    within a kind any size goes, float64 into float16 too, but never to a lower kind."""
    from_ = dtype_argument(from_, "can_cast", "from_", 1)
    to = dtype_argument(to, "can_cast", "to", 2)
    return from_.kind <= to.kind


def dtype_argument(value, function_name, argument_name, position):
    """``value`` as the dtype an argument of PyTorch's type functions takes: a dtype, or
    Python's float, int or bool (float64, int64, bool); no name or NumPy type."""
    if value.__class__ is dtype:
        return value
    if value is builtins_float or value is builtins_int or value is builtins_bool:
        return to_dtype(value)
    raise TypeError(
        f"{function_name}(): argument '{argument_name}' (position {position}) must be "
        f"ember.dtype, not {_type_name(value)}"
    )


def _type_name(value):
    """``value``'s type as PyTorch names it: with its module, unless a builtin.
    (``arguments.type_name`` says the same, but importing it here would be a cycle:
    ``arguments`` imports ``tensor``, which imports this module.)"""
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"


def kind_of_number(value):
    """The kind of a Python number; PyTorch's TypeError for what is not a number."""
    if isinstance(value, builtins_bool):
        return BOOL
    if isinstance(value, builtins_int):
        return INTEGER
    if isinstance(value, builtins_float):
        return FLOATING
    raise TypeError(f"expected a Tensor or a number (bool, int or float), not {_type_name(value)}")


def result_type(*operands):
    """The dtype of an op's result; operands are Tensors, NumPy arrays, Python numbers or
    NumPy scalars (taken as the Python numbers they hold, as PyTorch takes them)."""
    ranked = [None, None]  # best dtype among dimensioned tensors, zero-dim tensors
    number_kind = -1
    past_int64 = None  # an int only uint64 holds
    refused = None  # the last operand's error, as PyTorch reports it, once all types passed
    for operand in operands:
        operand_dtype = getattr(operand, "dtype", None)
        if operand_dtype is not None and operand_dtype.__class__ is not dtype:
            if isinstance(operand, backend.generic_scalar):
                scalar, operand, operand_dtype = operand, backend.python_number(operand), None
                if operand.__class__ is builtins_int and operand >= 2**63:  # a uint64
                    refused = TypeError(f"an integer is required: {scalar!r} is past int64")
                    operand = 0  # an int, for its kind
            else:  # an array, beside a tensor in a binary op
                operand_dtype = from_numpy(operand_dtype)
        if operand_dtype is None:
            kind = kind_of_number(operand)
            if kind == INTEGER and not -(2**63) <= operand < 2**63:
                if 0 <= operand < 2**64:
                    past_int64 = operand
                else:
                    refused = OverflowError(f"int too big to convert to 64 bits: {operand}")
            number_kind = max(number_kind, kind)
            continue
        slot = 0 if operand.ndim else 1
        seen = ranked[slot]
        ranked[slot] = operand_dtype if seen is None else promote_types(seen, operand_dtype)
    if refused is not None:
        raise refused
    dimensioned, zero_dim = ranked
    result = dimensioned
    if zero_dim is not None and (result is None or zero_dim.kind > result.kind):
        result = zero_dim
    if result is None or number_kind > result.kind:
        if number_kind == INTEGER and past_int64 is not None:
            raise _uint64_refused(past_int64, result)
        return default_for_kind(number_kind)
    return result


def _uint64_refused(number, beside):
    """PyTorch takes an int in [2**63, 2**64) for a uint64, which promotes with no integer
    or bool type; ember has no uint64 at all."""
    return RuntimeError(
        f"promotion of uint64 is not supported: the int {number} fits only uint64, which "
        f"does not promote with {beside or 'the other ints'}"
    )


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
    if dtype is bool:
        return builtins_bool(value)  # any number: True unless 0
    lowest, highest = _limits(dtype.numpy_type)
    if dtype.is_floating_point:
        if math.isfinite(value) and abs(value) > highest:
            raise _overflow(value, dtype)
        return value
    fits = lowest <= value <= highest  # False for NaN
    if not isinstance(value, builtins_float) and lowest == 0:
        fits = -highest <= value <= highest
    if not fits:
        raise _overflow(value, dtype)
    return math.trunc(value) % (highest + 1) if lowest == 0 else math.trunc(value)


@functools.cache
def _limits(numpy_type):
    """(lowest, highest) of a NumPy type, as Python numbers (NumPy's iinfo and finfo take
    a microsecond each, and arange checks three numbers)."""
    numpy = backend.cpu_namespace
    if numpy.dtype(numpy_type).kind == "f":
        info = numpy.finfo(numpy_type)
        return builtins_float(info.min), builtins_float(info.max)
    info = numpy.iinfo(numpy_type)
    return info.min, info.max


def in_dtype(number, dtype):
    """A Python number as ``dtype`` holds it, as a Python number, with PyTorch's check that
    it fits (float16 through float32, as PyTorch converts)."""
    number = checked_number(number, dtype)
    if not dtype.is_floating_point:
        return number
    if dtype is float16:
        number = backend.cpu_namespace.float32(number)
    return builtins_float(dtype.numpy_type.type(number))


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


_NO_TYPE = object()  # finfo() without a type; finfo(None) is PyTorch's TypeError


class finfo(_TypeLimits):  # noqa: N801 - PyTorch's public name
    """A floating type's limits: ``bits``, ``eps`` (the gap after 1.0), ``max``, ``min``,
    ``tiny`` = ``smallest_normal`` (the smallest positive normal number), ``resolution``
    (10 ** -digits) and ``dtype`` (its name). No type: the default dtype's."""

    __slots__ = ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype")
    printed = ("resolution", "min", "max", "eps", "smallest_normal", "tiny")

    def __init__(self, type=_NO_TYPE):  # noqa: A002 - PyTorch's argument name
        described = _default_float if type is _NO_TYPE else dtype_argument(type, "finfo", "type", 1)
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
        described = dtype_argument(type, "iinfo", "type", 1)
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
