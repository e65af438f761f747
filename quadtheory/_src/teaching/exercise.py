"""One exercise of the course and the result of checking an answer to it.

An :class:`Exercise` names what is asked (``key`` "03.2": notebook 03, exercise 2), a hint,
and a checker: a function of the student's answer that returns an :class:`Outcome`,
:func:`right` with what was checked or :func:`wrong` with why not (a malformed answer may
also raise ``QuadTheoryError``: it fails with that message). Checkers compute what they
compare with by the toolkit itself (``verify``, ``sup_error``, ``bounds``, ``.params``),
never from a stored number, so an exercise stays right when the toolkit changes. The answer
readers below turn what a student typed into the value a checker needs, or say in one line
what was expected.

The course teaches the theory of Fan et al., "One Neuron Saved Is One Neuron Earned: On
Parametric Efficiency of Quadratic Networks", 2023, arXiv:2303.06316.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..core.domain import domain_text
from ..core.layers import QuadraticLayer
from ..core.limits import quoted, shown
from ..core.network import Network, as_network
from ..core.numbers import to_rational
from ..errors import InternalError, QuadTheoryError
from ..exact.verify import verify

KEY = re.compile(r"(\d\d)\.([1-9]\d*)")
NOT_ANSWERED = "not answered yet"



@dataclass(frozen=True)
class Outcome:
    """A checker's verdict: ``passed`` and what was checked, or why it failed."""

    passed: bool
    message: str


def right(message: str) -> Outcome:
    """A passing outcome; ``message`` says how the toolkit checked it."""
    return Outcome(True, message)


def wrong(message: str) -> Outcome:
    """A failing outcome; ``message`` says why, without giving the answer away."""
    return Outcome(False, message)


def matches(answer: object, computed: object, how: str) -> Outcome:
    """Compare an answer with what the toolkit computes (``how`` names the computation).

    >>> matches(45, 45, "quadratic_layer(...).dense_params").message
    '45, as quadratic_layer(...).dense_params computes'
    >>> matches(42, 45, "quadratic_layer(...).dense_params").message
    '42 is not what quadratic_layer(...).dense_params computes'
    >>> matches(10**5000, 45, "quadratic_layer(...).dense_params").message
    '1.00e+5000 is not what quadratic_layer(...).dense_params computes'
    """
    # A number as limits.shown spells it: Python refuses to print an integer of more than
    # 4,300 digits, and a wrong answer must still get its one-line verdict.
    text = shown(answer) if isinstance(answer, int | Fraction) and not isinstance(
        answer, bool) else str(answer)
    if answer == computed:
        return right(f"{text}, as {how} computes")
    return wrong(f"{text} is not what {how} computes")


Checker = Callable[[Any], Outcome]


