"""Every module in proofs/ proves its statement, and the proof machinery can say no.

Modules are found with pkgutil over the proofs directory and imported by file path, so the
test works whether or not ``proofs`` is importable as a package.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import pkgutil
import sys
from fractions import Fraction
from pathlib import Path
from types import ModuleType

import pytest
import sympy

import quadtheory as qt

PROOFS = Path(__file__).resolve().parent.parent / "proofs"
LEVELS = ("symbolic proof", "exhaustive", "sampled", "cited")
MODULES = sorted(info.name for info in pkgutil.iter_modules([str(PROOFS)]))


@functools.cache
def load(name: str) -> ModuleType:
    """The proof module ``name``, imported from its file under a private module name."""
    path = PROOFS / name / "__init__.py" if (PROOFS / name).is_dir() else PROOFS / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_proofs_under_test.{name}", path)
    assert spec is not None and spec.loader is not None, f"cannot import {path}"
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and pickling look modules up here
    spec.loader.exec_module(module)
    return module


def test_the_proofs_are_found() -> None:
    assert "quadratic_neuron" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_module_states_its_statement(name: str) -> None:
    module = load(name)
    assert isinstance(module.STATEMENT, str) and module.STATEMENT.strip()
    docstring = " ".join((module.__doc__ or "").split())
    assert " ".join(module.STATEMENT.split()) in docstring, (
        f"proofs/{name}: the module docstring must state STATEMENT")


@pytest.mark.parametrize("name", MODULES)
def test_check_proves_the_statement(name: str) -> None:
    module = load(name)
    cert = module.check()
    assert isinstance(cert, qt.Certificate)
    assert cert.holds, str(cert)
    assert cert.level in LEVELS
    assert cert.statement == module.STATEMENT
    assert cert.checks and cert.seconds >= 0
    json.dumps(cert.as_dict())  # ready for a network file's meta


# -- the machinery says no to wrong statements -----------------------------------------------

QN = "quadratic_neuron"
x1, x2 = sympy.symbols("x1 x2")


def _abs_xy(m: ModuleType) -> qt.Network:
    """``relu(xy) + relu(−xy) = |xy|``: the relu product pair with the wrong read-out."""
    pair = qt.Network(("x", "y"), m.product_network("relu").layers[:1])
    return qt.readout(pair, [[1, 1]])


WRONG = {
    "x² is not x² + 1": lambda m: qt.verify(m.square_network(), "x**2 + 1"),
    "(x)(y) is not xy + x": lambda m: qt.verify(m.product_network("identity"), "x*y + x"),
    "relu(xy) − relu(−xy) is not −xy": lambda m: qt.verify(m.product_network("relu"), "-x*y"),
    "|xy| is not xy": lambda m: qt.verify(_abs_xy(m), "x*y"),
    "‖x − (1, 2)‖² is not (x1 − 1)² + x2²": lambda m: qt.verify(
        m.distance_network([1, 2]), (x1 - 1)**2 + x2**2),
}


@pytest.mark.parametrize("label", WRONG)
def test_wrong_statements_do_not_hold(label: str) -> None:
    cert = WRONG[label](load(QN))
    assert isinstance(cert, qt.Certificate)
    assert not cert.holds, f"{label}: {cert}"


def test_a_broken_construction_fails_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    module = load(QN)
    original = module.distance_network
    # The centre folded in with the wrong sign: ‖x + c‖² instead of ‖x − c‖².
    monkeypatch.setattr(module, "distance_network", lambda centre, activation="relu": original(
        [-Fraction(v) for v in centre], activation))
    cert = module.check()
    assert not cert.holds
    failing = [part["statement"] for part in cert.details["parts"] if not part["holds"]]
    assert len(failing) == len(module.CENTRES), str(cert)
    assert all(statement.startswith("‖x−c‖²") for statement in failing), str(cert)
