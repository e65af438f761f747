"""Closed-form sizes of the real-space constructions, for any d, n, ε (Yarotsky 2017,
arXiv:1610.01145, Thm 1; quadratic neurons: Fan et al. 2023, arXiv:2303.06316).

A design (:class:`TaylorDesign`) fixes the grid ``N`` and, for ReLU, the Taylor share of ε
and the sawtooth levels ``L``, from the derivative bounds alone (:mod:`.budget`). The counts
follow from the layout both builders use, layer by layer, as formulas in ``P = N + 1``,
``d`` and ``n`` (sums over the ``C(n−1+d, d)`` monomials and the levels, never over the
``P^d`` cells), so they are cheap at d = 10:

- **quadratic**: layer 1 the ``2N`` relu pieces ``relu(3N u_k − j)`` of each axis and the
  carries ``u_k + 1``; then exact product neurons: the monomials ``(u + 1)^β``
  (``|β| < n``, a square by ``w_b``), the partition of unity ``φ_m`` (a balanced tree over
  the coordinates, aligned to end at the top), carries where a value must wait; one neuron
  ``relu(φ_m·(P_m + K))`` per cell; the output ``Σ − K``.
- **relu**: the same layout, every product an approximate one: two folded sawtooth squares
  of ``L`` levels (``4 + 3(L−1)`` neurons each), a square one; one relu neuron
  ``relu(P̃_m + K')`` per cell before the cell's final product.

``nonzero`` counts every weight the construction sets as nonzero (its data, the Taylor
coefficients, included): a built network has exactly this many unless some coefficient is 0
(then fewer; the construction records how many vanished).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..core import limits
from ..core.counts import ParamCounts
from ..core.limits import one_of
from ..core.numbers import format_rational, positive_eps, positive_rational
from ..errors import QuadTheoryError
from ..exact.construction import FAMILIES
from .budget import (
    QUADRATIC_SHARE,
    RELU_SHARES,
    ProductBudget,
    coefficient_grid,
    coefficient_sum,
    fewest_levels,
    grid_size,
    has_products,
    local_bound,
    rounding_error,
    taylor_error,
)
from .grid import children, height, is_square, monomials, split, stage, tree_nodes

MAX_ORDER = 12
TINIEST = Fraction(1, 10**299)  # eps below this overflows the designs' float sizing


@dataclass(frozen=True)
class TaylorDesign:
    """The sizes a real-space construction is built with, and its error budget.

    >>> design = taylor_design("quadratic", 2, 3, Fraction(1, 1000), [Fraction(1)] * 4)
    >>> design.n_grid, design.certified_error <= Fraction(1, 1000)   # (8/6)(2/(3N))³ ≤ ε
    (8, True)
    """

    family: str
    dim: int
    order: int
    eps: Fraction
    bounds: tuple[Fraction, ...]  # W_0..W_n in cube coordinates
    n_grid: int
    share: Fraction  # of eps, for the Taylor remainder
    grid: Fraction  # the dyadic grid of the coefficients
    taylor: Fraction
    rounding: Fraction
    products: ProductBudget | None

    @property
    def levels(self) -> int:
        """Sawtooth levels per approximate square (0: exact products, or none)."""
        return 0 if self.products is None else self.products.levels

    @property
    def product_error(self) -> Fraction:
        return Fraction(0) if self.products is None else self.products.total

    @property
    def certified_error(self) -> Fraction:
        return self.taylor + self.rounding + self.product_error

    def as_dict(self) -> dict[str, Any]:
        return {"smoothness": self.order, "grid": self.n_grid, "cells": (self.n_grid + 1)
                ** self.dim, "sawtooth_levels": self.levels,
                "taylor_share": format_rational(self.share),
                "derivative_bounds": [format_rational(w) for w in self.bounds],
                "taylor_error": format_rational(self.taylor),
                "rounding_error": format_rational(self.rounding),
                "product_error": format_rational(self.product_error)}


def _check(family: str, dim: int, order: int) -> None:
    one_of(family, "family", FAMILIES)
    for name, value, top in (("dim", dim, 64), ("n", order, MAX_ORDER)):
        limits.integer(value, name, 1, top, expected=f"an integer in 1..{top}")


def taylor_design(family: str, dim: int, order: int, eps: Fraction,
                  bounds: Sequence[Fraction], share: Fraction | None = None) -> TaylorDesign:
    """The design for derivative bounds ``bounds`` (``W_0..W_n``); ``share``: the Taylor
    share of eps (ReLU; the quadratic family gives it all but the rounding)."""
    _check(family, dim, order)
    if len(bounds) != order + 1:
        raise QuadTheoryError(f"bounds: expected {order + 1} derivative bounds (orders 0..{order}),"
                              f" found {len(bounds)}")
    bounds = tuple(Fraction(w) for w in bounds)
    if family == "quadratic" or not has_products(dim, order):
        share = QUADRATIC_SHARE
    elif share is None or not 0 < share < QUADRATIC_SHARE:
        raise QuadTheoryError(f"share: expected a Taylor share of eps in (0, 63/64), found "
                              f"{share!r}")
    n_grid = grid_size(dim, order, bounds[order], share * eps)
    grid = coefficient_grid(eps, dim, order)
    taylor = taylor_error(dim, order, n_grid, bounds[order])
    rounding = rounding_error(dim, order, n_grid, grid)
    products = None
    if family == "relu" and has_products(dim, order):
        room = eps - taylor - rounding
        products = fewest_levels(dim, dim, order, coefficient_sum(dim, order, bounds, grid),
                                 local_bound(dim, order, n_grid, bounds, grid),
                                 bounds[0] + grid, room)
    return TaylorDesign(family, dim, order, eps, bounds, n_grid, share, grid, taylor, rounding,
                        products)


@dataclass(frozen=True)
class TaylorCounts:
    """The closed-form size of a real-space construction.

    >>> c = taylor_counts(1, 2, "1e-2")
    >>> c.n_grid, c.params, c.widths     # N = 5: 10 pieces + 1 carry; 6 cells; the sum
    (5, ParamCounts(dense=245, nonzero=62), (11, 6, 1))
    """

    family: str
    dim: int
    order: int
    eps: Fraction
    n_grid: int
    levels: int
    params: ParamCounts
    widths: tuple[int, ...]
    certified_error: Fraction
    design: TaylorDesign

    @property
    def cells(self) -> int:
        return (self.n_grid + 1) ** self.dim

    @property
    def depth(self) -> int:
        return len(self.widths)

    @property
    def neurons(self) -> int:
        return sum(self.widths)

    def as_dict(self) -> dict[str, Any]:
        return {"family": self.family, "d": self.dim, "n": self.order,
                "eps": format_rational(self.eps), "grid": self.n_grid, "cells": self.cells,
                "sawtooth_levels": self.levels, **self.params.as_dict(), "depth": self.depth,
                "neurons": self.neurons,
                "certified_error": format_rational(self.certified_error)}


def _bounds(bound: object, order: int) -> tuple[Fraction, ...]:
    if isinstance(bound, Sequence) and not isinstance(bound, str):
        values = [positive_rational(b, f"bound[{k}]") if b else Fraction(0)
                  for k, b in enumerate(bound)]
        if len(values) != order + 1:
            raise QuadTheoryError(f"bound: expected one number or {order + 1} numbers (orders "
                                  f"0..{order}), found {len(values)}")
        return tuple(values)
    return (positive_rational(bound, "bound"),) * (order + 1)


def taylor_counts(dim: int, order: int, eps: object, family: str = "quadratic",
                  bound: object = 1) -> TaylorCounts:
    """The closed-form counts of the real-space construction for a target with
    ``max |D^α f| ≤ bound`` on ``[0, 1]^d`` for ``|α| ≤ n`` (the unit ball of ``W^{n,∞}`` when
    ``bound = 1``; a list of ``n + 1`` bounds, order by order, is accepted too). The ReLU
    design takes the Taylor share of ε with the fewest nonzero params.

    >>> q = taylor_counts(2, 3, "1e-3")
    >>> r = taylor_counts(2, 3, "1e-3", "relu")
    >>> q.n_grid, q.params.nonzero, r.levels, r.params.nonzero > 10 * q.params.nonzero
    (8, 1319, 7, True)
    """
    _check(family, dim, order)
    e = positive_eps(eps)
    # The designs size their grids in floats: past these a float overflows (1/ε, M/ε).
    limits.check(e, TINIEST, "eps", at_least=True)
    limits.check(e, limits.MAX_EPS, "eps")
    bounds = _bounds(bound, order)
    for b in bounds:
        limits.check(b, limits.MAX_EPS, "bound")
    return best_counts(family, dim, order, e, bounds)


def best_counts(family: str, dim: int, order: int, eps: Fraction,
                bounds: Sequence[Fraction]) -> TaylorCounts:
    """The counts of the best design: the one share for the quadratic family, for ReLU the
    Taylor share with the fewest nonzero params (then dense)."""
    shares = (None,) if family == "quadratic" or not has_products(dim, order) else RELU_SHARES
    found = []
    for share in shares:
        try:
            found.append(counts_of(taylor_design(family, dim, order, eps, bounds, share)))
        except QuadTheoryError:
            continue
    if not found:
        raise QuadTheoryError(f"no design meets eps {limits.shown(eps)} (d = {dim}, n = "
                              f"{order}); expected a larger eps")
    return min(found, key=lambda c: (c.params.nonzero, c.params.dense))


def counts_of(design: TaylorDesign) -> TaylorCounts:
    """The counts of a design's network, from the layout (see the module docstring)."""
    layers = (_quadratic_layers if design.family == "quadratic" else _relu_layers)(design)
    dense = nonzero = 0
    previous = design.dim
    for width, quadratic, nz in layers:
        dense += width * (3 * previous + 3 if quadratic else previous + 1)
        nonzero += nz
        previous = width
    return TaylorCounts(design.family, design.dim, design.order, design.eps, design.n_grid,
                        design.levels, ParamCounts(dense, nonzero),
                        tuple(w for w, _, _ in layers), design.certified_error, design)


