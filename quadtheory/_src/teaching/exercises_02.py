"""Exercises of notebook 02, exact polynomial networks (Fan et al., arXiv:2303.06316):
composing neurons by hand, the depth ⌈log2 d⌉, what sharing saves, radial networks."""

from __future__ import annotations

from ..quadratic.construct import construct
from .exercise import Exercise, Outcome, covers, integer, matches, network, proved, wrong

NORM4 = "(x1**2 + x2**2 + x3**2)**2"
# ‖x‖⁴ written out monomial by monomial: construct plans this expanded form over its monomials
# (on the factored form NORM4 it finds the composition itself, as radial does).
NORM4_EXPANDED = ("x1**4 + x2**4 + x3**4 + 2*x1**2*x2**2 + 2*x1**2*x3**2 "
                  "+ 2*x2**2*x3**2")
SHARED = "(1 + x + y + z)**3"


def _quartic(answer: object) -> Outcome:
    net = network(answer, ("x",))
    covers(net, [(-1, 1)])
    if net.neurons > 2:
        return wrong(f"{net.neurons} neurons; expected at most 2")
    return proved(net, "x**4")


def _depth(answer: object) -> Outcome:
    depth = integer(answer, "a number of layers")
    return matches(depth, construct("x**9", verify=False).depth,
                   'qt.construct("x**9").depth')


def _saving(answer: object) -> Outcome:
    saved = integer(answer, "a number of parameters")
    built = construct(SHARED, verify=False)
    return matches(saved, built.meta["naive_params"]["nonzero"] - built.params.nonzero,
                   f'naive minus lean nonzero params of qt.construct("{SHARED}")')


def _norm4(answer: object) -> Outcome:
    net = network(answer, ("x1", "x2", "x3"))
    covers(net, [(-1, 1)] * 3)
    generic = construct(NORM4_EXPANDED, verify=False).params.nonzero
    if net.params.nonzero >= generic:
        return wrong(f"{net.params.nonzero} nonzero params; construct's network of the "
                     f"expanded polynomial has {generic}: expected fewer")
    return proved(net, NORM4)


EXERCISES = (
    Exercise("02.1", "x⁴ on [-1, 1] by hand, with two quadratic neurons",
             "one neuron squares its input; qt.sequential feeds one network into the next",
             _quartic),
    Exercise("02.2", "the depth of construct's exact network for x⁹",
             "L quadratic layers reach degree 2^L at most; the output neuron multiplies too",
             _depth),
    Exercise("02.3", "nonzero parameters saved by sharing in (1 + x + y + z)³, naive minus lean",
             "construct stores both counts: .params and .meta['naive_params']",
             _saving),
    Exercise("02.4", "‖x‖⁴ in 3 dimensions, exactly, with fewer nonzero parameters than "
             "construct's network of the expanded polynomial",
             "‖x‖⁴ = G(‖x‖) with G(r) = r⁴, a polynomial in r²: qt.radial builds it exactly",
             _norm4),
)
