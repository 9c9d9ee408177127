"""Random CSV files through ``ember fit`` and ``ember predict`` beside the book's recipe
written out with pandas and torch (the eleventh pass, docs/cli.md).

There is no PyTorch command line, so the oracle is the recipe docs/cli.md describes, done
by hand: ``pd.read_csv`` of a clean copy of the file, the same seeded split into training
and test rows, each numeric gap filled with its column's training mean (standardised by the
population standard deviation unless ``--no-standardize``), text columns one-hot encoded
as ``pd.get_dummies(dummy_na=True)`` names them, then the closed-form least squares
(``torch.linalg.lstsq``, float64, the smallest solution) and the notes' minibatch SGD loop
in torch (float32, zero start, each column scaled by its root mean square, the documented
minibatch order of ``d2l.data_iter`` under ``random.seed(--seed)``, the rate decaying
linearly in 1/rate from ``--lr`` to a tenth), put in the same smallest form. SGD is
compared to 1e-4 of the weights' size, or more where the oracle's own float32 run ends far
from its float64 run (a high rate, more features than rows: rounding alone then moves the
answer by a percent, in torch as in ember).

The main test draws a table: 1 to 6 input columns (ints, floats written with signs and
exponents, words with commas, quotes and non-ASCII, booleans in their spellings, gaps in
every kind written as '', NA, null...), the numeric target at any position, up to 40 rows,
spaces around values and names, quoted fields, CRLF, a byte order mark; and options:
``--test-size``, ``--solver``, ``--epochs`` (or the default), ``--lr``, ``--batch-size``,
``--seed``, ``--no-standardize``, ``--categorical`` of an integer column and ``--drop``;
a rate of 30 now and then makes SGD diverge, which must stop the run in one line.
It compares what ``fit`` prints (row counts, features, coefficients in original units,
final SGD loss, MSE and R² per split, the gap line) and saves (``model.json``: feature
names and order, weights, bias) with the oracle; then draws a second file (unseen
categories, gaps, extra columns, reordered columns, the target present, partly empty or
absent, sometimes a training column missing, or words in a column that training saw
empty and so fitted as numeric) and compares ``predict``'s CSV (stdout or
``-o``), its notes on unseen categories and its score line with the oracle model.

The second test draws misuse: a missing or non-numeric target, an empty file, a header
alone, a column named twice, a folder or a binary file for the data, text in a numeric
column, a target with a gap, a row too long, a ``--test-size`` that leaves no training row,
``--out`` or ``-o`` below a file or where nothing can be written (a /proc path), a model
folder that is a file, a missing model column. Each must exit 1 with one line naming the
file (and row, line, column where one applies) and leave the files on disk byte for byte.

Where ember's documented design differs from pandas on purpose (docs/cli.md), the oracle
follows ember's docs: spaces around values are not data (the clean copy has none);
booleans with gaps are numbers (1, 0, the mean) where pandas reads them as text; a numeric
column with no value at all is filled with 0 (the mean of nothing is NaN in pandas).
Left out: ``--categorical`` of a boolean or float column (their category names depend on
gaps and on how a float is written; the tenth pass's report), numbers that look like
categories and one-hot name clashes (tests/test_random_preprocessing.py draws those), and
the percentage on the gap line, which divides SGD's float32 rounding by a tiny optimum;
the epoch in which SGD diverges (float32 rounding may move it by one in either library).
A boolean column with gaps is written back by ``predict`` as 1.0 and 0.0 (read as numbers),
one without gaps as True and False; both are compared as numbers.

``EMBER_RANDOM_SCENARIOS=3000`` runs more than the suite's default.
"""

import contextlib
import csv
import functools
import io
import json
import math
import os
import pathlib
import random
import tempfile
from unittest import mock

import numpy as np
import pandas as pd
import pytest
import torch
import tqdm
from hypothesis import Phase, event, given, settings
from hypothesis import strategies as st
from oracle import random_settings

from ember.cli.main import main

EXAMPLES = int(os.environ.get("EMBER_RANDOM_SCENARIOS", "100"))

INPUT_NAMES = ("area", "rooms", "city", "zone, old", "Größe m²", "flag", "x", "kind")
TARGET_NAMES = ("price", "y 2")
KINDS = ("int", "float", "category", "category", "bool")
WORDS = ("a", "b", "red", "x y", "a,b", "Zürich", "O'Brien", 'say "hi"')
UNSEEN_WORDS = ("blue", "Genève")
MISSING = ("", "NA", "NaN", "null", "N/A", "None", "#N/A")
BOOLEANS = {True: ("True", "TRUE", "true"), False: ("False", "FALSE", "false")}
LEARNING_RATES = (0.01, 0.05, 0.1, 0.3, 0.3, 30.0)  # 30: SGD diverges, and says so
# SGD runs in float32 in both libraries, whose sums may round in another order; more where
# rounding alone moves the answer (see rounding_spread)
SGD_RTOL = 1e-4


def one_of(draw, options):
    return draw(st.sampled_from(options))


def sometimes(draw, one_in):
    return draw(st.integers(0, one_in - 1)) == 0


# Drawing a table -------------------------------------------------------------------------


def draw_value(draw, kind):
    if kind == "category":
        return one_of(draw, WORDS)
    if kind == "bool":
        return draw(st.booleans())
    if kind == "int":
        return draw(st.integers(-50, 200))
    return round(draw(st.floats(-100, 100, allow_nan=False)), draw(st.integers(0, 4)))


