"""The backend's own helpers, checked against the NumPy functions they stand in for."""

import numpy as np
import pytest

from ember import backend
from ember.ops.error_function_approximations import erf as erf_of_array

fake_cupy = pytest.importorskip("fake_cupy")

SHAPES = [
    ((), (3,)),
    ((), (2, 3)),
    ((1,), (4,)),
    ((3,), (2, 3)),
    ((3, 1), (3, 4)),
    ((1, 4), (3, 4)),
    ((2, 1, 3), (5, 2, 4, 3)),
    ((2, 3), (2, 3)),
]


@pytest.mark.parametrize("source_shape, target_shape", SHAPES)
def test_broadcast_to_equals_numpys_and_is_read_only(source_shape, target_shape):
    source = np.arange(int(np.prod(source_shape)), dtype=np.float32).reshape(source_shape)
    view = backend.broadcast_to(source, target_shape)
    expected = np.broadcast_to(source, target_shape)
    np.testing.assert_array_equal(view, expected)
    assert view.strides == expected.strides
    assert np.shares_memory(view, source) or source.size == 0
    with pytest.raises(ValueError):
        view[...] = 1


def test_broadcast_to_of_a_non_contiguous_array_falls_back_to_numpy():
    source = np.arange(12, dtype=np.float64).reshape(3, 4).T[:, :1]
    view = backend.broadcast_to(source, (4, 5))
    np.testing.assert_array_equal(view, np.broadcast_to(source, (4, 5)))


# reduction: rows of a short last axis go through a transposed copy --------------------

REDUCTION_CASES = [
    # shape, axes: the first ones take the transposed copy, the others NumPy's own path
    ((256, 10), 1),
    ((256, 10), (1,)),
    ((256, 10), -1),
    ((4, 64, 3), 2),
    ((128, 16), 1),
    ((256, 2), (-1,)),
    ((127, 10), 1),  # too few rows
    ((256, 17), 1),  # too long a row
    ((256, 10), 0),  # not the last axis
    ((256, 10), (0, 1)),
    ((256, 10), None),
    ((2560,), 0),
]


@pytest.mark.parametrize("method", ["max", "min", "sum"])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("shape, axes", REDUCTION_CASES)
def test_reduction_equals_numpys(shape, axes, keepdims, method):
    rng = np.random.default_rng(0)
    array = rng.standard_normal(shape).astype(np.float32)
    array.flat[::37] = np.nan  # max and min must carry NaN through as NumPy does
    result = backend.reduction(array, method, axes, keepdims)
    expected = getattr(array, method)(axis=axes, keepdims=keepdims)
    assert result.shape == expected.shape and result.dtype == expected.dtype
    if method == "sum":  # the order of the additions may differ
        np.testing.assert_allclose(result, expected, rtol=1e-6, atol=1e-6)
    else:
        np.testing.assert_array_equal(result, expected)


