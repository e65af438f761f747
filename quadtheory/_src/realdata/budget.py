"""The pilot's models at a parameter budget: MLPs sized to a dense count, and the linear model
with explicit pairwise interaction features.

A quadratic neuron (Fan et al., arXiv:2303.06316) holds ``3n + 3`` parameters over ``n``
inputs, a conventional one ``n + 1``; at one budget a quadratic MLP is therefore narrower. Both
MLPs have :data:`HIDDEN_LAYERS` hidden layer(s) of one width ``w`` (one by default: at a budget
of about a hundred parameters a quadratic MLP of two hidden layers is two or three neurons wide,
and such narrow ReLU stacks often die, every unit off, at some seeds); :func:`widths_for` picks
the ``w`` whose dense count (:func:`mlp_params`, every weight and bias) is nearest the budget,
the smaller on a tie, at least 1. The reference is what a quadratic neuron's terms are made of
without the network: a linear model on the inputs and every product ``x_i·x_j`` (``i ≤ j``,
squares included), :func:`pairwise`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from ..core.limits import one_of

HIDDEN_LAYERS = 1
FAMILIES = ("quadratic", "conventional")


def mlp_params(family: str, widths: Sequence[int]) -> int:
    """The dense count of an MLP of ``widths`` (inputs to outputs): ``Σ out·(in + 1)`` for a
    conventional one, three times that for a quadratic one.

    >>> mlp_params("conventional", [3, 16, 16, 1]), mlp_params("quadratic", [3, 16, 16, 1])
    (353, 1059)
    """
    one_of(family, "family", FAMILIES)
    one = sum(n_out * (n_in + 1) for n_in, n_out in itertools.pairwise(widths))
    return 3 * one if family == "quadratic" else one


def widths_for(family: str, inputs: int, outputs: int, budget: int,
               hidden_layers: int = HIDDEN_LAYERS) -> list[int]:
    """The MLP's widths at ``budget``: ``hidden_layers`` layers of the width whose dense count
    is nearest ``budget`` (the smaller width on a tie; at least 1).

    >>> widths_for("conventional", 10, 1, 1000)    # 11w + w + 1: 997 at 83, 1009 at 84
    [10, 83, 1]
    >>> widths_for("conventional", 10, 1, 1000, hidden_layers=2)  # w² + 13w + 1: 1015 at 26
    [10, 26, 26, 1]
    >>> widths_for("quadratic", 10, 1, 1000)       # 3(12w + 1): 1011 at 28, 975 at 27
    [10, 28, 1]
    """
    def count(width: int) -> int:
        return mlp_params(family, [inputs, *[width] * hidden_layers, outputs])

    width = 1
    while count(width + 1) <= budget:
        width += 1
    # count grows with the width: the nearest is `width` or the next one.
    return [inputs, *[min((width, width + 1), key=lambda w: (abs(count(w) - budget), w))]
            * hidden_layers, outputs]


def pairwise(x: np.ndarray) -> np.ndarray:
    """The columns of ``x`` and every product ``x_i·x_j`` with ``i ≤ j``.

    >>> pairwise(np.array([[2.0, 3.0]])).tolist()    # x1, x2, x1², x1·x2, x2²
    [[2.0, 3.0, 4.0, 6.0, 9.0]]
    """
    i, j = np.triu_indices(x.shape[1])
    return np.hstack([x, x[:, i] * x[:, j]])


def linear_params(inputs: int, outputs: int) -> int:
    """The dense count of the linear model on :func:`pairwise` features.

    >>> linear_params(2, 1)      # 5 features + 1 bias
    6
    """
    features = inputs + inputs * (inputs + 1) // 2
    return outputs * (features + 1)
