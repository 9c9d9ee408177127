"""ember.save / ember.load (SPEC N6): round trips of tensors and state dicts, a format
that runs no code when loaded, clear errors for damaged or foreign files, and atomic
saves that a crash cannot half-write."""

import io
import json
import math
import os
import pickle
import signal
import stat
import subprocess
import sys
import textwrap
import zipfile
from collections import Counter, OrderedDict

import numpy as np
import pytest
import torch

import ember
from ember import nn


def assert_tensors_equal(a, b):
    assert type(a) is type(b)
    assert a.dtype == b.dtype and a.shape == b.shape
    assert a.requires_grad == b.requires_grad
    np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


# Round trips --------------------------------------------------------------------------------


def test_tensors_of_every_dtype_and_shape_round_trip(tmp_path):
    base = np.arange(24).reshape(2, 3, 4)
    values = {
        name: ember.tensor(base.astype(name) if name != "bool" else base % 2 == 0)
        for name in (
            "float16",
            "float32",
            "float64",
            "uint8",
            "int8",
            "int16",
            "int32",
            "int64",
            "bool",
        )
    }
    values["scalar"] = ember.tensor(3.5)
    values["empty"] = ember.zeros(0, 3)
    values["view"] = ember.arange(12.0).reshape(3, 4)[:, ::2].T  # not contiguous
    values["grad"] = ember.ones(2, requires_grad=True)
    path = tmp_path / "tensors.pt"
    ember.save(values, path)
    loaded = ember.load(path)
    assert list(loaded) == list(values)
    for key, value in values.items():
        assert_tensors_equal(loaded[key], value)


def test_nested_python_values_round_trip(tmp_path):
    obj = {
        "numbers": [0, -7, 2**70, 1.5, -0.0, math.inf, -math.inf, 1e-300, True, False, None],
        "text": 'ünïcødé \n "quotes"',
        "tuple": (1, (2, [3, {"deep": ember.tensor([1.0])}])),
        "ordered": OrderedDict([("b", 1), ("a", 2)]),
        "counter": Counter({2: 1, 5: 2}),
        7: "int key",
        0.5: "float key",
        "size": ember.zeros(2, 3).shape,
        "dtype": ember.float64,
        "device": ember.device("cpu"),
        "array": np.arange(6, dtype=np.int32).reshape(2, 3),
    }
    path = tmp_path / "nested.pt"
    ember.save(obj, path)
    loaded = ember.load(path)
    assert loaded["numbers"] == obj["numbers"]
    assert loaded["text"] == obj["text"]
    assert type(loaded["tuple"]) is tuple and loaded["tuple"][1][1][1]["deep"].tolist() == [1.0]
    assert type(loaded["ordered"]) is OrderedDict and list(loaded["ordered"]) == ["b", "a"]
    assert type(loaded["counter"]) is Counter and loaded["counter"] == obj["counter"]
    assert loaded[7] == "int key" and loaded[0.5] == "float key"
    assert isinstance(loaded["size"], ember.Size) and loaded["size"] == (2, 3)
    assert loaded["dtype"] is ember.float64 and loaded["device"] == ember.device("cpu")
    np.testing.assert_array_equal(loaded["array"], obj["array"])
    nan = ember.load(_saved(tmp_path, [math.nan]))[0]
    assert math.isnan(nan)


def _saved(folder, obj, name="obj.pt"):
    path = folder / name
    ember.save(obj, path)
    return path


def test_parameters_come_back_as_parameters_and_shared_tensors_once(tmp_path):
    shared = ember.ones(3)
    weight = nn.Parameter(ember.zeros(2))
    loaded = ember.load(_saved(tmp_path, {"a": shared, "b": shared, "w": weight}))
    assert loaded["a"] is loaded["b"]
    assert isinstance(loaded["w"], nn.Parameter) and loaded["w"].requires_grad
    with zipfile.ZipFile(tmp_path / "obj.pt") as archive:
        assert sum(name.endswith(".npy") for name in archive.namelist()) == 2


def test_loaded_tensors_do_not_share_memory_with_the_saved_ones(tmp_path):
    original = ember.zeros(3)
    loaded = ember.load(_saved(tmp_path, original))
    loaded[0] = 5.0
    assert original[0].item() == 0.0
    loaded.add_(1)  # writable


