"""The construction engine at scale (issue 9): polynomial-time planning, composition-aware
plans, the counted baseline, the proved float error bound.

Chebyshev polynomials T_n: every n <= 128 is built with O(log n) neurons (the bound
2·log2 n + 2 holds for n = 2^a·3^b; for other n, e.g. primes, the odd steps need x or another
defect held beside each pair, about 3 neurons a layer, which the index search shares out as
well as it can), its proved float64 bound is within 16·n²·u relative (u = 2^-53:
|T_n'(±1)| = n², so an intermediate rounding near the input moves the output by about n²·u;
a squaring chain's bound is n²·u/2) or, for small n, within 1e-12 (T_11 as one product, a
neuron fewer than the index search: 31·n²·u, 4.2e-13), <= 1e-12 for every n <= 128 but 111
(some over pieces of the side: T_63, T_69; T_89 and five more n with relus turned the other
way round), and never below the error observed at 10,000 points.
"""

from __future__ import annotations

import math
import time
import warnings
from fractions import Fraction
from unittest import mock

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from quadtheory import (
    FloatPrecisionWarning,
    PolynomialRing,
    QuadTheoryError,
    chebyshev_index_plan_exists,
    construct,
)
from quadtheory._src.exact.rounding import float_error
from quadtheory._src.quadratic import construct as construct_module
from quadtheory._src.quadratic.construct import FLOAT_TIERS, float_tier
from quadtheory._src.quadratic.fewest import neurons_at_least
from quadtheory._src.quadratic.monomials import lean_plans, level, naive_plan
from quadtheory._src.quadratic.realize import count_naive, realize_rows
from quadtheory._src.quadratic.structure import (
    _neurons,
    _outer,
    chebyshev_index,
    chebyshev_plan,
    substitute,
)
from tests.reference import crowded_points, observed_float_error
from tests.strategies import boxes, examples, rationals

X = sympy.Symbol("x")


def _smooth(n: int) -> bool:
    while n % 2 == 0:
        n //= 2
    while n % 3 == 0:
        n //= 3
    return n == 1


def _float_error(network, polynomial: sympy.Expr, points: np.ndarray) -> Fraction:
    """max |float64 evaluation − exact value| over the points, computed exactly."""
    pytest.importorskip("flint")
    return observed_float_error(network, polynomial, points)


def _tier(net) -> int:
    """The float tier construct ranks a network's plan by (as it computes it); past every
    tier where there is no bound (every sampled output 0): size alone decided."""
    tier = float_tier(float_error(net))
    return len(FLOAT_TIERS) + 1 if tier is None else tier


# Issue 9's goals for T_n, n <= 128: neurons <= 2·log2 n + 2 and a float64 bound <= 1e-12
# relative, checked on construct's fewest-neuron network (objective="neurons": the fewest
# neurons within the best float tier; the default objective takes the fewest nonzero params
# there, T_65: 16 neurons and 55 nonzero params against 14 and 57, both within 1e-12).
# What holds today is asserted (certified, depth, the smooth n's neurons, observed float error
# within the proved bound, the bound within 1e-12: T_89, T_101, T_111 ... with relus turned);
# where a goal is missed, the slow test reports it as an expected failure naming every n
# (issue 9 stays open for them: for n not of the form 2^a·3^b the odd steps hold a defect
# beside each pair, and no plan of the index model meets the neuron bound, see
# test_the_neuron_bound_is_out_of_the_index_models_reach).
RELATIVE_GOAL = Fraction(1, 10**12)


@pytest.mark.parametrize(("p", "least"), [(2, True), (3, True), (5, True), (7, True),
                                          (11, False), (13, False)])
def test_chebyshev_networks_of_prime_degree_respect_the_lower_bound(p, least):
    # construct's fewest-neuron T_p is never below the proved bound 2⌈log2 p⌉ − 1 (a network
    # below it would be a wrong proof or a wrong network), and attains it for p <= 7: the
    # least there.
    net = construct(sympy.chebyshevt(p, X), objective="neurons")
    bound = neurons_at_least(p, 1)[0]
    assert bound == 2 * math.ceil(math.log2(p)) - 1
    assert net.meta["neurons_at_least"]["neurons"] == bound
    assert net.neurons >= bound
    assert (net.neurons == bound) is least


