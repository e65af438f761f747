"""Composition: sequential, parallel, read-out, all-quadratic; counts follow from the parts."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quadtheory import (
    Network,
    ParamCounts,
    QuadTheoryError,
    all_quadratic,
    conventional_layer,
    parallel,
    quadratic_layer,
    readout,
    sequential,
    split_identity,
)
from quadtheory._src.core.counts import dense_params
from tests.strategies import layers, networks, points


def _dense_formula(network: Network) -> int:
    widths = (network.n_inputs, *network.widths)
    return sum(dense_params(layer.kind, widths[k], widths[k + 1])
               for k, layer in enumerate(network.layers))


@given(st.data())
def test_sequential_counts_add_and_values_compose(data):
    first = data.draw(networks(with_domain=True))
    second = data.draw(networks(n_inputs=first.n_outputs, max_inputs=3))
    both = sequential(first, second)
    assert both.params == first.params + second.params
    assert both.depth == first.depth + second.depth
    point = data.draw(points(first))
    assert both.exact(point) == second.exact(list(first.exact(point)))


@given(st.data())
def test_parallel_values_concatenate_and_dense_follows_the_widths(data):
    a = data.draw(networks(with_domain=False))
    b = data.draw(networks(n_inputs=a.n_inputs, with_domain=False))
    both = parallel(a, b)
    point = data.draw(points(a))
    assert both.exact(point) == a.exact(point) + b.exact(point)
    assert both.params.dense == _dense_formula(both)
    assert both.depth == max(a.depth, b.depth) + (
        a.layers[-1].activation != b.layers[-1].activation)


@given(st.data())
def test_parallel_of_matching_architectures_adds_nonzero_counts(data):
    n = data.draw(st.integers(1, 3))
    kinds = data.draw(st.lists(st.sampled_from(["quadratic", "conventional"]), min_size=1,
                               max_size=3))
    acts = [data.draw(st.sampled_from(["relu", "identity"])) for _ in kinds]
    names = ("x", "y", "z")[:n]

    def net():
        stack, width = [], n
        for kind, act in zip(kinds, acts):
            out = data.draw(st.integers(1, 3))
            stack.append(data.draw(layers(width, out, kind=kind, activation=act)))
            width = out
        return Network(names, tuple(stack))

    a, b = net(), net()
    both = parallel(a, b)
    assert both.params.nonzero == a.params.nonzero + b.params.nonzero
    assert both.widths == tuple(x + y for x, y in zip(a.widths, b.widths))
    # The first layer reads the shared inputs: dense adds there; later layers are block-diagonal.
    first = dense_params(kinds[0], n, both.widths[0])
    assert both.layers[0].dense_params == first == a.layers[0].dense_params + \
        b.layers[0].dense_params


@given(st.data())
def test_split_identity_is_exact_everywhere(data):
    n = data.draw(st.integers(1, 3))
    width = data.draw(st.integers(1, 3))
    layer = data.draw(layers(n, width, activation="identity"))
    following = data.draw(layers(width, 2))
    plain = Network(("x", "y", "z")[:n], (layer, following))
    lifted = Network(plain.inputs, split_identity(layer, following))
    assert lifted.layers[0].activation == "relu" and lifted.widths[0] == 2 * width
    point = data.draw(points(plain))
    assert plain.exact(point) == lifted.exact(point)


@given(networks())
def test_all_quadratic_keeps_values_and_counts_the_paper_architecture(network):
    quad = all_quadratic(network)
    assert all(layer.kind == "quadratic" for layer in quad.layers)
    assert quad.params.dense == _dense_formula(quad) >= network.params.dense
    point = [Fraction(k + 1, 3) for k in range(network.n_inputs)]
    assert quad.exact(point) == network.exact(point)


def test_readout_appends_a_linear_layer():
    square = Network(("x", "y"), (quadratic_layer([[1, 0], [0, 1]], w_g=[[1, 0], [0, 1]]),))
    norm = readout(square, [[1, 1]], ["-1"])
    assert norm.exact(["1/2", 2]) == (Fraction(13, 4),)
    assert norm.params == square.params + ParamCounts(dense=3, nonzero=3)


def test_parallel_domains_intersect_and_errors():
    a = Network(("x",), (conventional_layer([[1]]),), domain=[[0, 2]])
    b = Network(("x",), (conventional_layer([[2]]),), domain=[[1, 3]])
    assert parallel(a, b).domain == ((Fraction(1), Fraction(2)),)
    with pytest.raises(QuadTheoryError, match=r"the domains do not overlap in input 0"):
        parallel(a, Network(("x",), (conventional_layer([[1]]),), domain=[[5, 6]]))
    with pytest.raises(QuadTheoryError, match=r"expected the same inputs"):
        parallel(a, Network(("y",), (conventional_layer([[1]]),)))
    with pytest.raises(QuadTheoryError, match=r"network 1 expects 2 inputs, but network 0 has 1"):
        sequential(a, Network(("u", "v"), (conventional_layer([[1, 1]]),)))
    with pytest.raises(QuadTheoryError, match=r"readout: expected 1 columns \(the outputs\)"):
        readout(a, [[1, 1]])
