"""One section of the tour: its text and the certificates its claims rest on."""

from __future__ import annotations

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
