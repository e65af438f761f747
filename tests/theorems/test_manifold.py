"""Manifolds: the exact embedding, the exact partition of unity, and the chart constructions
of both families, certified on the manifold."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import quadtheory as qt
from quadtheory._src.theorems.embedding import cayley_frame, charts, sphere_points, to_ambient
from quadtheory._src.theorems.manifold import chart_cells
from tests.strategies import examples

F = Fraction


@given(st.integers(2, 40), st.integers(2, 3))
@settings(max_examples=examples(15))
def test_the_cayley_frame_is_orthonormal_and_dense(ambient, columns):
    if ambient < columns:
        return
    frame = cayley_frame(ambient, columns)
    for i in range(columns):
        for k in range(columns):
            assert sum(a * b for a, b in zip(frame[i], frame[k])) == (i == k)
    assert all(v != 0 for column in frame for v in column)  # every coordinate enters


@given(st.sampled_from([1, 2]), st.integers(0, 10**6))
@settings(max_examples=examples(30))
def test_the_partition_of_unity_is_exact_and_inside_the_charts(dim, seed):
    atlas, a2 = charts(dim)
    for y in sphere_points(dim, 8, seed):
        assert sum(y_j * y_j for y_j in y) == 1
        weights = [c.weight(y) for c in atlas]
        assert sum(weights) == 1 and all(w >= 0 for w in weights)
        for chart, w in zip(atlas, weights):
            if w > 0:  # inside the chart: the right hemisphere, the parameter domain
                assert chart.sign * y[chart.axis] > F(1, 2)
                assert sum(y[k] ** 2 for k in chart.others(dim)) < a2


def test_chart_cells_cover_the_domain_disc():
    cells = chart_cells(2, 6, F(17, 20))
    assert 0 < len(cells) < 7 * 7  # the corners of the square are left out
    assert all(c.eta >= 0 and 0 < c.height <= 1 for c in cells)


@pytest.mark.parametrize("family", ["quadratic", "relu"])
def test_circle_constructions_are_certified_on_the_manifold(family):
    net = qt.manifold_construct("exp(x1)*sin(x2 + x3)", "circle", 4, "1e-2", family=family)
    cert = net.certificate
    assert cert.holds and cert.level == "symbolic proof"
    assert F(cert.details["observed_max_error"]) <= net.certified_error <= F(1, 100)
    assert net.details["manifold"] == {
        "name": "circle", "dim": 1, "ambient": 4, "charts": 4, "chart_domain": "|z| <= 4/5",
        "embedding": "Cayley transform (I − A)(I + A)^-1 of A = u vᵀ − v uᵀ"}
    # exact at rational points of the circle: the network only reads x through the charts
    frame = cayley_frame(4, 2)
    for y in sphere_points(1, 3, seed=5):
        value = net.exact(to_ambient(frame, y))[0]
        assert abs(float(value)) < 10


def test_quadratic_dense_params_grow_by_three_per_chart_and_dimension():
    small, large = (qt.manifold_construct("x1*x2 + x3", "circle", ambient, "1e-2")
                    for ambient in (3, 7))
    assert large.params.dense - small.params.dense == (7 - 3) * 3 * 4
    assert large.params.nonzero - small.params.nonzero == (7 - 3) * 2 * 4  # w_r, w_b


@pytest.mark.slow
@pytest.mark.parametrize("family,ambient", [("quadratic", 3), ("quadratic", 8),
                                            ("relu", 3)])
def test_sphere_constructions_are_certified_on_the_manifold(family, ambient):
    eps = "1e-2" if family == "quadratic" else "1e-1"
    net = qt.manifold_construct("exp(x1)*sin(x2 + x3)", "sphere", ambient, eps, family=family)
    assert net.certificate.holds and net.certified_error <= F(eps)
    assert F(net.certificate.details["observed_max_error"]) <= net.certified_error


@pytest.mark.parametrize("args,message", [
    (("x1", "torus", 4, "1e-2"), r"manifold: expected one of circle, sphere, found 'torus'"),
    (("x1", "sphere", 2, "1e-2"), r"ambient: expected an integer D in 3\.\.256"),
    (("x1 + x5", "circle", 4, "1e-2"), r"unknown variable 'x5' at column 6; expected one of "
                                       r"x1, x2, x3, x4"),
    (("x1", "circle", 3, "0"), r"eps: expected a positive number, found 0"),
    (("x1", "circle", 3, "1e-2", "sigmoid"), r"family: expected one of quadratic, relu"),
])
def test_bad_manifold_arguments_are_refused(args, message):
    with pytest.raises(qt.QuadTheoryError, match=message):
        qt.manifold_construct(*args)
