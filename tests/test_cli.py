"""The ``ember`` command, run as a user runs it: a subprocess on real files (SPEC X1, X2, P3)."""

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from ember.cli.main import main

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def ember_command(*args, cwd):
    """Run ``ember ARGS`` in ``cwd``; returns the CompletedProcess (text)."""
    env = dict(os.environ, MPLBACKEND="Agg")
    env.pop("TQDM_DISABLE", None)
    return subprocess.run(
        [sys.executable, "-m", "ember.cli.main", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_in_process(argv, capsys, cwd, monkeypatch):
    """``main(argv)`` in this process (fast); returns (exit code, stdout, stderr)."""
    monkeypatch.chdir(cwd)
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code, err, *fragments):
    assert code == 1
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[-1].startswith("ember ") and "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[-1]


def assert_png(path):
    with open(path, "rb") as file:
        assert file.read(8) == PNG_MAGIC, f"{path} is not a PNG"
    assert os.path.getsize(path) > 1000


def assert_user_error(done, *fragments):
    """Exit code 1, a one-line message, no traceback."""
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    progress_bars = [line for line in lines[:-1] if "batch/s" in line or "batch]" in line]
    assert lines[-1].startswith("ember ") and len(progress_bars) == len(lines) - 1, done.stderr
    for fragment in fragments:
        assert fragment in lines[-1]


def test_the_command_line_starts_without_pandas_or_matplotlib():
    """They take longer to import than ember: a command loads them when it reads a CSV
    or draws, so ``ember --help`` and ``ember train`` do not wait for what they skip."""
    script = (
        "import sys\n"
        "from ember.cli.main import build_parser\n"
        "build_parser()\n"
        "print(sorted({'pandas', 'matplotlib'} & set(sys.modules)))\n"
        "from ember.preprocessing import read_csv\n"
        "print('pandas' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], check=True, timeout=60, capture_output=True, text=True
    )
    assert result.stdout.split("\n")[:2] == ["[]", "True"]


# X1: ember train linreg ------------------------------------------------------------


def parse_parameters(stdout):
    """Learned w, b and their errors from the run's last lines."""
    found = {}
    for line in stdout.splitlines():
        if line.startswith("w = "):
            w_text, error_text = line[4:].split(", error in estimating w: ")
            found["w"], found["w_error"] = json.loads(w_text), json.loads(error_text)
        if line.startswith("b = "):
            b_text, error_text = line[4:].split(", error in estimating b: ")
            found["b"], found["b_error"] = float(b_text), float(error_text)
    return found


def test_train_linreg_reaches_the_true_parameters_and_plots(tmp_path):
    done = ember_command("train", "linreg", "--out", "plots", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    epochs = [line for line in done.stdout.splitlines() if line.startswith("epoch ")]
    assert [line.split(",")[0] for line in epochs] == ["epoch 1", "epoch 2", "epoch 3"]
    assert all(line.split(", loss ")[1].startswith("0.0") for line in epochs)
    found = parse_parameters(done.stdout)
    assert np.allclose(found["w"], [2, -3.4], atol=0.01) and abs(found["b"] - 4.2) < 0.01
    assert max(abs(e) for e in found["w_error"]) < 0.01 and abs(found["b_error"]) < 0.01
    assert "epoch 1/3" in done.stderr  # the progress bar
    assert_png(tmp_path / "plots" / "linreg_loss.png")
    assert_png(tmp_path / "plots" / "linreg_data.png")


@pytest.mark.slow
def test_train_linreg_concise(tmp_path):
    pytest.importorskip("ember.optim").SGD
    done = ember_command("train", "linreg", "--concise", "--seed", "3", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "concise" in done.stdout
    found = parse_parameters(done.stdout)
    assert np.allclose(found["w"], [2, -3.4], atol=0.01) and abs(found["b"] - 4.2) < 0.01
    assert_png(tmp_path / "out" / "linreg_concise_loss.png")


def test_train_linreg_that_diverges_says_so(tmp_path, capsys, monkeypatch):
    argv = ["train", "linreg", "--lr", "50", "--epochs", "2"]
    code, _, err = run_in_process(argv, capsys, tmp_path, monkeypatch)
    assert_one_line_error(code, err, "diverged", "--lr")


@pytest.mark.slow
def test_train_softmax_on_digits(tmp_path):
    pytest.importorskip("sklearn")
    done = ember_command("train", "softmax", "--epochs", "3", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("epoch ")]
    assert len(lines) == 3 and "train acc" in lines[0] and "test acc" in lines[0]
    assert float(lines[-1].rsplit("test acc ", 1)[1]) > 0.8
    assert_png(tmp_path / "out" / "softmax_curves.png")


def test_train_softmax_without_scikit_learn_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)  # import now fails
    code, _, err = run_in_process(["train", "softmax"], capsys, tmp_path, monkeypatch)
    assert_one_line_error(code, err, "needs scikit-learn", "pip install scikit-learn")


# X2: ember fit and ember predict ---------------------------------------------------

TRUE = {"area": 3.0, "rooms": -2.0, "intercept": 5.0, "city": {"a": 0.0, "b": 4.0, "c": -1.5}}


def house_frame(n=400, seed=0):
    """Known linear data with a categorical column, missing cities and a few missing rooms."""
    rng = np.random.default_rng(seed)
    area = rng.normal(10, 3, n).round(4)
    rooms = rng.integers(1, 6, n).astype(float)
    city = rng.choice(["a", "b", "c"], n)
    price = (
        TRUE["area"] * area
        + TRUE["rooms"] * rooms
        + np.array([TRUE["city"][c] for c in city])
        + TRUE["intercept"]
        + rng.normal(0, 0.05, n)
    )
    frame = pd.DataFrame({"area": area, "rooms": rooms, "city": city, "price": price.round(5)})
    frame.loc[rng.choice(n, 8, replace=False), "city"] = None
    frame.loc[rng.choice(n, 3, replace=False), "rooms"] = None
    return frame


def coefficients(stdout):
    """{name: (closed form, SGD)} from fit's coefficient table."""
    table, reading = {}, False
    for line in stdout.splitlines():
        if line.startswith("coefficients"):
            reading = True
        elif reading and line.startswith("  ") and len(line.split()) == 3:
            name, exact, sgd = line.split()
            if name != "closed":
                table[name] = (float(exact), float(sgd))
        elif reading and not line.startswith("  "):
            break
    return table


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fit")
    house_frame().to_csv(folder / "houses.csv", index=False)
    done = ember_command("fit", "houses.csv", "--target", "price", "--out", "model", cwd=folder)
    return folder, done


def test_python_dash_m_ember_is_the_ember_command():
    done = subprocess.run(
        [sys.executable, "-m", "ember", "fit", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: ember fit ")


def test_fit_recovers_known_coefficients_and_sgd_agrees(fitted):
    folder, done = fitted
    assert done.returncode == 0, done.stderr
    table = coefficients(done.stdout)
    for name in ("area", "rooms"):
        exact, sgd = table[name]
        assert exact == pytest.approx(TRUE[name], abs=0.05)
        assert sgd == pytest.approx(exact, abs=0.02)
    for city in ("b", "c"):  # one-hot columns are known up to a shared shift
        exact_gap = table[f"city_{city}"][0] - table["city_a"][0]
        sgd_gap = table[f"city_{city}"][1] - table["city_a"][1]
        assert exact_gap == pytest.approx(TRUE["city"][city], abs=0.1)
        assert sgd_gap == pytest.approx(exact_gap, abs=0.05)
    assert "SGD vs closed form" in done.stdout and "R²" in done.stdout
    assert "% above the optimum" in done.stdout  # noisy data: the optimum's MSE is not 0
    assert "320 train, 80 test" in done.stdout
    assert sorted(os.listdir(folder / "model")) == ["model.json", "preprocessor.json"]


def test_fit_on_data_on_a_plane_says_the_fit_is_exact(tmp_path):
    x = np.arange(40.0)
    pd.DataFrame({"x": x, "y": 3 * x - 2}).to_csv(tmp_path / "line.csv", index=False)
    done = ember_command("fit", "line.csv", "--target", "y", "--out", "model", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    [gap] = [line for line in done.stdout.splitlines() if line.startswith("SGD vs closed form")]
    assert gap.endswith("where the closed form fits the data exactly")
    assert "%" not in gap  # a ratio to an optimum of 0 would be rounding noise


def test_fit_counts_one_row_and_one_feature_in_the_singular(tmp_path, capsys, monkeypatch):
    (tmp_path / "one.csv").write_text("x,y\n2,5\n")
    argv = ["fit", "one.csv", "--target", "y", "--solver", "closed-form"]
    code, out, err = run_in_process(argv, capsys, tmp_path, monkeypatch)
    assert code == 0, err
    assert out.startswith("one.csv: 1 row (1 train, 0 test), target 'y', 1 feature after")


def test_fit_closed_form_equals_numpy_lstsq(fitted):
    from ember.cli.fit import split_rows
    from ember.preprocessing import Preprocessor, read_csv

    folder, _ = fitted
    model = json.loads((folder / "model" / "model.json").read_text())
    assert model["solver"] == "closed-form"
    pre = Preprocessor.load(folder / "model" / "preprocessor.json")
    train, _ = split_rows(read_csv(folder / "houses.csv", target="price"), 0.2, seed=0)
    X = pre.transform(train).to_numpy()
    A = np.hstack([X, np.ones((len(X), 1))])
    solution = np.linalg.lstsq(A, train["price"].to_numpy(), rcond=None)[0]
    np.testing.assert_allclose(model["weight"], solution[:-1], rtol=1e-7, atol=1e-9)
    assert model["bias"] == pytest.approx(solution[-1], rel=1e-7)
    assert model["features"] == pre.feature_names


def test_predict_applies_the_saved_preprocessor(fitted):
    folder, _ = fitted
    new = pd.DataFrame(
        {"city": ["b", "zurich", None], "rooms": [2.0, None, 1.0], "area": [10.0, 12.0, None]}
    )
    new.to_csv(folder / "new.csv", index=False)
    done = ember_command("predict", "model", "new.csv", "-o", "pred.csv", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "note: column 'city' has 1 category not seen in training ('zurich'; 1 row): "
        "their one-hot features are all 0",
        "wrote 3 predictions to pred.csv",
    ]
    out = pd.read_csv(folder / "pred.csv")
    assert list(out.columns) == ["city", "rooms", "area", "predicted_price"]
    model = json.loads((folder / "model" / "model.json").read_text())
    state = json.loads((folder / "model" / "preprocessor.json").read_text())
    columns = {c["name"]: c for c in state["columns"]}

    def standardized(name, value):
        value = columns[name]["mean"] if value is None else value
        return (value - columns[name]["mean"]) / columns[name]["scale"]

    rows = [  # by hand: fill with the training mean, standardise, one-hot (unseen -> zeros)
        [standardized("area", 10.0), standardized("rooms", 2.0), 0, 1, 0, 0],
        [standardized("area", 12.0), standardized("rooms", None), 0, 0, 0, 0],
        [standardized("area", None), standardized("rooms", 1.0), 0, 0, 0, 1],
    ]
    expected = np.array(rows) @ np.array(model["weight"]) + model["bias"]
    np.testing.assert_allclose(out["predicted_price"], expected, rtol=1e-9)
    assert out["predicted_price"][0] == pytest.approx(3 * 10 - 2 * 2 + 4 + 5, abs=0.2)


def test_predict_to_stdout_reports_error_when_target_present(fitted):
    folder, _ = fitted
    house_frame(50, seed=1).to_csv(folder / "more.csv", index=False)
    done = ember_command("predict", "model", "more.csv", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "area,rooms,city,price,predicted_price"
    assert len(done.stdout.splitlines()) == 51
    r2 = float(done.stderr.split("R² ")[1].split()[0])
    assert "50 rows with 'price'" in done.stderr and r2 > 0.95


def test_predict_writes_the_input_columns_as_the_file_wrote_them(fitted, capsys, monkeypatch):
    folder, _ = fitted
    rows = ["id,area,rooms,city", "007,10.50,2,b", "008, 12 ,NA,a", ",,,", '009,"9",03,c']
    (folder / "text.csv").write_text("\n".join(rows) + "\n")
    code, out, err = run_in_process(["predict", "model", "text.csv"], capsys, folder, monkeypatch)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "id,area,rooms,city,predicted_price"
    # Each row keeps its text (a number-reading round trip gives 7, 10.5, 12.0, nan, 3.0),
    # and its prediction is the one for the values read from it.
    written = [line.rsplit(",", 1)[0] for line in lines[1:]]
    assert written == ["007,10.50,2,b", "008, 12 ,NA,a", "009,9,03,c"]
    predicted = [float(line.rsplit(",", 1)[1]) for line in lines[1:]]
    read = pd.DataFrame({"area": [10.5, 12.0, 9.0], "rooms": [2, None, 3], "city": ["b", "a", "c"]})
    (folder / "read.csv").write_text(read.to_csv(index=False))
    code, out, _ = run_in_process(["predict", "model", "read.csv"], capsys, folder, monkeypatch)
    expected = [float(line.rsplit(",", 1)[1]) for line in out.splitlines()[1:]]
    assert predicted == expected


def test_fit_solver_choice(tmp_path, capsys, monkeypatch):
    house_frame(120).to_csv(tmp_path / "h.csv", index=False)
    argv = ["fit", "h.csv", "--target", "price", "--solver", "sgd", "--epochs", "30"]
    code, out, _ = run_in_process(argv, capsys, tmp_path, monkeypatch)
    assert code == 0
    assert "SGD vs closed form" not in out and "closed form" not in out
    assert json.loads((tmp_path / "model" / "model.json").read_text())["solver"] == "sgd"


def sgd_line(out):
    return next(line for line in out.splitlines() if line.startswith("SGD: "))


def test_fit_runs_fewer_epochs_by_default_on_a_file_of_many_minibatches(
    tmp_path, capsys, monkeypatch
):
    """100 epochs, or about MOST_DEFAULT_STEPS steps on a large file: made small here, so
    that 120 rows (96 for training, 3 minibatches of 32) count as large."""
    from ember.cli import fit

    monkeypatch.setattr(fit, "MOST_DEFAULT_STEPS", 40)
    monkeypatch.setattr(fit, "FEWEST_DEFAULT_STEPS", 10)
    house_frame(120).to_csv(tmp_path / "h.csv", index=False)
    argv = ["fit", "h.csv", "--target", "price", "--solver", "sgd"]
    code, out, err = run_in_process(argv, capsys, tmp_path, monkeypatch)
    assert code == 0
    assert sgd_line(out).startswith(
        "SGD: 14 epochs (not 100: 3 minibatches each; --epochs for more), "
        "lr 0.05 decaying to 0.005, final training MSE "
    )
    assert "SGD epoch 14/14" in err and "SGD epoch 15" not in err
    code, out, _ = run_in_process([*argv, "--epochs", "14"], capsys, tmp_path, monkeypatch)
    assert sgd_line(out).startswith("SGD: 14 epochs, lr 0.05 decaying to 0.005, ")


def test_fit_runs_more_epochs_by_default_on_a_small_file(tmp_path, capsys, monkeypatch):
    """26 training rows are one minibatch: 100 steps left SGD's R² at -1.1 there."""
    house_frame(32).to_csv(tmp_path / "h.csv", index=False)
    argv = ["fit", "h.csv", "--target", "price", "--solver", "both"]
    code, out, _ = run_in_process(argv, capsys, tmp_path, monkeypatch)
    assert code == 0
    assert sgd_line(out).startswith(
        "SGD: 1000 epochs (not 100: 1 minibatch each, a small file; --epochs for fewer), "
    )
    excess = float(out.split("training MSE +")[1].split("%")[0])
    assert excess < 1, out  # percent above the optimum's training MSE


def test_fit_default_epochs():
    from ember.cli.fit import default_epochs

    assert default_epochs(1) == 1000  # a class exercise's 30 rows: 1,000 steps at least
    assert default_epochs(3) == 334
    assert default_epochs(10) == 100  # 1,000 steps: the notes' 100 epochs
    assert default_epochs(25) == 100
    assert default_epochs(200) == 100
    assert default_epochs(201) == 100  # 20,100 steps: ceil(20,000 / 201) is 100
    assert default_epochs(2500) == 8  # 80,000 rows in minibatches of 32
    assert default_epochs(31_250) == 2  # a million rows: two epochs, so the rate decays


def test_fit_for_one_epoch_does_not_claim_a_decaying_rate(tmp_path, capsys, monkeypatch):
    house_frame(120).to_csv(tmp_path / "h.csv", index=False)
    argv = ["fit", "h.csv", "--target", "price", "--solver", "sgd", "--epochs", "1"]
    code, out, _ = run_in_process(argv, capsys, tmp_path, monkeypatch)
    assert code == 0
    assert sgd_line(out).startswith("SGD: 1 epoch, lr 0.05, final training MSE ")


def test_fit_that_diverges_says_so(tmp_path, capsys, monkeypatch):
    house_frame(120).to_csv(tmp_path / "h.csv", index=False)
    argv = ["fit", "h.csv", "--target", "price", "--solver", "sgd", "--epochs", "3", "--lr", "1e6"]
    code, _, err = run_in_process(argv, capsys, tmp_path, monkeypatch)
    assert_one_line_error(code, err, "SGD diverged in epoch 1 (loss inf)", "--lr")


def test_predict_with_a_damaged_model_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    house_frame(40).to_csv(tmp_path / "h.csv", index=False)
    argv = ["fit", "h.csv", "--target", "price", "--solver", "closed-form"]
    assert run_in_process(argv, capsys, tmp_path, monkeypatch)[0] == 0
    model_file = tmp_path / "model" / "model.json"
    state = json.loads(model_file.read_text())
    del state["features"]
    model_file.write_text(json.dumps(state))
    code, _, err = run_in_process(["predict", "model", "h.csv"], capsys, tmp_path, monkeypatch)
    assert_one_line_error(code, err, "model.json", "has no features")


def test_fit_with_a_seed_repeats_itself(tmp_path, capsys, monkeypatch):
    house_frame(120).to_csv(tmp_path / "h.csv", index=False)
    argv = ["fit", "h.csv", "--target", "price", "--solver", "sgd", "--epochs", "3", "--seed", "5"]
    runs = []
    for _ in range(2):
        code, _, _ = run_in_process(argv, capsys, tmp_path, monkeypatch)
        assert code == 0
        runs.append(json.loads((tmp_path / "model" / "model.json").read_text()))
    assert runs[0] == runs[1]


# P3 through the command line: bad input exits 1, one line, files untouched ----------

BAD_INPUTS = {
    "missing file": (None, "price", ["data.csv: no such file"]),
    "empty file": ("", "price", ["data.csv", "the file is empty"]),
    "ragged rows": (
        "area,price\n1,2\n3,4,5\n",
        "price",
        ["data.csv, row 2 (line 3)", "3 fields but the header has 2"],
    ),
    "unknown target": ("area,price\n1,2\n", "prise", ["no target column 'prise'", "'price'"]),
    "text in a numeric column": (
        "area,price\n1,2\n2,3\nten,4\n3,5\n",
        "price",
        ["data.csv, row 3 (line 4), column 'area'", "'ten' is not a number"],
    ),
    "target with NaN": (
        "area,price\n1,2\n2,\n3,4\n",
        "price",
        ["data.csv, row 2 (line 3), column 'price'", "target is missing"],
    ),
}


def bad_input_folder(tmp_path, case):
    text, target, fragments = BAD_INPUTS[case]
    if text is not None:
        (tmp_path / "data.csv").write_text(text)
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "model.json").write_text("OLD MODEL")
    return ["fit", "data.csv", "--target", target], fragments


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_fit_bad_input(tmp_path, case, capsys, monkeypatch):
    argv, fragments = bad_input_folder(tmp_path, case)
    code, _, err = run_in_process(argv, capsys, tmp_path, monkeypatch)
    assert_one_line_error(code, err, *fragments)
    assert os.listdir(tmp_path / "model") == ["model.json"]
    assert (tmp_path / "model" / "model.json").read_text() == "OLD MODEL"


def test_fit_bad_input_as_a_subprocess(tmp_path):
    argv, fragments = bad_input_folder(tmp_path, "ragged rows")
    done = ember_command(*argv, cwd=tmp_path)
    assert_user_error(done, *fragments)
    assert os.listdir(tmp_path / "model") == ["model.json"]
    assert (tmp_path / "model" / "model.json").read_text() == "OLD MODEL"


def test_predict_bad_input_leaves_the_output_untouched(fitted, capsys, monkeypatch):
    folder, _ = fitted
    (folder / "keep.csv").write_text("OLD PREDICTIONS")
    (folder / "broken.csv").write_text("area,rooms\n1,2\n")
    argv = ["predict", "model", "broken.csv", "-o", "keep.csv"]
    code, _, err = run_in_process(argv, capsys, folder, monkeypatch)
    assert_one_line_error(code, err, "broken.csv", "missing column(s) 'city'")
    assert (folder / "keep.csv").read_text() == "OLD PREDICTIONS"


def test_predict_without_a_model(tmp_path, capsys, monkeypatch):
    (tmp_path / "new.csv").write_text("a\n1\n")
    code, _, err = run_in_process(["predict", "nowhere", "new.csv"], capsys, tmp_path, monkeypatch)
    assert_one_line_error(code, err, "nowhere: no such model folder")
    (tmp_path / "half").mkdir()
    code, _, err = run_in_process(["predict", "half", "new.csv"], capsys, tmp_path, monkeypatch)
    assert_one_line_error(code, err, "model.json: missing")


# ember graph -------------------------------------------------------------------------


def test_graph_prints_dot_and_writes_files(tmp_path):
    done = ember_command("graph", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("digraph ember {") and "DotBackward0" in done.stdout
    assert "y = 28, dy/dx = [0, 4, 8, 12]" in done.stderr


def test_graph_to_a_file(tmp_path, capsys, monkeypatch):
    argv = ["graph", "--expr", "(x * x).sum()", "-o", "g.svg"]
    code, out, _ = run_in_process(argv, capsys, tmp_path, monkeypatch)
    assert code == 0
    if (tmp_path / "g.svg").exists():
        assert (tmp_path / "g.svg").read_bytes().lstrip().startswith(b"<")
    else:
        assert "not installed" in out and (tmp_path / "g.dot").exists()


def test_graph_bad_expression(tmp_path, capsys, monkeypatch):
    code, _, err = run_in_process(["graph", "--expr", "nope(x)"], capsys, tmp_path, monkeypatch)
    assert_one_line_error(code, err, "could not evaluate", "NameError")
    code, _, err = run_in_process(["graph", "--expr", "3"], capsys, tmp_path, monkeypatch)
    assert_one_line_error(code, err, "has no graph")


# Usage: --help everywhere, exit code 2 for mistakes (in-process: fast) ------------------


@pytest.mark.parametrize(
    "argv",
    [[], ["train"], ["train", "linreg"], ["train", "softmax"], ["fit"], ["predict"], ["graph"]],
)
def test_help_at_every_level(argv, capsys):
    with pytest.raises(SystemExit) as caught:
        main([*argv, "--help"])
    assert caught.value.code == 0
    assert "usage: ember" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, fragment",
    [
        ([], "required: COMMAND"),
        (["train"], "required: MODEL"),
        (["train", "linreg", "--epochs", "0"], "expected a positive whole number"),
        (["train", "linreg", "--epochs", "three"], "expected a whole number, got 'three'"),
        (["train", "linreg", "--lr", "fast"], "expected a number, got 'fast'"),
        (["train", "linreg", "--lr", "inf"], "expected a positive number, got inf"),
        (["train", "softmax", "--test-size", "a fifth"], "expected a fraction, got 'a fifth'"),
        (["fit", "x.csv"], "--target"),
        (["fit", "x.csv", "--target", "y", "--test-size", "1.5"], "expected a fraction"),
        (["fit", "x.csv", "--target", "y", "--solver", "magic"], "invalid choice"),
        (["nonsense"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2(argv, fragment, capsys):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert fragment in capsys.readouterr().err


def test_bench_is_registered_when_present():
    from ember.cli.main import build_parser

    try:
        import ember.cli.bench  # noqa: F401
    except ImportError:
        present = False
    else:
        present = True
    _, runners = build_parser()
    assert ("bench" in runners) == present
    assert {"train", "fit", "predict", "graph"} <= set(runners)


def test_a_column_named_categorical_or_dropped_may_hold_words_among_its_codes(
    tmp_path, capsys, monkeypatch
):
    """Postcodes with a few city names: refused as typos in a column of numbers, even
    with --categorical, so the file could not be fitted at all."""
    rows = ["zip,x,y"] + [
        f"{'München' if i % 5 == 0 else ('007', '010', '012')[i % 3]},{i % 7},{2 * (i % 7) + i % 3}"
        for i in range(40)
    ]
    (tmp_path / "codes.csv").write_text("\n".join(rows) + "\n")
    fit = ["fit", "codes.csv", "--target", "y", "--solver", "closed-form", "--test-size", "0"]
    code, _, err = run_in_process(fit, capsys, tmp_path, monkeypatch)
    assert code == 1 and "'München' is not a number" in err  # a typo, unless told otherwise
    assert err.rstrip().endswith("written as codes, say so: --categorical zip")
    code, _, err = run_in_process([*fit, "--categorical", "zip"], capsys, tmp_path, monkeypatch)
    assert code == 0, err
    state = json.loads((tmp_path / "model" / "preprocessor.json").read_text())
    assert state["columns"][0]["categories"] == ["007", "010", "012", "München"]
    code, out, err = run_in_process(
        ["predict", "model", "codes.csv"], capsys, tmp_path, monkeypatch
    )
    assert code == 0 and len(out.splitlines()) == 41, err
    code, _, err = run_in_process([*fit, "--drop", "zip"], capsys, tmp_path, monkeypatch)
    assert code == 0, err
