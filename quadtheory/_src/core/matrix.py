"""Sparse exact matrices: the weights of one layer.

Constructions are sparse (a product neuron reads two or three inputs out of hundreds), so a
matrix keeps, per row, only its nonzero ``(column, value)`` pairs. The ``nonzero`` parameter
count and the sparse JSON form fall out of that directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np

from ..errors import QuadTheoryError
from .limits import is_integer, quoted
from .numbers import fast, to_rational

Row = tuple[tuple[int, Fraction], ...]
# Matrices with more entries than this, and under a tenth of them nonzero, evaluate in floats
# through a sparse array (Matrix.operator).
SPARSE_FROM = 10**6
Vector = tuple[Fraction, ...]


@dataclass(frozen=True)
class Matrix:
    """An ``out x in`` matrix of exact rationals, stored as sorted nonzero entries per row.

    >>> m = Matrix.from_dense([[1, 0], ["1/2", 0]])
    >>> m.shape, m.nonzero, m.dense()
    ((2, 2), 2, [[Fraction(1, 1), Fraction(0, 1)], [Fraction(1, 2), Fraction(0, 1)]])
    """

    shape: tuple[int, int]
    rows: tuple[Row, ...]

    def __post_init__(self) -> None:
        shape = self.shape
        if not (isinstance(shape, tuple) and len(shape) == 2
                and all(is_integer(n, 0) for n in shape)):
            raise QuadTheoryError(f"shape: expected (rows, columns), two integers >= 0, found "
                                  f"{quoted(shape)}")
        n_rows, n_cols = shape
        if not isinstance(self.rows, tuple) or not all(isinstance(r, tuple) for r in self.rows):
            raise QuadTheoryError("rows: expected a tuple of rows of (column, Fraction) pairs; "
                                  "build a matrix from lists with Matrix.from_dense(...)")
        for i, row in enumerate(self.rows):
            for entry in row:
                if not (isinstance(entry, tuple) and len(entry) == 2 and type(entry[0]) is int
                        and isinstance(entry[1], Fraction)):
                    raise QuadTheoryError(f"row {i}: expected (column, Fraction) pairs, found "
                                          f"{entry!r:.80}")
        if len(self.rows) != n_rows:
            raise QuadTheoryError(f"expected {n_rows} rows, found {len(self.rows)}")
        for i, row in enumerate(self.rows):
            columns = [j for j, _ in row]
            if columns != sorted(set(columns)) or any(not 0 <= j < n_cols for j in columns):
                raise QuadTheoryError(
                    f"row {i}: expected sorted distinct columns in 0..{n_cols - 1}, found {columns}"
                )
            if any(v == 0 for _, v in row):
                raise QuadTheoryError(f"row {i}: explicit zero entries are not stored")

    @classmethod
    def zeros(cls, n_rows: int, n_cols: int) -> Matrix:
        """The zero matrix.

        >>> Matrix.zeros(2, 3).nonzero
        0
        """
        return cls((n_rows, n_cols), ((),) * n_rows)

    @classmethod
    def identity(cls, n: int) -> Matrix:
        """The ``n x n`` identity.

        >>> Matrix.identity(2).dense()[1]
        [Fraction(0, 1), Fraction(1, 1)]
        """
        return cls((n, n), tuple(((i, Fraction(1)),) for i in range(n)))

    @classmethod
    def from_dense(
        cls,
        rows: Sequence[Sequence[object]],
        n_cols: int | None = None,
        *,
        allow_float: bool = False,
        where: str = "matrix",
    ) -> Matrix:
        """A matrix from a list of rows of NUMBERs (``n_cols`` is needed when there are no rows).

        >>> Matrix.from_dense([[0, "3/4"]]).rows
        (((1, Fraction(3, 4)),),)
        """
        if isinstance(rows, str | bytes) or not isinstance(rows, Sequence):
            raise QuadTheoryError(f"{where}: expected a list of rows, found {quoted(rows)}")
        widths = {len(r) if isinstance(r, Sequence) and not isinstance(r, str) else -1
                  for r in rows}
        if -1 in widths:
            raise QuadTheoryError(f"{where}: expected every row to be a list of numbers")
        if n_cols is None:
            n_cols = widths.pop() if len(widths) == 1 else max(widths, default=0)
        for i, row in enumerate(rows):
            if len(row) != n_cols:
                raise QuadTheoryError(
                    f"{where}[{i}]: expected {n_cols} columns, found {len(row)}")
        return cls((len(rows), n_cols), tuple(
            tuple((j, v) for j, x in enumerate(row)
                  if (v := to_rational(x, f"{where}[{i}][{j}]", allow_float=allow_float)) != 0)
            for i, row in enumerate(rows)))

    @classmethod
    def from_entries(
        cls,
        shape: tuple[int, int],
        entries: Iterable[tuple[int, int, object]],
        *,
        allow_float: bool = False,
        where: str = "matrix",
    ) -> Matrix:
        """A matrix from ``(i, j, value)`` triples; unlisted entries are 0, repeats are errors.

        >>> Matrix.from_entries((2, 3), [(1, 2, "-1/2")]).dense()[1][2]
        Fraction(-1, 2)
        """
        n_rows, n_cols = shape
        table: list[dict[int, Fraction]] = [{} for _ in range(n_rows)]
        for k, (i, j, x) in enumerate(entries):
            if not (0 <= i < n_rows and 0 <= j < n_cols):
                raise QuadTheoryError(
                    f"{where}.entries[{k}]: index ({i}, {j}) outside the shape {n_rows}x{n_cols}")
            if j in table[i]:
                raise QuadTheoryError(f"{where}.entries[{k}]: entry ({i}, {j}) is listed twice")
            table[i][j] = to_rational(x, f"{where}.entries[{k}]", allow_float=allow_float)
        return cls(shape, tuple(tuple(sorted((j, v) for j, v in row.items() if v != 0))
                                for row in table))

    @property
    def n_rows(self) -> int:
        return self.shape[0]

    @property
    def n_cols(self) -> int:
        return self.shape[1]

    @cached_property
    def nonzero(self) -> int:
        """The number of nonzero entries."""
        return sum(len(row) for row in self.rows)

    @cached_property
    def fast_rows(self) -> tuple[tuple[tuple[int, Any], ...], ...]:
        """The rows with fast exact rationals (:func:`~.numbers.fast`), converted once: what
        the exact evaluator, the proofs and the error bounds loop over.

        >>> Matrix.from_dense([[0, "1/2"]]).fast_rows[0][0][0]
        1
        """
        return tuple(tuple((j, fast(v)) for j, v in row) for row in self.rows)

    def entries(self) -> list[tuple[int, int, Fraction]]:
        """The nonzero entries as ``(i, j, value)``, row-major."""
        return [(i, j, v) for i, row in enumerate(self.rows) for j, v in row]

    def dense(self) -> list[list[Fraction]]:
        """Every entry, as a list of rows."""
        out = [[Fraction(0)] * self.n_cols for _ in range(self.n_rows)]
        for i, j, v in self.entries():
            out[i][j] = v
        return out

    @cached_property
    def array(self) -> np.ndarray:
        """The float64 array (rounded to nearest), computed once."""
        out = np.zeros(self.shape, dtype=np.float64)
        rows, cols, values = self._floats()
        out[rows, cols] = values
        out.setflags(write=False)
        return out

    @cached_property
    def operator(self) -> Any:
        """The float64 matrix for products ``h @ M.T``: :attr:`array`, or for a large sparse
        matrix (over :data:`SPARSE_FROM` entries, under a tenth of them nonzero) a scipy CSR
        array of its nonzero entries (12 bytes each), computed once. The ReLU Taylor network
        of ``exp(exp(exp(x)))`` at ε = 1e-2 has 417 million dense params and 362,863 nonzero:
        dense float64 layers took 3.4 GB to evaluate.

        >>> type(Matrix.from_dense([[1, 0], [0, 2]]).operator).__name__
        'ndarray'
        >>> big = Matrix((2000, 2000), tuple(((i, Fraction(1)),) for i in range(2000)))
        >>> type(big.operator).__name__, big.operator.nnz
        ('csr_array', 2000)
        """
        n_rows, n_cols = self.shape
        if n_rows * n_cols <= SPARSE_FROM or 10 * self.nonzero > n_rows * n_cols:
            return self.array
        from scipy.sparse import csr_array  # only for large sparse layers

        rows, cols, values = self._floats()
        return csr_array((values, (rows, cols)), shape=self.shape)

    def _floats(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Row indices, column indices and float64 values (rounded to nearest) of the
        nonzero entries."""
        entries = self.entries()
        values = np.empty(len(entries), dtype=np.float64)
        for k, (i, j, v) in enumerate(entries):
            try:
                values[k] = float(v)
            except OverflowError:
                raise QuadTheoryError(f"entry ({i}, {j}) is too large for float64 (about "
                                      f"10^{len(str(abs(v.numerator))) - len(str(v.denominator))}"
                                      "); expected at most about 1.8e308 in absolute value for "
                                      "numeric evaluation") from None
        rows = np.fromiter((i for i, _, _ in entries), dtype=np.int64, count=len(entries))
        cols = np.fromiter((j for _, j, _ in entries), dtype=np.int64, count=len(entries))
        return rows, cols, values

    def apply(self, h: Sequence[Fraction]) -> list[Fraction]:
        """Exact matrix-vector product."""
        return [sum((v * h[j] for j, v in row), Fraction(0)) for row in self.rows]

    def scaled_rows(self, factors: Sequence[Fraction]) -> Matrix:
        """Row i multiplied by ``factors[i]``."""
        return Matrix(self.shape, tuple(
            tuple((j, f * v) for j, v in row) if f else ()
            for row, f in zip(self.rows, factors, strict=True)))

    def matmul(self, other: Matrix) -> Matrix:
        """Exact product ``self @ other``.

        >>> Matrix.from_dense([[1, 2]]).matmul(Matrix.from_dense([[3], [4]])).dense()
        [[Fraction(11, 1)]]
        """
        if self.n_cols != other.n_rows:
            raise QuadTheoryError(f"cannot multiply {self.shape} by {other.shape}")
        rows = []
        for row in self.rows:
            acc: dict[int, Fraction] = {}
            for k, a in row:
                for j, b in other.rows[k]:
                    acc[j] = acc.get(j, Fraction(0)) + a * b
            rows.append(tuple(sorted((j, v) for j, v in acc.items() if v != 0)))
        return Matrix((self.n_rows, other.n_cols), tuple(rows))

    def hstack(self, other: Matrix) -> Matrix:
        """``[self, other]`` side by side (same rows)."""
        if self.n_rows != other.n_rows:
            raise QuadTheoryError(f"cannot place {self.shape} beside {other.shape}")
        shift = self.n_cols
        return Matrix((self.n_rows, shift + other.n_cols), tuple(
            a + tuple((j + shift, v) for j, v in b) for a, b in zip(self.rows, other.rows)))

    def vstack(self, other: Matrix) -> Matrix:
        """``[self; other]`` stacked (same columns)."""
        if self.n_cols != other.n_cols:
            raise QuadTheoryError(f"cannot stack {self.shape} on {other.shape}")
        return Matrix((self.n_rows + other.n_rows, self.n_cols), self.rows + other.rows)

    def block_diag(self, other: Matrix) -> Matrix:
        """``[[self, 0], [0, other]]``."""
        return self.hstack(Matrix.zeros(self.n_rows, other.n_cols)).vstack(
            Matrix.zeros(other.n_rows, self.n_cols).hstack(other))