def draw_column(draw, kind, rows, gaps=True):
    share = one_of(draw, (0.0, 0.0, 0.1, 0.3, 1.0)) if gaps else 0.0
    return [None if draw(st.floats(0, 1)) < share else draw_value(draw, kind) for _ in range(rows)]


@st.composite
def tables(draw, rows=None):
    """({column name: kind}, {column name: values with None for gaps}, target name)."""
    rows = rows or draw(st.integers(2, 40))
    names = draw(st.lists(st.sampled_from(INPUT_NAMES), min_size=1, max_size=6, unique=True))
    kinds = {name: one_of(draw, KINDS) for name in names}
    values = {name: draw_column(draw, kinds[name], rows) for name in names}
    target = one_of(draw, TARGET_NAMES)
    targets = draw_column(draw, one_of(draw, ("int", "float")), rows, gaps=False)
    position = draw(st.integers(0, len(names)))
    order = [*names[:position], target, *names[position:]]
    kinds[target], values[target] = "target", targets
    return {name: kinds[name] for name in order}, {name: values[name] for name in order}, target


# Writing a table -------------------------------------------------------------------------


def quoted(text):
    return '"' + text.replace('"', '""') + '"'


def clean_text(columns):
    """The table as plain CSV: gaps empty, nothing around the values; what pandas reads."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(columns))
    for row in zip(*columns.values()):
        writer.writerow(["" if value is None else value for value in row])
    return out.getvalue()


def messy_cell(draw, value):
    """One cell as a person or a spreadsheet might have written it."""
    if value is None:
        text = one_of(draw, MISSING)
    elif isinstance(value, bool):
        text = one_of(draw, BOOLEANS[value])
    elif isinstance(value, int):
        text = one_of(draw, (str(value), f"{value}.0", f"{value:+d}"))
    elif isinstance(value, float):
        text = one_of(draw, (repr(value), f"{value:.17e}", f"{value:+}"))
    else:
        text = value
    if sometimes(draw, 4):
        text = " " + text + one_of(draw, ("", "  "))
    if any(mark in text for mark in ',"') or (text.strip() and sometimes(draw, 6)):
        text = quoted(text)
    return text


@st.composite
def messy_files(draw, columns):
    """The table as a user's file: spaces, quotes, missing markers, line ends, encodings."""
    names = [messy_cell(draw, name) if sometimes(draw, 3) else name for name in columns]
    names = [quoted(n) if "," in n and not n.startswith('"') else n for n in names]
    lines = [",".join(names)]
    for row in zip(*columns.values()):
        lines.append(",".join(messy_cell(draw, value) for value in row))
    end = one_of(draw, ("\n", "\r\n"))
    text = end.join(lines) + (end if draw(st.booleans()) else "")
    return text.encode(one_of(draw, ("utf-8", "utf-8", "utf-8-sig")))


# Running the command --------------------------------------------------------------------


def ember(argv, folder):
    """``ember ARGV`` run in ``folder``, in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.chdir(folder),
        # tqdm reads TQDM_DISABLE when it is imported, before this test runs
        mock.patch("ember.cli.training.tqdm", functools.partial(tqdm.tqdm, disable=True)),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = main([str(arg) for arg in argv])
    return code, out.getvalue(), err.getvalue()


def one_line_error(code, err, command, *fragments):
    """The single line of stderr after checking it is a one-line error of ``command``."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 1 and len(lines) == 1, (code, err)
    assert lines[0].startswith(f"ember {command}: error: "), err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def files_in(folder):
    """{relative path: bytes} of every file below ``folder``."""
    found = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as file:
                found[os.path.relpath(path, folder)] = file.read()
    return found


# The oracle: the book's recipe with pandas and torch ------------------------------------


def split_positions(rows, test_size, seed):
    """(train, test) row positions, as ``ember fit`` splits: a seeded permutation."""
    n_test = round(test_size * rows)
    order = np.random.default_rng(seed).permutation(rows)
    return np.sort(order[n_test:]), np.sort(order[:n_test])


def category_key(value):
    """A category's name: a number code 7.0 is '7' (read with a gap, ints become floats)."""
    if isinstance(value, (int, float, np.integer, np.floating)):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return str(value)


