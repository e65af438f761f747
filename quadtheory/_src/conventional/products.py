"""Products, monomials and polynomials by ReLU networks, with a rigorous error budget.

Yarotsky 2017 (arXiv:1610.01145), Proposition 3: ``xy = ((x + y)² − (x − y)²)/4`` with two
approximate squares (:mod:`._yarotsky`), and monomials by product trees. Here:

- the degree-2 part of a polynomial is diagonalised exactly (Lagrange's reduction) into
  ``Σ d_k (ℓ_k·x + β_k)²``, the shifts ``β_k`` absorbing the linear part for free (a square's
  error does not depend on its centre);
- monomials of degree ≥ 3 are balanced product trees, a sub-monomial built once serving every
  monomial that contains it; ``ab`` is polarised as ``((αa + b/α)² − (αa − b/α)²)/4`` with
  ``α`` a power of 2 balancing the two ranges;
- every intermediate quantity has an exact rational interval for its exact value and for its
  error (computed − exact), propagated through the tree: a square of ``z = z_e + Δ`` with
  chain error ``δ ∈ [0, E]`` has error ``Δ(2z_e + Δ) + δ``, a product
  ``a_e·Δb + b_e·Δa + Δa·Δb + (δ_1 − δ_2)/4``; the final error interval is centred by the
  output bias, so the certified error is its half-width;
- the levels ``m`` of the chains are chosen to meet ε with few neurons: each chain gets an
  equal share of ε from its sensitivity, then every chain is trimmed while ε still holds.

Quantities finished early ride to the output inside the running-sum carry neurons of the
longest chains (:meth:`ReluBuilder.ride`) instead of neurons of their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import InternalError
from ..exact.intervals import Interval, interval_sum
from .yarotsky import ReluBuilder, SquareChain, Value, square_error

ZERO, ONE = Fraction(0), Fraction(1)
Lin = tuple[tuple[str, Fraction], ...]  # Σ coef·quantity, by key


@dataclass(frozen=True)
class Node:
    """One quantity of the plan: ``kind`` "square" (of the affine ``arg``), "product" (of the
    keys ``a``, ``b``) or "sum" (``arg``, no neuron). ``exact`` optionally narrows the range of
    its exact value (a monomial's range is exact; a sum's may be known better)."""

    key: str
    kind: str
    arg: Lin = ()
    const: Fraction = ZERO
    a: str = ""
    b: str = ""
    exact: Interval | None = None


@dataclass(frozen=True)
class Base:
    """A given quantity: a network input (level 0) with its exact range."""

    value: Value
    exact: Interval


@dataclass
class Plan:
    """Bases, nodes in dependency order, and the output ``Σ coef·key + const``."""

    bases: dict[str, Base]
    nodes: list[Node] = field(default_factory=list)
    output: Lin = ()
    const: Fraction = ZERO

    @property
    def chains(self) -> list[str]:
        """The keys whose nodes hold sawtooth chains (their levels are chosen)."""
        return [n.key for n in self.nodes if n.kind != "sum"]


@dataclass(frozen=True)
class Facts:
    """Exact range and error interval of one quantity, and the chains' ranges and errors."""

    exact: Interval
    error: Interval
    ranges: tuple[Interval, ...] = ()
    chain_errors: tuple[Fraction, ...] = ()
    alpha: Fraction = ONE

    @property
    def computed(self) -> Interval:
        return self.exact + self.error


def _scaled(iv: Interval, c: Fraction) -> Interval:
    return iv * c


def _lin(facts: Mapping[str, Facts], arg: Lin, const: Fraction) -> tuple[Interval, Interval]:
    exact = interval_sum(_scaled(facts[k].exact, c) for k, c in arg) + const
    error = interval_sum(_scaled(facts[k].error, c) for k, c in arg)
    return exact, error


