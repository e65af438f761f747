"""A user's table for the pilot: read, checked, encoded; every problem one line naming the fix.

The pilot (:mod:`.pilot`) asks whether quadratic neurons (Fan et al., arXiv:2303.06316) pay on
a user's own data. Its input is a table: a CSV file, a dict of columns, a pandas DataFrame (read
through its ``columns`` and ``to_numpy``; pandas is never imported here), or ``(X, y)`` arrays.
:func:`load_table` turns any of them into a :class:`Table` of float features and a target, or
raises :class:`~quadtheory.QuadTheoryError` with one line for each of: an empty file, a ragged
row, a missing target column, missing values (the rows are named), non-numeric columns (with the
``--one-hot`` option that encodes them), constant columns, fewer than :data:`MIN_ROWS` rows, a
target with a single value or a class with a single row.

The task is the user's (``task``), else inferred: classification when the target is not
numeric, or is integer-valued with at most :data:`MAX_CLASSES` distinct values; regression
otherwise.
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..core.limits import quoted
from ..errors import QuadTheoryError

MIN_ROWS = 20
MAX_CLASSES = 20
TASKS = ("regression", "classification")
MISSING = frozenset({"", "nan", "na", "n/a", "null", "none", "?"})


@dataclass(frozen=True)
class Table:
    """Float features ``x`` (rows × ``names``), the ``target`` ``y`` (float for regression;
    class indices into ``classes`` for classification), and where they came from."""

    x: np.ndarray
    y: np.ndarray
    names: tuple[str, ...]
    target: str
    task: str
    classes: tuple[str, ...]
    source: str

    @property
    def fingerprint(self) -> str:
        """A digest of the data: a resumed pilot must be on the same table."""
        digest = hashlib.sha256(np.ascontiguousarray(self.x).tobytes())
        digest.update(np.ascontiguousarray(self.y).tobytes())
        digest.update("\0".join((*self.names, self.target, self.task, *self.classes)).encode())
        return digest.hexdigest()[:16]


def _number(text: object) -> float | None:
    try:
        value = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return value


def _missing(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in MISSING
    number = _number(value)
    return value is None or (number is not None and np.isnan(number))


def read_csv(path: str | os.PathLike[str]) -> tuple[dict[str, list[str]], Callable[[int], str]]:
    """The columns of a CSV file as strings, and the name of data row ``i`` ("line N").

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = Path(d, "t.csv").write_text("a,b\\n1,x\\n2,y\\n")
    ...     columns, where = read_csv(Path(d, "t.csv"))
    >>> columns, where(1)
    ({'a': ['1', '2'], 'b': ['x', 'y']}, 'line 3')
    """
    name = str(path)
    try:
        with open(path, newline="") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        raise QuadTheoryError(f"{name}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise QuadTheoryError(f"{name}: cannot read it as a text CSV file ({error})") from None
    lines = [k + 1 for k, row in enumerate(rows) if any(cell.strip() for cell in row)]
    if not lines:
        raise QuadTheoryError(f"{name}: empty file; expected a header row of column names "
                              f"and at least {MIN_ROWS} data rows")
    header = [cell.strip() for cell in rows[lines[0] - 1]]
    if any(not cell for cell in header) or len(set(header)) != len(header):
        raise QuadTheoryError(f"{name}: line {lines[0]}: expected a header of distinct, "
                              f"non-empty column names, found {header}")
    data_lines = lines[1:]
    for line in data_lines:
        if len(rows[line - 1]) != len(header):
            raise QuadTheoryError(f"{name}: line {line} has {len(rows[line - 1])} fields, the "
                                  f"header has {len(header)}")
    columns = {h: [rows[line - 1][k].strip() for line in data_lines]
               for k, h in enumerate(header)}
    return columns, lambda i: f"line {data_lines[i]}"


def _columns(data: Any) -> tuple[dict[str, Sequence[Any]], Callable[[int], str], str]:
    """Any accepted input as (columns, row namer, source name)."""
    if isinstance(data, str | os.PathLike):
        columns, where = read_csv(data)
        return columns, where, Path(data).name
    if isinstance(data, tuple) and len(data) == 2:
        x, y = (np.asarray(a) for a in data)
        if x.ndim == 1:
            x = x[:, None]
        if x.ndim != 2 or y.ndim != 1 or len(x) != len(y):
            raise QuadTheoryError(f"(X, y): expected X of shape (rows, features) and y of "
                                  f"shape (rows,), found {x.shape} and {y.shape}")
        columns = {f"x{k + 1}": list(x[:, k]) for k in range(x.shape[1])}
        return {**columns, "y": list(y)}, lambda i: f"row {i}", "arrays"
    if hasattr(data, "columns") and hasattr(data, "__getitem__"):  # a DataFrame
        columns = {str(c): list(np.asarray(data[c].to_numpy(), dtype=object))
                   for c in data.columns}
        return columns, lambda i: f"row {i}", "dataframe"
    if isinstance(data, Mapping):
        columns = {str(k): list(np.asarray(v, dtype=object).ravel()) for k, v in data.items()}
        sizes = {len(v) for v in columns.values()}
        if len(sizes) > 1:
            raise QuadTheoryError(f"columns: expected equal lengths, found "
                                  f"{ {k: len(v) for k, v in columns.items()} }")
        return columns, lambda i: f"row {i}", "columns"
    raise QuadTheoryError(f"data: expected a CSV path, a dict of columns, a DataFrame or (X, y) "
                          f"arrays, found {type(data).__name__}")


def _rows_text(rows: list[int], where: Callable[[int], str]) -> str:
    shown = ", ".join(where(i) for i in rows[:8])
    return shown + (f" and {len(rows) - 8} more" if len(rows) > 8 else "")


def _encode(values: Sequence[Any]) -> tuple[np.ndarray | None, int | None]:
    """The column as floats, or ``None`` and the first row that is not a number."""
    out = np.empty(len(values))
    for i, value in enumerate(values):
        number = _number(value) if not isinstance(value, bool) else float(value)
        if number is None or not np.isfinite(number):
            return None, i
        out[i] = number
    return out, None


def _label(value: Any) -> str:
    number = _number(value)
    return f"{number:g}" if number is not None and not isinstance(value, str) else str(value)


def load_table(data: Any, target: str | None = None, *, task: str | None = None,
               one_hot: Sequence[str] = ()) -> Table:
    """The checked table (see the module docstring for what is checked and inferred).

    >>> rows = {"x1": list(range(30)), "x2": [k % 7 for k in range(30)],
    ...         "kind": ["a", "b", "c"] * 10, "y": [k * 0.5 for k in range(30)]}
    >>> t = load_table(rows, "y", one_hot=["kind"])
    >>> t.task, t.names, t.x.shape
    ('regression', ('x1', 'x2', 'kind=a', 'kind=b', 'kind=c'), (30, 5))
    >>> load_table(rows, "y")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: columns: column 'kind' (row 0: 'a') is not numeric; ... kind ...
    """
    columns, where, source = _columns(data)
    target = "y" if target is None and source == "arrays" else target
    if task is not None and task not in TASKS:
        raise QuadTheoryError(f"--task: expected one of {', '.join(TASKS)}, found {quoted(task)}")
    if target not in columns:
        raise QuadTheoryError(f"--target {target!r}: no column of that name in {source}; "
                              f"columns: {', '.join(columns)}")
    for name in one_hot:
        if name not in columns or name == target:
            raise QuadTheoryError(f"--one-hot {name!r}: expected a feature column; columns: "
                                  f"{', '.join(c for c in columns if c != target)}")
    rows = len(columns[target])
    gaps = {name: [i for i, v in enumerate(values) if _missing(v)]
            for name, values in columns.items()}
    holes = sorted({i for found in gaps.values() for i in found})
    if holes:
        names = [name for name, found in gaps.items() if found]
        raise QuadTheoryError(
            f"{source}: missing values (empty or NaN) in {len(holes)} row(s): "
            f"{_rows_text(holes, where)} (column(s) {', '.join(names)}); drop or fill them")
    if rows < MIN_ROWS:
        raise QuadTheoryError(f"{source}: {rows} data rows; the pilot needs at least "
                              f"{MIN_ROWS} (a quarter is held out for the test)")
    features, names, bad = [], [], []
    for name, values in columns.items():
        if name == target:
            continue
        if name in one_hot:
            levels = sorted({_label(v) for v in values})
            labels = [_label(v) for v in values]
            features += [np.array([float(v == level) for v in labels]) for level in levels]
            names += [f"{name}={level}" for level in levels]
            continue
        encoded, first = _encode(values)
        if encoded is None:
            bad.append((name, first))
            continue
        features.append(encoded)
        names.append(name)
    if bad:
        listed = ", ".join(f"{n!r} ({where(i)}: {columns[n][i]!r})" for n, i in bad)
        what = "column" if len(bad) == 1 else "columns"
        raise QuadTheoryError(
            f"{source}: {what} {listed} {'is' if len(bad) == 1 else 'are'} not numeric; drop "
            f"{'it' if len(bad) == 1 else 'them'}, or pass --one-hot "
            f"{','.join(n for n, _ in bad)} to encode {'it' if len(bad) == 1 else 'them'} as "
            "one 0/1 column per value")
    if not features:
        raise QuadTheoryError(f"{source}: no feature columns besides the target {target!r}")
    constant = [(n, f[0]) for n, f in zip(names, features, strict=True) if np.all(f == f[0])]
    if constant:
        raise QuadTheoryError(
            f"{source}: constant column(s) " + ", ".join(f"{n!r} (every row {v:g})"
                                                     for n, v in constant)
            + "; drop them: a constant input carries no information and cannot be standardised")
    y, classes, task = _target(columns[target], target, task, source, where)
    return Table(np.column_stack(features), y, tuple(names), target, task, classes, source)


def _target(values: Sequence[Any], target: str, task: str | None, source: str,
            where: Callable[[int], str]) -> tuple[np.ndarray, tuple[str, ...], str]:
    numeric, first = _encode(values)
    if task is None:
        integral = numeric is not None and np.all(numeric == np.round(numeric))
        few = len({_label(v) for v in values}) <= MAX_CLASSES
        task = "classification" if numeric is None or (integral and few) else "regression"
    if task == "regression":
        if numeric is None:
            raise QuadTheoryError(f"{source}: target {target!r} is not numeric ({where(first)}: "
                                  f"{values[first]!r}); pass --task classification")
        if np.all(numeric == numeric[0]):
            raise QuadTheoryError(f"{source}: target {target!r} is constant (every row "
                                  f"{numeric[0]:g}): nothing to predict")
        return numeric, (), task
    labels = [_label(v) for v in values]
    classes = tuple(sorted(set(labels), key=lambda c: (_number(c) is None, _number(c) or 0, c)))
    if len(classes) < 2:
        raise QuadTheoryError(f"{source}: target {target!r} has a single class "
                              f"({classes[0]!r}): nothing to predict")
    index = {c: k for k, c in enumerate(classes)}
    y = np.array([index[label] for label in labels], dtype=np.int64)
    rare = [c for c in classes if np.sum(y == index[c]) < 2]
    if rare:
        raise QuadTheoryError(f"{source}: class(es) {', '.join(map(repr, rare))} of target "
                              f"{target!r} have a single row; each class needs at least 2 "
                              "(one to train on, one to test)")
    return y, classes, task
