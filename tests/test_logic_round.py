"""A differential round on comparisons and logic, in-place ops and dtype conversions
(T6, T9, T11).

Each case runs in ember and in torch: a tensor result must have torch's values, dtype and
shape, an in-place op must return the tensor itself and bump its version as torch does,
and an error must be torch's exception type.
"""

import math

import pytest
import torch
from oracle import assert_same, check_error

import ember


def _int8(t):
    return t.tensor([[1, -2, 3], [0, 4, -1]], dtype=t.int8)


def _floats(t):
    return t.tensor([[1.5, -2.0, 3.0], [0.0, 4.25, -1.0]])


def _row_mask(t):
    return t.tensor([True, False, True])


# (name, fn): fn(lib) returns a tensor result that must equal torch's.
SAME_RESULT = [
    ("clamp_uint8_negative_min_wraps", lambda t: t.tensor([3, 0, 200], dtype=t.uint8).clamp(-1)),
    ("clamp_uint8_max_wraps", lambda t: t.tensor([3, 0, 200], dtype=t.uint8).clamp(max=-129)),
    ("clamp_bool_int_bound", lambda t: t.tensor([True, False]).clamp(min=1)),
    ("clamp_bool_float_bounds", lambda t: t.tensor([True, False]).clamp(0.5, 2.5)),
    ("logical_xor_mixed_dtypes", lambda t: _floats(t).logical_xor(_int8(t))),
    ("masked_fill_broadcast_mask", lambda t: _floats(t).masked_fill(_row_mask(t), 9.0)),
    ("char", lambda t: _floats(t).char()),
]


@pytest.mark.parametrize("make", [c[1] for c in SAME_RESULT], ids=[c[0] for c in SAME_RESULT])
def test_result_matches_torch(make):
    assert_same(make(ember), make(torch), atol=0, rtol=0)


# (name, fn): fn(lib) changes a tensor in place; it must return the tensor, change it to
# torch's values and bump its version once.
IN_PLACE = [
    ("masked_fill__broadcast_mask", lambda t, x: x.masked_fill_(_row_mask(t), 9.5)),
    ("masked_fill__0d_value", lambda t, x: x.masked_fill_(_row_mask(t), t.tensor(9.5))),
    ("div__floor", lambda t, x: x.div_(2, rounding_mode="floor")),
    ("div__trunc", lambda t, x: x.div_(-2, rounding_mode="trunc")),
    ("div__floor_tensor", lambda t, x: x.div_(t.tensor([2.0, 3.0, -2.0]), rounding_mode="floor")),
    ("ifloordiv", lambda t, x: x.__ifloordiv__(2)),
    ("imod", lambda t, x: x.__imod__(2)),
    ("remainder_", lambda t, x: x.remainder_(t.tensor([2.0, 3.0, 4.0]))),
    ("floor_divide_", lambda t, x: x.floor_divide_(2)),
    ("copy__broadcast_row", lambda t, x: x.copy_(t.tensor([1, 2, 3]))),
]
INTEGER_IN_PLACE = [
    ("iand", lambda t, x: x.__iand__(1)),
    ("ior", lambda t, x: x.__ior__(2)),
    ("ixor", lambda t, x: x.__ixor__(t.tensor([1, 0, 1], dtype=t.int8))),
    ("div__floor_int", lambda t, x: x.div_(2, rounding_mode="floor")),
    ("div__trunc_int", lambda t, x: x.div_(-2, rounding_mode="trunc")),
    ("imod_int", lambda t, x: x.__imod__(3)),
    ("masked_fill__int_tensor", lambda t, x: x.masked_fill_(_row_mask(t), 7)),
]


def _check_in_place(change, make):
    results = []
    for lib in (ember, torch):
        x = make(lib)
        before = x.data_ptr()
        returned = change(lib, x)
        assert returned is x
        assert x.data_ptr() == before
        results.append((x, x._version))
    (ember_x, ember_version), (torch_x, torch_version) = results
    assert_same(ember_x, torch_x, atol=0, rtol=0)
    assert ember_version == torch_version


@pytest.mark.parametrize("change", [c[1] for c in IN_PLACE], ids=[c[0] for c in IN_PLACE])
def test_in_place_on_floats_matches_torch(change):
    _check_in_place(change, _floats)


@pytest.mark.parametrize(
    "change", [c[1] for c in INTEGER_IN_PLACE], ids=[c[0] for c in INTEGER_IN_PLACE]
)
def test_in_place_on_integers_matches_torch(change):
    _check_in_place(change, _int8)


def test_in_place_operator_writes_through_a_view_into_its_base():
    for lib in (ember, torch):
        base = lib.tensor([[1, 2, 3], [4, 5, 6]])
        row = base[0]
        row |= 4
        row //= 2
        assert base.tolist() == [[2, 3, 3], [4, 5, 6]]


def test_remainder_in_place_on_a_non_leaf_keeps_the_gradient():
    grads = []
    for lib in (ember, torch):
        x = _floats(lib).requires_grad_(True)
        y = x * 1
        y.remainder_(lib.tensor([2.0, 3.0, 4.0]))
        y.sum().backward()
        grads.append(x.grad)
    assert_same(*grads)


