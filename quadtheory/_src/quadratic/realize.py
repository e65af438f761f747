"""Weights for a monomial plan: exact rationals, with relu made exact by proven shifts or splits.

Every hidden value of a plan is a known polynomial ``P`` (a monomial, or an accumulator's
sum). Under relu the neuron computes ``σ·P + s`` instead, with ``σ = ±1`` and the shift
``s >= 0`` chosen from a rigorous enclosure of ``P`` over the domain box so that the
pre-activation is provably ``>= 0``: relu is then the identity, and the next layer reads
``P = σ·(h - s)``, which its affine forms absorb into their biases (free in a quadratic
network). The enclosure is the one :func:`quadtheory.verify` proves (interval arithmetic
through the layers, intersected with a term-by-term bound of ``P``), so the construction is
provable by construction. Where no shift exists (on all of R^n, a value unbounded both ways
that is not provably of one sign), the value is split: two relu neurons with pre-activations
``P`` and ``-P``, which every neuron above reads only through their difference
``relu(P) - relu(-P) = P`` and, through ``w_b``, with equal coefficients
(``relu(P)² + relu(-P)² = P²``): the pairs :func:`quadtheory.verify` proves exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..core.layers import ConventionalLayer, Layer, QuadraticLayer
from ..core.matrix import Matrix
from ..exact.intervals import INF, Interval, interval_sum
from ..exact.polynomial import quadratic_form_sign
from .monomials import Monomial, Plan

Poly = dict[Monomial, Fraction]
ZERO, ONE = Fraction(0), Fraction(1)  # shared: building Fractions dominates the run time


class Unrealizable(Exception):
    """This plan cannot be made exact: its output product cannot also carry its linear
    terms (the caller tries another plan; the message says why, for when none is left)."""


@dataclass
class _Spec:
    """A pre-activation as a polynomial of degree <= 2 in the layer below's columns; the
    product ``cross`` is ``(L·h)(R·h)`` for two linear forms ``(L, R)`` on disjoint columns."""

    linear: dict[int, Fraction] = field(default_factory=dict)
    squares: dict[int, Fraction] = field(default_factory=dict)
    cross: tuple[dict[int, Fraction], dict[int, Fraction]] | None = None
    const: Fraction = ZERO

    def add_linear(self, col: int, coef: Fraction) -> None:
        self.linear[col] = self.linear.get(col, ZERO) + coef

    def orient(self, sigma: int, shift: Fraction) -> None:
        """In place: the pre-activation becomes ``σ·(this) + s``."""
        if sigma == -1:
            self.linear = {j: -v for j, v in self.linear.items()}
            self.squares = {j: -v for j, v in self.squares.items()}
            if self.cross is not None:
                self.cross = ({j: -v for j, v in self.cross[0].items()}, self.cross[1])
            self.const = -self.const
        self.const += shift

    def negated(self) -> _Spec:
        """A copy with the opposite sign (the second neuron of a split)."""
        copy = _Spec(dict(self.linear), dict(self.squares), self.cross, self.const)
        copy.orient(-1, ZERO)
        return copy


def _poly_mul(p: Poly, q: Poly) -> Poly:
    if len(p) == 1 and len(q) == 1:  # monomials, the common case
        ((m, a),), ((k, b),) = p.items(), q.items()
        return {tuple(x + y for x, y in zip(m, k)): a * b}
    out: Poly = {}
    for m, a in p.items():
        for k, b in q.items():
            key = tuple(x + y for x, y in zip(m, k))
            out[key] = out.get(key, ZERO) + a * b
    return {m: v for m, v in out.items() if v}


def _poly_add(out: Poly, p: Poly, coef: Fraction) -> None:
    if not out and coef == 1:
        out.update(p)
        return
    for m, v in p.items():
        out[m] = out.get(m, ZERO) + coef * v
        if not out[m]:
            del out[m]


def monomial_range(m: Monomial, box: Sequence[Interval],
                   cache: dict[Monomial, Interval]) -> Interval:
    """The exact range of a monomial over a box (a product of independent powers), cached.

    >>> box = [Interval(Fraction(-1), Fraction(2)), Interval(Fraction(0), Fraction(1))]
    >>> str(monomial_range((3, 2), box, {}))   # x³ in [-1, 8], y² in [0, 1]
    '[-1, 8]'
    """
    if m not in cache:
        # One product per monomial: the range of m without its last variable, cached.
        k = max((i for i, e in enumerate(m) if e), default=None)
        if k is None:
            cache[m] = Interval.point(ONE)
        else:
            cache[m] = monomial_range((*m[:k], 0, *m[k + 1:]), box, cache) * box[k].power(m[k])
    return cache[m]


class _Realizer:
    def __init__(self, plan: Plan, box: Sequence[Interval] | None, activation: str,
                 monomial_range: dict[Monomial, Interval]) -> None:
        self.plan, self.box, self.activation = plan, box, activation
        n = plan.n_inputs
        # Per node id: its polynomial P, and how the layer holds it: P = Σ w·h_col + offset
        # (one column σ·P + s, so w = σ and offset = -σ·s; or a split pair, w = 1 and -1).
        self.poly: dict[int, Poly] = {}
        self.form: dict[int, tuple[tuple[int, Fraction], ...]] = {}
        self.offset: dict[int, Fraction] = {}
        self.monomial_range = monomial_range  # shared by the plans of one target
        self.ranges: dict[int, Interval] = {}  # by id of a stored (never mutated) polynomial
        for i in range(n):
            self.poly[i] = {tuple(int(k == i) for k in range(n)): ONE}
            self.form[i], self.offset[i] = ((i, ONE),), ZERO

    def monomial(self, m: Monomial) -> Interval:
        return monomial_range(m, self.box, self.monomial_range)

    def termwise(self, poly: Poly) -> Interval:
        """The bound of :func:`quadtheory._src.exact.polynomial.polynomial_range`, term by term."""
        if id(poly) in self.ranges:  # a carried value: the same polynomial object
            return self.ranges[id(poly)]
        if len(poly) == 1 and next(iter(poly.values())) == 1:
            return self.monomial(next(iter(poly)))
        low = high = ZERO
        for m, coef in poly.items():
            term = self.monomial(m)
            if coef == 1:
                low, high = low + term.lo, high + term.hi
            elif coef > 0:
                low, high = low + term.lo * coef, high + term.hi * coef
            else:
                low, high = low + term.hi * coef, high + term.lo * coef
        self.ranges[id(poly)] = Interval(low, high)
        return self.ranges[id(poly)]

    def spec(self, node_id: int) -> tuple[_Spec, Poly]:
        node = self.plan.nodes[node_id]
        spec, poly = _Spec(), {}
        if node.op == "product":
            self.read_product(spec, poly, *node.args, ONE)
        elif node.op == "carry":
            self.read_linear(spec, None, node.args[0], ONE)
            poly = self.poly[node.args[0]]  # never mutated once stored: shared, not copied
        else:
            for a, coef in node.linear:
                self.read_linear(spec, poly, a, coef)
            for a, coef in node.squares:
                self.read_product(spec, poly, a, a, coef)
            if node.cross is not None:
                self.read_product(spec, poly, *node.cross)
            spec.const += node.const
            _poly_add(poly, {(0,) * self.plan.n_inputs: node.const}, ONE)
        return spec, poly

    def read_linear(self, spec: _Spec, poly: Poly | None, a: int, coef: Fraction) -> None:
        for col, w in self.form[a]:
            spec.add_linear(col, coef * w)
        if self.offset[a]:
            spec.const += coef * self.offset[a]
        if poly is not None:
            _poly_add(poly, self.poly[a], coef)

    def read_product(self, spec: _Spec, poly: Poly, a: int, b: int, coef: Fraction) -> None:
        form_a, form_b, oa, ob = self.form[a], self.form[b], self.offset[a], self.offset[b]
        if a == b and len(form_a) == 2:  # relu(P)² + relu(-P)² = P²: equal w_b, no cross
            for col, _ in form_a:
                spec.squares[col] = spec.squares.get(col, ZERO) + coef
        elif a == b:  # P² = (σ·h + o)² = h² + 2σo·h + o²
            ((col, w),) = form_a
            spec.squares[col] = spec.squares.get(col, ZERO) + coef
            if oa:
                spec.add_linear(col, 2 * coef * w * oa)
                spec.const += coef * oa * oa
        else:  # (L_a·h + o_a)(L_b·h + o_b), with L_b's first weight made 1
            unit = form_b[0][1]
            spec.cross = ({col: coef * w * unit for col, w in form_a},
                          {col: w * unit for col, w in form_b})
            if ob:
                for col, w in form_a:
                    spec.add_linear(col, coef * ob * w)
            if oa:
                for col, w in form_b:
                    spec.add_linear(col, coef * oa * w)
            spec.const += coef * oa * ob
        _poly_add(poly, _poly_mul(self.poly[a], self.poly[b]), coef)

    def interval(self, spec: _Spec, below: list[Interval]) -> Interval:
        """The layer-by-layer enclosure of the row :func:`_row` builds from ``spec``."""
        row = _row(spec)
        product = interval_sum(below[j] * v for j, v in row["w_r"])
        if spec.cross is not None:
            product = (product + row["b_r"]) * (
                interval_sum(below[j] * v for j, v in row["w_g"]) + row["b_g"])
        return product + interval_sum(below[j].square() * v for j, v in row["w_b"]) + row["c"]

    def layers(self) -> tuple[Layer, ...]:
        plan = self.plan
        by_layer: dict[int, list[int]] = {}
        for node_id, node in enumerate(plan.nodes):
            if node.layer:
                by_layer.setdefault(node.layer, []).append(node_id)
        below = list(self.box or [Interval.everything()] * plan.n_inputs)
        width, out = plan.n_inputs, []
        for layer in range(1, plan.depth + 1):
            hidden = layer < plan.depth
            relu = hidden and self.activation == "relu"
            specs, values = [], []
            for node_id in by_layer[layer]:
                spec, poly = self.spec(node_id)
                col = len(specs)
                # verify proves a sign from the meet of both enclosures; either one alone is
                # rigorous, so a shift from one is proved (the term-wise one is exact for a
                # monomial, and cheap). On R^n it also proves degree-2 signs exactly.
                rng = self.interval(spec, below) if self.box is None else self.termwise(poly)
                if relu and rng.lo == -INF and rng.hi == INF:
                    rng = rng.meet(_global_sign(poly))
                self.poly[node_id] = poly
                if relu and rng.lo == -INF and rng.hi == INF:
                    # No shift exists: relu(P) - relu(-P) = P, carried as (P, 0) as verify does.
                    specs += [spec, spec.negated()]
                    values += [rng, Interval.point(ZERO)]
                    self.form[node_id], self.offset[node_id] = ((col, ONE), (col + 1, -ONE)), ZERO
                    continue
                sigma, shift = _orientation(rng) if relu else (1, ZERO)
                spec.orient(sigma, shift)
                specs.append(spec)
                if self.box is None:  # the layer-by-layer enclosure is needed only then
                    rng = rng * sigma + shift
                    values.append(rng.relu() if relu else rng)
                self.form[node_id], self.offset[node_id] = ((col, Fraction(sigma)),), -sigma * shift
            out.append(_layer(specs, width, self.activation if hidden else "identity"))
            below, width = values, len(specs)
        return tuple(out)


def _orientation(rng: Interval) -> tuple[int, Fraction]:
    """``(σ, s)`` with ``σ·[lo, hi] + s >= 0``, the smaller shift (``σ = 1`` on a tie); one
    end of ``rng`` is finite."""
    if rng.lo >= 0:
        return 1, ZERO
    if rng.hi <= 0:
        return -1, ZERO
    up, down = -rng.lo, rng.hi
    return (1, up) if up <= down else (-1, down)


def _global_sign(poly: Poly) -> Interval:
    """Where a polynomial of degree <= 2 lies on all of R^n, decided as verify does (its
    Gram matrix semidefinite, exactly); R for higher degrees or no sign."""
    if not poly or max(sum(m) for m in poly) > 2:
        return Interval.everything()
    sign = quadratic_form_sign(poly.items(), len(next(iter(poly))))
    return {1: Interval(ZERO, INF), -1: Interval(-INF, ZERO)}.get(sign, Interval.everything())


def _row(spec: _Spec) -> dict[str, Any]:
    def row(entries: dict[int, Fraction]) -> tuple[tuple[int, Fraction], ...]:
        return tuple(sorted((j, v) for j, v in entries.items() if v))

    if spec.cross is not None:
        # (L·h + p)(R·h + q) = (L·h)(R·h) + q·L·h + p·R·h + pq: the linear terms must be
        # q·L on L's columns and p·R on R's.
        left, right = spec.cross
        p, q = _ratio(spec.linear, right), _ratio(spec.linear, left)
        if p is None or q is None or {j for j, x in spec.linear.items() if x} - (
                left.keys() | right.keys()):
            raise Unrealizable("the output's product cannot carry its linear terms")
        return {"w_r": row(left), "b_r": p, "w_g": row(right), "b_g": q,
                "w_b": row(spec.squares), "c": spec.const - p * q}
    linear = row(spec.linear)
    return {"w_r": linear, "b_r": ZERO, "w_g": (), "b_g": ONE if linear else ZERO,
            "w_b": row(spec.squares), "c": spec.const}


def _ratio(linear: dict[int, Fraction], form: dict[int, Fraction]) -> Fraction | None:
    """``t`` with ``linear = t·form`` on ``form``'s columns, if there is one."""
    ratios = {linear.get(j, ZERO) / w for j, w in form.items()}
    return ratios.pop() if len(ratios) == 1 else None


