"""The two layer kinds: quadratic (Fan et al.) and conventional.

A quadratic neuron j of a layer with input ``h`` computes (Fan, Dong, Wu et al., "One Neuron
Saved Is One Neuron Earned", 2023; Fan, Cong, Wang 2018, arXiv:1808.00098)::

    act((w_r[j]·h + b_r[j]) * (w_g[j]·h + b_g[j]) + w_b[j]·(h⊙h) + c[j])    # 3n+3 parameters

and a conventional neuron ``act(w[j]·h + b[j])`` (n+1 parameters). Layers are frozen; their
shapes are checked when they are built.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import ClassVar

from ..errors import QuadTheoryError
from .limits import one_of, quoted
from .matrix import Matrix, Vector, as_matrix, to_vector

ACTIVATIONS = ("relu", "identity")


def _check_activation(activation: str) -> None:
    one_of(activation, "activation", ACTIVATIONS)


def _check_shapes(fields: Mapping[str, Matrix | Vector], shape: tuple[int, int]) -> None:
    n_out, n_in = shape
    if n_out < 1:
        raise QuadTheoryError(f"expected at least one neuron, found {n_out}")
    for name, value in fields.items():
        if isinstance(value, Matrix):
            if value.n_rows != n_out:
                raise QuadTheoryError(f"{name}: expected {n_out} rows, found {value.n_rows}")
            if value.n_cols != n_in:
                raise QuadTheoryError(f"{name}: expected {n_in} columns, found {value.n_cols}")
        elif len(value) != n_out:
            raise QuadTheoryError(f"{name}: expected {n_out} entries, found {len(value)}")


def _exact_vector(value: object, name: str) -> Vector:
    """A bias vector as exact rationals (ints become Fractions; floats are refused: trained
    weights are read into exact binary rationals before a layer is built)."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise QuadTheoryError(f"{name}: expected a sequence of exact rationals, found "
                              f"{value!r:.80}")
    out = []
    for k, v in enumerate(value):
        if isinstance(v, bool) or not isinstance(v, int | Fraction):
            raise QuadTheoryError(f"{name}[{k}]: expected an exact rational (Fraction or int), "
                                  f"found {quoted(v)}")
        out.append(Fraction(v))
    return tuple(out)


class _LayerBase:
    kind: ClassVar[str]
    matrix_fields: ClassVar[tuple[str, ...]]
    vector_fields: ClassVar[tuple[str, ...]]
    activation: str

    @property
    def fields(self) -> dict[str, Matrix | Vector]:
        """Every weight array by its file name, matrices first."""
        return {name: getattr(self, name) for name in self.matrix_fields + self.vector_fields}

    @property
    def shape(self) -> tuple[int, int]:
        """``(out, in)``: neurons and inputs."""
        return getattr(self, self.matrix_fields[0]).shape

    @property
    def in_features(self) -> int:
        return self.shape[1]

    @property
    def out_features(self) -> int:
        return self.shape[0]

    @property
    def dense_params(self) -> int:
        """Every weight and bias of the architecture."""
        return sum(v.n_rows * v.n_cols if isinstance(v, Matrix) else len(v)
                   for v in self.fields.values())

    @property
    def nonzero_params(self) -> int:
        """The nonzero weights and biases."""
        return sum(v.nonzero if isinstance(v, Matrix) else sum(1 for x in v if x)
                   for v in self.fields.values())

    def _validate(self) -> None:
        # Every field is checked here, not only in the factories: a layer built by hand with
        # a list or a float fails at once, naming the field, not later in an evaluator.
        for name in self.matrix_fields:
            value = getattr(self, name)
            if not isinstance(value, Matrix):
                raise QuadTheoryError(
                    f"{name}: expected a Matrix, found {type(value).__name__}; build a layer "
                    f"from lists with {self.kind}_layer(...)")
        for name in self.vector_fields:
            object.__setattr__(self, name, _exact_vector(getattr(self, name), name))
        if not isinstance(self.activation, str):
            raise QuadTheoryError(f"activation: expected one of {', '.join(ACTIVATIONS)}, "
                                  f"found {quoted(self.activation)}")
        _check_activation(self.activation)
        _check_shapes(self.fields, self.shape)


@dataclass(frozen=True)
class QuadraticLayer(_LayerBase):
    """A layer of quadratic neurons; build it with :func:`quadratic_layer`.

    >>> layer = quadratic_layer([[1, 0]], w_g=[[0, 1]])     # relu(x·y) from (x, y)
    >>> layer.kind, layer.shape, layer.w_g.dense()
    ('quadratic', (1, 2), [[Fraction(0, 1), Fraction(1, 1)]])
    """

    w_r: Matrix
    b_r: Vector
    w_g: Matrix
    b_g: Vector
    w_b: Matrix
    c: Vector
    activation: str = "relu"

    kind: ClassVar[str] = "quadratic"
    matrix_fields: ClassVar[tuple[str, ...]] = ("w_r", "w_g", "w_b")
    vector_fields: ClassVar[tuple[str, ...]] = ("b_r", "b_g", "c")

    def __post_init__(self) -> None:
        self._validate()


