"""Exercises of notebook 01, the quadratic neuron (Fan et al., arXiv:2303.06316): its
parameter count, a product of two affine forms with two relu neurons, ``‖x − c‖²`` with one
neuron."""

from __future__ import annotations

from ..core.layers import quadratic_layer
from .exercise import Exercise, Outcome, covers, integer, matches, network, proved, wrong

UNIT_SQUARE = [(-1, 1), (-1, 1)]
PRODUCT = "(x - y + 1)*(2*x + y)"


def _layer_params(answer: object) -> Outcome:
    count = integer(answer, "a number of parameters")
    layer = quadratic_layer([[0] * 4] * 3)  # 3 neurons, 4 inputs
    return matches(count, layer.dense_params, "quadratic_layer([[0] * 4] * 3).dense_params")


def _product(answer: object) -> Outcome:
    net = network(answer, ("x", "y"))
    covers(net, UNIT_SQUARE)
    hidden = net.layers[:-1]
    if not hidden or any(layer.activation != "relu" for layer in hidden):
        return wrong("expected relu hidden neurons and a linear read-out; found activations "
                     + ", ".join(layer.activation for layer in net.layers))
    if net.layers[-1].activation != "identity":
        return wrong("expected a linear read-out (identity activation) as the last layer")
    if sum(layer.out_features for layer in hidden) > 2:
        return wrong(f"{sum(layer.out_features for layer in hidden)} relu neurons; expected 2")
    return proved(net, PRODUCT)


def _distance(answer: object) -> Outcome:
    net = network(answer, ("x1", "x2"))
    covers(net, UNIT_SQUARE)
    if net.neurons != 1:
        return wrong(f"{net.neurons} neurons; expected one")
    return proved(net, "(x1 - 1)**2 + (x2 + 2)**2")


EXERCISES = (
    Exercise("01.1", "dense parameters of a quadratic layer with 4 inputs and 3 neurons",
             "one neuron with n inputs has w_r, w_g, w_b (n each) and b_r, b_g, c: 3n + 3",
             _layer_params),
    Exercise("01.2", "(x − y + 1)·(2x + y) on [-1, 1]² with two relu quadratic neurons and a "
             "linear read-out",
             "one neuron computes p = relu(z) for z = (w_r·x + b_r)(w_g·x + b_g), another "
             "q = relu(−z); the read-out p − q (qt.readout) is z",
             _product),
    Exercise("01.3", "‖x − c‖² for c = (1, −2) with one quadratic neuron, inputs x1, x2",
             "‖x − c‖² = Σ x_i² − 2c·x + ‖c‖²: w_b = 1 for the squares, w_r = −2c with "
             "b_r = ‖c‖², and w_g = 0, b_g = 1",
             _distance),
)
