"""The resource model (issue 14, part 1): inputs whose cost is unbounded are refused before any
work, by a one-line error naming the limit and, where there is one, the option that lifts it."""

from __future__ import annotations

import contextlib
import io
import re
from fractions import Fraction

import pytest

import quadtheory as qt
from quadtheory import QuadTheoryError
from quadtheory.__main__ import main
from quadtheory._src.core import limits


def run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, err.getvalue()


@pytest.mark.parametrize("argv, message", [
    (["bounds", "x**2", "--eps", "1e-20"],
     r"--eps 1e-20 is under the limit 1e-15 \(.*--allow-tiny-eps lifts it\)"),
    (["compare", "x**2", "--eps", "1e-2", "1e-400"], r"--eps below 1e-300 is under the limit"),
    (["compare", "x**2", "--eps", "1e400"], r"--eps 1.00e\+400 is over the limit"),
    (["radial", "exp(-r**2)", "--dim", "1000000000", "--eps", "1e-2"],
     r"--dim 1000000000 is over the limit 1000"),
    (["bounds", "x**2", "--eps", "1e-2", "--depth", "100000"], r"--depth 100000 is over the limit"),
    (["crosscheck", "x**2", "--quick", "--depths", "1000"], r"--depth 1000 is over the limit 64"),
    (["crosscheck", "x**2", "--quick", "--widths", "999999999"], r"--widths 999999999 is over"),
    (["crosscheck", "x**2", "--quick", "--seeds", "1000000000"],
     r"--seeds \(a number of seeds\) 1000000000 is over the limit 1000"),
    (["crosscheck", "x**2", "--quick", "--jobs", "1000"], r"--jobs \(at most twice the cores\)"),
    (["crosscheck", "x**2", "--out", ""], r"--out '': expected a folder name"),
    (["eval", "net.json", "--at", "x=" + "9" * 4000], r"a number of 4000 digits"),
    (["construct", "x**2", "--family", "relu", "--eps", "abc"], r"eps: expected an exact"),
    (["bounds", "x**10000", "--eps", "1/4"], r"the degree of the target 10000 is over the limit"),
    (["bounds", "+".join(f"v{k}" for k in range(999)), "--eps", "1/4"],
     r"bounds: the number of variables 999 is over the limit 16"),
    (["bounds", "1e400*x**2", "--eps", "1/4"],
     r"the pieces needed 1.41e\+200 is over the limit 100000 \(.*--max-pieces"),
    (["construct", "(1+x)**10000"], r"construct: the degree of the target 10000 is over"),
    (["construct", "x**100", "--family", "relu", "--eps", "1/4"],
     r"relu construction: the degree of the target 100 is over the limit 12"),
])
def test_the_command_line_refuses_what_would_not_finish(argv, message):
    code, err = run(argv)
    assert code == 2 and err.count("\n") == 1, err
    assert re.search(message, err), err


def test_allow_tiny_eps_lifts_the_eps_floor_and_the_pieces_cap_still_holds():
    code, err = run(["bounds", "x**2", "--eps", "1e-20", "--allow-tiny-eps"])
    assert code == 2 and "pieces needed 7071067812 is over" in err


def test_max_pieces_lifts_the_pieces_cap():
    assert run(["bounds", "x**2", "--eps", "1e-9", "--max-pieces", "10"])[0] == 2
    assert run(["bounds", "x**2", "--eps", "1e-9", "--depth", "3"])[0] == 0


@pytest.mark.parametrize("call, message", [
    (lambda: qt.sawtooth(10**6), r"s \(sawtooth compositions.*\) 1000000 is over the limit 1000"),
    (lambda: qt.construct("x", variables=[f"v{k}" for k in range(100_000)]),
     r"variables: the number of names 100000 is over the limit 1000"),
    (lambda: qt.bounds("x**2", "1/100", depth=101), r"depth 101 is over the limit 100"),
    (lambda: qt.min_dense_params(8, 1, 10**6), r"depth 1000000 is over the limit 100"),
    (lambda: qt.min_dense_params(float("nan"), 1, 1), r"k: expected an integer >= 1"),
])
def test_the_library_refuses_what_would_not_finish(call, message):
    with pytest.raises(QuadTheoryError, match=message):
        call()


def test_exact_evaluation_has_a_digit_budget():
    square = qt.quadratic_layer([[1]], w_g=[[1]], activation="identity")
    chain = qt.Network(("x",), (square,) * 40)
    with pytest.raises(QuadTheoryError, match=r"after layer 19 the values have about \d+ digits"):
        chain.exact([2])
    assert qt.Network(("x",), (square,) * 17).exact([2]) == (Fraction(2 ** 2**17),)


def test_limits_are_named_constants_with_one_check():
    with pytest.raises(QuadTheoryError, match=r"^widgets 5 is over the limit 4$"):
        limits.check(5, 4, "widgets")
    limits.check(limits.MIN_EPS, limits.MIN_EPS, "--eps", at_least=True)
    assert limits.max_jobs() >= 2
