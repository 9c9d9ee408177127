"""``ember.d2l``: the helpers of *Dive into Deep Learning* (PyTorch edition), on ember.

    import ember as torch
    from ember import d2l

Everything here uses ember's public API only. Figures work without a display:
inline in a notebook, otherwise written to files (``d2l.plt.savefig``,
``d2l.savefig``, ``Animator.save``).
"""

from . import display
from .aliases import (
    abs,
    arange,
    argmax,
    astype,
    batch_matmul,
    concat,
    cos,
    exp,
    eye,
    float32,
    float64,
    int32,
    int64,
    linspace,
    log,
    matmul,
    normal,
    numpy,
    ones,
    rand,
    randn,
    reduce_mean,
    reduce_sum,
    reshape,
    sigmoid,
    sin,
    size,
    stack,
    tanh,
    tensor,
    to,
    transpose,
    zeros,
)
from .animator import Animator
from .data import data_iter, load_array, synthetic_data
from .devices import cpu, get_dataloader_workers, gpu, num_gpus, try_all_gpus, try_gpu
from .display import in_notebook, savefig, show
from .fashion_mnist import get_fashion_mnist_labels, load_data_fashion_mnist, read_idx
from .linear_regression import linreg, sgd, squared_loss
from .metrics import Accumulator, accuracy, evaluate_accuracy, evaluate_loss
from .plotting import plot, set_axes, set_figsize, show_images, use_svg_display
from .timer import Timer
from .training import predict_ch3, train_ch3, train_epoch_ch3

# ``from ember.d2l import *`` gives every public name, plt included (which imports matplotlib).
__all__ = [name for name in globals() if not name.startswith("_")] + ["plt"]


def __getattr__(name):
    """``d2l.plt`` is matplotlib.pyplot, imported on first use (see ``display``)."""
    if name == "plt":
        return display.pyplot()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():  # what tab completion lists: plt too
    return sorted(set(globals()) | {"plt"})
