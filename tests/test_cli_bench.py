"""``ember bench``: finds the checkout's benchmarks and passes the options through."""

import argparse
import sys
from pathlib import Path

from ember.cli import bench


def parse(argv):
    parser = argparse.ArgumentParser()
    bench.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["bench", *argv])


def test_finds_the_benchmarks_of_this_checkout():
    folder = bench.benchmarks_folder()
    assert folder == Path(__file__).resolve().parent.parent / "benchmarks"


def test_options_become_the_runner_command_line():
    args = parse(["--workloads", "W1,W3", "--rounds", "2", "--markdown", "out.md", "--check"])
    command = bench.command_line(args)
    assert command[:3] == [sys.executable, "-m", "benchmarks"]
    assert command[3:] == [
        "--workloads",
        "W1,W3",
        "--rounds",
        "2",
        "--markdown",
        str(Path("out.md").resolve()),
        "--check",
    ]


def test_a_clear_error_without_a_checkout(monkeypatch, capsys):
    monkeypatch.setattr(bench, "benchmarks_folder", lambda: None)
    assert bench.run(parse([])) == 1
    assert "source checkout" in capsys.readouterr().err


def test_the_runner_rejects_an_unknown_workload(capsys):
    sys.path.insert(0, str(bench.benchmarks_folder().parent))
    try:
        from benchmarks import runner
    finally:
        sys.path.pop(0)
    assert runner.main(["--workloads", "W9"]) == 2
    assert "unknown workload" in capsys.readouterr().err
