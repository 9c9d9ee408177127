"""ember on a real GPU (CuPy): skipped, with the reason printed, where CUDA is unavailable.

The same code paths run in CI on a NumPy stand-in (test_device.py); here they meet
real CuPy arrays, cuBLAS and the CUDA driver. scripts/gpu_check.sh runs this file
together with the op and nn suites on CUDA tensors (EMBER_TEST_DEVICE=cuda).
"""

import io

import numpy as np
import pytest

import ember
import ember.nn as nn
import ember.nn.functional as F

pytestmark = pytest.mark.cuda
if not ember.cuda.is_available():
    pytest.skip(f"no usable CUDA GPU: {ember.cuda.unavailable_reason()}", allow_module_level=True)


@pytest.fixture(scope="module")
def cupy():
    import cupy

    return cupy


@pytest.fixture(scope="module")
def torch_cuda():
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("PyTorch has no CUDA here; the comparison with torch needs it")
    return torch


def test_tensors_live_in_cupy_arrays(cupy):
    x = ember.ones(2, 3, device="cuda")
    assert type(x._data) is cupy.ndarray
    assert x.device == ember.device("cuda:0") and x.is_cuda and x.get_device() == 0
    assert ember.cuda.device_count() >= 1
    assert ember.cuda.get_device_name()
    assert "device='cuda:0'" in repr(x)


def test_transfers_round_trip_with_gradients():
    values = np.arange(6, dtype=np.float32).reshape(2, 3)
    x = ember.tensor(values, requires_grad=True)
    y = x.cuda()
    (y * y).sum().backward()
    assert x.grad.device == "cpu"
    np.testing.assert_array_equal(x.grad.numpy(), 2 * values)
    np.testing.assert_array_equal(y.detach().cpu().numpy(), values)
    assert x.to("cuda", ember.float64).dtype == ember.float64


def test_host_conversions():
    x = ember.tensor([[1.5, 2.0]], device="cuda")
    with pytest.raises(TypeError, match="can't convert cuda:0 device type tensor to numpy"):
        x.numpy()
    assert x.sum().item() == 3.5 and float(x.sum()) == 3.5 and x.tolist() == [[1.5, 2.0]]
    assert type(np.asarray(x)) is np.ndarray


def test_mixed_devices_raise():
    with pytest.raises(RuntimeError, match="cuda:0 and cpu"):
        ember.ones(2, device="cuda") + ember.ones(2)
    with pytest.raises(RuntimeError, match="cpu and cuda:0"):
        ember.ones(2, 2) @ ember.ones(2, 2, device="cuda")
    assert (ember.ones(2, device="cuda") * ember.tensor(3.0)).tolist() == [3.0, 3.0]


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int32", "int64", "bool"])
def test_dtypes_on_the_gpu(dtype):
    values = (np.arange(12).reshape(3, 4) % 3).astype(dtype)
    x = ember.tensor(values, device="cuda")
    assert x.dtype.name == dtype
    total = x.sum()
    assert total.item() == values.sum(dtype=np.int64 if dtype in ("bool", "int32") else None)
    np.testing.assert_array_equal((x == x).cpu().numpy(), np.ones((3, 4), bool))


def test_ops_match_the_cpu():
    from test_device import OPS

    rng = np.random.default_rng(0)
    x_values = rng.uniform(-1, 1, (3, 4)).astype(np.float32)
    y_values = rng.uniform(-1, 1, (3, 4)).astype(np.float32)
    for name, fn in OPS:
        results = {}
        for device in ("cpu", "cuda"):
            x = ember.tensor(x_values, device=device, requires_grad=True)
            y = ember.tensor(y_values, device=device, requires_grad=True)
            with ember.device(device):
                out = fn(ember, x, y)
            out.backward()
            results[device] = [out.detach().cpu().numpy()] + [
                t.grad.cpu().numpy() for t in (x, y) if t.grad is not None
            ]
        for on_cpu, on_gpu in zip(results["cpu"], results["cuda"]):
            np.testing.assert_allclose(on_gpu, on_cpu, rtol=1e-4, atol=1e-5, err_msg=name)


def test_raw_views_match_the_cpu():
    from test_device import RAW_VIEWS, raw_view_on

    for name, fn in RAW_VIEWS:
        (cpu_layout, *cpu_arrays), (gpu_layout, *gpu_arrays) = (
            raw_view_on(device, fn) for device in ("cpu", "cuda")
        )
        assert gpu_layout == cpu_layout, name
        for on_cpu, on_gpu in zip(cpu_arrays, gpu_arrays):
            np.testing.assert_array_equal(on_gpu, on_cpu, err_msg=name)


