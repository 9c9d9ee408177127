"""Devices without a GPU: parsing, the errors without CuPy, and every CUDA code path on a
NumPy stand-in for CuPy (``fake_cupy``): placement, transfers and their gradients,
mixed-device errors, Module.to, training without host syncs, save/load map_location,
the DataLoader and ``ember.cuda``. The same checks on a real GPU are in test_cuda.py.
"""

import io
import pathlib
import pickle
import re
import sys
import types

import numpy as np
import pytest

import ember
import ember.nn as nn
import ember.nn.functional as F
from ember import backend

fake_cupy = pytest.importorskip("fake_cupy")

CPU_ONLY_MESSAGE = "CuPy is not installed"


@pytest.fixture
def cuda():
    """ember with the fake CuPy as its CUDA library (one device, cuda:0)."""
    with fake_cupy.installed():
        yield
    ember.set_default_device(None)


@pytest.fixture
def no_cupy(monkeypatch):
    """A machine where ``import cupy`` fails, whatever this one has installed."""
    backend.forget_cuda_namespace()
    monkeypatch.setitem(sys.modules, "cupy", None)
    yield
    backend.forget_cuda_namespace()


def on_gpu(tensor):
    return fake_cupy.on_fake_gpu(tensor) and tensor.device == ember.device("cuda:0")


# Parsing and printing devices (no CUDA needed) ----------------------------------


@pytest.mark.parametrize(
    "spec, kind, index, text",
    [
        ("cpu", "cpu", None, "cpu"),
        ("cuda", "cuda", None, "cuda"),
        ("cuda:0", "cuda", 0, "cuda:0"),
        ("cuda:1", "cuda", 1, "cuda:1"),
        (0, "cuda", 0, "cuda:0"),
    ],
)
def test_device_parsing_and_printing(spec, kind, index, text):
    device = ember.device(spec)
    assert (device.type, device.index, str(device)) == (kind, index, text)
    expected = (
        f"device(type='{kind}')" if index is None else (f"device(type='{kind}', index={index})")
    )
    assert repr(device) == expected
    assert ember.device(device) == device
    assert pickle.loads(pickle.dumps(device)) == device


def test_device_with_separate_index_and_equality():
    assert ember.device("cuda", 0) == ember.device("cuda:0") == "cuda:0"
    assert ember.device("cuda") != ember.device("cuda:0")  # as in torch
    assert ember.device("cpu") != "cuda"
    assert len({ember.device("cuda:0"), ember.device("cuda", 0), ember.device("cpu")}) == 2


@pytest.mark.parametrize("spec", ["gpu", "cuda:x", "cuda:-1", "cuda:", "CPU", "cuda:0:1"])
def test_bad_device_strings_are_runtime_errors(spec):
    with pytest.raises(RuntimeError):
        ember.device(spec)


def test_index_given_twice_is_refused():
    with pytest.raises(RuntimeError, match="index"):
        ember.device("cuda:1", 1)


def test_cpu_tensors_report_cpu():
    x = ember.ones(2)
    assert x.device == ember.device("cpu") and not x.is_cuda and x.get_device() == -1
    assert x.cpu() is x and x.to("cpu") is x
    assert x.pin_memory() is x and not x.is_pinned()


def test_default_device_is_cpu_and_a_with_block_changes_it_back():
    assert ember.get_default_device() == ember.device("cpu")
    with ember.device("cpu"):
        assert ember.zeros(1).device == "cpu"
    assert ember.get_default_device() == ember.device("cpu")


# Without CuPy, or without a GPU: clear RuntimeErrors, never an ImportError -------


def test_without_cupy_cuda_is_unavailable(no_cupy):
    assert ember.cuda.is_available() is False
    assert ember.cuda.device_count() == 0
    assert CPU_ONLY_MESSAGE in ember.cuda.unavailable_reason()
    ember.cuda.synchronize()  # a no-op, not an error
    assert ember.cuda.memory_allocated() == 0


