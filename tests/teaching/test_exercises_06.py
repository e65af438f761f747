"""The exercises of notebook 06: right answers pass, wrong ones fail and say why, and the
checkers follow the toolkit functions they name."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

import quadtheory as qt
from quadtheory._src.teaching import exercises_06


@pytest.mark.parametrize(("key", "answer"), [
    ("06.1", 132), ("06.2", ((Fraction(1, 3), Fraction(1, 3)), 1)), ("06.2", (("1/2", 0), 2)),
    ("06.3", 3)])
def test_right_answers_pass(key, answer):
    result = qt.exercises.check(key, answer)
    assert result.passed, str(result)


@pytest.mark.parametrize(("key", "answer", "why"), [
    ("06.1", 128, r'128 is not what qt.separate\(qt.cluster_points\("blobs", 4, 10'),
    ("06.2", ((0, 0), 1), r"\(1, 0\) is not strictly inside"),
    ("06.2", ((0, 0), 5), r"\(3, 3\) is not strictly outside"),
    ("06.2", ((0, 0), 0), "radius 0: a radius is > 0"),
    ("06.2", ((0.5, 0), 2), "expected an exact rational"),
    ("06.2", ((0, 0, 0), 2), "expected a centre of two coordinates"),
    ("06.3", 1, r'1 is not what qt.radial\("exp\(-r\*\*2\)", D, ...\)'),
])
def test_wrong_answers_fail_and_say_why(key, answer, why):
    result = qt.exercises.check(key, answer)
    assert not result.passed and re.search(why, result.message), result.message


def test_the_checker_asks_separate(monkeypatch):
    real = exercises_06.separate

    def wider(data):
        sep = real(data)
        return type(sep)(sep.data, sep.clusters, qt.parallel(sep.network, sep.network),
                         sep.certificate)

    monkeypatch.setattr(exercises_06, "separate", wider)
    assert qt.exercises.check("06.1", 264).passed and not qt.exercises.check("06.1", 132).passed
