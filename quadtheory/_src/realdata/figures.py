"""The real-data studies' figures, drawn on ``matplotlib.figure.Figure`` objects.

No pyplot and no global backend switch (``matplotlib.use``): a figure made here is saved with
its own canvas, so a notebook's ``plt.show()`` keeps working. Colours: quadratic blue,
conventional red, the linear reference grey, as in the cross-check's figures. The studies
measure the parametric efficiency of Fan et al. (arXiv:2303.06316) on real data.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

COLORS = {"quadratic": "tab:blue", "conventional": "tab:red", "linear": "tab:gray"}


def figure(panels: int = 1, size: tuple[float, float] = (6.4, 4.4)) -> tuple[Any, list[Any]]:
    """A figure of ``panels`` axes side by side (matplotlib is imported only here)."""
    from matplotlib.figure import Figure  # drawing only: `import quadtheory` stays light

    fig = Figure(figsize=(size[0] * panels, size[1]), layout="constrained")
    axes = fig.subplots(1, panels, squeeze=False)[0]
    return fig, list(axes)


def save(fig: Any, path: Path) -> None:
    fig.savefig(path, dpi=110)


def score_vs_params(ax: Any, series: dict[str, dict[str, Sequence[float]]], ylabel: str,
                    labels: dict[str, Sequence[str]] | None = None) -> None:
    """One errorbar line per family: ``series[family]`` holds ``params``, ``mean``, ``std``
    (same length); ``labels[family]`` names the points."""
    for family, data in series.items():
        order = sorted(range(len(data["params"])), key=lambda k: data["params"][k])
        xs = [data["params"][k] for k in order]
        ax.errorbar(xs, [data["mean"][k] for k in order], yerr=[data["std"][k] for k in order],
                    marker="o", capsize=3, color=COLORS.get(family, "black"), label=family,
                    linestyle="-" if len(xs) > 1 else "none")
        for k in order if labels else ():
            ax.annotate(labels[family][k], (data["params"][k], data["mean"][k]),
                        textcoords="offset points", xytext=(4, 6), fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("dense parameters (log scale)")
    ax.set_ylabel(ylabel)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)


def confusion_figure(matrix: Sequence[Sequence[int]], names: Sequence[str], title: str,
                     path: Path) -> None:
    """A confusion matrix, each row as percentages of its class."""
    counts = np.asarray(matrix, dtype=float)
    rows = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    fig, (ax,) = figure(1, (7.2, 6.2))
    ax.imshow(rows, cmap="Blues", vmin=0, vmax=1)
    for i in range(len(names)):
        for j in range(len(names)):
            if counts[i, j]:
                ax.text(j, i, f"{100 * rows[i, j]:.0f}", ha="center", va="center", fontsize=7,
                        color="white" if rows[i, j] > 0.6 else "black")
    ax.set_xticks(range(len(names)), names, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(names)), names, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true (row: % of the class)")
    ax.set_title(title, fontsize=10)
    save(fig, path)


def bars(ax: Any, names: Sequence[str], groups: dict[str, Sequence[float | None]],
         ylabel: str, families: Sequence[str]) -> None:
    """Grouped bars per name (one bar per entry of ``groups``), log scale; a missing value
    is left out."""
    from matplotlib.patches import Patch  # drawing only: `import quadtheory` stays light

    width = 0.8 / max(1, len(groups))
    hatches = ("", "//", "..", "xx")
    for g, values in enumerate(groups.values()):
        for k, value in enumerate(values):
            if value is None:
                continue
            ax.bar(k + (g - (len(groups) - 1) / 2) * width, value, width,
                   color=COLORS.get(families[k], "black"), hatch=hatches[g % 4],
                   edgecolor="black", linewidth=0.5)
    ax.set_xticks(range(len(names)), names, rotation=20, ha="right", fontsize=8)
    ax.set_yscale("log")
    ax.set_ylabel(ylabel)
    ax.grid(True, axis="y", which="both", alpha=0.3)
    # The colour is the family's; the legend shows the groups by their hatching alone.
    ax.legend(handles=[Patch(facecolor="white", edgecolor="black", hatch=hatches[g % 4],
                             label=label) for g, label in enumerate(groups)], fontsize=8)
