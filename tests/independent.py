"""An independent reader of the network file: json, Fraction and loops, nothing of quadtheory.

Tests compare quadtheory's counts and exact values with this reader ("the JSON is exact when
evaluated independently, point by point, from the file alone").
"""

from __future__ import annotations

from fractions import Fraction


def number(value: object) -> Fraction:
    assert not isinstance(value, bool)
    return Fraction(value) if isinstance(value, int | float) else Fraction(str(value))


def dense_matrix(value: object, n_in: int) -> list[list[Fraction]]:
    if isinstance(value, dict):
        n_out, cols = value["shape"]
        assert cols == n_in
        rows = [[Fraction(0)] * n_in for _ in range(n_out)]
        for i, j, v in value["entries"]:
            rows[i][j] = number(v)
        return rows
    return [[number(v) for v in row] for row in value]


def read_layers(doc: dict) -> list[tuple[str, str, dict[str, list]]]:
    """Each layer as (kind, activation, arrays as Fractions)."""
    layers, width = [], len(doc["inputs"])
    for layer in doc["layers"]:
        matrices = ("w_r", "w_g", "w_b") if layer["kind"] == "quadratic" else ("w",)
        vectors = ("b_r", "b_g", "c") if layer["kind"] == "quadratic" else ("b",)
        arrays: dict[str, list] = {name: dense_matrix(layer[name], width) for name in matrices}
        arrays |= {name: [number(v) for v in layer[name]] for name in vectors}
        layers.append((layer["kind"], layer["activation"], arrays))
        width = len(arrays[vectors[0]])
    return layers


def count_by_hand(doc: dict) -> tuple[int, int]:
    """(dense, nonzero): every entry of every array, and the nonzero ones."""
    dense = nonzero = 0
    for _, _, arrays in read_layers(doc):
        for value in arrays.values():
            flat = [v for row in value for v in row] if value and isinstance(value[0], list) \
                else value
            dense += len(flat)
            nonzero += sum(1 for v in flat if v != 0)
    return dense, nonzero


def dot(row: list[Fraction], h: list[Fraction]) -> Fraction:
    return sum((a * b for a, b in zip(row, h, strict=True)), Fraction(0))


def evaluate_by_hand(doc: dict, point: dict[str, Fraction]) -> list[Fraction]:
    h = [point[name] for name in doc["inputs"]]
    for kind, activation, a in read_layers(doc):
        if kind == "quadratic":
            z = [(dot(a["w_r"][j], h) + a["b_r"][j]) * (dot(a["w_g"][j], h) + a["b_g"][j])
                 + dot(a["w_b"][j], [v * v for v in h]) + a["c"][j] for j in range(len(a["c"]))]
        else:
            z = [dot(a["w"][j], h) + a["b"][j] for j in range(len(a["b"]))]
        h = [max(v, Fraction(0)) for v in z] if activation == "relu" else z
    return h
