"""The bearing experiment end to end on fake recordings (fast) and on the real CWRU copy
(slow): outputs, resume, reproducibility by seed, the verdict's rule, the command line."""

from __future__ import annotations

import json
import shutil

import pytest

from quadtheory import QuadTheoryError, bearing
from quadtheory._src.cli.main import main
from quadtheory._src.realdata import bearing as bearing_module
from quadtheory._src.realdata.bearing_cells import Cell, Setup, run_cell
from quadtheory._src.realdata.bearing_report import BearingReport, compare

from .conftest import REAL_DATA

TINY = {"quick": True, "epochs": 1, "per_class": (8, 4, 4), "progress_bar": False}
TIMINGS = ("latency_ms_batch1", "latency_ms_per_window_batch256", "train_seconds",
           "seconds_per_epoch", "peak_bytes_batch1", "peak_bytes_batch256")


def scores(record):
    return {k: v for k, v in record.items() if k not in TIMINGS}


@pytest.fixture(scope="module")
def tiny_run(fake_cwru, tmp_path_factory):
    out = tmp_path_factory.mktemp("bearing")
    report = bearing(fake_cwru, models="QCNN", out=out, **TINY)
    return out, report


def test_outputs(tiny_run):
    out, report = tiny_run
    names = sorted(p.name for p in out.iterdir())
    assert names == ["accuracy_vs_params.png", "confusion_QCNN.png", "latency.png",
                     "results.csv", "results.json", "summary.md"]
    (row,) = report.rows
    assert row["model"] == "QCNN" and row["params"] == 16_262 and row["seeds"] == 1
    assert 0 <= row["accuracy"][0] <= 1 and row["latency_ms_batch1"] > 0
    record = report.records[0]
    assert sum(map(sum, record["confusion"])) == 10 * 4        # 4 test windows per class
    assert len(record["loss"]) == len(record["valid_accuracy"]) == 1
    summary = (out / "summary.md").read_text()
    assert "| QCNN | quadratic | 16,262 |" in summary and "## Verdict" in summary
    assert report.verdict == "No pair of models to compare."
    header = (out / "results.csv").read_text().splitlines()[0]
    assert header.startswith("key,model,family,seed,channels,hidden,params,epochs")


def test_resume_skips_finished_cells(tiny_run, fake_cwru, monkeypatch):
    out, first = tiny_run

    def refuse(cell):
        raise AssertionError(f"{cell.key} was trained again")

    monkeypatch.setattr(bearing_module, "run_cell", refuse)
    again = bearing(fake_cwru, models="QCNN", out=out, **TINY)
    assert again.resumed == 1 and again.records == first.records


@pytest.mark.slow
def test_an_interrupted_run_trains_only_what_is_missing(tiny_run, fake_cwru, tmp_path,
                                                        monkeypatch):
    out = shutil.copytree(tiny_run[0], tmp_path / "out")
    trained = []
    monkeypatch.setattr(bearing_module, "run_cell",
                        lambda cell: trained.append(cell.key) or run_cell(cell))
    report = bearing(fake_cwru, models="QCNN,WDCNN-small", out=out, **TINY)
    assert trained == ["WDCNN-small/s0"] and report.resumed == 1 and len(report.records) == 2
    assert "QCNN vs WDCNN-small: " in report.verdict and "One seed only" in report.verdict


def test_other_settings_are_refused(tiny_run, fake_cwru):
    out, _ = tiny_run
    with pytest.raises(QuadTheoryError, match=r"holds a bearing experiment with other "
                                              r"settings: epochs 1 \(now 2\)"):
        bearing(fake_cwru, models="QCNN", out=out, **{**TINY, "epochs": 2})


def test_same_seed_same_numbers(fake_cwru):
    setup = Setup(epochs=1, per_class=(8, 4, 4), repeats=(1, 1))
    one, two = (run_cell(Cell(0, "QCNN", setup, str(fake_cwru))) for _ in range(2))
    other = run_cell(Cell(1, "QCNN", setup, str(fake_cwru)))
    assert scores(one) == scores(two)
    assert scores(one)["loss"] != scores(other)["loss"]


def row(model, family, params, mean, std, seeds=3):
    return {"model": model, "family": family, "params": params, "accuracy": (mean, std),
            "seeds": seeds}


@pytest.mark.parametrize(("q", "c", "outcome"), [
    ((0.95, 0.01), (0.90, 0.02), "better"), ((0.90, 0.01), (0.95, 0.02), "worse"),
    ((0.93, 0.03), (0.95, 0.01), "even"), ((0.95, 0.0), (0.95, 0.0), "even")])
def test_compare_rule(q, c, outcome):
    found = compare(row("QCNN", "quadratic", 100, *q), row("WDCNN", "conventional", 400, *c))
    assert found["outcome"] == outcome and found["param_ratio"] == 4.0


