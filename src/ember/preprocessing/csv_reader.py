"""Read a CSV file into a pandas DataFrame, or say exactly where it is broken.

``read_csv`` checks what ``pandas.read_csv`` lets through or reports vaguely:
a missing or empty file, rows with too many or too few fields, text in a
column of numbers, and (given a target) a target column that is missing,
not numeric or has gaps. Each error is a ``DataError`` naming the file, the
data row (header not counted), the line of the file and the column.

It also tidies what spreadsheets leave in files and no one means as data:
spaces around values, rows and unnamed columns with nothing in them (commas
at the end of every line), and a UTF-16 file with its byte order mark.
"""

import codecs
import csv
import difflib
import io
import os
import re
import warnings
from typing import NamedTuple

import numpy as np
import pandas as pd

from .errors import AMONG_NUMBERS, DataError, row_of, source_of

# A column whose non-missing values are at least this fraction numbers is numeric;
# its other values are reported as typos rather than read as categories.
NUMERIC_MAJORITY = 0.5

# A file whose header is one column with one of these in its name was written with
# another separator (spreadsheets in many locales save CSV with semicolons).
OTHER_SEPARATORS = {";": "semicolons (';')", "\t": "tabs", "|": "'|'"}

# '1,000' or '2,5' in a quoted field: a thousands separator or a decimal comma.
NUMBER_WITH_COMMAS = re.compile(r"\s*[-+]?\d[\d,]*(\.\d*)?\s*")

# A number dressed for people: a currency sign, a percent sign, thousands separators or
# an accountant's parentheses for a negative amount ('$1,200', '12%', '(300)', '5 €').
CURRENCY = "$€£¥"
DRESSED_NUMBER = re.compile(
    rf"\(?(?:[-+]?[{CURRENCY}]?|[{CURRENCY}][-+])\s?\d[\d,]*(\.\d*)?\s?[%{CURRENCY}]?\)?"
)

# What pandas.read_csv reads as missing by default; values are compared with these again
# once the spaces around them are gone (' NA', 'null ').
MISSING_TEXT = frozenset(
    ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND"]
    + ["1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"]
)
# pandas' spellings of booleans, read as True and False once the spaces are gone.
BOOLEAN_TEXT = {"True": True, "TRUE": True, "true": True}
BOOLEAN_TEXT.update({"False": False, "FALSE": False, "false": False})

# Values people write for "no value" that pandas does not read as missing: punctuation
# alone ('?', '-', '.'), spreadsheet errors ('#DIV/0!') and a few words. In a column of
# numbers they are reported with how to mark a missing value, not counted as text.
MISSING_WORDS = {"na", "n.a.", "none", "missing", "unknown", "nil", "empty", "nan"}
PUNCTUATION_ONLY = re.compile(r"[^\w]*")


def read_csv(path, target=None, text_columns=()):
    """A DataFrame of the CSV at ``path``; numeric columns are float or int, and a column
    of true/false alone is bool (``boolean`` with gaps), which Preprocessor takes as 0/1.
    A column named in ``text_columns`` (categories, or a column to be dropped) that holds
    words among its numbers stays text ('007' beside 'München'), where another would be
    refused for them as a column of numbers with typos.

    ``frame.attrs`` records ``source`` (the path) and ``lines`` (the file line of
    each row) so later errors can point back into the file.
    """
    text = _read_text(path)
    frame = _frame_of(text, _check_shape(text, path), path, text_columns)
    if target is not None:
        check_target(frame, target)
    return frame


def read_csv_and_text(path, text_columns=()):
    """``read_csv``'s frame, and the same rows and named columns with each value the text
    the file holds ('007', ' 1.50', '$1,200'): what ``ember predict`` writes back beside its
    predictions, so that a user's columns come back as they went in. The file is read and
    checked once for both."""
    text = _read_text(path)
    layout = _check_shape(text, path)
    frame = _frame_of(text, layout, path, text_columns)
    return frame, _parse(text, layout, dtype=str, keep_default_na=False)


def _frame_of(text, layout, path, text_columns):
    """``read_csv``'s frame of the file's ``text``, whose ``layout`` is checked."""
    frame = _parse(text, layout)
    # pandas deep-copies ``attrs`` into every frame and column it derives: the lines are
    # an array, which copies at once (a list of 100,000 took 22 ms a copy), and they are
    # set after the per-column work (wide files), or for an error.
    attrs = {"source": os.fspath(path), "lines": layout.lines}
    for column in frame.columns:
        words_allowed = column in text_columns
        frame[column] = _numeric_if_mostly_numbers(frame, column, attrs, words_allowed)
    frame.attrs = attrs
    return frame


