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
  error bound outputs exactly 0 in floats too;
- where the range of the float values an operation reads is known (the box for the inputs;
  then each neuron's, by interval arithmetic on the float operations, each result's range
  rounded outward to the format, and never wider than the exact enclosure ± the error
  bound), a single rounding is bounded by half the float spacing of the binade its result
  lies in rather than ``u`` times its magnitude bound: a result in ``[−2, 2]`` rounds by
  ``u`` (``2`` itself is a float), where ``u·(2 + error)`` is ``2u``. Float evaluation
  computes a quadratic neuron as ``fl(fl(r·g) + s)`` (``Network.numeric``, the torch
  layers), so its final sum is one such rounding. This halves the bound of the squaring
  chains that compose ``T_{2^k}``: ``T_128`` is proved to about ``n²·u/2``. A sum of a few
  float terms rounds by the binades of its partial sums in any order (:func:`_float_sum`),
  and a sum of two floats of opposite signs within a factor 2 not at all (Sterbenz's
  lemma, :func:`_sterbenz`): ``2h − 2`` near ``h = 2`` is exact;
- for a network of one input, each output's error is also bounded to first order with
  exact coefficients (:class:`_Linear`): every neuron's own rounding is a source whose
  share in the output is an exact polynomial of the input (the chain rule through the exact
  values), so errors that reach a neuron along several paths are counted with their signs,
  not once per path; the second-order rest is bounded by the layer-by-layer bounds. The
  output's bound is the smaller of the two.

All of it in exact rationals (each neuron's bound rounded *up* to 64 significant bits, so
sizes stay bounded), so the bound is rigorous, not an estimate. Large intermediate
values (a polynomial evaluated through its monomials, ``T_64`` with coefficients near
``10^19``) make it large; compositions that keep values small make it small.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
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
    pieces: int = 1  # the bound is the worst over this many pieces of the one input's side

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
        out["pieces"] = self.pieces
        return out

    def line(self) -> str:
        """One line for reports and certificates."""
        relative = self.relative()
        rel = "" if relative is None else f" (relative {decimal_upper(relative)})"
        return (f"float64 evaluation off by <= {decimal_upper(self.absolute['float64'])}{rel} "
                f"on the domain, float32 <= {decimal_upper(self.absolute['float32'])} "
                f"(forward error analysis with proved enclosures{pieces_words(self.pieces)})")


def pieces_words(pieces: int) -> str:
    """What a bound's lines add when it is the worst over ``pieces`` pieces of the side.

    >>> pieces_words(1), pieces_words(6)
    ('', ', the worst of 6 pieces of the side')
    """
    return "" if pieces == 1 else f", the worst of {pieces} pieces of the side"


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


# The least normal exponent of each format (by significand bits): below 2^e_min the spacing of
# the floats stops shrinking (subnormals), so a rounding error is at least half of it.
_MIN_EXPONENT = {53: -1022, 24: -126}


def _floor_log2(value: Any) -> int:
    """``⌊log2 value⌋`` of a rational ``value > 0``."""
    num, den = int(value.numerator), int(value.denominator)
    e = num.bit_length() - den.bit_length()
    return e if (num >= den << e if e >= 0 else num << -e >= den) else e - 1


