"""Certified piecewise-linear (relu) interpolation of a function of one variable.

A relu network with one hidden layer computes exactly the continuous piecewise-linear functions
with a kink per hidden neuron; interpolating φ at breakpoints ``t_0 < … < t_n`` gives

    f(t) = v_0 + Σ_k (s_k − s_{k−1}) relu(t − t_k)        (s_{−1} = 0, slopes s_k)

which equals the interpolant on ``[t_0, t_n]`` (its first neuron ``relu(t − t_0)`` is the
identity there). This is the classical upper bound for relu approximation of smooth functions
(Yarotsky 2017, arXiv:1610.01145, §3; DeVore & Lorentz, *Constructive Approximation*, ch. 7).

The error is proved, never sampled: on a piece of length ``h``, ``|φ − L| ≤ h²/8 · max|φ''|``
(φ'' from ``sympy.diff``), and where φ'' is unbounded (``φ(t) = G(√t)`` near ``t = 0``)
``|φ − L| ≤ sup φ − inf φ`` (L stays between its end values, which φ takes). Both maxima are
rigorous enclosures: the expression tree is walked through a dispatch table into mpmath's
interval context ``iv`` (outward rounding), never through ``lambdify`` or ``eval``. Breakpoints
are greedy (the longest admissible piece, found by bisection over dyadic lengths), so the mesh
grades itself towards a singular end; values are rationals within a proved ``δ`` of φ.
"""

from __future__ import annotations

import bisect
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

from ._errors import QuadTheoryError
from ._intervals import Interval
from ._layers import conventional_layer
from ._network import Network
from ._numbers import format_rational, to_rational

# -- rigorous enclosures: a sympy expression walked into mpmath's interval context -------------

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


