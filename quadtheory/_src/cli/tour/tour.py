"""The content of ``quadtheory tour``: the claims of the paper, built and proved on the spot.

Fan, Dong, Wu, Ruan, Zeng, Cui, Liao, "One Neuron Saved Is One Neuron Earned: On Parametric
Efficiency of Quadratic Networks" (2023): a quadratic neuron represents squares, products and
``‖x‖²`` exactly, which a conventional ReLU network (piecewise linear) never does; ReLU
networks approximate ``x²`` to error ε with O(log 1/ε) neurons (Yarotsky 2017,
arXiv:1610.01145).

The tour is :data:`SECTIONS`, a tuple of functions run in order; each returns a
:class:`Block`, its text and the certificates behind it. Later parts of quadtheory add a
section by appending a function. ``quadtheory tour`` fails unless every certificate holds.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .block import Block, fit
from .compare import tour_section as compare_section
from .construct import tour_block as construct_block
from .crosscheck import tour_block as crosscheck_block
from .dimension import tour_block as dimension_block
from .products import exact_products, introduction
from .radial import tour_section as radial_section
from .theorems import tour_section as theorems_section


def polynomials() -> Block:
    """Lean vs naive exact networks for a few polynomials (issue: constructions)."""
    return construct_block()


def radial_functions() -> Block:
    """Radial targets: params linear in the dimension. Every network there is certified
    when it is built (``radial`` raises rather than return an uncertified network)."""
    return Block(radial_section())


def quadratic_vs_relu() -> Block:
    """The paper's claim as numbers: quadratic params constant in ε, ReLU's growing, and the
    lower bound for any ReLU network."""
    return Block(compare_section())


def approximation_theorems() -> Block:
    """The real-space and manifold theorems, both families, built and certified."""
    return theorems_section()


def training_cross_check() -> Block:
    """A small training cross-check: trained networks against the proven bounds."""
    return crosscheck_block()


def separation_and_dimension() -> Block:
    """Clusters separated by ball neurons (exhaustive); the Barron-class norm (exact)."""
    return dimension_block()


NEXT = "\n".join([
    "next:",
    "  quadtheory construct EXPR [--family relu --eps E]   a certified network for your target",
    "  quadtheory radial G --dim D [--eps E]                G(‖x − c‖) on a ball",
    "  quadtheory bounds EXPR --eps E                       what any ReLU network needs",
    "  quadtheory compare EXPR --eps E1 E2 ...              quadratic vs ReLU vs the lower bound",
    "  quadtheory crosscheck EXPR [--quick]                 training against the theory",
    "  quadtheory separate DATA --label COL                 clusters by quadratic ball neurons",
    "  quadtheory study radial|barron [--quick]             quadratic vs ReLU as D grows",
    "  quadtheory bearing --data DIR --quick                the paper's bearing experiment (CWRU)",
    "  quadtheory pilot DATA.csv --target COL [--quick]     do quadratic neurons pay on your table",
    "  quadtheory prove                                     the proofs/ modules, checked",
    "  quadtheory notebooks                                 the course (notebooks/01..)",
    "  docs/index.md                                        the documentation",
])

SECTIONS: tuple[Callable[[], Block], ...] = (
    introduction, exact_products, polynomials, radial_functions, quadratic_vs_relu,
    training_cross_check, approximation_theorems, separation_and_dimension)


def run_tour() -> tuple[str, bool]:
    """Every section's text, blank-line separated, and whether every certificate holds
    (the tour is long: ``tests/cli/test_cli.py`` runs it once)."""
    start = time.perf_counter()
    blocks = [section() for section in SECTIONS]
    holds = all(block.holds for block in blocks)
    count = sum(len(block.certificates) for block in blocks)
    verdict = (f"All {count} certificates hold" if holds else
               f"FAILED: {sum(not c for b in blocks for c in b.certificates)} of {count} "
               "certificates do not hold")
    footer = f"{verdict} ({time.perf_counter() - start:.1f} s)."
    return "\n\n".join([*(fit(block.text) for block in blocks), footer, NEXT]), holds
