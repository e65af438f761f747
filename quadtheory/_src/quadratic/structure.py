"""Composition-aware plans: a polynomial built from smaller ones costs less than its expansion.

A quadratic neuron squares any affine form of the layer below in one product, so a composite
``g∘h`` needs only ``h``'s network followed by ``g``'s, with ``h``'s value as ``g``'s input;
the expanded polynomial may have vastly more monomials (Fan, Dong, Wu et al., "One Neuron
Saved Is One Neuron Earned", 2023, for the neuron; functional decomposition after Kozen &
Landau 1989, in rationals by :func:`.fewest.components`, which finds every one, where
``sympy.decompose`` misses most with rational coefficients). Plans found before expanding:

- *functional decomposition* of a polynomial in one variable, recursively:
  ``p = g_1∘g_2∘…∘g_k``, each ``g_i`` planned over the monomials of its own variable;
- a *power of a polynomial base* in the expression, ``p = g(B)``: ``(x + y)^k`` is ``y^k`` of
  one affine form, which the first layer's affine forms compute for free, then ``⌈log2 k⌉``
  layers of squares and products; ``g`` is read off the expression, or interpolated from the
  target's values and checked by expanding ``g(B)`` (``T_17(x + y)``, whose linear term sympy
  distributes);
- *split plans* of a polynomial in one variable (:mod:`.splits`): squares of top roots and
  products by divisors, layer by layer from the output down, with a beam search over the
  splits for the fewest neurons;
- the *Chebyshev* polynomials ``c·T_n(x) + d``: ``T_{ab} = T_a∘T_b``, and for the other
  ``n`` the doubling recurrence ``T_{2m} = 2T_m² − 1``, ``T_{2m+1} = 2T_m·T_{m+1} − x``,
  which keeps every intermediate value in ``[−1, 1]``, where its float evaluation is stable,
  an index search over the sets of ``T_s`` a layer holds, ``T_5``, ``T_7``, ``T_11`` as
  one product and ``T_17`` through the third kind; construct is offered the plans no other
  beats in neurons, nonzero params and float error at once (:func:`chebyshev_front`), and
  the few others of the smallest estimated float errors (:func:`_near`).

Every plan is *tight* (see :mod:`.realize`): squares of shifted values stay squares, so the
enclosures through the layers, which choose the relu shifts, stay as small as the values.
The caller counts every candidate (and the expanded plans) and keeps the fewest nonzero
params; the network is proved equal to the target either way.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import heapq
import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

import sympy

from ..core.limits import MAX_DEGREE, MAX_DEPTH, integer
from ..core.network import Network
from ..exact.polynomial import network_polynomials
from ..exact.rounding import float_error, input_gain, wants_hidden
from .fewest import MAX_DECOMPOSED, components
from .monomials import Monomial, Node, Plan, lean_plans, level
from .realize import Unrealizable, realize_rows
from .splits import SPLIT_PLAN, split_plans

Terms = dict[Monomial, Fraction]
Affine = tuple[Sequence[tuple[int, Fraction]], Fraction]  # (Σ c_i·x_i, b)
# Candidates per stage of a composition (each a depth variant of a lean plan); a chain of k
# stages tries the first variant everywhere and each stage's alternatives alone.
_MAX_BASES = 4  # distinct bases B of powers B**k tried, largest power first


@dataclass(frozen=True)
class Candidate:
    """A plan and what it is, in words (``meta.plan`` of the network chosen)."""

    description: str
    plan: Plan


def substitute(outer: Plan, inner: Plan | None = None, affine: Affine | None = None,
               n_inputs: int | None = None) -> Plan:
    """``outer(y)`` (a plan of one input ``y``) with ``y`` := the output of ``inner``, or an
    affine form ``(Σ c_i·x_i, b)`` of the inputs (held at layer 0, free).

    >>> sq = lean_plans(1, {(2,): Fraction(1)}, lambda m: 0)[0]       # y²
    >>> plan = substitute(sq, affine=([(0, Fraction(1)), (1, Fraction(1))], Fraction(0)),
    ...                   n_inputs=2)                                   # (x + y)²
    >>> plan.depth, [node.op for node in plan.nodes]
    (1, ['input', 'input', 'affine', 'sum'])
    """
    if inner is not None:
        nodes, shift = list(inner.nodes), inner.depth
        n = inner.n_inputs
    else:
        n = n_inputs
        terms, const = affine
        nodes = [Node(0, "input", (i,)) for i in range(n)]
        nodes.append(Node(0, "affine", linear=tuple(terms), const=const))
        shift = 0
    y = len(nodes) - 1
    ids = {0: y}
    for k in range(1, len(outer.nodes)):
        ids[k] = len(nodes) + k - 1

    def pairs(items: Sequence[tuple[int, Fraction]]) -> tuple[tuple[int, Fraction], ...]:
        return tuple((ids[a], c) for a, c in items)

    for node in outer.nodes[1:]:
        nodes.append(replace(
            node, layer=node.layer + shift, args=tuple(ids[a] for a in node.args),
            linear=pairs(node.linear), squares=pairs(node.squares),
            cross=None if node.cross is None else (ids[node.cross[0]], ids[node.cross[1]],
                                                   node.cross[2])))
    return Plan(n, outer.depth + shift, tuple(nodes), tight=True)


def _univariate_plans(terms: Terms) -> list[Plan]:
    """The lean plans of a polynomial in one variable (exponent tuples of length 1)."""
    return lean_plans(1, terms, lambda m: 1)


def _chain(stages: Sequence[list[Plan]], first: Plan | Affine, n: int) -> list[Plan]:
    """Plans of ``stage_1∘…∘stage_k∘first`` (``stages`` outermost first): the first variant
    of every stage, and each stage's other variants with the first variants elsewhere."""
    picks = [[0] * len(stages)]
    for i, variants in enumerate(stages):
        picks += [[v if j == i else 0 for j in range(len(stages))]
                  for v in range(1, len(variants))]
    out = []
    for pick in picks:
        current = first
        for stage, v in zip(reversed(stages), reversed(pick)):
            current = (substitute(stage[v], current) if isinstance(current, Plan) else
                       substitute(stage[v], affine=current, n_inputs=n))
        out.append(current)
    return out


def _terms_of(poly: sympy.Poly) -> Terms:
    return {tuple(int(e) for e in m): Fraction(int(c.p), int(c.q))
            for m, c in zip(poly.monoms(), poly.coeffs())}


def _affine(terms: Terms, n: int) -> Affine | None:
    """``(Σ c_i·x_i, b)`` if ``terms`` is affine (degree <= 1), else None."""
    if any(sum(m) > 1 for m in terms):
        return None
    linear = [(m.index(1), c) for m, c in terms.items() if sum(m) == 1]
    return linear, terms.get((0,) * n, Fraction(0))


def _decompositions(expr: sympy.Expr, names: Sequence[str], terms: Terms) -> list[Candidate]:
    if len(names) != 1 or len(terms) < 2:  # a monomial: the lean plan is its power chain
        return []
    degree = max((sum(m) for m in terms), default=0)
    if degree < 4 or degree > MAX_DECOMPOSED:
        return []
    # Each part of degree >= 2 and no composition itself (Kozen and Landau's algorithm in
    # rationals; sympy's decompose missed 199 of 300 random compositions with rational
    # coefficients), so the innermost is a polynomial plan, never an affine form.
    parts = components(tuple(sorted((m[0], c) for m, c in terms.items() if c)))
    if len(parts) < 2:
        return []
    part_terms = [{(k,): c for k, c in enumerate(part) if c} for part in parts]
    stages = [_univariate_plans(t) for t in part_terms[:-1]]
    first = _univariate_plans(part_terms[-1])[0]
    x = sympy.Symbol(names[0])
    shown = [sympy.Poly([sympy.Rational(c.numerator, c.denominator) for c in part[::-1]], x)
             for part in parts]
    text = " ∘ ".join(f"({p.as_expr()})" for p in shown)
    return [Candidate(f"functional decomposition {text}"[:200], plan)
            for plan in _chain(stages, first, 1)]


