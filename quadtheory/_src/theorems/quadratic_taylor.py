"""The real-space construction by a quadratic network: every product exact, one neuron each.

Yarotsky's scheme (arXiv:1610.01145, Thm 1) ``f ≈ Σ_m φ_m P_m`` needs products of up to
``d + n − 1`` factors; a quadratic neuron (Fan et al. 2023, arXiv:2303.06316) multiplies two
affine forms exactly, so (layout of :mod:`.counts`):

1. layer 1, conventional relu: the pieces ``relu(3N u_k − j)`` and the carries
   ``c_k = relu(u_k + 1) = u_k + 1`` (``u = (x − a)/L`` on the box);
2. the monomials ``c^β`` (``1 ≤ |β| < n``), one neuron ``relu(c^{β1}·c^{β2})`` each (a
   square through ``w_b``), all ``≥ 1``; ``φ_m = Π_k ψ_{m_k}(u_k)`` by a balanced tree of
   product neurons aligned to end with the monomials; relu carries where a value waits
   (exact: everything carried is ``≥ 0``);
3. one neuron ``relu(φ_m·(P_m + K))`` per grid point, ``P_m`` read in the monomials and
   ``K ≥ |P_m|`` where ``φ_m > 0`` (so the relu is exact), and the output ``Σ_m − K``, which
   is ``Σ_m φ_m P_m`` because ``Σ_m φ_m = 1``.

The network equals ``Σ_m φ_m P_m`` on the box by construction; every relu's argument is
``≥ 0`` by the ranges above (checked, not assumed: a range that fails raises).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from ..conventional.yarotsky import Value
from ..core.domain import Box
from ..core.layers import ConventionalLayer, Layer, QuadraticLayer
from ..core.matrix import Matrix
from ..core.network import Network
from ..errors import InternalError
from .grid import Exponents, children, height, monomials, split, stage, tree_nodes
from .local import LocalPolynomials
from .partition import Built, Coordinates, first_layer, psi_value

ONE, ZERO = Fraction(1), Fraction(0)


@dataclass
class Spec:
    """One neuron: a ``product`` ``(a)(b)``, a ``square`` of ``a`` (``w_b·h²`` when ``a`` is
    one value), a ``carry`` of ``a``, or a ``distance`` ``a·1 + Σ_k h_k²`` (``w_b = 1``: with
    ``a = −2c·h + ‖c‖²`` it is ``‖h − c‖²``)."""

    kind: str
    a: Value
    b: Value | None = None


@dataclass
class QuadraticBuilder:
    """Quadratic and conventional layers under construction, level by level (level 1 reads
    the inputs); a level of carries only becomes a conventional layer."""

    inputs: tuple[str, ...]
    box: Box | None
    levels: list[list[Spec]] = field(default_factory=list)

    def relu1(self, row: dict[int, Fraction], bias: Fraction) -> Value:
        """A relu neuron of level 1 reading ``row·inputs + bias``."""
        return self.carry(1, Value(0, tuple(sorted(row.items())), bias))

    def add(self, level: int, spec: Spec) -> Value:
        while len(self.levels) < level:
            self.levels.append([])
        neurons = self.levels[level - 1]
        neurons.append(spec)
        return Value(level, ((len(neurons) - 1, ONE),))

    def product(self, level: int, a: Value, b: Value) -> Value:
        return self.add(level, Spec("product", a, b))

    def square(self, level: int, a: Value) -> Value:
        return self.add(level, Spec("square", a))

    def carry(self, level: int, a: Value) -> Value:
        return self.add(level, Spec("carry", a))

    def network(self, output: Value | Sequence[Value]) -> Network:
        """The network whose outputs (an identity layer) are ``output``."""
        outputs = [output] if isinstance(output, Value) else list(output)
        width = len(self.inputs)
        layers: list[Layer] = []
        for specs in self.levels:
            layers.append(_layer(specs, width))
            width = len(specs)
        out = ConventionalLayer(Matrix((len(outputs), width), tuple(_row(o) for o in outputs)),
                                tuple(o.const for o in outputs), "identity")
        return Network(self.inputs, (*layers, out), self.box)


def _row(value: Value) -> tuple[tuple[int, Fraction], ...]:
    return tuple(sorted((j, v) for j, v in value.terms if v))


def _layer(specs: Sequence[Spec], width: int) -> Layer:
    shape = (len(specs), width)
    if all(s.kind == "carry" for s in specs):
        return ConventionalLayer(Matrix(shape, tuple(_row(s.a) for s in specs)),
                                 tuple(s.a.const for s in specs), "relu")
    empty: tuple[tuple[int, Fraction], ...] = ()
    w_r, b_r, w_g, b_g, w_b = [], [], [], [], []
    for s in specs:
        if s.kind == "square" and len(s.a.terms) == 1 and not s.a.const:
            ((j, coef),) = s.a.terms  # one value squared: w_b·(h⊙h), one weight
            w_r.append(empty), b_r.append(ZERO), w_g.append(empty), b_g.append(ZERO)
            w_b.append(((j, coef * coef),))
        elif s.kind == "square":
            w_r.append(_row(s.a)), b_r.append(s.a.const)  # (a)(a)
            w_g.append(_row(s.a)), b_g.append(s.a.const)
            w_b.append(empty)
        elif s.kind == "distance":
            w_r.append(_row(s.a)), b_r.append(s.a.const)
            w_g.append(empty), b_g.append(ONE)
            w_b.append(tuple((j, ONE) for j in range(width)))
        else:
            other = s.b if s.kind == "product" else Value.constant(ONE)
            w_r.append(_row(s.a)), b_r.append(s.a.const)
            w_g.append(_row(other)), b_g.append(other.const)  # type: ignore[union-attr]
            w_b.append(empty)
    return QuadraticLayer(Matrix(shape, tuple(w_r)), tuple(b_r), Matrix(shape, tuple(w_g)),
                          tuple(b_g), Matrix(shape, tuple(w_b)), (ZERO,) * len(specs), "relu")


def build_quadratic(names: Sequence[str], box: Box | None, coords: Coordinates,
                    local: LocalPolynomials, order: int, shift: Fraction) -> Built:
    """The quadratic network of ``Σ_m φ_m P_m`` over ``local``'s cells, reading its inputs
    through ``coords``; ``shift``: ``K``, proved ``≥ |P_m|`` where ``φ_m > 0`` (checked)."""
    d, n, big_n = len(coords.axes), order, local.n_grid
    dv = len(coords.variables)
    qb = QuadraticBuilder(tuple(names), box)
    axes, carried, vanishing = first_layer(qb.relu1, coords, big_n, n > 1)
    top = max(1 + height(d), 1 + stage(n - 1) if n > 1 else 1)
    betas = monomials(dv, n)
    # monomials of the carries c = ν + shift ≥ 1, each carried up to the top level
    mono: dict[tuple[Exponents, int], Value] = {}
    for k, value in enumerate(carried):
        mono[tuple(int(i == k) for i in range(dv)), 1] = value
    for level in range(2, top + 1):
        for beta in betas:
            own = 1 + stage(sum(beta))
            if own == level:
                a, b = split(beta)
                mono[beta, level] = (qb.square(level, mono[a, level - 1]) if a == b
                                     else qb.product(level, mono[a, level - 1],
                                                     mono[b, level - 1]))
            elif own < level:
                mono[beta, level] = qb.carry(level, mono[beta, level - 1])
    # the partition of unity, aligned to end at the top
    cells = local.cells
    phi: dict[tuple[tuple[int, ...], tuple[int, ...], int], Value] = {}
    for node, depth in sorted(tree_nodes(d), key=lambda item: -item[1]):
        at = top - depth
        needed = sorted({tuple(m[k] for k in node) for m in cells})
        if len(node) == 1:
            (k,) = node
            for (i,) in needed:
                value = psi_value(axes[k], big_n, i)
                for level in range(2, at + 1):
                    value = qb.carry(level, value)
                phi[node, (i,), at] = value
            continue
        a, b = children(node)
        for index in needed:
            part = dict(zip(node, index, strict=True))
            left = phi[a, tuple(part[k] for k in a), at - 1]
            right = phi[b, tuple(part[k] for k in b), at - 1]
            phi[node, index, at] = qb.product(at, left, right)
    root = tuple(range(d))
    largest = max(local.local_sum(m) for m in cells)
    if largest > shift:
        raise InternalError(f"a local Taylor polynomial exceeds its bound: {largest} > {shift}")
    if n == 1:
        output = Value.sum(phi[root, m, top] * local.coefficients[m][0] for m in cells)
        if d == 1:  # the pieces merge: what is missing among the 2N entries and the bias
            vanishing += 2 * big_n + 1 - len(output.terms) - (output.const != 0)
        else:
            vanishing += sum(1 for m in cells if not local.coefficients[m][0])
        return Built(qb.network(output), vanishing, ZERO, largest)
    terms = []
    p, q = coords.quadratic_map
    for m in cells:
        poly = local.expanded(m, p, q)
        t = Value.constant(poly[(0,) * dv] + shift)
        for beta in betas:
            t = t + mono[beta, top] * poly[beta]
        vanishing += sum(1 for beta in betas if not poly[beta]) + (t.const == 0)
        terms.append(qb.product(top + 1, phi[root, m, top], t))
    output = Value.sum([Value.constant(-shift), *terms])
    return Built(qb.network(output), vanishing, shift, largest)
