"""PyTorch as the test oracle: run the same op in ember and in torch, compare everything.

    check(lambda t, x, y: t.maximum(x, y), [(3, 1), (1, 4)])

``fn`` receives the library module (``ember`` or ``torch``) followed by the
inputs, made from the same random float64 data in both libraries. The helper
compares forward values, dtype and shape, then runs backward with the same
random output gradient and compares the gradient of every input.

Set ``EMBER_TEST_DEVICE=cuda`` to run every ``check`` (and ``check_gradcheck``)
with ember's inputs on the GPU, and ``fn`` inside ``with ember.device("cuda")``
so that tensors it makes land there too; torch then runs on CUDA when it can,
else on the CPU. ``EMBER_TEST_DEVICE=fake-cuda`` does the same on the CPU with
the NumPy stand-in for CuPy in ``fake_cupy.py``. Unset, nothing changes.
"""

import contextlib
import os
import warnings

import numpy as np
import pytest
import torch

import ember

TEST_DEVICE = os.environ.get("EMBER_TEST_DEVICE", "cpu")
if TEST_DEVICE == "fake-cuda":
    import fake_cupy

    fake_cupy.install()
    TEST_DEVICE = "cuda"
ON_DEVICE = TEST_DEVICE != "cpu"
TORCH_DEVICE = "cuda" if ON_DEVICE and torch.cuda.is_available() else "cpu"


TORCH_VERSION = tuple(int(part) for part in torch.__version__.split("+")[0].split(".")[:2])


def skip_before_torch_2_13(what_older_torch_does):
    """Skip, saying why, where an older torch (the GPU machines' 2.11) is no oracle.

    The test extra pins torch 2.13, so CI always runs these tests."""
    if TORCH_VERSION < (2, 13):
        pytest.skip(f"torch {torch.__version__} {what_older_torch_does}; ember follows torch 2.13")


def on_test_device(torch_device=TORCH_DEVICE):
    """A block in which new ember (and torch) tensors default to the test device."""
    if not ON_DEVICE:
        return contextlib.nullcontext()
    stack = contextlib.ExitStack()
    stack.enter_context(ember.device(TEST_DEVICE))
    if torch_device != "cpu":
        stack.enter_context(torch.device(torch_device))
    return stack


def check_on_test_device(ember_value, torch_value=None):
    """With a test device, ember's tensor results live where torch's do when torch runs
    there too, and on the test device otherwise (no silent copy to the host)."""
    if not ON_DEVICE:
        return
    if isinstance(ember_value, (tuple, list)):
        torch_items = torch_value if isinstance(torch_value, (tuple, list)) else ()
        for item, torch_item in zip(ember_value, list(torch_items) + [None] * len(ember_value)):
            check_on_test_device(item, torch_item)
    elif isinstance(ember_value, ember.Tensor):
        expected = ember.device(TEST_DEVICE).type
        if TORCH_DEVICE != "cpu" and isinstance(torch_value, torch.Tensor):
            expected = torch_value.device.type
        assert ember_value.device.type == expected, (
            f"result on {ember_value.device}, expected {expected}"
        )


DTYPE_NAMES = ("float16", "float32", "float64", "uint8", "int8", "int16", "int32", "int64", "bool")


def same_dtype(ember_dtype, torch_dtype):
    return ember_dtype.name == str(torch_dtype).replace("torch.", "")


def to_numpy(value):
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    if isinstance(value, ember.Tensor):
        return value.detach().cpu().numpy()
    return np.asarray(value)


