"""What the fourth random-programs pass found (the twelfth day's ops mixed with the everyday
ones), each pinned as a small case compared with PyTorch.

The pass drew programs of 2-8 steps mixing gather/scatter, index_select, masked_select,
take_along_dim, sort/topk/kthvalue/unique, tril/triu/diag/diagonal/trace, einsum,
roll/tile/repeat_interleave/ravel/movedim/unflatten, xlogy/logaddexp/nan_to_num, the new
in-place forms and activations with arithmetic, reductions, views and indexing, over
float16/32/64 inputs that were transposed, sliced with steps, expanded, 0-d or empty, with
ties, NaN and inf now and then; it compared values, dtypes, shapes, exception types,
``grad_fn`` names and first- and second-order gradients. The differences ember fixed are
below.
"""

import numpy as np
import pytest
import torch
from oracle import check_outcome

import ember

INF, NAN = float("inf"), float("nan")


def both(scenario):
    """The scenario's results in ember and in torch, as plain Python values."""
    return [scenario(library) for library in (ember, torch)]


def listed(tensor):
    """Values (NaN as None, so that two NaNs are equal), dtype name and shape."""
    values = [None if value != value else value for value in tensor.detach().reshape(-1).tolist()]
    return values, str(tensor.dtype).split(".")[-1], tuple(tensor.shape)


# take_along_dim: along a dim PyTorch takes each index modulo the size; read flat (no dim)
# it checks the range, so -1 is an error there.
TAKE_ALONG_DIM = {
    "past_the_end_wraps": (lambda t, x: t.take_along_dim(x, t.tensor([[4], [5]]), 1)),
    "below_minus_size_wraps": (lambda t, x: t.take_along_dim(x, t.tensor([[-9, -5]]), 1)),
    "negative_along_dim_0": (lambda t, x: t.take_along_dim(x, t.tensor([[-1, -3, 2, 7]]), 0)),
    "flat_in_range": (lambda t, x: t.take_along_dim(x, t.tensor([0, 7]))),
    "flat_negative_is_an_error": (lambda t, x: t.take_along_dim(x, t.tensor([0, -1]))),
    "flat_past_the_end_is_an_error": (lambda t, x: t.take_along_dim(x, t.tensor([8]))),
}


@pytest.mark.parametrize("name", TAKE_ALONG_DIM)
def test_take_along_dim_reads_indices_as_torch_does(name):
    check_outcome(TAKE_ALONG_DIM[name], np.arange(8.0).reshape(2, 4))


# einsum of operands of two dtypes: where no step of PyTorch's left-to-right product sums
# a subscript both sides have, it multiplies element by element and promotes.
EINSUM_DTYPES = {
    "outer_product": ("i,j->ij", ["float64", "float32"], [(2,), (3,)]),
    "implicit_outer_product": ("i,j", ["float16", "float32"], [(2,), (3,)]),
    "broadcast_product": ("ij,j->ij", ["float32", "float64"], [(2, 3), (3,)]),
    "each_summed_alone": ("ij,k->k", ["float64", "float32"], [(2, 3), (3,)]),
    "integer_and_float": ("i,i->i", ["int64", "float32"], [(3,), (3,)]),
    "contraction_of_one_dtype_then_a_product": (
        "j,j,i->i",
        ["float32", "float32", "float64"],
        [(2,), (2,), (3,)],
    ),
    "contraction_is_refused": ("ij,j->i", ["float64", "float32"], [(2, 3), (3,)]),
    "inner_product_is_refused": ("i,i", ["float32", "float16"], [(3,), (3,)]),
    "contraction_after_a_product_is_refused": (
        "i,j,j->i",
        ["float32", "float32", "float64"],
        [(3,), (2,), (2,)],
    ),
}


@pytest.mark.parametrize("name", EINSUM_DTYPES)
def test_einsum_of_two_dtypes_promotes_where_torch_does(name):
    equation, dtypes, shapes = EINSUM_DTYPES[name]
    rng = np.random.default_rng(0)
    arrays = [
        rng.uniform(-2, 2, shape).round(2).astype(dtype) for dtype, shape in zip(dtypes, shapes)
    ]
    check_outcome(lambda t, *operands: t.einsum(equation, *operands), *arrays)


def test_gradients_of_an_einsum_of_two_dtypes_keep_each_operands_dtype():
    def scenario(t):
        x = t.tensor([1.5, -2.0], dtype=t.float64, requires_grad=True)
        y = t.tensor([0.5, 1.0, -3.0], requires_grad=True)
        z = t.einsum("i,j->ij", x, y)
        (z * t.arange(6.0).reshape(2, 3)).sum().backward()
        return listed(z), z.grad_fn.name(), listed(x.grad), listed(y.grad)

    ember_result, torch_result = both(scenario)
    assert ember_result == torch_result


