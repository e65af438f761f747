"""Invariants checked when data is built: layers, matrices, constructions, certificates; and
internal errors kept apart from user errors."""

from __future__ import annotations

from fractions import Fraction

import pytest

import quadtheory as qt
from quadtheory import Certificate, ConventionalLayer, InternalError, Matrix, QuadTheoryError
from quadtheory._src.cli import main as cli

ONE = Matrix.from_dense([[1]])


@pytest.mark.parametrize(("build", "message"), [
    (lambda: ConventionalLayer(ONE, (0.1,)), r"b\[0\]: expected an exact rational"),
    (lambda: ConventionalLayer([[1]], (Fraction(0),)), r"w: expected a Matrix, found list"),
    (lambda: ConventionalLayer(ONE, "0"), r"b: expected a sequence of exact rationals"),
    (lambda: ConventionalLayer(ONE, (Fraction(0),), "tanh"), r"activation: expected one of"),
    (lambda: ConventionalLayer(ONE, (Fraction(0),), None), r"activation: expected one of"),
    (lambda: qt.QuadraticLayer(ONE, (0,), ONE, (1,), ONE, (0.5,)), r"c\[0\]: expected an exact"),
    (lambda: Matrix((1, 1), (((0, 0.5),),)), r"row 0: expected \(column, Fraction\) pairs"),
    (lambda: Matrix((1, 1), [[]]), r"rows: expected a tuple of rows"),
    (lambda: Matrix((1, -1), ((),)), r"shape: expected \(rows, columns\)"),
    (lambda: Matrix("ab", ((),)), r"shape: expected \(rows, columns\)"),
])
def test_hand_built_data_is_checked_at_construction(build, message):
    with pytest.raises(QuadTheoryError, match=message):
        build()


def test_integer_biases_become_fractions():
    layer = ConventionalLayer(ONE, (2,), "identity")
    assert layer.b == (Fraction(2),) and isinstance(layer.b[0], Fraction)
    net = qt.Network(("x",), (layer,))
    assert net.exact([Fraction(1, 3)]) == (Fraction(7, 3),)


def test_cited_is_the_weakest_level():
    proved = Certificate("A", "symbolic proof", True, ("a",), 0.0)
    cited = Certificate("B", "cited", True, ("Eldan & Shamir 2016, Thm 1",), 0.0)
    sampled = Certificate("C", "sampled", True, ("c",), 0.0)
    assert Certificate.combine("A, B", [proved, cited]).level == "cited"
    assert Certificate.combine("A, C", [proved, sampled]).level == "sampled"
    with pytest.raises(QuadTheoryError, match="level: expected one of"):
        Certificate("D", "proved", True, (), 0.0)


def test_construction_fields_are_checked():
    net = qt.construct("x*y").network
    with pytest.raises(QuadTheoryError, match="family: expected one of quadratic, relu"):
        qt.Construction(net, "x*y", "cubic", None, Fraction(0))
    with pytest.raises(QuadTheoryError, match="certified_error: expected a rational >= 0"):
        qt.Construction(net, "x*y", "quadratic", None, 0.5)
    with pytest.raises(InternalError, match="certified error 1/2 exceeds eps 1/4"):
        qt.Construction(net, "x*y", "relu", None, Fraction(1, 2), eps=Fraction(1, 4))


def test_errors_read_as_quadtheory_names():
    assert QuadTheoryError.__module__ == InternalError.__module__ == "quadtheory"
    assert not issubclass(InternalError, QuadTheoryError)


def test_an_internal_error_exits_1_and_asks_for_a_report(monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise InternalError("rounding exceeded its share of eps")

    monkeypatch.setattr("quadtheory._src.cli.construct.construct", broken)
    assert cli.main(["construct", "x*y"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("quadtheory: error: internal error: rounding exceeded its share of "
                          "eps (a bug in quadtheory: please report it")
