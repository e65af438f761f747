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
# # 01 · The quadratic neuron
# **About 25 minutes.** What one quadratic neuron computes and what its 3n + 3 parameters
# buy: squares, products and squared norms computed exactly by one or two neurons, each
# identity proved by qt.verify.
#
# A **conventional** neuron computes $\sigma(w\cdot x + b)$: $n + 1$ parameters for $n$ inputs.
# A **quadratic** neuron (Fan et al., "One Neuron Saved Is One Neuron Earned: On Parametric
# Efficiency of Quadratic Networks", 2023, arXiv:2303.06316) computes
#
# $$\sigma\big((w_r\cdot x + b_r)\,(w_g\cdot x + b_g) + w_b\cdot(x\odot x) + c\big),$$
#
# $3n + 3$ parameters. This notebook shows what the extra parameters buy: squares, products and
# squared norms computed **exactly** by one or two neurons, each identity proved, not sampled.

# %%
import matplotlib.pyplot as plt
import numpy as np

import quadtheory as qt

# %% [markdown]
# ## Counting parameters
# `dense` counts every weight and bias of the architecture; `nonzero` only those that are not 0.

# %%
print(" n  quadratic (3n+3)  conventional (n+1)")
for n in (1, 2, 3, 10):
    quadratic = qt.quadratic_layer([[1] * n])
    conventional = qt.conventional_layer([[1] * n])
    print(f"{n:2}  {quadratic.dense_params:16}  {conventional.dense_params:18}")

# %% [markdown]
# ## A conventional neuron is a degenerate quadratic one
# With $w_g = 0$, $b_g = 1$, $w_b = 0$, $c = 0$ the quadratic neuron computes
# $\sigma((w_r\cdot x + b_r)\cdot 1)$: the conventional neuron with $w = w_r$, $b = b_r$.
# `qt.as_quadratic` writes a conventional layer in that form; exact evaluation at rational points
# gives the same rationals.

# %%
conventional = qt.conventional_layer([[2, "-1/3"]], b=["1/2"])
quadratic = qt.as_quadratic(conventional)
for name, value in quadratic.fields.items():
    rows = value.dense() if isinstance(value, qt.Matrix) else [value]
    print(f"{name:>3} =", " | ".join(" ".join(map(str, row)) for row in rows))

before = qt.Network(("x", "y"), (conventional,))
after = qt.Network(("x", "y"), (quadratic,))
for point in [(0, 0), ("1/3", -2), (-1, 5), ("7/2", "1/4")]:
    assert before.exact(point) == after.exact(point)
    print(point, "->", before.exact(point)[0])
print("same expression:", before.symbolic() == after.symbolic(), before.symbolic()[0])
print("params:", before.params, "->", after.params)

# %% [markdown]
# ## $x^2$ with one neuron
# $w_r = w_g = 1$ gives $\mathrm{relu}(x\cdot x)$. `qt.verify` proves the identity on all of
# $\mathbb{R}$: the network is computed as an exact polynomial, and the relu's input is proved
# $\ge 0$ ($w_g = 1\cdot w_r$, so the product is $1\cdot r^2$).

# %%
square = qt.Network(("x",), (qt.quadratic_layer([[1]], w_g=[[1]]),))
print("x = -3/7 ->", square.exact(["-3/7"])[0], square.params)
print(qt.verify(square, "x**2"))

# %% [markdown]
# ## $xy$: one neuron under identity, two under relu
# With identity activation, $w_r = e_1$, $w_g = e_2$ gives $(x)(y)$. Under relu one neuron is not
# enough (its output is $\ge 0$, while $xy < 0$ at $(1/2, -1/2)$), but two are:
# $p = \mathrm{relu}(xy)$, $q = \mathrm{relu}(-xy)$ and the read-out $p - q = xy$, because
# $\mathrm{relu}(z) - \mathrm{relu}(-z) = z$ for every $z$.

# %%
xy_identity = qt.Network(("x", "y"), (qt.quadratic_layer([[1, 0]], w_g=[[0, 1]],
                                                         activation="identity"),))
print(qt.verify(xy_identity, "x*y"))

pair = qt.Network(("x", "y"), (qt.quadratic_layer([[1, 0], [-1, 0]], w_g=[[0, 1], [0, 1]]),))
xy_relu = qt.readout(pair, [[1, -1]])
print(xy_relu.symbolic()[0], xy_relu.params)
for point in [("1/2", "-1/2"), (3, "2/5"), (-4, "-1/8")]:
    print(point, "->", xy_relu.exact(point)[0])

