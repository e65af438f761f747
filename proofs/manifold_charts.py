"""Chart constructions on a circle and a 2-sphere in R^D, both families: certified errors ≤ ε
on the manifold, and quadratic params that grow by exactly 3 dense per chart and ambient
dimension.

The manifold theorem behind the approximation efficiency of quadratic networks (Fan, Dong,
Wu et al., "One Neuron Saved Is One Neuron Earned", 2023, arXiv:2303.06316), in the form of
Chen, Jiang, Liao, Zhao 2019 ("Efficient approximation of deep ReLU networks for functions on
low dimensional manifolds", arXiv:1908.01842): charts around centres ``c_i`` on the manifold,
chart membership and the partition of unity from ``‖x − c_i‖²``, the real-space construction
in the intrinsic dimension d on each chart. One quadratic neuron computes ``‖x − c_i‖²``
exactly (``3D + 3`` dense params); a ReLU network needs D approximate squares per centre.
:func:`check` proves, with :func:`quadtheory.manifold_construct`:

1. for the circle (d = 1) in R^3 and R^8, both families, and the 2-sphere (d = 2) in R^3 and
   R^8, quadratic family (``full=True``: the ReLU sphere too, and a non-polynomial target),
   at ``ε = 1/100``: the certificate holds at the level symbolic proof (the embedding checked
   orthonormal exactly, the partition-of-unity identities checked exactly at the breakpoints
   of their piecewise-linear pieces, every chart's error proved over its chart parameter
   domain, the assembly exact or with a proved ReLU budget) and the certified error is ≤ ε,
   with the largest error observed at rational points of the manifold ≤ the certified error;
2. the quadratic network's dense count in R^8 exceeds the one in R^3 by exactly
   ``5·3·#charts`` (only the distance neurons read x; each ambient dimension adds a column to
   their ``w_r``, ``w_g`` and ``w_b``): exhaustive over the networks built.
"""

from __future__ import annotations

import time
from dataclasses import replace
from fractions import Fraction

import quadtheory as qt

STATEMENT = ("Chart constructions on a circle and a 2-sphere in R^D, both families: certified "
             "errors ≤ ε on the manifold, and quadratic params that grow by exactly 3 dense "
             "per chart and ambient dimension.")

EPS = "1/100"
TARGET = "x1*x2 + x3"
FULL_TARGET = "exp(x1)*sin(x2 + x3)"
CASES = (("circle", "quadratic"), ("circle", "relu"), ("sphere", "quadratic"))
FULL_CASES = (*CASES, ("sphere", "relu"))


def build_check(target: str, manifold: str, ambient: int, family: str
                ) -> tuple[qt.Certificate, qt.Construction]:
    start = time.perf_counter()
    net = qt.manifold_construct(target, manifold, ambient, EPS, family=family)
    cert = net.certificate
    observed = Fraction(cert.details["observed_max_error"])
    facts = {
        f"certificate holds ({cert.level})": cert.holds and cert.level == "symbolic proof",
        f"certified error {net.certified_error} ≤ ε = {EPS}":
            net.certified_error <= Fraction(EPS),
        f"observed {float(observed):.3g} ≤ certified": observed <= net.certified_error,
    }
    return qt.Certificate(
        f"{family} network of {target} on the {manifold} in R^{ambient}",
        "symbolic proof", all(facts.values()),
        [f"{fact}: {'yes' if ok else 'NO'}" for fact, ok in facts.items()],
        time.perf_counter() - start), net


def slope_check(manifold: str, small: qt.Construction, large: qt.Construction,
                dims: tuple[int, int]) -> qt.Certificate:
    charts = small.details["manifold"]["charts"]
    grow = large.params.dense - small.params.dense
    want = (dims[1] - dims[0]) * 3 * charts
    return qt.Certificate(
        f"quadratic dense params on the {manifold}: + 3·{charts} per ambient dimension",
        "exhaustive", grow == want,
        [f"dense {small.params.dense} in R^{dims[0]}, {large.params.dense} in R^{dims[1]}: "
         f"difference {grow}, expected {dims[1] - dims[0]}·3·{charts} = {want}"], 0.0)


def check(full: bool = False) -> qt.Certificate:
    """Prove the statement; one certificate, its parts (3 cases x 2 dimensions, 2 slopes) in
    ``details["parts"]``. One part:

    >>> cert, net = build_check("x1*x2 + x3", "circle", 3, "quadratic")
    >>> cert.holds, cert.level, net.details["manifold"]["charts"]
    (True, 'symbolic proof', 4)
    """
    start = time.perf_counter()
    parts = []
    targets = (TARGET, FULL_TARGET) if full else (TARGET,)
    for target in targets:
        for manifold, family in (FULL_CASES if full else CASES):
            built = [build_check(target, manifold, ambient, family) for ambient in (3, 8)]
            parts += [cert for cert, _ in built]
            if family == "quadratic" and target == TARGET:
                parts.append(slope_check(manifold, built[0][1], built[1][1], (3, 8)))
    return replace(qt.Certificate.combine(STATEMENT, parts), seconds=time.perf_counter() - start)
