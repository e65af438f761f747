"""Cluster separation by one layer of quadratic neurons, certified over the given points.

Noel & Muthiah-Nakarajan ("Quadratic neurons for clustering", 2023, arXiv:2310.02901): C
bounded clusters can be separated by one layer of C quadratic neurons. Neuron i computes

    s_i(x) = r_i² − ‖x − c_i‖² = −Σ x_k² + 2 c_i·x + (r_i² − ‖c_i‖²)

(``w_b = −1``, ``w_r = 2c_i``, ``b_r = r_i² − ‖c_i‖²``, ``w_g = 0``, ``b_g = 1``): positive
strictly inside the ball of centre ``c_i`` and radius ``r_i``, negative strictly outside. Where
every cluster has a ball holding it and no other point, the read-out is the sign (s_i > 0
exactly on cluster i) or the argmax. Centres and radii are exact rationals:

1. the centroid (rounded to the shortest rational that still works), radius between the
   cluster's farthest point and the nearest other point;
2. else a linear program (scipy's HiGHS) over ``(a, c, β)`` with ``−a‖x‖² + 2c·x + β`` ≥ 1
   on the cluster and ≤ −1 off it, ``a ≥ 0`` (a ball is exactly such a function with
   ``a > 0``); its centre is rounded to a rational and the radius chosen exactly again;
3. else an exact proof that no ball exists, where one is found: another cluster's point
   ``q = Σ λ_j p_j`` (``λ ≥ 0``, ``Σ λ = 1``, exact rationals) in the convex hull of the
   cluster, so every ball (convex) holding the cluster holds ``q``. Otherwise the report says
   that none was found, not that none exists.

Clusters without a ball get a fallback second layer: the cluster is covered by several balls,
each holding only its points (greedily, centred at its points), the hidden layer is
``relu(s_b)`` for every ball b and output i sums cluster i's balls: positive exactly on
cluster i's points, 0 on the others. Either way the network's exact outputs at every given
point are checked: the certificate is **exhaustive** over that finite set, nothing is claimed
between the points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from ..core import limits
from ..core.layers import conventional_layer, quadratic_layer
from ..core.network import Network
from ..core.numbers import format_rational
from ..core.text import format_table
from ..errors import QuadTheoryError
from ..exact.certificate import Certificate
from .clusters import LabelledPoints, labelled_points
from .evaluate import exact_outputs
from .relu import SEEDS, STEPS, WIDTHS, ReluSeparation, smallest_relu

# Denominators tried, in order, when rounding a centre to a short rational.
_DENOMINATORS = (1, 2, 4, 10, 100, 1000, 10**6)
_HULL_TRIES = 40   # other points tried (nearest first) for a convex-hull proof


# -- exact geometry ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Exact:
    """The points scaled to integers (``scale`` times each): exact squared distances cheaply."""

    scaled: tuple[tuple[int, ...], ...]
    scale: int

    @classmethod
    def of(cls, points: Sequence[Sequence[Fraction]]) -> _Exact:
        scale = math.lcm(*(v.denominator for p in points for v in p))
        return cls(tuple(tuple(int(v * scale) for v in p) for p in points), scale)

    def squared(self, centre: Sequence[Fraction], which: Sequence[int]) -> list[Fraction]:
        """``‖p_j − centre‖²`` for the points ``which``, exactly."""
        m = math.lcm(*(v.denominator for v in centre))
        c = [int(v * m * self.scale) for v in centre]
        den = (m * self.scale) ** 2
        return [Fraction(sum((m * a - b) ** 2 for a, b in zip(self.scaled[j], c, strict=True)),
                         den) for j in which]


def radius_between(low: Fraction, high: Fraction) -> Fraction:
    """The rational radius with the smallest denominator whose square lies in the middle half
    of ``(low, high)`` (squared distances, ``0 <= low < high``).

    >>> radius_between(Fraction(1), Fraction(4))   # r² in (1.75, 3.25): r = 3/2
    Fraction(3, 2)
    """
    lo, hi = low + (high - low) / 4, high - (high - low) / 4
    q = 1
    while True:
        p = math.isqrt(math.floor(q * q * lo)) + 1          # the least p with (p/q)² > lo
        if Fraction(p * p, q * q) < hi:
            return Fraction(p, q)
        q = q + 1 if q < 64 else 2 * q


@dataclass(frozen=True)
class Ball:
    """A ball holding a set of points of one cluster strictly inside, every point of the
    other clusters strictly outside: ``inside`` is the largest squared distance of its points
    from the centre, ``nearest`` the least of the others (``inside < radius² < nearest``)."""

    cluster: str
    centre: tuple[Fraction, ...]
    radius: Fraction
    method: str
    inside: Fraction
    nearest: Fraction
    points: int

    def as_json(self) -> dict[str, Any]:
        return {"cluster": self.cluster, "centre": [format_rational(v) for v in self.centre],
                "radius": format_rational(self.radius), "method": self.method,
                "points": self.points}


def _ball(exact: _Exact, own: Sequence[int], others: Sequence[int], centre: Sequence[Fraction],
          cluster: str, method: str) -> Ball | None:
    """The ball about ``centre`` holding ``own`` and excluding ``others``, if one exists."""
    inside = max(exact.squared(centre, own))
    nearest = min(exact.squared(centre, others), default=inside + 1 + inside)
    if inside >= nearest:
        return None
    return Ball(cluster, tuple(centre), radius_between(inside, nearest), method, inside,
                nearest, len(own))


def _short(centre: np.ndarray | Sequence[Fraction]) -> list[list[Fraction]]:
    """Rational roundings of a centre, shortest first, ending with the centre itself."""
    exact = [v if isinstance(v, Fraction) else Fraction(float(v)) for v in centre]
    out = [[v.limit_denominator(d) for v in exact] for d in _DENOMINATORS]
    return [*out, exact]


def _first_ball(exact: _Exact, own: Sequence[int], others: Sequence[int],
                candidates: Sequence[Sequence[Fraction]], cluster: str, method: str
                ) -> Ball | None:
    for centre in candidates:
        ball = _ball(exact, own, others, centre, cluster, method)
        if ball is not None:
            return ball
    return None


# -- the linear programs -----------------------------------------------------------------------

def _lp_centre(x: np.ndarray, own: Sequence[int], others: Sequence[int]) -> np.ndarray | None:
    """A ball centre from the linear program of the module docstring, or None (infeasible)."""
    from scipy.optimize import linprog  # scipy is slow to import: only when the centroid fails

    mean = x.mean(axis=0)
    scale = float(np.abs(x - mean).max()) or 1.0
    y = (x - mean) / scale
    norms = (y * y).sum(axis=1)
    # Rows: a‖y‖² − 2c·y − β <= −1 (own); −a‖y‖² + 2c·y + β <= −1 (others).
    own_rows = np.hstack([norms[own, None], -2 * y[own], -np.ones((len(own), 1))])
    other_rows = np.hstack([-norms[others, None], 2 * y[others], np.ones((len(others), 1))])
    dim = x.shape[1]
    result = linprog(np.zeros(dim + 2), A_ub=np.vstack([own_rows, other_rows]),
                     b_ub=-np.ones(len(own) + len(others)),
                     bounds=[(0, None)] + [(None, None)] * (dim + 1), method="highs")
    if result.status != 0:
        return None
    a, c = result.x[0], result.x[1:dim + 1]
    a = max(a, 1 / (2 * float(norms.max() or 1)))   # a half-space: the ball of a large radius
    return mean + scale * c / a


def _hull_proof(data: LabelledPoints, x: np.ndarray, own: Sequence[int],
                others: Sequence[int]) -> str | None:
    """An exact proof that another cluster's point lies in the convex hull of ``own``."""
    from scipy.optimize import linprog  # see _lp_centre

    centroid = x[own].mean(axis=0)
    nearest = sorted(others, key=lambda q: float(((x[q] - centroid) ** 2).sum()))
    a_eq = np.vstack([x[own].T, np.ones(len(own))])
    for q in nearest[:_HULL_TRIES]:
        result = linprog(np.zeros(len(own)), A_eq=a_eq, b_eq=np.append(x[q], 1.0),
                         bounds=(0, None), method="highs")
        if result.status != 0:
            continue
        support = [own[j] for j in np.flatnonzero(result.x > 1e-9)]
        weights = _convex_weights(data, support, q)
        if weights is not None:
            terms = " + ".join(f"{format_rational(w)}·x[{j}]" for j, w in
                               zip(support[:4], weights[:4], strict=False))
            more = f" + ... ({len(support)} points)" if len(support) > 4 else ""
            return (f"x[{q}] (cluster {data.labels[q]}) = {terms}{more}, exact weights >= 0 "
                    "summing to 1: it lies in the convex hull of this cluster, so every ball "
                    "holding the cluster holds it (balls are convex)")
    return None