class Recipe:
    """The preprocessing fitted on the training rows of a frame that pandas read."""

    def __init__(self, train, kinds, standardize, categorical):
        self.kinds = {}  # input column: "numeric" or "categorical"
        for name, kind in kinds.items():
            if kind == "target":
                continue
            # a text column is one that pandas read as text in the whole file: gaps alone
            # make a column of floats (NaN), which is numeric
            text = kind == "category" and is_text(train[name])
            self.kinds[name] = "categorical" if text or name in categorical else "numeric"
        self.standardize = standardize
        self.means, self.scales, self.categories = {}, {}, {}
        for name, kind in self.kinds.items():
            if kind == "numeric":
                numbers = numeric(train[name]).dropna()
                self.means[name] = float(numbers.mean()) if len(numbers) else 0.0
                spread = float(numbers.std(ddof=0)) if len(numbers) and standardize else 1.0
                self.scales[name] = spread or 1.0
            else:
                keys = {category_key(v) for v in train[name].dropna()}
                self.categories[name] = sorted(keys, key=sort_key(keys))

    @property
    def names(self):
        numeric_names = [n for n, kind in self.kinds.items() if kind == "numeric"]
        one_hot = [
            f"{name}_{key}" for name in self.categories for key in [*self.categories[name], "nan"]
        ]
        return numeric_names + one_hot

    def features(self, frame):
        """float64 features (n, p) of ``frame``: the training means, the training categories."""
        columns = {}
        for name in self.means:
            filled = numeric(frame[name]).fillna(self.means[name])
            if self.standardize:
                filled = (filled - self.means[name]) / self.scales[name]
            columns[name] = filled
        for name, categories in self.categories.items():
            keys = frame[name].map(lambda v: None if pd.isna(v) else category_key(v))
            dummies = pd.get_dummies(keys, dummy_na=True, prefix=name, dtype=np.float64)
            for key in categories:
                columns[f"{name}_{key}"] = dummies.get(f"{name}_{key}", 0.0)
            columns[f"{name}_nan"] = frame[name].isna().astype(np.float64)
        table = pd.DataFrame(columns, index=frame.index, dtype=np.float64)
        return table[self.names].to_numpy(dtype=np.float64)

    def sizes_in_original_units(self, weight, bias):
        """What a change of the weights' size makes of each coefficient and the intercept in
        original units (standardising divides a coefficient by its column's scale)."""
        size = 1 + max(float(np.max(np.abs(weight), initial=0.0)), abs(bias))
        sizes = dict.fromkeys(self.names, size)
        intercept_size = size
        for name in self.means if self.standardize else ():
            sizes[name] = size / self.scales[name]
            intercept_size += sizes[name] * abs(self.means[name])
        return sizes, intercept_size

    def original_units(self, weight, bias):
        """Coefficients by feature name and the intercept, for unscaled numeric inputs."""
        coefficients = dict(zip(self.names, weight.tolist()))
        for name in self.means if self.standardize else ():
            coefficients[name] /= self.scales[name]
            bias -= coefficients[name] * self.means[name]
        return coefficients, bias


def is_text(values):
    """Whether pandas read a column as text (not numbers, not booleans without gaps)."""
    return not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values))


def sort_key(keys):
    """Number codes in numeric order, words in text order."""
    try:
        [float(key) for key in keys]
    except ValueError:
        return None
    return float


def numeric(values):
    """A column as float64: booleans (pandas reads them as text when there are gaps) as 1/0."""
    if is_text(values):
        values = values.map({"True": 1.0, "False": 0.0, True: 1.0, False: 0.0})
    return values.astype(np.float64)


def least_squares(X, y):
    """The smallest (weight, bias) of least squares with an intercept, torch float64."""
    A = torch.cat([torch.tensor(X), torch.ones(len(X), 1, dtype=torch.float64)], dim=1)
    b = torch.tensor(np.asarray(y, dtype=np.float64)).reshape(-1, 1)
    solution = torch.linalg.lstsq(A, b, driver="gelsd").solution.reshape(-1).numpy()
    return solution[:-1], float(solution[-1])


def torch_sgd(X, y, epochs, lr, batch_size, seed, dtype=torch.float32):
    """The notes' SGD in torch, as docs/cli.md describes ``fit``'s: (weight, bias, losses),
    or (None, None, the epoch) when it diverged. ``fit`` runs it in float32; the oracle runs
    it in float64 too, to see how much rounding moves the result."""
    scale = np.sqrt(np.mean(X * X, axis=0))
    scale[scale == 0] = 1.0
    Z = torch.tensor((X / scale).astype(np.float32)).to(dtype)
    labels = torch.tensor(np.asarray(y, dtype=np.float32).reshape(-1, 1)).to(dtype)
    w = torch.zeros(Z.shape[1], 1, dtype=dtype, requires_grad=True)
    b = torch.zeros(1, dtype=dtype, requires_grad=True)
    shuffler, losses = random.Random(seed), []
    for epoch in range(epochs):
        rate = lr / (1 + 9 * epoch / max(epochs - 1, 1))
        order = list(range(len(Z)))
        shuffler.shuffle(order)
        for start in range(0, len(order), batch_size):
            batch = torch.tensor(order[start : start + batch_size])
            ((Z[batch] @ w + b - labels[batch]) ** 2 / 2).sum().backward()
            with torch.no_grad():
                for parameter in (w, b):
                    parameter -= rate * parameter.grad / len(batch)
                    parameter.grad.zero_()
        with torch.no_grad():
            loss = float(((Z @ w + b - labels) ** 2 / 2).mean())
        if not math.isfinite(loss):
            return None, None, epoch + 1
        losses.append(loss)
    weight = w.detach().reshape(-1).numpy().astype(np.float64) / scale
    weight, bias = least_squares(X, X @ weight + float(b.item()))
    return weight, bias, losses


def mse(predictions, targets):
    return float(np.mean((predictions - targets) ** 2))


def r2(predictions, targets):
    total = float(np.sum((targets - targets.mean()) ** 2))
    return math.nan if total == 0 else 1 - float(np.sum((predictions - targets) ** 2)) / total


def close(found, expected, scale, rtol=1e-5):
    """Whether a printed or saved number is the oracle's, to ``rtol`` of itself or ``scale``."""
    if math.isnan(expected):
        return math.isnan(found)
    return abs(found - expected) <= rtol * max(abs(expected), scale)


def scores_agree(printed_mse, printed_r2, predictions, y, slack):
    """The MSE (6 digits) and R² (6 decimals) printed for ``predictions`` of ``y``, where the
    predictions may be ``slack`` off each (None for an R² not printed)."""
    expected_mse, expected_r2 = mse(predictions, y), r2(predictions, y)
    room = 2 * math.sqrt(expected_mse) * slack + slack**2
    scale = 1e-9 * (1 + float(np.max(np.abs(y)))) ** 2
    if abs(printed_mse - expected_mse) > 1e-5 * max(expected_mse, scale) + room:
        return False
    if printed_r2 is None:
        return True
    if math.isnan(printed_r2) or math.isnan(expected_r2):  # a constant target
        return math.isnan(printed_r2) and math.isnan(expected_r2)
    total = float(np.sum((y - y.mean()) ** 2))
    return abs(printed_r2 - expected_r2) <= 6e-7 + 1e-5 * abs(expected_r2) + room * len(y) / total


