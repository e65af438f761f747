"""The CWRU bearing recordings (12 kHz, drive end, 0 HP) as the bearing experiment reads them.

The Case Western Reserve University Bearing Data Center publishes accelerometer recordings of
a motor's bearings, healthy and with seeded faults. The real-world experiment of Fan et al.,
"One Neuron Saved Is One Neuron Earned" (arXiv:2303.06316; code github
asdvfghg/quadratic_efficiency, ``bearing_experiment/utils``), classifies ten conditions
(:data:`FILES`) from windows of the drive-end signal under heavy white noise. Its protocol,
which :func:`bearing_data` follows:

- each recording's drive-end signal ``X<id>_DE_time`` is cut in two: the first 2/3 for
  training and validation, the last 1/3 for test, so no test sample overlaps a training one;
- white Gaussian noise is added to each part at ``snr`` dB: noise power = the part's mean
  square / 10^(snr/10) (:func:`add_noise`; the paper's ``wgn``);
- windows of 2048 samples are cut in runs of 73, each 28 samples after the last, from random
  starts (:func:`windows`; the paper's ``slice_enc`` with ``enc_step=28``): 750 per class
  from the first part, split 2:1 into training and validation per class; 250 per class from
  the second part for test; no standardisation (``normal=False`` there).

Where this deviates: the noise and the windows are drawn from numpy generators seeded by the
cell's seed (the paper wrote its noisy copies once, unseeded, and drew windows with
``np.random`` after seeding it), and the 2:1 split is per class (the paper's
``StratifiedShuffleSplit`` keeps the proportions, not the exact counts).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core.limits import quoted
from ..errors import QuadTheoryError

# (file, class name), in label order.
FILES = (
    ("normal_0_97.mat", "normal"),
    ("12k_Drive_End_B007_0_118.mat", "ball 0.007in"),
    ("12k_Drive_End_B014_0_185.mat", "ball 0.014in"),
    ("12k_Drive_End_B021_0_222.mat", "ball 0.021in"),
    ("12k_Drive_End_IR007_0_105.mat", "inner 0.007in"),
    ("12k_Drive_End_IR014_0_169.mat", "inner 0.014in"),
    ("12k_Drive_End_IR021_0_209.mat", "inner 0.021in"),
    ("12k_Drive_End_OR007@6_0_130.mat", "outer 0.007in"),
    ("12k_Drive_End_OR014@6_0_197.mat", "outer 0.014in"),
    ("12k_Drive_End_OR021@6_0_234.mat", "outer 0.021in"),
)
CLASS_NAMES = tuple(name for _, name in FILES)
SOURCE = ("the CWRU Bearing Data Center (engineering.case.edu/bearingdatacenter: 12k drive end "
          "fault data and normal baseline data, 0 HP)")
WINDOW = 2048
STEP = 28                    # the paper's enc_step: consecutive windows 28 samples apart
TRAIN_FRACTION = 2 / 3       # of each signal; the rest is the test part
PER_CLASS = {"train": 500, "valid": 250, "test": 250}


def missing_files(folder: str | Path) -> list[str]:
    """The expected recordings not in ``folder``.

    >>> missing_files("/nonexistent")[:2]
    ['normal_0_97.mat', '12k_Drive_End_B007_0_118.mat']
    """
    return [name for name, _ in FILES if not (Path(folder) / name).is_file()]


def check_folder(folder: str | Path) -> Path:
    """``folder`` as a path, or a one-line error naming the missing files and their source
    (or saying that ``folder`` is no path at all)."""
    if not isinstance(folder, str | os.PathLike):
        raise QuadTheoryError(f"--data: expected the folder of the CWRU recordings, found "
                              f"{quoted(folder)}")
    missing = missing_files(folder)
    if missing:
        shown = ", ".join(missing) if len(missing) <= 3 else (
            f"{', '.join(missing[:3])} and {len(missing) - 3} more")
        raise QuadTheoryError(
            f"--data {str(folder)!r}: missing {len(missing)} of the {len(FILES)} CWRU "
            f"recordings ({shown}); expected the files {', '.join(n for n, _ in FILES)}, "
            f"downloaded from {SOURCE}")
    return Path(folder)


@functools.lru_cache(maxsize=2)
def load_signals(folder: str) -> tuple[np.ndarray, ...]:
    """The drive-end signal of each recording, float64, in label order (cached per process)."""
    # scipy is needed only here: `import quadtheory` stays light.
    from scipy.io import loadmat
    from scipy.io.matlab import MatReadError

    root = check_folder(folder)
    signals = []
    for name, _ in FILES:
        path = root / name
        try:
            data = loadmat(path)
        except (OSError, ValueError, MatReadError) as error:
            raise QuadTheoryError(f"{path}: cannot read it as a MATLAB file ({error})") from None
        keys = [k for k in data if k.endswith("_DE_time")]
        if len(keys) != 1:
            raise QuadTheoryError(f"{path}: expected one drive-end signal X<id>_DE_time, found "
                                  f"{sorted(k for k in data if not k.startswith('__'))}")
        signals.append(np.asarray(data[keys[0]], dtype=np.float64).ravel())
    return tuple(signals)


def add_noise(signal: np.ndarray, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    """``signal`` plus white Gaussian noise whose power is the signal's mean square divided by
    ``10^(snr_db/10)``; ``snr_db = inf`` adds none.

    >>> rng = np.random.default_rng(0)
    >>> x = np.sin(np.linspace(0, 600, 200_000))            # mean square 1/2
    >>> noise = add_noise(x, -6.0, rng) - x
    >>> round(float(np.mean(noise**2) / np.mean(x**2)), 1)   # 10^0.6 = 3.98
    4.0
    """
    power = np.mean(signal**2) / 10 ** (snr_db / 10)
    return signal + rng.standard_normal(signal.shape) * np.sqrt(power)


def windows(signal: np.ndarray, count: int, rng: np.random.Generator,
            length: int = WINDOW, step: int = STEP) -> np.ndarray:
    """``count`` windows of ``length`` samples: runs of ``length // step`` windows, each
    ``step`` after the last, from uniformly drawn starts in ``[0, len − 2·length)`` (the
    paper's sampler, so a run never runs past the end).

    >>> w = windows(np.arange(10_000.0), 80, np.random.default_rng(0))
    >>> w.shape, float(w[1, 0] - w[0, 0]), float(w[73, 0] - w[72, 0]) != 28
    ((80, 2048), 28.0, True)
    """
    if len(signal) <= 2 * length:
        raise QuadTheoryError(f"a signal of {len(signal)} samples is too short for windows of "
                              f"{length}: expected more than {2 * length}")
    per_run = length // step
    starts: list[int] = []
    while len(starts) < count:
        start = int(rng.integers(0, len(signal) - 2 * length))
        starts += [start + step * (h + 1) for h in range(min(per_run, count - len(starts)))]
    index = np.asarray(starts)[:, None] + np.arange(length)
    return signal[index]


@dataclass(frozen=True)
class BearingData:
    """Windows ``(N, 1, 2048)`` float32 and labels ``(N,)`` int64 of each split."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_valid: np.ndarray
    y_valid: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def bearing_data(folder: str | Path, snr_db: float, seed: int,
                 per_class: dict[str, int] | None = None) -> BearingData:
    """The experiment's splits under noise at ``snr_db``, all drawn from ``seed``.

    ``per_class``: windows per class and split (default :data:`PER_CLASS`, the paper's
    500/250/250). Class ``k``'s noise and windows come from generators seeded by
    ``(seed, k, part)``, so two models trained at one seed see the same data.
    """
    counts = {**PER_CLASS, **(per_class or {})}
    parts: dict[str, list[np.ndarray]] = {name: [] for name in ("train", "valid", "test")}
    labels: dict[str, list[np.ndarray]] = {name: [] for name in parts}
    for k, signal in enumerate(load_signals(str(folder))):
        cut = int(len(signal) * TRAIN_FRACTION)
        for part, piece, names in ((0, signal[:cut], ("train", "valid")),
                                   (1, signal[cut:], ("test",))):
            rng = np.random.default_rng([seed, k, part])
            noisy = add_noise(piece, snr_db, rng)
            total = sum(counts[n] for n in names)
            cut_windows = windows(noisy, total, rng)[rng.permutation(total)]
            offset = 0
            for name in names:
                parts[name].append(cut_windows[offset:offset + counts[name]])
                labels[name].append(np.full(counts[name], k, dtype=np.int64))
                offset += counts[name]
    arrays = {}
    for name in parts:
        arrays[f"x_{name}"] = np.concatenate(parts[name]).astype(np.float32)[:, None, :]
        arrays[f"y_{name}"] = np.concatenate(labels[name])
    return BearingData(**arrays)
