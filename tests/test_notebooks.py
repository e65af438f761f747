"""The teaching notebooks and their solutions run top to bottom, are stored without outputs,
match their twins.

Each ``notebooks/*.ipynb`` and ``notebooks/solutions/*.ipynb`` is executed once per session by
``tests/notebook_runs.py`` (nbclient, a temporary copy, this checkout's quadtheory, matplotlib's
inline backend); ``tests/teaching/test_figures.py`` counts the figures of the same run. A
lesson's exercise
cells, still unanswered, must show "not answered yet" (the placeholder fails gracefully); a
solutions notebook ends by asserting that every answer passes ``quadtheory.exercises.check``.
A ``.py`` jupytext twin, where there is one, is the source of truth: regenerate with
``jupytext --update --to ipynb notebooks/NAME.py`` (``--update`` keeps the cell ids).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from tests.notebook_runs import ROOT, executed, need
from tests.notebook_runs import read as _read

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb"))
NOTEBOOKS = LESSONS + SOLUTIONS


def test_the_notebooks_are_found() -> None:
    assert any(p.name == "01_quadratic_neuron.ipynb" for p in LESSONS)
    assert any(p.name == "01_quadratic_neuron_solutions.ipynb" for p in SOLUTIONS)


def _texts(cell: Any) -> str:
    """The text a code cell showed: its streams and the text/plain of its results."""
    return "".join(out.get("text", "") if out.output_type == "stream"
                   else out.get("data", {}).get("text/plain", "") for out in cell.outputs)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path: Path) -> None:
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    notebook = executed(path)  # raises CellExecutionError naming the cell and the traceback
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    exercises = [cell for cell in notebook.cells if cell.cell_type == "code"
                 and "exercises.check(" in cell.source]
    if path in LESSONS:
        assert exercises, f"{path.name}: no exercise cells"
        for cell in exercises:
            assert "fail: not answered yet" in _texts(cell), (path.name, cell.source)
    else:
        assert "solutions pass" in _texts(notebook.cells[-1]), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    dirty = [k for k, cell in enumerate(_read(path).cells) if cell.cell_type == "code"
             and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert not dirty, (f"{path.name}: cells {dirty} hold outputs or execution counts; "
                       f"regenerate it: jupytext --update --to ipynb "
                       f"{path.with_suffix('.py').relative_to(ROOT)}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_matches_its_jupytext_twin(path: Path) -> None:
    twin = path.with_suffix(".py")
    if not twin.exists():
        return  # no twin: the .ipynb is its own source of truth
    jupytext = need("jupytext")
    source = [(c.cell_type, c.source) for c in jupytext.read(twin).cells]
    stored = [(c.cell_type, c.source) for c in _read(path).cells]
    assert stored == source, (f"{path.name} differs from {twin.name}; regenerate it: "
                              f"jupytext --update --to ipynb {twin.relative_to(ROOT)}")
