"""The pilot: budgets met by analytic counts, splits, reproducibility, resume, the verdict's
rule on hand-made records, the synthetic interaction's positive verdict, the command line."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from quadtheory import QuadTheoryError, pilot
from quadtheory._src.cli.main import main
from quadtheory._src.realdata import pilot as pilot_module
from quadtheory._src.realdata.budget import (
    linear_params,
    mlp_params,
    pairwise,
    widths_for,
)
from quadtheory._src.realdata.pilot_cells import Cell, Setup, run_cell, split
from quadtheory._src.realdata.pilot_report import PilotReport
from quadtheory._src.realdata.table import load_table
from quadtheory.nn import ConventionalMLP, QuadraticMLP

TINY = {"budgets": [40], "seeds": [0], "steps": 30, "progress_bar": False}


def interaction(rows=200, noise=0.01, seed=0):
    """The known interaction: y = x1·x2 + noise, and a distractor x3."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(rows, 3))
    return {"x1": x[:, 0], "x2": x[:, 1], "x3": x[:, 2],
            "y": x[:, 0] * x[:, 1] + noise * rng.standard_normal(rows)}


@pytest.mark.parametrize("widths", [[1, 1], [3, 5, 1], [4, 2, 2, 3], [10, 28, 1]])
def test_mlp_params_is_torch_numel(widths):
    for family, mlp in (("quadratic", QuadraticMLP), ("conventional", ConventionalMLP)):
        assert mlp_params(family, widths) == sum(p.numel() for p in mlp(widths).parameters())


@given(inputs=st.integers(1, 12), outputs=st.integers(1, 4), budget=st.integers(1, 5000),
       layers=st.integers(1, 2), family=st.sampled_from(["quadratic", "conventional"]))
def test_width_is_the_nearest_to_the_budget(inputs, outputs, budget, layers, family):
    widths = widths_for(family, inputs, outputs, budget, layers)
    assert widths[0] == inputs and widths[-1] == outputs and len(widths) == layers + 2

    def gap(w):
        return abs(mlp_params(family, [inputs, *[w] * layers, outputs]) - budget)

    assert all(gap(widths[1]) <= gap(w) for w in range(1, widths[1] + 40))


def test_linear_model_count():
    x = np.zeros((1, 4))
    features = pairwise(x).shape[1]                  # 4 + 10
    assert features == 14 and linear_params(4, 3) == 3 * 15
    assert linear_params(4, 3) == sum(p.numel() for p in ConventionalMLP([14, 3]).parameters())


@pytest.mark.parametrize("classification", [True, False])
def test_split_is_a_seeded_partition(classification):
    y = np.repeat(np.arange(3), [10, 25, 5]) if classification else np.linspace(0, 1, 40)
    train, valid, test = split(y, 7, classification)
    assert sorted(itertools.chain(train, valid, test)) == list(range(40))
    assert all(np.array_equal(a, b) for a, b in zip((train, valid, test), split(y, 7,
                                                                               classification)))
    assert not np.array_equal(test, split(y, 8, classification)[2])
    if classification:
        assert all(set(y[part]) == {0, 1, 2} for part in (train, valid, test))


def test_same_seed_same_numbers():
    table = load_table(interaction(60), "y")
    setup = Setup("t", table.fingerprint, "y", table.task, 60, 3, steps=40, repeats=(1, 1))
    one, two = (run_cell(Cell("quadratic", 60, 0, setup, table)) for _ in range(2))
    timing = ("train_seconds", "latency_ms_batch1", "latency_ms_per_row_batch256")
    assert {k: v for k, v in one.items() if k not in timing} == \
        {k: v for k, v in two.items() if k not in timing}
    assert torch.get_num_threads() >= 1


def test_classification_cell_scores():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(80, 2))
    table = load_table({"a": x[:, 0], "b": x[:, 1], "kind": (x[:, 0] > 0).astype(int)}, "kind")
    setup = Setup("t", table.fingerprint, "kind", table.task, 80, 2, steps=60, repeats=(1, 1))
    record = run_cell(Cell("linear", 0, 0, setup, table))
    assert record["params"] == linear_params(2, 2) and 0.5 < record["test_accuracy"] <= 1
    assert 0 <= record["test_macro_f1"] <= 1 and "test_rmse" not in record


def test_outputs_and_resume(tmp_path, monkeypatch):
    report = pilot(interaction(60), "y", out=tmp_path, **TINY)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "results.csv", "results.json", "scores.png", "summary.md"]
    assert [r["family"] for r in report.rows] == ["linear", "conventional", "quadratic"]
    summary = (tmp_path / "summary.md").read_text()
    assert "## Verdict" in summary and "| 40 | quadratic | 3-2-1 | 33 |" in summary   # 3·(5w + 1)

    def refuse(cell):
        raise AssertionError(f"{cell.key} was trained again")

    monkeypatch.setattr(pilot_module, "run_cell", refuse)
    again = pilot(interaction(60), "y", out=tmp_path, **TINY)
    assert again.resumed == 3 and again.records == report.records
    with pytest.raises(QuadTheoryError, match="holds a pilot with other settings: fingerprint"):
        pilot(interaction(60, seed=1), "y", out=tmp_path, **TINY)


