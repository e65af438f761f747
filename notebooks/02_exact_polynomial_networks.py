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
# # 02 · Exact polynomial networks: construct, verify, count
# **About 35 minutes.** Exact networks for any polynomial with qt.construct: how they are
# proved (qt.verify), counted (dense and nonzero, lean against naive) and how deep they must
# be; then radial functions G(‖x−c‖) with qt.radial, exact or with a proved error.
#
# A quadratic neuron multiplies two affine forms and adds squares (Fan et al., "One Neuron Saved
# Is One Neuron Earned", 2023, arXiv:2303.06316). Products of products give every monomial, so
# **every polynomial is computed exactly** by a quadratic network whose size does not depend on
# any accuracy ε, where ReLU networks pay $O(\log 1/\varepsilon)$ neurons for a single product
# (Yarotsky 2017, arXiv:1610.01145). This notebook builds such networks with `qt.construct`,
# proves them with `qt.verify`, counts them two ways, and then does the same for radial
# functions $G(\|x - c\|)$ with `qt.radial`, where one neuron computes $\|x - c\|^2$.

# %%
import math
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
import sympy

import quadtheory as qt

# %% [markdown]
# ## One polynomial, built and proved
# `qt.construct` reads the polynomial as a sparse exact polynomial, plans which products to
# compute (each monomial and sub-product once, shared), picks exact rational weights, and proves
# the result before returning it. Defaults: relu hidden layers, identity output, domain
# $[-1, 1]$ for every variable.

# %%
net = qt.construct("x**3*y - 2*x*y + 1/2")
print("depth", net.depth, "widths", net.widths)
print("params", net.params, "  naive:", net.meta["naive_params"])
print(net.meta["certificate"]["statement"], "->", net.meta["certificate"]["level"])

# %% [markdown]
# The network is exact: evaluated in rationals at any point of the domain it equals the
# polynomial, digit for digit (no rounding anywhere).

# %%
x, y = sympy.symbols("x y")
target = x**3 * y - 2 * x * y + sympy.Rational(1, 2)
for point in [("1/3", "-2/7"), ("-1", "1"), ("5/8", "0")]:
    value = net.exact(dict(zip(("x", "y"), point, strict=True)))[0]
    expected = target.subs({x: sympy.Rational(point[0]), y: sympy.Rational(point[1])})
    print(point, value, value == Fraction(str(expected)))

# %% [markdown]
# ## What `verify` proves
# `qt.verify` computes every neuron as an exact sparse polynomial, layer by layer, proves the
# sign of every relu pre-activation on the domain by interval arithmetic (so the relu is the
# identity, or zero, there), and compares the output with the target as polynomials over
# $\mathbb{Q}$. A wrong target is refused, and the certificate says why.

# %%
print(qt.verify(net, "x**3*y - 2*x*y + 1/2"))
print(qt.verify(net, "x**3*y - 2*x*y"))

# %% [markdown]
# ## Counting, lean against naive
# `dense` counts every weight and bias of the architecture (what torch would hold); `nonzero`
# counts the nonzero ones (the count approximation theory uses). The naive baseline builds every
# monomial with its own product tree. For the dense polynomials $(1 + x + y)^k$ sharing pays more
# and more.

# %%
rows = []
for k in range(1, 7):
    built = qt.construct(f"(1 + x + y)**{k}", verify=False)
    rows.append((k, built.params.dense, built.params.nonzero,
                 built.meta["naive_params"]["dense"], built.meta["naive_params"]["nonzero"]))
    print(f"k={k}: lean dense {rows[-1][1]:5} nonzero {rows[-1][2]:4} | "
          f"naive dense {rows[-1][3]:6} nonzero {rows[-1][4]:4}")
k, lean_d, lean_n, naive_d, naive_n = map(np.array, zip(*rows, strict=True))
fig, ax = plt.subplots(figsize=(6, 4))
ax.semilogy(k, lean_d, "o-", label="lean, dense")
ax.semilogy(k, naive_d, "o--", label="naive, dense")
ax.semilogy(k, lean_n, "s-", label="lean, nonzero")
ax.semilogy(k, naive_n, "s--", label="naive, nonzero")
ax.set(xlabel="k", ylabel="parameters", title=r"$(1 + x + y)^k$: exact networks")
ax.legend()
fig.tight_layout()

# %% [markdown]
# ## Depth: $\lceil \log_2 d \rceil$ layers are necessary and (with one more) enough
# $L$ quadratic layers compute polynomials of degree at most $2^L$, so $x^d$ needs
# $\lceil \log_2 d \rceil$ layers; balanced product trees stay within one more.

