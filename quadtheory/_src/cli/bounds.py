"""``quadtheory bounds EXPR --eps E``: what ANY ReLU network needs to reach error E.

From a certified curvature ``κ`` along a segment of length ``h`` of the domain (Yarotsky 2017,
arXiv:1610.01145; see :mod:`quadtheory._src.bounds.lower`): the linear pieces needed
(``κh²/(16k²) ≤ E``), hidden neurons (``k ≤ 2^N``), nonzero weights, and per hidden depth the
fewest dense parameters of a ReLU MLP whose widths allow ``k`` pieces (``Π(m_i + 1) ≥ k``).
``radial:G --dim D`` bounds ``G(‖x − c‖)`` on a ball. ``--json [FILE]`` gives the same as one
JSON object.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..bounds.lower import ReluLowerBound, bounds, radial_bounds
from ..core import limits
from ..render.reports import bounds_report
from . import options


def add_depths(parser: argparse.ArgumentParser, help: str) -> None:
    """``--depth``/``--depths`` (one option, two spellings): hidden depths, a list."""
    parser.add_argument("--depth", "--depths", dest="depth", metavar="L", nargs="+", help=help)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "bounds", help="lower bounds on the size of any ReLU network reaching error EPS",
        description="Lower bounds on any ReLU network approximating EXPR within EPS on the "
                    "domain: linear pieces, hidden neurons, nonzero weights and, per depth, "
                    "dense params (every weight and bias), from a certified lower bound kappa "
                    "of the second derivative along a segment (error >= kappa*h^2/(16*k^2) "
                    "with k pieces; widths m_1..m_L give at most prod(m_i + 1) pieces). "
                    "EXPR may be radial:G (G in r) with --dim D.")
    parser.add_argument("expr", metavar="EXPR",
                        help="a target such as 'x*y' or 'radial:exp(-r^2)'")
    options.add_eps(parser, required=True, help="the sup error to reach")
    add_depths(parser, "hidden depths to report (default: 1 up to the fewest neurons)")
    options.add_vars(parser)
    options.add_domain(parser, bounded=True)
    options.add_ball(parser)
    options.add_json(parser)
    parser.add_argument("--max-pieces", type=int, metavar="K",
                        help="refuse a bound needing more than K linear pieces (default "
                             f"{limits.MAX_BOUND_PIECES}: the dense-parameter search grows "
                             "with K)")
    parser.set_defaults(func=run)


def lower_bound(args: argparse.Namespace) -> ReluLowerBound:
    """The bound the options ask for (a box, or a ball for ``radial:G``)."""
    g = options.check_region_options(args, args.expr)
    depth = options.int_list(args.depth, "--depth")
    if g is not None:
        return radial_bounds(g, args.dim, args.eps, args.center,
                             "1" if args.radius is None else args.radius, depth,
                             args.max_pieces)
    return bounds(args.expr, args.eps, depth, args.domain, options.split_list(args.vars, "--vars"),
                  args.max_pieces)


def run(args: argparse.Namespace) -> int:
    bound = lower_bound(args)
    if args.json:
        note = options.emit_json(bound.as_dict(), args.json)
        if note:
            print(bounds_report(bound), note, sep="\n")
    else:
        print(bounds_report(bound))
    return 0