# (name, fn): fn(lib) must raise torch's exception type.
ERRORS = [
    ("clamp_int8_min_out_of_range", lambda t: _int8(t).clamp(min=128)),
    ("clamp_int8_max_out_of_range", lambda t: _int8(t).clamp(max=-129)),
    ("clamp_uint8_min_out_of_range", lambda t: t.tensor([1], dtype=t.uint8).clamp(min=256)),
    ("clamp_bool_by_python_bool", lambda t: t.tensor([True, False]).clamp(min=True)),
    ("masked_fill_int_mask", lambda t: _floats(t).masked_fill(t.tensor([1, 0, 1]), 1.0)),
    ("masked_fill__int_mask", lambda t: _floats(t).masked_fill_(t.tensor([1, 0, 1]), 1.0)),
    ("masked_fill_1d_value", lambda t: _floats(t).masked_fill(_row_mask(t), t.tensor([1.0]))),
    ("masked_fill__1d_value", lambda t: _floats(t).masked_fill_(_row_mask(t), t.tensor([1.0]))),
    ("masked_fill__mask_adds_dims", lambda t: _floats(t).masked_fill_(t.ones(3, 2, 3) > 0, 1.0)),
    ("masked_fill_nan_into_ints", lambda t: _int8(t).masked_fill(_row_mask(t), float("nan"))),
    ("masked_fill__inf_into_ints", lambda t: _int8(t).masked_fill_(_row_mask(t), float("inf"))),
    ("masked_fill_float_out_of_range", lambda t: _int8(t).masked_fill(_row_mask(t), 1e10)),
    (
        "masked_fill_negative_into_uint8",
        lambda t: t.tensor([1, 2, 3], dtype=t.uint8).masked_fill(_row_mask(t), -0.5),
    ),
    ("masked_fill_beyond_float32", lambda t: _floats(t).masked_fill(_row_mask(t), 1e300)),
    ("fill__nan_into_ints", lambda t: _int8(t).fill_(float("nan"))),
    ("copy__source_adds_dims", lambda t: _floats(t)[0].copy_(t.tensor([[1.0, 2.0, 3.0]]))),
    ("div__floor_bool", lambda t: t.tensor([True]).div_(True, rounding_mode="floor")),
    ("div__floor_leaf", lambda t: _floats(t).requires_grad_().div_(2, rounding_mode="floor")),
    ("iand_float", lambda t: _floats(t).__iand__(1)),
    ("iand_leaf_requiring_grad", lambda t: _floats(t).requires_grad_().__iand__(1)),
    ("imod_float_into_int", lambda t: _int8(t).__imod__(1.5)),
    ("type_dtype_name_string", lambda t: _floats(t).type("float")),
    ("type_qualified_dtype_string", lambda t: _floats(t).type(f"{t.__name__}.float32")),
    ("type_unknown_tensor_name", lambda t: _floats(t).type(f"{t.__name__}.FooTensor")),
]


@pytest.mark.parametrize("fn", [c[1] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_error_type_matches_torch(fn):
    check_error(fn)


# Sixteenth day: the in-place comparisons and logical ops, and the tests of infinities,
# realness, truth and size that PyTorch's Tensor has -----------------------------------

IN_PLACE_LOGIC = (
    "eq ne lt le gt ge greater greater_equal less less_equal not_equal "
    "logical_and logical_or logical_xor"
).split()


@pytest.mark.parametrize("name", IN_PLACE_LOGIC)
@pytest.mark.parametrize("dtype", ["float32", "int64", "bool"])
@pytest.mark.parametrize("other", ["tensor", "number", "broadcast", "bigger"])
def test_in_place_comparisons_write_ones_and_zeros_of_the_tensors_dtype(name, dtype, other):
    seen = []
    for lib in (ember, torch):
        x = lib.tensor([[1, 2, 0]]).to(getattr(lib, dtype))
        operand = {
            "tensor": lib.tensor([1.0, 3.0, 0.0]),
            "number": 1,
            "broadcast": lib.tensor([[1]]),
            "bigger": lib.tensor([[1], [2]]),
        }[other]
        try:
            returned = getattr(x, name + "_")(operand)
            seen.append((returned is x, str(x.dtype).split(".")[-1], x.tolist()))
        except Exception as error:  # noqa: BLE001 - the type is what is compared
            seen.append(type(error).__name__)
    assert seen[0] == seen[1]


@pytest.mark.parametrize("dtype", ["float32", "int64", "bool"])
def test_logical_not_and_bitwise_not_in_place(dtype):
    for name in ("logical_not_", "bitwise_not_"):
        seen = []
        for lib in (ember, torch):
            x = lib.tensor([1, 2, 0]).to(getattr(lib, dtype))
            try:
                seen.append((getattr(x, name)() is x, x.tolist()))
            except Exception as error:  # noqa: BLE001
                seen.append(type(error).__name__)
        assert seen[0] == seen[1], name


def test_logical_ops_take_no_number_and_bitwise_not_refuses_floats_as_torch():
    check_error(lambda t: t.logical_and(t.tensor([1, 0]), 1))
    check_error(lambda t: t.tensor([True]).logical_xor(True))
    check_error(lambda t: t.bitwise_not(t.tensor([1.0])), error=NotImplementedError)
    check_error(lambda t: ~t.tensor([1.0]), error=TypeError)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int64", "bool"])
def test_isposinf_isneginf_isreal(dtype):
    values = [1.0, math.inf, -math.inf, math.nan] if "float" in dtype else [1, 0]
    for name in ("isposinf", "isneginf", "isreal"):
        ours = getattr(ember, name)(ember.tensor(values).to(getattr(ember, dtype)))
        theirs = getattr(torch, name)(torch.tensor(values).to(getattr(torch, dtype)))
        assert_same(ours, theirs)


def test_is_nonzero_and_is_same_size():
    assert ember.tensor([0.0]).is_nonzero() is False and ember.tensor(3).is_nonzero() is True
    check_error(lambda t: t.tensor([1.0, 2.0]).is_nonzero())
    check_error(lambda t: t.tensor([]).is_nonzero())
    assert ember.ones(2).is_same_size(ember.ones(2))
    assert not ember.is_same_size(ember.ones(2), ember.ones(1, 2))
