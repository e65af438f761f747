"""The real-space construction by a conventional ReLU network: every product approximate.

The layout of the quadratic network (:mod:`.quadratic_taylor`, :mod:`.counts`), each exact
product replaced by Yarotsky's approximate product (arXiv:1610.01145, Prop. 3)
``×̃(a, b) = (S(αa + b/α) − S(αa − b/α))/4``, ``S`` the folded sawtooth square on ``[−R, R]``
centred at 0 (:class:`~quadtheory._src.conventional.yarotsky.ReluBuilder`), ``L`` levels:

- ``S`` is even, so ``×̃(0, b) = ×̃(a, 0) = 0``: the approximate ``φ̃_m`` vanishes exactly where
  ``φ_m`` does, and so does the cell's term ``×̃(φ̃_m, P̃_m)`` (the error budget counts only
  the ``≤ 2^d`` active cells at a point: :mod:`.budget`);
- the monomials are of ``w = 2u − 1 ∈ [−1, 1]`` (so each square's range is small);
- a cell's polynomial passes one relu neuron ``relu(P̃_m + K')``, exact where ``φ_m > 0``
  (``K' ≥ |P̃_m|`` there); elsewhere its value is irrelevant (it is multiplied by 0);
- values wait for their readers in relu carries ``relu(v + s) − s`` (``s ≥ −v``: exact).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from ..conventional.yarotsky import ReluBuilder, Value
from ..core.domain import Box
from ..errors import InternalError
from .budget import ProductBudget
from .grid import Exponents, children, height, monomials, split, stage, tree_nodes
from .local import LocalPolynomials
from .partition import Built, Coordinates, first_layer, psi_value

ONE, ZERO = Fraction(1), Fraction(0)


class _Carrier:
    """Values lifted level by level through relu carries ``relu(v + s) − s``, each level
    made once (``v + s ≥ 0`` proved when the value is registered)."""

    def __init__(self, builder: ReluBuilder) -> None:
        self.builder = builder
        self.chains: dict[Exponents, dict[int, Value]] = {}
        self.shifts: dict[Exponents, Fraction] = {}

    def start(self, key: Exponents, value: Value, shift: Fraction) -> None:
        self.chains[key] = {value.level: value}
        self.shifts[key] = shift

    def at(self, key: Exponents, level: int) -> Value:
        chain, shift = self.chains[key], self.shifts[key]
        below = max(k for k in chain if k <= level)
        value = chain[below]
        for k in range(below + 1, level + 1):
            carried, _ = self.builder.relu(value + shift)
            value = carried - shift
            chain[k] = value
        return value


def approximate_product(b: ReluBuilder, x: Value, y: Value, radius: Fraction, levels: int,
             alpha: Fraction = ONE) -> Value:
    """``×̃(x, y)`` with both squares on ``[−R, R]`` (zero-preserving)."""
    u = b.square(x * alpha + y * (1 / alpha), -radius, radius, levels)
    v = b.square(x * alpha - y * (1 / alpha), -radius, radius, levels)
    return (u.value - v.value) * Fraction(1, 4)


def build_relu(names: Sequence[str], box: Box | None, coords: Coordinates,
               local: LocalPolynomials, order: int, budget: ProductBudget | None) -> Built:
    """The ReLU network of ``Σ_m ×̃(φ̃_m, P̃_m)`` over ``local``'s cells, reading its inputs
    through ``coords``, its squares sized by ``budget`` (None: no products, d = 1, n = 1)."""
    d, n, big_n = len(coords.axes), order, local.n_grid
    dv = len(coords.variables)
    b = ReluBuilder(tuple(names), None if box is None else [list(side) for side in box])

    def relu1(row: dict[int, Fraction], bias: Fraction) -> Value:
        return b.relu(Value(0, tuple(sorted(row.items())), bias))[0]

    axes, carried, vanishing = first_layer(relu1, coords, big_n, n > 1)
    cells = local.cells
    largest = max(local.local_sum(m) for m in cells)
    if budget is None:  # d = 1, n = 1: Σ c_m ψ_m, straight from the pieces
        output = Value.sum(psi_value(axes[0], big_n, m[0]) * local.coefficients[m][0]
                           for m in cells)
        vanishing += 2 * big_n + 1 - len(output.terms) - (output.const != 0)
        return Built(b.network(output), vanishing, ZERO, largest)
    levels = budget.levels
    if largest > budget.local_bound:
        raise InternalError(f"a local Taylor polynomial exceeds its bound: {largest} > "
                            f"{budget.local_bound}")
    top_stage = max(height(d), stage(n - 1) if n > 1 else 0)
    lam = 2 + top_stage * levels
    carrier = _Carrier(b)
    shifts, radii = budget.carry_shifts, budget.monomial_radii
    betas = monomials(dv, n)
    for k, value in enumerate(carried):
        beta = tuple(int(i == k) for i in range(dv))
        carrier.start(beta, value * coords.relu_scale + coords.relu_offset, shifts[beta])
    for beta in betas:
        if sum(beta) == 1:
            continue
        start = stage(sum(beta)) * levels + 1 - levels
        x, y = split(beta)
        if x == y:
            value = b.square(carrier.at(x, start), -radii[beta], radii[beta], levels).value
        else:
            value = approximate_product(b, carrier.at(x, start), carrier.at(y, start), radii[beta],
                             levels)
        carrier.start(beta, value, shifts[beta])
    # the partition of unity: leaves lifted, products aligned to end at lam
    phi: dict[tuple[tuple[int, ...], tuple[int, ...]], Value] = {}
    for node, depth in sorted(tree_nodes(d), key=lambda item: -item[1]):
        at = lam - depth * levels
        needed = sorted({tuple(m[k] for k in node) for m in cells})
        if len(node) == 1:
            (k,) = node
            for (i,) in needed:
                value = psi_value(axes[k], big_n, i)
                for _ in range(2, at + 1):
                    value, _ = b.relu(value)  # ψ ≥ 0: exact
                phi[node, (i,)] = value
            continue
        left, right = children(node)
        radius = budget.node_radii[node]
        for index in needed:
            part = dict(zip(node, index, strict=True))
            phi[node, index] = approximate_product(b, phi[left, tuple(part[k] for k in left)],
                                        phi[right, tuple(part[k] for k in right)],
                                        radius, levels)
    root = tuple(range(d))
    terms: list[Value] = []  # the output's, summed at once (Value.sum: linear in the cells)
    if n == 1:
        for m in cells:
            c = local.coefficients[m][0]
            vanishing += 0 if c else len(phi[root, m].terms)
            terms.append(phi[root, m] * c)
        return Built(b.network(Value.sum(terms)), vanishing, ZERO, largest)
    p, q = coords.relu_map
    used: set[Exponents] = set()
    for m in cells:
        poly = local.expanded(m, p, q)
        used.update(beta for beta in betas if poly[beta])
        t = Value(lam - 1, (), poly[(0,) * dv] + budget.shift)  # its neuron sits at lam
        for beta in betas:
            read = carrier.at(beta, lam - 1)
            if poly[beta]:
                t = t + read * poly[beta]
            else:
                vanishing += len(read.terms)
        vanishing += t.const == 0
        cell, _ = b.relu(t)
        terms.append(approximate_product(b, phi[root, m], cell - budget.shift, budget.radius,
                                         levels, budget.alpha))
    # A monomial no cell reads: its carry to the top (and its square, unless another
    # monomial's product tree needs it) is left out of the network, which keeps only what
    # the output reads; the closed form counts every monomial (it knows no coefficients).
    return Built(b.network(Value.sum(terms)), vanishing, budget.shift, largest,
                 len(betas) - len(used))


def coefficient_sums(coords: Coordinates, local: LocalPolynomials) -> Fraction:
    """``max_m Σ_β |c'_{m,β}|``: the coefficients in the monomials of ``w`` (the ``C`` the
    product budget must bound)."""
    p, q = coords.relu_map
    return max(sum((abs(v) for v in local.expanded(m, p, q).values()), ZERO)
               for m in local.cells)
