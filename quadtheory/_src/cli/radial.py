"""``quadtheory radial G --dim D``: a network for ``f(x) = G(‖x − c‖)`` on a ball, counted,
certified.

The same as ``quadtheory construct radial:G --dim D``: one quadratic neuron computes
``‖x − c‖²`` exactly, the rest sees only it (exact when G is a polynomial in r², else the
method with fewer nonzero params, its sup error on the ball proved <= EPS); ``--family relu``
gives the certified conventional network (D sawtooth squares, then a univariate approximant).
``--json [FILE]`` prints or writes the network file (meta: target, family, region,
certified_error, params, method, certificate).
"""

from __future__ import annotations

import argparse
from typing import Any

from . import options
from .construct import DESCRIPTION, add_build_options, build, report_all


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "radial", help="a certified network for G(|x - c|) on a ball, counted",
        description="Build a network for f(x) = G(|x - c|) on the ball |x - c| <= R in D "
                    "dimensions: one quadratic neuron computes t = |x - c|^2 exactly and the "
                    "rest sees only t, so params grow linearly in D. Exact when G is a "
                    "polynomial in r^2; otherwise the sup error on the ball is proved <= EPS. "
                    + DESCRIPTION)
    parser.add_argument("g", metavar="G", help="an expression in r, e.g. 'exp(-r^2)' or "
                                               "'1 - r^2 + r^4/2'")
    options.add_ball(parser, required=True)
    add_build_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    g = args.g.removeprefix(options.RADIAL)
    return report_all(args, build(args, options.RADIAL + g))
