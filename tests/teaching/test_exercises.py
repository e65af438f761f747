"""The exercises: every checker passes a right answer and fails wrong, malformed and missing
ones without raising, with messages that say why; the checkers compute what they compare
with by the toolkit (a monkeypatched toolkit function changes the verdict); the registry
finds one module per notebook and refuses a badly numbered one.

Right answers that need training or a long construction are checked by the solutions
notebooks (tests/test_notebooks.py, slow); the cheap ones pass here too.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import quadtheory as qt
from quadtheory._src.teaching import exercises_02, exercises_03
from quadtheory._src.teaching.exercises import collect

KEYS = [e.key for e in qt.exercises.list()]
SQUARE = qt.Network(("x",), (qt.quadratic_layer([[1]], w_g=[[1]]),))
PAIR = qt.Network(("x", "y"), (qt.quadratic_layer([[1, -1], [-1, 1]], b_r=[1, -1],
                                                  w_g=[[2, 1], [2, 1]]),))
DISTANCE = qt.Network(("x1", "x2"), (qt.quadratic_layer([[-2, 4]], b_r=[5], w_g=[[0, 0]],
                                                        b_g=[1], w_b=[[1, 1]]),))


def test_every_lesson_notebook_has_two_to_four_exercises() -> None:
    by_notebook: dict[str, int] = {}
    for exercise in qt.exercises.list():
        by_notebook[exercise.notebook] = by_notebook.get(exercise.notebook, 0) + 1
    assert {"01", "02", "03", "04"} <= set(by_notebook)
    assert all(2 <= n <= 4 for n in by_notebook.values()), by_notebook
    assert sorted(KEYS, key=lambda k: (k[:2], int(k[3:]))) == KEYS
    assert [e.key for e in qt.exercises.list(3)] == [e.key for e in qt.exercises.list("03")]


@pytest.mark.parametrize("key", KEYS)
def test_no_answer_is_not_answered_yet(key: str) -> None:
    result = qt.exercises.check(key, None)
    assert not result and not result.passed
    assert str(result) == f"fail: not answered yet. Hint: {qt.exercises.exercise(key).hint}"


ODD = ["many", 4.5, [], {"x": 1}, object(), qt.Network(("z",), (qt.quadratic_layer([[1]]),))]


@pytest.mark.parametrize("key", KEYS)
def test_malformed_answers_fail_without_raising(key: str) -> None:
    for answer in ODD:
        result = qt.exercises.check(key, answer)
        assert not result.passed, (key, answer)
        assert re.match(r"fail: ([\w ]+: )?expected ", str(result)), str(result)


@pytest.mark.parametrize("key", KEYS)
def test_an_integer_too_long_to_print_fails_without_raising(key: str) -> None:
    # Python refuses to print an integer of more than 4,300 digits (ValueError): the verdict
    # that quotes the answer must not.
    result = qt.exercises.check(key, 10**5000)
    assert not result.passed and "\n" not in result.message, (key, str(result))


RIGHT = {
    "01.1": 45,
    "01.2": qt.readout(PAIR, [[1, -1]]),
    "01.3": DISTANCE,
    "02.1": qt.sequential(SQUARE, SQUARE),
    "02.2": 4,
    "03.1": 64,
    "03.2": 36,
    "03.4": True,
}


@pytest.mark.parametrize("key", RIGHT)
def test_right_answers_pass(key: str) -> None:
    result = qt.exercises.check(key, RIGHT[key])
    assert result.passed, str(result)
    assert str(result).startswith("pass: ")


WRONG = [
    ("01.1", 44, "44 is not what quadratic_layer"),
    ("01.1", True, r"expected a whole number \(a number of parameters\), found True"),
    ("01.2", qt.readout(PAIR, [[1, 1]]), r"verify does not prove network == \(x - y \+ 1\)"),
    ("01.2", qt.readout(qt.parallel(PAIR, PAIR), [[1, -1, 0, 0]]), "4 relu neurons; expected 2"),
    ("01.2", qt.Network(("x", "y"), (qt.quadratic_layer([[1, -1]], b_r=[1], w_g=[[2, 1]],
                                                        activation="identity"),)),
     "expected relu hidden neurons and a linear read-out; found activations identity"),
    ("01.2", qt.Network(("x", "y"), PAIR.layers, domain=[[0, 1], [-1, 1]]),
     r"domain x in \[0, 1\], y in \[-1, 1\] does not contain x in \[-1, 1\]"),
    ("01.3", qt.parallel(DISTANCE, DISTANCE), "2 neurons; expected one"),
    ("02.1", SQUARE, "verify does not prove network == x\\*\\*4"),
    ("02.1", qt.sequential(SQUARE, SQUARE, SQUARE), "3 neurons; expected at most 2"),
    ("02.2", 5, r'5 is not what qt.construct\("x\*\*9"\).depth computes'),
    ("03.1", 32, "32 is not what qt.linear_pieces"),
    ("03.3", qt.yarotsky_square(3), r"the exact sup error on \[0, 1\] is 0.00391 > 1/1000"),
    ("03.3", qt.yarotsky_square(5), "53 dense params; f_4, the smallest"),
    ("03.3", SQUARE, "expected a conventional \\(ReLU\\) network, found quadratic layers"),
    ("03.4", False, "False is not what comparing 300"),
    ("04.2", qt.yarotsky_square(2, radius=1), r"expected a trained network .*trained=True"),
    ("04.3", "1/100", "1/100 may be claimed, but so may a smaller error"),
    ("04.3", "1/200", "claiming 1/200 is a violation: 8 linear pieces along the segment"),
    ("04.3", 0.0078125, "expected an exact rational"),
    ("04.3", "-1", "-1: an error is > 0"),
]


@pytest.mark.parametrize(("key", "answer", "why"), WRONG,
                         ids=[f"{key}-{k}" for k, (key, _, _) in enumerate(WRONG)])
def test_wrong_answers_fail_and_say_why(key: str, answer: object, why: str) -> None:
    result = qt.exercises.check(key, answer)
    assert not result.passed
    assert result.hint == qt.exercises.exercise(key).hint
    assert str(result).startswith("fail: ") and str(result).endswith(f". Hint: {result.hint}")
    assert re.search(why, result.message), result.message


def test_an_unknown_exercise_is_an_error() -> None:
    with pytest.raises(qt.QuadTheoryError, match=r"unknown exercise '3\.2'; expected one of "
                                                 r"01\.1, 01\.2, "):
        qt.exercises.check("3.2", 1)


def test_checkers_ask_the_toolkit_not_a_stored_number(monkeypatch: pytest.MonkeyPatch) -> None:
    """A checker follows the toolkit function it names: change it and the verdict changes."""
    real = qt.bounds("x**2", "1e-4", domain=(0, 1))
    assert qt.exercises.check("03.2", real.pieces_needed).passed
    fake = type(real)(**{**real.__dict__, "pieces_needed": real.pieces_needed + 1})
    monkeypatch.setattr(exercises_03, "bounds", lambda *args, **kwargs: fake)
    assert not qt.exercises.check("03.2", real.pieces_needed).passed
    assert qt.exercises.check("03.2", real.pieces_needed + 1).passed
    built = qt.construct("x**9", verify=False)
    monkeypatch.setattr(exercises_02, "construct", lambda *a, **k: qt.sequential(built, SQUARE))
    assert qt.exercises.check("02.2", built.depth + 1).passed


def test_results_print_their_verdict() -> None:
    result = qt.exercises.check("01.1", 45)
    assert bool(result) and str(result).startswith("pass: 45")
    shown: list[str] = []

    class Printer:
        def text(self, value: str) -> None:
            shown.append(value)

    result._repr_pretty_(Printer(), False)
    assert shown == [str(result)]
    with pytest.raises(AttributeError):
        result.passed = False  # type: ignore[misc]  # frozen


def _course_package(tmp_path: Path, name: str, modules: dict[str, str]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    for module, source in modules.items():
        (folder / f"{module}.py").write_text(textwrap.dedent(source))
    return folder


GOOD = """
    from quadtheory._src.teaching.exercise import Exercise, matches
    EXERCISES = (Exercise("09.1", "two", "1 + 1", lambda a: matches(a, 2, "1 + 1")),
                 Exercise("09.2", "three", "1 + 2", lambda a: matches(a, 3, "1 + 2")))
"""


def test_a_notebook_adds_exercises_with_one_module(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _course_package(tmp_path, "course_a", {"exercises_09": GOOD, "helpers": "X = 1"})
    monkeypatch.syspath_prepend(str(tmp_path))
    found = collect(folder, "course_a")
    assert list(found) == ["09.1", "09.2"]
    assert found["09.2"].checker(3).passed and not found["09.2"].checker(4).passed
    sys.modules.pop("course_a", None)


def test_a_badly_numbered_module_is_refused(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _course_package(tmp_path, "course_b", {"exercises_08": GOOD})
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(qt.InternalError, match=r"exercises_08: EXERCISES has keys \['09.1', "
                                              r"'09.2'\]; expected 08.1, 08.2, ... in order"):
        collect(folder, "course_b")
    sys.modules.pop("course_b", None)


def test_the_exercises_come_with_quadtheory_and_stay_light() -> None:
    """``import quadtheory`` brings ``quadtheory.exercises``; listing and checking them (but
    04.1, which asks torch) imports neither torch nor the site builder."""
    code = ("import sys, quadtheory as qt; qt.exercises.list(); qt.exercises.check('03.2', 1); "
            "print(sorted(m for m in ('torch', 'sphinx', 'quadtheory.docs') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
