"""The command line: ``info`` and ``eval`` against an independent reading of the network file,
``tour``, and the error policy (exit 2, one line on stderr, no traceback, no side effect).

The independent reader (tests/independent.py) parses the JSON with the ``json`` module and
evaluates neurons with its own loop over ``Fraction``s; it shares no code with quadtheory's
loader, counter or evaluator, so agreement is evidence, not a tautology.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from quadtheory import parse_expression
from quadtheory._src.cli.main import COMMANDS, main
from tests.independent import count_by_hand, evaluate_by_hand
from tests.strategies import examples

REPO = Path(__file__).resolve().parents[2]


def cli(*args: str) -> tuple[int, str, str]:
    """Run ``quadtheory ARGS`` in-process: exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def cli_subprocess(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m quadtheory ARGS`` for real: exit codes and tracebacks as a user sees
    them."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "quadtheory", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def assert_user_error(code: int, out: str, err: str, *fragments: str) -> None:
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("quadtheory: error: ")
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0]


def text(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(value)


# -- a network file written by hand ----------------------------------------------------------
# Two relu quadratic neurons on (x, y), then a linear read-out:
#   n0 = relu(x * (y + 1))
#   n1 = relu((x/2 - y + 1/4) * (x + y) - 3/4 x² + 1/2)
#   out = 2 n0 - n1/3 + 7
# dense:   quadratic 2*(3*2+3) = 18, conventional 1*(2+1) = 3, total 21
# nonzero: w_r 3, b_r 1, w_g 3, b_g 1, w_b 1, c 1 = 10; w 2, b 1 = 3; total 13
HAND = {
    "format": "quadtheory-network",
    "version": 1,
    "inputs": ["x", "y"],
    "domain": [["-1", "1"], ["-2", "1/2"]],
    "layers": [
        {"kind": "quadratic", "activation": "relu",
         "w_r": [[1, 0], ["1/2", -1]], "b_r": [0, "1/4"],
         "w_g": [[0, 1], [1, 1]], "b_g": [1, 0],
         "w_b": {"shape": [2, 2], "entries": [[1, 0, "-3/4"]]}, "c": [0, "0.5"]},
        {"kind": "conventional", "activation": "identity", "w": [[2, "-1/3"]], "b": ["7"]},
    ],
    "meta": {"note": "written by hand"},
}
# (x, y) -> out, by hand:
#   (1, 1/2):   n0 = 1 * 3/2 = 3/2;  n1 = 1/4 * 3/2 - 3/4 + 1/2 = 1/8;  out = 3 - 1/24 + 7
#   (-1/2, -2): n0 = -1/2 * -1 = 1/2; n1 = relu(2 * -5/2 - 3/16 + 1/2) = 0; out = 1 + 7
#   (0, 1/10):  n0 = 0;  n1 = 3/20 * 1/10 + 1/2 = 103/200;  out = 7 - 103/600
HAND_VALUES = [("x=1,y=1/2", "239/24"), ("x=-1/2,y=-2", "8"), ("y=0.1,x=0", "4097/600")]


@pytest.fixture
def hand_file(tmp_path: Path) -> Path:
    path = tmp_path / "hand.json"
    path.write_text(json.dumps(HAND))
    return path


def test_commands_are_registered_lazily_by_name() -> None:
    assert set(COMMANDS) >= {"info", "eval", "construct", "radial", "bounds", "compare", "tour"}
    for name in COMMANDS:
        module = importlib.import_module(f"quadtheory._src.cli.{COMMANDS[name]}")
        assert callable(module.add_parser) and callable(module.run)
    code, out, _ = cli("--help")
    assert code == 0
    for name in COMMANDS:
        assert name in out


def test_no_command_prints_help_and_succeeds() -> None:
    code, out, err = cli()
    assert (code, err) == (0, "")
    assert out.startswith("usage: quadtheory")


def test_version() -> None:
    from quadtheory import __version__

    assert cli("--version") == (0, f"quadtheory {__version__}\n", "")


def test_info_json_matches_the_hand_count(hand_file: Path) -> None:
    code, out, err = cli("info", str(hand_file), "--json")
    assert (code, err) == (0, "")
    facts = json.loads(out)
    assert (facts["params_dense"], facts["params_nonzero"]) == (21, 13) == count_by_hand(HAND)
    assert facts["depth"] == 2
    assert facts["widths"] == [2, 1]
    assert facts["neurons"] == 3
    assert facts["inputs"] == ["x", "y"]
    assert facts["domain"] == [["-1", "1"], ["-2", "1/2"]]
    assert facts["trained"] is False
    assert [(layer["kind"], layer["activation"], layer["in"], layer["out"],
             layer["params_dense"], layer["params_nonzero"]) for layer in facts["layers"]] == [
        ("quadratic", "relu", 2, 2, 18, 10), ("conventional", "identity", 2, 1, 3, 3)]
    # The printed expression is the network's function: check it against the hand values.
    x, y = sympy.symbols("x y")
    (output,) = facts["outputs"]
    expr = parse_expression(output, ["x", "y"])
    for at, value in HAND_VALUES:
        point = dict(part.split("=") for part in at.split(","))
        assert expr.subs({x: Fraction(point["x"]), y: Fraction(point["y"])}) == Fraction(value)


def test_info_text(hand_file: Path) -> None:
    code, out, err = cli("info", str(hand_file))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:6] == [
        f"network: {hand_file}",
        "inputs: x, y",
        "domain: x in [-1, 1], y in [-2, 1/2]",
        "layer  kind          activation  in -> out  dense  nonzero",
        "    0  quadratic     relu        2 -> 2        18       10",
        "    1  conventional  identity    2 -> 1         3        3",
    ]
    assert "params: dense 21 (every weight and bias), nonzero 13 (nonzero entries)" in lines
    assert {"depth: 2", "widths: 2, 1", "neurons: 3", "weights: exact rationals"} <= set(lines)
    assert lines[-1].startswith("output: ")


