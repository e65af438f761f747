"""A sweep's results files, and running a sweep so that an interrupted one resumes.

``DIR/results.json`` (what a rerun resumes from: the setup and every cell's record) and
``DIR/results.csv`` (one row per cell) are rewritten whole after every cell, atomically
(:func:`~quadtheory._src.core.files.atomic_write`), so an interrupted sweep loses nothing.
:class:`ResultsFile` is one sweep kind's format (the cross-check's, a study's): its name, the
CSV columns and how a record flattens into them. :func:`run_resumable` runs the cells not
yet finished through the engine (:mod:`.engine`) and saves each as it arrives. A cell that
failed twice is saved as ``{"key", "error", "errors"}`` and runs again on the next rerun.
"""

from __future__ import annotations

import csv
import io
import json
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.files import atomic_write
from ..errors import QuadTheoryError
from .engine import Backend, Job, Outcome, run_jobs

Record = dict[str, Any]


def _same(record: Record) -> Record:
    return record


@dataclass(frozen=True)
class ResultsFile:
    """The results format of one kind of sweep.

    ``name``: the ``format`` entry of results.json; ``what``: the sweep in messages;
    ``columns``: of results.csv (``error`` is added, for failed cells); ``row``: a record's
    CSV cells (default: the record itself, extra entries ignored).

    >>> squares = ResultsFile("demo", "demo sweep", ("key", "value"))
    >>> print(squares.to_csv([{"key": "a", "value": 1}, failed(Outcome("b", None, ("E",) * 2))]))
    key,value,error
    a,1,
    b,,E
    <BLANKLINE>
    """

    name: str
    what: str
    columns: tuple[str, ...]
    row: Callable[[Record], Record] = _same

    def to_csv(self, records: Iterable[Record]) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, (*self.columns, "error"), extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow(record if "error" in record else self.row(record))
        return out.getvalue()

    def save(self, folder: Path, setup: Mapping[str, Any], records: Mapping[str, Record]
             ) -> None:
        ordered = [records[k] for k in sorted(records)]
        atomic_write(folder / "results.json", json.dumps(
            {"format": self.name, "version": 1, "setup": dict(setup), "cells": ordered},
            indent=1, allow_nan=False) + "\n")
        atomic_write(folder / "results.csv", self.to_csv(ordered))

    def load(self, folder: Path, setup: Mapping[str, Any]) -> dict[str, Record]:
        """The records of an earlier run with the same setup (none if there is no file); a
        file of other settings is refused, naming what changed."""
        path = folder / "results.json"
        if not path.exists():
            return {}
        try:
            data = json.loads(path.read_text())
            found, cells = data["setup"], data["cells"]
            records = {r["key"]: r for r in cells}
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise QuadTheoryError(f"{path}: cannot resume from it ({error}); expected the "
                                  f"results of an earlier {self.what}, or another output "
                                  "folder (out, --out)") from None
        if data.get("format", self.name) != self.name:
            raise QuadTheoryError(f"{path}: holds {data['format']!r} results, not a "
                                  f"{self.what}'s; use another output folder (out, --out)")
        if found != dict(setup):
            changed = [f"{k} {found.get(k)!r} (now {v!r})" for k, v in setup.items()
                       if found.get(k) != v]
            raise QuadTheoryError(f"{path}: holds a {self.what} with other settings: "
                                  f"{', '.join(changed)}; use another output folder (out, "
                                  "--out) or remove it")
        return records


def failed(outcome: Outcome) -> Record:
    """The record of a cell that failed on every attempt (it runs again on a rerun)."""
    return {"key": outcome.key, "error": outcome.errors[-1], "errors": list(outcome.errors)}


def finished(record: Record | None) -> bool:
    return record is not None and "error" not in record


def output_folder(out: str | os.PathLike[str]) -> Path:
    """The folder ``out``, created if needed."""
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise QuadTheoryError(f"out {str(folder)!r}: cannot create it ({error.strerror})"
                              ) from None
    return folder


@dataclass(frozen=True)
class SweepRun:
    """A sweep run through :func:`run_resumable`: every record in the folder by key,
    how many cells were already finished, and the seconds this run took."""

    records: dict[str, Record]
    resumed: int
    seconds: float

    def failures(self, keys: Iterable[str]) -> list[Record]:
        """The failed records among ``keys``."""
        return [self.records[k] for k in keys if k in self.records
                and not finished(self.records[k])]


def run_resumable(folder: Path, results: ResultsFile, setup: Mapping[str, Any],
                  jobs: Sequence[Job], where: Backend, *, progress: bool | None = None,
                  desc: str = "cells") -> SweepRun:
    """Run the jobs not finished in ``folder`` (same setup) on ``where``, saving the results
    files after every cell; a cell that ran after a failed attempt records it under
    ``retried_after``."""
    records = results.load(folder, setup)
    todo = [job for job in jobs if not finished(records.get(job.key))]
    start = time.perf_counter()

    def done(outcome: Outcome) -> None:
        record = dict(outcome.value) if outcome.ok else failed(outcome)
        if outcome.ok and outcome.errors:
            record["retried_after"] = list(outcome.errors)
        records[outcome.key] = record
        results.save(folder, setup, records)

    run_jobs(todo, done, where, progress=progress, desc=desc)
    return SweepRun(records, len(jobs) - len(todo), time.perf_counter() - start)
