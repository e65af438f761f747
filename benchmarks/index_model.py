"""Scan: is issue 9's neuron bound for T_n reachable in the index model at all?

For every ``2 <= n <= --max-n`` whose network from ``construct(T_n, objective="neurons")``
(the fewest neurons within the best float tier) has more than ``2·log2 n + 2`` neurons, asks
the *index model* whether any plan within the bound exists, by exhausting it
(``chebyshev_index_plan_exists``): layers of values T_s (s <= n; any number of them, or at most
``--width``), each neuron a
carry, a square 2T_s² − 1, or a product 2T_a·T_b less a defect T_d held beside it or in the
layer below, in at most ``⌈log2 n⌉ + 1 + extra`` layers for each ``extra`` up to ``--extra``.
"none" is proved for that model only (it is not a lower bound for quadratic networks in
general: the one product T_7 = 1 + α·β, five neurons, is outside it); "undecided" means the
search stopped at ``--states`` layer states.

Counts, not timings. Run: ``python benchmarks/index_model.py`` (about 6 minutes, most of it
construct; ``--max-n 40``: seconds).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sympy

from quadtheory import chebyshev_index_plan_exists, construct

X = sympy.Symbol("x")

WORDS = {True: "found", False: "none (exhaustive)", None: "undecided"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-n", type=int, default=128, help="largest n (default 128)")
    parser.add_argument("--width", type=int, default=None,
                        help="values a layer holds at most (default: any number; "
                             "construct's search: 3)")
    parser.add_argument("--extra", type=int, default=2,
                        help="layers beyond ⌈log2 n⌉ + 1 tried (default 2)")
    parser.add_argument("--states", type=int, default=100_000,
                        help="layer states expanded at most per search (default 100,000)")
    args = parser.parse_args()
    for name in ("max_n", "width", "states"):
        if getattr(args, name) is not None and getattr(args, name) < (2 if name == "max_n" else 1):
            parser.error(f"--{name.replace('_', '-')} {getattr(args, name)}: too small")
    if args.extra < 0:
        parser.error(f"--extra {args.extra}: expected an integer >= 0")
    start = time.perf_counter()
    widths = "any width" if args.width is None else f"widths <= {args.width}"
    print(f"{'n':>4} {'built':>6} {'bound':>5}  index model, {widths}, "
          f"depth ⌈log2 n⌉ + 1 + extra")
    tally = {True: 0, False: 0, None: 0}
    missed = 0
    for n in range(2, args.max_n + 1):
        fewest = construct(sympy.chebyshevt(n, X), objective="neurons", verify=False).neurons
        bound = math.floor(2 * math.log2(n) + 2)
        if fewest <= bound:
            continue
        missed += 1
        depth = math.ceil(math.log2(n)) + 1  # construct's
        found = [chebyshev_index_plan_exists(n, bound, depth + extra, args.width, args.states)
                 for extra in range(args.extra + 1)]
        verdict = True if True in found else (None if None in found else False)
        tally[verdict] += 1
        print(f"{n:>4} {fewest:>6} {bound:>5}  " + "; ".join(
            f"+{extra}: {WORDS[f]}" for extra, f in enumerate(found)), flush=True)
    print(f"{missed} n miss the bound with construct's fewest-neuron networks; in the index "
          f"model a plan within it: none for {tally[False]} (exhaustive), found for "
          f"{tally[True]}, undecided for {tally[None]} "
          f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
