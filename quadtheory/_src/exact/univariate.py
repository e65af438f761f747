"""A tight rigorous enclosure of a polynomial of one variable on an interval: its Chebyshev
coefficients.

On ``[lo, hi]`` write ``p(x) = Σ a_k T_k(t)`` with ``x = m + r·t``, ``t ∈ [-1, 1]``; since
``|T_k(t)| ≤ 1`` there, ``p`` lies in ``[a_0 − Σ_{k≥1} |a_k|, a_0 + Σ_{k≥1} |a_k|]`` (Mason &
Handscomb, *Chebyshev Polynomials*, 2003, §5). For the values a Chebyshev construction
computes (``T_n`` itself: ``[-1, 1]`` exactly) this is as tight as it gets, where the
term-by-term bound of the monomials is astronomically loose (``T_64``'s coefficients reach
``10^19``) and interval arithmetic through the layers loses every odd product. Exact
rational arithmetic, ``O(d²)`` operations for degree ``d``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any

from . import ranges

try:  # the same arithmetic in C: one composition and one matrix product, not O(d²) objects
    from flint import fmpq, fmpq_poly, fmpz, fmpz_mat
except ImportError:  # pragma: no cover - python-flint is a dependency
    fmpq = None

# The enclosure costs O(d²) exact operations: callers use it up to this degree (T_n with
# n <= 128 needs it to keep its shifts, and so its float evaluation, small).
MAX_DEGREE = 160


def _shifted(coeffs: Sequence[Any], m: Any, r: Any) -> list[Any]:
    """The coefficients (constant first) of ``p(m + r·t)`` in ``t``, by Horner's rule."""
    out: list[Any] = []
    for c in reversed(coeffs):
        # out(t) := out(t)·(m + r·t) + c
        new = [ranges.ZERO] * (len(out) + 1)
        for k, v in enumerate(out):
            new[k] += v * m
            new[k + 1] += v * r
        new[0] += c
        out = new
    return out


def chebyshev_coefficients(coeffs: Sequence[Any]) -> list[Any]:
    """The coefficients of ``Σ c_k t^k`` in the Chebyshev basis ``T_0, T_1, …``: Horner's rule
    with ``t·T_0 = T_1`` and ``t·T_k = (T_{k+1} + T_{k-1})/2``.

    >>> chebyshev_coefficients([ranges.Q(1), ranges.Q(0), ranges.Q(-8), ranges.Q(0),
    ...                         ranges.Q(8)]) == [0, 0, 0, 0, 1]    # 8t⁴ - 8t² + 1 = T_4
    True
    """
    half = ranges.Q(1, 2)
    out: list[Any] = []
    for c in reversed(coeffs):
        new = [ranges.ZERO] * (len(out) + 1)
        for k, v in enumerate(out):
            if k == 0:
                new[1] += v
            else:
                new[k + 1] += v * half
                new[k - 1] += v * half
        new[0] += c
        out = new
    return out


# From this degree on, with python-flint, the coefficients are computed in C (16-20 times
# faster at degree 128; below it the Python loops are as fast).
_FLINT_DEGREE = 16


@functools.cache
def _monomials_to_chebyshev(d: int) -> Any:
    """The integer matrix ``B`` with ``2^k·t^k = Σ_i B[i, k]·T_i(t)``, ``k <= d``:
    ``t^k = 2^(1−k) Σ_j C(k, j)·T_{k−2j}``, the ``T_0`` term halved. Integers, so that the
    product with a column is fmpz arithmetic, not rationals reduced entry by entry (3-4 times
    faster at degree 117)."""
    rows = [[0] * (d + 1) for _ in range(d + 1)]
    for k in range(d + 1):
        for j in range(k // 2 + 1):
            rows[k - 2 * j][k] = math.comb(k, j) * (1 if 2 * j == k else 2)
    return fmpz_mat(rows)


def _enclosure_on(coeffs: Sequence[Any], m: Any, r: Any) -> ranges.Range:
    """``a_0 ± Σ_{k≥1} |a_k|`` of the Chebyshev coefficients ``a`` of ``p(m + r·t)``: from
    :data:`_FLINT_DEGREE` on (python-flint rationals) python-flint's composition, then the
    integer matrix :func:`_monomials_to_chebyshev` on the numerators and one division; else
    the loops above."""
    d = len(coeffs) - 1
    if d < _FLINT_DEGREE or ranges.Q is not fmpq:  # no python-flint: fmpq is None
        a = chebyshev_coefficients(_shifted(coeffs, m, r))
        spread = sum((abs(v) for v in a[1:]), ranges.ZERO)
        return (a[0] - spread, a[0] + spread)
    shifted = fmpq_poly(list(coeffs))(fmpq_poly([m, r]))
    # p(m + r·t) = Σ s_k t^k = Σ_k (num_k·2^(d−k))·(2^k·t^k) / (den·2^d)
    numerators = shifted.numer()
    column = _monomials_to_chebyshev(d) * fmpz_mat(
        [[numerators[k] << (d - k)] for k in range(d + 1)])
    denominator = shifted.denom() << d
    spread = sum((abs(column[i, 0]) for i in range(1, d + 1)), fmpz(0))
    return (fmpq(column[0, 0] - spread, denominator), fmpq(column[0, 0] + spread, denominator))


def chebyshev_range(coeffs: Sequence[Any], lo: Any, hi: Any) -> ranges.Range:
    """A rigorous enclosure of ``Σ c_k x^k`` (fast rationals, constant first) on
    ``[lo, hi]``: ``a_0 ± Σ_{k≥1} |a_k|`` of its Chebyshev coefficients there.

    >>> Q = ranges.Q
    >>> chebyshev_range([Q(0), Q(5), Q(0), Q(-20), Q(0), Q(16)], Q(-1), Q(1))   # T_5
    (-1, 1)
    >>> chebyshev_range([Q(0), Q(0), Q(1)], Q(0), Q(2))    # x² on [0, 2]: 3/2 + 2T_1 + T_2/2
    (-1, 4)
    """
    if not coeffs:
        return (ranges.ZERO, ranges.ZERO)
    # Constructions of T_n ask for the same enclosures over and over (the values T_m that
    # many plans share: 7,638 distinct of 103,627 for n = 60..79), so they are cached, keyed
    # by integers (python-flint's fmpz hash as ints do): hashing a python-flint rational
    # builds a Fraction, 6-9 times dearer.
    return _cached_range(type(coeffs[0]), tuple([c.numerator for c in coeffs]),
                         tuple([c.denominator for c in coeffs]), type(lo),
                         (lo.numerator, lo.denominator), (hi.numerator, hi.denominator))


@functools.lru_cache(maxsize=8192)
def _cached_range(kind: type, numerators: tuple[Any, ...], denominators: tuple[Any, ...],
                  side_kind: type, lo: tuple[Any, Any], hi: tuple[Any, Any]) -> ranges.Range:
    low, high = side_kind(*lo), side_kind(*hi)
    coeffs = [kind(p, q) for p, q in zip(numerators, denominators, strict=True)]
    return _enclosure_on(coeffs, (low + high) / 2, (high - low) / 2)
