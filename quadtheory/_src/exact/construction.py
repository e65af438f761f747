"""A construction: a network together with what is proved about it.

Every constructor (:func:`quadtheory.construct`, :func:`quadtheory.radial`,
:func:`quadtheory.relu_construct`, :func:`quadtheory.relu_radial`) returns one. The typed
fields are the truth; the network's ``meta`` is what the network file stores, written from
them once (its keys are the file format's contract). Counts are never stored here: they are
read from the network. A construction behaves where a network is expected: attributes it does
not have (``params``, ``exact``, ``layers``...) are its network's, and every function taking a
network takes a construction (:func:`~quadtheory._src.core.network.as_network`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from ..core.counts import ParamCounts
from ..core.domain import Ball, Box, domain_text
from ..core.limits import one_of
from ..core.network import Network
from ..core.numbers import format_rational
from ..errors import InternalError, QuadTheoryError
from .certificate import Certificate
from .rounding import float_error

FAMILIES = ("quadratic", "relu")


@dataclass(frozen=True)
class Baseline:
    """The counts of the construction a lean one is compared with (e.g. each monomial its own
    product tree): only its shape is kept, not its weights."""

    params: ParamCounts
    depth: int
    widths: tuple[int, ...]
    description: str

    def as_meta(self) -> dict[str, Any]:
        return {"naive_params": self.params.as_dict(), "naive_depth": self.depth,
                "naive_widths": list(self.widths)}


@dataclass(frozen=True)
class Construction:
    """A certified construction of ``target`` by the ``family``'s networks on ``region``.

    ``certified_error``: the proved sup error (0 for exact networks), ``None`` when not
    verified; ``eps``: the error asked for, if any; ``method``: how it was built;
    ``baseline``: the counts it is compared with; ``details``: the construction's own facts
    (sawtooth chains, candidate methods...), written to the file's meta as they are, and
    ``float64_error_bound``: the proved bound on the network's float evaluation error over
    its domain (:mod:`.rounding`; ``None`` on all of R^n).

    >>> from quadtheory import construct
    >>> square = construct("x**2")
    >>> square.family, square.certified_error, square.certificate.level
    ('quadratic', Fraction(0, 1), 'symbolic proof')
    >>> square.params, square.exact(["1/2"])           # the network's, through the construction
    (ParamCounts(dense=6, nonzero=1), (Fraction(1, 4),))
    """

    network: Network
    target: str
    family: str
    region: Box | Ball | None
    certified_error: Fraction | None
    certificate: Certificate | None = None
    eps: Fraction | None = None
    method: str = ""
    baseline: Baseline | None = None
    details: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.network, Network):
            raise QuadTheoryError(f"network: expected a Network, found "
                                  f"{type(self.network).__name__}")
        one_of(self.family, "family", FAMILIES)
        for name in ("certified_error", "eps"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, Fraction) or value < 0):
                raise QuadTheoryError(f"{name}: expected a rational >= 0 or None, found "
                                      f"{value!r}")
        if (self.eps is not None and self.certified_error is not None
                and self.certified_error > self.eps):
            raise InternalError(f"certified error {format_rational(self.certified_error)} "
                                f"exceeds eps {format_rational(self.eps)}")
        if self.certificate is not None and not isinstance(self.certificate, Certificate):
            raise QuadTheoryError(f"certificate: expected a Certificate or None, found "
                                  f"{type(self.certificate).__name__}")
        details = dict(self.details)
        if "float64_error_bound" not in details:
            # The proof's enclosures give the tighter bound; without a proof, its own.
            proved = {} if self.certificate is None else self.certificate.details
            bound = proved.get("float64_error_bound")
            if bound is None:
                found = float_error(self.network)
                bound = None if found is None else found.as_dict()
            details["float64_error_bound"] = bound
        object.__setattr__(self, "details", MappingProxyType(details))
        object.__setattr__(self, "network", self.network.with_meta(**self._file_meta()))

    def __getattr__(self, name: str) -> Any:
        # Only reached for names a Construction does not have: its network's (params, ...).
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.network, name)

    def _file_meta(self) -> dict[str, Any]:
        net = self.network
        meta: dict[str, Any] = {"target": self.target, "family": self.family}
        if isinstance(self.region, Ball):
            meta["region"] = self.region.region()
        if self.method:
            meta["method"] = self.method
        if self.eps is not None:
            meta["eps"] = format_rational(self.eps)
        meta["certified_error"] = (None if self.certified_error is None
                                   else format_rational(self.certified_error))
        meta.update(params=net.params.as_dict(), depth=net.depth, widths=list(net.widths))
        if self.baseline is not None:
            meta.update(self.baseline.as_meta())
        meta.update(self.details)
        meta["certificate"] = None if self.certificate is None else self.certificate.as_dict()
        return meta

    @property
    def region_text(self) -> str:
        """Where the construction holds, as reports print it."""
        if isinstance(self.region, Ball):
            return f"the ball {self.region}"
        return domain_text(self.network.inputs, self.region)
