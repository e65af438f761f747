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

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ..core.compose import all_quadratic as to_all_quadratic
from ..core.domain import Box, parse_domain
from ..core.layers import ACTIVATIONS
from ..core.network import Network
from ..errors import InternalError, QuadTheoryError
from ..exact.construction import Baseline, Construction
from ..exact.intervals import Interval
from ..exact.targets import polynomial_terms, short_text, target_expression
from ..exact.verify import verify as prove
from .monomials import Monomial, lean_plans, naive_plan
from .realize import Unrealizable, monomial_range, realize


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
              naive: bool = False, backend: str = "auto") -> Construction:
    """An exact quadratic network for a polynomial, lean (shared products), verified.

    >>> net = construct("x*y + x**2", domain=(0, 1))   # one neuron: (x)(y) + x² via w_b
    >>> net.exact({"x": "1/2", "y": 3}), net.depth, net.widths
    ((Fraction(7, 4),), 1, (1,))
    >>> net.params, net.baseline.params, net.certificate.level
    (ParamCounts(dense=9, nonzero=3), ParamCounts(dense=21, nonzero=5), 'symbolic proof')
    >>> net.meta["params"], net.meta["naive_params"]         # the network file's meta
    ({'dense': 9, 'nonzero': 3}, {'dense': 21, 'nonzero': 5})
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
    method = "naive" if naive else network.meta.get("construction", "lean")
    details: dict[str, Any] = {"construction": method, "activation": activation,
                               "all_quadratic": all_quadratic}
    if baseline is None:
        details.update(naive_params=None, naive_depth=None, naive_widths=None)
    certificate = None
    if verify:
        certificate = prove(network, expression, backend=backend)
        if not certificate.holds:
            raise InternalError(f"construct: the certificate of {short_text(target)} fails: "
                                f"{certificate}")
    return Construction(
        network, target, "quadratic", box,
        Fraction(0) if verify else None, certificate, method=method,
        baseline=None if baseline is None else Baseline(
            baseline.params, baseline.depth, baseline.widths,
            "each monomial its own product tree, nothing shared"),
        details=details)
