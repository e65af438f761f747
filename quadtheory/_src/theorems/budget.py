"""Error budgets of the real-space constructions (Yarotsky 2017, arXiv:1610.01145, Thm 1).

Everything is in the cube coordinates ``u ∈ [0, 1]^d`` of the box, with ``W_k`` proved upper
bounds of ``max_{|α| = k} |D^α f|`` (:mod:`.derivatives`), ``h = 2/(3N)``:

- **Taylor**: where ``φ_m(u) > 0``, ``|u_k − m_k/N| < h``, so Lagrange's remainder gives
  ``|f − P_m| ≤ Σ_{|α|=n} W_n/α! h^n = (d^n/n!) W_n h^n``; since ``φ_m ≥ 0`` and
  ``Σ_m φ_m = 1``, ``|f − Σ_m φ_m P_m| ≤ max_m |f − P_m| ≤ (d^n/n!) W_n h^n`` (a convex
  combination: sharper than Yarotsky's ``2^d (d^n/n!) W_n N^{-n}``, which sums the ``2^d``
  terms).
- **Rounding**: every Taylor coefficient rounded with error ``≤ δ`` (the dyadic ``grid``)
  adds ``δ Σ_{|α|<n} h^{|α|}``.
- **Products** (ReLU only): the products are Yarotsky's approximate products
  ``×̃(a, b) = (S(αa + b/α) − S(αa − b/α))/4`` with ``S`` the folded sawtooth square centred at
  0, ``S(z) − z² ∈ [0, R²·4^(−L−1)]`` for ``|z| ≤ R``. ``S`` is even, so ``×̃(0, b) =
  ×̃(a, 0) = 0`` exactly: where ``φ_m = 0`` the approximate ``φ̃_m`` and the term
  ``×̃(φ̃_m, P̃_m)`` vanish too, and at any point only the ``≤ 2^d`` active terms carry
  error. With ``E_μ`` the worst monomial error, ``E_φ`` the error of ``φ̃``, ``C ≥ Σ|c'_β|``
  (the coefficients of ``P_m`` in the monomials ``w^β``, ``w = 2u − 1``), ``V ≥ |P_m|`` where
  ``φ_m > 0``: ``|Σ ×̃(φ̃_m, P̃_m) − Σ φ_m P_m| ≤ C E_μ + 2^d (V E_φ + E_φ C E_μ + e_T/4)``.

Only these bounds are used to size the networks (grid ``N``, sawtooth levels ``L``), so the
closed-form counts (:mod:`.counts`) and the built networks agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import sympy

from ..errors import QuadTheoryError
from .grid import Exponents, Node, children, monomials, split, tree_nodes

ROUNDING_SHARE = Fraction(1, 64)  # of eps, for the coefficients
QUADRATIC_SHARE = 1 - ROUNDING_SHARE  # of eps, for the Taylor remainder (exact products)
RELU_SHARES = (Fraction(1, 2), Fraction(5, 8), Fraction(3, 4), Fraction(7, 8))
MAX_LEVELS = 96  # sawtooth levels of one square, at most (error 4^-97 R^2)


def spacing(n_grid: int) -> Fraction:
    """``h = 2/(3N)``: how far from its grid point a cell's ``φ_m`` reaches, per axis."""
    return Fraction(2, 3 * n_grid)


def taylor_constant(dim: int, order: int, top: Fraction) -> Fraction:
    """``(d^n/n!)·W_n``: the Taylor error is this times ``h^n``."""
    return Fraction(dim**order, math.factorial(order)) * top


def taylor_error(dim: int, order: int, n_grid: int, top: Fraction) -> Fraction:
    """``(d^n/n!) W_n (2/(3N))^n``.

    >>> taylor_error(1, 2, 3, Fraction(2))     # x² on [0, 1]: (1/2)·2·(2/9)²
    Fraction(4, 81)
    """
    return taylor_constant(dim, order, top) * spacing(n_grid) ** order


def grid_size(dim: int, order: int, top: Fraction, budget: Fraction) -> int:
    """The least ``N ≥ 1`` with ``taylor_error ≤ budget``.

    >>> grid_size(1, 2, Fraction(2), Fraction(1, 100))   # (2/(3N))² ≤ 1/100: N ≥ 20/3
    7
    """
    if budget <= 0:
        raise QuadTheoryError(f"budget: expected a positive error budget, found {budget}")
    constant = taylor_constant(dim, order, top)
    if constant == 0:
        return 1
    # N^n ≥ constant·(2/3)^n / budget, i.e. N^n ≥ ⌈need⌉ (N^n is an integer): the exact
    # integer root (a float guess is off by up to 1e10 steps at ε = 1e-80).
    need = constant * Fraction(2, 3) ** order / budget
    root, exact = sympy.integer_nthroot(math.ceil(need), order)
    return max(1, int(root) if exact else int(root) + 1)


