"""The domain layer: every spelling of a box parsed by one function, rendered by one."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quadtheory import QuadTheoryError
from quadtheory._src.core.domain import (
    Ball,
    bounded_box,
    domain_text,
    interval_text,
    parse_center,
    parse_domain,
    to_box,
)

F = Fraction
UNIT = (F(-1), F(1))


@pytest.mark.parametrize(("spelling", "expected"), [
    (None, (UNIT, UNIT)),
    ("all", None),
    (" ALL ", None),
    ("0:1/2", ((0, F(1, 2)), (0, F(1, 2)))),
    ("-1/2:0.25", ((F(-1, 2), F(1, 4)), (F(-1, 2), F(1, 4)))),
    ("y=0:1", (UNIT, (0, 1))),
    ("x=0:1, y=-2:2", ((0, 1), (-2, 2))),
    ("0,1", ((0, 1), (0, 1))),                 # crosscheck's old spelling
    ("[0,1],[-2,2]", ((0, 1), (-2, 2))),
    ("[0, 1]", ((0, 1), (0, 1))),
    ((0, "1/2"), ((0, F(1, 2)), (0, F(1, 2)))),
    ([(0, 1), ("-2", 2)], ((0, 1), (-2, 2))),
    (["0:1", "-2:2"], ((0, 1), (-2, 2))),
    ({"x": (0, 1)}, ((0, 1), UNIT)),
    ({"x": "0:1"}, ((0, 1), UNIT)),
])
def test_every_spelling_parses_to_one_box(spelling, expected):
    assert parse_domain(spelling, ["x", "y"]) == expected


@pytest.mark.parametrize(("spelling", "message"), [
    ("1:0", r"domain '1:0': empty interval \[1, 0\]; expected lo < hi"),
    ("0-1", r"domain: expected LO:HI, x=LO:HI,y=LO:HI, all, .* found '0-1'"),
    ("x=0-1", r"expected LO:HI such as -1:1 or 0:1/2, found '0-1'"),
    ("z=0:1", r"'z' is not a variable; expected one of x, y"),
    ("x=0:1,x=0:2", r"x is given twice"),
    ("x0:1", r"domain .x0:1.: expected an exact rational or decimal .*found .x0."),
    ([(0, 1)] * 3, r"expected 2 \(lo, hi\) pairs"),
    (42, r"expected LO:HI, x=LO:HI,y=LO:HI, all"),
    ("a:b", r"domain"),
])
def test_bad_spellings_are_named(spelling, message):
    with pytest.raises(QuadTheoryError, match=message):
        parse_domain(spelling, ["x", "y"])


def test_bounded_box_refuses_all_of_rn():
    with pytest.raises(QuadTheoryError, match="expected a bounded box"):
        bounded_box("all", ["x"])


@given(st.lists(st.tuples(st.fractions(-5, 5, max_denominator=9),
                          st.fractions(F(1, 9), 3, max_denominator=9)), min_size=1, max_size=4))
def test_rendered_boxes_parse_back(sides):
    box = tuple((lo, lo + width) for lo, width in sides)
    names = [f"x{k}" for k in range(len(box))]
    text = ",".join(f"{n}={lo}:{hi}" for n, (lo, hi) in zip(names, box, strict=True))
    assert parse_domain(text, names) == box
    assert to_box([list(side) for side in box], len(box)) == box
    assert domain_text(names, box).count(" in [") == len(box)


def test_renderers():
    assert interval_text(0, F(1, 2)) == "[0, 1/2]"
    assert domain_text(("x",), ((F(0), F(1)),)) == "x in [0, 1]"
    assert str(Ball.of(2, "1, -1/2", 2)) == "‖x − (1, -1/2)‖ ≤ 2"


def test_centres_and_balls():
    assert parse_center("1 2,3") == (1, 2, 3) and parse_center(None) is None
    assert Ball.of(3, None, 1).center == (0, 0, 0)
    with pytest.raises(QuadTheoryError, match=r"center: expected 2 coordinates \(dim = 2\)"):
        Ball.of(2, "1,2,3", 1)
    with pytest.raises(QuadTheoryError, match="radius: expected a positive number, found 0"):
        Ball.of(2, None, 0)
    with pytest.raises(QuadTheoryError, match="dim: expected an integer >= 1"):
        Ball.of(0, None, 1)
