"""Approximation on manifolds by both families (Chen, Jiang, Liao, Zhao 2019,
"Efficient approximation of deep ReLU networks for functions on low dimensional manifolds",
arXiv:1908.01842), with quadratic neurons for the chart distances (Fan et al. 2023,
arXiv:2303.06316).

``f`` is given in ambient coordinates on a circle or 2-sphere embedded in R^D
(:mod:`.embedding`). The network, as in Chen et al.:

1. chart membership: ``t_i = ‖x − c_i‖²`` for the ``2(d+1)`` centres: one quadratic neuron
   each (``w_b = 1``: 3D + 3 dense params), exact; a ReLU network sums D sawtooth squares
   per centre, each paying ``log(1/ε)`` levels. This is the only part that sees D.
2. the partition of unity ``ρ_i`` from the ``t_i`` (exact on the manifold; approximate, with
   a proved error, for ReLU);
3. per chart, the local construction of :mod:`.quadratic_taylor` / :mod:`.relu_taylor` on a
   grid of the chart parameter domain (the disc ``|z| ≤ a`` of the tangent coordinates
   ``z``, cells meeting it): partition ``φ_m(z)`` in d dimensions, so the size is
   ``O(#charts·ε^{−d/n})``, depending on the intrinsic d, not on D;
4. ``Σ_i ρ_i·F_i``: exact products (quadratic), Yarotsky's zero-preserving products (ReLU).

One change to Chen et al.: a cell's polynomial is the Taylor polynomial of the ambient
extension ``G(y) = f(Σ_j y_j q_j)`` (``y`` the plane coordinates, read linearly) at a point
``p_m`` near the cell's piece of the manifold, not of ``f∘φ_i^{-1}`` (whose square root
``y_j = ±√(1 − |z|²)`` has derivatives that blow up at the chart's edge): its remainder is
``max|D^n G| (Σ_k |y_k − p_k|)^n/n!`` with ``|z_k − p_k| < 4a/(3N)`` and
``|y_j − p_j| ≤ η_m`` (an interval bound of the square root over the cell), so the chart
map's derivatives never enter.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from ..conventional.pwl import round_up
from ..conventional.yarotsky import ReluBuilder, Value
from ..core import limits
from ..core.compose import parallel, sequential
from ..core.limits import one_of
from ..core.network import Network
from ..core.numbers import format_rational, positive_eps
from ..errors import InternalError, QuadTheoryError
from ..exact.certificate import Certificate, proved_bound
from ..exact.construction import FAMILIES, Construction
from ..exact.enclosure import FLOAT64, Enclosure, compile_expression
from ..exact.parse import parse_expression
from .budget import (
    ROUNDING_SHARE,
    ProductBudget,
    coefficient_grid,
    dyadic_up,
    fewest_levels,
    power_of_two_near,
    square_error,
)
from .derivatives import Derivatives, coefficients_at
from .embedding import (
    MANIFOLDS,
    Chart,
    Factor,
    cayley_frame,
    charts,
    partition_identities,
    sphere_points,
    to_ambient,
)
from .grid import grid_points, taylor_exponents
from .local import LocalPolynomials
from .partition import Built, Coordinates
from .quadratic_taylor import QuadraticBuilder, Spec, build_quadratic
from .relu_taylor import approximate_product, build_relu, coefficient_sums

ZERO, ONE = Fraction(0), Fraction(1)
DEFAULT_ORDER = 4
MAX_GRID = 400
EVALUATIONS = 40  # per derivative of the ambient extension (d + 1 variables: many of them)
SCREEN_ENTRIES = 10_000_000  # the largest dense layer screened in float64
MARGIN = Fraction(1, 100)  # the ReLU partition's square and coordinate errors, at most
THEOREM = ("Chen, Jiang, Liao, Zhao 2019, arXiv:1908.01842 (charts, ‖x − c‖², local "
           "real-space construction)")


# -- the charts' geometry -----------------------------------------------------------------------

def _sqrt_bounds(x: Fraction, bits: int = 40) -> tuple[Fraction, Fraction]:
    """Rational ``lo ≤ √x ≤ hi`` (x ≥ 0), ``hi − lo ≤ 2^-bits``."""
    scaled = x * 4**bits
    root = math.isqrt(scaled.numerator // scaled.denominator)
    return Fraction(root, 2**bits), Fraction(root + 1, 2**bits)


@dataclass(frozen=True)
class Cell:
    """A cell of a chart's grid: its grid index, base point offsets and reach."""

    index: tuple[int, ...]
    z: tuple[Fraction, ...]  # the grid point, in chart coordinates
    height: Fraction  # p_j / σ: the base point's coordinate along the chart's axis
    eta: Fraction  # |y_j − p_j| ≤ eta where φ_m > 0 on the chart domain


