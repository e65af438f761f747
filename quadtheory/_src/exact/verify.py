"""Verification: an exact network equals its polynomial target on its domain, proved.

The proof is symbolic: the network's outputs are computed as sparse exact polynomials layer
by layer (python-flint or sympy's sparse ring), every relu pre-activation gets a proven sign
on the domain box, and the outputs are compared with the target as polynomials over QQ. A
proved identity also gets a proved bound on the network's float evaluation error over its
domain (:mod:`.rounding`, from the enclosures of the proof).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import sympy

from ..core.limits import quoted
from ..core.network import Network, as_network
from ..errors import QuadTheoryError
from .certificate import Certificate
from .parse import parse_expression
from .polynomial import RELU_STATES, network_polynomials
from .rounding import float_error, wants_hidden

Target = str | sympy.Expr | Sequence[str | sympy.Expr]


def _targets(network: Network, target: Target) -> list[sympy.Expr]:
    items = list(target) if isinstance(target, list | tuple) else [target]
    if len(items) != network.n_outputs:
        raise QuadTheoryError(f"target: expected {network.n_outputs} expressions (one per "
                              f"output), found {len(items)}")
    return [_expression(t, network.inputs) for t in items]


def _expression(item: object, names: Sequence[str]) -> sympy.Expr:

    if isinstance(item, str):
        return parse_expression(item, names)
    if isinstance(item, sympy.Basic):
        return item
    if isinstance(item, int | Fraction) and not isinstance(item, bool):
        return sympy.Rational(Fraction(item).numerator, Fraction(item).denominator)
    raise QuadTheoryError(f"target: expected an expression (a string or sympy), "
                          f"found {quoted(item)}")


# Printing a sympy sum of thousands of terms costs more than the proof: long targets are
# named by their first terms and their length.
_PRINTED_TERMS = 64


def _text(e: sympy.Expr) -> str:
    """The target as the statement prints it.

    >>> _text(sympy.Add(*sympy.symbols("x0:100")))
    'x0 + x1 + x10 + x11 + ... (100 terms)'
    """
    if e.is_Add and len(e.args) > _PRINTED_TERMS:
        return f"{' + '.join(map(str, e.args[:4]))} + ... ({len(e.args)} terms)"
    return str(e)


def _region(network: Network) -> str:
    if network.domain is None:
        return "all of R^" + str(network.n_inputs)
    # A constant network has no inputs: its statement must still end in words.
    return " x ".join(f"[{lo}, {hi}]" for lo, hi in network.domain) or "(no inputs)"


def verify(network: Network, target: Target, *, backend: str = "auto") -> Certificate:
    """Prove that ``network`` computes ``target`` exactly on its domain.

    ``target`` is an expression (a string, parsed safely, or sympy), or one per output.

    >>> from quadtheory import Network, quadratic_layer
    >>> sq = Network(("x",), (quadratic_layer([[1]], w_g=[[1]], activation="relu"),),
    ...              domain=[[-1, 1]])
    >>> cert = verify(sq, "x**2")
    >>> cert.holds, cert.level
    (True, 'symbolic proof')
    >>> verify(sq, "x**3").holds
    False
    """
    network = as_network(network, "network")
    start = time.perf_counter()
    expressions = _targets(network, target)
    trace = network_polynomials(network, backend, keep_hidden=wants_hidden(network))
    statement = (f"network == {', '.join(map(_text, expressions))} exactly on "
                 f"{_region(network)}")
    relus = trace.relu_ranges
    checks = []
    if relus:
        count = {state: sum(r.relu == state for r in relus) for state in RELU_STATES}
        checks.append(
            f"relu neurons: {count['identity']} proved >= 0 and {count['zero']} proved <= 0 on "
            f"the domain (exact interval arithmetic; exact semidefiniteness for degree <= 2), "
            f"{count['paired']} in exact pairs relu(z) - relu(-z) = z, "
            f"{count['unproved']} unproved")
    details: dict[str, Any] = {"backend": trace.ring.backend,
                               "relu_ranges": [r.as_dict() for r in relus]}
    if not trace.proved:
        checks.append("NOT PROVED (which is not a disproof): a relu pre-activation changes "
                      "sign on the domain, or its sign could not be proved, so the network is "
                      "not shown to be a polynomial there")
        details["unproved"] = True
        return Certificate(statement, "symbolic proof", False, tuple(checks),
                           time.perf_counter() - start, details)
    wanted = [trace.ring.from_sympy(e) for e in expressions]
    equal = all(a == b for a, b in zip(trace.outputs, wanted, strict=True))
    checks.append(f"outputs {'equal' if equal else 'differ from'} the target as polynomials "
                  f"over QQ (sparse arithmetic, layer by layer, backend {trace.ring.backend})")
    if not equal:
        details["difference_terms"] = sum(
            trace.ring.length(a - b) for a, b in zip(trace.outputs, wanted))
    else:
        bound = float_error(network, trace=trace)
        if bound is not None:
            checks.append(bound.line())
            details["float64_error_bound"] = bound.as_dict()
    return Certificate(statement, "symbolic proof", equal, tuple(checks),
                       time.perf_counter() - start, details)