def _convex_weights(data: LabelledPoints, support: Sequence[int], q: int
                    ) -> list[Fraction] | None:
    """Exact λ >= 0 with Σ λ_j p_j = q and Σ λ_j = 1 over ``support``, if unique and valid."""
    rows = data.dim + 1
    cols = len(support)
    entries = []
    for k in range(rows):
        row = [data.points[j][k] if k < data.dim else Fraction(1) for j in support]
        entries += [flint.fmpq(v.numerator, v.denominator) for v in row]
        rhs = data.points[q][k] if k < data.dim else Fraction(1)
        entries.append(flint.fmpq(rhs.numerator, rhs.denominator))
    reduced, rank = flint.fmpq_mat(rows, cols + 1, entries).rref()
    if rank != cols:   # inconsistent (a pivot in the last column) or not unique
        return None
    weights = [Fraction(int(reduced[k, cols].p), int(reduced[k, cols].q)) for k in range(cols)]
    if any(reduced[k, k] != 1 for k in range(cols)) or min(weights) < 0:
        return None
    return weights


# -- the fallback: a cover by balls -------------------------------------------------------------

def _cover(exact: _Exact, x: np.ndarray, own: list[int], others: list[int], cluster: str
           ) -> list[Ball]:
    """Balls centred at points of the cluster, each holding only cluster points, together
    holding all of them (greedy: the ball holding the most uncovered points first)."""
    balls: list[Ball] = []
    left = list(own)
    gaps = ((x[left][:, None] - x[others][None]) ** 2).sum(axis=2).min(axis=1)
    while left:
        inner = ((x[left][:, None] - x[left][None]) ** 2).sum(axis=2)
        reach = (inner < gaps[:, None] * (1 - 1e-9)).sum(axis=1)
        best = int(np.argmax(reach))
        centre = exact_point(exact, left[best])
        nearest = min(exact.squared(centre, others))
        held = [j for j, d in zip(left, exact.squared(centre, left), strict=True)
                if d < nearest]
        inside = max(exact.squared(centre, held))
        balls.append(Ball(cluster, centre, radius_between(inside, nearest),
                          f"cover ball {len(balls) + 1} (centred at point {left[best]})",
                          inside, nearest, len(held)))
        keep = [k for k, j in enumerate(left) if j not in set(held)]
        left, gaps = [left[k] for k in keep], gaps[keep]
    return balls


