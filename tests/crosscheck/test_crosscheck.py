"""The training cross-check: outputs, resume, jobs, the bound check, tasks and the CLI."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
import sympy

from quadtheory import QuadTheoryError, crosscheck, parse_expression
from quadtheory._src.cli import main as cli
from quadtheory._src.conventional.family import relu_construct
from quadtheory._src.conventional.yarotsky import yarotsky_square
from quadtheory._src.crosscheck.cells import bound_check, run_cell
from quadtheory._src.crosscheck.tasks import numeric, parse_target
from quadtheory._src.crosscheck.training import TrainConfig, build, fit

OUTPUTS = ["efficiency.png", "results.csv", "results.json", "summary.md"]
TINY = ["--widths", "2", "--depths", "1", "--seeds", "1", "--steps", "40"]


@pytest.fixture
def main(monkeypatch):
    """``quadtheory ...`` in process, with the crosscheck command registered."""
    if "crosscheck" not in cli.COMMANDS:
        monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, "crosscheck"))
    return cli.main


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    """``quadtheory crosscheck x**2 --quick --json``, run once for the tests that read it."""
    out = tmp_path_factory.mktemp("quick")
    report = crosscheck("x**2", quick=True, out=out, progress=False)
    return out, report


@pytest.mark.slow  # trains a quick sweep: seconds of torch (slow tier, run by CI)
def test_quick_square_finds_no_violation_and_writes_everything(quick):
    out, report = quick
    assert sorted(p.name for p in out.iterdir()) == OUTPUTS
    summary = report.as_json()
    assert summary["cells"] == 11 and summary["violations"] == []
    assert report.checked == 4   # every conventional cell was checked against the bound
    data = json.loads((out / "results.json").read_text())
    assert data["setup"]["steps"] == 300 and len(data["cells"]) == 11
    rows = (out / "results.csv").read_text().splitlines()
    assert rows[0].startswith("key,kind,family") and len(rows) == 12
    assert "No violation" in (out / "summary.md").read_text()
    assert (out / "efficiency.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow  # trains a quick sweep: seconds of torch (slow tier, run by CI)
def test_records_are_exact_where_the_theory_allows(quick):
    _, report = quick
    for record in report.sweep("conventional"):
        bound = record["bound"]
        assert record["sup_error_method"] == "exact" and bound["error_method"] == "exact"
        assert bound["pieces"] >= bound["pieces_needed"] and not bound["violations"]
        hidden = [record["width"]] * record["depth"]
        assert record["params"] == sum(m * (n + 1) for n, m in zip([1, *hidden], [*hidden, 1],
                                                                   strict=True))
    for record in report.sweep("quadratic"):
        assert record["sup_error_method"] == "sampled (16385 points)" and record["bound"] is None


@pytest.mark.slow  # trains a quick sweep: seconds of torch (slow tier, run by CI)
def test_the_construction_keeps_zero_loss(quick):
    check = quick[1].as_json()["construction"]
    assert check["params"] == 6 and check["widths"] == [1, 1]
    assert check["test_rmse_start"] < 1e-15 and check["holds"]
    assert check["relinear"]["best_test_rmse"] > 0 and check["random"]["best_test_rmse"] > 0


@pytest.mark.slow  # trains a quick sweep: seconds of torch (slow tier, run by CI)
def test_efficiency_rows(quick):
    rows = quick[1].efficiency
    assert [r["threshold"] for r in rows][:3] == [0.1, 0.03, 0.01]
    for row in rows:
        q, c = row["quadratic_params"], row["conventional_params"]
        assert row["ratio"] == (None if q is None or c is None else round(c / q, 3))


@pytest.mark.slow  # trains a quick sweep: seconds of torch (slow tier, run by CI)
def test_resume_skips_finished_cells(quick, main, capsys):
    out, _ = quick
    assert main(["crosscheck", "x**2", "--quick", "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cells"] == 11
    report = crosscheck("x**2", quick=True, out=out, progress=False)
    assert report.resumed == 11


def test_resume_runs_only_the_missing_cells(tmp_path):
    crosscheck("x**2", widths=[2], depths=[1], seeds=2, steps=20, out=tmp_path,
               family="relu", progress=False)
    data = json.loads((tmp_path / "results.json").read_text())
    kept = data["cells"][0]
    data["cells"] = [kept]
    (tmp_path / "results.json").write_text(json.dumps(data))
    report = crosscheck("x**2", widths=[2], depths=[1], seeds=2, steps=20, out=tmp_path,
                        family="relu", progress=False)
    assert report.resumed == 1 and len(report.records) == 2
    assert report.records[0] == kept


def test_other_settings_are_refused(tmp_path):
    crosscheck("x**2", widths=[2], depths=[1], seeds=1, steps=20, out=tmp_path,
               family="relu", progress=False)
    with pytest.raises(QuadTheoryError, match=r"results.json: holds a cross-check with other "
                                              r"settings: steps 20 \(now 30\); use another"):
        crosscheck("x**2", widths=[2], depths=[1], seeds=1, steps=30, out=tmp_path,
                   family="relu", progress=False)


def test_a_weakened_network_is_flagged_by_the_bound():
    task = parse_target("x**2")
    honest = relu_construct("x**2", "1/1000")
    claimed = Fraction(honest.meta["certified_error"])
    assert not bound_check(honest, task, claimed).violations
    weak = yarotsky_square(2, radius=1)   # 8 pieces: fewer than error 1/1024 needs
    check = bound_check(weak, task, claimed)
    assert check.pieces == 8 < check.pieces_needed
    assert any("linear pieces along the segment" in v for v in check.violations)
    assert not bound_check(weak, task).violations   # at its own exact error it is fine


def test_bound_check_of_several_inputs_is_exact_along_the_segment():
    check = bound_check(relu_construct("x*y", "1/100"), parse_target("x*y"))
    assert check.error_method == "exact" and not check.violations
    assert check.segment == ((-1, -1), (1, 1))


def test_classification_task(tmp_path):
    report = crosscheck("task:circles", widths=[4], depths=[1], seeds=1, steps=60,
                        out=tmp_path, progress=False)
    assert report.metric == "test_accuracy" and report.as_json()["construction"] is None
    assert all(0 <= r["test_accuracy"] <= 1 and "bound" not in r for r in report.records)
    assert [r["threshold"] for r in report.efficiency] == [0.8, 0.9, 0.95, 0.99]
    assert sorted(p.name for p in tmp_path.iterdir()) == OUTPUTS


@pytest.mark.slow  # trains a quick sweep: seconds of torch (slow tier, run by CI)
def test_radial_target_is_sampled_and_labelled(tmp_path):
    report = crosscheck("radial:exp(-r**2)", dim=3, widths=[2], depths=[1], seeds=1, steps=30,
                        out=tmp_path, family="relu", progress=False)
    (record,) = report.records
    assert record["sup_error_method"] == "sampled (16384 points)"
    assert record["bound"]["error_method"].startswith("sampled")
    assert not report.violations


def test_an_affine_target_has_no_bound_and_says_why(tmp_path):
    report = crosscheck("x + 2*y", widths=[2], depths=[1], seeds=1, steps=10, out=tmp_path,
                        family="relu", progress=False)
    (record,) = report.records
    assert record["bound"] is None and "has no curvature" in record["bound_note"]


def test_run_cell_is_deterministic():
    from quadtheory._src.crosscheck.cells import Cell, Setup

    setup, cell = Setup("x**2", steps=25), Cell("sweep", "quadratic", 1, 3, 0, "relinear")
    first, second = run_cell(setup, cell), run_cell(setup, cell)
    first.pop("seconds"), second.pop("seconds")
    assert first == second


@pytest.mark.parametrize(("argv", "message"), [
    (["sin(x)"], "TARGET 'sin(x)': expected a polynomial, radial:G or task:circles|spheres|"
                 "gaussians; sin(x) is not a polynomial"),
    (["task:moons"], "TARGET 'task:moons': expected task:circles|spheres|gaussians"),
    (["radial:exp(-r**2)"], "a radial target needs --dim D"),
    (["x**2", "--dim", "3"], "--dim: applies to radial:G and task:spheres|gaussians"),
    (["x**2", "--widths", "2,a"], "--widths '2,a': expected integers >= 1 separated by commas"),
    (["x**2", "--families", "quadratic,tanh"], "--family 'tanh': expected one of quadratic, "
                                               "relu, both (conventional is relu)"),
    (["x**2", "--family", "tanh"], "--family 'tanh': expected one of quadratic, relu, both"),
    (["x**2", "--domain", "[0,1],[2]"], "domain: expected 1 (lo, hi) pairs (one per variable x)"),
    (["x**2", "--domain=1,0"], "empty interval [1, 0]; expected lo < hi"),
    (["x**2", "--seeds", "0"], "--seeds 0: expected a number of seeds >= 1 or a list"),
    (["task:circles", "--dim", "3"], "--dim: task:circles is two-dimensional"),
    (["x**2", "--jobs", "0"], "jobs: expected a positive integer, found 0"),
])
def test_cli_errors_are_one_line(main, capsys, tmp_path, argv, message):
    assert main(["crosscheck", *argv, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("quadtheory: error: ") and message in err
    assert not (tmp_path / "out").exists()   # bad input harms nothing


def test_cli_json_and_domain(main, capsys, tmp_path):
    code = main(["crosscheck", "x**2", "--domain=0,2", *TINY, "--families", "conventional",
                 "--out", str(tmp_path), "--json"])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert sorted(printed) == ["cells", "construction", "efficiency", "violations"]
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["setup"]["domain"] == [["0", "2"]]


def test_circles_data_is_the_papers():
    task = parse_target("task:circles")
    x, labels = task.sample(2000, seed=0)
    radius = np.linalg.norm(x, axis=1)
    assert x.shape == (2000, 2) and labels.sum() == 1000
    assert abs(radius[labels == 0].mean() - 1) < 0.01
    assert abs(radius[labels == 1].mean() - 0.7) < 0.01
    again, _ = task.sample(2000, seed=0)
    assert np.array_equal(x, again)


@pytest.mark.parametrize("name", ["task:spheres", "task:gaussians"])
def test_other_tasks(name):
    task = parse_target(name, dim=4)
    x, labels = task.sample(100, seed=3)
    assert x.shape == (100, 4) and set(labels.tolist()) == {0, 1}


def test_radial_points_lie_in_the_ball():
    task = parse_target("radial:exp(-r**2)", dim=8)
    x, y = task.sample(500, seed=0)
    assert np.linalg.norm(x, axis=1).max() <= 1
    np.testing.assert_allclose(y[:, 0], np.exp(-(x**2).sum(axis=1)))


def test_numeric_agrees_with_sympy():
    expr = parse_expression("x**3*y - sqrt(2)*exp(-x*y)/(1 + y**2) + Max(x, y) + abs(x)")
    f = numeric(expr, ["x", "y"])
    points = np.random.default_rng(0).uniform(-2, 2, (20, 2))
    x, y = sympy.symbols("x y")
    expected = [float(expr.subs({x: a, y: b})) for a, b in points]
    np.testing.assert_allclose(f(points), expected, rtol=1e-12)


def test_training_is_seeded_and_honest():
    x = np.linspace(-1, 1, 64)[:, None]
    a, b = build("quadratic", [1, 3, 1], seed=5), build("quadratic", [1, 3, 1], seed=5)
    config = TrainConfig(steps=30)
    fa, fb = fit(a, x, x**2, config), fit(b, x, x**2, config)
    assert fa.loss_end == fb.loss_end < fa.loss_start
    assert all((p == q).all() for p, q in zip(a.parameters(), b.parameters(), strict=True))
    assert config.as_dict()["schedule"] == "cosine, stepped once per optimizer step"
