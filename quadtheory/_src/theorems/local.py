"""The local Taylor polynomials ``P_m`` of the real-space construction (Yarotsky 2017,
arXiv:1610.01145, Thm 1), with rational coefficients, and the exact approximant
``Σ_m φ_m P_m`` the networks compute (quadratic) or approximate (ReLU).

``P_m(u) = Σ_{|α|<n} ĉ_{m,α} (u − m/N)^α`` in the cube coordinates of the box; the networks
read it in the monomials of a shifted variable (``u + 1`` for the quadratic family, so every
monomial is ``≥ 1`` and passes relu exactly; ``w = 2u − 1 ∈ [−1, 1]`` for ReLU, where the
approximate squares are most accurate): :meth:`LocalPolynomials.expanded` re-expands exactly.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..exact.polyring import PolynomialRing
from .budget import spacing
from .grid import Exponents, active_cells, phi_exact

Cell = tuple[int, ...]


@functools.lru_cache(maxsize=8)
def _ring(dim: int) -> PolynomialRing:
    return PolynomialRing(tuple(f"v{k}" for k in range(dim)))


@dataclass(frozen=True)
class LocalPolynomials:
    """The rational Taylor coefficients of every cell of a grid.

    ``alphas``: the exponents, ``α = 0`` first; ``coefficients[m][i]``: ``ĉ_{m, alphas[i]}``
    of ``P_m(ν) = Σ ĉ_α (ν − p_m)^α``; ``error``: the proved bound of ``|ĉ − D^α f(p_m)/α!|``;
    ``centres[m]``: the base point ``p_m`` (default the grid point ``m/N``: real space, where
    the variables are the cube coordinates); ``reaches[m]``: per variable, how far from
    ``p_m`` the variable gets where ``φ_m > 0`` (default ``h = 2/(3N)``).

    >>> lp = LocalPolynomials(1, ((0,), (1,)),
    ...                       {(0,): (Fraction(0), Fraction(1)), (1,): (Fraction(1), Fraction(1))},
    ...                       Fraction(0))
    >>> lp.value((1,), (Fraction(1, 2),)), lp.expanded((1,), Fraction(1), Fraction(-1))
    (Fraction(1, 2), {(0,): Fraction(-1, 1), (1,): Fraction(1, 1)})
    >>> lp.local_sum((1,))                      # |1| + |1|·(2/3)
    Fraction(5, 3)
    """

    n_grid: int
    alphas: tuple[Exponents, ...]
    coefficients: Mapping[Cell, tuple[Fraction, ...]]
    error: Fraction
    centres: Mapping[Cell, tuple[Fraction, ...]] | None = None
    reaches: Mapping[Cell, tuple[Fraction, ...]] | None = None

    @property
    def cells(self) -> list[Cell]:
        return list(self.coefficients)

    def centre(self, m: Cell) -> tuple[Fraction, ...]:
        if self.centres is not None:
            return self.centres[m]
        return tuple(Fraction(k, self.n_grid) for k in m)

    def reach(self, m: Cell) -> tuple[Fraction, ...]:
        if self.reaches is not None:
            return self.reaches[m]
        return (spacing(self.n_grid),) * len(self.alphas[0])

    def value(self, m: Cell, nu: Sequence[Fraction]) -> Fraction:
        """``P_m(ν)``, exactly."""
        shifted = [x - c for x, c in zip(nu, self.centre(m), strict=True)]
        return sum((c * math.prod((s**k for s, k in zip(shifted, alpha, strict=True)),
                                  start=Fraction(1))
                    for c, alpha in zip(self.coefficients[m], self.alphas, strict=True)),
                   Fraction(0))

    def expanded(self, m: Cell, p: Fraction, q: Fraction) -> dict[Exponents, Fraction]:
        """``P_m`` in the variable ``y`` with ``ν = p·y + q`` on every axis: exponents ->
        coefficient (exact, sparse arithmetic; zero coefficients included, so every monomial
        has an entry)."""
        ring = _ring(len(self.alphas[0]))
        powers = []
        for g, centre in zip(ring.gens, self.centre(m), strict=True):
            linear = ring.linear([(p, g)], q - centre)
            row = [ring.constant(Fraction(1))]
            for _ in range(max(alpha[len(powers)] for alpha in self.alphas)):
                row.append(row[-1] * linear)
            powers.append(row)
        total = ring.constant(Fraction(0))
        for c, alpha in zip(self.coefficients[m], self.alphas, strict=True):
            if c:
                term = ring.constant(c)
                for row, k in zip(powers, alpha, strict=True):
                    if k:
                        term = term * row[k]
                total = total + term
        out: dict[Exponents, Fraction] = {alpha: Fraction(0) for alpha in self.alphas}
        out.update(ring.terms(total))
        return out

    def local_sum(self, m: Cell) -> Fraction:
        """``Σ_α |ĉ_α| Π_k r_k^{α_k}`` (``r`` the cell's reach): a bound of ``|P_m|`` where
        ``φ_m > 0``."""
        reach = self.reach(m)
        return sum((abs(c) * math.prod((r**k for r, k in zip(reach, alpha, strict=True)),
                                       start=Fraction(1))
                    for c, alpha in zip(self.coefficients[m], self.alphas, strict=True)),
                   Fraction(0))

    def approximant(self, u: Sequence[Fraction], nu: Sequence[Fraction]) -> Fraction:
        """``Σ_m φ_m(u) P_m(ν)``, exactly (only the ``≤ 2^d`` active cells); cells without
        coefficients count as 0."""
        return sum((phi_exact(self.n_grid, m, u) * self.value(m, nu)
                    for m in active_cells(self.n_grid, u) if m in self.coefficients),
                   Fraction(0))
