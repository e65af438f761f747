"""Reference implementations the fast paths are checked and benchmarked against."""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import sympy
from flint import fmpq

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


def reference_pieces(network) -> list[tuple[Fraction, Fraction, list[tuple[Fraction, Fraction]]]]:
    """The maximal affine pieces of a one-input conventional network on its bounded domain,
    cell by cell as ``linear_pieces`` computed them before issue 9's breakpoint arrays (its
    code then): each cell carries every neuron's slope and intercept (``fmpq``), and a relu
    splits it at the roots inside. ``(lo, hi, [(slope, intercept) per output])``.

    >>> from quadtheory import yarotsky_square
    >>> [(float(lo), float(hi)) for lo, hi, _ in reference_pieces(yarotsky_square(1))]
    [(0.0, 0.5), (0.5, 1.0)]
    """
    (start, end), = network.domain
    cells = [(_fmpq(start), _fmpq(end), [(fmpq(1), fmpq(0))])]
    for layer in network.layers:
        rows = [[(j, _fmpq(v)) for j, v in row] for row in layer.w.rows]
        mapped = []
        for lo, hi, h in cells:
            z = []
            for row, b in zip(rows, layer.b):
                a, b = fmpq(0), _fmpq(b)
                for j, v in row:
                    ha, hb = h[j]
                    if ha:
                        a += v * ha
                    if hb:
                        b += v * hb
                z.append((a, b))
            if layer.activation == "relu":
                _split_cell(lo, hi, z, mapped)
            else:
                mapped.append((lo, hi, z))
        cells = mapped
    out: list = []
    for lo, hi, z in cells:
        if out and out[-1][2] == z:
            out[-1] = (out[-1][0], hi, z)
        else:
            out.append((lo, hi, z))
    return [(_fraction(lo), _fraction(hi), [(_fraction(a), _fraction(b)) for a, b in z])
            for lo, hi, z in out]


def _fmpq(x: Fraction) -> fmpq:
    return fmpq(x.numerator, x.denominator)


def _fraction(x: fmpq) -> Fraction:
    return Fraction(int(x.p), int(x.q))


def _split_cell(lo, hi, z, out) -> None:
    """relu of ``z`` on ``(lo, hi)``, split at the roots inside (signs from the roots' sides)."""
    zero = (fmpq(0), fmpq(0))
    inside, signs = [], []
    for i, (a, b) in enumerate(z):
        if not a:
            signs.append(1 if b.p > 0 else -1)
            continue
        root = -b / a
        up = 1 if a.p > 0 else -1
        if (root - lo).p <= 0:
            signs.append(up)
        elif (hi - root).p <= 0:
            signs.append(-up)
        else:
            signs.append(0)
            inside.append((root, i, up))
    inside.sort(key=lambda item: item[0])
    for _, i, up in inside:
        signs[i] = -up
    left = lo
    for k in range(len(inside) + 1):
        right = inside[k][0] if k < len(inside) else hi
        if not k or right != left:
            out.append((left, right, [v if sign > 0 else zero for v, sign in zip(z, signs)]))
        if k < len(inside):
            signs[inside[k][1]] = inside[k][2]
        left = right


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


def reference_decimal_upper(value: Fraction, digits: int = 3) -> str:
    """``decimal_upper`` as it was before its integer comparisons: powers of ten as
    ``Fraction``.

    >>> reference_decimal_upper(Fraction(1, 128))
    '0.00782'
    """
    import math

    from quadtheory._src.core.numbers import format_rational

    if value <= 0:
        return format_rational(value)
    exponent = math.floor(math.log10(value.numerator) - math.log10(value.denominator))
    while Fraction(10) ** exponent > value:
        exponent -= 1
    while Fraction(10) ** (exponent + 1) <= value:
        exponent += 1
    unit = Fraction(10) ** (exponent - digits + 1)
    mantissa = math.ceil(value / unit)
    rounded = mantissa * unit
    if rounded == int(rounded) and abs(rounded) < 10**6:
        return str(int(rounded))
    if abs(exponent) > 300:
        shown = str(mantissa)
        power = exponent + len(shown) - digits
        shown = shown.rstrip("0")
        return f"{shown[0]}{'.' + shown[1:] if shown[1:] else ''}e{power:+03d}"
    text = f"{float(rounded):.{digits}g}"
    if Fraction(text) < rounded:
        text = f"{float(rounded):.{digits + 1}g}"
    return text