def _check_chebyshev(n: int, count: int) -> list[str]:
    """Assert what holds for T_n; return the issue's goals it misses."""
    net = construct(sympy.chebyshevt(n, X), objective="neurons")
    assert net.certificate.holds   # the Chebyshev plans, or for small n an equal expanded one
    neurons = net.neurons
    if _smooth(n):
        # The fewest-neuron plan meets the bound; construct may choose one with more neurons
        # in a better float tier (T_108: 16 neurons proved within 1e-12, where its 11-neuron
        # plan is proved to 1.3e-12), and the goal's miss is reported below.
        assert _neurons(chebyshev_plan(n)) <= 2 * math.log2(n) + 2
    assert net.depth <= math.ceil(math.log2(n)) + 1
    bound = net.meta["float64_error_bound"]
    relative = Fraction(bound["relative"])
    # T_89, T_101, T_111, ... with relus turned (tests/quadratic/test_turned.py)
    assert relative <= RELATIVE_GOAL
    # The proved bound holds wherever it is checked, however large it is.
    observed = _float_error(net, sympy.chebyshevt(n, X), crowded_points(count))
    assert observed <= Fraction(bound["absolute"])
    if sympy.isprime(n):
        assert neurons >= neurons_at_least(n, 1)[0]
    missed = []
    if neurons > 2 * math.log2(n) + 2:
        missed.append(f"T_{n}: {neurons} neurons > 2·log2 n + 2")
    if observed > RELATIVE_GOAL:  # |T_n| reaches 1 on [-1, 1]: absolute is relative here
        missed.append(f"T_{n}: observed float64 error {float(observed):.3g} > 1e-12 itself")
    return missed


@pytest.mark.parametrize("n", [2, 3, 5, 8, 11, 12, 22, 64,
                               pytest.param(65, marks=pytest.mark.slow)])
def test_chebyshev_polynomials_are_small_and_float_stable(n):
    assert _check_chebyshev(n, 10_000) == []


# Why the neuron bound is missed: no plan of the index model (layers of values T_s, any width;
# carries, squares, products less a held defect) meets it, by exhausting the model up to two
# layers deeper than construct builds; the fewest-neuron plan itself is found there (the
# search can answer yes). benchmarks/index_model.py runs this for every n <= 128 construct misses.
@pytest.mark.parametrize("n", [17, 19, 23, pytest.param(37, marks=pytest.mark.slow)])
def test_the_neuron_bound_is_out_of_the_index_models_reach(n):
    bound = math.floor(2 * math.log2(n) + 2)
    fewest = _neurons(chebyshev_plan(n, product=False))  # the index model's plans only
    assert fewest > bound
    for depth in (level(n) + 1, level(n) + 3):
        assert chebyshev_index_plan_exists(n, bound, depth) is False
    assert chebyshev_index_plan_exists(n, fewest, level(n) + 1) is True
    # Stopped early, the answer is undecided, not no.
    assert chebyshev_index_plan_exists(n, bound, level(n) + 3, states=10) is None


def test_the_index_model_search_is_bounded_and_refuses_past_its_limits():
    start = time.process_time()
    assert chebyshev_index_plan_exists(1000, 10**9, 100, states=1000) is None
    assert time.process_time() - start < 5
    for args, message in (((17, 10, 7, None, 10**9), "states 1000000000 is over the limit"),
                          ((10**6, 10, 7), "n 1000000 is over the limit 1000"),
                          ((17, 0, 7), "neurons: expected an integer >= 1, found 0")):
        with pytest.raises(QuadTheoryError, match=message):
            chebyshev_index_plan_exists(*args)


@pytest.mark.parametrize("n", [16, 24, 27, 36])
def test_the_index_model_finds_construct_s_fewest_neurons_and_no_fewer(n):
    assert chebyshev_index_plan_exists(n, _neurons(chebyshev_plan(n)), level(n) + 1) is True
    assert chebyshev_index_plan_exists(n, _neurons(chebyshev_plan(n)) - 1, level(n) + 1) is False


# The n whose fewest-neuron network misses 2·log2 n + 2 (benchmarks/scan_chebyshev.py): a
# miss outside them is a regression, not the open issue.
KNOWN_NEURON_MISSES = frozenset({
    19, 23, 29, 31, 37, 38, 41, 43, 47, 53, 57, 59, 61, 67, 69, 71, 73, 74, 77, 79, 82, 83,
    85, 86, 87, 89, 94, 95, 97, 101, 103, 106, 107, 109, 111, 113, 114, 115, 117, 118, 119,
    121, 122, 123, 125, 127})


@pytest.mark.slow
def test_every_chebyshev_polynomial_up_to_128():
    # 10,000 float points for every n (the check), each compared exactly.
    missed = [goal for n in range(2, 129) for goal in _check_chebyshev(n, 10_000)]
    unexpected = [goal for goal in missed if "neurons" not in goal
                  or int(goal[2:goal.index(":")]) not in KNOWN_NEURON_MISSES]
    assert not unexpected, unexpected
    if missed:
        pytest.xfail(f"issue 9 open, {len(missed)} goals missed: {'; '.join(missed)}")


