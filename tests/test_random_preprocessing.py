"""Random CSV files through ``ember.preprocessing`` beside the book's pandas recipe (the
tenth pass, SPEC P1-P3).

Each scenario draws a table: numeric columns (ints and floats, negative, written with an
exponent, a sign or a decimal point), categorical columns (words, quoted text with commas
and quotes, non-ASCII, and categories that look like numbers, such as '007' or '1e3'),
boolean columns, gaps in all of them, and a numeric target. It writes the table as a messy
file (missing cells as '', 'NA', 'NaN', 'null' and the like, spaces around values, quotes,
CRLF or LF, a byte order mark, blank lines, a trailing newline or not) and as a clean one.
The oracle is the book's recipe on the clean file: ``pd.read_csv``, fill each numeric gap
with its column's mean, ``pd.get_dummies(..., dummy_na=True)``, ``torch.tensor``. It then
compares ``read_csv`` + ``Preprocessor(standardize=...).fit`` + ``to_tensors``: the values
read, ``feature_names`` against the dummy columns' names and order, the features and the
target, ``standardize=True`` and number columns made categorical (``categorical=``,
where ember names 7.0 '7') against a hand computation, ``save`` / ``load``, a failed save
(the old file is kept), and ``transform`` of a second drawn file with unseen categories,
columns in another order, an extra column, a missing target or a missing input column.

A second test draws broken files (rows too long or too short, text in a numeric column, an
unknown or missing target, an empty file, a header alone, a byte that is not UTF-8, a
column named twice) and checks the ``DataError`` (a ``ValueError``) names the file, and the
row, line and column where one applies.

Where ember's documented design differs from the book's recipe on purpose, the oracle
follows ember's docs (src/ember/preprocessing):

* the features are float32 (the default dtype), not the float64 ``torch.tensor`` makes of
  a pandas frame, and the target is a column (n, 1);
* spaces around values are not data (' red' is 'red', ' NA' is missing): the clean file,
  which the oracle reads, has none;
* booleans with gaps are numbers (1, 0, the mean), where pandas reads them as text and
  one-hot encodes them;
* a numeric column with no value at all is filled with 0, where the book's recipe leaves
  NaN (the mean of nothing);
* ``standardize=True`` scales by the population standard deviation (ddof=0) of the values
  present, and a constant column by 1;
* a row whose cells are all empty is a spreadsheet's empty row and is not read, so no
  drawn row is empty in every cell.

Boolean columns are made categorical too, now and then: their categories are 'False' and
'True' with gaps or without (they were '0' and '1' with gaps, by the eighteenth day), so a
second file's match the first's.

``EMBER_RANDOM_SCENARIOS=3000`` runs more than the suite's default.
"""

import io
import json
import math
import os
import tempfile
from decimal import Decimal
from unittest import mock

import numpy as np
import pandas as pd
import torch
from hypothesis import event, given
from hypothesis import strategies as st
from oracle import random_settings

import ember
from ember.preprocessing import DataError, Preprocessor, read_csv

EXAMPLES = int(os.environ.get("EMBER_RANDOM_SCENARIOS", "150"))

INPUT_NAMES = ("NumRooms", "Alley", "area m²", "city", "x", "Price 2", "zone, old", "b")
TARGET_NAMES = ("Price", "y")
KINDS = ("int", "float", "category", "category", "bool")

WORDS = ("Pave", "Grvl", "red", "x y", "a,b", "Zürich", "O'Brien", 'say "hi"', "True", "e")
NUMBER_LIKE = ("1", "2.0", "-3", "007", "1e3")  # text in a categorical column
UNSEEN_WORDS = ("blue", "Genève", "pave")
MISSING = ("", "NA", "NaN", "nan", "N/A", "NULL", "null", "<NA>", "#N/A", "None", "n/a")
BOOLEANS = {True: ("True", "TRUE", "true"), False: ("False", "FALSE", "false")}


def one_of(draw, options):
    return draw(st.sampled_from(options))


def sometimes(draw, odds):
    """True one time in ``odds``."""
    return draw(st.integers(1, odds)) == 1


# Drawing a table ------------------------------------------------------------------------


