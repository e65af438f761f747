"""The content of ``quadtheory tour``: the claims of the paper, built and proved on the spot.

Fan, Dong, Wu, Ruan, Zeng, Cui, Liao, "One Neuron Saved Is One Neuron Earned: On Parametric
Efficiency of Quadratic Networks" (2023): a quadratic neuron represents squares, products and
``‖x‖²`` exactly, which a conventional ReLU network (piecewise linear) never does; ReLU
networks approximate ``x²`` to error ε with O(log 1/ε) neurons (Yarotsky 2017,
arXiv:1610.01145).

The tour is :data:`SECTIONS`, a tuple of functions run in order; each returns a
:class:`Block`, its text and the certificates behind it. Later parts of quadtheory add a
section by appending a function. ``quadtheory tour`` fails unless every certificate holds.
"""

from __future__ import annotations

import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass

from ...core.compose import readout
from ...core.layers import quadratic_layer
from ...core.network import Network
from ...exact.certificate import Certificate
from ...exact.verify import verify
from ..main import format_table

WIDTH = 100  # wrap prose at the width of the tables


@dataclass(frozen=True)
class Block:
    """One section of the tour: the text printed, the certificates its claims rest on.

    >>> Block("hello").holds
    True
    """

    text: str
    certificates: tuple[Certificate, ...] = ()

    @property
    def holds(self) -> bool:
        return all(self.certificates)


@dataclass(frozen=True)
class Example:
    """A network built by hand, the polynomial it computes, and how conventional neurons
    fare on the same target."""

    target: str
    network: Network
    conventional: str


def _square() -> Example:
    # relu(x·x): the pre-activation is a square, so relu is the identity on all of R.
    net = Network(("x",), (quadratic_layer([[1]], w_g=[[1]]),), domain=[[-1, 1]])
    return Example("x**2", net, "no finite ReLU network computes x² exactly (ReLU networks are "
                   "piecewise linear); error ε on [-1, 1] costs O(log 1/ε) ReLU neurons "
                   "(Yarotsky 2017)")


def _product_identity() -> Example:
    net = Network(("x", "y"), (quadratic_layer([[1, 0]], w_g=[[0, 1]], activation="identity"),))
    return Example("x*y", net, "no conventional network with identity activation computes xy "
                   "(it is affine), nor does any finite ReLU network (piecewise linear)")


def _product_relu() -> Example:
    # xy = ((x+y)² - (x-y)²)/4: both squares are >= 0, so their relu neurons are exact and
    # the proof needs no case split (relu(xy) - relu(-xy) is exact too, but changes sign).
    squares = quadratic_layer([[1, 1], [1, -1]], w_g=[[1, 1], [1, -1]])
    net = readout(Network(("x", "y"), (squares,), domain=[[-1, 1], [-1, 1]]),
                  [["1/4", "-1/4"]])
    return Example("x*y", net, "xy = ((x+y)²-(x-y)²)/4; ReLU networks only approximate xy, "
                   "error ε on [-1, 1]² costing O(log 1/ε) neurons (Yarotsky 2017)")


def _norm_squared() -> Example:
    net = Network(("x1", "x2", "x3"), (quadratic_layer([[0, 0, 0]], w_b=[[1, 1, 1]]),),
                  domain=[[-1, 1]] * 3)
    return Example("x1**2 + x2**2 + x3**2", net,
                   "no finite ReLU network computes ‖x‖² exactly; some radial functions need "
                   "exponentially many neurons in the dimension to be approximated by depth-2 "
                   "networks (Eldan & Shamir 2016, arXiv:1512.03965)")


EXAMPLES: tuple[Callable[[], Example], ...] = (
    _square, _product_identity, _product_relu, _norm_squared)


def _domain(network: Network) -> str:
    if network.domain is None:
        return f"R^{network.n_inputs}"
    sides = [f"[{lo},{hi}]" for lo, hi in network.domain]
    if len(set(sides)) > 1:
        return " x ".join(sides)
    return sides[0] + ("" if len(sides) == 1 else f"^{len(sides)}")


