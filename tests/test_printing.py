"""Printing against PyTorch (T2): repr(ember tensor) equals repr(torch tensor) with "torch."
replaced by "ember.", for a catalogue of cases and for Hypothesis-drawn shapes and values."""

import pickle

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import ember

INF, NAN = float("inf"), float("nan")


def assert_prints_like_torch(make):
    expected = repr(make(torch)).replace("torch.", "ember.")
    got = repr(make(ember))
    assert got == expected, f"\nember:\n{got}\ntorch:\n{expected}"
    assert str(make(ember)) == got


CASES = {
    # integers, bools, 0-d
    "ints": lambda t: t.tensor([1, 2, 3]),
    "negative_ints": lambda t: t.tensor([[1, -2], [300, 4]]),
    "int_0d": lambda t: t.tensor(-7),
    "long_range": lambda t: t.arange(12),
    "bool": lambda t: t.tensor([True, False]),
    "bool_0d": lambda t: t.tensor(True),
    "bool_2d": lambda t: t.tensor([[True, False], [False, True]]),
    # floats
    "whole_floats": lambda t: t.tensor([1.0, 2.0, 3.0]),
    "zero_and_one": lambda t: t.tensor([0.0, 1.0]),
    "all_zeros": lambda t: t.zeros(2, 3),
    "negative_zero": lambda t: t.tensor([-0.0]),
    "fractions": lambda t: t.tensor([-1.5, 2.25]),
    "float_0d": lambda t: t.tensor(3.0),
    "float_0d_fraction": lambda t: t.tensor(3.14159),
    "precision_rounding": lambda t: t.tensor([1 / 3, 2 / 3, 0.00015]),
    "arange_float": lambda t: t.arange(12.0).reshape(3, 4),
    "divided": lambda t: t.arange(6.0).reshape(2, 3) / 7,
    # scientific notation
    "small_and_one": lambda t: t.tensor([1e-5, 1.0]),
    "large_and_one": lambda t: t.tensor([1e10, 1.0]),
    "large_whole": lambda t: t.tensor([1e10, 2.0]),
    "just_below_1e8": lambda t: t.tensor([1e8]),
    "just_above_1e8": lambda t: t.tensor([1.1e8]),
    "above_1e8_fraction": lambda t: t.tensor([1.1e8, 1.5]),
    "ratio_1000": lambda t: t.tensor([1000.0, 1.0]),
    "ratio_1001": lambda t: t.tensor([1001.0, 1.0]),
    "min_1e-4": lambda t: t.tensor([1e-4, 1.0]),
    "min_1e-4_fraction": lambda t: t.tensor([1e-4, 1.5]),
    "tiny": lambda t: t.tensor([1e-10]),
    "mixed_sign_sci": lambda t: t.tensor([-1e-5, 3.0]),
    "float64_extremes": lambda t: t.tensor([1e300, 1e-300], dtype=t.float64),
    "big_whole": lambda t: t.tensor([123456789.0]),
    "spread": lambda t: t.tensor([0.1, 100000.0]),
    # nan and inf
    "nan_inf_whole": lambda t: t.tensor([NAN, 1.0, INF, -INF]),
    "nan_inf_fraction": lambda t: t.tensor([NAN, 1.5, INF, -INF]),
    "only_nan": lambda t: t.tensor([NAN]),
    "only_inf_0d": lambda t: t.tensor(INF),
    "inf_and_small": lambda t: t.tensor([-INF, 1e-5]),
    "nan_in_matrix": lambda t: t.tensor([[NAN, 2.0], [3.0, -INF]]),
    # empty
    "empty": lambda t: t.tensor([]),
    "empty_0_3": lambda t: t.zeros(0, 3),
    "empty_2_0_float64": lambda t: t.zeros(2, 0, dtype=t.float64),
    "empty_long": lambda t: t.zeros(0, dtype=t.int64),
    "empty_bool": lambda t: t.zeros(0, dtype=t.bool),
    "empty_nested": lambda t: t.tensor([[]]),
    "empty_requires_grad": lambda t: t.zeros(0, 2, requires_grad=True),
    # wrapping and blocks
    "row_wraps_at_80": lambda t: t.arange(40.0),
    "int_row_wraps": lambda t: t.arange(100),
    "long_fraction_row": lambda t: t.arange(30.0) / 3,
    "three_d_blank_lines": lambda t: t.arange(24.0).reshape(2, 3, 4),
    "four_d": lambda t: t.arange(16).reshape(2, 2, 2, 2),
    "ones_1_1_1": lambda t: t.zeros(1, 1, 1),
    "column": lambda t: t.zeros(3, 1, 2),
    "wide_matrix_wraps": lambda t: t.arange(60.0).reshape(2, 30) * 1.5,
    # summarised (> 1000 elements)
    "summarised_1d": lambda t: t.arange(1001),
    "summarised_2d": lambda t: t.arange(2000.0).reshape(20, 100),
    "summarised_3d": lambda t: t.arange(4000.0).reshape(10, 10, 40) / 7,
    "summarised_4d": lambda t: t.arange(7 * 7 * 7 * 7.0).reshape(7, 7, 7, 7),
    "summarised_big": lambda t: t.arange(1e5).reshape(10, 100, 100),
    "summarised_bool": lambda t: t.tensor([[True, False]] * 600),
    "summarised_short_rows": lambda t: t.arange(1200.0).reshape(400, 3),
    "exactly_1000": lambda t: t.arange(1000.0),
    # dtype suffixes
    "float64": lambda t: t.arange(6.0).reshape(2, 3).double(),
    "float64_0d": lambda t: t.tensor(2.5, dtype=t.float64),
    "int32": lambda t: t.arange(6).int(),
    "int8": lambda t: t.tensor([1, 2], dtype=t.int8),
    "int16": lambda t: t.tensor([1, 2], dtype=t.int16),
    "uint8": lambda t: t.tensor([1, 2], dtype=t.uint8),
    "float16": lambda t: t.arange(6.0).half() / 3,
    "float16_whole": lambda t: t.tensor([1.0, 2.0], dtype=t.float16),
    "float16_max": lambda t: t.tensor([65504.0], dtype=t.float16),
    # autograd suffixes
    "requires_grad": lambda t: t.ones(3, requires_grad=True),
    "requires_grad_0d": lambda t: t.tensor(1.0, requires_grad=True),
    "grad_fn": lambda t: t.ones(3, requires_grad=True) * 2,
    "grad_fn_sum": lambda t: t.tensor([2.0], dtype=t.float64, requires_grad=True).sum(),
    "grad_fn_add": lambda t: t.ones(2, requires_grad=True) + 1,
    "grad_fn_view": lambda t: t.ones(2, 3, requires_grad=True).reshape(-1),
    "suffix_wraps": lambda t: t.arange(18.0).double().requires_grad_(),
    "two_suffixes_wrap": lambda t: t.arange(20.0).double().requires_grad_() * 2,
    "suffix_after_block": lambda t: t.arange(12.0, requires_grad=True).reshape(3, 4) * 2,
    "long_row_requires_grad": lambda t: t.arange(30.0, requires_grad=True),
    "detached": lambda t: (t.ones(2, requires_grad=True) * 2).detach(),
}


