"""Weights for a plan: exact rationals, with relu made exact by proven shifts or splits.

Every hidden value of a plan is a known polynomial ``P`` (a monomial, an accumulator's sum,
or a value of a composed plan). Under relu the neuron computes ``σ·P + s`` instead, with
``σ = ±1`` and the shift ``s >= 0`` chosen from a rigorous enclosure of ``P`` over the domain
box so that the pre-activation is provably ``>= 0``: relu is then the identity, and the next
layer reads ``P = σ·(h - s)``, which its affine forms absorb into their biases (free in a
quadratic network). The enclosure is one :func:`quadtheory.verify` proves (interval
arithmetic through the layers, intersected with a term-by-term bound of ``P``), so the
construction is provable by construction. Where no shift exists (on all of R^n, a value
unbounded both ways that is not provably of one sign), the value is split: two relu neurons
with pre-activations ``P`` and ``-P``, which every neuron above reads only through their
difference ``relu(P) - relu(-P) = P`` and, through ``w_b``, with equal coefficients
(``relu(P)² + relu(-P)² = P²``): the pairs :func:`quadtheory.verify` proves exact.

A *tight* plan (a composition: ``T_64 = T_2∘…∘T_2``) writes a square of a shifted value as
one product ``(h + o)·(h + o)`` rather than ``h² + 2o·h + o²``: the enclosure through the
layers then keeps it a square, which keeps every shift, and every intermediate value of the
float evaluation, as small as the values themselves (the expanded polynomial's term-by-term
bound would be astronomically loose there, so a tight plan uses the layer-by-layer one).

All arithmetic is exact, in fast rationals (:func:`~quadtheory._src.core.numbers.fast`);
``count_plan`` gives a plan's parameter counts from the same rows without building a layer.
"""

from __future__ import annotations

import collections
import itertools
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..core.counts import ParamCounts
from ..core.layers import ConventionalLayer, Layer, QuadraticLayer
from ..core.matrix import Matrix
from ..core.numbers import Q, fast, slow
from ..exact import ranges
from ..exact.polynomial import quadratic_form_sign
from ..exact.univariate import MAX_DEGREE as CHEBYSHEV_DEGREE
from ..exact.univariate import chebyshev_range
from .monomials import Monomial, Plan, canonical_split, level, naive_plan, units

Poly = dict[Monomial, Any]  # exponents -> fast rational
Form = tuple[tuple[int, Any], ...]  # (column, weight) pairs
ZERO, ONE = Q(0), Q(1)


class Unrealizable(Exception):
    """This plan cannot be made exact: its output product cannot also carry its linear
    terms (the caller tries another plan; the message says why, for when none is left)."""


@dataclass
class _Spec:
    """A pre-activation as a polynomial of degree <= 2 in the layer below's columns; the
    product ``cross`` is ``(L·h)(R·h)`` for two linear forms ``(L, R)``."""

    linear: dict[int, Any] = field(default_factory=dict)
    squares: dict[int, Any] = field(default_factory=dict)
    cross: tuple[dict[int, Any], dict[int, Any]] | None = None
    const: Any = ZERO

    def add_linear(self, col: int, coef: Any) -> None:
        self.linear[col] = self.linear.get(col, ZERO) + coef

    def orient(self, sigma: int, shift: Any) -> None:
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
        return {tuple(map(operator.add, m, k)): a * b}
    out: Poly = {}
    for m, a in p.items():
        for k, b in q.items():
            key = tuple(map(operator.add, m, k))
            out[key] = out.get(key, ZERO) + a * b
    return {m: v for m, v in out.items() if v}


def _poly_add(out: Poly, p: Poly, coef: Any) -> None:
    if not out and coef == 1:
        out.update(p)
        return
    for m, v in p.items():
        total = out.get(m, ZERO) + coef * v
        if total:
            out[m] = total
        else:
            out.pop(m, None)


def monomial_range(m: Monomial, box: Sequence[ranges.Range],
                   cache: dict[Monomial, ranges.Range]) -> ranges.Range:
    """The exact range of a monomial over a box (a product of independent powers), cached.

    >>> box = [(Q(-1), Q(2)), (Q(0), Q(1))]
    >>> monomial_range((3, 2), box, {})   # x³ in [-1, 8], y² in [0, 1]
    (-1, 8)
    """
    found = cache.get(m)
    if found is None:
        found = (ONE, ONE)
        for k in itertools.compress(range(len(m)), m):  # the variables present, in C
            found = ranges.mul(found, ranges.power(box[k], m[k]))
        cache[m] = found
    return found


