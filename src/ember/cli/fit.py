"""``ember fit data.csv --target COL``: preprocess a CSV and fit a linear model two ways.

Minibatch SGD (the notes' method) and the closed-form least-squares solution
(``ember.linalg.lstsq``) are fitted on the same training split; both are
printed by column, with train/test MSE and R², and how far SGD is from the
exact answer. The model and its fitted preprocessor are saved as JSON.
"""

import math
import os
import random
import shlex

import numpy as np

import ember
from ember import preprocessing
from ember.preprocessing.errors import AMONG_NUMBERS  # (no pandas: ember --help is quick)

from .errors import CommandError
from .formatting import counted
from .linear_model import LinearModel, closed_form, mse, r2, sgd, smallest_equivalent
from .options import StoreOnce, add_training_options, fraction
from .training import epoch_progress

MODEL_FILE = "model.json"
PREPROCESSOR_FILE = "preprocessor.json"
# A text column with more categories than this, and more than half as many as the
# training rows, is refused as a column of row names (see check_no_row_names).
MOST_CATEGORIES = 100
# SGD runs this many epochs unless --epochs says otherwise, or fewer on a large file, so
# that it stops after about MOST_DEFAULT_STEPS minibatches. With the rate decaying to a
# tenth, more steps do not bring it closer to the optimum: on 80,000 rows of a synthetic
# table, 100 epochs (250,000 steps, 53 s) ended 0.055% above the optimum's training MSE,
# and 8 epochs (20,000 steps, 4 s) 0.051% above. Two epochs at least, so that the rate
# decays even on a file of a million rows. On a small file, as many epochs as make
# FEWEST_DEFAULT_STEPS: the rates of 100 epochs of one minibatch (a class exercise's 30
# rows) add up to 1.3, which leaves the intercept of a target far from 0 e**-1.3 = 28% of
# the way short (R² -1.1 on 26 training rows); those of 1,000 steps add up to 13.
DEFAULT_EPOCHS = 100
MOST_DEFAULT_STEPS = 20_000
FEWEST_DEFAULT_STEPS = 1_000
FEWEST_DEFAULT_EPOCHS = 2


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "fit",
        help="fit linear regression to a CSV file (SGD and closed form)",
        description=(
            "Read a CSV, fill missing numbers with the training mean, one-hot encode text "
            "columns (missing values as their own category), standardise, and fit linear "
            "regression by minibatch SGD and by least squares. Saves model.json and "
            "preprocessor.json to --out for 'ember predict'."
        ),
    )
    parser.add_argument("csv", help="the data, a CSV file with a header row")
    parser.add_argument("--target", required=True, action=StoreOnce, help="the column to predict")
    parser.add_argument(
        "--test-size", type=fraction, default=0.2, help="share of rows held out (0.2; 0 = none)"
    )
    parser.add_argument(
        "--solver",
        choices=("sgd", "closed-form", "both"),
        default="both",
        help="how to fit (both); the saved model uses the closed form when it was computed",
    )
    add_training_options(
        parser,
        epochs=None,
        lr=0.05,
        batch_size=32,
        epochs_help=f"default {DEFAULT_EPOCHS}, fewer on a file with more than "
        f"{MOST_DEFAULT_STEPS // DEFAULT_EPOCHS} minibatches, for about "
        f"{MOST_DEFAULT_STEPS:,} steps in all ({FEWEST_DEFAULT_EPOCHS} epochs at least)",
    )
    parser.add_argument(
        "--categorical",
        nargs="+",
        action="extend",  # --drop a --drop b: both, as --drop a b
        default=[],
        metavar="COL",
        help="treat these numeric columns as categories (codes)",
    )
    parser.add_argument(
        "--drop",
        nargs="+",
        action="extend",  # --drop a --drop b: both, as --drop a b
        default=[],
        metavar="COL",
        help="leave these columns out (ids, free text, anything that cannot predict the target)",
    )
    parser.add_argument(
        "--no-standardize",
        dest="standardize",
        action="store_false",
        help="keep numeric columns in their own units (SGD may then need a smaller --lr)",
    )
    parser.add_argument("--out", default="model", help="folder for the saved model (./model)")


def split_rows(frame, test_size, seed):
    """(train, test) frames from a seeded shuffle; each row keeps its label, which errors
    look up to name its row and line in the file."""
    n_test = round(test_size * len(frame))
    if len(frame) - n_test < 1:
        leave = "leaves" if len(frame) == 1 else "leave"
        raise CommandError(
            f"{frame.attrs['source']}: {counted(len(frame), 'row')} {leave} nothing to train on "
            f"with --test-size {test_size}; give a smaller one"
        )
    order = np.random.default_rng(seed).permutation(len(frame))
    parts = []
    for positions in (order[n_test:], order[:n_test]):
        part = frame.iloc[np.sort(positions)]
        part.attrs = dict(frame.attrs)
        parts.append(part)
    return parts


