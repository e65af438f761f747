"""The network file: JSON, ``"format": "quadtheory-network"``, version 1 (a public contract).

Matrices are written dense (a list of rows) or sparse (``{"shape": [out, in], "entries":
[[i, j, NUMBER], ...]}``), whichever is shorter; both are read. NUMBERs are JSON integers or
strings holding exact rationals or decimals; JSON floats mark a trained network. Every error
names the file and the JSON path of the bad field.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..errors import QuadTheoryError
from .files import atomic_write
from .layers import LAYER_KINDS, Layer
from .limits import is_integer, quoted
from .matrix import Matrix, to_vector
from .network import Network, as_network
from .numbers import format_rational, is_float_exact

FORMAT = "quadtheory-network"
VERSION = 1
# Bad input must cost nothing: a file is read with a cap, nesting is checked before parsing,
# and a declared shape is checked before anything of that size is built.
MAX_FILE_BYTES = 64 * 2**20
MAX_NESTING = 64
MAX_SIDE = 10**6  # rows or columns of one matrix: the neurons of a layer, or its inputs
MAX_DIGITS = 4000
_TOP_KEYS = ("format", "version", "inputs", "domain", "layers", "meta")
_FILE_ORDER = {"quadratic": ("w_r", "b_r", "w_g", "b_g", "w_b", "c"), "conventional": ("w", "b")}


# -- writing ---------------------------------------------------------------------------------
def _number(value: Fraction, trained: bool) -> int | str | float:
    if value.denominator == 1 and abs(value.numerator) < 2**53:
        return int(value.numerator)
    if trained and is_float_exact(value):
        return float(value)
    return format_rational(value)


def _matrix(matrix: Matrix, trained: bool) -> list | dict:
    """The shorter of the dense and the sparse form (compact JSON), their lengths counted
    from the nonzero entries alone: linear in the file written, never in the dense size."""
    entries = [[i, j, _number(v, trained)] for i, j, v in matrix.entries()]
    n_rows, n_cols = matrix.shape
    values = sum(len(json.dumps(e[2])) for e in entries)
    # [[a,b],[c,d]]: brackets and commas, every zero written "0", and the nonzero values.
    dense = (2 + max(n_rows - 1, 0) + n_rows * (2 + max(n_cols - 1, 0))
             + n_rows * n_cols - len(entries) + values)
    # {"shape":[R,C],"entries":[[i,j,v],...]}
    sparse = (len('{"shape":[,],"entries":[]}') + len(str(n_rows)) + len(str(n_cols))
              + max(len(entries) - 1, 0) + values
              + sum(4 + len(str(e[0])) + len(str(e[1])) for e in entries))
    if sparse < dense:
        return {"shape": list(matrix.shape), "entries": entries}
    return [[_number(v, trained) for v in row] for row in matrix.dense()]


def _layer(layer: Layer, trained: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": layer.kind, "activation": layer.activation}
    fields = layer.fields
    for name in _FILE_ORDER[layer.kind]:
        value = fields[name]
        out[name] = _matrix(value, trained) if isinstance(value, Matrix) else [
            _number(v, trained) for v in value]
    return out


def to_json(network: Network) -> dict[str, Any]:
    """The network as the JSON object of the file format.

    Integers are written as JSON integers, other exact rationals as strings; the weights of
    a trained network as JSON floats (exact, since they came from floats).

    >>> from quadtheory import Network, quadratic_layer
    >>> net = Network(("x",), (quadratic_layer([[1]], w_g=[[1]], activation="identity"),))
    >>> to_json(net)["layers"][0]["w_r"]
    [[1]]
    """
    network = as_network(network, "network")
    data: dict[str, Any] = {
        "format": FORMAT, "version": VERSION, "inputs": list(network.inputs),
        "domain": None if network.domain is None else [
            [format_rational(lo), format_rational(hi)] for lo, hi in network.domain],
        "layers": [_layer(layer, network.trained) for layer in network.layers],
    }
    meta = dict(network.meta)
    if network.trained:
        meta["trained"] = True
    if meta:
        data["meta"] = meta
    return data


def _pretty(data: dict[str, Any]) -> str:
    """JSON with one line per top-level key, per layer field and per dense matrix row."""
    def compact(value: Any) -> str:
        return json.dumps(value, separators=(", ", ": "))

    def field(name: str, value: Any) -> str:
        if isinstance(value, list) and value and isinstance(value[0], list):
            rows = ",\n      ".join(compact(row) for row in value)
            return f'    "{name}": [\n      {rows}]'
        return f'    "{name}": {compact(value)}'

    parts = []
    for key, value in data.items():
        if key == "layers":
            layers = ",\n".join("   {\n" + ",\n".join(field(k, v) for k, v in layer.items())
                                + "}" for layer in value)
            parts.append(f' "layers": [\n{layers}]')
        else:
            parts.append(f" {json.dumps(key)}: {json.dumps(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def save(network: Network, path: str | os.PathLike[str]) -> None:
    """Write the network file (atomically: a partly written file never replaces a good one).

    >>> import tempfile, os
    >>> from quadtheory import Network, quadratic_layer
    >>> net = Network(("x",), (quadratic_layer([[1]], w_g=[[1]], activation="identity"),))
    >>> with tempfile.TemporaryDirectory() as d:
    ...     save(net, os.path.join(d, "square.json"))
    ...     load(os.path.join(d, "square.json")) == net
    True
    """
    network = as_network(network, "network")
    atomic_write(path, _pretty(to_json(network)), where=str(path) and "path")


# -- reading ---------------------------------------------------------------------------------
def _has_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, list):
        return any(_has_float(v) for v in value)
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    return False


def _short(value: Any) -> str:
    """``value`` as JSON (or its repr, when it is not JSON data), cut to 60 characters.

    >>> _short([1, 2]), _short(b"x")
    ('[1, 2]', "b'x'")
    """
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):  # not JSON data, or an integer past 4,300 digits
        return quoted(value)
    return " ".join(text.split())[:60]


def _require_object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise QuadTheoryError(f"{where}: expected an object, found {_short(value)}")
    return value


def _check_keys(obj: Mapping[str, Any], allowed: tuple[str, ...], required: tuple[str, ...],
                where: str) -> None:
    for key in obj:
        if key not in allowed:
            raise QuadTheoryError(f"{where}: unknown key {key!r}; expected {', '.join(allowed)}"
                                  + ("" if where != "(top level)" else
                                     " (extensions belong inside \"meta\")"))
    for key in required:
        if key not in obj:
            raise QuadTheoryError(f"{where}: missing key {key!r}")


def _read_matrix(value: Any, shape: tuple[int | None, int], where: str, trained: bool) -> Matrix:
    n_rows, n_cols = shape
    if isinstance(value, dict):
        _check_keys(value, ("shape", "entries"), ("shape", "entries"), where)
        found = value["shape"]
        if (not isinstance(found, list) or len(found) != 2
                or not all(is_integer(v, 0) for v in found)):
            raise QuadTheoryError(f"{where}.shape: expected [rows, columns], found {quoted(found)}")
        if max(found) > MAX_SIDE:
            raise QuadTheoryError(f"{where}.shape: {found[0]} x {found[1]} is larger than "
                                  f"quadtheory reads ({MAX_SIDE} rows or columns at most)")
        # Check the declared shape before building anything: a hostile file could declare
        # ten million rows.
        if n_rows is not None and found[0] != n_rows:
            raise QuadTheoryError(f"{where}: expected {n_rows} rows, found {found[0]}")
        if found[1] != n_cols:
            raise QuadTheoryError(f"{where}: expected {n_cols} columns, found {found[1]}")
        entries = value["entries"]
        if not isinstance(entries, list) or not all(
                isinstance(e, list) and len(e) == 3 and all(
                    isinstance(k, int) and not isinstance(k, bool) for k in e[:2])
                for e in entries):
            raise QuadTheoryError(f"{where}.entries: expected a list of [i, j, NUMBER]")
        matrix = Matrix.from_entries(tuple(found), entries, allow_float=trained, where=where)
    else:
        # Rows of one common width are read as they are, so that a wrong width is reported
        # for the whole matrix ("expected 3 columns, found 2"); ragged rows, row by row.
        uniform = isinstance(value, list) and len(
            {len(r) if isinstance(r, list) else -1 for r in value}) == 1
        matrix = Matrix.from_dense(value, None if uniform else n_cols,
                                   allow_float=trained, where=where)
    if n_rows is not None and matrix.n_rows != n_rows:
        raise QuadTheoryError(f"{where}: expected {n_rows} rows, found {matrix.n_rows}")
    if matrix.n_cols != n_cols:
        raise QuadTheoryError(f"{where}: expected {n_cols} columns, found {matrix.n_cols}")
    return matrix


def _read_layer(value: Any, n_in: int, where: str, trained: bool) -> Layer:
    obj = _require_object(value, where)
    kind = obj.get("kind")
    if kind not in LAYER_KINDS:
        raise QuadTheoryError(
            f"{where}.kind: expected one of {', '.join(LAYER_KINDS)}, found {quoted(kind)}")
    cls = LAYER_KINDS[kind]
    names = cls.matrix_fields + cls.vector_fields
    _check_keys(obj, ("kind", "activation", *names), ("activation", *names), where)
    first_vector = obj[cls.vector_fields[0]]
    n_out = len(first_vector) if isinstance(first_vector, list) else None
    fields: dict[str, Any] = {}
    for name in cls.matrix_fields:
        fields[name] = _read_matrix(obj[name], (n_out, n_in), f"{where}.{name}", trained)
        n_out = fields[name].n_rows
    for name in cls.vector_fields:
        fields[name] = to_vector(obj[name], f"{where}.{name}", length=n_out, allow_float=trained)
    try:
        return cls(**fields, activation=obj["activation"])
    except QuadTheoryError as error:
        raise error.at(where) from None


def from_json(data: Any) -> Network:
    """A network from the parsed JSON object; errors name the JSON path of the bad field.

    >>> from_json({"format": "quadtheory-network", "version": 1, "inputs": ["x"],
    ...            "domain": None, "layers": [{"kind": "conventional",
    ...            "activation": "identity", "w": [["1/2"]], "b": [0]}]}).exact([1])
    (Fraction(1, 2),)
    """
    top = "(top level)"
    obj = _require_object(data, f"data {top}")
    _check_keys(obj, _TOP_KEYS, ("format", "version", "inputs", "layers"), top)
    if obj["format"] != FORMAT:
        raise QuadTheoryError(f"format: expected {FORMAT!r}, found {quoted(obj['format'])}")
    if type(obj["version"]) is not int or obj["version"] != VERSION:
        raise QuadTheoryError(f"version: expected {VERSION}, found {quoted(obj['version'])}")
    inputs = obj["inputs"]
    if not isinstance(inputs, list):
        raise QuadTheoryError(f"inputs: expected a list of names, found {quoted(inputs)}")
    meta = obj.get("meta") or {}
    _require_object(meta, "meta")
    if not isinstance(meta.get("trained", False), bool):
        raise QuadTheoryError(f"meta.trained: expected true or false, found "
                              f"{meta['trained']!r:.60}")
    trained = meta.get("trained", False) or _has_float(obj["layers"])
    layers_value = obj["layers"]
    if not isinstance(layers_value, list) or not layers_value:
        raise QuadTheoryError("layers: expected a non-empty list of layers")
    layers, width = [], len(inputs)
    for k, value in enumerate(layers_value):
        layer = _read_layer(value, width, f"layers[{k}]", trained)
        layers.append(layer)
        width = layer.out_features
    meta = {key: v for key, v in meta.items() if key != "trained"}
    return Network(tuple(inputs), tuple(layers), obj.get("domain"), trained=trained, meta=meta)


def load(path: str | os.PathLike[str]) -> Network:
    """Read a network file; any problem raises :class:`QuadTheoryError` naming the file and
    the JSON path, e.g. ``net.json: layers[2].w_g: expected 3 columns, found 2``.

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "net.json")
    ...     with open(path, "w") as handle:
    ...         _ = handle.write('{"format": "quadtheory-network", "version": 1, '
    ...                          '"inputs": ["x"], "domain": null, "layers": [{"kind": '
    ...                          '"conventional", "activation": "identity", "w": [[2]], '
    ...                          '"b": ["1/2"]}]}')
    ...     load(path).exact(["1/4"])
    (Fraction(1, 1),)
    """
    if not isinstance(path, str | os.PathLike):
        raise QuadTheoryError(f"path: expected a file path, found {type(path).__name__}")
    text = _read_capped(Path(path))
    try:
        _check_nesting(text)
        data = json.loads(text, parse_constant=_reject_constant, parse_int=_parse_int)
    except json.JSONDecodeError as error:
        raise QuadTheoryError(f"{path}: not valid JSON ({error})") from None
    except QuadTheoryError as error:
        raise error.at(f"{path}:") from None
    try:
        return from_json(data)
    except QuadTheoryError as error:
        raise error.at(f"{path}:") from None


def _read_capped(path: Path) -> str:
    """The file's text, refusing what is not a regular file (a FIFO would block, a device
    never ends) and anything over :data:`MAX_FILE_BYTES`."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise QuadTheoryError(f"{path}: no such file") from None
    except OSError as error:
        raise QuadTheoryError(f"{path}: cannot read ({error.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise QuadTheoryError(f"{path}: not a regular file; expected a network file (.json)")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise QuadTheoryError(f"{path}: cannot read ({error.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise QuadTheoryError(f"{path}: larger than {MAX_FILE_BYTES // 2**20} MiB; expected a "
                              "network file quadtheory can read")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise QuadTheoryError(f"{path}: not UTF-8 text ({error.reason} at byte "
                              f"{error.start})") from None


def _check_nesting(text: str) -> None:
    """Refuse JSON nested deeper than :data:`MAX_NESTING`, before the recursive parser sees
    it (a scan that skips strings; the parser still checks the syntax).

    >>> _check_nesting("[" * 65 + "]" * 65)
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: JSON nested deeper than 64 levels; a network file needs 5
    """
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_NESTING:
                raise QuadTheoryError(f"JSON nested deeper than {MAX_NESTING} levels; a network "
                                      "file needs 5")
        elif char in "]}":
            depth -= 1


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise QuadTheoryError(f"an integer of {len(text.lstrip('-'))} digits; expected at most "
                              f"{MAX_DIGITS}")
    return int(text)


def _reject_constant(name: str) -> None:
    raise QuadTheoryError(f"found {name}; expected finite numbers only")
