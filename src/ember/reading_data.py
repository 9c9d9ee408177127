"""Reading Python data into an array, as PyTorch reads it for ``tensor(data)``.

Data given as Python numbers infers PyTorch's dtypes (floats -> float32,
ints -> int64, bools -> bool); NumPy arrays keep their own dtype. In a list,
NumPy numbers and one-element tensors keep theirs too, and the list's dtype
promotes them all: ``tensor([np.float64(1.0), 2])`` is float64, as in PyTorch.
Data PyTorch refuses gets its error type: ragged lists, strings, ints past int64,
numbers an integer dtype cannot hold, NumPy floats read into an integer dtype.
Other sequences (a pandas Series, a range, an ``array.array``) are read element by
element, as PyTorch reads them: a Series of floats is float64, a DataFrame is refused.
"""

import operator
from functools import reduce
from numbers import Number

from . import backend, dtypes
from .tensor import Tensor, warn_once, warn_scalar_of_grad_tensor

np = backend.cpu_namespace


def data_to_array(data, dtype):
    """A NumPy array for ``data`` with PyTorch's dtype inference."""
    if isinstance(data, Tensor):
        array = backend.to_host(data._data)
        return array.astype(dtype.numpy_type) if dtype else array
    # (type() first: a plain array, the common case, then costs no call)
    if type(data) is np.ndarray or isinstance(data, (np.ndarray, backend.generic_scalar)):
        if type(data) is not np.ndarray and isinstance(data, backend.generic_scalar):
            return _numpy_scalar_to_array(data, dtype)
        array = np.asarray(data)  # a masked array's or a matrix's plain array
        dtypes.from_numpy(array.dtype)  # refuses types ember lacks
        flags = array.flags  # a contiguous array (nearly always) steps forwards: no calls
        if not (flags.c_contiguous or flags.f_contiguous):
            _refuse_backward_steps(array)
        return array.astype(dtype.numpy_type) if dtype else array
    if isinstance(data, (str, bytes)):
        raise TypeError(
            f"new(): invalid data type '{type(data).__name__}' ({data!r:.40}): a tensor holds "
            "numbers; convert the text first (float(text), or pandas for a column)"
        )
    # A flat list of Python numbers (a batch's indices) needs no look inside.
    if isinstance(data, (list, tuple)):
        look_inside = not _PYTHON_NUMBERS.issuperset(map(type, data))
    else:
        look_inside = _is_other_sequence(data)  # a Series, a range...: read as a list
        if look_inside:
            data = _elements_of(data, dtype)
    if look_inside:
        leaf_types = _leaf_types(data)
        if any(map(_is_other_sequence_type, leaf_types)):  # [series, series]
            data = _listed(data, dtype)
            leaf_types = _leaf_types(data)
        if not leaf_types <= _PYTHON_NUMBERS and all(map(_is_typed_leaf, leaf_types)):
            return _typed_sequence_to_array(data, leaf_types, dtype)
    try:
        array = np.array(data)
    except ValueError as error:
        raise _misfit(data) or _ragged(error) from None
    if array.dtype.kind in "USc":
        _refuse_strings_or_complex(data, array)
    # NumPy keeps Python ints past int64 as uint64 or objects, or beside smaller ones makes
    # floats of them (checked in line: this is the path of a batch's list of indices)
    if (
        array.dtype.kind == "O"
        or array.dtype == np.uint64
        or (array.dtype == np.float64 and array.size and not np.abs(array).max() < 2**63)
    ):
        array = _beyond_int64(data, array, dtype)
    if array.dtype.kind == "O" and dtype is not None:
        return _objects_as(array, dtype)
    if array.dtype.kind == "O":
        raise RuntimeError(
            f"Could not infer dtype of {_stranger_type(data).__name__}: a tensor's elements "
            "must be numbers, bools or tensors of one element"
        )
    # np.array made this array, so nothing else holds it: no second copy is needed.
    if dtype is not None:
        if dtype.kind == dtypes.INTEGER:
            _check_numbers_fit(array, dtype)
        return array.astype(dtype.numpy_type, copy=False)
    if array.dtype.kind == "f":
        return array.astype(dtypes.get_default_dtype().numpy_type, copy=False)
    if array.dtype.kind in "iu":
        return array.astype(np.int64, copy=False)
    return array


