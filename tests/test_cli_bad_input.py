"""``ember fit`` and ``ember predict`` on badly formed files and arguments: each is one line
naming what is wrong, exit code 1 (2 for usage mistakes), and files on disk stay intact."""

import json
import math
import os
import stat

import numpy as np
import pytest
from cli_runs import one_line_error, run

import ember.preprocessing.atomic

GOOD = "area,city,price\n" + "".join(f"{i},{'abc'[i % 3]},{2 * i + i % 3}\n" for i in range(1, 13))
FIT = ["fit", "data.csv", "--target", "price", "--epochs", "2"]


@pytest.fixture
def model(tmp_path, capsys, monkeypatch):
    """A folder with a model fitted on GOOD; returns (folder, {file name: text})."""
    (tmp_path / "data.csv").write_text(GOOD)
    assert run(FIT, capsys, tmp_path, monkeypatch)[0] == 0
    saved = {name: (tmp_path / "model" / name).read_text() for name in os.listdir("model")}
    return tmp_path, saved


def assert_model_unchanged(folder, saved):
    files = {name: (folder / "model" / name).read_text() for name in os.listdir(folder / "model")}
    assert files == saved  # same files, same contents, no temporary left behind


# ember fit: the data -------------------------------------------------------------------

FIT_CASES = {
    "semicolons": ("area;price\n1;2\n2;4\n", ["line 1", "'area;price'", "semicolons"]),
    "tabs": ("area\tprice\n1\t2\n2\t4\n", ["line 1", "separated by tabs"]),
    "unclosed quote": (
        'area,city,price\n1,a,2\n2,"b,4\n3,c,6\n',
        ["data.csv, line 3", "closing quote is missing"],
    ),
    "lone CR line ends": ("area,price\r1,2\r2,4\r3,7\rx,8\r", ["row 4 (line 5)", "'x'"]),
    "inf feature": (
        "area,price\n1,2\ninf,3\n3,4\n4,5\n",
        ["row 2 (line 3), column 'area'", "inf", "finite"],
    ),
    "inf target": (
        "area,price\n1,2\n2,3\n3,-inf\n4,5\n",
        ["row 3 (line 4), column 'price'", "the target is -inf"],
    ),
    "overflowing feature": (
        "area,price\n1e308,2\n1e308,3\n3,4\n4,5\n",
        ["data.csv, column 'area'", "too large"],
    ),
    "thousands separators": (
        'area,price\n"1,200",2\n"2,500",3\n"3,100",4\n',
        ["row 1 (line 2), column 'area'", "'1,200'", "thousands separators"],
    ),
}


@pytest.mark.parametrize("case", list(FIT_CASES))
def test_fit_on_a_bad_file_names_the_problem_and_keeps_the_old_model(
    case, model, capsys, monkeypatch
):
    folder, saved = model
    text, fragments = FIT_CASES[case]
    (folder / "data.csv").write_bytes(text.encode())
    code, _, err = run(FIT, capsys, folder, monkeypatch)
    one_line_error(code, err, "ember fit: error: data.csv", *fragments)
    assert_model_unchanged(folder, saved)


def test_quoted_text_with_commas_is_still_a_category(tmp_path, capsys, monkeypatch):
    """The thousands-separator check must not catch ordinary quoted text."""
    rows = "".join(f'{i},"{city}, FR",{i}\n' for i, city in enumerate(["Paris", "Lyon"] * 3))
    (tmp_path / "data.csv").write_text("area,city,price\n" + rows)
    code, out, err = run(FIT, capsys, tmp_path, monkeypatch)
    assert code == 0, err
    assert "city_Lyon, FR" in out and "city_Paris, FR" in out


def test_fit_reads_a_file_with_lone_cr_line_ends(tmp_path, capsys, monkeypatch):
    (tmp_path / "data.csv").write_bytes(GOOD.replace("\n", "\r").encode())
    code, out, err = run(FIT, capsys, tmp_path, monkeypatch)
    assert code == 0, err
    assert out.startswith("data.csv: 12 rows")


