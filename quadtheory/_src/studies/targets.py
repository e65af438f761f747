"""The targets of the dimension studies, with their data, seeded.

- **radial**: ``g(‖x‖²)`` with ``g(t) = cos(2πt)`` (``G(r) = cos(2πr²)``) on the unit ball of
  R^D, ``x = ρ·u`` with the radius ``ρ`` uniform on [0, 1] and the direction ``u`` uniform on
  the sphere, so that ``t = ‖x‖²`` spans [0, 1] in every dimension (uniform points of the
  ball crowd at its surface as D grows). Eldan & Shamir (2016, arXiv:1512.03965) prove that
  some radial functions need exponentially wide depth-2 networks; quadratic networks see
  ``‖x‖²`` in one neuron (Fan, Xiong, Wang, arXiv:1808.00098).
- **barron**: the quadratic class ``f(x) = (1/K)·Σ_k a_k·relu(q_k(x)/s_k)`` with
  ``q_k(x) = (u_k·x + b_k)(v_k·x + c_k)``, ``a_k = ±1``, under ``x ~ N(0, I_D)``. The weights
  are exact rationals (``u_k, v_k`` Gaussian with variance 1/D per coordinate, rounded to
  1/1024) and ``s_k`` is a rational with ``s_k² ≥ E[q_k(x)²]``, the Gaussian moment computed
  exactly (:meth:`BarronTarget.second_moment`), so every ``‖relu(q_k/s_k)‖_{L²(P)} ≤ 1`` in
  every dimension: the Barron-type norm of f is at most ``‖a‖₁/K = 1``, whatever D (Barron
  1993, Maurey's lemma; Fan et al. 2023, arXiv:2303.06316, the Barron-space claim).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy

from ..core import limits
from ..core.compose import readout
from ..core.layers import quadratic_layer
from ..core.network import Network

RADIAL_G = "cos(2*pi*r**2)"
KINDS = ("radial", "barron")
GRID = 1024          # weights of the barron target are multiples of 1/GRID
BARRON_NEURONS = 8   # K


def radial_values(x: np.ndarray) -> np.ndarray:
    """``cos(2π‖x‖²)``, a column."""
    return np.cos(2 * np.pi * (x * x).sum(axis=1, keepdims=True))


def radial_points(count: int, dim: int, rng: np.random.Generator) -> np.ndarray:
    """Points of the unit ball with radius uniform on [0, 1] (see the module docstring).

    >>> x = radial_points(1000, 64, np.random.default_rng(0))
    >>> x.shape, bool(np.linalg.norm(x, axis=1).max() <= 1)
    ((1000, 64), True)
    """
    direction = rng.standard_normal((count, dim))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    return direction * rng.random((count, 1))


@dataclass(frozen=True)
class BarronTarget:
    """``f(x) = (1/K)·Σ_k a_k·relu((u_k·x + b_k)(v_k·x + c_k)/s_k)``, exact rational weights.

    >>> f = barron_target(3, neurons=2, seed=0)
    >>> len(f.a), all(f.scale[k] ** 2 >= f.second_moment(k) for k in range(2))
    (2, True)
    """

    u: tuple[tuple[Fraction, ...], ...]
    v: tuple[tuple[Fraction, ...], ...]
    b: tuple[Fraction, ...]
    c: tuple[Fraction, ...]
    scale: tuple[Fraction, ...]
    a: tuple[int, ...]

    @property
    def dim(self) -> int:
        return len(self.u[0])

    @property
    def neurons(self) -> int:
        return len(self.a)

    def second_moment(self, k: int) -> Fraction:
        """``E[q_k(x)²]`` under ``x ~ N(0, I)``, exactly: with ``X = u·x``, ``Y = v·x``
        jointly Gaussian (variances ``σu² = ‖u‖²``, ``σv² = ‖v‖²``, covariance ``ρ = u·v``),
        ``E[(X + b)²(Y + c)²] = σu²σv² + 2ρ² + c²σu² + b²σv² + 4bcρ + b²c²`` (Isserlis)."""
        u, v, b, c = self.u[k], self.v[k], self.b[k], self.c[k]
        su, sv = sum(x * x for x in u), sum(x * x for x in v)
        rho = sum(x * y for x, y in zip(u, v, strict=True))
        return su * sv + 2 * rho**2 + c * c * su + b * b * sv + 4 * b * c * rho + b * b * c * c

    def arrays(self) -> tuple[np.ndarray, ...]:
        """``u, v`` as (K, D) float arrays, ``b, c, scale, a`` as (K,) arrays."""
        return (np.array([[float(w) for w in row] for row in self.u]),
                np.array([[float(w) for w in row] for row in self.v]),
                *(np.array([float(w) for w in vec]) for vec in (self.b, self.c, self.scale,
                                                                self.a)))

    def features(self, x: np.ndarray) -> np.ndarray:
        """``relu(q_k(x)/s_k)`` for every point and neuron, shape (N, K)."""
        u, v, b, c, scale, _ = self.arrays()
        return np.maximum((x @ u.T + b) * (x @ v.T + c) / scale, 0.0)

    def values(self, x: np.ndarray) -> np.ndarray:
        """f at the points, a column."""
        a = np.array(self.a, dtype=float)
        return (self.features(x) @ a / self.neurons)[:, None]

    def network(self) -> Network:
        """The exact network of f: K relu quadratic neurons (``w_r = u/s``, ``b_r = b/s``,
        ``w_g = v``, ``b_g = c``) and the read-out ``a_k/K``."""
        hidden = quadratic_layer([[w / s for w in row] for row, s in zip(self.u, self.scale,
                                                                          strict=True)],
                                 [b / s for b, s in zip(self.b, self.scale, strict=True)],
                                 [list(row) for row in self.v], list(self.c), activation="relu")
        names = tuple(f"x{k}" for k in range(1, self.dim + 1))
        return readout(Network(names, (hidden,)), [[Fraction(a, self.neurons) for a in self.a]])

    def quadratics(self) -> list[sympy.Expr]:
        """``q_k(x)/s_k`` as expanded sympy polynomials of ``x1..xD`` (f is their relu, read
        out with ``a_k/K``)."""
        xs = sympy.symbols([f"x{k}" for k in range(1, self.dim + 1)])
        out = []
        for r in range(self.neurons):
            first = sum((_q(w) * s for w, s in zip(self.u[r], xs, strict=True)), _q(self.b[r]))
            second = sum((_q(w) * s for w, s in zip(self.v[r], xs, strict=True)),
                         _q(self.c[r]))
            out.append(sympy.expand(first * second / _q(self.scale[r])))
        return out


def _q(value: Fraction) -> sympy.Rational:
    return sympy.Rational(value.numerator, value.denominator)


def _grid(values: np.ndarray) -> tuple[Fraction, ...]:
    return tuple(Fraction(round(float(w) * GRID), GRID) for w in values)


def barron_target(dim: int, neurons: int = BARRON_NEURONS, seed: int = 0) -> BarronTarget:
    """The target of the Barron study in R^``dim`` (see the module docstring), from ``seed``.

    >>> f = barron_target(16)
    >>> ratios = [f.second_moment(k) / f.scale[k] ** 2 for k in range(8)]   # E[(q_k/s_k)²]
    >>> f.neurons, f.dim, max(ratios) <= 1, round(float(min(ratios)), 2)
    (8, 16, True, 1.0)
    """
    for name, value, low, high in (("dim", dim, 1, limits.MAX_DIM),
                                   ("neurons", neurons, 1, limits.MAX_TARGET_NEURONS),
                                   ("seed", seed, 0, limits.MAX_SEED)):
        limits.integer(value, name, low, high)
    limits.check(dim, limits.MAX_DIM, "dim")
    rng = np.random.default_rng([seed, dim])
    u = [_grid(row) for row in rng.standard_normal((neurons, dim)) / math.sqrt(dim)]
    v = [_grid(row) for row in rng.standard_normal((neurons, dim)) / math.sqrt(dim)]
    b, c = _grid(rng.uniform(-1, 1, neurons)), _grid(rng.uniform(-1, 1, neurons))
    a = tuple(int(s) for s in rng.choice([-1, 1], neurons))
    target = BarronTarget(tuple(u), tuple(v), b, c, (Fraction(1),) * neurons, a)
    scale = tuple(_root_up(target.second_moment(k)) for k in range(neurons))
    return BarronTarget(tuple(u), tuple(v), b, c, scale, a)


def _root_up(value: Fraction) -> Fraction:
    """The least multiple of 1/GRID whose square is at least ``value`` (> 0)."""
    s = Fraction(math.isqrt(math.ceil(value * GRID * GRID)), GRID)
    while s * s < value:
        s += Fraction(1, GRID)
    return s
