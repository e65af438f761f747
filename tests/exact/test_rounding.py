"""The proved float error bounds, checked layer by layer against float evaluation itself.

The analysis (``quadtheory._src.exact.rounding``) claims, for every layer's outputs, a bound
on the float error and a range the float values lie in (the ranges tighten each operation's
rounding to its binade). Both claims are checked here where they can fail: float64 as
``Network.numeric`` computes, float32 as the torch layers of ``to_torch`` compute, each value
compared exactly with the rational evaluation of the same float point, on random networks
(inexact weights such as 1/3 included) and on the Chebyshev chains, whose values sit at the
binade edges 1 and 2.
"""

from __future__ import annotations

import functools
import itertools
import math
import warnings
from fractions import Fraction
from unittest import mock

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quadtheory import FloatPrecisionWarning, Network, construct
from quadtheory._src.core.numbers import slow
from quadtheory._src.exact import rounding
from quadtheory._src.exact.polynomial import network_polynomials
from quadtheory._src.exact.rounding import _bounds, _pieces, float_error
from tests.reference import crowded_points, observed_float_error
from tests.strategies import examples, networks

torch = pytest.importorskip("torch")


@functools.cache
def _chebyshev(n: int) -> Network:
    """``construct``'s network of ``T_n``, built once for the tests that share it (T_71 and
    T_128 two each: about 2 s of the inner loop). A Network is frozen."""
    return construct(sympy.chebyshevt(n, sympy.Symbol("x"))).network


def _prefix(network: Network, k: int) -> Network:
    return Network(network.inputs, network.layers[:k + 1], network.domain)


def _float64_layers(network: Network, points: np.ndarray) -> list[np.ndarray]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FloatPrecisionWarning)
        return [_prefix(network, k).numeric(points) for k in range(network.depth)]


def _float32_layers(network: Network, points: np.ndarray) -> list[np.ndarray]:
    from quadtheory.nn import to_torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FloatPrecisionWarning)
        module = to_torch(network, dtype=torch.float32)
    h, after = torch.tensor(points, dtype=torch.float32), []
    with torch.no_grad():
        for part in module:
            h = part(h)
            after.append(h.numpy().astype(np.float64))
    # One entry per layer: a relu layer's values are those after its ReLU module.
    layers, i = [], 0
    for layer in network.layers:
        i += 2 if layer.activation == "relu" else 1
        layers.append(after[i - 1])
    return layers


def _check(network: Network, points: np.ndarray) -> None:
    """Every layer's float64 and float32 values within their recorded ranges and error
    bounds at every point (float32 points are the float64 ones rounded)."""
    record: list = []
    assert _bounds(network, None, None, record=record) is not None
    for dtype, layers, pts in (
            ("float64", _float64_layers, points),
            ("float32", _float32_layers, _float32_points(network, points))):
        values = layers(network, pts)
        exact = [[Fraction(v) for v in p] for p in pts.tolist()]
        for k, got in enumerate(values):
            prefix = _prefix(network, k)
            errors = [slow(e) for e in record[k][dtype][0]]
            ranges = [(slow(lo), slow(hi)) for lo, hi in record[k][dtype][1]]
            for p, row in zip(exact, got.tolist()):
                want = prefix.exact(p)
                for j, (f, e) in enumerate(zip(row, want)):
                    f = Fraction(f)
                    lo, hi = ranges[j]
                    assert abs(f - e) <= errors[j], (dtype, k, j, p, f, e, errors[j])
                    assert lo <= f <= hi, (dtype, k, j, p, f, (lo, hi))


def _float32_points(network: Network, points: np.ndarray) -> np.ndarray:
    """The points rounded to float32, each moved back into the box where rounding left it."""
    out = points.astype(np.float32)
    for i, (lo, hi) in enumerate(network.domain):
        column = out[:, i]
        for k, v in enumerate(column):
            if Fraction(float(v)) > hi:
                column[k] = np.nextafter(v, np.float32(-np.inf))
            elif Fraction(float(v)) < lo:
                column[k] = np.nextafter(v, np.float32(np.inf))
    return out.astype(np.float64)


# Random networks of one input with a domain, and a seed for their float points; the health
# checks their tests filter through (assume) and draw large examples past.
_ONE_INPUT = (networks(max_inputs=1, max_depth=3, max_width=3, with_domain=True),
              st.integers(0, 2**32 - 1))
_FILTERED = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]


