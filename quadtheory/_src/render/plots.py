"""Figures: one style for every plot quadtheory draws, and the comparison plot.

Every figure is made by :func:`subplots` and written by :func:`save_figure` (the formats
matplotlib writes without extra software, atomically). No global backend is chosen: in a
notebook figures show inline, on a headless machine matplotlib falls back to Agg itself.
Legends say what each curve is: exact, certified (a proved bound), a lower bound, or observed
(trained, sampled).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..bounds.compare import Comparison, Row
from ..core.files import atomic_write, writable
from ..errors import QuadTheoryError

FORMATS = (".png", ".pdf", ".svg")
COLORS = {"quadratic": "tab:blue", "relu": "tab:red", "conventional": "tab:red",
          "bound": "tab:gray", "construction": "tab:green", "violation": "black"}
DPI = 120


def figure_path(path: str | Path, option: str = "plot") -> Path:
    """``path`` checked before any work: a known image format, a writable regular file.

    >>> figure_path("figure.bmp")
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: plot 'figure.bmp': expected a file name ending in .png, .pdf or .svg
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise QuadTheoryError(f"{option} {str(path)!r}: expected a file name ending in "
                              f"{', '.join(FORMATS[:-1])} or {FORMATS[-1]}")
    return writable(path, option)


def subplots(ncols: int = 1, *, width: float = 6.0, height: float = 4.4) -> tuple[Any, Any]:
    """A figure of ``ncols`` panels in a row, constrained layout (titles and legends fit)."""
    import matplotlib.pyplot as plt  # matplotlib is slow to import: only when drawing

    fig, axes = plt.subplots(1, ncols, figsize=(width, height), constrained_layout=True,
                             squeeze=False)
    return fig, axes[0]


def log_ticks(axis: Any) -> None:
    """Label only the decades of a log axis: minor labels ("3×10¹4×10¹") overlap."""
    from matplotlib.ticker import LogLocator, NullFormatter  # see subplots

    axis.set_major_locator(LogLocator(base=10))
    axis.set_minor_formatter(NullFormatter())


def save_figure(fig: Any, path: str | Path, option: str = "plot") -> None:
    """Write ``fig`` to ``path`` (format from the suffix) and release it."""
    import matplotlib.pyplot as plt  # see subplots

    target = figure_path(path, option)
    buffer = io.BytesIO()
    fig.savefig(buffer, format=target.suffix[1:], dpi=DPI)
    plt.close(fig)
    atomic_write(target, buffer.getvalue(), option)


def plot_comparison(comparison: Comparison, path: str | None = None) -> Any:
    """Params against log10(1/ε), log-scaled: nonzero (left) and dense (right) counts of
    the exact quadratic network, the certified ReLU construction and the ReLU lower bound.
    Saved to ``path`` when given (.png, .pdf or .svg); returns the figure.

    >>> from quadtheory import compare
    >>> fig = plot_comparison(compare("x**2", ["1e-2", "1e-4"]))
    >>> [ax.get_yscale() for ax in fig.axes]
    ['log', 'log']
    """
    if not isinstance(comparison, Comparison):
        raise QuadTheoryError(f"comparison: expected the result of compare, found "
                              f"{type(comparison).__name__}")
    rows = comparison.rows
    x = [math.log10(1 / float(r.eps)) for r in rows]
    fig, axes = subplots(2, width=11, height=4.2)
    series = [
        (f"quadratic network ({_quadratic_kind(rows)})", "o-", COLORS["quadratic"],
         [r.quadratic.nonzero for r in rows], [r.quadratic.dense for r in rows]),
        ("ReLU construction (Yarotsky; certified error <= eps)", "s-", COLORS["relu"],
         [r.relu.nonzero for r in rows], [r.relu.dense for r in rows]),
        ("ReLU lower bound (proved, any ReLU network)", "^--", COLORS["bound"],
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
        save_figure(fig, path)
    return fig


def _quadratic_kind(rows: Sequence[Row]) -> str:
    """Exact, or certified within eps (a radial target that is not a polynomial in r²): a
    certified approximation can lie above the ReLU lower bound, which holds for ReLU only."""
    if all(r.quadratic_error == 0 for r in rows):
        return "exact"
    return "certified error <= eps"


def plot_rates(rates: Any, path: str | Path | None = None) -> Any:
    """The real-space rates (:func:`quadtheory.taylor_rates`): nonzero params against 1/ε on
    log-log axes with the fitted slopes beside the theory's d/n (left), and the ReLU/quadratic
    ratio against log2(1/ε) (right). Saved to ``path`` when given; returns the figure.

    >>> from quadtheory import taylor_rates
    >>> fig = plot_rates(taylor_rates("exp(x)", ["1e-2", "1e-4"], domain="0:1", smoothness=2))
    >>> [ax.get_xscale() for ax in fig.axes]
    ['log', 'linear']
    """
    if not all(hasattr(rates, name) for name in ("rows", "fit")):
        raise QuadTheoryError(f"rates: expected the result of taylor_rates, found "
                              f"{type(rates).__name__}")
    rows = rates.rows
    fit = rates.fit()
    inverse = [1 / float(r.eps) for r in rows]
    fig, axes = subplots(2, width=11, height=4.2)
    left, right = axes
    series = (("quadratic", "quadratic (exact products)", fit.quadratic, "o-"),
              ("relu", "ReLU (sawtooth products)", fit.relu, "s-"))
    for family, name, slope, marker in series:
        counts = [getattr(r, family).params.nonzero for r in rows]
        left.loglog(inverse, counts, marker, color=COLORS[family],
                    label=f"{name}: fitted slope {slope:.3f}", linewidth=2)
    lower = [(x, r.lower.min_nonzero) for x, r in zip(inverse, rows, strict=True)
             if r.lower is not None]
    if lower:
        left.loglog(*zip(*lower, strict=True), "^--", color=COLORS["bound"],
                    label="ReLU lower bound (proved, any ReLU network)")
    left.set_xlabel("1/ε", fontsize=12)
    left.set_ylabel("nonzero parameters (closed form)", fontsize=12)
    left.set_title(f"{rates.target}: theory slope d/n = {fit.theory}", fontsize=12)
    left.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=9)
    right.plot([math.log2(x) for x in inverse], [r.ratio for r in rows], "d-",
               color=COLORS["construction"], linewidth=2)
    right.set_xlabel("log2(1/ε)", fontsize=12)
    right.set_ylabel("ReLU / quadratic nonzero params", fontsize=12)
    right.set_title(f"ratio: slope {fit.ratio_slope:.3f} per bit of accuracy", fontsize=12)
    right.grid(True, alpha=0.3)
    fig.suptitle(f"Real-space Taylor construction on {rates.region}, n = {rates.order}",
                 fontsize=12)
    if path is not None:
        save_figure(fig, path)
    return fig
