"""The breakpoint path of the linear pieces (integer arrays, :mod:`...breakpoints`) agrees
with the cell-by-cell path (rationals per cell) wherever both apply, in int64 and in Python
integers; and Yarotsky's f_m has its 2^m pieces and exact error either way."""

from __future__ import annotations

from fractions import Fraction
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quadtheory import Network, conventional_layer
from quadtheory._src.conventional import breakpoints
from quadtheory._src.conventional.pieces import (
    _cell_by_cell,
    _point_cells,
    _start,
    linear_pieces,
    sup_error,
)
from quadtheory._src.conventional.yarotsky import yarotsky_square
from tests.conventional.test_pieces import relu_networks
from tests.reference import reference_pieces
from tests.strategies import examples, rationals

F = Fraction


def both_paths(net, segment=None):
    start, end, values = _start(net, segment)
    return (_point_cells(net, start, end, values, None),
            _cell_by_cell(net, start, end, values, None))


# The int64 bound: the real one, one that sends the products to Python integers part way,
# and one that keeps every array in Python integers (the same for every example drawn).
bounds = pytest.mark.parametrize("bound", [2**62, 2**12, 1], ids=["int64", "mixed", "python"])


@bounds
@settings(max_examples=examples(60), deadline=None)
@given(relu_networks())
def test_breakpoints_are_the_cells_of_the_cell_by_cell_path(bound, case):
    net, _ = case
    with mock.patch.object(breakpoints, "_INT64", bound):
        points, cells = both_paths(net)
        f = linear_pieces(net)
    assert points == cells
    # and the pieces are those of the algorithm before the breakpoint arrays (its own code)
    assert [(lo, hi, list(p)) for (lo, hi), p in zip(f.intervals(), f.pieces)] == \
        reference_pieces(net)


@settings(max_examples=examples(25), deadline=None)
@given(relu_networks(trained=True))
def test_trained_float_weights_take_the_same_cells(case):
    # Float weights are binary rationals with denominators up to 2^149: Python integers.
    net, _ = case
    points, cells = both_paths(net)
    assert points == cells


@bounds
@settings(max_examples=examples(30), deadline=None)
@given(relu_networks(n_inputs=2),
       st.lists(rationals(max_num=4, max_den=3), min_size=4, max_size=4))
def test_breakpoints_on_a_segment_are_the_cell_by_cell_ones(bound, case, ends):
    net, _ = case
    if ends[:2] == ends[2:]:
        return
    with mock.patch.object(breakpoints, "_INT64", bound):
        points, cells = both_paths(net, (ends[:2], ends[2:]))
    assert points == cells


@bounds
def test_several_roots_in_one_interval_in_order_and_shared_roots_once(bound, monkeypatch):
    monkeypatch.setattr(breakpoints, "_INT64", bound)
    # On [0, 1] the first layer is affine: its four neurons vanish at 1/2 (two of them),
    # 1/3 and 3/4, all inside the one interval; the pieces split there once each.
    first = conventional_layer([[2], [4], [-3], [4]], [-1, -2, 1, -3])
    out = conventional_layer([[1, 1, 1, 5]], activation="identity")
    net = Network(("x",), (first, out), [[0, 1]])
    f = linear_pieces(net)
    assert f.breakpoints == (F(1, 3), F(1, 2), F(3, 4))
    points, cells = both_paths(net)
    assert points == cells


@bounds
def test_a_value_that_touches_zero_at_a_breakpoint_adds_none(bound, monkeypatch):
    monkeypatch.setattr(breakpoints, "_INT64", bound)
    # relu(x) on [0, 1] is 0 at the left end only: no crossing strictly inside.
    net = Network(("x",), (conventional_layer([[1], [-1]], [0, F(1, 2)]),
                           conventional_layer([[1, 1]], activation="identity")), [[0, 1]])
    assert linear_pieces(net).breakpoints == (F(1, 2),)


@bounds
@pytest.mark.parametrize("m", [1, 4, 9])
def test_yarotsky_f_m_has_its_pieces_and_error_in_every_integer_type(bound, m, monkeypatch):
    monkeypatch.setattr(breakpoints, "_INT64", bound)
    err = sup_error(yarotsky_square(m), "x**2")
    assert err.pieces == 2**m and err.exact
    assert err.upper == F(1, 2 ** (2 * m + 2))


def test_the_integer_arrays_stay_in_lowest_terms_with_positive_denominators():
    net = yarotsky_square(6)
    points = breakpoints.initial_points(F(0), F(1), [(F(1), F(0))])
    for layer in net.layers:
        points = breakpoints.map_layer(points, breakpoints.integer_layer(layer.w.rows, layer.b))
        assert (np.gcd.reduce(points, axis=1) == 1).all()  # (relu may zero a factor's share)
        if layer.activation == "relu":
            points = breakpoints.relu_split(points)
        assert (points[:, -1] > 0).all()
        xs = [F(int(x), int(d)) for x, d in zip(points[:, 0], points[:, -1])]
        assert xs == sorted(set(xs))