def _alpha(a: Interval, b: Interval) -> Fraction:
    """A power of two near √(width b / width a): it balances the ranges of αa ± b/α."""
    wa, wb = a.hi - a.lo, b.hi - b.lo
    if not wa or not wb:
        return ONE
    ratio, k = wb / wa, 0
    while ratio > 2:
        ratio, k = ratio / 4, k + 1
    while ratio < Fraction(1, 2):
        ratio, k = ratio * 4, k - 1
    return Fraction(2) ** k


def analyse(plan: Plan, levels: Mapping[str, int], active: set[str] | None = None
            ) -> tuple[dict[str, Facts], Interval]:
    """Every quantity's facts for the given chain ``levels``; chains outside ``active`` count
    as exact (to measure one chain's share). Returns the facts and the output's error.

    >>> plan = _example()                      # xy on [0, 1]² as one product
    >>> facts, error = analyse(plan, {"p": 2})
    >>> str(facts["p"].exact), str(error)      # (δ1 − δ2)/4 with δ_i ∈ [0, 4^-3]
    ('[0, 1]', '[-1/256, 1/256]')
    """
    facts: dict[str, Facts] = {k: Facts(b.exact, Interval.point(ZERO))
                               for k, b in plan.bases.items()}
    for node in plan.nodes:
        on = active is None or node.key in active
        if node.kind == "sum":
            exact, error = _lin(facts, node.arg, node.const)
            facts[node.key] = Facts(exact.meet(node.exact) if node.exact else exact, error)
        elif node.kind == "square":
            z, dz = _lin(facts, node.arg, node.const)
            zc = z + dz
            e = square_error(zc.lo, zc.hi, levels[node.key]) if on else ZERO
            exact = z.square().meet(node.exact) if node.exact else z.square()
            error = dz * (z * 2 + dz) + Interval(ZERO, e)
            facts[node.key] = Facts(exact, error, (zc,), (e,))
        else:
            fa, fb = facts[node.a], facts[node.b]
            alpha = _alpha(fa.computed, fb.computed)
            u = fa.computed * alpha + fb.computed * (1 / alpha)
            v = fa.computed * alpha + fb.computed * (-1 / alpha)
            m = levels[node.key]
            e1, e2 = (square_error(w.lo, w.hi, m) if on else ZERO for w in (u, v))
            exact = fa.exact * fb.exact
            exact = exact.meet(node.exact) if node.exact else exact
            error = (fa.exact * fb.error + fb.exact * fa.error + fa.error * fb.error
                     + Interval(-e2 / 4, e1 / 4))
            facts[node.key] = Facts(exact, error, (u, v), (e1, e2), alpha)
    _, error = _lin(facts, plan.output, plan.const)
    return facts, error


def half_width(iv: Interval) -> Fraction:
    return (iv.hi - iv.lo) / 2


def choose_levels(plan: Plan, eps: Fraction) -> dict[str, int]:
    """Chain levels meeting ``eps`` (certified, after centring) with few neurons.

    >>> choose_levels(_example(), Fraction(1, 1000))     # R = 1: 4^-(m+1)/4 <= 1/1000
    {'p': 3}
    """
    keys = plan.chains
    if not keys:
        return {}
    # One chain at a time, the others exact: its error ≈ q·4^(−m−1), so q = 4·error(m=0).
    base = {k: 0 for k in keys}
    share = {k: 4 * half_width(analyse(plan, base, {k})[1]) for k in keys}
    budget = eps
    for _ in range(200):
        levels = {k: _level_for(share[k], budget / len(keys)) for k in keys}
        error = half_width(analyse(plan, levels)[1])
        if error <= eps:
            break
        budget = budget * eps / error / 2
    else:
        raise InternalError("could not meet the error budget")
    changed = True
    while changed:
        changed = False
        for k in sorted(keys, key=lambda k: -levels[k]):
            if levels[k] > -1:
                trial = {**levels, k: levels[k] - 1}
                if half_width(analyse(plan, trial)[1]) <= eps:
                    levels, changed = trial, True
    return levels


