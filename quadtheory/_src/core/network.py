"""The network: one immutable intermediate form for every construction and tool.

A feed-forward stack of quadratic and conventional layers over named inputs, with an optional
box domain. Constructions produce it; evaluators, counters, verifiers and exporters only read
it. Counts are derived from the structure, never stored beside it.
"""

from __future__ import annotations

import copy
import html
import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np
import sympy

from ..errors import QuadTheoryError
from .counts import ParamCounts
from .domain import Box, interval_text, parse_domain, to_box
from .evaluate import evaluate_exact, evaluate_numeric, evaluate_symbolic, float_warning
from .layers import ConventionalLayer, Layer, QuadraticLayer
from .limits import quoted


def _check_inputs(inputs: Sequence[str]) -> tuple[str, ...]:
    names = tuple(inputs)
    for k, name in enumerate(names):
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
            raise QuadTheoryError(
                f"inputs[{k}]: expected a name like 'x' or 'x1', found {quoted(name)}")
        if unicodedata.normalize("NFKC", name) != name:
            # Python, and so every formula, reads identifiers in NFKC normal form.
            raise QuadTheoryError(
                f"inputs[{k}]: expected a name in NFKC normal form, "
                f"{unicodedata.normalize('NFKC', name)!r}, found {quoted(name)}")
    seen = {n for n in names if names.count(n) > 1}
    if seen:
        raise QuadTheoryError(f"inputs: expected distinct names, found {sorted(seen)} twice")
    return names


def as_network(value: object, name: str = "network") -> Network:
    """The network ``value`` stands for: a :class:`Network` itself, or a construction's
    ``network``; anything else is a user error naming the parameter.

    >>> as_network(None)
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: network: expected a Network (or a construction), found NoneType
    """
    if isinstance(value, Network):
        return value
    inner = getattr(value, "network", None)
    if isinstance(inner, Network):
        return inner
    raise QuadTheoryError(f"{name}: expected a Network (or a construction), found "
                          f"{type(value).__name__}")


