"""Reference implementations the fast paths are checked and benchmarked against."""

from __future__ import annotations

from fractions import Fraction

from quadtheory import QuadraticLayer


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
