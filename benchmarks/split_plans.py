"""Benchmark: networks of random polynomials of one variable, against the proved least.

For random polynomials of one variable (integer coefficients in [-5, 5], a nonzero leading
one, ``--per-degree`` of each degree, the same for a given ``--seed``), ``construct`` with
``--objective`` (``neurons`` by default) prints the neurons of its network, the least any
network takes (``meta["neurons_at_least"]``, quadratic/fewest.py) and their ratio, how often
a split plan (quadratic/splits.py) was chosen, its float tier, and the time per
construction. The same script run on a commit before split plans gives that commit's
numbers for the same polynomials (benchmarks/README.md records both).

Run: ``python benchmarks/split_plans.py`` (about a minute; ``--degrees 5-64``, ``--verify``).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quadtheory import construct


def _degrees(text: str) -> list[int]:
    lo, _, hi = text.partition("-")
    return list(range(int(lo), int(hi or lo) + 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--degrees", default="5-40", help="a range such as 5-40 (default)")
    parser.add_argument("--per-degree", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--objective", default="neurons", choices=["neurons", "params"])
    parser.add_argument("--verify", action="store_true", help="verify every network")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(f"objective {args.objective}; per degree, means over {args.per_degree} polynomials")
    print("degree  neurons  least  ratio  split chosen  within 1e-12  seconds")
    total = {"neurons": 0, "least": 0, "split": 0, "safe": 0, "n": 0, "seconds": 0.0}
    for degree in _degrees(args.degrees):
        row = {"neurons": 0, "least": 0, "split": 0, "safe": 0, "seconds": 0.0}
        for _ in range(args.per_degree):
            coeffs = [rng.randint(-5, 5) for _ in range(degree)] + [rng.choice([1, 2, -3])]
            expr = " + ".join(f"({c})*x**{k}" for k, c in enumerate(coeffs) if c)
            start = time.perf_counter()
            net = construct(expr, objective=args.objective, verify=args.verify)
            row["seconds"] += time.perf_counter() - start
            row["neurons"] += sum(net.widths)
            least = net.meta.get("neurons_at_least", {}).get("neurons")
            row["least"] += least if least is not None else sum(net.widths)
            row["split"] += net.meta["plan"].startswith("split")
            bound = net.meta["float64_error_bound"]["relative"]
            row["safe"] += bound is not None and Fraction(bound) <= Fraction(1, 10**12)
        for key in row:
            total[key] += row[key]
        total["n"] += args.per_degree
        k = args.per_degree
        print(f"{degree:6d}  {row['neurons'] / k:7.1f}  {row['least'] / k:5.1f}  "
              f"{row['neurons'] / row['least']:5.2f}  {row['split']:6d}/{k:<6d} "
              f"{row['safe']:6d}/{k:<6d} {row['seconds'] / k:8.3f}")
    print(f"total over {total['n']} polynomials: {total['neurons']} neurons, the proved least "
          f"{total['least']} (ratio {total['neurons'] / total['least']:.3f}); split plans "
          f"chosen {total['split']}; within 1e-12 {total['safe']}; "
          f"{total['seconds']:.2f} s in all")


if __name__ == "__main__":
    main()