def exact_point(exact: _Exact, j: int) -> tuple[Fraction, ...]:
    return tuple(Fraction(v, exact.scale) for v in exact.scaled[j])


def _outer(exact: _Exact, data: LabelledPoints, own: list[int], others: list[int],
           centre: Sequence[Fraction], balls: dict[str, Ball]) -> Fallback | None:
    """The outer ball about ``centre`` holding the cluster, if every other point inside it
    belongs to a cluster with a ball of its own (a hole); with the read-out weight that makes
    ``relu(s_B) − weight·Σ relu(s_h)`` negative at every hole point."""
    name = data.labels[own[0]]
    inside = max(exact.squared(centre, own))
    distances = exact.squared(centre, others)
    outside = [d for d in distances if d > inside]
    radius = radius_between(inside, min(outside, default=2 * inside + 1))
    inner = [q for q, d in zip(others, distances, strict=True) if d < radius**2]
    holes = tuple(dict.fromkeys(data.labels[q] for q in inner))
    if not all(h in balls for h in holes):
        return None
    outer = Ball(name, tuple(centre), radius, "outer ball (holds the cluster and the holes)",
                 inside, min(outside, default=radius**2 + 1), len(own))
    weight = Fraction(0)
    for q in inner:
        s_outer = radius**2 - exact.squared(centre, [q])[0]
        s_holes = sum(max(balls[h].radius**2 - exact.squared(balls[h].centre, [q])[0],
                          Fraction(0)) for h in holes)
        weight = max(weight, Fraction(math.floor(s_outer / s_holes) + 1))
    return Fallback("outer ball minus holes", (outer,), holes, weight)


