"""Exact polynomial traces, relu sign proofs, verification; the two backends agree."""

from __future__ import annotations

from fractions import Fraction
from unittest import mock

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from quadtheory import (
    Interval,
    Matrix,
    Network,
    PolynomialRing,
    QuadraticLayer,
    QuadTheoryError,
    conventional_layer,
    network_polynomials,
    quadratic_layer,
    verify,
)
from quadtheory._src.exact import polynomial
from quadtheory._src.exact.polynomial import polynomial_range
from quadtheory._src.exact.polyring import available_backends
from tests.strategies import NAMES, boxes, layers, networks, points, rationals

BACKENDS = available_backends()


def _identity(network: Network) -> Network:
    return Network(network.inputs, tuple(
        type(layer)(**layer.fields, activation="identity") for layer in network.layers),
        network.domain)


def _evaluate(ring: PolynomialRing, poly, point) -> Fraction:
    total = Fraction(0)
    for monom, coeff in ring.terms(poly):
        term = coeff
        for v, e in zip(point, monom):
            term *= v ** e
        total += term
    return total


@given(st.data())
def test_identity_networks_are_the_polynomials_they_evaluate_to(data):
    network = _identity(data.draw(networks()))
    point = data.draw(points(network))
    traces = [network_polynomials(network, backend) for backend in BACKENDS]
    for trace in traces:
        assert trace.proved and trace.relu_ranges == ()
        assert tuple(_evaluate(trace.ring, p, point) for p in trace.outputs) == \
            network.exact(point)
    if len(traces) == 2:  # the flint and sympy backends give the same polynomials
        a, b = traces
        assert [sorted(a.ring.terms(p)) for p in a.outputs] == \
            [sorted(b.ring.terms(p)) for p in b.outputs]


@given(st.data())
def test_relu_ranges_enclose_every_pre_activation(data):
    _check_ranges(data.draw(networks(with_domain=True)), data)


def _after_width_one(data) -> Network:
    """A network of 2-3 inputs whose first layer has width one, then 1-2 layers."""
    n = data.draw(st.integers(2, 3))
    stack, width = [], n
    for out in (1, *data.draw(st.lists(st.integers(1, 3), min_size=1, max_size=2))):
        stack.append(data.draw(layers(width, out)))
        width = out
    return Network(NAMES[:n], tuple(stack), data.draw(boxes(n)))


@given(st.data())
def test_values_after_a_layer_of_width_one_are_enclosed_through_it(data):
    # After a hidden layer of width one, each relu value is enclosed as a polynomial of that
    # one value on its proved range (radial: t = ‖x − c‖², then a network of t).
    _check_ranges(_after_width_one(data), data)


@given(st.data())
def test_layers_after_a_width_one_layer_are_composed_exactly(data):
    # The layers after it are traced as a network of its one value, and their outputs
    # composed with its polynomial: the same polynomials as layer by layer in the inputs, in
    # both backends, and every network proved so before is proved.
    network = _after_width_one(data)
    for backend in BACKENDS:
        through = network_polynomials(network, backend)
        with mock.patch.object(polynomial, "_through_one_value", return_value=None), \
                mock.patch.object(polynomial, "_through_one_form", return_value=None):
            inputs = network_polynomials(network, backend)
        assert through.proved or not inputs.proved
        # Asked for the layers' polynomials, the trace goes on in the inputs (as before).
        assert network_polynomials(network, backend, keep_hidden=True).proved == inputs.proved
        if through.proved and inputs.proved:
            assert [sorted(through.ring.terms(p)) for p in through.outputs] == \
                [sorted(inputs.ring.terms(p)) for p in inputs.outputs]
            assert len(through.layer_ranges) == network.depth


@given(st.data())
def test_a_network_of_one_affine_form_is_traced_as_one_of_that_form(data):
    # A first layer that reads one affine form y = a·x only (construct's g(B) of an affine B)
    # is traced as a network of y on its range and composed with a·x: the same polynomials
    # as layer by layer in the inputs, proved at least as often.
    n = data.draw(st.integers(2, 3))
    a = [data.draw(rationals(zero_weight=False)) for _ in range(n)]
    width = data.draw(st.integers(1, 3))
    first = data.draw(layers(1, width))

    def spread(matrix: Matrix) -> Matrix:  # the column w of one input, as rows w·a
        return Matrix.from_dense([[dict(row).get(0, Fraction(0)) * v for v in a]
                                  for row in matrix.rows], n)

    if isinstance(first, QuadraticLayer):
        first = QuadraticLayer(spread(first.w_r), first.b_r, spread(first.w_g), first.b_g,
                               Matrix.zeros(width, n), first.c, first.activation)
    else:
        first = type(first)(spread(first.w), first.b, first.activation)
    stack = [first]
    for out in data.draw(st.lists(st.integers(1, 3), max_size=2)):
        stack.append(data.draw(layers(stack[-1].out_features, out)))
    network = Network(NAMES[:n], tuple(stack), data.draw(boxes(n)))
    _check_ranges(network, data)
    for backend in BACKENDS:
        through = network_polynomials(network, backend)
        with mock.patch.object(polynomial, "_through_one_form", return_value=None):
            inputs = network_polynomials(network, backend)
        assert through.proved or not inputs.proved
        if through.proved and inputs.proved:
            assert [sorted(through.ring.terms(p)) for p in through.outputs] == \
                [sorted(inputs.ring.terms(p)) for p in inputs.outputs]
            assert len(through.layer_ranges) == network.depth


