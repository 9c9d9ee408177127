"""A differential round on ``x[index]`` and ``x[index] = value`` against torch 2.13.

The cases here add to ``test_indexing.py``: the edges a fuzzer found (empty masks, NumPy
bool scalars, Python numbers that do not fit the written tensor, ``x[False] = v``,
positions out of range in an empty result, ints beyond 64 bits) and the index forms a
learner meets that the catalogue there does not list (Python bools, 0-d tensors, empty
index lists, NumPy arrays), each with its gradient.
"""

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error, check_gradcheck

import ember

CUBE = (2, 3, 4)

# (name, fn, shapes): reads, compared with torch forward and backward.
READS = [
    ("python_true", lambda t, x: x[True], [CUBE]),
    ("python_false", lambda t, x: x[False], [CUBE]),
    ("true_then_slice", lambda t, x: x[True, 1:], [CUBE]),
    ("int_then_false", lambda t, x: x[1, False], [CUBE]),
    ("true_beside_list", lambda t, x: x[True, [0, 1]], [CUBE]),
    ("0d_true", lambda t, x: x[True], [()]),
    ("0d_false", lambda t, x: x[False], [()]),
    ("0d_none_none", lambda t, x: x[None, None], [()]),
    ("0d_bool_tensor", lambda t, x: x[t.tensor(True)], [()]),
    ("empty_list", lambda t, x: x[[]], [CUBE]),
    ("empty_list_in_column", lambda t, x: x[:, []], [CUBE]),
    ("int_then_empty_list", lambda t, x: x[1, []], [CUBE]),
    ("empty_long_tensor", lambda t, x: x[t.tensor([], dtype=t.long)], [CUBE]),
    ("empty_mask_of_empty_dim", lambda t, x: x[t.zeros(0, dtype=t.bool)], [(0, 3)]),
    ("empty_2d_mask", lambda t, x: x[t.zeros(0, 3, dtype=t.bool)], [(0, 3, 2)]),
    ("all_false_mask", lambda t, x: x[x > 100], [CUBE]),
    ("bool_list_in_column", lambda t, x: x[:, [True, False, True]], [CUBE]),
    ("mask_2d_then_slice", lambda t, x: x[x[:, :, 0] > 0, 1:3], [CUBE]),
    ("three_paired_lists", lambda t, x: x[[0, 1], [2, 0], [3, 3]], [CUBE]),
    ("lists_parted_by_none", lambda t, x: x[[0, 1], None, [2, 0]], [CUBE]),
    ("lists_after_slice", lambda t, x: x[:, [0, 1], [2, 0]], [CUBE]),
    ("mask_and_list_adjacent", lambda t, x: x[t.tensor([True, True]), [1, 2]], [CUBE]),
    ("2d_index_in_middle", lambda t, x: x[:, t.tensor([[0, 1], [2, 0]])], [CUBE]),
    ("2d_index_between_ints", lambda t, x: x[0, t.tensor([[0, 1], [2, 0]]), 1], [CUBE]),
    ("numpy_positions", lambda t, x: x[np.array([1, 0])], [CUBE]),
    ("numpy_mask", lambda t, x: x[np.array([True, False])], [CUBE]),
    ("numpy_0d_int", lambda t, x: x[np.array(1)], [CUBE]),
    ("numpy_int32_scalar", lambda t, x: x[np.int32(1)], [CUBE]),
    ("tensor_slice_bounds", lambda t, x: x[t.tensor(0) : t.tensor(1)], [CUBE]),
    ("range", lambda t, x: x[range(2)], [CUBE]),
    ("slice_bounds_past_both_ends", lambda t, x: x[-10:10:3], [CUBE]),
]


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in READS], ids=[c[0] for c in READS])
def test_reads_match_torch(fn, shapes):
    check(fn, shapes)


@pytest.mark.parametrize("fn, shapes", [c[1:] for c in READS], ids=[c[0] for c in READS])
def test_read_gradients_to_second_order(fn, shapes):
    check_gradcheck(fn, shapes, order=2)


