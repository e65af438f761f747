"""Exercises of notebook 06, dimension: ball neurons separating clusters (Noel &
Muthiah-Nakarajan 2023, arXiv:2310.02901), a ball chosen by hand and checked exactly, and the
parameters a radial network adds per dimension (Fan, Xiong, Wang, arXiv:1808.00098)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from ..core.layers import quadratic_layer
from ..core.limits import quoted
from ..core.network import Network
from ..core.numbers import format_rational
from ..errors import QuadTheoryError
from ..quadratic.radial import radial
from ..studies.clusters import cluster_points
from ..studies.separation import separate
from .exercise import Exercise, Outcome, integer, matches, rational, right, wrong

INSIDE = ((0, 0), (1, 0), (0, 1))
OUTSIDE = ((3, 3), (-2, 2), (2, -2))


def _layer_params(answer: object) -> Outcome:
    count = integer(answer, "a number of parameters")
    sep = separate(cluster_points("blobs", 4, 10, points=5))
    return matches(count, sep.network.params.dense,
                   'qt.separate(qt.cluster_points("blobs", 4, 10, points=5)).network.params'
                   '.dense')


def _ball(answer: object) -> tuple[tuple[Fraction, Fraction], Fraction]:
    if isinstance(answer, str | bytes) or not isinstance(answer, Sequence) or len(answer) != 2:
        raise QuadTheoryError(f"expected a pair (centre, radius) such as ((0, 0), 2), found "
                              f"{quoted(answer)}")
    centre, radius = answer
    if isinstance(centre, str | bytes) or not isinstance(centre, Sequence) or len(centre) != 2:
        raise QuadTheoryError(f"expected a centre of two coordinates, found {quoted(centre)}")
    return ((rational(centre[0], "a coordinate"), rational(centre[1], "a coordinate")),
            rational(radius, "a radius"))


def _hand_ball(answer: object) -> Outcome:
    (cx, cy), radius = _ball(answer)
    if radius <= 0:
        return wrong(f"radius {format_rational(radius)}: a radius is > 0")
    # The ball neuron r² − ‖x − c‖², evaluated exactly by the toolkit at every point.
    neuron = Network(("x1", "x2"), (quadratic_layer(
        [[2 * cx, 2 * cy]], [radius**2 - cx * cx - cy * cy], b_g=[1], w_b=[[-1, -1]],
        activation="identity"),))
    missed = [p for p in INSIDE if neuron.exact(p)[0] <= 0]
    caught = [p for p in OUTSIDE if neuron.exact(p)[0] >= 0]
    if missed:
        return wrong(f"{missed[0]} is not strictly inside (r² − ‖x − c‖² = "
                     f"{format_rational(neuron.exact(missed[0])[0])})")
    if caught:
        return wrong(f"{caught[0]} is not strictly outside (r² − ‖x − c‖² = "
                     f"{format_rational(neuron.exact(caught[0])[0])})")
    return right("the ball neuron r² − ‖x − c‖², evaluated exactly, is > 0 at the 3 points "
                 "inside and < 0 at the 3 outside")


def _per_dimension(answer: object) -> Outcome:
    step = integer(answer, "a number of parameters")
    counts = [radial("exp(-r**2)", d, eps="1/100", method="piecewise linear",
                     verify=False).params.dense for d in (2, 3)]
    return matches(step, counts[1] - counts[0],
                   'qt.radial("exp(-r**2)", D, ...).params.dense at D = 3 minus at D = 2')


EXERCISES = (
    Exercise("06.1", "dense parameters of the network separate gives 4 blobs in R^10",
             "one ball neuron per cluster: w_r, w_g, w_b have D entries each, b_r, b_g, c one",
             _layer_params),
    Exercise("06.2", "a ball (centre, radius), exact rationals, holding (0, 0), (1, 0), (0, 1) "
             "strictly inside and (3, 3), (-2, 2), (2, -2) strictly outside",
             "try the centroid (1/3, 1/3); the radius must exceed its farthest own point and "
             "stay below its nearest other point", _hand_ball),
    Exercise("06.3", "the dense parameters qt.radial adds per dimension",
             "only the norm neuron t = ‖x‖² sees x: count its w_r, w_g, w_b columns",
             _per_dimension),
)