def _level_for(share: Fraction, budget: Fraction) -> int:
    """The least ``m ≥ −1`` with ``share·4^(−m−1) ≤ budget``."""
    m = -1
    while share / Fraction(4) ** (m + 1) > budget:
        m += 1
    return m


@dataclass
class Compiled:
    """The builder after compiling a plan, every quantity's value, and the facts."""

    builder: ReluBuilder
    values: dict[str, Value]
    facts: dict[str, Facts]
    error: Interval
    chains: dict[str, list[SquareChain]]


def _gather(b: ReluBuilder, parts: Sequence[tuple[Fraction, Value, Interval]], const: Fraction,
            top: int | None = None,
            hosts: Mapping[int, tuple[object, Fraction]] | None = None
            ) -> tuple[Value, Fraction]:
    """``Σ coef·value + const`` at level ``top`` (default: the deepest part). Early parts
    are summed as they come and carried up by one neuron per level, or by a host carry neuron
    of the output's own chains when one exists there. Returns the value and the constant to
    add to it (hosts shift their riders to keep them nonnegative)."""
    live = [(c, v, r) for c, v, r in parts if c and not v.is_constant]
    const += sum((c * v.const for c, v, _ in parts if c and v.is_constant), ZERO)
    if not live:
        return Value.constant(ZERO), const
    if top is None:
        top = max(v.level for _, v, _ in live)
    acc: Value | None = None
    acc_range = Interval.point(ZERO)
    correction = ZERO
    for level in range(min(v.level for _, v, _ in live), top + 1):
        for c, v, r in live:
            if v.level == level:
                acc = v * c if acc is None else acc + v * c
                acc_range = acc_range + r * c
        if level == top or acc is None or acc.is_constant:
            continue
        host = (hosts or {}).get(level + 1)
        if host is not None:
            neuron, coef = host
            rider = acc * (1 / coef)
            lo = (acc_range * (1 / coef)).lo
            b.ride(neuron, rider, lo)  # type: ignore[arg-type]
            correction += coef * lo
            acc, acc_range = None, Interval.point(ZERO)
        else:
            acc = b.lift(acc, level + 1, acc_range.lo, acc_range.hi)
    value = acc if acc is not None else Value.constant(ZERO)
    return value, const + correction


def compile_plan(plan: Plan, levels: Mapping[str, int], inputs: Sequence[str],
                 domain: Sequence[Sequence[object]] | None) -> Compiled:
    """Build the network layers of a plan (sum nodes that only the output reads are left to
    :func:`finish`, which inlines them).

    >>> plan = _example()
    >>> compiled = compile_plan(plan, {"p": 1}, ("x", "y"), [(0, 1), (0, 1)])
    >>> net = compiled.builder.network(finish(compiled, plan))
    >>> net.widths, net.exact(["1/2", "1/2"])     # (x+y)/2 = 1/2 is a grid point: exact
    ((8, 1), (Fraction(1, 4),))
    """
    facts, error = analyse(plan, levels)
    b = ReluBuilder(inputs, domain)
    compiled = Compiled(b, {k: base.value for k, base in plan.bases.items()}, facts, error, {})
    values = compiled.values
    output, _, read = _inlined(plan)
    readers = _readers(plan, output, read)

    def parts(arg: Lin) -> list[tuple[Fraction, Value, Interval]]:
        return [(c, values[k], facts[k].computed) for k, c in arg]

    for node in plan.nodes:
        f = facts[node.key]
        if node.kind == "sum":
            if node.key in read:
                value, const = _gather(b, parts(node.arg), node.const, None,
                                       _hosts(compiled, node.arg, readers))
                values[node.key] = value + const
            continue
        if node.kind == "square":
            z, const = _gather(b, parts(node.arg), node.const)
            built = [b.square(z + const, f.ranges[0].lo, f.ranges[0].hi, levels[node.key])]
            values[node.key] = built[0].value
        else:
            pa, pb = parts(((node.a, f.alpha), (node.b, 1 / f.alpha)))
            built = []
            for sign, rng in zip((1, -1), f.ranges, strict=True):
                z, const = _gather(b, [pa, (pb[0] * sign, pb[1], pb[2])], ZERO)
                built.append(b.square(z + const, rng.lo, rng.hi, levels[node.key]))
            values[node.key] = (built[0].value - built[1].value) * Fraction(1, 4)
        compiled.chains[node.key] = built
    return compiled


