"""T11: dtypes, conversions and PyTorch's type promotion, every pair of operand kinds."""

import enum
import itertools
import warnings

import numpy as np
import pytest
import torch
from oracle import assert_same, check, check_error, check_outcome

import ember

DTYPES = ["float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]


def operand(lib, dtype, zero_dim):
    values = np.array([3, 1, 2]) if dtype != "bool" else np.array([True, False, True])
    values = values.astype(dtype)
    return lib.tensor(values[0] if zero_dim else values)


OPS = {
    "add": lambda x, y: x + y,
    "mul": lambda x, y: x * y,
    "true_divide": lambda x, y: x / y,
    "maximum": lambda x, y: (
        torch.maximum(x, y) if isinstance(x, torch.Tensor) else ember.maximum(x, y)
    ),
    "lt": lambda x, y: x < y,
    "eq": lambda x, y: x == y,
}


def run_both(fn, make_ember, make_torch):
    results = []
    for lib, make in ((ember, make_ember), (torch, make_torch)):
        try:
            results.append(fn(*make(lib)))
        except Exception as error:  # noqa: BLE001 - compare the error types below
            results.append(error)
    ember_result, torch_result = results
    if isinstance(torch_result, Exception):
        assert isinstance(ember_result, Exception), f"torch raised {torch_result!r}, ember did not"
        return
    assert not isinstance(ember_result, Exception), f"ember raised {ember_result!r}"
    assert_same(ember_result, torch_result, atol=1e-3, rtol=1e-3)


@pytest.mark.parametrize("op", sorted(OPS))
@pytest.mark.parametrize(
    "first_zero_dim, second_zero_dim", [(False, False), (False, True), (True, False), (True, True)]
)
def test_tensor_with_tensor(op, first_zero_dim, second_zero_dim):
    for first, second in itertools.product(DTYPES, DTYPES):
        if op == "add" and first == second == "bool":
            continue  # bool + bool is bool in both; numpy's add is logical or
        fn = OPS[op]

        def make(lib, first=first, second=second):
            return operand(lib, first, first_zero_dim), operand(lib, second, second_zero_dim)

        try:
            run_both(fn, make, make)
        except AssertionError as error:
            raise AssertionError(f"{first} {op} {second}: {error}") from None


NUMBERS = [2, 2.5, True, -3]


@pytest.mark.parametrize(
    "op", ["add", "mul", "true_divide", "lt", "rsub", "rmul", "pow", "floordiv", "mod"]
)
@pytest.mark.parametrize("zero_dim", [False, True])
def test_tensor_with_python_number(op, zero_dim):
    fns = {
        **OPS,
        "rsub": lambda x, y: y - x,
        "rmul": lambda x, y: y * x,
        "pow": lambda x, y: x ** abs(y),
        "floordiv": lambda x, y: x // y,
        "mod": lambda x, y: x % y,
    }
    for dtype, number in itertools.product(DTYPES, NUMBERS):
        if dtype == "bool" and op in ("rsub", "pow", "floordiv", "mod"):
            continue

        def make(lib, dtype=dtype, number=number):
            return operand(lib, dtype, zero_dim), number

        try:
            run_both(fns[op], make, make)
        except AssertionError as error:
            raise AssertionError(f"{dtype} {op} {number!r}: {error}") from None


NUMPY_SCALARS = [np.float64(2.5), np.float32(2.5), np.float16(2.5), np.int64(-3), np.int8(2)]
NUMPY_SCALARS += [np.uint8(2), np.bool_(True)]


@pytest.mark.parametrize("op", ["add", "mul", "true_divide", "lt", "rmul", "floordiv"])
@pytest.mark.parametrize("number", NUMPY_SCALARS, ids=lambda number: type(number).__name__)
def test_tensor_with_numpy_scalar_takes_it_as_a_python_number(op, number):
    """``t * np.float64(2.5)`` stays float32, as in PyTorch; NumPy's rule would widen it."""
    fns = {**OPS, "rmul": lambda x, y: y * x, "floordiv": lambda x, y: x // y}
    for dtype in DTYPES:
        if dtype == "bool" and op == "floordiv":
            continue

        def make(lib, dtype=dtype):
            return operand(lib, dtype, False), number

        try:
            run_both(fns[op], make, make)
        except AssertionError as error:
            raise AssertionError(f"{dtype} {op} {number!r}: {error}") from None


NUMPY_SCALAR_CASES = {
    "clamp": lambda t, x: t.clamp(x, np.float64(-0.5), np.float64(0.5)),
    "where": lambda t, x: t.where(x > 0, x, np.float64(0.0)),
    "pow": lambda t, x: x ** np.float64(2.0),
    "rpow": lambda t, x: np.float64(2.0) ** x,
    "add alpha": lambda t, x: t.add(x, np.float64(1.0), alpha=2),
    "in-place sub": lambda t, x: x.clone().sub_(np.float64(0.1)),
    "in-place mul of ints": lambda t, x: (x > 0).long().mul_(np.int64(3)),
    "masked_fill": lambda t, x: x.masked_fill(x > 0, np.float64(7.0)),
}


@pytest.mark.parametrize("case", sorted(NUMPY_SCALAR_CASES))
def test_numpy_scalars_in_other_ops_keep_the_tensors_dtype(case):
    result = check_outcome(NUMPY_SCALAR_CASES[case], np.array([-1.0, 0.25, 2.0], np.float32))
    assert result.dtype == ember.float32 or case == "in-place mul of ints"


def test_numpy_integer_exponent_keeps_pytorchs_error_for_negative_powers_of_ints():
    check_outcome(lambda t, x: x.long() ** np.int64(-1), np.array([1.0, 2.0], np.float32))


# The cases the notes and learners meet first, spelled out -------------------------------

PROMOTIONS = [
    ("float32_times_python_float", lambda t: t.ones(3) * 2.5, "float32"),
    ("int_divided_by_int", lambda t: t.arange(4) / 2, "float32"),
    ("int_tensor_true_divide_int_tensor", lambda t: t.arange(4) / t.arange(1, 5), "float32"),
    ("int_times_python_float", lambda t: t.arange(4) * 1.5, "float32"),
    ("int_plus_python_int", lambda t: t.arange(4) + 1, "int64"),
    ("comparison", lambda t: t.arange(4.0) > 1, "bool"),
    (
        "vector_times_float64_scalar",
        lambda t: t.ones(3) * t.tensor(2.0, dtype=t.float64),
        "float32",
    ),
    ("int_vector_times_float_scalar", lambda t: t.arange(3) * t.tensor(2.0), "float32"),
    ("int32_vector_plus_int64_scalar", lambda t: t.arange(3, dtype=t.int32) + t.tensor(5), "int32"),
    (
        "float16_plus_float32_scalar",
        lambda t: t.ones(2, dtype=t.float16) + t.tensor(1.0),
        "float16",
    ),
    ("float32_plus_float64", lambda t: t.ones(2) + t.ones(2, dtype=t.float64), "float64"),
    ("int64_plus_float32", lambda t: t.arange(2) + t.ones(2), "float32"),
    ("int64_plus_float16", lambda t: t.arange(2) + t.ones(2, dtype=t.float16), "float16"),
    ("uint8_plus_int8", lambda t: t.ones(2, dtype=t.uint8) + t.ones(2, dtype=t.int8), "int16"),
    ("bool_plus_int", lambda t: t.tensor([True, False]) + 1, "int64"),
    ("bool_times_float", lambda t: t.tensor([True, False]) * 1.5, "float32"),
    ("zero_dim_pair", lambda t: t.tensor(1) + t.tensor(2.0, dtype=t.float64), "float64"),
    ("sum_of_ints", lambda t: t.arange(4, dtype=t.int32).sum(), "int64"),
    ("sum_of_bools", lambda t: t.tensor([True, True]).sum(), "int64"),
    ("mean_of_float16", lambda t: t.ones(3, dtype=t.float16).mean(), "float16"),
    ("exp_of_int", lambda t: t.exp(t.arange(3)), "float32"),
    ("sqrt_of_bool", lambda t: t.sqrt(t.tensor([True])), "float32"),
    ("where_mixed", lambda t: t.where(t.tensor([True, False]), t.arange(2), 0.5), "float32"),
    ("where_scalars", lambda t: t.where(t.tensor([True, False]), 1, 0), "int64"),
    ("where_floats", lambda t: t.where(t.tensor([True, False]), 1.0, 0.0), "float32"),
    ("int_pow_float", lambda t: t.arange(3) ** 0.5, "float32"),
    ("float_pow_int_tensor", lambda t: 2.0 ** t.arange(3), "float32"),
    ("int_rpow_int", lambda t: 2 ** t.arange(3), "int64"),
    ("clamp_int_with_float", lambda t: t.clamp(t.arange(4), 0.5, 2.5), "float32"),
    (
        "matmul_float64",
        lambda t: t.ones(2, 2, dtype=t.float64) @ t.ones(2, dtype=t.float64),
        "float64",
    ),
    ("cat_int_float", lambda t: t.cat([t.arange(2), t.ones(2)]), "float32"),
    ("stack_bool_int", lambda t: t.stack([t.tensor([True]), t.tensor([3])]), "int64"),
    ("floor_divide_float", lambda t: t.arange(4) // 1.5, "float32"),
    ("remainder_int_float", lambda t: t.arange(4) % 1.5, "float32"),
    ("neg_int32", lambda t: -t.arange(3, dtype=t.int32), "int32"),
    ("abs_int8", lambda t: t.abs(t.tensor([-3], dtype=t.int8)), "int8"),
    ("maximum_int_float", lambda t: t.maximum(t.arange(3), t.ones(3)), "float32"),
]


@pytest.mark.parametrize("fn, dtype", [c[1:] for c in PROMOTIONS], ids=[c[0] for c in PROMOTIONS])
def test_result_dtype(fn, dtype):
    ember_result, torch_result = fn(ember), fn(torch)
    assert ember_result.dtype.name == dtype
    assert_same(ember_result, torch_result)


def test_promote_types_and_result_type_match_torch():
    for first, second in itertools.product(DTYPES, DTYPES):
        got = ember.promote_types(getattr(ember, first), getattr(ember, second))
        expected = torch.promote_types(getattr(torch, first), getattr(torch, second))
        assert got.name == str(expected).replace("torch.", ""), (first, second)
    for number in (1, 1.5, True):
        for dtype in DTYPES:
            got = ember.result_type(ember.ones(2, dtype=getattr(ember, dtype)), number)
            expected = torch.result_type(torch.ones(2, dtype=getattr(torch, dtype)), number)
            assert got.name == str(expected).replace("torch.", ""), (dtype, number)


def test_can_cast_matches_torch():
    for first, second in itertools.product(DTYPES, DTYPES):
        got = ember.can_cast(getattr(ember, first), getattr(ember, second))
        assert got == torch.can_cast(getattr(torch, first), getattr(torch, second)), (first, second)
    with pytest.raises(TypeError, match="from_"):
        ember.can_cast(1, ember.float32)
    with pytest.raises(TypeError):
        torch.can_cast(torch.int8, "float32")
    with pytest.raises(TypeError, match="'to'"):
        ember.can_cast(ember.int8, "float32")


def test_default_dtype_can_be_changed_and_restored():
    try:
        ember.set_default_dtype(ember.float64)
        assert ember.tensor([1.5]).dtype == ember.float64
        assert ember.arange(3).dtype == ember.int64
        assert (ember.arange(3) / 2).dtype == ember.float64
        assert ember.ones(2).dtype == ember.float64
    finally:
        ember.set_default_dtype(ember.float32)
    assert ember.get_default_dtype() == ember.float32 == ember.float


# Conversions -----------------------------------------------------------------------------

CONVERSIONS = [
    ("to_float64", lambda t, x: x.to(t.float64)),
    ("to_keyword", lambda t, x: x.to(dtype=t.int32)),
    ("to_device_and_dtype", lambda t, x: x.to(x.device.type, t.float16)),
    ("to_other_tensor", lambda t, x: x.to(t.zeros(1, dtype=t.int64))),
    ("float", lambda t, x: x.float()),
    ("double", lambda t, x: x.double()),
    ("half", lambda t, x: x.half()),
    ("long", lambda t, x: x.long()),
    ("int", lambda t, x: x.int()),
    ("short", lambda t, x: x.short()),
    ("bool", lambda t, x: x.bool()),
    ("byte", lambda t, x: x.abs().byte()),
    ("type_as", lambda t, x: x.type_as(t.zeros(1, dtype=t.float64))),
    ("type_dtype", lambda t, x: x.type(t.int16)),
    ("chain", lambda t, x: x.long().float().bool().int()),
]
FRACTIONS = np.array([[-2.7, -0.5, 0.0], [0.4, 1.5, 3.99]], dtype=np.float32)


@pytest.mark.parametrize("fn", [c[1] for c in CONVERSIONS], ids=[c[0] for c in CONVERSIONS])
def test_conversions(fn):
    check(fn, [FRACTIONS])


@pytest.mark.parametrize("fn", [c[1] for c in CONVERSIONS], ids=[c[0] for c in CONVERSIONS])
def test_conversions_of_ints(fn):
    check(fn, [np.array([[-3, 0, 2], [1, 7, 0]], dtype=np.int64)])


def test_conversion_to_same_dtype_returns_self():
    x = ember.ones(2)
    assert x.to(ember.float32) is x and x.float() is x
    assert x.to(ember.float32, copy=True) is not x


@pytest.mark.parametrize(
    "convert",
    [
        lambda t, x: x.to(t.float64, True),  # (dtype, non_blocking)
        lambda t, x: x.to("cpu", t.float64, False),  # (device, dtype, non_blocking)
        lambda t, x: x.to(t.float32, False, True),  # (dtype, non_blocking, copy)
        lambda t, x: x.to(t.float32, False, False),
        lambda t, x: x.to("cpu", t.float32, False, True),
        lambda t, x: x.to(x, True, True),  # (other, non_blocking, copy)
        lambda t, x: x.to(x, False),
    ],
)
def test_to_takes_non_blocking_and_copy_after_the_target_like_torch(convert):
    outcomes = []
    for lib in (ember, torch):
        x = lib.ones(2)
        converted = convert(lib, x)
        outcomes.append((str(converted.dtype).split(".")[1], converted is x))
    assert outcomes[0] == outcomes[1]


def test_gradient_flows_through_dtype_conversion():
    check(lambda t, x: (x.double() * 2).float() ** 2, [(3,)])


INTEGER_CASTS = {
    "long": lambda t, x: x.long(),
    "int": lambda t, x: x.int(),
    "bool": lambda t, x: x.bool(),
    "to": lambda t, x: x.to(t.int64),
    "type": lambda t, x: x.type(t.int32),
    "long_then_index": lambda t, x: x.long()[1:],
    "long_times_x": lambda t, x: x.long() * 2,
}


@pytest.mark.parametrize("cast", sorted(INTEGER_CASTS))
def test_a_cast_to_integers_ends_the_graph_as_in_pytorch(cast):
    """An integer or bool result has no gradient: it does not require grad, and nothing
    flows back through it (``x.long() * x`` gives x.long() as x's gradient)."""
    for lib in (ember, torch):
        x = lib.tensor([1.5, -2.5, 3.0], requires_grad=True)
        result = INTEGER_CASTS[cast](lib, x)
        assert not result.requires_grad and result.grad_fn is None, (lib.__name__, cast)
    check(lambda t, x: x.long() * x + x.bool() * x, [np.array([1.5, -2.5, 0.0], np.float32)])


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: x.sum(dtype=t.int64),
        lambda t, x: x.prod(dtype=t.int64),
        lambda t, x: x.cumsum(0, dtype=t.int32),
    ],
    ids=["sum", "prod", "cumsum"],
)
def test_reducing_a_tensor_that_requires_grad_into_integers_is_refused(fn):
    arrays = [np.array([1.5, 2.5], np.float32)]
    errors = []
    for lib in (ember, torch):
        x = lib.tensor(arrays[0], requires_grad=True)
        with pytest.raises(RuntimeError) as caught:
            fn(lib, x)
        errors.append(caught.value)
        with lib.no_grad():
            assert fn(lib, x).dtype in (ember.int64, ember.int32, torch.int64, torch.int32)
    assert "dtype" in str(errors[0])


def test_dtype_objects():
    assert ember.float is ember.float32 and ember.double is ember.float64
    assert ember.long is ember.int64 and ember.int is ember.int32 and ember.half is ember.float16
    assert ember.float32.is_floating_point and not ember.int64.is_floating_point
    assert repr(ember.float32) == "ember.float32"
    assert ember.ones(1).dtype == ember.float32
    assert ember.ones(1, dtype=float).dtype == ember.float64  # torch: a Python float is double
    assert str(torch.ones(1, dtype=float).dtype) == "torch.float64"
    assert ember.ones(1, dtype=int).dtype == ember.int64
    assert ember.ones(1, dtype=bool).dtype == ember.bool
    assert ember.ones(1).is_floating_point() and not ember.ones(1).long().is_floating_point()


def test_requires_grad_on_integer_tensor_is_refused():
    check_error(lambda t, x: x.requires_grad_(), np.arange(3))


MIXED = [
    ("float32_vector_float64_scalar", lambda t, x, y: x * y, ["float32", "float64"], [(3,), ()]),
    ("float64_vector_float32_vector", lambda t, x, y: x + y, ["float64", "float32"], [(3,), (3,)]),
    ("float16_and_float32", lambda t, x, y: x * y, ["float16", "float32"], [(2, 3), (3,)]),
    ("float32_and_int", lambda t, x, y: x / y, ["float32", "int64"], [(3,), (3,)]),
    ("int_and_float64", lambda t, x, y: x * y, ["int32", "float64"], [(2, 3), (3,)]),
    ("where_mixed", lambda t, x, y: t.where(x > 0, x, y), ["float32", "float64"], [(3,), (3,)]),
    ("maximum_mixed", lambda t, x, y: t.maximum(x, y), ["float64", "float32"], [(3,), ()]),
    ("cat_mixed", lambda t, x, y: t.cat([x, y]), ["float32", "float64"], [(3,), (2,)]),
]


@pytest.mark.parametrize("fn, dtypes, shapes", [c[1:] for c in MIXED], ids=[c[0] for c in MIXED])
def test_gradients_of_mixed_dtypes_keep_each_input_dtype(fn, dtypes, shapes):
    rng = np.random.default_rng(0)
    arrays = [
        np.asarray(rng.uniform(0.5, 2, shape) * 3, dtype) for dtype, shape in zip(dtypes, shapes)
    ]
    check(fn, arrays, atol=1e-2, rtol=1e-2)


@pytest.mark.parametrize("number", [-1, -255, -256, 255, 256])
def test_negative_python_ints_wrap_into_unsigned_tensors_like_torch(number):
    """uint8 takes -255..255 from a Python int (negatives wrap); beyond that, an error."""

    def store(lib, tensor):
        target = tensor.clone()
        target[0] = number
        return lib.where(tensor > 0, tensor, number), target

    check_outcome(store, np.array([0, 1], dtype="uint8"))


def _updated_under_no_grad(lib, x, number):
    with lib.no_grad():
        x += number
    return x


PAST_INT64 = [2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1, 10**30, -(10**30)]
FLOAT_WITH_AN_INT = {
    "add": lambda lib, x, n: x + n,
    "radd": lambda lib, x, n: n + x,
    "mul": lambda lib, x, n: x * n,
    "eq": lambda lib, x, n: x == n,
    "lt": lambda lib, x, n: x < n,
    "div": lambda lib, x, n: x / n,
    "add_": lambda lib, x, n: x.add_(n),
    "+= under no_grad": _updated_under_no_grad,
}


@pytest.mark.parametrize("number", PAST_INT64, ids=str)
@pytest.mark.parametrize("form", list(FLOAT_WITH_AN_INT))
def test_a_float_tensor_with_an_int_past_uint64_or_int64_is_refused_as_in_torch(form, number):
    """Ints from -2**63 to 2**64 - 1 compute; others are PyTorch's OverflowError (the fast
    paths for a float tensor and a Python number once let them through)."""
    fn = FLOAT_WITH_AN_INT[form]
    check_outcome(lambda lib, x: fn(lib, x, number), np.array([1.0, 2.0], np.float32))


def test_negative_floats_become_uint8_as_torchs_do():
    """PyTorch goes through int64 (-1.0 is 255 as uint8); a direct cast is C's, whose
    negatives are undefined: x86 wraps them as PyTorch does, CuPy and ARM give 0."""
    values = [-1.5, -1.0, -0.5, 300.7, 255.9, 70000.0, float("nan")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NumPy's cast of NaN warns
        got = ember.tensor(values).to(ember.uint8).tolist()
    assert got == torch.tensor(values).to(torch.uint8).tolist()


class _Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class _Rate(float):
    pass


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: t.ones(2) + _Level.HIGH,
        lambda t: t.ones(2, dtype=t.int8) + _Level.HIGH,
        lambda t: t.ones(2, dtype=t.float16) * _Rate(2.0),
        lambda t: t.ones(2) ** _Rate(2.0),
        lambda t: _Rate(3.0) - t.ones(2, dtype=t.int32),
    ],
    ids=["float32+IntEnum", "int8+IntEnum", "float16*float-subclass", "pow", "reflected"],
)
def test_an_int_or_float_subclass_is_a_plain_number_beside_a_tensor(fn):
    """NumPy took an IntEnum or a float subclass for an int64 or float64 operand, and the
    result came out wider; PyTorch reads it as the Python number it is."""
    assert_same(fn(ember), fn(torch))
