"""The honest training loop of a cross-check cell: one optimizer per run, fixed full-batch
data, fixed seeds, nothing tuned per cell.

Adam (``quadratic_lr`` for the quadratic terms ``w_g, b_g, w_b, c``, ``lr`` for the rest, as
in the paper's ReLinear experiments, Fan et al. arXiv:2110.06081) with a cosine schedule from
the rate down to 0 over ``steps``, the scheduler stepped once after every optimizer step. Full
batch, so a run depends on its seed alone; float64 throughout; one thread, so the result does
not depend on how many cells run side by side.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from quadtheory.nn import ConventionalMLP, QuadraticLinear, QuadraticMLP, param_groups

FAMILIES = ("quadratic", "conventional")


@dataclass(frozen=True)
class TrainConfig:
    """The loop's settings, recorded with every result (a changed setting is a new cell).

    >>> TrainConfig(steps=10).as_dict()["schedule"]
    'cosine, stepped once per optimizer step'
    """

    steps: int = 2000
    lr: float = 1e-2
    quadratic_lr: float = 1e-2
    init: str = "relinear"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "optimizer": "Adam", "batch": "full",
                "schedule": "cosine, stepped once per optimizer step", "dtype": "float64"}


def build(family: str, widths: list[int], seed: int, init: str = "relinear") -> nn.Module:
    """A fresh float64 MLP of the family, its weights drawn from ``seed``.

    >>> sum(p.numel() for p in build("quadratic", [1, 2, 1], seed=0).parameters())  # 12 + 9
    21
    """
    torch.manual_seed(seed)
    if family == "quadratic":
        return QuadraticMLP(widths, init=init, dtype=torch.float64)
    return ConventionalMLP(widths, dtype=torch.float64)


def reinitialize(module: nn.Module, seed: int, init: str) -> nn.Module:
    """The module with every layer drawn afresh from ``seed`` (same architecture)."""
    torch.manual_seed(seed)
    for layer in module.modules():
        if isinstance(layer, QuadraticLinear):
            layer.init = init
            layer.reset_parameters()
        elif isinstance(layer, nn.Linear):
            layer.reset_parameters()
    return module


def loss(module: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean squared error for a float target, cross-entropy for integer labels."""
    out = module(x)
    return F.cross_entropy(out, y) if y.dtype == torch.int64 else F.mse_loss(out, y)


@dataclass(frozen=True)
class Fit:
    """How a run went: the loss before and after, seconds, and whether it diverged."""

    loss_start: float
    loss_end: float
    seconds: float
    diverged: bool


def _adam(groups: list[dict[str, Any]]) -> torch.optim.Adam:
    # The fused kernel is a third faster on these small networks; torch < 2.4 has it only
    # on GPUs, where the multi-tensor one is the next best.
    try:
        return torch.optim.Adam(groups, fused=True)
    except RuntimeError:
        return torch.optim.Adam(groups, foreach=True)


def fit(module: nn.Module, x: np.ndarray, y: np.ndarray, config: TrainConfig) -> Fit:
    """Train ``module`` in place on the full batch ``(x, y)``.

    >>> net = build("conventional", [1, 4, 1], seed=0)
    >>> x = np.linspace(-1, 1, 50)[:, None]
    >>> result = fit(net, x, x**2, TrainConfig(steps=200))
    >>> result.loss_end < result.loss_start, result.diverged
    (True, False)
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        inputs, targets = torch.from_numpy(x), torch.from_numpy(y)
        optimizer = _adam(param_groups(module, config.lr, config.quadratic_lr))
        schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=config.steps)
        start = time.perf_counter()
        with torch.no_grad():
            first = loss(module, inputs, targets).item()
        for _ in range(config.steps):
            optimizer.zero_grad(set_to_none=True)
            value = loss(module, inputs, targets)
            if not math.isfinite(value.item()):
                return Fit(first, math.inf, time.perf_counter() - start, True)
            value.backward()
            optimizer.step()
            schedule.step()
        with torch.no_grad():
            last = loss(module, inputs, targets).item()
        return Fit(first, last, time.perf_counter() - start, not math.isfinite(last))
    finally:
        torch.set_num_threads(threads)


def predict(module: nn.Module, x: np.ndarray) -> np.ndarray:
    """The module's float64 outputs on ``x``, batched."""
    with torch.no_grad():
        return module(torch.from_numpy(np.ascontiguousarray(x))).numpy()


def rmse(module: nn.Module, x: np.ndarray, y: np.ndarray) -> float:
    """Root mean squared error against a float target."""
    return float(np.sqrt(np.mean((predict(module, x) - y) ** 2)))


def accuracy(module: nn.Module, x: np.ndarray, labels: np.ndarray) -> float:
    """The fraction of points whose largest output is their label."""
    return float(np.mean(predict(module, x).argmax(axis=1) == labels))
