"""The fewest neurons any network can compute a polynomial with: a proved lower bound.

Any network here (quadratic or conventional neurons, identity or relu activations, any real
weights) that equals a polynomial of total degree ``d`` on a set with interior (every domain
of :func:`~.construct.construct` is one) has at least

- ``⌈log2 d⌉`` neurons: on an open set where no relu's argument changes sign the network is
  a polynomial network of the same shape, whose layer ``k`` has degree at most ``2^k``, so it
  has at least ``⌈log2 d⌉`` layers of at least one neuron each;
- ``2⌈log2 p⌉ − 1`` neurons when the polynomial has one variable and prime degree ``p``.
  If every hidden layer holds two values independent modulo constants, each has two
  neurons: ``2(L − 1) + 1`` with ``L >= ⌈log2 p⌉``. Otherwise some hidden layer's values are
  affine in one polynomial ``h`` and the target is ``g∘h``; a prime degree leaves
  ``deg h = 1`` (the layers above compute the target∘h⁻¹ from the one input h) or ``deg g = 1``
  (a value of that layer is an affine image of the target): a network with fewer neurons
  computes a polynomial of degree ``p``, and induction on the count gives the bound.

docs/construct.md says more. The bound is attained by ``T_2``, ``T_3``, ``T_5`` and ``T_7``
(construct's networks) and by a real-weight ``T_11`` (``benchmarks/real_weights.py``).
"""

from __future__ import annotations

import sympy

from ..errors import QuadTheoryError


def neurons_at_least(degree: int, inputs: int) -> tuple[int, str]:
    """The proved least number of neurons for a polynomial of total ``degree`` in ``inputs``
    variables (module docstring), and why, in words.

    >>> neurons_at_least(19, 1)
    (9, '2·⌈log2 19⌉ − 1, a prime degree in one variable')
    >>> neurons_at_least(19, 2)
    (5, '⌈log2 19⌉ layers')
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
    return layers, f"⌈log2 {degree}⌉ layers"

