"""Every public function validates its arguments (issue 14, part 4): called with None, a list,
bytes, NaN, inf, a negative number or a numpy array in place of its first argument (and of
``eps`` where it takes one), it succeeds or raises a one-line ``QuadTheoryError`` naming the
parameter, never an AttributeError, TypeError, ValueError or OverflowError from deep inside.

``GAPS`` lists the calls that still fail this (strict xfail: fixing one makes the test say
so, and the entry must go).
"""

from __future__ import annotations

import contextlib
import inspect
import math
import signal
from fractions import Fraction

import numpy as np
import pytest

import quadtheory as qt
import quadtheory.nn as qnn

BAD = {"None": None, "list": [1, 2], "bytes": b"x**2", "nan": math.nan, "inf": math.inf,
       "negative": -3, "array": np.array([1.0, 2.0]), "bool": True,
       "enormous": -(10**5000)}  # past the 4,300 digits Python spells: no repr in a message

NET = qt.construct("x**2", verify=False)
LAYER = NET.layers[0]

# name -> valid arguments; the first is replaced by each bad value. Training and data commands
# (crosscheck, study, separate, bearing, pilot) are exercised by tests/test_fuzz.py's CLI runs.
CALLS = {
    "all_quadratic": (NET,), "as_quadratic": (LAYER,), "barron_target": (2,),
    "bounds": ("x**2", "1/10"), "compare": ("x**2", ["1/10"]), "construct": ("x**2",),
    "construction_report": (NET,), "linear_pieces": (NET,), "min_dense_params": (8, 1, 1),
    "network_polynomials": (NET,), "parallel": (NET,), "parse_expression": ("x",),
    "pieces": (NET,), "radial": ("1-r**2", 2), "radial_bounds": ("r**2", 2, "1/10"),
    "readout": (NET, [1]), "relu_construct": ("x**2", "1/10"),
    "relu_radial": ("r**2", 1, "1/10"), "sawtooth": (2,), "sequential": (NET,),
    "sup_error": (NET, "x**2"), "taylor_counts": (2, 2, "1/10"), "to_json": (NET,),
    "to_latex": (NET,), "verify": (NET, "x**2"), "verify_approximation": (NET, "x**2", "1/10"),
    "yarotsky_square": (1,), "from_json": (qt.to_json(NET),), "load": ("net.json",),
    "rates_report": (None,), "split_identity": (LAYER, LAYER), "monomial_counts": ("relu",),
    "dense_polynomial_counts": ("relu",), "plot_rates": (None,), "plot_comparison": (None,),
    "chebyshev_index_plan_exists": (17, 10, 7),
    # Only their first argument is replaced by a bad value, so nothing trains or reads data.
    "bearing": ("/nonexistent",), "study": ("radial",),
}
NN_CALLS = {"QuadraticMLP": ([1, 2, 1],), "ConventionalMLP": ([1, 2, 1],),
            "QuadraticLinear": (2, 1), "to_torch": (NET,)}
EPS_AT = {"bounds": 1, "radial_bounds": 2, "relu_construct": 1, "relu_radial": 2,
          "taylor_counts": 2, "verify_approximation": 2}

GAPS: set[tuple[str, str, str]] = set()


class _Hang(BaseException):
    pass


@contextlib.contextmanager
def _limit(seconds: float = 10):
    def expire(signum, frame):
        raise _Hang

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _call(function, args, parameter: str) -> None:
    try:
        with _limit():
            function(*args)
    except qt.QuadTheoryError as error:
        assert "\n" not in str(error)
        # named, or (a number is a valid constant target) refused for what it means
        assert parameter in str(error) or "curvature" in str(error), (parameter, str(error))
    except _Hang:
        pytest.fail(f"{function.__name__}{args!r:.80} ran longer than 10 s")


CASES = [(module, name, where, bad)
         for module, table in ((qt, CALLS), (qnn, NN_CALLS)) for name in table
         for where in (["first"] + (["eps"] if name in EPS_AT else []))
         for bad in BAD]


@pytest.mark.parametrize("module, name, where, bad", [
    pytest.param(*case, id=f"{case[1]}-{case[2]}-{case[3]}",
                 marks=[pytest.mark.xfail(strict=True)] if case[1:] in GAPS else [])
    for case in CASES])