@pytest.mark.parametrize(
    "make",
    [
        lambda: ember.zeros(2, device="cuda"),
        lambda: ember.tensor([1.0], device="cuda:0"),
        lambda: ember.randn(3, device="cuda"),
        lambda: ember.arange(3, device=ember.device("cuda")),
        lambda: ember.ones(2).cuda(),
        lambda: ember.ones(2).to("cuda"),
        lambda: nn.Linear(2, 2).to("cuda"),
        lambda: ember.cuda.get_device_name(),
    ],
)
def test_asking_for_cuda_without_cupy_says_so(no_cupy, make):
    with pytest.raises(RuntimeError, match=CPU_ONLY_MESSAGE) as caught:
        make()
    assert "pip install 'ember[cuda]'" in str(caught.value)


def test_cupy_without_a_gpu_says_there_is_no_gpu(monkeypatch):
    def no_device_count():
        raise RuntimeError("cudaErrorNoDevice: no CUDA-capable device is detected")

    stub = types.ModuleType("cupy")
    stub.cuda = types.SimpleNamespace(runtime=types.SimpleNamespace(getDeviceCount=no_device_count))
    monkeypatch.setitem(sys.modules, "cupy", stub)
    monkeypatch.setitem(sys.modules, "cupyx", types.ModuleType("cupyx"))
    backend.forget_cuda_namespace()
    try:
        assert not ember.cuda.is_available()
        with pytest.raises(RuntimeError, match="installed but no CUDA GPU") as caught:
            ember.zeros(1, device="cuda")
        assert "cudaErrorNoDevice" in str(caught.value)
    finally:
        backend.forget_cuda_namespace()


def test_cupy_with_zero_devices(monkeypatch):
    stub = types.ModuleType("cupy")
    stub.cuda = types.SimpleNamespace(runtime=types.SimpleNamespace(getDeviceCount=lambda: 0))
    monkeypatch.setitem(sys.modules, "cupy", stub)
    monkeypatch.setitem(sys.modules, "cupyx", types.ModuleType("cupyx"))
    backend.forget_cuda_namespace()
    try:
        with pytest.raises(RuntimeError, match="has no CUDA GPU"):
            ember.ones(1).cuda()
    finally:
        backend.forget_cuda_namespace()


# Placement: every creation function honours device= -------------------------------

CREATIONS = [
    ("tensor", lambda d: ember.tensor([[1.0, 2.0]], device=d)),
    ("tensor_int", lambda d: ember.tensor([1, 2], device=d)),
    ("as_tensor", lambda d: ember.as_tensor(np.ones(3), device=d)),
    ("Tensor", lambda d: ember.Tensor([1.0, 2.0], device=d)),
    ("zeros", lambda d: ember.zeros(2, 3, device=d)),
    ("ones", lambda d: ember.ones((2,), device=d)),
    ("empty", lambda d: ember.empty(4, device=d)),
    ("full", lambda d: ember.full((2, 2), 7.0, device=d)),
    ("arange", lambda d: ember.arange(0, 5, 2, device=d)),
    ("linspace", lambda d: ember.linspace(0, 1, 5, device=d)),
    ("logspace", lambda d: ember.logspace(0, 2, 3, device=d)),
    ("eye", lambda d: ember.eye(3, device=d)),
    ("rand", lambda d: ember.rand(2, 2, device=d)),
    ("randn", lambda d: ember.randn(3, device=d)),
    ("randint", lambda d: ember.randint(0, 5, (4,), device=d)),
    ("randperm", lambda d: ember.randperm(5, device=d)),
    ("normal", lambda d: ember.normal(0.0, 1.0, (3,), device=d)),
    ("zeros_like", lambda d: ember.zeros_like(ember.ones(2), device=d)),
    ("full_like", lambda d: ember.full_like(ember.ones(2), 3, device=d)),
    ("rand_like", lambda d: ember.rand_like(ember.ones(2), device=d)),
]


@pytest.mark.parametrize("make", [c[1] for c in CREATIONS], ids=[c[0] for c in CREATIONS])
@pytest.mark.parametrize("spec", ["cuda", "cuda:0", 0])
def test_creation_functions_place_on_the_gpu(cuda, make, spec):
    ember.manual_seed(0)
    tensor = make(spec if spec != 0 else ember.device(0))
    assert on_gpu(tensor)
    assert tensor.is_cuda and tensor.get_device() == 0
    ember.manual_seed(0)  # random ones draw on the host, so the same seed gives the same values
    assert np.array_equal(tensor.cpu().numpy(), make("cpu").numpy())


