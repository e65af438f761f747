"""Certified piecewise-linear interpolants: the proved bound is never below what is observed.

Enclosures are checked against mpmath at 50 digits; interpolants against a fine grid (and a
geometric grid towards singular ends); the relu network against the interpolant, exactly.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from quadtheory import QuadTheoryError
from quadtheory._src.conventional.pwl import interpolate, round_up
from quadtheory._src.exact.enclosure import Enclosure
from quadtheory._src.exact.parse import parse_expression
from tests.strategies import examples

T = sympy.Symbol("t")
DIGITS = 50

# (φ, a, b): smooth, singular at an end (φ'' unbounded), kinks, both signs.
CASES = [
    ("exp(-t)", 0, 1),
    ("sqrt(t)", 0, 1),
    ("cos(sqrt(t))", 0, 1),
    ("sin(sqrt(t))", 0, 4),
    ("1/(1 + t)", 0, 2),
    ("sqrt(1 + t)", 0, 1),
    ("t**3 - t", -1, 1),
    ("abs(t - 1/3)", 0, 1),
    ("relu(t) + atan(5*t)", -1, 1),
    ("tanh(2*t) + sinh(t)/4 + cosh(t)/8", -2, 2),
    ("log(1 + t) + t**(3/2)", 0, 1),
    ("sqrt(1 - t**2)", -1, 1),
    ("asin(t)", -1, 1),
    ("tan(t) + exp(t)*pi", "-1/2", "1/2"),
]


def _mp(value: Fraction) -> mpmath.mpf:
    return mpmath.mpf(value.numerator) / value.denominator


def _reference(expr: sympy.Expr):
    """mpmath evaluation of a trusted test expression (lambdify is fine for our own text)."""
    return sympy.lambdify(T, expr, "mpmath")


def _evaluate(expr: sympy.Expr, t: Fraction) -> mpmath.mpf:
    return mpmath.re(_reference(expr)(_mp(t)))


def _grid(a: Fraction, b: Fraction, breakpoints: tuple[Fraction, ...]) -> list[Fraction]:
    """An even grid, every piece's quarter points, and geometric points towards both ends."""
    n = 400
    points = [a + (b - a) * Fraction(k, n) for k in range(n + 1)]
    for u, v in itertools.pairwise(breakpoints):
        points += [u + (v - u) * Fraction(k, 4) for k in (1, 2, 3)]
    points += [a + (b - a) / 4**k for k in range(1, 20)] + [b - (b - a) / 4**k
                                                             for k in range(1, 20)]
    return points


@pytest.mark.parametrize("eps", ["1/10", "1/1000"])
@pytest.mark.parametrize(("text", "a", "b"), CASES)
def test_certified_bound_is_never_below_the_observed_error(text, a, b, eps):
    f = interpolate(text, "t", (a, b), eps)
    phi = parse_expression(text, ["t"])
    bound = f.certified_error
    assert isinstance(bound, Fraction) and 0 <= bound <= Fraction(eps)
    a, b = Fraction(a), Fraction(b)
    assert f.breakpoints[0] == a and f.breakpoints[-1] == b
    reference = _reference(phi)
    with mpmath.workdps(DIGITS):
        worst = max(abs(_mp(f(t)) - mpmath.re(reference(_mp(t))))
                    for t in _grid(a, b, f.breakpoints))
        assert worst <= _mp(bound), (text, float(worst), float(bound))
        # On smooth pieces the bound is not wildly pessimistic (the oscillation bound may be).
        if "oscillation" not in f.bounds and f.pieces > 1:
            assert worst >= _mp(bound) / 20


def test_singular_end_grades_the_mesh():
    f = interpolate("sqrt(t)", "t", (0, 1), "1/100")
    assert f.bounds[0] == "oscillation" and f.bounds[-1] == "second derivative"
    lengths = [v - u for u, v in itertools.pairwise(f.breakpoints)]
    assert lengths[0] <= Fraction(1, 10**4)  # √h <= eps: h ~ eps²
    assert lengths[:-1] == sorted(lengths[:-1])  # growing towards the smooth end


def test_a_smooth_function_needs_about_the_optimal_number_of_pieces():
    # ∫ √(|φ''| / 8ε) dt is the least number of pieces for ε: greedy pieces come close.
    f = interpolate("exp(-t)", "t", (0, 1), "1/100000")
    optimal = 2 * (1 - mpmath.exp(-0.5)) / mpmath.sqrt(8e-5)
    assert optimal <= f.pieces <= 1.2 * optimal + 2


@settings(max_examples=examples(15))
@given(st.integers(0, len(CASES) - 1), st.fractions(0, 1))
def test_network_is_the_interpolant_exactly(case, u):
    text, a, b = CASES[case]
    f = interpolate(text, "t", (a, b), "1/100")
    t = Fraction(a) + (Fraction(b) - Fraction(a)) * u
    net = f.network()
    assert net.exact([t]) == (f(t),)
    assert net.domain == ((Fraction(a), Fraction(b)),)
    assert [layer.activation for layer in net.layers] == ["relu", "identity"]