def _parse(text, layout, **options):
    """pandas' reading of the rows ``layout`` found, as columns named by the header.

    Rows may end in blank fields beyond the header (checked before). pandas expects as
    many fields as the header has, so it reads the data rows alone, as wide as the widest,
    and the blank columns go with the unnamed ones. Rows of commas only are not read, so
    that they turn no column of ints into floats.
    """
    header = layout.header + [""] * (layout.width - len(layout.header))
    with warnings.catch_warnings():
        # index_col=False keeps pandas from taking the first column for an index, and its
        # warning that blanks beyond the header are dropped is noise.
        warnings.simplefilter("ignore", pd.errors.ParserWarning)
        frame = pd.read_csv(
            io.StringIO(text),
            skip_blank_lines=True,
            index_col=False,
            header=None,
            names=range(layout.width),
            skiprows=layout.skipped,
            **options,
        )
    frame.columns = header
    if not all(header):  # what trailing commas leave
        frame = frame.iloc[:, [position for position, name in enumerate(header) if name]]
    return frame


def _read_text(path):
    if not os.path.exists(path):
        raise FileNotFoundError(f"{os.fspath(path)}: no such file")
    if os.path.isdir(path):
        raise DataError("is a folder, not a CSV file", path)
    with open(path, "rb") as file:
        data = file.read()
    # Excel's "Unicode text" is UTF-16 and starts with a byte order mark, which says so.
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as error:
        raise _not_utf8(data, error, path) from None
    if not text.strip():
        raise DataError("the file is empty; expected a header row of column names", path)
    return text


def _not_utf8(data, error, path):
    """The DataError for bytes that are not UTF-8: a binary file, or text in another
    encoding (Excel's plain "CSV" on Windows writes 'é' as the one byte 0xe9)."""
    line = data[: error.start].count(b"\n") + 1
    if b"\0" in data[:1024]:
        return DataError("is a binary file, not CSV text (a spreadsheet? save it as CSV)", path)
    byte = data[error.start]
    return DataError(
        f"byte 0x{byte:02x} is not UTF-8: the file is in another encoding (such as "
        "Windows-1252, Excel's plain 'CSV'); save it as 'CSV UTF-8'",
        path,
        line=line,
    )


class Layout(NamedTuple):
    """What ``_check_shape`` learns of a file: the header, the file line of each data row
    that has a value (an array), the widest row's field count, and the records pandas is
    to skip, numbered as pandas numbers them (from 0, blank lines counted): the header,
    what is above it, and the rows of commas only that spreadsheets leave."""

    header: list
    lines: np.ndarray
    width: int
    skipped: list


def _check_shape(text, path):
    """The file's ``Layout``, once every row is checked to have a field for each named
    column, no more but blank ones, and nothing in unnamed columns."""
    _check_quotes(text, path)
    reader = csv.reader(_lines_of(text))
    header, lines, skipped, raw_lines, width = None, [], [], None, 0
    for record, fields in enumerate(_records(reader, path)):
        empty = all(not field.strip() for field in fields)
        if empty and len(fields) <= 1:
            raw_lines = raw_lines or _lines_of(text).readlines()  # rarely needed: read lazily
            if not raw_lines[reader.line_num - 1].strip(" \t\r\n"):
                continue  # a blank line, which pandas skips ('""' is a row to pandas)
        if header is None:
            header = [field.strip() for field in fields]
            _check_header(header, path, reader.line_num)
            unnamed = [index for index, name in enumerate(header) if not name]
            skipped = list(range(record + 1))
            continue
        width = max(width, len(fields))
        if empty:  # a row of commas only: a spreadsheet's formatted empty row
            skipped.append(record)
            continue
        lines.append(reader.line_num)
        if unnamed or len(fields) != len(header):
            _check_fields(fields, header, unnamed, path, len(lines), reader.line_num)
    if not lines:
        raise DataError("has a header but no data rows", path)
    return Layout(header, np.array(lines), max(width, len(header)), skipped)


def _check_fields(fields, header, unnamed, path, row, line):
    """One data row's fields against the header."""
    if len(fields) > len(header) and any(field.strip() for field in fields[len(header) :]):
        count = f"{len(fields)} fields but the header has {len(header)}"
        problem = f"{count}; a value beyond the last column '{header[-1]}' (an unquoted comma?)"
        raise DataError(problem, path, row=row, line=line)
    if len(fields) < len(header) and header[len(fields)]:
        count = f"{len(fields)} field{'s' if len(fields) != 1 else ''}"
        problem = f"{count} but the header has {len(header)}; no value"
        raise DataError(problem, path, row=row, line=line, column=header[len(fields)])
    for index in unnamed:
        if index < len(fields) and fields[index].strip():
            raise DataError(
                f"column {index + 1} of the header has no name, but this row has a value in "
                f"it ({fields[index].strip()!r}); name the column in the header, or delete it",
                path,
                row=row,
                line=line,
            )


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
    if not any(header):
        raise DataError(
            "the first row has empty fields only; a CSV file starts with its header of column "
            "names (delete the empty rows above it)",
            path,
            line=line,
        )
    seen = set()
    for name in header:
        if name and name in seen:  # unnamed columns may only be empty: see _check_fields
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


