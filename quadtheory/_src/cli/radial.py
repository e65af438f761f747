"""``quadtheory radial G --dim D``: a network for ``G(‖x − c‖)`` on a ball, counted, certified.

Prints the target, the method (exact polynomial in r², piecewise linear, polynomial
approximant) and why it was chosen, the certified sup error on the ball, the parameter counts
under both conventions, depth, widths and the certificate. ``--json PATH`` writes the network
file (meta: target, family, region, certified_error, params, method, certificate). A network
family is one entry of :data:`FAMILIES` (``quadratic`` here); a ``--family`` option only has
to choose among them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from ..core.domain import domain_text
from ..core.network import Network
from ..errors import QuadTheoryError
from ..exact.certificate import certificate_lines

METHOD_CHOICES = {"auto": "auto", "exact": "exact polynomial in r^2",
                  "piecewise-linear": "piecewise linear",
                  "polynomial-approximant": "polynomial approximant"}


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "radial", help="a certified quadratic network for G(|x - c|) on a ball",
        description="Build a quadratic network for f(x) = G(|x - c|) on the ball |x - c| <= R "
                    "in D dimensions: one quadratic neuron computes t = |x - c|^2 exactly and "
                    "the rest sees only t, so params grow linearly in D. Exact when G is a "
                    "polynomial in r^2; otherwise the sup error on the ball is proved <= EPS. "
                    "Counts: dense = every weight and bias; nonzero = nonzero entries.")
    parser.add_argument("g", metavar="G", help="an expression in r, e.g. 'exp(-r^2)' or "
                                               "'1 - r^2 + r^4/2'")
    parser.add_argument("--dim", metavar="D", type=int, required=True,
                        help="the dimension (inputs x1..xD)")
    parser.add_argument("--center", metavar="c1,...,cD",
                        help="the centre (default the origin); write --center=-1,0 when the "
                             "first coordinate is negative")
    parser.add_argument("--radius", metavar="R", default="1", help="the radius (default 1)")
    parser.add_argument("--eps", metavar="E",
                        help="the certified sup error wanted when G is not a polynomial in r^2")
    parser.add_argument("--activation", choices=("relu", "identity"), default="relu",
                        help="hidden activation (default relu); the output is identity")
    parser.add_argument("--method", choices=tuple(METHOD_CHOICES), default="auto",
                        help="auto (default: exact if possible, else the approximation with "
                             "fewer nonzero params), or force one")
    parser.add_argument("--json", metavar="PATH", help="write the network file to PATH")
    parser.add_argument("--no-verify", action="store_true",
                        help="skip the certificate (the exact proof or the sampled check)")
    parser.add_argument("--family", choices=tuple(FAMILIES), default="quadratic",
                        help="quadratic (default) or relu (|x - c|^2 as D sawtooth squares, "
                             "then a certified univariate approximant; needs --eps)")
    parser.set_defaults(func=run)


def quadratic(args: argparse.Namespace) -> Network:
    """The quadratic family: :func:`quadtheory.radial`."""
    from ..quadratic.radial import radial

    return radial(args.g, args.dim, args.center, args.radius, args.eps,
                  args.activation, method=METHOD_CHOICES[args.method],
                  verify=not args.no_verify)


def relu(args: argparse.Namespace) -> Network:
    """The conventional family: :func:`quadtheory.relu_radial` (Yarotsky squares)."""
    from ..conventional.family import relu_radial

    if args.eps is None:
        raise QuadTheoryError("radial --family relu: expected --eps E, the certified sup "
                              "error wanted (a ReLU network only approximates)")
    return relu_radial(args.g, args.dim, args.eps, args.center, args.radius,
                       verify=not args.no_verify)


FAMILIES: dict[str, Callable[[argparse.Namespace], Network]] = {"quadratic": quadratic,
                                                                "relu": relu}


def report(network: Network) -> str:
    """The text ``radial`` prints for a network it built.

    >>> from quadtheory._src.quadratic.radial import radial
    >>> print(report(radial("1 - r**2", 2)))  # doctest: +ELLIPSIS
    target: G(r) = 1 - r**2, f(x) = G(‖x − c‖) on the ball ‖x − (0, 0)‖ ≤ 1
    family: quadratic; method: exact polynomial in r^2
    certified error: 0 (sup |network − f| on the ball)
    domain: x1 in [-1, 1], x2 in [-1, 1] (the ball's bounding box)
    params: dense 9 (every weight and bias), nonzero 3 (nonzero entries)
    depth: 1
    widths: 1
    certificate: holds (symbolic proof, ... s): network == ...
    """
    meta = network.meta
    ball = meta["region"]["ball"]
    domain = domain_text(network.inputs, network.domain)
    params = meta["params"]
    wanted = f", eps {meta['eps']}" if "eps" in meta else ""
    lines = [
        f"target: G(r) = {meta['target']}, f(x) = G(‖x − c‖) on the ball "
        f"‖x − ({', '.join(ball['center'])})‖ ≤ {ball['radius']}",
        f"family: {meta['family']}; method: {meta['method']}",
        f"certified error: {meta['certified_error']} (sup |network − f| on the ball{wanted})",
        f"domain: {domain} (the ball's bounding box)",
        f"params: dense {params['dense']} (every weight and bias), nonzero "
        f"{params['nonzero']} (nonzero entries)",
        f"depth: {network.depth}",
        f"widths: {', '.join(map(str, network.widths))}",
    ]
    if "candidates" in meta:
        lines.append(f"candidates (chosen by {meta['chosen_by']}):")
        for name, facts in meta["candidates"].items():
            if "unavailable" in facts:
                lines.append(f"  {name}: unavailable ({facts['unavailable']})")
            else:
                size = (f"{facts['pieces']} pieces" if "pieces" in facts else
                        f"degree {facts['degree']} in t, {facts['expansion']}")
                lines.append(f"  {name}: dense {facts['params']['dense']}, nonzero "
                             f"{facts['params']['nonzero']}; certified error "
                             f"{facts['certified_error']}; {size}")
    lines += certificate_lines(meta.get("certificate"))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from ..core.io import save

    network = FAMILIES[args.family](args)
    if args.family == "relu":
        from ..conventional.family import report as relu_report

        print(relu_report(network))
    else:
        print(report(network))
    if args.json:
        save(network, args.json)
        print(f"wrote {args.json}")
    return 0
