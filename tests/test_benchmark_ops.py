"""``python -m benchmarks.ops``: the cost of each op of W1's forward pass."""

from pathlib import Path

import numpy as np
import pytest

import ember

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def ops(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks import ops

    return ops


@pytest.fixture
def data(ops):
    return ops.w1_linreg.make_data()


def test_every_library_computes_w1s_forward_pass_to_the_same_loss(ops, data):
    losses = {lib.__name__: float(ops.batch_values(lib, data)["loss"]) for lib in (ember, np)}
    torch = pytest.importorskip("torch", reason="PyTorch is the test oracle but is not installed")
    losses["torch"] = float(ops.batch_values(torch, data)["loss"])
    assert losses["ember"] == pytest.approx(losses["numpy"], rel=1e-6)
    assert losses["torch"] == pytest.approx(losses["numpy"], rel=1e-6)


def test_the_recorded_setting_records_a_graph_and_no_grad_does_not(ops, data):
    found = ops.settings()
    values = ops.batch_values(ember, data)
    for name, recorded in (("ember", True), ("ember no_grad", False)):
        lib, context = found[name]
        with context():
            for op_name, _, op in ops.FORWARD:
                if op_name == "reshape":  # y needs no grad: nothing to record either way
                    continue
                assert (op(lib, values).grad_fn is not None) == recorded, (name, op_name)


def test_times_every_op_in_every_setting_and_prints_a_row_each(ops, data, capsys):
    found = ops.settings()
    times = ops.measure(found, data, number=2, repeat=2)
    assert list(times) == [op_name for op_name, _, _ in ops.FORWARD]
    assert all(set(row) == set(found) for row in times.values())
    assert all(us > 0 for row in times.values() for us in row.values())
    ops.print_table(times, number=2, repeat=2)
    lines = capsys.readouterr().out.splitlines()
    first_words = "matmul add reshape sub pow div sum all".split()
    assert [line.split()[0] for line in lines[2:]] == first_words
    total = sum(row["ember"] for row in times.values())
    assert float(lines[-1].split()[2]) == pytest.approx(total, abs=0.01)
