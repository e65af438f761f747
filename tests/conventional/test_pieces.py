"""Exact linear pieces of conventional networks, and the exact sup error against polynomials.

Differential checks: the pieces agree with dense exact evaluation; their number never exceeds
Π(m_i + 1); the sup error is attained and bounds every sampled error.
"""

from __future__ import annotations

import math
from dataclasses import FrozenInstanceError
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quadtheory import Network, QuadTheoryError, conventional_layer, quadratic_layer
from quadtheory._src.conventional.pieces import (
    Pieces,
    linear_pieces,
    pieces,
    polynomial_extremes,
    sup_error,
)
from quadtheory._src.conventional.yarotsky import yarotsky_square
from tests.strategies import examples, rationals

F = Fraction


@st.composite
def relu_networks(draw, n_inputs: int = 1, trained: bool = False):
    """Random conventional networks: hidden relu layers (random widths), identity output."""
    widths = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    weight = (st.floats(-4, 4, allow_nan=False, width=32) if trained
              else rationals(max_num=6, max_den=4))
    layers, n = [], n_inputs
    for out in [*widths, 1]:
        w = [[draw(weight) for _ in range(n)] for _ in range(out)]
        b = [draw(weight) for _ in range(out)]
        activation = "identity" if out == 1 and len(layers) == len(widths) else "relu"
        layers.append(conventional_layer(w, b, activation, allow_float=trained))
        n = out
    lo = draw(rationals(zero_weight=False))
    domain = [[lo, lo + draw(st.integers(1, 6))]] if n_inputs == 1 else None
    return Network(("x", "y", "z")[:n_inputs], tuple(layers), domain, trained=trained), widths


def _points_inside(f, count_per_piece=3):
    """Rational points strictly inside each piece (3 per piece: enough to test affinity)."""
    out = []
    for lo, hi in f.intervals():
        a = lo if lo is not None else (hi if hi is not None else F(0)) - 4
        b = hi if hi is not None else a + 4
        out.append([a + (b - a) * F(k, count_per_piece + 1) for k in range(1, count_per_piece + 1)])
    return out


@settings(max_examples=examples(60), deadline=None)
@given(relu_networks())
def test_pieces_are_exact_and_at_most_the_product_bound(case):
    net, widths = case
    f = linear_pieces(net)
    assert len(f.pieces) <= math.prod(m + 1 for m in widths)
    assert list(f.breakpoints) == sorted(set(f.breakpoints))
    for points, ((a, b),) in zip(_points_inside(f), f.pieces, strict=True):
        for x in points:  # the piece is the network there, so the network is affine there
            assert net.exact([x]) == (a * x + b,)
    for k, x in enumerate(f.breakpoints):  # a breakpoint is a kink: slopes differ around it
        assert f.pieces[k][0][0] != f.pieces[k + 1][0][0]
        assert net.exact([x])[0] == f.pieces[k][0][0] * x + f.pieces[k][0][1]  # continuous


@settings(max_examples=examples(25), deadline=None)
@given(relu_networks(trained=True))
def test_trained_float_networks_have_exact_binary_breakpoints(case):
    net, widths = case
    f = linear_pieces(net)
    assert len(f.pieces) <= math.prod(m + 1 for m in widths)
    xs = [float(x) for points in _points_inside(f) for x in points]
    got = np.array([float(f(x)[0]) for x in xs])
    assert np.allclose(got, net.numeric(np.array(xs)[:, None])[:, 0], rtol=1e-9, atol=1e-9)


@settings(max_examples=examples(30), deadline=None)
@given(relu_networks(n_inputs=2),
       st.lists(rationals(max_num=4, max_den=3), min_size=4, max_size=4))
def test_segment_restriction_of_a_multi_input_network(case, ends):
    net, widths = case
    p, q = ends[:2], ends[2:]
    if p == q:
        return
    f = linear_pieces(net, segment=(p, q))
    assert all(0 < s < 1 for s in f.breakpoints)
    assert len(f.pieces) <= math.prod(m + 1 for m in widths)
    for s in [F(k, 7) for k in range(8)] + list(f.breakpoints):
        point = [a + s * (b - a) for a, b in zip(p, q, strict=True)]
        assert f(s) == net.exact(point)


