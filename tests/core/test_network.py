"""The network core: validation, counts, and the three evaluators agreeing."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from quadtheory import (
    ConventionalLayer,
    Matrix,
    Network,
    ParamCounts,
    QuadraticLayer,
    QuadTheoryError,
    as_quadratic,
    conventional_layer,
    quadratic_layer,
    verify,
)
from quadtheory._src.core.counts import dense_params
from tests.strategies import layers, networks, points, rationals


def _symbolic_value(network: Network, point: list[Fraction]) -> list[Fraction]:
    subs = {s: sympy.Rational(v.numerator, v.denominator)
            for s, v in zip(network.symbols, point)}
    out = []
    for expr in network.symbolic():
        value = expr.subs(subs)
        out.append(Fraction(int(value.p), int(value.q)))
    return out


@given(st.data())
def test_exact_float_and_symbolic_evaluation_agree(data):
    network = data.draw(networks())
    point = data.draw(points(network))
    exact = network.exact(point)
    assert list(exact) == _symbolic_value(network, point)
    numeric = network.numeric(np.array([[float(v) for v in point]]))[0]
    scale = max(1.0, *(abs(float(v)) for v in exact))
    assert np.allclose(numeric, [float(v) for v in exact], rtol=1e-9, atol=1e-9 * scale)


@given(networks())
def test_dense_count_is_the_architecture_formula(network):
    formula = 0
    width = network.n_inputs
    for layer in network.layers:
        per_neuron = 3 * width + 3 if layer.kind == "quadratic" else width + 1
        formula += layer.out_features * per_neuron
        width = layer.out_features
    assert network.params.dense == formula
    assert network.params.dense == sum(
        dense_params(layer.kind, layer.in_features, layer.out_features)
        for layer in network.layers)


@given(networks())
def test_nonzero_count_is_the_number_of_nonzero_entries(network):
    count = 0
    for layer in network.layers:
        for value in layer.fields.values():
            entries = (value.dense() if isinstance(value, Matrix) else [list(value)])
            count += sum(1 for row in entries for v in row if v != 0)
    assert network.params.nonzero == count <= network.params.dense


@given(st.data())
def test_degenerate_quadratic_neuron_is_the_conventional_neuron(data):
    n_in, n_out = data.draw(st.integers(0, 4)), data.draw(st.integers(1, 4))
    layer = data.draw(layers(n_in, n_out, kind="conventional"))
    names = ("x", "y", "z", "w")[:n_in]
    conventional = Network(names, (layer,))
    quadratic = Network(names, (as_quadratic(layer),))
    assert quadratic.layers[0].kind == "quadratic"
    point = [data.draw(rationals()) for _ in names]
    assert conventional.exact(point) == quadratic.exact(point)
    # w_g = 0, b_g = 1, w_b = 0, c = 0: the product term is (w·h + b)·1.
    q = quadratic.layers[0]
    assert q.w_g.nonzero == 0 and set(q.b_g) == {1} and q.w_b.nonzero == 0 and set(q.c) == {0}
    assert q.dense_params == n_out * (3 * n_in + 3)
    assert layer.dense_params == n_out * (n_in + 1)


def test_x_squared_with_one_quadratic_neuron():
    net = Network(("x",), (quadratic_layer([[1]], w_g=[[1]], activation="relu"),))
    assert net.params == ParamCounts(dense=6, nonzero=2)
    assert (net.depth, net.widths, net.neurons) == (1, (1,), 1)
    assert net.exact(["-3/2"]) == (Fraction(9, 4),)
    assert net.symbolic() == (sympy.Max(0, sympy.Symbol("x") ** 2),)


def test_numeric_single_point_and_batch_shapes():
    net = Network(("x", "y"), (conventional_layer([[1, 2], [3, 4]], activation="identity"),))
    assert net.numeric([1.0, 1.0]).shape == (2,)
    assert net.numeric(np.zeros((5, 2))).shape == (5, 2)
    with pytest.raises(QuadTheoryError, match=r"expected shape \(N, 2\), found \(3,\)"):
        net.numeric([1.0, 2.0, 3.0])


def test_zero_input_network_is_a_constant():
    net = Network((), (conventional_layer(Matrix.zeros(1, 0), ["7/2"], activation="identity"),))
    assert net.exact([]) == (Fraction(7, 2),)
    assert net.params == ParamCounts(dense=1, nonzero=1)
    # Its certificate's statement ends in words, not in an empty region.
    assert verify(net, "7/2").statement.endswith("exactly on all of R^0")
    assert verify(Network((), net.layers, domain=()), "7/2").statement.endswith(
        "exactly on (no inputs)")


@pytest.mark.parametrize(("build", "message"), [
    (lambda: Network(("x",), ()), r"layers: expected at least one layer"),
    (lambda: Network(("x",), (conventional_layer([[1, 2]]),)),
     r"layers\[0\]\.w: expected 1 columns \(the number of inputs\), found 2"),
    (lambda: Network(("x",), (conventional_layer([[1]]), conventional_layer([[1, 1]]))),
     r"layers\[1\]\.w: expected 1 columns \(the width of layers\[0\]\), found 2"),
    (lambda: Network(("x",), (quadratic_layer([[1]]),), domain=[[1, 1]]),
     r"domain\[0\]: expected lo < hi, found \[1, 1\]"),
    (lambda: Network(("x",), (quadratic_layer([[1]]),), domain=[[0, 1], [0, 1]]),
     r"domain: expected 1 intervals \(one per input\), found 2"),
    (lambda: Network(("x", "x"), (conventional_layer([[1, 1]]),)),
     r"inputs: expected distinct names, found \['x'\] twice"),
    (lambda: Network(("2x",), (conventional_layer([[1]]),)),
     r"inputs\[0\]: expected a name like 'x' or 'x1', found '2x'"),
    (lambda: conventional_layer([[1]], activation="tanh"),
     r"activation: expected one of relu, identity, found 'tanh'"),
    (lambda: quadratic_layer([[1, 0]], w_g=[[1]]), r"w_g\[0\]: expected 2 columns, found 1"),
    (lambda: QuadraticLayer(Matrix.zeros(1, 2), (0,), Matrix.zeros(1, 3), (0,),
                            Matrix.zeros(1, 2), (0,)), r"w_g: expected 2 columns, found 3"),
    (lambda: ConventionalLayer(Matrix.zeros(2, 1), (0,)), r"b: expected 2 entries, found 1"),
    (lambda: conventional_layer([[0.5]]), r"found the float 0\.5; expected an exact rational"),
    (lambda: conventional_layer([["1/0"]]), r"'1/0' divides by zero"),
    (lambda: conventional_layer([["abc"]]),
     r"expected an exact rational or decimal like \"-3/4\" or \"0\.125\", found 'abc'"),
    (lambda: conventional_layer([["1e999999"]]), r"exponent of '1e999999' is out of range"),
    (lambda: conventional_layer(Matrix.zeros(0, 1)), r"expected at least one neuron, found 0"),
])
def test_invalid_structure_is_reported_with_where_and_what(build, message):
    with pytest.raises(QuadTheoryError, match=message):
        build()


def test_points_are_checked_against_the_inputs():
    net = Network(("x", "y"), (conventional_layer([[1, 1]]),))
    with pytest.raises(QuadTheoryError, match=r"unknown z; missing y"):
        net.exact({"x": 1, "z": 2})
    with pytest.raises(QuadTheoryError, match=r"expected 2 coordinates, found 1"):
        net.exact([1])


def test_network_is_immutable_and_hashable():
    net = Network(("x",), (conventional_layer([[1]]),), meta={"target": "x"})
    with pytest.raises(AttributeError):
        net.inputs = ("y",)  # type: ignore[misc]
    with pytest.raises(TypeError):
        net.meta["target"] = "y"  # type: ignore[index]
    assert hash(net) == hash(Network(("x",), (conventional_layer([[1]]),)))


def test_numeric_evaluation_of_a_huge_weight_is_a_clear_error():
    net = Network(("x",), (conventional_layer([[Fraction(10) ** 400]]),))
    assert net.exact([1]) == (Fraction(10) ** 400,)
    with pytest.raises(QuadTheoryError, match=r"entry \(0, 0\) is too large for float64 "
                                              r"\(about 10\^400\)"):
        net.numeric([[1.0]])
