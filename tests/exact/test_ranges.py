"""The fast exact enclosures (issue 9): pairs of fast rationals give what the ``Interval``
class gives, every enclosure contains every value, and the Chebyshev enclosure of a
polynomial of one variable is rigorous (and exact for T_n)."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from quadtheory import Interval
from quadtheory._src.core.numbers import Q, fast, slow
from quadtheory._src.exact import ranges
from quadtheory._src.exact.targets import polynomial_terms
from quadtheory._src.exact.univariate import (
    _enclosure_on,
    _shifted,
    chebyshev_coefficients,
    chebyshev_range,
)
from tests.strategies import examples, rationals

INF = float("inf")


@st.composite
def intervals(draw, unbounded: bool = True) -> Interval:
    lo = draw(rationals())
    hi = lo + abs(draw(rationals()))
    if unbounded and draw(st.integers(0, 4)) == 0:
        lo = -INF
    if unbounded and draw(st.integers(0, 4)) == 0:
        hi = INF
    return Interval(lo, hi)


@given(intervals(), intervals(), st.integers(0, 5))
def test_pairs_compute_what_intervals_compute(a, b, k):
    pa, pb = ranges.from_interval(a), ranges.from_interval(b)
    assert ranges.to_interval(ranges.mul(pa, pb)) == a * b
    assert ranges.to_interval(ranges.add(pa, pb)) == a + b
    assert ranges.to_interval(ranges.power(pa, k)) == a.power(k)
    assert ranges.to_interval(ranges.relu(pa)) == a.relu()


@given(st.lists(st.tuples(rationals(), st.fractions(0, 1, max_denominator=8)),
                min_size=1, max_size=4), rationals())
def test_an_affine_enclosure_contains_every_value(terms, bias):
    below = [(Q(-1), Q(2))] * len(terms)
    row = [(j, fast(w)) for j, (w, _) in enumerate(terms) if w]
    lo, hi = ranges.affine(row, fast(bias), below)
    value = sum((w * (-1 + 3 * t) for w, t in terms), bias)
    assert slow(lo) <= value <= slow(hi)


@given(st.lists(rationals(), min_size=1, max_size=7), st.fractions(0, 1, max_denominator=64))
def test_the_chebyshev_enclosure_contains_every_value(coeffs, t):
    lo, hi = Fraction(-1, 2), Fraction(3)
    low, high = chebyshev_range([fast(c) for c in coeffs], fast(lo), fast(hi))
    x = lo + t * (hi - lo)
    value = sum((c * x**k for k, c in enumerate(coeffs)), Fraction(0))
    assert slow(low) <= value <= slow(high)


@settings(max_examples=examples(20))
@given(st.lists(rationals(), min_size=1, max_size=60), rationals(), rationals())
def test_the_flint_chebyshev_enclosure_is_the_loops(coeffs, m, r):
    # From degree 16 on the enclosure comes from python-flint's composition and an integer
    # matrix product; it is exactly the Horner loops' a_0 ± Σ|a_k|.
    p, m, r = [fast(c) for c in coeffs], fast(m), fast(r)
    a = chebyshev_coefficients(_shifted(p, m, r))
    spread = sum((abs(v) for v in a[1:]), Q(0))
    assert _enclosure_on(p, m, r) == (a[0] - spread, a[0] + spread)


@pytest.mark.parametrize(("m", "r"), [(Fraction(1, 3), Fraction(0)),
                                      (Fraction(-2), Fraction(-1, 5)),
                                      (Fraction(0), Fraction(7, 2))])
@pytest.mark.parametrize("zeros", [0, 5])
def test_the_flint_chebyshev_enclosure_on_degenerate_sides_and_trailing_zeros(m, r, zeros):
    # r = 0 (a side of one point) leaves p(m + r·t) of degree 0; trailing zero coefficients
    # leave it below len - 1; a negative r flips the side. The integer path must still be
    # the loops' enclosure.
    p = [fast(Fraction((-1) ** k * (k + 1), k % 5 + 1)) for k in range(20)] + [Q(0)] * zeros
    a = chebyshev_coefficients(_shifted(p, fast(m), fast(r)))
    spread = sum((abs(v) for v in a[1:]), Q(0))
    assert _enclosure_on(p, fast(m), fast(r)) == (a[0] - spread, a[0] + spread)


@pytest.mark.parametrize("n", [1, 2, 7, 40])
def test_the_chebyshev_enclosure_of_t_n_is_exact(n):
    x = sympy.Symbol("x")
    terms = polynomial_terms(sympy.chebyshevt(n, x), ["x"])
    coeffs = [fast(terms.get((k,), Fraction(0))) for k in range(n + 1)]
    assert chebyshev_range(coeffs, Q(-1), Q(1)) == (Q(-1), Q(1))


def test_the_size_bound_counts_the_terms_of_a_power_of_a_sum():
    x, y = sympy.symbols("x y")
    assert len(polynomial_terms((x + y) ** 450, ["x", "y"])) == 451
