"""Scan: the exact networks of the Chebyshev polynomials T_n against issue 9's goals.

For every ``2 <= n <= --max-n`` and each objective of ``construct`` (fewest nonzero params,
the default, and fewest neurons), prints the network's neurons, nonzero params, depth and
proved float64 error bound (relative, and in units of n²·u with u = 2^-53), then a summary
per objective: totals, and the n that miss the neuron bound ``2·log2 n + 2`` or the float
bound 1e-12 relative. ``--observed`` also measures the float64 error against exact values at
10,000 points (half equispaced, half crowded towards ±1), slower.

Counts, not timings: the same on every machine. Run:
``python benchmarks/scan_chebyshev.py`` (about 5 minutes for both objectives; ``--max-n 32``:
seconds).
"""

from __future__ import annotations

import argparse
import math
import sys
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sympy

from quadtheory import construct
from tests.reference import crowded_points, observed_float_error

X = sympy.Symbol("x")
U = Fraction(1, 2**53)
GOAL = Fraction(1, 10**12)


def observed_error(net, n: int, count: int = 10_000) -> Fraction:
    """max |float64 network − T_n| at ``count`` points, half of them near ±1, each difference
    exact (the tests' independent check, :mod:`tests.reference`)."""
    return observed_float_error(net, sympy.chebyshevt(n, X), crowded_points(count))


def scan(objective: str, max_n: int, observed: bool) -> None:
    print(f"\nobjective {objective}")
    print(f"{'n':>4} {'neurons':>7} {'bound':>6} {'nonzero':>7} {'depth':>5} "
          f"{'float64 rel':>11} {'/n²u':>6}" + (f" {'observed/n²u':>12}" if observed else ""))
    neurons = nonzero = 0
    missed_neurons, missed_float = [], []
    for n in range(2, max_n + 1):
        net = construct(sympy.chebyshevt(n, X), objective=objective)
        relative = Fraction(net.meta["float64_error_bound"]["relative"])
        budget = 2 * math.log2(n) + 2
        neurons += net.neurons
        nonzero += net.params.nonzero
        if net.neurons > budget:
            missed_neurons.append(n)
        if relative > GOAL:
            missed_float.append(n)
        line = (f"{n:>4} {net.neurons:>7} {budget:>6.1f} {net.params.nonzero:>7} "
                f"{net.depth:>5} {float(relative):>11.3g} {float(relative / (n * n * U)):>6.2f}")
        if observed:
            line += f" {float(observed_error(net, n) / (n * n * U)):>12.2f}"
        print(line, flush=True)
    count = max_n - 1
    print(f"objective {objective}: {neurons:,} neurons, {nonzero:,} nonzero params over "
          f"n = 2..{max_n}; neurons <= 2·log2 n + 2 for {count - len(missed_neurons)} of "
          f"{count} n; float64 bound <= 1e-12 relative for {count - len(missed_float)} of "
          f"{count} n")
    print(f"  neuron bound missed: {', '.join(map(str, missed_neurons)) or 'none'}")
    print(f"  float bound missed: {', '.join(map(str, missed_float)) or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-n", type=int, default=128, help="largest n (default 128)")
    parser.add_argument("--objective", choices=("params", "neurons", "both"), default="both")
    parser.add_argument("--observed", action="store_true",
                        help="also the float64 error observed at 10,000 points")
    args = parser.parse_args()
    if args.max_n < 2:
        parser.error(f"--max-n {args.max_n}: expected an integer >= 2")
    for objective in (("params", "neurons") if args.objective == "both" else
                      (args.objective,)):
        scan(objective, args.max_n, args.observed)


if __name__ == "__main__":
    main()
