# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 · Conventional networks pay log(1/ε)
# **About 30 minutes.** Why ReLU networks pay O(log 1/ε) parameters for x²:
# Yarotsky's sawtooth construction with its exact error, the lower bound that no ReLU network
# escapes, and the comparison with the exact quadratic network.
#
# A quadratic neuron computes $x^2$ exactly with a handful of parameters. A conventional ReLU
# network is piecewise linear, so it can only *approximate* $x^2$, and every extra digit of
# accuracy costs parameters. This notebook makes both halves of that statement concrete and
# certified:
#
# 1. **Upper bound** — Yarotsky's sawtooth construction (Yarotsky 2017, "Error bounds for
#    approximations with deep ReLU networks", arXiv:1610.01145) reaches error ε with
#    $O(\log 1/\varepsilon)$ neurons; its error is computed *exactly* from its linear pieces.
# 2. **Lower bound** — *no* ReLU network can do much better: a function with $k$ linear pieces
#    misses a curved target by at least $\kappa h^2/(16k^2)$, and widths $m_1..m_L$ give at most
#    $\prod(m_i+1)$ pieces.
# 3. **Comparison** — quadratic params stay constant in ε while both ReLU counts grow like
#    $\log(1/\varepsilon)$.

# %%
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np

from quadtheory import (
    bounds,
    compare,
    exercises,
    pieces,
    plot_comparison,
    relu_construct,
    sawtooth,
    sup_error,
    yarotsky_square,
)

# %% [markdown]
# ## The tooth and the sawtooth
# The tooth $g(x) = 2\,\mathrm{relu}(x) - 4\,\mathrm{relu}(x - 1/2)$ maps $[0, 1]$ onto itself
# (tent-shaped, 2 neurons). Composed $s$ times it is a sawtooth $g_s$ with $2^{s-1}$ teeth: depth
# buys exponentially many pieces.

# %%
xs = np.linspace(0, 1, 1025)[:, None]
fig, ax = plt.subplots(figsize=(7, 3))
for s in (1, 2, 3):
    net = sawtooth(s)
    ax.plot(xs, net.numeric(xs), label=f"$g_{s}$: {pieces(net).count} pieces, "
            f"{net.params.dense} dense params")
ax.set_xlabel("x")
ax.legend(loc="upper right", fontsize=8)
plt.show()

# %% [markdown]
# ## $f_m$: subtracting sawtooths interpolates $x^2$
# $f_m(x) = x - \sum_{s=1}^{m} g_s(x)/4^s$ is the piecewise-linear interpolant of $x^2$ on the
# grid $k/2^m$. The layered network carries $x$ and the running sum through relu neurons (exact:
# they are nonnegative). `sup_error` splits the network into its exact linear pieces and maximises
# $|x^2 - f_m|$ on each: the sup error is **exactly** $2^{-2m-2}$, attained at the midpoints.

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.5))
left.plot(xs, xs**2, "k", linewidth=2, label="$x^2$")
for m in (0, 1, 2):
    left.plot(xs, yarotsky_square(m).numeric(xs), "--", label=f"$f_{m}$")
left.legend()
left.set_xlabel("x")
for m in (1, 2, 3):
    f = yarotsky_square(m)
    right.plot(xs, f.numeric(xs)[:, 0] - xs[:, 0] ** 2, label=f"$f_{m} - x^2$")
    right.axhline(2.0 ** (-2 * m - 2), color="gray", linewidth=0.5)
right.set_xlabel("x")
right.set_title("error, with the certified sup $2^{-2m-2}$")
right.legend(loc="upper right", fontsize=8)
plt.show()

# %%
print(" m  pieces  exact sup error  attained at  dense  nonzero")
for m in range(1, 9):
    f = yarotsky_square(m)
    err = sup_error(f, "x**2")
    assert err.exact and err.upper == Fraction(1, 2 ** (2 * m + 2))
    print(f"{m:2}  {pieces(f).count:6}  {err.upper!s:>15}  {err.at!s:>11}  "
          f"{f.params.dense:5}  {f.params.nonzero:7}")