# -- the result --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fallback:
    """How the second layer recognises a cluster without a ball.

    ``"outer ball minus holes"``: ``relu(s_B) − weight·Σ_h relu(s_h)`` with B a ball holding
    the cluster and the points of the ``holes`` clusters (which have balls h of their own);
    ``"cover"``: the sum of ``relu(s_b)`` over balls b holding only points of the cluster.
    """

    method: str
    balls: tuple[Ball, ...]
    holes: tuple[str, ...] = ()
    weight: Fraction = Fraction(0)

    def as_json(self) -> dict[str, Any]:
        return {"method": self.method, "balls": [b.as_json() for b in self.balls],
                "holes": list(self.holes), "weight": format_rational(self.weight)}


@dataclass(frozen=True)
class ClusterBall:
    """One cluster: its ball, or why it has none (``proof``: exact, no ball exists; else
    ``reason``: none was found) and how the fallback second layer recognises it."""

    cluster: str
    size: int
    ball: Ball | None
    proof: str | None = None
    reason: str | None = None
    fallback: Fallback | None = None

    @property
    def neurons(self) -> tuple[Ball, ...]:
        """The hidden ball neurons this cluster brings."""
        return (self.ball,) if self.ball is not None else self.fallback.balls

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"cluster": self.cluster, "points": self.size,
                                "ball": None if self.ball is None else self.ball.as_json()}
        if self.ball is None:
            data.update(no_ball_proof=self.proof, no_ball_reason=self.reason,
                        fallback=self.fallback.as_json())
        return data


@dataclass(frozen=True)
class Separation:
    """The separating network of a labelled point set and its exhaustive certificate.

    ``network``: one quadratic layer of C neurons (identity activation; read-out: sign or
    argmax) when every cluster has a ball, else the fallback: a hidden layer of relu quadratic
    ball neurons and a linear read-out (:class:`Fallback`). ``relu``: the comparison with the
    smallest ReLU network training found (:func:`.relu.smallest_relu`), if run.
    """

    data: LabelledPoints
    clusters: tuple[ClusterBall, ...]
    network: Network
    certificate: Certificate
    relu: ReluSeparation | None = None

    @property
    def by_balls(self) -> bool:
        """Whether one ball per cluster separates them (one layer of C neurons)."""
        return all(c.ball is not None for c in self.clusters)

    def summary(self) -> str:
        """The report the command prints: a ball per cluster (or why none), the network and
        its certificate, and the ReLU network training found, counted the same way.

        >>> print(separate([[0, 0], [1, 0], [9, 9]], ["a", "a", "b"]).summary().splitlines()[0])
        3 points in R^2, 2 clusters: one layer of 2 quadratic ball neurons separates them
        """
        data, net = self.data, self.network
        head = (f"{len(data.points)} points in R^{data.dim}, {len(self.clusters)} clusters: "
                + (f"one layer of {len(self.clusters)} quadratic ball neurons separates them"
                   if self.by_balls else "balls do not separate every cluster: a second layer "
                                         "(fallback) does"))
        rows = []
        for c in self.clusters:
            ball = c.ball or c.fallback.balls[0]
            how = c.ball.method if c.ball else (
                f"no ball; {c.fallback.method}" + (f" {', '.join(c.fallback.holes)}"
                                                   if c.fallback.holes else ""))
            rows.append([c.cluster, c.size, how, _short_vector(ball.centre),
                         format_rational(ball.radius)])
        lines = [head, "", format_table(["cluster", "points", "ball", "centre", "radius"], rows,
                                        right=[1])]
        for c in self.clusters:
            if c.ball is None:
                lines += ["", f"cluster {c.cluster}: " + (
                    f"no ball exists (exact): {c.proof}" if c.proof else c.reason)]
        readout = ("sign or argmax read-out" if self.by_balls else
                   "hidden relu ball neurons, linear read-out")
        lines += ["", f"network: widths {'-'.join(map(str, [data.dim, *net.widths]))}, "
                      f"{net.params.dense} dense / {net.params.nonzero} nonzero params "
                      f"({readout})",
                  f"certificate: {'holds' if self.certificate.holds else 'FAILS'} "
                  f"({self.certificate.level}): {self.certificate.statement}"]
        if self.relu is not None:
            lines.append(_relu_line(self.relu, net.params.dense))
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        net = self.network
        return {
            "points": len(self.data.points), "dim": self.data.dim,
            "clusters": [c.as_json() for c in self.clusters], "one_layer": self.by_balls,
            "network": {"widths": [self.data.dim, *net.widths], "params": net.params.as_dict(),
                        "readout": "sign or argmax" if self.by_balls else
                        "sign or argmax of the read-out layer"},
            "certificate": self.certificate.as_dict(),
            "relu": None if self.relu is None else self.relu.as_json()}


