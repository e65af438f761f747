"""``quadtheory construct EXPR``: an exact quadratic network for a polynomial, counted, proved.

Prints the target, the family, the parameter counts under both conventions, depth and widths,
the same for the naive baseline (each monomial its own product tree) and the saving, and the
certificate. ``--json PATH`` writes the network file (meta: target, family, certified_error,
params, naive_params, certificate); ``--latex`` prints the network's equations layer by layer.
Domains are exact: ``--domain=-1/2:1`` (write ``=`` before a leading minus, as argparse
reads ``-1/2:1`` as an option), ``--domain x=0:1,y=-1:1`` or ``--domain all`` (R^n).
"""

from __future__ import annotations

import argparse
from fractions import Fraction
from typing import Any

import sympy

from ..core.domain import domain_text
from ..core.layers import ConventionalLayer, Layer
from ..core.matrix import Row
from ..core.network import Network
from ..core.numbers import format_rational
from ..errors import QuadTheoryError
from ..exact.certificate import certificate_lines
from .main import comma_list


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "construct", help="an exact quadratic network for a polynomial, counted and proved",
        description="Build a lean exact quadratic network for a polynomial with rational "
                    "coefficients (shared products, balanced trees, depth <= ceil(log2 d) + 1), "
                    "compare it with the naive construction (each monomial its own product "
                    "tree) and prove it equals the polynomial on the domain. Counts: dense = "
                    "every weight and bias; nonzero = nonzero entries.")
    parser.add_argument("expr", metavar="EXPR", help="a polynomial, e.g. 'x^3*y - 2*x*y + 1'")
    parser.add_argument("--vars", metavar="x,y,z",
                        help="the inputs, in order (default: the variables of EXPR, sorted)")
    parser.add_argument("--domain", metavar="LO:HI | x=LO:HI,... | all",
                        help="exact bounds for every input (default -1:1), per input, or 'all' "
                             "for R^n; write --domain=-1:1 when LO is negative")
    parser.add_argument("--activation", choices=("relu", "identity"), default="relu",
                        help="hidden activation (default relu); the output is identity")
    parser.add_argument("--all-quadratic", action="store_true",
                        help="count conventional layers as degenerate quadratic neurons")
    parser.add_argument("--json", metavar="PATH", help="write the network file to PATH")
    parser.add_argument("--latex", action="store_true",
                        help="print the network's equations layer by layer (LaTeX)")
    parser.add_argument("--no-verify", action="store_true",
                        help="skip the symbolic proof (for huge targets)")
    parser.add_argument("--family", choices=("quadratic", "relu"), default="quadratic",
                        help="quadratic (default: exact) or relu (Yarotsky's conventional "
                             "construction, certified sup error <= --eps)")
    parser.add_argument("--eps", metavar="E",
                        help="the certified sup error wanted (needed with --family relu; the "
                             "quadratic network is exact)")
    parser.set_defaults(func=run)


def parse_vars(text: str | None) -> list[str] | None:
    """``--vars x,y,z`` as a list of names.

    >>> parse_vars("x, y,z")
    ['x', 'y', 'z']
    """
    return comma_list(text, "--vars", "names", "x,y,z")


def _saving(lean: int, naive: int) -> str:
    percent = f" ({100 * (naive - lean) / naive:.1f}%)" if naive else ""
    return f"{naive - lean}{percent}"


def report(network: Network) -> str:
    """The text ``construct`` prints for a network it built.

    >>> from quadtheory._src.quadratic.construct import construct
    >>> print(report(construct("x*y + 1", domain=(0, 1))))  # doctest: +ELLIPSIS
    target: x*y + 1
    family: quadratic, exact (certified error 0); hidden relu, output identity
    domain: x in [0, 1], y in [0, 1]
    params: dense 9 (every weight and bias), nonzero 3 (nonzero entries)
    depth: 1
    widths: 1
    naive baseline (each monomial its own product tree, nothing shared):
      params: dense 11, nonzero 4; depth 2; widths 1, 1
    saving: dense 2 (18.2%), nonzero 1 (25.0%)
    certificate: holds (symbolic proof, ... s): network == x*y + 1 exactly on [0, 1] x [0, 1]
      - outputs equal the target as polynomials over QQ ...
    """
    meta = network.meta
    domain = domain_text(network.inputs, network.domain)
    error = "certified error 0" if meta.get("certified_error") == "0" else "not verified"
    counted = "; counted all-quadratic" if meta.get("all_quadratic") else ""
    params, naive = meta["params"], meta["naive_params"]
    lines = [
        f"target: {meta['target']}",
        f"family: quadratic, exact ({error}); hidden {meta['activation']}, output identity"
        + counted,
        f"domain: {domain}",
        f"params: dense {params['dense']} (every weight and bias), nonzero "
        f"{params['nonzero']} (nonzero entries)",
        f"depth: {meta['depth']}",
        f"widths: {', '.join(map(str, meta['widths']))}",
        "naive baseline (each monomial its own product tree, nothing shared):",
    ]
    if naive is None:
        lines.append("  none: it would pass a value of both signs through relu on R^n")
    else:
        lines += [f"  params: dense {naive['dense']}, nonzero {naive['nonzero']}; depth "
                  f"{meta['naive_depth']}; widths {', '.join(map(str, meta['naive_widths']))}",
                  f"saving: dense {_saving(params['dense'], naive['dense'])}, nonzero "
                  f"{_saving(params['nonzero'], naive['nonzero'])}"]
    lines += certificate_lines(meta.get("certificate"))
    return "\n".join(lines)


