"""``quadtheory pilot data.csv --target COL``: do quadratic neurons pay on this table? A
conventional MLP, a quadratic MLP at the same parameter budgets, and a linear model on pairwise
interaction features, compared on held-out rows (Fan et al.'s parametric efficiency,
arXiv:2303.06316); see :mod:`quadtheory._src.realdata.pilot`.

Prints the summary (verdict, per-budget KPI table) and writes DIR/results.{json,csv},
summary.md and scores.png; rerunning with the same ``--out`` resumes. ``--json`` prints one
object ``{"task", "metric", "cells", "rows": [...], "outcome", "ratio", "verdict", "setup",
"out"}`` instead; ``--json FILE`` writes it there.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..realdata.pilot import pilot
from . import options
from .bearing import add_json_option, emit


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "pilot", help="do quadratic neurons pay on your table? quadratic vs conventional MLPs "
                      "at matched parameter budgets",
        description="Train a conventional MLP and a quadratic MLP at each parameter budget "
                    "(one hidden layer, the width whose dense count is nearest the budget) and "
                    "a linear model on pairwise interaction features, over a few seeds, on "
                    "held-out splits of a CSV table; report test RMSE (or accuracy and macro "
                    "F1), params, training time and inference latency per budget, and a verdict "
                    "computed from the numbers. Defaults: budgets 100,300,1000,3000; seeds "
                    "0,1,2; 2000 Adam steps. An interrupted run resumes.")
    parser.add_argument("data", metavar="DATA.csv",
                        help="a CSV file with a header row; numeric columns (see --one-hot)")
    parser.add_argument("--target", required=True, metavar="COL", help="the column to predict")
    parser.add_argument("--task", choices=("regression", "classification"),
                        help="default: classification when the target is not numeric or has "
                             "at most 20 distinct integer values, regression otherwise")
    parser.add_argument("--budgets", metavar="P,P,...",
                        help="dense parameter budgets (default 100,300,1000,3000)")
    parser.add_argument("--seeds", metavar="S,S,...", help="seeds (default 0,1,2)")
    parser.add_argument("--one-hot", default="", metavar="COL,COL",
                        help="non-numeric feature columns to encode as one 0/1 column per value")
    parser.add_argument("--steps", type=int, metavar="N", help="Adam steps (default 2000)")
    parser.add_argument("--lr", type=float, default=1e-2, help="Adam learning rate (1e-2)")
    parser.add_argument("--quadratic-lr", type=float, default=1e-2,
                        help="learning rate of the quadratic terms w_g, b_g, w_b, c (1e-2)")
    parser.add_argument("--quick", action="store_true",
                        help="budgets 100,1000; one seed; 400 steps")
    options.add_jobs(parser)
    options.add_scheduler(parser)
    parser.add_argument("--out", metavar="DIR", default="pilot",
                        help="output folder (default ./pilot); rerunning resumes")
    add_json_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    one_hot = [c.strip() for c in args.one_hot.split(",") if c.strip()]
    report = pilot(args.data, args.target, task=args.task, budgets=args.budgets,
                   seeds=args.seeds, one_hot=one_hot, steps=args.steps, quick=args.quick,
                   lr=args.lr, quadratic_lr=args.quadratic_lr, jobs=args.jobs,
                     scheduler=args.scheduler, out=args.out,
                   progress_bar=False if args.json == "-" else None)
    emit(args, report.as_json(), report.summary()
         + f"\n\nwrote {report.out}/summary.md, results.json, results.csv, scores.png")
    return 0
