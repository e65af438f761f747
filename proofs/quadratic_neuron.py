"""One quadratic neuron computes x² and ‖x−c‖² exactly; two compute xy under relu activation
(one under identity).

The building blocks of the constructions in Fan, Dong, Wu, Ruan, Zeng, Cui, Liao, "One Neuron
Saved Is One Neuron Earned: On Parametric Efficiency of Quadratic Networks", 2023,
arXiv:2303.06316. A quadratic neuron computes ``σ((w_r·x + b_r)(w_g·x + b_g) + w_b·(x⊙x) + c)``.
Precisely, :func:`check` proves, each part a symbolic proof:

1. ``x² = relu(x·x)`` for every real x (``w_r = w_g = 1``): :func:`quadtheory.verify` on R,
   the relu sign proved by the ``λ·r²`` enclosure (``w_g = 1·w_r``).
2. ``‖x‖² = relu(Σ x_i²)`` on all of R^n, n = 1..4 (``w_b = 1``): ``verify`` on R^n, the relu
   sign proved by interval arithmetic (squares are >= 0).
3. ``‖x−c‖² = relu((−2c·x + ‖c‖²)·1 + Σ x_i²)`` on all of R^n for the centres in ``CENTRES``
   (n = 1..4; ``w_r = −2c``, ``b_r = ‖c‖²``, ``w_g = 0``, ``b_g = 1``, ``w_b = 1``): ``verify``
   on R^n; the relu sign is proved by the exact positive-semidefiniteness test of the
   degree-2 pre-activation (interval arithmetic alone cannot: ``−2c·x + ‖c‖²`` is unbounded
   below on R^n).
4. ``xy = (x)(y)``: one neuron under identity activation (``verify`` on R²).
5. ``xy = relu(xy) − relu(−xy)`` on all of R²: two relu neurons (``w_r = ±e_1``,
   ``w_g = e_2``) and a linear read-out: ``verify`` on R²; ``xy`` changes sign, and the proof
   recognises the pair: pre-activations ``z`` and ``−z`` read by the next layer only as their
   difference, and ``relu(z) − relu(−z) = z`` for every real ``z``.
6. No single relu neuron (quadratic or not) equals ``xy`` on a box ``[lx, hx] × [ly, hy]``
   with ``lx < 0 < hx``, ``ly < 0 < hy``: its output is ``max(t, 0) >= 0`` while the rational
   point ``(hx/2, ly/2)`` lies in the box and has ``xy = hx·ly/4 < 0`` (sympy's assumptions,
   for symbolic ends; plus the exact instance on ``[−1, 1]²``). So the relu count of 5 cannot
   drop to one neuron.

Nothing here is sampled; nothing is claimed about fewer neurons under identity activation
(zero neurons compute no product).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

import sympy

import quadtheory as qt

STATEMENT = ("One quadratic neuron computes x² and ‖x−c‖² exactly; two compute xy under relu "
             "activation (one under identity).")

# One rational centre per dimension 1..4, mixed signs and denominators.
CENTRES: tuple[tuple[Fraction, ...], ...] = tuple(
    tuple(Fraction(v) for v in ("1/2", "-3", "2/3", "5/4")[:n]) for n in range(1, 5))

def _names(n: int) -> tuple[str, ...]:
    return ("x",) if n == 1 else tuple(f"x{i}" for i in range(1, n + 1))


def square_network() -> qt.Network:
    """``relu(x·x)``: one quadratic neuron, ``w_r = w_g = 1``, on all of R.

    >>> square_network().exact(["-3/2"]), square_network().params.dense   # 3·1 + 3 = 6
    ((Fraction(9, 4),), 6)
    """
    return qt.Network(("x",), (qt.quadratic_layer([[1]], w_g=[[1]], activation="relu"),))


def distance_network(centre: Sequence[object], activation: str = "relu") -> qt.Network:
    """``σ(‖x − centre‖²)`` as one quadratic neuron on all of R^n.

    The squares come from ``w_b = 1``; the affine rest ``−2c·x + ‖c‖²`` from the product
    ``(w_r·x + b_r)·(0·x + 1)``.

    >>> distance_network(["1/2", -3]).exact([0, 0])   # 1/4 + 9
    (Fraction(37, 4),)
    """
    c = [Fraction(v) for v in centre]
    layer = qt.quadratic_layer([[-2 * v for v in c]], b_r=[sum(v * v for v in c)], b_g=[1],
                               w_b=[[1] * len(c)], activation=activation)
    return qt.Network(_names(len(c)), (layer,))


def product_network(activation: str) -> qt.Network:
    """``xy`` on R²: ``(x)(y)`` under identity; ``relu(xy) − relu(−xy)`` under relu.

    >>> [product_network(a).exact(["1/3", -2]) for a in ("identity", "relu")]
    [(Fraction(-2, 3),), (Fraction(-2, 3),)]
    >>> product_network("relu").widths   # two relu neurons, then the linear read-out
    (2, 1)
    """
    if activation == "identity":
        return qt.Network(("x", "y"), (qt.quadratic_layer([[1, 0]], w_g=[[0, 1]],
                                                          activation="identity"),))
    pair = qt.Network(("x", "y"), (qt.quadratic_layer([[1, 0], [-1, 0]], w_g=[[0, 1], [0, 1]],
                                                      activation="relu"),))
    return qt.readout(pair, [[1, -1]])


def prove_no_single_relu_product() -> qt.Certificate:
    """No single relu neuron equals ``xy`` on a box with 0 in its interior (see part 6).

    >>> prove_no_single_relu_product().holds
    True
    """
    start = time.perf_counter()
    t = sympy.Symbol("t", real=True)
    lx, ly = sympy.symbols("lx ly", negative=True)
    hx, hy = sympy.symbols("hx hy", positive=True)
    px, py = hx / 2, ly / 2
    facts = {
        "max(t, 0) >= 0 for every real pre-activation t": sympy.Max(t, 0).is_nonnegative,
        "lx < hx/2 < hx": (px - lx).is_positive and (hx - px).is_positive,
        "ly < ly/2 < hy": (py - ly).is_positive and (hy - py).is_positive,
        "xy = hx·ly/4 < 0 at (hx/2, ly/2)": (px * py).is_negative,
    }
    # The exact instance on [-1, 1]²: the relu neuron closest in form, relu(xy), at (1/2, -1/2).
    single = qt.Network(("x", "y"), (qt.quadratic_layer([[1, 0]], w_g=[[0, 1]]),),
                        domain=[[-1, 1], [-1, 1]])
    point = (Fraction(1, 2), Fraction(-1, 2))
    instance = single.exact(point)[0] >= 0 > point[0] * point[1]
    checks = [f"{fact}: {'proved' if ok else 'NOT proved'} (sympy assumptions)"
              for fact, ok in facts.items()]
    checks.append(f"exact instance on [-1, 1]^2: relu(xy) at (1/2, -1/2) is "
                  f"{single.exact(point)[0]}, xy is {point[0] * point[1]}")
    return qt.Certificate(
        "no single relu neuron equals x*y on a box with 0 in its interior", "symbolic proof",
        all(facts.values()) and instance, checks, time.perf_counter() - start,
        {"method": "sign argument with symbolic box ends"})


def check() -> qt.Certificate:
    """Prove the statement; one certificate, its parts by label in ``details["parts"]``.

    >>> cert = check()
    >>> cert.holds, cert.level, len(cert.details["parts"])   # 1 + 4 + 4 + 1 + 1 + 1 parts
    (True, 'symbolic proof', 12)
    """
    start = time.perf_counter()
    parts = [("x² by one relu neuron (x)(x)", qt.verify(square_network(), "x**2"))]
    for n in range(1, 5):
        net = distance_network([0] * n)
        parts.append((f"‖x‖² by one relu neuron, n = {n}",
                      qt.verify(net, sympy.Add(*(s**2 for s in net.symbols)))))
    for centre in CENTRES:
        net = distance_network(centre)
        target = sympy.Add(*((s - sympy.Rational(c.numerator, c.denominator))**2
                             for s, c in zip(net.symbols, centre, strict=True)))
        parts.append((f"‖x−c‖² by one relu neuron, c = ({', '.join(map(str, centre))})",
                      qt.verify(net, target)))
    parts.append(("xy by one identity neuron (x)(y)",
                  qt.verify(product_network("identity"), "x*y")))
    parts.append(("xy by two relu neurons relu(xy) − relu(−xy) and a read-out",
                  qt.verify(product_network("relu"), "x*y")))
    parts.append(("one relu neuron is not enough for xy", prove_no_single_relu_product()))
    labelled = [replace(cert, statement=f"{label}: {cert.statement}") for label, cert in parts]
    return replace(qt.Certificate.combine(STATEMENT, labelled),
                   seconds=time.perf_counter() - start)
