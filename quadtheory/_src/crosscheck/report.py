"""A training cross-check's report (:mod:`.sweep`): the checks read off its records.

A sweep's records are written after every cell (:mod:`.results`). When the sweep is done,
:class:`CrosscheckReport` reads the cross-checks
off the records: the trained conventional networks that beat the ReLU lower bound (Yarotsky
2017, arXiv:1610.01145, Thm 6: violations, which would be a bug), whether the exact quadratic
construction (Fan et al., arXiv:2303.06316) keeps its loss under training, and the parametric
efficiency of each family (fewest dense parameters reaching each threshold). It draws them in
``DIR/efficiency.png`` and writes them in ``DIR/summary.md``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from ..core.files import atomic_write
from ..core.network import Network
from ..errors import QuadTheoryError
from ..render.plots import COLORS, log_ticks, save_figure, subplots
from .cells import DATA_SEEDS, FAMILIES, NEAR_ZERO_RMSE, Setup, lower_bound
from .tasks import REGRESSION_SAMPLES, TASK_SAMPLES, Task

RMSE_THRESHOLDS = (1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5)
ACCURACY_THRESHOLDS = (0.8, 0.9, 0.95, 0.99)


# -- the report --------------------------------------------------------------------------------

def failed_lines(failed: Sequence[dict[str, Any]]) -> list[str]:
    """The summary's lines on cells that failed twice (none: no lines); a rerun retries them.

    >>> failed_lines([{"key": "a/s0", "error": "KilledWorker: ...", "errors": ["x", "y"]}])[0]
    '**1 cell(s) FAILED** twice (a rerun with the same --out retries them):'
    """
    if not failed:
        return []
    return [f"**{len(failed)} cell(s) FAILED** twice (a rerun with the same --out retries "
            "them):", *(f"- {f['key']}: {f['error']}" for f in failed), ""]


def failure_fields(failed: Sequence[dict[str, Any]], others: int) -> dict[str, Any]:
    """The JSON report's entries on cells that failed twice and on cells of other grids
    (none: no entries), shared by the crosscheck and study reports.

    >>> failure_fields([{"key": "a/s0", "error": "E", "errors": ["x", "y"]}], 2)
    {'failed': [{'cell': 'a/s0', 'errors': ['x', 'y']}], 'other_cells': 2}
    """
    data: dict[str, Any] = {}
    if failed:
        data["failed"] = [{"cell": f["key"], "errors": f["errors"]} for f in failed]
    if others:
        data["other_cells"] = others
    return data


def others_lines(others: int) -> list[str]:
    """The summary's line on cells of other grids in the same results file (none: none).

    >>> print(*others_lines(1))
    - results.json holds 1 more cell, of other grids with the same settings (not in this summary)
    """
    if not others:
        return []
    return [f"- results.json holds {others} more cell{'s' if others > 1 else ''}, of other "
            "grids with the same settings (not in this summary)"]


def _usable(records: Iterable[dict[str, Any]], metric: str) -> list[dict[str, Any]]:
    """The records with a finite value of ``metric`` (a diverged run has none)."""
    key = "test_accuracy" if metric == "test_error_rate" else metric
    return [r for r in records if r.get(key) is not None and not r["diverged"]]


def _best(records: Iterable[dict[str, Any]], metric: str) -> dict[str, Any] | None:
    usable = _usable(records, metric)
    sign = -1 if metric.endswith("accuracy") else 1
    return min(usable, key=lambda r: (sign * r[metric], r["params"], r["key"]), default=None)


@dataclass(frozen=True)
class CrosscheckReport:
    """A finished sweep: its records, and the cross-checks read off them."""

    setup: Setup
    task: Task
    records: list[dict[str, Any]]
    construction: Network | None
    seconds: float
    resumed: int
    out: Path
    failed: Sequence[dict[str, Any]] = ()   # cells that failed twice: {"key", "error", ...}
    others: int = 0   # cells in results.json of other grids (same setup), not reported here

    @property
    def metric(self) -> str:
        return "test_rmse" if self.task.kind == "regression" else "test_accuracy"

    def sweep(self, family: str | None = None) -> list[dict[str, Any]]:
        return [r for r in self.records if r["kind"] == "sweep"
                and (family is None or r["family"] == family)]

    @property
    def violations(self) -> list[dict[str, Any]]:
        """Every trained conventional network that beats the lower bound, with the reasons."""
        return [{"cell": r["key"], "widths": r["widths"], "params": r["params"],
                 "error": r["bound"]["error_float"], "error_method": r["bound"]["error_method"],
                 "reasons": r["bound"]["violations"]}
                for r in self.records if r.get("bound") and r["bound"]["violations"]]

    @property
    def checked(self) -> int:
        return sum(1 for r in self.records if r.get("bound"))

    @property
    def efficiency(self) -> list[dict[str, Any]]:
        """Per threshold, the fewest dense params at which each family gets there."""
        accuracy = self.metric == "test_accuracy"
        out = []
        for threshold in ACCURACY_THRESHOLDS if accuracy else RMSE_THRESHOLDS:
            row: dict[str, Any] = {"metric": self.metric, "threshold": threshold}
            for family in FAMILIES:
                hits = [r["params"] for r in _usable(self.sweep(family), self.metric) if (
                    r[self.metric] >= threshold if accuracy else r[self.metric] <= threshold)]
                row[f"{family}_params"] = min(hits, default=None)
            q, c = row["quadratic_params"], row["conventional_params"]
            row["ratio"] = None if q is None or c is None else round(c / q, 3)
            out.append(row)
        return out

    @property
    def construction_check(self) -> dict[str, Any] | None:
        """The construction trained from its own weights, and its architecture trained from
        ReLinear and random inits (best seed)."""
        if self.construction is None or not any(r["kind"] == "construction"
                                                for r in self.records):
            return None
        runs = {r["init"]: [] for r in self.records if r["kind"] == "construction"}
        for r in self.records:
            if r["kind"] == "construction":
                runs[r["init"]].append(r)
        certified = float(Fraction(self.construction.meta.get("certified_error") or 0))
        own = runs["construction"][0]
        out: dict[str, Any] = {
            "params": self.construction.params.dense, "widths": own["widths"],
            "certified_error": certified, "test_rmse_start": own["test_rmse_start"],
            "test_rmse_end": own["test_rmse"], "holds": bool(
                own["test_rmse"] is not None
                and own["test_rmse"] <= max(NEAR_ZERO_RMSE, certified))}
        for init in ("relinear", "random"):
            best = _best(runs.get(init, []), "test_rmse")
            out[init] = None if best is None else {"best_test_rmse": best["test_rmse"],
                                                   "seed": best["seed"]}
        return out

    def as_json(self) -> dict[str, Any]:
        data = {"cells": len(self.records), "violations": self.violations,
                "efficiency": self.efficiency, "construction": self.construction_check}
        return data | failure_fields(self.failed, self.others)

    def write(self) -> None:
        self.plot(self.out / "efficiency.png")
        atomic_write(self.out / "summary.md", self.summary() + "\n")

    # -- the figure ----------------------------------------------------------------------------
    def lower_curve(self, errors: Sequence[float]) -> dict[int, list[tuple[int, float]]]:
        """Per hidden depth of the sweep, (fewest dense params, ε) of the ReLU lower bound."""
        depths = sorted({r["depth"] for r in self.sweep("conventional")})
        curve: dict[int, list[tuple[int, float]]] = {d: [] for d in depths}
        for eps in errors if depths else ():
            try:
                bound = lower_bound(self.task, Fraction(eps), depths)
            except QuadTheoryError:  # no curvature: no bound to draw
                return {}
            for d in depths:
                curve[d].append((bound.min_params_dense[d], eps))
        return curve

    def plot(self, path: Path | None = None) -> Any:
        """The figure of ``efficiency.png``: per panel, trained networks (observed), the
        ReLU lower bound (proved) and the exact construction; saved to ``path`` if given."""
        regression = self.task.kind == "regression"
        panels = [("sup_error", "sup error"), ("test_rmse", "test RMSE")] if regression else [
            ("test_error_rate", "test error rate (1 - accuracy)")]
        fig, axes = subplots(len(panels), width=6 * len(panels), height=5.2)
        # A perfect accuracy has no place on a log axis: drawn at half an error, and labelled.
        floor = 0.5 / TASK_SAMPLES
        for ax, (metric, label) in zip(axes, panels, strict=True):
            values = []
            for family in FAMILIES:
                rows = _usable(self.sweep(family), metric)
                ys = [max(1 - r["test_accuracy"], floor) if metric == "test_error_rate"
                      else r[metric] for r in rows]
                values += [y for y in ys if y]
                if rows:
                    ax.scatter([r["params"] for r in rows], ys, s=22, alpha=0.75,
                               color=COLORS[family], label=f"trained {family} (observed)")
            if metric == "test_error_rate":
                ax.axhline(floor, color=COLORS["bound"], linewidth=0.8, linestyle=":",
                           label=f"no test error (accuracy 1; drawn at {floor:.2g})")
            bad = [r for r in self.records if r.get("bound") and r["bound"]["violations"]]
            if bad and metric == "sup_error":
                ax.scatter([r["params"] for r in bad], [r[metric] for r in bad], marker="x",
                           s=90, color=COLORS["violation"], label="VIOLATION of the lower bound")
            if metric == "sup_error" and (self.task.polynomial or self.task.radial is not None):
                low, high = (min(values, default=1e-4), max(values, default=1))
                errors = np.geomspace(max(low / 3, 1e-9), max(high * 3, low), 24)
                styles = ("--", "-.", ":", (0, (5, 1)))
                for k, (depth, points) in enumerate(self.lower_curve(errors).items()):
                    ax.plot([p for p, _ in points], [e for _, e in points],
                            linestyle=styles[k % 4], color=COLORS["bound"],
                            label=f"ReLU lower bound, depth {depth} (proved)")
            if self.construction is not None:
                dense = self.construction.params.dense
                error = self.construction.meta.get("certified_error")
                ax.axvline(dense, color=COLORS["construction"], linewidth=2,
                           label=f"quadratic construction ({dense} params, certified error "
                                 f"{error})")
            ax.set_xscale("log")
            ax.set_yscale("log")
            log_ticks(ax.xaxis)
            ax.set_xlabel("dense parameters")
            ax.set_ylabel(label)
            ax.grid(True, which="both", alpha=0.3)
            # Below the axes: a legend inside would hide the points.
            ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2,
                      frameon=False)
        fig.suptitle(textwrap.fill(f"{self.setup.spelling} on {self.task.describe()}: trained "
                                   "networks vs the theory", 60 * len(panels)))
        if path is not None:
            save_figure(fig, path)
        return fig

    # -- the summary ---------------------------------------------------------------------------
    def summary(self) -> str:
        """The report in Markdown (also what the command prints)."""
        setup, task = self.setup, self.task
        n = REGRESSION_SAMPLES if task.kind == "regression" else TASK_SAMPLES
        lines = [
            f"# Cross-check: {setup.spelling}", "",
            f"- region: {task.describe()}; inputs {', '.join(task.inputs)}; {n} training and "
            f"{n} test points (data seeds {DATA_SEEDS[0]}, {DATA_SEEDS[1]})",
            f"- training: Adam, full batch, {setup.steps} steps, lr {setup.lr} (quadratic terms "
            f"{setup.quadratic_lr}), cosine schedule stepped once per step, float64, one thread",
            f"- cells: {len(self.records)} ({self.resumed} from an earlier run), "
            f"{self.seconds:.1f} s", *others_lines(self.others), ""]
        lines += failed_lines(self.failed)
        if task.kind == "regression":
            lines += self._bound_lines() + self._construction_lines()
        lines += self._efficiency_lines() + self._best_lines()
        return "\n".join(lines).rstrip()

    def _bound_lines(self) -> list[str]:
        lines = ["## Lower bound (ReLU networks)", ""]
        if not self.checked:
            return [*lines, "No conventional network was checked.", ""]
        methods = sorted({r["bound"]["error_method"] for r in self.records if r.get("bound")})
        how = " or ".join(m.split(" (")[0] for m in methods)
        if not self.violations:
            return [
                *lines, f"No violation: all {self.checked} trained conventional networks have at "
                "least the pieces, neurons and dense parameters that the lower bound requires at "
                f"their own sup error along the bound's segment ({how}).", ""]
        lines.append(f"**{len(self.violations)} VIOLATION(S)**: a trained network beats a "
                     "proven lower bound, so a bound or the code is wrong. CrosscheckReport it.")
        for v in self.violations:
            lines.append(f"- **{v['cell']}** (widths {v['widths']}, {v['params']} params): "
                         + "; ".join(v["reasons"]))
        return [*lines, ""]

    def _construction_lines(self) -> list[str]:
        check = self.construction_check
        if check is None:
            return []
        lines = ["## The quadratic construction under training", "",
                 f"- construction: widths {check['widths']}, {check['params']} dense params, "
                 f"certified error {check['certified_error']:.3g}",
                 f"- trained from its own weights: test RMSE {check['test_rmse_start']:.3g} -> "
                 f"{check['test_rmse_end']:.3g}: " + (
                     "**drifts away from the construction**" if not check["holds"] else
                     "keeps (near) zero loss" if not check["certified_error"] else
                     "stays within its certified error")]
        for init in ("relinear", "random"):
            if check[init]:
                lines.append(f"- same architecture from {init} init, best seed "
                             f"({check[init]['seed']}): test RMSE "
                             f"{check[init]['best_test_rmse']:.3g}")
        return [*lines, ""]

    def _efficiency_lines(self) -> list[str]:
        accuracy = self.metric == "test_accuracy"
        lines = ["## Parametric efficiency", "",
                 f"Fewest dense params at which each family reaches the "
                 f"{'test accuracy' if accuracy else 'test RMSE'} (any depth, width, seed):", "",
                 f"| {'accuracy >=' if accuracy else 'RMSE <='} | quadratic | conventional | "
                 "conventional / quadratic |", "|---|---|---|---|"]
        for row in self.efficiency:
            cells_ = [row["quadratic_params"], row["conventional_params"], row["ratio"]]
            lines.append(f"| {row['threshold']:g} | " + " | ".join(
                "-" if v is None else str(v) for v in cells_) + " |")
        return [*lines, ""]

    def _best_lines(self) -> list[str]:
        lines = ["## Best cell per family", ""]
        for family in FAMILIES:
            best = _best(self.sweep(family), self.metric)
            if best is not None:
                lines.append(f"- {family}: widths {best['widths']}, {best['params']} params, "
                             f"seed {best['seed']}: {self.metric} {best[self.metric]:.4g}")
        return lines
