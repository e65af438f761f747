"""The ``crosscheck`` section of ``quadtheory tour``: trained networks against the theory.

A few small networks trained on ``x²`` on [-1, 1] with the cross-check's loop (Adam, cosine
schedule, float64, fixed seeds), read back exactly: the conventional ones are checked against
the ReLU lower bound at their own exact error (Yarotsky 2017, arXiv:1610.01145), and the exact
quadratic construction (Fan et al., arXiv:2303.06316) is trained from its own weights. The
full study is ``quadtheory crosscheck x**2``.
"""

from __future__ import annotations

import time

from ...core.text import format_table
from ...crosscheck.cells import NEAR_ZERO_RMSE, Cell, Setup, run_cell
from ...exact.certificate import Certificate
from .block import Block

STEPS = 300
CELLS = (
    Cell("construction", "quadratic", 0, 0, 0, "construction"),
    Cell("sweep", "quadratic", 1, 4, 0, "relinear"),
    Cell("sweep", "conventional", 1, 8, 0, "default"),
    Cell("sweep", "conventional", 2, 4, 0, "default"),
)


def tour_section() -> str:
    """The table of a few trained networks on ``x²``, checked against the lower bound.

    >>> text = tour_section()
    >>> text.splitlines()[0], "no trained network beats the lower bound" in text
    ('Training, cross-checked: x² on [-1, 1]', True)
    """
    return tour_block().text


def tour_block() -> Block:
    """The section with its certificate: no trained conventional network in the table beats
    the lower bound, each checked exactly (its pieces and sup error read back exactly), so
    the level is exhaustive over that stated finite set."""
    start = time.perf_counter()
    setup = Setup("x**2", steps=STEPS)
    rows, violations, kept = [], 0, True
    for cell in CELLS:
        record = run_cell(setup, cell)
        bound = record["bound"]
        violations += bool(bound and bound["violations"])
        if cell.kind == "construction":
            kept = record["test_rmse"] <= NEAR_ZERO_RMSE
        name = "construction (exact)" if cell.kind == "construction" else (
            f"{cell.family}, {cell.depth}x{cell.width}")
        rows.append([name, "-".join(map(str, record["widths"])), record["params"],
                     f"{record['test_rmse']:.2e}",
                     f"{record['sup_error']:.2e} ({record['sup_error_method'].split(' (')[0]})",
                     "-" if bound is None else f"{bound['pieces']} / {bound['pieces_needed']}",
                     "-" if bound is None else ("VIOLATION" if bound["violations"] else "ok")])
    table = format_table(["network", "widths", "dense", "test RMSE", "sup error",
                          "pieces/needed", "bound"], rows, right=[2])
    verdict = ("no trained network beats the lower bound" if not violations else
               f"{violations} VIOLATION(S) of the lower bound: a bug in a bound or in the code")
    construction = ("the construction keeps its zero loss" if kept else
                    "the construction DRIFTS from its zero loss under training")
    checked = sum(cell.family == "conventional" for cell in CELLS)
    certificate = Certificate(
        "no trained conventional network in the tour table beats the ReLU lower bound",
        "exhaustive", not violations,
        (f"{checked} trained conventional networks, each with exact pieces and sup error "
         "against the pieces its own error requires",), time.perf_counter() - start)
    return Block("\n".join([
        "Training, cross-checked: x² on [-1, 1]", "",
        f"Adam, cosine schedule, {STEPS} steps, float64; each trained network is read back "
        "exactly. A ReLU",
        "network with error ε along a segment needs k(ε) linear pieces there (κh²/(16k²) ≤ ε): "
        "trained ones",
        "must have them.", "", table, "",
        f"{verdict}; {construction} ({time.perf_counter() - start:.1f} s)."]), (certificate,))
