"""Labelled point sets for cluster separation: read from a CSV file, or generated.

Points are exact rationals (a CSV cell ``0.125`` is 1/8 exactly), so that the separation
certificate (:mod:`.separation`) is exact over the given set. Generated sets (seeded, their
coordinates rounded to 3 decimals, exactly representable in the CSV they are written to):

- ``blobs``: C Gaussian blobs (σ = 1) in R^D with centres at least ``2σ(√D + 2) + 2σ`` apart,
  so balls about them separate them;
- ``nested``: cluster ``a`` a ball of radius 1 and cluster ``b`` a shell of radii 2..3 about
  the same centre (``a`` lies inside the convex hull of ``b``: no ball holds ``b`` without
  ``a``), plus C − 2 blobs elsewhere.

The clusters of Noel & Muthiah-Nakarajan, "Quadratic neurons for clustering" (2023,
arXiv:2310.02901) are bounded sets like these.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..core.files import atomic_write
from ..core.limits import integer, one_of, quoted
from ..core.numbers import to_rational
from ..errors import QuadTheoryError

KINDS = ("blobs", "nested")
DIGITS = 3  # generated coordinates are rounded to this many decimals


@dataclass(frozen=True)
class LabelledPoints:
    """Points in R^D (exact rationals) with one label each (strings)."""

    points: tuple[tuple[Fraction, ...], ...]
    labels: tuple[str, ...]
    columns: tuple[str, ...]   # the names of the D coordinates

    def __post_init__(self) -> None:
        if len(self.points) != len(self.labels):
            raise QuadTheoryError(f"labels: expected one per point ({len(self.points)}), found "
                                  f"{len(self.labels)}")
        if not self.points:
            raise QuadTheoryError("points: expected at least two points, found none")
        dims = {len(p) for p in self.points}
        if len(dims) != 1 or dims == {0}:
            raise QuadTheoryError(f"points: expected every point to have the same number >= 1 "
                                  f"of coordinates, found {sorted(dims)}")

    @property
    def dim(self) -> int:
        return len(self.points[0])

    @property
    def clusters(self) -> tuple[str, ...]:
        """The distinct labels, in order of first appearance."""
        return tuple(dict.fromkeys(self.labels))

    def array(self) -> np.ndarray:
        return np.array([[float(v) for v in p] for p in self.points])

    def to_csv(self, label: str = "label") -> str:
        """The points as CSV, ``label`` the last column.

        >>> print(blobs_example().to_csv().splitlines()[0])
        x1,x2,label
        """
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([*self.columns, label])
        for point, name in zip(self.points, self.labels, strict=True):
            writer.writerow([_decimal(v) for v in point] + [name])
        return out.getvalue()

    def save(self, path: str | Path, label: str = "label") -> None:
        atomic_write(path, self.to_csv(label))


def _decimal(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    text = f"{float(value):.{DIGITS + 12}g}"
    return text if Fraction(text) == value else f"{value.numerator}/{value.denominator}"


def labelled_points(points: object, labels: Sequence[object]) -> LabelledPoints:
    """Points (rows of numbers: ints, exact strings, Fractions, or floats read exactly) and
    their labels.

    >>> data = labelled_points([[0, "1/2"], [3, 0.25]], ["a", "b"])
    >>> data.points[1], data.clusters
    ((Fraction(3, 1), Fraction(1, 4)), ('a', 'b'))
    """
    rows = np.asarray(points, dtype=object) if not isinstance(points, np.ndarray) else points
    if rows.ndim != 2:
        raise QuadTheoryError(f"points: expected rows of coordinates (a 2-d array), found shape "
                              f"{tuple(rows.shape)}")
    exact = tuple(tuple(to_rational(v.item() if isinstance(v, np.generic) else v,
                                    f"points[{i}][{j}]", allow_float=True)
                        for j, v in enumerate(row)) for i, row in enumerate(rows))
    if isinstance(labels, str | bytes) or not isinstance(labels, Sequence | np.ndarray):
        raise QuadTheoryError(f"labels: expected one label per point (a list), found "
                              f"{quoted(labels)}")
    names = tuple(str(v.item() if isinstance(v, np.generic) else v) for v in labels)
    columns = tuple(f"x{k}" for k in range(1, rows.shape[1] + 1))
    return LabelledPoints(exact, names, columns)


def read_points(path: str | Path, label: str) -> LabelledPoints:
    """The points of a CSV file with a header row: column ``label`` holds the labels, every
    other column a coordinate (exact decimals or rationals)."""
    try:
        text = Path(path).read_text()
    except OSError as error:
        raise QuadTheoryError(f"{path}: cannot read it ({error.strerror})") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not rows[0]:
        raise QuadTheoryError(f"{path}: expected a header row naming the columns, found an "
                              "empty file")
    header = [h.strip() for h in rows[0]]
    if label not in header:
        raise QuadTheoryError(f"--label {label!r}: not a column of {path}; expected one of "
                              f"{', '.join(header)}")
    at = header.index(label)
    columns = tuple(h for k, h in enumerate(header) if k != at)
    points, labels = [], []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise QuadTheoryError(f"{path}:{line}: expected {len(header)} cells, found "
                                  f"{len(row)}")
        points.append(tuple(to_rational(cell.strip(), f"{path}:{line} column "
                                        f"{header[k]!r}")
                            for k, cell in enumerate(row) if k != at))
        labels.append(row[at].strip())
    if not points:
        raise QuadTheoryError(f"{path}: expected rows of points under the header, found none")
    return LabelledPoints(tuple(points), tuple(labels), columns)


def _rounded(x: np.ndarray) -> list[tuple[Fraction, ...]]:
    scale = 10**DIGITS
    return [tuple(Fraction(round(float(v) * scale), scale) for v in row) for row in x]


def _centres(count: int, dim: int, apart: float, rng: np.random.Generator) -> np.ndarray:
    """``count`` centres at least ``apart`` from each other (rejection in a growing cube)."""
    side = apart * max(1.0, count ** (1 / dim))
    while True:
        for _ in range(200):
            centres = rng.uniform(-side, side, (count, dim))
            gaps = np.linalg.norm(centres[:, None] - centres[None], axis=2)
            if count < 2 or gaps[np.triu_indices(count, 1)].min() >= apart:
                return centres
        side *= 1.5


def cluster_points(kind: str, clusters: int, dim: int, points: int = 30, seed: int = 0
             ) -> LabelledPoints:
    """A generated cluster set (see the module docstring): ``clusters`` clusters of
    ``points`` points each in R^``dim``, labels ``c0, c1, ...`` (``nested``: ``a`` the core,
    ``b`` the shell, then ``c2, ...``).

    >>> data = cluster_points("nested", 3, 2, points=10)
    >>> data.clusters, data.dim, len(data.points)
    (('a', 'b', 'c2'), 2, 30)
    """
    one_of(kind, "kind", KINDS)
    least = 2 if kind == "nested" else 1
    for name, value, low in (("clusters", clusters, max(least, 2)), ("dim", dim, 1),
                             ("points", points, 1)):
        integer(value, name, low)
    rng = np.random.default_rng(seed)
    apart = 2 * (math.sqrt(dim) + 2) + 2
    centres = _centres(clusters, dim, max(apart, 8.0), rng)
    x, labels = [], []
    for k, centre in enumerate(centres):
        if kind == "nested" and k < 2:
            direction = rng.standard_normal((points, dim))
            direction /= np.linalg.norm(direction, axis=1, keepdims=True)
            u = rng.random((points, 1))
            radius = u ** (1 / dim) if k == 0 else 2 + u
            x.append(centres[0] + radius * direction)
            labels += ["a" if k == 0 else "b"] * points
        else:
            x.append(centre + rng.standard_normal((points, dim)))
            labels += [f"c{k}"] * points
    columns = tuple(f"x{k}" for k in range(1, dim + 1))
    return LabelledPoints(tuple(_rounded(np.concatenate(x))), tuple(labels), columns)


def blobs_example() -> LabelledPoints:
    """Three blobs of 5 points in the plane (the doctests' small example)."""
    return cluster_points("blobs", 3, 2, points=5)
