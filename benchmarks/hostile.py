"""Hostile inputs against the command line and the library: does every one end cleanly?

Each call runs in a forked child of this process (quadtheory imported once), in a fresh
temporary directory, with a wall-clock limit (``--timeout``, default 30 s) and an address-space
limit (``--memory``, default 2 GiB). Outcomes:

- ``clean``: success, or a user error (exit 2 / ``QuadTheoryError``) reported on one line;
- ``traceback``: any other exception, or a multi-line error;
- ``hang``: killed at the time limit;
- ``memory``: a ``MemoryError``, or killed by the memory limit;
- ``harm``: a file outside the call's own outputs was created, replaced or removed (the
  canary folder and the special targets are compared before and after).

It prints one row per category (calls, then each outcome) and, with ``--show``, every call that
did not end cleanly. Categories: expressions in every option place that takes one, malformed
network files through ``info``/``eval``/``load``, hostile option values, and public library
functions called with wrong types (calls whose arguments do not bind to the signature are
not sent: Python refuses them before any quadtheory code runs), and each option of the
public functions (every parameter with a default) given a bad value by keyword.
``--quick`` runs a sample of each.

    python benchmarks/hostile.py --quick
    python benchmarks/hostile.py --only keyword --show   # every option of the library
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import inspect
import io
import json
import os
import random
import resource
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

import quadtheory as qt

cli = None  # the command line's entry point, set by main()
NET = qt.construct("x**2", verify=False).network  # a valid network argument ("NET" below)

EXPRESSIONS = [
    "__import__('os').system('touch PWNED')", "x.__class__", "lambda: 1", "(1+x)**10000",
    "x**10000", "1e400*x**2", "pi**10000", "9" * 5000, "x" * 100_000, "(" * 500 + "x" + ")" * 500,
    "x**(10**10)", "exp(exp(exp(x)))", "1/0", "0**-1", "zoo", "nan", "oo*x", "x**-1",
    "sqrt(-1)*x", "θ**2", "é*x", "x_1*__y", "sin(x)**2", "log(0)", "x;y", "x,y", "", "   ",
    "x**2 + ", "import os", "[x]", "{x: 1}", "x if y else z", "x and y", "x @ y",
    "+".join(f"v{k}" for k in range(1000)), "*".join(f"v{k}" for k in range(200)),
    "(x+y)**450", "(x+y+z+w)**200", "10**10**10", "x**0.5", "x**(1/3)", "abs(x)", "Max(x, 0)",
    "chebyshevt(1000, chebyshevt(1000, chebyshevt(1000, x)))", "chebyshevt(10**9, x)",
    "chebyshevt(1000, x + y + z)", "chebyshevt(x, 3)",
]
PLACES = [
    lambda e: ["construct", e],
    lambda e: ["construct", e, "--family", "relu", "--eps", "1e-2"],
    lambda e: ["radial", e, "--dim", "2", "--eps", "1e-3"],
    lambda e: ["bounds", e, "--eps", "1e-2"],
    lambda e: ["compare", e, "--eps", "1e-2"],
    lambda e: ["bounds", f"radial:{e}", "--dim", "2", "--eps", "1e-2"],
    lambda e: ["crosscheck", e, "--quick", "--steps", "5", "--widths", "1", "--depths", "1"],
    lambda e: ["construct", "x**2", "--eps", e, "--family", "relu"],
    lambda e: ["eval", "good.json", "--at", f"x={e}"],
]
OPTIONS = [
    ["construct", "x**2", "--json", "/dev/full"], ["construct", "x**2", "--json", "link.json"],
    ["construct", "x**2", "--json", "."], ["construct", "x**2", "--json", ""],
    ["construct", "x**2", "--eps", "abc"], ["construct", "x**2", "--domain", "1:0"],
    ["construct", "x**2", "--domain", "all", "--family", "relu", "--eps", "1e-2"],
    ["compare", "1e400", "--eps", "1e-2"], ["compare", "x**2", "--eps", "1e400"],
    ["compare", "x**2", "--eps", "1e-2", "--plot", "/nonexistent/x.png"],
    ["compare", "x**2", "--eps", "1e-2", "--plot", "out.unknownext"],
    ["radial", "exp(-r**2)", "--dim", "2", "--eps", "1e400"],
    ["radial", "exp(-r**2)", "--dim", "1000000000", "--eps", "1e-2"],
    ["radial", "exp(-r**2)", "--dim", "2", "--eps", "1e-12"],
    ["bounds", "x**2", "--eps", "1e-2", "--depth", "100000"],
    ["bounds", "x**2", "--eps", "1e-30"], ["bounds", "x**2", "--eps", "1e-400"],
    ["bounds", "x**2", "--eps", "nan"], ["bounds", "x**2", "--eps", "-1"],
    ["crosscheck", "x**2", "--quick", "--lr", "-1"], ["crosscheck", "x**2", "--quick", "--lr", "0"],
    ["crosscheck", "x**2", "--quick", "--quadratic-lr", "nan"],
    ["crosscheck", "x**2", "--quick", "--depths", "1000"],
    ["crosscheck", "x**2", "--quick", "--widths", "999999999"],
    ["crosscheck", "x**2", "--quick", "--seeds", "1000000000"],
    ["crosscheck", "x**2", "--quick", "--jobs", "1000"], ["crosscheck", "x**2", "--out", ""],
    ["eval", "good.json", "--at", "x=" + "9" * 4000], ["eval", "good.json", "--at", "y=1"],
    ["eval", "/dev/zero", "--at", "x=1"], ["info", "/dev/zero"], ["info", "."],
    ["tour", "--bogus"], ["--bogus"], ["construct"], ["radial", "r", "--dim", "-1"],
]
GOOD = {"format": "quadtheory-network", "version": 1, "inputs": ["x"], "domain": [["-1", "1"]],
        "layers": [{"kind": "quadratic", "activation": "identity", "w_r": [[1]], "b_r": [0],
                    "w_g": [[1]], "b_g": [0], "w_b": [[0]], "c": [0]}]}


def _files(rng: random.Random, count: int) -> list[bytes]:
    """Malformed network files: structural edits and random byte mutations of a good one."""
    good = json.dumps(GOOD).encode()
    edits = [
        {**GOOD, "version": 1.0}, {**GOOD, "meta": {"trained": "yes"}}, {**GOOD, "inputs": []},
        {**GOOD, "layers": []}, {**GOOD, "layers": [{"kind": "conventional", "activation":
                                                      "identity", "w": {"shape": [10**9, 1],
                                                                        "entries": []},
                                                      "b": "0"}]},
        {**GOOD, "domain": [["1", "0"]]}, {**GOOD, "inputs": ["nan"]}, {**GOOD, "inputs": ["zoo"]},
    ]
    out = [json.dumps(e).encode() for e in edits]
    out += [b"[" * 990 + b"]" * 990, b"9" * 100_000, json.dumps(
        {**GOOD, "layers": [{**GOOD["layers"][0], "w_r": [["9" * 100_000]]}]}).encode()]
    deep = {**GOOD, "layers": [{**GOOD["layers"][0], "activation": "identity"}] * 40,
            "domain": [["2", "3"]]}
    out.append(json.dumps(deep).encode())
    while len(out) < count:
        data = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            k = rng.randrange(len(data))
            data[k] = rng.choice(b'0123456789{}[]",:-./e abcxyz\\')
        out.append(bytes(data))
    return out[:count]


def _library_calls() -> list[tuple[str, object]]:
    import numpy as np

    values = [None, [1, 2], b"x**2", float("nan"), float("inf"), -3, np.arange(3), "x**2", {}]
    names = [n for n in dir(qt) if not n.startswith("_") and callable(getattr(qt, n))
             and not isinstance(getattr(qt, n), type)]
    calls = []
    for name in names:
        signature = inspect.signature(getattr(qt, name))
        for value in values:
            for args in ((value,), ("x**2", value)):
                if all(isinstance(a, str) and a == "x**2" for a in args):
                    continue  # no wrong type at all (crosscheck("x**2") trains for minutes)
                # A call with too few or too many arguments fails in Python's own binding,
                # before any quadtheory code runs (a TypeError naming the parameter): not
                # what this category measures, so not sent.
                try:
                    signature.bind(*args)
                except TypeError:
                    continue
                label = ", ".join(["'x**2'"] * (len(args) - 1) + [f"{value!r:.30}"])
                calls.append((f"qt.{name}({label})", (name, args)))
    return calls


# Valid leading arguments per public function, for the keyword category: each parameter with
# a default then gets each bad value by keyword. Training and data functions (bearing, pilot,
# crosscheck, study) are left out: a valid call of theirs trains for minutes.
_LEADING = {
    "construct": ("x**2",), "radial": ("1-r**2", 2), "bounds": ("x**2", "1/10"),
    "radial_bounds": ("r**2", 2, "1/10"), "compare": ("x**2", ["1/10"]),
    "relu_construct": ("x**2", "1/10"), "relu_radial": ("r**2", 1, "1/10"),
    "taylor_construct": ("exp(x)",), "taylor_counts": (2, 3, "1/100"),
    "taylor_rates": ("exp(x)", ["1/10"]), "manifold_construct": ("x**2", "circle", 2, "1/10"),
    "verify_approximation": ("NET", "x**2", "1/10"), "verify": ("NET", "x**2"),
    "sup_error": ("NET", "x**2"), "pieces": ("NET",), "linear_pieces": ("NET",),
    "network_polynomials": ("NET",), "bound_check": ("NET", "x**2"), "readout": ("NET", [1]),
    "cluster_points": ("balls", 2, 2), "separate": ([[0, 0], [1, 1]], [0, 1]),
    "barron_target": (2,), "yarotsky_square": (2,), "min_dense_params": (8, 1, 1),
    "chebyshev_index_plan_exists": (17, 10, 7), "quadratic_layer": ([[1]],),
    "conventional_layer": ([[1]],), "parse_expression": ("x",), "monomial_counts": (),
    "dense_polynomial_counts": (),
}


def _keyword_calls() -> list[tuple[str, object]]:
    from fractions import Fraction

    import numpy as np

    values = [None, [1, 2], b"x", float("nan"), float("inf"), -3, 10**12, "abc", {},
              np.arange(3), Fraction(-1, 3)]
    calls = []
    for name, leading in _LEADING.items():
        signature = inspect.signature(getattr(qt, name))
        for parameter in signature.parameters.values():
            if parameter.default is inspect.Parameter.empty or parameter.kind in (
                    parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue
            for value in values:
                try:  # a parameter the leading arguments already fill is not sent
                    signature.bind(*leading, **{parameter.name: value})
                except TypeError:
                    continue
                shown = ", ".join(map(repr, leading))
                label = f"qt.{name}({shown}, {parameter.name}={value!r:.30})"
                calls.append((label[:120], (name, leading, {parameter.name: value})))
    return calls


def _snapshot(folder: Path) -> dict[str, tuple[int, float]]:
    return {str(p.relative_to(folder)): (p.lstat().st_mode, p.lstat().st_mtime)
            for p in folder.rglob("*")}


def _child(call: tuple[str, object], folder: Path, memory: int, timeout: int) -> int:
    """Run one call in this (forked) process; the exit code encodes the outcome."""
    os.chdir(folder)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    signal.alarm(timeout)
    err = io.StringIO()
    kind, payload = call
    try:
        if kind == "cli":
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
                code = cli(payload)
            text = err.getvalue().strip()
            if code not in (0, 1, 2) or "Traceback" in text or text.count("\n") > 0:
                return 11
            return 0
        if kind == "load":
            qt.load(payload)
            return 0
        name, args, *more = payload
        args = [NET if isinstance(arg, str) and arg == "NET" else arg for arg in args]
        getattr(qt, name)(*args, **(more[0] if more else {}))
        return 0
    except qt.QuadTheoryError as error:
        return 0 if "\n" not in str(error) else 11
    except MemoryError:
        return 12
    except SystemExit as stop:
        return 0 if stop.code in (0, 1, 2) else 11
    except BaseException:
        with (folder / ".traceback").open("w") as handle:
            traceback.print_exc(file=handle)
        return 11


def run(call: tuple[str, object], memory: int, timeout: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "good.json").write_text(json.dumps(GOOD))
        (folder / "target.json").write_text("{}")
        os.symlink("target.json", folder / "link.json")
        before = _snapshot(folder)
        device = Path("/dev/full").is_char_device()  # harm is charged to the call that did it
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            code = 11
            try:
                code = _child(call, folder, memory, timeout)
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        elapsed = time.perf_counter() - start
        after = _snapshot(folder)
        changed = {k for k in before if k not in after or after[k][0] != before[k][0]}
        changed |= {k for k in ("link.json",) if k in after and not os.path.islink(folder / k)}
        stray = {k for k in after if k not in before and k.startswith(".") and k != ".traceback"}
        if changed or stray or (device and not Path("/dev/full").is_char_device()):
            return "harm"
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            return "hang" if sig == signal.SIGALRM or elapsed >= timeout else "memory"
        code = os.WEXITSTATUS(status)
        return {0: "clean", 11: "traceback", 12: "memory"}.get(code, "traceback")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a sample of each category")
    parser.add_argument("--timeout", type=int, default=30)
    parser.add_argument("--memory", type=int, default=2 * 2**30)
    parser.add_argument("--show", action="store_true", help="list every call not clean")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", metavar="TEXT", default="",
                        help="run only the categories whose name contains TEXT (e.g. keyword)")
    parser.add_argument("--main", metavar="MODULE:FUNCTION",  # another version's entry point
                        help="the command line's entry point, for another version of quadtheory "
                             "(default: quadtheory.__main__:main)")
    args = parser.parse_args()
    global cli
    module, _, function = (args.main or "quadtheory.__main__:main").partition(":")
    cli = getattr(importlib.import_module(module), function)
    rng = random.Random(args.seed)
    categories: dict[str, list[tuple[str, tuple[str, object]]]] = {
        "expressions x option places": [(" ".join(p(e))[:80], ("cli", p(e)))
                                         for e in EXPRESSIONS for p in PLACES],
        "malformed network files x info/eval/load": [],
        "options": [(" ".join(o)[:80], ("cli", o)) for o in OPTIONS],
        "library API, wrong types": [(label, ("api", payload))
                                     for label, payload in _library_calls()],
        "library API, options by keyword": [(label, ("api", payload))
                                            for label, payload in _keyword_calls()],
    }
    with tempfile.TemporaryDirectory() as keep:
        for k, data in enumerate(_files(rng, 120)):
            path = Path(keep) / f"bad{k}.json"
            path.write_bytes(data)
            categories["malformed network files x info/eval/load"] += [
                (f"info bad{k}.json", ("cli", ["info", str(path)])),
                (f"eval bad{k}.json", ("cli", ["eval", str(path), "--at", "x=2"])),
                (f"load bad{k}.json", ("load", str(path)))]
        outcomes = ("clean", "traceback", "hang", "memory", "harm")
        print(f"{'category':45} {'tried':>6} " + " ".join(f"{o:>9}" for o in outcomes))
        for name, calls in categories.items():
            if args.only not in name:
                continue
            if args.quick:
                calls = rng.sample(calls, min(len(calls), 40))
            counts: Counter[str] = Counter()
            for label, call in calls:
                outcome = run(call, args.memory, args.timeout)
                counts[outcome] += 1
                if args.show and outcome != "clean":
                    print(f"  {outcome:9} {label}", file=sys.stderr)
            print(f"{name:45} {len(calls):>6} " + " ".join(f"{counts[o]:>9}" for o in outcomes))


if __name__ == "__main__":
    main()