_PYTHON_NUMBERS = frozenset((float, int, bool))


def _refuse_backward_steps(array):
    """PyTorch's ``tensor(a[::-1])`` is a ValueError, although it copies: it reads the
    array through a tensor that shares its memory first. ember refuses it too, as it
    refuses an array of the other byte order, so that code written for ember runs on
    PyTorch."""
    if any(stride < 0 for stride in array.strides):
        raise ValueError(
            "can't build a tensor from a NumPy array that steps backwards along a dim (a "
            "negative stride, as in a[::-1]); pass a copy, a[::-1].copy()"
        )


def _numpy_scalar_to_array(scalar, dtype):
    """A NumPy number, read as PyTorch reads it: its own dtype, and into an integer dtype
    only a number that fits (``np.float64(1e300)`` would wrap around in NumPy's cast)."""
    array = np.asarray(scalar)
    own_dtype = dtypes.from_numpy(array.dtype)  # refuses types ember lacks
    if error := _unreadable(type(scalar), dtype or own_dtype):
        raise error
    if dtype is None:
        return array
    if dtype.kind == dtypes.INTEGER:
        _check_numbers_fit(array, dtype)
    return array.astype(dtype.numpy_type)


def _is_other_sequence(data):
    """A sequence that is not a list or a tuple (a pandas Series or Index, a range, an
    ``array.array``...), which PyTorch reads element by element, as a list; not a dict."""
    return _is_other_sequence_type(type(data)) and not backend.is_array(data)


def _is_other_sequence_type(kind):
    """Whether values of ``kind`` may be other sequences (a GPU array's type may be among
    them: ``_is_other_sequence`` tells)."""
    return (
        hasattr(kind, "__len__")
        and hasattr(kind, "__getitem__")
        # (an Enum's class has a length through its metaclass: an IntEnum is a number)
        and not issubclass(kind, (list, tuple, dict, str, bytes, Tensor, np.ndarray, Number))
    )


def _listed(sequence, dtype):
    """Nested lists and tuples with the other sequences inside made lists of elements."""
    return [
        _listed(item, dtype)
        if type(item) is list or type(item) is tuple
        else _listed(_elements_of(item, dtype), dtype)
        if _is_other_sequence(item)
        else item
        for item in sequence
    ]


def _elements_of(sequence, dtype):
    """The elements of ``sequence``, as a list, read as PyTorch reads them.

    PyTorch finds the shape through ``sequence[0]``, so a DataFrame (whose ``[0]`` is a
    column that is not there) or a Series without the label 0 is a ValueError; then it
    iterates, so a Series of floats gives float64, and one of objects its Python numbers
    (or a pd.NA, which no dtype can hold).
    """
    if len(sequence):
        try:
            sequence[0]
        except Exception:  # noqa: BLE001 - any failure to look inside, as PyTorch's
            raise ValueError(
                f"could not determine the shape of object type '{type(sequence).__name__}': "
                "its [0] fails; give its values as an array (a DataFrame's "
                "df.to_numpy(dtype=float))"
            ) from None
    values = list(sequence)
    # PyTorch infers the dtype from the elements that sequence[i] gives (a Series':
    # NumPy numbers) but reads the values by iterating (Python numbers, or a pd.NA)
    if (
        dtype is None
        and hasattr(sequence, "__array__")
        and _PYTHON_NUMBERS.issuperset(map(type, values))
    ):
        array = np.asarray(sequence)
        if array.ndim == 1 and array.dtype.kind in "biuf":
            return list(array)
    return values


def _objects_as(array, dtype):
    """Objects that are no Python numbers (a Fraction, a Decimal, None), read into
    ``dtype`` as PyTorch reads them once a dtype is given: with ``float()`` for a float
    dtype, as an index for an integer or bool one. Without a dtype PyTorch cannot infer
    one (a RuntimeError); with one, what does not convert is a TypeError."""
    convert = float if dtype.is_floating_point else _as_integer
    try:
        numbers = np.array([convert(item) for item in array.flat]).reshape(array.shape)
    except TypeError as error:
        raise TypeError(
            f"can't read {_stranger_type(array.tolist()).__name__} into a {dtype.name} "
            f"tensor: {error}"
        ) from None
    if dtype.kind == dtypes.INTEGER:
        _check_numbers_fit(numbers, dtype)
    return numbers.astype(dtype.numpy_type)


