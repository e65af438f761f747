"""Fuzzing in the normal test budget: hostile strings through the parser and every command's
options, byte-level mutations of a valid network file through ``load``, random option values
through the command line in-process. The only outcomes allowed are success or a
``QuadTheoryError`` (exit 2, one line on stderr); a canary checks that nothing is created.

Longer runs: ``QUADTHEORY_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz.py`` (or
``benchmarks/hostile.py``, which also bounds time and memory per call).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quadtheory import QuadTheoryError, load, parse_expression
from quadtheory.__main__ import main

EXAMPLES = int(os.environ.get("QUADTHEORY_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

FRAGMENTS = ["x", "y", "r", "1", "0", "-1", "1/3", "0.5", "1e400", "1e-400", "**", "*", "+", "-",
             "/", "(", ")", ",", "sin(", "exp(", "log(", "sqrt(", "__import__", "os", ".",
             "lambda", ":", "'", '"', "[", "]", "{", "}", "θ", "é", "nan", "inf", "zoo", "oo",
             "pi", "E", "I", "9" * 50, " ", "\\", "\x00", "1000", "x**1000", "Max", "abs", "Abs"]
expressions = st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join)

GOOD = {"format": "quadtheory-network", "version": 1, "inputs": ["x", "y"],
        "domain": [["-1", "1"], ["0", "1/2"]],
        "layers": [{"kind": "quadratic", "activation": "relu", "w_r": [[1, 0]], "b_r": [0],
                    "w_g": [[0, 1]], "b_g": ["1/2"], "w_b": [[0, 0]], "c": [0]},
                   {"kind": "conventional", "activation": "identity", "w": [[2]], "b": [-1]}]}


# Every in-process call gets a wall-clock limit: a hang is a failure naming the argv, not a
# CI job killed after 90 minutes. Generous, so that a slow shared machine never trips it.
CALL_LIMIT_S = float(os.environ.get("QUADTHEORY_FUZZ_CALL_LIMIT", "20"))


class CallTimedOut(BaseException):
    """Raised by the alarm; a BaseException, so that no ``except Exception`` swallows it."""


@contextlib.contextmanager
def wall_clock_limit(what: object, seconds: float = CALL_LIMIT_S):
    def expire(signum, frame):
        raise CallTimedOut(f"{what!r} ran longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except CallTimedOut as error:
        raise AssertionError(str(error)) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with wall_clock_limit(argv), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(err):
        code = main(argv)
    return code, err.getvalue()


def assert_clean(code: int, err: str) -> None:
    assert code in (0, 2), (code, err)
    if code == 2:
        assert err.startswith("quadtheory: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err


@FUZZ
@given(expressions)
def test_parse_expression_succeeds_or_refuses(text):
    try:
        with wall_clock_limit(["parse_expression", text]):
            parse_expression(text, ["x", "y", "r"])
    except QuadTheoryError as error:
        assert "\n" not in str(error)


COMMANDS = [
    lambda e: ["construct", e, "--no-verify"],
    lambda e: ["construct", e, "--family", "relu", "--eps", "1/4"],
    lambda e: ["bounds", e, "--eps", "1/4"],
    lambda e: ["bounds", f"radial:{e}", "--dim", "2", "--eps", "1/4"],
    lambda e: ["radial", e, "--dim", "2", "--eps", "1/4"],
    lambda e: ["construct", "x**2", "--domain", e],
    lambda e: ["construct", "x**2", "--family", "relu", "--eps", e],
    lambda e: ["compare", "x**2", "--eps", e],
    lambda e: ["bounds", "x**2", "--eps", "1/4", "--depth", e],
    lambda e: ["radial", "1-r**2", "--dim", "2", "--center", e],
]


@FUZZ
@given(st.sampled_from(range(len(COMMANDS))), expressions)
def test_every_command_option_succeeds_or_refuses(tmp_path_factory, which, text):
    folder = tmp_path_factory.mktemp("canary")
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        assert_clean(*run(COMMANDS[which](text)))
    finally:
        os.chdir(cwd)
    assert not any(folder.iterdir()), "hostile input created a file"


@FUZZ
@given(st.binary(max_size=0) | st.just(b""), st.lists(
    st.tuples(st.integers(0, 10**6), st.sampled_from(b'0123456789{}[]",:-./e abcxyz\\')),
    min_size=1, max_size=10))
def test_mutated_network_files_load_or_refuse(tmp_path_factory, _, edits):
    data = bytearray(json.dumps(GOOD).encode())
    for position, byte in edits:
        data[position % len(data)] = byte
    path = Path(tmp_path_factory.mktemp("file")) / "net.json"
    path.write_bytes(bytes(data))
    try:
        with wall_clock_limit(["load", bytes(data)]):
            net = load(path)
    except QuadTheoryError as error:
        assert "\n" not in str(error)
    else:
        assert net.params.dense > 0
    assert_clean(*run(["info", str(path)]))
    assert_clean(*run(["eval", str(path), "--at", "x=1/2,y=1/4"]))


OPTION_VALUES = st.sampled_from(["0", "-1", "1e400", "1e-400", "nan", "inf", "abc", "", " ",
                                 "1,2", "1 2", "999999999", "x=1", "all", "-", "1/0", "θ"])


@FUZZ
@given(st.sampled_from([
    ["bounds", "x**2", "--eps"], ["compare", "x**2", "--eps"], ["construct", "x**2", "--domain"],
    ["construct", "x**2", "--family"], ["radial", "exp(-r**2)", "--eps", "1/10", "--dim"],
    ["radial", "exp(-r**2)", "--dim", "2", "--eps"], ["bounds", "x**2", "--eps", "1/4", "--depth"],
    ["radial", "1-r**2", "--dim", "2", "--radius"], ["construct", "x**2", "--vars"],
]), OPTION_VALUES)
def test_random_option_values_succeed_or_refuse(tmp_path_factory, command, value):
    folder = tmp_path_factory.mktemp("canary")
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        assert_clean(*run([*command, value]))
    finally:
        os.chdir(cwd)
    assert not any(folder.iterdir())


@pytest.mark.parametrize("target", ["/dev/null", "/dev/full", "."])
def test_outputs_never_replace_what_is_not_a_regular_file(tmp_path, target):
    code, err = run(["construct", "x**2", "--json", target])
    assert code == 2 and "expected a regular file" in err
    assert Path("/dev/full").is_char_device() and Path("/dev/null").is_char_device()


def test_a_symlinked_output_is_written_through(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert run(["construct", "x**2", "--json", str(link)])[0] == 0
    assert link.is_symlink() and json.loads(real.read_text())["format"] == "quadtheory-network"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


def test_new_outputs_get_the_umask_mode(tmp_path):
    umask = os.umask(0o022)
    try:
        assert run(["construct", "x**2", "--json", str(tmp_path / "net.json")])[0] == 0
    finally:
        os.umask(umask)
    assert (tmp_path / "net.json").stat().st_mode & 0o777 == 0o644
