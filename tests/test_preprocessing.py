"""Tabular preprocessing: the notes' pandas flow (P1), the fitted Preprocessor (P2), and
CSV errors that name the file, row and column (P3)."""

import json
import os

import numpy as np
import pandas as pd
import pytest

import ember as torch
from ember.preprocessing import DataError, Preprocessor, read_csv

HOUSE_TINY = """NumRooms,Alley,Price
NA,Pave,127500
2,NA,106000
4,NA,178100
NA,NA,140000
"""


def write(folder, name, text):
    path = os.path.join(folder, name)
    with open(path, "w") as file:
        file.write(text)
    return path


# P1: the notes' flow, as written ---------------------------------------------------


def test_notes_flow_with_pandas(tmp_path, monkeypatch):
    work = tmp_path / "notebooks"
    work.mkdir()
    monkeypatch.chdir(work)
    os.makedirs(os.path.join("..", "data"), exist_ok=True)
    data_file = os.path.join("..", "data", "house_tiny.csv")
    with open(data_file, "w") as f:
        f.write("NumRooms,Alley,Price\n")  # column names
        f.write("NA,Pave,127500\n")  # one example per row
        f.write("2,NA,106000\n")
        f.write("4,NA,178100\n")
        f.write("NA,NA,140000\n")
    data = pd.read_csv(data_file)
    inputs, outputs = data.iloc[:, 0:2], data.iloc[:, 2]
    inputs = inputs.fillna(inputs.mean(numeric_only=True))
    inputs = pd.get_dummies(inputs, dummy_na=True)
    X, y = torch.tensor(inputs.to_numpy(dtype=float)), torch.tensor(outputs.to_numpy(dtype=float))
    assert X.dtype == torch.float64 and X.shape == (4, 3)
    assert X.tolist() == [[3, 1, 0], [2, 0, 1], [4, 0, 1], [3, 0, 1]]
    assert y.tolist() == [127500, 106000, 178100, 140000]
    # The book's newer order (dummies first, then the mean) gives the same numbers.
    again = pd.get_dummies(data.iloc[:, 0:2], dummy_na=True)
    again = again.fillna(again.mean())
    assert torch.tensor(again.to_numpy(dtype=float)).tolist() == X.tolist()


def test_preprocessor_reproduces_the_notes_flow(tmp_path):
    frame = read_csv(write(tmp_path, "house_tiny.csv", HOUSE_TINY), target="Price")
    pre = Preprocessor().fit(frame, target="Price")
    assert pre.feature_names == ["NumRooms", "Alley_Pave", "Alley_nan"]
    X, y = pre.to_tensors(frame)
    assert X.dtype == torch.float32 and X.tolist() == [[3, 1, 0], [2, 0, 1], [4, 0, 1], [3, 0, 1]]
    assert y.shape == (4, 1) and y[:, 0].tolist() == [127500, 106000, 178100, 140000]
    inputs = frame.iloc[:, 0:2]
    expected = pd.get_dummies(inputs.fillna(inputs.mean(numeric_only=True)), dummy_na=True)
    assert list(expected.columns) == pre.feature_names
    np.testing.assert_array_equal(pre.transform(frame).to_numpy(), expected.to_numpy(float))


# P2: the fitted preprocessor ---------------------------------------------------------


def training_frame():
    return pd.DataFrame(
        {
            "area": [50.0, np.nan, 70.0, 90.0],
            "city": ["b", "a", None, "b"],
            "rooms": [1, 2, 3, 4],
            "price": [1.0, 2.0, 3.0, 4.0],
        }
    )


def test_fit_learns_means_categories_and_scales():
    pre = Preprocessor(standardize=True).fit(training_frame(), target="price")
    assert pre.input_columns == ["area", "city", "rooms"]
    assert pre.feature_names == ["area", "rooms", "city_a", "city_b", "city_nan"]
    out = pre.transform(training_frame())
    assert out["area"].tolist() == pytest.approx([-1.224745, 0.0, 0.0, 1.224745], abs=1e-6)
    assert out["rooms"].mean() == pytest.approx(0) and out["rooms"].std(ddof=0) == pytest.approx(1)
    assert out["city_a"].tolist() == [0, 1, 0, 0] and out["city_nan"].tolist() == [0, 0, 1, 0]
    assert list(out.dtypes.unique()) == [np.float64]
    assert "standardize=True" in repr(pre) and "city: categorical" in repr(pre)