@dataclass(frozen=True)
class PlanCounts:
    """The shape of a realized plan: parameter counts, depth and widths."""

    params: ParamCounts
    depth: int
    widths: tuple[int, ...]


class _Realizer:
    def __init__(self, plan: Plan, box: Sequence[ranges.Range] | None, activation: str,
                 monomial_ranges: dict[Monomial, ranges.Range],
                 turned: frozenset[int] = frozenset()) -> None:
        self.plan, self.box, self.activation = plan, box, activation
        self.turned = turned  # node ids whose relu orientation is the other one
        self.two_sided: list[int] = []  # node ids that have two orientations (rows() fills)
        n = plan.n_inputs
        # Polynomials are needed for the term-by-term enclosures (a box, not tight), for
        # the exact sign of degree-2 values on R^n, and for the Chebyshev enclosures of one
        # input's values in a tight plan.
        self.univariate = plan.tight and box is not None and plan.n_inputs == 1
        self.track = not plan.tight or box is None or self.univariate
        # Per node id: its polynomial P, and how the layer holds it: P = Σ w·h_col + offset
        # (one column σ·P + s, so w = σ and offset = -σ·s; a split pair, w = 1 and -1; or,
        # at layer 0, an affine form of the inputs).
        self.poly: dict[int, Poly] = {}
        self.form: dict[int, Form] = {}
        self.offset: dict[int, Any] = {}
        self.pairs: set[int] = set()  # split nodes
        self.monomial_ranges = monomial_ranges  # shared by the plans of one target
        self.ranges: dict[int, ranges.Range] = {}  # by id of a stored (never mutated) poly
        for i, unit in enumerate(units(n)):
            self.poly[i] = {unit: ONE}
            self.form[i], self.offset[i] = ((i, ONE),), ZERO
        self.affine_nodes: dict[int, list[int]] = {}
        for node_id, node in enumerate(plan.nodes):
            if node.op == "affine":
                self.affine_nodes.setdefault(node.layer, []).append(node_id)
        self.combine(0)

    def combine(self, layer: int) -> None:
        """Hold the plan's affine nodes of ``layer``: combinations of the layer's values,
        which the next layer's affine forms compute (no neuron)."""
        for node_id in self.affine_nodes.get(layer, []):
            node = self.plan.nodes[node_id]
            form: dict[int, Any] = {}
            offset, poly = fast(node.const), {}
            for a, coef in node.linear:
                c = fast(coef)
                for col, w in self.form[a]:
                    form[col] = form.get(col, ZERO) + c * w
                offset += c * self.offset[a]
                if self.track:
                    _poly_add(poly, self.poly[a], c)
            if self.track:
                _poly_add(poly, {(0,) * self.plan.n_inputs: fast(node.const)}, ONE)
            self.form[node_id] = tuple((col, w) for col, w in sorted(form.items()) if w)
            self.offset[node_id], self.poly[node_id] = offset, poly

    def termwise(self, poly: Poly) -> ranges.Range:
        """The bound of :func:`quadtheory._src.exact.polynomial.polynomial_range`, term by term."""
        if id(poly) in self.ranges:  # a carried value: the same polynomial object
            return self.ranges[id(poly)]
        if len(poly) == 1 and next(iter(poly.values())) == 1:
            return monomial_range(next(iter(poly)), self.box, self.monomial_ranges)
        total = (ZERO, ZERO)
        for m, coef in poly.items():
            total = ranges.add(total, ranges.scale(
                monomial_range(m, self.box, self.monomial_ranges), coef))
        self.ranges[id(poly)] = total
        return total

    def spec(self, node_id: int) -> tuple[_Spec, Poly]:
        node = self.plan.nodes[node_id]
        spec, poly = _Spec(), {}
        if node.op == "product":
            self.read_product(spec, poly, *node.args, ONE, alone=True)
        elif node.op == "carry":
            self.read_linear(spec, None, node.args[0], ONE)
            poly = self.poly.get(node.args[0], poly)  # never mutated once stored: shared
        else:
            for a, coef in node.linear:
                self.read_linear(spec, poly, a, fast(coef))
            # A tight plan writes a square as a product when nothing else needs the slot:
            # with the linear terms of the same value, c·P² + l·P = c·(P + l/2c)² − l²/4c.
            alone = (len(node.squares) == 1 and node.cross is None
                     and all(b == node.squares[0][0] for b, _ in node.linear))
            for a, coef in node.squares:
                self.read_product(spec, poly, a, a, fast(coef), alone, bool(node.linear))
            if node.cross is not None:
                a, b, coef = node.cross
                self.read_product(spec, poly, a, b, fast(coef))
            spec.const += fast(node.const)
            if self.track:
                _poly_add(poly, {(0,) * self.plan.n_inputs: fast(node.const)}, ONE)
        return spec, poly

    def read_linear(self, spec: _Spec, poly: Poly | None, a: int, coef: Any) -> None:
        for col, w in self.form[a]:
            spec.add_linear(col, coef * w)
        if self.offset[a]:
            spec.const += coef * self.offset[a]
        if poly is not None and self.track:
            _poly_add(poly, self.poly[a], coef)

    def read_product(self, spec: _Spec, poly: Poly, a: int, b: int, coef: Any,
                     alone: bool = False, linear: bool = False) -> None:
        """Add ``coef·P_a·P_b``. In a tight plan a square read ``alone`` (nothing else needs
        the product slot) of a shifted value, or with ``linear`` terms of the same value,
        goes through the product slot: a square the enclosures keep tight."""
        form_a, form_b, oa, ob = self.form[a], self.form[b], self.offset[a], self.offset[b]
        if a == b and a in self.pairs:  # relu(P)² + relu(-P)² = P²: equal w_b, no cross
            for col, _ in form_a:
                spec.squares[col] = spec.squares.get(col, ZERO) + coef
        elif a == b and len(form_a) == 1 and not (self.plan.tight and alone and (oa or linear)):
            # P² = (σ·h + o)² = h² + 2σo·h + o² (a tight plan keeps the product below)
            ((col, w),) = form_a
            spec.squares[col] = spec.squares.get(col, ZERO) + coef
            if oa:
                spec.add_linear(col, 2 * coef * w * oa)
                spec.const += coef * oa * oa
        else:  # (L_a·h + o_a)(L_b·h + o_b), with L_b's first weight made 1
            if spec.cross is not None:
                raise Unrealizable("a neuron would need two products")
            unit = form_b[0][1]
            spec.cross = ({col: coef * w * unit for col, w in form_a},
                          {col: w / unit for col, w in form_b})
            if ob:
                for col, w in form_a:
                    spec.add_linear(col, coef * ob * w)
            if oa:
                for col, w in form_b:
                    spec.add_linear(col, coef * oa * w)
            spec.const += coef * oa * ob
        if self.track:
            _poly_add(poly, _poly_mul(self.poly[a], self.poly[b]), coef)

    def rows(self) -> list[tuple[list[dict[str, Any]], str]]:
        """The exact rows of every layer, and each layer's activation."""
        plan = self.plan
        by_layer: dict[int, list[int]] = {}
        for node_id, node in enumerate(plan.nodes):
            if node.layer and node.op != "affine":
                by_layer.setdefault(node.layer, []).append(node_id)
        below = list(self.box or [ranges.EVERYTHING] * plan.n_inputs)
        out = []
        for layer in range(1, plan.depth + 1):
            hidden = layer < plan.depth
            relu = hidden and self.activation == "relu"
            rows, values = [], []
            for node_id in by_layer[layer]:
                spec, poly = self.spec(node_id)
                col = len(rows)
                rng = self.enclosure(spec, poly, below)
                self.poly[node_id] = poly
                if relu and rng == ranges.EVERYTHING:
                    # No shift exists: relu(P) - relu(-P) = P, carried as (P, 0) as verify does.
                    rows += [_row(spec), _row(spec.negated())]
                    values += [rng, (ZERO, ZERO)]
                    self.form[node_id], self.offset[node_id] = ((col, ONE), (col + 1, -ONE)), ZERO
                    self.pairs.add(node_id)
                    continue
                sigma, shift = (1, ZERO)
                if relu:
                    if _two_sided(rng):
                        self.two_sided.append(node_id)
                    sigma, shift = _orientation(rng, node_id in self.turned)
                    if not shift and node_id in plan.lifted:
                        shift = ONE  # a factor of a product reading a third value: see Plan
                spec.orient(sigma, shift)
                rows.append(_row(spec))
                held = ranges.shift(ranges.scale(rng, Q(sigma)), shift)
                values.append(ranges.relu(held) if relu else held)
                self.form[node_id], self.offset[node_id] = ((col, Q(sigma)),), -sigma * shift
            out.append((rows, self.activation if hidden else "identity"))
            below = values
            self.combine(layer)
        return out

    def enclosure(self, spec: _Spec, poly: Poly, below: list[ranges.Range]) -> ranges.Range:
        """A rigorous enclosure of the node's value that verify proves too: term by term on
        a box (exact for a monomial, and cheap), through the layers on R^n or in a tight
        plan; on R^n a degree-2 value also gets its exact global sign."""
        if self.box is not None and not self.plan.tight:
            return self.termwise(poly)
        row = _row(spec)
        rng = ranges.quadratic_range(row["w_r"], row["b_r"], row["w_g"], row["b_g"],
                                     row["w_b"], row["c"], below)
        if self.box is None and self.track and rng == ranges.EVERYTHING:
            rng = _global_sign(poly)
        if self.univariate and poly:
            degree = max(e for (e,) in poly)
            if degree <= CHEBYSHEV_DEGREE:
                rng = ranges.meet(rng, chebyshev_range(
                    [poly.get((k,), ZERO) for k in range(degree + 1)], *self.box[0]))
        return rng


