"""The targets of a training cross-check: regression on a polynomial or a radial function,
or one of the paper's synthetic classification tasks, with fixed, seeded data.

Regression: ``TARGET`` a polynomial (on a box, default ``[-1, 1]`` per variable) or
``radial:G`` (``G(‖x‖)`` on the unit ball in ``--dim`` dimensions, inputs ``x1..xD``).
Classification (Fan, Dong, Wu, Ruan, Zeng, Cui, Liao, "One Neuron Saved Is One Neuron Earned",
2023, arXiv:2303.06316, synthetic experiments), two classes each:

- ``task:circles``: two concentric circles, radii 1 and 0.7, Gaussian noise 0.03;
- ``task:spheres``: the same in ``--dim`` dimensions (default 3): spheres of radii 1 and 0.7;
- ``task:gaussians``: an XOR of Gaussian blobs (σ = 0.25) in ``--dim`` dimensions (default 2),
  class 0 at ``±e1``, class 1 at ``±e2``: no linear boundary separates them.

Targets are evaluated in float64 by a dispatch table over the (safely parsed) sympy tree,
never by ``lambdify`` or ``eval``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np
import sympy

from ..core.domain import Box, bounded_box
from ..core.limits import integer, quoted
from ..core.network import Network
from ..core.numbers import format_rational
from ..errors import QuadTheoryError
from ..exact.parse import parse_expression
from ..exact.targets import polynomial_terms, target_expression
from ..quadratic.construct import construct
from ..quadratic.radial import radial

TASKS = ("circles", "spheres", "gaussians")
TASK_SAMPLES = 2000          # the paper's two-circles data set
REGRESSION_SAMPLES = 1000
NOISE, RADIUS_RATIO, BLOB_SIGMA = 0.03, 0.7, 0.25
RADIAL_EPS = Fraction(1, 1000)   # accuracy asked of an approximate radial construction

_UNARY: dict[type, Callable[[np.ndarray], np.ndarray]] = {
    sympy.exp: np.exp, sympy.log: np.log, sympy.sin: np.sin, sympy.cos: np.cos,
    sympy.tan: np.tan, sympy.tanh: np.tanh, sympy.sinh: np.sinh, sympy.cosh: np.cosh,
    sympy.asin: np.arcsin, sympy.acos: np.arccos, sympy.atan: np.arctan, sympy.Abs: np.abs,
    sympy.sign: np.sign}


def numeric(expr: sympy.Expr, names: Sequence[str]) -> Callable[[np.ndarray], np.ndarray]:
    """``expr`` as a float64 function of the columns of an ``(N, len(names))`` array.

    >>> from quadtheory import parse_expression
    >>> f = numeric(parse_expression("x**2*y + exp(-y)"), ["x", "y"])
    >>> f(np.array([[3.0, 0.0], [1.0, 2.0]])).tolist()   # 9*0 + 1, 1*2 + e^-2
    [1.0, 2.135335283236613]
    """
    index = {sympy.Symbol(name): k for k, name in enumerate(names)}

    def walk(e: sympy.Expr) -> Callable[[np.ndarray], np.ndarray]:
        if e.is_Symbol:
            if e not in index:
                raise QuadTheoryError(f"target: unknown variable {e}; expected one of "
                                      f"{', '.join(names)}")
            k = index[e]
            return lambda x: x[:, k]
        if e.is_Number or e in (sympy.pi, sympy.E):
            value = float(e)
            return lambda x: np.full(len(x), value)
        args = [walk(a) for a in e.args]
        if e.is_Add or e.is_Mul:
            op = np.add if e.is_Add else np.multiply
            return lambda x: op.reduce([f(x) for f in args])
        if e.is_Pow:
            base, power = args
            return lambda x: np.power(base(x), power(x))
        if e.func in (sympy.Max, sympy.Min):
            op = np.maximum if e.func is sympy.Max else np.minimum
            return lambda x: op.reduce([f(x) for f in args])
        if e.func in _UNARY:
            function, (inner,) = _UNARY[e.func], args
            return lambda x: function(inner(x))
        raise QuadTheoryError(f"target: cannot evaluate {e.func.__name__}(...) numerically")

    return walk(expr)


@dataclass(frozen=True)
class Task:
    """What a cross-check trains on: inputs, region, labels or target, and the data.

    ``region`` is ``"box"`` (``box`` holds the sides) or ``"ball"`` (radius 1 about 0; ``box``
    is its bounding box). ``expression`` is the regression target (``None`` for classes).

    >>> task = parse_target("x**2")
    >>> task.kind, task.inputs, task.polynomial, task.sample(3, seed=0)[0].shape
    ('regression', ('x',), True, (3, 1))
    """

    text: str
    kind: str
    inputs: tuple[str, ...]
    box: Box
    region: str = "box"
    expression: sympy.Expr | None = None
    polynomial: bool = False
    radial: sympy.Expr | None = None   # G(r) of a radial target

    @property
    def n_inputs(self) -> int:
        return len(self.inputs)

    @property
    def n_outputs(self) -> int:
        return 1 if self.kind == "regression" else 2

    @cached_property
    def function(self) -> Callable[[np.ndarray], np.ndarray]:
        return numeric(self.expression, self.inputs)

    def points(self, count: int, rng: np.random.Generator) -> np.ndarray:
        """``count`` points drawn uniformly from the region."""
        if self.region == "ball":
            direction = rng.standard_normal((count, self.n_inputs))
            direction /= np.linalg.norm(direction, axis=1, keepdims=True)
            return direction * rng.random((count, 1)) ** (1 / self.n_inputs)
        lo, hi = (np.array([float(side[k]) for side in self.box]) for k in (0, 1))
        return lo + (hi - lo) * rng.random((count, self.n_inputs))

    def sample(self, count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
        """``count`` inputs and their targets (float64 column) or labels (int64), from
        ``seed`` alone."""
        rng = np.random.default_rng(seed)
        if self.kind == "regression":
            x = self.points(count, rng)
            return x, self.function(x).reshape(-1, 1)
        return _classes(self.text.removeprefix("task:"), self.n_inputs, count, rng)

    def construction(self) -> Network | None:
        """The quadratic construction: exact for polynomials (and radial G polynomial in r²),
        else certified to :data:`RADIAL_EPS`; ``None`` for classification."""
        if self.kind != "regression":
            return None
        if self.radial is not None:
            return radial(self.radial, self.n_inputs, eps=RADIAL_EPS)
        return construct(self.expression, self.inputs, [list(side) for side in self.box])

    def describe(self) -> str:
        """The region in words.

        >>> parse_target("radial:exp(-r**2)", dim=8).describe()
        'the unit ball in R^8'
        >>> parse_target("task:circles").describe()
        'two concentric circles (radii 1, 0.7, noise 0.03)'
        """
        if self.kind == "classification":
            return {"circles": f"two concentric circles (radii 1, {RADIUS_RATIO}, noise {NOISE})",
                    "spheres": f"two concentric spheres in R^{self.n_inputs} (radii 1, "
                               f"{RADIUS_RATIO}, noise {NOISE})",
                    "gaussians": f"an XOR of Gaussian blobs in R^{self.n_inputs} "
                                 f"(σ {BLOB_SIGMA})"}[self.text.removeprefix("task:")]
        if self.region == "ball":
            return f"the unit ball in R^{self.n_inputs}"
        sides = [f"[{format_rational(lo)}, {format_rational(hi)}]" for lo, hi in self.box]
        return " x ".join(sides) if len(set(sides)) > 1 else (
            sides[0] + ("" if len(sides) == 1 else f"^{len(sides)}"))


def _classes(name: str, dim: int, count: int, rng: np.random.Generator
             ) -> tuple[np.ndarray, np.ndarray]:
    labels = np.arange(count) % 2
    if name == "gaussians":
        centres = np.zeros((count, dim))
        sign = np.where(rng.random(count) < 0.5, -1.0, 1.0)
        centres[np.arange(count), labels] = sign     # class 0 at ±e1, class 1 at ±e2
        return centres + BLOB_SIGMA * rng.standard_normal((count, dim)), labels
    if dim == 2:   # two circles: evenly spaced angles, like the paper's make_circles
        angle = 2 * math.pi * (np.arange(count) // 2) / math.ceil(count / 2)
        direction = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    else:
        direction = rng.standard_normal((count, dim))
        direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    radius = np.where(labels == 0, 1.0, RADIUS_RATIO)[:, None]
    return radius * direction + NOISE * rng.standard_normal((count, dim)), labels


def parse_target(text: str, dim: int | None = None,
                 domain: Sequence[Sequence[object]] | None = None) -> Task:
    """The task a ``TARGET`` names: a polynomial, ``radial:G`` (with ``dim``) or
    ``task:circles|spheres|gaussians``.

    >>> parse_target("x*y + z").inputs, parse_target("task:spheres").inputs
    (('x', 'y', 'z'), ('x1', 'x2', 'x3'))
    >>> parse_target("sin(x)")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    quadtheory.QuadTheoryError: TARGET 'sin(x)': expected a polynomial, radial:G or ...
    """
    if not isinstance(text, str) or not text.strip():
        raise QuadTheoryError(f"TARGET: expected a polynomial, radial:G or task:NAME, "
                              f"found {quoted(text)}")
    text = text.strip()
    if dim is not None:
        integer(dim, "--dim", 1)
    if text.startswith(("task:", "radial:")):
        if domain is not None:
            raise QuadTheoryError(f"--domain: applies to polynomial targets; {text!r} has its "
                                  "own region")
        if text.startswith("task:"):
            return _classification(text, dim)
        return _radial(text, dim)
    if dim is not None:
        raise QuadTheoryError(f"--dim: applies to radial:G and task:spheres|gaussians; the "
                              f"inputs of the polynomial {text!r} are its variables")
    expression, names = target_expression(text, None)
    if not names:
        raise QuadTheoryError(f"TARGET {text!r}: expected a polynomial in at least one "
                              "variable, found a constant")
    try:
        polynomial_terms(expression, names)
    except QuadTheoryError:
        raise QuadTheoryError(f"TARGET {text!r}: expected a polynomial, radial:G or "
                              f"task:{'|'.join(TASKS)}; {expression} is not a polynomial with "
                              "rational coefficients") from None
    return Task(text, "regression", names, bounded_box(domain, names), expression=expression,
                polynomial=True)


def canonical_target(text: str, dim: int | None = None) -> str:
    """``text`` in one spelling for every way of writing the same target: sympy's form of the
    safely parsed expression (``x^2``, ``x**2`` and ``x*x`` are one target; terms in sympy's
    order), ``radial:`` and the form of G, or the task name. Only sympy's automatic
    simplification is applied (``(x+1)**2`` stays apart from ``x**2 + 2*x + 1``: their
    constructions differ); a form that would not parse back to the same target is not used.

    >>> canonical_target("x^2"), canonical_target("x*x"), canonical_target(" y + 0.5*x ")
    ('x**2', 'x**2', 'x/2 + y')
    >>> canonical_target("radial:exp(-r^2)", dim=3), canonical_target("task:circles")
    ('radial:exp(-r**2)', 'task:circles')
    """
    task = parse_target(text, dim)
    if task.kind == "classification":
        return task.text
    form = f"radial:{sympy.sstr(task.radial)}" if task.radial is not None else sympy.sstr(
        task.expression)
    try:
        again = parse_target(form, dim)
    except QuadTheoryError:
        return task.text
    same = (again.expression == task.expression and again.radial == task.radial
            and again.inputs == task.inputs)
    return form if same else task.text


def _classification(text: str, dim: int | None) -> Task:
    name = text.removeprefix("task:")
    if name not in TASKS:
        raise QuadTheoryError(f"TARGET {text!r}: expected task:{'|'.join(TASKS)}")
    if name == "circles" and dim not in (None, 2):
        raise QuadTheoryError(f"--dim: task:circles is two-dimensional, found --dim {dim} "
                              "(task:spheres is the D-dimensional version)")
    n = dim or {"circles": 2, "spheres": 3, "gaussians": 2}[name]
    if name == "gaussians" and n < 2:
        raise QuadTheoryError(f"--dim: task:gaussians needs at least 2 dimensions, found {n}")
    names = tuple(f"x{k}" for k in range(1, n + 1))
    side = (Fraction(-3, 2), Fraction(3, 2))
    return Task(text, "classification", names, (side,) * n)


def _radial(text: str, dim: int | None) -> Task:
    if dim is None:
        raise QuadTheoryError(f"TARGET {text!r}: a radial target needs --dim D (the dimension "
                              "of x)")
    g = parse_expression(text.removeprefix("radial:"), ["r"])
    names = tuple(f"x{k}" for k in range(1, dim + 1))
    r = sympy.sqrt(sympy.Add(*(sympy.Symbol(name) ** 2 for name in names)))
    expression = g.subs(sympy.Symbol("r"), r)
    try:   # G a polynomial in r²: the target is a polynomial of x (r**2 is ‖x‖²)
        polynomial_terms(expression, names)
        polynomial = True
    except QuadTheoryError:
        polynomial = False
    return Task(text, "regression", names, ((Fraction(-1), Fraction(1)),) * dim, region="ball",
                expression=expression, polynomial=polynomial, radial=g)