def chart_cells(dim: int, n_grid: int, a: Fraction) -> list[Cell]:
    """The cells of the grid on ``[−a, a]^d`` whose reach ``|z_k − z_m,k| < 4a/(3N)`` meets
    the disc ``|z|² ≤ a²``, with the range of ``√(1 − |z|²)`` over that part.

    >>> [c.index for c in chart_cells(1, 2, Fraction(4, 5))]
    [(0,), (1,), (2,)]
    """
    h = 4 * a / (3 * n_grid)
    out = []
    for m in grid_points(dim, n_grid):
        z = tuple(-a + 2 * a * Fraction(k, n_grid) for k in m)
        near = sum((max(abs(v) - h, ZERO) ** 2 for v in z), ZERO)  # min |z|² over the reach
        if near > a * a:
            continue
        far = min(sum(((abs(v) + h) ** 2 for v in z), ZERO), a * a)
        low = _sqrt_bounds(1 - far)[0]
        high = _sqrt_bounds(1 - near)[1]
        out.append(Cell(m, z, (low + high) / 2, (high - low) / 2))
    return out


def _reach_sum(cell: Cell, dim: int, h: Fraction) -> Fraction:
    return dim * h + cell.eta


def chart_taylor_error(dim: int, order: int, n_grid: int, a: Fraction, top: Fraction
                       ) -> Fraction:
    """``max_m W_n (Σ_k reach_k)^n / n!`` over the chart's cells."""
    h = 4 * a / (3 * n_grid)
    worst = max(_reach_sum(c, dim, h) for c in chart_cells(dim, n_grid, a))
    return top * worst**order / math.factorial(order)


def chart_grid(dim: int, order: int, a: Fraction, top: Fraction, budget: Fraction) -> int:
    """The least ``N`` whose chart Taylor error is ``≤ budget``."""
    if top == 0:
        return 1
    n_grid = 1
    while chart_taylor_error(dim, order, n_grid, a, top) > budget:
        n_grid *= 2
        if n_grid > 2 * MAX_GRID:
            raise QuadTheoryError(f"the chart grid would need more than {MAX_GRID} points a "
                                  "side; expected a larger eps")
    low, high = n_grid // 2, n_grid
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (low, mid) if chart_taylor_error(dim, order, mid, a, top) <= budget \
            else (mid, high)
    return high if low == 0 or chart_taylor_error(dim, order, low, a, top) > budget else low


# -- the parts of the network -------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """The manifold, the target's ambient extension and the sizes shared by the charts."""

    manifold: str
    dim: int
    ambient: int
    frame: tuple[tuple[Fraction, ...], ...]
    target: sympy.Expr  # in x1..xD
    extension: Derivatives  # G(y) = f(Σ y_j q_j) on [−1, 1]^(d+1)
    atlas: tuple[Chart, ...]
    radius: Fraction  # a: the chart parameter domain is |z| ≤ a
    order: int

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f"x{k + 1}" for k in range(self.ambient))

    def bound(self, order: int) -> Fraction:
        """``max_{|α| = k} sup |D^α G|`` on ``[−1, 1]^(d+1)`` (plane coordinates)."""
        return self.extension.bound(order) / 2**order