def default_epochs(steps_per_epoch):
    """DEFAULT_EPOCHS, or as many as make about MOST_DEFAULT_STEPS steps, whichever is
    fewer; but FEWEST_DEFAULT_EPOCHS at least, so that the rate still decays; and on a
    small file as many as make FEWEST_DEFAULT_STEPS steps."""
    epochs_for_most_steps = math.ceil(MOST_DEFAULT_STEPS / steps_per_epoch)
    epochs_for_fewest_steps = math.ceil(FEWEST_DEFAULT_STEPS / steps_per_epoch)
    epochs = min(DEFAULT_EPOCHS, epochs_for_most_steps)
    return max(FEWEST_DEFAULT_EPOCHS, epochs, epochs_for_fewest_steps)


def learning_rates(lr, epochs):
    """The rates ``linear_model.sgd`` used, in words."""
    return f"lr {lr}" if epochs == 1 else f"lr {lr} decaying to {lr / 10:g}"


def shortened_note(epochs, steps_per_epoch):
    """Why SGD, left to its default, ran other than DEFAULT_EPOCHS epochs; or ''."""
    if epochs == DEFAULT_EPOCHS:
        return ""
    each = "1 minibatch" if steps_per_epoch == 1 else f"{steps_per_epoch:,} minibatches"
    if epochs > DEFAULT_EPOCHS:
        return f" (not {DEFAULT_EPOCHS}: {each} each, a small file; --epochs for fewer)"
    return f" (not {DEFAULT_EPOCHS}: {each} each; --epochs for more)"


def check_out_folder(out):
    """--out must be a folder or not exist: found out before training, not after."""
    if os.path.exists(out) and not os.path.isdir(out):
        raise CommandError(f"--out {out}: exists and is not a folder; give a folder name")
    check_folders_above(out, "--out")


def check_folders_above(path, option):
    """The part of ``path``'s folders that exists is folders: ``--out data.csv/model`` failed
    in os.makedirs, with a traceback, after all the work was done."""
    above = os.path.dirname(os.path.abspath(path))
    while not os.path.exists(above):
        above = os.path.dirname(above)
    if not os.path.isdir(above):
        raise CommandError(f"{option} {path}: {os.path.relpath(above)} is a file, not a folder")


def written_or_error(write, path, option):
    """``write()``; an OSError on the way (a full disk, a read-only folder) becomes a user
    error naming ``path``, not the temporary file beside it that the error names."""
    try:
        return write()
    except OSError as error:
        if error.filename is None:  # ember's own message, which names the path already
            raise
        reason = error.strerror or str(error)
        raise CommandError(f"{option} {path}: cannot write there ({reason})") from error


def read_training_file(args):
    """The CSV to fit. Words among the numbers of a column named categorical or to drop
    ('München' beside postcodes) are no typos there: such a column is read as text. In
    another column they are, and the error says how to name the column categorical."""
    text_columns = [name for name in (*args.categorical, *args.drop) if name != args.target]
    try:
        return preprocessing.read_csv(args.csv, target=args.target, text_columns=text_columns)
    except preprocessing.DataError as error:
        typo = error.problem.endswith(f"({AMONG_NUMBERS})")
        if not typo or error.column in (None, args.target):
            raise
        hint = (
            f"; if it holds categories written as codes, say so: {categorical_option(error.column)}"
        )
        raise preprocessing.DataError(
            error.problem + hint, error.path, error.row, error.line, error.column
        ) from None


def check_column_options(frame, args):
    """--categorical and --drop name columns of the file other than the target, and not
    the same one."""
    for option, names in (("--categorical", args.categorical), ("--drop", args.drop)):
        for name in names:
            if name not in frame.columns:
                raise CommandError(f"{option}: no column '{name}' in {args.csv}")
            if name == args.target:
                raise CommandError(
                    f"{option}: '{name}' is the target, which ember fit predicts as a number"
                )
    for name in args.categorical:
        if name in args.drop:
            raise CommandError(f"--categorical and --drop both name '{name}'; give it to one")


def check_no_row_names(preprocessor, rows, path):
    """A text column with a value for almost every row (an id, free text) names the rows
    rather than grouping them: one-hot encoded, it would add a feature per row, which a
    linear model can only memorise, in a matrix of rows x rows numbers."""
    for column in preprocessor.columns:
        count = len(column.get("categories", ()))
        if count > MOST_CATEGORIES and 2 * count > rows:
            raise preprocessing.DataError(
                f"{count} different values in {rows} training rows: the column names the rows "
                "(an id, free text) rather than grouping them, and one-hot encoding would make "
                f"a feature of each value; leave it out with {drop_option(column['name'])}",
                path,
                column=column["name"],
            )


def categorical_option(name):
    return option_with_name("--categorical", name)


def drop_option(name):
    return option_with_name("--drop", name)


def option_with_name(option, name):
    """``--drop NAME`` as a shell would take it; ``--drop=-x`` for a name that starts with a
    dash, which argparse would otherwise read as an option."""
    quoted = shlex.quote(name)
    return f"{option}={quoted}" if name.startswith("-") else f"{option} {quoted}"