def test_network_values_and_counts():
    f = interpolate("t**2", "t", (0, 1), "1/100")
    net = f.network()
    assert net.widths == (f.pieces, 1)  # one relu neuron a kink, t_0 = 0 included
    assert all(net.exact([t]) == (v,) for t, v in zip(f.breakpoints, f.values, strict=True))
    # nonzero: kink weights 1, biases -t_k (t_0 = 0 has none), output weights and v_0 (= 0)
    assert net.params.nonzero == f.pieces + (f.pieces - 1) + f.pieces


def test_linear_and_constant_functions():
    line = interpolate("3*t - 1", "t", (0, 2), "1/1000")
    assert line.pieces == 1 and line.certified_error == 0
    assert line.network().widths == (1, 1)
    constant = interpolate("sqrt(2)", "t", (0, 1), "1/1000")
    net = constant.network()
    assert net.depth == 1 and net.widths == (1,)
    with mpmath.workdps(DIGITS):
        assert abs(_mp(net.exact([0])[0]) - mpmath.sqrt(2)) <= _mp(constant.certified_error)


# -- enclosures ---------------------------------------------------------------------------------

FUNCTIONS = ["exp(t)", "log(t + 3)", "sqrt(t + 2)", "sin(3*t)", "cos(7*t)", "tan(t/2)",
             "atan(t)", "asin(t/2)", "acos(t/2)", "sinh(t)", "cosh(t)", "tanh(3*t)", "abs(t)",
             "sign(t)", "max(t, 1/3)", "min(t, -1/5)", "(t + 2)**(2/3)", "(t + 5/2)**t",
             "t**(-2) + 1", "pi*E*t"]


@settings(max_examples=examples(40))
@given(st.sampled_from(FUNCTIONS), st.fractions(-2, 2, max_denominator=64),
       st.fractions(0, 1, max_denominator=64), st.fractions(0, 1))
def test_enclosures_contain_every_value(text, lo, width, u):
    expr = parse_expression(text, ["t"])
    hi = min(lo + width, Fraction(2))
    box = Enclosure(expr, [T])((lo, hi))
    t = lo + (hi - lo) * u
    if box is None:  # allowed only where the expression is undefined or unbounded nearby
        assert (text in ("t**(-2) + 1", "sign(t)") and lo <= 0 <= hi) or "tan" in text
        return
    with mpmath.workdps(DIGITS):
        assert _mp(box.lo) <= _evaluate(expr, t) <= _mp(box.hi), (text, lo, hi, t)


@pytest.mark.parametrize(("text", "interval"), [
    ("log(t)", (0, 1)), ("1/t", (-1, 1)), ("sqrt(t)", (-1, 1)), ("asin(t)", (0, 2)),
    ("tan(t)", (1, 2)), ("t**(1/3)", (-1, 1)),
])
def test_enclosures_refuse_undefined_or_unbounded(text, interval):
    assert Enclosure(parse_expression(text, ["t"]), [T])(interval) is None


def test_enclosures_refuse_unknown_functions():
    with pytest.raises(QuadTheoryError, match=r"cannot evaluate gamma\(\.\.\.\) in gamma\(t\)"):
        Enclosure(sympy.gamma(T), [T])
    with pytest.raises(QuadTheoryError, match=r"cannot evaluate y: expected only the variables t"):
        Enclosure(T + sympy.Symbol("y"), [T])


@given(st.fractions(0, 10**6, max_denominator=10**9))
def test_round_up_is_a_short_upper_bound(x):
    y = round_up(x)
    assert x <= y <= x * Fraction(101, 100) + Fraction(1, 10**30)
    assert len(str(y.numerator)) <= 3 or y.denominator == 1


# -- errors --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("call", "message"), [
    (lambda: interpolate("t", "t", (0, 1), 0), r"eps: expected a positive number, found 0"),
    (lambda: interpolate("t", "t", (0, 1), "-1/2"), r"eps: .* found -1/2"),
    (lambda: interpolate("t", "t", (1, 1), "1/10"), r"interval: expected a < b, found \[1, 1\]"),
    (lambda: interpolate("t", "t", (0,), "1/10"), r"interval: expected \(a, b\)"),
    (lambda: interpolate("t + y", "t", (0, 1), "1/10"), r"unknown variable 'y'"),
    (lambda: interpolate(T + sympy.Symbol("y"), "t", (0, 1), "1/10"),
     r"function: expected an expression in t only, found y"),
    (lambda: interpolate("log(t)", "t", (0, 1), "1/10"),
     r"cannot bound log\(t\) near t = 0: it is unbounded, undefined or not continuous"),
    (lambda: interpolate("sign(t - 1/2)", "t", (0, 1), "1/10"),
     r"cannot bound sign\(t - 1/2\) near t = 1/2"),
    (lambda: interpolate("1/t", "t", (-1, 1), "1/10"), r"cannot bound 1/t near t = "),
    (lambda: interpolate("sin(100*t)", "t", (0, 1), "1/10000", max_pieces=50),
     r"needs more than 50 pieces; expected a larger eps"),
    (lambda: interpolate("t", "t", (0, 1), 0.1), r"eps: found the float 0.1"),
])
def test_errors(call, message):
    with pytest.raises(QuadTheoryError, match=message):
        call()
