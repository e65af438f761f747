"""A function of the quadratic class f = (1/K)·Σ a_k·relu(q_k) is computed exactly by K quadratic
neurons, and k of its neurons sampled by Maurey's argument approximate it in L²(P) with
expected squared error at most ‖f‖_B²/k, whatever the dimension D (cited; checked by Monte
Carlo for D = 2..256).

The class (Fan et al., "One Neuron Saved Is One Neuron Earned", 2023, arXiv:2303.06316, the
Barron-space claim of the abstract): ``f(x) = (1/K)·Σ_k a_k·relu(q_k(x)/s_k)`` with
``q_k(x) = (u_k·x + b_k)(v_k·x + c_k)`` and ``P = N(0, I_D)``; the targets of ``quadtheory
study barron`` (exact rational weights, ``K = 8``, ``a_k = ±1``). Its Barron-type norm is
``‖f‖_B = (1/K)·Σ|a_k| = 1``. :func:`check` proves, checks or cites:

1. **symbolic proof** and **exhaustive**: the network of K relu quadratic neurons
   (``w_r = u_k/s_k``, ``b_r = b_k/s_k``, ``w_g = v_k``, ``b_g = c_k``) and the read-out
   ``a_k/K`` computes f: its read-out is ``a_k/K`` and each pre-activation equals
   ``q_k/s_k`` as an expanded polynomial (sympy; D = 2, 3, 5); for the study's dimensions up
   to 256 its exact outputs equal f's formula at seeded rational points (exhaustive over
   them).
2. **symbolic proof**: ``E[(q_k/s_k)²] ≤ 1`` for every k and D = 2..256, computed exactly
   from Isserlis' formula ``E[(X + b)²(Y + c)²] = σu²σv² + 2ρ² + c²σu² + b²σv² + 4bcρ +
   b²c²`` (X = u·x, Y = v·x jointly Gaussian); so every dictionary element
   ``g = ±‖f‖_B·relu(q_k/s_k)`` has ``‖g‖_{L²(P)} ≤ ‖f‖_B = 1``, in every dimension.
3. **cited**: Maurey's lemma as stated in Barron, "Universal approximation bounds for
   superpositions of a sigmoidal function", IEEE Trans. Inf. Theory 39(3), 1993, Lemma 1
   (attributed there to Maurey, via Pisier 1981): if f is in the closure of the convex hull
   of a set G of a Hilbert space with ``‖g‖ ≤ b`` on G, then for every n ≥ 1 and every
   ``c' > b² − ‖f‖²`` there is an f_n in the convex hull of n points of G with
   ``‖f − f_n‖² ≤ c'/n``. With part 2 (b ≤ ‖f‖_B): some k-neuron quadratic network is within
   ``‖f‖_B/√k`` of f in L²(P) (hence within the issue's ``2‖a‖₁/√k``), independent of D;
   the sampling proof gives the expectation over k i.i.d. neurons drawn with probabilities
   ``|a_j|/Σ|a|``. Barron 1993, Theorem 1, is the same bound, ``(2rC_f)²/n``, for sigmoidal
   networks on a ball.
4. **sampled** (Monte Carlo, evidence, not proof): for D = 2, 8, 32, 128, 256 and k = 1, 4,
   16, R = 200 independent draws of k neurons, each error ``‖f − f_S‖²`` estimated on its own
   fresh 200 points of P: the one-sided 99% upper confidence limit of the mean (normal
   approximation, R i.i.d. draws) is below ``‖f‖_B²/k`` in every dimension (``k·mean`` is
   ``E‖g‖² − ‖f‖²``, at most 1 whatever D).

What this does not say: that training finds such networks. ``quadtheory study barron``
trains both families at equal parameters and reports what it finds (observed).
"""

from __future__ import annotations

import time
from dataclasses import replace
from fractions import Fraction

import numpy as np
import sympy

import quadtheory as qt