def records(task, scores):
    """Hand-made records: (family, budget, params) -> score per seed."""
    metric = "test_rmse" if task == "regression" else "test_accuracy"
    return [{"key": f"{f}/{b}/{s}", "family": f, "budget": b, "seed": s, "widths": [1, 1],
             "params": p, metric: value, "test_macro_f1": value, "train_seconds": 1.0,
             "latency_ms_batch1": 2.0 if f == "quadratic" else 1.0,
             "latency_ms_per_row_batch256": 0.01}
            for (f, b, p), values in scores.items() for s, value in enumerate(values)]


def report_of(task, scores):
    setup = Setup("t.csv", "0", "y", task, 100, 2)
    return PilotReport(setup, load_table(interaction(30), "y"), records(task, scores), 1.0, 0,
                       None)


def test_verdict_positive():
    report = report_of("regression", {
        ("conventional", 100, 101): [0.30, 0.32], ("conventional", 1000, 1001): [0.20, 0.22],
        ("quadratic", 100, 99): [0.21, 0.20], ("quadratic", 1000, 999): [0.10, 0.12],
        ("linear", 0, 6): [0.5, 0.5]})
    assert report.decision["outcome"] == "positive" and report.decision["ratio"] == 10.111
    assert report.verdict.startswith(
        "Positive: quadratic reaches the conventional model's best test RMSE (0.21 ± 0.014 with "
        "1,001 params) with 10.1x fewer parameters: 0.205 ± 0.0071 with 99 params.")
    assert "(6 params) scores 0.5 ± 0: worse than both MLPs' best" in report.verdict
    assert "takes 2.00x the conventional MLP's CPU time per row at batch 1" in report.verdict


def test_verdict_no_gain_and_same_budget():
    worse = report_of("regression", {
        ("conventional", 100, 101): [0.2], ("quadratic", 100, 99): [0.3],
        ("conventional", 1000, 1001): [0.1], ("quadratic", 1000, 999): [0.11]})
    assert worse.decision["outcome"] == "no gain"
    assert worse.verdict.startswith("No gain at any budget: the quadratic MLP never reaches")
    assert "with one seed there is no spread" in worse.verdict
    same = report_of("regression", {
        ("conventional", 100, 101): [0.2], ("quadratic", 100, 99): [0.3],
        ("conventional", 1000, 1001): [0.1], ("quadratic", 1000, 999): [0.1]})
    assert same.decision["outcome"] == "no parametric gain"      # 999 < 1001, same budget
    assert "smaller budgets would show" not in same.verdict
    smallest = report_of("regression", {
        ("conventional", 100, 101): [0.2], ("quadratic", 100, 99): [0.1],
        ("conventional", 1000, 1001): [0.3], ("quadratic", 1000, 999): [0.1]})
    assert smallest.decision["outcome"] == "no parametric gain"
    assert "It is better there, at the smallest budget tried: smaller budgets would show " \
        "whether it also saves parameters." in smallest.verdict


def test_verdict_reads_accuracy_upwards():
    report = report_of("classification", {
        ("conventional", 100, 101): [0.80], ("quadratic", 100, 99): [0.91],
        ("conventional", 1000, 1001): [0.90], ("quadratic", 1000, 999): [0.70]})
    assert report.decision["outcome"] == "positive"
    assert "best test accuracy (90.00 ± 0.00% with 1,001 params)" in report.verdict


@pytest.mark.slow
def test_the_synthetic_interaction_gives_a_positive_verdict(tmp_path):
    """y = x1·x2 + noise: the quadratic MLP at budget 100 reaches what the conventional one
    reaches at 1000. (Not a lucky draw: at these settings the verdict was positive, 10.1x,
    for each of the data seeds 0 to 5.)"""
    table = interaction(300)
    del table["x3"]
    report = pilot(table, "y", budgets=[100, 1000], seeds=[0], steps=800, out=tmp_path,
                   progress_bar=False)
    assert report.decision["outcome"] == "positive", report.verdict
    assert report.decision["quadratic_reaching"]["budget"] == 100


def test_cli(tmp_path, capsys):
    data = interaction(40)
    path = tmp_path / "t.csv"
    path.write_text("x1,x2,x3,y\n" + "".join(
        f"{a},{b},{c},{d}\n" for a, b, c, d in zip(*data.values())))
    code = main(["pilot", str(path), "--target", "y", "--budgets", "40", "--seeds", "0",
                 "--steps", "20", "--out", str(tmp_path / "o"), "--json"])
    found = json.loads(capsys.readouterr().out)
    assert code == 0 and found["task"] == "regression" and found["cells"] == 3
    assert found["outcome"] in ("positive", "no parametric gain", "no gain")
    code = main(["pilot", str(path), "--target", "y", "--budgets", "40", "--seeds", "0",
                 "--steps", "20", "--out", str(tmp_path / "o"), "--json", str(tmp_path / "r")])
    printed = capsys.readouterr().out
    assert code == 0 and printed.startswith("# Pilot: do quadratic neurons pay on t.csv?")
    assert printed.endswith(f"wrote {tmp_path / 'r'}\n")
    assert json.loads((tmp_path / "r").read_text())["resumed"] == 3
    code = main(["pilot", str(path), "--target", "y", "--budgets", "4O", "--out",
                 str(tmp_path / "p")])
    assert code == 2 and "--budgets: expected integers >= 1" in capsys.readouterr().err
