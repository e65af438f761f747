"""A depth-2 quadratic network approximates g(‖x‖²) on the ball of radius R in R^D to a certified
ε with dense params linear in D (counted for D = 1..256), while depth-2 ReLU networks need
width exponential in D for some radial functions (cited).

Depth counts layers of weights, as in Eldan & Shamir: depth 2 is one hidden layer and a linear
read-out. Here ``g(t) = cos(2πt)`` (``G(r) = cos(2πr²)``, the target of ``quadtheory study
radial``), ``R = 1`` and ``ε = 1/20``. :func:`check` proves or cites, part by part:

1. **symbolic proof**: ``quadtheory.radial`` builds the certified piecewise-linear network in
   one dimension, ``relu(x²)`` (one quadratic neuron) and then k relu neurons
   ``relu(a_j t + b_j)`` of ``t = x²`` and a read-out L; its certificate (a proved bound,
   then checked) gives ``|L(relu(a t + b)) − g(t)| ≤ ε`` for every ``t ∈ [0, R²]``.
2. **symbolic proof, for each D = 1..256**: the depth-2 network :func:`depth_two` has k
   quadratic neurons with ``w_b = a_j·(1, …, 1)``, ``c = b_j`` and ``w_r = w_g = b_r = b_g =
   0``, so by the quadratic neuron's formula its j-th pre-activation is exactly
   ``a_j‖x‖² + b_j`` (the weights are checked exactly); its read-out is L. So it computes
   ``L(relu(a‖x‖² + b))``, and ``t = ‖x‖² ∈ [0, R²]`` on the ball: part 1 bounds its error
   there by ε, in every dimension.
3. **exhaustive** (a finite set): at seeded rational points of the ball for D = 2, 3, 16, the
   depth-2 network equals, exactly, the three-layer network ``quadtheory.radial`` builds in
   that dimension (norm neuron, then the same relu pieces): the fold of part 2 changes
   nothing.
4. **exhaustive over D = 1..256**: counted from each network's structure, dense params are
   ``k(3D + 3) + k + 1`` (the slope 3k in D, k independent of D) and nonzero params
   ``k(D + 1)`` plus the read-out's nonzeros.
5. **cited**: Eldan & Shamir, "The Power of Depth for Feedforward Neural Networks", COLT 2016
   (arXiv:1512.03965), Theorem 1: for activations meeting their Assumptions 1–2 (ReLU does),
   there are universal constants c, C > 0 such that for every d > C there are a probability
   measure μ on R^d and a function g: R^d → [−2, 2], radial up to smoothing, supported in
   ``‖x‖ ≤ C√d``, expressible by a 3-layer network of width polynomial in d, such that every
   function f computed by a 2-layer network of width at most ``c·e^{cd}`` has
   ``E_μ(f − g)² ≥ c``. The constants are not given numerically; none are invented here.
6. **cited**: Fan, Xiong, Wang, "Universal approximation with quadratic deep networks",
   Neural Networks 2020 (arXiv:1808.00098), Theorem 1: their answer to the question whether,
   with one hidden layer, some function is approximated much more efficiently by a quadratic
   network than by a conventional one (radial functions, after Eldan & Shamir).

Parts 1–4 are what is proved here (the quadratic side: params linear in D); the conventional
side is cited, not proved; ``quadtheory study radial`` measures both by training (observed).
"""

from __future__ import annotations

import time
from dataclasses import replace
from fractions import Fraction

import numpy as np

import quadtheory as qt

STATEMENT = ("A depth-2 quadratic network approximates g(‖x‖²) on the ball of radius R in R^D "
             "to a certified ε with dense params linear in D (counted for D = 1..256), while "
             "depth-2 ReLU networks need width exponential in D for some radial functions "
             "(cited).")

