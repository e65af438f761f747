"""A network as exact polynomials, layer by layer, with relu signs proved on the domain.

Each neuron's pre-activation is a sparse exact polynomial in the inputs. A relu neuron is
exact (the identity, or zero) when its pre-activation has a proven sign on the domain box;
the proof is the intersection of two rigorous enclosures: interval arithmetic through the
layers (with squares and ``λ·r²`` products kept nonnegative) and a term-by-term bound of the
polynomial itself; a pre-activation of degree <= 2 is also tested for a global sign exactly
(its Gram matrix is positive or negative semidefinite). Nothing is sampled, and no sympy
expression is expanded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..core.layers import Layer, QuadraticLayer
from ..core.matrix import Matrix, Row
from ..core.network import Network, as_network
from .intervals import INF, Interval, interval_sum
from .polyring import PolynomialRing

# What a relu neuron is proved to do: the identity (pre-activation >= 0 on the domain), zero
# (<= 0), half of an exact pair relu(z) - relu(-z) = z ("paired"), or nothing proved.
RELU_STATES = ("identity", "zero", "paired", "unproved")


@dataclass(frozen=True)
class ReluRange:
    """The proven range of one relu neuron's pre-activation, and what relu does there."""

    layer: int
    neuron: int
    range: Interval
    relu: str  # one of RELU_STATES

    def as_dict(self) -> dict[str, Any]:
        return {"layer": self.layer, "neuron": self.neuron, "range": self.range.as_strings(),
                "relu": self.relu}


@dataclass(frozen=True)
class PolynomialTrace:
    """The outputs as ring elements (``None`` if some relu sign is unproved) and the proofs."""

    ring: PolynomialRing
    outputs: tuple[Any, ...] | None
    relu_ranges: tuple[ReluRange, ...]
    output_ranges: tuple[Interval, ...]

    @property
    def proved(self) -> bool:
        return self.outputs is not None


def polynomial_range(ring: PolynomialRing, poly: Any, box: tuple[Interval, ...]) -> Interval:
    """A rigorous enclosure of a polynomial over a box, term by term (even powers >= 0).

    >>> from quadtheory._src.exact.polyring import PolynomialRing
    >>> R = PolynomialRing(("x",), "sympy"); (x,) = R.gens
    >>> str(polynomial_range(R, x**2 - x, (Interval(Fraction(-1), Fraction(1)),)))
    '[-1, 2]'
    """
    powers: dict[tuple[int, int], Interval] = {}
    terms = []
    for monom, coeff in ring.terms(poly):
        term = Interval.point(coeff)
        for k, e in enumerate(monom):
            if e:
                if (k, e) not in powers:
                    powers[k, e] = box[k].power(e)
                term = term * powers[k, e]
        terms.append(term)
    return interval_sum(terms)


def _is_psd(matrix: list[list[Fraction]]) -> bool:
    """Exact positive-semidefiniteness of a symmetric rational matrix (pivoted elimination)."""
    m = [row[:] for row in matrix]
    n = len(m)
    for k in range(n):
        pivot = m[k][k]
        if pivot < 0:
            return False
        if pivot == 0:
            if any(m[k][j] != 0 for j in range(k + 1, n)):
                return False
            continue
        for i in range(k + 1, n):
            factor = m[i][k] / pivot
            if factor:
                for j in range(k + 1, n):
                    m[i][j] -= factor * m[k][j]
    return True


def quadratic_form_sign(terms: Iterable[tuple[tuple[int, ...], Fraction]], n: int) -> int:
    """+1 if the polynomial of degree <= 2 with these ``(exponents, coefficient)`` terms in
    ``n`` variables is >= 0 on all of R^n, -1 if <= 0, else 0.

    ``p(x) = [x; 1]^T M [x; 1]`` with ``M`` symmetric; ``p >= 0`` everywhere iff ``M`` is
    positive semidefinite, decided exactly.

    >>> quadratic_form_sign([((2,), Fraction(1)), ((1,), Fraction(-2)), ((0,), Fraction(1))], 1)
    1
    """
    matrix = [[Fraction(0)] * (n + 1) for _ in range(n + 1)]
    for monom, coeff in terms:
        i, j = ([k for k, e in enumerate(monom) for _ in range(e)] + [n, n])[:2]
        matrix[i][j] += coeff / 2
        matrix[j][i] += coeff / 2
    if _is_psd(matrix):
        return 1
    return -1 if _is_psd([[-v for v in row] for row in matrix]) else 0


