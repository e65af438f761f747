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
# # 06 · Dimension: clusters, radial functions and a Barron-type rate
# **About 30 minutes.** What quadratic networks claim as the dimension grows: clusters separated
# by one ball neuron each (certified at every point, or proved impossible), radial functions
# with parameters linear in the dimension, a Barron-type rate that does not depend on it, and
# what training finds at equal parameters.
#
# Three claims about quadratic networks only show when the dimension $D$ grows:
#
# 1. **clusters**: $C$ bounded clusters are separated by one layer of $C$ quadratic neurons
#    $r_i^2 - \|x - c_i\|^2$ (Noel & Muthiah-Nakarajan 2023, arXiv:2310.02901);
# 2. **radial functions**: one hidden layer of quadratic neurons approximates
#    $g(\|x\|^2)$ with parameters linear in $D$, while one hidden layer of ReLUs needs width
#    exponential in $D$ for some radial functions (Eldan & Shamir 2016, arXiv:1512.03965:
#    *cited*, not proved here);
# 3. **Barron-type rate**: targets $f = \frac1K\sum_k a_k\,\mathrm{relu}(q_k)$ of the
#    quadratic class have $k$-neuron approximations with $L^2(P)$ error at most
#    $\|f\|_B/\sqrt k$, whatever $D$ (Maurey's lemma in Barron 1993: *cited*; checked here by
#    Monte Carlo).
#
# Each number below says how it was obtained: exact (rational arithmetic), exhaustive (at every
# point of a finite set), sampled, or observed in training.

# %%
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import quadtheory as qt
from quadtheory import exercises

# %% [markdown]
# ## 1 · Clusters, separated by balls, certified at every point
# `cluster_points("nested", ...)` makes a core `a`, a shell `b` around it and a blob `c2`.
# `separate` gives every cluster a ball with an exact rational centre and radius, or explains
# why none exists: here a point of `a` is an exact convex combination of points of `b`, so any
# ball holding `b` holds it. A second layer then separates `b` as "inside the big ball, not in
# `a`'s ball".

# %%
data = qt.cluster_points("nested", 3, 2, points=25)
sep = qt.separate(data)
print(sep.summary())

# %%
x = data.array()
fig, ax = plt.subplots(figsize=(5.5, 5))
for name, color in zip(data.clusters, ["tab:blue", "tab:red", "tab:green"], strict=True):
    mask = np.array([label == name for label in data.labels])
    ax.scatter(x[mask, 0], x[mask, 1], s=12, color=color, label=f"cluster {name}")
    cluster = next(c for c in sep.clusters if c.cluster == name)
    ball = cluster.ball or cluster.fallback.balls[0]
    centre = [float(v) for v in ball.centre]
    ax.add_patch(plt.Circle(centre, float(ball.radius), fill=False, color=color,
                            linestyle="-" if cluster.ball else "--"))
ax.set_aspect("equal")
ax.legend(fontsize=8)
ax.set_title("balls (solid); the shell's outer ball of the second layer (dashed)")
plt.show()

# %% [markdown]
# ## 2 · Radial functions: parameters linear in $D$
# `radial` certifies a network for $G(\|x\|)$ once and for all dimensions: one quadratic
# neuron computes $t = \|x\|^2$, the rest sees only $t$. Its certificate (a proved bound,
# level "symbolic proof") does not depend on $D$; its dense parameter count grows by 3 per
# dimension. Folding the norm neuron into the next layer gives one hidden layer of quadratic
# neurons $\mathrm{relu}(a_j\|x\|^2 + b_j)$: $3k$ per dimension (the statement module
# `proofs/radial_separation.py` proves it and counts it for $D = 1..256$).

# %%
base = qt.radial("cos(2*pi*r**2)", 2, eps="1/20", method="piecewise linear")
print(base.meta["certified_error"], base.meta["certificate"]["level"], base.widths)
dims = [1, 2, 4, 8, 16, 32, 64, 128, 256]
dense = [qt.radial("cos(2*pi*r**2)", d, eps="1/20", method="piecewise linear",
                   verify=False).params.dense for d in dims]
