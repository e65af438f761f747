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
# # Solutions · 01 The quadratic neuron
# The exercises at the end of `01_quadratic_neuron.ipynb`, solved. Every answer goes through
# `qt.exercises.check`, as in the notebook; the last cell requires all of them to pass (CI
# runs this notebook, so the solutions stay right as the toolkit changes).

# %%
import quadtheory as qt

results = []

# %% [markdown]
# **01.1** A neuron with $n$ inputs holds $w_r, w_g, w_b$ ($n$ entries each) and
# $b_r, b_g, c$: $3n + 3 = 15$ for $n = 4$; three neurons hold $45$.

# %%
answer_1 = 3 * (3 * 4 + 3)
results.append(qt.exercises.check("01.1", answer_1))
results[-1]

# %% [markdown]
# **01.2** With $z = (x - y + 1)(2x + y)$: the first neuron has $w_r = (1, -1)$, $b_r = 1$,
# $w_g = (2, 1)$, and computes $p = \mathrm{relu}(z)$; the second negates the first factor
# ($w_r = (-1, 1)$, $b_r = -1$) and computes $q = \mathrm{relu}(-z)$; the read-out is
# $p - q = z$.

# %%
pair = qt.Network(("x", "y"), (qt.quadratic_layer([[1, -1], [-1, 1]], b_r=[1, -1],
                                                  w_g=[[2, 1], [2, 1]]),))
answer_2 = qt.readout(pair, [[1, -1]])
results.append(qt.exercises.check("01.2", answer_2))
results[-1]

# %% [markdown]
# **01.3** $\|x - c\|^2 = x_1^2 + x_2^2 - 2c\cdot x + \|c\|^2$: $w_b = (1, 1)$,
# $w_r = -2c = (-2, 4)$, $b_r = \|c\|^2 = 5$, $w_g = 0$, $b_g = 1$. The relu is exact: the
# pre-activation is a sum of squares.

# %%
answer_3 = qt.Network(("x1", "x2"), (qt.quadratic_layer([[-2, 4]], b_r=[5], w_g=[[0, 0]],
                                                        b_g=[1], w_b=[[1, 1]]),))
results.append(qt.exercises.check("01.3", answer_3))
results[-1]

# %%
assert [r.key for r in results] == [e.key for e in qt.exercises.list("01")]
assert all(results), [str(r) for r in results if not r]
print(f"all {len(results)} solutions pass")
