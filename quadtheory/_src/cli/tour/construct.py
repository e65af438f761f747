"""The tour's section on ``construct``: lean against naive for a few polynomials, proved.

Each polynomial is built twice, lean (every monomial and sub-product computed once, shared,
balanced product trees) and naive (each monomial its own product tree), both exact relu
networks on ``[-1, 1]^n``; the lean one is proved equal to the polynomial
(:func:`quadtheory.verify`) before it is counted.
"""

from __future__ import annotations

import textwrap

from ...core.network import Network
from ...core.text import format_table
from ...exact.certificate import Certificate
from ...quadratic.construct import construct
from .block import Block

TARGETS = (  # (label, polynomial)
    ("x*y*z*w", "x*y*z*w"),
    ("x^3*y - 2*x*y + 1/2", "x^3*y - 2*x*y + 1/2"),
    ("Chebyshev T_8(x)", "128*x^8 - 256*x^6 + 160*x^4 - 32*x^2 + 1"),
    ("(1 + x + y)^4", "(1 + x + y)^4"),
    ("(1 + x + y + z)^5", "(1 + x + y + z)^5"),
)


def _certificate(network: Network) -> Certificate:
    data = network.meta["certificate"]
    return Certificate(data["statement"], data["level"], data["holds"], tuple(data["checks"]),
                       data["seconds"], data.get("details", {}))


def _percent(lean: int, naive: int) -> str:
    return f"{100 * (naive - lean) / naive:.0f}%"


def tour_rows() -> tuple[list[list[object]], tuple[Certificate, ...]]:
    """The table's rows and the certificates they rest on.

    >>> rows, certificates = tour_rows()
    >>> rows[0][:5], all(certificates)   # depth 2 = ⌈log2 4⌉: the output multiplies
    (['x*y*z*w', 2, '2,1', 39, 10], True)
    """
    rows, certificates = [], []
    for label, target in TARGETS:
        net = construct(target)
        meta = net.meta
        naive = meta["naive_params"]
        rows.append([label, net.depth, ",".join(map(str, net.widths)), net.params.dense,
                     net.params.nonzero, meta["naive_depth"], naive["dense"], naive["nonzero"],
                     f"{_percent(net.params.dense, naive['dense'])}/"
                     f"{_percent(net.params.nonzero, naive['nonzero'])}",
                     "yes" if meta["certificate"]["holds"] else "NO"])
        certificates.append(_certificate(net))
    return rows, tuple(certificates)


def _text(rows: list[list[object]]) -> str:
    table = format_table(
        ["target", "depth", "widths", "dense", "nonzero", "| naive depth", "dense",
         "nonzero", "saved", "exact"], rows, right=[1, 3, 4, 5, 6, 7, 8])
    note = textwrap.fill(
        "Lean: every monomial and sub-product is one neuron, computed once and shared; "
        "balanced product trees give depth <= ceil(log2 d) + 1; terms flow up one "
        "accumulator per layer; relu passes signed values exactly, shifted by proven "
        "interval bounds. Naive: each monomial its own product tree. Both are exact relu "
        "networks on [-1, 1]^n; no parameter count depends on an accuracy ε. Saved: dense/"
        "nonzero.", 100)
    return "\n".join(["Polynomials, exactly: lean against naive (quadtheory construct)", "",
                      table, "", note])


def tour_section() -> str:
    """The section's text: the lean-vs-naive table and how to read it.

    >>> print(tour_section().splitlines()[0])
    Polynomials, exactly: lean against naive (quadtheory construct)
    """
    return _text(tour_rows()[0])


def tour_block():
    """The section as a :class:`quadtheory._src.cli.tour.block.Block` (text and certificates), for
    ``quadtheory tour``'s SECTIONS.

    >>> tour_block().holds
    True
    """
    rows, certificates = tour_rows()
    return Block(_text(rows), certificates)