def _layer(specs: list[_Spec], width: int, activation: str) -> Layer:
    rows = [_row(spec) for spec in specs]
    shape = (len(rows), width)

    def matrix(name: str) -> Matrix:
        return Matrix(shape, tuple(r[name] for r in rows))

    def vector(name: str) -> tuple[Fraction, ...]:
        return tuple(r[name] for r in rows)

    if all(spec.cross is None and not any(spec.squares.values()) for spec in specs):
        return ConventionalLayer(matrix("w_r"), vector("c"), activation)
    return QuadraticLayer(matrix("w_r"), vector("b_r"), matrix("w_g"), vector("b_g"),
                          matrix("w_b"), vector("c"), activation)


def realize(plan: Plan, box: Sequence[Interval] | None, activation: str,
            ranges: dict[Monomial, Interval] | None = None) -> tuple[Layer, ...]:
    """The layers of ``plan`` with exact weights; ``box`` ``None`` means all of R^n.
    ``ranges`` caches the exact range of each monomial over ``box`` across calls.

    Raises :class:`Unrealizable` when the output's product cannot carry its linear terms.

    >>> from quadtheory._src.quadratic.monomials import lean_plans
    >>> plan = lean_plans(2, {(1, 1): Fraction(1)}, lambda m: 1)[0]   # x*y, one neuron
    >>> box = [Interval(Fraction(-1), Fraction(1))] * 2
    >>> [layer.kind for layer in realize(plan, box, "relu")]
    ['quadratic']
    """
    return _Realizer(plan, box, activation, {} if ranges is None else ranges).layers()
