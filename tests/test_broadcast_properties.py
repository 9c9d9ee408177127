"""Properties drawn by Hypothesis: broadcasting, slicing, index arrays, reductions, gradients.

Every drawn case runs in ember and in PyTorch; values, dtypes, shapes, errors and
gradients must agree.
"""

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from oracle import check, check_error, check_gradcheck

import ember

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BINARY = {
    "add": lambda t, x, y: x + y,
    "sub": lambda t, x, y: x - y,
    "mul": lambda t, x, y: x * y,
    "div": lambda t, x, y: x / (y * y + 1),
    "pow": lambda t, x, y: (x * x + 1) ** y,
    "maximum": lambda t, x, y: t.maximum(x, y),
    "minimum": lambda t, x, y: t.minimum(x, y),
    "where": lambda t, x, y: t.where(x > y, x * 2, y),
    "compare_and_mix": lambda t, x, y: (x < y) * x + (x >= y) * y,
    "in_place_add": lambda t, x, y: (x * 1).add_(y) if x.shape == (x + y).shape else x + y,
}

shape_pairs = hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=4, max_side=4)


@pytest.mark.parametrize("op", sorted(BINARY))
@SETTINGS
@given(shapes=shape_pairs, seed=st.integers(0, 2**16))
def test_broadcast_binary_ops_match_torch(op, shapes, seed):
    result = check(BINARY[op], list(shapes.input_shapes), seed=seed, atol=1e-4, rtol=1e-4)
    assert tuple(result[0].shape) == shapes.result_shape


@SETTINGS
@given(shapes=shape_pairs, seed=st.integers(0, 2**16))
def test_broadcast_gradients_match_finite_differences(shapes, seed):
    check_gradcheck(
        lambda t, x, y: x * t.sin(y) - y / (x * x + 1), list(shapes.input_shapes), seed=seed
    )


@st.composite
def clashing_shapes(draw):
    """Two shapes that do not broadcast: one dim where the sizes differ and neither is 1."""
    first = list(draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4)))
    second = [draw(st.sampled_from([1, size])) for size in first]
    position = draw(st.integers(0, len(first) - 1))
    first[position] = draw(st.integers(2, 4))
    second[position] = draw(st.integers(2, 4).filter(lambda s: s != first[position]))
    drop = draw(st.integers(0, position))  # leading dims of the second may be missing
    return tuple(first), tuple(second[drop:])


@SETTINGS
@given(shapes=clashing_shapes(), op=st.sampled_from(["add", "mul", "maximum", "where"]))
def test_non_broadcastable_shapes_raise_runtime_error(shapes, op):
    first, second = (np.ones(shape, dtype=np.float32) for shape in shapes)
    error = check_error(BINARY[op], first, second)
    assert "must match the size of tensor b" in str(error)


@SETTINGS
@given(shapes=shape_pairs)
def test_expand_and_broadcast_to_agree_with_torch(shapes):
    source, _ = shapes.input_shapes
    check(lambda t, x: x.expand(shapes.result_shape) * 1.5, [source])
    check(lambda t, x: t.broadcast_to(x, shapes.result_shape).sum(), [source])


# Slicing ----------------------------------------------------------------------------------


@st.composite
def shapes_and_slices(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=6))
    index = []
    for size in shape[: draw(st.integers(1, len(shape)))]:
        kind = draw(st.sampled_from(["int", "slice", "full"]))
        if kind == "int":
            index.append(draw(st.integers(-size, size - 1)))
        elif kind == "slice":
            start = draw(st.none() | st.integers(-size - 2, size + 2))
            stop = draw(st.none() | st.integers(-size - 2, size + 2))
            step = draw(st.none() | st.integers(1, 3))
            index.append(slice(start, stop, step))
        else:
            index.append(slice(None))
    if draw(st.booleans()):
        index.insert(draw(st.integers(0, len(index))), None)
    return shape, tuple(index)


@SETTINGS
@given(case=shapes_and_slices(), seed=st.integers(0, 2**16))
def test_basic_slicing_reads_and_gradients_match_torch(case, seed):
    shape, index = case
    check(lambda t, x: x[index] * 2, [shape], seed=seed)


