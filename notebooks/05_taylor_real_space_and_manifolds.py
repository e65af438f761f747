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
# # 05 · The approximation theorems: real space and manifolds
# **About 35 minutes.** How smooth targets are approximated with certified error: the
# real-space Taylor construction (a grid, a partition of unity, local Taylor polynomials) in
# both families, its error budget, parameters against 1/ε, and networks on a circle or a
# sphere in which the ambient dimension enters only the first layer.
#
# Notebooks 01–04 were about what one quadratic neuron computes exactly. The paper's
# efficiency claims are about *smooth* targets, approximated to error $\varepsilon$, and they
# rest on two theorems:
#
# 1. **Real space** (Yarotsky 2017, arXiv:1610.01145, Thm 1): on a grid of $N + 1$ points per
#    axis, a partition of unity $\varphi_m$ times local Taylor polynomials $P_m$ of degree
#    $n - 1$ gives $|f - \sum_m \varphi_m P_m| \le (d^n/n!)\,\max|D^n f|\,(2/(3N))^n$. The sum
#    needs products: a **quadratic** network computes them exactly, one neuron each,
#    $O(\varepsilon^{-d/n})$ params; a **ReLU** network pays $\log(1/\varepsilon)$ sawtooth
#    levels per product.
# 2. **Manifolds** (Chen, Jiang, Liao, Zhao 2019, arXiv:1908.01842): charts found by
#    $\lVert x - c_i\rVert^2$, one quadratic neuron each, then the real-space construction in
#    the intrinsic dimension $d$: the ambient dimension $D$ only enters the distance neurons.
#
# Every network below is built with exact rational weights and certified: its error bound is
# proved (by construction, each step), and the error observed on a dense sample never exceeds
# it.

# %%
import math
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np

import quadtheory as qt
from quadtheory import exercises

# %% [markdown]
# ## The partition of unity
# The trapezoid $\psi(t) = \min(1, \max(0, 2 - |t|))$, placed at the grid points,
# $\psi(3N u - 3m)$, sums to 1 on $[0, 1]$; at any $u$ at most two are positive. Each is a sum
# of four relu *pieces* $\mathrm{relu}(3Nu - j)$, the first layer of both families' networks.
# In $d$ dimensions $\varphi_m(u) = \prod_k \psi(3N u_k - 3m_k)$: at most $2^d$ are positive.

# %%
N = 4
u = np.linspace(0, 1, 801)
psi = [np.clip(2 - np.abs(3 * N * u - 3 * m), 0, 1) for m in range(N + 1)]
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.4))
for m, p in enumerate(psi):
    left.plot(u, p, label=f"$\\psi_{m}$")
left.plot(u, np.sum(psi, axis=0), "k--", label="sum")
left.set_xlabel("u")
left.legend(fontsize=8, ncol=3)
grid = np.clip(2 - np.abs(3 * N * u[:, None] - 3 * 2), 0, 1) * np.clip(
    2 - np.abs(3 * N * u[None, :] - 3 * 1), 0, 1)
right.imshow(grid, origin="lower", extent=(0, 1, 0, 1), cmap="Blues")
right.set_title("$\\varphi_{(1, 2)}(u_1, u_2)$, N = 4")
plt.show()

# %% [markdown]
# ## Both networks for $\sin(x)\,e^y$ on $[0, 1]^2$
# The derivatives are bounded rigorously (interval arithmetic on sympy's derivatives), the
# grid is sized from those bounds, the Taylor coefficients are rounded to rationals with a
# proved error. `taylor_construct` picks the order $n$ with the fewest nonzero params unless
# one is given; here $n = 3$ for both families, at $\varepsilon = 10^{-2}$.

# %%
target = "sin(x)*exp(y)"
nets = {family: qt.taylor_construct(target, ["x", "y"], "0:1", "1e-2", smoothness=3,
                                    family=family)
        for family in ("quadratic", "relu")}
