"""Data of every kind given to ember's constructors and writes, and tensors read back
out by NumPy and Python, compared with torch 2.13 over grids.

The data side: NumPy arrays of every dtype and layout (Fortran order, negative strides,
read-only, big-endian, structured), NumPy scalars, pandas objects, and Python sequences
(ranges, generators, ``array.array``, bytes, dicts, sets, lists of arrays and tensors,
None inside, ragged, huge ints), each given to ``tensor``, ``as_tensor``, ``from_numpy``,
``new_tensor``, ``Tensor``, ``full``, ``copy_`` and ``x[...] =``, with every dtype
beside. The other side: tensors of every dtype and shape read by ``numpy()``,
``np.asarray``, ``tolist``, ``item``, ``float``/``int``/``bool``, NumPy's ufuncs and
reductions. Both libraries must give the same dtype, shape and values, or an error of
the same type (``outcome``, ``same`` and ``differences`` come from
test_argument_sweeps.py).

Left out, with the reason beside each: what docs/differences.md lists (uint16/32/64 and
complex are TypeErrors in ember; NumPy arrays beside tensors), and PyTorch's warnings
that warn once a process (a list of NumPy arrays, a read-only array shared, a scalar of
a tensor that requires grad): drawing them here would take them from the tests that
check them.

Where PyTorch refuses what ember read, ember now refuses it too: an array with negative
strides (PyTorch reads it through a tensor sharing its memory first, as it does an array
of the other byte order, which ember already refused), a DataFrame and a Series without
the label 0 (PyTorch finds the shape through ``data[0]``), a float or a NumPy float as
``Tensor``'s one argument. Where ember refused what PyTorch reads, it now reads it: a
masked array or a matrix keeps its dtype, a Series its NumPy dtype (float64), a Fraction
or a Decimal goes into a float dtype given.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from test_argument_sweeps import differences

import ember

SETUP = """
import array, fractions, decimal
import numpy as np
import pandas as pd

def out(value):
    '''A value read out of a tensor, with its type: 1, 1.0 and True differ here.'''
    if isinstance(value, np.ndarray):
        return ('ndarray', str(value.dtype), value.shape, repr(value.tolist()))
    if isinstance(value, np.generic):
        return (type(value).__name__, repr(value.item()))
    if isinstance(value, (bool, int, float, list)):
        return (type(value).__name__, repr(value))
    return value

def written(x, value):
    x[...] = value
    return x