def _short_vector(values: Sequence[Fraction], most: int = 4) -> str:
    shown = ", ".join(format_rational(v) for v in values[:most])
    return f"({shown}{', ...' if len(values) > most else ''})"


def _relu_line(relu: ReluSeparation, quadratic: int) -> str:
    if relu.widths is None:
        tried = sorted({w for w, _, _ in relu.attempts})
        return (f"ReLU: training found no separating network with hidden widths "
                f"{tried[0]}..{tried[-1]} ({len(relu.attempts)} runs, {relu.steps} steps)")
    return (f"ReLU (trained, {relu.steps} steps, seed {relu.seed}; an upper bound on the "
            f"smallest ReLU network): widths {'-'.join(map(str, relu.widths))}, {relu.params} "
            f"dense params, certificate {relu.certificate.level}; dense ReLU / quadratic = "
            f"{relu.params / quadratic:.2f}")


def _layer_rows(balls: Sequence[Ball]) -> dict[str, list[Any]]:
    dim = len(balls[0].centre)
    return {"w_r": [[2 * v for v in b.centre] for b in balls],
            "b_r": [b.radius**2 - sum(v * v for v in b.centre) for b in balls],
            "w_g": [[0] * dim for _ in balls], "b_g": [1] * len(balls),
            "w_b": [[-1] * dim for _ in balls]}


def ball_network(results: Sequence[ClusterBall], dim: int) -> Network:
    """One layer of ball neurons (identity) when every cluster has a ball; else the hidden
    layer of every cluster's ball neurons (relu) and the read-out of :class:`Fallback`."""
    inputs = tuple(f"x{k}" for k in range(1, dim + 1))
    neurons = [b for r in results for b in r.neurons]
    if all(r.ball is not None for r in results):
        return Network(inputs, (quadratic_layer(**_layer_rows(neurons),
                                                activation="identity"),))
    owner = [r.cluster for r in results for _ in r.neurons]
    rows = []
    for r in results:
        holes = set() if r.fallback is None else set(r.fallback.holes)
        weight = Fraction(0) if r.fallback is None else r.fallback.weight
        rows.append([1 if c == r.cluster else -weight if c in holes else 0 for c in owner])
    hidden = quadratic_layer(**_layer_rows(neurons), activation="relu")
    return Network(inputs, (hidden, conventional_layer(rows, activation="identity")))


def certify(network: Network, data: LabelledPoints) -> Certificate:
    """Evaluate the network exactly at every point: output i must be the unique largest and
    the only positive one exactly at the points of cluster i."""
    clusters = data.clusters
    wrong = []
    outputs = exact_outputs(network, data.points)
    for j, (out, label) in enumerate(zip(outputs, data.labels, strict=True)):
        own = clusters.index(label)
        positive = [k for k, v in enumerate(out) if v > 0]
        if positive != [own] or any(v >= out[own] for k, v in enumerate(out) if k != own):
            wrong.append(j)
    holds = not wrong
    checks = [f"the network evaluated exactly (rational arithmetic) at all {len(data.points)} "
              f"points: output i is the largest, and the only positive one, exactly at the "
              f"points of cluster i ({len(clusters)} clusters)"]
    if wrong:
        checks.append(f"FAILS at {len(wrong)} point(s), the first: {wrong[:5]}")
    return Certificate(f"the network separates the {len(clusters)} clusters of the "
                       f"{len(data.points)} given points (argmax and sign read-outs)",
                       "exhaustive", holds, checks, 0.0)