def _neurons(network: Network) -> str:
    counts = []
    for layer in network.layers:
        plural = "s" if layer.out_features > 1 else ""
        counts.append(f"{layer.out_features} {layer.kind} {layer.activation} neuron{plural}")
    return " + ".join(counts) + f" ({network.params.dense} dense params)"


def introduction() -> Block:
    """What a quadratic neuron is and how parameters are counted.

    >>> print(introduction().text.splitlines()[0])
    quadtheory tour: exact quadratic networks, certified
    """
    return Block("\n".join([
        "quadtheory tour: exact quadratic networks, certified",
        "",
        "A quadratic neuron (Fan et al.) computes act((w_r·x + b_r)(w_g·x + b_g) + w_b·(x⊙x) + c):",
        "3n+3 parameters for n inputs, against n+1 for a conventional neuron act(w·x + b).",
        "Counts: dense = every weight and bias of the architecture (what torch holds);",
        "nonzero = the nonzero entries among them (the count approximation theory uses).",
    ]))


def exact_products() -> Block:
    """Squares, products and ‖x‖², each built by hand and proved exactly on its domain.

    >>> block = exact_products()
    >>> block.holds, len(block.certificates)
    (True, 4)
    """
    examples = [make() for make in EXAMPLES]
    certificates = tuple(verify(ex.network, ex.target) for ex in examples)
    rows = []
    for ex, cert in zip(examples, certificates, strict=True):
        net = ex.network
        rows.append([ex.target, "/".join(dict.fromkeys(layer.activation for layer in net.layers)),
                     _domain(net), net.params.dense, net.params.nonzero, net.depth,
                     ",".join(map(str, net.widths)), cert.level,
                     "yes" if cert.holds else "NO", f"{cert.seconds * 1000:.1f} ms"])
    table = format_table(["target", "activation", "domain", "dense", "nonzero", "depth",
                          "widths", "certificate", "holds", "time"], rows, right=[3, 4, 5])
    notes = [textwrap.fill(f"{ex.target} with {_neurons(ex.network)}: {ex.conventional}.",
                           WIDTH, initial_indent="- ", subsequent_indent="  ")
             for ex in examples]
    return Block("\n".join(["Squares and products, exactly (certificate: proof on the domain)",
                            "", table, "", "Against conventional neurons:", *notes]),
                 certificates)


def polynomials() -> Block:
    """Lean vs naive exact networks for a few polynomials (issue: constructions)."""
    from .construct import tour_block

    return tour_block()


def radial_functions() -> Block:
    """Radial targets: params linear in the dimension. Every network there is certified
    when it is built (``radial`` raises rather than return an uncertified network)."""
    from .radial import tour_section

    return Block(tour_section())


def quadratic_vs_relu() -> Block:
    """The paper's claim as numbers: quadratic params constant in ε, ReLU's growing, and the
    lower bound for any ReLU network."""
    from .compare import tour_section

    return Block(tour_section())


def training_cross_check() -> Block:
    """A small training cross-check: trained networks against the proven bounds."""
    from .crosscheck import tour_block

    return tour_block()


SECTIONS: tuple[Callable[[], Block], ...] = (
    introduction, exact_products, polynomials, radial_functions, quadratic_vs_relu,
    training_cross_check)


def run_tour() -> tuple[str, bool]:
    """Every section's text, blank-line separated, and whether every certificate holds.

    >>> text, holds = run_tour()
    >>> holds, "x1**2 + x2**2 + x3**2" in text
    (True, True)
    """
    start = time.perf_counter()
    blocks = [section() for section in SECTIONS]
    holds = all(block.holds for block in blocks)
    count = sum(len(block.certificates) for block in blocks)
    verdict = (f"All {count} certificates hold" if holds else
               f"FAILED: {sum(not c for b in blocks for c in b.certificates)} of {count} "
               "certificates do not hold")
    footer = f"{verdict} ({time.perf_counter() - start:.1f} s)."
    return "\n\n".join([*(block.text for block in blocks), footer]), holds
