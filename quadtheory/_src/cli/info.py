"""``quadtheory info FILE.json``: what a network file holds, counted under both conventions.

Inputs, domain, each layer (kind, activation, in -> out, its dense and nonzero parameters),
the totals, depth, widths, neuron count, whether the weights are exact or trained, and the
output expressions when the network is small. ``--json`` prints the same as one JSON object.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..core.domain import domain_text
from ..core.io import load
from ..core.layers import QuadraticLayer
from ..core.matrix import Row
from ..core.network import Network
from ..core.numbers import format_rational
from ..core.text import format_table
from . import options

# A network's expression is a DAG (each neuron reads the whole previous layer) whose printed
# tree can grow exponentially with depth, and sympy takes exponential time to build a deep relu
# one: expressions are built only when their tree, estimated from the structure, is small.
MAX_NEURONS = 40
MAX_NODES = 1000
MAX_CHARS = 2000


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "info", help="describe a network file: layers, parameter counts, outputs",
        description="Describe a network file: inputs, domain, layers, parameter counts "
                    "(dense: every weight and bias; nonzero: nonzero entries), depth, widths "
                    "and, for small networks, the output expressions.")
    parser.add_argument("file", metavar="FILE.json", help="a quadtheory network file")
    options.add_json(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:

    report = describe(load(args.file))
    note = options.emit_json(report, args.json)
    if args.json != options.STDOUT:
        print(render(report, args.file), *filter(None, [note]), sep="\n")
    return 0


def _affine_size(row: Row, sizes: list[int]) -> int:
    return 2 + sum(2 + sizes[i] for i, _ in row)  # Add(bias, v*h_i, ...)


def expression_sizes(network: Network) -> list[int]:
    """The nodes of each output expression printed as a tree, estimated from the structure
    alone (no sympy): a shared neuron counts each time it is read.

    >>> from quadtheory import Network, quadratic_layer
    >>> square = quadratic_layer([[1]], w_g=[[1]], activation="identity")   # x*x: 13 nodes
    >>> [expression_sizes(Network(("x",), (square,) * depth)) for depth in (1, 2, 3)]
    [[13], [37], [85]]
    """
    sizes = [1] * network.n_inputs
    for layer in network.layers:
        if isinstance(layer, QuadraticLayer):
            squares = [2 + size for size in sizes]
            sizes = [1 + _affine_size(r, sizes) + _affine_size(g, sizes) + _affine_size(b, squares)
                     for r, g, b in zip(layer.w_r.rows, layer.w_g.rows, layer.w_b.rows,
                                        strict=True)]
        else:
            sizes = [_affine_size(row, sizes) for row in layer.w.rows]
        if layer.activation == "relu":
            sizes = [2 + size for size in sizes]  # Max(z, 0)
    return sizes


def _outputs(network: Network) -> list[str] | None:
    if network.neurons > MAX_NEURONS or sum(expression_sizes(network)) > MAX_NODES:
        return None
    texts = [str(expr) for expr in network.symbolic()]
    return texts if sum(map(len, texts)) <= MAX_CHARS else None


def describe(network: Network) -> dict[str, Any]:
    """The facts ``info`` prints, as JSON data (numbers as exact rational strings).

    >>> from quadtheory import Network, quadratic_layer
    >>> sq = Network(("x",), (quadratic_layer([[1]], w_g=[[1]]),), domain=[["-1", "1"]])
    >>> facts = describe(sq)
    >>> facts["params_dense"], facts["params_nonzero"], facts["domain"], facts["outputs"]
    (6, 2, [['-1', '1']], ['Max(0, x**2)'])
    """
    params = network.params
    return {
        "inputs": list(network.inputs),
        "domain": None if network.domain is None else [
            [format_rational(lo), format_rational(hi)] for lo, hi in network.domain],
        "layers": [{"index": k, "kind": layer.kind, "activation": layer.activation,
                    "in": layer.in_features, "out": layer.out_features,
                    "params_dense": layer.dense_params, "params_nonzero": layer.nonzero_params}
                   for k, layer in enumerate(network.layers)],
        "params_dense": params.dense,
        "params_nonzero": params.nonzero,
        "depth": network.depth,
        "widths": list(network.widths),
        "neurons": network.neurons,
        "trained": network.trained,
        "outputs": _outputs(network),
    }


def render(report: dict[str, Any], name: str) -> str:
    """The text form of :func:`describe`'s facts.

    >>> from quadtheory import Network, quadratic_layer
    >>> sq = Network(("x",), (quadratic_layer([[1]], w_g=[[1]]),), domain=[["-1", "1"]])
    >>> print(render(describe(sq), "square.json"))
    network: square.json
    inputs: x
    domain: x in [-1, 1]
    layer  kind       activation  in -> out  dense  nonzero
        0  quadratic  relu        1 -> 1         6        2
    params: dense 6 (every weight and bias), nonzero 2 (nonzero entries)
    depth: 1
    widths: 1
    neurons: 1
    weights: exact rationals
    output: Max(0, x**2)
    """
    domain = domain_text(report["inputs"], report["domain"])
    table = format_table(
        ["layer", "kind", "activation", "in -> out", "dense", "nonzero"],
        [[layer["index"], layer["kind"], layer["activation"], f"{layer['in']} -> {layer['out']}",
          layer["params_dense"], layer["params_nonzero"]] for layer in report["layers"]],
        right=[0, 4, 5])
    lines = [
        f"network: {name}",
        f"inputs: {', '.join(report['inputs'])}",
        f"domain: {domain}",
        table,
        f"params: dense {report['params_dense']} (every weight and bias), "
        f"nonzero {report['params_nonzero']} (nonzero entries)",
        f"depth: {report['depth']}",
        f"widths: {', '.join(map(str, report['widths']))}",
        f"neurons: {report['neurons']}",
        "weights: " + ("trained (floats, held exactly)" if report["trained"]
                       else "exact rationals"),
    ]
    outputs = report["outputs"]
    if outputs is None:
        lines.append(f"outputs: not printed (too large: more than {MAX_NEURONS} neurons, "
                     f"{MAX_NODES} expression nodes or {MAX_CHARS} characters)")
    elif len(outputs) == 1:
        lines.append(f"output: {outputs[0]}")
    else:
        lines += ["outputs:"] + [f"  [{k}] {text}" for k, text in enumerate(outputs)]
    return "\n".join(lines)
