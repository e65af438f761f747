"""The package's one exception class."""

from __future__ import annotations


class QuadTheoryError(ValueError):
    """Raised for every user error: bad structure, bad file, bad expression, bad option.

    Messages quote the offending value, say what was expected and where (layer, field,
    JSON path, column of an expression). ``at(prefix)`` re-raises the same error with a
    location prepended, so a layer's own check can be reported as ``layers[2].w_g: ...``.

    >>> str(QuadTheoryError("w_g: expected 3 columns, found 2").at("layers[2]"))
    'layers[2].w_g: expected 3 columns, found 2'
    """

    def at(self, prefix: str) -> QuadTheoryError:
        message = str(self)
        joiner = "" if message.startswith(("[", ".")) else "."
        if prefix.endswith(":"):
            joiner = " "
        return QuadTheoryError(f"{prefix}{joiner}{message}")
