"""Where figures go: inline in a Jupyter notebook, otherwise to files (no display needed).

matplotlib is switched to its file-only backend (Agg) when ember is not in a
notebook and no display server is set, so every helper works on a headless machine.
It is imported when the first figure is drawn, not with ``ember.d2l``: matplotlib
takes longer to import than ember itself, and commands that draw nothing
(``ember fit``, ``ember predict``, ``ember --help``) need not wait for it.
"""

import functools
import os
import sys


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


@functools.cache
def pyplot():
    """``matplotlib.pyplot``, imported on first use, after choosing the backend."""
    import matplotlib

    if _needs_file_backend():
        matplotlib.use("Agg")
    import matplotlib.pyplot

    return matplotlib.pyplot


def show(figure=None):
    """Show ``figure`` inline when in a notebook; elsewhere do nothing (save it instead)."""
    if not in_notebook():
        return
    from IPython import display

    display.display(figure if figure is not None else pyplot().gcf())


def savefig(path, figure=None, **options):
    """Write ``figure`` (default: the current one) to ``path``, making its folder."""
    folder = os.path.dirname(os.fspath(path))
    if folder:
        os.makedirs(folder, exist_ok=True)
    figure = figure if figure is not None else pyplot().gcf()
    options.setdefault("bbox_inches", "tight")
    options.setdefault("dpi", 120)
    figure.savefig(path, **options)
    return path
