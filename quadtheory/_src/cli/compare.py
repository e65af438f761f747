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
from collections.abc import Callable
from typing import Any

from ..bounds.compare import compare
from ..errors import QuadTheoryError
from ..exact.targets import target_expression
from ..render.plots import figure_path, plot_comparison, plot_rates
from ..render.reports import rates_report
from ..theorems.rates import is_rational_polynomial, taylor_rates
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
    parser.add_argument("--method", choices=("auto", "taylor"), default="auto",
                        help="auto (default): the exact quadratic network of a polynomial; "
                             "taylor: the real-space Taylor construction of both families "
                             "(closed-form counts; the default for a non-polynomial target)")
    parser.add_argument("--smoothness", type=int, metavar="n",
                        help="--method taylor: the Taylor order n (default 3)")
    parser.add_argument("--fit", action="store_true", default=None,
                        help="--method taylor: the fitted slopes of log(nonzero) against "
                             "log(1/eps) per family beside d/n, and the ReLU/quadratic ratio "
                             "against log2(1/eps)")
    options.add_json(parser)
    options.add_plot(parser, "compare.png")
    parser.set_defaults(func=run)


def _wants_taylor(args: argparse.Namespace, g: str | None) -> bool:
    """``--method taylor``, or a target on a box that is not a polynomial."""
    if g is not None:
        if args.method == "taylor":
            raise QuadTheoryError(f"--method taylor: approximates a target on a box, not "
                                  f"{args.expr!r}")
        return False
    if args.method == "taylor":
        return True
    variables = options.split_list(args.vars, "--vars")
    expression, names = target_expression(args.expr, variables)
    return not is_rational_polynomial(expression, names)


def run_taylor(args: argparse.Namespace) -> int:
    """``compare --method taylor``: the rates of both families, fitted with ``--fit``."""
    eps = options.split_list(args.eps, "--eps")
    rates = taylor_rates(args.expr, eps, options.split_list(args.vars, "--vars"), args.domain,
                         args.smoothness)
    return _emit(args, lambda: rates.as_dict(fit=bool(args.fit)),
                 lambda: rates_report(rates, fit=bool(args.fit)),
                 lambda path: plot_rates(rates, path))


def _emit(args: argparse.Namespace, data: Callable[[], Any], text: Callable[[], str],
          plot: Callable[[str], Any]) -> int:
    """The outputs of both kinds of comparison: ``--json`` (``data``), the report
    (``text``, unless the JSON goes to stdout), ``--plot`` (``plot``), then what was written."""
    notes = [options.emit_json(data(), args.json)] if args.json else []
    if args.json != options.STDOUT:
        print(text())
    if args.plot:
        plot(args.plot)
        notes.append(f"wrote {args.plot}")
    if args.json != options.STDOUT:
        for note in filter(None, notes):
            print(note)
    return 0


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
    if _wants_taylor(args, g):
        return run_taylor(args)
    options.refuse(args, {"smoothness": "--smoothness", "fit": "--fit"},
                   "applies to --method taylor (a smooth target on a box)")
    eps = options.split_list(args.eps, "--eps")
    if g is not None:
        result = compare(args.expr, eps, dim=args.dim, center=args.center,
                         radius="1" if args.radius is None else args.radius)
    else:
        variables = options.split_list(args.vars, "--vars")
        result = compare(args.expr, eps, args.domain, variables=variables)
    return _emit(args, result.as_dict, lambda: table(result),
                 lambda path: plot_comparison(result, path))
