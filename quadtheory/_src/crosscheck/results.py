"""A sweep's results files, one writer at a time, and running a sweep so that an interrupted
one resumes.

``DIR/results.json`` (what a rerun resumes from: the setup and every cell's record) and
``DIR/results.csv`` (one row per cell) are rewritten whole after every cell, atomically
(:func:`~quadtheory._src.core.files.atomic_write`), so an interrupted sweep loses nothing.
:class:`ResultsFile` is one sweep kind's format (the cross-check's, a study's): its name, the
CSV columns, how a record flattens into them, and the fields (and their JSON types) a record
must have. :func:`run_resumable` runs the cells not yet finished through the engine
(:mod:`.engine`) and saves each as it arrives. A cell that failed twice is saved as
``{"key", "error", "errors"}`` and runs again on the next rerun.

One writer per folder: a run holds an advisory lock (``fcntl.flock`` on ``DIR/.lock``,
:func:`locked`) from before it reads the results until its report is written; a second run
into the same folder waits :data:`LOCK_WAIT` seconds, then refuses, naming the holder's pid.
Every save re-reads the file and merges by cell key, so even a writer that ignores the lock
loses no cell of this run, and this run loses none of its. Cells are keyed by their full
parameters: another grid with the same setup extends the file. A file that is not a valid
results file is refused before any cell runs, naming the file and the offending cell and field.
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import math
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.files import atomic_write
from ..core.limits import quoted
from ..errors import QuadTheoryError
from .engine import Backend, Job, Outcome, run_jobs

Record = dict[str, Any]
LOCK_NAME = ".lock"
LOCK_WAIT = 3.0   # seconds a second run waits for the lock before refusing
FILES = ("results.json", "results.csv")
MAX_BYTES = 1 << 28   # a results file of 10,000 cells is a few MB

# The JSON types a record's field may have (``"... or null"``: also null).
_TYPES: dict[str, Callable[[Any], bool]] = {
    "text": lambda v: isinstance(v, str),
    "integer": lambda v: type(v) is int,
    "number": lambda v: type(v) in (int, float) and math.isfinite(v),
    "true or false": lambda v: type(v) is bool,
    "a list": lambda v: isinstance(v, list),
    "a list of integers": lambda v: isinstance(v, list) and all(type(x) is int for x in v),
    "a list of texts": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    "an object": lambda v: isinstance(v, dict),
    "anything": lambda v: True,
}
FAILED_FIELDS = {"key": "text", "error": "text", "errors": "a list of texts"}
ANY_FIELDS = {"retried_after": "a list of texts"}   # optional in every record


def _same(record: Record) -> Record:
    return record


def _fits(value: Any, spec: str) -> bool:
    kind, null, _ = spec.partition(" or null")
    return (bool(null) and value is None) or _TYPES[kind](value)


def field_problem(record: Any, fields: Mapping[str, str],
                  optional: Mapping[str, str] | None = None, what: str = "a cell's record"
                  ) -> str | None:
    """What is wrong with ``record`` against ``fields`` (each must be present, of its type)
    and ``optional`` (of its type when present); ``None`` if nothing. A name ``a.b`` is the
    field ``b`` of the object in ``a`` (checked when ``a`` holds an object); ``what`` names
    the record in the message when it is not an object at all.

    >>> field_problem({"key": "a", "n": 2}, {"key": "text", "n": "integer"}) is None
    True
    >>> field_problem({"key": "a"}, {"key": "text", "n": "integer"})
    "'n' is missing; expected integer"
    >>> field_problem({"key": "a", "b": {"n": "2"}}, {"key": "text"}, {"b.n": "number or null"})
    "'b.n': expected number or null, found '2'"
    """
    if not isinstance(record, dict):
        return f"expected an object ({what}), found {quoted(record)}"
    for name, spec in (*fields.items(), *(optional or {}).items()):
        if spec.partition(" or null")[0] not in _TYPES:
            raise ValueError(f"field {name!r}: unknown type {spec!r}")
        parent, _, leaf = name.rpartition(".")
        holder = record.get(parent) if parent else record
        if not isinstance(holder, dict):
            continue
        if leaf not in holder:
            if name in fields:
                return f"{name!r} is missing; expected {spec}"
        elif not _fits(holder[leaf], spec):
            return f"{name!r}: expected {spec}, found {quoted(holder[leaf])}"
    return None


@dataclass(frozen=True)
class ResultsFile:
    """The results format of one kind of sweep.

    ``name``: the ``format`` entry of results.json; ``what``: the sweep in messages;
    ``columns``: of results.csv (``error`` is added, for failed cells); ``row``: a record's
    CSV cells (default: the record itself, extra entries ignored); ``fields``: the fields a
    finished cell's record must have and their types (names of :data:`_TYPES`, ``a.b`` for a
    field of an object; default: every column, of any type); ``optional``: fields that may
    be absent, typed when present.

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
    fields: Mapping[str, str] = field(default_factory=dict)
    optional: Mapping[str, str] = field(default_factory=dict)

    def to_csv(self, records: Iterable[Record]) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, (*self.columns, "error"), extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow(record if "error" in record else self.row(record))
        return out.getvalue()

    def save(self, folder: Path, setup: Mapping[str, Any], records: Mapping[str, Record]
             ) -> dict[str, Record]:
        """Merge ``records`` into the results on disk (read again now: cells saved by
        anyone else stay) and write both files; return every record, by key. A finished
        record on disk is never replaced by a failed one. The caller holds the lock."""
        merged = self.load(folder, setup)
        for key, record in records.items():
            if finished(record) or not finished(merged.get(key)):
                merged[key] = record
        ordered = [merged[k] for k in sorted(merged)]
        atomic_write(folder / "results.json", json.dumps(
            {"format": self.name, "version": 1, "setup": dict(setup), "cells": ordered},
            indent=1, allow_nan=False) + "\n")
        atomic_write(folder / "results.csv", self.to_csv(ordered))
        return merged

    def load(self, folder: Path, setup: Mapping[str, Any]) -> dict[str, Record]:
        """The records of an earlier run with the same setup (none if there is no file); a
        file of other settings is refused, naming what changed, and a file that is not a
        valid results file, naming the key or cell and the field that is wrong."""
        path = folder / "results.json"
        if not path.exists() and not path.is_symlink():
            return {}
        data = self._read(path)
        if data["format"] != self.name:
            raise QuadTheoryError(f"{path}: holds {data['format']!r:.80} results, not a "
                                  f"{self.what}'s; use another output folder (out, --out)")
        found = data["setup"]
        if found != dict(setup):
            changed = [f"{k} {found.get(k)!r:.80} (now {v!r:.80})" for k, v in setup.items()
                       if found.get(k) != v] + [f"{k} {found[k]!r:.80} (now none)"
                                                for k in found if k not in setup]
            raise QuadTheoryError(f"{path}: holds a {self.what} with other settings: "
                                  f"{', '.join(changed)}; use another output folder (out, "
                                  "--out) or remove it")
        return {record["key"]: record for record in data["cells"]}

    def _read(self, path: Path) -> dict[str, Any]:
        """results.json parsed and checked: its top-level entries, then every cell."""
        def bad(what: str) -> QuadTheoryError:
            return QuadTheoryError(f"{path}: {what}; expected the results of an earlier "
                                   f"{self.what} (fix or remove the file, or use another "
                                   "output folder: out, --out)")
        if not path.is_file():
            raise bad("not a regular file")
        if path.stat().st_size > MAX_BYTES:
            raise bad(f"{path.stat().st_size} bytes; more than {MAX_BYTES}, the most a "
                      "results file is read")
        try:
            data = json.loads(path.read_text())
        except (OSError, UnicodeDecodeError) as error:
            raise bad(f"cannot read it ({getattr(error, 'strerror', None) or error})") from None
        except (ValueError, RecursionError) as error:
            raise bad(f"not JSON ({' '.join(str(error).split())[:120]})") from None
        problem = field_problem(data, {"format": "text", "version": "integer",
                                       "setup": "an object", "cells": "a list"},
                                what="the whole results file")
        if problem is not None:
            raise bad(problem)
        if data["version"] != 1:
            raise bad(f"'version': expected 1, found {quoted(data['version'])}")
        keys: set[str] = set()
        for index, record in enumerate(data["cells"]):
            key = record.get("key") if isinstance(record, dict) else None
            name = f"cell {index}" + (f" ({key!r:.80})" if isinstance(key, str) else "")
            if isinstance(record, dict) and "error" in record:   # a cell that failed twice
                problem = field_problem(record, FAILED_FIELDS)
            else:
                problem = field_problem(record, {"key": "text", **(
                    self.fields or dict.fromkeys(self.columns, "anything"))},
                                        {**ANY_FIELDS, **self.optional})
            if problem is None and key in keys:
                problem = "its key appears in an earlier cell too"
            if problem is not None:
                raise bad(f"{name}: {problem}")
            keys.add(key)
        return data


