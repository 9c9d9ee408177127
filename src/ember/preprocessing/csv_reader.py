"""Read a CSV file into a pandas DataFrame, or say exactly where it is broken.

``read_csv`` checks what ``pandas.read_csv`` lets through or reports vaguely:
a missing or empty file, rows with too many or too few fields, text in a
column of numbers, and (given a target) a target column that is missing,
not numeric or has gaps. Each error is a ``DataError`` naming the file, the
data row (header not counted), the line of the file and the column.
"""

import csv
import difflib
import io
import os
import re

import numpy as np
import pandas as pd

from .errors import DataError, row_of, source_of

# A column whose non-missing values are at least this fraction numbers is numeric;
# its other values are reported as typos rather than read as categories.
NUMERIC_MAJORITY = 0.5

# A file whose header is one column with one of these in its name was written with
# another separator (spreadsheets in many locales save CSV with semicolons).
OTHER_SEPARATORS = {";": "semicolons (';')", "\t": "tabs", "|": "'|'"}

# '1,000' or '2,5' in a quoted field: a thousands separator or a decimal comma.
NUMBER_WITH_COMMAS = re.compile(r"\s*[-+]?\d[\d,]*(\.\d*)?\s*")


def read_csv(path, target=None):
    """A DataFrame of the CSV at ``path``; numeric columns are float or int.

    ``frame.attrs`` records ``source`` (the path) and ``lines`` (the file line of
    each row) so later errors can point back into the file.
    """
    text = _read_text(path)
    header, lines = _check_shape(text, path)
    frame = pd.read_csv(io.StringIO(text), skip_blank_lines=True)
    frame.columns = header
    # pandas deep-copies ``attrs`` into every frame and column it derives: the lines are
    # an array, which copies at once (a list of 100,000 took 22 ms a copy), and they are
    # set after the per-column work (wide files), or for an error.
    attrs = {"source": os.fspath(path), "lines": np.array(lines)}
    for column in frame.columns:
        frame[column] = _numeric_if_mostly_numbers(frame, column, attrs)
    frame.attrs = attrs
    if target is not None:
        check_target(frame, target)
    return frame