def quadratic_sign(ring: PolynomialRing, poly: Any) -> int:
    """+1 if a polynomial of degree <= 2 is >= 0 on all of R^n, -1 if <= 0, else 0 (also 0
    for higher degrees). This proves ``‖x − c‖² >= 0`` however the centre is folded into the
    weights, where interval bounds cannot.

    >>> R = PolynomialRing(("x", "y"), "sympy"); x, y = R.gens
    >>> quadratic_sign(R, (x - 1) ** 2 + y ** 2), quadratic_sign(R, x * y)
    (1, 0)
    """
    if ring.degree(poly) > 2:
        return 0
    return quadratic_form_sign(ring.terms(poly), len(ring.names))


def _sign_range(ring: PolynomialRing, poly: Any, enclosure: Interval) -> Interval:
    if enclosure.lo >= 0 or enclosure.hi <= 0:
        return enclosure
    sign = quadratic_sign(ring, poly)
    if sign > 0:
        return enclosure.meet(Interval(Fraction(0), INF))
    if sign < 0:
        return enclosure.meet(Interval(-INF, Fraction(0)))
    return enclosure


def _column(matrix: Matrix, j: int, sign: int = 1) -> list[Fraction]:
    return [sign * dict(row).get(j, Fraction(0)) for row in matrix.rows]


def _reads_difference(following: Layer | None, p: int, q: int) -> bool:
    """Whether the next layer sees neurons p and q only through ``h_p - h_q`` (linearly)
    and ``h_p² + h_q²`` (through w_b)."""
    if following is None:
        return False
    if not isinstance(following, QuadraticLayer):
        return _column(following.w, p) == _column(following.w, q, -1)
    return (_column(following.w_r, p) == _column(following.w_r, q, -1)
            and _column(following.w_g, p) == _column(following.w_g, q, -1)
            and _column(following.w_b, p) == _column(following.w_b, q))


def _split_pairs(ring: PolynomialRing, polys: list[Any], states: list[str],
                 following: Layer | None) -> list[tuple[int, int]]:
    """Pairs (p, q) of sign-changing relu neurons with pre-activations z and -z that the
    next layer reads as relu(z) - relu(-z) = z: exact everywhere, with no sign to prove."""
    open_by_key: dict[tuple, list[int]] = {}
    for j, state in enumerate(states):
        if state == "unproved":
            open_by_key.setdefault(tuple(sorted(ring.terms(polys[j]))), []).append(j)
    pairs = []
    for j, state in enumerate(states):
        if state != "unproved":
            continue
        key = tuple(sorted(ring.terms(polys[j])))
        if j not in open_by_key.get(key, []):
            continue
        negated = tuple(sorted((m, -c) for m, c in key))
        for q in open_by_key.get(negated, []):
            if q != j and _reads_difference(following, j, q):
                open_by_key[key].remove(j)
                open_by_key[negated].remove(q)
                pairs.append((j, q))
                break
    return pairs


def _affine(ring: PolynomialRing, row: Row, bias: Fraction, h: list[Any]) -> Any:
    return ring.linear([(v, h[j]) for j, v in row], bias)


def _affine_range(row: Row, bias: Fraction, iv: list[Interval]) -> Interval:
    return interval_sum(iv[j] * v for j, v in row) + bias


def _ratio(row_a: Row, bias_a: Fraction, row_b: Row, bias_b: Fraction) -> Fraction | None:
    """λ with ``(row_b, bias_b) = λ (row_a, bias_a)``, if there is one (λ != 0)."""
    a = dict(row_a) | ({-1: bias_a} if bias_a else {})
    b = dict(row_b) | ({-1: bias_b} if bias_b else {})
    if not a or a.keys() != b.keys():
        return None
    ratios = {b[k] / a[k] for k in a}
    return ratios.pop() if len(ratios) == 1 else None


def _product_range(r: Interval, layer: QuadraticLayer, j: int, g: Interval) -> Interval:
    lam = _ratio(layer.w_r.rows[j], layer.b_r[j], layer.w_g.rows[j], layer.b_g[j])
    if lam is not None:  # g = λ r, so r·g = λ r² has the sign of λ
        return r.square() * lam
    return r * g


