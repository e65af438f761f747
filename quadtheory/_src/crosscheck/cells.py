"""One cell of a training cross-check: train, read back exactly, check against the theory.

A cell (family, hidden depth, width, seed; or the exact construction and its architecture from
other inits) trains an MLP with the honest loop of :mod:`.training` and is read back exactly
(:func:`quadtheory.nn.from_torch`), so that its checks use exact arithmetic: its sup error
(exact for one input and a polynomial target), and, for a conventional network, the ReLU lower
bound at its own error (Yarotsky 2017, arXiv:1610.01145, Thm 6; :class:`BoundCheck`: a trained
network beating it is a violation, a bug in a bound or in the code).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ..bounds.lower import ReluLowerBound, bounds, radial_bounds
from ..conventional.pieces import linear_pieces
from ..conventional.pieces import sup_error as exact_sup_error
from ..core.network import Network, as_network
from ..core.numbers import format_rational, to_rational
from ..errors import QuadTheoryError
from .tasks import REGRESSION_SAMPLES, TASK_SAMPLES, Task, canonical_target, parse_target

FAMILIES = ("quadratic", "conventional")
DEFAULTS = {"widths": (1, 2, 4, 8, 16), "depths": (1, 2, 3), "seeds": 3, "steps": 2000}
QUICK = {"widths": (2, 8), "depths": (1, 2), "seeds": 1, "steps": 300}
DATA_SEEDS = (0, 1)          # training data, test data: the same for every cell
SUP_SAMPLES = 2**14          # the dense sample of a sampled sup error
# "Near zero" for a trained exact construction: Adam's steps stay ~lr·g/ε_Adam while the
# gradient is rounding noise, so the loss stays at rounding level unless training drifts.
NEAR_ZERO_RMSE = 1e-6


@dataclass(frozen=True)
class Setup:
    """What defines a sweep's results: a result is reused only under the same setup.

    ``target`` is kept in its canonical form (:func:`.tasks.canonical_target`), so that
    equivalent spellings are one setup; ``spelling``, the user's, is for display only.

    >>> Setup("x^2") == Setup("x*x"), Setup("x^2").target, Setup("x^2").spelling
    (True, 'x**2', 'x^2')
    >>> Setup("task:circles", dim=2) == Setup("task:circles")
    True
    """

    target: str
    dim: int | None = None
    domain: tuple[tuple[str, str], ...] | None = None
    steps: int = DEFAULTS["steps"]
    lr: float = 1e-2
    quadratic_lr: float = 1e-2
    spelling: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "spelling", self.spelling or str(self.target).strip())
        object.__setattr__(self, "target", canonical_target(self.target, self.dim))
        if self.target.startswith("task:") and self.dim == parse_target(self.target).n_inputs:
            object.__setattr__(self, "dim", None)   # a task's own dimension: none given

    def task(self) -> Task:
        return parse_target(self.target, self.dim, self.domain)

    def as_dict(self) -> dict[str, Any]:
        """What results.json holds (the canonical target; not the spelling)."""
        data = asdict(self)
        del data["spelling"]
        data["domain"] = None if self.domain is None else [list(p) for p in self.domain]
        return data


@dataclass(frozen=True, order=True)
class Cell:
    """One training run. ``kind`` "sweep": an MLP of ``depth`` hidden layers of ``width``;
    "construction": the construction's architecture, ``init`` "construction" (its weights),
    "relinear" or "random"."""

    kind: str
    family: str
    depth: int
    width: int
    seed: int
    init: str

    @property
    def key(self) -> str:
        if self.kind == "construction":
            return f"construction/{self.init}/s{self.seed}"
        return f"{self.family}/d{self.depth}/w{self.width}/s{self.seed}"


def cells(task: Task, families: Sequence[str], depths: Sequence[int], widths: Sequence[int],
          seeds: Sequence[int]) -> list[Cell]:
    """Every cell of a sweep, construction runs first (regression targets only).

    >>> grid = cells(parse_target("x**2"), ["quadratic"], [1], [4], [0])
    >>> len(grid), grid[0].key, grid[1].key, grid[-1].key
    (4, 'construction/construction/s0', 'construction/relinear/s0', 'quadratic/d1/w4/s0')
    """
    out = []
    if task.kind == "regression" and "quadratic" in families:
        out.append(Cell("construction", "quadratic", 0, 0, 0, "construction"))
        out += [Cell("construction", "quadratic", 0, 0, s, init)
                for init in ("relinear", "random") for s in seeds]
    out += [Cell("sweep", family, depth, width, seed,
                 "relinear" if family == "quadratic" else "default")
            for family in families for depth in depths for width in widths
            for seed in seeds]
    return out


# -- one cell ----------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4)
def _prepared(setup: Setup) -> tuple[Task, tuple[np.ndarray, ...]]:
    task = setup.task()
    count = REGRESSION_SAMPLES if task.kind == "regression" else TASK_SAMPLES
    return task, (*task.sample(count, DATA_SEEDS[0]), *task.sample(count, DATA_SEEDS[1]))


@functools.lru_cache(maxsize=4)
def construction(setup: Setup) -> Network | None:
    """The task's quadratic construction (cached per process)."""
    return setup.task().construction()


