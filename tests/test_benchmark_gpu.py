"""``python -m benchmarks.gpu`` and ``benchmarks.gpu_launch`` on the NumPy stand-in for CuPy:
the GPU check's benchmarks must run, agree across implementations and profile, and the
launch-cost table must fill, before they meet a real card."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_module(module, *arguments):
    environment = dict(os.environ, PYTHONPATH=f"{ROOT / 'src'}{os.pathsep}{ROOT}")
    finished = subprocess.run(
        [sys.executable, "-m", module, "--fake", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout


def test_the_table_says_ember_agrees_with_torch_and_cupy(tmp_path):
    table = tmp_path / "bench.md"
    output = run_module(
        "benchmarks.gpu", "--only", "W3", "--budget", "0.05", "--markdown", str(table)
    )
    row = next(line for line in table.read_text().splitlines() if line.startswith("| W3 "))
    assert row.rstrip().endswith("| yes |"), row  # the last column: ember = PyTorch
    assert row in output


def test_profile_lists_embers_own_functions_instead_of_a_table():
    output = run_module("benchmarks.gpu", "--only", "W3", "--profile")
    assert "W3, ember CUDA, 3 runs under cProfile" in output
    assert "autograd/engine.py" in output  # ember's backward engine, by own time
    assert "| W3 " not in output


def test_launch_costs_fill_a_row_per_call_in_both_libraries():
    output = run_module("benchmarks.gpu_launch")
    rows = [line for line in output.splitlines() if line.startswith("| `")]
    assert len(rows) == 10
    both = [row for row in rows if row.count(" us") == 2]
    assert len(both) == 5  # the calls PyTorch makes too have a time in each column
