"""Collation: turn a list of samples into one batch.

``default_collate`` stacks along a new first dimension, looking inside the
samples' structure:

========================  =================================================
each sample is            the batch is
========================  =================================================
Tensor                    ``stack(samples)``
NumPy array               the arrays as tensors, stacked
NumPy scalar              a tensor of the scalars' own dtype
Python float              a float64 tensor (not the default float32)
Python int / bool         an int64 / bool tensor
str or bytes              the list, unchanged
dict (any Mapping)        the same kind of mapping, each key collated
namedtuple                the same namedtuple, each field collated
tuple                     a *list*, each position collated
list (any Sequence)       the same kind of sequence, each position collated
========================  =================================================

``default_convert`` is what a DataLoader with ``batch_size=None`` applies to
each single sample: NumPy arrays and scalars become tensors, the rest of the
structure is kept (tuples become lists here too).
"""

import collections.abc
import copy

from ... import backend, dtypes
from ...creation import as_tensor, from_numpy, tensor
from ...ops.joining import stack
from ...tensor import Tensor

np = backend.cpu_namespace

_NOT_A_NUMBER = (
    "default_collate: a batch of NumPy scalars holds something that is not a number (types: {})"
)
_UNSUPPORTED = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
)


def _is_text_array(array):
    """NumPy arrays of strings, bytes or objects have no tensor form."""
    return array.dtype.kind in "OSUV"


def default_collate(batch):
    """One batch from a list of samples (see the table in this module's docstring)."""
    first = batch[0]
    if isinstance(first, Tensor):
        return stack(batch, 0)
    if isinstance(first, np.ndarray):
        if _is_text_array(first):
            raise TypeError(_UNSUPPORTED.format(first.dtype))
        # as_tensor, not from_numpy: a tensor among the arrays is stacked too, as in torch
        return stack([as_tensor(array) for array in batch], 0)
    if isinstance(first, (np.bool_, np.number)):
        return _scalars_tensor(batch, first.dtype)
    if isinstance(first, float):
        return tensor(batch, dtype=dtypes.float64)
    if isinstance(first, int):
        return tensor(batch)
    if isinstance(first, (str, bytes)):
        return batch
    if isinstance(first, collections.abc.Mapping):
        values = {key: default_collate([sample[key] for sample in batch]) for key in first}
        return _same_mapping(first, values)
    if isinstance(first, tuple) and hasattr(first, "_fields"):  # namedtuple
        return type(first)(*(default_collate(field) for field in zip(*batch)))
    if isinstance(first, collections.abc.Sequence):
        size = len(first)
        if any(len(sample) != size for sample in batch):
            raise RuntimeError(
                "each element in list of batch should be of equal size (got sizes "
                f"{[len(sample) for sample in batch]})"
            )
        positions = [default_collate(column) for column in zip(*batch)]
        return positions if isinstance(first, tuple) else _same_sequence(first, positions)
    raise TypeError(_UNSUPPORTED.format(type(first)))


def _scalars_tensor(scalars, first_dtype):
    """NumPy scalars as one tensor, their types promoted as PyTorch promotes them.

    NumPy and PyTorch agree when no promotion is needed; where they do not
    (float32 with int64 is float64 in NumPy, float32 in PyTorch), ``as_tensor``
    applies PyTorch's rule.
    """
    try:
        array = np.asarray(scalars)
    except ValueError:  # a sequence among them: NumPy sees a ragged array
        raise TypeError(_NOT_A_NUMBER.format([type(s).__name__ for s in scalars])) from None
    if array.dtype.kind not in "biufc" and any(map(_has_no_tensor_form, scalars)):
        # checked only when NumPy found no number type, so a batch of numbers pays nothing
        raise TypeError(_NOT_A_NUMBER.format([type(s).__name__ for s in scalars]))
    if array.dtype.kind in "iu" and any(isinstance(scalar, np.bool_) for scalar in scalars):
        # PyTorch reads each scalar as the batch's integer type, which a NumPy bool is not
        raise TypeError(
            "default_collate: a batch of NumPy integer scalars holds a NumPy bool, which "
            f"cannot be read as an integer (types: {[type(s).__name__ for s in scalars]})"
        )
    return from_numpy(array) if array.dtype == first_dtype else as_tensor(scalars)


def _has_no_tensor_form(value):
    """A NumPy scalar that is not a number or a bool (bytes, dates, records)."""
    return isinstance(value, np.generic) and value.dtype.kind not in "biufc"


def default_convert(data):
    """NumPy arrays and scalars in ``data`` become tensors; its structure stays."""
    if isinstance(data, Tensor):
        return data
    if isinstance(data, np.ndarray):
        if type(data).__module__ != "numpy":
            return data  # PyTorch converts only NumPy's own array types: not a masked array
        return data if _is_text_array(data) else as_tensor(data)
    if isinstance(data, (np.bool_, np.number)):
        return from_numpy(np.asarray(data))
    if _has_no_tensor_form(data) and not isinstance(data, (np.str_, np.datetime64)):
        # PyTorch converts every NumPy scalar but np.str_, and refuses these; a datetime64
        # passes through, as docs/differences.md says
        raise TypeError(f"default_convert: a NumPy {type(data).__name__} has no tensor form")
    if isinstance(data, collections.abc.Mapping):
        return _same_mapping(data, {key: default_convert(data[key]) for key in data})
    if isinstance(data, tuple) and hasattr(data, "_fields"):  # namedtuple
        return type(data)(*(default_convert(field) for field in data))
    if isinstance(data, tuple):
        return [default_convert(item) for item in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _same_sequence(data, [default_convert(item) for item in data])
    return data


def _same_mapping(original, values):
    """A mapping of ``original``'s kind holding ``values`` (a plain dict if it can't be made)."""
    try:
        if isinstance(original, collections.abc.MutableMapping):
            result = copy.copy(original)
            result.update(values)
            return result
        return type(original)(values)
    except TypeError:
        return values


def _same_sequence(original, items):
    """A sequence of ``original``'s kind holding ``items`` (a list if it can't be made)."""
    try:
        if isinstance(original, collections.abc.MutableSequence):
            result = copy.copy(original)
            for position, item in enumerate(items):
                result[position] = item
            return result
        return type(original)(items)
    except TypeError:
        return items
