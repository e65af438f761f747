"""Regions: the box and the ball every construction, bound and check holds on.

One parser for every spelling a user may write, one renderer for every report:

- a **box**, one exact ``(lo, hi)`` per input, or ``None`` for all of ``R^n``:
  ``None`` (the default, ``[-1, 1]`` each), ``"all"``, ``"LO:HI"`` (every input),
  ``"x=LO:HI,y=LO:HI"`` (per input, the others ``[-1, 1]``), and, kept for compatibility,
  ``"LO,HI"`` and ``"[LO,HI],[LO,HI]"`` (one pair per input, in order); or the same as data:
  a pair, a list of pairs, a mapping name -> pair;
- a **ball** ``‖x − c‖ ≤ R`` in ``D`` dimensions with exact centre and radius
  (:class:`Ball`; its inputs are ``x1..xD``, its bounding box the network's domain).

Boxes stay plain tuples of pairs (the network file's ``domain``); :func:`domain_text` and
:func:`interval_text` render them, ``str(ball)`` renders a ball.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from ..errors import QuadTheoryError
from . import limits
from .limits import quoted
from .numbers import format_rational, to_rational

Side = tuple[Fraction, Fraction]
Box = tuple[Side, ...]

ALL = "all"  # the domain R^n
DEFAULT_SIDE: Side = (Fraction(-1), Fraction(1))
SPELLINGS = "LO:HI, x=LO:HI,y=LO:HI, all, [LO,HI],[LO,HI] or LO,HI"


def interval_text(lo: object, hi: object) -> str:
    """``[lo, hi]`` with exact rationals.

    >>> interval_text(Fraction(-1, 2), 1)
    '[-1/2, 1]'
    """
    return f"[{format_rational(to_rational(lo))}, {format_rational(to_rational(hi))}]"


def domain_text(inputs: Sequence[str], domain: Sequence[Sequence[object]] | None) -> str:
    """A domain as every report prints it: ``x in [lo, hi], ...``, or all of R^n.

    >>> domain_text(("x", "y"), ((Fraction(-1), Fraction(1, 2)), ("0", "1")))
    'x in [-1, 1/2], y in [0, 1]'
    >>> domain_text(("x", "y"), None)
    'all of R^2'
    """
    if domain is None:
        return f"all of R^{len(inputs)}"
    return ", ".join(f"{name} in {interval_text(lo, hi)}"
                     for name, (lo, hi) in zip(inputs, domain, strict=True)) or "(no inputs)"


def _side(pair: object, where: str) -> Side:
    if isinstance(pair, str):
        lo, colon, hi = pair.partition(":")
        if not colon:
            lo, comma, hi = pair.strip().strip("[]").partition(",")
            if not comma:
                raise QuadTheoryError(f"{where}: expected LO:HI such as -1:1 or 0:1/2, found "
                                      f"{pair!r:.80}")
        pair = (lo.strip(), hi.strip())
    if not _is_pair(pair) or len(pair) != 2:  # type: ignore[arg-type]
        raise QuadTheoryError(f"{where}: expected (lo, hi), found {quoted(pair)}")
    lo, hi = (to_rational(v, where) for v in pair)  # type: ignore[union-attr]
    if not lo < hi:
        raise QuadTheoryError(f"{where}: empty interval {interval_text(lo, hi)}; "
                              "expected lo < hi")
    return lo, hi


def _is_pair(value: object) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


def named_values(text: str, where: str, value: str = "VALUE") -> dict[str, str]:
    """``"x=0:1, y=-1:1"`` as ``{"x": "0:1", "y": "-1:1"}``: ``NAME=VALUE`` pairs separated by
    commas, each name once (domains per input, points of ``eval --at``).

    >>> named_values("x=1/3, y=-2", "--at", "NUMBER")
    {'x': '1/3', 'y': '-2'}
    """
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, equals, item = (s.strip() for s in part.partition("="))
        if not equals or not name:
            raise QuadTheoryError(f"{where}: expected NAME={value} pairs separated by commas, "
                                  f"found {quoted(part)}")
        if name in out:
            raise QuadTheoryError(f"{where}: {name} is given twice")
        out[name] = item
    return out


def _listed_sides(text: str) -> list[str] | None:
    """``"[-1,1],[0,2]"`` as ``["-1,1", "0,2"]``; None when the text is not such a list."""
    compact = text.replace(" ", "")
    if not re.fullmatch(r"\[[^\[\]]*\](,\[[^\[\]]*\])*", compact):
        return None
    return re.findall(r"\[([^\[\]]*)\]", compact)


def parse_domain(domain: object, names: Sequence[str], *, where: str = "domain") -> Box | None:
    """The box of ``names`` that ``domain`` spells (any spelling of the module docstring);
    ``None`` for ``"all"`` (R^n).

    >>> parse_domain("x=0:1", ["x", "y"])
    ((Fraction(0, 1), Fraction(1, 1)), (Fraction(-1, 1), Fraction(1, 1)))
    >>> parse_domain("-1/2:0.25", ["x"]) == parse_domain(("-1/2", "1/4"), ["x"])
    True
    >>> parse_domain("[0,1],[-2,2]", ["x", "y"])[1], parse_domain("all", ["x"])
    ((Fraction(-2, 1), Fraction(2, 1)), None)
    """
    if domain is None:
        return tuple(DEFAULT_SIDE for _ in names)
    if isinstance(domain, str):
        text = domain.strip()
        if text.lower() == ALL:
            return None
        if not any(mark in text for mark in ":,="):
            raise QuadTheoryError(f"{where}: expected {SPELLINGS}, found {quoted(text)}")
        if "=" in text:
            domain = named_values(text, f"{where} {text!r}", "LO:HI")
        else:
            listed = _listed_sides(text)
            domain = text if listed is None else (listed[0] if len(listed) == 1 else listed)
            if isinstance(domain, str):
                side = _side(domain, f"{where} {text!r}")
                return tuple(side for _ in names)
    if isinstance(domain, Mapping):
        unknown = [k for k in domain if k not in names]
        if unknown:
            raise QuadTheoryError(f"{where}: {unknown[0]!r} is not a variable; expected one of "
                                  f"{', '.join(names) or '(none)'}")
        return tuple(_side(domain[n], f"{where}[{n}]") if n in domain else DEFAULT_SIDE
                     for n in names)
    if not _is_pair(domain):
        raise QuadTheoryError(f"{where}: expected {SPELLINGS} (or a (lo, hi) pair, a list of "
                              f"pairs, a mapping name -> (lo, hi)), found {quoted(domain)}")
    if len(domain) == 2 and not any(_is_pair(v) or (isinstance(v, str) and (":" in v or "," in v))
                                    for v in domain):  # type: ignore[union-attr]
        side = _side(domain, where)
        return tuple(side for _ in names)
    if len(domain) != len(names):  # type: ignore[arg-type]
        raise QuadTheoryError(f"{where}: expected {len(names)} (lo, hi) pairs (one per variable "
                              f"{', '.join(names)}), found {len(domain)}")  # type: ignore[arg-type]
    return tuple(_side(pair, f"{where}[{n}]")
                 for pair, n in zip(domain, names, strict=True))  # type: ignore[call-overload]


def bounded_box(domain: object, names: Sequence[str], *, where: str = "domain") -> Box:
    """:func:`parse_domain`, which must be bounded: an approximation's error is a sup over it.

    >>> bounded_box({"y": (0, 1)}, ["x", "y"])[1]
    (Fraction(0, 1), Fraction(1, 1))
    """
    box = parse_domain(domain, names, where=where)
    if box is None:
        raise QuadTheoryError(f"{where}: expected a bounded box (lo, hi) per variable, found "
                              f"{domain!r}: an error bound is a sup over the domain")
    return box


def to_box(domain: Sequence[Sequence[object]] | None, n: int, *,
           where: str = "domain") -> Box | None:
    """A network's domain as stored: exactly one ``[lo, hi]`` per input, ``lo < hi``.

    >>> to_box([["-1", 1]], 1)
    ((Fraction(-1, 1), Fraction(1, 1)),)
    """
    if domain is None:
        return None
    if not _is_pair(domain):
        raise QuadTheoryError(
            f"{where}: expected a list of [lo, hi] pairs, found {quoted(domain)}")
    if len(domain) != n:
        raise QuadTheoryError(f"{where}: expected {n} intervals (one per input), "
                              f"found {len(domain)}")
    box = []
    for k, pair in enumerate(domain):
        if not _is_pair(pair) or len(pair) != 2:
            raise QuadTheoryError(f"{where}[{k}]: expected [lo, hi], found {quoted(pair)}")
        lo, hi = (to_rational(v, f"{where}[{k}]") for v in pair)
        if not lo < hi:
            raise QuadTheoryError(f"{where}[{k}]: expected lo < hi, found {interval_text(lo, hi)}")
        box.append((lo, hi))
    return tuple(box)


def parse_center(center: object, dim: int | None = None, *,
                 where: str = "center") -> tuple[Fraction, ...] | None:
    """A centre: ``"1,-1/2,0"`` (comma or space separated) or a sequence; None stays None.

    >>> parse_center(" 1, -1/2 0")
    (Fraction(1, 1), Fraction(-1, 2), Fraction(0, 1))
    """
    if center is None:
        return None
    if isinstance(center, str):
        parts = re.split(r"\s*,\s*|\s+", center.strip())
        if not all(parts):
            raise QuadTheoryError(f"{where} {center!r}: expected numbers separated by commas, "
                                  "such as 1,-1/2,0")
        center = parts
    if not _is_pair(center):
        raise QuadTheoryError(
            f"{where}: expected {dim or 'D'} numbers, found {quoted(center)}")
    if dim is not None and len(center) != dim:  # type: ignore[arg-type]
        raise QuadTheoryError(f"{where}: expected {dim} coordinates (dim = {dim}), "
                              f"found {len(center)}")  # type: ignore[arg-type]
    return tuple(to_rational(v, f"{where}[{k}]")
                 for k, v in enumerate(center))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Ball:
    """The ball ``‖x − center‖ ≤ radius`` in ``len(center)`` dimensions (exact rationals);
    its inputs are ``x1..xD``.

    >>> ball = Ball.of(2, None, "1/2")
    >>> ball.box, str(ball)
    (((Fraction(-1, 2), Fraction(1, 2)), (Fraction(-1, 2), Fraction(1, 2))), '‖x − (0, 0)‖ ≤ 1/2')
    """

    center: tuple[Fraction, ...]
    radius: Fraction

    def __post_init__(self) -> None:
        if not self.center:
            raise QuadTheoryError("center: expected at least one coordinate")
        if not isinstance(self.radius, Fraction) or self.radius <= 0:
            raise QuadTheoryError(
                f"radius: expected a positive rational, found {quoted(self.radius)}")

    @classmethod
    def of(cls, dim: object, center: object = None, radius: object = 1) -> Ball:
        """The ball from user values: ``dim`` an integer ≥ 1, ``center`` as for
        :func:`parse_center` (default the origin), ``radius`` a positive number."""
        limits.integer(dim, "dim", 1, limits.MAX_DIM)
        c = parse_center(center, dim) or (Fraction(0),) * dim
        r = to_rational(radius, "radius")
        if r <= 0:
            raise QuadTheoryError(f"radius: expected a positive number, found "
                                  f"{format_rational(r)}")
        return cls(c, r)

    @property
    def dim(self) -> int:
        return len(self.center)

    @property
    def box(self) -> Box:
        """The bounding box: the network's domain."""
        return tuple((c - self.radius, c + self.radius) for c in self.center)

    @property
    def inputs(self) -> tuple[str, ...]:
        return tuple(f"x{k + 1}" for k in range(self.dim))

    def squared_distance(self) -> sympy.Expr:
        """``Σ (x_i − c_i)²`` in the input symbols (unexpanded)."""
        return sympy.Add(*((sympy.Symbol(n) - sympy.Rational(c.numerator, c.denominator)) ** 2
                           for n, c in zip(self.inputs, self.center, strict=True)))

    def region(self) -> dict[str, Any]:
        """The JSON form (exact rational strings), as network files store it."""
        return ball_region(self.center, self.radius)

    def __str__(self) -> str:
        return f"‖x − ({', '.join(map(format_rational, self.center))})‖ ≤ " \
               f"{format_rational(self.radius)}"


def ball_region(center: Sequence[object], radius: object) -> dict[str, Any]:
    """The JSON form of the ball ``‖x − center‖ ≤ radius`` (exact rational strings).

    >>> ball_region([0, "1/2"], 1)
    {'ball': {'center': ['0', '1/2'], 'radius': '1'}}
    """
    return {"ball": {"center": [format_rational(to_rational(c, "center")) for c in center],
                     "radius": format_rational(to_rational(radius, "radius"))}}
