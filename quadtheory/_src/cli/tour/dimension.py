"""The tour's section on separation and dimension: clusters separated by quadratic ball
neurons (Noel & Muthiah-Nakarajan 2023, arXiv:2310.02901), certified exactly over the points,
and the quadratic class whose Barron-type norm does not grow with D (Fan et al. 2023,
arXiv:2303.06316; Barron 1993). The statements with their proofs and citations are
``proofs/radial_separation.py`` and ``proofs/barron_dimension_free.py``; the training studies
``quadtheory study radial|barron``.
"""

from __future__ import annotations

import textwrap
import time

from ...core.text import format_table
from ...exact.certificate import Certificate
from ...studies.clusters import cluster_points
from ...studies.separation import separate
from ...studies.targets import barron_target
from .block import WIDTH, Block

DIMS = (2, 16, 256)


def tour_block() -> Block:
    """The section: a separation table and the Barron-class counts, with their certificates.

    >>> block = tour_block()
    >>> block.text.splitlines()[0], block.holds, len(block.certificates)
    ('Separation and dimension: balls around clusters, a norm that ignores D', True, 2)
    """
    start = time.perf_counter()
    sep = separate(cluster_points("nested", 3, 2, points=12))
    rows = []
    for c in sep.clusters:
        ball = c.ball or c.fallback.balls[0]
        rows.append([c.cluster, c.size, "ball" if c.ball else "no ball: " + (
            "proved (a point of another cluster in its convex hull)" if c.proof else "none found"),
            ", ".join(f"{float(v):g}" for v in ball.centre), str(ball.radius)])
    table = format_table(["cluster", "points", "one ball?", "centre", "radius"], rows,
                         right=[1])
    counts, worst = [], 0.0
    for dim in DIMS:
        f = barron_target(dim)
        moment = max(f.second_moment(k) / f.scale[k] ** 2 for k in range(f.neurons))
        worst = max(worst, float(moment))
        counts.append([dim, f.neurons, f.network().params.dense, f"{float(moment):.4f}"])
    barron = format_table(["D", "neurons K", "dense params", "max E[(q_k/s_k)^2]"], counts,
                          right=[0, 1, 2])
    moments = Certificate(
        "every neuron of the Barron-class targets has E[(q_k/s_k)^2] <= 1 under N(0, I_D)",
        "symbolic proof", worst <= 1,
        (f"Isserlis' formula in exact rationals, D = {', '.join(map(str, DIMS))}",), 0.0)
    net = sep.network
    note = textwrap.fill(
        "One quadratic neuron r² − ‖x − c‖² per cluster, centre and radius exact rationals, "
        "checked exactly at every point. The shell b holds the core a in its convex hull, so "
        "no ball holds b alone (proved by an exact convex combination); a second layer "
        f"(relu(ball around both) − w·relu(ball a)) separates it: widths "
        f"{'-'.join(map(str, [2, *net.widths]))}, {net.params.dense} dense params. Below, "
        "targets f = (1/K) Σ a_k relu(q_k/s_k) with a_k = ±1: K quadratic neurons compute f "
        "exactly, and its Barron-type norm is 1 in every D, so k sampled neurons are within "
        "1/√k in L²(N(0, I)) (Maurey's lemma, Barron 1993: cited, and checked by Monte Carlo "
        "in proofs/barron_dimension_free.py).", WIDTH)
    return Block("\n".join([
        "Separation and dimension: balls around clusters, a norm that ignores D", "",
        table, "", f"certificate: {'holds' if sep.certificate.holds else 'FAILS'} "
        f"({sep.certificate.level}): {sep.certificate.statement}", "", barron, "", note,
        f"(built and checked in {time.perf_counter() - start:.1f} s; the training studies: "
        "quadtheory study radial|barron)"]), (sep.certificate, moments))
