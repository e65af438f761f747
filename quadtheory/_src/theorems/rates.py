"""Rates of the real-space constructions: params against 1/ε for both families, fitted.

Yarotsky 2017 (arXiv:1610.01145, Thm 1) gives ``O(ε^{−d/n} log(1/ε))`` weights for ReLU
networks; with exact quadratic products (Fan et al. 2023, arXiv:2303.06316) the log factor
goes: ``O(ε^{−d/n})``. For a target, one row per ε: both families' closed-form counts for
the target's proved derivative bounds (equal to the built networks' counts,
:mod:`.counts`), their certified errors (the design's proved bound), and the lower bound on
ANY ReLU network where the target curves (:func:`quadtheory.bounds`). :meth:`Rates.fit`
fits ``log(nonzero) = a + s·log(1/ε)`` per family, to compare with ``d/n``, and lists the
ReLU/quadratic ratio against ``log2(1/ε)``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from ..bounds.lower import ReluLowerBound, bounds
from ..core import limits
from ..core.domain import bounded_box, domain_text
from ..core.limits import quoted
from ..core.numbers import format_rational, positive_eps
from ..core.text import format_table
from ..errors import QuadTheoryError
from ..exact.targets import is_exact_polynomial
from .counts import MAX_ORDER, TaylorCounts, best_counts
from .derivatives import Derivatives
from .taylor import target_and_names

DEFAULT_ORDER = 3


@dataclass(frozen=True)
class RateRow:
    """One ε: both families' closed-form counts and the ReLU lower bound (None: no curvature
    to bound with)."""

    eps: Fraction
    quadratic: TaylorCounts
    relu: TaylorCounts
    lower: ReluLowerBound | None

    @property
    def ratio(self) -> float:
        """ReLU/quadratic nonzero params."""
        return self.relu.params.nonzero / self.quadratic.params.nonzero

    def as_dict(self) -> dict[str, Any]:
        def family(c: TaylorCounts) -> dict[str, Any]:
            return {**c.params.as_dict(), "certified_error": format_rational(c.certified_error),
                    "grid": c.n_grid, "sawtooth_levels": c.levels, "depth": c.depth}

        lower = None if self.lower is None else {
            "neurons": self.lower.min_neurons, "nonzero": self.lower.min_nonzero,
            "dense": self.lower.best_dense, "depth": self.lower.best_depth}
        return {"eps": format_rational(self.eps), "quadratic": family(self.quadratic),
                "relu": family(self.relu), "relu_lower_bound": lower,
                "ratio_nonzero": round(self.ratio, 4),
                "log2_inv_eps": round(math.log2(1 / self.eps), 4)}


@dataclass(frozen=True)
class Fit:
    """Least-squares slopes of ``log(nonzero)`` against ``log(1/ε)``, and the ratio's slope
    against ``log2(1/ε)``."""

    quadratic: float
    relu: float
    theory: Fraction  # d/n
    ratio_slope: float
    ratio_increasing: bool

    def as_dict(self) -> dict[str, Any]:
        return {"slope_quadratic": round(self.quadratic, 4), "slope_relu": round(self.relu, 4),
                "theory_d_over_n": format_rational(self.theory),
                "ratio_per_log2_inv_eps": round(self.ratio_slope, 4),
                "ratio_increasing": self.ratio_increasing}


def _slope(x: Sequence[float], y: Sequence[float]) -> float:
    if len(x) < 2:
        raise QuadTheoryError(f"fit: expected at least 2 values of eps, found {len(x)}")
    return float(np.polyfit(np.asarray(x), np.asarray(y), 1)[0])


@dataclass(frozen=True)
class Rates:
    """The rows of :func:`taylor_rates` and what they hold for.

    >>> r = taylor_rates("exp(x)", ["1e-2", "1e-4", "1e-6"], domain="0:1", smoothness=2)
    >>> [row.quadratic.n_grid for row in r.rows], r.fit().theory
    ([8, 79, 784], Fraction(1, 2))
    """

    target: str
    region: str
    dim: int
    order: int
    bounds: tuple[Fraction, ...]
    rows: tuple[RateRow, ...]

    def fit(self) -> Fit:
        x = [math.log(1 / float(r.eps)) for r in self.rows]
        q = _slope(x, [math.log(r.quadratic.params.nonzero) for r in self.rows])
        relu = _slope(x, [math.log(r.relu.params.nonzero) for r in self.rows])
        ratios = [r.ratio for r in self.rows]
        ratio_slope = _slope([math.log2(1 / float(r.eps)) for r in self.rows], ratios)
        increasing = all(b > a for a, b in itertools.pairwise(ratios))
        return Fit(q, relu, Fraction(self.dim, self.order), ratio_slope, increasing)

    def as_dict(self, fit: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "target": self.target, "region": self.region, "d": self.dim, "n": self.order,
            "derivative_bounds": [format_rational(w) for w in self.bounds],
            "counts": "closed form (equal to the built networks' counts)",
            "rows": [row.as_dict() for row in self.rows]}
        if fit:
            out["fit"] = self.fit().as_dict()
        return out

    def table(self) -> str:
        """The rows: counts as dense/nonzero, certified errors, the lower bound as hidden
        neurons/nonzero weights/dense params, and the ReLU/quadratic nonzero ratio."""
        rows = []
        for r in self.rows:
            lower = ("-" if r.lower is None else
                     f"{r.lower.min_neurons}/{r.lower.min_nonzero}/{r.lower.best_dense}")
            rows.append([f"{float(r.eps):.3g}", r.quadratic.n_grid,
                         f"{r.quadratic.params.dense}/{r.quadratic.params.nonzero}",
                         f"{float(r.quadratic.certified_error):.3g}", r.relu.levels,
                         f"{r.relu.params.dense}/{r.relu.params.nonzero}",
                         f"{float(r.relu.certified_error):.3g}", lower, f"{r.ratio:.2f}",
                         f"{math.log2(1 / float(r.eps)):.1f}"])
        return format_table(["eps", "N", "quadratic", "q error", "L", "relu", "relu error",
                             "lower bound", "relu/q", "log2(1/eps)"], rows,
                            right=[1, 2, 3, 4, 5, 6, 7, 8, 9])


def taylor_rates(expr: object, eps_list: Sequence[object], variables: Sequence[str] | None = None,
                 domain: object = None, smoothness: int | None = None,
                 lower_bounds: bool = True) -> Rates:
    """One row per ε for a smooth target on a box at smoothness ``n`` (default 3): both
    families' closed-form counts for the target's proved derivative bounds, and (where the
    target curves) the ReLU lower bound."""
    lower_bounds = limits.flag(lower_bounds, "lower_bounds")
    if isinstance(eps_list, str) or not isinstance(eps_list, Sequence) or not eps_list:
        raise QuadTheoryError(f"eps: expected a list of positive numbers, found {quoted(eps_list)}")
    eps = sorted({positive_eps(e) for e in eps_list}, reverse=True)
    order = DEFAULT_ORDER if smoothness is None else smoothness
    limits.integer(order, "smoothness", 1, MAX_ORDER, expected=f"an integer n in 1..{MAX_ORDER}")
    target, names, text = target_and_names(expr, variables)
    box = bounded_box(domain, names)
    derivative_bounds = Derivatives(target, names, box).bounds(order)
    rows = []
    for e in eps:
        lower = None
        if lower_bounds:
            try:
                lower = bounds(target, e, domain=box, variables=names)
            except QuadTheoryError:
                lower = None  # no certified curvature: no lower bound to state
        rows.append(RateRow(e, best_counts("quadratic", len(names), order, e, derivative_bounds),
                            best_counts("relu", len(names), order, e, derivative_bounds), lower))
    return Rates(text, domain_text(names, box), len(names), order, derivative_bounds,
                 tuple(rows))


def is_rational_polynomial(expr: sympy.Expr, names: Sequence[str]) -> bool:
    """Whether ``expr`` is a polynomial in ``names`` with rational coefficients.

    >>> x = sympy.Symbol("x")
    >>> is_rational_polynomial(x**2 / 3 + 1, ["x"]), is_rational_polynomial(sympy.sin(x), ["x"])
    (True, False)
    """
    # A walk of the expression tree, never an expansion: (1 + x)**10000 answers at once.
    return is_exact_polynomial(expr, names)
