"""radial: exact for polynomials in r², certified within eps otherwise, linear in D."""

from __future__ import annotations

import functools
import itertools
import json
from fractions import Fraction

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from quadtheory import QuadTheoryError, load, save, verify
from quadtheory._src.cli.main import ArgumentParser
from quadtheory._src.cli.radial import add_parser
from quadtheory._src.core.domain import Ball
from quadtheory._src.quadratic.radial import METHODS, norm_network, radial, taylor_approximant
from tests.independent import evaluate_by_hand
from tests.strategies import examples

small = st.fractions(-2, 2, max_denominator=4)


@st.composite
def balls(draw, max_dim: int = 4):
    dim = draw(st.integers(1, max_dim))
    center = draw(st.lists(small, min_size=dim, max_size=dim))
    radius = draw(st.fractions(Fraction(1, 4), 2, max_denominator=4))
    return dim, center, radius


@st.composite
def points_in(draw, center, radius):
    """A rational point of the ball: a box point pulled in towards the centre until inside."""
    offset = [draw(st.fractions(-1, 1, max_denominator=64)) * radius for _ in center]
    while sum(o * o for o in offset) > radius**2:
        offset = [o * Fraction(3, 4) for o in offset]
    return [c + o for c, o in zip(center, offset, strict=True)]


def _squared(point, center) -> Fraction:
    return sum((x - c) ** 2 for x, c in zip(point, center, strict=True))


# -- exact: G a polynomial in r² -------------------------------------------------------------

@settings(max_examples=examples(25))
@given(st.lists(small, min_size=1, max_size=4), balls(), st.sampled_from(["relu", "identity"]),
       st.data())
def test_polynomials_in_r_squared_are_exact(coefficients, ball, activation, data):
    dim, center, radius = ball
    g = " + ".join(f"({c})*r**{2 * k}" for k, c in enumerate(coefficients))
    net = radial(g, dim, center, radius, activation=activation)
    assert net.meta["method"] == "exact polynomial in r^2"
    assert net.meta["certified_error"] == "0" and net.meta["certificate"]["holds"]
    assert net.domain == tuple((c - radius, c + radius) for c in center)
    point = data.draw(points_in(center, radius))
    t = _squared(point, center)
    assert net.exact(point) == (sum(c * t**k for k, c in enumerate(coefficients)),)


def test_exact_networks_are_proved_on_the_bounding_box():
    net = radial("(1 - r**2)**3", 3, ["1/2", 0, -1], 2)
    cert = verify(net, "(1 - (x1 - 1/2)**2 - x2**2 - (x3 + 1)**2)**3")
    assert cert.holds and cert.level == "symbolic proof"
    assert net.meta["region"] == {"ball": {"center": ["1/2", "0", "-1"], "radius": "2"}}


@pytest.mark.parametrize("g", [
    # construct proved these profiles' relu shifts with Chebyshev enclosures in t, which
    # intervals in x through the norm neuron did not reproduce: radial failed its own
    # verification (InternalError) until verify enclosed the values after a layer of width
    # one as polynomials of that value (7 of 152 such profiles on the disc).
    "chebyshevt(9, 2*r**2 - 1)",
    "chebyshevt(7, r**2) + r**2/3",
    "chebyshevt(21, 2*r**2 - 1)",
    # A split plan, with its Chebyshev enclosures since.
    "r**16 - r**14 - 2*r**12 - 3*r**10 - 4*r**8 + 3*r**6 - 4*r**4 - 2*r**2 - 2",
])
def test_profiles_built_with_chebyshev_enclosures_verify_after_the_norm_neuron(g):
    net = radial(g, 2)
    assert net.meta["certificate"]["holds"]
    assert all(r["relu"] == "identity" for r in net.certificate.details["relu_ranges"])


@pytest.mark.parametrize(("g", "widths", "nonzero"), [
    ("7", (1,), 1),                 # a constant: no hidden layer
    ("2*r**2 - 1", (1,), 4),        # affine in t: one identity quadratic neuron, 2‖x‖² − 1
    ("r**4", (1, 1), 4),            # t², a square of the norm neuron
])
def test_small_exact_cases_are_lean(g, widths, nonzero):
    net = radial(g, 3)
    assert net.widths == widths and net.params.nonzero == nonzero


# -- approximations -----------------------------------------------------------------------------