def _problem(expr: object, manifold: str, ambient: object, order: int) -> tuple[Problem, str]:
    one_of(manifold, "manifold", tuple(MANIFOLDS), " (a torus is not built here)")
    dim = MANIFOLDS[manifold]
    limits.integer(ambient, "ambient", dim + 1, 256, expected=f"an integer D in {dim + 1}..256 "
                   f"(the {manifold} spans a {dim + 1}-plane)")
    names = tuple(f"x{k + 1}" for k in range(ambient))
    if isinstance(expr, str):
        target = parse_expression(expr, names)
        text = expr
    elif isinstance(expr, sympy.Expr):
        target, text = expr, str(expr)
    else:
        raise QuadTheoryError(f"target: expected an expression in x1..x{ambient}, found "
                              f"{limits.quoted(expr)}")
    unknown = sorted(s.name for s in target.free_symbols if s.name not in names)
    if unknown:
        raise QuadTheoryError(f"target: unknown variable {unknown[0]}; expected the ambient "
                              f"coordinates x1..x{ambient}")
    frame = cayley_frame(ambient, dim + 1)
    ys = [sympy.Symbol(f"y{j}") for j in range(dim + 1)]
    own = {s.name: s for s in target.free_symbols}
    extension = target.xreplace({
        own[name]: sympy.Add(*(sympy.Rational(frame[j][i].numerator, frame[j][i].denominator)
                               * ys[j] for j in range(dim + 1)))
        for i, name in enumerate(names) if name in own})
    box = tuple((Fraction(-1), Fraction(1)) for _ in range(dim + 1))
    atlas, a2 = charts(dim)
    radius = Fraction(math.isqrt(a2.numerator), math.isqrt(a2.denominator))
    return Problem(manifold, dim, ambient, frame, target,
                   Derivatives(extension, [y.name for y in ys], box, evaluations=EVALUATIONS),
                   atlas, radius, order), text


@dataclass(frozen=True)
class ChartPart:
    """One chart's local network, what it is proved to achieve, and its data."""

    chart: Chart
    built: Built
    local: LocalPolynomials
    coords: Coordinates
    taylor: Fraction
    rounding: Fraction
    products: ProductBudget | None

    @property
    def error(self) -> Fraction:
        """Proved ``|F_i − f|`` where ``ρ_i > 0`` (the chart parameter domain)."""
        return self.taylor + self.rounding + (self.products.total if self.products else ZERO)


def chart_coordinates(problem: Problem, chart: Chart) -> Coordinates:
    """Axes ``u = (z + a)/(2a)`` of the chart coordinates, variables all ``y`` (inputs
    ``0..d``), carries ``y + 2 ∈ [1, 3]``, ReLU monomials of ``w = y``."""
    a = problem.radius
    axes = tuple((((k, 1 / (2 * a)),), Fraction(1, 2)) for k in chart.others(problem.dim))
    variables = tuple((((k, ONE),), ZERO) for k in range(problem.dim + 1))
    return Coordinates(axes, variables, Fraction(2), ONE, Fraction(-2))


def build_chart(problem: Problem, chart: Chart, family: str, n_grid: int, eps: Fraction,
                names: Sequence[str], share: Fraction) -> ChartPart:
    """The chart's local network within ``share·eps`` of f on its parameter domain."""
    d, n, a = problem.dim, problem.order, problem.radius
    alphas = taylor_exponents(d + 1, n)
    grid = coefficient_grid(eps, d + 1, n)
    h = 4 * a / (3 * n_grid)
    cells = chart_cells(d, n_grid, a)
    centres, reaches = {}, {}
    others = chart.others(d)
    for cell in cells:
        point = [ZERO] * (d + 1)
        reach = [h] * (d + 1)
        for k, v in zip(others, cell.z, strict=True):
            point[k] = v
        point[chart.axis] = chart.sign * cell.height
        reach[chart.axis] = cell.eta
        centres[cell.index], reaches[cell.index] = tuple(point), tuple(reach)
    coefficients, error = coefficients_at(problem.extension, alphas, centres, grid)
    local = LocalPolynomials(n_grid, tuple(alphas), coefficients, error, centres, reaches)
    coords = chart_coordinates(problem, chart)
    taylor = chart_taylor_error(d, n, n_grid, a, problem.bound(n))
    rounding = error * max(sum((math.prod((r**k for r, k in zip(reaches[c.index], alpha,
                                                                   strict=True)), start=ONE)
                                for alpha in alphas), ZERO) for c in cells)
    largest = dyadic_up(max(local.local_sum(c.index) for c in cells))
    if family == "quadratic":
        built = build_quadratic(names, None, coords, local, n, largest)
        return ChartPart(chart, built, local, coords, taylor, rounding, None)
    room = share * eps - taylor - rounding
    values = max(abs(local.coefficients[c.index][0]) for c in cells)
    budget = fewest_levels(d, d + 1, n, coefficient_sums(coords, local), largest, values, room)
    built = build_relu(names, None, coords, local, n, budget)
    return ChartPart(chart, built, local, coords, taylor, rounding, budget)


