"""How far float evaluation of a network can be from its exact value: a proved bound.

An exact network computes its polynomial exactly in rational arithmetic; evaluated in
float64 (``Network.numeric``, ``quadtheory.nn.to_torch``) every weight is rounded once and
every operation rounds. The classical forward error analysis (Higham, *Accuracy and
Stability of Numerical Algorithms*, 2nd ed., 2002, §3.1: ``|fl(Σ a_i b_i) − Σ a_i b_i| ≤
γ_n Σ |a_i b_i|`` with ``γ_n = nu/(1 − nu)``, in any order of summation, fused or not)
bounds the error layer by layer, given bounds ``M`` on the magnitude of every value over the
domain (the exact enclosures of :mod:`.ranges`, the ones the proofs use):

- an affine form ``r = w·h + b`` (rounded weights, inputs off by ``E``) is off by at most
  ``Σ|w|E + γ_{n+2}(Σ|w|(M + E) + |b|)``;
- a product ``r·g`` by ``R·e_g + G·e_r + e_r·e_g + u(R + e_r)(G + e_g)``; a square ``h²`` by
  ``E(2M + E) + u(M + E)²``; the neuron's final sum by ``γ_2`` of its terms' magnitudes;
- relu adds nothing (it is 1-Lipschitz), and a neuron proved negative by more than its
  error bound outputs exactly 0 in floats too.

All of it in exact rationals (each neuron's bound rounded *up* to 64 significant bits, so
sizes stay bounded), so the bound is rigorous, not an estimate. Large intermediate
values (a polynomial evaluated through its monomials, ``T_64`` with coefficients near
``10^19``) make it large; compositions that keep values small make it small.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..core.evaluate import WARN_RELATIVE, evaluate_exact
from ..core.layers import QuadraticLayer
from ..core.network import Network, as_network
from ..core.numbers import decimal_upper, format_rational, slow
from . import ranges
from .polynomial import PolynomialTrace, affine_polynomials, network_polynomials, univariate_range

UNIT_ROUNDOFF = {"float64": Fraction(1, 2**53), "float32": Fraction(1, 2**24)}
BITS = {"float64": 53, "float32": 24}  # significand bits


@dataclass(frozen=True)
class FloatError:
    """Proved bounds on ``max |float(network)(x) − network(x)|`` over the domain, per float
    format, and the output scale the relative bounds refer to: the largest ``|output|`` at
    ``samples`` points, the box's centre and extreme corners (exact values; a lower bound of
    the output's magnitude on the domain, so the relative bound errs on the large side)."""

    absolute: dict[str, Fraction]
    scale: Fraction
    samples: int

    def relative(self, dtype: str = "float64") -> Fraction | None:
        """The bound relative to the output scale (None when every sampled output is 0)."""
        return self.absolute[dtype] / self.scale if self.scale else None

    def exceeds(self, dtype: str = "float64") -> bool:
        """Whether float evaluation may lose more than :data:`WARN_RELATIVE`."""
        relative = self.relative(dtype)
        return relative is not None and relative > WARN_RELATIVE[dtype]

    def as_dict(self) -> dict[str, Any]:
        """The ``float64_error_bound`` entry of the network file's meta: decimal upper bounds
        (3 significant digits) and the output scale."""
        out: dict[str, Any] = {}
        for dtype in UNIT_ROUNDOFF:
            prefix = "" if dtype == "float64" else "float32_"
            relative = self.relative(dtype)
            out[prefix + "absolute"] = decimal_upper(self.absolute[dtype])
            out[prefix + "relative"] = None if relative is None else decimal_upper(relative)
        out["output_scale"] = format_rational(self.scale) if len(
            format_rational(self.scale)) <= 20 else decimal_upper(self.scale)
        out["samples"] = self.samples
        return out

    def line(self) -> str:
        """One line for reports and certificates."""
        relative = self.relative()
        rel = "" if relative is None else f" (relative {decimal_upper(relative)})"
        return (f"float64 evaluation off by <= {decimal_upper(self.absolute['float64'])}{rel} "
                f"on the domain, float32 <= {decimal_upper(self.absolute['float32'])} "
                f"(forward error analysis with proved enclosures)")


