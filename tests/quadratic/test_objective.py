"""``construct(..., objective=...)`` and ``quadtheory construct --objective``: fewest nonzero
params (the default) or fewest neurons, each within the best float tier.

The neurons objective sees every candidate the params objective sees (and the expanded plans
always), so it never takes more neurons; the params objective never takes more nonzero params
where both choose within the same float tier. Both are exact: each network is verified.
"""

from __future__ import annotations

import contextlib
import io

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from quadtheory import QuadTheoryError, construct
from quadtheory._src.cli import main as _cli
from quadtheory._src.exact.rounding import float_error
from quadtheory._src.quadratic.construct import float_tier
from tests.strategies import examples

X, Y = sympy.symbols("x y")

# T_45 and T_46 (index searches, a second each) run in the slow tier.
TARGETS = [sympy.chebyshevt(n, X) for n in (7, 11, 33)] + [
    pytest.param(sympy.chebyshevt(n, X), marks=pytest.mark.slow) for n in (45, 46)] + [
    "x*y + x**2", "(1 + x + y)**5", "x**9 - 3*x**4*y + y**3", (X + Y) ** 13]


def _pair(target):
    return construct(target), construct(target, objective="neurons")


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_each_objective_wins_its_own_count(target):
    params, neurons = _pair(target)
    assert params.certificate.holds and neurons.certificate.holds
    assert neurons.neurons <= params.neurons
    assert params.meta["objective"] == "params" and neurons.meta["objective"] == "neurons"
    if float_tier(float_error(params)) == float_tier(float_error(neurons)):
        assert params.params.nonzero <= neurons.params.nonzero


@pytest.mark.parametrize("n, fewer", [(39, (14, 12))])
def test_where_the_objectives_disagree_chebyshev(n, fewer):
    # Fewer nonzero params cost neurons here: the choice is the user's.
    params, neurons = _pair(sympy.chebyshevt(n, X))
    assert (params.neurons, neurons.neurons) == fewer
    assert params.params.nonzero < neurons.params.nonzero


@settings(max_examples=examples(10), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(-3, 3)),
                min_size=1, max_size=6))
def test_random_polynomials(terms):
    target = sum(c * X**a * Y**b for a, b, c in terms)
    if not sympy.Poly(target, X, Y).free_symbols or sympy.Poly(target, X, Y).is_ground:
        return
    params, neurons = construct(target, ["x", "y"]), construct(target, ["x", "y"],
                                                                objective="neurons")
    assert params.certificate.holds and neurons.certificate.holds
    assert neurons.neurons <= params.neurons


@pytest.mark.parametrize("bad", ["Neurons", "", None, 1])
def test_an_unknown_objective_is_a_clear_error(bad):
    with pytest.raises(QuadTheoryError, match=r"objective: expected one of params, neurons"):
        construct("x*y", objective=bad)


def _cli_run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = _cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_cli_objective_neurons_says_so():
    target = str(sympy.expand(sympy.chebyshevt(39, X))).replace("**", "^")
    code, out, err = _cli_run("construct", target, "--objective", "neurons")
    assert code == 0 and err == ""
    assert "widths: 2, 3, 3, 1, 2, 1\n" in out
    assert "(chosen for the fewest neurons in the best float tier)" in out
    code, out, _ = _cli_run("construct", target)
    assert code == 0 and "chosen for the fewest neurons" not in out


@pytest.mark.parametrize("extra", [["--family", "relu", "--eps", "0.1"],
                                   ["--manifold", "circle", "--ambient", "2", "--eps", "0.1"]])
def test_cli_objective_is_refused_where_it_cannot_apply(extra):
    code, out, err = _cli_run("construct", "x1*x2", "--objective", "neurons", *extra)
    assert code == 2 and out == ""
    assert err.startswith("quadtheory: error: --objective: ") and err.count("\n") == 1


def test_neurons_objective_skips_expanded_plans_that_cannot_win(monkeypatch):
    # (1 + x + y + z + w)^30 is 8 neurons as a power of one affine form; its 46,376 monomials
    # of degree >= 2 would take at least a third as many neurons expanded: not planned.
    from quadtheory._src.quadratic import construct as module

    def refuse(*args):
        raise AssertionError("the expanded plans were planned")

    monkeypatch.setattr(module, "_expanded", refuse)
    net = construct("(1 + x + y + z + w)**30", objective="neurons", verify=False)
    assert net.neurons == 8


def test_neurons_objective_plans_expanded_where_they_can_win():
    # x·y + x² + y²: one neuron expanded; the expanded plans are planned and win.
    net = construct("x*y + x**2 + y**2", objective="neurons")
    assert net.neurons == 1 and net.meta["plan"].startswith("expanded")
