"""``quadtheory compare EXPR --eps E1 E2 ...``: the paper's claim as a table of certified counts.

One row per ε: the exact quadratic network's params (dense and nonzero, constant in ε), the
certified ReLU construction's params and error (Yarotsky 2017, arXiv:1610.01145), and the
lower bound on ANY ReLU network (hidden neurons, nonzero weights, dense params at the best
depth). ``radial:G --dim D`` compares on a ball. ``--json [FILE]`` gives
``{"target", "region", "rows": [{"eps", "quadratic", "relu", "relu_lower_bound"}]}``;
``--plot [FILE]`` draws params against log10(1/ε) (log scale; default compare.png).
"""

from __future__ import annotations

import argparse
from typing import Any

from ..bounds.compare import compare
from ..render.plots import figure_path, plot_comparison
from . import options


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "compare", help="quadratic vs ReLU params across eps, with the ReLU lower bound",
        description="For each EPS: the exact quadratic network's params (constant in eps), a "
                    "certified ReLU construction's params and error (Yarotsky's sawtooth "
                    "squares), and the fewest a ReLU network can have (lower bound from the "
                    "target's curvature). Counts: dense = every weight and bias; nonzero = "
                    "nonzero entries. EXPR is a polynomial, or radial:G with --dim D.")
    parser.add_argument("expr", metavar="EXPR", help="a polynomial such as 'x*y', or radial:G")
    options.add_eps(parser, several=True, required=True,
                    help="the sup errors to compare at, e.g. 1e-2 1e-4 1e-6")
    options.add_vars(parser)
    options.add_domain(parser, bounded=True)
    options.add_ball(parser)
    options.add_json(parser)
    options.add_plot(parser, "compare.png")
    parser.set_defaults(func=run)


def table(result: Any) -> str:
    return "\n".join([
        f"target: {result.target} on {result.region}",
        "counts: dense/nonzero (every weight and bias / nonzero entries); lower bound: "
        "hidden neurons/nonzero weights/dense params at the best depth",
        result.table()])


def run(args: argparse.Namespace) -> int:
    g = options.check_region_options(args, args.expr)
    if args.plot:
        figure_path(args.plot, "--plot")  # refused before the work, not after
    eps = options.split_list(args.eps, "--eps")
    if g is not None:
        result = compare(args.expr, eps, dim=args.dim, center=args.center,
                         radius="1" if args.radius is None else args.radius)
    else:
        variables = options.split_list(args.vars, "--vars")
        result = compare(args.expr, eps, args.domain, variables=variables)
    notes = []
    if args.json:
        notes.append(options.emit_json(result.as_dict(), args.json))
    if args.json != options.STDOUT:
        print(table(result))
    if args.plot:
        plot_comparison(result, args.plot)
        notes.append(f"wrote {args.plot}")
    if args.json != options.STDOUT:
        for note in filter(None, notes):
            print(note)
    return 0