# The scenario ----------------------------------------------------------------------------


@st.composite
def fit_options(draw, kinds, target):
    inputs = [name for name in kinds if name != target]
    options = {
        "test_size": one_of(draw, (0.0, 0.0, 0.2, 0.5)),
        "solver": one_of(draw, ("both", "closed-form", "sgd")),
        "epochs": one_of(draw, (1, 2, 3, 5, None)) if sometimes(draw, 1) else 2,
        "lr": one_of(draw, LEARNING_RATES),
        "batch_size": one_of(draw, (1, 4, 32)),
        "seed": draw(st.integers(0, 5)),
        "standardize": draw(st.booleans()),
        "categorical": [],
        "drop": [],
    }
    if options["epochs"] is None and not sometimes(draw, 3):
        options["epochs"] = 2  # the default 100 epochs, now and then only: it takes time
    codes = [name for name in inputs if kinds[name] == "int"]
    if codes and sometimes(draw, 3):
        options["categorical"] = [one_of(draw, codes)]
    others = [name for name in inputs if name not in options["categorical"]]
    if len(others) > 1 and sometimes(draw, 4):
        options["drop"] = [one_of(draw, others)]
    return options


def fit_argv(target, options):
    argv = ["fit", "data.csv", "--target", target, "--test-size", options["test_size"]]
    argv += ["--solver", options["solver"], "--lr", options["lr"], "--seed", options["seed"]]
    argv += ["--batch-size", options["batch_size"]]
    if options["epochs"] is not None:
        argv += ["--epochs", options["epochs"]]
    if not options["standardize"]:
        argv.append("--no-standardize")
    for option in ("categorical", "drop"):
        if options[option]:
            argv += [f"--{option}", *options[option]]
    return argv


class Expected:
    """What ``ember fit`` should print and save for a table and its options."""

    def __init__(self, frame, kinds, target, options):
        kinds = {n: k for n, k in kinds.items() if n not in options["drop"]}
        train_rows, test_rows = split_positions(len(frame), options["test_size"], options["seed"])
        self.train, self.test = frame.iloc[train_rows], frame.iloc[test_rows]
        self.recipe = Recipe(self.train, kinds, options["standardize"], options["categorical"])
        self.X = self.recipe.features(self.train)
        self.y = self.train[target].to_numpy(dtype=np.float64)
        self.models = {}
        self.diverged = None
        if options["solver"] in ("closed-form", "both"):
            self.models["closed form"] = least_squares(self.X, self.y)
        if options["solver"] in ("sgd", "both"):
            steps = math.ceil(len(self.train) / options["batch_size"])
            self.epochs = options["epochs"] or max(
                2, min(100, math.ceil(20_000 / steps)), math.ceil(1_000 / steps)
            )
            run = (self.X, self.y, self.epochs, options["lr"], options["batch_size"])
            weight, bias, losses = torch_sgd(*run, options["seed"])
            if weight is None:
                self.diverged = losses
            else:
                self.models["SGD"], self.final_loss = (weight, bias), 2 * losses[-1]
                self.sgd_rtol = SGD_RTOL + 10 * rounding_spread(weight, bias, *run, options)
        self.saved = "closed form" if "closed form" in self.models else "SGD"

    def prediction_slack(self, label, X):
        """How far a model's predictions on X may be from the oracle's: nothing beyond
        printing for the closed form; for SGD, its weights' tolerance times the rows' size."""
        if label == "closed form":
            return 0.0
        weight, bias = self.models[label]
        size = 1 + max(float(np.max(np.abs(weight), initial=0.0)), abs(bias))
        rows = 1 + float(np.max(np.sum(np.abs(X), axis=1), initial=0.0))
        return self.sgd_rtol * size * rows


def rounding_spread(weight, bias, X, y, epochs, lr, batch_size, options):
    """How far float32 SGD ends from float64 SGD, relative to the weights' size: where the
    run is barely stable (a high rate, more features than rows), rounding alone moves the
    answer by a percent, in torch as in ember."""
    exact_weight, exact_bias, _ = torch_sgd(
        X, y, epochs, lr, batch_size, options["seed"], torch.float64
    )
    if exact_weight is None:
        return 1.0
    size = 1 + max(float(np.max(np.abs(exact_weight), initial=0.0)), abs(exact_bias))
    gap = max(float(np.max(np.abs(weight - exact_weight), initial=0.0)), abs(bias - exact_bias))
    return gap / size


def parsed_fit_output(out, labels):
    """{'coefficients': {label: {name: value}}, 'intercept': {label: value},
    'metrics': {(split, label): (mse, r2)}, 'lines': [...]} from fit's stdout."""
    lines = out.splitlines()
    found = {"coefficients": {label: {} for label in labels}, "intercept": {}, "metrics": {}}
    start = lines.index("coefficients (original units):")
    row = start + 2
    while not lines[row].lstrip().startswith(("train ", "saved ")):
        words = lines[row].split()
        name = lines[row][2:].rsplit(maxsplit=len(labels))[0].strip()
        for label, text in zip(labels, words[-len(labels) :]):
            if name == "(intercept)":
                found["intercept"][label] = float(text)
            else:
                found["coefficients"][label][name] = float(text)
        row += 1
    for line in lines[row:]:
        for label in labels:
            for split in ("train", "test"):
                head = f"{split:>5} {label:<12} MSE "
                if line.startswith(head):
                    mse_text, r2_text = line[len(head) :].split("R² ")
                    found["metrics"][split, label] = (float(mse_text), float(r2_text))
    found["lines"] = lines
    return found