TARGETS = ["exp(-r**2)", "1/(1 + r**2)", "cos(r)", "sqrt(1 + r**2)", "r"]
REFERENCE = {g: sympy.lambdify(sympy.Symbol("r"), sympy.sympify(g), "mpmath") for g in TARGETS}


@functools.cache
def _network(g: str, eps: str, dim: int, center: tuple, radius: Fraction, method: str = "auto"):
    return radial(g, dim, list(center), radius, eps, method=method)


CASES = [(g, eps) for g in TARGETS for eps in ("1/100", "1/1000")]


@settings(max_examples=examples(20))
@given(st.sampled_from(CASES), st.sampled_from([(2, (0, 0), Fraction(1)),
                                                 (3, (Fraction(1, 2), -1, 0), Fraction(3, 2))]),
       st.data())
def test_approximations_stay_within_their_certified_error(case, ball, data):
    g, eps = case
    dim, center, radius = ball
    net = _network(g, eps, dim, center, radius)
    bound = Fraction(net.meta["certified_error"])
    assert 0 < bound <= Fraction(eps)
    point = data.draw(points_in(center, radius))
    with mpmath.workdps(50):
        r = mpmath.sqrt(_mp(_squared(point, center)))
        assert abs(_mp(net.exact(point)[0]) - REFERENCE[g](r)) <= _mp(bound)


def _mp(q: Fraction) -> mpmath.mpf:
    return mpmath.mpf(q.numerator) / q.denominator


@pytest.mark.parametrize(("g", "eps"), CASES)
def test_approximation_meta_and_certificate(g, eps):
    net = _network(g, eps, 2, (0, 0), Fraction(1))
    meta = net.meta
    assert Fraction(meta["certified_error"]) <= Fraction(eps)
    assert meta["family"] == "quadratic" and meta["target"] == g and meta["eps"] == eps
    assert meta["method"] in METHODS[1:] and meta["params"] == net.params.as_dict()
    chosen = meta["candidates"][meta["method"]]
    assert chosen["params"] == meta["params"]
    others = [c["params"]["nonzero"] for c in meta["candidates"].values() if "params" in c]
    assert meta["params"]["nonzero"] == min(others)  # fewest nonzero params wins
    cert = meta["certificate"]
    assert cert["holds"] and cert["level"] == "symbolic proof"
    assert "(sampled, not a proof)" in cert["checks"][-1]
    assert float(cert["details"]["observed_max_error"]) <= Fraction(meta["certified_error"])


def test_the_choice_follows_the_counts():
    # cos r: Taylor in r at 0 is even, degree 4 in t at 1e-6; relu pieces grow like ε^(-1/2)
    net = radial("cos(r)", 3, eps="1/1000000")
    assert net.meta["method"] == "polynomial approximant" and net.meta["degree"] <= 5
    pieces = net.meta["candidates"]["piecewise linear"]
    assert pieces["pieces"] > 100 and pieces["params"]["nonzero"] > 10 * net.params.nonzero
    # r = √t is not smooth at 0: no polynomial approximant is certified, relu pieces are
    net = radial("r", 2, eps="1/100")
    assert net.meta["method"] == "piecewise linear"
    assert "not bounded" in net.meta["candidates"]["polynomial approximant"]["unavailable"]


@pytest.mark.parametrize("method", ["piecewise linear", "polynomial approximant"])
def test_forced_methods(method):
    net = radial("exp(-r**2)", 2, eps="1/1000", method=method)
    assert net.meta["method"] == method and list(net.meta["candidates"]) == [method]


def test_an_entire_profile_keeps_its_taylor_search_past_the_bump():
    # exp(-10t) on [0, 1]: the bound 5^(k+1)/(k+1)! grows up to k = 4, then falls below 1e-3
    net = radial("exp(-10*r**2)", 2, eps="1/1000", method="polynomial approximant")
    assert net.meta["method"] == "polynomial approximant" and net.meta["degree"] == 17
    assert Fraction(net.meta["certified_error"]) <= Fraction(1, 1000)


def test_a_taylor_search_outside_the_radius_of_convergence_says_so():
    t = sympy.Symbol("t")
    reason = taylor_approximant(1 / (1 + 25 * t**2), t, Fraction(-1), Fraction(1),
                                Fraction(1, 1000))
    assert "per degree" in reason and "not inside a disc where the function is analytic" in reason