# -- the partition of unity and the distances ------------------------------------------------

def _form(factor: Factor, squares: Sequence[Value], coords: Sequence[Value]) -> Value:
    """``Σ a_j s_j + Σ b_j y_j + c`` from the values of the squares and coordinates."""
    out = Value.constant(factor.const)
    for a, s in zip(factor.squares, squares, strict=True):
        out = out + s * a if a else out
    for b, y in zip(factor.coords, coords, strict=True):
        out = out + y * b if b else out
    return out


def _distance_centres(problem: Problem) -> list[list[Fraction]]:
    return [[chart.sign * v for v in problem.frame[chart.axis]] for chart in problem.atlas]


def _y_from_t(problem: Problem, t: Sequence[Value]) -> list[Value]:
    """``y_j = (t_{j−} − t_{j+})/4``: ``‖x + q‖² − ‖x − q‖² = 4⟨x, q⟩`` on all of R^D."""
    index = {(c.axis, c.sign): k for k, c in enumerate(problem.atlas)}
    return [(t[index[j, -1]] - t[index[j, 1]]) * Fraction(1, 4) for j in range(problem.dim + 1)]


def quadratic_stage(problem: Problem) -> Network:
    """``x ↦ y``: one quadratic neuron ``relu(‖x − c_i‖²)`` per centre (``w_b = 1``), then
    the coordinates ``y_j`` read from the distances."""
    qb = QuadraticBuilder(problem.names, tuple((-ONE, ONE) for _ in problem.names))
    t = []
    for centre in _distance_centres(problem):
        # (−2c·x + ‖c‖²)·1 + Σ x_k²: w_r = −2c, b_r = ‖c‖², b_g = 1, w_b = 1
        affine = Value(0, tuple((k, -2 * v) for k, v in enumerate(centre) if v),
                       sum((v * v for v in centre), ZERO))
        t.append(qb.add(1, Spec("distance", affine)))
    return qb.network(_y_from_t(problem, t))


def quadratic_partition(problem: Problem) -> Network:
    """``y ↦ ρ``: squares ``relu(y_j·y_j)``, the clamps of each factor (two relu neurons),
    exact products of the factors."""
    d = problem.dim
    qb = QuadraticBuilder(tuple(f"y{j}" for j in range(d + 1)), None)
    inputs = [Value(0, ((j, ONE),)) for j in range(d + 1)]
    squares = [qb.square(1, y) for y in inputs]
    coords = [qb.carry(1, y + 2) - 2 for y in inputs]  # relu(y + 2) − 2 = y on the manifold
    clamps: dict[Factor, Value] = {}
    for chart in problem.atlas:
        for factor in chart.factors:
            if factor not in clamps:
                form = _form(factor, squares, coords)
                clamps[factor] = qb.carry(2, form) - qb.carry(2, form - 1)
    top = 1 + max(len(c.factors) for c in problem.atlas)
    weights = []
    for chart in problem.atlas:
        value = clamps[chart.factors[0]]
        for k, factor in enumerate(chart.factors[1:], start=3):
            other = clamps[factor]
            for level in range(3, k):
                other = qb.carry(level, other)  # a clamp is in [0, 1]: exact
            value = qb.product(k, value, other)
        for level in range(1 + len(chart.factors) + 1, top + 1):
            value = qb.carry(level, value)
        weights.append(value)
    return qb.network(weights)


def quadratic_final(problem: Problem, shift: Fraction) -> Network:
    """``(ρ, F) ↦ Σ_i relu(ρ_i·(F_i + K)) − K``, which is ``Σ ρ_i F_i`` on the manifold."""
    k = len(problem.atlas)
    qb = QuadraticBuilder(tuple(f"r{i}" for i in range(k)) + tuple(f"f{i}" for i in range(k)),
                          None)
    total = Value.constant(-shift)
    for i in range(k):
        total = total + qb.product(1, Value(0, ((i, ONE),)), Value(0, ((k + i, ONE),), shift))
    return qb.network(total)


