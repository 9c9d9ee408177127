"""What is not a tensor gets PyTorch's TypeError, not a failure deep inside an op.

``ember.exp(2.0)``, ``ember.matmul(x, [[1.0]])`` and ``x + [1, 2]`` are a
learner's first mistakes; PyTorch refuses each with a TypeError, and so does
ember, naming the function and the type it got. ``x == None`` is False, as
in PyTorch.
"""

import warnings

import numpy as np
import pytest
import torch
from oracle import assert_same, check_error

import ember

# Functions whose first argument must be a tensor, with the tensors that follow it.
FIRST_ARGUMENT = {
    name: 0
    for name in """
        abs absolute all amax amin any argmax argmin argwhere ceil clone cos count_nonzero
        detach empty_like exp expm1 flatten flip floor is_floating_point isfinite isinf isnan
        log log10 log1p log2 logical_not mean neg negative nonzero numel ones_like prod
        rand_like randn_like reciprocal relu round rsqrt sigmoid sign sin sqrt square squeeze
        std sum t tanh trunc unbind var zeros_like
    """.split()
}
FIRST_ARGUMENT.update(
    {
        name: 1
        for name in """
            allclose eq ge gt isclose le logical_and logical_or lt max maximum min minimum ne
            where bmm dot equal inner matmul mm mv outer masked_fill
        """.split()
    }
)
SECOND_ARGUMENT = "bmm dot equal inner matmul mm mv outer".split()
NOT_TENSORS = {"list": [1.0, 2.0], "float": 2.0, "ndarray": np.ones(2, np.float32), "none": None}


def call(lib, name, *args):
    return getattr(lib, name)(*args)


@pytest.mark.parametrize("kind", list(NOT_TENSORS))
@pytest.mark.parametrize("name", sorted(FIRST_ARGUMENT))
def test_functions_refuse_what_is_not_a_tensor_as_their_input(name, kind):
    bad = NOT_TENSORS[kind]
    error = check_error(
        lambda lib: call(lib, name, bad, *[lib.ones(2)] * FIRST_ARGUMENT[name]), error=TypeError
    )
    assert f"{getattr(ember, name).__name__}()" in str(error)
    assert type(bad).__name__ in str(error)


@pytest.mark.parametrize("name", SECOND_ARGUMENT)
def test_products_refuse_what_is_not_a_tensor_as_their_second_operand(name):
    operands = {"bmm": (1, 2, 2), "dot": (2,), "inner": (2,), "outer": (2,), "mv": (2, 2)}
    shape = operands.get(name, (2, 2))
    check_error(lambda lib: call(lib, name, lib.ones(shape), [[1.0, 2.0]]), error=TypeError)


def test_an_input_given_by_keyword_is_checked_too():
    check_error(lambda lib: lib.sum(input=[1.0, 2.0]), error=TypeError)
    assert_same(ember.sum(input=ember.ones(3)), torch.sum(input=torch.ones(3)))


def test_the_wrapped_functions_keep_their_names_and_signatures():
    import inspect

    assert ember.sum.__name__ == "sum" and ember.exp.__doc__ == ember.Tensor.exp.__doc__
    assert list(inspect.signature(ember.matmul).parameters)[:2] == ["input", "other"]


def test_methods_and_arithmetic_with_numbers_are_unchanged():
    x = np.array([1.0, -2.0, 3.0], np.float32)
    for fn in (
        lambda lib, t: lib.add(2.0, t),
        lambda lib, t: lib.pow(2, t),
        lambda lib, t: lib.remainder(5, t),
        lambda lib, t: lib.where(t > 0, t, 0.0),
        lambda lib, t: t.exp().sum(),
    ):
        assert_same(fn(ember, ember.tensor(x)), fn(torch, torch.tensor(x)))


OPERATORS = {
    "add": lambda lib, x, other: x + other,
    "radd": lambda lib, x, other: other + x,
    "sub": lambda lib, x, other: x - other,
    "rsub": lambda lib, x, other: other - x,
    "mul": lambda lib, x, other: x * other,
    "div": lambda lib, x, other: x / other,
    "pow": lambda lib, x, other: x**other,
    "lt": lambda lib, x, other: x < other,
    "ge": lambda lib, x, other: x >= other,
    "matmul": lambda lib, x, other: x @ other,
    "method_add": lambda lib, x, other: x.add(other),
    "method_maximum": lambda lib, x, other: x.maximum(other),
    "function_mul": lambda lib, x, other: lib.mul(x, other),
}


@pytest.mark.parametrize("other", [[1.0, 2.0], (1.0, 2.0), None, "a"], ids=repr)
@pytest.mark.parametrize("op", list(OPERATORS))
def test_operators_refuse_lists_none_and_strings(op, other):
    check_error(lambda lib: OPERATORS[op](lib, lib.ones(2), other), error=TypeError)


