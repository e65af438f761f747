"""``quadtheory tour``: the main job. Builds networks, proves what they compute, prints
the tables; exits 1 unless every certificate holds. The content is in :mod:`._tour`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .tour import run_tour


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "tour", help="build exact quadratic networks, prove them, print their counts",
        description="Build quadratic networks by hand, prove exactly what they compute and "
                    "print their parameter counts against conventional networks. Exits 1 "
                    "unless every certificate holds.")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    text, holds = run_tour()
    print(text)
    if not holds:
        print("quadtheory: tour: a certificate does not hold (see the table above)",
              file=sys.stderr)
        return 1
    return 0