@pytest.mark.parametrize("name", list(CASES))
def test_repr_matches_torch(name):
    assert_prints_like_torch(CASES[name])


def test_book_examples_print_like_torch():
    assert repr(ember.arange(12)) == "tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11])"
    assert repr(ember.tensor([[0.0, 1.0], [2.0, 3.0]])) == "tensor([[0., 1.],\n        [2., 3.]])"
    assert repr(ember.arange(4.0, requires_grad=True)) == (
        "tensor([0., 1., 2., 3.], requires_grad=True)"
    )


PRINT_OPTIONS = [
    {"precision": 2},
    {"precision": 6},
    {"linewidth": 40},
    {"threshold": 5},
    {"threshold": 5, "edgeitems": 1},
    {"sci_mode": True},
    {"sci_mode": False},
    {"profile": "short"},
    {"profile": "full"},
    {"edgeitems": 0},  # torch then adds size=... to every non-empty tensor
    {"threshold": 5, "edgeitems": 0},  # and a summarised tensor prints as [...]
]
OPTION_CASES = [
    lambda t: t.tensor([1.0, -1.0, 100.0]),
    lambda t: t.tensor([1e-6, 1.5]),
    lambda t: t.arange(30.0) / 3,
    lambda t: t.arange(12).reshape(3, 4),
    lambda t: t.tensor([1e10, 1.0]),
    lambda t: t.arange(2000.0),
    lambda t: t.tensor(2.5, dtype=t.float64, requires_grad=True),
    lambda t: t.arange(24).reshape(2, 3, 4).int(),
]


@pytest.fixture
def restore_print_options():
    yield
    for module in (torch, ember):
        module.set_printoptions(profile="default", sci_mode=None)