def _as_integer(item):
    """A number for an integer or bool dtype: a Python float (cut toward zero, as
    PyTorch cuts it), or anything that is an index."""
    return item if isinstance(item, float) else operator.index(item)


def _refuse_strings_or_complex(data, array):
    if array.dtype.kind == "c":
        raise TypeError(
            f"can't build a tensor from complex numbers ({data!r:.60}): ember has no complex dtypes"
        )
    first = data
    while isinstance(first, (list, tuple)) and first:
        first = first[0]
    # PyTorch reads a first string as one more dim (a ValueError), a later one as a value
    # of no number type (a TypeError)
    error = ValueError if isinstance(first, str) else TypeError
    raise error(f"can't build a tensor from strings: {data!r:.60}")


def _check_numbers_fit(array, dtype):
    """PyTorch refuses Python numbers that an integer dtype cannot hold (NaN, 300 as a
    uint8), where NumPy's cast would wrap them around. As in ``dtypes.checked_number``,
    an int fits an unsigned type down to minus its maximum (-1 is 255), a float only from
    0. The comparisons are NumPy's, in the array's type (2**63 as a float64 is int64's
    largest)."""
    if array.dtype.kind == "b" or array.size == 0:
        return
    limits = np.iinfo(dtype.numpy_type)
    lowest = limits.min
    if lowest == 0 and array.dtype.kind in "iu":
        lowest = -limits.max
    if not (lowest <= array.min() and array.max() <= limits.max):  # NaN fails too
        raise RuntimeError(
            f"value cannot be converted to type {dtype.name} without overflow: the data "
            f"holds values from {array.min()} to {array.max()}"
        )


def _may_hold_ints_past_int64(array):
    """NumPy makes float64 of Python ints that int64 cannot all hold (0 beside 2**63)."""
    return array.dtype == np.float64 and array.size and not np.abs(array).max() < 2**63


def _beyond_int64(data, array, dtype):
    """Python ints too large for int64, which NumPy keeps as uint64 or as objects, or
    makes floats of beside smaller ones.

    PyTorch reads them as floats where a float beside them or a float ``dtype`` asks
    for floats, as True for a bool ``dtype``, and otherwise refuses them rather than let
    them wrap around.
    """
    leaf_types = _types_inside(data)
    if not leaf_types <= _PYTHON_NUMBERS:
        return array  # not numbers: the caller refuses the objects
    if array.dtype.kind == "f" and not _holds_ints_past_int64(data):
        return array  # the large values (or NaN) are floats that the data holds
    wants_floats = float in leaf_types if dtype is None else dtype.is_floating_point
    if wants_floats:
        return np.array(data, dtype=np.float64)
    if dtype is dtypes.bool:
        return array.astype(np.bool_)
    raise _int64_overflow()


def _holds_ints_past_int64(data):
    if isinstance(data, (list, tuple)):
        return any(map(_holds_ints_past_int64, data))
    return type(data) is int and not -(2**63) <= data < 2**63


def _int64_overflow():
    return ValueError(
        "overflow: a Python int in the data does not fit in int64; give dtype=float64, "
        "or write it as a float"
    )


def _leaf_types(sequence):
    """The types of what nested lists and tuples hold, the lists and tuples left out."""
    types = set(map(type, sequence))
    if list in types or tuple in types:
        types -= {list, tuple}
        for item in sequence:
            if type(item) is list or type(item) is tuple:
                types |= _leaf_types(item)
    return types


def _types_inside(data):
    """The types of the values in ``data``: a nested sequence's leaves, or its own type."""
    return _leaf_types(data) if isinstance(data, (list, tuple)) else {type(data)}


def _stranger_type(data):
    """The type of something in ``data`` that is no number, for the error that names it."""
    return next((t for t in _types_inside(data) if not _is_typed_leaf(t)), type(data))


