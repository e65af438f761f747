"""Polynomials as plans of ReLU squares and products (Yarotsky 2017, arXiv:1610.01145).

A plan (:class:`._relu_products.Plan`) lists the approximate squares and products a
polynomial needs: the degree-2 part diagonalised exactly by Lagrange's reduction (``n``
squares at most, the linear part absorbed by shifting them), and each monomial of degree
``≥ 3`` a balanced product tree whose sub-monomials are shared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from ..errors import InternalError
from ..exact.intervals import Interval
from .products import Lin, Node, Plan

ZERO, ONE = Fraction(0), Fraction(1)
Exps = tuple[int, ...]
Form = dict[int, Fraction]  # a linear form over the variables, by index


Square = tuple[Fraction, Form, int]  # d, ℓ and the pivot variable of d·(ℓ·x)²


def diagonalize(quadratic: Mapping[tuple[int, int], Fraction]) -> list[Square]:
    """``Σ_{i≤j} q_ij x_i x_j = Σ_k d_k (ℓ_k·x)²`` exactly (Lagrange's reduction: a diagonal
    pivot when there is one, else a pair ``2a·x_i·x_j`` split as a difference of squares).
    Each square has a pivot variable that later squares do not involve.

    >>> for d, form, pivot in diagonalize({(0, 1): Fraction(1)}):   # xy
    ...     print(d, {i: str(v) for i, v in sorted(form.items())}, pivot)
    1 {0: '1/2', 1: '1/2'} 0
    -1 {0: '-1/2', 1: '1/2'} 1
    """
    a: dict[tuple[int, int], Fraction] = {}
    for (i, j), q in quadratic.items():
        if q:
            if i == j:
                a[i, i] = a.get((i, i), ZERO) + q
            else:
                a[i, j] = a.get((i, j), ZERO) + q / 2
                a[j, i] = a.get((j, i), ZERO) + q / 2
    out: list[Square] = []

    def row(i: int) -> Form:
        return {j: v for (r, j), v in a.items() if r == i and v}

    def subtract(d: Fraction, form: Form) -> None:
        for i, u in form.items():
            for j, v in form.items():
                value = a.get((i, j), ZERO) - d * u * v
                if value:
                    a[i, j] = value
                else:
                    a.pop((i, j), None)

    while a:
        diagonal = sorted(i for (i, j), v in a.items() if i == j and v)
        if diagonal:
            i = diagonal[0]
            d = a[i, i]
            form = {j: v / d for j, v in row(i).items()}
            out.append((d, form, i))
            subtract(d, form)
            continue
        i, j = min(a)
        pivot = a[i, j]
        ri, rj = row(i), row(j)
        for sign, p in ((1, i), (-1, j)):
            form = {k: ri.get(k, ZERO) + sign * rj.get(k, ZERO) for k in ri.keys() | rj.keys()}
            form = {k: v for k, v in form.items() if v}
            out.append((sign / (2 * pivot), form, p))
        for d, form, _ in out[-2:]:
            subtract(d, form)
    return out


def _solve(rows: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """The exact solution of a square linear system, or None if it is singular."""
    n = len(rows)
    m = [[*r, b] for r, b in zip(rows, rhs, strict=True)]
    for c in range(n):
        p = next((r for r in range(c, n) if m[r][c]), None)
        if p is None:
            return None
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c and m[r][c]:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c], strict=True)]
    return [m[r][n] / m[r][r] for r in range(n)]


def _absorb(squares: list[Square], linear: dict[int, Fraction]
            ) -> tuple[list[Fraction], dict[int, Fraction]]:
    """Shifts ``β_k`` with ``Σ 2 d_k β_k ℓ_k = linear`` on the squares' pivot variables
    (``d(ℓx + β)² = dℓ²x² + 2dβ ℓx + dβ²``), and the linear part left over (on variables
    that are no pivot). The system is block-triangular with invertible blocks."""
    if not squares:
        return [], dict(linear)
    rows = [[2 * d * form.get(p, ZERO) for d, form, _ in squares] for _, _, p in squares]
    beta = _solve(rows, [linear.get(p, ZERO) for _, _, p in squares])
    if beta is None:
        raise InternalError("the pivots of Lagrange's reduction gave a singular system")
    left = dict(linear)
    for (d, form, _), b in zip(squares, beta, strict=True):
        for i, v in form.items():
            left[i] = left.get(i, ZERO) - 2 * d * b * v
    return beta, {i: v for i, v in left.items() if v}


def halves(e: Exps) -> tuple[Exps, Exps]:
    """A balanced split of a monomial: ``e = e1 + e2`` with ``deg e1 = ⌊deg e / 2⌋``."""
    first = [k // 2 for k in e]
    need = sum(e) // 2 - sum(first)
    for i, k in enumerate(e):
        if need and k % 2:
            first[i] += 1
            need -= 1
    e1 = tuple(first)
    return e1, tuple(k - h for k, h in zip(e, e1, strict=True))


def add_polynomial(plan: Plan, terms: Mapping[Exps, Fraction], bases: Sequence[str],
                   ranges: Sequence[Interval]) -> None:
    """Append the nodes of ``Σ c_e·base^e`` to ``plan`` and set its output.

    ``bases`` are keys of the plan (inputs or earlier nodes), ``ranges`` the exact ranges of
    their values, independent of each other (so a monomial's range is exact).

    >>> from quadtheory._src.conventional.products import Base
    >>> from quadtheory._src.conventional.yarotsky import Value
    >>> unit = Interval(ZERO, ONE)
    >>> plan = Plan({"x": Base(Value(0, ((0, ONE),)), unit)})
    >>> add_polynomial(plan, {(3,): ONE, (1,): Fraction(2)}, ["x"], [unit])   # x³ + 2x
    >>> [(n.key, n.kind, n.a, n.b) for n in plan.nodes]
    [('m0', 'square', '', ''), ('m1', 'product', 'x', 'm0')]
    >>> plan.output
    (('m1', Fraction(1, 1)), ('x', Fraction(2, 1)))
    """
    cache: dict[Exps, str] = {}

    def monomial_range(e: Exps) -> Interval:
        out = Interval.point(ONE)
        for k, r in zip(e, ranges, strict=True):
            out = out * r.power(k)
        return out

    def node_for(e: Exps) -> str:
        if sum(e) == 1:
            return bases[e.index(1)]
        if e not in cache:
            e1, e2 = halves(e)
            if all(k % 2 == 0 for k in e) or e1 == e2:
                half = node_for(tuple(k // 2 for k in e))
                node = Node(f"m{len(plan.nodes)}", "square", ((half, ONE),),
                            exact=monomial_range(e))
            else:
                a, b = node_for(e1), node_for(e2)  # children first: keys follow the order
                node = Node(f"m{len(plan.nodes)}", "product", a=a, b=b, exact=monomial_range(e))
            plan.nodes.append(node)
            cache[e] = node.key
        return cache[e]

    output: dict[str, Fraction] = {}
    const = ZERO
    linear: dict[int, Fraction] = {}
    for e, c in sorted(terms.items(), key=lambda t: -sum(t[0])):
        degree = sum(e)
        if degree >= 3:
            key = node_for(e)
            output[key] = output.get(key, ZERO) + c
        elif degree == 1:
            linear[e.index(1)] = linear.get(e.index(1), ZERO) + c
        elif degree == 0:
            const += c
    quadratic: dict[tuple[int, int], Fraction] = {}
    for e, c in terms.items():
        if sum(e) == 2:
            if e in cache:  # already built as a sub-monomial
                output[cache[e]] = output.get(cache[e], ZERO) + c
            else:
                i, j = (k for k, p in enumerate(e) for _ in range(p))
                quadratic[i, j] = quadratic.get((i, j), ZERO) + c
    squares = diagonalize(quadratic)
    beta, leftover = _absorb(squares, linear)
    for (d, form, _), b in zip(squares, beta, strict=True):
        arg: Lin = tuple((bases[i], v) for i, v in sorted(form.items()))
        node = Node(f"q{len(plan.nodes)}", "square", arg, b)
        plan.nodes.append(node)
        output[node.key] = output.get(node.key, ZERO) + d
        const -= d * b * b
    for i, v in leftover.items():
        output[bases[i]] = output.get(bases[i], ZERO) + v
    plan.output = tuple((k, v) for k, v in output.items() if v)
    plan.const = const
