"""The network: one immutable intermediate form for every construction and tool.

A feed-forward stack of quadratic and conventional layers over named inputs, with an optional
box domain. Constructions produce it; evaluators, counters, verifiers and exporters only read
it. Counts are derived from the structure, never stored beside it.
"""

from __future__ import annotations

import copy
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
from .domain import Box, to_box
from .evaluate import evaluate_exact, evaluate_numeric, evaluate_symbolic, float_warning
from .layers import ConventionalLayer, Layer, QuadraticLayer


def _check_inputs(inputs: Sequence[str]) -> tuple[str, ...]:
    names = tuple(inputs)
    for k, name in enumerate(names):
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
            raise QuadTheoryError(
                f"inputs[{k}]: expected a name like 'x' or 'x1', found {name!r}")
        if unicodedata.normalize("NFKC", name) != name:
            # Python, and so every formula, reads identifiers in NFKC normal form.
            raise QuadTheoryError(
                f"inputs[{k}]: expected a name in NFKC normal form, "
                f"{unicodedata.normalize('NFKC', name)!r}, found {name!r}")
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
        raise QuadTheoryError(f"meta: expected an object, found {meta!r:.80}")
    try:
        json.dumps(meta, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise QuadTheoryError(f"meta: expected JSON data ({error})") from None
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
        object.__setattr__(self, "domain", to_box(self.domain, len(self.inputs)))
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