# An empty mask is still a mask: NumPy takes one of shape [0] against any dim, PyTorch
# checks its shape against the dims it covers, as for any other mask.
EMPTY_MASK_ERRORS = [
    ("alone", lambda t, x: x[t.zeros(0, dtype=t.bool)]),
    ("after_a_slice", lambda t, x: x[:, t.zeros(0, dtype=t.bool)]),
    ("after_an_ellipsis", lambda t, x: x[..., t.zeros(0, dtype=t.bool)]),
    ("before_an_int", lambda t, x: x[..., t.zeros(0, dtype=t.bool), 1]),
    ("after_none_and_int", lambda t, x: x[None, 0, t.zeros(0, 4, dtype=t.bool)]),
    ("2d", lambda t, x: x[t.zeros(2, 0, dtype=t.bool)]),
    ("write", lambda t, x: x.__setitem__(t.zeros(0, dtype=t.bool), 1.0)),
]


@pytest.mark.parametrize(
    "fn", [c[1] for c in EMPTY_MASK_ERRORS], ids=[c[0] for c in EMPTY_MASK_ERRORS]
)
def test_an_empty_mask_of_the_wrong_shape_is_refused(fn):
    error = check_error(fn, np.zeros(CUBE, dtype=np.float32))
    assert "mask of shape" in str(error) and "[2, 3, 4]" in str(error)


def test_an_empty_mask_that_fits_reads_like_torch():
    check(lambda t, x: x[..., t.zeros(0, dtype=t.bool)], [(2, 3, 0)])
    check(lambda t, x: x[:, t.zeros(0, dtype=t.bool)], [(3, 0)])


@pytest.mark.parametrize("scalar", [np.True_, np.False_, np.float64(1.0)], ids=repr)
def test_a_numpy_bool_or_float_scalar_index_is_refused(scalar):
    check_error(lambda t, x: x[scalar], np.zeros(CUBE, dtype=np.float32))
    check_error(lambda t, x: x.__setitem__(scalar, 1.0), np.zeros(CUBE, dtype=np.float32))


# Python numbers written into a tensor: a float must fit an integer tensor (NaN and inf
# never do; neither does -0.5 in uint8) or float32's range; float16 takes any float.
FLOATS_THAT_DO_NOT_FIT = [
    ("int64", float("nan")),
    ("int64", float("inf")),
    ("int32", 2.0**31),
    ("int8", 127.9),
    ("int8", -129.0),
    ("uint8", -0.5),
    ("uint8", 255.9),
    ("float32", 1e300),
    ("float32", -1e39),
]


@pytest.mark.parametrize(
    "dtype, value", FLOATS_THAT_DO_NOT_FIT, ids=[f"{d}-{v}" for d, v in FLOATS_THAT_DO_NOT_FIT]
)
def test_a_float_that_does_not_fit_is_a_runtime_error(dtype, value):
    error = check_error(
        lambda t, x: x.to(getattr(t, dtype)).__setitem__(1, value), np.zeros(3, np.float32)
    )
    assert isinstance(error, RuntimeError) and "without overflow" in str(error)


FLOATS_THAT_FIT = [
    ("int64", -2.9),
    ("int8", 127.0),
    ("uint8", 255.0),
    ("uint8", -0.0),
    ("float32", float("inf")),
    ("float32", float("nan")),
    ("float32", 3.4e38),
    ("float16", 1e300),
    ("float16", -1e5),
    ("bool", float("nan")),
    ("bool", 0.5),
]


@pytest.mark.parametrize(
    "dtype, value", FLOATS_THAT_FIT, ids=[f"{d}-{v}" for d, v in FLOATS_THAT_FIT]
)
def test_a_float_that_fits_is_written_like_torch(dtype, value):
    results = []
    for lib in (ember, torch):
        x = lib.zeros(3, dtype=getattr(lib, dtype))
        x[1] = value
        x[lib.tensor([True, False, True])] = value
        results.append(x)
    assert_same(*results)


@pytest.mark.parametrize("dtype", ["float32", "int64", "uint8", "bool"])
@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 2**64], ids=str)
def test_an_int_beyond_64_bits_is_a_value_error(dtype, value):
    check_error(
        lambda t, x: x.to(getattr(t, dtype)).__setitem__(0, value),
        np.zeros(3, np.float32),
        error=ValueError,
    )


