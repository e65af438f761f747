"""The grid of Yarotsky's Theorem 1 (arXiv:1610.01145): a partition of unity of trapezoids and
the monomials of the local Taylor polynomials.

On the unit cube ``[0, 1]^d`` with ``N + 1`` grid points a side, the trapezoid
``ψ(t) = 1`` for ``|t| ≤ 1``, ``2 − |t|`` for ``1 ≤ |t| ≤ 2``, ``0`` beyond, gives
``φ_m(u) = Π_k ψ(3N u_k − 3m_k)`` with ``Σ_m φ_m = 1`` on the cube, ``φ_m ≥ 0``, and
``φ_m(u) > 0`` only where ``|u_k − m_k/N| < 2/(3N)`` for every k. At any point at most two
trapezoids of an axis are positive, so at most ``2^d`` of the ``φ_m``.

Each ``ψ(3N u − 3m)`` is a combination of the ``2N`` relu *pieces* ``relu(3N u − j)`` with
``j ≢ 0 (mod 3)``, ``1 ≤ j ≤ 3N − 1`` (plus the constant 1 for ``m = 0``): the pieces are the
first layer of both families' networks. Products ``φ_m`` follow a balanced tree over the
coordinates; monomials a balanced split of their exponents.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from fractions import Fraction

from ..conventional.polynomial import halves

Exponents = tuple[int, ...]
Node = tuple[int, ...]  # a set of coordinates of the product tree, in order
Form = tuple[tuple[int, Fraction], ...]  # (piece index, coefficient) pairs


def pieces(n_grid: int) -> tuple[int, ...]:
    """The breakpoints ``j`` of the pieces ``relu(3N u − j)`` of one axis, in order.

    >>> pieces(2)            # N = 2: j in 1..5, not a multiple of 3
    (1, 2, 4, 5)
    """
    return tuple(j for j in range(1, 3 * n_grid) if j % 3)


def psi_form(n_grid: int, m: int) -> tuple[Form, Fraction]:
    """``ψ(3N u − 3m)`` on ``u ∈ [0, 1]`` as ``Σ coef·piece + const`` (piece indices into
    :func:`pieces`): ``ψ(t) = relu(t + 2) − relu(t + 1) − relu(t − 1) + relu(t − 2)``; for
    ``m = 0`` the first two are ``t + 2`` and ``t + 1`` (``t ≥ 0``), for ``m = N`` the last
    two vanish (``t ≤ 0``).

    >>> psi_form(2, 0)                   # 1 − relu(t − 1) + relu(t − 2)
    (((0, Fraction(-1, 1)), (1, Fraction(1, 1))), Fraction(1, 1))
    >>> [(j, int(c)) for j, c in psi_form(2, 1)[0]]
    [(0, 1), (1, -1), (2, -1), (3, 1)]
    """
    index = {j: k for k, j in enumerate(pieces(n_grid))}
    terms = tuple((index[3 * m + shift], Fraction(coef))
                  for shift, coef in ((-2, 1), (-1, -1), (1, -1), (2, 1))
                  if 0 < 3 * m + shift < 3 * n_grid)
    return terms, Fraction(1 if m == 0 else 0)  # m = 0: (t + 2) − (t + 1) = 1


def psi_exact(t: Fraction) -> Fraction:
    """The trapezoid ``ψ(t)``, exactly.

    >>> [psi_exact(Fraction(t, 2)) for t in (-5, -3, 0, 3, 4)]
    [Fraction(0, 1), Fraction(1, 2), Fraction(1, 1), Fraction(1, 2), Fraction(0, 1)]
    """
    return min(Fraction(1), max(Fraction(0), 2 - abs(t)))


def phi_exact(n_grid: int, m: Sequence[int], u: Sequence[Fraction]) -> Fraction:
    """``φ_m(u) = Π_k ψ(3N u_k − 3m_k)``, exactly.

    >>> phi_exact(2, (1, 0), (Fraction(1, 2), Fraction(1, 12)))   # ψ(0)·ψ(1/2)
    Fraction(1, 1)
    """
    return math.prod((psi_exact(3 * n_grid * x - 3 * k) for k, x in zip(m, u, strict=True)),
                     start=Fraction(1))


def active_cells(n_grid: int, u: Sequence[Fraction]) -> list[tuple[int, ...]]:
    """The grid points ``m`` with ``φ_m(u) > 0`` (at most ``2^d``).

    >>> active_cells(3, (Fraction(1, 2), Fraction(0)))
    [(1, 0), (2, 0)]
    """
    axes = []
    for x in u:
        t = 3 * n_grid * x
        axes.append([m for m in range(max(0, math.floor((t - 2) / 3)),
                                      min(n_grid, math.ceil((t + 2) / 3)) + 1)
                     if abs(t - 3 * m) < 2])
    return list(itertools.product(*axes))


def grid_points(dim: int, n_grid: int) -> list[tuple[int, ...]]:
    """Every grid point ``m ∈ {0..N}^d``, in lexicographic order."""
    return list(itertools.product(range(n_grid + 1), repeat=dim))


# -- the product tree over the coordinates ------------------------------------------------------

def children(node: Node) -> tuple[Node, Node]:
    """The balanced split of a tree node: the first ``⌈|S|/2⌉`` coordinates, the rest.

    >>> children((0, 1, 2))
    ((0, 1), (2,))
    """
    half = (len(node) + 1) // 2
    return node[:half], node[half:]


def height(size: int) -> int:
    """``⌈log2 size⌉``: the product levels of a balanced tree over ``size`` factors.

    >>> [height(k) for k in (1, 2, 3, 4, 5)]
    [0, 1, 2, 2, 3]
    """
    return (size - 1).bit_length()


def tree_nodes(dim: int) -> Iterator[tuple[Node, int]]:
    """Every node of the coordinate tree with its depth (root 0), parents first.

    >>> list(tree_nodes(3))
    [((0, 1, 2), 0), ((0, 1), 1), ((0,), 2), ((1,), 2), ((2,), 1)]
    """
    stack: list[tuple[Node, int]] = [(tuple(range(dim)), 0)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        if len(node) > 1:
            left, right = children(node)
            stack.extend([(right, depth + 1), (left, depth + 1)])


# -- the monomials --------------------------------------------------------------------------------

def monomials(dim: int, order: int) -> list[Exponents]:
    """The exponents ``β`` with ``1 ≤ |β| ≤ n − 1`` (``order`` = n), by degree.

    >>> monomials(2, 3)
    [(1, 0), (0, 1), (2, 0), (1, 1), (0, 2)]
    """
    out = []
    for degree in range(1, order):
        found = [e for e in itertools.product(range(degree + 1), repeat=dim) if sum(e) == degree]
        out.extend(sorted(found, reverse=True))
    return out


def taylor_exponents(dim: int, order: int) -> list[Exponents]:
    """The exponents ``α`` of a local Taylor polynomial of degree ``n − 1``, ``α = 0`` first.

    >>> len(taylor_exponents(2, 3)), math.comb(2 + 2, 2)
    (6, 6)
    """
    return [(0,) * dim, *monomials(dim, order)]


def split(e: Exponents) -> tuple[Exponents, Exponents]:
    """A balanced split ``e = e1 + e2`` with ``deg e1 = ⌊deg e / 2⌋``; ``e1 == e2`` exactly when
    every exponent is even (a square).

    >>> split((2, 1)), split((2, 2))
    (((1, 0), (1, 1)), ((1, 1), (1, 1)))
    """
    return halves(e)


def stage(degree: int) -> int:
    """The product stage of a monomial of ``degree``: ``⌈log2 degree⌉`` (degree 1: 0).

    >>> [stage(k) for k in (1, 2, 3, 4, 5)]
    [0, 1, 2, 2, 3]
    """
    return height(degree)


def is_square(e: Exponents) -> bool:
    return sum(e) >= 2 and all(k % 2 == 0 for k in e)


def factorial(e: Exponents) -> int:
    """``α! = Π α_k!``."""
    return math.prod(math.factorial(k) for k in e)
