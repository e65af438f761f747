"""Verification of approximations: a proved sup-error bound, and what a dense sample observes.

An approximating network (a relu interpolant, a polynomial approximant) comes with a bound
``sup |network − target| ≤ B`` on a region, proved by its construction: that is the
certificate's level (``"symbolic proof"``). The certificate also records the largest error
*observed* on a dense sample of the region: every point screened in float64, the largest
errors then computed rigorously (the network exactly at rational points, the target as an
interval enclosure, mpmath ``iv`` at 128 bits). An observed error above the proved bound is a
bug in the proof, so it is raised, never recorded.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from ..core import limits
from ..core.domain import to_box
from ..core.limits import quoted
from ..core.network import Network, as_network
from ..core.numbers import format_rational, to_rational
from ..errors import InternalError, QuadTheoryError
from .certificate import Certificate
from .enclosure import FLOAT64, Enclosure, compile_expression
from .parse import parse_expression

Region = Mapping[str, Any] | Sequence[Sequence[object]] | None
Point = tuple[Fraction, ...]

# Sample coordinates are dyadic with this many bits below the region's scale: exact network
# evaluation stays fast, and the sample is far denser than any construction's features.
_BITS = 20
_TARGET_PRECISION = 128


def _parse_region(region: Region, network: Network
                  ) -> tuple[str, tuple[Fraction, ...] | tuple[tuple[Fraction, Fraction], ...],
                             Fraction | None]:
    """``("ball", center, radius)`` or ``("box", box, None)``."""
    n = network.n_inputs
    if region is None:
        if network.domain is None:
            raise QuadTheoryError("region: the network has no domain; expected a ball "
                                  "{'ball': {'center': [...], 'radius': R}} or a box")
        return "box", network.domain, None
    if isinstance(region, Mapping):
        if set(region) == {"ball"} and isinstance(region["ball"], Mapping):
            ball = region["ball"]
            center = ball.get("center")
            if isinstance(center, str) or not isinstance(center, Sequence) or len(center) != n:
                raise QuadTheoryError(f"region.ball.center: expected {n} numbers (one per "
                                      f"input), found {quoted(center)}")
            c = tuple(to_rational(v, f"region.ball.center[{k}]") for k, v in enumerate(center))
            r = to_rational(ball.get("radius"), "region.ball.radius")
            if r <= 0:
                raise QuadTheoryError(f"region.ball.radius: expected a positive number, "
                                      f"found {format_rational(r)}")
            return "ball", c, r
        if set(region) == {"box"}:
            return "box", to_box(region["box"], n, where="region.box"), None
        raise QuadTheoryError(f"region: expected {{'ball': {{...}}}} or {{'box': [...]}}, "
                              f"found keys {sorted(region)}")
    return "box", to_box(region, n, where="region"), None


def _region_text(kind: str, shape: Any, radius: Fraction | None) -> str:
    if kind == "ball":
        center = ", ".join(map(format_rational, shape))
        return f"the ball ‖x − ({center})‖ ≤ {format_rational(radius)}"
    return " x ".join(f"[{format_rational(lo)}, {format_rational(hi)}]" for lo, hi in shape)


@dataclass(frozen=True)
class _Grid:
    """Sample points ``origin + step · units[k]`` (exact), kept as integer units so that
    the float64 screen needs no rationals and only the points computed exactly get them."""

    origin: Point
    step: Point
    units: np.ndarray  # (N, n) int64

    def floats(self) -> np.ndarray:
        return (np.array([float(o) for o in self.origin])
                + np.array([float(h) for h in self.step]) * self.units)

    def point(self, k: int) -> Point:
        return tuple(o + h * int(u) for o, h, u in zip(self.origin, self.step, self.units[k],
                                                       strict=True))


def _ball_special(center: Point, radius: Fraction) -> list[Point]:
    """The centre and the 2D axis points of the sphere."""
    points = [center]
    for k in range(len(center)):
        for sign in (1, -1):
            points.append(tuple(c + sign * radius * (j == k) for j, c in enumerate(center)))
    return points


def _ball_points(center: Point, radius: Fraction, count: int, rng: np.random.Generator
                 ) -> _Grid:
    """Half on rays (radii evenly spaced, so every value of ‖x − c‖ is probed), half
    uniform in the ball; on a grid of step R/2^20, inside the ball exactly."""
    dim = len(center)
    directions = rng.normal(size=(count, dim))
    directions /= np.maximum(np.linalg.norm(directions, axis=1, keepdims=True), 1e-300)
    rays = count // 2
    radii = np.concatenate([np.linspace(0.0, 1.0, rays), rng.random(count - rays) ** (1 / dim)])
    scale = 2**_BITS
    units = np.rint(directions * radii[:, None] * scale).astype(np.int64)
    # Rounding may leave the ball by a few units: pull those points in, exactly (integers).
    outside = (units * units).sum(axis=1) > scale * scale
    while outside.any():
        pulled = units[outside]
        units[outside] = np.sign(pulled) * (np.abs(pulled) * (scale - dim) // scale)
        outside = (units * units).sum(axis=1) > scale * scale
    return _Grid(center, (radius / scale,) * dim, units)


def _box_special(box: Sequence[tuple[Fraction, Fraction]]) -> list[Point]:
    """The centre and, up to dimension 4, the corners."""
    points = [tuple((lo + hi) / 2 for lo, hi in box)]
    if len(box) <= 4:
        for mask in range(2 ** len(box)):
            points.append(tuple(hi if mask >> k & 1 else lo for k, (lo, hi) in enumerate(box)))
    return points


def _box_points(box: Sequence[tuple[Fraction, Fraction]], count: int,
                rng: np.random.Generator) -> _Grid:
    """Uniform points of the box, on a grid of 2^20 steps a side."""
    scale = 2**_BITS
    units = rng.integers(0, scale, size=(count, len(box)), endpoint=True)
    return _Grid(tuple(lo for lo, _ in box), tuple((hi - lo) / scale for lo, hi in box), units)


def _target(network: Network, target: str | sympy.Expr) -> sympy.Expr:
    if isinstance(target, str):
        return parse_expression(target, network.inputs)
    if not isinstance(target, sympy.Expr):
        raise QuadTheoryError(f"target: expected an expression (a string or sympy), found "
                              f"{target!r:.80}")
    unknown = sorted(s.name for s in target.free_symbols if s.name not in network.inputs)
    if unknown:
        raise QuadTheoryError(f"target: unknown variable {', '.join(unknown)}; expected the "
                              f"network's inputs {', '.join(network.inputs)}")
    return target


def _symbols(target: sympy.Expr, names: Sequence[str]) -> list[sympy.Symbol]:
    # The target's own symbols (with whatever assumptions they carry), by input name.
    own = {s.name: s for s in target.free_symbols}
    return [own.get(name, sympy.Symbol(name)) for name in names]


def _proof_lines(proof: str | Sequence[str] | None) -> tuple[str, ...]:
    if proof is None:
        return ()
    if isinstance(proof, str):
        return (proof,)
    if not isinstance(proof, Sequence) or not all(isinstance(line, str) for line in proof):
        raise QuadTheoryError(f"proof: expected a Certificate or lines of text, found "
                              f"{proof!r:.80}")
    return tuple(proof)


def verify_approximation(network: Network, target: str | sympy.Expr, bound: object,
                         region: Region = None, *,
                         proof: Certificate | str | Sequence[str] | None = None,
                         samples: int = 2000, exact_points: int = 24, seed: int = 0
                         ) -> Certificate:
    """Certify ``sup |network − target| ≤ bound`` on ``region``, and observe it on a sample.

    ``proof``: the :class:`Certificate` of the bound from the routine that derived it
    (:func:`~quadtheory._src.exact.certificate.proved_bound`); its level is the result's
    level. Text instead (one line or several) only explains a bound the caller states: the
    level is then ``"sampled"``, as without a proof. ``region`` is ``{"ball": {"center":
    [...], "radius": R}}``, a box (``[[lo, hi], ...]`` or ``{"box": ...}``), or ``None`` for
    the network's domain.

    The sample: the centre, the axis points of the sphere (or the box's corners), and
    ``samples`` rational points (for a ball, half on rays at evenly spaced radii, so every
    ‖x − c‖ is probed); a fixed ``seed`` makes it reproducible. All are screened in float64;
    the special points and the ``exact_points`` largest errors are then computed exactly
    (the network in rationals, the target enclosed by intervals): that is the observed max.
    An observed error above ``bound`` raises: the proof of the bound is wrong.

    >>> from quadtheory import Network, conventional_layer
    >>> net = Network(("x",), (conventional_layer([[1]], activation="identity"),))
    >>> from quadtheory._src.exact.certificate import proved_bound
    >>> taylor = proved_bound("|sin x − x| ≤ 1/6", ["|sin x − x| ≤ |x|³/6 (Lagrange remainder)"])
    >>> cert = verify_approximation(net, "sin(x)", "1/6", {"box": [[-1, 1]]}, proof=taylor)
    >>> cert.level, cert.holds, cert.details["observed_max_error"][:6]   # 1 − sin 1
    ('symbolic proof', True, '0.1585')
    >>> verify_approximation(net, "sin(x)", "1/6", [[-1, 1]], proof="trust me").level
    'sampled'
    >>> verify_approximation(net, "sin(x)", "1/100", {"box": [[-1, 1]]}, proof="wrong")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: observed error 0.158529 at x = (-1) exceeds the stated ...
    """
    network = as_network(network, "network")
    start = time.perf_counter()
    if network.n_outputs != 1:
        raise QuadTheoryError(f"network: expected one output, found {network.n_outputs}")
    expr = _target(network, target)
    b = to_rational(bound, "bound")
    if b < 0:
        raise QuadTheoryError(f"bound: expected a number >= 0, found {format_rational(b)}")
    limits.integer(samples, "samples", 0, limits.MAX_SAMPLES)
    limits.integer(exact_points, "exact_points", 0, limits.MAX_EXACT_POINTS)
    limits.integer(seed, "seed", 0, limits.MAX_SEED)
    if isinstance(proof, Certificate) and not proof.holds:
        raise QuadTheoryError(f"proof: the certificate of the bound does not hold: "
                              f"{proof.statement}")
    if not isinstance(proof, Certificate):
        _proof_lines(proof)
    kind, shape, radius = _parse_region(region, network)
    rng = np.random.default_rng(seed)
    special, points = ((_ball_special(shape, radius), _ball_points(shape, radius, samples, rng))
                       if kind == "ball" else
                       (_box_special(shape), _box_points(shape, samples, rng)))
    symbols = _symbols(expr, network.inputs)
    chosen = special + [points.point(k) for k in
                        _largest_errors(network, expr, symbols, points, exact_points)]
    enclosure = Enclosure(expr, symbols)
    worst, worst_point = Fraction(0), chosen[0]
    for point in chosen:
        value = network.exact(point)[0]
        exact = enclosure(*point, prec=_TARGET_PRECISION)
        if exact is None:
            raise QuadTheoryError(f"target {expr} is undefined or not finite at "
                                  f"{_point_text(network, point)}; expected a function "
                                  "defined on the whole region")
        upper = max(abs(value - exact.lo), abs(value - exact.hi))
        lower = max(Fraction(0), exact.lo - value, value - exact.hi)
        if lower > b:
            if isinstance(proof, Certificate):  # our own proof is wrong: a bug
                raise InternalError(
                    f"observed error {float(lower):.6g} at {_point_text(network, point)} "
                    f"exceeds the proved bound {format_rational(b)}: the proof of the bound is "
                    "wrong")
            raise QuadTheoryError(
                f"observed error {float(lower):.6g} at {_point_text(network, point)} exceeds "
                f"the stated bound {format_rational(b)}: the bound is wrong")
        if upper > worst:
            worst, worst_point = upper, point
    where = _region_text(kind, shape, radius)
    count = len(special) + len(points.units)
    observed = (f"observed max error {float(worst):.6g} on {count} sampled points of {where} "
                f"(sampled, not a proof): all screened in float64, {len(chosen)} (the special "
                "points and the largest errors) computed exactly, the network in rationals, "
                f"the target enclosed to {_TARGET_PRECISION} bits; within the bound "
                f"{format_rational(b)}")
    if isinstance(proof, Certificate):
        level, checks = proof.level, (*proof.checks, observed)
    else:
        stated = "; ".join(_proof_lines(proof))
        level = "sampled"
        checks = (f"bound {format_rational(b)} stated, not proved here"
                  + (f" ({stated})" if stated else ""), observed)
    details = {"bound": format_rational(b), "observed_max_error": f"{float(worst):.6g}",
               "samples": count, "exact_points": len(chosen),
               "worst_point": [format_rational(v) for v in worst_point],
               "bound_level": level if isinstance(proof, Certificate) else "stated"}
    statement = f"|network − ({expr})| ≤ {format_rational(b)} on {where}"
    return Certificate(statement, level, True, checks, time.perf_counter() - start, details)


def _largest_errors(network: Network, expr: sympy.Expr, symbols: Sequence[sympy.Symbol],
                    points: _Grid, count: int) -> list[int]:
    """The indices of the ``count`` largest float64 errors (undefined values first)."""
    if not len(points.units) or not count:
        return []
    x = points.floats()
    with np.errstate(all="ignore"):
        wanted = np.broadcast_to(compile_expression(expr, symbols, FLOAT64)(list(x.T)),
                                 (len(x),))
        errors = np.abs(network.numeric(x)[:, 0] - wanted)
    errors = np.where(np.isnan(errors), np.inf, errors)
    return [int(k) for k in np.argsort(-errors, kind="stable")[:count]]


def _point_text(network: Network, point: Point) -> str:
    values = ", ".join(format_rational(v) for v in point)
    return f"{', '.join(network.inputs)} = ({values})"
