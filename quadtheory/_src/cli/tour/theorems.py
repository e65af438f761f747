"""The tour's section on the approximation theorems: real space and manifolds, both families.

Real space (Yarotsky 2017, arXiv:1610.01145, Thm 1): ``f ≈ Σ_m φ_m P_m`` with a partition of
unity of trapezoids and local Taylor polynomials; a quadratic network multiplies exactly, a
ReLU network pays ``log(1/ε)`` sawtooth levels per product. Manifolds (Chen, Jiang, Liao,
Zhao 2019, arXiv:1908.01842): charts from ``‖x − c_i‖²``, one quadratic neuron each, so only
``3D + 3`` dense params a chart see the ambient dimension D. Every network here is built and
certified; the rates come from the closed forms, equal to the built networks' counts.
"""

from __future__ import annotations

import textwrap
import time

from ...core.text import format_table
from ...exact.certificate import Certificate
from ...theorems.manifold import manifold_construct
from ...theorems.rates import taylor_rates
from ...theorems.taylor import taylor_construct
from .block import Block

REAL_SPACE = ("exp(x)*cos(2*x)", ("x",), "0:1", "1e-2", 3)
RATE_EPS = ("1e-2", "1e-3", "1e-4", "1e-5", "1e-6")
MANIFOLD = ("x1*x2 + x3", "circle", (3, 32), "1e-2")


def rates_table() -> tuple[str, float, float]:
    """The closed-form rates of sin(x)*exp(y) on [0, 1]², n = 3, and the fitted slopes.

    >>> table, quadratic, relu = rates_table()
    >>> table.splitlines()[0].split(), round(quadratic, 3), round(relu, 3)
    (['eps', 'N', 'quadratic', 'nonzero', 'L', 'relu', 'nonzero', 'relu/q'], 0.615, 0.681)
    """
    rates = taylor_rates("sin(x)*exp(y)", list(RATE_EPS), ["x", "y"], "0:1", 3,
                         lower_bounds=False)
    fit = rates.fit()
    rows = [[f"{float(r.eps):.0e}", r.quadratic.n_grid, r.quadratic.params.nonzero,
             r.relu.levels, r.relu.params.nonzero, f"{r.ratio:.1f}"] for r in rates.rows]
    table = format_table(["eps", "N", "quadratic nonzero", "L", "relu nonzero", "relu/q"],
                         rows, right=[1, 2, 3, 4, 5])
    return table, fit.quadratic, fit.relu


def tour_section() -> Block:
    """Built networks (real space, both families; a circle in R^3 and R^32), the rates of
    :func:`rates_table`, every network certified (about 3 s: run by ``quadtheory tour``)."""
    start = time.perf_counter()
    target, names, domain, eps, order = REAL_SPACE
    rows, certificates = [], []
    for family in ("quadratic", "relu"):
        net = taylor_construct(target, names, domain, eps, smoothness=order, family=family)
        certificates.append(net.certificate)
        rows.append([family, net.details["grid"], net.details["sawtooth_levels"],
                     net.params.dense, net.params.nonzero, float(net.certified_error),
                     net.certificate.details["observed_max_error"]])
    built = format_table(["family", "N", "L", "dense", "nonzero", "certified", "observed"],
                         [[r[0], r[1], r[2], r[3], r[4], f"{r[5]:.3g}", r[6]] for r in rows],
                         right=[1, 2, 3, 4, 5, 6])
    rate_table, slope_q, slope_relu = rates_table()
    on_manifold, manifold, dims, manifold_eps = MANIFOLD
    charts = []
    for ambient in dims:
        net = manifold_construct(on_manifold, manifold, ambient, manifold_eps)
        certificates.append(net.certificate)
        charts.append([ambient, net.params.dense, net.params.nonzero,
                       float(net.certified_error)])
    slope = (charts[-1][1] - charts[0][1]) / (dims[-1] - dims[0])
    chart_table = format_table(["D", "dense", "nonzero", "certified"],
                               [[a, b, c, f"{e:.3g}"] for a, b, c, e in charts],
                               right=[0, 1, 2, 3])
    note = textwrap.fill(
        f"Real space: {target} on [0, 1], n = {order}, eps = {eps}; every certificate is a "
        "symbolic proof by construction (derivative bounds by interval arithmetic, Taylor "
        "remainder, coefficient rounding, for ReLU the approximate-product budget) with the "
        "error observed on a dense sample beside it. Rates of sin(x)*exp(y) on [0, 1]^2 at "
        f"n = 3 (closed forms): fitted slope of log(nonzero) against log(1/eps) "
        f"{slope_q:.3f} (quadratic) and {slope_relu:.3f} (ReLU) against d/n = 2/3; the "
        f"ReLU/quadratic ratio grows with log(1/eps). {on_manifold} on a circle in R^D (4 "
        f"charts, eps = {manifold_eps}): only the distance neurons read x, {slope:g} dense "
        "params per dimension = 3 per chart.", 100)
    text = "\n".join([
        "Approximation theorems, both families: real space and manifolds (construct --eps, "
        "compare --method taylor)", "", built, "", rate_table, "", chart_table, "", note,
        f"(built and certified in {time.perf_counter() - start:.1f} s)"])
    return Block(text, tuple(c for c in certificates if isinstance(c, Certificate)))