def _points(network: Network, rng: np.random.Generator, count: int) -> np.ndarray:
    """Random float points of the box, its corners' floats, and points at binade edges."""
    box = network.domain
    lo = np.array([math.nextafter(float(a), math.inf) if Fraction(float(a)) < a else float(a)
                   for a, _ in box])
    hi = np.array([math.nextafter(float(b), -math.inf) if Fraction(float(b)) > b else float(b)
                   for _, b in box])
    pts = [lo, hi] + [lo + rng.random(len(box)) * (hi - lo) for _ in range(count)]
    for edge in (0.5, 1.0, 2.0, -0.5, -1.0, -2.0):
        near = np.array([math.nextafter(edge, math.inf if rng.random() < 0.5 else -math.inf)
                         for _ in box])
        pts.append(np.clip(near, lo, hi))
    return np.array(pts)


@settings(max_examples=examples(40), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(networks(max_inputs=2, max_depth=3, max_width=3, with_domain=True),
       st.integers(0, 2**32 - 1))
def test_float_values_lie_within_their_ranges_and_error_bounds(network, seed):
    _check(network, _points(network, np.random.default_rng(seed), 12))


def test_numeric_adds_the_squares_bias_before_the_product_as_the_bound_models():
    # (1)(3) + x² + 1 on [0, 1/8]: numeric once added c last, a third rounding (5.32u at
    # this point against the bound's 5.01u, which models fl(fl(r·g) + (w_b·x² + c)), the
    # torch layers' order). Found by the hypothesis test above with 5x its examples.
    from quadtheory import quadratic_layer

    net = Network(("x",), (quadratic_layer(
        [[0], [0], [0]], w_g=[[0], [0], [0]], w_b=[[0], [0], [1]], b_r=[0, 0, 1],
        b_g=[0, 0, 3], c=[0, 0, 1], activation="relu"),), domain=[[0, "1/8"]])
    _check(net, np.array([[2732044653694683 / 2**55], [0.125], [0.0]]))


@pytest.mark.parametrize("n", [5, 7, 12, 64, pytest.param(128, marks=pytest.mark.slow)])
def test_chebyshev_networks_float_values_within_the_bounds_at_crowded_points(n):
    net = _chebyshev(n)
    _check(net, crowded_points(600)[:, None])


def test_t128_squares_stay_in_their_binade_and_meet_the_issue_goal():
    # T_s + 1 = 2·(T_{s/2})² computed in floats stays within [0, 2]: each product rounds by
    # u (its binade [1, 2)), not 2u, so the bound is about half of n²·u (16384 u before).
    net = _chebyshev(128)
    record: list = []
    bound = _bounds(net, None, None, record=record)["float64"]
    assert all(r == (0, 2) for layer in record[:-1] for r in layer["float64"][1])
    assert slow(bound) <= Fraction(1, 10**12)
    # float_error also has the layers' polynomials: the first-order bound, never above.
    assert float_error(net).absolute["float64"] <= slow(bound)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=_FILTERED)
@given(*_ONE_INPUT)
def test_pieces_tile_the_side_and_each_bounds_float_evaluation_on_it(network, seed):
    # Refined to the budget (goal -1): every piece's bound, found on its own side with the
    # whole network's trace, must hold at float points of that piece, and never exceed the
    # whole side's bound.
    trace = network_polynomials(network, keep_hidden=True)
    assume(trace.proved)
    whole = _bounds(network, trace.layer_ranges, trace)
    assume(whole is not None)
    with mock.patch.object(rounding, "REFINE_PIECES", 8):
        leaves = _pieces(network, trace.layer_ranges, trace, whole, -1, ends=False)
    (lo, hi), = network.domain
    assert len(leaves) == 8 and leaves[0][1] == lo and leaves[-1][2] == hi
    assert all(left[2] == right[1] for left, right in itertools.pairwise(leaves))
    rng = np.random.default_rng(seed)
    for bounds, a, b in leaves:
        assert all(bounds[d] <= whole[d] for d in whole)
        piece = Network(network.inputs, network.layers, ((a, b),))
        points = _points(piece, rng, 6)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FloatPrecisionWarning)
            got = network.numeric(points)
        for p, row in zip(points.tolist(), got.tolist()):
            for f, e in zip(row, network.exact([Fraction(v) for v in p])):
                assert abs(Fraction(f) - e) <= bounds["float64"], (a, b, p, f, e)


def test_a_bound_near_the_goal_is_tightened_over_pieces_and_says_so():
    # T_75 = T_3∘T_5∘T_5 (index search, x·q(x²)): 2.5e-12 on [-1, 1] at once, within 1e-12
    # over pieces of the side (near x = ±1 every value is near its extreme, elsewhere not).
    net = _chebyshev(75)
    whole = float_error(net, refine=False)
    pieces = float_error(net)
    assert whole.pieces == 1 and pieces.pieces > 1
    assert pieces.absolute["float64"] < whole.absolute["float64"]
    assert pieces.relative() <= Fraction(1, 10**12) < whole.relative()
    assert f"the worst of {pieces.pieces} pieces" in pieces.line()
    assert net.meta["float64_error_bound"]["pieces"] == pieces.pieces
    observed = _float_error_at(net, sympy.chebyshevt(75, sympy.Symbol("x")), 2000)
    assert observed <= pieces.absolute["float64"]