def test_identity_activation_uses_the_polynomial_approximant():
    net = radial("exp(-r**2)", 2, eps="1/1000", activation="identity")
    assert net.meta["method"] == "polynomial approximant"
    assert {layer.activation for layer in net.layers} == {"identity"}
    assert "needs relu" in net.meta["candidates"]["piecewise linear"]["unavailable"]


# -- counts: linear in D ------------------------------------------------------------------------

@pytest.mark.parametrize(("g", "eps"), [("exp(-r**2)", "1/1000"), ("cos(r)", "1/100"),
                                        ("r", "1/100"), ("1 + r**2 - r**4/3", None)])
def test_params_grow_linearly_in_the_dimension(g, eps):
    counts = [radial(g, d, eps=eps, verify=False).params for d in range(1, 9)]
    dense = {b.dense - a.dense for a, b in itertools.pairwise(counts)}
    nonzero = {b.nonzero - a.nonzero for a, b in itertools.pairwise(counts)}
    assert dense == {3} and nonzero == {1}  # the norm neuron: w_r, w_g, w_b columns; w_b = 1


def test_off_centre_params_grow_by_the_centre_too():
    counts = [radial("exp(-r**2)", d, [1] * d, eps="1/1000", verify=False).params
              for d in range(1, 6)]
    assert {b.nonzero - a.nonzero for a, b in itertools.pairwise(counts)} == {2}


@settings(max_examples=examples(10))
@given(balls(max_dim=5))
def test_the_norm_neuron_is_exact_and_its_relu_proved(ball):
    dim, center, radius = ball
    net, t_range = norm_network(Ball.of(dim, center, radius))
    assert net.layers[0].activation == "relu"
    assert t_range.lo == 0 and t_range.hi >= dim * radius**2 / 4
    box = net.domain
    corner = [lo for lo, _ in box]
    assert net.exact(corner) == (_squared(corner, center),)


# -- files and command line ---------------------------------------------------------------------

def test_network_file_is_exact_from_the_file_alone(tmp_path):
    net = radial("exp(-r**2)", 3, [0, "1/2", 0], eps="1/1000")
    path = tmp_path / "radial.json"
    save(net, path)
    data = json.loads(path.read_text())
    assert data["meta"]["region"]["ball"]["radius"] == "1"
    assert data["domain"] == [["-1", "1"], ["-1/2", "3/2"], ["-1", "1"]]
    again = load(path)
    for point in ([0, "1/2", 0], ["1/3", 1, "-1/5"], [1, "1/2", 0]):
        assert again.exact(point) == net.exact(point)
        by_hand = evaluate_by_hand(data, dict(zip(data["inputs"], map(Fraction, point))))
        assert tuple(by_hand) == net.exact(point)


def test_exact_radial_file_is_the_target_from_the_file_alone(tmp_path):
    # (1 - r²)² about c = (1/2, -1): the independent reader gives G(‖x − c‖) exactly.
    net = radial("(1 - r**2)**2", 2, ["1/2", -1])
    save(net, tmp_path / "exact.json")
    data = json.loads((tmp_path / "exact.json").read_text())
    assert data["meta"]["certified_error"] == "0"
    for x1, x2 in [(0, 0), (Fraction(1, 3), Fraction(-5, 4)), (Fraction(3, 2), -1)]:
        r2 = (x1 - Fraction(1, 2)) ** 2 + (x2 + 1) ** 2
        assert evaluate_by_hand(data, {"x1": Fraction(x1), "x2": Fraction(x2)}) == \
            [(1 - r2) ** 2]


def _cli(argv):
    parser = ArgumentParser(prog="quadtheory")
    add_parser(parser.add_subparsers(dest="command", parser_class=ArgumentParser))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_prints_the_report_and_writes_the_file(tmp_path, capsys):
    path = tmp_path / "net.json"
    assert _cli(["radial", "exp(-r^2)", "--dim", "3", "--eps", "1e-3", "--center=-1,0,1/2",
                 "--radius", "1/2", "--json", str(path)]) == 0
    out = capsys.readouterr().out
    assert "target: G(r) = exp(-r^2), f(x) = G(‖x − c‖)\n" in out
    assert "region: the ball ‖x − (-1, 0, 1/2)‖ ≤ 1/2 (domain: its bounding box" in out
    assert "certified error: <= " in out and "(eps 0.001)" in out
    assert "params: dense " in out and "candidates (chosen by fewest nonzero params" in out
    assert "certificate: holds (symbolic proof" in out and f"wrote {path}" in out
    assert load(path).meta["target"] == "exp(-r^2)"