# -- Chebyshev polynomials ---------------------------------------------------------------------

def chebyshev_index(terms: Terms) -> tuple[int, Fraction, Fraction] | None:
    """``(n, c, d)`` with the target ``= c·T_n(x) + d`` (one variable, ``n >= 2``), else None.

    >>> chebyshev_index({(4,): Fraction(24), (2,): Fraction(-24), (0,): Fraction(4)})  # 3·T_4 + 1
    (4, Fraction(3, 1), Fraction(1, 1))
    """
    if not terms or len(next(iter(terms))) != 1:
        return None
    n = max(m[0] for m in terms)
    # T_n has the floor(n/2) + 1 powers of n's parity, and a constant may be added.
    if n < 2 or any(m[0] % 2 != n % 2 and m[0] for m in terms) or \
            len(terms) < n // 2 + (n % 2 == 0):
        return None
    reference = _chebyshev_terms(n)
    c = terms[(n,)] / reference[(n,)]
    d = terms.get((0,), Fraction(0)) - c * reference.get((0,), Fraction(0))
    for (e,), v in reference.items():
        if e and terms.get((e,), Fraction(0)) != c * v:
            return None
    if any(m not in reference and m != (0,) for m in terms):
        return None
    return n, c, d


@functools.lru_cache(maxsize=256)
def _chebyshev_terms(n: int) -> dict[Monomial, Fraction]:
    """``T_n = Σ_k (-1)^k n/(n-k) C(n-k, k) 2^(n-2k-1) x^(n-2k)`` (``n >= 1``).

    >>> _chebyshev_terms(4) == {(4,): 8, (2,): -8, (0,): 1}
    True
    """
    if n == 0:
        return {(0,): Fraction(1)}
    return {(n - 2 * k,): Fraction((-1) ** k * n * math.comb(n - k, k) * 2 ** (n - 2 * k),
                                   2 * (n - k))
            for k in range(n // 2 + 1)}


def _scaled(plan: Plan, c: Fraction, d: Fraction) -> Plan:
    """The plan with its output multiplied by ``c`` and shifted by ``d``."""
    out = plan.nodes[-1]

    def times(items: Sequence[tuple[int, Fraction]]) -> tuple[tuple[int, Fraction], ...]:
        return tuple((a, v * c) for a, v in items)

    last = replace(out, linear=times(out.linear), squares=times(out.squares),
                   cross=None if out.cross is None else (*out.cross[:2], out.cross[2] * c),
                   const=out.const * c + d)
    return replace(plan, nodes=(*plan.nodes[:-1], last))


def _doubling(n: int) -> Plan:
    """``T_n`` by the doubling recurrence: layer ``j`` holds ``T_m, T_{m+1}`` for ``m`` the
    first ``j`` bits of ``n`` (only those the rest needs) and ``x``; an odd ``T_t`` is held as
    ``P = 2·T_a·T_{a+1} = T_t + x`` and read as ``P − x``."""
    bits = bin(n)[2:]
    # The indices each layer must hold, from the output down: layer j holds T_t for t near
    # the first j bits of n (T_t has degree t <= 2^j there).
    need: list[set[int]] = [set() for _ in range(len(bits))]
    odd_output = n % 2 == 1
    top = len(bits) - 1  # the layer of the last pair (m_{K-1}, m_{K-1} + 1)
    need[top] = {n // 2, n // 2 + 1} if odd_output else {n // 2}
    for j in range(top, 1, -1):
        for t in need[j]:
            need[j - 1] |= {t // 2, t // 2 + 1} if t % 2 else {t // 2}
    nodes = [Node(0, "input", (0,))]
    x_at: dict[int, int] = {0: 0}  # layer -> node holding x
    value: dict[tuple[int, int], int] = {}  # (layer, t) -> node holding T_t

    def add(node: Node) -> int:
        nodes.append(node)
        return len(nodes) - 1

    one, two = Fraction(1), Fraction(2)
    # Layer 1: T_1 = x (a carry, which also holds x) and T_2 = 2x² − 1.
    if 1 in need[1] or any(t % 2 for j in range(2, top + 1) for t in need[j]) or odd_output:
        x_at[1] = value[1, 1] = add(Node(1, "carry", (0,)))
    if 2 in need[1]:
        value[1, 2] = add(Node(1, "sum", squares=((0, two),), const=-one))
    for j in range(2, top + 1):
        below = j - 1
        if any(t % 2 for t in need[j]) or any(t % 2 for i in range(j + 1, top + 1)
                                                for t in need[i]) or odd_output:
            x_at[j] = add(Node(j, "carry", (x_at[below],)))
        for t in sorted(need[j]):
            a = t // 2
            if t % 2 == 0:
                value[j, t] = add(Node(j, "sum", squares=((value[below, a], two),), const=-one))
            else:
                product = add(Node(j, "sum", cross=(value[below, a], value[below, a + 1], two)))
                value[j, t] = add(Node(j, "affine", linear=((product, one), (x_at[j], -one))))
    if odd_output:
        a = n // 2
        product = add(Node(top + 1, "sum", cross=(value[top, a], value[top, a + 1], two)))
        carry = add(Node(top + 1, "carry", (x_at[top],)))
        add(Node(top + 2, "sum", linear=((product, one), (carry, -one))))
        return Plan(1, top + 2, tuple(nodes), tight=True)
    add(Node(top + 1, "sum", squares=((value[top, n // 2], two),), const=-one))
    return Plan(1, top + 1, tuple(nodes), tight=True)


# -- T_5, T_7 and T_11 as one product ---------------------------------------------------------
# With x = cos 2t and α_n = sin(nt)/sin t (the fourth-kind polynomial, degree (n − 1)/2 in x)
# and β_n = T_{(n+1)/2} − T_{(n−1)/2} = −2 sin t·sin nt: T_n = 1 + α_n·β_n for odd n. For
# n <= 7 both factors have degree <= 4, which a layer reading x and T_2 holds: T_7 in five
# neurons, where the doubling recurrence and the index search take six. For n = 11 they are
# quadratics of x, T_2 and T_3: α_11 = 1 + 2(T_1 + … + T_5) = 4T_2² + 4T_2·T_3 + 2T_2 +
# 2T_3 − 1 and β_11 = T_6 − T_5 = 2T_3² − 2T_2·T_3 + x − 1, whose x lies outside the product
# (one neuron on three columns, realize._three_columns): T_11 in eight neurons, where the
# index search takes nine. (The same identity ladders on, α_{J+2k} = 2α_J·T_k ∓ 1 for
# J = 2k ± 1, one neuron fewer than the doubling recurrence for every odd n, but it is not
# float-stable: β_J is a small difference of products of size J: a prototype built T_127
# so, observed off by 29,749·n²·u. T_13 so takes nine neurons, as the index search does;
# beyond, the factors' degrees need a wider layer below them, not tried.)
def _one_product(n: int) -> Plan | None:
    """``T_n = 1 + α_n·β_n`` for ``n`` 5, 7 or 11: ``x`` and ``T_2`` (and ``T_3`` for 11),
    then the two factors, then their product; None for other ``n``.

    >>> plan = _one_product(7)
    >>> _neurons(plan), plan.depth
    (5, 3)
    >>> plan = _one_product(11)
    >>> _neurons(plan), plan.depth
    (8, 4)
    """
    if n not in (5, 7, 11):
        return None
    one, two = Fraction(1), Fraction(2)
    x, t2 = 1, 2
    nodes = [Node(0, "input", (0,)), Node(1, "carry", (0,)),
             Node(1, "sum", squares=((0, two),), const=-one)]
    if n == 5:   # α_5 = 2T_2 + 2x + 1, β_5 = T_3 − T_2 = 2x·T_2 − x − T_2
        nodes += [Node(2, "sum", linear=((t2, two), (x, two)), const=one),
                  Node(2, "sum", cross=(x, t2, two), linear=((x, -one), (t2, -one)))]
    elif n == 7:  # α_7 = 4x·T_2 + 2T_2 + 1, β_7 = T_4 − T_3 = 2T_2² − 1 − 2x·T_2 + x
        nodes += [Node(2, "sum", cross=(x, t2, Fraction(4)), linear=((t2, two),), const=one),
                  Node(2, "sum", squares=((t2, two),), cross=(x, t2, -two), linear=((x, one),),
                       const=-one)]
    else:        # layer 2: x, T_2, T_3 = 2x·T_2 − x; layer 3: α_11 and β_11 (see above)
        nodes += [Node(2, "carry", (x,)), Node(2, "carry", (t2,)),
                  Node(2, "sum", cross=(x, t2, two), linear=((x, -one),))]
        x, t2, t3 = 3, 4, 5
        nodes += [Node(3, "sum", squares=((t2, Fraction(4)),), cross=(t2, t3, Fraction(4)),
                       linear=((t2, two), (t3, two)), const=-one),
                  Node(3, "sum", squares=((t3, two),), cross=(t2, t3, -two), linear=((x, one),),
                       const=-one)]
    # The output: 1 + α·β, the last two nodes, one layer above them.
    top = nodes[-1].layer + 1
    nodes.append(Node(top, "sum", cross=(len(nodes) - 2, len(nodes) - 1, one), const=one))
    return Plan(1, top, tuple(nodes), tight=True)


# -- T_17 through the third kind --------------------------------------------------------------
# With x = cos θ and V_m = cos((m + ½)θ)/cos(θ/2) (the third-kind polynomial, degree m):
# (1 + x)·V_m² = 2cos²((m + ½)θ) = 1 + T_{2m+1}. So T_17 = V_8·Z_8 − 1 with Z_8 = (1 + x)·V_8,
# one product of a layer holding x and V_8 (Z_8 = x·V_8 + V_8), and V_8 = U_8 − U_7 is one
# neuron of a layer holding x, T_3 and U_4 (U the second kind: U_4² = U_0 + U_2 + … + U_8 and
# 2T_3·U_4 = U_7 + U_1, the rest quadratics of x): ten neurons, where the index model has no
# plan in fewer than twelve (chebyshev_index_plan_exists(17, 11, 7) is False). Found by a
# search over layers of values of the four kinds (T, U, V, W, and T_k ± T_{k+1}), each neuron
# any quadratic of the layer below with one cross term; the same search found no plan within
# 2·log2 n + 2 neurons and 1e-12 for 19, 23, 29 or 31 (none, or bounds near 5e-11: V_m and
# W_m reach 2m + 1 at one end), so T_17 is the one n offered.
def _third_kind(n: int) -> Plan | None:
    """``T_17 = (1 + x)·V_8² − 1`` in ten neurons (see above); None for other ``n``.

    >>> plan = _third_kind(17)
    >>> _neurons(plan), plan.depth
    (10, 5)
    """
    if n != 17:
        return None
    one, two = Fraction(1), Fraction(2)
    nodes = (Node(0, "input", (0,)),
             Node(1, "carry", (0,)),                                         # 1: x
             Node(1, "sum", squares=((0, two),), const=-one),                # 2: T_2
             Node(2, "carry", (1,)),                                         # 3: x
             Node(2, "sum", cross=(1, 2, two), linear=((1, -one),)),         # 4: T_3
             Node(2, "sum", squares=((1, -two), (2, Fraction(4))),           # 5: U_4
                  linear=((2, Fraction(3)),)),
             Node(3, "carry", (3,)),                                         # 6: x
             Node(3, "sum", squares=((3, Fraction(-4)), (4, Fraction(-4)), (5, one)),
                  cross=(4, 5, -two), linear=((3, two), (5, -two)), const=two),  # 7: V_8
             Node(4, "sum", cross=(6, 7, one), linear=((7, one),)),          # 8: Z_8
             Node(4, "carry", (7,)),                                         # 9: V_8
             Node(5, "sum", cross=(8, 9, one), const=-one))                  # T_17
    return Plan(1, 5, nodes, tight=True)


# -- Chebyshev index search --------------------------------------------------------------------
# A layer holding T_s for s in a set S computes, one neuron each, T_s itself (a carry),
# T_2s = 2T_s² − 1, and the product 2T_a·T_b = T_{a+b} + T_{b−a}: read as T_{a+b} (or T_{b−a})
# when the other term is held by a neuron of the same layer, which the next layer's affine
# forms subtract (no neuron; the doubling recurrence's odd steps hold x so). A neuron may also
# subtract a defect held by the layer below (realize's three columns: a single neuron for
# 2T_a·T_b − T_d, with larger weights), the output neuron always, the others in the search
# SEARCHES calls "below". The search finds
# the fewest neurons over such layers: T_7 from {1, 3, 4} as 2T_3·T_4 − x, six neurons where
# the doubling recurrence takes eight.
_SEARCH_WIDTH = 3  # values a layer holds (4 found nothing smaller for the n tried: 11 to 37)
_SEARCH_STATES = 20_000  # layer states expanded at most: a bound on planning time
_SEARCH_MAX_N = 128  # beyond, a search takes seconds (T_255: about 8 s)

Recipe = tuple  # ("carry", s) | ("square", c) | ("pair", a, b, d) | ("product", a, b, (kind, d))
# The indices a layer holds, and (t, d) for those held as an affine form 2T_a·T_b − T_d.
_State = tuple[frozenset[int], frozenset[tuple[int, int]]]


def _hidden_recipes(state: _State, below: bool = True
                    ) -> tuple[dict[int, Recipe], dict[int, list[tuple]]]:
    """What one neuron of the next layer computes from a layer ``state``: values of their
    own (carries, squares, and with ``below`` products that subtract a defect the layer
    holds, as the output neuron does), and products ``2T_a·T_b`` by the index they yield
    once the other one, ``d``, is subtracted (``(a, b, d)``)."""
    held = state[0]
    own: dict[int, Recipe] = {s: ("carry", s) for s in sorted(held)}
    for c in sorted(held):
        own.setdefault(2 * c, ("square", c))
    pairs: dict[int, list[tuple]] = {}
    for a, b in itertools.combinations(sorted(held), 2):
        pairs.setdefault(a + b, []).append((a, b, b - a))
        pairs.setdefault(b - a, []).append((a, b, a + b))
    if below:
        for t in sorted(pairs):
            if t not in own:
                recipe = _output_recipe(t, state)
                if recipe is not None:
                    own[t] = recipe
    return own, pairs


def _columns(t: int, state: _State) -> set[tuple[str, int]]:
    """The neurons ``T_t`` is read from: its own, or a product and the defect's neuron."""
    defect = dict(state[1]).get(t)
    return {("neuron", t)} if defect is None else {("product", t), ("neuron", defect)}


def _output_recipe(n: int, state: _State) -> Recipe | None:
    """How the output neuron computes ``T_n`` from a layer, if it can: a carry, a square, or
    ``2T_a·T_b`` minus a defect held by the layer (a linear term) or the square of one held
    as a neuron (a ``w_b`` term), on three neurons at most (realize's three columns).

    >>> _output_recipe(7, (frozenset({1, 3, 4}), frozenset()))       # 2·T_3·T_4 − T_1
    ('product', 3, 4, ('linear', 1))
    """
    held = state[0]
    if n in held:
        return ("carry", n)
    if n % 2 == 0 and n // 2 in held:
        return ("square", n // 2)
    for a, b in itertools.combinations(sorted(held), 2):
        for t, d in ((a + b, b - a), (b - a, a + b)):
            if t != n:
                continue
            if d in held:
                kind, used = "linear", d
            elif d % 2 == 0 and d // 2 in held and len(_columns(d // 2, state)) == 1:
                kind, used = "square", d // 2
            else:
                continue
            if len(_columns(a, state) | _columns(b, state) | _columns(used, state)) <= 3:
                return ("product", a, b, (kind, used))
    return None


def _products(own: dict[int, Recipe], pairs: dict[int, list[tuple]], n: int
              ) -> dict[int, list[tuple]]:
    """For each index ``t <= n`` the layer does not hold as its own value, the products
    ``(a, b, d)`` (of :func:`_hidden_recipes`) read as ``T_t`` once ``d``, one of its own
    values, is held beside it, in ``pairs``' order: the first such ``d`` is the one taken."""
    return {t: [p for p in found if p[2] in own] for t, found in pairs.items()
            if t <= n and t not in own}


def _layer_recipes(own: dict[int, Recipe], products: dict[int, list[tuple]],
                   chosen: Sequence[int]) -> dict[int, Recipe] | None:
    """Each chosen index's recipe (None if one has none), from the layer below's
    :func:`_hidden_recipes` and :func:`_products`: a value of its own, or the first product
    whose other term is a value of its own in ``chosen``."""
    out: dict[int, Recipe] = {}
    for t in chosen:
        if t in own:
            out[t] = own[t]
            continue
        found = next((p for p in products.get(t, ()) if p[2] in chosen), None)
        if found is None:
            return None
        out[t] = ("pair", *found)
    return out


def _layer_choices(singles: list[int], needs: dict[int, set[int]], width: int,
                   least_top: int = 0) -> Iterator[tuple[int, ...]]:
    """The sets of at most ``width`` indices a layer can hold: some of its own values
    (``singles``), and products whose other term (``needs[t]``) is one of them; only those
    whose largest index is at least ``least_top`` (in the same order: the search's depth
    test, made before the sets are built)."""
    by_defect: dict[int, set[int]] = {}
    for t, defects in needs.items():
        for d in defects:
            by_defect.setdefault(d, set()).add(t)
    # The search builds millions of these sets: one defect's products are sorted once.
    alone = {d: sorted(ts) for d, ts in by_defect.items()}
    for k in range(1, min(width, len(singles)) + 1):  # no more values than there are
        for kept in itertools.combinations(singles, k):
            parts = [d for d in kept if d in alone]
            if not parts:
                ready: list[int] = []
            elif len(parts) == 1:
                ready = alone[parts[0]]
            else:
                ready = sorted(set().union(*(by_defect[d] for d in parts)))
            low = kept[-1] < least_top  # then an extra index must reach it
            if low and (not ready or ready[-1] < least_top):
                continue
            if not low:
                yield kept  # kept is sorted (combinations of the sorted singles)
            for more in range(1, min(width - k, len(ready)) + 1):
                for extra in itertools.combinations(ready, more):
                    if low and extra[-1] < least_top:
                        continue
                    yield tuple(sorted((*kept, *extra)))


@functools.lru_cache(maxsize=1024)
def _index_path(n: int, depth: int, limit: int | None = None, below: bool = True
                ) -> tuple[_State, ...] | None:
    """The layers' states (indices held, those held as affine forms) of a plan of ``T_n``
    with the fewest neurons, at most ``limit`` of them, and at most ``depth`` layers (A*: a
    layer holding ``S`` needs at least ``⌈log2(n / max S)⌉`` more, one neuron each); None if
    there is none, or past :data:`_SEARCH_STATES`.

    >>> [sorted(held) for held, _ in _index_path(7, 4)]
    [[1], [1, 2], [1, 3, 4]]
    """
    return _index_search(n, depth, limit, below, _SEARCH_WIDTH, _SEARCH_STATES)[0]


# Layer states chebyshev_index_plan_exists expands at most (its argument ``states``), and the
# layers it weighs per state expanded, on average: bounds on its time and memory (it keeps
# every state reached; a state of many values has many choices). At the limit, T_1000 with
# no bound on neurons: 10 s, 1 GB; the 153 searches of benchmarks/index_model.py each take
# well under the default 100,000.
MAX_INDEX_STATES = 200_000
_CHOICES_PER_STATE = 10


def chebyshev_index_plan_exists(n: int, neurons: int, depth: int, width: int | None = None,
                                states: int = 100_000) -> bool | None:
    """Whether the *index model* has a plan of ``T_n`` with at most ``neurons`` neurons in
    at most ``depth`` layers: True or False, decided by exhausting the model, or None when
    ``states`` layer states were expanded first, or ten times as many layers weighed
    (undecided).

    The model is the index search's (construct's Chebyshev plans): layers of values ``T_s``
    (``s <= n``; at most ``width`` of them, default any number), each neuron a carry, a
    square ``2T_s² − 1``, or a product ``2T_a·T_b`` less a defect ``T_d`` held beside it or
    in the layer below. A False is proved for this model only, not for quadratic networks in
    general (``T_7 = 1 + α·β`` in five neurons lies outside it). Issue 9's neuron bound
    ``2·log2 n + 2`` is out of its reach for 49 n <= 128, ``T_17`` first (10 neurons):

    >>> from quadtheory import chebyshev_index_plan_exists as exists
    >>> exists(17, 10, 7), exists(17, 12, 7), exists(16, 4, 5), exists(17, 10, 7, states=5)
    (False, True, True, None)
    """
    integer(n, "n", 2, MAX_DEGREE)
    integer(neurons, "neurons", 1)
    integer(depth, "depth", 1, MAX_DEPTH)
    if width is not None:
        integer(width, "width", 1)
    integer(states, "states", 1, MAX_INDEX_STATES)
    path, exhausted = _index_search(n, depth, neurons, True,
                                    neurons if width is None else width, states,
                                    _CHOICES_PER_STATE * states)
    return True if path is not None else (False if exhausted else None)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the duration (and back on after, if it was).

    The index search keeps every state it reaches (about 30,000 tuples and frozensets per
    search for n near 100), none of them in a reference cycle: each batch of them set off a
    full collection, which walks every object of the process (sympy's caches included), for
    about a fifth of the search's time in a fresh process and more in a long-lived one.
    Reference counting still frees everything the search drops. The switch is process-wide:
    cycles other threads make meanwhile wait for it too, for a search's time (construct's: a
    second at most; :func:`chebyshev_index_plan_exists` at :data:`MAX_INDEX_STATES`: about
    10 s).
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _index_search(n: int, depth: int, limit: int | None, below: bool, width_at_most: int,
                  states: int, choices: int | None = None
                  ) -> tuple[tuple[_State, ...] | None, bool]:
    """:func:`_index_path`'s A* search, with the layers' width, the states expanded and the
    layers weighed (``choices``, None: any number) as arguments, and whether it ran out of
    states to expand (a None found is then proved)."""
    with _collector_paused():
        return _a_star(n, depth, limit, below, width_at_most, states, choices)


def _a_star(n: int, depth: int, limit: int | None, below: bool, width_at_most: int,
            states: int, choices: int | None) -> tuple[tuple[_State, ...] | None, bool]:
    """The body of :func:`_index_search`."""
    # Layers still needed (the output's included) by the largest index held.
    rest = [0] + [max(1, math.ceil(math.log2(n / m))) for m in range(1, n + 1)]

    # A layer holding index m needs rest[m] more (non-increasing in m), so the choices of the
    # layer after ``layer`` are within the depth only from index least_top[layer] on.
    least_top = [next((m for m in range(1, n + 1) if layer + 1 + rest[m] <= depth), n + 1)
                 for layer in range(depth + 1)]

    start: _State = (frozenset({1}), frozenset())
    # Costs are keyed by the sorted indices and their (index, defect) pairs, tuples that equal
    # the frozenset states exactly when those are equal and are cheaper to build: most of the
    # choices reach a state already reached (about 6 in 7 for n = 85..99).
    key0 = ((1,), (), 0)
    heap = [(rest[1], 0, 0, (1,), start, key0)]
    parent: dict[tuple[_State, int], tuple[_State, int] | None] = {(start, 0): None}
    cost = {key0: 0}
    for _ in range(states):
        if not heap:
            return None, True
        _, neurons, layer, _, state, key = heapq.heappop(heap)
        if cost[key] < neurons:
            continue
        if layer >= 1 and _output_recipe(n, state) is not None:
            path: list[_State] = []
            at: tuple[_State, int] | None = (state, layer)
            while at is not None:
                path.append(at[0])
                at = parent[at]
            return tuple(reversed(path)), False
        own, pairs = _hidden_recipes(state, below)  # from the input x: x carried, T_2
        singles = sorted(t for t in own if t <= n)
        # A product is read as T_t once its other term d is one of the layer's own values.
        products = _products(own, pairs, n)
        needs = {t: {p[2] for p in found} for t, found in products.items()}
        # Each layer's neurons, and at least one more (the output): within the limit.
        width = width_at_most if limit is None else min(width_at_most, limit - neurons - 1)
        for chosen in _layer_choices(singles, needs, width, least_top[layer]):
            if choices is not None:
                choices -= 1
                if choices < 0:
                    return None, False
            total, needed = neurons + len(chosen), rest[chosen[-1]]
            if layer + 1 + needed > depth or (limit is not None and total + needed > limit):
                continue
            paired = []
            for t in chosen:
                if t not in own:
                    # The first product whose defect is chosen too (as _layer_recipes takes it).
                    found = next((p for p in products[t] if p[2] in chosen), None)
                    if found is None:
                        break
                    paired.append((t, found[2]))
            else:
                nxt_key = (chosen, tuple(paired), layer + 1)
                if cost.get(nxt_key, total + 1) <= total:
                    continue
                nxt = (frozenset(chosen), frozenset(paired))
                cost[nxt_key], parent[nxt, layer + 1] = total, (state, layer)
                heapq.heappush(heap, (total + needed, total, layer + 1, chosen, nxt, nxt_key))
    return None, not heap


def _searched(n: int, depth: int, below: bool = True) -> Plan | None:
    """``T_n`` by the index search (:func:`_index_path`), every value in ``[−1, 1]``.

    >>> plan = _searched(7, 4)
    >>> _neurons(plan), plan.depth
    (6, 3)
    """
    if n > _SEARCH_MAX_N:
        return None
    # Only plans with fewer neurons than the doubling recurrence's are worth finding.
    path = _index_path(n, depth, _neurons(_doubling(n)) - 1 if n > 2 else None, below)
    if path is None:
        return None
    nodes = [Node(0, "input", (0,))]
    at = {1: 0}  # index -> the node holding T_index, in the layer below

    def add(node: Node) -> int:
        nodes.append(node)
        return len(nodes) - 1

    for layer in range(1, len(path)):
        own, pairs = _hidden_recipes(path[layer - 1], below)
        recipes = _layer_recipes(own, _products(own, pairs, n), sorted(path[layer][0]))
        assert recipes is not None  # the search checked it
        now: dict[int, int] = {}
        for t, r in sorted(recipes.items(), key=lambda item: item[1][0] == "pair"):
            if r[0] == "pair":  # 2T_a·T_b, and T_t = that − T_d, T_d a neuron of this layer
                _, a, b, d = r
                product = add(Node(layer, "sum", cross=(at[a], at[b], Fraction(2))))
                now[t] = add(Node(layer, "affine", linear=((product, Fraction(1)),
                                                           (now[d], Fraction(-1)))))
            else:
                now[t] = add(_recipe_node(layer, r, at))
        at = now
    add(_recipe_node(len(path), _output_recipe(n, path[-1]), at, output=True))
    return Plan(1, len(path), tuple(nodes), tight=True)


def _recipe_node(layer: int, recipe: Recipe, at: dict[int, int], output: bool = False
                 ) -> Node:
    """The one neuron of a carry, a square ``2T_c² − 1``, or a product minus a defect held
    by the layer below, ``2T_a·T_b − T_d`` (a linear term) or ``2T_a·T_b − (2T_c² − 1)``;
    ``at`` names the nodes of that layer; the ``output`` reads a carried value linearly."""
    one, two = Fraction(1), Fraction(2)
    if recipe[0] == "carry":
        return (Node(layer, "sum", linear=((at[recipe[1]], one),)) if output else
                Node(layer, "carry", (at[recipe[1]],)))
    if recipe[0] == "square":
        return Node(layer, "sum", squares=((at[recipe[1]], two),), const=-one)
    _, a, b, (kind, d) = recipe
    if kind == "linear":
        return Node(layer, "sum", cross=(at[a], at[b], two), linear=((at[d], -one),))
    return Node(layer, "sum", cross=(at[a], at[b], two), squares=((at[d], -two),), const=one)


def _times_x(inner: Plan) -> Plan:
    """``x·inner`` for a plan of one input ``x``: ``x`` carried beside it, one last product."""
    nodes = list(inner.nodes)
    carried = 0
    for layer in range(1, inner.depth + 1):
        nodes.append(Node(layer, "carry", (carried,)))
        carried = len(nodes) - 1
    nodes.append(Node(inner.depth + 1, "sum", cross=(carried, len(inner.nodes) - 1,
                                                    Fraction(1))))
    return Plan(1, inner.depth + 1, tuple(nodes), tight=True)


def odd_plans(terms: Terms) -> list[Plan]:
    """An odd polynomial of one variable as ``x·q(x²)``: ``x²`` in the first layer, then
    ``q``'s plans, with ``x`` carried beside them to one last product.

    >>> [p.depth for p in odd_plans({(5,): Fraction(16), (3,): Fraction(-20), (1,): Fraction(5)})]
    [3, 4]
    """
    if not terms or any(m[0] % 2 == 0 for m in terms):
        return []
    q = {((m[0] - 1) // 2,): c for m, c in terms.items()}
    if max(m[0] for m in q) < 1:
        return []
    square = lean_plans(1, {(2,): Fraction(1)}, lambda m: 0)[0]
    return [_times_x(substitute(outer, square)) for outer in _univariate_plans(q)]


def _neurons(plan: Plan) -> int:
    return sum(1 for node in plan.nodes if node.layer and node.op != "affine")


def _realizable(plan: Plan) -> bool:
    """Whether the plan's products can carry their linear terms, tried on [-1, 1] with
    identity activations, then relu (a product carrying a third value's linear term needs
    every factor's linear term nonzero, which relu's shifts give; construct skips a plan it
    cannot realize on the actual domain)."""
    for activation in ("identity", "relu"):
        try:
            realize_rows(plan, [(-1, 1)] * plan.n_inputs, activation)
        except Unrealizable:
            continue
        return True
    return False


# The index searches a Chebyshev plan may use: any neuron subtracting a defect of the layer
# below ("below"), only the output neuron ("output"), or none. Their fewest-neuron plans differ
# in their float bounds, which construct weighs: all three are offered.
SEARCHES = ("below", "output", "none")


def _own_labelled(n: int, stable: bool = False, searches: Sequence[str] = ("below", "output"),
                  product: bool = True) -> list[tuple[str, Plan]]:
    """The plans of ``T_n`` that are not compositions, each with its kind (a key of
    :data:`_KINDS`): the doubling recurrence, ``x·q(x²)`` for odd ``n``, the index
    ``searches``' plans, with ``product`` ``T_5``, ``T_7`` and ``T_11`` as one product
    (:func:`_one_product`), and the lean plans (small ``n``); ``stable``: the doubling
    recurrence alone (``n > 2``, ``T_2`` itself for ``n = 2``).

    >>> [kind for kind, _ in _own_labelled(7)]
    ['doubling', 'odd', 'odd', 'below', 'output', 'product', 'monomials', 'monomials']
    """
    out = [("doubling", _doubling(n))] if n > 2 else []
    if not stable:
        out += [("odd", p) for p in odd_plans(_chebyshev_terms(n))]
        depth = level(n) + 1
        out += [(search, p) for search in searches
                if (p := _searched(n, depth, below=search == "below")) is not None]
        if product and (p := _one_product(n)) is not None:
            out.append(("product", p))
        if product and (p := _third_kind(n)) is not None:
            out.append(("third", p))
    if n <= (2 if stable else 16):
        out += [("monomials", replace(p, tight=True))
                for p in _univariate_plans(_chebyshev_terms(n))]
    return out


@functools.lru_cache(maxsize=4096)
def _own_plans(n: int, stable: bool = False, search: str = "below", product: bool = True
               ) -> tuple[Plan, ...]:
    """The realizable plans of :func:`_own_labelled` with the index search ``search`` (one
    of :data:`SEARCHES`); ``stable`` ones keep every value in ``[−1, 1]``, where the others
    go through monomial coefficients up to ``2^(n−1)`` or through neurons with larger
    weights."""
    searches = () if search == "none" else (search,)
    return tuple(p for _, p in _own_labelled(n, stable, searches, product) if _realizable(p))


@functools.lru_cache(maxsize=4096)
def chebyshev_plan(n: int, depth: int | None = None, stable: bool = False,
                   search: str = "below", product: bool = True) -> Plan | None:
    """The plan of ``T_n`` with the fewest neurons and at most ``depth`` layers (default
    ``⌈log2 n⌉ + 1``, the expanded plans' bound) among: the doubling recurrence, ``x·q(x²)``,
    the lean plan (small ``n``), and ``T_a∘T_b`` for every factorization ``n = a·b`` with the
    layers shared out between the two (recursively); None if none fits. ``stable``: built
    from doubling recurrences alone (``T_2 = 2x² − 1`` itself for ``n = 2``), every value in
    ``[−1, 1]``: the float error stays near ``n²`` unit roundoffs, ``|T_n'(±1)| = n²``;
    ``search``: which index search's plan is among the options (:data:`SEARCHES`);
    ``product``: whether ``T_5``, ``T_7`` and ``T_11`` as one product and ``T_17`` through the
    third kind are.

    >>> plan = chebyshev_plan(64)          # T_2∘T_2∘T_2∘T_2∘T_2∘T_2: six squares
    >>> _neurons(plan), plan.depth
    (6, 6)
    >>> _neurons(chebyshev_plan(7)), _neurons(chebyshev_plan(7, product=False))
    (5, 6)
    """
    if depth is None:
        depth = level(n) + 1
    options = [p for p in _own_plans(n, stable, search, product) if p.depth <= depth]
    for a in range(2, n):
        if n % a:
            continue
        for outer_depth in range(1, depth):
            outer = chebyshev_plan(a, outer_depth, stable, search, product)
            inner = chebyshev_plan(n // a, depth - outer_depth, stable, search, product)
            if outer is not None and inner is not None:
                options.append(substitute(outer, inner))
    return min(options, key=lambda p: (_neurons(p), p.depth), default=None)


# -- the fewest neurons for each float error -----------------------------------------------------
# chebyshev_plan keeps the fewest neurons; construct ranks plans by their proved float bound
# first. So the candidates are the plans no other beats in both (a Pareto front), over all
# the plans of T_n that are not compositions (the doubling recurrence, x·q(x²), both index
# searches, the one product, the monomials) and their compositions. A plan's float64 error
# on [-1, 1] is its proved bound for one's own plans, and for T_a∘T_b estimated as
# E_a + G_a·E_b, G_a the growth of T_a's bound per unit of error in its input (input_gain;
# the exact derivative alone, |T_a'| <= a², underestimated the proved bounds up to 100-fold
# over n <= 94, E_a + G_a·E_b stays within 0.8-2.2x of them): an estimate only ranks the
# candidates, construct proves each one's bound itself.
_KINDS = {"doubling": "doubling recurrence", "odd": "x·q(x²)",
          "below": "index search", "output": "index search (defects in the same layer)",
          "product": "one product 1 + α·β", "third": "third kind (1 + x)·V_8² − 1",
          "monomials": "monomials"}


@dataclass(frozen=True)
class _Entry:
    """A plan of ``T_n`` in the front: neurons, depth, the float64 error (proved, or
    estimated for a composition), the factors ``(m, kind)`` outermost first, and the plan
    itself or the two entries it composes (built only when it is a candidate)."""

    neurons: int
    nonzero: int  # counted for one's own plans; the sum of the parts' for a composition
    depth: int
    error: float
    factors: tuple[tuple[int, str], ...]
    own: Plan | None = None
    parts: tuple[_Entry, _Entry] | None = None
    gain: float = 1.0  # the error's growth per unit of input error (input_gain; a product)

    def plan(self) -> Plan:
        if self.own is not None:
            return self.own
        outer, inner = self.parts
        return substitute(outer.plan(), inner.plan())

    def words(self) -> str:
        n = math.prod(m for m, _ in self.factors)
        if len(self.factors) == 1:
            return f"Chebyshev T_{n}: the {_KINDS[self.factors[0][1]]}"
        chain = "∘".join(f"T_{m}" for m, _ in self.factors)
        kinds = "; ".join(dict.fromkeys(f"T_{m}: {_KINDS[k]}" for m, k in self.factors))
        return f"Chebyshev T_{n} = {chain} ({kinds})"


def _measured(plan: Plan) -> tuple[int, float, float] | None:
    """The plan's nonzero params, proved float64 error bound and :func:`input_gain` with relu
    on [-1, 1] (None without a bound)."""
    try:
        rows = realize_rows(plan, [(-1, 1)], "relu")
    except Unrealizable:
        return None
    network = Network(("x",), rows.layers(), [(-1, 1)])
    trace = network_polynomials(network, keep_hidden=wants_hidden(network))
    bound = float_error(network, trace=trace, refine=False)  # an estimate's part: kept fast
    if bound is None:
        return None
    gain = input_gain(network, trace, bound if trace.proved else None)
    if gain is None:
        return None
    return rows.counts().params.nonzero, float(bound.absolute["float64"]), gain


@functools.lru_cache(maxsize=1024)
def _own_entries(n: int) -> tuple[_Entry, ...]:
    """The front's entries of ``T_n``'s own plans (not compositions), one per distinct plan."""
    out: list[_Entry] = []
    for kind, plan in _own_labelled(n):
        if any(plan == e.own for e in out):
            continue
        measured = _measured(plan)
        if measured is not None:
            out.append(_Entry(_neurons(plan), measured[0], plan.depth, measured[1],
                              ((n, kind),), own=plan, gain=measured[2]))
    return tuple(out)


def _pareto(entries: list[_Entry]) -> tuple[_Entry, ...]:
    """The entries no other beats or equals in neurons, nonzero params and error at once
    (construct ranks by error, then nonzero params; the issue's goal counts neurons)."""
    out: list[_Entry] = []
    for e in sorted(entries, key=lambda e: (e.neurons, e.nonzero, e.error, e.depth)):
        if not any(f.nonzero <= e.nonzero and f.error <= e.error for f in out):
            out.append(e)
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def _entries(n: int, depth: int) -> tuple[_Entry, ...]:
    """``T_n``'s own plans in at most ``depth`` layers and the compositions of its factors'
    fronts, before the front is taken."""
    entries = [e for e in _own_entries(n) if e.depth <= depth]
    for a in range(2, n if depth >= 2 else 2):
        if n % a:
            continue
        for outer in _near(a, depth - 1):
            for inner in _near(n // a, depth - outer.depth):
                entries.append(_Entry(outer.neurons + inner.neurons,
                                      outer.nonzero + inner.nonzero, outer.depth + inner.depth,
                                      outer.error + outer.gain * inner.error,
                                      outer.factors + inner.factors, parts=(outer, inner),
                                      gain=outer.gain * inner.gain))
    return tuple(entries)


@functools.lru_cache(maxsize=4096)
def chebyshev_front(n: int, depth: int | None = None) -> tuple[_Entry, ...]:
    """The plans of ``T_n`` in at most ``depth`` layers (default ``⌈log2 n⌉ + 1``) that no
    other beats in neurons, nonzero params and float64 error at once, fewest neurons first.

    >>> [(e.neurons, e.factors) for e in chebyshev_front(64)][:1]
    [(6, ((2, 'monomials'), (2, 'monomials'), (2, 'monomials'), (2, 'monomials'), \
(2, 'monomials'), (2, 'monomials')))]
    """
    return _pareto(list(_entries(n, level(n) + 1 if depth is None else depth)))


# Beside the front, construct proves the bounds of this many more plans of T_n, those of the
# smallest estimated errors, and compositions are built from them too: the estimate is off
# by up to about 2x either way, so the plan with the smallest proved bound need not be in the
# front (T_66 = T_33∘T_2, T_33 by the doubling recurrence, proved 8.5e-13, is estimated at
# 1.5e-12, above T_11∘T_6's 9.4e-13, proved 1.1e-12; and T_33's doubling recurrence is not
# in T_33's front).
SPARE_PLANS = 4


@functools.lru_cache(maxsize=4096)
def _near(n: int, depth: int) -> tuple[_Entry, ...]:
    """The front of ``T_n`` in at most ``depth`` layers, and the :data:`SPARE_PLANS` other
    plans with the smallest estimated float64 errors (one of those alike in every count and
    error: the same plan reached by other factor chains, ``T_3`` searched or expanded)."""
    front = chebyshev_front(n, depth)

    def alike(e: _Entry) -> tuple:
        return e.neurons, e.nonzero, e.depth, e.error

    seen = {alike(e) for e in front}
    spares: list[_Entry] = []
    for e in sorted(_entries(n, depth), key=lambda e: (e.error, e.nonzero, e.neurons)):
        if len(spares) == SPARE_PLANS:
            break
        if alike(e) not in seen:
            seen.add(alike(e))
            spares.append(e)
    return front + tuple(spares)


def _chebyshev(terms: Terms) -> list[Candidate]:
    """``c·T_n + d``: the plans of the front (:func:`chebyshev_front`) and the spare plans of
    the smallest estimated errors (:func:`_near`), and the fewest-neuron plan under each
    index search (:data:`SEARCHES`) without and with the one product, and the stable one,
    those that differ (the front ranks compositions by an estimated error; construct proves
    each candidate's bound, prefers a small one, then the fewest nonzero params)."""
    found = chebyshev_index(terms)
    if found is None:
        return []
    n, c, d = found
    out = [Candidate(e.words(), e.plan()) for e in _near(n, level(n) + 1)]
    for stable, search, how in (
            (False, "below", "the doubling recurrence and the index search"),
            (False, "output", "the doubling recurrence and the index search (defects "
                              "subtracted in the same layer)"),
            (False, "none", "the doubling recurrence"),
            (True, "none", "the doubling recurrence (values in [-1, 1] throughout)")):
        # Without the one product first: a plan it does not change keeps the shorter name.
        for product in (False, True) if not stable else (False,):
            plan = chebyshev_plan(n, stable=stable, search=search, product=product)
            if plan is not None and all(plan != other.plan for other in out):
                also = (", T_5, T_7 and T_11 as one product, T_17 through the third kind"
                        if product else "")
                out.append(Candidate(f"Chebyshev T_{n}: compositions T_a∘T_b{also} and {how}",
                                     plan))
    return [replace(candidate, plan=_scaled(candidate.plan, c, d)) for candidate in out]


# -- powers of a base -------------------------------------------------------------------------

def _bases(expr: sympy.Expr) -> list[sympy.Expr]:
    """The sums ``B`` raised to a power ``B**k`` (k >= 2) in the expression, largest first."""
    found: dict[sympy.Expr, int] = {}
    for sub in sympy.preorder_traversal(expr):
        if sub.is_Pow and sub.base.is_Add and sub.exp.is_Integer and sub.exp >= 2:
            found[sub.base] = max(found.get(sub.base, 0), int(sub.exp))
    return sorted(found, key=lambda b: -found[b])[:_MAX_BASES]


def _powers(expr: sympy.Expr, names: Sequence[str], terms: Terms,
            expand: Callable[[sympy.Expr], Terms]) -> list[Candidate]:
    """``p = g(B)`` for a base ``B`` of a power in the expression: when replacing ``B`` by a
    variable leaves a polynomial ``g`` of that variable alone (replacing it back gives the
    expression itself, so ``g(B)`` is the target), or else when :func:`_outer` finds ``g``
    from the target's terms. One candidate per plan of ``g``, named in its description."""
    out = []
    y = sympy.Dummy("y")
    for base, base_terms, g_poly in _outers(expr, terms, expand, y):
        g = g_poly.as_expr()
        outer_terms = _terms_of(g_poly)
        # Each outer plan says how it builds g: construct weighs the float bounds of plans
        # of different descriptions only (T_101((x + 2y)/3) through monomials of B is off by
        # 6.6e18 in float64, through the Chebyshev recurrence by 1e-12).
        outers = [(_first_words(c.description), c.plan)
                  for c in _univariate_candidates(outer_terms)] + \
            [("monomials", plan) for plan in _univariate_plans(outer_terms)]
        # The base is named B in the text: y may be one of the target's own inputs.
        where = f"g(B) = {g.xreplace({y: sympy.Symbol('B')})} with B = {base}"
        affine = _affine(base_terms, len(names))
        if affine is not None:
            out += [Candidate(f"powers of one affine form (g: {how}): {where}"[:200],
                              substitute(outer, affine=affine, n_inputs=len(names)))
                    for how, outer in outers]
            continue
        inners = [c.plan for c in plans_for(base, names, base_terms, expand)[:2]] + \
            lean_plans(len(names), base_terms, lambda m: 1)[:1]
        out += [Candidate(f"composition (g: {how}): {where}"[:200], substitute(outer, inner))
                for how, outer in outers for inner in inners]
    return out


def _outers(expr: sympy.Expr, terms: Terms, expand: Callable[[sympy.Expr], Terms],
            y: sympy.Symbol) -> Iterator[tuple[sympy.Expr, Terms, sympy.Poly]]:
    """Each base ``B`` of a power in the expression with its terms and the polynomial ``g``
    (of degree >= 2, rational coefficients, in ``y``) with ``p = g(B)``."""
    for base in _bases(expr):
        base_terms = expand(base)
        g = expr.xreplace({base: y})
        try:
            g_poly = sympy.Poly(g, y) if g.free_symbols == {y} else \
                _outer(terms, base, base_terms, expand, y)
        except sympy.PolynomialError:
            continue
        if g_poly is not None and g_poly.degree() >= 2 and (g_poly.domain.is_QQ or
                                                            g_poly.domain.is_ZZ):
            yield base, base_terms, g_poly


def affine_outers(expr: sympy.Expr, names: Sequence[str], terms: Terms,
                  expand: Callable[[sympy.Expr], Terms]
                  ) -> list[tuple[sympy.Expr, Affine, sympy.Expr]]:
    """``(g, (Σ c_i·x_i, b), B)`` for each affine base ``B`` with ``p = g(B)``; ``g`` is a
    polynomial in the symbol ``y``."""
    # Found with a dummy: y may be one of the target's own inputs, and replacing B by it
    # would leave a "polynomial in y" that is none of B.
    dummy, y = sympy.Dummy("y"), sympy.Symbol("y")
    out = []
    for base, base_terms, g_poly in _outers(expr, terms, expand, dummy):
        affine = _affine(base_terms, len(names))
        if affine is not None:
            out.append((g_poly.as_expr().xreplace({dummy: y}), affine, base))
    return out


def _first_words(description: str) -> str:
    """A plan's description up to its first colon (``Chebyshev T_101``, ``odd``)."""
    return description.split(":")[0][:60]


def _outer(terms: Terms, base: sympy.Expr, base_terms: Terms,
           expand: Callable[[sympy.Expr], Terms], y: sympy.Symbol) -> sympy.Poly | None:
    """The polynomial ``g`` with ``p = g(B)`` (``p``'s ``terms``, ``B`` = ``base``), or None.

    Where the expression does not show it (sympy distributes ``17·(x + y)``, the linear
    term of ``T_17(x + y)``, into ``17·x + 17·y``): ``g`` is interpolated from ``p``'s
    values at ``deg g + 1`` points on a line where ``B``'s values differ, and kept only if
    ``g(B)`` expanded is ``p`` exactly.
    """
    degree, inner = max(map(sum, terms)), max(map(sum, base_terms))
    if inner < 1 or degree % inner or degree // inner > MAX_DECOMPOSED:
        return None
    wanted, n = degree // inner + 1, len(next(iter(terms)))
    # The check expands g(B): no more terms than B's powers have (from B's nonconstant terms)
    # or than there are monomials of the degree in B's variables. Where that is far more than
    # the target has, g(B) is not the target (its top terms would be there), and the
    # expansion could be huge ((x + y + z + w)**2 + x**256: 2.9 million terms).
    nonconstant = sum(1 for m in base_terms if any(m))
    used = sum(1 for k in range(n) if any(m[k] for m in base_terms))
    if min(math.comb(wanted - 1 + nonconstant, nonconstant),
           math.comb(degree + used, used)) > 8 * len(terms) + 1000:
        return None
    for direction in ([1] * n, list(range(1, n + 1)), [3 ** k for k in range(n)]):
        # On the line s·direction both are polynomials in s: one pass over the terms each.
        on_base, on_target = _on_line(base_terms, direction), _on_line(terms, direction)
        values: dict[Fraction, Fraction] = {}
        for s in range(wanted * inner + 1):  # B takes each value at most deg B times
            values.setdefault(_horner(on_base, s), _horner(on_target, s))
            if len(values) == wanted:
                break
        if len(values) == wanted:
            break
    else:
        return None
    coefficients = _interpolated(list(values.items()))
    composed = sympy.Add(*(sympy.Rational(c.numerator, c.denominator) * base ** k
                           for k, c in enumerate(coefficients) if c))
    if expand(composed) != {m: c for m, c in terms.items() if c}:
        return None
    return sympy.Poly([sympy.Rational(c.numerator, c.denominator)
                       for c in reversed(coefficients)], y, domain="QQ")


def _interpolated(points: list[tuple[Fraction, Fraction]]) -> list[Fraction]:
    """The coefficients (low to high) of the polynomial of degree < len(points) through them
    (Newton's divided differences, exactly; sympy.interpolate expands symbolically, minutes
    at degree 101).

    >>> [str(c) for c in _interpolated([(Fraction(0), Fraction(1)), (Fraction(1), Fraction(2)),
    ...                                 (Fraction(2), Fraction(5))])]       # 1 + x²
    ['1', '0', '1']
    """
    xs, differences = [x for x, _ in points], [v for _, v in points]
    for j in range(1, len(points)):
        for i in range(len(points) - 1, j - 1, -1):
            differences[i] = (differences[i] - differences[i - 1]) / (xs[i] - xs[i - j])
    out = [differences[-1]]
    for i in range(len(points) - 2, -1, -1):  # out·(y − x_i) + d_i
        out = [differences[i] - xs[i] * out[0]] + [
            out[k - 1] - xs[i] * out[k] for k in range(1, len(out))] + [out[-1]]
    return out


def _on_line(terms: Terms, direction: Sequence[int]) -> list[Fraction]:
    """The coefficients (low to high) of ``p(s·direction)`` as a polynomial in ``s``."""
    out = [Fraction(0)] * (max(map(sum, terms)) + 1)
    for monomial, c in terms.items():
        out[sum(monomial)] += c * math.prod(d ** e for d, e in zip(direction, monomial))
    return out


def _horner(coefficients: Sequence[Fraction], s: int) -> Fraction:
    total = Fraction(0)
    for c in reversed(coefficients):
        total = total * s + c
    return total


def _univariate_candidates(terms: Terms) -> list[Candidate]:
    """Structured plans of a polynomial in one variable (exponent tuples of length 1)."""
    if not terms:
        return []
    x = sympy.Symbol("x")
    expr = sum(sympy.Rational(c.numerator, c.denominator) * x**m[0] for m, c in terms.items())
    return _chebyshev(terms) + _decompositions(expr, ("x",), terms)


def plans_for(expr: sympy.Expr, names: Sequence[str], terms: Terms,
              expand: Callable[[sympy.Expr], Terms]) -> list[Candidate]:
    """Every structured plan found for the target (``expand`` gives a sub-expression's
    terms in the target's variables); none when it has no structure found here.

    >>> import sympy
    >>> x = sympy.Symbol("x")
    >>> [c.description for c in plans_for(sympy.chebyshevt(8, x), ["x"], {
    ...     (8,): Fraction(128), (6,): Fraction(-256), (4,): Fraction(160),
    ...     (2,): Fraction(-32), (0,): Fraction(1)}, None)][0]
    'Chebyshev T_8 = T_2∘T_2∘T_2 (T_2: monomials)'
    """
    if not terms or max(sum(m) for m in terms) < 2:
        return []
    out = _chebyshev(terms) if len(names) == 1 else []
    if len(names) == 1:
        out += [Candidate("odd: x·q(x²)", plan) for plan in odd_plans(terms)]
        out += [Candidate(f"{SPLIT_PLAN} ({words})", plan)
                for words, plan in split_plans(terms)]
    out += _decompositions(expr, names, terms)
    if expand is not None:
        out += _powers(expr, names, terms, expand)
    return out
