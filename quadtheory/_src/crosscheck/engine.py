"""The sweep engine: a list of independent cells run on Dask (``dask.distributed``), results
streamed back to the caller as each cell finishes.

Sweeps (:mod:`.sweep`, the studies of ``quadtheory._src.studies``) are grids of independent
training cells. A cell is a :class:`Job`: a picklable function, its arguments, and a key.
:func:`run_jobs` runs them

- in this process, one after another (``workers=1`` and no scheduler: no cluster is started);
- on an embedded ``distributed.LocalCluster`` of ``workers`` processes with one thread each
  (``workers >= 2``);
- on an existing cluster: ``scheduler="tcp://HOST:PORT"``, or the environment variable
  ``DASK_SCHEDULER_ADDRESS`` when neither ``jobs`` nor ``scheduler`` is given (see
  ``docs/sweeps.md`` for ``dask scheduler`` / ``dask worker``).

Each finished cell is handed to the caller's ``done`` callback as an :class:`Outcome` at once
(``as_completed``), so the caller saves it before the next one arrives. A cell that raises, or
whose worker dies (``KilledWorker``) or is restarted (cancelled), runs once more; a second
failure is handed over as a failed outcome with both errors: no cell is ever dropped. On
Ctrl-C the queued cells are cancelled and the interrupt propagates: what was handed over stays
saved. Cells set their own torch threads to one (results then do not depend on how many run
side by side); the embedded cluster's workers also start with ``OMP_NUM_THREADS=1``.

Dask is imported only when a cluster is used: it takes seconds to import.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..core.limits import integer, quoted
from ..errors import QuadTheoryError

ATTEMPTS = 2   # a cell that fails on a worker runs once more, then is recorded as failed
SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
# One BLAS/OpenMP thread per worker process: cells are small and run side by side.
WORKER_ENV = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


@dataclass(frozen=True)
class Job:
    """One cell: ``function(*args)``, named ``key`` in the results."""

    key: str
    function: Callable[..., Any]
    args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """How a cell ended: its ``value``, or (``ok`` False) the error of every attempt.

    >>> Outcome("a", 4, ("ValueError: boom",)).ok   # failed once, then ran: a value
    True
    >>> Outcome("a", None, ("ValueError: boom",) * 2).ok
    False
    """

    key: str
    value: Any
    errors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return len(self.errors) < ATTEMPTS


@dataclass(frozen=True)
class Backend:
    """Where cells run: ``workers`` local processes, or the cluster at ``scheduler``."""

    workers: int = 1
    scheduler: str | None = None

    def describe(self) -> str:
        """
        >>> Backend(2).describe(), Backend(1).describe()
        ('a local Dask cluster of 2 worker processes', 'this process')
        """
        if self.scheduler is not None:
            return f"the Dask cluster at {self.scheduler}"
        if self.workers == 1:
            return "this process"
        return f"a local Dask cluster of {self.workers} worker processes"


def backend(jobs: object = None, scheduler: object = None) -> Backend:
    """The backend for ``jobs`` (local worker processes) or ``scheduler`` (an address); with
    neither, ``$DASK_SCHEDULER_ADDRESS`` if set, else this process.

    >>> backend(2), backend(None, "tcp://10.0.0.5:8786").scheduler
    (Backend(workers=2, scheduler=None), 'tcp://10.0.0.5:8786')
    >>> backend(2, "tcp://10.0.0.5:8786")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: --jobs 2 and --scheduler tcp://10.0.0.5:8786: expected one of ...
    """
    if jobs is not None:
        integer(jobs, "--jobs", 1, expected="a positive integer")
    if scheduler is not None:
        if not isinstance(scheduler, str) or ":" not in scheduler:
            raise QuadTheoryError(f"--scheduler: expected an address such as tcp://HOST:8786, "
                                  f"found {quoted(scheduler)}")
        if jobs is not None:
            raise QuadTheoryError(f"--jobs {jobs} and --scheduler {scheduler}: expected one of "
                                  "them (--jobs: worker processes on this machine; --scheduler: "
                                  "an existing Dask cluster)")
        return Backend(1, scheduler)
    if jobs is None and os.environ.get(SCHEDULER_ENV):
        return backend(None, os.environ[SCHEDULER_ENV])
    return Backend(jobs or 1)


def progress_bar(total: int, show: bool | None, desc: str) -> Any:
    """A tqdm bar over cells on stderr (``show`` None: on a terminal only, quiet in CI)."""
    from tqdm import tqdm  # tqdm only when a sweep runs

    if show is None:
        show = sys.stderr.isatty() and not os.environ.get("CI")
    return tqdm(total=total, disable=not show, desc=desc, unit="cell", file=sys.stderr)


def _error(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}"[:500] if text else type(error).__name__


def run_jobs(jobs: Sequence[Job], done: Callable[[Outcome], None], where: Backend = Backend(),
             *, progress: bool | None = False, desc: str = "cells") -> None:
    """Run every job on ``where``; hand each :class:`Outcome` to ``done`` as it arrives.

    >>> seen = []
    >>> run_jobs([Job("a", pow, (2, 3)), Job("b", pow, (2, "x"))], seen.append)
    >>> [(o.key, o.value, o.ok) for o in seen]
    [('a', 8, True), ('b', None, False)]
    >>> seen[1].errors[0][:9]
    'TypeError'
    """
    keys = [job.key for job in jobs]
    if len(set(keys)) != len(keys):
        raise QuadTheoryError(f"jobs: expected distinct keys, found "
                              f"{sorted({k for k in keys if keys.count(k) > 1})}")
    with progress_bar(len(jobs), progress, desc) as bar:
        def handed(outcome: Outcome) -> None:
            done(outcome)
            bar.update(1)

        if where.scheduler is None and (where.workers == 1 or len(jobs) <= 1):
            _in_process(jobs, handed)
        else:
            _distributed(jobs, handed, where)


def _in_process(jobs: Sequence[Job], done: Callable[[Outcome], None]) -> None:
    for job in jobs:
        errors: list[str] = []
        while True:
            try:
                value = job.function(*job.args)
            except Exception as error:  # a failing cell is recorded, never raised
                errors.append(_error(error))
                if len(errors) < ATTEMPTS:
                    continue
                done(Outcome(job.key, None, tuple(errors)))
            else:
                done(Outcome(job.key, value, tuple(errors)))
            break


@contextmanager
def _client(where: Backend) -> Iterator[Any]:
    """A ``distributed.Client`` on the embedded cluster or the given scheduler."""
    from distributed import Client, LocalCluster  # dask is slow to import: only when used

    if where.scheduler is not None:
        try:
            client = Client(where.scheduler, timeout="20s")
        except (OSError, TimeoutError) as error:
            raise QuadTheoryError(f"scheduler {where.scheduler}: cannot connect ({error}); "
                                  "expected a running Dask scheduler (see docs/sweeps.md)"
                                  ) from None
        with client:
            yield client
        return
    with LocalCluster(n_workers=where.workers, threads_per_worker=1, processes=True,
                      dashboard_address=":0", silence_logs=logging.ERROR,
                      env=WORKER_ENV) as cluster, Client(cluster) as client:
        yield client


def _distributed(jobs: Sequence[Job], done: Callable[[Outcome], None], where: Backend) -> None:
    from distributed import as_completed  # see _client

    with _client(where) as client:
        running: dict[str, tuple[Job, list[str]]] = {}

        def submit(job: Job, errors: list[str]) -> Any:
            future = client.submit(job.function, *job.args, pure=False)
            running[future.key] = (job, errors)
            return future

        queue = as_completed([submit(job, []) for job in jobs])
        try:
            for future in queue:
                job, errors = running.pop(future.key)
                if future.status == "finished":
                    done(Outcome(job.key, future.result(), tuple(errors)))
                else:
                    errors.append(_future_error(future))
                    if len(errors) < ATTEMPTS:
                        queue.add(submit(job, errors))
                    else:
                        done(Outcome(job.key, None, tuple(errors)))
                future.release()
        except BaseException:  # interrupted: what was handed over is saved; drop the queue
            client.cancel(list(queue.futures))
            raise


def _future_error(future: Any) -> str:
    if future.status == "cancelled":
        return "CancelledError: the cluster cancelled the cell (a restart or a lost worker)"
    try:
        return _error(future.exception())
    except Exception as error:  # the exception itself could not be fetched or unpickled
        return _error(error)