def test_repeated_index_gradient_adds_up():
    for dtype in (ember.float32, ember.float64):
        x = ember.arange(4, dtype=dtype, device="cuda", requires_grad=True)
        x[ember.tensor([0, 0, 3], device="cuda")].sum().backward()
        assert x.grad.tolist() == [2.0, 0.0, 0.0, 1.0]


def test_weight_gradient_is_taken_without_a_copy(products_made):
    """The engine adopts a product's new gradient array (its ``.base`` is None on CuPy too)."""
    x = ember.ones(4, 3, device="cuda")
    w = ember.ones(3, 2, device="cuda", requires_grad=True)
    v = ember.ones(3, 2, device="cuda", requires_grad=True)
    (x @ w + x @ v).sum().backward()
    assert w.grad._data is products_made[0] or w.grad._data is products_made[1]
    w.grad.add_(1)
    np.testing.assert_array_equal(w.grad.cpu().numpy(), np.full((3, 2), 5.0, np.float32))
    np.testing.assert_array_equal(v.grad.cpu().numpy(), np.full((3, 2), 4.0, np.float32))


def test_singular_matrix_is_a_linalg_error():
    with pytest.raises(RuntimeError, match="singular"):
        ember.linalg.inv(ember.zeros(3, 3, device="cuda"))


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(32, 64)
        self.out = nn.Linear(64, 10)

    def forward(self, x):
        return self.out(F.relu(self.hidden(x)))


def _step(net, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.cross_entropy(net(x), y)
    loss.backward()
    optimizer.step()
    return loss


@pytest.mark.parametrize("optimizer_class", [ember.optim.SGD, ember.optim.Adam])
def test_a_training_step_never_waits_for_the_gpu(cupy, optimizer_class):
    import cupyx

    allow_synchronize = getattr(cupyx, "allow_synchronize", None)
    if allow_synchronize is None:
        pytest.skip("this CuPy has no cupyx.allow_synchronize")
    net = MLP().cuda()
    optimizer = optimizer_class(net.parameters(), lr=0.01)
    x = ember.randn(16, 32, device="cuda")
    y = ember.randint(0, 10, (16,), device="cuda")
    _step(net, optimizer, x, y)  # the first step compiles kernels and makes state
    with allow_synchronize(False):
        loss = _step(net, optimizer, x, y)
    assert np.isfinite(loss.item())


def test_training_matches_torch_on_cuda(torch_cuda):
    torch = torch_cuda
    ember.manual_seed(0)
    net = MLP()
    reference = torch.nn.Sequential(
        torch.nn.Linear(32, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10)
    ).cuda()
    with torch.no_grad():
        for mine, theirs in zip(net.parameters(), reference.parameters()):
            theirs.copy_(torch.from_numpy(mine.detach().numpy()))
    net.cuda()
    rng = np.random.default_rng(0)
    x_values = rng.normal(size=(16, 32)).astype(np.float32)
    y_values = rng.integers(0, 10, 16)
    optimizer = ember.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    torch_optimizer = torch.optim.SGD(reference.parameters(), lr=0.1, momentum=0.9)
    x, y = ember.tensor(x_values, device="cuda"), ember.tensor(y_values, device="cuda")
    tx = torch.tensor(x_values, device="cuda")
    ty = torch.tensor(y_values, device="cuda")
    for _ in range(3):
        loss = _step(net, optimizer, x, y)
        torch_optimizer.zero_grad()
        torch_loss = torch.nn.functional.cross_entropy(reference(tx), ty)
        torch_loss.backward()
        torch_optimizer.step()
        assert loss.item() == pytest.approx(torch_loss.item(), rel=1e-4)


def test_module_to_and_save_load_map_location(tmp_path):
    net = MLP()
    weight = net.hidden.weight
    assert net.to("cuda") is net and net.hidden.weight is weight and weight.is_cuda
    path = tmp_path / "net.ember"
    ember.save(net.state_dict(), path)
    assert all(value.is_cuda for value in ember.load(path).values())
    on_cpu = ember.load(path, map_location="cpu")
    assert all(value.device == "cpu" for value in on_cpu.values())
    buffer = io.BytesIO()
    ember.save({"w": ember.ones(2)}, buffer)
    buffer.seek(0)
    assert ember.load(buffer, map_location="cuda:0")["w"].is_cuda


def test_dataloader_batches_move_to_the_gpu():
    from ember.utils.data import DataLoader, TensorDataset

    loader = DataLoader(TensorDataset(ember.randn(8, 2), ember.arange(8)), batch_size=4)
    for x, y in loader:
        assert x.device == "cpu"
        assert (x.cuda() * 2).is_cuda and y.to("cuda").is_cuda


def test_synchronize_and_memory(cupy):
    x = ember.ones(1024, 1024, device="cuda")
    ember.cuda.synchronize()
    assert ember.cuda.memory_allocated() >= x.nbytes
    del x
    ember.cuda.empty_cache()