# %%
degrees = np.arange(1, 33)
depths = [qt.construct(f"x**{d}", verify=False).depth for d in degrees]
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.step(degrees, depths, where="mid", label="construct")
ax.plot(degrees, [math.ceil(math.log2(d)) for d in degrees], "k:", label=r"$\lceil\log_2 d\rceil$")
ax.plot(degrees, [math.ceil(math.log2(d)) + 1 for d in degrees], "k--",
        label=r"$\lceil\log_2 d\rceil + 1$")
ax.set(xlabel="degree d of $x^d$", ylabel="depth", title="depth of the exact network")
ax.legend()
fig.tight_layout()

# %% [markdown]
# ## A picture: the network is the polynomial
# Chebyshev's $T_6(x) = 32x^6 - 48x^4 + 18x^2 - 1$ on $[-1, 1]$. The network's float64 output
# (`net.numeric`) lies on the curve; the exact evaluation at rational points has error exactly 0.

# %%
chebyshev = "32*x**6 - 48*x**4 + 18*x**2 - 1"
t6 = qt.construct(chebyshev)
grid = np.linspace(-1, 1, 401)
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(grid, np.polynomial.chebyshev.chebval(grid, [0] * 6 + [1]), lw=6, alpha=0.3,
        label="$T_6$")
ax.plot(grid, t6.numeric(grid[:, None])[:, 0], "k", lw=1, label="network (float64)")
ax.set(xlabel="x", title=f"$T_6$: depth {t6.depth}, widths {t6.widths}, {t6.params.nonzero} "
       "nonzero params")
ax.legend()
fig.tight_layout()
exact_errors = {t6.exact([q])[0] - Fraction(str(sympy.chebyshevt(6, sympy.Rational(q))))
                for q in ("-1", "-2/3", "1/7", "5/9", "1")}
print("exact errors at rational points:", exact_errors)

# %% [markdown]
# ## Radial functions: one neuron for $\|x - c\|^2$
# `qt.radial(G, D)` builds $f(x) = G(\|x - c\|)$ on the ball $\|x - c\| \le R$. Its first layer
# is one quadratic neuron computing $t = \|x - c\|^2$ exactly ($w_b = 1$, the centre in the
# product term); the rest sees only $t$. When $G$ is a polynomial in $r^2$ the whole network is
# exact; here $(1 - r^2)^2$ in two dimensions.

# %%
bump = qt.radial("(1 - r**2)**2", 2)
print(bump.meta["method"], "| certified error", bump.meta["certified_error"], "|", bump.params,
      "| widths", bump.widths)
s = np.linspace(-1, 1, 101)
X, Y = np.meshgrid(s, s)
Z = bump.numeric(np.column_stack([X.ravel(), Y.ravel()]))[:, 0].reshape(X.shape)
Z[X**2 + Y**2 > 1] = np.nan  # the guarantee is on the ball
fig, ax = plt.subplots(figsize=(4.5, 4))
filled = ax.contourf(X, Y, Z, levels=20, cmap="viridis")
fig.colorbar(filled, ax=ax)
ax.set(title=r"$(1 - \|x\|^2)^2$, exact", aspect="equal")
fig.tight_layout()

# %% [markdown]
# ## Radial approximations, certified
# For $G(r) = e^{-r^2}$ the network approximates $\varphi(t) = G(\sqrt t)$ on $[0, R^2]$ with a
# **proved** sup error $\le \varepsilon$: either relu pieces (breakpoints from interval bounds
# of $|\varphi''|$) or a Taylor polynomial computed exactly by quadratic neurons (Lagrange
# remainder from an interval bound of $\varphi^{(k+1)}$); `radial` keeps the one with fewer
# nonzero parameters. The relu pieces grow like $\varepsilon^{-1/2}$, the polynomial's degree
# like $\log(1/\varepsilon)$.

# %%
epsilons = ["1/10", "1/100", "1/1000", "1/10000", "1/100000", "1/1000000"]
table = []
for eps in epsilons:
    meta = qt.radial("exp(-r**2)", 3, eps=eps, verify=False).meta
    c = meta["candidates"]
    table.append((float(Fraction(eps)), c["piecewise linear"]["params"]["nonzero"],
                  c["polynomial approximant"]["params"]["nonzero"], meta["method"]))
    print(f"eps {eps:>9}: relu pieces {c['piecewise linear']['pieces']:4} "
          f"({table[-1][1]:4} nonzero) | Taylor degree {c['polynomial approximant']['degree']:2} "
          f"({table[-1][2]:3} nonzero) -> {meta['method']}")
