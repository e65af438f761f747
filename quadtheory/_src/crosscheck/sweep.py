"""The training cross-check: what optimization finds, against what the theory proves.

Theory says what networks can represent; training says what gradient descent finds. For a
target (:mod:`.tasks`), every cell (family, hidden depth, width, seed) trains an MLP with the
honest loop of :mod:`.training` and is then read back exactly (:func:`quadtheory.nn.
from_torch`), so that the checks use exact arithmetic:

- **the lower bound** (Yarotsky 2017, arXiv:1610.01145, Thm 6): a ReLU network with error ε
  along a segment where the target curves needs ``k(ε)`` linear pieces there, ``⌈log2 k⌉``
  neurons, and, at its depth, a least number of dense parameters. Every trained conventional
  network's exact pieces and exact sup error along the bound's segment are checked against
  it: a trained network beating the bound is a **violation**, a bug in a bound or in the
  code, and is reported loudly;
- **the construction survives training**: the exact quadratic construction (Fan et al.,
  arXiv:2303.06316), exported to torch and trained with the same loop, keeps (near) zero loss;
  the same architecture trained from ReLinear and random inits is reported beside it;
- **parametric efficiency**: for thresholds of test RMSE (accuracy for the classification
  tasks), the fewest dense parameters at which each family gets there, and their ratio.

Results go to ``DIR/results.json`` and ``DIR/results.csv`` after every cell (atomically, so
an interrupted sweep resumes where it stopped; :mod:`.results`), then ``DIR/efficiency.png``
and ``DIR/summary.md`` (:mod:`.report`). Cells (:mod:`.cells`) run through the sweep engine
(:mod:`.engine`: in this process, on a local Dask cluster of ``jobs`` workers, or on an existing
cluster at ``scheduler``), one torch thread each, so where they run changes nothing but the time.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from ..core.limits import integer, is_integer, quoted
from ..core.numbers import format_rational
from ..errors import QuadTheoryError
from .cells import DEFAULTS, FAMILIES, QUICK, Setup, cells, construction, run_cell
from .engine import Job, backend
from .report import CrosscheckReport
from .results import Record, ResultsFile, locked, output_folder, run_resumable
from .tasks import parse_target

CSV_COLUMNS = ("key", "kind", "family", "init", "depth", "width", "seed", "widths", "params",
               "neurons", "steps", "train_rmse", "test_rmse", "test_rmse_start",
               "train_accuracy", "test_accuracy", "sup_error", "sup_error_method",
               "bound_pieces", "bound_pieces_needed", "violations", "diverged", "seconds")


def _row(record: Record) -> Record:
    bound = record.get("bound") or {}
    return {**record, "widths": "-".join(map(str, record["widths"])),
            "bound_pieces": bound.get("pieces"), "bound_pieces_needed": bound.get("pieces_needed"),
            "violations": "; ".join(bound.get("violations", []))}


# What a finished cell's record holds (:func:`.cells.run_cell`), checked before a rerun
# resumes from it; the report reads these.
FIELDS = {"key": "text", "kind": "text", "family": "text", "init": "text", "depth": "integer",
          "width": "integer", "seed": "integer", "widths": "a list of integers",
          "params": "integer", "neurons": "integer", "steps": "integer",
          "diverged": "true or false", "seconds": "number",
          "bound.violations": "a list of texts", "bound.error_float": "number",
          "bound.error_method": "text", "bound.pieces": "integer",
          "bound.pieces_needed": "integer"}
OPTIONAL = {**dict.fromkeys(("train_rmse", "test_rmse", "test_rmse_start", "sup_error",
                             "loss_start", "loss_end"), "number or null"),
            "train_accuracy": "number", "test_accuracy": "number",
            "sup_error_method": "text", "bound": "an object or null", "bound_note": "text"}
RESULTS = ResultsFile("quadtheory-crosscheck", "cross-check", CSV_COLUMNS, _row, FIELDS,
                      OPTIONAL)


def integer_list(value: object, name: str, low: int = 1) -> tuple[int, ...]:
    """A parameter that is a list of integers >= ``low`` (duplicates dropped, order kept)."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence) or not value or not all(
            is_integer(v, low) for v in value):
        raise QuadTheoryError(f"{name}: expected a non-empty list of integers >= {low} such as "
                              f"[1, 2, 4], found {quoted(value)}")
    return tuple(dict.fromkeys(value))


def positive_int(value: object, name: str) -> int:
    return integer(value, name, 1, expected="a positive integer")


def seed_list(value: object) -> tuple[int, ...]:
    if type(value) is int:
        return tuple(range(positive_int(value, "seeds")))
    return integer_list(value, "seeds", low=0)


def _rate(value: object, name: str) -> float:
    if type(value) not in (int, float) or not (0 < value < float("inf")):
        raise QuadTheoryError(f"{name}: expected a positive finite learning rate, found "
                              f"{quoted(value)}")
    return float(value)