def test_public_functions_refuse_bad_arguments_cleanly(module, name, where, bad):
    args = list((CALLS if module is qt else NN_CALLS)[name])
    at = 0 if where == "first" else EPS_AT[name]
    args[at] = BAD[bad]
    function = getattr(module, name)
    _call(function, args, list(inspect.signature(function).parameters)[at])


# Options beyond the first argument, each given a bad value by keyword (or in its place):
# (function, valid arguments, the parameter replaced). Found by sending every bad value below
# to each (benchmarks/hostile.py --only keyword): numpy arrays reached `option in OPTIONS`
# and `if verify:` (an elementwise truth value), a huge
# `dim`, `samples` or `neurons` ran out of memory, `depth=nan` and `labels=None` raised
# TypeError, `bound="1e400"` an OverflowError.
MORE_BAD = {**BAD, "huge": 10**12, "fraction": Fraction(-1, 3), "text": "abc", "dict": {}}
OPTIONS = [
    ("construct", ("x**2",), "domain"), ("construct", ("x**2",), "variables"),
    ("construct", ("x**2",), "activation"), ("construct", ("x**2",), "objective"),
    ("construct", ("x**2",), "max_params"), ("construct", ("x**2",), "backend"),
    ("radial", ("1-r**2", 2), "method"), ("radial", ("1-r**2", 2), "center"),
    ("radial", ("1-r**2", 2), "radius"), ("radial", ("1-r**2",), "dim"),
    ("bounds", ("x**2", "1/10"), "depth"), ("bounds", ("x**2", "1/10"), "max_pieces"),
    ("taylor_counts", (2, 3, "1/100"), "bound"), ("taylor_counts", (2, 3), "eps"),
    ("manifold_construct", ("x**2",), "manifold"),
    ("verify_approximation", (NET, "x**2", "1/10"), "samples"),
    ("verify_approximation", (NET, "x**2", "1/10"), "exact_points"),
    ("verify", (NET, "x**2"), "backend"), ("network_polynomials", (NET,), "backend"),
    ("barron_target", (2,), "neurons"), ("bound_check", (NET,), "task"),
    ("separate", ([[0, 0], [1, 1]],), "labels"), ("PolynomialRing", (), "names"),
    # flags (an array reached `if verify:`), the sampling seed, a given error
    ("construct", ("x**2",), "verify"), ("construct", ("x**2",), "naive"),
    ("construct", ("x**2",), "all_quadratic"), ("radial", ("1-r**2", 2), "verify"),
    ("yarotsky_square", (2,), "shifted"), ("monomial_counts", (), "power"),
    ("network_polynomials", (NET,), "keep_hidden"),
    ("taylor_rates", ("exp(x)", ["1/10"]), "lower_bounds"),
    ("verify_approximation", (NET, "x**2", "1/10"), "seed"),
    ("bound_check", (qt.yarotsky_square(2), "x**2"), "error"),
]
TAIL = {"manifold_construct": {"ambient_dim": 2, "eps": "1/10"}, "bound_check": {"domain": "0:1"}}


@pytest.mark.parametrize("name, args, parameter, bad", [
    pytest.param(name, args, parameter, bad, id=f"{name}-{parameter}-{bad}")
    for name, args, parameter in OPTIONS for bad in MORE_BAD])
def test_options_refuse_bad_values_cleanly(name, args, parameter, bad):
    function = getattr(qt, name)
    kwargs = {**TAIL.get(name, {}), parameter: MORE_BAD[bad]}
    try:
        with _limit():
            function(*args, **kwargs)
    except qt.QuadTheoryError as error:
        assert "\n" not in str(error)
        # named, or a valid value refused for what it means ("abc" is a target of no curvature)
        assert parameter in str(error) or any(
            word in str(error) for word in ("variable", "curvature")), (parameter, str(error))
    except _Hang:
        pytest.fail(f"{name}({parameter}={MORE_BAD[bad]!r:.40}) ran longer than 10 s")


@pytest.mark.parametrize("bad", ["abc", {}, b"x", [["a"]]])
def test_numeric_refuses_non_numbers(bad):
    with pytest.raises(qt.QuadTheoryError, match="points: expected numbers"):
        NET.numeric(bad)
