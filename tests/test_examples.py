"""Every walk-through in examples/ runs and prints what the notes show (SPEC X3)."""

import os
import re
import runpy
import sys

import pytest

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def run_example(name, tmp_path, monkeypatch, capsys):
    """Run examples/<name>.py as a script with its files going to tmp_path; return stdout."""
    monkeypatch.setenv("EMBER_OUT", str(tmp_path))
    monkeypatch.setattr(sys, "argv", [name + ".py"])
    monkeypatch.chdir(tmp_path)
    runpy.run_path(os.path.join(EXAMPLES, name + ".py"), run_name="__main__")
    from ember import d2l

    d2l.plt.close("all")
    d2l.set_figsize()
    return capsys.readouterr().out


def assert_png(path):
    with open(path, "rb") as file:
        assert file.read(8) == PNG_MAGIC
    assert os.path.getsize(path) > 1000


def test_every_example_is_tested():
    scripts = sorted(f[:-3] for f in os.listdir(EXAMPLES) if f.endswith(".py"))
    tested = sorted(name[len("test_") :] for name in globals() if name.startswith("test_task"))
    assert scripts == tested


def test_task02_1_data_ops(tmp_path, monkeypatch, capsys):
    out = run_example("task02_1_data_ops", tmp_path, monkeypatch, capsys)
    lines = out.splitlines()
    assert lines[0] == "tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11])"
    assert "tensor([ 1.,  4., 16., 64.])" in out  # x ** y
    assert "tensor([[0, 1],\n        [1, 2],\n        [2, 3]])" in out  # broadcasting
    assert "tensor([[0., 2.]])" in out  # X[::3, ::2]
    z_ids = [line for line in lines if line.startswith("id(Z):")]
    assert len(z_ids) == 2 and z_ids[0] == z_ids[1]
    assert "ndarray Tensor" in out and lines[-1] == "tensor([3.5000]) 3.5 3.5 3"


def test_task02_2_preprocessing(tmp_path, monkeypatch, capsys):
    out = run_example("task02_2_preprocessing", tmp_path, monkeypatch, capsys)
    expected = (
        "tensor([[3., 1., 0.],\n        [2., 0., 1.],\n        [4., 0., 1.],\n"
        "        [3., 0., 1.]], dtype=torch.float64)"
    ).replace("torch.", "ember.")
    assert expected in out
    assert "['NumRooms', 'Alley_Pave', 'Alley_nan']" in out
    assert (tmp_path / "data" / "house_tiny.csv").exists()
    assert (tmp_path / "house_tiny_preprocessor.json").exists()


def test_task02_3_linear_algebra(tmp_path, monkeypatch, capsys):
    out = run_example("task02_3_linear_algebra", tmp_path, monkeypatch, capsys)
    assert "tensor(5.) tensor(6.) tensor(1.5000) tensor(9.)" in out
    assert "ember.Size([5, 4]) tensor(190.)" in out
    assert "tensor([40., 45., 50., 55.]) ember.Size([4])" in out
    assert "tensor(5.)\ntensor(7.)\ntensor(6.)" in out  # the three norms
    assert "tensor([0.8000, 1.4000])" in out


def test_task02_4_calculus(tmp_path, monkeypatch, capsys):
    out = run_example("task02_4_calculus", tmp_path, monkeypatch, capsys)
    limits = re.findall(r"h=([\d.]+), numerical limit=([\d.]+)", out)
    assert limits[0] == ("0.10000", "2.30000") and len(limits) == 5
    assert float(limits[-1][1]) == pytest.approx(2, abs=1e-3)
    assert_png(tmp_path / "calculus_tangent.png")
    assert "ember.Size([3, 3])" in out


def test_task02_5_autograd(tmp_path, monkeypatch, capsys):
    out = run_example("task02_5_autograd", tmp_path, monkeypatch, capsys)
    lines = out.splitlines()
    assert lines[0] == "None" and lines[1] == "tensor(28., grad_fn=<MulBackward0>)"
    assert lines[2] == "tensor([ 0.,  4.,  8., 12.])"
    assert out.count("tensor([True, True, True, True])") == 3 and lines[-1] == "True"
    drawn = [f for f in os.listdir(tmp_path) if f.startswith("autograd_graph")]
    assert drawn and (tmp_path / drawn[0]).stat().st_size > 100


def test_task03_linreg_scratch(tmp_path, monkeypatch, capsys):
    out = run_example("task03_linreg_scratch", tmp_path, monkeypatch, capsys)
    epochs = re.findall(r"epoch (\d), loss ([\d.]+)", out)
    assert [e for e, _ in epochs] == ["1", "2", "3"] and float(epochs[-1][1]) < 1e-3
    errors = re.findall(r"error in estimating \w: tensor\(\[([-\d., ]+)\]", out)
    assert all(abs(float(v)) < 0.01 for part in errors for v in part.split(","))
    assert_png(tmp_path / "linreg_scatter.png")


def test_task03_linreg_concise(tmp_path, monkeypatch, capsys):
    pytest.importorskip("ember.optim").SGD
    out = run_example("task03_linreg_concise", tmp_path, monkeypatch, capsys)
    assert "Sequential(\n  (0): Linear(in_features=2, out_features=1, bias=True)\n)" in out
    epochs = re.findall(r"epoch (\d), loss ([\d.]+)", out)
    assert len(epochs) == 3 and float(epochs[-1][1]) < 1e-3
    errors = re.findall(r"error in estimating \w: tensor\(\[([-\d., ]+)\]", out)
    assert len(errors) == 2
    assert all(abs(float(v)) < 0.01 for part in errors for v in part.split(","))