def test_a_sign_proved_only_in_the_inputs_falls_back_to_them():
    # y = x² − x on [0, 1]: its proved range [−1, 0] is wider than its values [−1/4, 0], so
    # relu(y + 1/2) has no sign as a function of y there; in the inputs its pre-activation
    # (x − 1/2)² + 1/4 is a positive quadratic, and the trace goes on layer by layer in them.
    net = Network(("x", "z"), (
        quadratic_layer([[1, 0]], b_r=["-1"], w_g=[[1, 0]], activation="identity"),
        conventional_layer([[1]], ["1/2"], activation="relu"),
        conventional_layer([[2]], activation="identity")), domain=[[0, 1], [0, 1]])
    for backend in BACKENDS:
        trace = network_polynomials(net, backend)
        assert [r.relu for r in trace.relu_ranges] == ["identity"]
        assert trace.outputs == (trace.ring.from_sympy(sympy.sympify("2*x**2 - 2*x + 1")),)


def _check_ranges(network: Network, data) -> None:
    trace = network_polynomials(network)
    point = data.draw(points(network))
    for r in trace.relu_ranges:
        layer = network.layers[r.layer]
        prefix = (*network.layers[:r.layer], type(layer)(**layer.fields, activation="identity"))
        value = Network(network.inputs, prefix, network.domain).exact(point)[r.neuron]
        assert r.range.lo <= value <= r.range.hi
        if r.relu == "identity":
            assert value >= 0
        elif r.relu == "zero":
            assert value <= 0
    if trace.proved:
        assert tuple(_evaluate(trace.ring, p, point) for p in trace.outputs) == \
            network.exact(point)


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), rationals()), max_size=6),
       st.data())
def test_polynomial_range_encloses_values(terms, data):
    ring = PolynomialRing(("x", "y"), "sympy")
    x, y = ring.gens
    poly = ring.constant(Fraction(0))
    for a, b, c in terms:
        poly += ring.scale(x ** a * y ** b, c)
    box = (Interval(Fraction(-1), Fraction(2)), Interval(Fraction(-3, 2), Fraction(1, 2)))
    enclosure = polynomial_range(ring, poly, box)
    px = data.draw(st.fractions(-1, 2, max_denominator=8))
    py = data.draw(st.fractions(Fraction(-3, 2), Fraction(1, 2), max_denominator=8))
    assert enclosure.lo <= _evaluate(ring, poly, (px, py)) <= enclosure.hi


@pytest.mark.parametrize("backend", BACKENDS)
@given(terms=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 2),
                                rationals()), max_size=8), constant=rationals(),
       data=st.data())
def test_the_unit_box_enclosure_is_the_monomial_products_one(backend, terms, constant, data):
    # On [-1, 1]^n the enclosure sums coefficients by class (an odd exponent, all even, the
    # constant); the general loop multiplies each coefficient by its monomial's range.
    from quadtheory._src.exact import ranges
    from quadtheory._src.exact.polynomial import _Termwise
    ring = PolynomialRing(("x", "y", "z"), backend)
    x, y, z = ring.gens
    poly = ring.constant(constant)
    for a, b, c, coeff in terms:
        poly += ring.scale(x ** a * y ** b * z ** c, coeff)
    box = [(-ranges.ONE, ranges.ONE)] * 3
    by_class = _Termwise(ring, box)
    by_products = _Termwise(ring, box)
    by_products.unit = False
    found = by_class(poly)
    assert found == by_products(poly)
    point = [data.draw(st.fractions(-1, 1, max_denominator=8)) for _ in range(3)]
    enclosure = ranges.to_interval(found)
    assert enclosure.lo <= _evaluate(ring, poly, point) <= enclosure.hi


