"""Lower bounds on the size of ANY ReLU network approximating a curved target to error ε.

The argument (Yarotsky 2017, arXiv:1610.01145, Theorem 6 and §4.2; Telgarsky 2016,
arXiv:1602.04485, Lemma 2.1), with every constant certified:

1. A ReLU network with hidden widths ``m_1..m_L``, restricted to a segment, is piecewise
   linear with at most ``Π(m_i + 1)`` pieces (each layer splits every current piece at most
   ``m_i`` times), hence at most ``2^N`` pieces with ``N`` hidden neurons.
2. If the target's second derivative along a segment of length ``h`` is ``≥ κ > 0`` (or
   ``≤ −κ``), a function with ``k`` linear pieces has sup error ``≥ κh²/(16k²)`` there: some
   piece spans a length ``ℓ ≥ h/k``, and on it the error ``e`` of a linear function has
   ``e(a) + e(a + ℓ) − 2e(a + ℓ/2) ≥ κℓ²/4``, so ``4·sup|e| ≥ κℓ²/4``. (For ``x²`` on [0, 1]:
   ``1/(8k²)``, attained by the shifted sawtooth.)
3. Error ``≤ ε`` therefore needs ``k ≥ √(κh²/(16ε))`` pieces, ``N ≥ ⌈log2 k⌉`` hidden neurons,
   at depth ``L`` the fewest dense parameters of widths with ``Π(m_i + 1) ≥ k`` (an exact
   search), and at least ``⌈log2 k⌉ + 1`` nonzero weights: a neuron with no nonzero incoming
   weight is constant and folds into the next biases, so a network reaching ``k`` pieces keeps
   ``≥ ⌈log2 k⌉`` neurons with a nonzero incoming weight, and its output reads one of them.

κ is certified: polynomial targets exactly (the min of ``|φ''|`` on a piece is at an end or
at a root of ``φ'''``, isolated rigorously), others by interval enclosures (mpmath ``iv``,
outward rounding). With several inputs, a small search over segments of the domain (axes,
diagonals, sub-segments) keeps the one with the largest certified ``κh²``, and states it.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, NamedTuple

import sympy

from ..conventional.pieces import _restriction, polynomial_extremes
from ..core import limits
from ..core.domain import Ball, Box, bounded_box
from ..core.numbers import format_rational, positive_eps
from ..errors import QuadTheoryError
from ..exact.enclosure import Enclosure
from ..exact.targets import check_target_size, radial_expression, target_expression

F = Fraction
ZERO, ONE = F(0), F(1)
CELLS = 8  # a segment is cut into CELLS cells; sub-segments are runs of cells


# -- certified curvature along segments --------------------------------------------------------

class Segment(NamedTuple):
    """A segment of the domain from ``p`` to ``q`` (exact points); a pair of tuples, printed
    short.

    >>> Segment((Fraction(0),), (Fraction(1, 2),))
    Segment((0,) -> (1/2,))
    """

    p: tuple[Fraction, ...]
    q: tuple[Fraction, ...]

    def __repr__(self) -> str:
        return f"Segment({_point(self.p)} -> {_point(self.q)})"

    __str__ = __repr__


def _point(point: Sequence[Fraction]) -> str:
    return "(" + ", ".join(map(format_rational, point)) + ("," if len(point) == 1 else "") + ")"


@dataclass(frozen=True)
class _Line:
    """The target restricted to ``p + s(q − p)``, s in [0, 1]: φ as coefficients in s
    (a polynomial) or a sympy expression in ``S``."""

    p: tuple[Fraction, ...]
    q: tuple[Fraction, ...]
    coeffs: tuple[Fraction, ...] | None
    expr: sympy.Expr | None = None


_S = sympy.Symbol("s", real=True)


def _line(target: sympy.Expr, names: Sequence[str], p: Sequence[Fraction],
          q: Sequence[Fraction]) -> _Line:
    direction = [b - a for a, b in zip(p, q, strict=True)]
    try:
        return _Line(tuple(p), tuple(q), tuple(_restriction(target, names, p, direction)))
    except QuadTheoryError:  # not a polynomial: enclosures of the expression
        own = {s.name: s for s in target.free_symbols}
        point = {own.get(n, sympy.Symbol(n)): sympy.Rational(a.numerator, a.denominator)
                 + sympy.Rational(d.numerator, d.denominator) * _S
                 for n, a, d in zip(names, p, direction, strict=True)}
        return _Line(tuple(p), tuple(q), None, target.xreplace(point))


Cell = tuple[Fraction, Fraction, bool, bool]  # enclosure of φ'' on a cell; ends exact?


def _cells(line: _Line) -> list[Cell | None]:
    """An enclosure ``[lo, hi]`` of φ'' on each cell ``[i/CELLS, (i+1)/CELLS]`` (min and max
    of φ'' themselves for a polynomial, flagged exact where proved), or None."""
    cells = [(Fraction(i, CELLS), Fraction(i + 1, CELLS)) for i in range(CELLS)]
    if line.coeffs is not None:
        second = [k * (k - 1) * c for k, c in enumerate(line.coeffs)][2:] or [ZERO]
        out: list[Cell | None] = []
        for a, b in cells:
            top, bottom = polynomial_extremes(second, a, b)
            out.append((bottom.lo, top.hi, bottom.exact, top.exact))
        return out

    try:
        enclosure = Enclosure(sympy.diff(line.expr, _S, 2), [_S])
    except QuadTheoryError:
        return [None] * CELLS
    found = []
    for a, b in cells:
        parts = [enclosure((a + (b - a) * Fraction(j, 4), a + (b - a) * Fraction(j + 1, 4)))
                 for j in range(4)]
        found.append(None if any(x is None for x in parts) else
                     (min(x.lo for x in parts), max(x.hi for x in parts), False, False))
    return found


@dataclass(frozen=True)
class _Curvature:
    kappa_h2: Fraction
    p: tuple[Fraction, ...]
    q: tuple[Fraction, ...]
    exact: bool = False


def _best_subsegment(line: _Line) -> _Curvature | None:
    """The run of cells with the largest certified ``min|φ''|·(length in s)²``."""
    cells = _cells(line)
    best: _Curvature | None = None
    for i in range(CELLS):
        floor: tuple[Fraction, bool] | None = None
        sign = 0
        for j in range(i, CELLS):
            cell = cells[j]
            if cell is None:
                break
            lo, hi, lo_exact, hi_exact = cell
            here, s = ((lo, lo_exact), 1) if lo > 0 else ((-hi, hi_exact), -1) if hi < 0 else (
                (ZERO, False), 0)
            if s == 0 or (sign and s != sign):
                break
            sign = s
            floor = here if floor is None else min(floor, here)
            value = floor[0] * Fraction(j + 1 - i, CELLS) ** 2
            if best is None or value > best.kappa_h2:
                a, b = Fraction(i, CELLS), Fraction(j + 1, CELLS)
                best = _Curvature(value, *(tuple(x + t * (y - x) for x, y in
                                                   zip(line.p, line.q, strict=True))
                                             for t in (a, b)), floor[1])
    return best


def _segments(box: Box) -> list[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]]:
    """Candidate segments of a box: axis segments (others at low/mid/high, or mid for more
    than 3 inputs), main diagonals (all for up to 4 inputs) and, per pair of inputs, the two
    diagonals of their face through the centre."""
    n = len(box)
    mid = [(lo + hi) / 2 for lo, hi in box]
    levels = [(lo, m, hi) for (lo, hi), m in zip(box, mid, strict=True)] if n <= 3 else [
        (m,) for m in mid]
    out = []
    for i in range(n):
        others = itertools.product(*(levels[j] for j in range(n) if j != i))
        for rest in others:
            point = list(rest)
            out.append(tuple(tuple([*point[:i], box[i][e], *point[i:]]) for e in (0, 1)))
    signs = itertools.product((0, 1), repeat=n - 1) if n <= 4 else [(0,) * (n - 1),
                                                                    (1,) * (n - 1)]
    for tail in signs:
        corner = (0, *tail)
        out.append((tuple(box[j][c] for j, c in enumerate(corner)),
                    tuple(box[j][1 - c] for j, c in enumerate(corner))))
    for i, j in itertools.combinations(range(n), 2):
        for flip in (0, 1):
            p, q = list(mid), list(mid)
            p[i], q[i] = box[i]
            p[j], q[j] = box[j] if not flip else box[j][::-1]
            out.append((tuple(p), tuple(q)))
    return list(dict.fromkeys(out))


# -- minimal architectures ----------------------------------------------------------------------

def pieces_needed(kappa_h2: Fraction, eps: Fraction) -> int:
    """The fewest linear pieces ``k`` with ``κh²/(16k²) ≤ ε``.

    >>> pieces_needed(Fraction(8), Fraction(1, 100))   # x² on [-1, 1]: 2·2²/16 = 1/2
    8
    """
    need = kappa_h2 / (16 * eps)
    k = max(1, _isqrt_ceil(need))
    return k


def _isqrt_ceil(x: Fraction) -> int:

    k = math.isqrt(x.numerator // x.denominator)
    while k * k < x:
        k += 1
    return k


def _quotients(r: int) -> list[int]:
    """The least ``a ≥ 2`` for each value of ``⌈r/a⌉``: the only widths worth trying
    (cost grows with ``a`` at a fixed remaining requirement)."""
    out, a = [], 2
    while True:
        out.append(a)
        q = -(-r // a)
        if q <= 1:
            return out
        a = -(-r // (q - 1))


class _Envelope:
    """The lower envelope of lines ``slope·p + intercept`` (one per width), queried at p."""

    def __init__(self, lines: list[tuple[int, int, int]]) -> None:
        hull: list[tuple[int, int, int]] = []
        for s, c, a in sorted(lines, key=lambda line: (-line[0], line[1])):
            if hull and hull[-1][0] == s:
                continue
            while len(hull) >= 2:
                (s1, c1, _), (s2, c2, _) = hull[-2], hull[-1]
                if (c - c1) * (s1 - s2) <= (c2 - c1) * (s1 - s):
                    hull.pop()
                else:
                    break
            hull.append((s, c, a))
        self.hull = hull
        self.cuts = [Fraction(hull[j + 1][1] - hull[j][1], hull[j][0] - hull[j + 1][0])
                     for j in range(len(hull) - 1)]

    def __call__(self, p: int) -> tuple[int, int]:
        s, c, a = self.hull[bisect.bisect_right(self.cuts, p)]
        return s * p + c, a


@functools.lru_cache(maxsize=8)
def _architectures(k: int, n: int) -> Any:
    """``V_i(r, p)``: the fewest dense parameters of ``i`` hidden layers after a layer of
    ``p − 1`` neurons (``p = n + 1`` at the input) whose ``Π(m + 1)`` is ``≥ r``, output
    included. It is the min over widths of linear functions of ``p``: a lower envelope per
    ``(i, r)``, computed once and shared by every depth."""

    @functools.cache
    def envelope(i: int, r: int) -> _Envelope:
        if i == 1:
            a = max(2, r)
            return _Envelope([(a - 1, a, a)])
        return _Envelope([(a - 1, envelope(i - 1, max(1, -(-r // a)))(a)[0], a)
                          for a in _quotients(max(r, 2))])

    return envelope


def min_dense_params(k: int, n_inputs: int, depth: int) -> tuple[int, tuple[int, ...]]:
    """The fewest dense parameters of a ReLU MLP (``n_inputs`` in, ``depth`` hidden layers,
    one output) whose widths allow ``k`` pieces (``Π(m_i + 1) ≥ k``), and those widths.
    Depth 0 is the affine map (``n_inputs + 1``), one piece: only for ``k = 1``.

    >>> min_dense_params(8, 1, 1), min_dense_params(8, 1, 3)   # 7·2 + 8;  2 + 2 + 2 + 2
    ((22, (7,)), (8, (1, 1, 1)))
    >>> min_dense_params(1, 2, 0)                              # (x + y)/2 - 1/4: 3 params
    (3, ())
    """
    for name, value, low in (("k", k, 1), ("n_inputs", n_inputs, 1), ("depth", depth, 0)):
        limits.integer(value, name, low)
    limits.check(depth, limits.MAX_DEPTH, "depth")
    if depth == 0:
        if k > 1:
            raise QuadTheoryError(f"depth 0: an affine map has 1 linear piece, {k} are needed")
        return n_inputs + 1, ()
    envelope = _architectures(k, n_inputs)
    cost, _ = envelope(depth, k)(n_inputs + 1)
    widths, r, p = [], k, n_inputs + 1
    for i in range(depth, 0, -1):
        _, a = envelope(i, r)(p)
        widths.append(a - 1)
        r, p = max(1, -(-r // a)), a
    return cost, tuple(widths)


# -- the result ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReluLowerBound:
    """What any ReLU network needs to approximate ``target`` within ``eps`` on its region.

    ``kappa`` bounds ``|d²f/dℓ²|`` from below on the segment ``segment`` (length ``h``,
    ``h_squared`` exact), so ``pieces_needed = ⌈√(κh²/(16ε))⌉``; ``min_neurons`` hidden
    neurons at any depth, ``min_nonzero`` nonzero weights, and per hidden depth the fewest
    dense parameters (``min_params_dense``) with the widths achieving it. When one piece
    may do (``pieces_needed == 1``), depth 0, the affine map with ``n + 1`` dense params, is
    among the depths: the bound then claims no hidden neuron at all.

    >>> bound = bounds("x**2", "1/100")
    >>> bound.pieces_needed, bound.min_neurons
    (8, 3)
    """

    target: str
    eps: Fraction
    inputs: tuple[str, ...]
    region: str
    segment: Segment
    kappa: Fraction
    h_squared: Fraction
    kappa_exact: bool
    pieces_needed: int
    min_neurons: int
    min_nonzero: int
    min_params_dense: Mapping[int, int] = field(hash=False)
    widths: Mapping[int, tuple[int, ...]] = field(hash=False)

    @property
    def kappa_h2(self) -> Fraction:
        return self.kappa * self.h_squared

    @property
    def best_depth(self) -> int:
        return min(self.min_params_dense, key=lambda d: (self.min_params_dense[d], d))

    @property
    def best_dense(self) -> int:
        return self.min_params_dense[self.best_depth]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: exact rationals as strings, depths as string keys."""
        return {
            "target": self.target, "eps": format_rational(self.eps),
            "inputs": list(self.inputs), "region": self.region,
            "segment": [[format_rational(v) for v in point] for point in self.segment],
            "kappa": format_rational(self.kappa), "h_squared": format_rational(self.h_squared),
            "kappa_h2": format_rational(self.kappa_h2),
            "kappa_certified": "exact" if self.kappa_exact else "lower bound",
            "pieces_needed": self.pieces_needed, "min_neurons": self.min_neurons,
            "min_nonzero": self.min_nonzero,
            "min_params_dense": {str(d): v for d, v in self.min_params_dense.items()},
            "widths": {str(d): list(w) for d, w in self.widths.items()},
            "best_depth": self.best_depth,
            "bound": "error >= kappa*h^2/(16*k^2) for k pieces; k <= prod(m_i + 1)",
        }


