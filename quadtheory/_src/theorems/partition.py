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
Affine = tuple[tuple[tuple[int, Fraction], ...], Fraction]  # Σ coef·input + const


def _at(form: Affine, point: Sequence[Fraction]) -> Fraction:
    terms, const = form
    return sum((v * point[j] for j, v in terms), const)


@dataclass(frozen=True)
class Coordinates:
    """How a real-space network reads its inputs: the partition axes ``u_k`` (``∈ [0, 1]``
    on the region) and the variables ``ν_k`` of the local polynomials, affine forms of the
    inputs. Carries ``c_k = relu(ν_k + shift)`` are ``≥ 1`` on the region (so products of
    them pass relu exactly); ReLU monomials are of ``w = relu_scale·c + relu_offset`` (range
    ``[−1, 1]``).

    >>> coords = box_coordinates(((Fraction(0), Fraction(2)),))
    >>> [[str(v) for v in part] for part in coords.evaluate([Fraction(1)])]   # u, ν at x = 1
    [['1/2'], ['1/2']]
    >>> [str(v) for v in coords.quadratic_map + coords.relu_map]   # ν = c − 1 = (w + 1)/2
    ['1', '-1', '1/2', '1/2']
    """

    axes: tuple[Affine, ...]
    variables: tuple[Affine, ...]
    shift: Fraction
    relu_scale: Fraction
    relu_offset: Fraction

    def evaluate(self, point: Sequence[Fraction]
                 ) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]]:
        """``(u, ν)`` at an input point, exactly."""
        return (tuple(_at(f, point) for f in self.axes),
                tuple(_at(f, point) for f in self.variables))

    @property
    def quadratic_map(self) -> tuple[Fraction, Fraction]:
        """``(p, q)`` with ``ν = p·c + q``: the carries' variable."""
        return Fraction(1), -self.shift

    @property
    def relu_map(self) -> tuple[Fraction, Fraction]:
        """``(p, q)`` with ``ν = p·w + q``: the ReLU monomials' variable."""
        return 1 / self.relu_scale, -self.relu_offset / self.relu_scale - self.shift


def box_coordinates(box: Box) -> Coordinates:
    """Real space: ``u = ν = (x − a)/L`` per input, carries ``u + 1 ∈ [1, 2]``,
    ``w = 2u − 1 = 2c − 3``."""
    forms = tuple((((k, 1 / (hi - lo)),), -lo / (hi - lo)) for k, (lo, hi) in enumerate(box))
    return Coordinates(forms, forms, Fraction(1), Fraction(2), Fraction(-3))


def first_layer(relu: MakeRelu, coords: Coordinates, n_grid: int, carries: bool
                ) -> tuple[list[list[Value]], list[Value], int]:
    """Per axis the pieces ``relu(3N u − j)``, then the carries ``relu(ν + shift)``;
    ``relu(row, bias)`` makes a relu neuron of layer 1 reading the inputs. Also how many
    entries are 0 (a box edge at a breakpoint: ``3N a/L = −j``, or ``a = L``).

    >>> made = []
    >>> coords = box_coordinates(((Fraction(0), Fraction(2)),))
    >>> axes, carried, zero = first_layer(lambda row, b: made.append((row, b)) or len(made),
    ...                                   coords, 1, True)
    >>> [(str(row[0]), str(bias)) for row, bias in made]  # relu(3x/2 − 1), ..., relu(x/2 + 1)
    [('3/2', '-1'), ('3/2', '-2'), ('1/2', '1')]
    """
    axes, entries = [], []
    for terms, const in coords.axes:
        row = {j: 3 * n_grid * v for j, v in terms}
        axes.append([relu(row, 3 * n_grid * const - j) for j in pieces(n_grid)])
        entries += [3 * n_grid * const - j for j in pieces(n_grid)] + list(row.values())
    carried = []
    if carries:
        for terms, const in coords.variables:
            carried.append(relu(dict(terms), const + coords.shift))
            entries += [const + coords.shift] + [v for _, v in terms]
    return axes, carried, sum(1 for v in entries if not v)


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
    unused: int = 0  # ReLU: monomials no cell reads (their carries, squares left out)