k = base.widths[1]
print("dense params:", dict(zip(dims, dense, strict=True)))
print("one hidden layer after folding:", {d: k * (3 * d + 3) + k + 1 for d in dims})

# %% [markdown]
# ## 3 · The Barron-type rate
# `barron_target(D)` draws a target of the quadratic class with exact rational weights and
# $E[(q_k/s_k)^2] \le 1$ under $N(0, I_D)$ (computed exactly). Its $K = 8$ neurons compute it
# exactly. Maurey's argument: draw $k$ of its neurons with probabilities $|a_j|/\sum|a|$ and
# average; the expected squared $L^2(P)$ error is at most $\|f\|_B^2/k = 1/k$ in every
# dimension. A small Monte Carlo (sampled, evidence):

# %%
rng = np.random.default_rng(0)
for dim in (2, 32, 256):
    f = qt.barron_target(dim)
    xs = rng.standard_normal((100 * 200, dim))
    features = f.features(xs).reshape(100, 200, f.neurons)
    target = features @ (np.array(f.a) / f.neurons)
    signs = np.sign(np.array(f.a, dtype=float))
    row = []
    for k in (1, 4, 16):
        picks = rng.integers(0, f.neurons, size=(100, k))   # |a_j| = 1: uniform draws
        chosen = np.take_along_axis(features, picks[:, None, :].repeat(200, axis=1), axis=2)
        approx = (chosen * signs[picks][:, None, :]).mean(axis=2)
        row.append(f"k={k}: {((target - approx) ** 2).mean():.4f} (bound {1 / k:.4f})")
    print(f"D = {dim:3d}:", ", ".join(row))

# %% [markdown]
# ## 4 · Training, at equal parameters (observed)
# What gradient descent finds is another question. `study` trains one-hidden-layer quadratic
# and ReLU networks of (nearly) equal dense parameters on the radial target, over dimensions
# and seeds, through the sweep engine (`jobs=`/`scheduler=` run it on Dask). A tiny grid here;
# `quadtheory study radial` and `quadtheory study barron` run the full ones.

# %%
out = Path(tempfile.mkdtemp()) / "radial"
report = qt.study("radial", dims=[2, 8], widths=[16], seeds=2, steps=300, out=out,
                  progress=False)
print("\n".join(report.summary().split("\n## ")[1].splitlines()[:6]))

# %% [markdown]
# The intervals are Student-t intervals over seeds (two seeds: wide). The summary also gives
# the fewest parameters reaching an error and the slope of log(error) against log(D); the
# proofs and citations behind the theory are in `proofs/`, and `docs/separation-and-dimension.md`
# reports the full runs.

# %% [markdown]
# ## Exercises
# Each answer is checked by the toolkit itself: `exercises.check(key, answer)` prints
# `pass` with what it checked, or `fail` with the reason and a hint. Replace each `None` and
# run the cell; the solutions are in `solutions/06_dimension_radial_and_barron_solutions.py`.
#
# **06.1** How many dense parameters does the network that `qt.separate` builds for
# `qt.cluster_points("blobs", 4, 10, points=5)` have? Work it out before you run it.

# %%
answer_1 = None  # a whole number
exercises.check("06.1", answer_1)

# %% [markdown]
# **06.2** Find a ball by hand: an exact rational centre and radius such that $(0, 0)$,
# $(1, 0)$, $(0, 1)$ lie strictly inside and $(3, 3)$, $(-2, 2)$, $(2, -2)$ strictly outside.
# Answer `((cx, cy), r)` with integers, `Fraction`s or strings such as `"1/3"`.

# %%
answer_2 = None  # ((cx, cy), r), exact rationals
exercises.check("06.2", answer_2)

# %% [markdown]
# **06.3** By how many dense parameters does `qt.radial("exp(-r**2)", D, eps="1/100",
# method="piecewise linear")` grow when $D$ grows by one?

# %%
answer_3 = None  # a whole number
exercises.check("06.3", answer_3)