@pytest.mark.parametrize(("at", "value"), HAND_VALUES)
def test_eval_matches_the_hand_values(hand_file: Path, at: str, value: str) -> None:
    point = {k: Fraction(v) for k, v in (part.split("=") for part in at.split(","))}
    assert [text(v) for v in evaluate_by_hand(HAND, point)] == [value]
    assert cli("eval", str(hand_file), "--at", at) == (0, value + "\n", "")


def test_eval_several_points_and_json(hand_file: Path) -> None:
    args = [arg for at, _ in HAND_VALUES for arg in ("--at", at)]
    code, out, _ = cli("eval", str(hand_file), *args)
    assert (code, out.splitlines()) == (0, [value for _, value in HAND_VALUES])
    code, out, _ = cli("eval", str(hand_file), "--json", *args)
    assert code == 0
    assert json.loads(out) == {"inputs": ["x", "y"], "points": [
        {"at": {"x": "1", "y": "1/2"}, "outputs": ["239/24"]},
        {"at": {"x": "-1/2", "y": "-2"}, "outputs": ["8"]},
        {"at": {"x": "0", "y": "1/10"}, "outputs": ["4097/600"]}]}


@pytest.mark.parametrize(("activation", "depth"), [("identity", 41), ("relu", 20)])
def test_info_of_a_large_network_omits_the_expressions(tmp_path: Path, activation: str,
                                                       depth: int) -> None:
    # A chain of (h + 1) * h: the expression tree doubles with every layer, and sympy would
    # take minutes to build the relu one (41 neurons: too many; 20: too large a tree).
    doc = {"format": "quadtheory-network", "version": 1, "inputs": ["x"], "layers": [
        {"kind": "quadratic", "activation": activation, "w_r": [[1]], "b_r": [1],
         "w_g": [[1]], "b_g": [0], "w_b": [[0]], "c": [0]}] * depth}
    path = tmp_path / "chain.json"
    path.write_text(json.dumps(doc))
    code, out, _ = cli("info", str(path), "--json")
    assert (code, json.loads(out)["outputs"], json.loads(out)["neurons"]) == (0, None, depth)
    code, out, _ = cli("info", str(path))
    assert out.splitlines()[-1].startswith("outputs: not printed (too large")


# -- random networks: info and eval against the independent reader ---------------------------
RATIONALS = st.builds(Fraction, st.integers(-6, 6), st.integers(1, 4))


def number_json(value: Fraction, style: int) -> object:
    if style == 0 and value.denominator == 1:
        return value.numerator
    if style == 1 and value.denominator in (1, 2, 4):  # an exact decimal string
        return str(value.numerator / value.denominator)
    return text(value)


@st.composite
def matrices(draw: st.DrawFn, n_out: int, n_in: int) -> object:
    rows = [[draw(st.just(Fraction(0)) | RATIONALS)
             for _ in range(n_in)] for _ in range(n_out)]
    style = draw(st.integers(0, 2))
    if draw(st.booleans()):
        # Sparse; an explicit zero entry is allowed and must not count as a parameter.
        entries = [[i, j, number_json(v, style)] for i, row in enumerate(rows)
                   for j, v in enumerate(row) if v != 0 or draw(st.booleans())]
        return {"shape": [n_out, n_in], "entries": draw(st.permutations(entries))}
    return [[number_json(v, style) for v in row] for row in rows]


