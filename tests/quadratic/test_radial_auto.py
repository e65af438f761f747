"""``radial --method auto``: never worse than the best single method, never failing while one
succeeds, and every printed certified error a short decimal upper bound (issue 9)."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from quadtheory import QuadTheoryError, construction_report, radial
from quadtheory._src.quadratic.radial import PIECEWISE, POLYNOMIAL


def _nonzero(g: str, eps: str, method: str) -> int | None:
    try:
        return radial(g, 2, eps=eps, method=method, verify=False).params.nonzero
    except QuadTheoryError:
        return None


@pytest.mark.parametrize(("g", "eps"), [("exp(-r^2)", "1/1000"), ("cos(r)", "1/100")])
def test_auto_is_never_worse_than_the_best_single_method(g, eps):
    auto = radial(g, 2, eps=eps, verify=False)
    single = [n for n in (_nonzero(g, eps, m) for m in (PIECEWISE, POLYNOMIAL)) if n is not None]
    assert single and auto.params.nonzero <= min(single)


@pytest.mark.slow
def test_auto_skips_a_piecewise_network_proved_too_large():
    net = radial("exp(-r^2)", 2, eps="1e-12")
    assert net.meta["method"] == POLYNOMIAL and net.certified_error <= Fraction(1, 10**12)
    reason = net.meta["candidates"][PIECEWISE]["unavailable"]
    assert re.match(r"not built: it needs at least \d+ pieces, so at least \d+ nonzero params "
                    r"\(a proved lower bound\)", reason)
    report = construction_report(net)
    assert "certified error: <= 5.22e-13 (eps 1e-12)" in report
    # No certified error in the text is an exact rational: the JSON has those.
    assert not re.search(r"(≤|<=)\s*\d+/\d+", report)


def test_a_failing_method_leaves_the_other():
    # exp(-r) = exp(-√t): no Taylor polynomial in t (unbounded derivatives at 0), nor in r
    # (odd powers); the piecewise-linear network exists.
    net = radial("exp(-r)", 2, eps="1/100", verify=False)
    assert net.meta["method"] == PIECEWISE
    assert "unavailable" in net.meta["candidates"][POLYNOMIAL]
