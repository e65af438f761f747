"""Yarotsky's sawtooth squares and the certified ReLU constructions built on them.

Theory checked exactly: f_m's sup error is 2^(-2m-2), attained at the midpoints, with 2^m
pieces; on random products, polynomials and radial targets on random boxes and balls, the
error observed at exact rational points never exceeds the certified error, which never
exceeds ε.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from quadtheory import QuadTheoryError, parse_expression
from quadtheory._src.conventional.family import relu_construct, relu_radial
from quadtheory._src.conventional.pieces import pieces, sup_error
from quadtheory._src.conventional.polynomial import diagonalize
from quadtheory._src.conventional.yarotsky import (
    ReluBuilder,
    Value,
    chain_neurons,
    sawtooth,
    yarotsky_square,
)
from tests.strategies import examples

F = Fraction


@pytest.mark.parametrize("m", range(1, 9))
def test_f_m_error_is_exactly_2_to_minus_2m_minus_2_at_the_midpoints(m):
    net = yarotsky_square(m)
    err = sup_error(net, "x**2")
    assert err.exact and err.upper == F(1, 2 ** (2 * m + 2))
    assert err.low.hi == 0  # f_m >= x²: it interpolates from above
    for k in range(1, 2**m + 1):
        mid = F(2 * k - 1, 2 ** (m + 1))
        assert net.exact([mid])[0] - mid**2 == F(1, 2 ** (2 * m + 2))
    assert pieces(net) == tuple(F(k, 2**m) for k in range(1, 2**m))  # 2^m pieces
    assert net.meta["certified_error"] == f"1/{2 ** (2 * m + 2)}"


@pytest.mark.parametrize("m", [0, 1, 3, 6])
def test_shifted_variant_halves_the_error(m):
    err = sup_error(yarotsky_square(m, shifted=True), "x**2")
    assert err.exact and err.upper == F(1, 2 ** (2 * m + 3))
    assert err.high.hi == -err.low.lo  # centred


@pytest.mark.parametrize(("m", "radius"), [(0, "1"), (2, "3/2"), (5, "4")])
def test_folded_square_on_minus_m_to_m(m, radius):
    big = F(radius)
    net = yarotsky_square(m, radius=radius)
    err = sup_error(net, "x**2")
    assert err.upper == big**2 / 2 ** (2 * m + 2)
    assert len(pieces(net)) + 1 == 2 ** (m + 1)
    assert net.domain == ((-big, big),)


def test_sawtooth_has_2_to_s_minus_1_teeth():
    for s in range(1, 6):
        net = sawtooth(s)
        values = [net.exact([F(k, 2**s)])[0] for k in range(2**s + 1)]
        assert values == [F(k % 2) for k in range(2**s + 1)]
        assert len(pieces(net)) + 1 == 2**s


def test_chain_neuron_counts_match_what_is_built():
    for m in range(-1, 6):
        b = ReluBuilder(("x",), [(-1, 1)])
        chain = b.square(b.input(0), F(-1), F(1), m)
        hidden = sum(len(level) for level in b.levels)
        assert hidden == chain_neurons(m)
        assert chain.error == F(1, 4 ** (m + 1))


@pytest.mark.parametrize(("call", "message"), [
    (lambda: yarotsky_square(-1), r"m: expected a number of sawtooth levels >= 0, found -1"),
    (lambda: yarotsky_square(2, radius="-1"), r"radius: expected a positive number"),
    (lambda: sawtooth(0), r"s: expected a positive number"),
    (lambda: sawtooth(True), r"s: expected a positive number .*, found True"),  # not g_1
    (lambda: yarotsky_square(True), r"m: expected a number of sawtooth levels >= 0, found True"),
])
def test_square_errors(call, message):
    with pytest.raises(QuadTheoryError, match=message):
        call()


# -- products, polynomials, radial targets: certified error, checked at exact points ----------

def _target_value(expr: sympy.Expr, names, point) -> Fraction:
    value = expr.xreplace({sympy.Symbol(n): sympy.Rational(v.numerator, v.denominator)
                           for n, v in zip(names, point, strict=True)})
    return F(int(value.p), int(value.q))


def _random_points(box, count, seed):
    rng = random.Random(seed)
    return [[lo + (hi - lo) * F(rng.randrange(3**8 + 1), 3**8) for lo, hi in box]
            for _ in range(count)]


def _check(net, expr, box, eps, seed=0):
    certified = F(net.meta["certified_error"])
    assert certified <= eps
    for point in _random_points(box, 40, seed):
        assert abs(net.exact(point)[0] - _target_value(expr, net.inputs, point)) <= certified
    return certified


side = st.tuples(st.integers(-6, 6), st.integers(1, 8), st.integers(1, 4)).map(
    lambda t: (F(t[0], 4), F(t[0], 4) + F(t[1], t[2])))
small_side = st.tuples(st.integers(-4, 4), st.integers(1, 4), st.integers(1, 2)).map(
    lambda t: (F(t[0], 4), F(t[0], 4) + F(t[1], t[2])))
eps_values = st.sampled_from(["1/10", "1/100", "1/1000", "1e-5"])


@settings(max_examples=examples(15), deadline=None)
@given(st.lists(side, min_size=2, max_size=3), eps_values)
def test_products_on_random_boxes_stay_within_the_certified_error(box, eps):
    names = ["x", "y", "z"][:len(box)]
    text = "*".join(names)
    net = relu_construct(text, eps, domain=box)
    assert net.meta["certificate"]["holds"]
    observed = F(net.meta["certificate"]["details"]["observed_max_error"])
    assert observed <= F(net.meta["certified_error"]) * (1 + F(1, 10**5))  # 6 printed digits
    _check(net, sympy.Mul(*sympy.symbols(names)), box, F(eps))


monomial = st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(-3, 3).filter(bool))


@settings(max_examples=examples(6), deadline=None)
@given(st.lists(monomial, min_size=1, max_size=4), st.lists(side, min_size=2, max_size=2),
       eps_values)
def test_polynomials_on_random_boxes_stay_within_the_certified_error(terms, box, eps):
    x, y = sympy.symbols("x y")
    expr = sympy.Add(*(c * x**a * y**b for a, b, c in terms))
    net = relu_construct(expr, eps, variables=["x", "y"], domain=box)
    _check(net, expr, box, F(eps))


@settings(max_examples=examples(10), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(-3, 3).filter(bool)), min_size=1,
                max_size=3), small_side, st.sampled_from(["1/10", "1/100", "1/1000"]))
def test_one_input_polynomials_get_the_exact_sup_error(terms, box_side, eps):
    x = sympy.Symbol("x")
    expr = sympy.Add(*(c * x**a for a, c in terms))
    net = relu_construct(expr, eps, variables=["x"], domain=[box_side])
    certified = _check(net, expr, [box_side], F(eps))
    if net.depth > 1 and "pieces" in net.meta["certificate"]["details"]:  # the exact path
        err = sup_error(net, expr)
        assert err.upper == certified
        assert err.high.hi == -err.low.lo  # the output bias centres the error exactly


@pytest.mark.parametrize(("g", "dim", "center", "radius", "eps"), [
    ("r**2", 1, None, 1, "1/100"),
    ("r**2", 4, ["1/2", 0, -1, 2], "3/2", "1/1000"),
    ("1 - r**2 + r**4/2", 2, [1, 1], 1, "1/1000"),
    ("exp(-r**2)", 3, None, 1, "1/100"),
    ("sqrt(1 + r)", 2, ["-1/2", 1], "1/2", "1/1000"),
    ("r", 2, None, 2, "1/100"),
])
def test_radial_targets_stay_within_the_certified_error_on_the_ball(g, dim, center, radius, eps):
    net = relu_radial(g, dim, eps, center, radius)
    certified = F(net.meta["certified_error"])
    assert certified <= F(eps) and net.meta["certificate"]["holds"]
    c = [F(v) for v in center] if center else [F(0)] * dim
    big = F(radius)
    profile = parse_expression(g, ["r"])
    r = sympy.Symbol("r")
    rng = random.Random(1)
    for _ in range(30):
        direction = [rng.gauss(0, 1) for _ in range(dim)]
        scale = rng.random() / math.sqrt(sum(d * d for d in direction))
        point = [ci + big * F(round(d * scale * 3**9), 3**9) for ci, d in zip(c, direction)]
        dist = sympy.sqrt(sum(sympy.Rational(v - ci) ** 2 for v, ci in zip(point, c)))
        exact = profile.xreplace({r: dist})
        value = net.exact(point)[0]
        assert abs(sympy.Rational(value.numerator, value.denominator) - exact) <= certified


def test_radial_params_grow_linearly_in_the_dimension():
    dense = [relu_radial("r**2", d, "1/1000").params.nonzero for d in (1, 2, 3, 4)]
    steps = np.diff(dense)
    assert all(s > 0 for s in steps) and max(steps) - min(steps) <= max(steps) // 3


def test_exact_and_float64_evaluations_agree():
    net = relu_construct("x**2*y - 3*x*y + y**3/2", "1e-4", domain=[(0, 1), (-1, 2)])
    points = _random_points(net.domain, 20, 3)
    exact = np.array([float(net.exact(p)[0]) for p in points])
    numeric = net.numeric(np.array([[float(v) for v in p] for p in points]))[:, 0]
    assert np.allclose(exact, numeric, rtol=1e-9, atol=1e-9)


def test_constant_and_affine_targets_need_no_hidden_layer():
    for text in ("5", "x + 2*y - 1"):
        net = relu_construct(text, "1/100")
        assert net.depth == 1 and net.meta["certified_error"] == "0"


def test_linear_terms_ride_along_for_free():
    # x² + y: y is not in the square's span, so it is carried to the output: one neuron at
    # the first level, then inside the square's running-sum carries (not one per level).
    alone = relu_construct("x**2", "1e-4", variables=["x", "y"])
    with_y = relu_construct("x**2 + y", "1e-4")
    assert with_y.depth == alone.depth > 4
    assert with_y.neurons == alone.neurons + 1


@settings(max_examples=examples(40), deadline=None)
@given(st.dictionaries(st.tuples(st.integers(0, 3), st.integers(0, 3)).map(
    lambda p: (min(p), max(p))), st.integers(-4, 4).map(F), max_size=6))
def test_diagonalize_reconstructs_the_quadratic_form(form):
    x = sympy.symbols("x0:4")
    wanted = sympy.expand(sum(c * x[i] * x[j] for (i, j), c in form.items()))
    got = sympy.expand(sum(sympy.Rational(d) * sum(sympy.Rational(v) * x[i]
                                                   for i, v in ell.items()) ** 2
                           for d, ell, _ in diagonalize(form)))
    assert got == wanted


@pytest.mark.parametrize(("call", "message"), [
    (lambda: relu_construct("x**2", "0"), r"eps: expected a positive number, found 0"),
    (lambda: relu_construct("x**2", "-1/10"), r"eps: expected a positive number, found -1/10"),
    (lambda: relu_construct("sin(x)*y", "1/10"), r"expected a polynomial .*radial"),
    (lambda: relu_construct("x**2", "1/10", domain=(1, 0)), r"empty interval \[1, 0\]"),
    (lambda: relu_construct("x**2", "1/10", domain="all"), r"expected a bounded box"),
    (lambda: relu_radial("r**2", 0, "1/10"), r"dim: expected an integer >= 1, found 0"),
    (lambda: relu_radial("exp(-r)", 2, "1/10", radius=0), r"radius: expected a positive"),
])
def test_construction_errors(call, message):
    with pytest.raises(QuadTheoryError, match=message):
        call()


def test_relu_networks_round_trip_through_the_network_file(tmp_path):
    from quadtheory import load, save

    net = relu_radial("exp(-r**2)", 2, "1e-2", center=[1, "-1/2"])
    save(net, tmp_path / "relu.json")
    again = load(tmp_path / "relu.json")
    assert again.meta["family"] == "relu" and again.meta["region"] == net.meta["region"]
    for point in _random_points(net.domain, 10, 5):
        assert again.exact(point) == net.exact(point)


@given(st.lists(st.one_of(
    st.builds(lambda terms, c: Value(2, tuple(sorted(terms.items())), c),
              st.dictionaries(st.integers(0, 5), st.fractions(-3, 3, max_denominator=4)),
              st.fractions(-3, 3, max_denominator=4)),
    st.fractions(-3, 3, max_denominator=4)), max_size=8))
def test_value_sum_is_repeated_addition(values):
    # Value.sum (one pass: outputs summing a million cells) against + one at a time.
    values = [Value(v.level, tuple((j, c) for j, c in v.terms if c), v.const)
              if isinstance(v, Value) else v for v in values]
    step = Value.constant(Fraction(0))
    for v in values:
        step = step + v
    total = Value.sum(values)
    assert (total.terms, total.const) == (step.terms, step.const)
    assert total.level == step.level or not total.terms