def _depths(depth: object, neurons: int) -> list[int]:
    if depth is None:
        return list(range(1, max(neurons, 1) + 1))
    listed = isinstance(depth, Sequence) and not isinstance(depth, str)
    items = list(depth) if listed else [depth]
    out = []
    for d in items:
        limits.integer(d, "depth", 1, expected="a number of hidden layers >= 1")
        limits.check(d, limits.MAX_DEPTH, "depth")
        out.append(d)
    return sorted(set(out))


def _result(text: str, eps: Fraction, names: tuple[str, ...], region: str,
            found: _Curvature, depth: object, max_pieces: object) -> ReluLowerBound:
    k = pieces_needed(found.kappa_h2, eps)
    # The fewest dense params are searched over every width per layer: ~k·log k steps.
    limits.check(k, _max_pieces(max_pieces), f"{text} within eps {format_rational(eps)}: the "
                 "pieces needed", raise_with="--max-pieces (max_pieces=)")
    neurons = (k - 1).bit_length()  # ⌈log2 k⌉
    h2 = sum(((b - a) ** 2 for a, b in zip(found.p, found.q, strict=True)), ZERO)
    dense, widths = {}, {}
    # One piece: an affine network may be within eps (x² on [0, 1] at 1/8: x − 1/8).
    for d in ([0] if k == 1 else []) + _depths(depth, neurons):
        dense[d], widths[d] = min_dense_params(k, len(names), d)
    return ReluLowerBound(text, eps, names, region, Segment(found.p, found.q),
                          found.kappa_h2 / h2, h2, found.exact, k, neurons,
                          neurons + 1 if k > 1 else 0, dense, widths)


