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

import functools
import os
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InternalError, QuadTheoryError
from .cells import Store, output_folder, progress, run_cells
from .cwru import CLASS_NAMES, PER_CLASS, check_folder

if TYPE_CHECKING:
    from .bearing_report import BearingReport
    from .models import Architecture

MODELS = ("QCNN", "WDCNN", "WDCNN-small", "QCNN-large")
DEFAULTS = {"epochs": 30, "seeds": (0, 1, 2), "per_class": tuple(PER_CLASS.values()),
            "repeats": (50, 10)}
QUICK = {"epochs": 3, "seeds": (0,), "per_class": (100, 50, 50), "repeats": (10, 3)}
CSV_COLUMNS = ("key", "model", "family", "seed", "channels", "hidden", "params", "epochs",
               "test_accuracy", "test_macro_f1", "final_valid_accuracy", "final_loss",
               "latency_ms_batch1", "latency_ms_per_window_batch256", "peak_bytes_batch1",
               "peak_bytes_batch256", "model_bytes", "train_seconds", "seconds_per_epoch")


def architecture(model: str) -> Architecture:
    """The architecture of a model name of :data:`MODELS`.

    >>> architecture("WDCNN-small").params(), architecture("QCNN-large").params()
    (16287, 66733)
    """
    from .models import QCNN, WDCNN, matched  # torch is heavy: `import quadtheory` stays light

    if model not in MODELS:
        raise QuadTheoryError(f"--models: expected names among {', '.join(MODELS)}, found "
                              f"{model!r}")
    return {"QCNN": QCNN, "WDCNN": WDCNN,
            "WDCNN-small": matched("conventional", QCNN.params(), "WDCNN-small"),
            "QCNN-large": matched("quadratic", WDCNN.params(), "QCNN-large")}[model]


@dataclass(frozen=True)
class Setup:
    """What defines the results: a record is reused only under the same setup.

    ``snr``: dB of the added white noise (``None``: none); ``per_class``: windows per class
    for training, validation, test; ``repeats``: latency repeats at batch 1 and 256.
    """

    snr: float | None = -6.0
    epochs: int = DEFAULTS["epochs"]
    per_class: tuple[int, int, int] = DEFAULTS["per_class"]
    batch: int = 64
    lr: float = 1e-3
    quadratic_lr: float = 1e-4
    repeats: tuple[int, int] = DEFAULTS["repeats"]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {**data, "per_class": list(self.per_class), "repeats": list(self.repeats)}


@dataclass(frozen=True, order=True)
class Cell:
    """One model trained at one seed on the recordings in ``data``."""

    seed: int
    model: str
    setup: Setup
    data: str

    @property
    def key(self) -> str:
        return f"{self.model}/s{self.seed}"


@functools.lru_cache(maxsize=1)
def _data(folder: str, snr: float | None, seed: int, per_class: tuple[int, int, int]) -> Any:
    from .cwru import bearing_data

    counts = dict(zip(("train", "valid", "test"), per_class, strict=True))
    return bearing_data(folder, float("inf") if snr is None else snr, seed, counts)


def run_cell(cell: Cell) -> dict[str, Any]:
    """Train, test and measure one cell: the record written to the results. Pure: its
    numbers depend on the cell alone (one thread, deterministic algorithms, seeded data,
    initialization and batch order), except the timings.
    """
    import numpy as np  # torch and the models are heavy: `import quadtheory` stays light
    import torch

    from .measure import confusion, latency, macro_f1, one_thread
    from .models import model_bytes, parameter_count
    from .training import fit, predict

    setup, arch = cell.setup, architecture(cell.model)
    with one_thread():
        data = _data(cell.data, setup.snr, cell.seed, setup.per_class)
        torch.manual_seed(cell.seed)
        module = arch.build(classes=len(CLASS_NAMES))
        params = parameter_count(module)
        if params != arch.params(classes=len(CLASS_NAMES)):
            raise InternalError(f"{cell.model}: torch holds {params} parameters, the analytic "
                                f"count says {arch.params()}")
        history = fit(module, data.x_train, data.y_train, data.x_valid, data.y_valid,
                      epochs=setup.epochs, seed=cell.seed, batch=setup.batch, lr=setup.lr,
                      quadratic_lr=setup.quadratic_lr)
        matrix = confusion(data.y_test, predict(module, data.x_test), len(CLASS_NAMES))
        one = torch.from_numpy(data.x_test[:1])
        many = torch.from_numpy(np.resize(data.x_test, (256, *data.x_test.shape[1:])))
        record = {
            "key": cell.key, "model": cell.model, "family": arch.family, "seed": cell.seed,
            "channels": list(arch.channels), "hidden": arch.hidden, "params": params,
            "epochs": setup.epochs,
            "test_accuracy": round(float(np.trace(matrix) / matrix.sum()), 6),
            "test_macro_f1": round(macro_f1(matrix), 6), "confusion": matrix.tolist(),
            "final_valid_accuracy": history.valid_accuracy[-1],
            "final_loss": history.loss[-1], "loss": list(history.loss),
            "valid_accuracy": list(history.valid_accuracy),
            "latency_ms_batch1": round(1e3 * latency(module, one, setup.repeats[0]), 4),
            "latency_ms_per_window_batch256": round(
                1e3 * latency(module, many, setup.repeats[1]) / 256, 4),
            "peak_bytes_batch1": _peak(module, one), "peak_bytes_batch256": _peak(module, many),
            "model_bytes": model_bytes(module), "train_seconds": round(history.seconds, 2),
            "seconds_per_epoch": round(history.seconds / setup.epochs, 3)}
    return record


