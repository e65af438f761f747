"""Reference implementations the fast paths are checked and benchmarked against."""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import sympy

from quadtheory import FloatPrecisionWarning, QuadraticLayer


def reference_exact(network, point):
    """Exact evaluation as ``Network.exact`` did before issue 9: ``Fraction`` arithmetic,
    matrix rows applied with ``Matrix.apply``, every square computed.

    >>> from quadtheory import construct
    >>> reference_exact(construct("x*y + x**2", domain=(0, 1)), [Fraction(1, 2), 3])
    (Fraction(7, 4),)
    """
    h = [Fraction(v) for v in point]
    for layer in network.layers:
        if isinstance(layer, QuadraticLayer):
            squares = [v * v for v in h]
            z = [(r + br) * (g + bg) + s + c
                 for r, br, g, bg, s, c in zip(layer.w_r.apply(h), layer.b_r, layer.w_g.apply(h),
                                               layer.b_g, layer.w_b.apply(squares), layer.c)]
        else:
            z = [v + b for v, b in zip(layer.w.apply(h), layer.b)]
        h = [max(v, Fraction(0)) for v in z] if layer.activation == "relu" else z
    return tuple(h)


def crowded_points(count: int) -> np.ndarray:
    """``count`` points of [-1, 1]: half equispaced, half Chebyshev-spaced (cos θ), which
    crowd towards ±1, where |T_n'| reaches n² and float errors are largest.

    >>> crowded_points(4).tolist()
    [-1.0, 1.0, 1.0, -1.0]
    """
    half = count // 2
    return np.concatenate([np.linspace(-1, 1, count - half),
                           np.cos(np.linspace(0, np.pi, half))])


def observed_float_error(network, polynomial, points: np.ndarray) -> Fraction:
    """max |float64 evaluation of ``network`` − ``polynomial`` (of its one input)| over the
    points, each difference exact: python-flint evaluates the polynomial at each float point
    as a rational and subtracts in C (about 25 µs a point at degree 127). Independent of the
    package's own analysis, which the result is checked against.

    >>> from quadtheory import construct
    >>> x = sympy.Symbol("x")
    >>> observed_float_error(construct(x**2), x**2, crowded_points(10)) < Fraction(1, 2**50)
    True
    """
    import flint

    (variable,) = polynomial.free_symbols
    coeffs = [flint.fmpq(int(c.p), int(c.q)) for c in reversed(
        sympy.Poly(polynomial, variable).all_coeffs())]
    poly = flint.fmpq_poly(coeffs)
    with warnings.catch_warnings():   # a large proved bound warns; here it is checked instead
        warnings.simplefilter("ignore", FloatPrecisionWarning)
        got = network.numeric(points[:, None])[:, 0]
    worst = flint.fmpq(0)
    for p, v in zip(points.tolist(), got.tolist()):
        gap = poly(flint.fmpq(*p.as_integer_ratio())) - flint.fmpq(*v.as_integer_ratio())
        worst = max(worst, gap if gap >= 0 else -gap)
    return Fraction(int(worst.p), int(worst.q))