def _float_error_at(net: Network, polynomial: sympy.Expr, count: int) -> Fraction:
    from tests.reference import observed_float_error

    pytest.importorskip("flint")
    return observed_float_error(net, polynomial, crowded_points(count))


def _first_order(network: Network, trace, side=None) -> dict[str, list[Fraction]]:
    """The first-order bounds (``rounding._Linear``) of the outputs, per format, on ``side``
    (default the domain), as computed: before the minimum with the layer-by-layer ones."""
    found: list = []
    real = rounding._Linear.totals

    def spy(self, side):
        out = real(self, side)
        found.append(out)
        return out

    piece = network if side is None else Network(network.inputs, network.layers, (side,))
    with mock.patch.object(rounding._Linear, "totals", spy):
        assert _bounds(piece, trace.layer_ranges, trace) is not None
    assert len(found) == 1 and None not in found, "the first-order analysis did not run"
    return {"float64": [slow(v) for v in found[0]]}


@pytest.mark.parametrize("n", [13, 40, pytest.param(71, marks=pytest.mark.slow),
                               pytest.param(91, marks=pytest.mark.slow),
                               pytest.param(127, marks=pytest.mark.slow)])
def test_first_order_bounds_hold_at_crowded_points_and_near_the_ends(n):
    # The plans of T_n with odd and even n (T_71, T_91, T_127: index searches, values carried
    # as T_m + 1 through relu), on the whole side and on its narrowest end pieces, where
    # every value is near ±1 and the layer-by-layer bound counts the shared roundings once
    # per path: the first-order bound, on its own, must hold at float points there.
    x = sympy.Symbol("x")
    net = _chebyshev(n)
    trace = network_polynomials(net, keep_hidden=True)
    end = Fraction(1, 2**12)
    for lo, hi in ((Fraction(-1), Fraction(1)), (Fraction(-1), -1 + end), (1 - end, Fraction(1))):
        bound = _first_order(net, trace, (lo, hi))["float64"][0]
        if hi - lo == 2:
            points = crowded_points(3000)
        else:  # the piece's floats, and the 200 floats at its end (x = ±1)
            at_end = float(hi) if hi == 1 else float(lo)
            step = -(2.0**-53) if hi == 1 else 2.0**-53
            points = np.concatenate([np.linspace(float(lo), float(hi), 1500),
                                     at_end + step * np.arange(200)])
        assert observed_float_error(net, sympy.chebyshevt(n, x), points) <= bound, (n, lo, hi)


def test_first_order_bound_and_binade_sums_tighten_t71():
    # T_71's plan (values carried as T_m + 1, through relu): on [-1, 1] 28,600u layer by
    # layer, 14,600u with sums bounded by their partial sums' binades (h0 − h2 + 1 near
    # (2, 4): 3u in any order, not γ_3·7 = 21u), 7,100u to first order (each rounding's
    # share an exact polynomial, where layer by layer counts it once per path); at x = 1:
    # 12,800u, 5,300u, 4,500u (1,860u sampled). T_71 within 1e-12 at once (3.2e-12 before).
    net = _chebyshev(71)
    trace = network_polynomials(net, keep_hidden=True)

    def layered(side, sums=rounding.SUM_TERMS):
        with mock.patch.object(rounding, "LINEAR_NEURONS", 0), \
                mock.patch.object(rounding, "SUM_TERMS", sums):
            return slow(_bounds(Network(net.inputs, net.layers, (side,)), trace.layer_ranges,
                                trace)["float64"])

    whole, end = (Fraction(-1), Fraction(1)), (1 - Fraction(1, 2**24), Fraction(1))
    assert 1.5 * layered(whole) < layered(whole, 0)
    assert 1.5 * layered(end) < layered(end, 0)
    assert 1.5 * _first_order(net, trace, whole)["float64"][0] < layered(whole)
    assert float_error(net, refine=False).relative() <= Fraction(1, 10**12)


@settings(max_examples=examples(30), deadline=None, suppress_health_check=_FILTERED)
@given(*_ONE_INPUT)
def test_first_order_bounds_hold_on_random_networks_of_one_input(network, seed):
    # Quadratic and conventional layers of one input (relu or not, inexact weights among
    # them): the first-order bound of every output holds at float points (float64, as
    # numeric computes; float32's bound is the layer-by-layer one).
    trace = network_polynomials(network, keep_hidden=True)
    assume(trace.proved and len(trace.hidden) == network.depth)
    assume(all(r.relu in ("identity", "zero") for r in trace.relu_ranges))
    assume(_bounds(network, trace.layer_ranges, trace) is not None)
    bounds = _first_order(network, trace)
    points = _points(network, np.random.default_rng(seed), 16)
    got = _float64_layers(network, points)[-1]
    for p, row in zip(points.tolist(), got.tolist()):
        want = network.exact([Fraction(v) for v in p])
        for j, (f, e) in enumerate(zip(row, want)):
            assert abs(Fraction(f) - e) <= bounds["float64"][j], (j, p, f, e)


