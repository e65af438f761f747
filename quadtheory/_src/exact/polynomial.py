"""A network as exact polynomials, layer by layer, with relu signs proved on the domain.

Each neuron's pre-activation is a sparse exact polynomial in the inputs. A relu neuron is
exact (the identity, or zero) when its pre-activation has a proven sign on the domain box;
the proof is the intersection of two rigorous enclosures: interval arithmetic through the
layers (with squares and ``λ·r²`` products kept nonnegative) and a term-by-term bound of the
polynomial itself; a pre-activation of degree <= 2 is also tested for a global sign exactly
(its Gram matrix is positive or negative semidefinite), and one of a single input is
enclosed by its Chebyshev coefficients (:mod:`.univariate`) where the others prove no sign.
The layers after a hidden layer of width one (``radial``'s ``t = ‖x − c‖²``) are traced as a
network of that layer's value on its proved range, and their outputs composed with its
polynomial, and a network whose first layer reads one affine form ``a·x`` only
(``construct``'s ``g(B)``) as a network of ``a·x`` on its exact range; where that proves no
sign, the trace goes on in the inputs, the values after a width-one layer enclosed as
polynomials of its value too. Nothing is sampled, and no sympy expression is
expanded.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..core import limits
from ..core.layers import Layer, QuadraticLayer
from ..core.matrix import Matrix
from ..core.network import Network, as_network
from . import ranges
from .intervals import Interval
from .polyring import PolynomialRing
from .univariate import MAX_DEGREE, chebyshev_range

# What a relu neuron is proved to do: the identity (pre-activation >= 0 on the domain), zero
# (<= 0), half of an exact pair relu(z) - relu(-z) = z ("paired"), or nothing proved.
RELU_STATES = ("identity", "zero", "paired", "unproved")


@dataclass(frozen=True)
class ReluRange:
    """The proven range of one relu neuron's pre-activation, and what relu does there."""

    layer: int
    neuron: int
    bounds: ranges.Range  # exact (lo, hi), None for an unbounded end
    relu: str  # one of RELU_STATES

    @property
    def range(self) -> Interval:
        return ranges.to_interval(self.bounds)

    def as_dict(self) -> dict[str, Any]:
        lo, hi = self.bounds
        return {"layer": self.layer, "neuron": self.neuron,
                "range": ["-inf" if lo is None else str(lo), "inf" if hi is None else str(hi)],
                "relu": self.relu}


@dataclass(frozen=True)
class PolynomialTrace:
    """The outputs as ring elements (``None`` if some relu sign is unproved) and the proofs;
    ``layer_ranges``: per layer, the proved enclosures of its outputs (exact ``(lo, hi)``
    pairs, ``None`` for an unbounded end), or ``None`` where none was needed; ``hidden``
    (kept on request): per layer, the polynomials its outputs are read as by the next layer
    (the float error bound encloses each neuron's affine forms with them)."""

    ring: PolynomialRing
    outputs: tuple[Any, ...] | None
    relu_ranges: tuple[ReluRange, ...]
    output_ranges: tuple[Interval, ...]
    layer_ranges: tuple[tuple[ranges.Range, ...] | None, ...] = ()
    hidden: tuple[tuple[Any, ...], ...] = ()

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
    return ranges.to_interval(_Termwise(ring, [ranges.from_interval(b) for b in box])(poly))