def _two_sided(rng: ranges.Range) -> bool:
    """Whether ``rng`` is finite and holds values of both signs: its relu may hold it either
    way round (:func:`_orientation`)."""
    lo, hi = rng
    return lo is not None and hi is not None and lo.numerator < 0 < hi.numerator


def _orientation(rng: ranges.Range, turned: bool = False) -> tuple[int, Any]:
    """``(σ, s)`` with ``σ·[lo, hi] + s >= 0``, the smaller shift (``σ = 1`` on a tie), or
    for a :func:`_two_sided` range ``turned``, the other one; one end of ``rng`` is finite."""
    lo, hi = rng
    if ranges.nonnegative(rng):
        return 1, ZERO
    if ranges.nonpositive(rng):
        return -1, ZERO
    if hi is None:
        return 1, -lo
    if lo is None:
        return -1, hi
    up, down = -lo, hi
    first = (up - down).numerator <= 0
    return (1, up) if first != turned else (-1, down)


def _global_sign(poly: Poly) -> ranges.Range:
    """Where a polynomial of degree <= 2 lies on all of R^n, decided as verify does (its
    Gram matrix semidefinite, exactly); R for higher degrees or no sign."""
    if not poly or max(sum(m) for m in poly) > 2:
        return ranges.EVERYTHING
    sign = quadratic_form_sign([(m, slow(c)) for m, c in poly.items()], len(next(iter(poly))))
    return {1: (ZERO, None), -1: (None, ZERO)}.get(sign, ranges.EVERYTHING)


