"""``quadtheory study radial|barron``: quadratic against conventional (ReLU) networks of equal
dense parameters as the dimension grows; see :func:`quadtheory.study`.

Prints the summary (``--json [FILE]``: one object ``{"study", "cells", "metric", "table",
"needed", "trend"}``); writes ``DIR/results.{json,csv}``, ``DIR/error_vs_dim.png`` and
``DIR/summary.md``; an interrupted study resumes.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..studies.cells import DEFAULTS, QUICK
from ..studies.study import study
from ..studies.targets import KINDS
from . import options


def _grid(kind: str, grid: dict[str, Any]) -> str:
    return (f"{kind}: dims {','.join(map(str, grid['dims']))}; widths "
            f"{','.join(map(str, grid['widths']))}; {grid['seeds']} seeds; {grid['steps']} steps")


def add_parser(subparsers: Any) -> None:
    defaults = "; ".join(_grid(k, DEFAULTS[k]) for k in KINDS)
    quick = "; ".join(_grid(k, QUICK[k]) for k in KINDS)
    parser = subparsers.add_parser(
        "study", help="quadratic vs ReLU networks of equal params as the dimension grows",
        description="Train one-hidden-layer quadratic and ReLU networks of equal dense "
                    "parameters on a radial target cos(2 pi |x|^2) (radial) or on targets "
                    "of the quadratic class with Barron-type norm <= 1 (barron), for each "
                    "dimension, width and seed; report the relative test RMSE against D "
                    "with 95%% confidence intervals over seeds, the fewest params reaching "
                    "an error, and the fitted trend. Observed, not proved (the proved parts: "
                    "quadtheory prove radial_separation barron_dimension_free). Defaults: "
                    f"{defaults}. --quick: {quick}.")
    parser.add_argument("kind", metavar="STUDY", choices=KINDS, help="radial or barron")
    parser.add_argument("--dims", metavar="D", nargs="+", help="the dimensions, e.g. 2,4,8")
    parser.add_argument("--widths", metavar="W", nargs="+",
                        help="ReLU hidden widths, each a parameter budget (the quadratic "
                             "width is matched to it)")
    parser.add_argument("--seeds", metavar="N", nargs="+",
                        help="a number of seeds (3: seeds 0,1,2) or a list 0,5,7")
    parser.add_argument("--steps", type=int, metavar="N", help="Adam steps")
    parser.add_argument("--quick", action="store_true", help="a small grid (under a minute)")
    options.add_jobs(parser)
    options.add_scheduler(parser)
    options.add_out(parser, "study-STUDY")
    options.add_json(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    report = study(args.kind, dims=options.int_list(args.dims, "--dims"),
                   widths=options.int_list(args.widths, "--widths"),
                   seeds=options.seeds(args.seeds), steps=args.steps, quick=args.quick,
                   jobs=args.jobs, scheduler=args.scheduler, out=args.out,
                   progress=None if not args.json else False)
    note = options.emit_json(report.as_json(), args.json)
    if args.json != options.STDOUT:
        print(report.summary())
        print(f"\nwrote {report.out}/results.json, results.csv, error_vs_dim.png, summary.md")
        if note:
            print(note)
    return 0
