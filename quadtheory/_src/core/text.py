"""Plain-text layout shared by every report: aligned tables.

Generic presentation with no domain knowledge, so the data classes of every layer may use it
(``Comparison.table()``); domain reports live in :mod:`quadtheory._src.render`.
"""

from __future__ import annotations

from collections.abc import Sequence


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]],
                 right: Sequence[int] = ()) -> str:
    """A plain-text table: columns padded to their widest cell, two spaces apart; the
    columns whose indices are in ``right`` (numbers) are right-aligned.

    >>> print(format_table(["target", "dense"], [["x**2", 6], ["x*y", 21]], right=[1]))
    target  dense
    x**2        6
    x*y        21
    """
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[k]) for row in cells) for k in range(len(headers))]
    lines = []
    for row in cells:
        padded = [cell.rjust(w) if k in right else cell.ljust(w)
                  for k, (cell, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)
