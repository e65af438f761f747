"""The resource model: every size a user can ask for, capped before any work is done.

A hostile or mistyped input (``--eps 1e-400``, ``--dim 1000000000``, ``bounds x**10000``) must
end in a one-line error within seconds, not in a MemoryError, a RecursionError or an hour of
computation. Each cap is a named constant here, and :func:`check` is the one way to enforce
one: its error names the quantity, the value asked for, the limit, and the option that raises
the limit where there is one (``--allow-tiny-eps``, ``--max-params``).

The caps are far above what the theory's examples need (Fan et al. 2023, arXiv:2303.06316;
Yarotsky 2017, arXiv:1610.01145): a network with a million exact parameters or a ReLU depth of
a thousand layers is not something a user asks for on purpose.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from fractions import Fraction
from typing import TypeGuard

import numpy as np

from ..errors import QuadTheoryError

MIN_EPS = Fraction(1, 10**15)  # smaller needs --allow-tiny-eps
MAX_EPS = Fraction(10**15)  # a larger error bound is meaningless and overflows floats
MAX_DIM = 1000  # --dim, --dims, --ambient: inputs of a radial or generated target
MAX_VARIABLES = 1000  # variables of a target or a network
MAX_DEGREE = 1000  # total degree of a polynomial target
MAX_TERMS = 100_000  # monomials of an expanded polynomial target
MAX_DEPTH = 100  # bounds --depth: ReLU depths of a lower bound (the search recurses per layer)
MAX_BOUND_PIECES = 100_000  # bounds: pieces whose fewest dense params are searched (--max-pieces)
MAX_BOUND_VARIABLES = 16  # bounds: inputs of a box target (segments searched grow as n²)
MAX_RELU_DEGREE = 12  # relu family: degree of a polynomial target (Yarotsky chains grow fast)
MAX_BOUND_DEGREE = 200  # bounds: degree of a polynomial target (exact curvature per cell)
MAX_TRAIN_DEPTH = 64  # --depths of trained networks
MAX_WIDTH = 4096  # --widths of trained networks
MAX_SEEDS = 1000  # how many seeds one sweep runs
MAX_SEED = 2**32 - 1  # numpy's seed range
MAX_STEPS = 10**7  # --steps, --epochs
MAX_POINTS = 10**7  # --points, --clusters: generated data
MAX_CLI_DIGITS = 1000  # digits of one number on the command line
MAX_LAYERS = 1000  # hidden layers of one construction (sawtooth compositions)
MAX_PIECES = 10**6  # pieces of a piecewise-linear ReLU construction (sawtooth, interpolants)
MAX_EVAL_DIGITS = 100_000  # digits of the exact values one evaluation may build
MAX_SAMPLES = 10**6  # verify_approximation: sampled points (each evaluated in float64)
MAX_EXACT_POINTS = 10_000  # verify_approximation: points checked exactly (each an enclosure)
MAX_TORCH_PARAMS = 10**8  # to_torch, and one torch layer built here: dense params (800 MB)
MAX_CONV_SIZE = 10**6  # a convolution's kernel size, stride, padding or dilation
MAX_TARGET_NEURONS = 1024  # barron_target: neurons of a generated target (1000 inputs: 11 s)


def max_jobs() -> int:
    """Worker processes at most: twice the cores (``os.cpu_count()``).

    >>> max_jobs() == 2 * (os.cpu_count() or 1)
    True
    """
    return 2 * (os.cpu_count() or 1)


def is_integer(value: object, low: int, high: int | None = None) -> TypeGuard[int]:
    """Whether ``value`` is an integer in ``low..high`` (``high`` None: no upper end); a bool
    is not one, though Python counts ``True`` as the int 1.

    >>> is_integer(3, 1), is_integer(True, 1), is_integer(3.0, 1), is_integer(9, 1, 8)
    (True, False, False, False)
    """
    return (isinstance(value, int) and not isinstance(value, bool) and value >= low
            and (high is None or value <= high))


def integer(value: object, name: str, low: int, high: int | None = None, *,
            expected: str | None = None) -> int:
    """``value`` if it is an integer (not a bool) >= ``low``, and at most ``high`` (by
    :func:`check`); else a one-line :class:`QuadTheoryError` quoting it. ``expected`` says
    in the caller's words what was expected, for every way the value can fail (``high``
    included).

    >>> integer(3, "depth", 1)
    3
    >>> integer(True, "depth", 1)
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: depth: expected an integer >= 1, found True
    >>> integer(9, "order", 1, 8, expected="an integer n in 1..8")
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: order: expected an integer n in 1..8, found 9
    """
    if expected is not None:
        if not is_integer(value, low, high):
            raise QuadTheoryError(f"{name}: expected {expected}, found {quoted(value)}")
        return value
    if not is_integer(value, low):
        raise QuadTheoryError(f"{name}: expected an integer >= {low}, found {quoted(value)}")
    if high is not None:
        check(value, high, name)
    return value


def flag(value: object, name: str) -> bool:
    """``value`` as a bool if it is one (a numpy bool too); else a one-line
    :class:`QuadTheoryError` quoting it (``if array:`` would raise numpy's ValueError deep
    inside).

    >>> flag(True, "verify"), flag(np.bool_(False), "verify")
    (True, False)
    >>> flag("no", "verify")
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: verify: expected True or False, found 'no'
    """
    if not isinstance(value, bool | np.bool_):
        raise QuadTheoryError(f"{name}: expected True or False, found {quoted(value)}")
    return bool(value)


def one_of(value: object, name: str, options: Sequence[str], note: str = "") -> str:
    """``value`` if it is one of the strings ``options``; else a one-line
    :class:`QuadTheoryError` naming them and quoting the value (shortened). Tested as a string
    first: ``array in options`` asks numpy for an elementwise truth value, and an unhashable
    value fails a dict's ``in``.

    >>> one_of("relu", "activation", ("relu", "identity"))
    'relu'
    >>> one_of(["relu"], "activation", ("relu", "identity"))
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: activation: expected one of relu, identity, found ['relu']
    """
    if not isinstance(value, str) or value not in options:
        raise QuadTheoryError(f"{name}: expected one of {', '.join(options)}, found "
                              f"{quoted(value)}{note}")
    return value


def check(value: int | Fraction, limit: int | Fraction, what: str, *, raise_with: str = "",
          at_least: bool = False) -> None:
    """Refuse ``value`` beyond ``limit`` (above it, or below it when ``at_least``): a one-line
    :class:`QuadTheoryError` naming what, the value, the limit and how to raise it.

    >>> check(3, 10, "--dim")
    >>> check(20, 10, "--dim")
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: --dim 20 is over the limit 10
    >>> check(Fraction(1, 10**20), MIN_EPS, "--eps", raise_with="--allow-tiny-eps",
    ...       at_least=True)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: --eps 1e-20 is under the limit 1e-15 (...--allow-tiny-eps lifts it)
    """
    if (value < limit) if at_least else (value > limit):
        side = "under" if at_least else "over"
        hint = f" (the limit bounds time and memory; {raise_with} lifts it)" if raise_with else ""
        raise QuadTheoryError(f"{what} {shown(value)} is {side} the limit {shown(limit)}{hint}")


def quoted(value: object) -> str:
    """``repr(value)`` on one line (an array's repr spans several), at most 60 characters,
    for an error message; an integer by :func:`shown`, since Python refuses to spell one of
    more than 4,300 digits (``repr(10**5000)`` raises ValueError, which would replace the
    message with a traceback).

    >>> quoted("no"), quoted(10**5000), quoted(np.array([[1, 2], [3, 4]])), quoted([10**5000])
    ("'no'", '1.00e+5000', 'array([[1, 2], [3, 4]])', '(a list too large to show)')
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return shown(value)
    try:
        text = repr(value)
    except ValueError:  # a container holding such an integer
        text = f"(a {type(value).__name__} too large to show)"
    return " ".join(text.split())[:60]


def shown(value: int | Fraction) -> str:
    """A short spelling of a possibly huge or tiny number.

    >>> shown(7), shown(Fraction(1, 10**15)), shown(10**400), shown(Fraction(1, 3))
    ('7', '1e-15', '1.00e+400', '1/3')
    >>> shown(-10**400), shown(Fraction(10**400, 3))
    ('-1.00e+400', '3.33e+399')
    """
    if isinstance(value, Fraction) and value.denominator != 1:
        if abs(value.numerator) < 10**6 and value.denominator < 10**6:
            return str(value)
        if abs(value) > 10**300:  # beyond a float: its integer part
            return shown(math.floor(value))
        return f"{float(value):.3g}" if abs(value) > Fraction(1, 10**300) else "below 1e-300"
    number = int(value)
    if number.bit_length() < 64:
        return str(number)
    if number < 0:
        return "-" + shown(-number)
    power = int(math.log10(number))  # huge: its leading digits and its power of ten
    return f"{number // 10 ** (power - 2) / 100:.2f}e+{power}"
