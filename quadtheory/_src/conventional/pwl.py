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
rigorous enclosures (:mod:`._enclosure`): the expression tree is walked through a dispatch table
into mpmath's interval context ``iv`` (outward rounding), never through ``lambdify`` or ``eval``.
Breakpoints are greedy (the longest admissible piece, found by bisection over dyadic lengths),
so the mesh grades itself towards a singular end; values are rationals within a proved ``δ`` of φ.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import sympy

from ..core.layers import conventional_layer
from ..core.limits import quoted
from ..core.network import Network
from ..core.numbers import format_rational, to_rational
from ..errors import InternalError, QuadTheoryError
from ..exact.enclosure import Enclosure, _from_fraction, _hull, _to_fraction
from ..exact.parse import parse_expression


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
        raise InternalError("relu network has a kink off the breakpoints")
    slope = offset = Fraction(0)
    j = 0
    for t, v in zip(f.breakpoints, f.values, strict=True):
        while j < len(kinks) and kinks[j] < t:
            slope, offset = slope + weights[j], offset + weights[j] * kinks[j]
            j += 1
        if net.layers[-1].b[0] + slope * t - offset != v:
            raise InternalError(f"relu network misses the interpolant at t = {t}")


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
        function = parse_expression(function, [variable])
    if not isinstance(function, sympy.Expr):
        raise QuadTheoryError(f"function: expected a sympy expression or a string, found "
                              f"{quoted(function)}")
    if isinstance(interval, str) or not isinstance(interval, Sequence) or len(interval) != 2:
        raise QuadTheoryError(f"interval: expected (a, b), found {quoted(interval)}")
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
        if max(rounding) > grid:  # 4096 bits did not pin the values down: they are too large
            raise QuadTheoryError(f"{phi}: its values are too large to round within eps "
                                  f"{format_rational(eps)} (4096 bits of precision); expected a "
                                  "target of moderate size")
        raise InternalError("rounding exceeded its share of eps")
    return PiecewiseLinear(phi, variable, tuple(points), tuple(values), tuple(rounding), total,
                           tuple(bounds), eps)
