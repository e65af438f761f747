"""Real-space approximation theorem as certified constructions, both families.

Yarotsky 2017 ("Error bounds for approximations with deep ReLU networks", arXiv:1610.01145,
Theorem 1): for ``f ∈ C^n`` on a box with ``max |D^α f| ≤ M`` (``|α| = n``), the grid of
``N + 1`` points per axis, the partition of unity ``φ_m`` of trapezoids and the local Taylor
polynomials ``P_m`` of degree ``n − 1`` give ``|f − Σ_m φ_m P_m| ≤ (d^n/n!) M (2/(3N))^n``
(:mod:`.budget`). The sum needs products of up to ``d + n − 1`` factors:

- a **quadratic** network (Fan et al. 2023, "One Neuron Saved Is One Neuron Earned",
  arXiv:2303.06316) computes every product exactly, one neuron each: its size is
  ``O(N^d) = O(ε^{−d/n})`` with no log factor (:mod:`.quadratic_taylor`);
- a **ReLU** network replaces each product by Yarotsky's approximate product, whose sawtooth
  depth grows like ``log(1/ε)``: ``O(ε^{−d/n} log(1/ε))`` (:mod:`.relu_taylor`).

:func:`taylor_construct` bounds the derivatives rigorously (:mod:`.derivatives`), picks the
smoothness ``n`` with the fewest nonzero params (or takes the one given), sizes the network
from the bounds alone (so its counts equal :func:`.counts.taylor_counts`), builds it with
exact rational weights and certifies ``sup |network − f| ≤ certified ≤ ε`` on the box: a
symbolic proof by construction (each step proved; the network is too large to re-derive
symbolically), cross-checked exactly at sample points, with the error observed on a dense
sample beside it (which must not exceed the bound).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from ..conventional.pwl import round_up
from ..core import limits
from ..core.domain import Box, bounded_box, domain_text
from ..core.limits import one_of
from ..core.numbers import format_rational, positive_eps
from ..errors import InternalError, QuadTheoryError
from ..exact.approximation import verify_approximation
from ..exact.certificate import Certificate, proved_bound
from ..exact.construction import FAMILIES, Construction
from ..exact.targets import short_text, target_expression
from .budget import dyadic_up, local_bound
from .counts import MAX_ORDER, TaylorCounts, TaylorDesign, best_counts
from .derivatives import Derivatives, Keep, taylor_coefficients
from .grid import grid_points, taylor_exponents
from .local import LocalPolynomials
from .partition import Built, Coordinates, box_coordinates
from .quadratic_taylor import build_quadratic
from .relu_taylor import build_relu, coefficient_sums

AUTO_ORDERS = range(1, 7)  # the smoothness tried when none is given
MAX_NEURONS = 400_000  # beyond, building in exact rationals takes minutes: use taylor_counts
METHOD = "real-space Taylor (Yarotsky 2017, Thm 1)"
CHECK_POINTS = 6  # exact cross-checks of network = Σ φ_m P_m


@dataclass(frozen=True)
class Chosen:
    """The smoothness used and how it was chosen (the candidates' closed-form counts)."""

    counts: TaylorCounts
    chosen_by: str
    candidates: dict[int, dict[str, Any]]


def _order(smoothness: object) -> int | None:
    if smoothness is None:
        return None
    return limits.integer(smoothness, "smoothness", 1, MAX_ORDER,
                          expected=f"an integer n in 1..{MAX_ORDER} (the Taylor order)")


def choose_order(derivatives: Derivatives, family: str, eps: Fraction,
                 smoothness: int | None) -> Chosen:
    """The given smoothness, or the one in 1..6 whose closed-form network has the fewest
    nonzero params (orders past a non-smooth derivative are not tried)."""
    dim = derivatives.dim
    if smoothness is not None:
        counts = best_counts(family, dim, smoothness, eps, derivatives.bounds(smoothness))
        return Chosen(counts, f"given (smoothness {smoothness})", {})
    candidates: dict[int, dict[str, Any]] = {}
    best: TaylorCounts | None = None
    worse = 0
    for order in AUTO_ORDERS:
        try:
            bounds = derivatives.bounds(order)
        except QuadTheoryError as error:
            if order == 1:
                raise
            candidates[order] = {"unavailable": str(error)}
            break
        counts = best_counts(family, dim, order, eps, bounds)
        candidates[order] = {"grid": counts.n_grid, "sawtooth_levels": counts.levels,
                             **counts.params.as_dict()}
        if best is None or (counts.params.nonzero, counts.params.dense) < (
                best.params.nonzero, best.params.dense):
            best, worse = counts, 0
        else:
            worse += 1
            if worse == 2:
                break
    assert best is not None
    return Chosen(best, "fewest nonzero params (closed form) over smoothness "
                  f"{min(candidates)}..{max(candidates)}", candidates)


def _cube_point(box: Box, u: Sequence[Fraction]) -> tuple[Fraction, ...]:
    return tuple(lo + (hi - lo) * x for (lo, hi), x in zip(box, u, strict=True))


def cross_check(built: Built, local: LocalPolynomials, coords: Coordinates,
                points: Sequence[Sequence[Fraction]], tolerance: Fraction) -> str:
    """Evaluate the network exactly at ``points`` against ``Σ φ_m P_m``: equal (``tolerance``
    0) or within ``tolerance``; raises otherwise (a bug in the construction)."""
    worst = Fraction(0)
    for x in points:
        u, nu = coords.evaluate(x)
        gap = abs(built.network.exact(x)[0] - local.approximant(u, nu))
        if gap > tolerance:
            raise InternalError(f"the network differs from Σ φ_m P_m by {float(gap):.3g} at "
                                f"{[format_rational(v) for v in x]} (allowed "
                                f"{float(tolerance):.3g})")
        worst = max(worst, gap)
    if tolerance == 0:
        return (f"cross-check (sampled): the network equals Σ φ_m P_m exactly at {len(points)} "
                "points, in rationals")
    return (f"cross-check (sampled): |network − Σ φ_m P_m| ≤ {float(worst):.3g} ≤ the product "
            f"budget at {len(points)} points, in rationals")


def box_points(box: Box, count: int, seed: int = 0) -> list[tuple[Fraction, ...]]:
    """The centre, the top corner and random dyadic points of a box."""
    rng = np.random.default_rng(seed)
    cube = [tuple(Fraction(1, 2) for _ in box), tuple(Fraction(1) for _ in box)]
    cube += [tuple(Fraction(int(v), 2**16) for v in rng.integers(0, 2**16, size=len(box),
                                                                 endpoint=True))
             for _ in range(count - 2)]
    return [_cube_point(box, u) for u in cube][:count]


def proof_lines(design: TaylorDesign, names: Sequence[str], built: Built,
                local_error: Fraction) -> list[str]:
    """How the bound is proved, step by step."""
    d, n, big_n = design.dim, design.order, design.n_grid
    bounds = ", ".join(format_rational(w) for w in design.bounds)
    lines = [
        f"derivative bounds in cube coordinates u = (x − a)/L (interval enclosures of the "
        f"sympy derivatives, branch and bound, mpmath iv): W_0..W_{n} = {bounds}",
        f"Taylor remainder (Yarotsky 2017, Thm 1): where φ_m > 0, |u_k − m_k/N| < h = "
        f"2/(3N), N = {big_n}; φ_m ≥ 0 and Σ_m φ_m = 1, so |f − Σ φ_m P_m| ≤ (d^n/n!) W_n h^n "
        f"= {float(design.taylor):.4g} (d = {d}, n = {n})",
        f"coefficient rounding: each Taylor coefficient within {float(local_error):.3g} ≤ "
        f"δ = {format_rational(design.grid)} (point values in ball arithmetic), adding "
        f"≤ δ Σ h^|α| = {float(design.rounding):.3g}",
    ]
    if design.products is None:
        lines.append(
            "network = Σ_m φ_m P_m on the box by construction: pieces relu(3N u − j) and "
            "trapezoids ψ exact; every relu's argument ≥ 0 (monomials of u + 1 are ≥ 1, "
            f"φ ≥ 0, P_m + K ≥ 0 where φ_m > 0: K = {float(built.shift):.4g} ≥ max_m "
            f"Σ|ĉ_α| h^|α| = {float(built.largest_local):.4g}); the output subtracts K "
            "(Σ φ_m = 1)")
    else:
        p = design.products
        lines.append(
            f"approximate products ×̃(a, b) = (S(αa + b/α) − S(αa − b/α))/4, S the folded "
            f"sawtooth square on [−R, R] with {p.levels} levels (S − z² ∈ [0, R²·4^(−L−1)]), "
            "even, so ×̃(0, b) = ×̃(a, 0) = 0: only the ≤ 2^d active cells carry error")
        lines.append(
            f"product error ≤ C·E_μ + 2^d (V·E_φ + E_φ·C·E_μ + R_T²·4^(−L−1)/4) = "
            f"{float(p.total):.4g} with E_μ = {float(p.monomial_error):.3g} (monomials of "
            f"w = 2u − 1), E_φ = {float(p.phi_error):.3g}, C = {float(p.coefficient_sum):.4g} "
            f"≥ Σ|c'|, V = {float(p.local_bound):.4g} ≥ max_m Σ|ĉ_α| h^|α| = "
            f"{float(built.largest_local):.4g}, K' = {float(p.shift):.4g}, R_T = "
            f"{float(p.radius):.4g}")
    lines.append("certified by construction: each step above is proved; the network's "
                 "weights are not re-derived symbolically (too large for that)")
    return lines


def build_taylor(family: str, names: Sequence[str], derivatives: Derivatives,
                 design: TaylorDesign) -> tuple[Built, LocalPolynomials, Coordinates]:
    """The network of a design on the whole grid, its local polynomials and coordinates."""
    d, n = design.dim, design.order
    alphas = taylor_exponents(d, n)
    cells = grid_points(d, design.n_grid)
    coefficients, error = taylor_coefficients(derivatives, alphas, design.n_grid, cells,
                                              design.grid)
    local = LocalPolynomials(design.n_grid, tuple(alphas), coefficients, error)
    coords = box_coordinates(derivatives.box)
    if family == "relu":
        budget = design.products
        if budget is not None and coefficient_sums(coords, local) > budget.coefficient_sum:
            raise InternalError("a local polynomial's coefficients exceed their proved bound")
        return (build_relu(names, derivatives.box, coords, local, n, budget), local, coords)
    shift = dyadic_up(local_bound(d, n, design.n_grid, design.bounds, design.grid))
    return build_quadratic(names, derivatives.box, coords, local, n, shift), local, coords


def certified_value(design: TaylorDesign) -> Fraction:
    """The certified error, rounded up to 3 digits (never above eps)."""
    return min(round_up(design.certified_error), design.eps)


def _samples(nonzero: int) -> tuple[int, int, int]:
    """Sample size, exact points of the dense check, and exact cross-check points: fewer for
    large networks (the float screen multiplies dense matrices; exact points evaluate every
    weight in rationals)."""
    if nonzero <= 5_000:
        return 2000, 24, CHECK_POINTS
    if nonzero <= 50_000:
        return 1000, 6, 3
    return 400, 2, 2


def target_and_names(expr: object, variables: Sequence[str] | None
                     ) -> tuple[sympy.Expr, tuple[str, ...], str]:
    """The target (parsed safely), its variables and its text; a constant is refused.

    >>> target_and_names("sin(x)*exp(y)", None)[1:]
    (('x', 'y'), 'sin(x)*exp(y)')
    """
    target, names = target_expression(expr, variables)
    text = expr if isinstance(expr, str) else str(target)
    if not names:
        raise QuadTheoryError(f"target {short_text(text)}: expected a function of at least one "
                              "variable")
    return target, names, text


def taylor_construct(expr: object, variables: Sequence[str] | None = None,
                     domain: object = None, eps: object = None, smoothness: object = None,
                     family: str = "quadratic", *, verify: bool = True,
                     keep: Keep | None = None) -> Construction:
    """A network of ``family`` within ``eps`` of a smooth target on a box, by the real-space
    Taylor construction, certified.

    ``domain`` as for :func:`quadtheory.construct` (default ``[-1, 1]`` per variable);
    ``smoothness``: the Taylor order n (default: the n in 1..6 with the fewest nonzero
    params, closed form).

    >>> net = taylor_construct("exp(x)", ["x"], "0:1", "1e-2", smoothness=2)
    >>> net.details["grid"], net.widths, net.certificate.level  # (1/2)·e·(2/(3N))² ≤ ε: N = 8
    (8, (17, 9, 1), 'symbolic proof')
    >>> net.certified_error <= Fraction(1, 100), net.params, net.details["closed_form_params"]
    (True, ParamCounts(dense=530, nonzero=95), {'dense': 530, 'nonzero': 95})
    >>> taylor_construct("sqrt(x)", ["x"], "0:1", "1e-2")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: target sqrt(x) is not 1 times differentiable with bounded ...
    """
    verify = limits.flag(verify, "verify")
    start = time.perf_counter()
    one_of(family, "family", FAMILIES)
    target, names, text = target_and_names(expr, variables)
    e = positive_eps(eps)
    box = bounded_box(domain, names)
    derivatives = Derivatives(target, names, box, keep)
    chosen = choose_order(derivatives, family, e, _order(smoothness))
    counts = chosen.counts
    if counts.neurons > MAX_NEURONS:
        raise QuadTheoryError(
            f"the {family} network for eps {format_rational(e)} would have {counts.neurons} "
            f"neurons (N = {counts.n_grid}, {counts.cells} cells); expected at most "
            f"{MAX_NEURONS} to build it in exact rationals: use a larger eps, or "
            "taylor_counts for its size")
    design = counts.design
    built, local, coords = build_taylor(family, names, derivatives, design)
    net = built.network
    certified = certified_value(design)
    details = {"construction": METHOD, "theorem": "Yarotsky 2017, arXiv:1610.01145, Thm 1",
               **design.as_dict(), "closed_form_params": counts.params.as_dict(),
               "vanishing_entries": built.vanishing, "unused_monomials": built.unused,
               "chosen_by": chosen.chosen_by}
    if chosen.candidates:
        details["orders"] = {str(k): v for k, v in chosen.candidates.items()}
    certificate = None
    if verify:
        certificate = certify(net, target, text, box, design, built, local, coords, certified,
                              names)
    details["seconds"] = round(time.perf_counter() - start, 3)
    return Construction(net, text, family, box, certified, certificate, e, METHOD,
                        details=details)


def certify(net: Any, target: sympy.Expr, text: str, box: Box, design: TaylorDesign,
            built: Built, local: LocalPolynomials, coords: Coordinates, certified: Fraction,
            names: Sequence[str]) -> Certificate:
    """The certificate: the proved bound, the exact cross-check, the dense sample."""
    lines = proof_lines(design, names, built, local.error)
    samples, exact_points, checks = _samples(net.params.nonzero)
    lines.append(cross_check(built, local, coords, box_points(box, checks),
                             design.product_error))
    where = domain_text(names, box)
    proof = proved_bound(f"|network − ({text})| ≤ {format_rational(certified)} on {where}",
                         lines)
    return verify_approximation(net, target, certified, {"box": [list(s) for s in box]},
                                proof=proof, samples=samples, exact_points=exact_points)

