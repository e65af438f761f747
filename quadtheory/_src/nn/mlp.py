"""Multilayer perceptrons of quadratic or conventional neurons, sized by their widths.

``widths`` lists every layer's size from the inputs to the outputs (``[3, 16, 16, 1]``: 3
inputs, two hidden layers of 16, one output). Hidden layers use the activation, the output
layer is identity. Both are plain ``nn.Sequential`` stacks, so :func:`quadtheory.nn.from_torch`
reads them like any other stack of layers and activations.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable, Sequence

import torch
from torch import nn

from ..core.layers import ACTIVATIONS
from ..core.limits import MAX_TORCH_PARAMS, check, integer, one_of, quoted
from ..errors import QuadTheoryError
from .quadratic_linear import QuadraticLinear


def _check_widths(widths: Sequence[int]) -> tuple[int, ...]:
    if isinstance(widths, str) or not isinstance(widths, Sequence) or len(widths) < 2:
        raise QuadTheoryError(f"widths: expected the layer sizes from inputs to outputs, at "
                              f"least two, like [3, 16, 1]; found {quoted(widths)}")
    for k, w in enumerate(widths):
        integer(w, f"widths[{k}]", 1, expected="a positive integer")
    for k, (n_in, n_out) in enumerate(itertools.pairwise(widths)):
        # before torch allocates (a quadratic layer checks its own, three times as many)
        check(n_out * (n_in + 1), MAX_TORCH_PARAMS,
              f"layer {k + 1}: dense params widths[{k + 1}]·(widths[{k}] + 1)")
    return tuple(widths)


def _stack(widths: Sequence[int], activation: str,
           layer: Callable[[int, int], nn.Module]) -> list[nn.Module]:
    one_of(activation, "activation", ACTIVATIONS)
    sizes = _check_widths(widths)
    modules: list[nn.Module] = []
    for k, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
        modules.append(layer(n_in, n_out))
        if activation == "relu" and k < len(sizes) - 2:
            modules.append(nn.ReLU())
    return modules


class _MLP(nn.Sequential):
    widths: tuple[int, ...]
    activation: str

    def __getitem__(self, index: int | slice) -> nn.Module:
        # nn.Sequential slices by calling type(self)(OrderedDict), which an MLP's widths
        # signature cannot take: a slice is a plain stack of the same modules.
        if isinstance(index, slice):
            return nn.Sequential(OrderedDict(list(self._modules.items())[index]))
        return super().__getitem__(index)


class QuadraticMLP(_MLP):
    """Quadratic layers (:class:`QuadraticLinear`) with ``activation`` between them.

    >>> net = QuadraticMLP([3, 16, 16, 1])
    >>> sum(p.numel() for p in net.parameters())   # 16*(3*3+3) + 16*(3*16+3) + 1*(3*16+3)
    1059
    >>> net[:2]                                     # a slice is a plain nn.Sequential
    Sequential(
      (0): QuadraticLinear(in_features=3, out_features=16, init='relinear', bias=True)
      (1): ReLU()
    )
    """

    def __init__(self, widths: Sequence[int], activation: str = "relu", *,
                 init: str = "relinear", dtype: torch.dtype | None = None,
                 device: torch.device | str | None = None) -> None:
        super().__init__(*_stack(widths, activation, lambda n_in, n_out: QuadraticLinear(
            n_in, n_out, init=init, dtype=dtype, device=device)))
        self.widths, self.activation = tuple(widths), activation


class ConventionalMLP(_MLP):
    """Conventional layers (``nn.Linear``) with ``activation`` between them.

    >>> net = ConventionalMLP([3, 16, 16, 1])
    >>> sum(p.numel() for p in net.parameters())   # 16*(3+1) + 16*(16+1) + 1*(16+1)
    353
    """

    def __init__(self, widths: Sequence[int], activation: str = "relu", *,
                 dtype: torch.dtype | None = None,
                 device: torch.device | str | None = None) -> None:
        super().__init__(*_stack(widths, activation, lambda n_in, n_out: nn.Linear(
            n_in, n_out, dtype=dtype, device=device)))
        self.widths, self.activation = tuple(widths), activation
