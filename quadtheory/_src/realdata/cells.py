"""Studies as independent cells: a pure ``run_cell(cell) -> record``, run in order or in a
process pool, every record saved atomically as it arrives, so that an interrupted study
resumes where it stopped.

This is the cross-check's machinery (:mod:`quadtheory._src.crosscheck.sweep`) with the study
left open: its atomic writer and its process pool (forkserver workers, one thread each) are
imported from there; what is general here is the loop over any picklable ``run_cell`` and the
results store of any study (``results.json``: format, version, setup, cells; ``results.csv``:
one row per cell, the given columns).
"""

from __future__ import annotations

import csv
import io
import json
import os
import statistics
import sys
from collections.abc import Callable, Hashable, Iterable, Sequence
from concurrent.futures import as_completed
from pathlib import Path
from typing import Any

from ..core.files import atomic_write
from ..crosscheck.sweep import _pool
from ..errors import QuadTheoryError


def run_cells(run_cell: Callable[[Any], dict[str, Any]], todo: Sequence[Any], jobs: int,
              done: Callable[[dict[str, Any]], None]) -> None:
    """Call ``done(run_cell(cell))`` for every cell of ``todo``: in order in this process
    when ``jobs`` is 1, else in ``jobs`` worker processes as they finish (``run_cell`` and the
    cells must pickle: a module-level function, frozen dataclasses). An interruption keeps
    what finished and drops the queue.

    >>> seen = []
    >>> run_cells(lambda n: {"n": n * n}, [1, 2, 3], jobs=1, done=seen.append)
    >>> seen
    [{'n': 1}, {'n': 4}, {'n': 9}]
    """
    if jobs == 1 or len(todo) <= 1:
        for cell in todo:
            done(run_cell(cell))
        return
    with _pool(jobs) as pool:
        futures = [pool.submit(run_cell, cell) for cell in todo]
        try:
            for future in as_completed(futures):
                done(future.result())
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def progress(total: int, show: bool | None, name: str) -> Any:
    """A tqdm bar over cells: shown on a terminal, quiet in CI and in pipes (``show=None``)."""
    from tqdm import tqdm  # only for a run's progress: `import quadtheory` stays light

    if show is None:
        show = sys.stderr.isatty() and not os.environ.get("CI")
    return tqdm(total=total, disable=not show, desc=name, unit="cell", file=sys.stderr)


def output_folder(out: str | os.PathLike[str]) -> Path:
    """``out`` created if needed; a one-line error when it cannot be."""
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise QuadTheoryError(f"--out {str(folder)!r}: cannot create it ({error.strerror})"
                              ) from None
    return folder


def parse_integers(text: str | Sequence[int], option: str, least: int, example: str
                   ) -> tuple[int, ...]:
    """Integers at least ``least`` from ``"0,1,2"``, ``"0 1 2"`` or a sequence; duplicates
    dropped, order kept; else the option's one-line error.

    >>> parse_integers("2, 0 2", "--seeds", 0, "0,1,2")
    (2, 0)
    >>> parse_integers("1.5", "--budgets", 1, "100,300")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: --budgets: expected integers >= 1 ... like 100,300; found '1.5'
    """
    items = text.replace(",", " ").split() if isinstance(text, str) else list(text)
    try:
        # Integers or their digits only: int(2.5) or int(True) would hide a mistake.
        values = tuple(int(v) for v in items if isinstance(v, str) or type(v) is int)
    except ValueError:
        values = ()
    if not values or len(values) != len(items) or any(v < least for v in values):
        raise QuadTheoryError(f"{option}: expected integers >= {least} separated by commas or "
                              f"spaces, like {example}; found {text!r}")
    return tuple(dict.fromkeys(values))


def positive(value: object, name: str) -> int:
    """``value`` when it is a positive integer, else the option's one-line error."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise QuadTheoryError(f"--{name}: expected a positive integer, found {value!r}")
    return value


def _cell_text(value: object) -> object:
    if isinstance(value, list | tuple):
        return "-".join(map(str, value))
    return value


def csv_text(records: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    """The records as CSV with ``columns`` (lists joined by ``-``, other keys left out).

    >>> print(csv_text([{"key": "a", "channels": [16, 16], "x": 1}], ["key", "channels"]), end="")
    key,channels
    a,16-16
    """
    out = io.StringIO()
    writer = csv.DictWriter(out, list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: _cell_text(v) for k, v in record.items()})
    return out.getvalue()


class Store:
    """A study's records in ``folder/results.json`` and ``folder/results.csv``, rewritten
    atomically after every cell. A rerun reuses the records of a study with the same
    ``setup`` (a dict of JSON values) and refuses a folder holding another one.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     store = Store(Path(d), "demo", {"epochs": 2}, ["key", "score"])
    ...     store.add({"key": "a/s0", "score": 0.5})
    ...     Store(Path(d), "demo", {"epochs": 2}, ["key", "score"]).records
    {'a/s0': {'key': 'a/s0', 'score': 0.5}}
    """

    VERSION = 1

    def __init__(self, folder: Path, study: str, setup: dict[str, Any],
                 columns: Sequence[str]) -> None:
        self.folder, self.study, self.setup, self.columns = folder, study, setup, columns
        self.records: dict[Hashable, dict[str, Any]] = self._load()

    def _load(self) -> dict[Hashable, dict[str, Any]]:
        path = self.folder / "results.json"
        if not path.exists():
            return {}
        try:
            data = json.loads(path.read_text())
            study, found, cells = data["format"], data["setup"], data["cells"]
            records = {r["key"]: r for r in cells}
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise QuadTheoryError(f"{path}: cannot resume from it ({error}); expected the "
                                  "results of an earlier run, or pass another --out") from None
        if study != f"quadtheory-{self.study}":
            raise QuadTheoryError(f"{path}: holds the results of {study!r}, not of "
                                  f"quadtheory-{self.study}; pass another --out")
        if found != self.setup:
            changed = [f"{k} {found.get(k)!r} (now {v!r})" for k, v in self.setup.items()
                       if found.get(k) != v]
            raise QuadTheoryError(f"{path}: holds a run with other settings: "
                                  f"{', '.join(changed)}; pass another --out or remove it")
        return records

    def add(self, record: dict[str, Any]) -> None:
        """Keep ``record`` (by its ``key``) and rewrite both files."""
        self.records[record["key"]] = record
        ordered = [self.records[k] for k in sorted(self.records)]
        atomic_write(self.folder / "results.json", json.dumps(
            {"format": f"quadtheory-{self.study}", "version": self.VERSION,
             "setup": self.setup, "cells": ordered}, indent=1, allow_nan=False) + "\n")
        atomic_write(self.folder / "results.csv", csv_text(ordered, self.columns))


def mean_std(values: list[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value).

    >>> mean_std([0.9, 0.8, 1.0])
    (0.9, 0.1)
    """
    mean = statistics.fmean(values)
    return (round(mean, 12), round(statistics.stdev(values), 12) if len(values) > 1 else 0.0)
