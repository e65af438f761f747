"""``quadtheory crosscheck TARGET``: train both families over a grid and check them against the
theory (the lower bound, the construction, parametric efficiency); see :mod:`._crosscheck`.

Prints the summary (``--json``: one object ``{"cells": N, "violations": [...], "efficiency":
[...], "construction": {...}}``). Exits 1 when a trained network beats the lower bound (a
violation: a bug in a bound or in the code), 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

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
    parser.add_argument("--domain", metavar="LO,HI",
                        help="the box of a polynomial target: LO,HI for every variable or "
                             "[LO,HI],[LO,HI],... in variable order (default -1,1; write "
                             "--domain=-2,2 when LO is negative)")
    parser.add_argument("--widths", metavar="W,W,...", help="hidden widths (default 1,2,4,8,16)")
    parser.add_argument("--depths", metavar="L,L,...", help="hidden layers (default 1,2,3)")
    parser.add_argument("--seeds", type=int, metavar="N", help="seeds per cell (default 3)")
    parser.add_argument("--steps", type=int, metavar="N", help="Adam steps (default 2000)")
    parser.add_argument("--families", default="quadratic,conventional", metavar="F,F",
                        help="quadratic, conventional or both (default both)")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="cells run in N processes (same results; default 1)")
    parser.add_argument("--out", metavar="DIR",
                        help="output folder (default crosscheck-TARGET); rerunning resumes")
    parser.add_argument("--quick", action="store_true",
                        help="a small sweep: widths 2,8; depths 1,2; 1 seed; 300 steps")
    parser.add_argument("--lr", type=float, default=1e-2, help="Adam learning rate (1e-2)")
    parser.add_argument("--quadratic-lr", type=float, default=1e-2,
                        help="learning rate of the quadratic terms w_g, b_g, w_b, c (1e-2)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..crosscheck.sweep import crosscheck

    report = crosscheck(
        args.target, dim=args.dim, domain=args.domain, widths=args.widths, depths=args.depths,
        seeds=args.seeds, steps=args.steps, families=args.families, jobs=args.jobs,
        out=args.out, quick=args.quick, lr=args.lr, quadratic_lr=args.quadratic_lr,
        progress=None if not args.json else False)
    if args.json:
        print(json.dumps(report.as_json()))
    else:
        print(report.summary())
        print(f"\nwrote {report.out}/results.json, results.csv, efficiency.png, summary.md")
    if report.violations:
        print(f"quadtheory: crosscheck: {len(report.violations)} trained network(s) beat the "
              "lower bound: a bug in a bound or in the code (see the summary)", file=sys.stderr)
        return 1
    return 0
