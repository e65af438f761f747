"""The shipped pilot examples run: the synthetic table always, scikit-learn's datasets when
scikit-learn is installed (an optional extra)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "pilot_datasets.py"


def run(tmp_path: Path, only: str) -> str:
    done = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--only", only, "--out",
                           str(tmp_path)], capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow
def test_the_interaction_example_runs(tmp_path):
    out = run(tmp_path, "interaction")
    assert out.startswith("interaction: ") and "## interaction\n" in out
    assert (tmp_path / "interaction.csv").exists()
    assert (tmp_path / "interaction" / "summary.md").exists()


@pytest.mark.slow
def test_a_scikit_learn_example_runs(tmp_path):
    pytest.importorskip("sklearn")
    out = run(tmp_path, "wine")
    assert out.startswith("wine: ") and (tmp_path / "wine" / "scores.png").exists()
