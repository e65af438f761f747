"""Hypothesis strategies shared by the test suite: rationals, layers, networks, points."""

from __future__ import annotations

import functools
import os
from fractions import Fraction

from hypothesis import settings
from hypothesis import strategies as st

from quadtheory import ConventionalLayer, Matrix, Network, QuadraticLayer

NAMES = ("x", "y", "z", "w")

# Examples a property runs in the default and ci profiles (tests/conftest.py); the
# environment variable QUADTHEORY_EXAMPLES multiplies every count (10: a long run).
DEFAULT_EXAMPLES = 30
EXAMPLES_FACTOR = float(os.environ.get("QUADTHEORY_EXAMPLES", "1"))


def examples(n: int) -> int:
    """A test's own example count: n in the default profile, scaled like the loaded profile's
    (``--hypothesis-profile thorough``: 10 n; ``QUADTHEORY_EXAMPLES=F``: F n)."""
    return max(1, round(n * settings().max_examples / DEFAULT_EXAMPLES))


@functools.cache
def rationals(max_num: int = 9, max_den: int = 4, zero_weight: bool = True) -> st.SearchStrategy:
    """num/den with |num| <= max_num and 1 <= den <= max_den; zero half the time where
    ``zero_weight`` (sparse matrices are the common case in constructions)."""
    # One draw from a table, not a one_of of two integer draws, and one strategy object per
    # signature (hypothesis hashes a sampled_from's table for every new object): networks
    # are drawn about twice as fast. The table starts at 0, where hypothesis shrinks to.
    values = [Fraction(n, d) for n in sorted(range(-max_num, max_num + 1), key=abs)
              for d in range(1, max_den + 1)]
    return st.sampled_from([Fraction(0)] * len(values) + values if zero_weight else values)


@st.composite
def matrices(draw, n_rows: int, n_cols: int) -> Matrix:
    return Matrix.from_dense([[draw(rationals()) for _ in range(n_cols)] for _ in range(n_rows)],
                             n_cols)


@st.composite
def layers(draw, n_in: int, n_out: int, kind: str | None = None,
           activation: str | None = None):
    kind = kind or draw(st.sampled_from(["quadratic", "conventional"]))
    activation = activation or draw(st.sampled_from(["relu", "identity"]))
    vector = st.lists(rationals(), min_size=n_out, max_size=n_out).map(tuple)
    if kind == "quadratic":
        return QuadraticLayer(draw(matrices(n_out, n_in)), draw(vector),
                              draw(matrices(n_out, n_in)), draw(vector),
                              draw(matrices(n_out, n_in)), draw(vector), activation)
    return ConventionalLayer(draw(matrices(n_out, n_in)), draw(vector), activation)


@st.composite
def boxes(draw, n: int):
    box = []
    for _ in range(n):
        lo = draw(rationals(zero_weight=False))
        box.append((lo, lo + draw(rationals(max_num=4, zero_weight=False).map(abs))
                    + Fraction(1, 8)))
    return tuple(box)


@st.composite
def networks(draw, max_inputs: int = 3, max_depth: int = 3, max_width: int = 3,
             with_domain: bool | None = None, n_inputs: int | None = None):
    n = n_inputs if n_inputs is not None else draw(st.integers(1, max_inputs))
    depth = draw(st.integers(1, max_depth))
    widths = [draw(st.integers(1, max_width)) for _ in range(depth)]
    stack, width = [], n
    for out in widths:
        stack.append(draw(layers(width, out)))
        width = out
    has_domain = draw(st.booleans()) if with_domain is None else with_domain
    return Network(NAMES[:n], tuple(stack), draw(boxes(n)) if has_domain else None)


@st.composite
def points(draw, network: Network):
    if network.domain is None:
        return [draw(rationals(zero_weight=False)) for _ in network.inputs]
    out = []
    for lo, hi in network.domain:
        t = draw(st.fractions(0, 1, max_denominator=16))
        out.append(lo + t * (hi - lo))
    return out