Layer = tuple[int, bool, int]  # width, quadratic?, nonzero


def _monomial_count(dim: int, degree: int) -> int:
    """``#{β : 1 ≤ |β| ≤ degree}``."""
    return math.comb(degree + dim, dim) - 1


def _quadratic_layers(design: TaylorDesign) -> list[Layer]:
    d, n, big_n = design.dim, design.order, design.n_grid
    p = big_n + 1
    cells = p**d
    psi_sum = 4 * big_n + 1  # Σ_m (entries + constant) of the forms ψ_m over the pieces
    betas = monomials(d, n)
    top = max(1 + height(d), 1 + stage(n - 1) if n > 1 else 1)
    nodes = list(tree_nodes(d))
    level = {node: top - depth for node, depth in nodes}
    leaves = [node for node, _ in nodes if len(node) == 1]
    layers: list[Layer] = []
    first = 2 * big_n * d + (d if n > 1 else 0)
    layers.append((first, False, 2 * first))

    def reads(child: tuple[int, ...], at: int) -> int:
        """Σ over the child's indices of the nonzero entries reading it at level ``at``."""
        return psi_sum if len(child) == 1 and at == 1 else p ** len(child)

    for lv in range(2, top + 1):
        made = [b for b in betas if 1 + stage(sum(b)) == lv]
        waiting = [b for b in betas if 1 + stage(sum(b)) < lv]
        products = [node for node in level if len(node) > 1 and level[node] == lv]
        carried = [leaf for leaf in leaves if level[leaf] >= lv]
        quadratic = bool(made or products)
        width = (len(made) + len(waiting) + sum(p ** len(s) for s in products)
                 + p * len(carried))
        nz = sum(1 if is_square(b) else 2 for b in made) + len(waiting) * (1 + quadratic)
        for node in products:
            a, b = children(node)
            nz += p ** len(b) * reads(a, lv - 1) + p ** len(a) * reads(b, lv - 1)
        nz += len(carried) * (reads((0,), lv - 1) + p * quadratic)
        layers.append((width, quadratic, nz))
    if n == 1:
        root_reads = cells if d > 1 else 2 * big_n + 1  # d = 1: pieces merge, bias c_0
        layers.append((1, False, root_reads))
        return layers
    root = tuple(range(d))
    layers.append((cells, True, reads(root, top) + cells * (len(betas) + 1)))
    layers.append((1, False, cells + 1))
    return layers


