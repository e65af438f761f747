"""``quadtheory bounds EXPR --eps E``: what ANY ReLU network needs to reach error E.

From a certified curvature ``κ`` along a segment of length ``h`` of the domain (Yarotsky 2017,
arXiv:1610.01145; see :mod:`._bounds`): the linear pieces needed (``κh²/(16k²) ≤ E``), hidden
neurons (``k ≤ 2^N``), nonzero weights, and per hidden depth the fewest dense parameters of a
ReLU MLP whose widths allow ``k`` pieces (``Π(m_i + 1) ≥ k``). ``radial:G --dim D`` bounds
``G(‖x − c‖)`` on a ball. ``--json`` prints the same as one JSON object.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..bounds.lower import ReluLowerBound


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "bounds", help="lower bounds on the size of any ReLU network reaching error EPS",
        description="Lower bounds on any ReLU network approximating EXPR within EPS on the "
                    "domain: linear pieces, hidden neurons, nonzero weights and, per depth, "
                    "dense params (every weight and bias), from a certified lower bound kappa "
                    "of the second derivative along a segment (error >= kappa*h^2/(16*k^2) "
                    "with k pieces; widths m_1..m_L give at most prod(m_i + 1) pieces). "
                    "EXPR may be radial:G (G in r) with --dim D.")
    parser.add_argument("expr", metavar="EXPR", help="a target such as 'x*y' or 'radial:exp(-r^2)'")
    parser.add_argument("--eps", metavar="E", required=True, help="the sup error to reach")
    parser.add_argument("--depth", metavar="L", type=int, nargs="+",
                        help="hidden depths to report (default: 1 up to the fewest neurons)")
    add_region_options(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def add_region_options(parser: argparse.ArgumentParser) -> None:
    """``--vars``/``--domain`` for a box, ``--dim``/``--center``/``--radius`` for radial:G."""
    parser.add_argument("--vars", metavar="x,y,z",
                        help="the inputs, in order (default: the variables of EXPR, sorted)")
    parser.add_argument("--domain", metavar="LO:HI | x=LO:HI,...",
                        help="exact bounds for every input (default -1:1) or per input; write "
                             "--domain=-1:1 when LO is negative")
    parser.add_argument("--dim", metavar="D", type=int, help="radial:G: the dimension")
    parser.add_argument("--center", metavar="c1,...,cD",
                        help="radial:G: the centre (default the origin)")
    parser.add_argument("--radius", metavar="R", default="1",
                        help="radial:G: the radius (default 1)")


def lower_bound(args: argparse.Namespace) -> ReluLowerBound:
    """The bound the options ask for (a box, or a ball for ``radial:G``)."""
    from ..bounds.compare import RADIAL
    from ..bounds.lower import bounds, radial_bounds
    from ..errors import QuadTheoryError
    from .construct import parse_vars

    if args.expr.startswith(RADIAL):
        if args.dim is None:
            raise QuadTheoryError(f"{args.expr}: a radial target needs --dim D")
        return radial_bounds(args.expr[len(RADIAL):], args.dim, args.eps,
                             args.center, args.radius, args.depth)
    if args.dim is not None or args.center is not None:
        raise QuadTheoryError(f"--dim/--center are for radial:G targets, found {args.expr!r}")
    return bounds(args.expr, args.eps, args.depth, args.domain,
                  parse_vars(args.vars))


def render(bound: ReluLowerBound) -> str:
    """The text of ``bounds``.

    >>> from quadtheory._src.bounds.lower import bounds
    >>> print(render(bounds("x**2", "1/100", depth=[1, 3])))
    target: x**2 on box [-1, 1]
    eps: 1/100
    segment: (-1) -> (1), h^2 = 4; |second derivative| >= kappa = 2 along it (exact)
    any ReLU network within eps needs (error >= kappa*h^2/(16*k^2) with k pieces):
      linear pieces on the segment: >= 8
      hidden neurons: >= 3 (at most 2^N pieces with N neurons)
      nonzero weights: >= 4 (one into each of 3 neurons, one into the output)
      dense params per hidden depth (widths m with prod(m_i + 1) >= 8, 1 input, 1 output):
        depth  min dense  widths
            1         22  7
            3          8  1, 1, 1
      best: depth 3, 8 dense params
    """
    from ..core.numbers import format_rational
    from .main import format_table

    data = bound.as_dict()
    p, q = (", ".join(point) for point in data["segment"])
    how = "exact" if bound.kappa_exact else "certified lower bound"
    table = format_table(["depth", "min dense", "widths"],
                         [[d, v, ", ".join(map(str, bound.widths[d])) or "none (affine)"]
                          for d, v in bound.min_params_dense.items()], right=[0, 1])
    inputs = f"{len(bound.inputs)} input{'s' if len(bound.inputs) > 1 else ''}"
    return "\n".join([
        f"target: {bound.target} on {bound.region}",
        f"eps: {format_rational(bound.eps)}",
        f"segment: ({p}) -> ({q}), h^2 = {data['h_squared']}; |second derivative| >= kappa "
        f"= {_short(data['kappa'])} along it ({how})",
        "any ReLU network within eps needs (error >= kappa*h^2/(16*k^2) with k pieces):",
        f"  linear pieces on the segment: >= {bound.pieces_needed}",
        f"  hidden neurons: >= {bound.min_neurons} (at most 2^N pieces with N neurons)",
        _nonzero_line(bound),
        f"  dense params per hidden depth (widths m with prod(m_i + 1) >= "
        f"{bound.pieces_needed}, {inputs}, 1 output):",
        *("    " + line for line in table.splitlines()),
        f"  best: depth {bound.best_depth}, {bound.best_dense} dense params",
    ])


def _nonzero_line(bound: ReluLowerBound) -> str:
    if bound.min_neurons == 0:
        return (f"  nonzero weights: >= {bound.min_nonzero} (one linear piece may do: an affine "
                "map, with no hidden neuron, is not excluded)")
    return (f"  nonzero weights: >= {bound.min_nonzero} (one into each of {bound.min_neurons} "
            f"neuron{'s' if bound.min_neurons > 1 else ''}, one into the output)")


def _short(text: str) -> str:
    """An exact rational, with its decimal value when the fraction is long."""
    if len(text) <= 12:
        return text
    num, _, den = text.partition("/")
    return f"{int(num) / int(den):.6g} (exactly {text})"


def run(args: argparse.Namespace) -> int:
    bound = lower_bound(args)
    print(json.dumps(bound.as_dict()) if args.json else render(bound))
    return 0
