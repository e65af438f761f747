"""Split plans: a polynomial of one variable as squares and products of the layer below.

A quadratic neuron computes a product of two affine forms of the values of the layer below
plus squares of single values (Fan, Dong, Wu et al., "One Neuron Saved Is One Neuron
Earned", 2023), so a layer holding ``V`` feeds the next with much of
``span{1, v, v·v' : v, v' in V}``. A target ``t`` of degree ``D`` at layer ``ℓ`` (values below
of degree at most ``h = 2^(ℓ−1)``) is

- a *square*: ``t = λ·u² + r`` with ``u`` the top half of ``√t`` (``deg u = D/2``, rational:
  the leading coefficients of ``t`` fix it), ``deg r < D/2``;
- a *product*: ``t = k·u·w + r`` with ``w, r = divmod(t, u)``, ``u`` a value already held
  below, ``x``, a top half of ``√(x^j·t)``, ``t``'s top part over ``x^j``, or a factor of
  ``t − s`` (``s = 0, t(0), t(±1)``);
- *linear*: ``t`` itself, when ``D <= h``.

The layer below holds the span of the factors and remainders, one neuron per dimension: a
factor is an affine form of its values (free), unless the neuron must read it singly (a
square whose remainder is not along it goes through ``w_b``; a product whose remainder is
not in the factors' span reads the remainder as a third value, ``realize._three_columns``,
with both factors lifted: see :class:`.monomials.Plan`). A beam search over the splits, one
layer at a time from the output down, keeps the fewest neurons; spans are compared modulo a
prime during the search (exact rational elimination dominated it), and the plan chosen is
built in exact rationals. Planning takes polynomial time: targets x splits x beam per layer,
each a division or an elimination of the layer's degree.

Every polynomial of degree 6 or 8 (a square) and 5 (``x·q + t(0)``) takes 5 neurons, the
least any network takes unless it is a composition (:mod:`.fewest`): ``x⁶ + x = (x³)² + x``
in layers ``{x, x²}``, ``{x³, x}``, output.

>>> plan = split_plans({(6,): Fraction(1), (1,): Fraction(1)})[0][1]
>>> plan.depth, sum(1 for node in plan.nodes if node.layer and node.op != "affine")
(3, 5)
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from flint import fmpq, fmpq_poly, nmod_poly

from ..core.numbers import slow
from .fewest import right_candidate
from .monomials import Monomial, Node, Plan, level

SPLIT_PLAN = "split: squares and products layer by layer"  # how construct names them
BEAM = 2  # states kept while splitting one layer's targets
CHAINS = 1  # partial networks (layers from the output down) kept between layers
RETRIES = 8  # beams of dropped chains tried where the chains kept all die (_chains)
# Past this degree construct's other plans serve: the rationals of the remainders grow with
# the degree (a random integer polynomial of degree 64 plans in 0.2-0.6 s, 128 in 9 s).
MAX_SPLIT_DEGREE = 64
# Top roots and divisions can grow the rationals with the degree (their denominators gather
# powers of leading coefficients): a split whose factors or remainder need more bits per
# coefficient than MAX_BITS is not kept, and a target with coefficients of more than
# TARGET_BITS gets no split plans (degree 64 with 61-bit coefficients ran 130 s and built
# weights whose exact evaluation grew to 200,000 digits; with 370-bit ones the splits alone
# took 19 s before they were dropped).
MAX_BITS = 256
TARGET_BITS = 64
_FACTOR_GROUPS = 256  # groupings of a factorization's factors tried at most
_X = fmpq_poly([0, 1])
_CACHE: dict[tuple[str, int], tuple[_Split, ...]] = {}
_CACHE_SIZE = 4096


def normalized(p: fmpq_poly) -> fmpq_poly:
    """``p`` up to an affine map (what a layer's neuron holds it as): monic, ``p(0) = 0``
    (zero for a constant).

    >>> normalized(fmpq_poly([3, 2, 4]))                      # (4x² + 2x + 3 − 3)/4
    x^2 + 1/2*x
    """
    if p.degree() < 1:
        return fmpq_poly(0)
    return (p - p[0]) / p[p.degree()]


def _half_root(p: fmpq_poly) -> fmpq_poly:
    """The top half of ``√p``, normalized (``p`` of even degree):
    :func:`.fewest.right_candidate` with ``r = 2``."""
    return fmpq_poly(right_candidate(p.coeffs(), p.degree() // 2))


class _Span:
    """A space of polynomials modulo constants, in echelon form by leading degree, each
    echelon row with its coordinates over the values it was built from."""

    def __init__(self, values: Sequence[fmpq_poly] = ()) -> None:
        self.rows: dict[int, tuple[fmpq_poly, dict[int, fmpq]]] = {}
        for i, v in enumerate(values):
            self.add(v, i)

    def copy(self) -> _Span:
        new = _Span()
        new.rows = dict(self.rows)
        return new

    def reduce(self, p: fmpq_poly) -> tuple[fmpq_poly, dict[int, fmpq]]:
        """``p`` (its constant dropped) minus its component in the span, and that
        component's coordinates."""
        p, coords = p - p[0], {}
        while p.degree() in self.rows:
            row, row_coords = self.rows[p.degree()]
            c = p[p.degree()]
            p -= row * c
            for i, v in row_coords.items():
                coords[i] = coords.get(i, 0) + c * v
        return p, coords

    def add(self, p: fmpq_poly, index: int) -> bool:
        """Add value ``index`` (polynomial ``p``); False if the span held it already."""
        rest, coords = self.reduce(p)
        if rest.degree() < 1:
            return False
        lead = rest[rest.degree()]
        row_coords = {i: -v / lead for i, v in coords.items()}
        row_coords[index] = row_coords.get(index, 0) + 1 / lead
        self.rows[rest.degree()] = (rest / lead, row_coords)
        return True

    def coordinates(self, p: fmpq_poly) -> dict[int, fmpq] | None:
        rest, coords = self.reduce(p)
        return None if rest.degree() >= 1 else {i: v for i, v in coords.items() if v}


# The search compares spans modulo this prime (exact elimination in rationals dominated it:
# the remainders' rationals grow with the degree); the plan chosen is built, and proved,
# in exact rationals, and a coincidence modulo P (probability about 1/P) only loses a plan.
P = (1 << 61) - 1


def _bits(p: fmpq_poly) -> int:
    numerators = (int(c).bit_length() for c in p.numer().coeffs())
    return max(int(p.denom()).bit_length(), max(numerators, default=0))


def _modular(p: fmpq_poly) -> nmod_poly:
    inverse = pow(int(p.denom()) % P, -1, P)
    return nmod_poly([int(c) * inverse % P for c in p.numer().coeffs()], P)


class _ModSpan:
    """A space of polynomials modulo constants (and modulo :data:`P`), by leading degree."""

    def __init__(self, values: Sequence[nmod_poly] = ()) -> None:
        self.rows: dict[int, nmod_poly] = {}
        for v in values:
            self.add(v)

    def copy(self) -> _ModSpan:
        new = _ModSpan()
        new.rows = dict(self.rows)
        return new

    def reduce(self, p: nmod_poly) -> nmod_poly:
        p = p - p[0]
        while p.degree() in self.rows:
            p -= self.rows[p.degree()] * p[p.degree()]
        return p

    def add(self, p: nmod_poly) -> bool:
        rest = self.reduce(p)
        if rest.degree() < 1:
            return False
        self.rows[rest.degree()] = rest * rest[rest.degree()] ** -1
        return True

    def holds(self, p: nmod_poly) -> bool:
        return self.reduce(p).degree() < 1


@dataclass(frozen=True)
class _Split:
    """How a target is computed: ``scale·u·w + remainder`` (``w == u``: a square), or the
    remainder alone (``u is None``); ``u`` and ``w`` normalized values of the layer below."""

    u: fmpq_poly | None
    w: fmpq_poly | None
    scale: fmpq
    remainder: fmpq_poly
    images: tuple[nmod_poly, ...] = ()  # u, w, remainder modulo P (what the search compares)
    bits: int = 0  # the most bits of a coefficient of u, w or the remainder

    @staticmethod
    def of(u: fmpq_poly | None, w: fmpq_poly | None, scale: fmpq, remainder: fmpq_poly
           ) -> _Split:
        parts = (remainder,) if u is None else (u, w, remainder)
        return _Split(u, w, scale, remainder, tuple(map(_modular, parts)),
                      max(map(_bits, parts)))


def _split(t: fmpq_poly, u: fmpq_poly) -> _Split:
    q = t // u
    w, k = normalized(q), q[q.degree()]
    return _Split.of(u, w, k, t - u * w * k)


def _fits(t: fmpq_poly, u: fmpq_poly, half: int) -> bool:
    return 1 <= u.degree() <= half and 1 <= t.degree() - u.degree() <= half


def _own_splits(t: fmpq_poly, half: int) -> tuple[_Split, ...]:
    """The ways to compute target ``t`` from values of degree <= ``half`` that do not
    depend on what else the layer below holds (cached: beam states share targets)."""
    key = (str(t), half)
    if key in _CACHE:
        return _CACHE[key]
    d, out = t.degree(), []
    if d <= half:
        out.append(_Split.of(None, None, fmpq(0), t))
    if d >= 2 and d % 2 == 0 and d // 2 <= half:
        u = _half_root(t)
        out.append(_Split.of(u, u, t[d], t - u * u * t[d]))
    divisors = [_X]
    for k in (1, 2, 3):
        if (d + k) % 2 == 0:
            divisors.append(_half_root(t * _X ** k))
    for j in sorted({d - half, half, d // 2}):
        if 1 <= j < d:
            divisors += [_X ** j, normalized(t // _X ** j)]
    unique: list[fmpq_poly] = []
    for u in divisors:
        if u not in unique and _fits(t, u, half):
            unique.append(u)
    out += [_split(t, u) for u in unique]
    if d > half:
        out += [split for split in _factored(t, half) if split.u not in unique]
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[key] = tuple(out)
    return _CACHE[key]


def _splits(t: fmpq_poly, half: int, held: Sequence[fmpq_poly]) -> list[_Split]:
    """The ways to compute target ``t`` from values of degree <= ``half``, given the values
    ``held`` below already (a product by one shares it), none with coefficients of more than
    :data:`MAX_BITS` bits."""
    own = _own_splits(t, half)
    mine = [s.u for s in own]
    found = [*own, *(_split(t, u) for u in held if u not in mine and _fits(t, u, half))]
    return [s for s in found if s.bits <= MAX_BITS]


def _factored(t: fmpq_poly, half: int) -> list[_Split]:
    """Products ``t − s = c·A·B`` exactly, for ``s`` in ``0, t(0), t(1), t(−1)``, ``A`` and
    ``B`` of degree <= ``half`` (their remainder is ``s`` and the normalizing constants)."""
    out: list[_Split] = []
    shifts: list[fmpq] = []
    for s in (fmpq(0), t[0], t(1), t(-1)):
        if s not in shifts:
            shifts.append(s)
    for s in shifts:
        # flint's factorization: sympy's took 57% of planning (ten random targets of degree
        # 20-40). Its factors (primitive, integer) in sympy's order: by degree, then by
        # coefficients from the top, so the plans are the ones sympy's factors gave.
        factors = sorted((t - s).factor()[1],
                         key=lambda fe: (fe[0].degree(), fe[0].coeffs()[::-1]))
        parts = [f for f, e in factors for _ in range(e)]
        degrees = [f.degree() for f in parts]
        for pick in itertools.islice(itertools.product((0, 1), repeat=len(parts) - 1),
                                     _FACTOR_GROUPS):
            side = (0, *pick)  # the first factor on side 0: each grouping once
            if not 1 <= sum(g for g, k in zip(degrees, side) if k == 0) <= half:
                continue
            u = normalized(functools.reduce(
                operator.mul, (f for f, k in zip(parts, side) if k == 0), fmpq_poly([1])))
            if _fits(t, u, half) and all(u != split.u for split in out):
                out.append(_split(t, u))
    return out


@dataclass(frozen=True)
class _Layer:
    """A layer's targets split: the values the layer below holds (``below``: first those a
    neuron must read singly, then a basis of the rest) and each target's split, in the
    targets' order."""

    below: tuple[fmpq_poly, ...]
    splits: tuple[_Split, ...]


class _State:
    """Targets split so far: the span the layer below holds (factors, which the reading
    neurons' affine forms compute for free, and remainders) and the values in it a neuron
    must read singly; the count is the neurons below. Spans are compared modulo :data:`P`."""

    def __init__(self) -> None:
        self.singles: list[fmpq_poly] = []
        self.single_span = _ModSpan()
        self.values: list[fmpq_poly] = []
        self.span = _ModSpan()
        self.splits: list[_Split] = []

    def cost(self) -> tuple[int, int]:
        count = len(self.span.rows) + len(self.singles) - len(self.single_span.rows)
        degrees = sum(p.degree() for p in self.singles) + sum(p.degree() for p in self.values)
        return count, degrees

    def _single(self, p: fmpq_poly, image: nmod_poly) -> None:
        if p not in self.singles:
            self.singles.append(p)
            self.single_span.add(image)
            self._value(p, image)

    def _value(self, p: fmpq_poly, image: nmod_poly) -> None:
        if self.span.add(image):
            self.values.append(p)

    def with_split(self, split: _Split) -> _State:
        new = _State()
        new.singles, new.values = list(self.singles), list(self.values)
        new.splits = [*self.splits, split]
        new.single_span, new.span = self.single_span.copy(), self.span.copy()
        rest, rest_image = split.remainder, split.images[-1]
        if split.u is None:
            new._value(rest, rest_image)
            return new
        (u, w), (u_image, w_image) = (split.u, split.w), split.images[:2]
        if u == w:
            # A square of an affine form takes the product slot, which then carries linear
            # terms along it only; a square of a value read singly goes through w_b.
            new._value(u, u_image)
            if not _ModSpan([u_image]).holds(rest_image):
                new._single(u, u_image)
                new._value(rest, rest_image)
        elif _ModSpan([u_image, w_image]).holds(rest_image):
            new._value(u, u_image)
            new._value(w, w_image)
        else:
            # The product's linear terms on a third value: three values read singly (and
            # u, w lifted: see Plan).
            for f in (u, w, normalized(rest)):
                new._single(f, _modular(f))
        return new

    def layer(self, order: Sequence[int]) -> _Layer:
        below = list(self.singles)
        span = _Span(below)
        for r in sorted(self.values, key=fmpq_poly.degree):
            rest, _ = span.reduce(r)
            if rest.degree() >= 1:
                below.append(normalized(rest))
                span.add(below[-1], len(below) - 1)
        splits: list[_Split] = [None] * len(order)  # type: ignore[list-item]
        for position, split in zip(order, self.splits):
            splits[position] = split
        return _Layer(tuple(below), tuple(splits))


def _split_layer(targets: Sequence[fmpq_poly], half: int) -> list[_Layer]:
    """The :data:`BEAM` best ways to split ``targets`` (a layer's values) over the layer
    below, fewest values first."""
    order = sorted(range(len(targets)), key=lambda i: -targets[i].degree())
    states = [_State()]
    for i in order:
        grown = [s.with_split(split) for s in states
                 for split in _splits(targets[i], half, s.values)]
        grown.sort(key=_State.cost)
        states = []
        for s in grown:
            if not any(s.singles == o.singles and s.values == o.values for o in states):
                states.append(s)
            if len(states) == BEAM:
                break
    return [s.layer(order) for s in states]


class _Below:
    """The layer below a layer being built: its values, their node ids, and an affine node
    (no neuron: the reading neuron's affine forms compute it) for each factor it does not
    hold as a value."""

    def __init__(self, layer: int, values: Sequence[fmpq_poly], ids: Sequence[int],
                 nodes: list[Node]) -> None:
        self.layer, self.ids, self.nodes = layer, list(ids), nodes
        self.span, self.held, self.held_ids = _Span(values), list(values), list(ids)

    def linear(self, p: fmpq_poly, via: Sequence[fmpq_poly] = ()
               ) -> tuple[tuple[int, Fraction], ...]:
        """``p`` (its constant dropped) as a combination of the values below, or of the
        values ``via`` when given: a product's linear terms must read its own factors (or
        one third value), where values below that are dependent would allow another."""
        if via:
            coords = _Span(via).coordinates(p)
            if coords is None:
                raise _Coincidence
            return tuple((self.column(via[i]), slow(c)) for i, c in sorted(coords.items()))
        coords = self.span.coordinates(p)
        if coords is None:  # held modulo P only: that plan is lost (_ModSpan)
            raise _Coincidence
        return tuple((self.ids[i], slow(c)) for i, c in sorted(coords.items()))

    def column(self, p: fmpq_poly) -> int:
        if p not in self.held:
            self.nodes.append(Node(self.layer, "affine", linear=self.linear(p)))
            self.held.append(p)
            self.held_ids.append(len(self.nodes) - 1)
        return self.held_ids[self.held.index(p)]


class _Coincidence(Exception):
    """A value was in a span modulo :data:`P` but not in rationals."""


def _build(chain: Sequence[_Layer]) -> Plan:
    """The plan whose output computes its target by ``chain[0]``'s splits, the layer below
    its values (``chain[0].below``) by ``chain[1]``'s, and so on; the first layer holds
    ``chain[-1].below``, quadratics of the input."""
    nodes, lifted = [Node(0, "input", (0,))], set()
    for p in chain[-1].below:
        nodes.append(Node(1, "sum", linear=((0, slow(p[1])),) if p[1] else (),
                          squares=((0, slow(p[2])),) if p[2] else ()))
    ids = list(range(1, len(nodes)))
    for layer, chosen in enumerate(reversed(chain), start=2):
        below = _Below(layer - 1, chosen.below, ids, nodes)
        rows = []
        for split in chosen.splits:
            rest, const = split.remainder, slow(split.remainder[0])
            if split.u is None:
                rows.append(Node(layer, "sum", linear=below.linear(rest), const=const))
            elif split.u == split.w:
                own = _Span([split.u]).coordinates(rest) is not None
                rows.append(Node(layer, "sum", linear=below.linear(rest, [split.u] * own),
                                 const=const,
                                 squares=((below.column(split.u), slow(split.scale)),)))
            else:
                u, w = below.column(split.u), below.column(split.w)
                if _Span([split.u, split.w]).coordinates(rest) is None:
                    via, lifted = [normalized(rest)], lifted | {u, w}
                else:
                    via = [split.u, split.w]
                rows.append(Node(layer, "sum", linear=below.linear(rest, via), const=const,
                                 cross=(u, w, slow(split.scale))))
        ids = []
        for row in rows:
            nodes.append(row)
            ids.append(len(nodes) - 1)
    return Plan(1, len(chain) + 1, tuple(nodes), tight=True, lifted=frozenset(lifted))


def _chains(target: fmpq_poly, keep: int) -> list[tuple[int, list[_Layer]]]:
    """The partial networks that split ``target`` down to the first layer, fewest neurons
    first: a beam of ``max(CHAINS, keep)`` chains, layer by layer from the output down.
    Where every chain kept dies (the values of its layer below have no split within
    :data:`MAX_BITS`), the chains the beam dropped a layer above are tried, :data:`RETRIES`
    times at most (``2x^20 + x^19/2 + x^18 + x^3``: its top roots' chains died at layer 2, a
    chain through ``x^4·(x^16 + …)`` lives)."""
    width = max(CHAINS, keep)
    layers = list(range(level(target.degree()), 1, -1))
    frontier: list[tuple[int, list[_Layer]]] = [(1, [])]
    dropped: list[list[tuple[int, list[_Layer]]]] = []  # per layer split: chains not kept
    retries = RETRIES
    while len(dropped) < len(layers):
        layer = layers[len(dropped)]
        grown = []
        for neurons, chain in frontier:
            targets = chain[-1].below if chain else (target,)
            grown += [(neurons + len(found.below), [*chain, found])
                      for found in _split_layer(targets, 1 << (layer - 1))]
        grown.sort(key=lambda item: item[0])
        if grown:
            frontier = grown[:width]
            dropped.append(grown[width:])
            continue
        while dropped and not dropped[-1]:
            dropped.pop()
        if not dropped or retries == 0:
            return []
        retries -= 1
        frontier, dropped[-1] = dropped[-1][:width], dropped[-1][width:]
    return frontier


def split_plans(terms: Mapping[Monomial, Fraction], keep: int = 2) -> list[tuple[str, Plan]]:
    """Up to ``keep`` split plans of fewest neurons (distinct widths) of a polynomial in one
    variable of degree 3 to :data:`MAX_SPLIT_DEGREE` with coefficients of at most
    :data:`TARGET_BITS` bits (none otherwise), each with its widths in words.

    >>> [words for words, _ in split_plans({(8,): Fraction(1), (3,): Fraction(2)})]
    ['widths 2, 2, 1']
    """
    degree = max((m[0] for m in terms), default=0)
    if not 3 <= degree <= MAX_SPLIT_DEGREE:
        return []
    coeffs = [Fraction(0)] * (degree + 1)
    for (e,), c in terms.items():
        coeffs[e] = c
    target = fmpq_poly([fmpq(c.numerator, c.denominator) for c in coeffs])
    if _bits(target) > TARGET_BITS:
        return []
    out, seen = [], []
    for _, chain in _chains(target, keep):
        widths = (*(len(layer.below) for layer in reversed(chain)), 1)
        if widths not in seen and len(out) < keep:
            try:
                plan = _build(chain)
            except _Coincidence:
                continue
            seen.append(widths)
            out.append(("widths " + ", ".join(map(str, widths)), plan))
    return out