def coefficient_count(dim: int, degree: int) -> int:
    """``#{α : |α| = degree}``."""
    return math.comb(degree + dim - 1, dim - 1)


def coefficient_grid(eps: Fraction, dim: int, order: int) -> Fraction:
    """The dyadic grid ``δ`` of the Taylor coefficients: ``δ·#{α : |α| < n} ≤ eps/64``.

    >>> coefficient_grid(Fraction(1, 1000), 2, 3)     # 6 coefficients: δ ≤ 1/384000
    Fraction(1, 524288)
    """
    count = math.comb(order - 1 + dim, dim)
    target = eps * ROUNDING_SHARE / count
    k = 0
    while Fraction(1, 2**k) > target:
        k += 1
    return Fraction(1, 2**k)


def rounding_error(dim: int, order: int, n_grid: int, grid: Fraction) -> Fraction:
    """``δ Σ_{|α|<n} h^{|α|}``: what rounding the coefficients adds, at most."""
    h = spacing(n_grid)
    return grid * sum((coefficient_count(dim, k) * h**k for k in range(order)), Fraction(0))


def coefficient_sum(dim: int, order: int, bounds: Sequence[Fraction], grid: Fraction
                    ) -> Fraction:
    """``C ≥ Σ_α |ĉ_α|`` (and so ``≥ Σ_β |c'_β|`` in the basis ``w = 2u − 1``):
    ``Σ_{k<n} (W_k d^k/k! + δ·#{|α| = k})``."""
    return sum((bounds[k] * Fraction(dim**k, math.factorial(k)) + grid * coefficient_count(dim, k)
                for k in range(order)), Fraction(0))


def local_bound(dim: int, order: int, n_grid: int, bounds: Sequence[Fraction], grid: Fraction
                ) -> Fraction:
    """``V ≥ |P̂_m(u)|`` wherever ``φ_m(u) > 0``: ``Σ_{k<n} (W_k d^k/k! + δ·#{|α|=k}) h^k``."""
    h = spacing(n_grid)
    return sum(((bounds[k] * Fraction(dim**k, math.factorial(k))
                 + grid * coefficient_count(dim, k)) * h**k for k in range(order)), Fraction(0))


def square_error(radius: Fraction, levels: int) -> Fraction:
    """``R²·4^(−L−1)``: the one-sided error of an ``L``-level folded square on ``[−R, R]``."""
    return radius * radius / Fraction(4) ** (levels + 1)


def power_of_two_near(ratio: Fraction) -> Fraction:
    """A power of 2 within a factor √2 of ``√ratio`` (``α`` balancing ``αa`` and ``b/α``).

    >>> power_of_two_near(Fraction(9)), power_of_two_near(Fraction(1, 20))
    (Fraction(4, 1), Fraction(1, 4))
    """
    alpha = Fraction(1)
    while alpha * alpha * 2 < ratio:
        alpha *= 2
    while alpha * alpha > ratio * 2:
        alpha /= 2
    return alpha


def dyadic_up(x: Fraction, bits: int = 12) -> Fraction:
    """The least multiple of ``2^-bits`` that is ``>= x``: radii and shifts used as weights
    stay short dyadic rationals (exact evaluation stays fast), and bounds stay bounds.

    >>> dyadic_up(Fraction(1, 3), 4)
    Fraction(3, 8)
    """
    return Fraction(math.ceil(x * 2**bits), 2**bits)


@dataclass(frozen=True)
class ProductBudget:
    """The proved error of the ReLU network's approximate products at ``levels`` sawtooth
    levels per square; see the module docstring.

    ``monomial_errors[β]``: ``|μ̃_β − w^β|``, ``monomial_radii[β]``: the range ``[−R, R]`` of
    the squares making ``μ̃_β`` and ``carry_shifts[β] ≥ |μ̃_β|`` (so ``relu(μ̃ + s) − s`` is
    exact); ``node_errors[S]``, ``node_radii[S]``: the same for ``φ̃_S``, a node of the
    coordinate tree; ``shift``: ``K' ≥ V + C·E_μ`` (so ``P̃_m + K' ≥ 0`` where ``φ_m > 0``);
    ``alpha``, ``radius``: the balance and range of the final products. Radii and shifts are
    dyadic (:func:`dyadic_up`).
    """

    levels: int
    monomial_errors: dict[Exponents, Fraction]
    monomial_radii: dict[Exponents, Fraction]
    carry_shifts: dict[Exponents, Fraction]
    node_errors: dict[Node, Fraction]
    node_radii: dict[Node, Fraction]
    coefficient_sum: Fraction
    local_bound: Fraction
    shift: Fraction
    alpha: Fraction
    radius: Fraction
    total: Fraction

    @property
    def monomial_error(self) -> Fraction:
        return max(self.monomial_errors.values(), default=Fraction(0))

    @property
    def phi_error(self) -> Fraction:
        return max(self.node_errors.values(), default=Fraction(0))


