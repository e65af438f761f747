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
  determine it, rationally), which ``sympy.decompose`` (Kozen–Landau) decides.

docs/construct.md says more. The bound is attained by ``T_2``, ``T_3``, ``T_5`` and ``T_7``
(construct's networks) and by a real-weight ``T_11`` (``benchmarks/real_weights.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from fractions import Fraction

import sympy

from ..errors import QuadTheoryError

# Decomposition is decided up to this degree, as construct's plans decompose (beyond, sympy
# takes seconds); past it only a prime degree gets the larger bound.
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


def indecomposable(coefficients: Mapping[int, Fraction]) -> bool:
    """Whether the polynomial ``Σ c_k·x^k`` is no composition of two of degree >= 2, decided
    by ``sympy.decompose`` up to degree :data:`MAX_DECOMPOSED` (False beyond: not known).

    >>> indecomposable({4: Fraction(1), 1: Fraction(1)}), indecomposable({4: Fraction(1)})
    (True, False)
    """
    items = tuple(sorted((k, Fraction(c)) for k, c in coefficients.items() if c))
    return _indecomposable(items)


@functools.lru_cache(maxsize=256)
def _indecomposable(items: tuple[tuple[int, Fraction], ...]) -> bool:
    degree = max((k for k, _ in items), default=0)
    if degree < 4 or degree > MAX_DECOMPOSED:  # degree 2 and 3 are prime: said elsewhere
        return False
    x = sympy.Symbol("x")
    poly = sympy.Poly(sum(sympy.Rational(c.numerator, c.denominator) * x**k for k, c in items),
                      x, domain="QQ")
    return len(poly.decompose()) == 1