def _dyadic(kind: type, e: int) -> Any:
    return kind(1 << e) if e >= 0 else kind(1, 1 << -e)


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

    def hulp(self, bound: Any) -> Any:
        """The largest rounding error ``|fl(v) − v|`` of any ``|v| <= bound``: half the float
        spacing of the binade below ``bound`` (``u·2^e`` for ``2^e <= bound < 2^(e+1)``;
        ``u·2^(e−1)`` when ``bound = 2^e`` itself, which rounds to itself), at least half the
        subnormal spacing. Never more than ``u·bound`` (the standard model's bound) beyond
        that floor, and up to half of it: a value bounded by 1 rounds by ``u/2``.

        >>> from quadtheory._src.core.numbers import Q
        >>> f = _Format(Q(1, 2**53), 53)
        >>> [float(f.hulp(b) * 2**53) for b in (Q(1), Q(3, 2), Q(2), Q(5, 2))]   # in units of u
        [0.5, 1.0, 1.0, 2.0]
        """
        num, den = int(bound.numerator), int(bound.denominator)
        if not num:
            return bound
        e = num.bit_length() - den.bit_length()
        if (num < den << e) if e >= 0 else (num << -e < den):
            e -= 1  # ⌊log2 bound⌋
        if not num & (num - 1) and not den & (den - 1):
            e -= 1  # 2^e itself is a float: below it, the binade under
        return _dyadic(type(bound), max(e, _MIN_EXPONENT[self.bits]) - self.bits)

    def rounds(self, lo: Any, hi: Any) -> Any:
        """The largest rounding error ``|fl(v) − v|`` of any ``v`` in ``[lo, hi]``:
        :meth:`hulp` of its largest magnitude ``M``, but where ``M`` lies just above a power
        of two ``E``, a ``v`` between them rounds by at most ``v − E`` (to ``E`` itself
        when closer than half the spacing), and every smaller one by the binade under ``E``.
        Values reaching just past 2 (``2T_a·T_b`` near ``x = 1``, off by its inputs'
        errors) round by ``u``, not ``2u``.

        >>> from quadtheory._src.core.numbers import Q
        >>> f = _Format(Q(1, 2**53), 53)
        >>> [float(f.rounds(*r) * 2**53) for r in ((Q(1), Q(2) + Q(1, 2**55)),
        ...                                         (Q(-3), Q(1)), (Q(0), Q(2)))]
        [1.0, 2.0, 1.0]
        """
        top = max(-lo, hi)
        if not top.numerator:
            return top
        e = _floor_log2(top)
        edge = _dyadic(type(top), e)
        if edge == top or e <= _MIN_EXPONENT[self.bits]:
            return self.hulp(top)  # a power of two itself; or subnormal: an even grid
        half, past = _dyadic(type(top), e - self.bits), top - edge  # hulp(top), in a normal binade
        if past >= half:
            return half
        return max(_dyadic(type(top), e - 1 - self.bits), past)  # hulp(edge): the binade under

    def outward(self, r: ranges.Range) -> ranges.Range:
        """The floats a value in ``r`` can round to: ``r``'s ends rounded outward to this
        format (rounding to nearest is monotone, and a float rounds to itself)."""
        return (None if r[0] is None else -self._up(-r[0]),
                None if r[1] is None else self._up(r[1]))

    def _up(self, value: Any) -> Any:
        # The least float >= value (no overflow: the values here are bounded and small), in
        # integers: the grid's spacing 2^e, and the ceiling of value / 2^e.
        num, den = int(value.numerator), int(value.denominator)
        if not num or (not den & (den - 1) and abs(num).bit_length() <= self.bits):
            return value  # 0, or a float already (its exponent is in range here)
        e = max(_floor_log2(abs(value)), _MIN_EXPONENT[self.bits]) - self.bits + 1
        steps = -(-(num << -e) // den) if e <= 0 else -(-num // (den << e))
        return type(value)(steps << e) if e >= 0 else type(value)(steps, 1 << -e)


def _widened(r: ranges.Range, by: Any) -> ranges.Range:
    return (None if r[0] is None else r[0] - by, None if r[1] is None else r[1] + by)


def _affine_error(row: Sequence[tuple[int, Any]], bias: Any, mag: list[Any], err: list[Any],
                  f: _Format, result: Any, fint: Sequence[ranges.Range] | None = None
                  ) -> tuple[Any, Any, ranges.Range | None]:
    """(error bound, magnitude sum, float range) of ``w·h + b`` computed in floats: the
    inputs' errors carried through, rounding of inexact weights, and of the operations:
    exactly ordered for one term (``w·h``, then ``+ b``, relative to the result's magnitude
    ``result``), γ_{k+1} of the magnitudes for ``k >= 2`` terms (any order; zero entries add
    nothing). With ``fint``, the ranges of the float inputs, also the range of the float
    result (None without), and for one term of float weights each operation's rounding by
    the binade its result lies in (:meth:`_Format.hulp`): ``2h − 2`` with the float ``h`` in
    ``[0, 2]`` rounds by ``u``, where ``u·(|2h − 2| + error)`` is ``2u`` and more."""
    u = f.u
    propagated, total = ranges.ZERO, abs(bias)
    floats = f.exact(bias)
    rounding = ranges.ZERO if floats else u * abs(bias)
    for j, w in row:
        a = abs(w)
        propagated += a * err[j]
        term = a * (mag[j] + err[j])
        total += term
        if not f.exact(w):
            rounding += u * term
            floats = False
    if len(row) >= 2:
        error = propagated + rounding + f.gamma(len(row) + 1) * total * (1 + u)
        if fint is None:
            return error, total, None
        # The float value is within error of the exact one, whose magnitude is result.
        near = _widened((-result, result), error)
        summed = _float_sum(row, bias, fint, f) if floats else None
        if summed is None:
            return error, total, near
        own, lo, hi = summed
        return min(error, propagated + own), total, ranges.meet(near, (lo, hi))
    if row and not f.power_of_two(row[0][1]):
        rounding += u * total * (1 + u)  # the product w·h (a power of two is exact)
    error = propagated + rounding
    if row and bias:
        error += u * (result + error)  # the addition, relative to its result
    if fint is None:
        return error, total, None
    if not row:
        return error, total, _widened((bias, bias), error)
    j, w = row[0]
    lo, hi = fint[j]
    if not floats or lo is None or hi is None:
        return error, total, _widened(ranges.affine(row, bias, fint), error - propagated)
    # One term, float weights: fl(fl(w·h) + b), or fused fl(w·h + b), which rounds once
    # within the same bounds (its exact value lies in the unfused sum's range).
    own = ranges.ZERO
    if w != 1:
        lo, hi = (lo * w, hi * w) if w.numerator > 0 else (hi * w, lo * w)
        if not f.power_of_two(w):
            own = f.rounds(lo, hi)
            lo, hi = f.outward((lo, hi))
    if bias:
        # Fused or not, a product by a power of two is a float: Sterbenz applies to the sum.
        exact = f.power_of_two(w) and _sterbenz((lo, hi), (bias, bias))
        lo, hi = lo + bias, hi + bias
        if not exact:
            own += f.rounds(lo, hi)
            lo, hi = f.outward((lo, hi))
    return min(error, propagated + own), total, (lo, hi)


def _sterbenz(a: ranges.Range, b: ranges.Range) -> bool:
    """Whether ``fl(x + y) = x + y`` for every float ``x`` in ``a`` and ``y`` in ``b`` by
    Sterbenz's lemma (opposite signs, ``|y|/2 <= |x| <= 2|y|``: the difference of two floats
    within a factor 2 is a float). ``2h − 2`` with ``2h`` in ``[2, 4]``: exact, where the
    binade of the result alone says ``u``.

    >>> from quadtheory._src.core.numbers import Q
    >>> _sterbenz((Q(3), Q(4)), (Q(-2), Q(-2))), _sterbenz((Q(1, 2), Q(4)), (Q(-2), Q(-2)))
    (True, False)
    """
    if None in a or None in b:
        return False
    if a[0].numerator < 0:
        a, b = b, a
    if a[0].numerator < 0 or b[1].numerator > 0:
        return False  # not of opposite signs throughout
    return (2 * a[0] + b[0]).numerator >= 0 and (a[1] + 2 * b[1]).numerator <= 0


# Affine forms of up to this many terms (weights and bias) have their additions bounded by
# the binades of their partial sums, for any order: up to TREE_TERMS over every summation
# tree (3^k splits: 81 for 4 terms, 729 for 6, which made verify of the power benchmark's
# small networks 2.5x slower), above it by the largest sum of a subset (2^k).
SUM_TERMS = 6
TREE_TERMS = 4


def _subset_sums(terms: list[ranges.Range]) -> list[ranges.Range]:
    """The interval sum of every subset of ``terms``, indexed by its bit mask."""
    sums = [(ranges.ZERO, ranges.ZERO)] * (1 << len(terms))
    for mask in range(1, len(sums)):
        low = mask & -mask
        rest, term = sums[mask ^ low], terms[low.bit_length() - 1]
        sums[mask] = (rest[0] + term[0], rest[1] + term[1])
    return sums


def _float_sum_subsets(terms: list[ranges.Range], own: Any, f: _Format
                       ) -> tuple[Any, Any, Any]:
    """:func:`_float_sum`'s additions by the largest sum of a subset of the terms: each of
    the ``k − 1`` additions rounds a sum of two or more terms (off by the roundings before
    it, at most ``γ_k`` of the terms' magnitudes), by at most the binade of the largest."""
    k = len(terms)
    largest = max(_most([hi for _, hi in terms]), _most([-lo for lo, _ in terms]))
    magnitudes = sum((max(-lo, hi) for lo, hi in terms), ranges.ZERO)
    own += (k - 1) * f.hulp(largest + f.gamma(k) * magnitudes)
    total = (sum((lo for lo, _ in terms), ranges.ZERO), sum((hi for _, hi in terms), ranges.ZERO))
    return own, *f.outward(_widened(total, own))


def _most(values: list[Any]) -> Any:
    """The largest sum of two or more of ``values`` (a list of two or more): the two largest
    and every other positive one. The largest ``|Σ|`` over the subsets of the terms'
    intervals is the larger of this for the upper ends and for the negated lower ends, with
    no subset built (``2^k`` of them: a third of the float bound's time on small networks).

    >>> _most([3, -1, 2, -5]), _most([-4, -1, -2])
    (5, -3)
    """
    ordered = sorted(values, reverse=True)
    return ordered[0] + ordered[1] + sum((v for v in ordered[2:] if v > 0), ranges.ZERO)


def _float_sum(row: Sequence[tuple[int, Any]], bias: Any, fint: Sequence[ranges.Range],
               f: _Format) -> tuple[Any, Any, Any] | None:
    """The roundings of ``w·h + b`` with float weights and bias at float inputs in ``fint``,
    and the range of its float value: ``(rounding, lo, hi)``, or None past
    :data:`SUM_TERMS` terms or with an unbounded input. Each product ``w·h`` rounds by its
    binade (a power of two: exactly). The additions may take any order (BLAS, fused or
    not): a summation tree, each node adding the float sums of two disjoint sets of terms
    (each within its own tree's roundings of the exact sum of its float terms) and rounding
    by the binade of the result, or not at all by Sterbenz's lemma (:func:`_sterbenz`; a
    product by a power of two or the bias is a float, fused or not, another product may not
    be). The worst tree over every set of terms, from the smaller sets up (3^k splits):
    ``h0 − h2 + 1`` near ``(2, 4)``, ``2u`` then ``u`` in any order, where ``γ_3·7`` is
    ``21u``."""
    terms, floats, own = [], [], ranges.ZERO
    for j, w in row:
        lo, hi = fint[j]
        if lo is None or hi is None:
            return None
        lo, hi = (lo * w, hi * w) if w.numerator > 0 else (hi * w, lo * w)
        exact = f.power_of_two(w)
        if not exact:
            own += f.rounds(lo, hi)
            lo, hi = f.outward((lo, hi))
        terms.append((lo, hi))
        floats.append(exact)
    if bias:
        terms.append((bias, bias))
        floats.append(True)
    k = len(terms)
    if k > SUM_TERMS:
        return None
    if k > TREE_TERMS:
        return _float_sum_subsets(terms, own, f)
    # worst[m]: the most the additions of any tree over the terms in m can round; span[m]:
    # where their float sum can lie (the exact sum of the float terms, sums[m], ± worst[m]).
    worst = [ranges.ZERO] * (1 << k)
    sums = _subset_sums(terms)
    span = list(sums)  # one term: its own range, nothing added
    for mask in range(1, 1 << k):
        if not mask & (mask - 1):
            continue
        most = None
        part = (mask - 1) & mask
        while part:
            other = mask ^ part
            if part < other:  # each split once
                a, b = span[part], span[other]
                leaves = all(floats[m.bit_length() - 1] for m in (part, other)
                             if m & (m - 1) == 0)
                node = ranges.ZERO if leaves and _sterbenz(a, b) else f.rounds(
                    a[0] + b[0], a[1] + b[1])
                cost = worst[part] + worst[other] + node
                if most is None or cost > most:
                    most = cost
            part = (part - 1) & mask
        worst[mask] = most
        span[mask] = _widened(sums[mask], most)
    everything = (1 << k) - 1
    own += worst[everything]
    return own, *f.outward(span[everything])


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


def _squares(mag: list[Any], err: list[Any], f: _Format,
             fint: Sequence[ranges.Range] | None, used: set[int]
             ) -> tuple[list[Any], list[Any], Any]:
    """The squares ``h⊙h`` in floats: their magnitudes, error bounds (the inputs' errors
    squared through, and the rounding: ``u·(m + e)²``, or by the binade of the float square
    when ``fint``, the float inputs' ranges, are known) and float ranges (None without; for
    the squares a neuron reads, ``used``, only)."""
    u = f.u
    square_mag = [(m + e) ** 2 * (1 + u) for m, e in zip(mag, err)]
    rounding = [u * (m + e) ** 2 for m, e in zip(mag, err)]
    square_fint = None
    if fint is not None:
        square_fint = [(ranges.ZERO, None)] * len(fint)
        for k in used:  # only the squares a neuron reads (the others cost nothing)
            if fint[k][0] is not None and fint[k][1] is not None:
                exact = ranges.power(fint[k], 2)
                rounding[k] = min(rounding[k], f.hulp(exact[1]))
                square_fint[k] = f.outward(exact)
    square_err = [e * (2 * m + e) + r for m, e, r in zip(mag, err, rounding)]
    return square_mag, square_err, square_fint


def _errors(neurons: list[_Neuron], mag: list[Any], err: list[Any], f: _Format,
            below: Sequence[ranges.Range] | None = None,
            fint: Sequence[ranges.Range] | None = None
            ) -> tuple[list[Any], list[ranges.Range | None]]:
    """Per neuron: the error bound of its pre-activation in the float format ``f``, and the
    range of its float value (None where unknown; all None without ``fint``, the ranges of
    the layer's float inputs). With the layer's input enclosures ``below``, a product
    neuron's bound is also split as its own rounding at the float inputs plus the exact
    change of its polynomial between the exact and the float inputs (:func:`_sensitivity`),
    and the smaller of the two is kept."""
    if neurons and len(neurons[0].rows) == 2:
        found = [_affine_error(*n.rows, mag, err, f, n.magnitudes[0], fint) for n in neurons]
        return [e for e, _, _ in found], [r for _, _, r in found]
    used = {j for n in neurons for j, _ in n.rows[4]} if fint is not None else set()
    square_mag, square_err, square_fint = _squares(mag, err, f, fint, used)
    found = [_quadratic_error(n, mag, err, f, square_mag, square_err, fint, square_fint)
             for n in neurons]
    out, franges = [e for e, _ in found], [r for _, r in found]
    if below is None or not any(err):
        return out, franges
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
            wide = _at_floats(mag, err, f, fint, used)
        out[k] = min(out[k], _own_rounding(n, mag, err, f, fint, wide) + change)
    return out, franges


def _at_floats(mag: list[Any], err: list[Any], f: _Format,
               fint: Sequence[ranges.Range] | None, used: set[int]) -> tuple[list[Any], ...]:
    """A layer's inputs as the floats they are: magnitudes up to ``mag + err`` (the float
    inputs lie within ``err`` of the exact ones), no error carried in, and their squares."""
    grown_mag = [m + e for m, e in zip(mag, err)]
    zeros = [ranges.ZERO] * len(mag)
    return (grown_mag, zeros, *_squares(grown_mag, zeros, f, fint, used))


def _own_rounding(n: _Neuron, mag: list[Any], err: list[Any], f: _Format,
                  fint: Sequence[ranges.Range] | None, wide: tuple[list[Any], ...]) -> Any:
    """What float evaluation of the neuron adds to the exact value of its pre-activation at
    the float inputs: its own roundings (weights, products, sums), none carried in.
    ``wide``: :func:`_at_floats` of the layer. Quadratic or conventional."""
    if len(n.rows) == 2:
        row, b = n.rows
        grown = n.magnitudes[0] + sum((abs(w) * err[j] for j, w in row), ranges.ZERO)
        return _affine_error(row, b, wide[0], wide[1], f, grown, fint)[0]
    row_r, _, row_g, _, row_b, _ = n.rows
    grown = (n.magnitudes[0] + sum(abs(w) * err[j] for j, w in row_r),
             n.magnitudes[1] + sum(abs(w) * err[j] for j, w in row_g),
             n.magnitudes[2] + sum(abs(w) * err[j] * (2 * mag[j] + err[j]) for j, w in row_b))
    own, _ = _quadratic_error(_Neuron(n.rows, grown), wide[0], wide[1], f, wide[2], wide[3],
                              fint, wide[4])
    return own


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
                     square_mag: list[Any], square_err: list[Any],
                     fint: Sequence[ranges.Range] | None = None,
                     square_fint: Sequence[ranges.Range] | None = None
                     ) -> tuple[Any, ranges.Range | None]:
    """The error bound of one quadratic neuron's pre-activation, factor by factor, and the
    range of its float value (None where unknown). Float evaluation computes
    ``fl(fl(r·g) + s)``, ``s`` the squares part with ``c`` (``Network.numeric`` and the torch
    layers alike): with the float ranges known, the product and the final sum each round by
    their binade (:meth:`_Format.hulp`), else by ``u`` and ``γ_2`` of the magnitudes."""
    u = f.u
    row_r, b_r, row_g, b_g, row_b, c = n.rows
    big_r, big_g, s_mag = n.magnitudes
    e_r, _, f_r = _affine_error(row_r, b_r, mag, err, f, big_r, fint)
    e_g, _, f_g = _affine_error(row_g, b_g, mag, err, f, big_g, fint)
    e_p = big_r * e_g + big_g * e_r + e_r * e_g
    product = (big_r + e_r) * (big_g + e_g)
    # A factor that is a power of two (a constant: no weights, a float bias; a carry is
    # h·1) scales the other exactly: the product rounds nothing.
    scaling = (not row_g and b_g and f.power_of_two(b_g)) or (
        not row_r and b_r and f.power_of_two(b_r))
    f_p = None
    if (f_r is not None and f_g is not None and f_r[0] is not None and f_r[1] is not None
            and f_g[0] is not None and f_g[1] is not None):
        lo, hi = ranges.mul(f_r, f_g)
        if scaling:
            f_p = (lo, hi)
        else:
            f_p = f.outward((lo, hi))
            if product:
                e_p += min(u * product, f.rounds(lo, hi))
    elif product and not scaling:
        e_p += u * product
    if not row_b and not c:
        return e_p, f_p  # adding exact zeros rounds nothing
    e_s, total_s, f_s = _affine_error(row_b, c, square_mag, square_err, f, s_mag, square_fint)
    if (not row_r and not b_r) or (not row_g and not b_g):
        # r·g is exactly 0 in floats too, and adding it rounds nothing: the squares
        # part's own bound (its bias addition included) is the neuron's.
        return e_s, f_s
    final = f.gamma(2) * (product * (1 + u) + total_s * (1 + u) + abs(c))
    if f_p is None or f_s is None or f_s[0] is None or f_s[1] is None:
        return e_p + e_s + final, None
    lo, hi = f_p[0] + f_s[0], f_p[1] + f_s[1]
    if _sterbenz(f_p, f_s):
        return e_p + e_s, (lo, hi)
    return e_p + e_s + min(final, f.rounds(lo, hi)), f.outward((lo, hi))