class _Termwise:
    """Term-by-term enclosures of polynomials over one box: each monomial's exact range (a
    product of independent powers) is computed once and shared by every polynomial."""

    def __init__(self, ring: PolynomialRing, box: list[ranges.Range]) -> None:
        self.ring, self.box = ring, box
        self.monomials: dict[tuple[int, ...], ranges.Range] = {}
        self.powers: dict[tuple[int, int], ranges.Range] = {}
        self.exact = ring.backend == "flint" and ranges.Q is not Fraction  # fmpq coefficients
        # On [-1, 1]^n (the default domain) the classes of the terms decide (_on_unit_box).
        self.unit = all(lo == -ranges.ONE and hi == ranges.ONE for lo, hi in box)

    def monomial(self, monom: tuple[int, ...]) -> ranges.Range:
        found = self.monomials.get(monom)
        if found is None:
            # The monomial without its last variable (cached: monomials share prefixes),
            # times that variable's power: one product per new monomial.
            k = max(itertools.compress(range(len(monom)), monom), default=None)
            if k is None:
                found = (ranges.ONE, ranges.ONE)
            else:
                e = monom[k]
                power = self.powers.get((k, e))
                if power is None:
                    power = self.powers[k, e] = ranges.power(self.box[k], int(e))
                found = ranges.mul(self.monomial(monom[:k] + (0,) * (len(monom) - k)), power)
            self.monomials[monom] = found
        return found

    def __call__(self, poly: Any) -> ranges.Range:
        if self.unit:
            return self._on_unit_box(poly)
        lo = hi = ranges.ZERO
        for monom, coeff in self.ring.items(poly):
            if not self.exact:
                coeff = ranges.Q(int(coeff.numerator), int(coeff.denominator))
            m0, m1 = self.monomial(monom)
            if coeff.numerator > 0:
                lo = None if lo is None or m0 is None else lo + coeff * m0
                hi = None if hi is None or m1 is None else hi + coeff * m1
            else:
                lo = None if lo is None or m1 is None else lo + coeff * m1
                hi = None if hi is None or m0 is None else hi + coeff * m0
            if lo is None and hi is None:
                break
        return (lo, hi)

    def _on_unit_box(self, poly: Any) -> ranges.Range:
        """:meth:`__call__` on ``[-1, 1]^n``, where a monomial with an odd exponent ranges
        over ``[-1, 1]`` and any other over ``[0, 1]`` (the constant is 1): a term adds
        ``±|c|``, or ``c`` to one end, so the ends are sums of coefficients by class, with no
        products. The verify of a small network of a long polynomial (4 neurons,
        792 terms) spent most of its time in the general loop."""
        odd: list[Any] = []
        low: list[Any] = []   # what the lower end adds: the even terms' negative coefficients
        high: list[Any] = []  # and the upper end the positive ones (the constant: both)
        ones = (1,) * len(self.box)  # each exponent's parity by a C-level map (half the time)
        for monom, coeff in self.ring.items(poly):
            if not self.exact:
                coeff = ranges.Q(int(coeff.numerator), int(coeff.denominator))
            if any(map(operator.and_, monom, ones)):
                odd.append(coeff)
            elif not any(monom):
                low.append(coeff)
                high.append(coeff)
            elif coeff.numerator > 0:
                high.append(coeff)
            else:
                low.append(coeff)
        spread = sum(map(abs, odd), ranges.ZERO)
        return (sum(low, ranges.ZERO) - spread, sum(high, ranges.ZERO) + spread)


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


def _sign_range(ring: PolynomialRing, poly: Any, enclosure: ranges.Range) -> ranges.Range:
    if ranges.nonnegative(enclosure) or ranges.nonpositive(enclosure):
        return enclosure
    sign = quadratic_sign(ring, poly)
    if sign > 0:
        return ranges.meet(enclosure, (ranges.ZERO, None))
    if sign < 0:
        return ranges.meet(enclosure, (None, ranges.ZERO))
    return enclosure


def univariate_range(ring: PolynomialRing, poly: Any, side: ranges.Range) -> ranges.Range:
    """The Chebyshev-coefficient enclosure of a polynomial of the one input on its side."""
    dense: dict[int, Any] = {}
    for (e,), c in ring.items(poly):
        dense[int(e)] = c if ranges.Q is not Fraction and ring.backend == "flint" else \
            ranges.Q(int(c.numerator), int(c.denominator))
    if max(dense, default=0) > MAX_DEGREE:
        return ranges.EVERYTHING
    coeffs = [dense.get(k, ranges.ZERO) for k in range(max(dense, default=-1) + 1)]
    return chebyshev_range(coeffs, *side)


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
    keys = {j: tuple(sorted(ring.terms(polys[j]))) for j, state in enumerate(states)
            if state == "unproved"}
    for j, key in keys.items():
        open_by_key.setdefault(key, []).append(j)
    pairs = []
    for j, key in keys.items():
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


@dataclass(frozen=True)
class _Row:
    """One neuron's weights, converted once: ring coefficients for the polynomials, fast
    rationals for the enclosures (the same objects with python-flint)."""

    poly: tuple[tuple[tuple[Any, int], ...], Any]   # ((coefficient, column), ...), bias
    exact: tuple[tuple[tuple[int, Any], ...], Any]  # ((column, weight), ...), bias


def _rows(ring: PolynomialRing, matrix: Matrix, bias: Sequence[Fraction]) -> list[_Row]:
    same = ring.backend == "flint" and ranges.Q is not Fraction
    out = []
    for row, fast_row, b in zip(matrix.rows, matrix.fast_rows, bias):
        exact = (fast_row, ranges.q(b))
        poly = ((tuple((w, j) for j, w in fast_row), exact[1]) if same else
                (tuple((ring.number(v), j) for j, v in row), ring.number(b)))
        out.append(_Row(poly, exact))
    return out