def test_unbounded_domain_finds_every_kink():
    net = Network(("x",), (conventional_layer([[1], [1], [-2]], [3, -5, 1]),
                           conventional_layer([[1, 1, 1]], activation="identity")))
    assert pieces(net) == (F(-3), F(1, 2), F(5))


@pytest.mark.parametrize("target", ["x**2", "x**3 - x/2", "x**4 + x**3"])
def test_sup_error_is_attained_and_bounds_a_dense_sample(target):
    net = yarotsky_square(3, radius=1)
    err = sup_error(net, target)
    xs = [F(k, 1000) for k in range(-1000, 1001)]
    coeffs = {"x**2": [0, 0, 1], "x**3 - x/2": [0, F(-1, 2), 0, 1], "x**4 + x**3": [0, 0, 0, 1, 1]}
    values = [abs(sum(c * x**k for k, c in enumerate(coeffs[target])) - net.exact([x])[0])
              for x in xs]
    assert max(values) <= err.upper
    assert err.lower <= err.upper < err.lower * (1 + F(1, 10**12)) + F(1, 10**30)
    if err.at is not None:
        x = err.at
        value = sum(c * x**k for k, c in enumerate(coeffs[target]))
        assert abs(value - net.exact([x])[0]) == err.upper


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(rationals(max_num=5, max_den=3), min_size=1, max_size=6),
       rationals(zero_weight=False), st.integers(1, 4))
def test_polynomial_extremes_bound_every_value(coeffs, lo, width):
    hi = lo + width
    top, bottom = polynomial_extremes(coeffs, lo, hi)
    values = [sum(c * x**k for k, c in enumerate(coeffs))
              for x in (lo + (hi - lo) * F(j, 64) for j in range(65))]
    assert bottom.lo <= min(values) and max(values) <= top.hi
    assert top.lo <= top.hi and bottom.lo <= bottom.hi
    assert top.hi - top.lo <= F(1, 10**9) and bottom.hi - bottom.lo <= F(1, 10**9)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: pieces(Network(("x",), (quadratic_layer([[1]], w_g=[[1]]),))),
     r"layers\[0\]: expected conventional layers \(relu or identity\), found a quadratic"),
    (lambda: pieces(Network(("x", "y"), (conventional_layer([[1, 1]]),))),
     r"pieces: expected a network of one input, found 2 \(x, y\); pass segment"),
    (lambda: pieces(Network(("x", "y"), (conventional_layer([[1, 1]]),)), ([0, 0], [0, 0])),
     r"segment: expected two distinct points"),
    (lambda: sup_error(Network(("x",), (conventional_layer([[1]]),)), "x**2"),
     r"sup_error: the network has no domain"),
    (lambda: sup_error(yarotsky_square(1), "sin(x)"), r"expected a polynomial target in x"),
])
def test_piece_errors(call, message):
    with pytest.raises(QuadTheoryError, match=message):
        call()


@pytest.mark.parametrize(("breakpoints", "shown"), [
    ((), "Pieces(count=1, breakpoints=[])"),
    ((F(-3), F(1, 2)), "Pieces(count=3, breakpoints=[-3, 1/2])"),
    (tuple(F(k, 16) for k in range(1, 16)),
     "Pieces(count=16, breakpoints=[1/16, 1/8, 3/16, 1/4, ..., 3/4, 13/16, 7/8, 15/16])"),
])
def test_pieces_count_breakpoints_and_one_line_repr(breakpoints, shown):
    p = Pieces(breakpoints)
    assert p.count == len(breakpoints) + 1 and p.breakpoints == breakpoints
    assert repr(p) == shown


def test_pieces_still_acts_as_its_tuple_of_breakpoints():
    p = pieces(yarotsky_square(3))
    old = tuple(F(k, 8) for k in range(1, 8))
    assert p.count == 8 and p.breakpoints == old
    assert p == old and old == p and p == Pieces(old) and p != old[:-1] and p != list(old)
    assert hash(p) == hash(old) and {p: 1}[old] == 1
    assert len(p) == 7 and list(p) == list(old) and p[0] == F(1, 8) and p[-1] == F(7, 8)
    assert p[:3] == old[:3] and F(1, 2) in p and F(1, 3) not in p and sorted(p) == list(old)
    assert not pieces(Network(("x",), (conventional_layer([[1]], activation="identity"),)))
    with pytest.raises(FrozenInstanceError):
        p.breakpoints = ()  # type: ignore[misc]