@pytest.mark.parametrize("options", PRINT_OPTIONS, ids=str)
def test_set_printoptions(options, restore_print_options):
    for module in (torch, ember):
        module.set_printoptions(**options)
    for make in OPTION_CASES:
        assert_prints_like_torch(make)


def test_printoptions_are_restored_by_default_profile(restore_print_options):
    ember.set_printoptions(precision=1, linewidth=20)
    ember.set_printoptions(profile="default")
    assert repr(ember.tensor([1 / 3])) == "tensor([0.3333])"


def test_print_writes_the_repr(capsys):
    print(ember.arange(3.0), ember.arange(3).shape)
    assert capsys.readouterr().out == "tensor([0., 1., 2.]) ember.Size([3])\n"


# Hypothesis: random shapes and values -----------------------------------------------------

FLOAT_DTYPES = st.sampled_from(["float32", "float64", "float16"])
INT_DTYPES = st.sampled_from(["int64", "int32", "int8", "uint8", "bool"])
shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=7)


def print_pair(array, requires_grad=False):
    def make(t):
        x = t.tensor(array)
        if requires_grad:
            x.requires_grad_(True)
        return x

    return make


@settings(max_examples=80, deadline=None)
@given(data=st.data(), shape=shapes, dtype=FLOAT_DTYPES)
def test_random_float_tensors_print_like_torch(data, shape, dtype):
    scale = data.draw(st.sampled_from([1e-6, 1e-3, 1.0, 10.0, 1e4, 1e9]))
    elements = st.one_of(
        st.floats(-1000, 1000, width=32),
        st.integers(-50, 50).map(float),
        st.sampled_from([0.0, -0.0, INF, -INF, NAN, 0.5, 1e-5]),
    )
    array = data.draw(hnp.arrays(np.float64, shape, elements=elements)) * scale
    with np.errstate(over="ignore"):
        array = array.astype(dtype)
    requires_grad = data.draw(st.booleans()) and array.dtype.itemsize >= 4
    assert_prints_like_torch(print_pair(array, requires_grad))


@settings(max_examples=80, deadline=None)
@given(data=st.data(), shape=shapes, dtype=INT_DTYPES)
def test_random_integer_tensors_print_like_torch(data, shape, dtype):
    info = np.iinfo(dtype) if dtype != "bool" else None
    if info is None:
        array = data.draw(hnp.arrays(np.bool_, shape))
    else:
        low, high = max(info.min, -(10**6)), min(info.max, 10**6)
        array = data.draw(hnp.arrays(dtype, shape, elements=st.integers(low, high)))
    assert_prints_like_torch(print_pair(array))


@settings(max_examples=20, deadline=None)
@given(length=st.integers(995, 1400), columns=st.sampled_from([1, 2, 5]))
def test_random_large_tensors_are_summarised_like_torch(length, columns):
    array = (np.arange(length * columns, dtype=np.float32) / 3).reshape(length, columns)
    assert_prints_like_torch(print_pair(array))


def test_the_types_the_book_prints_are_named_like_torchs():
    """§2.1 prints type(x): <class 'torch.Tensor'>, not a path inside the package."""
    for lib in (ember, torch):
        x = lib.ones(2)
        names = [str(type(value)) for value in (x, x.shape, x.dtype, x.device)]
        prefix = lib.__name__
        assert names == [
            f"<class '{prefix}.{name}'>" for name in ("Tensor", "Size", "dtype", "device")
        ]
    x = ember.ones(2)
    for value in (x, x.shape, x.dtype, x.device):  # still found where pickle looks
        assert type(pickle.loads(pickle.dumps(value))) is type(value)


@pytest.mark.parametrize(
    "reduce",
    [
        lambda lib, x: x.max(dim=1),
        lambda lib, x: lib.min(x, 0, keepdim=True),
        lambda lib, x: x[0, 0].max(0),
    ],
    ids=["max_dim", "min_keepdim", "max_of_0d"],
)
def test_values_and_indices_print_as_torchs(reduce):
    """torch.return_types.max(\\nvalues=...,\\nindices=...), with ember's name."""
    array = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    ember_pair = reduce(ember, ember.tensor(array))
    torch_pair = reduce(torch, torch.tensor(array))
    assert repr(ember_pair) == repr(torch_pair).replace("torch.", "ember.")
    values, indices = ember_pair  # still a tuple with named fields
    assert values is ember_pair.values and indices is ember_pair.indices
    assert type(pickle.loads(pickle.dumps(ember_pair))) is type(ember_pair)