# Up to this many neurons, the analysis tracks the range of every float value and bounds each
# rounding by its binade: it halves the bounds of squaring chains (T_128: 1.8e-12 to 9.1e-13)
# and costs 1.4-1.7x the analysis, which on networks of hundreds of neurons it tightened by
# 2-6% (the perturbed (1 + x1 + ... + x4)^6 of the benchmark, 196 neurons: 6%).
RANGE_NEURONS = 128


def _passes(proved: bool, exact: ranges.Range, error: Any, floats: ranges.Range | None,
            low: Callable[[], Any]) -> int:
    """What is proved of a relu's value: 2 if it passes unchanged in exact and in float
    arithmetic, 1 if in exact arithmetic only, else 0. Exact: its pre-activation is
    ``>= 0`` (``proved`` by the trace on the whole domain, or its enclosure ``exact`` on
    this side); float: so is its float pre-activation (its float range ``floats``, or the
    exact value's lower bound on this side, ``low()``, less ``error``)."""
    if not (proved or (exact[0] is not None and exact[0].numerator >= 0)):
        return 0
    if floats is not None and floats[0] is not None and floats[0].numerator >= 0:
        return 2
    if exact[0] is not None and (exact[0] - error).numerator >= 0:
        return 2
    lowest = low()
    return 2 if lowest is not None and (lowest - error).numerator >= 0 else 1


