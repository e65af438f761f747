"""Lower bounds for any ReLU network: certified curvature, pieces, neurons, dense params.

Theory vs construction: for every target and ε of a table, the lower bound never exceeds the
certified construction (hidden neurons, nonzero and dense params, linear pieces); for x² on
[0, 1] the bound is attained exactly by the shifted sawtooth.
"""

from __future__ import annotations

import itertools
import json
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quadtheory import QuadTheoryError
from quadtheory._src.bounds.lower import bounds, min_dense_params, pieces_needed, radial_bounds
from quadtheory._src.conventional.family import relu_construct, relu_radial
from quadtheory._src.conventional.pieces import pieces
from quadtheory._src.conventional.yarotsky import yarotsky_square
from quadtheory._src.render.reports import bounds_report as render
from tests.strategies import boxes, examples

F = Fraction


@pytest.mark.parametrize("m", range(0, 9))
def test_x_squared_on_the_unit_interval_is_attained_by_the_shifted_sawtooth(m):
    eps = F(1, 2 ** (2 * m + 3))  # the shifted f_m's exact error, with 2^m pieces
    b = bounds("x**2", eps, domain=(0, 1))
    assert (b.kappa, b.h_squared, b.kappa_exact) == (2, 1, True)
    assert b.pieces_needed == 2**m == len(pieces(yarotsky_square(m, shifted=True))) + 1
    assert bounds("x**2", eps * (1 - F(1, 10**6)), domain=(0, 1)).pieces_needed == 2**m + 1


def _hidden(net):
    return sum(net.widths[:-1])


TABLE = [
    ("x**2", None, ["1e-2", "1e-4", "1e-6", "1e-8"]),
    ("x**2", (0, 1), ["1e-3", "1e-6"]),
    ("x**3 - x", None, ["1e-2", "1e-4"]),
    ("x*y", None, ["1e-2", "1e-4"]),
    ("x*y", [(0, 1), (-2, 1)], ["1e-3"]),
    ("x**2 + y**2 + z**2", None, ["1e-2", "1e-3"]),
    ("x**2*y - y**3/3", None, ["1e-2"]),
]


@pytest.mark.parametrize(("target", "domain", "eps_list"), TABLE)
def test_lower_bound_never_exceeds_the_construction(target, domain, eps_list):
    for eps in eps_list:
        net = relu_construct(target, eps, domain=domain)
        depth = net.depth - 1
        b = bounds(target, eps, depth=sorted({1, depth}), domain=domain)
        assert F(net.meta["certified_error"]) <= F(eps)
        assert b.min_neurons <= _hidden(net)
        assert b.min_nonzero <= net.params.nonzero
        assert b.min_params_dense[depth] <= net.params.dense
        assert b.best_dense <= b.min_params_dense[depth]
        if net.n_inputs == 1:
            assert b.pieces_needed <= len(pieces(net)) + 1


@pytest.mark.parametrize(("g", "dim", "eps"), [("r**2", 3, "1e-3"), ("exp(-r**2)", 2, "1e-3"),
                                               ("1 - r**2 + r**4/2", 2, "1e-2")])
def test_radial_lower_bound_never_exceeds_the_construction(g, dim, eps):
    net = relu_radial(g, dim, eps)
    b = radial_bounds(g, dim, eps)
    assert b.min_neurons <= _hidden(net) and b.min_nonzero <= net.params.nonzero
    assert b.best_dense <= net.params.dense
    assert b.inputs == tuple(f"x{k + 1}" for k in range(dim))


def _brute_force(k, n, depth, cap):
    best = None
    for widths in itertools.product(range(1, cap + 1), repeat=depth):
        if math.prod(m + 1 for m in widths) < k:
            continue
        sizes = (n, *widths, 1)
        dense = sum(sizes[i + 1] * (sizes[i] + 1) for i in range(depth + 1))
        best = dense if best is None else min(best, dense)
    return best


@settings(max_examples=examples(40), deadline=None)
@given(st.integers(1, 40), st.integers(1, 3), st.integers(1, 3))
def test_min_dense_params_matches_an_exhaustive_search(k, n, depth):
    dense, widths = min_dense_params(k, n, depth)
    assert dense == _brute_force(k, n, depth, cap=max(k, 1))
    assert math.prod(m + 1 for m in widths) >= k and len(widths) == depth


@settings(max_examples=examples(60), deadline=None)
@given(st.fractions(F(1, 50), 100, max_denominator=50),
       st.fractions(F(1, 10**6), F(1, 2), max_denominator=10**6))
