"""A fitted preprocessor: learn the columns on training data, apply the same to new data.

``fit`` looks at a training frame once and remembers, per input column:

* numeric columns: the mean of the values present (missing values are filled
  with it; 0 for a column with none) and, with ``standardize=True``, their
  population standard deviation (ddof=0, as ``numpy.std``) to scale by (1 for
  a constant column);
* categorical columns: the categories seen, sorted, each becoming a 0/1
  column ``<column>_<category>``, plus ``<column>_nan`` for missing values
  (as ``pandas.get_dummies(dummy_na=True)`` names them).

``transform`` then produces exactly those output columns for any frame: an
unseen category gives all zeros, a missing input column is an error. A number
in a categorical column is the category written as that number ('007' or
'2.0' for 7 or 2): a new file whose column holds such codes alone is read as
numbers, and their text is gone. The state is plain JSON (``save`` / ``load``),
so it can be read, diffed and trusted.
"""

import json
import math
import re

import numpy as np
import pandas as pd

import ember

from .atomic import write_text_atomically
from .csv_reader import raise_if_infinite, raise_not_a_number
from .errors import DataError, source_of
from .json_file import read_json

FORMAT = "ember.preprocessing.Preprocessor"
VERSION = 1

# A category's text that is a plain number ('007', '-2.5', '1e3'), as read_csv reads one.
PLAIN_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")

# What each kind of column keeps in a saved state, and the JSON types of those values.
SAVED_KEYS = {
    "numeric": {"mean": (int, float), "scale": (int, float)},
    "categorical": {"categories": list},
}


