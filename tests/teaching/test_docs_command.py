"""``python -m quadtheory.docs``: what it refuses before building anything (the build itself
is tests/teaching/test_site.py, slow), and that ``import quadtheory`` does not load it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import quadtheory as qt
from quadtheory._src.teaching import site
from quadtheory.docs import main


def test_without_sphinx_it_says_how_to_install(capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert main(["--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        "python -m quadtheory.docs: error: building the site needs Sphinx and myst-nb: "
        "pip install -e '.[docs]'\n")
    assert not list(tmp_path.iterdir())


def test_outside_a_checkout_it_says_so(tmp_path: Path) -> None:
    with pytest.raises(qt.QuadTheoryError, match=r": not a checkout of quadtheory \(no "
                                                 r"docs/conf.py or notebooks/\)"):
        site.build(tmp_path / "out", tmp_path)


@pytest.mark.parametrize("jobs", [0, -1, True, "2"])
def test_jobs_must_be_a_positive_count(jobs: object, tmp_path: Path) -> None:
    with pytest.raises(qt.QuadTheoryError, match=r"jobs: expected a number of processes >= 1"):
        site.build(tmp_path, jobs=jobs)  # type: ignore[arg-type]


def test_the_api_page_documents_every_public_module() -> None:
    page = site.api_page()
    for module in ("quadtheory", "quadtheory.nn", "quadtheory.exercises"):
        assert f".. automodule:: {module}\n" in page