def test_file_objects_and_map_location(tmp_path):
    buffer = io.BytesIO()
    ember.save({"x": ember.arange(3.0)}, buffer)
    buffer.seek(0)
    assert ember.load(buffer)["x"].tolist() == [0.0, 1.0, 2.0]
    path = _saved(tmp_path, ember.ones(2))
    assert ember.load(path, map_location="cpu").device == ember.device("cpu")
    assert ember.load(path, map_location=ember.device("cpu")).tolist() == [1.0, 1.0]
    assert ember.load(path, map_location={"cuda:0": "cpu"}).tolist() == [1.0, 1.0]
    seen = []
    ember.load(path, map_location=lambda tensor, location: seen.append(location) or tensor)
    assert seen == ["cpu"]


def test_model_optimizer_and_scheduler_checkpoint_resumes_training(tmp_path):
    def build():
        ember.manual_seed(0)
        net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
        opt = ember.optim.Adam(net.parameters(), lr=0.05, amsgrad=True)
        scheduler = ember.optim.lr_scheduler.MultiStepLR(opt, milestones=[2, 4], gamma=0.5)
        return net, opt, scheduler

    x = ember.tensor(np.random.default_rng(0).standard_normal((16, 3)).astype(np.float32))
    y = x.sum(1, keepdim=True)

    def train(net, opt, scheduler, steps):
        for _ in range(steps):
            opt.zero_grad()
            loss = nn.functional.mse_loss(net(x), y)
            loss.backward()
            opt.step()
            scheduler.step()
        return loss.item()

    net, opt, scheduler = build()
    train(net, opt, scheduler, 3)
    path = tmp_path / "checkpoint.pt"
    ember.save(
        {
            "model": net.state_dict(),
            "optimizer": opt.state_dict(),
            "scheduler": scheduler.state_dict(),
            "epoch": 3,
        },
        path,
    )
    expected = train(net, opt, scheduler, 4)

    checkpoint = ember.load(path)
    assert checkpoint["epoch"] == 3
    assert list(checkpoint["optimizer"]["state"]) == [0, 1, 2, 3]
    net2, opt2, scheduler2 = build()
    net2.load_state_dict(checkpoint["model"])
    opt2.load_state_dict(checkpoint["optimizer"])
    scheduler2.load_state_dict(checkpoint["scheduler"])
    assert train(net2, opt2, scheduler2, 4) == expected
    for a, b in zip(net.parameters(), net2.parameters()):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


