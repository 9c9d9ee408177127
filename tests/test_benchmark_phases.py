"""``python -m benchmarks.phases``: W1 and W4 by phase on ember, PyTorch and NumPy by hand."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def phases(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks import phases

    return phases


def shortened(phases, workload):
    """The workload's data, cut to a few steps so that the test is quick."""
    data = phases.WORKLOADS[workload][0].make_data()
    if workload == "W4":
        data["batches"] = data["batches"][:3]
    else:
        data["orders"] = [order[:30] for order in data["orders"][:1]]
    return data


@pytest.mark.parametrize("workload", ["W1", "W4"])
def test_every_implementation_runs_the_workloads_steps_and_times_each_phase(phases, workload):
    data = shortened(phases, workload)
    losses = {}
    for name, steps in phases.implementations(workload).items():
        laps = phases.Laps()
        losses[name] = steps(data, laps)
        assert set(laps.seconds) == set(phases.PHASES[workload]), name
        assert all(seconds > 0 for seconds in laps.seconds.values()), name
        assert laps.steps == 3, name
    assert set(losses) == {"ember", "PyTorch", "NumPy"}
    for name, loss in losses.items():  # same data, same math: the same last loss
        assert loss == pytest.approx(losses["NumPy"], rel=1e-4), name


def test_prints_one_row_per_phase_and_ember_against_the_others(phases, capsys):
    laps = {name: phases.Laps() for name in ("ember", "PyTorch", "NumPy")}
    for name, seconds in (("ember", 300e-6), ("PyTorch", 200e-6), ("NumPy", 100e-6)):
        laps[name].restart()
        for phase in phases.PHASES["W1"]:
            laps[name].seconds[phase] = seconds / 4
    phases.print_table("W1", laps)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[2:]] == [*phases.PHASES["W1"], "step"]
    assert lines[-1].split() == ["step", "300.0", "200.0", "100.0", "1.50x", "3.00x"]


def test_implementations_can_be_chosen_and_ember_comes_first(phases, capsys):
    assert list(phases.implementations("W4", ("ember", "numpy"))) == ["ember", "NumPy"]
    with pytest.raises(SystemExit):
        phases.main(["W4", "--implementations", "numpy,ember"])
    assert "ember first" in capsys.readouterr().err
