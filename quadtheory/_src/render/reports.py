"""The text reports of the commands: one for every construction, one for lower bounds.

:func:`construction_report` reads a :class:`~quadtheory.Construction`'s typed fields, so
exact quadratic networks, radial ones and certified ReLU approximations print alike: target,
family and method, region, certified error, both parameter counts, depth and widths, the
baseline and candidates where there are some, the plan and the proved float evaluation error,
and the certificate. Certified errors print as a 3-digit decimal upper bound (the exact
rational is in ``--json``).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from ..bounds.lower import ReluLowerBound
from ..core.domain import Ball, domain_text
from ..core.numbers import decimal_upper, format_rational
from ..core.text import format_table
from ..errors import QuadTheoryError
from ..exact.certificate import certificate_lines
from ..exact.construction import Construction
from ..exact.rounding import pieces_words


def _saving(lean: int, naive: int) -> str:
    percent = f" ({100 * (naive - lean) / naive:.1f}%)" if naive else ""
    return f"{naive - lean}{percent}"


def _error_line(c: Construction) -> str:
    wanted = f" (eps {decimal_upper(c.eps)})" if c.eps is not None else ""
    if c.certified_error is None:
        return f"certified error: not verified (--no-verify){wanted}"
    if c.certified_error == 0:
        return "certified error: 0 (exact)"
    return f"certified error: <= {decimal_upper(c.certified_error)}{wanted}"


def _float_line(bound: Mapping[str, Any] | None) -> str:
    if bound is None:
        return "float evaluation: no bound (an unbounded domain)"
    relative = "" if bound["relative"] is None else (
        f" (relative {bound['relative']} of the output scale {bound['output_scale']})")
    # Files written before the bound could be taken over pieces have no "pieces".
    over = pieces_words(bound.get("pieces", 1))
    return (f"float evaluation: float64 within {bound['absolute']}{relative}, float32 within "
            f"{bound['float32_absolute']} of the exact values on the domain (proved bound"
            f"{over})")


def _candidates(candidates: Mapping[str, Any], chosen_by: str) -> list[str]:
    lines = [f"candidates (chosen by {chosen_by}):"]
    for name, facts in candidates.items():
        if "unavailable" in facts:
            lines.append(f"  {name}: unavailable ({facts['unavailable']})")
            continue
        size = (f"{facts['pieces']} pieces" if "pieces" in facts else
                f"degree {facts['degree']} in t, {facts['expansion']}")
        error = decimal_upper(Fraction(facts["certified_error"]))
        lines.append(f"  {name}: dense {facts['params']['dense']}, nonzero "
                     f"{facts['params']['nonzero']}; certified error <= {error}; {size}")
    return lines


def _least(details: Mapping[str, Any]) -> str:
    """The proved least number of neurons of any network for the target, where known."""
    least = details.get("neurons_at_least")
    if least is None:
        return ""
    return f" (any network needs >= {least['neurons']}: {least['why']})"


def construction_report(c: Construction) -> str:
    """What ``construct`` and ``radial`` print for a construction of either family.

    >>> from quadtheory import construct, relu_construct
    >>> print(construction_report(construct("x*y + 1", domain=(0, 1))))  # doctest: +ELLIPSIS
    target: x*y + 1
    family: quadratic (lean); hidden relu, output identity
    region: x in [0, 1], y in [0, 1]
    certified error: 0 (exact)
    params: dense 9 (every weight and bias), nonzero 3 (nonzero entries)
    depth: 1
    widths: 1
    neurons: 1 (any network needs >= 1: its output)
    plan: expanded: shared monomial products
    float evaluation: float64 within 1.67e-16 (relative 8.33e-17 of the output scale 2), ...
    baseline (each monomial its own product tree, nothing shared):
      params: dense 11, nonzero 4; depth 2; widths 1, 1
      saving: dense 2 (18.2%), nonzero 1 (25.0%)
    certificate: holds (symbolic proof, ... s): network == x*y + 1 exactly on [0, 1] x [0, 1]
      - outputs equal the target as polynomials over QQ ...
    >>> print(construction_report(relu_construct("x**2", "1/100")))  # doctest: +ELLIPSIS
    target: x**2
    family: relu (Yarotsky sawtooth squares, polarised products, product trees)
    region: x in [-1, 1]
    certified error: <= 0.00782 (eps 0.01)
    params: dense 27 (every weight and bias), nonzero 23 (nonzero entries)
    ...
    """
    if not isinstance(c, Construction):
        raise QuadTheoryError(f"c: expected a Construction (from construct, radial...), found "
                              f"{type(c).__name__}")
    net = c.network
    details = c.details
    if isinstance(c.region, Ball):
        target = f"G(r) = {c.target}, f(x) = G(‖x − c‖)"
        region = (f"the ball {c.region} (domain: its bounding box "
                  f"{domain_text(net.inputs, net.domain)})")
    else:
        target = c.target
        region = domain_text(net.inputs, c.region)
    family = f"{c.family} ({c.method})" if c.method else c.family
    if "activation" in details:
        family += f"; hidden {details['activation']}, output identity"
    if details.get("all_quadratic"):
        family += "; counted all-quadratic"
    lines = [f"target: {target}", f"family: {family}", f"region: {region}", _error_line(c),
             f"params: dense {net.params.dense} (every weight and bias), nonzero "
             f"{net.params.nonzero} (nonzero entries)",
             f"depth: {net.depth}", f"widths: {', '.join(map(str, net.widths))}",
             f"neurons: {net.neurons}{_least(details)}"]  # as info prints it: the paper's count
    if "plan" in details:
        # Within the best float tier: T_117's 15-neuron plan is proved only to 1.25e-12,
        # so its 20-neuron plan (9.8e-13) is the one chosen; the words must not hide that.
        chosen = " (chosen for the fewest neurons in the best float tier)" \
            if details.get("objective") == "neurons" else ""
        lines.append(f"plan: {details['plan']}{chosen}")
    lines.append(_float_line(details.get("float64_error_bound")))
    if c.baseline is not None:
        base = c.baseline
        lines += [f"baseline ({base.description}):",
                  f"  params: dense {base.params.dense}, nonzero {base.params.nonzero}; depth "
                  f"{base.depth}; widths {', '.join(map(str, base.widths))}",
                  f"  saving: dense {_saving(net.params.dense, base.params.dense)}, nonzero "
                  f"{_saving(net.params.nonzero, base.params.nonzero)}"]
    elif c.family == "quadratic" and "naive_params" in details:
        lines += ["baseline (each monomial its own product tree, nothing shared): none, it "
                  "would pass a value of both signs through relu on R^n"]
    if "candidates" in details:
        lines += _candidates(details["candidates"], details.get("chosen_by", ""))
    if "theorem" in details:
        lines += theorem_lines(details)
    lines += certificate_lines(None if c.certificate is None else c.certificate.as_dict())
    return "\n".join(lines)


# -- approximation theorems -------------------------------------------------------------------

def _upper(text: str) -> str:
    return decimal_upper(Fraction(text))


def theorem_lines(details: Mapping[str, Any]) -> list[str]:
    """The lines of a real-space (Taylor) or manifold construction: the theorem, the chosen
    smoothness and grid, the error budget and the closed-form counts.

    >>> for line in theorem_lines({"theorem": "Yarotsky 2017, Thm 1", "smoothness": 2,
    ...         "grid": 8, "cells": 9, "sawtooth_levels": 0, "chosen_by": "given",
    ...         "taylor_error": "1/200", "rounding_error": "1/10000", "product_error": "0",
    ...         "closed_form_params": {"dense": 530, "nonzero": 95}, "vanishing_entries": 0}):
    ...     print(line)
    theorem: Yarotsky 2017, Thm 1
    smoothness n = 2, grid N = 8 (9 cells); n given
    error budget: Taylor remainder <= 0.005, coefficient rounding <= 0.0001
    closed form: dense 530, nonzero 95 (equal to this network's counts; 0 entries vanished)
    """
    lines = [f"theorem: {details['theorem']}"]
    if "manifold" in details:
        m = details["manifold"]
        lines.append(f"manifold: {m['name']} (d = {m['dim']}) in R^{m['ambient']}, "
                     f"{m['charts']} charts; chart parameter domain {m['chart_domain']}")
    chosen = details.get("chosen_by", "")
    lines.append(f"smoothness n = {details['smoothness']}, grid N = {details['grid']} "
                 f"({details['cells']} cells{' per chart' if 'manifold' in details else ''}); "
                 + ("n given" if chosen.startswith("given") else f"n chosen by {chosen}"))
    for order, facts in details.get("orders", {}).items():
        if "unavailable" in facts:
            lines.append(f"  n = {order}: unavailable ({facts['unavailable']})")
        else:
            lines.append(f"  n = {order}: N = {facts['grid']}, dense {facts['dense']}, nonzero "
                         f"{facts['nonzero']} (closed form)")
    budget = (f"error budget: Taylor remainder <= {_upper(details['taylor_error'])}, "
              f"coefficient rounding <= {_upper(details['rounding_error'])}")
    if details.get("sawtooth_levels"):
        budget += (f", approximate products <= {_upper(details['product_error'])} "
                   f"({details['sawtooth_levels']} sawtooth levels per square)")
    if "partition_error" in details:
        budget += f", partition of unity <= {_upper(details['partition_error'])}"
    lines.append(budget)
    if "closed_form_params" in details:
        closed = details["closed_form_params"]
        lines.append(f"closed form: dense {closed['dense']}, nonzero {closed['nonzero']} (equal "
                     f"to this network's counts; {details['vanishing_entries']} entries "
                     "vanished)")
    return lines


def rates_report(rates: Any, fit: bool = False) -> str:
    """What ``compare --method taylor`` prints: the rows, and the fitted slopes.

    >>> from quadtheory import taylor_rates
    >>> print(rates_report(taylor_rates("exp(x)", ["1e-2", "1e-4"], domain="0:1",
    ...                                 smoothness=2), fit=True))  # doctest: +ELLIPSIS
    target: exp(x) on x in [0, 1] (d = 1), smoothness n = 2
    counts: dense/nonzero, closed form for the target's proved derivative bounds ...
    eps      N  quadratic   q error  L           relu  relu error  lower bound  relu/q  ...
    0.01     8     530/95   0.00951  5     18019/1135     0.00899        2/3/6   11.95  ...
    0.0001  79  38799/876  9.73e-05  8  2357263/14737    9.68e-05       5/6/12   16.82  ...
    fit of log(nonzero) against log(1/eps): quadratic 0.4824, relu 0.5567, theory d/n = 1/2
    ReLU/quadratic nonzero ratio against log2(1/eps): slope 0.734; increasing: yes
    """
    if not all(hasattr(rates, name) for name in ("target", "rows", "order")):
        raise QuadTheoryError(f"rates: expected the result of taylor_rates, found "
                              f"{type(rates).__name__}")
    lines = [f"target: {rates.target} on {rates.region} (d = {rates.dim}), smoothness n = "
             f"{rates.order}",
             "counts: dense/nonzero, closed form for the target's proved derivative bounds "
             "(equal to the built networks'); errors: certified by the design; lower bound: "
             "hidden neurons/nonzero weights/dense params of any ReLU network",
             rates.table()]
    if fit:
        f = rates.fit()
        lines += [f"fit of log(nonzero) against log(1/eps): quadratic {f.quadratic:.4f}, relu "
                  f"{f.relu:.4f}, theory d/n = {f.theory}",
                  f"ReLU/quadratic nonzero ratio against log2(1/eps): slope "
                  f"{f.ratio_slope:.3f}; increasing: {'yes' if f.ratio_increasing else 'no'}"]
    return "\n".join(lines)


# -- lower bounds -------------------------------------------------------------------------------

def _nonzero_line(bound: ReluLowerBound) -> str:
    if bound.min_neurons == 0:
        return (f"  nonzero weights: >= {bound.min_nonzero} (one linear piece may do: an affine "
                "map, with no hidden neuron, is not excluded)")
    return (f"  nonzero weights: >= {bound.min_nonzero} (one into each of {bound.min_neurons} "
            f"neuron{'s' if bound.min_neurons > 1 else ''}, one into the output)")


def _short(text: str) -> str:
    """An exact rational, with its decimal value when the fraction is long."""
    if len(text) <= 12:
        return text
    num, _, den = text.partition("/")
    return f"{int(num) / int(den):.6g} (exactly {text})"


def bounds_report(bound: ReluLowerBound) -> str:
    """What ``bounds`` prints.

    >>> from quadtheory import bounds
    >>> print(bounds_report(bounds("x**2", "1/100", depth=[1, 3])))
    target: x**2 on box [-1, 1]
    eps: 1/100
    segment: (-1) -> (1), h^2 = 4; |second derivative| >= kappa = 2 along it (exact)
    any ReLU network within eps needs (error >= kappa*h^2/(16*k^2) with k pieces):
      linear pieces on the segment: >= 8
      hidden neurons: >= 3 (at most 2^N pieces with N neurons)
      nonzero weights: >= 4 (one into each of 3 neurons, one into the output)
      dense params per hidden depth (widths m with prod(m_i + 1) >= 8, 1 input, 1 output):
        depth  min dense  widths
            1         22  7
            3          8  1, 1, 1
      best: depth 3, 8 dense params
    """
    data = bound.as_dict()
    p, q = (", ".join(point) for point in data["segment"])
    how = "exact" if bound.kappa_exact else "certified lower bound"
    table = format_table(["depth", "min dense", "widths"],
                         [[d, v, ", ".join(map(str, bound.widths[d])) or "none (affine)"]
                          for d, v in bound.min_params_dense.items()], right=[0, 1])
    inputs = f"{len(bound.inputs)} input{'s' if len(bound.inputs) > 1 else ''}"
    return "\n".join([
        f"target: {bound.target} on {bound.region}",
        f"eps: {format_rational(bound.eps)}",
        f"segment: ({p}) -> ({q}), h^2 = {data['h_squared']}; |second derivative| >= kappa "
        f"= {_short(data['kappa'])} along it ({how})",
        "any ReLU network within eps needs (error >= kappa*h^2/(16*k^2) with k pieces):",
        f"  linear pieces on the segment: >= {bound.pieces_needed}",
        f"  hidden neurons: >= {bound.min_neurons} (at most 2^N pieces with N neurons)",
        _nonzero_line(bound),
        f"  dense params per hidden depth (widths m with prod(m_i + 1) >= "
        f"{bound.pieces_needed}, {inputs}, 1 output):",
        *("    " + line for line in table.splitlines()),
        f"  best: depth {bound.best_depth}, {bound.best_dense} dense params",
    ])
