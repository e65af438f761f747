"""The ``compare`` section of ``quadtheory tour``: parametric efficiency as certified numbers.

For ``x²``, ``xy`` and a radial target, one row per ε: the exact quadratic network (Fan et al.
2023), the certified ReLU construction (Yarotsky 2017, arXiv:1610.01145) and the lower bound
on any ReLU network. Quadratic counts stay constant; both ReLU counts grow like log(1/ε).
"""

from __future__ import annotations

import textwrap
import time

from ...bounds.compare import compare

# (target, eps list, options): small enough to run in a few seconds, every number certified.
CASES = (
    ("x**2", ("1e-2", "1e-4", "1e-6"), {}),
    ("x*y", ("1e-2", "1e-4"), {"domain": (0, 1)}),
    ("radial:exp(-r**2)", ("1e-2", "1e-3"), {"dim": 3}),
)


def tour_section() -> str:
    """The compare tables for ``x²``, ``xy`` and ``exp(−‖x‖²)`` in 3 dimensions.

    >>> text = tour_section()   # seconds: tests/bounds/test_compare.py runs it  # doctest: +SKIP
    >>> "ReLU networks pay log(1/ε)" in text, text.count("relu/lower (dense)")  # doctest: +SKIP
    (True, 3)
    """
    start = time.perf_counter()
    parts = ["ReLU networks pay log(1/ε): quadratic vs ReLU params, certified", ""]
    parts.append(textwrap.fill(
        "Per ε: the exact quadratic network (counts dense/nonzero, constant in ε), a ReLU "
        "network built from Yarotsky's sawtooth squares with a certified sup error (exact sup "
        "from its linear pieces for one input, a proved interval bound otherwise), and the "
        "fewest hidden neurons/nonzero weights/dense params ANY ReLU network needs for that ε "
        "(a function with k linear pieces misses a curved target by at least κh²/(16k²); "
        "widths m_i give at most Π(m_i + 1) pieces).", 100))
    for target, eps, options in CASES:
        result = compare(target, list(eps), **options)
        parts += ["", f"{target} on {result.region}", result.table()]
    parts += ["", f"(built and certified in {time.perf_counter() - start:.1f} s)"]
    return "\n".join(parts)
