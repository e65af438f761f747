"""The sweep engine on Dask: same results in process and on clusters, failing cells recorded and
retried once, a killed worker loses no finished cell, Ctrl-C keeps what finished.

The cluster tests start their own ``LocalCluster`` (2 workers, one thread each) and are slow;
the cell functions here travel to the workers by value (cloudpickle), not by import.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from quadtheory import QuadTheoryError, crosscheck
from quadtheory._src.crosscheck import sweep
from quadtheory._src.crosscheck.engine import (
    ATTEMPTS,
    SCHEDULER_ENV,
    Backend,
    Job,
    backend,
    run_jobs,
)
from quadtheory._src.crosscheck.results import ResultsFile, run_resumable

SQUARES = ResultsFile("quadtheory-test-squares", "test sweep", ("key", "n", "square"))
TINY = {"widths": [2], "depths": [1], "seeds": 1, "steps": 30, "progress": False}


def square(n: int, folder: str = "", fail: int = 0, die: int = 0) -> dict:
    """``{"n": n, "square": n²}``; the first ``fail`` calls for this n raise, the first ``die``
    kill their worker process (SIGKILL to its own PID); counted by marker files in ``folder``."""
    if fail or die:
        marks = sorted(Path(folder).glob(f"n{n}-*"))
        if len(marks) < fail + die:
            Path(folder, f"n{n}-{len(marks)}").touch()
            if len(marks) < die:
                os.kill(os.getpid(), signal.SIGKILL)
            raise ValueError(f"cell {n} fails on purpose")
    time.sleep(0.05)
    return {"key": f"n{n}", "n": n, "square": n * n}


def jobs(folder: Path, count: int, special: dict[int, tuple[int, int]] | None = None
         ) -> list[Job]:
    """Cells n = 0..count-1; ``special[n] = (fail, die)``."""
    return [Job(f"n{n}", square, (n, str(folder), *(special or {}).get(n, (0, 0))))
            for n in range(count)]


def timeless(records):
    return [{k: v for k, v in r.items() if k != "seconds"} for r in records]


# -- in this process ---------------------------------------------------------------------------

def test_a_failing_cell_is_retried_once_then_recorded(tmp_path):
    seen = []
    run_jobs(jobs(tmp_path, 4, {1: (1, 0), 2: (5, 0)}), seen.append)
    by_key = {o.key: o for o in seen}
    assert sorted(by_key) == ["n0", "n1", "n2", "n3"]
    assert by_key["n1"].ok and by_key["n1"].value["square"] == 1
    assert by_key["n1"].errors == ("ValueError: cell 1 fails on purpose",)
    assert not by_key["n2"].ok and len(by_key["n2"].errors) == ATTEMPTS
    assert len(list(tmp_path.glob("n2-*"))) == ATTEMPTS   # tried exactly twice


def test_failed_cells_are_saved_and_rerun(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    first = run_resumable(out, SQUARES, {"grid": 4}, jobs(tmp_path, 4, {2: (2, 0)}),
                          Backend(), progress=False)
    assert first.failures(["n0", "n2"]) == [first.records["n2"]]
    data = json.loads((out / "results.json").read_text())
    assert [c["key"] for c in data["cells"]] == ["n0", "n1", "n2", "n3"]
    assert data["cells"][2]["errors"] == ["ValueError: cell 2 fails on purpose"] * 2
    assert "n2,,,ValueError: cell 2 fails on purpose" in (out / "results.csv").read_text()
    again = run_resumable(out, SQUARES, {"grid": 4}, jobs(tmp_path, 4, {2: (2, 0)}),
                          Backend(), progress=False)
    assert again.resumed == 3 and again.records["n2"]["square"] == 4
    assert not again.failures(again.records)


def test_a_results_file_of_another_sweep_is_refused(tmp_path):
    SQUARES.save(tmp_path, {"grid": 4}, {})
    other = ResultsFile("quadtheory-other", "other sweep", ("key",))
    with pytest.raises(QuadTheoryError, match="holds 'quadtheory-test-squares' results, not "
                                              "a other sweep's"):
        other.load(tmp_path, {"grid": 4})


def test_ctrl_c_keeps_the_finished_cells(tmp_path, monkeypatch):
    calls = []
    run_cell = sweep.run_cell

    def interrupted(setup, cell):
        calls.append(cell.key)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return run_cell(setup, cell)

    small = {**TINY, "widths": [1, 2, 3, 4], "family": "relu"}
    monkeypatch.setattr(sweep, "run_cell", interrupted)
    with pytest.raises(KeyboardInterrupt):
        crosscheck("x**2", out=tmp_path, **small)
    saved = json.loads((tmp_path / "results.json").read_text())["cells"]
    assert [c["key"] for c in saved] == sorted(calls[:2])
    monkeypatch.setattr(sweep, "run_cell", run_cell)
    report = crosscheck("x**2", out=tmp_path, **small)
    assert report.resumed == 2 and len(report.records) == 4 and not report.failed


@pytest.mark.parametrize(("jobs_", "scheduler", "env", "expected"), [
    (None, None, None, Backend(1)),
    (3, None, "tcp://h:1", Backend(3)),
    (None, None, "tcp://h:1", Backend(1, "tcp://h:1")),
    (None, "tcp://a:2", "tcp://h:1", Backend(1, "tcp://a:2")),
])
def test_backend_choice(jobs_, scheduler, env, expected, monkeypatch):
    monkeypatch.delenv(SCHEDULER_ENV, raising=False)
    if env:
        monkeypatch.setenv(SCHEDULER_ENV, env)
    assert backend(jobs_, scheduler) == expected


@pytest.mark.parametrize(("jobs_", "scheduler", "message"), [
    (0, None, "jobs: expected a positive integer, found 0"),
    (True, None, "jobs: expected a positive integer, found True"),
    (None, "localhost", "scheduler: expected an address such as tcp://HOST:8786, found "
                        "'localhost'"),
    (2, "tcp://h:1", r"--jobs 2 and --scheduler tcp://h:1: expected one of them"),
])
def test_backend_errors(jobs_, scheduler, message):
    with pytest.raises(QuadTheoryError, match=message):
        backend(jobs_, scheduler)


def test_cli_refuses_jobs_with_a_scheduler(capsys):
    from quadtheory._src.cli.main import main

    assert main(["crosscheck", "x**2", "--jobs", "2", "--scheduler", "tcp://h:1"]) == 2
    assert "--jobs 2 and --scheduler tcp://h:1: expected one of them" in capsys.readouterr().err


# -- on Dask clusters (slow: each starts or uses a LocalCluster of 2 workers) ---------------------

@pytest.fixture(scope="module")
def cluster():
    """An external LocalCluster of 2 worker processes; a worker that dies fails its task at
    once (allowed-failures 0), so that the engine's own retry is what is tested."""
    import cloudpickle
    import dask
    from distributed import LocalCluster

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
            silence_logs=50) as local:
        yield local