# Up to this many neurons, a network of one input also has its outputs' float errors bounded
# to first order with exact coefficients (:class:`_Linear`; its cost grows with neurons²).
LINEAR_NEURONS = 64


class _Linear:
    """Float errors to first order, each rounding's share an exact polynomial: for one input.

    The bound layer by layer (:func:`_errors`) carries one number per value, so errors that
    reach a neuron along several paths add in magnitude even where they cancel:
    ``2T_a·T_b − T_d`` reads ``T_a``, ``T_b`` and ``T_d``, whose errors come from the same
    earlier roundings. Here a value's error is kept as ``Σ_s C_s(x)·ε_s + η``: each neuron's
    own rounding ``ε_s`` (:func:`_own_rounding`, at the float inputs) is a source, ``C_s``
    the exact polynomial by which it moves the value (the chain rule through the exact
    values: a quadratic neuron ``f`` moves by ``∇f(h)·e + q(e)`` exactly, ``∇f`` affine in
    the exact inputs ``h``), and ``η`` the rest, ``q(e) = (r·e)(g·e) + Σ w_b·e²`` of the
    layer-by-layer bounds carried through ``|∇f|``. The error of an output is then at most
    ``Σ_s max|C_s|·|ε_s| + |η|``, each ``max|C_s|`` over the side by its Chebyshev
    enclosure: rigorous, and exact in its first order. ``T_71``'s plan on ``[-1, 1]``:
    14,600u layer by layer (with the sums' binades), 7,100u to first order."""

    def __init__(self, ring: Any, n_inputs: int, start: Any) -> None:
        self.ring, self.one = ring, ring.constant(Fraction(1))
        # The inputs: exact, or off by ``start`` (a composition's outer part): a source each.
        # A value's error: {(group, source): C}, the group the relus that may have scaled
        # the share down on its way (see relu), each source's bound in beta.
        self.beta: dict[tuple[int, int], Any] = {}
        self.coef: list[dict[tuple[tuple, tuple[int, int]], Any]] = [
            {} for _ in range(n_inputs)]
        if start:
            for i in range(n_inputs):
                self.beta[(-1, i)] = start
                self.coef[i] = {((), (-1, i)): self.one}
        self.rest = [ranges.ZERO] * n_inputs

    def layer(self, k: int, layer: Any, neurons: list[_Neuron], polys: _Polys,
              mag: list[Any], err: list[Any], f: _Format,
              fint: Sequence[ranges.Range] | None) -> None:
        """Carry the errors through layer ``k`` (``err``: the layer-by-layer bounds of its
        inputs, for ``q(e)`` and the float inputs' magnitudes)."""
        quadratic = isinstance(layer, QuadraticLayer)
        if quadratic:
            forms = (affine_polynomials(self.ring, layer.w_r, layer.b_r, polys.h),
                     affine_polynomials(self.ring, layer.w_g, layer.b_g, polys.h))
        used = {j for n in neurons for j, _ in n.rows[4]} if quadratic and fint else set()
        wide = _at_floats(mag, err, f, fint, used)
        coefs, rests = [], []
        for j, n in enumerate(neurons):
            if quadratic:
                slopes, rest = self._quadratic(n, forms[0][j], forms[1][j], polys.h, mag, err)
            else:  # z = w·h + b moves by exactly w·e
                slopes, rest = [(i, self.ring.number(ranges.fraction(w)), abs(w))
                                for i, w in n.rows[0]], ranges.ZERO
            coef: dict[tuple[tuple, tuple[int, int]], Any] = {}
            for i, slope, size in slopes:
                rest += size * self.rest[i]
                for s, p in self.coef[i].items():
                    coef[s] = coef[s] + p * slope if s in coef else p * slope
            own = _own_rounding(n, mag, err, f, fint, wide)
            if own:  # an exact neuron is no source (a carry h·1, 2h − 2 near h = 2)
                coef[((), (k, j))] = self.one
                self.beta[(k, j)] = own
            coefs.append(coef)
            rests.append(rest)
        self.coef, self.rest = coefs, rests

    def _quadratic(self, n: _Neuron, form_r: Any, form_g: Any, h: Sequence[Any],
                   mag: list[Any], err: list[Any]) -> tuple[list[tuple[int, Any, Any]], Any]:
        """A quadratic neuron's slopes ``(i, ∂f/∂h_i, a bound on its size)`` at the exact
        inputs, and ``q(e)``'s bound: ``∂f/∂h_i = r_i·(g·h + b_g) + g_i·(r·h + b_r) +
        2·w_b,i·h_i``, exactly."""
        row_r, _, row_g, _, row_b, _ = n.rows
        big_r, big_g, _ = n.magnitudes
        r, g, w_b = dict(row_r), dict(row_g), dict(row_b)
        slopes = []
        for i in sorted(r.keys() | g.keys() | w_b.keys()):
            r_i, g_i, b_i = (d.get(i, ranges.ZERO) for d in (r, g, w_b))
            slope = self.ring.linear([(ranges.fraction(a), p) for a, p in (
                (r_i, form_g), (g_i, form_r), (2 * b_i, h[i])) if a], Fraction(0))
            slopes.append((i, slope, abs(r_i) * big_g + abs(g_i) * big_r
                           + 2 * abs(b_i) * mag[i]))
        spread_r = sum((abs(w) * err[i] for i, w in row_r), ranges.ZERO)
        spread_g = sum((abs(w) * err[i] for i, w in row_g), ranges.ZERO)
        return slopes, spread_r * spread_g + sum((abs(w) * err[i] ** 2 for i, w in row_b),
                                                 ranges.ZERO)

    def relu(self, k: int, passes: Sequence[int], bounds: Sequence[Any]) -> None:
        """After a relu, by what :func:`_passes` proved of each value: exact and float
        pre-activations ``>= 0`` (2): unchanged. The exact one only (1): the error ``e`` of
        the float pre-activation becomes ``λ·e`` with ``λ`` in ``[0, 1]`` (where the float
        value is below 0, relu gives 0, between it and the exact value ``y >= 0``:
        ``λ = −y/e``), one ``λ(x)`` for all its shares, so they move to a group of their
        own, which later sums keep apart (one ``λ`` per group, ``|λ·C| <= |C|``). Neither
        (0): only known within its layer-by-layer bound (relu is 1-Lipschitz), a source of
        its own."""
        for j, proved in enumerate(passes):
            if proved == 1:
                self.coef[j] = {((*group, (k, j)), s): p
                                for (group, s), p in self.coef[j].items()}
            elif not proved:
                self.beta[(k, -1 - j)] = bounds[j]
                self.coef[j] = {((), (k, -1 - j)): self.one} if bounds[j] else {}
                self.rest[j] = ranges.ZERO

    def totals(self, side: ranges.Range) -> list[Any] | None:
        """The error bound of each value of the last layer carried (None where a share's
        enclosure is unbounded: degree above the enclosures' limit)."""
        out = [self._total(j, side) for j in range(len(self.coef))]
        return None if None in out else out

    def _total(self, j: int, side: ranges.Range) -> Any | None:
        total = self.rest[j]
        for (_, s), p in self.coef[j].items():
            size = _magnitude(univariate_range(self.ring, p, side))
            if size is None:
                return None
            total += size * self.beta[s]
        return total


