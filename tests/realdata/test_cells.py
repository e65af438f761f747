"""The study machinery: the results store (atomic, resumable, refusing other settings), the
cell runner, and the option parsers."""

from __future__ import annotations

import json

import pytest

from quadtheory import QuadTheoryError
from quadtheory._src.realdata.cells import (
    Store,
    csv_text,
    mean_std,
    output_folder,
    parse_integers,
    positive,
    run_cells,
)


def test_store_writes_both_files_and_resumes(tmp_path):
    store = Store(tmp_path, "demo", {"epochs": 2}, ["key", "score", "widths"])
    store.add({"key": "b/s0", "score": 0.5, "widths": [2, 3]})
    store.add({"key": "a/s0", "score": 0.25, "widths": [1]})
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["format"] == "quadtheory-demo" and data["setup"] == {"epochs": 2}
    assert [c["key"] for c in data["cells"]] == ["a/s0", "b/s0"]
    assert (tmp_path / "results.csv").read_text() == "key,score,widths\na/s0,0.25,1\nb/s0,0.5,2-3\n"
    assert set(Store(tmp_path, "demo", {"epochs": 2}, ["key"]).records) == {"a/s0", "b/s0"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]   # no temp files left


def test_store_refuses_other_settings_other_studies_and_garbage(tmp_path):
    Store(tmp_path, "demo", {"epochs": 2, "lr": 0.1}, ["key"]).add({"key": "a"})
    with pytest.raises(QuadTheoryError, match=r"holds a run with other settings: epochs 2 "
                                              r"\(now 3\); pass another --out or remove it"):
        Store(tmp_path, "demo", {"epochs": 3, "lr": 0.1}, ["key"])
    with pytest.raises(QuadTheoryError, match="holds the results of 'quadtheory-demo', not of "
                                              "quadtheory-pilot; pass another --out"):
        Store(tmp_path, "pilot", {"epochs": 2, "lr": 0.1}, ["key"])
    (tmp_path / "results.json").write_text("{not json")
    with pytest.raises(QuadTheoryError, match=r"results\.json: cannot resume from it"):
        Store(tmp_path, "demo", {}, ["key"])


def test_run_cells_in_order_and_output_folder_errors(tmp_path):
    seen = []
    run_cells(lambda n: {"key": n}, [3, 1, 2], jobs=1, done=seen.append)
    assert seen == [{"key": 3}, {"key": 1}, {"key": 2}]
    (tmp_path / "file").write_text("")
    with pytest.raises(QuadTheoryError, match=r"--out '.*file/sub': cannot create it"):
        output_folder(tmp_path / "file" / "sub")


@pytest.mark.parametrize(("text", "least", "expected"), [
    ("0,1,2", 0, (0, 1, 2)), ("2 0, 2", 0, (2, 0)), ([5, 3], 1, (5, 3)), ("7", 1, (7,))])
def test_parse_integers(text, least, expected):
    assert parse_integers(text, "--seeds", least, "0,1,2") == expected


@pytest.mark.parametrize("text", ["", "a", "1.5", "-1", [True], [1.0], ","])
def test_parse_integers_errors(text):
    with pytest.raises(QuadTheoryError, match=r"--seeds: expected integers >= 0 separated by "
                                              r"commas or spaces, like 0,1,2; found"):
        parse_integers(text, "--seeds", 0, "0,1,2")


def test_positive_mean_std_csv():
    assert positive(3, "jobs") == 3
    for bad in (0, True, 2.0, "3"):
        with pytest.raises(QuadTheoryError, match="--jobs: expected a positive integer"):
            positive(bad, "jobs")
    assert mean_std([0.5]) == (0.5, 0.0)
    assert mean_std([1.0, 3.0]) == (2.0, pytest.approx(2**0.5))
    assert csv_text([], ["a", "b"]) == "a,b\n"