def _sorted_row(entries: dict[int, Any]) -> tuple[tuple[int, Any], ...]:
    return tuple(sorted((j, v) for j, v in entries.items() if v))


def _row(spec: _Spec) -> dict[str, Any]:
    if spec.cross is not None:
        left, right = spec.cross
        extra = {j for j, x in spec.linear.items() if x} - (left.keys() | right.keys())
        if left.keys() == right.keys() and _ratio(left, right) is not None:
            # (k·R·h + p)(R·h + q) with p = t/2, q = t/(2k): a square k·(R·h + q)², which
            # the enclosures keep nonnegative; the linear terms must be t·R.
            k, t = _ratio(left, right), _ratio(spec.linear, right)
            if t is None or extra:
                raise Unrealizable("a square cannot carry the neuron's linear terms")
            p, q = t / 2, t / (2 * k)
        else:
            # (L·h + p)(R·h + q) = (L·h)(R·h) + q·L·h + p·R·h + pq: the linear terms must be
            # q·L + p·R.
            found = None if extra else _biases(spec.linear, left, right)
            if found is None and len(left.keys() | right.keys() | extra) == 3:
                row = _three_columns(spec, left, right)
                if row is not None:
                    return row
            if found is None:
                raise Unrealizable("the output's product cannot carry its linear terms")
            p, q = found
        return {"w_r": _sorted_row(left), "b_r": p, "w_g": _sorted_row(right), "b_g": q,
                "w_b": _sorted_row(spec.squares), "c": spec.const - p * q}
    linear = _sorted_row(spec.linear)
    return {"w_r": linear, "b_r": ZERO, "w_g": (), "b_g": ONE if linear else ZERO,
            "w_b": _sorted_row(spec.squares), "c": spec.const}


