"""Dimension studies: matched parameter counts (against torch), the targets (exact moments
against Monte Carlo, the exact network against the float formula), statistics, the study's
files and resume, and the command line."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from quadtheory import QuadTheoryError, barron_target, study
from quadtheory._src.cli.main import main
from quadtheory._src.studies.cells import dense_params, quadratic_width, study_cells
from quadtheory._src.studies.statistics import mean_ci, trend
from quadtheory._src.studies.targets import radial_points

TINY = {"dims": [2, 3], "widths": [2], "seeds": 1, "steps": 5, "progress": False}


@pytest.mark.parametrize(("dim", "width"), [(2, 4), (16, 16), (64, 64), (256, 48), (1, 1)])
def test_params_match_torch_and_are_nearest(dim, width):
    from quadtheory.nn import ConventionalMLP, QuadraticMLP

    q = quadratic_width(width, dim)
    for family, module, hidden in (("conventional", ConventionalMLP, width),
                                   ("quadratic", QuadraticMLP, q)):
        held = sum(p.numel() for p in module([dim, hidden, 1]).parameters())
        assert held == dense_params(family, dim, hidden)
    budget = dense_params("conventional", dim, width)
    gap = abs(dense_params("quadratic", dim, q) - budget)
    assert q >= 1 and all(abs(dense_params("quadratic", dim, w) - budget) >= gap
                          for w in range(1, width + 2))


def test_cells_are_keyed_and_large_dimensions_first():
    grid = study_cells([2, 8], [4, 16], [0, 1])
    assert len(grid) == 16 and len({c.key for c in grid}) == 16
    assert grid[0].dim == 8 and grid[-1].dim == 2


def test_barron_moments_are_exact():
    f = barron_target(8)
    x = np.random.default_rng(0).standard_normal((200_000, 8))
    u, v, b, c, scale, _ = f.arrays()
    q = (x @ u.T + b) * (x @ v.T + c)
    estimate = (q ** 2).mean(axis=0)
    exact = np.array([float(f.second_moment(k)) for k in range(f.neurons)])
    assert np.allclose(estimate, exact, rtol=0.05)
    assert np.all(exact <= scale ** 2) and np.all(exact > 0.97 * scale ** 2)


def test_barron_network_is_the_target():
    f = barron_target(5)
    x = np.random.default_rng(1).standard_normal((50, 5))
    assert np.allclose(f.network().numeric(x), f.values(x), rtol=1e-12, atol=1e-14)
    assert barron_target(5) == f and barron_target(5, seed=1) != f


def test_radial_points_spread_the_radius():
    x = radial_points(4000, 64, np.random.default_rng(0))
    radius = np.linalg.norm(x, axis=1)
    assert radius.max() <= 1 and abs(np.median(radius) - 0.5) < 0.05


@pytest.mark.parametrize(("errors", "verdict"), [
    ([0.1, 0.2, 0.4, 0.8], "growing with D"),
    ([0.8, 0.4, 0.2, 0.1], "falling with D"),
    ([0.3, 0.31, 0.29, 0.3], "flat (the slope's interval contains 0)"),
    ([0.3, 0.3], "too few runs to fit"),
])
def test_trend_verdicts(errors, verdict):
    assert trend([2, 4, 8, 16][:len(errors)], errors).verdict == verdict


def test_mean_ci_degenerate_and_known():
    single = mean_ci([0.5])
    assert (single.low, single.mean, single.high) == (0.5, 0.5, 0.5)
    interval = mean_ci([1.0, 3.0])    # 2 ± 12.706·√2/√2
    assert math.isclose(interval.high - interval.mean, 12.706204736, rel_tol=1e-6)
    assert mean_ci([2.0, 2.0, 2.0]).text() == "2 [2, 2]"


def test_study_writes_resumes_and_refuses_other_settings(tmp_path):
    report = study("radial", out=tmp_path, **TINY)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "error_vs_dim.png", "results.csv", "results.json", "summary.md"]
    assert len(report.records) == 4 and not report.failed
    rows = report.table()
    assert [(r["dim"], r["family"], r["width"], r["params"]) for r in rows] == [
        (2, "quadratic", 1, 15), (2, "conventional", 2, 9),
        (3, "quadratic", 1, 18), (3, "conventional", 2, 11)]
    summary = (tmp_path / "summary.md").read_text()
    assert "## Relative test RMSE against D" in summary and "observed, not proved" in summary
    again = study("radial", out=tmp_path, **TINY)
    assert again.resumed == 4 and again.records == report.records
    with pytest.raises(QuadTheoryError, match=r"results.json: holds a study with other "
                                              r"settings: kind 'radial' \(now 'barron'\)"):
        study("barron", out=tmp_path, **TINY)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"kind": "ring"}, "study kind: expected one of radial, barron, found 'ring'"),
    ({"dims": [0]}, r"dims: expected a non-empty list of integers >= 1"),
    ({"steps": 0}, "steps: expected a positive integer, found 0"),
    ({"jobs": 2, "scheduler": "tcp://h:1"}, "--jobs 2 and --scheduler tcp://h:1"),
])
def test_study_errors(tmp_path, kwargs, message):
    kind = kwargs.pop("kind", "radial")
    with pytest.raises(QuadTheoryError, match=message):
        study(kind, out=tmp_path, **kwargs)


def test_cli_study_json(tmp_path, capsys):
    argv = ["study", "barron", "--dims", "2", "--widths", "3", "--seeds", "1", "--steps", "5",
            "--out", str(tmp_path), "--json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["study"] == "barron" and data["cells"] == 2 and data["metric"] == "relative_rmse"
    assert {row["family"] for row in data["table"]} == {"quadratic", "conventional"}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["radial", "barron"])
def test_quick_studies(kind, tmp_path, capsys):
    # The quick grid end to end (cells, trend, report) at 60 Adam steps, not 300: the
    # assertions are about the pipeline, not the fit; the explicit --steps wins over --quick.
    assert main(["study", kind, "--quick", "--steps", "60", "--out", str(tmp_path),
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cells"] == {"radial": 24, "barron": 12}[kind] and "failed" not in data
    assert len(data["trend"]) == {"radial": 4, "barron": 2}[kind]