def test_like_functions_and_new_methods_keep_the_device(cuda):
    x = ember.ones(2, 3, device="cuda")
    for made in (
        ember.zeros_like(x),
        ember.ones_like(x),
        ember.empty_like(x),
        ember.full_like(x, 2),
        ember.rand_like(x),
        ember.randn_like(x),
        x.new_zeros(2),
        x.new_ones(3),
        x.new_full((2,), 1.5),
        x.new_tensor([1.0]),
        ember.tensor(x),  # torch.tensor(cuda_tensor) stays on the GPU
    ):
        assert on_gpu(made)


def test_default_device_and_with_block(cuda):
    with ember.device("cuda"):
        assert on_gpu(ember.zeros(2)) and on_gpu(ember.tensor([1.0]))
        assert ember.zeros(2, device="cpu").device == "cpu"
    assert ember.zeros(2).device == "cpu"
    ember.set_default_device("cuda")
    assert on_gpu(ember.randn(2)) and ember.get_default_device() == ember.device("cuda")
    ember.set_default_device(None)
    assert ember.zeros(1).device == "cpu"


def test_a_gpu_that_does_not_exist_is_refused(cuda):
    with pytest.raises(RuntimeError, match="invalid device ordinal"):
        ember.zeros(2, device="cuda:3")


# Transfers and their gradients -------------------------------------------------


def test_to_cuda_cpu_and_back(cuda):
    x = ember.tensor([[1.0, -2.0], [3.0, 4.0]])
    gpu = x.cuda()
    assert on_gpu(gpu) and gpu.dtype == x.dtype
    assert gpu.cuda() is gpu and gpu.to("cuda:0") is gpu and gpu.to("cuda") is gpu
    back = gpu.cpu()
    assert type(back._data) is np.ndarray and np.array_equal(back.numpy(), x.numpy())
    assert (
        on_gpu(x.to("cuda", ember.float64)) and x.to("cuda", ember.float64).dtype == ember.float64
    )
    assert on_gpu(x.to(device="cuda")) and on_gpu(x.to(gpu)) and x.to(gpu).dtype == x.dtype
    assert on_gpu(x.to(ember.zeros(1, dtype=ember.int64, device="cuda")))
    assert gpu.to("cuda", copy=True) is not gpu
    gpu[0, 0] = 10.0
    assert x[0, 0].item() == 1.0  # a copy, not a view of the host array


def test_gradient_flows_back_across_devices(cuda):
    x = ember.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.cuda()
    assert y.grad_fn.name() == "ToCopyBackward0" and y.requires_grad
    (y * y).sum().backward()
    assert x.grad.device == "cpu"
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 4.0, 6.0])
    w = ember.ones(3, device="cuda", requires_grad=True)
    (w.cpu() * 3).sum().backward()
    assert on_gpu(w.grad)
    np.testing.assert_allclose(w.grad.cpu().numpy(), [3.0, 3.0, 3.0])


def test_backward_gradient_must_be_on_the_outputs_device(cuda):
    x = ember.ones(2, device="cuda", requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match="expected device cuda:0 but got cpu"):
        y.backward(ember.ones(2))
    y.backward(ember.ones(2, device="cuda"))
    assert x.grad.tolist() == [2.0, 2.0]


def test_numpy_of_a_cuda_tensor_is_torchs_type_error(cuda):
    x = ember.ones(2, device="cuda")
    with pytest.raises(TypeError) as caught:
        x.numpy()
    assert str(caught.value) == (
        "can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor "
        "to host memory first."
    )
    assert type(x.numpy(force=True)) is np.ndarray


def test_scalars_lists_and_arrays_copy_to_the_host(cuda):
    x = ember.tensor([[1.5, 2.0]], device="cuda")
    s = x.sum()
    assert s.item() == 3.5 and isinstance(s.item(), float)
    assert float(s) == 3.5 and int(s) == 3 and bool(s) is True
    assert x.tolist() == [[1.5, 2.0]]
    assert type(np.asarray(x)) is np.ndarray
    assert f"{s:.1f}" == "3.5"
    assert "device='cuda:0'" in repr(x)
    assert ember.tensor(3, device="cuda").__index__() == 3