# -- LaTeX -----------------------------------------------------------------------------------
def _number(value: Fraction) -> str:
    text = format_rational(abs(value))
    if value.denominator != 1:
        text = rf"\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"
    return text


def _sum(terms: list[tuple[Fraction, str]]) -> str:
    """``c1 a1 + c2 a2 - ...`` with exact coefficients; an empty body is a constant."""
    out = []
    for coef, body in terms:
        if not coef:
            continue
        sign = "-" if coef < 0 else "+"
        magnitude = "" if body and abs(coef) == 1 else _number(coef) + (r"\," if body else "")
        out.append((sign, magnitude + body))
    if not out:
        return "0"
    text = "".join(f" {s} {t}" for s, t in out).strip()
    return text[2:] if text.startswith("+ ") else "-" + text[2:]


def _factor(terms: list[tuple[Fraction, str]]) -> str:
    """A factor of a product: bare if it is one positive term, else in parentheses."""
    nonzero = [(v, body) for v, body in terms if v]
    if len(nonzero) == 1 and nonzero[0][0] > 0:
        return _sum(nonzero)
    return rf"\left({_sum(terms)}\right)"


def _affine(row: Row, bias: Fraction, names: list[str]) -> list[tuple[Fraction, str]]:
    return [(v, names[j]) for j, v in row] + [(bias, "")]


def _neuron(layer: Layer, j: int, names: list[str]) -> str:
    if isinstance(layer, ConventionalLayer):
        return _sum(_affine(layer.w.rows[j], layer.b[j], names))
    r = _affine(layer.w_r.rows[j], layer.b_r[j], names)
    g = _affine(layer.w_g.rows[j], layer.b_g[j], names)
    terms: list[tuple[Fraction, str]] = []
    if not layer.w_g.rows[j]:  # (r)(constant): an affine form
        terms += [(v * layer.b_g[j], body) for v, body in r]
    elif not layer.w_r.rows[j]:
        terms += [(v * layer.b_r[j], body) for v, body in g]
    else:
        terms.append((Fraction(1), _factor(r) + r"\," + _factor(g)))
    terms += [(v, f"{names[i]}^{{2}}") for i, v in layer.w_b.rows[j]]
    terms.append((layer.c[j], ""))
    return _sum(terms)


def latex_equations(network: Network) -> str:
    """The network's equations, one per neuron, layer by layer (exact rationals).

    >>> from quadtheory import Network, quadratic_layer
    >>> net = Network(("x", "y"), (quadratic_layer([[1, 0]], [1], [[0, 1]], ["-1/2"]),))
    >>> print(latex_equations(net))
    f = \\max\\left(0,\\ \\left(x + 1\\right)\\,\\left(y - \\frac{1}{2}\\right)\\right)
    """
    names = [sympy.latex(sympy.Symbol(name)) for name in network.inputs]
    lines = []
    for k, layer in enumerate(network.layers, start=1):
        last = k == network.depth
        outputs = []
        for j in range(layer.out_features):
            body = _neuron(layer, j, names)
            if layer.activation == "relu":
                body = rf"\max\left(0,\ {body}\right)"
            lhs = ("f" if layer.out_features == 1 else f"f_{{{j + 1}}}") if last else \
                f"h^{{({k})}}_{{{j + 1}}}"
            lines.append(f"{lhs} = {body}")
            outputs.append(lhs)
        names = outputs
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from ..core.io import save

    if args.family == "relu":
        from ..conventional.family import relu_construct
        from ..conventional.family import report as relu_report

        if args.eps is None:
            raise QuadTheoryError("construct --family relu: expected --eps E, the certified "
                                  "sup error wanted (a ReLU network only approximates)")
        network = relu_construct(args.expr, args.eps, parse_vars(args.vars),
                                 args.domain, verify=not args.no_verify)
        print(relu_report(network))
    else:
        from ..quadratic.construct import construct

        network = construct(args.expr, parse_vars(args.vars), args.domain,
                            args.activation, all_quadratic=args.all_quadratic,
                            verify=not args.no_verify)
        print(report(network))
    if args.latex:
        print(latex_equations(network))
    if args.json:
        save(network, args.json)
        print(f"wrote {args.json}")
    return 0