def category_key(value):
    """The text a category is known by: ``2`` and ``2.0`` are the same category."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        return str(int(number)) if number.is_integer() else repr(number)
    return str(value)


def category_keys(values, categories):
    """The category key of each of ``values`` (None for a gap), for a column fitted with
    ``categories``. A number, or a number's text, that is no category's key is the first
    category written as that number ('007' for 7 or '7'): read_csv reads a column of such
    codes alone as numbers, and beside words as text, and both mean the same category."""
    known = set(categories)
    by_number = {}
    for key in categories:
        if PLAIN_NUMBER.fullmatch(key):
            by_number.setdefault(float(key), key)

    def key_of(value):
        if pd.isna(value):
            return None
        key = category_key(value)
        if key in known or not PLAIN_NUMBER.fullmatch(key):
            return key
        return by_number.get(float(key), key)

    return values.map(key_of)


def _sorted_categories(keys):
    """By value for codes ('2' before '10'), ties ('7', '07') by their text: the same
    order in every run (the keys come from a set, whose order varies)."""
    try:
        return sorted(keys, key=lambda key: (float(key), key))
    except ValueError:
        return sorted(keys)


def _is_numeric(values):
    return pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)


def _without_attrs(frame):
    """The same columns without ``frame.attrs``: pandas deep-copies attrs (the file line
    of every row) into each Series it derives, which made one-hot encoding take time
    proportional to rows x categories. Errors still get the original frame."""
    plain = frame.copy(deep=False)
    plain.attrs = {}
    return plain


class Preprocessor:
    """Mean imputation, optional standardisation and one-hot categories, fitted once.

    ``categorical`` / ``numeric`` force the kind of the named columns (for
    example integer codes that are really categories); other columns are
    numeric when pandas reads them as numbers.
    """

    def __init__(self, standardize=False, categorical=(), numeric=()):
        self.standardize = bool(standardize)
        self.categorical = list(categorical)
        self.numeric = list(numeric)
        self.columns = None  # the fitted state: one dict per input column
        self.target = None

    # Fitting ----------------------------------------------------------------------

    def fit(self, frame, target=None):
        """Learn the columns of ``frame`` (all but ``target``, which is only remembered)."""
        if target is not None and target not in frame.columns:
            raise DataError(f"no target column '{target}' to leave out", source_of(frame))
        columns = []
        data = _without_attrs(frame)
        for name in frame.columns:
            if name == target:
                continue
            values = data[name]
            kind = self._kind(name, values)
            if kind == "numeric":
                columns.append(self._fit_numeric(self._numbers(values, frame, name), frame, name))
            else:
                keys = {category_key(v) for v in values[values.notna()]}
                columns.append(
                    {"name": str(name), "kind": kind, "categories": _sorted_categories(keys)}
                )
        if not columns:
            raise DataError("no input columns to fit besides the target", source_of(frame))
        _check_feature_names_differ(columns, frame)
        self.columns = columns
        self.target = None if target is None else str(target)
        return self

    def _fit_numeric(self, numbers, frame, name):
        present = numbers.dropna()
        # A constant column is one value: its mean and std by sums are off by roundings
        # (seven 0.7s: std 1.1e-16, which scaled a new 0.8 to 9e14), so it is taken as is.
        constant = len(present) and present.min() == present.max()
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported below
            mean = float(present.iloc[0] if constant else present.mean()) if len(present) else 0.0
            spread = self.standardize and len(present) and not constant
            scale = float(present.std(ddof=0)) if spread else 1.0
        if not (math.isfinite(mean) and math.isfinite(scale)):
            raise DataError(
                f"values up to {present.abs().max():g} are too large: their mean or spread "
                "overflows float64; rescale the column (for example to thousands)",
                source_of(frame),
                column=name,
            )
        return {"name": str(name), "kind": "numeric", "mean": mean, "scale": scale or 1.0}

    def _kind(self, name, values):
        if name in self.categorical:
            return "categorical"
        if name in self.numeric or _is_numeric(values):
            return "numeric"
        return "categorical"

    def fit_transform(self, frame, target=None):
        return self.fit(frame, target).transform(frame)

    # Applying ---------------------------------------------------------------------

    @property
    def input_columns(self):
        self._check_fitted()
        return [column["name"] for column in self.columns]

    @property
    def feature_names(self):
        """The output columns, numeric ones first, then each category's 0/1 columns."""
        self._check_fitted()
        names = [c["name"] for c in self.columns if c["kind"] == "numeric"]
        for column in self.columns:
            if column["kind"] == "categorical":
                names += _features_of(column)
        return names

    def transform(self, frame):
        """A float64 DataFrame with exactly ``feature_names`` as columns."""
        self._check_fitted()
        names = {str(name): name for name in frame.columns}
        missing = [name for name in self.input_columns if name not in names]
        if missing:
            listed = ", ".join(f"'{name}'" for name in missing)
            raise DataError(
                f"missing column(s) {listed} that the preprocessor was fitted with "
                f"(expected: {', '.join(self.input_columns)})",
                source_of(frame),
                line=1 if "lines" in frame.attrs else None,
            )
        numeric, encoded = {}, {}
        data = _without_attrs(frame)
        for column in self.columns:
            name = column["name"]
            values = data[names[name]]
            if column["kind"] == "numeric":
                numbers = self._numbers(values, frame, names[name]).fillna(column["mean"])
                if self.standardize:
                    numbers = (numbers - column["mean"]) / column["scale"]
                numeric[name] = numbers
            else:
                keys = category_keys(values, column["categories"]).to_numpy()
                for key in column["categories"]:
                    encoded[f"{name}_{key}"] = (keys == key).astype(np.float64)
                encoded[f"{name}_nan"] = values.isna().to_numpy(dtype=np.float64)
        out = pd.DataFrame({**numeric, **encoded}, index=frame.index, dtype=np.float64)
        return out[self.feature_names]

    def unseen_categories(self, frame):
        """{column: {category: number of rows}} for the categories in ``frame`` that ``fit``
        never saw (their one-hot features are all 0), for the columns that have any."""
        self._check_fitted()
        names = {str(name): name for name in frame.columns}
        data = _without_attrs(frame)
        unseen = {}
        for column in self.columns:
            if column["kind"] != "categorical" or column["name"] not in names:
                continue
            values = data[names[column["name"]]].dropna()
            counts = category_keys(values, column["categories"]).value_counts(sort=False)
            new = counts.drop(column["categories"], errors="ignore")
            if len(new):
                unseen[column["name"]] = {key: int(rows) for key, rows in new.items()}
        return unseen

    def _numbers(self, values, frame, name):
        """``values`` (the column ``name`` of ``frame``, which errors point into) as float64."""
        if pd.api.types.is_bool_dtype(values):
            return values.astype(np.float64)
        numbers = pd.to_numeric(values, errors="coerce").astype(np.float64)
        bad = (values.notna() & numbers.isna()).to_numpy().nonzero()[0]
        if len(bad):
            raise_not_a_number(frame, name, int(bad[0]), why="the column is numeric")
        raise_if_infinite(frame, name, numbers, what="the value")
        return numbers

    def to_tensors(self, frame, dtype=None):
        """``(features, labels)`` tensors of ``dtype`` (the default dtype, float32, unless
        given): features (n, len(feature_names)); labels (n, 1) from the fitted target
        column, or None when there is none in ``frame``."""
        dtype = dtype or ember.get_default_dtype()
        features = ember.tensor(self.transform(frame).to_numpy(dtype=np.float64), dtype=dtype)
        names = {str(name): name for name in frame.columns}  # the state keeps names as text
        if self.target is None or self.target not in names:
            return features, None
        from .csv_reader import check_target

        check_target(frame, names[self.target])
        labels = frame[names[self.target]].to_numpy(dtype=np.float64).reshape(-1, 1)
        return features, ember.tensor(labels, dtype=dtype)

    # Saving -----------------------------------------------------------------------

    def to_dict(self):
        self._check_fitted()
        return {
            "format": FORMAT,
            "version": VERSION,
            "standardize": self.standardize,
            "target": self.target,
            "columns": self.columns,
        }

    @classmethod
    def from_dict(cls, state, source="preprocessor"):
        if not isinstance(state, dict) or state.get("format") != FORMAT:
            raise DataError(f"not a saved {FORMAT}", source)
        if state.get("version") != VERSION:
            raise DataError(
                f"saved with format version {state.get('version')}; "
                f"this ember reads version {VERSION}",
                source,
            )
        damage = _damage(state)
        if damage:
            raise DataError(f"is damaged: {damage}", source)
        preprocessor = cls(standardize=state["standardize"])
        preprocessor.columns = state["columns"]
        preprocessor.target = state.get("target")
        return preprocessor

    def to_json(self):
        return json.dumps(self.to_dict(), indent=2, allow_nan=False) + "\n"

    def save(self, path):
        """Write the fitted state as JSON, atomically (the old file survives a crash),
        making ``path``'s folder if it is missing."""
        return write_text_atomically(path, self.to_json())

    @classmethod
    def load(cls, path):
        state = read_json(path)
        return cls.from_dict(state, source=path)

    def _check_fitted(self):
        if self.columns is None:
            raise RuntimeError("this Preprocessor is not fitted yet: call fit(frame) first")

    def __repr__(self):
        if self.columns is None:
            return f"Preprocessor(standardize={self.standardize}, not fitted)"
        kinds = ", ".join(f"{c['name']}: {c['kind']}" for c in self.columns)
        return f"Preprocessor(standardize={self.standardize}, columns=[{kinds}])"


