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
and ``DIR/summary.md`` (:mod:`.report`). Cells (:mod:`.cells`) run in one thread each, so
``jobs`` changes nothing but the time.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from ..core.numbers import format_rational
from ..errors import QuadTheoryError
from .cells import DEFAULTS, FAMILIES, QUICK, Cell, Setup, cells, construction, run_cell
from .report import CrosscheckReport
from .results import load_results, save_results
from .tasks import parse_target

# -- the sweep ---------------------------------------------------------------------------------

def _progress(total: int, show: bool | None) -> Any:
    from tqdm import tqdm

    if show is None:  # a bar on a terminal, quiet in CI and in pipes
        show = sys.stderr.isatty() and not os.environ.get("CI")
    return tqdm(total=total, disable=not show, desc="crosscheck", unit="cell", file=sys.stderr)


def _pool(jobs: int) -> ProcessPoolExecutor:
    # forkserver: workers start from a clean process that has imported torch once, not from
    # this one (whose torch threads a fork would inherit half-initialized). torch._dynamo is
    # what an optimizer's first construction imports: seconds, paid once there.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["quadtheory._src.crosscheck.cells",
                                    "quadtheory._src.crosscheck.training",
                                    "torch._dynamo"])
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context)


def _run(setup: Setup, todo: list[Cell], jobs: int, done: Callable[[dict[str, Any]], None]
         ) -> None:
    if jobs == 1 or len(todo) <= 1:
        for cell in todo:
            done(run_cell(setup, cell))
        return
    with _pool(jobs) as pool:
        futures = [pool.submit(run_cell, setup, cell) for cell in todo]
        try:
            for future in as_completed(futures):
                done(future.result())
        except BaseException:  # interrupted: what finished is saved; drop the queue
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _integers(value: object, name: str, low: int = 1) -> tuple[int, ...]:
    """A parameter that is a list of integers >= ``low`` (duplicates dropped, order kept)."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence) or not value or not all(
            type(v) is int and v >= low for v in value):
        raise QuadTheoryError(f"{name}: expected a non-empty list of integers >= {low} such as "
                              f"[1, 2, 4], found {value!r:.80}")
    return tuple(dict.fromkeys(value))


def _positive(value: object, name: str) -> int:
    if type(value) is not int or value < 1:
        raise QuadTheoryError(f"{name}: expected a positive integer, found {value!r:.80}")
    return value


def _seeds(value: object) -> tuple[int, ...]:
    if type(value) is int:
        return tuple(range(_positive(value, "seeds")))
    return _integers(value, "seeds", low=0)


def _rate(value: object, name: str) -> float:
    if type(value) not in (int, float) or not (0 < value < float("inf")):
        raise QuadTheoryError(f"{name}: expected a positive finite learning rate, found "
                              f"{value!r:.80}")
    return float(value)


def _families(family: object) -> tuple[str, ...]:
    """``"quadratic"``, ``"relu"`` (or ``"conventional"``), ``"both"``, or a list of them."""
    names = [family] if isinstance(family, str) else family
    if not isinstance(names, Sequence) or not names:
        raise QuadTheoryError(f"family: expected quadratic, relu or both, found {family!r:.80}")
    out: list[str] = []
    for name in names:
        wanted = {"both": FAMILIES, "relu": ("conventional",)}.get(name, (name,))
        if not isinstance(name, str) or any(w not in FAMILIES for w in wanted):
            raise QuadTheoryError(f"family: expected quadratic, relu (conventional) or both, "
                                  f"found {name!r:.80}")
        out += wanted
    return tuple(dict.fromkeys(out))


def _domain(target: str, dim: int | None, domain: object) -> tuple[tuple[str, str], ...] | None:
    """The domain as exact rational strings, one ``(lo, hi)`` per variable of the target (the
    one domain parser reads it: :func:`.tasks.parse_target`)."""
    if domain is None:
        return None
    box = parse_target(target, dim, domain).box
    return tuple((format_rational(lo), format_rational(hi)) for lo, hi in box)


def crosscheck(target: str, *, dim: int | None = None, domain: object = None,
               widths: Sequence[int] | None = None, depths: Sequence[int] | None = None,
               seeds: int | Sequence[int] | None = None, steps: int | None = None,
               family: str | Sequence[str] = "both", jobs: int = 1,
               out: str | os.PathLike[str] | None = None, quick: bool = False,
               lr: float = 1e-2, quadratic_lr: float = 1e-2, progress: bool | None = None
               ) -> CrosscheckReport:
    """Run (or resume) a training cross-check of ``target``; write its files to ``out``
    (``results.json``, ``results.csv``, ``efficiency.png``, ``summary.md``); return the
    :class:`CrosscheckReport`.

    ``target``: a polynomial, ``"radial:G"`` (with ``dim``) or ``"task:circles"``,
    ``"task:spheres"``, ``"task:gaussians"``; ``domain``: a polynomial's box (any spelling
    of :func:`quadtheory.construct`); ``widths``, ``depths``: lists of hidden widths and
    depths; ``seeds``: a number of seeds (0..N-1) or a list of seeds; ``steps``: Adam steps;
    ``family``: ``"quadratic"``, ``"relu"`` or ``"both"``; ``jobs``: cells run in that many
    processes (same results); ``quick`` shrinks the defaults (widths [2, 8], depths [1, 2],
    1 seed, 300 steps), explicit arguments win; ``out`` defaults to ``crosscheck-<target>``;
    ``progress``: a bar on stderr (default: on a terminal only).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     report = crosscheck("x**2", widths=[2], depths=[1], seeds=1, steps=20, out=d,
    ...                         family="relu")
    ...     sorted(p.name for p in Path(d).iterdir())
    ['efficiency.png', 'results.csv', 'results.json', 'summary.md']
    >>> report.as_json()["cells"], report.violations
    (1, [])
    """
    if not isinstance(target, str):
        raise QuadTheoryError(f"target: expected a string such as 'x**2', found {target!r:.80}")
    base = QUICK if quick else DEFAULTS
    names = _families(family)
    setup = Setup(target, dim, _domain(target, dim, domain),
                  _positive(base["steps"] if steps is None else steps, "steps"),
                  _rate(lr, "lr"), _rate(quadratic_lr, "quadratic_lr"))
    task = setup.task()
    grid = cells(task, names, _integers(base["depths"] if depths is None else depths, "depths"),
                 _integers(base["widths"] if widths is None else widths, "widths"),
                 _seeds(base["seeds"] if seeds is None else seeds))
    jobs = _positive(jobs, "jobs")
    folder = Path(out if out is not None else "crosscheck-" + "".join(
        c if c.isalnum() else "_" for c in target).strip("_"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise QuadTheoryError(f"out {str(folder)!r}: cannot create it ({error.strerror})"
                              ) from None
    records = load_results(folder, setup)
    todo = [c for c in grid if c.key not in records]
    start = time.perf_counter()
    with _progress(len(todo), progress) as bar:
        def done(record: dict[str, Any]) -> None:
            records[record["key"]] = record
            save_results(folder, setup, records)
            bar.update(1)

        _run(setup, todo, jobs, done)
    keys = {c.key for c in grid}
    report = CrosscheckReport(setup, task, [records[k] for k in sorted(keys)],
                    construction(setup) if task.kind == "regression" else None,
                    time.perf_counter() - start, len(grid) - len(todo), folder)
    report.write()
    return report
