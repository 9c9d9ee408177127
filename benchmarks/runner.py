"""Run the workloads interleaved over rounds, each in a fresh process; print the ratios.

    python -m benchmarks [--workloads W1,W3] [--rounds 5] [--markdown FILE] [--check]

Round after round, every (workload, implementation) pair runs once in its own
process (``worker.py``), in an order rotated each round so slow drift in the
machine's load spreads over all pairs. Each process gives one sample (the
fastest of its timed runs); the report gives min/median/max over the rounds
and the ratio of medians of ember to PyTorch and to NumPy, next to the
issue's targets. Absolute times on a shared machine are noise; ratios from
the same run are the claim.

PyTorch runs twice: at its default thread count and at one thread. Under load
its default threads can spin against each other and lose several times, so a
target "ember <= k x PyTorch" is judged against the faster of the two: ember
must beat PyTorch at its best, not at its worst.
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

from . import WORKLOADS, machine
from .common import median
from .worker import IMPLEMENTATIONS

ROOT = Path(__file__).resolve().parent.parent
LABELS = {
    "ember": "ember",
    "pytorch": "PyTorch",
    "pytorch-1t": "PyTorch, 1 thread",
    "numpy": "NumPy by hand",
}
PYTORCH = ("pytorch", "pytorch-1t")

# The targets: (baseline, the most ember's median may be as a multiple of it).
TARGETS = {
    "W1": [("pytorch", 0.35), ("numpy", 2.0)],
    "W2": [("pytorch", 0.5)],
    "W3": [("pytorch", 0.3)],
    "W4": [("pytorch", 0.8), ("numpy", 1.15)],
    "W5": [("numpy", 1.05)],
}
MEMORY_TARGETS = {"W4": "pytorch"}  # ember's peak memory <= this baseline's


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Time ember against PyTorch and hand-written NumPy (ratios of medians).",
    )
    add_arguments(parser)
    return parser.parse_args(argv)


def add_arguments(parser):
    """The options, shared with ``ember bench``."""
    parser.add_argument(
        "--workloads",
        default=",".join(WORKLOADS),
        help="comma-separated workloads to run (default: %(default)s)",
    )
    parser.add_argument(
        "--rounds", type=int, default=5, help="fresh processes per pair (default: %(default)s)"
    )
    parser.add_argument(
        "--implementations",
        default=",".join(IMPLEMENTATIONS),
        help="comma-separated implementations (default: %(default)s)",
    )
    parser.add_argument("--markdown", metavar="FILE", help="also write the report as markdown")
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 when a target is missed"
    )
    parser.add_argument(
        "--threads",
        type=int,
        metavar="N",
        help="cap every library's thread pools at N (OMP/OPENBLAS/MKL_NUM_THREADS); "
        "default: each library's own default",
    )
    parser.add_argument(
        "--timeout", type=float, default=600, help="seconds allowed per process (default: 600)"
    )


def main(argv=None):
    args = parse_args(argv)
    return run(args, argv)


def run(args, argv=None):
    try:
        workloads = _pick(args.workloads, WORKLOADS, "workload")
        implementations = _pick(args.implementations, IMPLEMENTATIONS, "implementation")
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.rounds < 1:
        print("error: --rounds must be at least 1", file=sys.stderr)
        return 2
    notes = []
    if importlib.util.find_spec("torch") is None:
        implementations = [name for name in implementations if name not in PYTORCH]
        notes.append("PyTorch is not installed here: its rows are skipped.")

    env = worker_environment(args.threads)
    info = machine.describe(ROOT, env)
    if args.threads:
        info.append(("thread limit", f"{args.threads} (OMP/OPENBLAS/MKL_NUM_THREADS)"))
    results = {(w, i): [] for w in workloads for i in implementations}
    pairs = list(results)
    for round_index in range(args.rounds):
        shift = round_index % len(pairs)
        for workload, implementation in pairs[shift:] + pairs[:shift]:
            print(
                f"round {round_index + 1}/{args.rounds}: {workload} {implementation}",
                file=sys.stderr,
                flush=True,
            )
            outcome = run_worker(workload, implementation, env, args.timeout)
            results[(workload, implementation)].append(outcome)

    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    info.append(("load average at end", load))
    report = Report(workloads, implementations, results, info, notes)
    command = "python -m benchmarks " + " ".join(sys.argv[1:] if argv is None else argv)
    print(report.text(command.strip()))
    if args.markdown:
        Path(args.markdown).write_text(report.markdown(command.strip()))
        print(f"\nmarkdown written to {args.markdown}")
    if report.failures:
        return 1
    if args.check and report.misses:
        return 1
    return 0


def _pick(text, known, kind):
    chosen = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in known]
    if unknown or not chosen:
        raise ValueError(f"unknown {kind} {unknown or text!r}; choose from {', '.join(known)}")
    return chosen


def worker_environment(threads=None):
    """The worker imports this checkout's benchmarks and ember (src/), not an installed copy."""
    env = dict(os.environ)
    if threads:
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env[name] = str(threads)
    paths = [str(ROOT), str(ROOT / "src")]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.setdefault("PYTHONWARNINGS", "ignore")
    return env


