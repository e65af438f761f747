"""Each notebook executed once per test session, shared by the tests that read its outputs.

``tests/test_notebooks.py`` (it runs top to bottom, its exercises fail gracefully) and
``tests/teaching/test_figures.py`` (its figures are all there) read the same executed copy: a
notebook is executed at most once per session, and an execution error is kept and raised
again to every test that asks for that notebook.

A notebook runs with nbclient on a temporary copy (the repository file is never touched), in a
kernel whose ``PYTHONPATH`` puts this checkout's quadtheory first and whose matplotlib backend
is the inline one (``matplotlib_inline``, what Jupyter uses): no windows, and every figure a
cell shows becomes an ``image/png`` output, as a reader would see it.
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

import pytest

ROOT = Path(__file__).resolve().parent.parent
CELL_TIMEOUT_S = 120
INLINE = "module://matplotlib_inline.backend_inline"

_runs: dict[Path, Any] = {}  # path -> the executed notebook, or the error it raised


def need(module: str) -> ModuleType:
    """Import a test dependency, failing (never skipping) with the fix when it is missing."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        pytest.fail(f"{module} is needed to test the notebooks ({error}); "
                    f"install the test extras: pip install -e '.[test]'")


def read(path: Path) -> Any:  # an nbformat NotebookNode
    return need("nbformat").read(path, as_version=4)


def executed(path: Path) -> Any:
    """The notebook at ``path`` after running it top to bottom (once per session)."""
    path = path.resolve()
    if path not in _runs:
        try:
            _runs[path] = _execute(path)
        except Exception as error:  # kept: every later test of this notebook fails alike
            _runs[path] = error
    run = _runs[path]
    if isinstance(run, Exception):
        raise run
    return run


def _execute(path: Path) -> Any:
    nbclient = need("nbclient")
    need("ipykernel")
    need("matplotlib_inline")
    env = {"MPLBACKEND": INLINE, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    with tempfile.TemporaryDirectory() as folder, mock.patch.dict(os.environ, env):
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        notebook = read(copy)
        client = nbclient.NotebookClient(notebook, timeout=CELL_TIMEOUT_S,
                                         kernel_name="python3",
                                         resources={"metadata": {"path": folder}})
        client.execute()  # raises CellExecutionError naming the cell and the traceback
    return notebook