# %% [markdown]
# Each extra level costs 3 neurons (12 dense parameters) and divides the error by 4: error ε
# costs about $\log_4(1/\varepsilon)$ levels. Folding through $|x| = \mathrm{relu}(x) +
# \mathrm{relu}(-x)$ squares on $[-M, M]$; shifting by half the error halves it.
#
# ## Products and polynomials, certified
# Products come from squares, $xy = ((x+y)^2 - (x-y)^2)/4$, and polynomials from product trees.
# Every intermediate quantity carries exact rational intervals for its value and its error, so
# `relu_construct` returns a network whose `certified_error` is proved $\le \varepsilon$ (and
# checked against a dense sample).

# %%
net = relu_construct("x*y - x**2/2", "1e-3", domain=(0, 1))
print(net.meta["certified_error"], "=", float(Fraction(net.meta["certified_error"])))
print(net.meta["params"], "depth", net.depth)
print(net.meta["certificate"]["statement"])

# %% [markdown]
# ## The lower bound: no ReLU network does much better
# Along a segment of length $h$ where $|f''| \ge \kappa$, a function with $k$ linear pieces has
# error $\ge \kappa h^2/(16k^2)$: some piece spans $\ge h/k$, and there the second difference of
# the error is $\ge \kappa\ell^2/4$. So error ε needs $k \ge \sqrt{\kappa h^2/(16\varepsilon)}$
# pieces, hence $\lceil\log_2 k\rceil$ hidden neurons, and at each depth a minimal dense
# architecture (an exact search over widths with $\prod(m_i+1) \ge k$). For $x^2$ on $[0, 1]$
# the bound is attained by the shifted $f_m$.

# %%
b = bounds("x**2", "1e-6", domain=(0, 1))
print("segment", b.segment, "kappa", b.kappa, "pieces needed", b.pieces_needed)
print("hidden neurons >=", b.min_neurons, " nonzero weights >=", b.min_nonzero)
for depth, dense in b.min_params_dense.items():
    print(f"depth {depth:2}: >= {dense:7} dense params, widths {b.widths[depth]}")

# %% [markdown]
# ## The comparison
# One row per ε: the exact quadratic network (constant), Yarotsky's certified construction, and
# the lower bound for any ReLU network. Both ReLU curves grow linearly in $\log(1/\varepsilon)$,
# their ratio bounded: the $\log(1/\varepsilon)$ price is real, and it is the price quadratic
# networks do not pay.

# %%
result = compare("x**2", ["1e-2", "1e-4", "1e-6", "1e-8"])
print(result.table())
plot_comparison(result)
plt.show()

# %% [markdown]
# ## Exercises
# Each answer is checked by the toolkit itself: `exercises.check(key, answer)` prints
# `pass` with what it checked, or `fail` with the reason and a hint. Replace each `None` and
# run the cell; the solutions are in `solutions/03_conventional_networks_pay_log_solutions.py`.
#
# **03.1** How many linear pieces does the sawtooth $g_6$ (`sawtooth(6)`) have on $[0, 1]$?
# Predict it from $g_1, g_2, g_3$ above, then check.

# %%
answer_1 = None  # a whole number
exercises.check("03.1", answer_1)

# %% [markdown]
# **03.2** The lower bound at $\varepsilon = 10^{-4}$: how many linear pieces does *any* ReLU
# network need to approximate $x^2$ on $[0, 1]$ within $10^{-4}$?

# %%
answer_2 = None  # a whole number
exercises.check("03.2", answer_2)

# %% [markdown]
# **03.3** Build a ReLU network (conventional layers) with input `x` within $1/1000$ of $x^2$
# on $[0, 1]$ (exact sup error), with no more dense parameters than the smallest of
# Yarotsky's $f_m$ that gets there.

# %%
answer_3 = None  # a qt.Network
exercises.check("03.3", answer_3)

# %% [markdown]
# **03.4** Does the lower bound rule out *every* ReLU network with 2 hidden layers and at most
# 300 dense parameters from approximating $x^2$ on $[0, 1]$ within $10^{-6}$? Answer `True`
# or `False`.

# %%
answer_4 = None  # True or False
exercises.check("03.4", answer_4)