def test_t64_is_six_squares_where_the_monomials_needed_91_nonzero_params():
    net = construct(sympy.chebyshevt(64, X))
    assert net.widths == (1,) * 6 and net.params.nonzero <= 22
    assert net.baseline.params.nonzero > 10 * net.params.nonzero


@pytest.mark.parametrize("k", [2, 3, 64, 65, 316, 317, 400])
def test_powers_of_a_sum_are_powers_of_one_affine_form(k):
    net = construct(f"(x + y)**{k}", verify=k <= 65)
    assert net.neurons <= 2 * math.ceil(math.log2(k)) + 1
    assert net.meta["plan"].startswith("powers of one affine form")
    assert net.exact(["1/2", "-1/3"]) == (Fraction(1, 6) ** k,)


@pytest.mark.parametrize("top", [200, pytest.param(1000, marks=pytest.mark.slow)])
def test_power_plans_are_logarithmic_for_every_exponent(top):
    # Not monotone: y^64 takes 6 squares, y^65 also carries y; the envelope is.
    sizes = {}
    for k in range(2, top + 1):
        plans = lean_plans(1, {(k,): Fraction(1)}, lambda m: 1)
        sizes[k] = min(sum(1 for n in p.nodes if n.layer) for p in plans)
    assert all(sizes[k] <= 2 * math.ceil(math.log2(k)) + 1 for k in sizes)
    assert sizes[64] == 6 and sizes[65] > sizes[64]


def test_a_power_the_term_count_allows_is_built():
    net = construct("(x + y)**450", verify=False)   # 451 terms, refused before issue 9
    assert net.exact([1, 1]) == (Fraction(2) ** 450,)


# -- planning in polynomial time -----------------------------------------------------------------
# deadline in ms: an exponential planner took minutes at n = 24
@settings(max_examples=examples(8), deadline=10_000)
@given(st.integers(1, 100), st.data())
def test_products_of_many_variables_plan_fast(n, data):
    exponents = [data.draw(st.integers(1, 2)) for _ in range(n)]
    text = "*".join(f"v{k}**{e}" for k, e in enumerate(exponents))
    net = construct(text, verify=False)
    assert net.depth <= math.ceil(math.log2(sum(exponents))) + 1 if n > 1 or exponents[0] > 1 \
        else net.depth == 1
    point = [Fraction(1 + k % 3, 2) for k in range(n)]
    names = sorted(f"v{k}" for k in range(n))
    value = math.prod(point[int(name[1:])] ** exponents[int(name[1:])] for name in names)
    assert net.exact([point[int(name[1:])] for name in names]) == (value,)


@pytest.mark.slow
def test_a_product_of_1000_variables_is_built_and_proved():
    start = time.process_time()
    net = construct("*".join(f"v{k}" for k in range(1000)))
    assert net.certificate.holds and net.depth == 10
    assert time.process_time() - start < 30   # 2 s on an idle machine; a guard, not a benchmark


# -- composition-aware plans -----------------------------------------------------------------------
@st.composite
def polynomials_in(draw, symbols, max_degree: int, max_terms: int = 3) -> sympy.Expr:
    terms = []
    for _ in range(draw(st.integers(1, max_terms))):
        exps = [draw(st.integers(0, max_degree)) for _ in symbols]
        coefficient = draw(rationals(zero_weight=False))
        terms.append(sympy.Rational(coefficient.numerator, coefficient.denominator)
                     * sympy.Mul(*(s**e for s, e in zip(symbols, exps))))
    return sympy.Add(*terms)


@settings(max_examples=examples(12), deadline=None)
@given(st.data())
def test_compositions_cost_no_more_than_their_expansion(data):
    x, y = sympy.symbols("x y")
    h = data.draw(polynomials_in([x, y], 2))
    t = sympy.Symbol("t")
    g = data.draw(polynomials_in([t], 3))
    if sympy.Poly(g, t).degree() < 2 or sympy.Poly(h, x, y).total_degree() < 1:
        return
    composed = g.subs(t, h)
    expanded = sympy.expand(composed)
    if not expanded.free_symbols:
        return
    names = ["x", "y"]
    a = construct(composed, names)
    b = construct(str(expanded), names)
    assert a.certificate.holds and b.certificate.holds
    # No larger, unless its float tier is better (construct prefers a plan whose proved
    # float64 bound is small): the expansion's plans are among the composition's candidates.
    assert a.params.nonzero <= b.params.nonzero or _tier(a) < _tier(b)
    point = [Fraction(1, 3), Fraction(-2, 5)]
    assert a.exact(point) == b.exact(point)