def test_pickle_and_deepcopy_keep_the_device(cuda):
    import copy

    x = ember.tensor([1.0, 2.0], device="cuda", requires_grad=True)
    for clone in (pickle.loads(pickle.dumps(x)), copy.deepcopy(x)):
        assert on_gpu(clone) and clone.requires_grad
        assert clone.tolist() == [1.0, 2.0]


# Mixed devices: RuntimeError naming both --------------------------------------------

MIXED = [
    ("add", lambda a, b: a + b),
    ("radd", lambda a, b: b + a),
    ("sub", lambda a, b: a - b),
    ("mul", lambda a, b: a * b),
    ("div", lambda a, b: a / b),
    ("pow", lambda a, b: a**b),
    ("eq", lambda a, b: a == b),
    ("lt", lambda a, b: a < b),
    ("maximum", lambda a, b: ember.maximum(a, b)),
    ("where", lambda a, b: ember.where(a > 0, a, b)),
    ("where_condition", lambda a, b: ember.where(b > 0, a, a)),
    ("clamp", lambda a, b: ember.clamp(a, min=b)),
    ("logical_and", lambda a, b: ember.logical_and(a > 0, b > 0)),
    ("isclose", lambda a, b: ember.isclose(a, b)),
    ("equal", lambda a, b: ember.equal(a, b)),
    ("matmul", lambda a, b: a @ b),
    ("mm", lambda a, b: ember.mm(a, b)),
    ("cat", lambda a, b: ember.cat([a, b])),
    ("stack", lambda a, b: ember.stack([a, b])),
    ("add_", lambda a, b: a.add_(b)),
    ("mul_", lambda a, b: a.mul_(b)),
    ("solve", lambda a, b: ember.linalg.solve(a + 3 * ember.eye(2, device=a.device), b)),
    ("linear", lambda a, b: F.linear(a, b)),
    ("mse_loss", lambda a, b: F.mse_loss(a, b)),
    ("bce_logits", lambda a, b: F.binary_cross_entropy_with_logits(a, b.sigmoid())),
    ("gather", lambda a, b: a.gather(1, b.long() % 2)),
    ("scatter", lambda a, b: a.scatter(1, b.long() % 2, a)),
    ("scatter_add", lambda a, b: a.scatter_add(1, b.long() % 2, a)),
    ("index_select", lambda a, b: a.index_select(1, b[0].long() % 2)),
    ("take_along_dim", lambda a, b: a.take_along_dim(b.long() % 2, 1)),
    ("prelu", lambda a, b: F.prelu(a, b[0, :1])),
]


@pytest.mark.parametrize("op", [m[1] for m in MIXED], ids=[m[0] for m in MIXED])
@pytest.mark.parametrize("gpu_first", [True, False], ids=["cuda_cpu", "cpu_cuda"])
def test_mixed_devices_raise_runtime_error_naming_both(cuda, op, gpu_first):
    host = ember.tensor([[1.0, 2.0], [3.0, 4.0]])
    device = host.cuda()
    a, b = (device, host) if gpu_first else (host, device)
    with pytest.raises(RuntimeError) as caught:
        op(a, b)
    message = str(caught.value)
    assert "cuda:0" in message and "cpu" in message, message


def test_cross_entropy_with_a_cpu_target_names_both_devices(cuda):
    logits = ember.randn(4, 3, device="cuda")
    with pytest.raises(RuntimeError, match="cuda:0 and cpu"):
        F.cross_entropy(logits, ember.tensor([0, 1, 2, 0]))
    with pytest.raises(RuntimeError, match="cuda:0"):
        F.nll_loss(logits, ember.tensor([0, 1, 2, 0], device="cuda"), weight=ember.ones(3))


