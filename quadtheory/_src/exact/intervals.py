"""Exact interval arithmetic over rationals, with unbounded ends for the domain R^n.

Used to prove the sign of every relu pre-activation: a proof, not a sample, so every
operation is exact (``Fraction``) and every bound is rigorous (never rounded inward).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from ..core.numbers import format_rational

Bound = Fraction | float  # a Fraction, or ±math.inf for an unbounded end
INF = math.inf


def _mul(a: Bound, b: Bound) -> Bound:
    # 0 * inf = 0 here: an exact zero endpoint times an unbounded one bounds nothing away.
    return Fraction(0) if a == 0 or b == 0 else a * b


@dataclass(frozen=True)
class Interval:
    """A closed interval ``[lo, hi]`` with exact ends (``±inf`` allowed).

    >>> a = Interval(Fraction(-1), Fraction(2))
    >>> print(a * a, a.square(), a + 1)
    [-2, 4] [0, 4] [0, 3]
    """

    lo: Bound
    hi: Bound

    @classmethod
    def point(cls, value: Fraction) -> Interval:
        return cls(value, value)

    @classmethod
    def everything(cls) -> Interval:
        return cls(-INF, INF)

    def __add__(self, other: Interval | Fraction | int) -> Interval:
        other = _as_interval(other)
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __mul__(self, other: Interval | Fraction | int) -> Interval:
        other = _as_interval(other)
        ends = [_mul(a, b) for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return Interval(min(ends), max(ends))

    def square(self) -> Interval:
        """``{x² : x in self}``, tight (not ``self * self``, which loses the sign)."""
        return self.power(2)

    def power(self, k: int) -> Interval:
        """``{x**k : x in self}`` exactly, for an integer ``k >= 0``.

        >>> print(Interval(Fraction(-2), Fraction(1)).power(3))
        [-8, 1]
        """
        if k == 0:
            return Interval.point(Fraction(1))
        lo, hi = self.lo**k, self.hi**k
        if k % 2 == 1:
            return Interval(lo, hi)
        if self.lo <= 0 <= self.hi:
            return Interval(Fraction(0), max(lo, hi))
        return Interval(min(lo, hi), max(lo, hi))

    def meet(self, other: Interval) -> Interval:
        """The intersection of two rigorous enclosures of one quantity (also rigorous)."""
        return Interval(max(self.lo, other.lo), min(self.hi, other.hi))

    def relu(self) -> Interval:
        return Interval(max(self.lo, Fraction(0)), max(self.hi, Fraction(0)))

    def as_strings(self) -> list[str]:
        """``[lo, hi]`` as exact rational strings (``"-inf"``/``"inf"`` when unbounded)."""
        return [_text(self.lo), _text(self.hi)]

    def __str__(self) -> str:
        return f"[{_text(self.lo)}, {_text(self.hi)}]"


def _text(bound: Bound) -> str:
    if isinstance(bound, float):
        return "-inf" if bound < 0 else "inf"
    return format_rational(bound)


def _as_interval(value: Interval | Fraction | int) -> Interval:
    return value if isinstance(value, Interval) else Interval.point(Fraction(value))


def interval_sum(terms: Iterable[Interval]) -> Interval:
    """The sum of intervals (``[0, 0]`` for none)."""
    total = Interval.point(Fraction(0))
    for term in terms:
        total = total + term
    return total