@SETTINGS
@given(case=shapes_and_slices())
def test_basic_slices_are_views_that_write_through(case):
    shape, index = case
    results = []
    for lib in (ember, torch):
        base = lib.zeros(shape)
        view = base[index]
        view += 1
        results.append(base.tolist())
    assert results[0] == results[1]


@SETTINGS
@given(case=shapes_and_slices(), seed=st.integers(0, 2**16))
def test_slice_assignment_gradients_match_torch(case, seed):
    shape, index = case

    def write(t, x, v):
        x = x * 1
        x[index] = v.sum() * 0.5
        return x * x

    check(write, [shape, (3,)], seed=seed)


# Index arrays and masks -------------------------------------------------------------------


@st.composite
def shapes_and_index_arrays(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5))
    index_shape = draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=6))
    indices = draw(hnp.arrays(np.int64, index_shape, elements=st.integers(-shape[0], shape[0] - 1)))
    return shape, indices


@SETTINGS
@given(case=shapes_and_index_arrays(), seed=st.integers(0, 2**16))
def test_integer_array_indexing_accumulates_gradients_like_torch(case, seed):
    shape, indices = case
    check(lambda t, x: x[t.tensor(indices)] ** 2, [shape], seed=seed)


@SETTINGS
@given(case=shapes_and_index_arrays(), seed=st.integers(0, 2**16))
def test_integer_array_indexing_on_a_later_dim(case, seed):
    shape, indices = case
    shape = (2,) + shape
    check(lambda t, x: x[:, t.tensor(indices)].sum(0), [shape], seed=seed)


@SETTINGS
@given(case=shapes_and_index_arrays(), seed=st.integers(0, 2**16))
def test_index_array_gradients_match_finite_differences(case, seed):
    shape, indices = case
    check_gradcheck(lambda t, x, i: x[i] * x[i], [shape, indices], seed=seed)


@SETTINGS
@given(
    shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5),
    seed=st.integers(0, 2**16),
    threshold=st.floats(-2, 2),
)
def test_mask_reads_and_writes_match_torch(shape, seed, threshold):
    check(lambda t, x: x[x > threshold] * 3, [shape], seed=seed)

    def masked_write(t, x):
        x = x * 1
        x[x < threshold] = 0.25
        return x * x

    check(masked_write, [shape], seed=seed)


# Reductions and movement over drawn dims --------------------------------------------------


@st.composite
def shapes_and_dims(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4))
    dims = draw(
        st.lists(
            st.integers(-len(shape), len(shape) - 1),
            min_size=1,
            unique_by=lambda d: d % len(shape),
            max_size=len(shape),
        )
    )
    return shape, dims, draw(st.booleans())


REDUCTIONS = {
    "sum": lambda t, x, dims, keep: x.sum(dims, keepdim=keep),
    "mean": lambda t, x, dims, keep: x.mean(dims, keepdim=keep),
    "var": lambda t, x, dims, keep: x.var(dims, keepdim=keep, correction=0),
    "amax": lambda t, x, dims, keep: x.amax(dims, keepdim=keep),
    "logsumexp": lambda t, x, dims, keep: t.logsumexp(x, dims, keepdim=keep),
    "norm": lambda t, x, dims, keep: t.linalg.vector_norm(x, 2, dims, keepdim=keep),
    "max_one_dim": lambda t, x, dims, keep: x.max(dims[0], keepdim=keep).values,
    "cumsum_one_dim": lambda t, x, dims, keep: x.cumsum(dims[0]),
}


@pytest.mark.parametrize("op", sorted(REDUCTIONS))
@SETTINGS
@given(case=shapes_and_dims(), seed=st.integers(0, 2**16))
def test_reductions_over_drawn_dims_match_torch(op, case, seed):
    shape, dims, keep = case
    check(lambda t, x: REDUCTIONS[op](t, x, dims, keep), [shape], seed=seed, atol=1e-4, rtol=1e-4)


