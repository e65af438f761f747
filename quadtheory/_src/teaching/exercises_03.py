"""Exercises of notebook 03, what ReLU networks pay (Yarotsky 2017, arXiv:1610.01145): the
sawtooth's pieces, the lower bound ``κh²/(16k²)``, a network within 1/1000 of ``x²``."""

from __future__ import annotations

from fractions import Fraction

from ..bounds.lower import bounds
from ..conventional.pieces import linear_pieces, sup_error
from ..conventional.yarotsky import sawtooth, yarotsky_square
from ..core.domain import interval_text
from .exercise import (
    Exercise,
    Outcome,
    boolean,
    conventional_relu,
    covers,
    integer,
    matches,
    network,
    right,
    wrong,
)

ERROR = Fraction(1, 1000)
UNIT = ((Fraction(0), Fraction(1)),)


def _pieces(answer: object) -> Outcome:
    count = integer(answer, "a number of linear pieces")
    return matches(count, len(linear_pieces(sawtooth(6)).pieces),
                   "qt.linear_pieces(qt.sawtooth(6))")


def _pieces_needed(answer: object) -> Outcome:
    count = integer(answer, "a number of linear pieces")
    return matches(count, bounds("x**2", "1e-4", domain=(0, 1)).pieces_needed,
                   'qt.bounds("x**2", "1e-4", domain=(0, 1)).pieces_needed')


def smallest_yarotsky(error: Fraction) -> tuple[int, int]:
    """The smallest m with ``sup |f_m − x²| <= error`` on [0, 1], and f_m's dense params.

    >>> smallest_yarotsky(Fraction(1, 1000))   # 2^-2m-2 <= 1/1000 from m = 4
    (4, 41)
    """
    m = 1
    while sup_error(yarotsky_square(m), "x**2").upper > error:
        m += 1
    return m, yarotsky_square(m).params.dense


def _within(answer: object) -> Outcome:
    net = network(answer, ("x",))
    conventional_relu(net)
    covers(net, UNIT)
    error = sup_error(net, "x**2", segment=[[0], [1]]).upper
    if error > ERROR:
        return wrong(f"the exact sup error on [0, 1] is {float(error):.3g} > 1/1000")
    m, dense = smallest_yarotsky(ERROR)
    if net.params.dense > dense:
        return wrong(f"{net.params.dense} dense params; f_{m}, the smallest of Yarotsky's "
                     f"f_m within 1/1000, has {dense}: expected at most that")
    return right(f"the exact sup error on {interval_text(0, 1)} is {error} <= 1/1000 "
                 f"(sup_error), with {net.params.dense} dense params <= {dense} (f_{m})")


def _ruled_out(answer: object) -> Outcome:
    said = boolean(answer, "does the lower bound rule it out")
    needed = bounds("x**2", "1e-6", depth=2, domain=(0, 1)).min_params_dense[2]
    return matches(said, needed > 300,
                   'comparing 300 with qt.bounds("x**2", "1e-6", depth=2, domain=(0, 1))'
                   ".min_params_dense[2]")


EXERCISES = (
    Exercise("03.1", "linear pieces of the sawtooth g_6 on [0, 1]",
             "each composition with the tooth doubles the teeth: g_s has 2^(s−1) teeth, two "
             "pieces each",
             _pieces),
    Exercise("03.2", "the lower bound at ε = 1e-4: linear pieces any ReLU network needs for x² "
             "on [0, 1]",
             "k pieces miss a curve of curvature κ over length h by κh²/(16k²) at least; "
             "qt.bounds computes it",
             _pieces_needed),
    Exercise("03.3", "a ReLU network within 1/1000 of x² on [0, 1], no larger than the "
             "smallest Yarotsky f_m that gets there",
             "f_m misses x² by exactly 2^(−2m−2); qt.yarotsky_square(m) builds it",
             _within),
    Exercise("03.4", "does the lower bound rule out every ReLU network with 2 hidden layers "
             "and at most 300 dense params reaching 1e-6 on x² over [0, 1]? (True/False)",
             "qt.bounds(..., depth=2) gives the fewest dense params at that depth: "
             "min_params_dense",
             _ruled_out),
)
