"""Radial functions ``f(x) = G(‖x − c‖)`` on a ball, by quadratic networks: certified, lean.

One quadratic neuron computes ``t = ‖x − c‖²`` exactly (``w_b = 1``: the squares; the centre
in ``(w_r·x + b_r)(w_g·x + b_g) + c``), and everything after it sees only ``t``, so the
dimension D enters the first layer alone: params grow linearly in D, by 3 dense a dimension.
Depth-2 ReLU networks need exponentially many neurons in D for some radial functions (Eldan &
Shamir 2016, arXiv:1512.03965); the quadratic neuron is the mechanism of Fan et al. ("One
Neuron Saved Is One Neuron Earned", 2023) that avoids it.

After the ``t`` neuron, φ(t) = G(√t) on ``[0, R²]`` is

- ``"exact polynomial in r^2"`` when G is a polynomial in r² with rational coefficients: the
  exact network of ``construct``, proved equal to ``G(‖x − c‖)`` on the ball's bounding box;
- ``"piecewise linear"``: the certified relu interpolant of :mod:`._pwl`;
- ``"polynomial approximant"``: the exact network of a Taylor polynomial with rational
  coefficients, of φ at ``R²/2``, or of G at ``r = 0`` when it has only even powers of r (a
  polynomial in t then; G even and smooth, like cos r, whose φ has derivatives the enclosures
  cannot bound at t = 0); Lagrange remainder ``max|f^(k+1)| ρ^(k+1)/(k+1)!`` with the max an
  interval enclosure, plus the proved rounding of the coefficients.

``method="auto"`` takes the exact network when there is one, else the approximation with
fewer *nonzero* params (the count of approximation theory; dense breaks ties).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy

from ..conventional.pwl import interpolate, log2_ceiling, round_up
from ..core import limits
from ..core.compose import sequential
from ..core.domain import Ball
from ..core.layers import (
    ACTIVATIONS,
    Layer,
    QuadraticLayer,
    conventional_layer,
    quadratic_layer,
)
from ..core.limits import one_of
from ..core.network import Network
from ..core.numbers import format_rational, positive_rational, to_rational
from ..errors import InternalError, QuadTheoryError
from ..exact.approximation import verify_approximation
from ..exact.certificate import Certificate, proved_bound
from ..exact.construction import Construction
from ..exact.enclosure import Enclosure
from ..exact.intervals import Interval
from ..exact.polynomial import network_polynomials
from ..exact.targets import even_polynomial, radial_expression
from ..exact.verify import verify
from .construct import construct

EXACT = "exact polynomial in r^2"
PIECEWISE = "piecewise linear"
POLYNOMIAL = "polynomial approximant"
METHODS = (EXACT, PIECEWISE, POLYNOMIAL)
CHOSEN_BY = "fewest nonzero params (dense params break ties)"

_MAX_DEGREE = 32
_MAX_DERIVATIVE_OPS = 3000  # sympy derivatives of compositions can grow fast: stop there
_SPLITS = 16  # subintervals for the enclosure of φ^(k+1): tighter than one wide interval
_FLOOR_SPLITS = 4  # subintervals where a lower bound of |φ''| is sought
# auto builds both approximations (their sizes are reported side by side) unless the
# piecewise one is proved to lose and to need more than this many pieces (costly to build).
_CHEAP_PIECES = 1000


def norm_network(ball: Ball, activation: str = "relu") -> tuple[Network, Interval]:
    """One quadratic neuron computing ``t = ‖x − c‖²`` on the ball's bounding box, and the
    enclosure of ``t`` there that the verifier proves (what later layers may assume).

    With at most one nonzero centre coordinate ``c_i`` the neuron is ``(x_i − c_i)² + Σ x_j²``
    (the product term squares one affine form: a tight range); otherwise the centre enters
    linearly, ``Σ x_j² + (−2c·x + |c|²)·1``. Either way relu is exact (``t ≥ 0``) and the
    verifier proves it (a positive semidefinite quadratic); should a proof ever fail, the
    neuron is made identity, which is exact everywhere.

    >>> net, t = norm_network(Ball.of(3, None, 1))
    >>> net.params, str(t), net.exact([1, "1/2", 0])    # 3·3+3 dense; t ∈ [0, 3] on the box
    (ParamCounts(dense=12, nonzero=3), '[0, 3]', (Fraction(5, 4),))
    """
    dim, c = ball.dim, ball.center
    zeros = [[0] * dim]
    nonzero = [k for k, v in enumerate(c) if v]
    if len(nonzero) <= 1:
        i = nonzero[0] if nonzero else None
        row = [[int(k == i) for k in range(dim)]] if i is not None else zeros
        shift = [-c[i] if i is not None else 0]
        layer = quadratic_layer(row, shift, row, shift, [[int(k != i) for k in range(dim)]],
                                activation=activation)
    else:
        layer = quadratic_layer([[-2 * v for v in c]], [sum(v * v for v in c)], zeros, [1],
                                [[1] * dim], activation=activation)
    net = Network(ball.inputs, (layer,), domain=ball.box)
    trace = network_polynomials(net)
    if not trace.proved:
        return norm_network(ball, "identity")
    if trace.outputs[0] != trace.ring.from_sympy(ball.squared_distance()):
        raise InternalError("the norm neuron does not compute ‖x − c‖²")
    return net, trace.output_ranges[0]


def eps_rational(eps: object) -> Fraction | None:
    """``eps`` as a positive exact rational, or None when not given.

    >>> eps_rational(1e-3), eps_rational(None)
    (Fraction(1, 1000), None)
    """
    return None if eps is None else positive_rational(eps)


# -- the polynomial approximant -----------------------------------------------------------------

@dataclass(frozen=True)
class Taylor:
    """A Taylor polynomial of ``function`` at the midpoint of ``[low, high]`` with rational
    coefficients, and its proved sup error there: Lagrange remainder plus coefficient
    rounding. Build it with :func:`taylor_approximant`."""

    function: sympy.Expr
    variable: sympy.Symbol
    low: Fraction
    high: Fraction
    polynomial: sympy.Expr  # in ``variable``, expanded, rational coefficients
    degree: int
    remainder: Fraction
    rounding: Fraction
    eps: Fraction

    @property
    def certified_error(self) -> Fraction:
        """Remainder plus rounding, rounded up to a short rational (still ≤ eps)."""
        return min(round_up(self.remainder + self.rounding), self.eps)

    def proof(self) -> tuple[str, ...]:
        span = f"{format_rational(self.low)} ≤ {self.variable} ≤ {format_rational(self.high)}"
        k = self.degree
        return (
            f"Taylor polynomial of {self.function} of degree {k} at {self.variable} = "
            f"{format_rational((self.low + self.high) / 2)}, rational coefficients",
            f"Lagrange remainder ≤ max|{_derivative(k + 1, self.variable)} f| ρ^{k + 1}/{k + 1}! "
            f"= {float(self.remainder):.3g} on {span} (max: interval enclosures on {_SPLITS} "
            "subintervals, mpmath iv)",
            f"coefficient rounding ≤ Σ δ_j ρ^j = {float(self.rounding):.3g} (enclosures)",
            f"sup error ≤ {format_rational(self.certified_error)} on {span}",
        )


def _derivative(order: int, variable: sympy.Symbol) -> str:
    return f"d/d{variable}" if order == 1 else f"d^{order}/d{variable}^{order}"


def taylor_approximant(function: sympy.Expr, variable: sympy.Symbol, low: Fraction,
                       high: Fraction, eps: Fraction, max_degree: int = _MAX_DEGREE
                       ) -> Taylor | str:
    """The lowest-degree Taylor polynomial at ``(low + high)/2`` with proved sup error ≤ eps
    on ``[low, high]``, or the reason there is none (a derivative unbounded or too large, the
    remainder bound no longer decreasing, or ``max_degree`` reached).

    >>> t = sympy.Symbol("t")
    >>> p = taylor_approximant(sympy.exp(-t), t, Fraction(0), Fraction(1), Fraction(1, 1000))
    >>> p.degree, p.certified_error <= Fraction(1, 1000)   # e^0·(1/2)^5/5! ≈ 2.6e-4
    (4, True)
    >>> taylor_approximant(sympy.sqrt(t), t, Fraction(0), Fraction(1), Fraction(1, 1000))
    'd/dt sqrt(t) is not bounded on [0, 1] (interval enclosure)'
    """
    center, rho = (low + high) / 2, (high - low) / 2
    prec = 64 + max(0, (1 / eps).numerator.bit_length())
    width = (high - low) / _SPLITS
    pieces = [(low + k * width, low + (k + 1) * width) for k in range(_SPLITS)]
    derivative, coefficients, deltas, remainders = function, [], [], []
    factorial = 1
    for k in range(max_degree + 1):
        value = Enclosure(derivative, [variable])(center, prec=prec)
        if value is None:
            return (f"{_derivative(k, variable)} {function} is not finite at {variable} = "
                    f"{format_rational(center)}")
        # Coefficient k on a dyadic grid with grid·ρ^k ≤ eps/256: all rounding ≤ eps/8.
        grid = Fraction(2) ** -log2_ceiling(256 * rho**k / eps)
        lo, hi = value.lo / factorial, value.hi / factorial
        c = Fraction(round((lo + hi) / 2 / grid)) * grid
        coefficients.append(c)
        deltas.append(max(hi - c, c - lo))
        derivative = sympy.diff(derivative, variable)
        factorial *= k + 1
        if sympy.count_ops(derivative) > _MAX_DERIVATIVE_OPS:
            return f"the derivatives of {function} grow too large beyond order {k}"
        enclosure = Enclosure(derivative, [variable])
        bounds = [enclosure(piece, prec=prec) for piece in pieces]
        if any(v is None for v in bounds):
            return (f"{_derivative(k + 1, variable)} {function} is not bounded on "
                    f"[{format_rational(low)}, {format_rational(high)}] (interval enclosure)")
        top = max(max(abs(v.lo), abs(v.hi)) for v in bounds)
        remainder = top * rho ** (k + 1) / factorial
        rounding = sum(d * rho**j for j, d in enumerate(deltas))
        if remainder + rounding <= eps:
            shift = variable - sympy.Rational(center.numerator, center.denominator)
            poly = sympy.expand(sympy.Add(*(sympy.Rational(c.numerator, c.denominator) * shift**j
                                            for j, c in enumerate(coefficients))))
            return Taylor(function, variable, low, high, poly, k, remainder, rounding, eps)
        remainders.append(remainder)
        if k >= 8 and _diverges(remainders, eps, max_degree):
            return (f"the Taylor remainder bound of {function} grows by a factor "
                    f"{float(remainders[-1] / remainders[-2]):.3g} per degree at degree {k} "
                    f"({float(remainder):.3g} > eps) and, at its trend over the last degrees, "
                    f"would not reach eps by degree {max_degree}: the interval is not inside "
                    "a disc where the function is analytic (or too close to its edge)")
    return (f"no Taylor polynomial of {function} of degree <= {max_degree} reaches eps "
            f"{format_rational(eps)}")


def _diverges(remainders: Sequence[Fraction], eps: Fraction, max_degree: int) -> bool:
    """Whether the remainder bounds, growing now, stay above eps up to ``max_degree`` when
    their ratio per degree keeps falling at its pace over the last three degrees.

    An entire function's bound can grow for many degrees before it falls (``e^(-10t)`` on
    [0, 1]: ``5^(k+1)/(k+1)!`` peaks at k = 4 and reaches 1e-3 at k = 17), its ratio falling
    like ``1/k``; outside the radius of convergence the ratio stays above 1.

    >>> import math
    >>> _diverges([Fraction(5 ** (k + 1), math.factorial(k + 1)) for k in range(9)],
    ...           Fraction(1, 1000), 32)
    False
    >>> _diverges([Fraction(3) ** k for k in range(9)], Fraction(1, 1000), 32)
    True
    """
    if any(r == 0 for r in remainders[-5:]):
        return False
    ratios = [float(b / a) for a, b in itertools.pairwise(remainders[-5:])]
    if min(ratios) < 1:
        return False
    ratio, fall = ratios[-1], max(0.0, (ratios[0] - ratios[-1]) / 3)
    projected = float(remainders[-1])
    for step in range(1, max_degree - len(remainders) + 2):
        projected *= max(ratio - step * fall, 0.0)
        if projected <= eps:
            return False
    return True


# -- the networks -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Problem:
    """Everything the constructions share: G(r), φ(t) = G(√t), the ball, the norm neuron
    and the range of ``t`` it is proved to have on the bounding box."""

    g: sympy.Expr
    r: sympy.Symbol
    t: sympy.Symbol
    ball: Ball
    activation: str
    norm: Network
    t_range: Interval
    verify: bool

    @property
    def phi(self) -> sympy.Expr:
        return self.g.subs(self.r, sympy.sqrt(self.t))

    @property
    def target(self) -> sympy.Expr:
        """G(‖x − c‖) in the input symbols."""
        return self.g.subs(self.r, sympy.sqrt(self.ball.squared_distance()))


@dataclass(frozen=True)
class _Candidate:
    method: str
    network: Network
    error: Fraction
    proof: tuple[str, ...] = ()
    facts: dict[str, Any] = field(default_factory=dict)
    exact_target: sympy.Expr | None = None  # the polynomial in x the network equals exactly


def _exact_network(problem: _Problem, p: sympy.Expr) -> tuple[Network, sympy.Expr]:
    """The network of ``p(‖x − c‖²)`` and that polynomial in x (what it equals exactly).

    Degree >= 2: the norm neuron followed by the exact network of ``p(t)`` from
    ``construct``, built on the proved range of ``t`` over the bounding box so that its relu
    range proofs hold inside the composite. Degree 1: ``a·t + b`` folded into the norm neuron
    (one identity quadratic neuron). Degree 0: a constant (no hidden layer).
    """

    ball, norm = problem.ball, problem.norm
    plain = sympy.Symbol("t")  # construct matches variables by name
    poly = sympy.Poly(p.subs(problem.t, plain), plain)
    exact = p.subs(problem.t, ball.squared_distance())
    if poly.degree() <= 0:
        layer: Layer = conventional_layer([[0] * ball.dim], [to_rational(poly.nth(0), "G")],
                                          activation="identity")
        return Network(ball.inputs, (layer,), domain=ball.box), exact
    if poly.degree() == 1:
        a, b = (to_rational(poly.nth(k), "G") for k in (1, 0))
        q = norm.layers[0]
        layer = QuadraticLayer(q.w_r.scaled_rows([a]), (q.b_r[0] * a,), q.w_g, q.b_g,
                               q.w_b.scaled_rows([a]), (q.c[0] * a + b,), "identity")
        return Network(ball.inputs, (layer,), domain=ball.box), exact
    inner = construct(poly.as_expr(), ["t"], domain=[problem.t_range.as_strings()],
                      activation=problem.activation, verify=problem.verify)
    return sequential(norm, inner), exact


def _piecewise(problem: _Problem, eps: Fraction) -> _Candidate | str:
    if problem.activation != "relu":
        return "a piecewise-linear network needs relu activations"
    f = interpolate(problem.phi, problem.t.name, (0, problem.ball.radius**2), eps)
    return _Candidate(PIECEWISE, sequential(problem.norm, f.network()), f.certified_error,
                      f.proof(), {"pieces": f.pieces})


def _in_t(approx: Taylor, t: sympy.Symbol) -> sympy.Expr | None:
    """The Taylor polynomial as a polynomial in t = r² (None if it has an odd power of r)."""
    if approx.variable == t:
        return approx.polynomial
    terms = sympy.Poly(approx.polynomial, approx.variable).as_dict()
    if any(e % 2 for (e,) in terms):
        return None
    return sympy.Add(*(c * t ** (e // 2) for (e,), c in terms.items()))


def _polynomial(problem: _Problem, eps: Fraction) -> _Candidate | str:
    """The better of two certified Taylor polynomials, by degree in t: φ(t) at t = R²/2 on
    [0, R²]; and G(r) at r = 0 on [−R, R] when it has only even powers, a polynomial in
    t = r² (G even and smooth at 0, e.g. cos r, whose φ(t) = cos √t the enclosures of φ's
    derivatives cannot bound at t = 0)."""
    t, radius = problem.t, problem.ball.radius
    real_r = sympy.Symbol("r", real=True)
    in_t = taylor_approximant(problem.phi, t, Fraction(0), radius**2, eps)
    # In r only a lower degree in t can win: degree 2k + 1 in r is degree k in t.
    most = 2 * in_t.degree - 1 if isinstance(in_t, Taylor) else _MAX_DEGREE
    in_r = (taylor_approximant(problem.g.subs(problem.r, real_r), real_r, -radius, radius, eps,
                               most) if most >= 0 else "degree 0 in t already")
    options, reasons = [], []
    for approx in (in_t, in_r):
        p = _in_t(approx, t) if isinstance(approx, Taylor) else None
        if p is None:
            reasons.append(approx if isinstance(approx, str) else
                           f"the Taylor polynomial of {problem.g} at r = 0 has odd powers of r")
        else:
            # A huge eps rounds every coefficient to 0: the zero polynomial, degree 0 here.
            options.append((0 if p == 0 else int(sympy.degree(p, t)), approx.certified_error,
                            approx, p))
    if not options:
        return "; ".join(reasons)
    degree, error, approx, p = min(options, key=lambda o: o[:2])
    net, exact = _exact_network(problem, p)
    proof = approx.proof()
    if approx.variable != t:
        proof += (f"only even powers of r: p(t) = q(√t) is a polynomial of degree {degree} in "
                  "t = r²",)
    center = format_rational((approx.low + approx.high) / 2)
    return _Candidate(POLYNOMIAL, net, error, proof,
                      {"degree": degree, "expansion": f"Taylor in {approx.variable} at {center}",
                       "polynomial": str(p)}, exact)


def _check_defined(problem: _Problem) -> None:
    enclosure = Enclosure(problem.g, [problem.r])
    for point in (Fraction(0), problem.ball.radius):
        if enclosure(point) is None:
            raise QuadTheoryError(
                f"G = {problem.g} is undefined or not finite at r = {format_rational(point)}; "
                "expected a function defined and finite on 0 <= r <= "
                f"{format_rational(problem.ball.radius)}")


def radial(g: str | sympy.Expr, dim: int, center: Sequence[object] | None = None,
           radius: object = 1, eps: object = None, activation: str = "relu", *,
           method: str = "auto", verify: bool = True) -> Construction:
    """A quadratic network for ``f(x) = G(‖x − c‖)`` on the ball ``‖x − c‖ ≤ radius``.

    ``g`` is an expression in ``r`` (a string, parsed safely, or sympy); inputs are
    ``x1..xD``; the network's domain is the ball's bounding box and every guarantee holds on
    the ball. Exact when G is a polynomial in r² (``certified_error`` "0"); otherwise ``eps``
    is required (a NUMBER; a float is read as its shortest decimal) and the sup error on the
    ball is proved ≤ eps. ``method``: ``"auto"`` or one of :data:`METHODS`. ``verify=False``
    skips the certificate (the exact identity, or the sampled check of the proved bound).

    >>> net = radial("1 + r**2", 3)                       # exact: one neuron, 1 + ‖x‖²
    >>> net.meta["method"], net.meta["certified_error"], net.exact([1, 1, "1/2"]), net.widths
    ('exact polynomial in r^2', '0', (Fraction(13, 4),), (1,))
    >>> net = radial("exp(-r**2)", 3, eps="1/1000", method="piecewise linear")
    >>> net.meta["certified_error"], net.widths, net.params.dense   # 3·3+3 + 10·2 + 11
    ('897/1000000', (1, 10, 1), 43)
    """
    verify = limits.flag(verify, "verify")
    ball = Ball.of(dim, center, radius)
    one_of(activation, "activation", ACTIVATIONS)
    one_of(method, "method", ("auto", *METHODS))
    e = eps_rational(eps)
    expr, r, text = radial_expression(g)
    norm, t_range = norm_network(ball, activation)
    problem = _Problem(expr, r, sympy.Symbol("t", nonnegative=True), ball, activation, norm,
                       t_range, verify)
    p = even_polynomial(expr, r, problem.t)
    candidates: dict[str, Any] = {}
    if p is not None and method in ("auto", EXACT):
        net, exact = _exact_network(problem, p)
        chosen = _Candidate(EXACT, net, Fraction(0), exact_target=exact)
    elif method == EXACT:
        raise QuadTheoryError(f"G = {expr} is not a polynomial in r**2 with rational "
                              f"coefficients; expected method auto, {PIECEWISE} or "
                              f"{POLYNOMIAL} with an eps")
    elif e is None:
        raise QuadTheoryError(f"G = {expr} is not a polynomial in r**2, so the network "
                              "approximates it: expected an error bound eps > 0 such as "
                              "1/1000 (--eps on the command line)")
    else:
        _check_defined(problem)
        chosen, candidates = _approximate(problem, e, method)
    certificate = _certify(problem, chosen) if verify else None
    return Construction(
        chosen.network, text, "quadratic", ball, chosen.error, certificate, e, chosen.method,
        details={**chosen.facts,
                 **({"candidates": candidates, "chosen_by": CHOSEN_BY} if candidates else {})})


def _piecewise_floor(problem: _Problem, eps: Fraction) -> tuple[int, int] | None:
    """A proved lower bound on the piecewise-linear network's size, before building it:
    ``(pieces, nonzero params)``. Where ``|φ''| >= κ`` on ``[a, b]`` (an interval enclosure),
    any piecewise-linear function within eps there needs ``k`` pieces with
    ``κ(b − a)²/(16k²) <= eps`` (the bound of :mod:`quadtheory.bounds`; Yarotsky 2017,
    arXiv:1610.01145); each piece after the first costs a relu neuron reading t (a weight, a
    bias, an output weight)."""
    t, r2 = problem.t, problem.ball.radius**2
    try:
        second = Enclosure(sympy.diff(problem.phi, t, 2), [t])
    except QuadTheoryError:
        return None
    pieces = 0
    for k in range(_FLOOR_SPLITS):
        a, b = r2 * k / _FLOOR_SPLITS, r2 * (k + 1) / _FLOOR_SPLITS
        found = second((a, b))
        if found is None or found.lo <= 0 <= found.hi:
            continue
        kappa = min(abs(found.lo), abs(found.hi))
        pieces = max(pieces, math.isqrt(math.floor(kappa * (b - a) ** 2 / (16 * eps))))
    if pieces == 0:
        return None
    return pieces, problem.norm.params.nonzero + 3 * (pieces - 1)


def _approximate(problem: _Problem, eps: Fraction, method: str
                 ) -> tuple[_Candidate, dict[str, Any]]:
    """The approximations asked for; ``auto`` builds the polynomial approximant, then the
    piecewise-linear network unless its proved size floor already exceeds it (and more than
    ``_CHEAP_PIECES`` pieces would be built), and never fails while one of them succeeds."""
    builders = {PIECEWISE: _piecewise, POLYNOMIAL: _polynomial}
    found: dict[str, _Candidate | str] = {}
    for name in (POLYNOMIAL, PIECEWISE):
        if method not in ("auto", name):
            continue
        rival = found.get(POLYNOMIAL)
        if name == PIECEWISE and method == "auto" and isinstance(rival, _Candidate):
            floor = _piecewise_floor(problem, eps)
            if floor is not None and floor[0] > _CHEAP_PIECES and \
                    floor[1] > rival.network.params.nonzero:
                found[name] = (f"not built: it needs at least {floor[0]} pieces, so at least "
                               f"{floor[1]} nonzero params (a proved lower bound), more than "
                               f"the {rival.network.params.nonzero} of {POLYNOMIAL}")
                continue
        try:
            found[name] = builders[name](problem, eps)
        except QuadTheoryError as why:
            found[name] = str(why)
    found = {name: found[name] for name in builders if name in found}  # the usual order
    usable = [c for c in found.values() if isinstance(c, _Candidate)]
    if not usable:
        reasons = "; ".join(f"{name}: {why}" for name, why in found.items())
        raise QuadTheoryError(f"no certified approximation of φ(t) = {problem.phi} on "
                              f"[0, {format_rational(problem.ball.radius**2)}]: {reasons}")
    chosen = min(usable, key=lambda c: (c.network.params.nonzero, c.network.params.dense))
    summary = {name: ({"params": c.network.params.as_dict(),
                       "certified_error": format_rational(c.error), **c.facts}
                      if isinstance(c, _Candidate) else {"unavailable": c})
               for name, c in found.items()}
    return chosen, summary


def _certify(problem: _Problem, chosen: _Candidate) -> Certificate:

    exact = None
    if chosen.exact_target is not None:
        exact = verify(chosen.network, chosen.exact_target)
        if not exact:
            raise InternalError(f"radial: the network fails verification {exact}")
    if chosen.method == EXACT:
        return exact
    lines = [_norm_proof(problem.norm), *chosen.proof]
    if exact is not None:
        lines.insert(1, f"network == p(‖x − c‖²) exactly on the bounding box "
                        f"({exact.level}: {'; '.join(exact.checks)})")
    lines.append(f"hence |network(x) − G(‖x − c‖)| ≤ {format_rational(chosen.error)} on the "
                 "ball: the layers after the first see only t = ‖x − c‖² ∈ [0, R²]")
    proof = proved_bound(f"|network − G(‖x − c‖)| ≤ {format_rational(chosen.error)}", lines)
    return verify_approximation(chosen.network, problem.target, chosen.error,
                                problem.ball.region(), proof=proof)


def _norm_proof(norm: Network) -> str:
    how = ("relu, its pre-activation proved >= 0 on the box"
           if norm.layers[0].activation == "relu" else "identity")
    return (f"first layer: one quadratic neuron ({how}) computing t = ‖x − c‖² exactly "
            "(its polynomial checked equal to Σ (x_i − c_i)²)")
