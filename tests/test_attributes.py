"""Tensor attributes against PyTorch (T2): shape and ember.Size, size(), numel, dim, ndim,
dtype, device, len, T, item, tolist, float(), int(), bool(), and their errors."""

import subprocess
import sys
import warnings

import numpy as np
import pytest
import torch
from test_autograd import same, same_error

import ember

SHAPES = [(), (1,), (5,), (2, 3), (3, 1, 4), (2, 0, 3), (1, 1, 1, 2)]


def full_of_numbers(t, shape, dtype="float32"):
    count = int(np.prod(shape)) if shape else 1
    return t.arange(count, dtype=getattr(t, dtype)).reshape(shape)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_shape_size_numel_dim(shape):
    def scenario(t):
        x = full_of_numbers(t, shape)
        return (
            tuple(x.shape),
            repr(x.shape),
            str(x.shape),
            x.size() == x.shape,
            type(x.size()) is t.Size,
            x.numel(),
            x.nelement(),
            t.numel(x),
            x.shape.numel(),
            x.dim(),
            x.ndim,
            x.ndimension(),
            [x.size(d) for d in range(-x.dim(), x.dim())],
            [x.size(dim=d) for d in range(x.dim())],
        )

    same(scenario)


def test_size_repr():
    assert repr(ember.zeros(2, 3).shape) == "ember.Size([2, 3])"
    assert repr(ember.tensor(1.0).shape) == "ember.Size([])"
    assert str(ember.Size([4])) == "ember.Size([4])"


def test_size_is_a_tuple():
    def scenario(t):
        s = t.zeros(2, 3, 4).shape
        return (
            s == (2, 3, 4),
            s[0],
            s[-1],
            type(s[1:]) is t.Size,
            s[1:],
            type(s + (5,)) is t.Size,
            s + (5,),
            type((1,) + s) is t.Size,
            (1,) + s,
            type(s * 2) is t.Size,
            s * 2,
            isinstance(s, tuple),
            len(s),
            list(s),
            hash(s) == hash((2, 3, 4)),
            t.Size([2, 3]) == t.Size((2, 3)),
            t.Size(),
            t.zeros(s).shape == s,
            t.ones(3, 8).reshape(t.Size([2, 12])).shape,
        )

    same(scenario)


@pytest.mark.parametrize("dim", [2, -3, 5])
def test_size_of_a_missing_dim(dim):
    same_error(lambda t: t.zeros(2, 3).size(dim), "Dimension out of range")


@pytest.mark.parametrize("dim", [0, -1])
def test_size_of_a_0d_tensor(dim):
    same_error(lambda t: t.tensor(1.0).size(dim), "tensor has no dimensions")


@pytest.mark.parametrize(
    "dtype", ["float32", "float64", "float16", "int32", "int64", "int8", "uint8", "bool"]
)
def test_dtype_and_its_properties(dtype):
    def scenario(t):
        x = t.zeros(2, dtype=getattr(t, dtype))
        return (
            str(x.dtype),
            repr(x.dtype),
            x.dtype is getattr(t, dtype),
            x.dtype.is_floating_point,
            x.is_floating_point(),
            x.element_size(),
            x.itemsize,
            x.nbytes,
            x.dtype.itemsize,
        )

    same(scenario)


def test_default_dtypes():
    def scenario(t):
        return (
            t.tensor([1.0]).dtype,
            t.tensor([1]).dtype,
            t.tensor([True]).dtype,
            t.arange(3).dtype,
            t.arange(3.0).dtype,
            t.zeros(1).dtype,
            t.get_default_dtype(),
        )

    for e, t in zip(*(scenario(m) for m in (ember, torch))):
        assert str(e) == str(t).replace("torch.", "ember.")


def test_device():
    def scenario(t):
        x = t.zeros(2)
        return (
            str(x.device),
            repr(x.device),
            x.device.type,
            x.device.index,
            x.is_cuda,
            x.device == t.device("cpu"),
            t.device("cpu").type,
        )

    same(scenario)


def test_len_and_iteration():
    def scenario(t):
        x = full_of_numbers(t, (3, 2))
        return len(x), len(t.zeros(0, 4)), [row for row in x], len(list(t.arange(5)))

    same(scenario)


