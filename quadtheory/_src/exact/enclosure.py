"""Rigorous interval enclosures of sympy expressions: mpmath's interval context ``iv``.

A bound that is proved, never sampled, needs the range of an expression over a box: the
expression tree is walked once through a dispatch table (one closure a node, never through
``lambdify`` or ``eval``) into mpmath's interval context ``iv``, whose outward rounding makes
every result an enclosure of the true range (interval arithmetic: Moore, Kearfott & Cloud,
*Introduction to Interval Analysis*, SIAM 2009). Where an enclosure is unbounded, or the
expression undefined somewhere on the box, the answer is ``None``, never a wrong number.

:class:`Enclosure` serves the certified interpolant of :mod:`._pwl` (max|φ''| and the
oscillation of φ on a piece), the lower bounds of :mod:`._bounds`, the radial constructions of
:mod:`._radial` and the checks of :mod:`._approximation`; the same dispatch evaluates float64
arrays (:data:`FLOAT64`) for screening samples, never for a bound.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy
from mpmath import iv
from mpmath.libmp import ComplexResult, finf, fnan, fninf, libmpi, mpf_sign

from ..core.numbers import to_rational
from ..errors import QuadTheoryError
from .intervals import Interval

_SPECIAL = (finf, fninf, fnan)
Ival = object  # an mpmath ``ivmpf``; mpmath ships no type stubs


class _Unbounded(Exception):
    """An enclosure is infinite, or the expression is undefined somewhere on the box."""


def _finite(x: Ival) -> Ival:
    a, b = x._mpi_
    if a in _SPECIAL or b in _SPECIAL:
        raise _Unbounded
    return x


def _to_fraction(end: tuple) -> Fraction:
    sign, man, exp, _ = end
    value = Fraction(man << exp) if exp >= 0 else Fraction(man, 1 << -exp)
    return -value if sign else value


def _from_fraction(q: Fraction) -> Ival:
    value = iv.mpf(q.numerator)
    return value if q.denominator == 1 else value / q.denominator


def _hull(lower: Ival, upper: Ival) -> Ival:
    """``[lower.lo, upper.hi]``: the image of an interval under a monotone map, from the two
    end enclosures."""
    return iv.make_mpf((lower._mpi_[0], upper._mpi_[1]))


def _lo(x: Ival) -> Ival:
    return iv.make_mpf((x._mpi_[0], x._mpi_[0]))


def _hi(x: Ival) -> Ival:
    return iv.make_mpf((x._mpi_[1], x._mpi_[1]))


def _sign(x: Ival) -> tuple[int, int]:
    a, b = x._mpi_
    return mpf_sign(a), mpf_sign(b)


def _monotone(point: Callable[[Ival], Ival], increasing: bool = True) -> Callable[[Ival], Ival]:
    def image(x: Ival) -> Ival:
        lower, upper = point(_lo(x)), point(_hi(x))
        return _hull(lower, upper) if increasing else _hull(upper, lower)
    return image


def _log(x: Ival) -> Ival:
    if _sign(x)[0] <= 0:
        raise _Unbounded
    return iv.log(x)


def _sqrt(x: Ival) -> Ival:
    if _sign(x)[0] < 0:
        raise _Unbounded
    return iv.sqrt(x)


def _sinh_point(x: Ival) -> Ival:
    e = iv.exp(x)
    return (e - 1 / e) / 2


def _cosh_point(x: Ival) -> Ival:
    e = iv.exp(x)
    return (e + 1 / e) / 2


def _cosh(x: Ival) -> Ival:
    lo, hi = _sign(x)
    if lo >= 0:
        return _monotone(_cosh_point)(x)
    if hi <= 0:
        return _monotone(_cosh_point, increasing=False)(x)
    top = max(_to_fraction(_cosh_point(end)._mpi_[1]) for end in (_lo(x), _hi(x)))
    return _hull(iv.mpf(1), _from_fraction(top))


def _asin_point(x: Ival) -> Ival:
    a = _to_fraction(x._mpi_[0])
    if abs(a) == 1:
        return iv.pi / 2 * int(a)
    return iv.make_mpf(libmpi.mpi_atan((x / iv.sqrt(1 - x * x))._mpi_, iv.prec))


def _asin(x: Ival) -> Ival:
    if _to_fraction(x._mpi_[0]) < -1 or _to_fraction(x._mpi_[1]) > 1:
        raise _Unbounded
    return _monotone(_asin_point)(x)


def _acos(x: Ival) -> Ival:
    return iv.pi / 2 - _asin(x)


def _step(x: Ival, below: int, at: Fraction, above: int) -> Ival:
    """A step function of the sign (sign, Heaviside): exact values away from 0."""
    lo, hi = _sign(x)
    values = [v for v, s in ((below, lo < 0), (at, lo <= 0 <= hi), (above, hi > 0)) if s]
    return _hull(_from_fraction(Fraction(min(values))), _from_fraction(Fraction(max(values))))


def _dirac(x: Ival, *_: Ival) -> Ival:
    # Zero away from 0 (a relu or |.| kink); a piece that contains the kink is unbounded,
    # so it falls back to the oscillation bound.
    lo, hi = _sign(x)
    if lo > 0 or hi < 0:
        return iv.mpf(0)
    raise _Unbounded


def _extreme(pick: Callable[..., Fraction]) -> Callable[..., Ival]:
    def image(*xs: Ival) -> Ival:
        lo = pick(_to_fraction(x._mpi_[0]) for x in xs)
        hi = pick(_to_fraction(x._mpi_[1]) for x in xs)
        return _hull(_from_fraction(lo), _from_fraction(hi))
    return image


_FUNCTIONS: dict[type, Callable[..., Ival]] = {
    sympy.exp: iv.exp,
    sympy.log: _log,
    sympy.sin: iv.sin,
    sympy.cos: iv.cos,
    sympy.tan: iv.tan,
    sympy.atan: lambda x: iv.make_mpf(libmpi.mpi_atan(x._mpi_, iv.prec)),
    sympy.asin: _asin,
    sympy.acos: _acos,
    sympy.sinh: _monotone(_sinh_point),
    sympy.cosh: _cosh,
    sympy.tanh: _monotone(lambda x: 1 - 2 / (iv.exp(2 * x) + 1)),
    sympy.Abs: abs,
    # These appear in derivatives of the allowed functions (|.|, relu = Max(., 0)).
    sympy.sign: lambda x: _step(x, -1, Fraction(0), 1),
    sympy.Heaviside: lambda x, *_: _step(x, 0, Fraction(1, 2), 1),
    sympy.DiracDelta: _dirac,
    sympy.Max: _extreme(max),
    sympy.Min: _extreme(min),
}
FUNCTION_NAMES = tuple(sorted(f.__name__ for f in _FUNCTIONS))


def _power(exponent: sympy.Expr) -> Callable[[Ival, Ival], Ival]:
    """``base ** exponent`` on enclosures, specialised once per node (by the exponent)."""
    if exponent.is_Integer:
        n = int(exponent)

        def integer(base: Ival, _: Ival) -> Ival:
            lo, hi = _sign(base)
            if n < 0 and lo <= 0 <= hi:
                raise _Unbounded
            return base**n
        return integer
    if exponent == sympy.Rational(1, 2):
        return lambda base, _: _sqrt(base)
    # A real power of a base that may be negative is complex (sympy's principal branch).
    if exponent.is_Rational:
        positive = bool(exponent > 0)

        def rational(base: Ival, e: Ival) -> Ival:
            lo = _sign(base)[0]
            if lo < 0 or (lo == 0 and not positive):
                raise _Unbounded
            return _monotone(lambda x: iv.mpf(0) if _sign(x)[0] == 0 else
                             iv.exp(e * iv.log(x)), increasing=positive)(base)
        return rational

    def general(base: Ival, e: Ival) -> Ival:
        if _sign(base)[0] <= 0:
            raise _Unbounded
        return iv.exp(e * iv.log(base))
    return general


@dataclass(frozen=True)
class Backend:
    """How each node of an expression tree is evaluated: one dispatch table per number type.

    :data:`INTERVAL` gives rigorous enclosures (mpmath ``iv``; ``check`` raises where an
    enclosure is unbounded); :data:`FLOAT64` evaluates numpy arrays, fast and unchecked (for
    screening samples, never for a bound).
    """

    constant: Callable[[Fraction], Any]
    symbols: Mapping[sympy.Basic, Callable[[], Any]]  # pi, E
    power: Callable[[sympy.Expr], Callable[[Any, Any], Any]]  # by the exponent
    functions: Mapping[type, Callable[..., Any]]
    check: Callable[[Any], Any]


@functools.lru_cache(maxsize=4096)
def _constant(value: Fraction, prec: int) -> Ival:
    return _from_fraction(value)


INTERVAL = Backend(lambda q: _constant(q, iv.prec),
                   {sympy.pi: lambda: +iv.pi, sympy.E: lambda: +iv.e}, _power, _FUNCTIONS,
                   _finite)


def _float_power(exponent: sympy.Expr) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    if exponent.is_Integer:
        n = int(exponent)
        return lambda base, _: base**n
    return np.power


def _float(value: Fraction) -> float:
    """``value`` as a float, ±inf beyond the float range (screening, never a bound).

    >>> _float(Fraction(1, 4)), _float(Fraction(-10**400))
    (0.25, -inf)
    """
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


FLOAT64 = Backend(
    _float, {sympy.pi: lambda: math.pi, sympy.E: lambda: math.e}, _float_power,
    {sympy.exp: np.exp, sympy.log: np.log, sympy.sin: np.sin, sympy.cos: np.cos,
     sympy.tan: np.tan, sympy.atan: np.arctan, sympy.asin: np.arcsin, sympy.acos: np.arccos,
     sympy.sinh: np.sinh, sympy.cosh: np.cosh, sympy.tanh: np.tanh, sympy.Abs: np.abs,
     sympy.sign: np.sign, sympy.Heaviside: lambda x, *_: np.heaviside(x, 0.5),
     sympy.DiracDelta: lambda x, *_: np.where(x == 0, np.inf, 0.0),
     sympy.Max: lambda *xs: functools.reduce(np.maximum, xs),
     sympy.Min: lambda *xs: functools.reduce(np.minimum, xs)},
    lambda x: x)

Compiled = Callable[[Sequence[Any]], Any]


def compile_expression(expr: sympy.Expr, symbols: Sequence[sympy.Symbol],
                       backend: Backend = INTERVAL) -> Compiled:
    """A closure evaluating ``expr`` at ``values[k]`` for ``symbols[k]`` in ``backend``: the
    tree is walked once, one closure a node (no ``lambdify``, no ``eval``).

    >>> x = sympy.Symbol("x")
    >>> compile_expression(sympy.exp(-x**2) + 1, [x], FLOAT64)([np.array([0.0, 1.0])])
    array([2.        , 1.36787944])
    """
    return _compile(expr, {s: k for k, s in enumerate(symbols)}, backend)


def _compile(expr: sympy.Expr, index: Mapping[sympy.Symbol, int], ops: Backend) -> Compiled:
    if expr.is_Symbol:
        if expr not in index:
            raise QuadTheoryError(f"cannot evaluate {expr}: expected only the variables "
                                  f"{', '.join(map(str, index)) or '(none)'}")
        k = index[expr]
        return lambda xs: xs[k]
    if expr.is_Rational or expr.is_Float:
        value = (Fraction(int(expr.p), int(expr.q)) if expr.is_Rational
                 else _to_fraction(expr._mpf_))
        return lambda xs: ops.constant(value)
    if expr in ops.symbols:
        constant = ops.symbols[expr]
        return lambda xs: constant()
    args = [_compile(a, index, ops) for a in expr.args]
    if expr.is_Add or expr.is_Mul:
        combine = operator.add if expr.is_Add else operator.mul
        return lambda xs: ops.check(functools.reduce(combine, (f(xs) for f in args)))
    if expr.is_Pow:
        base, exponent = args
        power = ops.power(expr.exp)
        return lambda xs: ops.check(power(base(xs), exponent(xs)))
    function = ops.functions.get(expr.func)
    if function is None:
        raise QuadTheoryError(f"cannot evaluate {expr.func.__name__}(...) in {expr}: "
                              f"expected the functions {', '.join(FUNCTION_NAMES)}")
    return lambda xs: ops.check(function(*(f(xs) for f in args)))


def _interval_arg(value: object, where: str) -> Ival:
    if isinstance(value, Interval):
        value = (value.lo, value.hi)
    if isinstance(value, tuple | list):
        lo, hi = (to_rational(v, where) for v in value)
        return _hull(_from_fraction(lo), _from_fraction(hi))
    return _from_fraction(to_rational(value, where))


class Enclosure:
    """A sympy expression compiled for rigorous interval evaluation (mpmath ``iv``).

    Call it with one rational point or ``(lo, hi)`` pair per symbol; it returns an
    :class:`Interval` with exact rational ends that contains every value of the expression
    on that box, or ``None`` where an enclosure is unbounded or the expression undefined.

    >>> t = sympy.Symbol("t")
    >>> Enclosure(sympy.exp(-t), [t])((0, 1)).lo <= sympy.exp(-1) <= 1   # exp(-[0,1])
    True
    >>> print(Enclosure(1 / t, [t])((0, 1)))   # unbounded: 1/t near 0
    None
    """

    def __init__(self, expr: sympy.Expr, symbols: Sequence[sympy.Symbol]) -> None:
        self.expr = expr
        self.symbols = tuple(symbols)
        self._compiled = compile_expression(expr, self.symbols)

    def ival(self, values: Sequence[Ival], prec: int = 64) -> Ival | None:
        """The raw mpmath enclosure (``None`` when unbounded) at working precision ``prec``."""
        saved = iv.prec
        iv.prec = prec
        try:
            return self._compiled(values)
        except (_Unbounded, ZeroDivisionError, ComplexResult):
            return None
        finally:
            iv.prec = saved

    def __call__(self, *values: object, prec: int = 64) -> Interval | None:
        if len(values) != len(self.symbols):
            raise QuadTheoryError(f"enclosure: expected {len(self.symbols)} values, "
                                  f"found {len(values)}")
        saved = iv.prec
        iv.prec = prec
        try:
            args = [_interval_arg(v, f"values[{k}]") for k, v in enumerate(values)]
        finally:
            iv.prec = saved
        result = self.ival(args, prec)
        if result is None:
            return None
        a, b = result._mpi_
        return Interval(_to_fraction(a), _to_fraction(b))
