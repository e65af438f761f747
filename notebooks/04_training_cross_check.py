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
# # 04 · Training, cross-checked against the theory
# **About 30 minutes.** What gradient descent finds: Fan's quadratic layer in torch, trained
# networks read back exactly, a small cross-check sweep against the ReLU lower bound, and what
# a violation of that bound would mean.
#
# Notebooks 01–03 proved what networks *can* represent: a quadratic neuron computes $x^2$
# exactly, while a ReLU network needs $\Omega(\log 1/\varepsilon)$ neurons (a proven lower
# bound) to get within $\varepsilon$. Training answers a different question: what does gradient
# descent actually *find*? This notebook trains both families and checks the results against
# the theory, in exact arithmetic where it matters:
#
# 1. `quadtheory.nn`: Fan's quadratic layer in torch, and exact export / import of networks;
# 2. a small cross-check sweep on $x^2$: the efficiency plot;
# 3. what a **violation** of the lower bound would mean, and a deliberately broken claim that
#    the check catches.

# %%
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import torch
from IPython.display import Image, display

from quadtheory import (
    bound_check,
    construct,
    crosscheck,
    exercises,
    pieces,
    relu_construct,
    sup_error,
    yarotsky_square,
)
from quadtheory.nn import ConventionalMLP, QuadraticMLP, from_torch, to_torch

# %% [markdown]
# ## 1 · Quadratic layers in torch, and the way back
# `QuadraticMLP([1, 8, 1])` holds exactly the dense count of the same architecture in the
# core ($8\cdot(3\cdot1+3) + 1\cdot(3\cdot8+3)$). By default its layers start as conventional
# ones (ReLinear: $w_g = 0$, $b_g = 1$, $w_b = 0$, $c = 0$).
#
# `to_torch` turns an exact construction into a float64 module; `from_torch` reads a trained
# module back **exactly** (every float is a binary rational), so a trained network can be
# counted, evaluated exactly and cut into its exact linear pieces.

# %%
torch.manual_seed(0)
quadratic = QuadraticMLP([1, 8, 1])
print("quadratic MLP [1, 8, 1]:", sum(p.numel() for p in quadratic.parameters()), "params")

square = construct("x**2")
module = to_torch(square)
x = torch.linspace(-1, 1, 5, dtype=torch.float64)[:, None]
print("exported construction of x**2:", module(x).flatten().tolist())

relu = ConventionalMLP([1, 6, 1])
net = from_torch(relu, domain=[[-1, 1]])
error = sup_error(net, "x**2")
print(f"an untrained ReLU net [1, 6, 1]: {pieces(net).count} exact linear pieces on [-1, 1], "
      f"sup |x**2 - net| = {float(error.upper):.4f} ({'exact' if error.exact else 'enclosed'})")

# %% [markdown]
# ## 2 · A small sweep on $x^2$
# Every cell (family, hidden depth, width, seed) trains with the same honest loop (Adam,
# cosine schedule, full batch, float64, fixed seeds); every conventional network is then read
# back exactly and checked against the ReLU lower bound *for its own architecture at its own
# exact error*. The exact quadratic construction (6 parameters) is also trained from its own
# weights: it must keep its zero loss. `quadtheory crosscheck x**2` runs the full grid.

# %%
out = Path(tempfile.mkdtemp()) / "x2"
report = crosscheck("x**2", widths=[1, 2, 4, 8], depths=[1, 2], seeds=1, steps=300, out=out,
                    progress=False)
print(report.summary())

# %%
display(Image(filename=str(out / "efficiency.png")))

# %% [markdown]
# **Reading the plot.** Left: the exact sup error of each trained network against its dense
# parameter count, log-log. The dashed grey curves are the ReLU lower bound per depth: *no*
# ReLU network with fewer parameters than the curve reaches that error. Red points
# (conventional) must lie on or to the right of their depth's curve; blue points (quadratic)
# are not bound by it, and the green line is the exact quadratic construction, error 0 at 6
# parameters. Right: test RMSE, the measure of the efficiency table.

# %% [markdown]
# ## 3 · What a violation would mean
# The lower bound is a theorem: a ReLU network with widths $m_1..m_L$ has at most
# $\prod(m_i+1)$ linear pieces along a segment, and $k$ pieces cannot follow a curve of
# curvature $\kappa$ over length $h$ closer than $\kappa h^2/(16k^2)$. A trained network that
# beats it would therefore mean a **bug**: in the bound's constants, in the exact piece count,
# in the exact sup error, or in the import of the trained weights. The cross-check reports
# such a cell loudly (and the command exits 1); the sweep above has none.
#
# To see the check fire, pair a network with an error it does not have: Yarotsky's folded
# sawtooth with 8 pieces, claimed to reach the error of a much finer certified construction.

# %%
honest = relu_construct("x**2", "1/1000")
claimed = honest.certified_error
weak = yarotsky_square(2, radius=1)
print("honest:", bound_check(honest, "x**2", claimed).violations)
check = bound_check(weak, "x**2", claimed)
print(f"weak: {check.pieces} pieces, {check.pieces_needed} needed at error {float(claimed):.2e}")
for reason in check.violations:
    print("  VIOLATION:", reason)

# %%
figure, axis = plt.subplots(figsize=(6, 3.5))
grid = torch.linspace(-1, 1, 401, dtype=torch.float64)[:, None]
axis.plot(grid, grid**2, color="black", label="x²")
axis.plot(grid, to_torch(weak)(grid).detach(), label=f"{check.pieces} pieces (weak)")
axis.plot(grid, to_torch(honest)(grid).detach(), "--", label="certified, error ≤ 1/1000")
axis.legend()
axis.set_title("A claim of error 1/1000 with 8 pieces contradicts the bound")
plt.show()

# %% [markdown]
# ## Exercises
# Each answer is checked by the toolkit itself: `exercises.check(key, answer)` prints
# `pass` with what it checked, or `fail` with the reason and a hint. Replace each `None` and
# run the cell; the solutions are in `solutions/04_training_cross_check_solutions.py`.
#
# **04.1** How many parameters does `QuadraticMLP([2, 4, 1])` hold in torch? Work it out from
# the layer sizes first.

# %%
answer_1 = None  # a whole number
exercises.check("04.1", answer_1)

# %% [markdown]
# **04.2** Train a `ConventionalMLP([1, 8, 1])` on $x^2$ over $[-1, 1]$ (float64, full batch,
# Adam), read it back exactly with `from_torch(model, domain=[[-1, 1]])`, and hand in the
# network. The check computes its exact sup error (it must be below $1/10$) and checks it
# against the ReLU lower bound with `bound_check`.

# %%
answer_2 = None  # the qt.Network that from_torch returns
exercises.check("04.2", answer_2)

# %% [markdown]
# **04.3** Section 3 paired the network `yarotsky_square(2, radius=1)` with an error it does
# not have. What is the **smallest** error it can claim on $[-1, 1]$ without a violation of
# the lower bound? Answer exactly (a `Fraction` or a string such as `"1/3"`).

# %%
answer_3 = None  # an exact rational
exercises.check("04.3", answer_3)