def _affine(ring: PolynomialRing, row: _Row, h: list[Any]) -> Any:
    terms, bias = row.poly
    return ring.combine([(w, h[j]) for w, j in terms], bias)


def affine_polynomials(ring: PolynomialRing, matrix: Matrix, bias: Sequence[Fraction],
                       h: Sequence[Any]) -> list[Any]:
    """The polynomials of the affine forms ``matrix·h + bias`` (``h``: ring elements)."""
    return [_affine(ring, row, list(h)) for row in _rows(ring, matrix, bias)]


def _layer_step(ring: PolynomialRing, layer: Layer, h: list[Any], iv: list[ranges.Range] | None
                ) -> tuple[list[Any], list[ranges.Range] | None]:
    """The layer's pre-activation polynomials, and their layer-by-layer enclosures unless
    ``iv`` is None."""
    if not isinstance(layer, QuadraticLayer):
        rows = _rows(ring, layer.w, layer.b)
        return ([_affine(ring, row, h) for row in rows],
                None if iv is None else [ranges.affine(*row.exact, iv) for row in rows])
    r_rows, g_rows = _rows(ring, layer.w_r, layer.b_r), _rows(ring, layer.w_g, layer.b_g)
    b_rows = _rows(ring, layer.w_b, layer.c)
    squares = {i: h[i] * h[i] for i in {i for row in layer.w_b.rows for i, _ in row}}
    polys, enclosures = [], []
    for r, g, b in zip(r_rows, g_rows, b_rows):
        product = _affine(ring, r, h) * _affine(ring, g, h) if r.poly[0] or r.poly[1] else None
        square_part = _affine(ring, b, squares)
        polys.append(square_part if product is None else product + square_part)
        if iv is not None:
            enclosures.append(ranges.quadratic_range(*r.exact, *g.exact, *b.exact, iv))
    return polys, None if iv is None else enclosures


class _OneValue:
    """A layer's values as polynomials of one value ``y`` with a proved range (its side): the
    network's one input, or the value of a hidden layer of width one in a network of several
    inputs (``radial``'s ``t = ‖x − c‖²``, which construct's network of the profile reads).
    Each relu value gets the Chebyshev enclosure of its polynomial in ``y`` on the side: the
    enclosure construct's realize proved the shifts of a network of one input with, which
    intervals in ``x`` through the composite may not reproduce (``radial`` of
    ``chebyshevt(9, 2*r**2 - 1)`` on the disc failed its verification so)."""

    def __init__(self, ring: PolynomialRing, side: ranges.Range, h: list[Any] | None) -> None:
        # h None: the values are the network's own polynomials (y is the one input).
        self.ring, self.side, self.h = ring, side, h

    @staticmethod
    def of_value(backend: str, side: ranges.Range) -> _OneValue | None:
        lo, hi = side
        if lo is None or hi is None or not lo < hi:
            return None
        ring = PolynomialRing(("y",), backend)
        return _OneValue(ring, side, list(ring.gens))

    def step(self, layer: Layer) -> None:
        """The layer's pre-activations as polynomials in ``y``."""
        if self.h is not None:
            self.h = _layer_step(self.ring, layer, self.h, None)[0]

    def ranges(self, polys: list[Any]) -> list[ranges.Range]:
        """The enclosures of the layer's values (``polys``: the network's polynomials)."""
        return [univariate_range(self.ring, p, self.side)
                for p in (polys if self.h is None else self.h)]

    def zero(self, indices: Iterable[int]) -> None:
        """Relus proved off (or the negative half of a pair) hold zero."""
        if self.h is not None:
            for j in indices:
                self.h[j] = self.ring.constant(Fraction(0))