def _three_columns(spec: _Spec, left: dict[int, Any], right: dict[int, Any]
                   ) -> dict[str, Any] | None:
    """One neuron for ``(L·h)(R·h) + ℓ·h`` (plus squares and a constant) on three columns,
    when ``ℓ`` is not in the span of ``L`` and ``R``: a product that carries a linear term
    of a third value, ``2·T_m·T_{m+1} − x``. Its factors are ``A = ℓ`` and ``B·h + 1``, with
    ``B`` solving ``ℓ_i·B_j + ℓ_j·B_i = L_i·R_j + L_j·R_i`` for the three pairs (linear in
    ``B``, determinant ``−2ℓ_1ℓ_2ℓ_3``), so the cross terms are the product's and the linear
    terms ``ℓ``; ``w_b`` restores the squares. None when a component of ``ℓ`` is 0.

    >>> from quadtheory._src.core.numbers import Q
    >>> spec = _Spec()
    >>> spec.linear.update({0: Q(-2), 1: Q(-2), 2: Q(-1)})   # 2·h0·h1 − 2h0 − 2h1 − h2
    >>> row = _three_columns(spec, {0: Q(2)}, {1: Q(1)})
    >>> h = (Q(1, 3), Q(2, 5), Q(3, 7))
    >>> def form(w, b): return sum((v * h[j] for j, v in w), b)
    >>> value = (form(row["w_r"], row["b_r"]) * form(row["w_g"], row["b_g"])
    ...          + sum(v * h[j] ** 2 for j, v in row["w_b"]) + row["c"])
    >>> value == 2 * h[0] * h[1] - 2 * h[0] - 2 * h[1] - h[2]
    True
    """
    i, j, k = sorted(left.keys() | right.keys() | {c for c, v in spec.linear.items() if v})
    lin = {c: spec.linear.get(c, ZERO) for c in (i, j, k)}
    if not all(lin.values()):
        return _difference_of_squares(spec, left, right)

    def cross(a: int, b: int) -> Any:
        return left.get(a, ZERO) * right.get(b, ZERO) + left.get(b, ZERO) * right.get(a, ZERO)

    # ℓ_i·B_j + ℓ_j·B_i = m_ij, ℓ_i·B_k + ℓ_k·B_i = m_ik, ℓ_j·B_k + ℓ_k·B_j = m_jk:
    # B_j and B_k from the first two, then the third gives B_i.
    m_ij, m_ik, m_jk = cross(i, j), cross(i, k), cross(j, k)
    li, lj, lk = lin[i], lin[j], lin[k]
    b_i = (lk * m_ij + lj * m_ik - li * m_jk) / (2 * lj * lk)
    b_j = (m_ij - lj * b_i) / li
    b_k = (m_ik - lk * b_i) / li
    return _refactored(spec, left, right, (lin, ZERO), ({i: b_i, j: b_j, k: b_k}, ONE))


def _difference_of_squares(spec: _Spec, left: dict[int, Any], right: dict[int, Any]
                           ) -> dict[str, Any] | None:
    """``k·h_a·h_b + ℓ_x·h_x`` (no linear term on ``a``, ``b``: unshifted factors) as
    ``(u + v + ℓ_x/2)(−u + v + ℓ_x/2) = v² − u² + ℓ_x·v + ℓ_x²/4`` with ``u = h_a − (k/2)·h_b``
    and ``v = h_x``; None for any other pattern.

    >>> from quadtheory._src.core.numbers import Q
    >>> spec = _Spec()
    >>> spec.linear[2] = Q(-1)                                # 2·h0·h1 − h2
    >>> row = _difference_of_squares(spec, {0: Q(2)}, {1: Q(1)})
    >>> h = (Q(1, 3), Q(2, 5), Q(3, 7))
    >>> def form(w, b): return sum((v * h[j] for j, v in w), b)
    >>> value = (form(row["w_r"], row["b_r"]) * form(row["w_g"], row["b_g"])
    ...          + sum(v * h[j] ** 2 for j, v in row["w_b"]) + row["c"])
    >>> value == 2 * h[0] * h[1] - h[2]
    True
    """
    linear = {c for c, v in spec.linear.items() if v}
    if len(left) != 1 or len(right) != 1 or left.keys() == right.keys() or len(linear) != 1:
        return None
    ((a, l_a),), ((b, r_b),), (x,) = left.items(), right.items(), linear
    if x in (a, b):
        return None
    k, half = l_a * r_b, spec.linear[x] / 2
    return _refactored(spec, left, right, ({a: ONE, b: -k / 2, x: ONE}, half),
                       ({a: -ONE, b: k / 2, x: ONE}, half))