def vector_array(values: Vector) -> np.ndarray:
    """A vector as float64 (rounded to nearest); a value beyond float64 is a clear error.

    >>> vector_array((Fraction(1, 4), Fraction(-2))).tolist()
    [0.25, -2.0]
    """
    try:
        return np.array([float(v) for v in values], dtype=np.float64)
    except OverflowError:
        raise QuadTheoryError("an entry is too large for float64; expected at most about "
                              "1.8e308 in absolute value for numeric evaluation") from None


def to_vector(values: Sequence[object], where: str = "vector", *, length: int | None = None,
              allow_float: bool = False) -> Vector:
    """A tuple of exact rationals from a list of NUMBERs, optionally of a required length.

    >>> to_vector([1, "1/2"])
    (Fraction(1, 1), Fraction(1, 2))
    """
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise QuadTheoryError(f"{where}: expected a list of numbers, found {quoted(values)}")
    if length is not None and len(values) != length:
        raise QuadTheoryError(f"{where}: expected {length} entries, found {len(values)}")
    return tuple(to_rational(x, f"{where}[{i}]", allow_float=allow_float)
                 for i, x in enumerate(values))


def as_matrix(value: Matrix | Sequence[Sequence[object]], where: str, *,
              allow_float: bool = False, n_cols: int | None = None) -> Matrix:
    """Accept a :class:`Matrix` as it is, or build one from dense rows."""
    if isinstance(value, Matrix):
        return value
    return Matrix.from_dense(value, n_cols, allow_float=allow_float, where=where)