_VALUES = st.builds(lambda n, d, e: Fraction(n, d) * Fraction(2) ** e,
                    st.integers(-(10**18), 10**18), st.integers(1, 10**20), st.integers(-66, 40))


@given(_VALUES)
def test_a_rational_rounds_into_its_outward_range_by_at_most_its_binade_half_ulp(value):
    # float(Fraction) rounds correctly; float32 of a float64 rounds once more, so float32 is
    # checked on values float64 holds exactly.
    from quadtheory._src.core.numbers import Q
    from quadtheory._src.exact.rounding import _Format

    for bits, rounded in ((53, float(value)),
                          (24, float(np.float32(float(value))))):
        f = _Format(Q(1, 2**bits), bits)
        v = value if bits == 53 else Fraction(float(value))
        lo, hi = f.outward((Q(v.numerator, v.denominator),) * 2)
        got = Fraction(rounded)
        assert slow(lo) <= got <= slow(hi)
        assert abs(got - v) <= slow(f.hulp(Q(abs(v.numerator), v.denominator)))
        # Tight: the ends are the floats on either side of v, one spacing apart at most.
        assert slow(hi) - slow(lo) <= 2 * slow(f.hulp(Q(abs(v.numerator), v.denominator)))


@given(_VALUES, st.integers(0, 2**60), st.sampled_from([2, 4, 1, Fraction(1, 2)]),
       st.integers(0, 100))
def test_a_value_just_past_a_power_of_two_rounds_by_its_distance_to_it(value, tiny, edge,
                                                                         cut):
    # _Format.rounds(lo, hi): what any real in [lo, hi] may round by, float64. Ranges just
    # past a power of two (products 2T_a·T_b near 2 at x = 1) round by less than the binade
    # above says; any range, checked at its ends, at the edge's neighbourhood and inside.
    from quadtheory._src.core.numbers import Q
    from quadtheory._src.exact.rounding import _Format

    f = _Format(Q(1, 2**53), 53)
    over = Fraction(edge) * (1 + Fraction(tiny, 2**113))  # past the edge by < 2^-53 of it
    for lo, hi in ((min(value, over), max(value, over)), (Fraction(edge) / 3, over),
                   (-over, Fraction(edge) / 2)):
        bound = slow(f.rounds(Q(lo.numerator, lo.denominator), Q(hi.numerator, hi.denominator)))
        assert bound <= slow(f.hulp(Q(max(-lo, hi).numerator, max(-lo, hi).denominator)))
        inside = lo + (hi - lo) * Fraction(cut, 100)
        for v in (lo, hi, inside, Fraction(edge), Fraction(float(over)), -Fraction(edge)):
            if lo <= v <= hi:
                assert abs(Fraction(float(v)) - v) <= bound, (lo, hi, v)


def test_a_carried_value_is_scaled_by_one_and_rounds_nothing():
    from quadtheory import quadratic_layer

    carry = quadratic_layer([[1]], b_g=[1], activation="identity")        # h·1
    half = quadratic_layer([[1]], b_g=[Fraction(1, 2)], activation="identity")  # h·(1/2)
    third = quadratic_layer([[1]], b_g=[Fraction(1, 3)], activation="identity")
    exact = Network(("x",), (carry,) * 5 + (half,), domain=[[-1, 1]])
    assert float_error(exact).absolute["float64"] == 0
    assert float_error(Network(("x",), (carry, third), domain=[[-1, 1]])).absolute["float64"] > 0


_ENDS = st.lists(st.tuples(_VALUES, _VALUES), min_size=rounding.TREE_TERMS + 1,
                 max_size=rounding.SUM_TERMS)


@given(_ENDS)
def test_the_largest_partial_sum_is_the_largest_over_every_subset(pairs):
    # _float_sum_subsets' additions round by the binade of the largest |sum| of two or more
    # terms: _most's closed form against every subset's interval sum (what it computed so
    # before), and the whole sum the float value lies around.
    from quadtheory._src.core.numbers import fast

    terms = [(fast(min(a, b)), fast(max(a, b))) for a, b in pairs]
    brute = max(max(-sum(t[0] for t in subset), sum(t[1] for t in subset))
                for size in range(2, len(terms) + 1)
                for subset in itertools.combinations(terms, size))
    got = max(rounding._most([hi for _, hi in terms]), rounding._most([-lo for lo, _ in terms]))
    assert got == brute
