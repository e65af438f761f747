"""The CWRU loader: the paper's protocol (2/3 | 1/3 cut, noise at an SNR, runs of windows),
seeded reproducibility, and the one-line errors for missing or unreadable files."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quadtheory import QuadTheoryError
from quadtheory._src.realdata.cwru import (
    FILES,
    STEP,
    TRAIN_FRACTION,
    WINDOW,
    add_noise,
    bearing_data,
    check_folder,
    load_signals,
    windows,
)
from tests.strategies import examples

from .conftest import SAMPLES

SMALL = {"train": 20, "valid": 10, "test": 10}


def test_missing_folder_names_every_file_and_where_to_get_them(tmp_path):
    with pytest.raises(QuadTheoryError, match=r"missing 10 of the 10 CWRU recordings "
                       r"\(normal_0_97.mat, 12k_Drive_End_B007_0_118.mat, "
                       r"12k_Drive_End_B014_0_185.mat and 7 more\); expected the files "
                       r"normal_0_97.mat, .*12k_Drive_End_OR021@6_0_234.mat, downloaded from "
                       r"the CWRU Bearing Data Center"):
        check_folder(tmp_path)


def test_one_missing_file_is_named(fake_cwru, tmp_path):
    partial = shutil.copytree(fake_cwru, tmp_path / "partial")
    (partial / FILES[4][0]).unlink()
    with pytest.raises(QuadTheoryError, match=r"missing 1 of the 10 CWRU recordings "
                                              r"\(12k_Drive_End_IR007_0_105.mat\)"):
        check_folder(partial)


def test_unreadable_and_wrong_files(fake_cwru, tmp_path):
    broken = shutil.copytree(fake_cwru, tmp_path / "broken")
    (broken / FILES[0][0]).write_text("not a mat file")
    with pytest.raises(QuadTheoryError, match=r"normal_0_97.mat: cannot read it as a MATLAB "
                                              r"file"):
        load_signals(str(broken))
    from scipy.io import savemat

    savemat(broken / FILES[0][0], {"X097_FE_time": np.zeros((10, 1))})
    with pytest.raises(QuadTheoryError, match=r"expected one drive-end signal X<id>_DE_time, "
                                              r"found \['X097_FE_time'\]"):
        load_signals(str(broken) + "/")   # another cache key: read again


@settings(max_examples=examples(20))
@given(snr=st.floats(-10, 10), seed=st.integers(0, 2**16))
def test_noise_power_is_the_signal_power_over_the_snr(snr, seed):
    rng = np.random.default_rng(seed)
    signal = rng.uniform(-2, 2) * np.sin(np.linspace(0, 500, 50_000)) + rng.uniform(-1, 1)
    noise = add_noise(signal, snr, np.random.default_rng(seed)) - signal
    ratio = np.mean(signal**2) / np.mean(noise**2)
    assert abs(10 * np.log10(ratio) - snr) < 0.1       # 50k samples: ~1% in power


def test_infinite_snr_adds_nothing():
    signal = np.arange(10.0)
    assert np.array_equal(add_noise(signal, float("inf"), np.random.default_rng(0)), signal)


@pytest.mark.parametrize("count", [1, 72, 73, 74, 200])
def test_windows_come_in_runs_of_consecutive_slices(count):
    signal = np.arange(12_000.0)
    w = windows(signal, count, np.random.default_rng(count))
    assert w.shape == (count, WINDOW)
    assert np.all(np.diff(w, axis=1) == 1)                      # each a contiguous slice
    starts = w[:, 0].astype(int)
    per_run = WINDOW // STEP
    for k in range(count):
        if k % per_run:
            assert starts[k] - starts[k - 1] == STEP
    assert starts.min() >= STEP and starts.max() + WINDOW <= len(signal)


def test_windows_need_a_long_enough_signal():
    with pytest.raises(QuadTheoryError, match="a signal of 4096 samples is too short for "
                                              "windows of 2048: expected more than 4096"):
        windows(np.zeros(4096), 1, np.random.default_rng(0))


def test_train_and_test_windows_come_from_their_own_part(ramp_cwru):
    """On ramps (value = index + 10^6·class) and without noise, every window tells where it
    was cut: training and validation from the first 2/3, test from the last 1/3."""
    data = bearing_data(ramp_cwru, float("inf"), seed=0, per_class=SMALL)
    cut = int(SAMPLES * TRAIN_FRACTION)
    for x, y, first in ((data.x_train, data.y_train, True), (data.x_valid, data.y_valid, True),
                        (data.x_test, data.y_test, False)):
        position = x[:, 0, :].astype(np.float64) - y[:, None] * 1e6
        assert (position.max() < cut) if first else (position.min() >= cut)
        assert np.bincount(y).tolist() == [len(y) // len(FILES)] * len(FILES)
    assert x.dtype == np.float32 and data.y_test.dtype == np.int64


def test_training_and_validation_windows_are_distinct(ramp_cwru):
    data = bearing_data(ramp_cwru, float("inf"), seed=1, per_class=SMALL)
    starts = {(int(y), float(x[0, 0])) for x, y in zip(data.x_train, data.y_train)}
    assert not starts & {(int(y), float(x[0, 0])) for x, y in zip(data.x_valid, data.y_valid)}


def test_same_seed_same_data_other_seed_other_data(fake_cwru):
    one, two = (bearing_data(fake_cwru, -6.0, seed=3, per_class=SMALL) for _ in range(2))
    other = bearing_data(fake_cwru, -6.0, seed=4, per_class=SMALL)
    assert all(np.array_equal(getattr(one, f), getattr(two, f)) for f in vars(one))
    assert not np.array_equal(one.x_test, other.x_test)


def test_noise_level_of_the_windows(ramp_cwru):
    """At −6 dB the noise has about 4 times the power of the signal part it is added to."""
    clean = bearing_data(ramp_cwru, float("inf"), seed=0, per_class=SMALL)
    noisy = bearing_data(ramp_cwru, -6.0, seed=0, per_class=SMALL)
    noise = (noisy.x_test.astype(np.float64) - clean.x_test)[:, 0, :]
    signal = clean.x_test.astype(np.float64)[:, 0, :]
    for k in range(len(FILES)):
        rows = clean.y_test == k
        part = (np.arange(int(SAMPLES * TRAIN_FRACTION), SAMPLES) + k * 1e6)
        expected = np.mean(part**2) * 10**0.6          # -6 dB: noise 3.98x the power
        # ~2,300 distinct samples per class (overlapping windows): a few % of sampling error
        assert np.mean(noise[rows] ** 2) == pytest.approx(expected, rel=0.15)
        assert signal[rows].min() >= part[0]


def test_real_data_is_where_the_readme_says(request):
    from .conftest import REAL_DATA

    if not REAL_DATA.exists():
        pytest.skip(f"no CWRU copy at {REAL_DATA}")
    assert check_folder(REAL_DATA) == Path(REAL_DATA)
    lengths = [len(s) for s in load_signals(str(REAL_DATA))]
    assert lengths[0] == 243_938 and all(121_000 <= n <= 122_600 for n in lengths[1:])
