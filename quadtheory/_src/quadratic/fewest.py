"""The fewest neurons any network can compute a polynomial with: a proved lower bound.

Any network here (quadratic or conventional neurons, identity or relu activations, any real
weights) that equals a polynomial of total degree ``d`` on a set with interior (every domain
of :func:`~.construct.construct` is one) has at least

- ``⌈log2 d⌉`` neurons: on an open set where no relu's argument changes sign the network is
  a polynomial network of the same shape, whose layer ``k`` has degree at most ``2^k``, so it
  has at least ``⌈log2 d⌉`` layers of at least one neuron each;
- ``2⌈log2 d⌉ − 1`` neurons when the polynomial ``F`` has one variable and is not a
  composition ``g∘h`` of polynomials of degree >= 2 (a prime degree is never one).
  If every hidden layer holds two values independent modulo constants, each has two
  neurons: ``2(L − 1) + 1`` with ``L >= ⌈log2 d⌉``. Otherwise some hidden layer's values are
  affine in one polynomial ``h`` and ``F = g∘h``, so ``deg h = 1`` (the layers above compute
  ``F∘h⁻¹`` from the one input ``h``) or ``deg g = 1`` (a value of that layer is an affine
  image of ``F``): a network with fewer neurons computes a polynomial of degree ``d`` that
  is no composition either, and induction on the count gives the bound. Real weights give
  real ``g`` and ``h``; a rational ``F`` that is a composition over the reals is one over
  the rationals (normalize ``h`` monic with ``h(0) = 0``: the top coefficients of ``F``
  determine it, rationally), which :func:`right_component` computes and checks (Kozen and
  Landau's algorithm: ``sympy.decompose`` misses most compositions with rational
  coefficients, so it cannot say "none").

docs/construct.md says more. The bound is attained by ``T_2``, ``T_3``, ``T_5`` and ``T_7``
(construct's networks) and by a real-weight ``T_11`` (``benchmarks/real_weights.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import sympy

from ..errors import QuadTheoryError

# Decomposition is decided up to this degree, for construct's plans and the bound (0.2-0.7 s
# at 256, growing with the degree's divisors); past it only a prime degree gets the larger
# bound.
MAX_DECOMPOSED = 256


def neurons_at_least(degree: int, inputs: int, indecomposable: bool = False
                     ) -> tuple[int, str]:
    """The proved least number of neurons for a polynomial of total ``degree`` in ``inputs``
    variables, ``indecomposable`` (no composition of two of degree >= 2, one variable) or not
    known to be (module docstring), and why, in words.

    >>> neurons_at_least(19, 1)
    (9, '2·⌈log2 19⌉ − 1, a prime degree in one variable')
    >>> neurons_at_least(19, 2)
    (5, '⌈log2 19⌉ layers')
    >>> neurons_at_least(12, 1, indecomposable=True)
    (7, '2·⌈log2 12⌉ − 1, no composition of polynomials of degree >= 2, in one variable')
    >>> neurons_at_least(1, 3)
    (1, 'its output')
    """
    for value, name in ((degree, "degree"), (inputs, "inputs")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise QuadTheoryError(f"{name}: expected an integer >= 0, found {value!r}")
    if degree <= 2:
        return 1, "its output"
    layers = (degree - 1).bit_length()  # ⌈log2 degree⌉ in integers (no float log)
    if inputs == 1 and sympy.isprime(degree):
        return 2 * layers - 1, f"2·⌈log2 {degree}⌉ − 1, a prime degree in one variable"
    if inputs == 1 and indecomposable:
        return 2 * layers - 1, (f"2·⌈log2 {degree}⌉ − 1, no composition of polynomials of "
                                "degree >= 2, in one variable")
    return layers, f"⌈log2 {degree}⌉ layers"


def right_component(coefficients: Sequence[Fraction], inner: int) -> list[Fraction] | None:
    """``h`` (coefficients, low to high) with ``f = g∘h`` for some ``g``, ``h`` monic of
    degree ``inner`` with ``h(0) = 0``, or None when there is none; ``f`` has the
    ``coefficients`` (low to high, the last nonzero) and a degree that ``inner`` divides.

    Such an ``h`` is unique: ``f/lc(f) = h^r + (terms of degree <= d − inner)`` with
    ``r = d/inner``, so ``h`` is the power series root ``(x^d·f(1/x)/lc)^(1/r)`` read
    backwards, up to ``x^(inner−1)`` (J. C. P. Miller's recurrence); then ``f`` is divided
    by ``h`` over and over, and every remainder must be a constant (Kozen and Landau 1989).

    >>> right_component([Fraction(c) for c in (0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 1)], 5)
    [Fraction(0, 1), Fraction(0, 1), Fraction(0, 1), Fraction(0, 1), Fraction(1, 1), Fraction(1, 1)]
    >>> right_component([Fraction(c) for c in (0, 1, 0, 0, 1)], 2) is None   # x⁴ + x
    True
    """
    f = list(coefficients)
    degree = len(f) - 1
    if not f or not f[-1]:
        raise QuadTheoryError(f"coefficients: expected the last (the leading one) nonzero, "
                              f"found {f[-1:]!r}")
    if inner < 1 or degree % inner:
        raise QuadTheoryError(f"inner: expected a divisor of the degree {degree}, found "
                              f"{inner!r}")
    h = right_candidate(f, inner)
    return h if _outer(f, h) is not None else None


def right_candidate(f: Sequence[Any], inner: int) -> list[Any]:
    """The only ``h`` of degree ``inner`` (monic, ``h(0) = 0``) that can be a right
    component of ``f`` (:func:`right_component`): the top part of ``f^(1/r)``, ``r =
    deg f / inner`` (with ``r = 2``, the top half of ``√f``, which :mod:`.splits` squares).
    Coefficients low to high, in ``f``'s exact rationals (``Fraction`` or python-flint's).

    >>> [str(c) for c in right_candidate([Fraction(c) for c in (1, 0, 2, 0, 1)], 2)]
    ['0', '0', '1']
    """
    r = (len(f) - 1) // inner
    reverse = [c / f[-1] for c in reversed(f)]  # x^d·f(1/x)/lc: starts at 1
    one, zero = reverse[0], reverse[0] - reverse[0]
    root = [one]
    for k in range(1, inner):
        root.append(sum((((one / r + 1) * j - k) * reverse[j] * root[k - j]
                         for j in range(1, k + 1)), zero) / k)
    return [zero, *root[:0:-1], one]  # h(0) = 0, monic


def _outer(f: list[Fraction], h: list[Fraction]) -> list[Fraction] | None:
    """``g`` with ``f = g∘h`` (coefficient lists, low to high; ``h`` monic), or None: the
    constant remainders of dividing ``f`` by ``h`` over and over are ``g``'s coefficients."""
    g, rest = [], f
    while len(rest) > 1:
        quotient, remainder = _divide(rest, h)
        if any(remainder[1:]):
            return None
        g.append(remainder[0])
        rest = quotient
    return [*g, rest[0]]


