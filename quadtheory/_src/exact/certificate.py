"""Certificates: what was checked about a network, how, and at which level.

Every number quadtheory prints is certified and says how. A certificate's ``level`` is one of

- ``"symbolic proof"``: an exact identity or a rigorous bound, valid on the whole region;
- ``"exhaustive"``: checked at every point of a stated finite set;
- ``"sampled"``: checked at sample points only (evidence, not proof);
- ``"cited"``: taken from a paper (reference and theorem number in the checks), not proved
  here: the weakest level.

The level is set by the check that produced the certificate: :func:`quadtheory.verify` for
exact identities, the routine that derived an error bound (:func:`proved_bound`) for
approximations; a bound a caller merely states is ``"sampled"`` at best.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..core.limits import one_of
from ..core.numbers import decimal_upper
from ..errors import QuadTheoryError

LEVELS = ("symbolic proof", "exhaustive", "sampled", "cited")  # strongest first


@dataclass(frozen=True)
class Certificate:
    """The outcome of a check: the statement, its level, whether it holds, how, and the time.

    ``holds`` is False when the check did not certify the statement: the statement may be
    false, or only unproved; ``checks`` says which.

    >>> cert = Certificate("x*x == x**2", "symbolic proof", True, ("polynomial identity",), 0.001)
    >>> cert.as_dict()["level"], bool(cert)
    ('symbolic proof', True)
    """

    statement: str
    level: str
    holds: bool
    checks: tuple[str, ...]
    seconds: float
    details: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        one_of(self.level, "level", LEVELS)
        object.__setattr__(self, "checks", tuple(self.checks))

    @classmethod
    def combine(cls, statement: str, parts: Sequence[Certificate]) -> Certificate:
        """One certificate for a statement proved in parts: it holds when every part holds,
        at the weakest level among them, and its checks and time add up.

        >>> a = Certificate("A", "symbolic proof", True, ("a",), 0.5)
        >>> b = Certificate("B", "sampled", True, ("b",), 0.25)
        >>> c = Certificate.combine("A and B", [a, b])
        >>> c.level, c.holds, c.seconds, c.checks
        ('sampled', True, 0.75, ('A: a', 'B: b'))
        """
        if not parts:
            raise QuadTheoryError("combine: expected at least one part")
        return cls(statement, max((p.level for p in parts), key=LEVELS.index),
                   all(p.holds for p in parts),
                   tuple(f"{p.statement}: {check}" for p in parts for check in p.checks),
                   sum(p.seconds for p in parts), {"parts": [p.as_dict() for p in parts]})

    def __bool__(self) -> bool:
        return self.holds

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (the ``certificate`` entry of a network file's meta)."""
        return {"statement": self.statement, "level": self.level, "holds": self.holds,
                "checks": list(self.checks), "seconds": round(self.seconds, 6),
                **({"details": dict(self.details)} if self.details else {})}

    def __str__(self) -> str:
        verdict = "holds" if self.holds else "FAILS"
        lines = [f"{self.statement}: {verdict} ({self.level}, {self.seconds:.3f} s)"]
        lines += [f"  - {check}" for check in self.checks]
        return "\n".join(lines)


def proved_bound(statement: str, lines: Sequence[str], seconds: float = 0.0) -> Certificate:
    """The certificate of an error bound, made by the routine that derived it rigorously
    (Lagrange remainders with interval enclosures, exact interval propagation, exact pieces);
    ``lines`` say how. Pass it as ``proof=`` to :func:`quadtheory.verify_approximation`.

    >>> cert = proved_bound("|sin x − x| ≤ 1/6 on [-1, 1]", ["Lagrange remainder |x|³/3!"])
    >>> cert.level, cert.holds
    ('symbolic proof', True)
    """
    return Certificate(statement, "symbolic proof", True, tuple(lines), seconds)


def certificate_lines(certificate: Mapping[str, Any] | None) -> list[str]:
    """The lines a command prints for a network's ``meta["certificate"]`` (``None``: skipped).

    >>> cert = Certificate("x*x == x**2", "symbolic proof", True, ("identity",), 0.0)
    >>> for line in certificate_lines(cert.as_dict()):
    ...     print(line)
    certificate: holds (symbolic proof, 0.000 s): x*x == x**2
      - identity
    """
    if certificate is None:
        return ["certificate: none (--no-verify)"]
    verdict = "holds" if certificate["holds"] else "FAILS"
    return [readable(f"certificate: {verdict} ({certificate['level']}, "
                     f"{certificate['seconds']:.3f} s): {certificate['statement']}"),
            *(readable(f"  - {check}") for check in certificate["checks"])]


# A bound in a certificate's text: "≤ 133/500000", "<= 7/64"; an error's exact value
# "error = p/q" (a point "at x = 1/8" is left alone).
_BOUND = re.compile(r"(≤|<=)(\s*)(\d+/\d+|\d{13,})(?![\d/])")
_EXACT = re.compile(r"(error\s*)=(\s*)(\d+/\d+|\d{13,})(?![\d/])")
_NAMED = re.compile(r"(bound(?: was)?)(\s+)(\d+/\d+|\d{13,})(?![\d/])")


def readable(text: str) -> str:
    """A certificate line with every bound after ``≤`` as a 3-digit decimal upper bound, and
    every exact error value or named bound likewise (``error = p/q`` becomes ``error ≤ d``:
    still true); the exact rationals stay in the JSON.

    >>> readable("|network − x²| ≤ 133/500000 on [0, 1]; sup error = 1/128 at x = 1/8")
    '|network − x²| ≤ 0.000266 on [0, 1]; sup error ≤ 0.00782 at x = 1/8'
    """
    def bound(match: re.Match) -> str:
        sign, space, number = match.groups()
        return f"{sign}{space or ' '}{decimal_upper(Fraction(number))}"

    def exact(match: re.Match) -> str:
        word, space, number = match.groups()
        return f"{word}≤{space or ' '}{decimal_upper(Fraction(number))}"

    def named(match: re.Match) -> str:
        word, space, number = match.groups()
        return f"{word}{space}{decimal_upper(Fraction(number))}"

    return _NAMED.sub(named, _EXACT.sub(exact, _BOUND.sub(bound, text)))