@pytest.mark.parametrize("other", [None, [1.0, 2.0], "a", object()], ids=repr)
def test_equality_with_what_is_not_a_tensor_is_pythons_identity_test(other):
    for lib in (ember, torch):
        x = lib.ones(2)
        assert (x == other) is False and (x != other) is True
    assert (ember.ones(2).grad == None) is True  # noqa: E711 - the learner's spelling


def test_an_ndarray_operand_still_works_as_in_torch():
    x, other = np.array([1.0, 2.0], np.float32), np.array([3.0, 5.0], np.float32)
    with pytest.warns(DeprecationWarning):  # torch's __array_wrap__ under NumPy 2
        expected = torch.tensor(x) + other
    assert_same(ember.tensor(x) + other, expected)
    assert_same(ember.tensor(x) == other, torch.tensor(x) == torch.tensor(other))


@pytest.mark.parametrize("name", ["hstack", "vstack"])
def test_hstack_and_vstack_check_their_list(name):
    check_error(lambda lib: getattr(lib, name)([]), error=RuntimeError)
    check_error(lambda lib: getattr(lib, name)([[1.0, 2.0], lib.ones(2)]), error=TypeError)
    check_error(lambda lib: getattr(lib, name)([lib.ones(2), 3.0]), error=TypeError)


NN_FUNCTIONS = {
    "relu": lambda lib, bad: lib.nn.functional.relu(bad),
    "relu_": lambda lib, bad: lib.nn.functional.relu_(bad),
    "dropout": lambda lib, bad: lib.nn.functional.dropout(bad),
    "linear": lambda lib, bad: lib.nn.functional.linear(bad, lib.ones(1, 2)),
    "linear_weight": lambda lib, bad: lib.nn.functional.linear(lib.ones(2), bad),
    "cross_entropy": lambda lib, bad: lib.nn.functional.cross_entropy(bad, lib.tensor([0])),
    "nll_loss": lambda lib, bad: lib.nn.functional.nll_loss(bad, lib.tensor([0])),
    "Linear": lambda lib, bad: lib.nn.Linear(2, 1)(bad),
    "ReLU": lambda lib, bad: lib.nn.ReLU()(bad),
}


@pytest.mark.parametrize("kind", ["list", "float"])
@pytest.mark.parametrize("call_name", list(NN_FUNCTIONS))
def test_nn_functions_refuse_what_is_not_a_tensor(call_name, kind):
    check_error(lambda lib: NN_FUNCTIONS[call_name](lib, NOT_TENSORS[kind]), error=TypeError)


@pytest.mark.parametrize("dtype", ["int64", "bool"])
def test_dropout_of_an_integer_or_bool_tensor_is_a_runtime_error_when_it_scales(dtype):
    error = check_error(lambda lib: lib.nn.Dropout(0.5)(lib.ones(3, dtype=getattr(lib, dtype))))
    assert type(error) is RuntimeError  # not its subclass NotImplementedError
    for p in (0.0, 1.0):  # nothing to scale: both give the input's dtype
        for lib in (ember, torch):
            out = lib.nn.functional.dropout(lib.ones(3, dtype=getattr(lib, dtype)), p)
            assert str(out.dtype).endswith(dtype)


def test_aliases_that_torch_has_exist():
    """Names PyTorch gives the same ops: swapaxes/swapdims, adjoint, inverse, and the
    bernoulli and multinomial methods."""
    x = np.array([[0.2, 0.9, 0.5], [0.1, 0.4, 0.7]], np.float32)
    for fn in (
        lambda lib, t: lib.swapaxes(t, 0, 1),
        lambda lib, t: lib.swapdims(t, 1, 0),
        lambda lib, t: lib.adjoint(t),
        lambda lib, t: t.adjoint(),
        lambda lib, t: lib.inverse(t[:, :2]),
        lambda lib, t: t.bernoulli().shape,
        lambda lib, t: t.multinomial(2).shape,
    ):
        ember_out, torch_out = fn(ember, ember.tensor(x)), fn(torch, torch.tensor(x))
        if isinstance(torch_out, torch.Size):
            assert tuple(ember_out) == tuple(torch_out)
        else:
            assert_same(ember_out, torch_out)


@pytest.mark.parametrize(
    "case",
    [
        lambda t: t.ones(2, 3).transpose(True, 0),
        lambda t: t.ones(2, 3).sum(True),
        lambda t: t.ones(2, 3).unsqueeze(True),
        lambda t: t.ones(2, 3).narrow(True, 0, 1),
        lambda t: t.cat([t.ones(2), t.ones(2)], True),
        lambda t: t.ones(2, 3).softmax(True),
        lambda t: t.ones(2, 3).size(True),
        lambda t: t.tensor(1).unflatten(1, (1, -1)),
    ],
    ids=["transpose", "sum", "unsqueeze", "narrow", "cat", "softmax", "size", "unflatten_0d"],
)
def test_a_bool_is_no_dim_as_in_torch(case):
    # the attributes pass (seventeenth day): ember read True as dim 1
    check_error(case)