def _biases(const: Fraction, radius: Fraction) -> int:
    """Nonzero biases of a folded square's first level: ``relu(±z)``, ``relu(±z − R/2)``."""
    return 2 * (const != 0) + (const != radius / 2) + (-const != radius / 2)


class _Tally:
    """Widths and nonzero counts of relu levels, filled chain by chain."""

    def __init__(self, levels: int) -> None:
        self.levels = levels
        self.width: dict[int, int] = {}
        self.nonzero: dict[int, int] = {}

    @property
    def out_terms(self) -> int:
        """Terms of a square's output: 4 neurons of its first level (L = 1), else 3."""
        return 4 if self.levels == 1 else 3

    def add(self, level: int, count: int, nonzero: int) -> None:
        self.width[level] = self.width.get(level, 0) + count
        self.nonzero[level] = self.nonzero.get(level, 0) + nonzero

    def squares(self, first: int, count: int, terms: int, biases: int) -> None:
        """``count`` squares whose input (``terms`` terms) lives at level ``first − 1``;
        ``biases``: their first levels' nonzero biases, all together."""
        self.add(first, 4 * count, 4 * terms * count + biases)
        for k in range(1, self.levels):
            self.add(first + k, 3 * count, (13 if k == 1 else 8) * count)

    def lift(self, start: int, stop: int, count: int, first_nonzero: int) -> None:
        """Carry ``count`` values from level ``start`` up to ``stop``, one neuron a level."""
        for level in range(start + 1, stop + 1):
            self.add(level, count, first_nonzero if level == start + 1 else count)


