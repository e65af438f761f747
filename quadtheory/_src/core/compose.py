"""Composing networks: in sequence, side by side, with a linear read-out, all-quadratic.

Every composite is again a :class:`Network`, so its counts follow from its layers. Side by
side (``parallel``) needs one kind and one activation per layer; where the parts differ, a
conventional layer becomes degenerate quadratic (``w_g = 0, b_g = 1``, exact) and an
identity layer under a relu one is split ``z = relu(z) - relu(-z)`` (exact everywhere: the
next layer reads ``p - q``, and ``(p - q)² = p² + q²`` because ``p·q = 0``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

from ..errors import QuadTheoryError
from .domain import Box
from .layers import (
    ConventionalLayer,
    Layer,
    MatrixLike,
    QuadraticLayer,
    as_quadratic,
    conventional_layer,
)
from .matrix import Matrix, Vector
from .network import Network, as_network


def sequential(first: Network, *rest: Network) -> Network:
    """Feed each network's outputs into the next; inputs and domain are the first's.

    >>> from quadtheory import quadratic_layer
    >>> sq = Network(("x",), (quadratic_layer([[1]], w_g=[[1]], activation="identity"),))
    >>> quartic = sequential(sq, sq)
    >>> quartic.exact([2]), quartic.params == sq.params + sq.params
    ((Fraction(16, 1),), True)
    """
    first = as_network(first, "first")
    rest = tuple(as_network(net, f"rest[{k}]") for k, net in enumerate(rest))
    layers = list(first.layers)
    for k, net in enumerate(rest, start=1):
        if net.n_inputs != layers[-1].out_features:
            raise QuadTheoryError(
                f"sequential: network {k} expects {net.n_inputs} inputs, but network {k - 1} "
                f"has {layers[-1].out_features} outputs")
        layers.extend(net.layers)
    return Network(first.inputs, tuple(layers), first.domain,
                   trained=any(net.trained for net in (first, *rest)))


def readout(network: Network, weights: MatrixLike, bias: Sequence[object] | None = None
            ) -> Network:
    """Append a linear (identity, conventional) layer ``weights·h + bias`` to the outputs.

    >>> from quadtheory import quadratic_layer
    >>> pair = Network(("x",), (quadratic_layer([[1], [0]], b_r=[0, 1], w_g=[[1], [0]],
    ...                                          b_g=[0, 1], activation="identity"),))
    >>> readout(pair, [[3, -1]]).exact([2])   # 3*x**2 - 1
    (Fraction(11, 1),)
    """
    network = as_network(network, "network")
    layer = conventional_layer(weights, bias, activation="identity")
    if layer.in_features != network.n_outputs:
        raise QuadTheoryError(f"readout: expected {network.n_outputs} columns (the outputs), "
                              f"found {layer.in_features}")
    return replace(network, layers=(*network.layers, layer), meta={})


def all_quadratic(network: Network) -> Network:
    """Every conventional layer as degenerate quadratic neurons (the paper's architecture).

    >>> net = Network(("x",), (conventional_layer([[2]], [1]),))
    >>> all_quadratic(net).params, net.params
    (ParamCounts(dense=6, nonzero=3), ParamCounts(dense=2, nonzero=2))
    """
    network = as_network(network, "network")
    return replace(network, layers=tuple(as_quadratic(layer) for layer in network.layers))


def _carry(width: int, activation: str = "identity") -> ConventionalLayer:
    # A relu carry is exact after a relu layer: its inputs are already >= 0.
    return ConventionalLayer(Matrix.identity(width), (Fraction(0),) * width, activation)


def _negated(v: Vector) -> Vector:
    return tuple(-x for x in v)


def _neg(m: Matrix) -> Matrix:
    return m.scaled_rows([Fraction(-1)] * m.n_rows)


def split_identity(layer: Layer, following: Layer) -> tuple[Layer, Layer]:
    """An identity layer as relu pairs ``p = relu(z), q = relu(-z)``, and the following
    layer rewired to read ``p - q``: exact everywhere, twice the neurons.

    >>> a, b = split_identity(conventional_layer([[1]], activation="identity"),
    ...                       conventional_layer([[3]], activation="identity"))
    >>> Network(("x",), (a, b)).exact([-2])
    (Fraction(-6, 1),)
    """
    for name, value in (("layer", layer), ("following", following)):
        if not isinstance(value, QuadraticLayer | ConventionalLayer):
            raise QuadTheoryError(f"{name}: expected a QuadraticLayer or ConventionalLayer, "
                                  f"found {type(value).__name__}")
    if isinstance(layer, QuadraticLayer):
        lifted: Layer = QuadraticLayer(
            layer.w_r.vstack(_neg(layer.w_r)), layer.b_r + _negated(layer.b_r),
            layer.w_g.vstack(layer.w_g), layer.b_g + layer.b_g,
            layer.w_b.vstack(_neg(layer.w_b)), layer.c + _negated(layer.c), "relu")
    else:
        lifted = ConventionalLayer(layer.w.vstack(_neg(layer.w)), layer.b + _negated(layer.b),
                                   "relu")
    if isinstance(following, QuadraticLayer):
        rewired: Layer = replace(
            following, w_r=following.w_r.hstack(_neg(following.w_r)),
            w_g=following.w_g.hstack(_neg(following.w_g)),
            w_b=following.w_b.hstack(following.w_b))
    else:
        rewired = replace(following, w=following.w.hstack(_neg(following.w)))
    return lifted, rewired


def _intersect(boxes: list[Box | None]) -> Box | None:
    known = [b for b in boxes if b is not None]
    if not known:
        return None
    out = []
    for k, intervals in enumerate(zip(*known)):
        lo, hi = max(i[0] for i in intervals), min(i[1] for i in intervals)
        if not lo < hi:
            raise QuadTheoryError(f"parallel: the domains do not overlap in input {k}")
        out.append((lo, hi))
    return tuple(out)


def _merge(parts: list[Layer], first: bool) -> Layer:
    if any(isinstance(p, QuadraticLayer) for p in parts):
        parts = [as_quadratic(p) for p in parts]
    names = parts[0].matrix_fields
    merged: dict[str, Matrix | Vector] = {}
    for name in names:
        matrix = getattr(parts[0], name)
        for part in parts[1:]:
            other = getattr(part, name)
            matrix = matrix.vstack(other) if first else matrix.block_diag(other)
        merged[name] = matrix
    for name in parts[0].vector_fields:
        merged[name] = sum((getattr(p, name) for p in parts), ())
    return type(parts[0])(**merged, activation=parts[0].activation)


def parallel(*networks: Network) -> Network:
    """Networks side by side on the same inputs, outputs concatenated; domain: the
    intersection. Layers are merged depth by depth (block-diagonal after the first).

    >>> from quadtheory import quadratic_layer
    >>> sq = Network(("x", "y"), (quadratic_layer([[1, 0]], w_g=[[1, 0]], activation="identity"),))
    >>> xy = Network(("x", "y"), (quadratic_layer([[1, 0]], w_g=[[0, 1]], activation="identity"),))
    >>> both = parallel(sq, xy)
    >>> both.exact([3, 2]), both.params.nonzero == sq.params.nonzero + xy.params.nonzero
    ((Fraction(9, 1), Fraction(6, 1)), True)
    """
    if not networks:
        raise QuadTheoryError("parallel: expected at least one network")
    networks = tuple(as_network(net, f"networks[{k}]") for k, net in enumerate(networks))
    inputs = networks[0].inputs
    for net in networks[1:]:
        if net.inputs != inputs:
            raise QuadTheoryError(f"parallel: expected the same inputs, found {inputs} "
                                  f"and {net.inputs}")
    stacks = [list(net.layers) for net in networks]
    depth = max(len(s) for s in stacks)
    for stack in stacks:
        last = stack[-1]
        stack.extend(_carry(last.out_features, last.activation)
                     for _ in range(depth - len(stack)))
    if len({stack[-1].activation for stack in stacks}) > 1:
        for stack in stacks:
            stack.append(_carry(stack[-1].out_features))
        depth += 1
    for k in range(depth):
        if any(stack[k].activation == "relu" for stack in stacks):
            for stack in stacks:
                if stack[k].activation == "identity":
                    stack[k], stack[k + 1] = split_identity(stack[k], stack[k + 1])
    layers = tuple(_merge([stack[k] for stack in stacks], k == 0) for k in range(depth))
    return Network(inputs, layers, _intersect([net.domain for net in networks]),
                   trained=any(net.trained for net in networks))


def of_affine_form(network: Network, inputs: Sequence[str], a: Sequence[Fraction],
                   b: Fraction, domain: object = None) -> Network:
    """The network of one input ``y`` read at ``y = a·x + b``: a network of ``inputs`` whose
    first layer computes the same pre-activations as a function of ``x`` (so every relu
    range proved for ``y`` on the affine form's range holds on ``domain``), and no neuron more.

    A term ``e·y²`` of a first-layer neuron is not a ``w_b`` term in ``x`` (``(a·x + b)²``
    has cross terms), so each quadratic neuron is rewritten as one product: ``α·y² + β·y + γ``
    is ``(α·y + α·h)(y + h) + γ − α·h²`` with ``h = β/(2α)``, or ``(β·y + γ)·1`` if ``α = 0``.

    >>> from quadtheory import quadratic_layer
    >>> sq = Network(("y",), (quadratic_layer([[0]], w_b=[[1]], c=[1], activation="identity"),))
    >>> net = of_affine_form(sq, ("x", "z"), [Fraction(1), Fraction(-2)], Fraction(1, 2))
    >>> net.exact([3, 1]), (Fraction(3) - 2 + Fraction(1, 2)) ** 2 + 1
    ((Fraction(13, 4),), Fraction(13, 4))
    """
    network = as_network(network, "network")
    if network.n_inputs != 1:
        raise QuadTheoryError(f"network: expected one input, found {network.n_inputs}")
    first, n = network.layers[0], len(inputs)
    if isinstance(first, ConventionalLayer):
        rows = [[w * v for v in a] for w in _column(first.w)]
        layer: Layer = ConventionalLayer(Matrix.from_dense(rows, n), tuple(
            w * b + c for w, c in zip(_column(first.w), first.b, strict=True)),
            first.activation)
    else:
        r_rows, g_rows, s_rows, c_rows = [], [], [], []
        for r, br, g, bg, e, c in zip(_column(first.w_r), first.b_r, _column(first.w_g),
                                      first.b_g, _column(first.w_b), first.c, strict=True):
            alpha, beta, gamma = r * g + e, r * bg + br * g, br * bg + c
            if alpha:
                h = beta / (2 * alpha)
                r_rows.append(([alpha * v for v in a], alpha * (b + h)))
                g_rows.append((list(a), b + h))
                c_rows.append(gamma - alpha * h * h)
            else:
                r_rows.append(([beta * v for v in a], beta * b + gamma))
                g_rows.append(([Fraction(0)] * n, Fraction(1)))
                c_rows.append(Fraction(0))
            s_rows.append([Fraction(0)] * n)
        layer = QuadraticLayer(
            Matrix.from_dense([w for w, _ in r_rows], n), tuple(v for _, v in r_rows),
            Matrix.from_dense([w for w, _ in g_rows], n), tuple(v for _, v in g_rows),
            Matrix.from_dense(s_rows, n), tuple(c_rows), first.activation)
    return Network(tuple(inputs), (layer, *network.layers[1:]), domain)


def _column(matrix: Matrix) -> list[Fraction]:
    """The one column of a matrix of one input."""
    return [dict(row).get(0, Fraction(0)) for row in matrix.rows]
