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
# # Solutions · 07 Real data: the bearing experiment and a pilot on your table
# The exercises at the end of `07_real_data_bearing_and_pilot.ipynb`, solved. Every answer
# goes through `exercises.check`; the last cell requires all of them to pass (CI runs this
# notebook). None of them trains anything.

# %%
from quadtheory import exercises

results = []

# %% [markdown]
# **07.1** With 3 inputs, one hidden layer of width $w$ and one output, a conventional MLP has
# $w(3 + 1) + 1\cdot(w + 1) = 5w + 1$ dense parameters, a quadratic one three times that:
# $3(5w + 1)$. At $w = 6$ that is 93 (7 below the budget), at $w = 7$ it is 108 (8 above):
# the pilot takes $w = 6$, 93 dense parameters, as its rows show.

# %%
counts = {w: 3 * (5 * w + 1) for w in range(1, 10)}
width = min(counts, key=lambda w: (abs(counts[w] - 100), w))
answer_1 = counts[width]
print(f"width {width}: {answer_1} dense params")
results.append(exercises.check("07.1", answer_1))
results[-1]

# %% [markdown]
# **07.2** The features are the 10 inputs and the $10 \cdot 11/2 = 55$ products $x_i x_j$ with
# $i \le j$: 65 weights and one bias, 66 dense parameters. (A quadratic neuron over 10
# inputs holds $3 \cdot 10 + 3 = 33$; its product $(w_r \cdot x + b_r)(w_g \cdot x + b_g)$ is
# of rank one, where the linear model pays for every pair.)

# %%
n = 10
answer_2 = n + n * (n + 1) // 2 + 1
results.append(exercises.check("07.2", answer_2))
results[-1]

# %% [markdown]
# **07.3** $d = 93.95 - 91.71 = 2.24$ points; the spread is the larger standard deviation,
# $2.72$ points. $|d| \le$ spread: **even**. The QCNN's mean is higher, but three seeds do
# not resolve a margin that small.

# %%
d, spread = 93.95 - 91.71, max(1.86, 2.72)
answer_3 = "better" if d > spread else "worse" if d < -spread else "even"
results.append(exercises.check("07.3", answer_3))
results[-1]

# %%
assert [r.key for r in results] == [e.key for e in exercises.list("07")]
assert all(results), [str(r) for r in results if not r]
print(f"all {len(results)} solutions pass")
