"""Benchmark: ``construct`` + ``verify`` on large polynomials, against ``sympy.expand``.

Times (construct without verification, then ``quadtheory.verify``) for

(a) the dense ``(1 + x + y + z + w)**8`` (495 monomials),
(b) the Chebyshev polynomial ``T_64(x)`` (33 monomials, degree 64),
(c) a sweep of dense polynomials ``(1 + x + y + z + w)**d`` of growing size,

prints the log-log growth exponent of time against the number of monomials (the build time
includes the naive baseline that construct reports, whose size grows as monomials times
degree; its share is printed), and the speed
ratio of ``quadtheory.verify`` against verifying the same network by ``sympy.expand`` of its
symbolic output (``network.symbolic()``, expanded, minus the expanded target, must be 0),
measured in the same run, on the largest sweep case where that baseline finishes within the
time limit (60 s). ``expand`` cannot remove a relu's ``Max``, so the baseline takes every
relu as the identity: it assumes the signs that quadtheory proves, and still does less work.
Both the default relu networks and identity-activation networks are measured.

Run: ``python benchmarks/bench_construct.py`` (``--quick`` for a short sweep).
"""

from __future__ import annotations

import argparse
import functools
import math
import multiprocessing
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import sympy

from quadtheory import PolynomialRing, construct, verify

X, Y, Z, W = sympy.symbols("x y z w")


def timed(call):
    start = time.perf_counter()
    result = call()
    return result, time.perf_counter() - start


def baseline_seconds(expr: sympy.Expr, activation: str) -> float:
    """The time of the naive baseline construct reports (each monomial its own product tree),
    built on its own (``construct(naive=True)``, unverified): an upper estimate of its share."""
    _, seconds = timed(lambda: construct(expr, activation=activation, verify=False, naive=True))
    return seconds


def run_quadtheory(expr: sympy.Expr, activation: str, repeat: int = 3) -> dict:
    """construct (no verification), then verify: the best of ``repeat`` timings (a shared
    machine is noisy), and counts."""
    builds, checks, baselines = [], [], []
    for _ in range(repeat):
        net, build = timed(lambda: construct(expr, activation=activation, verify=False))
        cert, check = timed(functools.partial(verify, net, expr))
        assert cert.holds, cert
        builds.append(build)
        checks.append(check)
        baselines.append(baseline_seconds(expr, activation))
    return {"net": net, "build": min(builds), "verify": min(checks),
            "total": min(b + c for b, c in zip(builds, checks)), "baseline": min(baselines),
            "monomials": len(sympy.Poly(expr, *sorted(expr.free_symbols, key=str)).terms())}


def _expand_check(expr: sympy.Expr, activation: str, queue) -> None:
    net = construct(expr, activation=activation, verify=False)
    start = time.perf_counter()
    (out,) = net.symbolic()
    # Each relu taken as the identity: the signs quadtheory proves, assumed for free.
    out = out.replace(sympy.Max, lambda *args: sympy.Add(*args))
    equal = sympy.expand(out - expr) == 0
    queue.put((equal, time.perf_counter() - start))


