"""``quadtheory compare EXPR --eps E1 E2 ...``: the paper's claim as a table of certified counts.

One row per ε: the exact quadratic network's params (dense and nonzero, constant in ε), the
certified ReLU construction's params and error (Yarotsky 2017, arXiv:1610.01145), and the
lower bound on ANY ReLU network (hidden neurons, nonzero weights, dense params at the best
depth). ``radial:G --dim D`` compares on a ball. ``--json`` prints
``{"target", "region", "rows": [{"eps", "quadratic", "relu", "relu_lower_bound"}]}``;
``--plot PATH`` draws params against log10(1/ε) (log scale).
"""

from __future__ import annotations

import argparse
import json
from typing import Any


def add_parser(subparsers: Any) -> None:
    from .bounds import add_region_options

    parser = subparsers.add_parser(
        "compare", help="quadratic vs ReLU params across eps, with the ReLU lower bound",
        description="For each EPS: the exact quadratic network's params (constant in eps), a "
                    "certified ReLU construction's params and error (Yarotsky's sawtooth "
                    "squares), and the fewest a ReLU network can have (lower bound from the "
                    "target's curvature). Counts: dense = every weight and bias; nonzero = "
                    "nonzero entries. EXPR is a polynomial, or radial:G with --dim D.")
    parser.add_argument("expr", metavar="EXPR", help="a polynomial such as 'x*y', or radial:G")
    parser.add_argument("--eps", metavar="E", nargs="+", required=True,
                        help="the sup errors to compare at, e.g. 1e-2 1e-4 1e-6")
    add_region_options(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--plot", metavar="PATH", help="draw params against log10(1/eps) to PATH")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..bounds.compare import RADIAL, compare, plot_comparison
    from ..errors import QuadTheoryError
    from .construct import parse_vars

    if args.expr.startswith(RADIAL):
        if args.domain is not None or args.vars is not None:
            raise QuadTheoryError("--domain/--vars are for polynomial targets; a radial:G "
                                  "target takes --dim, --center and --radius")
        result = compare(args.expr, args.eps, dim=args.dim, center=args.center,
                         radius=args.radius)
    else:
        if args.center is not None:
            raise QuadTheoryError(f"--center is for radial:G targets, found {args.expr!r}")
        result = compare(args.expr, args.eps, args.domain, dim=args.dim,
                         variables=parse_vars(args.vars))
    if args.json:
        print(json.dumps(result.as_dict()))
    else:
        print(f"target: {result.target} on {result.region}")
        print("counts: dense/nonzero (every weight and bias / nonzero entries); lower bound: "
              "hidden neurons/nonzero weights/dense params at the best depth")
        print(result.table())
    if args.plot:
        plot_comparison(result, args.plot)
        if not args.json:
            print(f"wrote {args.plot}")
    return 0
