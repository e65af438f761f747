"""The pilot's cells: one model at one parameter budget and seed, trained, tested and timed.

The models and the protocol are those of :mod:`.pilot` (a user's table; Fan et al.'s question
of parametric efficiency, arXiv:2303.06316). :func:`run_cell` is pure: a cell's scores depend on
the cell alone (seeded split and initialization, one thread), so cells run anywhere.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..errors import InternalError
from .budget import linear_params, mlp_params, pairwise, widths_for
from .measure import confusion, latency, macro_f1, one_thread
from .table import Table

DEFAULTS = {"budgets": (100, 300, 1000, 3000), "seeds": (0, 1, 2), "steps": 2000}
QUICK = {"budgets": (100, 1000), "seeds": (0,), "steps": 400}
TEST_FRACTION, VALID_FRACTION = 0.25, 0.2
CHECK_EVERY = 20
CSV_COLUMNS = ("key", "family", "budget", "seed", "widths", "params", "test_rmse",
               "test_accuracy", "test_macro_f1", "train_seconds", "best_step", "diverged",
               "latency_ms_batch1", "latency_ms_per_row_batch256")


@dataclass(frozen=True)
class Setup:
    """What defines the results (the table by its digest): records are reused only under the
    same setup."""

    source: str
    fingerprint: str
    target: str
    task: str
    rows: int
    features: int
    steps: int = DEFAULTS["steps"]
    lr: float = 1e-2
    quadratic_lr: float = 1e-2
    repeats: tuple[int, int] = (50, 10)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "repeats": list(self.repeats)}


@dataclass(frozen=True, eq=False)
class Cell:
    """One model at one budget and seed (``budget`` 0 for the fixed-size linear model)."""

    family: str
    budget: int
    seed: int
    setup: Setup
    table: Table

    @property
    def key(self) -> str:
        if self.family == "linear":
            return f"linear/s{self.seed}"
        return f"{self.family}/b{self.budget:06d}/s{self.seed}"


def split(y: np.ndarray, seed: int, classification: bool) -> tuple[np.ndarray, ...]:
    """Row indices for training, validation, test (see the module docstring).

    >>> train, valid, test = split(np.arange(40) % 2, seed=0, classification=True)
    >>> len(train), len(valid), len(test), sorted(set(np.arange(40) % 2 == 0) & {True})
    (24, 6, 10, [True])
    """
    rng = np.random.default_rng(seed)
    groups = [np.flatnonzero(y == c) for c in np.unique(y)] if classification else [
        np.arange(len(y))]
    parts: list[list[np.ndarray]] = [[], [], []]
    for group in groups:
        group = rng.permutation(group)
        n_test = max(1, round(TEST_FRACTION * len(group)))
        rest = group[n_test:]
        n_valid = max(1, round(VALID_FRACTION * len(rest))) if len(rest) > 1 else 0
        for k, piece in enumerate((rest[n_valid:], rest[:n_valid], group[:n_test])):
            parts[k].append(piece)
    return tuple(np.sort(np.concatenate(p)) for p in parts)


def _standardise(train: np.ndarray, *others: np.ndarray) -> list[np.ndarray]:
    mean, std = train.mean(axis=0), train.std(axis=0)
    std = np.where(std > 0, std, 1.0)  # constant within the training rows only
    return [(a - mean) / std for a in (train, *others)]


def _fit(module: Any, x: np.ndarray, y: np.ndarray, x_valid: np.ndarray, y_valid: np.ndarray,
         setup: Setup) -> tuple[float, int, bool]:
    """Full-batch Adam with a cosine schedule; keeps the weights of the lowest validation
    loss. Returns (seconds, the step of those weights, whether the loss diverged: training
    then stops, and the weights kept are the best before it)."""
    import torch

    from quadtheory.nn import param_groups

    from ..crosscheck.training import _adam, loss

    inputs, targets = torch.from_numpy(x), torch.from_numpy(y)
    valid_inputs, valid_targets = torch.from_numpy(x_valid), torch.from_numpy(y_valid)
    optimizer = _adam(param_groups(module, setup.lr, setup.quadratic_lr))
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=setup.steps)
    best, best_step, best_state, diverged = np.inf, 0, None, False
    start = time.perf_counter()
    for step in range(setup.steps + 1):
        if step % CHECK_EVERY == 0 or step == setup.steps:
            with torch.no_grad():
                value = loss(module, valid_inputs, valid_targets).item()
            if value < best:
                best, best_step = value, step
                best_state = {k: v.clone() for k, v in module.state_dict().items()}
        if step == setup.steps:
            break
        optimizer.zero_grad(set_to_none=True)
        value = loss(module, inputs, targets)
        if not np.isfinite(value.item()):
            diverged = True
            break
        value.backward()
        optimizer.step()
        schedule.step()
    if best_state is not None:
        module.load_state_dict(best_state)
    return time.perf_counter() - start, best_step, diverged


def run_cell(cell: Cell) -> dict[str, Any]:
    """Train, test and time one cell: the record written to the results. Its scores depend
    on the cell alone (seeded split and initialization, one thread, deterministic)."""
    import torch  # torch is heavy: `import quadtheory` stays light

    from ..crosscheck.training import build

    setup, table = cell.setup, cell.table
    classification = table.task == "classification"
    train, valid, test = split(table.y, cell.seed, classification)
    x_train, x_valid, x_test = _standardise(table.x[train], table.x[valid], table.x[test])
    if cell.family == "linear":
        x_train, x_valid, x_test = _standardise(*(pairwise(a) for a in (x_train, x_valid,
                                                                         x_test)))
    outputs = len(table.classes) if classification else 1
    if classification:
        y_train, y_valid = table.y[train], table.y[valid]
    else:
        scale = (table.y[train].mean(), table.y[train].std())
        y_train, y_valid = ((table.y[rows][:, None] - scale[0]) / scale[1]
                            for rows in (train, valid))
    if cell.family == "linear":
        widths, family = [x_train.shape[1], outputs], "conventional"
        analytic = linear_params(table.x.shape[1], outputs)
    else:
        widths, family = widths_for(cell.family, table.x.shape[1], outputs, cell.budget), \
            cell.family
        analytic = mlp_params(family, widths)
    with one_thread():
        module = build(family, widths, cell.seed)
        params = sum(p.numel() for p in module.parameters())
        if params != analytic:
            raise InternalError(f"{cell.key}: torch holds {params} parameters, the analytic "
                                f"count says {analytic}")
        seconds, best_step, diverged = _fit(module, x_train, y_train, x_valid, y_valid, setup)
        module.eval()
        with torch.no_grad():
            out = module(torch.from_numpy(x_test)).numpy()
        rows = torch.from_numpy(np.resize(x_test, (256, x_test.shape[1])))
        record: dict[str, Any] = {
            "key": cell.key, "family": cell.family, "budget": cell.budget, "seed": cell.seed,
            "widths": widths, "params": params, "train_seconds": round(seconds, 3),
            "best_step": best_step, "diverged": diverged,
            "latency_ms_batch1": round(1e3 * latency(module, rows[:1], setup.repeats[0]), 5),
            "latency_ms_per_row_batch256": round(
                1e3 * latency(module, rows, setup.repeats[1]) / 256, 6)}
    if classification:
        matrix = confusion(table.y[test], out.argmax(axis=1), len(table.classes))
        record.update(test_accuracy=round(float(np.trace(matrix) / matrix.sum()), 6),
                      test_macro_f1=round(macro_f1(matrix), 6))
    else:
        predicted = out[:, 0] * scale[1] + scale[0]
        error = float(np.sqrt(np.mean((predicted - table.y[test]) ** 2)))
        record["test_rmse"] = round(error, 9) if np.isfinite(error) else None
    return record