def test_transform_applies_the_training_columns_to_new_data():
    pre = Preprocessor().fit(training_frame(), target="price")
    new = pd.DataFrame(
        {"rooms": [5, None], "extra": ["x", "y"], "city": ["zurich", np.nan], "area": [None, 60.0]}
    )
    out = pre.transform(new)
    assert list(out.columns) == pre.feature_names
    assert out.loc[0].tolist() == [70.0, 5.0, 0.0, 0.0, 0.0]  # unseen city: all zeros
    assert out.loc[1].tolist() == [60.0, 2.5, 0.0, 0.0, 1.0]  # NaN city: its own category
    X, y = pre.to_tensors(new)
    assert X.shape == (2, 5) and y is None


def test_unseen_categories_are_counted_per_column():
    pre = Preprocessor(categorical=["rooms"]).fit(training_frame(), target="price")
    new = pd.DataFrame(
        {"rooms": [5.0, 2, 7, 7], "city": ["zurich", np.nan, "a", "oslo"], "area": [1.0] * 4}
    )
    assert pre.unseen_categories(new) == {
        "city": {"zurich": 1, "oslo": 1},
        "rooms": {"5": 1, "7": 2},
    }
    assert pre.unseen_categories(training_frame()) == {}


def test_missing_columns_are_a_clear_error():
    pre = Preprocessor().fit(training_frame(), target="price")
    with pytest.raises(DataError, match=r"missing column\(s\) 'city', 'rooms'"):
        pre.transform(pd.DataFrame({"area": [1.0]}))


def test_text_in_a_numeric_column_at_transform_time(tmp_path):
    pre = Preprocessor().fit(training_frame(), target="price")
    path = write(tmp_path, "new.csv", "area,city,rooms\n1,a,2\nbig,a,3\nsmall,b,1\nhuge,b,4\n")
    frame = read_csv(path)  # 'area' here is mostly text: read as a category
    with pytest.raises(DataError) as caught:
        pre.transform(frame)
    message = str(caught.value)
    assert path in message and "row 2 (line 3)" in message and "column 'area'" in message
    assert "'big' is not a number" in message


def test_forced_categorical_codes_match_whatever_their_dtype():
    frame = pd.DataFrame({"zone": [1, 2, 2], "y": [0.0, 1.0, 2.0]})
    pre = Preprocessor(categorical=["zone"]).fit(frame, target="y")
    assert pre.feature_names == ["zone_1", "zone_2", "zone_nan"]
    out = pre.transform(pd.DataFrame({"zone": [2.0, np.nan, 10.0]}))
    assert out.to_numpy().tolist() == [[0, 1, 0], [0, 0, 1], [0, 0, 0]]


def test_bool_columns_are_numbers_and_numeric_can_be_forced():
    frame = pd.DataFrame({"flag": [True, False], "code": ["1", "3"]})
    pre = Preprocessor(numeric=["code"]).fit(frame)
    assert pre.transform(frame).to_numpy().tolist() == [[1.0, 1.0], [0.0, 3.0]]


def test_save_and_load_as_plain_json(tmp_path):
    pre = Preprocessor(standardize=True).fit(training_frame(), target="price")
    path = pre.save(tmp_path / "sub" / "pre.json")
    with open(path) as file:
        state = json.load(file)
    assert state["format"] == "ember.preprocessing.Preprocessor" and state["target"] == "price"
    assert [c["name"] for c in state["columns"]] == ["area", "city", "rooms"]
    loaded = Preprocessor.load(path)
    pd.testing.assert_frame_equal(
        loaded.transform(training_frame()), pre.transform(training_frame())
    )
    assert os.listdir(tmp_path / "sub") == ["pre.json"]


def test_save_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "pre.json"
    path.write_text("old contents")

    def crash(source, target):
        raise OSError("disk pulled out")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk pulled out"):
        Preprocessor().fit(training_frame()).save(path)
    assert path.read_text() == "old contents" and os.listdir(tmp_path) == ["pre.json"]


def test_load_rejects_other_json(tmp_path):
    path = write(tmp_path, "x.json", '{"hello": 1}')
    with pytest.raises(DataError, match="not a saved ember.preprocessing.Preprocessor"):
        Preprocessor.load(path)
    path = write(tmp_path, "y.json", "{not json")
    with pytest.raises(DataError, match=r"y.json, line 1: not valid JSON"):
        Preprocessor.load(path)


def test_unfitted_preprocessor_says_so():
    with pytest.raises(RuntimeError, match="not fitted yet"):
        Preprocessor().transform(training_frame())


# P3: CSV errors naming file, row and column ----------------------------------------


def read_error(tmp_path, text, target=None):
    path = write(tmp_path, "data.csv", text)
    with pytest.raises(DataError) as caught:
        read_csv(path, target=target)
    assert str(caught.value).startswith(path)
    return str(caught.value)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.csv: no such file"):
        read_csv(tmp_path / "nope.csv")


def test_empty_file(tmp_path):
    assert "the file is empty" in read_error(tmp_path, "")
    assert "the file is empty" in read_error(tmp_path, "\n  \n")
    assert "no data rows" in read_error(tmp_path, "a,b\n")


