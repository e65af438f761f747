"""Every notebook shows all its figures when executed (issue 13: "a test counts image outputs
per notebook against a stated expected number").

The notebooks run once per session (``tests/notebook_runs.py``, shared with
``tests/test_notebooks.py``) with matplotlib's inline backend, as in Jupyter: each figure a
cell shows (``plt.show()``, or a pyplot figure still open when the cell ends) becomes one
``image/png`` output. A library call that switched the backend (``matplotlib.use("Agg")``), a
figure saved instead of shown, or a cell that stopped drawing makes the count fall short.
"""

from __future__ import annotations

import base64
import importlib.util
import os
from pathlib import Path

import pytest

from tests.notebook_runs import ROOT, executed

NOTEBOOKS = sorted([*(ROOT / "notebooks").glob("*.ipynb"),
                    *(ROOT / "notebooks" / "solutions").glob("*.ipynb")])
PNG = b"\x89PNG\r\n\x1a\n"

# Notebook 07 shows the bearing figures only where the CWRU recordings are found (as the
# notebook looks for them), and the diabetes pilot only with scikit-learn installed.
_CWRU = Path(os.environ.get("QUADTHEORY_CWRU")
             or ROOT.parent / "shared" / "data" / "cwru-12k-drive-end-0hp")
_BEARING = 2 if _CWRU.is_dir() and len(list(_CWRU.glob("*.mat"))) >= 10 else 0
_DIABETES = 1 if importlib.util.find_spec("sklearn") else 0

# Figures per notebook, counted from its .py twin: each plt.subplots / plt.plot figure is shown
# once, at its plt.show() or at the end of its cell, and each display(Image(...)) once. The
# solutions draw nothing.
EXPECTED_FIGURES = {
    "01_quadratic_neuron.ipynb": 1,  # the five exact neurons: x², xy, relu(±xy), p − q
    "02_exact_polynomial_networks.ipynb": 7,  # lean/naive, depth, T_6, bump, eps, ray, D
    "03_conventional_networks_pay_log.ipynb": 3,  # sawtooths, f_m and errors, plot_comparison
    "04_training_cross_check.ipynb": 2,  # the sweep's efficiency.png, the weak claim
    "05_taylor_real_space_and_manifolds.ipynb": 4,  # partition, errors, plot_rates, D
    "06_dimension_radial_and_barron.ipynb": 1,  # clusters and their separating balls
    # bearing accuracy and confusion (with the data), pilot scores, diabetes (with sklearn)
    "07_real_data_bearing_and_pilot.ipynb": _BEARING + 1 + _DIABETES,
    "01_quadratic_neuron_solutions.ipynb": 0,
    "02_exact_polynomial_networks_solutions.ipynb": 0,
    "03_conventional_networks_pay_log_solutions.ipynb": 0,
    "04_training_cross_check_solutions.ipynb": 0,
    "05_taylor_real_space_and_manifolds_solutions.ipynb": 0,
    "06_dimension_radial_and_barron_solutions.ipynb": 0,
    "07_real_data_bearing_and_pilot_solutions.ipynb": 0,
}


def figures(notebook) -> list[bytes]:
    """The PNG images a notebook's code cells show, in order."""
    return [base64.b64decode(out["data"]["image/png"])
            for cell in notebook.cells if cell.cell_type == "code"
            for out in cell.get("outputs", [])
            if out.get("output_type") in ("display_data", "execute_result")
            and "image/png" in out.get("data", {})]


def test_every_notebook_states_its_expected_figures() -> None:
    names = {path.name for path in NOTEBOOKS}
    assert names == set(EXPECTED_FIGURES), (
        f"EXPECTED_FIGURES in {Path(__file__).name}: add {sorted(names - set(EXPECTED_FIGURES))}"
        f" (count its figures), remove {sorted(set(EXPECTED_FIGURES) - names)}")


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_shows_all_its_figures(path: Path) -> None:
    images = figures(executed(path))
    assert len(images) == EXPECTED_FIGURES[path.name], (
        f"{path.name}: {len(images)} figures shown, expected {EXPECTED_FIGURES[path.name]}")
    assert all(image.startswith(PNG) and len(image) > 1000 for image in images), path.name
