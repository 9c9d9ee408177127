"""Reading the JSON files ember writes (fitted preprocessors, saved models)."""

import json

from .errors import DataError


def read_json(path):
    """The JSON value in ``path``; a DataError naming the file and line if it is not JSON."""
    try:
        with open(path, encoding="utf-8") as file:
            return json.load(file)
    except json.JSONDecodeError as error:
        raise DataError(f"not valid JSON ({error.msg})", path, line=error.lineno) from None
    except UnicodeDecodeError:  # a binary file, or one overwritten by another program
        raise DataError("not valid JSON (not even UTF-8 text)", path) from None
