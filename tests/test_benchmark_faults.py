"""``python -m benchmarks.faults``: fastest run and page faults per run, in a fresh process."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def faults_module(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks import faults

    return faults


def test_measures_a_time_and_a_fault_count_here(faults_module):
    fastest, faults_per_run = faults_module.measure_here("W3", "numpy")
    assert 0 < fastest < 5
    assert faults_per_run >= 0


def test_prints_one_line_per_implementation_and_round(faults_module, capsys, monkeypatch):
    monkeypatch.setattr(faults_module.subprocess, "run", fake_child)
    assert faults_module.main(["W5", "--rounds", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == [
        "  round 1  ember            50.00 ms      1507 faults",
        "  round 1  numpy            50.00 ms      1507 faults",
        "  round 2  ember            50.00 ms      1507 faults",
        "  round 2  numpy            50.00 ms      1507 faults",
    ]


def test_refuses_an_unknown_implementation(faults_module):
    with pytest.raises(SystemExit):
        faults_module.main(["W5", "--implementations", "ember,jax"])


def fake_child(command, **options):
    assert command[:3] == [sys.executable, "-m", "benchmarks.faults"]
    return type("Completed", (), {"stdout": "0.05 1507.0\n"})()
