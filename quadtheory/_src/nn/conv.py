"""Quadratic convolutions in torch: Fan's neuron with a convolution in place of each product.

Output channel j of a layer with input ``x`` computes (Fan, Dong, Wu, Ruan, Zeng, Cui, Liao,
"One Neuron Saved Is One Neuron Earned", 2023, arXiv:2303.06316, the QCNN of its bearing
experiment)::

    (w_r[j] ⋆ x + b_r[j]) * (w_g[j] ⋆ x + b_g[j]) + w_b[j] ⋆ (x⊙x) + c[j]

where ``⋆`` is the cross-correlation of ``nn.Conv1d``/``nn.Conv2d`` (same stride, padding,
dilation). A layer of ``out`` channels over ``in`` channels and a kernel of ``k`` taps holds
``3·out·(in·k + 1)`` dense parameters, three times a conventional convolution's
(:func:`conv_params`). The ReLinear initialization (Fan, Xiong, Wang, arXiv:2110.06081) starts
the layer as the conventional convolution ``w_r ⋆ x + b_r``: ``w_g = 0, b_g = 1, w_b = 0,
c = 0``, as :class:`~quadtheory.nn.QuadraticLinear` does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from ..core.limits import (
    MAX_CONV_SIZE,
    MAX_TORCH_PARAMS,
    check,
    integer,
    is_integer,
    one_of,
    quoted,
)
from ..errors import QuadTheoryError
from .quadratic_linear import INITS, draw_quadratic


def _positive(name: str, value: object) -> int:
    return integer(value, name, 1, expected="a positive integer")


def _sizes(name: str, value: int | Sequence[int], dims: int, least: int) -> tuple[int, ...]:
    """One integer per spatial dimension (an integer stands for all of them)."""
    values = (value,) * dims if isinstance(value, int) and not isinstance(value, bool) else value
    if (not isinstance(values, Sequence) or len(values) != dims or any(
            not is_integer(v, least) for v in values)):
        what = "a positive integer" if least else "a non-negative integer"
        tail = "" if dims == 1 else f" or {dims} of them"
        raise QuadTheoryError(f"{name}: expected {what}{tail}, found {quoted(value)}")
    check(max(values), MAX_CONV_SIZE, name)
    return tuple(values)


def conv_params(in_channels: int, out_channels: int, kernel_size: int | Sequence[int], *,
                quadratic: bool, bias: bool = True) -> int:
    """The dense parameter count of a convolution: ``out·(in·∏k + 1)`` for a conventional one
    (``nn.Conv1d``/``nn.Conv2d``), three times that for a quadratic one (``w_r, w_g, w_b`` and
    ``b_r, b_g, c``). Without bias the ``+ 1`` goes.

    >>> conv_params(1, 16, 64, quadratic=True)          # 3 * 16 * (1*64 + 1)
    3120
    >>> conv_params(16, 32, 3, quadratic=False)         # 32 * (16*3 + 1)
    1568
    >>> conv_params(3, 8, (3, 3), quadratic=True, bias=False)   # 3 * 8 * 3*9
    648
    """
    dims = len(kernel_size) if isinstance(kernel_size, Sequence) else 1
    kernel = _sizes("kernel_size", kernel_size, dims, 1)
    _positive("in_channels", in_channels)
    _positive("out_channels", out_channels)
    one = out_channels * (in_channels * math.prod(kernel) + (1 if bias else 0))
    return 3 * one if quadratic else one


class _QuadraticConv(nn.Module):
    dims: int

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | Sequence[int],
                 stride: int | Sequence[int] = 1, padding: int | Sequence[int] = 0,
                 dilation: int | Sequence[int] = 1, *, init: str = "relinear",
                 bias: bool = True, dtype: torch.dtype | None = None,
                 device: torch.device | str | None = None) -> None:
        super().__init__()
        self.in_channels = _positive("in_channels", in_channels)
        self.out_channels = _positive("out_channels", out_channels)
        self.kernel_size = _sizes("kernel_size", kernel_size, self.dims, 1)
        self.stride = _sizes("stride", stride, self.dims, 1)
        self.padding = _sizes("padding", padding, self.dims, 0)
        self.dilation = _sizes("dilation", dilation, self.dims, 1)
        # Before torch allocates the three kernels.
        check(conv_params(in_channels, out_channels, self.kernel_size, quadratic=True,
                          bias=bias), MAX_TORCH_PARAMS, "quadratic convolution: dense params")
        one_of(init, "init", INITS)
        if init == "relinear" and not bias:
            raise QuadTheoryError("init='relinear' sets b_g = 1, so it needs bias=True; "
                                  "pass bias=True or init='random'")
        self.init = init
        factory = {"dtype": dtype, "device": device}
        kernel = (out_channels, in_channels, *self.kernel_size)
        self.w_r = nn.Parameter(torch.empty(kernel, **factory))
        self.w_g = nn.Parameter(torch.empty(kernel, **factory))
        self.w_b = nn.Parameter(torch.empty(kernel, **factory))
        for name in ("b_r", "b_g", "c"):
            self.register_parameter(
                name, nn.Parameter(torch.empty(out_channels, **factory)) if bias else None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw the weights again under the layer's ``init``."""
        # nn.Conv's default: kaiming_uniform(a=√5) is U(-1/√fan_in, 1/√fan_in), as are the
        # biases; fan_in = in_channels · kernel taps.
        draw_quadratic(self, 1 / math.sqrt(self.in_channels * math.prod(self.kernel_size)))

    def quadratic_parameters(self) -> list[nn.Parameter]:
        """The parameters of the quadratic terms: ``w_g``, ``b_g``, ``w_b``, ``c``."""
        return [p for p in (self.w_g, self.b_g, self.w_b, self.c) if p is not None]

    def _conv(self, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None
              ) -> torch.Tensor:
        function = F.conv1d if self.dims == 1 else F.conv2d
        return function(x, weight, bias, self.stride, self.padding, self.dilation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (self._conv(x, self.w_r, self.b_r) * self._conv(x, self.w_g, self.b_g)
                + self._conv(x * x, self.w_b, self.c))

    def extra_repr(self) -> str:
        one = (lambda t: t[0]) if self.dims == 1 else tuple
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={one(self.kernel_size)}, "
                f"stride={one(self.stride)}, padding={one(self.padding)}, "
                f"dilation={one(self.dilation)}, init={self.init!r}, bias={self.b_r is not None}")


