"""quadtheory.nn layers: counts equal the core's dense counts, the formula, the inits."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from quadtheory import ConventionalLayer, Matrix, Network, QuadraticLayer, QuadTheoryError
from quadtheory.nn import ConventionalMLP, QuadraticLinear, QuadraticMLP, param_groups

WIDTHS = [[1, 1], [3, 1], [1, 5, 1], [2, 3, 4], [3, 16, 16, 1], [4, 1, 1, 1, 2]]


def core_architecture(kind: str, widths: list[int]) -> Network:
    """A core network of the architecture, all weights zero: only its counts matter."""
    layers = []
    for k, (n_in, n_out) in enumerate(itertools.pairwise(widths)):
        zeros, vector = Matrix.zeros(n_out, n_in), (0,) * n_out
        activation = "identity" if k == len(widths) - 2 else "relu"
        layers.append(QuadraticLayer(zeros, vector, zeros, vector, zeros, vector, activation)
                      if kind == "quadratic" else ConventionalLayer(zeros, vector, activation))
    return Network(tuple(f"x{k}" for k in range(widths[0])), tuple(layers))


@pytest.mark.parametrize("widths", WIDTHS)
@pytest.mark.parametrize(("kind", "mlp"), [("quadratic", QuadraticMLP),
                                           ("conventional", ConventionalMLP)])
def test_numel_is_the_core_dense_count(kind, mlp, widths):
    module = mlp(widths)
    assert sum(p.numel() for p in module.parameters()) == \
        core_architecture(kind, widths).params.dense


@pytest.mark.parametrize(("n_in", "n_out"), [(1, 1), (3, 2), (7, 5)])
def test_quadratic_linear_counts(n_in, n_out):
    layer = QuadraticLinear(n_in, n_out)
    assert sum(p.numel() for p in layer.parameters()) == n_out * (3 * n_in + 3)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_forward_is_fans_neuron(dtype):
    torch.manual_seed(0)
    layer = QuadraticLinear(4, 3, init="random", dtype=dtype)
    x = torch.randn(2, 5, 4, dtype=dtype)   # batch dimensions pass through
    out = layer(x)
    assert out.shape == (2, 5, 3) and out.dtype == dtype
    expected = torch.stack([
        (x @ layer.w_r[j] + layer.b_r[j]) * (x @ layer.w_g[j] + layer.b_g[j])
        + (x * x) @ layer.w_b[j] + layer.c[j] for j in range(3)], dim=-1)
    torch.testing.assert_close(out, expected)


def test_relinear_starts_as_a_conventional_layer():
    torch.manual_seed(1)
    layer = QuadraticLinear(6, 4, dtype=torch.float64)
    assert torch.equal(layer.w_g, torch.zeros(4, 6)) and torch.equal(layer.b_g, torch.ones(4))
    assert not layer.w_b.any() and not layer.c.any() and layer.w_r.abs().max() <= 6 ** -0.5
    x = torch.randn(10, 6, dtype=torch.float64)
    assert torch.equal(layer(x), F.linear(x, layer.w_r, layer.b_r))


def test_random_init_draws_every_parameter():
    torch.manual_seed(2)
    layer = QuadraticLinear(9, 8, init="random")
    for p in layer.parameters():
        assert p.abs().max() <= 1 / 3 and (p != 0).all()


def test_relinear_mlp_matches_the_conventional_mlp_with_its_weights():
    torch.manual_seed(3)
    quadratic, conventional = QuadraticMLP([2, 5, 1]), ConventionalMLP([2, 5, 1])
    with torch.no_grad():
        for q, c in zip(quadratic[::2], conventional[::2], strict=True):
            c.weight.copy_(q.w_r)
            c.bias.copy_(q.b_r)
    x = torch.randn(20, 2)
    torch.testing.assert_close(quadratic(x), conventional(x))


def test_gradients_are_exact_in_float64():
    torch.manual_seed(4)
    layer = QuadraticLinear(3, 2, init="random", dtype=torch.float64)
    x = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(layer, (x,))
    assert torch.autograd.gradgradcheck(layer, (x,))   # double backward works too


def test_mlp_structure():
    net = QuadraticMLP([3, 4, 4, 2], dtype=torch.float64)
    assert [type(m).__name__ for m in net] == ["QuadraticLinear", "ReLU", "QuadraticLinear",
                                               "ReLU", "QuadraticLinear"]
    assert net.widths == (3, 4, 4, 2)
    assert net(torch.zeros(7, 3, dtype=torch.float64)).shape == (7, 2)
    linear = ConventionalMLP([2, 3, 1], activation="identity")
    assert [type(m).__name__ for m in linear] == ["Linear", "Linear"]


def test_dtype_and_device():
    net = QuadraticMLP([2, 3, 1], dtype=torch.float64, device="cpu")
    assert {p.dtype for p in net.parameters()} == {torch.float64}
    assert {p.dtype for p in net.float().parameters()} == {torch.float32}
    assert net(torch.ones(1, 2)).dtype == torch.float32


def test_param_groups_split_the_quadratic_terms():
    net = nn.Sequential(QuadraticMLP([2, 3, 1]), nn.Linear(1, 1))
    rest, quadratic = param_groups(net, lr=1e-2, quadratic_lr=1e-4)
    assert (rest["lr"], quadratic["lr"]) == (1e-2, 1e-4)
    layers = [m for m in net.modules() if isinstance(m, QuadraticLinear)]
    assert {id(p) for p in quadratic["params"]} == {
        id(getattr(m, name)) for m in layers for name in ("w_g", "b_g", "w_b", "c")}
    every = [*rest["params"], *quadratic["params"]]
    assert len(every) == len({id(p) for p in every}) == len(list(net.parameters()))
    optimizer = torch.optim.Adam(param_groups(net, 1e-2, 1e-4))
    assert len(optimizer.param_groups) == 2


def test_param_groups_of_a_conventional_network_is_one_group():
    groups = param_groups(ConventionalMLP([2, 3, 1]), lr=1e-3, quadratic_lr=1e-5)
    assert [g["lr"] for g in groups] == [1e-3]


@pytest.mark.parametrize(("build", "message"), [
    (lambda: QuadraticMLP([3]), r"widths: expected the layer sizes .* found \[3\]"),
    (lambda: QuadraticMLP("3,1"), r"widths: expected .* found '3,1'"),
    (lambda: ConventionalMLP([3, 0, 1]), r"widths\[1\]: expected a positive integer, found 0"),
    (lambda: ConventionalMLP([3, 2.5]), r"widths\[1\]: expected a positive integer, found 2.5"),
    (lambda: QuadraticMLP([3, 1], activation="tanh"),
     r"activation: expected one of relu, identity, found 'tanh'"),
    (lambda: QuadraticLinear(3, 1, init="xavier"),
     r"init: expected one of relinear, random, found 'xavier'"),
    (lambda: QuadraticLinear(0, 1), r"in_features: expected a positive integer, found 0"),
    (lambda: QuadraticLinear(2, 1, bias=False), r"init='relinear' sets b_g = 1, so it needs"),
    # Refused before torch allocates (240 GB asked; a width past 4,300 digits made torch's own
    # error, and a negative one no message at all).
    (lambda: QuadraticLinear(10**5, 10**5),
     r"QuadraticLinear: dense params 3·out·\(in \+ 1\) 30000300000 is over the limit 100000000"),
    (lambda: ConventionalMLP([3, 10**5000, 1]),
     r"layer 1: dense params widths\[1\]·\(widths\[0\] \+ 1\) 4\.00e\+5000 is over the limit"),
    (lambda: QuadraticMLP([3, -(10**5000)]),
     r"widths\[1\]: expected a positive integer, found -1\.00e\+5000"),
])
def test_errors(build, message):
    with pytest.raises(QuadTheoryError, match=message):
        build()


def test_without_bias():
    layer = QuadraticLinear(2, 3, init="random", bias=False)
    assert sum(p.numel() for p in layer.parameters()) == 3 * 3 * 2
    assert torch.equal(layer(torch.zeros(1, 2)), torch.zeros(1, 3))


def test_import_quadtheory_does_not_import_torch():
    code = "import sys, quadtheory; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
