"""The conventional (ReLU) family: certified ε-approximations of polynomials and radial targets.

The counterpart of the exact quadratic constructions in the comparison of Fan et al. (2023):
:func:`relu_construct` approximates a polynomial on a box and :func:`relu_radial` a radial
function ``G(‖x − c‖)`` on a ball, with conventional relu layers only and a certified sup
error ``≤ ε`` (Yarotsky 2017, arXiv:1610.01145: sawtooth squares, polarised products,
product trees; a certified piecewise-linear interpolant for a non-polynomial profile).

The certificate: for one input, the exact sup of ``|target − network|`` from the network's
exact linear pieces (:func:`quadtheory.sup_error`), the output bias then centring
the error exactly; for several inputs, the construction's rigorous interval bound, with the
largest error observed on a dense sample (:func:`~quadtheory._src.exact.approximation.
verify_approximation`), which must not exceed it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from typing import Any

import sympy

from ..core import limits
from ..core.domain import Ball, Box, bounded_box, domain_text
from ..core.network import Network
from ..core.numbers import format_rational, positive_eps
from ..errors import InternalError, QuadTheoryError
from ..exact.approximation import verify_approximation
from ..exact.certificate import Certificate, certificate_lines, proved_bound
from ..exact.construction import Construction
from ..exact.intervals import Interval
from ..exact.polyring import PolynomialRing
from ..exact.targets import check_target_size, even_polynomial, radial_expression, target_expression
from .pieces import TooManyPieces, sup_error
from .polynomial import add_polynomial
from .products import (
    Base,
    Compiled,
    Node,
    Plan,
    choose_levels,
    compile_plan,
    finish,
    half_width,
)
from .pwl import interpolate
from .yarotsky import Value

ZERO, ONE = Fraction(0), Fraction(1)
# One input: the exact sup from the linear pieces, up to this many (x² to 1e-10 has 2^16,
# about 3 s); beyond (deep product trees compose sawtooths), the interval bound and a sample.
EXACT_PIECES = 2**16
CONSTRUCTION = "Yarotsky sawtooth squares, polarised products, product trees"
PROOF = ("every intermediate quantity carries exact rational intervals for its value and its "
         "error (a square of z = z_e + Δ: Δ(2z_e + Δ) + [0, R²·4^(−m−1)]; a product: "
         "a·Δb + b·Δa + Δa·Δb + (δ1 − δ2)/4), propagated through the product trees "
         "(Yarotsky 2017, arXiv:1610.01145)")


def _poly_terms(expr: sympy.Expr, names: Sequence[str], text: str
                ) -> dict[tuple[int, ...], Fraction]:

    ring = PolynomialRing(names, "sympy")
    try:
        poly = ring.from_sympy(expr)
    except QuadTheoryError as error:
        raise QuadTheoryError(
            f"relu construction of {text!r}: expected a polynomial with rational coefficients "
            f"({error}); for G(|x - c|) use the radial construction") from None
    return dict(ring.terms(poly))


def _plan_for(names: Sequence[str], box: Sequence[tuple[Fraction, Fraction]]) -> Plan:
    return Plan({n: Base(Value(0, ((k, ONE),)), Interval(lo, hi))
                 for k, (n, (lo, hi)) in enumerate(zip(names, box, strict=True))})


def _chains(compiled: Compiled, levels: dict[str, int]) -> list[dict[str, Any]]:
    """Per approximate square or product: its sawtooth levels and proved chain errors."""
    return [{"quantity": key, "squares": len(chains), "sawtooth_levels": levels[key],
             "chain_errors": [format_rational(e) for e in compiled.facts[key].chain_errors]}
            for key, chains in compiled.chains.items()]


def _construction(net: Network, text: str, region: Box | Ball, eps: Fraction,
                  certified: Fraction, certificate: Certificate | None,
                  chains: list[dict[str, Any]], construction: str = CONSTRUCTION,
                  **extra: Any) -> Construction:
    return Construction(net, text, "relu", region, certified, certificate, eps, construction,
                        details={"construction": construction, "chains": chains, **extra})


def relu_construct(expr: object, eps: object, variables: Sequence[str] | None = None,
                   domain: object = None, *, verify: bool = True) -> Construction:
    """A conventional relu network within ``eps`` of a polynomial on a box (``domain`` as for
    :func:`quadtheory.construct`; default ``[-1, 1]`` per variable), certified:
    ``meta["certified_error"] ≤ eps``.

    >>> net = relu_construct("x**2", "1/100")      # 8 pieces: error 1/128 exactly
    >>> net.widths, net.meta["certified_error"], net.meta["family"]
    ((4, 3, 1), '1/128', 'relu')
    >>> relu_construct("x*y", "1/100", domain=(0, 1)).meta["params"]
    {'dense': 55, 'nonzero': 44}
    """
    verify = limits.flag(verify, "verify")
    target, names = target_expression(expr, variables)
    text = expr if isinstance(expr, str) else str(target)
    e = positive_eps(eps)
    check_target_size(target, names, "relu construction", max_degree=limits.MAX_RELU_DEGREE)
    box = bounded_box(domain, names)
    if not names:  # a constant: one input keeps the network well formed
        names, box = ("x",), ((Fraction(-1), ONE),)
    plan = _plan_for(names, box)
    add_polynomial(plan, _poly_terms(target, names, text), names,
                   [plan.bases[n].exact for n in names])
    levels = choose_levels(plan, e)
    compiled = compile_plan(plan, levels, names, [list(b) for b in box])
    net = compiled.builder.network(finish(compiled, plan))
    bound = half_width(compiled.error)
    chains = _chains(compiled, levels)
    if len(names) == 1 and net.depth > 1:

        try:
            net, certified, certificate = _exact_one_input(net, target, text, box[0], bound)
            return _construction(net, text, box, e, certified, certificate, chains)
        except TooManyPieces:
            pass
    certificate = None
    if verify:

        proof = proved_bound(
            f"|network − ({text})| ≤ {format_rational(bound)}",
            (PROOF, f"the output's error interval, centred by the output bias, has "
                    f"half-width {format_rational(bound)}"))
        certificate = verify_approximation(net, target, bound, {"box": [list(b) for b in box]},
                                           proof=proof)
    return _construction(net, text, box, e, bound, certificate, chains)


def _exact_one_input(net: Network, target: sympy.Expr, text: str,
                     side: tuple[Fraction, Fraction], bound: Fraction
                     ) -> tuple[Network, Fraction, Certificate]:
    """Re-centre the output on the exact extremes of the error and certify its exact sup."""

    start = time.perf_counter()
    found = sup_error(net, target, max_pieces=EXACT_PIECES)
    shift = (found.high.hi + found.low.lo) / 2
    last = net.layers[-1]
    net = replace(net, layers=(*net.layers[:-1], replace(last, b=(last.b[0] - shift,))))
    found = found.shifted(-shift)
    if found.upper > bound:
        raise InternalError(f"exact sup error {found.upper} exceeds the construction's bound "
                             f"{bound}")
    where = f"[{format_rational(side[0])}, {format_rational(side[1])}]"
    attained = ("" if found.at is None
                else f"; the sup is attained at x = {format_rational(found.at)}")
    checks = (f"the network is split into its {found.pieces} exact linear pieces (rational "
              "breakpoints, layer by layer)",
              "on each piece the error is a polynomial, extreme at an end or at a root of its "
              "derivative (rational, or isolated in rational intervals)",
              f"sup error {'=' if found.exact else '<='} {format_rational(found.upper)}"
              f"{attained}; the construction's interval bound was {format_rational(bound)}")
    certificate = Certificate(
        f"|network − ({text})| ≤ {format_rational(found.upper)} on {where}", "symbolic proof",
        True, checks, time.perf_counter() - start,
        {**found.as_dict(), "construction_bound": format_rational(bound)})
    return net, found.upper, certificate


# -- radial targets -----------------------------------------------------------------------------

def relu_radial(g: object, dim: int, eps: object, center: Sequence[object] | None = None,
                radius: object = 1, *, verify: bool = True) -> Construction:
    """A conventional relu network within ``eps`` of ``G(‖x − c‖)`` on the ball
    ``‖x − c‖ ≤ radius``: ``‖x − c‖²`` as ``dim`` sawtooth squares, then ``φ(t) = G(√t)``
    by product trees (G a polynomial in r²) or by a certified piecewise-linear interpolant.

    >>> net = relu_radial("r**2", 3, "1/100")    # three squares of 3 levels: 3·4^-4/2
    >>> net.widths, net.meta["certified_error"], net.meta["region"]["ball"]["radius"]
    ((12, 9, 9, 1), '3/512', '1')
    """
    verify = limits.flag(verify, "verify")
    ball = Ball.of(dim, center, radius)
    e = positive_eps(eps)
    expr, r, text = radial_expression(g)
    t = sympy.Symbol("t", nonnegative=True)
    profile = even_polynomial(expr, r, t)
    names, box, r2 = ball.inputs, ball.box, ball.radius**2
    plan = _plan_for(names, box)
    for k, name in enumerate(names):
        plan.nodes.append(Node(f"s{k}", "square", ((name, ONE),), -ball.center[k]))
    plan.nodes.append(Node("t", "sum", tuple((f"s{k}", ONE) for k in range(ball.dim)),
                           exact=Interval(ZERO, r2)))
    if profile is not None:  # G(r) = p(r²): the polynomial p of the sum of squares
        coeffs = sympy.Poly(profile, t).as_dict()
        add_polynomial(plan, {k: Fraction(int(v.p), int(v.q)) for k, v in coeffs.items()},
                       ["t"], [Interval(ZERO, r2)])
        levels = choose_levels(plan, e)
        compiled = compile_plan(plan, levels, names, [list(b) for b in box])
        net = compiled.builder.network(finish(compiled, plan))
        bound, extra, chains = half_width(compiled.error), {}, _chains(compiled, levels)
        target = profile.xreplace({t: ball.squared_distance()})
        proof: tuple[str, ...] = (PROOF, "on the ball t = ‖x − c‖² ∈ [0, R²]; the centred error "
                                  f"interval has half-width {format_rational(bound)}")
        construction = CONSTRUCTION
    else:
        net, bound, extra, chains, proof = _interpolated(plan, expr.xreplace({r: sympy.sqrt(t)}),
                                                         t, e, r2, names, box)
        target = expr.xreplace({r: sympy.sqrt(ball.squared_distance())})
        construction = CONSTRUCTION + ", certified piecewise-linear profile"
    certificate = None
    if verify:

        certificate = verify_approximation(
            net, target, bound, ball.region(),
            proof=proved_bound(f"|network − G(‖x − c‖)| ≤ {format_rational(bound)}", proof))
    return _construction(net, text, ball, e, bound, certificate, chains, construction,
                         dim=ball.dim, **extra)


# The shares of ε tried for the interpolant (the rest goes to the squares): fewest params wins.
_SHARES = (Fraction(1, 2), Fraction(3, 4), Fraction(7, 8))


def _interpolated(plan: Plan, phi: sympy.Expr, t: sympy.Symbol, eps: Fraction, r2: Fraction,
                  names: Sequence[str], box: Sequence[tuple[Fraction, Fraction]]
                  ) -> tuple[Network, Fraction, dict[str, Any], list[dict[str, Any]],
                             tuple[str, ...]]:
    """``T ≈ ‖x − c‖²`` by squares, then a relu layer ``ψ`` interpolating φ(t) = G(√t) on
    [0, R²]: ``ψ(T) − φ(t) = [ψ(T) − ψ(t)] + [ψ(t) − φ(t)]``, the first in
    ``[s_min, s_max]·(T − t)`` with ``T − t ∈ [0, ΔT]`` (squares over-estimate; ψ extends
    linearly past R²), the second within the interpolant's proved error."""

    plan.output, plan.const = (("t", ONE),), ZERO
    best: tuple[Any, ...] | None = None
    for share in _SHARES:
        pwl = interpolate(phi, t.name, (ZERO, r2), eps * share)
        slopes = pwl.slopes
        spread = max(max(slopes), ZERO) - min(min(slopes), ZERO)
        room = eps - pwl.certified_error  # for the squares: spread·ΔT/2 <= room
        levels = choose_levels(plan, room / spread if spread else eps)
        compiled = compile_plan(plan, levels, names, [list(b) for b in box])
        rise = compiled.facts["t"].error.hi
        b = compiled.builder
        total = finish(compiled, plan, centre=False)
        out = Value.constant(pwl.values[0])
        for tk, s, prev in zip(pwl.breakpoints, slopes, (ZERO, *slopes), strict=False):
            if s != prev:
                neuron, _ = b.relu(total - tk)
                out = out + neuron * (s - prev)
        low = -pwl.certified_error + min(ZERO, min(slopes) * rise)
        high = pwl.certified_error + max(ZERO, max(slopes) * rise)
        net = b.network(out - (low + high) / 2)
        bound = (high - low) / 2
        proof = (PROOF, *pwl.proof(),
                 f"T − ‖x − c‖² ∈ [0, {format_rational(rise)}] on the ball and the slopes of the "
                 f"interpolant lie in [{format_rational(min(slopes))}, "
                 f"{format_rational(max(slopes))}]: the centred error has half-width "
                 f"{format_rational(bound)}")
        extra = {"interpolant": {"pieces": pwl.pieces,
                                 "certified_error": format_rational(pwl.certified_error)}}
        candidate = (net.params.nonzero, net.params.dense, net, bound, extra,
                     _chains(compiled, levels), proof)
        if best is None or candidate[:2] < best[:2]:
            best = candidate
    if best is None:
        raise InternalError("no share of eps gave an interpolant")
    return best[2], best[3], best[4], best[5], best[6]


