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
# # Solutions · 02 Exact polynomial networks
# The exercises at the end of `02_exact_polynomial_networks.ipynb`, solved. Every answer goes
# through `qt.exercises.check`; the last cell requires all of them to pass (CI runs this
# notebook).

# %%
import quadtheory as qt

results = []

# %% [markdown]
# **02.1** One neuron squares its input ($w_r = w_g = 1$: $\mathrm{relu}(x \cdot x)$); feeding
# its output into a second one squares again: $(x^2)^2 = x^4$.

# %%
square = qt.Network(("x",), (qt.quadratic_layer([[1]], w_g=[[1]]),))
answer_1 = qt.sequential(square, square)
results.append(qt.exercises.check("02.1", answer_1))
results[-1]

# %% [markdown]
# **02.2** $L$ quadratic layers reach degree $2^L$ at most, so $x^9$ needs
# $\lceil \log_2 9 \rceil = 4$ layers; the output neuron does the last product, so the
# construction needs no more.

# %%
answer_2 = 4
results.append(qt.exercises.check("02.2", answer_2))
results[-1]

# %% [markdown]
# **02.3** `construct` reports both counts: the lean network's `.params` and the naive
# baseline's `meta["naive_params"]`.

# %%
built = qt.construct("(1 + x + y + z)**3", verify=False)
answer_3 = built.meta["naive_params"]["nonzero"] - built.params.nonzero
print(built.params.nonzero, "lean against", built.meta["naive_params"]["nonzero"], "naive")
results.append(qt.exercises.check("02.3", answer_3))
results[-1]

# %% [markdown]
# **02.4** $\|x\|^4 = G(\|x\|)$ with $G(r) = r^4 = (r^2)^2$, a polynomial in $r^2$: `radial`
# computes $t = \|x\|^2$ with one neuron ($w_b = 1$) and squares it with a second. The
# expanded polynomial has six monomials, whose products `construct` shares but cannot fold into
# one square. (Given the factored form, `construct` finds that composition itself.)

# %%
answer_4 = qt.radial("r**4", 3)
expanded = "x1**4 + x2**4 + x3**4 + 2*x1**2*x2**2 + 2*x1**2*x3**2 + 2*x2**2*x3**2"
print(answer_4.params, "against", qt.construct(expanded).params)
results.append(qt.exercises.check("02.4", answer_4))
results[-1]

# %%
assert [r.key for r in results] == [e.key for e in qt.exercises.list("02")]
assert all(results), [str(r) for r in results if not r]
print(f"all {len(results)} solutions pass")