def _module(setup: Setup, task: Task, cell: Cell) -> Any:
    from quadtheory.nn import to_torch

    from .training import build, reinitialize

    if cell.kind == "construction":
        module = to_torch(construction(setup))
        return module if cell.init == "construction" else reinitialize(module, cell.seed,
                                                                        cell.init)
    widths = [task.n_inputs, *[cell.width] * cell.depth, task.n_outputs]
    return build(cell.family, widths, cell.seed, cell.init)


def run_cell(setup: Setup, cell: Cell) -> dict[str, Any]:
    """Train one cell and measure it: the record written to the results.

    One torch thread, so the numbers do not depend on how many cells run side by side.
    """
    import torch

    from quadtheory.nn import from_torch

    from .training import TrainConfig, accuracy, fit, rmse

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        task, (x, y, x_test, y_test) = _prepared(setup)
        module = _module(setup, task, cell)
        regression = task.kind == "regression"
        start = rmse(module, x_test, y_test) if regression else None
        config = TrainConfig(setup.steps, setup.lr, setup.quadratic_lr, cell.init)
        result = fit(module, x, y, config)
        network = from_torch(module, inputs=task.inputs, domain=task.box)
        record: dict[str, Any] = {
            "key": cell.key, **asdict(cell), "widths": [task.n_inputs, *network.widths],
            "params": network.params.dense, "neurons": network.neurons, "steps": setup.steps,
            "loss_start": _finite(result.loss_start), "loss_end": _finite(result.loss_end),
            "diverged": result.diverged, "seconds": round(result.seconds, 3)}
        if not regression:
            record.update(train_accuracy=accuracy(module, x, y),
                          test_accuracy=accuracy(module, x_test, y_test))
            return record
        record.update(train_rmse=_finite(rmse(module, x, y)),
                      test_rmse=_finite(rmse(module, x_test, y_test)),
                      test_rmse_start=_finite(start))
        if result.diverged:
            return {**record, "sup_error": None, "sup_error_method": "diverged", "bound": None}
        error, method = sup_error(network, task)
        record.update(sup_error=error, sup_error_method=method, bound=None)
        if cell.family == "conventional" and cell.kind == "sweep":
            try:
                record["bound"] = bound_check(network, task).as_dict()
            except QuadTheoryError as why:  # e.g. an affine target: no curvature, no bound
                record["bound_note"] = str(why)
        return record
    finally:
        torch.set_num_threads(threads)


def _finite(value: float) -> float | None:
    """JSON has no inf or nan: a diverged run's numbers are recorded as null."""
    return value if math.isfinite(value) else None


def _sample(task: Task) -> np.ndarray:
    if task.n_inputs == 1:
        (lo, hi), = task.box
        return np.linspace(float(lo), float(hi), SUP_SAMPLES + 1)[:, None]
    return task.points(SUP_SAMPLES, np.random.default_rng(2))


def sup_error(network: Network, task: Task) -> tuple[float, str]:
    """``sup |target − network|`` on the task's region, and how it was found: ``"exact"``
    (a conventional network of one input against a polynomial: its exact pieces) or
    ``"sampled (N points)"`` (a dense grid or sample; a lower estimate of the sup).

    >>> from quadtheory._src.conventional.yarotsky import yarotsky_square
    >>> sup_error(yarotsky_square(2), parse_target("x**2", domain=(0, 1)))   # 2^-6
    (0.015625, 'exact')
    """
    if (task.polynomial and task.n_inputs == 1 and task.region == "box"
            and all(layer.kind == "conventional" for layer in network.layers)):
        return float(exact_sup_error(network, task.expression).upper), "exact"
    points = _sample(task)
    error = np.abs(network.numeric(points)[:, 0] - task.function(points)).max()
    return float(error), f"sampled ({len(points)} points)"


