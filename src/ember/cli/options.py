"""Argument types that reject bad values at parse time (exit code 2, argparse's message)."""

import argparse


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {value}")
    return value


def positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text}")
    return value


def fraction(text):
    """A share of the data, 0 <= f < 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a fraction, got {text!r}") from None
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(
            f"expected a fraction from 0 up to (not including) 1, got {text}"
        )
    return value


def add_training_options(parser, epochs, lr, batch_size):
    """--epochs, --lr, --batch-size, --seed: the knobs every training command has."""
    parser.add_argument(
        "--epochs",
        type=positive_int,
        default=epochs,
        help=f"passes over the data (default {epochs})",
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
    parser.add_argument("--seed", type=int, default=0, help="random seed, for a repeatable run (0)")