def _reads(node: Node) -> set[str]:
    return {k for k, _ in node.arg} | ({node.a, node.b} - {""})


def _inlined(plan: Plan) -> tuple[Lin, Fraction, set[str]]:
    """The output with every sum node that only it reads replaced by its terms (so the
    chains behind it can host riders); and the keys the remaining nodes read."""
    sums = {n.key: n for n in plan.nodes if n.kind == "sum"}
    used = set().union(*(_reads(n) for n in plan.nodes))
    out: dict[str, Fraction] = {}
    const = plan.const
    todo = [(k, c) for k, c in plan.output]
    inlined = set()
    while todo:
        key, coef = todo.pop()
        if key in sums and key not in used:
            todo.extend((k, coef * c) for k, c in sums[key].arg)
            const += coef * sums[key].const
            inlined.add(key)
        else:
            out[key] = out.get(key, ZERO) + coef
    read = set().union(*(_reads(n) for n in plan.nodes if n.key not in inlined))
    return tuple((k, c) for k, c in out.items() if c), const, read


def _readers(plan: Plan, output: Lin, read: set[str]) -> dict[str, int]:
    """How many consumers (remaining nodes, the output) read each key."""
    count: dict[str, int] = {k: 1 for k, _ in output}
    for node in plan.nodes:
        if node.kind != "sum" or node.key in read:
            for k in _reads(node):
                count[k] = count.get(k, 0) + 1
    return count


def _hosts(compiled: Compiled, lin: Lin, readers: Mapping[str, int]
           ) -> dict[int, tuple[object, Fraction]]:
    """Carry neurons, by level, of the chains that only this sum reads and that end at its
    top level: a rider there reaches the sum at no cost."""
    values = compiled.values
    live = [values[k].level for k, c in lin if c and not values[k].is_constant]
    top = max(live, default=0)
    hosts: dict[int, tuple[object, Fraction]] = {}
    for key, coef in lin:
        if (readers.get(key) != 1 or key not in compiled.chains or not coef
                or values[key].level != top):
            continue
        chains = compiled.chains[key]
        weights = [coef] if len(chains) == 1 else [coef / 4, -coef / 4]
        for chain, weight in zip(chains, weights, strict=True):
            for level, neuron in chain.carries:
                hosts.setdefault(level, (neuron, weight))
    return hosts


def finish(compiled: Compiled, plan: Plan, centre: bool = True) -> Value:
    """The plan's output at the top level, early parts riding in host carries; centred
    (the midpoint of its error interval subtracted) unless ``centre`` is false."""
    output, const, read = _inlined(plan)
    hosts = _hosts(compiled, output, _readers(plan, output, read))
    parts = [(c, compiled.values[k], compiled.facts[k].computed) for k, c in output]
    top = max((compiled.values[k].level for k, c in output
               if c and not compiled.values[k].is_constant), default=0)
    value, const = _gather(compiled.builder, parts, const, top, hosts)
    mid = (compiled.error.lo + compiled.error.hi) / 2 if centre else ZERO
    return value + (const - mid)


def _example() -> Plan:
    """The plan of ``xy`` on [0, 1]², for the examples."""
    unit = Interval(ZERO, ONE)
    return Plan({"x": Base(Value(0, ((0, ONE),)), unit), "y": Base(Value(0, ((1, ONE),)), unit)},
                [Node("p", "product", a="x", b="y")], (("p", ONE),))
