"""``ember.preprocessing``: tabular data from CSV to tensors (SPEC P1-P3).

frame = read_csv("house.csv", target="Price")       # errors name file, row, column
pre = Preprocessor(standardize=True).fit(frame, target="Price")
X, y = pre.to_tensors(frame)
pre.save("preprocessor.json")                        # plain JSON, written atomically
"""

import importlib

from .atomic import write_text_atomically, write_texts_atomically
from .errors import DataError
from .json_file import read_json

# These need pandas, which takes longer to import than ember itself: they load on
# first use, so that a command that reads no CSV (``ember train``, ``ember --help``)
# does not wait for pandas. The names still import as usual.
_MODULE_OF = {
    "check_target": "csv_reader",
    "read_csv": "csv_reader",
    "read_csv_and_text": "csv_reader",
    "Preprocessor": "preprocessor",
}


def __getattr__(name):
    if name in _MODULE_OF:
        return getattr(importlib.import_module(f".{_MODULE_OF[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():  # what tab completion lists: the lazy names too
    return sorted(set(globals()) | set(_MODULE_OF))


__all__ = [
    "DataError",
    "Preprocessor",
    "check_target",
    "read_csv",
    "read_csv_and_text",
    "read_json",
    "write_text_atomically",
    "write_texts_atomically",
]
