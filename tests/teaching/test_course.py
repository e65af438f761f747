"""The course: every lesson notebook describes itself in its first markdown cell, has a
solutions notebook, and holds a cell for each of its exercises; ``quadtheory notebooks``
lists it, and ``--open`` says how to install JupyterLab when it is missing (no server is
started here)."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

import quadtheory as qt
from quadtheory._src.cli import notebooks as command
from quadtheory._src.cli.main import main
from quadtheory._src.teaching.course import course, lesson

ROOT = Path(__file__).resolve().parents[2]
LESSONS = course(ROOT / "notebooks")


def test_the_course_is_numbered_from_01_with_20_to_40_minutes_each() -> None:
    assert [lesson.number for lesson in LESSONS][:4] == ["01", "02", "03", "04"]
    assert len({lesson.number for lesson in LESSONS}) == len(LESSONS)
    for each in LESSONS:
        assert 20 <= each.minutes <= 40, each
        assert each.title and len(each.teaches) > 40, each
        # The listing prints it on a terminal: plain text, no LaTeX or markdown code.
        assert not re.search(r"[$`\\]", each.teaches), each.teaches


@pytest.mark.parametrize("each", LESSONS, ids=lambda lesson: lesson.number)
def test_every_lesson_has_its_solutions_and_exercise_cells(each) -> None:
    solutions = ROOT / "notebooks" / "solutions" / f"{each.path.stem}_solutions.ipynb"
    assert solutions.exists(), f"{each.path.name}: no {solutions.relative_to(ROOT)}"
    keys = [exercise.key for exercise in qt.exercises.list(each.number)]
    assert keys, f"{each.path.name}: no exercises in exercises_{each.number}.py"
    for path in (each.path, solutions):
        code = "\n".join("".join(cell["source"]) for cell in json.loads(path.read_text())["cells"]
                         if cell["cell_type"] == "code")
        checked = re.findall(r'exercises\.check\("(\d\d\.\d+)"', code)
        assert list(dict.fromkeys(checked)) == keys, path.name


def test_every_solutions_notebook_belongs_to_a_lesson() -> None:
    stems = {each.path.stem for each in LESSONS}
    for path in (ROOT / "notebooks" / "solutions").glob("*.ipynb"):
        assert path.stem.removesuffix("_solutions") in stems, path.name


def _notebook(tmp_path: Path, name: str, first: str) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": first}]}))
    return path


@pytest.mark.parametrize(("name", "first", "why"), [
    ("01_a.ipynb", "# 01 · A\nno length here", r"must start with '# NN · Title', then a "
                                                  r"paragraph '\*\*About M minutes\.\*\*"),
    ("01_a.ipynb", "# A title\n**About 20 minutes.** x", "must start with"),
    ("02_a.ipynb", "# 01 · A\n**About 20 minutes.** x", "02_a.ipynb: its title numbers it 01"),
])
def test_a_notebook_without_its_description_is_refused(tmp_path: Path, name: str, first: str,
                                                      why: str) -> None:
    with pytest.raises(qt.QuadTheoryError, match=why):
        lesson(_notebook(tmp_path, name, first))


def test_a_lesson_reads_its_first_paragraph(tmp_path: Path) -> None:
    read = lesson(_notebook(tmp_path, "07_data.ipynb", "# 07 · Real data\n**About 30 minutes.** "
                            "Bearings,\nand a pilot.\n\nMore text."))
    assert (read.number, read.title, read.minutes, read.teaches) == (
        "07", "Real data", 30, "Bearings, and a pilot.")


def test_the_command_lists_the_course(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["notebooks"]) == 0
    out = capsys.readouterr().out
    total = sum(each.minutes for each in LESSONS)
    assert out.startswith(f"the course: {len(LESSONS)} notebooks, about {total} minutes, in ")
    for each in LESSONS:
        assert f"{each.number}  {each.title}\n    about {each.minutes} minutes, " \
               f"{each.path.name}\n" in out
    assert all(len(line) <= command.WIDTH for line in out.splitlines())
    assert main(["notebooks", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [item["notebook"] for item in listed] == [each.path.name for each in LESSONS]


def test_open_without_jupyterlab_says_how_to_install(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(command, "launch", lambda folder: pytest.fail("launched"))
    assert main(["notebooks", "--open"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ("quadtheory: error: --open needs JupyterLab, which is not "
                            "installed: pip install -e '.[notebooks]' in a clone of the "
                            "repository, then run quadtheory notebooks --open again\n")


def test_open_launches_jupyterlab_in_the_notebooks_folder(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name: object() if name == "jupyterlab" else real(name))
    launched: list[Path] = []
    monkeypatch.setattr(command, "launch", lambda folder: launched.append(folder) or 0)
    assert main(["notebooks", "--open"]) == 0
    assert launched == [ROOT / "notebooks"]
    assert capsys.readouterr().out.startswith("the course: ")


def test_open_and_json_do_not_go_together(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["notebooks", "--open", "--json"]) == 2
    assert "--json: lists the course; it does not go with --open" in capsys.readouterr().err