def assert_same(ember_value, torch_value, atol=1e-5, rtol=1e-5, check_dtype=True):
    """Values, dtype and shape of an ember result equal torch's."""
    if isinstance(torch_value, (tuple, list)):
        assert len(ember_value) == len(torch_value)
        for e, t in zip(ember_value, torch_value):
            assert_same(e, t, atol, rtol, check_dtype)
        return
    if isinstance(torch_value, torch.Tensor):
        assert isinstance(ember_value, ember.Tensor), f"expected a Tensor, got {type(ember_value)}"
        assert tuple(ember_value.shape) == tuple(torch_value.shape), (
            f"shape {tuple(ember_value.shape)} != torch {tuple(torch_value.shape)}"
        )
        if check_dtype:
            assert same_dtype(ember_value.dtype, torch_value.dtype), (
                f"dtype {ember_value.dtype} != torch {torch_value.dtype}"
            )
    np.testing.assert_allclose(
        to_numpy(ember_value).astype(np.float64)
        if to_numpy(ember_value).dtype != bool
        else to_numpy(ember_value),
        to_numpy(torch_value).astype(np.float64)
        if to_numpy(torch_value).dtype != bool
        else to_numpy(torch_value),
        atol=atol,
        rtol=rtol,
    )


def make_pair(array, requires_grad, torch_device=TORCH_DEVICE):
    """The same data as an ember tensor and a torch tensor."""
    e = ember.tensor(array.copy(), device=TEST_DEVICE if ON_DEVICE else None)
    t = torch.tensor(array.copy(), device=torch_device if ON_DEVICE else None)
    if requires_grad and array.dtype.kind == "f":
        e.requires_grad_(True)
        t.requires_grad_(True)
    return e, t


def random_array(shape, dtype="float32", low=-2.0, high=2.0, rng=None):
    rng = rng or np.random.default_rng(0)
    if dtype == "bool":
        return rng.random(shape) > 0.5
    if np.dtype(dtype).kind in "iu":
        return rng.integers(int(low), int(high) + 1, shape).astype(dtype)
    return rng.uniform(low, high, shape).astype(dtype)


def check(
    fn,
    shapes_or_arrays,
    *,
    dtype="float32",
    grad=True,
    atol=1e-5,
    rtol=1e-5,
    low=-2.0,
    high=2.0,
    seed=0,
    torch_on_cpu=False,
):
    """Run ``fn`` in both libraries on the same inputs; compare forward and backward.

    ``torch_on_cpu`` keeps torch on the CPU in a GPU run, for the cases where torch's
    CUDA build cannot be the oracle: it lacks the kernel, or its device mode is wrong.
    """
    torch_device = "cpu" if torch_on_cpu else TORCH_DEVICE
    rng = np.random.default_rng(seed)
    arrays = [
        item if isinstance(item, np.ndarray) else random_array(item, dtype, low, high, rng)
        for item in shapes_or_arrays
    ]
    pairs = [make_pair(a, grad, torch_device) for a in arrays]
    ember_inputs = [e for e, _ in pairs]
    torch_inputs = [t for _, t in pairs]
    with on_test_device(torch_device):
        ember_out = fn(ember, *ember_inputs)
        torch_out = fn(torch, *torch_inputs)
    check_on_test_device(ember_out, None if torch_on_cpu else torch_out)
    assert_same(ember_out, torch_out, atol, rtol)
    if not grad or not isinstance(torch_out, torch.Tensor) or not torch_out.requires_grad:
        return ember_out, torch_out
    upstream = rng.uniform(-1, 1, tuple(torch_out.shape)).astype(to_numpy(torch_out).dtype)
    with on_test_device(torch_device):
        ember_out.backward(ember.tensor(upstream))
        torch_out.backward(torch.tensor(upstream))
    for index, (e, t) in enumerate(zip(ember_inputs, torch_inputs)):
        if t.grad is None:
            assert e.grad is None, f"input {index}: ember has a grad where torch has none"
            continue
        assert e.grad is not None, f"input {index}: ember has no grad, torch does"
        check_on_test_device(e.grad, None if torch_on_cpu else t.grad)
        assert_same(e.grad, t.grad, atol, rtol)
    return ember_out, torch_out


def random_settings(examples):
    """Hypothesis settings for a random pass: ``examples`` drawn the same way in every run of
    the suite (a hunt raises the count), with no deadline and no database."""
    from hypothesis import HealthCheck, settings

    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
        derandomize=True,
        database=None,
    )