"""

INTEGER_AND_FLOAT_TYPES = "bool int8 int16 int32 int64 uint8 float16 float32 float64".split()
# NumPy's unsigned types past uint8 and complex ones are TypeErrors in ember, naming the type
# (docs/differences.md); PyTorch reads them.
UNSUPPORTED_TYPES = "uint16 uint32 uint64 complex64 complex128".split()
ARRAYS = [
    *(f"np.array([1, 0, 3], dtype=np.{name})" for name in INTEGER_AND_FLOAT_TYPES),
    "np.array([1.5, float('nan'), -2.])",
    "np.array([1e10, -1.])",
    "np.array(['a', 'b'])",
    "np.array([b'a', b'b'])",
    "np.array([1, 2.5], dtype=object)",
    "np.array(['a', 1], dtype=object)",
    "np.array([1, None], dtype=object)",
    "np.array(['2020-01-01'], dtype='datetime64[D]')",
    "np.array([1, 2], dtype='timedelta64[s]')",
    "np.array(2.5)",
    "np.array(3)",
    "np.array(True)",
    "np.array([], dtype=np.float32)",
    "np.zeros((2, 0))",
    "np.asfortranarray(np.arange(6.).reshape(2, 3))",
    "np.arange(3.)[::-1]",
    "np.arange(6).reshape(2, 3)[:, ::2]",
    "np.arange(6.).reshape(2, 3).T",
    "np.broadcast_to(np.arange(3.), (2, 3))",
    "np.array([1, 2, 3], dtype='>i4')",
    "np.array([1., 2., 3.], dtype='>f8')",
    "np.array([1., 2., 3.], dtype='<f8')",
    "np.array([(1, 2.)], dtype=[('a', 'i4'), ('b', 'f8')])",
    "np.ma.array([1., 2., 3.], mask=[0, 1, 0])",
    "np.matrix([[1., 2.]])",
]
NUMPY_SCALARS = [
    *(f"np.{name}(2)" for name in INTEGER_AND_FLOAT_TYPES),
    "np.float64(2.5)",
    "np.float32(float('nan'))",
    "np.float64(1e300)",
    "np.float64(float('nan'))",
    "np.float64(-np.inf)",
    "np.int64(300)",
    "np.int64(-1)",
    "np.int64(2**62)",
    "np.str_('a')",
    "np.datetime64('2020-01-01')",
]
PANDAS = [
    "pd.Series([1., 2., 3.])",
    "pd.Series([1, 2, 3])",
    "pd.Series([True, False, True])",
    "pd.Series(['a', 'b', 'c'])",
    "pd.Series([1, 2, 3], dtype=object)",
    "pd.Series(['a', 'b', 'a'], dtype='category')",
    "pd.Series([1, pd.NA, 3], dtype='Int64')",
    "pd.Series([1, 2, 3], dtype='Int64')",
    "pd.Series([1., float('nan'), 3.])",
    "pd.Series([1.5, 2., 3.], dtype=np.float32)",
    "pd.Series([1., 2.], index=[1, 0])",
    "pd.Series([1., 2.], index=[5, 6])",
    "pd.Series([1.5, 2.], dtype='Float64')",
    "pd.Series([True, False], dtype='boolean')",
    "pd.Series([True, None], dtype='boolean')",
    "[pd.Series([1., 2.]), pd.Series([3., 4.])]",
    "[range(2), range(2)]",
    "pd.Series([1., 2., 3.]).values",
    "pd.Index([1, 2, 3])",
    "pd.Index([1.5, 2., 3.])",
    "pd.DataFrame({'a': [1., 2.], 'b': [3., 4.]})",
    "pd.DataFrame({'a': [1, 2], 'b': ['x', 'y']})",
    "pd.DataFrame({'a': [1., 2.], 'b': [3., 4.]}).values",
    "pd.DataFrame({'a': [1, 2], 'b': [3., 4.]}).values",
    "pd.DataFrame({'a': [1, 2], 'b': ['x', 'y']}).values",
    "pd.DataFrame({'a': [1, 2], 'b': [True, False]}).to_numpy(dtype=float)",
    "pd.get_dummies(pd.Series(['x', 'y', 'x'])).values",
    "pd.get_dummies(pd.Series(['x', None]), dummy_na=True).to_numpy(dtype=float)",
]
PYTHON = [
    "range(3)",
    "range(0)",
    "(i for i in range(3))",
    "array.array('d', [1., 2., 3.])",
    "array.array('i', [1, 2, 3])",
    "b'abc'",
    "bytearray(b'abc')",
    "memoryview(b'abc')",
    "memoryview(np.arange(3.))",
    "memoryview(np.ones((2, 2)))",
    "{1: 2}",
    "{1, 2, 3}",
    "((1, 2), (3, 4))",
    "([1, 2], (3, 4))",
    "[np.float32(1), np.float32(2), 3]",
    "[np.float64(1), 2, 3]",
    "[np.int8(1), np.uint8(2), 3]",
    "[np.bool_(True), 2, 3]",
    "[np.int64(2), 2.5, 3]",
    "[np.uint8(200), -1, 3]",
    "[np.float16(1), True, 3]",
    "[[np.float64(1)], [2], [3]]",
    "[np.array(1.), np.array(2.), np.array(3.)]",
    "[np.array(1.), 2, 3]",
    "[t.tensor(1.), t.tensor(2.), t.tensor(3.)]",
    "[t.tensor([1.]), t.tensor([2.]), t.tensor([3.])]",
    "[t.tensor(1, dtype=t.int32), 2, 3]",
    "[t.tensor(1.5, dtype=t.float64), 2, 3]",
    "[t.tensor(True), 2, 3]",
    "[t.ones(2), t.ones(2), t.ones(2)]",
    "[[t.tensor(1)], [t.tensor(2)], [t.tensor(3)]]",
    "[True, 2, 3.5]",
    "[True, False, 3]",
    "[1, None, 3]",
    "[None]",
    "None",
    "[[1, 2], [3]]",
    "[[1, 2], 3]",
    "[1, [2, 3]]",
    "[]",
    "[[]]",
    "()",
    "[(), ()]",
    "2**63",
    "[2**63, 1, 2]",
    "[2**64, 1, 2]",
    "[-2**63, 1, 2]",
    "[-2**63 - 1, 1, 2]",
    "[2**63, 1.0, 2]",
    "2**63 - 1",
    "float('nan')",
    "[float('nan'), 1, 2]",
    "[float('inf'), 1., 2.]",
    "[1e300, 1., 2.]",
    "[-1, 2, 300]",
    "[0.5, 1, 2]",
    "True",
    "2",
    "2.5",
    "-1",
    "'a'",
    "['a', 'b', 'c']",
    "[1, 'a', 2]",
    "fractions.Fraction(1, 2)",
    "[fractions.Fraction(1, 2), 1, 2]",
    "decimal.Decimal('1.5')",
    "[decimal.Decimal('1.5'), 1, 2]",
]
TENSORS = ["t.tensor([1, 2])", "t.tensor(2.5, dtype=t.float64)", "t.ones(2, dtype=t.float16)[::-1]"]
DATA = ARRAYS + NUMPY_SCALARS + PANDAS + PYTHON + TENSORS
DTYPES = [f"t.{name}" for name in INTEGER_AND_FLOAT_TYPES]
# Data given alone, to every maker. A list of NumPy arrays of some dims (PyTorch warns once
# a process that it is slow) and tensors that require grad inside a list (PyTorch warns
# once that their scalars leave the graph) are not drawn; complex numbers are apart
# (test_complex_data_is_refused_naming_the_type).
DATA_TEMPLATES = [
    "t.tensor({d})",
    "t.as_tensor({d})",
    "t.from_numpy({d})",
    "t.ones(1).new_tensor({d})",
    "t.ones(1, dtype=t.int64).new_tensor({d})",
    "t.Tensor({d}).shape",
    "t.full((2,), {d})",
    "t.full_like(t.ones(2), {d})",
    "t.full_like(t.ones(2, dtype=t.int64), {d})",
]
DTYPE_TEMPLATES = [
    "t.tensor({d}, dtype={dt})",
    "t.as_tensor({d}, dtype={dt})",
    "t.full((2,), {d}, dtype={dt})",
]
# Tensor(n) of one index is a tensor of n values that PyTorch leaves unset: only its shape
# is compared (the first template above).
SIZES = {
    "2",
    "np.array(3)",
    "np.int64(300)",
    *(f"np.{name}(2)" for name in INTEGER_AND_FLOAT_TYPES[1:6]),
}
COMPLEX = ["1+2j", "[1+2j, 2, 3]", "np.complex64(1)"]
# PyTorch warns once a process that it reads a read-only array (broadcast_to's, and
# pandas 3's .values) through a tensor sharing its memory, in as_tensor (whatever the
# dtype), from_numpy and Tensor: those are not drawn with one.
SHARING_MAKERS = ("t.as_tensor(", "t.from_numpy(", "t.Tensor(")


def is_read_only_array(data):
    names = {}
    exec(SETUP, names)  # noqa: S102 - the grid's own text
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # NumPy's own, for np.matrix
            value = eval(data, names)  # noqa: S307
    except NameError:  # a tensor (t is not set here)
        return False
    return isinstance(value, np.ndarray) and not value.flags.writeable


READ_ONLY = {data for data in DATA if is_read_only_array(data)}


def data_for(template):
    return [
        {"d": data}
        for data in DATA
        if not (data in READ_ONLY and template.startswith(SHARING_MAKERS))
        and not (data in SIZES and template == "t.Tensor({d})")
    ]


@pytest.mark.parametrize("template", [*DATA_TEMPLATES, "t.Tensor({d})"])
def test_data_of_every_kind_is_read_as_torch_reads_it(template):
    assert differences(template, data_for(template), setup=SETUP) == []


@pytest.mark.parametrize("template", DTYPE_TEMPLATES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_data_of_every_kind_is_read_into_every_dtype_as_torch_reads_it(template, dtype):
    grid = [{**data, "dt": dtype} for data in data_for(template)]
    assert differences(template, grid, setup=SETUP) == []


@pytest.mark.parametrize("code", [*(f"t.tensor({data})" for data in COMPLEX), "t.full((2,), 1+2j)"])
def test_complex_data_is_refused_naming_the_type(code):
    # ember has no complex dtypes (docs/differences.md): PyTorch makes complex64
    with pytest.raises(TypeError, match="complex"):
        eval(code, {"t": ember, "np": np})  # noqa: S307 - the test's own text


@pytest.mark.parametrize("name", UNSUPPORTED_TYPES)
@pytest.mark.parametrize("maker", ["tensor", "as_tensor", "from_numpy"])
def test_numpy_types_ember_lacks_are_refused_naming_the_type(maker, name):
    array = np.array([1, 2], dtype=name)
    with pytest.raises(TypeError, match=name):
        getattr(ember, maker)(array)


GRAD_TENSOR = "t.ones(2, requires_grad=True)"
OUT_TENSORS = [
    "t.tensor([True, False])",
    "t.tensor([1, 200], dtype=t.uint8)",
    "t.tensor([-3, 4], dtype=t.int8)",
    "t.tensor([-3, 4], dtype=t.int32)",
    "t.tensor([-3, 2**40])",
    "t.tensor([1.5, -2.], dtype=t.float16)",
    "t.tensor([1.5, float('nan')])",
    "t.tensor([1.5, -1e300], dtype=t.float64)",
    "t.tensor(2.5)",
    "t.tensor(7)",
    "t.tensor(True)",
    "t.tensor(-0.5, dtype=t.float16)",
    "t.tensor([[3.]])",
    "t.ones(0)",
    "t.arange(6.).view(2, 3).t()",
    "t.ones(1).expand(3)",
    "t.arange(4)[::2]",
    GRAD_TENSOR,
]
# What NumPy and Python read out of a tensor. Left out (docs/differences.md): NumPy's
# reductions that PyTorch lacks a method for (np.max) and NumPy arrays on the left of an
# operator, which ember computes and PyTorch refuses.
OUT_TEMPLATES = [
    "out({x}.numpy())",
    "out(np.asarray({x}))",
    "out(np.array({x}, dtype=np.float64))",
    "out(np.array({x}, dtype=np.int32))",
    "out(np.array({x}, copy=True))",
    "out({x}.tolist())",
    "out({x}.item())",
    "out(float({x}))",
    "out(int({x}))",
    "out(bool({x}))",
    "out(np.exp({x}))",
    "out(np.add({x}, 1))",
    "out(np.negative({x}))",
    "out(np.isnan({x}))",
    "out(np.float32(2) * {x})",
    "out({x} * np.float32(2))",
    "out(np.float64(2) + {x})",
    "out({x} + np.int64(2))",
    "out({x} / np.int64(2))",
    "out({x} == np.float32(1.5))",
    "out(np.sum({x}))",
    "out(np.mean({x}))",
]


@pytest.mark.parametrize("template", OUT_TEMPLATES)
def test_tensors_of_every_kind_read_out_as_from_torch(template):
    grid = [{"x": tensor} for tensor in OUT_TENSORS]
    if template == "out(float({x}))":
        # PyTorch warns once a process that a scalar of it leaves the graph, before it
        # refuses two elements
        grid.remove({"x": GRAD_TENSOR})
    assert differences(template, grid, setup=SETUP) == []


WRITE_TARGETS = [
    f"t.zeros(3, dtype=t.{name})" for name in "float32 float16 int64 int8 uint8 bool".split()
]
WRITE_VALUES = [
    *("2 -1 300 2.5 True float('nan') float('inf') 2**63 2**63-1 -2**63 1e300".split()),
    *("np.int64(2) np.int8(-1) np.uint8(200) np.int64(300) np.float64(2.5)".split()),
    "np.float64(float('nan'))",
    "t.tensor(2.5)",
    "t.tensor(300)",
    "t.tensor([1., 2., 3.])",
    "t.tensor([1, 2, 3])",
    "t.tensor(True)",
    "t.tensor(float('nan'))",
    "t.ones(2)",
]
# copy_ of a NumPy number is refused by ember's copy_ (in_place_methods.py, not this
# family's file), and a Python number is checked to fit where PyTorch's copy_ casts it
# (wrapping around, or for NaN and inf an integer that depends on the machine): both are
# left to that file's owner.
COPY_UNCHECKED = {"300", "float('nan')", "float('inf')", "2**63", "2**63-1", "-2**63", "1e300"}


@pytest.mark.parametrize("target", WRITE_TARGETS)
def test_values_written_with_an_index_act_as_in_torch(target):
    # Lists and arrays after x[...] = are taken by ember on purpose (docs/differences.md)
    grid = [{"d": value} for value in WRITE_VALUES]
    assert differences(f"written({target}, {{d}})", grid, setup=SETUP) == []


@pytest.mark.parametrize("target", WRITE_TARGETS)
def test_numbers_and_tensors_copied_in_act_as_in_torch(target):
    values = [v for v in WRITE_VALUES if not v.startswith("np.") and v not in COPY_UNCHECKED]
    grid = [{"d": value} for value in values]
    assert differences(f"{target}.copy_({{d}})", grid, setup=SETUP) == []


def test_a_data_frame_is_refused_naming_the_array_to_give():
    with pytest.raises(ValueError, match=r"to_numpy\(dtype=float\)"):
        ember.tensor(pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]}))


@pytest.mark.parametrize("library", [ember, torch])
def test_legacy_tensor_of_a_tensor_shares_its_memory_and_dtype(library):
    source = library.tensor([1, 2])
    alias = library.Tensor(source)
    alias[0] = 5
    assert (source[0].item(), alias.dtype) == (5, library.int64)


# 0-d NumPy arrays inside lists: PyTorch takes a list's shape from its first element, so
# a first 0-d array is a TypeError (it has no len()); a later one is read as its number,
# as an index for an integer or bool dtype (a float or bool array is no index).
LISTS_WITH_0D_ARRAYS = [
    *["[np.float32(1), np.array(1.0)]", "[np.array(1.0), np.array(2.0)]", "[1, np.array(2)]"],
    *["[np.array(1, dtype=np.int32), 2]", "[1, np.array(2, dtype=np.int8)]"],
    *["[1, np.array(2.5)]", "[1., np.array(2, dtype=np.float16)]", "[1, np.array(300), 2]"],
    *["[[1, np.array(2.)], [3, 4]]", "[True, np.array(2)]", "[1, np.array(True)]"],
    *["[True, np.array(True)]", "[1., np.array(True)]"],
]
LIST_TEMPLATES = [
    "t.as_tensor({v})",
    "t.tensor({v}, dtype=t.int8)",
    "t.tensor({v}, dtype=t.bool)",
    "t.tensor({v}, dtype=t.float16)",
]


@pytest.mark.parametrize("template", LIST_TEMPLATES)
def test_0d_arrays_in_lists_read_as_torch_reads_them(template):
    """``[1, np.array(2)]`` was refused (PyTorch: int64 [1, 2]); the loading grid found it
    (twentieth day)."""
    values = [{"v": value} for value in LISTS_WITH_0D_ARRAYS]
    assert differences(template, values, setup="import numpy as np") == []