@dataclass(frozen=True)
class PartitionBudget:
    """The ReLU network's manifold parts at ``levels`` sawtooth levels: distances ``t̃``
    (``[0, D·4^(−L)]`` above ``t``), coordinates ``ŷ`` from them, squares ``ŝ``, the weights
    ``ρ̃`` (error ``weight_error``), the final products (``radius``, ``alpha``)."""

    levels: int
    coordinate_error: Fraction
    square_radius: Fraction
    square_error: Fraction
    factor_errors: dict[Factor, Fraction]
    weight_errors: tuple[Fraction, ...]
    product_radii: tuple[Fraction, ...]  # per chart: of its second product (3 factors)
    carry_shift: Fraction  # lifts a 2-factor weight: relu(ρ + s) − s
    alpha: Fraction
    radius: Fraction
    total: Fraction


def partition_budget(problem: Problem, bound: Fraction, levels: int) -> PartitionBudget:
    """The error the ReLU partition and final products add: ``Σ_i (E_ρ·B + R_T²4^(−L−1)/4)``
    with ``B ≥ |F_i|`` where ``ρ_i > 0``."""
    e_y = problem.ambient * square_error(Fraction(2), levels) / 4
    r_s = dyadic_up(1 + e_y)
    e_s = 2 * e_y + e_y * e_y + square_error(r_s, levels)
    factor_errors = {}
    for chart in problem.atlas:
        for factor in chart.factors:
            lip_s, lip_y = factor.lipschitz
            factor_errors[factor] = lip_s * e_s + lip_y * e_y
    first_error = square_error(Fraction(2), levels) / 4
    weights, radii = [], []
    for chart in problem.atlas:
        ea, eb = (factor_errors[f] for f in chart.factors[:2])
        error = ea + eb + ea * eb + first_error  # |F| ≤ 1; computed clamps in [0, 1]
        radius = dyadic_up(2 + first_error)
        if len(chart.factors) == 3:
            ec = factor_errors[chart.factors[2]]
            error = error + ec + error * ec + square_error(radius, levels) / 4
        weights.append(error)
        radii.append(radius)
    e_rho = max(weights)
    alpha = power_of_two_near(bound / (1 + e_rho))
    radius = dyadic_up(alpha * (1 + e_rho) + bound / alpha)
    total = len(problem.atlas) * (e_rho * bound + square_error(radius, levels) / 4)
    return PartitionBudget(levels, e_y, r_s, e_s, factor_errors, tuple(weights), tuple(radii),
                           dyadic_up(first_error), alpha, radius, total)


def relu_stage(problem: Problem, levels: int) -> Network:
    """``x ↦ (y, t̃)``: ``y_j = ⟨q_j, x⟩`` carried by relu (exact), ``t̃_i`` the sum of D
    folded sawtooth squares of ``x_k − c_ik`` on ``[−2, 2]``."""
    b = ReluBuilder(problem.names, [[-1, 1] for _ in problem.names])
    outputs = []
    for j in range(problem.dim + 1):
        y = Value(0, tuple((k, v) for k, v in enumerate(problem.frame[j]) if v))
        value, _ = b.relu(y + 2)  # |y_j| ≤ 1 on the manifold
        for _ in range(1, levels):
            value, _ = b.relu(value)
        outputs.append(value - 2)
    for centre in _distance_centres(problem):
        total = Value.constant(ZERO)
        for k, c in enumerate(centre):
            total = total + b.square(Value(0, ((k, ONE),), -c), Fraction(-2), Fraction(2),
                                     levels).value
        outputs.append(total)
    return b.network(outputs)


