"""``construct``: an exact quadratic network for any polynomial with rational coefficients.

A quadratic neuron computes a product of two affine forms plus squares (Fan, Dong, Wu et
al., "One Neuron Saved Is One Neuron Earned", 2023), so a polynomial costs a number of
parameters independent of any accuracy: no ε, unlike ReLU networks' O(log 1/ε) per product
(Yarotsky 2017, arXiv:1610.01145). The target is read as a sparse exact polynomial (never
``sympy.expand``). Candidate plans: the structure found in the target before expanding
(:mod:`.structure`: compositions, powers of a base, Chebyshev polynomials), and the expanded
polynomial's shared monomial products (:mod:`.monomials`, in ``⌈log2 d⌉ + 1`` layers at
most), planned only when they can win. Every candidate is counted from its exact rows
(:mod:`.realize`), the fewest nonzero params wins (``meta["plan"]`` says which), the baseline
(each monomial its own tree) is counted without being built, plans estimated above
``max_params`` are refused before any weight is computed, and the network is verified
(:func:`quadtheory.verify`) before it is returned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from ..core import limits
from ..core.compose import all_quadratic as to_all_quadratic
from ..core.compose import of_affine_form
from ..core.domain import Box, parse_domain
from ..core.evaluate import WARN_RELATIVE
from ..core.layers import ACTIVATIONS
from ..core.limits import one_of
from ..core.network import Network
from ..core.numbers import fast, slow
from ..errors import InternalError, QuadTheoryError
from ..exact.construction import Baseline, Construction
from ..exact.polynomial import network_polynomials
from ..exact.polyring import PolynomialRing
from ..exact.ranges import Range
from ..exact.ranges import affine as affine_range
from ..exact.rounding import (
    REFINE_RELATIVE,
    REFINE_WITHIN,
    FloatError,
    end_pieces,
    float_error,
    side_bounds,
    wants_hidden,
)
from ..exact.targets import (
    check_target_size,
    polynomial_terms,
    short_text,
    target_expression,
    target_text,
)
from ..exact.verify import verify as prove
from .fewest import indecomposable, neurons_at_least
from .monomials import Monomial, Plan, estimated_params, lean_plans, level, naive_plan
from .realize import (
    PlanCounts,
    Realized,
    Unrealizable,
    count_naive,
    monomial_range,
    realize_rows,
)
from .splits import SPLIT_PLAN
from .structure import Candidate, affine_outers, plans_for


def _shift_cost(box: Box | None, activation: str, ranges: dict[Monomial, Range]):
    """What passing a monomial's value through relu costs the planner, in weights: 0 if it
    has one sign on the box, 1 if it needs a shift (a bias), 2 if it is unbounded both ways
    (a split: a second neuron, read by a second weight)."""
    if activation == "identity":
        return lambda m: 0
    if box is None:
        return lambda m: 0 if all(e % 2 == 0 for e in m) else 2
    intervals = [(fast(lo), fast(hi)) for lo, hi in box]
    costs: dict[Monomial, int] = {}

    def cost(m: Monomial) -> int:
        if m not in costs:
            lo, hi = monomial_range(m, intervals, ranges)
            costs[m] = int(lo.numerator < 0 < hi.numerator)
        return costs[m]

    return cost


# The largest plan construct builds unless asked for more (nonzero params, estimated from the
# plan before any weight is computed): the cost of building and proving grows with it.
MAX_PARAMS = 1_000_000
# What construct minimizes within the best float tier (:data:`FLOAT_TIERS`): nonzero params
# (the count approximation theory uses; the default), or neurons (the paper's count: "one
# neuron saved"), each with the other counts breaking ties.
OBJECTIVES = ("params", "neurons")
EXPANDED = "expanded: shared monomial products"
NAIVE = "naive: each monomial its own product tree"


@dataclass(frozen=True)
class _Choice:
    """A realized candidate plan, what it is, its counts, and the plan."""

    description: str
    realized: Realized
    counts: PlanCounts
    plan: Plan | None = None


def _depth_bound(terms: dict[Monomial, Fraction]) -> int:
    degree = max((sum(m) for m in terms), default=0)
    return level(degree) + 1


def _structured(expression: sympy.Expr, terms: dict[Monomial, Fraction],
                names: tuple[str, ...], backend: str) -> list[Candidate]:
    """The plans of the structure found in the target, no deeper than the expanded ones."""
    ring = PolynomialRing(names, backend)
    found = plans_for(expression, names, terms, lambda e: dict(ring.terms(ring.from_sympy(e))))
    return [c for c in found if c.plan.depth <= _depth_bound(terms)]


def _expanded(terms: dict[Monomial, Fraction], n: int, box: Box | None,
              activation: str) -> list[Candidate]:
    ranges: dict[Monomial, Range] = {}
    return [Candidate(EXPANDED, plan) for plan in lean_plans(
        n, terms, _shift_cost(box, activation, ranges))]


def _size(counts: PlanCounts, objective: str) -> tuple[int, ...]:
    """How ``objective`` (:data:`OBJECTIVES`) orders plans: nonzero params, dense, depth; or
    neurons first."""
    size = (counts.params.nonzero, counts.params.dense, counts.depth)
    return (sum(counts.widths), *size) if objective == "neurons" else size


def _expanded_can_win(choices: list[_Choice], terms: tuple[int, int], objective: str) -> bool:
    """Whether the expanded plans could beat every choice so far, from the target's
    ``terms`` (nonconstant ones, and those of degree >= 2) alone. Each nonconstant term
    costs them a weight of its own (of the output or an accumulator), so a choice below half
    of that beats them on params. In neurons: every monomial of degree >= 2 is a neuron, a
    square of one (through ``w_b``), or the one product of the neuron that sums it, so they
    hold at least a third of those (measured: about as many)."""
    if not choices:
        return True
    nonconstant, products = terms
    if objective == "neurons":
        return 3 * min(sum(c.counts.widths) for c in choices) + 1 > products
    return 2 * min(c.counts.params.nonzero for c in choices) >= nonconstant


def _choose(candidates: list[Candidate], more: Callable[[], list[Candidate]] | None,
            terms: tuple[int, int], baseline: PlanCounts | None, box: Box | None,
            activation: str, max_params: int, names: Sequence[str], objective: str = "params"
            ) -> _Choice:
    """The candidate with the fewest nonzero params (dense, then depth, break ties), or with
    ``objective="neurons"`` the fewest neurons (then those), among those whose proved
    float64 error bound is small (:func:`_float_safe`), never larger than the baseline.
    ``more`` (the expanded plans) are planned only when they can win
    (:func:`_expanded_can_win`, from the target's ``terms``). Plans estimated above
    ``max_params`` are not built; if that leaves none, the error says how to ask for more."""
    cache: dict[Monomial, Range] = {}
    choices, reasons, skipped = [], [], []
    pending = list(candidates)
    while pending or more is not None:
        if not pending:
            pending = more() if _expanded_can_win(choices, terms, objective) else []
            more = None
            continue
        c = pending.pop(0)
        estimate = estimated_params(c.plan)
        if estimate > max_params:
            skipped.append(estimate)
            continue
        try:
            realized = realize_rows(c.plan, box, activation, cache)
        except Unrealizable as why:
            reasons.append(str(why))
            continue
        counts = realized.counts()
        if baseline is None or (counts.params.nonzero <= baseline.params.nonzero
                                and counts.params.dense <= baseline.params.dense):
            choices.append(_Choice(c.description, realized, counts, c.plan))
    if not choices and skipped:
        smallest = min(skipped)
        raise QuadTheoryError(
            f"construct: the smallest plan has about {smallest} nonzero params (estimated "
            f"before building), more than the limit {max_params}; pass --max-params "
            f"{smallest} (max_params={smallest}) to build it anyway")
    if not choices:
        raise Unrealizable(reasons[-1] if reasons else "no plan is smaller than the baseline")
    choices.sort(key=lambda c: _size(c.counts, objective))
    return _float_safe(choices, names, box, activation)


# Plans up to this size are checked for float safety when several compete (a proved bound
# costs about one pass of interval arithmetic over the weights; one input: a polynomial trace).
FLOAT_CHECK_PARAMS = 50_000


# The float tiers plans are chosen by, before their size: a proved float64 error bound within
# a relative 1e-12 of the output (float evaluation as good as exact for any practical use),
# then each decade up to the warning threshold (1e-9: ``to_torch``/``numeric`` stay silent),
# then above it. Decades, not one tier up to 1e-9: T_96's fewest-params plan is proved to
# 2.1e-11, one with as many neurons to 1.3e-12.
FLOAT_TIERS = (REFINE_RELATIVE, Fraction(1, 10**11), Fraction(1, 10**10),
               WARN_RELATIVE["float64"])


def float_tier(bound: FloatError | None) -> int | None:
    """The index of the first of :data:`FLOAT_TIERS` a proved float64 bound is within
    (``len(FLOAT_TIERS)`` past them all; None without a bound or an output scale).

    >>> float_tier(float_error(construct("x*y", verify=False)))
    0
    """
    relative = None if bound is None else bound.relative()
    if relative is None:
        return None
    return sum(1 for limit in FLOAT_TIERS if relative > limit)


def _float_safe(choices: list[_Choice], names: Sequence[str], box: Box | None,
                activation: str = "relu") -> _Choice:
    """The smallest choice of the best float tier (:data:`FLOAT_TIERS`): a plan through
    monomials with huge coefficients (``T_17`` as ``x·q(x²)``: a bound of 6e-9 relative)
    loses to a slightly larger one that keeps its values small (the doubling recurrence:
    3e-13). Choices are in size order; only plans up to :data:`FLOAT_CHECK_PARAMS` are
    checked, only when plans of different kinds compete, and where a bound is not proved
    (unbounded values), size alone decides. A smaller choice of one input just outside the
    first tier gets its bound over pieces of the side (``float_error``'s refinement) and
    wins if that is within it (``T_108``: 11 neurons, where the first tier on the whole side
    at once took 16). Failing that, before the next choice is tried, it may get there with
    some of its relus oriented the other way (:func:`_turned`; ``T_89``, ``T_101``,
    ``T_111``; ``T_91`` in 14 neurons, where a 16-neuron plan was refined into the tier)."""
    if box is None or len({c.description for c in choices}) == 1:
        # One kind of plan (the expanded plans' depth variants share their monomials and
        # coefficients): size decides, and nothing is spent on bounds.
        return choices[0]
    best, best_tier = choices[0], None
    near: list[tuple[_Choice, Network, Any]] = []  # the second tier's, and output scales
    for choice in choices:
        if choice.counts.params.nonzero > FLOAT_CHECK_PARAMS:
            continue
        network = Network(tuple(names), choice.realized.layers(), box)
        bound = float_error(network, refine=False)
        tier = float_tier(bound)
        if tier is None:
            break
        if best_tier is None or tier < best_tier:
            best, best_tier = choice, tier
        if tier == 0:
            break
        if (tier == 1 and bound.relative() <= REFINE_WITHIN * REFINE_RELATIVE
                and wants_hidden(network)):
            near.append((choice, network, bound.scale))
    # A smaller choice of the second tier may be within the first over pieces of the side
    # (float_error refines a bound within REFINE_WITHIN of the tier; too dear to run on
    # every choice, so on the REFINE_CHOICES smallest only), or with relus turned, smallest
    # first: T_91's 14-neuron plan turned, before its 16-neuron plan refined.
    budget = [TURN_ANALYSES]
    for choice, network, scale in near[:REFINE_CHOICES]:
        refined = float_error(network)
        if float_tier(refined) == 0:
            return choice
        if refined.pieces > 1:
            # Refined over pieces: its end pieces, where turning aims, were within the tier
            # already; what stays above is inside the side (T_117's T_13∘T_3∘T_3 at x = -1/2,
            # 1.25e-12; turning never got such a plan within it, at 1-5 s a plan).
            continue
        turned = _turned(choice, network, REFINE_RELATIVE * scale, names, box, activation,
                         budget)
        if turned is not None:
            return turned
    return best


# Orienting relus for float accuracy (_turned): the analyses one construct may spend in all
# (each a plan realized, traced and bounded over its two end pieces: about 0.07 s for T_n,
# n ~ 100), the steps per plan, the sets of turns measured per step, the two-sided relus
# whose sets of turns are all weighed (2^20 in numpy: about 0.5 s), and how far above the
# first tier a plan's end pieces may start (T_101's index search: 1.39x, to 0.68x; T_103's
# 2.0x).
TURN_ANALYSES = 200
TURN_STEPS = 4
TURN_TRIED = 4
TURN_EXHAUSTIVE = 20
TURN_START = Fraction(5, 2)
TURN_NEURONS = 32  # larger networks' analyses cost more: not tried (T_n's plans: <= 20)
# Turning aims at Chebyshev-like plans, whose values are near their maxima at x = ±1. A split
# plan of a random polynomial (benchmarks/split_plans.py, 108 of degree 5-40, objective
# neurons) was turned into the first tier twice, at 13 and 21 neurons, each in its first
# step; the plans it failed on took 2-4 steps and 3-10 s a construct (0.1-0.2 s an
# analysis). Split plans take this many steps.
TURN_SPLIT_STEPS = 1


def least_max(base: Sequence[Any], effects: Sequence[Sequence[Any]], count: int
              ) -> list[tuple[int, ...]]:
    """The ``count`` sets ``S`` of rows of ``effects`` with the smallest
    ``max(base + Σ_{i ∈ S} effects[i])`` (entrywise sums; smallest first): all ``2^k`` sets
    for ``k <=`` :data:`TURN_EXHAUSTIVE` rows, else the one a hill climb from the empty set
    reaches (one row in or out at a time while the largest entry falls).

    >>> least_max([5, 1], [[-3, 2], [-1, 1], [1, -1]], 2)   # [2, 3], then [3, 2]
    [(0,), (0, 2)]
    """
    k, base_ = len(effects), np.asarray(base, dtype=float)
    if not k:
        return [()]
    rows = np.asarray(effects, dtype=float).reshape(k, len(base_))
    if k > TURN_EXHAUSTIVE:
        chosen: set[int] = set()
        worst = base_.max()
        while True:
            flips = [(float((base_ + rows[sorted(chosen ^ {i})].sum(axis=0)).max()), i)
                     for i in range(k)]
            value, i = min(flips)
            if value >= worst:
                return [tuple(sorted(chosen))]
            chosen, worst = chosen ^ {i}, value
    found: list[tuple[float, int]] = []
    chunk = 2**16
    for start in range(0, 2**k, chunk):
        masks = np.arange(start, min(2**k, start + chunk))
        worst_ = (base_ + ((masks[:, None] >> np.arange(k)) & 1) @ rows).max(axis=1)
        found += [(float(worst_[i]), int(masks[i]))
                  for i in np.argsort(worst_, kind="stable")[:count]]
    found.sort()
    return [tuple(i for i in range(k) if mask >> i & 1) for _, mask in found[:count]]


def _turned(choice: _Choice, network: Network, goal: Any, names: Sequence[str], box: Box,
            activation: str, budget: list[int]) -> _Choice | None:
    """``choice`` with some relus holding ``s' − v`` instead of ``v + s``
    (:func:`~.realize.realize_rows`' ``turned``), if that proves it within the first float
    tier, else None. A relu of a value of both signs may hold it either way round, exactly
    the same function but not the same roundings: near ``x = 1``, where a Chebyshev plan's
    values are all near their maxima, ``2 − 2x·T_2`` subtracts exactly (Sterbenz) where
    ``2x·T_2 + 2`` rounds near 4, and near ``x = -1`` the other way round. So each turn
    lowers the bound at one end and raises it at the other, and the bounds add up nearly
    term by term (first-order error analysis: each neuron's rounding is one term). Each step
    measures every two-sided relu's effect on the bounds of the two narrowest end pieces
    (where refinement stops), turned alone; weighs every set of turns by the sums of their
    effects (:func:`least_max`) and measures the :data:`TURN_TRIED` best; keeps the best
    measured, a single turn included, and steps again from there while the larger end
    bound falls (at most :data:`TURN_STEPS` steps, :data:`TURN_SPLIT_STEPS` for a split
    plan). The bound over pieces of the whole side then decides. ``goal``: the first tier's
    absolute bound for this output; ``budget``: analyses left, shared by the choices tried.
    ``T_111``'s index search (18 neurons, 17 two-sided relus): the side proved to 9.93e-13
    over 20 pieces, where a hill climb turning one relu at a time stopped at 1.01e-12 on the
    end pieces (and construct, at 2.95e-12)."""
    plan, nodes = choice.plan, choice.realized.two_sided
    if (plan is None or not nodes or not wants_hidden(network) or budget[0] < 2 * len(nodes)
            or sum(network.widths) > TURN_NEURONS):
        return None
    sides = end_pieces(network)

    def analysed(turned: frozenset[int], stop: Any = None
                 ) -> tuple[list[Any], Realized, Network] | None:
        budget[0] -= 1
        rows = realize_rows(plan, box, activation, turned=turned)
        net = Network(tuple(names), rows.layers(), box)
        trace = network_polynomials(net, keep_hidden=True)
        bounds = side_bounds(net, trace.layer_ranges, trace, sides, stop) if trace.proved \
            else None
        return None if bounds is None else (bounds, rows, net)

    turned, found = frozenset(), analysed(frozenset(), TURN_START * goal)
    if found is None or max(found[0]) > TURN_START * goal:
        return None
    # The effects are measured again around each better orientation found (the bounds add
    # up only nearly), while that lowers the larger bound.
    for _ in range(TURN_SPLIT_STEPS if choice.description.startswith(SPLIT_PLAN)
                   else TURN_STEPS):
        if budget[0] < len(nodes) + TURN_TRIED:
            return None
        effects, tried = [], []
        for node in nodes:
            other = analysed(turned ^ {node})
            if other is None:
                return None
            effects.append([o - f for o, f in zip(other[0], found[0], strict=True)])
            tried.append((max(other[0]), len(tried), other, turned ^ {node}))
        # Single turns are measured above (a hill climb's step at least); sets of turns are
        # predicted by their effects' sums, and the best predicted measured.
        for chosen in least_max(found[0], effects, TURN_TRIED):
            if len(chosen) > 1:
                trial = turned ^ {nodes[i] for i in chosen}
                other = analysed(trial)
                if other is not None:
                    tried.append((max(other[0]), len(tried), other, trial))
        best = min(tried)
        if best[0] >= max(found[0]):
            break
        found, turned = best[2], best[3]
        if max(found[0]) <= goal:
            break
    bounds, rows, net = found
    if not turned or max(bounds) > goal or float_tier(float_error(net)) != 0:
        return None
    return _Choice(f"{choice.description} (relus of {len(turned)} neurons turned for a "
                   f"smaller float bound)", rows, rows.counts(), plan)


# How many choices of the second float tier construct tightens over pieces (float_error's
# refinement), smallest first, before it settles for the best tier proved on the whole side.
# Most stop at their two end pieces (near x = ±1 the bound cannot reach the first tier);
# with 4, T_94's plan that does (78 nonzero, 9.4e-13) was crowded out by smaller ones.
REFINE_CHOICES = 8


def _of_one_form(network: Network, description: str, expression: sympy.Expr,
                 names: tuple[str, ...], terms: dict[Monomial, Fraction], box: Box,
                 activation: str, backend: str, max_params: int, objective: str,
                 baseline: PlanCounts | None) -> tuple[Network, str]:
    """The chosen network, or one of ``g(B)`` for an affine ``B`` that beats it: construct's
    network of ``g`` alone, on ``B``'s range over the box, its first layer reading ``B`` from
    the inputs (:func:`~quadtheory._src.core.compose.of_affine_form`, no neuron more).

    The plans of ``g(B)`` among the candidates are realized with interval enclosures in the
    inputs and get only ``g``'s structured plans; ``g``'s own network gets every plan of one
    input (split plans too) with its Chebyshev enclosures and turned relus:
    ``T_17(x + y + z + w)`` takes 11 neurons so (a split plan of ``T_17`` on ``[−4, 4]``),
    where the plans of ``g(B)`` take 17. Which wins: the better float tier (of the proved
    bound of the whole network, whose analysis in several inputs has not the refinements
    of one input), then the objective's size. A monomial ``g`` is left to the plans."""
    ring = PolynomialRing(names, backend)
    found = affine_outers(expression, names, terms,
                          lambda e: dict(ring.terms(ring.from_sympy(e))))
    best, best_key = (network, description), _key(network, objective)
    for g, (linear, constant), base in found:
        if len(sympy.Add.make_args(g)) == 1:  # c·y^k: the power chains above are its plans
            continue
        a = [Fraction(0)] * len(names)
        for i, c in linear:
            a[i] = c
        lo, hi = map(slow, affine_range([(i, fast(c)) for i, c in linear], fast(constant),
                                        [(fast(lo), fast(hi)) for lo, hi in box]))
        try:
            inner = construct(g, ["y"], [(lo, hi)], activation, verify=False, backend=backend,
                              max_params=max_params, objective=objective)
        except QuadTheoryError:  # g alone over the limit: the plans above stand
            continue
        composed = of_affine_form(inner.network, names, a, constant, box)
        if baseline is not None and (composed.params.nonzero > baseline.params.nonzero or
                                     composed.params.dense > baseline.params.dense):
            continue  # never larger than the baseline, as every plan (_choose)
        # Its relus were proved for y; the trace of the composite reads a multiple of a·x,
        # whose term-by-term bounds differ (y's constant is in the biases): kept only if
        # they are proved again (3 of 1,339 random affine compositions were not).
        if not network_polynomials(composed, backend).proved:
            continue
        key = _key(composed, objective)
        if key < best_key:
            where = f"g(B) = {g.xreplace({sympy.Symbol('y'): sympy.Symbol('B')})} with B = {base}"
            best, best_key = (composed, f"powers of one affine form (g: its own network, "
                                        f"{inner.meta['plan']}): {where}"[:200]), key
    return best


def _key(network: Network, objective: str) -> tuple[int, ...]:
    """How :func:`_of_one_form` orders networks: float tier (none proved: last), then the
    objective's size (:func:`_size`'s order)."""
    tier = float_tier(float_error(network))
    size = (network.params.nonzero, network.params.dense, network.depth)
    return (len(FLOAT_TIERS) + 1 if tier is None else tier,
            *((sum(network.widths), *size) if objective == "neurons" else size))


def construct(expr: Any, variables: Sequence[str] | None = None, domain: Any = None,
              activation: str = "relu", *, all_quadratic: bool = False, verify: bool = True,
              naive: bool = False, backend: str = "auto",
              max_params: int = MAX_PARAMS, objective: str = "params") -> Construction:
    """An exact quadratic network for a polynomial, lean (shared products), verified.

    >>> net = construct("x*y + x**2", domain=(0, 1))   # one neuron: (x)(y) + x² via w_b
    >>> net.exact({"x": "1/2", "y": 3}), net.depth, net.widths
    ((Fraction(7, 4),), 1, (1,))
    >>> net.params, net.baseline.params, net.certificate.level
    (ParamCounts(dense=9, nonzero=3), ParamCounts(dense=21, nonzero=5), 'symbolic proof')
    >>> net.meta["params"], net.meta["naive_params"]         # the network file's meta
    ({'dense': 9, 'nonzero': 3}, {'dense': 21, 'nonzero': 5})
    >>> construct("x**4 + 2*x**2*y - y").widths   # depth <= ⌈log2 4⌉ + 1, relu on [-1, 1]²
    (2, 1)
    >>> construct("(1 + x + y)**4").widths        # (L²)² of the affine form L = 1 + x + y
    (1, 1)

    ``expr``: a string (parsed without eval) or sympy expression; ``variables`` default to
    its sorted free symbols; ``domain``: ``None`` ([-1, 1] each), a pair for all, a list of
    pairs, a mapping name -> pair, or ``"all"`` (R^n: relu then passes a value of both
    signs as ``relu(z) - relu(-z)``).
    ``activation``: ``"relu"`` (hidden relu, output identity) or ``"identity"``.
    ``all_quadratic``: count every conventional layer as degenerate quadratic neurons.
    ``naive``: return the baseline (each monomial its own product tree) instead.
    ``max_params``: refuse plans estimated above this many nonzero params (before building).
    ``objective``: ``"params"`` (fewest nonzero params, the default) or ``"neurons"`` (fewest
    neurons), each within the best float tier; ``meta["objective"]`` records it.

    Plans: the expanded polynomial's (shared monomial products), and compositions found
    before expanding (:mod:`.structure`); the fewest nonzero params wins, ``meta["plan"]``
    says which:

    >>> t64 = construct(sympy.chebyshevt(64, sympy.Symbol("x")))   # T_2∘T_2∘...: 6 squares
    >>> t64.widths, t64.meta["plan"][:12], t64.baseline.params.nonzero > 20 * t64.params.nonzero
    ((1, 1, 1, 1, 1, 1), 'Chebyshev T_', True)

    The two objectives disagree where fewer nonzero params take more neurons:

    >>> t39 = sympy.chebyshevt(39, sympy.Symbol("x"))
    >>> lean, few = construct(t39, verify=False), construct(t39, objective="neurons")
    >>> (lean.neurons, lean.params.nonzero), (few.neurons, few.params.nonzero)
    ((14, 49), (12, 50))
    """
    all_quadratic = limits.flag(all_quadratic, "all_quadratic")
    verify = limits.flag(verify, "verify")
    naive = limits.flag(naive, "naive")
    one_of(activation, "activation", ACTIVATIONS)
    limits.integer(max_params, "max_params", 1, expected="a positive integer")
    one_of(objective, "objective", OBJECTIVES)
    expression, names = target_expression(expr, variables)
    check_target_size(expression, names, "construct")
    box = parse_domain(domain, names)
    terms = polynomial_terms(expression, names, backend)

    def naive_candidate() -> Candidate:  # built only when it is the answer
        return Candidate(NAIVE, naive_plan(len(names), terms))

    try:  # the baseline is counted, never built
        baseline: PlanCounts | None = count_naive(len(names), terms, box, activation)
    except Unrealizable:
        baseline = None
    structured = [] if naive else _structured(expression, terms, names, backend)
    expanded = None if naive else lambda: _expanded(terms, len(names), box, activation)
    counted = (sum(1 for m in terms if any(m)), sum(1 for m in terms if sum(m) >= 2))
    try:
        choice = _choose([naive_candidate()] if naive else structured, expanded, counted,
                         None if naive else baseline, box, activation, max_params, names,
                         objective)
        method = "naive" if naive else "lean"
    except Unrealizable as why:
        if naive or baseline is None:
            raise QuadTheoryError(f"construct: no exact network: {why}") from None
        # A safety net: no plan is expected to exceed the baseline (tests check).
        choice = _choose([naive_candidate()], None, (0, 0), None, box, activation, max_params,
                         names,
                         objective)
        method = "naive (no lean plan was smaller)"
    network = Network(names, choice.realized.layers(), box)
    description = choice.description
    if not naive and box is not None and len(names) > 1:
        network, description = _of_one_form(network, description, expression, names, terms,
                                            box, activation, backend, max_params, objective,
                                            baseline)
    if baseline is not None and all_quadratic:
        baseline = count_naive(len(names), terms, box, activation, all_quadratic=True)
    if all_quadratic:
        network = to_all_quadratic(network)
    target = expr if isinstance(expr, str) else target_text(expression, names, terms)
    details: dict[str, Any] = {"construction": method, "activation": activation,
                               "all_quadratic": all_quadratic, "plan": description,
                               "objective": objective}
    # What no network can beat (a proof, docs/construct.md), beside what this one takes.
    degree = max((sum(m) for m, c in terms.items() if c), default=0)
    single = len(names) == 1 and indecomposable({m[0]: c for m, c in terms.items()})
    least, why = neurons_at_least(degree, len(names), indecomposable=single)
    details["neurons_at_least"] = {"neurons": least, "why": why}
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