def test_a_bool_among_several_dims_reads_as_an_int_as_in_torch():
    assert_same(ember.ones(2, 3).sum((0, True)), torch.ones(2, 3).sum((0, True)))


def test_matmul_of_0d_tensors_reports_their_dims_before_their_dtype():
    # the d2l pass (seventeenth day): two 0-d bools got the bool NotImplementedError
    check_error(lambda t: t.matmul(t.tensor(True), t.tensor(True)))


# The shape-methods pass (eleventh, eighteenth day) ------------------------------------


@pytest.mark.parametrize(
    "name",
    "matmul dot inner mm mv bmm outer ger vdot equal expand_as view_as reshape_as type_as "
    "copy_".split(),
)
def test_a_method_given_no_tensor_as_its_operand_is_a_type_error(name):
    # ember failed deep inside the op with AttributeError (outer and ger: RuntimeError)
    check_error(lambda t: getattr(t.ones(2, 2), name)("a"))


@pytest.mark.parametrize(
    "case",
    [
        lambda t: t.mm(t.ones(2, 2, dtype=t.bool), t.ones(2, 2, dtype=t.int64)),
        lambda t: t.matmul(t.ones(1, 2, 2, dtype=t.bool), t.ones(1, 2, 2, dtype=t.int64)),
        lambda t: t.matmul(t.ones(1, 2, 2, dtype=t.int64), t.ones(1, 2, 2, dtype=t.bool)),
        lambda t: t.mm(t.ones(2, 3, dtype=t.bool), t.ones(2, 2, dtype=t.bool)),
        lambda t: t.mm(t.ones(2, 3), t.ones(2, 2, dtype=t.float64)),
        lambda t: t.dot(t.ones(0, dtype=t.bool), t.ones(0, dtype=t.bool)),
        lambda t: t.mv(t.ones(()), t.ones(2)),
    ],
    ids=["bool_int", "batched_bool_int", "batched_int_bool", "sizes", "sizes_dtypes", "dot", "mv"],
)
def test_matrix_products_check_sizes_dtypes_and_bools_in_torch_order(case):
    # ember refused any bool first, and checked dtypes before the inner sizes
    check_error(case)


@pytest.mark.parametrize("shapes", [((0, 0), (0, 0)), ((2, 0), (0, 3)), ((0, 2), (2,))])
def test_an_empty_matrix_product_of_bools_is_computed_as_in_torch(shapes):
    for lib in (torch, ember):
        a, b = (lib.ones(shape, dtype=lib.bool) for shape in shapes)
        result = lib.matmul(a, b)
        assert (
            str(result.dtype).endswith("bool")
            and result.tolist()
            == torch.matmul(*(torch.ones(shape, dtype=torch.bool) for shape in shapes)).tolist()
        )


@pytest.mark.parametrize(
    "case",
    [
        lambda t: t.meshgrid(t.ones(2), 2, indexing="ji"),
        lambda t: t.meshgrid(t.ones(2), t.ones(2, dtype=t.int64), indexing="ji"),
    ],
    ids=["types_first", "dtypes_first"],
)
def test_meshgrid_checks_in_torch_order(case):
    # ember checked indexing first (RuntimeError where torch's TypeError comes first)
    check_error(case)


def test_as_strided_takes_a_0d_integer_tensor_as_storage_offset():
    expected = torch.arange(6.0).as_strided((2,), (1,), torch.tensor(2))
    assert_same(ember.arange(6.0).as_strided((2,), (1,), ember.tensor(2)), expected)
    check_error(lambda t: t.arange(6.0).as_strided((2,), (1,), True))


# The comparisons pass (eleventh, eighteenth day), outside its files -------------------


def test_where_takes_a_uint8_condition_with_torch_deprecation_warning():
    results = []
    for lib in (torch, ember):
        condition = lib.tensor([128, 0], dtype=lib.uint8)
        with pytest.warns(UserWarning, match="uint8 condition"):
            results.append(lib.where(condition, 127, lib.tensor([7, 7], dtype=lib.uint8)))
    assert_same(results[1], results[0])
    check_error(lambda t: t.where(t.tensor([1, 0]), 1.0, 2.0))  # int64: still refused


