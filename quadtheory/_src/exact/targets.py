"""Targets: the functions users ask networks for, parsed safely into sympy.

A polynomial target in named variables (:func:`target_expression`, its exact terms by sparse
arithmetic, refused before expanding when too large: :func:`polynomial_terms`), and a radial
profile ``G(r)`` of ``f(x) = G(‖x − c‖)`` (:func:`radial_expression`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import sympy

from ..core import limits
from ..errors import QuadTheoryError
from .parse import MAX_DIGITS, parse_expression
from .polyring import PolynomialRing

Monomial = tuple[int, ...]  # exponents, one per variable

# An upper bound on the terms of the expanded target, checked before expanding anything:
# bad input must cost nothing (``(x+y+z+w)**1000`` would have 1.7e11 terms).
MAX_TERMS = 100_000
_HINT = ("construct builds exact networks for polynomials; for a function of ||x - c|| use "
         "radial (quadtheory radial G --dim D), otherwise ask for an ε-approximation "
         "(--family relu --eps E)")


def target_expression(expr: object, variables: Sequence[str] | None
                      ) -> tuple[sympy.Expr, tuple[str, ...]]:
    """The target as sympy, parsed safely, and its variables (default: sorted free symbols).

    >>> target_expression("x*y + z/2", None)
    (x*y + z/2, ('x', 'y', 'z'))
    >>> target_expression("x*y", ["y", "x", "t"])[1]
    ('y', 'x', 't')
    """
    if variables is not None:
        if isinstance(variables, str) or not isinstance(variables, Sequence):
            raise QuadTheoryError(f"variables: expected a list of names like ['x', 'y'], "
                                  f"found {limits.quoted(variables)}")
        variables = tuple(variables)
        limits.check(len(variables), limits.MAX_VARIABLES, "variables: the number of names")
    if isinstance(expr, str):
        expression = parse_expression(expr, variables)
    elif isinstance(expr, sympy.Basic | int | Fraction) and not isinstance(expr, bool):
        # an int has a numerator and a denominator too
        expression = expr if isinstance(expr, sympy.Basic) else sympy.Rational(
            expr.numerator, expr.denominator)
        # As a formula's numbers are (parse.MAX_DIGITS): past 4,300 digits Python will not
        # even print one, and every later step prints the target.
        if any(max(abs(n.p), n.q) >= 10**MAX_DIGITS for n in expression.atoms(sympy.Rational)):
            raise QuadTheoryError(f"target: a number of more than {MAX_DIGITS} digits in the "
                                  f"expression; expected at most {MAX_DIGITS}, as in a formula")
    else:
        raise QuadTheoryError(f"target: expected a polynomial (a string such as 'x*y + 1' or "
                              f"a sympy expression), found {limits.quoted(expr)}")
    names = sorted(str(s) for s in expression.free_symbols)
    if variables is None:
        return expression, tuple(names)
    missing = [name for name in names if name not in variables]
    if missing:
        raise QuadTheoryError(f"target: variable {missing[0]!r} is not among the variables "
                              f"{', '.join(variables) or '(none)'}; add it to variables "
                              f"(--vars)")
    return expression, variables


def check_target_size(expression: sympy.Expr, names: Sequence[str], where: str, *,
                      max_variables: int = limits.MAX_VARIABLES,
                      max_degree: int = limits.MAX_DEGREE) -> None:
    """Refuse a target with too many variables, or a polynomial one of too high a degree
    (bounded from the expression tree, without expanding), before any work.

    >>> check_target_size(parse_expression("(1 + x)**5000"), ["x"], "bounds", max_degree=200)
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: bounds: the degree of the target 5000 is over the limit 200
    """
    limits.check(len(names), max_variables, f"{where}: the number of variables")
    if _offending(expression, names) is None:
        limits.check(_size_bound(expression)[1], max_degree, f"{where}: the degree of the target")


def is_exact_polynomial(expression: sympy.Expr, names: Sequence[str]) -> bool:
    """Whether ``expression`` is, as written, a polynomial in ``names`` with rational
    coefficients (sums, products and nonnegative integer powers of them; nothing expanded).

    >>> is_exact_polynomial(parse_expression("(1 + x/3)**2000"), ["x"])
    True
    >>> is_exact_polynomial(parse_expression("pi*x"), ["x"])
    False
    """
    return _offending(expression, names) is None


def _offending(e: sympy.Basic, names: Sequence[str]) -> sympy.Basic | None:
    """The first subterm that is not a polynomial with rational coefficients, if any."""
    stack, known = [e], set(names)
    while stack:
        e = stack.pop()
        if e.is_Rational or (e.is_Symbol and e.name in known):
            continue
        if e.is_Add or e.is_Mul:
            stack.extend(reversed(e.args))
        elif e.is_Pow and e.exp.is_Integer and e.exp.p >= 0:
            stack.append(e.base)
        else:
            return e
    return None


def _size_bound(e: sympy.Basic) -> tuple[int, int]:
    """Upper bounds on the number of terms and on the degree of ``e`` expanded (terms
    capped above MAX_TERMS), computed without expanding."""
    if e.is_Add or e.is_Mul:
        parts = [_size_bound(a) for a in e.args]
        if e.is_Add:
            return min(sum(t for t, _ in parts), MAX_TERMS + 1), max(d for _, d in parts)
        return min(math.prod(t for t, _ in parts), MAX_TERMS + 1), sum(d for _, d in parts)
    if e.is_Pow:
        (base, degree), k = _size_bound(e.base), int(e.exp)
        return _multisets(base, k), degree * k
    return 1, int(e.is_Symbol)


def _multisets(n: int, k: int) -> int:
    """``C(n + k - 1, k)``, the most terms of ``(t_1 + … + t_n)**k`` (each term a product of
    ``k`` of the ``t_i``, in any order: ``(x + y)**450`` has 451), capped above MAX_TERMS;
    its logarithm is checked first, so huge counts cost nothing.

    >>> _multisets(2, 450), _multisets(4, 200) > MAX_TERMS, _multisets(1, 10**4)
    (451, True, 1)
    """
    if n <= 1 or k <= 0:
        return 1 if n >= 1 or k == 0 else 0
    log = math.lgamma(n + k) - math.lgamma(k + 1) - math.lgamma(n)
    if log > math.log(MAX_TERMS) + 1:
        return MAX_TERMS + 1
    return min(math.comb(n + k - 1, k), MAX_TERMS + 1)


def polynomial_terms(expression: sympy.Expr, names: Sequence[str], backend: str = "auto"
                     ) -> dict[Monomial, Fraction]:
    """The target's exact terms, exponents -> coefficient, by sparse arithmetic.

    >>> import sympy
    >>> x, y = sympy.symbols("x y")
    >>> polynomial_terms((x + y) ** 2 - y**2, ["x", "y"], "sympy")
    {(1, 1): Fraction(2, 1), (2, 0): Fraction(1, 1)}
    """
    bad = _offending(expression, names)
    if bad is not None:
        raise QuadTheoryError(f"target {short_text(expression)} is not a polynomial with rational "
                              f"coefficients: {short_text(bad)} is not; {_HINT}")
    terms, degree = _size_bound(expression)
    # The monomials of degree <= D in n variables bound the terms too: (1 + x)**1000 is fine.
    if min(terms, math.comb(len(names) + degree, degree)) > MAX_TERMS:
        raise QuadTheoryError(f"target {short_text(expression)} may expand to more than "
                              f"{MAX_TERMS} terms (bounded before expanding); expected a "
                              f"smaller polynomial")
    ring = PolynomialRing(names, backend)
    return dict(sorted(ring.terms(ring.from_sympy(expression))))


# sympy prints a sum of thousands of terms slowly (it orders them): long targets are written
# from their exact terms instead, in the same syntax (the parser reads it back).
_SYMPY_TEXT_TERMS = 64


def target_text(expression: sympy.Expr, names: Sequence[str],
                terms: dict[Monomial, Fraction]) -> str:
    """The target's text for the network file: sympy's for a short expression, else the
    expanded polynomial written from its exact terms (highest degree first).

    >>> x, y = sympy.symbols("x y")
    >>> target_text(x * y + 1, ["x", "y"], {(1, 1): Fraction(1), (0, 0): Fraction(1)})
    'x*y + 1'
    >>> e = sympy.Add(*(k * x**k for k in range(1, 70)))
    >>> target_text(e, ["x"], {(k,): Fraction(k) for k in range(1, 70)})[:22]
    '69*x**69 + 68*x**68 + '
    """
    if not (expression.is_Add and len(expression.args) > _SYMPY_TEXT_TERMS):
        return str(expression)
    parts = []
    for m, c in sorted(terms.items(), key=lambda item: (-sum(item[0]), item[0])):
        factors = [name if e == 1 else f"{name}**{e}" for name, e in zip(names, m) if e]
        magnitude = abs(c)
        number = str(magnitude.numerator) if magnitude.denominator == 1 else \
            f"{magnitude.numerator}/{magnitude.denominator}"
        body = "*".join(factors if factors and magnitude == 1 else [number, *factors])
        parts.append(("- " if c < 0 else "+ ") + body)
    text = " ".join(parts) or "0"
    return text[2:] if text.startswith("+ ") else "-" + text[2:]


def short_text(e: object, limit: int = 80) -> str:
    """``repr`` of an expression's text, cut to ``limit`` characters for messages.

    >>> short_text("x" * 100, 10)
    "'xxxxxxx...'"
    """
    text = str(e)
    return repr(text if len(text) <= limit else text[:limit - 3] + "...")


def radial_expression(g: str | sympy.Expr) -> tuple[sympy.Expr, sympy.Symbol, str]:
    """``G`` as a sympy expression in ``r`` (strings parsed safely), ``r``, and its text.

    >>> radial_expression("exp(-r^2)")[0]
    exp(-r**2)
    """
    if isinstance(g, str):
        expr = parse_expression(g, ["r"])
        return expr, sympy.Symbol("r"), g
    if not isinstance(g, sympy.Expr):
        raise QuadTheoryError(f"g: expected an expression in r (a string or sympy), found "
                              f"{limits.quoted(g)}")
    others = sorted(s.name for s in g.free_symbols if s.name != "r")
    if others:
        raise QuadTheoryError(f"g: expected an expression in r only, found "
                              f"{', '.join(others)} in {g}")
    r = next(iter(g.free_symbols), sympy.Symbol("r"))
    return g, r, str(g)


def even_polynomial(g: sympy.Expr, r: sympy.Symbol, t: sympy.Symbol) -> sympy.Expr | None:
    """``p`` with ``G(r) = p(r²)`` and rational coefficients, or None.

    >>> r, t = sympy.symbols("r t")
    >>> even_polynomial(1 - r**2 + r**4 / 2, r, t), even_polynomial(r, r, t)
    (t**2/2 - t + 1, None)
    """
    try:
        poly = sympy.Poly(g, r)
    except sympy.PolynomialError:
        return None
    if poly.domain not in (sympy.ZZ, sympy.QQ):
        return None
    terms = poly.as_dict()
    if any(e % 2 for (e,) in terms):
        return None
    return sympy.Add(*(coeff * t ** (e // 2) for (e,), coeff in terms.items()))