@SETTINGS
@given(
    shape=hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4),
    data=st.data(),
    seed=st.integers(0, 2**16),
)
def test_permute_reshape_chains_match_torch(shape, data, seed):
    order = data.draw(st.permutations(range(len(shape))))
    numel = int(np.prod(shape))
    width = data.draw(st.sampled_from([d for d in range(1, numel + 1) if numel % d == 0]))

    def chain(t, x):
        moved = x.permute(*order)
        return moved.reshape(-1, width).T.contiguous().flatten() * t.arange(numel)

    check(chain, [shape], seed=seed)


@SETTINGS
@given(
    shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5),
    data=st.data(),
    seed=st.integers(0, 2**16),
)
def test_split_then_cat_is_identity_with_gradients(shape, data, seed):
    dim = data.draw(st.integers(0, len(shape) - 1))
    size = data.draw(st.integers(1, shape[dim]))

    def round_trip(t, x):
        pieces = x.split(size, dim)
        return t.cat([piece * (number + 1) for number, piece in enumerate(pieces)], dim)

    check(round_trip, [shape], seed=seed)


@SETTINGS
@given(
    batch=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3),
    sizes=st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4)),
    seed=st.integers(0, 2**16),
)
def test_batched_matmul_broadcasts_like_torch(batch, sizes, seed):
    rows, inner, columns = sizes
    first = batch.input_shapes[0] + (rows, inner)
    second = batch.input_shapes[1] + (inner, columns)
    check(lambda t, a, b: a @ b, [first, second], seed=seed, atol=1e-4, rtol=1e-4)


# Every dtype pair, broadcast shapes and Python numbers: values, dtype and errors --------

DTYPES = ["float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]
TYPED_OPS = {
    "add": lambda t, x, y: x + y,
    "sub": lambda t, x, y: x - y,
    "mul": lambda t, x, y: x * y,
    "div": lambda t, x, y: x / y,
    "floordiv": lambda t, x, y: x // y,
    "mod": lambda t, x, y: x % y,
    "pow": lambda t, x, y: x**y,
    "trunc": lambda t, x, y: t.div(x, y, rounding_mode="trunc"),
    "lt": lambda t, x, y: x < y,
    "eq": lambda t, x, y: x == y,
    "and": lambda t, x, y: x & y,
    "where": lambda t, x, y: t.where(x > y, x, y),
    "add_": lambda t, x, y: x.clone().add_(y),
    "sub_": lambda t, x, y: x.clone().sub_(y),
    "mul_": lambda t, x, y: x.clone().mul_(y),
    "div_": lambda t, x, y: x.clone().div_(y),
    "setitem": lambda t, x, y: x.clone().__setitem__(Ellipsis, y),
}


def outcome(lib, op, first, second, number):
    try:
        result = TYPED_OPS[op](
            lib, lib.tensor(first), lib.tensor(second) if number is None else number
        )
    except Exception as error:  # noqa: BLE001 - the error's kind is compared
        kind = type(error).__name__
        return ("error", "RuntimeError" if kind == "NotImplementedError" else kind)
    if result is None:
        return None
    return (
        str(result.dtype).split(".")[-1],
        tuple(result.shape),
        np.asarray(result.tolist(), dtype=np.float64),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3),
    first_dtype=st.sampled_from(DTYPES),
    second_dtype=st.sampled_from(DTYPES),
    op=st.sampled_from(sorted(TYPED_OPS)),
    number=st.sampled_from([None, None, None, 2, -1, 0, 1.5, True, 0.0, 300]),
    data=st.data(),
)
def test_every_dtype_pair_matches_torch(shapes, first_dtype, second_dtype, op, number, data):
    first_shape, second_shape = shapes.input_shapes
    small = st.integers(-3, 3)
    first = data.draw(hnp.arrays(np.int64, first_shape, elements=small)).astype(first_dtype)
    second = data.draw(hnp.arrays(np.int64, second_shape, elements=small)).astype(second_dtype)
    got, expected = (outcome(lib, op, first, second, number) for lib in (ember, torch))
    if expected is None:
        return
    assert got[:2] == expected[:2], (got, expected)
    if expected[0] != "error":
        np.testing.assert_allclose(got[2], expected[2], rtol=1e-2, atol=1e-2, equal_nan=True)
