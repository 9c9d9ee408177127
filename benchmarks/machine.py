"""What the numbers were measured on: CPU, cores, load, BLAS, library versions, commit."""

import datetime
import json
import os
import platform
import subprocess
import sys


def cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def blas_description():
    """NumPy's BLAS: threadpoolctl's view (library, version, threads) when installed."""
    try:
        import numpy  # noqa: F401 - loads the BLAS that threadpoolctl then finds
        from threadpoolctl import threadpool_info

        pools = [pool for pool in threadpool_info() if pool.get("user_api") == "blas"]
        if pools:
            pool = pools[0]
            return (
                f"{pool.get('internal_api')} {pool.get('version')} "
                f"({pool.get('architecture', '?')}, {pool.get('num_threads')} threads, "
                f"{pool.get('threading_layer', '?')})"
            )
    except ImportError:
        pass
    try:
        import numpy

        blas = numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas.get('name')} {blas.get('version')} (threads unknown: no threadpoolctl)"
    except Exception:  # older NumPy: no dict mode
        return "unknown (install threadpoolctl to see it)"


def git_commit(root):
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return commit + (" with uncommitted changes" if dirty else "")


def library_versions(root, env):
    """Versions as a worker process sees them (it imports ember and torch; we do not)."""
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.worker", "info"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    try:
        return json.loads(completed.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"error": completed.stderr.strip()[-500:]}


def describe(root, env):
    """An ordered list of (label, value) pairs."""
    versions = library_versions(root, env)
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    torch = versions.get("torch")
    torch_text = (
        f"{torch} ({versions.get('torch_threads')} threads by default)"
        if torch
        else "not installed"
    )
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return [
        ("date", datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", cpu_model()),
        ("cores", f"{os.cpu_count()} logical, {usable} usable by this process"),
        ("load average (1, 5, 15 min) at start", load),
        ("OS", platform.platform()),
        ("Python", versions.get("python", platform.python_version())),
        ("NumPy", versions.get("numpy", "?")),
        ("NumPy BLAS", versions.get("blas") or blas_description()),
        ("PyTorch", torch_text),
        ("ember", f"{versions.get('ember', '?')} at commit {git_commit(root)}"),
    ]
