"""Yarotsky's sawtooth square: ``x²`` to error ε by a ReLU network with O(log 1/ε) neurons.

Yarotsky, "Error bounds for approximations with deep ReLU networks", Neural Networks 94
(2017), arXiv:1610.01145, Proposition 2. The tooth ``g(x) = 2relu(x) − 4relu(x − 1/2) +
2relu(x − 1)`` maps [0, 1] onto itself; its s-fold composition ``g_s`` is a sawtooth with
``2^(s−1)`` teeth, and

    f_m(x) = x − Σ_{s=1..m} g_s(x) / 4^s

is the piecewise-linear interpolant of ``x²`` on the grid ``k/2^m``: ``2^m`` pieces and
``0 ≤ f_m(x) − x² ≤ 2^(−2m−2)``, with equality at the midpoints ``(2k−1)/2^(m+1)``. (On [0, 1]
the third neuron ``relu(x − 1)`` is zero, so it is left out.)

The layout is a plain MLP: layer s holds ``relu(g_{s−1})``, ``relu(g_{s−1} − 1/2)`` and the
running sum ``S_{s−1} = f_{s−1}`` carried through a relu neuron, which is exact because
``f_{s−1} ≥ x² ≥ 0``. The same chain squares any affine quantity ``z`` with proven range
``[lo, hi]``: *folded* through ``|w| = relu(w) + relu(−w)`` with ``w = z − c`` about the centre
``c`` (error ``R²·4^(−m−1)`` with ``R = (hi − lo)/2``, one layer less than the unfolded chain
for the same error), the running sum then being ``c² + 2cw + R²·f(|w|/R) ≥ z² ≥ 0``.

:class:`ReluBuilder` assembles such chains side by side, level by level, into one network.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from ..core import limits
from ..core.layers import ConventionalLayer
from ..core.limits import quoted
from ..core.matrix import Matrix
from ..core.network import Network
from ..core.numbers import format_rational, to_rational
from ..errors import InternalError, QuadTheoryError

ZERO, ONE, HALF = Fraction(0), Fraction(1), Fraction(1, 2)


@dataclass(frozen=True)
class Value:
    """A quantity the network computes: an affine form in the neurons of one level
    (level 0: the inputs). A form with no terms is a constant, available at every level.

    >>> v = Value(1, ((0, Fraction(2)),), Fraction(1)) * 3 + 1
    >>> v.terms, v.const
    (((0, Fraction(6, 1)),), Fraction(4, 1))
    """

    level: int
    terms: tuple[tuple[int, Fraction], ...] = ()
    const: Fraction = ZERO

    @classmethod
    def constant(cls, value: Fraction) -> Value:
        return cls(0, (), Fraction(value))

    @property
    def is_constant(self) -> bool:
        return not self.terms

    @classmethod
    def sum(cls, values: Iterable[Value | Fraction | int]) -> Value:
        """``Σ values`` in one pass, as repeated ``+`` gives it: adding one at a time copies
        the terms each time, quadratic in the count (an output summing a million cells).

        >>> Value.sum([Value(1, ((0, Fraction(1)),)), Value(1, ((0, Fraction(1)),), 2), 3])
        Value(level=1, terms=((0, Fraction(2, 1)),), const=Fraction(5, 1))
        """
        table: dict[int, Fraction] = {}
        const, level = ZERO, None
        for v in values:
            if not isinstance(v, Value):
                const += v
                continue
            const += v.const
            if not v.terms:
                continue
            if level is None:
                level = v.level
            elif v.level != level:
                raise InternalError(f"adding values of levels {level} and {v.level}")
            for j, c in v.terms:
                table[j] = table.get(j, ZERO) + c
        return cls(level or 0, tuple(sorted((j, c) for j, c in table.items() if c)), const)

    def __add__(self, other: Value | Fraction | int) -> Value:
        if not isinstance(other, Value):
            return Value(self.level, self.terms, self.const + other)
        if self.is_constant or other.is_constant:
            level = max(self.level if self.terms else 0, other.level if other.terms else 0)
        elif self.level != other.level:
            raise InternalError(f"adding values of levels {self.level} and {other.level}")
        else:
            level = self.level
        table = dict(self.terms)
        for j, v in other.terms:
            table[j] = table.get(j, ZERO) + v
        return Value(level, tuple(sorted((j, v) for j, v in table.items() if v)),
                     self.const + other.const)

    def __mul__(self, factor: Fraction | int) -> Value:
        if not factor:
            return Value.constant(ZERO)
        return Value(self.level, tuple((j, v * factor) for j, v in self.terms),
                     self.const * factor)

    def __neg__(self) -> Value:
        return self * -1

    def __sub__(self, other: Value | Fraction | int) -> Value:
        return self + (-other if isinstance(other, Value) else -Fraction(other))

    def __rsub__(self, other: Fraction | int) -> Value:
        return -self + other

    __radd__ = __add__
    __rmul__ = __mul__


@dataclass
class Neuron:
    """One relu neuron under construction: ``relu(Σ row[j]·h_j + bias)`` over the previous
    level. Mutable until the network is assembled, so a carry neuron can take a rider."""

    row: dict[int, Fraction]
    bias: Fraction


@dataclass(frozen=True)
class SquareChain:
    """What :meth:`ReluBuilder.square` built: the output ``value`` (``value − z²`` lies in
    ``[0, error]`` wherever ``z`` is in its stated range) and the carry neurons of the
    running sum, by level (each may take riders, see :meth:`ReluBuilder.ride`)."""

    value: Value
    error: Fraction
    carries: tuple[tuple[int, Neuron], ...] = field(default=())


def square_error(lo: Fraction, hi: Fraction, m: int, fold: bool = True) -> Fraction:
    """The proved one-sided error of an ``m``-level chain squaring ``z`` in ``[lo, hi]``.

    Folded: ``R²·4^(−m−1)`` with ``R = (hi − lo)/2`` (``m = −1``: the chord, no neuron);
    unfolded: ``(hi − lo)²·4^(−m−1)`` (``m = 0``: the chord).

    >>> square_error(Fraction(0), Fraction(1), 3, fold=False)   # f_3 on [0, 1]: 2^-8
    Fraction(1, 256)
    >>> square_error(Fraction(-1), Fraction(1), 2)               # folded: 4^-3
    Fraction(1, 64)
    """
    scale = (hi - lo) / 2 if fold else hi - lo
    return scale * scale / Fraction(4) ** (m + 1)


def chain_neurons(m: int, fold: bool = True) -> int:
    """Hidden neurons of an ``m``-level square chain.

    >>> [chain_neurons(m) for m in (-1, 0, 1, 2, 3)]
    [0, 2, 4, 7, 10]
    """
    if m < 1:
        return 2 * (m + 1) if fold else 0
    return (4 if fold else 2) + 3 * (m - 1)


class ReluBuilder:
    """Conventional relu layers under construction, level by level; values are affine forms.

    >>> b = ReluBuilder(("x",), [(0, 1)])
    >>> chain = b.square(b.input(0), Fraction(0), Fraction(1), 2, fold=False)
    >>> net = b.network(chain.value)
    >>> net.widths, net.exact(["1/4"]), chain.error   # f_2 interpolates x² at k/4
    ((2, 3, 1), (Fraction(1, 16),), Fraction(1, 64))
    """

    def __init__(self, inputs: Sequence[str], domain: Sequence[Sequence[object]] | None = None
                 ) -> None:
        self.inputs = tuple(inputs)
        self.domain = domain
        self.levels: list[list[Neuron]] = []
        self._lifted: dict[tuple[Value, int], Value] = {}

    def input(self, index: int) -> Value:
        return Value(0, ((index, ONE),), ZERO)

    @property
    def top(self) -> int:
        """The deepest level with neurons (0: none yet)."""
        return len(self.levels)

    def relu(self, value: Value) -> tuple[Value, Neuron]:
        """A new neuron ``relu(value)`` one level above ``value``; the value it outputs."""
        level = value.level + 1
        while len(self.levels) < level:
            self.levels.append([])
        neuron = Neuron(dict(value.terms), value.const)
        self.levels[level - 1].append(neuron)
        return Value(level, ((len(self.levels[level - 1]) - 1, ONE),), ZERO), neuron

    def lift(self, value: Value, level: int, lo: Fraction, hi: Fraction) -> Value:
        """``value`` (proved to lie in ``[lo, hi]``) at a higher ``level``, carried by one
        relu neuron per level: ``relu(v − lo) + lo`` is exact since ``v − lo ≥ 0``."""
        if value.is_constant or value.level >= level:
            return value if value.is_constant else self._check_level(value, level)
        key = (value, level)
        if key not in self._lifted:
            sign, shift = (ONE, ZERO) if lo >= 0 else (-ONE, ZERO) if hi <= 0 else (ONE, -lo)
            carried, _ = self.relu(value * sign + shift)
            for _ in range(level - carried.level):
                carried, _ = self.relu(carried)
            self._lifted[key] = carried * sign - shift * sign
        return self._lifted[key]

    @staticmethod
    def _check_level(value: Value, level: int) -> Value:
        if value.level != level:
            raise InternalError(f"value of level {value.level} needed at level {level}")
        return value

    @staticmethod
    def ride(carry: Neuron, rider: Value, lo: Fraction) -> None:
        """Add ``rider − lo`` (``rider ≥ lo`` proved) to a carry neuron's pre-activation: the
        carried running sum stays ``≥ 0``, so the relu stays exact, and the sum now carries
        the rider for free (no neuron of its own)."""
        for j, v in rider.terms:
            carry.row[j] = carry.row.get(j, ZERO) + v
            if not carry.row[j]:
                del carry.row[j]
        carry.bias += rider.const - lo

    def square(self, z: Value, lo: Fraction, hi: Fraction, m: int, fold: bool = True
               ) -> SquareChain:
        """Append Yarotsky's chain approximating ``z²`` for ``z`` proved in ``[lo, hi]``.

        ``m ≥ −1`` levels of the sawtooth (folded) or ``m ≥ 0`` (unfolded); the output is
        an affine form at ``m`` levels above ``z`` (one level for a folded ``m = 0``).
        """
        if not lo <= hi:
            raise InternalError(f"square: empty range [{lo}, {hi}]")
        if m < (-1 if fold else 0):
            raise QuadTheoryError(f"m: expected at least {-1 if fold else 0} sawtooth levels, "
                                  f"found {m}")
        error = square_error(lo, hi, m, fold)
        if lo == hi:  # a constant argument: its square is exact
            return SquareChain(Value.constant(lo * lo), ZERO)
        if fold:
            c, scale = (lo + hi) / 2, (hi - lo) / 2
            if m == -1:  # the chord of w² on [−R, R] is R²
                return SquareChain(z * (2 * c) + (scale * scale - c * c), error)
            plus, _ = self.relu(z - c)
            minus, _ = self.relu(c - z)
            t = (plus + minus) * (1 / scale)            # |w|/R in [0, 1]
            offset = (plus - minus) * (2 * c) + c * c   # c² + 2cw
            if m == 0:
                return SquareChain(offset + t * (scale * scale), error)
            upper, _ = self.relu(z - c - scale / 2)
            lower, _ = self.relu(c - z - scale / 2)
            half = (upper + lower) * (1 / scale)        # relu(|w|/R − 1/2)
        else:
            c, scale = lo, hi - lo
            if m == 0:  # the chord of z² on [lo, hi]
                return SquareChain(z * (lo + hi) - lo * hi, error)
            t_value = (z - lo) * (1 / scale)
            t, _ = self.relu(t_value)                   # t = (z − lo)/W in [0, 1]
            half, _ = self.relu(t_value - HALF)
            offset = t * (2 * c * scale) + c * c        # lo² + 2·lo·(z − lo)
        tooth = t * 2 - half * 4                        # g_1(t)
        total = offset + t * (scale * scale)            # S_0 = c² + 2cw + scale²·t
        carries = []
        weight = scale * scale
        for _ in range(1, m):
            weight /= 4
            up, _ = self.relu(tooth)
            down, _ = self.relu(tooth - HALF)
            total, neuron = self.relu(total - tooth * weight)
            carries.append((total.level, neuron))
            tooth = up * 2 - down * 4
        return SquareChain(total - tooth * (weight / 4), error, tuple(carries))

    def network(self, output: Value | Sequence[Value], **meta: object) -> Network:
        """The network whose outputs are ``output`` (values at the top level, or constants):
        the relu levels, then an identity output layer. Neurons no output depends on are
        dropped (counts describe what is used)."""
        outputs = [output] if isinstance(output, Value) else list(output)
        top = self.top
        for v in outputs:
            if not v.is_constant and v.level != top:
                raise InternalError(f"output of level {v.level}, expected {top}")
        keep = self._used(outputs)
        layers, width = [], len(self.inputs)
        index: dict[int, int] = {j: j for j in range(width)}
        for level, neurons in enumerate(self.levels, start=1):
            kept = [j for j in range(len(neurons)) if j in keep[level]]
            rows = [tuple(sorted((index[i], v) for i, v in neurons[j].row.items()))
                    for j in kept]
            layers.append(ConventionalLayer(Matrix((len(kept), width), tuple(rows)),
                                            tuple(neurons[j].bias for j in kept), "relu"))
            index = {j: k for k, j in enumerate(kept)}
            width = len(kept)
        rows = [tuple(sorted((index[i], v) for i, v in out.terms)) for out in outputs]
        layers.append(ConventionalLayer(Matrix((len(outputs), width), tuple(rows)),
                                        tuple(out.const for out in outputs), "identity"))
        return Network(self.inputs, tuple(layers), self.domain, meta=meta or None)

    def _used(self, outputs: Iterable[Value]) -> dict[int, set[int]]:
        keep: dict[int, set[int]] = {level: set() for level in range(self.top + 1)}
        keep[self.top] = {j for out in outputs for j, _ in out.terms}
        for level in range(self.top, 0, -1):
            for j in keep[level]:
                keep[level - 1].update(self.levels[level - 1][j].row)
            if not keep[level]:
                raise QuadTheoryError(f"level {level} of the construction has no neuron in use; "
                                      "expected every level to feed the output")
        return keep


def sawtooth(s: int) -> Network:
    """The sawtooth ``g_s`` (the tooth composed ``s`` times) on [0, 1]: ``2^(s−1)`` teeth.

    >>> net = sawtooth(2)
    >>> [net.exact([x])[0] for x in ("0", "1/4", "1/2", "3/4", "1")]
    [Fraction(0, 1), Fraction(1, 1), Fraction(0, 1), Fraction(1, 1), Fraction(0, 1)]
    """
    limits.integer(s, "s", 1, expected="a positive number of teeth compositions")
    limits.check(s, limits.MAX_LAYERS, "s (sawtooth compositions, one hidden layer each)")
    b = ReluBuilder(("x",), [(0, 1)])
    tooth = b.input(0)
    for _ in range(s):
        up, _ = b.relu(tooth)
        down, _ = b.relu(tooth - HALF)
        tooth = up * 2 - down * 4
    return b.network(tooth, target=f"g_{s}", family="relu")


def yarotsky_square(m: int, *, shifted: bool = False, radius: object = None) -> Network:
    """Yarotsky's ``f_m``: ``x²`` on [0, 1] with sup error ``2^(−2m−2)`` and ``2^m`` pieces.

    ``shifted`` subtracts half the error (sup error ``2^(−2m−3)``, the best ``2^m`` pieces
    can do). ``radius=M`` squares on ``[−M, M]`` instead, folded through ``|x|``: ``m``
    levels give ``2^(m+1)`` pieces and error ``M²·2^(−2m−2)``.

    >>> f3 = yarotsky_square(3)
    >>> f3.widths, f3.exact(["1/16"])[0] - Fraction(1, 256), f3.meta["certified_error"]
    ((2, 3, 3, 1), Fraction(1, 256), '1/256')
    >>> yarotsky_square(1, radius=2).exact([-1])     # 4·f_1(1/2) = 1 (a grid point)
    (Fraction(1, 1),)
    """
    shifted = limits.flag(shifted, "shifted")
    limits.integer(m, "m", 0, expected="a number of sawtooth levels >= 0")
    if m > 64:
        raise QuadTheoryError(
            f"m: expected at most 64 sawtooth levels (error 2^-130), found {quoted(m)}")
    if radius is None:
        lo, hi, fold = ZERO, ONE, False
    else:
        hi = to_rational(radius, "radius")
        if hi <= 0:
            raise QuadTheoryError(f"radius: expected a positive number, found {quoted(radius)}")
        lo, fold = -hi, True
    b = ReluBuilder(("x",), [(lo, hi)])
    chain = b.square(b.input(0), lo, hi, m, fold)
    value = chain.value - (chain.error / 2 if shifted else 0)
    error = chain.error / 2 if shifted else chain.error
    variant = "shifted " if shifted else ""
    return b.network(value, target="x**2", family="relu",
                     construction=f"Yarotsky {variant}sawtooth square, m = {m}"
                     + ("" if radius is None else f", folded on [-{format_rational(hi)}, "
                        f"{format_rational(hi)}]"),
                     certified_error=format_rational(error))