def test_ragged_rows(tmp_path):
    message = read_error(tmp_path, "a,b,c\n1,2,3\n4,5,6,7\n")
    assert "row 2 (line 3)" in message and "4 fields but the header has 3" in message
    message = read_error(tmp_path, "a,b,c\n1,2,3\n\n4,5\n")
    assert "row 2 (line 4), column 'c'" in message and "no value" in message


def test_unknown_target(tmp_path):
    message = read_error(tmp_path, HOUSE_TINY, target="Prise")
    assert "line 1" in message and "no target column 'Prise'" in message
    assert "NumRooms, Alley, Price" in message and "Did you mean 'Price'?" in message


def test_text_in_a_numeric_column(tmp_path):
    message = read_error(tmp_path, "x,y\n1,2\n2,4\nthree,6\n4,8\n")
    assert "row 3 (line 4), column 'x': 'three' is not a number" in message


def test_target_with_nan_or_text(tmp_path):
    message = read_error(tmp_path, "x,y\n1,2\n2,NA\n3,\n", target="y")
    assert "row 2 (line 3), column 'y'" in message and "missing (NaN) (2 rows in all)" in message
    message = read_error(tmp_path, "x,y\n1,a\n2,b\n", target="y")
    assert "row 1 (line 2), column 'y'" in message and "target must be numeric" in message


def test_bad_headers(tmp_path):
    assert "column 'a': appears twice" in read_error(tmp_path, "a,b,a\n1,2,3\n")
    assert "column 2 of the header has no name" in read_error(tmp_path, "a,,c\n1,2,3\n")


def test_read_csv_keeps_types_and_line_numbers(tmp_path):
    path = write(tmp_path, "ok.csv", '\ufeffa,b,c\n1,"x, quoted",NA\n\n2.5,y,3\n')
    frame = read_csv(path, target="a")
    assert list(frame.columns) == ["a", "b", "c"]
    assert frame["a"].tolist() == [1.0, 2.5] and frame["b"].tolist() == ["x, quoted", "y"]
    assert frame.attrs["lines"].tolist() == [2, 4] and frame.attrs["source"] == path


def test_other_separators_and_unclosed_quotes_are_named(tmp_path):
    message = read_error(tmp_path, "a;b;price\n1;2;3\n", target="price")
    assert "line 1: the header is a single column named 'a;b;price'" in message
    assert "semicolons" in message
    message = read_error(tmp_path, 'a,b\n1,2\n"3,4\n5,6\n')
    assert "line 3: a quoted value starts on this line" in message and "closing quote" in message


def test_infinite_and_overflowing_numbers_are_errors():
    frame = training_frame()
    frame["rooms"] = [1.0, 2.0, np.inf, 4.0]
    with pytest.raises(DataError, match="row 3, column 'rooms': the value is inf"):
        Preprocessor().fit(frame, target="price")
    pre = Preprocessor().fit(training_frame(), target="price")
    with pytest.raises(DataError, match="column 'area': the value is -inf"):
        pre.transform(pd.DataFrame({"area": [-np.inf], "city": ["a"], "rooms": [1]}))
    frame = training_frame()
    frame["area"] = [1e308, 1e308, 1.0, 2.0]
    with pytest.raises(DataError, match="column 'area': values up to 1e\\+308 are too large"):
        Preprocessor(standardize=True).fit(frame, target="price")


def test_load_names_what_is_damaged(tmp_path):
    state = Preprocessor().fit(training_frame(), target="price").to_dict()
    state["columns"][1]["categories"] = "ab"
    path = write(tmp_path, "pre.json", json.dumps(state))
    with pytest.raises(DataError, match="is damaged: column 'city' has no valid 'categories'"):
        Preprocessor.load(path)


def test_files_written_together_are_replaced_together(tmp_path, monkeypatch):
    from ember.preprocessing import write_texts_atomically

    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text("old a")
    second.write_text("old b")
    real_fsync = os.fsync
    calls = []

    def fail_on_the_second_file(descriptor):
        calls.append(descriptor)
        if len(calls) == 2:
            raise OSError("disk full")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fail_on_the_second_file)
    with pytest.raises(OSError, match="disk full"):
        write_texts_atomically({first: "new a", second: "new b"})
    assert first.read_text() == "old a" and second.read_text() == "old b"
    assert sorted(os.listdir(tmp_path)) == ["a.json", "b.json"]


