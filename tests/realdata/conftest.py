"""Shared fixtures: a folder of fake CWRU recordings (small, class-dependent tones) so the
bearing pipeline is tested without the real data, and the real data's folder when present."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from quadtheory._src.realdata.cwru import FILES

REAL_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / \
    "cwru-12k-drive-end-0hp"
SAMPLES = 15_000     # 2/3 and 1/3 both longer than two windows of 2048


def write_fake_cwru(folder: Path, samples: int = SAMPLES, ramp: bool = False) -> Path:
    """Ten .mat files named as CWRU's, each holding X<id>_DE_time (and a fan-end decoy):
    class k is a tone of frequency k+1 plus noise, or with ``ramp`` the sample index plus
    k·10^6, so that a value tells where it came from."""
    from scipy.io import savemat

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    t = np.arange(samples)
    for k, (name, _) in enumerate(FILES):
        signal = (t + k * 1e6) if ramp else (
            np.sin(2 * np.pi * (k + 1) * t / 200) + 0.3 * rng.standard_normal(samples))
        key = f"X{k:03d}"
        savemat(folder / name, {f"{key}_DE_time": signal[:, None],
                                f"{key}_FE_time": np.zeros((samples, 1))})
    return folder


@pytest.fixture(scope="session")
def fake_cwru(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fake_cwru(tmp_path_factory.mktemp("cwru"))


@pytest.fixture(scope="session")
def ramp_cwru(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fake_cwru(tmp_path_factory.mktemp("ramp"), ramp=True)
