"""The pilot's report: scores and costs per budget, and a verdict computed from them.

The question (Fan et al., arXiv:2303.06316, asked of the user's table): does a quadratic MLP
reach what a conventional MLP reaches, with fewer parameters? Every number is measured on
held-out rows and summarised over seeds (mean ± sample standard deviation): sampled, not
proved.

**The verdict's rule.** The score is the test RMSE (regression; lower is better) or the test
accuracy (classification; higher is better), averaged over seeds for each (family, budget).
Let ``C`` be the conventional MLP's best mean score over the budgets, reached at budget ``B_c``
with ``P_c`` dense parameters (the smallest budget, if several tie). Among the quadratic
budgets whose mean score is at least as good as ``C``, take the smallest, ``B_q``, with ``P_q``
parameters:

- **positive** when ``B_q < B_c``: "quadratic reaches the conventional model's best score with
  ``P_c / P_q``× fewer parameters";
- **no parametric gain** when such a budget exists but ``B_q ≥ B_c`` (the quadratic MLP needs
  the same budget or a larger one: the actual counts at one budget differ by a few parameters,
  which is no gain); when ``B_q = B_c`` is the smallest budget tried and the quadratic score
  there is strictly better, the verdict says so and asks for smaller budgets, the only way to
  measure a saving;
- **no gain at any budget** when no quadratic budget reaches ``C``.

No tolerance is added: means are compared as they are, and the paragraph states the spreads
over seeds so that a reader can judge a narrow margin. The linear model on pairwise features is
placed against both families' best; the cost sentence gives the quadratic MLP's latency per
row as a multiple of the conventional one's at the same budget (median over budgets).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.files import atomic_write
from .budget import HIDDEN_LAYERS
from .cells import mean_std
from .figures import figure, save, score_vs_params
from .pilot_cells import CHECK_EVERY, TEST_FRACTION, VALID_FRACTION, Setup
from .table import Table

ORDER = {"conventional": 0, "quadratic": 1, "linear": 2}


@dataclass(frozen=True)
class PilotReport:
    """A finished pilot: its records, the rows per (family, budget), the verdict."""

    setup: Setup
    table: Table
    records: list[dict[str, Any]]
    seconds: float
    resumed: int
    out: Path

    @property
    def metric(self) -> str:
        return "test_rmse" if self.setup.task == "regression" else "test_accuracy"

    def _better(self, a: float, b: float) -> bool:
        """Score ``a`` at least as good as ``b``."""
        return a <= b if self.metric == "test_rmse" else a >= b

    @property
    def rows(self) -> list[dict[str, Any]]:
        """One row per (family, budget): scores as (mean, std) over seeds, costs as means
        (training seconds) and medians (latencies). A score is ``None`` when a run diverged."""
        groups: dict[tuple[str, int], list[dict[str, Any]]] = {}
        for r in self.records:
            groups.setdefault((r["family"], r["budget"]), []).append(r)
        out = []
        for (family, budget), runs in sorted(groups.items(),
                                             key=lambda item: (item[0][1], ORDER[item[0][0]])):
            scores = [r.get(self.metric) for r in runs]
            row = {"family": family, "budget": budget, "widths": runs[0]["widths"],
                   "params": runs[0]["params"], "seeds": len(runs),
                   "score": None if None in scores else mean_std(scores),
                   "train_seconds": round(statistics.fmean(r["train_seconds"] for r in runs), 3),
                   "latency_ms_batch1": statistics.median(r["latency_ms_batch1"] for r in runs),
                   "latency_ms_per_row_batch256": statistics.median(
                       r["latency_ms_per_row_batch256"] for r in runs)}
            if self.metric == "test_accuracy":
                row["macro_f1"] = mean_std([r["test_macro_f1"] for r in runs])
            out.append(row)
        return out

    def family(self, name: str) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["family"] == name and r["score"] is not None]

    @property
    def decision(self) -> dict[str, Any]:
        """The verdict's numbers (the rule: module docstring)."""
        conventional, quadratic = self.family("conventional"), self.family("quadratic")
        if not conventional or not quadratic:
            return {"outcome": "undecided"}
        sign = 1 if self.metric == "test_rmse" else -1
        best_c = min(conventional, key=lambda r: (sign * r["score"][0], r["budget"]))
        reaching = [r for r in quadratic if self._better(r["score"][0], best_c["score"][0])]
        best_q = min(quadratic, key=lambda r: (sign * r["score"][0], r["budget"]))
        found: dict[str, Any] = {"conventional_best": best_c, "quadratic_best": best_q}
        if not reaching:
            return {**found, "outcome": "no gain"}
        first = min(reaching, key=lambda r: r["budget"])
        return {**found, "quadratic_reaching": first,
                "ratio": round(best_c["params"] / first["params"], 3),
                "outcome": ("positive" if first["budget"] < best_c["budget"]
                            else "no parametric gain")}

    def _better_at_smallest(self, found: dict[str, Any]) -> bool:
        first, best = found["quadratic_reaching"], found["conventional_best"]
        smallest = min(r["budget"] for r in self.family("conventional"))
        return (first["budget"] == best["budget"] == smallest
                and first["score"][0] != best["score"][0])

    @property
    def verdict(self) -> str:
        """One paragraph computed from the numbers."""
        found = self.decision
        if found["outcome"] == "undecided":
            return "Undecided: a family has no finished run with a finite score."
        name = "test RMSE" if self.metric == "test_rmse" else "test accuracy"
        c, q = found["conventional_best"], found["quadratic_best"]
        text = {
            "positive": lambda: (
                f"Positive: quadratic reaches the conventional model's best {name} "
                f"({_score(c, self.metric)} with {c['params']:,} params) with "
                f"{found['ratio']:.1f}x fewer parameters: "
                f"{_score(found['quadratic_reaching'], self.metric)} with "
                f"{found['quadratic_reaching']['params']:,} params."),
            "no parametric gain": lambda: (
                f"No parametric gain: quadratic matches the conventional model's best {name} "
                f"({_score(c, self.metric)} at budget {c['budget']:,}, {c['params']:,} params) "
                f"only at the same budget or a larger one "
                f"({_score(found['quadratic_reaching'], self.metric)} at budget "
                f"{found['quadratic_reaching']['budget']:,}, "
                f"{found['quadratic_reaching']['params']:,} params)." + (
                    " It is better there, at the smallest budget tried: smaller budgets would "
                    "show whether it also saves parameters." if self._better_at_smallest(found)
                    else "")),
            "no gain": lambda: (
                f"No gain at any budget: the quadratic MLP never reaches the conventional "
                f"model's best {name} ({_score(c, self.metric)} with {c['params']:,} params); "
                f"its own best is {_score(q, self.metric)} with {q['params']:,} params."),
        }[found["outcome"]]()
        parts = [text, self._linear_sentence(c, q), self._cost_sentence()]
        diverged = [r["key"] for r in self.records if r.get("diverged")]
        if diverged:
            parts.append(f"{len(diverged)} run(s) diverged and were scored at their best "
                         f"weights before it ({', '.join(diverged[:4])}).")
        seeds = min(r["seeds"] for r in self.rows)
        parts.append(f"Means over {seeds} seed(s)" + (
            "; with one seed there is no spread to judge a narrow margin by." if seeds == 1
            else "; a margin smaller than the spreads shown is not resolved by this pilot."))
        return " ".join(p for p in parts if p)

    def _linear_sentence(self, c: dict[str, Any], q: dict[str, Any]) -> str:
        linear = self.family("linear")
        if not linear:
            return ""
        lin = linear[0]
        beats = [self._better(lin["score"][0], r["score"][0]) for r in (c, q)]
        where = ("at least as good as both MLPs' best" if all(beats) else
                 "worse than both MLPs' best" if not any(beats) else
                 "between the two MLPs' best")
        return (f"The linear model on pairwise interaction features ({lin['params']:,} params) "
                f"scores {_score(lin, self.metric)}: {where}.")

    def _cost_sentence(self) -> str:
        by_budget = {r["budget"]: r for r in self.family("conventional")}
        ratios = {key: [] for key in ("latency_ms_batch1", "latency_ms_per_row_batch256")}
        for q in self.family("quadratic"):
            c = by_budget.get(q["budget"])
            for key in ratios if c else ():
                if c[key] > 0:
                    ratios[key].append(q[key] / c[key])
        if not ratios["latency_ms_batch1"]:
            return ""
        one, many = (statistics.median(v) for v in ratios.values())
        return (f"Inference cost at equal budget: the quadratic MLP takes {one:.2f}x the "
                f"conventional MLP's CPU time per row at batch 1 and {many:.2f}x at batch 256 "
                "(median over budgets).")

    def as_json(self) -> dict[str, Any]:
        decision = {k: v for k, v in self.decision.items() if k in ("outcome", "ratio")}
        return {"task": self.setup.task, "metric": self.metric, "cells": len(self.records),
                "resumed": self.resumed, "rows": self.rows, **decision,
                "verdict": self.verdict, "setup": self.setup.as_dict(), "out": str(self.out)}

    # -- files -----------------------------------------------------------------------------
    def write(self) -> None:
        self.plot(self.out / "scores.png")
        atomic_write(self.out / "summary.md", self.summary() + "\n")

    def plot(self, path: Path) -> None:
        fig, (left, right) = figure(2)
        label = "test RMSE" if self.metric == "test_rmse" else "test accuracy"
        scores, costs = {}, {}
        for name in ORDER:
            rows = self.family(name)
            if rows:
                scores[name] = {"params": [r["params"] for r in rows],
                                "mean": [r["score"][0] for r in rows],
                                "std": [r["score"][1] for r in rows]}
                costs[name] = {"params": [r["params"] for r in rows],
                               "mean": [r["latency_ms_batch1"] for r in rows],
                               "std": [0.0] * len(rows)}
        score_vs_params(left, scores, f"{label} (mean ± std over seeds)")
        score_vs_params(right, costs, "CPU latency per row, batch 1 (ms; median)")
        fig.suptitle(f"Pilot on {self.setup.source}: {self.setup.target} "
                     f"({self.setup.task})", fontsize=10)
        save(fig, path)

    def summary(self) -> str:
        """The report in Markdown (also what the command prints)."""
        setup, table = self.setup, self.table
        names = ", ".join(table.names[:8]) + (f", ... ({len(table.names)})"
                                               if len(table.names) > 8 else "")
        classes = f"; classes {', '.join(table.classes)}" if table.classes else ""
        label = "test RMSE" if self.metric == "test_rmse" else "test accuracy"
        lines = [
            f"# Pilot: do quadratic neurons pay on {setup.source}?", "",
            f"- table: {setup.rows} rows, {setup.features} features ({names}); target "
            f"{setup.target!r}, {setup.task}{classes}",
            f"- protocol: test split {TEST_FRACTION:g} of the rows, validation "
            f"{VALID_FRACTION:g} of the rest (per seed); standardised features; full-batch "
            f"Adam, lr {setup.lr} (quadratic terms {setup.quadratic_lr}), cosine schedule, "
            f"{setup.steps} steps, weights of the lowest validation loss (checked every "
            f"{CHECK_EVERY} steps); MLPs of {HIDDEN_LAYERS} hidden layer(s) sized to each budget",
            f"- cells: {len(self.records)} ({self.resumed} from an earlier run), "
            f"{self.seconds:.1f} s", "", "## Verdict", "", self.verdict, "",
            f"## Per budget ({label}: mean ± std over seeds)", "",
            "| budget | model | widths | dense params | " + label + (
                " | macro F1" if self.metric == "test_accuracy" else "")
            + " | training (s) | latency, batch 1 (ms/row) | latency, batch 256 (µs/row) |",
            "|---:|---|---|---:|---:|" + ("---:|" if self.metric == "test_accuracy" else "")
            + "---:|---:|---:|"]
        for r in self.rows:
            f1 = f" | {_pair(r['macro_f1'], True)}" if "macro_f1" in r else ""
            lines.append(
                f"| {r['budget'] or '-'} | {r['family']} | {'-'.join(map(str, r['widths']))} | "
                f"{r['params']:,} | {_score(r, self.metric)}{f1} | {r['train_seconds']:.2f} | "
                f"{r['latency_ms_batch1']:.3f} | {1e3 * r['latency_ms_per_row_batch256']:.2f} |")
        lines += [
            "", "## How the numbers were obtained", "",
            "- dense params: every weight and bias torch holds, equal to the analytic count "
            "(checked per cell); a budget is met by the width whose count is nearest it",
            "- scores: measured on the held-out rows of each seed's split (sampled); the "
            "verdict compares means over seeds by the rule in the docs (no tolerance)",
            "- latency: median CPU time of one forward pass, one thread, float64, per row",
            "- files: results.json, results.csv (every cell), scores.png"]
        return "\n".join(lines)


def _pair(pair: tuple[float, float], percent: bool) -> str:
    if percent:
        return f"{100 * pair[0]:.2f} ± {100 * pair[1]:.2f}%"
    return f"{pair[0]:.4g} ± {pair[1]:.2g}"


def _score(row: dict[str, Any], metric: str) -> str:
    if row["score"] is None:
        return "diverged"
    return _pair(row["score"], metric == "test_accuracy")
