"""Reshaping, joining and indexing edges found by a differential round against PyTorch.

Each case runs the same call on ember and on torch and compares the outcome: values,
dtype, shape, strides and contiguity, or the exception type, and the warnings.
"""

import warnings

import numpy as np
import pytest
import torch
from oracle import assert_same, check_error

import ember


def _tensor(lib, array):
    return lib.tensor(np.asarray(array, dtype=np.float32))


GRID = np.arange(12.0).reshape(3, 4)
CUBE = np.arange(24.0).reshape(2, 3, 4)


def _outcome(fn, lib):
    """What ``fn(lib)`` gives: a description of the tensors or the exception's type, and
    the categories of the warnings it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ("ok", _describe(fn(lib)))
        except Exception as error:  # the type is what is compared
            result = ("error", type(error))
    return result, [warning.category for warning in caught]


def _describe(value):
    if isinstance(value, (ember.Tensor, torch.Tensor)):
        return (
            tuple(value.shape),
            str(value.dtype).split(".")[-1],
            np.asarray(value.detach().tolist()).tolist(),
            tuple(value.stride()),
            value.is_contiguous(),
        )
    if isinstance(value, (tuple, list)):
        return [_describe(item) for item in value]
    return value


def check_same(fn):
    ember_outcome, torch_outcome = _outcome(fn, ember), _outcome(fn, torch)
    assert ember_outcome == torch_outcome


SAME_AS_TORCH = {
    "reshape without a shape": lambda t: _tensor(t, [5.0]).reshape(),
    "flatten of a 1-d tensor is the tensor": lambda t: (lambda x: x.flatten() is x)(
        _tensor(t, GRID[0])
    ),
    "flatten(1, 1) is the tensor": lambda t: (lambda x: x.flatten(1, 1) is x)(_tensor(t, CUBE)),
    "flatten of a 0-d tensor": lambda t: _tensor(t, 3.0).flatten(),
    "expand to a negative size other than -1": lambda t: _tensor(t, GRID[:, :1]).expand(3, -2),
    "clone of a transposed tensor keeps its layout": lambda t: (
        _tensor(t, CUBE).transpose(0, 1).clone()
    ),
    "clone of a strided view": lambda t: _tensor(t, GRID).t()[:, ::2].clone(),
    "contiguous of a transposed tensor": lambda t: _tensor(t, GRID).t().contiguous(),
    "flip of a transposed tensor keeps its layout": lambda t: _tensor(t, GRID).t().flip(0),
    "flip without dims": lambda t: _tensor(t, GRID).flip(),
    "flip of no dims": lambda t: _tensor(t, GRID).flip(()),
    "cat of transposed tensors is contiguous": lambda t: t.cat(
        [_tensor(t, GRID).t(), _tensor(t, GRID).t()]
    ),
    "cat of transposed tensors views": lambda t: t.cat(
        [_tensor(t, GRID).t(), _tensor(t, GRID).t()], 1
    ).view(-1),
    "stack of transposed tensors is contiguous": lambda t: t.stack(
        [_tensor(t, GRID).t(), _tensor(t, GRID).t()], 1
    ),
    "cat of a tensor": lambda t: t.cat(_tensor(t, GRID)),
    "cat of a generator": lambda t: t.cat(_tensor(t, GRID) for _ in range(2)),
    "stack of a tensor": lambda t: t.stack(_tensor(t, GRID)),
    "hstack of a tensor": lambda t: t.hstack(_tensor(t, GRID)),
    "vstack of a tensor": lambda t: t.vstack(_tensor(t, GRID)),
    "split of an empty dim": lambda t: t.zeros(0).split(2),
    "split of an empty dim by 0": lambda t: t.zeros(0).split(0),
    "split by a 0-d tensor": lambda t: _tensor(t, GRID[0]).split(t.tensor(3)),
    "split by a bool": lambda t: _tensor(t, GRID[0]).split(True),
    "chunk of an empty dim": lambda t: t.zeros(0).chunk(3),
    "chunk of an empty column dim": lambda t: t.zeros(2, 0).chunk(2, dim=1),
    "index with uint8 reads a mask": lambda t: _tensor(t, GRID)[t.tensor([0, 2, 1], dtype=t.uint8)],
    "index with int8 is refused": lambda t: _tensor(t, GRID)[t.tensor([0, 2], dtype=t.int8)],
    "index with int16 is refused": lambda t: _tensor(t, GRID)[t.tensor([0, 2], dtype=t.int16)],
    "index with 0-d int16 selects": lambda t: _tensor(t, GRID)[t.tensor(1, dtype=t.int16)],
    "index with a float16 tensor is refused": lambda t: _tensor(t, GRID)[
        t.tensor([0.0], dtype=t.float16)
    ],
    "int32 index still works": lambda t: _tensor(t, GRID)[t.tensor([2, 0], dtype=t.int32)],
    "column mask read is contiguous": lambda t: _tensor(t, GRID)[
        :, t.tensor([True, False, True, False])
    ],
    "column index read views": lambda t: _tensor(t, CUBE)[
        :, t.tensor([0, 1]), t.tensor([2, 3])
    ].view(-1),
    "mixed int and index read is contiguous": lambda t: _tensor(t, CUBE)[1, :, t.tensor([0, 3])],
    "assigning None": lambda t: _tensor(t, GRID).__setitem__(0, None),
}


@pytest.mark.parametrize("fn", SAME_AS_TORCH.values(), ids=SAME_AS_TORCH.keys())
def test_matches_torch(fn):
    check_same(fn)


@pytest.mark.parametrize("dtype", ["uint8", "bool"])
def test_mask_write_with_a_byte_or_bool_tensor_matches_torch(dtype):
    def write(t):
        x = _tensor(t, GRID)
        x[t.tensor([1, 0, 1], dtype=getattr(t, dtype))] = t.tensor([9.0, 8.0, 7.0, 6.0])
        return x

    check_same(write)


def test_the_uint8_index_warning_points_at_the_callers_line():
    x = ember.tensor(GRID)
    with pytest.warns(UserWarning, match="uint8") as caught:
        x[ember.tensor([1, 0, 1], dtype=ember.uint8)]
    assert caught[0].filename == __file__


RELAID = {
    "clone of a transpose": (GRID, lambda t, x: x.t().clone()),
    "flip of a transpose": (GRID, lambda t, x: x.t().flip(1)),
    "cat of transposes": (GRID, lambda t, x: t.cat([x.t(), x.t()])),
    "stack of transposes": (GRID, lambda t, x: t.stack([x.t(), x.t()], 2)),
    "column index": (GRID, lambda t, x: x[:, t.tensor([0, 2])]),
    "parted indices": (CUBE, lambda t, x: x[t.tensor([1, 0]), :, t.tensor([3, 2])]),
}


@pytest.mark.parametrize("array, make", RELAID.values(), ids=RELAID.keys())
def test_gradients_through_the_relaid_results_match_torch(array, make):
    grads = []
    for lib in (ember, torch):
        x = lib.tensor(array, dtype=lib.float64, requires_grad=True)
        out = make(lib, x)
        weights = lib.tensor(np.cos(np.arange(out.numel())).reshape(tuple(out.shape)))
        (out * weights).sum().backward()
        grads.append(np.asarray(x.grad.tolist()))
    np.testing.assert_allclose(grads[0], grads[1])


def test_flatten_that_joins_nothing_keeps_the_leaf_like_torch():
    for lib in (ember, torch):
        w = lib.ones(3, requires_grad=True)
        flat = w.flatten()
        assert flat is w and flat.is_leaf


def test_an_expand_that_stretches_nothing_can_be_written_like_torch():
    """expand(1, n) of n elements shares no element, so PyTorch writes into it."""
    grads = []
    for lib in (ember, torch):
        x = lib.ones(3, requires_grad=True)
        h = x * 2
        h.expand(1, 3).mul_(2)
        h.sum().backward()
        grads.append(x.grad)
    assert_same(grads[0], grads[1])


@pytest.mark.parametrize("call", ["view", "expand"])
def test_view_and_expand_need_a_shape_like_torch(call):
    check_error(lambda t, x: getattr(x, call)(), np.ones(3, np.float32), error=TypeError)
