"""Closed-form counts of :func:`quadtheory.construct`'s lean networks, as sympy expressions.

The depth and the parameters (``dense``: every weight and bias; ``nonzero``: nonzero
entries) of the construction for a single monomial of degree ``d`` and for the dense
polynomial of degree ``<= d`` in ``n`` variables (all ``C(n+d, d)`` monomials, coefficients
1), on the default domain ``[-1, 1]^n``. The output degree of ``L`` quadratic layers is at
most ``2**L``, so ``⌈log2 d⌉`` layers are necessary; the construction uses ``⌈log2 d⌉``
(one monomial: the output neuron computes the last product) or ``⌈log2 d⌉ + 1`` (a linear
read-out). Widths are sums of binomial coefficients: ``M(j) = C(n+j-1, j)`` monomials of
degree ``j``, ``M(a) + ... + M(b) = C(n+b, b) - C(n+a-1, a-1)``. Fan, Dong, Wu et al.,
"One Neuron Saved Is One Neuron Earned" (2023): the counts do not depend on any accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import Eq, Max, Min, Piecewise, Sum, binomial, ceiling, floor, log

from ..core import limits
from ..core.layers import ACTIVATIONS
from ..errors import QuadTheoryError

d, n, k = sympy.symbols("d n k", integer=True, nonnegative=True)


@dataclass(frozen=True)
class Counts:
    """Depth and parameter counts as sympy expressions in ``d`` (and ``n``).

    ``nonzero_exact`` is False where ``nonzero`` is an upper bound (stated per function).

    >>> counts = monomial_counts()                  # x1*...*xd; d is this module's symbol
    >>> counts.depth.subs(d, 8), counts.dense.subs(d, 8).doit()   # as construct builds x1*...*x8
    (3, 147)
    """

    depth: sympy.Expr
    dense: sympy.Expr
    nonzero: sympy.Expr
    nonzero_exact: bool = True

    def at(self, **values: int) -> dict[str, int]:
        """The counts at integer values of the symbols, e.g. ``at(n=2, d=5)``.

        >>> monomial_counts("identity").at(d=8)
        {'depth': 3, 'dense': 147, 'nonzero': 14}
        """
        names = {"d": d, "n": n}
        unknown = sorted(set(values) - set(names))
        if unknown:
            raise QuadTheoryError(f"at: unknown symbol {unknown[0]!r}; expected d or n")
        subs = {names[key]: int(v) for key, v in values.items()}
        return {name: int(getattr(self, name).subs(subs).doit())
                for name in ("depth", "dense", "nonzero")}


def _check(activation: str) -> None:
    limits.one_of(activation, "activation", ACTIVATIONS)


def _log2_ceiling(x: sympy.Expr) -> sympy.Expr:
    return ceiling(log(x, 2))


def monomial_counts(activation: str = "relu", *, power: bool = False) -> Counts:
    """Counts for one monomial of degree ``d >= 1``: ``x1*x2*...*xd`` (distinct variables,
    exact), or with ``power=True`` ``x**d`` (exact for ``d`` a power of two; otherwise
    upper bounds on ``dense`` and ``nonzero``: at most two neurons per hidden layer).

    Distinct variables are paired layer by layer: layer ``k`` has ``w_k = ⌈d/2**k⌉``
    neurons (``⌊w_{k-1}/2⌋`` products and a carry if ``w_{k-1}`` is odd), the output
    neuron multiplies the last two. Under relu on ``[-1, 1]^d`` every partial product
    has both signs and is shifted by 1: a first-layer neuron has 3 nonzero entries, a later
    product 5, a later carry 2, the output product 4.

    >>> c = monomial_counts("relu")
    >>> [c.at(d=v)["dense"] for v in (1, 2, 3, 4, 8)]
    [2, 9, 33, 39, 147]
    >>> monomial_counts(power=True).at(d=8)   # x**8 = ((x²)²)²: three squares
    {'depth': 3, 'dense': 18, 'nonzero': 3}
    """
    power = limits.flag(power, "power")
    _check(activation)
    depth = Piecewise((1, d <= 2), (_log2_ceiling(d), True))
    if power:
        pure = Eq(2 ** _log2_ceiling(d), d)
        return Counts(
            depth,
            Piecewise((2, Eq(d, 1)), (6 * depth, pure), (18 * depth - 15, True)),
            Piecewise((1, Eq(d, 1)), (depth, pure),
                      (3 * depth - 1 if activation == "identity" else 6 * depth - 4, True)),
            nonzero_exact=False)

    def width(j: sympy.Expr) -> sympy.Expr:
        return ceiling(d / 2**j)

    dense = Piecewise((2, Eq(d, 1)),
                      (Sum(width(k) * (3 * width(k - 1) + 3), (k, 1, depth)), True))
    if activation == "identity":
        nonzero = Piecewise((1, Eq(d, 1)), (2 * Sum(width(k), (k, 1, depth)), True))
    else:
        later = Sum(floor(width(k - 1) / 2) + 2 * width(k - 1), (k, 2, depth - 1))
        nonzero = Piecewise((1, Eq(d, 1)), (2, Eq(d, 2)), (3 * width(1) + later + 4, True))
    return Counts(depth, dense, nonzero)


def _monomials(low: sympy.Expr, high: sympy.Expr) -> sympy.Expr:
    """Monomials in ``n`` variables with degree in ``[low, high]`` (0 if the range is empty)."""
    return Max(binomial(n + high, n) - binomial(n + low - 1, n), 0)


def dense_polynomial_counts(activation: str = "relu") -> Counts:
    """Counts for the dense polynomial ``sum of all monomials of degree <= d`` in ``n``
    variables: exact depth and dense counts; exact nonzero for ``identity`` and an upper
    bound under relu (each hidden product gains at most 3 biases for shifts, each input
    carry and accumulator one).

    With ``H = ⌈log2 d⌉``, hidden layer ``l`` holds the monomials of degree in
    ``(2**(l-1), 2**l]`` (at the top, less the squares of the layer below, which the
    accumulator takes through ``w_b``), the ``n`` inputs carried for the degrees
    ``2**l + 1`` (``l < H``) and one accumulator (``l >= 2``) summing the terms already
    built; a linear output reads them. Small cases need fewer layers: the output neuron
    computes ``(x + 1)(y + 1) + x² + y²`` or ``(x² + 1)(x + 1) + x⁴``.

    >>> c = dense_polynomial_counts("identity")
    >>> c.at(n=4, d=8)   # (1+x+y+z+w)**8 has its 495 monomials
    {'depth': 4, 'dense': 71175, 'nonzero': 1371}
    >>> c.at(n=1, d=4)
    {'depth': 2, 'dense': 21, 'nonzero': 8}
    """
    _check(activation)
    high = _log2_ceiling(d)
    # Squares absorbed at the top: monomials a² with a of degree in (2**(H-2), d/2].
    absorbed = _monomials(floor(2 ** (high - 2)) + 1, floor(d / 2))
    top = _monomials(2 ** (high - 1) + 1, d) - absorbed + 1  # + the accumulator
    first = _monomials(2, 2) + n  # degree 2 and the n inputs carried

    def middle(lv: sympy.Expr) -> sympy.Expr:  # 2 <= l < H: products, carries, accumulator
        return _monomials(2 ** (lv - 1) + 1, 2**lv) + n + 1

    # Layer 1 is middle(1) less its (absent) accumulator, hence the -3*middle(2) below.
    chain = Sum(middle(k) * (3 * middle(k - 1) + 3), (k, 2, high - 1)) - 3 * middle(2)
    layered_dense = Piecewise(
        ((_monomials(2, 2) - n + 1) * (3 * n + 4) + 1, Eq(high, 1)),
        (first * (3 * n + 3) + top * (3 * first + 4) + 1, Eq(high, 2)),
        (first * (3 * n + 3) + chain + top * (3 * middle(high - 1) + 4) + 1, True))
    hidden_products = _monomials(2, d) - absorbed
    below_top_squares = Piecewise((0, Eq(high, 1)), (_monomials(1, 2 ** (high - 2)), True))
    accumulators = Max(high - 1, 1)
    layered_nonzero = (2 * hidden_products - below_top_squares + 2 * n * (high - 1)
                       + binomial(n + d, n) + 2 * accumulators)
    if activation == "relu":
        layered_nonzero += 3 * hidden_products + n * Min(high - 1, 1) + accumulators
    depth = Piecewise((1, d <= 1), (1, (Eq(d, 2)) & (n <= 2)), (2, Eq(n, 1) & (d <= 4)),
                      (high + 1, True))
    dense = Piecewise((n + 1, d <= 1), (3 * n + 3, Eq(d, 2) & (n <= 2)),
                      (21, Eq(n, 1) & (d <= 4)), (layered_dense, True))
    nonzero = Piecewise((1, Eq(d, 0)), (n + 1, Eq(d, 1)), (2 * n + 2, Eq(d, 2) & (n <= 2)),
                        (d + 4, Eq(n, 1) & (d <= 4)), (layered_nonzero, True))
    return Counts(depth, dense, nonzero, nonzero_exact=activation == "identity")
