"""Networks to torch modules and back, weight for weight.

``to_torch`` writes a network's exact rational weights as float64 (each rounded once, to
nearest), so its outputs agree with exact evaluation within the proved float error bound of
the construction (``meta["float64_error_bound"]``; a warning says when that is large).
``from_torch`` reads a trained module's float weights exactly: every float is a binary
rational, so the network it returns (marked ``trained``) computes exactly what the module
computes in real arithmetic and can be counted, saved, evaluated exactly and cut into pieces
like a construction.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import torch
from torch import nn

from ..core import limits
from ..core.evaluate import float_warning
from ..core.layers import ConventionalLayer, Layer, QuadraticLayer
from ..core.matrix import Matrix, Vector, vector_array
from ..core.network import Network, as_network
from ..errors import QuadTheoryError
from .quadratic_linear import QuadraticLinear

_SUPPORTED = "nn.Linear, QuadraticLinear, nn.ReLU, nn.Identity or an nn.Sequential of them"


def _floats(values: Matrix | Vector, where: str) -> np.ndarray:
    try:
        return values.array if isinstance(values, Matrix) else vector_array(values)
    except QuadTheoryError as error:
        raise QuadTheoryError(f"{where}: {error}") from None


def _torch_layer(layer: Layer, where: str, dtype: torch.dtype,
                 device: torch.device | str | None) -> nn.Module:
    n_out, n_in = layer.shape
    if isinstance(layer, QuadraticLayer):
        module: nn.Module = QuadraticLinear(n_in, n_out, dtype=dtype, device=device)
    else:
        module = nn.Linear(n_in, n_out, dtype=dtype, device=device)
    torch_names = {"w": "weight", "b": "bias"}
    with torch.no_grad():
        for name, value in layer.fields.items():
            target = getattr(module, torch_names.get(name, name))
            target.copy_(torch.tensor(_floats(value, f"{where}.{name}")))
    return module


def to_torch(network: Network, *, dtype: torch.dtype = torch.float64,
             device: torch.device | str | None = None) -> nn.Sequential:
    """The network as an ``nn.Sequential`` of ``QuadraticLinear`` / ``nn.Linear`` layers, each
    relu layer followed by ``nn.ReLU``; weights rounded to nearest in ``dtype``. Its outputs
    agree with exact evaluation within the proved bound in ``meta["float64_error_bound"]``
    (float64, or its float32 entry); it warns once (:class:`~quadtheory.FloatPrecisionWarning`)
    when that bound exceeds a relative 1e-9 (float64) or 1e-3 (float32) of the output.

    >>> import torch
    >>> from quadtheory import Network, quadratic_layer
    >>> xy = Network(("x", "y"), (quadratic_layer([[1, 0]], w_g=[[0, 1]], activation="identity"),))
    >>> module = to_torch(xy)
    >>> module(torch.tensor([[3.0, -0.5]], dtype=torch.float64)).item()   # 3 * -0.5
    -1.5
    """
    network = as_network(network, "network")
    # torch holds every weight of the architecture: refused before any tensor is allocated
    limits.check(network.params.dense, limits.MAX_TORCH_PARAMS,
                 "to_torch: the dense params (torch holds every weight)")
    float_warning(network, "float32" if dtype in (torch.float32, torch.float16, torch.bfloat16)
                  else "float64")
    modules: list[nn.Module] = []
    for k, layer in enumerate(network.layers):
        modules.append(_torch_layer(layer, f"layers[{k}]", dtype, device))
        if layer.activation == "relu":
            modules.append(nn.ReLU())
    return nn.Sequential(*modules)


def _flatten(module: nn.Module, where: str) -> Iterator[tuple[str, nn.Module]]:
    if isinstance(module, nn.Sequential):
        for name, child in module.named_children():
            yield from _flatten(child, f"{where}[{name}]")
    else:
        yield where, module


def _finite(tensor: torch.Tensor, where: str) -> np.ndarray:
    values = tensor.detach().to("cpu", torch.float64).numpy()
    if not np.isfinite(values).all():
        raise QuadTheoryError(f"{where}: expected finite weights, found "
                              f"{values[~np.isfinite(values)][0]}")
    return values


def _exact_matrix(tensor: torch.Tensor, where: str) -> Matrix:
    rows = _finite(tensor, where).tolist()
    return Matrix(tuple(tensor.shape), tuple(
        tuple((j, Fraction(v)) for j, v in enumerate(row) if v != 0) for row in rows))


def _exact_vector(tensor: torch.Tensor | None, n: int, where: str) -> Vector:
    if tensor is None:
        return (Fraction(0),) * n
    return tuple(Fraction(v) for v in _finite(tensor, where).tolist())


def _core_layer(module: nn.Module, where: str) -> Layer:
    if isinstance(module, QuadraticLinear):
        n = module.out_features
        return QuadraticLayer(
            w_r=_exact_matrix(module.w_r, f"{where}.w_r"),
            b_r=_exact_vector(module.b_r, n, f"{where}.b_r"),
            w_g=_exact_matrix(module.w_g, f"{where}.w_g"),
            b_g=_exact_vector(module.b_g, n, f"{where}.b_g"),
            w_b=_exact_matrix(module.w_b, f"{where}.w_b"),
            c=_exact_vector(module.c, n, f"{where}.c"), activation="identity")
    return ConventionalLayer(_exact_matrix(module.weight, f"{where}.weight"),
                             _exact_vector(module.bias, module.out_features, f"{where}.bias"),
                             activation="identity")


def _default_inputs(n: int) -> tuple[str, ...]:
    return ("x",) if n == 1 else tuple(f"x{k}" for k in range(1, n + 1))


def from_torch(module: nn.Module, inputs: Sequence[str] | None = None,
               domain: Sequence[Sequence[object]] | None = None, *,
               meta: Mapping[str, Any] | None = None) -> Network:
    """The network a module computes, its float weights read exactly (``trained=True``).

    ``module`` is an ``nn.Linear``, a :class:`QuadraticLinear`, or an ``nn.Sequential`` (such
    as :class:`QuadraticMLP`) of those with ``nn.ReLU`` / ``nn.Identity`` between them.
    ``inputs`` names the inputs (default ``x`` for one, else ``x1, x2, ...``).

    >>> import torch
    >>> linear = torch.nn.Linear(1, 1)
    >>> with torch.no_grad():
    ...     _ = linear.weight.fill_(0.1), linear.bias.fill_(-2.0)
    >>> net = from_torch(linear, domain=[[-1, 1]])
    >>> net.trained, net.layers[0].w.dense()   # float32 0.1, held exactly
    (True, [[Fraction(13421773, 134217728)]])
    """
    layers: list[Layer] = []
    for where, child in _flatten(module, "module"):
        if isinstance(child, QuadraticLinear | nn.Linear):
            layers.append(_core_layer(child, where))
        elif isinstance(child, nn.ReLU):
            if not layers:
                raise QuadTheoryError(f"{where}: expected a layer before nn.ReLU, found none")
            # relu(relu(z)) = relu(z): a repeated ReLU changes nothing.
            layer = layers[-1]
            layers[-1] = type(layer)(**layer.fields, activation="relu")
        elif not isinstance(child, nn.Identity):
            raise QuadTheoryError(f"{where}: expected {_SUPPORTED}, found "
                                  f"{type(child).__name__}")
    if not layers:
        raise QuadTheoryError("module: expected at least one nn.Linear or QuadraticLinear layer")
    n_in = layers[0].in_features
    names = _default_inputs(n_in) if inputs is None else tuple(inputs)
    if len(names) != n_in:
        raise QuadTheoryError(f"inputs: expected {n_in} names (the first layer's inputs), "
                              f"found {len(names)}: {list(names)}")
    return Network(names, tuple(layers), domain, trained=True, meta=meta)
