"""Rigorous point values of sympy expressions by ball arithmetic (Arb, through python-flint).

A Taylor coefficient needs the value of a derivative at one rational point, proved to a
given accuracy; the constructions need thousands of them. Arb (F. Johansson, "Arb: efficient
arbitrary-precision midpoint-radius interval arithmetic", IEEE Trans. Comput. 66(8), 2017,
arXiv:1611.02831) returns a ball that contains the exact value, like mpmath's ``iv``
(:mod:`quadtheory._src.exact.enclosure`, which still bounds derivatives on boxes), about ten
times faster. The expression is compiled once through the same dispatch
(:func:`~quadtheory._src.exact.enclosure.compile_expression`) with an Arb backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import sympy
from flint import arb, ctx, fmpq

from ..errors import QuadTheoryError
from ..exact.enclosure import Backend, compile_expression
from ..exact.intervals import Interval


class _Undefined(Exception):
    """A ball is not finite: the expression is undefined (or unbounded) at the point."""


def _finite(x: arb) -> arb:
    if not x.is_finite():
        raise _Undefined
    return x


def _constant(q: Fraction) -> arb:
    return arb(fmpq(q.numerator, q.denominator))


def _power(exponent: sympy.Expr):  # type: ignore[no-untyped-def]
    if exponent.is_Integer:
        n = int(exponent)
        return lambda base, _: base**n
    if exponent == sympy.Rational(1, 2):
        return lambda base, _: base.sqrt()
    return lambda base, e: base**e  # nan for a negative base: refused by the check


def _positive(f):  # type: ignore[no-untyped-def]
    def g(x: arb) -> arb:
        if not x > 0:
            raise _Undefined
        return f(x)
    return g


def _sign(x: arb) -> arb:
    return arb(1) if x > 0 else arb(-1) if x < 0 else arb(0, 1)


ARB = Backend(
    _constant, {sympy.pi: arb.pi, sympy.E: lambda: arb(1).exp()}, _power,
    {sympy.exp: arb.exp, sympy.log: _positive(arb.log), sympy.sin: arb.sin,
     sympy.cos: arb.cos, sympy.tan: arb.tan, sympy.atan: arb.atan, sympy.asin: arb.asin,
     sympy.acos: arb.acos, sympy.sinh: arb.sinh, sympy.cosh: arb.cosh, sympy.tanh: arb.tanh,
     sympy.Abs: abs, sympy.sign: _sign,
     sympy.Max: lambda *xs: _fold(arb.max, xs), sympy.Min: lambda *xs: _fold(arb.min, xs)},
    _finite)


def _fold(pick, xs: Sequence[arb]) -> arb:  # type: ignore[no-untyped-def]
    out = xs[0]
    for x in xs[1:]:
        out = pick(out, x)
    return out


def _fraction(x: arb) -> Fraction:
    man, exp = x.man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man * 2**exp) if exp >= 0 else Fraction(man, 2**-exp)


class Ball:
    """``expr`` compiled for rigorous point values: called with one rational per symbol,
    it returns an :class:`~quadtheory._src.exact.intervals.Interval` with exact ends that
    contains the value, or None where the expression is undefined.

    >>> x = sympy.Symbol("x")
    >>> v = Ball(sympy.exp(x), [x])(Fraction(1, 2), prec=64)
    >>> abs(float(v.lo) - 1.6487212707001282) < 1e-15, v.lo < v.hi      # e^(1/2), enclosed
    (True, True)
    >>> print(Ball(sympy.log(x), [x])(Fraction(0)))
    None
    """

    def __init__(self, expr: sympy.Expr, symbols: Sequence[sympy.Symbol]) -> None:
        self.expr = expr
        self.symbols = tuple(symbols)
        self._compiled = compile_expression(expr, self.symbols, ARB)

    def __call__(self, *point: Fraction, prec: int = 64) -> Interval | None:
        if len(point) != len(self.symbols):
            raise QuadTheoryError(f"ball: expected {len(self.symbols)} values, found "
                                  f"{len(point)}")
        saved = ctx.prec
        ctx.prec = prec
        try:
            value = self._compiled([_constant(Fraction(v)) for v in point])
        except (_Undefined, ZeroDivisionError, ValueError):
            return None
        finally:
            ctx.prec = saved
        if not value.is_finite():
            return None
        return Interval(_fraction(value.lower()), _fraction(value.upper()))