@st.composite
def network_docs(draw: st.DrawFn) -> dict:
    inputs = draw(st.lists(st.sampled_from(["x", "y", "z", "t"]), min_size=1, max_size=3,
                           unique=True))
    width, layers = len(inputs), []
    for _ in range(draw(st.integers(1, 3))):
        n_out = draw(st.integers(1, 3))
        kind = draw(st.sampled_from(["quadratic", "conventional"]))
        layer: dict[str, object] = {"kind": kind,
                                    "activation": draw(st.sampled_from(["relu", "identity"]))}
        matrix_names = ("w_r", "w_g", "w_b") if kind == "quadratic" else ("w",)
        vector_names = ("b_r", "b_g", "c") if kind == "quadratic" else ("b",)
        for name in matrix_names:
            layer[name] = draw(matrices(n_out, width))
        for name in vector_names:
            layer[name] = [number_json(draw(RATIONALS), draw(st.integers(0, 2)))
                           for _ in range(n_out)]
        layers.append(layer)
        width = n_out
    domain = draw(st.none() | st.just([["-1", "1/2"]] * len(inputs)))
    return {"format": "quadtheory-network", "version": 1, "inputs": inputs, "domain": domain,
            "layers": layers}


@settings(max_examples=examples(20), deadline=None)
@given(doc=network_docs(), data=st.data())
def test_random_files_match_the_independent_reader(doc: dict, data: st.DataObject,
                                                  tmp_path_factory: pytest.TempPathFactory
                                                  ) -> None:
    path = tmp_path_factory.mktemp("random") / "net.json"
    path.write_text(json.dumps(doc))
    code, out, err = cli("info", str(path), "--json")
    assert (code, err) == (0, "")
    facts = json.loads(out)
    assert (facts["params_dense"], facts["params_nonzero"]) == count_by_hand(doc)
    assert facts["depth"] == len(doc["layers"])
    points = [{name: data.draw(RATIONALS) for name in doc["inputs"]} for _ in range(2)]
    args = [arg for p in points for arg in ("--at", ",".join(f"{k}={text(v)}"
                                                              for k, v in p.items()))]
    code, out, err = cli("eval", str(path), *args)
    assert (code, err) == (0, "")
    assert out.splitlines() == [" ".join(text(v) for v in evaluate_by_hand(doc, p))
                                for p in points]


# -- errors: exit 2, one line, no traceback, no side effect ----------------------------------
def malformed(**changes: object) -> dict:
    doc = json.loads(json.dumps(HAND))
    for path, value in changes.items():
        *parents, last = path.split("__")
        target = doc
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if value is KeyError:
            del target[last]
        else:
            target[int(last) if isinstance(target, list) else last] = value
    return doc


BAD_FILES = [
    ("not json", '{"format": "quadtheory-network",', "not valid JSON"),
    ("wrong format", malformed(format="onnx"), "format: expected 'quadtheory-network'"),
    ("wrong version", malformed(version=2), "version: expected 1, found 2"),
    ("missing key", malformed(layers__0__w_g=KeyError), "layers[0]: missing key 'w_g'"),
    ("column count", malformed(layers__0__w_g=[[0, 1, 2], [1, 1, 0]]),
     "layers[0].w_g: expected 2 columns, found 3"),
    ("bad NUMBER", malformed(layers__1__b=["seven"]), "layers[1].b"),
    ("hostile NUMBER", malformed(layers__1__b=["__import__('os').system('touch PWNED')"]),
     "layers[1].b"),
    ("lo >= hi", malformed(domain=[["1", "-1"], ["0", "1"]]), "domain[0]: expected lo < hi"),
    ("unknown kind", malformed(layers__1__kind="dense"), "layers[1].kind"),
]


@pytest.mark.parametrize(("label", "content", "fragment"), BAD_FILES,
                         ids=[case[0] for case in BAD_FILES])
