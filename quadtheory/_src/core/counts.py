"""Parameter counts under the two stated conventions.

``dense``: every weight and bias of the architecture, i.e. what a torch module holds
(``out*(3*in+3)`` per quadratic layer, ``out*(in+1)`` per conventional one).
``nonzero``: the nonzero entries among them, the count approximation theory uses
(Yarotsky 2017, arXiv:1610.01145).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ParamCounts:
    """Parameter counts of a network; they add over the layers.

    >>> ParamCounts(dense=9, nonzero=2) + ParamCounts(dense=3, nonzero=3)
    ParamCounts(dense=12, nonzero=5)
    """

    dense: int
    nonzero: int

    def __add__(self, other: ParamCounts) -> ParamCounts:
        return ParamCounts(self.dense + other.dense, self.nonzero + other.nonzero)

    def as_dict(self) -> dict[str, int]:
        """``{"dense": ..., "nonzero": ...}``, the shape used in JSON."""
        return {"dense": self.dense, "nonzero": self.nonzero}


def dense_params(kind: str, n_in: int, n_out: int) -> int:
    """The dense count of one layer from its shape alone.

    >>> dense_params("quadratic", 3, 1), dense_params("conventional", 3, 1)
    (12, 4)
    """
    per_neuron = {"quadratic": 3 * n_in + 3, "conventional": n_in + 1}[kind]
    return n_out * per_neuron
