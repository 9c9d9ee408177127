"""Curves that grow while a model trains.

In a notebook the figure is redrawn inline after every ``add``. Elsewhere no
display is needed: the points are kept, and the final figure is written to
``path`` by ``save()`` (``train_ch3`` calls it), or at the latest when the
program exits.
"""

import atexit
import itertools
import os
import weakref

from .display import in_notebook, pyplot, savefig
from .plotting import set_axes, use_svg_display

_unsaved = weakref.WeakSet()  # animators with points not yet written to their file
_numbers = itertools.count(1)  # of the animators saved without a path, in this program


def default_path(number=1):
    """``$EMBER_FIGURE_DIR/animator.png``, or ``animator.png`` in the working folder; for
    the second animator saved there ``animator-2.png``, and so on, so that one figure does
    not overwrite another."""
    name = "animator.png" if number == 1 else f"animator-{number}.png"
    return os.path.join(os.environ.get("EMBER_FIGURE_DIR", "."), name)


class Animator:
    """Plot data incrementally: ``animator.add(epoch, (loss, train_acc, test_acc))``."""

    def __init__(
        self,
        xlabel=None,
        ylabel=None,
        legend=None,
        xlim=None,
        ylim=None,
        xscale="linear",
        yscale="linear",
        fmts=("-", "m--", "g-.", "r:"),
        nrows=1,
        ncols=1,
        figsize=(3.5, 2.5),
        path=None,
    ):
        use_svg_display()
        self.fig, axes = pyplot().subplots(nrows, ncols, figsize=figsize, squeeze=False)
        self.axes = axes.flatten()
        self.axis_options = (xlabel, ylabel, xlim, ylim, xscale, yscale, legend or [])
        self.fmts = fmts
        self.X = self.Y = None
        self.path = path
        self.notebook = in_notebook()

    def add(self, x, y):
        """Append one point to each curve; ``x`` may be one value shared by every curve."""
        if not hasattr(y, "__len__"):
            y = [y]
        n = len(y)
        if not hasattr(x, "__len__"):
            x = [x] * n
        if self.X is None:
            self.X = [[] for _ in range(n)]
            self.Y = [[] for _ in range(n)]
        for i, (a, b) in enumerate(zip(x, y)):
            if a is not None and b is not None:
                self.X[i].append(float(a))
                self.Y[i].append(float(b))
        if self.notebook:
            self.draw()
            from IPython import display

            display.display(self.fig)
            display.clear_output(wait=True)
        else:
            _unsaved.add(self)

    def draw(self):
        """Redraw the first axes from the points collected so far."""
        axes = self.axes[0]
        axes.cla()
        for x, y, fmt in zip(self.X or [], self.Y or [], self.fmts * len(self.X or [])):
            axes.plot(x, y, fmt)
        set_axes(axes, *self.axis_options)

    def save(self, path=None):
        """Write the figure to ``path`` (default: the one given at construction, else
        ``default_path()``, numbered by this animator's place among those); returns the
        path written."""
        if path is None and self.path is None:
            self.path = default_path(next(_numbers))
        path = path or self.path
        self.draw()
        savefig(path, self.fig)
        _unsaved.discard(self)
        return path

    def close(self):
        """Release the matplotlib figure."""
        _unsaved.discard(self)
        pyplot().close(self.fig)


@atexit.register
def _save_unsaved():
    for animator in list(_unsaved):
        try:
            animator.save()
        except Exception:  # exiting: a figure that cannot be written is not worth a traceback
            pass