def test_ints_at_the_64_bit_limits_are_written_like_torch():
    results = []
    for lib in (ember, torch):
        x = lib.zeros(2, dtype=lib.int64)
        x[0], x[1] = 2**63 - 1, -(2**63)
        y = lib.zeros(2)
        y[0] = 2**63 - 1
        results.append((x, y))
    assert_same(*results)


WRITE_INDICES = {
    "positions": lambda t: [0, 1],
    "mask": lambda t: t.tensor([True, False, True, False]),
    "positions_in_column": lambda t: (slice(None), [0, 2]),
    "slice": lambda t: slice(0, 2),
    "int": lambda t: 1,
    "int_beside_positions": lambda t: (0, [1]),
    "none_then_int": lambda t: (None, 1),
    "python_true": lambda t: True,
    "bool_tensor_false": lambda t: t.tensor(False),
    "bool_tensor_true_beside_positions": lambda t: (t.tensor(True), [0]),
    "none_then_positions": lambda t: (None, [0, 1]),
    "slice_then_positions": lambda t: (slice(1, None), [0, 2]),
    "positions_then_slice": lambda t: ([0, 1], slice(1, None)),
    "positions_then_none": lambda t: ([0], None),
    "ellipsis_then_positions": lambda t: (Ellipsis, [0, 2]),
    "whole_slices_then_positions": lambda t: (slice(0, 10), [0, 2]),
    "negative_start_then_positions": lambda t: (slice(-4, None), [0, 2]),
}


@pytest.mark.parametrize("make_index", WRITE_INDICES.values(), ids=WRITE_INDICES.keys())
def test_a_write_is_named_as_torch_names_it(make_index):
    """PyTorch writes at positions or a mask with index_put_ (``IndexPutBackward0``) and
    at a basic index through a view (``CopySlices``, which its name() prefixes), as it does
    at positions or a mask after a step that takes a view (None, a bool, a slice that
    does not keep its whole dim)."""
    names = []
    for library in (torch, ember):
        y = library.ones(4, 3, requires_grad=True) * 1
        y[make_index(library)] = 5.0
        names.append(y.grad_fn.name().removeprefix("torch::autograd::"))
    assert names[1] == names[0]


# x[False] = v: PyTorch checks the value, then writes nothing, records nothing and counts
# no version (so a leaf that requires grad may take it); x[tensor(False)] = v and
# x[False, 0] = v are writes of nothing, which count and record as any write.
FALSE_WRITE_VALUES = {
    "number": lambda t: 5.0,
    "tensor_that_requires_grad": lambda t: t.tensor(5.0, requires_grad=True),
    "tensor_of_another_shape": lambda t: t.ones(7),
    "tensor_of_another_dtype": lambda t: t.ones(3, dtype=t.float64, requires_grad=True),
}


@pytest.mark.parametrize("make_value", FALSE_WRITE_VALUES.values(), ids=FALSE_WRITE_VALUES.keys())
def test_a_write_at_python_false_writes_and_records_nothing(make_value):
    states = []
    for lib in (ember, torch):
        leaf = lib.ones(3, requires_grad=True)
        x = leaf * 1
        plain = lib.zeros(3)
        x[False] = make_value(lib)
        leaf[False] = make_value(lib)
        plain[False] = make_value(lib)
        states.append(
            (x._version, x.grad_fn.name(), leaf._version, plain._version, plain.requires_grad)
        )
    assert states[0] == states[1]


@pytest.mark.parametrize(
    "index",
    [lambda t: t.tensor(False), lambda t: (False, 0)],
    ids=["bool_tensor", "false_then_int"],
)
def test_other_writes_of_nothing_count_a_version_and_record(index):
    states = []
    for lib in (ember, torch):
        x = lib.ones(3, requires_grad=True) * 1
        x[index(lib)] = lib.tensor(5.0, requires_grad=True)
        states.append((x._version, x.grad_fn.name().removeprefix("torch::autograd::")))
    assert states[0] == states[1]


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: x.__setitem__(False, "a"),
        lambda t, x: x.long().__setitem__(False, float("nan")),
        lambda t, x: x.long().__setitem__(False, 2**64),
    ],
    ids=["str", "nan_into_int64", "int_beyond_64_bits"],
)
def test_a_write_at_python_false_still_checks_the_value(fn):
    check_error(fn, np.zeros(3, np.float32))