def fake_report(accuracies):
    """A report from hand-made records: model -> accuracies over seeds."""
    params = {"QCNN": 16262, "WDCNN": 66790, "WDCNN-small": 16287, "QCNN-large": 66733}
    records = [{"model": m, "family": "quadratic" if m.startswith("Q") else "conventional",
                "seed": s, "channels": [1] * 6, "hidden": 1, "params": params[m],
                "test_accuracy": a, "test_macro_f1": a, **dict.fromkeys(TIMINGS, 1.0),
                "model_bytes": 1}
               for m, values in accuracies.items() for s, a in enumerate(values)]
    return BearingReport(Setup(), tuple(accuracies), records, 1.0, 0, None)


def test_verdict_when_the_claim_holds_per_parameter():
    report = fake_report({"QCNN": [0.95, 0.96, 0.94], "WDCNN": [0.95, 0.94, 0.96],
                          "WDCNN-small": [0.90, 0.91, 0.89], "QCNN-large": [0.96, 0.97, 0.95]})
    assert report.verdict.startswith("The paper's claim held here: the QCNN (16,262 params) "
                                     "scored 95.00 ± 1.00% test accuracy against the WDCNN's "
                                     "95.00 ± 1.00% with 4.11x the parameters (even")
    assert "so the per-parameter claim held in this run." in report.verdict


def test_verdict_when_the_differences_are_within_the_spread():
    report = fake_report({"QCNN": [0.94, 0.96, 0.92], "WDCNN": [0.95, 0.94, 0.96],
                          "WDCNN-small": [0.93, 0.90, 0.95], "QCNN-large": [0.93, 0.95, 0.91]})
    assert report.verdict.startswith("The paper's claim held here")
    assert "so the per-parameter claim was not resolved (every difference within the seed " \
        "spread) in this run." in report.verdict


def test_verdict_when_the_claim_fails():
    report = fake_report({"QCNN": [0.80, 0.81, 0.79], "WDCNN": [0.95, 0.94, 0.96],
                          "WDCNN-small": [0.90, 0.91, 0.89], "QCNN-large": [0.95, 0.94, 0.96]})
    assert report.verdict.startswith("The paper's claim did not hold here")
    assert "QCNN vs WDCNN-small: quadratic worse by 10.00 points" in report.verdict
    assert "so the per-parameter claim did not hold in this run." in report.verdict


@pytest.mark.slow
def test_cli_runs_and_prints_json(fake_cwru, tmp_path, capsys):
    code = main(["bearing", "--data", str(fake_cwru), "--quick", "--models", "WDCNN-small",
                 "--epochs", "1", "--seeds", "2", "--out", str(tmp_path / "o"), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["cells"] == 1 and data["models"][0]["params"] == 16_287
    assert data["setup"]["snr"] == -6.0 and data["comparisons"] == []


@pytest.mark.parametrize(("argv", "message"), [
    (["--data", "/nonexistent"], "quadtheory: error: --data '/nonexistent': missing 10 of the "
     "10 CWRU recordings (normal_0_97.mat, 12k_Drive_End_B007_0_118.mat, "
     "12k_Drive_End_B014_0_185.mat and 7 more); expected the files normal_0_97.mat, "),
    (["--snr", "loud"], "quadtheory: error: --snr: expected a number of dB such as -6, or "
     "none, found 'loud'"),
    (["--seeds", "0,x"], "quadtheory: error: --seeds: expected integers >= 0"),
    (["--models", "QCNN,ResNet"], "quadtheory: error: --models: expected names among QCNN, "
     "WDCNN, WDCNN-small, QCNN-large, found 'ResNet'"),
    (["--epochs", "0"], "quadtheory: error: --epochs: expected a positive integer, found 0"),
    (["--jobs", "0"], "quadtheory: error: --jobs: expected a positive integer, found 0"),
])
def test_cli_errors_are_one_line(argv, message, fake_cwru, tmp_path, capsys):
    base = ["bearing", "--data", str(fake_cwru), "--out", str(tmp_path)]
    code = main(base + argv)
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(message) and err.count("\n") == 1


@pytest.mark.slow
def test_quick_on_the_real_data(tmp_path, capsys):
    """The CI smoke test of the paper's experiment: `--quick` on the real recordings."""
    if not REAL_DATA.exists():
        pytest.skip(f"no CWRU copy at {REAL_DATA}")
    code = main(["bearing", "--data", str(REAL_DATA), "--quick", "--out", str(tmp_path),
                 "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["cells"] == 4
    params = {m["model"]: m["params"] for m in data["models"]}
    assert params == {"QCNN": 16_262, "WDCNN": 66_790, "WDCNN-small": 16_287,
                      "QCNN-large": 66_733}
    assert all(0 <= m["accuracy"][0] <= 1 for m in data["models"])
    assert {c["outcome"] for c in data["comparisons"]} <= {"better", "worse", "even"}
    assert len(list(tmp_path.glob("confusion_*.png"))) == 4


@pytest.mark.slow
def test_worker_processes_give_the_same_numbers(fake_cwru, tmp_path):
    options = {**TINY, "models": "WDCNN-small", "seeds": [0, 1]}
    one = bearing(fake_cwru, out=tmp_path / "one", jobs=1, **options)
    two = bearing(fake_cwru, out=tmp_path / "two", jobs=2, **options)
    assert [scores(r) for r in one.records] == [scores(r) for r in two.records]