def _max_pieces(value: object) -> int:
    if value is None:
        return limits.MAX_BOUND_PIECES
    return limits.integer(value, "max_pieces", 1)


def _search(lines: Sequence[_Line], text: str) -> tuple[_Curvature, int]:
    """The certified sub-segment with the largest ``κh²`` and the index of its line."""
    best, index = None, 0
    for k, line in enumerate(lines):
        found = _best_subsegment(line)
        if found is not None and found.kappa_h2 > 0 and (
                best is None or found.kappa_h2 > best.kappa_h2):
            best, index = found, k
    if best is None:
        raise QuadTheoryError(
            f"no lower bound for {text}: no segment of the region has a certified nonzero "
            "second derivative (the bound needs curvature: kappa*h^2/(16k^2) <= eps)")
    return best, index


def bounds(expr: object, eps: object, depth: object = None, domain: object = None,
           variables: object = None, max_pieces: int | None = None) -> ReluLowerBound:
    """Lower bounds for any ReLU network approximating ``expr`` within ``eps`` on a box
    (default ``[-1, 1]`` per variable); ``depth``: the hidden depths to report (default
    every depth up to ``min_neurons``, beyond which dense counts only grow); ``max_pieces``:
    refuse beyond this many pieces needed (default ``limits.MAX_BOUND_PIECES``).

    >>> b = bounds("x**2", "1/100")      # κ = 2, h = 2: k ≥ √(8/(16/100)) = √50
    >>> b.pieces_needed, b.min_neurons, b.min_nonzero, b.best_dense
    (8, 3, 4, 8)
    >>> bounds("x*y", "1e-4").segment      # xy curves along the diagonals only
    Segment((-1, -1) -> (1, 1))
    """
    target, names = target_expression(expr, variables)
    text = expr if isinstance(expr, str) else str(target)
    e = positive_eps(eps)
    check_target_size(target, names, "bounds", max_variables=limits.MAX_BOUND_VARIABLES,
                      max_degree=limits.MAX_BOUND_DEGREE)
    box = bounded_box(domain, names)
    _require_curvature(target, names, text)
    lines = [_line(target, names, p, q) for p, q in _segments(box)]
    found, _ = _search(lines, text)
    return _result(text, e, names, "box " + " x ".join(
        f"[{format_rational(lo)}, {format_rational(hi)}]" for lo, hi in box), found, depth,
        max_pieces)


