"""The bearing experiment's report: KPIs per model, the per-parameter verdict, the figures.

The claim under test (Fan et al., arXiv:2303.06316, real-world experiment): the quadratic
QCNN is as accurate as the conventional WDCNN with about a quarter of its parameters, and so
is more accurate per parameter. Every number here is measured on this run's test windows and
summarised over its seeds (mean ± sample standard deviation): sampled, not proved.

The verdict's rule, per pair (quadratic model, conventional model): ``d`` = the difference
of their mean test accuracies and ``spread`` = the larger of their standard deviations over
seeds. The quadratic model is **better** when ``d > spread``, **worse** when ``d < −spread``,
and the pair is **even** otherwise (with one seed there is no spread: any difference counts,
and the summary says so). The paper's claim (QCNN vs WDCNN) **holds** here when the QCNN is
better or even; the per-parameter claim holds when the quadratic model is better or even in
both parameter-matched pairs and better in at least one, fails when it is worse in one, and is
not resolved when both pairs are even.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.files import atomic_write
from .bearing_cells import DEFAULTS, Setup
from .cells import mean_std
from .cwru import CLASS_NAMES, FILES, STEP, WINDOW
from .figures import bars, confusion_figure, figure, save, score_vs_params

PAIRS = (("QCNN", "WDCNN", "the paper's comparison"),
         ("QCNN", "WDCNN-small", "equal parameters, QCNN's budget"),
         ("QCNN-large", "WDCNN", "equal parameters, WDCNN's budget"))


def _median(values: list[Any]) -> Any:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def compare(quadratic: dict[str, Any], conventional: dict[str, Any]) -> dict[str, Any]:
    """The verdict of one pair of KPI rows (see the module docstring for the rule).

    >>> q = {"model": "QCNN", "params": 16262, "accuracy": (0.93, 0.01), "seeds": 3}
    >>> c = {"model": "WDCNN", "params": 66790, "accuracy": (0.90, 0.02), "seeds": 3}
    >>> compare(q, c)["outcome"], compare(q, c)["param_ratio"]
    ('better', 4.107)
    """
    (mean_q, std_q), (mean_c, std_c) = quadratic["accuracy"], conventional["accuracy"]
    difference, spread = mean_q - mean_c, max(std_q, std_c)
    outcome = ("better" if difference > spread else "worse" if difference < -spread
               else "even")
    return {"quadratic": quadratic["model"], "conventional": conventional["model"],
            "difference": round(difference, 6), "spread": spread, "outcome": outcome,
            "param_ratio": round(conventional["params"] / quadratic["params"], 3),
            "seeds": min(quadratic["seeds"], conventional["seeds"])}


@dataclass(frozen=True)
class BearingReport:
    """A finished bearing experiment: its records, the KPIs and verdicts read off them."""

    setup: Setup
    models: tuple[str, ...]
    records: list[dict[str, Any]]
    seconds: float
    resumed: int
    out: Path

    def of(self, model: str) -> list[dict[str, Any]]:
        return [r for r in self.records if r["model"] == model]

    @property
    def rows(self) -> list[dict[str, Any]]:
        """One KPI row per model: accuracy and macro F1 as (mean, std) over seeds; the
        latencies, peak memory and seconds per epoch as medians over seeds."""
        out = []
        for model in self.models:
            runs = self.of(model)
            first = runs[0]
            out.append({
                "model": model, "family": first["family"], "channels": first["channels"],
                "hidden": first["hidden"], "params": first["params"], "seeds": len(runs),
                "accuracy": mean_std([r["test_accuracy"] for r in runs]),
                "macro_f1": mean_std([r["test_macro_f1"] for r in runs]),
                **{key: _median([r[key] for r in runs]) for key in (
                    "latency_ms_batch1", "latency_ms_per_window_batch256",
                    "peak_bytes_batch1", "peak_bytes_batch256", "model_bytes",
                    "seconds_per_epoch")}})
        return out

    @property
    def comparisons(self) -> list[dict[str, Any]]:
        rows = {row["model"]: row for row in self.rows}
        return [{**compare(rows[q], rows[c]), "what": what} for q, c, what in PAIRS
                if q in rows and c in rows]

    @property
    def verdict(self) -> str:
        """One paragraph computed from the comparisons (the rule: module docstring)."""
        found = {(c["quadratic"], c["conventional"]): c for c in self.comparisons}
        rows = {row["model"]: row for row in self.rows}
        parts = []
        paper = found.get(("QCNN", "WDCNN"))
        if paper:
            held = paper["outcome"] in ("better", "even")
            parts.append(
                f"The paper's claim {'held' if held else 'did not hold'} here: the QCNN "
                f"({rows['QCNN']['params']:,} params) scored {_pm(rows['QCNN']['accuracy'])} "
                f"test accuracy against the WDCNN's {_pm(rows['WDCNN']['accuracy'])} with "
                f"{paper['param_ratio']:.2f}x the parameters ({_outcome(paper)}).")
        matched = [found[k] for k in (("QCNN", "WDCNN-small"), ("QCNN-large", "WDCNN"))
                   if k in found]
        if matched:
            outcomes = [c["outcome"] for c in matched]
            status = ("did not hold" if "worse" in outcomes else "held" if "better" in outcomes
                      else "was not resolved (every difference within the seed spread)")
            text = "; ".join(
                f"{c['quadratic']} vs {c['conventional']}: {_outcome(c)}" for c in matched)
            parts.append(f"Per parameter: {text}; so the per-parameter claim {status} in this "
                         f"run{'' if len(matched) == 2 else ' (one matched pair only)'}.")
        seeds = min((c["seeds"] for c in self.comparisons), default=0)
        if seeds == 1:
            parts.append("One seed only: no spread over seeds, so every difference counts; "
                         "rerun with more seeds before drawing a conclusion.")
        return " ".join(parts) or "No pair of models to compare."

    def as_json(self) -> dict[str, Any]:
        return {"cells": len(self.records), "resumed": self.resumed, "models": self.rows,
                "comparisons": self.comparisons, "verdict": self.verdict,
                "setup": self.setup.as_dict(), "out": str(self.out)}

    # -- files -----------------------------------------------------------------------------
    def write(self) -> None:
        for model in self.models:
            runs = self.of(model)
            total = [[sum(r["confusion"][i][j] for r in runs) for j in range(len(CLASS_NAMES))]
                     for i in range(len(CLASS_NAMES))]
            confusion_figure(total, CLASS_NAMES, f"{model}: test confusion, summed over "
                             f"{len(runs)} seed(s)", self.out / f"confusion_{model}.png")
        self.plot_accuracy(self.out / "accuracy_vs_params.png")
        self.plot_costs(self.out / "latency.png")
        atomic_write(self.out / "summary.md", self.summary() + "\n")

    def plot_accuracy(self, path: Path) -> None:
        fig, (ax,) = figure()
        series: dict[str, dict[str, list[float]]] = {}
        labels: dict[str, list[str]] = {}
        for row in self.rows:
            data = series.setdefault(row["family"], {"params": [], "mean": [], "std": []})
            data["params"].append(row["params"])
            data["mean"].append(row["accuracy"][0])
            data["std"].append(row["accuracy"][1])
            labels.setdefault(row["family"], []).append(row["model"])
        score_vs_params(ax, series, "test accuracy (mean ± std over seeds)", labels)
        ax.set_title(f"Bearing faults, SNR {self._snr()}: accuracy per parameter", fontsize=10)
        save(fig, path)

    def plot_costs(self, path: Path) -> None:
        rows = self.rows
        names, families = [r["model"] for r in rows], [r["family"] for r in rows]
        fig, (left, right) = figure(2)
        bars(left, names, {"batch 1": [r["latency_ms_batch1"] for r in rows],
                           "batch 256, per window": [r["latency_ms_per_window_batch256"]
                                                     for r in rows]},
             "CPU latency per window, one thread (ms)", families)
        bars(right, names, {"batch 1": [_mib(r["peak_bytes_batch1"]) for r in rows],
                            "batch 256": [_mib(r["peak_bytes_batch256"]) for r in rows]},
             "peak memory of a forward pass (MiB)", families)
        fig.suptitle("Inference cost (median over seeds)", fontsize=10)
        save(fig, path)

    def _smoke(self) -> list[str]:
        full = DEFAULTS["per_class"]
        if self.setup.epochs >= DEFAULTS["epochs"] and all(
                n >= m for n, m in zip(self.setup.per_class, full, strict=True)):
            return []
        return [f"- **far below the defaults** ({full[0]} training windows per class, "
                f"{DEFAULTS['epochs']} epochs): a smoke test of the pipeline, not a result"]

    def _snr(self) -> str:
        return "none" if self.setup.snr is None else f"{self.setup.snr:g} dB"

    def summary(self) -> str:
        """The report in Markdown (also what the command prints)."""
        setup, rows = self.setup, self.rows
        train, valid, test = setup.per_class
        seeds = sorted({r["seed"] for r in self.records})
        lines = [
            "# Bearing fault diagnosis: quadratic vs conventional 1-D CNNs", "",
            "CWRU recordings, 12 kHz drive end, 0 HP; the real-world experiment of Fan et al., "
            "arXiv:2303.06316 (QCNN vs WDCNN), with a parameter-matched pair added.", "",
            f"- data: {len(FILES)} classes; windows of {WINDOW} samples ({STEP} apart in "
            f"runs); per class {train} training and {valid} validation windows from the first "
            f"2/3 of each recording, {test} test windows from the last 1/3; white noise at "
            f"SNR {self._snr()}",
            f"- training: Adam, lr {setup.lr} (quadratic terms {setup.quadratic_lr}), cosine "
            f"schedule, batch {setup.batch}, {setup.epochs} epochs, last epoch tested; seeds "
            f"{', '.join(map(str, seeds))}; one thread per cell",
            f"- cells: {len(self.records)} ({self.resumed} from an earlier run), "
            f"{self.seconds:.0f} s", *self._smoke(), "",
            f"## KPIs (accuracy and F1: mean ± std over {len(seeds)} seed(s))", "",
            "| model | family | dense params | test accuracy | macro F1 | latency, batch 1 "
            "(ms) | latency, batch 256 (ms/window) | peak memory, batch 256 (MiB) | training "
            "(s/epoch) |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
        for r in rows:
            lines.append(
                f"| {r['model']} | {r['family']} | {r['params']:,} | {_pm(r['accuracy'])} | "
                f"{_pm(r['macro_f1'])} | {_num(r['latency_ms_batch1'])} | "
                f"{_num(r['latency_ms_per_window_batch256'])} | "
                f"{_num(_mib(r['peak_bytes_batch256']))} | {_num(r['seconds_per_epoch'])} |")
        lines += ["", "## Verdict", "", self.verdict, ""]
        if self.comparisons:
            lines += ["| quadratic | conventional | what | accuracy difference | spread | "
                      "outcome | params ratio (conv/quad) |", "|---|---|---|---:|---:|---|---:|"]
            lines += [f"| {c['quadratic']} | {c['conventional']} | {c['what']} | "
                      f"{100 * c['difference']:+.2f} pts | {100 * c['spread']:.2f} pts | "
                      f"{c['outcome']} | {c['param_ratio']:.2f} |" for c in self.comparisons]
            lines.append("")
        lines += [
            "## How the numbers were obtained", "",
            "- dense params: every weight and bias torch holds (batch norms' scales and shifts "
            "included), equal to the analytic count of the architecture (checked per cell)",
            "- accuracy, macro F1: measured on the test windows, summarised over seeds "
            "(sampled); verdict: a difference counts when it exceeds the larger std over seeds",
            "- latency: median CPU time of one forward pass (one thread, eval mode), per "
            f"window; {setup.repeats[0]} repeats at batch 1, {setup.repeats[1]} at batch 256",
            "- peak memory: parameters, buffers, the input batch and the most bytes torch's "
            "allocator held at once during the forward pass (torch profiler)",
            "- figures: accuracy_vs_params.png, latency.png, confusion_<model>.png; every "
            "cell's record: results.json, results.csv"]
        return "\n".join(lines)


def _pm(pair: tuple[float, float]) -> str:
    return f"{100 * pair[0]:.2f} ± {100 * pair[1]:.2f}%"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3g}"


def _mib(value: int | None) -> float | None:
    return None if value is None else value / 2**20


def _outcome(comparison: dict[str, Any]) -> str:
    difference = 100 * comparison["difference"]
    return {"better": f"quadratic better by {difference:.2f} points",
            "worse": f"quadratic worse by {-difference:.2f} points",
            "even": f"even: {difference:+.2f} points, within the seed spread of "
                    f"{100 * comparison['spread']:.2f}"}[comparison["outcome"]]

