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
# # Solutions · 03 Conventional networks pay log(1/ε)
# The exercises at the end of `03_conventional_networks_pay_log.ipynb`, solved. Every answer
# goes through `exercises.check`; the last cell requires all of them to pass (CI runs this
# notebook).

# %%
from quadtheory import bounds, exercises, relu_construct, sup_error, yarotsky_square

results = []

# %% [markdown]
# **03.1** $g_1$ is one tooth (2 pieces) and every composition doubles the teeth: $g_s$ has
# $2^{s-1}$ teeth, $2^s$ pieces; $g_6$ has $64$.

# %%
answer_1 = 2**6
results.append(exercises.check("03.1", answer_1))
results[-1]

# %% [markdown]
# **03.2** $\kappa = 2$ and $h = 1$ on $[0, 1]$: $k \ge \sqrt{\kappa h^2 / (16\varepsilon)} =
# \sqrt{2 / (16 \cdot 10^{-4})} = \sqrt{1250} \approx 35.4$, so 36 pieces. `bounds` computes
# the same, exactly.

# %%
answer_2 = bounds("x**2", "1e-4", domain=(0, 1)).pieces_needed
results.append(exercises.check("03.2", answer_2))
results[-1]

# %% [markdown]
# **03.3** $f_m$ misses $x^2$ by exactly $2^{-2m-2}$: $m = 4$ gives $1/1024 \le 1/1000$.
# `relu_construct` finds a slightly smaller network (it shifts $f_m$ down by half its error);
# both pass.

# %%
answer_3 = yarotsky_square(4)
print(sup_error(answer_3, "x**2").upper, answer_3.params)
results.append(exercises.check("03.3", answer_3))
print(exercises.check("03.3", relu_construct("x**2", "1/1000", domain=(0, 1))))
results[-1]

# %% [markdown]
# **03.4** At depth 2 the lower bound needs more than 300 dense parameters for $10^{-6}$:
# every such network is ruled out.

# %%
needed = bounds("x**2", "1e-6", depth=2, domain=(0, 1)).min_params_dense[2]
answer_4 = needed > 300
print(needed, "dense params needed at depth 2")
results.append(exercises.check("03.4", answer_4))
results[-1]

# %%
assert [r.key for r in results] == [e.key for e in exercises.list("03")]
assert all(results), [str(r) for r in results if not r]
print(f"all {len(results)} solutions pass")
