"""The smallest conventional ReLU network that training finds to separate labelled points,
certified exactly: the comparison for :func:`quadtheory.separate`.

For hidden widths in increasing order (0: no hidden layer, a linear argmax read-out), and a
few seeds each, a ReLU MLP ``[D, w, C]`` is trained with the cross-check's loop (Adam,
cosine schedule, full batch, float64, cross-entropy; :mod:`..crosscheck.training`) on the
points standardized per coordinate, the standardization then folded into its first layer.
The first network whose exact read-back (:func:`quadtheory.nn.from_torch`) puts every
point's own output strictly above the others is reported, with an exhaustive certificate
over the points.

What this is and is not: an **upper bound** on the smallest ReLU network separating the
points (a smaller one may exist that training did not find), found by training, not by a
construction; nothing here is a lower bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..exact.certificate import Certificate
from .clusters import LabelledPoints
from .evaluate import exact_outputs

WIDTHS = (0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64)
SEEDS = (0, 1, 2)
STEPS = 1000


@dataclass(frozen=True)
class ReluSeparation:
    """The smallest ReLU network found (``widths`` None when none on the grid separated the
    points) and every attempt: ``(hidden width, seed, training accuracy)``."""

    widths: tuple[int, ...] | None
    params: int | None
    seed: int | None
    certificate: Certificate | None
    attempts: tuple[tuple[int, int, float], ...]
    steps: int

    def as_json(self) -> dict[str, Any]:
        return {"widths": None if self.widths is None else list(self.widths),
                "params_dense": self.params, "seed": self.seed, "steps": self.steps,
                "how": "found by training (an upper bound on the smallest ReLU network, "
                       "not a lower bound)",
                "certificate": None if self.certificate is None else self.certificate.as_dict(),
                "attempts": [list(a) for a in self.attempts]}


def _train(x: np.ndarray, labels: np.ndarray, classes: int, width: int, seed: int,
           steps: int) -> Any:
    import torch  # torch is heavy: `import quadtheory` stays light

    from ..crosscheck.training import TrainConfig, build, fit  # it imports torch

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    module = build("conventional", [x.shape[1], *([width] if width else []), classes], seed)
    fit(module, (x - mean) / scale, labels, TrainConfig(steps=steps, init="default"))
    first = module[0]
    with torch.no_grad():   # fold (x − mean)/scale into the first layer: it reads x itself
        first.bias -= first.weight @ torch.from_numpy(mean / scale)
        first.weight /= torch.from_numpy(scale)
    return module


def smallest_relu(data: LabelledPoints, widths: Sequence[int] = WIDTHS,
                  seeds: Sequence[int] = SEEDS, steps: int = STEPS) -> ReluSeparation:
    """Train ReLU MLPs of growing hidden width until one separates the points exactly (see
    the module docstring).

    >>> from quadtheory._src.studies.clusters import blobs_example
    >>> found = smallest_relu(blobs_example(), widths=[0], seeds=[0], steps=200)
    >>> found.widths, found.params, found.certificate.level   # 3·(2 + 1): a linear read-out
    ((2, 3), 9, 'exhaustive')
    """
    from quadtheory.nn import from_torch  # torch is heavy: see _train

    from ..crosscheck.training import accuracy  # it imports torch

    clusters = data.clusters
    x = data.array()
    labels = np.array([clusters.index(label) for label in data.labels], dtype=np.int64)
    attempts = []
    for width in widths:
        for seed in seeds:
            module = _train(x, labels, len(clusters), width, seed, steps)
            train = accuracy(module, x, labels)
            attempts.append((width, seed, round(train, 6)))
            if train < 1:
                continue
            network = from_torch(module)
            outputs = exact_outputs(network, data.points)
            wrong = sum(any(v >= out[k] for j, v in enumerate(out) if j != k)
                        for out, k in zip(outputs, labels, strict=True))
            if wrong:
                continue
            certificate = Certificate(
                f"the trained ReLU network {data.dim}-{width}-{len(clusters)} separates the "
                f"{len(clusters)} clusters of the {len(data.points)} given points (argmax)"
                if width else f"a linear argmax read-out separates the {len(clusters)} "
                              f"clusters of the {len(data.points)} given points",
                "exhaustive", True,
                ("its weights read back exactly (binary rationals) and evaluated exactly at "
                 "every point: the own cluster's output is the strict largest",), 0.0)
            return ReluSeparation((data.dim, *network.widths),
                                  network.params.dense, seed, certificate, tuple(attempts),
                                  steps)
    return ReluSeparation(None, None, None, None, tuple(attempts), steps)
