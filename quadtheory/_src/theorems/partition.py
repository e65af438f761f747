"""The partition of unity as network values: layer 1 of both families' real-space networks.

Yarotsky's trapezoids (arXiv:1610.01145, Thm 1) ``ψ(3N u − 3m)`` are sums of the relu
*pieces* ``relu(3N u − j)`` (:func:`.grid.psi_form`), so layer 1 holds the ``2N`` pieces of
every axis and, when the local polynomials need the coordinates, the carries
``relu(u + 1) = u + 1`` (``u = (x − a)/L ∈ [0, 1]`` on the box, so the relu is exact).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..conventional.yarotsky import Value
from ..core.domain import Box
from ..core.network import Network
from .grid import pieces, psi_form

MakeRelu = Callable[[dict[int, Fraction], Fraction], Value]


def first_layer(relu: MakeRelu, box: Box, n_grid: int, carries: bool
                ) -> tuple[list[list[Value]], list[Value], int]:
    """Per axis the pieces ``relu(3N u − j)``, then the carries ``relu(u + 1)``;
    ``relu(row, bias)`` makes a relu neuron of layer 1 reading the inputs. Also how many
    biases are 0 (a box edge at a breakpoint: ``3N a/L = −j``, or ``a = L``).

    >>> made = []
    >>> axes, carried, zero = first_layer(lambda row, b: made.append((row, b)) or len(made),
    ...                                   ((Fraction(0), Fraction(2)),), 1, True)
    >>> [(str(row[0]), str(bias)) for row, bias in made]  # relu(3x/2 − 1), ..., relu(x/2 + 1)
    [('3/2', '-1'), ('3/2', '-2'), ('1/2', '1')]
    """
    axes, biases = [], []
    for k, (lo, hi) in enumerate(box):
        scale = 3 * n_grid / (hi - lo)
        axes.append([relu({k: scale}, -j - scale * lo) for j in pieces(n_grid)])
        biases += [-j - scale * lo for j in pieces(n_grid)]
    carried = [relu({k: 1 / (hi - lo)}, 1 - lo / (hi - lo))
               for k, (lo, hi) in enumerate(box)] if carries else []
    if carries:
        biases += [1 - lo / (hi - lo) for lo, hi in box]
    return axes, carried, sum(1 for b in biases if not b)


def psi_value(axis: Sequence[Value], n_grid: int, m: int) -> Value:
    """``ψ(3N u − 3m)`` as an affine form of the pieces of one axis (level 1).

    >>> axis = [Value(1, ((j, Fraction(1)),)) for j in range(4)]
    >>> psi_value(axis, 2, 0)            # 1 − relu(t − 1) + relu(t − 2)
    Value(level=1, terms=((0, Fraction(-1, 1)), (1, Fraction(1, 1))), const=Fraction(1, 1))
    """
    terms, const = psi_form(n_grid, m)
    out = Value(1, (), const)
    for index, coef in terms:
        out = out + axis[index] * coef
    return out


@dataclass(frozen=True)
class Built:
    """A built real-space network and the facts its certificate states."""

    network: Network
    vanishing: int  # entries the layout sets from Taylor coefficients that are 0 (not stored)
    shift: Fraction  # K (quadratic) or K' (ReLU): lifts P_m to >= 0 where φ_m > 0
    largest_local: Fraction  # max_m Σ|ĉ_α| h^|α|: |P_m| where φ_m > 0, at most
