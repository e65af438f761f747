"""Variable names: one rule across every command (issue 9). A name is an identifier in NFKC
normal form, the form Python reads it in: non-ASCII letters work everywhere (python-flint
gets ASCII names inside), and a name Python would read differently (``ﬁ`` is ``fi``) is
refused by the parser with the one spelling it accepts."""

from __future__ import annotations

import contextlib
import io
from fractions import Fraction

import pytest

from quadtheory import Network, QuadTheoryError, construct, conventional_layer, parse_expression
from quadtheory._src.cli.main import main

NFKC = "expected it in NFKC normal form, 'fi'"


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("args", "code", "found"), [
    (["construct", "θ^2"], 0, "region: θ in [-1, 1]"),
    (["construct", "θ*φ", "--vars", "θ,φ", "--domain", "θ=0:1"], 0, "θ in [0, 1], φ in [-1, 1]"),
    (["construct", "θ^2", "--family", "relu", "--eps", "1/100"], 0, "certified error: <= 0.00782"),
    (["construct", "θ**2 + 1", "--json"], 0, '"inputs": ["\\u03b8"]'),
    (["construct", "ﬁ^2"], 2, NFKC),
    (["construct", "x", "--vars", "ﬁ,x"], 2, "variable 'ﬁ': expected a name in NFKC normal form"),
    (["bounds", "θ^2", "--eps", "1/100"], 0, "target: θ^2 on box [-1, 1]"),
    (["bounds", "ﬁ^2", "--eps", "1/100"], 2, NFKC),
    (["compare", "θ^2", "--eps", "1/100"], 0, "target: θ^2 on θ in [-1, 1]"),
    (["compare", "ﬁ^2", "--eps", "1/100"], 2, NFKC),
    (["radial", "exp(-ρ^2)", "--dim", "2", "--eps", "1/1000"], 2,
     "unknown variable 'ρ' at column 6; expected one of r"),
    (["crosscheck", "ﬁ^2", "--quick"], 2, NFKC),
])
def test_names_in_every_command(args, code, found):
    status, out, err = cli(*args)
    assert status == code, err
    assert found in (out if code == 0 else err)


def test_a_non_ascii_network_file_round_trips_through_eval_and_info(tmp_path):
    path = tmp_path / "theta.json"
    assert cli("construct", "θ^2 - φ", "--json", str(path))[0] == 0
    assert cli("eval", str(path), "--at", "θ=1/2,φ=1/8") == (0, "1/8\n", "")
    code, out, _ = cli("info", str(path))
    assert code == 0 and "inputs: θ, φ" in out
    code, _, err = cli("eval", str(path), "--at", "ﬁ=1")
    assert code == 2 and "unknown input 'ﬁ'" in err


def test_the_python_api_follows_the_same_rule():
    net = construct("θ**3 - θ", domain=(0, 2))
    assert net.certificate.holds and net.exact({"θ": 2}) == (Fraction(6),)
    assert parse_expression("θ + 1", ["θ"]).free_symbols
    with pytest.raises(QuadTheoryError, match=r"inputs\[0\]: expected a name in NFKC normal "
                                              r"form, 'fi', found 'ﬁ'"):
        Network(("ﬁ",), (conventional_layer([[1]]),))
    with pytest.raises(QuadTheoryError, match=r"name 'ﬁ' at column 1; expected it in NFKC"):
        parse_expression("ﬁ + 1")
