"""What the real-data studies add to the sweep engine: failed cells named (a rerun retries
them), and the option parsers."""

from __future__ import annotations

import pytest

from quadtheory import QuadTheoryError
from quadtheory._src.crosscheck.engine import Backend, Job
from quadtheory._src.crosscheck.results import ResultsFile, run_resumable
from quadtheory._src.realdata.cells import failed_cells, mean_std, parse_integers, positive


def _square(n: int) -> dict:
    if n < 0:
        raise ValueError(f"negative {n}")
    return {"key": f"n{n}", "square": n * n}


def test_a_failed_cell_is_kept_and_named_and_a_rerun_retries_only_it(tmp_path):
    results = ResultsFile("quadtheory-demo", "demo", ("key", "square"))
    jobs = [Job(f"n{n}", _square, (n,)) for n in (2, -1)]
    run = run_resumable(tmp_path, results, {"epochs": 2}, jobs, Backend())
    with pytest.raises(QuadTheoryError, match=r"demo: 1 of 2 cells failed twice \(kept in .*"
                                              r"results\.json; a rerun with the same --out "
                                              r"retries them\); first: n-1: ValueError: "
                                              r"negative -1"):
        failed_cells(run, ["n-1", "n2"], tmp_path, "demo")
    again = run_resumable(tmp_path, results, {"epochs": 2}, jobs[:1], Backend())
    assert again.resumed == 1 and again.records["n2"]["square"] == 4
    failed_cells(again, ["n2"], tmp_path, "demo")   # nothing failed among these: no error


@pytest.mark.parametrize(("text", "least", "expected"), [
    ("0,1,2", 0, (0, 1, 2)), ("2 0, 2", 0, (2, 0)), ([5, 3], 1, (5, 3)), ("7", 1, (7,))])
def test_parse_integers(text, least, expected):
    assert parse_integers(text, "--seeds", least, "0,1,2") == expected


@pytest.mark.parametrize("text", ["", "a", "1.5", "-1", [True], [1.0], ","])
def test_parse_integers_errors(text):
    with pytest.raises(QuadTheoryError, match=r"--seeds: expected integers >= 0 separated by "
                                              r"commas or spaces, like 0,1,2; found"):
        parse_integers(text, "--seeds", 0, "0,1,2")


def test_positive_and_mean_std():
    assert positive(3, "jobs") == 3
    for bad in (0, True, 2.0, "3"):
        with pytest.raises(QuadTheoryError, match="--jobs: expected a positive integer"):
            positive(bad, "jobs")
    assert mean_std([0.5]) == (0.5, 0.0)
    assert mean_std([1.0, 3.0]) == (2.0, pytest.approx(2**0.5))