def test_a_zero_dim_cpu_tensor_counts_as_a_number(cuda):
    x = ember.tensor([1.0, 2.0], device="cuda")
    scale = ember.tensor(3.0)
    for result in (x * scale, scale * x, x + scale, ember.maximum(x, scale)):
        assert on_gpu(result)
    assert (x * scale).tolist() == [3.0, 6.0]
    x.mul_(ember.tensor(2.0))
    assert x.tolist() == [2.0, 4.0]
    with pytest.raises(RuntimeError, match="same device"):
        ember.tensor([1.0, 2.0]) * ember.tensor(2.0, device="cuda") @ ember.ones(2)


def test_indexing_across_devices(cuda):
    x = ember.arange(6.0, device="cuda").reshape(2, 3)
    assert x[ember.tensor([1, 0])].tolist() == [[3.0, 4.0, 5.0], [0.0, 1.0, 2.0]]  # CPU index
    assert x[ember.tensor([1, 0], device="cuda")].tolist()[0] == [3.0, 4.0, 5.0]
    assert on_gpu(x[x > 2]) and x[x > 2].tolist() == [3.0, 4.0, 5.0]
    with pytest.raises(RuntimeError, match="indices should be either on cpu or on the same device"):
        ember.arange(3)[ember.tensor([0], device="cuda")]
    x[0] = ember.tensor([9.0, 9.0, 9.0])  # a CPU value is copied over, as copy_ does
    assert x[0].tolist() == [9.0, 9.0, 9.0]
    y = ember.zeros(3)
    y[1:] = ember.ones(2, device="cuda")
    assert y.tolist() == [0.0, 1.0, 1.0]
    y.copy_(ember.full((3,), 2.0, device="cuda"))
    assert y.device == "cpu" and y.tolist() == [2.0, 2.0, 2.0]


def test_index_gradient_scatter_adds_on_the_gpu(cuda):
    x = ember.arange(4.0, device="cuda", requires_grad=True)
    x[ember.tensor([0, 0, 3], device="cuda")].sum().backward()
    assert on_gpu(x.grad) and x.grad.tolist() == [2.0, 0.0, 0.0, 1.0]
    with pytest.raises(AttributeError):  # the fake, like CuPy, has no ufunc.at
        fake_cupy.namespace.add.at(x._data, [0], 1.0)


# Every op family on the GPU gives the CPU's values and gradients ---------------------

OPS = [
    ("arith", lambda t, x, y: ((x * y + x) / (y.abs() + 1) - x**2).sum()),
    ("unary", lambda t, x, y: (x.exp() + x.sin() + x.cos() + x.tanh() + x.sigmoid()).sum()),
    ("log_sqrt", lambda t, x, y: ((x.abs() + 1).log() + (x.abs() + 1).sqrt()).sum()),
    ("relu_clamp", lambda t, x, y: (x.relu() + x.clamp(-0.5, 0.5) + t.maximum(x, y)).sum()),
    ("reductions", lambda t, x, y: x.mean() + x.var() + x.amax(1).sum() + x.max(0).values.sum()),
    ("logsumexp", lambda t, x, y: x.logsumexp(1).sum() + x.cumsum(1).sum() + x.prod()),
    ("movement", lambda t, x, y: (x.t() @ y).reshape(-1).flip(0)[1:4].sum()),
    ("cat_stack", lambda t, x, y: t.cat([x, y], 1).sum() + t.stack([x, y]).pow(2).sum()),
    ("expand", lambda t, x, y: (x[:, :1].expand(3, 4) * y).sum()),
    ("index", lambda t, x, y: x[t.tensor([0, 2, 2])].sum() + x[x > 0].sum()),
    ("where", lambda t, x, y: t.where(x > y, x, y * 2).sum()),
    ("matmul", lambda t, x, y: (x @ y.t()).sum() + t.mv(x, y[0]).sum()),
    ("norm", lambda t, x, y: x.norm() + t.linalg.vector_norm(y, 1)),
    ("softmax", lambda t, x, y: (F.softmax(x, 1) * y).sum() + F.log_softmax(x, 0).sum()),
    ("cross_entropy", lambda t, x, y: F.cross_entropy(x, t.tensor([0, 3, 1]))),
    ("ce_smooth", lambda t, x, y: F.cross_entropy(x, t.tensor([0, 3, 1]), label_smoothing=0.1)),
    ("bce", lambda t, x, y: F.binary_cross_entropy(x.sigmoid(), y.sigmoid())),
    ("bce_logits", lambda t, x, y: F.binary_cross_entropy_with_logits(x, (y > 0).float())),
    ("losses", lambda t, x, y: F.mse_loss(x, y) + F.l1_loss(x, y) + F.huber_loss(x, y)),
    ("linear", lambda t, x, y: F.linear(x, y, y[0, :3].clone()).sum()),
]