def _refactored(spec: _Spec, left: dict[int, Any], right: dict[int, Any],
                first: tuple[dict[int, Any], Any], second: tuple[dict[int, Any], Any]
                ) -> dict[str, Any]:
    """The row whose product is ``(A·h + p)(B·h + q)`` (``first = (A, p)``, ``second =
    (B, q)``) in place of ``(L·h)(R·h)`` plus the spec's linear terms, which the caller chose
    to have the same cross terms: ``w_b`` restores the squares, ``c`` takes ``−p·q``."""
    (a, p), (b, q) = first, second
    squares = dict(spec.squares)
    for c in a.keys() | b.keys() | left.keys() | right.keys():
        squares[c] = squares.get(c, ZERO) + left.get(c, ZERO) * right.get(c, ZERO) \
            - a.get(c, ZERO) * b.get(c, ZERO)
    return {"w_r": _sorted_row(a), "b_r": p, "w_g": _sorted_row(b), "b_g": q,
            "w_b": _sorted_row(squares), "c": spec.const - p * q}


def _biases(linear: dict[int, Any], left: dict[int, Any], right: dict[int, Any]
            ) -> tuple[Any, Any] | None:
    """``(p, q)`` with ``linear = q·left + p·right`` on their columns, if there is one
    (``left`` and ``right`` not proportional)."""
    columns = sorted(left.keys() | right.keys())
    a, b, c = ({j: v.get(j, ZERO) for j in columns} for v in (left, right, linear))
    for j1 in columns:
        for j2 in columns:
            det = a[j1] * b[j2] - a[j2] * b[j1]
            if det:
                q = (c[j1] * b[j2] - c[j2] * b[j1]) / det
                p = (a[j1] * c[j2] - a[j2] * c[j1]) / det
                if all(c[j] == q * a[j] + p * b[j] for j in columns):
                    return p, q
                return None
    return None


def _ratio(linear: dict[int, Any], form: dict[int, Any]) -> Any:
    """``t`` with ``linear = t·form`` on ``form``'s columns, if there is one."""
    found = None
    for j, w in form.items():
        ratio = linear.get(j, ZERO) / w
        if found is None:
            found = ratio
        elif ratio != found:
            return None
    return found


def _conventional(rows: list[dict[str, Any]]) -> bool:
    return all(not r["w_g"] and not r["b_r"] and not r["w_b"] for r in rows)


def _layer(rows: list[dict[str, Any]], width: int, activation: str) -> Layer:
    shape = (len(rows), width)

    def matrix(name: str) -> Matrix:
        return Matrix(shape, tuple(tuple((j, slow(v)) for j, v in r[name]) for r in rows))

    def vector(name: str) -> tuple[Fraction, ...]:
        return tuple(slow(r[name]) for r in rows)

    if _conventional(rows):
        return ConventionalLayer(matrix("w_r"), vector("c"), activation)
    return QuadraticLayer(matrix("w_r"), vector("b_r"), matrix("w_g"), vector("b_g"),
                          matrix("w_b"), vector("c"), activation)


def _box(box: Sequence[tuple[Fraction, Fraction]] | None) -> list[ranges.Range] | None:
    return None if box is None else [(fast(lo), fast(hi)) for lo, hi in box]