@pytest.mark.parametrize("backend", BACKENDS)
def test_verify_proves_squares_products_and_norms(backend):
    square = Network(("x",), (quadratic_layer([[1]], w_g=[[1]]),))   # relu(x²) on R
    assert verify(square, "x^2", backend=backend).holds
    norm = Network(("x", "y", "z"), (quadratic_layer(
        [[0, 0, 0]], b_r=[1], w_g=[[0, 0, 0]], b_g=[1], w_b=[[1, 1, 1]], c=[-1]),))
    cert = verify(norm, "x**2 + y**2 + z**2", backend=backend)
    assert cert.holds and cert.details["relu_ranges"][0]["range"] == ["0", "inf"]
    xy = Network(("x", "y"), (quadratic_layer([[1, 0]], w_g=[[0, 1]], activation="identity"),))
    assert verify(xy, "x*y", backend=backend).holds
    assert not verify(xy, "x*y + 1", backend=backend).holds


def test_relu_that_changes_sign_is_not_a_polynomial_identity():
    signed = Network(("x", "y"), (quadratic_layer([[1, 0]], w_g=[[0, 1]]),),
                     domain=[[-1, 1], [-1, 1]])
    cert = verify(signed, "x*y")
    assert not cert.holds
    assert cert.details["relu_ranges"] == [
        {"layer": 0, "neuron": 0, "range": ["-1", "1"], "relu": "unproved"}]


def test_shifted_relu_is_proved_with_the_domain():
    # relu(x*y + 1) - 1 = x*y on [-1, 1]^2: the shift keeps the pre-activation >= 0.
    shifted = Network(("x", "y"), (quadratic_layer([[1, 0]], w_g=[[0, 1]], c=[1]),
                                   conventional_layer([[1]], [-1], activation="identity")),
                      domain=[[-1, 1], [-1, 1]])
    cert = verify(shifted, "x*y")
    assert cert.holds and cert.level == "symbolic proof"
    dead = Network(("x",), (conventional_layer([[1]], [-5]),), domain=[[0, 1]])
    assert verify(dead, "0").holds


def test_verify_rejects_bad_targets():
    net = Network(("x",), (conventional_layer([[1]], activation="identity"),))
    with pytest.raises(QuadTheoryError, match=r"expected 1 expressions \(one per output\)"):
        verify(net, ["x", "x"])
    with pytest.raises(QuadTheoryError, match=r"is not a polynomial with rational coefficients"):
        verify(net, "sin(x)")
    with pytest.raises(QuadTheoryError, match=r"expected an expression"):
        verify(net, object())
    assert verify(net, sympy.Symbol("x")).holds


@given(st.lists(st.tuples(rationals(), rationals(), rationals()), min_size=1, max_size=3),
       st.booleans(), st.data())
def test_quadratic_sign_proofs_are_sound(forms, negate, data):
    from quadtheory._src.exact.polynomial import quadratic_sign
    ring = PolynomialRing(("x", "y"), "sympy")
    x, y = ring.gens
    poly = ring.constant(Fraction(0))
    for a, b, c in forms:   # a sum of squares of affine forms is >= 0 everywhere
        poly += (ring.scale(x, a) + ring.scale(y, b) + ring.constant(c)) ** 2
    if negate:
        poly = ring.scale(poly, Fraction(-1))
    sign = quadratic_sign(ring, poly)
    assert sign == (-1 if negate else 1) or poly == ring.constant(Fraction(0))
    point = (data.draw(rationals()), data.draw(rationals()))
    assert _evaluate(ring, poly, point) * sign >= 0
    indefinite = ring.scale(x * y, Fraction(1)) + ring.constant(Fraction(1, 100))
    assert quadratic_sign(ring, indefinite) == 0


@given(st.data())
def test_split_pairs_are_proved_exact_everywhere(data):
    from quadtheory import split_identity
    from tests.strategies import layers
    n = data.draw(st.integers(1, 3))
    width = data.draw(st.integers(1, 3))
    plain = Network(("x", "y", "z")[:n], (
        data.draw(layers(n, width, activation="identity")),
        data.draw(layers(width, 2, activation="identity"))))
    lifted = Network(plain.inputs, split_identity(*plain.layers))
    expected = [e.expand() for e in plain.symbolic()]
    cert = verify(lifted, expected)
    assert cert.holds, str(cert)
    assert all(r["relu"] in ("paired", "identity", "zero") for r in cert.details["relu_ranges"])


def test_a_pair_read_as_a_sum_is_not_taken_for_a_difference():
    pair = quadratic_layer([[1, 0], [-1, 0]], w_g=[[0, 1], [0, 1]])
    summed = Network(("x", "y"), (pair, conventional_layer([[1, 1]], activation="identity")))
    cert = verify(summed, "x*y")
    assert not cert.holds and cert.details["unproved"]
    differenced = Network(("x", "y"), (pair, conventional_layer([[1, -1]], activation="identity")))
    assert verify(differenced, "x*y").holds
