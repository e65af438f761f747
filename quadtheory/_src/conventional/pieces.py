"""Exact linear pieces of a conventional ReLU network of one variable, and its exact error.

A network of conventional layers (relu or identity) is continuous and piecewise linear in its
input; with rational weights every breakpoint is rational (a relu switches where an affine
function of the input vanishes). :func:`pieces` computes them exactly, layer by layer: on each
current piece every pre-activation is affine, so each relu neuron adds at most one breakpoint
there, whence the bound ``Π(m_i + 1)`` on the number of pieces of a network with hidden widths
``m_1..m_L`` (Yarotsky 2017, arXiv:1610.01145; Telgarsky 2016, arXiv:1602.04485). Trained
networks are covered: float weights are exact binary rationals. On a bounded interval the
layers map the values at the breakpoints, in integer arrays (:mod:`.breakpoints`: Yarotsky's
``f_20``, 2^20 pieces, in about 16 s, where slopes and intercepts cell by cell took 31 s);
on an unbounded one, each cell's slopes and intercepts.

On each piece, a polynomial target minus the network is a polynomial, so the sup of their
difference is reached at an end of a piece or at a root of its derivative: roots are rational
(exact) or isolated in rational intervals (sympy's real-root isolation) and the polynomial is
enclosed there by exact interval arithmetic. :func:`sup_error` returns the exact sup, or a
rational enclosure as tight as asked, and says which.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from ..core.layers import ConventionalLayer
from ..core.limits import quoted
from ..core.matrix import to_vector
from ..core.network import Network, as_network
from ..core.numbers import format_rational, to_rational
from ..errors import QuadTheoryError
from ..exact.parse import parse_expression
from .breakpoints import affine_between, initial_points, integer_layer, map_layer, relu_split

try:  # exact rationals in C: the same arithmetic, several times faster than Fraction
    from flint import fmpq as _Q
except ImportError:  # pragma: no cover - python-flint is a dependency
    _Q = Fraction

ZERO = Fraction(0)
Bound = Fraction | None  # None: unbounded end
Affine = tuple[Fraction, Fraction]  # (slope, intercept)
Cell = tuple[Any, Any, list[tuple[Any, Any]]]  # (lo, hi, affine per neuron), fast rationals
# Without python-flint, irrational critical points are isolated to this fraction of their
# piece's length by sympy.
_REFINE = Fraction(1, 2**64)


@dataclass(frozen=True)
class PiecewiseAffine:
    """A continuous piecewise-affine map of one variable on ``[start, end]`` (``None``: an
    unbounded end): ``pieces[k]`` holds ``(slope, intercept)`` per output between
    ``breakpoints[k-1]`` and ``breakpoints[k]``. Adjacent pieces differ (maximal pieces).

    >>> from quadtheory import conventional_layer
    >>> net = Network(("x",), (conventional_layer([[1], [-1]]),
    ...                        conventional_layer([[1, 1]], activation="identity")))
    >>> f = linear_pieces(net)
    >>> f.breakpoints, f(-3)   # |x|: one kink at 0
    ((Fraction(0, 1),), (Fraction(3, 1),))
    """

    start: Bound
    end: Bound
    breakpoints: tuple[Fraction, ...]
    pieces: tuple[tuple[Affine, ...], ...]

    def piece_at(self, s: Fraction) -> int:
        return sum(1 for b in self.breakpoints if b < s)

    def __call__(self, s: object) -> tuple[Fraction, ...]:
        x = to_rational(s, "s", allow_float=True)
        return tuple(a * x + b for a, b in self.pieces[self.piece_at(x)])

    def intervals(self) -> list[tuple[Bound, Bound]]:
        ends = [self.start, *self.breakpoints, self.end]
        return list(itertools.pairwise(ends))


def _inside(lo: Any, hi: Any) -> Any:
    """A point strictly inside ``(lo, hi)`` (``None``: unbounded)."""
    if lo is None and hi is None:
        return _Q(0)
    if lo is None:
        return hi - 1
    if hi is None:
        return lo + 1
    return (lo + hi) / 2


def _q(x: Fraction | None) -> Any:
    return None if x is None else _Q(x.numerator, x.denominator)


def _f(x: Any) -> Fraction:
    return Fraction(int(x.numerator), int(x.denominator))


def _start(network: Network, segment: Sequence[Sequence[object]] | None
           ) -> tuple[Bound, Bound, list[Affine]]:
    for k, layer in enumerate(network.layers):
        if not isinstance(layer, ConventionalLayer):
            raise QuadTheoryError(
                f"layers[{k}]: expected conventional layers (relu or identity), found a "
                f"{layer.kind} layer; a quadratic network is not piecewise linear")
    if segment is None:
        if network.n_inputs != 1:
            raise QuadTheoryError(
                f"pieces: expected a network of one input, found {network.n_inputs} "
                f"({', '.join(network.inputs)}); pass segment=(p, q) to restrict it to the "
                "segment p + s(q - p), s in [0, 1]")
        lo, hi = network.domain[0] if network.domain else (None, None)
        return lo, hi, [(Fraction(1), ZERO)]
    if isinstance(segment, str) or len(segment) != 2:
        raise QuadTheoryError(f"segment: expected two points (p, q), found {quoted(segment)}")
    p, q = (to_vector(point, f"segment[{k}]", length=network.n_inputs, allow_float=True)
            for k, point in enumerate(segment))
    if p == q:
        raise QuadTheoryError("segment: expected two distinct points, found p == q")
    return Fraction(0), Fraction(1), [(b - a, a) for a, b in zip(p, q, strict=True)]


class TooManyPieces(Exception):
    """Raised by :func:`sup_error` past its ``max_pieces`` (a caller's budget, not an
    error of the user's)."""


def _cells(network: Network, segment: Sequence[Sequence[object]] | None,
           limit: int | None = None) -> tuple[Bound, Bound, list[Cell]]:
    """The maximal affine cells of the outputs, in fast rationals (at most ``limit`` cells
    in any layer, else :class:`TooManyPieces`): through the breakpoints' values
    (:func:`_point_cells`) on a bounded interval, cell by cell (:func:`_cell_by_cell`) on an
    unbounded one."""
    start, end, values = _start(network, segment)
    if start is None or end is None:
        return start, end, _cell_by_cell(network, start, end, values, limit)
    return start, end, _point_cells(network, start, end, values, limit)


def _cell_by_cell(network: Network, start: Bound, end: Bound, values: list[Affine],
                  limit: int | None) -> list[Cell]:
    """The cells, each with every neuron's slope and intercept on it."""
    cells: list[Cell] = [(_q(start), _q(end), [(_q(a), _q(b)) for a, b in values])]
    zero = _Q(0)
    for layer in network.layers:
        rows = [(tuple((j, _q(v)) for j, v in row), _q(c)) for row, c in zip(layer.w.rows,
                                                                           layer.b)]
        relu = layer.activation == "relu"
        mapped = []
        for lo, hi, h in cells:
            z = []
            for row, b in rows:
                a = zero
                for j, v in row:
                    ha, hb = h[j]
                    if ha:  # a neuron relu holds at zero adds nothing: skip its products
                        a += v * ha
                    if hb:
                        b += v * hb
                z.append((a, b))
            if relu:
                _relu(lo, hi, z, mapped)
            else:
                mapped.append((lo, hi, z))
        cells = mapped
        if limit is not None and len(cells) > limit:
            raise TooManyPieces(f"more than {limit} linear pieces")
    return _merged(cells)


def _merged(cells: list[Cell]) -> list[Cell]:
    """The maximal cells: neighbours with the same affine outputs joined."""
    merged: list[Cell] = []
    for cell in cells:
        if merged and merged[-1][2] == cell[2]:
            merged[-1] = (merged[-1][0], cell[1], cell[2])
        else:
            merged.append(cell)
    return merged


def _point_cells(network: Network, start: Fraction, end: Fraction, values: list[Affine],
                 limit: int | None) -> list[Cell]:
    """The cells of a bounded interval, from the values at its breakpoints: each layer maps
    every breakpoint's values once, in integer arrays (:mod:`.breakpoints`), where the cell
    by cell path maps each cell's slopes and intercepts in rationals; the cells' affine
    pieces come from their ends' values at the end."""
    points = initial_points(start, end, values)
    for layer in network.layers:
        points = map_layer(points, integer_layer(layer.w.rows, layer.b))
        if layer.activation == "relu":
            points = relu_split(points)
        if limit is not None and len(points) - 1 > limit:
            raise TooManyPieces(f"more than {limit} linear pieces")
    ends = [_Q(x, d) for x, d in zip(points[:, 0].tolist(), points[:, -1].tolist())]
    slopes, intercepts, widths = affine_between(points)
    cells: list[Cell] = []
    for k, width in enumerate(widths):
        cells.append((ends[k], ends[k + 1], [(_Q(a[k], width), _Q(b[k], width))
                                             for a, b in zip(slopes, intercepts)]))
    return _merged(cells)


def linear_pieces(network: Network, segment: Sequence[Sequence[object]] | None = None
                  ) -> PiecewiseAffine:
    """The network (one input, or restricted to ``segment``) as exact affine pieces.

    >>> from quadtheory._src.conventional.yarotsky import yarotsky_square
    >>> len(linear_pieces(yarotsky_square(3)).pieces)   # f_3: 2^3 pieces on [0, 1]
    8
    """
    network = as_network(network, "network")
    start, end, cells = _cells(network, segment)
    return PiecewiseAffine(start, end, tuple(_f(cell[0]) for cell in cells[1:]),
                           tuple(tuple((_f(a), _f(b)) for a, b in cell[2]) for cell in cells))


def _relu(lo: Any, hi: Any, z: list[tuple[Any, Any]], out: list[Cell]) -> None:
    """Append the cells of ``relu(z)`` on ``(lo, hi)``: split where a pre-activation crosses
    zero inside. A neuron's sign on a piece follows from its root's side (no evaluation),
    and signs go through numerators (python-flint compares fmpq slowly)."""
    zero = (_Q(0), _Q(0))
    inside: list[tuple[Any, int, int]] = []  # (root, neuron, sign of the slope)
    signs = []  # per neuron: its sign on the whole cell, 0 when it changes inside
    for i, (a, b) in enumerate(z):
        if not a:
            signs.append(1 if b.numerator > 0 else -1)
            continue
        root = -b / a
        up = 1 if a.numerator > 0 else -1
        if lo is not None and (root - lo).numerator <= 0:
            signs.append(up)       # the root is left of the cell: the slope's sign
        elif hi is not None and (hi - root).numerator <= 0:
            signs.append(-up)
        else:
            signs.append(0)
            inside.append((root, i, up))
    if not inside:
        out.append((lo, hi, [v if sign > 0 else zero for v, sign in zip(z, signs)]))
        return
    if len(inside) > 1:
        inside.sort(key=lambda item: item[0])
    for _, i, up in inside:
        signs[i] = -up  # left of its root: the slope's opposite sign
    left = lo
    for k in range(len(inside) + 1):
        right = inside[k][0] if k < len(inside) else hi
        if not k or right != left:  # two neurons with one root: no piece between
            out.append((left, right, [v if sign > 0 else zero for v, sign in zip(z, signs)]))
        if k < len(inside):
            _, i, up = inside[k]
            signs[i] = up  # right of its root: the slope's sign
        left = right


@dataclass(frozen=True, eq=False)
class Pieces:
    """The exact linear pieces of a conventional network of one variable (or on a segment):
    ``count`` maximal pieces, split at the sorted rational ``breakpoints``.

    It also behaves as the tuple of breakpoints :func:`pieces` returned before it had a
    type: ``len``, iteration, indexing and slicing, ``in`` and ``==`` with a tuple all act
    on ``breakpoints``; so ``len(p) == p.count - 1``.

    >>> p = Pieces((Fraction(1, 4), Fraction(1, 2), Fraction(3, 4)))
    >>> p, p.count, len(p), p[0], p == (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4))
    (Pieces(count=4, breakpoints=[1/4, 1/2, 3/4]), 4, 3, Fraction(1, 4), True)
    """

    breakpoints: tuple[Fraction, ...]

    @property
    def count(self) -> int:
        """The number of linear pieces: one more than the breakpoints."""
        return len(self.breakpoints) + 1

    def __len__(self) -> int:
        return len(self.breakpoints)

    def __iter__(self) -> Iterator[Fraction]:
        return iter(self.breakpoints)

    def __getitem__(self, index: int | slice) -> Any:
        return self.breakpoints[index]

    def __contains__(self, value: object) -> bool:
        return value in self.breakpoints

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Pieces):
            return self.breakpoints == other.breakpoints
        if isinstance(other, tuple):
            return self.breakpoints == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.breakpoints)  # equal to its tuple, so hashed like it

    def __repr__(self) -> str:
        shown = [format_rational(b) for b in self.breakpoints]
        if len(shown) > _SHOWN:  # one line: the first and last few breakpoints
            shown = [*shown[:_SHOWN // 2], "...", *shown[-(_SHOWN // 2):]]
        return f"Pieces(count={self.count}, breakpoints=[{', '.join(shown)}])"


_SHOWN = 8  # breakpoints a repr shows before eliding the middle


def pieces(network: Network, segment: Sequence[Sequence[object]] | None = None) -> Pieces:
    """The exact linear pieces of a conventional network inside its domain: their ``count``
    and their sorted ``breakpoints``.

    One input: the breakpoints in the open domain (all of R without a domain), between
    ``count`` linear pieces. Several inputs: pass ``segment=(p, q)``; the breakpoints are
    the ``s`` in (0, 1) where the restriction to ``p + s(q − p)`` kinks. The result also acts
    as the tuple of its breakpoints (:class:`Pieces`).

    >>> from quadtheory._src.conventional.yarotsky import yarotsky_square
    >>> pieces(yarotsky_square(2))   # f_2 kinks at k/4
    Pieces(count=4, breakpoints=[1/4, 1/2, 3/4])
    >>> pieces(yarotsky_square(2)).breakpoints
    (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4))
    """
    return Pieces(linear_pieces(network, segment).breakpoints)


# -- exact extremes of a polynomial on an interval ---------------------------------------------

def _horner(coeffs: Sequence[Fraction], x: Fraction) -> Fraction:
    total = ZERO
    for c in reversed(coeffs):
        total = total * x + c
    return total


def _derivative(coeffs: Sequence[Fraction]) -> list[Fraction]:
    return [k * c for k, c in enumerate(coeffs)][1:]


def _enclose(coeffs: Sequence[Fraction], lo: Fraction, hi: Fraction) -> tuple[Fraction, Fraction]:
    """A rigorous enclosure of the polynomial on [lo, hi]: mean-value form about the
    midpoint, with the derivative enclosed term by term."""
    mid, radius = (lo + hi) / 2, (hi - lo) / 2
    slope = sum((abs(c) * max(abs(lo), abs(hi)) ** (k - 1) * k
                 for k, c in enumerate(coeffs) if k), ZERO)
    centre = _horner(coeffs, mid)
    return centre - slope * radius, centre + slope * radius


def critical_points(coeffs: Sequence[Fraction], lo: Fraction, hi: Fraction
                    ) -> list[tuple[Fraction, Fraction]]:
    """Real roots of the polynomial in ``[lo, hi]``: ``(r, r)`` for an exact root, else a
    rational interval containing it (width about ``2^-50`` relative; a complex root whose
    enclosure touches the real axis is kept too, which only adds candidates).

    >>> [(a, b)] = critical_points([Fraction(-2), Fraction(0), Fraction(1)], 0, 2)  # √2
    >>> a * a < 2 < b * b, b - a < Fraction(1, 2**40)
    (True, True)
    >>> critical_points([Fraction(-1), Fraction(2)], 0, 2)                          # 1/2
    [(Fraction(1, 2), Fraction(1, 2))]
    """
    while coeffs and not coeffs[-1]:
        coeffs = coeffs[:-1]
    if len(coeffs) <= 1:
        return []
    if len(coeffs) == 2:
        root = -coeffs[0] / coeffs[1]
        return [(root, root)] if lo <= root <= hi else []
    try:
        from flint import fmpq, fmpq_poly
    except ImportError:  # pragma: no cover - python-flint is a dependency
        return _sympy_roots(coeffs, lo, hi)
    out = []
    # arb's root isolation: every root lies in its ball (rigorous outward rounding).
    for root, _ in fmpq_poly([fmpq(c.numerator, c.denominator) for c in coeffs]).complex_roots():
        if not root.imag.contains(0):
            continue
        mid, rad = _arb(root.real.mid()), _arb(root.real.rad())
        a, b = max(mid - rad, Fraction(lo)), min(mid + rad, Fraction(hi))
        if a <= b:
            out.append((a, b))
    return out


def _arb(x: Any) -> Fraction:
    man, exp = (int(v) for v in x.mid().man_exp())
    return Fraction(man << exp) if exp >= 0 else Fraction(man, 1 << -exp)


def _sympy_roots(coeffs: Sequence[Fraction], lo: Fraction, hi: Fraction
                 ) -> list[tuple[Fraction, Fraction]]:
    s = sympy.Symbol("s")
    poly = sympy.Poly([_sympy(c) for c in reversed(coeffs)], s, domain=sympy.QQ)
    found = poly.intervals(inf=_sympy(lo), sup=_sympy(hi), eps=_sympy((hi - lo) * _REFINE))
    return [(_fraction(a), _fraction(b)) for (a, b), _ in found]


def _sympy(q: Fraction) -> sympy.Rational:
    return sympy.Rational(q.numerator, q.denominator)


def _fraction(q: sympy.Rational) -> Fraction:
    return Fraction(int(q.p), int(q.q))


@dataclass(frozen=True)
class Extreme:
    """An enclosure ``[lo, hi]`` of the max (or min) of a function; ``at`` is a rational
    point where it is attained when that is proved (then ``lo == hi``)."""

    lo: Fraction
    hi: Fraction
    at: Fraction | None = None

    @property
    def exact(self) -> bool:
        return self.lo == self.hi


def polynomial_extremes(coeffs: Sequence[Fraction], lo: Fraction, hi: Fraction
                        ) -> tuple[Extreme, Extreme]:
    """Enclosures of the max and the min of a polynomial (coefficients, constant first) on
    ``[lo, hi]``: ends and critical points, exact where those are rational.

    >>> top, bottom = polynomial_extremes([Fraction(0), Fraction(-1), Fraction(1)],
    ...                                   Fraction(0), Fraction(1))   # s² − s on [0, 1]
    >>> (top.lo, top.at), (bottom.lo, bottom.hi, bottom.at)
    ((Fraction(0, 1), Fraction(0, 1)), (Fraction(-1, 4), Fraction(-1, 4), Fraction(1, 2)))
    """
    candidates = [(v, v, x) for x in (lo, hi) for v in (_horner(coeffs, x),)]
    for a, b in critical_points(_derivative(coeffs), lo, hi):
        if a == b:
            v = _horner(coeffs, a)
            candidates.append((v, v, a))
        else:  # p at a rational point bounds the max below; the enclosure bounds it above
            lo_v, hi_v = _enclose(coeffs, a, b)
            mid = _horner(coeffs, (a + b) / 2)
            candidates.append((lo_v, hi_v, None))
            candidates.append((mid, mid, (a + b) / 2))
    return _best(candidates, 1), _best(candidates, -1)


def _best(candidates: list[tuple[Fraction, Fraction, Fraction | None]], sign: int) -> Extreme:
    # For the min, negate: the max of -p.
    flipped = [(v, w, x) if sign > 0 else (-w, -v, x) for v, w, x in candidates]
    low = max(v for v, _, _ in flipped)
    high = max(w for _, w, _ in flipped)
    at = next((x for v, w, x in flipped if v == w == high and x is not None), None)
    return Extreme(low, high, at) if sign > 0 else Extreme(-high, -low, at)


# -- the error of a network against a polynomial target -----------------------------------------

@dataclass(frozen=True)
class SupError:
    """``sup |target − network|`` over the interval: exactly ``lower`` when ``exact``, else
    in ``[lower, upper]``; ``at``: where it is attained (when proved at a rational point).
    ``high`` and ``low`` enclose the max and min of ``network − target`` (to centre it).

    >>> from quadtheory import yarotsky_square
    >>> err = sup_error(yarotsky_square(2), "x**2")
    >>> err.exact, err.lower                      # 2^(-2m-2) for m = 2
    (True, Fraction(1, 64))
    """

    lower: Fraction
    upper: Fraction
    at: Fraction | None
    high: Extreme
    low: Extreme
    pieces: int

    @property
    def exact(self) -> bool:
        return self.lower == self.upper

    def shifted(self, delta: Fraction) -> SupError:
        """The same for the network plus ``delta`` (its output bias moved by ``delta``).

        >>> from quadtheory._src.conventional.yarotsky import yarotsky_square
        >>> sup_error(yarotsky_square(2), "x**2").shifted(Fraction(-1, 128)).upper
        Fraction(1, 128)
        """
        return _sup(Extreme(self.high.lo + delta, self.high.hi + delta, self.high.at),
                    Extreme(self.low.lo + delta, self.low.hi + delta, self.low.at), self.pieces)

    def as_dict(self) -> dict[str, object]:
        return {"sup_error": format_rational(self.upper), "exact": self.exact,
                "lower": format_rational(self.lower),
                "at": None if self.at is None else format_rational(self.at),
                "pieces": self.pieces}


def _restriction(expr: sympy.Expr, names: Sequence[str], start: Sequence[Fraction],
                 direction: Sequence[Fraction]) -> list[Fraction]:
    """Coefficients in s of the polynomial ``expr(start + s·direction)``, exactly; a
    :class:`QuadTheoryError` if ``expr`` is not a polynomial with rational coefficients.

    The expression tree is evaluated in univariate polynomials of s (each distinct subterm
    once), never expanded in the variables: ``(x+y+z+w)**200`` has 1,373,701 monomials, its
    restriction to a line is ``(a + b·s)**200``.

    >>> x, y = sympy.symbols("x y")
    >>> _restriction((x + y)**2, ["x", "y"], [Fraction(0), Fraction(1)], [Fraction(1), ZERO])
    [Fraction(1, 1), Fraction(2, 1), Fraction(1, 1)]
    """
    line = {name: [Fraction(a), Fraction(d)] for name, a, d in
            zip(names, start, direction, strict=True)}
    done: dict[sympy.Basic, list[Fraction]] = {}

    def walk(e: sympy.Basic) -> list[Fraction]:
        if e in done:
            return done[e]
        if e.is_Rational:
            out = [Fraction(int(e.p), int(e.q))]
        elif e.is_Symbol and e.name in line:
            out = line[e.name]
        elif e.is_Add or e.is_Mul:
            parts = [walk(arg) for arg in e.args]
            out = parts[0]
            for part in parts[1:]:
                out = _poly_add(out, part) if e.is_Add else _poly_mul(out, part)
        elif e.is_Pow and e.exp.is_Integer and e.exp >= 0:
            out, base, k = [Fraction(1)], walk(e.base), int(e.exp)
            while k:  # by squaring: (a + b·s)**200 in 8 squarings
                if k & 1:
                    out = _poly_mul(out, base)
                k >>= 1
                if k:
                    base = _poly_mul(base, base)
        else:
            raise QuadTheoryError(f"not a polynomial with rational coefficients: {e}"[:200])
        done[e] = out
        return out

    return walk(expr)


def _poly_add(p: list[Fraction], q: list[Fraction]) -> list[Fraction]:
    if len(p) < len(q):
        p, q = q, p
    return [a + (q[k] if k < len(q) else ZERO) for k, a in enumerate(p)]


def _poly_mul(p: list[Fraction], q: list[Fraction]) -> list[Fraction]:
    out = [ZERO] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        if a:
            for j, b in enumerate(q):
                out[i + j] += a * b
    return out


def sup_error(network: Network, target: str | sympy.Expr,
              segment: Sequence[Sequence[object]] | None = None, *,
              max_pieces: int | None = None) -> SupError:
    """The sup of ``|target − network|`` on the network's domain (or on ``segment``), for a
    polynomial target and a one-output conventional network: exact, or a rational enclosure.
    ``max_pieces`` bounds the work (:class:`TooManyPieces` beyond it).

    >>> from quadtheory._src.conventional.yarotsky import yarotsky_square
    >>> from quadtheory import yarotsky_square
    >>> err = sup_error(yarotsky_square(2), "x**2")
    >>> err.upper, err.exact, err.at, err.pieces   # 2^-6, attained at 1/8
    (Fraction(1, 64), True, Fraction(1, 8), 4)
    """
    network = as_network(network, "network")

    if network.n_outputs != 1:
        raise QuadTheoryError(f"sup_error: expected a network of one output, found "
                              f"{network.n_outputs}")
    expr = parse_expression(target, network.inputs) if isinstance(target, str) else target
    if not isinstance(expr, sympy.Expr):
        raise QuadTheoryError(f"target: expected an expression (a string or sympy), found "
                              f"{quoted(target)}")
    start_s, _, cells = _cells(network, segment, max_pieces)
    if start_s is None:
        raise QuadTheoryError("sup_error: the network has no domain; expected a bounded "
                              "domain (or a segment) to take the sup over")
    if segment is None:
        start, direction = [ZERO], [Fraction(1)]
    else:
        p, q = ([to_rational(v, "segment", allow_float=True) for v in point] for point in segment)
        start, direction = p, [b - a for a, b in zip(p, q, strict=True)]
    try:
        poly = _restriction(expr, network.inputs, start, direction)
    except QuadTheoryError:
        raise QuadTheoryError(f"sup_error: expected a polynomial target in "
                              f"{', '.join(network.inputs)}, found {expr}") from None
    coeffs = [_q(c) for c in poly] + [_Q(0)] * max(0, 2 - len(poly))
    while len(coeffs) > 2 and not coeffs[-1]:
        coeffs.pop()
    if len(coeffs) <= 3:
        return _sup(*_quadratic_extremes(coeffs, cells), len(cells))
    highs, lows = [], []
    for lo, hi, ((a, b),) in cells:
        diff = [-c for c in coeffs]
        diff[0] += b
        diff[1] += a
        top, bottom = polynomial_extremes([_f(c) for c in diff], _f(lo), _f(hi))
        highs.append(top)
        lows.append(bottom)
    return _sup(_merge(highs, 1), _merge(lows, -1), len(cells))


def _quadratic_extremes(coeffs: list[Any], cells: list[Cell]) -> tuple[Extreme, Extreme]:
    """The max and min of ``network − target`` over all pieces for a target of degree <= 2:
    on each piece a polynomial of degree <= 2, extreme at an end or at its one critical
    point (rational), all in fast rationals; ties go to the first piece (in a piece, the
    right-most point for the max, the left-most for the min)."""
    c0, c1 = coeffs[0], coeffs[1]
    c2 = coeffs[2] if len(coeffs) == 3 else _Q(0)
    top = bottom = None
    for lo, hi, ((a, b),) in cells:
        d0, d1, d2 = b - c0, a - c1, -c2
        points = [lo, hi]
        if d2:
            root = -d1 / (2 * d2)
            if (root - lo).numerator > 0 and (hi - root).numerator > 0:
                points.insert(1, root)
        piece_top = piece_bottom = None
        for x in points:  # increasing: ties give the max its right-most point
            v = d0 + (d1 + d2 * x) * x
            if piece_top is None or (v - piece_top[0]).numerator >= 0:
                piece_top = (v, x)
            if piece_bottom is None or (v - piece_bottom[0]).numerator < 0:
                piece_bottom = (v, x)
        if top is None or (piece_top[0] - top[0]).numerator > 0:
            top = piece_top
        if bottom is None or (piece_bottom[0] - bottom[0]).numerator < 0:
            bottom = piece_bottom
    return (Extreme(_f(top[0]), _f(top[0]), _f(top[1])),
            Extreme(_f(bottom[0]), _f(bottom[0]), _f(bottom[1])))


def _sup(high: Extreme, low: Extreme, count: int) -> SupError:
    lower, upper = max(high.lo, -low.hi), max(high.hi, -low.lo)
    at = high.at if high.exact and high.lo == upper else (
        low.at if low.exact and -low.lo == upper else None)
    return SupError(lower, upper, at, high, low, count)


def _merge(extremes: list[Extreme], sign: int) -> Extreme:
    return _best([(e.lo, e.hi, e.at if e.exact else None) for e in extremes], sign)
