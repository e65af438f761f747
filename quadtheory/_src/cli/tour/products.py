"""The tour's first sections: what a quadratic neuron is, and squares, products and ‖x‖²
built by hand and proved exactly (Fan et al. 2023, arXiv:2303.06316)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from ...core.compose import readout
from ...core.layers import quadratic_layer
from ...core.network import Network
from ...core.text import format_table
from ...exact.verify import verify
from .block import WIDTH, Block


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
                     "yes" if cert.holds else "NO"])
    table = format_table(["target", "activation", "domain", "dense", "nonzero", "depth",
                          "widths", "certificate", "holds"], rows, right=[3, 4, 5])
    notes = [textwrap.fill(f"{ex.target} with {_neurons(ex.network)}: {ex.conventional}.",
                           WIDTH, initial_indent="- ", subsequent_indent="  ")
             for ex in examples]
    return Block("\n".join(["Squares and products, exactly (certificate: proof on the domain)",
                            "", table, "", "Against conventional neurons:", *notes]),
                 certificates)
