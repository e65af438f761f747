"""Rigorous bounds of a target's derivatives over a box, and its Taylor coefficients.

The real-space theorem (Yarotsky 2017, arXiv:1610.01145, Theorem 1) needs ``M = max |D^α f|``
over the domain for ``|α| = n``; the ReLU product budget also needs the lower orders. Here
every order ``k ≤ n`` is bounded: sympy differentiates the target (real symbols, so ``|x|``
gives ``sign(x)``), each derivative is enclosed by interval arithmetic (mpmath ``iv``,
outward rounding: :class:`~quadtheory._src.exact.enclosure.Enclosure`) on sub-boxes found by
branch and bound (the box with the largest upper bound is split until the bound is within
1/8 of a value attained at a box centre), so ``sup |D^α f| ≤`` the result, a proof.

Derivatives are taken in the cube coordinates ``u ∈ [0, 1]^d`` of the box
(``x = a + L·u``: ``D_u^α = L^α D_x^α``), where the construction lives. A derivative that no
enclosure bounds on a sub-box narrower than ``2^-12`` of the box (``sqrt(x)`` at 0, ``1/x``
across 0) is refused, naming that sub-box (or, when the enclosures run out before, the
sub-box where they still fail). Taylor coefficients ``D^α f(x_m)/α!`` at grid
points are rounded to dyadic rationals with a proved error (point values in ball arithmetic,
:mod:`.balls`, more bits until the ball is narrow enough).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy

from ..conventional.pwl import round_up
from ..core.domain import Box, domain_text
from ..core.numbers import format_rational
from ..errors import QuadTheoryError
from ..exact.enclosure import Enclosure
from .balls import Ball
from .grid import Exponents, factorial

# Branch and bound: stop when the upper bound is within this factor of a value attained.
TOLERANCE = Fraction(1, 8)
EVALUATIONS = 160  # enclosures per derivative, at most (the bound stays proved when it runs out)
SMALLEST = 12  # a sub-box side is never below 2^-12 of the box side
Keep = Callable[[Box], bool]  # which sub-boxes matter (a region inside the box)


def real_symbols(expr: sympy.Expr, names: Sequence[str]) -> tuple[sympy.Expr, tuple[sympy.Symbol,
                                                                                   ...]]:
    """``expr`` over real symbols named ``names`` (sympy then differentiates ``|x|`` as
    ``sign(x)``), and those symbols in order.

    >>> real_symbols(sympy.Symbol("x") ** 2, ["x"])[1][0].is_real
    True
    """
    symbols = tuple(sympy.Symbol(name, real=True) for name in names)
    own = {s.name: s for s in expr.free_symbols}
    return expr.xreplace({own[s.name]: s for s in symbols if s.name in own}), symbols


def _scale(box: Box, alpha: Exponents) -> Fraction:
    """``L^α``: the chain rule factor of ``D_u^α`` in cube coordinates."""
    out = Fraction(1)
    for (lo, hi), k in zip(box, alpha, strict=True):
        out *= (hi - lo) ** k
    return out


def _abs_upper(value: object) -> Fraction:
    return max(abs(value.lo), abs(value.hi))  # type: ignore[attr-defined]


def _abs_lower(value: object) -> Fraction:
    lo, hi = value.lo, value.hi  # type: ignore[attr-defined]
    return Fraction(0) if lo <= 0 <= hi else min(abs(lo), abs(hi))


def _halves(box: Box, root: Box) -> tuple[Box, Box]:
    """``box`` cut in two across its relatively longest side."""
    k = max(range(len(box)), key=lambda i: (box[i][1] - box[i][0]) / (root[i][1] - root[i][0]))
    lo, hi = box[k]
    mid = (lo + hi) / 2
    return ((*box[:k], (lo, mid), *box[k + 1:]), (*box[:k], (mid, hi), *box[k + 1:]))


def _too_small(box: Box, root: Box) -> bool:
    return all((hi - lo) * 2**SMALLEST <= (rhi - rlo)
               for (lo, hi), (rlo, rhi) in zip(box, root, strict=True))


class Unbounded(QuadTheoryError):
    """A derivative no interval enclosure bounds on a small sub-box: ``where`` is that box."""

    def __init__(self, message: str, where: Box) -> None:
        super().__init__(message)
        self.where = where


def sup_abs(expr: sympy.Expr, symbols: Sequence[sympy.Symbol], box: Box,
            keep: Keep | None = None, evaluations: int = EVALUATIONS) -> Fraction:
    """A proved upper bound of ``|expr|`` on ``box`` (the sub-boxes ``keep`` accepts), by
    branch and bound on interval enclosures.

    >>> x = sympy.Symbol("x", real=True)
    >>> bound = sup_abs(sympy.sin(x) * (1 - x), [x], ((Fraction(0), Fraction(1)),))
    >>> 0.2401 < float(bound) < 0.2402 * (1 + 1/8)       # max ≈ 0.2401 at x ≈ 0.48
    True
    """
    enclosure = Enclosure(expr, symbols)
    lower = Fraction(0)
    heap: list[tuple[Fraction, int, Box]] = []
    count = itertools.count()

    def push(piece: Box) -> None:
        nonlocal lower
        if keep is not None and not keep(piece):
            return
        value = enclosure(*piece)
        if value is None:
            if _too_small(piece, box):
                raise Unbounded(f"not bounded on {domain_text([str(s) for s in symbols], piece)}",
                                piece)
            heapq.heappush(heap, (Fraction(-10**100), next(count), piece))
            return
        centre = enclosure(*((lo + hi) / 2 for lo, hi in piece))
        if centre is not None:
            lower = max(lower, _abs_lower(centre))
        heapq.heappush(heap, (-_abs_upper(value), next(count), piece))

    push(box)
    for _ in range(evaluations // 2):
        if not heap or -heap[0][0] <= lower * (1 + TOLERANCE):
            break
        _, _, piece = heapq.heappop(heap)
        if _too_small(piece, box):
            heapq.heappush(heap, (-Fraction(10**100), next(count), piece))
            break
        for half in _halves(piece, box):
            push(half)
    if not heap:
        return Fraction(0)
    top = -heap[0][0]
    if top >= 10**100:
        piece = heap[0][2]
        raise Unbounded(f"not bounded on {domain_text([str(s) for s in symbols], piece)}", piece)
    return top


@dataclass
class Derivatives:
    """The target's partial derivatives, computed once each, with bounds by order.

    >>> d = Derivatives(sympy.sympify("x*y**2"), ["x", "y"], ((0, 1), (0, 2)))
    >>> d.expression((1, 1)), d.bound(3)     # max |D^α f|, |α| = 3, in cube coordinates: 2·L
    (2*y, Fraction(8, 1))
    """

    target: sympy.Expr
    names: Sequence[str]
    box: Box
    keep: Keep | None = None
    evaluations: int = EVALUATIONS  # per derivative: fewer give looser (still proved) bounds
    _expressions: dict[Exponents, sympy.Expr] = field(default_factory=dict, repr=False)
    _bounds: dict[int, Fraction] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.box = tuple((Fraction(lo), Fraction(hi)) for lo, hi in self.box)
        self.target, self.symbols = real_symbols(self.target, self.names)

    @property
    def dim(self) -> int:
        return len(self.names)

    def expression(self, alpha: Exponents) -> sympy.Expr:
        """``D_x^α f`` (sympy, from the derivative one order below)."""
        if alpha not in self._expressions:
            if not any(alpha):
                self._expressions[alpha] = self.target
            else:
                k = next(i for i, a in enumerate(alpha) if a)
                lower = tuple(a - (i == k) for i, a in enumerate(alpha))
                self._expressions[alpha] = sympy.diff(self.expression(lower), self.symbols[k])
        return self._expressions[alpha]

    def bound(self, order: int) -> Fraction:
        """``W_k ≥ max_{|α| = k} sup |D_u^α f|`` on the box (cube coordinates), proved; a
        3-digit decimal (rounded up)."""
        if order not in self._bounds:
            top = Fraction(0)
            for alpha in exponents_of_degree(self.dim, order):
                expr = self.expression(alpha)
                if expr == 0:
                    continue
                try:
                    value = sup_abs(expr, self.symbols, self.box, self.keep, self.evaluations)
                except Unbounded as error:
                    raise self._refusal(order, alpha, error) from None
                top = max(top, value * _scale(self.box, alpha))
            self._bounds[order] = round_up(top)
        return self._bounds[order]

    def bounds(self, order: int) -> tuple[Fraction, ...]:
        """``(W_0, ..., W_order)``."""
        return tuple(self.bound(k) for k in range(order + 1))

    def _refusal(self, order: int, alpha: Exponents, error: Unbounded) -> QuadTheoryError:
        where = domain_text(self.names, error.where)
        how = "no interval enclosure there is finite, after subdividing the box"
        if order == 0:
            return QuadTheoryError(
                f"target {self.target} is undefined or unbounded near {where} ({how}); "
                f"expected a function defined on all of {domain_text(self.names, self.box)}")
        label = derivative_text(alpha, self.names)
        return QuadTheoryError(
            f"target {self.target} is not {order} times differentiable with bounded "
            f"derivatives on {domain_text(self.names, self.box)}: {label} = "
            f"{self.expression(alpha)} is unbounded near {where} ({how}); expected a smooth "
            "target (or a smaller --smoothness)")


def exponents_of_degree(dim: int, degree: int) -> list[Exponents]:
    """Every ``α`` with ``|α| = degree``.

    >>> exponents_of_degree(2, 2)
    [(0, 2), (1, 1), (2, 0)]
    """
    return [e for e in itertools.product(range(degree + 1), repeat=dim) if sum(e) == degree]


def derivative_text(alpha: Exponents, names: Sequence[str]) -> str:
    """``D^α f`` as text.

    >>> derivative_text((2, 1), ["x", "y"]), derivative_text((1,), ["x"])
    ('d^3 f/dx^2 dy', 'd f/dx')
    """
    order = sum(alpha)
    parts = " ".join(f"d{n}" + (f"^{k}" if k > 1 else "")
                     for n, k in zip(names, alpha, strict=True) if k)
    return f"d{'' if order == 1 else f'^{order}'} f/{parts}"


def taylor_coefficients(derivatives: Derivatives, alphas: Sequence[Exponents], n_grid: int,
                        cells: Sequence[tuple[int, ...]], grid: Fraction
                        ) -> tuple[dict[tuple[int, ...], tuple[Fraction, ...]], Fraction]:
    """The Taylor coefficients ``D_u^α f(u_m)/α!`` (cube coordinates) at the grid points
    ``u_m = m/N`` of ``cells``, each on the dyadic ``grid`` (a power of 2) with a proved error
    ``≤ grid``; and the largest proved error.

    >>> d = Derivatives(sympy.sympify("exp(x)"), ["x"], ((0, 1),))
    >>> coeffs, err = taylor_coefficients(d, [(0,), (1,)], 2, [(1,)], Fraction(1, 2**20))
    >>> [abs(float(c) - 1.6487212707) < 2**-20 for c in coeffs[(1,)]]   # e^(1/2), twice
    [True, True]
    >>> err <= Fraction(1, 2**20), coeffs[(1,)][0].denominator <= 2**20
    (True, True)
    """
    box = derivatives.box
    points = {m: tuple(lo + (hi - lo) * Fraction(k, n_grid)
                       for (lo, hi), k in zip(box, m, strict=True)) for m in cells}
    return coefficients_at(derivatives, alphas, points, grid, scaled=True)


def coefficients_at(derivatives: Derivatives, alphas: Sequence[Exponents],
                    points: Mapping[object, Sequence[Fraction]], grid: Fraction,
                    scaled: bool = False) -> tuple[dict[Any, tuple[Fraction, ...]], Fraction]:
    """``D^α f(p)/α!`` at each point ``p`` of ``points`` (in the box's own coordinates, or
    ``scaled`` to its cube coordinates), rounded to ``grid`` with a proved error ``≤ grid``;
    and the largest proved error.

    >>> d = Derivatives(sympy.sympify("x*y"), ["x", "y"], ((-1, 1), (-1, 1)))
    >>> coefficients_at(d, [(0, 0), (1, 0), (1, 1)], {"p": (Fraction(1, 2), 3)}, Fraction(1, 8))
    ({'p': (Fraction(3, 2), Fraction(3, 1), Fraction(1, 1))}, Fraction(0, 1))
    """
    worst = Fraction(0)
    out: dict[Any, list[Fraction]] = {key: [] for key in points}
    for alpha in alphas:
        expr = derivatives.expression(alpha)
        scale = (_scale(derivatives.box, alpha) if scaled else 1) / Fraction(factorial(alpha))
        enclosure = Ball(expr, derivatives.symbols) if expr != 0 else None
        for key, point in points.items():
            if enclosure is None:
                out[key].append(Fraction(0))
                continue
            value, error = _rounded(enclosure, [Fraction(v) for v in point], scale, grid,
                                    derivatives.names)
            out[key].append(value)
            worst = max(worst, error)
    return {key: tuple(v) for key, v in out.items()}, worst


def _rounded(enclosure: Ball, point: Sequence[Fraction], scale: Fraction, grid: Fraction,
             names: Sequence[str]) -> tuple[Fraction, Fraction]:
    prec = 64 + max(0, (scale / grid).numerator.bit_length())
    while True:
        value = enclosure(*point, prec=prec)
        if value is None:
            raise QuadTheoryError(f"cannot evaluate {enclosure.expr} at "
                                  f"{', '.join(names)} = "
                                  f"({', '.join(map(format_rational, point))}): undefined there")
        lo, hi = value.lo * scale, value.hi * scale
        if hi - lo <= grid or prec > 4096:
            break
        prec *= 2
    c = round((lo + hi) / 2 / grid) * grid
    return Fraction(c), max(hi - c, c - lo)