@pytest.mark.parametrize("fn", [o[1] for o in OPS], ids=[o[0] for o in OPS])
def test_ops_on_the_gpu_match_the_cpu(cuda, fn):
    rng = np.random.default_rng(0)
    x_values = rng.uniform(-1, 1, (3, 4)).astype(np.float32)
    y_values = rng.uniform(-1, 1, (3, 4)).astype(np.float32)
    results = {}
    for device in ("cpu", "cuda"):
        x = ember.tensor(x_values, device=device, requires_grad=True)
        y = ember.tensor(y_values, device=device, requires_grad=True)
        with ember.device(device):
            out = fn(ember, x, y)
        assert out.device.type == device
        out.backward()
        assert x.grad.device.type == device
        results[device] = [out.detach().cpu().numpy()] + [
            t.grad.cpu().numpy() for t in (x, y) if t.grad is not None
        ]
    for on_cpu, on_gpu_ in zip(results["cpu"], results["cuda"]):
        np.testing.assert_allclose(on_gpu_, on_cpu, rtol=1e-6, atol=1e-6)


# Raw views: CuPy's as_strided leaves no base, so the storage comes from the allocation --

RAW_VIEWS = [
    ("offset", lambda t, x: x.as_strided((3, 2), (2, 1), 1)),
    ("overlapping", lambda t, x: x.as_strided((4, 3), (1, 1), 2)),
    ("of_a_slice", lambda t, x: x[3:].as_strided((2, 2), (3, 1), 5)),
    ("of_a_transpose", lambda t, x: x.view(3, 4).t().as_strided((2, 2), (1, 4), 1)),
    ("of_an_as_strided", lambda t, x: x.as_strided((3, 2), (2, 1), 1).as_strided((2,), (3,), 2)),
    ("after_a_dtype_view", lambda t, x: x.detach()[2:].view(t.int32).as_strided((2,), (2,), 3)),
    ("empty_strided", lambda t, x: t.empty_strided((2, 3), (1, 2)).fill_(1.0) * x[:6].view(2, 3)),
]


def raw_view_on(device, fn):
    """The layout, values and leaf gradient of ``fn``'s raw view of a fresh leaf."""
    x = ember.arange(12.0, device=device).requires_grad_()
    with ember.device(device):
        view = fn(ember, x)
    assert view.device.type == device
    layout = (view.shape, view.stride(), view.storage_offset())
    grad = None
    if view.requires_grad:
        (view * view).sum().backward()
        grad = x.grad.cpu().numpy()
    return layout, view.detach().cpu().numpy(), grad


@pytest.mark.parametrize("fn", [o[1] for o in RAW_VIEWS], ids=[o[0] for o in RAW_VIEWS])
def test_raw_views_on_the_gpu_match_the_cpu(cuda, fn):
    (cpu_layout, *cpu_arrays), (gpu_layout, *gpu_arrays) = (
        raw_view_on(device, fn) for device in ("cpu", "cuda")
    )
    assert gpu_layout == cpu_layout
    for on_cpu, on_gpu_ in zip(cpu_arrays, gpu_arrays):
        np.testing.assert_array_equal(on_gpu_, on_cpu)


# Modules, optimizers and training ---------------------------------------------------


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
        self.register_buffer("scale", ember.ones(3))

    def forward(self, x):
        return self.layers(x) * self.scale


