"""Fast exact evaluation and a save linear in the file (issue 9) compute what the plain
``Fraction`` evaluator and the dense-or-sparse comparison of JSON texts compute."""

from __future__ import annotations

import json
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from quadtheory import Matrix
from quadtheory._src.core.io import _matrix, _number
from quadtheory._src.core.numbers import decimal_upper
from tests.reference import reference_decimal_upper, reference_exact
from tests.strategies import examples, matrices, networks, points


@settings(max_examples=examples(30))
@given(st.data())
def test_exact_evaluation_is_the_fraction_evaluation(data):
    network = data.draw(networks(max_depth=4))
    for _ in range(2):  # the second call runs on the compiled network
        point = data.draw(points(network))
        got = network.exact(point)
        assert got == reference_exact(network, point)
        assert all(type(v) is Fraction for v in got)


@settings(max_examples=examples(80))
@given(st.integers(0, 5), st.integers(0, 5), st.data())
def test_the_written_form_is_the_shorter_json(n_rows, n_cols, data):
    matrix = data.draw(matrices(n_rows, n_cols)) if n_cols else Matrix.zeros(n_rows, 0)
    dense = [[_number(v, False) for v in row] for row in matrix.dense()]
    sparse = {"shape": list(matrix.shape),
              "entries": [[i, j, _number(v, False)] for i, j, v in matrix.entries()]}
    compact = {"separators": (",", ":")}
    shorter = sparse if len(json.dumps(sparse, **compact)) < len(json.dumps(dense, **compact)) \
        else dense
    assert _matrix(matrix, False) == shorter


def test_large_sparse_layers_evaluate_through_sparse_arrays():
    """A 1,500 x 1,500 layer with one entry per row is a scipy CSR array in float
    evaluation (Matrix.operator), with the dense array's results."""
    import numpy as np

    from quadtheory import ConventionalLayer, Network
    from quadtheory._src.core.matrix import Matrix

    n = 1500
    w = Matrix((n, n), tuple((((i * 7) % n, Fraction(i % 5 + 1, 3) * (-1) ** i),)
                             for i in range(n)))
    hidden = ConventionalLayer(w, (Fraction(1, 2),) * n, "relu")
    net = Network(tuple(f"x{k}" for k in range(n)), (hidden,))
    assert type(net.layers[0].w.operator).__name__ == "csr_array"
    points = np.random.default_rng(0).uniform(-1, 1, (4, n))
    dense = np.maximum(points @ w.array.T + 0.5, 0)
    assert np.array_equal(net.numeric(points), dense)


@given(st.integers(0, 10**30), st.integers(1, 10**30), st.integers(-400, 400),
       st.integers(1, 6))
def test_decimal_upper_is_the_fraction_computation_and_an_upper_bound(n, d, e, digits):
    # Integer comparisons instead of Fraction powers of ten: the same text, from 1e-430 to
    # 1e+430 (past floats' range, where the mantissa is spelled exactly), and a bound.
    value = Fraction(n, d) * Fraction(10) ** e
    text = decimal_upper(value, digits)
    assert text == reference_decimal_upper(value, digits)
    mantissa, _, power = text.partition("e")
    assert Fraction(mantissa) * Fraction(10) ** int(power or 0) >= value
