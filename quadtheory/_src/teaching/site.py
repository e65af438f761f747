"""The documentation site: README-level guide pages, the docs/ pages, the API reference from
docstrings, the proofs table and the course's notebooks executed with their figures, built
by Sphinx with myst-nb (``python -m quadtheory.docs``).

The sources live where they are read (README.md, DEVELOPERS.md, the folders' README.md,
docs/*.md, notebooks/NN_*.ipynb, proofs/);
:func:`stage` copies them into one source folder that mirrors the repository, so a link
that works on the code host (``docs/x.md`` from the README) works on the site, and adds the
generated pages: ``api.md`` (autodoc of the public modules) and ``proofs.md`` (each proof
module's statement and docstring, and the certificate its ``check()`` returned during this
build, at its stated level). :func:`build` runs Sphinx on it with ``docs/conf.py``, warnings
as errors. The proofs are those of Fan et al., arXiv:2303.06316, and the works they cite.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from ..core.limits import integer
from ..errors import QuadTheoryError
from .course import CHECKOUT, NOTEBOOK

PUBLIC = ("quadtheory", "quadtheory.nn", "quadtheory.exercises")
# MathJax 3 from the django-static-mathjax wheel (PyPI): the site draws its math without a
# CDN, so it reads the same offline, on an intranet, and in the browser test.
MATHJAX = ("tex-mml-chtml.js", "output/chtml/fonts/woff-v2")
SITE_FILES = ("conf.py", "site")  # docs/ entries that configure the site, not pages of it
GUIDES = ("README.md", "DEVELOPERS.md")  # the repository's top-level pages
EXTRA = "pip install -e '.[docs]'"


def _docstring(path: Path) -> str:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return ast.get_docstring(tree) or ""


def _statement(path: Path) -> str:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "STATEMENT" for t in node.targets):
            return str(ast.literal_eval(node.value))
    raise QuadTheoryError(f"{path}: no STATEMENT (see proofs/README.md)")


def proof_files(root: Path) -> list[Path]:
    """The proof modules of ``root/proofs``: ``name.py`` or ``name/__init__.py``.

    >>> "quadratic_neuron.py" in [p.name for p in proof_files(CHECKOUT)]
    True
    """
    folder = root / "proofs"
    modules = [p for p in sorted(folder.glob("*.py")) if p.name != "__init__.py"]
    packages = [p / "__init__.py" for p in sorted(folder.iterdir())
                if (p / "__init__.py").exists()] if folder.is_dir() else []
    return sorted(modules + packages, key=lambda p: _proof_name(p))


def _proof_name(path: Path) -> str:
    return path.parent.name if path.name == "__init__.py" else path.stem


def _check(path: Path) -> tuple[str, str, str]:
    """Run the proof's ``check()``: (holds, level, seconds) as the table prints them."""
    spec = importlib.util.spec_from_file_location(f"_proofs_for_docs.{_proof_name(path)}", path)
    if spec is None or spec.loader is None:
        raise QuadTheoryError(f"{path}: cannot import it")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    certificate = module.check()
    return ("yes" if certificate.holds else "NO"), certificate.level, f"{certificate.seconds:.2f}"


def proofs_page(root: Path) -> str:
    """The proofs table: one row per module of proofs/, its statement and the certificate
    its ``check()`` returned while the page was built."""
    rows, sections = [], []
    for path in proof_files(root):
        name = _proof_name(path)
        holds, level, seconds = _check(path)
        statement = " ".join(_statement(path).split()).replace("|", "\\|")
        rows.append(f"| `{name}` | {statement} | {level} | {holds} | {seconds} |")
        sections += [f"## `{name}`", "", "```text", _docstring(path), "```", ""]
    return "\n".join([
        "# Proofs", "",
        "One module of `proofs/` per statement. Each `check()` was run while this page was "
        "built; the table shows the certificate it returned: whether it holds, its level "
        "(symbolic proof, exhaustive over a stated finite set, or sampled) and its time. "
        "Run one by hand with `python -m pytest proofs` or, for one module, "
        "`python -c \"import proofs.quadratic_neuron as p; print(p.check())\"`.", "",
        "| module | statement | level | holds | seconds |", "|---|---|---|---|---|",
        *rows, "", *sections])


def api_page() -> str:
    """The API reference: autodoc of every public module's names, facade order."""
    parts = ["# API reference", "",
             "Every public name, from its docstring. `import quadtheory` does not import torch; "
             "`quadtheory.nn` does.", ""]
    for module in PUBLIC:
        parts += [f"## `{module}`", "", "```{eval-rst}", f".. automodule:: {module}", "```", ""]
    return "\n".join(parts)


def folder_readmes(root: Path) -> list[Path]:
    """The README.md of the repository's folders (proofs/, benchmarks/...), which the guide
    pages link: the site holds them too.

    >>> [p.parent.name for p in folder_readmes(CHECKOUT)]
    ['benchmarks', 'proofs']
    """
    return sorted(p for p in root.glob("*/README.md") if p.parent.name not in
                  ("docs", "notebooks") and not p.parent.name.startswith((".", "_")))