def _features_of(column):
    """The output columns one input column makes: itself, or a 0/1 column per category."""
    name = column["name"]
    if column["kind"] == "numeric":
        return [name]
    return [f"{name}_{key}" for key in column["categories"]] + [f"{name}_nan"]


def _check_feature_names_differ(columns, frame):
    """A column named like another's one-hot column ('city_a' beside 'city' with 'a')
    would make two features of one name, and ``transform`` keep only one of them."""
    made_by = {}
    for column in columns:
        for feature in _features_of(column):
            if feature in made_by:
                first, second = (_feature_origin(feature, c) for c in (made_by[feature], column))
                raise DataError(
                    f"{first} and {second} would have the same name; rename a column",
                    source_of(frame),
                    column=column["name"],
                )
            made_by[feature] = column


def _feature_origin(feature, column):
    """Where a feature comes from, in words: the column itself, or one of its categories."""
    if column["kind"] == "numeric":
        return f"the column '{feature}'"
    return f"the one-hot column '{feature}' of column '{column['name']}'"


def _damage(state):
    """What is wrong with a saved state that has the right format and version, or None.

    A hand-edited or half-copied file should stop here with its problem named, not
    later with a KeyError from deep inside ``transform``.
    """
    if not isinstance(state.get("standardize"), bool):
        return "'standardize' is not true or false"
    columns = state.get("columns")
    if not isinstance(columns, list) or not columns:
        return "'columns' is not a list of columns"
    names = [column.get("name") if isinstance(column, dict) else None for column in columns]
    twice = next((name for name in names if name is not None and names.count(name) > 1), None)
    if twice is not None:
        return f"two columns are named '{twice}'"
    for number, column in enumerate(columns, 1):
        kind = column.get("kind") if isinstance(column, dict) else None
        if kind not in SAVED_KEYS or not isinstance(column.get("name"), str):
            return f"column {number} has no name or is neither numeric nor categorical"
        for key, types in SAVED_KEYS[kind].items():
            value = column.get(key)
            if not isinstance(value, types) or isinstance(value, bool):
                return f"column '{column['name']}' has no valid '{key}'"
        if kind == "categorical" and not all(isinstance(c, str) for c in column["categories"]):
            return f"column '{column['name']}' has a category that is not text"
        if kind == "numeric" and not _finite_mean_and_positive_scale(column):
            # NaN, inf or a scale of 0 would give empty or infinite predictions, exit 0
            return f"column '{column['name']}' has a 'mean' or 'scale' no fit can give"
    return None


def _finite_mean_and_positive_scale(column):
    mean, scale = column["mean"], column["scale"]
    return math.isfinite(mean) and math.isfinite(scale) and scale > 0