def test_module_to_moves_parameters_and_buffers_in_place(cuda):
    ember.manual_seed(0)
    net = Net()
    parameters = list(net.parameters())
    net.layers[0].weight.grad = ember.zeros(8, 4)
    assert net.to("cuda") is net
    assert [id(p) for p in net.parameters()] == [id(p) for p in parameters]  # identity kept
    assert all(on_gpu(p) and isinstance(p, nn.Parameter) for p in net.parameters())
    assert on_gpu(net.scale) and on_gpu(net.layers[0].weight.grad)
    assert all(on_gpu(value) for value in net.state_dict().values())
    assert on_gpu(net(ember.randn(2, 4, device="cuda")))
    net.cpu()
    assert all(p.device == "cpu" for p in net.parameters()) and net.scale.device == "cpu"
    net.cuda().double()
    assert all(on_gpu(p) and p.dtype == ember.float64 for p in net.parameters())


def _train(device, optimizer_class, steps=3, **options):
    ember.manual_seed(0)
    net = Net().to(device)
    optimizer = optimizer_class(net.parameters(), lr=0.1, **options)
    rng = np.random.default_rng(1)
    x = ember.tensor(rng.normal(size=(16, 4)).astype(np.float32)).to(device)
    y = ember.tensor(rng.integers(0, 3, 16)).to(device)
    losses, reads = [], []
    for _ in range(steps):
        before = fake_cupy.host_reads[0]
        optimizer.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        optimizer.step()
        reads.append(fake_cupy.host_reads[0] - before)
        losses.append(loss.item())
    return losses, [p.detach().cpu().numpy() for p in net.parameters()], reads, optimizer


@pytest.mark.parametrize(
    "optimizer_class, options",
    [
        (ember.optim.SGD, {"momentum": 0.9}),
        (ember.optim.Adam, {}),
        (ember.optim.AdamW, {"amsgrad": True}),
    ],
    ids=["sgd_momentum", "adam", "adamw_amsgrad"],
)
def test_training_on_the_gpu_matches_the_cpu_without_host_syncs(cuda, optimizer_class, options):
    cpu_losses, cpu_weights, _, _ = _train("cpu", optimizer_class, **options)
    gpu_losses, gpu_weights, reads, optimizer = _train("cuda", optimizer_class, **options)
    np.testing.assert_allclose(gpu_losses, cpu_losses, rtol=1e-6)
    for on_gpu_, on_cpu in zip(gpu_weights, cpu_weights):
        np.testing.assert_allclose(on_gpu_, on_cpu, rtol=1e-5, atol=1e-6)
    assert reads == [0, 0, 0], "a training step read values back from the GPU (a sync)"
    for state in optimizer.state.values():
        for name, value in state.items():
            if isinstance(value, ember.Tensor):
                assert value.device.type == ("cpu" if name == "step" else "cuda"), name


def test_optimizer_state_dict_loads_onto_the_gpu(cuda):
    _, _, _, optimizer = _train("cpu", ember.optim.Adam, steps=1)
    net = Net().cuda()
    fresh = ember.optim.Adam(net.parameters())
    fresh.load_state_dict(optimizer.state_dict())
    state = next(iter(fresh.state.values()))
    assert on_gpu(state["exp_avg"]) and state["step"].device == "cpu"


# Saving and loading -----------------------------------------------------------------


def _saved(obj):
    buffer = io.BytesIO()
    ember.save(obj, buffer)
    buffer.seek(0)
    return buffer


def test_save_stores_host_copies_and_load_puts_them_back(cuda):
    net = Net().cuda()
    buffer = _saved(net.state_dict())
    loaded = ember.load(buffer)
    assert all(on_gpu(value) for value in loaded.values())
    for key, value in net.state_dict().items():
        assert np.array_equal(loaded[key].cpu().numpy(), value.cpu().numpy())
    raw = ember.load(_saved({"array": ember.ones(2, device="cuda")._data}))
    assert type(raw["array"]) is np.ndarray  # a bare CuPy array is stored as a NumPy array


@pytest.mark.parametrize(
    "map_location, expected",
    [
        ("cpu", "cpu"),
        (ember.device("cpu"), "cpu"),
        ({"cuda:0": "cpu"}, "cpu"),
        ({"cuda:1": "cpu"}, "cuda"),  # not in the dict: where it was saved
        (lambda tensor, location: tensor, "cpu"),  # torch's "storage, loc: storage" idiom
        (lambda tensor, location: None, "cuda"),  # None: where it was saved, as in torch
        (lambda tensor, location: tensor.cuda(), "cuda"),
        ("cuda", "cuda"),
        (None, "cuda"),
    ],
)
def test_load_map_location(cuda, map_location, expected):
    saved = _saved({"w": ember.ones(2, device="cuda"), "b": nn.Parameter(ember.zeros(1).cuda())})
    loaded = ember.load(saved, map_location=map_location)
    for value in loaded.values():
        assert value.device.type == expected
    assert isinstance(loaded["b"], nn.Parameter)