def test_a_boolean_column_with_gaps_stays_boolean_so_its_categories_match_across_files(
    tmp_path,
):
    # it was read as 1.0/0.0, so made categorical its categories were '0' and '1' in a file
    # with gaps and 'False' and 'True' in one without: every value of the second was unseen
    with_gaps, without = tmp_path / "train.csv", tmp_path / "new.csv"
    with_gaps.write_text("flag,y\nTrue,1\n,2\nFalse,3\n")
    without.write_text("flag,y\nFalse,1\nTrue,2\n")
    frame = read_csv(with_gaps, target="y")
    assert frame["flag"].tolist()[::2] == [True, False] and pd.isna(frame["flag"][1])
    numeric = Preprocessor().fit(frame, target="y")  # as numbers: 1, 0 and their mean
    assert numeric.to_tensors(frame)[0][:, 0].tolist() == [1.0, 0.5, 0.0]
    categorical = Preprocessor(categorical=["flag"]).fit(frame, target="y")
    assert categorical.feature_names == ["flag_False", "flag_True", "flag_nan"]
    assert categorical.unseen_categories(read_csv(without)) == {}
    assert categorical.to_tensors(read_csv(without))[0].tolist() == [[1, 0, 0], [0, 1, 0]]


def test_a_value_that_is_not_a_number_is_quoted_without_its_spaces(tmp_path):
    # the CLI pass: the message read "' ten ' is not a number", spaces and all
    path = tmp_path / "data.csv"
    path.write_text("area,price\n1,2\n ten ,3\n4,5\n")
    with pytest.raises(DataError, match=r"row 2 \(line 3\), column 'area': 'ten' is not a number"):
        read_csv(path, target="price")


# Found by the twenty-third day's audit of the Python API -------------------------------


def test_a_constant_column_is_scaled_by_1_and_centred_exactly():
    """Seven 0.7s have a std of 1.1e-16 by sums: a new 0.8 was scaled to 9e14."""
    pre = Preprocessor(standardize=True).fit(pd.DataFrame({"k": [0.7] * 7, "x": range(7)}))
    assert pre.columns[0] == {"name": "k", "kind": "numeric", "mean": 0.7, "scale": 1.0}
    new = pre.transform(pd.DataFrame({"k": [0.7, 0.8], "x": [0, 1]}))
    assert new["k"].tolist() == [0.0, pytest.approx(0.1)]


def test_errors_name_the_files_row_in_a_frame_sliced_or_shuffled(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("x,y\n1,1\n2,2\ninf,3\n4,4\n")
    frame = read_csv(path)
    for part in (frame.iloc[2:], frame.sample(frac=1, random_state=0)):
        with pytest.raises(DataError, match=r"row 3 \(line 4\), column 'x': the value is inf"):
            Preprocessor().fit(part, target="y")


def test_a_code_means_one_category_whatever_the_rows_beside_it():
    """'7' beside words is text, alone it is read as the number 7: both are '007'."""
    training = pd.DataFrame({"c": ["007", "x", "z", "w"]})
    pre = Preprocessor().fit(training)
    alone = pre.transform(pd.DataFrame({"c": [7]}))
    beside_words = pre.transform(pd.DataFrame({"c": ["7", "x"]}))
    assert alone.iloc[0].tolist() == beside_words.iloc[0].tolist() == [1.0, 0, 0, 0, 0]
    assert pre.unseen_categories(pd.DataFrame({"c": ["7", "x"]})) == {}


def test_categories_of_one_value_sort_the_same_in_every_run():
    keys = ["7", "007", "07", "10", "1e1"]
    orders = {
        tuple(Preprocessor().fit(pd.DataFrame({"c": order})).feature_names)
        for order in (keys, keys[::-1], keys[2:] + keys[:2])
    }
    assert orders == {("c_007", "c_07", "c_7", "c_10", "c_1e1", "c_nan")}


def test_a_target_named_by_an_int_gives_labels():
    frame = pd.DataFrame({0: [1.0, 2.0, 3.0], 1: [2.0, 4.0, 6.0]})
    pre = Preprocessor().fit(frame, target=1)
    features, labels = pre.to_tensors(frame)
    assert features.shape == (3, 1) and labels.tolist() == [[2.0], [4.0], [6.0]]


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda state: state["columns"][1].update(categories=[7, "a"]), "not text"),
        (lambda state: state["columns"][1].update(categories=[None]), "not text"),
        (lambda state: state["columns"].append(dict(state["columns"][0])), "named 'x'"),
    ],
    ids=["number-category", "null-category", "two-columns-named-x"],
)
def test_damaged_categories_and_twice_named_columns_stop_at_load(tmp_path, damage, message):
    pre = Preprocessor().fit(pd.DataFrame({"x": [1.0, 2.0], "c": ["a", "b"]}))
    state = pre.to_dict()
    damage(state)
    path = tmp_path / "p.json"
    path.write_text(json.dumps(state))
    with pytest.raises(DataError, match=message):
        Preprocessor.load(path)
