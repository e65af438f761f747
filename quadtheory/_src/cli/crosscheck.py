"""``quadtheory crosscheck TARGET``: train both families over a grid and check them against the
theory (the lower bound, the construction, parametric efficiency); see
:func:`quadtheory.crosscheck`.

Prints the summary (``--json [FILE]``: one object ``{"cells": N, "violations": [...],
"efficiency": [...], "construction": {...}}``). Exits 1 when a trained network beats the lower
bound (a violation: a bug in a bound or in the code), 0 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..crosscheck.sweep import crosscheck
from ..errors import QuadTheoryError
from . import options
from .bounds import add_depths

_DEFAULTS = "defaults: widths 1,2,4,8,16; depths 1,2,3; 3 seeds; 2000 steps"


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "crosscheck", help="train quadratic and conventional networks, check them against the "
                           "lower bounds and constructions",
        description="Train quadratic and conventional MLPs over a grid of depths, widths and "
                    "seeds (Adam, cosine schedule, float64, fixed data and seeds), read each "
                    "back exactly, and check: no trained conventional network beats the ReLU "
                    "lower bound for its architecture; the exact quadratic construction keeps "
                    "its zero loss under training; the parametric efficiency of the families. "
                    f"Writes DIR/results.{{json,csv}}, DIR/efficiency.png, DIR/summary.md; "
                    f"an interrupted sweep resumes. {_DEFAULTS}.")
    parser.add_argument("target", metavar="TARGET",
                        help="a polynomial such as 'x**2*y + z', radial:G such as "
                             "'radial:exp(-r**2)' (with --dim), or task:circles, task:spheres, "
                             "task:gaussians")
    parser.add_argument("--dim", type=int, metavar="D",
                        help="dimension of radial:G (required) and of task:spheres (3) and "
                             "task:gaussians (2)")
    options.add_domain(parser, bounded=True)
    parser.add_argument("--widths", metavar="W", nargs="+",
                        help="hidden widths, e.g. 1,2,4 (default 1,2,4,8,16)")
    add_depths(parser, "hidden layers, e.g. 1,2 (default 1,2,3)")
    parser.add_argument("--seeds", metavar="N", nargs="+",
                        help="a number of seeds (3: seeds 0,1,2; the default) or a list 0,5,7")
    parser.add_argument("--steps", type=int, metavar="N", help="Adam steps (default 2000)")
    options.add_family(parser, default="both", help="the families trained: quadratic, relu or "
                                                    "both")
    parser.add_argument("--families", dest="families", metavar="F,F",
                        help="the same as --family: quadratic, conventional or both, as a list "
                             "(kept for compatibility)")
    options.add_jobs(parser)
    options.add_scheduler(parser)
    options.add_out(parser, "crosscheck-TARGET")
    parser.add_argument("--quick", action="store_true",
                        help="a small sweep: widths 2,8; depths 1,2; 1 seed; 300 steps")
    parser.add_argument("--lr", type=float, default=1e-2, help="Adam learning rate (1e-2)")
    parser.add_argument("--quadratic-lr", type=float, default=1e-2,
                        help="learning rate of the quadratic terms w_g, b_g, w_b, c (1e-2)")
    options.add_json(parser)
    parser.set_defaults(func=run)


def _families(args: argparse.Namespace) -> list[str]:
    if args.families is None:
        return options.families(args.family)
    out: list[str] = []
    for name in options.split_list(args.families, "--families") or []:
        out += options.families(name)
    if not out:
        raise QuadTheoryError(f"--families {args.families!r}: expected quadratic, conventional "
                              "or both")
    return list(dict.fromkeys(out))


def run(args: argparse.Namespace) -> int:
    seeds = options.seeds(args.seeds)
    report = crosscheck(
        args.target, dim=args.dim, domain=args.domain,
        widths=options.int_list(args.widths, "--widths"),
        depths=options.int_list(args.depth, "--depth"),
        seeds=None if seeds is None else seeds, steps=args.steps, family=_families(args),
        jobs=args.jobs, scheduler=args.scheduler, out=args.out, quick=args.quick, lr=args.lr,
        quadratic_lr=args.quadratic_lr, progress=None if not args.json else False)
    note = options.emit_json(report.as_json(), args.json)
    if args.json != options.STDOUT:
        print(report.summary())
        print(f"\nwrote {report.out}/results.json, results.csv, efficiency.png, summary.md")
        if note:
            print(note)
    if report.violations:
        print(f"quadtheory: crosscheck: {len(report.violations)} trained network(s) beat the "
              "lower bound: a bug in a bound or in the code (see the summary)", file=sys.stderr)
        return 1
    return 0
