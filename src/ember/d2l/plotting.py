"""The book's plotting helpers: figure size, axes styling, several curves in one call, images."""

import itertools

import numpy as np

from .display import in_notebook, pyplot


def use_svg_display():
    """Draw notebook figures as SVG (sharper); outside a notebook there is nothing to change."""
    if not in_notebook():
        return
    from matplotlib_inline import backend_inline

    backend_inline.set_matplotlib_formats("svg")


def set_figsize(figsize=(3.5, 2.5)):
    """Set the size of the figures matplotlib makes from now on."""
    use_svg_display()
    pyplot().rcParams["figure.figsize"] = figsize


def set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend):
    """Label, bound, scale and annotate one matplotlib axes."""
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_xscale(xscale)
    axes.set_yscale(yscale)
    axes.set_xlim(xlim)
    axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid()


def _as_array(values):
    """A plottable 1-d NumPy array from a tensor, an array or a list."""
    if hasattr(values, "detach"):
        values = values.detach().numpy()
    return np.asarray(values)


def _has_one_axis(values):
    """A single curve: a 1-d array, or a list whose first item is a number."""
    if hasattr(values, "ndim"):
        return values.ndim == 1
    return isinstance(values, list) and (not values or not hasattr(values[0], "__len__"))


def plot(
    X,
    Y=None,
    xlabel=None,
    ylabel=None,
    legend=None,
    xlim=None,
    ylim=None,
    xscale="linear",
    yscale="linear",
    fmts=("-", "m--", "g-.", "r:"),
    figsize=(3.5, 2.5),
    axes=None,
):
    """Plot one or several curves: ``plot(x, [f(x), g(x)], 'x', 'f(x)', legend=[...])``.

    With only ``X``, its values are drawn against their index. Returns the axes.
    """
    if legend is None:
        legend = []
    set_figsize(figsize)
    axes = axes if axes is not None else pyplot().gca()
    if _has_one_axis(X):
        X = [X]
    if Y is None:
        X, Y = [[]] * len(X), X
    elif _has_one_axis(Y):
        Y = [Y]
    if len(X) != len(Y):
        X = X * len(Y)
    axes.cla()
    # The formats repeat past the last (the book's zip drops the curves past it); no
    # formats draw nothing, as in the book.
    for x, y, fmt in zip(X, Y, itertools.cycle(fmts)):
        y = _as_array(y)
        if len(x):
            axes.plot(_as_array(x), y, fmt)
        else:
            axes.plot(y, fmt)
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend)
    return axes


def show_images(imgs, num_rows, num_cols, titles=None, scale=1.5):
    """A grid of images (tensors or arrays, (H, W) or (H, W, C)); returns the axes."""
    figsize = (num_cols * scale, num_rows * scale)
    _, axes = pyplot().subplots(num_rows, num_cols, figsize=figsize, squeeze=False)
    axes = axes.flatten()
    for i, (ax, img) in enumerate(zip(axes, imgs)):
        ax.imshow(_as_array(img))
        ax.axes.get_xaxis().set_visible(False)
        ax.axes.get_yaxis().set_visible(False)
        if titles:
            ax.set_title(titles[i])
    return axes
