"""Where figures go: inline in a Jupyter notebook, otherwise to files (no display needed).

matplotlib is switched to its file-only backend (Agg) when ember is not in a
notebook and no display server is set, so every helper works on a headless machine.
"""

import os
import sys

import matplotlib


def in_notebook():
    """True inside a Jupyter kernel (where figures show inline)."""
    ipython_module = sys.modules.get("IPython")
    if ipython_module is None:
        return False
    shell = ipython_module.get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def _needs_file_backend():
    if os.environ.get("MPLBACKEND") or in_notebook():
        return False
    has_display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    return sys.platform.startswith("linux") and not has_display


if _needs_file_backend():
    matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402 - after choosing the backend


def show(figure=None):
    """Show ``figure`` inline when in a notebook; elsewhere do nothing (save it instead)."""
    if not in_notebook():
        return
    from IPython import display

    display.display(figure if figure is not None else plt.gcf())


def savefig(path, figure=None, **options):
    """Write ``figure`` (default: the current one) to ``path``, making its folder."""
    folder = os.path.dirname(os.fspath(path))
    if folder:
        os.makedirs(folder, exist_ok=True)
    figure = figure if figure is not None else plt.gcf()
    options.setdefault("bbox_inches", "tight")
    options.setdefault("dpi", 120)
    figure.savefig(path, **options)
    return path