@settings(max_examples=examples(20), deadline=None)
@given(st.data())
def test_the_outer_polynomial_of_a_base_is_found_exactly(data):
    # p = g(B) is recognized from p's terms alone (sympy distributes g's linear term over B,
    # so the expression need not show B); whatever is found for another p is exact for it.
    x, y, z, t = sympy.symbols("x y z t")
    base = data.draw(polynomials_in([x, y, z], data.draw(st.integers(1, 2)), 3))
    g = data.draw(polynomials_in([t], 5, 4))
    if sympy.Poly(base, x, y, z).total_degree() < 1 or sympy.Poly(g, t).degree() < 1:
        return
    ring = PolynomialRing(("x", "y", "z"))

    def expand(e):
        return dict(ring.terms(ring.from_sympy(e)))

    terms = expand(g.subs(t, base))
    found = _outer(terms, base, expand(base), expand, t)
    assert found == sympy.Poly(g, t, domain="QQ")
    perturbed = expand(g.subs(t, base) + data.draw(st.sampled_from([x, y * z, z**2 / 3])))
    other = _outer(perturbed, base, expand(base), expand, t)
    if other is not None:
        assert {m: c for m, c in expand(other.as_expr().subs(t, base)).items() if c} == \
            {m: c for m, c in perturbed.items() if c}


def test_g_of_an_affine_form_gets_the_network_of_g_alone():
    # T_17(x + y): g's own network on B's range [-2, 2] (a split plan, every plan of one input
    # with its enclosures), its first layer reading B from x and y, beats the plans of g(B).
    net = construct("chebyshevt(17, x + y)")
    assert net.meta["plan"].startswith("powers of one affine form (g: its own network")
    assert net.neurons <= 11 and net.certificate.holds
    with mock.patch.object(construct_module, "_of_one_form",
                           side_effect=lambda network, description, *rest: (network, description)):
        plans = construct("chebyshevt(17, x + y)", verify=False)
    assert plans.neurons > net.neurons


def test_a_base_in_an_input_named_y_is_not_mistaken_for_g():
    # B = 2 - y with inputs x, y: replacing B by a symbol named y as the target's own y left
    # "5y + 3y⁵/2 - ..." as if it were g, and the network of g(B) failed its certificate.
    net = construct("5*y + 3*(2 - y)**5/2 - 4*(2 - y)**4 - (2 - y)**3 + 3*(2 - y)**2 - 11",
                    ["x", "y"], [("-1", "3/2"), ("-1", "1")], objective="neurons")
    assert net.certificate.holds


def test_g_alone_is_kept_only_where_its_relus_are_proved_again():
    # g's network proves its relus for y = B; the composite's trace reads a multiple of a·x
    # (B's constant is in the biases), whose term-by-term bounds differ: here one relu is
    # not proved again, so the plans of g(B) stand.
    b = "(-5*x - y/3 + 3)"
    net = construct(f"5*x + y/3 + 4*{b}**12/3 - {b}**11 - 4*{b}**10/3 - 2*{b}**9/3 "
                    f"- 5*{b}**8/2 - 2*{b}**5 + 2*{b}**4 + 2*{b}**2 - 5/3", ["x", "y"],
                    [("-1", "3/2"), ("-1", "1")])
    assert net.certificate.holds


def test_an_outer_polynomial_too_large_to_be_the_target_is_not_expanded():
    # (x + y + z + w)**2 + x**256 read as g(B), B = x + y + z + w: g would have degree 256,
    # and g(B) expanded 2.9 million terms (36 s, 2.8 GB) to find it is not the target.
    x, y, z, w, t = sympy.symbols("x y z w t")
    ring = PolynomialRing(("w", "x", "y", "z"))

    def expand(e):
        return dict(ring.terms(ring.from_sympy(e)))

    def refused(e):
        raise AssertionError(f"expanded {e}")

    base = x + y + z + w
    assert _outer(expand(base**2 + x**256), base, expand(base), refused, t) is None


def test_chebyshev_of_an_affine_form_is_not_expanded():
    # T_9(x - y/2) through T_3∘T_3 of one affine form: its linear term 9·(x - y/2) is
    # distributed by sympy, and the expansion took 42 neurons (float64 bound 1.5e-10).
    net = construct("chebyshevt(9, x - y/2)")
    assert net.meta["plan"].startswith("powers of one affine form (g: Chebyshev T_9")
    assert net.neurons <= 6 and net.certificate.holds
    # Each plan of g says how it builds g, so their float bounds compete: T_33((x + y)/2)
    # through monomials of B took 11 neurons, proved to 3.7e-4 (relative); through the
    # Chebyshev plans 17, to 1.1e-11.
    net = construct("chebyshevt(33, (x + y)/2)", verify=False)
    assert Fraction(net.meta["float64_error_bound"]["relative"]) < Fraction(1, 10**10)