def stage(root: Path, source: Path, notebooks: Path | None = None) -> None:
    """Lay out the site's sources under ``source``, mirroring the repository at ``root``; the
    course's notebooks are taken from ``notebooks`` when given (copies already executed)."""
    if source.exists():
        shutil.rmtree(source)
    (source / "docs").mkdir(parents=True)
    (source / "notebooks").mkdir()
    shutil.copyfile(root / "docs" / "site" / "index.md", source / "index.md")
    for guide in GUIDES:
        shutil.copyfile(root / guide, source / guide)
    for readme in folder_readmes(root):
        (source / readme.parent.name).mkdir()
        shutil.copyfile(readme, source / readme.parent.name / "README.md")
    for entry in (root / "docs").iterdir():
        if entry.name in SITE_FILES or entry.name.startswith(("_", ".")):
            continue
        copy = shutil.copytree if entry.is_dir() else shutil.copyfile
        copy(entry, source / "docs" / entry.name)
    for notebook in (notebooks or root / "notebooks").glob("*.ipynb"):
        if NOTEBOOK.fullmatch(notebook.name):
            shutil.copyfile(notebook, source / "notebooks" / notebook.name)
    (source / "api.md").write_text(api_page(), encoding="utf-8")
    (source / "proofs.md").write_text(proofs_page(root), encoding="utf-8")


def stage_mathjax(static: Path) -> str:
    """Copy MathJax's one-file TeX component and its fonts into ``static/mathjax``; the
    script's path relative to ``static``, for Sphinx's ``mathjax_path``."""
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise QuadTheoryError(f"building the site needs MathJax (django-static-mathjax): {EXTRA}")
    es5 = Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax" / "es5"
    script, fonts = MATHJAX
    if static.exists():
        shutil.rmtree(static)
    (static / "mathjax").mkdir(parents=True)
    shutil.copyfile(es5 / script, static / "mathjax" / script)
    shutil.copytree(es5 / fonts, static / "mathjax" / fonts)
    return f"mathjax/{script}"


def checkout() -> Path:
    """The repository the site is built from: the one this quadtheory runs from (an editable
    install), else the working directory.

    >>> (checkout() / "docs" / "conf.py").exists()
    True
    """
    return CHECKOUT if (CHECKOUT / "docs" / "conf.py").exists() else Path.cwd()


def build(out: Path, root: Path | None = None, *, jobs: int = 2,
          executed: Path | None = None) -> Path:
    """Build the site into ``out/html`` (sources staged in ``out/source``, executed notebooks
    cached in ``out/jupyter_cache``); the path of its index page. Sphinx's warnings are
    errors: a warning fails the build, naming the page. ``executed``: a folder of the course's
    notebooks already executed (with their outputs), shown as they are instead of executed
    again (the test suite runs every notebook once and passes them here).
    """
    root = checkout() if root is None else root
    integer(jobs, "jobs", 1, expected="a number of processes >= 1")
    if importlib.util.find_spec("myst_nb") is None or importlib.util.find_spec("sphinx") is None:
        raise QuadTheoryError(f"building the site needs Sphinx and myst-nb: {EXTRA}")
    if not (root / "docs" / "conf.py").exists() or not (root / "notebooks").is_dir():
        raise QuadTheoryError(f"{root}: not a checkout of quadtheory (no docs/conf.py or "
                              "notebooks/); the site is built from a clone of the repository")
    out = out.resolve()
    source, html = out / "source", out / "html"
    if executed is not None and not executed.is_dir():
        raise QuadTheoryError(f"executed: expected a folder of executed notebooks, found "
                              f"{str(executed)!r}")
    stage(root, source, executed)
    mathjax = stage_mathjax(out / "static")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(root), os.environ.get("PYTHONPATH", "")) if p)}
    env.pop("MPLBACKEND", None)  # the notebooks' kernels draw inline, into the pages
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q",
               "-j", str(jobs), "-c", str(root / "docs"),
               "-D", f"nb_execution_cache_path={out / 'jupyter_cache'}",
               "-D", f"html_static_path={out / 'static'}", "-D", f"mathjax_path={mathjax}",
               *(["-D", "nb_execution_mode=off"] if executed is not None else []),
               "-d", str(out / "doctrees"), str(source), str(html)]
    done = subprocess.run(command, env=env, cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        raise QuadTheoryError("the documentation site did not build (Sphinx warnings are "
                              f"errors):\n{_sphinx_says(done.stderr or done.stdout)}")
    return html / "index.html"


# Lines every executed notebook's kernel logs: not Sphinx's, and not about the site.
_KERNEL_NOISE = ("[IPKernelApp] WARNING | Kernel is running over TCP", "INFO traitlets")


def _sphinx_says(output: str) -> str:
    """Sphinx's own messages (warnings, errors, tracebacks) without the kernels' log lines.

    >>> _sphinx_says("[IPKernelApp] WARNING | Kernel is running over TCP\\n\\nx.md:3: WARNING: y")
    'x.md:3: WARNING: y'
    """
    return "\n".join(line for line in output.splitlines()
                     if line.strip() and not any(noise in line for noise in _KERNEL_NOISE))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m quadtheory.docs [--out DIR]``: build the site; 0 when it built."""
    parser = argparse.ArgumentParser(
        prog="python -m quadtheory.docs",
        description="Build the documentation site (Sphinx + myst-nb) from this checkout: "
                    "guide pages, API reference, proofs table, executed notebooks.")
    parser.add_argument("--out", metavar="DIR",
                        help="output folder; the site is DIR/html (default docs/_build)")
    parser.add_argument("--jobs", type=int, default=2, metavar="N",
                        help="Sphinx processes, which execute notebooks in parallel (default 2)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        root = checkout()
        index = build(Path(args.out) if args.out else root / "docs" / "_build", root,
                      jobs=args.jobs)
    except QuadTheoryError as error:
        print(f"python -m quadtheory.docs: error: {error}", file=sys.stderr)
        return 2
    print(f"built {index} in {time.perf_counter() - start:.0f} s")
    return 0