@dataclass(frozen=True)
class Realized:
    """A plan's exact rows, layer by layer: its counts without building a layer, and its
    layers when wanted; the nodes whose relu may be oriented either way (``two_sided``:
    a value of both signs, held as ``v + s`` or ``s' − v``; :func:`realize_rows`)."""

    n_inputs: int
    rows: tuple[tuple[tuple[dict[str, Any], ...], str], ...]  # (rows, activation) per layer
    two_sided: tuple[int, ...] = ()

    def counts(self, all_quadratic: bool = False) -> PlanCounts:
        """The counts of :meth:`layers` (``all_quadratic``: conventional layers counted as
        degenerate quadratic neurons, ``w_g = 0, b_g = 1``)."""
        dense = nonzero = 0
        width = self.n_inputs
        for layer_rows, _ in self.rows:
            out = len(layer_rows)
            if _conventional(layer_rows) and not all_quadratic:
                dense += out * (width + 1)
                nonzero += sum(len(r["w_r"]) + bool(r["c"]) for r in layer_rows)
            elif _conventional(layer_rows):
                dense += 3 * out * (width + 1)
                nonzero += sum(len(r["w_r"]) + bool(r["c"]) + 1 for r in layer_rows)
            else:
                dense += 3 * out * (width + 1)
                nonzero += sum(len(r["w_r"]) + len(r["w_g"]) + len(r["w_b"]) + bool(r["b_r"])
                               + bool(r["b_g"]) + bool(r["c"]) for r in layer_rows)
            width = out
        return PlanCounts(ParamCounts(dense, nonzero), len(self.rows),
                          tuple(len(r) for r, _ in self.rows))

    def layers(self) -> tuple[Layer, ...]:
        widths = [self.n_inputs] + [len(r) for r, _ in self.rows]
        return tuple(_layer(list(r), width, act) for (r, act), width in zip(self.rows, widths))


def realize_rows(plan: Plan, box: Sequence[tuple[Fraction, Fraction]] | None, activation: str,
                 monomial_ranges: dict[Monomial, ranges.Range] | None = None,
                 turned: frozenset[int] = frozenset()) -> Realized:
    """The exact rows of ``plan``; ``box`` ``None`` means all of R^n. ``monomial_ranges``
    caches the exact range of each monomial over ``box`` across calls. A relu holds a value
    of both signs ``v`` in ``[lo, hi]`` as ``v − lo`` or ``hi − v``, the smaller shift (the
    first on a tie), or the other for the node ids in ``turned``: the same function, but
    not the same roundings (``2 − 2x·T_2`` near ``x = 1`` subtracts exactly, ``2x·T_2 + 2``
    rounds near 4).

    Raises :class:`Unrealizable` when the output's product cannot carry its linear terms.

    >>> from quadtheory._src.quadratic.monomials import naive_plan
    >>> realize_rows(naive_plan(2, {(1, 1): Fraction(1), (2, 0): Fraction(1)}), [(0, 1)] * 2,
    ...              "relu").counts()
    PlanCounts(params=ParamCounts(dense=21, nonzero=5), depth=2, widths=(2, 1))
    """
    realizer = _Realizer(plan, _box(box), activation,
                         {} if monomial_ranges is None else monomial_ranges, turned)
    rows = realizer.rows()
    return Realized(plan.n_inputs, tuple((tuple(r), act) for r, act in rows),
                    tuple(realizer.two_sided))


def realize(plan: Plan, box: Sequence[tuple[Fraction, Fraction]] | None, activation: str,
            monomial_ranges: dict[Monomial, ranges.Range] | None = None) -> tuple[Layer, ...]:
    """The layers of ``plan`` with exact weights (:func:`realize_rows`, built).

    >>> from quadtheory._src.quadratic.monomials import lean_plans
    >>> plan = lean_plans(2, {(1, 1): Fraction(1)}, lambda m: 1)[0]   # x*y, one neuron
    >>> [layer.kind for layer in realize(plan, [(-1, 1)] * 2, "relu")]
    ['quadratic']
    """
    return realize_rows(plan, box, activation, monomial_ranges).layers()