def test_cpu_tensors_load_onto_the_gpu(cuda):
    loaded = ember.load(_saved([ember.ones(2)]), map_location="cuda:0")
    assert on_gpu(loaded[0])


def test_loading_gpu_tensors_without_cuda_says_to_map_them(cuda):
    saved = _saved({"w": ember.ones(2, device="cuda")})
    backend.forget_cuda_namespace()
    try:
        with pytest.raises(RuntimeError, match="map_location='cpu'"):
            ember.load(saved)
        saved.seek(0)
        assert ember.load(saved, map_location="cpu")["w"].tolist() == [1.0, 1.0]
    finally:
        fake_cupy.install()


# Data loading ---------------------------------------------------------------------


def test_dataloader_yields_cpu_batches_that_move_to_the_gpu(cuda):
    from ember.utils.data import DataLoader, TensorDataset

    data = TensorDataset(ember.randn(10, 3), ember.arange(10))
    for pin_memory in (False, True):
        for x, y in DataLoader(data, batch_size=4, shuffle=True, pin_memory=pin_memory):
            assert x.device == "cpu" and y.device == "cpu"
            assert on_gpu(x.to("cuda")) and on_gpu(y.cuda())
    on_device = TensorDataset(ember.randn(10, 3, device="cuda"), ember.arange(10, device="cuda"))
    batches = list(DataLoader(on_device, batch_size=4))
    assert all(on_gpu(x) and on_gpu(y) for x, y in batches)  # as torch: stays where it is


# ember.cuda ---------------------------------------------------------------------


def test_cuda_module_on_the_fake_gpu(cuda):
    assert ember.cuda.is_available() and ember.cuda.device_count() == 1
    assert ember.cuda.unavailable_reason() == ""
    assert ember.cuda.current_device() == 0
    assert ember.cuda.get_device_name() == "Fake GPU (NumPy)"
    assert ember.cuda.get_device_name("cuda:0") == ember.cuda.get_device_name(0)
    before = fake_cupy.runtime.synchronized
    ember.cuda.synchronize()
    assert fake_cupy.runtime.synchronized == before + 1
    ember.cuda.empty_cache()
    assert ember.cuda.memory_allocated() == 0
    ember.cuda.manual_seed(3)
    first = ember.randn(4, device="cuda").tolist()
    ember.cuda.manual_seed_all(3)
    assert ember.randn(4, device="cuda").tolist() == first


# A guard for code written later -------------------------------------------------------


def test_ops_never_dispatch_on_numpys_array_type():
    """``type(x) is numpy.ndarray`` is False for a CuPy array, so a branch on it silently
    skips the GPU. Ops ask ``backend.is_array``, ``is_cuda_array`` or ``namespace_of``."""
    numpy_type_check = re.compile(
        r"type\([^)]*\) is (not )?(_ndarray|backend\.ndarray|np\.ndarray|numpy\.ndarray)"
    )
    source = pathlib.Path(ember.__file__).parent
    offenders = []
    for folder in ("ops", "nn", "optim", "autograd"):
        for path in sorted((source / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if numpy_type_check.search(line):
                    offenders.append(f"{path.relative_to(source)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_label_smoothing_reads_nothing_back_from_the_gpu(cuda):
    """cross_entropy's 'mean' with label_smoothing counted the kept targets with float(),
    a GPU sync at every training step."""
    x = ember.randn(8, 5, device="cuda", requires_grad=True)
    y = ember.tensor([0, 1, 2, 3, 4, 0, 1, -100], device="cuda")
    before = fake_cupy.host_reads[0]
    F.cross_entropy(x, y, label_smoothing=0.1).backward()
    assert fake_cupy.host_reads[0] == before
