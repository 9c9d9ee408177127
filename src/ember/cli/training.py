"""What the training commands share: a progress bar per epoch, and a stop when the loss
diverges."""

import math

from tqdm import tqdm

from .errors import CommandError


def epoch_progress(batches, epoch, epochs, steps, name="epoch"):
    """``batches`` behind a progress bar ("epoch 2/10", ``steps`` long) that clears at the end."""
    desc = f"{name} {epoch + 1}/{epochs}"
    return tqdm(batches, total=steps, desc=desc, leave=False, unit="batch")


def check_finite(loss, epoch, who="training"):
    """A loss that became NaN or infinite ends the run with a hint (exit code 1)."""
    if not math.isfinite(loss):
        raise CommandError(f"{who} diverged in epoch {epoch + 1} (loss {loss}); try a smaller --lr")