def run_expand(expr: sympy.Expr, activation: str, limit: float) -> float | None:
    """Seconds for the sympy.expand verification of the network, or None past ``limit``
    (run in a child process, so that it can be stopped)."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=_expand_check, args=(expr, activation, queue))
    child.start()
    child.join(limit + 30)  # the child also constructs the network
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    equal, seconds = queue.get()
    assert equal, "sympy.expand disagrees with the network"
    return seconds if seconds <= limit else None


def row(name: str, result: dict) -> str:
    net = result["net"]
    return (f"{name:<24} {result['monomials']:>6} {net.depth:>5} {net.params.dense:>9} "
            f"{net.params.nonzero:>7} {result['build']:>9.3f} {result['baseline']:>10.3f} "
            f"{result['verify']:>9.3f} {result['total']:>9.3f}")


HEADER = (f"{'case':<24} {'terms':>6} {'depth':>5} {'dense':>9} {'nonzero':>7} "
          f"{'build s':>9} {'(naive) s':>10} {'verify s':>9} {'total s':>9}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short sweep (d <= 8)")
    parser.add_argument("--limit", type=float, default=60.0,
                        help="seconds allowed to the sympy.expand baseline (default 60)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="quadtheory timings are the best of this many (default 3)")
    args = parser.parse_args()
    repeat = max(1, args.repeat)
    backend = PolynomialRing(("x",)).backend
    print(f"python {platform.python_version()}, sympy {sympy.__version__}, "
          f"polynomial backend {backend}, {platform.processor() or 'cpu'}")
    print()
    print(HEADER)
    dense8 = (1 + X + Y + Z + W) ** 8
    cheb = sympy.chebyshevt(64, X)
    results: dict[tuple[str, str], dict] = {}  # (case, activation) -> run_quadtheory

    def ours(name: str, expr: sympy.Expr, activation: str) -> dict:
        if (name, activation) not in results:
            results[name, activation] = run_quadtheory(expr, activation, repeat)
        return results[name, activation]

    for name, expr in [("(a) (1+x+y+z+w)^8", dense8), ("(b) Chebyshev T_64(x)", cheb)]:
        for activation in ("relu", "identity"):
            print(row(f"{name[:4]}{activation}", ours(name, expr, activation)))
    print()
    degrees = range(2, 9) if args.quick else range(2, 15)
    cases = [(f"d = {d}", (1 + X + Y + Z + W) ** d) for d in degrees]
    print("(c) sweep (1 + x + y + z + w)^d, relu on [-1, 1]^4")
    print(HEADER)
    sweep = []
    for name, expr in cases:
        sweep.append(ours(name, expr, "relu"))
        print(row(name, sweep[-1]))
    terms = np.log([r["monomials"] for r in sweep])
    for r in sweep:
        r["lean build"] = r["build"] - r["baseline"]
    for key in ("build", "lean build", "verify", "total"):
        times = np.log([max(r[key], 1e-6) for r in sweep])
        big = terms >= terms[len(terms) // 2]  # the larger half: asymptotic growth
        slope = np.polyfit(terms[big], times[big], 1)[0]
        print(f"growth exponent of {key} time vs number of monomials (log-log fit, larger "
              f"half): {slope:.2f}")
    print()
    best = {}
    for activation in ("relu", "identity"):
        print(f"speed ratio: quadtheory.verify against sympy.expand of network.symbolic() "
              f"({activation} networks, limit {args.limit:.0f} s)")
        print(f"{'case':<24} {'terms':>6} {'expand s':>10} {'verify s':>10} {'ratio':>8}")
        past_limit = False
        for name, expr in [*cases, ("(b) Chebyshev T_64(x)", cheb)]:
            if past_limit and name.startswith("d"):
                continue  # the sweep stops at its first case past the limit
            mine = ours(name, expr, activation)
            baseline = run_expand(expr, activation, args.limit)
            if baseline is None:
                print(f"{name:<24} {mine['monomials']:>6} {'> limit':>10} "
                      f"{mine['verify']:>10.4f}")
                past_limit = True
                continue
            if name.startswith("d"):
                best[activation] = (name, mine, baseline)
            print(f"{name:<24} {mine['monomials']:>6} {baseline:>10.3f} "
                  f"{mine['verify']:>10.4f} {baseline / mine['verify']:>7.1f}x")
        print()
    for activation, (name, mine, baseline) in best.items():
        print(f"{activation}: largest sweep case within the limit, {name} ({mine['monomials']} "
              f"monomials): verify {mine['verify']:.3f} s, construct + verify "
              f"{mine['total']:.3f} s, sympy.expand {baseline:.2f} s: "
              f"{baseline / mine['verify']:.1f}x ({baseline / mine['total']:.1f}x counting "
              f"construction)")
    return 0 if math.isfinite(sweep[-1]["total"]) else 1


if __name__ == "__main__":
    sys.exit(main())
