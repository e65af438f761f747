"""``construct``: an exact quadratic network for any polynomial with rational coefficients.

A quadratic neuron computes a product of two affine forms plus squares (Fan, Dong, Wu et
al., "One Neuron Saved Is One Neuron Earned", 2023), so a polynomial costs a number of
parameters independent of any accuracy: no ε, unlike ReLU networks' O(log 1/ε) per product
(Yarotsky 2017, arXiv:1610.01145). The target is read as a sparse exact polynomial (never
``sympy.expand``); :mod:`._monomials` plans which products to compute, shared, in
``⌈log2 d⌉ + 1`` layers at most; :mod:`._realize` chooses the exact weights and the relu
shifts (or, on R^n, splits ``z = relu(z) - relu(-z)``); the network is verified
(:func:`quadtheory.verify`) before it is returned.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import sympy

from ..core.compose import all_quadratic as to_all_quadratic
from ..core.domain import Box, parse_domain
from ..core.layers import ACTIVATIONS
from ..core.network import Network
from ..errors import QuadTheoryError
from ..exact.intervals import Interval
from ..exact.polyring import PolynomialRing
from .monomials import Monomial, lean_plans, naive_plan
from .realize import Unrealizable, monomial_range, realize

# An upper bound on the terms of the expanded target, checked before expanding anything:
# bad input must cost nothing (``(x+y+z+w)**1000`` would have 1.7e11 terms).
MAX_TERMS = 100_000
_HINT = ("construct builds exact networks for polynomials; for a function of ||x - c|| use "
         "radial (quadtheory radial G --dim D), otherwise ask for an ε-approximation "
         "(--family relu --eps E)")


def target_expression(expr: object, variables: Sequence[str] | None
                      ) -> tuple[sympy.Expr, tuple[str, ...]]:
    """The target as sympy, parsed safely, and its variables (default: sorted free symbols).

    >>> target_expression("x*y + z/2", None)
    (x*y + z/2, ('x', 'y', 'z'))
    >>> target_expression("x*y", ["y", "x", "t"])[1]
    ('y', 'x', 't')
    """
    from ..exact.parse import parse_expression

    if variables is not None:
        if isinstance(variables, str) or not isinstance(variables, Sequence):
            raise QuadTheoryError(f"variables: expected a list of names like ['x', 'y'], "
                                  f"found {variables!r:.80}")
        variables = tuple(variables)
    if isinstance(expr, str):
        expression = parse_expression(expr, variables)
    elif isinstance(expr, sympy.Basic):
        expression = expr
    elif isinstance(expr, int | Fraction) and not isinstance(expr, bool):
        value = Fraction(expr)
        expression = sympy.Rational(value.numerator, value.denominator)
    else:
        raise QuadTheoryError(f"target: expected a polynomial (a string such as 'x*y + 1' or "
                              f"a sympy expression), found {expr!r:.80}")
    names = sorted(str(s) for s in expression.free_symbols)
    if variables is None:
        return expression, tuple(names)
    missing = [name for name in names if name not in variables]
    if missing:
        raise QuadTheoryError(f"target: variable {missing[0]!r} is not among the variables "
                              f"{', '.join(variables) or '(none)'}; add it to variables "
                              f"(--vars)")
    return expression, variables


def _offending(e: sympy.Basic, names: Sequence[str]) -> sympy.Basic | None:
    """The first subterm that is not a polynomial with rational coefficients, if any."""
    stack = [e]
    while stack:
        e = stack.pop()
        if e.is_Rational or (e.is_Symbol and str(e) in names):
            continue
        if e.is_Add or e.is_Mul:
            stack.extend(reversed(e.args))
        elif e.is_Pow and e.exp.is_Integer and e.exp >= 0:
            stack.append(e.base)
        else:
            return e
    return None


def _size_bound(e: sympy.Basic) -> tuple[int, int]:
    """Upper bounds on the number of terms and on the degree of ``e`` expanded (terms
    capped above MAX_TERMS), computed without expanding."""
    if e.is_Add or e.is_Mul:
        parts = [_size_bound(a) for a in e.args]
        if e.is_Add:
            return min(sum(t for t, _ in parts), MAX_TERMS + 1), max(d for _, d in parts)
        return min(math.prod(t for t, _ in parts), MAX_TERMS + 1), sum(d for _, d in parts)
    if e.is_Pow:
        (base, degree), k = _size_bound(e.base), int(e.exp)
        terms = MAX_TERMS + 1 if k > 0 and base > 1 and k * math.log(base) > 60 else min(
            math.comb(base + k - 1, k), MAX_TERMS + 1)
        return terms, degree * k
    return 1, int(e.is_Symbol)


def polynomial_terms(expression: sympy.Expr, names: Sequence[str], backend: str = "auto"
                     ) -> dict[Monomial, Fraction]:
    """The target's exact terms, exponents -> coefficient, by sparse arithmetic.

    >>> import sympy
    >>> x, y = sympy.symbols("x y")
    >>> polynomial_terms((x + y) ** 2 - y**2, ["x", "y"], "sympy")
    {(1, 1): Fraction(2, 1), (2, 0): Fraction(1, 1)}
    """
    bad = _offending(expression, names)
    if bad is not None:
        raise QuadTheoryError(f"target {_short(expression)} is not a polynomial with rational "
                              f"coefficients: {_short(bad)} is not; {_HINT}")
    terms, degree = _size_bound(expression)
    # The monomials of degree <= D in n variables bound the terms too: (1 + x)**1000 is fine.
    if min(terms, math.comb(len(names) + degree, degree)) > MAX_TERMS:
        raise QuadTheoryError(f"target {_short(expression)} may expand to more than "
                              f"{MAX_TERMS} terms (bounded before expanding); expected a "
                              f"smaller polynomial")
    ring = PolynomialRing(names, backend)
    return dict(sorted(ring.terms(ring.from_sympy(expression))))


def _short(e: object, limit: int = 80) -> str:
    text = str(e)
    return repr(text if len(text) <= limit else text[:limit - 3] + "...")


def _shift_cost(box: Box | None, activation: str, ranges: dict[Monomial, Interval]):
    """What passing a monomial's value through relu costs the planner, in weights: 0 if it
    has one sign on the box, 1 if it needs a shift (a bias), 2 if it is unbounded both ways
    (a split: a second neuron, read by a second weight)."""
    if activation == "identity":
        return lambda m: 0
    if box is None:
        return lambda m: 0 if all(e % 2 == 0 for e in m) else 2
    intervals = [Interval(lo, hi) for lo, hi in box]
    costs: dict[Monomial, int] = {}

    def cost(m: Monomial) -> int:
        if m not in costs:
            rng = monomial_range(m, intervals, ranges)
            costs[m] = int(rng.lo < 0 < rng.hi)
        return costs[m]

    return cost


def _networks(terms: dict[Monomial, Fraction], names: tuple[str, ...], box: Box | None,
              activation: str, naive: bool) -> tuple[Network, Network | None]:
    """The lean network (the smallest lean plan no larger than the baseline) and the
    baseline (``None`` when only the baseline was asked for and it cannot be realized)."""
    intervals = None if box is None else [Interval(lo, hi) for lo, hi in box]
    n = len(names)
    ranges: dict[Monomial, Interval] = {}  # each monomial's exact range, computed once
    plans = [naive_plan(n, terms)] + ([] if naive else lean_plans(
        n, terms, _shift_cost(box, activation, ranges)))
    built: list[Network | None] = []
    reasons = []
    for plan in plans:
        try:
            built.append(Network(names, realize(plan, intervals, activation, ranges), box))
        except Unrealizable as why:
            built.append(None)
            reasons.append(str(why))
    baseline, lean = built[0], [net for net in built[1:] if net is not None]
    if naive:
        lean = [baseline] if baseline is not None else []
    if not lean:
        raise QuadTheoryError(f"construct: no exact network: {reasons[-1]}")
    if baseline is not None:
        # A safety net: no lean plan is expected to exceed the baseline (tests check).
        lean = [net for net in lean if net.params.dense <= baseline.params.dense
                and net.params.nonzero <= baseline.params.nonzero] or [
            baseline.with_meta(construction="naive (no lean plan was smaller)")]
    best = min(lean, key=lambda net: (net.params.nonzero, net.params.dense, net.depth))
    return best, baseline


def construct(expr: Any, variables: Sequence[str] | None = None, domain: Any = None,
              activation: str = "relu", *, all_quadratic: bool = False, verify: bool = True,
              naive: bool = False, backend: str = "auto") -> Network:
    """An exact quadratic network for a polynomial, lean (shared products), verified.

    >>> net = construct("x*y + x**2", domain=(0, 1))   # one neuron: (x)(y) + x² via w_b
    >>> net.exact({"x": "1/2", "y": 3}), net.depth, net.widths
    ((Fraction(7, 4),), 1, (1,))
    >>> net.meta["params"], net.meta["naive_params"], net.meta["certificate"]["level"]
    ({'dense': 9, 'nonzero': 3}, {'dense': 21, 'nonzero': 5}, 'symbolic proof')
    >>> construct("(1 + x + y)**4").widths   # depth ⌈log2 4⌉ + 1, relu on [-1, 1]²
    (5, 7, 1)

    ``expr``: a string (parsed without eval) or sympy expression; ``variables`` default to
    its sorted free symbols; ``domain``: ``None`` ([-1, 1] each), a pair for all, a list of
    pairs, a mapping name -> pair, or ``"all"`` (R^n: relu then passes a value of both
    signs as ``relu(z) - relu(-z)``).
    ``activation``: ``"relu"`` (hidden relu, output identity) or ``"identity"``.
    ``all_quadratic``: count every conventional layer as degenerate quadratic neurons.
    ``naive``: return the baseline (each monomial its own product tree) instead.
    """
    if activation not in ACTIVATIONS:
        raise QuadTheoryError(f"activation: expected one of {', '.join(ACTIVATIONS)}, "
                              f"found {activation!r}")
    expression, names = target_expression(expr, variables)
    box = parse_domain(domain, names)
    terms = polynomial_terms(expression, names, backend)
    network, baseline = _networks(terms, names, box, activation, naive)
    if all_quadratic:
        network = to_all_quadratic(network)
        baseline = None if baseline is None else to_all_quadratic(baseline)
    target = expr if isinstance(expr, str) else str(expression)
    meta: dict[str, Any] = {
        "target": target, "family": "quadratic",
        "construction": "naive" if naive else network.meta.get("construction", "lean"),
        "activation": activation, "all_quadratic": all_quadratic,
        "params": network.params.as_dict(), "depth": network.depth,
        "widths": list(network.widths),
        "naive_params": None if baseline is None else baseline.params.as_dict(),
        "naive_depth": None if baseline is None else baseline.depth,
        "naive_widths": None if baseline is None else list(baseline.widths),
        "certified_error": None, "certificate": None,
    }
    if verify:
        from ..exact.verify import verify as prove

        certificate = prove(network, expression, backend=backend)
        if not certificate.holds:
            raise QuadTheoryError(f"construct: the certificate of {_short(target)} fails "
                                  f"(a bug in quadtheory, please report it): {certificate}")
        meta.update(certified_error="0", certificate=certificate.as_dict())
    return network.with_meta(**meta)