def check_fit(code, out, err, expected, target):
    """Whether fit printed what the oracle expects; False when SGD diverged, as it says."""
    if expected.diverged is not None:
        # float32 rounding may let ember diverge an epoch earlier or later than torch
        one_line_error(code, err, "fit", "SGD diverged in epoch", "try a smaller --lr")
        return False
    assert code == 0, err
    rows, train, test = len(expected.train) + len(expected.test), expected.train, expected.test
    assert out.startswith(
        f"data.csv: {rows} row{'s' * (rows != 1)} ({len(train)} train, {len(test)} test), "
        f"target '{target}', {len(expected.recipe.names)} feature"
    ), out
    labels = list(expected.models)
    found = parsed_fit_output(out, labels)
    y_scale = 1 + float(np.max(np.abs(expected.y)))
    for label, (weight, bias) in expected.models.items():
        coefficients, intercept = expected.recipe.original_units(weight, bias)
        assert list(found["coefficients"][label]) == list(coefficients), out
        rtol = 1e-5 if label == "closed form" else expected.sgd_rtol
        sizes, intercept_size = expected.recipe.sizes_in_original_units(weight, bias)
        if label == "closed form":  # exact up to rounding: each as printed, to 6 digits
            sizes = dict.fromkeys(sizes, 1e-3 * max(map(abs, [*coefficients.values(), 1.0])))
            intercept_size = 1e-3 * (1 + abs(intercept))
        for name, value in coefficients.items():
            printed = found["coefficients"][label][name]
            assert close(printed, value, sizes[name], rtol), (name, out)
        assert close(found["intercept"][label], intercept, intercept_size, rtol), out
        splits = [("train", train, expected.X)]
        if len(test):
            splits.append(("test", test, expected.recipe.features(test)))
        for split, frame, X in splits:
            y = frame[target].to_numpy(dtype=np.float64)
            predictions = X @ weight + bias
            slack = expected.prediction_slack(label, X)
            printed = found["metrics"][split, label]
            assert scores_agree(*printed, predictions, y, slack), (split, label, out)
    if "SGD" in expected.models:
        sgd_line = next(line for line in found["lines"] if line.startswith("SGD: "))
        assert sgd_line.startswith(f"SGD: {expected.epochs} epoch"), sgd_line
        printed = float(sgd_line.rsplit(" ", 1)[1])
        slack = expected.prediction_slack("SGD", expected.X)
        assert close(printed, expected.final_loss, 1e-6 * y_scale**2, SGD_RTOL) or scores_agree(
            printed, None, expected.X @ weight + bias, expected.y, slack
        ), sgd_line
    if len(labels) == 2:
        check_gap_line(found["lines"], expected)
    return True


def check_gap_line(lines, expected):
    """The line on how far SGD ended from the closed form: the largest weight difference,
    and whether the closed form fits exactly (the percentage is left out: see the top)."""
    line = next(line for line in lines if line.startswith("SGD vs closed form: "))
    (weight, bias), (exact_weight, exact_bias) = (
        expected.models["SGD"],
        expected.models["closed form"],
    )
    gap = max(float(np.max(np.abs(weight - exact_weight), initial=0.0)), abs(bias - exact_bias))
    printed = float(line.split("largest weight difference ")[1].split()[0])
    size = 1 + float(np.max(np.abs(exact_weight), initial=abs(exact_bias)))
    assert abs(printed - gap) <= 1e-2 * gap + 1e-4 * size, (gap, line)
    best = mse(expected.X @ exact_weight + exact_bias, expected.y)
    exact = max(1e-12 * float(np.var(expected.y)), 1e-24 * float(np.mean(expected.y**2)))
    if best > 10 * exact:
        assert line.endswith("above the optimum"), line
    elif best < exact / 10:
        assert line.endswith("where the closed form fits the data exactly"), line


def check_saved_model(folder, expected, target, options):
    model = json.loads((folder / "model" / "model.json").read_text())
    state = json.loads((folder / "model" / "preprocessor.json").read_text())
    weight, bias = expected.models[expected.saved]
    assert model["features"] == expected.recipe.names
    assert model["target"] == target
    assert model["solver"] == {"closed form": "closed-form", "SGD": "sgd"}[expected.saved]
    size = 1 + float(np.max(np.abs(weight), initial=abs(bias)))
    # the fitted values, which do not depend on how ill-conditioned the features are
    X = expected.X
    rows = 1 + float(np.max(np.sum(np.abs(X), axis=1)))
    atol = 1e-6 * size * rows + expected.prediction_slack(expected.saved, X)
    fitted = X @ np.array(model["weight"]) + model["bias"]
    np.testing.assert_allclose(fitted, X @ weight + bias, rtol=1e-6, atol=atol)
    # the weights, which do where the features are nearly collinear
    atol = 1e-2 * size if expected.saved == "closed form" else 10 * expected.sgd_rtol * size
    np.testing.assert_allclose(model["weight"], weight, rtol=1e-5, atol=atol)
    assert state["standardize"] is options["standardize"]
    assert [c["name"] for c in state["columns"]] == list(expected.recipe.kinds)


# predict: a second file --------------------------------------------------------------


