"""The course: the numbered teaching notebooks, each described by its first markdown cell.

A notebook ``notebooks/NN_name.ipynb`` opens with a markdown cell of this shape (the title
line, then a paragraph that starts with its length in minutes and says what it teaches)::

    # 01 · The quadratic neuron
    **About 25 minutes.** What one quadratic neuron computes, and what its 3n + 3 parameters
    buy: squares, products and squared norms, each proved exactly.

:func:`course` reads that cell from every notebook (plain JSON: no Jupyter needed), so
``quadtheory notebooks`` and the documentation list the course without a copy of it. The
course teaches Fan et al., "One Neuron Saved Is One Neuron Earned", arXiv:2303.06316.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..core.limits import quoted
from ..errors import QuadTheoryError

NOTEBOOK = re.compile(r"(\d\d)_\w+\.ipynb")
TITLE = re.compile(r"# (\d\d) · (\S.*)")
LENGTH = re.compile(r"\*\*About (\d+) minutes\.\*\*\s+(\S.*)", re.DOTALL)
SHAPE = ("'# NN · Title', then a paragraph '**About M minutes.** what it teaches'")
# The checkout this module sits in: quadtheory/_src/teaching/course.py -> the repository.
CHECKOUT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Lesson:
    """One notebook of the course: its two-digit ``number``, ``title``, length in
    ``minutes`` (an estimate, stated as "about"), what it ``teaches``, and its ``path``."""

    number: str
    title: str
    minutes: int
    teaches: str
    path: Path

    def as_dict(self) -> dict[str, object]:
        return {"number": self.number, "title": self.title, "minutes": self.minutes,
                "teaches": self.teaches, "notebook": self.path.name}


def notebooks_folder(start: Path | None = None) -> Path:
    """The course's folder: ``notebooks/`` of the checkout quadtheory runs from (an editable
    install), else of the working directory ``start`` (default: the current one).

    >>> notebooks_folder().name
    'notebooks'
    """
    for root in (CHECKOUT, Path.cwd() if start is None else start):
        if (root / "notebooks").is_dir():
            return root / "notebooks"
    raise QuadTheoryError("no notebooks/ folder: the course ships with the repository, not "
                          "with the package; run this from a clone of it (or install the clone "
                          "with pip install -e)")


def lesson(path: Path) -> Lesson:
    """The lesson a notebook file describes in its first markdown cell.

    >>> first = lesson(notebooks_folder() / "01_quadratic_neuron.ipynb")
    >>> first.number, first.title
    ('01', 'The quadratic neuron')
    """
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise QuadTheoryError(f"{path.name}: not a readable notebook ({error})") from None
    text = next(("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"),
                "")
    lines = text.strip().split("\n", 1)
    title = TITLE.fullmatch(lines[0].strip())
    length = LENGTH.match(lines[1].strip()) if title and len(lines) > 1 else None
    if title is None or length is None:
        raise QuadTheoryError(f"{path.name}: its first markdown cell must start with {SHAPE}; "
                              f"found {quoted(text[:80])}")
    if not path.name.startswith(title.group(1) + "_"):
        raise QuadTheoryError(f"{path.name}: its title numbers it {title.group(1)}")
    paragraph = length.group(2).split("\n\n", 1)[0]
    return Lesson(title.group(1), title.group(2).strip(), int(length.group(1)),
                  " ".join(paragraph.split()), path)


def course(folder: Path | None = None) -> tuple[Lesson, ...]:
    """Every notebook ``NN_name.ipynb`` of ``folder`` (default :func:`notebooks_folder`), in
    order; the solutions (``solutions/``) are not lessons.

    >>> [lesson.number for lesson in course()][:2]
    ['01', '02']
    """
    folder = notebooks_folder() if folder is None else folder
    paths = sorted(p for p in folder.glob("*.ipynb") if NOTEBOOK.fullmatch(p.name))
    if not paths:
        raise QuadTheoryError(f"{folder}: no notebooks NN_name.ipynb")
    return tuple(lesson(path) for path in paths)