@pytest.mark.slow
def test_local_cluster_gives_the_same_records_as_one_process(tmp_path):
    one = crosscheck("x*y", out=tmp_path / "one", jobs=1, **TINY)
    two = crosscheck("x*y", out=tmp_path / "two", jobs=2, **TINY)
    assert timeless(one.records) == timeless(two.records) and len(one.records) == 5


@pytest.mark.slow
def test_an_external_cluster_gives_the_same_records(tmp_path, cluster, monkeypatch):
    from quadtheory._src.cli.main import main

    one = crosscheck("x*y", out=tmp_path / "one", **TINY)
    monkeypatch.setenv(SCHEDULER_ENV, cluster.scheduler_address)   # the environment's address
    env = crosscheck("x*y", out=tmp_path / "env", **TINY)
    monkeypatch.delenv(SCHEDULER_ENV)
    assert main(["crosscheck", "x*y", "--widths", "2", "--depths", "1", "--seeds", "1",
                 "--steps", "30", "--scheduler", cluster.scheduler_address,
                 "--out", str(tmp_path / "cli"), "--json"]) == 0
    given = json.loads((tmp_path / "cli" / "results.json").read_text())["cells"]
    assert timeless(one.records) == timeless(env.records) == timeless(given)


@pytest.mark.slow
def test_failing_cells_on_a_cluster_are_retried_once(tmp_path, cluster):
    seen = []
    run_jobs(jobs(tmp_path, 4, {1: (1, 0), 2: (5, 0)}),
             seen.append, Backend(scheduler=cluster.scheduler_address))
    by_key = {o.key: o for o in seen}
    assert by_key["n1"].ok and by_key["n1"].errors == ("ValueError: cell 1 fails on purpose",)
    assert not by_key["n2"].ok and len(list(tmp_path.glob("n2-*"))) == ATTEMPTS
    assert [by_key[f"n{n}"].value["square"] for n in (0, 3)] == [0, 9]


@pytest.mark.slow
def test_a_killed_worker_loses_no_finished_cell(tmp_path, cluster):
    for folder in ("out", "once", "marks"):
        (tmp_path / folder).mkdir()
    where = Backend(scheduler=cluster.scheduler_address)
    # Cell 3 kills its worker process on both attempts. The cells that worker held fail with
    # it (allowed-failures 0) and run once more; whatever fails twice is recorded, not dropped.
    first = run_resumable(tmp_path / "out", SQUARES, {"grid": 8}, jobs(tmp_path, 8, {3: (0, 2)}),
                          where, progress=False)
    assert sorted(first.records) == [f"n{n}" for n in range(8)]
    failures = first.failures(first.records)
    assert first.records["n3"] in failures
    # A cell on a dying worker fails as KilledWorker, or is cancelled when the cluster lost
    # every worker at once (both retries of cell 3 can kill both workers): the engine's two
    # documented causes, each recorded with the cell.
    errors = [e for f in failures for e in f["errors"]]
    assert all("KilledWorker" in e or e.startswith("CancelledError") for e in errors), errors
    assert any("KilledWorker" in e for e in first.records["n3"]["errors"])
    done = [r for r in first.records.values() if r not in failures]
    assert done and all(r["square"] == r["n"] ** 2 for r in done)
    # The rerun runs only the failed cells (the nannies have restarted the workers).
    again = run_resumable(tmp_path / "out", SQUARES, {"grid": 8},
                          jobs(tmp_path, 8, {3: (0, 2)}), where, progress=False)
    assert again.resumed == len(done) and not again.failures(again.records)
    assert [again.records[f"n{n}"]["square"] for n in range(8)] == [n * n for n in range(8)]
    assert all(again.records[r["key"]] == r for r in done)   # finished cells kept as they were
    # Killed once: the engine's own retry completes the cell in the same run.
    once = run_resumable(tmp_path / "once", SQUARES, {"grid": 4},
                         jobs(tmp_path / "marks", 4, {2: (0, 1)}), where, progress=False)
    assert not once.failures(once.records) and once.records["n2"]["square"] == 4
    assert "KilledWorker" in once.records["n2"]["retried_after"][0]