def test_len_of_0d_is_refused():
    same_error(lambda t: len(t.tensor(1.0)), "len() of a 0-d tensor")


def test_iteration_over_0d_is_refused():
    same_error(lambda t: iter(t.tensor(1.0)), "iteration over a 0-d tensor")


@pytest.mark.parametrize("shape", [(2, 3), (4,), (1, 5)], ids=str)
def test_T(shape):
    def scenario(t):
        x = full_of_numbers(t, shape)
        return x.T, x.T.shape, x.T.T

    same(scenario)


def test_mT():
    def scenario(t):
        x = full_of_numbers(t, (2, 3, 4))
        return x.mT.shape, x.mT

    same(scenario)


@pytest.mark.parametrize(
    "make",
    [
        lambda t: t.tensor(3.5),
        lambda t: t.tensor([2.25]),
        lambda t: t.tensor([[7]]),
        lambda t: t.tensor(True),
        lambda t: t.tensor(-2.75, dtype=t.float64),
        lambda t: t.tensor(5, dtype=t.int32),
        lambda t: t.tensor(1.5, dtype=t.float16),
    ],
)
def test_item_float_int_bool(make):
    def scenario(t):
        x = make(t)
        item = x.item()
        return item, type(item).__name__, float(x), int(x), bool(x), complex(x)

    same(scenario)


def test_item_of_a_tensor_requiring_grad():
    def scenario(t):
        x = t.tensor(2.0, requires_grad=True)
        return x.item(), (x * 3).item(), x.tolist()

    same(scenario)


def test_item_of_many_elements_is_refused():
    same_error(lambda t: t.zeros(2, 3).item(), "elements cannot be converted to Scalar")


@pytest.mark.parametrize("convert", [float, int])
def test_python_number_of_many_elements_is_refused(convert):
    same_error(lambda t: convert(t.zeros(2)), "only one element tensors can be converted")


def test_bool_of_many_elements_is_refused():
    same_error(lambda t: bool(t.zeros(2)), "more than one value is ambiguous")
    same_error(lambda t: bool(t.zeros(0)), "no values is ambiguous")


@pytest.mark.parametrize(
    "make",
    [
        lambda t: t.arange(6.0).reshape(2, 3),
        lambda t: t.tensor(3.5),
        lambda t: t.tensor([1, 2, 3]),
        lambda t: t.tensor([[True, False]]),
        lambda t: t.zeros(2, 0),
        lambda t: t.arange(24).reshape(2, 3, 4).int(),
    ],
)
def test_tolist(make):
    def scenario(t):
        value = make(t).tolist()
        return value, repr(value)

    same(scenario)


def test_tensor_as_index_and_format():
    def scenario(t):
        i = t.tensor(2)
        x = t.tensor(3.14159)
        return (
            [10, 20, 30][i],
            list(range(10))[t.tensor(1) : t.tensor(4)],
            f"{x:.2f}",
            f"{x.item():.3f}",
            f"{t.tensor(7):d}",
            f"{t.arange(3)}",
            f"{t.tensor([1.0, 2.0])}",
        )

    same(scenario)


def test_a_0d_tensor_formats_as_its_number_like_torch():
    def scenario(t):
        return (
            f"{t.tensor(0.1)}",
            f"{t.tensor(0.1, dtype=t.float64)}",
            f"{t.tensor(3)}",
            f"{t.tensor(True)}",
            f"{t.tensor(2.5, requires_grad=True)}",
            f"{t.tensor(7):>8}",
        )

    assert same(scenario)[0] == "0.10000000149011612"


SCALAR_WARNING = "Converting a tensor with requires_grad=True to a scalar may lead to unexpected"

# Run in a fresh process: torch warns once per process, whatever the warnings filters say.
CONVERSIONS_IN_ORDER = """
import importlib, sys, warnings
lib = importlib.import_module(sys.argv[1])
x = lib.tensor(1.5, requires_grad=True)
steps = ["int(x)", "x.item()", "bool(x)", "f'{x}'", "x.tolist()", "float(x.detach())",
         "float(x * 2)", "float(x)", "complex(x)", "float(lib.ones(1, requires_grad=True))"]
for step in steps:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        eval(step)
    print(step, any(sys.argv[2] in str(warning.message) for warning in caught))
"""


