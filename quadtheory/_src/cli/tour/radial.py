"""The tour's section on ``radial``: G(‖x − c‖) by one norm neuron, params linear in D.

One quadratic neuron computes ``t = ‖x − c‖²`` exactly; everything after it sees only ``t``,
so a dimension costs 3 dense parameters (its ``w_r``, ``w_g``, ``w_b`` columns), where depth-2
ReLU networks need exponentially many neurons in D for some radial functions (Eldan & Shamir
2016, arXiv:1512.03965). Every row is certified: an exact identity, or a proved sup error on
the ball with the largest error observed on a sample beside it.
"""

from __future__ import annotations

import textwrap
import time
from typing import Any

from ...core.numbers import decimal_upper
from ...core.text import format_table
from ...quadratic.radial import radial

# (G, eps, dimensions): a polynomial in r² (exact) and a Gaussian (certified within eps).
CASES = (("(1 - r**2)**2", None, (2, 8)), ("exp(-r**2)", "1/1000", (2, 8)))


def tour_rows() -> tuple[list[list[object]], dict[str, Any]]:
    """One row per (G, D): method, certified error, observed error, counts, certificate; and
    the candidates ``radial`` weighed for the approximated G.

    >>> rows, _ = tour_rows()
    >>> [(row[1], row[5], row[6]) for row in rows]   # D, dense, nonzero: + 3, + 1 per D
    [(2, 15, 6), (8, 33, 12), (2, 30, 11), (8, 48, 17)]
    """
    rows, candidates = [], {}
    for g, eps, dims in CASES:
        for dim in dims:
            net = radial(g, dim, eps=eps)
            meta, cert = net.meta, net.meta["certificate"]
            observed = cert.get("details", {}).get("observed_max_error", "0")
            rows.append([g, dim, meta["method"], "0" if not net.certified_error
                         else "<= " + decimal_upper(net.certified_error),
                         observed[:9] if "bound" in cert.get("details", {}) else "-",
                         net.params.dense, net.params.nonzero,
                         ",".join(map(str, net.widths)), "yes" if cert["holds"] else "NO"])
            candidates.update(meta.get("candidates", {}))
    return rows, candidates


def tour_section() -> str:
    """The section's text: the table, how to read it, and the piecewise-linear alternative.

    >>> print(tour_section().splitlines()[0])
    Radial functions G(‖x‖) on the unit ball: one norm neuron, params linear in D (radial)
    """
    start = time.perf_counter()
    rows, candidates = tour_rows()
    table = format_table(["G(r)", "D", "method", "certified error", "observed", "dense",
                          "nonzero", "widths", "holds"], rows, right=[1, 5, 6])
    relu = candidates["piecewise linear"]
    note = textwrap.fill(
        "One quadratic neuron computes t = ‖x‖² (w_b = 1); the layers after it see only t, "
        "so each dimension adds 3 dense / 1 nonzero parameters and nothing else depends on D. "
        "(1 − r²)² is a polynomial in r²: exact, proved on the bounding box. exp(−r²) is "
        "approximated in t with a proved sup error ≤ eps: by the Taylor polynomial (an exact "
        "quadratic network) or by relu pieces, whichever has fewer nonzero parameters; here "
        f"for D = 8 the relu interpolant would take {relu['pieces']} pieces and "
        f"{relu['params']['nonzero']} nonzero parameters. 'observed': the largest error on "
        "2000 sampled points (evidence, not proof).", 100)
    return "\n".join([
        "Radial functions G(‖x‖) on the unit ball: one norm neuron, params linear in D "
        "(radial)", "", table, "", note,
        f"(built and certified in {time.perf_counter() - start:.1f} s)"])
