"""verify_approximation: the proved bound recorded, the observation sampled, a violation raised."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quadtheory import (
    Certificate,
    InternalError,
    Network,
    QuadTheoryError,
    conventional_layer,
    quadratic_layer,
)
from quadtheory._src.core.domain import ball_region
from quadtheory._src.exact.approximation import _ball_points, verify_approximation
from quadtheory._src.exact.certificate import proved_bound
from tests.strategies import examples

LINE = Network(("x",), (conventional_layer([[1]], activation="identity"),))
SQUARE_NORM = Network(("x", "y"), (quadratic_layer([[0, 0]], w_b=[[1, 1]]),),
                      domain=[[-1, 1], [-1, 1]])


def test_proved_bound_and_sampled_observation_are_labelled():
    proof = proved_bound("|sin x − x| ≤ 1/6", ["|sin x − x| ≤ |x|³/6 (Lagrange remainder)"])
    cert = verify_approximation(LINE, "sin(x)", "1/6", {"box": [[-1, 1]]}, proof=proof)
    assert cert.holds and cert.level == "symbolic proof"
    assert cert.checks[0] == "|sin x − x| ≤ |x|³/6 (Lagrange remainder)"
    assert "(sampled, not a proof)" in cert.checks[-1]
    assert cert.details["bound_level"] == "symbolic proof"
    assert cert.details["worst_point"] in (["1"], ["-1"])  # the corners: 1 − sin 1 ≈ 0.1585
    assert cert.details["observed_max_error"].startswith("0.15852")
    assert cert.statement == "|network − (sin(x))| ≤ 1/6 on [-1, 1]"


def test_without_a_proof_the_level_is_sampled():
    cert = verify_approximation(LINE, "sin(x)", "1/5", [[-1, 1]])
    assert cert.level == "sampled" and cert.details["bound_level"] == "stated"
    assert cert.checks[0] == "bound 1/5 stated, not proved here"


@pytest.mark.parametrize("proof", ["anything", ["symbolic proof", "trust me"]])
def test_the_caller_cannot_declare_a_proof(proof):
    cert = verify_approximation(LINE, "sin(x)", "1/5", [[-1, 1]], proof=proof)
    assert cert.level == "sampled" and cert.details["bound_level"] == "stated"
    assert cert.checks[0].startswith("bound 1/5 stated, not proved here (")


def test_a_failing_proof_certificate_is_refused():
    failing = Certificate("|e| ≤ 1/5", "symbolic proof", False, ("no",), 0.0)
    with pytest.raises(QuadTheoryError, match="proof: the certificate of the bound does not"):
        verify_approximation(LINE, "sin(x)", "1/5", [[-1, 1]], proof=failing)


def test_exact_networks_observe_zero():
    cert = verify_approximation(SQUARE_NORM, "x**2 + y**2", 0, proof="exact identity")
    assert cert.holds and cert.details["observed_max_error"] == "0"
    # on a ball: the network is the squared distance to the origin
    cert = verify_approximation(SQUARE_NORM, "x**2 + y**2", 0, ball_region([0, 0], "1/2"),
                                proof="exact identity")
    assert "‖x − (0, 0)‖ ≤ 1/2" in cert.statement


def test_an_observation_above_the_bound_is_raised():
    with pytest.raises(QuadTheoryError, match=r"observed error 0\.15852.* exceeds the stated "
                                              r"bound 1/10: the bound is wrong"):
        verify_approximation(LINE, "sin(x)", "1/10", [[-1, 1]], proof="a wrong proof")
    # a tiny violation is caught too: exact arithmetic, not float noise
    with pytest.raises(QuadTheoryError, match="exceeds the stated bound"):
        verify_approximation(SQUARE_NORM, "x**2 + y**2 + 1/10**30", 0, proof="wrong")
    # a proof of ours that the sample contradicts is a bug, not a user error
    with pytest.raises(InternalError, match="exceeds the proved bound 1/10: the proof"):
        verify_approximation(LINE, "sin(x)", "1/10", [[-1, 1]],
                             proof=proved_bound("|sin x - x| <= 1/10", ["wrong"]))


@settings(max_examples=examples(25))
@given(st.integers(1, 6), st.fractions(-3, 3, max_denominator=8),
       st.fractions(Fraction(1, 8), 4, max_denominator=8), st.integers(0, 2**16))
def test_ball_samples_are_rational_points_of_the_ball(dim, shift, radius, seed):
    center = tuple(shift * (k + 1) for k in range(dim))
    grid = _ball_points(center, radius, 50, np.random.default_rng(seed))
    points = [grid.point(k) for k in range(50)]
    assert np.allclose(grid.floats(), [[float(v) for v in p] for p in points])
    assert len(points) == 50
    for p in points:
        assert all(isinstance(v, Fraction) for v in p)
        assert sum((v - c) ** 2 for v, c in zip(p, center, strict=True)) <= radius**2
    # half on rays with evenly spaced radii: the distances cover [0, R] evenly
    radii = sorted(float(sum((v - c) ** 2 for v, c in zip(p, center, strict=True))) ** 0.5
                   for p in points[:25])
    assert radii[0] < 0.05 * float(radius) and radii[-1] > 0.95 * float(radius)


def test_many_outputs_and_bad_arguments():
    pair = Network(("x",), (conventional_layer([[1], [2]], activation="identity"),))
    cases = [
        (lambda: verify_approximation(pair, "x", 0, [[0, 1]]),
         r"network: expected one output, found 2"),
        (lambda: verify_approximation(LINE, "x", -1, [[0, 1]]),
         r"bound: expected a number >= 0, found -1"),
        (lambda: verify_approximation(LINE, "x", 0), r"region: the network has no domain"),
        (lambda: verify_approximation(LINE, "x + y", 0, [[0, 1]]), r"unknown variable 'y'"),
        (lambda: verify_approximation(LINE, "log(x)", 1, [[-1, 1]]),
         r"target log\(x\) is undefined or not finite at x = \(0\); expected a function defined"),
        (lambda: verify_approximation(LINE, "x", 0, {"ball": {"center": [0, 0], "radius": 1}}),
         r"region.ball.center: expected 1 numbers \(one per input\)"),
        (lambda: verify_approximation(LINE, "x", 0, {"ball": {"center": [0], "radius": 0}}),
         r"region.ball.radius: expected a positive number, found 0"),
        (lambda: verify_approximation(LINE, "x", 0, {"sphere": 1}),
         r"region: expected \{'ball': \{...\}\} or \{'box': \[...\]\}, found keys \['sphere'\]"),
        (lambda: verify_approximation(LINE, "x", 0, [[1, 0]]),
         r"region\[0\]: expected lo < hi, found \[1, 0\]"),
        (lambda: verify_approximation(LINE, "x", 0, [[0, 1]], samples=-1),
         r"samples: expected an integer >= 0, found -1"),
        (lambda: verify_approximation(LINE, 3, 0, [[0, 1]]),
         r"target: expected an expression \(a string or sympy\), found 3"),
    ]
    for call, message in cases:
        with pytest.raises(QuadTheoryError, match=message):
            call()
