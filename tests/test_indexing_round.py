"""A differential round on ``x[index]`` and ``x[index] = value`` against torch 2.13.

The cases here add to ``test_indexing.py``: the edges a fuzzer found (empty masks, NumPy
bool scalars, Python numbers that do not fit the written tensor) and the index forms a
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
}


@pytest.mark.parametrize("make_index", WRITE_INDICES.values(), ids=WRITE_INDICES.keys())
def test_a_write_is_named_as_torch_names_it(make_index):
    """PyTorch writes at positions or a mask with index_put_ (``IndexPutBackward0``) and
    at a basic index through a view (``CopySlices``, which its name() prefixes)."""
    names = []
    for library in (torch, ember):
        y = library.ones(4, 3, requires_grad=True) * 1
        y[make_index(library)] = 5.0
        names.append(y.grad_fn.name().removeprefix("torch::autograd::"))
    assert names[1] == names[0]