@dataclass(frozen=True)
class ConventionalLayer(_LayerBase):
    """A layer of conventional neurons; build it with :func:`conventional_layer`.

    >>> layer = conventional_layer([[1, -1]], ["1/2"], activation="identity")
    >>> layer.kind, layer.shape, layer.b
    ('conventional', (1, 2), (Fraction(1, 2),))
    """

    w: Matrix
    b: Vector
    activation: str = "relu"

    kind: ClassVar[str] = "conventional"
    matrix_fields: ClassVar[tuple[str, ...]] = ("w",)
    vector_fields: ClassVar[tuple[str, ...]] = ("b",)

    def __post_init__(self) -> None:
        self._validate()


Layer = QuadraticLayer | ConventionalLayer
LAYER_KINDS: dict[str, type[QuadraticLayer] | type[ConventionalLayer]] = {
    "quadratic": QuadraticLayer, "conventional": ConventionalLayer}

MatrixLike = Matrix | Sequence[Sequence[object]]


def _vector_or_zeros(value: Sequence[object] | None, n: int, where: str,
                     allow_float: bool) -> Vector:
    if value is None:
        return (Fraction(0),) * n
    return to_vector(value, where, length=n, allow_float=allow_float)


def _matrix_or_zeros(value: MatrixLike | None, shape: tuple[int, int], where: str,
                     allow_float: bool) -> Matrix:
    if value is None:
        return Matrix.zeros(*shape)
    return as_matrix(value, where, allow_float=allow_float, n_cols=shape[1])


def quadratic_layer(
    w_r: MatrixLike,
    b_r: Sequence[object] | None = None,
    w_g: MatrixLike | None = None,
    b_g: Sequence[object] | None = None,
    w_b: MatrixLike | None = None,
    c: Sequence[object] | None = None,
    activation: str = "relu",
    *,
    allow_float: bool = False,
) -> QuadraticLayer:
    """A quadratic layer from nested lists of NUMBERs; omitted arrays are zero.

    ``w_r`` fixes the shape ``(out, in)``. One neuron computing ``x**2`` from ``(x, y)``:

    >>> layer = quadratic_layer(w_r=[[1, 0]], w_g=[[1, 0]], activation="identity")
    >>> layer.shape, layer.dense_params, layer.nonzero_params   # 3*2+3 = 9 dense
    ((1, 2), 9, 2)
    """
    first = as_matrix(w_r, "w_r", allow_float=allow_float)
    shape = first.shape
    return QuadraticLayer(
        w_r=first,
        b_r=_vector_or_zeros(b_r, shape[0], "b_r", allow_float),
        w_g=_matrix_or_zeros(w_g, shape, "w_g", allow_float),
        b_g=_vector_or_zeros(b_g, shape[0], "b_g", allow_float),
        w_b=_matrix_or_zeros(w_b, shape, "w_b", allow_float),
        c=_vector_or_zeros(c, shape[0], "c", allow_float),
        activation=activation,
    )


def conventional_layer(
    w: MatrixLike,
    b: Sequence[object] | None = None,
    activation: str = "relu",
    *,
    allow_float: bool = False,
) -> ConventionalLayer:
    """A conventional layer ``act(w·h + b)``; an omitted bias is zero.

    >>> layer = conventional_layer([[1, -1], [0, 2]], b=["1/2", 0])
    >>> layer.dense_params, layer.nonzero_params   # 2*(2+1) = 6 dense
    (6, 4)
    """
    matrix = as_matrix(w, "w", allow_float=allow_float)
    return ConventionalLayer(
        w=matrix, b=_vector_or_zeros(b, matrix.n_rows, "b", allow_float), activation=activation)


def as_quadratic(layer: Layer) -> QuadraticLayer:
    """The same layer in quadratic form: ``w_r = w``, ``b_r = b``, ``w_g = 0``, ``b_g = 1``,
    ``w_b = 0``, ``c = 0`` computes ``(w·h + b) * 1``, exactly the conventional neuron.

    >>> as_quadratic(conventional_layer([[2]], [1])).b_g
    (Fraction(1, 1),)
    """
    if isinstance(layer, QuadraticLayer):
        return layer
    if not isinstance(layer, ConventionalLayer):
        raise QuadTheoryError(f"layer: expected a QuadraticLayer or ConventionalLayer, found "
                              f"{type(layer).__name__}")
    n_out, n_in = layer.shape
    return QuadraticLayer(
        w_r=layer.w, b_r=layer.b, w_g=Matrix.zeros(n_out, n_in), b_g=(Fraction(1),) * n_out,
        w_b=Matrix.zeros(n_out, n_in), c=(Fraction(0),) * n_out, activation=layer.activation)
