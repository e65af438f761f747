"""Hostile network files: every one gets a one-line QuadTheoryError, in bounded time and memory,
and nothing is built before the input is known to be sane."""

from __future__ import annotations

import json
import os
import threading
import time

import pytest

from quadtheory import QuadTheoryError, from_json, load

GOOD = {"format": "quadtheory-network", "version": 1, "inputs": ["x"], "domain": None,
        "layers": [{"kind": "conventional", "activation": "identity", "w": [[2]], "b": [0]}]}


def _file(tmp_path, text: str):
    path = tmp_path / "net.json"
    path.write_text(text)
    return path


def _with(**changes):
    data = json.loads(json.dumps(GOOD))
    data.update(changes)
    return data


@pytest.mark.parametrize(("text", "message"), [
    ('{"format": "quadtheory-network", "version": 1, "inputs": ["x"], "layers": [{"kind": '
     '"conventional", "activation": "identity", "w": [[' + "9" * 100_000 + ']], "b": [0]}]}',
     "an integer of 100000 digits; expected at most 4000"),
    ("[" * 999 + "]" * 999, "JSON nested deeper than 64 levels"),
    (json.dumps(_with(layers=[{"kind": "conventional", "activation": "identity",
                               "w": {"shape": [1_000_000_000, 1], "entries": []}, "b": "0"}])),
     r"shape: 1000000000 x 1 is larger than quadtheory reads"),
    (json.dumps(_with(version=1.0)), "version: expected 1, found 1.0"),
    (json.dumps(_with(meta={"trained": "yes"})), "meta.trained: expected true or false"),
    (json.dumps(_with(layers=[{"kind": "conventional", "activation": "identity",
                               "w": [["١٢"]], "b": [0]}])), r"expected an exact rational"),
])
def test_hostile_contents(tmp_path, text, message):
    start = time.perf_counter()
    with pytest.raises(QuadTheoryError, match=message):
        load(_file(tmp_path, text))
    assert time.perf_counter() - start < 5


def test_devices_fifos_and_huge_files_are_refused_unread(tmp_path):
    with pytest.raises(QuadTheoryError, match="not a regular file"):
        load("/dev/zero")
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    result: list[BaseException] = []

    def read() -> None:
        try:
            load(fifo)
        except QuadTheoryError as error:
            result.append(error)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(5)  # a FIFO opened for reading would block until a writer comes
    assert not reader.is_alive() and "not a regular file" in str(result[0])
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:  # sparse: no disk is used
        handle.truncate(3 * 2**30)
    with pytest.raises(QuadTheoryError, match="larger than 64 MiB"):
        load(huge)


def test_from_json_refuses_deep_meta_cleanly():
    deep: dict = {}
    node = deep
    for _ in range(5000):
        node["a"] = {}
        node = node["a"]
    with pytest.raises(QuadTheoryError, match="meta"):
        from_json(_with(meta=deep))