def _require_curvature(target: sympy.Expr, names: Sequence[str], text: str) -> None:
    own = {s.name: s for s in target.free_symbols}
    symbols = [own.get(n, sympy.Symbol(n)) for n in names]
    if not names or all(sympy.diff(target, a, b) == 0
                        for a, b in itertools.combinations_with_replacement(symbols, 2)):
        raise QuadTheoryError(
            f"{text} has no curvature (its second derivatives vanish), so no lower bound on "
            "the size of a ReLU network follows: an affine target needs no hidden neuron")


# Chords of the ball off its centre, at distance a·R from it with half-length s·R (a² + s² = 1,
# Pythagorean triples so the points stay rational): G(‖x − c‖) curves along them even where G
# is affine in r (‖x‖ along a chord is √(u² + a²R²)).
_CHORDS = ((F(3, 5), F(4, 5)), (F(4, 5), F(3, 5)), (F(5, 13), F(12, 13)), (F(8, 17), F(15, 17)))


def radial_bounds(g: object, dim: int, eps: object, center: object = None, radius: object = 1,
                  depth: object = None, max_pieces: int | None = None) -> ReluLowerBound:
    """Lower bounds for ``f(x) = G(‖x − c‖)`` on the ball ``‖x − c‖ ≤ R`` in ``dim``
    dimensions: along a diameter (``G`` even in r) or a radius, and (``dim ≥ 2``) along chords
    off the centre; sub-segments searched.

    >>> b = radial_bounds("r**2", 3, "1/100")    # along a diameter: same as x² on [-1, 1]
    >>> b.pieces_needed, b.best_dense            # but 3 inputs: 3 + 1 + ... dense
    (8, 10)
    >>> radial_bounds("r", 2, "1/1000").segment  # ‖x‖ curves along a chord missing 0
    Segment((-3/5, 4/5) -> (3/5, 4/5))
    """
    ball = Ball.of(dim, center, radius)
    target, r, text = radial_expression(g)
    e = positive_eps(eps)
    check_target_size(target, [r.name], "bounds", max_degree=limits.MAX_BOUND_DEGREE)
    big_r, c = ball.radius, ball.center
    name = f"G(r) = {text}"
    flat = _require_radial_curvature(target, r, name, ball.dim)
    even = sympy.expand(target.xreplace({r: -r}) - target) == 0
    lines, offsets = [], []  # offsets: of each line from the centre along the second axis
    if not flat:
        lines.append(_line(target, [r.name], [-big_r if even else ZERO], [big_r]))
        offsets.append(ZERO)
    if ball.dim >= 2:
        u = sympy.Symbol("u", real=True)
        for a, h in _CHORDS:
            along = target.xreplace({r: sympy.sqrt(u**2 + _rational(a * big_r) ** 2)})
            lines.append(_line(along, [u.name], [-h * big_r], [h * big_r]))
            offsets.append(a * big_r)
    found, index = _search(lines, name)
    offset = offsets[index]
    p = (c[0] + found.p[0], *c[1:])
    q = (c[0] + found.q[0], *c[1:])
    if ball.dim >= 2:
        p, q = ((x[0], x[1] + offset, *x[2:]) for x in (p, q))
    region = f"ball |x - c| <= {format_rational(big_r)} in R^{ball.dim}"
    return _result(f"radial:{text}", e, ball.inputs, region,
                   _Curvature(found.kappa_h2, p, q, found.exact), depth, max_pieces)


def _rational(x: Fraction) -> sympy.Rational:
    return sympy.Rational(x.numerator, x.denominator)


def _require_radial_curvature(target: sympy.Expr, r: sympy.Symbol, name: str, dim: int) -> bool:
    """Refuse a G with no curvature to bound with; True when only chords off the centre curve
    (G affine in r but not constant, in 2 or more dimensions)."""
    if sympy.diff(target, r, 2) != 0:
        return False
    if sympy.diff(target, r) == 0:
        raise QuadTheoryError(
            f"{name} has no curvature (it is constant), so no lower bound on the size of a ReLU "
            "network follows: a constant target needs no hidden neuron")
    if dim == 1:
        raise QuadTheoryError(
            f"{name} in 1 dimension is G(|x - c|), piecewise linear with one kink at the "
            "centre: it has no curvature, so the curvature bound (error >= kappa*h^2/(16*k^2)) "
            "gives nothing; in 2 or more dimensions chords off the centre curve")
    return True
