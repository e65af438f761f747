"""The paper's claim as a table: quadratic params constant in ε, ReLU params growing with log 1/ε.

For a target and a list of ε, one row per ε: the exact quadratic network's counts (Fan et
al. 2023: :func:`quadtheory.construct`, or :func:`quadtheory.radial` for ``radial:G``),
the certified ReLU construction's counts and error (Yarotsky 2017, arXiv:1610.01145:
:func:`quadtheory.relu_construct` / ``relu_radial``) and the lower bound on
ANY ReLU network reaching ε (:func:`quadtheory.bounds`: neurons, nonzero weights,
dense params at the best depth). Every number is certified; the ratio construction / lower
bound stays bounded while both grow like log(1/ε).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..conventional.family import relu_construct, relu_radial
from ..core.counts import ParamCounts
from ..core.domain import Ball, bounded_box, domain_text
from ..core.limits import quoted
from ..core.numbers import format_rational, positive_eps
from ..core.text import format_table
from ..errors import QuadTheoryError
from ..exact.construction import Construction
from ..quadratic.construct import construct
from ..quadratic.radial import radial
from .lower import ReluLowerBound, bounds, radial_bounds

RADIAL = "radial:"


@dataclass(frozen=True)
class Row:
    """One ε: the three contenders' counts."""

    eps: Fraction
    quadratic: ParamCounts
    quadratic_error: Fraction
    relu: ParamCounts
    relu_error: Fraction
    relu_depth: int
    lower_neurons: int
    lower_nonzero: int
    lower_dense: int
    lower_depth: int
    pieces: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "eps": format_rational(self.eps),
            "quadratic": {**self.quadratic.as_dict(),
                          "certified_error": format_rational(self.quadratic_error)},
            "relu": {**self.relu.as_dict(), "certified_error": format_rational(self.relu_error),
                     "depth": self.relu_depth},
            "relu_lower_bound": {"neurons": self.lower_neurons, "nonzero": self.lower_nonzero,
                                 "dense": self.lower_dense, "depth": self.lower_depth,
                                 "pieces": self.pieces},
        }


@dataclass(frozen=True)
class Comparison:
    """The rows of :func:`compare`, with the target and the region they hold on.

    >>> table = compare("x**2", ["1/100"])
    >>> table.target, table.rows[0].quadratic, table.rows[0].relu_error
    ('x**2', ParamCounts(dense=6, nonzero=1), Fraction(1, 128))
    """

    target: str
    region: str
    rows: tuple[Row, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"target": self.target, "region": self.region,
                "rows": [row.as_dict() for row in self.rows]}

    def table(self) -> str:
        """The rows as a text table: counts as dense/nonzero (every weight and bias / nonzero
        entries); the lower bound as hidden neurons/nonzero weights/dense params.

        >>> print(compare("x**2", ["1/100"]).table())
        eps   quadratic   relu  relu error  lower bound  relu/lower (dense)
        0.01        6/1  27/23    0.007812        3/4/8                3.38
        """

        rows = [[f"{float(r.eps):.3g}", f"{r.quadratic.dense}/{r.quadratic.nonzero}",
                 f"{r.relu.dense}/{r.relu.nonzero}", f"{float(r.relu_error):.4g}",
                 f"{r.lower_neurons}/{r.lower_nonzero}/{r.lower_dense}",
                 f"{r.relu.dense / r.lower_dense:.2f}"] for r in self.rows]
        return format_table(["eps", "quadratic", "relu", "relu error", "lower bound",
                             "relu/lower (dense)"], rows, right=[1, 2, 3, 4, 5])


def _eps_list(eps_list: Sequence[object]) -> list[Fraction]:

    if isinstance(eps_list, str) or not isinstance(eps_list, Sequence) or not eps_list:
        raise QuadTheoryError(f"eps: expected a list of positive numbers, found {quoted(eps_list)}")
    return [positive_eps(e) for e in eps_list]


def compare(target: str, eps_list: Sequence[object], domain: object = None,
            dim: int | None = None, center: Sequence[object] | None = None,
            radius: object = 1, variables: Sequence[str] | None = None) -> Comparison:
    """One row per ε for a polynomial ``target`` on a box (``domain`` as for
    :func:`quadtheory.construct`), or ``"radial:G"`` on a ball in ``dim`` dimensions.

    >>> rows = compare("x**2", ["1e-2", "1e-4"]).rows
    >>> [(r.quadratic.dense, r.relu.dense, r.lower_dense) for r in rows]
    [(6, 27, 8), (6, 75, 16)]
    """
    if not isinstance(target, str):
        raise QuadTheoryError(f"target: expected a string such as 'x*y' or 'radial:exp(-r^2)', "
                              f"found {type(target).__name__}")
    eps = _eps_list(eps_list)
    if target.startswith(RADIAL):
        return _radial_rows(target, eps, dim, center, radius)
    if dim is not None:
        raise QuadTheoryError(f"dim: only for radial targets ('radial:G'), found dim={dim} with "
                              f"{target!r}")

    quadratic = construct(target, variables, domain)
    rows = []
    for e in eps:
        relu = relu_construct(target, e, variables, domain)
        lower = bounds(target, e, domain=domain, variables=variables)
        rows.append(_row(e, quadratic, relu, lower))
    region = domain_text(quadratic.inputs, bounded_box(domain, quadratic.inputs))
    return Comparison(target, region, tuple(rows))


def _radial_rows(target: str, eps: list[Fraction], dim: int | None,
                 center: Sequence[object] | None, radius: object) -> Comparison:

    if dim is None:
        raise QuadTheoryError(f"dim: a radial target {target!r} needs a dimension (--dim D)")
    g = target[len(RADIAL):].strip()
    if not g:
        raise QuadTheoryError(f"target: expected radial:G with G an expression in r, found "
                              f"{target!r}")
    ball = Ball.of(dim, center, radius)
    rows = []
    for e in eps:
        quadratic = radial(g, dim, ball.center, ball.radius, eps=e)
        relu = relu_radial(g, dim, e, ball.center, ball.radius)
        lower = radial_bounds(g, dim, e, ball.center, ball.radius)
        rows.append(_row(e, quadratic, relu, lower))
    return Comparison(target, f"the ball {ball} in R^{dim}", tuple(rows))


def _row(eps: Fraction, quadratic: Construction, relu: Construction,
         lower: ReluLowerBound) -> Row:
    return Row(eps, quadratic.params, quadratic.certified_error or Fraction(0),
               relu.params, relu.certified_error, relu.depth - 1,
               lower.min_neurons, lower.min_nonzero, lower.best_dense, lower.best_depth,
               lower.pieces_needed)