def _through_one_value(network: Network, k: int, y: Any, side: ranges.Range,
                       ring: PolynomialRing, relus: list[ReluRange],
                       layer_ranges: list[tuple[ranges.Range, ...] | None]
                       ) -> PolynomialTrace | None:
    """The trace of a network of several inputs whose layer ``k`` has width one, its value
    ``y`` (a polynomial in the inputs) proved within ``side``: the layers above, traced as a
    network of the one input ``y`` on ``side``, and their outputs composed with ``y``.

    Everything the layers above compute is a polynomial of ``y``, so this is the same
    polynomial, without the layers' polynomials in every input (``radial``'s Taylor profile of
    degree 31 after ``t = ‖x − c‖²`` in four inputs: 46 s so, 4 s now). Their relus are proved on
    ``side`` (intervals, terms and Chebyshev enclosures in ``y``: each value ranges over
    its polynomial's values on ``y``'s range, which ``side`` contains). None where a relu is
    not proved so, or ``side`` is not a bounded interval: the caller goes on in the inputs,
    whose term-by-term bounds may still prove it.
    """
    lo, hi = side
    if lo is None or hi is None or not lo < hi:
        return None
    rest = Network(("y",), network.layers[k + 1:],
                   ((ranges.fraction(lo), ranges.fraction(hi)),))
    trace = network_polynomials(rest, ring.backend)
    if trace.outputs is None:
        return None
    shifted = [ReluRange(r.layer + k + 1, r.neuron, r.bounds, r.relu) for r in trace.relu_ranges]
    outputs = tuple(_composed(ring, trace.ring, q, y) for q in trace.outputs)
    return PolynomialTrace(ring, outputs, (*relus, *shifted), trace.output_ranges,
                           (*layer_ranges, *trace.layer_ranges))


def _composed(ring: PolynomialRing, inner: PolynomialRing, q: Any, y: Any) -> Any:
    """``q(y)``: ``q`` a polynomial of ``inner``'s one variable, ``y`` one of ``ring``'s
    (Horner's rule: one product by ``y`` a degree, no product of two large polynomials)."""
    coefficients: dict[int, Fraction] = {e: c for (e,), c in inner.terms(q)}
    out = ring.constant(Fraction(0))
    for e in range(max(coefficients, default=0), -1, -1):
        out = out * y + ring.number(coefficients.get(e, Fraction(0)))
    return out


def _one_form(network: Network) -> list[Fraction] | None:
    """``a`` if every affine form the first layer reads is a multiple of ``a·x`` (and it
    squares no input through ``w_b``): the network is then a network of ``y = a·x``."""
    first = network.layers[0]
    if isinstance(first, QuadraticLayer):
        if first.w_b.nonzero:
            return None
        rows = [*first.w_r.rows, *first.w_g.rows]
    else:
        rows = list(first.w.rows)
    a: list[Fraction] | None = None
    for row in rows:
        if not row:
            continue
        dense = [Fraction(0)] * network.n_inputs
        for j, v in row:
            dense[j] = Fraction(v)
        if a is None:
            a = [v / row[0][1] for v in dense]  # the first nonzero entry 1
        elif any(dense[j] * a[row[0][0]] != a[j] * row[0][1] for j in range(len(a))):
            return None
    return a


def _through_one_form(network: Network, ring: PolynomialRing, box: list[ranges.Range]
                      ) -> PolynomialTrace | None:
    """The trace of a network of several inputs whose first layer reads one affine form
    ``y = a·x`` only (``construct``'s ``g(B)`` of an affine ``B``): traced as a network of
    ``y`` on its exact range over the box, the outputs composed with ``a·x``; None where the
    first layer reads more, or a relu is not proved so (the caller goes on in the inputs)."""
    a = _one_form(network)
    if a is None or any(lo is None or hi is None for lo, hi in box):
        return None
    lo, hi = map(ranges.fraction, ranges.affine(
        [(j, ranges.q(v)) for j, v in enumerate(a) if v], ranges.ZERO, box))
    if not lo < hi:
        return None
    first = network.layers[0]

    def column(matrix: Matrix) -> Matrix:  # row i = λ_i·a  ->  the column of the λ_i
        return Matrix.from_dense([[Fraction(row[0][1]) / a[row[0][0]] if row else 0]
                                  for row in matrix.rows], 1)

    layer: Layer
    if isinstance(first, QuadraticLayer):
        layer = QuadraticLayer(column(first.w_r), first.b_r, column(first.w_g), first.b_g,
                               Matrix.zeros(first.out_features, 1), first.c, first.activation)
    else:
        layer = type(first)(column(first.w), first.b, first.activation)
    rest = Network(("y",), (layer, *network.layers[1:]), ((lo, hi),))
    trace = network_polynomials(rest, ring.backend)
    if trace.outputs is None:
        return None
    y = ring.linear([(v, g) for v, g in zip(a, ring.gens) if v], Fraction(0))
    outputs = tuple(_composed(ring, trace.ring, q, y) for q in trace.outputs)
    return PolynomialTrace(ring, outputs, trace.relu_ranges, trace.output_ranges,
                           trace.layer_ranges)


