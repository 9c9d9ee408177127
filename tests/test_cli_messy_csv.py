"""``ember fit`` and ``ember predict`` on the files people really have: spreadsheet exports
with odd encodings, trailing commas, empty rows, spaces and numbers written for people.

Each file is either read as a user would expect (the same model as its clean twin, checked
against numpy's least squares) or refused in one line that names the row, the column and
what to write instead.
"""

import io
import json
import shlex

import numpy as np
import pandas as pd
import pytest
from cli_runs import one_line_error, run

FIT = ["fit", "data.csv", "--target", "y", "--test-size", "0", "--solver", "closed-form"]


def fit(data, folder, capsys, monkeypatch, *options):
    """Write ``data`` (text or bytes) to data.csv and fit it; (exit code, stdout, stderr)."""
    path = folder / "data.csv"
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return run([*FIT, *options], capsys, folder, monkeypatch)


def saved_model(folder):
    return json.loads((folder / "model" / "model.json").read_text())


def predictions(data, folder, capsys, monkeypatch):
    (folder / "new.csv").write_text(data)
    code, out, err = run(["predict", "model", "new.csv"], capsys, folder, monkeypatch)
    assert code == 0, err
    return pd.read_csv(io.StringIO(out))["predicted_y"].to_numpy(), err


def assert_same_model(messy, clean, tmp_path, capsys, monkeypatch):
    """``messy`` fits exactly the model its clean twin fits."""
    expected = []
    for name, data in (("clean", clean), ("messy", messy)):
        folder = tmp_path / name
        folder.mkdir()
        code, _, err = fit(data, folder, capsys, monkeypatch)
        assert code == 0, err
        expected.append(saved_model(folder))
    assert expected[1] == expected[0]


CLEAN = "area,city,y\n" + "".join(
    f"{i},{'abc'[i % 3]},{2 * i + 5 * (i % 3) + i % 2}\n" for i in range(1, 16)
)


# Encodings ----------------------------------------------------------------------------


def test_utf16_with_its_byte_order_mark_fits_like_utf8(tmp_path, capsys, monkeypatch):
    assert_same_model(CLEAN.encode("utf-16"), CLEAN, tmp_path, capsys, monkeypatch)


def test_windows_1252_says_which_byte_and_how_to_save(tmp_path, capsys, monkeypatch):
    data = "area,city,y\n1,café,2\n2,thé,4\n".encode("cp1252")
    code, _, err = fit(data, tmp_path, capsys, monkeypatch)
    one_line_error(code, err, "data.csv, line 2:", "byte 0xe9 is not UTF-8", "'CSV UTF-8'")


# What spreadsheets leave in files ------------------------------------------------------


def with_line_ends(text, end):
    return text.replace("\n", end)


@pytest.mark.parametrize(
    "messy",
    [
        with_line_ends(CLEAN, ",\n"),  # a comma at the end of every line, header too
        with_line_ends(CLEAN, ",\r\n"),
        CLEAN.replace(",y\n", ",y,,\n").replace("\n1,", ",,\n1,").replace("\n", ",,\n"),
        CLEAN.replace("\n", ",\n").replace("y,\n", "y\n", 1),  # data rows only
        CLEAN.replace("\n", "\n,,\n", 4) + ",,\n , ,\n",  # rows of empty fields
        CLEAN.replace("\n", '\n""\n', 3),  # a quoted empty value alone: a row to pandas
        CLEAN.replace(",", " , ").replace("\n", " \n"),  # spaces around every value
        CLEAN.replace("\n", ",\n").replace(",\n", "\n", 3),  # from the third row on
        CLEAN.replace("\n", "\n,,,,\n", 4),  # empty rows wider than the header
    ],
    ids=[
        "trailing",
        "trailing-crlf",
        "two-trailing",
        "rows-only",
        "empty-rows",
        "quoted",
        "spaces",
        "later-rows",
        "wide-empty-rows",
    ],
)
def test_what_spreadsheets_leave_fits_the_clean_model(messy, tmp_path, capsys, monkeypatch):
    assert_same_model(messy, CLEAN, tmp_path, capsys, monkeypatch)


def test_errors_after_an_empty_row_still_name_the_file_line(tmp_path, capsys, monkeypatch):
    data = "area,y\n1,2\n,\n2,x\n3,6\n"
    code, _, err = fit(data, tmp_path, capsys, monkeypatch)
    one_line_error(code, err, "row 2 (line 4), column 'y': 'x' is not a number")


def test_a_column_with_values_but_no_name_names_the_row(tmp_path, capsys, monkeypatch):
    pd.DataFrame({"area": [1.0, 2, 3], "y": [2.0, 4, 7]}).to_csv(tmp_path / "data.csv")
    code, _, err = run(FIT, capsys, tmp_path, monkeypatch)  # pandas saved its row index
    one_line_error(code, err, "row 1 (line 2)", "column 1 of the header has no name", "('0')")