def relu_partition(problem: Problem, budget: PartitionBudget) -> Network:
    """``(y, t̃) ↦ ρ̃``: ``ŷ_j = (t̃_{j−} − t̃_{j+})/4``, squares ``ŝ_j``, the clamps, and
    Yarotsky's zero-preserving products of the factors."""
    d, k, levels = problem.dim, len(problem.atlas), budget.levels
    names = tuple(f"y{j}" for j in range(d + 1)) + tuple(f"t{i}" for i in range(k))
    b = ReluBuilder(names)
    t = [Value(0, ((d + 1 + i, ONE),)) for i in range(k)]
    y_hat = _y_from_t(problem, t)
    r = budget.square_radius
    squares = [b.square(y, -r, r, levels).value for y in y_hat]
    lifted = []
    for y in y_hat:
        value, _ = b.relu(y + 2)
        for _ in range(1, levels):
            value, _ = b.relu(value)
        lifted.append(value - 2)
    clamps: dict[Factor, Value] = {}
    for chart in problem.atlas:
        for factor in chart.factors:
            if factor not in clamps:
                form = _form(factor, squares, lifted)
                clamps[factor] = b.relu(form)[0] - b.relu(form - 1)[0]
    weights = []
    for chart, radius in zip(problem.atlas, budget.product_radii, strict=True):
        first, second = (clamps[f] for f in chart.factors[:2])
        value = approximate_product(b, first, second, Fraction(2), levels)
        if len(chart.factors) == 3:
            third = clamps[chart.factors[2]]
            for _ in range(levels):
                third, _ = b.relu(third)  # a clamp is in [0, 1]: exact
            value = approximate_product(b, value, third, radius, levels)
        elif d == 2:  # wait for the 3-factor weights: relu(ρ + s) − s
            for _ in range(levels):
                carried, _ = b.relu(value + budget.carry_shift)
                value = carried - budget.carry_shift
        weights.append(value)
    return b.network(weights)


def relu_final(problem: Problem, budget: PartitionBudget) -> Network:
    """``(ρ̃, F̃) ↦ Σ_i ×̃(ρ̃_i, F̃_i)`` (zero-preserving: a chart whose ``ρ̃_i = 0`` adds 0)."""
    k = len(problem.atlas)
    b = ReluBuilder(tuple(f"r{i}" for i in range(k)) + tuple(f"f{i}" for i in range(k)))
    total = Value.constant(ZERO)
    for i in range(k):
        total = total + approximate_product(b, Value(0, ((i, ONE),)), Value(0, ((k + i, ONE),)),
                                            budget.radius, budget.levels, budget.alpha)
    return b.network(total)


# -- the construction -------------------------------------------------------------------------

def observe(network: Network, target: sympy.Expr, names: Sequence[str],
            points: Sequence[Sequence[Fraction]], bound: Fraction, exact: int
            ) -> tuple[Fraction, str]:
    """The largest error at ``points`` (of the manifold): all screened in float64, the
    ``exact`` largest and the first ``2(d+1)`` computed exactly (network in rationals, target
    enclosed to 128 bits). An error above ``bound`` raises: the proof is wrong."""
    own = {s.name: s for s in target.free_symbols}
    symbols = [own.get(n, sympy.Symbol(n)) for n in names]
    widest = max(a * b for a, b in zip(network.widths, (network.n_inputs, *network.widths),
                                       strict=False))
    chosen = list(range(min(len(points), 6 + exact)))
    screened = widest <= SCREEN_ENTRIES
    if screened:  # float64 screen: dense matrices, so only for networks of moderate width
        x = np.array([[float(v) for v in p] for p in points])
        with np.errstate(all="ignore"):
            wanted = np.broadcast_to(compile_expression(target, symbols, FLOAT64)(list(x.T)),
                                     (len(x),))
            screen = np.abs(network.numeric(x)[:, 0] - wanted)
        chosen = sorted(set(np.argsort(-np.nan_to_num(screen, nan=np.inf))[:exact].tolist())
                        | set(range(min(len(points), 6))))
    enclosure = Enclosure(target, symbols)
    worst = ZERO
    for i in chosen:
        value = network.exact(points[i])[0]
        true = enclosure(*points[i], prec=128)
        if true is None:
            raise QuadTheoryError(f"target {target} is undefined at a point of the manifold")
        lower = max(ZERO, true.lo - value, value - true.hi)
        if lower > bound:
            raise InternalError(f"observed error {float(lower):.3g} exceeds the proved bound "
                                f"{float(bound):.3g} (a bug)")
        worst = max(worst, abs(value - true.lo), abs(value - true.hi))
    how = (f"on {len(points)} rational points of the manifold (sampled, not a proof): all "
           f"screened in float64, {len(chosen)} computed exactly" if screened else
           f"at {len(chosen)} rational points of the manifold, computed exactly (sampled, not a "
           "proof; too wide for a float64 screen with dense matrices)")
    return worst, (f"observed max error {float(worst):.3g} {how}; within the bound "
                   f"{float(bound):.3g}")