# %%
print(qt.verify(xy_relu, "x*y"))

# %% [markdown]
# `qt.verify` proves it on all of $\mathbb{R}^2$ although $xy$ changes sign: it recognises the
# pair of neurons $p = \mathrm{relu}(xy)$, $q = \mathrm{relu}(-xy)$ read out as $p - q$, and
# $\mathrm{relu}(z) - \mathrm{relu}(-z) = z$ holds for every $z$. `proofs/quadratic_neuron.py`
# proves the same by cases: on $xy \ge 0$ the output is $xy - 0$, on $xy \le 0$ it is
# $0 - (-xy)$.

# %% [markdown]
# ## $\|x\|^2$ in three dimensions with one neuron
# $w_b = (1, 1, 1)$ and nothing else: $\mathrm{relu}(x_1^2 + x_2^2 + x_3^2)$, 12 dense parameters
# of which 3 are nonzero. (With $w_r = -2c$, $b_r = \|c\|^2$, $b_g = 1$ the same neuron computes
# $\|x - c\|^2$.)

# %%
norm = qt.Network(("x1", "x2", "x3"), (qt.quadratic_layer([[0, 0, 0]], w_b=[[1, 1, 1]]),))
print("x = (1/2, -1, 2/3) ->", norm.exact(["1/2", -1, "2/3"])[0], norm.params)
print(qt.verify(norm, "x1**2 + x2**2 + x3**2"))

# %% [markdown]
# ## Output surfaces
# Each neuron's output on a grid (`network.numeric`, float64, batched): $x^2$ as a curve,
# $\|x\|^2$ on the slice $x_3 = 0$, the identity neuron $xy$, and the two relu neurons
# $p$, $q$ with their read-out $p - q$.

# %%
t = np.linspace(-2, 2, 81)
X, Y = np.meshgrid(t, t)
grid = np.column_stack([X.ravel(), Y.ravel()])
slice_x3 = np.column_stack([grid, np.zeros(len(grid))])  # (x1, x2, 0)
surfaces = {
    r"$\|x\|^2$ on $x_3 = 0$ ($x = x_1$, $y = x_2$)": norm.numeric(slice_x3)[:, 0],
    r"$xy$ (identity neuron)": xy_identity.numeric(grid)[:, 0],
    r"$p = \mathrm{relu}(xy)$": pair.numeric(grid)[:, 0],
    r"$q = \mathrm{relu}(-xy)$": pair.numeric(grid)[:, 1],
    r"read-out $p - q$": xy_relu.numeric(grid)[:, 0],
}
fig, axes = plt.subplots(2, 3, figsize=(12, 7))
axes[0, 0].plot(t, square.numeric(t[:, None])[:, 0])
axes[0, 0].set(title=r"$\mathrm{relu}(x \cdot x) = x^2$", xlabel="x")
for ax, (title, z) in zip(axes.flat[1:], surfaces.items(), strict=True):
    filled = ax.contourf(X, Y, z.reshape(X.shape), levels=20, cmap="viridis")
    fig.colorbar(filled, ax=ax)
    ax.set(title=title, xlabel="x", ylabel="y", aspect="equal")
fig.tight_layout()

# %% [markdown]
# ## Exercises
# Each answer is checked by the toolkit itself: `qt.exercises.check(key, answer)` prints
# `pass` with what it checked, or `fail` with the reason and a hint. Replace each `None` and
# run the cell; the solutions are in `solutions/01_quadratic_neuron_solutions.py`.
#
# **01.1** How many dense parameters does a quadratic layer with 4 inputs and 3 neurons hold?
# Work it out from $3n + 3$ per neuron, then check.

# %%
answer_1 = None  # a whole number
qt.exercises.check("01.1", answer_1)

# %% [markdown]
# **01.2** Build a network with inputs `x, y` computing $(x - y + 1)(2x + y)$ on $[-1, 1]^2$
# (or on all of $\mathbb{R}^2$: `domain=None`) with two relu quadratic neurons and a linear
# read-out, as $p - q = xy$ above. The check proves it with `qt.verify`.

# %%
answer_2 = None  # a qt.Network
qt.exercises.check("01.2", answer_2)

# %% [markdown]
# **01.3** Build **one** quadratic neuron with inputs `x1, x2` computing $\|x - c\|^2$ for
# $c = (1, -2)$, on all of $\mathbb{R}^2$.

# %%
answer_3 = None  # a qt.Network of one neuron
qt.exercises.check("01.3", answer_3)