def network_polynomials(network: Network, backend: str = "auto", *,
                        keep_hidden: bool = False) -> PolynomialTrace:
    """The network's outputs as exact polynomials on its domain, with the relu proofs.

    >>> from quadtheory import Network, quadratic_layer
    >>> sq = Network(("x",), (quadratic_layer([[1]], w_g=[[1]], activation="relu"),),
    ...              domain=[[-1, 1]])
    >>> trace = network_polynomials(sq, "sympy")
    >>> trace.outputs, trace.relu_ranges[0].relu, str(trace.relu_ranges[0].range)
    ((x**2,), 'identity', '[0, 1]')

    ``keep_hidden``: also keep every layer's polynomials (``trace.hidden``).
    """
    keep_hidden = limits.flag(keep_hidden, "keep_hidden")
    network = as_network(network, "network")
    ring = PolynomialRing(network.inputs, backend)
    box = [(ranges.q(lo), ranges.q(hi)) for lo, hi in network.domain] if network.domain \
        else [ranges.EVERYTHING] * network.n_inputs
    if network.n_inputs > 1 and network.domain and not keep_hidden:
        through = _through_one_form(network, ring, box)
        if through is not None:
            return through
    termwise = _Termwise(ring, box)
    h, iv = list(ring.gens), list(box)
    relus: list[ReluRange] = []
    layer_ranges: list[tuple[ranges.Range, ...] | None] = []
    hidden: list[tuple[Any, ...]] = []
    # Enclosures are needed for the relu sign proofs; after the last relu layer, only the
    # outputs' enclosure is kept (from the polynomials themselves), which is most of the
    # saving for deep identity tails.
    last_relu = max((k for k, layer in enumerate(network.layers) if layer.activation == "relu"),
                    default=-1)
    zero_poly, zero = ring.constant(Fraction(0)), (ranges.ZERO, ranges.ZERO)
    one = _OneValue(ring, box[0], None) if network.n_inputs == 1 and network.domain else None
    for k, layer in enumerate(network.layers):
        polys, enclosures = _layer_step(ring, layer, h, iv if k <= last_relu else None)
        if one is not None and k <= last_relu:
            one.step(layer)
        if enclosures is None:
            enclosures = [termwise(p) for p in polys] if k == network.depth - 1 else None
        elif network.domain is not None:
            enclosures = [ranges.meet(a, termwise(p)) for a, p in zip(enclosures, polys)]
        if layer.activation == "relu":
            enclosures = [_sign_range(ring, p, a) for a, p in zip(enclosures, polys)]
            if one is not None:
                # Every value's Chebyshev enclosure, signed or not: the next layers' interval
                # enclosures start from these, as construct's (realize) do; a looser start
                # leaves a shift construct chose unprovable deeper in (T_191).
                enclosures = [ranges.meet(a, b) for a, b in zip(enclosures, one.ranges(polys))]
            states = ["identity" if ranges.nonnegative(r) else
                      "zero" if ranges.nonpositive(r) else "unproved" for r in enclosures]
            following = network.layers[k + 1] if k + 1 < network.depth else None
            pairs = _split_pairs(ring, polys, states, following) if "unproved" in states else []
            for p, q in pairs:
                # relu(z) and relu(-z), read downstream only as their difference z (and their
                # squares' sum z², since relu(z)·relu(-z) = 0): carry (z, 0) exactly.
                states[p] = states[q] = "paired"
                polys[q], enclosures[q] = zero_poly, zero
            relus.extend(ReluRange(k, j, rng, state)
                         for j, (rng, state) in enumerate(zip(enclosures, states)))
            if "unproved" in states:
                return PolynomialTrace(ring, None, tuple(relus), (), tuple(layer_ranges))
            for j, state in enumerate(states):
                if state == "zero":
                    polys[j], enclosures[j] = zero_poly, zero
                elif state != "paired":
                    enclosures[j] = ranges.relu(enclosures[j])
            if one is not None:
                one.zero([j for j, state in enumerate(states) if state == "zero"] +
                         [q for _, q in pairs])
        layer_ranges.append(None if enclosures is None else tuple(enclosures))
        if one is None and network.n_inputs > 1 and len(polys) == 1 and enclosures is not None \
                and k < network.depth - 1:
            if not keep_hidden:  # the layers' polynomials in the inputs are not wanted
                through = _through_one_value(network, k, polys[0], enclosures[0], ring, relus,
                                             layer_ranges)
                if through is not None:
                    return through
            if k < last_relu:
                one = _OneValue.of_value(ring.backend, enclosures[0])
        if keep_hidden:
            hidden.append(tuple(polys))
        h, iv = polys, enclosures
    outputs = tuple(ranges.to_interval(r) for r in iv)
    return PolynomialTrace(ring, tuple(h), tuple(relus), outputs, tuple(layer_ranges),
                           tuple(hidden))
