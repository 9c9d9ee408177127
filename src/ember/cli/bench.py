"""``ember bench``: run the benchmarks of a source checkout (the ``benchmarks/`` folder).

The benchmarks are not part of the installed package: they compare ember with
PyTorch and NumPy and live beside ``src/`` in the repository. This command
finds them relative to ember's own files (``src/ember/../../benchmarks``) and
runs ``python -m benchmarks`` there with the same interpreter, so that
``ember bench`` and ``make bench`` print the same table.
"""

import subprocess
import sys
from pathlib import Path

import ember


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "bench",
        help="time ember against PyTorch and hand-written NumPy (needs a source checkout)",
        description=(
            "Run the benchmark workloads W1-W5 on ember, PyTorch (default threads and one "
            "thread) and hand-written NumPy, each in a fresh process, interleaved over "
            "rounds; print min/median/max and the ratios of medians next to the targets. "
            "See docs/benchmarks.md."
        ),
    )
    parser.add_argument("--workloads", help="comma-separated workloads, e.g. W1,W3 (default: all)")
    parser.add_argument(
        "--rounds", type=int, help="fresh processes per workload and implementation (5)"
    )
    parser.add_argument(
        "--implementations", help="comma-separated: ember,pytorch,pytorch-1t,numpy (all)"
    )
    parser.add_argument("--markdown", metavar="FILE", help="also write the report as markdown")
    parser.add_argument("--threads", type=int, metavar="N", help="cap every thread pool at N")
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 when a target is missed"
    )


def benchmarks_folder():
    """The checkout's ``benchmarks/`` folder, or None when ember is installed without it."""
    root = Path(ember.__file__).resolve().parent.parent.parent
    folder = root / "benchmarks"
    if (folder / "__main__.py").is_file() and (folder / "runner.py").is_file():
        return folder
    return None


def command_line(args):
    """The ``python -m benchmarks`` arguments that ``args`` stands for."""
    command = [sys.executable, "-m", "benchmarks"]
    for option in ("workloads", "rounds", "implementations", "markdown", "threads"):
        value = getattr(args, option, None)
        if value is not None:
            if option == "markdown":
                value = Path(value).resolve()  # the runner runs in the checkout
            command += [f"--{option}", str(value)]
    if getattr(args, "check", False):
        command.append("--check")
    return command


def run(args):
    folder = benchmarks_folder()
    if folder is None:
        expected = Path(ember.__file__).resolve().parent.parent.parent / "benchmarks"
        print(
            f"ember bench: error: the benchmarks are not installed with ember; they live in a "
            f"source checkout (looked for {expected}). Clone the repository, run "
            "'pip install -e .' there, then 'ember bench' or 'make bench'.",
            file=sys.stderr,
        )
        return 1
    return subprocess.run(command_line(args), cwd=folder.parent).returncode