class QuadraticConv1d(_QuadraticConv):
    """A layer of ``out_channels`` quadratic neurons convolved over a sequence (no activation).

    Arguments as ``nn.Conv1d`` (``kernel_size, stride, padding, dilation``; no groups), plus
    ``init`` as :class:`~quadtheory.nn.QuadraticLinear`. Kernels are ``(out, in, k)``; the count
    is :func:`conv_params` with ``quadratic=True``.

    >>> import torch
    >>> layer = QuadraticConv1d(1, 16, 64, stride=8, padding=28)   # the QCNN's first layer
    >>> sum(p.numel() for p in layer.parameters())                 # 3 * 16 * (1*64 + 1)
    3120
    >>> x = torch.randn(2, 1, 2048)
    >>> layer(x).shape                                  # (2048 + 2*28 - 64) // 8 + 1 = 256
    torch.Size([2, 16, 256])
    >>> plain = torch.nn.functional.conv1d(x, layer.w_r, layer.b_r, 8, 28)
    >>> torch.allclose(layer(x), plain)                 # ReLinear: a plain convolution at first
    True
    """

    dims = 1


class QuadraticConv2d(_QuadraticConv):
    """A layer of ``out_channels`` quadratic neurons convolved over an image (no activation).

    Arguments as ``nn.Conv2d`` (an integer or a pair for each of ``kernel_size, stride,
    padding, dilation``; no groups), plus ``init``. Kernels are ``(out, in, kh, kw)``.

    >>> import torch
    >>> layer = QuadraticConv2d(3, 8, (3, 3), padding=1, init="random")
    >>> sum(p.numel() for p in layer.parameters())      # 3 * 8 * (3*3*3 + 1)
    672
    >>> layer(torch.randn(1, 3, 5, 7)).shape
    torch.Size([1, 8, 5, 7])
    """

    dims = 2
