"""``compare`` and the ``bounds``/``compare`` commands: the paper's claim as certified numbers.

The acceptance check of the issue: for x² at ε = 1e-2 .. 1e-8 the quadratic params are
constant while the ReLU construction and the ReLU lower bound both grow roughly linearly in
log(1/ε), their ratio bounded.
"""

from __future__ import annotations

import importlib
import itertools
import json
import math
from fractions import Fraction

import pytest

from quadtheory import QuadTheoryError, compare, plot_comparison
from quadtheory._src.cli.main import USAGE_ERROR, ArgumentParser, error_line
from quadtheory._src.cli.tour.compare import tour_section


def cli(argv: list[str]) -> int:
    """The command line as ``quadtheory._src.cli.main.main`` runs it (registering these commands
    whether or not the CLI core lists them yet)."""
    from quadtheory._src.cli import main as _cli

    if argv[0] in _cli.COMMANDS:
        return _cli.main(argv)
    parser = ArgumentParser(prog=_cli.PROG)
    sub = parser.add_subparsers(dest="command", parser_class=ArgumentParser)
    for name in ("bounds", "compare"):
        importlib.import_module(f"quadtheory._src.cli.{name}").add_parser(sub)
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else USAGE_ERROR
    try:
        return args.func(args)
    except QuadTheoryError as error:
        import sys
        print(error_line(error), file=sys.stderr)
        return USAGE_ERROR


def test_compare_x_squared_shows_log_growth_and_a_bounded_ratio(capsys):
    assert cli(["compare", "x**2", "--eps", "1e-2", "1e-4", "1e-6", "1e-8", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = data["rows"]
    assert data["target"] == "x**2" and [r["eps"] for r in rows] == [
        "1/100", "1/10000", "1/1000000", "1/100000000"]
    assert len({(r["quadratic"]["dense"], r["quadratic"]["nonzero"]) for r in rows}) == 1
    for key in ("dense", "nonzero"):
        relu = [r["relu"][key] for r in rows]
        lower = [r["relu_lower_bound"][key] for r in rows]
        for series in (relu, lower):  # roughly linear in log(1/ε): equal steps of 2 decades
            steps = [b - a for a, b in itertools.pairwise(series)]
            assert all(s > 0 for s in steps) and max(steps) <= 2 * min(steps)
        ratios = [a / b for a, b in zip(relu, lower)]
        assert all(1 < q <= 8 for q in ratios)  # bounded, never below the lower bound
    for r in rows:
        assert Fraction(r["relu"]["certified_error"]) <= Fraction(r["eps"])
        assert r["relu_lower_bound"]["neurons"] <= r["relu"]["nonzero"]
        assert r["quadratic"]["dense"] < r["relu_lower_bound"]["dense"] or r["eps"] == "1/100"


@pytest.mark.parametrize(("target", "eps", "options"), [
    ("x*y", ["1e-2", "1e-5"], {"domain": (0, 1)}),
    ("x**3 + x*y", ["1e-2"], {}),
    ("radial:exp(-r**2)", ["1e-2", "1e-3"], {"dim": 2}),
    ("radial:r**2", ["1e-3"], {"dim": 3, "center": [1, 0, 0], "radius": 2}),
])
def test_lower_bound_below_construction_for_every_row(target, eps, options):
    result = compare(target, eps, **options)
    for row in result.rows:
        assert row.relu_error <= row.eps
        assert row.lower_dense <= row.relu.dense and row.lower_nonzero <= row.relu.nonzero
        assert row.quadratic_error <= row.eps


def test_text_table_and_plot(tmp_path, capsys):
    path = tmp_path / "compare.png"
    assert cli(["compare", "x*y", "--domain", "0:1", "--eps", "1e-1", "1e-2",
                "--plot", str(path)]) == 0
    out = capsys.readouterr().out
    assert "target: x*y on x in [0, 1], y in [0, 1]" in out and "relu/lower (dense)" in out
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    fig = plot_comparison(compare("x**2", ["1e-2", "1e-3"]))
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == ["quadratic network (exact)",
                      "ReLU construction (Yarotsky; certified error <= eps)",
                      "ReLU lower bound (proved, any ReLU network)"]
    assert all(ax.get_yscale() == "log" and "log10" in ax.get_xlabel() for ax in fig.axes)


def test_bounds_command_json(capsys):
    assert cli(["bounds", "x**2", "--eps", "1e-6", "--depth", "1", "3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    k = math.ceil(math.sqrt(8 / (16 * 1e-6)))  # κh² = 2·2² on [-1, 1]
    assert data["pieces_needed"] == k and data["min_neurons"] == math.ceil(math.log2(k))
    assert set(data["min_params_dense"]) == {"1", "3"}
    assert data["segment"] == [["-1"], ["1"]] and data["kappa"] == "2"
    assert cli(["bounds", "radial:exp(-r^2)", "--dim", "3", "--eps", "1e-3"]) == 0
    assert "best: depth" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "message"), [
    (["bounds", "x**2", "--eps=-1e-3"], "eps: expected a positive number, found -1/1000"),
    (["bounds", "x + y", "--eps", "1e-3"], "x + y has no curvature"),
    (["bounds", "x**2", "--eps", "1e-3", "--domain", "1:0"], "empty interval [1, 0]"),
    (["bounds", "radial:r**2", "--eps", "1e-3"], "needs --dim D"),
    (["compare", "x**2", "--eps", "1e-2", "0"], "eps: expected a positive number, found 0"),
    (["compare", "radial:exp(-r)", "--eps", "1e-2"], "a radial target needs --dim D"),
    (["compare", "sqrt(x)*y", "--eps", "1e-2", "--domain", "0:1"],
     "target sqrt(x)*y is not 1 times differentiable"),  # non-polynomial: --method taylor
    (["compare", "x*y", "--eps", "1e-2", "--domain", "x=0:1,q=0:1"], "'q' is not a variable"),
])
def test_command_errors_are_one_line(argv, message, capsys):
    assert cli(argv) == USAGE_ERROR
    err = capsys.readouterr().err
    assert err.startswith("quadtheory: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_tour_section_is_fast_and_complete():
    text = tour_section()   # its docstring's example, skipped there: it takes seconds
    assert "ReLU networks pay log(1/ε)" in text and text.count("relu/lower (dense)") == 3
    for target in ("x**2 on", "x*y on", "radial:exp(-r**2) on"):
        assert target in text
