"""Study: what rational weights cost. ``T_11`` in 7 quadratic neurons with algebraic weights.

construct's networks have rational weights, and its fewest-neuron ``T_11`` takes 8 neurons
(``2·log2 11 + 2`` allows 8). With real weights, 7 suffice: a network of widths
``(2, 2, 2, 1)`` of this shape:

- layer 1: ``x`` and ``T_2 = 2x² − 1``;
- layer 2: ``p = T_3 + a·x`` (``2x·T_2 + (a − 1)·x``) and ``q = T_2 + b·x``;
- layer 3: ``V_5`` and ``Z_5 = T_5 + T_6``, each a quadratic of ``(p, q)`` (one neuron
  computes any quadratic of two values: ``(w_r·y + b_r)(w_g·y + b_g)`` with ``w_r = (1, 0)``,
  ``w_g = (0, m)`` for a cross coefficient ``m ≠ 0``, or ``w_r = (1, 1)``, ``w_g = (1, −1)``
  for ``m = 0``, spans any linear term through the biases, and ``w_b`` sets the squares);
- output: ``Z_5·V_5 − 1 = (1 + x)·V_5² − 1 = T_11`` (``V_5`` the third-kind polynomial).

Layer 3 exists iff ``V_5`` and ``Z_5`` each lie in the span of ``1, p, q, p², pq, q²``, so
only if two polynomial equations in ``(a, b)`` hold (determinants: the seven coefficient
vectors are dependent), whose resultant in ``b`` is a product of two quintics, each
irreducible over Q (sympy's factorization over QQ). So **no network of this shape has
rational weights**. For each quintic, ``a`` is a polynomial in ``b`` and the
identity ``Z_5·V_5 − 1 = T_11`` is checked exactly in the number field ``Q(b)`` (a symbolic
proof: arithmetic modulo the quintic, so it holds for each of its roots); every root is real,
and the network with float64 weights rounded from each real solution is compared with
``T_11`` at 10,000 points (sampled). Other shapes of 7 neurons are not covered: the study says
what rational weights cost here, not that 8 is the least for rational networks.

Run: ``python benchmarks/real_weights.py`` (a few seconds).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import sympy
from sympy.polys.matrices import DomainMatrix

from quadtheory import construct

X, A, B = sympy.symbols("x a b")
DEGREE = 6  # the span's polynomials, and Z_5, have degree <= 6


def chebyshev(k: int) -> sympy.Expr:
    return sympy.chebyshevt(k, X)


V5 = sympy.expand(sympy.chebyshevu(5, X) - sympy.chebyshevu(4, X))
Z5 = sympy.expand(chebyshev(5) + chebyshev(6))


def span(p: sympy.Expr, q: sympy.Expr) -> list[sympy.Expr]:
    return [sympy.Integer(1), p, q, p**2, p * q, q**2]


def coefficients(poly: sympy.Poly) -> list:
    """The ``DEGREE + 1`` coefficients of ``poly`` in x, lowest first, as elements of its
    domain."""
    low_first = poly.rep.to_list()[::-1]
    return low_first + [poly.get_domain().zero] * (DEGREE + 1 - len(low_first))


def condition(target: sympy.Expr) -> sympy.Expr:
    """A 7 x 7 determinant, zero when ``target`` lies in the span of layer 2's quadratics (and
    when those six are dependent: a necessary condition; :func:`exact_in_field` checks that
    each target lies in the span)."""
    rows = []
    for e in [*span(chebyshev(3) + A * X, chebyshev(2) + B * X), target]:
        low_first = sympy.Poly(sympy.expand(e), X).all_coeffs()[::-1]
        rows.append(low_first + [0] * (DEGREE + 1 - len(low_first)))
    return sympy.expand(sympy.Matrix(rows).det())


def exact_in_field(quintic: sympy.Expr, d1: sympy.Expr, d2: sympy.Expr
                   ) -> tuple[sympy.Expr, list[list[sympy.Expr]], bool]:
    """``a``, and layer 3's two neurons' coefficients on the span, as polynomials in ``b``,
    and whether ``Z_5·V_5 − 1 == T_11`` holds exactly, all in ``Q(b)``, ``b`` a root of
    ``quintic`` (which root does not matter: the arithmetic is modulo the quintic)."""
    field = sympy.QQ.algebraic_field(sympy.CRootOf(quintic, 0))
    b = field.from_sympy(field.ext)  # the field's generator: the root itself

    def element(expr: sympy.Expr):
        return sum((field.convert(sympy.Rational(c)) * b**k
                    for (k,), c in sympy.Poly(expr, B).terms()), field.zero)

    def in_b(value) -> sympy.Expr:
        return sympy.Add(*(sympy.Rational(c) * B**k
                           for k, c in enumerate(reversed(value.to_list()))))

    # Both conditions are quadratics in a; eliminating a² leaves a linear equation.
    c1 = [element(sympy.Poly(d1, A).coeff_monomial(A**k)) for k in range(3)]
    c2 = [element(sympy.Poly(d2, A).coeff_monomial(A**k)) for k in range(3)]
    a = -(c2[2] * c1[0] - c1[2] * c2[0]) / (c2[2] * c1[1] - c1[2] * c2[1])
    assert all(c[2] * a**2 + c[1] * a + c[0] == field.zero for c in (c1, c2))

    def poly(expr) -> sympy.Poly:
        return sympy.Poly(expr, X, domain=field)

    def scaled(p: sympy.Poly, k) -> sympy.Poly:
        return sympy.Poly.new(p.rep.mul_ground(k), X)

    p = poly(chebyshev(3)) + scaled(poly(X), a)
    q = poly(chebyshev(2)) + scaled(poly(X), b)
    basis = [poly(1), p, q, p**2, p * q, q**2]
    matrix = DomainMatrix([[coefficients(e)[i] for e in basis] for i in range(DEGREE + 1)],
                          (DEGREE + 1, len(basis)), field)
    layer3, values = [], []
    for target in (V5, Z5):
        rhs = DomainMatrix([[c] for c in coefficients(poly(target))], (DEGREE + 1, 1), field)
        reduced, pivots = matrix.hstack(rhs).rref()
        assert len(basis) not in pivots, "target outside the span"
        weights = [reduced[i, len(basis)].element for i in range(len(basis))]
        layer3.append([in_b(w) for w in weights])
        values.append(sum((scaled(e, w) for e, w in zip(basis, weights, strict=True)),
                          poly(0)))
    holds = values[1] * values[0] - poly(1) == poly(chebyshev(11))
    return in_b(a), layer3, holds


def quintics(d1: sympy.Expr, d2: sympy.Expr) -> list[sympy.Expr]:
    """The factors in ``b`` of the two conditions' resultant (eliminating ``a``), each
    irreducible over Q (sympy's factorization over QQ)."""
    _, factors = sympy.factor_list(sympy.resultant(d1, d2, A))
    return [f for f, _ in factors if sympy.degree(f, B) > 0]


def float_weights(a_in_b: sympy.Expr, layer3: list[list[sympy.Expr]], root: sympy.Expr
                  ) -> tuple[float, float, list[list[float]]]:
    """``a``, ``b`` and layer 3's coefficients as floats at a real ``root`` for ``b``."""
    def at(expr: sympy.Expr) -> float:
        return float(sympy.N(sympy.sympify(expr).subs(B, root), 30))

    return at(a_in_b), at(B), [[at(w) for w in row] for row in layer3]


def float_network(a: float, b: float, layer3: list[list[float]], x: np.ndarray) -> np.ndarray:
    """The 7-neuron network in float64 at ``x``."""
    t2 = 2 * x * x - 1                                # layer 1: x, T_2
    p, q = 2 * x * t2 + (a - 1) * x, t2 + b * x       # layer 2
    v, z = (w[0] + w[1] * p + w[2] * q + w[3] * p * p + w[4] * p * q + w[5] * q * q
            for w in layer3)                          # layer 3: V_5, Z_5
    return z * v - 1                                  # the output: T_11


def main() -> None:
    start = time.perf_counter()
    fewest = construct(chebyshev(11), objective="neurons").neurons
    print(f"T_11, rational weights (construct, objective neurons): {fewest} neurons")
    print("T_11 with real weights, widths (2, 2, 2, 1), 7 neurons: layer 1 x, T_2; layer 2 "
          "p = T_3 + a·x, q = T_2 + b·x; layer 3 V_5, Z_5 (quadratics of p, q); output "
          "Z_5·V_5 − 1")
    d1, d2 = condition(V5), condition(Z5)
    print(f"  V_5 in the span only if {sympy.factor(d1)} = 0")
    print(f"  Z_5 in the span only if {sympy.factor(d2)} = 0")
    factors = quintics(d1, d2)
    print(f"  resultant in b: {' · '.join(f'({f})' for f in factors)}")
    for f in factors:
        irreducible = len(sympy.factor_list(f)[1]) == 1 and sympy.degree(f, B) > 1
        print(f"    ({f}): irreducible over Q: {irreducible} (sympy's factorization over QQ)"
              f"{'; so b is irrational' if irreducible else ''}")
    points = np.cos(np.pi * (np.arange(10_000) + 0.5) / 10_000)
    want = np.cos(11 * np.arccos(points))
    for f in factors:
        a_in_b, layer3, holds = exact_in_field(f, d1, d2)
        print(f"  b a root of {f}: a = {a_in_b}; Z_5·V_5 − 1 == T_11 exactly in Q(b): {holds} "
              f"(symbolic proof)")
        for root in sympy.Poly(f, B).real_roots():
            a, b, weights = float_weights(a_in_b, layer3, root)
            error = np.abs(float_network(a, b, weights, points) - want).max()
            print(f"    b = {b:+.10f}, a = {a:+.10f}: the float64 network is "
                  f"within {error:.2g} of T_11 at 10,000 points (sampled)")
    print(f"({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