def test_nan_to_num_of_an_empty_expanded_tensor_and_of_a_float16_overflow():
    assert_same(
        ember.ones(1, 1).expand(0, 1).nan_to_num(), torch.ones(1, 1).expand(0, 1).nan_to_num()
    )
    with warnings.catch_warnings():
        # NumPy's "overflow encountered in cast", from its own module, reached the user
        warnings.filterwarnings("error", category=RuntimeWarning, module="numpy")
        result = ember.tensor([float("inf")], dtype=ember.float16).nan_to_num(posinf=1e5)
    assert_same(result, torch.tensor([float("inf")], dtype=torch.float16).nan_to_num(posinf=1e5))


@pytest.mark.parametrize(
    "case",
    [
        lambda t: t.ones(2, 2, dtype=t.bool).argmax(dim=1.0),
        lambda t: t.ones(2, 2, dtype=t.bool).argmin(dim=1.0),
        lambda t: t.ones(2).nonzero(as_tuple=1),
    ],
    ids=["argmax_dim_before_bool", "argmin_dim_before_bool", "nonzero_as_tuple_int"],
)
def test_argument_types_read_before_the_dtype_as_in_torch(case):
    check_error(case)


# The in-place forms pass (eleventh, eighteenth day), outside its files ----------------


@pytest.mark.parametrize(
    "case",
    [
        lambda t: t.tensor([1.0], dtype=t.float16).add_(t.tensor([3], dtype=t.uint8), alpha=-1),
        lambda t: t.tensor([1], dtype=t.int64).sub_(t.tensor([100], dtype=t.int8), alpha=100),
    ],
    ids=["uint8_times_minus_one", "int8_times_100"],
)
def test_add_and_sub_scale_by_alpha_in_the_result_dtype(case):
    # alpha * other was computed in other's own dtype, which wrapped (253.5 for -2.5)
    assert_same(case(ember), case(torch))


@pytest.mark.parametrize(
    "case",
    [
        lambda t: t.ones(2).atan2(2.0),
        lambda t: t.ones(2).atan2_(2.0),
        lambda t: t.ones(2).arctan2_(2),
        lambda t: t.ones(2).hypot(2.0),
        lambda t: t.ones(2).hypot_(2.0),
        lambda t: t.clamp(t.ones(2), t.zeros(2), 0.5),
        lambda t: t.ones(2).clamp_(0.0, t.ones(2)),
        lambda t: t.clamp(*(t.tensor([True, False]) for _ in range(3))),
        lambda t: t.ones(2).bitwise_and_(t.ones(3, dtype=t.int64)),
    ],
    ids=[
        "atan2_number",
        "atan2__number",
        "arctan2__number",
        "hypot_number",
        "hypot__number",
        "clamp_tensor_and_number",
        "clamp__number_and_tensor",
        "clamp_bools_between_bools",
        "shape_before_dtype",
    ],
)
def test_in_place_pass_refusals_match_torch(case):
    # ember computed each (the shape case: NotImplementedError for the float dtype first)
    check_error(case)


def test_fmod_by_a_python_bool_computes_as_in_torch():
    assert_same(
        ember.fmod(ember.tensor([3.0, 4.0]), True), torch.fmod(torch.tensor([3.0, 4.0]), True)
    )


def test_a_refused_in_place_cast_names_the_dtypes_as_torch():
    error = check_error(lambda t: t.ones(2, dtype=t.int8).add_(1.5))
    assert "result type Float can't be cast to the desired output type Char" in str(error)
    error = check_error(lambda t: t.ones(2, dtype=t.bool).add_(1))
    assert "result type Long can't be cast to the desired output type Bool" in str(error)


# The second wave (eleventh pass), outside its files --------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        lambda t: t.tensor(True).cumsum_(1),
        lambda t: t.ones(2).cumsum_(1.0),
        lambda t: t.ones(2, dtype=t.bool).cumsum_(5),
        lambda t: t.ones(2).sum([0.5]),
        lambda t: t.ones(2, 2).median(0, 1),
        lambda t: t.ones(2, 2).nanmedian(0, 1),
        lambda t: t.ones(2, 2).mode(0, 1),
    ],
    ids=[
        "cumsum__dim_of_0d_bool",
        "cumsum__float_dim",
        "cumsum__dim_before_bool",
        "float_dim_in_a_list",
        "median_keepdim_1",
        "nanmedian_keepdim_1",
        "mode_keepdim_1",
    ],
)
def test_second_wave_argument_refusals_match_torch(case):
    # ember refused the bool dtype first, read 0.5 as an out-of-range dim, or took 1
    check_error(case)


@pytest.mark.parametrize(
    "case",
    [
        lambda t: t.tensor(True).cumsum_(0),
        lambda t: t.ones(0, dtype=t.bool).cumprod_(0),
        lambda t: t.arange(3.0).cumsum_(axis=0),
    ],
    ids=["0d_bool", "empty_bool", "axis"],
)
def test_cumulative_in_place_takes_what_torch_takes(case):
    assert_same(case(ember), case(torch))
