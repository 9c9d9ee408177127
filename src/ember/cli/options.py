"""Argument types that reject bad values at parse time (exit code 2, argparse's message)."""

import argparse


def positive_int(text):
    value = _converted(text, int, "a whole number")
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {value}")
    return value


def seed(text):
    """A random seed: NumPy's generators and ember.manual_seed take 0 to 2**64 - 1."""
    value = _converted(text, int, "a whole number")
    if not 0 <= value < 2**64:
        raise argparse.ArgumentTypeError(f"expected a seed from 0 to 2**64 - 1, got {value}")
    return value


def positive_float(text):
    value = _converted(text, float, "a number")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text}")
    return value


def fraction(text):
    """A share of the data, 0 <= f < 1."""
    value = _converted(text, float, "a fraction")
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(
            f"expected a fraction from 0 up to (not including) 1, got {text}"
        )
    return value


class StoreOnce(argparse.Action):
    """Like the default ``store``, but an option given twice is a usage error rather than
    the last one silently winning (``--target price ... --target area``)."""

    def __call__(self, parser, namespace, values, option_string=None):
        earlier = getattr(namespace, self.dest, None)
        if earlier is not None:
            raise argparse.ArgumentError(self, f"given twice ({earlier!r}, then {values!r})")
        setattr(namespace, self.dest, values)


def _converted(text, convert, expected):
    """``convert(text)``, or argparse's error saying what was expected."""
    try:
        return convert(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}") from None


def add_training_options(parser, epochs, lr, batch_size, epochs_help=None):
    """--epochs, --lr, --batch-size, --seed: the knobs every training command has.

    ``epochs=None`` leaves the number to the command, which ``epochs_help`` then explains.
    """
    epochs_help = epochs_help or f"default {epochs}"
    parser.add_argument(
        "--epochs", type=positive_int, default=epochs, help=f"passes over the data ({epochs_help})"
    )
    parser.add_argument(
        "--lr", type=positive_float, default=lr, help=f"learning rate (default {lr})"
    )
    parser.add_argument(
        "--batch-size",
        type=positive_int,
        default=batch_size,
        help=f"examples per minibatch ({batch_size})",
    )
    parser.add_argument(
        "--seed", type=seed, default=0, help="random seed, for a repeatable run (0)"
    )