def _is_typed_leaf(leaf_type):
    """A Python number, or an element that brings its own dtype into a list."""
    return leaf_type in _PYTHON_NUMBERS or issubclass(
        leaf_type, (np.number, np.bool_, np.ndarray, Tensor)
    )


def _typed_sequence_to_array(data, leaf_types, dtype):
    """Nested lists holding NumPy numbers, arrays or tensors, as PyTorch reads them.

    PyTorch promotes the dtypes of all the elements, each read on its own (a Python float
    is the default float even beside an int: no NumPy-style weak scalars), and reads a
    tensor as its one number: ``tensor([tensor([1.]), tensor([2.])])`` has shape [2].
    """
    element_dtypes = [_dtype_of_leaf_type(t) for t in leaf_types if not _has_own_dtype(t)]
    tensors, numbers = [], data
    if any(map(_has_own_dtype, leaf_types)):
        numbers = _tensors_as_numbers(data, element_dtypes, tensors)
    result = dtype or reduce(dtypes.promote_types, element_dtypes)
    try:
        array = _numbers_as(numbers, result, leaf_types)
    except ValueError as error:
        raise _misfit(data, result) or _ragged(error) from None
    except OverflowError:
        raise _int64_overflow() from None
    if error := _misfit(data, result):  # a tensor or NumPy number PyTorch cannot read
        raise error
    return array


def _numbers_as(numbers, dtype, leaf_types):
    """An array of ``dtype`` from nested lists of numbers; into an integer dtype they are
    first checked to fit, as PyTorch checks them (NumPy would wrap them around)."""
    if dtype.kind != dtypes.INTEGER:
        return np.array(numbers, dtype=dtype.numpy_type)
    wide = np.array(numbers)
    has_floats = any(issubclass(leaf_type, (float, np.floating)) for leaf_type in leaf_types)
    if (
        wide.dtype == np.uint64
        or wide.dtype.kind == "O"
        or (_may_hold_ints_past_int64(wide) and not has_floats)
    ):
        raise _int64_overflow()
    _check_numbers_fit(wide, dtype)
    return wide.astype(dtype.numpy_type)


def _ragged(numpy_error):
    return ValueError(f"can't build a tensor from ragged nested sequences: {numpy_error}")


def _misfit(data, dtype=None):
    """The error PyTorch raises for the first element, depth first, that does not fit the
    shape it reads from the first element at each depth, or that it cannot read into
    ``dtype``; None if all fit. A sequence of another length is a ValueError, a number
    where a sequence belongs (or the other way round) a TypeError."""
    shape, first = [], data
    while _is_sequence(first):
        shape.append(len(first))
        if not len(first):
            break
        first = first[0]
    return _first_misfit(data, shape, 0, dtype)


def _is_sequence(item):
    return isinstance(item, (list, tuple)) or (isinstance(item, np.ndarray) and item.ndim > 0)


def _first_misfit(item, shape, dim, dtype):
    """``_misfit`` below ``item``, at depth ``dim`` of ``shape``."""
    # A tensor of some dims is read as a sequence where one belongs, and as a number where
    # a number does (PyTorch reads the shape through lists, tuples and arrays only).
    is_sequence = _is_sequence(item) or (
        dim < len(shape) and isinstance(item, Tensor) and item.dim() > 0
    )
    if dim == len(shape):
        if is_sequence:
            kind = type(item).__name__
            return TypeError(f"expected a number at dim {dim}, got the {kind} {item}")
        return dtype and _unreadable(item, dtype)
    if not is_sequence:
        return TypeError(
            f"expected a sequence of length {shape[dim]} at dim {dim}, got the "
            f"{type(item).__name__} {item}"
        )
    if len(item) != shape[dim]:
        return ValueError(
            f"can't build a tensor from ragged nested sequences: expected a sequence of "
            f"length {shape[dim]} at dim {dim} (got {len(item)})"
        )
    misfits = (_first_misfit(part, shape, dim + 1, dtype) for part in item)
    return next(filter(None, misfits), None)


