"""Split plans: polynomials of one variable as squares and products layer by layer."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
import sympy
from flint import fmpq_poly
from hypothesis import given, settings
from hypothesis import strategies as st

from quadtheory import construct, verify
from quadtheory._src.core.network import Network
from quadtheory._src.quadratic.fewest import neurons_at_least, right_candidate
from quadtheory._src.quadratic.realize import realize_rows
from quadtheory._src.quadratic.splits import (
    MAX_BITS,
    MAX_SPLIT_DEGREE,
    TARGET_BITS,
    split_plans,
)
from tests.strategies import examples, rationals

X = sympy.Symbol("x")


def _terms(expr: sympy.Expr) -> dict[tuple[int, ...], Fraction]:
    return {m: Fraction(int(c.p), int(c.q)) for m, c in sympy.Poly(expr, X).terms()}


def _neurons(plan) -> int:
    return sum(1 for node in plan.nodes if node.layer and node.op != "affine")


def _network(plan, activation: str, side=(Fraction(-1), Fraction(1))) -> Network:
    realized = realize_rows(plan, [side], activation)
    return Network(("x",), realized.layers(), (side,))


@pytest.mark.parametrize("expr, neurons, widths", [
    (X**6 + X, 5, "2, 2, 1"),                           # (x³)² + x over {x, x²}, {x³, x}
    (3 * X**8 - 2 * X**7 + X**5 - 4 * X**3 + X - 1, 5, "2, 2, 1"),
    (X**5 + 2 * X**3 - X + 1, 5, "2, 2, 1"),            # x·(x⁴ + 2x² − 1) + 1
    (X**3 + X, 3, "2, 1"),
    ((X**2 + X + 1)**4 - 3 * X, 5, "2, 2, 1"),
    (sympy.chebyshevt(40, X) + X / 3, 11, "2, 2, 2, 2, 2, 1"),  # T_40 = 2·T_20² − 1, ...
])
def test_split_plans_table(expr, neurons, widths):
    words, plan = split_plans(_terms(expr))[0]
    assert words == f"widths {widths}"
    assert _neurons(plan) == neurons
    for activation in ("identity", "relu"):
        assert verify(_network(plan, activation), expr)


def test_no_split_plans_outside_their_degrees_and_sizes():
    assert split_plans(_terms(X**2 + X)) == []
    assert split_plans(_terms(X**(MAX_SPLIT_DEGREE + 1) + X)) == []
    assert split_plans({}) == []
    # Rationals past TARGET_BITS: top roots and divisions would grow them for minutes.
    assert split_plans(_terms(X**8 + 2**(TARGET_BITS + 1) * X)) == []
    assert split_plans(_terms(X**8 + 2**(TARGET_BITS - 1) * X))


def test_splits_keep_their_rationals_small():
    # 61-bit coefficients of degree 64 (where the planner without the bound ran 130 s and
    # built weights of thousands of digits): the plan's weights stay within MAX_BITS.
    coeffs = [(-1) ** k * (2**61 - 7 * k) for k in range(65)]
    plans = split_plans(_terms(sum(c * X**k for k, c in enumerate(coeffs))))
    assert plans
    for _, plan in plans:
        for node in plan.nodes:
            for _, c in (*node.linear, *node.squares):
                assert max(c.numerator.bit_length(), c.denominator.bit_length()) <= MAX_BITS


@pytest.mark.parametrize("target", [
    # Hypothesis found it: the chains through its top roots pass MAX_BITS at layer 2, and
    # the planner gave no plan; a chain through x^4·(x^16 + …) the beam had dropped lives.
    2 * X**20 + X**19 / 2 + X**18 + X**3,
    # One of four among 160 random targets of degree 3-40 (integers in [-6, 6]) with no
    # plan so.
    sum(c * X**k for k, c in enumerate(
        [6, -1, 5, -1, 2, 4, -3, -1, 2, 5, 0, -1, -6, 5, -1, 4, -1, 6, 1, 2, -1, -3, -1])),
])
def test_a_layer_where_the_kept_chains_die_falls_back_on_dropped_ones(target):
    plans = split_plans(_terms(target))
    assert plans
    for _, plan in plans:
        assert verify(_network(plan, "relu"), target)


def test_the_half_root_squares_to_the_top_half():
    p = fmpq_poly([5, -1, 3, 0, 7, 2, 4])        # 4x⁶ + 2x⁵ + 7x⁴ + 3x² − x + 5
    u = fmpq_poly(right_candidate(p.coeffs(), 3))  # normalized: monic, u(0) = 0
    assert u.degree() == 3 and u[3] == 1 and u[0] == 0
    shift = (p - u * u * 4)[3] / 8               # the constant normalizing dropped
    assert (p - (u + shift) * (u + shift) * 4).degree() < 3


def test_construct_takes_a_split_plan_where_it_is_smaller_and_float_safe():
    # T_40 + x/3 had no structure construct found: its monomials' coefficients near 10^11
    # cancel, and float64 lost most digits (a bound above 1e-9). Squares of top roots find
    # T_40 = 2·T_20² − 1 again, with values that stay small.
    net = construct(sympy.chebyshevt(40, X) + X / 3)
    assert net.meta["plan"].startswith("split")
    assert sum(net.widths) == 11
    assert Fraction(net.meta["float64_error_bound"]["relative"]) <= Fraction(1, 10**12)
    # A generic polynomial of degree 8: five neurons, the least any network takes.
    target = 3 * X**8 - 2 * X**7 + X**5 - 4 * X**3 + X - 1
    few = construct(target, objective="neurons")
    assert sum(few.widths) == 5 == few.meta["neurons_at_least"]["neurons"]


@st.composite
def univariate(draw, low: int = 3, high: int = 20):
    degree = draw(st.integers(low, high))
    coeffs = [*(draw(rationals(5, 3)) for _ in range(degree)),
              draw(rationals(5, 3, zero_weight=False).filter(bool))]
    return sum(sympy.Rational(c.numerator, c.denominator) * X**k for k, c in enumerate(coeffs))


@settings(max_examples=examples(25), deadline=None)
@given(univariate(), st.sampled_from(["identity", "relu"]))
def test_every_split_plan_is_exact(target, activation):
    degree = int(sympy.degree(target, X))
    plans = split_plans(_terms(target))
    assert plans
    least, _ = neurons_at_least(degree, 1)
    for _, plan in plans:
        assert plan.depth == math.ceil(math.log2(degree))
        assert _neurons(plan) >= least
        side = (Fraction(-1), Fraction(2))
        assert verify(_network(plan, activation, side), target)


@settings(max_examples=examples(20), deadline=None)
@given(univariate(5, 8))
def test_top_roots_give_the_fewest_neurons(target):
    # Even degree 6 or 8: t = λ·u² + r with u the top half of √t and deg r < deg u, u and r
    # quartics over {x, x²}; degree 5: t = x·q + t(0). Five neurons: 2·⌈log2 d⌉ − 1, the
    # least for any network (a smaller one computes a composition, quadratic/fewest.py).
    degree = int(sympy.degree(target, X))
    if degree == 7:
        return
    _, plan = split_plans(_terms(target))[0]
    assert _neurons(plan) <= 5
