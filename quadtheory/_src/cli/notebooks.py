"""``quadtheory notebooks [--open]``: the course, one notebook a lesson, and JupyterLab.

Lists the numbered notebooks of ``notebooks/`` with their length and what each teaches (read
from each notebook's first markdown cell, :mod:`quadtheory._src.teaching.course`); ``--open``
starts JupyterLab there (the ``notebooks`` extra installs it). The notebooks teach Fan et al.,
arXiv:2303.06316, and end with exercises that ``quadtheory.exercises.check`` marks.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from ..errors import QuadTheoryError
from ..teaching.course import course, notebooks_folder
from . import options

WIDTH = 100
INSTALL = "pip install -e '.[notebooks]' in a clone of the repository"


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "notebooks", help="list the course's notebooks; --open starts JupyterLab on them",
        description="List the course: the numbered teaching notebooks, how long each takes and "
                    "what it teaches. Each ends with exercises checked by the toolkit "
                    "(quadtheory.exercises.check); solutions are in notebooks/solutions/.")
    parser.add_argument("--open", action="store_true",
                        help=f"start JupyterLab in the notebooks folder (needs the notebooks "
                             f"extra: {INSTALL})")
    options.add_json(parser, "the course as JSON")
    parser.set_defaults(func=run)


def render(lessons: tuple[Any, ...], folder: Path) -> str:
    """The course as the command prints it: one block per notebook."""
    total = sum(lesson.minutes for lesson in lessons)
    lines = [f"the course: {len(lessons)} notebooks, about {total} minutes, in {folder}"]
    for lesson in lessons:
        lines += ["", f"{lesson.number}  {lesson.title}",
                  f"    about {lesson.minutes} minutes, {lesson.path.name}"]
        lines += textwrap.wrap(lesson.teaches, WIDTH, initial_indent="    ",
                               subsequent_indent="    ")
    closing = ("Each notebook ends with exercises that the toolkit checks: "
               "quadtheory.exercises.check(\"NN.k\", answer); the solutions are in "
               "notebooks/solutions/. Open the course with quadtheory notebooks --open "
               f"(JupyterLab: {INSTALL}).")
    lines += ["", *textwrap.wrap(closing, WIDTH)]
    return "\n".join(lines)


def launch(folder: Path) -> int:
    """Run JupyterLab in ``folder`` until it stops; its exit status."""
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # In a container one is often root, and JupyterLab then refuses to start without it.
        command.append("--ServerApp.allow_root=True")
    return subprocess.call(command)


def run(args: argparse.Namespace) -> int:
    if args.open and args.json is not None:
        raise QuadTheoryError("--json: lists the course; it does not go with --open")
    if args.open and importlib.util.find_spec("jupyterlab") is None:
        raise QuadTheoryError(f"--open needs JupyterLab, which is not installed: {INSTALL}, "
                              "then run quadtheory notebooks --open again")
    folder = notebooks_folder()
    lessons = course(folder)
    if args.json is not None:
        note = options.emit_json([lesson.as_dict() for lesson in lessons], args.json)
        if note:
            print(note)
        return 0
    print(render(lessons, folder))
    return launch(folder) if args.open else 0