class CountedCopies(list):
    """A list that counts how often it is deep-copied."""

    copies = 0

    def __deepcopy__(self, memo):
        CountedCopies.copies += 1
        return CountedCopies(self)


def test_one_hot_encoding_does_not_copy_the_line_numbers_per_category(tmp_path):
    """pandas deep-copies ``frame.attrs`` (the file line of every row) into each Series it
    derives: encoding an id column of n distinct values copied them n times, time
    proportional to rows x categories (17.6 s for 1,500 ids)."""
    rows = "".join(f"id{i},{i % 5}\n" for i in range(300))
    (tmp_path / "data.csv").write_text("id,price\n" + rows)
    from ember.preprocessing import Preprocessor, read_csv

    frame = read_csv(tmp_path / "data.csv", target="price")
    frame.attrs["lines"] = CountedCopies(frame.attrs["lines"])
    CountedCopies.copies = 0
    features = Preprocessor().fit_transform(frame, target="price")
    assert CountedCopies.copies < 10  # not one per category
    assert features.shape == (300, 301) and features.to_numpy().sum() == 300


def test_the_line_numbers_are_one_array_that_the_split_rows_look_up(tmp_path):
    """pandas deep-copies ``frame.attrs`` into every frame and column it derives: held as
    a list, the line of each of 100,000 rows cost 22 ms a copy (a quarter of ``ember fit``
    before training); as an array, one copy at memory speed. The split keeps the file's
    array whole, and each row its label, its place among the file's rows."""
    from ember.cli.fit import split_rows
    from ember.preprocessing import read_csv
    from ember.preprocessing.errors import row_of

    rows = "".join(f"{i},{2 * i}\n" + ("\n" if i % 3 == 0 else "") for i in range(30))
    (tmp_path / "data.csv").write_text("x,y\n" + rows)
    frame = read_csv(tmp_path / "data.csv", target="y")
    train, test = split_rows(frame, 0.2, seed=0)
    assert (len(train), len(test)) == (24, 6)
    for part in (frame, train, test):
        assert isinstance(part.attrs["lines"], np.ndarray)
        # row x is the file's row x + 1, on line 2 + x + (blank lines before it)
        expected = [(x + 1, 2 + x + (x + 2) // 3) for x in part["x"]]
        assert [row_of(part, position) for position in range(len(part))] == expected


# ember fit: the arguments ----------------------------------------------------------------


def test_target_given_twice_is_a_usage_error(tmp_path, capsys, monkeypatch):
    (tmp_path / "data.csv").write_text(GOOD)
    with pytest.raises(SystemExit) as caught:
        run([*FIT, "--target", "area"], capsys, tmp_path, monkeypatch)
    assert caught.value.code == 2
    assert "--target: given twice ('price', then 'area')" in capsys.readouterr().err
    assert not (tmp_path / "model").exists()


def test_categorical_target_is_an_error(tmp_path, capsys, monkeypatch):
    (tmp_path / "data.csv").write_text(GOOD)
    code, _, err = run([*FIT, "--categorical", "price"], capsys, tmp_path, monkeypatch)
    one_line_error(code, err, "--categorical: 'price' is the target")


def with_ids(rows, distinct=None):
    """GOOD's kind of rows, plus a text column 'id' of ``distinct`` values (one per row)."""
    distinct = distinct or rows
    lines = [f"{i},{'abc'[i % 3]},id{i % distinct},{2 * i + i % 3}\n" for i in range(rows)]
    return "area,city,id,price\n" + "".join(lines)


def test_a_column_of_row_names_is_refused_before_it_becomes_a_feature_per_row(
    model, capsys, monkeypatch
):
    """One-hot, an id column of n rows is an n x n matrix: 20,000 rows ran out of 8 GB
    after 18 s, with a traceback."""
    folder, saved = model
    (folder / "data.csv").write_text(with_ids(300))
    code, out, err = run([*FIT, "--test-size", "0"], capsys, folder, monkeypatch)
    one_line_error(
        code,
        err,
        "ember fit: error: data.csv, column 'id': 300 different values in 300 training rows",
        "names the rows (an id, free text)",
        "leave it out with --drop id",
    )
    assert out == ""  # refused before anything was fitted
    assert_model_unchanged(folder, saved)


def test_drop_leaves_a_column_out_of_the_model_and_predict_ignores_it(
    tmp_path, capsys, monkeypatch
):
    (tmp_path / "data.csv").write_text(with_ids(300))
    code, out, err = run([*FIT, "--drop", "id"], capsys, tmp_path, monkeypatch)
    assert code == 0, err
    assert "5 features after preprocessing" in out and "id_" not in out
    columns = json.loads((tmp_path / "model" / "preprocessor.json").read_text())["columns"]
    assert [column["name"] for column in columns] == ["area", "city"]
    (tmp_path / "new.csv").write_text("area,city,id\n1,a,id7\n2,b,new\n")
    code, out, err = run(["predict", "model", "new.csv"], capsys, tmp_path, monkeypatch)
    assert code == 0, err
    assert out.splitlines()[0] == "area,city,id,predicted_price"


@pytest.mark.parametrize(
    "rows, distinct, refused",
    [(300, 101, False), (150, 100, False), (202, 101, False), (200, 101, True)],
    ids=["101 in 300 rows", "100 in 150 rows", "101 in 202 rows", "101 in 200 rows"],
)
def test_many_categories_are_kept_unless_they_name_half_the_rows(
    rows, distinct, refused, tmp_path, capsys, monkeypatch
):
    """Refused: more than 100 categories, and more than half as many as training rows."""
    (tmp_path / "data.csv").write_text(with_ids(rows, distinct))
    code, out, err = run([*FIT, "--test-size", "0"], capsys, tmp_path, monkeypatch)
    if refused:
        one_line_error(code, err, f"{distinct} different values in {rows} training rows")
    else:
        assert code == 0, err
        features = 1 + 4 + distinct + 1  # area; city a, b, c, nan; the ids and id_nan
        assert f"{features} features after preprocessing" in out


@pytest.mark.parametrize(
    "options, message",
    [
        (["--drop", "rooms"], "--drop: no column 'rooms' in data.csv"),
        (["--drop", "price"], "--drop: 'price' is the target"),
        (["--drop", "area", "--categorical", "area"], "--categorical and --drop both name 'area'"),
    ],
    ids=["unknown column", "the target", "also categorical"],
)
def test_drop_names_columns_other_than_the_target(options, message, tmp_path, capsys, monkeypatch):
    (tmp_path / "data.csv").write_text(GOOD)
    code, out, err = run([*FIT, *options], capsys, tmp_path, monkeypatch)
    one_line_error(code, err, f"ember fit: error: {message}")
    assert out == "" and not (tmp_path / "model").exists()


@pytest.mark.parametrize(
    "raised, shown",
    [
        (MemoryError("Unable to allocate 1.91 GiB for an array"), "Unable to allocate 1.91 GiB"),
        (MemoryError(), "the data does not fit in this machine's memory"),
    ],
    ids=["NumPy's", "LAPACK's"],
)
def test_running_out_of_memory_is_one_line_and_keeps_the_old_model(
    raised, shown, model, capsys, monkeypatch
):
    folder, saved = model

    def out_of_memory(X, y):
        raise raised

    monkeypatch.setattr("ember.cli.fit.closed_form", out_of_memory)
    code, _, err = run(FIT, capsys, folder, monkeypatch)
    one_line_error(code, err, f"ember fit: error: out of memory: {shown}")
    assert_model_unchanged(folder, saved)


def test_out_that_is_a_file_fails_before_training(tmp_path, capsys, monkeypatch):
    (tmp_path / "data.csv").write_text(GOOD)
    (tmp_path / "notes").write_text("mine")
    code, out, err = run([*FIT, "--out", "notes"], capsys, tmp_path, monkeypatch)
    one_line_error(code, err, "--out notes: exists and is not a folder")
    assert out == ""  # nothing was trained for nothing
    assert (tmp_path / "notes").read_text() == "mine"


def test_a_failed_save_keeps_the_old_model_and_preprocessor_together(model, capsys, monkeypatch):
    """The second file failing to write (a full disk) must not leave a new model.json
    beside the old preprocessor.json."""
    folder, saved = model
    (folder / "data.csv").write_text(GOOD.replace("abc"[1], "d"))  # other categories
    real_fsync, calls = os.fsync, []

    def full_disk_on_second_file(descriptor):
        calls.append(descriptor)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(descriptor)

    monkeypatch.setattr(ember.preprocessing.atomic.os, "fsync", full_disk_on_second_file)
    with pytest.raises(OSError, match="No space left"):
        run(FIT, capsys, folder, monkeypatch)
    assert_model_unchanged(folder, saved)


def test_a_constant_target_is_fitted_exactly_without_a_huge_percentage(
    tmp_path, capsys, monkeypatch
):
    (tmp_path / "data.csv").write_text("area,price\n" + "".join(f"{i},5\n" for i in range(8)))
    code, out, _ = run(FIT, capsys, tmp_path, monkeypatch)
    assert code == 0
    gap = [line for line in out.splitlines() if line.startswith("SGD vs closed form")][0]
    assert "the closed form fits the data exactly" in gap and "%" not in gap


# ember predict ---------------------------------------------------------------------------


def test_predict_rejects_infinite_values(model, capsys, monkeypatch):
    folder, _ = model
    (folder / "new.csv").write_text("area,city\n1,a\ninf,b\n")
    code, out, err = run(["predict", "model", "new.csv"], capsys, folder, monkeypatch)
    one_line_error(code, err, "new.csv, row 2 (line 3), column 'area'", "inf")
    assert out == ""


def test_predict_output_that_is_a_folder(model, capsys, monkeypatch):
    folder, _ = model
    (folder / "new.csv").write_text("area,city\n1,a\n")
    (folder / "results").mkdir()
    argv = ["predict", "model", "new.csv", "-o", "results"]
    code, _, err = run(argv, capsys, folder, monkeypatch)
    one_line_error(code, err, "results: is a folder")
    assert os.listdir(folder / "results") == []


def test_predict_with_a_file_for_a_model_folder(model, capsys, monkeypatch):
    folder, _ = model
    code, _, err = run(["predict", "data.csv", "data.csv"], capsys, folder, monkeypatch)
    one_line_error(code, err, "data.csv: is a file, not a model folder")


def damage_weights(state):
    state["weight"] = ["oops"] * len(state["weight"])


def damage_a_column(state):
    del state["columns"][0]["mean"]


def drop_columns(state):
    del state["columns"]


DAMAGE = {
    "text weights": ("model.json", damage_weights, "model.json: is damaged: its weights"),
    "column without mean": (
        "preprocessor.json",
        damage_a_column,
        "preprocessor.json: is damaged: column 'area' has no valid 'mean'",
    ),
    "no columns": ("preprocessor.json", drop_columns, "'columns' is not a list"),
}
# a mean or scale no fit gives: predictions came out empty or infinite, with exit code 0
for key, value in [("mean", math.nan), ("mean", math.inf), ("scale", 0.0), ("scale", -1.0)]:
    DAMAGE[f"{key} {value}"] = (
        "preprocessor.json",
        lambda state, key=key, value=value: state["columns"][0].update({key: value}),
        "preprocessor.json: is damaged: column 'area' has a 'mean' or 'scale' no fit can give",
    )


@pytest.mark.parametrize("case", list(DAMAGE))
def test_predict_with_a_damaged_model_file(case, model, capsys, monkeypatch):
    folder, _ = model
    name, damage, fragment = DAMAGE[case]
    state = json.loads((folder / "model" / name).read_text())
    damage(state)
    (folder / "model" / name).write_text(json.dumps(state))
    code, _, err = run(["predict", "model", "data.csv"], capsys, folder, monkeypatch)
    one_line_error(code, err, fragment)


def test_predict_with_a_binary_model_file(model, capsys, monkeypatch):
    folder, _ = model
    (folder / "model" / "model.json").write_bytes(b"\xff\xfe\x00\x01 not json")
    code, _, err = run(["predict", "model", "data.csv"], capsys, folder, monkeypatch)
    one_line_error(code, err, "model.json: not valid JSON")


# Found by the twenty-second day's audit -------------------------------------------------


@pytest.mark.parametrize("output", ["data.csv", "model/model.json", "model/preprocessor.json"])
def test_predict_will_not_write_over_one_of_its_inputs(model, capsys, monkeypatch, output):
    folder, saved = model
    code, _, err = run(["predict", "model", "data.csv", "-o", output], capsys, folder, monkeypatch)
    one_line_error(code, err, f"-o {output}", "an input of this run")
    assert (folder / "data.csv").read_text() == GOOD
    assert_model_unchanged(folder, saved)


def test_predict_writes_through_a_symbolic_link_and_keeps_the_files_mode(
    model, capsys, monkeypatch
):
    folder, _ = model
    (folder / "target.csv").write_text("old\n")
    os.chmod(folder / "target.csv", 0o600)
    (folder / "link.csv").symlink_to(folder / "target.csv")
    code, _, _ = run(
        ["predict", "model", "data.csv", "-o", "link.csv"], capsys, folder, monkeypatch
    )
    assert code == 0 and (folder / "link.csv").is_symlink()
    assert (folder / "target.csv").read_text().startswith("area,city,price,predicted_price")
    assert (os.stat(folder / "target.csv").st_mode & 0o777) == 0o600


def test_predict_writes_into_a_device_rather_than_replace_it(model, capsys, monkeypatch):
    folder, _ = model
    try:
        os.mknod(folder / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
    except PermissionError:
        pytest.skip("making a device file needs root")
    code, _, _ = run(["predict", "model", "data.csv", "-o", "null"], capsys, folder, monkeypatch)
    assert code == 0 and stat.S_ISCHR(os.stat(folder / "null").st_mode)


def test_fit_takes_every_drop_and_categorical_given(tmp_path, capsys, monkeypatch):
    (tmp_path / "data.csv").write_text(
        "rooms,area,code,city,price\n"
        + "".join(f"{i % 4},{i},{i % 3},{'ab'[i % 2]},{3 * i}\n" for i in range(1, 13))
    )
    argv = FIT + ["--drop", "rooms", "--drop", "area", "--categorical", "code"]
    assert run(argv, capsys, tmp_path, monkeypatch)[0] == 0
    columns = json.loads((tmp_path / "model" / "preprocessor.json").read_text())["columns"]
    assert {column["name"]: column["kind"] for column in columns} == {
        "code": "categorical",
        "city": "categorical",
    }


@pytest.mark.parametrize("seed", ["-1", str(2**64)])
def test_a_seed_out_of_range_is_a_usage_mistake(tmp_path, capsys, monkeypatch, seed):
    (tmp_path / "data.csv").write_text(GOOD)
    with pytest.raises(SystemExit) as stop:
        run(FIT + ["--seed", seed], capsys, tmp_path, monkeypatch)
    assert stop.value.code == 2 and "expected a seed from 0 to 2**64 - 1" in capsys.readouterr().err