# Longer float rows are summed by einsum: as accurately as NumPy, and as torch
EINSUM_CASES = [
    # shape, axes, whether einsum takes them
    ((256, 256), 1, True),
    ((4, 64, 17), -1, True),
    ((8, 1024), (1,), True),
    ((2, 2048), 1, False),  # too long a row
    ((64, 63), 1, False),  # too few elements
    ((256, 256), 0, False),  # not the last axis
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("shape, axes, by_einsum", EINSUM_CASES)
def test_reduction_sums_rows_by_einsum_as_accurately_as_numpy(
    shape, axes, by_einsum, keepdims, dtype, monkeypatch
):
    rng = np.random.default_rng(3)
    array = rng.uniform(0, 1, shape).astype(dtype)
    array.flat[::101] = np.nan
    array.flat[5::103] = -np.inf
    calls, einsum = [], np.einsum
    monkeypatch.setattr(backend.numpy, "einsum", lambda *a: calls.append(a) or einsum(*a))
    result = backend.reduction(array, "sum", axes, keepdims)
    expected = array.sum(axis=axes, keepdims=keepdims)
    assert bool(calls) == by_einsum
    assert result.shape == expected.shape and result.dtype == expected.dtype
    exact = array.astype(np.float64).sum(axis=axes, keepdims=keepdims)
    error, numpy_error = np.abs(result - exact), np.abs(expected - exact)
    finite = np.isfinite(exact)
    np.testing.assert_array_equal(np.isnan(result), np.isnan(expected))
    np.testing.assert_array_equal(result[~finite], expected[~finite])
    assert (error[finite] <= 4 * numpy_error[finite] + 2e-7 * exact[finite]).all()


def test_reduction_sums_rows_in_numpy_with_a_dtype_or_float16():
    rows = np.ones((256, 256), np.float32)
    assert backend.reduction(rows, "sum", 1, dtype="float64").dtype == np.float64
    halves = np.full((256, 256), 0.1, np.float16)
    np.testing.assert_array_equal(backend.reduction(halves, "sum", 1), halves.sum(axis=1))


def test_reduction_passes_options_through_and_reads_integers():
    array = np.arange(256 * 10, dtype=np.int8).reshape(256, 10)  # int8 wraps; int64 does not
    result = backend.reduction(array, "sum", 1, dtype="int64")
    assert result.dtype == np.int64
    np.testing.assert_array_equal(result, array.sum(axis=1, dtype="int64"))


def test_reduction_sums_float16_rows_as_accurately_as_numpy():
    array = (np.random.default_rng(2).standard_normal((256, 16)) * 100).astype(np.float16)
    np.testing.assert_array_equal(backend.reduction(array, "sum", 1), array.sum(axis=1))


def test_reduction_of_a_non_contiguous_array_is_numpys():
    array = np.random.default_rng(1).standard_normal((10, 256)).astype(np.float32).T
    np.testing.assert_array_equal(backend.reduction(array, "max", 1), array.max(axis=1))


SELECT_DTYPES = [np.float16, np.float32, np.float64, np.int8, np.int32, np.int64, np.uint8]
SELECT_SHAPES = [  # condition, a, b: broadcast together; above SELECT_BY_BITS_FROM and below
    ((80, 80), (80, 80), (80, 80)),
    ((80, 1), (1, 80), (80, 80)),
    ((90, 90), (90,), ()),
    ((70, 70), (), (70, 70)),
    ((5, 4), (5, 4), ()),
]


def select_operand(shape, dtype, rng):
    """A Python number for shape (), else an array with NaN, infinities and -0 in it."""
    if shape == ():
        return 3
    values = (rng.standard_normal(shape) * 100).astype(dtype)
    if values.dtype.kind == "f":
        values.flat[:5] = [np.nan, np.inf, -np.inf, -0.0, 0.0]
    return values


@pytest.mark.parametrize("shapes", SELECT_SHAPES, ids=str)
@pytest.mark.parametrize("dtype", SELECT_DTYPES + [np.bool_], ids=lambda d: np.dtype(d).name)
def test_select_is_numpys_where_bit_for_bit(dtype, shapes):
    rng = np.random.default_rng(len(shapes[0]) + np.dtype(dtype).itemsize)
    condition = rng.random(shapes[0]) > 0.5  # as mixed as x > 0: where's slow case
    a, b = (select_operand(shape, dtype, rng) for shape in shapes[1:])
    if dtype is np.bool_:
        a, b = np.asarray(a).astype(bool), np.asarray(b).astype(bool)
    expected = np.where(condition, a, b)
    selected = backend.select(condition, a, b)
    assert selected.dtype == expected.dtype and selected.shape == expected.shape
    assert selected.tobytes() == expected.tobytes()  # NaN, infinities and -0 as they were


@pytest.mark.parametrize("shape", [(80, 80), (5, 4), (3, 40, 50)], ids=str)
@pytest.mark.parametrize("dtype", SELECT_DTYPES, ids=lambda d: np.dtype(d).name)
def test_zero_where_is_numpys_where_bit_for_bit(dtype, shape):
    """+0 where the condition holds (never the -0 that a product with a mask gives), the
    array's own bits elsewhere, NaN and -0 included; on both sides of SELECT_BY_BITS_FROM."""
    rng = np.random.default_rng(np.dtype(dtype).itemsize)
    condition = rng.random(shape) > 0.5
    values = select_operand(shape, dtype, rng)
    expected = np.where(condition, np.zeros((), dtype), values)
    zeroed = backend.zero_where(condition, values)
    assert zeroed.dtype == expected.dtype and zeroed.shape == expected.shape
    assert zeroed.tobytes() == expected.tobytes()


def test_select_with_a_float_number_takes_the_arrays_dtype():
    condition = np.arange(5000) % 3 == 0
    values = np.arange(5000, dtype=np.float32)
    assert backend.select(condition, values, 0.5).dtype == np.float32
    assert backend.select(condition, 0.5, values)[:2].tolist() == [0.5, 1.0]


@pytest.mark.parametrize("seed", range(6))
def test_scatter_add_of_whole_rows_is_add_at_bit_for_bit(seed):
    """x[rows]'s gradient, above SCATTER_BY_POSITIONS_FROM values: added at flat
    positions, with repeated and negative rows and a broadcast value."""
    rng = np.random.default_rng(seed)
    size, row_shape = int(rng.integers(2, 50)), ((64,), (8, 9))[seed % 2]
    rows = rng.integers(-size, size, (300,) if seed < 3 else (100, 3))
    dtype = (np.float32, np.float64, np.int64)[seed % 3]
    values_shape = rows.shape + row_shape if seed != 5 else row_shape[-1:]  # broadcast
    values = (rng.standard_normal(values_shape) * 10).astype(dtype)
    expected = np.zeros((size, *row_shape), dtype)
    np.add.at(expected, rows, values)
    target = np.zeros_like(expected)
    backend.scatter_add(target, (rows,), values)
    assert target.tobytes() == expected.tobytes()


# erf: the same values through the CuPy stand-in, with nothing read back to the host -----


@pytest.mark.parametrize("dtype", ["float64", "float32", "float16"])
def test_erf_on_the_fake_gpu_equals_erf_on_numpy(dtype):
    array = np.random.default_rng(0).normal(scale=3, size=(64, 5)).astype(dtype)
    array[0, :4] = [-0.0, np.inf, -np.inf, np.nan]
    with fake_cupy.installed():
        fake_cupy.host_reads[0] = 0
        on_gpu = erf_of_array(fake_cupy.asarray(array))
        assert isinstance(on_gpu, fake_cupy.ndarray) and fake_cupy.host_reads[0] == 0
        result = on_gpu.get()
    assert result.dtype == dtype
    np.testing.assert_array_equal(result, erf_of_array(array))
    assert np.signbit(result[0, 0])
