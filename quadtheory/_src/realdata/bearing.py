"""The paper's real-world experiment: bearing fault diagnosis, QCNN against WDCNN, per parameter.

Fan et al., "One Neuron Saved Is One Neuron Earned" (arXiv:2303.06316), report that a
quadratic 1-D CNN (QCNN, about 16.3k dense parameters) diagnoses bearing faults under heavy
noise as well as the conventional WDCNN (about 66.8k). This study reruns that comparison on
the CWRU recordings (:mod:`.cwru`, the paper's protocol) and adds the parameter-matched pair
(:func:`.models.matched`): a WDCNN shrunk to the QCNN's count and a QCNN grown to the WDCNN's,
so that the comparison is per parameter, which is the paper's claim.

Every (model, seed) is an independent :class:`Cell`; :func:`run_cell` trains one
(:mod:`.training`), tests it (accuracy, macro F1, confusion matrix) and measures its cost
(:mod:`.measure`: latency at batch 1 and 256, one thread; peak memory). Records go to
``DIR/results.{json,csv}`` as cells finish (:class:`.cells.Store`), so a rerun resumes; the
report (:mod:`.bearing_report`) writes ``summary.md`` and the figures.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ..core.limits import is_integer, quoted
from ..crosscheck.engine import Job, backend
from ..crosscheck.results import ResultsFile, locked, output_folder, run_resumable
from ..errors import QuadTheoryError
from .bearing_cells import (
    CSV_COLUMNS,
    DEFAULTS,
    MODELS,
    QUICK,
    Cell,
    Setup,
    architecture,
    run_cell,
)
from .bearing_report import BearingReport
from .cells import failed_cells, parse_integers, positive
from .cwru import check_folder

# What a finished cell's record holds (:func:`.bearing_cells.run_cell`), checked on resume.
FIELDS = {"key": "text", "model": "text", "family": "text", "seed": "integer",
          "channels": "a list of integers", "hidden": "integer", "params": "integer",
          "epochs": "integer", "test_accuracy": "number", "test_macro_f1": "number",
          "confusion": "a list", "final_valid_accuracy": "number", "final_loss": "number",
          "loss": "a list", "valid_accuracy": "a list", "latency_ms_batch1": "number",
          "latency_ms_per_window_batch256": "number", "peak_bytes_batch1": "integer or null",
          "peak_bytes_batch256": "integer or null", "model_bytes": "integer",
          "train_seconds": "number", "seconds_per_epoch": "number"}
RESULTS = ResultsFile("quadtheory-bearing", "bearing experiment", tuple(CSV_COLUMNS),
                      fields=FIELDS)

def _models(models: str | Sequence[str] | None) -> tuple[str, ...]:
    if models is None:
        return MODELS
    names = [m.strip() for m in (models.split(",") if isinstance(models, str) else models)]
    for name in names:
        architecture(name)
    if not names:
        raise QuadTheoryError(f"--models: expected names among {', '.join(MODELS)}, found "
                              "none")
    return tuple(dict.fromkeys(names))


def _per_class(counts: Sequence[int]) -> tuple[int, int, int]:
    values = tuple(counts)
    if len(values) != 3 or not all(is_integer(v, 1) for v in values):
        raise QuadTheoryError(f"per_class: expected three positive integers (training, "
                              f"validation, test windows per class), found {quoted(counts)}")
    return values  # type: ignore[return-value]


def bearing(data: str | os.PathLike[str], *, snr: float | None = -6.0,
            epochs: int | None = None, seeds: str | Sequence[int] | None = None,
            models: str | Sequence[str] | None = None, quick: bool = False,
            per_class: Sequence[int] | None = None, jobs: int | None = None,
            scheduler: str | None = None,
            out: str | os.PathLike[str] = "bearing", progress_bar: bool | None = None
            ) -> BearingReport:
    """Run (or resume) the bearing experiment on the CWRU recordings in ``data``; write
    ``out/results.{json,csv}``, ``summary.md`` and the figures; return the report.

    Defaults: the four models of :data:`MODELS`, seeds 0,1,2, 30 epochs, 500/250/250 windows
    per class (train/validation/test), noise at −6 dB. ``quick``: one seed, 3 epochs,
    100/50/50 windows per class (a smoke test of the whole pipeline, not a result).
    Explicit arguments win over both (``per_class``: training, validation, test windows per
    class).

    >>> bearing("/nonexistent", out="unused")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: --data '/nonexistent': missing 10 of the 10 CWRU recordings ...
    """
    folder = check_folder(data)
    base = QUICK if quick else DEFAULTS
    if snr is not None and not isinstance(snr, int | float):
        raise QuadTheoryError(f"--snr: expected a number of dB (or none), found {quoted(snr)}")
    setup = Setup(None if snr is None or snr == float("inf") else float(snr),
                  positive(base["epochs"] if epochs is None else epochs, "epochs"),
                  _per_class(base["per_class"] if per_class is None else per_class),
                  repeats=base["repeats"])
    names = _models(models)
    seeds = parse_integers(base["seeds"] if seeds is None else seeds, "--seeds", 0, "0,1,2")
    grid = [Cell(seed, model, setup, str(folder.resolve())) for seed in seeds for model in names]
    folder = output_folder(out)
    where = backend(jobs, scheduler)
    with locked(folder):   # one run at a time in a folder, from its results to its report
        run = run_resumable(folder, RESULTS, setup.as_dict(),
                            [Job(cell.key, run_cell, (cell,)) for cell in grid], where,
                            progress=progress_bar, desc="bearing")
        keys = [c.key for c in sorted(grid)]
        failed_cells(run, keys, folder, "bearing")
        report = BearingReport(setup, names, [run.records[k] for k in keys], run.seconds,
                               run.resumed, Path(out))
        report.write()
    return report