def test_pieces_needed_is_the_least_k(kappa_h2, eps):
    k = pieces_needed(kappa_h2, eps)
    assert kappa_h2 / (16 * k * k) <= eps
    assert k == 1 or kappa_h2 / (16 * (k - 1) ** 2) > eps


def test_several_inputs_use_the_best_certified_segment():
    b = bounds("x*y", "1e-4")
    assert b.segment == ((-1, -1), (1, 1)) and b.kappa == 1 and b.h_squared == 8
    cubic = bounds("x**3", "1e-3")  # 6x changes sign: a sub-segment away from 0
    assert cubic.kappa > 0 and all(v != 0 for v in cubic.segment[0] + cubic.segment[1])


def test_non_polynomial_targets_get_an_enclosed_curvature():
    b = bounds("exp(x)", "1e-3")
    assert not b.kappa_exact
    assert F(36787, 100000) < b.kappa <= F(36788, 100000)  # min of e^x on [-1, 1]: 1/e


def test_as_dict_is_json_with_the_promised_fields():
    data = json.loads(json.dumps(bounds("x**2", "1e-6", depth=[2, 5]).as_dict()))
    assert {"pieces_needed", "min_neurons", "min_params_dense", "segment", "kappa"} <= set(data)
    assert set(data["min_params_dense"]) == {"2", "5"}


@pytest.mark.parametrize(("call", "message"), [
    (lambda: bounds("x**2", 0), r"eps: expected a positive number, found 0"),
    (lambda: bounds("x**2", "-1e-3"), r"eps: expected a positive number, found -1/1000"),
    (lambda: bounds("3*x - y + 1", "1e-3"),
     r"3\*x - y \+ 1 has no curvature \(its second derivatives vanish\), so no lower bound"),
    (lambda: bounds("7", "1e-3"), r"7 has no curvature"),
    (lambda: radial_bounds("2*r**0 + 1", 2, "1e-3"), r"has no curvature"),
    (lambda: bounds("x**2", "1e-3", domain=(2, 2)), r"empty interval \[2, 2\]; expected lo < hi"),
    (lambda: bounds("x**2", "1e-3", domain="all"), r"expected a bounded box"),
    (lambda: bounds("x**2", "1e-3", domain={"q": (0, 1)}), r"'q' is not a variable"),
    (lambda: bounds("x**2", "1e-3", depth=0), r"depth: expected a number of hidden layers"),
    (lambda: radial_bounds("r**2", 0, "1e-3"), r"dim: expected an integer >= 1, found 0"),
])
def test_bound_errors(call, message):
    with pytest.raises(QuadTheoryError, match=message):
        call()


# -- one linear piece: depth 0 (the affine map) is a network too ----------------------------------

@pytest.mark.parametrize(("target", "domain", "eps", "relu_dense"), [
    ("x**2", (0, 1), "1/8", 2),            # x − 1/8, error exactly 1/8
    ("x*y", (0, 1), "1/4", 3),             # (x + y)/2 − 1/4, error exactly 1/4
    ("x**2", None, "1/2", 2),
    ("x**2", None, "2", 2),
    ("x**3", (0, 1), "1/2", 2),
])
def test_one_piece_bounds_admit_the_affine_network_the_tool_builds(target, domain, eps,
                                                                   relu_dense):
    net = relu_construct(target, eps, domain=domain)
    b = bounds(target, eps, domain=domain)
    assert (net.depth, net.params.dense) == (1, relu_dense)
    assert b.pieces_needed == 1 and b.min_neurons == 0 and b.min_nonzero == 0
    assert (b.best_depth, b.best_dense) == (0, net.n_inputs + 1) == (0, relu_dense)
    assert b.widths[0] == ()


def test_two_pieces_exclude_depth_zero():
    b = bounds("x**2", F(1, 8) * (1 - F(1, 10**6)), domain=(0, 1))  # just below 1/8
    assert b.pieces_needed == 2 and 0 not in b.min_params_dense
    with pytest.raises(QuadTheoryError, match="depth 0: an affine map has 1 linear piece, 2"):
        min_dense_params(2, 1, 0)


def test_one_piece_text_names_the_affine_map():
    text = render(bounds("x**2", "1/8", domain=(0, 1)))
    assert "one into each of 0 neurons" not in text
    assert "nonzero weights: >= 0 (one linear piece may do: an affine map" in text
    assert "0          2  none (affine)" in text and "best: depth 0, 2 dense params" in text
    assert "(one into each of 3 neurons, one into the output)" in render(bounds("x**2", "1e-2"))