def test_functional_decomposition_of_one_variable():
    net = construct("(x**2 + x)**3 - 2*(x**2 + x) + 1")   # g(h) with h = x² + x
    assert net.certificate.holds and net.params.nonzero < net.baseline.params.nonzero


def test_substitute_reads_an_affine_form_for_free():
    square = lean_plans(1, {(2,): Fraction(1)}, lambda m: 0)[0]
    plan = substitute(square, affine=([(0, Fraction(1)), (1, Fraction(-1))], Fraction(2)),
                      n_inputs=2)
    layers = realize_rows(plan, [(-1, 1)] * 2, "relu").layers()
    assert len(layers) == 1   # (x - y + 2)² is one product of affine forms


def test_chebyshev_index_recognizes_scaled_chebyshev_polynomials():
    terms = {(4,): Fraction(24), (2,): Fraction(-24), (0,): Fraction(4)}
    assert chebyshev_index(terms) == (4, Fraction(3), Fraction(1))
    assert chebyshev_index({(4,): Fraction(1), (0,): Fraction(1)}) is None


# -- the baseline is counted, not built -----------------------------------------------------------
@settings(max_examples=examples(40), deadline=None)
@given(st.data())
def test_the_counted_baseline_is_the_built_one(data):
    n = data.draw(st.integers(1, 3))
    terms = {}
    for _ in range(data.draw(st.integers(1, 5))):
        exps = [0] * n
        for _ in range(data.draw(st.integers(0, 7))):
            exps[data.draw(st.integers(0, n - 1))] += 1
        terms[tuple(exps)] = data.draw(rationals(zero_weight=False))
    # Symmetric boxes too: count_naive orients monomials on them without interval products.
    sides = rationals(max_num=4, zero_weight=False).map(abs).map(lambda h: h + Fraction(1, 8))
    box = data.draw(st.one_of(boxes(n), st.lists(sides, min_size=n, max_size=n).map(
        lambda hs: tuple((-h, h) for h in hs)), st.just(((Fraction(-1), Fraction(1)),) * n)))
    activation = data.draw(st.sampled_from(["relu", "identity"]))
    every = data.draw(st.booleans())
    built = realize_rows(naive_plan(n, terms), box, activation).counts(every)
    assert count_naive(n, terms, box, activation, every) == built


@pytest.mark.parametrize(("side", "constant", "nonzero"), [
    (1, 1, 4), (1, 2, 5), (1, 0, 5), (2, 4, 4), (2, 1, 5), ("1/2", "1/4", 4)])
def test_the_counted_baseline_drops_a_bias_its_shifts_cancel(side, constant, nonzero):
    # x·y on [-h, h]² is held by relu as x·y + h², so the output's bias is constant − h²:
    # with constant h² it is zero and not counted.
    terms = {(1, 1): Fraction(1), (0, 0): Fraction(constant)}
    box = [(-Fraction(side), Fraction(side))] * 2
    built = realize_rows(naive_plan(2, terms), box, "relu").counts()
    assert count_naive(2, terms, box, "relu") == built
    assert built.params.nonzero == nonzero


# -- limits and float safety -----------------------------------------------------------------------
def test_max_params_refuses_before_building():
    with pytest.raises(QuadTheoryError, match=r"about \d+ nonzero params .* more than the limit "
                                              r"5; pass --max-params \d+"):
        construct("x*y + x**3*z - y**5 + 3*x*y*z", max_params=5)
    with pytest.raises(QuadTheoryError, match=r"max_params: expected a positive integer"):
        construct("x", max_params=0)


