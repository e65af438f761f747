"""Confidence intervals over seeds and the fitted trend of error against dimension.

- :func:`mean_ci`: the mean of a few seeds' values with Student's t interval (95% by default;
  the seeds are independent runs, the interval assumes their values roughly normal);
- :func:`trend`: the least-squares slope of ``log10(error)`` on ``log10(D)`` over every run,
  with its t interval: a slope whose interval contains 0 is read as **flat**, one above 0 as
  **growing** with D, below 0 as **falling**.

scipy gives the t quantiles (imported when a study summarises, not with quadtheory).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


def _t(level: float, df: int) -> float:
    from scipy.stats import t  # scipy is slow to import: only when a study summarises

    return float(t.ppf(0.5 + level / 2, df))


@dataclass(frozen=True)
class Interval:
    """A mean with its confidence interval (``low == high == mean`` for a single value)."""

    mean: float
    low: float
    high: float
    count: int

    def text(self, digits: int = 3) -> str:
        """
        >>> Interval(0.1234, 0.1, 0.15, 3).text()
        '0.123 [0.1, 0.15]'
        """
        if self.count < 2:
            return f"{self.mean:.{digits}g}"
        return f"{self.mean:.{digits}g} [{self.low:.{digits}g}, {self.high:.{digits}g}]"

    def as_json(self) -> dict[str, Any]:
        return {"mean": self.mean, "low": self.low, "high": self.high, "n": self.count}


def mean_ci(values: Sequence[float], level: float = 0.95) -> Interval:
    """The mean and its Student-t interval.

    >>> i = mean_ci([1.0, 2.0, 3.0])          # 2 ± t(0.975, 2)·sd/√3 = 2 ± 4.303/√3
    >>> round(i.low, 3), i.mean, round(i.high, 3)
    (-0.484, 2.0, 4.484)
    """
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return Interval(mean, mean, mean, n)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = _t(level, n - 1) * sd / math.sqrt(n)
    return Interval(mean, mean - half, mean + half, n)


@dataclass(frozen=True)
class Trend:
    """``log10(error) ≈ intercept + slope·log10(D)`` and the slope's interval."""

    slope: float
    low: float
    high: float
    points: int

    @property
    def verdict(self) -> str:
        if self.points < 3:
            return "too few runs to fit"
        if self.low > 0:
            return "growing with D"
        if self.high < 0:
            return "falling with D"
        return "flat (the slope's interval contains 0)"

    def as_json(self) -> dict[str, Any]:
        return {"slope": self.slope, "low": self.low, "high": self.high, "runs": self.points,
                "verdict": self.verdict}


def trend(dims: Sequence[int], errors: Sequence[float], level: float = 0.95) -> Trend:
    """Fit the slope of log10(error) on log10(D) (see the module docstring).

    >>> t = trend([2, 4, 8, 16], [0.1, 0.2, 0.4, 0.8])   # error doubles when D doubles
    >>> round(t.slope, 6), t.verdict
    (1.0, 'growing with D')
    """
    xs = [math.log10(d) for d in dims]
    ys = [math.log10(max(e, 1e-300)) for e in errors]
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if n < 3 or sxx == 0:
        return Trend(float("nan"), float("nan"), float("nan"), n)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    residual = sum((y - my - slope * (x - mx)) ** 2 for x, y in zip(xs, ys, strict=True))
    half = _t(level, n - 2) * math.sqrt(residual / (n - 2) / sxx)
    return Trend(slope, slope - half, slope + half, n)