# nan_to_num's gradient is the upstream gradient times the mask of finite inputs, as in
# PyTorch: an inf or NaN gradient reaching a replaced element gives NaN, not 0.
def test_nan_to_num_multiplies_its_gradient_by_the_finite_mask():
    def scenario(t):
        x = t.tensor([1.0, INF, NAN, -INF, 2.0], requires_grad=True)
        y = t.nan_to_num(x)
        upstream = t.tensor([INF, INF, NAN, 1.0, NAN])
        (grad,) = t.autograd.grad(y, x, upstream)
        return listed(grad)

    ember_result, torch_result = both(scenario)
    assert ember_result == torch_result


def test_nan_to_num_of_a_log_in_a_chain_has_torchs_second_order_gradient():
    def scenario(t):
        x = t.tensor([[0.4, -0.3], [2.0, INF]], dtype=t.float64, requires_grad=True)
        y = t.nan_to_num(t.log(x))
        z = t.einsum("ji,jk->ik", y, y)
        weights = t.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=t.float64)
        (grad,) = t.autograd.grad((z * weights).sum(), x, create_graph=True)
        (second,) = t.autograd.grad((grad * weights).sum(), x)
        return listed(grad), listed(second)

    ember_result, torch_result = both(scenario)
    assert ember_result == torch_result


# repeat_interleave copies, as in PyTorch, also for 1 repeat (whose stretch is already
# contiguous): writing into the result never writes into the input.
@pytest.mark.parametrize("dim", [0, -1])
def test_repeat_interleave_once_is_a_copy_not_a_view(dim):
    def scenario(t):
        x = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        h = x * 1
        y = h.repeat_interleave(1, dim)
        y.mul_(2)
        (y * t.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
        return listed(h), listed(y), listed(x.grad)

    ember_result, torch_result = both(scenario)
    assert ember_result == torch_result


def test_repeat_interleave_once_of_a_leaf_can_be_changed_in_place():
    def scenario(t):
        x = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        y = x.repeat_interleave(1, -1)
        y.diagonal().zero_()
        y.sum().backward()
        return listed(y), listed(x.grad)

    ember_result, torch_result = both(scenario)
    assert ember_result == torch_result


# Results PyTorch lays out contiguously (so that .view() of them works), where NumPy kept
# the input's layout.
LAYOUTS = {
    "index_select_along_a_later_dim": lambda t: (
        t.arange(24.0).reshape(2, 3, 4).index_select(1, t.tensor([0, 2]))
    ),
    "index_select_of_a_transposed": lambda t: (
        t.arange(6.0).reshape(2, 3).t().index_select(0, t.tensor([2, 0]))
    ),
    "roll_of_a_transposed": lambda t: t.arange(6.0).reshape(2, 3).t().roll(1, 0),
    "roll_of_an_expanded": lambda t: t.tensor([[1.0, 2.0]]).expand(3, 2).roll(1, 0),
    "roll_flat_of_a_transposed": lambda t: t.roll(t.arange(6.0).reshape(2, 3).t(), 2),
    "tile_once_of_a_transposed": lambda t: t.arange(6.0).reshape(2, 3).t().tile((1, 1)),
    "tile_once_of_an_expanded": lambda t: t.tensor([[1.0, 2.0]]).expand(3, 2).tile((1,)),
    "nan_to_num_of_an_expanded": lambda t: t.nan_to_num(
        t.tensor([[1.0], [NAN], [INF]]).expand(3, 2)
    ),
}


@pytest.mark.parametrize("name", LAYOUTS)
def test_results_are_contiguous_where_torchs_are_and_view_works(name):
    def scenario(t):
        y = LAYOUTS[name](t)
        return listed(y), y.is_contiguous(), tuple(y.stride()), listed(y.view(-1))

    ember_result, torch_result = both(scenario)
    assert ember_result == torch_result


def test_nan_to_num_of_a_transposed_keeps_its_layout_as_torch_does():
    def scenario(t):
        y = t.nan_to_num(t.tensor([[1.0, NAN, 3.0], [INF, 5.0, -INF]]).t())
        return listed(y), y.is_contiguous(), tuple(y.stride())

    ember_result, torch_result = both(scenario)
    assert ember_result == torch_result


@pytest.mark.parametrize("op", ["cumsum", "cumprod"])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_running_sums_of_a_transposed_tensor_are_contiguous_as_torchs(op, dtype):
    layouts = []
    for library in (torch, ember):
        x = library.arange(12).reshape(3, 4).to(getattr(library, dtype)).T
        result = getattr(x, op)(0)
        layouts.append((result.is_contiguous(), result.view(-1).tolist()))
    assert layouts[1] == layouts[0]