def _unreadable(element, dtype):
    """The error for an element of a list (or its type) that PyTorch cannot read into
    ``dtype``, None for one it can. PyTorch reads a tensor as a Python float, or for an
    integer or bool dtype as an index: any one-element tensor is a float, only an integer
    or bool one an index. It reads a NumPy number into an integer or bool dtype as an
    index too, which NumPy's floats are not (a float64 is a Python float), nor its bools
    unless the dtype is bool."""
    if isinstance(element, Tensor):
        return _unreadable_tensor(element, dtype)
    if isinstance(element, np.ndarray):  # a 0-d one, after the list's first element
        return _unreadable_array(element, dtype)
    leaf_type = element if isinstance(element, type) else type(element)
    if dtype.is_floating_point or not issubclass(leaf_type, np.generic):
        return None
    as_bool = dtype is dtypes.bool and issubclass(leaf_type, np.bool_)
    if as_bool or issubclass(leaf_type, float) or hasattr(leaf_type, "__index__"):
        return None
    return TypeError(
        f"'numpy.{leaf_type.__name__}' object cannot be interpreted as an integer: convert "
        f"it with int() to put it into a {dtype.name} tensor"
    )


def _unreadable_array(array, dtype):
    """A 0-d array in a list is read as an index for an integer or bool dtype (unlike a
    NumPy number, a float64 one is no Python float): only an integer one is one."""
    if dtype.is_floating_point or array.dtype.kind in "iu":
        return None
    return TypeError(
        f"a 0-d NumPy array of {array.dtype} cannot be read into a {dtype.name} tensor as an "
        "integer: convert it with int()"
    )


def _unreadable_tensor(tensor, dtype):
    if dtype.is_floating_point:
        if tensor._data.size == 1:
            return None
        return ValueError(
            f"only one element tensors can be converted to Python scalars (a list holds "
            f"one of shape {list(tensor.shape)})"
        )
    if tensor._data.size == 1 and not tensor.is_floating_point():
        return None
    return TypeError(
        f"only integer tensors of a single element can be converted to an index (a list "
        f"for a {dtype.name} tensor holds a {tensor.dtype.name} one of shape "
        f"{list(tensor.shape)})"
    )


def _has_own_dtype(leaf_type):
    """Arrays and tensors: each one's dtype must be read from it, not from its type."""
    return issubclass(leaf_type, (np.ndarray, Tensor))


def _dtype_of_leaf_type(leaf_type):
    if leaf_type is float:
        return dtypes.get_default_dtype()
    if leaf_type is int:
        return dtypes.int64
    if leaf_type is bool:
        return dtypes.bool
    return dtypes.from_numpy(np.dtype(leaf_type))  # a NumPy number's type


def _tensors_as_numbers(sequence, element_dtypes, tensors):
    """``sequence`` with each one-element tensor replaced by its number; notes the dtype of
    every tensor and array met, and the tensors themselves."""
    unpacked = []
    for position, item in enumerate(sequence):
        if type(item) is list or type(item) is tuple:
            item = _tensors_as_numbers(item, element_dtypes, tensors)
        elif isinstance(item, Tensor):
            element_dtypes.append(item.dtype)
            tensors.append(item)
            if item._data.size == 1:
                if item.requires_grad:
                    warn_scalar_of_grad_tensor()
                item = item._data.item()
        elif isinstance(item, np.ndarray) and item.ndim == 0:
            # PyTorch takes the list's shape from its first element, whose len() a 0-d
            # array has not; one further on it reads as the NumPy number it holds
            if position == 0:
                raise TypeError(
                    "len() of unsized object: a list starts with a 0-d NumPy array; use "
                    ".item() or np.float64(...) for a number"
                )
            element_dtypes.append(dtypes.from_numpy(item.dtype))
            item = item[()]
        elif isinstance(item, np.ndarray):
            _warn_list_of_arrays()
            element_dtypes.append(dtypes.from_numpy(item.dtype))
        unpacked.append(item)
    return unpacked


def _warn_list_of_arrays():
    warn_once(
        "list of arrays",
        "Creating a tensor from a list of numpy.ndarrays is extremely slow: each array is "
        "read element by element. Make one array first, with np.array(the_list) or "
        "np.stack(the_list), and build the tensor from it.",
        stacklevel=7,
    )