def test_empty_rows_above_the_header(tmp_path, capsys, monkeypatch):
    code, _, err = fit(",,\n" + CLEAN, tmp_path, capsys, monkeypatch)
    one_line_error(code, err, "line 1:", "empty fields only", "delete the empty rows above it")


def test_spaces_around_text_make_no_new_categories_in_predict(tmp_path, capsys, monkeypatch):
    messy = CLEAN.replace(",a,", ", a ,").replace(",b,", ",b ,").replace("5,c", "5, NA ")
    code, _, err = fit(messy, tmp_path, capsys, monkeypatch)
    assert code == 0, err
    assert saved_model(tmp_path)["features"] == ["area", "city_a", "city_b", "city_c", "city_nan"]
    padded, _ = predictions("area,city\n4, a\n4,b  \n4,\n", tmp_path, capsys, monkeypatch)
    plain, _ = predictions("area,city\n4,a\n4,b\n4,NA\n", tmp_path, capsys, monkeypatch)
    np.testing.assert_array_equal(padded, plain)


def test_booleans_with_spaces_and_gaps_are_numbers(tmp_path, capsys, monkeypatch):
    rows = "".join(f"{i},{' True' if i % 2 else 'FALSE '},{i + 3 * (i % 2)}\n" for i in range(9))
    code, _, err = fit("area,big,y\n" + rows + "9,,12\n", tmp_path, capsys, monkeypatch)
    assert code == 0, err
    assert saved_model(tmp_path)["features"] == ["area", "big"]


# Values pandas does not read as numbers -------------------------------------------------


@pytest.mark.parametrize("marker", ["?", "-", ".", "missing", "#DIV/0!"])
def test_a_missing_value_written_another_way_says_how_to_write_it(
    marker, tmp_path, capsys, monkeypatch
):
    data = CLEAN.replace("\n3,", f"\n{marker},")
    code, _, err = fit(data, tmp_path, capsys, monkeypatch)
    one_line_error(
        code,
        err,
        f"row 3 (line 4), column 'area': '{marker}' is not a number",
        "leave the cell empty or write NA",
    )


def test_a_column_mostly_of_question_marks_is_not_read_as_categories(tmp_path, capsys, monkeypatch):
    rows = "".join(f"{'?' if i % 4 else i},{i % 3},{i}\n" for i in range(1, 13))
    code, _, err = fit("hp,doors,y\n" + rows, tmp_path, capsys, monkeypatch)
    one_line_error(code, err, "row 1 (line 2), column 'hp': '?' is not a number", "write NA")


@pytest.mark.parametrize(
    "values, advice",
    [
        (['"$1,200"', '"$2,500"', "$300"], "'$1,200' is not a number (ember reads plain numbers "),
        (["12%", "7.5%", "40%"], "write 12 or 0.12"),
        (["(300)", "120", "(45)"], "write -300"),
        (["5 €", "12 €", "7 €"], "write 5"),
    ],
)
def test_numbers_written_for_people_are_refused_with_what_to_write(
    values, advice, tmp_path, capsys, monkeypatch
):
    rows = "".join(f"{values[i % 3]},{i}\n" for i in range(9))
    code, _, err = fit("amount,y\n" + rows, tmp_path, capsys, monkeypatch)
    one_line_error(code, err, "row 1 (line 2), column 'amount'", advice)


def test_a_few_percentages_among_numbers_say_what_to_write(tmp_path, capsys, monkeypatch):
    code, _, err = fit(CLEAN.replace("\n5,", "\n5%,"), tmp_path, capsys, monkeypatch)
    one_line_error(code, err, "row 5 (line 6), column 'area': '5%'", "write 5 or 0.05")


def test_dates_stay_categories_as_pandas_reads_them(tmp_path, capsys, monkeypatch):
    rows = "".join(f"2024-01-0{1 + i % 3},{i}\n" for i in range(9))
    code, _, err = fit("day,y\n" + rows, tmp_path, capsys, monkeypatch)
    assert code == 0, err
    assert saved_model(tmp_path)["features"][0] == "day_2024-01-01"


# Names ----------------------------------------------------------------------------------


def test_a_column_named_like_a_one_hot_column_is_refused(tmp_path, capsys, monkeypatch):
    data = CLEAN.replace("area,city,y", "city_a,city,y")
    code, _, err = fit(data, tmp_path, capsys, monkeypatch)
    one_line_error(
        code, err, "the column 'city_a' and the one-hot column 'city_a' of column 'city'", "rename"
    )