def report(network: Network) -> str:
    """The text the ``construct``/``radial`` commands print for a ``--family relu`` network.

    >>> print(report(relu_construct("x**2", "1/100")))  # doctest: +ELLIPSIS
    target: x**2
    family: relu (Yarotsky sawtooth squares, polarised products, product trees)
    certified error: 1/128 <= eps 1/100
    domain: x in [-1, 1]
    params: dense 27 (every weight and bias), nonzero 23 (nonzero entries)
    depth: 3
    widths: 4, 3, 1
    certificate: holds (symbolic proof, ... s): |network − (x**2)| ≤ 0.00782 on [-1, 1]
      - the network is split into its 8 exact linear pieces ...
    """
    meta = network.meta
    region = meta.get("region", {}).get("ball")
    where = (f"ball |x - ({', '.join(region['center'])})| <= {region['radius']}" if region else
             domain_text(network.inputs, network.domain))
    lines = [f"target: {meta['target']}", f"family: relu ({meta['construction']})",
             f"certified error: {meta['certified_error']} <= eps {meta['eps']}",
             f"{'region' if region else 'domain'}: {where}",
             f"params: dense {network.params.dense} (every weight and bias), nonzero "
             f"{network.params.nonzero} (nonzero entries)",
             f"depth: {network.depth}", f"widths: {', '.join(map(str, network.widths))}"]
    lines += certificate_lines(meta.get("certificate"))
    return "\n".join(lines)