for family, net in nets.items():
    print(f"{family:9}  N = {net.details['grid']}, sawtooth levels "
          f"{net.details['sawtooth_levels']}, params {net.params}, depth {net.depth}")
    print(f"           certified {float(net.certified_error):.3g} ({net.certificate.level}), "
          f"observed {net.certificate.details['observed_max_error']}")
    print(f"           closed form {net.details['closed_form_params']}, "
          f"{net.details['vanishing_entries']} entries vanished")

# %% [markdown]
# The error surfaces: the quadratic network is $\sum_m \varphi_m P_m$ exactly (its error is the
# Taylor remainder's); the ReLU network adds the error of its approximate products, within its
# budget.

# %%
xs = np.linspace(0, 1, 121)
X, Y = np.meshgrid(xs, xs)
points = np.stack([X.ravel(), Y.ravel()], axis=1)
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for ax, (family, net) in zip(axes, nets.items()):
    error = net.numeric(points)[:, 0] - np.sin(points[:, 0]) * np.exp(points[:, 1])
    image = ax.imshow(error.reshape(X.shape), origin="lower", extent=(0, 1, 0, 1),
                      cmap="RdBu")
    ax.set_title(f"{family}: error, certified ≤ {float(net.certified_error):.2g}")
    fig.colorbar(image, ax=ax)
plt.show()

# %% [markdown]
# ## The error budget
# Each certified error is a sum of proved parts: the Taylor remainder
# $(d^n/n!)\,W_n\,(2/(3N))^n$ (with $W_n$ the proved bound on the $n$-th derivatives, in the
# cube's coordinates), the rounding of the Taylor coefficients to a dyadic grid (at most
# $\varepsilon/64$), and, for ReLU only, the approximate products. The quadratic family
# gives the Taylor part all of $\varepsilon$ but the rounding; ReLU keeps room for its
# products, so its grid may be finer.

# %%
for family, net in nets.items():
    parts = {key: Fraction(net.details[key])
             for key in ("taylor_error", "rounding_error", "product_error")}
    print(f"{family:9}", ", ".join(f"{key} {float(v):.3g}" for key, v in parts.items()),
          f"| sum {float(sum(parts.values())):.3g} <= eps 0.01:", sum(parts.values()) <= 0.01)

# %% [markdown]
# ## Rates: params against $1/\varepsilon$
# The networks are sized from the derivative bounds alone, so their counts have closed forms
# (`taylor_counts`, equal to the built networks' counts): the rates can be read where building
# is out of reach. The fitted slope of $\log(\text{nonzero})$ against $\log(1/\varepsilon)$ is
# near $d/n$ for the quadratic family; the ReLU/quadratic ratio grows with $\log(1/\varepsilon)$.

# %%
rates = qt.taylor_rates(target, ["1e-2", "1e-3", "1e-4", "1e-5", "1e-6"], ["x", "y"], "0:1",
                        smoothness=3, lower_bounds=False)
print(qt.rates_report(rates, fit=True))
qt.plot_rates(rates)
plt.show()

# %% [markdown]
# Beyond what can be built: the closed forms for $d$ up to 6 at $\varepsilon = 10^{-4}$, for a
# target in the unit ball of $W^{n,\infty}$ (all derivatives up to order $n$ bounded by 1).

# %%
print(" d  n       N   quadratic nonzero   ReLU nonzero   ratio")
for d in (1, 2, 4, 6):
    for n in (2, 4):
        q, r = qt.taylor_counts(d, n, "1e-4"), qt.taylor_counts(d, n, "1e-4", "relu")
        print(f"{d:2} {n:2} {q.n_grid:7} {q.params.nonzero:19} {r.params.nonzero:14} "
              f"{r.params.nonzero / q.params.nonzero:7.1f}")