@st.composite
def new_tables(draw, kinds, target, options):
    """A second table for ``predict``: the inputs reordered, with new categories and gaps,
    an extra column, the target present (perhaps partly empty) or not, and now and then a
    training column missing. Returns (columns, missing column or None)."""
    rows = draw(st.integers(1, 12))
    inputs = [name for name in kinds if name != target]
    needed = [name for name in inputs if name not in options["drop"]]
    missing = one_of(draw, needed) if sometimes(draw, 8) else None
    names = draw(st.permutations([name for name in inputs if name != missing]))
    columns = {}
    for name in names:
        values = draw_column(draw, kinds[name], rows)
        if kinds[name] == "category" and sometimes(draw, 2):
            values = [one_of(draw, UNSEEN_WORDS) if sometimes(draw, 3) else v for v in values]
        columns[name] = values
    # a row of gaps only is a spreadsheet's empty row, which is not read (one column alone
    # writes it as a blank line): an extra column keeps every row
    empty_row = any(all(value is None for value in row) for row in zip(*columns.values()))
    if len(columns) < 2 or empty_row or draw(st.booleans()):
        columns["note"] = [one_of(draw, WORDS) for _ in range(rows)]
    if draw(st.booleans()):
        targets = draw_column(draw, "float", rows, gaps=draw(st.booleans()))
        columns[target] = targets
        position = draw(st.integers(0, len(columns) - 1))
        order = [*list(columns)[:position], target, *list(columns)[position:-1]]
        columns = {name: columns[name] for name in order}
    return columns, missing


def data_rows(text):
    """The fields of each data row of CSV ``text``, as the csv module reads them."""
    return list(csv.reader(io.StringIO(text, newline="")))[1:]


def first_word_in_a_numeric_column(recipe, kinds, new_columns):
    """(column, row) of the first word in a text column that training saw empty only, and so
    fitted as numeric; or None."""
    for name, kind in recipe.kinds.items():
        if kind == "numeric" and kinds[name] == "category" and name in new_columns:
            rows = [row for row, value in enumerate(new_columns[name], 1) if value is not None]
            if rows:
                return name, rows[0]
    return None


def check_predict(folder, expected, kinds, target, new_columns, missing, to_file, draw):
    messy = draw(messy_files(new_columns))
    (folder / "new.csv").write_bytes(messy)
    (folder / "old.csv").write_bytes(b"kept,if,predict,fails\n")
    argv = ["predict", "model", "new.csv"] + (["-o", "old.csv"] if to_file else [])
    code, out, err = ember(argv, folder)
    if missing is not None:
        event("predict: a training column missing")
        one_line_error(code, err, "predict", "new.csv, line 1", f"missing column(s) '{missing}'")
        assert (folder / "old.csv").read_bytes() == b"kept,if,predict,fails\n"
        return
    word = first_word_in_a_numeric_column(expected.recipe, kinds, new_columns)
    if word is not None:
        name, row = word
        event("predict: a word in a column that training saw empty")
        place = f"new.csv, row {row} (line {row + 1}), column '{name}': "
        one_line_error(code, err, "predict", place, "is not a number (the column is numeric)")
        assert (folder / "old.csv").read_bytes() == b"kept,if,predict,fails\n"
        return
    assert code == 0, err
    written = (folder / "old.csv").read_text() if to_file else out
    report = out if to_file else err
    clean = pd.read_csv(io.StringIO(clean_text(new_columns)))
    table = pd.read_csv(io.StringIO(written))
    assert list(table.columns) == [*new_columns, f"predicted_{target}"]
    # The input columns come back as the file wrote them: spaces, '+3', 'NA', quotes' contents.
    assert [row[:-1] for row in data_rows(written)] == data_rows(messy.decode("utf-8-sig"))
    weight, bias = expected.models[expected.saved]
    predictions = expected.recipe.features(clean) @ weight + bias
    slack = expected.prediction_slack(expected.saved, expected.recipe.features(clean))
    atol = slack + 1e-6 * (1 + float(np.max(np.abs(predictions))))
    got = table[f"predicted_{target}"].to_numpy()
    np.testing.assert_allclose(got, predictions, rtol=1e-6, atol=atol)
    check_notes(report, expected.recipe, clean)
    check_score(report, clean, target, predictions, slack)
    if to_file:
        rows = f"{len(clean)} prediction" + "s" * (len(clean) != 1)
        assert report.splitlines()[-1] == f"wrote {rows} to old.csv", report


def check_notes(report, recipe, clean):
    expected = {}
    for name, categories in recipe.categories.items():
        keys = [category_key(v) for v in clean[name].dropna()]
        new = [key for key in keys if key not in categories]
        if new:
            expected[name] = (len(set(new)), len(new))
    notes = [line for line in report.splitlines() if line.startswith("note: ")]
    event(f"predict: {'unseen categories' if notes else 'no unseen category'}")
    assert len(notes) == len(expected), report
    for name, (count, rows) in expected.items():
        head = f"note: column '{name}' has {count} categor{'y' if count == 1 else 'ies'} not seen"
        line = next((line for line in notes if line.startswith(head)), None)
        assert line is not None and f"; {rows} row{'s' * (rows != 1)}): " in line, report


def check_score(report, clean, target, predictions, slack):
    scores = [line for line in report.splitlines() if " with '" in line]
    known = clean[target].notna().to_numpy() if target in clean else np.zeros(len(clean), bool)
    if not known.any():
        assert not scores, report
        return
    y, predicted = clean[target].to_numpy(dtype=np.float64)[known], predictions[known]
    head = f"{len(y)} row{'s' * (len(y) != 1)} with '{target}': MSE "
    assert len(scores) == 1 and scores[0].startswith(head), report
    mse_text, rest = scores[0][len(head) :].split(", R² ")
    assert scores_agree(float(mse_text), float(rest.split()[0]), predicted, y, slack), report
    unscored = len(known) - len(y)
    assert ("not scored" in rest) == bool(unscored), report


