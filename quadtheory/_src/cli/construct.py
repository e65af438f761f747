"""``quadtheory construct EXPR``: a network for a target, counted under both conventions and
certified.

A polynomial gets the lean exact quadratic network (``--family quadratic``, compared with the
naive baseline) or Yarotsky's certified ReLU approximation (``--family relu --eps E``);
``radial:G --dim D`` gets the networks of :mod:`.radial` (``quadtheory radial G --dim D`` is
the same command). ``--family both`` builds both and prints both reports. ``--json [FILE]``
prints or writes the network file; ``--latex [FILE]`` the network's equations. Domains are
exact: ``--domain=-1/2:1`` (``=`` before a leading minus), ``--domain x=0:1,y=-1:1``,
``--domain all`` (R^n, quadratic only).
"""

from __future__ import annotations

import argparse
from typing import Any

from ..conventional.family import relu_construct, relu_radial
from ..core.io import to_json
from ..errors import QuadTheoryError
from ..exact.construction import Construction
from ..exact.targets import target_expression
from ..quadratic.construct import MAX_PARAMS, OBJECTIVES, construct
from ..quadratic.radial import radial
from ..render.latex import to_latex
from ..render.reports import construction_report
from ..theorems.manifold import manifold_construct
from ..theorems.rates import is_rational_polynomial
from ..theorems.taylor import taylor_construct
from . import options

METHODS = {"auto": "auto", "exact": "exact polynomial in r^2",
           "piecewise-linear": "piecewise linear",
           "polynomial-approximant": "polynomial approximant", "taylor": "taylor"}
DESCRIPTION = ("Counts: dense = every weight and bias; nonzero = nonzero entries. The "
               "certificate says how each claim is established.")


def add_build_options(parser: argparse.ArgumentParser) -> None:
    """The options of every command that builds a network (construct, radial)."""
    options.add_eps(parser, help="the certified sup error wanted (relu family, and radial "
                                 "targets that are not polynomials in r^2)")
    options.add_family(parser)
    parser.add_argument("--activation", choices=("relu", "identity"), default="relu",
                        help="hidden activation of the quadratic network (default relu); the "
                             "output is identity")
    parser.add_argument("--method", choices=tuple(METHODS), default="auto",
                        help="radial:G, quadratic family: auto (default: exact if possible, "
                             "else the approximation with fewer nonzero params) or force one; "
                             "taylor: the real-space Taylor construction of a smooth target "
                             "on a box, either family (the default for a non-polynomial "
                             "target with --eps)")
    parser.add_argument("--smoothness", type=int, metavar="n",
                        help="--method taylor: the Taylor order n (default: the n in 1..6 "
                             "with the fewest nonzero params)")
    parser.add_argument("--no-verify", action="store_true",
                        help="skip the certificate (for huge targets)")
    options.add_json(parser, "the network file")
    options.add_latex(parser)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "construct", help="a certified network for a polynomial or radial:G, counted",
        description="Build a network for EXPR and certify it. A polynomial: the lean exact "
                    "quadratic network (shared products, balanced trees, depth <= "
                    "ceil(log2 d) + 1), compared with the naive one (each monomial its own "
                    "product tree), proved equal on the domain; or (--family relu --eps E) "
                    "Yarotsky's ReLU approximation with a certified sup error. radial:G with "
                    "--dim D: G(|x - c|) on a ball (see 'quadtheory radial'). " + DESCRIPTION)
    parser.add_argument("expr", metavar="EXPR",
                        help="a polynomial such as 'x^3*y - 2*x*y + 1' or 'chebyshevt(64, x)' "
                             "(T_64), or radial:G such as 'radial:exp(-r^2)'")
    options.add_vars(parser)
    options.add_domain(parser)
    options.add_ball(parser)
    parser.add_argument("--all-quadratic", action="store_true",
                        help="count conventional layers as degenerate quadratic neurons")
    parser.add_argument("--max-params", type=int, metavar="N",
                        help="build plans of up to N nonzero params, estimated before building "
                             f"(default {MAX_PARAMS}; quadratic family, polynomial targets)")
    parser.add_argument("--objective", choices=OBJECTIVES,
                        help="what the exact quadratic network of a polynomial minimizes "
                             "within the best float tier: params (fewest nonzero params, the "
                             "default) or neurons (fewest neurons)")
    parser.add_argument("--manifold", metavar="M",
                        help="circle or sphere: EXPR (in x1..xD) on that manifold embedded in "
                             "R^D, by charts (Chen et al. 2019); needs --ambient D and --eps")
    parser.add_argument("--ambient", type=int, metavar="D",
                        help="--manifold: the ambient dimension D")
    add_build_options(parser)
    parser.set_defaults(func=run)


def _eps_for(args: argparse.Namespace, family: str, what: str) -> object:
    if family == "relu" and args.eps is None:
        raise QuadTheoryError(f"--family relu: expected --eps E, the certified sup error wanted "
                              f"(a ReLU network only approximates {what})")
    return args.eps


