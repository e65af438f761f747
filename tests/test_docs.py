"""The README's and docs/'s examples are tests: ```python blocks run as doctests, ```console
blocks run through the command line and must print what they show, ```json blocks are valid
network files, and the README's quickstart is exactly two commands. (```text blocks are not
run: sample output of long runs, stated as such where they appear.)

Each document's blocks run in document order in one fresh directory with one namespace, as a
reader would run them: a file the API examples save is the file the command-line examples read.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

import quadtheory
from quadtheory._src.cli.main import COMMANDS, main

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCUMENTS = [README, *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
FLAGS = doctest.ELLIPSIS


@dataclass(frozen=True)
class Block:
    lang: str
    text: str
    line: int
    where: str = "README.md"

    @property
    def place(self) -> str:
        return f"{self.where}:{self.line}"


def blocks(document: Path = README) -> list[Block]:
    source = document.read_text()
    where = document.relative_to(ROOT).as_posix()
    return [Block(m.group(1), m.group(2), source.count("\n", 0, m.start()) + 2, where)
            for m in FENCE.finditer(source)]


def console_examples(block: Block) -> list[tuple[str, str]]:
    """``(command, expected output)`` pairs of a console block: ``$ `` starts a command."""
    examples: list[tuple[str, list[str]]] = []
    for line in block.text.splitlines():
        if line.startswith("$ "):
            examples.append((line[2:], []))
        else:
            assert examples, f"{block.place}: output before the first '$ ' command"
            examples[-1][1].append(line)
    return [(command, "\n".join(lines) + "\n") for command, lines in examples]


def run_python(block: Block, globs: dict) -> None:
    test = doctest.DocTestParser().get_doctest(block.text, globs, block.place,
                                               str(ROOT / block.where), block.line)
    assert test.examples, f"{block.place}: a python block without >>> examples"
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    result = runner.run(test, out=report.append, clear_globs=False)
    globs.update(test.globs)  # the DocTest ran on a copy; later blocks build on its names
    assert result.failed == 0, "".join(report)


def run_console(block: Block) -> None:
    checker = doctest.OutputChecker()
    for command, want in console_examples(block):
        argv = shlex.split(command)
        assert argv[0] == "quadtheory", f"{block.place}: {command!r}"
        output = io.StringIO()
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            code = main(argv[1:])
        got = output.getvalue()
        expected_code = 2 if want.startswith("quadtheory: error: ") else 0
        assert code == expected_code, f"{block.place}: $ {command}\n{got}"
        assert checker.check_output(want, got, FLAGS), (
            f"{block.place}: $ {command}\nexpected:\n{want}\ngot:\n{got}")


def run_document(document: Path) -> dict[str, int]:
    """Run a document's python and console blocks in order; how many of each ran."""
    globs: dict = {}
    ran = {"python": 0, "console": 0}
    for block in blocks(document):
        if block.lang == "python":
            run_python(block, globs)
        elif block.lang == "console":
            run_console(block)
        else:
            continue
        ran[block.lang] += 1
    return ran


def test_readme_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    ran = run_document(README)
    assert ran["python"] >= 1 and ran["console"] >= 1, ran
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.slow
@pytest.mark.parametrize("document", DOCUMENTS[1:], ids=lambda p: p.name)
def test_docs_examples(document: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    ran = run_document(document)
    assert sum(ran.values()) >= 1, f"{document.name}: no python or console example"


def test_json_blocks_are_network_files() -> None:
    documents = [json.loads(block.text) for doc in DOCUMENTS for block in blocks(doc)
                 if block.lang == "json" and '"layers"' in block.text]
    assert documents
    for document in documents:
        network = quadtheory.from_json(document)
        assert quadtheory.verify(network, network.meta["target"]).holds


def test_quickstart_is_two_commands() -> None:
    source = README.read_text()
    assert source.startswith("# quadtheory\n")
    quickstart = source.split("## Quickstart", 1)[1]
    first = next(block for block in blocks() if block.text in quickstart)
    commands = first.text.splitlines()
    assert len(commands) == 2
    install, test = commands
    assert install.startswith("pip install torch==2.13.0 ")
    assert install.endswith("&& quadtheory tour")
    assert test.startswith("pip install torch==2.13.0 ")
    assert '".[test]"' in test
    assert test.endswith("&& python -m pytest -n auto")  # one worker per core (pytest-xdist)


README_MAX_LINES = 200
LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_readme_is_short() -> None:
    lines = len(README.read_text().splitlines())
    assert lines <= README_MAX_LINES, (
        f"README.md has {lines} lines; keep it to {README_MAX_LINES} and move the rest to docs/")


def test_readme_lists_every_command() -> None:
    commands = README.read_text().split("## Commands", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `quadtheory (\w+)", commands, re.MULTILINE))
    assert listed == set(COMMANDS), (
        f"README.md's table of commands: missing {sorted(set(COMMANDS) - listed)}, "
        f"unknown {sorted(listed - set(COMMANDS))}; one line per command of `quadtheory --help`")


def test_docs_index_lists_every_page() -> None:
    index = (ROOT / "docs" / "index.md").read_text()
    missing = [page.name for page in DOCUMENTS[1:]
               if page.name != "index.md" and f"]({page.name})" not in index]
    assert not missing, f"docs/index.md does not link {missing}"


@pytest.mark.parametrize("document", [*DOCUMENTS, ROOT / "DEVELOPERS.md"],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_resolve(document: Path) -> None:
    targets = [t for t in LINK.findall(document.read_text())
               if not t.startswith(("http://", "https://", "#", "mailto:"))]
    broken = [t for t in targets if not (document.parent / t.split("#")[0]).exists()]
    assert not broken, f"{document.relative_to(ROOT)}: links to missing files {broken}"
