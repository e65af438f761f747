"""The package's two exception classes (user errors, internal errors) and its warning.

Every layer may import this module; it imports nothing of the package.
"""

from __future__ import annotations


class QuadTheoryError(ValueError):
    """Raised for every user error: bad structure, bad file, bad expression, bad option.

    Messages quote the offending value, say what was expected and where (layer, field,
    JSON path, column of an expression). ``at(prefix)`` re-raises the same error with a
    location prepended, so a layer's own check can be reported as ``layers[2].w_g: ...``.
    The command line reports it on one line and exits 2.

    >>> str(QuadTheoryError("w_g: expected 3 columns, found 2").at("layers[2]"))
    'layers[2].w_g: expected 3 columns, found 2'
    """

    def at(self, prefix: str) -> QuadTheoryError:
        message = str(self)
        joiner = "" if message.startswith(("[", ".")) else "."
        if prefix.endswith(":"):
            joiner = " "
        return QuadTheoryError(f"{prefix}{joiner}{message}")


class InternalError(RuntimeError):
    """A bug in quadtheory, never the user's input: an invariant a construction relies on did
    not hold. The command line reports it on one line, asks for a report and exits 1.

    >>> raise InternalError("rounding exceeded its share of eps")
    Traceback (most recent call last):
      ...
    quadtheory.InternalError: rounding exceeded its share of eps
    """


class FloatPrecisionWarning(UserWarning):
    """Float evaluation of an exact network may be far from its exact values: its proved
    error bound (``meta["float64_error_bound"]``) exceeds a relative 1e-9 of its output in
    float64 (1e-3 in float32). Issued once per network by ``Network.numeric`` and
    ``quadtheory.nn.to_torch``; filter it like any warning.
    """


# Users meet these as quadtheory.QuadTheoryError / quadtheory.InternalError (in tracebacks too).
QuadTheoryError.__module__ = InternalError.__module__ = "quadtheory"
FloatPrecisionWarning.__module__ = "quadtheory"