def _wants_taylor(args: argparse.Namespace, g: str | None, target: str) -> bool:
    """Whether the real-space Taylor construction is asked for: ``--method taylor``, or a
    target on a box that is not a polynomial (which then needs ``--eps``)."""
    if args.method == "taylor":
        if g is not None:
            raise QuadTheoryError(f"--method taylor: approximates a target on a box, not "
                                  f"{target!r} (radial targets have their own methods)")
        return True
    if g is not None or args.method != "auto":
        return False
    variables = options.split_list(getattr(args, "vars", None), "--vars")
    expression, names = target_expression(target, variables)
    if is_rational_polynomial(expression, names):
        return False
    if args.eps is None:
        raise QuadTheoryError(f"{target!r} is not a polynomial with rational coefficients, so "
                              "no network computes it exactly; expected --eps E: the real-space "
                              "Taylor construction (--method taylor) then approximates it "
                              "within E, with either --family")
    return True


def build_taylor(args: argparse.Namespace, target: str, wanted: list[str]
                 ) -> list[Construction]:
    """The real-space Taylor constructions of a smooth target, one per family."""
    if args.eps is None:
        raise QuadTheoryError("--method taylor: expected --eps E, the certified sup error wanted")
    if args.activation != "relu":
        raise QuadTheoryError("--activation: the Taylor construction's hidden layers are relu "
                              "(its partition of unity needs them); drop --activation")
    if getattr(args, "all_quadratic", False):
        raise QuadTheoryError("--all-quadratic: not for --method taylor (its layers are counted "
                              "as built)")
    variables = options.split_list(getattr(args, "vars", None), "--vars")
    return [taylor_construct(target, variables, args.domain, args.eps, args.smoothness, family,
                             verify=not args.no_verify) for family in wanted]


def build_manifold(args: argparse.Namespace, target: str, wanted: list[str]
                   ) -> list[Construction]:
    """The chart constructions on a manifold, one per family."""
    options.refuse(args, {"domain": "--domain", "vars": "--vars", "dim": "--dim",
                          "center": "--center", "radius": "--radius",
                          "max_params": "--max-params", "objective": "--objective"},
                   f"--manifold {args.manifold}: the target lives on the manifold in R^D "
                   "(its variables are x1..xD; give D with --ambient)")
    if args.method != "auto" or args.activation != "relu" or args.all_quadratic:
        raise QuadTheoryError("--manifold: builds the chart construction; drop --method, "
                              "--activation and --all-quadratic")
    if args.ambient is None or args.eps is None:
        raise QuadTheoryError(f"--manifold {args.manifold}: expected --ambient D and --eps E")
    return [manifold_construct(target, args.manifold, args.ambient, args.eps, family,
                               args.smoothness, verify=not args.no_verify) for family in wanted]


def build(args: argparse.Namespace, target: str) -> list[Construction]:
    """The constructions the options ask for, one per family."""
    wanted = options.families(args.family)
    if getattr(args, "manifold", None) is not None:
        return build_manifold(args, target, wanted)
    options.refuse(args, {"ambient": "--ambient"}, "applies to --manifold circle|sphere")
    g = options.check_region_options(args, target)
    taylor = _wants_taylor(args, g, target)
    if taylor or g is not None or wanted != ["quadratic"]:
        options.refuse(args, {"max_params": "--max-params", "objective": "--objective"},
                       "applies to the exact quadratic network of a polynomial (--family "
                       "quadratic)")
    if taylor:
        return build_taylor(args, target, wanted)
    options.refuse(args, {"smoothness": "--smoothness"},
                   "applies to --method taylor (a smooth target on a box, with --eps)")
    if args.method != "auto" and (g is None or wanted != ["quadratic"]):
        raise QuadTheoryError(f"--method {args.method}: chooses among the quadratic network's "
                              "methods for a radial:G target")
    if g is None and args.eps is not None and wanted == ["quadratic"]:
        raise QuadTheoryError(f"--eps: the quadratic network of the polynomial {target!r} is "
                              "exact; --eps is for --family relu (or both)")
    verify = not args.no_verify
    variables = options.split_list(getattr(args, "vars", None), "--vars")
    limit = {key: getattr(args, key) for key in ("max_params", "objective")
             if getattr(args, key, None) is not None}
    out = []
    for family in wanted:
        eps = _eps_for(args, family, target)
        if g is not None:
            radius = "1" if args.radius is None else args.radius
            out.append(radial(g, args.dim, args.center, radius, eps, args.activation,
                              method=METHODS[args.method], verify=verify) if family == "quadratic"
                       else relu_radial(g, args.dim, eps, args.center, radius, verify=verify))
        elif family == "quadratic":
            out.append(construct(target, variables, args.domain,
                                 args.activation, all_quadratic=args.all_quadratic,
                                 verify=verify, **limit))
        else:
            out.append(relu_construct(target, eps, variables, args.domain, verify=verify))
    return out


def report_all(args: argparse.Namespace, built: list[Construction]) -> int:
    """Print the reports, then the network file and equations where asked."""
    if len(built) > 1:
        options.refuse(args, {"json": "--json", "latex": "--latex"},
                       "--family both builds two networks; choose --family quadratic or relu "
                       "for one network file")
    if args.json is None or args.json != options.STDOUT:
        print("\n\n".join(construction_report(c) for c in built))
    notes = [options.emit_json(to_json(built[0]), args.json) if args.json else None,
             options.emit(to_latex(built[0]), args.latex) if args.latex else None]
    for note in filter(None, notes):
        print(note)
    return 0


def run(args: argparse.Namespace) -> int:
    if args.all_quadratic and options.families(args.family) != ["quadratic"]:
        raise QuadTheoryError("--all-quadratic: counts the quadratic family's network; it does "
                              "not apply to --family relu")
    return report_all(args, build(args, args.expr))
