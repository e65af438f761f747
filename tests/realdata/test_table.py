"""The pilot's input: every kind of table accepted, every CSV problem a pinned one-line error
(on the API and through the command line)."""

from __future__ import annotations

import numpy as np
import pytest

from quadtheory import QuadTheoryError
from quadtheory._src.cli.main import main
from quadtheory._src.realdata.table import MIN_ROWS, load_table


def write(path, header, rows):
    path.write_text("\n".join([",".join(header), *(",".join(map(str, r)) for r in rows)]) + "\n")
    return path


def good_rows(n=30):
    return [[k, (k * 7) % 11, f"c{k % 3}", k * 0.5] for k in range(n)]


HEADER = ["x1", "x2", "colour", "y"]

# (name, header, rows, target, options, message): one per kind of bad CSV.
BAD = [
    ("empty file", None, None, "y", {},
     r"bad.csv: empty file; expected a header row of column names and at least 20 data rows"),
    ("header only", ["a", "y"], [], "y", {},
     r"bad.csv: 0 data rows; the pilot needs at least 20 \(a quarter is held out"),
    ("missing target", HEADER, good_rows(), "price", {"one_hot": ["colour"]},
     r"--target 'price': no column of that name in bad.csv; columns: x1, x2, colour, y"),
    ("non-numeric", HEADER, good_rows(), "y", {},
     r"bad.csv: column 'colour' \(line 2: 'c0'\) is not numeric; drop it, or pass --one-hot "
     r"colour to encode it as one 0/1 column per value"),
    ("nans", HEADER, [*good_rows()[:5], [1, "", "c1", 2], [2, 3, "c0", "NaN"], *good_rows()[5:]],
     "y", {"one_hot": ["colour"]},
     r"bad.csv: missing values \(empty or NaN\) in 2 row\(s\): line 7, line 8 \(column\(s\) "
     r"x2, y\); drop or fill them"),
    ("constant column", ["x1", "k", "y"], [[k, 1, k * 2.0] for k in range(25)], "y", {},
     r"bad.csv: constant column\(s\) 'k' \(every row 1\); drop them"),
    ("too few rows", HEADER, good_rows(12), "y", {"one_hot": ["colour"]},
     r"bad.csv: 12 data rows; the pilot needs at least 20"),
    ("ragged row", HEADER, [*good_rows()[:3], [1, 2, 3], *good_rows()[3:]], "y", {},
     r"bad.csv: line 5 has 3 fields, the header has 4"),
    ("bad one-hot", HEADER, good_rows(), "y", {"one_hot": ["shape"]},
     r"--one-hot 'shape': expected a feature column; columns: x1, x2, colour"),
    ("text target for regression", ["x1", "x2", "kind"], [[k, k % 5, "ab"[k % 2]]
                                                         for k in range(30)], "kind",
     {"task": "regression"}, r"bad.csv: target 'kind' is not numeric \(line 2: 'a'\); pass "
     r"--task classification"),
    ("single class", ["x1", "x2", "kind"], [[k, k % 5, "a"] for k in range(30)], "kind", {},
     r"bad.csv: target 'kind' has a single class \('a'\): nothing to predict"),
    ("rare class", ["x1", "x2", "kind"], [[k, k % 5, "b" if k == 3 else "a"] for k in range(30)],
     "kind", {}, r"bad.csv: class\(es\) 'b' of target 'kind' have a single row"),
    ("constant target", ["x1", "y"], [[k, 2.5] for k in range(30)], "y",
     {"task": "regression"}, r"bad.csv: target 'y' is constant \(every row 2.5\)"),
    ("bad header", ["x1", "x1", "y"], [[k, k, k] for k in range(30)], "y", {},
     r"bad.csv: line 1: expected a header of distinct, non-empty column names"),
]


@pytest.mark.parametrize(("name", "header", "rows", "target", "options", "message"), BAD,
                         ids=[case[0] for case in BAD])
def test_bad_csv_is_one_pinned_error(name, header, rows, target, options, message, tmp_path):
    path = tmp_path / "bad.csv"
    if header is None:
        path.write_text("\n\n")
    else:
        write(path, header, rows)
    with pytest.raises(QuadTheoryError, match=message):
        load_table(path, target, **options)


@pytest.mark.parametrize("case", [BAD[0], BAD[3], BAD[4]], ids=lambda c: c[0])
def test_bad_csv_through_the_command_line(case, tmp_path, capsys):
    _, header, rows, target, options, _ = case
    path = tmp_path / "bad.csv"
    if header is None:
        path.write_text("")
    else:
        write(path, header, rows)
    argv = ["pilot", str(path), "--target", target, "--out", str(tmp_path / "o")]
    if "one_hot" in options:
        argv += ["--one-hot", ",".join(options["one_hot"])]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("quadtheory: error: ") and err.count("\n") == 1


def test_missing_file(tmp_path):
    with pytest.raises(QuadTheoryError, match=r"nope.csv: no such file"):
        load_table(tmp_path / "nope.csv", "y")


def test_one_hot_and_task_inference(tmp_path):
    table = load_table(write(tmp_path / "t.csv", HEADER, good_rows()), "y", one_hot=["colour"])
    assert table.names == ("x1", "x2", "colour=c0", "colour=c1", "colour=c2")
    assert table.task == "regression" and table.x.shape == (30, 5)
    assert table.x[:, 2:].sum(axis=1).tolist() == [1.0] * 30
    labels = load_table(write(tmp_path / "c.csv", ["x1", "x2", "y"],
                              [[k, k % 4, k % 3] for k in range(30)]), "y")
    assert labels.task == "classification" and labels.classes == ("0", "1", "2")
    assert labels.y.dtype == np.int64
    forced = load_table(tmp_path / "c.csv", "y", task="regression")
    assert forced.task == "regression" and forced.y.dtype == np.float64


def test_every_kind_of_input_gives_the_same_table(tmp_path):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(MIN_ROWS, 2)), rng.normal(size=MIN_ROWS)
    from_arrays = load_table((x, y))
    from_dict = load_table({"x1": x[:, 0], "x2": x[:, 1], "y": y}, "y")

    class Frame:
        """What the pilot reads of a pandas DataFrame: columns, and to_numpy per column."""

        columns = ("x1", "x2", "y")

        def __getitem__(self, name):
            column = {"x1": x[:, 0], "x2": x[:, 1], "y": y}[name]
            return type("Series", (), {"to_numpy": lambda self: column})()

    from_frame = load_table(Frame(), "y")
    for table in (from_dict, from_frame):
        assert np.array_equal(table.x, from_arrays.x) and np.array_equal(table.y, from_arrays.y)
        assert table.names == from_arrays.names == ("x1", "x2")
    assert from_dict.fingerprint == from_arrays.fingerprint


def test_a_pandas_dataframe_when_pandas_is_installed():
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({"a": np.arange(25.0), "b": np.arange(25) % 4,
                              "kind": ["u", "v"] * 12 + ["u"]})
    table = load_table(frame, "kind")
    assert table.task == "classification" and table.classes == ("u", "v")


@pytest.mark.parametrize(("data", "message"), [
    ((np.zeros((20, 2)), np.zeros(19)), r"\(X, y\): expected X of shape \(rows, features\)"),
    ({"a": [1, 2], "b": [1]}, r"columns: expected equal lengths"),
    (42, r"data: expected a CSV path, a dict of columns, a DataFrame or \(X, y\) arrays, found "
         r"int"),
])
def test_bad_inputs(data, message):
    with pytest.raises(QuadTheoryError, match=message):
        load_table(data, "y")
