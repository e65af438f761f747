"""A dimension study's report (:mod:`.study`): error against D per family, with confidence
intervals over seeds, the fewest parameters reaching a threshold, and the fitted trend.

Everything here is read off the records of ``DIR/results.json``: observed (trained, sampled
test points), not proved. ``DIR/error_vs_dim.png`` draws the mean relative test RMSE against
D with its 95% t band per family and budget, and the fewest dense params reaching each
threshold; ``DIR/summary.md`` holds the tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.files import atomic_write
from ..crosscheck.report import failed_lines, failure_fields, others_lines
from ..render.plots import COLORS, save_figure, subplots
from .cells import FAMILIES, THRESHOLDS, StudySetup
from .statistics import Interval, Trend, mean_ci, trend

METRIC = "relative_rmse"
NAMES = {"quadratic": "quadratic", "conventional": "ReLU"}


@dataclass(frozen=True)
class StudyReport:
    """A finished study: its records (finished cells of the grid), the failed cells, and
    the tables read off them."""

    setup: StudySetup
    dims: tuple[int, ...]
    widths: tuple[int, ...]
    seeds: tuple[int, ...]
    records: list[dict[str, Any]]
    failed: Sequence[dict[str, Any]]
    seconds: float
    resumed: int
    out: Path
    where: str
    others: int = 0   # cells in results.json of other grids (same setup), not reported here

    def runs(self, family: str, budget: int, dim: int) -> list[dict[str, Any]]:
        return [r for r in self.records if r["family"] == family and r["budget"] == budget
                and r["dim"] == dim and r[METRIC] is not None]

    def cell(self, family: str, budget: int, dim: int) -> dict[str, Any] | None:
        """Mean and interval of the relative test RMSE over seeds, the actual width and
        dense params, and the mean seconds per run."""
        runs = self.runs(family, budget, dim)
        if not runs:
            return None
        return {"family": family, "budget": budget, "dim": dim, "width": runs[0]["width"],
                "params": runs[0]["params"], "error": mean_ci([r[METRIC] for r in runs]),
                "seconds": sum(r["seconds"] for r in runs) / len(runs)}

    def table(self) -> list[dict[str, Any]]:
        return [c for d in self.dims for w in self.widths for f in FAMILIES
                if (c := self.cell(f, w, d)) is not None]

    def needed(self, family: str, threshold: float, dim: int) -> dict[str, Any] | None:
        """The fewest dense params (and that width) whose mean error is <= threshold."""
        hits = [c for w in self.widths if (c := self.cell(family, w, dim)) is not None
                and c["error"].mean <= threshold]
        return min(hits, key=lambda c: c["params"], default=None)

    def trends(self) -> dict[tuple[str, int], Trend]:
        out = {}
        for family in FAMILIES:
            for width in self.widths:
                runs = [r for d in self.dims for r in self.runs(family, width, d)]
                out[family, width] = trend([r["dim"] for r in runs], [r[METRIC] for r in runs])
        return out

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "study": self.setup.kind, "cells": len(self.records), "metric": METRIC,
            "table": [{**c, "error": c["error"].as_json(), "seconds": round(c["seconds"], 3)}
                      for c in self.table()],
            "needed": [{"family": f, "threshold": t, "dim": d,
                        "params": None if (n := self.needed(f, t, d)) is None else n["params"],
                        "width": None if n is None else n["width"]}
                       for t in THRESHOLDS for d in self.dims for f in FAMILIES],
            "trend": [{"family": f, "budget": w, **t.as_json()}
                      for (f, w), t in self.trends().items()]}
        return data | failure_fields(self.failed, self.others)

    def write(self) -> None:
        self.plot(self.out / "error_vs_dim.png")
        atomic_write(self.out / "summary.md", self.summary() + "\n")

    # -- the figure ----------------------------------------------------------------------------
    def plot(self, path: Path | None = None) -> Any:
        """Relative test RMSE against D (mean, 95% band) per family and budget; fewest dense
        params reaching each threshold against D."""
        fig, (left, right) = subplots(2, width=12, height=4.6)
        styles = ("-", "--", ":", "-.")
        top = 0.0
        for k, width in enumerate(self.widths):
            for family in FAMILIES:
                cells = [c for d in self.dims if (c := self.cell(family, width, d))]
                if not cells:
                    continue
                dims = [c["dim"] for c in cells]
                errors: list[Interval] = [c["error"] for c in cells]
                color = COLORS[family]
                left.plot(dims, [e.mean for e in errors], styles[k % 4], marker="o",
                          color=color, label=f"{NAMES[family]}, budget of ReLU width {width}")
                left.fill_between(dims, [max(e.low, 0) for e in errors],
                                  [e.high for e in errors], color=color, alpha=0.15)
                top = max(top, *(e.mean for e in errors))
        for k, threshold in enumerate(THRESHOLDS):
            for family in FAMILIES:
                points = [(d, n["params"]) for d in self.dims
                          if (n := self.needed(family, threshold, d)) is not None]
                if points:
                    right.plot(*zip(*points, strict=True), styles[k % 4], marker="s",
                               color=COLORS[family],
                               label=f"{NAMES[family]}: error <= {threshold}")
        for ax in (left, right):
            ax.set_xscale("log", base=2)
            ax.set_xlabel("dimension D")
            ax.grid(True, which="both", alpha=0.3)
            if ax.get_legend_handles_labels()[0]:
                ax.legend(fontsize=7)
        left.set_ylim(0, max(1.1, 1.25 * top))   # wide bands of few seeds run off the top
        left.set_ylabel("relative test RMSE (observed; mean over seeds, 95% t band)")
        right.set_yscale("log")
        right.set_ylabel("fewest dense params reaching the error (grid)")
        if not right.get_legend_handles_labels()[0]:
            right.text(0.5, 0.5, f"no network reached error <= {max(THRESHOLDS)}",
                       ha="center", transform=right.transAxes)
        fig.suptitle(f"study {self.setup.kind}: {self.setup.target()}", fontsize=9)
        if path is not None:
            save_figure(fig, path)
        return fig

    # -- the summary ---------------------------------------------------------------------------
    def summary(self) -> str:
        """The report in Markdown (also what the command prints)."""
        s = self.setup
        lines = [
            f"# Study: {s.kind}", "",
            f"- target: {s.target()}",
            f"- data: {s.train} training and {s.test} test points per D (fixed seeds); metric: "
            "relative test RMSE = test RMSE / std of the target on the test points "
            "(observed, not proved)",
            "- networks: one hidden layer; the grid names the ReLU hidden width w "
            "(w(D+2)+1 dense params), the quadratic MLP gets the hidden width whose dense "
            "params are nearest (its output neuron is quadratic too); actual counts below",
            f"- training: Adam, full batch, {s.steps} steps, lr {s.lr} (quadratic terms "
            f"{s.quadratic_lr}), cosine schedule, float64, one thread; quadratic layers start "
            "as ReLinear (conventional) neurons",
            f"- grid: D {', '.join(map(str, self.dims))}; ReLU widths "
            f"{', '.join(map(str, self.widths))}; seeds {', '.join(map(str, self.seeds))}",
            f"- cells: {len(self.records)} ({self.resumed} from an earlier run) on "
            f"{self.where}, {self.seconds:.1f} s", *others_lines(self.others), ""]
        lines += failed_lines(self.failed)
        lines += self._error_lines() + self._params_lines() + self._needed_lines()
        lines += self._trend_lines() + self._time_lines()
        return "\n".join(lines).rstrip()

    def _columns(self) -> list[tuple[str, int]]:
        return [(f, w) for w in self.widths for f in FAMILIES]

    def _error_lines(self) -> list[str]:
        head = [f"{NAMES[f]} @ w {w}" for f, w in self._columns()]
        lines = ["## Relative test RMSE against D (mean over seeds [95% t interval])", "",
                 "| D | " + " | ".join(head) + " |", "|---" * (len(head) + 1) + "|"]
        for d in self.dims:
            row = [("-" if (c := self.cell(f, w, d)) is None else c["error"].text())
                   for f, w in self._columns()]
            lines.append(f"| {d} | " + " | ".join(row) + " |")
        return [*lines, ""]

    def _params_lines(self) -> list[str]:
        head = [f"{NAMES[f]} @ w {w}" for f, w in self._columns()]
        lines = ["## Networks compared (hidden width: dense params)", "",
                 "| D | " + " | ".join(head) + " |", "|---" * (len(head) + 1) + "|"]
        for d in self.dims:
            row = [("-" if (c := self.cell(f, w, d)) is None else f"{c['width']}: {c['params']}")
                   for f, w in self._columns()]
            lines.append(f"| {d} | " + " | ".join(row) + " |")
        return [*lines, ""]

    def _needed_lines(self) -> list[str]:
        head = [f"{NAMES[f]}, error <= {t}" for t in THRESHOLDS for f in FAMILIES]
        lines = ["## Fewest dense params (hidden width) reaching the error, on the grid", "",
                 "| D | " + " | ".join(head) + " |", "|---" * (len(head) + 1) + "|"]
        for d in self.dims:
            row = [("not reached" if (n := self.needed(f, t, d)) is None
                    else f"{n['params']} (w {n['width']})")
                   for t in THRESHOLDS for f in FAMILIES]
            lines.append(f"| {d} | " + " | ".join(row) + " |")
        return [*lines, ""]

    def _trend_lines(self) -> list[str]:
        lines = ["## Trend: slope of log10(error) on log10(D), every run (95% t interval)", ""]
        for (family, width), t in self.trends().items():
            if t.points >= 3:
                lines.append(f"- {NAMES[family]} @ w {width}: slope {t.slope:.3f} "
                             f"[{t.low:.3f}, {t.high:.3f}] over {t.points} runs: {t.verdict}")
            else:
                lines.append(f"- {NAMES[family]} @ w {width}: {t.verdict}")
        return [*lines, ""]

    def _time_lines(self) -> list[str]:
        head = [NAMES[f] for f in FAMILIES]
        lines = ["## Seconds per cell (training only, mean over widths and seeds)", "",
                 "| D | " + " | ".join(head) + " |", "|---" * (len(head) + 1) + "|"]
        for d in self.dims:
            row = []
            for f in FAMILIES:
                secs = [r["seconds"] for w in self.widths for r in self.runs(f, w, d)]
                row.append(f"{sum(secs) / len(secs):.2f}" if secs else "-")
            lines.append(f"| {d} | " + " | ".join(row) + " |")
        return lines
