"""``ember.preprocessing``: tabular data from CSV to tensors (SPEC P1-P3).

frame = read_csv("house.csv", target="Price")       # errors name file, row, column
pre = Preprocessor(standardize=True).fit(frame, target="Price")
X, y = pre.to_tensors(frame)
pre.save("preprocessor.json")                        # plain JSON, written atomically
"""

from .atomic import write_text_atomically
from .csv_reader import check_target, read_csv
from .errors import DataError
from .json_file import read_json
from .preprocessor import Preprocessor

__all__ = [
    "DataError",
    "Preprocessor",
    "check_target",
    "read_csv",
    "read_json",
    "write_text_atomically",
]
