"""Sweeps are single-writer: one run at a time per output folder (an advisory lock), results
merged by cell key (never overwritten), another grid extends the file, stale temporary files
removed, a corrupted results file refused before anything trains, equivalent target
spellings one setup."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from quadtheory import QuadTheoryError, crosscheck
from quadtheory._src.crosscheck import results as results_module
from quadtheory._src.crosscheck import sweep
from quadtheory._src.crosscheck.cells import Setup
from quadtheory._src.crosscheck.engine import Backend, Job
from quadtheory._src.crosscheck.results import (
    ResultsFile,
    clean_temporary,
    field_problem,
    locked,
    run_resumable,
)
from quadtheory._src.crosscheck.tasks import canonical_target

SQUARES = ResultsFile("quadtheory-test-squares", "test sweep", ("key", "n", "square"),
                      fields={"n": "integer", "square": "integer"})
SETUP = {"grid": "squares"}
TINY = {"widths": [2], "depths": [1], "seeds": 1, "steps": 20, "family": "relu",
        "progress": False}
# Holds the lock of argv[1] the way a run does (flock on DIR/.lock, its pid inside) until killed.
HOLDER = ("import fcntl, os, sys, time\n"
          "fd = os.open(os.path.join(sys.argv[1], '.lock'), os.O_RDWR | os.O_CREAT, 0o644)\n"
          "fcntl.flock(fd, fcntl.LOCK_EX)\n"
          "os.write(fd, b'%d\\n' % os.getpid())\n"
          "print('held', flush=True)\n"
          "time.sleep(60)\n")


def square(n: int) -> dict:
    return {"key": f"n{n}", "n": n, "square": n * n}


def jobs(*ns: int) -> list[Job]:
    return [Job(f"n{n}", square, (n,)) for n in ns]


def saved(folder: Path) -> list[str]:
    return [c["key"] for c in json.loads((folder / "results.json").read_text())["cells"]]


@pytest.fixture
def holder(tmp_path):
    """Another process holding the lock of ``tmp_path``; killed (lock released) at the end."""
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "held\n"
    yield process
    process.kill()
    process.wait()
    process.stdout.close()


# -- the lock ----------------------------------------------------------------------------------

def test_a_second_run_is_refused_while_another_process_holds_the_folder(tmp_path, holder,
                                                                        monkeypatch):
    monkeypatch.setattr(results_module, "LOCK_WAIT", 0.2)
    message = (rf"another run holds {tmp_path} \(pid {holder.pid}\); wait for it to finish or "
               r"use another --out")
    with pytest.raises(QuadTheoryError, match=message):
        run_resumable(tmp_path, SQUARES, SETUP, jobs(1), Backend())
    with pytest.raises(QuadTheoryError, match=message):   # refused before anything trains
        crosscheck("x**2", out=tmp_path, **TINY)
    assert sorted(os.listdir(tmp_path)) == [".lock"]
    holder.kill()           # a killed holder's lock is released by the kernel
    holder.wait()
    run = run_resumable(tmp_path, SQUARES, SETUP, jobs(1), Backend())
    assert run.records["n1"]["square"] == 1 and not (tmp_path / ".lock").exists()


def test_a_second_run_waits_for_a_short_hold(tmp_path, monkeypatch):
    monkeypatch.setattr(results_module, "LOCK_WAIT", 30.0)
    taken, order = threading.Event(), []

    def hold() -> None:
        with locked(tmp_path):
            taken.set()
            time.sleep(0.3)
            order.append("first done")

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait()
    run_resumable(tmp_path, SQUARES, SETUP, jobs(2), Backend())
    order.append("second ran")
    thread.join()
    assert order == ["first done", "second ran"] and saved(tmp_path) == ["n2"]


def test_the_lock_is_released_on_every_path(tmp_path, monkeypatch):
    monkeypatch.setattr(results_module, "LOCK_WAIT", 0.0)

    def interrupted(n: int) -> dict:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_resumable(tmp_path, SQUARES, SETUP, [*jobs(1), Job("n2", interrupted, (2,))],
                      Backend())
    (tmp_path / "results.json").write_text("{")   # the next run fails (corrupted file) ...
    with pytest.raises(QuadTheoryError, match="not JSON"):
        run_resumable(tmp_path, SQUARES, SETUP, jobs(1), Backend())
    assert not (tmp_path / ".lock").exists()
    errors = []     # ... and a run in another thread takes the folder at once
    thread = threading.Thread(target=lambda: errors.append(_try_lock(tmp_path)))
    thread.start()
    thread.join()
    assert errors == [None]


def _try_lock(folder: Path) -> QuadTheoryError | None:
    try:
        with locked(folder):
            return None
    except QuadTheoryError as error:
        return error


def test_the_lock_nests_in_one_thread_and_excludes_other_threads(tmp_path, monkeypatch):
    monkeypatch.setattr(results_module, "LOCK_WAIT", 0.1)
    with locked(tmp_path):
        run_resumable(tmp_path, SQUARES, SETUP, jobs(3), Backend())   # nested: shares it
        found: list[QuadTheoryError | None] = []
        thread = threading.Thread(target=lambda: found.append(_try_lock(tmp_path)))
        thread.start()
        thread.join()
        assert f"(pid {os.getpid()})" in str(found[0])
    assert _try_lock(tmp_path) is None


def test_a_planted_lock_link_is_refused(tmp_path):
    (tmp_path / ".lock").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(QuadTheoryError, match=r"cannot open its lock file .*\.lock"):
        run_resumable(tmp_path, SQUARES, SETUP, jobs(1), Backend())
    assert not (tmp_path / "elsewhere").exists()


# -- merged, never overwritten -----------------------------------------------------------------

def test_two_concurrent_crosschecks_into_one_folder_lose_no_cell(tmp_path, monkeypatch):
    """Two runs at once, other grids, the target spelled two ways (one setup): the second
    waits for the first, then extends its file; each reports its own grid."""
    monkeypatch.setattr(results_module, "LOCK_WAIT", 120.0)
    reports, errors = {}, []

    def run(target: str, width: int) -> None:
        try:
            reports[target] = crosscheck(target, out=tmp_path, **{**TINY, "widths": [width]})
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=a) for a in (("x**2", 2), ("x^2", 3))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["setup"]["target"] == "x**2"
    assert saved(tmp_path) == ["conventional/d1/w2/s0", "conventional/d1/w3/s0"]
    # Each reports its own grid, whichever thread took the lock first.
    assert [reports[t].records[0]["width"] for t in ("x**2", "x^2")] == [2, 3]
    first, second = sorted(reports.values(), key=lambda r: r.others)
    assert first.others == 0 and second.others == 1 and second.as_json()["other_cells"] == 1
    summary = (tmp_path / "summary.md").read_text()   # the second run's
    assert summary.startswith(f"# Cross-check: {second.setup.spelling}\n")
    assert "results.json holds 1 more cell, of other grids with the same settings" in summary


def test_a_writer_that_ignores_the_lock_loses_nothing(tmp_path):
    def intruder(n: int) -> dict:
        # Another writer, mid-run, saves a cell of its own straight into the file.
        SQUARES.save(tmp_path, SETUP, {"x9": {"key": "x9", "n": 9, "square": 81}})
        return square(n)

    run = run_resumable(tmp_path, SQUARES, SETUP, [*jobs(1), Job("n2", intruder, (2,)),
                                                   *jobs(3)], Backend())
    assert saved(tmp_path) == ["n1", "n2", "n3", "x9"] and run.others(["n1", "n2", "n3"]) == 1
    assert (tmp_path / "results.csv").read_text().count("\n") == 5


def test_a_finished_record_is_never_replaced_by_a_failed_one(tmp_path):
    SQUARES.save(tmp_path, SETUP, {"n1": square(1)})
    merged = SQUARES.save(tmp_path, SETUP, {"n1": {"key": "n1", "error": "E", "errors": ["E"]},
                                            "n2": square(2)})
    assert merged == {"n1": square(1), "n2": square(2)}


def test_another_grid_extends_the_sweep(tmp_path):
    run_resumable(tmp_path, SQUARES, SETUP, jobs(1, 2), Backend())
    run = run_resumable(tmp_path, SQUARES, SETUP, jobs(2, 3), Backend())
    assert run.resumed == 1 and saved(tmp_path) == ["n1", "n2", "n3"]
    assert run.others(["n2", "n3"]) == 1


# -- stale temporary files ---------------------------------------------------------------------

def test_stale_temporary_files_are_removed_on_resume(tmp_path):
    stale = [".results.json.a8f3k2.tmp", ".results.csv.x", ".results.json.q1"]
    for name in [*stale, ".notes.txt.tmp", "results.json.bak"]:
        (tmp_path / name).write_text("")
    (tmp_path / ".results.json.dir").mkdir()   # not a file: left alone
    assert clean_temporary(tmp_path) == sorted(stale)
    run_resumable(tmp_path, SQUARES, SETUP, jobs(1), Backend())
    assert sorted(os.listdir(tmp_path)) == [".notes.txt.tmp", ".results.json.dir",
                                            "results.csv", "results.json", "results.json.bak"]


# -- corrupted results files -------------------------------------------------------------------

def _file(cells: object, **top: object) -> str:
    return json.dumps({"format": SQUARES.name, "version": 1, "setup": SETUP, "cells": cells,
                       **top})


@pytest.mark.parametrize(("text", "message"), [
    ("not json", r"not JSON \(Expecting value"),
    ("[" * 100_000 + "]" * 100_000, "not JSON"),
    ("[]", r"expected an object \(the whole results file\), found \[\]"),
    ('{"format": "quadtheory-test-squares"}', "'version' is missing; expected integer"),
    (_file([], version=2), "'version': expected 1, found 2"),
    (_file([], version="1"), "'version': expected integer, found '1'"),
    (_file([], setup=[1]), r"'setup': expected an object, found \[1\]"),
    (_file("abc"), "'cells': expected a list, found 'abc'"),
    (_file([{}]), "cell 0: 'key' is missing; expected text"),
    (_file(["abc"]), r"cell 0: expected an object \(a cell's record\), found 'abc'"),
    (_file([{"key": 7}]), "cell 0: 'key': expected text, found 7"),
    (_file([{"key": "n1", "n": 1}]), r"cell 0 \('n1'\): 'square' is missing; expected integer"),
    (_file([{"key": "n1", "n": "1", "square": 1}]),
     r"cell 0 \('n1'\): 'n': expected integer, found '1'"),
    (_file([{"key": "n1", "n": True, "square": 1}]), "'n': expected integer, found True"),
    (_file([{"key": "n1", "n": 1, "square": 1}, {"key": "n1", "n": 1, "square": 1}]),
     r"cell 1 \('n1'\): its key appears in an earlier cell too"),
    (_file([{"key": "n1", "error": "E", "errors": "E"}]),
     r"cell 0 \('n1'\): 'errors': expected a list of texts, found 'E'"),
    (_file([{"key": "n1", "n": 1, "square": 1, "retried_after": [3]}]),
     r"'retried_after': expected a list of texts, found \[3\]"),
    ('{"format": "quadtheory-test-squares", "version": 1, "setup": {"grid": "squares"}, '
     '"cells": [{"key": "n1", "n": NaN, "square": 1}]}', "'n': expected integer, found nan"),
])
def test_a_corrupted_results_file_is_refused_before_any_cell_runs(tmp_path, text, message):
    (tmp_path / "results.json").write_text(text)
    ran = []
    with pytest.raises(QuadTheoryError, match=rf"{tmp_path / 'results.json'}: (.*: )?{message}"):
        run_resumable(tmp_path, SQUARES, SETUP, [Job("n1", ran.append, (1,))], Backend())
    assert not ran and not (tmp_path / ".lock").exists()


@pytest.mark.parametrize("make", [
    lambda p: p.mkdir(),
    lambda p: p.write_bytes(b"\xff\xfe{"),
    lambda p: p.symlink_to(p.parent / "missing.json"),
])
def test_a_results_file_that_cannot_be_read_is_refused(tmp_path, make):
    make(tmp_path / "results.json")
    with pytest.raises(QuadTheoryError, match=r"results.json: (not a regular file|cannot read "
                                              r"it).*; expected the results of an earlier test "
                                              r"sweep \(fix or remove the file"):
        run_resumable(tmp_path, SQUARES, SETUP, jobs(1), Backend())


def test_a_crosscheck_cell_without_widths_is_refused_before_training(tmp_path, monkeypatch):
    crosscheck("x**2", out=tmp_path, **TINY)
    data = json.loads((tmp_path / "results.json").read_text())
    del data["cells"][0]["widths"]
    data["cells"][0]["bound"]["pieces"] = "8"
    (tmp_path / "results.json").write_text(json.dumps(data))

    def never(*args: object) -> None:
        raise AssertionError("trained before the results file was checked")

    monkeypatch.setattr(sweep, "run_cell", never)
    with pytest.raises(QuadTheoryError, match=r"results.json: cell 0 \('conventional/d1/w2/s0'\)"
                                              r": 'widths' is missing; expected a list of "
                                              r"integers"):
        crosscheck("x**2", out=tmp_path, **{**TINY, "widths": [2, 3]})
    data["cells"][0]["widths"] = [1, 2, 1]
    (tmp_path / "results.json").write_text(json.dumps(data))
    with pytest.raises(QuadTheoryError, match=r"'bound.pieces': expected integer, found '8'"):
        crosscheck("x**2", out=tmp_path, **{**TINY, "widths": [2, 3]})


def test_field_problem_rejects_an_unknown_type_name():
    with pytest.raises(ValueError, match="unknown type 'float'"):
        field_problem({"key": "a"}, {"key": "float"})


# -- equivalent spellings ----------------------------------------------------------------------

@pytest.mark.parametrize(("spellings", "dim"), [
    (["x**2", "x^2", "x*x", " x**2 ", "1*x**2", "x**2 + 0"], None),
    (["x*y + 1/2", "y*x + 0.5", "1/2 + x*y"], None),
    (["radial:exp(-r**2)", "radial:exp(-r^2)", "radial:exp(-r*r)"], 3),
    (["task:circles", " task:circles"], None),
])
def test_equivalent_spellings_are_one_setup(spellings, dim):
    forms = {canonical_target(s, dim) for s in spellings}
    assert len(forms) == 1
    setups = [Setup(s, dim) for s in spellings]
    assert all(s == setups[0] and s.as_dict() == setups[0].as_dict() for s in setups)
    assert [s.spelling for s in setups] == [s.strip() for s in spellings]


@pytest.mark.parametrize(("target", "dim", "domain"), [
    ("task:circles", 2, None), ("task:spheres", 3, None), ("task:gaussians", 2, None),
    ("x*y", None, "-1:1"), ("x*y", None, "x=-1:1,y=-1:1"), ("x", None, [(-1, 1)])])
def test_a_default_spelled_out_is_the_default(target, dim, domain):
    assert Setup(target, dim, sweep._domain(target, dim, domain)) == Setup(target)


@pytest.mark.parametrize(("a", "b"), [("(x+1)**2", "x**2 + 2*x + 1"), ("x**2", "y**2"),
                                      ("x*y", "x*z")])
def test_different_targets_stay_apart(a, b):
    assert Setup(a) != Setup(b)
    assert Setup("task:spheres", 4) != Setup("task:spheres")
    assert Setup("x", domain=sweep._domain("x", None, "0:1")) != Setup("x")


# -- two processes (the command line) ----------------------------------------------------------

@pytest.mark.slow
def test_two_crosscheck_commands_into_one_folder_lose_no_cell(tmp_path):
    """The issue's reproducer: two commands started 0.5 s apart into one folder. The second is
    refused while the first holds the folder (exit 2, one line) or, if the first is done by
    then, extends it; a rerun of a refused one extends it: the file ends with every cell."""
    def command(width: int) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "quadtheory", "crosscheck", "x**2", "--widths", str(width),
             "--depths", "1", "--seeds", "1", "--steps", "20", "--family", "relu", "--out",
             str(tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    first = command(2)
    time.sleep(0.5)
    second = command(3)
    outcomes = []
    for process, width in ((first, 2), (second, 3)):
        _, err = process.communicate(timeout=240)
        outcomes.append((process.returncode, width, err))
    for code, width, err in outcomes:
        if code == 2:
            assert err.count("\n") == 1 and "another run holds" in err
            rerun = command(width)
            rerun.communicate(timeout=240)
            assert rerun.returncode == 0
        else:
            assert code == 0, err
    assert saved(tmp_path) == ["conventional/d1/w2/s0", "conventional/d1/w3/s0"]
    assert sorted(os.listdir(tmp_path)) == ["efficiency.png", "results.csv", "results.json",
                                            "summary.md"]
