"""``ember train linreg|softmax``: the notes' training runs, with plots written to --out."""

from .options import add_training_options, fraction, positive_int


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "train",
        help="train one of the notes' models and plot it",
        description="Train one of the notes' models on built-in data and save its plots.",
    )
    models = parser.add_subparsers(dest="model", metavar="MODEL", required=True)

    linreg = models.add_parser(
        "linreg",
        help="linear regression on synthetic data (notes, Task03)",
        description=(
            "Linear regression as in the notes (Task03): 1000 examples of y = Xw + b + noise "
            "with w = [2, -3.4], b = 4.2, fitted by minibatch SGD. Prints the loss per epoch "
            "and the learned parameters with their errors; writes the loss curve and the "
            "data scatter as PNGs."
        ),
    )
    linreg.add_argument(
        "--concise",
        action="store_true",
        help="use nn.Linear, nn.MSELoss and optim.SGD (notes 1.4) instead of from scratch",
    )
    add_training_options(linreg, epochs=3, lr=0.03, batch_size=10)
    linreg.add_argument(
        "--examples",
        type=positive_int,
        default=1000,
        help="synthetic examples (1000)",
    )
    linreg.add_argument("--out", default="out", help="folder for the PNGs (./out)")

    softmax = models.add_parser(
        "softmax",
        help="softmax regression on scikit-learn's 8x8 digits",
        description=(
            "Softmax regression from scratch on the 8x8 handwritten digits bundled with "
            "scikit-learn (offline). Prints train/test accuracy per epoch and writes the "
            "curves as a PNG. Needs scikit-learn."
        ),
    )
    add_training_options(softmax, epochs=10, lr=0.5, batch_size=64)
    softmax.add_argument(
        "--test-size",
        type=fraction,
        default=0.25,
        help="share of images for testing (0.25)",
    )
    softmax.add_argument("--out", default="out", help="folder for the PNG (./out)")


def run(args):
    if args.model == "linreg":
        from .train_linreg import run_linreg

        return run_linreg(args)
    from .train_softmax import run_softmax

    return run_softmax(args)
