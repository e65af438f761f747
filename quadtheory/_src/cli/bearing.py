"""``quadtheory bearing --data DIR``: the paper's bearing-fault experiment, QCNN vs WDCNN per
parameter, on the CWRU recordings (Fan et al., arXiv:2303.06316); see
:mod:`quadtheory._src.realdata.bearing`.

Prints the summary (KPI table and verdict) and writes DIR/results.{json,csv}, summary.md,
accuracy_vs_params.png, latency.png and confusion_<model>.png; rerunning with the same
``--out`` resumes. ``--json`` prints one object ``{"cells", "models": [...], "comparisons":
[...], "verdict", "setup", "out"}`` instead; ``--json FILE`` writes it there.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from ..errors import QuadTheoryError
from ..realdata.bearing import bearing
from . import options


def add_json_option(parser: argparse.ArgumentParser) -> None:
    """``--json [FILE]``: no FILE, JSON on stdout instead of the text; FILE, written there."""
    parser.add_argument("--json", nargs="?", const="-", metavar="FILE",
                        help="print one JSON object instead of the summary; with FILE, write "
                             "it to FILE as well as printing the summary")


def emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    """Print ``text`` or the JSON, as ``--json`` asks."""
    if args.json == "-":
        print(json.dumps(data, allow_nan=False))
        return
    print(text)
    if args.json is not None:
        try:
            with open(args.json, "w") as handle:
                handle.write(json.dumps(data, indent=1, allow_nan=False) + "\n")
        except OSError as error:
            raise QuadTheoryError(f"--json {args.json!r}: cannot write it ({error.strerror})"
                                  ) from None
        print(f"wrote {args.json}")


def parse_snr(text: str) -> float | None:
    """``-6`` → -6.0 dB; ``none`` or ``inf`` → no noise.

    >>> parse_snr("-6"), parse_snr("none")
    (-6.0, None)
    """
    if text.strip().lower() in ("none", "inf"):
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise QuadTheoryError(f"--snr: expected a number of dB such as -6, or none, found "
                              f"{text!r}")
    return value


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "bearing", help="the paper's bearing-fault experiment: QCNN vs WDCNN per parameter "
                        "on the CWRU recordings",
        description="Train the quadratic QCNN, the conventional WDCNN and a parameter-matched "
                    "pair (WDCNN shrunk to the QCNN's count, QCNN grown to the WDCNN's) on the "
                    "CWRU 12 kHz drive-end 0 HP recordings under white noise, as in Fan et al.'s "
                    "code: report dense params, test accuracy and macro F1 (mean ± std over "
                    "seeds), CPU latency and peak memory, and whether the per-parameter claim "
                    "held. Defaults: seeds 0,1,2; 30 epochs; 500/250/250 windows per class; "
                    "SNR -6 dB. An interrupted run resumes.")
    parser.add_argument("--data", metavar="DIR", required=True,
                        help="folder of the ten CWRU .mat files (normal_0_97.mat, "
                             "12k_Drive_End_B007_0_118.mat, ...)")
    parser.add_argument("--snr", default="-6", metavar="DB",
                        help="signal-to-noise ratio of the added white noise in dB (default "
                             "-6; none: no noise)")
    parser.add_argument("--epochs", type=int, metavar="N", help="training epochs (default 30)")
    parser.add_argument("--seeds", metavar="S,S,...", help="seeds (default 0,1,2)")
    parser.add_argument("--models", metavar="M,M,...",
                        help="among QCNN, WDCNN, WDCNN-small, QCNN-large (default all four)")
    parser.add_argument("--quick", action="store_true",
                        help="one seed, 3 epochs, 100/50/50 windows per class: a smoke test")
    options.add_jobs(parser)
    options.add_scheduler(parser)
    parser.add_argument("--out", metavar="DIR", default="bearing",
                        help="output folder (default ./bearing); rerunning resumes")
    add_json_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    report = bearing(args.data, snr=parse_snr(args.snr), epochs=args.epochs, seeds=args.seeds,
                     models=args.models, quick=args.quick, jobs=args.jobs,
                     scheduler=args.scheduler, out=args.out,
                     progress_bar=False if args.json == "-" else None)
    emit(args, report.as_json(), report.summary() + f"\n\nwrote {report.out}/summary.md, "
         "results.json, results.csv, accuracy_vs_params.png, latency.png, confusion_*.png")
    return 0
