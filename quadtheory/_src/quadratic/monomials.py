"""Monomial plans: which products a polynomial network computes, at which layer, shared how.

A plan is the skeleton of an exact network before any weight is chosen: a layered graph of
*inputs*, *products* of two values of the layer below (a square when both are one value),
*carries* (a value passed up one layer) and *sums* (a linear combination of the layer below,
plus squares of its values, plus at most one product). A product of two affine forms is one
quadratic neuron (Fan, Dong, Wu et al., "One Neuron Saved Is One Neuron Earned", 2023), so a
monomial of degree ``d`` is reached after ``⌈log2 d⌉`` layers, and that many are necessary:
``L`` quadratic layers compute polynomials of degree at most ``2**L``.

Two planners:

- :func:`lean_plans`: every monomial and sub-product is computed once, at layer
  ``⌈log2 degree⌉``, and shared by all that contain it; carries are shared too; terms needed
  only by the output flow up in one accumulator per layer (which also absorbs squares through
  ``w_b``); the output neuron absorbs the last layer's squares and, when it fits, the last
  product. Splits ``m = a·b`` are chosen greedily, fewest new nonzero weights first (a
  product reads two, a square one, a shifted factor adds a bias), then fewest neurons; the
  baseline's balanced trees, shared, are planned too.
- :func:`naive_plan`: the baseline, each monomial by its own balanced product tree (no
  sharing between monomials), carried to the last layer and summed by a linear read-out.

Planning takes polynomial time: the splits tried per monomial are bounded (never an
enumeration of subsets), and a single product of many variables gets its balanced tree. The
caller counts every plan (:mod:`.realize`) and keeps the smallest network.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

Monomial = tuple[int, ...]
Terms = Mapping[Monomial, Fraction]
ShiftCost = Callable[[Monomial], int]
Cost = tuple[int, int]
# Splits tried per monomial: all of them for the monomials of degree <= 8 in 4 variables,
# a bounded number beyond. Trying a split costs about (variables x degree) steps, so the
# number tried shrinks as that grows: at most SPLIT_WORK steps per monomial, and a product of
# many variables gets its balanced tree alone (a split can only share with what exists, and
# in one monomial of distinct variables nothing does).
MAX_CANDIDATES = 64
SPLIT_WORK = 2**14


def level(degree: int) -> int:
    """The layer where a monomial of ``degree`` is computed: ``⌈log2 degree⌉`` (inputs: 0).

    >>> [level(d) for d in range(1, 10)]
    [0, 1, 2, 2, 3, 3, 3, 3, 4]
    """
    return (degree - 1).bit_length() if degree > 1 else 0


def _degree(m: Monomial) -> int:
    return sum(m)


def _quotient(m: Monomial, a: Monomial) -> Monomial:
    return tuple(map(operator.sub, m, a))


@functools.lru_cache(maxsize=2**16)
def canonical_split(m: Monomial) -> tuple[Monomial, Monomial]:
    """The balanced product tree's split: the first ``2**(⌈log2 d⌉-1)`` factors, the rest.

    >>> canonical_split((6,)), canonical_split((1, 1, 1, 1, 1))
    (((4,), (2,)), ((1, 1, 1, 1, 0), (0, 0, 0, 0, 1)))
    """
    take = 1 << (level(_degree(m)) - 1)
    # The variables whose exponents end before the cut go whole, the one at the cut in part.
    cut = next(k for k, total in enumerate(itertools.accumulate(m)) if total >= take)
    first = (*m[:cut], take - sum(m[:cut]), *(0,) * (len(m) - cut - 1))
    return first, _quotient(m, first)


@dataclass(frozen=True)
class Node:
    """One neuron of a plan (or, at layer 0, an input or an affine form of the inputs).
    ``args`` name nodes of the layer below: ``product (a, b)`` (``a == b``: a square),
    ``carry (a,)``, ``input (variable,)``; a ``sum`` reads ``linear`` and ``squares`` (node,
    coefficient) pairs, one ``cross`` product ``(u, v, coefficient)`` and a constant; an
    ``affine`` form (no neuron: the next layer's affine forms compute it) is ``linear`` over
    the inputs plus ``const``."""

    layer: int
    op: str
    args: tuple[int, ...] = ()
    linear: tuple[tuple[int, Fraction], ...] = ()
    squares: tuple[tuple[int, Fraction], ...] = ()
    cross: tuple[int, int, Fraction] | None = None
    const: Fraction = Fraction(0)


@dataclass(frozen=True)
class Plan:
    """A layered graph: inputs are nodes ``0..n-1``; the last node is the output (a sum).
    ``tight``: squares of shifted values are written as products, and enclosed through the
    layers (compositions; see :mod:`.realize`). ``lifted``: node ids a relu holds shifted
    even where their value is >= 0, factors ``u, w`` of a product that also reads a third
    value ``z``: one neuron computes ``k·u·w + a·u + b·w + c·z`` with ``a``, ``b``, ``c``
    all nonzero (realize's ``_three_columns``), or ``a = b = 0``, never with one of ``a``,
    ``b`` zero, and the shifts of ``u`` and ``w`` give the terms ``a`` and ``b``."""

    n_inputs: int
    depth: int
    nodes: tuple[Node, ...]
    tight: bool = False
    lifted: frozenset[int] = frozenset()


@dataclass
class _Graph:
    n: int
    nodes: list[Node] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.nodes = [Node(0, "input", (i,)) for i in range(self.n)]

    def add(self, node: Node) -> int:
        self.nodes.append(node)
        return len(self.nodes) - 1

    def plan(self, depth: int) -> Plan:
        return Plan(self.n, depth, tuple(self.nodes))


@functools.lru_cache(maxsize=64)
def units(n: int) -> tuple[Monomial, ...]:
    """The exponents of the ``n`` inputs (built once per ``n``)."""
    zeros = (0,) * n
    return tuple((*zeros[:i], 1, *zeros[i + 1:]) for i in range(n))


# -- lean ------------------------------------------------------------------------------------
class _Skeleton:
    """Which split each monomial gets and up to which layer each value is carried."""

    def __init__(self, n: int, shift_cost: ShiftCost, high: int, greedy: bool,
                 divisors: dict[Monomial, list[Monomial]]) -> None:
        self.n, self.high, self.greedy, self.divisors = n, high, greedy, divisors
        self.shift_cost = shift_cost
        self.split: dict[Monomial, tuple[Monomial, Monomial]] = {}
        self.top: dict[Monomial, int] = {}

    def exists(self, m: Monomial) -> bool:
        return _degree(m) == 1 or m in self.split

    def available(self, m: Monomial) -> int:
        return self.top.get(m, level(_degree(m)))

    def lift(self, m: Monomial, layer: int) -> None:
        self.top[m] = max(self.available(m), layer)

    def shifted(self, f: Monomial, layer: int) -> int:
        """The relu shift cost of value ``f`` held at ``layer`` (inputs are never shifted)."""
        return self.shift_cost(f) if layer >= 1 else 0

    def neuron(self, layer: int, a: Monomial, b: Monomial) -> Cost:
        """(neurons, nonzero weights) of computing ``a·b`` at ``layer``: a product reads two
        weights, a square one (``w_b``), plus a bias per shifted factor; a square of the top
        level goes into a sum (no neuron)."""
        sa, sb = self.shifted(a, layer - 1), self.shifted(b, layer - 1)
        if a != b:
            return 1, 2 + sa + sb
        if layer == self.high:
            return 0, 1 + sa
        return 1, 1 + 3 * sa

    def carries(self, f: Monomial, start: int, end: int) -> Cost:
        """(neurons, weights) of carrying ``f`` from layer ``start`` up to ``end``."""
        if end <= start:
            return 0, 0
        return end - start, 2 * (end - start) + (self.shifted(f, 1) if start == 0 else 0)

    def estimate(self, m: Monomial) -> Cost:
        """(neurons, weights) the canonical tree of ``m`` would add now."""
        tops: dict[Monomial, int] = {}

        def make(y: Monomial, layer: int) -> Cost:
            neurons = weights = 0
            current = tops.get(y, self.available(y) if self.exists(y) else None)
            if current is None:
                a, b = canonical_split(y)
                current = level(_degree(y))
                parts = [self.neuron(current, a, b), make(a, current - 1)]
                if b != a:
                    parts.append(make(b, current - 1))
                neurons, weights = map(sum, zip(*parts))
            tops[y] = max(current, layer)
            extra = self.carries(y, current, layer)
            return neurons + extra[0], weights + extra[1]

        return make(m, level(_degree(m)))

    def candidates(self, m: Monomial) -> list[Monomial]:
        if m not in self.divisors:
            self.divisors[m] = split_candidates(m)
        return self.divisors[m]

    def cheapest(self, m: Monomial, layer: int, candidates: list[Monomial]) -> Monomial:
        """The greedy's choice of ``m = a·(m/a)`` at ``layer``: fewest new nonzero weights,
        then neurons, then a square, then the smaller factor of lower degree, then ``a``.

        The costs of :meth:`neuron` and :meth:`carries` (and :meth:`estimate` for a factor
        not built yet) spelled out in one loop: it runs for every candidate split of every
        monomial, the planner's inner loop."""
        below, high, k = layer - 1, self.high, sum(m)
        shift_cost, split, top = self.shift_cost, self.split, self.top
        shift = shift_cost if below >= 1 else None
        best: tuple | None = None
        for a in candidates:
            b = tuple(map(operator.sub, m, a))
            da = sum(a)
            square = a == b
            sa = shift(a) if shift else 0
            if not square:
                neurons, weights = 1, 2 + sa + (shift(b) if shift else 0)
            elif layer == high:
                neurons, weights = 0, 1 + sa
            else:
                neurons, weights = 1, 1 + 3 * sa
            if best is not None and weights > best[0]:
                continue  # carries only add weights: this split cannot win
            for f, d in ((a, da),) if square else ((a, da), (b, k - da)):
                if d == 1 or f in split:
                    start = top.get(f)
                    if start is None:
                        start = (d - 1).bit_length()
                else:
                    built = self.estimate(f)
                    neurons, weights = neurons + built[0], weights + built[1]
                    start = (d - 1).bit_length()
                if below > start:
                    neurons += below - start
                    weights += 2 * (below - start) + (shift_cost(f) if start == 0 else 0)
            key = (weights, neurons, not square, min(da, k - da), a)
            if best is None or key < best:
                best = key
        assert best is not None
        return best[-1]

    def ensure(self, m: Monomial) -> None:
        if self.exists(m) or _degree(m) == 0:
            return
        layer = level(_degree(m))
        candidates = self.candidates(m) if self.greedy else []
        a = (self.cheapest(m, layer, candidates) if len(candidates) > 1
             else canonical_split(m)[0])
        b = _quotient(m, a)
        a, b = max(a, b), min(a, b)
        self.split[m] = (a, b)
        for f in (a, b):
            self.ensure(f)
            self.lift(f, layer - 1)


def split_candidates(m: Monomial) -> list[Monomial]:
    """The factors ``a`` tried for ``m = a·(m/a)`` (``deg a`` in ``[⌈k/2⌉, 2**(⌈log2 k⌉-1)]``,
    so both factors are ready one layer below ``m``): all of them when there are few, else
    the ones nearest an even split (breadth-first from one, moving one factor at a time), and
    the balanced tree's; at most ``SPLIT_WORK / (variables · degree)`` of them, so each
    monomial costs a bounded number of steps: never an enumeration of subsets.

    >>> split_candidates((2, 1))   # x²y = (xy)·x or x²·y
    [(1, 1), (2, 0)]
    >>> len(split_candidates((9, 9, 9, 9))) <= MAX_CANDIDATES + 1
    True
    >>> split_candidates((1,) * 1000) == [canonical_split((1,) * 1000)[0]]   # no search
    True
    """
    k = _degree(m)
    low, high = (k + 1) // 2, min(1 << (level(k) - 1), k - 1)
    limit = min(MAX_CANDIDATES, SPLIT_WORK // (len(m) * k))
    if limit <= 1:
        return [canonical_split(m)[0]]
    if math.prod(e + 1 for e in m) <= 16 * MAX_CANDIDATES:  # few: filter them all, in C
        every = [a for a in itertools.product(*(range(e + 1) for e in m))
                 if low <= sum(a) <= high]
        if len(every) <= limit:
            return every
    # Near an even split: half of each exponent (the odd halves rounded up in turn, to land
    # in the band), then that split with one factor moved, added or removed, in order.
    start, extra = [e // 2 for e in m], low - sum(e // 2 for e in m)
    for i, e in enumerate(m):
        if extra and e % 2:
            start[i] += 1
            extra -= 1
    found = {tuple(start), canonical_split(m)[0]}
    degree = sum(start)
    up = [i for i, e in enumerate(m) if start[i] < e]
    down = [i for i, e in enumerate(m) if start[i] > 0]
    moves = itertools.chain(
        (((i, 1),) for i in up if degree + 1 <= high),
        (((i, -1),) for i in down if degree - 1 >= low),
        (((i, -1), (j, 1)) for i in down for j in up if i != j))
    for move in moves:
        if len(found) > limit:
            break
        a = list(start)
        for i, step in move:
            a[i] += step
        found.add(tuple(a))
    return sorted(found)


def lean_plans(n: int, terms: Terms, shift_cost: ShiftCost) -> list[Plan]:
    """Lean plans for ``terms`` (exponents -> coefficient), shortest first: one whose output
    also computes the top products (depth ``⌈log2 d⌉``) when at most one top monomial is
    not a square, and the one with a linear read-out (depth ``⌈log2 d⌉ + 1``).

    >>> [p.depth for p in lean_plans(2, {(1, 1): Fraction(1), (1, 0): Fraction(1)},
    ...                              lambda m: 0)]
    [1, 2]
    >>> [p.depth for p in lean_plans(2, {(1, 1): Fraction(1)}, lambda m: 0)]   # x·y alone
    [1]
    >>> [p.depth for p in lean_plans(2, {(1, 0): Fraction(1)}, lambda m: 0)]
    [1]
    """
    targets = {m: c for m, c in terms.items() if c and _degree(m) >= 1}
    high = max((level(_degree(m)) for m in targets), default=0)
    plans = []
    # The greedy splits (cheapest first) and the baseline's balanced trees, shared: the
    # caller keeps the smaller network (each wins on some targets).
    divisors: dict[Monomial, list[Monomial]] = {}
    # One large square-free monomial: no split can share a factor or square one, so the
    # balanced tree is as small as any (a product of 1000 variables plans in O(n log n)).
    alone = len(targets) == 1 and max(next(iter(targets))) <= 1 and (
        n * _degree(next(iter(targets))) > SPLIT_WORK)
    for greedy in (False,) if alone else (True, False):
        skeleton = _Skeleton(n, shift_cost, high, greedy, divisors)
        for m in sorted(targets, key=lambda m: (_degree(m), m)):
            skeleton.ensure(m)
        top = [m for m in targets if level(_degree(m)) == high]
        if high and sum(skeleton.split[m][0] != skeleton.split[m][1] for m in top) <= 1:
            plans.append(_layout(skeleton, terms, high))
            if len(targets) == 1:  # no linear term for the output product to carry
                continue
        plans.append(_layout(skeleton, terms, high + 1))
        if high == 0:
            break
    return list(dict.fromkeys(plans))


def _layout(sk: _Skeleton, terms: Terms, depth: int) -> Plan:
    """The graph of a skeleton with the output at layer ``depth``."""
    g = _Graph(sk.n)
    targets = {m: c for m, c in terms.items() if c and _degree(m) >= 1}
    factors = {f for pair in sk.split.values() for f in pair}
    lev = {m: level(_degree(m)) for m in (*sk.split, *targets, *sk.top)}  # summed once
    at_output = {m for m in targets if depth == lev[m]}
    square_only = {m for m in targets if m in sk.split and m not in factors
                   and m not in at_output and sk.split[m][0] == sk.split[m][1]}
    tops = dict(sk.top)
    while True:
        # Terms not read directly by the output flow up an accumulator, entering it as late
        # as they can (one layer above the highest carry they have anyway).
        late = {m: tops.get(m, lev[m]) + 1 for m in targets if m not in at_output
                and tops.get(m, lev[m]) < depth - 1}
        start = min(late.values(), default=None)
        if start is None and sum(lev[m] == depth - 1 for m in square_only) >= 2:
            start = depth - 1
        absorbed = {m for m in square_only if start is not None and lev[m] >= start}
        entering = [m for m, t in late.items() if t == start and m not in absorbed]
        if len(entering) != 1 or any(lev[m] == start for m in absorbed):
            break
        # One term alone would start the accumulator: a carry is cheaper (no new shift).
        tops[entering[0]] = start
    ids: dict[tuple[Monomial, int], int] = {(u, 0): i for i, u in enumerate(units(sk.n))}
    accumulator: int | None = None
    products: dict[int, list[Monomial]] = {}
    for m in sorted(sk.split, key=lambda m: (lev[m], m)):
        products.setdefault(lev[m], []).append(m)
    carried = sorted(tops)
    for layer in range(1, depth):
        for m in products.get(layer, []):
            if m not in absorbed:
                a, b = sk.split[m]
                ids[m, layer] = g.add(Node(layer, "product", (ids[a, layer - 1],
                                                              ids[b, layer - 1])))
        for m in carried:
            if lev[m] < layer <= tops[m]:
                ids[m, layer] = g.add(Node(layer, "carry", (ids[m, layer - 1],)))
        if start is not None and layer >= start:
            linear = [(ids[m, layer - 1], c) for m, c in sorted(targets.items())
                      if late.get(m) == layer and m not in absorbed]
            if accumulator is not None:
                linear.insert(0, (accumulator, Fraction(1)))
            squares = [(ids[sk.split[m][0], layer - 1], targets[m]) for m in sorted(absorbed)
                       if lev[m] == layer]
            accumulator = g.add(Node(layer, "sum", linear=tuple(linear),
                                     squares=tuple(squares)))
    last = depth - 1
    linear = [(ids[m, last], c) for m, c in sorted(targets.items())
              if m not in at_output and m not in late and m not in absorbed]
    if accumulator is not None:
        linear.insert(0, (accumulator, Fraction(1)))
    squares, cross = [], None
    for m in sorted(at_output):
        a, b = sk.split[m]
        if a == b:
            squares.append((ids[a, last], targets[m]))
        else:
            cross = (ids[a, last], ids[b, last], targets[m])
    g.add(Node(depth, "sum", linear=tuple(linear), squares=tuple(squares), cross=cross,
               const=terms.get((0,) * sk.n, Fraction(0))))
    return g.plan(depth)


# -- naive -----------------------------------------------------------------------------------
def naive_plan(n: int, terms: Terms) -> Plan:
    """The baseline: each monomial by its own balanced product tree, carried to the last
    layer, summed by a linear read-out; nothing shared but the inputs.

    >>> plan = naive_plan(2, {(1, 1): Fraction(1), (2, 0): Fraction(1)})
    >>> plan.depth, [node.op for node in plan.nodes[2:]]
    (2, ['product', 'product', 'sum'])
    """
    g = _Graph(n)
    targets = {m: c for m, c in terms.items() if c and _degree(m) >= 1}
    depth = max((level(_degree(m)) for m in targets), default=0) + 1

    def carried(node: int, layer: int, to: int) -> int:
        for k in range(layer + 1, to + 1):
            node = g.add(Node(k, "carry", (node,)))
        return node

    def build(m: Monomial) -> int:
        if _degree(m) == 1:
            return m.index(1)
        a, b = canonical_split(m)
        here = level(_degree(m))
        left = carried(build(a), level(_degree(a)), here - 1)
        right = left if a == b else carried(build(b), level(_degree(b)), here - 1)
        return g.add(Node(here, "product", (left, right)))

    linear = tuple((carried(build(m), level(_degree(m)), depth - 1), c)
                   for m, c in sorted(targets.items()))
    g.add(Node(depth, "sum", linear=linear, const=terms.get((0,) * n, Fraction(0))))
    return g.plan(depth)


def estimated_params(plan: Plan) -> int:
    """An estimate of the nonzero params of ``plan``'s network, from its graph alone (before
    any weight is computed): each neuron's reads, two weights each (a value may be held by a
    split pair), plus its biases; an affine node costs its terms wherever it is read.

    >>> estimated_params(naive_plan(2, {(1, 1): Fraction(1), (2, 0): Fraction(1)}))
    21
    """
    width = {i: 1 for i in range(plan.n_inputs)}
    total = 0
    for node_id, node in enumerate(plan.nodes):
        if node.op == "affine":
            width[node_id] = sum(width.get(a, 1) for a, _ in node.linear) or 1
            continue
        if node.layer == 0:
            continue
        reads = [*node.args, *(a for a, _ in node.linear), *(a for a, _ in node.squares),
                 *(node.cross[:2] if node.cross is not None else ())]
        total += 3 + 2 * sum(width.get(a, 1) for a in reads)
    return total
