"""What the third random-programs pass found (the newer ops mixed with the everyday ones),
each pinned as a small case compared with PyTorch.

The pass drew chains of unary, binary, reduction, movement, in-place and nn.functional ops
over float16/32/64, integer and bool tensors (0-d and empty ones, NaN and inf now and then),
then compared values, dtypes, shapes, exception types, ``grad_fn`` names and first- and
second-order gradients. The differences it found and ember fixed are below.
"""

import numpy as np
import pytest
import torch
from oracle import check_outcome

import ember

INTEGER_EMPTY = np.zeros((2, 0), dtype=np.int64)

# An empty operand makes an empty result: integer division by zero divides nothing.
EMPTY_DIVISIONS = {
    "fmod_by_0": lambda t, x: t.fmod(x, 0),
    "remainder_by_0": lambda t, x: t.remainder(x, 0),
    "mod_operator_by_0": lambda t, x: x % 0,
    "floor_divide_by_0": lambda t, x: x // 0,
    "trunc_div_by_0": lambda t, x: t.div(x, 0, rounding_mode="trunc"),
    "number_by_empty_zeros": lambda t, x: t.remainder(5, x),
    "by_a_zero_tensor_that_broadcasts": lambda t, x: t.fmod(x, t.tensor([0])),
}


@pytest.mark.parametrize("name", EMPTY_DIVISIONS)
def test_integer_division_by_zero_of_an_empty_tensor_is_empty(name):
    check_outcome(EMPTY_DIVISIONS[name], INTEGER_EMPTY)


@pytest.mark.parametrize("name", ["fmod_by_0", "floor_divide_by_0"])
def test_integer_division_by_zero_of_values_still_raises(name):
    check_outcome(EMPTY_DIVISIONS[name], np.array([1, 2]))


# chunk and split of a 0-d tensor: PyTorch's RuntimeError, not an IndexError.
ZERO_DIM_CUTS = {
    "chunk": lambda t, x: x.chunk(2, 0),
    "chunk_function": lambda t, x: t.chunk(x, 1),
    "chunk_last_dim": lambda t, x: x.chunk(2, -1),
    "split": lambda t, x: x.split(1),
    "split_sizes": lambda t, x: t.split(x, [1]),
}


@pytest.mark.parametrize("name", ZERO_DIM_CUTS)
def test_chunk_and_split_of_a_0d_tensor_are_runtime_errors(name):
    check_outcome(ZERO_DIM_CUTS[name], np.array(1.5))


# narrow is a slice in PyTorch even where it keeps the whole dim.
NARROWS = {
    "whole_last_dim": lambda x: x.narrow(1, 0, 3),
    "whole_first_dim": lambda x: x.narrow(0, 0, 2),
    "whole_dim_from_a_negative_start": lambda x: x.narrow(-1, -3, 3),
    "part_of_a_dim": lambda x: x.narrow(1, 1, 2),
    "nothing": lambda x: x.narrow(1, 2, 0),
}


@pytest.mark.parametrize("name", NARROWS)
def test_narrow_is_named_a_slice_and_has_torchs_gradient(name):
    results = []
    for t in (ember, torch):
        x = t.tensor([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]], requires_grad=True)
        y = NARROWS[name](x)
        (y * t.arange(float(y.numel())).reshape(y.shape)).sum().backward()
        results.append((y.grad_fn.name(), y.tolist(), x.grad.tolist()))
    assert results[0] == results[1]


def test_a_write_into_a_narrowed_view_reaches_its_base_as_in_torch():
    results = []
    for t in (ember, torch):
        x = t.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
        y = x * 1
        y.narrow(1, 1, 2).mul_(2)
        y.sum().backward()
        results.append((y.tolist(), x.grad.tolist()))
    assert results[0] == results[1]


# The gradient of prod and cumprod where an input is zero is built so that
# create_graph differentiates it again: second-order gradients as in PyTorch.
ZERO_PRODUCTS = {
    "prod": ([0.9, 0.0, 0.6], lambda t, x: x.prod()),
    "prod_of_two_zeros": ([0.9, 0.0, 0.0], lambda t, x: x.prod()),
    "prod_over_a_dim": ([[0.9, 0.0, 0.6], [1.0, 2.0, 3.0]], lambda t, x: x.prod(1)),
    "prod_keepdim": ([[0.9, 0.0, 0.6], [1.0, 2.0, 3.0]], lambda t, x: x.prod(0, keepdim=True)),
    "prod_over_a_negative_dim": ([[0.9, 0.0, 0.6], [1.0, 2.0, 3.0]], lambda t, x: x.prod(-2)),
    "prod_of_negative_zero": ([1.6, -0.65, -0.0], lambda t, x: x.prod(-1, keepdim=True)),
    "prod_as_float64": ([0.88, 1.41, -0.0], lambda t, x: x.prod(dtype=t.float64)),
    "cumprod": ([0.9, 0.0, 0.6], lambda t, x: x.cumprod(0)),
    "cumprod_over_dim_0": ([[0.9, 0.0, 0.6], [1.0, 2.0, 3.0]], lambda t, x: x.cumprod(0)),
    "cumprod_of_two_zeros": ([[0.9, 0.0, 0.6], [1.0, 2.0, 0.0]], lambda t, x: x.cumprod(-1)),
}


@pytest.mark.parametrize("name", ZERO_PRODUCTS)
def test_second_order_gradients_of_products_with_zeros_are_torchs(name):
    data, product = ZERO_PRODUCTS[name]
    results = []
    for t in (ember, torch):
        x = t.tensor(data, requires_grad=True)
        y = product(t, x)
        weights = t.arange(1.0, y.numel() + 1).reshape(y.shape)
        (grad,) = t.autograd.grad((y * weights).sum(), x, create_graph=True)
        (second,) = t.autograd.grad((grad * t.arange(1.0, x.numel() + 1).reshape(x.shape)).sum(), x)
        results.append((grad.detach().numpy(), second.numpy()))
    for ember_result, torch_result in zip(*results):
        np.testing.assert_allclose(ember_result, torch_result, rtol=1e-6, atol=1e-6)
