"""T9 views that share storage: ``view(dtype)``, which reads a tensor's memory as another
element type, and ``empty_strided`` / ``new_empty_strided``, which lay a new tensor out
with given strides. Each case is evaluated in both libraries (``T`` is ember or torch)."""

import numpy as np
import pytest
import torch

import ember

VIEWS_AS_TYPES = [
    "T.tensor([1.5, -2.0]).view(T.int32)",
    "T.tensor([1.5, -2.0]).view(T.int32).view(T.float32)",
    "T.tensor([1, 255], dtype=T.uint8).view(T.int8)",
    "T.tensor([1.0, 2.0], dtype=T.float16).view(T.int16)",
    "T.tensor(1.0).view(T.int32)",
    "T.zeros(3, 4).view(dtype=T.int32)",
    "T.zeros(3, 4, dtype=T.bool).view(T.uint8)",
    "T.ones(3, 4).view(T.bool)",
    "T.arange(8, dtype=T.uint8).view(T.float64)",
    "T.arange(8, dtype=T.uint8).reshape(2, 4).view(T.float16)",
    "T.arange(24, dtype=T.int16).reshape(3, 8)[:, :4].view(T.int64)",
    "T.arange(24, dtype=T.int16)[4:12].view(T.int64)",
    "T.arange(40, dtype=T.int16)[4:].reshape(2, 18)[:, :4].view(T.int32)",
    "T.arange(24, dtype=T.int64)[1:3].view(T.int16)",
    "T.arange(24, dtype=T.int64).reshape(4, 6)[:, 1:3].view(T.int16)",
    "T.arange(24, dtype=T.int64).reshape(4, 6).expand(2, 4, 6).view(T.int16)",
    "T.arange(6.0, requires_grad=True).view(T.int32)",
    "(T.arange(6.0, requires_grad=True) * 2).view(T.float32)",
]

REFUSED_VIEWS_AS_TYPES = [  # PyTorch's RuntimeError, naming the first check that fails
    ("T.tensor(1.0).view(T.int16)", "self.dim() cannot be 0 to view Float as Short"),
    ("T.arange(24, dtype=T.int64).reshape(4, 6).t().view(T.int16)", "self.stride(-1) must be 1"),
    ("T.zeros(3, 1, dtype=T.int64).expand(3, 4).view(T.int16)", "self.stride(-1) must be 1"),
    ("T.arange(6, dtype=T.int16).view(T.int64)", "self.size(-1) must be divisible by 4"),
    ("T.arange(24, dtype=T.int16)[2:10].view(T.int64)", "self.storage_offset() must be divisible"),
    ("T.arange(18, dtype=T.int16).reshape(3, 6)[:, :4].view(T.int64)", "self.stride(0) must be"),
    ("T.zeros(3, 0, dtype=T.int16).view(T.int64)", "self.stride(0) must be divisible by 4"),
]


def described(tensor):
    return (
        tuple(tensor.shape),
        tensor.stride(),
        str(tensor.dtype).split(".")[1],
        tensor.storage_offset(),
        tensor.tolist(),
        tensor.requires_grad,
        tensor.grad_fn is None,
    )


@pytest.mark.parametrize("case", VIEWS_AS_TYPES)
def test_view_as_another_type_reads_the_same_bits_as_torch(case):
    assert described(eval(case, {"T": ember})) == described(eval(case, {"T": torch}))


@pytest.mark.parametrize("case, message", REFUSED_VIEWS_AS_TYPES)
def test_view_as_another_size_of_type_is_refused_as_torch_refuses_it(case, message):
    with pytest.raises(RuntimeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        eval(case, {"T": torch})
    with pytest.raises(RuntimeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        eval(case, {"T": ember})


def test_a_write_through_a_view_as_another_type_reaches_the_base_and_its_version():
    base = ember.arange(4.0)
    bits = base.view(ember.int32)
    bits[0] = 1
    assert np.asarray(base)[0] == np.float32(1.4e-45)  # the smallest float32 above 0
    assert base._version == bits._version == 1


def test_a_saved_tensor_written_through_a_view_as_another_type_is_refused_at_backward():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = y * y  # saves y
    y.view(ember.int32).add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


STRIDED = [
    "T.empty_strided((2, 3), (1, 2))",
    "T.empty_strided((2, 3), (0, 0))",
    "T.empty_strided((2, 0), (5, 7))",
    "T.empty_strided((), ())",
    "T.empty_strided([2, 3], [1, 2])",
    "T.empty_strided(size=(4,), stride=(2,))",
    "T.empty_strided((2, 3), (3, 1), dtype=T.float64, requires_grad=True)",
    "T.ones(2).new_empty_strided((2, 3), (1, 2))",
    "T.ones(2, dtype=T.int32).new_empty_strided((2, 3), (1, 2), dtype=T.float16)",
]

REFUSED_STRIDED = [
    ("T.empty_strided((2, 3), (1, -2))", RuntimeError),
    ("T.empty_strided((2, -3), (1, 2))", RuntimeError),
    ("T.empty_strided((2, 3), (1,))", RuntimeError),
    ("T.empty_strided((2, 3), (3, 1), dtype=T.int64, requires_grad=True)", RuntimeError),
    ("T.empty_strided((2.0, 3), (1, 2))", TypeError),
]


def layout(tensor):
    return (
        tuple(tensor.shape),
        tensor.stride(),
        str(tensor.dtype).split(".")[1],
        tensor.is_contiguous(),
        tensor.requires_grad,
        tensor.is_leaf,
    )


@pytest.mark.parametrize("case", STRIDED)
def test_empty_strided_lays_out_memory_as_torch_does(case):
    assert layout(eval(case, {"T": ember})) == layout(eval(case, {"T": torch}))


@pytest.mark.parametrize("case, error", REFUSED_STRIDED)
def test_empty_strided_refuses_what_torch_refuses(case, error):
    with pytest.raises(error):
        eval(case, {"T": torch})
    with pytest.raises(error):
        eval(case, {"T": ember})


def test_a_strided_tensor_is_written_read_and_differentiated_like_any_other():
    x = ember.empty_strided((2, 3), (1, 2), requires_grad=True)
    with ember.no_grad():
        x.copy_(ember.arange(6.0).reshape(2, 3))
    (x * x).sum().backward()
    assert x.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert x.grad.tolist() == [[0.0, 2.0, 4.0], [6.0, 8.0, 10.0]]
