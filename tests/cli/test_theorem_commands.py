"""``construct --method taylor | --manifold``, ``compare --method taylor --fit`` and ``prove``:
reports, files, exit codes and one-line errors."""

from __future__ import annotations

import contextlib
import io
import json
from fractions import Fraction

import pytest

import quadtheory as qt
from quadtheory._src.cli.main import main


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_a_non_polynomial_target_with_eps_gets_the_taylor_construction(tmp_path):
    path = tmp_path / "net.json"
    code, out, err = cli("construct", "exp(x)*cos(2*x)", "--domain", "0:1", "--eps", "1e-2",
                         "--smoothness", "3", "--family", "relu", "--json", str(path))
    assert code == 0 and err == ""
    assert "family: relu (real-space Taylor (Yarotsky 2017, Thm 1))" in out
    assert "smoothness n = 3, grid N = " in out and "n given" in out
    assert "closed form: dense " in out and "certificate: holds (symbolic proof" in out
    net = qt.load(path)
    meta = net.meta
    assert meta["method"] == "real-space Taylor (Yarotsky 2017, Thm 1)"
    assert Fraction(meta["certified_error"]) <= Fraction(1, 100)
    assert meta["closed_form_params"]["dense"] == net.params.dense


def test_the_chosen_smoothness_is_said():
    code, out, _ = cli("construct", "exp(x)", "--domain", "0:1", "--eps", "1e-3")
    assert code == 0
    assert "n chosen by fewest nonzero params (closed form) over smoothness 1.." in out
    assert "  n = 1: N = " in out


@pytest.mark.parametrize("args,message", [
    (("construct", "sin(x)"), "'sin(x)' is not a polynomial with rational coefficients, so no "
                              "network computes it exactly; expected --eps E"),
    (("construct", "x*y", "--smoothness", "2"), "--smoothness: applies to --method taylor"),
    (("construct", "sin(x)", "--eps", "1e-2", "--activation", "identity"),
     "--activation: the Taylor construction's hidden layers are relu"),
    (("construct", "radial:exp(-r^2)", "--dim", "2", "--method", "taylor", "--eps", "1e-2"),
     "--method taylor: approximates a target on a box"),
    (("construct", "x1", "--ambient", "3", "--eps", "1e-2"),
     "--ambient: applies to --manifold circle|sphere"),
    (("construct", "x1", "--manifold", "circle", "--eps", "1e-2"),
     "--manifold circle: expected --ambient D and --eps E"),
    (("construct", "x1", "--manifold", "circle", "--ambient", "3", "--domain", "0:1",
      "--eps", "1e-2"), "--domain: --manifold circle: the target lives on the manifold"),
    (("construct", "x1", "--manifold", "torus", "--ambient", "4", "--eps", "1e-2"),
     "manifold: expected one of circle, sphere, found 'torus'"),
    (("construct", "sqrt(x)", "--domain", "0:1", "--eps", "1e-2"),
     "target sqrt(x) is not 1 times differentiable"),
    (("compare", "x*y", "--eps", "1e-2", "--fit"), "--fit: applies to --method taylor"),
    (("compare", "radial:exp(-r^2)", "--dim", "2", "--eps", "1e-2", "--method", "taylor"),
     "--method taylor: approximates a target on a box"),
    (("prove", "no_such_statement"), "unknown proof module 'no_such_statement'"),
])
def test_errors_are_one_line(args, message):
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert err.startswith("quadtheory: error: ") and message in err and err.count("\n") == 1


def test_construct_on_a_manifold():
    code, out, _ = cli("construct", "x1*x2 + x3", "--manifold", "circle", "--ambient", "5",
                       "--eps", "1e-2", "--family", "relu")
    assert code == 0
    assert "manifold: circle (d = 1) in R^5, 4 charts; chart parameter domain |z| <= 4/5" in out
    assert "partition of unity <= " in out and "certificate: holds (symbolic proof" in out


def test_compare_taylor_fits_and_writes_json_and_a_plot(tmp_path):
    plot = tmp_path / "rates.png"
    code, out, _ = cli("compare", "sin(x)*exp(y)", "--domain", "0:1", "--eps", "1e-2,1e-3",
                       "1e-4", "--fit", "--json", "--plot", str(plot))
    assert code == 0 and plot.stat().st_size > 0
    data = json.loads(out)
    assert [r["eps"] for r in data["rows"]] == ["1/100", "1/1000", "1/10000"]
    assert data["n"] == 3 and data["fit"]["theory_d_over_n"] == "2/3"
    assert data["fit"]["ratio_increasing"] is True
    for row in data["rows"]:
        assert Fraction(row["quadratic"]["certified_error"]) <= Fraction(row["eps"])
        assert row["relu"]["nonzero"] > row["quadratic"]["nonzero"]
        assert row["relu_lower_bound"]["nonzero"] >= 2


def test_compare_taylor_report():
    code, out, _ = cli("compare", "exp(x)", "--domain", "0:1", "--eps", "1e-2", "1e-4",
                       "--method", "taylor", "--smoothness", "2", "--fit")
    assert code == 0
    assert "target: exp(x) on x in [0, 1] (d = 1), smoothness n = 2" in out
    assert "fit of log(nonzero) against log(1/eps): quadratic " in out
    assert "theory d/n = 1/2" in out and "increasing: yes" in out


def test_prove_lists_runs_and_reports_json(tmp_path):
    code, out, _ = cli("prove", "--list")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()[1:]]
    assert {"manifold_charts", "quadratic_neuron", "real_space_taylor"} <= set(names)
    code, out, _ = cli("prove", "quadratic_neuron", "--json")
    assert code == 0
    (result,) = json.loads(out)
    assert set(result) == {"name", "statement", "level", "holds", "seconds"}
    assert result["holds"] and result["level"] == "symbolic proof"


FAILING = '''"""A wrong statement: 1 = 2."""
import quadtheory as qt
STATEMENT = "1 = 2"
def check():
    return qt.Certificate(STATEMENT, "symbolic proof", False, ["1 != 2"], 0.0)
'''
RAISING = '''"""A broken module."""
STATEMENT = "it runs"
def check():
    raise RuntimeError("boom")
'''


def test_prove_exits_1_when_a_statement_fails(tmp_path):
    (tmp_path / "wrong.py").write_text(FAILING)
    (tmp_path / "broken.py").write_text(RAISING)
    code, out, _ = cli("prove", "--dir", str(tmp_path))
    assert code == 1
    assert "wrong: FAILS (symbolic proof" in out and "  - 1 != 2" in out
    assert "broken: FAILS (no certificate" in out and "error: RuntimeError: boom" in out
    assert "0 of 2 statements hold" in out
    code, out, _ = cli("prove", "--dir", str(tmp_path), "--json")
    assert code == 1 and [r["holds"] for r in json.loads(out)] == [False, False]
