"""The package's shape: imports point one way between the subpackages of ``quadtheory/_src``,
no module imports inside function bodies (but the lazy heavy ones), and notebooks and
benchmarks use only public names.

The layers, bottom to top, and why this order: errors < core (the network form) < exact
(verification) < conventional (ReLU constructions) < quadratic (quadratic constructions; a
radial network's profile may be a ReLU interpolant, so quadratic uses conventional) < nn
(torch layers over the core) < bounds (lower bounds and comparisons of both families) <
theorems (approximation theorems built on both families and the bounds) < render (reports,
LaTeX, plots of everything below) < crosscheck (sweeps write their reports and figures while
they run, so they draw with render's style) < studies < realdata < teaching (the course's
exercises check answers with everything below; the course listing and the docs site) < cli.
"""

from __future__ import annotations

import ast
import functools
import json
import re
from pathlib import Path

import pytest

import quadtheory

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "quadtheory" / "_src"
LAYERS = ["errors", "version", "core", "exact", "conventional", "quadratic", "nn", "bounds",
          "theorems", "render", "crosscheck", "studies", "realdata", "teaching", "cli"]
# Lazy imports allowed inside functions: heavy or optional, imported only when used.
LAZY = ("torch", "matplotlib", "tqdm", "quadtheory.nn", "flint", "dask", "distributed",
        "scipy", "sklearn", "pandas", "IPython",
        "quadtheory._src.crosscheck.training")  # training imports torch


def _package(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] != ["quadtheory", "_src"] or len(parts) < 3:
        return None
    return parts[2]


@functools.cache  # three tests read every source: each is parsed once
def _imports(path: Path) -> list[tuple[str, ast.AST, bool]]:
    """(absolute module, node, inside a function) for every import of a module of _src."""
    tree = ast.parse(path.read_text())
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module
    inside = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
              for n in ast.walk(f) if isinstance(n, ast.Import | ast.ImportFrom)}
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and "TYPE_CHECKING" in ast.unparse(block.test)
                   for n in ast.walk(block)}
    out = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out.append((target, node, id(node) in inside))
        elif isinstance(node, ast.Import):
            out += [(alias.name, node, id(node) in inside) for alias in node.names]
    return out


SOURCES = sorted(SRC.rglob("*.py"))


def test_every_subpackage_has_a_layer():
    packages = {p.relative_to(SRC).parts[0].removesuffix(".py") for p in SOURCES}
    assert packages - {"__init__"} <= set(LAYERS), packages - set(LAYERS)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_down(path):
    own = path.relative_to(SRC).parts[0].removesuffix(".py")
    for target, node, _ in _imports(path):
        package = _package(target)
        if package is None or package == own:
            continue
        assert LAYERS.index(package) < LAYERS.index(own), (
            f"{path.relative_to(ROOT)}:{node.lineno}: {own} imports {target} (a layer above)")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_imports_inside_functions_but_lazy_ones(path):
    for target, node, inside in _imports(path):
        if inside:
            assert target.startswith(LAZY), (
                f"{path.relative_to(ROOT)}:{node.lineno}: import of {target} inside a function")


def test_no_cycles_between_modules():
    graph: dict[str, set[str]] = {}
    for path in SOURCES:
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        graph[module] = {t for t, _, inside in _imports(path)
                         if not inside and t.startswith("quadtheory._src")}
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*stack, node, nxt]))
            if nxt in graph and not state.get(nxt):
                visit(nxt, [*stack, node])
        state[node] = 2

    for module in graph:
        if not state.get(module):
            visit(module, [])


def test_the_facade_only_reexports():
    tree = ast.parse((ROOT / "quadtheory" / "__init__.py").read_text())
    for node in tree.body:
        assert isinstance(node, ast.ImportFrom | ast.Expr), ast.unparse(node)
        if isinstance(node, ast.ImportFrom):
            assert all(alias.asname == alias.name for alias in node.names), ast.unparse(node)


def _code_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return path.read_text()


@pytest.mark.parametrize("path", sorted([*ROOT.glob("notebooks/**/*.py"),
                                         *ROOT.glob("notebooks/**/*.ipynb"),
                                         *ROOT.glob("benchmarks/*.py")]),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_notebooks_and_benchmarks_use_public_names(path):
    # Private: a leading underscore, not a dunder (quadtheory.__main__ is an entry point).
    private = re.findall(r"quadtheory\.(?:_(?!_)\w+|\w+\._(?!_)\w+)", _code_of(path))
    assert not private, f"{path.relative_to(ROOT)} uses private modules: {sorted(set(private))}"


def test_public_names_are_documented():
    for name in dir(quadtheory):
        value = getattr(quadtheory, name)
        if name.startswith("_") or not callable(value):
            continue
        assert (value.__doc__ or "").strip(), f"quadtheory.{name} has no docstring"