@pytest.mark.parametrize("command", [["info"], ["eval", "--at", "x=1,y=0"]])
def test_malformed_files_are_user_errors(tmp_path: Path, label: str, content: object,
                                         fragment: str, command: list[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    code, out, err = cli(command[0], str(path), *command[1:])
    assert_user_error(code, out, err, str(path), fragment)


def test_the_issue_example_of_a_column_count_error(tmp_path: Path) -> None:
    doc = malformed(layers__0__w_r=[[1, 0, 1], [1, 1, 1]], layers__0__w_g=[[1, 0], [1, 1]],
                    layers__0__w_b=[[0, 0, 0], [0, 0, 0]], inputs=["x", "y", "z"],
                    domain=None)
    path = tmp_path / "net.json"
    path.write_text(json.dumps(doc))
    assert_user_error(*cli("info", str(path)), "layers[0].w_g: expected 3 columns, found 2")


BAD_POINTS = [
    ("x=1", "missing a value for y"),
    ("x=1,y=2,z=3", "unknown input 'z'"),
    ("x=1,x=2,y=0", "x is given twice"),
    ("x=1;y=2", "found '1;y=2'"),
    ("x", "expected NAME=NUMBER"),
    ("x=1/0,y=0", "divides by zero"),
    ("x=1e99999,y=0", "out of range"),
    ("x=2**8,y=0", "2**8"),
    ("x=__import__('os').system('touch PWNED'),y=0", "__import__"),
    ("y=0,x=exec(\"open('PWNED','w')\")", "exec"),
]


@pytest.mark.parametrize(("at", "fragment"), BAD_POINTS)
def test_bad_points_are_user_errors(hand_file: Path, at: str, fragment: str,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(hand_file.parent)
    assert_user_error(*cli("eval", str(hand_file), "--at", at), "--at", fragment)
    assert [p.name for p in hand_file.parent.iterdir()] == ["hand.json"]


@pytest.mark.parametrize(("args", "fragment"), [
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    (["info"], "info: the following arguments are required: FILE.json"),
    (["eval", "net.json"], "the following arguments are required: --at"),
    (["info", "net.json", "--depth"], "unrecognized arguments: --depth"),
    (["info", "does-not-exist.json"], "does-not-exist.json: no such file"),
    (["tour", "--fast"], "unrecognized arguments: --fast"),
])
def test_bad_options_are_user_errors(args: list[str], fragment: str) -> None:
    assert_user_error(*cli(*args), fragment)


def test_a_directory_is_a_user_error(tmp_path: Path) -> None:
    assert_user_error(*cli("info", str(tmp_path)), "not a regular file")


@pytest.mark.parametrize("args", [
    ["eval", "hand.json", "--at", "x=__import__('os').system('touch PWNED'),y=0"],
    ["info", "broken.json"],
    ["--no-such-option"],
])
def test_real_exit_codes_and_no_side_effect(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "hand.json").write_text(json.dumps(HAND))
    (tmp_path / "broken.json").write_text("[1, 2,")
    result = cli_subprocess(*args, cwd=tmp_path)
    assert_user_error(result.returncode, result.stdout, result.stderr)
    assert not (tmp_path / "PWNED").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.json", "hand.json"]


@pytest.mark.slow  # the whole tour, in a subprocess: ~15 s of CPU; its sections have doctests
def test_tour_proves_every_example(tmp_path: Path) -> None:
    result = cli_subprocess("tour", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("target"))
    assert header.split() == ["target", "activation", "domain", "dense", "nonzero", "depth",
                              "widths", "certificate", "holds"]
    first_table = lines[lines.index(header):]
    first_table = first_table[:first_table.index("")]
    rows = {tuple(line.split()[:8]) for line in first_table if "symbolic proof" in line}
    assert rows == {
        ("x**2", "relu", "[-1,1]", "6", "2", "1", "1", "symbolic"),
        ("x*y", "identity", "R^2", "9", "2", "1", "1", "symbolic"),
        ("x*y", "relu/identity", "[-1,1]^2", "21", "10", "2", "2,1", "symbolic"),
        ("x1**2", "+", "x2**2", "+", "x3**2", "relu", "[-1,1]^3", "12"),
    }
    assert all(line.split("symbolic proof")[1].split()[0] == "yes"
               for line in first_table if "symbolic proof" in line)
    footer = lines.index("next:")
    assert re.match(r"All \d+ certificates hold", lines[footer - 2])
    assert any("no finite ReLU network computes x² exactly" in line for line in lines)
    assert max(map(len, lines)) <= 100  # the tour fits a 100-column terminal
    named = " ".join(lines[footer:])
    for pointer in ("construct", "radial", "bounds", "compare", "crosscheck", "prove",
                    "notebooks", "docs/"):
        assert pointer in named


def test_tour_fails_when_a_certificate_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from quadtheory._src.cli.tour import products as _tour
    from quadtheory._src.cli.tour import tour

    def wrong() -> _tour.Example:
        square = _tour.EXAMPLES[0]()
        return _tour.Example("x**3", square.network, square.conventional)

    monkeypatch.setattr(_tour, "EXAMPLES", (*_tour.EXAMPLES, wrong))
    # The whole tour runs once, in test_tour_proves_every_example: its first sections here.
    monkeypatch.setattr(tour, "SECTIONS", (_tour.introduction, _tour.exact_products))
    code, out, err = cli("tour")
    assert code == 1
    assert "x**3" in out and "NO" in out
    lines = out.splitlines()
    assert re.match(r"FAILED: 1 of \d+ certificates do not hold", lines[lines.index("next:") - 2])
    assert err.splitlines() == [
        "quadtheory: tour: a certificate does not hold (see the table above)"]
