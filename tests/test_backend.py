"""The backend's own helpers, checked against the NumPy functions they stand in for."""

import numpy as np
import pytest

from ember import backend

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
