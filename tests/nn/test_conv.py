"""Quadratic convolutions: dense counts against the analytic count, the neuron against a
QuadraticLinear applied to every patch, the ReLinear start against a plain convolution,
seeds, parameter groups, and the pinned errors."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from quadtheory import QuadTheoryError
from quadtheory.nn import (
    QuadraticConv1d,
    QuadraticConv2d,
    QuadraticLinear,
    conv_params,
    param_groups,
)
from tests.strategies import examples

SHAPES_1D = [(1, 1, 1), (1, 16, 64), (16, 16, 3), (3, 7, 5), (64, 2, 1), (2, 3, 9)]
SHAPES_2D = [(1, 1, (1, 1)), (3, 8, (3, 3)), (2, 5, (1, 4)), (4, 4, (5, 2))]


def numel(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize(("n_in", "n_out", "kernel"), SHAPES_1D)
@pytest.mark.parametrize("bias", [True, False])
def test_conv1d_numel_is_the_analytic_count(n_in, n_out, kernel, bias):
    layer = QuadraticConv1d(n_in, n_out, kernel, bias=bias,
                            init="relinear" if bias else "random")
    assert numel(layer) == conv_params(n_in, n_out, kernel, quadratic=True, bias=bias)
    assert numel(layer) == 3 * numel(nn.Conv1d(n_in, n_out, kernel, bias=bias))
    assert conv_params(n_in, n_out, kernel, quadratic=False, bias=bias) == \
        numel(nn.Conv1d(n_in, n_out, kernel, bias=bias))


@pytest.mark.parametrize(("n_in", "n_out", "kernel"), SHAPES_2D)
@pytest.mark.parametrize("bias", [True, False])
def test_conv2d_numel_is_the_analytic_count(n_in, n_out, kernel, bias):
    layer = QuadraticConv2d(n_in, n_out, kernel, bias=bias,
                            init="relinear" if bias else "random")
    assert numel(layer) == conv_params(n_in, n_out, kernel, quadratic=True, bias=bias)
    assert conv_params(n_in, n_out, kernel, quadratic=False, bias=bias) == \
        numel(nn.Conv2d(n_in, n_out, kernel, bias=bias))


@settings(max_examples=examples(25))
@given(n_in=st.integers(1, 6), n_out=st.integers(1, 6), kernel=st.integers(1, 7),
       stride=st.integers(1, 3), padding=st.integers(0, 3), dilation=st.integers(1, 2),
       length=st.integers(0, 12))
def test_conv1d_is_the_quadratic_neuron_on_every_patch(n_in, n_out, kernel, stride, padding,
                                                        dilation, length):
    """Differential: the layer equals a QuadraticLinear over the unfolded patches, with the
    kernels flattened into its rows."""
    span = dilation * (kernel - 1) + 1
    torch.manual_seed(0)
    layer = QuadraticConv1d(n_in, n_out, kernel, stride, padding, dilation, init="random",
                            dtype=torch.float64)
    x = torch.randn(2, n_in, span + length, dtype=torch.float64)
    linear = QuadraticLinear(n_in * kernel, n_out, init="random", dtype=torch.float64)
    with torch.no_grad():
        for name in ("w_r", "w_g", "w_b"):
            getattr(linear, name).copy_(getattr(layer, name).reshape(n_out, -1))
        for name in ("b_r", "b_g", "c"):
            getattr(linear, name).copy_(getattr(layer, name))
    patches = F.unfold(x[..., None], (kernel, 1), dilation=(dilation, 1),
                       padding=(padding, 0), stride=(stride, 1))     # (2, n_in·k, L)
    expected = linear(patches.transpose(1, 2)).transpose(1, 2)
    torch.testing.assert_close(layer(x), expected)


def test_conv2d_is_the_quadratic_neuron_on_every_patch():
    torch.manual_seed(1)
    layer = QuadraticConv2d(3, 4, (3, 2), stride=(1, 2), padding=1, init="random",
                            dtype=torch.float64)
    x = torch.randn(2, 3, 6, 7, dtype=torch.float64)
    linear = QuadraticLinear(3 * 6, 4, init="random", dtype=torch.float64)
    with torch.no_grad():
        for name in ("w_r", "w_g", "w_b"):
            getattr(linear, name).copy_(getattr(layer, name).reshape(4, -1))
        for name in ("b_r", "b_g", "c"):
            getattr(linear, name).copy_(getattr(layer, name))
    out = layer(x)
    patches = F.unfold(x, (3, 2), padding=1, stride=(1, 2))
    expected = linear(patches.transpose(1, 2)).transpose(1, 2).reshape(out.shape)
    torch.testing.assert_close(out, expected)


@pytest.mark.parametrize(("cls", "conv", "shape"), [
    (QuadraticConv1d, nn.Conv1d, (4, 3, 50)), (QuadraticConv2d, nn.Conv2d, (4, 3, 9, 11))])
def test_relinear_starts_as_a_plain_convolution(cls, conv, shape):
    torch.manual_seed(2)
    layer = cls(3, 5, 3, stride=2, padding=1)
    plain = conv(3, 5, 3, stride=2, padding=1)
    with torch.no_grad():
        plain.weight.copy_(layer.w_r)
        plain.bias.copy_(layer.b_r)
    x = torch.randn(shape)
    torch.testing.assert_close(layer(x), plain(x))
    assert torch.all(layer.w_g == 0) and torch.all(layer.b_g == 1)
    assert torch.all(layer.w_b == 0) and torch.all(layer.c == 0)
    bound = 1 / (3 * 3 ** (cls is QuadraticConv2d) * 3) ** 0.5   # 1/√(in·taps), as nn.Conv
    assert layer.w_r.abs().max() <= bound and layer.b_r.abs().max() <= bound


def test_random_init_is_not_a_plain_convolution_and_seeds_repeat():
    torch.manual_seed(3)
    one = QuadraticConv1d(2, 3, 4, init="random")
    torch.manual_seed(3)
    two = QuadraticConv1d(2, 3, 4, init="random")
    x = torch.randn(1, 2, 20)
    assert torch.equal(one(x), two(x))
    assert not torch.allclose(one(x), F.conv1d(x, one.w_r, one.b_r))


def test_backward_reaches_every_parameter():
    layer = QuadraticConv1d(2, 3, 3, padding=1, init="random")
    layer(torch.randn(4, 2, 10)).square().sum().backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in layer.parameters())


def test_param_groups_put_the_quadratic_terms_of_convolutions_apart():
    net = nn.Sequential(QuadraticConv1d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.LazyLinear(2))
    net(torch.zeros(1, 1, 8))
    rest, quadratic = param_groups(net, lr=1e-3, quadratic_lr=1e-4)
    assert quadratic["lr"] == 1e-4
    assert sum(p.numel() for p in quadratic["params"]) == 2 * (4 * 3) + 2 * 4   # w_g, w_b; b_g, c
    assert sum(p.numel() for p in rest["params"]) == 4 * 3 + 4 + 2 * 24 + 2


def test_extra_repr_and_shapes():
    layer = QuadraticConv1d(1, 16, 64, stride=8, padding=28)
    assert "kernel_size=64, stride=8, padding=28" in repr(layer)
    assert layer(torch.zeros(3, 1, 2048)).shape == (3, 16, 256)
    assert "kernel_size=(3, 3)" in repr(QuadraticConv2d(1, 2, 3))


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"in_channels": 0}, "in_channels: expected a positive integer, found 0"),
    ({"out_channels": 2.0}, "out_channels: expected a positive integer, found 2.0"),
    ({"kernel_size": 0}, "kernel_size: expected a positive integer, found 0"),
    ({"kernel_size": (3, 3)}, r"kernel_size: expected a positive integer, found \(3, 3\)"),
    ({"stride": True}, "stride: expected a positive integer, found True"),
    ({"padding": -1}, "padding: expected a non-negative integer, found -1"),
    ({"init": "zeros"}, "init: expected one of relinear, random, found 'zeros'"),
    ({"bias": False}, "init='relinear' sets b_g = 1, so it needs bias=True"),
    ({"stride": 10**5000}, r"stride 1\.00e\+5000 is over the limit 1000000"),
    ({"in_channels": 10**4, "out_channels": 10**4},
     "quadratic convolution: dense params 900030000 is over the limit 100000000"),
])
def test_conv1d_errors(kwargs, match):
    arguments = {"in_channels": 1, "out_channels": 2, "kernel_size": 3, **kwargs}
    with pytest.raises(QuadTheoryError, match=match):
        QuadraticConv1d(**arguments)


def test_conv2d_and_count_errors():
    with pytest.raises(QuadTheoryError, match=r"kernel_size: expected a positive integer or 2 "
                                              r"of them, found \(3, 3, 3\)"):
        QuadraticConv2d(1, 1, (3, 3, 3))
    with pytest.raises(QuadTheoryError, match=r"kernel_size: expected a positive integer, "
                                              r"found 2\.5"):
        conv_params(1, 1, 2.5, quadratic=True)
    with pytest.raises(QuadTheoryError, match="in_channels: expected a positive integer"):
        conv_params(0, 1, 3, quadratic=False)
