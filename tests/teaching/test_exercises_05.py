"""The exercises of notebook 05: right answers pass, wrong ones fail and say why, and the
checkers follow the toolkit functions they name (taylor_counts, manifold_construct)."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

import quadtheory as qt
from quadtheory._src.teaching import exercises_05


def test_the_design_of_05_1_and_05_2_is_the_one_the_hints_describe() -> None:
    """The hints' recipe (smallest N with (4/3)(2/(3N))³ <= (63/64)·1e-3) is the toolkit's."""
    n = next(n for n in range(1, 100)
             if Fraction(4, 3) * Fraction(2, 3 * n) ** 3 <= Fraction(63, 64000))
    design = qt.taylor_counts(2, 3, "1e-3")
    assert (design.n_grid, design.cells, design.design.taylor) == (
        n, (n + 1) ** 2, Fraction(4, 3) * Fraction(2, 3 * n) ** 3)


@pytest.mark.parametrize(("key", "answer"), [
    ("05.1", 81), ("05.1", Fraction(81)), ("05.2", "1/1296"), ("05.2", Fraction(1, 1296)),
    ("05.3", 12)])
def test_right_answers_pass(key: str, answer: object) -> None:
    result = qt.exercises.check(key, answer)
    assert result.passed, str(result)


@pytest.mark.parametrize(("key", "answer", "why"), [
    ("05.1", 8, r"8 is the grid N; the cells are the grid points, \(N \+ 1\)\^d"),
    ("05.1", 64, r'64 is not what qt.taylor_counts\(2, 3, "1e-3"\).cells computes'),
    ("05.1", 81.0, r"expected a whole number \(a number of cells\)"),
    ("05.2", "1/1000", r'1/1000 is not what qt.taylor_counts\(2, 3, "1e-3"\).design.taylor'),
    ("05.2", "-1/1296", "-1/1296: an error bound is > 0"),
    ("05.2", 1 / 1296, "expected an exact rational"),
    ("05.3", 3, r'3 is not what qt.manifold_construct\("x1 \+ x2", "circle", D, ...\)'),
])
def test_wrong_answers_fail_and_say_why(key: str, answer: object, why: str) -> None:
    result = qt.exercises.check(key, answer)
    assert not result.passed and re.search(why, result.message), result.message
    assert str(result).endswith(f". Hint: {qt.exercises.exercise(key).hint}")


def test_the_checkers_ask_the_toolkit(monkeypatch: pytest.MonkeyPatch) -> None:
    real = qt.taylor_counts(2, 3, "1e-3")
    finer = qt.taylor_counts(2, 3, "1e-4")
    monkeypatch.setattr(exercises_05, "taylor_counts", lambda *args, **kwargs: finer)
    assert not qt.exercises.check("05.1", real.cells).passed
    assert qt.exercises.check("05.1", finer.cells).passed
    assert qt.exercises.check("05.2", finer.design.taylor).passed
    sphere = qt.manifold_construct("x1 + x2", "sphere", 3, "1e-1", smoothness=2, verify=False)
    monkeypatch.setattr(exercises_05, "manifold_construct", lambda *args, **kwargs: sphere)
    assert qt.exercises.check("05.3", 0).passed   # one network for every D: no growth
