"""The closed-form counts equal what ``construct`` builds through monomials (or bound it,
where stated); of one variable, construct may build smaller (split plans)."""

from __future__ import annotations

import contextlib
import functools
import itertools
from fractions import Fraction

import pytest
import sympy

from quadtheory import QuadTheoryError
from quadtheory._src.quadratic.closed_forms import dense_polynomial_counts, monomial_counts
from quadtheory._src.quadratic.construct import _expanded, _size, construct
from quadtheory._src.quadratic.realize import Unrealizable, realize_rows


def built(expr: sympy.Expr, names: list[str], activation: str) -> dict[str, int]:
    # Verification is tested in test_construct; here only the structure counts.
    net = construct(expr, names, activation=activation, verify=False)
    return {"depth": net.depth, "dense": net.params.dense, "nonzero": net.params.nonzero}


def through_monomials(expr: sympy.Expr, names: list[str], activation: str) -> dict[str, int]:
    """The counts of construct's choice among its expanded (monomial) plans alone."""
    poly = sympy.Poly(expr, *sympy.symbols(names))
    terms = {m: Fraction(int(c.p), int(c.q)) for m, c in poly.terms()}
    box = [(Fraction(-1), Fraction(1))] * len(names)
    found = []
    for candidate in _expanded(terms, len(names), box, activation):
        with contextlib.suppress(Unrealizable):  # construct skips those too
            found.append(realize_rows(candidate.plan, box, activation).counts())
    counts = min(found, key=lambda c: _size(c, "params"))
    return {"depth": counts.depth, "dense": counts.params.dense,
            "nonzero": counts.params.nonzero}


@functools.cache
def dense_polynomial(n: int, d: int, activation: str) -> dict[str, int]:
    xs = sympy.symbols(f"x1:{n + 1}")
    monomials = [sympy.Mul(*(x**e for x, e in zip(xs, exps)))
                 for exps in itertools.product(range(d + 1), repeat=n) if sum(exps) <= d]
    names = [str(x) for x in xs]
    target = sympy.Add(*monomials)
    if n == 1 and d >= 1:
        # construct may build one variable smaller than through monomials (split plans).
        lean, chosen = through_monomials(target, names, activation), built(target, names,
                                                                             activation)
        assert (chosen["nonzero"], chosen["dense"]) <= (lean["nonzero"], lean["dense"])
        return lean
    return built(target, names, activation)


@pytest.mark.slow
@pytest.mark.parametrize("activation", ["identity", "relu"])
def test_dense_polynomial_counts_match_for_n_le_4_d_le_8(activation):
    counts = dense_polynomial_counts(activation)
    for n, d in itertools.product(range(1, 5), range(9)):
        got, want = counts.at(n=n, d=d), dense_polynomial(n, d, activation)
        assert (got["depth"], got["dense"]) == (want["depth"], want["dense"]), (n, d)
        if counts.nonzero_exact:
            assert got["nonzero"] == want["nonzero"], (n, d)
        else:
            assert got["nonzero"] >= want["nonzero"], (n, d)
    assert counts.nonzero_exact == (activation == "identity")


@pytest.mark.parametrize("activation", ["identity", "relu"])
@pytest.mark.parametrize("top", [8, pytest.param(16, marks=pytest.mark.slow)])
def test_monomial_counts_match_for_d_up_to(activation, top):
    exact, power = monomial_counts(activation), monomial_counts(activation, power=True)
    for d in range(1 if top == 8 else 9, top + 1):
        xs = sympy.symbols(f"x1:{d + 1}")
        assert exact.at(d=d) == built(sympy.Mul(*xs), [str(x) for x in xs], activation), d
        got, want = power.at(d=d), built(sympy.Symbol("x") ** d, ["x"], activation)
        assert got["depth"] == want["depth"]
        if d & (d - 1) == 0:  # a power of two: exact
            assert got == want, d
        else:
            assert got["dense"] >= want["dense"] and got["nonzero"] >= want["nonzero"], d


def test_depth_is_the_lower_bound_or_one_more():
    counts = dense_polynomial_counts("relu")
    for n, d in itertools.product(range(1, 5), range(2, 9)):
        depth = counts.at(n=n, d=d)["depth"]
        assert (d - 1).bit_length() <= depth <= (d - 1).bit_length() + 1


def test_counts_are_sympy_expressions():
    counts = dense_polynomial_counts("identity")
    d, n = sympy.symbols("d n", integer=True, nonnegative=True)
    assert counts.dense.free_symbols <= {d, n} | counts.dense.atoms(sympy.Dummy)
    assert isinstance(monomial_counts().depth, sympy.Piecewise)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: monomial_counts("tanh"), r"activation: expected one of relu, identity"),
    (lambda: monomial_counts().at(m=3), r"at: unknown symbol 'm'; expected d or n"),
])
def test_errors(call, message):
    with pytest.raises(QuadTheoryError, match=message):
        call()