# %% [markdown]
# ## Manifolds: the ambient dimension only enters the distance neurons
# A circle (4 charts) embedded in $\mathbb{R}^D$ by a Cayley transform, the target
# $e^{x_1}\sin(x_2 + x_3)$ in ambient coordinates. The quadratic network reads $x$ only through
# its 4 distance neurons $\lVert x - c_i\rVert^2$ (its first layer): $3 \cdot 4 = 12$ dense
# params per dimension. Everything after them works in the chart coordinates, so its size
# depends on $D$ only through the target's derivatives *on the circle*: the embedding changes
# with $D$, and with it the derivative bounds and the grid $N$ of the charts. The ReLU network
# sums $D$ sawtooth squares per chart, and needs more levels as $D$ grows.

# %%
on_circle = "exp(x1)*sin(x2 + x3)"
dims = [3, 8, 16, 32]
counts = {"quadratic": [], "relu": []}
first_layer, grids = [], []
for D in dims:
    for family in counts:
        net = qt.manifold_construct(on_circle, "circle", D, "1e-2", family=family)
        assert net.certificate.holds and net.certified_error <= 0.01
        counts[family].append(net.params)
        if family == "quadratic":
            first_layer.append(net.layers[0].dense_params)
            grids.append(net.details["grid"])
for family, params in counts.items():
    print(f"{family:9} dense {[p.dense for p in params]}, nonzero {[p.nonzero for p in params]}")
print("quadratic, distance neurons (first layer), dense:", first_layer, "; chart grid N:", grids)
print("quadratic, first-layer dense per dimension:",
      [(b - a) / (e - s) for a, b, s, e in zip(first_layer, first_layer[1:], dims, dims[1:])])

# %%
fig, ax = plt.subplots(figsize=(7, 3.5))
for family, params in counts.items():
    ax.plot(dims, [p.nonzero for p in params], "o-", label=f"{family} (nonzero)")
ax.set_xlabel("ambient dimension D")
ax.set_yscale("log")
ax.legend()
ax.set_title(f"{on_circle} on a circle in R^D, ε = 0.01")
plt.show()

# %% [markdown]
# The 2-sphere works the same way with 6 charts (its partition of unity is exact on the sphere,
# its identities checked at the breakpoints of their pieces):

# %%
sphere = qt.manifold_construct("x1*x2 + x3", "sphere", 5, "1e-2")
print(sphere.details["manifold"], sphere.params, float(sphere.certified_error))
print("\n".join(sphere.certificate.checks[:4]))
print(f"the statements of proofs/ run with `quadtheory prove`; log2(1/ε) at ε = 1e-6: "
      f"{math.log2(1e6):.1f}")

# %% [markdown]
# ## Exercises
# Each answer is checked by the toolkit itself: `exercises.check(key, answer)` prints
# `pass` with what it checked, or `fail` with the reason and a hint. Replace each `None` and
# run the cell; the solutions are in
# `solutions/05_taylor_real_space_and_manifolds_solutions.py`.
#
# **05.1** A target on $[0, 1]^2$ with every derivative of order $\le 3$ bounded by 1
# ($W_3 = 1$), smoothness $n = 3$, $\varepsilon = 10^{-3}$. The quadratic construction gives
# the Taylor remainder $(d^n/n!)\,W_n\,(2/(3N))^n$ a share $63/64$ of $\varepsilon$ (the
# rest goes to rounding the coefficients) and takes the smallest grid $N$ that fits. How many
# cells (grid points, each with its local Taylor polynomial $P_m$) does it use? Work it out by
# hand before you ask `qt.taylor_counts`.

# %%
answer_1 = None  # a whole number
exercises.check("05.1", answer_1)

# %% [markdown]
# **05.2** For the same design, what is the certified Taylor remainder
# $(d^n/n!)\,W_n\,(2/(3N))^n$, exactly? Answer a `Fraction` or a string such as `"1/1000"`.

# %%
answer_2 = None  # an exact rational
exercises.check("05.2", answer_2)

# %% [markdown]
# **05.3** On a circle in $\mathbb{R}^D$, by how many dense parameters does the first layer
# of the quadratic network (the distance neurons $\lVert x - c_i\rVert^2$) grow when $D$
# grows by one?

# %%
answer_3 = None  # a whole number
exercises.check("05.3", answer_3)