@dataclass(frozen=True)
class Exercise:
    """Exercise ``key`` ("NN.k") of notebook NN: a one-line ``title``, a ``hint`` shown when
    an answer fails, and the ``checker`` (answer -> :class:`Outcome`).

    >>> two = Exercise("01.1", "one plus one", "count", lambda a: matches(a, 1 + 1, "+"))
    >>> two, str(two), two.checker(2).passed
    (Exercise(key='01.1', title='one plus one'), '01.1  one plus one', True)
    """

    key: str
    title: str
    hint: str = field(repr=False)
    checker: Checker = field(repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not KEY.fullmatch(self.key):
            raise InternalError(f"exercise key {self.key!r}: expected NN.k, such as '03.2'")
        if not self.title.strip() or not self.hint.strip() or not callable(self.checker):
            raise InternalError(f"exercise {self.key}: a title, a hint and a checker are needed")

    @property
    def notebook(self) -> str:
        """The notebook's two-digit number."""
        return self.key.split(".")[0]

    @property
    def number(self) -> int:
        return int(self.key.split(".")[1])

    def __str__(self) -> str:
        return f"{self.key}  {self.title}"


@dataclass(frozen=True)
class Result:
    """The verdict on one answer: ``passed``, what was checked or why it failed
    (``message``), and the exercise's ``hint``. True when passed, so
    ``assert all(results)`` checks a list of them.

    >>> print(Result("01.1", False, "not answered yet", "a neuron has 3n + 3 parameters"))
    fail: not answered yet. Hint: a neuron has 3n + 3 parameters
    >>> right = Result("01.1", True, "the toolkit counts 45", "...")
    >>> print(right), bool(right)
    pass: the toolkit counts 45
    (None, True)
    """

    key: str
    passed: bool
    message: str
    hint: str

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        if self.passed:
            return f"pass: {self.message}" if self.message else "pass"
        return f"fail: {self.message}. Hint: {self.hint}"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # IPython shows a cell's last value this way: the verdict, not the dataclass fields.
        printer.text(str(self))


# -- reading answers -------------------------------------------------------------------------

def integer(answer: object, what: str) -> int:
    """An integer answer (a whole number, not a bool).

    >>> integer(45, "a count"), integer(Fraction(6, 2), "a count")
    (45, 3)
    >>> integer(4.5, "a count")
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: expected a whole number (a count), found 4.5
    """
    if isinstance(answer, bool) or not isinstance(answer, int | Fraction) or (
            isinstance(answer, Fraction) and answer.denominator != 1):
        raise QuadTheoryError(f"expected a whole number ({what}), found {quoted(answer)}")
    return int(answer)


def boolean(answer: object, what: str) -> bool:
    """A yes/no answer: ``True`` or ``False``.

    >>> boolean(True, "yes or no")
    True
    >>> boolean("yes", "does it")
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: expected True or False (does it), found 'yes'
    """
    if not isinstance(answer, bool):
        raise QuadTheoryError(f"expected True or False ({what}), found {quoted(answer)}")
    return answer


def rational(answer: object, what: str) -> Fraction:
    """An exact rational answer: an int, a Fraction or a string such as ``"1/128"`` (a float
    is refused: the answer is asked exactly).

    >>> rational("1/128", "an error"), rational(Fraction(1, 4), "an error")
    (Fraction(1, 128), Fraction(1, 4))
    >>> rational(0.1, "an error")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: expected an exact rational (an error) such as ... found 0.1
    """
    if isinstance(answer, float | bool):
        raise QuadTheoryError(f"expected an exact rational ({what}) such as Fraction(1, 128) "
                              f"or '1/128', found {quoted(answer)}")
    return to_rational(answer, what)


def network(answer: object, inputs: Sequence[str]) -> Network:
    """A network answer (or a construction's network) with the given inputs, in order.

    >>> from quadtheory import Network, quadratic_layer
    >>> network(Network(("y",), (quadratic_layer([[1]]),)), ("x",))
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: expected a network with inputs x, found inputs y
    """
    net = as_network(answer, "answer")
    if net.inputs != tuple(inputs):
        raise QuadTheoryError(f"expected a network with inputs {', '.join(inputs)}, found "
                              f"inputs {', '.join(net.inputs)}")
    return net


def covers(net: Network, box: Sequence[tuple[object, object]]) -> None:
    """Require the network's domain (None: all of R^n) to contain ``box``.

    >>> from quadtheory import Network, quadratic_layer
    >>> covers(Network(("x",), (quadratic_layer([[1]]),), domain=[[0, 1]]), [(-1, 1)])
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: the network's domain x in [0, 1] does not contain x in [-1, 1]; ...
    """
    if net.domain is None:
        return
    if any(lo > to_rational(a) or hi < to_rational(b)
           for (lo, hi), (a, b) in zip(net.domain, box, strict=True)):
        raise QuadTheoryError(f"the network's domain {domain_text(net.inputs, net.domain)} does "
                              f"not contain {domain_text(net.inputs, box)}; give it "
                              "domain=None (all of R^n) or a larger box")


def conventional_relu(net: Network) -> None:
    """Require a conventional network: no quadratic layer, relu hidden layers."""
    if any(isinstance(layer, QuadraticLayer) for layer in net.layers):
        raise QuadTheoryError("expected a conventional (ReLU) network, found quadratic layers")
    if any(layer.activation != "relu" for layer in net.layers[:-1]):
        raise QuadTheoryError("expected relu hidden layers, found an identity hidden layer")


def proved(net: Network, target: str) -> Outcome:
    """Pass when ``verify`` proves ``net == target`` on the network's domain.

    >>> from quadtheory import Network, quadratic_layer
    >>> square = Network(("x",), (quadratic_layer([[1]], w_g=[[1]]),))
    >>> proved(square, "x**2").message
    'verify proves network == x**2 on all of R^1 (symbolic proof)'
    >>> proved(square, "x**3").message  # doctest: +ELLIPSIS
    'verify does not prove network == x**3 on all of R^1: outputs differ from the target ...'
    """
    certificate = verify(net, target)
    where = domain_text(net.inputs, net.domain)
    if not certificate.holds:
        return wrong(f"verify does not prove network == {target} on {where}: "
                     f"{certificate.checks[-1]}")
    return right(f"verify proves network == {target} on {where} ({certificate.level})")
