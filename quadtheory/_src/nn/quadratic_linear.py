"""The quadratic layer in torch: Fan's neuron, batched over neurons and samples.

Neuron j of a layer with input ``x`` computes (Fan, Dong, Wu, Ruan, Zeng, Cui, Liao, "One
Neuron Saved Is One Neuron Earned", 2023, arXiv:2303.06316)::

    (w_r[j]·x + b_r[j]) * (w_g[j]·x + b_g[j]) + w_b[j]·(x⊙x) + c[j]      # 3n+3 parameters

Each of the three terms is one ``F.linear`` over the whole batch and every neuron: the same
multiply-adds per parameter as ``nn.Linear``. (Stacking ``w_r`` and ``w_g`` into one
``(2·out, in)`` matmul was measured slower on CPU: the concatenations it needs, forward and
backward, cost more than the matmul they merge; ``benchmarks/bench_quadratic_linear.py``.)

The ReLinear initialization (Fan, Xiong, Wang, "Expressivity and Trainability of Quadratic
Networks", arXiv:2110.06081) starts the layer as a conventional one: ``w_g = 0, b_g = 1,
w_b = 0, c = 0``.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from ..core.limits import MAX_TORCH_PARAMS, check, integer, one_of
from ..errors import QuadTheoryError

INITS = ("relinear", "random")


class QuadraticLinear(nn.Module):
    """A layer of ``out_features`` quadratic neurons over ``in_features`` inputs (no activation).

    Parameters carry the core's field names (``w_r``, ``b_r``, ``w_g``, ``b_g``, ``w_b``, ``c``;
    matrices are ``(out, in)`` like ``nn.Linear.weight``), so the count is the core's dense
    count ``out·(3·in + 3)``. ``init="relinear"`` (the default) starts as ``nn.Linear``: the
    ``w_r, b_r`` of a standard init, ``w_g = 0, b_g = 1, w_b = 0, c = 0``. ``init="random"``
    draws every weight and bias like ``nn.Linear`` does, ``U(-1/√in, 1/√in)``.

    >>> import torch
    >>> layer = QuadraticLinear(3, 2, dtype=torch.float64)
    >>> sum(p.numel() for p in layer.parameters())   # 2*(3*3 + 3)
    24
    >>> x = torch.randn(5, 3, dtype=torch.float64)
    >>> linear = x @ layer.w_r.T + layer.b_r          # ReLinear: a conventional layer at first
    >>> torch.allclose(layer(x), linear)
    True
    """

    def __init__(self, in_features: int, out_features: int, *, init: str = "relinear",
                 bias: bool = True, dtype: torch.dtype | None = None,
                 device: torch.device | str | None = None) -> None:
        super().__init__()
        for name, value in (("in_features", in_features), ("out_features", out_features)):
            integer(value, name, 1, expected="a positive integer")
        # Before torch allocates: 10^5 by 10^5 asked for 240 GB.
        check(3 * out_features * (in_features + (1 if bias else 0)), MAX_TORCH_PARAMS,
              "QuadraticLinear: dense params 3·out·(in + 1)")
        one_of(init, "init", INITS)
        if init == "relinear" and not bias:
            raise QuadTheoryError("init='relinear' sets b_g = 1, so it needs bias=True; "
                                  "pass bias=True or init='random'")
        self.in_features, self.out_features, self.init = in_features, out_features, init
        factory = {"dtype": dtype, "device": device}
        matrix, vector = (out_features, in_features), (out_features,)
        self.w_r = nn.Parameter(torch.empty(matrix, **factory))
        self.w_g = nn.Parameter(torch.empty(matrix, **factory))
        self.w_b = nn.Parameter(torch.empty(matrix, **factory))
        for name in ("b_r", "b_g", "c"):
            self.register_parameter(
                name, nn.Parameter(torch.empty(vector, **factory)) if bias else None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw the weights again under the layer's ``init``."""
        # nn.Linear's default: kaiming_uniform(a=√5) is U(-1/√in, 1/√in), as are the biases.
        draw_quadratic(self, 1 / math.sqrt(self.in_features))

    def quadratic_parameters(self) -> list[nn.Parameter]:
        """The parameters of the quadratic terms: ``w_g``, ``b_g``, ``w_b``, ``c``."""
        return [p for p in (self.w_g, self.b_g, self.w_b, self.c) if p is not None]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # r * g + s, not addcmul: addcmul's backward spends two more multiplies (by `value`).
        return (F.linear(x, self.w_r, self.b_r) * F.linear(x, self.w_g, self.b_g)
                + F.linear(x * x, self.w_b, self.c))

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"init={self.init!r}, bias={self.b_r is not None}")


def draw_quadratic(layer: nn.Module, bound: float) -> None:
    """Draw a quadratic layer's ``w_r, w_g, w_b`` and biases from ``U(-bound, bound)``; under
    ``init="relinear"`` the quadratic terms then start as a linear layer (``w_g = 0``,
    ``b_g = 1``, ``w_b = 0``, ``c = 0``). Shared by the dense and convolutional layers."""
    with torch.no_grad():
        for weight in (layer.w_r, layer.w_g, layer.w_b):
            weight.uniform_(-bound, bound)
        for bias in (layer.b_r, layer.b_g, layer.c):
            if bias is not None:
                bias.uniform_(-bound, bound)
        if layer.init == "relinear":
            layer.w_g.zero_()
            layer.b_g.fill_(1)
            layer.w_b.zero_()
            layer.c.zero_()


def param_groups(module: nn.Module, lr: float, quadratic_lr: float) -> list[dict]:
    """Optimizer parameter groups: the quadratic terms (``w_g, b_g, w_b, c`` of every
    quadratic layer: :class:`QuadraticLinear`, ``QuadraticConv1d``, ``QuadraticConv2d``, any
    module with a ``quadratic_parameters()`` method) at ``quadratic_lr``, everything else at
    ``lr``, as in the paper's experiments (a smaller rate keeps ReLinear's start near the
    conventional layer). An empty group is left out.

    >>> import torch
    >>> net = torch.nn.Sequential(QuadraticLinear(2, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    >>> groups = param_groups(net, lr=1e-3, quadratic_lr=1e-5)
    >>> [(g["lr"], sum(p.numel() for p in g["params"])) for g in groups]   # 4*2+4 + 4+1 = 17
    [(0.001, 17), (1e-05, 24)]
    >>> optimizer = torch.optim.Adam(groups)
    """
    quadratic = {id(p): p for layer in module.modules()
                 if callable(getattr(layer, "quadratic_parameters", None))
                 for p in layer.quadratic_parameters()}
    rest = [p for p in module.parameters() if id(p) not in quadratic]
    groups = [{"params": rest, "lr": lr}, {"params": list(quadratic.values()), "lr": quadratic_lr}]
    return [group for group in groups if group["params"]]