FLOAT64 = Backend(
    float, {sympy.pi: lambda: math.pi, sympy.E: lambda: math.e}, _float_power,
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


def round_up(x: Fraction, digits: int = 3) -> Fraction:
    """The least decimal with ``digits`` significant digits that is ``>= x`` (x >= 0): a
    proved bound stays proved, and reads short.

    >>> round_up(Fraction(2272296756121584189, 2535301200456458802993))   # 8.96…e-4
    Fraction(897, 1000000)
    """
    if x <= 0:
        return Fraction(0)
    exponent = len(str(x.numerator)) - len(str(x.denominator))  # floor(log10 x) or one more
    if Fraction(10) ** exponent > x:
        exponent -= 1
    scale = Fraction(10) ** (digits - 1 - exponent)
    return Fraction(math.ceil(x * scale)) / scale


# -- the mesh: greedy longest pieces with a proved error ---------------------------------------

# Relative precision of a piece's length: 5 bisection steps find the longest admissible
# dyadic length within 1/32 of the best, at 5 enclosures a piece.
_BISECTIONS = 5
# The shortest piece tried before giving up: far below any useful eps, above exhaustion.
_SHORTEST = Fraction(1, 2**120)
# Of the error budget eps, 1/8 goes to rounding the values to rationals.
_ROUNDING_SHARE = Fraction(1, 8)


@dataclass(frozen=True)
class PiecewiseLinear:
    """A certified piecewise-linear interpolant of ``function`` (a sympy expression in the
    symbol named ``variable``) on ``[breakpoints[0], breakpoints[-1]]``.

    ``values[k]`` is a rational within ``rounding[k]`` of φ(``breakpoints[k]``); ``errors[k]``
    is the proved sup error on piece ``k`` (interpolation + rounding), by ``bounds[k]``
    (``"second derivative"``: h²/8·max|φ''|, or ``"oscillation"``: sup φ − inf φ).
    Build it with :func:`interpolate`.
    """

    function: sympy.Expr
    variable: str
    breakpoints: tuple[Fraction, ...]
    values: tuple[Fraction, ...]
    rounding: tuple[Fraction, ...]
    errors: tuple[Fraction, ...]
    bounds: tuple[str, ...]
    eps: Fraction

    @property
    def pieces(self) -> int:
        return len(self.breakpoints) - 1

    @property
    def certified_error(self) -> Fraction:
        """The proved sup error on the whole interval: the largest piece error, rounded up
        to a short rational (still ≤ eps)."""
        return min(round_up(max(self.errors)), self.eps)

    @functools.cached_property
    def slopes(self) -> tuple[Fraction, ...]:
        t, v = self.breakpoints, self.values
        return tuple((v[k + 1] - v[k]) / (t[k + 1] - t[k]) for k in range(self.pieces))

    def __call__(self, t: object) -> Fraction:
        """The interpolant at a rational point of its interval, exactly.

        >>> f = interpolate("t**2", "t", (0, 1), "1/100")
        >>> f("1/2") - Fraction(1, 4) <= f.certified_error
        True
        """
        x = to_rational(t, "t")
        ts = self.breakpoints
        if not ts[0] <= x <= ts[-1]:
            raise QuadTheoryError(f"t: expected a point of [{format_rational(ts[0])}, "
                                  f"{format_rational(ts[-1])}], found {format_rational(x)}")
        k = min(bisect.bisect_right(ts, x), self.pieces) - 1
        v = self.values
        return v[k] + (v[k + 1] - v[k]) / (ts[k + 1] - ts[k]) * (x - ts[k])

    def network(self, name: str | None = None) -> Network:
        """The relu network ``v_0 + Σ_k (s_k − s_{k−1}) relu(t − t_k)``: a hidden relu
        conventional layer (one neuron per kink) and an identity output layer; exact weights,
        domain ``[t_0, t_n]``. Kinks where the slope does not change get no neuron.

        >>> f = interpolate("t**2", "t", (0, 1), "1/100")
        >>> net = f.network()
        >>> net.widths, net.exact(["1/2"]) == (f("1/2"),)   # pieces of √(8·ε·7/8 / 2) ≈ 0.19
        ((6, 1), True)
        """
        changes = [(t, s - prev) for t, s, prev in
                   zip(self.breakpoints, self.slopes, (Fraction(0), *self.slopes), strict=False)]
        kinks = [(t, d) for t, d in changes if d]
        a, b = self.breakpoints[0], self.breakpoints[-1]
        if not kinks:  # a constant: no hidden layer
            layers = (conventional_layer([[0]], [self.values[0]], activation="identity"),)
        else:
            layers = (conventional_layer([[1]] * len(kinks), [-t for t, _ in kinks]),
                      conventional_layer([[d for _, d in kinks]], [self.values[0]],
                                         activation="identity"))
        net = Network((name or self.variable,), layers, domain=[[a, b]])
        _check_breakpoints(net, self)
        return net

    def proof(self) -> tuple[str, ...]:
        """How the certified error is proved, one line per argument (for a certificate)."""
        by_second = sum(b == "second derivative" for b in self.bounds)
        return (
            f"piecewise-linear interpolant of {self.function} at {self.pieces + 1} rational "
            f"breakpoints of [{format_rational(self.breakpoints[0])}, "
            f"{format_rational(self.breakpoints[-1])}]",
            f"{by_second} pieces: |φ − L| ≤ h²/8 · max|φ''| with max|φ''| an interval "
            f"enclosure (mpmath iv, outward rounding); {self.pieces - by_second} pieces: "
            "|φ − L| ≤ sup φ − inf φ (enclosure)",
            f"values rational within {float(max(self.rounding)):.3g} of φ(t_k) "
            "(enclosures); relu network checked exactly to pass through every (t_k, v_k)",
            f"sup error ≤ {format_rational(self.certified_error)} (max over pieces of "
            "interpolation bound + rounding)",
        )


def _check_breakpoints(net: Network, f: PiecewiseLinear) -> None:
    """The network is affine between kinks that are all breakpoints; it equals the
    interpolant iff it takes the values at the breakpoints (O(n) by prefix sums)."""
    hidden = net.layers[0] if net.depth == 2 else None
    kinks = [-b for b in hidden.b] if hidden else []
    weights = [w for _, w in net.layers[-1].w.rows[0]] if hidden else []
    if not set(kinks) <= set(f.breakpoints):
        raise AssertionError("relu network has a kink off the breakpoints")
    slope = offset = Fraction(0)
    j = 0
    for t, v in zip(f.breakpoints, f.values, strict=True):
        while j < len(kinks) and kinks[j] < t:
            slope, offset = slope + weights[j], offset + weights[j] * kinks[j]
            j += 1
        if net.layers[-1].b[0] + slope * t - offset != v:
            raise AssertionError(f"relu network misses the interpolant at t = {t}")


class _Mesher:
    """Greedy mesh: from ``u``, the longest piece whose proved error fits the budget."""

    def __init__(self, phi: sympy.Expr, t: sympy.Symbol, budget: Fraction, prec: int) -> None:
        self.value = Enclosure(phi, [t])
        try:
            self.second: Enclosure | None = Enclosure(sympy.diff(phi, t, 2), [t])
        except QuadTheoryError:
            self.second = None  # φ'' has a node we cannot enclose: oscillation only
        self.budget = budget
        self.prec = prec

    def bound(self, u: Fraction, v: Fraction) -> tuple[Fraction, str] | None:
        """A proved bound of |φ − L| on [u, v] within the budget, or None."""
        box = [_hull(_from_fraction(u), _from_fraction(v))]
        if self.second is not None:
            m = self.second.ival(box, self.prec)
            if m is not None:
                top = max(abs(_to_fraction(m._mpi_[0])), abs(_to_fraction(m._mpi_[1])))
                err = top * (v - u) ** 2 / 8
                if err <= self.budget:
                    return err, "second derivative"
        r = self.value.ival(box, self.prec)
        if r is not None:
            err = _to_fraction(r._mpi_[1]) - _to_fraction(r._mpi_[0])
            if err <= self.budget:
                return err, "oscillation"
        return None

    def piece(self, u: Fraction, b: Fraction, guess: Fraction) -> tuple[Fraction, Fraction, str]:
        rest = b - u
        # The whole rest is tried only when the last piece suggests it may fit.
        if rest <= 2 * guess and (found := self.bound(u, b)) is not None:
            return b, *found
        h = min(guess, rest / 2)
        good = self.bound(u, u + h)
        if good is None:  # shrink until admissible
            while good is None:
                h /= 2
                if h < _SHORTEST * rest:
                    # "near": within 2^-40 of the interval, below the working precision
                    near = rest / 2**40
                    raise _unbounded(self.value, u - near, u + near)
                good = self.bound(u, u + h)
            top = 2 * h
        else:  # grow while admissible
            top = rest
            while 2 * h < rest:
                if (larger := self.bound(u, u + 2 * h)) is None:
                    top = 2 * h
                    break
                h, good = 2 * h, larger
        for _ in range(_BISECTIONS):
            mid = (h + top) / 2
            if (found := self.bound(u, u + mid)) is None:
                top = mid
            else:
                h, good = mid, found
        return u + h, *good


def simplest_rational(u: Fraction, v: Fraction) -> Fraction:
    """The rational with the least denominator in ``[u, v]`` (Stern–Brocot): the point to
    name in a message about a tiny interval.

    >>> simplest_rational(Fraction(0), Fraction(1, 2**60)), simplest_rational(Fraction(49, 100),
    ...                                                                        Fraction(51, 100))
    (Fraction(0, 1), Fraction(1, 2))
    """
    if u <= 0 <= v:
        return Fraction(0)
    if v < 0:
        return -simplest_rational(-v, -u)
    whole = u.numerator // u.denominator
    if whole == u or whole + 1 <= v:
        return Fraction(whole) if whole == u else Fraction(whole + 1)
    return whole + 1 / simplest_rational(1 / (v - whole), 1 / (u - whole))


def _unbounded(enclosure: Enclosure, u: Fraction, v: Fraction) -> QuadTheoryError:
    return QuadTheoryError(
        f"cannot bound {enclosure.expr} near {enclosure.symbols[0]} = "
        f"{format_rational(simplest_rational(u, v))}: it is unbounded, undefined or not "
        "continuous there; expected a function defined, finite and continuous on the whole "
        "interval")


def _check_bounded(enclosure: Enclosure, a: Fraction, b: Fraction, prec: int) -> None:
    """Every point of [a, b] lies in a subinterval where φ has a finite enclosure, or raise
    near the first point where none is found: depth first, at most 60 halvings deep, so a
    pole such as 1/t at 0 is refused at once instead of meshed towards forever."""
    stack = [(a, b)]
    while stack:
        u, v = stack.pop()
        if enclosure((u, v), prec=prec) is not None:
            continue
        if v - u < (b - a) / 2**60:
            raise _unbounded(enclosure, u, v)
        m = (u + v) / 2
        stack += [(m, v), (u, m)]


def _value(enclosure: Enclosure, t: Fraction, grid: Fraction, prec: int
           ) -> tuple[Fraction, Fraction]:
    """A rational on ``grid`` near φ(t), and a proved bound of its distance to φ(t)."""
    while True:
        r = enclosure(t, prec=prec)
        if r is None:
            raise QuadTheoryError(f"cannot evaluate {enclosure.expr} at "
                                  f"{enclosure.symbols[0]} = {format_rational(t)}: undefined "
                                  "or not finite there; expected a finite value")
        if r.hi - r.lo <= grid / 2 or prec > 4096:
            break
        prec *= 2  # the enclosure is too wide for the grid: more bits
    v = round((r.lo + r.hi) / 2 / grid) * grid
    return Fraction(v), max(r.hi - v, v - r.lo)


def _symbol_of(function: sympy.Expr, variable: str, nonnegative: bool) -> tuple[sympy.Expr,
                                                                                  sympy.Symbol]:
    others = sorted(str(s) for s in function.free_symbols if s.name != variable)
    if others:
        raise QuadTheoryError(f"function: expected an expression in {variable} only, found "
                              f"{', '.join(others)} in {function}")
    # Real symbols make sympy differentiate |t| as sign(t), not through re/im.
    t = sympy.Symbol(variable, real=True, nonnegative=nonnegative or None)
    return function.subs({s: t for s in function.free_symbols}), t


def interpolate(function: str | sympy.Expr, variable: str, interval: Sequence[object],
                eps: object, *, max_pieces: int = 20_000) -> PiecewiseLinear:
    """The certified relu interpolant of ``function`` on ``interval`` with sup error ≤ eps.

    ``function`` is a sympy expression in the symbol named ``variable``, or a string (parsed
    safely); ``interval`` is ``(a, b)`` with rational ends; ``eps > 0`` a NUMBER.

    >>> f = interpolate("exp(-t)", "t", (0, 1), "1/1000")
    >>> f.pieces, f.certified_error <= Fraction(1, 1000)   # at best ∫√(|φ''|/8ε) dt ≈ 9
    (10, True)
    >>> g = interpolate("sqrt(t)", "t", (0, 1), "1/100")    # φ'' unbounded at 0: graded
    >>> g.bounds[0], g.breakpoints[1] < Fraction(1, 1000)
    ('oscillation', True)
    """
    if isinstance(function, str):
        from ._parse import parse_expression
        function = parse_expression(function, [variable])
    if not isinstance(function, sympy.Expr):
        raise QuadTheoryError(f"function: expected a sympy expression or a string, found "
                              f"{function!r:.80}")
    if isinstance(interval, str) or not isinstance(interval, Sequence) or len(interval) != 2:
        raise QuadTheoryError(f"interval: expected (a, b), found {interval!r:.80}")
    a, b = (to_rational(v, "interval") for v in interval)
    if not a < b:
        raise QuadTheoryError(f"interval: expected a < b, found [{format_rational(a)}, "
                              f"{format_rational(b)}]")
    e = to_rational(eps, "eps")
    if e <= 0:
        raise QuadTheoryError(f"eps: expected a positive number, found {format_rational(e)}")
    phi, t = _symbol_of(function, variable, a >= 0)
    return _interpolate(phi, t, variable, a, b, e, max_pieces)


def log2_ceiling(x: Fraction) -> int:
    """An integer ``k`` with ``2**k >= x`` (x > 0), within one of the least."""
    return x.numerator.bit_length() - x.denominator.bit_length() + 1


@functools.lru_cache(maxsize=64)
def _interpolate(phi: sympy.Expr, t: sympy.Symbol, variable: str, a: Fraction, b: Fraction,
                 eps: Fraction, max_pieces: int) -> PiecewiseLinear:
    # Values on a dyadic grid of step <= eps/16: rounding plus enclosure width <= eps/16.
    grid = Fraction(1, 2 ** max(0, log2_ceiling(16 / eps)))
    prec = 64 + max(0, log2_ceiling(1 / eps))
    mesher = _Mesher(phi, t, eps * (1 - _ROUNDING_SHARE), prec)
    _check_bounded(mesher.value, a, b, prec)
    points, errors, bounds = [a], [], []
    guess = (b - a) / 2
    while points[-1] < b:
        if len(errors) >= max_pieces:
            raise QuadTheoryError(f"interpolating {phi} to eps {format_rational(eps)} needs more "
                                  f"than {max_pieces} pieces; expected a larger eps")
        u = points[-1]
        v, err, how = mesher.piece(u, b, guess)
        points.append(v)
        errors.append(err)
        bounds.append(how)
        guess = v - u
    values, rounding = zip(*(_value(mesher.value, p, grid, prec) for p in points), strict=True)
    total = tuple(err + max(rounding[k], rounding[k + 1]) for k, err in enumerate(errors))
    if max(total) > eps:
        raise AssertionError("rounding exceeded its share of eps")
    return PiecewiseLinear(phi, variable, tuple(points), tuple(values), tuple(rounding), total,
                           tuple(bounds), eps)
