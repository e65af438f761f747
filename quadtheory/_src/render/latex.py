r"""Networks as LaTeX: one equation per neuron, layer by layer, with exact rational weights.

A quadratic neuron reads ``(w_r·h + b_r)(w_g·h + b_g) + w_b·(h⊙h) + c`` (Fan et al. 2023,
arXiv:2303.06316), a conventional one ``w·h + b``; relu neurons are wrapped in ``\max(0, ·)``.
"""

from __future__ import annotations

from fractions import Fraction

import sympy

from ..core.layers import ConventionalLayer, Layer
from ..core.matrix import Row
from ..core.network import Network, as_network
from ..core.numbers import format_rational


def _number(value: Fraction) -> str:
    text = format_rational(abs(value))
    if value.denominator != 1:
        text = rf"\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"
    return text


def _sum(terms: list[tuple[Fraction, str]]) -> str:
    """``c1 a1 + c2 a2 - ...`` with exact coefficients; an empty body is a constant."""
    out = []
    for coef, body in terms:
        if not coef:
            continue
        sign = "-" if coef < 0 else "+"
        magnitude = "" if body and abs(coef) == 1 else _number(coef) + (r"\," if body else "")
        out.append((sign, magnitude + body))
    if not out:
        return "0"
    text = "".join(f" {s} {t}" for s, t in out).strip()
    return text[2:] if text.startswith("+ ") else "-" + text[2:]


def _factor(terms: list[tuple[Fraction, str]]) -> str:
    """A factor of a product: bare if it is one positive term, else in parentheses."""
    nonzero = [(v, body) for v, body in terms if v]
    if len(nonzero) == 1 and nonzero[0][0] > 0:
        return _sum(nonzero)
    return rf"\left({_sum(terms)}\right)"


def _affine(row: Row, bias: Fraction, names: list[str]) -> list[tuple[Fraction, str]]:
    return [(v, names[j]) for j, v in row] + [(bias, "")]


def _neuron(layer: Layer, j: int, names: list[str]) -> str:
    if isinstance(layer, ConventionalLayer):
        return _sum(_affine(layer.w.rows[j], layer.b[j], names))
    r = _affine(layer.w_r.rows[j], layer.b_r[j], names)
    g = _affine(layer.w_g.rows[j], layer.b_g[j], names)
    terms: list[tuple[Fraction, str]] = []
    if not layer.w_g.rows[j]:  # (r)(constant): an affine form
        terms += [(v * layer.b_g[j], body) for v, body in r]
    elif not layer.w_r.rows[j]:
        terms += [(v * layer.b_r[j], body) for v, body in g]
    else:
        terms.append((Fraction(1), _factor(r) + r"\," + _factor(g)))
    terms += [(v, f"{names[i]}^{{2}}") for i, v in layer.w_b.rows[j]]
    terms.append((layer.c[j], ""))
    return _sum(terms)


def to_latex(network: Network) -> str:
    """The network's equations, one per neuron, layer by layer (exact rationals).

    >>> from quadtheory import Network, quadratic_layer
    >>> net = Network(("x", "y"), (quadratic_layer([[1, 0]], [1], [[0, 1]], ["-1/2"]),))
    >>> print(to_latex(net))
    f = \\max\\left(0,\\ \\left(x + 1\\right)\\,\\left(y - \\frac{1}{2}\\right)\\right)
    """
    network = as_network(network)
    names = [sympy.latex(sympy.Symbol(name)) for name in network.inputs]
    lines = []
    for k, layer in enumerate(network.layers, start=1):
        last = k == network.depth
        outputs = []
        for j in range(layer.out_features):
            body = _neuron(layer, j, names)
            if layer.activation == "relu":
                body = rf"\max\left(0,\ {body}\right)"
            lhs = ("f" if layer.out_features == 1 else f"f_{{{j + 1}}}") if last else \
                f"h^{{({k})}}_{{{j + 1}}}"
            lines.append(f"{lhs} = {body}")
            outputs.append(lhs)
        names = outputs
    return "\n".join(lines)
