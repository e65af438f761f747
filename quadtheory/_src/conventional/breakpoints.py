"""The breakpoints of a conventional network on a bounded interval, in integer arrays.

:mod:`.pieces` needs every linear piece of a ReLU network of one variable, exactly; Yarotsky's
``f_20`` has 2^20 of them. Here every point of the interval that matters (its two ends, then
every breakpoint found) is one row of integers ``(X, h_1, …, h_m, D)`` with ``D > 0`` and
no common factor: the input ``X/D`` and the current layer's values ``h_i/D`` there
(homogeneous coordinates, so one point is one vector whatever its denominators). Between two
neighbouring rows every value is affine, so

- a layer ``z = W·h + b``, with ``W``, ``b`` integers over a common denominator ``L``, maps a
  row to ``(L·X, W_L·h + b_L·D, L·D)``: no division, and every row at once (numpy);
- relu is taken row by row, after inserting, between two neighbours ``P`` and ``Q`` whose
  entry ``i`` changes sign strictly, the point where it vanishes: ``Q_i·P − P_i·Q`` (its
  entry ``i`` is 0; the sign is chosen to keep ``D > 0``), again integers only.

The arrays hold ``int64`` while a bound on every entry proves that no product or sum can
overflow, Python integers (``object``) otherwise: exact either way, so the breakpoints are
the exact ones (they agree with the cell-by-cell computation, which the tests check).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

_INT64 = 2**62  # products and sums below this stay in int64, with a factor 2 to spare

Rows = tuple[list[list[tuple[int, int]]], list[int], int]  # (rows of (j, w), biases, L)


def integer_layer(w_rows: Sequence[Sequence[tuple[int, Fraction]]], bias: Sequence[Fraction]
                  ) -> Rows:
    """A layer's nonzero weights and its biases as integers over one common denominator.

    >>> integer_layer([[(0, Fraction(1, 2)), (1, Fraction(0))]], [Fraction(-1, 3)])
    ([[(0, 3)]], [-2], 6)
    """
    entries = [v for row in w_rows for _, v in row] + list(bias)
    scale = math.lcm(*(v.denominator for v in entries)) if entries else 1
    rows = [[(j, int(v * scale)) for j, v in row if v] for row in w_rows]
    return rows, [int(c * scale) for c in bias], scale


def initial_points(start: Fraction, end: Fraction,
                   values: Sequence[tuple[Fraction, Fraction]]) -> np.ndarray:
    """The rows of the two ends, for inputs ``a·s + b`` (``values``) of the parameter ``s``.

    >>> initial_points(Fraction(0), Fraction(1, 2), [(Fraction(2), Fraction(1))]).tolist()
    [[0, 1, 1], [1, 4, 2]]
    """
    rows = []
    for s in (start, end):
        vals = [a * s + b for a, b in values]
        d = math.lcm(s.denominator, *(v.denominator for v in vals))
        rows.append([int(s * d), *(int(v * d) for v in vals), d])
    return _reduced(_typed(np.array(rows, dtype=object), 1))


def _magnitude(a: np.ndarray) -> int:
    return int(np.abs(a).max()) if a.size else 0


def _typed(a: np.ndarray, factor: int) -> np.ndarray:
    """``a`` as int64 if entries up to ``factor`` times the largest one fit, else as Python
    integers."""
    if _magnitude(a) * factor < _INT64:
        return a if a.dtype == np.int64 else a.astype(np.int64)
    return a if a.dtype == object else a.astype(object)


def _reduced(a: np.ndarray) -> np.ndarray:
    """Each row divided by the gcd of its entries (positive: its last entry ``D`` is)."""
    g = np.gcd.reduce(a, axis=1)
    if a.dtype == object:
        if all(v == 1 for v in g):
            return a
        return a // g.reshape(-1, 1)
    return a // g.reshape(-1, 1) if (g != 1).any() else a


def map_layer(points: np.ndarray, layer: Rows) -> np.ndarray:
    """Every row through one affine layer (before any activation), reduced."""
    rows, bias, scale = layer
    # An entry of the result is at most (Σ|w| + |b|) times the largest entry.
    growth = max([scale] + [sum(abs(v) for _, v in row) + abs(b) for row, b in zip(rows, bias)])
    points = _typed(points, growth)
    d = points[:, -1]
    columns = [points[:, 0] * scale]
    for row, b in zip(rows, bias):
        total = d * b
        for j, v in row:
            total = total + points[:, j + 1] * v
        columns.append(total)
    columns.append(d * scale)
    return _reduced(np.stack(columns, axis=1))


def relu_split(points: np.ndarray) -> np.ndarray:
    """relu of every row's values, with the points where a value changes sign strictly
    between two neighbouring rows inserted in order (one row where several vanish)."""
    values = points[:, 1:-1]
    positive, negative = values > 0, values < 0
    out = _relu(points)
    crossing = (positive[:-1] & negative[1:]) | (negative[:-1] & positive[1:])
    left, entry = np.nonzero(crossing)  # row-major: each interval's crossings together
    if not left.size:
        return out
    p, q = _typed(points[left], 2 * _magnitude(points)), points[left + 1]
    q = q.astype(p.dtype)
    at = np.arange(left.size)
    a, b = q[at, entry + 1], -p[at, entry + 1]  # a·P + b·Q has entry i = 0
    flip = a < 0
    a, b = np.where(flip, -a, a), np.where(flip, -b, b)
    roots = _reduced(a.reshape(-1, 1) * p + b.reshape(-1, 1) * q)
    rank = np.zeros(left.size, dtype=np.int64)
    keep = np.ones(left.size, dtype=bool)
    starts = np.flatnonzero(np.r_[True, left[1:] != left[:-1]])
    ends = np.r_[starts[1:], left.size]
    for s, e in zip(starts[ends - starts > 1], ends[ends - starts > 1]):
        # Several crossings in one interval: order them by the input X/D, which increases
        # along the interval; equal rows are one point (lowest terms, D > 0).
        found = sorted(range(s, e), key=lambda k: Fraction(int(roots[k, 0]), int(roots[k, -1])))
        for r, k in enumerate(found):
            rank[k] = r
            if r and (roots[k] == roots[found[r - 1]]).all():
                keep[k] = False
    roots = _relu(roots[keep])
    where = np.concatenate([np.arange(len(points)), left[keep]])
    after = np.concatenate([np.zeros(len(points), dtype=np.int64), 1 + rank[keep]])
    order = np.lexsort((after, where))
    both = np.concatenate([out.astype(roots.dtype), roots])
    return both[order]


def _relu(points: np.ndarray) -> np.ndarray:
    """The rows with relu taken of their values (``X`` and ``D`` kept)."""
    out = points.copy()
    out[:, 1:-1] = np.where(points[:, 1:-1] > 0, points[:, 1:-1], 0)
    return out


def affine_between(points: np.ndarray) -> tuple[list[list[int]], list[list[int]], list[int]]:
    """Between each two neighbouring rows ``P``, ``Q``, every value's affine function of the
    input ``x``: slope ``(v_Q·D_P − v_P·D_Q)/Δ`` and intercept ``(v_P·X_Q − X_P·v_Q)/Δ``,
    with ``Δ = X_Q·D_P − X_P·D_Q > 0``; returned as the slopes' and intercepts' numerators
    (one list per value) and ``Δ`` per interval, Python integers (not reduced).

    >>> rows = np.array([[0, 1, 1], [1, 3, 2]], dtype=object)   # x = 0: 1; x = 1/2: 3/2
    >>> affine_between(rows)                                    # 1 + x: slope 1, intercept 1
    ([[1]], [[1]], [1])
    """
    # Products of two entries: int64 while they fit.
    points = _typed(points, 4 * _magnitude(points))
    p, q = points[:-1], points[1:]
    xp, dp, xq, dq = p[:, 0], p[:, -1], q[:, 0], q[:, -1]
    slopes, intercepts = [], []
    for i in range(1, points.shape[1] - 1):
        slopes.append((q[:, i] * dp - p[:, i] * dq).tolist())
        intercepts.append((p[:, i] * xq - xp * q[:, i]).tolist())
    return slopes, intercepts, (xq * dp - xp * dq).tolist()
