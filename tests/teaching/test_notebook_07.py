"""Notebook 07 finds the CWRU recordings from $QUADTHEORY_CWRU or beside the clone, and says
so and skips the bearing section when they are missing: its data cell, run here on its own
(read from the jupytext twin) with quadtheory stood in for, so that nothing trains."""

from __future__ import annotations

import os
import types
from pathlib import Path
from typing import Any

import pytest

import quadtheory as qt

ROOT = Path(__file__).resolve().parents[2]
TWIN = ROOT / "notebooks" / "07_real_data_bearing_and_pilot.py"


def _data_cell() -> str:
    cells = TWIN.read_text(encoding="utf-8").split("# %%")
    found = [cell for cell in cells if "def cwru_folder" in cell]
    assert len(found) == 1, "notebook 07: expected one cell defining cwru_folder"
    return found[0]


def _run(clone: Path, calls: list[Any]) -> dict[str, Any]:
    def bearing(data: Path, **options: Any) -> Any:
        calls.append(data)
        return qt.bearing(data, **options)   # a folder without the recordings: refused

    stand_in = types.SimpleNamespace(__file__=str(clone / "quadtheory" / "__init__.py"),
                                     bearing=bearing, QuadTheoryError=qt.QuadTheoryError)
    namespace: dict[str, Any] = {"qt": stand_in, "os": os, "Path": Path,
                                 "work": clone / "runs"}
    exec(compile(_data_cell(), str(TWIN), "exec"), namespace)
    return namespace


def test_without_the_data_the_bearing_section_says_so_and_is_skipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("QUADTHEORY_CWRU", raising=False)
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    calls: list[Any] = []
    namespace = _run(tmp_path / "clone", calls)
    assert namespace["bearing"] is None and calls == []
    assert capsys.readouterr().out.startswith("no CWRU folder found: set QUADTHEORY_CWRU to ")


def test_an_incomplete_folder_is_refused_by_bearing_and_skipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("QUADTHEORY_CWRU", str(empty))
    calls: list[Any] = []
    namespace = _run(tmp_path / "clone", calls)
    assert namespace["bearing"] is None and calls == [empty]
    out = capsys.readouterr().out
    assert out.startswith("the bearing part is skipped: --data ")
    assert "missing 10 of the 10 CWRU recordings" in out


def test_the_data_are_found_beside_the_clone(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUADTHEORY_CWRU", raising=False)
    monkeypatch.chdir(tmp_path)
    beside = tmp_path / "shared" / "data" / "cwru-12k-drive-end-0hp"
    beside.mkdir(parents=True)
    namespace = _run(tmp_path / "clone", [])
    assert namespace["cwru_folder"]() == beside
    monkeypatch.setenv("QUADTHEORY_CWRU", "~/elsewhere")
    assert namespace["cwru_folder"]() == Path("~/elsewhere").expanduser()