def _relu_layers(design: TaylorDesign) -> list[Layer]:
    d, n, big_n = design.dim, design.order, design.n_grid
    p = big_n + 1
    cells = p**d
    psi_sum = 4 * big_n + 1
    first = 2 * big_n * d + (d if n > 1 else 0)
    if not has_products(d, n):  # d = 1, n = 1: Σ c_m ψ_m straight from the pieces
        return [(first, False, 2 * first), (1, False, 2 * big_n + 1)]
    budget = design.products
    assert budget is not None
    big_l = budget.levels
    t = _Tally(big_l)
    t.add(1, first, 2 * first)
    top_stage = max(height(d), stage(n - 1) if n > 1 else 0)
    lam = 2 + top_stage * big_l
    # the monomials of w = 2(u + 1) − 3, each lifted up to lam − 1 where P̃_m reads it
    betas = monomials(d, n)
    own = {b: 1 + stage(sum(b)) * big_l for b in betas}
    shifts, radii = budget.carry_shifts, budget.monomial_radii

    def value(b: tuple[int, ...], level: int) -> tuple[int, Fraction]:
        """(terms, constant) of the monomial's value at ``level``."""
        if level > own[b]:
            return 1, -shifts[b]
        if sum(b) == 1:
            return 1, Fraction(-3)
        return (1 if is_square(b) else 2) * t.out_terms, Fraction(0)

    for b in betas:
        terms, const = value(b, own[b])
        t.lift(own[b], lam - 1, 1, terms + (const + shifts[b] != 0))
        if sum(b) == 1:
            continue
        start = own[b] - big_l
        left, right = split(b)
        (ta, ka), (tb, kb) = value(left, start), value(right, start)
        if left == right:
            t.squares(start + 1, 1, ta, _biases(ka, radii[b]))
        else:
            biases = _biases(ka + kb, radii[b]) + _biases(ka - kb, radii[b])
            t.squares(start + 1, 2, ta + tb, biases)
    # the partition of unity: leaves lifted from the pieces, products aligned to end at lam
    for node, depth in tree_nodes(d):
        at = lam - depth * big_l
        if len(node) == 1:
            t.lift(1, at, p, psi_sum)
            continue
        a, b = children(node)
        terms = sum(1 if len(c) == 1 else 2 * t.out_terms for c in (a, b))
        t.squares(at - big_l + 1, 2 * p ** len(node), terms, 2 * 2 * p ** len(node))
    root_terms = 1 if d == 1 else 2 * t.out_terms
    if n == 1:
        return _finish(t, lam, (1, False, cells * root_terms))
    read = sum(value(b, lam - 1)[0] for b in betas)
    t.add(lam, cells, cells * (read + 1))  # relu(P̃_m + K'), the data of the cell
    k = budget.shift / budget.alpha
    t.squares(lam + 1, 2 * cells, root_terms + 1,
              cells * (_biases(-k, budget.radius) + _biases(k, budget.radius)))
    return _finish(t, lam + big_l, (1, False, cells * 2 * t.out_terms))


def _finish(t: _Tally, top: int, output: Layer) -> list[Layer]:
    if sorted(t.width) != list(range(1, top + 1)):
        raise AssertionError(f"relu layout: levels {sorted(t.width)} are not 1..{top}")
    return [*((t.width[k], False, t.nonzero[k]) for k in range(1, top + 1)), output]