def _numeric_if_mostly_numbers(frame, column, attrs, words_allowed=False):
    values = frame[column]
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return values
    values = _tidied(values)
    if _booleans_with_gaps(values):
        # kept as booleans, so that a column made categorical has the categories 'False'
        # and 'True' in every file, with gaps or without
        return values.astype("boolean")
    present = values.notna()
    numbers = pd.to_numeric(values, errors="coerce")
    bad = present & numbers.isna()
    if not bad.any():
        return numbers
    count = int((present & ~bad).sum())
    text = values[bad].value_counts()  # each distinct non-number once, with how often
    # '?' or 'missing' among numbers is a missing value written another way: no vote for text.
    votes = int(text[~np.asarray(text.index.map(_looks_missing), dtype=bool)].sum())
    if count == 0 or count < NUMERIC_MAJORITY * (count + votes) or words_allowed:
        _check_no_dressed_numbers(frame, column, values, text, count, attrs)
        return values  # text: a categorical column
    frame.attrs = attrs
    raise_not_a_number(frame, column, int(bad.to_numpy().nonzero()[0][0]))


def _tidied(values):
    """Text values without the spaces around them, which no one sees in a spreadsheet:
    ' NA' and '' then read as missing, and ' True' as a boolean, as pandas reads them
    without the spaces; ' red' and 'red' are one category."""
    if not pd.api.types.is_string_dtype(values):
        return values  # not all text: booleans with gaps, or integers too long for int64
    tidy = {}  # each distinct text once: a column has far fewer of them than rows
    for text in values.dropna().unique():
        stripped = text.strip()
        tidy[text] = None if stripped in MISSING_TEXT else stripped
    given = {value for value in tidy.values() if value is not None}
    if given and given <= BOOLEAN_TEXT.keys():
        tidy = {text: BOOLEAN_TEXT.get(value) for text, value in tidy.items()}
    elif all(text == value for text, value in tidy.items()):
        return values
    return values.map(tidy)


def _booleans_with_gaps(values):
    """Whether the values present are all booleans (pandas leaves such a column as text)."""
    kinds = set(map(type, values.dropna().unique()))
    return bool(kinds) and kinds <= {bool, np.bool_}


def _looks_missing(value):
    """Whether ``value``, which is not a number, is how someone marked a missing one."""
    value = str(value).strip()
    return (
        PUNCTUATION_ONLY.fullmatch(value) is not None
        or value.lower() in MISSING_WORDS
        or value.startswith("#")  # spreadsheet errors: '#DIV/0!', '#VALUE!', '#REF!'
    )


def _check_no_dressed_numbers(frame, column, values, text, count, attrs):
    """Numbers written for people ('$1,200', '12%', '2,5') would silently become categories,
    one per value: a column mostly of them (``text``: the distinct non-numbers and their
    counts; ``count`` numbers besides) is an error that says what to write instead."""
    written = text.index.astype(str)
    dressed = written.str.fullmatch(DRESSED_NUMBER) & written.str.contains(r"[^\d.+-]")
    dressed = np.asarray(dressed, dtype=bool)
    if dressed.any() and count + text[dressed].sum() >= NUMERIC_MAJORITY * (count + text.sum()):
        frame.attrs = attrs
        first = int(values.isin(text.index[dressed]).to_numpy().nonzero()[0][0])
        raise_not_a_number(frame, column, first, why=None)


def _how_to_write(value):
    """What to write instead of ``value``, which is not a number, or None."""
    value = value.strip()
    if NUMBER_WITH_COMMAS.fullmatch(value):
        return "ember reads neither thousands separators nor decimal commas; write 1000 or 2.5"
    if DRESSED_NUMBER.fullmatch(value):
        plain = re.sub(rf"[\s,%(){CURRENCY}]", "", value)
        plain = "-" + plain.lstrip("-") if value.startswith("(") else plain
        if value.endswith("%"):
            return f"ember reads plain numbers only; write {plain} or {float(plain) / 100:g}"
        return f"ember reads plain numbers only; write {plain}"
    if _looks_missing(value):
        return "to mark a missing value, leave the cell empty or write NA"
    return None


def raise_not_a_number(frame, column, position, why=AMONG_NUMBERS):
    """A DataError at the value in ``position``; ``why=None`` gives how to write it."""
    row, line = row_of(frame, position)
    value = str(frame[column].iloc[position]).strip()  # the spaces around it are no data
    advice = _how_to_write(value)
    problem = f"{value!r} is not a number ({why or advice})"
    if advice and why:
        problem += f"; {advice}"
    raise DataError(problem, source_of(frame), row=row, line=line, column=column)


def raise_if_infinite(frame, column, numbers, what="a value"):
    """A DataError at the first infinite number: no model can be fitted to or applied to it
    (``pandas.read_csv`` reads 'inf' and 'Infinity' as numbers)."""
    infinite = np.isinf(pd.Series(numbers).to_numpy(np.float64, na_value=np.nan)).nonzero()[0]
    if len(infinite):
        row, line = row_of(frame, int(infinite[0]))
        raise DataError(
            f"{what} is {frame[column].iloc[int(infinite[0])]!s}; only finite numbers can be used",
            source_of(frame),
            row=row,
            line=line,
            column=column,
        )


def check_target(frame, target, missing_ok=False):
    """The target column exists, is numeric and has no infinite values, nor missing ones
    unless ``missing_ok``."""
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
    if len(missing) and not missing_ok:
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