STATEMENT = ("A function of the quadratic class f = (1/K)·Σ a_k·relu(q_k) is computed exactly by "
             "K quadratic neurons, and k of its neurons sampled by Maurey's argument approximate "
             "it in L²(P) with expected squared error at most ‖f‖_B²/k, whatever the dimension "
             "D (cited; checked by Monte Carlo for D = 2..256).")

SYMBOLIC_DIMS = (2, 3, 5)
STUDY_DIMS = (2, 4, 8, 16, 32, 64, 128, 256)
SAMPLED_DIMS = (2, 8, 32, 128, 256)
NEURONS = (1, 4, 16)
DRAWS, POINTS = 200, 200
Z_99 = 2.326   # one-sided 99% normal quantile
MAUREY = (
    "Barron, Universal approximation bounds for superpositions of a sigmoidal function, IEEE "
    "Trans. Inf. Theory 39(3):930-945, 1993, Lemma 1 (Maurey's lemma, via Pisier 1981): f in "
    "the closed convex hull of G in a Hilbert space, |g| <= b on G: for every n >= 1 and "
    "c' > b^2 - |f|^2 some f_n in the convex hull of n points of G has |f - f_n|^2 <= c'/n; "
    "Theorem 1 there: (2 r C_f)^2 / n for sigmoidal networks on the ball of radius r")


def same_function(f: qt.BarronTarget) -> bool:
    """Whether f's network is ``Σ_k (a_k/K)·relu(z_k)`` with each pre-activation ``z_k``
    identical to ``q_k/s_k`` as a polynomial (then it computes f, by the layers' formulas)."""
    net = f.network()
    hidden, out = net.layers
    linear = qt.Network(net.inputs, (replace(hidden, activation="identity"),))
    pre = linear.symbolic()
    return (hidden.activation == "relu" and out.activation == "identity"
            and out.w.dense() == [[Fraction(a, f.neurons) for a in f.a]] and out.b == (0,)
            and all(sympy.expand(z - q) == 0 for z, q in zip(pre, f.quadratics(),
                                                             strict=True)))


def _formula(f: qt.BarronTarget, point: list[Fraction]) -> Fraction:
    """f at a rational point, straight from its definition (no network)."""
    total = Fraction(0)
    for k, a in enumerate(f.a):
        first = sum((w * x for w, x in zip(f.u[k], point, strict=True)), f.b[k])
        second = sum((w * x for w, x in zip(f.v[k], point, strict=True)), f.c[k])
        total += a * max(first * second / f.scale[k], Fraction(0))
    return total / f.neurons


def exact_representation() -> qt.Certificate:
    """Part 1: the network of K quadratic neurons is f (symbolic for small D; exact at
    points for the study's dimensions)."""
    start = time.perf_counter()
    same = []
    for dim in SYMBOLIC_DIMS:
        same.append(same_function(qt.barron_target(dim)))
    agree, total = 0, 0
    rng = np.random.default_rng(7)
    for dim in STUDY_DIMS:
        f = qt.barron_target(dim)
        net = f.network()
        for x in rng.standard_normal((4, dim)):
            point = [Fraction(round(v * 64), 64) for v in x]
            total += 1
            agree += net.exact(point) == (_formula(f, point),)
    return qt.Certificate(
        "1. K relu quadratic neurons and the read-out a_k/K compute f exactly", "exhaustive",
        all(same) and agree == total,
        (f"D = {', '.join(map(str, SYMBOLIC_DIMS))}: the network is Σ_k (a_k/K)·relu(z_k) "
         "with every pre-activation z_k equal to q_k/s_k as an expanded polynomial (sympy; "
         "symbolic proof)",
         f"D = {', '.join(map(str, STUDY_DIMS))}: exact outputs equal f's formula at "
         f"{agree} of {total} seeded rational points (exhaustive over them)"),
        time.perf_counter() - start)


