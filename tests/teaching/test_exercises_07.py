"""The exercises of notebook 07: right answers pass, wrong ones fail and say why, and the
checkers follow the pilot's sizing and the bearing report's rule (no training runs)."""

from __future__ import annotations

import re

import pytest

import quadtheory as qt
from quadtheory._src.teaching import exercises_07


@pytest.mark.parametrize(("key", "answer"), [
    ("07.1", 93), ("07.2", 66), ("07.3", "even"), ("07.3", " Even")])
def test_right_answers_pass(key: str, answer: object) -> None:
    result = qt.exercises.check(key, answer)
    assert result.passed, str(result)


@pytest.mark.parametrize(("key", "answer", "why"), [
    ("07.1", 108, r'108 is not what mlp_params\("quadratic", widths_for\("quadratic", 3, 1, '
                  r'100\)\) computes'),
    ("07.1", 31, "31 is not what mlp_params"),     # the conventional MLP's count, 3-6-1
    ("07.2", 65, r"65 is not what linear_params\(10, 1\) computes"),   # the bias forgotten
    ("07.2", 121, "121 is not what linear_params"),    # every ordered pair x_i·x_j
    ("07.3", "better", "better is not what the bearing report's rule"),
    ("07.3", "tie", "expected one of 'better', 'even', 'worse', found 'tie'"),
    ("07.3", True, "expected one of 'better', 'even', 'worse', found True"),
])
def test_wrong_answers_fail_and_say_why(key: str, answer: object, why: str) -> None:
    result = qt.exercises.check(key, answer)
    assert not result.passed and re.search(why, result.message), result.message
    assert str(result).endswith(f". Hint: {qt.exercises.exercise(key).hint}")


def test_the_pilot_trains_the_width_07_1_asks_about() -> None:
    """The checker's count is the one the pilot trains (its doctest's rows use the same
    sizing); hand-computed from the hint, 3·(5w + 1) at the nearest width."""
    counts = {w: 3 * (5 * w + 1) for w in range(1, 20)}
    nearest = min(counts, key=lambda w: (abs(counts[w] - 100), w))
    assert qt.exercises.check("07.1", counts[nearest]).passed


def test_the_checkers_ask_the_toolkit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exercises_07, "widths_for", lambda *args, **kwargs: [3, 7, 1])
    assert qt.exercises.check("07.1", 108).passed and not qt.exercises.check("07.1", 93).passed
    monkeypatch.setattr(exercises_07, "linear_params", lambda inputs, outputs: 65)
    assert qt.exercises.check("07.2", 65).passed
    monkeypatch.setattr(exercises_07, "compare", lambda q, c: {"outcome": "better"})
    assert qt.exercises.check("07.3", "better").passed
