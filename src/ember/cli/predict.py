"""``ember predict MODEL_DIR new.csv``: apply a model saved by ``ember fit`` to new rows."""

import io
import os
import sys

import numpy as np

from ember import preprocessing
from ember.preprocessing import write_text_atomically

from .errors import CommandError
from .fit import MODEL_FILE, PREPROCESSOR_FILE, check_folders_above, written_or_error
from .formatting import counted
from .linear_model import LinearModel, mse, r2


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "predict",
        help="apply a model saved by 'ember fit' to a CSV file",
        description=(
            "Preprocess new rows exactly as the training data was (same columns, means, "
            "categories) and add a 'predicted_<target>' column. Writes CSV to stdout, or "
            "to -o FILE. If the target column is present, prints the MSE and R² too."
        ),
    )
    parser.add_argument("model_dir", metavar="MODEL_DIR", help="folder written by 'ember fit'")
    parser.add_argument("csv", help="the new data, a CSV file with the training columns")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the CSV here (atomically)")


def load_model(folder):
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise CommandError(f"{folder}: is a file, not a model folder written by 'ember fit'")
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"{folder}: no such model folder (make one with 'ember fit')")
    paths = [os.path.join(folder, name) for name in (MODEL_FILE, PREPROCESSOR_FILE)]
    for path in paths:
        if not os.path.exists(path):
            raise FileNotFoundError(
                f"{path}: missing; is {folder} a folder written by 'ember fit'?"
            )
    model, preprocessor = LinearModel.load(paths[0]), preprocessing.Preprocessor.load(paths[1])
    if model.feature_names != preprocessor.feature_names:
        raise CommandError(f"{folder}: model.json and preprocessor.json do not belong together")
    return model, preprocessor


def run(args):
    if args.output is not None:
        check_folders_above(args.output, "-o")
        refuse_to_overwrite_an_input(args)
    model, preprocessor = load_model(args.model_dir)
    categorical = [c["name"] for c in preprocessor.columns if c["kind"] == "categorical"]
    # the frame to predict from, and the user's columns as they wrote them, to write back
    frame, written = preprocessing.read_csv_and_text(args.csv, text_columns=categorical)
    predictions = model.predict(preprocessor.transform(frame).to_numpy())
    report = sys.stderr if args.output is None else sys.stdout
    for column, categories in preprocessor.unseen_categories(frame).items():
        print(unseen_note(column, categories), file=report)
    if model.target in frame.columns:
        print_score(frame, model.target, predictions, report)
    out = written
    out[f"predicted_{model.target}"] = predictions
    if args.output is None:
        out.to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    text = io.StringIO()
    out.to_csv(text, index=False, lineterminator="\n")
    written_or_error(lambda: write_text_atomically(args.output, text.getvalue()), args.output, "-o")
    print(f"wrote {counted(len(out), 'prediction')} to {args.output}", file=report)
    return 0


def refuse_to_overwrite_an_input(args):
    """-o must not name the CSV read or a file of the model: the run would destroy it."""
    inputs = [args.csv] + [
        os.path.join(args.model_dir, name) for name in (MODEL_FILE, PREPROCESSOR_FILE)
    ]
    output = os.path.realpath(args.output)
    for path in inputs:
        if os.path.realpath(path) == output:
            raise CommandError(
                f"-o {args.output}: is {path}, an input of this run; write elsewhere"
            )


def unseen_note(column, categories, shown=3):
    """One line on the categories of ``column`` that training never saw: the model has no
    weight for them, so their rows get none of the column's one-hot weights."""
    names = ", ".join(repr(name) for name in list(categories)[:shown])
    if len(categories) > shown:
        names += f" and {len(categories) - shown} more"
    unseen = counted(len(categories), "category", "categories")
    rows = counted(sum(categories.values()), "row")
    return (
        f"note: column '{column}' has {unseen} not seen in training ({names}; {rows}): "
        "their one-hot features are all 0"
    )


def print_score(frame, target, predictions, report):
    """The MSE and R² on the rows whose target is known. Rows without it are the ones to
    predict (a file of new rows often has the target column, empty), so they are not errors."""
    preprocessing.check_target(frame, target, missing_ok=True)
    targets = frame[target].to_numpy(dtype=float)
    known = ~np.isnan(targets)
    if not known.any():
        return
    predicted, targets = predictions[known], targets[known]
    unscored = len(known) - len(targets)
    note = f" ({counted(unscored, 'row')} without it not scored)" if unscored else ""
    print(
        f"{counted(len(targets), 'row')} with '{target}': MSE {mse(predicted, targets):.6g}, "
        f"R² {r2(predicted, targets):.6f}{note}",
        file=report,
    )