def moment_bound() -> qt.Certificate:
    """Part 2: ``E[(q_k/s_k)²] ≤ 1`` exactly, every k, D = 2..256."""
    start = time.perf_counter()
    worst = Fraction(0)
    for dim in STUDY_DIMS:
        f = qt.barron_target(dim)
        worst = max(worst, *(f.second_moment(k) / f.scale[k] ** 2 for k in range(f.neurons)))
    return qt.Certificate(
        "2. every dictionary element has L²(P) norm at most ‖f‖_B = 1", "symbolic proof",
        worst <= 1,
        ("E[(u·x + b)²(v·x + c)²] under N(0, I) by Isserlis' formula, in exact rationals: "
         f"max over k and D = 2..256 of E[(q_k/s_k)²] = {float(worst):.6f} <= 1",
         "relu(z)² <= z², so |relu(q_k/s_k)|_{L²(P)} <= 1 and |g| <= (1/K)·Σ|a_k| = 1"),
        time.perf_counter() - start)


def monte_carlo(seed: int = 0) -> tuple[qt.Certificate, dict[tuple[int, int], float]]:
    """Part 4: Maurey's sampling at D = 2..256; ``{(D, k): k·mean squared error}``."""
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    table, ok, lines = {}, True, []
    for dim in SAMPLED_DIMS:
        f = qt.barron_target(dim)
        norm = sum(abs(a) for a in f.a) / f.neurons
        weights = np.array([abs(a) for a in f.a], dtype=float) / sum(abs(a) for a in f.a)
        signs = np.sign(np.array(f.a, dtype=float))
        x = rng.standard_normal((DRAWS * POINTS, dim))
        features = f.features(x).reshape(DRAWS, POINTS, f.neurons)
        target = features @ (np.array(f.a, dtype=float) / f.neurons)
        for k in NEURONS:
            picks = rng.choice(f.neurons, size=(DRAWS, k), p=weights)
            chosen = np.take_along_axis(features, picks[:, None, :].repeat(POINTS, axis=1),
                                        axis=2)
            approx = (chosen * signs[picks][:, None, :]).mean(axis=2) * norm
            errors = ((target - approx) ** 2).mean(axis=1)
            mean = float(errors.mean())
            upper = mean + Z_99 * float(errors.std(ddof=1)) / np.sqrt(DRAWS)
            bound = norm**2 / k
            ok = ok and bool(upper <= bound)
            table[dim, k] = k * mean
            lines.append(f"D = {dim}, k = {k}: mean {mean:.4f}, 99% upper {upper:.4f} <= "
                         f"bound {bound:.4f}")
    return qt.Certificate(
        f"4. Monte Carlo: E‖f − f_S‖² <= ‖f‖_B²/k for D = {', '.join(map(str, SAMPLED_DIMS))}"
        f", k = {', '.join(map(str, NEURONS))}", "sampled", ok,
        (f"{DRAWS} i.i.d. draws of k neurons (probabilities |a_j|/Σ|a|), each error on its own "
         f"{POINTS} fresh points of N(0, I_D); one-sided 99% upper limit by the normal "
         "approximation to the mean of the draws", *lines),
        time.perf_counter() - start, {"k_times_mean": {f"D={d},k={k}": round(v, 4)
                                                       for (d, k), v in table.items()}}), table


def check() -> qt.Certificate:
    """Prove, check and cite the statement; one certificate, its parts in
    ``details["parts"]``.

    >>> cert = check()   # seconds: tests/test_proofs.py runs it  # doctest: +SKIP
    >>> cert.holds, cert.level, [p["level"] for p in cert.details["parts"]]   # doctest: +SKIP
    (True, 'cited', ['exhaustive', 'symbolic proof', 'cited', 'sampled'])
    """
    start = time.perf_counter()
    maurey = qt.Certificate("3. Maurey: some k-neuron network is within ‖f‖_B/√k in L²(P), "
                            "independent of D", "cited", True, (MAUREY,), 0.0)
    sampled, _ = monte_carlo()
    parts = [exact_representation(), moment_bound(), maurey, sampled]
    return replace(qt.Certificate.combine(STATEMENT, parts),
                   seconds=time.perf_counter() - start)
