"""A pilot on the user's own table: do quadratic neurons pay here, and at what inference cost?

Fan et al. (arXiv:2303.06316) show that quadratic networks can reach an accuracy with fewer
parameters than conventional ones, with a gain that depends on the task. Whether it holds on a
given table is an experiment, cheap when the models are small: at each parameter budget
(:mod:`.budget`) a conventional MLP and a quadratic MLP of the same dense count, and once a
linear model on explicit pairwise interaction features, are trained over a few seeds and
compared on held-out rows (:mod:`.pilot_report` reads the verdict off the numbers).

The protocol, identical for every cell (model, budget, seed):

- a held-out test split of 1/4 of the rows, then a validation split of 1/5 of the rest, both
  drawn from the seed (per class for classification, so every class is in each split);
- features standardised with the training rows' mean and standard deviation (a regression
  target too; its RMSE is reported in the target's own units);
- full-batch Adam (``lr``; ``quadratic_lr`` for the quadratic terms), a cosine schedule over
  ``steps``, float64, one thread; the weights with the lowest validation loss (checked every
  :data:`CHECK_EVERY` steps) are the ones tested, so that a large budget is not judged on its
  overfitting;
- scores: test RMSE (regression), test accuracy and macro F1 (classification); costs: dense
  parameters, training seconds, and inference latency per row at batch 1 and 256
  (:mod:`.measure`).

Cells are independent (:func:`run_cell`), saved as they finish and resumed (:mod:`.cells`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..crosscheck.engine import Job, backend
from ..crosscheck.results import ResultsFile, locked, output_folder, run_resumable
from .cells import failed_cells, parse_integers, positive
from .pilot_cells import CSV_COLUMNS, DEFAULTS, QUICK, Cell, Setup, run_cell
from .pilot_report import PilotReport
from .table import load_table

# What a finished cell's record holds (:func:`.pilot_cells.run_cell`), checked on resume.
FIELDS = {"key": "text", "family": "text", "budget": "integer", "seed": "integer",
          "widths": "a list of integers", "params": "integer", "train_seconds": "number",
          "best_step": "integer", "diverged": "true or false",
          "latency_ms_batch1": "number", "latency_ms_per_row_batch256": "number"}
OPTIONAL = {"test_rmse": "number or null", "test_accuracy": "number",
            "test_macro_f1": "number"}
RESULTS = ResultsFile("quadtheory-pilot", "pilot", tuple(CSV_COLUMNS), fields=FIELDS,
                      optional=OPTIONAL)

def pilot(data: Any, target: str | None = None, *, task: str | None = None,
          budgets: str | Sequence[int] | None = None, seeds: str | Sequence[int] | None = None,
          one_hot: str | Sequence[str] = (), steps: int | None = None, quick: bool = False,
          lr: float = 1e-2, quadratic_lr: float = 1e-2, jobs: int | None = None,
          scheduler: str | None = None,
          out: str | os.PathLike[str] = "pilot", progress_bar: bool | None = None
          ) -> PilotReport:
    """Run (or resume) the pilot on ``data`` (a CSV path, a dict of columns, a pandas
    DataFrame, or ``(X, y)`` arrays, whose target is then ``"y"``) and write ``out``.

    Defaults: budgets 100, 300, 1000, 3000 dense parameters; seeds 0, 1, 2; 2000 Adam steps.
    ``quick``: budgets 100, 1000; one seed; 400 steps. Explicit arguments win.

    >>> import tempfile
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.uniform(-1, 1, size=(60, 2))
    >>> with tempfile.TemporaryDirectory() as d:
    ...     report = pilot((x, x[:, 0] * x[:, 1]), budgets=[30], seeds=[0], steps=50, out=d)
    ...     sorted(p.name for p in Path(d).iterdir())
    ['results.csv', 'results.json', 'scores.png', 'summary.md']
    >>> [(r["family"], r["params"]) for r in report.rows]   # [2, w, 1]: 4w + 1, 3·(4w + 1)
    [('linear', 6), ('conventional', 29), ('quadratic', 27)]
    """
    table = load_table(data, target, task=task,
                       one_hot=one_hot.split(",") if isinstance(one_hot, str) else one_hot)
    base = QUICK if quick else DEFAULTS
    setup = Setup(table.source, table.fingerprint, table.target, table.task, len(table.y),
                  table.x.shape[1], positive(base["steps"] if steps is None else steps,
                                              "steps"),
                  float(lr), float(quadratic_lr), (10, 3) if quick else (50, 10))
    seeds = parse_integers(base["seeds"] if seeds is None else seeds, "--seeds", 0, "0,1,2")
    budgets = sorted(parse_integers(base["budgets"] if budgets is None else budgets,
                                    "--budgets", 1, "100,300,1000"))
    grid = [Cell(family, budget, seed, setup, table) for seed in seeds
            for family, budget in (("linear", 0), *((f, b) for b in budgets
                                                    for f in ("conventional", "quadratic")))]
    folder = output_folder(out)
    where = backend(jobs, scheduler)
    unique = {cell.key: cell for cell in grid}
    with locked(folder):   # one run at a time in a folder, from its results to its report
        run = run_resumable(folder, RESULTS, setup.as_dict(),
                            [Job(key, run_cell, (cell,)) for key, cell in unique.items()],
                            where, progress=progress_bar, desc="pilot")
        keys = sorted(unique)
        failed_cells(run, keys, folder, "pilot")
        report = PilotReport(setup, table, [run.records[k] for k in keys], run.seconds,
                             run.resumed, Path(out))
        report.write()
    return report