def ember_s_own_filter():
    """The filter ``import ember`` adds, for a test that dropped it with ``simplefilter``:
    NumPy's RuntimeWarnings from ember's modules are silenced, as PyTorch gives inf and
    NaN quietly."""
    warnings.filterwarnings(
        "ignore", message=".*encountered in", category=RuntimeWarning, module=r"ember\."
    )


def builtin_base(error_type):
    """torch's own exception classes (torch.linalg.LinAlgError) as their builtin base."""
    for base in error_type.__mro__:
        if base.__module__ == "builtins":
            return base
    return error_type


def check_error(fn, *inputs, error=None):
    """Both libraries raise, and ember raises the same exception type as torch."""
    torch_inputs = [torch.tensor(np.asarray(x)) if isinstance(x, np.ndarray) else x for x in inputs]
    ember_inputs = [ember.tensor(np.asarray(x)) if isinstance(x, np.ndarray) else x for x in inputs]
    torch_error = None
    try:
        fn(torch, *torch_inputs)
    except Exception as caught:  # noqa: BLE001 - we want whatever torch raises
        torch_error = caught
    assert torch_error is not None, "torch did not raise; this is not an error case"
    expected = error or builtin_base(type(torch_error))
    try:
        fn(ember, *ember_inputs)
    except expected as caught:
        return caught
    except Exception as caught:  # noqa: BLE001
        raise AssertionError(
            f"ember raised {type(caught).__name__}: {caught}; torch raised "
            f"{type(torch_error).__name__}: {torch_error}"
        ) from caught
    raise AssertionError(f"ember did not raise; torch raised {type(torch_error).__name__}")


def check_gradcheck(
    fn,
    shapes_or_arrays,
    *,
    low=-2.0,
    high=2.0,
    seed=0,
    eps=1e-6,
    atol=1e-5,
    rtol=1e-3,
    order=1,
):
    """ember's analytical gradients of ``fn(ember, *inputs)`` equal central differences (float64).

    Shapes become random float64 inputs that require grad; NumPy arrays are used as they
    are: floating ones (cast to float64) require grad, integer or bool ones (an index, a
    mask) do not. ``order=2`` checks the gradients of the gradients (gradgradcheck).
    """
    rng = np.random.default_rng(seed)
    inputs = []
    with on_test_device():
        for item in shapes_or_arrays:
            if isinstance(item, np.ndarray):
                floating = item.dtype.kind == "f"
                array = item.astype(np.float64) if floating else item.copy()
                inputs.append(ember.tensor(array, requires_grad=floating))
            else:
                array = random_array(item, "float64", low, high, rng)
                inputs.append(ember.tensor(array, requires_grad=True))
        checker = ember.autograd.gradcheck if order == 1 else ember.autograd.gradgradcheck
        assert checker(lambda *values: fn(ember, *values), inputs, eps=eps, atol=atol, rtol=rtol)


def check_outcome(fn, *arrays, atol=1e-5, rtol=1e-5):
    """Whatever torch does with ``fn(torch, *tensors)``, ember does too: the same values,
    dtype and shape, or an error of the same kind (a RuntimeError stands in for torch's
    NotImplementedError, its subclass, which torch raises for a dtype without a kernel)."""
    results = []
    for lib in (ember, torch):
        try:
            results.append(fn(lib, *[lib.tensor(array) for array in arrays]))
        except Exception as error:  # noqa: BLE001 - the kind of error is compared
            results.append(error)
    ember_result, torch_result = results
    if isinstance(torch_result, Exception):
        expected = builtin_base(type(torch_result))
        if expected is NotImplementedError:
            expected = RuntimeError
        assert isinstance(ember_result, expected), (
            f"torch raised {type(torch_result).__name__}: {torch_result}; ember gave "
            f"{ember_result!r}"
        )
        return ember_result
    if isinstance(ember_result, Exception):
        raise AssertionError(f"ember raised {ember_result!r}; torch did not") from ember_result
    assert_same(ember_result, torch_result, atol, rtol)
    return ember_result
