"""Evaluating a network three ways that must agree: exact, float64, symbolic.

Each evaluator walks the same layer formulas; only the number type differs (exact rationals,
``numpy.float64`` batched over points, sympy expressions). Exact evaluation runs on fast
rationals (python-flint's ``fmpq``) over rows converted once per network.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy

from ..errors import FloatPrecisionWarning, QuadTheoryError
from . import limits
from .layers import Layer, QuadraticLayer
from .limits import quoted
from .matrix import Matrix, Vector, vector_array
from .numbers import Q, fast, slow, to_rational

if TYPE_CHECKING:
    from .network import Network


def point_values(network: Network, point: Mapping[str, object] | Sequence[object]
                 ) -> list[Fraction]:
    """The rational coordinates of ``point``, in input order, checked against the inputs.

    >>> from quadtheory import Network, conventional_layer
    >>> net = Network(("x", "y"), (conventional_layer([[1, 1]]),))
    >>> point_values(net, {"y": "1/2", "x": 2})
    [Fraction(2, 1), Fraction(1, 2)]
    """
    if isinstance(point, Mapping):
        unknown = sorted(set(point) - set(network.inputs))
        missing = [name for name in network.inputs if name not in point]
        if unknown or missing:
            raise QuadTheoryError(
                f"point: expected values for exactly {', '.join(network.inputs) or 'no inputs'}"
                + (f"; unknown {', '.join(map(str, unknown))}" if unknown else "")
                + (f"; missing {', '.join(missing)}" if missing else ""))
        return [to_rational(point[name], f"point[{name}]") for name in network.inputs]
    if isinstance(point, str) or not isinstance(point, Sequence):
        raise QuadTheoryError(f"point: expected a mapping or a sequence, found {quoted(point)}")
    if len(point) != network.n_inputs:
        raise QuadTheoryError(f"point: expected {network.n_inputs} coordinates, "
                              f"found {len(point)}")
    return [to_rational(v, f"point[{k}]") for k, v in enumerate(point)]


def _compiled(network: Network) -> list[tuple[bool, bool, list[tuple[Any, ...]]]]:
    """Per layer: (quadratic, relu, rows in fast rationals), converted once per network."""
    found = network.__dict__.get("_compiled")
    if found is None:
        found = []
        for layer in network.layers:
            if isinstance(layer, QuadraticLayer):
                rows = [(row_r, fast(b_r), row_g, fast(b_g), row_b, fast(c))
                        for row_r, b_r, row_g, b_g, row_b, c in zip(
                            layer.w_r.fast_rows, layer.b_r, layer.w_g.fast_rows, layer.b_g,
                            layer.w_b.fast_rows, layer.c)]
            else:
                rows = [(row, fast(b)) for row, b in zip(layer.w.fast_rows, layer.b)]
            found.append((isinstance(layer, QuadraticLayer), layer.activation == "relu", rows))
        object.__setattr__(network, "_compiled", found)  # a cache, not a field
    return found


def evaluate_exact(network: Network, point: Mapping[str, object] | Sequence[object]
                   ) -> tuple[Fraction, ...]:
    """Exact outputs at a rational point (fast rationals inside, compiled once per network;
    ``Fraction`` without python-flint).

    >>> from quadtheory import Network, quadratic_layer
    >>> xy = Network(("x", "y"), (quadratic_layer([[1, 0]], w_g=[[0, 1]], activation="identity"),))
    >>> evaluate_exact(xy, ["1/3", -2])
    (Fraction(-2, 3),)
    """
    h = [fast(v) for v in point_values(network, point)]
    zero = Q(0)
    depth = 1
    for quadratic, relu, rows in _compiled(network):
        z = []
        if quadratic:
            squares: dict[int, Any] = {}
            for row_r, b_r, row_g, b_g, row_b, c in rows:
                total = c
                for j, w in row_b:
                    if j not in squares:
                        squares[j] = h[j] * h[j]
                    total += w * squares[j]
                if row_r or b_r:
                    r, g = b_r, b_g
                    for j, w in row_r:
                        r += w * h[j]
                    for j, w in row_g:
                        g += w * h[j]
                    total += r * g
                z.append(total)
        else:
            for row, b in rows:
                total = b
                for j, w in row:
                    total += w * h[j]
                z.append(total)
        h = [v if v.numerator > 0 else zero for v in z] if relu else z
        _check_size(h, depth)
        depth += 1
    return tuple(slow(v) for v in h)


_MAX_BITS = int(limits.MAX_EVAL_DIGITS * 3.33)


def _check_size(values: Sequence[Any], depth: int) -> None:
    """Refuse exact values beyond the digit budget: a chain of squarings doubles the digits per
    layer, so 40 layers of x -> x² at x = 2 would need 2^40 bits."""
    bits = max((v.numerator.bit_length() + v.denominator.bit_length() for v in values),
               default=0)
    if bits > _MAX_BITS:
        raise QuadTheoryError(f"exact evaluation: after layer {depth} the values have about "
                              f"{int(bits / 3.33)} digits, over the limit of "
                              f"{limits.MAX_EVAL_DIGITS} (the network squares its inputs "
                              "too often for exact arithmetic; use floats)")


def _arrays(layer: Layer) -> dict[str, np.ndarray]:
    out = {}
    for name, value in layer.fields.items():
        try:
            out[name] = value.operator if isinstance(value, Matrix) else vector_array(value)
        except QuadTheoryError as error:
            raise QuadTheoryError(f"{name}: {error}") from None
    return out


def evaluate_numeric(network: Network, points: np.ndarray | Sequence[Sequence[float]]
                     ) -> np.ndarray:
    """float64 outputs for a batch of points: ``(N, n_inputs)`` in, ``(N, n_outputs)`` out.

    A single point of shape ``(n_inputs,)`` gives shape ``(n_outputs,)``.

    >>> from quadtheory import Network, quadratic_layer
    >>> sq = Network(("x",), (quadratic_layer([[1]], w_g=[[1]], activation="identity"),))
    >>> evaluate_numeric(sq, [[0.5], [-2.0]]).tolist()
    [[0.25], [4.0]]
    """
    try:
        x = np.asarray(points, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise QuadTheoryError(f"points: expected numbers, shape (N, {network.n_inputs}); "
                              f"{' '.join(str(error).split())}") from None
    single = x.ndim == 1
    h = x.reshape(1, -1) if single else x
    if h.ndim != 2 or h.shape[1] != network.n_inputs:
        raise QuadTheoryError(f"points: expected shape (N, {network.n_inputs}), "
                              f"found {x.shape}")
    for layer in network.layers:
        a = _arrays(layer)
        if isinstance(layer, QuadraticLayer):
            # fl(fl(r·g) + s) with s = w_b·(h⊙h) + c, as the torch layers compute it and the
            # proved float bound (exact/rounding.py) models it: c added last would be a
            # third rounding (0.32u beyond the bound was observed).
            z = ((h @ a["w_r"].T + a["b_r"]) * (h @ a["w_g"].T + a["b_g"])
                 + ((h * h) @ a["w_b"].T + a["c"]))
        else:
            z = h @ a["w"].T + a["b"]
        h = np.maximum(z, 0.0) if layer.activation == "relu" else z
    return h[0] if single else h


def _affine_symbolic(matrix: Matrix, bias: Vector, h: list[sympy.Expr]) -> list[sympy.Expr]:
    return [sympy.Add(*(sympy.Rational(v.numerator, v.denominator) * h[j] for j, v in row),
                      sympy.Rational(b.numerator, b.denominator))
            for row, b in zip(matrix.rows, bias)]


def evaluate_symbolic(network: Network) -> tuple[sympy.Expr, ...]:
    """The outputs as sympy expressions in the input symbols, unexpanded.

    Identity layers give polynomials; a relu neuron gives ``Max(z, 0)``.

    >>> from quadtheory import Network, quadratic_layer
    >>> sq = Network(("x",), (quadratic_layer([[1]], w_g=[[1]], activation="relu"),))
    >>> evaluate_symbolic(sq)
    (Max(0, x**2),)
    """
    h: list[sympy.Expr] = list(network.symbols)
    for layer in network.layers:
        if isinstance(layer, QuadraticLayer):
            squares = [v**2 for v in h]
            z = [r * g + s for r, g, s in zip(_affine_symbolic(layer.w_r, layer.b_r, h),
                                              _affine_symbolic(layer.w_g, layer.b_g, h),
                                              _affine_symbolic(layer.w_b, layer.c, squares))]
        else:
            z = _affine_symbolic(layer.w, layer.b, h)
        h = [sympy.Max(v, 0) for v in z] if layer.activation == "relu" else z
    return tuple(h)


# Float evaluation warns above these proved bounds relative to the output scale: float64 keeps
# about 16 digits, so 1e-9 means most are gone; float32 keeps about 7.
WARN_RELATIVE = {"float64": Fraction(1, 10**9), "float32": Fraction(1, 10**3)}


def float_warning(network: Network, dtype: str = "float64") -> None:
    """Warn once per network (:class:`~quadtheory.FloatPrecisionWarning`) when its proved
    float error bound (``meta["float64_error_bound"]``, written by every construction)
    exceeds :data:`WARN_RELATIVE` of its output scale in ``dtype``.

    >>> from quadtheory import Network, conventional_layer
    >>> net = Network(("x",), (conventional_layer([[1]]),), meta={"float64_error_bound": {
    ...     "absolute": "5", "relative": "5", "float32_absolute": "5", "float32_relative": "5",
    ...     "output_scale": "1", "samples": 3}})
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = net.numeric([[1.0]]), net.numeric([[2.0]])
    >>> len(caught), caught[0].category.__name__
    (1, 'FloatPrecisionWarning')
    """
    bound = network.meta.get("float64_error_bound")
    prefix = "" if dtype == "float64" else "float32_"
    if not isinstance(bound, dict) or bound.get(prefix + "relative") is None:
        return
    relative = Fraction(str(bound[prefix + "relative"]))
    if relative <= WARN_RELATIVE[dtype] or network.__dict__.get(f"_warned_{dtype}"):
        return
    object.__setattr__(network, f"_warned_{dtype}", True)  # once per network
    warnings.warn(
        f"{dtype} evaluation of this network may be off by up to "
        f"{bound[prefix + 'absolute']} (relative {bound[prefix + 'relative']} of its output "
        f"scale {bound['output_scale']}) on its domain: a proved bound "
        f"(meta['float64_error_bound']); use exact evaluation (Network.exact) or a "
        f"construction that keeps intermediate values small", FloatPrecisionWarning,
        stacklevel=3)