def product_budget(dim: int, variables: int, order: int, coefficient_sum: Fraction,
                   local_bound: Fraction, value_bound: Fraction, levels: int) -> ProductBudget:
    """The error the approximate products add, at ``levels`` sawtooth levels each: ``dim``
    partition axes, monomials in ``variables`` variables of ``w ∈ [−1, 1]``;
    ``coefficient_sum`` ``C ≥ Σ_β |c'_β|``, ``local_bound`` ``V ≥ |P_m|`` where
    ``φ_m > 0``, ``value_bound ≥ |c_m|`` (for ``n = 1``).

    >>> b = product_budget(2, 2, 2, Fraction(3), Fraction(2), Fraction(1), 6)
    >>> b.node_errors[(0, 1)] == square_error(Fraction(2), 6) / 4   # ψ·ψ: one product
    True
    >>> [float(product_budget(2, 2, 2, Fraction(3), Fraction(2), Fraction(1), levels).total)
    ...  < 1e-3 for levels in (6, 7)]                                 # each level: ÷ 4
    [False, True]
    """
    errors: dict[Exponents, Fraction] = {}
    radii: dict[Exponents, Fraction] = {}
    for beta in monomials(variables, order):
        if sum(beta) == 1:
            errors[beta] = Fraction(0)
            continue
        a, b = split(beta)
        ea, eb = errors[a], errors[b]
        if a == b:
            radii[beta] = dyadic_up(1 + ea)
            errors[beta] = 2 * ea + ea * ea + square_error(radii[beta], levels)
        else:
            radii[beta] = dyadic_up(2 + ea + eb)
            errors[beta] = ea + eb + ea * eb + square_error(radii[beta], levels) / 4
    shifts = {beta: dyadic_up(1 + e) for beta, e in errors.items()}
    node_errors: dict[Node, Fraction] = {}
    node_radii: dict[Node, Fraction] = {}
    for node, _ in sorted(tree_nodes(dim), key=lambda item: len(item[0])):
        if len(node) == 1:
            node_errors[node] = Fraction(0)
            continue
        a, b = (node_errors[c] for c in children(node))
        node_radii[node] = dyadic_up(2 + a + b)
        node_errors[node] = a + b + a * b + square_error(node_radii[node], levels) / 4
    e_mu = max(errors.values(), default=Fraction(0))
    e_phi = node_errors[tuple(range(dim))]
    c_sum, v = coefficient_sum, local_bound
    active = 2**dim
    if order == 1:  # Σ c_m φ̃_m: no final products
        total = active * value_bound * e_phi
        return ProductBudget(levels, errors, radii, shifts, node_errors, node_radii, c_sum, v,
                             Fraction(0), Fraction(1), Fraction(0), total)
    shift = dyadic_up(v + c_sum * e_mu)
    alpha = power_of_two_near(shift / (1 + e_phi))
    radius = dyadic_up(alpha * (1 + e_phi) + shift / alpha)
    total = c_sum * e_mu + active * (v * e_phi + e_phi * c_sum * e_mu
                                     + square_error(radius, levels) / 4)
    return ProductBudget(levels, errors, radii, shifts, node_errors, node_radii, c_sum, v,
                         shift, alpha, radius, total)


def has_products(dim: int, order: int) -> bool:
    """Whether the ReLU network has approximate products at all (not for d = 1, n = 1)."""
    return dim > 1 or order > 1


def fewest_levels(dim: int, variables: int, order: int, coefficient_sum: Fraction,
                  local_bound: Fraction, value_bound: Fraction, budget: Fraction
                  ) -> ProductBudget:
    """The budget at the fewest sawtooth levels ``L ≥ 1`` whose error is ``≤ budget``."""
    for levels in range(1, MAX_LEVELS + 1):
        found = product_budget(dim, variables, order, coefficient_sum, local_bound,
                               value_bound, levels)
        if found.total <= budget:
            return found
    raise QuadTheoryError(f"no sawtooth depth up to {MAX_LEVELS} levels meets the product "
                          f"budget {float(budget):.3g}; expected a larger eps")