def _bounds(network: Network, layer_ranges: Sequence[Sequence[ranges.Range] | None] | None,
            trace: PolynomialTrace | None = None, input_error: Any = None,
            record: list[dict[str, tuple[list[Any], list[ranges.Range]]]] | None = None
            ) -> dict[str, Fraction] | None:
    """Per format, the bound on the output's float error (None if a range is unbounded);
    ``record``, if given, receives each layer's ``{dtype: (error bounds, float ranges)}`` of
    its outputs (after the activation; the ranges None past :data:`RANGE_NEURONS`): what
    the tests check float evaluation against."""
    below = [(ranges.q(lo), ranges.q(hi)) for lo, hi in network.domain]
    hidden = trace.hidden if trace is not None and len(trace.hidden) == network.depth \
        else None
    if hidden is not None:
        side = below[0]  # the one input's
        paired = {(r.layer, r.neuron) for r in trace.relu_ranges if r.relu == "paired"}
        identity = {(r.layer, r.neuron) for r in trace.relu_ranges if r.relu == "identity"}
        # A relu pair's halves are read as (z, 0), not their values: the exact gradients
        # of _Linear need the values themselves.
        plain = all(r.relu in ("identity", "zero") for r in trace.relu_ranges)
    mag = [_magnitude(r) for r in below]
    formats = {dtype: _Format(ranges.q(u), BITS[dtype]) for dtype, u in UNIT_ROUNDOFF.items()}
    # The float inputs are the points themselves: no error at the inputs (unless the network
    # is to read values already off by ``input_error``, as a composition's outer part does).
    start = ranges.ZERO if input_error is None else ranges.q(input_error)
    err = {dtype: [start] * network.n_inputs for dtype in formats}
    # Where the float values themselves lie (each format's): bounds on what an operation
    # rounds, by binade. A value is within its error bound of the exact one, and often
    # tighter: T_s + 1 computed as 2·(T_{s/2})² stays within [0, 2] in floats too.
    track = sum(network.widths) <= RANGE_NEURONS
    fint = {dtype: [_widened(r, start) for r in below] if track else None for dtype in formats}
    # float64 only: the format construct ranks plans by (float32's bound stays layer by
    # layer, looser, at half the cost).
    linear = _Linear(trace.ring, network.n_inputs, start) if (
        hidden is not None and plain and sum(network.widths) <= LINEAR_NEURONS) else None
    for k, layer in enumerate(network.layers):
        polys = None if hidden is None else _Polys(
            trace.ring, trace.ring.gens if k == 0 else hidden[k - 1], side)
        neurons, enclosures = _neurons(layer, below, polys)
        found = {dtype: _errors(neurons, mag, err[dtype], f, below, fint[dtype])
                 for dtype, f in formats.items()}
        errors = {dtype: [up(e) for e in bounds] for dtype, (bounds, _) in found.items()}
        floats = {dtype: values for dtype, (_, values) in found.items()}
        if layer.activation == "relu":
            for bounds in errors.values():
                for j, (e, rng) in enumerate(zip(bounds, enclosures)):
                    if rng[1] is not None and (rng[1] + e).numerator < 0:
                        bounds[j] = ranges.ZERO  # the exact and the float value are both < 0
        if linear is not None:
            bounds = errors["float64"]
            linear.layer(k, layer, neurons, polys, mag, err["float64"], formats["float64"],
                         fint["float64"])
            if layer.activation == "relu":
                linear.relu(k, [_passes(
                    (k, j) in identity, v, e, floats["float64"][j],
                    lambda poly=hidden[k][j]: univariate_range(trace.ring, poly, side)[0])
                    for j, (v, e) in enumerate(zip(enclosures, bounds))], bounds)
            if k == network.depth - 1:
                totals = linear.totals(side)
                if totals is not None:
                    errors["float64"] = [min(e, up(t)) for e, t in zip(bounds, totals)]
        if layer.activation == "relu":
            for dtype in floats:
                floats[dtype] = [None if r is None else ranges.relu(r) for r in floats[dtype]]
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
        relu = layer.activation == "relu"
        for dtype, values in floats.items() if track else ():
            near = [_widened(v, e) for v, e in zip(enclosures, errors[dtype])]
            fint[dtype] = [ranges.relu(w) if r is None and relu else w if r is None else
                           ranges.meet(w, r) for w, r in zip(near, values)]
        if record is not None:
            record.append({dtype: (errors[dtype], fint[dtype]) for dtype in formats})
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
                | None = None, trace: PolynomialTrace | None = None, *,
                refine: bool = True) -> FloatError | None:
    """The proved float64 and float32 error bounds of ``network`` over its domain (None on
    all of R^n, where values are unbounded); ``layer_ranges`` (proved enclosures of each
    layer's outputs) tighten it; a proved ``trace`` of the network
    (:func:`~quadtheory._src.exact.polynomial.network_polynomials`) gives them, and for one
    input its layers' polynomials (``keep_hidden``) tighten it further. A network of one input
    is traced here when no trace or ranges are given; with its layers' polynomials and
    ``refine``, a bound above :data:`REFINE_RELATIVE` of the output but within
    :data:`REFINE_WITHIN` times that is then tightened over pieces of the side
    (:func:`_pieces`).

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
    pieces = 1
    if (refine and trace is not None and len(trace.hidden) == network.depth
            and REFINE_RELATIVE * scale < absolute["float64"] <= REFINE_WITHIN
            * REFINE_RELATIVE * scale):
        key = (network.inputs, network.layers, network.domain)
        with _REFINED_LOCK:
            leaves = _REFINED.get(key)
        if leaves is None:
            leaves = _pieces(network, layer_ranges, trace, absolute, REFINE_RELATIVE * scale)
            with _REFINED_LOCK:
                if len(_REFINED) >= _REFINED_KEPT:
                    del _REFINED[next(iter(_REFINED))]
                _REFINED[key] = leaves
        absolute = {d: max(leaf[0][d] for leaf in leaves) for d in absolute}
        pieces = len(leaves)
    return FloatError(absolute, scale, len(points), pieces)


# One input: the error bound over the side is the worst of the bounds over pieces that cover
# it, each piece's magnitudes from its own Chebyshev enclosures, so a value near ±1 at one end
# and near 0 at the other no longer counts as near ±1 where the later layers amplify it most.
# The worst piece is halved until the bound is within REFINE_RELATIVE of the output (the
# first float tier construct ranks plans by: float evaluation as good as exact) or the
# analyses of the pieces reach REFINE_NEURONS neurons in all (at most REFINE_PIECES pieces).
# Over the plans construct weighs for T_65..T_104 it gained 1.1x to 5.7x (T_70's 8.4e-12 to
# 1.5e-12; with the budget of 1024 neurons and bounds within 3x, T_95's 5.0e-12 stopped at
# 1.2e-12 over 31 pieces; with 2048, 9.97e-13 over 41, 0.7 s): a bound further off than
# REFINE_WITHIN is left as it is (the analyses, 0.04-0.9 s for T_n, spent where they can
# pay; 8, was 6: T_102's T_17∘T_3∘T_2, 7.2e-12 at once, 9.4e-13 over 38 pieces, 14
# neurons where it took 16). Near x = 1, where every T_m is near 1, the pieces' bounds
# stop shrinking (T_91's at 3.0e-12), which the narrowest end pieces show first, so those
# refinements stop at once.
REFINE_RELATIVE = Fraction(1, 10**12)
REFINE_WITHIN = 8
REFINE_NEURONS = 2048
REFINE_PIECES = 64
REFINE_NARROWEST = 2**12


# The pieces of the networks refined last, by weights and domain: construct refines a plan's
# bound to choose it, and its certificate then asks for the same bound (a proved trace of the
# same network, so the same pieces).
_REFINED: dict[tuple, list[tuple[dict[str, Any], Fraction, Fraction]]] = {}
_REFINED_KEPT = 32
_REFINED_LOCK = threading.Lock()  # constructions may run in threads (Dask workers)


def _pieces(network: Network, layer_ranges: Sequence[Sequence[ranges.Range] | None] | None,
            trace: PolynomialTrace, whole: dict[str, Any], goal: Any, *, ends: bool = True
            ) -> list[tuple[dict[str, Any], Fraction, Fraction]]:
    """Pieces ``(bounds, lo, hi)`` that tile the side of a one-input ``network``, each with
    its float error bounds there: the whole side's bounds ``whole`` halved where the float64
    one is worst, each half bounded by :func:`_bounds` on its own side with the whole
    network's proved ``trace`` (its relu proofs and polynomials hold on every part of the
    side) and never above the bound of the piece it halves. Stops when the worst is within
    ``goal`` (float64), at the budget (:data:`REFINE_NEURONS`, :data:`REFINE_PIECES`), or
    at the narrowest pieces (:data:`REFINE_NARROWEST`); with ``ends``, does not start when
    the narrowest pieces at the ends are above ``goal``."""
    analyses = min(2 * (REFINE_PIECES - 1), REFINE_NEURONS // max(1, sum(network.widths)))
    lo, hi = (Fraction(v) for v in network.domain[0])
    leaves = [(whole, lo, hi)]

    def bounds(a: Fraction, b: Fraction) -> dict[str, Any] | None:
        return _bounds(Network(network.inputs, network.layers, ((a, b),)), layer_ranges, trace)

    # The narrowest pieces at the ends first: there the values of a Chebyshev construction
    # are all near their extremes and the pieces' bounds stop shrinking, so a bound above the
    # goal there means the goal is out of reach (T_91: 3.0e-12), and the analyses are saved.
    if ends:
        worst = end_pieces_bound(network, layer_ranges, trace, goal)
        if worst is None or worst > goal:
            return leaves
    while analyses >= 2:
        k = max(range(len(leaves)), key=lambda i: leaves[i][0]["float64"])
        cap, a, b = leaves[k]
        if cap["float64"] <= goal or (b - a) * REFINE_NARROWEST <= hi - lo:
            break
        middle = (a + b) / 2
        halves = []
        for side in ((a, middle), (middle, b)):
            own = bounds(*side)
            halves.append((cap if own is None else {d: min(own[d], cap[d]) for d in cap},
                           *side))
        analyses -= 2
        leaves[k:k + 1] = halves
    return leaves


def end_pieces(network: Network) -> list[tuple[Fraction, Fraction]]:
    """The two narrowest pieces at the ends of a one-input ``network``'s side (a
    :data:`REFINE_NARROWEST`-th of it each), the high end first.

    >>> from quadtheory import Network, quadratic_layer
    >>> sq = Network(("x",), (quadratic_layer([[1]], w_g=[[1]], activation="identity"),),
    ...              domain=[[-1, 1]])
    >>> [(str(a), str(b)) for a, b in end_pieces(sq)]
    [('2047/2048', '1'), ('-1', '-2047/2048')]
    """
    lo, hi = (Fraction(v) for v in network.domain[0])
    narrowest = (hi - lo) / REFINE_NARROWEST
    return [(hi - narrowest, hi), (lo, lo + narrowest)]


def side_bounds(network: Network,
                layer_ranges: Sequence[Sequence[ranges.Range] | None] | None,
                trace: PolynomialTrace, sides: Sequence[tuple[Fraction, Fraction]],
                stop: Any = None) -> list[Fraction] | None:
    """The float64 bound of a one-input ``network`` over each of ``sides`` (pieces of its
    side), with its proved ``trace`` (``keep_hidden``) and ``layer_ranges`` (as
    :func:`_bounds` takes them); None where a range is unbounded. Once a bound exceeds
    ``stop``, the bounds so far (the rest are not needed to know the largest is above it).

    >>> from quadtheory import Network, quadratic_layer
    >>> sq = Network(("x",), (quadratic_layer([[1]], w_g=[[1]], activation="identity"),),
    ...              domain=[[-1, 1]])
    >>> trace = network_polynomials(sq, keep_hidden=True)
    >>> near_0, near_1 = side_bounds(sq, trace.layer_ranges, trace,
    ...                              [(Fraction(0), Fraction(1, 8)), (Fraction(7, 8), Fraction(1))])
    >>> near_0 < near_1                   # x·x rounds by less where it is small
    True
    """
    out = []
    for a, b in sides:
        own = _bounds(Network(network.inputs, network.layers, ((a, b),)), layer_ranges, trace)
        if own is None:
            return None
        out.append(own["float64"])
        if stop is not None and out[-1] > stop:
            break
    return out


def end_pieces_bound(network: Network,
                     layer_ranges: Sequence[Sequence[ranges.Range] | None] | None,
                     trace: PolynomialTrace, stop: Any = None) -> Fraction | None:
    """The larger float64 bound of a one-input ``network``'s two narrowest end pieces
    (:func:`end_pieces`), with its proved ``trace`` (``keep_hidden``) and ``layer_ranges``
    (as :func:`_bounds` takes them): where a Chebyshev construction's bound stops shrinking,
    so no refinement over pieces gets below it (None where a range is unbounded). The high
    end first; once a bound exceeds ``stop``, that one (the other is not needed to know the
    larger is above ``stop``)."""
    bounds = side_bounds(network, layer_ranges, trace, end_pieces(network), stop)
    return None if bounds is None else max(bounds)


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
