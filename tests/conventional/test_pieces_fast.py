"""The exact sup error on fast rationals (issue 9) agrees with the generic computation: the
extremes of each piece's error polynomial, piece by piece, in ``Fraction``s."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from quadtheory._src.conventional.pieces import (
    _best,
    _sup,
    linear_pieces,
    polynomial_extremes,
    sup_error,
)
from tests.conventional.test_pieces import relu_networks
from tests.strategies import examples, rationals


def generic(net, coeffs):
    """max and min of network − target, piece by piece (constant coefficient first)."""
    f = linear_pieces(net)
    highs, lows = [], []
    for (lo, hi), ((a, b),) in zip(f.intervals(), f.pieces, strict=True):
        diff = [b - coeffs[0], a - coeffs[1], -coeffs[2]]
        top, bottom = polynomial_extremes(diff, lo, hi)
        highs.append((top.lo, top.hi, top.at))
        lows.append((bottom.lo, bottom.hi, bottom.at))
    return _sup(_best(highs, 1), _best(lows, -1), len(f.pieces))


@settings(max_examples=examples(30), deadline=None)
@given(relu_networks(), st.lists(rationals(max_num=5), min_size=3, max_size=3))
def test_the_fast_sup_error_is_the_generic_one(case, coeffs):
    net, _ = case
    target = f"({coeffs[0]}) + ({coeffs[1]})*x + ({coeffs[2]})*x**2"
    c = [Fraction(v) for v in coeffs]
    fast, slow = sup_error(net, target), generic(net, c)
    assert (fast.lower, fast.upper, fast.pieces) == (slow.lower, slow.upper, slow.pieces)
    for mine, theirs in ((fast.high, slow.high), (fast.low, slow.low)):
        assert (mine.lo, mine.hi) == (theirs.lo, theirs.hi)
        # Where it is attained: any point that attains it (ties may pick another one).
        x = mine.at
        assert net.exact([x])[0] - (c[0] + c[1] * x + c[2] * x * x) == mine.lo