def run(args):
    check_out_folder(args.out)
    ember.manual_seed(args.seed)
    random.seed(args.seed)  # the minibatch order (d2l.data_iter shuffles with random)
    frame = read_training_file(args)
    check_column_options(frame, args)
    frame = frame.drop(columns=list(args.drop))
    train, test = split_rows(frame, args.test_size, args.seed)
    preprocessor = preprocessing.Preprocessor(
        standardize=args.standardize, categorical=args.categorical
    )
    preprocessor.fit(train, target=args.target)
    check_no_row_names(preprocessor, len(train), args.csv)
    names = preprocessor.feature_names
    X_train = preprocessor.transform(train).to_numpy()
    y_train = train[args.target].to_numpy(dtype=np.float64)
    X_test = preprocessor.transform(test).to_numpy()
    y_test = test[args.target].to_numpy(dtype=np.float64)
    print(
        f"{args.csv}: {counted(len(frame), 'row')} ({len(train)} train, {len(test)} test), "
        f"target '{args.target}', {counted(len(names), 'feature')} after preprocessing"
    )

    models = {}
    if args.solver in ("closed-form", "both"):
        weight, bias = closed_form(X_train, y_train)
        models["closed form"] = LinearModel(names, weight, bias, args.target, "closed-form")
    if args.solver in ("sgd", "both"):
        steps = math.ceil(len(train) / args.batch_size)
        epochs = args.epochs or default_epochs(steps)

        def progress(batches, epoch):
            return epoch_progress(batches, epoch, epochs, steps, "SGD epoch")

        weight, bias, losses = sgd(X_train, y_train, epochs, args.lr, args.batch_size, progress)
        weight, bias = smallest_equivalent(X_train, weight, bias)
        models["SGD"] = LinearModel(names, weight, bias, args.target, "sgd")
        shortened = "" if args.epochs else shortened_note(epochs, steps)
        print(
            f"SGD: {counted(epochs, 'epoch')}{shortened}, {learning_rates(args.lr, epochs)}, "
            f"final training MSE {2 * losses[-1]:.6g}"
        )

    print_coefficients(models, preprocessor)
    print_metrics(models, (X_train, y_train), (X_test, y_test) if len(test) else None)
    if len(models) == 2:
        print_gap(models["SGD"], models["closed form"], X_train, y_train)

    saved = models.get("closed form") or models["SGD"]
    # Both files are replaced together or not at all: a new model.json beside an old
    # preprocessor.json would make predict apply the model to the wrong features.
    texts = {
        os.path.join(args.out, MODEL_FILE): saved.to_json(),
        os.path.join(args.out, PREPROCESSOR_FILE): preprocessor.to_json(),
    }
    written_or_error(lambda: preprocessing.write_texts_atomically(texts), args.out, "--out")
    print(f"saved the {saved.solver} model and its preprocessor to {args.out}/")
    return 0


def print_coefficients(models, preprocessor):
    print("coefficients (original units):")
    labels = list(models)
    tables = [model.original_units(preprocessor) for model in models.values()]
    names = list(tables[0][0])
    width = max(len(name) for name in names + ["(intercept)"])
    print("  " + " " * width + "".join(f"{label:>14}" for label in labels))
    for name in names:
        print(f"  {name:<{width}}" + "".join(f"{table[0][name]:>14.6g}" for table in tables))
    print(f"  {'(intercept)':<{width}}" + "".join(f"{table[1]:>14.6g}" for table in tables))


def print_metrics(models, train, test):
    splits = [("train", *train)] + ([("test", *test)] if test else [])
    for split, X, y in splits:
        for label, model in models.items():
            predictions = model.predict(X)
            print(
                f"{split:>5} {label:<12} MSE {mse(predictions, y):<12.6g} "
                f"R² {r2(predictions, y):.6f}"
            )


def print_gap(sgd_model, exact, X, y):
    """How close SGD came to the least-squares optimum."""
    gap = float(np.max(np.abs(sgd_model.weight - exact.weight), initial=0.0))
    gap = max(gap, abs(sgd_model.bias - exact.bias))
    best, reached = mse(exact.predict(X), y), mse(sgd_model.predict(X), y)
    # Rounding leaves an MSE of about (1e-16 * y)^2 even for an exact fit; against the
    # variance alone, a constant target (variance 0) made that look like a real error.
    if best > max(1e-12 * float(np.var(y)), 1e-24 * float(np.mean(np.square(y)))):
        closeness = f"training MSE {(reached - best) / best:+.3%} above the optimum"
    else:  # the data lie on a plane: the optimum is 0 up to rounding, and a ratio to it is noise
        closeness = f"training MSE {reached:.3g}, where the closed form fits the data exactly"
    print(
        f"SGD vs closed form: largest weight difference {gap:.3g} (on the preprocessed features), "
        + closeness
    )