G = "cos(2*pi*r**2)"
EPS = "1/20"
DIMS = range(1, 257)
ELDAN_SHAMIR = (
    "Eldan & Shamir, The Power of Depth for Feedforward Neural Networks, COLT 2016, "
    "arXiv:1512.03965, Theorem 1: under Assumptions 1-2 on the activation (ReLU meets them) "
    "there are universal constants c, C > 0 such that for every d > C there are a probability "
    "measure mu on R^d and g: R^d -> [-2, 2] (radial up to smoothing, supported in "
    "|x| <= C sqrt(d), expressible by a 3-layer network of width polynomial in d) such that "
    "every 2-layer network f of width at most c e^{cd} has E_mu (f - g)^2 >= c; c and C are "
    "not given numerically")
FAN_XIONG_WANG = (
    "Fan, Xiong & Wang, Universal approximation with quadratic deep networks, Neural Networks "
    "2020, arXiv:1808.00098, Theorem 1: with one hidden layer, some functions (radial ones, "
    "after Eldan & Shamir) are approximated much more efficiently by a quadratic network than "
    "by a conventional one (the answer to question (1) of the paper's abstract)")


def base_network() -> qt.Construction:
    """The certified one-dimensional network of ``quadtheory.radial``: relu(x²), k relu
    pieces of t, a read-out.

    >>> net = base_network()
    >>> net.widths, net.meta["certified_error"], net.meta["certificate"]["level"]
    ((1, 10, 1), '89/2000', 'symbolic proof')
    """
    return qt.radial(G, 1, eps=EPS, method="piecewise linear")


def depth_two(base: qt.Network, dim: int) -> qt.Network:
    """One hidden layer of k quadratic neurons ``relu(a_j‖x‖² + b_j)`` and the base's read-out:
    the base's ``relu(x²)`` neuron folded into its pieces, in ``dim`` dimensions.

    >>> net = depth_two(base_network(), 3)
    >>> net.widths, net.params.dense       # 10·(3·3 + 3) + (10 + 1)
    ((10, 1), 131)
    """
    pieces, out = base.layers[1], base.layers[2]
    slopes = [dict(row).get(0, Fraction(0)) for row in pieces.w.rows]
    k = len(slopes)
    w_b = qt.Matrix((k, dim), tuple(tuple((i, a) for i in range(dim)) if a else ()
                                    for a in slopes))
    zeros = qt.Matrix.zeros(k, dim)
    hidden = qt.QuadraticLayer(zeros, (Fraction(0),) * k, zeros, (Fraction(0),) * k, w_b,
                               pieces.b, "relu")
    return qt.Network(tuple(f"x{i}" for i in range(1, dim + 1)), (hidden, out))


def _fold_holds(base: qt.Network, net: qt.Network) -> bool:
    """Part 2's exact weight check: pre-activation j of ``net`` is ``a_j‖x‖² + b_j``."""
    pieces, (hidden, out) = base.layers[1], net.layers
    slopes = [dict(row).get(0, Fraction(0)) for row in pieces.w.rows]
    first = base.layers[0]
    return (first.w_b.dense() == [[1]] and first.w_r.nonzero + first.w_g.nonzero == 0
            and first.b_r == first.b_g == first.c == (0,) and first.activation == "relu"
            and hidden.w_r.nonzero == hidden.w_g.nonzero == 0
            and set(hidden.b_r) | set(hidden.b_g) <= {0} and hidden.c == pieces.b
            and hidden.w_b.dense() == [[a] * net.n_inputs for a in slopes]
            and hidden.activation == pieces.activation == "relu" and out == base.layers[2])


def _points(dim: int, count: int, seed: int) -> list[list[Fraction]]:
    """Seeded rational points of the unit ball (1/64 grid, scaled inside)."""
    rng = np.random.default_rng([seed, dim])
    out = []
    for x in rng.uniform(-1, 1, (count, dim)):
        point = [Fraction(round(v * 64), 64) for v in x]
        norm2 = sum(v * v for v in point)
        out.append([v / 2 / max(1, int(norm2) + 1) for v in point])
    return out


