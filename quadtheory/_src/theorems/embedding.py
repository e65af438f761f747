"""Exact embedded manifolds and their charts: the circle and the 2-sphere in R^D.

The manifold is the unit sphere ``S^d`` of a (d+1)-plane of R^D (d = 1: a circle, d = 2: a
2-sphere), ``x = Σ_j y_j q_j`` with ``q_0..q_d`` the first columns of the rational
orthogonal matrix ``Q = (I − A)(I + A)^{-1}``, the Cayley transform of the rational skew
matrix ``A = u vᵀ − v uᵀ`` (so every weight stays an exact rational; ``(I + A)^{-1}`` by the
Woodbury identity). Rational points of the manifold come from the inverse stereographic
projection.

Charts follow Chen, Jiang, Liao, Zhao 2019 ("Efficient approximation of deep ReLU networks
for functions on low dimensional manifolds", arXiv:1908.01842): ``2(d+1)`` centres
``c_{j±} = ±q_j`` on the manifold, chart membership read from ``t = ‖x − c‖²``
(``y_j = (t_{j−} − t_{j+})/4``, an identity on all of R^D), local coordinates the linear
projection ``z = (y_k)_{k≠j}`` onto the tangent plane at the centre. The partition of unity
is exact on the manifold, from the squares ``s_j = y_j²`` (``Σ s_j = 1`` there) and clamps
``clamp(v) = min(1, max(0, v)) = relu(v) − relu(v − 1)``:

- circle: ``ρ_{j±} = B(s_j)·G(±y_j)``, ``B(s) = clamp(4s − 3/2)``, ``G(v) = clamp(v + 1/2)``;
  ``B(s) + B(1 − s) = 1`` and ``G(v) + G(−v) = 1``, so ``Σ ρ = B(s_0) + B(1 − s_0) = 1``;
- sphere: caps ``ρ_{2±} = B₃(s_2)·G(±y_2)``, ``B₃(s) = clamp(30s − 9)``; band
  ``ρ_{j±} = (1 − B₃(s_2))·C(s_j − s_{1−j})·G(±y_j)`` (j = 0, 1), ``C(v) = clamp(15v/2 + 1/2)``,
  ``C(v) + C(−v) = 1``: ``Σ ρ = B₃ + (1 − B₃)(C(v) + C(−v)) = 1``.

Where ``ρ_{j±} > 0``: ``±y_j > 1/2`` and ``|z|² < 5/8`` (circle), ``< 7/10`` (sphere): the
chart parameter domain is the disc ``|z| ≤ a`` (``a² = 16/25``, resp. ``289/400``), which
leaves room for the ReLU network's approximate partition.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..errors import QuadTheoryError

Vector = tuple[Fraction, ...]
Affine = tuple[tuple[tuple[int, Fraction], ...], Fraction]  # Σ coef·quantity + const

MANIFOLDS = {"circle": 1, "sphere": 2}


def cayley_frame(ambient: int, columns: int) -> tuple[Vector, ...]:
    """The first ``columns`` columns of ``Q = (I − A)(I + A)^{-1}``, ``A = u vᵀ − v uᵀ`` with
    ``u = (1, ..., 1)``, ``v_k = (k² + 1)/D²``: orthonormal, exact (and, for D ≤ 64, without
    a zero entry, so every ambient coordinate enters).

    >>> q = cayley_frame(3, 2)
    >>> [sum(a * b for a, b in zip(q[i], q[k])) for i in range(2) for k in range(2)]
    [Fraction(1, 1), Fraction(0, 1), Fraction(0, 1), Fraction(1, 1)]
    """
    if ambient < columns:
        raise QuadTheoryError(f"ambient: expected a dimension D >= {columns}, found {ambient}")
    u = [Fraction(1)] * ambient
    v = [Fraction(k * k + 1, ambient * ambient) for k in range(ambient)]

    def dot(a: Sequence[Fraction], b: Sequence[Fraction]) -> Fraction:
        return sum((x * y for x, y in zip(a, b, strict=True)), Fraction(0))

    # (I + U J Uᵀ)^{-1} = I − U (J^{-1} + UᵀU)^{-1} Uᵀ, J = [[0, 1], [−1, 0]]
    m = [[dot(u, u), dot(u, v) - 1], [dot(v, u) + 1, dot(v, v)]]
    det = m[0][0] * m[1][1] - m[0][1] * m[1][0]
    inv = [[m[1][1] / det, -m[0][1] / det], [-m[1][0] / det, m[0][0] / det]]
    out = []
    for k in range(columns):
        coef = (inv[0][0] * u[k] + inv[0][1] * v[k], inv[1][0] * u[k] + inv[1][1] * v[k])
        y = [(1 if i == k else 0) - u[i] * coef[0] - v[i] * coef[1] for i in range(ambient)]
        # (I − A) y = y − u (v·y) + v (u·y)
        vy, uy = dot(v, y), dot(u, y)
        out.append(tuple(y[i] - u[i] * vy + v[i] * uy for i in range(ambient)))
    for i in range(columns):
        for k in range(columns):
            if dot(out[i], out[k]) != (1 if i == k else 0):
                raise AssertionError("the Cayley frame is not orthonormal (a bug)")
    return tuple(out)


def clamp(v: Fraction) -> Fraction:
    return min(Fraction(1), max(Fraction(0), v))


@dataclass(frozen=True)
class Factor:
    """``clamp(Σ_j a_j s_j + Σ_j b_j y_j + c)`` (s_j = y_j²), one factor of a chart weight."""

    squares: tuple[Fraction, ...]
    coords: tuple[Fraction, ...]
    const: Fraction

    def value(self, y: Sequence[Fraction]) -> Fraction:
        return clamp(sum((a * v * v for a, v in zip(self.squares, y, strict=True)), self.const)
                     + sum((b * v for b, v in zip(self.coords, y, strict=True)), Fraction(0)))

    @property
    def lipschitz(self) -> tuple[Fraction, Fraction]:
        """``(Σ|a_j|, Σ|b_j|)``: the factor moves at most this much per unit of error in the
        squares and in the coordinates."""
        return sum(map(abs, self.squares), Fraction(0)), sum(map(abs, self.coords), Fraction(0))


@dataclass(frozen=True)
class Chart:
    """Chart ``(j, σ)``: centre ``σ q_j``, coordinates ``z = (y_k)_{k≠j}``, weight the product
    of its factors."""

    axis: int
    sign: int
    factors: tuple[Factor, ...]

    @property
    def label(self) -> str:
        return f"{'+' if self.sign > 0 else '-'}y{self.axis}"

    def others(self, dim: int) -> tuple[int, ...]:
        return tuple(k for k in range(dim + 1) if k != self.axis)

    def weight(self, y: Sequence[Fraction]) -> Fraction:
        return math.prod((f.value(y) for f in self.factors), start=Fraction(1))


def _unit(dim: int, j: int, value: Fraction) -> tuple[Fraction, ...]:
    return tuple(value if k == j else Fraction(0) for k in range(dim + 1))


def charts(dim: int) -> tuple[tuple[Chart, ...], Fraction]:
    """The charts of ``S^dim`` and ``a²``, the squared radius of the chart parameter domain.

    >>> atlas, a2 = charts(1)
    >>> [c.label for c in atlas], a2
    (['+y0', '-y0', '+y1', '-y1'], Fraction(16, 25))
    >>> y = (Fraction(3, 5), Fraction(4, 5))                  # a point of the circle
    >>> sum(c.weight(y) for c in atlas)
    Fraction(1, 1)
    """
    zero = tuple(Fraction(0) for _ in range(dim + 1))
    out = []
    if dim == 1:
        for j in range(2):
            for sign in (1, -1):
                b = Factor(_unit(1, j, Fraction(4)), zero, Fraction(-3, 2))
                g = Factor(zero, _unit(1, j, Fraction(sign)), Fraction(1, 2))
                out.append(Chart(j, sign, (b, g)))
        return tuple(out), Fraction(16, 25)
    if dim != 2:
        raise QuadTheoryError(f"dim: expected 1 (circle) or 2 (sphere), found {dim}")
    cap = Factor(_unit(2, 2, Fraction(30)), zero, Fraction(-9))
    band = Factor(_unit(2, 2, Fraction(-30)), zero, Fraction(10))  # 1 − B₃(s_2)
    for j in range(3):
        for sign in (1, -1):
            g = Factor(zero, _unit(2, j, Fraction(sign)), Fraction(1, 2))
            if j == 2:
                out.append(Chart(2, sign, (cap, g)))
                continue
            squares = tuple(Fraction(15, 2) * (1 if k == j else -1 if k == 1 - j else 0)
                            for k in range(3))
            out.append(Chart(j, sign, (band, Factor(squares, zero, Fraction(1, 2)), g)))
    return tuple(out), Fraction(289, 400)


def partition_identities(dim: int) -> list[str]:
    """Prove the partition-of-unity identities exactly: each is piecewise linear in one
    variable, so it holds on an interval when it holds at the ends and every breakpoint.
    Returns the lines of the proof (raises if one fails).

    >>> partition_identities(1)[0]
    'B(s) + B(1 − s) = 1 for s in [0, 1]: piecewise linear, checked at 0, 3/8, 5/8, 1'
    """
    def check(name: str, f: object, points: Sequence[Fraction]) -> str:
        for p in points:
            if f(p) != 1:  # type: ignore[operator]
                raise AssertionError(f"{name} fails at {p}")
        return f"{name}: piecewise linear, checked at {', '.join(map(_text, points))}"

    lines = [check("G(v) + G(−v) = 1 for v in [−1, 1]",
                   lambda v: clamp(v + Fraction(1, 2)) + clamp(-v + Fraction(1, 2)),
                   [Fraction(-1), Fraction(-1, 2), Fraction(1, 2), Fraction(1)])]
    if dim == 1:
        def b(s: Fraction) -> Fraction:
            return clamp(4 * s - Fraction(3, 2))

        lines.insert(0, check("B(s) + B(1 − s) = 1 for s in [0, 1]", lambda s: b(s) + b(1 - s),
                              [Fraction(0), Fraction(3, 8), Fraction(5, 8), Fraction(1)]))
        return lines

    def c(v: Fraction) -> Fraction:
        return clamp(Fraction(15, 2) * v + Fraction(1, 2))

    lines.append(check("C(v) + C(−v) = 1 for v in [−1, 1]", lambda v: c(v) + c(-v),
                       [Fraction(-1), Fraction(-1, 15), Fraction(1, 15), Fraction(1)]))
    lines.append("so Σ ρ = B₃(s_2)·(G(y_2) + G(−y_2)) + (1 − B₃(s_2))·(C(v) + C(−v)) = 1 "
                 "with v = s_0 − s_1, on the sphere (the band's G(±y_j) sum to 1 too)")
    return lines


def _text(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def sphere_points(dim: int, count: int, seed: int = 0) -> list[tuple[Fraction, ...]]:
    """Rational points of ``S^dim`` (inverse stereographic projection of random dyadic
    points, and the ``±e_j``): ``y = (2w, |w|² − 1)/(|w|² + 1)``.

    >>> p = sphere_points(2, 5)
    >>> all(sum(v * v for v in y) == 1 for y in p), len(p)
    (True, 5)
    """
    rng = np.random.default_rng(seed)
    out = [tuple(Fraction(s) if k == j else Fraction(0) for k in range(dim + 1))
           for j in range(dim + 1) for s in (1, -1)]
    while len(out) < count:
        w = [Fraction(int(v), 2**12) for v in rng.integers(-3 * 2**12, 3 * 2**12, size=dim)]
        n2 = sum(x * x for x in w)
        out.append((*(2 * x / (n2 + 1) for x in w), (n2 - 1) / (n2 + 1)))
    return out[:count]


def to_ambient(frame: Sequence[Vector], y: Sequence[Fraction]) -> tuple[Fraction, ...]:
    """``x = Σ_j y_j q_j``."""
    ambient = len(frame[0])
    return tuple(sum((y[j] * frame[j][i] for j in range(len(frame))), Fraction(0))
                 for i in range(ambient))
