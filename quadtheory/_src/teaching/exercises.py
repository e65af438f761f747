"""The course's exercises: one registry, filled from one module per notebook.

Notebook NN's exercises live in ``quadtheory/_src/teaching/exercises_NN.py``, which defines
``EXERCISES``, a tuple of :class:`~quadtheory._src.teaching.exercise.Exercise` with keys
``"NN.1"``, ``"NN.2"``, ...; adding a notebook's exercises means adding that one module
(nothing is registered by hand: the modules are found by their names). :func:`check` runs an
exercise's checker on a student's answer and never raises for a wrong or missing answer, so
a notebook with unanswered exercises still runs top to bottom.

The checkers use the toolkit itself (``verify``, ``sup_error``, ``bounds``, counts) for what
they compare with: the course teaches Fan et al., arXiv:2303.06316, and Yarotsky,
arXiv:1610.01145, and each check is as certified as the toolkit function it calls.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from ..errors import InternalError, QuadTheoryError
from .exercise import NOT_ANSWERED, Exercise, Result

MODULE = re.compile(r"exercises_(\d\d)")


@functools.cache
def registry() -> Mapping[str, Exercise]:
    """Every exercise by key, in course order (notebook, then number).

    >>> registry()["01.1"].notebook
    '01'
    """
    return collect(Path(__file__).parent, __package__)


def collect(folder: Path, package: str) -> Mapping[str, Exercise]:
    """The exercises of the modules ``exercises_NN`` of ``package`` (found in ``folder``):
    each module's ``EXERCISES`` must be NN.1, NN.2, ... in order."""
    found: dict[str, Exercise] = {}
    for info in pkgutil.iter_modules([str(folder)]):
        match = MODULE.fullmatch(info.name)
        if match is None:
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        keys = [exercise.key for exercise in getattr(module, "EXERCISES", ())]
        expected = [f"{match.group(1)}.{k}" for k in range(1, len(keys) + 1)]
        if not keys or keys != expected:
            raise InternalError(f"{info.name}: EXERCISES has keys {keys}; expected "
                                f"{match.group(1)}.1, {match.group(1)}.2, ... in order")
        found.update((exercise.key, exercise) for exercise in module.EXERCISES)
    ordered = sorted(found.values(), key=lambda e: (e.notebook, e.number))
    return MappingProxyType({exercise.key: exercise for exercise in ordered})


def exercise(key: str) -> Exercise:
    """The exercise ``key`` ("NN.k"); an unknown key is an error naming the known ones.

    >>> print(exercise("01.1"))  # doctest: +ELLIPSIS
    01.1  ...
    >>> exercise("9.9")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: unknown exercise '9.9'; expected one of 01.1, 01.2, ...
    """
    known = registry()
    if not isinstance(key, str) or key not in known:
        raise QuadTheoryError(f"unknown exercise {key!r}; expected one of {', '.join(known)}")
    return known[key]


def check(key: str, answer: object) -> Result:
    """Check ``answer`` to exercise ``key`` with the toolkit: a :class:`Result` that prints
    ``pass: <what was checked>`` or ``fail: <why>. Hint: <hint>``. ``None`` (the notebooks'
    placeholder) is "not answered yet"; a wrong or malformed answer fails, it never raises.

    >>> import quadtheory as qt
    >>> print(qt.exercises.check("01.1", None))  # doctest: +ELLIPSIS
    fail: not answered yet. Hint: ...
    >>> qt.exercises.check("01.1", "many").passed
    False
    """
    chosen = exercise(key)
    if answer is None:
        return Result(key, False, NOT_ANSWERED, chosen.hint)
    try:
        outcome = chosen.checker(answer)
    except QuadTheoryError as error:  # a malformed answer: say what was expected
        return Result(key, False, str(error), chosen.hint)
    return Result(key, outcome.passed, outcome.message, chosen.hint)


def exercise_list(notebook: str | int | None = None) -> tuple[Exercise, ...]:
    """The exercises in course order, or those of one ``notebook`` ("03" or 3).

    >>> [e.key for e in exercise_list(1)][:2]
    ['01.1', '01.2']
    """
    chosen = tuple(registry().values())
    if notebook is None:
        return chosen
    wanted = f"{notebook:02d}" if isinstance(notebook, int) else str(notebook)
    return tuple(e for e in chosen if e.notebook == wanted)
