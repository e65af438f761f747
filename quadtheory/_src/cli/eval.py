"""``quadtheory eval FILE.json --at x=1/3,y=-2``: the exact outputs at rational points.

Output: one line per ``--at`` point, in the order given, holding the exact outputs as
rationals separated by single spaces (``-2/3``, ``7``). Values are exact: ``0.1`` is 1/10.
``--json`` prints one object ``{"inputs": [...], "points": [{"at": {...}, "outputs": [...]}]}``
with every number an exact rational string.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ..core.domain import named_values
from ..core.io import load
from ..core.numbers import format_rational, to_rational
from ..errors import QuadTheoryError
from . import options


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "eval", help="exact outputs of a network file at rational points",
        description="Evaluate a network file exactly. Prints one line per point: the outputs "
                    "as exact rationals, separated by spaces.")
    parser.add_argument("file", metavar="FILE.json", help="a quadtheory network file")
    parser.add_argument("--at", action="append", required=True, metavar="NAME=NUMBER,...",
                        help="a point, e.g. x=1/3,y=-2 (exact: 0.1 is 1/10); repeat for more")
    options.add_json(parser)
    parser.set_defaults(func=run)


def parse_point(text: str, inputs: Sequence[str]) -> dict[str, Fraction]:
    """The point of one ``--at`` option: ``NAME=NUMBER`` pairs separated by commas, one for
    each input, numbers exact (no expression is evaluated).

    >>> parse_point("y=-2, x=1/3", ("x", "y"))
    {'x': Fraction(1, 3), 'y': Fraction(-2, 1)}
    >>> parse_point("x=0.1", ("x", "y"))
    Traceback (most recent call last):
    quadtheory.QuadTheoryError: --at 'x=0.1': missing a value for y (inputs: x, y)
    """
    where = f"--at {text!r}"
    values: dict[str, Fraction] = {}
    for name, value in named_values(text, where, "NUMBER").items():
        if name not in inputs:
            raise QuadTheoryError(f"{where}: unknown input {name!r}; expected one of "
                                  f"{', '.join(inputs) or '(none)'}")
        values[name] = to_rational(value, f"{where}: {name}")
    missing = [name for name in inputs if name not in values]
    if missing:
        raise QuadTheoryError(f"{where}: missing a value for {', '.join(missing)} "
                              f"(inputs: {', '.join(inputs)})")
    return {name: values[name] for name in inputs}


def run(args: argparse.Namespace) -> int:
    network = load(args.file)
    points = [parse_point(text, network.inputs) for text in args.at]
    results = [network.exact(point) for point in points]
    note = options.emit_json({"inputs": list(network.inputs), "points": [
        {"at": {name: format_rational(v) for name, v in point.items()},
         "outputs": [format_rational(v) for v in outputs]}
        for point, outputs in zip(points, results, strict=True)]}, args.json)
    if args.json != options.STDOUT:
        for outputs in results:
            print(" ".join(format_rational(v) for v in outputs))
        if note:
            print(note)
    return 0