# Refusing what it cannot store ---------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [object(), {frozenset({1})}, {("tuple", object()): 1}, nn.Linear(1, 1), np.array(["text"])],
)
def test_unsupported_objects_are_refused_before_anything_is_written(tmp_path, value):
    path = _saved(tmp_path, {"old": ember.ones(1)})
    before = path.read_bytes()
    with pytest.raises(TypeError, match="ember.save cannot store"):
        ember.save({"new": value}, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["obj.pt"]


# Damaged and foreign files --------------------------------------------------------------------


def test_truncated_files_give_a_clear_error(tmp_path):
    data = _saved(tmp_path, {"w": ember.ones(1000), "b": ember.zeros(10)}).read_bytes()
    for cut in (0, 10, len(data) // 2, len(data) - 30):
        damaged = tmp_path / f"cut{cut}.pt"
        damaged.write_bytes(data[:cut])
        with pytest.raises(RuntimeError, match=f"ember.load: .*cut{cut}.pt"):
            ember.load(damaged)


def test_corrupted_array_bytes_are_detected(tmp_path):
    path = _saved(tmp_path, ember.arange(100.0))
    data = bytearray(path.read_bytes())
    position = data.find(b"\x00\x00\x80\x3f")  # the float32 1.0 in the array entry
    data[position + 3] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(RuntimeError, match="obj.pt"):
        ember.load(path)


class Exploit:
    """Unpickling this would create the marker file: proof that code ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _zip_with(path, entries):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)


def test_pickle_payloads_are_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    plain = tmp_path / "plain.pt"
    plain.write_bytes(pickle.dumps(Exploit(str(marker))))
    with pytest.raises(RuntimeError, match="pickle"):
        ember.load(plain)

    # A well-formed archive whose array entry is an object array (a pickle inside .npy).
    npy = io.BytesIO()
    np.save(npy, np.array([Exploit(str(marker))], dtype=object), allow_pickle=True)
    header = {
        "format": "ember.save",
        "version": 1,
        "root": {"type": "tensor", "array": 0, "requires_grad": False},
    }
    crafted = tmp_path / "crafted.pt"
    _zip_with(
        crafted, {"ember/header.json": json.dumps(header), "ember/arrays/0.npy": npy.getvalue()}
    )
    with pytest.raises(RuntimeError, match="crafted.pt"):
        ember.load(crafted)

    # A PyTorch checkpoint (zip + data.pkl) carrying the same payload.
    checkpoint = tmp_path / "torch.pt"
    torch.save({"x": torch.ones(2)}, checkpoint)
    with pytest.raises(RuntimeError, match="PyTorch checkpoint"):
        ember.load(checkpoint)
    evil = tmp_path / "evil_torch.pt"
    _zip_with(evil, {"archive/data.pkl": pickle.dumps(Exploit(str(marker)))})
    with pytest.raises(RuntimeError, match="PyTorch checkpoint"):
        ember.load(evil)
    assert not marker.exists()


def test_array_entries_claiming_more_data_than_they_hold_are_refused(tmp_path):
    npy = io.BytesIO()
    np.save(npy, np.zeros(4, np.float32))
    forged = io.BytesIO()
    description = {"descr": "<f4", "fortran_order": False, "shape": (10**13,)}
    np.lib.format.write_array_header_1_0(forged, description)
    forged = forged.getvalue() + bytes(16)
    header = with_root({"type": "tensor", "array": 0})
    for name, payload in (("huge.pt", forged), ("short.pt", npy.getvalue()[:-3])):
        _zip_with(tmp_path / name, {"ember/header.json": header, "ember/arrays/0.npy": payload})
        with pytest.raises(RuntimeError, match=f"{name}.*(claims shape|ends early)"):
            ember.load(tmp_path / name)


def with_root(node):
    return json.dumps({"format": "ember.save", "version": 1, "root": node})


@pytest.mark.parametrize(
    "header",
    [
        "not json",
        json.dumps([1, 2]),
        json.dumps({"format": "other", "version": 1, "root": {"type": "none"}}),
        json.dumps({"format": "ember.save", "version": 99, "root": {"type": "none"}}),
        json.dumps({"format": "ember.save", "version": 1}),
        with_root({"type": "pickle"}),
        with_root({"type": "tensor", "array": 5}),
        with_root({"type": "tensor", "array": "x"}),
        with_root({"type": "int", "value": 1.5}),
        with_root({"type": "float", "value": "1e"}),
        with_root({"type": "list", "items": {"not": "a list"}}),
        with_root({"type": "dict", "items": [[{"type": "list", "items": []}, {"type": "none"}]]}),
        with_root({"type": "dtype", "name": "x"}),
        with_root(3),
        '{"format": "ember.save", "version": 1, "root": ' + "[" * 100000 + "]" * 100000 + "}",
    ],
)
def test_crafted_headers_give_a_clear_error(tmp_path, header):
    path = tmp_path / "crafted.pt"
    _zip_with(path, {"ember/header.json": header})
    with pytest.raises(RuntimeError, match="crafted.pt"):
        ember.load(path)


def test_paths_that_cannot_work_raise_torch_error_types(tmp_path):
    with pytest.raises(FileNotFoundError):
        ember.load(tmp_path / "missing.pt")
    with pytest.raises(IsADirectoryError):
        ember.load(tmp_path)
    with pytest.raises(RuntimeError, match="is a directory"):
        ember.save({"a": 1}, tmp_path)
    with pytest.raises(RuntimeError, match="Parent directory .*missing does not exist"):
        ember.save({"a": 1}, tmp_path / "missing" / "x.pt")
    with pytest.raises(RuntimeError):
        torch.save({"a": 1}, tmp_path / "missing" / "x.pt")


@pytest.mark.parametrize("f", [None, 3.5, b"bytes-path.pt"], ids=["none", "float", "bytes"])
def test_what_is_neither_a_path_nor_a_file_is_an_attribute_error_like_torch(
    tmp_path, monkeypatch, f
):
    monkeypatch.chdir(tmp_path)  # a bytes path, were it taken, would land here
    for library in (torch, ember):
        with pytest.raises(AttributeError):
            library.save({"a": library.ones(1)}, f)
        with pytest.raises(AttributeError):
            library.load(f)
    with pytest.raises(AttributeError, match="ember.save expected a path or a binary file"):
        ember.save({"a": 1}, f)
    assert os.listdir(tmp_path) == []


# Atomic saves -------------------------------------------------------------------------------


def test_a_failing_save_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    import ember.serialization as serialization

    path = _saved(tmp_path, {"version": 1, "w": ember.ones(3)})

    def broken(stream, array):
        stream.write(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(serialization, "_write_array", broken)
    with pytest.raises(OSError, match="disk full"):
        ember.save({"version": 2, "w": ember.zeros(3)}, path)
    assert ember.load(path)["version"] == 1
    assert os.listdir(tmp_path) == ["obj.pt"]


SLOW_SAVE = textwrap.dedent(
    """
    import sys, time
    import ember
    import ember.serialization as serialization

    write = serialization._write_array

    def slow(stream, array):
        write(stream, array)
        print("writing", flush=True)
        time.sleep(60)

    serialization._write_array = slow
    ember.save({"version": 2, "w": ember.zeros(100000)}, sys.argv[1])
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_killing_a_process_mid_save_leaves_the_old_file_intact(tmp_path):
    path = _saved(tmp_path, {"version": 1, "w": ember.ones(5)}, name="model.pt")
    before = path.read_bytes()
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_SAVE, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout.readline().strip() == "writing"
        temporaries = [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]
        assert len(temporaries) == 1 and temporaries[0].startswith(".model.pt.")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        process.stdout.close()
    assert process.returncode == -signal.SIGKILL
    assert path.read_bytes() == before
    loaded = ember.load(path)
    assert loaded["version"] == 1 and loaded["w"].tolist() == [1.0] * 5
    # The half-written temporary is left beside it, never in its place.
    leftover = [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]
    assert len(leftover) == 1
    with pytest.raises(RuntimeError):
        ember.load(tmp_path / leftover[0])


# What a save over an existing path keeps (the twenty-second day's audit): PyTorch writes
# into the file; ember writes a new file and renames it, keeping what the rename would lose.


def test_a_save_through_a_symbolic_link_replaces_the_file_it_names(tmp_path):
    target = _saved(tmp_path, ember.arange(4.0), name="target.pt")
    link = tmp_path / "link.pt"
    link.symlink_to(target)
    ember.save(ember.zeros(2), link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert ember.load(target).tolist() == [0.0, 0.0]


def test_a_save_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    path = _saved(tmp_path, ember.ones(2))
    os.chmod(path, 0o600)
    ember.save(ember.zeros(2), path)
    assert (os.stat(path).st_mode & 0o777) == 0o600
    assert ember.load(path).tolist() == [0.0, 0.0]


def test_a_save_writes_into_a_device_rather_than_replace_it(tmp_path):
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
    except PermissionError:
        pytest.skip("making a device file needs root")
    ember.save(ember.ones(3), device)  # (PyTorch writes into it as well)
    assert stat.S_ISCHR(os.stat(device).st_mode)  # still the device


def test_a_read_only_file_is_refused_and_kept(tmp_path):
    path = _saved(tmp_path, ember.ones(2))
    os.chmod(path, 0o444)
    if os.access(path, os.W_OK):
        pytest.skip("this user (root) may write a read-only file")
    with pytest.raises(PermissionError, match="read-only"):
        ember.save(ember.zeros(2), path)
    assert ember.load(path).tolist() == [1.0, 1.0]


def test_a_long_file_name_leaves_room_for_the_temporary_files_name(tmp_path):
    path = _saved(tmp_path, ember.ones(2), name="w" * 240 + ".pt")
    assert ember.load(path).tolist() == [1.0, 1.0]
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


@pytest.mark.filterwarnings("ignore:pickle_load_args")  # torch's note on the argument
@pytest.mark.parametrize("argument", ["map_locaton", "weight_only"])
def test_load_refuses_an_argument_it_does_not_know(tmp_path, argument):
    for library in (torch, ember):
        path = tmp_path / f"{library.__name__}.pt"
        library.save(library.ones(2), path)
        with pytest.raises(TypeError, match=argument):
            library.load(path, **{argument: "cpu"})


def test_load_with_mmap_needs_a_path():
    for library in (torch, ember):
        buffer = io.BytesIO()
        library.save(library.ones(2), buffer)
        buffer.seek(0)
        with pytest.raises(ValueError, match="file path"):
            library.load(buffer, mmap=True)