def _frozen_meta(meta: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if meta is None:
        return MappingProxyType({})
    if isinstance(meta, MappingProxyType):
        return meta
    if not isinstance(meta, Mapping):
        raise QuadTheoryError(f"meta: expected an object, found {quoted(meta)}")
    try:
        json.dumps(meta, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise QuadTheoryError(f"meta: expected JSON data ({error})") from None
    except RecursionError:
        raise QuadTheoryError("meta: expected JSON data, found nesting too deep") from None
    return MappingProxyType(copy.deepcopy(dict(meta)))


@dataclass(frozen=True)
class Network:
    """A feed-forward network of quadratic and conventional layers with exact weights.

    ``trained`` marks weights that came from floats (exact binary rationals); ``meta`` is the
    free-form metadata of the network file. The outputs are the last layer's neurons.

    >>> from quadtheory import quadratic_layer
    >>> square = Network(("x",), (quadratic_layer([[1]], w_g=[[1]], activation="identity"),))
    >>> square.exact({"x": "1/3"}), square.params, square.depth, square.widths
    ((Fraction(1, 9),), ParamCounts(dense=6, nonzero=2), 1, (1,))
    """

    inputs: tuple[str, ...]
    layers: tuple[Layer, ...]
    domain: Box | None = None
    trained: bool = False
    meta: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "inputs", _check_inputs(self.inputs))
        object.__setattr__(self, "layers", tuple(self.layers))
        domain = self.domain  # a list of (lo, hi) pairs as files hold it, or any box spelling
        object.__setattr__(self, "domain", parse_domain(domain, self.inputs)
                           if isinstance(domain, str | Mapping) else
                           to_box(domain, len(self.inputs)))
        object.__setattr__(self, "meta", _frozen_meta(self.meta))
        if not self.layers:
            raise QuadTheoryError("layers: expected at least one layer (the output layer)")
        width, source = len(self.inputs), "the number of inputs"
        for k, layer in enumerate(self.layers):
            if not isinstance(layer, QuadraticLayer | ConventionalLayer):
                raise QuadTheoryError(f"layers[{k}]: expected a QuadraticLayer or "
                                      f"ConventionalLayer, found {type(layer).__name__}")
            if layer.in_features != width:
                field_name = layer.matrix_fields[0]
                raise QuadTheoryError(
                    f"layers[{k}].{field_name}: expected {width} columns ({source}), "
                    f"found {layer.in_features}")
            width, source = layer.out_features, f"the width of layers[{k}]"

    def __repr__(self) -> str:
        """One line: inputs, domain, widths and both counts (the layers are in ``.layers``).

        >>> from quadtheory import quadratic_layer
        >>> Network(("x", "y"), (quadratic_layer([[1, 0]], w_g=[[0, 1]]),), domain="0:1")
        Network(inputs=(x, y), domain=[0, 1]^2, widths=(1,), params: dense 9, nonzero 2)
        """
        trained = ", trained" if self.trained else ""
        return (f"Network(inputs=({', '.join(self.inputs)}), domain={self.domain_text}, "
                f"widths={self.widths}, params: dense {self.params.dense}, nonzero "
                f"{self.params.nonzero}{trained})")

    @property
    def domain_text(self) -> str:
        """The domain in short: ``[0, 1]^2``, ``[0, 1] x [-1, 1]`` or ``R^2``."""
        if self.domain is None:
            return f"R^{self.n_inputs}"
        sides = [interval_text(lo, hi) for lo, hi in self.domain]
        if len(set(sides)) == 1:
            return sides[0] + ("" if len(sides) == 1 else f"^{len(sides)}")
        return " x ".join(sides)

    def _repr_html_(self) -> str:
        """A small table in notebooks: the layers, their kinds, shapes and counts."""
        rows = "".join(
            f"<tr><td>{k + 1}</td><td>{layer.kind}</td><td>{layer.activation}</td>"
            f"<td>{layer.in_features} &rarr; {layer.out_features}</td>"
            f"<td>{layer.dense_params}</td><td>{layer.nonzero_params}</td></tr>"
            for k, layer in enumerate(self.layers))
        head = html.escape(f"inputs ({', '.join(self.inputs)}) on {self.domain_text}")
        return (f"<table><caption>Network: {head}</caption><tr><th>layer</th><th>kind</th>"
                "<th>activation</th><th>shape</th><th>dense</th><th>nonzero</th></tr>"
                f"{rows}<tr><td colspan='4'>total</td><td>{self.params.dense}</td>"
                f"<td>{self.params.nonzero}</td></tr></table>")

    # -- structure -------------------------------------------------------------------------
    @property
    def depth(self) -> int:
        """Number of layers, the output layer included."""
        return len(self.layers)

    @property
    def widths(self) -> tuple[int, ...]:
        """Neurons per layer, the output layer last."""
        return tuple(layer.out_features for layer in self.layers)

    @property
    def neurons(self) -> int:
        """All neurons, the outputs included."""
        return sum(self.widths)

    @property
    def n_inputs(self) -> int:
        return len(self.inputs)

    @property
    def n_outputs(self) -> int:
        return self.layers[-1].out_features

    @property
    def params(self) -> ParamCounts:
        """Dense and nonzero parameter counts, summed over the layers."""
        return ParamCounts(sum(layer.dense_params for layer in self.layers),
                           sum(layer.nonzero_params for layer in self.layers))

    @property
    def symbols(self) -> tuple[sympy.Symbol, ...]:
        """The input symbols, in order."""
        return tuple(sympy.Symbol(name) for name in self.inputs)

    def with_meta(self, **entries: Any) -> Network:
        """The same network with ``entries`` added to its metadata.

        >>> from quadtheory import conventional_layer
        >>> Network(("x",), (conventional_layer([[1]]),)).with_meta(target="x").meta["target"]
        'x'
        """
        return replace(self, meta={**self.meta, **entries})

    # -- evaluation ------------------------------------------------------------------------
    def exact(self, point: Mapping[str, object] | Sequence[object]) -> tuple[Fraction, ...]:
        """The exact outputs at a rational point (a mapping by input name, or a sequence)."""
        return evaluate_exact(self, point)

    def numeric(self, points: np.ndarray | Sequence[Sequence[float]]) -> np.ndarray:
        """The float64 outputs, batched: shape ``(N, n_inputs)`` in, ``(N, n_outputs)`` out.
        Warns (once) when the proved float error bound in ``meta`` is large
        (:func:`~quadtheory._src.core.evaluate.float_warning`)."""
        float_warning(self)
        return evaluate_numeric(self, points)

    def symbolic(self) -> tuple[sympy.Expr, ...]:
        """The outputs as sympy expressions of the input symbols (``Max(., 0)`` for relu)."""
        return evaluate_symbolic(self)
