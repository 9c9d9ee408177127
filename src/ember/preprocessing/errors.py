"""The one exception of tabular data: which file, which row, which column, what is wrong."""

import numpy as np


class DataError(ValueError):
    """Bad input data. The message names the file, and the row and column where known.

    ``path``, ``row`` (1-based data row, header not counted), ``line`` (1-based line
    of the file) and ``column`` are kept as attributes for programs.
    """

    def __init__(self, problem, path=None, row=None, line=None, column=None):
        self.problem, self.path, self.row, self.line, self.column = problem, path, row, line, column
        super().__init__(self.describe())

    def describe(self):
        where = []
        if self.row is not None:
            where.append(f"row {self.row}" + (f" (line {self.line})" if self.line else ""))
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        place = ", ".join(where)
        prefix = ", ".join(part for part in (str(self.path) if self.path else "", place) if part)
        return f"{prefix}: {self.problem}" if prefix else self.problem


# Why a word among a column's numbers is taken for a typo (ember fit adds how to say the
# column holds categories).
AMONG_NUMBERS = "the column's other values are numbers"


def row_of(frame, position):
    """(row, line) in the file of the frame's ``position``-th row. ``read_csv`` labels each
    row with its place among the file's rows, and recorded each row's line; a frame sliced
    or shuffled since keeps the labels, so the label is looked up, not the position."""
    lines = frame.attrs.get("lines")
    if lines is None:
        return position + 1, None
    label = frame.index[position]
    if isinstance(label, (int, np.integer)) and 0 <= label < len(lines):
        return int(label) + 1, int(lines[label])
    return position + 1, None


def source_of(frame, default=None):
    return frame.attrs.get("source", default)
