"""``quadtheory construct``: the report, the network file, LaTeX, and one-line user errors."""

from __future__ import annotations

import contextlib
import io
import json
from fractions import Fraction

import pytest

from quadtheory import load
from quadtheory import to_latex as latex_equations
from quadtheory._src.cli import main as _cli
from quadtheory._src.quadratic.construct import construct


@pytest.fixture
def cli(monkeypatch):
    """Run ``quadtheory ARGS`` in-process with ``construct`` registered: status, out, err."""
    if "construct" not in _cli.COMMANDS:
        monkeypatch.setattr(_cli, "COMMANDS", (*_cli.COMMANDS, "construct"))

    def run(*args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = _cli.main(list(args))
        return code, out.getvalue(), err.getvalue()

    return run


def test_report_names_both_conventions_and_the_baseline(cli):
    code, out, err = cli("construct", "x^3*y - 2*x*y + 1/2", "--domain=-1:1/2")
    assert code == 0 and err == ""
    assert "target: x^3*y - 2*x*y + 1/2" in out
    assert "family: quadratic (lean); hidden relu, output identity" in out
    assert "certified error: 0 (exact)" in out
    assert "region: x in [-1, 1/2], y in [-1, 1/2]" in out
    assert "params: dense 27 (every weight and bias), nonzero 9 (nonzero entries)" in out
    assert "depth: 2\nwidths: 2, 1\n" in out
    assert "baseline (each monomial its own product tree, nothing shared):\n" \
           "  params: dense 54, nonzero 16; depth 3; widths 3, 2, 1" in out
    assert "  saving: dense 27 (50.0%), nonzero 7 (43.8%)" in out
    assert "certificate: holds (symbolic proof, " in out


def test_json_file_holds_the_network_and_its_meta(cli, tmp_path):
    path = tmp_path / "net.json"
    code, out, _ = cli("construct", "x*y*z + z", "--vars", "z,y,x", "--domain",
                       "x=0:1,y=-1:1/3", "--json", str(path))
    assert code == 0 and f"wrote {path}" in out
    data = json.loads(path.read_text())
    assert data["inputs"] == ["z", "y", "x"]
    assert data["domain"] == [["-1", "1"], ["-1", "1/3"], ["0", "1"]]
    meta = data["meta"]
    assert meta["target"] == "x*y*z + z" and meta["family"] == "quadratic"
    assert meta["certified_error"] == "0" and meta["certificate"]["holds"]
    assert set(meta["params"]) == set(meta["naive_params"]) == {"dense", "nonzero"}
    net = load(path)
    assert net.exact({"x": "1/2", "y": "1/3", "z": -1}) == (Fraction(-1, 6) - 1,)


def test_identity_all_quadratic_no_verify(cli):
    code, out, _ = cli("construct", "x*y*z", "--activation", "identity", "--all-quadratic",
                       "--no-verify", "--domain", "all")
    assert code == 0
    assert "hidden identity, output identity; counted all-quadratic" in out
    assert "region: all of R^3" in out and "certificate: none (--no-verify)" in out


def test_relu_on_all_of_r_n_splits_signed_values_into_exact_pairs(cli):
    code, out, err = cli("construct", "x*y*z", "--domain", "all")
    assert (code, err) == (0, "")
    assert "region: all of R^3" in out and "certificate: holds (symbolic proof" in out
    assert "in exact pairs relu(z) - relu(-z) = z" in out and ", 0 unproved" in out


def test_latex_prints_one_equation_per_neuron(cli):
    code, out, _ = cli("construct", "x*y + x^2", "--domain", "0:1", "--latex")
    assert code == 0
    assert out.splitlines()[-1] == r"f = x\,y + x^{2}"


def test_latex_of_a_deeper_network():
    text = latex_equations(construct("x1*x2*x3", domain=("1/2", 1)))
    lines = text.splitlines()
    assert len(lines) == 3   # two neurons, then the output product
    assert lines[0] == r"h^{(1)}_{1} = \max\left(0,\ x_{2}\,x_{3}\right)"
    assert lines[2].startswith("f = ")
    assert r"\frac" not in text   # shifts are not needed on a positive box


def test_latex_writes_rationals_as_fractions():
    text = latex_equations(construct("x**2/3 - 1/2"))
    assert text == r"f = \frac{1}{3}\,x^{2} - \frac{1}{2}"


@pytest.mark.parametrize(("args", "fragment"), [
    (("sin(x)*y",), "'sin(x)*y' is not a polynomial with rational coefficients, so no network "
                    "computes it exactly; expected --eps E"),
    (("x*z", "--vars", "x,y"), "unknown variable 'z'"),
    (("x", "--vars", "x,,y"), "--vars 'x,,y': expected items separated by commas"),
    (("x", "--domain", "1:0"), "empty interval [1, 0]"),
    (("x", "--domain", "0..1"), "expected LO:HI"),
    (("x", "--domain", "x=0:1,x=0:2"), "x is given twice"),
    (("x", "--domain", "x:0:1"), "expected an exact rational"),
    (("x", "--domain", "q=0:1"), "'q' is not a variable"),
    (("x", "--activation", "tanh"), "invalid choice: 'tanh'"),
])
def test_user_errors_are_one_line(cli, args, fragment):
    code, out, err = cli("construct", *args)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("quadtheory: error: ")
    assert fragment in lines[0] and "Traceback" not in err


def test_a_chebyshev_polynomial_is_typed_as_chebyshevt(cli, tmp_path):
    # Issue 9's T_64, typed as a user would, not as its 33 expanded terms.
    path = tmp_path / "t64.json"
    code, out, err = cli("construct", "chebyshevt(64, x)", "--json", str(path))
    assert (code, err) == (0, "")
    assert "widths: 1, 1, 1, 1, 1, 1" in out and "T_64 = T_2∘T_2∘T_2∘T_2∘T_2∘T_2" in out
    assert "certificate: holds (symbolic proof" in out
    assert load(path).exact(["1/2"]) == (Fraction(-1, 2),)   # T_64(cos(π/3)) = cos(64π/3)
    code, out, err = cli("construct", "chebyshevt(1/2, x)")
    assert code == 2 and out == "" and "Chebyshev degree '1/2'" in err and "\n" not in err[:-1]
