"""What the real-data studies share beyond the sweep engine: their cells run through
:func:`quadtheory._src.crosscheck.results.run_resumable` (Dask, results saved as each cell
finishes, resumable), and these helpers read their options and summarize their seeds.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from pathlib import Path

from ..core.limits import integer, quoted
from ..crosscheck.results import SweepRun
from ..errors import QuadTheoryError


def parse_integers(text: str | Sequence[int], option: str, least: int, example: str
                   ) -> tuple[int, ...]:
    """Integers at least ``least`` from ``"0,1,2"``, ``"0 1 2"`` or a sequence; duplicates
    dropped, order kept; else the option's one-line error.

    >>> parse_integers("2, 0 2", "--seeds", 0, "0,1,2")
    (2, 0)
    >>> parse_integers("1.5", "--budgets", 1, "100,300")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: --budgets: expected integers >= 1 ... like 100,300; found '1.5'
    """
    items = text.replace(",", " ").split() if isinstance(text, str) else list(text)
    try:
        # Integers or their digits only: int(2.5) or int(True) would hide a mistake.
        values = tuple(int(v) for v in items if isinstance(v, str) or type(v) is int)
    except ValueError:
        values = ()
    if not values or len(values) != len(items) or any(v < least for v in values):
        raise QuadTheoryError(f"{option}: expected integers >= {least} separated by commas or "
                              f"spaces, like {example}; found {quoted(text)}")
    return tuple(dict.fromkeys(values))


def positive(value: object, name: str) -> int:
    """``value`` when it is a positive integer, else the option's one-line error."""
    return integer(value, f"--{name}", 1, expected="a positive integer")


def failed_cells(run: SweepRun, keys: Sequence[str], folder: Path, what: str) -> None:
    """Refuse to report a run where some cell failed twice: name the first error, and say
    that a rerun (same ``--out``) retries only the failed cells."""
    failures = run.failures(keys)
    if failures:
        raise QuadTheoryError(f"{what}: {len(failures)} of {len(keys)} cells failed twice "
                              f"(kept in {folder / 'results.json'}; a rerun with the same --out "
                              f"retries them); first: {failures[0]['key']}: "
                              f"{failures[0]['error']}")


def mean_std(values: list[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value).

    >>> mean_std([0.9, 0.8, 1.0])
    (0.9, 0.1)
    """
    mean = statistics.fmean(values)
    return (round(mean, 12), round(statistics.stdev(values), 12) if len(values) > 1 else 0.0)
