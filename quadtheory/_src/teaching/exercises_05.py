"""Exercises of notebook 05, the approximation theorems: the grid of the real-space Taylor
construction (Yarotsky 2017, arXiv:1610.01145, Thm 1, with exact quadratic products: Fan et
al. 2023, arXiv:2303.06316), its Taylor error budget, and what the ambient dimension costs
on a manifold (Chen, Jiang, Liao, Zhao 2019, arXiv:1908.01842).

The checkers compare with what :func:`~quadtheory._src.theorems.counts.taylor_counts` and
:func:`~quadtheory._src.theorems.manifold.manifold_construct` compute, never with a stored
number.
"""

from __future__ import annotations

from ..core.numbers import format_rational
from ..theorems.counts import taylor_counts
from ..theorems.manifold import manifold_construct
from .exercise import Exercise, Outcome, integer, matches, rational, right, wrong

# The design of 05.1 and 05.2: d = 2, n = 3, eps = 1e-3, every derivative bounded by 1.
DIM, ORDER, EPS = 2, 3, "1e-3"
# 05.3: a cheap target on the circle (its first layer does not depend on the target).
ON_CIRCLE, CIRCLE_EPS, CIRCLE_ORDER = "x1 + x2", "1e-1", 2
DESIGN = f'qt.taylor_counts({DIM}, {ORDER}, "{EPS}")'


def _cells(answer: object) -> Outcome:
    count = integer(answer, "a number of cells")
    design = taylor_counts(DIM, ORDER, EPS)
    if count == design.n_grid:
        return wrong(f"{count} is the grid N; the cells are the grid points, (N + 1)^d")
    return matches(count, design.cells, f"{DESIGN}.cells")


def _taylor_error(answer: object) -> Outcome:
    error = rational(answer, "an error bound")
    if error <= 0:
        return wrong(f"{format_rational(error)}: an error bound is > 0")
    design = taylor_counts(DIM, ORDER, EPS).design
    if error == design.taylor:
        return right(f"{format_rational(error)}, as {DESIGN}.design.taylor computes: "
                     f"(d^n/n!)·W_n·(2/(3N))^n at N = {design.n_grid}, within the share "
                     f"{format_rational(design.share)} of ε")
    return wrong(f"{format_rational(error)} is not what {DESIGN}.design.taylor computes")


def distance_layer(ambient: int) -> int:
    """The dense params of the first layer (the distance neurons) of the quadratic network
    on a circle in R^``ambient``.

    >>> distance_layer(3)        # 4 charts, 3·3 + 3 each
    48
    """
    net = manifold_construct(ON_CIRCLE, "circle", ambient, CIRCLE_EPS,
                             smoothness=CIRCLE_ORDER, verify=False)
    return net.layers[0].dense_params


def _per_dimension(answer: object) -> Outcome:
    step = integer(answer, "a number of parameters")
    return matches(step, distance_layer(4) - distance_layer(3),
                   f'qt.manifold_construct("{ON_CIRCLE}", "circle", D, ...).layers[0]'
                   ".dense_params at D = 4 minus at D = 3")


EXERCISES = (
    Exercise("05.1", f"cells (local Taylor polynomials) of the real-space construction for "
             f"d = {DIM}, n = {ORDER}, ε = {EPS}, every derivative of order ≤ n bounded by 1",
             "the smallest N with (d^n/n!)·(2/(3N))^n ≤ (63/64)·ε (1/64 of ε goes to "
             "rounding the coefficients); the grid has N + 1 points per axis",
             _cells),
    Exercise("05.2", f"the certified Taylor remainder of that design (d = {DIM}, n = {ORDER}, "
             f"ε = {EPS}), as an exact rational",
             "(d^n/n!)·W_n·(2/(3N))^n with W_n = 1 and the N of 05.1; answer a Fraction or a "
             "string such as '1/1000'",
             _taylor_error),
    Exercise("05.3", "the dense parameters the quadratic network on a circle adds to its "
             "first layer (the distance neurons) per ambient dimension",
             "one distance neuron per chart reads x; one more input adds a column to its "
             "w_r, w_g and w_b",
             _per_dimension),
)
