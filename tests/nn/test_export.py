"""Export to torch and import back: exact weights, float64 agreement, trained networks."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from quadtheory import Network, QuadTheoryError, conventional_layer, load, quadratic_layer, save
from quadtheory._src.conventional.family import relu_construct, relu_radial
from quadtheory._src.conventional.pieces import pieces, sup_error
from quadtheory._src.conventional.pwl import interpolate
from quadtheory._src.conventional.yarotsky import sawtooth, yarotsky_square
from quadtheory._src.quadratic.construct import construct
from quadtheory._src.quadratic.radial import radial
from quadtheory.nn import ConventionalMLP, QuadraticLinear, QuadraticMLP, from_torch, to_torch
from tests.strategies import examples, networks

TOLERANCE = 1e-12


def sample(network: Network, count: int, seed: int) -> np.ndarray:
    """Random float64 points of the domain ([-2, 2] per input without one)."""
    box = network.domain or ((-2, 2),) * network.n_inputs
    lo, hi = (np.array([float(side[k]) for side in box]) for k in (0, 1))
    return lo + (hi - lo) * np.random.default_rng(seed).random((count, network.n_inputs))


def export_error(network: Network, count: int = 16, seed: int = 0) -> float:
    """The worst |torch - exact| over a sample, relative to the largest exact output."""
    points = sample(network, count, seed)
    exact = np.array([[float(v) for v in network.exact([Fraction(x) for x in row])]
                      for row in points.tolist()])
    got = to_torch(network)(torch.from_numpy(points)).detach().numpy()
    scale = np.abs(exact).max(axis=0)
    error = np.abs(got - exact).max(axis=0)
    return float(max(e / s if s else e for e, s in zip(error, scale, strict=True)))


FAMILIES = [
    *[(f"construct({e!r})", construct(e)) for e in
      ("x**2", "x*y", "x**2*y + z", "x**3 - 2*x*y", "(x + y/3)**4 - z/7")],
    ("construct identity", construct("x**2*y + z", activation="identity")),
    ("radial 1 + r**2", radial("1 + r**2", 3)),
    ("radial exp(-r**2), pwl", radial("exp(-r**2)", 3, eps="1/1000", method="piecewise linear")),
    ("radial exp(-r**2), taylor", radial("exp(-r**2)", 2, eps="1/1000",
                                         method="polynomial approximant")),
    ("yarotsky_square(6)", yarotsky_square(6)),
    ("yarotsky_square(4, radius=3)", yarotsky_square(4, shifted=True, radius=3)),
    ("sawtooth(5)", sawtooth(5)),
    ("interpolate exp(-t)", interpolate("exp(-t)", "t", (0, 1), "1/1000").network()),
    *[(f"relu_construct({e!r})", relu_construct(e, "1/100")) for e in
      ("x**2", "x*y", "x**2*y + z", "x**3 - 2*x*y")],
    ("relu_construct x**2, 1e-6", relu_construct("x**2", "1e-6")),
    ("relu_radial r**2", relu_radial("r**2", 3, "1/100")),
    ("relu_radial exp(-r**2)", relu_radial("exp(-r**2)", 2, "1/100")),
]


@pytest.mark.parametrize(("name", "network"), FAMILIES, ids=[name for name, _ in FAMILIES])
def test_constructions_survive_export(name, network):
    assert export_error(network) <= TOLERANCE


def test_hand_built_networks_of_both_kinds():
    xy = Network(("x", "y"), (quadratic_layer([[1, 1], [1, -1]], w_g=[[1, 1], [1, -1]]),
                              conventional_layer([["1/4", "-1/4"]], activation="identity")),
                 domain=[[-1, 1], [-1, 1]])
    hat = Network(("x",), (conventional_layer([[1], [1]], ["0", "-1/3"]),
                           conventional_layer([[1, -3]], activation="identity")))
    for network in (xy, hat):
        assert export_error(network) <= TOLERANCE


@settings(max_examples=examples(40), deadline=None)
@given(networks())
def test_random_networks_survive_export(network):
    assert export_error(network, count=4) <= 1e-10


def test_to_torch_structure_and_dtype():
    net = construct("x**2*y + z")
    module = to_torch(net)
    assert isinstance(module, nn.Sequential)
    assert sum(p.numel() for p in module.parameters()) == net.params.dense
    assert {p.dtype for p in module.parameters()} == {torch.float64}
    assert {p.dtype for p in to_torch(net, dtype=torch.float32).parameters()} == {torch.float32}
    relus = sum(isinstance(m, nn.ReLU) for m in module)
    assert relus == sum(layer.activation == "relu" for layer in net.layers)


@pytest.mark.parametrize("module", [
    ConventionalMLP([2, 8, 8, 1]), QuadraticMLP([2, 4, 3, 2], init="random"),
    nn.Linear(3, 2), QuadraticLinear(2, 2, init="random"),
    nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Identity(), nn.Sequential(
        QuadraticLinear(3, 2, init="random"), nn.ReLU()), nn.Linear(2, 1)),
], ids=["conventional", "quadratic", "linear", "quadratic-linear", "nested"])
def test_round_trip_reproduces_the_module_exactly(module, tmp_path):
    torch.manual_seed(0)
    n_in = next(module.parameters()).shape[-1]
    network = from_torch(module)
    assert network.trained and network.params.dense == sum(p.numel() for p in module.parameters())
    x = torch.randn(64, n_in, dtype=torch.float64)
    expected = module.double()(x)
    assert torch.equal(to_torch(network)(x), expected)    # float64: bit for bit
    save(network, tmp_path / "net.json")
    assert load(tmp_path / "net.json") == network
    point = [Fraction(v) for v in x[0].tolist()]
    exact = np.array([float(v) for v in network.exact(point)])
    np.testing.assert_allclose(exact, expected[0].detach().numpy(), rtol=1e-12, atol=1e-12)


def test_float32_weights_are_read_exactly():
    linear = nn.Linear(2, 1)
    network = from_torch(linear, inputs=["u", "v"], domain=[[0, 1], [0, 1]], meta={"run": 3})
    assert network.inputs == ("u", "v") and network.meta["run"] == 3
    assert network.domain == ((0, 1), (0, 1))
    weights = [Fraction(v) for v in linear.weight.detach().double().flatten().tolist()]
    assert network.layers[0].w.dense()[0] == weights
    assert network.layers[0].activation == "identity"


def test_default_input_names():
    assert from_torch(nn.Linear(1, 1)).inputs == ("x",)
    assert from_torch(nn.Linear(3, 1)).inputs == ("x1", "x2", "x3")


def dyadic(count: int, rng: np.random.Generator) -> list[Fraction]:
    return [Fraction(int(v), 64) for v in rng.integers(-128, 129, count)]


@pytest.mark.parametrize(("symbolic", "count"), [
    (yarotsky_square(5), 2**5), (sawtooth(4), 2**4), (yarotsky_square(3, radius=2), 2**4)],
    ids=["yarotsky", "sawtooth", "folded"])
def test_imported_pieces_equal_the_symbolic_pieces(symbolic, count):
    # Dyadic weights are float32-exact: torch holds the same function, which comes back.
    module = to_torch(symbolic, dtype=torch.float32)
    imported = from_torch(module, inputs=symbolic.inputs, domain=symbolic.domain)
    assert pieces(imported) == pieces(symbolic) and len(pieces(imported)) + 1 == count


@pytest.mark.parametrize("seed", range(5))
def test_trained_shallow_network_pieces_equal_its_kinks(seed):
    """f = Σ a_i relu(w_i x + b_i) + c kinks at -b_i/w_i where the slope jump Σ a_i |w_i| of
    the neurons kinking there is nonzero: counted by hand from the exact float weights."""
    torch.manual_seed(seed)
    module = ConventionalMLP([1, 12, 1])
    with torch.no_grad():   # two neurons share a kink, and one cancels another's jump
        module[0].weight[1], module[0].bias[1] = module[0].weight[0] * 2, module[0].bias[0] * 2
        module[2].weight[0, 1] = -module[2].weight[0, 0] / 2
    network = from_torch(module, domain=[[-4, 4]])
    (w, b), (a, _) = ([[Fraction(v) for v in p.detach().double().flatten().tolist()]
                       for p in m.parameters()] for m in (module[0], module[2]))
    jumps: dict[Fraction, Fraction] = {}
    for wi, bi, ai in zip(w, b, a, strict=True):
        if wi and -4 < -bi / wi < 4:
            jumps[-bi / wi] = jumps.get(-bi / wi, Fraction(0)) + ai * abs(wi)
    assert pieces(network) == tuple(sorted(k for k, jump in jumps.items() if jump))


def test_trained_network_sup_error_is_exact():
    torch.manual_seed(1)
    network = from_torch(ConventionalMLP([1, 6, 1]), domain=[[-1, 1]])
    error = sup_error(network, "x**2")
    assert error.exact and error.pieces == len(pieces(network)) + 1
    grid = np.linspace(-1, 1, 2001)
    sampled = np.abs(network.numeric(grid[:, None])[:, 0] - grid**2).max()
    assert sampled <= float(error.upper) * (1 + 1e-12)


@given(st.integers(0, 2**32 - 1))
@settings(max_examples=examples(20), deadline=None)
def test_import_then_export_is_the_identity_on_random_mlps(seed):
    torch.manual_seed(seed)
    widths = [2, *torch.randint(1, 5, (2,)).tolist(), 1]
    for module in (ConventionalMLP(widths), QuadraticMLP(widths, init="random")):
        x = torch.randn(8, 2, dtype=torch.float64)
        assert torch.equal(to_torch(from_torch(module))(x), module.double()(x))


@pytest.mark.parametrize(("module", "message"), [
    (nn.Sequential(nn.Linear(1, 2), nn.Tanh()),
     r"module\[1\]: expected nn.Linear, QuadraticLinear, nn.ReLU, nn.Identity or an "
     r"nn.Sequential of them, found Tanh"),
    (nn.Sequential(nn.ReLU(), nn.Linear(1, 1)),
     r"module\[0\]: expected a layer before nn.ReLU, found none"),
    (nn.Sequential(), r"module: expected at least one nn.Linear or QuadraticLinear layer"),
    (nn.Sequential(nn.Linear(2, 3), nn.Linear(2, 1)),
     r"layers\[1\].w: expected 3 columns \(the width of layers\[0\]\), found 2"),
])
def test_import_errors(module, message):
    with pytest.raises(QuadTheoryError, match=message):
        from_torch(module)


def test_import_error_for_input_names_and_weights():
    with pytest.raises(QuadTheoryError, match=r"inputs: expected 2 names \(the first layer's "
                                              r"inputs\), found 1: \['x'\]"):
        from_torch(nn.Linear(2, 1), inputs=["x"])
    broken = QuadraticLinear(1, 1)
    with torch.no_grad():
        broken.w_b.fill_(float("nan"))
    with pytest.raises(QuadTheoryError, match=r"module.w_b: expected finite weights, found nan"):
        from_torch(broken)


def test_export_error_for_huge_weights():
    net = Network(("x",), (conventional_layer([[Fraction(10) ** 400]]),))
    with pytest.raises(QuadTheoryError, match=r"layers\[0\]\.w: entry \(0, 0\) is too large "
                                              r"for float64"):
        to_torch(net)
    biased = Network(("x",), (conventional_layer([[1]], [Fraction(10) ** 400]),))
    with pytest.raises(QuadTheoryError, match=r"layers\[0\]\.b: an entry is too large"):
        to_torch(biased)


def test_relu_repeated_is_relu():
    module = nn.Sequential(nn.Linear(1, 1), nn.ReLU(), nn.ReLU())
    assert [layer.activation for layer in from_torch(module).layers] == ["relu"]


def test_all_layers_pairs():
    # every adjacent pair of layer kinds and activations exports and imports back
    kinds = [lambda: QuadraticLinear(2, 2, init="random"), lambda: nn.Linear(2, 2)]
    for first, second in itertools.product(kinds, repeat=2):
        for relu in (True, False):
            module = nn.Sequential(first(), *([nn.ReLU()] if relu else []), second()).double()
            x = torch.randn(5, 2, dtype=torch.float64)
            assert torch.equal(to_torch(from_torch(module))(x), module(x))


def test_to_torch_refuses_more_dense_params_than_its_limit(monkeypatch):
    """torch holds every weight: the ReLU Taylor network of exp(exp(exp(x))) at eps 1e-2 has
    417 million dense params (362,863 nonzero), 3.3 GB of float64; refused up front."""
    from quadtheory._src.core import limits
    from quadtheory.nn import to_torch

    net = Network(("x",), (conventional_layer([[1]] * 30, [0] * 30),
                           conventional_layer([[1] * 30], [0], "identity")))
    monkeypatch.setattr(limits, "MAX_TORCH_PARAMS", net.params.dense - 1)
    with pytest.raises(QuadTheoryError, match=r"to_torch: the dense params .* is over the limit"):
        to_torch(net)
    monkeypatch.setattr(limits, "MAX_TORCH_PARAMS", net.params.dense)
    assert isinstance(to_torch(net), nn.Sequential)