# -- the lower bound ----------------------------------------------------------------------------

@dataclass(frozen=True)
class BoundCheck:
    """A conventional network against the ReLU lower bound at its own error along the
    bound's segment: it must have at least the pieces, neurons and dense parameters that
    error needs (at its depth). Any shortfall is a violation."""

    segment: tuple[tuple[Fraction, ...], tuple[Fraction, ...]]
    error: Fraction
    error_method: str
    pieces: int
    capacity: int
    pieces_needed: int
    neurons: int
    neurons_needed: int
    params: int
    params_needed: int
    violations: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(segment=[[format_rational(v) for v in p] for p in self.segment],
                    error=format_rational(self.error), error_float=float(self.error),
                    violations=list(self.violations))
        return data


def lower_bound(task: Task, eps: Fraction, depth: int | Sequence[int]) -> ReluLowerBound:
    """The ReLU lower bound for the task's target at ``eps`` (a box or its ball)."""
    if task.radial is not None:
        return radial_bounds(task.radial, task.n_inputs, eps, depth=depth)
    return bounds(task.expression, eps, depth=depth,
                  domain=[list(side) for side in task.box], variables=task.inputs)


def _segment_error(network: Network, task: Task, segment: Sequence[Sequence[Fraction]]
                   ) -> tuple[Fraction, str]:
    if task.polynomial:
        return exact_sup_error(network, task.expression, segment).upper, "exact"
    # Not a polynomial: the largest error seen at the breakpoints and a dense grid of s.
    breaks = [float(b) for b in linear_pieces(network, segment).breakpoints]
    s = np.concatenate([np.linspace(0, 1, SUP_SAMPLES + 1), breaks])[:, None]
    p, q = (np.array([float(v) for v in point]) for point in segment)
    points = p + s * (q - p)
    error = np.abs(network.numeric(points)[:, 0] - task.function(points)).max()
    return Fraction(float(error)), f"sampled ({len(points)} points)"


def bound_check(network: Network, task: Task | str, error: object = None, *,
                domain: object = None, dim: int | None = None) -> BoundCheck:
    """Check a conventional one-output network against the ReLU lower bound for ``task`` (a
    target as :func:`quadtheory.crosscheck` takes it, with ``domain`` or ``dim``), at
    ``error`` (default: its own sup error along the bound's segment, exact for polynomial
    targets). A trained network with a violation would be a bug in a bound or in the code.

    >>> from quadtheory import yarotsky_square
    >>> check = bound_check(yarotsky_square(3), "x**2", domain="0:1")
    >>> check.pieces, check.pieces_needed, check.violations   # f_3: 8 pieces, error 2^-8
    (8, 6, ())
    """
    network = as_network(network)
    if isinstance(task, str):
        task = parse_target(task, dim, domain)
    elif not isinstance(task, Task):
        raise QuadTheoryError(f"task: expected a target (a string) or a Task, found "
                              f"{type(task).__name__}")
    hidden = network.widths[:-1]
    segment = lower_bound(task, Fraction(1), max(len(hidden), 1)).segment
    if error is None:
        value, method = _segment_error(network, task, segment)
    else:
        # a float is its exact binary value, as Fraction(error) took it before the check
        value, method = to_rational(error, "error", allow_float=True), "given"
    pieces = len(linear_pieces(network, segment).pieces)
    capacity = math.prod(m + 1 for m in hidden)
    if value <= 0:
        return BoundCheck(segment, value, method, pieces, capacity, 0, sum(hidden), 0,
                          network.params.dense, 0, (
                              "error 0 on a curved target: no piecewise-linear network has it",))
    lower = lower_bound(task, value, max(len(hidden), 1))
    need_params = lower.min_params_dense[max(len(hidden), 1)] if hidden else 0
    found = BoundCheck(segment, value, method, pieces, capacity, lower.pieces_needed,
                       sum(hidden), lower.min_neurons, network.params.dense, need_params)
    what = f"error {float(value):.3g} ({method}) along the segment needs"
    violations = [f"{n} {name}, but {what} >= {k}" for n, k, name in (
        (pieces, found.pieces_needed, "linear pieces along the segment"),
        (capacity, found.pieces_needed, "pieces at most (prod(m_i + 1) of its widths)"),
        (found.neurons, found.neurons_needed, "hidden neurons"),
        (found.params, found.params_needed, "dense params")) if n < k]
    return BoundCheck(**{**asdict(found), "segment": segment, "violations": tuple(violations)})


