"""One spelling per option across every command: a table of command × spelling.

Each row runs a command with equivalent spellings of an option and checks that they mean the
same; and that an option a command cannot use with its target is an error, never ignored.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quadtheory._src.cli import main as cli

DOMAINS = ["0:1", "x=0:1", "[0,1]", "0,1", "x=0:1/1"]
TINY_SWEEP = ["--widths", "1", "--depths", "1", "--seeds", "1", "--steps", "5", "--family",
              "relu"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def json_of(capsys, *argv: str) -> dict:
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("spelling", DOMAINS)
def test_domain_spellings_agree_across_commands(capsys, tmp_path, spelling):
    construct = json_of(capsys, "construct", "x**2", f"--domain={spelling}")
    assert construct["domain"] == [["0", "1"]]
    bound = json_of(capsys, "bounds", "x**2", "--eps", "1/100", f"--domain={spelling}")
    assert bound["region"] == "box [0, 1]"
    compare = json_of(capsys, "compare", "x**2", "--eps", "1/10", f"--domain={spelling}")
    assert compare["region"] == "x in [0, 1]"
    relu = json_of(capsys, "construct", "x**2", "--family", "relu", "--eps", "1/10",
                   f"--domain={spelling}")
    assert relu["domain"] == [["0", "1"]]
    out = tmp_path / "sweep"
    json_of(capsys, "crosscheck", "x**2", f"--domain={spelling}", *TINY_SWEEP, "--out", str(out))
    setup = json.loads((out / "results.json").read_text())["setup"]
    assert setup["domain"] == [["0", "1"]]


@pytest.mark.parametrize("command", [
    ["bounds", "x**2", "--eps", "1/100"], ["compare", "x**2", "--eps", "1/10"],
    ["construct", "x**2", "--family", "relu", "--eps", "1/10"],
    ["crosscheck", "x**2", *TINY_SWEEP]])
def test_all_of_rn_is_refused_where_an_error_is_a_sup(capsys, tmp_path, command):
    extra = ["--out", str(tmp_path)] if command[0] == "crosscheck" else []
    code, _, err = run(capsys, *command, "--domain", "all", *extra)
    assert code == 2 and err.count("\n") == 1
    assert "expected a bounded box" in err


@pytest.mark.parametrize("lists", [["1e-1", "1e-2"], ["1e-1,1e-2"], ["1e-1,", "1e-2"]])
def test_lists_take_commas_spaces_or_both(capsys, lists):
    if lists == ["1e-1,", "1e-2"]:
        code, _, err = run(capsys, "compare", "x**2", "--eps", *lists)
        assert code == 0, err
    data = json_of(capsys, "compare", "x**2", "--eps", *lists)
    assert [row["eps"] for row in data["rows"]] == ["1/10", "1/100"]


@pytest.mark.parametrize("spelling", [["--depth", "1", "3"], ["--depths", "1,3"],
                                      ["--depth", "1,", "3"]])
def test_depth_and_depths_are_one_option(capsys, spelling):
    data = json_of(capsys, "bounds", "x**2", "--eps", "1/100", *spelling)
    assert set(data["min_params_dense"]) == {"1", "3"}


@pytest.mark.parametrize("family", ["relu", "conventional"])
def test_family_names(capsys, family):
    data = json_of(capsys, "construct", "x**2", "--family", family, "--eps", "1/10")
    assert data["meta"]["family"] == "relu"


def test_json_to_stdout_or_to_a_file(capsys, tmp_path):
    path = tmp_path / "net.json"
    printed = json_of(capsys, "construct", "x*y")
    code, out, _ = run(capsys, "construct", "x*y", "--json", str(path))
    assert code == 0 and f"wrote {path}" in out and "target: x*y" in out
    written = json.loads(path.read_text())
    assert printed["layers"] == written["layers"] and printed["inputs"] == written["inputs"]
    for command in (["bounds", "x**2", "--eps", "1/100"], ["compare", "x**2", "--eps", "1/10"],
                    ["info", str(path)], ["eval", str(path), "--at", "x=1,y=2"]):
        target = tmp_path / f"{command[0]}.json"
        code, out, _ = run(capsys, *command, "--json", str(target))
        assert code == 0 and f"wrote {target}" in out
        assert json.loads(target.read_text()) == json_of(capsys, *command)


def test_latex_to_stdout_or_to_a_file(capsys, tmp_path):
    code, out, _ = run(capsys, "construct", "x*y", "--latex")
    assert code == 0 and "f = " in out
    path = tmp_path / "net.tex"
    code, out, _ = run(capsys, "construct", "x*y", "--latex", str(path))
    assert code == 0 and f"wrote {path}" in out and path.read_text() == "f = x\\,y\n"


@pytest.mark.parametrize("command", [
    ["construct", "radial:1-r^2", "--dim", "2"], ["radial", "1-r^2", "--dim", "2"]])
def test_radial_targets_in_construct_and_radial(capsys, command):
    data = json_of(capsys, *command)
    assert data["meta"]["region"]["ball"]["radius"] == "1"
    assert data["meta"]["method"] == "exact polynomial in r^2"


@pytest.mark.parametrize(("argv", "flag"), [
    (["construct", "x**2", "--dim", "2"], "--dim"),
    (["construct", "radial:r^2", "--dim", "2", "--domain", "0:1"], "--domain"),
    (["bounds", "radial:r^2", "--dim", "2", "--eps", "1e-2", "--domain", "0:1"], "--domain"),
    (["compare", "x**2", "--eps", "1e-2", "--center", "0"], "--center"),
    (["construct", "x**2", "--eps", "1e-2"], "--eps"),
    (["construct", "x**2", "--method", "exact"], "--method"),
    (["construct", "x**2", "--family", "relu", "--eps", "1e-2", "--all-quadratic"],
     "--all-quadratic"),
    (["construct", "x**2", "--family", "both", "--eps", "1e-2", "--json", "f.json"], "--json"),
])
def test_options_that_do_not_apply_are_errors(capsys, tmp_path, monkeypatch, argv, flag):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"quadtheory: error: {flag}") or f"{flag}:" in err
    assert not any(Path(tmp_path).iterdir())