def test_float_evaluation_warns_once_when_its_bound_is_large():
    # T_66 plus x/3: no structure found (past the split plans' degree), so its monomials
    # with coefficients near 10^19, which cancel to values in [-2, 2]: float64 loses all.
    net = construct(sympy.chebyshevt(66, X) + X / 3, verify=False)
    assert net.meta["plan"].startswith("expanded")
    assert Fraction(net.meta["float64_error_bound"]["relative"]) > Fraction(1, 10**9)
    with pytest.warns(FloatPrecisionWarning, match=r"float64 evaluation of this network may be "
                                                   r"off by up to \S+ \(relative"):
        net.numeric([[0.5]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net.numeric([[0.5]])   # once per network


@settings(max_examples=examples(15), deadline=None)
@given(st.data())
def test_the_float_bound_covers_the_observed_error(data):
    x, y = sympy.symbols("x y")
    target = data.draw(polynomials_in([x, y], 4, 4))
    box = data.draw(boxes(2))
    net = construct(target, ["x", "y"], box)
    bound = Fraction(net.meta["float64_error_bound"]["absolute"])
    rng = np.random.default_rng(0)
    lo, hi = (np.array([float(b[k]) for b in box]) for k in (0, 1))
    points = np.clip(lo + (hi - lo) * rng.random((200, 2)), lo, hi)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FloatPrecisionWarning)
        got = net.numeric(points)[:, 0]
    for row, value in zip(points.tolist(), got.tolist()):
        exact = net.exact([Fraction(p) for p in row])[0]
        assert abs(Fraction(value) - exact) <= bound


# -- a product carrying a third value's linear term; the index search; the sensitivity bound --
_rationals = st.fractions(min_value=-4, max_value=4, max_denominator=7)


@settings(max_examples=examples(60), deadline=None)
@given(st.data())
def test_one_neuron_carries_a_product_and_a_third_linear_term(data):
    # (L·h)(R·h) + ℓ·h + squares + c on three columns, ℓ outside the span of L and R: the row
    # realize writes equals the target at random rational points (or it says it cannot).
    from quadtheory._src.core.numbers import Q
    from quadtheory._src.quadratic.realize import _Spec, _three_columns

    def form(columns):
        return {j: Q(v.numerator, v.denominator) for j in columns
                for v in [data.draw(_rationals.filter(bool))]}

    left = form(data.draw(st.sampled_from([(0,), (0, 1)])))
    right = form(data.draw(st.sampled_from([(1,), (2,), (1, 2)])))
    spec = _Spec()
    spec.linear.update({j: Q(v.numerator, v.denominator) for j in range(3)
                        for v in [data.draw(_rationals)]})
    spec.squares.update({j: Q(v.numerator, v.denominator) for j in range(3)
                         for v in [data.draw(_rationals)]})
    spec.const = Q(3, 2)
    if len(left.keys() | right.keys() | {j for j, v in spec.linear.items() if v}) != 3:
        return   # realize only asks on three columns
    row = _three_columns(spec, left, right)
    if row is None:   # only when a linear term is 0 and no difference of squares fits
        assert not all(spec.linear.get(j) for j in range(3))
        return
    for _ in range(3):
        h = [Q(v.numerator, v.denominator) for v in data.draw(st.lists(_rationals, min_size=3,
                                                                        max_size=3))]

        def dot(weights, bias, h=h):
            return sum((v * h[j] for j, v in weights), bias)

        target = (dot(left.items(), Q(0)) * dot(right.items(), Q(0))
                  + dot(spec.linear.items(), Q(0))
                  + sum(v * h[j] ** 2 for j, v in spec.squares.items()) + spec.const)
        got = (dot(row["w_r"], row["b_r"]) * dot(row["w_g"], row["b_g"])
               + sum(v * h[j] ** 2 for j, v in row["w_b"]) + row["c"])
        assert got == target


def test_the_index_search_builds_t7_with_six_neurons_and_never_more_than_before():
    from quadtheory._src.quadratic.structure import _neurons, _searched, chebyshev_plan
    net = construct(sympy.chebyshevt(7, X))
    plan = _searched(7, 4)
    assert _neurons(plan) == 6 and plan.depth == 3       # {1, 2}, {1, 3, 4}, 2·T_3·T_4 − x
    for n in range(2, 41):
        fewest = chebyshev_plan(n)
        same_layer = chebyshev_plan(n, search="output")
        assert _neurons(fewest) <= _neurons(same_layer)
        assert _neurons(same_layer) <= _neurons(chebyshev_plan(n, search="none"))
        assert _neurons(fewest) <= _neurons(chebyshev_plan(n, stable=True))
    assert net.certificate.holds


@pytest.mark.parametrize("n", [3, 5, 7, 9, 11, 21, 41])
def test_odd_chebyshev_is_one_more_than_a_fourth_kind_product(n):
    # T_n = 1 + α_n·β_n, α_n = U_m + U_{m-1} (m = (n - 1)/2), β_n = T_{m+1} - T_m: the
    # identity _one_product builds T_5, T_7 and T_11 on.
    m = (n - 1) // 2
    alpha = sympy.chebyshevu(m, X) + sympy.chebyshevu(m - 1, X)
    beta = sympy.chebyshevt(m + 1, X) - sympy.chebyshevt(m, X)
    assert sympy.expand(1 + alpha * beta - sympy.chebyshevt(n, X)) == 0


@pytest.mark.parametrize(("n", "neurons", "depth"), [(5, 5, 3), (7, 5, 3), (11, 8, 4)])
def test_t5_t7_and_t11_are_one_product_exact_with_a_covering_float_bound(n, neurons, depth):
    from quadtheory import Network, verify
    from quadtheory._src.quadratic.structure import _neurons, _one_product
    plan = _one_product(n)
    assert _neurons(plan) == neurons and plan.depth == depth
    net = Network(("x",), realize_rows(plan, [(-1, 1)], "relu").layers(), [(-1, 1)])
    assert verify(net, sympy.chebyshevt(n, X)).holds
    bound = float_error(net)
    assert bound.relative() <= 1e-12
    assert _float_error(net, sympy.chebyshevt(n, X), np.linspace(-1, 1, 400)) \
        <= bound.absolute["float64"]
    assert construct(sympy.chebyshevt(7, X)).neurons == 5   # was 8: 6 searched, less stable
    assert construct(sympy.chebyshevt(11, X)).neurons == 8  # was 9, the index search's


@pytest.mark.parametrize("m", [1, 2, 5, 8, 13])
def test_odd_chebyshev_is_one_less_than_a_third_kind_square_times_one_plus_x(m):
    # T_{2m+1} = (1 + x)·V_m² − 1, V_m = U_m − U_{m−1}: the identity _third_kind builds T_17 on.
    v = sympy.chebyshevu(m, X) - sympy.chebyshevu(m - 1, X)
    assert sympy.expand((1 + X) * v**2 - 1 - sympy.chebyshevt(2 * m + 1, X)) == 0


def test_t17_through_the_third_kind_is_ten_neurons_outside_the_index_model():
    from quadtheory import Network, verify
    from quadtheory._src.quadratic.structure import _third_kind
    plan = _third_kind(17)
    assert (_neurons(plan), plan.depth) == (10, 5)
    assert _third_kind(19) is None
    net = Network(("x",), realize_rows(plan, [(-1, 1)], "relu").layers(), [(-1, 1)])
    assert verify(net, sympy.chebyshevt(17, X)).holds
    bound = float_error(net)
    assert bound.relative() <= 1e-12
    assert _float_error(net, sympy.chebyshevt(17, X), crowded_points(2000)) \
        <= bound.absolute["float64"]
    # The index model has no plan in fewer than 12 neurons (exhaustive, at construct's depth).
    assert chebyshev_index_plan_exists(17, 11, level(17) + 1) is False
    # construct takes it (fewer nonzero params than the index search's 48), and T_34, T_51
    # build on it (13 and 15 neurons before).
    assert [construct(sympy.chebyshevt(n, X), verify=False).neurons for n in (17, 34, 51)] \
        == [10, 11, 13]


@pytest.mark.parametrize("n", [12, 21, 35, 63])
def test_the_chebyshev_front_is_exact_and_no_entry_beats_another_everywhere(n):
    from quadtheory import Network, verify
    from quadtheory._src.quadratic.structure import _neurons, chebyshev_front
    front = chebyshev_front(n)
    assert front and [e.neurons for e in front] == sorted(e.neurons for e in front)
    for e in front:
        others = [f for f in front if f is not e]
        assert not any(f.neurons <= e.neurons and f.nonzero <= e.nonzero and
                       f.error <= e.error for f in others)
        assert math.prod(m for m, _ in e.factors) == n and f"T_{n}" in e.words()
        plan = e.plan()
        assert _neurons(plan) == e.neurons and plan.depth == e.depth
        net = Network(("x",), realize_rows(plan, [(-1, 1)], "relu").layers(), [(-1, 1)])
        assert verify(net, sympy.chebyshevt(n, X)).holds
        if len(e.factors) == 1:   # an own plan's error is its proved bound
            assert e.error == float(float_error(net).absolute["float64"])


@pytest.mark.parametrize("below", [True, False])
@pytest.mark.parametrize("n", [7, 11, 13, 19, 29])
def test_searched_chebyshev_plans_are_exact_and_their_bound_covers_float(n, below):
    from quadtheory import Network, verify
    from quadtheory._src.quadratic.monomials import level
    from quadtheory._src.quadratic.structure import _searched
    plan = _searched(n, level(n) + 1, below)
    net = Network(("x",), realize_rows(plan, [(-1, 1)], "relu").layers(), [(-1, 1)])
    certificate = verify(net, sympy.chebyshevt(n, X))
    assert certificate.holds
    bound = float_error(net)
    assert bound.relative() <= 64 * n * n * Fraction(1, 2**53)
    assert _float_error(net, sympy.chebyshevt(n, X), np.linspace(-1, 1, 400)) \
        <= bound.absolute["float64"]


@settings(max_examples=examples(40), deadline=None)
@given(st.data())
def test_the_sensitivity_bound_covers_every_perturbation(data):
    # |f(h + δ) − f(h)| <= the bound, for the neuron's exact quadratic f, h in the box and
    # |δ_i| <= err_i: checked at random rational points of both.
    from quadtheory._src.core.numbers import Q
    from quadtheory._src.exact.rounding import _sensitivity

    def q(v):
        return Q(v.numerator, v.denominator)

    def row(columns):
        return tuple((j, q(data.draw(_rationals.filter(bool)))) for j in columns)

    rows = (row((0, 1)), q(data.draw(_rationals)), row((1, 2)), q(data.draw(_rationals)),
            row((0, 2)), q(data.draw(_rationals)))
    below = [(Q(-1), Q(2)), (Q(0), Q(1)), (Q(-2), Q(-1))]
    err = [q(data.draw(st.fractions(min_value=0, max_value=Fraction(1, 8),
                                    max_denominator=16))) for _ in range(3)]
    bound = _sensitivity(rows, below, [Q(2), Q(1), Q(2)], err)
    row_r, b_r, row_g, b_g, row_b, c = rows

    def f(h):
        def dot(r, b):
            return sum((w * h[j] for j, w in r), b)
        return dot(row_r, b_r) * dot(row_g, b_g) + sum(w * h[j] ** 2 for j, w in row_b) + c

    for _ in range(5):
        h = [lo + (hi - lo) * q(data.draw(st.fractions(0, 1, max_denominator=9)))
             for lo, hi in below]
        delta = [e * q(data.draw(st.fractions(-1, 1, max_denominator=9))) for e in err]
        assert abs(f([a + d for a, d in zip(h, delta)]) - f(h)) <= bound


@pytest.mark.slow
@pytest.mark.parametrize("n", [161, 191, 255])
def test_chebyshev_polynomials_past_the_enclosure_degree_verify(n):
    # Past degree 160 no Chebyshev enclosure is computed; verify then starts each layer's
    # interval enclosures from the previous layer's Chebyshev ones, as construct does, so the
    # shifts construct chose stay provable (T_191 was an InternalError before).
    net = construct(sympy.chebyshevt(n, X))
    assert net.certificate.holds
    assert Fraction(net.meta["float64_error_bound"]["relative"]) <= 64 * n * n * Fraction(1, 2**53)


@pytest.mark.parametrize("n", [12, 35, 50, pytest.param(66, marks=pytest.mark.slow)])
def test_spare_plans_are_exact_and_the_composition_estimate_is_near_the_proof(n):
    # Beside the front, the plans of the smallest estimated errors (E_a + G_a·E_b, G_a the
    # outer part's input gain): each exact, and each composition's estimate within 4x of the
    # bound construct proves for it (measured 0.8-2.2x; |T_a'| <= a² alone was off 100-fold).
    from quadtheory import Network, verify
    from quadtheory._src.quadratic.monomials import level
    from quadtheory._src.quadratic.structure import SPARE_PLANS, _near, chebyshev_front
    front, near = chebyshev_front(n), _near(n, level(n) + 1)
    assert near[:len(front)] == front and len(near) <= len(front) + SPARE_PLANS
    spares = near[len(front):]
    assert [e.error for e in spares] == sorted(e.error for e in spares)
    for e in near:
        net = Network(("x",), realize_rows(e.plan(), [(-1, 1)], "relu").layers(), [(-1, 1)])
        assert verify(net, sympy.chebyshevt(n, X)).holds
        if len(e.factors) > 1:
            proved = float(float_error(net).absolute["float64"])
            assert proved / 4 <= e.error <= 4 * proved


@pytest.mark.parametrize("n", [50, pytest.param(66, marks=pytest.mark.slow), 80])
def test_spare_plans_reach_the_float_goal_the_front_missed(n):
    # Their fewest-params plans were proved to 1.1e-12, 2.4e-12 and 1.3e-12; a spare plan
    # (T_66 = T_33∘T_2 by the doubling recurrence) is within 1e-12, and construct takes the
    # best float tier first.
    net = construct(sympy.chebyshevt(n, X), verify=False)
    assert Fraction(net.meta["float64_error_bound"]["relative"]) <= RELATIVE_GOAL
    assert "∘" in net.meta["plan"]
