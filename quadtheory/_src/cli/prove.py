"""``quadtheory prove [NAME ...]``: run the statements of ``proofs/`` and say which hold.

Each module of the checkout's ``proofs/`` folder states one statement (``STATEMENT``) and
proves or checks it (``check() -> Certificate``; see ``proofs/README.md``). ``--list`` names
them; ``--full`` runs the slow versions (``check(full=True)`` where a module has one);
``--json [FILE]`` gives ``[{"name", "statement", "level", "holds", "seconds"}]``. Exit 1 if
any statement fails (a check that raises fails too, with its error).
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import pkgutil
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from ..core.text import format_table
from ..errors import QuadTheoryError
from ..exact.certificate import Certificate
from . import options

CHECKOUT = Path(__file__).resolve().parents[3] / "proofs"


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "prove", help="run the statements of proofs/ (each a certificate); exit 1 if one fails",
        description="Run the proof modules of proofs/: each proves or checks one statement "
                    "about quadratic networks and returns a certificate (symbolic proof, "
                    "exhaustive, sampled or cited). Exit 1 if any statement fails.")
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="the modules to run (default: all; see --list)")
    parser.add_argument("--list", action="store_true", help="list the modules and statements")
    parser.add_argument("--full", action="store_true",
                        help="the slow versions (larger eps grids), where a module has one")
    parser.add_argument("--dir", metavar="DIR",
                        help="the proofs folder (default: proofs/ of this checkout, else "
                             "./proofs)")
    options.add_json(parser, "[{name, statement, level, holds, seconds}]")
    parser.set_defaults(func=run)


def proofs_folder(given: str | None) -> Path:
    """The folder holding the proof modules."""
    candidates = [Path(given)] if given else [CHECKOUT, Path("proofs")]
    for folder in candidates:
        if folder.is_dir():
            return folder
    raise QuadTheoryError(f"proofs folder {str(candidates[0])!r} not found; expected a "
                          "checkout of quadtheory (or --dir DIR)")


def module_names(folder: Path) -> list[str]:
    return sorted(info.name for info in pkgutil.iter_modules([str(folder)])
                  if not info.name.startswith("_"))


def load(folder: Path, name: str) -> ModuleType:
    """The proof module ``name``, imported from its file under a private module name."""
    path = folder / name / "__init__.py" if (folder / name).is_dir() else folder / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_quadtheory_proofs.{name}", path)
    if spec is None or spec.loader is None:
        raise QuadTheoryError(f"cannot import the proof module {str(path)!r}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def run_one(module: ModuleType, full: bool) -> Certificate:
    """``module.check()``, with ``full=True`` when asked and the module has a full version."""
    check = module.check
    if full and "full" in inspect.signature(check).parameters:
        return check(full=True)
    return check()


def _result(name: str, module: ModuleType, full: bool) -> dict[str, Any]:
    start = time.perf_counter()
    try:
        cert = run_one(module, full)
    except Exception as error:  # a check that raises is a failed statement, reported
        return {"name": name, "statement": module.STATEMENT, "level": None, "holds": False,
                "seconds": round(time.perf_counter() - start, 3),
                "error": f"{type(error).__name__}: {error}"}
    if not isinstance(cert, Certificate) or cert.statement != module.STATEMENT:
        return {"name": name, "statement": module.STATEMENT, "level": None, "holds": False,
                "seconds": round(time.perf_counter() - start, 3),
                "error": "check() did not return a certificate of STATEMENT"}
    return {"name": name, "statement": cert.statement, "level": cert.level,
            "holds": cert.holds, "seconds": round(cert.seconds, 3), "certificate": cert}


def run(args: argparse.Namespace) -> int:
    folder = proofs_folder(args.dir)
    available = module_names(folder)
    unknown = [n for n in args.names if n not in available]
    if unknown:
        raise QuadTheoryError(f"unknown proof module {unknown[0]!r}; expected one of "
                              f"{', '.join(available)}")
    names = args.names or available
    if args.list:
        options.refuse(args, {"json": "--json"}, "--list prints the modules; drop one of them")
        rows = [[name, " ".join(load(folder, name).STATEMENT.split())] for name in names]
        print(format_table(["name", "statement"], rows))
        return 0
    results = []
    for name in names:
        result = _result(name, load(folder, name), args.full)
        results.append(result)
        if args.json != options.STDOUT:
            verdict = "holds" if result["holds"] else "FAILS"
            print(f"{name}: {verdict} ({result['level'] or 'no certificate'}, "
                  f"{result['seconds']:.1f} s): {result['statement']}")
            if "error" in result:
                print(f"  error: {result['error']}")
            elif not result["holds"]:
                print("\n".join("  " + line for line in str(result["certificate"]).splitlines()))
    data = [{k: v for k, v in r.items() if k != "certificate"} for r in results]
    if args.json:
        note = options.emit(json.dumps(data), args.json)
        if note:
            print(note)
    if args.json != options.STDOUT:
        held = sum(r["holds"] for r in results)
        print(f"{held} of {len(results)} statements hold")
    return 0 if all(r["holds"] for r in results) else 1