class Column:
    """A column's name, kind and values (Python numbers, text or bools; None for a gap)."""

    def __init__(self, name, kind, values, forced=False):
        self.name, self.kind, self.values = name, kind, values
        self.forced = forced  # numbers or booleans made categorical: categorical=[name]

    def __repr__(self):
        forced = ", forced=True" if self.forced else ""
        return f"Column({self.name!r}, {self.kind!r}, {self.values!r}{forced})"

    @property
    def numeric(self):
        if self.forced:
            return False
        return self.kind != "category" or all(value is None for value in self.values)


def draw_number(draw, kind):
    if kind == "int":
        return draw(st.one_of(st.integers(-20, 20), st.integers(-(10**9), 10**9)))
    mantissa, exponent = draw(st.integers(-99999, 99999)), draw(st.integers(-6, 6))
    return float(f"{mantissa}e{exponent}")


def draw_values(draw, kind, rows, words=WORDS):
    gaps = one_of(draw, (0.0, 0.0, 0.2, 0.5, 1.0))
    values = []
    for _ in range(rows):
        if draw(st.floats(0, 1)) < gaps:
            values.append(None)
        elif kind == "category":
            values.append(one_of(draw, words))
        elif kind == "bool":
            values.append(draw(st.booleans()))
        else:
            values.append(draw_number(draw, kind))
    if kind == "category":
        add_number_like(draw, values)
    return values


