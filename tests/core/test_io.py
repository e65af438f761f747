"""The network file (JSON version 1): round trips, both matrix forms, errors with JSON paths."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quadtheory import (
    Network,
    QuadTheoryError,
    conventional_layer,
    from_json,
    load,
    quadratic_layer,
    save,
    to_json,
)
from quadtheory._src.core.io import _matrix
from tests.strategies import networks


@given(networks(), st.booleans())
def test_json_round_trip_is_exact(network, trained):
    network = Network(network.inputs, network.layers, network.domain,
                      trained=trained, meta={"target": "t", "n": [1, 2]})
    text = json.dumps(to_json(network))
    assert from_json(json.loads(text)) == network


@given(networks())
def test_dense_and_sparse_forms_read_the_same(network):
    data = to_json(network)
    for layer, spec in zip(network.layers, data["layers"]):
        for name in layer.matrix_fields:
            matrix = getattr(layer, name)
            spec[name] = {"shape": list(matrix.shape),
                          "entries": [[i, j, f"{v.numerator}/{v.denominator}"]
                                      for i, j, v in matrix.entries()]}
    sparse = from_json(json.loads(json.dumps(data)))
    for layer, spec in zip(network.layers, data["layers"]):
        for name in layer.matrix_fields:
            spec[name] = [[f"{v}" for v in row] for row in getattr(layer, name).dense()]
    dense = from_json(json.loads(json.dumps(data)))
    assert sparse == dense == network


def test_save_writes_the_shorter_matrix_form():
    wide = quadratic_layer([[1] + [0] * 30], w_g=[[0] * 30 + [1]])
    assert isinstance(_matrix(wide.w_r, False), dict)      # sparse: 1 of 31 entries
    full = conventional_layer([[1, 2], [3, 4]])
    assert _matrix(full.w, False) == [[1, 2], [3, 4]]      # dense


def test_trained_weights_are_written_as_floats_and_read_back_exactly(tmp_path):
    net = Network(("x",), (conventional_layer([[0.1]], [-2.5], allow_float=True),),
                  trained=True)
    save(net, tmp_path / "t.json")
    data = json.loads((tmp_path / "t.json").read_text())
    assert data["layers"][0]["w"] == [[0.1]] and data["meta"] == {"trained": True}
    back = load(tmp_path / "t.json")
    assert back == net and back.layers[0].w.dense()[0][0] == Fraction(0.1)


def test_numbers_accept_integers_decimals_and_rationals():
    data = {"format": "quadtheory-network", "version": 1, "inputs": ["x"],
            "domain": [["-1", "0.5"]], "layers": [
                {"kind": "conventional", "activation": "identity",
                 "w": [["0.125"]], "b": ["-3/4"]}]}
    net = from_json(data)
    assert net.exact(["8"]) == (Fraction(1, 4),)
    assert net.domain == ((Fraction(-1), Fraction(1, 2)),)
    assert not net.trained


GOOD = {"format": "quadtheory-network", "version": 1, "inputs": ["x", "y"],
        "domain": None, "layers": [
            {"kind": "quadratic", "activation": "relu", "w_r": [[1, 0], [0, 1], [1, 1]],
             "b_r": [0, 0, 0], "w_g": [[1, 0], [0, 1], [1, 1]], "b_g": [0, 0, 0],
             "w_b": [[0, 0], [0, 0], [0, 0]], "c": [0, 0, 0]},
            {"kind": "conventional", "activation": "identity", "w": [[1, 1, 1]], "b": [0]},
            {"kind": "quadratic", "activation": "identity", "w_r": [[1]], "b_r": [0],
             "w_g": [[1]], "b_g": [0], "w_b": [[0]], "c": [0]}]}


def _with(path: str, value):
    data = json.loads(json.dumps(GOOD))
    *parents, last = path.split("/")
    node = data
    for key in parents:
        node = node[int(key) if key.isdigit() else key]
    if value is KeyError:
        del node[last]
    else:
        node[int(last) if last.isdigit() else last] = value
    return data


@pytest.mark.parametrize(("data", "message"), [
    (_with("layers/2/w_g", [[1, 0]]), r"layers\[2\]\.w_g: expected 1 columns, found 2"),
    (_with("layers/0/w_g", [[1], [0], [1]]), r"layers\[0\]\.w_g: expected 2 columns, found 1"),
    (_with("layers/0/w_g", [[1, 0], [0]]), r"layers\[0\]\.w_g\[1\]: expected 2 columns, found 1"),
    (_with("layers/0/b_g", [0, 0]), r"layers\[0\]\.b_g: expected 3 entries, found 2"),
    (_with("layers/1/w", [[1, 1]]), r"layers\[1\]\.w: expected 3 columns, found 2"),
    (_with("layers/0/w_r", {"shape": [3, 2], "entries": [[0, 5, 1]]}),
     r"layers\[0\]\.w_r\.entries\[0\]: index \(0, 5\) outside the shape 3x2"),
    (_with("layers/0/w_b", {"shape": [3, 2], "entries": [[0, 0, 1], [0, 0, 2]]}),
     r"layers\[0\]\.w_b\.entries\[1\]: entry \(0, 0\) is listed twice"),
    (_with("layers/0/w_b", {"shape": [3, 2], "entries": [[0, 0]]}),
     r"layers\[0\]\.w_b\.entries: expected a list of \[i, j, NUMBER\]"),
    (_with("layers/0/c", [0, "x", 0]), r"layers\[0\]\.c\[1\]: expected an exact rational"),
    (_with("layers/0/c", [0, True, 0]), r"layers\[0\]\.c\[1\]: expected a number, found True"),
    (_with("layers/1/kind", "cubic"),
     r"layers\[1\]\.kind: expected one of quadratic, conventional, found 'cubic'"),
    (_with("layers/1/activation", "gelu"),
     r"layers\[1\]\.activation: expected one of relu, identity, found 'gelu'"),
    (_with("layers/1/b", KeyError), r"layers\[1\]: missing key 'b'"),
    (_with("layers/1/bias", [0]), r"layers\[1\]: unknown key 'bias'"),
    (_with("format", "onnx"), r"format: expected 'quadtheory-network', found 'onnx'"),
    (_with("version", 2), r"version: expected 1, found 2"),
    (_with("domain", [["1", "0"], ["0", "1"]]), r"domain\[0\]: expected lo < hi, found \[1, 0\]"),
    (_with("extra", 1), r"\(top level\): unknown key 'extra'.*inside \"meta\""),
    (_with("layers", []), r"layers: expected a non-empty list"),
    (_with("inputs", ["x", "__class__"]), r"inputs\[1\]: expected a name"),
])
def test_bad_files_name_the_json_path(tmp_path, data, message):
    path = tmp_path / "net.json"
    path.write_text(json.dumps(data))
    with pytest.raises(QuadTheoryError, match=f"net.json: {message}"):
        load(path)


@pytest.mark.parametrize(("text", "message"), [
    ("{", r"not valid JSON"), ("[1, 2]", r"data \(top level\): expected an object"),
    ('{"a": NaN}', r"found NaN; expected finite numbers only"), ("", r"not valid JSON"),
])
def test_unreadable_files(tmp_path, text, message):
    path = tmp_path / "net.json"
    path.write_text(text)
    with pytest.raises(QuadTheoryError, match=message):
        load(path)


def test_missing_file_and_unwritable_path(tmp_path):
    with pytest.raises(QuadTheoryError, match=r"nope\.json: no such file"):
        load(tmp_path / "nope.json")
    net = from_json(GOOD)
    with pytest.raises(QuadTheoryError, match=r"the folder .*missing-dir. does not exist"):
        save(net, tmp_path / "missing-dir" / "net.json")


def test_good_file_loads():
    net = from_json(GOOD)
    # relu(x²) + relu(y²) + relu((x+y)²) then squared: 2(x² + y² + xy), squared.
    assert net.exact([1, 2]) == (Fraction(14 ** 2),)