def run_worker(workload, implementation, env, timeout):
    command = [sys.executable, "-m", "benchmarks.worker", workload, implementation]
    try:
        completed = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    lines = completed.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        tail = (completed.stderr or completed.stdout).strip()[-800:]
        return {"error": f"exit status {completed.returncode}: {tail}"}


class Report:
    """Summaries of the samples, the ratios, the loss agreement, and their texts."""

    def __init__(self, workloads, implementations, results, info, notes):
        self.workloads = workloads
        self.implementations = implementations
        self.results = results
        self.info = info
        self.notes = list(notes)
        self.failures = []  # (workload, implementation or None, message)
        self.misses = []
        self.summaries = {w: self._summarise(w) for w in workloads}

    # Numbers ----------------------------------------------------------------------

    def _summarise(self, workload):
        module = WORKLOADS[workload]
        rows = {}
        for implementation in self.implementations:
            outcomes = self.results[(workload, implementation)]
            good = [o for o in outcomes if "value" in o]
            errors = [o["error"] for o in outcomes if "error" in o]
            unavailable = [o["unavailable"] for o in outcomes if "unavailable" in o]
            for note in {n for o in good for n in o.get("notes", ())}:
                self.notes.append(f"{workload} {implementation}: {note}")
            if errors:
                self.failures.append((workload, implementation, errors[0]))
            if not good:
                reason = unavailable[0] if unavailable else "failed: " + errors[0].splitlines()[-1]
                rows[implementation] = {"missing": reason}
                continue
            values = sorted(o["value"] for o in good)
            row = {
                "runs": len(values),
                "min": values[0],
                "median": median(values),
                "max": values[-1],
                "checks": [o["check"] for o in good],
            }
            rss = [o["rss_growth_bytes"] for o in good if o.get("rss_growth_bytes") is not None]
            traced = [o["traced_peak_bytes"] for o in good if "traced_peak_bytes" in o]
            if rss:
                row["rss"] = median(rss)
            if traced:
                row["traced"] = median(traced)
            if hasattr(module, "FLOPS"):
                row["gflops"] = module.FLOPS / (row["median"] / 1e3) / 1e9
            rows[implementation] = row
        return {
            "rows": rows,
            "ratios": self._ratios(workload, rows),
            "agreement": self._agreement(workload, module, rows),
        }

    def _ratios(self, workload, rows):
        """Ratios of medians (the claim), each with the ratio of mins beside it (a check)."""
        if "median" not in rows.get("ember", {}):
            return []
        ember = rows["ember"]
        ratios = []
        targets = dict(TARGETS.get(workload, ()))

        def add(against, baseline, target=None):
            ratio = ember["median"] / baseline["median"]
            ratios.append(self._ratio(workload, against, ratio, target))
            ratios[-1]["min_ratio"] = ember["min"] / baseline["min"]

        pytorch = [name for name in PYTORCH if "median" in rows.get(name, {})]
        for name in pytorch:
            add(name, rows[name])
        if pytorch and "pytorch" in targets:
            best = min(pytorch, key=lambda name: rows[name]["median"])
            add(f"PyTorch at its best ({LABELS[best]})", rows[best], targets["pytorch"])
        if "median" in rows.get("numpy", {}):
            add("numpy", rows["numpy"], targets.get("numpy"))
        baseline = MEMORY_TARGETS.get(workload)
        if baseline and "rss" in ember and "rss" in rows.get(baseline, {}):
            ratio = ember["rss"] / max(rows[baseline]["rss"], 1)
            ratios.append(self._ratio(workload, "PyTorch peak memory", ratio, 1.0))
        return ratios

    def _ratio(self, workload, against, ratio, target):
        label = LABELS.get(against, against)
        verdict = None
        if target is not None:
            verdict = "PASS" if ratio <= target else "MISS"
            if verdict == "MISS":
                self.misses.append((workload, label, ratio, target))
        return {"against": label, "ratio": ratio, "target": target, "verdict": verdict}

    def _agreement(self, workload, module, rows):
        checks = {name: row["checks"] for name, row in rows.items() if "checks" in row}
        if len(checks) < 2:
            return None
        reference_name = "numpy" if "numpy" in checks else next(iter(checks))
        reference = checks[reference_name][0]
        worst = 0.0
        for values in checks.values():
            for value in values:
                worst = max(worst, abs(value - reference) / max(abs(reference), 1e-30))
        agree = worst <= module.TOLERANCE
        if not agree:
            self.failures.append((workload, None, f"final values disagree ({worst:.2e})"))
        return {
            "values": {name: values[0] for name, values in checks.items()},
            "worst": worst,
            "tolerance": module.TOLERANCE,
            "agree": agree,
        }

    # Text ---------------------------------------------------------------------------

    def text(self, command):
        lines = [f"ember benchmarks: {command}", ""]
        width = max(len(label) for label, _ in self.info)
        lines += [f"{label:<{width}}  {value}" for label, value in self.info]
        for workload in self.workloads:
            module = WORKLOADS[workload]
            summary = self.summaries[workload]
            lines += ["", f"{workload}  {module.TITLE}  [{module.UNIT}; lower is better]"]
            lines.append(
                f"  {'implementation':<20}{'runs':>5}{'min':>11}{'median':>11}{'max':>11}"
                f"   {'check value':<14}extra"
            )
            for implementation, row in summary["rows"].items():
                label = LABELS[implementation]
                if "missing" in row:
                    lines.append(f"  {label:<20}  skipped: {row['missing']}")
                    continue
                lines.append(
                    f"  {label:<20}{row['runs']:>5}{row['min']:>11.4g}{row['median']:>11.4g}"
                    f"{row['max']:>11.4g}   {row['checks'][0]:<14.7g}{_extra(row)}"
                )
            for ratio in summary["ratios"]:
                lines.append("  " + _ratio_text(ratio))
            agreement = summary["agreement"]
            if agreement:
                word = "agree" if agreement["agree"] else "DISAGREE"
                lines.append(
                    f"  final values {word}: largest relative difference "
                    f"{agreement['worst']:.1e} (tolerance {agreement['tolerance']:.0e})"
                )
        lines += ["", "Summary against the targets (ratio of medians, same run):"]
        lines += ["  " + line for line in self._summary_lines()]
        if self.notes:
            lines += ["", "Notes:"] + [f"  - {note}" for note in self.notes]
        for workload, implementation, message in self.failures:
            where = f"{workload} {implementation}" if implementation else workload
            lines += ["", f"FAILED {where}:", _indent(message)]
        return "\n".join(lines)

    def _summary_lines(self):
        lines = []
        for workload in self.workloads:
            judged = [r for r in self.summaries[workload]["ratios"] if r["verdict"]]
            wanted = TARGETS.get(workload, []) + (
                [("memory", 1.0)] if workload in MEMORY_TARGETS else []
            )
            if not judged and wanted:
                lines.append(f"{workload}: not judged (ember or a baseline did not run)")
            for ratio in judged:
                lines.append(
                    f"{workload}: ember / {ratio['against']} = {ratio['ratio']:.2f}x "
                    f"(target <= {ratio['target']:g}x) {ratio['verdict']}"
                )
        return lines

    def markdown(self, command):
        lines = ["# ember benchmark results", "", f"Command: `{command}`", ""]
        lines += ["| | |", "|---|---|"]
        lines += [f"| {label} | {value} |" for label, value in self.info]
        lines += [
            "",
            "| workload | implementation | runs | min | median | max | check value | extra |",
            "|---|---|---:|---:|---:|---:|---:|---|",
        ]
        for workload in self.workloads:
            module = WORKLOADS[workload]
            for implementation, row in self.summaries[workload]["rows"].items():
                name = f"{workload} ({module.UNIT})"
                label = LABELS[implementation]
                if "missing" in row:
                    lines.append(f"| {name} | {label} | 0 | | | | | skipped: {row['missing']} |")
                    continue
                lines.append(
                    f"| {name} | {label} | {row['runs']} | {row['min']:.4g} | "
                    f"{row['median']:.4g} | {row['max']:.4g} | {row['checks'][0]:.7g} | "
                    f"{_extra(row)} |"
                )
        lines += [
            "",
            "| workload | ember / ... | ratio of medians | target | result | ratio of mins |",
            "|---|---|---:|---:|---|---:|",
        ]
        for workload in self.workloads:
            for ratio in self.summaries[workload]["ratios"]:
                target = f"<= {ratio['target']:g}x" if ratio["target"] is not None else "(info)"
                mins = f"{ratio['min_ratio']:.2f}x" if "min_ratio" in ratio else ""
                lines.append(
                    f"| {workload} | {ratio['against']} | {ratio['ratio']:.2f}x | {target} | "
                    f"{ratio['verdict'] or ''} | {mins} |"
                )
        lines += ["", "Final values (the same data and order everywhere):", ""]
        for workload in self.workloads:
            agreement = self.summaries[workload]["agreement"]
            if agreement:
                word = "agree" if agreement["agree"] else "**disagree**"
                lines.append(
                    f"- {workload}: {word}, largest relative difference "
                    f"{agreement['worst']:.1e} (tolerance {agreement['tolerance']:.0e})"
                )
        if self.notes:
            lines += ["", "Notes:", ""] + [f"- {note}" for note in self.notes]
        return "\n".join(lines) + "\n"


def _extra(row):
    parts = []
    if "gflops" in row:
        parts.append(f"{row['gflops']:.1f} GFLOP/s")
    if "rss" in row:
        parts.append(f"peak RSS +{row['rss'] / 2**20:.1f} MiB")
    if "traced" in row:
        parts.append(f"tracemalloc peak {row['traced'] / 2**20:.1f} MiB")
    return ", ".join(parts)


def _ratio_text(ratio):
    text = f"ember / {ratio['against']}: {ratio['ratio']:.2f}x"
    if ratio["verdict"]:
        text += f"  (target <= {ratio['target']:g}x: {ratio['verdict']})"
    if "min_ratio" in ratio:
        text += f"  [ratio of mins {ratio['min_ratio']:.2f}x]"
    return text


def _indent(text):
    return "\n".join("    " + line for line in text.strip().splitlines())