def add_number_like(draw, values):
    """Turn some words into text that looks like a number, fewer than the words left: a
    column mostly of numbers is numeric, and its words are typos (csv_reader)."""
    present = [index for index, value in enumerate(values) if value is not None]
    for index in draw(st.permutations(present))[: max(0, (len(present) - 1) // 2)]:
        if sometimes(draw, 2):
            values[index] = one_of(draw, NUMBER_LIKE)


@st.composite
def tables(draw):
    rows = draw(st.integers(1, 7))
    names = draw(st.lists(st.sampled_from(INPUT_NAMES), min_size=1, max_size=4, unique=True))
    target = one_of(draw, TARGET_NAMES)
    columns = [Column(name, one_of(draw, KINDS), None) for name in names]
    for column in columns:
        column.values = draw_values(draw, column.kind, rows)
        if column.kind == "category" and {v for v in column.values if v is not None} == {"True"}:
            column.kind, column.values = "bool", [v and True for v in column.values]
        column.forced = column.kind in ("int", "float", "bool") and sometimes(draw, 6)
    targets = [draw_number(draw, one_of(draw, ("int", "float"))) for _ in range(rows)]
    columns.insert(draw(st.integers(0, len(columns))), Column(target, "target", targets))
    return columns, target


# Writing a table -------------------------------------------------------------------------


def quoted(text):
    return '"' + text.replace('"', '""') + '"'


def clean_cell(value):
    if value is None:
        return "NA"
    text = repr(value) if isinstance(value, float) else str(value)
    return quoted(text) if any(mark in text for mark in ',"\n') else text


def number_text(draw, value):
    if isinstance(value, int) and not isinstance(value, bool):
        forms = [str(value), f"{value}.0", f"{value}e0"]
        return one_of(draw, forms + ([f"+{value}"] if value >= 0 else []))
    exact = Decimal(repr(value))
    sign, digits, exponent = exact.as_tuple()
    mantissa = ("-" if sign else "") + "".join(map(str, digits))
    forms = [repr(value), f"{mantissa}e{exponent}", f"{mantissa}E{exponent:+d}", f"{exact:f}"]
    return one_of(draw, forms)


def messy_cell(draw, value):
    """The text of one cell as a person or a spreadsheet might have written it."""
    if value is None:
        text = one_of(draw, MISSING)
    elif isinstance(value, bool):
        text = one_of(draw, BOOLEANS[value])
    elif isinstance(value, str):
        text = value
    else:
        text = number_text(draw, value)
    if sometimes(draw, 4):
        text = one_of(draw, (" ", "  ")) + text + one_of(draw, ("", " "))
    if any(mark in text for mark in ',"') or (text and sometimes(draw, 6)):
        text = quoted(text)
    return text


class File:
    """A drawn file's lines (without their ends) and the file line of each data row."""

    def __init__(self, header):
        self.lines, self.row_lines = [header], []

    def add_row(self, line):
        self.lines.append(line)
        self.row_lines.append(len(self.lines))

    def add_blank(self):
        self.lines.append("")


def messy_file(draw, columns):
    file = File(",".join(messy_header_cell(draw, column.name) for column in columns))
    for row in range(len(columns[0].values)):
        cells = [messy_cell(draw, column.values[row]) for column in columns]
        if not any(cell.strip(' "') for cell in cells):  # a row of blanks is no data
            cells[0] = "NA"
        if sometimes(draw, 8):
            file.add_blank()
        file.add_row(",".join(cells))
    return file


def messy_header_cell(draw, name):
    padded = one_of(draw, ("", " ")) + name if sometimes(draw, 5) else name
    return quoted(padded) if "," in name or sometimes(draw, 8) else padded


def file_bytes(draw, file):
    end = one_of(draw, ("\n", "\r\n"))
    text = end.join(file.lines) + (end if draw(st.booleans()) else "")
    return text.encode(one_of(draw, ("utf-8", "utf-8", "utf-8-sig")))


def clean_text(columns):
    lines = [",".join(clean_cell(column.name) for column in columns)]
    for row in range(len(columns[0].values)):
        lines.append(",".join(clean_cell(column.values[row]) for column in columns))
    return "\n".join(lines) + "\n"


# The book's recipe, and the hand computations ------------------------------------------------


def book_recipe(columns, target, standardize):
    """(feature names, features, target) by the book: pandas, the column means,
    get_dummies(dummy_na=True), torch.tensor; with ember's documented departures."""
    frame = pd.read_csv(io.StringIO(clean_text(columns)))
    inputs = frame.drop(columns=[target])
    for column in columns:
        if column.kind == "bool":  # ember: booleans with gaps are numbers
            inputs[column.name] = [np.nan if v is None else float(v) for v in column.values]
    inputs = inputs.fillna(inputs.mean(numeric_only=True))
    inputs = inputs.fillna({c.name: 0.0 for c in columns if c.name != target and c.numeric})
    if standardize:
        for column in columns:
            if column.name != target and column.numeric:
                mean, scale = mean_and_scale(column.values, standardize)
                inputs[column.name] = (inputs[column.name] - mean) / scale
    inputs = pd.get_dummies(inputs, dummy_na=True)
    features = torch.tensor(inputs.to_numpy(dtype=float))
    return list(inputs.columns), features, torch.tensor(frame[target].to_numpy(dtype=float))


def mean_and_scale(values, standardize):
    """The mean of the values present (0 for none) and their population standard
    deviation (1 for none, or for a constant column), as ember documents."""
    present = np.array([float(v) for v in values if v is not None], dtype=np.float64)
    if not len(present):
        return 0.0, 1.0
    return present.mean(), (present.std() or 1.0) if standardize else 1.0


def sorted_categories(texts):
    try:
        return sorted(texts, key=float)
    except ValueError:
        return sorted(texts)


def expected_transform(training, new, standardize):
    """The features of the new columns (by name) under what ``training`` taught, by hand:
    training means and scales, training categories, an unseen category all zeros."""
    numeric, encoded = {}, {}
    for column in training:
        values = new[column.name].values
        if column.numeric:
            mean, scale = mean_and_scale(column.values, standardize)
            filled = [mean if v is None else float(v) for v in values]
            numeric[column.name] = [(v - mean) / scale if standardize else v for v in filled]
        else:
            known = sorted_categories({read_key(column, v) for v in column.values if v is not None})
            keys = [category_of(known, new[column.name], v) for v in values]
            for category in known:
                encoded[f"{column.name}_{category}"] = [float(k == category) for k in keys]
            encoded[f"{column.name}_nan"] = [float(v is None) for v in values]
    return pd.DataFrame({**numeric, **encoded}, dtype=np.float64)


# Comparing ---------------------------------------------------------------------------------


def check_frame_read(frame, columns):
    assert list(frame.columns) == [column.name for column in columns]
    for column in columns:
        got = frame[column.name].tolist()
        assert len(got) == len(column.values), column.name
        for read, value in zip(got, column.values):
            if value is None:
                assert pd.isna(read), (column.name, read)
            elif column.numeric:
                assert math.isclose(float(read), float(value), rel_tol=1e-15), (column.name, read)
            else:
                assert read == value, (column.name, read, value)


def check_close(ember_tensor, expected, dtype):
    assert isinstance(ember_tensor, ember.Tensor) and ember_tensor.dtype == dtype
    assert tuple(ember_tensor.shape) == tuple(expected.shape)
    np.testing.assert_allclose(
        ember_tensor.numpy().astype(np.float64), expected.numpy(), rtol=2e-7, atol=1e-6
    )


def check_transform(pre, frame, expected):
    out = pre.transform(frame)
    assert list(out.columns) == pre.feature_names == list(expected.columns)
    assert all(dtype == np.float64 for dtype in out.dtypes)
    np.testing.assert_allclose(out.to_numpy(), expected.to_numpy(), rtol=1e-12, atol=1e-12)
    return out


def check_save_and_load(pre, frame, folder):
    path = os.path.join(folder, "pre.json")
    assert pre.save(path) == path
    with open(path, encoding="utf-8") as file:
        assert json.load(file) == pre.to_dict()
    loaded = Preprocessor.load(path)
    assert loaded.to_dict() == pre.to_dict() and repr(loaded) == repr(pre)
    pd.testing.assert_frame_equal(loaded.transform(frame), pre.transform(frame))
    return loaded


def check_failed_save_keeps_the_old_file(pre, folder, how):
    path = os.path.join(folder, "pre.json")
    with open(path, encoding="utf-8") as file:
        old = file.read()
    before = sorted(os.listdir(folder))

    def fail(*arguments):
        raise OSError("disk full")

    with mock.patch.object(os, how, fail):
        try:
            pre.save(path)
        except OSError as error:
            assert "disk full" in str(error)
        else:
            raise AssertionError(f"save did not fail when os.{how} did")
    with open(path, encoding="utf-8") as file:
        assert file.read() == old
    assert sorted(os.listdir(folder)) == before


# The second file: the fitted preprocessor applied to new data --------------------------------


@st.composite
def new_tables(draw, columns, target):
    """Columns for a second file: the inputs in any order, new categories, maybe an extra
    column, without the target or without one input."""
    rows = draw(st.integers(1, 6))
    new = []
    for column in columns:
        if column.name == target:
            if sometimes(draw, 2):
                new.append(Column(target, "target", [draw_number(draw, "float")] * rows))
            continue
        # A categorical column with no value at all was read as numbers.
        kind = "float" if column.kind == "category" and column.numeric else column.kind
        words = NUMBER_LIKE if sometimes(draw, 4) else WORDS + UNSEEN_WORDS
        values = draw_values(draw, kind, rows, words)
        new.append(Column(column.name, kind, values, column.forced))
    new = draw(st.permutations(new))
    if sometimes(draw, 4):
        new.append(Column("extra", "category", draw_values(draw, "category", rows)))
    missing = None
    inputs = [column for column in new if column.name not in (target, "extra")]
    if sometimes(draw, 6):
        missing = one_of(draw, [column.name for column in inputs])
        new = [column for column in new if column.name != missing]
    return new, missing


def check_new_file(draw, pre, columns, target, standardize, folder):
    new, missing = draw(new_tables(columns, target))
    if not new:
        return
    path = os.path.join(folder, "new.csv")
    with open(path, "wb") as file:
        file.write(file_bytes(draw, messy_file(draw, new)))
    frame = read_csv(path)
    event("a missing input column" if missing else "a second file")
    if missing is not None:
        try:
            pre.transform(frame)
        except DataError as error:
            message = str(error)
            assert message.startswith(path) and f"'{missing}'" in message, message
            return
        raise AssertionError(f"transform without the column {missing!r} did not fail")
    training = [column for column in columns if column.name != target]
    by_name = {column.name: column for column in new}
    expected = expected_transform(training, by_name, standardize)
    check_transform(pre, frame, expected)
    features, labels = pre.to_tensors(frame)
    check_close(features, torch.tensor(expected.to_numpy()), ember.float32)
    if target in by_name:
        check_close(labels, torch.tensor(by_name[target].values).reshape(-1, 1), ember.float32)
    else:
        assert labels is None
    check_unseen(pre, frame, training, by_name)


def read_as_numbers(column):
    """Whether read_csv reads ``column`` of a second file as numbers: codes alone."""
    present = {value for value in column.values if value is not None}
    return column.kind == "category" and bool(present) and present <= set(NUMBER_LIKE)


def number_key(value):
    """The category of the number ``value`` (or of text read as one): '007' and 7.0 are 7."""
    if isinstance(value, bool):
        return str(value)
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def read_key(column, value):
    """The category ember names ``value`` of ``column`` by, as read_csv reads the column."""
    if column.forced or read_as_numbers(column):
        return number_key(value)
    return str(value)


def category_of(known, column, value):
    """The training category (of ``known``) that ``value`` of the new ``column`` is, or None:
    its name, else, when it was read as a number, the first category of that number."""
    if value is None:
        return None
    key = read_key(column, value)
    if key in known:
        return key
    if column.forced or read_as_numbers(column):
        number = float(value)
        return next((c for c in known if number_written(c) == number), None)
    return None


def number_written(category):
    try:
        return float(category)
    except ValueError:
        return None


def check_unseen(pre, frame, training, new):
    expected = {}
    for column in training:
        if column.numeric:
            continue
        known = sorted_categories({read_key(column, v) for v in column.values if v is not None})
        counts = {}
        for value in new[column.name].values:
            if value is not None and category_of(known, new[column.name], value) is None:
                name = read_key(new[column.name], value)
                counts[name] = counts.get(name, 0) + 1
        if counts:
            expected[column.name] = counts
    assert pre.unseen_categories(frame) == expected


def columns_named(columns, name):
    return next(column for column in columns if column.name == name)


# The scenarios -------------------------------------------------------------------------------


@given(st.data())
@random_settings(EXAMPLES)
def test_random_csv_files_match_the_books_recipe(data):
    draw = data.draw
    columns, target = draw(tables())
    standardize = draw(st.booleans())
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "train.csv")
        with open(path, "wb") as file:
            file.write(file_bytes(draw, messy_file(draw, columns)))
        frame = read_csv(path, target=target)
        check_frame_read(frame, columns)
        forced = [column.name for column in columns if column.forced]
        pre = Preprocessor(standardize=standardize, categorical=forced)
        pre.fit(frame, target=target)
        inputs = [column for column in columns if column.name != target]
        assert pre.input_columns == [column.name for column in inputs]
        expected = expected_transform(inputs, {c.name: c for c in inputs}, standardize)
        check_transform(pre, frame, expected)
        features = torch.tensor(expected.to_numpy())
        labels = torch.tensor(pd.Series(columns_named(columns, target).values).to_numpy(float))
        if not forced:  # the book makes no category of numbers, and names 7.0 '7.0', not '7'
            names, features, labels = book_recipe(columns, target, standardize)
            assert pre.feature_names == names
        X, y = pre.to_tensors(frame)
        check_close(X, features, ember.float32)
        check_close(y, labels.reshape(-1, 1), ember.float32)
        X64, _ = pre.to_tensors(frame, dtype=ember.float64)
        check_close(X64, features, ember.float64)
        loaded = check_save_and_load(pre, frame, folder)
        check_failed_save_keeps_the_old_file(pre, folder, one_of(draw, ("replace", "fsync")))
        check_new_file(
            draw, loaded if draw(st.booleans()) else pre, columns, target, standardize, folder
        )


# Broken files ----------------------------------------------------------------------------------

BREAKS = (
    "long row",
    "short row",
    "text among numbers",
    "unknown target",
    "missing target",
    "empty",
    "header only",
    "not utf-8",
    "named twice",
)


def break_file(draw, columns, target, file):
    """Break ``file`` one drawn way: (what to pass as target, the bytes, the texts the
    message must hold besides the path)."""
    how = one_of(draw, BREAKS)
    event(how)
    row = draw(st.integers(1, len(file.row_lines)))
    line = file.row_lines[row - 1]
    cells = split_cells(file.lines[line - 1])
    where = f"row {row} (line {line})"
    if how == "long row":
        file.lines[line - 1] += ",9"
        return target, file, [where, f"{len(cells) + 1} fields but the header has {len(cells)}"]
    if how == "short row":  # every drawn file has two columns or more: an input and a target
        kept = draw(st.integers(1, len(cells) - 1))
        fields = cells[:kept]
        if not fields[0].strip(' "'):  # a row of blanks alone is an empty row, not short
            fields[0] = "NA"
        file.lines[line - 1] = ",".join(fields)
        return target, file, [f"{where}, column '{columns[kept].name}'", "no value"]
    if how == "text among numbers":
        numeric = [i for i, c in enumerate(columns) if c.kind in ("int", "float", "target")]
        index = one_of(draw, numeric)
        others = [v for r, v in enumerate(columns[index].values) if r != row - 1 and v is not None]
        if columns[index].kind != "target" and not others:
            return target, file, None  # a column of one word is a categorical column
        cells[index] = "twelve"
        file.lines[line - 1] = ",".join(cells)
        return (
            target,
            file,
            [f"{where}, column '{columns[index].name}'", "'twelve' is not a number"],
        )
    if how == "unknown target":
        return target + "s", file, ["line 1", f"no target column '{target}s'"]
    if how == "missing target":
        index = [c.name for c in columns].index(target)
        others = cells[:index] + cells[index + 1 :]
        blank_row = not any(cell.strip(' "') for cell in others)  # would be an empty row
        cells[index] = "NA" if blank_row else one_of(draw, ("", "NA", " nan"))
        file.lines[line - 1] = ",".join(cells)
        return target, file, [f"{where}, column '{target}'", "the target is missing"]
    if how == "empty":
        file.lines = [one_of(draw, ("", " ", "\n"))]
        return target, file, ["the file is empty"]
    if how == "header only":
        file.lines = file.lines[:1]
        return target, file, ["has a header but no data rows"]
    if how == "not utf-8":
        cells[0] = "Caf\udce9"  # written as the one byte 0xe9 (Windows-1252's 'é')
        file.lines[line - 1] = ",".join(cells)
        return target, file, [f"line {line}", "byte 0xe9 is not UTF-8"]
    if len(columns) < 2:
        return target, file, None
    first, second = columns[0].name, columns[1].name
    file.lines[0] = (
        ",".join(clean_cell(first) for _ in range(2))
        + ","
        + ",".join(clean_cell(c.name) for c in columns[2:])
    )
    return (None if target == second else target), file, [f"line 1, column '{first}'", "twice"]


def split_cells(line):
    """The raw texts of a line's fields, quotes kept, so a cell can be replaced."""
    fields, current, quoted_now = [], "", False
    for character in line:
        if character == '"':
            quoted_now = not quoted_now
        if character == "," and not quoted_now:
            fields.append(current)
            current = ""
        else:
            current += character
    return fields + [current]


@given(st.data())
@random_settings(EXAMPLES)
def test_random_broken_files_name_the_file_row_and_column(data):
    draw = data.draw
    columns, target = draw(tables())
    file = messy_file(draw, columns)
    target, file, expected = break_file(draw, columns, target, file)
    if expected is None:
        event("not broken after all")
        return
    end = one_of(draw, ("\n", "\r\n"))
    raw = (end.join(file.lines) + end).encode("utf-8", "surrogateescape")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "broken.csv")
        with open(path, "wb") as handle:
            handle.write(raw)
        try:
            read_csv(path, target=target)
        except DataError as error:
            message = str(error)
            assert isinstance(error, ValueError) and error.path == path
            assert message.startswith(path + ", ") or message.startswith(path + ": "), message
            for part in expected:
                assert part in message, (part, message)
            return
        raise AssertionError(f"no DataError for {raw!r}; expected {expected}")


# Regression tests for what the drawing found ---------------------------------------------------


def test_a_code_learnt_as_text_is_known_when_a_new_file_reads_it_as_a_number(tmp_path):
    """'007' and '2.0' among words are categories by their text; a new file with codes alone
    is read as numbers (7 and 2.0), which used to be unseen categories."""
    training = tmp_path / "train.csv"
    training.write_text("zone,y\nA1,1\n007,2\nB2,3\n2.0,4\nC,5\n")
    pre = Preprocessor().fit(read_csv(training, target="y"), target="y")
    assert pre.feature_names == ["zone_007", "zone_2.0", "zone_A1", "zone_B2", "zone_C", "zone_nan"]
    new = tmp_path / "new.csv"
    new.write_text("zone\n007\n2.0\n8\n\n")
    frame = read_csv(new)
    assert frame["zone"].tolist() == [7, 2, 8]
    out = pre.transform(frame)
    assert out["zone_007"].tolist() == [1, 0, 0] and out["zone_2.0"].tolist() == [0, 1, 0]
    assert out.sum(axis=1).tolist() == [1, 1, 0]
    assert pre.unseen_categories(frame) == {"zone": {"8": 1}}
