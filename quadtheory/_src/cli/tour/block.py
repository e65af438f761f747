"""One section of the tour: its text and the certificates its claims rest on."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from ...exact.certificate import Certificate

WIDTH = 100  # wrap prose at the width of the tables


@dataclass(frozen=True)
class Block:
    """One section of the tour: the text printed, the certificates its claims rest on.

    >>> Block("hello").holds
    True
    """

    text: str
    certificates: tuple[Certificate, ...] = ()

    @property
    def holds(self) -> bool:
        return all(self.certificates)


def fit(text: str, width: int = WIDTH) -> str:
    """``text`` with every line longer than ``width`` wrapped, its indentation kept (prose
    built from measured numbers can run long; tables are narrower).

    >>> print(fit("  one two three", 9))
      one two
      three
    """
    lines = []
    for line in text.splitlines():
        indent = line[:len(line) - len(line.lstrip())]
        lines += (textwrap.wrap(line, width, subsequent_indent=indent, break_long_words=False,
                                break_on_hyphens=False) or [""]) if len(line) > width else [line]
    return "\n".join(lines)
