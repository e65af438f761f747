"""The code is ruff clean (configuration in pyproject.toml)."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean():
    command = [sys.executable, "-m", "ruff"] if shutil.which("ruff") is None else ["ruff"]
    result = subprocess.run([*command, "check", "--no-cache", "."], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