e, relu_nz, poly_nz, _ = zip(*table, strict=True)
fig, ax = plt.subplots(figsize=(6, 4))
ax.loglog(e, relu_nz, "o-", label="piecewise linear (relu)")
ax.loglog(e, poly_nz, "s-", label="polynomial approximant (quadratic)")
ax.invert_xaxis()
ax.set(xlabel="certified sup error ε", ylabel="nonzero params",
       title=r"$e^{-\|x\|^2}$ on the unit ball in $\mathbb{R}^3$")
ax.legend()
fig.tight_layout()

# %% [markdown]
# The certificate records the proof of the bound and, beside it, the largest error observed on
# a sample of the ball (evidence, not proof). Along a ray the observed error stays under the
# proved bound; the relu interpolant touches zero at its breakpoints.

# %%
for method in ("piecewise linear", "polynomial approximant"):
    approx = qt.radial("exp(-r**2)", 3, eps="1/100", method=method)
    print(method, "->", approx.meta["certificate"]["checks"][-1][:90], "...")
    r = np.linspace(0, 1, 400)
    errors = approx.numeric(np.column_stack([r, 0 * r, 0 * r]))[:, 0] - np.exp(-r**2)
    (line,) = plt.plot(r, errors, label=f"{method}, observed ({approx.params.nonzero} nonzero)")
    bound = float(approx.certified_error)
    plt.axhline(bound, ls=":", color=line.get_color(), label=f"{method}: proved bound ±{bound:.2g}")
    plt.axhline(-bound, ls=":", color=line.get_color())
plt.xlabel("r = ‖x‖")
plt.ylabel("network − exp(−r²)")
plt.title("errors along a ray: observed (solid) within the proved bounds (dotted)")
plt.legend()
plt.tight_layout()

# %% [markdown]
# ## Linear in the dimension
# Only the norm neuron sees $x$: each dimension adds its $w_r$, $w_g$, $w_b$ columns, 3 dense
# parameters (1 nonzero, $w_b = 1$). Depth-2 ReLU networks need exponentially many neurons in
# $D$ for some radial functions (Eldan & Shamir 2016, arXiv:1512.03965).

# %%
dims = range(1, 17)
counts = [qt.radial("exp(-r**2)", d, eps="1/1000", verify=False).params for d in dims]
print("dense:  ", [c.dense for c in counts])
print("nonzero:", [c.nonzero for c in counts])
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(dims, [c.dense for c in counts], "o-", label="dense")
ax.plot(dims, [c.nonzero for c in counts], "s-", label="nonzero")
ax.set(xlabel="dimension D", ylabel="params", title=r"$e^{-\|x\|^2}$, ε = 1/1000")
ax.legend()
fig.tight_layout()

# %% [markdown]
# ## Exercises
# Each answer is checked by the toolkit itself: `qt.exercises.check(key, answer)` prints
# `pass` with what it checked, or `fail` with the reason and a hint. Replace each `None` and
# run the cell; the solutions are in `solutions/02_exact_polynomial_networks_solutions.py`.
#
# **02.1** Build, by hand (`qt.Network`, `qt.quadratic_layer`, no `construct`), a network with
# input `x` computing $x^4$ on $[-1, 1]$ (or all of $\mathbb{R}$) with **two** quadratic
# neurons.

# %%
answer_1 = None  # a qt.Network
qt.exercises.check("02.1", answer_1)

# %% [markdown]
# **02.2** How many layers deep is `construct`'s exact network for $x^9$? Predict it from the
# depth rule above, then check.

# %%
answer_2 = None  # a whole number
qt.exercises.check("02.2", answer_2)

# %% [markdown]
# **02.3** How many nonzero parameters does sharing save for $(1 + x + y + z)^3$: the naive
# baseline's nonzero count minus the lean network's?

# %%
answer_3 = None  # a whole number
qt.exercises.check("02.3", answer_3)

# %% [markdown]
# **02.4** Build a network with inputs `x1, x2, x3` computing $\|x\|^4$ exactly on
# $[-1, 1]^3$ with **fewer** nonzero parameters than `construct`'s network of the expanded
# polynomial $(x_1^2 + x_2^2 + x_3^2)^2$.

# %%
answer_4 = None  # a qt.Network (or a construction)
qt.exercises.check("02.4", answer_4)