def manifold_construct(expr: object, manifold: str, ambient_dim: int, eps: object,
                       family: str = "quadratic", smoothness: int | None = None, *,
                       verify: bool = True) -> Construction:
    """A network of ``family`` within ``eps`` of ``expr`` (in ``x1..xD``) on a ``circle`` or
    2-``sphere`` embedded in R^D, certified on the manifold.

    >>> net = manifold_construct("x1*x2 + x3", "circle", 3, "1e-2")
    >>> net.details["manifold"]["charts"], net.certificate.level, net.layers[0].shape
    (4, 'symbolic proof', (4, 3))
    >>> net.certified_error <= Fraction(1, 100)
    True
    """
    verify = limits.flag(verify, "verify")
    start = time.perf_counter()
    one_of(family, "family", FAMILIES)
    e = positive_eps(eps)
    order = DEFAULT_ORDER if smoothness is None else smoothness
    limits.integer(order, "smoothness", 1, 8, expected="an integer n in 1..8")
    problem, text = _problem(expr, manifold, ambient_dim, order)
    # of eps: the charts' share (their Taylor remainder's share); ReLU keeps 1/4 for the
    # distances, the partition and the final products
    share = (1 - ROUNDING_SHARE) if family == "quadratic" else Fraction(3, 4)
    taylor_share = share * (1 - ROUNDING_SHARE) if family == "quadratic" else Fraction(1, 2)
    n_grid = chart_grid(problem.dim, order, problem.radius, problem.bound(order),
                        taylor_share * e)
    d = problem.dim
    chart_names = tuple(f"y{j}" for j in range(d + 1))
    if family == "relu":
        chart_names += tuple(f"t{i}" for i in range(len(problem.atlas)))
    parts = [build_chart(problem, chart, family, n_grid, e, chart_names, share)
             for chart in problem.atlas]
    worst = max(p.error for p in parts)
    if worst > share * e:
        raise InternalError(f"a chart's error {float(worst):.3g} exceeds its share")
    bound = problem.bound(0) + worst  # |F_i| where ρ_i > 0
    partition_error = ZERO
    if family == "quadratic":
        shift = max(p.built.shift for p in parts)
        stage = quadratic_stage(problem)
        partition = quadratic_partition(problem)
        final = quadratic_final(problem, shift)
        levels = 0
    else:
        found = _partition_levels(problem, bound, e - worst)
        stage, partition, final = (relu_stage(problem, found.levels),
                                   relu_partition(problem, found), relu_final(problem, found))
        partition_error, levels = found.total, found.levels
    network = sequential(stage, parallel(partition, *(p.built.network for p in parts)), final)
    certified = min(round_up(worst + partition_error), e)
    details = _details(problem, family, n_grid, parts, partition_error, levels)
    certificate = None
    if verify:
        certificate = _certify(problem, network, text, parts, family, certified,
                               partition_error, partition)
    details["seconds"] = round(time.perf_counter() - start, 3)
    return Construction(network, text, family, network.domain, certified, certificate, e,
                        f"charts on the {manifold} ({THEOREM})", details=details)


def _partition_levels(problem: Problem, bound: Fraction, room: Fraction) -> PartitionBudget:
    for levels in range(1, 80):
        found = partition_budget(problem, bound, levels)
        if (found.total <= room and found.coordinate_error <= MARGIN
                and found.square_error <= MARGIN):
            return found
    raise QuadTheoryError("no sawtooth depth meets the partition budget; expected a larger eps")