@st.composite
def _targets(draw):
    n = draw(st.integers(1, 2))
    names = ("x", "y")[:n]
    terms = []
    for _ in range(draw(st.integers(1, 3))):
        powers = [draw(st.integers(0, 3)) for _ in names]
        coeff = draw(st.fractions(-3, 3, max_denominator=4).filter(lambda c: c != 0))
        monomial = "*".join(f"{v}**{p}" for v, p in zip(names, powers, strict=True) if p)
        terms.append(f"({coeff})" + (f"*{monomial}" if monomial else ""))
    return " + ".join(terms), names, draw(boxes(n))


@settings(max_examples=examples(12), deadline=None)
@given(_targets(), st.sampled_from(["1/2", "1/8", "1/32", "2", "boundary"]))
def test_lower_bound_never_exceeds_any_network_the_tool_builds(case, eps):
    target, names, box = case
    domain = dict(zip(names, box, strict=True))
    if eps == "boundary":  # ε exactly the error of the network built at 1/4: the tightest case
        eps = relu_construct(target, "1/4", names, domain).meta["certified_error"]
        if F(eps) == 0:
            eps = "1/4"
    try:
        b = bounds(target, eps, domain=domain, variables=names)
    except QuadTheoryError as error:  # an affine (curvature-free) target: no bound to test
        assert "no curvature" in str(error) or "no segment" in str(error)
        return
    net = relu_construct(target, eps, names, domain)
    assert F(net.meta["certified_error"]) <= F(eps)
    assert b.min_neurons <= _hidden(net) and b.min_nonzero <= net.params.nonzero
    assert b.best_dense <= net.params.dense
    if net.depth - 1 in b.min_params_dense:
        assert b.min_params_dense[net.depth - 1] <= net.params.dense


def test_radial_bounds_of_the_norm_use_a_chord_off_the_centre():
    b = radial_bounds("r", 2, "1e-3")
    (p1, p2), (q1, q2) = b.segment
    assert p2 == q2 != 0 and p1 == -q1 and p2**2 + p1**2 <= 1
    assert b.pieces_needed > 1 and 0 < b.kappa <= 1
    net = relu_radial("r", 2, "1e-3")
    assert b.min_neurons <= _hidden(net) and b.best_dense <= net.params.dense
    with pytest.raises(QuadTheoryError, match=r"in 1 dimension is G\(\|x - c\|\), piecewise "
                                              "linear with one kink"):
        radial_bounds("r", 1, "1e-3")


_POLY = st.recursive(
    st.sampled_from(["x", "y", "z", "1", "2", "-1/3"]),
    lambda inner: st.tuples(inner, st.sampled_from(["+", "*", "-"]), inner).map(
        lambda t: f"({t[0]}{t[1]}{t[2]})") | st.tuples(inner, st.integers(0, 4)).map(
        lambda t: f"({t[0]})**{t[1]}"), max_leaves=8)


@given(_POLY, st.lists(st.fractions(-2, 2, max_denominator=7), min_size=6, max_size=6))
@settings(max_examples=examples(60), deadline=None)
def test_restriction_to_a_line_matches_sympy(text, numbers):
    """The restriction walks the expression tree in polynomials of s (never expanding in
    the variables): the same coefficients as sympy's expansion of the substitution."""
    import sympy

    from quadtheory._src.conventional.pieces import _restriction
    from quadtheory._src.exact.parse import parse_expression

    expr = parse_expression(text, ["x", "y", "z"])
    start, direction = numbers[:3], numbers[3:]
    s = sympy.Symbol("s")
    line = {sympy.Symbol(n): sympy.Rational(a.numerator, a.denominator)
            + sympy.Rational(d.numerator, d.denominator) * s
            for n, a, d in zip("xyz", start, direction)}
    want = sympy.Poly(sympy.expand(expr.xreplace(line)), s).all_coeffs()[::-1]
    got = _restriction(expr, ["x", "y", "z"], start, direction)
    while len(got) > 1 and got[-1] == 0:
        got.pop()
    assert [Fraction(int(c.p), int(c.q)) for c in want] == got


def test_a_power_of_a_sum_is_restricted_without_expanding():
    """(x+y+z+w)**200 has 1,373,701 monomials; the bound needs only its restriction to
    segments (hostile.py: it ran past 30 s, now a clean refusal in about a second)."""
    with pytest.raises(QuadTheoryError, match=r"pieces needed .* is over the limit"):
        bounds("(x+y+z+w)**200", "1e-2")