# PyTorch checks the range of only the positions it reads: when a slice leaves the result
# empty, a position out of range reads nothing and is no error (but any position into a
# dim of size 0 is, and so is an int, which selects before anything is read).
EMPTY_INDICES_OUT_OF_RANGE = {
    "slice_past_the_end_then_positions": lambda t: (slice(5, None), [7]),
    "empty_slice_then_position_tensor": lambda t: (slice(1, 1), t.tensor([7, -9])),
    "none_and_empty_slice": lambda t: (None, slice(5, None), [7]),
    "positions_then_empty_slice": lambda t: ([7], slice(1, 1)),
    "positions_then_slice_past_the_end": lambda t: (t.tensor([[7], [-8]]), slice(9, None)),
}


@pytest.mark.parametrize(
    "make_index", EMPTY_INDICES_OUT_OF_RANGE.values(), ids=EMPTY_INDICES_OUT_OF_RANGE.keys()
)
def test_positions_out_of_range_in_an_empty_read_are_no_error(make_index):
    check(lambda t, x: x[make_index(t)], [(3, 4)])
    check_gradcheck(lambda t, x: x[make_index(t)], [(3, 4)], order=2)


@pytest.mark.parametrize(
    "make_index", EMPTY_INDICES_OUT_OF_RANGE.values(), ids=EMPTY_INDICES_OUT_OF_RANGE.keys()
)
def test_positions_out_of_range_in_an_empty_write_are_no_error(make_index):
    def write(t, x, value):
        y = x * 1
        y[make_index(t)] = value
        return y

    check(write, [(3, 4), ()])
    check_gradcheck(write, [(3, 4), ()], order=2)


@pytest.mark.parametrize("value_shape", [(1, 1, 1), (1, 1), (1,)])
def test_an_empty_write_at_positions_out_of_range_takes_a_value_of_leading_ones(value_shape):
    """Leading 1s of the value broadcast away, here too (PyTorch takes ones(1, 1, 1) into
    an empty result of shape [0, 1])."""

    def write(t, x, value):
        y = x * 1
        y[5:, [7]] = value
        return y

    check(write, [(3, 4), value_shape])


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: x[:, [7]],
        lambda t, x: x[t.zeros(0, dtype=t.long), 9],
        lambda t, x: x[5:, 9],
        lambda t, x: x[:0][[0], 1:1],
        lambda t, x: x[:, :0][1:1, [0]],
        lambda t, x: x.__setitem__((slice(5, None), [7]), t.ones(2)),
    ],
    ids=[
        "result_not_empty",
        "int_out_of_range",
        "int_out_of_range_after_empty_slice",
        "position_into_a_dim_of_size_0",
        "position_into_a_later_dim_of_size_0",
        "value_of_the_wrong_shape",
    ],
)
def test_positions_out_of_range_are_refused_where_torch_refuses_them(fn):
    check_error(fn, np.zeros((3, 4), np.float32))


# An int beyond int64 anywhere in an index is PyTorch's ValueError (NumPy: OverflowError,
# or an IndexError after wrapping 2**63 to -2**63).
INTS_BEYOND_64_BITS = {
    "int": lambda t: 2**63,
    "negative_int": lambda t: -(2**63) - 1,
    "in_a_list": lambda t: [2**63],
    "in_a_list_beside_a_small_one": lambda t: [0, 2**63],
    "beside_a_select": lambda t: (0, 2**63),
    "after_a_slice": lambda t: (slice(None), [2**63]),
    "beside_positions": lambda t: ([0], 2**63),
    "numpy_uint64": lambda t: np.uint64(2**63),
    "in_a_range": lambda t: range(2**63, 2**63 + 1),
}


@pytest.mark.parametrize("make_index", INTS_BEYOND_64_BITS.values(), ids=INTS_BEYOND_64_BITS.keys())
def test_an_int_index_beyond_64_bits_is_a_value_error(make_index):
    array = np.zeros((3, 4), np.float32)
    check_error(lambda t, x: x[make_index(t)], array, error=ValueError)
    check_error(lambda t, x: x.__setitem__(make_index(t), 1.0), array, error=ValueError)