def _peak(module: Any, batch: Any) -> int | None:
    """Parameters, buffers, the input, and the forward pass's own peak (bytes)."""
    from .measure import forward_peak_bytes
    from .models import model_bytes

    extra = forward_peak_bytes(module, batch)
    return None if extra is None else model_bytes(module) + batch.numel() * 4 + extra


def _seeds(seeds: str | Sequence[int]) -> tuple[int, ...]:
    items = seeds.replace(",", " ").split() if isinstance(seeds, str) else list(seeds)
    try:
        values = tuple(int(v) for v in items if isinstance(v, str) or type(v) is int)
    except ValueError:
        values = ()
    if not values or len(values) != len(items) or any(v < 0 for v in values):
        raise QuadTheoryError(f"--seeds: expected non-negative integers separated by commas "
                              f"or spaces, like 0,1,2; found {seeds!r}")
    return tuple(dict.fromkeys(values))


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


def _positive(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise QuadTheoryError(f"--{name}: expected a positive integer, found {value!r}")
    return value


def bearing(data: str | os.PathLike[str], *, snr: float | None = -6.0,
            epochs: int | None = None, seeds: str | Sequence[int] | None = None,
            models: str | Sequence[str] | None = None, quick: bool = False, jobs: int = 1,
            out: str | os.PathLike[str] = "bearing", progress_bar: bool | None = None
            ) -> BearingReport:
    """Run (or resume) the bearing experiment on the CWRU recordings in ``data``; write
    ``out/results.{json,csv}``, ``summary.md`` and the figures; return the report.

    Defaults: the four models of :data:`MODELS`, seeds 0,1,2, 30 epochs, 500/250/250 windows
    per class (train/validation/test), noise at −6 dB. ``quick``: one seed, 3 epochs,
    100/50/50 windows per class (a smoke test of the whole pipeline, not a result).
    Explicit arguments win over both.

    >>> bearing("/nonexistent", out="unused")
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: --data '/nonexistent': missing 10 of the 10 CWRU recordings ...
    """
    from .bearing_report import BearingReport

    folder = check_folder(data)
    base = QUICK if quick else DEFAULTS
    if snr is not None and not isinstance(snr, int | float):
        raise QuadTheoryError(f"--snr: expected a number of dB (or none), found {snr!r}")
    setup = Setup(None if snr is None or snr == float("inf") else float(snr),
                  _positive(base["epochs"] if epochs is None else epochs, "epochs"),
                  base["per_class"], repeats=base["repeats"])
    names = _models(models)
    grid = [Cell(seed, model, setup, str(folder.resolve()))
            for seed in _seeds(base["seeds"] if seeds is None else seeds) for model in names]
    store = Store(output_folder(out), "bearing", setup.as_dict(), CSV_COLUMNS)
    todo = [cell for cell in grid if cell.key not in store.records]
    start = time.perf_counter()
    with progress(len(todo), progress_bar, "bearing") as bar:
        def done(record: dict[str, Any]) -> None:
            store.add(record)
            bar.update(1)

        run_cells(run_cell, todo, _positive(jobs, "jobs"), done)
    report = BearingReport(setup, names, [store.records[c.key] for c in sorted(grid)],
                           time.perf_counter() - start, len(grid) - len(todo), Path(out))
    report.write()
    return report