def _divide(f: list[Fraction], h: list[Fraction]) -> tuple[list[Fraction], list[Fraction]]:
    """``f = q·h + rem`` for a monic ``h`` (coefficient lists, low to high)."""
    rem, q = list(f), [Fraction(0)] * max(len(f) - len(h) + 1, 1)
    for k in range(len(f) - len(h), -1, -1):
        c = rem[k + len(h) - 1]
        if c:
            q[k] = c
            for j, hj in enumerate(h):
                rem[k + j] -= c * hj
    return q, rem[:len(h) - 1] or [Fraction(0)]


def indecomposable(coefficients: Mapping[int, Fraction]) -> bool:
    """Whether the polynomial ``Σ c_k·x^k`` is no composition of two of degree >= 2, decided
    by :func:`right_component` for every divisor of its degree, up to degree
    :data:`MAX_DECOMPOSED` (False beyond: not known).

    >>> indecomposable({4: Fraction(1), 1: Fraction(1)}), indecomposable({4: Fraction(1)})
    (True, False)
    """
    items = tuple(sorted((k, Fraction(c)) for k, c in coefficients.items() if c))
    return _indecomposable(items)


def _indecomposable(items: tuple[tuple[int, Fraction], ...]) -> bool:
    degree = max((k for k, _ in items), default=0)
    if degree < 4 or degree > MAX_DECOMPOSED:  # degree 2 and 3 are prime: said elsewhere
        return False
    return len(components(items)) == 1


@functools.lru_cache(maxsize=256)
def components(items: tuple[tuple[int, Fraction], ...]) -> tuple[tuple[Fraction, ...], ...]:
    """``f = c_1∘c_2∘…∘c_k``, each ``c_i`` of degree >= 2 (coefficient lists, low to high),
    ``f`` given as sorted ``(exponent, coefficient)`` pairs: the smallest right component
    first split off (it is no composition), the outer part split again; ``(f,)`` past
    degree :data:`MAX_DECOMPOSED` or when there is none.

    >>> parts = components(((0, Fraction(1)), (2, Fraction(-8)), (4, Fraction(8))))  # T_4
    >>> [[str(c) for c in part] for part in parts]   # (8y² − 8y + 1)∘(x²)
    [['1', '-8', '8'], ['0', '0', '1']]
    """
    degree = max((k for k, c in items if c), default=0)
    f = [Fraction(0)] * (degree + 1)
    for k, c in items:
        f[k] += c
    if degree <= MAX_DECOMPOSED:
        for inner in range(2, degree // 2 + 1):
            if degree % inner:
                continue
            h = right_candidate(f, inner)
            g = _outer(f, h)
            if g is not None:
                return (*components(tuple((k, c) for k, c in enumerate(g) if c)), tuple(h))
    return (tuple(f),)
