"""``python -m benchmarks.op_survey``: single ops on a batch, ember against PyTorch."""

from pathlib import Path

import pytest

import ember

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def op_survey(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks import op_survey

    return op_survey


def test_every_op_runs_forward_and_backward_on_both_libraries(op_survey):
    torch = pytest.importorskip("torch", reason="PyTorch is the test oracle but is not installed")
    results = op_survey.survey([ember, torch], size=8, number=1, repeat=1)
    assert set(results) == {name for name, _ in op_survey.OPS}
    for times in results.values():
        assert set(times) == {"ember", "torch"}
        assert all(value > 0 for pair in times.values() for value in pair)


def test_prints_a_row_per_op_slowest_first(op_survey, capsys):
    op_survey.main(["--size", "8", "--number", "1", "--repeat", "1", "--ops", "relu", "sign"])
    lines = capsys.readouterr().out.splitlines()
    rows = [line for line in lines if line.startswith("| relu ") or line.startswith("| sign ")]
    assert len(rows) == 2
    ratios = [float(row.split("|")[4].strip().rstrip("x")) for row in rows]
    assert ratios == sorted(ratios, reverse=True)