def _families(family: object) -> tuple[str, ...]:
    """``"quadratic"``, ``"relu"`` (or ``"conventional"``), ``"both"``, or a list of them."""
    names = [family] if isinstance(family, str) else family
    if not isinstance(names, Sequence) or not names:
        raise QuadTheoryError(f"family: expected quadratic, relu or both, found {quoted(family)}")
    out: list[str] = []
    for name in names:
        wanted = {"both": FAMILIES, "relu": ("conventional",)}.get(name, (name,))
        if not isinstance(name, str) or any(w not in FAMILIES for w in wanted):
            raise QuadTheoryError(f"family: expected quadratic, relu (conventional) or both, "
                                  f"found {quoted(name)}")
        out += wanted
    return tuple(dict.fromkeys(out))


def _domain(target: str, dim: int | None, domain: object) -> tuple[tuple[str, str], ...] | None:
    """The domain as exact rational strings, one ``(lo, hi)`` per variable of the target (the
    one domain parser reads it: :func:`.tasks.parse_target`); ``None`` for the default box,
    however it is spelled (``-1:1`` is no domain given).

    >>> _domain("x*y", None, "0:1"), _domain("x*y", None, "-1:1"), _domain("x", None, None)
    ((('0', '1'), ('0', '1')), None, None)
    """
    if domain is None:
        return None
    box = parse_target(target, dim, domain).box
    if box == parse_target(target, dim).box:
        return None
    return tuple((format_rational(lo), format_rational(hi)) for lo, hi in box)


def crosscheck(target: str, *, dim: int | None = None, domain: object = None,
               widths: Sequence[int] | None = None, depths: Sequence[int] | None = None,
               seeds: int | Sequence[int] | None = None, steps: int | None = None,
               family: str | Sequence[str] = "both", jobs: int | None = None,
               scheduler: str | None = None, out: str | os.PathLike[str] | None = None,
               quick: bool = False, lr: float = 1e-2, quadratic_lr: float = 1e-2,
               progress: bool | None = None) -> CrosscheckReport:
    """Run (or resume) a training cross-check of ``target``; write its files to ``out``
    (``results.json``, ``results.csv``, ``efficiency.png``, ``summary.md``); return the
    :class:`CrosscheckReport`.

    ``target``: a polynomial, ``"radial:G"`` (with ``dim``) or ``"task:circles"``,
    ``"task:spheres"``, ``"task:gaussians"``; ``domain``: a polynomial's box (any spelling
    of :func:`quadtheory.construct`); ``widths``, ``depths``: lists of hidden widths and
    depths; ``seeds``: a number of seeds (0..N-1) or a list of seeds; ``steps``: Adam steps;
    ``family``: ``"quadratic"``, ``"relu"`` or ``"both"``; ``jobs``: cells run on a local
    Dask cluster of that many worker processes (same results; default: in this process);
    ``scheduler``: the address of an existing Dask cluster to run them on instead (default
    ``$DASK_SCHEDULER_ADDRESS``, when ``jobs`` is not given); a cell failing on a worker runs
    once more, then is recorded with its error (``report.failed``); ``quick`` shrinks the
    defaults (widths [2, 8], depths [1, 2], 1 seed, 300 steps), explicit arguments win;
    ``out`` defaults to ``crosscheck-<target>``; ``progress``: a bar on stderr (default: on
    a terminal only).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     report = crosscheck("x**2", widths=[2], depths=[1], seeds=1, steps=20, out=d,
    ...                         family="relu")
    ...     sorted(os.listdir(d))
    ['efficiency.png', 'results.csv', 'results.json', 'summary.md']
    >>> report.as_json()["cells"], report.violations
    (1, [])
    """
    if not isinstance(target, str):
        raise QuadTheoryError(f"target: expected a string such as 'x**2', found {quoted(target)}")
    base = QUICK if quick else DEFAULTS
    names = _families(family)
    setup = Setup(target, dim, _domain(target, dim, domain),
                  positive_int(base["steps"] if steps is None else steps, "steps"),
                  _rate(lr, "lr"), _rate(quadratic_lr, "quadratic_lr"))
    task = setup.task()
    if task.kind == "regression":
        # The construction (cached per process) first: a target over construct's limits is
        # refused before any cell trains on it (x**10000 overflowed float64 in training).
        construction(setup)
    grid = cells(task, names,
                 integer_list(base["depths"] if depths is None else depths, "depths"),
                 integer_list(base["widths"] if widths is None else widths, "widths"),
                 seed_list(base["seeds"] if seeds is None else seeds))
    where = backend(jobs, scheduler)
    folder = output_folder(out if out is not None else "crosscheck-" + "".join(
        c if c.isalnum() else "_" for c in target).strip("_"))
    with locked(folder):   # one run at a time in a folder, from its results to its report
        run = run_resumable(folder, RESULTS, setup.as_dict(),
                            [Job(cell.key, run_cell, (setup, cell)) for cell in grid], where,
                            progress=progress, desc="crosscheck")
        keys = sorted({c.key for c in grid})
        failures = run.failures(keys)
        report = CrosscheckReport(setup, task, [run.records[k] for k in keys
                                                if k not in {f["key"] for f in failures}],
                                  construction(setup) if task.kind == "regression" else None,
                                  run.seconds, run.resumed, folder, failures, run.others(keys))
        report.write()
    return report
