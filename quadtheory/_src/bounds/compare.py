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

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..core.counts import ParamCounts
from ..core.network import Network
from ..core.numbers import format_rational
from ..errors import QuadTheoryError

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
        from ..cli.main import format_table

        rows = [[f"{float(r.eps):.3g}", f"{r.quadratic.dense}/{r.quadratic.nonzero}",
                 f"{r.relu.dense}/{r.relu.nonzero}", f"{float(r.relu_error):.4g}",
                 f"{r.lower_neurons}/{r.lower_nonzero}/{r.lower_dense}",
                 f"{r.relu.dense / r.lower_dense:.2f}"] for r in self.rows]
        return format_table(["eps", "quadratic", "relu", "relu error", "lower bound",
                             "relu/lower (dense)"], rows, right=[1, 2, 3, 4, 5])


def _eps_list(eps_list: Sequence[object]) -> list[Fraction]:
    from .lower import positive_eps

    if isinstance(eps_list, str) or not isinstance(eps_list, Sequence) or not eps_list:
        raise QuadTheoryError(f"eps: expected a list of positive numbers, found {eps_list!r:.80}")
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
    eps = _eps_list(eps_list)
    if target.startswith(RADIAL):
        return _radial_rows(target, eps, dim, center, radius)
    if dim is not None:
        raise QuadTheoryError(f"dim: only for radial targets ('radial:G'), found dim={dim} with "
                              f"{target!r}")
    from ..conventional.family import relu_construct
    from ..core.domain import bounded_box
    from ..quadratic.construct import construct
    from .lower import bounds

    quadratic = construct(target, variables, domain)
    rows = []
    for e in eps:
        relu = relu_construct(target, e, variables, domain)
        lower = bounds(target, e, domain=domain, variables=variables)
        rows.append(_row(e, quadratic, relu, lower))
    box = bounded_box(domain, quadratic.inputs)
    region = " x ".join(f"{n} in [{format_rational(lo)}, {format_rational(hi)}]"
                        for n, (lo, hi) in zip(quadratic.inputs, box, strict=True))
    return Comparison(target, region, tuple(rows))


def _radial_rows(target: str, eps: list[Fraction], dim: int | None,
                 center: Sequence[object] | None, radius: object) -> Comparison:
    from ..conventional.family import relu_radial
    from ..core.domain import Ball
    from ..quadratic.radial import radial
    from .lower import radial_bounds

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
    region = (f"ball |x - ({', '.join(map(format_rational, ball.center))})| <= "
              f"{format_rational(ball.radius)} in R^{dim}")
    return Comparison(target, region, tuple(rows))


def _row(eps: Fraction, quadratic: Network, relu: Network, lower: Any) -> Row:
    return Row(eps, quadratic.params, Fraction(quadratic.meta.get("certified_error") or 0),
               relu.params, Fraction(relu.meta["certified_error"]), relu.depth - 1,
               lower.min_neurons, lower.min_nonzero, lower.best_dense, lower.best_depth,
               lower.pieces_needed)


def plot_comparison(comparison: Comparison, path: str | None = None) -> Any:
    """Params against log10(1/ε), log-scaled: nonzero (left) and dense (right) counts of
    the exact quadratic network, the certified ReLU construction and the ReLU lower bound.
    Saved to ``path`` when given (matplotlib, Agg); returns the figure.

    >>> fig = plot_comparison(compare("x**2", ["1e-2", "1e-4"]))
    >>> [ax.get_yscale() for ax in fig.axes]
    ['log', 'log']
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = comparison.rows
    x = [math.log10(1 / float(r.eps)) for r in rows]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    series = [
        ("quadratic network (exact)", "o-", "tab:blue",
         [r.quadratic.nonzero for r in rows], [r.quadratic.dense for r in rows]),
        ("ReLU construction (Yarotsky, certified)", "s-", "tab:red",
         [r.relu.nonzero for r in rows], [r.relu.dense for r in rows]),
        ("ReLU lower bound (any network)", "^--", "tab:gray",
         [r.lower_nonzero for r in rows], [r.lower_dense for r in rows]),
    ]
    for ax, which, title in ((axes[0], 3, "nonzero parameters"), (axes[1], 4, "dense parameters")):
        for s in series:
            ax.plot(x, s[which], s[1], color=s[2], label=s[0], linewidth=2, markersize=6)
        ax.set_yscale("log")
        ax.set_xlabel("log10(1/ε)", fontsize=12)
        ax.set_ylabel(title, fontsize=12)
        ax.set_title(f"{title}: {comparison.target}", fontsize=12)
        ax.grid(True, which="both", alpha=0.3)
        ax.tick_params(labelsize=11)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=3, fontsize=11)
    fig.suptitle(f"Parametric efficiency on {comparison.region}", fontsize=12)
    if path is not None:
        fig.savefig(path, dpi=120)
        plt.close(fig)
    return fig