def check() -> qt.Certificate:
    """Prove and cite the statement; one certificate, its parts in ``details["parts"]``.

    >>> cert = check()   # seconds: tests/test_proofs.py runs it  # doctest: +SKIP
    >>> cert.holds, cert.level, [p["level"][:5] for p in cert.details["parts"]]   # doctest: +SKIP
    (True, 'cited', ['symbo', 'symbo', 'exhau', 'exhau', 'cited', 'cited'])
    """
    start = time.perf_counter()
    base = base_network()
    k = base.widths[1]
    eps = Fraction(base.meta["certified_error"])
    parts = [replace(base.certificate, statement=f"1. in one dimension: "
                                                  f"{base.certificate.statement}")]

    t0 = time.perf_counter()
    networks = {d: depth_two(base, d) for d in DIMS}
    folded = [d for d, net in networks.items() if not _fold_holds(base, net)]
    parts.append(qt.Certificate(
        f"2. for every D = 1..{DIMS[-1]}, the depth-2 network's error on the unit ball is "
        f"<= {eps}", "symbolic proof", not folded and base.certificate.holds,
        (f"each hidden neuron's weights checked exactly: w_b = a_j·(1..1), c = b_j, all else "
         f"0, so its pre-activation is a_j‖x‖² + b_j; the read-out is the base network's; "
         f"t = ‖x‖² lies in [0, 1] on the ball, where part 1 bounds the error by {eps}",
         f"weights that fail the check: D = {folded}" if folded else
         f"all {len(networks)} dimensions pass"), time.perf_counter() - t0))

    t0 = time.perf_counter()
    agree, total = [], 0
    for dim in (2, 3, 16):
        three = qt.radial(G, dim, eps=EPS, method="piecewise linear", verify=False)
        for point in _points(dim, 12, 0):
            total += 1
            agree.append(networks[dim].exact(point) == three.exact(point))
    parts.append(qt.Certificate(
        "3. the depth-2 network equals the three-layer radial network exactly",
        "exhaustive", all(agree),
        (f"exact outputs equal at {sum(agree)} of {total} seeded rational points of the unit "
         "ball, D = 2, 3, 16",), time.perf_counter() - t0))

    t0 = time.perf_counter()
    readout = base.layers[2]
    tail = k + 1
    dense_ok = [networks[d].params.dense == k * (3 * d + 3) + tail for d in DIMS]
    nonzero = {d: networks[d].params.nonzero for d in DIMS}
    slopes = sum(1 for row in base.layers[1].w.rows if row)
    nonzero_ok = [nonzero[d] - nonzero[1] == (d - 1) * slopes for d in DIMS]
    parts.append(qt.Certificate(
        f"4. dense params = {k}(3D + 3) + {tail} = {3 * k}D + {3 * k + tail}, linear in D",
        "exhaustive", all(dense_ok) and all(nonzero_ok),
        (f"counted from the structure of each network, D = 1..{DIMS[-1]}: dense "
         f"{networks[1].params.dense} at D = 1, {networks[DIMS[-1]].params.dense} at "
         f"D = {DIMS[-1]} (the 3-layer radial network: 3D + {base.params.dense - 3})",
         f"nonzero grows by exactly the number of nonzero slopes a_j per dimension "
         f"({nonzero[1]} at D = 1, {nonzero[DIMS[-1]]} at D = {DIMS[-1]}; read-out "
         f"{readout.nonzero_params})"), time.perf_counter() - t0))

    parts.append(qt.Certificate("5. depth-2 ReLU networks need width exponential in D for "
                                "some radial functions", "cited", True, (ELDAN_SHAMIR,), 0.0))
    parts.append(qt.Certificate("6. one hidden layer of quadratic neurons suffices for radial "
                                "functions", "cited", True, (FAN_XIONG_WANG,), 0.0))
    return replace(qt.Certificate.combine(STATEMENT, parts),
                   seconds=time.perf_counter() - start)