def failed(outcome: Outcome) -> Record:
    """The record of a cell that failed on every attempt (it runs again on a rerun)."""
    return {"key": outcome.key, "error": outcome.errors[-1], "errors": list(outcome.errors)}


def finished(record: Record | None) -> bool:
    return record is not None and "error" not in record


def output_folder(out: str | os.PathLike[str]) -> Path:
    """The folder ``out``, created if needed."""
    folder = Path(out)
    if not str(out):
        raise QuadTheoryError("out: expected a folder name, found ''")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise QuadTheoryError(f"out {str(folder)!r}: cannot create it ({error.strerror})"
                              ) from None
    return folder


_held = threading.local()   # the folders this thread holds the lock of (locked() nests)


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the advisory lock of ``folder`` (``fcntl.flock`` on ``folder/.lock``) until the
    block ends, on every path (an exception, Ctrl-C; a killed process's lock is released by
    the kernel). Another holder: wait up to :data:`LOCK_WAIT` seconds, then refuse. Nested
    calls in one thread share the lock; other threads and processes wait for it.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d, locked(Path(d)):
    ...     with locked(Path(d)):         # the same thread again: shares it
    ...         sorted(os.listdir(d))
    ['.lock']
    """
    name = os.path.realpath(folder)
    held: set[str] = _held.__dict__.setdefault("folders", set())
    if name in held:
        yield
        return
    handle = _acquire(folder)
    held.add(name)
    try:
        yield
    finally:
        held.discard(name)
        _release(folder / LOCK_NAME, handle)


def _acquire(folder: Path) -> int:
    path = folder / LOCK_NAME
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError as error:
            raise QuadTheoryError(f"out {str(folder)!r}: cannot open its lock file {path} "
                                  f"({error.strerror}); expected a folder this run may write "
                                  "in") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            # The last holder removes the file as it lets go: hold the file that is there.
            mine = os.path.samestat(os.fstat(handle), os.stat(path, follow_symlinks=False))
        except (BlockingIOError, FileNotFoundError) as error:
            os.close(handle)
            if isinstance(error, BlockingIOError) and time.monotonic() > deadline:
                raise QuadTheoryError(f"another run holds {folder} (pid {_holder(path)}); wait "
                                      "for it to finish or use another --out") from None
            time.sleep(0.05)
            continue
        except BaseException as error:
            os.close(handle)
            if isinstance(error, OSError):
                raise QuadTheoryError(f"out {str(folder)!r}: cannot lock {path} "
                                      f"({error.strerror}); expected a local folder (file "
                                      "locks)") from None
            raise
        if not mine:
            os.close(handle)
            continue
        try:   # the pid is for the message of a run that finds the folder held
            os.ftruncate(handle, 0)
            os.write(handle, f"{os.getpid()}\n".encode())
        except OSError:
            pass
        return handle


def _holder(path: Path) -> str:
    """The pid written in a lock file ("unknown" while its holder has not yet written it)."""
    try:
        text = path.read_text().strip()
    except OSError:
        return "unknown"
    return text if text.isdigit() else "unknown"


def _release(path: Path, handle: int) -> None:
    try:  # removed while still held: a waiter then finds the file gone and opens a new one
        if os.path.samestat(os.fstat(handle), os.stat(path, follow_symlinks=False)):
            path.unlink()
    except OSError:
        pass   # gone already, or not ours: closing releases the lock all the same
    finally:
        os.close(handle)


def clean_temporary(folder: Path, names: Iterable[str] = FILES) -> list[str]:
    """Remove the temporary files that killed writes of ``names`` left in ``folder``
    (``.results.json.*``: a run that was killed mid-write); return their names. Only under
    the lock: then no write of this folder is under way.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     for name in (".results.json.k3x9.tmp", ".results.csv.a1", "keep.txt"):
    ...         _ = (Path(d) / name).write_text("")
    ...     clean_temporary(Path(d)), sorted(os.listdir(d))
    (['.results.csv.a1', '.results.json.k3x9.tmp'], ['keep.txt'])
    """
    removed = []
    for name in names:
        for path in sorted(folder.glob(f".{name}.*")):
            if path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                removed.append(path.name)
    return sorted(removed)


@dataclass(frozen=True)
class SweepRun:
    """A sweep run through :func:`run_resumable`: every record in the folder by key (this
    run's grid and any other grid saved there with the same setup), how many of this run's
    cells were already finished, and the seconds this run took."""

    records: dict[str, Record]
    resumed: int
    seconds: float

    def failures(self, keys: Iterable[str]) -> list[Record]:
        """The failed records among ``keys``."""
        return [self.records[k] for k in keys if k in self.records
                and not finished(self.records[k])]

    def others(self, keys: Iterable[str]) -> int:
        """How many records in the folder are not among ``keys`` (other grids' cells)."""
        return len(set(self.records) - set(keys))


def run_resumable(folder: Path, results: ResultsFile, setup: Mapping[str, Any],
                  jobs: Sequence[Job], where: Backend, *, progress: bool | None = None,
                  desc: str = "cells") -> SweepRun:
    """Run the jobs not finished in ``folder`` (same setup) on ``where``, saving the results
    files after every cell (merged into what is there, by key); a cell that ran after a
    failed attempt records it under ``retried_after``. Holds the folder's lock throughout
    (:func:`locked`; a caller holding it already keeps it); removes temporary files that
    killed writes left; checks the results file before any cell runs."""
    with locked(folder):
        clean_temporary(folder)
        records = results.load(folder, setup)
        todo = [job for job in jobs if not finished(records.get(job.key))]
        start = time.perf_counter()

        def done(outcome: Outcome) -> None:
            record = dict(outcome.value) if outcome.ok else failed(outcome)
            if outcome.ok and outcome.errors:
                record["retried_after"] = list(outcome.errors)
            records.update(results.save(folder, setup, {outcome.key: record}))

        run_jobs(todo, done, where, progress=progress, desc=desc)
        return SweepRun(records, len(jobs) - len(todo), time.perf_counter() - start)
