"""Fast exact evaluation and a save linear in the file (issue 9) compute what the plain
``Fraction`` evaluator and the dense-or-sparse comparison of JSON texts compute."""

from __future__ import annotations

import json
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from quadtheory import Matrix
from quadtheory._src.core.io import _matrix, _number
from tests.reference import reference_exact
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