def count_naive(n: int, terms: dict[Monomial, Fraction],
                box: Sequence[tuple[Fraction, Fraction]] | None, activation: str,
                all_quadratic: bool = False) -> PlanCounts:
    """The counts of the naive plan's network (:func:`~.monomials.naive_plan`), from the
    monomials alone: each monomial's own tree (a factor counted once per tree that holds
    it), with the rows :func:`realize` writes
    (a product reads two weights, plus a bias per shifted factor and its own shift; a square
    one, plus three for a shifted factor; a carry one, plus ``b_g`` in a quadratic layer, and
    the input's shift when it carries an input). No weight is computed; on R^n (splits) the
    rows are realized and counted.

    >>> count_naive(2, {(1, 1): Fraction(1), (2, 0): Fraction(1)}, [(0, 1)] * 2, "relu")
    PlanCounts(params=ParamCounts(dense=21, nonzero=5), depth=2, widths=(2, 1))
    """
    targets = {m: c for m, c in terms.items() if c and sum(m) >= 1}
    if box is None and activation == "relu":
        return realize_rows(naive_plan(n, terms), None, activation).counts(all_quadratic)
    relu = activation == "relu"
    fast_box = _box(box)
    cache: dict[Monomial, ranges.Range] = {}
    oriented: dict[Monomial, tuple[int, Any]] = {}

    # On a box symmetric about 0 ([-1, 1]^n, construct's default), a monomial ranges over
    # [-M, M] with an odd exponent and [0, M] without (M the product of h_k^e_k over the
    # sides [-h_k, h_k]): its orientation without interval products, which were most of
    # the count.
    symmetric = fast_box is not None and all(lo == -hi for lo, hi in fast_box)

    def orientation(m: Monomial) -> tuple[int, Any]:
        found = oriented.get(m)
        if found is None:
            if not relu:
                found = (1, ZERO)
            elif symmetric:
                if any(e & 1 for e in m):
                    top = ONE
                    for k in itertools.compress(range(len(m)), m):
                        if fast_box[k][1] != ONE:
                            top *= fast_box[k][1] ** m[k]
                    found = (1, top)
                else:
                    found = (1, ZERO)
            else:
                found = _orientation(monomial_range(m, fast_box, cache))
            oriented[m] = found
        return found

    def held(m: Monomial, layer: int) -> bool:
        """Whether the value of ``m`` held at ``layer`` has an offset (a shifted neuron)."""
        return layer > 0 and bool(orientation(m)[1])

    depth = max((level(sum(m)) for m in targets), default=0) + 1
    # Per layer: products, their nonzero params, carries, carries' extra params (shifts).
    products, product_nz, carries, carry_nz = ([0] * (depth + 1) for _ in range(4))
    # Each monomial's tree holds its factors' own trees, so a factor is counted once per tree
    # it lies in: its multiplicity, pushed from the highest degree down (a factor's degree is
    # below its product's), rather than each tree's per-layer counts summed into its parents'.
    by_degree: dict[int, dict[Monomial, int]] = collections.defaultdict(dict)
    # The output's bias: the constant term less each shifted monomial's shift (in fast
    # rationals: a Fraction sum per monomial was a third of the count).
    shifts = ZERO
    for m, c in targets.items():
        by_degree[sum(m)][m] = 1
        start = level(sum(m))
        for layer in range(start + 1, depth):  # carried to the output layer
            carries[layer] += 1
        # Carrying an input shifts it (its own bias); a carried neuron's shift cancels.
        carry_nz[1] += int(start == 0 and depth > 1 and held(m, 1))
        sigma, shift = orientation(m)
        if shift and (start < depth - 1 or sum(m) > 1):
            shifts += fast(c) * shift if sigma > 0 else -(fast(c) * shift)
    for degree in range(max(by_degree, default=0), 1, -1):
        here = level(degree)
        for m, k in by_degree.pop(degree, {}).items():
            a, b = canonical_split(m)
            for f in ((a,) if a == b else (a, b)):
                below = by_degree[sum(f)]
                below[f] = below.get(f, 0) + k
                start = level(sum(f))
                for layer in range(start + 1, here):
                    carries[layer] += k
                carry_nz[1] += k * int(start == 0 and here > 1 and held(f, 1))
            products[here] += k
            product_nz[here] += k * (1 + 3 * held(a, here - 1) if a == b else
                                     2 + held(a, here - 1) + held(b, here - 1)
                                     + bool(orientation(m)[1]))
    dense = nonzero = 0
    width, widths = n, []
    for layer in range(1, depth):
        out = products[layer] + carries[layer]
        quadratic = products[layer] > 0 or all_quadratic
        dense += (3 if quadratic else 1) * out * (width + 1)
        nonzero += product_nz[layer] + carry_nz[layer] + carries[layer] * (2 if quadratic else 1)
        width = out
        widths.append(out)
    dense += (3 if all_quadratic else 1) * (width + 1)
    bias = fast(terms.get((0,) * n, Fraction(0))) != shifts
    nonzero += len(targets) + int(bias) + int(all_quadratic)
    return PlanCounts(ParamCounts(dense, nonzero), depth, (*widths, 1))