def _check_distinct(data: LabelledPoints) -> None:
    seen: dict[tuple[Fraction, ...], int] = {}
    for j, (point, label) in enumerate(zip(data.points, data.labels, strict=True)):
        k = seen.setdefault(point, j)
        if data.labels[k] != label:
            raise QuadTheoryError(f"points {k} and {j} are the same point with labels "
                                  f"{data.labels[k]!r} and {label!r}: no classifier separates "
                                  "them")


def separate(points: object, labels: Sequence[object] | None = None, *,
             compare_relu: bool = False, widths: Sequence[int] = WIDTHS,
             seeds: Sequence[int] = SEEDS, steps: int = STEPS) -> Separation:
    """Separate labelled points by one layer of quadratic ball neurons (see the module
    docstring); ``points`` is a :class:`LabelledPoints` (then no ``labels``) or rows of
    numbers with ``labels``. ``compare_relu``: also train the smallest ReLU network that
    separates them (:func:`.relu.smallest_relu` over ``widths``, ``seeds``, ``steps``).

    >>> sep = separate([[0, 0], [1, 0], [10, 10], [11, 10]], ["a", "a", "b", "b"])
    >>> ball = sep.clusters[0].ball   # the centroid (1/2, 0) rounded to (0, 0) still works
    >>> ball.method, [str(v) for v in ball.centre], ball.inside, ball.nearest, ball.radius
    ('centroid', ['0', '0'], Fraction(1, 1), Fraction(200, 1), Fraction(8, 1))
    >>> sep.network.widths, sep.network.params.dense, sep.certificate.level   # 2·(3·2 + 3)
    ((2,), 18, 'exhaustive')
    """
    compare_relu = limits.flag(compare_relu, "compare_relu")
    data = points if isinstance(points, LabelledPoints) else labelled_points(points, labels)
    if isinstance(points, LabelledPoints) and labels is not None:
        raise QuadTheoryError("labels: already in the LabelledPoints; expected no labels")
    clusters = data.clusters
    if len(clusters) < 2:
        raise QuadTheoryError(f"labels: expected at least 2 clusters, found {len(clusters)} "
                              f"({', '.join(clusters)})")
    _check_distinct(data)
    exact = _Exact.of(data.points)
    x = data.array()
    members = {name: [j for j, label in enumerate(data.labels) if label == name]
               for name in clusters}
    balls: dict[str, Ball] = {}
    for name, own in members.items():
        others = [j for j in range(len(data.points)) if data.labels[j] != name]
        ball = _first_ball(exact, own, others, _short(_centroid(data, own)), name, "centroid")
        if ball is None:
            centre = _lp_centre(x, own, others)
            if centre is not None:
                ball = _first_ball(exact, own, others, _short(centre), name, "linear program")
        if ball is not None:
            balls[name] = ball
    results = [ClusterBall(name, len(own), balls[name]) if name in balls
               else _without_ball(data, exact, x, own, balls) for name, own in members.items()]
    network = ball_network(results, data.dim).with_meta(columns=list(data.columns),
                                                        clusters=list(clusters))
    relu = smallest_relu(data, widths, seeds, steps) if compare_relu else None
    return Separation(data, tuple(results), network, certify(network, data), relu)


def _centroid(data: LabelledPoints, own: Sequence[int]) -> list[Fraction]:
    return [sum(data.points[j][k] for j in own) / len(own) for k in range(data.dim)]


def _without_ball(data: LabelledPoints, exact: _Exact, x: np.ndarray, own: list[int],
                  balls: dict[str, Ball]) -> ClusterBall:
    """A cluster no ball was found for: why (an exact proof where one is found) and its
    fallback (the outer ball minus holes, else a cover)."""
    name = data.labels[own[0]]
    others = [j for j in range(len(data.points)) if data.labels[j] != name]
    proof = _hull_proof(data, x, own, others)
    reason = None if proof else (
        "neither the centroid nor the linear program found a ball (the program is solved in "
        "floating point: this is not a proof that none exists)")
    fallback = None
    for centre in _short(_centroid(data, own)):
        fallback = _outer(exact, data, own, others, centre, balls)
        if fallback is not None:
            break
    if fallback is None:
        fallback = Fallback("cover", tuple(_cover(exact, x, own, others, name)))
    return ClusterBall(name, len(own), None, proof, reason, fallback)