def test_the_drop_hint_works_for_a_name_that_starts_with_a_dash(tmp_path, capsys, monkeypatch):
    rows = "".join(f"user{i},{i % 7},{2 * (i % 7)}\n" for i in range(300))
    code, _, err = fit("-id,a,y\n" + rows, tmp_path, capsys, monkeypatch)
    hint = one_line_error(code, err, "column '-id'").rsplit("leave it out with ", 1)[1]
    assert hint == "--drop=-id"
    assert run([*FIT, *shlex.split(hint)], capsys, tmp_path, monkeypatch)[0] == 0


# predict -------------------------------------------------------------------------------


def test_predict_scores_only_the_rows_with_a_target(tmp_path, capsys, monkeypatch):
    assert fit(CLEAN, tmp_path, capsys, monkeypatch)[0] == 0
    given, err = predictions("area,city,y\n1,b,7\n2,c,\n3,a,6\n", tmp_path, capsys, monkeypatch)
    assert len(given) == 3
    assert "2 rows with 'y'" in err and "(1 row without it not scored)" in err
    empty, err = predictions("area,city,y\n1,b,\n2,c,\n", tmp_path, capsys, monkeypatch)
    np.testing.assert_array_equal(empty, given[:2])
    assert "MSE" not in err  # nothing to score: the target column is a blank to fill


def test_predict_echoes_whole_numbers_as_written_around_rows_of_commas(
    tmp_path, capsys, monkeypatch
):
    assert fit(CLEAN, tmp_path, capsys, monkeypatch)[0] == 0
    (tmp_path / "new.csv").write_text("area,city\n4,a\n,,\n5,b,\n,,,\n")
    code, out, err = run(["predict", "model", "new.csv"], capsys, tmp_path, monkeypatch)
    assert code == 0, err
    assert [line.split(",")[:2] for line in out.splitlines()] == [
        ["area", "city"],
        ["4", "a"],
        ["5", "b"],
    ]


# Random messy files against numpy's least squares ---------------------------------------

MISSING = ["", "NA", "N/A", "null", "None", " ", " NA ", "#N/A", "nan"]


def messy_cell(value, rng):
    if rng.random() < 0.15:
        return str(rng.choice(MISSING)), None
    if isinstance(value, str):
        return str(rng.choice(["", " "])) + value + str(rng.choice(["", "  "])), value
    return str(rng.choice([repr(value), f" {value} ", f"{value:.17e}"])), value


def messy_file(seed):
    """(file bytes, {column: values with None where missing}, targets)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 40))
    columns = {
        "size m²": rng.normal(50, 20, n).round(2).tolist(),
        "rooms": rng.integers(1, 6, n).astype(float).tolist(),
        "city": rng.choice(["Zürich", "Genève", "Bern"], n).tolist(),
    }
    y = rng.normal(size=n).round(3)
    trailing = "," if rng.random() < 0.5 else ""
    lines, clean = [",".join([*columns, "y"]) + trailing], {name: [] for name in columns}
    for i in range(n):
        cells = [messy_cell(columns[name][i], rng) for name in columns]
        for name, (_, value) in zip(columns, cells):
            clean[name].append(value)
        lines.append(",".join([text for text, _ in cells] + [repr(float(y[i]))]) + trailing)
        if rng.random() < 0.1:
            lines.append(",,," + trailing)
    text = str(rng.choice(["\n", "\r\n"])).join(lines) + "\n"
    encoding = str(rng.choice(["utf-8", "utf-8-sig", "utf-16"]))
    return text.encode(encoding), clean, y


def least_squares_fit(clean, y):
    """The fitted values of the preprocessing ember documents, by numpy alone."""
    features = []
    for name in ("size m²", "rooms"):
        x = np.array([np.nan if v is None else v for v in clean[name]], dtype=np.float64)
        given = x[~np.isnan(x)]
        mean, scale = (given.mean(), given.std() or 1.0) if len(given) else (0.0, 1.0)
        features.append((np.where(np.isnan(x), mean, x) - mean) / scale)
    for category in sorted({v for v in clean["city"] if v is not None}) + [None]:
        features.append(np.array([v == category for v in clean["city"]], dtype=np.float64))
    A = np.column_stack(features + [np.ones(len(y))])
    return A @ np.linalg.lstsq(A, y, rcond=None)[0]


@pytest.mark.parametrize("seed", range(12))
def test_random_messy_files_fit_what_numpy_fits_on_the_clean_data(
    seed, tmp_path, capsys, monkeypatch
):
    data, clean, y = messy_file(seed)
    code, _, err = fit(data, tmp_path, capsys, monkeypatch)
    assert code == 0, err
    (tmp_path / "new.csv").write_bytes(data)
    code, out, err = run(["predict", "model", "new.csv"], capsys, tmp_path, monkeypatch)
    assert code == 0, err
    predicted = pd.read_csv(io.StringIO(out))["predicted_y"].to_numpy()
    np.testing.assert_allclose(predicted, least_squares_fit(clean, y), rtol=1e-7, atol=1e-9)
