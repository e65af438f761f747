"""``quadtheory separate DATA --label COL``: separate labelled clusters by one layer of
quadratic ball neurons, certified exactly over the given points, against the smallest ReLU
network training finds; see :func:`quadtheory.separate`.

``DATA`` is a CSV file (a header row; column ``--label`` holds the labels, every other column
a coordinate, exact decimals), or ``generated:blobs`` / ``generated:nested`` (seeded sets,
``--clusters C --dim D --points N --data-seed S``). Prints the report (``--json [FILE]``: one
object). Exits 1 when the certificate does not hold (a bug), 0 otherwise.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import QuadTheoryError
from ..studies.clusters import KINDS, cluster_points, read_points
from ..studies.relu import SEEDS, STEPS, WIDTHS
from ..studies.separation import separate
from . import options

GENERATED = "generated:"


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "separate", help="separate labelled clusters by quadratic ball neurons, certified",
        description="One quadratic neuron r^2 - |x - c|^2 per cluster, exact rational centre "
                    "and radius, every point of the cluster strictly inside and every other "
                    "point strictly outside; checked exactly at every point (exhaustive). A "
                    "cluster no ball can hold alone is explained (an exact convex-hull proof "
                    "where found) and handled by a second layer. Compared with the smallest "
                    "ReLU network that training finds (exactly checked too).")
    parser.add_argument("data", metavar="DATA",
                        help="a CSV file with a header row, or generated:blobs | "
                             "generated:nested")
    parser.add_argument("--label", metavar="COL", help="the CSV column holding the labels")
    parser.add_argument("--clusters", type=int, metavar="C",
                        help="generated data: the number of clusters (default 3)")
    parser.add_argument("--dim", type=int, metavar="D",
                        help="generated data: the dimension (default 2)")
    parser.add_argument("--points", type=int, metavar="N",
                        help="generated data: points per cluster (default 30)")
    parser.add_argument("--data-seed", type=int, metavar="S",
                        help="generated data: the seed (default 0)")
    parser.add_argument("--widths", metavar="W", nargs="+",
                        help="ReLU hidden widths tried, smallest first (0: no hidden layer; "
                             f"default {','.join(map(str, WIDTHS))})")
    parser.add_argument("--seeds", metavar="N", nargs="+",
                        help=f"ReLU training seeds per width (default {len(SEEDS)})")
    parser.add_argument("--steps", type=int, metavar="N",
                        help=f"ReLU training steps (default {STEPS})")
    parser.add_argument("--no-relu", action="store_true",
                        help="skip the ReLU comparison (no training)")
    options.add_json(parser)
    parser.set_defaults(func=run)


def _data(args: argparse.Namespace) -> Any:
    generated = {"clusters": "--clusters", "dim": "--dim", "points": "--points",
                 "data_seed": "--data-seed"}
    if not args.data.startswith(GENERATED):
        options.refuse(args, generated, f"applies to generated data, not to the file "
                                        f"{args.data!r}")
        if args.label is None:
            raise QuadTheoryError(f"{args.data}: expected --label COL naming the column of "
                                  "labels")
        return read_points(args.data, args.label)
    options.refuse(args, {"label": "--label"}, f"{args.data} has its own labels")
    kind = args.data.removeprefix(GENERATED)
    if kind not in KINDS:
        raise QuadTheoryError(f"DATA {args.data!r}: expected a CSV file or "
                              f"{' or '.join(GENERATED + k for k in KINDS)}")
    return cluster_points(kind, 3 if args.clusters is None else args.clusters,
                    2 if args.dim is None else args.dim,
                    30 if args.points is None else args.points,
                    0 if args.data_seed is None else args.data_seed)


def run(args: argparse.Namespace) -> int:
    data = _data(args)
    if args.no_relu:
        options.refuse(args, {"widths": "--widths", "seeds": "--seeds", "steps": "--steps"},
                       "sets the ReLU comparison, which --no-relu skips")
    widths = options.int_list(args.widths, "--widths", low=0) or WIDTHS
    seeds = options.seeds(args.seeds) or SEEDS
    steps = STEPS if args.steps is None else args.steps
    if steps < 1:
        raise QuadTheoryError(f"--steps {steps}: expected a positive number of steps")
    result = separate(data, compare_relu=not args.no_relu, widths=widths, seeds=seeds,
                      steps=steps)
    note = options.emit_json(result.as_json(), args.json)
    if args.json != options.STDOUT:
        print(result.summary())
        if note:
            print(note)
    return 0 if result.certificate.holds else 1