# No shrinking: a scenario runs the command, and shrinking one took over five minutes; the
# failing draw is printed as it is.
SETTINGS = settings(random_settings(EXAMPLES), phases=[Phase.explicit, Phase.generate])


@given(data=st.data())
@SETTINGS
def test_random_tables_fit_and_predict_as_the_recipe(data):
    kinds, columns, target = data.draw(tables())
    options = data.draw(fit_options(kinds, target))
    with tempfile.TemporaryDirectory() as name:
        folder = pathlib.Path(name)
        (folder / "data.csv").write_bytes(data.draw(messy_files(columns)))
        frame = pd.read_csv(io.StringIO(clean_text(columns)))
        expected = Expected(frame, kinds, target, options)
        event("fit: SGD diverged" if expected.diverged else f"fit: --solver {options['solver']}")
        code, out, err = ember(fit_argv(target, options), folder)
        if not check_fit(code, out, err, expected, target):
            assert not (folder / "model").exists()
            return
        check_saved_model(folder, expected, target, options)
        new_columns, missing = data.draw(new_tables(kinds, target, options))
        check_predict(
            folder,
            expected,
            kinds,
            target,
            new_columns,
            missing,
            data.draw(st.booleans()),
            data.draw,
        )


# Misuse ----------------------------------------------------------------------------------

FITTED = ["--test-size", "0", "--solver", "closed-form"]


def with_cell(columns, name, row, value):
    """``columns`` with one cell (``row`` from 0) replaced."""
    changed = {key: list(values) for key, values in columns.items()}
    changed[name][row] = value
    return changed


@st.composite
def fit_misuse(draw, kinds, columns, target):
    """(file bytes or None for a folder, extra arguments, the fragments the error names)."""
    rows = len(columns[target])
    row = draw(st.integers(0, rows - 1))
    header = ",".join(quoted(name) if "," in name else name for name in columns)
    inputs = [name for name in kinds if name != target]
    numbers = [name for name in inputs if kinds[name] in ("int", "float")]
    cases = ["missing target", "text target", "empty", "header only", "twice", "folder"]
    cases += ["binary", "target gap", "long row", "out below a file", "out unwritable"]
    cases += ["test size", "text among numbers" if numbers else "test size"]
    case = one_of(draw, cases)
    text = None if case == "folder" else draw(messy_files(columns))
    argv = ["--target", target]
    place = f"data.csv, row {row + 1} (line {row + 2})"
    if case == "missing target":
        argv = ["--target", "prise"]
        fragments = ["data.csv, line 1: no target column 'prise'"]
    elif case == "text target":
        words = [one_of(draw, WORDS) for _ in range(rows)]
        text = draw(messy_files({**columns, target: words}))
        fragments = [f"data.csv, row 1 (line 2), column '{target}'", "the target must be numeric"]
    elif case == "empty":
        text = one_of(draw, (b"", b"\n", b"  \r\n\n"))
        fragments = ["data.csv: the file is empty"]
    elif case == "header only":
        text = (header + one_of(draw, ("", "\n", "\r\n\n"))).encode()
        fragments = ["data.csv: has a header but no data rows"]
    elif case == "twice":
        name = one_of(draw, list(columns))
        text = draw(messy_files({**columns, f"{name} ": columns[name]}))
        fragments = [f"data.csv, line 1, column '{name}': appears twice in the header"]
    elif case == "folder":
        fragments = ["data.csv: is a folder, not a CSV file"]
    elif case == "binary":
        text = b"PK\x03\x04\x00\x00\xff\xfe" + bytes(range(256))
        fragments = ["data.csv: is a binary file"]
    elif case == "target gap":
        text = draw(messy_files(with_cell(columns, target, row, None)))
        fragments = [f"{place}, column '{target}': the target is missing"]
    elif case == "long row":
        lines = text.decode("utf-8-sig").splitlines()
        lines[row + 1] += ",1"
        text = "\n".join(lines).encode()
        fragments = [f"{place}: {len(columns) + 1} fields but the header has {len(columns)}"]
    elif case == "out below a file":
        argv += ["--out", "data.csv/model"]
        fragments = ["--out data.csv/model: data.csv is a file, not a folder"]
    elif case == "test size":
        argv += ["--test-size", "0.99"]
        fragments = [f"data.csv: {rows} rows leave nothing to train on with --test-size 0.99"]
    elif case == "out unwritable":
        argv += ["--out", "/proc/ember-model"]
        fragments = ["--out /proc/ember-model: cannot write there"]
    else:  # a word among the numbers of a numeric column
        name = one_of(draw, numbers)
        changed = with_cell(columns, name, row, "ten")
        if all(value is None for value in changed[name][:row] + changed[name][row + 1 :]):
            changed[name][(row + 1) % rows] = 1  # a column of numbers needs a number
        text = draw(messy_files(changed))
        # the value as written, spaces and all
        fragments = [f"{place}, column '{name}': '", "ten", "' is not a number"]
    return case, text, argv, fragments


