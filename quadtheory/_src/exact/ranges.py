"""Exact interval arithmetic on ``(lo, hi)`` pairs of fast rationals: the arithmetic of proofs.

The relu sign proofs of :func:`quadtheory.verify`, the shifts of the constructions and the
float error bounds all enclose values layer by layer. :class:`~.intervals.Interval` is the
public, readable form; here the same exact arithmetic runs on plain pairs of python-flint
``fmpq`` (``Fraction`` without python-flint), ``None`` marking an unbounded end, several
times faster: no rounding, so every bound is rigorous and the results are the rationals the
``Fraction`` version gives. A product of two affine forms proportional to each other is a
square times a constant (``λ·r²``), whose sign is kept (the enclosure of a square).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..core.numbers import Q, fast, slow
from .intervals import INF, Interval

ZERO, ONE = Q(0), Q(1)
# Signs and comparisons go through numerators: python-flint's rich comparison of two fmpq is
# several times slower than a subtraction and an integer sign.
Range = tuple[Any, Any]  # (lo, hi): exact rationals, None for an unbounded end
EVERYTHING: Range = (None, None)
Row = Sequence[tuple[int, Any]]  # (column, weight) pairs of fast rationals


q, fraction = fast, slow  # Fraction <-> fast rational


def from_interval(interval: Interval) -> Range:
    """An :class:`Interval` as a pair.

    >>> from_interval(Interval(-INF, slow(Q(1))))[0] is None
    True
    """
    lo, hi = interval.lo, interval.hi
    return (None if lo == -INF else q(lo), None if hi == INF else q(hi))


def to_interval(r: Range) -> Interval:
    """A pair as an :class:`Interval` (``Fraction`` ends).

    >>> str(to_interval((None, Q(1, 2))))
    '[-inf, 1/2]'
    """
    return Interval(-INF if r[0] is None else fraction(r[0]),
                    INF if r[1] is None else fraction(r[1]))


def point(value: Any) -> Range:
    return (value, value)


def _low(x: Any, y: Any) -> Any:
    return x if (x - y).numerator <= 0 else y


def _high(x: Any, y: Any) -> Any:
    return x if (x - y).numerator >= 0 else y


def add(a: Range, b: Range) -> Range:
    """``a + b``.

    >>> add((Q(0), Q(1)), (Q(-1), None))
    (-1, None)
    """
    return (None if a[0] is None or b[0] is None else a[0] + b[0],
            None if a[1] is None or b[1] is None else a[1] + b[1])


def shift(a: Range, c: Any) -> Range:
    return (None if a[0] is None else a[0] + c, None if a[1] is None else a[1] + c)


def scale(a: Range, c: Any) -> Range:
    """``c·a`` for a rational ``c`` (``0·∞ = 0``).

    >>> scale((Q(-1), None), Q(-2))
    (None, 2)
    """
    if not c:
        return (ZERO, ZERO)
    lo, hi = a
    if c.numerator > 0:
        return (None if lo is None else lo * c, None if hi is None else hi * c)
    return (None if hi is None else hi * c, None if lo is None else lo * c)


def _extended(end: Any, sign: int) -> tuple[int, Any]:
    # An end as a sortable pair: (0, value) when finite, (±1, 0) when infinite.
    return (sign, 0) if end is None else (0, end)


def _times(x: tuple[int, Any], y: tuple[int, Any]) -> tuple[int, Any]:
    if x[0] == 0 and y[0] == 0:
        return (0, x[1] * y[1])
    if (x[0] == 0 and x[1] == 0) or (y[0] == 0 and y[1] == 0):
        return (0, ZERO)  # an exact zero times an unbounded end bounds nothing away
    sx = x[0] or (1 if x[1].numerator > 0 else -1)
    sy = y[0] or (1 if y[1].numerator > 0 else -1)
    return (sx * sy, 0)


def mul(a: Range, b: Range) -> Range:
    """``{x·y : x in a, y in b}``, exactly.

    >>> mul((Q(-1), Q(2)), (Q(-1), Q(2)))
    (-2, 4)
    >>> mul((Q(0), Q(0)), EVERYTHING), mul((Q(1), Q(2)), (Q(-1), None))
    ((0, 0), (-2, None))
    """
    a0, a1 = a
    b0, b1 = b
    if a0 is not None and a1 is not None and b0 is not None and b1 is not None:
        # The classical case analysis on the signs of the ends: two products, mostly.
        if a0.numerator >= 0:
            if b0.numerator >= 0:
                return (a0 * b0, a1 * b1)
            return (a1 * b0, a0 * b1) if b1.numerator <= 0 else (a1 * b0, a1 * b1)
        if a1.numerator <= 0:
            if b0.numerator >= 0:
                return (a0 * b1, a1 * b0)
            return (a1 * b1, a0 * b0) if b1.numerator <= 0 else (a0 * b1, a0 * b0)
        if b0.numerator >= 0:
            return (a0 * b1, a1 * b1)
        if b1.numerator <= 0:
            return (a1 * b0, a0 * b0)
        return (_low(a0 * b1, a1 * b0), _high(a0 * b0, a1 * b1))
    ends = [_times(x, y) for x in (_extended(a0, -1), _extended(a1, 1))
            for y in (_extended(b0, -1), _extended(b1, 1))]
    low, high = min(ends), max(ends)
    return (None if low[0] else low[1], None if high[0] else high[1])


def power(a: Range, k: int) -> Range:
    """``{x**k : x in a}`` exactly, for an integer ``k >= 0``.

    >>> power((Q(-2), Q(1)), 2), power((Q(-2), Q(1)), 3), power((None, Q(-1)), 2)
    ((0, 4), (-8, 1), (1, None))
    """
    if k == 0:
        return (ONE, ONE)
    lo, hi = a
    low = None if lo is None else lo**k
    high = None if hi is None else hi**k
    if k % 2:
        return (low, high)
    if (lo is None or lo.numerator <= 0) and (hi is None or hi.numerator >= 0):
        return (ZERO, None if low is None or high is None else _high(low, high))
    if lo is None:  # all below zero
        return (high, None)
    if hi is None:  # all above zero
        return (low, None)
    return (_low(low, high), _high(low, high))


def meet(a: Range, b: Range) -> Range:
    """The intersection of two rigorous enclosures of one quantity (also rigorous)."""
    lo = b[0] if a[0] is None else a[0] if b[0] is None else _high(a[0], b[0])
    hi = b[1] if a[1] is None else a[1] if b[1] is None else _low(a[1], b[1])
    return (lo, hi)


def relu(a: Range) -> Range:
    """``{max(x, 0) : x in a}``.

    >>> relu((Q(-1), None)), relu((None, Q(-2)))
    ((0, None), (0, 0))
    """
    lo = ZERO if a[0] is None or a[0].numerator < 0 else a[0]
    hi = None if a[1] is None else a[1] if a[1].numerator > 0 else ZERO
    return (lo, hi)


def nonnegative(a: Range) -> bool:
    return a[0] is not None and a[0].numerator >= 0


def nonpositive(a: Range) -> bool:
    return a[1] is not None and a[1].numerator <= 0


def magnitude(a: Range) -> Any:
    """``max |x|`` over the range (None when unbounded).

    >>> magnitude((Q(-3), Q(2))), magnitude((Q(0), None))
    (3, None)
    """
    if a[0] is None or a[1] is None:
        return None
    return _high(-a[0], a[1])


def affine(row: Row, bias: Any, below: Sequence[Range]) -> Range:
    """The exact range of ``Σ w_j·h_j + bias`` for independent ``h_j`` in ``below``.

    >>> affine([(0, Q(1)), (1, Q(-1))], Q(1), [(Q(0), Q(1)), (Q(0), Q(2))])
    (-1, 2)
    """
    lo = hi = bias
    for j, w in row:
        b0, b1 = below[j]
        if w.numerator > 0:
            lo = None if lo is None or b0 is None else lo + w * b0
            hi = None if hi is None or b1 is None else hi + w * b1
        else:
            lo = None if lo is None or b1 is None else lo + w * b1
            hi = None if hi is None or b0 is None else hi + w * b0
    return (lo, hi)


def proportion(row_a: Row, bias_a: Any, row_b: Row, bias_b: Any) -> Any:
    """λ with ``(row_b, bias_b) = λ·(row_a, bias_a)``, if there is one (λ != 0), else None.

    >>> proportion([(0, Q(1))], Q(2), [(0, Q(3))], Q(6))
    3
    """
    if len(row_a) != len(row_b) or (bias_a == 0) != (bias_b == 0) or not (row_a or bias_a):
        return None
    lam = None
    for (ja, wa), (jb, wb) in zip(row_a, row_b):
        if ja != jb:
            return None
        ratio = wb / wa
        if lam is None:
            lam = ratio
        elif ratio != lam:
            return None
    if bias_a:
        ratio = bias_b / bias_a
        if lam is not None and ratio != lam:
            return None
        lam = ratio
    return lam


def quadratic_range(row_r: Row, b_r: Any, row_g: Row, b_g: Any, row_b: Row, c: Any,
                    below: Sequence[Range]) -> Range:
    """The layer-by-layer enclosure of a quadratic neuron's pre-activation
    ``(w_r·h + b_r)(w_g·h + b_g) + w_b·(h⊙h) + c``: a product of proportional forms is
    ``λ·r²`` (its sign kept), squares are squares.

    >>> box = [(Q(-1), Q(1))]
    >>> quadratic_range([(0, Q(1))], Q(-1), [(0, Q(1))], Q(-1), [], Q(0), box)  # (x - 1)²
    (0, 4)
    """
    r = affine(row_r, b_r, below)
    lam = proportion(row_r, b_r, row_g, b_g)
    product = scale(power(r, 2), lam) if lam is not None else mul(r, affine(row_g, b_g, below))
    total = shift(product, c)
    for i, w in row_b:
        total = add(total, scale(power(below[i], 2), w))
    return total