def _layer_step(ring: PolynomialRing, layer: Layer, h: list[Any], iv: list[Interval] | None
                ) -> tuple[list[Any], list[Interval] | None]:
    """The layer's pre-activation polynomials, and their enclosures unless ``iv`` is None."""
    if iv is None:
        return _layer_polynomials(ring, layer, h), None
    if not isinstance(layer, QuadraticLayer):
        return ([_affine(ring, row, b, h) for row, b in zip(layer.w.rows, layer.b)],
                [_affine_range(row, b, iv) for row, b in zip(layer.w.rows, layer.b)])
    squares: dict[int, Any] = {}
    polys, ranges = [], []
    for j in range(layer.out_features):
        r = _affine(ring, layer.w_r.rows[j], layer.b_r[j], h)
        g = _affine(ring, layer.w_g.rows[j], layer.b_g[j], h)
        for i, _ in layer.w_b.rows[j]:
            if i not in squares:
                squares[i] = h[i] * h[i]
        s = _affine(ring, layer.w_b.rows[j], layer.c[j], squares)
        polys.append(r * g + s)
        product = _product_range(_affine_range(layer.w_r.rows[j], layer.b_r[j], iv), layer, j,
                                 _affine_range(layer.w_g.rows[j], layer.b_g[j], iv))
        ranges.append(product + interval_sum(iv[i].square() * v for i, v in layer.w_b.rows[j])
                      + layer.c[j])
    return polys, ranges


def _layer_polynomials(ring: PolynomialRing, layer: Layer, h: list[Any]) -> list[Any]:
    if not isinstance(layer, QuadraticLayer):
        return [_affine(ring, row, b, h) for row, b in zip(layer.w.rows, layer.b)]
    squares = {i: h[i] * h[i] for i in {i for row in layer.w_b.rows for i, _ in row}}
    return [_affine(ring, layer.w_r.rows[j], layer.b_r[j], h)
            * _affine(ring, layer.w_g.rows[j], layer.b_g[j], h)
            + _affine(ring, layer.w_b.rows[j], layer.c[j], squares)
            for j in range(layer.out_features)]


def network_polynomials(network: Network, backend: str = "auto") -> PolynomialTrace:
    """The network's outputs as exact polynomials on its domain, with the relu proofs.

    >>> from quadtheory import Network, quadratic_layer
    >>> sq = Network(("x",), (quadratic_layer([[1]], w_g=[[1]], activation="relu"),),
    ...              domain=[[-1, 1]])
    >>> trace = network_polynomials(sq, "sympy")
    >>> trace.outputs, trace.relu_ranges[0].relu, str(trace.relu_ranges[0].range)
    ((x**2,), 'identity', '[0, 1]')
    """
    network = as_network(network, "network")
    ring = PolynomialRing(network.inputs, backend)
    box = tuple(Interval(lo, hi) for lo, hi in network.domain) if network.domain else tuple(
        Interval.everything() for _ in network.inputs)
    h, iv = list(ring.gens), list(box)
    relus: list[ReluRange] = []
    # Enclosures are needed for the relu sign proofs; after the last relu layer, only the
    # outputs' enclosure is kept (from the polynomials themselves), which is most of the
    # saving for deep identity tails.
    last_relu = max((k for k, layer in enumerate(network.layers) if layer.activation == "relu"),
                    default=-1)
    for k, layer in enumerate(network.layers):
        polys, ranges = _layer_step(ring, layer, h, iv if k <= last_relu else None)
        if ranges is None:
            ranges = [polynomial_range(ring, p, box) for p in polys] if (
                k == network.depth - 1) else None
        elif network.domain is not None:
            ranges = [a.meet(polynomial_range(ring, p, box)) for a, p in zip(ranges, polys)]
        if layer.activation == "relu":
            ranges = [_sign_range(ring, p, a) for a, p in zip(ranges, polys)]
            states = ["identity" if r.lo >= 0 else "zero" if r.hi <= 0 else "unproved"
                      for r in ranges]
            following = network.layers[k + 1] if k + 1 < network.depth else None
            for p, q in _split_pairs(ring, polys, states, following):
                # relu(z) and relu(-z), read downstream only as their difference z (and
                # their squares' sum z², since relu(z)·relu(-z) = 0): carry (z, 0) exactly.
                states[p] = states[q] = "paired"
                polys[q] = ring.constant(Fraction(0))
                ranges[q] = Interval.point(Fraction(0))
            relus.extend(ReluRange(k, j, rng, state)
                         for j, (rng, state) in enumerate(zip(ranges, states)))
            if "unproved" in states:
                return PolynomialTrace(ring, None, tuple(relus), ())
            for j, state in enumerate(states):
                if state == "zero":
                    polys[j] = ring.constant(Fraction(0))
                if state != "paired":
                    ranges[j] = ranges[j].relu()
        h, iv = polys, ranges
    return PolynomialTrace(ring, tuple(h), tuple(relus), tuple(iv))

