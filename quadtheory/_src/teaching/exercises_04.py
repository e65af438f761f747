"""Exercises of notebook 04, training against the theory: torch parameter counts of Fan et
al.'s layer (arXiv:2303.06316), a trained ReLU network read back exactly and checked against
the lower bound (Yarotsky 2017, arXiv:1610.01145), the smallest error a network may claim."""

from __future__ import annotations

from fractions import Fraction

from ..conventional.pieces import sup_error
from ..conventional.yarotsky import yarotsky_square
from ..core.limits import shown
from ..core.numbers import format_rational
from ..crosscheck.cells import bound_check
from .exercise import (
    Exercise,
    Outcome,
    conventional_relu,
    covers,
    integer,
    network,
    rational,
    right,
    wrong,
)

TRAINED_ERROR = Fraction(1, 10)
SQUARE = ((Fraction(-1), Fraction(1)),)
# How much below the claimed threshold a violation must appear: the answer is asked exactly.
BELOW = Fraction(1, 10**9)


def _torch_params(answer: object) -> Outcome:
    count = integer(answer, "a number of parameters")
    # torch is heavy: `import quadtheory` stays light, and only this check needs it.
    from quadtheory.nn import QuadraticMLP

    held = sum(p.numel() for p in QuadraticMLP([2, 4, 1]).parameters())
    if count != held:
        return wrong(f"{shown(count)} is not what QuadraticMLP([2, 4, 1]) holds")
    return right(f"{count}, the parameters QuadraticMLP([2, 4, 1]) holds in torch")


def _trained(answer: object) -> Outcome:
    net = network(answer, ("x",))
    if not net.trained:
        return wrong("expected a trained network read back with from_torch (trained=True)")
    conventional_relu(net)
    if net.widths[:-1] != (8,):
        return wrong(f"hidden widths {net.widths[:-1]}; expected ConventionalMLP([1, 8, 1])")
    covers(net, SQUARE)
    error = sup_error(net, "x**2", segment=[[-1], [1]])
    if error.upper >= TRAINED_ERROR:
        return wrong(f"the sup error on [-1, 1] is {float(error.upper):.3g} >= 1/10: train "
                     "longer, or with another seed")
    check = bound_check(net, "x**2", domain="-1:1")
    if check.violations:  # a bug in a bound or in the code, never a student's mistake
        return wrong("the lower bound is violated, which is a bug: please report it: "
                     + "; ".join(check.violations))
    return right(f"sup error {float(error.upper):.3g} < 1/10 on [-1, 1] (sup_error, "
                 f"{'exact' if error.exact else 'enclosed'}), {check.pieces} pieces >= "
                 f"{check.pieces_needed} needed (bound_check: no violation)")


def _threshold(answer: object) -> Outcome:
    claimed = rational(answer, "an error")
    if claimed <= 0:
        return wrong(f"{format_rational(claimed)}: an error is > 0")
    weak = yarotsky_square(2, radius=1)
    at = bound_check(weak, "x**2", claimed, domain="-1:1")
    if at.violations:
        return wrong(f"claiming {format_rational(claimed)} is a violation: {at.violations[0]}")
    below = bound_check(weak, "x**2", claimed * (1 - BELOW), domain="-1:1")
    if not below.violations:
        return wrong(f"{format_rational(claimed)} may be claimed, but so may a smaller error")
    return right(f"bound_check accepts {format_rational(claimed)} and flags anything smaller: "
                 f"{below.violations[0]}")


EXERCISES = (
    Exercise("04.1", "parameters held by QuadraticMLP([2, 4, 1]) in torch",
             "every layer is quadratic, the output layer too: out·(3·in + 3) each",
             _torch_params),
    Exercise("04.2", "a ConventionalMLP([1, 8, 1]) trained on x² over [-1, 1], read back with "
             "from_torch, with sup error below 1/10",
             "a full-batch Adam loop of a few hundred steps in float64 will do; read it back "
             "with from_torch(model, domain=[[-1, 1]])",
             _trained),
    Exercise("04.3", "the smallest error yarotsky_square(2, radius=1) can claim on [-1, 1] "
             "without a violation of the lower bound (exact)",
             "its k pieces miss x² (κ = 2) over [-1, 1] (h = 2) by κh²/(16k²) at least; "
             "count k with qt.linear_pieces",
             _threshold),
)
