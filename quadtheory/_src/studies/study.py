"""Dimension studies: quadratic against conventional (ReLU) networks as the dimension grows.

- ``study("radial")``: Fan, Xiong, Wang (arXiv:1808.00098) state that one hidden layer of
  quadratic neurons approximates radial functions with polynomially many neurons where
  conventional networks of one hidden layer need exponentially many (Eldan & Shamir 2016,
  arXiv:1512.03965). The study trains both at equal dense parameters on ``cos(2π‖x‖²)``
  for D = 2..64 and reports the error against D and the fewest parameters reaching a
  threshold.
- ``study("barron")``: Fan et al. (2023, arXiv:2303.06316) claim a function space that
  quadratic networks approximate with a dimension-free error while conventional networks'
  error depends on D. The study trains both at equal dense parameters on targets of the
  quadratic class with Barron-type norm <= 1 (:mod:`.targets`) for D = 2..256 and fits the
  trend of the error against D.

Both are grids of independent cells (:mod:`.cells`) run through the sweep engine
(:mod:`quadtheory._src.crosscheck.engine`: this process, ``jobs`` local Dask workers, or the
Dask cluster at ``scheduler``), their records saved after every cell in ``DIR/results.json``
and ``DIR/results.csv`` so that an interrupted study resumes; then ``DIR/error_vs_dim.png``
and ``DIR/summary.md`` (:mod:`.report`). Trained errors are observations, not proofs; what
is proved is in ``proofs/radial_separation.py`` and ``proofs/barron_dimension_free.py``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from ..core.limits import one_of
from ..crosscheck.engine import Job, backend
from ..crosscheck.results import Record, ResultsFile, locked, output_folder, run_resumable
from ..crosscheck.sweep import integer_list, positive_int, seed_list
from .cells import DEFAULTS, QUICK, StudySetup, run_study_cell, study_cells
from .report import StudyReport
from .targets import KINDS

COLUMNS = ("key", "family", "dim", "budget", "width", "seed", "params", "train_rmse",
           "test_rmse", "relative_rmse", "target_std", "diverged", "seconds")
# What a finished cell's record holds (:func:`.cells.run_study_cell`), checked on resume.
FIELDS = {"key": "text", "family": "text", "dim": "integer", "budget": "integer",
          "width": "integer", "seed": "integer", "params": "integer",
          "train_rmse": "number or null", "test_rmse": "number or null",
          "relative_rmse": "number or null", "target_std": "number",
          "diverged": "true or false", "seconds": "number"}
RESULTS = ResultsFile("quadtheory-study", "study", COLUMNS, fields=FIELDS)


def study(kind: str, *, dims: Sequence[int] | None = None, widths: Sequence[int] | None = None,
          seeds: int | Sequence[int] | None = None, steps: int | None = None,
          quick: bool = False, jobs: int | None = None, scheduler: str | None = None,
          out: str | os.PathLike[str] | None = None, progress: bool | None = None
          ) -> StudyReport:
    """Run (or resume) the ``kind`` study (``"radial"`` or ``"barron"``); write its files to
    ``out`` (default ``study-KIND``); return the :class:`StudyReport`.

    ``dims``: the dimensions D; ``widths``: ReLU hidden widths (each a parameter budget; the
    quadratic width is matched to it); ``seeds``: a number of seeds or a list; ``steps``:
    Adam steps; ``quick``: a small grid (explicit arguments win); ``jobs`` / ``scheduler``:
    where the cells run (:func:`quadtheory.crosscheck` has the same).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     report = study("radial", dims=[2], widths=[2], seeds=1, steps=5, out=d)
    ...     sorted(os.listdir(d))
    ['error_vs_dim.png', 'results.csv', 'results.json', 'summary.md']
    >>> [(c["family"], c["width"], c["params"]) for c in report.table()]   # 1·9 + 6; 2·3 + 3
    [('quadratic', 1, 15), ('conventional', 2, 9)]
    """
    one_of(kind, "study kind", KINDS)
    base = (QUICK if quick else DEFAULTS)[kind]
    setup = StudySetup(kind, positive_int(base["steps"] if steps is None else steps, "steps"))
    grid_dims = integer_list(base["dims"] if dims is None else dims, "dims")
    grid_widths = integer_list(base["widths"] if widths is None else widths, "widths")
    grid_seeds = seed_list(base["seeds"] if seeds is None else seeds)
    where = backend(jobs, scheduler)
    folder = output_folder(out if out is not None else f"study-{kind}")
    grid = study_cells(grid_dims, grid_widths, grid_seeds)
    with locked(folder):   # one run at a time in a folder, from its results to its report
        run = run_resumable(folder, RESULTS, setup.as_dict(),
                            [Job(cell.key, run_study_cell, (setup, cell)) for cell in grid],
                            where, progress=progress, desc=f"study {kind}")
        keys = [cell.key for cell in grid]
        failures = run.failures(keys)
        failed_keys = {f["key"] for f in failures}
        records: list[Record] = [run.records[k] for k in keys if k not in failed_keys]
        report = StudyReport(setup, tuple(sorted(grid_dims)), grid_widths, grid_seeds,
                             records, failures, run.seconds, run.resumed, folder,
                             where.describe(), run.others(keys))
        report.write()
    return report