def _details(problem: Problem, family: str, n_grid: int, parts: Sequence[ChartPart],
             partition_error: Fraction, levels: int) -> dict[str, Any]:
    a = problem.radius
    out: dict[str, Any] = {
        "construction": f"charts on the {problem.manifold}", "theorem": THEOREM,
        "manifold": {"name": problem.manifold, "dim": problem.dim, "ambient": problem.ambient,
                     "charts": len(problem.atlas),
                     "chart_domain": f"|z| <= {format_rational(a)}",
                     "embedding": "Cayley transform (I − A)(I + A)^-1 of A = u vᵀ − v uᵀ"},
        "smoothness": problem.order, "grid": n_grid,
        "cells": max(len(p.local.cells) for p in parts),
        "sawtooth_levels": max([levels] + [p.products.levels for p in parts if p.products]),
        "chosen_by": "given" if problem.order != DEFAULT_ORDER else "default",
        "taylor_error": format_rational(max(p.taylor for p in parts)),
        "rounding_error": format_rational(max(p.rounding for p in parts)),
        "product_error": format_rational(max(
            (p.products.total for p in parts if p.products), default=ZERO)),
        "charts": [{"chart": p.chart.label, "cells": len(p.local.cells),
                    "certified_error": format_rational(p.error)} for p in parts]}
    if family == "relu":
        out["partition_error"] = format_rational(partition_error)
    return out


def _certify(problem: Problem, network: Network, text: str, parts: Sequence[ChartPart],
             family: str, certified: Fraction, partition_error: Fraction,
             partition: Network) -> Certificate:
    d = problem.dim
    lines = [f"embedding: x = Σ_j y_j q_j, q = the first {d + 1} columns of a Cayley "
             "transform, orthonormal (checked exactly); the manifold is |y| = 1",
             *partition_identities(d),
             f"charts: where ρ_i > 0, ±y_j > 1/2 and the tangent coordinates z satisfy "
             f"|z| ≤ {format_rational(problem.radius)} (the chart parameter domain)"]
    bounds = ", ".join(format_rational(problem.bound(k)) for k in range(problem.order + 1))
    lines.append(f"ambient extension G(y) = f(Σ y_j q_j): max |D^k G| on [−1, 1]^{d + 1} ≤ "
                 f"{bounds} (k = 0..{problem.order}, interval enclosures)")
    for p in parts:
        lines.append(f"chart {p.chart.label}: |F − f| ≤ {float(p.error):.4g} on its parameter "
                     f"domain ({len(p.local.cells)} cells; Taylor {float(p.taylor):.3g}, "
                     f"rounding {float(p.rounding):.3g}"
                     + (f", products {float(p.products.total):.3g}" if p.products else "")
                     + ")")
    points = [to_ambient(problem.frame, y) for y in sphere_points(d, 300)]
    if family == "quadratic":
        lines.append("the distances ‖x − c_i‖² (one quadratic neuron each), the partition "
                     "(squares, clamps, products of numbers in [0, 1]) and Σ relu(ρ_i(F_i + K)) "
                     "− K are exact on the manifold (every relu argument ≥ 0): the error is "
                     "Σ ρ_i (F_i − f) ≤ max_i |F_i − f|")
        ys = sphere_points(d, 12, seed=1)
        sums = [sum(partition.exact(y)) for y in ys]
        if any(s != 1 for s in sums):
            raise InternalError("the partition of unity does not sum to 1 (a bug)")
        lines.append(f"cross-check (sampled): Σ ρ_i = 1 exactly at {len(ys)} rational points "
                     "of the manifold")
    else:
        lines.append(f"ReLU distances, squares, clamps and zero-preserving products: where "
                     f"ρ̃_i > 0 the chart is in its domain (square and coordinate errors ≤ "
                     f"{float(MARGIN):.3g}), and Σ_i (|ρ̃_i − ρ_i|·|F_i| + product error) ≤ "
                     f"{float(partition_error):.4g}")
    lines.append(f"certified error ≤ {format_rational(certified)} on the manifold, by "
                 "construction (each step proved above)")
    start = time.perf_counter()
    worst, observed = observe(network, problem.target, problem.names, points, certified,
                              4 if network.params.nonzero < 50_000 else 2)
    lines.append(observed)
    statement = (f"|network − ({text})| ≤ {format_rational(certified)} on the {problem.manifold} "
                 f"in R^{problem.ambient}")
    proof = proved_bound(statement, lines, time.perf_counter() - start)
    return Certificate(proof.statement, proof.level, True, proof.checks, proof.seconds,
                       {"bound": format_rational(certified),
                        "observed_max_error": f"{float(worst):.6g}", "samples": len(points)})
