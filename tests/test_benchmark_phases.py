"""``python -m benchmarks.phases``: W4 by phase on ember and NumPy by hand."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def phases(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks import phases, w4_mlp

    return phases, w4_mlp


def test_both_step_loops_are_w4_and_time_every_phase(phases):
    phases, w4_mlp = phases
    data = w4_mlp.make_data()
    data["batches"] = data["batches"][:3]  # three steps keep the test quick
    ember_laps, numpy_laps = phases.Laps(), phases.Laps()
    ember_loss = phases.ember_steps(data, ember_laps)
    numpy_loss = phases.numpy_steps(data, numpy_laps)
    assert ember_loss == pytest.approx(numpy_loss, rel=1e-5)  # same data, same math
    for laps in (ember_laps, numpy_laps):
        assert set(laps.seconds) == set(phases.PHASES)
        assert all(seconds > 0 for seconds in laps.seconds.values())


def test_prints_one_row_per_phase_and_the_ratio(phases, capsys):
    phases, _ = phases
    assert phases.main(["--runs", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line.split()[0] for line in lines[2:-2]]
    assert rows == ["batch", "layer", "layer", "loss", "backward", "update"]
    assert lines[-1].startswith("  ember / NumPy by hand: ")
