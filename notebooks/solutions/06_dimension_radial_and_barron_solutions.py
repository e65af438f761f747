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
# # Solutions · 06 Dimension: clusters, radial functions and a Barron-type rate
# The exercises at the end of `06_dimension_radial_and_barron.ipynb`, solved. Every answer
# goes through `exercises.check`; the last cell requires all of them to pass (CI runs this
# notebook).

# %%
from fractions import Fraction

import quadtheory as qt
from quadtheory import exercises

results = []

# %% [markdown]
# **06.1** Four blobs in general position get one ball each: 4 quadratic neurons with
# $3 \cdot 10 + 3 = 33$ dense parameters each ($w_r$, $w_g$, $w_b$ and $b_r$, $b_g$, $c$).

# %%
answer_1 = 4 * (3 * 10 + 3)
print(qt.separate(qt.cluster_points("blobs", 4, 10, points=5)).summary().splitlines()[0])
results.append(exercises.check("06.1", answer_1))
results[-1]

# %% [markdown]
# **06.2** The centroid $(1/3, 1/3)$: the own points are at squared distance at most
# $5/9$, the others at least $32/9$; any $r^2$ in between works, e.g. $r = 1$.

# %%
answer_2 = ((Fraction(1, 3), Fraction(1, 3)), 1)
results.append(exercises.check("06.2", answer_2))
results[-1]

# %% [markdown]
# **06.3** Only the norm neuron $t = \|x\|^2$ reads $x$; one more input adds one column to
# each of its $w_r$, $w_g$, $w_b$: 3 dense parameters.

# %%
answer_3 = 3
results.append(exercises.check("06.3", answer_3))
results[-1]

# %%
assert [r.key for r in results] == [e.key for e in exercises.list("06")]
assert all(results), [str(r) for r in results if not r]
print(f"all {len(results)} solutions pass")