def _read_text(path):
    if not os.path.exists(path):
        raise FileNotFoundError(f"{os.fspath(path)}: no such file")
    if os.path.isdir(path):
        raise DataError("is a folder, not a CSV file", path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            text = file.read()
    except UnicodeDecodeError as error:
        line = text_line_of_byte(path, error.start)
        raise DataError("is not UTF-8 text (is it a CSV file?)", path, line=line) from None
    if not text.strip():
        raise DataError("the file is empty; expected a header row of column names", path)
    return text


def text_line_of_byte(path, offset):
    with open(path, "rb") as file:
        return file.read(offset).count(b"\n") + 1


def _check_shape(text, path):
    """The header, and the file line of each data row; every row must have one field per column."""
    _check_quotes(text, path)
    reader = csv.reader(_lines_of(text))
    header = None
    lines = []
    for fields in _records(reader, path):
        if not fields or all(not field.strip() for field in fields) and len(fields) <= 1:
            continue  # a blank line, skipped as pandas skips it
        if header is None:
            header = [field.strip() for field in fields]
            _check_header(header, path, reader.line_num)
            continue
        lines.append(reader.line_num)
        if len(fields) != len(header):
            row = len(lines)
            count = f"{len(fields)} field{'s' if len(fields) != 1 else ''}"
            if len(fields) > len(header):
                problem = (
                    f"{count} but the header has {len(header)}; "
                    f"a value beyond the last column '{header[-1]}' (an unquoted comma?)"
                )
                column = None
            else:
                column = header[len(fields)]
                problem = f"{count} but the header has {len(header)}; no value"
            raise DataError(problem, path, row=row, line=reader.line_num, column=column)
    if not lines:
        raise DataError("has a header but no data rows", path)
    return header, lines


def _lines_of(text):
    # newline="" splits lines at '\r\n', '\n' and a lone '\r' (files saved by old Mac
    # programs), as the csv module expects; the default would see one long line.
    return io.StringIO(text, newline="")


def _records(reader, path):
    """The reader's records; what the csv module cannot parse becomes a DataError."""
    try:
        yield from reader
    except csv.Error as error:
        raise DataError(f"cannot be read as CSV ({error})", path, line=reader.line_num) from None


def _check_quotes(text, path):
    """A quoted value whose closing quote is missing, reported at the line it starts.

    Python's csv module silently reads such a value to the end of the file (or stops
    at its field size limit), and pandas fails with a message in its own row numbers;
    a strict reader stops at the end of the data instead.
    """
    reader = csv.reader(_lines_of(text), strict=True)
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error as error:
        if "end of data" in str(error):
            problem = "its closing quote is missing, so the rest of the file would be one value"
        elif "field limit" in str(error):
            problem = f"it runs on for over {csv.field_size_limit()} characters (a missing quote?)"
        else:
            return  # other quoting oddities pandas reads anyway, as the main pass does
        message = f"a quoted value starts on this line, but {problem}"
        raise DataError(message, path, line=start) from None


def _check_header(header, path, line):
    if len(header) == 1:
        _check_separator(header[0], path, line)
    for index, name in enumerate(header):
        if not name:
            raise DataError(f"column {index + 1} of the header has no name", path, line=line)
    seen = set()
    for name in header:
        if name in seen:
            raise DataError("appears twice in the header", path, line=line, column=name)
        seen.add(name)


def _check_separator(name, path, line):
    for separator, described in OTHER_SEPARATORS.items():
        if separator in name:
            raise DataError(
                f"the header is a single column named {name!r}; the file seems to be "
                f"separated by {described}, but ember reads comma-separated files "
                "(save it as CSV with commas)",
                path,
                line=line,
            )


def _numeric_if_mostly_numbers(frame, column, attrs):
    values = frame[column]
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return values
    present = values.notna()
    numbers = pd.to_numeric(values, errors="coerce")
    bad = present & numbers.isna()
    if not present.any() or not bad.any():
        return numbers if present.any() else values
    if (present & ~bad).sum() < NUMERIC_MAJORITY * present.sum():
        _check_no_comma_numbers(frame, column, attrs)
        return values  # text: a categorical column
    frame.attrs = attrs
    raise_not_a_number(frame, column, int(bad.to_numpy().nonzero()[0][0]))


def _check_no_comma_numbers(frame, column, attrs):
    """Quoted numbers with commas ('1,000', '2,5') would silently become categories,
    one per value: a column of them is an error that says what to change."""
    text = frame[column].dropna().astype(str)
    with_commas = text.str.fullmatch(NUMBER_WITH_COMMAS) & text.str.contains(",", regex=False)
    if with_commas.any() and with_commas.mean() >= NUMERIC_MAJORITY:
        frame.attrs = attrs
        position = frame.index.get_loc(with_commas.idxmax())
        raise_not_a_number(
            frame,
            column,
            position,
            why="ember reads neither thousands separators nor decimal commas; write 1000 or 2.5",
        )


def raise_not_a_number(frame, column, position, why="the column's other values are numbers"):
    row, line = row_of(frame, position)
    value = frame[column].iloc[position]
    raise DataError(
        f"{str(value)!r} is not a number ({why})",
        source_of(frame),
        row=row,
        line=line,
        column=column,
    )


def raise_if_infinite(frame, column, numbers, what="a value"):
    """A DataError at the first infinite number: no model can be fitted to or applied to it
    (``pandas.read_csv`` reads 'inf' and 'Infinity' as numbers)."""
    infinite = np.isinf(np.asarray(numbers, dtype=np.float64)).nonzero()[0]
    if len(infinite):
        row, line = row_of(frame, int(infinite[0]))
        raise DataError(
            f"{what} is {frame[column].iloc[int(infinite[0])]!s}; only finite numbers can be used",
            source_of(frame),
            row=row,
            line=line,
            column=column,
        )


def check_target(frame, target):
    """The target column exists, is numeric and has no missing or infinite values."""
    path = source_of(frame)
    if target not in frame.columns:
        columns = [str(name) for name in frame.columns]
        close = difflib.get_close_matches(str(target), columns, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise DataError(
            f"no target column '{target}'; the columns are: {', '.join(columns)}.{hint}",
            path,
            line=1,
        )
    values = frame[target]
    if not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)):
        numbers = pd.to_numeric(values, errors="coerce")
        position = int((values.notna() & numbers.isna()).to_numpy().nonzero()[0][0])
        raise_not_a_number(frame, target, position, why="the target must be numeric")
    missing = values.isna().to_numpy().nonzero()[0]
    if len(missing):
        row, line = row_of(frame, int(missing[0]))
        more = f" ({len(missing)} rows in all)" if len(missing) > 1 else ""
        raise DataError(
            f"the target is missing (NaN){more}; drop or fill those rows first",
            path,
            row=row,
            line=line,
            column=target,
        )
    raise_if_infinite(frame, target, values, what="the target")
