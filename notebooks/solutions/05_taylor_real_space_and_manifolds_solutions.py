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
# # Solutions · 05 The approximation theorems: real space and manifolds
# The exercises at the end of `05_taylor_real_space_and_manifolds.ipynb`, solved. Every answer
# goes through `exercises.check`; the last cell requires all of them to pass (CI runs this
# notebook).

# %%
from fractions import Fraction

import quadtheory as qt
from quadtheory import exercises

results = []

# %% [markdown]
# **05.1** With $d = 2$, $n = 3$, $W_3 = 1$: $(d^n/n!) = 8/6 = 4/3$, and the remainder must
# stay within $(63/64)\cdot 10^{-3}$:
# $\frac43\left(\frac{2}{3N}\right)^3 \le \frac{63}{64000}$, i.e.
# $N^3 \ge \frac43\cdot\frac{8}{27}\cdot\frac{64000}{63} \approx 401.3$. $7^3 = 343$ is too
# small, $8^3 = 512$ fits: $N = 8$, so $9$ grid points per axis and $9^2 = 81$ cells.

# %%
N = next(n for n in range(1, 100)
         if Fraction(4, 3) * Fraction(2, 3 * n) ** 3 <= Fraction(63, 64) * Fraction(1, 1000))
answer_1 = (N + 1) ** 2
print(f"N = {N}; the toolkit's design: N = {qt.taylor_counts(2, 3, '1e-3').n_grid}")
results.append(exercises.check("05.1", answer_1))
results[-1]

# %% [markdown]
# **05.2** At $N = 8$: $\frac43\cdot\left(\frac{2}{24}\right)^3 = \frac43\cdot\frac{1}{1728}
# = \frac{1}{1296} \approx 7.7\cdot 10^{-4}$, within the share $\frac{63}{64}\cdot 10^{-3}$.

# %%
answer_2 = Fraction(4, 3) * Fraction(2, 3 * N) ** 3
print(answer_2, float(answer_2))
results.append(exercises.check("05.2", answer_2))
results[-1]

# %% [markdown]
# **05.3** The circle has 4 charts, so 4 distance neurons $\lVert x - c_i\rVert^2$ read $x$;
# one more input adds one column to each one's $w_r$, $w_g$ and $w_b$: $3 \cdot 4 = 12$.

# %%
answer_3 = 3 * 4
results.append(exercises.check("05.3", answer_3))
results[-1]

# %%
assert [r.key for r in results] == [e.key for e in exercises.list("05")]
assert all(results), [str(r) for r in results if not r]
print(f"all {len(results)} solutions pass")