@st.composite
def predict_misuse(draw, kinds, columns, target):
    """(case, new file bytes or None for a folder, arguments, fragments of the error)."""
    inputs = [name for name in kinds if name != target]
    case = one_of(
        draw, ("missing column", "folder", "empty", "o below a file", "o unwritable", "no model")
    )
    text = None if case == "folder" else draw(messy_files(columns))
    argv = ["model", "new.csv"]
    if case == "missing column":
        name = one_of(draw, inputs)
        rest = {key: values for key, values in columns.items() if key != name}
        text = draw(messy_files(rest))
        fragments = [f"new.csv, line 1: missing column(s) '{name}'"]
    elif case == "folder":
        fragments = ["new.csv: is a folder, not a CSV file"]
    elif case == "empty":
        text = b""
        fragments = ["new.csv: the file is empty"]
    elif case == "o below a file":
        argv += ["-o", "data.csv/out.csv"]
        fragments = ["-o data.csv/out.csv: data.csv is a file, not a folder"]
    elif case == "o unwritable":
        argv += ["-o", "/proc/ember-predictions.csv"]
        fragments = ["-o /proc/ember-predictions.csv: cannot write there"]
    else:
        argv = ["data.csv", "new.csv"]
        fragments = ["data.csv: is a file, not a model folder"]
    return case, text, ["predict", *argv], fragments


def put(folder, name, text):
    """``name`` in ``folder`` holding ``text``; a folder when ``text`` is None."""
    path = folder / name
    if text is None:
        path.mkdir()
    else:
        path.write_bytes(text)


@given(data=st.data())
@SETTINGS
def test_random_misuse_is_one_line_and_keeps_the_files(data):
    kinds, columns, target = data.draw(tables(rows=data.draw(st.integers(2, 12))))
    with tempfile.TemporaryDirectory() as name:
        folder = pathlib.Path(name)
        (folder / "data.csv").write_bytes(data.draw(messy_files(columns)))
        code, _, err = ember(["fit", "data.csv", "--target", target, *FITTED], folder)
        assert code == 0, err
        (folder / "data.csv").unlink()
        if data.draw(st.booleans()):
            case, text, argv, fragments = data.draw(fit_misuse(kinds, columns, target))
            put(folder, "data.csv", text)
            argv, command = ["fit", "data.csv", *FITTED, *argv], "fit"
        else:
            (folder / "data.csv").write_bytes(data.draw(messy_files(columns)))
            case, text, argv, fragments = data.draw(predict_misuse(kinds, columns, target))
            put(folder, "new.csv", text)
            command = "predict"
        event(f"{command}: {case}")
        before = files_in(folder)
        code, _, err = ember(argv, folder)
        one_line_error(code, err, command, *fragments)
        assert files_in(folder) == before, case


# What the random pass found -------------------------------------------------------------

SMALL = "area,city,price\n" + "".join(f"{i},{'ab'[i % 2]},{3 * i + i % 2}\n" for i in range(1, 9))


def fitted_folder(tmp_path):
    """A folder with SMALL as data.csv and a model fitted on it; returns its files."""
    (tmp_path / "data.csv").write_text(SMALL)
    code, _, err = ember(["fit", "data.csv", "--target", "price", *FITTED], tmp_path)
    assert code == 0, err
    return files_in(tmp_path)


def test_fit_with_out_below_a_file_is_one_line_before_training(tmp_path):
    """--out data.csv/model was a NotADirectoryError traceback from os.makedirs, after
    training, with exit code 1 only by luck of the traceback."""
    before = fitted_folder(tmp_path)
    code, out, err = ember(
        ["fit", "data.csv", "--target", "price", "--out", "data.csv/m"], tmp_path
    )
    one_line_error(code, err, "fit", "--out data.csv/m: data.csv is a file, not a folder")
    assert out == "" and files_in(tmp_path) == before  # stopped before training


def test_predict_with_output_below_a_file_is_one_line(tmp_path):
    """-o data.csv/out.csv was a FileExistsError traceback from os.makedirs."""
    before = fitted_folder(tmp_path)
    argv = ["predict", "model", "data.csv", "-o", "data.csv/out.csv"]
    code, _, err = ember(argv, tmp_path)
    one_line_error(code, err, "predict", "-o data.csv/out.csv: data.csv is a file, not a folder")
    assert files_in(tmp_path) == before


def test_a_test_size_that_leaves_no_training_row_names_the_file(tmp_path):
    """The message said '8 rows leave nothing to train on' without naming the file."""
    before = fitted_folder(tmp_path)
    argv = ["fit", "data.csv", "--target", "price", "--test-size", "0.95"]
    code, _, err = ember(argv, tmp_path)
    one_line_error(code, err, "fit", "data.csv: 8 rows leave nothing to train on")
    assert files_in(tmp_path) == before


def no_space_left(*args, **kwargs):
    """What tempfile.mkstemp raises on a full disk: the error names the temporary file."""
    raise OSError(28, "No space left on device", "/somewhere/.model.json1x2y3z")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["fit", "data.csv", "--target", "price"], "--out model: cannot write there"),
        (["predict", "model", "data.csv", "-o", "p.csv"], "-o p.csv: cannot write there"),
    ],
)
def test_a_failed_write_names_the_output_rather_than_its_temporary_file(argv, message, tmp_path):
    """A full disk (or a folder that cannot be written) named the hidden temporary file
    beside the output ('[Errno 28] ...: /somewhere/.model.json1x2y3z'), not the output."""
    before = fitted_folder(tmp_path)
    with mock.patch("tempfile.mkstemp", no_space_left):
        code, _, err = ember(argv, tmp_path)
    line = one_line_error(code, err, argv[0], message, "No space left on device")
    assert ".model.json1x2y3z" not in line
    assert files_in(tmp_path) == before
