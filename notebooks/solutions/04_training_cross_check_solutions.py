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
# # Solutions · 04 Training, cross-checked against the theory
# The exercises at the end of `04_training_cross_check.ipynb`, solved. Every answer goes
# through `exercises.check`; the last cell requires all of them to pass (CI runs this
# notebook).

# %%
from fractions import Fraction

import torch

from quadtheory import exercises, pieces, yarotsky_square
from quadtheory.nn import ConventionalMLP, QuadraticMLP, from_torch

results = []

# %% [markdown]
# **04.1** Every layer is quadratic, the output layer too, with $3 \cdot \mathrm{in} + 3$
# parameters per neuron: $4 \cdot (3 \cdot 2 + 3) + 1 \cdot (3 \cdot 4 + 3) = 36 + 15 = 51$.

# %%
answer_1 = 4 * (3 * 2 + 3) + 1 * (3 * 4 + 3)
print(sum(p.numel() for p in QuadraticMLP([2, 4, 1]).parameters()), "in torch")
results.append(exercises.check("04.1", answer_1))
results[-1]

# %% [markdown]
# **04.2** A full-batch Adam loop in float64 on 401 points of $[-1, 1]$; `from_torch` reads
# the trained weights back exactly.

# %%
torch.manual_seed(0)
model = ConventionalMLP([1, 8, 1]).double()
x = torch.linspace(-1, 1, 401, dtype=torch.float64)[:, None]
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
for _ in range(1000):
    optimizer.zero_grad()
    loss = ((model(x) - x**2) ** 2).mean()
    loss.backward()
    optimizer.step()
answer_2 = from_torch(model, domain=[[-1, 1]])
results.append(exercises.check("04.2", answer_2))
results[-1]

# %% [markdown]
# **04.3** Along $[-1, 1]$ ($h = 2$, $\kappa = 2$) a network with $k$ pieces misses $x^2$ by
# at least $\kappa h^2 / (16 k^2)$; the weak network has $k = 8$ pieces, so it may claim
# $8 / (16 \cdot 64) = 1/128$ and nothing smaller.

# %%
k = pieces(yarotsky_square(2, radius=1)).count
answer_3 = Fraction(2 * 2**2, 16 * k**2)
print(k, "pieces:", answer_3)
results.append(exercises.check("04.3", answer_3))
results[-1]

# %%
assert [r.key for r in results] == [e.key for e in exercises.list("04")]
assert all(results), [str(r) for r in results if not r]
print(f"all {len(results)} solutions pass")