def _gamma(k: int, u: Fraction) -> Fraction:
    return k * u / (1 - k * u)


def _representable(value: Any, bits: int) -> bool:
    # Not cached: hashing a python-flint rational builds a Fraction, dearer than this test.
    if not value:
        return True
    num, den = abs(int(value.numerator)), int(value.denominator)
    if den & (den - 1):
        return False
    return (num >> ((num & -num).bit_length() - 1)).bit_length() <= bits


@functools.lru_cache(maxsize=1024)
def _gamma_fast(k: int, bits: int) -> Any:
    return up(ranges.q(_gamma(k, Fraction(1, 2**bits))))


# Significant bits an error bound keeps, rounded up: exact sums over thousands of weights
# with unlike denominators (γ_k = ku/(1 − ku) for each row length k) grow to thousands of
# bits, which made the analysis superlinear in the network's size. Rounding up keeps every
# bound an upper bound and costs a relative 2^-63.
BOUND_BITS = 64


def up(value: Any) -> Any:
    """``value >= 0`` (a fast rational) rounded up to a dyadic of :data:`BOUND_BITS`
    significant bits.

    >>> from quadtheory._src.core.numbers import Q
    >>> third = up(Q(1, 3))
    >>> third >= Q(1, 3), third - Q(1, 3) < Q(1, 3) / 2**63, up(Q(3, 4)) == Q(3, 4)
    (True, True, True)
    """
    num, den = int(value.numerator), int(value.denominator)
    if num.bit_length() <= BOUND_BITS and not den & (den - 1):
        return value  # 0, or a dyadic short enough already
    shift = num.bit_length() - den.bit_length() - BOUND_BITS
    if shift >= 0:
        return type(value)(-(-num // (den << shift)) << shift)
    return type(value)(-(-(num << -shift) // den), 1 << -shift)


def _magnitude(r: ranges.Range) -> Any:
    return ranges.magnitude(r)


@dataclass(frozen=True)
class _Format:
    """A float format's unit roundoff ``u`` (exact), its significand bits, and ``γ_k``."""

    u: Any
    bits: int

    def gamma(self, k: int) -> Any:
        return _gamma_fast(k, self.bits)

    def exact(self, value: Any) -> bool:
        """Whether ``value`` is a float of this format (rounding it changes nothing)."""
        return _representable(value, self.bits)

    def power_of_two(self, value: Any) -> bool:
        num, den = abs(int(value.numerator)), int(value.denominator)
        return num & (num - 1) == 0 and den & (den - 1) == 0


def _affine_error(row: Sequence[tuple[int, Any]], bias: Any, mag: list[Any], err: list[Any],
                  f: _Format, result: Any) -> tuple[Any, Any]:
    """(error bound, magnitude sum) of ``w·h + b`` computed in floats: the inputs' errors
    carried through, rounding of inexact weights, and of the operations: exactly ordered for
    one term (``w·h``, then ``+ b``, relative to the result's magnitude ``result``), γ_{k+1}
    of the magnitudes for ``k >= 2`` terms (any order; zero entries add nothing)."""
    u = f.u
    propagated, total = ranges.ZERO, abs(bias)
    rounding = ranges.ZERO if f.exact(bias) else u * abs(bias)
    for j, w in row:
        a = abs(w)
        propagated += a * err[j]
        term = a * (mag[j] + err[j])
        total += term
        if not f.exact(w):
            rounding += u * term
    if len(row) >= 2:
        return propagated + rounding + f.gamma(len(row) + 1) * total * (1 + u), total
    if row and not f.power_of_two(row[0][1]):
        rounding += u * total * (1 + u)  # the product w·h (a power of two is exact)
    error = propagated + rounding
    if row and bias:
        error += u * (result + error)  # the addition, relative to its result
    return error, total


@dataclass(frozen=True)
class _Neuron:
    """One neuron's rows (fast rationals) and the magnitudes of its affine forms' exact
    values over the domain: what the error bound of every float format needs."""

    rows: tuple[Any, ...]  # (row_r, b_r, row_g, b_g, row_b, c), or (row, b) conventional
    magnitudes: tuple[Any, ...]  # (|r|, |g|, |squares part|), or (|z|,)


@dataclass(frozen=True)
class _Polys:
    """A layer's inputs as exact polynomials of the network's one input on its side."""

    ring: Any
    h: Sequence[Any]
    side: ranges.Range


def _tighter(magnitude: Any, ring: Any, poly: Any, side: ranges.Range) -> Any:
    """The smaller of an interval magnitude and the Chebyshev enclosure's of ``poly``."""
    other = _magnitude(univariate_range(ring, poly, side))
    if other is None:
        return magnitude
    return other if magnitude is None or other < magnitude else magnitude


def _neurons(layer: Any, below: list[ranges.Range], polys: _Polys | None = None
             ) -> tuple[list[_Neuron], list[ranges.Range]]:
    """Each neuron's rows and magnitudes, and its pre-activation enclosure (as the proofs
    compute it), once per layer. ``polys``: the layer's inputs as polynomials of the one
    input, whose affine forms' Chebyshev enclosures then bound the magnitudes too (interval
    arithmetic through ``P − x``, with ``P = T_t + x``, loses that it is ``T_t``)."""
    out, enclosures = [], []
    if not isinstance(layer, QuadraticLayer):
        forms = None if polys is None else affine_polynomials(polys.ring, layer.w, layer.b,
                                                              polys.h)
        for k, (row, b) in enumerate(zip(layer.w.fast_rows, layer.b)):
            b = ranges.q(b)
            rng = ranges.affine(row, b, below)
            magnitude = _magnitude(rng)
            if forms is not None:
                magnitude = _tighter(magnitude, polys.ring, forms[k], polys.side)
            out.append(_Neuron((row, b), (magnitude,)))
            enclosures.append(rng)
        return out, enclosures
    squares = [(ranges.ZERO, _magnitude(b) ** 2) for b in below]  # enclosures of h²
    forms = None
    if polys is not None:
        used = {j for row in layer.w_b.rows for j, _ in row}
        squared = [h * h if j in used else None for j, h in enumerate(polys.h)]
        forms = list(zip(affine_polynomials(polys.ring, layer.w_r, layer.b_r, polys.h),
                         affine_polynomials(polys.ring, layer.w_g, layer.b_g, polys.h),
                         affine_polynomials(polys.ring, layer.w_b, layer.c, squared)))
    for k, (row_r, b_r, row_g, b_g, row_b, c) in enumerate(zip(
            layer.w_r.fast_rows, layer.b_r, layer.w_g.fast_rows, layer.b_g,
            layer.w_b.fast_rows, layer.c)):
        b_r, b_g, c = ranges.q(b_r), ranges.q(b_g), ranges.q(c)
        magnitudes = (_magnitude(ranges.affine(row_r, b_r, below)),
                      _magnitude(ranges.affine(row_g, b_g, below)),
                      _magnitude(ranges.affine(row_b, c, squares)))
        if forms is not None:
            magnitudes = tuple(_tighter(m, polys.ring, p, polys.side)
                               for m, p in zip(magnitudes, forms[k]))
        out.append(_Neuron((row_r, b_r, row_g, b_g, row_b, c), magnitudes))
        enclosures.append(ranges.quadratic_range(row_r, b_r, row_g, b_g, row_b, c, below))
    return out, enclosures


def _errors(neurons: list[_Neuron], mag: list[Any], err: list[Any], f: _Format,
            below: Sequence[ranges.Range] | None = None) -> list[Any]:
    """Per neuron: the error bound of its pre-activation in the float format ``f``. With the
    layer's input enclosures ``below``, a product neuron's bound is also split as its own
    rounding at the float inputs plus the exact change of its polynomial between the exact
    and the float inputs (:func:`_sensitivity`), and the smaller of the two is kept."""
    u = f.u
    if neurons and len(neurons[0].rows) == 2:
        return [_affine_error(*n.rows, mag, err, f, n.magnitudes[0])[0] for n in neurons]
    square_err = [e * (2 * m + e) + u * (m + e) ** 2 for m, e in zip(mag, err)]
    square_mag = [(m + e) ** 2 * (1 + u) for m, e in zip(mag, err)]
    out = [_quadratic_error(n, mag, err, f, square_mag, square_err) for n in neurons]
    if below is None or not any(err):
        return out
    wide: tuple[list[Any], ...] | None = None  # made when a neuron first needs it
    for k, n in enumerate(neurons):
        row_r, _, row_g, _, row_b, _ = n.rows
        if not row_r or not row_g or len(row_r) * len(row_g) > _SENSITIVITY_TERMS:
            continue
        if len(row_r) == len(row_g) == 1 and not {j for j, _ in row_b} & {
                row_r[0][0], row_g[0][0]}:
            continue  # one value times one value: the factor-by-factor bound is as tight
        change = _sensitivity(n.rows, below, mag, err)
        if change is None:
            continue
        if wide is None:
            # The float inputs lie within err of the exact ones: magnitudes up to mag + err,
            # and at those inputs (exact ones for this part) no error carried in.
            grown_mag = [m + e for m, e in zip(mag, err)]
            wide = (grown_mag, [ranges.ZERO] * len(mag), [m ** 2 * (1 + u) for m in grown_mag],
                    [u * m ** 2 for m in grown_mag])
        grown = (n.magnitudes[0] + sum(abs(w) * err[j] for j, w in row_r),
                 n.magnitudes[1] + sum(abs(w) * err[j] for j, w in row_g),
                 n.magnitudes[2] + sum(abs(w) * err[j] * (2 * mag[j] + err[j])
                                       for j, w in row_b))
        own = _quadratic_error(_Neuron(n.rows, grown), wide[0], wide[1], f, wide[2], wide[3])
        out[k] = min(out[k], own + change)
    return out


# Products up to this many weight pairs (|w_r|·|w_g|) also get the sensitivity bound.
_SENSITIVITY_TERMS = 64


def _sensitivity(rows: tuple[Any, ...], below: Sequence[ranges.Range], mag: list[Any],
                 err: list[Any]) -> Any | None:
    """``max |f(h + δ) − f(h)|`` over the box and ``|δ_i| <= err_i``, for the neuron's
    pre-activation ``f(h) = (r·h + b_r)(g·h + b_g) + Σ w_b·h² + c``: exactly
    ``∇f(h)·δ + ½·δᵀHδ`` (``f`` is quadratic), so at most ``Σ_i max|∂_i f|·err_i +
    (Σ|r_i|err_i)(Σ|g_j|err_j) + Σ|w_b,i|·err_i²``, each ``∂_i f`` an affine function of
    ``h`` bounded exactly on the box. Unlike the factor-by-factor bound it sees
    cancellation: ``2T_a·T_b − T_d`` written with large factors changes by ``2|T_b|·δ_a``."""
    row_r, b_r, row_g, b_g, row_b, _ = rows
    r, g, w_b = dict(row_r), dict(row_g), dict(row_b)
    total = ranges.ZERO
    for i in sorted(r.keys() | g.keys() | w_b.keys()):
        if not err[i]:
            continue
        r_i, g_i = r.get(i, ranges.ZERO), g.get(i, ranges.ZERO)
        coefs: dict[int, Any] = {}
        for j, w in row_g:
            coefs[j] = coefs.get(j, ranges.ZERO) + r_i * w
        for j, w in row_r:
            coefs[j] = coefs.get(j, ranges.ZERO) + g_i * w
        if i in w_b:
            coefs[i] = coefs.get(i, ranges.ZERO) + 2 * w_b[i]
        slope = ranges.affine([(j, w) for j, w in sorted(coefs.items()) if w],
                              r_i * b_g + g_i * b_r, below)
        bound = _magnitude(slope)
        if bound is None:
            return None
        total += bound * err[i]
    spread_r = sum(abs(w) * err[j] for j, w in row_r)
    spread_g = sum(abs(w) * err[j] for j, w in row_g)
    return total + spread_r * spread_g + sum(abs(w) * err[j] ** 2 for j, w in row_b)


def _quadratic_error(n: _Neuron, mag: list[Any], err: list[Any], f: _Format,
                     square_mag: list[Any], square_err: list[Any]) -> Any:
    """The error bound of one quadratic neuron's pre-activation, factor by factor."""
    u = f.u
    row_r, b_r, row_g, b_g, row_b, c = n.rows
    big_r, big_g, s_mag = n.magnitudes
    e_r, _ = _affine_error(row_r, b_r, mag, err, f, big_r)
    e_g, _ = _affine_error(row_g, b_g, mag, err, f, big_g)
    e_p = big_r * e_g + big_g * e_r + e_r * e_g
    product = (big_r + e_r) * (big_g + e_g)
    if product:
        e_p += u * product
    if not row_b and not c:
        return e_p  # adding exact zeros rounds nothing
    e_s, total_s = _affine_error(row_b, c, square_mag, square_err, f, s_mag)
    if (not row_r and not b_r) or (not row_g and not b_g):
        # r·g is exactly 0 in floats too, and adding it rounds nothing: the squares
        # part's own bound (its bias addition included) is the neuron's.
        return e_s
    return e_p + e_s + f.gamma(2) * (product * (1 + u) + total_s * (1 + u) + abs(c))


def _bounds(network: Network, layer_ranges: Sequence[Sequence[ranges.Range] | None] | None,
            trace: PolynomialTrace | None = None, input_error: Any = None
            ) -> dict[str, Fraction] | None:
    below = [(ranges.q(lo), ranges.q(hi)) for lo, hi in network.domain]
    hidden = trace.hidden if trace is not None and len(trace.hidden) == network.depth \
        else None
    if hidden is not None:
        side = below[0]  # the one input's
        paired = {(r.layer, r.neuron) for r in trace.relu_ranges if r.relu == "paired"}
    mag = [_magnitude(r) for r in below]
    formats = {dtype: _Format(ranges.q(u), BITS[dtype]) for dtype, u in UNIT_ROUNDOFF.items()}
    # The float inputs are the points themselves: no error at the inputs (unless the network
    # is to read values already off by ``input_error``, as a composition's outer part does).
    start = ranges.ZERO if input_error is None else ranges.q(input_error)
    err = {dtype: [start] * network.n_inputs for dtype in formats}
    for k, layer in enumerate(network.layers):
        polys = None if hidden is None else _Polys(
            trace.ring, trace.ring.gens if k == 0 else hidden[k - 1], side)
        neurons, enclosures = _neurons(layer, below, polys)
        errors = {dtype: [up(e) for e in _errors(neurons, mag, err[dtype], f, below)]
                  for dtype, f in formats.items()}
        if layer.activation == "relu":
            for found in errors.values():
                for j, (e, rng) in enumerate(zip(found, enclosures)):
                    if rng[1] is not None and (rng[1] + e).numerator < 0:
                        found[j] = ranges.ZERO  # the exact and the float value are both < 0
            enclosures = [ranges.relu(r) for r in enclosures]
        known = layer_ranges[k] if layer_ranges is not None and k < len(layer_ranges) else None
        if known is not None:
            enclosures = [ranges.meet(v, r) for v, r in zip(enclosures, known)]
        if hidden is not None:
            # The outputs' own polynomials, enclosed (after the last relu the proofs keep no
            # enclosures, and interval arithmetic through T_3∘T_32 grows like 3^depth); a
            # relu pair's halves are read as (z, 0), not their values: not these.
            enclosures = [v if (k, j) in paired else
                          ranges.meet(v, univariate_range(trace.ring, poly, side))
                          for j, (v, poly) in enumerate(zip(enclosures, hidden[k]))]
        if any(v[0] is None or v[1] is None for v in enclosures):
            return None
        below, mag, err = enclosures, [_magnitude(v) for v in enclosures], errors
    return {dtype: slow(max(found, default=ranges.ZERO)) for dtype, found in err.items()}


def _sample_points(network: Network) -> list[list[Fraction]]:
    """The centre of the box and its two extreme corners (every input low, every one high)."""
    box = network.domain
    return [[(lo + hi) / 2 for lo, hi in box], [lo for lo, _ in box], [hi for _, hi in box]]


# Up to this many neurons, a network of one input has each neuron's affine forms enclosed by
# their Chebyshev coefficients too (O(degree²) each): a tighter bound for compositions.
TIGHT_NEURONS = 512


def wants_hidden(network: Network) -> bool:
    """Whether :func:`float_error` uses the layers' polynomials (``keep_hidden`` traces)."""
    return network.n_inputs == 1 and network.domain is not None and \
        sum(network.widths) <= TIGHT_NEURONS


def float_error(network: Network, layer_ranges: Sequence[Sequence[ranges.Range] | None]
                | None = None, trace: PolynomialTrace | None = None) -> FloatError | None:
    """The proved float64 and float32 error bounds of ``network`` over its domain (None on
    all of R^n, where values are unbounded); ``layer_ranges`` (proved enclosures of each
    layer's outputs) tighten it; a proved ``trace`` of the network
    (:func:`~quadtheory._src.exact.polynomial.network_polynomials`) gives them, and for one
    input its layers' polynomials (``keep_hidden``) tighten it further. A network of one input
    is traced here when no trace or ranges are given.

    >>> from quadtheory import Network, quadratic_layer
    >>> sq = Network(("x",), (quadratic_layer([[1]], w_g=[[1]], activation="identity"),),
    ...              domain=[[-1, 1]])
    >>> bound = float_error(sq)            # x·x: one product of exact inputs
    >>> bound.absolute["float64"] <= Fraction(4, 2**53), bound.scale
    (True, Fraction(1, 1))
    """
    network = as_network(network, "network")
    if network.domain is None:
        return None
    if trace is not None and not trace.proved:
        trace = None
    keep_hidden = wants_hidden(network)
    untraced = trace is None and layer_ranges is None
    without_polynomials = keep_hidden and (trace is None or not trace.hidden)
    if network.n_inputs == 1 and (untraced or without_polynomials):
        # One input: the proofs' enclosures include the Chebyshev ones, far tighter for
        # compositions (T_3∘T_16) than interval arithmetic through the layers.
        fresh = network_polynomials(network, keep_hidden=keep_hidden)
        if fresh.proved:
            trace = fresh
    if trace is not None and layer_ranges is None:
        layer_ranges = trace.layer_ranges
    absolute = _bounds(network, layer_ranges, trace)
    if absolute is None:
        return None
    points = _sample_points(network)
    scale = max((abs(v) for p in points for v in evaluate_exact(network, p)), default=Fraction(0))
    return FloatError(absolute, scale, len(points))


# The input error at which :func:`input_gain` measures: small beside any value of a network on
# a unit box, far above float64's rounding.
GAIN_DELTA = Fraction(1, 2**40)


def input_gain(network: Network, trace: PolynomialTrace | None = None,
               exact: FloatError | None = None) -> float | None:
    """How fast the float64 bound of ``network`` grows with an error in its inputs: (the
    bound when every input is off by :data:`GAIN_DELTA` − the bound for exact inputs) /
    ``GAIN_DELTA``. An estimate, not a proof (the bound is not linear in it), for ranking
    compositions: the outer part of ``T_a∘T_b`` reads the inner part's float output, off by
    the inner part's bound, and amplifies it by this much (``|T_a'| <= a²`` is the exact
    derivative's share; the layer-by-layer analysis adds to it). ``trace``: a proved trace
    of ``network`` (kept hidden layers tighten both bounds, as in :func:`float_error`);
    ``exact``: :func:`float_error` of the network with that trace, if already computed.

    >>> from quadtheory import Network, quadratic_layer
    >>> sq = Network(("x",), (quadratic_layer([[2]], w_g=[[1]], activation="identity"),),
    ...              domain=[[-1, 1]])
    >>> round(input_gain(sq), 3)             # 2x·x moves by 4|x|·δ, 4 at x = ±1
    4.0
    """
    network = as_network(network, "network")
    if network.domain is None:
        return None
    if trace is not None and not trace.proved:
        trace = None
    layer_ranges = None if trace is None else trace.layer_ranges
    base = _bounds(network, layer_ranges, trace) if exact is None else exact.absolute
    off = _bounds(network, layer_ranges, trace, input_error=GAIN_DELTA)
    if base is None or off is None:
        return None
    return float((off["float64"] - base["float64"]) / GAIN_DELTA)
