"""The bearing experiment's cells: one (model, seed) trained, tested and measured.

A :class:`Cell` is one model of Fan et al.'s bearing experiment (arXiv:2303.06316; the QCNN,
the WDCNN and the parameter-matched pair of :mod:`.models`) at one seed; :func:`run_cell` is
pure (its numbers depend on the cell alone, timings aside), so cells run in any order, in any
process: in this one, in a pool (:func:`.cells.run_cells`), or on a cluster.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..errors import InternalError, QuadTheoryError
from .cwru import CLASS_NAMES, PER_CLASS, bearing_data
from .measure import confusion, forward_peak_bytes, latency, macro_f1, one_thread
from .models import QCNN, WDCNN, Architecture, matched, model_bytes, parameter_count
from .training import fit, predict

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
    counts = dict(zip(("train", "valid", "test"), per_class, strict=True))
    return bearing_data(folder, float("inf") if snr is None else snr, seed, counts)


def run_cell(cell: Cell) -> dict[str, Any]:
    """Train, test and measure one cell: the record written to the results. Pure: its
    numbers depend on the cell alone (one thread, deterministic algorithms, seeded data,
    initialization and batch order), except the timings.
    """
    import torch  # torch is heavy: `import quadtheory` stays light

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
    extra = forward_peak_bytes(module, batch)
    return None if extra is None else model_bytes(module) + batch.numel() * 4 + extra
