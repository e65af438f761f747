"""Sparse exact multivariate polynomials over QQ, behind one small interface.

Two interchangeable backends: sympy's sparse ``ring`` (always there) and python-flint's
``fmpq_mpoly`` (used when installed: much faster). Tests cross-check one against the other.
python-flint takes ASCII names only, so its generators are named ``v0, v1, ...`` inside; the
ring keeps the variables' own names (``θ`` works like ``x``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Any

import sympy
from sympy import QQ
from sympy.polys.rings import ring

from ..core import limits
from ..core.limits import one_of, quoted
from ..errors import QuadTheoryError

BACKENDS = ("sympy", "flint")


def available_backends() -> tuple[str, ...]:
    """The backends that can run here, fastest first.

    >>> "sympy" in available_backends()
    True
    """
    try:
        import flint  # noqa: F401
    except ImportError:
        return ("sympy",)
    return ("flint", "sympy")


class PolynomialRing:
    """QQ[x1..xn] in one backend: generators, constants, scaling and term iteration.

    >>> R = PolynomialRing(("x", "y"), "sympy")
    >>> x, y = R.gens
    >>> sorted(R.terms((x + y) ** 2))
    [((0, 2), Fraction(1, 1)), ((1, 1), Fraction(2, 1)), ((2, 0), Fraction(1, 1))]
    """

    def __init__(self, names: Sequence[str], backend: str = "auto") -> None:
        if one_of(backend, "backend", ("auto", *BACKENDS)) == "auto":
            backend = available_backends()[0]
        if isinstance(names, str) or not isinstance(names, Sequence) or not all(
                isinstance(name, str) and name for name in names):
            raise QuadTheoryError(f"names: expected a list of variable names, found "
                                  f"{quoted(names)}")
        limits.check(len(names), limits.MAX_VARIABLES, "variables")
        self.names = tuple(names)
        self.backend = backend
        if backend == "flint":
            try:
                import flint
            except ImportError:
                raise QuadTheoryError("backend 'flint' needs python-flint: "
                                      "pip install python-flint") from None
            # Internal ASCII names: flint encodes names as ASCII (θ would raise).
            self._ctx = flint.fmpq_mpoly_ctx.get(tuple(f"v{k}" for k in range(len(self.names))),
                                                 "lex")
            self._scalar = flint.fmpq
            self.gens = tuple(self._ctx.gens())
            self._zero = self._ctx.constant(0)
        else:
            self._ring, *gens = ring(",".join(self.names), QQ) if self.names else (
                ring("", QQ)[0],)
            self._scalar = QQ
            self.gens = tuple(gens)
            self._zero = self._ring(0)

    def number(self, value: Fraction) -> Any:
        """``value`` as a coefficient of this ring (convert once, use many times)."""
        return self._scalar(value.numerator, value.denominator)

    def constant(self, value: Fraction) -> Any:
        """The constant polynomial ``value``."""
        return self._zero + self.number(value)

    def scale(self, poly: Any, value: Fraction) -> Any:
        """``value * poly``."""
        return poly * self.number(value)

    def linear(self, terms: Sequence[tuple[Fraction, Any]], constant: Fraction) -> Any:
        """``sum(a * p for a, p in terms) + constant``.

        >>> R = PolynomialRing(("x", "y"), "sympy"); x, y = R.gens
        >>> R.linear([(Fraction(2), x), (Fraction(-1), y)], Fraction(1, 2))
        2*x - y + 1/2
        """
        return self.combine([(self.number(a), p) for a, p in terms], self.number(constant))

    def combine(self, terms: Sequence[tuple[Any, Any]], constant: Any) -> Any:
        """``sum(a * p) + constant`` for coefficients already in the ring (:meth:`number`),
        summed pairwise: long sums cost n log n term copies, not n²."""
        parts = [p if a == 1 else p * a for a, p in terms]
        if not parts:
            return self._zero + constant
        while len(parts) > 1:
            pairs = range(0, len(parts) - 1, 2)
            parts = [parts[i] + parts[i + 1] for i in pairs] + (
                [parts[-1]] if len(parts) % 2 else [])
        return parts[0] + constant if constant else parts[0]

    def terms(self, poly: Any) -> Iterator[tuple[tuple[int, ...], Fraction]]:
        """``(exponents, coefficient)`` pairs of the nonzero terms."""
        if self.backend == "flint":
            pairs: Any = zip(poly.monoms(), poly.coeffs())
        else:
            pairs = poly.terms()
        for monom, coeff in pairs:
            yield tuple(map(int, monom)), Fraction(int(coeff.numerator), int(coeff.denominator))

    def degree(self, poly: Any) -> int:
        """Total degree (-1 for the zero polynomial)."""
        if self.backend == "flint":
            return -1 if poly.is_zero() else int(poly.total_degree())
        return max((sum(m) for m in poly.monoms()), default=-1)

    def items(self, poly: Any) -> Iterator[tuple[tuple[int, ...], Any]]:
        """``(exponents, coefficient)`` pairs with coefficients as given by the backend
        (no conversion to ``Fraction``: for the hot loops of the proofs)."""
        if self.backend == "flint":
            return zip(poly.monoms(), poly.coeffs())
        return iter(poly.terms())

    def length(self, poly: Any) -> int:
        """Number of nonzero terms."""
        return len(poly.monoms()) if self.backend == "flint" else len(poly)

    def from_sympy(self, expr: Any) -> Any:
        """A sympy polynomial expression as a ring element, built by walking the expression
        tree with sparse arithmetic (never ``sympy.expand`` of the whole thing).

        >>> import sympy
        >>> x, y = sympy.symbols("x y")
        >>> R = PolynomialRing(("x", "y"), "sympy")
        >>> R.from_sympy((x + y / 2) ** 2) == (R.gens[0] + R.scale(R.gens[1], Fraction(1, 2))) ** 2
        True
        """
        index = {name: k for k, name in enumerate(self.names)}

        def walk(e: sympy.Expr) -> Any:
            if e.is_Rational:
                return self.constant(Fraction(int(e.p), int(e.q)))
            if e.is_Symbol and e.name in index:
                return self.gens[index[e.name]]
            if e.is_Add:
                # Pairwise: adding thousands of terms one by one copies the sum each time.
                parts = [walk(a) for a in e.args]
                while len(parts) > 1:
                    parts = [sum(parts[i:i + 2], self._zero) for i in range(0, len(parts), 2)]
                return parts[0] if parts else self._zero
            if e.is_Mul:
                prod = self.constant(Fraction(1))
                for a in e.args:
                    prod *= walk(a)
                return prod
            if e.is_Pow and e.exp.is_Integer and e.exp.p >= 0:
                return walk(e.base) ** int(e.exp)
            raise QuadTheoryError(
                f"{e} is not a polynomial with rational coefficients in {', '.join(self.names)}")

        if not isinstance(expr, sympy.Basic):
            raise QuadTheoryError(f"expected a sympy expression, found {quoted(expr)}")
        return walk(expr)