def test_cli_exact_and_no_verify(capsys):
    assert _cli(["radial", "1 - r^2", "--dim", "2", "--no-verify", "--method", "exact"]) == 0
    out = capsys.readouterr().out
    assert "family: quadratic (exact polynomial in r^2)" in out
    assert "certificate: none (--no-verify)" in out


def test_cli_errors_are_one_line(capsys):
    import quadtheory._src.cli.main as cli

    if "radial" not in cli.COMMANDS:
        pytest.skip("radial is not registered in quadtheory._src.cli.main.COMMANDS yet")
    assert cli.main(["radial", "log(r)", "--dim", "2", "--eps", "1/10"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("quadtheory: error: G = log(r) is undefined")


# -- errors -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "message"), [
    ({"dim": 0}, r"dim: expected an integer >= 1, found 0"),
    ({"dim": True}, r"dim: expected an integer >= 1, found True"),
    ({"dim": "3"}, r"dim: expected an integer >= 1, found '3'"),
    ({"radius": 0}, r"radius: expected a positive number, found 0"),
    ({"radius": "-1/2"}, r"radius: expected a positive number, found -1/2"),
    ({"center": [0, 0]}, r"center: expected 3 coordinates \(dim = 3\), found 2"),
    ({"center": "0,0"}, r"center: expected 3 coordinates \(dim = 3\), found 2"),
    ({"center": 7}, r"center: expected 3 numbers, found 7"),
    ({"center": [0, "x", 0]}, r"center\[1\]: expected an exact rational"),
    ({"eps": 0}, r"eps: expected a positive number, found 0"),
    ({"eps": "-1e-3"}, r"eps: expected a positive number, found -1/1000"),
    ({"g": "exp(-r**2)"}, r"G = exp\(-r\*\*2\) is not a polynomial in r\*\*2, so the network "
                          r"approximates it: expected an error bound eps > 0"),
    ({"g": "log(r)", "eps": "1/10"},
     r"G = log\(r\) is undefined or not finite at r = 0; expected a function defined and "
     r"finite on 0 <= r <= 1"),
    ({"g": "1/(r - 1/2)", "eps": "1/10", "method": "piecewise linear"},
     r"cannot bound 1/\(sqrt\(t\) - 1/2\) near t = 1/4"),
    ({"g": "r + y"}, r"unknown variable 'y' at column 5; expected one of r"),
    ({"g": sympy.Symbol("r") * sympy.Symbol("y")}, r"g: expected an expression in r only, "
                                                   r"found y"),
    ({"g": 3}, r"g: expected an expression in r \(a string or sympy\), found 3"),
    ({"activation": "tanh"}, r"activation: expected one of relu, identity, found 'tanh'"),
    ({"method": "magic"}, r"method: expected one of auto, exact polynomial in r\^2, "),
    ({"g": "cos(r)", "method": "exact polynomial in r^2"},
     r"G = cos\(r\) is not a polynomial in r\*\*2 with rational coefficients"),
    ({"g": "r", "eps": "1/10", "activation": "identity"},
     r"no certified approximation of φ\(t\) = sqrt\(t\) on \[0, 1\]: piecewise linear: a "
     r"piecewise-linear network needs relu activations; polynomial approximant: d/dt sqrt"),
])
def test_errors(kwargs, message):
    arguments = {"g": "1 + r**2", "dim": 3, **kwargs}
    with pytest.raises(QuadTheoryError, match=message):
        radial(**arguments)


def test_cli_parse_errors():
    with pytest.raises(QuadTheoryError, match=r"center '1,,2': expected numbers separated"):
        _cli(["radial", "r**2", "--dim", "3", "--center", "1,,2"])
    with pytest.raises(SystemExit):
        _cli(["radial", "r**2", "--dim", "three"])


def test_float_eps_is_read_as_its_decimal():
    assert radial("exp(-r**2)", 1, eps=1e-3, verify=False).meta["eps"] == "1/1000"