def test_converting_a_tensor_that_requires_grad_to_a_number_warns_once_like_torch():
    printed = [
        subprocess.run(
            [sys.executable, "-c", CONVERSIONS_IN_ORDER, name, SCALAR_WARNING],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for name in ("torch", "ember")
    ]
    assert printed[0] == printed[1]
    assert "float(x * 2) True" in printed[1]  # the first float() of one that requires grad


def test_complex_shares_floats_one_warning(monkeypatch):
    monkeypatch.setattr(sys.modules["ember.tensor"], "_warned_once", set())
    x = ember.tensor(1.5, requires_grad=True)
    with pytest.warns(UserWarning, match=SCALAR_WARNING) as caught:
        assert complex(x) == 1.5 + 0j
    assert caught[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(x) == 1.5 and x.item() == 1.5


@pytest.mark.parametrize("spec", [".2f", ">30"])
def test_format_spec_on_a_vector_is_refused(spec):
    same_error(lambda t: format(t.tensor([1.0, 2.0]), spec), "unsupported format string")


def test_float_tensor_as_index_is_refused():
    same_error(lambda t: [1, 2][t.tensor(1.0)], "only integer tensors")


def test_autograd_attributes():
    def scenario(t):
        x = t.ones(2, requires_grad=True)
        y = x * 2
        return (
            x.requires_grad,
            x.is_leaf,
            x.grad,
            x.grad_fn,
            y.is_leaf,
            y.requires_grad,
            x.retains_grad,
            x._version,
        )

    same(scenario)


def test_strides_and_contiguity():
    def scenario(t):
        x = t.zeros(2, 3, 4)
        return (
            x.stride(),
            x.stride(1),
            x.stride(-1),
            x.is_contiguous(),
            x.transpose(0, 2).stride(),
            x.transpose(0, 2).is_contiguous(),
            x.transpose(0, 2).contiguous().is_contiguous(),
            x[1].storage_offset(),
            x[:, 1, 2:].storage_offset(),
            x.storage_offset(),
        )

    same(scenario)


def test_numpy_and_back_share_memory():
    def scenario(t):
        x = t.zeros(3)
        a = x.numpy()
        a[0] = 5.0
        b = np.ones(2, dtype=np.float32)
        y = t.from_numpy(b)
        b[1] = 7.0
        return x, y, type(a).__name__

    same(scenario)


def test_numpy_of_tensor_requiring_grad_is_refused():
    same_error(
        lambda t: t.ones(2, requires_grad=True).numpy(), "Use tensor.detach().numpy() instead"
    )


@pytest.mark.parametrize(
    "dtype_name",
    ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"],
)
def test_type_gives_the_legacy_name_and_casts_by_it(dtype_name):
    e = ember.zeros(2, dtype=getattr(ember, dtype_name))
    t = torch.zeros(2, dtype=getattr(torch, dtype_name))
    assert e.type() == t.type().replace("torch.", "ember.")
    assert e.type(t.type()).dtype.name == dtype_name  # a legacy name casts, as in torch


# `in`, reversed(), NumPy interop, .data, strides and dtype queries ----------------------

IN_CASES = {
    "int_found": lambda t: 3 in t.arange(5),
    "int_missing": lambda t: 7 in t.arange(5),
    "float_in_ints": lambda t: 3.0 in t.arange(5),
    "bool_in_bools": lambda t: True in t.tensor([True, False]),
    "numpy_scalar": lambda t: np.int64(3) in t.arange(5),
    "nan_never_equal": lambda t: float("nan") in t.tensor([float("nan")]),
    "in_0d": lambda t: 2.5 in t.tensor(2.5),
    "0d_in_itself": lambda t: t.tensor(1.5) in t.tensor(1.5),
    "tensor_in_vector": lambda t: t.tensor(3) in t.arange(5),
    "column_broadcasts": lambda t: t.tensor([[3], [9]]) in t.arange(5),
    "row_in_matrix": lambda t: t.tensor([[0, 1]]) in t.arange(4).reshape(2, 2),
    "vector_in_itself": lambda t: t.tensor([1.0, 2.0]) in t.tensor([1.0, 2.0]),
    "in_empty": lambda t: 1 in t.zeros(2, 0),
}


@pytest.mark.parametrize("name", list(IN_CASES))
def test_in_looks_for_an_equal_element_like_torch(name):
    same(lambda t: IN_CASES[name](t))


@pytest.mark.parametrize("element", ["a", None, [3]], ids=repr)
def test_in_with_a_value_that_is_no_number_is_refused(element):
    same_error(
        lambda t: element in t.arange(5), "Tensor.__contains__ only supports Tensor or scalar"
    )


def test_reversed_flips_the_first_dim():
    def scenario(t):
        matrix = t.arange(6).reshape(3, 2)
        return (
            reversed(t.arange(4)),
            reversed(matrix),
            reversed(t.tensor(2.5)),
            list(reversed(matrix)),
        )

    same(scenario)


def test_np_asarray_of_a_tensor_requiring_grad_is_refused():
    same_error(
        lambda t: np.asarray(t.ones(2, requires_grad=True) * 2), "Can't call numpy() on Tensor"
    )
    same_error(lambda t: np.array(t.ones(2, requires_grad=True)), "Use tensor.detach().numpy()")
    same(lambda t: np.asarray(t.ones(2, requires_grad=True).detach()).tolist())


def test_np_asarray_to_another_dtype_without_a_copy_is_refused():
    same_error(lambda t: np.asarray(t.ones(2), dtype=np.float64, copy=False), "copy")


@pytest.mark.parametrize(
    "ufunc",
    [
        lambda x: np.exp(x),
        lambda x: np.sqrt(x[0]),
        lambda x: np.add(x, 1),
        lambda x: np.maximum(x, 2.0),
        lambda x: np.isnan(x),  # bool results come back as uint8, as in torch
        lambda x: np.equal(x, 1.0),
    ],
)
def test_a_numpy_ufunc_of_a_tensor_gives_a_tensor(ufunc):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # torch's __array_wrap__ is old-style
        same(lambda t: ufunc(t.tensor([1.0, 4.0, float("nan")])))


@pytest.mark.parametrize("value", [5, [1, 2], np.ones(2)], ids=lambda v: type(v).__name__)
def test_setting_data_to_a_non_tensor_is_refused(value):
    def scenario(t):
        x = t.zeros(2)
        x.data = value

    error = same_error(scenario, "tensor")
    assert type(value).__name__ in str(error)


def test_strides_of_empty_and_inserted_dims():
    def scenario(t):
        x = t.arange(24.0).reshape(2, 3, 4)
        return (
            t.zeros(0).stride(),
            t.zeros(2, 0).stride(),
            t.zeros(2, 0, 3).stride(),
            t.zeros(2, 3)[:, 3:].stride(),
            t.zeros(2, 3)[2:].stride(),
            x[:, None].stride(),
            x.unsqueeze(0).stride(),
            x.unsqueeze(-1).stride(),
            t.zeros(3, 1)[:, :, None].stride(),
            x[:, :1].stride(),
            x[:, :, :1].expand(2, 3, 5).stride(),
            t.zeros(3, 1).unsqueeze(1).stride(1),
        )

    same(scenario)


@pytest.mark.parametrize(
    "dtype", ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]
)
def test_is_complex_and_is_signed(dtype):
    same(lambda t: t.zeros(2, dtype=getattr(t, dtype)).is_complex())
    same(lambda t: t.zeros(2, dtype=getattr(t, dtype)).is_signed())


@pytest.mark.parametrize("shape", [(2, 3), (4, 2, 3)], ids=str)
def test_mH_of_a_real_tensor_is_its_matrix_transpose(shape):
    same(lambda t: full_of_numbers(t, shape).mH)


@pytest.mark.parametrize("shape", [(), (4,), (2, 3, 4)], ids=str)
def test_T_of_other_than_2_dims_warns_as_torch_deprecates_it(shape):
    """torch 2.13 warns once per process ("The use of `x.T` on tensors of dimension other
    than 2 ... is deprecated"); ember warns at each new place in the user's code."""
    x = ember.zeros(shape)
    with pytest.warns(UserWarning, match=r"`x\.T` .* deprecated") as caught:
        reversed_dims = x.T
    assert caught[0].filename == __file__  # it points at the user's line
    assert reversed_dims.shape == shape[::-1]


def test_T_of_a_matrix_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ember.zeros(2, 3).T.shape == (3, 2)
