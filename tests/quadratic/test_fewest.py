"""The proved least number of neurons (``quadratic/fewest.py``, proof in docs/construct.md),
and what construct reports of it: no network construct builds is ever below it.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from quadtheory import QuadTheoryError, construct
from quadtheory._src.quadratic.fewest import indecomposable, neurons_at_least, right_component
from tests.strategies import examples, rationals

X, Y, Z = sympy.symbols("x y z")


@pytest.mark.parametrize(("degree", "inputs", "least"), [
    (0, 0, 1), (0, 1, 1), (1, 1, 1), (2, 1, 1), (2, 3, 1),
    (3, 1, 3), (3, 2, 2),         # x³ in one variable: 3 (x, x² then x·x²); x²y: 2 layers
    (4, 1, 2),                    # x⁴ = (x²)²: a composition, so depth alone
    (5, 1, 5), (7, 1, 5), (8, 1, 3), (9, 1, 4),
    (19, 1, 9), (19, 2, 5), (127, 1, 13), (128, 1, 7), (1000, 1, 10), (997, 1, 19),
])
def test_the_bound_table(degree, inputs, least):
    assert neurons_at_least(degree, inputs)[0] == least


@pytest.mark.parametrize(("degree", "inputs", "least"), [
    (4, 1, 3), (6, 1, 5), (8, 1, 5), (9, 1, 7), (128, 1, 13), (12, 2, 4), (2, 1, 1)])
def test_the_bound_of_a_polynomial_that_is_no_composition(degree, inputs, least):
    assert neurons_at_least(degree, inputs, indecomposable=True)[0] == least


@pytest.mark.parametrize(("coefficients", "expected"), [
    ({4: 1, 1: 1}, True), ({4: 1}, False), ({6: 1, 0: 5}, False),       # x⁶ + 5 = (x²)³ + 5
    (sympy.Poly(sympy.chebyshevt(6, X), X).as_dict(), False),            # T_2∘T_3
    (sympy.Poly((X**2 + X + 1) ** 3 + X**2 + X, X).as_dict(), False),    # g∘(x² + x)
    ({6: 1, 1: 1}, True), ({3: 1, 1: 1}, False),                         # degree 3: prime
    ({300: 1, 1: 1}, False),                                             # past 256: not known
])
def test_indecomposable(coefficients, expected):
    as_ints = {(k[0] if isinstance(k, tuple) else k): Fraction(int(c)) for k, c in
               coefficients.items()}
    assert indecomposable(as_ints) is expected


@settings(max_examples=examples(12), deadline=None)
@given(st.integers(4, 12), st.data())
def test_no_network_of_one_variable_is_below_the_bound(degree, data):
    # Random polynomials of one variable, compositions among them (g∘h, both of degree >= 2):
    # construct's network has at least the bound it reports, which is 2⌈log2 d⌉ − 1 exactly
    # when sympy finds no composition.
    def poly(d):
        return sum(data.draw(rationals()) * X**k for k in range(d)) + data.draw(
            rationals(zero_weight=False).filter(bool)) * X**d

    divisors = [s for s in range(2, degree) if degree % s == 0]
    composed = bool(divisors) and data.draw(st.booleans())
    if composed:
        inner = data.draw(st.sampled_from(divisors))
        target = sympy.expand(poly(degree // inner).subs(X, poly(inner)))
    else:
        target = poly(degree)
    net = construct(target, objective=data.draw(st.sampled_from(["params", "neurons"])))
    layers = math.ceil(math.log2(degree))
    least = net.meta["neurons_at_least"]["neurons"]
    if composed:  # found, whatever the coefficients (sympy.decompose misses most of them)
        assert least == layers
    elif sympy.isprime(degree):
        assert least == 2 * layers - 1
    assert least in (layers, 2 * layers - 1)
    assert net.neurons >= least


@settings(max_examples=examples(30), deadline=None)
@given(st.integers(2, 4), st.integers(2, 5), st.data())
def test_every_composition_is_found_and_its_inner_part_is_one(outer, inner, data):
    # g∘h for random rational g and h (any leading coefficient, any h(0)): right_component
    # finds the normalized h, and h(x) − h(y) divides f(x) − f(y) (what a right component
    # is, checked by sympy's division apart from the algorithm).
    def poly(d, var):
        return sum(data.draw(rationals()) * var**k for k in range(d)) + data.draw(
            rationals(zero_weight=False).filter(bool)) * var**d

    f = sympy.Poly(sympy.expand(poly(outer, Y).subs(Y, poly(inner, X))), X)
    coefficients = [Fraction(0)] * (f.degree() + 1)
    for (k,), c in f.terms():
        coefficients[k] = Fraction(int(c.p), int(c.q))
    assert not indecomposable(dict(enumerate(coefficients)))
    h = right_component(coefficients, inner)
    assert h is not None and h[0] == 0 and h[-1] == 1
    h_of = sum(sympy.Rational(c.numerator, c.denominator) * X**k for k, c in enumerate(h))
    difference = sympy.Poly(h_of - h_of.subs(X, Z), X, Z)
    _, remainder = sympy.div(sympy.Poly(f.as_expr() - f.as_expr().subs(X, Z), X, Z),
                             difference)
    assert remainder.is_zero


@pytest.mark.parametrize(("args", "message"), [
    ((-1, 1), "degree: expected an integer >= 0, found -1"),
    ((3, -2), "inputs: expected an integer >= 0, found -2"),
    ((2.0, 1), "degree: expected an integer >= 0, found 2.0"),
    ((True, 1), "degree: expected an integer >= 0, found True"),
])
def test_bad_arguments_are_clear_errors(args, message):
    with pytest.raises(QuadTheoryError, match=message):
        neurons_at_least(*args)


@settings(max_examples=examples(12), deadline=None)
@given(st.sampled_from([3, 5, 7, 11]), st.data())
def test_no_network_of_prime_degree_is_below_the_bound(p, data):
    # A random polynomial of prime degree in one variable: construct's network (either
    # objective) has at least 2⌈log2 p⌉ − 1 neurons, and says so in its meta.
    coefficients = [data.draw(rationals()) for _ in range(p)] + [
        data.draw(rationals(zero_weight=False).filter(bool))]
    target = sum(c * X**k for k, c in enumerate(coefficients))
    objective = data.draw(st.sampled_from(["params", "neurons"]))
    net = construct(target, objective=objective)
    least = 2 * math.ceil(math.log2(p)) - 1
    assert net.meta["neurons_at_least"]["neurons"] == least
    assert net.neurons >= least


@settings(max_examples=examples(12), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(0, 3)),
                min_size=1, max_size=5),
       st.data())
def test_no_network_is_shallower_than_its_degree(exponents, data):
    # Any polynomial in three variables: at least ⌈log2 d⌉ layers, each a neuron at least.
    target = sympy.expand(sum(data.draw(rationals(zero_weight=False).filter(bool))
                              * X**a * Y**b * Z**c for a, b, c in exponents))
    assume(target != 0)
    degree = sympy.Poly(target, X, Y, Z).total_degree()
    net = construct(target, variables=["x", "y", "z"])
    least = neurons_at_least(degree, 3)[0]
    assert net.meta["neurons_at_least"]["neurons"] == least
    assert net.neurons >= least and net.depth >= least


def test_the_report_says_it():
    from quadtheory._src.render.reports import construction_report

    net = construct(sympy.chebyshevt(19, X), objective="neurons", verify=False)
    assert (f"neurons: {net.neurons} (any network needs >= 9: 2·⌈log2 19⌉ − 1, a prime "
            "degree in one variable)") in construction_report(net).splitlines()


@pytest.mark.parametrize(("coefficients", "inner", "message"), [
    ([1, 0], 1, r"coefficients: expected the last \(the leading one\) nonzero"),
    ([], 1, r"coefficients: expected the last"),
    ([0, 0, 0, 1], 2, "inner: expected a divisor of the degree 3, found 2"),
    ([0, 0, 1], 0, "inner: expected a divisor of the degree 2, found 0"),
])
def test_right_component_refuses_what_it_cannot_split(coefficients, inner, message):
    with pytest.raises(QuadTheoryError, match=message):
        right_component([Fraction(c) for c in coefficients], inner)
