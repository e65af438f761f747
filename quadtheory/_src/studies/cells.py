"""One cell of a dimension study: a one-hidden-layer MLP of one family, trained on the study's
target (:mod:`.targets`) in R^D, its test error measured.

Both families get one hidden layer (depth 2 in Eldan & Shamir's count, arXiv:1512.03965) and
the same dense parameter budget: the grid names the conventional (ReLU) hidden width ``w``
(``ConventionalMLP([D, w, 1])``: ``w·(D + 2) + 1`` dense params); the quadratic network
(``QuadraticMLP([D, w_q, 1])``, whose output neuron is quadratic too: ``w_q·(3D + 3) +
3w_q + 3``) gets the hidden width ``w_q >= 1`` whose dense params are nearest. Records hold
the actual counts.
Training is the cross-check's loop (:mod:`..crosscheck.training`: Adam, cosine schedule, full
batch, float64, one thread): quadratic layers start as ReLinear (conventional) neurons.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..core.limits import one_of
from ..errors import QuadTheoryError
from .targets import KINDS, RADIAL_G, barron_target, radial_points, radial_values

FAMILIES = ("quadratic", "conventional")
DATA_SEEDS = (0, 1)    # training data, test data: the same for every cell of a dimension
DEFAULTS = {
    "radial": {"dims": (2, 4, 8, 16, 32, 64), "widths": (4, 16, 64), "seeds": 3, "steps": 1500},
    "barron": {"dims": (2, 4, 8, 16, 32, 64, 128, 256), "widths": (12, 48), "seeds": 3,
               "steps": 1500}}
QUICK = {
    "radial": {"dims": (2, 8, 32), "widths": (4, 16), "seeds": 2, "steps": 300},
    "barron": {"dims": (2, 16, 128), "widths": (12,), "seeds": 2, "steps": 300}}
THRESHOLDS = (0.3, 0.1)   # relative test RMSE a network "reaches"


def dense_params(family: str, dim: int, hidden: int) -> int:
    """Dense params of the family's MLP ``[dim, hidden, 1]``.

    >>> dense_params("conventional", 8, 4), dense_params("quadratic", 8, 4)   # 36 + 5, 108 + 15
    (41, 123)
    """
    if family == "conventional":
        return hidden * (dim + 1) + hidden + 1
    return hidden * (3 * dim + 3) + 3 * hidden + 3


def quadratic_width(width: int, dim: int) -> int:
    """The quadratic hidden width whose dense params are nearest those of the ReLU hidden
    width ``width`` (the smaller on a tie, at least 1).

    >>> quadratic_width(16, 2), quadratic_width(16, 64), quadratic_width(2, 64)  # 65: 63 vs 75
    (5, 5, 1)
    """
    budget = dense_params("conventional", dim, width)
    return min(range(1, width + 1),
               key=lambda w: (abs(dense_params("quadratic", dim, w) - budget), w))


@dataclass(frozen=True)
class StudySetup:
    """What defines a study's results: a result is reused only under the same setup."""

    kind: str
    steps: int
    train: int = 2048
    test: int = 2048
    lr: float = 1e-2
    quadratic_lr: float = 1e-2

    def __post_init__(self) -> None:
        one_of(self.kind, "study", KINDS)

    def target(self) -> str:
        """The target in words."""
        if self.kind == "radial":
            return (f"G(|x|) = {RADIAL_G} on the unit ball, radius uniform on [0, 1], "
                    "direction uniform")
        return (f"f(x) = (1/K) sum_k a_k relu(q_k(x)/s_k), K = {8} quadratic neurons, "
                "a_k = ±1, E[(q_k/s_k)^2] <= 1 exactly, x ~ N(0, I_D)")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, order=True)
class StudyCell:
    """One training run: ``family``'s network in R^``dim`` at the budget of ReLU hidden
    width ``budget`` (its own hidden width: :attr:`width`), from ``seed``."""

    dim: int
    budget: int
    family: str
    seed: int

    @property
    def width(self) -> int:
        return self.budget if self.family == "conventional" else quadratic_width(self.budget,
                                                                                  self.dim)

    @property
    def key(self) -> str:
        return f"{self.family}/D{self.dim}/w{self.budget}/s{self.seed}"


def study_cells(dims: Sequence[int], widths: Sequence[int], seeds: Sequence[int]
                ) -> list[StudyCell]:
    """Every cell, the large dimensions first (the longest runs start early).

    >>> [c.key for c in study_cells([2, 4], [8], [0])][:2]
    ['quadratic/D4/w8/s0', 'conventional/D4/w8/s0']
    """
    return [StudyCell(d, w, f, s) for d in sorted(dims, reverse=True) for w in widths
            for s in seeds for f in FAMILIES]


@functools.lru_cache(maxsize=4)
def study_data(setup: StudySetup, dim: int) -> tuple[np.ndarray, ...]:
    """Training and test inputs and targets in R^``dim`` (fixed seeds; cached per process)."""
    if setup.kind == "radial":
        def sample(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
            x = radial_points(count, dim, np.random.default_rng([seed, dim]))
            return x, radial_values(x)
    else:
        target = barron_target(dim)

        def sample(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
            x = np.random.default_rng([seed, dim]).standard_normal((count, dim))
            return x, target.values(x)
    return (*sample(setup.train, DATA_SEEDS[0]), *sample(setup.test, DATA_SEEDS[1]))


def run_study_cell(setup: StudySetup, cell: StudyCell) -> dict[str, Any]:
    """Train one cell and measure it: the record written to the results."""
    import torch  # torch is heavy: `import quadtheory` stays light

    from ..crosscheck.training import TrainConfig, build, fit, rmse  # it imports torch

    torch.set_num_threads(1)
    x, y, x_test, y_test = study_data(setup, cell.dim)
    module = build(cell.family, [cell.dim, cell.width, 1], cell.seed)
    init = "relinear" if cell.family == "quadratic" else "default"
    result = fit(module, x, y, TrainConfig(setup.steps, setup.lr, setup.quadratic_lr, init))
    params = sum(p.numel() for p in module.parameters())
    if params != dense_params(cell.family, cell.dim, cell.width):
        raise QuadTheoryError(f"{cell.key}: {params} params, expected "
                              f"{dense_params(cell.family, cell.dim, cell.width)}")
    test = rmse(module, x_test, y_test)
    scale = float(y_test.std())
    return {"key": cell.key, **asdict(cell), "width": cell.width, "params": params,
            "train_rmse": _finite(rmse(module, x, y)), "test_rmse": _finite(test),
            "relative_rmse": _finite(test / scale), "target_std": scale,
            "diverged": result.diverged, "seconds": round(result.seconds, 3)}


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None
