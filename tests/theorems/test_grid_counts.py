"""The grid, the error budgets and the closed-form counts of the real-space constructions.

The closed forms (:func:`quadtheory.taylor_counts`) must equal the built networks' counts:
here over a grid of structures (d, n, N, sawtooth levels) with random Taylor coefficients
(generic: no entry vanishes), built by both families' builders on random boxes.
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import quadtheory as qt
from quadtheory._src.theorems.budget import (
    coefficient_grid,
    coefficient_sum,
    dyadic_up,
    grid_size,
    has_products,
    local_bound,
    product_budget,
    rounding_error,
    taylor_error,
)
from quadtheory._src.theorems.counts import TaylorDesign, counts_of
from quadtheory._src.theorems.grid import (
    active_cells,
    grid_points,
    monomials,
    phi_exact,
    pieces,
    psi_exact,
    psi_form,
    split,
    taylor_exponents,
)
from quadtheory._src.theorems.local import LocalPolynomials
from quadtheory._src.theorems.partition import box_coordinates
from quadtheory._src.theorems.quadratic_taylor import build_quadratic
from quadtheory._src.theorems.relu_taylor import build_relu
from tests.strategies import examples

F = Fraction
unit = st.builds(F, st.integers(0, 97), st.just(97))


@given(st.integers(1, 7), st.lists(unit, min_size=1, max_size=3))
@settings(max_examples=examples(40))
def test_the_trapezoids_are_a_partition_of_unity(n_grid, u):
    cells = active_cells(n_grid, u)
    assert 1 <= len(cells) <= 2 ** len(u)
    assert sum(phi_exact(n_grid, m, u) for m in grid_points(len(u), n_grid)) == 1
    assert all(phi_exact(n_grid, m, u) > 0 for m in cells)


@given(st.integers(1, 6), unit)
@settings(max_examples=examples(40))
def test_psi_forms_are_the_trapezoids(n_grid, u):
    t = 3 * n_grid * u
    relu = [max(F(0), t - j) for j in pieces(n_grid)]
    for m in range(n_grid + 1):
        terms, const = psi_form(n_grid, m)
        assert sum((c * relu[k] for k, c in terms), const) == psi_exact(t - 3 * m)


@pytest.mark.parametrize("dim,order", [(1, 1), (1, 4), (2, 3), (3, 4)])
def test_monomials_split_into_smaller_ones(dim, order):
    betas = monomials(dim, order)
    assert len(taylor_exponents(dim, order)) == len(betas) + 1
    for beta in betas:
        if sum(beta) > 1:
            a, b = split(beta)
            assert a in betas and b in betas and tuple(x + y for x, y in zip(a, b)) == beta


@given(st.integers(1, 3), st.integers(1, 5), st.integers(1, 40), st.integers(2, 150))
@settings(max_examples=examples(40))
def test_grid_size_is_the_least_that_meets_the_budget(dim, order, top, digits):
    # Budgets down to 1e-150: a float root guess was off by ~1e10 steps at 1e-80 (a hang).
    budget = F(1, 10**digits)
    n = grid_size(dim, order, F(top), budget)
    assert taylor_error(dim, order, n, F(top)) <= budget
    assert n == 1 or taylor_error(dim, order, n - 1, F(top)) > budget


@given(st.fractions(min_value=0, max_value=100), st.integers(0, 20))
def test_dyadic_up_is_an_upper_bound_on_the_grid(x, bits):
    y = dyadic_up(x, bits)
    assert x <= y < x + F(1, 2**bits) and (y * 2**bits).denominator == 1


def _design(family, dim, order, n_grid, levels):
    bounds = tuple(F(1) for _ in range(order + 1))
    grid = coefficient_grid(F(1, 100), dim, order)
    products = None
    if family == "relu" and has_products(dim, order):
        products = product_budget(dim, dim, order, coefficient_sum(dim, order, bounds, grid),
                                  local_bound(dim, order, n_grid, bounds, grid),
                                  bounds[0] + grid, levels)
    return TaylorDesign(family, dim, order, F(1, 100), bounds, n_grid, F(1, 2), grid,
                        taylor_error(dim, order, n_grid, bounds[order]),
                        rounding_error(dim, order, n_grid, grid), products)


def _built(family, dim, order, n_grid, levels, seed):
    rng = random.Random(seed)
    design = _design(family, dim, order, n_grid, levels)
    alphas = taylor_exponents(dim, order)
    box = tuple((F(rng.randint(-3, 0), 2), F(rng.randint(1, 4), 3)) for _ in range(dim))
    coefficients = {m: tuple(F(rng.choice([-1, 1]) * rng.randint(1, 999), 10**4)
                             for _ in alphas) for m in grid_points(dim, n_grid)}
    local = LocalPolynomials(n_grid, tuple(alphas), coefficients, F(0))
    names, coords = ("x", "y", "z")[:dim], box_coordinates(box)
    if family == "relu":
        built = build_relu(names, box, coords, local, order, design.products)
    else:
        built = build_quadratic(names, box, coords, local, order, F(10**6))
    return built, counts_of(design)


STRUCTURES = [(f, d, n, big_n, lv) for f in ("quadratic", "relu") for d in (1, 2)
              for n in (1, 2, 3) for big_n in (1, 2) for lv in ((1, 2) if f == "relu" else (0,))]
SLOW_STRUCTURES = [(f, d, n, big_n, lv) for f in ("quadratic", "relu") for d in (1, 2, 3)
                   for n in (1, 2, 3, 4, 5) for big_n in (1, 2, 3)
                   for lv in ((1, 3) if f == "relu" else (0,)) if d < 3 or n < 5]


def _check_counts(structure, seed=0):
    built, closed = _built(*structure, seed=seed)
    net = built.network
    assert net.widths == closed.widths, structure
    assert net.params.dense == closed.params.dense, structure
    assert net.params.nonzero + built.vanishing == closed.params.nonzero, structure


@pytest.mark.parametrize("structure", STRUCTURES, ids=str)
def test_closed_form_counts_equal_the_built_networks(structure):
    _check_counts(structure)


@pytest.mark.slow
@pytest.mark.parametrize("structure", SLOW_STRUCTURES, ids=str)
def test_closed_form_counts_equal_the_built_networks_larger(structure):
    _check_counts(structure, seed=7)


def test_taylor_counts_table_degenerate_cases():
    one = qt.taylor_counts(1, 1, "1")      # N = 1 (2/3 ≤ 63/64): two pieces, Σ c_m ψ_m
    assert one.n_grid == 1 and one.widths == (2, 1) and one.levels == 0
    assert qt.taylor_counts(1, 1, "1", "relu").params == one.params
    flat = qt.taylor_counts(2, 3, "1e-3", bound=[1, 1, 1, 0])   # W_3 = 0: no remainder
    assert flat.n_grid == 1
    assert qt.taylor_counts(2, 3, "1e-3", bound=2).n_grid > qt.taylor_counts(2, 3, "1e-3").n_grid


@pytest.mark.parametrize("args,message", [
    ((0, 2, "1e-2"), r"dim: expected an integer in 1\.\.64, found 0"),
    ((1, 13, "1e-2"), r"n: expected an integer in 1\.\.12, found 13"),
    ((1, 2, "-1"), r"expected a positive number, found -1"),
    ((1, 2, "1e-2", "sigmoid"), r"family: expected one of quadratic, relu, found 'sigmoid'"),
])
def test_taylor_counts_refuses_bad_arguments(args, message):
    with pytest.raises(qt.QuadTheoryError, match=message):
        qt.taylor_counts(*args)


def test_taylor_counts_refuses_a_bound_list_of_the_wrong_length():
    with pytest.raises(qt.QuadTheoryError, match=r"expected one number or 3 numbers"):
        qt.taylor_counts(1, 2, "1e-2", bound=[1, 1])


# Over 1e-2..1e-6 the grid is still small for n = 4 ((N + 1)^d is not yet N^d): there the
# slope is fitted further out, where the theory's rate shows.
SLOPES = [(1, 2, 2, 6), (2, 2, 2, 6), (2, 3, 2, 6), (3, 2, 2, 6), (3, 3, 2, 6),
          (1, 4, 6, 10), (2, 4, 6, 10), (3, 4, 6, 10)]


@pytest.mark.parametrize("dim,order,first,last", SLOPES)
def test_quadratic_slope_is_near_d_over_n_and_the_ratio_grows(dim, order, first, last):
    eps = [F(1, 10**k) for k in range(first, last + 1)]
    rows = [(qt.taylor_counts(dim, order, e), qt.taylor_counts(dim, order, e, "relu"))
            for e in eps]
    x = [np.log(1 / float(e)) for e in eps]
    slope = np.polyfit(x, [np.log(q.params.nonzero) for q, _ in rows], 1)[0]
    assert abs(slope - dim / order) <= 0.15 * dim / order, slope
    ratios = [r.params.nonzero / q.params.nonzero for q, r in rows]
    assert all(b > a for a, b in itertools.pairwise(ratios)), ratios
    assert all(r.certified_error <= e and q.certified_error <= e for (q, r), e in zip(rows, eps))
